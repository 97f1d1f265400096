/* The on-screen keyboard: simple-keyboard draws the keys; we write into the field being edited,
 * through Telex for text fields. Fields opt in with data-keyboard="text" or "numeric". */
(function () {
  "use strict";
  var dock = document.getElementById("keyboard-dock");
  if (!dock || !window.SimpleKeyboard) return;
  var Keyboard = window.SimpleKeyboard.default || window.SimpleKeyboard;
  var labels = JSON.parse(dock.dataset.labels || "{}");
  var always = dock.classList.contains("always");
  var TONE_BUTTONS = { "{sac}": "s", "{huyen}": "f", "{hoi}": "r", "{nga}": "x", "{nang}": "j" };
  var telexOn = true, shifted = false, target = null;

  var letters = ["1 2 3 4 5 6 7 8 9 0 {bksp}", "q w e r t y u i o p", "a s d f g h j k l",
                 "{shift} z x c v b n m , . ?", "{telex} {space} {done}"];
  var marks = "{sac} {huyen} {hoi} {nga} {nang} ă â đ ê ô ơ ư";
  var layout = {
    "default": [marks].concat(letters),
    "shift": [upper(marks)].concat(letters.map(upper)),
    "numeric": ["1 2 3", "4 5 6", "7 8 9", always ? "{clear} 0 {bksp}" : "{clear} 0 {bksp} {done}"]
  };
  function upper(row) {
    return row.split(" ").map(function (k) { return k.charAt(0) === "{" ? k : k.toUpperCase(); }).join(" ");
  }
  function display() {
    return {
      "{bksp}": "⌫ " + (labels.bksp || "Xóa"), "{space}": labels.space || "Dấu cách",
      "{shift}": "⇧ " + (labels.shift || "Chữ hoa"), "{clear}": labels.clear || "Xóa hết",
      "{done}": "✓ " + (labels.done || "Xong"),
      "{telex}": telexOn ? (labels.telex_on || "Telex: bật") : (labels.telex_off || "Telex: tắt"),
      "{sac}": "á", "{huyen}": "à", "{hoi}": "ả", "{nga}": "ã", "{nang}": "ạ"
    };
  }

  var keyboard = new Keyboard(document.getElementById("keyboard"), {
    layout: layout,
    layoutName: "default",
    display: display(),
    buttonTheme: [
      { "class": "mark", buttons: "{sac} {huyen} {hoi} {nga} {nang} ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư" },
      { "class": "action", buttons: "{bksp} {shift} {clear} {done} {telex}" },
      { "class": "wide", buttons: "{space}" }
    ],
    preventMouseDownDefault: true,
    onKeyPress: press
  });

  function press(button) {
    if (!target) return;
    var value = target.value;
    if (button === "{shift}") { setShift(!shifted); return; }
    if (button === "{done}") { close(); return; }
    if (button === "{telex}") { telexOn = !telexOn; keyboard.setOptions({ display: display() }); return; }
    if (button === "{bksp}") value = Array.from(value).slice(0, -1).join("");
    else if (button === "{clear}") value = "";
    else if (button === "{space}") value += " ";
    else if (TONE_BUTTONS[button]) value = window.Telex.tone(value, TONE_BUTTONS[button]);
    else if (target.dataset.keyboard === "numeric" || !telexOn || !window.Telex) value += button;
    else value = window.Telex.type(value, button);
    if (target.maxLength > 0) value = Array.from(value).slice(0, target.maxLength).join("");
    target.value = value;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    if (shifted && button.length === 1) setShift(false);
  }

  function setShift(on) {
    shifted = on;
    keyboard.setOptions({ layoutName: on ? "shift" : "default" });
  }

  function open(field) {
    target = field;
    shifted = false;
    keyboard.setOptions({ layoutName: field.dataset.keyboard === "numeric" ? "numeric" : "default" });
    if (dock.hidden) {
      dock.hidden = false;
      document.body.classList.add("keyboard-open");
    }
    if (!always) field.scrollIntoView({ block: "start" });
  }

  function close() {
    if (always) return;
    dock.hidden = true;  // the room made for it stays, so nothing under a finger moves
    if (target) target.blur();
    target = null;
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.dataset && e.target.dataset.keyboard) open(e.target);
    else if (!dock.contains(e.target)) close();
  });
  // Tapping a key must not take the focus away from the field being typed in.
  dock.addEventListener("mousedown", function (e) { e.preventDefault(); });
  if (always) {
    var first = document.querySelector("[data-keyboard]");
    if (first) { target = first; keyboard.setOptions({ layoutName: first.dataset.keyboard === "numeric" ? "numeric" : "default" }); }
  }
})();

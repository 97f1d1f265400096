/* The on-screen keyboard: simple-keyboard draws the keys; we write into the field being edited,
 * through Telex for text fields. Fields opt in with data-keyboard="text" or "numeric". */
(function () {
  "use strict";
  var dock = document.getElementById("keyboard-dock");
  if (!dock || !window.SimpleKeyboard) return;
  var Keyboard = window.SimpleKeyboard.default || window.SimpleKeyboard;
  var labels = JSON.parse(dock.dataset.labels || "{}");
  var telexButton = document.getElementById("telex-toggle");
  var closeButton = document.getElementById("keyboard-close");
  var TONE_BUTTONS = { "{sac}": "s", "{huyen}": "f", "{hoi}": "r", "{nga}": "x", "{nang}": "j" };
  var telexOn = true, shifted = false, target = null;

  var letters = ["1 2 3 4 5 6 7 8 9 0 {bksp}", "q w e r t y u i o p", "a s d f g h j k l",
                 "{shift} z x c v b n m , . ?", "{space}"];
  var marks = ["{sac} {huyen} {hoi} {nga} {nang}", "ă â đ ê ô ơ ư"];
  var layout = {
    "default": marks.concat(letters),
    "shift": marks.map(upper).concat(letters.map(upper)),
    "numeric": ["1 2 3", "4 5 6", "7 8 9", "{clear} 0 {bksp}"]
  };
  function upper(row) {
    return row.split(" ").map(function (k) { return k.charAt(0) === "{" ? k : k.toUpperCase(); }).join(" ");
  }

  var keyboard = new Keyboard("#keyboard", {
    layout: layout,
    layoutName: "default",
    display: {
      "{bksp}": "⌫ " + (labels.bksp || "Xóa"), "{space}": labels.space || "Dấu cách",
      "{shift}": "⇧ " + (labels.shift || "Chữ hoa"), "{clear}": labels.clear || "Xóa hết",
      "{sac}": "á " + (labels.sac || "sắc"), "{huyen}": "à " + (labels.huyen || "huyền"),
      "{hoi}": "ả " + (labels.hoi || "hỏi"), "{nga}": "ã " + (labels.nga || "ngã"),
      "{nang}": "ạ " + (labels.nang || "nặng")
    },
    buttonTheme: [
      { "class": "mark", buttons: "{sac} {huyen} {hoi} {nga} {nang} ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư" },
      { "class": "action", buttons: "{bksp} {shift} {clear}" },
      { "class": "wide", buttons: "{space}" }
    ],
    preventMouseDownDefault: true,
    onKeyPress: press
  });

  function press(button) {
    if (!target) return;
    var value = target.value;
    if (button === "{shift}") { setShift(!shifted); return; }
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
    if (!dock.classList.contains("always")) field.scrollIntoView({ block: "center" });
  }

  function close() {
    if (dock.classList.contains("always")) return;
    dock.hidden = true;
    document.body.classList.remove("keyboard-open");
    if (target) target.blur();
    target = null;
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.dataset && e.target.dataset.keyboard) open(e.target);
    else if (!dock.contains(e.target)) close();
  });
  // Tapping a key must not take the focus away from the field being typed in.
  dock.addEventListener("mousedown", function (e) { e.preventDefault(); });
  if (closeButton) closeButton.addEventListener("click", close);
  if (telexButton) telexButton.addEventListener("click", function () {
    telexOn = !telexOn;
    telexButton.setAttribute("aria-pressed", String(telexOn));
    telexButton.textContent = telexOn ? telexButton.dataset.on : telexButton.dataset.off;
  });
  if (dock.classList.contains("always")) {
    var first = document.querySelector("[data-keyboard]");
    if (first) { target = first; keyboard.setOptions({ layoutName: first.dataset.keyboard === "numeric" ? "numeric" : "default" }); }
  }
})();

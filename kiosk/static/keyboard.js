/* The on-screen keyboard: simple-keyboard draws the keys; we write into the field being edited,
 * at its cursor, through Telex for text fields. Fields opt in with data-keyboard="text" or
 * "numeric". A tone key with no vowel before it waits (lit) for the next vowel; "Undo" takes
 * back the last Telex change and types the rest of that word as plain letters ("wifi"). */
(function () {
  "use strict";
  var dock = document.getElementById("keyboard-dock");
  if (!dock || !window.SimpleKeyboard) return;
  var Keyboard = window.SimpleKeyboard.default || window.SimpleKeyboard;
  var labels = JSON.parse(dock.dataset.labels || "{}");
  var always = dock.classList.contains("always");
  var TONE_BUTTONS = { "{sac}": "s", "{huyen}": "f", "{hoi}": "r", "{nga}": "x", "{nang}": "j" };
  var telexOn = true, shifted = false, target = null;
  var pendingTone = null;  // a tone key pressed before any vowel: put on the next vowel
  var undo = null;         // {before, after}: the text had the last key been a plain letter
  var plainWord = false;   // after an undo, the rest of the word is typed as it is

  var letters = ["1 2 3 4 5 6 7 8 9 0 {bksp}", "q w e r t y u i o p", "a s d f g h j k l",
                 "{shift} z x c v b n m , . ?", "{telex} {undo} {left} {space} {right} {done}"];
  var marks = "{sac} {huyen} {hoi} {nga} {nang} ă â đ ê ô ơ ư";
  var layout = {
    "default": [marks].concat(letters),
    "shift": [upper(marks)].concat(letters.map(upper)),
    "numeric": ["1 2 3", "4 5 6", "7 8 9", always ? "{clear} 0 {bksp}" : "{clear} 0 {bksp} {done}"]
  };
  function upper(row) {
    return row.split(" ").map(function (k) { return k.charAt(0) === "{" ? k : k.toUpperCase(); }).join(" ");
  }
  function label(name, fallback) { return labels[name] || fallback; }
  function display() {
    return {
      "{bksp}": "⌫ " + label("bksp", "Xóa"), "{space}": label("space", "Dấu cách"),
      "{shift}": "⇧ " + label("shift", "Chữ hoa"), "{clear}": label("clear", "Xóa hết"),
      "{done}": "✓ " + label("done", "Xong"),
      "{telex}": telexOn ? label("telex_on", "Gõ dấu: bật") : label("telex_off", "Gõ dấu: tắt"),
      "{undo}": "↶ " + label("undo", "Bỏ dấu vừa gõ"), "{left}": "◀", "{right}": "▶",
      // Marks, with their names: they are not letters and do nothing alone.
      "{sac}": "´ " + label("sac", "sắc"), "{huyen}": "` " + label("huyen", "huyền"),
      "{hoi}": "ˀ " + label("hoi", "hỏi"), "{nga}": "~ " + label("nga", "ngã"),
      "{nang}": ". " + label("nang", "nặng")
    };
  }

  var keyboard = new Keyboard(document.getElementById("keyboard"), {
    layout: layout,
    layoutName: "default",
    display: display(),
    buttonTheme: theme(),
    preventMouseDownDefault: true,
    onKeyPress: press
  });

  function theme() {
    var list = [
      { "class": "mark", buttons: "{sac} {huyen} {hoi} {nga} {nang} ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư" },
      { "class": "action", buttons: "{bksp} {shift} {clear} {done} {telex} {undo} {left} {right}" },
      { "class": "wide", buttons: "{space}" }
    ];
    if (pendingTone) list.push({ "class": "pending", buttons: pendingTone });
    return list;
  }

  function setPending(button) {
    pendingTone = button;
    keyboard.setOptions({ buttonTheme: theme() });
  }

  // The text before and after the cursor (the whole text when the field has no cursor).
  function around(field) {
    var chars = Array.from(field.value);
    var at = document.activeElement !== field || field.selectionStart == null ? chars.length
      : Array.from(field.value.slice(0, field.selectionStart)).length;
    return { before: chars.slice(0, at).join(""), after: chars.slice(at).join("") };
  }

  function typeLetter(before, button) {
    var plain = before + button;
    if (target.dataset.keyboard === "numeric" || !telexOn || !window.Telex || plainWord) return plain;
    var typed = window.Telex.type(before, button);
    if (pendingTone && /[aeiouy]$/i.test(plain)) {
      typed = window.Telex.tone(typed, TONE_BUTTONS[pendingTone]);
      setPending(null);
    }
    undo = typed !== plain ? { plain: plain } : null;
    return typed;
  }

  function edit(button, before) {
    if (button === "{bksp}") return Array.from(before).slice(0, -1).join("");
    if (button === "{space}") { plainWord = false; return before + " "; }
    if (button === "{undo}") { plainWord = true; return undo ? undo.plain : before; }
    if (TONE_BUTTONS[button]) {
      if (!hasVowel(before)) setPending(pendingTone === button ? null : button);
      return window.Telex.tone(before, TONE_BUTTONS[button]);
    }
    if (!isLetter(button)) plainWord = false;
    return typeLetter(before, button);
  }

  function isLetter(button) { return button.length === 1 && /\p{L}/u.test(button); }
  // Whether the word before the cursor has a vowel to carry a tone.
  function hasVowel(text) { return /[aeiouy]/i.test(text.match(/\p{L}*$/u)[0].normalize("NFD")); }

  function press(button) {
    if (!target) return;
    if (button === "{shift}") { setShift(!shifted); return; }
    if (button === "{done}") { close(); return; }
    if (button === "{telex}") { telexOn = !telexOn; keyboard.setOptions({ display: display() }); return; }
    if (button === "{left}" || button === "{right}") { moveCursor(button === "{left}" ? -1 : 1); return; }
    var parts = around(target), lastUndo = undo;
    if (button === "{clear}") parts = { before: "", after: "" };
    else parts.before = edit(button, parts.before);
    if (undo === lastUndo) undo = null;  // only the very last change can be taken back
    if (pendingTone && !TONE_BUTTONS[button] && !isLetter(button)) setPending(null);
    var before = parts.before;
    if (target.maxLength > 0) before = Array.from(before).slice(0, Math.max(0, target.maxLength - Array.from(parts.after).length)).join("");
    target.value = before + parts.after;
    target.setSelectionRange(before.length, before.length);
    target.dispatchEvent(new Event("input", { bubbles: true }));
    if (shifted && button.length === 1) setShift(false);
  }

  function moveCursor(step) {
    var at = Math.max(0, Math.min(target.value.length, target.selectionStart + step));
    target.setSelectionRange(at, at);
    undo = null;
    plainWord = false;
    setPending(null);
  }

  function setShift(on) {
    shifted = on;
    keyboard.setOptions({ layoutName: on ? "shift" : "default" });
  }

  function open(field) {
    target = field;
    shifted = false;
    undo = null;
    keyboard.setOptions({ layoutName: field.dataset.keyboard === "numeric" ? "numeric" : "default" });
    if (dock.hidden) {
      dock.hidden = false;
      document.body.classList.add("keyboard-open");
    }
    // <main> leaves room for the keys, so the field scrolls into view above them.
    document.body.style.setProperty("--dock-height", dock.offsetHeight + "px");
    if (!always) field.scrollIntoView({ block: "start" });
  }

  function close() {
    if (always) return;
    dock.hidden = true;
    document.body.classList.remove("keyboard-open");
    if (target) target.blur();
    target = null;
    setPending(null);
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.dataset && e.target.dataset.keyboard) open(e.target);
    else if (!dock.contains(e.target)) close();
  });
  // A tap in the text moves the cursor there: what comes next is typed there.
  document.addEventListener("pointerup", function (e) {
    if (e.target === target) { undo = null; plainWord = false; }
  });
  // A key acts on touch-down; when it hides the keys ("Done"), the click that ends the same
  // touch would land on what they uncover (a "Next" button): that click is dropped.
  var touchOnKeys = false;
  document.addEventListener("pointerdown", function (e) { touchOnKeys = dock.contains(e.target); }, true);
  document.addEventListener("click", function (e) {
    if (touchOnKeys && !dock.contains(e.target)) {
      e.preventDefault();
      e.stopPropagation();
    }
    touchOnKeys = false;
  }, true);
  // Tapping a key must not take the focus away from the field being typed in.
  dock.addEventListener("mousedown", function (e) { e.preventDefault(); });
  if (always) {
    var first = document.querySelector("[data-keyboard]");
    if (first) { target = first; keyboard.setOptions({ layoutName: first.dataset.keyboard === "numeric" ? "numeric" : "default" }); }
  }
})();

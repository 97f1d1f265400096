/* Telex: typing Vietnamese with a plain keyboard, as Vietnamese learn it at school.
 *   aa → â   aw → ă   ee → ê   oo → ô   ow → ơ   uw → ư   uow → ươ   dd → đ   w → ư
 *   s → sắc (á)   f → huyền (à)   r → hỏi (ả)   x → ngã (ã)   j → nặng (ạ)   z removes the tone
 * Typing the same mark twice takes it back (“as” + “s” → “ass”).
 * Each letter is handled as base + shape mark + tone mark (Unicode NFD), then recomposed (NFC).
 */
(function () {
  "use strict";

  var TONES = { s: "\u0301", f: "\u0300", r: "\u0309", x: "\u0303", j: "\u0323" };
  var TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323";
  var HAT = "\u0302", BREVE = "\u0306", HORN = "\u031B";
  var VOWELS = "aeiouy";
  var LETTER = /\p{L}/u;

  function parts(ch) {
    var d = ch.normalize("NFD"), p = { base: d[0], shape: "", tone: "" };
    for (var i = 1; i < d.length; i++) {
      if (TONE_MARKS.indexOf(d[i]) >= 0) p.tone = d[i]; else p.shape = d[i];
    }
    return p;
  }
  function compose(p) { return (p.base + p.shape + p.tone).normalize("NFC"); }
  function isVowel(ch) { return VOWELS.indexOf(parts(ch).base.toLowerCase()) >= 0; }
  function lower(word) { return word.join("").toLowerCase(); }

  // Indices of the word's last run of vowels; the u of "qu" and the i of "gi" are consonants.
  function vowelGroup(word) {
    var end = word.length - 1;
    while (end >= 0 && !isVowel(word[end])) end--;
    if (end < 0) return [];
    var start = end;
    while (start > 0 && isVowel(word[start - 1])) start--;
    var head = lower(word.slice(0, 2));
    if (start === 1 && end > 1 && (head === "qu" || head === "gi")) start = 2;
    var group = [];
    for (var i = start; i <= end; i++) group.push(i);
    return group;
  }

  // Where the tone goes: on a shaped vowel (ê, ơ…); else the only vowel; else the last vowel
  // when a consonant follows; else the middle of three or the first of two (hòa, thủy).
  function tonePosition(word, group) {
    if (!group.length) return -1;
    for (var i = group.length - 1; i >= 0; i--) {
      if (parts(word[group[i]]).shape) return group[i];
    }
    if (group.length === 1) return group[0];
    if (group[group.length - 1] < word.length - 1) return group[group.length - 1];
    return group.length === 3 ? group[1] : group[0];
  }

  function currentTone(word) {
    for (var i = 0; i < word.length; i++) { var t = parts(word[i]).tone; if (t) return t; }
    return "";
  }

  function withTone(word, tone) {
    var bare = word.map(function (ch) { var p = parts(ch); p.tone = ""; return compose(p); });
    var at = tonePosition(bare, vowelGroup(bare));
    if (tone && at >= 0) { var p = parts(bare[at]); p.tone = tone; bare[at] = compose(p); }
    return bare;
  }

  function setShape(word, index, shape) {
    var p = parts(word[index]); p.shape = shape; word[index] = compose(p);
    return withTone(word, currentTone(word));
  }

  function toneKey(word, tone, key) {
    if (!vowelGroup(word).length) return null;
    var had = currentTone(word);
    if (!tone && !had) return null;
    if (tone && had === tone) return withTone(word, "").concat([key]);
    return withTone(word, tone);
  }

  function dKey(word, key) {
    var last = word.length - 1;
    if (word[last] === "d" || word[last] === "D") { word[last] = word[last] === "D" ? "Đ" : "đ"; return word; }
    if (word[last] === "đ" || word[last] === "Đ") { word[last] = word[last] === "Đ" ? "D" : "d"; return word.concat([key]); }
    if ((word[0] === "d" || word[0] === "D") && vowelGroup(word).length) { word[0] = word[0] === "D" ? "Đ" : "đ"; return word; }
    return null;
  }

  function hatKey(word, vowel, key) {
    var group = vowelGroup(word);
    for (var i = group.length - 1; i >= 0; i--) {
      var p = parts(word[group[i]]);
      if (p.base.toLowerCase() !== vowel) continue;
      if (!p.shape) return setShape(word, group[i], HAT);
      if (p.shape === HAT && group[i] === word.length - 1) return setShape(word, group[i], "").concat([key]);
      return null;
    }
    return null;
  }

  function wKey(word, key) {
    if (!vowelGroup(word).length) return word.concat([key === "W" ? "Ư" : "ư"]);  // thw → thư
    var group = vowelGroup(word), text = group.map(function (i) { return parts(word[i]).base.toLowerCase(); }).join("");
    var uo = text.indexOf("uo");
    if (uo >= 0 && !parts(word[group[uo]]).shape) {
      setShape(word, group[uo], HORN);
      return setShape(word, group[uo + 1], HORN);
    }
    for (var i = group.length - 1; i >= 0; i--) {
      var p = parts(word[group[i]]), base = p.base.toLowerCase();
      var shape = base === "a" ? BREVE : (base === "o" || base === "u") ? HORN : null;
      if (!shape) continue;
      if (!p.shape) return setShape(word, group[i], shape);
      if (p.shape === shape && group[i] === word.length - 1) return setShape(word, group[i], "").concat([key]);
      return null;
    }
    return null;
  }

  function splitWord(text) {
    var chars = Array.from(text), start = chars.length;
    while (start > 0 && LETTER.test(chars[start - 1])) start--;
    return { head: chars.slice(0, start).join(""), word: chars.slice(start) };
  }

  /** The text after typing one key, with Telex applied to the word being typed. */
  function type(text, key) {
    var s = splitWord(text), k = key.toLowerCase(), word = s.word, out = null;
    if (key.length !== 1) return text + key;
    if (!word.length) return k === "w" ? text + (key === "W" ? "Ư" : "ư") : text + key;
    if (TONES[k]) out = toneKey(word, TONES[k], key);
    else if (k === "z") out = toneKey(word, "", key);
    else if (k === "d") out = dKey(word, key);
    else if (k === "a" || k === "e" || k === "o") out = hatKey(word, k, key);
    else if (k === "w") out = wKey(word, key);
    return s.head + (out ? out.join("") : word.join("") + key);
  }

  /** The text with a tone (s, f, r, x, j or z) put on the last word, from the tone buttons. */
  function tone(text, toneLetter) {
    var s = splitWord(text);
    if (!s.word.length || !vowelGroup(s.word).length) return text;
    return s.head + withTone(s.word, TONES[toneLetter] || "").join("");
  }

  /** Type a whole sequence of keys (for tests and examples). */
  function typeAll(keys) {
    return Array.from(keys).reduce(type, "");
  }

  window.Telex = { type: type, tone: tone, typeAll: typeAll };
})();

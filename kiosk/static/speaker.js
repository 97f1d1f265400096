/* The kiosk speaks: the speaker button plays this screen's recorded prompt.
 * Its language: a prompts-only language the resident chose on the home screen (Thái, H'Mông…),
 * else the kiosk's own (Vietnamese or English). The home screen starts each visit afresh.
 */
(function () {
  "use strict";
  var KEY = "nghedan.promptLanguage";
  var button = document.querySelector("[data-speaker]");
  var audio = document.querySelector("[data-speaker-audio]");
  var prompts = button ? JSON.parse(button.dataset.prompts) : {};
  var onHome = document.body.classList.contains("home");
  if (onHome) sessionStorage.removeItem(KEY);

  function chosen() {
    var language = sessionStorage.getItem(KEY);
    if (language && prompts[language]) return language;
    var own = document.documentElement.lang;
    return prompts[own] ? own : null;
  }

  function play(language) {
    if (!audio || !prompts[language]) return;
    audio.src = prompts[language];
    audio.currentTime = 0;
    audio.play();
  }

  function refresh() { if (button) button.hidden = !chosen(); }

  if (button) button.addEventListener("click", function () { play(chosen()); });
  document.querySelectorAll("[data-prompt-language]").forEach(function (choice) {
    choice.addEventListener("click", function () {
      sessionStorage.setItem(KEY, choice.dataset.promptLanguage);
      document.querySelectorAll("[data-prompt-language]").forEach(function (c) {
        c.classList.toggle("chosen", c === choice);
      });
      refresh();
      play(choice.dataset.promptLanguage);
    });
  });
  refresh();
})();

/* A spoken item's player: the speed buttons (1x, 1.25x, 1.5x) set how fast it plays. */
(function () {
  "use strict";
  document.querySelectorAll("[data-player]").forEach(function (player) {
    var audio = player.querySelector("audio");
    player.querySelectorAll("[data-speed]").forEach(function (button) {
      button.addEventListener("click", function () {
        audio.playbackRate = Number(button.dataset.speed);
        player.querySelectorAll("[data-speed]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
      });
    });
  });
})();

/* "Nói ý kiến": the resident speaks the opinion instead of typing it.
 *  - the button shows only when the kiosk has a microphone and a recorder for Opus;
 *  - recording shows a timer and a level meter and stops by itself at the limit;
 *  - the recording can be heard again, recorded again, or dropped for typing;
 *  - a kept recording rides in the form's file field, and the form goes to the spoken-opinion
 *    address: kiosk.js sends it (once, and again by itself when the server can't be reached).
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-voice]");
  if (!box || !window.MediaRecorder || !navigator.mediaDevices) return;
  var form = box.closest("form");
  var typedAction = form.getAttribute("action");
  var text = form.querySelector("textarea[name=text]");
  var maxSeconds = Number(box.dataset.maxSeconds || 120);
  var mimeType = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"].filter(function (t) {
    return MediaRecorder.isTypeSupported(t);
  })[0];
  var el = function (name) { return box.querySelector("[data-voice-" + name + "]"); };
  var startButton = el("start"), panel = el("panel"), audio = el("audio"), fileField = el("file");
  var recorder = null, stream = null, chunks = [], started = 0, ticker = null, meter = null, audioUrl = null;

  if (!mimeType) return;
  navigator.mediaDevices.enumerateDevices().then(function (devices) {
    if (devices.some(function (d) { return d.kind === "audioinput"; })) box.hidden = false;
  });

  function show(name, visible) { el(name).hidden = !visible; }
  function say(which) {
    box.querySelectorAll("[data-voice-say]").forEach(function (s) { s.hidden = s.dataset.voiceSay !== which; });
  }
  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function refused() {
    startButton.hidden = true;
    panel.hidden = true;
    show("refused", true);
  }

  function start() {
    if (recorder) return;  // a second tap while the microphone opens starts nothing more
    recorder = "opening";
    navigator.mediaDevices.getUserMedia({ audio: true }).then(record, function () {
      recorder = null;
      refused();
    });
  }

  function record(opened) {
    stream = opened;
    chunks = [];
    recorder = new MediaRecorder(stream, { mimeType: mimeType, audioBitsPerSecond: 24000 });
    recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
    recorder.onstop = keep;
    recorder.start(1000);
    started = Date.now();
    startButton.hidden = true;
    panel.hidden = false;
    form.classList.add("speaking");  // the text box steps aside while the resident speaks
    show("level-box", true);
    say("recording");
    ["play", "again", "drop"].forEach(function (n) { show(n, false); });
    show("stop", true);
    ticker = setInterval(tick, 250);
    meter = levelMeter(stream);
  }

  function tick() {
    var seconds = (Date.now() - started) / 1000;
    el("time").textContent = clock(Math.min(seconds, maxSeconds));
    if (seconds >= maxSeconds) stop();
  }

  function stop() {
    if (!recorder || recorder === "opening" || recorder.state !== "recording") return;
    clearInterval(ticker);
    recorder.stop();
  }

  // Keep what was said: a file in the form, and the form goes to the spoken-opinion address.
  function keep() {
    stream.getTracks().forEach(function (t) { t.stop(); });
    if (meter) meter.close();
    show("level-box", false);
    recorder = null;
    var blob = new Blob(chunks, { type: mimeType.split(";")[0] });
    var name = "y-kien" + (mimeType.indexOf("ogg") >= 0 ? ".ogg" : ".webm");
    var files = new DataTransfer();
    files.items.add(new File([blob], name, { type: blob.type }));
    fileField.files = files.files;
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(blob);
    audio.src = audioUrl;
    form.setAttribute("action", box.dataset.action);
    form.setAttribute("enctype", "multipart/form-data");
    if (text && text.dataset.required) {  // spoken: the text box may stay empty
      text.dataset.requiredWhenTyped = text.dataset.required;
      delete text.dataset.required;
    }
    box.classList.add("recorded");
    say("done");
    show("stop", false);
    ["play", "again", "drop"].forEach(function (n) { show(n, true); });
  }

  function drop() {
    audio.pause();
    fileField.value = "";
    form.setAttribute("action", typedAction);
    if (text && text.dataset.requiredWhenTyped) text.dataset.required = text.dataset.requiredWhenTyped;
    box.classList.remove("recorded");
    form.classList.remove("speaking");
    panel.hidden = true;
    startButton.hidden = false;
    el("time").textContent = "0:00";
  }

  function levelMeter(source) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    var context = new Context(), analyser = context.createAnalyser(), samples = new Uint8Array(512);
    analyser.fftSize = 512;
    context.createMediaStreamSource(source).connect(analyser);
    var frame = null;
    (function draw() {
      analyser.getByteTimeDomainData(samples);
      var peak = 0;
      for (var i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] - 128));
      el("level").style.width = Math.min(100, Math.round(peak / 128 * 160)) + "%";
      frame = requestAnimationFrame(draw);
    })();
    return { close: function () { cancelAnimationFrame(frame); context.close(); } };
  }

  startButton.addEventListener("click", start);
  el("stop").addEventListener("click", stop);
  el("play").addEventListener("click", function () { audio.currentTime = 0; audio.play(); });
  el("again").addEventListener("click", function () { drop(); start(); });
  el("drop").addEventListener("click", drop);
  // Back from the receipt (the browser's page cache): the form is cleared, so is the recording.
  window.addEventListener("pageshow", function (e) { if (e.persisted && box.classList.contains("recorded")) drop(); });
})();

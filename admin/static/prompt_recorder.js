/* Recording a kiosk prompt in the browser: the recording goes into the form's file field,
 * to be heard and then saved like an uploaded file. */
(function () {
  "use strict";
  var form = document.querySelector("[data-prompt-form]");
  if (!form || !window.MediaRecorder || !navigator.mediaDevices) return;
  var start = form.querySelector("[data-prompt-record]"), stop = form.querySelector("[data-prompt-stop]");
  var preview = form.querySelector("[data-prompt-preview]"), field = form.querySelector("#prompt-file");
  var time = form.querySelector("[data-prompt-time]");
  var type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"].filter(function (t) {
    return MediaRecorder.isTypeSupported(t);
  })[0];
  if (!type) return;
  start.hidden = false;
  var recorder = null, chunks = [], began = 0, ticker = null;

  start.addEventListener("click", function () {
    if (recorder) return;
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 32000 });
      recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        clearInterval(ticker);
        var blob = new Blob(chunks, { type: type.split(";")[0] });
        var files = new DataTransfer();
        files.items.add(new File([blob], type.indexOf("ogg") >= 0 ? "loi-nhac.ogg" : "loi-nhac.webm", { type: blob.type }));
        field.files = files.files;
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        recorder = null;
        start.hidden = false;
        stop.hidden = true;
      };
      recorder.start(1000);
      began = Date.now();
      ticker = setInterval(function () { time.textContent = Math.floor((Date.now() - began) / 1000) + " s"; }, 250);
      start.hidden = true;
      stop.hidden = false;
    }, function () { start.hidden = true; });
  });
  stop.addEventListener("click", function () { if (recorder) recorder.stop(); });
})();

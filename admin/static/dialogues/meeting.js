// Meeting mode: save the answer while it is typed, so closing the laptop loses nothing.
(function () {
  "use strict";
  var box = document.getElementById("answer");
  var state = document.getElementById("save-state");
  if (!box || box.readOnly || !box.dataset.saveUrl) { return; }
  var form = box.form;
  var token = form.querySelector("input[name=csrf_token]").value;
  var timer = null;
  var lastSaved = box.value;
  var inFlight = false;

  function show(text, failed) {
    state.textContent = text;
    state.classList.toggle("failed", !!failed);
  }

  function payload() {
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("answer", box.value);
    return data;
  }

  function save() {
    timer = null;
    if (box.value === lastSaved || inFlight) { return; }
    var sent = box.value;
    inFlight = true;
    show(box.dataset.saving);
    fetch(box.dataset.saveUrl, { method: "POST", body: payload(), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        lastSaved = sent;
        show(box.dataset.saved);
      })
      .catch(function () { show(box.dataset.failed, true); })
      .then(function () {
        inFlight = false;
        if (box.value !== lastSaved) { schedule(); }
      });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 500);
  }

  box.addEventListener("input", schedule);
  box.addEventListener("blur", save);
  // Leaving or hiding the page (lid closed, tab switched): send what is unsaved.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && box.value !== lastSaved) {
      navigator.sendBeacon(box.dataset.saveUrl, payload());
      lastSaved = box.value;
    }
  });
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); }
    lastSaved = box.value;  // the answer goes with the outcome
  });
})();

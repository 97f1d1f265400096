// Meeting mode: save the answer while it is typed, so closing the laptop loses nothing.
// Each keystroke also lands in this browser's storage, so an answer typed while the
// cultural house's connection is down is kept and sent once the server answers again.
(function () {
  "use strict";
  var box = document.getElementById("answer");
  var state = document.getElementById("save-state");
  if (!box || box.readOnly || !box.dataset.saveUrl) { return; }
  var form = box.form;
  var token = form.querySelector("input[name=csrf_token]").value;
  var draftKey = "nghedan-answer:" + box.dataset.saveUrl;
  var timer = null;
  var lastSaved = box.value;
  var lastRefused = null;
  var inFlight = false;
  var RETRY_MS = 4000;

  function show(text, failed) {
    state.textContent = text;
    state.classList.toggle("failed", !!failed);
  }

  function keepDraft() {
    try { localStorage.setItem(draftKey, box.value); } catch (e) { /* storage full or off */ }
  }

  function dropDraft() {
    try { localStorage.removeItem(draftKey); } catch (e) { /* nothing to drop */ }
  }

  function payload() {
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("answer", box.value);
    return data;
  }

  // The server refused this text ({"error": …}, 422: too long, the notice already issued…):
  // sending it again would be refused again, so the message stays until the answer changes.
  function refused(sent, body) {
    lastRefused = sent;
    show((body && body.error) || box.dataset.failed, true);
  }

  function unsent() {
    return box.value !== lastSaved && box.value !== lastRefused;
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function save() {
    timer = null;
    if (!unsent() || inFlight) { return; }
    var sent = box.value;
    inFlight = true;
    show(box.dataset.saving);
    fetch(box.dataset.saveUrl, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status === 422) {
          return response.json().then(function (body) { refused(sent, body); });
        }
        if (!response.ok) { throw new Error(response.status); }
        lastSaved = sent;
        if (box.value === sent) { dropDraft(); }
        show(box.dataset.saved);
      })
      .catch(function () {
        show(box.dataset.failed, true);
        schedule(RETRY_MS);
      })
      .then(function () {
        inFlight = false;
        if (unsent() && !timer) { schedule(500); }
      });
  }

  // A draft left from a session that could not reach the server: put it back and send it.
  var draft = null;
  try { draft = localStorage.getItem(draftKey); } catch (e) { draft = null; }
  if (draft !== null && draft !== box.value) {
    box.value = draft;
    schedule(0);
  } else if (draft !== null) {
    dropDraft();
  }

  box.addEventListener("input", function () {
    keepDraft();
    schedule(500);
  });
  box.addEventListener("blur", function () { schedule(0); });
  // Leaving or hiding the page (lid closed, tab switched): send what is unsaved.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && unsent()) {
      navigator.sendBeacon(box.dataset.saveUrl, payload());
    }
  });
  form.addEventListener("submit", function () {
    // The answer goes with the outcome; the draft stays until the server has it (next load).
    if (timer) { clearTimeout(timer); }
  });
})();

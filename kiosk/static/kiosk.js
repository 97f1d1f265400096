/* The kiosk's behaviour on top of plain links and forms:
 *  - idle: after KIOSK_IDLE_SECONDS without a touch, a countdown, then back to the start with
 *    every field cleared (the next resident never sees the last one's text);
 *  - sending: a form is sent once (a double tap sends nothing more); when the server can't be
 *    reached the page says so, keeps what was typed and tries again by itself;
 *  - links: checked before leaving, so a lost connection never shows the browser's error page.
 */
(function () {
  "use strict";
  var data = document.body.dataset;
  var idleMs = Number(data.idleSeconds || 60) * 1000;
  var countdownSeconds = Number(data.countdownSeconds || 10);
  var retryMs = Number(data.retrySeconds || 5) * 1000;
  var idleBox = document.getElementById("idle");
  var idleCount = document.getElementById("idle-count");
  var offline = document.getElementById("offline");
  var onHomeInVietnamese = document.body.classList.contains("home") && document.documentElement.lang === "vi";
  var idleTimer = null, countdownTimer = null, retryTimer = null, leaveTimer = null, pending = null;

  // --- idle reset ---------------------------------------------------------------------------
  function armIdle() {
    clearTimeout(leaveTimer);  // someone is here again: stay, don't leave when the server is back
    clearTimeout(idleTimer);
    clearInterval(countdownTimer);
    if (idleBox) idleBox.hidden = true;
    if (!onHomeInVietnamese && idleMs > 0) idleTimer = setTimeout(startCountdown, idleMs);
  }

  function startCountdown() {
    var left = countdownSeconds;
    idleCount.textContent = left;
    idleBox.hidden = false;
    countdownTimer = setInterval(function () {
      left -= 1;
      idleCount.textContent = Math.max(left, 0);
      if (left <= 0) resetScreen();
    }, 1000);
  }

  function clearFields() {
    document.querySelectorAll("form").forEach(function (form) { form.reset(); });
    document.querySelectorAll("textarea, input[type=text]").forEach(function (f) { f.value = ""; });
  }

  function resetScreen() {
    clearInterval(countdownTimer);
    clearTimeout(retryTimer);
    pending = null;
    clearFields();
    idleBox.hidden = true;
    go(data.resetUrl, true);
  }

  ["pointerdown", "keydown", "input"].forEach(function (name) {
    document.addEventListener(name, armIdle, { capture: true, passive: true });
  });
  if (document.getElementById("idle-stay")) {
    document.getElementById("idle-stay").addEventListener("click", armIdle);
  }

  // --- the offline notice -------------------------------------------------------------------
  function showOffline(kind) {
    offline.classList.remove("sending", "nav");
    offline.classList.add(kind);
    offline.hidden = false;
  }

  // --- links: leave only when the server answers ----------------------------------------------
  function go(url, keepTrying) {
    fetch(data.healthUrl, { cache: "no-store" })
      .then(function (res) {
        if (!res.ok) throw new Error("unhealthy");
        location.assign(url);
      })
      .catch(function () {
        showOffline("nav");
        if (keepTrying) leaveTimer = setTimeout(function () { go(url, true); }, retryMs);
      });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-nav]");
    if (link) { e.preventDefault(); go(link.href, false); return; }
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  // --- a form in steps (one screen each), checked here in plain Vietnamese ---------------------
  // The browser's own checks are off (novalidate): they speak the browser's language.
  function steps(form) { return Array.prototype.slice.call(form.querySelectorAll(".step")); }

  function showStep(form, step) {
    steps(form).forEach(function (s) { s.hidden = s !== step; });
    setError(form, null);
    window.scrollTo(0, 0);
  }

  function missing(step) {
    var fields = step.querySelectorAll("[data-required]");
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value.trim()) return fields[i];
    }
    return null;
  }

  function setError(form, field) {
    var box = form.querySelector("#form-error");
    form.querySelectorAll(".invalid").forEach(function (f) { f.classList.remove("invalid"); });
    if (!box) return;
    box.hidden = !field;
    if (field) {
      box.textContent = field.dataset.required;
      field.classList.add("invalid");
    }
  }

  // The first step with a required field left empty: shown, with the message; else null.
  function firstProblem(form, upTo) {
    var all = steps(form);
    for (var i = 0; i <= all.indexOf(upTo); i++) {
      var field = missing(all[i]);
      if (field) { showStep(form, all[i]); setError(form, field); return field; }
    }
    return null;
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-next], [data-back]");
    if (!button) return;
    var form = button.form, step = button.closest(".step"), all = steps(form);
    var to = all[all.indexOf(step) + (button.hasAttribute("data-next") ? 1 : -1)];
    if (button.hasAttribute("data-next") && firstProblem(form, step)) return;
    if (to) showStep(form, to);
  });

  document.addEventListener("change", function (e) {
    if (e.target.name !== "legal_type") return;
    document.querySelectorAll("[data-for-kind]").forEach(function (el) {
      el.hidden = el.dataset.forKind.split(" ").indexOf(e.target.value) < 0;
    });
  });

  document.addEventListener("input", function (e) {
    var form = e.target.form;
    if (form && e.target.classList.contains("invalid") && e.target.value.trim()) setError(form, null);
  });

  // --- forms ----------------------------------------------------------------------------------
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-steps") && !form.dataset.native) {
      var all = steps(form);
      if (all.length && firstProblem(form, all[all.length - 1])) { e.preventDefault(); return; }
    }
    if (form.hasAttribute("data-nav-form")) {
      e.preventDefault();
      go(form.action + "?" + new URLSearchParams(new FormData(form)).toString(), false);
      return;
    }
    if (!form.hasAttribute("data-send") || form.dataset.native) return;
    e.preventDefault();
    if (pending && pending.form === form) {
      if (pending.waiting) { clearTimeout(retryTimer); send(form, pending.submitter, false); }
      return;  // already on its way: a second tap sends nothing more
    }
    send(form, e.submitter, false);
  });

  function send(form, submitter, csrfRenewed) {
    pending = { form: form, submitter: submitter, waiting: false };
    var body = submitter ? new FormData(form, submitter) : new FormData(form);
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 400 && res.headers.get("X-Kiosk-Csrf") && !csrfRenewed) {
          return renewCsrf(form).then(function () { send(form, submitter, true); });
        }
        if (res.redirected) { location.replace(res.url); return; }
        // Something to correct (a page with a message): let the browser post and show it.
        pending = null;
        form.dataset.native = "1";
        if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
      })
      .catch(function () {
        if (!pending || pending.form !== form) return;  // the idle reset cleared it meanwhile
        pending.waiting = true;
        showOffline("sending");
        retryTimer = setTimeout(function () { send(form, submitter, csrfRenewed); }, retryMs);
      });
  }

  function renewCsrf(form) {
    return fetch(data.csrfUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (json) { form.querySelector("input[name=csrf_token]").value = json.csrf_token; });
  }

  // --- a list longer than its box says so (a resident may not know that it scrolls) -------------
  function showScrollHints() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (hint) {
      var list = hint.previousElementSibling;
      hint.hidden = !list || list.scrollHeight <= list.clientHeight + 1;
    });
  }
  document.addEventListener("click", function () { setTimeout(showScrollHints, 0); });
  window.addEventListener("resize", showScrollHints);
  showScrollHints();

  // --- the thank-you page goes back by itself ---------------------------------------------------
  if (data.returnSeconds) {
    setTimeout(function () { go(data.resetUrl, true); }, Number(data.returnSeconds) * 1000);
  }

  window.addEventListener("pageshow", function (e) { if (e.persisted) clearFields(); });
  armIdle();
})();

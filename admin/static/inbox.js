/* Keyboard shortcuts of the inbox (shown under the list). Plain ES5, no library. */
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#inbox tbody tr[data-href]"));
  var current = -1;

  function mark(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rows[current].focus();
    rows[current].scrollIntoView({block: "nearest"});
  }

  function toggleSelected() {
    var box = current >= 0 && rows[current].querySelector("input[type=checkbox]");
    if (box) { box.checked = !box.checked; }
  }

  function chooseAction(action, field) {
    var select = document.getElementById("bulk-action");
    if (!select) { return; }
    if (current >= 0) {
      var box = rows[current].querySelector("input[type=checkbox]");
      if (box) { box.checked = true; }
    }
    select.value = action;
    var target = document.getElementById(field);
    if (target) { target.focus(); }
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.href = link.href; }
  }

  var keys = {
    "j": function () { mark(current + 1); },
    "k": function () { mark(current - 1); },
    "x": toggleSelected,
    "o": function () { if (current >= 0) { window.location.href = rows[current].dataset.href; } },
    "Enter": function () { if (current >= 0) { window.location.href = rows[current].dataset.href; } },
    "c": function () { chooseAction("category", "bulk-category"); },
    "a": function () { chooseAction("dialogue", "bulk-dialogue"); },
    "/": function () { var q = document.getElementById("q"); if (q) { q.focus(); q.select(); } },
    "n": function () { follow("page-older"); },
    "p": function () { follow("page-newer"); }
  };

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || tag === "button") { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (tag === "a" && event.key === "Enter") { return; }
    var handler = keys[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        if (box) { box.checked = all.checked; }
      });
    });
  }
}());

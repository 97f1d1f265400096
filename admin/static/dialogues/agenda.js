// Agenda: drag an item up or down within its category; the ▲▼ buttons do the same without a mouse.
(function () {
  "use strict";
  var root = document.getElementById("agenda-groups");
  if (!root || !root.dataset.orderUrl) { return; }
  var token = root.dataset.csrf;
  var dragged = null;

  function save() {
    var ids = Array.prototype.map.call(root.querySelectorAll("ol.agenda > li"), function (li) {
      return li.dataset.entry;
    });
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("order", ids.join(","));
    fetch(root.dataset.orderUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { if (!response.ok) { window.location.reload(); } })
      .catch(function () { window.location.reload(); });
  }

  Array.prototype.forEach.call(root.querySelectorAll("ol.agenda > li"), function (li) {
    li.draggable = true;
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("dragging");
      dragged = null;
    });
    li.addEventListener("dragover", function (event) {
      if (!dragged || dragged === li || dragged.parentNode !== li.parentNode) { return; }
      event.preventDefault();
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      li.parentNode.insertBefore(dragged, after ? li.nextSibling : li);
    });
    li.addEventListener("drop", function (event) {
      event.preventDefault();
      save();
    });
  });
})();

// Drag a row of the running order to a new place; the new order is saved at once and the page
// reloads to show the new times. The ↑ ↓ buttons do the same without a mouse or a script.
(function () {
  "use strict";
  var table = document.querySelector("table.running-order");
  if (!table) { return; }
  var body = table.tBodies[0];
  var dragged = null;

  body.addEventListener("dragstart", function (e) {
    dragged = e.target.closest("tr");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.slot);
  });
  body.addEventListener("dragover", function (e) {
    var row = e.target.closest("tr");
    if (!dragged || !row || row === dragged) { return; }
    e.preventDefault();
    var after = e.clientY > row.getBoundingClientRect().top + row.offsetHeight / 2;
    body.insertBefore(dragged, after ? row.nextSibling : row);
  });
  body.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!dragged) { return; }
    dragged = null;
    var order = Array.prototype.map.call(body.rows, function (r) { return r.dataset.slot; }).join(",");
    var form = new FormData();
    form.append("order", order);
    form.append("csrf_token", table.dataset.csrf);
    fetch(table.dataset.orderUrl, { method: "POST", body: form, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } window.location.reload(); })
      .catch(function () { window.alert(table.dataset.failed); window.location.reload(); });
  });
}());

// The manager's live view of who has scored what: the counts are fetched again every 5 seconds.
(function () {
  "use strict";
  var table = document.querySelector("table.scoring-status");
  if (!table) { return; }
  var total = Number(table.dataset.total);
  var doneText = document.getElementById("done-text").content.textContent;

  function refresh() {
    fetch(table.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        table.querySelectorAll("[data-cell]").forEach(function (cell) {
          var n = data.cells[cell.dataset.cell] || 0;
          cell.textContent = n === total ? doneText : n + "/" + total;
        });
      })
      .catch(function () { /* try again at the next tick */ });
  }
  window.setInterval(refresh, 5000);
}());

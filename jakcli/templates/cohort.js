(function () {
  "use strict";
  var table = document.getElementById("cohort-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("cohort-filter");
  var level = document.getElementById("cohort-level");
  var count = document.getElementById("cohort-count");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function sortKey(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return numeric ? parseFloat(raw) : raw.toLowerCase();
  }

  headers.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    var numeric = button.getAttribute("data-type") === "number";
    button.addEventListener("click", function () {
      var current = th.getAttribute("aria-sort");
      // Numbers (levels, counts, VAF) start with the largest first; text starts A-Z.
      var ascending = current === "none" ? !numeric : current === "descending";
      headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); } });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var order = rows.map(function (row, i) { return { row: row, key: sortKey(row, col, numeric), i: i }; });
      order.sort(function (a, b) {
        if (a.key < b.key) { return ascending ? -1 : 1; }
        if (a.key > b.key) { return ascending ? 1 : -1; }
        return a.i - b.i;
      });
      order.forEach(function (o) { body.appendChild(o.row); });
    });
  });

  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = level.value;
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var ok = (!wanted || row.getAttribute("data-level") === wanted) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " samples shown";
  }
  filter.addEventListener("input", applyFilter);
  level.addEventListener("change", applyFilter);
})();

// Progressive enhancement only: every list and table is complete without
// JavaScript. With it, problem lists get instant filters and tables sort.
(function () {
  "use strict";
  var T = JSON.parse(document.documentElement.getAttribute("data-ui") || "{}");

  // Filters for each list of problems (ul.problems[data-filter]).
  document.querySelectorAll("ul.problems[data-filter]").forEach(function (list, n) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li.problem"));
    if (items.length < 5) return;
    var fields = [["status", T.status], ["due", T.due], ["category", T.category], ["round", T.round], ["target", T.target]];
    var bar = document.createElement("div");
    bar.className = "filters";
    var selects = [];
    fields.forEach(function (f) {
      var values = {};
      items.forEach(function (li) {
        var v = li.getAttribute("data-" + f[0]);
        if (v) values[v] = li.getAttribute("data-" + f[0] + "-label") || v;
      });
      var keys = Object.keys(values);
      if (keys.length < 2) return;
      var id = "filter-" + n + "-" + f[0];
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = f[1];
      var sel = document.createElement("select");
      sel.id = id;
      sel.setAttribute("data-field", f[0]);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = T.all;
      sel.append(all);
      keys.sort().forEach(function (k) {
        var o = document.createElement("option");
        o.value = k;
        o.textContent = values[k];
        sel.append(o);
      });
      sel.addEventListener("change", apply);
      selects.push(sel);
      var wrap = document.createElement("span");
      wrap.append(label, sel);
      bar.append(wrap);
    });
    if (!selects.length) return;
    var count = document.createElement("p");
    count.setAttribute("role", "status");
    count.className = "filter-count";
    bar.append(count);
    list.parentNode.insertBefore(bar, list);
    function apply() {
      var shown = 0;
      items.forEach(function (li) {
        var ok = selects.every(function (s) { return !s.value || li.getAttribute("data-" + s.getAttribute("data-field")) === s.value; });
        li.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = T.shown.replace("%d", shown).replace("%n", items.length);
    }
  });

  // Sortable tables: a button in each column header.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.append(th.firstChild);
      th.append(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.append(r); });
      });
    });
    function key(cell) {
      var v = cell.getAttribute("data-sort");
      if (v === null) v = cell.textContent.replace(/,/g, "").trim();
      var n = parseFloat(v);
      return isNaN(n) ? v : n;
    }
  });
})();

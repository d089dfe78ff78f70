// Progressive enhancement only: every list and table is complete without
// JavaScript. With it, problem lists get instant filters and tables sort.
(function () {
  "use strict";
  var T = JSON.parse(document.documentElement.getAttribute("data-ui") || "{}");

  // Filters for each list of problems (ul.problems[data-filter]).
  document.querySelectorAll("ul.problems[data-filter]").forEach(function (list, n) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li.problem"));
    if (items.length < 5) return;
    // Labels of status and deadline values, given once for the list; others on each item (data-X-label).
    var labels = JSON.parse(list.getAttribute("data-labels") || "{}");
    var fields = [["status", T.status], ["due", T.due], ["category", T.category], ["round", T.round], ["target", T.target]];
    var bar = document.createElement("div");
    bar.className = "filters";
    var selects = [];
    fields.forEach(function (f) {
      var values = {};
      items.forEach(function (li) {
        var v = li.getAttribute("data-" + f[0]);
        if (v) values[v] = li.getAttribute("data-" + f[0] + "-label") || (labels[f[0]] || {})[v] || v;
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
  // 长辈版 (MIIT 适老化): large type, high contrast, large targets and
  // cursor, one column, no charts. The choice is kept in localStorage, and
  // the inline script in <head> applies it before the page is drawn.
  var root = document.documentElement;
  var KEY = "bulletin-elder";
  var elder = document.getElementById("elder-toggle");
  if (elder) {
    var show = function () { elder.setAttribute("aria-pressed", root.classList.contains("elder") ? "true" : "false"); };
    elder.disabled = false;
    show();
    elder.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      root.classList.toggle("elder", on);
      try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (e) { /* private mode: this page only */ }
      show();
    });
    window.addEventListener("storage", function (e) {
      if (e.key === KEY) { root.classList.toggle("elder", e.newValue === "1"); show(); }
    });
  }

  // 朗读: the browser's speech synthesis reads the main content in order,
  // one block at a time (Chinese in zh-CN), with pause, resume and stop.
  var read = document.getElementById("read-toggle"), stop = document.getElementById("read-stop");
  var synth = window.speechSynthesis;
  if (read && stop && synth && window.SpeechSynthesisUtterance) {
    read.disabled = false;
    var parts = [], at = 0, state = "idle", run = 0, lit = null;
    var label = function () {
      read.textContent = read.getAttribute("data-" + (state === "idle" ? "read" : state === "speaking" ? "pause" : "resume"));
      stop.hidden = state === "idle";
    };
    var light = function (el) {
      if (lit) lit.classList.remove("reading");
      lit = el;
      if (el) { el.classList.add("reading"); if (el.scrollIntoView) el.scrollIntoView({ block: "nearest" }); }
    };
    var collect = function () {
      var main = document.getElementById("main"), out = [], last = null;
      var w = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (var n = w.nextNode(); n; n = w.nextNode()) {
        var el = n.parentElement;
        if (!n.nodeValue.trim() || el.closest("svg,script,style,.visually-hidden,[aria-hidden=true]") || !el.getClientRects().length) continue;
        var block = el.closest("h1,h2,h3,h4,p,li,dt,dd,th,td,caption,figcaption,div,section,article,main");
        if (last && last.el === block) last.text += n.nodeValue;
        else out.push(last = { el: block, text: n.nodeValue });
      }
      var res = [];
      out.forEach(function (b) {
        var t = b.text.replace(/\s+/g, " ").trim();
        // Long blocks are read sentence by sentence (some engines stop after ~15 s).
        (t.length > 120 ? t.match(/[^。！？；.!?;]+[。！？；.!?;]*/g) : [t]).forEach(function (s) { if (s.trim()) res.push({ el: b.el, text: s.trim() }); });
      });
      return res;
    };
    var speakNext = function (r) {
      if (r !== run || state === "idle") return;
      if (at >= parts.length) { end(); return; }
      var p = parts[at++];
      var u = new SpeechSynthesisUtterance(p.text);
      u.lang = /[\u3400-\u9fff]/.test(p.text) ? "zh-CN" : (p.el.closest("[lang]") || root).getAttribute("lang") || "zh-CN";
      u.rate = 0.9;
      u.onend = u.onerror = function () { speakNext(r); };
      light(p.el);
      synth.speak(u);
    };
    var end = function () { run++; state = "idle"; light(null); label(); };
    read.addEventListener("click", function () {
      if (state === "idle") {
        synth.cancel();
        parts = collect();
        at = 0;
        state = "speaking";
        label();
        speakNext(++run);
      } else if (state === "speaking") {
        synth.pause();
        state = "paused";
        label();
      } else {
        synth.resume();
        state = "speaking";
        label();
      }
    });
    stop.addEventListener("click", function () { end(); synth.cancel(); read.focus(); });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  } else if (read) {
    read.hidden = true; // no speech synthesis in this browser
  }
})();

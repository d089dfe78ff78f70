// Static search: the index is plain JSON under /search/ (built by
// generator/internal/search). Keys and shards are computed exactly as in
// search.go: single characters and adjacent pairs for Chinese, lower-cased
// words for Latin text, FNV-1a of the UTF-8 bytes for the shard.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = form.getAttribute("data-root");
  var langRoot = form.getAttribute("data-lang-root");
  var text = JSON.parse(form.getAttribute("data-text"));
  var meta = null, cache = {};

  function isWord(c) { return /[\p{L}\p{Nd}]/u.test(c); }
  function keys(s) {
    var out = [], word = "", prev = "";
    for (var ch of s.toLowerCase()) {
      var cp = ch.codePointAt(0);
      if (cp < 0x80 && isWord(ch)) { word += ch; prev = ""; }
      else if (isWord(ch)) {
        if (word) { out.push(word); word = ""; }
        out.push(ch); if (prev) out.push(prev + ch); prev = ch;
      } else { if (word) { out.push(word); word = ""; } prev = ""; }
    }
    if (word) out.push(word);
    return out;
  }
  // The keys a query needs: pairs where a run has them, else single characters.
  function queryKeys(q) {
    var all = keys(q), pairs = all.filter(function (k) { return k.length === 2 && k.codePointAt(0) >= 0x80; });
    var singles = all.filter(function (k) { return [...k].length === 1; });
    var words = all.filter(function (k) { return k.codePointAt(0) < 0x80; });
    var need = words.concat(pairs);
    singles.forEach(function (c) { if (!pairs.some(function (p) { return p.indexOf(c) >= 0; })) need.push(c); });
    return Array.from(new Set(need));
  }
  function shard(k) {
    var h = 2166136261;
    new TextEncoder().encode(k).forEach(function (b) { h ^= b; h = Math.imul(h, 16777619) >>> 0; });
    return h % meta.shards;
  }
  function get(path) {
    if (!cache[path]) cache[path] = fetch(root + "search/" + path).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    return cache[path];
  }
  function ids(k) {
    return get("idx/" + shard(k) + ".json").then(function (idx) {
      var d = idx[k] || [], out = [], last = 0;
      for (var i = 0; i < d.length; i++) { last += d[i]; out.push(last); }
      return out;
    });
  }
  function say(msg) { status.textContent = msg; }
  function run(q) {
    list.textContent = "";
    var ks = queryKeys(q.trim());
    if (!ks.length) { say(""); return; }
    say(text.searching);
    (meta ? Promise.resolve(meta) : get("meta.json").then(function (m) { meta = m; return m; }))
      .then(function () { return Promise.all(ks.map(ids)); })
      .then(function (lists) {
        // Rank as search.Rank does: docs with every key; else docs with at
        // least three quarters of them, most keys first.
        var n = lists.length, count = new Map();
        lists.forEach(function (l) { l.forEach(function (id) { count.set(id, (count.get(id) || 0) + 1); }); });
        var hits = [];
        count.forEach(function (c, id) { if (c === n) hits.push(id); });
        if (!hits.length && n >= 3) {
          var floor = Math.floor((3 * n + 3) / 4);
          count.forEach(function (c, id) { if (c >= floor) hits.push(id); });
        }
        hits.sort(function (a, b) { return (count.get(b) - count.get(a)) || (a - b); });
        var top = hits.slice(0, 100);
        var chunks = Array.from(new Set(top.map(function (i) { return Math.floor(i / meta.chunk); })));
        return Promise.all(chunks.map(function (c) { return get("docs/" + c + ".json"); })).then(function (docs) {
          var by = {};
          chunks.forEach(function (c, j) { by[c] = docs[j]; });
          var rows = top.map(function (i) { return by[Math.floor(i / meta.chunk)][i % meta.chunk]; });
          var needle = q.trim().toLowerCase();
          rows.sort(function (a, b) { return (b[0].toLowerCase().indexOf(needle) >= 0) - (a[0].toLowerCase().indexOf(needle) >= 0); });
          rows.forEach(function (d) {
            var li = document.createElement("li"), a = document.createElement("a"), m = document.createElement("span"), p = document.createElement("p");
            a.href = langRoot + d[1]; a.textContent = d[0];
            m.className = "meta"; m.textContent = d[2];
            p.textContent = d[3];
            li.append(a, m, p); list.append(li);
          });
          say(hits.length ? text.found.replace("%d", hits.length) + (hits.length > top.length ? text.more.replace("%d", top.length) : "") : text.none);
        });
      })
      .catch(function () { say(text.error); });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); run(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();

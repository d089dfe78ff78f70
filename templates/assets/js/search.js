// Static search. The index is plain JSON under /search/, written by
// generator/internal/search (its package comment describes the files).
// Text is cut into tokens exactly as in tokens.go: a run of ASCII letters
// and digits is one token, every other letter or digit is a token of its
// own, anything else separates. A page matches a query when it holds every
// run of the query's tokens adjacent and in order: the pairs of adjacent
// tokens carry their positions, so the match is exact.
(function () {
  "use strict";
  var PAGE = 20;
  var WORD = /[\p{L}\p{Nd}\p{M}]/u;

  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    if (cp >= 65 && cp <= 90) cp += 32;
    return cp;
  }
  // terms: the runs of adjacent tokens of q, as in search.Terms.
  function terms(q) {
    var out = [], cur = [], word = "", adjacent = false;
    function push(tok) {
      if (!adjacent && cur.length) { out.push(cur); cur = []; }
      cur.push(tok); adjacent = true;
    }
    function flush() { if (word) { push(word); word = ""; } }
    for (var ch of q) {
      var cp = fold(ch.codePointAt(0)), c = String.fromCodePoint(cp);
      if ((cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57)) word += c;
      else if (cp >= 0x80 && WORD.test(c)) { flush(); push(c); }
      else { flush(); adjacent = false; }
    }
    flush();
    if (cur.length) out.push(cur);
    return out;
  }

  function shardOf(key, n) {
    var h = 2166136261;
    new TextEncoder().encode(key).forEach(function (b) { h ^= b; h = Math.imul(h, 16777619) >>> 0; });
    return h % n;
  }

  // postings reads a posting array into a Map: document -> its positions
  // (a pair) or true (a token); only the documents in keep, when given.
  function postings(nums, pair, keep, into) {
    var out = into || new Map(), doc = 0;
    for (var i = 0; i < nums.length;) {
      doc += nums[i++];
      var pos = true;
      if (pair) {
        var n = nums[i++], p = 0;
        pos = [];
        for (var j = 0; j < n; j++) { p += nums[i + j]; pos.push(p); }
        i += n;
      }
      if (!keep || keep.has(doc)) out.set(doc, pos);
    }
    return out;
  }
  function countDocs(nums, pair) {
    var c = 0;
    for (var i = 0; i < nums.length; c++) i += pair ? 2 + nums[i + 1] : 1;
    return c;
  }

  function Engine(root) {
    this.root = root;
    this.cache = {};
  }
  Engine.prototype.get = function (path) {
    var c = this.cache;
    if (!c[path]) c[path] = fetch(this.root + "search/" + path).then(function (r) { if (!r.ok) throw new Error(path + ": " + r.status); return r.json(); });
    return c[path];
  };
  // key: a key's entry, with its document count.
  Engine.prototype.key = function (meta, k) {
    return this.get("idx/" + shardOf(k.key, meta.shards) + ".json").then(function (idx) {
      var e = Object.prototype.hasOwnProperty.call(idx, k.key) ? idx[k.key] : null;
      if (!e) return null;
      if (Array.isArray(e)) { k.list = e; k.df = countDocs(e, k.pair); } else { k.long = e; k.df = e.n; }
      return k;
    });
  };
  // read: a key's postings for the documents in keep (all when null),
  // reading of a long list only the blocks that may hold them.
  Engine.prototype.read = function (k, keep, sorted) {
    if (k.list) return Promise.resolve(postings(k.list, k.pair, keep));
    var b = k.long.b, want = [], self = this, at = 0;
    for (var j = 0; j < b.length; j++) {
      var hi = j + 1 < b.length ? b[j + 1] : Infinity;
      if (!sorted) { want.push(j); continue; }
      while (at < sorted.length && sorted[at] < b[j]) at++;
      if (at < sorted.length && sorted[at] < hi) want.push(j);
    }
    return Promise.all(want.map(function (j) { return self.get("blk/" + k.long.f + "-" + j + ".json"); })).then(function (lists) {
      var out = new Map();
      lists.forEach(function (l) { postings(l, k.pair, keep, out); });
      return out;
    });
  };
  // search resolves to the ids of the matching documents, best first: those
  // whose first match comes earliest (a title is read first), then in
  // index order.
  Engine.prototype.search = function (q) {
    var self = this, ts = terms(q);
    if (!ts.length) return Promise.resolve([]);
    return this.get("meta.json").then(function (meta) {
      var need = [];
      ts.forEach(function (t, ti) {
        if (t.length === 1) need.push({ term: ti, key: t[0], off: 0, pair: false });
        for (var i = 0; i + 1 < t.length; i++) need.push({ term: ti, key: t[i] + t[i + 1], off: i, pair: true });
      });
      return Promise.all(need.map(function (k) { return self.key(meta, k); })).then(function (ks) {
        if (ks.some(function (k) { return !k; })) return [];
        // Of each term, the rarest pairs that cover all its tokens; then
        // every key read rarest first.
        var use = [];
        ts.forEach(function (t, ti) {
          var mine = ks.filter(function (k) { return k.term === ti; }).sort(function (a, b) { return a.df - b.df || a.off - b.off; });
          var covered = new Set();
          for (var k of mine) {
            if (covered.size === t.length) break;
            if (covered.has(k.off) && (!k.pair || covered.has(k.off + 1))) continue;
            use.push(k); covered.add(k.off); if (k.pair) covered.add(k.off + 1);
          }
        });
        use.sort(function (a, b) { return a.df - b.df; });
        var state = [], cand = null, sorted = null;
        function step(i) {
          if (i === use.length || (sorted && !sorted.length)) return finish();
          var k = use[i];
          return self.read(k, cand, sorted).then(function (p) {
            var st = state[k.term];
            if (!st) {
              st = new Map();
              p.forEach(function (pos, doc) { st.set(doc, k.pair ? pos.map(function (x) { return x - k.off; }) : null); });
              state[k.term] = st;
            } else {
              st.forEach(function (starts, doc) {
                var pos = p.get(doc);
                if (pos === undefined) { st.delete(doc); return; }
                if (!k.pair) return;
                var left = starts.filter(function (s) { return pos.indexOf(s + k.off) >= 0; });
                if (left.length) st.set(doc, left); else st.delete(doc);
              });
            }
            var next = [];
            st.forEach(function (_, doc) { if (!cand || cand.has(doc)) next.push(doc); });
            sorted = next.sort(function (a, b) { return a - b; });
            cand = new Set(sorted);
            return step(i + 1);
          });
        }
        function finish() {
          var score = new Map();
          (sorted || []).forEach(function (doc) {
            var s = Infinity;
            state.forEach(function (st) { var starts = st.get(doc); if (starts) s = Math.min(s, Math.min.apply(null, starts)); });
            score.set(doc, s);
          });
          return (sorted || []).slice().sort(function (a, b) { return score.get(a) - score.get(b) || a - b; });
        }
        return step(0);
      });
    });
  };
  // rows resolves to the result rows [title, url, meta, snippet] of ids.
  Engine.prototype.rows = function (ids) {
    var self = this;
    return this.get("meta.json").then(function (meta) {
      return Promise.all(ids.map(function (id) {
        return self.get("docs/" + Math.floor(id / meta.chunk) + ".json").then(function (rows) { return rows[id % meta.chunk]; });
      }));
    });
  };

  var form = document.getElementById("search-form");
  if (!form || !window.fetch) return;
  var engine = new Engine(form.getAttribute("data-root"));
  // For tools and tests: the same engine the page uses.
  window.bulletinSearch = engine;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var langRoot = form.getAttribute("data-lang-root");
  var text = JSON.parse(form.getAttribute("data-text"));
  var hits = [], shown = 0, run = 0;

  function say(msg) { status.textContent = msg; }
  function count() {
    say(hits.length ? text.found.replace("%d", hits.length) + (shown < hits.length ? text.more.replace("%d", shown) : "") : text.none);
    if (more) more.hidden = shown >= hits.length;
  }
  function show(focus) {
    var mine = run, ids = hits.slice(shown, shown + PAGE);
    return engine.rows(ids).then(function (rows) {
      if (mine !== run) return;
      var first = null;
      rows.forEach(function (d) {
        var li = document.createElement("li"), a = document.createElement("a"), m = document.createElement("span"), p = document.createElement("p");
        // d[4]: the page exists in the records' language only (a problem page).
        a.href = (d[4] ? engine.root : langRoot) + d[1]; a.textContent = d[0];
        // d[5]: the key of a label in the page's language (a status, a kind of page).
        var label = d[5] && text.labels && text.labels[d[5]];
        m.className = "meta"; m.textContent = label ? (d[2] ? d[2] + " · " : "") + label : d[2];
        p.textContent = d[3];
        li.append(a, m, p); list.append(li);
        first = first || a;
      });
      shown += rows.length;
      count();
      if (focus && first) first.focus();
    });
  }
  function search(q) {
    var mine = ++run;
    list.textContent = ""; hits = []; shown = 0;
    if (more) more.hidden = true;
    if (!terms(q).length) { say(""); return; }
    say(text.searching);
    engine.search(q)
      .then(function (ids) { if (mine !== run) return; hits = ids; return show(false); })
      .catch(function () { if (mine === run) say(text.error); });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  if (more) more.addEventListener("click", function () { show(true).catch(function () { say(text.error); }); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q); }
})();

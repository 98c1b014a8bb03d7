// Site search: the index is built with the site in shards (docs/search-index.md) and
// loaded a part at a time, each a script element, which works from disk too: on first
// use the manifest (search-index.js); for each word of the query the word shards of its
// first letters; for the results shown the record shards that hold them. A word of the
// query finds a word of a title or text that it begins, that shares its stem (the build
// stems the index in the site's language and ships each word's stem), or that it
// misspells (one letter wrong, missing, extra or swapped for a word of 4 to 7 letters,
// two for 8 or more), among the words of the shards it loaded. Titles weigh more, exact
// words more than stems and misspellings, and a title that is the query itself comes
// first. On a page of a deployment the results are that deployment's and the site-wide
// pages'; a box in the result panel widens them to every deployment, where a thing every
// deployment shows (a task, a guide, a heading) is one result, on the current deployment
// when it has it. On a page of an operating model, that model's results come before
// another model's (each result names its model), which stay listed after them. Twelve results show at first, then twelve more per press of the button
// under them. Keyboard: "/" focuses the box, arrows move through results, Enter opens,
// Escape closes. Excerpts and highlights are built from text, escaped piece by piece.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  if (!input) { return; }
  var panel = document.querySelector(".search-panel");
  var list = document.getElementById("search-results");
  var status = document.querySelector(".search-status");
  var base = document.documentElement.getAttribute("data-root") || "";
  // The deployment of this page (its index in the index's "d"), or "" on a site-wide page.
  var current = document.documentElement.getAttribute("data-scope") || "";
  // The operating model of this page (its index in the index's "m"), or "" on a page of
  // no model: its results come before another model's.
  var currentModel = document.documentElement.getAttribute("data-model") || "";
  var currentName = "";
  var switcherCurrent = document.querySelector(".switcher [aria-current]");
  if (switcherCurrent) { currentName = switcherCurrent.textContent.trim(); }
  var index = null; // the manifest, with each entry's scope, model, group, title length
  var loading = false;
  var selected = -1;
  var PAGE = 12;
  var shown = PAGE; // how many results show; grows by PAGE with the "more" button
  var stems = {}; // word (lower case) → stem, from the word shards loaded
  var knownStems = new Set(); // every stem and unstemmed word of those shards, folded
  var vocabulary = []; // every word of those shards, folded, once
  var seenWords = new Set();
  var words = []; // the words of those shards: folded, stem, entries by title and text
  var records = []; // entry number → entry, from the record shards loaded
  var shards = { w: {}, r: {} }; // shard number → true once loaded, or what waits for it
  var runs = 0; // counts searches, so that a slower earlier one does not show late
  // The most bytes of word shards one query loads beyond the shards of its own words:
  // those of longer words its words begin.
  var WORD_BUDGET = 480 * 1024;
  var more = null;
  var everywhere = null; // the "all deployments" box, on a deployment's pages only

  // Only where there is another deployment to widen the search to.
  if (current !== "" && switcherCurrent && panel) {
    var scopeBox = document.createElement("label");
    scopeBox.className = "search-scope";
    everywhere = document.createElement("input");
    everywhere.type = "checkbox";
    everywhere.id = "search-everywhere";
    scopeBox.appendChild(everywhere);
    scopeBox.appendChild(document.createTextNode(" All deployments"));
    panel.insertBefore(scopeBox, panel.firstChild);
    everywhere.addEventListener("change", function () { load(run); });
    everywhere.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { show(false); input.focus(); }
    });
  }

  if (panel) {
    more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.hidden = true;
    panel.appendChild(more);
    more.addEventListener("click", function () {
      var first = shown;
      shown += PAGE;
      run(true, function () {
        var items = list.querySelectorAll("li");
        if (items[first]) { select(first); }
        input.focus();
      });
    });
  }

  // Expands runs of `[value, count]` into one value per entry.
  function expand(runs) {
    var out = [];
    runs.forEach(function (run) { for (var i = 0; i < run[1]; i++) { out.push(run[0]); } });
    return out;
  }

  function prepare(manifest) {
    var d = expand(manifest.d);
    var m = expand(manifest.m);
    var shared = {};
    manifest.g.forEach(function (pair) { shared[pair[0]] = pair[1]; });
    var next = 0;
    var entries = [];
    for (var at = 0; at < manifest.entries; at++) {
      var group = Object.prototype.hasOwnProperty.call(shared, at) ? shared[at] : next++;
      entries.push({
        at: at, group: group, titleLength: parseInt(manifest.l.charAt(at), 36),
        here: current !== "" && d[at] !== null && String(d[at]) === current,
        site: d[at] === null,
        mine: currentModel === "" || m[at] === null || String(m[at]) === currentModel
      });
    }
    return { words: manifest.words, sizes: manifest.sizes, records: manifest.records, entries: entries };
  }

  function undelta(list) {
    var last = 0;
    return list.map(function (n) { last += n; return last; });
  }

  window.RASCI_SEARCH_WORDS = function (n, list) {
    list.forEach(function (r) {
      var lower = r[0];
      if (r[1]) { stems[lower] = r[1]; }
      var word = { word: fold(lower), stem: fold(r[1] || lower), title: undelta(r[2]), text: undelta(r[3]) };
      knownStems.add(word.stem);
      if (!seenWords.has(word.word)) { seenWords.add(word.word); vocabulary.push(word.word); }
      words.push(word);
    });
  };

  window.RASCI_SEARCH_RECORDS = function (n, first, list) {
    list.forEach(function (entry, i) { records[first + i] = entry; });
  };

  function failed() {
    list.removeAttribute("aria-busy");
    status.textContent = "The search index could not be loaded.";
    show(true);
  }

  // Loads the shards `numbers` of `kind` ("w" words, "r" records) not loaded yet, then
  // calls `then`.
  function ensure(kind, numbers, then) {
    var left = 1;
    function done() { left -= 1; if (left === 0) { then(); } }
    numbers.forEach(function (n) {
      var state = shards[kind][n];
      if (state === true) { return; }
      left += 1;
      if (state) { state.push(done); return; }
      shards[kind][n] = [done];
      var script = document.createElement("script");
      script.src = base + "static/search/" + kind + n + ".js";
      script.onload = function () {
        var waiting = shards[kind][n];
        shards[kind][n] = true;
        waiting.forEach(function (f) { f(); });
      };
      script.onerror = function () { delete shards[kind][n]; failed(); };
      document.head.appendChild(script);
    });
    done();
  }

  // The word buckets a word of the query needs: the one its word would be in (the
  // longest key it begins with), and the one of its first two letters swapped (for that
  // misspelling); then, as `extra`, the buckets of longer words it begins.
  function bucketsOf(lower) {
    var own = -1;
    var swapped = lower.length > 1 ? lower.charAt(1) + lower.charAt(0) + lower.slice(2) : lower;
    var ownSwapped = -1;
    var extra = [];
    index.words.forEach(function (key, n) {
      var k = key[0];
      if (lower.indexOf(k) === 0 && (own < 0 || k.length > index.words[own][0].length)) { own = n; }
      if (swapped.indexOf(k) === 0 && (ownSwapped < 0 || k.length > index.words[ownSwapped][0].length)) { ownSwapped = n; }
      if (k.length > lower.length && k.indexOf(lower) === 0) { extra.push(n); }
    });
    var needed = [];
    if (own >= 0) { needed.push(own); }
    if (ownSwapped >= 0 && ownSwapped !== own) { needed.push(ownSwapped); }
    return { needed: needed, extra: extra };
  }

  // The word shards (files) a query needs: those of its own words' buckets, then those of
  // longer words, within WORD_BUDGET bytes.
  function wordShards(query) {
    var needed = [];
    var extra = [];
    function add(list, n) { var file = index.words[n][1]; if (list.indexOf(file) < 0) { list.push(file); } }
    lowerWords(query).forEach(function (lower) {
      var found = bucketsOf(lower);
      found.needed.forEach(function (n) { add(needed, n); });
      found.extra.forEach(function (n) { add(extra, n); });
    });
    var bytes = 0;
    extra.forEach(function (file) {
      if (needed.indexOf(file) >= 0) { return; }
      if (shards.w[file] === true) { needed.push(file); return; }
      if (bytes + index.sizes[file] <= WORD_BUDGET) { bytes += index.sizes[file]; needed.push(file); }
    });
    return needed;
  }

  function load(then) {
    if (index) { then(); return; }
    if (window.RASCI_SEARCH) { index = prepare(window.RASCI_SEARCH); then(); return; }
    if (loading) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = base + "search-index.js";
    script.onload = function () {
      if (!window.RASCI_SEARCH) { failed(); return; }
      index = prepare(window.RASCI_SEARCH);
      then();
    };
    script.onerror = failed;
    document.head.appendChild(script);
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The lower-case words of a text, as the index's table of stems spells them.
  function lowerWords(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function stemOf(lower) {
    return fold(Object.prototype.hasOwnProperty.call(stems, lower) ? stems[lower] : lower);
  }

  // Edits (insert, delete, replace, swap of two neighbours) from `a` to `b`, or
  // `limit + 1` as soon as there are more than `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var prev2 = null, prev = [], row;
    for (var j = 0; j <= b.length; j++) { prev.push(j); }
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var least = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var d = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) { d = Math.min(d, prev2[k - 2] + 1); }
        row.push(d);
        least = Math.min(least, d);
      }
      if (least > limit) { return limit + 1; }
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  // A word of the query, with what else it finds: its stem (from the table, or the
  // longest stem of the index it begins with, at most four letters shorter) and the
  // words of the index it misspells.
  function term(lower) {
    var word = fold(lower);
    var stem = null;
    if (word.length >= 3) {
      if (Object.prototype.hasOwnProperty.call(stems, lower)) { stem = fold(stems[lower]); }
      else {
        for (var cut = 0; cut <= 4 && word.length - cut >= 3; cut++) {
          if (knownStems.has(word.slice(0, word.length - cut))) { stem = word.slice(0, word.length - cut); break; }
        }
      }
    }
    var typos = new Set();
    if (word.length >= 4) {
      var limit = word.length >= 8 ? 2 : 1;
      vocabulary.forEach(function (w) {
        if (w !== word && w.length >= 3 && distance(word, w, limit) <= limit) { typos.add(w); }
      });
    }
    return { word: word, stem: stem, typos: typos };
  }

  function terms(query) {
    var found = lowerWords(query).map(term);
    var long = found.some(function (t) { return t.word.length > 3; });
    found.forEach(function (t) { t.optional = long && t.word.length <= 3; });
    return found;
  }

  // How well `t` matches a word (folded) with stem `st`: 4 exact, 3 prefix, 2 stem,
  // 1 misspelt, 0 not at all.
  function match(t, w, st) {
    if (w === t.word) { return 4; }
    if (w.indexOf(t.word) === 0) { return 3; }
    if (t.stem && st === t.stem) { return 2; }
    if (t.typos.has(w)) { return 1; }
    return 0;
  }

  var TITLE_POINTS = [0, 4, 5, 6, 10];
  var TEXT_POINTS = [0, 1, 1, 1, 2];

  // Each entry's points for each word of the query, from the words of the shards loaded:
  // for a word, the best of the entry's words it matches, in the title (which weighs
  // more) or the text. `perTerm[i]` maps entry numbers to points; `exact[i]` holds the
  // entries whose title has the word itself.
  function points(query) {
    return query.map(function (t) {
      var found = new Map();
      var exact = new Set();
      words.forEach(function (w) {
        var level = match(t, w.word, w.stem);
        if (!level) { return; }
        var title = TITLE_POINTS[level];
        w.title.forEach(function (at) {
          if ((found.get(at) || 0) < title) { found.set(at, title); }
          if (level === 4) { exact.add(at); }
        });
        var text = TEXT_POINTS[level];
        w.text.forEach(function (at) { if ((found.get(at) || 0) < text) { found.set(at, text); } });
      });
      return { found: found, exact: exact };
    });
  }

  function score(item, query, scored) {
    var total = 0;
    var whole = item.titleLength === query.length;
    for (var i = 0; i < query.length; i++) {
      var best = scored[i].found.get(item.at) || 0;
      // A short word ("who", "the") only adds to the score when longer words are
      // asked for too: the others decide what is found.
      if (!best && !query[i].optional) { return 0; }
      if (!scored[i].exact.has(item.at)) { whole = false; }
      total += best;
    }
    if (!total) { return 0; }
    // The title is the query's words: the page, heading or term of that name.
    if (whole) { total += 10; }
    return total;
  }

  // Best first: the page's own model (and the site-wide pages) before another model's,
  // then score, then the shorter title (the query is more of it), then index order.
  function better(a, b) {
    return (b.item.mine ? 1 : 0) - (a.item.mine ? 1 : 0) || b.score - a.score ||
      a.item.titleLength - b.item.titleLength || a.item.at - b.item.at;
  }

  // Which copy of a group a result shows: this deployment's, in this page's model.
  function preference(item) {
    return (item.here ? 2 : 0) + (item.mine ? 1 : 0);
  }

  // The matches of `terms`, one per group: on this deployment only, or across all of
  // them, where a group's copy on this deployment is the one kept when it matches.
  function search(query, all) {
    var scored = points(query);
    var candidates = null;
    scored.forEach(function (found, i) {
      if (query[i].optional) { return; }
      var ats = Array.from(found.found.keys());
      candidates = candidates === null ? ats : candidates.filter(function (at) { return found.found.has(at); });
    });
    candidates = (candidates || []).sort(function (a, b) { return a - b; });
    var chosen = {};
    var order = [];
    candidates.forEach(function (at) {
      var item = index.entries[at];
      if (!all && current !== "" && !item.site && !item.here) { return; }
      var s = score(item, query, scored);
      if (!s) { return; }
      var result = { item: item, score: s };
      var held = chosen[item.group];
      if (held === undefined) { chosen[item.group] = result; order.push(item.group); }
      else {
        var mine = preference(item);
        var theirs = preference(held.item);
        if (mine > theirs || (mine === theirs && !held.item.here && better(result, held) < 0)) { chosen[item.group] = result; }
      }
    });
    return order.map(function (g) { return chosen[g]; }).sort(better);
  }

  // The record shards that hold the entries `results`.
  function recordShards(results) {
    var needed = [];
    results.forEach(function (r) {
      var firsts = index.records;
      var lo = 0, hi = firsts.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (firsts[mid] <= r.item.at) { lo = mid; } else { hi = mid - 1; }
      }
      if (needed.indexOf(lo) < 0) { needed.push(lo); }
    });
    return needed;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function matches(query, word) {
    var lower = word.toLowerCase();
    var w = fold(lower);
    var st = stemOf(lower);
    return query.some(function (t) { return t.word.length >= 2 && match(t, w, st) > 0; });
  }

  // `text` as HTML: every piece escaped, the words that match wrapped in <mark>. The text
  // is cut into words first, so a match never falls inside an entity or a tag.
  function highlight(text, query) {
    return text.split(/([\p{L}\p{N}]+)/u).map(function (piece, i) {
      var html = escapeHtml(piece);
      return i % 2 === 1 && matches(query, piece) ? "<mark>" + html + "</mark>" : html;
    }).join("");
  }

  // About 140 characters of `text` where the most of the query's words match close
  // together (within 100 characters), cut at word starts and ends.
  function excerpt(text, query) {
    var re = /[\p{L}\p{N}]+/gu;
    var found;
    var hits = [];
    while (query.length && (found = re.exec(text))) {
      for (var q = 0; q < query.length; q++) {
        var lower = found[0].toLowerCase();
        if (query[q].word.length >= 2 && match(query[q], fold(lower), stemOf(lower)) > 0) { hits.push({ at: found.index, term: q }); break; }
      }
    }
    var at = 0;
    var most = 0;
    for (var i = 0; i < hits.length; i++) {
      var terms = {};
      var count = 0;
      for (var j = i; j < hits.length && hits[j].at - hits[i].at <= 100; j++) {
        if (!terms[hits[j].term]) { terms[hits[j].term] = true; count++; }
      }
      if (count > most) { most = count; at = hits[i].at; }
    }
    var start = Math.max(0, at - 40);
    while (start > 0 && start < at && /[\p{L}\p{N}]/u.test(text.charAt(start - 1))) { start++; }
    var end = Math.min(text.length, start + 140);
    while (end < text.length && /[\p{L}\p{N}]/u.test(text.charAt(end))) { end++; }
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function show(open) {
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function select(i) {
    var items = list.querySelectorAll("li");
    selected = items.length ? (i + items.length) % items.length : -1;
    for (var j = 0; j < items.length; j++) {
      items[j].setAttribute("aria-selected", j === selected ? "true" : "false");
    }
    if (selected >= 0) {
      input.setAttribute("aria-activedescendant", items[selected].id);
      items[selected].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Searches for the box's text; `then`, if given, runs once the results show.
  function run(keepShown, then) {
    if (keepShown !== true) { shown = PAGE; }
    var text = input.value;
    if (!lowerWords(text).length) {
      runs += 1;
      list.removeAttribute("aria-busy");
      list.innerHTML = "";
      selected = -1;
      input.removeAttribute("aria-activedescendant");
      show(false);
      return;
    }
    var mine = ++runs;
    // Until the shards it needs are loaded the list is marked busy, and shows the
    // results of the words typed before.
    list.setAttribute("aria-busy", "true");
    ensure("w", wordShards(text), function () {
      if (mine !== runs) { return; }
      var query = terms(text);
      var all = !everywhere || everywhere.checked;
      var found = search(query, all);
      var results = found.slice(0, shown);
      ensure("r", recordShards(results), function () {
        if (mine !== runs) { return; }
        showResults(text, query, all, found, results);
        if (then) { then(); }
      });
    });
  }

  function showResults(text, query, all, found, results) {
    list.removeAttribute("aria-busy");
    list.innerHTML = "";
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    results.forEach(function (r, i) {
      var e = records[r.item.at];
      var lowerTitle = lowerWords(e.t);
      var title = lowerTitle.map(fold);
      var titleStems = lowerTitle.map(stemOf);
      // Found by its title, a result shows how its text begins; else where it matched.
      var byTitle = query.every(function (t) {
        return title.some(function (w, j) { return match(t, w, titleStems[j]) > 0; });
      });
      var li = document.createElement("li");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.innerHTML = "<a tabindex=\"-1\" href=\"" + escapeHtml(base + e.u) + "\"><span class=\"result-section\">" +
        escapeHtml(e.s) + "</span><br><span class=\"result-title\">" + highlight(e.t, query) +
        "</span><span class=\"result-text\">" + highlight(excerpt(e.x, byTitle ? [] : query), query) + "</span></a>";
      list.appendChild(li);
    });
    var where = !all && currentName ? " in " + currentName : "";
    var count = found.length + (found.length === 1 ? " result" : " results") + where;
    if (found.length > results.length) { count = "The first " + results.length + " of " + count; }
    if (more) {
      var rest = found.length - results.length;
      more.hidden = rest <= 0;
      more.textContent = "Show " + Math.min(rest, PAGE) + " more";
    }
    if (!found.length) {
      count = "No results for “" + text + "”" + where;
      var elsewhere = all ? 0 : search(query, true).length;
      if (elsewhere) { count += "; " + elsewhere + " in all deployments"; }
    }
    status.textContent = count;
    show(true);
  }

  // Back in the box (from the "more" button too), the results stay as they are.
  input.addEventListener("focus", function () { load(function () { if (input.value && panel.hidden) { run(); } }); });
  input.addEventListener("input", function () { load(run); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); select(selected + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); select(selected - 1); }
    else if (event.key === "Enter") {
      var items = list.querySelectorAll("li a");
      var target = items[selected >= 0 ? selected : 0];
      if (target) { event.preventDefault(); window.location.href = target.href; }
    } else if (event.key === "Escape") {
      if (!panel.hidden) { show(false); } else { input.value = ""; input.blur(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "textarea" && !event.target.isContentEditable) {
      event.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".search")) { show(false); }
  });
})();

// Site search: the index is built with the site (search-index.js) and loaded on first
// use. A word of the query finds a word of a title or text that it begins, that shares
// its stem (the build stems the index in the site's language and ships the table of
// stems, RASCI_SEARCH_STEMS), or that it misspells (one letter wrong, missing, extra or
// swapped for a word of 4 to 7 letters, two for 8 or more). Titles weigh more, exact
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
  var index = null;
  var loading = false;
  var selected = -1;
  var PAGE = 12;
  var shown = PAGE; // how many results show; grows by PAGE with the "more" button
  var stems = {}; // word (lower case) → stem, from the index
  var knownStems = null; // every stem and unstemmed word of the index, folded
  var vocabulary = []; // every word of the index, folded, once
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
      run(true);
      var items = list.querySelectorAll("li");
      if (items[first]) { select(first); } else { input.focus(); }
      input.focus();
    });
  }

  function load(then) {
    if (index) { then(); return; }
    if (window.RASCI_SEARCH_INDEX) { index = prepare(window.RASCI_SEARCH_INDEX); then(); return; }
    if (loading) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = base + "search-index.js";
    script.onload = function () { index = prepare(window.RASCI_SEARCH_INDEX || []); then(); };
    script.onerror = function () { status.textContent = "The search index could not be loaded."; show(true); };
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

  function prepare(entries) {
    stems = window.RASCI_SEARCH_STEMS || {};
    knownStems = new Set();
    var seen = new Set();
    var items = entries.map(function (e, at) {
      var lowerTitle = lowerWords(e.t);
      var lowerText = lowerWords(e.x);
      var item = {
        entry: e, at: at, title: lowerTitle.map(fold), text: lowerText.map(fold),
        titleStems: lowerTitle.map(stemOf), textStems: new Set(lowerText.map(stemOf)),
        group: e.g, here: current !== "" && String(e.d) === current,
        mine: currentModel === "" || e.m === undefined || String(e.m) === currentModel
      };
      item.titleStems.forEach(function (st) { knownStems.add(st); });
      item.textStems.forEach(function (st) { knownStems.add(st); });
      item.title.concat(item.text).forEach(function (w) { if (!seen.has(w)) { seen.add(w); vocabulary.push(w); } });
      return item;
    });
    return items;
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

  function score(item, query) {
    var total = 0;
    for (var i = 0; i < query.length; i++) {
      var t = query[i];
      var best = 0;
      for (var j = 0; j < item.title.length; j++) {
        best = Math.max(best, TITLE_POINTS[match(t, item.title[j], item.titleStems[j])]);
      }
      if (!best) {
        if (t.stem && item.textStems.has(t.stem)) { best = 1; }
        for (var k = 0; k < item.text.length && best < 2; k++) {
          var w = item.text[k];
          if (w === t.word) { best = 2; }
          else if (w.indexOf(t.word) === 0 || t.typos.has(w)) { best = 1; }
        }
      }
      // A short word ("who", "the") only adds to the score when longer words are
      // asked for too: the others decide what is found.
      if (!best && !t.optional) { return 0; }
      total += best;
    }
    if (!total) { return 0; }
    // The title is the query itself: the page, heading or term of that name.
    if (item.title.join(" ") === query.map(function (t) { return t.word; }).join(" ")) { total += 10; }
    return total;
  }

  // Best first: the page's own model (and the site-wide pages) before another model's,
  // then score, then the shorter title (the query is more of it), then index order.
  function better(a, b) {
    return (b.item.mine ? 1 : 0) - (a.item.mine ? 1 : 0) || b.score - a.score ||
      a.item.title.length - b.item.title.length || a.item.at - b.item.at;
  }

  // Which copy of a group a result shows: this deployment's, in this page's model.
  function preference(item) {
    return (item.here ? 2 : 0) + (item.mine ? 1 : 0);
  }

  // The matches of `terms`, one per group: on this deployment only, or across all of
  // them, where a group's copy on this deployment is the one kept when it matches.
  function search(query, all) {
    var chosen = {};
    var order = [];
    index.forEach(function (item) {
      if (!all && current !== "" && item.entry.d !== undefined && !item.here) { return; }
      var s = score(item, query);
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

  function run(keepShown) {
    var query = terms(input.value);
    if (keepShown !== true) { shown = PAGE; }
    list.innerHTML = "";
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!query.length) { show(false); return; }
    var all = !everywhere || everywhere.checked;
    var found = search(query, all);
    var results = found.slice(0, shown);
    results.forEach(function (r, i) {
      var e = r.item.entry;
      // Found by its title, a result shows how its text begins; else where it matched.
      var byTitle = query.every(function (t) {
        return r.item.title.some(function (w, j) { return match(t, w, r.item.titleStems[j]) > 0; });
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
      count = "No results for “" + input.value + "”" + where;
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

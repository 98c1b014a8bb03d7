// Site search: the index is built with the site (search-index.js) and loaded on first
// use. Words are matched as prefixes in titles and text; titles weigh more, and a title
// that is the query itself comes first. On a page of a deployment the results are that
// deployment's and the site-wide pages'; a box in the result panel widens them to every
// deployment, where a thing every deployment shows (a task, a guide, a heading) is one
// result, on the current deployment when it has it. Keyboard: "/" focuses the box,
// arrows move through results, Enter opens, Escape closes.
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
  var currentName = "";
  var switcherCurrent = document.querySelector(".switcher [aria-current]");
  if (switcherCurrent) { currentName = switcherCurrent.textContent.trim(); }
  var index = null;
  var loading = false;
  var selected = -1;
  var MAX = 12;
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

  function load(then) {
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

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function prepare(entries) {
    return entries.map(function (e, at) {
      return { entry: e, at: at, title: words(e.t), text: words(e.x), group: e.g, here: current !== "" && String(e.d) === current };
    });
  }

  function score(item, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var best = 0;
      for (var j = 0; j < item.title.length; j++) {
        if (item.title[j] === term) { best = Math.max(best, 10); }
        else if (item.title[j].indexOf(term) === 0) { best = Math.max(best, 6); }
      }
      if (!best) {
        for (var k = 0; k < item.text.length; k++) {
          if (item.text[k].indexOf(term) === 0) { best = item.text[k] === term ? 2 : 1; if (best === 2) { break; } }
        }
      }
      if (!best) { return 0; }
      total += best;
    }
    // The title is the query itself: the page, heading or term of that name.
    if (item.title.join(" ") === terms.join(" ")) { total += 10; }
    return total;
  }

  // Best first: score, then the shorter title (the query is more of it), then index order.
  function better(a, b) {
    return b.score - a.score || a.item.title.length - b.item.title.length || a.item.at - b.item.at;
  }

  // The matches of `terms`, one per group: on this deployment only, or across all of
  // them, where a group's copy on this deployment is the one kept when it matches.
  function search(terms, all) {
    var chosen = {};
    var order = [];
    index.forEach(function (item) {
      if (!all && current !== "" && item.entry.d !== undefined && !item.here) { return; }
      var s = score(item, terms);
      if (!s) { return; }
      var result = { item: item, score: s };
      var held = chosen[item.group];
      if (held === undefined) { chosen[item.group] = result; order.push(item.group); }
      else if (!held.item.here && (item.here || better(result, held) < 0)) { chosen[item.group] = result; }
    });
    return order.map(function (g) { return chosen[g]; }).sort(better);
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlight(text, terms) {
    var html = escapeHtml(text);
    terms.forEach(function (term) {
      if (term.length < 2) { return; }
      var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "giu");
      html = html.replace(re, "$1<mark>$2</mark>");
    });
    return html;
  }

  function excerpt(text, terms) {
    var lower = fold(text);
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) { at = lower.indexOf(terms[i]); }
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + text.slice(start, start + 140);
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

  function run() {
    var terms = words(input.value);
    list.innerHTML = "";
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!terms.length) { show(false); return; }
    var all = !everywhere || everywhere.checked;
    var found = search(terms, all);
    var results = found.slice(0, MAX);
    results.forEach(function (r, i) {
      var e = r.item.entry;
      // Found by its title, a result shows how its text begins; else where it matched.
      var byTitle = terms.every(function (t) { return r.item.title.some(function (w) { return w.indexOf(t) === 0; }); });
      var li = document.createElement("li");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.innerHTML = "<a tabindex=\"-1\" href=\"" + escapeHtml(base + e.u) + "\"><span class=\"result-section\">" +
        escapeHtml(e.s) + "</span><br><span class=\"result-title\">" + highlight(e.t, terms) +
        "</span><span class=\"result-text\">" + highlight(excerpt(e.x, byTitle ? [] : terms), terms) + "</span></a>";
      list.appendChild(li);
    });
    var where = !all && currentName ? " in " + currentName : "";
    var count = found.length + (found.length === 1 ? " result" : " results") + where;
    if (found.length > MAX) { count = "The first " + MAX + " of " + count; }
    if (!found.length) {
      count = "No results for “" + input.value + "”" + where;
      var elsewhere = all ? 0 : search(terms, true).length;
      if (elsewhere) { count += "; " + elsewhere + " in all deployments"; }
    }
    status.textContent = count;
    show(true);
  }

  input.addEventListener("focus", function () { load(function () { if (input.value) { run(); } }); });
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

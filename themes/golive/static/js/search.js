// Site search: the index is built with the site (search-index.js) and loaded on first
// use. Words are matched as prefixes in titles and text; titles weigh more. Keyboard:
// "/" focuses the box, arrows move through results, Enter opens, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  if (!input) { return; }
  var panel = document.querySelector(".search-panel");
  var list = document.getElementById("search-results");
  var status = document.querySelector(".search-status");
  var base = document.documentElement.getAttribute("data-root") || "";
  var index = null;
  var loading = false;
  var selected = -1;
  var MAX = 12;

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
    return entries.map(function (e) {
      return { entry: e, title: words(e.t), text: words(e.x) };
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
    return total;
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
    var results = index
      .map(function (item) { return { item: item, score: score(item, terms) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, MAX);
    results.forEach(function (r, i) {
      var e = r.item.entry;
      var li = document.createElement("li");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.innerHTML = "<a tabindex=\"-1\" href=\"" + escapeHtml(base + e.u) + "\"><span class=\"result-section\">" +
        escapeHtml(e.s) + "</span><br><span class=\"result-title\">" + highlight(e.t, terms) +
        "</span><span class=\"result-text\">" + highlight(excerpt(e.x, terms), terms) + "</span></a>";
      list.appendChild(li);
    });
    status.textContent = results.length ? results.length + (results.length === 1 ? " result" : " results") : "No results for “" + input.value + "”";
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

// golive theme behaviour: the site navigation (from nav.js), colour theme toggle,
// navigation drawer on small screens and the current section in "In this article". The
// site works without it: each page then shows a shorter navigation of its own.
(function () {
  "use strict";
  var root = document.documentElement;

  // The whole navigation tree is written once for the site (static/js/nav.js, loaded
  // before this script) instead of into every page. Build it in place of the page's
  // fallback: every group, the page's own deployment open (all of them on pages of no
  // deployment), the current page marked.
  function buildNav(tree) {
    var nav = document.querySelector("nav[data-nav]");
    if (!nav || !tree) { return; }
    var prefix = root.getAttribute("data-root") || "";
    var here = root.getAttribute("data-path") || "";
    var scope = root.getAttribute("data-scope") || "";
    var fragment = document.createDocumentFragment();
    tree.forEach(function (group) {
      var details = document.createElement("details");
      details.className = "nav-group";
      if (group.s === null || scope === "" || String(group.s) === scope) { details.open = true; }
      var summary = document.createElement("summary");
      summary.textContent = group.t;
      details.appendChild(summary);
      var list = document.createElement("ul");
      group.i.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = prefix + item[1];
        a.textContent = item[0];
        if (item[1] === here) {
          a.className = "current";
          a.setAttribute("aria-current", "page");
          details.open = true;
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      details.appendChild(list);
      fragment.appendChild(details);
    });
    nav.textContent = "";
    nav.appendChild(fragment);
    nav.setAttribute("data-nav", "full");
    var current = nav.querySelector("[aria-current=page]");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
  }
  buildNav(window.RASCI_NAV);

  // On a large site the pages do not load nav.js (see docs/templates.md): the page's own
  // navigation (its landmarks and neighbours) shows first, and the whole tree is fetched
  // with a script element (which works from disk too) when the reader reaches for it: the
  // pointer or the focus in the navigation, a group opened, the filter used. Groups the
  // reader had open stay open.
  var navWaiting = null; // what runs once the tree is loaded, while it loads
  function loadNav(then) {
    if (window.RASCI_NAV) { then(); return; }
    if (navWaiting) { navWaiting.push(then); return; }
    var nav = document.querySelector("nav[data-nav]");
    if (!nav) { return; }
    navWaiting = [then];
    var script = document.createElement("script");
    script.src = (root.getAttribute("data-root") || "") + "static/js/nav.js";
    script.onload = function () {
      var open = {};
      Array.prototype.forEach.call(nav.querySelectorAll("details.nav-group"), function (group) {
        var summary = group.querySelector("summary");
        if (group.open && summary) { open[summary.textContent] = true; }
      });
      buildNav(window.RASCI_NAV);
      Array.prototype.forEach.call(nav.querySelectorAll("details.nav-group"), function (group) {
        var summary = group.querySelector("summary");
        if (summary && open[summary.textContent]) { group.open = true; }
      });
      navWaiting.forEach(function (waiting) { waiting(); });
    };
    document.head.appendChild(script);
  }
  if (!window.RASCI_NAV) {
    var fallbackNav = document.querySelector("nav[data-nav]");
    if (fallbackNav) {
      // The pointer or the keyboard's focus reaching the navigation, or a click on a
      // group's title (the keyboard's Enter and Space click it too); not "toggle",
      // which browsers also send for the groups the page opens.
      var reach = function () { loadNav(function () {}); };
      fallbackNav.addEventListener("pointerenter", reach);
      fallbackNav.addEventListener("focusin", reach);
      fallbackNav.addEventListener("click", function (event) {
        var summary = event.target.closest && event.target.closest("summary");
        if (summary && summary.parentNode && !summary.parentNode.open) { reach(); }
      });
    }
  }

  // A filter box over the navigation: as the reader types, only the links whose text (or
  // whose group's title) holds the words stay, in groups opened to show them; Escape or
  // an empty box brings the navigation back as it was. Down arrow moves to the first link
  // left. It is made here, so readers without scripts never see a box that does nothing.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function addNavFilter() {
    var nav = document.querySelector("nav[data-nav]");
    if (!nav || !nav.parentNode) { return; }
    var box = document.createElement("div");
    box.className = "nav-filter";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = "nav-filter-input";
    label.textContent = "Filter the navigation";
    var input = document.createElement("input");
    input.id = "nav-filter-input";
    input.type = "search";
    input.placeholder = "Filter navigation";
    input.autocomplete = "off";
    input.spellcheck = false;
    var status = document.createElement("p");
    status.className = "nav-filter-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    nav.parentNode.insertBefore(box, nav);
    var wasOpen = null; // each group's state before filtering began

    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var groups = Array.prototype.slice.call(nav.querySelectorAll("details.nav-group"));
      if (!words.length) {
        groups.forEach(function (group, i) {
          group.hidden = false;
          if (wasOpen) { group.open = wasOpen[i]; }
          Array.prototype.forEach.call(group.querySelectorAll("li"), function (li) { li.hidden = false; });
        });
        wasOpen = null;
        status.textContent = "";
        return;
      }
      if (!wasOpen) { wasOpen = groups.map(function (group) { return group.open; }); }
      var shown = 0;
      groups.forEach(function (group) {
        var summary = group.querySelector("summary");
        var title = fold(summary ? summary.textContent : "");
        var inGroup = 0;
        Array.prototype.forEach.call(group.querySelectorAll("li"), function (li) {
          var text = title + " " + fold(li.textContent);
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          li.hidden = !match;
          if (match) { inGroup += 1; }
        });
        group.hidden = inGroup === 0;
        group.open = inGroup > 0;
        shown += inGroup;
      });
      status.textContent = shown === 0 ? "No page matches" : shown === 1 ? "1 page matches" : shown + " pages match";
    }

    input.addEventListener("input", function () { loadNav(apply); });
    input.addEventListener("focus", function () { loadNav(function () {}); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) {
        event.preventDefault();
        event.stopPropagation();
        input.value = "";
        apply();
      } else if (event.key === "ArrowDown") {
        var first = Array.prototype.find.call(nav.querySelectorAll("li a"), function (a) {
          return !a.closest("[hidden]");
        });
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
  }
  addNavFilter();

  var KEY = "rasci-theme";
  var labels = { auto: "automatic", light: "light", dark: "dark" };

  // The order the theme button steps through: from "automatic" it goes first to the
  // scheme the system does not show, so the first click always changes what is seen
  // (on a light system, "light" would look the same as "automatic").
  function themeOrder() {
    var systemDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    return systemDark ? ["auto", "light", "dark"] : ["auto", "dark", "light"];
  }

  function current() {
    var t = root.getAttribute("data-theme");
    return t === "light" || t === "dark" ? t : "auto";
  }

  function apply(mode) {
    if (mode === "auto") {
      root.removeAttribute("data-theme");
    } else {
      root.setAttribute("data-theme", mode);
    }
    try {
      if (mode === "auto") { localStorage.removeItem(KEY); } else { localStorage.setItem(KEY, mode); }
    } catch (e) { /* storage may be disabled; the choice then lasts for this page */ }
    var button = document.querySelector(".theme-toggle");
    if (button) {
      button.setAttribute("aria-label", "Colour theme: " + labels[mode] + " (change)");
      button.title = "Colour theme: " + labels[mode];
    }
  }

  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    apply(current());
    toggle.addEventListener("click", function () {
      var order = themeOrder();
      apply(order[(order.indexOf(current()) + 1) % order.length]);
    });
  }

  var navToggle = document.querySelector(".nav-toggle");
  if (navToggle) {
    navToggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      navToggle.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("nav-open")) {
        document.body.classList.remove("nav-open");
        navToggle.setAttribute("aria-expanded", "false");
        navToggle.focus();
      }
    });
  }

  // Highlight the section being read in "In this article".
  var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  if (links.length && "IntersectionObserver" in window) {
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      var first = null;
      links.forEach(function (a) {
        var id = decodeURIComponent(a.getAttribute("href").slice(1));
        if (!first && visible[id]) { first = a; }
      });
      if (first) {
        links.forEach(function (a) { a.classList.toggle("active", a === first); });
      }
    }, { rootMargin: "-60px 0px -55% 0px" });
    Object.keys(byId).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { observer.observe(el); }
    });
  }

  // Flow drawings: on a phone the numbered steps come first (the stylesheet puts them
  // there) and the drawing waits behind its disclosure. Wider screens show no summary to
  // open it by, so there, and on paper, every drawing is open.
  var drawings = Array.prototype.slice.call(document.querySelectorAll("details.flow-drawing"));
  if (drawings.length && window.matchMedia) {
    var narrow = window.matchMedia("screen and (max-width: 640px)");
    var openAll = function () { drawings.forEach(function (d) { d.open = true; }); };
    if (narrow.matches) { drawings.forEach(function (d) { d.open = false; }); }
    if (narrow.addEventListener) {
      narrow.addEventListener("change", function () { if (!narrow.matches) { openAll(); } });
    }
    window.addEventListener("beforeprint", openAll);
  }
})();

// ---------- Tables that stay readable ----------
// The header row of a RASCI table stays in view while the page scrolls
// through the table. `position: sticky` cannot do it: the wrapper that lets a wide table
// scroll sideways is the header's scroll container, so the header would stick inside
// the wrapper, which does not scroll vertically. A copy of the header row is shown under
// the top bar instead, once the real one has scrolled out of view and while rows of the
// table are still in view, sized to the real columns and scrolled sideways with them.
// The copy is hidden from assistive technology and from the tab order: the real header
// is where it always was. Without scripts the table is as before, every row in the page.
(function () {
  "use strict";
  var topbar = document.querySelector(".topbar");
  var mirrors = [];

  function copyOf(wrap, table) {
    var bar = document.createElement("div");
    bar.className = "table-head-mirror";
    bar.setAttribute("aria-hidden", "true");
    bar.hidden = true;
    var copy = document.createElement("table");
    // Not a `rasci` table: what looks for the table finds the one real table.
    copy.className = "table-head-copy";
    copy.appendChild(table.tHead.cloneNode(true));
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.querySelectorAll("a, [tabindex]").forEach(function (el) { el.setAttribute("tabindex", "-1"); });
    bar.appendChild(copy);
    // Outside the article, whose styles for written tables are not the matrix's.
    document.body.appendChild(bar);
    return { wrap: wrap, table: table, bar: bar, copy: copy, corner: copy.querySelector("th") };
  }

  // Widths of the real header cells, given to the copy's cells.
  function size(m) {
    var real = m.table.tHead.rows[0].cells;
    var copied = m.copy.tHead.rows[0].cells;
    for (var i = 0; i < real.length && i < copied.length; i++) {
      var width = real[i].getBoundingClientRect().width + "px";
      copied[i].style.width = width;
      copied[i].style.minWidth = width;
      copied[i].style.maxWidth = width;
    }
    m.copy.style.width = m.table.getBoundingClientRect().width + "px";
  }

  function place(m) {
    var top = topbar ? Math.max(0, topbar.getBoundingClientRect().bottom) : 0;
    var head = m.table.tHead.getBoundingClientRect();
    var box = m.wrap.getBoundingClientRect();
    // Shown from when the real header goes under the top bar until the last row is about
    // to leave: never over the rows that follow the table.
    var show = head.height > 0 && head.top < top && box.bottom > top + 2 * head.height;
    if (show !== !m.bar.hidden) {
      m.bar.hidden = !show;
      if (show) { size(m); }
    }
    if (!show) { return; }
    var border = m.wrap.clientLeft;
    m.bar.style.top = top + "px";
    m.bar.style.left = box.left + border + "px";
    m.bar.style.width = m.wrap.clientWidth + "px";
    var left = m.wrap.scrollLeft;
    m.copy.style.transform = "translateX(" + -left + "px)";
    // The task column's cell stays put, as the task column does.
    if (m.corner) { m.corner.style.transform = "translateX(" + left + "px)"; }
  }

  var queued = false;
  function update() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      mirrors.forEach(place);
    });
  }

  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    var table = wrap.querySelector("table.rasci");
    if (!table || !table.tHead || !table.tHead.rows.length) { return; }
    var m = copyOf(wrap, table);
    mirrors.push(m);
    wrap.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (!m.bar.hidden) { size(m); } update(); }).observe(table);
    }
  });
  if (!mirrors.length) { return; }
  window.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
})();

// ---------- Top bar ----------
// On a narrow screen the top bar folds its switchers away once the page is scrolled down
// (layout.css), and unfolds near the top again; the gap between the two points keeps the
// bar from flickering as the page's top moves by the rows it folds.
(function () {
  "use strict";
  var root = document.documentElement;
  var queued = false;
  function update() {
    queued = false;
    var y = window.scrollY;
    if (y > 160) { root.classList.add("topbar-folded"); }
    else if (y < 40) { root.classList.remove("topbar-folded"); }
  }
  window.addEventListener("scroll", function () {
    if (!queued) { queued = true; window.requestAnimationFrame(update); }
  }, { passive: true });
  update();
})();

// ---------- Glossary tooltips ----------
// A page carries each term's definition once, in the term's first mark; a later mark is
// described by it (aria-describedby) and gets a copy of it here when it is first hovered,
// focused or tapped, hidden from assistive technology, which reads the description.
// A term's definition shows on hover and keyboard focus by CSS alone. Here it is placed
// in the viewport (position: fixed), so no scrolling table clips it and it opens above the
// term when there is no room below; the row header that holds it is raised over the rows
// under it (matrix.css). On touch, the first tap on a term shows its definition instead of
// leaving the page; a second tap, or the definition's own link, goes to the glossary. A
// tap elsewhere, scrolling away or Escape closes it.
(function () {
  "use strict";
  var open = null;
  var touched = false;

  function own(term) {
    var tip = term.querySelector(".term-def");
    var link = term.querySelector(".term-link");
    if (tip || !link) { return tip; }
    var first = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!first || !first.classList.contains("term-def")) { return null; }
    tip = first.cloneNode(true);
    tip.removeAttribute("id");
    tip.removeAttribute("role");
    tip.classList.remove("term-fixed");
    tip.removeAttribute("style");
    tip.setAttribute("aria-hidden", "true");
    term.appendChild(tip);
    return tip;
  }

  function place(term) {
    var tip = own(term);
    var link = term.querySelector(".term-link");
    if (!tip || !link) { return; }
    tip.classList.add("term-fixed");
    var at = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var gap = 6;
    var top = at.bottom + gap;
    if (top + height > window.innerHeight - gap && at.top - gap - height >= gap) { top = at.top - gap - height; }
    var left = Math.max(gap, Math.min(at.left, window.innerWidth - width - gap));
    tip.style.top = Math.round(top) + "px";
    tip.style.left = Math.round(left) + "px";
  }

  function close() {
    if (!open) { return; }
    open.classList.remove("term-open");
    open = null;
  }

  function show(term) {
    if (open && open !== term) { close(); }
    open = term;
    term.classList.add("term-open");
    place(term);
  }

  document.addEventListener("pointerdown", function (event) { touched = event.pointerType === "touch"; }, true);
  document.addEventListener("mouseover", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { place(term); }
  });
  document.addEventListener("focusin", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { place(term); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".term-link");
    if (link && touched) {
      var term = link.closest(".term");
      if (term !== open) {
        event.preventDefault();
        show(term);
        return;
      }
    }
    if (open && !(event.target.closest && event.target.closest(".term-def"))) { close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
  });
  window.addEventListener("scroll", function () {
    if (open) { place(open); }
    var hovered = document.querySelectorAll(".term:hover, .term:focus-within");
    for (var i = 0; i < hovered.length; i++) { place(hovered[i]); }
  }, { passive: true });
  document.querySelectorAll(".table-wrap, .diagram-scroll").forEach(function (wrap) {
    wrap.addEventListener("scroll", function () { if (open) { place(open); } }, { passive: true });
  });
})();

// ---------- Print ----------
// A printed external link shows its address after its text (print.css), except where
// the text is the address already, as in a Markdown autolink.
(function () {
  "use strict";
  function bare(address) { return address.replace(/^https?:\/\//, "").replace(/\/+$/, ""); }
  document.querySelectorAll(".content a[href^='http://'], .content a[href^='https://']").forEach(function (a) {
    if (bare(a.textContent.trim()) === bare(a.getAttribute("href"))) { a.setAttribute("data-text-is-url", ""); }
  });
})();

// ---------- Conditions ----------
// Rows, cells, summary items and flow steps that apply only under conditions carry
// `data-when` (the condition ids, all of which must hold). The switches, hidden until
// this script runs, let a reader turn conditions off to see the matrix of their
// contract; without the script everything shows, badged.
(function () {
  "use strict";
  var sets = document.querySelectorAll("fieldset.condition-switches");
  if (!sets.length) { return; }
  var boxes = [];
  sets.forEach(function (set) {
    set.hidden = false;
    set.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      boxes.push(box);
      box.addEventListener("change", apply);
    });
  });
  function apply() {
    var off = {};
    boxes.forEach(function (box) { if (!box.checked) { off[box.value] = true; } });
    document.querySelectorAll("[data-when]").forEach(function (el) {
      var applies = el.getAttribute("data-when").split(" ").every(function (id) { return !off[id]; });
      if (el.tagName === "TD") {
        el.classList.toggle("condition-off", !applies);
      } else {
        el.hidden = !applies;
      }
    });
  }
})();

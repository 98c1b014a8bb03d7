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
  var KEY = "rasci-theme";
  var order = ["auto", "light", "dark"];
  var labels = { auto: "automatic", light: "light", dark: "dark" };

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

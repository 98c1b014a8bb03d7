// golive theme behaviour: colour theme toggle, navigation drawer on small screens and
// the current section in "In this article". The site works without it.
(function () {
  "use strict";
  var root = document.documentElement;
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
})();

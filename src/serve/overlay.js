(function () {
  "use strict";
  var key = "rasci-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved) || 0); };
    if (document.readyState === "complete") { restore(); } else { addEventListener("load", restore); }
  }
  var version = "RASCI_VERSION";
  var events = null;
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function connect() {
    events = new EventSource("/__rasci/events");
    events.addEventListener("version", function (e) { if (e.data !== version) { reload(); } });
    events.addEventListener("reload", reload);
    events.addEventListener("findings", function (e) { busy(false); show(JSON.parse(e.data)); });
    events.addEventListener("building", function () { busy(true); });
  }
  connect();
  // Hidden tabs let go of their connection: browsers allow only a few per server, and a
  // writer may keep many pages open. The version sent on reconnecting says whether the
  // page missed a reload meanwhile.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { events.close(); } else if (events.readyState === EventSource.CLOSED) { connect(); }
  });
  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) { node.style.cssText = style; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function busy(on) {
    var old = document.getElementById("rasci-building");
    if (old) { old.remove(); }
    if (!on) { return; }
    var badge = el("div", "position:fixed;top:.75rem;right:.75rem;z-index:2147483647;background:#1e1e1e;color:#eee;" +
      "font:13px/1.4 system-ui,sans-serif;padding:.35rem .7rem;border-radius:999px;box-shadow:0 2px 10px rgba(0,0,0,.3)",
      "rebuilding\u2026");
    badge.id = "rasci-building";
    badge.setAttribute("role", "status");
    (document.body || document.documentElement).appendChild(badge);
  }
  function show(list) {
    var old = document.getElementById("rasci-findings");
    if (old) { old.remove(); }
    if (!list.length) { return; }
    var errors = list.filter(function (f) { return f.severity === "error"; }).length;
    var panel = el("div", "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1e1e1e;color:#eee;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "border-left:6px solid #e5484d;border-radius:6px;box-shadow:0 6px 30px rgba(0,0,0,.45);padding:1rem 1.25rem;text-align:left");
    panel.id = "rasci-findings";
    panel.setAttribute("role", "alert");
    var head = el("div", "display:flex;justify-content:space-between;gap:1rem;margin-bottom:.5rem");
    head.appendChild(el("strong", "color:#ff8589", errors + (errors === 1 ? " error" : " errors") +
      ": the page shows the last good build"));
    var close = el("button", "background:none;border:1px solid #777;color:#eee;border-radius:4px;cursor:pointer", "hide");
    close.addEventListener("click", function () { panel.remove(); });
    head.appendChild(close);
    panel.appendChild(head);
    var items = el("ol", "margin:0;padding:0;list-style:none");
    list.forEach(function (f) {
      var item = el("li", "padding:.4rem 0;border-top:1px solid #333");
      var where = f.file ? f.file + (f.line ? ":" + f.line + ":" + f.column : "") : "";
      var color = f.severity === "error" ? "#ff8589" : "#f5c451";
      item.appendChild(el("span", "color:" + color + ";font-weight:bold", f.severity + "[" + f.rule + "]"));
      if (where) { item.appendChild(el("span", "color:#8fb8ff;margin-left:.6rem", where)); }
      item.appendChild(el("div", "white-space:pre-wrap", f.message));
      if (f.help) { item.appendChild(el("div", "color:#aaa;white-space:pre-wrap", "help: " + f.help)); }
      items.appendChild(item);
    });
    panel.appendChild(items);
    (document.body || document.documentElement).appendChild(panel);
  }
})();

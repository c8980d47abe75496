// Parallax default theme: progressive enhancement only, every page is whole
// without it. See docs/theme.md.
(function () {
  "use strict";
  var d = document;
  var all = function (sel, root) { return [].slice.call((root || d).querySelectorAll(sel)); };
  var el = function (tag, attrs) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };

  // "(3 hours ago)" after absolute times.
  var units = [["year", 31536e3], ["month", 2592e3], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var rtf = null;
  try { rtf = new Intl.RelativeTimeFormat(d.documentElement.lang || "en", { numeric: "auto" }); } catch (e) { rtf = null; }
  if (rtf) all("time[data-relative]").forEach(function (t) {
    var s = (Date.parse(t.getAttribute("datetime")) - Date.now()) / 1000;
    var u = units.find(function (u) { return Math.abs(s) >= u[1]; }) || units[5];
    var r = el("span", { class: "relative" });
    r.textContent = " (" + rtf.format(Math.round(s / u[1]), u[0]) + ")";
    if (!isNaN(s)) t.after(r);
  });

  // Analysis: the perspectives become tabs (WAI-ARIA tabs: arrows, Home and
  // End move between tabs; Tab goes on to the open panel).
  all("[data-tabs]").forEach(function (box) {
    var panels = all(".perspective", box);
    // The tab list's name is the theme's word for it (story.html's
    // data-label); arrow keys follow the page's direction.
    var list = el("div", { class: "tablist", role: "tablist", "aria-label": box.dataset.label || "Perspectives" });
    var step = getComputedStyle(box).direction === "rtl" ? -1 : 1;
    var tabs = panels.map(function (panel, i) {
      var tab = el("button", { type: "button", role: "tab", id: panel.id + "-tab", class: "tab-" + panel.id.slice(12), "aria-controls": panel.id });
      tab.textContent = panel.querySelector("h3").textContent;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.onclick = function () { select(i); };
      tab.onkeydown = function (e) {
        var n = { ArrowRight: i + step, ArrowLeft: i - step, Home: 0, End: -1 }[e.key];
        if (n === undefined) return;
        e.preventDefault();
        select((n + panels.length) % panels.length, true);
      };
      list.append(tab);
      return tab;
    });
    function select(k, focus) {
      tabs.forEach(function (tab, i) {
        tab.setAttribute("aria-selected", i === k);
        tab.tabIndex = i === k ? 0 : -1;
        panels[i].hidden = i !== k;
      });
      if (focus) tabs[k].focus();
    }
    select(0);
    box.prepend(list);
  });

  // Articles: filter by side, and say what is shown (each button carries
  // its sentence, in the site's language: story.html's data-status).
  all("[data-filters]").forEach(function (group) {
    var items = all(".article-list > li", group.parentNode);
    var status = group.querySelector("[role=status]");
    var buttons = all("button", group);
    buttons.forEach(function (button) {
      button.onclick = function () {
        var side = button.dataset.filter;
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button); });
        items.forEach(function (li) {
          li.hidden = side !== "all" && li.dataset.bucket !== side;
        });
        status.textContent = button.dataset.status || "";
      };
    });
    group.hidden = false;
  });

  // Print every FAQ answer, then close those that were closed.
  var shut = [];
  addEventListener("beforeprint", function () {
    shut = all("details:not([open])");
    shut.forEach(function (x) { x.open = true; });
  });
  addEventListener("afterprint", function () {
    shut.forEach(function (x) { x.open = false; });
  });
})();

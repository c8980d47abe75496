// Parallax default theme. Progressive enhancement only: every page is whole
// and readable without this file.
(function () {
  "use strict";
  var $$ = function (sel, root) { return [].slice.call((root || document).querySelectorAll(sel)); };
  var attr = function (el, name, value) { el.setAttribute(name, value); };

  // Relative times ("3 hours ago") after the absolute ones.
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var rtf = window.Intl && Intl.RelativeTimeFormat && new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
  if (rtf) $$("time[data-relative]").forEach(function (el) {
    var s = (Date.parse(el.getAttribute("datetime")) - Date.now()) / 1000;
    var u = units.find(function (u) { return Math.abs(s) >= u[1]; }) || units[5];
    if (isNaN(s)) return;
    var span = document.createElement("span");
    span.className = "relative";
    span.textContent = " (" + rtf.format(Math.round(s / u[1]), u[0]) + ")";
    el.after(span);
  });

  // Analysis: the perspectives become tabs (the WAI-ARIA tabs pattern: arrow
  // keys, Home and End move between tabs; Tab goes on to the open panel).
  $$("[data-tabs]").forEach(function (box) {
    var panels = $$(".perspective", box);
    var list = document.createElement("div");
    list.className = "tablist";
    attr(list, "role", "tablist");
    attr(list, "aria-label", "Perspectives");
    var tabs = panels.map(function (panel, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "tab-" + panel.id.slice(12);
      tab.textContent = panel.querySelector("h3").textContent;
      attr(tab, "role", "tab");
      attr(tab, "aria-controls", panel.id);
      attr(panel, "role", "tabpanel");
      attr(panel, "aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.onclick = function () { select(i); };
      tab.onkeydown = function (e) {
        var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: panels.length - 1 }[e.key];
        if (next === undefined) return;
        e.preventDefault();
        select((next + panels.length) % panels.length, true);
      };
      list.append(tab);
      return tab;
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        attr(tab, "aria-selected", i === index);
        tab.tabIndex = i === index ? 0 : -1;
        panels[i].hidden = i !== index;
      });
      if (focus) tabs[index].focus();
    }
    select(0);
    box.prepend(list);
  });

  // Articles: filter by side, and say what is shown.
  $$("[data-filters]").forEach(function (group) {
    var items = $$(".article-list > li", group.parentNode);
    var status = group.querySelector("[role=status]");
    var buttons = $$("button", group);
    buttons.forEach(function (button) {
      button.onclick = function () {
        var side = button.getAttribute("data-filter");
        var shown = 0;
        buttons.forEach(function (b) { attr(b, "aria-pressed", b === button); });
        items.forEach(function (li) {
          li.hidden = side !== "all" && li.getAttribute("data-bucket") !== side;
          shown += !li.hidden;
        });
        status.textContent = side === "all" ? "Showing all " + shown + " articles."
          : shown ? "Showing " + shown + " of " + items.length + " articles, from the " + side + "."
          : "No articles from the " + side + ".";
      };
    });
    group.hidden = false;
  });

  // Print every FAQ answer, then close again those that were closed.
  var closed = [];
  addEventListener("beforeprint", function () {
    closed = $$("details:not([open])");
    closed.forEach(function (d) { d.open = true; });
  });
  addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
  });
})();

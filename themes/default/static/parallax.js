// Parallax default theme. Progressive enhancement only: every page is whole
// without this file. docs/theme.md explains the choices.
(function () {
  "use strict";
  var all = function (sel, root) { return [].slice.call((root || document).querySelectorAll(sel)); };
  var set = function (el, name, value) { el.setAttribute(name, value); };

  // "(3 hours ago)" after absolute times.
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var rtf = window.Intl && Intl.RelativeTimeFormat && new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
  if (rtf) all("time[data-relative]").forEach(function (el) {
    var s = (Date.parse(el.getAttribute("datetime")) - Date.now()) / 1000;
    var u = units.find(function (u) { return Math.abs(s) >= u[1]; }) || units[5];
    if (isNaN(s)) return;
    var span = document.createElement("span");
    span.className = "relative";
    span.textContent = " (" + rtf.format(Math.round(s / u[1]), u[0]) + ")";
    el.after(span);
  });

  // Analysis: the perspectives become tabs (WAI-ARIA tabs: arrows, Home and
  // End move between tabs; Tab goes on to the open panel).
  all("[data-tabs]").forEach(function (box) {
    var panels = all(".perspective", box);
    var list = document.createElement("div");
    list.className = "tablist";
    set(list, "role", "tablist");
    set(list, "aria-label", "Perspectives");
    var tabs = panels.map(function (panel, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "tab-" + panel.id.slice(12);
      tab.textContent = panel.querySelector("h3").textContent;
      set(tab, "role", "tab");
      set(tab, "aria-controls", panel.id);
      set(panel, "role", "tabpanel");
      set(panel, "aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.onclick = function () { select(i); };
      tab.onkeydown = function (e) {
        var n = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: -1 }[e.key];
        if (n === undefined) return;
        e.preventDefault();
        select((n + panels.length) % panels.length, true);
      };
      list.append(tab);
      return tab;
    });
    function select(k, focus) {
      tabs.forEach(function (tab, i) {
        set(tab, "aria-selected", i === k);
        tab.tabIndex = i === k ? 0 : -1;
        panels[i].hidden = i !== k;
      });
      if (focus) tabs[k].focus();
    }
    select(0);
    box.prepend(list);
  });

  // Articles: filter by side, and say what is shown.
  all("[data-filters]").forEach(function (group) {
    var items = all(".article-list > li", group.parentNode);
    var status = group.querySelector("[role=status]");
    var buttons = all("button", group);
    buttons.forEach(function (button) {
      button.onclick = function () {
        var side = button.getAttribute("data-filter");
        var shown = 0;
        buttons.forEach(function (b) { set(b, "aria-pressed", b === button); });
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

  // Print every FAQ answer, then close those that were closed.
  var shut = [];
  addEventListener("beforeprint", function () {
    shut = all("details:not([open])");
    shut.forEach(function (d) { d.open = true; });
  });
  addEventListener("afterprint", function () {
    shut.forEach(function (d) { d.open = false; });
  });
})();

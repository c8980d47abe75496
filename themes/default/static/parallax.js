// Progressive enhancement only: every page is complete without this file.
(function () {
  "use strict";
  // Relative times beside the absolute ones.
  var units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var rtf = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" }) : null;
  document.querySelectorAll("time[data-relative]").forEach(function (el) {
    if (!rtf) return;
    var seconds = (Date.parse(el.getAttribute("datetime")) - Date.now()) / 1000;
    if (isNaN(seconds)) return;
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || i === units.length - 1) {
        var span = document.createElement("span");
        span.className = "relative";
        span.textContent = " (" + rtf.format(Math.round(seconds / units[i][1]), units[i][0]) + ")";
        el.after(span);
        return;
      }
    }
  });

  // Analysis: three sections become tabs.
  document.querySelectorAll("[data-tabs]").forEach(function (box) {
    var panels = Array.prototype.slice.call(box.querySelectorAll(":scope > section"));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Perspectives");
    list.className = "tablist";
    var tabs = panels.map(function (panel, i) {
      var heading = panel.querySelector("h3");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = heading ? heading.textContent : "Tab " + (i + 1);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      if (heading) heading.classList.add("visually-hidden");
      list.appendChild(tab);
      return tab;
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(i, false); });
      tab.addEventListener("keydown", function (e) {
        var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
        if (next === undefined) return;
        e.preventDefault();
        select((next + tabs.length) % tabs.length, true);
      });
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("tabs-on");
    select(0, false);
  });

  // Articles: filter by side.
  document.querySelectorAll("[data-filters]").forEach(function (group) {
    var list = group.parentNode.querySelector(".article-list");
    if (!list) return;
    var buttons = Array.prototype.slice.call(group.querySelectorAll("button"));
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var side = button.getAttribute("data-filter");
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
        list.querySelectorAll("li[data-bucket]").forEach(function (li) {
          li.hidden = side !== "all" && li.getAttribute("data-bucket") !== side;
        });
      });
    });
    group.hidden = false;
  });
})();

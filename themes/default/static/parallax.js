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
  var rtf = window.Intl && Intl.RelativeTimeFormat && new Intl.RelativeTimeFormat(d.documentElement.lang || "en", { numeric: "auto" });
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
    var list = el("div", { class: "tablist", role: "tablist", "aria-label": "Perspectives" });
    var tabs = panels.map(function (panel, i) {
      var tab = el("button", { type: "button", role: "tab", id: panel.id + "-tab", class: "tab-" + panel.id.slice(12), "aria-controls": panel.id });
      tab.textContent = panel.querySelector("h3").textContent;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
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
        tab.setAttribute("aria-selected", i === k);
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
        var side = button.dataset.filter;
        var shown = 0;
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button); });
        items.forEach(function (li) {
          shown += !(li.hidden = side !== "all" && li.dataset.bucket !== side);
        });
        status.textContent = side === "all" ? "Showing all " + shown + " articles."
          : shown ? "Showing " + shown + " of " + items.length + " articles, from the " + side + "."
          : "No articles from the " + side + ".";
      };
    });
    group.hidden = false;
  });

  // Search (search.html): Pagefind's index, drawn as story cards. The URL
  // follows the query (?q=, side, topic, sort), so a search can be shared.
  var box = d.querySelector("[data-search]");
  if (box) search(box);
  function search(box) {
    var $ = function (sel) { return box.querySelector(sel); };
    var form = $("form"), q = $("#q"), side = $("#side"), topic = $("#topic"), sort = $("#sort");
    var status = $("[data-search-status]"), list = $("[data-search-results]"), more = $("[data-search-more]");
    var PAGE = 10, found = [], shown = 0, seq = 0, timer;
    var params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    sort.value = params.get("sort") === "newest" ? "newest" : "";
    var pagefind = import(box.dataset.index + "pagefind.js").then(function (pf) {
      $("[data-search-nojs]").remove();
      return pf.filters().then(function (f) {
        Object.keys(f.topic || {}).sort().forEach(function (name) {
          var o = el("option", { value: name });
          o.textContent = name;
          topic.append(o);
        });
        side.value = f.side && f.side[params.get("side")] !== undefined ? params.get("side") : "";
        topic.value = params.get("topic") || "";
        $("[data-search-filters]").hidden = false;
        return pf;
      });
    });
    function text(tag, cls, words) {
      var e = el(tag, cls ? { class: cls } : {});
      e.textContent = words;
      return e;
    }
    // A result as card.html draws a story (or a plain page).
    function card(r) {
      var m = r.meta, li = d.createElement("li"), a = el("article", { class: "card" });
      var h = el("h2", { class: "card-title" }), link = text("a", "", m.title || r.url);
      link.href = r.url;
      h.append(link);
      a.append(h);
      if (m.summary) a.append(text("p", "card-summary", m.summary));
      if (m.kind === "story") {
        var meta = el("p", { class: "card-meta" }), t = text("time", "", m.date), n = +m.sources;
        t.setAttribute("datetime", m.iso);
        meta.append(t, (m.location ? " · " + m.location : "") + " · " + n + " source" + (n === 1 ? "" : "s"));
        var sides = [["left", "Left"], ["center", "Center"], ["right", "Right"]];
        var label = sides.map(function (s) { return s[1] + " " + m[s[0]] + "%"; }).join(", ");
        var bar = el("div", { class: "bias-bar", role: "img", "aria-label": "Coverage: " + label + (+m.untracked ? "; " + m.untracked + " untracked" : "") });
        var legend = el("p", { class: "bias-legend" });
        sides.forEach(function (s, i) {
          var p = +m[s[0]];
          if (p > 0) {
            var seg = text("span", "seg-" + s[0], (p >= 30 ? s[1] + " " : "") + (p >= 12 ? p + "%" : ""));
            seg.style.width = p + "%";
            bar.append(seg);
          }
          legend.append(text("span", "legend-" + s[0], s[1] + " " + p + "%"));
          if (i < 2) legend.append(" · ");
        });
        if (+m.untracked) legend.append(" · ", text("span", "", m.untracked + " untracked bias"));
        a.append(meta, bar, legend);
        if (m.blindspot) {
          var b = el("p", { class: "blindspot-badge" });
          b.append(text("strong", "", "Blindspot:"), " few sources from the " + m.blindspot + " (" + m.blindspot_percent + "%)");
          a.append(b);
        }
      }
      li.append(a);
      return li;
    }
    function show(n) {
      var mine = seq;
      return Promise.all(found.slice(shown, shown + n).map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== seq) return;
        data.forEach(function (r) { list.append(card(r)); });
        shown += data.length;
        more.hidden = shown >= found.length;
      });
    }
    function run() {
      var words = q.value.trim(), filters = {};
      if (side.value) filters.side = side.value;
      if (topic.value) filters.topic = topic.value;
      var url = new URLSearchParams();
      if (words) url.set("q", words);
      if (side.value) url.set("side", side.value);
      if (topic.value) url.set("topic", topic.value);
      if (sort.value) url.set("sort", sort.value);
      history.replaceState(null, "", location.pathname + (String(url) ? "?" + url : ""));
      var mine = ++seq;
      if (!words && !filters.side && !filters.topic) {
        list.textContent = "";
        found = [];
        more.hidden = true;
        status.textContent = "";
        return Promise.resolve();
      }
      return pagefind.then(function (pf) {
        return pf.search(words || null, { filters: filters, sort: sort.value ? { date: "desc" } : undefined });
      }).then(function (res) {
        if (mine !== seq || !res) return;
        found = res.results;
        shown = 0;
        list.textContent = "";
        return show(PAGE).then(function () {
          if (mine !== seq) return;
          var n = found.length;
          status.textContent = (n ? n + " result" + (n === 1 ? "" : "s") : "No results") + (words ? " for “" + words + "”" : "") + ".";
        });
      }, function () {
        status.textContent = "Search could not load.";
      });
    }
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });
    [side, topic, sort].forEach(function (s) { s.addEventListener("change", run); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    more.querySelector("button").addEventListener("click", function () {
      var first = shown;
      show(PAGE).then(function () {
        var next = list.children[first];
        if (next) next.querySelector("a").focus();
      });
    });
    pagefind.then(run, function () { status.textContent = "Search could not load."; });
  }

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

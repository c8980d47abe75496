// Parallax default theme: the search page (search.html), on Pagefind's JS
// API (pagefind/pagefind.js, loaded from this site only when the page is
// opened). Results are drawn as card.html draws a story. See docs/theme.md.
(function () {
  "use strict";
  var d = document;
  // Search (search.html): Pagefind's index, drawn as story cards. The URL
  // follows the query (?q=, side, topic, sort), so a search can be shared.
  var box = d.querySelector("[data-search]");
  if (box) search(box);
  function el(tag, attrs) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
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

})();

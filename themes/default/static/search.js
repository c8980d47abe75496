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
  // The theme's words in the site's language (search.html's data-i18n:
  // each key's text, or its plural forms by CLDR category), filled in as
  // the build fills them.
  function phrases(box) {
    var table = {};
    try { table = JSON.parse(box.dataset.i18n || "{}"); } catch (e) { table = {}; }
    var rules = null;
    try { rules = new Intl.PluralRules(d.documentElement.lang || "en"); } catch (e) { rules = null; }
    return function (key, args) {
      var text = table[key];
      args = args || {};
      if (text === undefined) return key;
      if (typeof text === "object") {
        var form = rules && args.count !== undefined ? rules.select(+args.count) : "other";
        text = text[form] !== undefined ? text[form] : text.other;
      }
      return String(text).replace(/\{([a-z0-9_]+)\}/g, function (all, name) {
        return args[name] !== undefined ? String(args[name]) : all;
      });
    };
  }
  function search(box) {
    var $ = function (sel) { return box.querySelector(sel); };
    var t = phrases(box);
    var form = $("form"), q = $("#q"), side = $("#side"), topic = $("#topic"), sort = $("#sort");
    var status = $("[data-search-status]"), list = $("[data-search-results]"), more = $("[data-search-more]");
    var PAGE = 10, found = [], shown = 0, seq = 0, timer;
    var params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    sort.value = params.get("sort") === "newest" ? "newest" : "";
    // The page lists the sides and topics itself: asking Pagefind for its
    // filters would load every filter index (the outlets' is large), where
    // a search loads only those it filters by. A value the URL names that
    // is not listed leaves the filter off.
    var listed = function (select, value) {
      return [].some.call(select.options, function (o) { return o.value === value; }) ? value : "";
    };
    side.value = listed(side, params.get("side") || "");
    topic.value = listed(topic, params.get("topic") || "");
    var pagefind = import(box.dataset.index + "pagefind.js").then(function (pf) {
      $("[data-search-nojs]").remove();
      $("[data-search-filters]").hidden = false;
      // The script and the index's metadata, loaded before the first
      // keystroke rather than after it.
      return pf.init().then(function () { return pf; });
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
        var meta = el("p", { class: "card-meta" }), time = text("time", "", m.date), n = +m.sources;
        time.setAttribute("datetime", m.iso);
        meta.append(time, (m.location ? " · " + m.location : "") + " · " + t("sources_count", { count: n }));
        var sides = [["left", t("side_left")], ["center", t("side_center")], ["right", t("side_right")]];
        var pc = function (p) { return t("percent", { value: p }); };
        var shares = sides.map(function (s) { return s[1] + " " + pc(m[s[0]]); }).join(t("list_separator"));
        var untracked = +m.untracked;
        var label = untracked ? t("bar_label_untracked", { shares: shares, count: untracked }) : t("bar_label", { shares: shares });
        var bar = el("div", { class: "bias-bar", role: "img", "aria-label": label });
        var legend = el("p", { class: "bias-legend" });
        sides.forEach(function (s, i) {
          var p = +m[s[0]];
          if (p > 0) {
            var seg = text("span", "seg-" + s[0], (p >= 30 ? s[1] + " " : "") + (p >= 12 ? pc(p) : ""));
            seg.style.width = p + "%";
            bar.append(seg);
          }
          legend.append(text("span", "legend-" + s[0], s[1] + " " + pc(p)));
          if (i < 2) legend.append(" · ");
        });
        if (untracked) legend.append(" · ", text("span", "", t("untracked_bias_count", { count: untracked })));
        a.append(meta, bar, legend);
        if (m.blindspot) {
          var b = el("p", { class: "blindspot-badge" });
          b.append(text("strong", "", t("blindspot_label")), " " + t("blindspot_card_" + m.blindspot, { percent: pc(m.blindspot_percent) }));
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
          var key = (n ? "search_results" : "search_no_results") + (words ? "_for" : "");
          status.textContent = t(key, { count: n, words: words });
        });
      }, function () {
        status.textContent = t("search_failed");
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
    pagefind.then(run, function () { status.textContent = t("search_failed"); });
  }

})();

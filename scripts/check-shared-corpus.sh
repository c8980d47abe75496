#!/usr/bin/env bash
# Extra check (not part of `cargo test`): build a corpus made by the shared
# benchmark generator and check what the build wrote, independently of the
# build's own code:
#
# - every output path the site format lists is there;
# - every HTML page parses, with its elements balanced;
# - each story page's <h1> and <title> carry the story's title as its front
#   matter has it, and its index.json is valid JSON with that slug and title;
# - feed.xml and sitemap.xml parse as XML; the sitemap lists exactly the
#   story URLs (plus the listing pages), all absolute; the feed has the
#   newest stories.
#
# Needs ../shared beside the repository and python3. Without ../shared it
# skips, unless PARALLAX_REQUIRE_ALL_TESTS is set (as in CI): then it fails.
#
#   [PARALLAX_BIN=path/to/parallax] scripts/check-shared-corpus.sh [STORIES=300]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
gen="$repo/../shared/bench/gen_corpus.py"
stories=${1:-300}
if [ ! -f "$gen" ]; then
  if [ -n "${PARALLAX_REQUIRE_ALL_TESTS:-}" ]; then
    echo "error: $gen not found, and PARALLAX_REQUIRE_ALL_TESTS is set" >&2
    exit 1
  fi
  echo "skip: $gen not found (it is only beside the repository in CI)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$gen" --stories "$stories" --out "$work/site" >/dev/null
# PARALLAX_BIN: a binary already built (CI passes the one `cargo test`
# made); otherwise a dev build. A cold release build (fat LTO) would add
# minutes and check nothing more.
bin=${PARALLAX_BIN:-}
if [ -z "$bin" ]; then
  cargo build --quiet --manifest-path "$repo/Cargo.toml"
  bin="$repo/target/debug/parallax"
fi
"$bin" build --root "$work/site" --output "$work/out"
python3 - "$work/site" "$work/out" "$stories" <<'PY'
import json, math, os, re, sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

site, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
problems = []

def problem(text):
    problems.append(text)

def topic_slug(name):
    return "-".join(p for p in re.split(r"[^\w]+|_", name.lower()) if p)

def need(rel):
    if not os.path.isfile(os.path.join(out, rel)):
        problem(f"missing output {rel}")

base_url = re.search(r"^base_url: *(\S+)", open(os.path.join(site, "site.yaml")).read(), re.M).group(1).rstrip("/")

# --- What the generator wrote -------------------------------------------------
stories = []  # (slug, title, date)
topics = set()
for root, _, files in os.walk(os.path.join(site, "content/stories")):
    for f in files:
        text = open(os.path.join(root, f), encoding="utf-8").read()
        front = text.split("\n---\n", 1)[0]
        slug = re.search(r"^slug: (.*)$", front, re.M).group(1)
        # The generator writes titles as YAML double-quoted scalars with JSON's
        # escapes.
        title = json.loads(re.search(r"^title: (.*)$", front, re.M).group(1))
        date = re.search(r"^date: (.*)$", front, re.M).group(1)
        draft = re.search(r"^draft: true$", front, re.M) is not None
        if not draft:
            stories.append((slug, title, date))
        line = re.search(r"^topics: \[(.*)\]$", front, re.M).group(1)
        topics.update(json.loads("[" + line + "]"))
outlet_ids = [line.strip().rstrip(":") for line in open(os.path.join(site, "content/outlets.yaml"))
              if line.strip() and not line.startswith(" ")]

# --- Every path -------------------------------------------------------------------
for rel in ["index.html", "topics/index.html", "outlets/index.html", "blindspots/index.html",
            "feed.xml", "sitemap.xml", "robots.txt", "404.html"]:
    need(rel)
pages = math.ceil(len(stories) / 20)
for k in range(2, pages + 1):
    need(f"page/{k}/index.html")
if os.path.exists(os.path.join(out, f"page/{pages + 1}/index.html")):
    problem(f"page/{pages + 1}/ exists: one index page too many")
for slug, _, _ in stories:
    need(f"stories/{slug}/index.html")
    need(f"stories/{slug}/index.json")
for t in topics:
    need(f"topics/{topic_slug(t)}/index.html")
for o in outlet_ids:
    need(f"outlets/{o}/index.html")

# --- Every HTML page parses, balanced -------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

class Page(HTMLParser):
    def __init__(self, rel):
        super().__init__(convert_charrefs=True)
        self.rel, self.stack, self.texts, self.current = rel, [], {"h1": [], "title": []}, None
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        if tag in self.texts:
            self.current = tag
            self.texts[tag].append("")
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            raise ValueError(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        self.stack.pop()
        if tag == self.current:
            self.current = None
    def handle_data(self, data):
        if self.current:
            self.texts[self.current][-1] += data

def parse_html(rel):
    p = Page(rel)
    try:
        p.feed(open(os.path.join(out, rel), encoding="utf-8").read())
        p.close()
        if p.stack:
            raise ValueError(f"unclosed {p.stack}")
    except Exception as e:
        problem(f"{rel}: HTML does not parse: {e}")
    return {k: [" ".join(t.split()) for t in v] for k, v in p.texts.items()}

html_pages = 0
parsed = {}
for root, _, files in os.walk(out):
    for f in files:
        if f.endswith(".html"):
            rel = os.path.relpath(os.path.join(root, f), out)
            parsed[rel] = parse_html(rel)
            html_pages += 1

# --- Story pages and their JSON carry the story's own title ---------------------
for slug, title, _ in stories:
    page = parsed.get(f"stories/{slug}/index.html")
    if page is None:
        continue
    if page["h1"] != [title]:
        problem(f"stories/{slug}/: <h1> is {page['h1']}, the front matter's title is {title!r}")
    if not page["title"] or title not in page["title"][0]:
        problem(f"stories/{slug}/: <title> {page['title']} lacks {title!r}")
    try:
        data = json.load(open(os.path.join(out, f"stories/{slug}/index.json"), encoding="utf-8"))
        if data.get("slug") != slug or data.get("title") != title:
            problem(f"stories/{slug}/index.json: slug {data.get('slug')!r}, title {data.get('title')!r}")
        if data.get("url") != f"{base_url}/stories/{slug}/":
            problem(f"stories/{slug}/index.json: url {data.get('url')!r}")
    except (OSError, ValueError) as e:
        problem(f"stories/{slug}/index.json: not valid JSON: {e}")

# --- The feed and the sitemap -------------------------------------------------------
def xml(rel):
    try:
        return ET.parse(os.path.join(out, rel)).getroot()
    except (OSError, ET.ParseError) as e:
        problem(f"{rel}: not XML: {e}")
        return None

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
sitemap = xml("sitemap.xml")
if sitemap is not None:
    locs = [e.text for e in sitemap.iter(SM + "loc")]
    if not all(l and l.startswith(base_url + "/") for l in locs):
        problem("sitemap.xml: a URL that is not absolute under base_url")
    if len(locs) != len(set(locs)):
        problem("sitemap.xml: a URL listed twice")
    listed = {l for l in locs if l.startswith(base_url + "/stories/")}
    expected = {f"{base_url}/stories/{slug}/" for slug, _, _ in stories}
    if listed != expected:
        problem(f"sitemap.xml: story URLs differ: {len(listed - expected)} extra, {len(expected - listed)} missing")
feed = xml("feed.xml")
if feed is not None:
    entries = feed.findall(ATOM + "entry")
    newest = sorted(stories, key=lambda s: s[2], reverse=True)[: min(20, len(stories))]
    if len(entries) != len(newest):
        problem(f"feed.xml: {len(entries)} entries, expected {len(newest)}")
    feed_titles = sorted(e.findtext(ATOM + "title") or "" for e in entries)
    if feed_titles != sorted(t for _, t, _ in newest):
        problem("feed.xml: the entries are not the newest stories")

if problems:
    print(f"{len(problems)} problems, e.g.:")
    for p in problems[:10]:
        print(f"  {p}")
    sys.exit(1)
print(f"shared corpus: {len(stories)} stories, {len(topics)} topics, {html_pages} HTML pages parsed; "
      "every output path present, titles, JSON, feed and sitemap as the content says")
PY

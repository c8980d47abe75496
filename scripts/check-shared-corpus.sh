#!/usr/bin/env bash
# Extra check (not part of `cargo test`): build a corpus made by the shared
# benchmark generator and check that every output path the site format lists
# is there. Needs ../shared beside the repository and python3.
#
#   scripts/check-shared-corpus.sh [STORIES=300]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
gen="$repo/../shared/bench/gen_corpus.py"
stories=${1:-300}
if [ ! -f "$gen" ]; then
  echo "skip: $gen not found (it is only beside the repository in CI)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$gen" --stories "$stories" --out "$work/site" >/dev/null
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
"$repo/target/release/parallax" build --root "$work/site" --output "$work/out"
python3 - "$work/site" "$work/out" "$stories" <<'PY'
import json, math, os, re, sys
site, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def topic_slug(name):
    return "-".join(p for p in re.split(r"[^\w]+|_", name.lower()) if p)
missing = []
def need(rel):
    if not os.path.isfile(os.path.join(out, rel)):
        missing.append(rel)
for rel in ["index.html", "topics/index.html", "outlets/index.html", "blindspots/index.html",
            "feed.xml", "sitemap.xml", "robots.txt", "404.html"]:
    need(rel)
for k in range(2, math.ceil(n / 20) + 1):
    need(f"page/{k}/index.html")
topics, slugs = set(), []
for root, _, files in os.walk(os.path.join(site, "content/stories")):
    for f in files:
        text = open(os.path.join(root, f)).read()
        slugs.append(re.search(r"^slug: (.*)$", text, re.M).group(1))
        line = re.search(r"^topics: \[(.*)\]$", text, re.M).group(1)
        topics.update(json.loads("[" + line + "]"))
for s in slugs:
    need(f"stories/{s}/index.html")
    need(f"stories/{s}/index.json")
for t in topics:
    need(f"topics/{topic_slug(t)}/index.html")
for line in open(os.path.join(site, "content/outlets.yaml")):
    if not line.startswith(" "):
        need(f"outlets/{line.strip().rstrip(':')}/index.html")
if missing:
    print(f"{len(missing)} outputs missing, e.g. {missing[:5]}")
    sys.exit(1)
print(f"shared corpus: {len(slugs)} stories, {len(topics)} topics: every output path present")
PY

#!/usr/bin/env python3
"""Change-to-output latency of `parallax watch` on a generated site.

    scripts/bench-watch.py --binary target/release/parallax --site /tmp/site [--edits 15]
        [--start-timeout 300] [--timeout 60]

For 100,000 and 300,000 stories, give the first build time to finish and
put the copy on a disk with room (it goes where TMPDIR says):

    TMPDIR=/var/tmp scripts/bench-watch.py --binary target/release/parallax \
        --site /var/tmp/bench/bench-parallax-300000 --edits 5 --start-timeout 1800 --timeout 300

Starts `parallax watch` on SITE (a copy is made, the site is not modified),
then, one at a time, makes a change and measures the time from the write to
the moment the output shows it (polling the output file every millisecond):
  - title edit: a story's title changes; wait for its page to carry it;
  - new story: a new file appears; wait for its page;
  - outlet rating: an outlet's bias changes; wait for a citing story's JSON.
Prints median and worst of each. A benchmark, not a test: it asserts nothing.
"""
import argparse, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, threading, time


TIMEOUT = 60.0


def wait_for(path, needle, timeout=None):
    """Waits until the file contains `needle` (a string, or a predicate on the text)."""
    test = needle if callable(needle) else (lambda text: needle in text)
    timeout = TIMEOUT if timeout is None else timeout
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with open(path, encoding="utf-8") as f:
                if test(f.read()):
                    return time.perf_counter()
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.001)
    raise SystemExit(f"timed out waiting for {needle!r} in {path}")


def cites_with_bias(oid, bias):
    """A predicate: the story JSON rates every source from outlet `oid` as `bias`."""
    def test(text):
        sources = [s for s in json.loads(text)["sources"] if s["outlet"] == oid]
        return bool(sources) and all(s["bias"] == bias for s in sources)
    return test


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--start-timeout", type=float, default=300.0,
                    help="seconds the first build may take")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds one change may take to show")
    a = ap.parse_args()
    global TIMEOUT
    TIMEOUT = a.timeout
    work = tempfile.mkdtemp(prefix="bench-watch-")
    site = os.path.join(work, "site")
    shutil.copytree(a.site, site, ignore=shutil.ignore_patterns("public", ".parallax-cache"))
    out = os.path.join(work, "out")
    proc = subprocess.Popen([a.binary, "--root", site, "watch", "--output", out],
                            stderr=subprocess.PIPE, text=True)
    lines = []
    threading.Thread(target=lambda: [lines.append(l) for l in proc.stderr], daemon=True).start()
    start = time.perf_counter()
    while not any(l.startswith("built in") for l in lines):
        if proc.poll() is not None or time.perf_counter() - start > a.start_timeout:
            raise SystemExit("watch did not start:\n" + "".join(lines))
        time.sleep(0.01)
    print("first build:", [l.strip() for l in lines if l.startswith("built in")][0])
    stories = []
    for root, _, files in os.walk(os.path.join(site, "content/stories")):
        stories += [os.path.join(root, f) for f in files if f.endswith(".md")]
    stories.sort()
    rng = random.Random(7)
    results = {"title edit": [], "new story": [], "outlet rating": []}
    slug_of = lambda text: re.search(r"^slug: (.*)$", text, re.M).group(1)
    for i in range(a.edits):
        # Title edit.
        path = rng.choice(stories)
        text = open(path, encoding="utf-8").read()
        marker = f"Edited {i} {rng.random():.6f}"
        new = re.sub(r"^title: .*$", f'title: "{marker}"', text, count=1, flags=re.M)
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
        t1 = wait_for(os.path.join(out, "stories", slug_of(text), "index.html"), marker)
        results["title edit"].append(t1 - t0)
        time.sleep(0.1)
        # New story.
        slug = f"bench-new-story-{i}"
        new_text = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.M)
        new_path = os.path.join(site, "content/stories", f"{slug}.md")
        t0 = time.perf_counter()
        with open(new_path, "w", encoding="utf-8") as f:
            f.write(new_text)
        t1 = wait_for(os.path.join(out, "stories", slug, "index.html"), slug)
        results["new story"].append(t1 - t0)
        time.sleep(0.1)
    # Outlet rating changes: flip an outlet between two ratings; wait for the
    # JSON of a story citing it.
    outlets_path = os.path.join(site, "content/outlets.yaml")
    for i in range(max(3, a.edits // 3)):
        reg = open(outlets_path, encoding="utf-8").read()
        m = re.search(r'^([a-z0-9-]+):\n  name: .*\n  bias: "([a-z-]+)"', reg, re.M)
        oid, bias = m.group(1), m.group(2)
        target = "far-right" if bias != "far-right" else "far-left"
        citing = next(p for p in stories if f"outlet: {oid}\n" in open(p, encoding="utf-8").read())
        slug = slug_of(open(citing, encoding="utf-8").read())
        reg = reg.replace(f'{oid}:\n  name: {m.group(0).split(chr(10))[1].split(": ", 1)[1]}\n  bias: "{bias}"',
                          f'{oid}:\n  name: {m.group(0).split(chr(10))[1].split(": ", 1)[1]}\n  bias: "{target}"', 1)
        t0 = time.perf_counter()
        with open(outlets_path, "w", encoding="utf-8") as f:
            f.write(reg)
        t1 = wait_for(os.path.join(out, "stories", slug, "index.json"), cites_with_bias(oid, target))
        results["outlet rating"].append(t1 - t0)
        time.sleep(0.2)
    proc.send_signal(2)
    proc.wait(timeout=60)
    for name, xs in results.items():
        ms = [x * 1000 for x in xs]
        print(f"{name:14} n={len(ms):3}  median {statistics.median(ms):7.1f} ms   worst {max(ms):7.1f} ms")
    # Where a rebuild spends its time, by kind of change (from watch's own log).
    stages = {}
    for l in lines:
        m = re.match(r"rebuilt in \d+ ms after (.*?): .*\((.*)\)", l)
        if not m:
            continue
        kind = "outlets" if "outlets.yaml" in m.group(1) else "new story" if "bench-new-story" in m.group(1) else "title edit"
        for name, ms in re.findall(r"(\w+) (\d+) ms", m.group(2)):
            stages.setdefault(kind, {}).setdefault(name, []).append(int(ms))
    for kind, by_stage in stages.items():
        print(f"{kind} rebuilds, median stage times: " +
              ", ".join(f"{n} {statistics.median(v):g} ms" for n, v in by_stage.items()))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()

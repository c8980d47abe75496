#!/usr/bin/env bash
# Full-build benchmark: Parallax beside Hugo on the same generated site.
#
#   scripts/bench.sh [STORIES=10000] [RUNS=5]
#
# Generates the corpus with ../shared/bench/gen_corpus.py (Parallax and Hugo
# flavors, same seed, cached in /tmp), builds it with each tool in turn
# (A B, then B A, and so on; every run into a new output folder, Parallax
# with its cache folder deleted first), then times what a CI rebuild costs (warm cache,
# unchanged site; then one story changed) and the physical floor (reading
# every input, `cp -r` of the output tree). Prints medians of wall time, CPU
# time and peak memory, and the ratios. Needs python3, /usr/bin/time (package
# time) and hugo (package hugo; without it the Hugo column is skipped).
#
# Settings, for large sites (100,000 and 300,000 stories; see
# docs/performance.md, "Large sites"):
#   HUGO=0       skip Hugo (at 300,000 stories it would need some 50 GB)
#   PLAIN=1      search and share cards off in site.yaml, as Hugo builds neither
#   BENCH_DIR=D  corpora and outputs under D instead of /tmp (300,000
#                stories write about 17 GB)
set -euo pipefail
n=${1:-10000}; runs=${2:-5}
dir=${BENCH_DIR:-/tmp}
repo=$(cd "$(dirname "$0")/.." && pwd)
gen="$repo/../shared/bench/gen_corpus.py"
hugo_site_src="$repo/../shared/bench/hugo"
[ -f "$gen" ] || { echo "needs $gen (the shared benchmark generator)"; exit 2; }
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
px="$repo/target/release/parallax"
pxsite=$dir/bench-parallax-$n; hgsite=$dir/bench-hugo-$n; out=$dir/bench-out
[ -f $pxsite/.done ] || { rm -rf $pxsite; python3 "$gen" --stories $n --out $pxsite >/dev/null; touch $pxsite/.done; }
if [ "${PLAIN:-0}" = 1 ] && ! grep -q '^search: false' $pxsite/site.yaml; then
  printf 'search: false\nshare_cards: false\n' >> $pxsite/site.yaml
elif [ "${PLAIN:-0}" != 1 ]; then
  sed -i '/^search: false$/d; /^share_cards: false$/d' $pxsite/site.yaml
fi
have_hugo=0
if [ "${HUGO:-1}" != 0 ] && command -v hugo >/dev/null && [ -d "$hugo_site_src" ]; then
  have_hugo=1
  [ -f $hgsite/.done ] || { rm -rf $hgsite; python3 "$gen" --stories $n --out $hgsite --flavor hugo >/dev/null; cp -r "$hugo_site_src/." $hgsite/; touch $hgsite/.done; }
fi

measure() { # prints "wall user+sys peak_kib"
  /usr/bin/time -f '%e %U %S %M' -o /tmp/bench-time.txt "$@" >/dev/null 2>/tmp/bench-err.txt || { cat /tmp/bench-err.txt >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' /tmp/bench-time.txt
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Every run writes into a folder of its own, and nothing is deleted until the
# end: on ext4 without a journal (as on the machine these figures come from),
# creating a file skips the inodes freed in the last minutes, so a build run
# right after a large output was deleted pays for the deletion too (the first
# tool after it more than the second). The tools also take turns going first.
#
# Before each run, when this user may (root, as in CI containers), the page
# cache is dropped and the tool's input read back in: ext4 also checks, for
# every new inode, whether its slot was freed recently, by looking the inode
# table up in that cache, which made one run's system time up to three times
# another's; dropped, it costs both tools nothing, and runs agree.
rm -rf $out-*; sync
settle() { # $1: the site folder whose input the next run reads
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  find "$1" -type f -not -path '*/.parallax-cache/*' -exec cat {} + >/dev/null
}
pw=(); pc=(); pm=(); hw=(); hc=(); hm=()
run_parallax() {
  rm -rf $pxsite/.parallax-cache
  settle $pxsite
  read w c m < <(measure "$px" build --root $pxsite --output $out-px-$i); pw+=($w); pc+=($c); pm+=($m)
  line="$line parallax ${w} s (cpu ${c} s, ${m} KiB)"
}
run_hugo() {
  [ $have_hugo = 1 ] || return 0
  settle $hgsite
  read w c m < <(measure hugo --quiet -s $hgsite -d $out-hg-$i); hw+=($w); hc+=($c); hm+=($m)
  line="$line hugo ${w} s (cpu ${c} s, ${m} KiB)"
}
for i in $(seq "$runs"); do
  sync
  line="run $i:"
  if [ $((i % 2)) = 1 ]; then run_parallax; run_hugo; else run_hugo; run_parallax; fi
  echo "$line"
done
out_px=$out-px-$runs

# CI rebuilds with the cache: unchanged, then one story changed.
rw=(); ow=()
story=$(find $pxsite/content/stories -name '*.md' | sort | sed -n 1p)
cp "$story" $dir/bench-story.md
for i in $(seq "$runs"); do
  read w c m < <(measure "$px" build --root $pxsite --output $out_px); rw+=($w)
  sed -i "0,/^title: /s/^title: .*/title: \"Bench edit $i\"/" "$story"
  read w c m < <(measure "$px" build --root $pxsite --output $out_px); ow+=($w)
done
cp $dir/bench-story.md "$story"

# The floor: read every input, copy the output tree.
settle $pxsite
read cat_w _ _ < <(measure sh -c "find $pxsite/content -type f -exec cat {} + >/dev/null")
settle $out_px
read cp_w _ _ < <(measure cp -r $out_px $out-cp)

echo
echo "$n stories, $(find $out_px -name '*.html' | wc -l) HTML files, $(du -sm $out_px | cut -f1) MB of output"
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
echo "parallax full build: $(median "${pw[@]}") s wall, $(median "${pc[@]}") s cpu, $(mib "$(median "${pm[@]}")") MiB peak"
if [ $have_hugo = 1 ]; then
  echo "hugo full build:     $(median "${hw[@]}") s wall, $(median "${hc[@]}") s cpu, $(mib "$(median "${hm[@]}")") MiB peak"
  awk -v p="$(median "${pw[@]}")" -v h="$(median "${hw[@]}")" -v pm="$(median "${pm[@]}")" -v hm="$(median "${hm[@]}")" \
    'BEGIN { printf "hugo/parallax: time %.1fx, memory %.1fx\n", h / p, hm / pm }'
fi
echo "parallax rebuild, warm cache, unchanged: $(median "${rw[@]}") s; one story changed: $(median "${ow[@]}") s"
echo "floor: cat of every input $cat_w s; cp -r of the output $cp_w s"
# What #15 compares across sizes: per story, and per story once the file
# system's own cost (the copy of the output) is taken off.
awk -v w="$(median "${pw[@]}")" -v m="$(median "${pm[@]}")" -v cp="$cp_w" -v n="$n" \
  'BEGIN { printf "per story: %.3f ms wall, %.3f ms after the floor, %.1f KiB peak\n", 1000 * w / n, 1000 * (w - cp) / n, m / n }'

rm -rf $out-*

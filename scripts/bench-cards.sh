#!/usr/bin/env bash
# What share cards cost: full builds of the shared corpus with and without
# them, search off (so that the index does not blur the difference).
#
#   scripts/bench-cards.sh [STORIES=10000] [RUNS=3]
#
# Generates the corpus with ../shared/bench/gen_corpus.py (cached in /tmp;
# none of its stories has an image, so every story gets a card), then builds
# it RUNS times each way, alternating (cards, none, none, cards, …), each run
# fresh: no cache folder, a new output folder (outputs are deleted only at
# the end, as in scripts/bench.sh and for the same reason), the input read
# back in first, and with DROP_CACHES=1 (as root) the page cache dropped
# before that (it slows every other process on the machine, so it is not
# the default). Prints each run and the medians of wall time, CPU time, peak
# memory and the render stage, the output's size, and the cost per card:
# the difference in CPU time and in render time divided by the card count.
# With ONE_THREAD=1, then the same with one thread (RAYON_NUM_THREADS=1),
# whose render-stage difference is the time one core spends on a card.
# Needs python3 and /usr/bin/time (package time).
set -euo pipefail
n=${1:-10000}; runs=${2:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
gen="$repo/../shared/bench/gen_corpus.py"
[ -f "$gen" ] || { echo "needs $gen (the shared benchmark generator)"; exit 2; }
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
px="$repo/target/release/parallax"
site=/tmp/bench-cards-$n; out=/tmp/bench-cards-out
[ -f $site/.done ] || { rm -rf $site; python3 "$gen" --stories $n --out $site >/dev/null; touch $site/.done; }
yaml=$(grep -v -e '^search:' -e '^share_cards:' $site/site.yaml)

settle() {
  sync
  if [ "${DROP_CACHES:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  find $site -type f -not -path '*/.parallax-cache/*' -exec cat {} + >/dev/null
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# One fresh build; prints "wall cpu peak_kib render_ms".
build() { # $1: true|false (share cards), $2: output folder
  printf '%s\nsearch: false\nshare_cards: %s\n' "$yaml" "$1" > $site/site.yaml
  rm -rf $site/.parallax-cache
  settle
  /usr/bin/time -f '%e %U %S %M' -o /tmp/bench-cards-time.txt \
    "$px" build --root $site --output "$2" >/dev/null 2>/tmp/bench-cards-err.txt \
    || { cat /tmp/bench-cards-err.txt >&2; exit 1; }
  render=$(grep -o 'render [0-9]* ms' /tmp/bench-cards-err.txt | grep -o '[0-9]*')
  awk -v r="$render" '{printf "%s %.2f %s %s\n", $1, $2 + $3, $4, r}' /tmp/bench-cards-time.txt
}

report() { # $1: label; runs both ways, alternating, and prints the medians
  local label=$1 cw=() cc=() cm=() cr=() nw=() nc=() nm=() nr=()
  for i in $(seq "$runs"); do
    for way in $( [ $((i % 2)) = 1 ] && echo "true false" || echo "false true" ); do
      read w c m r < <(build $way $out-$label-$way-$i)
      echo "$label run $i, share_cards: $way: ${w} s wall, ${c} s CPU, ${m} KiB, render ${r} ms"
      if [ $way = true ]; then cw+=($w); cc+=($c); cm+=($m); cr+=($r); else nw+=($w); nc+=($c); nm+=($m); nr+=($r); fi
    done
  done
  local cards
  cards=$(find $out-$label-true-1 -name card.png | wc -l)
  echo "$label medians, with cards:    $(median "${cw[@]}") s wall, $(median "${cc[@]}") s CPU, $(median "${cm[@]}") KiB, render $(median "${cr[@]}") ms"
  echo "$label medians, without cards: $(median "${nw[@]}") s wall, $(median "${nc[@]}") s CPU, $(median "${nm[@]}") KiB, render $(median "${nr[@]}") ms"
  echo "$label output: $(du -sm $out-$label-true-1 | cut -f1) MB with $cards cards ($(du -cm $(find $out-$label-true-1 -name card.png) | tail -1 | cut -f1) MB of them), $(du -sm $out-$label-false-1 | cut -f1) MB without"
  awk -v cc="$(median "${cc[@]}")" -v nc="$(median "${nc[@]}")" -v cr="$(median "${cr[@]}")" -v nr="$(median "${nr[@]}")" -v k="$cards" \
    'BEGIN {printf "'"$label"' per card: %.2f ms CPU, %.2f ms of render stage\n", (cc - nc) * 1000 / k, (cr - nr) / k}'
  rm -rf $out-$label-*
}

rm -rf $out-*
report parallel
if [ "${ONE_THREAD:-0}" = 1 ]; then RAYON_NUM_THREADS=1 report one-thread; fi
printf '%s\n' "$yaml" > $site/site.yaml

#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ (cargo-afl, stable Rust): builds the
# targets in fuzz/ and runs each for MINUTES, one after another, on one core.
# See docs/fuzzing.md.
#
#   scripts/fuzz.sh MINUTES [TARGET...]
#
# Targets: story outlets site_yaml markdown build_site (all when none given).
# Seeds are copied from content/, site.yaml and tests/fixtures/ at run time
# into fuzz/seeds/TARGET; findings go to fuzz/out/TARGET/default/{crashes,hangs}.
# A second run goes on from where the last one stopped (AFL_AUTORESUME).
# Needs cargo-afl (`cargo install cargo-afl`, then `cargo afl config --build`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$repo/fuzz"
all=(story outlets site_yaml markdown build_site)
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh MINUTES [TARGET...]  (targets: ${all[*]})" >&2
  exit 2
fi
minutes=$1
shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

if ! cargo afl --version >/dev/null 2>&1; then
  echo "cargo-afl is not installed: cargo install cargo-afl && cargo afl config --build" >&2
  exit 2
fi

# One job: the fuzzer gets one core, and so does its build.
(cd "$fuzz" && cargo afl build --release --jobs 1 --quiet)

seed() {
  local target=$1 dir="$fuzz/seeds/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  local n=0 f
  case $target in
    story | build_site)
      while IFS= read -r f; do n=$((n + 1)); cp "$f" "$dir/$n.md"; done < <(
        find "$repo/content/stories" "$repo/tests/fixtures" -path '*/stories/*' -name '*.md' | sort)
      ;;
    outlets)
      while IFS= read -r f; do n=$((n + 1)); cp "$f" "$dir/$n.yaml"; done < <(
        find "$repo/content" "$repo/tests/fixtures" -name outlets.yaml | sort)
      ;;
    site_yaml)
      while IFS= read -r f; do n=$((n + 1)); cp "$f" "$dir/$n.yaml"; done < <(
        { echo "$repo/site.yaml"; find "$repo/tests/fixtures" -name site.yaml; } | sort)
      ;;
    markdown)
      # The first byte is the settings (see fuzz_targets/markdown.rs): 0
      # for the default, 1 for raw HTML allowed.
      while IFS= read -r f; do
        n=$((n + 1))
        { printf '\0'; cat "$f"; } >"$dir/$n.md"
        n=$((n + 1))
        { printf '\1'; cat "$f"; } >"$dir/$n.md"
      done < <(find "$repo/content" "$repo/tests/fixtures" -name '*.md' | sort)
      ;;
    *)
      echo "unknown target '$target' (targets: ${all[*]})" >&2
      exit 2
      ;;
  esac
}

mkdir -p "$fuzz/out"
for target in "${targets[@]}"; do
  seed "$target"
  timeout_ms=1000
  [ "$target" = build_site ] && timeout_ms=5000
  echo "== $target: $minutes minutes"
  # No UI (a log instead), no core binding (the machine is shared), one
  # thread for the pipeline's parallel stages.
  AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_AUTORESUME=1 AFL_SKIP_CPUFREQ=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 RAYON_NUM_THREADS=1 \
    cargo afl fuzz -i "$fuzz/seeds/$target" -o "$fuzz/out/$target" \
    -x "$fuzz/dict/site-format.dict" -t "$timeout_ms" -V $((minutes * 60)) \
    -- "$fuzz/target/release/$target" >"$fuzz/out/$target.log" 2>&1 || {
    echo "afl-fuzz failed; see fuzz/out/$target.log" >&2
    tail -20 "$fuzz/out/$target.log" >&2
    exit 1
  }
done

echo
printf '%-11s %12s %10s %8s %8s %7s %7s %6s\n' target execs execs/s edges map corpus crashes hangs
for target in "${targets[@]}"; do
  stats="$fuzz/out/$target/default/fuzzer_stats"
  [ -f "$stats" ] || continue
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  printf '%-11s %12s %10s %8s %8s %7s %7s %6s\n' "$target" "$(get execs_done)" \
    "$(get execs_per_sec)" "$(get edges_found)/$(get total_edges)" "$(get bitmap_cvg)" \
    "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)"
done

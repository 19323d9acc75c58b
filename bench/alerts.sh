#!/usr/bin/env bash
# `cchc alerts` timed against what issue 22 asks:   bench/alerts.sh            (quarter and city-year)
#                                                  bench/alerts.sh quarter    (one scale)
#   quarter    `cchc alerts --no-store` from the exports, beside `cchc run --no-store` of the same
#              exports and period (alerts must be no slower);
#   city-year  `cchc alerts --all-stored` from a store filled once by `cchc ingest` (under 5 s).
# Same binary, data sets and folders as bench/run.sh: the release build in $BENCH_TARGET (built
# unless SKIP_BUILD=1), the data sets in $BENCH_CACHE/data (generated when missing). RUNS=3 runs
# each, the median printed; wall time, CPU time (user + sys: it moves much less than the wall time
# on a loaded machine — note the load) and peak memory by GNU time when it is there.
# CCHC_TRACE_MEMORY=1 on one run prints the time and memory after each stage of the list.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_TARGET="${BENCH_TARGET:-$HOME/.cache/cchc-bench-target}"
BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/cchc-bench}"
RUNS="${RUNS:-3}"
SEED=2024
PIPELINE="$REPO/pipelines/quarterly.toml"

SCALES=()
for a in "$@"; do
  case "$a" in
    quarter|city-year) SCALES+=("$a") ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $a (quarter | city-year)" >&2; exit 2 ;;
  esac
done
[ ${#SCALES[@]} -eq 0 ] && SCALES=(quarter city-year)

# The period of each scale's data, and a day inside it to list.
period_of() { case "$1" in quarter) echo 2024-Q1 ;; city-year) echo 2024-Q3 ;; esac; }
as_of_of() { case "$1" in quarter) echo 2024-03-11 ;; city-year) echo 2024-09-10 ;; esac; }

CCHC="$BENCH_TARGET/release/cchc"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building cchc (release) into $BENCH_TARGET"
  (cd "$REPO" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release 2>&1 | tail -n 2)
fi
[ -x "$CCHC" ] || { echo "missing $CCHC (run without SKIP_BUILD=1)" >&2; exit 1; }

WORK="$BENCH_CACHE/alerts-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"

# Runs a command RUNS times; prints the median wall time (and the CPU time and peak memory of
# that run) and the machine's load.
measure() {
  local label="$1"; shift
  local times=()
  for i in $(seq "$RUNS"); do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out.log" 2>&1
      times+=("$(cat "$WORK/time")")
    else
      local s e
      s=$(date +%s.%N); "$@" >"$WORK/out.log" 2>&1; e=$(date +%s.%N)
      times+=("$(echo "$e - $s" | bc) - - -")
    fi
  done
  local median
  median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
  local wall peak user sys cpu
  read -r wall peak user sys <<<"$median"
  cpu="$( [ "$user" != - ] && echo "$user + $sys" | bc || echo -)"
  printf '  %-48s %8s s   cpu %s s   peak %s KB   load %s\n' "$label" "$wall" "$cpu" "$peak" \
    "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo -)"
}

for scale in "${SCALES[@]}"; do
  data="$BENCH_CACHE/data/$scale-seed$SEED"
  if [ ! -f "$data/.complete" ]; then
    echo "==> generating the $scale data set in $data"
    rm -rf "$data"
    "$CCHC" sample --scale "$scale" --out "$data" --seed "$SEED" | head -n 1
    cat "$REPO"/crates/cchc-sample/src/*.rs | sha256sum | cut -c1-16 >"$data/.complete"
  fi
  period="$(period_of "$scale")"
  day="$(as_of_of "$scale")"
  echo "==> $scale ($data), list of $day"
  case "$scale" in
    quarter)
      measure "cchc run --no-store (period $period)" \
        "$CCHC" run "$PIPELINE" --period "$period" --input "$data" --out "$WORK/run" --no-store --force -q
      measure "cchc alerts --no-store" \
        "$CCHC" alerts "$PIPELINE" --as-of "$day" --input "$data" --out "$WORK/alerts" --no-store -q
      ;;
    city-year)
      store="$WORK/store-$scale"
      echo "  filling the store once (cchc ingest) …"
      "$CCHC" ingest "$PIPELINE" --input "$data" --store "$store" -q >/dev/null
      measure "cchc alerts --all-stored (filled store)" \
        "$CCHC" alerts "$PIPELINE" --as-of "$day" --store "$store" --all-stored --out "$WORK/alerts" -q
      ;;
  esac
done
echo "(work files in $WORK)"

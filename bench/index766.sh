#!/usr/bin/env bash
# `cchc scorecard` timed against what issue 21 asks: a city-year of dossiers scored for every ISO
# week of the year in one command, beside one quarterly `cchc run` of the same files (the scorecard
# must take under 2× the run).
#   bench/index766.sh [quarter|city-year]     (default city-year)
# Both from the exports (--no-store), outputs written. The release build in $BENCH_TARGET (built
# unless SKIP_BUILD=1; `PROFILE=debug` measures the debug build of $CARGO_TARGET_DIR instead), the
# data sets of bench/run.sh in $BENCH_CACHE/data (generated when missing). RUNS=1 by default.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_TARGET="${BENCH_TARGET:-$HOME/.cache/cchc-bench-target}"
BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/cchc-bench}"
PROFILE="${PROFILE:-release}"
RUNS="${RUNS:-1}"
SCALE="${1:-city-year}"
PIPELINE="$REPO/pipelines/quarterly.toml"
case "$SCALE" in
  quarter) PERIOD=2024-Q1; WEEKS=2024-W01..2024-W11 ;;
  city-year) PERIOD=2024-Q3; WEEKS=2024-W01..2024-W52 ;;
  *) echo "unknown scale: $SCALE (quarter | city-year)" >&2; exit 2 ;;
esac
DATA="$BENCH_CACHE/data/$SCALE-seed2024"

if [ "$PROFILE" = release ]; then
  CCHC="$BENCH_TARGET/release/cchc"
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$REPO" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release 2>&1 | tail -n 2)
  fi
else
  CCHC="${CARGO_TARGET_DIR:-$REPO/target}/debug/cchc"
fi
[ -x "$CCHC" ] || { echo "missing $CCHC" >&2; exit 1; }
if [ ! -d "$DATA" ]; then
  "$CCHC" sample --out "$DATA" --scale "$SCALE" --seed 2024 >/dev/null
fi

WORK="$BENCH_CACHE/index766-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
measure() {
  local label="$1"; shift
  for i in $(seq "$RUNS"); do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/out.log" 2>&1
      read -r secs kb < "$WORK/time"
      printf '  %-56s %8s s   peak %s KB\n' "$label" "$secs" "$kb"
    else
      local s e; s=$(date +%s.%N); "$@" >"$WORK/out.log" 2>&1; e=$(date +%s.%N)
      printf '  %-56s %8s s\n' "$label" "$(echo "$e - $s" | bc)"
    fi
  done
}
echo "==> $SCALE ($DATA), $PROFILE build"
measure "run --no-store --period $PERIOD" \
  "$CCHC" run "$PIPELINE" --no-store --period "$PERIOD" --input "$DATA" --out "$WORK/run" -q --force
measure "scorecard --no-store --period $WEEKS" \
  "$CCHC" scorecard "$PIPELINE" --no-store --period "$WEEKS" --input "$DATA" --out "$WORK/scorecard" -q
tail -n 3 "$WORK/out.log"

#!/usr/bin/env bash
# Where cchc spends its time, on a data set that run.sh generated (default: quarter).
#
#   bench/profile.sh [quarter|two-years|city-year]
#
# 1. Stage timings with the benchmark's release binary, all without the store:
#    - bare-parse: parsing only;
#    - `cchc indicators --format json`: read + normalize + rules + form 06, no files written;
#    - `cchc check`: read + validate + the data-quality workbook;
#    - `cchc run`: everything.
#    Also `cchc ingest` into an empty store: read + normalize + Parquet.
# 2. `perf record` of `cchc run --no-store` with a release build that keeps its symbols
#    (strip=false, line tables). It is built into ${BENCH_TARGET}-prof: a full release build,
#    about 12 minutes on 2 cores. perf comes from apt (linux-perf) if missing.
#    SKIP_BUILD=1 uses the binaries already built (so that they match the ones run.sh measured).
#    Output: the top symbols (self time), the same samples grouped by crate, and by binary.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_TARGET="${BENCH_TARGET:-$HOME/.cache/cchc-bench-target}"
BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/cchc-bench}"
SCALE="${1:-quarter}"
case "$SCALE" in quarter) P=2024-Q1 ;; two-years) P=2024-Q4 ;; city-year) P=2024-Q3 ;; *) echo "scale?" >&2; exit 2 ;; esac
DATA="$BENCH_CACHE/data/$SCALE-seed2024"
CCHC="$BENCH_TARGET/release/cchc"
BARE="$BENCH_TARGET/release/bare-parse"
[ -f "$DATA/.complete" ] || { echo "run bench/run.sh $SCALE first (it generates $DATA)" >&2; exit 1; }
OUT="$BENCH_CACHE/profile-$SCALE-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
PIPE="$REPO/pipelines/quarterly.toml"
cd "$REPO"

t() {  # label, command…: best of 3 wall times (bash's `time`, so functions work too)
  local label="$1"; shift
  local best=999999 r
  for _ in 1 2 3; do
    r=$( { TIMEFORMAT=%R; time "$@" >>"$OUT/stages.log" 2>&1; } 2>&1 )
    best=$(python3 -c "print(min($best, $r))")
  done
  printf '  %-62s %8.2f s\n' "$label" "$best" | tee -a "$OUT/stages.txt"
}

echo "== stage timings, $SCALE ($P), best of 3"
t "bare-parse (parse every cell)" "$BARE" "$DATA"
t "cchc indicators --format json --no-store (no files written)" "$CCHC" indicators "$PIPE" --period "$P" --input "$DATA" --format json --no-store
t "cchc check --no-store (+ data-quality workbook)" "$CCHC" check "$PIPE" --period "$P" --input "$DATA" --out "$OUT/check" --no-store -q
t "cchc run --no-store (+ report, annexes, public page)" "$CCHC" run "$PIPE" --period "$P" --input "$DATA" --out "$OUT/run" --no-store -q
ingest_fresh() { rm -rf "$OUT/store"; "$CCHC" ingest "$PIPE" --input "$DATA" --store "$OUT/store" -q; }
t "cchc ingest into an empty store (read + Parquet)" ingest_fresh
t "cchc run from the filled store (unchanged inputs)" "$CCHC" run "$PIPE" --period "$P" --input "$DATA" --out "$OUT/run2" --store "$OUT/store" -q

echo "== perf profile of cchc run --no-store"
command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
PROF_TARGET="${BENCH_TARGET}-prof"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (CARGO_TARGET_DIR="$PROF_TARGET" CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    nice cargo build --release 2>&1 | tail -n 1)
fi
perf record -F 1999 -o "$OUT/perf.data" "$PROF_TARGET/release/cchc" run "$PIPE" --period "$P" --input "$DATA" \
  --out "$OUT/run-prof" --no-store -q >/dev/null 2>"$OUT/perf-record.log"
perf report -i "$OUT/perf.data" --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12 >"$OUT/perf-dso.txt"
perf report -i "$OUT/perf.data" --sort symbol --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' >"$OUT/perf-symbols-all.txt"
head -n 45 "$OUT/perf-symbols-all.txt" >"$OUT/perf-symbols.txt"
# Samples by crate: the first path segment of a demangled Rust symbol (self time).
python3 - "$OUT/perf-symbols-all.txt" <<'EOF2' | tee "$OUT/perf-crates.txt"
import re, sys, collections
by = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\s*([\d.]+)%\s+\[[.k]\]\s+(.*)", line)
    if not m:
        continue
    pct, sym = float(m.group(1)), m.group(2).strip()
    s = sym.lstrip("<&*( ").replace("dyn ", "").replace("mut ", "")
    if "::" in s:
        crate = re.split(r"::|<|>| ", s)[0]
    elif s.startswith("0x"):
        crate = "(unknown)"
    else:
        crate = "libc/kernel: " + s.split("@")[0][:40]
    by[crate] += pct
print("share of samples by crate (self time; core/alloc = generic code instantiated by the callers):")
for crate, pct in by.most_common(30):
    print(f"  {pct:6.2f}%  {crate}")
EOF2
echo "== by binary"; cat "$OUT/perf-dso.txt"
echo "== top symbols (self time)"; head -n 40 "$OUT/perf-symbols.txt" | cut -c1-160
echo "files in $OUT"

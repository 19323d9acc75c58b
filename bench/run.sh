#!/usr/bin/env bash
# cchc benchmark, one command:   ./run.sh                 (quarter and two-years)
#                                ./run.sh quarter         (one scale)
#                                ./run.sh all             (quarter, two-years and city-year)
#
# Needs: Rust (cargo), Python 3.11 with venv + pip, network for crates.io and PyPI on the first run.
# Settings (environment):
#   RUNS=3              measurements per implementation and scale
#   PANDAS_RUNS_BIG=1   pandas+openpyxl measurements at two-years and city-year (a run takes minutes)
#   SKIP_BUILD=1        do not run cargo; use the binaries already in $BENCH_TARGET/release
#   BENCH_TARGET        cargo target folder (default ~/.cache/cchc-bench-target, outside the repo)
#   BENCH_CACHE         venv, generated data, work files (default ~/.cache/cchc-bench)
#   PYTHON              the Python 3.11 to make the venv with (default python3.11, else python3)
#   SKIP_SELFCHECK=1    skip the references' check against the hand-worked external fixtures
#   RESULTS=FILE        add to / replace scales in an earlier results file
#   QUIET_WAIT=900      seconds to wait for other processes to calm down before each measurement
#   QUIET_RETRIES=3     re-measurements of a run during which other processes took >15 % of a core
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_TARGET="${BENCH_TARGET:-$HOME/.cache/cchc-bench-target}"
BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/cchc-bench}"
RUNS="${RUNS:-3}"
PANDAS_RUNS_BIG="${PANDAS_RUNS_BIG:-1}"
SEED=2024

# ---------------------------------------------------------------- which scales
SCALES=()
for a in "$@"; do
  case "$a" in
    all) SCALES=(quarter two-years city-year) ;;
    quarter|two-years|city-year) SCALES+=("$a") ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $a (quarter | two-years | city-year | all)" >&2; exit 2 ;;
  esac
done
[ ${#SCALES[@]} -eq 0 ] && SCALES=(quarter two-years)

period_of() { case "$1" in quarter) echo 2024-Q1 ;; two-years) echo 2024-Q4 ;; city-year) echo 2024-Q3 ;; esac; }

step() { printf '\n==> %s\n' "$*"; }
mkdir -p "$BENCH_CACHE"
STAMP="$(date +%Y%m%d-%H%M%S)"
WORK="$BENCH_CACHE/work-$STAMP"
RESULTS="${RESULTS:-$BENCH_CACHE/results-$STAMP.json}"  # an existing file: its other scales are kept
mkdir -p "$WORK"

# ---------------------------------------------------------------- (a, b) builds
CCHC="$BENCH_TARGET/release/cchc"
BARE="$BENCH_TARGET/release/bare-parse"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  step "building cchc (release) into $BENCH_TARGET — about 12 minutes on 2 cores the first time"
  (cd "$REPO" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release 2>&1 | tail -n 3)
  step "building bare-parse (calamine + csv, release)"
  (cd "$BENCH_DIR/bare-parse" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release 2>&1 | tail -n 3)
fi
for b in "$CCHC" "$BARE"; do
  [ -x "$b" ] || { echo "missing $b (run without SKIP_BUILD=1)" >&2; exit 1; }
done

# ---------------------------------------------------------------- (c) Python references' venv
VENV="$BENCH_CACHE/venv"
PY_REQ="$BENCH_DIR/reference/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$PY_REQ" "$VENV/.requirements" ; then
  step "creating the Python venv in $VENV"
  PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r "$PY_REQ"
  cp "$PY_REQ" "$VENV/.requirements"
fi
PY="$VENV/bin/python"

# GNU time for wall time and peak RSS; without it bench.py measures with os.wait4.
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  step "installing GNU time (apt)"
  apt-get install -y -qq time >/dev/null 2>&1 || echo "(apt failed: measuring with os.wait4 instead)"
fi

# ---------------------------------------------------------------- references: self-check
if [ "${SKIP_SELFCHECK:-0}" != 1 ]; then
  step "checking the Python references against the hand-worked fixtures (fixtures/external)"
  for case_dir in "$REPO"/fixtures/external/c*/; do
    name="$(basename "$case_dir")"
    period="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["period"])' "$case_dir/expected.json")"
    for impl in pandas_openpyxl polars_fastexcel; do
      "$PY" "$BENCH_DIR/reference/$impl.py" --input "$case_dir/inputs" --period "$period" \
        --out "$WORK/external/$impl/$name" >>"$WORK/selfcheck.log" 2>&1
      "$PY" "$BENCH_DIR/compare.py" "$case_dir/expected.json" "$WORK/external/$impl/$name/indicators.json" \
        | sed -E "s|^same .*|  ok   $impl $name|"
    done
  done
  step "checking cchc and both references on the committed sample (fixtures/sample: xlsx, xls, ods, csv, HTML as .xls)"
  store_flag=()
  "$CCHC" run --help | grep -q -- '--no-store' && store_flag=(--no-store)
  (cd "$REPO" && "$CCHC" run "$REPO/pipelines/quarterly.toml" --period 2024-Q1 --input "$REPO/fixtures/sample" \
      --out "$WORK/sample-cchc" -q "${store_flag[@]}" >>"$WORK/selfcheck.log" 2>&1)
  for impl in pandas_openpyxl polars_fastexcel; do
    "$PY" "$BENCH_DIR/reference/$impl.py" --input "$REPO/fixtures/sample" --period 2024-Q1 \
      --out "$WORK/sample-$impl" >>"$WORK/selfcheck.log" 2>&1
    "$PY" "$BENCH_DIR/compare.py" "$WORK/sample-cchc/indicators.json" "$WORK/sample-$impl/indicators.json" \
      | sed -E "s|^same +[^:]+: |  ok   $impl: |"
  done
fi

# ---------------------------------------------------------------- (d) data sets, (e, f) measurements
for scale in "${SCALES[@]}"; do
  data="$BENCH_CACHE/data/$scale-seed$SEED"
  # The set is regenerated when the generator's source changed (same seed, same bytes otherwise).
  gen_hash="$(cat "$REPO"/crates/cchc-sample/src/*.rs | sha256sum | cut -c1-16)"
  if [ "$(cat "$data/.complete" 2>/dev/null)" != "$gen_hash" ]; then
    step "generating the $scale data set in $data"
    rm -rf "$data"
    start=$(date +%s)
    "$CCHC" sample --scale "$scale" --out "$data" --seed "$SEED" >"$WORK/sample-$scale.log"
    head -n 1 "$WORK/sample-$scale.log"
    echo "  generated in $(( $(date +%s) - start )) s, $(du -sh "$data" | cut -f1)"
    echo "$gen_hash" >"$data/.complete"
  fi
  runs_pandas="$RUNS"
  [ "$scale" != quarter ] && runs_pandas="$PANDAS_RUNS_BIG"
  multi=()
  [ "$scale" = two-years ] && multi=(--multi-period 2023-Q1..2024-Q4)
  step "$scale: check, then $RUNS alternating runs per implementation (pandas: $runs_pandas)"
  "$PY" "$BENCH_DIR/bench.py" scale --scale "$scale" --data "$data" --period "$(period_of "$scale")" \
    --cchc "$CCHC" --bare "$BARE" --python "$PY" --repo "$REPO" --work "$WORK" --results "$RESULTS" \
    --runs "$RUNS" --pandas-runs "$runs_pandas" "${multi[@]}"
done

step "summary (medians; results in $RESULTS, logs in $WORK)"
"$PY" "$BENCH_DIR/bench.py" report --results "$RESULTS"
cp "$RESULTS" "$BENCH_DIR/results-latest.json"

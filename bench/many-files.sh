#!/usr/bin/env bash
# Many small files into a store and from it (issue 19: the store once overflowed the stack at
# about 1 000 files). Writes N one-dossier CSV exports, runs `cchc run --store` on them twice
# (first every file is read and stored, then everything comes from the store) and checks that
# both runs give the same indicators.json with every dossier counted.
#
#   bench/many-files.sh                 # 20 000 files, release build
#   FILES=2000 PROFILE=debug bench/many-files.sh
#
# Settings (environment): FILES (20000), PROFILE (release | debug), CARGO_TARGET_DIR (cargo's),
# CCHC (a cchc binary to use instead of building one), WORK (a temporary folder, removed at the
# end unless KEEP=1).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILES="${FILES:-20000}"
PROFILE="${PROFILE:-release}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
WORK="${WORK:-$(mktemp -d)}"

if [ -z "${CCHC:-}" ]; then
    if [ "$PROFILE" = release ]; then
        (cd "$REPO" && cargo build --release --quiet)
    else
        (cd "$REPO" && cargo build --quiet)
    fi
    CCHC="$TARGET/$PROFILE/cchc"
fi

mkdir -p "$WORK/inputs"
header='Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp'
for i in $(seq 1 "$FILES"); do
    printf '%s\nM-%d;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp\n' \
        "$header" "$i" > "$WORK/inputs/f$(printf %05d "$i").csv"
done

run() {
    /usr/bin/time -f "%e s, peak %M KiB" "$CCHC" run "$REPO/pipelines/quarterly.toml" \
        --input "$WORK/inputs" --store "$WORK/store" --out "$WORK/out-$1" --period 2024-Q1 -q \
        > "$WORK/$1.log" 2> "$WORK/$1.time" || { cat "$WORK/$1.log" "$WORK/$1.time"; exit 1; }
    echo "$1: $(tail -n 1 "$WORK/$1.time")"
}
echo "cchc ($PROFILE), $FILES files"
run into-store
run from-store
cmp "$WORK/out-into-store/indicators.json" "$WORK/out-from-store/indicators.json"
python3 - "$WORK/out-from-store/indicators.json" "$FILES" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["tthc"]
total = sum(r["received_total"] for r in rows)
assert total == int(sys.argv[2]), (total, sys.argv[2])
print(f"indicators.json equal; received_total {total}")
PY
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"

#!/usr/bin/env python3
"""Compares the `tthc` arrays of two or more indicators.json files; exits 1 on any difference.

    python compare.py CCHC.json OTHER.json [OTHER2.json …]
"""
import json
import sys

KEYS = ["level", "unit", "field", "received_total", "carried_over", "new_online", "new_direct",
        "new_postal", "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
        "pending_total", "pending_within", "pending_overdue", "on_time_rate", "late_rate"]


def load(p):
    with open(p, encoding="utf-8") as fh:
        return json.load(fh)


def main():
    base_path, others = sys.argv[1], sys.argv[2:]
    base = load(base_path)
    ok = True
    for p in others:
        other = load(p)
        a, b = base["tthc"], other["tthc"]
        if a == b:
            n_dossiers = sum(r["received_total"] for r in a)
            print(f"same   {p}: {len(a)} rows, received_total {n_dossiers}, "
                  f"resolved_total {sum(r['resolved_total'] for r in a)}")
            continue
        ok = False
        print(f"DIFFER {p} vs {base_path}: {len(b)} rows vs {len(a)}")
        ka = {(r["level"], r["unit"], r["field"]): r for r in a}
        kb = {(r["level"], r["unit"], r["field"]): r for r in b}
        shown = 0
        for k in list(ka) + [k for k in kb if k not in ka]:
            ra, rb = ka.get(k), kb.get(k)
            if ra == rb:
                continue
            shown += 1
            if shown > 30:
                continue
            if ra is None or rb is None:
                print(f"  {k}: only in {'other' if ra is None else 'cchc'}")
                continue
            diffs = {c: (ra.get(c), rb.get(c)) for c in KEYS if ra.get(c) != rb.get(c)}
            print(f"  {k}: (cchc, other) {diffs}")
        if shown == 0:
            print("  same rows, different order:")
            for i, (ra, rb) in enumerate(zip(a, b)):
                if ra != rb:
                    print(f"    row {i}: cchc {ra['unit']} / {ra['field']}  other {rb['unit']} / {rb['field']}")
                    break
        elif shown > 30:
            print(f"  … {shown - 30} more rows differ")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

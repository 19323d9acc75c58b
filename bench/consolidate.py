#!/usr/bin/env python3
"""Speed of `cchc consolidate` (consolidation.md: 168 submissions under 1 s, the country's
3 314 under 10 s). Takes one real submission (an indicators.json written by `cchc run`, e.g. of
pipelines/xa-hoc-mon/), writes a copy per locality of the official list with its code and name
and its counts perturbed (every row stays balanced), then times `cchc consolidate` on HCMC's 168
and on all 3 314 (one `--province` per run: the country is 34 runs over one folder).

    python3 bench/consolidate.py CCHC_BINARY SUBMISSION.json [WORK_DIR]
"""
import csv, copy, json, os, random, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(REPO, "pipelines/don-vi-hanh-chinh/don-vi-hanh-chinh-cap-xa-2025.csv")


def rate(part, whole):
    return None if whole == 0 else round(part * 100.0 / whole + 1e-9, 2)


def perturb(sub, code, name, rng):
    s = copy.deepcopy(sub)
    s["district"] = s["locality"] = name
    s["locality_code"] = code
    for r in s["tthc"]:
        k = rng.uniform(0.5, 1.5)
        for key in ["carried_over", "new_online", "new_direct", "new_postal", "resolved_early",
                    "resolved_on_time", "resolved_late", "pending_within", "pending_overdue"]:
            r[key] = int(r[key] * k)
        r["resolved_total"] = r["resolved_early"] + r["resolved_on_time"] + r["resolved_late"]
        r["pending_total"] = r["pending_within"] + r["pending_overdue"]
        r["received_total"] = r["resolved_total"] + r["pending_total"]
        r["carried_over"] = r["received_total"] - r["new_online"] - r["new_direct"] - r["new_postal"]
        if r["carried_over"] < 0:
            r["new_direct"] += r["carried_over"]
            r["carried_over"] = 0
            if r["new_direct"] < 0:
                r["new_online"] += r["new_direct"]
                r["new_direct"] = 0
        r["on_time_rate"] = rate(r["resolved_early"] + r["resolved_on_time"], r["resolved_total"])
        r["late_rate"] = rate(r["resolved_late"], r["resolved_total"])
    return s


def main():
    binary, template = sys.argv[1], sys.argv[2]
    work = sys.argv[3] if len(sys.argv) > 3 else os.path.expanduser("~/.cache/cchc-bench/consolidate")
    sub = json.load(open(template, encoding="utf-8"))
    units = list(csv.DictReader(open(LIST, encoding="utf-8")))
    rng = random.Random(2025)
    inputs = os.path.join(work, "nop")
    os.makedirs(inputs, exist_ok=True)
    for u in units:
        d = os.path.join(inputs, u["ma_tinh"], u["ma_xa"])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "indicators.json"), "w", encoding="utf-8") as f:
            json.dump(perturb(sub, u["ma_xa"], u["ten_day_du"], rng), f, ensure_ascii=False, indent=2)
    provinces = sorted({u["ma_tinh"] for u in units})
    period = sub["period"]["id"]

    def one(province, folder):
        out = os.path.join(work, "out", province)
        t = time.perf_counter()
        subprocess.run([binary, "consolidate", "--province", province, "--period", period,
                        "--input", folder, "--out", out], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t

    hcmc = one("79", os.path.join(inputs, "79"))
    print(f"168 submissions (province 79): {hcmc:.2f} s")
    t = time.perf_counter()
    for p in provinces:
        one(p, os.path.join(inputs, p))
    print(f"{len(units)} submissions (34 provinces, one run each): {time.perf_counter() - t:.2f} s")
    # Every file of the country read and checked in one run (all but HCMC's refused: another province).
    whole = one("79", inputs)
    print(f"{len(units)} submissions read and checked in one run: {whole:.2f} s")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The measuring half of run.sh (standard library only).

    bench.py scale  --scale quarter --data DIR --period 2024-Q1 --cchc BIN --bare BIN \
                    --python VENV_PY --repo REPO --work DIR --results FILE [--runs 3] [--pandas-runs 3]
                    [--multi-period 2023-Q1..2024-Q4]
    bench.py report --results FILE [--markdown]

`scale` first runs every implementation once and checks that the `tthc` arrays of the two
Python references equal cchc's (exit 1 and a diff otherwise); that round is measured too. Then it
runs cchc, pandas+openpyxl, polars+fastexcel and bare-parse alternately until each has `--runs`
measurements (pandas: `--pandas-runs`), every output checked again. If the cchc build has the
dossier store (`--store` in `cchc run --help`), it also measures a re-run with unchanged inputs
and, with --multi-period, the recomputation of all those periods from the store. Each
measurement is wall time and peak resident memory of the process (GNU time's %e %M when
/usr/bin/time exists, else os.wait4's rusage). Results are appended to --results (JSON).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


# ------------------------------------------------------------------------------ measuring
def busy_seconds() -> float:
    """CPU-seconds all processes have been busy since boot (/proc/stat), to tell how much of a
    run's time other programs took."""
    try:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
        return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


QUIET_WAIT = float(os.environ.get("QUIET_WAIT", "900"))   # seconds to wait for a quiet machine
QUIET_RETRIES = int(os.environ.get("QUIET_RETRIES", "3"))  # re-measurements of a contended run
CONTENDED = 0.15  # other processes used more than 15 % of a core on average during the run …
CONTENDED_MIN = 0.3  # … and more than 0.3 CPU-seconds (below that it is the harness's own noise)


def wait_quiet():
    """Waits (at most QUIET_WAIT s) until other processes use less than a third of a core."""
    waited = 0.0
    while True:
        b0 = busy_seconds()
        time.sleep(1.0)
        if busy_seconds() - b0 < 0.33 or waited >= QUIET_WAIT:
            if waited:
                print(f" (waited {waited:.0f} s for a quiet machine)", end="", flush=True)
            return
        waited += 6.0
        time.sleep(5.0)


def measure(cmd: list[str], cwd: str, log_path: str, fresh=()) -> dict:
    """measure_once after waiting for a quiet machine; a run during which other processes took
    more than CONTENDED of a core is measured again (QUIET_RETRIES times at most). The attempt
    with the least interference is kept, flagged `contended` if even that one was. The folders
    in `fresh` (a cold run's store) are removed before every attempt, so a retry is as cold as
    the first attempt."""
    best = None
    for attempt in range(QUIET_RETRIES + 1):
        for d in fresh:
            shutil.rmtree(d, ignore_errors=True)
        wait_quiet()
        m = measure_once(cmd, cwd, log_path)
        m["contended"] = m["others_cpu_s"] > max(CONTENDED_MIN, CONTENDED * m["wall_s"])
        if best is None or m["others_cpu_s"] / max(m["wall_s"], 0.1) < best["others_cpu_s"] / max(best["wall_s"], 0.1):
            best = m
        if not m["contended"]:
            break
        print(f" [contended: {m['wall_s']:.2f} s with {m['others_cpu_s']:.1f} cpu-s of others; again]", end="", flush=True)
    best["attempts"] = attempt + 1
    return best


def measure_once(cmd: list[str], cwd: str, log_path: str) -> dict:
    """Runs cmd; -> wall seconds, peak RSS (KiB), its CPU seconds, and the CPU seconds other
    processes used meanwhile. Raises on a non-zero exit."""
    with open(log_path, "ab") as log:
        log.write(("\n$ " + " ".join(cmd) + "\n").encode())
        log.flush()
        busy0 = busy_seconds()
        if GNU_TIME:
            fd, tpath = tempfile.mkstemp(prefix="bench-time-")
            os.close(fd)
            try:
                rc = subprocess.call([GNU_TIME, "-f", "%e %M %U %S", "-o", tpath] + cmd, cwd=cwd,
                                     stdout=log, stderr=log)
                with open(tpath) as fh:
                    last = [l for l in fh.read().splitlines() if l.strip()][-1]
            finally:
                os.unlink(tpath)
            wall, rss, usr, sys_ = last.split()
            wall, rss, cpu = float(wall), int(rss), float(usr) + float(sys_)
        else:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=log)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            rc = os.waitstatus_to_exitcode(status)
            rss = int(ru.ru_maxrss)  # KiB on Linux
            cpu = ru.ru_utime + ru.ru_stime
        others = max(0.0, busy_seconds() - busy0 - cpu)
    if rc != 0:
        raise SystemExit(f"FAILED (exit {rc}): {' '.join(cmd)}\n  see {log_path}")
    return {"wall_s": wall, "peak_rss_kib": rss, "cpu_s": round(cpu, 2), "others_cpu_s": round(others, 2)}


def load_tthc(path: str):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["tthc"]


def compare_or_die(reference_name: str, cchc_json: str, other_json: str, log_path: str):
    a, b = load_tthc(cchc_json), load_tthc(other_json)
    if a == b:
        return
    print(f"\n!!! {reference_name} DISAGREES with cchc ({other_json} vs {cchc_json}):", flush=True)
    subprocess.call([sys.executable, os.path.join(HERE, "compare.py"), cchc_json, other_json])
    raise SystemExit(f"equivalence check failed for {reference_name}; see {log_path}")


def cchc_features(cchc: str) -> dict:
    out = subprocess.run([cchc, "run", "--help"], capture_output=True, text=True).stdout
    return {"store": "--store" in out, "no_store": "--no-store" in out,
            "period_range": ".." in out}


# ------------------------------------------------------------------------------ one scale
def run_scale(a):
    os.makedirs(a.work, exist_ok=True)
    log_path = os.path.join(a.work, f"{a.scale}.log")
    feats = cchc_features(a.cchc)
    pipeline = os.path.join(a.repo, "pipelines", "quarterly.toml")
    ref_dir = os.path.join(HERE, "reference")
    res = {"scale": a.scale, "period": a.period, "data": a.data, "runs": {}, "notes": [],
           "features": feats, "started": dt.datetime.now().isoformat(timespec="seconds")}
    files = [os.path.join(r, f) for r, _, fs in os.walk(a.data) for f in fs
             if f.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods", ".csv"))]
    res["files"] = len(files)
    res["bytes"] = sum(os.path.getsize(f) for f in files)
    res["formats"] = {ext: sum(1 for f in files if f.lower().endswith(ext)) for ext in (".xlsx", ".xls", ".ods", ".csv")}

    def out_dir(tag, i, keep=False):
        """An output folder, emptied unless `keep` (a re-run writes where the first run did)."""
        d = os.path.join(a.work, f"{a.scale}-{tag}-{i}")
        if not keep:
            shutil.rmtree(d, ignore_errors=True)
        return d

    def cchc_cmd(out, extra):
        return [a.cchc, "run", pipeline, "--period", a.period, "--input", a.data, "--out", out, "-q"] + extra

    def store_flags(i, tag="store"):
        """Flags for a cold cchc run: a fresh empty store (or none) so nothing is cached; and the
        folders to empty before each attempt."""
        if feats["store"]:
            s = os.path.join(a.work, f"{a.scale}-{tag}-{i}")
            shutil.rmtree(s, ignore_errors=True)
            return ["--store", s], [s]
        return [], []

    impls = {
        "cchc": lambda i: (cchc_cmd(out_dir("cchc", i), store_flags(i)[0]), os.path.join(a.work, f"{a.scale}-cchc-{i}", "indicators.json"),
                           store_flags(i)[1]),
        "pandas+openpyxl": lambda i: ([a.python, os.path.join(ref_dir, "pandas_openpyxl.py"), "--pipeline", pipeline,
                                       "--input", a.data, "--period", a.period, "--out", out_dir("pandas", i)],
                                      os.path.join(a.work, f"{a.scale}-pandas-{i}", "indicators.json")),
        "polars+fastexcel": lambda i: ([a.python, os.path.join(ref_dir, "polars_fastexcel.py"), "--pipeline", pipeline,
                                        "--input", a.data, "--period", a.period, "--out", out_dir("polars", i)],
                                       os.path.join(a.work, f"{a.scale}-polars-{i}", "indicators.json")),
        "bare-parse": lambda i: ([a.bare, a.data], None),
    }
    if feats["no_store"]:
        impls["cchc --no-store"] = lambda i: (cchc_cmd(out_dir("cchc-nostore", i), ["--no-store"]),
                                              os.path.join(a.work, f"{a.scale}-cchc-nostore-{i}", "indicators.json"))
    wanted = {k: a.runs for k in impls}
    wanted["pandas+openpyxl"] = min(a.runs, a.pandas_runs)
    res["runs_wanted"] = wanted
    if wanted["pandas+openpyxl"] < a.runs:
        res["notes"].append(f"pandas+openpyxl measured {wanted['pandas+openpyxl']} time(s) at this scale "
                            f"(others {a.runs}): one run takes minutes")

    order = ["cchc", "pandas+openpyxl", "polars+fastexcel", "bare-parse"] + (["cchc --no-store"] if feats["no_store"] else [])
    for i in range(1, a.runs + 1):
        for name in order:
            if i > wanted[name]:
                continue
            cmd, out_json, *fresh = impls[name](i)
            fresh = fresh[0] if fresh else []
            print(f"  [{a.scale} {i}/{a.runs}] {name} …", end="", flush=True)
            m = measure(cmd, a.repo, log_path, fresh)
            print(f" {m['wall_s']:.2f} s, {m['peak_rss_kib'] / 1024:.0f} MiB"
                  f" (cpu {m['cpu_s']:.1f} s; other processes {m['others_cpu_s']:.1f} cpu-s)", flush=True)
            res["runs"].setdefault(name, []).append(m)
            if out_json and name != "cchc":
                compare_or_die(name, os.path.join(a.work, f"{a.scale}-cchc-{i if i <= wanted['cchc'] else 1}",
                                                  "indicators.json"), out_json, log_path)
            if name == "cchc" and i == 1:
                tthc = load_tthc(out_json)
                res["tthc_rows"] = len(tthc)
                res["tthc_received_total"] = sum(r["received_total"] for r in tthc)
                res["tthc_resolved_total"] = sum(r["resolved_total"] for r in tthc)
        if i == 1:
            checked = " and ".join(n for n in ("pandas+openpyxl", "polars+fastexcel") if wanted[n] >= 1)
            print(f"  [{a.scale}] equivalence: {checked} give exactly cchc's "
                  f"tthc ({res['tthc_rows']} rows, received_total {res['tthc_received_total']})", flush=True)
            res["equivalent"] = True

    # ---- the dossier store: unchanged re-run and several periods recomputed
    if feats["store"]:
        store = os.path.join(a.work, f"{a.scale}-store-kept")
        shutil.rmtree(store, ignore_errors=True)
        print(f"  [{a.scale}] store: first run …", end="", flush=True)
        m = measure(cchc_cmd(out_dir("first", 0), ["--store", store]), a.repo, log_path, [store])
        print(f" {m['wall_s']:.2f} s", flush=True)
        res["runs"]["cchc first run (empty store)"] = [m]
        for i in range(1, a.runs + 1):
            # the same command again: same inputs, same output folder
            print(f"  [{a.scale} {i}/{a.runs}] cchc re-run, unchanged inputs …", end="", flush=True)
            out = out_dir("first", 0, keep=True)
            m = measure(cchc_cmd(out, ["--store", store]), a.repo, log_path)
            print(f" {m['wall_s']:.2f} s", flush=True)
            res["runs"].setdefault("cchc re-run (unchanged inputs)", []).append(m)
            compare_or_die("cchc re-run", os.path.join(a.work, f"{a.scale}-cchc-1", "indicators.json"),
                           os.path.join(out, "indicators.json"), log_path)
        for i in range(1, a.runs + 1):
            # everything computed and written again, the inputs taken from the filled store
            print(f"  [{a.scale} {i}/{a.runs}] cchc from the filled store, new output folder …", end="", flush=True)
            out = out_dir("rerun", i)
            m = measure(cchc_cmd(out, ["--store", store]), a.repo, log_path)
            print(f" {m['wall_s']:.2f} s", flush=True)
            res["runs"].setdefault("cchc from the filled store (new output folder)", []).append(m)
            compare_or_die("cchc from the store", os.path.join(a.work, f"{a.scale}-cchc-1", "indicators.json"),
                           os.path.join(out, "indicators.json"), log_path)
        if a.multi_period and feats["period_range"]:
            last = a.multi_period.split("..")[-1]
            for i in range(1, a.runs + 1):
                print(f"  [{a.scale} {i}/{a.runs}] cchc {a.multi_period} from the store …", end="", flush=True)
                out = out_dir("multi", i)
                m = measure([a.cchc, "run", pipeline, "--period", a.multi_period, "--input", a.data,
                             "--out", out, "-q", "--store", store], a.repo, log_path)
                print(f" {m['wall_s']:.2f} s", flush=True)
                res["runs"].setdefault(f"cchc {a.multi_period} (from the store)", []).append(m)
                if last == a.period:
                    compare_or_die(f"cchc {a.multi_period}, period {last}",
                                   os.path.join(a.work, f"{a.scale}-cchc-1", "indicators.json"),
                                   os.path.join(out, last, "indicators.json"), log_path)
            res["multi_period"] = a.multi_period
            # the same periods with an empty store: every file read once, every period computed
            print(f"  [{a.scale}] cchc {a.multi_period}, empty store …", end="", flush=True)
            flags, fresh = store_flags(0, "store-multi-cold")
            m = measure([a.cchc, "run", pipeline, "--period", a.multi_period, "--input", a.data,
                         "--out", out_dir("multi-cold", 0), "-q"] + flags, a.repo, log_path, fresh)
            print(f" {m['wall_s']:.2f} s", flush=True)
            res["runs"][f"cchc {a.multi_period} (empty store)"] = [m]
    else:
        res["notes"].append("store feature (--store, --period ranges): not available in this build")
        print(f"  [{a.scale}] unchanged re-run / {a.multi_period or 'multi-period'} from the store: "
              "not available in this build", flush=True)

    # cleanup of the bulky outputs (logs stay)
    for d in os.listdir(a.work):
        p = os.path.join(a.work, d)
        if os.path.isdir(p) and d.startswith(a.scale + "-"):
            shutil.rmtree(p, ignore_errors=True)
    res["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    all_res = []
    if os.path.exists(a.results):
        with open(a.results, encoding="utf-8") as fh:
            all_res = json.load(fh)
    all_res = [r for r in all_res if r.get("scale") != a.scale] + [res]
    with open(a.results, "w", encoding="utf-8") as fh:
        json.dump(all_res, fh, ensure_ascii=False, indent=2)
    print(summary(res))


# ------------------------------------------------------------------------------ reporting
def med(runs, key):
    return statistics.median(r[key] for r in runs)


def summary(res, markdown=False) -> str:
    runs = res["runs"]
    lines = []
    head = (f"{res['scale']}: {res['files']} files, {res['bytes'] / 1e6:.1f} MB, period {res['period']}, "
            f"{res.get('tthc_rows', '?')} form-06 rows, received_total {res.get('tthc_received_total', '?')}")
    base = med(runs["cchc"], "wall_s")
    if markdown:
        lines.append(f"**{head}**\n")
        lines.append("| implementation | runs | median wall (s) | median peak RSS (MiB) | cchc time / this | max CPU-s of other processes during a run |")
        lines.append("|---|---:|---:|---:|---:|---:|")
    else:
        lines.append(head)
        lines.append(f"  {'implementation':44} {'runs':>4} {'wall s':>9} {'peak MiB':>9} {'cchc/this':>10} {'others cpu-s':>13}")
    for name, rs in runs.items():
        w, m = med(rs, "wall_s"), med(rs, "peak_rss_kib") / 1024
        ratio = base / w if w > 0 else float("nan")
        oth = max(r.get("others_cpu_s", float("nan")) for r in rs)
        cont = sum(1 for r in rs if r.get("contended"))
        name = name + (f" ({cont} contended)" if cont else "")
        if markdown:
            lines.append(f"| {name} | {len(rs)} | {w:.2f} | {m:.0f} | {ratio:.3f} | {oth:.1f} |")
        else:
            lines.append(f"  {name:44} {len(rs):>4} {w:>9.2f} {m:>9.0f} {ratio:>10.3f} {oth:>13.1f}")
    for n in res.get("notes", []):
        lines.append(("- " if markdown else "  note: ") + n)
    return "\n".join(lines)


def report(a):
    with open(a.results, encoding="utf-8") as fh:
        all_res = json.load(fh)
    for res in all_res:
        print(summary(res, a.markdown))
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scale")
    for k in ("scale", "data", "period", "cchc", "bare", "python", "repo", "work", "results"):
        s.add_argument("--" + k, required=True)
    s.add_argument("--runs", type=int, default=3)
    s.add_argument("--pandas-runs", type=int, default=3)
    s.add_argument("--multi-period")
    r = sub.add_parser("report")
    r.add_argument("--results", required=True)
    r.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    if a.cmd == "scale":
        for k in ("data", "cchc", "bare", "repo", "work", "results"):
            setattr(a, k, os.path.abspath(getattr(a, k)))
        run_scale(a)
    else:
        report(a)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Form 06 figures the way an office IT person would compute them with pandas.

    python pandas_openpyxl.py --input EXPORTS_DIR --period 2024-Q1 --out OUT_DIR \
        [--pipeline ../../pipelines/quarterly.toml]

Reads every export under --input (xlsx with openpyxl, xls with xlrd, ods with odfpy, csv with
pandas' own parser), finds each table by its header words, normalizes it, quarantines the rows
that cannot be dossiers, keeps one record per dossier code, drops withdrawn dossiers, counts
form 06 for the period and writes OUT_DIR/indicators.json with the `tthc` array in cchc's shape.
The rules are those of shared/spec/tthc-rules.md; the helpers shared with the polars version are
in common.py.
"""
from __future__ import annotations

import io
import os
import sys
import warnings

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

# pandas 3 deprecates its xlrd engine (calamine replaces it); xlrd is still what it documents for .xls.
warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
ENGINES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}
DATE_COLS = ["received", "due", "completed", "returned"]
WANTED = ["dossier_id", "unit", "field", "status", "channel"] + DATE_COLS


# ------------------------------------------------------------------------------ reading
def read_sheets(path: str, cfg: C.Config) -> list[pd.DataFrame]:
    """Every sheet of a file as a header-less DataFrame of raw cell values."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        with open(path, "rb") as fh:
            text, sep, first = C.sniff_csv(fh.read(), cfg)
        # Title lines above the header may have fewer separators: start at the header line.
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, skiprows=first, dtype=str,
                         keep_default_na=False, na_values=[""], skip_blank_lines=False)
        return [df]
    with open(path, "rb") as fh:
        raw = fh.read()
    if C.looks_like_html(raw):
        return [pd.DataFrame(rows, dtype=object) for rows in C.html_tables(raw)]
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine=ENGINES[ext], dtype=object)
    return list(sheets.values())


def tables_of_file(path: str, file_idx: int, cfg: C.Config):
    """-> list of DataFrames with the wanted canonical columns (raw values), `file`, `pos`;
    plus the number of data rows read."""
    out = []
    pos0 = 0
    for sheet in read_sheets(path, cfg):
        if sheet.empty:
            continue
        head = sheet.head(C.HEADER_SEARCH_ROWS).astype(object).where(sheet.head(C.HEADER_SEARCH_ROWS).notna(), None)
        rows = head.values.tolist()
        h = C.find_header(cfg, rows)
        if h is None:
            continue  # cover, guide or summary sheet
        unit_of_file = None
        if "unit" not in h.columns:
            titles = [" ".join(C.clean(v) for v in r if v is not None and C.clean(v)) for r in rows[: h.row]]
            unit_of_file = C.file_unit(cfg, path, titles)
            if unit_of_file is None:
                raise SystemExit(f"{path}: no unit column and no unit in the title lines or the file name")
        start = h.row + h.height
        while start < len(sheet) and C.is_numbering_row(sheet.iloc[start].tolist()):
            start += 1
        body = sheet.iloc[start:]
        t = pd.DataFrame({c: (body.iloc[:, h.columns[c]].to_numpy() if c in h.columns else None)
                          for c in WANTED}, index=body.index)
        if len(h.units) > 1:
            t["unit"] = [C.unit_of_row(cfg, vals) for vals in body.iloc[:, h.units].itertuples(index=False)]
        # Blank rows inside the data are skipped.
        keep = t.notna().any(axis=1)
        # Footer rows (Tổng cộng, Người lập biểu, signatures): the first text of the row says so.
        # Only rows without a code or a received date can be footer rows; look at those alone.
        suspects = keep & (t["dossier_id"].isna() | t["received"].isna())
        if suspects.any():
            sus = body.loc[suspects]
            first = sus.apply(lambda r: next((v for v in r if v is not None and v == v and C.clean(v)), None), axis=1)
            footer = first.map(lambda v: isinstance(v, str) and C.is_footer_text(cfg, v))
            keep.loc[footer[footer].index] = False
        t = t[keep].copy()
        if "channel" not in h.columns:
            t["channel"] = C.NO_CHANNEL
        t["file_unit"] = unit_of_file
        t["file"] = file_idx
        t["pos"] = range(pos0, pos0 + len(t))
        pos0 += len(t)
        out.append(t)
    # No dossier list header: a file of another kind (evaluations, PAKN, the units' forms, a
    # system's statistics, the portal's scores), which cchc sorts out by its header too.
    return out


# ------------------------------------------------------------------------------ normalizing
def as_text(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = C.clean(v)
    return s or None


def map_unique(series: pd.Series, fn) -> pd.Series:
    """Applies a Python function once per distinct value (the usual pandas idiom for messy text)."""
    uniq = pd.unique(series.to_numpy(dtype=object))
    table = {u: fn(u) for u in uniq}
    return series.map(lambda v: table[v])


def normalize(raw: pd.DataFrame, cfg: C.Config):
    """-> (records, quarantined count per file)."""
    df = pd.DataFrame({"file": raw["file"].to_numpy(), "pos": raw["pos"].to_numpy()}, index=raw.index)
    df["code"] = map_unique(raw["dossier_id"], lambda v: (as_text(v) or ""))
    unit_text = map_unique(raw["unit"], as_text)
    unit_text = unit_text.where(unit_text.notna(), raw["file_unit"])
    dates = {c: map_unique(raw[c], lambda v: None if pd.isna(v) is True else C.parse_date_value(v))
             for c in DATE_COLS}
    invalid = pd.Series(False, index=raw.index)
    for c in DATE_COLS:
        invalid |= dates[c].map(lambda v: isinstance(v, C.Invalid))
    as_date = {c: pd.to_datetime(dates[c].map(lambda v: None if v is None or isinstance(v, C.Invalid) else v))
               for c in DATE_COLS}
    status = map_unique(raw["status"], lambda v: cfg.statuses.get(C.match_key(as_text(v))) if as_text(v) else None)
    completed = as_date["completed"].fillna(as_date["returned"])
    resolved_status = status.isin(list(C.RESOLVED))
    bad = ((df["code"] == "") | unit_text.isna() | dates["received"].isna() | invalid
           | (resolved_status & completed.isna())
           | (completed < as_date["received"]))
    quarantined = bad.groupby(df["file"]).sum()

    ok = ~bad
    rec = df[ok].copy()
    rec["received"] = as_date["received"][ok]
    rec["due"] = as_date["due"][ok]
    rec["completed"] = completed[ok]
    st = status[ok]
    # an unknown status: resolved if it has a completed date, else processing (a warning in cchc)
    st = st.where(st.notna(), rec["completed"].notna().map({True: "result_ready", False: "processing"}))
    rec["status"] = st
    rec["rank"] = st.map(C.STATUS_RANK)
    rec["channel"] = map_unique(raw["channel"][ok], lambda v: "unknown" if v == C.NO_CHANNEL else (
        cfg.channels.get(C.match_key(as_text(v)), "direct") if as_text(v) else "direct"))

    def unit_of(text):
        u = C.find_unit(cfg, text)
        return u if u else (C.canonical_spelling(text), C.level_of_unknown(text))

    u = map_unique(unit_text[ok], unit_of)
    rec["unit"] = u.map(lambda x: x[0])
    rec["level"] = u.map(lambda x: x[1])
    rec["field"] = map_unique(raw["field"][ok], lambda v: (
        cfg.field_by_key.get(C.match_key(as_text(v)), C.canonical_spelling(as_text(v))) if as_text(v)
        else "(Không rõ lĩnh vực)"))
    # A name the registry does not know: the first spelling seen (input order) names all spellings.
    rec = rec.sort_values(["file", "pos"], kind="stable")
    for col in ("unit", "field"):
        keys = rec[col].map(C.match_key)
        first = rec[col].groupby(keys, sort=False).transform("first")
        rec[col] = first
    return rec, quarantined


# ------------------------------------------------------------------------------ rules and counts
def dedup(rec: pd.DataFrame) -> pd.DataFrame:
    """tthc-rules §2: furthest status, then later completion date, then later input wins."""
    # no completion date sorts first (na_position applies to `completed`, the only column with nulls)
    rec = rec.sort_values(["code", "rank", "completed", "file", "pos"], kind="stable", na_position="first")
    return rec.drop_duplicates("code", keep="last")


def form06(rec: pd.DataFrame, start, end) -> list:
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    rcv, due, done = rec["received"], rec["due"], rec["completed"]
    done_in = done.notna() & (done >= s) & (done <= e)
    new = (rcv >= s) & (rcv <= e)
    pending = (rcv <= e) & (done.isna() | (done > e))
    overdue = pending & due.notna() & (due < e) & (rec["status"] != "supplement")
    m = pd.DataFrame({
        "carried_over": (rcv < s) & (done.isna() | (done >= s)),
        "new_online": new & (rec["channel"] == "online"),
        "new_direct": new & (rec["channel"] == "direct"),
        "new_postal": new & (rec["channel"] == "postal"),
        "new_unknown": new & (rec["channel"] == "unknown"),
        "resolved_early": done_in & due.notna() & (done < due),
        "resolved_on_time": done_in & (due.isna() | (done == due)),
        "resolved_late": done_in & due.notna() & (done > due),
        "pending_within": pending & ~overdue,
        "pending_overdue": overdue,
    })
    m[["level", "unit", "field"]] = rec[["level", "unit", "field"]]
    g = m.groupby(["level", "unit", "field"], sort=False).sum()
    return C.tthc_rows((k, row) for k, row in zip(g.index, g.to_dict("records")))


def main():
    args = C.common_args(__doc__.splitlines()[0]).parse_args()
    cfg = C.load_config(args.pipeline)
    start, end = C.period_bounds(args.period, cfg.period_rule)
    paths = C.list_inputs(args.input)
    tables, rows_per_file = [], []
    for i, p in enumerate(paths):
        ts = tables_of_file(p, i, cfg)
        tables.extend(ts)
        rows_per_file.append(sum(len(t) for t in ts))
    raw = pd.concat(tables, ignore_index=True)
    rec, quarantined = normalize(raw, cfg)
    rec = dedup(rec)
    rec = rec[rec["status"] != "withdrawn"]
    tthc = form06(rec, start, end)
    files = [{"file": p, "rows": rows_per_file[i], "quarantined": int(quarantined.get(i, 0))}
             for i, p in enumerate(paths)]
    C.write_indicators(args.out, cfg, args.period, start, end, files, tthc,
                       f"pandas {pd.__version__} (openpyxl, xlrd, odf engines)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Form 06 figures with polars (Python) and fastexcel (calamine).

    python polars_fastexcel.py --input EXPORTS_DIR --period 2024-Q1 --out OUT_DIR \
        [--pipeline ../../pipelines/quarterly.toml]

Same job and same rules as pandas_openpyxl.py (see there and common.py), written the polars way:
xlsx/xls/ods are read by fastexcel (calamine, in Rust) as text columns, csv by pl.read_csv, and
the table work (date forms, quarantine, dedup, counts) is done with expressions over whole
columns. Only the few distinct unit/field/status/channel spellings go through Python functions
(tone placement has no polars expression).
"""
from __future__ import annotations

import io
import os
import sys

import fastexcel
import polars as pl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

DATE_COLS = ["received", "due", "completed", "returned"]
WANTED = ["dossier_id", "unit", "field", "status", "channel"] + DATE_COLS


# ------------------------------------------------------------------------------ reading
def read_sheets(path: str, cfg: C.Config) -> list[pl.DataFrame]:
    """Every sheet of a file as a header-less DataFrame of text cells (dates come as ISO text,
    numbers as their decimal text)."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        with open(path, "rb") as fh:
            text, sep, first = C.sniff_csv(fh.read(), cfg)
        df = pl.read_csv(io.BytesIO(text.encode("utf-8")), has_header=False, separator=sep,
                         skip_rows=first, infer_schema=False, truncate_ragged_lines=True)
        return [df]
    with open(path, "rb") as fh:
        raw = fh.read()
    if C.looks_like_html(raw):
        return [pl.DataFrame([[None if v is None else str(v) for v in r] for r in rows], orient="row",
                             schema=[f"column_{i}" for i in range(len(rows[0]))])
                for rows in C.html_tables(raw)]
    reader = fastexcel.read_excel(path)
    sheets = [reader.load_sheet(i, header_row=None, dtypes="string").to_polars()
              for i in range(len(reader.sheet_names))]
    return [df.with_columns(pl.all().cast(pl.String)) for df in sheets]  # an all-empty column has no type


def nonempty(c: str) -> pl.Expr:
    return pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "")


def tables_of_file(path: str, file_idx: int, cfg: C.Config) -> list[pl.DataFrame]:
    out = []
    pos0 = 0
    for sheet in read_sheets(path, cfg):
        if sheet.height == 0:
            continue
        rows = [list(r) for r in sheet.head(C.HEADER_SEARCH_ROWS).rows()]
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
        while start < sheet.height and C.is_numbering_row(sheet.row(start)):
            start += 1
        body = sheet.slice(start)
        names = body.columns
        t = body.select([(pl.col(names[h.columns[c]]) if c in h.columns else pl.lit(None, pl.String)).alias(c)
                         for c in WANTED] + [pl.coalesce([pl.when(nonempty(n)).then(pl.col(n)) for n in names])
                                             .alias("_first")])
        if len(h.units) > 1:
            t = t.with_columns(pl.Series("unit", [C.unit_of_row(cfg, vals) for vals in
                                                   body.select([names[i] for i in h.units]).rows()],
                                         dtype=pl.String))
        t = t.filter(pl.any_horizontal([nonempty(c) for c in WANTED]))  # blank rows inside the data
        if "channel" not in h.columns:
            t = t.with_columns(pl.lit(C.NO_CHANNEL, pl.String).alias("channel"))
        # Footer rows: only a row without a code or a received date can be one; its first text says so.
        firsts = t.filter(~nonempty("dossier_id") | ~nonempty("received"))["_first"].unique().to_list()
        footers = [f for f in firsts if f is not None and C.is_footer_text(cfg, f)]
        t = t.filter(~(pl.col("_first").is_in(footers) & (~nonempty("dossier_id") | ~nonempty("received"))))
        t = t.drop("_first").with_columns(
            pl.lit(unit_of_file, pl.String).alias("file_unit"),
            pl.lit(file_idx, pl.Int32).alias("file"),
            (pl.int_range(pl.len(), dtype=pl.Int64) + pos0).alias("pos"),
        )
        pos0 += t.height
        out.append(t)
    # No dossier list header: a file of another kind (evaluations, PAKN, the units' forms, a
    # system's statistics, the portal's scores), which cchc sorts out by its header too.
    return out


# ------------------------------------------------------------------------------ normalizing
DMY = r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
HM_DMY = r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$"
ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
SERIAL = r"^\d+(?:\.\d+)?$"


def parse_dates(c: str) -> tuple[pl.Expr, pl.Expr]:
    """-> (date expression, invalid flag) for a text column holding every form of tthc-rules §6:
    spreadsheet dates (fastexcel writes them ISO), serial numbers, dd/mm/yyyy[ HH:MM[:SS]],
    HH:MM dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd[ HH:MM:SS]. Ambiguous or impossible -> invalid."""
    s = pl.col(c).str.strip_chars()

    def ymd(y, m, d, hh, mi, ss):
        date = pl.format("{}-{}-{}", y, m.str.zfill(2), d.str.zfill(2)).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        bad_time = (hh.cast(pl.Int32) >= 24) | (mi.cast(pl.Int32) >= 60) | (ss.cast(pl.Int32) >= 61)
        return pl.when(bad_time.fill_null(False)).then(None).otherwise(date)

    g = lambda rx, i: s.str.extract(rx, i)  # noqa: E731
    dmy = ymd(g(DMY, 3), g(DMY, 2), g(DMY, 1), g(DMY, 4), g(DMY, 5), g(DMY, 6))
    hm = ymd(g(HM_DMY, 6), g(HM_DMY, 5), g(HM_DMY, 4), g(HM_DMY, 1), g(HM_DMY, 2), g(HM_DMY, 3))
    iso = ymd(g(ISO, 1), g(ISO, 2), g(ISO, 3), g(ISO, 4), g(ISO, 5), g(ISO, 6))
    num = pl.when(s.str.contains(SERIAL)).then(s).cast(pl.Float64, strict=False)
    serial = pl.when((num >= 20_000) & (num < 80_000)).then(
        (pl.lit(C.EXCEL_EPOCH) + pl.duration(days=num.floor().cast(pl.Int64))).cast(pl.Date))
    date = pl.coalesce(serial, dmy, hm, iso)
    present = s.is_not_null() & (s != "")
    return date, present & date.is_null()


def mapped(df: pl.DataFrame, col: str, fn, dtype=pl.String) -> pl.Series:
    """Applies a Python function once per distinct value of a column and maps the column."""
    uniq = df[col].unique().to_list()
    table = {u: fn(u) for u in uniq if u is not None}
    return df[col].replace_strict(table, default=fn(None), return_dtype=dtype)


def as_text(v):
    if v is None:
        return None
    s = C.clean(v)
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]  # a number cell written as text by fastexcel
    return s or None


def normalize(raw: pl.DataFrame, cfg: C.Config):
    date_exprs = {c: parse_dates(c) for c in DATE_COLS}
    df = raw.with_columns(
        mapped(raw, "unit", as_text).alias("unit_text"),
        mapped(raw, "status", lambda v: cfg.statuses.get(C.match_key(as_text(v))) if as_text(v) else None).alias("status"),
    ).with_columns(
        pl.col("dossier_id").str.strip_chars().fill_null("").alias("code"),
        pl.col("unit_text").fill_null(pl.col("file_unit")),
        *[date_exprs[c][0].alias(c) for c in DATE_COLS],
        pl.any_horizontal([date_exprs[c][1] for c in DATE_COLS]).alias("_invalid"),
    ).with_columns(pl.coalesce("completed", "returned").alias("completed"))
    bad = ((pl.col("code") == "") | pl.col("unit_text").is_null() | pl.col("received").is_null()
           | pl.col("_invalid")
           | (pl.col("status").is_in(list(C.RESOLVED)) & pl.col("completed").is_null())
           | (pl.col("completed") < pl.col("received")).fill_null(False))
    df = df.with_columns(bad.alias("_bad"))
    quarantined = dict(df.group_by("file").agg(pl.col("_bad").sum()).iter_rows())
    rec = df.filter(~pl.col("_bad"))

    def unit_of(text):
        u = C.find_unit(cfg, text)
        return u if u else (C.canonical_spelling(text), C.level_of_unknown(text))

    units = {u: unit_of(u) for u in rec["unit_text"].unique().to_list()}
    rec = rec.with_columns(
        pl.col("unit_text").replace_strict({k: v[0] for k, v in units.items()}).alias("unit"),
        pl.col("unit_text").replace_strict({k: v[1] for k, v in units.items()}).alias("level"),
        mapped(rec, "field", lambda v: (cfg.field_by_key.get(C.match_key(as_text(v)), C.canonical_spelling(as_text(v)))
                                        if as_text(v) else "(Không rõ lĩnh vực)")).alias("field"),
        mapped(rec, "channel", lambda v: "unknown" if v == C.NO_CHANNEL else (
            cfg.channels.get(C.match_key(as_text(v)), "direct") if as_text(v) else "direct")).alias("channel"),
        # unknown status: resolved if it carries a completed date, else processing
        pl.col("status").fill_null(pl.when(pl.col("completed").is_not_null())
                                   .then(pl.lit("result_ready")).otherwise(pl.lit("processing"))),
    ).with_columns(pl.col("status").replace_strict(C.STATUS_RANK, return_dtype=pl.Int8).alias("rank"))
    # A name the registry does not know: the first spelling seen (input order) names all spellings.
    rec = rec.sort("file", "pos")
    for col in ("unit", "field"):
        keys = {v: C.match_key(v) for v in rec[col].unique().to_list()}
        rec = rec.with_columns(pl.col(col).first().over(pl.col(col).replace_strict(keys)))
    return rec.select("file", "pos", "code", "level", "unit", "field", "received", "due", "completed",
                      "status", "rank", "channel"), quarantined


# ------------------------------------------------------------------------------ rules and counts
def dedup(rec: pl.DataFrame) -> pl.DataFrame:
    """tthc-rules §2: furthest status, then later completion date, then later input wins."""
    return (rec.sort(["code", "rank", "completed", "file", "pos"], nulls_last=False)
               .unique(subset="code", keep="last", maintain_order=True))


def form06(rec: pl.DataFrame, start, end) -> list:
    s, e = pl.lit(start), pl.lit(end)
    rcv, due, done = pl.col("received"), pl.col("due"), pl.col("completed")
    done_in = done.is_not_null() & (done >= s) & (done <= e)
    new = (rcv >= s) & (rcv <= e)
    pending = (rcv <= e) & (done.is_null() | (done > e))
    overdue = pending & due.is_not_null() & (due < e) & (pl.col("status") != "supplement")
    counts = {
        "carried_over": (rcv < s) & (done.is_null() | (done >= s)),
        "new_online": new & (pl.col("channel") == "online"),
        "new_direct": new & (pl.col("channel") == "direct"),
        "new_postal": new & (pl.col("channel") == "postal"),
        "new_unknown": new & (pl.col("channel") == "unknown"),
        "resolved_early": done_in & due.is_not_null() & (done < due),
        "resolved_on_time": done_in & (due.is_null() | (done == due)),
        "resolved_late": done_in & due.is_not_null() & (done > due),
        "pending_within": pending & ~overdue,
        "pending_overdue": overdue,
    }
    g = rec.group_by("level", "unit", "field").agg(
        [e.fill_null(False).sum().alias(k) for k, e in counts.items()])
    return C.tthc_rows(((r["level"], r["unit"], r["field"]), r) for r in g.iter_rows(named=True))


def main():
    args = C.common_args(__doc__.splitlines()[0]).parse_args()
    cfg = C.load_config(args.pipeline)
    start, end = C.period_bounds(args.period, cfg.period_rule)
    paths = C.list_inputs(args.input)
    tables, rows_per_file = [], []
    for i, p in enumerate(paths):
        ts = tables_of_file(p, i, cfg)
        tables.extend(ts)
        rows_per_file.append(sum(t.height for t in ts))
    raw = pl.concat(tables, how="vertical")
    rec, quarantined = normalize(raw, cfg)
    rec = dedup(rec).filter(pl.col("status") != "withdrawn")
    tthc = form06(rec, start, end)
    files = [{"file": p, "rows": rows_per_file[i], "quarantined": int(quarantined.get(i, 0))}
             for i, p in enumerate(paths)]
    C.write_indicators(args.out, cfg, args.period, start, end, files, tthc,
                       f"polars {pl.__version__} + fastexcel {fastexcel.__version__}")


if __name__ == "__main__":
    main()

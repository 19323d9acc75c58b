"""What both Python references share: the configuration, the text rules, the date forms, the
header search, the period bounds and the output.

Written from the specification (shared/spec/tthc-rules.md, export-columns.md, interface.md) and
the shipped configuration (pipelines/*.toml), read with tomllib. Nothing here depends on pandas
or polars: these are the few pure-Python helpers an office IT person would keep in one module,
so that the two reference scripts differ only in how they read files and crunch the table.
"""
from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# --------------------------------------------------------------------------------------------
# Text (tthc-rules §6): NFC, trimmed, inner spaces collapsed; both tone placements are one name
# --------------------------------------------------------------------------------------------
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng


def clean(s) -> str:
    """NFC, trimmed, inner runs of white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(s)).split())


def _classic_tone(word: str) -> str:
    """Moves the tone of a word ending in oa / oe / uy (not after q) onto the first vowel of the
    pair, the placement of the Quốc hiệu: Hoà -> Hòa, Thuỷ -> Thủy, Khoẻ -> Khỏe."""
    letters: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    n = len(letters)
    if n >= 2:
        a, b = letters[-2][0].lower(), letters[-1][0].lower()
        pair = (a == "o" and b in "ae") or (a == "u" and b == "y" and (n < 3 or letters[-3][0].lower() != "q"))
        first_plain = all(m in TONE_MARKS for m in letters[-2][1:])
        tones = [m for m in letters[-1][1:] if m in TONE_MARKS]
        if pair and first_plain and tones:
            letters[-1].remove(tones[0])
            letters[-2].append(tones[0])
    return unicodedata.normalize("NFC", "".join("".join(l) for l in letters))


@lru_cache(maxsize=None)
def canonical_spelling(s: str) -> str:
    """How a name the registry does not know is written: cleaned, tones as in the Quốc hiệu."""
    return " ".join(_classic_tone(w) for w in clean(s).split(" "))


@lru_cache(maxsize=None)
def match_key(s: str) -> str:
    """The key under which two spellings are the same: case, NFC/NFD, tone placement, spaces
    (also around hyphens) folded."""
    k = canonical_spelling(s).lower()
    return k.replace(" - ", "-").replace(" -", "-").replace("- ", "-")


# Vietnamese collation (interface.md: rows sorted by level, unit, field "by Vietnamese collation"):
# letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (Latin letters in their Latin
# places), then tones ngang < huyền < hỏi < ngã < sắc < nặng, then case.
_TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=None)
def vi_key(s: str):
    prim, sec, ter = [], [], []
    for ch in unicodedata.normalize("NFC", s):
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        b = base.lower()
        sub = 0
        if b == "a" and "\u0306" in marks:
            sub = 1
        elif b in "aeo" and "\u0302" in marks:
            sub = 2 if b == "a" else 1
        elif b in "ou" and "\u031b" in marks:
            sub = 2 if b == "o" else 1
        if b == "đ":
            b, sub = "d", 1
        if "a" <= b <= "z":
            p = 1000 + (ord(b) - ord("a")) * 4 + sub
        elif b.isdigit() and b.isascii():
            p = 500 + int(b)
        elif b.isspace():
            p = 1
        elif b.isalpha():
            p = 2000 + ord(b)
        else:
            p = 10 + ord(b) % 400
        prim.append(p)
        sec.append(next((_TONE_ORDER[m] for m in marks if m in _TONE_ORDER), 0))
        ter.append(1 if base.isupper() else 0)
    return (prim, sec, ter, s)


# --------------------------------------------------------------------------------------------
# Dates (tthc-rules §6)
# --------------------------------------------------------------------------------------------
class Invalid(str):
    """A cell that is not a usable date (ambiguous or impossible): the row is quarantined."""


EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
_DATE_FORMS = [
    # dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS], dd-mm-yyyy (also with a time)
    (re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:\s+" + _TIME + r")?$"), "dmy"),
    # HH:MM dd/mm/yyyy
    (re.compile(r"^" + _TIME + r"\s+(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$"), "hm_dmy"),
    # yyyy-mm-dd[ HH:MM:SS] (also yyyy-mm-ddTHH:MM:SS)
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]" + _TIME + r")?$"), "ymd"),
]
_SERIAL_TEXT = re.compile(r"^\d+(\.\d+)?$")


def serial_to_date(n: float):
    if not (1 <= n < 2_958_466):
        return Invalid(f"number {n} is not a date")
    return EXCEL_EPOCH + dt.timedelta(days=int(n // 1))


def _valid_time(h, m, s) -> bool:
    return int(h) < 24 and int(m) < 60 and (s is None or int(s) < 61)


@lru_cache(maxsize=1 << 20)
def parse_date_text(s: str):
    """date, None (empty) or Invalid. Day before month in every form except ISO."""
    s = s.strip()
    if not s:
        return None
    if _SERIAL_TEXT.match(s):
        # a serial number copied as text (CSV copies of a spreadsheet)
        n = float(s)
        if 20_000 <= n < 80_000:
            return serial_to_date(n)
        return Invalid(f"«{s}» is not a date")
    for rx, kind in _DATE_FORMS:
        m = rx.match(s)
        if not m:
            continue
        g = m.groups()
        if kind == "dmy":
            d, mo, y, hh, mi, ss = g
        elif kind == "hm_dmy":
            hh, mi, ss, d, mo, y = g
        else:
            y, mo, d, hh, mi, ss = g
        if hh is not None and not _valid_time(hh, mi, ss):
            return Invalid(f"«{s}» has an impossible time")
        try:
            return dt.date(int(y), int(mo), int(d))
        except ValueError:
            return Invalid(f"«{s}» does not exist")
    # dd/mm/yy and anything else: ambiguous, never guessed
    return Invalid(f"«{s}» is not a date in a known form")


def parse_date_value(v):
    """A cell value as any reader returns it -> date, None or Invalid."""
    if v is None:
        return None
    if isinstance(v, bool):
        return Invalid(f"«{v}» is not a date")
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)):
        if v != v:  # NaN: an empty cell
            return None
        return serial_to_date(float(v))
    return parse_date_text(str(v))


# --------------------------------------------------------------------------------------------
# Configuration (pipelines/*.toml)
# --------------------------------------------------------------------------------------------
STATUS_RANK = {"received": 1, "processing": 2, "supplement": 3, "result_ready": 4, "refused": 4,
               "returned": 5, "withdrawn": 5}  # tthc-rules §2: refused = result ready, withdrawn = returned
RESOLVED = {"result_ready", "refused", "returned"}


@dataclass
class Config:
    district: str
    period_rule: str
    columns: dict            # match_key(header) -> canonical column
    required: set
    ignored: set
    footer_markers: list     # match keys
    statuses: dict           # match_key(value) -> status
    channels: dict           # match_key(value) -> channel
    unit_by_key: dict        # match_key(spelling) -> (name, level)
    strip_prefixes: list
    strip_suffixes: list
    units: list              # [(name, level)]
    field_by_key: dict       # match_key(spelling) -> canonical field name
    file_units: list = field(default_factory=list)  # [(pattern, unit)]


def load_config(pipeline_path: str) -> Config:
    base = os.path.dirname(os.path.abspath(pipeline_path))
    with open(pipeline_path, "rb") as fh:
        p = tomllib.load(fh)

    def load(name):
        with open(os.path.join(base, p[name]), "rb") as fh:
            return tomllib.load(fh)

    voc, units, fields = load("vocabulary"), load("units"), load("fields")
    if p.get("withdrawn", "exclude") != "exclude":
        raise SystemExit("the reference implements withdrawn = \"exclude\" (the default) only")
    columns, required = {}, set()
    for canon, spec in voc["columns"].items():
        for alias in [spec.get("label", "")] + spec.get("aliases", []):
            if alias:
                columns[match_key(alias)] = canon
        if spec.get("required"):
            required.add(canon)
    statuses = {match_key(v): st for st, vs in voc["statuses"].items() for v in vs}
    channels = {match_key(v): ch for ch, vs in voc["channels"].items() for v in vs}
    unit_by_key, unit_list = {}, []
    for u in units["units"]:
        unit_list.append((u["name"], u["level"]))
        for sp in [u["name"]] + u.get("aliases", []):
            unit_by_key[match_key(sp)] = (u["name"], u["level"])
    field_by_key = {}
    for f in fields["fields"]:
        for sp in [f["name"]] + f.get("aliases", []):
            field_by_key[match_key(sp)] = canonical_spelling(f["name"])
    return Config(
        district=p.get("district", ""),
        period_rule=p.get("period_rule", "nd09"),
        columns=columns, required=required,
        ignored={match_key(c) for c in voc.get("ignored_columns", [])},
        footer_markers=[match_key(m) for m in voc.get("footer_markers", [])],
        statuses=statuses, channels=channels,
        unit_by_key=unit_by_key,
        strip_prefixes=[match_key(x) for x in units.get("strip_prefixes", [])],
        strip_suffixes=[match_key(x) for x in units.get("strip_suffixes", [])],
        units=unit_list, field_by_key=field_by_key,
        file_units=[(fu["pattern"], fu["unit"]) for fu in p.get("file_units", [])],
    )


# --------------------------------------------------------------------------------------------
# Units and fields
# --------------------------------------------------------------------------------------------
def find_unit(cfg: Config, spelling: str):
    """(name, level) of a registry unit, trying the spelling as written, then without a prefix
    (UBND, Ủy ban nhân dân), then without a suffix (huyện Hóc Môn)."""
    k = match_key(spelling)
    if k in cfg.unit_by_key:
        return cfg.unit_by_key[k]
    for p in cfg.strip_prefixes:
        if k.startswith(p):
            k = k[len(p):].lstrip(" .:-")
            break
    if k in cfg.unit_by_key:
        return cfg.unit_by_key[k]
    for s in cfg.strip_suffixes:
        if k.endswith(s):
            rest = k[: -len(s)].rstrip(" ,-")
            if rest in cfg.unit_by_key:
                return cfg.unit_by_key[rest]
    return None


def level_of_unknown(name: str) -> str:
    k = match_key(name)
    return "xa" if k.startswith(("xã ", "thị trấn ", "phường ", "ubnd xã ", "ubnd thị trấn ")) else "huyen"


def _words(s: str) -> str:
    return " " + " ".join("".join(c if c.isalnum() else " " for c in s).split()) + " "


def unit_from_titles(cfg: Config, lines: list[str]):
    """The one unit the title lines above a header name, if exactly one."""
    found = set()
    for line in lines:
        u = find_unit(cfg, line)
        if u:
            found.add(u[0])
            continue
        key = _words(match_key(line))
        for alias, (name, _) in cfg.unit_by_key.items():
            if len(alias) >= 6 and _words(alias) in key:
                found.add(name)
    return found.pop() if len(found) == 1 else None


def _slug(s: str) -> str:
    out = []
    for c in unicodedata.normalize("NFD", s):
        c = "d" if c in "đĐ" else c
        if c.isascii() and c.isalnum():
            out.append(c.lower())
        elif not unicodedata.combining(c) and (not out or out[-1] != "-"):
            out.append("-")
    return "".join(out).strip("-")


def unit_from_file_name(cfg: Config, file_name: str):
    name = f"-{_slug(file_name)}-"
    hits = sorted({u for u, _ in cfg.units if f"-{_slug(u)}-" in name}, key=lambda u: -len(_slug(u)))
    if len(hits) == 1:
        return hits[0]
    if len(hits) >= 2 and _slug(hits[1]) in _slug(hits[0]):
        return hits[0]
    return None


def configured_unit(cfg: Config, file_name: str):
    for pattern, unit in cfg.file_units:
        if fnmatch.fnmatch(file_name.lower(), pattern.lower()):
            return unit
    return None


def file_unit(cfg: Config, path: str, title_lines: list[str]):
    """The unit of a file that has no unit column: [[file_units]], then the title lines, then the
    file name."""
    name = os.path.basename(path)
    return configured_unit(cfg, name) or unit_from_titles(cfg, title_lines) or unit_from_file_name(cfg, name)


# --------------------------------------------------------------------------------------------
# Finding the table in a sheet (export-columns.md): by the vocabulary, never by position
# --------------------------------------------------------------------------------------------
HEADER_SEARCH_ROWS = 60


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return clean(v)


def lookup_column(cfg: Config, text: str):
    if not text:
        return None
    k = match_key(text)
    if k in cfg.columns:
        return cfg.columns[k]
    s = text.rstrip("*: ")
    s = s.split("(")[0].strip()
    if s and s != text:
        return cfg.columns.get(match_key(s))
    return None


@dataclass
class Header:
    row: int           # index of the first header row in the grid given
    height: int        # 1 or 2
    columns: dict      # canonical -> column index
    # every unit column, in order (real-exports.md §1: iGate writes «Phòng ban» and «Cơ quan/đơn
    # vị»; per row the first that names a registry unit wins)
    units: list = field(default_factory=list)


def _guess(cfg: Config, rows, r: int, two: bool) -> Header:
    width = max(len(rows[r]), len(rows[r + 1]) if two else 0)
    cols, units = {}, []
    for c in range(width):
        here = _cell_text(rows[r][c]) if c < len(rows[r]) else ""
        if two:
            own = _cell_text(rows[r + 1][c]) if c < len(rows[r + 1]) else ""
            if own:
                parent = next((_cell_text(rows[r][k]) for k in range(c, -1, -1)
                               if k < len(rows[r]) and _cell_text(rows[r][k])), "")
                name = lookup_column(cfg, clean(f"{parent} {own}")) or lookup_column(cfg, own)
            else:
                name = lookup_column(cfg, here)
        else:
            name = lookup_column(cfg, here)
        if name == "unit":
            units.append(c)
        if name and name not in cols:
            cols[name] = c
    # «Ngày nộp hồ sơ» / «Ngày nộp» is the online submission beside «Ngày nhận»; alone, it is
    # the received date (vocabulary.toml, [columns.submitted]).
    if "received" not in cols and "submitted" in cols:
        cols["received"] = cols["submitted"]
    return Header(r, 2 if two else 1, cols, units)


def find_header(cfg: Config, rows: list[list]):
    """The one- or two-row header (a group cell over sub-columns, the others merged vertically)
    that recognises the most columns, among the first rows of a sheet; None if the sheet holds no
    dossier list (cover, guide and summary sheets)."""
    best = None
    for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if not any(_cell_text(v) for v in rows[r]):
            continue
        for two in (False, True):
            if two and r + 1 >= len(rows):
                continue
            h = _guess(cfg, rows, r, two)
            if "dossier_id" not in h.columns or len(h.columns) < 3:
                continue
            if best is None or (len(h.columns), -h.height) > (len(best.columns), -best.height):
                best = h
    if best is None:
        return None
    if any(c not in best.columns for c in cfg.required if c != "unit"):
        return None  # e.g. a per-field summary sheet
    return best


def is_numbering_row(values) -> bool:
    """The column-number row (1) (2) (3) … printed under statutory headers."""
    nums = []
    for v in values:
        t = _cell_text(v)
        if not t:
            continue
        t = t.strip("()")
        if not t.isdigit() or int(t) >= 100:
            return False
        nums.append(int(t))
    return len(nums) >= 3 and all(b > a for a, b in zip(nums, nums[1:]))


_PLACE_DATE = re.compile(r"ngày\s*[\d.…].*tháng\s*[\d.…].*năm\s*[\d.…]")


def is_footer_text(cfg: Config, text: str) -> bool:
    """Totals and signature lines (vocabulary footer_markers, or «…, ngày 15 tháng 3 năm 2024»)."""
    k = match_key(text)
    if _PLACE_DATE.search(k):
        return True
    for m in cfg.footer_markers:
        if k.startswith(m):
            rest = k[len(m):]
            if not rest or not m[-1].isalnum() or not rest[0].isalnum():
                return True
    return False


# --------------------------------------------------------------------------------------------
# CSV: encoding, separator, where the header line is
# --------------------------------------------------------------------------------------------
def sniff_csv(raw: bytes, cfg: Config):
    """-> (text, separator, index of the first line that may be the header). UTF-8 with or
    without BOM; comma or semicolon: the one that recognises most header names in the first
    lines."""
    text = raw.decode("utf-8-sig")
    head = text[:200_000].splitlines()[:HEADER_SEARCH_ROWS]
    best = None
    for sep in (";", ","):
        rows = list(csv.reader(head, delimiter=sep))
        for i, r in enumerate(rows):
            score = sum(1 for c in r if lookup_column(cfg, clean(c)))
            if best is None or score > best[0]:
                best = (score, sep, i)
    return text, best[1], best[2]


# --------------------------------------------------------------------------------------------
# Inputs, periods, output
# --------------------------------------------------------------------------------------------
SPREADSHEET_EXT = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def list_inputs(dirs: list[str]) -> list[str]:
    """Every spreadsheet under each input folder, recursively, sorted by path (interface.md)."""
    out = []
    for d in dirs:
        found = []
        for root, _, files in os.walk(d):
            for f in files:
                if f.lower().endswith(SPREADSHEET_EXT) and not f.startswith(("~$", ".")):
                    found.append(os.path.join(root, f))
        found.sort(key=lambda p: os.path.relpath(p, d).split(os.sep))
        out.extend(p for p in found if p not in out)
    return out


def period_bounds(pid: str, rule: str):
    """tthc-rules §1."""
    year_s, kind = pid.strip().split("-", 1)
    year, kind = int(year_s), kind.upper()
    first, last = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12),
                   "H1": (1, 6), "M9": (1, 9), "Y": (1, 12)}[kind]
    if rule == "nd09":
        start = dt.date(year - 1, 12, 15) if first == 1 else dt.date(year, first - 1, 15)
        end = dt.date(year, last, 14)
    else:
        start = dt.date(year, first, 1)
        end = (dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)) - dt.timedelta(days=1)
    return start, end


COUNT_KEYS = ["received_total", "carried_over", "new_online", "new_direct", "new_postal",
              "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
              "pending_total", "pending_within", "pending_overdue"]


def rate(part: int, whole: int):
    """Half away from zero to 2 decimals, in integers; None when nothing was resolved."""
    if whole == 0:
        return None
    return ((part * 20_000 + whole) // (2 * whole)) / 100


def unit_of_row(cfg: Config, values):
    """Of a row's unit cells (in column order), the first that names a registry unit, else the
    first non-empty one (real-exports.md §1)."""
    texts = [clean(v) for v in values if v is not None and not (isinstance(v, float) and v != v) and clean(v)]
    for t in texts:
        if find_unit(cfg, t):
            return t
    return texts[0] if texts else None


# A file without a channel column: its dossiers are of unknown channel (real-exports.md §1).
NO_CHANNEL = "\x00unknown"


# --------------------------------------------------------------------------------------------
# HTML tables saved as .xls (Tân Dân, the older software's «Web Page»): each innermost <table>
# is a sheet; colspan pads, entities are decoded, <br> is a space.
# --------------------------------------------------------------------------------------------
def looks_like_html(raw: bytes) -> bool:
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<table" in raw[:200_000].lower()


def html_tables(raw: bytes) -> list:
    import html.parser

    class P(html.parser.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.done = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.stack.append({"rows": [], "row": None, "cell": None})
            elif not self.stack:
                return
            elif tag == "tr":
                self.stack[-1]["row"] = []
            elif tag in ("td", "th"):
                span = dict(attrs).get("colspan") or "1"
                self.stack[-1]["cell"] = ([], int(span) if span.isdigit() else 1)
            elif tag == "br" and self.stack[-1]["cell"] is not None:
                self.stack[-1]["cell"][0].append(" ")

        def handle_endtag(self, tag):
            if not self.stack:
                return
            t = self.stack[-1]
            if tag in ("td", "th") and t["cell"] is not None and t["row"] is not None:
                text, span = t["cell"]
                t["row"].append(clean("".join(text)) or None)
                t["row"].extend([None] * (span - 1))
                t["cell"] = None
            elif tag == "tr" and t["row"] is not None:
                t["rows"].append(t["row"])
                t["row"] = None
            elif tag == "table":
                done = self.stack.pop()
                if any(any(v for v in r) for r in done["rows"]):
                    self.done.append(done["rows"])

        def handle_data(self, data):
            if self.stack and self.stack[-1]["cell"] is not None:
                self.stack[-1]["cell"][0].append(data)

    p = P()
    p.feed(raw.decode("utf-8", errors="replace"))
    out = []
    for rows in p.done:
        width = max(len(r) for r in rows)
        out.append([r + [None] * (width - len(r)) for r in rows])
    return out


def tthc_rows(groups) -> list:
    """groups: iterable of ((level, unit, field), {count: n}) with the 9 base counts. -> the
    `tthc` array of indicators.json, rows with any dossier in the period, sorted."""
    out = []
    for (level, unit, fld), c0 in groups:
        c = {k: int(c0[k]) for k in ("carried_over", "new_online", "new_direct", "new_postal", "resolved_early",
                                    "resolved_on_time", "resolved_late", "pending_within", "pending_overdue")}
        row = {"level": level, "unit": unit, "field": fld}
        # dossiers of unknown channel are received, in no column of the channel split
        row["received_total"] = (c["carried_over"] + c["new_online"] + c["new_direct"] + c["new_postal"]
                                 + int(c0.get("new_unknown", 0)))
        for k in ("carried_over", "new_online", "new_direct", "new_postal"):
            row[k] = c[k]
        if int(c0.get("new_unknown", 0)):
            row["new_unknown_channel"] = int(c0["new_unknown"])  # written when not 0, as cchc does
        row["resolved_total"] = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
        for k in ("resolved_early", "resolved_on_time", "resolved_late"):
            row[k] = c[k]
        row["pending_total"] = c["pending_within"] + c["pending_overdue"]
        for k in ("pending_within", "pending_overdue"):
            row[k] = c[k]
        assert row["received_total"] == row["resolved_total"] + row["pending_total"], row
        if row["received_total"] == 0 and row["resolved_total"] == 0:
            continue
        row["on_time_rate"] = rate(c["resolved_early"] + c["resolved_on_time"], row["resolved_total"])
        row["late_rate"] = rate(c["resolved_late"], row["resolved_total"])
        out.append(row)
    out.sort(key=lambda r: (0 if r["level"] == "huyen" else 1, vi_key(r["unit"]), vi_key(r["field"])))
    return out


def write_indicators(out_dir: str, cfg: Config, pid: str, start, end, files, tthc, implementation):
    os.makedirs(out_dir, exist_ok=True)
    doc = {
        "schema": "cchc-indicators/1",
        "district": cfg.district,
        "period": {"id": pid, "rule": cfg.period_rule, "start": start.isoformat(), "end": end.isoformat()},
        "generated_from": files,
        "tthc": tthc,
        "implementation": implementation,
    }
    path = os.path.join(out_dir, "indicators.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return path


def common_args(description: str):
    import argparse
    here = os.path.dirname(os.path.abspath(__file__))
    default_pipeline = os.path.join(here, "..", "..", "pipelines", "quarterly.toml")
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--pipeline", default=default_pipeline, help="pipeline TOML (vocabulary, units, fields)")
    ap.add_argument("--input", action="append", required=True, help="folder of exports (repeatable)")
    ap.add_argument("--period", required=True, help="2024-Q1 … 2024-Q4, 2024-H1, 2024-M9, 2024-Y")
    ap.add_argument("--out", required=True, help="folder for indicators.json")
    return ap

#!/usr/bin/env python3
"""Kiểm tra pipelines/tasks.toml (nhiệm vụ của kế hoạch CCHC) và đối chiếu với phụ lục của kế hoạch.

Cách chạy (từ thư mục gốc của kho hoặc bất kỳ đâu):
    python3 pipelines/tasks-check.py [đường-dẫn-tệp-kế-hoạch]

Mặc định tệp kế hoạch là fixtures/plan/ke-hoach-cchc-2024.txt (bản sao Kế hoạch CCHC 2024 của huyện Hóc Môn trong kho).
Chỉ cần Python 3.11+ (tomllib). Thoát với mã 1 nếu có lỗi.
"""

import datetime
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASKS = HERE / "tasks.toml"
BODIES = HERE / "task-bodies.toml"
UNITS = HERE / "units.toml"
DEFAULT_SEED = HERE.parent / "fixtures" / "plan" / "ke-hoach-cchc-2024.txt"

RULES = {"date", "by_period", "year_end", "each_quarter", "continuous", "on_event"}
RULES_WITH_DUE = {"date", "by_period"}
TOKENS = {"@all", "@huyen", "@xa"}
PERIOD_RE = re.compile(r"^\d{4}-(Q[1-4]|H1|M9|Y)$")
NUMBER_RE = re.compile(r"^\d+(\.\d+)*$")
TASK_KEYS = {"number", "section", "task", "product", "leads", "lead_text", "partners",
             "deadline_text", "rule", "due", "confirm"}
TASK_REQUIRED = TASK_KEYS - {"due", "confirm"}
SECTION_KEYS = {"id", "title", "report"}
REPORT_SECTIONS = {"chi_dao", "the_che", "thu_tuc", "bo_may", "cong_vu", "tai_chinh", "chinh_quyen_so"}
FIX_RE = re.compile(r"^#\s*Sửa lỗi chữ \((task|product|partners)\): «(.+?)» → «(.+?)»")

errors = []


def err(msg):
    errors.append(msg)


def clean_cell(s):
    """Ô của phụ lục: bỏ mã HTML thừa, gộp khoảng trắng, chuẩn NFC."""
    s = re.sub(r"<[^>]+>", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return unicodedata.normalize("NFC", s)


def parse_appendix(path):
    """Đọc phụ lục của kế hoạch: trả về (mục, dòng tiêu đề nhóm, nhiệm vụ) theo thứ tự.

    Phụ lục bắt đầu ở dòng "PHỤ LỤC"; mỗi dòng bảng gồm các ô cách nhau bởi tab:
    STT, Nhiệm vụ cụ thể, Sản phẩm, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn thành.
    Dòng tiêu đề bảng ("STT …") lặp lại ở mỗi trang và được bỏ qua. Dòng chỉ có STT và tên
    (các ô khác trống) là tiêu đề: STT một cấp ("1") là mục, nhiều cấp ("1.4") là nhóm.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == "PHỤ LỤC")
    except StopIteration:
        raise SystemExit(f"{path}: không tìm thấy dòng «PHỤ LỤC»")
    sections, groups, tasks = [], [], []
    for lineno, line in enumerate(lines[start:], start + 1):
        if "\t" not in line:
            continue
        cells = [clean_cell(c) for c in line.split("\t")]
        if cells[0] == "STT":
            continue
        if not NUMBER_RE.match(cells[0]):
            err(f"phụ lục dòng {lineno}: STT «{cells[0]}» không đúng dạng số")
            continue
        cells += [""] * (6 - len(cells))
        number, title, product, lead, partners, deadline = cells[:6]
        if not (product or lead or partners or deadline):
            (sections if "." not in number else groups).append((number, title))
        else:
            tasks.append({"number": number, "task": title, "product": product,
                          "lead_text": lead, "partners": partners, "deadline_text": deadline})
    return sections, groups, tasks


def fixes_from_comments(path):
    """Các chỗ sửa lỗi chữ ghi trong chú thích ngay trên mỗi [[tasks]]: {số: [(trường, cũ, mới)]}."""
    fixes, pending, in_task = {}, [], False
    for line in path.read_text(encoding="utf-8").split("\n"):
        s = line.strip()
        if s.startswith("#"):
            m = FIX_RE.match(s)
            if m:
                pending.append(m.groups())
        elif s == "[[tasks]]":
            in_task = True
        elif in_task and s.startswith("number"):
            number = tomllib.loads(s)["number"]
            fixes[number] = pending
            pending, in_task = [], False
        elif s.startswith("[["):
            pending, in_task = [], False
    return fixes


def check_date(s):
    try:
        return datetime.date.fromisoformat(s).isoformat() == s
    except ValueError:
        return False


def main():
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEED
    with TASKS.open("rb") as f:
        data = tomllib.load(f)
    with BODIES.open("rb") as f:
        bodies_data = tomllib.load(f)
    with UNITS.open("rb") as f:
        units_data = tomllib.load(f)

    units = {u["name"]: u["level"] for u in units_data.get("units", [])}
    bodies = {}
    for b in bodies_data.get("bodies", []):
        name = b.get("name", "")
        if not name:
            err("task-bodies.toml: một [[bodies]] không có name")
            continue
        if name in bodies or name in units:
            err(f"task-bodies.toml: «{name}» trùng tên")
        if b.get("answered_by") not in units:
            err(f"task-bodies.toml: «{name}»: answered_by «{b.get('answered_by')}» không có trong units.toml")
        if not isinstance(b.get("aliases", []), list):
            err(f"task-bodies.toml: «{name}»: aliases phải là danh sách")
        bodies[name] = b

    for k in data.keys() - {"year", "sections", "tasks"}:
        err(f"khóa lạ «{k}» ở đầu tệp")
    year = data.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        err(f"year «{year}» phải là năm của kế hoạch (số nguyên, ví dụ 2024)")

    # Mục
    sections = data.get("sections", [])
    reports = Counter(s.get("report") for s in sections if "report" in s)
    for r, n in reports.items():
        if r not in REPORT_SECTIONS:
            err(f"report «{r}» không thuộc {sorted(REPORT_SECTIONS)}")
        if n > 1:
            err(f"report «{r}» được {n} mục dùng")
    for s in sections:
        for k in s.keys() - SECTION_KEYS:
            err(f"mục {s.get('id')}: trường lạ «{k}»")
    section_ids = [s.get("id") for s in sections]
    for sid, n in Counter(section_ids).items():
        if n > 1:
            err(f"mục «{sid}» khai {n} lần")
    for s in sections:
        if not isinstance(s.get("id"), str) or not s.get("title"):
            err(f"mục {s!r}: cần id (chuỗi) và title")

    # Nhiệm vụ
    tasks = data.get("tasks", [])
    numbers = [t.get("number") for t in tasks]
    for num, n in Counter(numbers).items():
        if n > 1:
            err(f"nhiệm vụ «{num}» khai {n} lần")
    for t in tasks:
        num = t.get("number", "?")
        where = f"nhiệm vụ {num}"
        for k in TASK_REQUIRED - t.keys():
            err(f"{where}: thiếu trường «{k}»")
        for k in t.keys() - TASK_KEYS:
            err(f"{where}: trường lạ «{k}»")
        for k in ("number", "section", "task", "product", "lead_text", "partners", "deadline_text"):
            v = t.get(k)
            if k in t and not isinstance(v, str):
                err(f"{where}: «{k}» phải là chuỗi")
            elif isinstance(v, str) and unicodedata.normalize("NFC", v) != v:
                err(f"{where}: «{k}» chưa ở dạng Unicode NFC")
        if not NUMBER_RE.match(str(num)):
            err(f"{where}: số không đúng dạng")
        sec = t.get("section")
        if sec not in section_ids:
            err(f"{where}: mục «{sec}» không có trong [[sections]]")
        elif not str(num).startswith(f"{sec}."):
            err(f"{where}: số không thuộc mục «{sec}»")
        if not t.get("task"):
            err(f"{where}: nội dung nhiệm vụ trống")

        rule = t.get("rule")
        if rule not in RULES:
            err(f"{where}: rule «{rule}» không thuộc {sorted(RULES)}")
        due = t.get("due")
        if rule in RULES_WITH_DUE and due is None:
            err(f"{where}: rule «{rule}» cần due")
        if rule not in RULES_WITH_DUE and due is not None:
            err(f"{where}: rule «{rule}» không được có due")
        if rule == "date" and due is not None and not (isinstance(due, str) and check_date(due)):
            err(f"{where}: due «{due}» phải là ngày yyyy-mm-dd")
        if rule == "by_period" and due is not None and not (isinstance(due, str) and PERIOD_RE.match(due)):
            err(f"{where}: due «{due}» phải là mã kỳ 2024-Q1…Q4, 2024-H1, 2024-M9 hoặc 2024-Y")

        leads = t.get("leads")
        if not isinstance(leads, list) or not leads:
            err(f"{where}: leads phải là danh sách không rỗng")
            leads = []
        for lead in leads:
            if lead not in units and lead not in bodies and lead not in TOKENS:
                err(f"{where}: đơn vị chủ trì «{lead}» không phải đơn vị (units.toml), cơ quan "
                    f"(task-bodies.toml) hay ký hiệu {sorted(TOKENS)}")
        for lead, n in Counter(leads).items():
            if n > 1:
                err(f"{where}: «{lead}» lặp trong leads")

    # Đối chiếu với phụ lục của kế hoạch
    if not seed.exists():
        err(f"không tìm thấy tệp kế hoạch {seed}")
    else:
        seed_sections, seed_groups, seed_tasks = parse_appendix(seed)
        if [s for s, _ in seed_sections] != section_ids:
            err(f"mục trong phụ lục {[s for s, _ in seed_sections]} khác tasks.toml {section_ids}")
        titles = {s.get("id"): s.get("title") for s in sections}
        for sid, title in seed_sections:
            if sid in titles and titles[sid] != title:
                err(f"mục {sid}: tên «{titles[sid]}» khác phụ lục «{title}»")
        seed_numbers = [t["number"] for t in seed_tasks]
        for num in seed_numbers:
            if num not in numbers:
                err(f"nhiệm vụ {num} có trong phụ lục nhưng thiếu trong tasks.toml")
        for num in numbers:
            if num not in seed_numbers:
                err(f"nhiệm vụ {num} có trong tasks.toml nhưng không có trong phụ lục")
        for num, _ in seed_groups:
            if num in numbers:
                err(f"{num} là dòng tiêu đề nhóm của phụ lục, không phải nhiệm vụ")
        if set(seed_numbers) == set(numbers) and seed_numbers != numbers:
            err("thứ tự nhiệm vụ trong tasks.toml khác thứ tự của phụ lục")

        fixes = fixes_from_comments(TASKS)
        by_number = {t.get("number"): t for t in tasks}
        n_fixes = 0
        for st in seed_tasks:
            t = by_number.get(st["number"])
            if t is None:
                continue
            for k in ("lead_text", "deadline_text"):
                if t.get(k) != st[k]:
                    err(f"nhiệm vụ {st['number']}: {k} «{t.get(k)}» khác phụ lục «{st[k]}»")
            for k in ("task", "product", "partners"):
                expected = st[k]
                for field, old, new in fixes.get(st["number"], []):
                    if field == k:
                        if old not in expected:
                            err(f"nhiệm vụ {st['number']}: chú thích sửa «{old}» nhưng phụ lục không có")
                        expected = expected.replace(old, new)
                        n_fixes += 1
                if t.get(k) != expected:
                    err(f"nhiệm vụ {st['number']}: {k} khác phụ lục:\n    tasks.toml: {t.get(k)}\n"
                        f"    phụ lục:    {expected}")

    # Thống kê
    titles = {s.get("id"): s.get("title") for s in sections}
    per_section = Counter(t.get("section") for t in tasks)
    per_rule = Counter(t.get("rule") for t in tasks)
    per_lead = Counter(l for t in tasks for l in t.get("leads", []))
    print(f"tasks.toml: {len(tasks)} nhiệm vụ, {len(sections)} mục")
    print("Theo mục:")
    for sid in section_ids:
        print(f"  {sid:>3}  {per_section.get(sid, 0):3}  {titles.get(sid)}")
    print("Theo quy tắc thời hạn:")
    for rule in ["date", "by_period", "year_end", "each_quarter", "continuous", "on_event"]:
        print(f"  {rule:<13} {per_rule.get(rule, 0):3}")
    print("Theo đơn vị chủ trì (một nhiệm vụ có thể có nhiều đơn vị):")
    for lead, n in per_lead.most_common():
        print(f"  {n:3}  {lead}")
    if seed.exists():
        print(f"Đối chiếu phụ lục ({seed.name}): {len(seed_tasks)} nhiệm vụ, "
              f"{len(seed_groups)} dòng tiêu đề nhóm, {n_fixes} chỗ sửa lỗi chữ có ghi chú")

    if errors:
        print(f"\n{len(errors)} lỗi:", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print("\nKhông có lỗi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

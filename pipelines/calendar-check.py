#!/usr/bin/env python3
"""Kiểm tra pipelines/calendar.toml (lịch ngày làm việc của công chức, viên chức).

Cách chạy:  python3 pipelines/calendar-check.py
Chỉ cần Python 3.11+ (tomllib). Thoát với mã 1 nếu có lỗi.

Kiểm tra: mỗi năm một lần, theo thứ tự; ngày hợp lệ, thuộc đúng năm, không trùng, sắp xếp tăng dần;
days_off là thứ Hai – thứ Sáu, make_up là thứ Bảy / Chủ nhật; các ngày lễ dương lịch cố định (1/1,
30/4, 1/5, 2/9) rơi vào ngày thường phải có trong days_off; năm 2024 đúng như shared/spec/pakn.md §2.
"""

import datetime
import sys
import tomllib
from pathlib import Path

CALENDAR = Path(__file__).resolve().parent / "calendar.toml"

# shared/spec/pakn.md §2: nghỉ 1/1; 8/2–14/2 (Tết); 18/4; 29/4, 30/4, 1/5; 2/9, 3/9; làm bù thứ Bảy 4/5.
SPEC_2024_DAYS_OFF = [
    "2024-01-01",
    "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
    "2024-04-18",
    "2024-04-29", "2024-04-30", "2024-05-01",
    "2024-09-02", "2024-09-03",
]
SPEC_2024_MAKE_UP = ["2024-05-04"]
FIXED_HOLIDAYS = [(1, 1), (4, 30), (5, 1), (9, 2)]
WEEKDAY_VI = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def main():
    errors = []
    with CALENDAR.open("rb") as f:
        data = tomllib.load(f)
    years = data.get("years", [])
    seen = []
    for y in years:
        year = y.get("year")
        where = f"năm {year}"
        if not isinstance(year, int):
            errors.append(f"{y!r}: thiếu year (số nguyên)")
            continue
        if year in seen:
            errors.append(f"{where} khai hơn một lần")
        if seen and year < seen[-1]:
            errors.append(f"{where} không theo thứ tự tăng dần")
        seen.append(year)
        if not y.get("source"):
            errors.append(f"{where}: thiếu source")

        parsed = {}
        for key, weekend in (("days_off", False), ("make_up", True)):
            values = y.get(key)
            if not isinstance(values, list):
                errors.append(f"{where}: {key} phải là danh sách")
                values = []
            dates = []
            for s in values:
                try:
                    d = datetime.date.fromisoformat(s)
                    if d.isoformat() != s:
                        raise ValueError
                except (TypeError, ValueError):
                    errors.append(f"{where}: {key}: «{s}» không phải ngày yyyy-mm-dd")
                    continue
                if d.year != year:
                    errors.append(f"{where}: {key}: {s} không thuộc năm {year}")
                if weekend and d.weekday() < 5:
                    errors.append(f"{where}: make_up: {s} là {WEEKDAY_VI[d.weekday()]}, không phải ngày cuối tuần")
                if not weekend and d.weekday() >= 5:
                    errors.append(f"{where}: days_off: {s} là {WEEKDAY_VI[d.weekday()]} (chỉ ghi ngày thường)")
                dates.append(d)
            if dates != sorted(dates):
                errors.append(f"{where}: {key} chưa sắp xếp tăng dần")
            if len(set(dates)) != len(dates):
                errors.append(f"{where}: {key} có ngày trùng")
            parsed[key] = dates

        for m, d in FIXED_HOLIDAYS:
            day = datetime.date(year, m, d)
            if day.weekday() < 5 and day not in parsed["days_off"]:
                errors.append(f"{where}: ngày lễ {day.isoformat()} ({WEEKDAY_VI[day.weekday()]}) thiếu trong days_off")

        if year == 2024:
            if y.get("days_off") != SPEC_2024_DAYS_OFF:
                errors.append(f"năm 2024: days_off {y.get('days_off')} khác pakn.md §2 {SPEC_2024_DAYS_OFF}")
            if y.get("make_up") != SPEC_2024_MAKE_UP:
                errors.append(f"năm 2024: make_up {y.get('make_up')} khác pakn.md §2 {SPEC_2024_MAKE_UP}")

        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        off, extra = set(parsed["days_off"]), set(parsed["make_up"])
        working = sum(
            1
            for i in range((end - start).days + 1)
            for day in [start + datetime.timedelta(days=i)]
            if (day.weekday() < 5 and day not in off) or day in extra
        )
        print(f"{year}: {len(off):2} ngày nghỉ trong tuần, {len(extra)} ngày làm bù, {working} ngày làm việc")

    if 2024 not in seen:
        errors.append("thiếu năm 2024")
    if errors:
        print(f"\n{len(errors)} lỗi:", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print("\nKhông có lỗi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

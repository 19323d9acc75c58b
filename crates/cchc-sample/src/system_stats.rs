//! The district dossier system's own statistics of the sample quarter (Biểu II.06a,
//! `real-exports.md` §3): counted from the sample's dossiers as the system counts them, so that
//! `cchc run` has a table to reconcile. Why: officers are told to make their figures agree with
//! the system's, and the sample is where they first see why the two differ.
//!
//! The system counts as tthc-rules does, with four practices of its own (each one a rule of the
//! reconciliation): a withdrawn dossier is counted (resolved on time on its end date, or pending),
//! a dossier waiting for the applicant's supplement at the period's end is resolved on time, a
//! resolved dossier without a due date is early, and receipt is dated by the online submission
//! (`Ngày nộp hồ sơ`) where its list has one. One cell is planted that no practice explains: in
//! one unit a late dossier is written as on time.

use std::path::Path;

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};

use super::catalog::{Channel, Status, UNITS};
use super::dossier::{day_dossiers, Dossier};
use super::real::{submitted, Real};
use super::render::{Book, Cell, Merge, Row, RowKind, Sheet};
use super::style::{FileSpec, Style};
use super::{write, FileDetail};

/// The period of the table: the sample quarter under the ND 09 cut-off (2024-Q1).
pub const PERIOD: (u32, i32) = (1, 2024);

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// The table's counts, in its column order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub online: u64,
    pub direct_postal: u64,
    pub carried_over: u64,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    pub within: u64,
    pub overdue: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.online += o.online;
        self.direct_postal += o.direct_postal;
        self.carried_over += o.carried_over;
        self.early += o.early;
        self.on_time += o.on_time;
        self.late += o.late;
        self.within += o.within;
        self.overdue += o.overdue;
    }

    fn cells(&self) -> [u64; 11] {
        let received = self.online + self.direct_postal + self.carried_over;
        let resolved = self.early + self.on_time + self.late;
        [
            received,
            self.online,
            self.direct_postal,
            self.carried_over,
            resolved,
            self.early,
            self.on_time,
            self.late,
            self.within + self.overdue,
            self.within,
            self.overdue,
        ]
    }
}

/// One dossier as the system counts it in [start, end] (days), from what its list shows at
/// `as_of`.
fn count(
    x: &Dossier,
    as_of: NaiveDateTime,
    by_submission: bool,
    start: NaiveDate,
    end: NaiveDate,
) -> Counts {
    let v = x.view(as_of);
    let mut c = Counts::default();
    let received = if by_submission {
        submitted(x).date()
    } else {
        x.received.date()
    };
    let mut due = x.due.map(|d| d.date());
    let mut done = v.completed.map(|d| d.date());
    // Resolved without a due date: early.
    if due.is_none() && done.is_some() && v.status != Status::Withdrawn {
        due = done.map(|d| d.succ_opt().expect("date"));
    }
    // Waiting for the applicant's supplement at the period's end: resolved on time.
    if v.status == Status::Supplement && done.is_none_or(|d| d > end) {
        done = Some(end);
        due = None;
    }
    if received > end || done.is_some_and(|d| d < start) {
        return c;
    }
    if received < start {
        c.carried_over = 1;
    } else if x.channel == Channel::Online {
        c.online = 1;
    } else {
        c.direct_postal = 1;
    }
    match done.filter(|d| *d <= end) {
        // A withdrawal is counted on time.
        Some(_) if v.status == Status::Withdrawn => c.on_time = 1,
        Some(d) => match due {
            Some(u) if d < u => c.early = 1,
            Some(u) if d > u => c.late = 1,
            _ => c.on_time = 1,
        },
        None => {
            if due.is_some_and(|u| u < end) && v.status != Status::Supplement {
                c.overdue = 1;
            } else {
                c.within = 1;
            }
        }
    }
    c
}

/// The units of the table: two offices and two communes whose dossiers are each in one list
/// (no re-export, no repeats in another unit's list) with no broken rows.
const OFFICES: [usize; 2] = [6, 11];

/// Counts of one unit's list.
fn unit_counts(seed: u64, per_workday: f64, style: &Style, spec: &FileSpec) -> Counts {
    let (start, end) = (ymd(2023, 12, 15), ymd(2024, 3, 14));
    let by_submission = style.real == Some(Real::TanDan);
    let mut c = Counts::default();
    let mut d = spec.from;
    while d <= spec.to {
        for x in day_dossiers(seed, style.unit, d, per_workday) {
            if x.received <= spec.as_of {
                c.add(&count(&x, spec.as_of, by_submission, start, end));
            }
        }
        d = d.succ_opt().expect("date");
    }
    c
}

/// Writes the table; `lists` are the sample's files and their styles.
pub fn write_table(
    dir: &Path,
    seed: u64,
    per_workday: f64,
    lists: &[(&Style, &FileSpec)],
) -> Result<FileDetail> {
    let communes = [
        super::catalog::FIRST_COMMUNE,
        super::catalog::FIRST_COMMUNE + 6,
    ];
    let of = |unit: usize| -> Counts {
        let mut c = Counts::default();
        for (st, spec) in lists.iter().filter(|(st, _)| st.unit == unit) {
            c.add(&unit_counts(seed, per_workday, st, spec));
        }
        c
    };
    let mut offices: Vec<(usize, Counts)> = OFFICES.iter().map(|&u| (u, of(u))).collect();
    let mut xa: Vec<(usize, Counts)> = communes.iter().map(|&u| (u, of(u))).collect();
    // The difference no practice explains: the system writes one late dossier of the first
    // unit that has one as on time.
    if let Some((_, c)) = offices
        .iter_mut()
        .chain(xa.iter_mut())
        .find(|(_, c)| c.late > 0)
    {
        c.late -= 1;
        c.on_time += 1;
    }
    let titles = [
        "Biểu số II.06a/VPCP/KSTT".to_string(),
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
            .into(),
        format!("Kỳ báo cáo: Quý I năm {}", PERIOD.1),
        "(Từ ngày 15/12/2023 đến ngày 14/03/2024)".into(),
        "Đơn vị báo cáo: UBND huyện Hóc Môn".into(),
    ];
    let width = 13;
    let blank = || vec![Cell::Empty; width];
    let text = |s: &str| Cell::Text(s.to_string());
    let mut rows: Vec<Row> = titles
        .iter()
        .map(|t| {
            let mut cells = blank();
            cells[0] = text(t);
            Row {
                kind: RowKind::Title,
                cells,
            }
        })
        .collect();
    let mut unit_row = blank();
    unit_row[12] = text("Đơn vị tính: Số hồ sơ TTHC.");
    rows.push(Row {
        kind: RowKind::Title,
        cells: unit_row,
    });
    let mut merges: Vec<Merge> = (0..5)
        .map(|r| Merge {
            r0: r,
            c0: 0,
            r1: r,
            c1: width - 1,
        })
        .collect();
    // Three merged header rows.
    let h = rows.len();
    let mut top = blank();
    let mut mid = blank();
    let mut bottom = blank();
    let mut span = |r0: usize, c0: usize, r1: usize, c1: usize| {
        merges.push(Merge { r0, c0, r1, c1 });
    };
    top[0] = text("TT");
    span(h, 0, h + 2, 0);
    top[1] = text("Lĩnh vực, công việc giải quyết theo cấp");
    span(h, 1, h + 2, 1);
    top[2] = text("Tiếp nhận");
    span(h, 2, h, 5);
    top[6] = text("Số lượng hồ sơ đã giải quyết");
    span(h, 6, h, 9);
    top[10] = text("Số lượng hồ sơ đang giải quyết");
    span(h, 10, h, 12);
    mid[2] = text("Tổng số");
    span(h + 1, 2, h + 2, 2);
    mid[3] = text("Trong đó");
    span(h + 1, 3, h + 1, 4);
    bottom[3] = text("Trực tuyến");
    bottom[4] = text("Trực tiếp, dịch vụ bưu chính");
    for (col, name) in [
        (5, "Từ kỳ trước"),
        (6, "Tổng số"),
        (7, "Trước hạn"),
        (
            8,
            "Đúng hạn\n(Bao gồm cả hồ sơ chờ Bổ sung và Trả lại/Xin rút)",
        ),
        (9, "Quá hạn"),
        (10, "Tổng số"),
        (
            11,
            "Trong hạn\n(Bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác)",
        ),
        (12, "Quá hạn"),
    ] {
        mid[col] = text(name);
        span(h + 1, col, h + 2, col);
    }
    for cells in [top, mid, bottom] {
        rows.push(Row {
            kind: RowKind::Header,
            cells,
        });
    }
    rows.push(Row {
        kind: RowKind::Header,
        cells: (1..=width).map(|i| text(&format!("({i})"))).collect(),
    });
    let line = |tt: Cell, name: &str, c: &Counts| Row {
        kind: RowKind::Data,
        cells: [tt, text(name)]
            .into_iter()
            .chain(c.cells().iter().map(|n| Cell::Num(*n as f64, false)))
            .collect(),
    };
    let sum = |v: &[(usize, Counts)]| {
        let mut s = Counts::default();
        for (_, c) in v {
            s.add(c);
        }
        s
    };
    // Rows of units (the group and total rows are the table's own sums, checked, not read as
    // rows).
    let data = offices.len() + xa.len();
    for (roman, group, units) in [("I", "Cấp huyện", &offices), ("II", "Cấp xã", &xa)] {
        rows.push(line(text(roman), group, &sum(units)));
        for (i, (u, c)) in units.iter().enumerate() {
            rows.push(line(Cell::Num((i + 1) as f64, false), UNITS[*u].name, c));
        }
    }
    let mut all = sum(&offices);
    all.add(&sum(&xa));
    rows.push(line(Cell::Empty, "Tổng cộng", &all));
    rows.push(Row {
        kind: RowKind::Blank,
        cells: blank(),
    });
    let mut sign = blank();
    sign[9] = text("Hóc Môn, ngày 15 tháng 3 năm 2024");
    rows.push(Row {
        kind: RowKind::Footer,
        cells: sign,
    });
    let mut who = blank();
    who[1] = text("NGƯỜI LẬP BIỂU");
    who[9] = text("THỦ TRƯỞNG ĐƠN VỊ");
    rows.push(Row {
        kind: RowKind::Footer,
        cells: who,
    });
    let mut widths = vec![12.0; width];
    widths[1] = 40.0;
    let sheet = Sheet {
        name: "Biểu II.06a".into(),
        rows,
        merges,
        widths,
    };
    let created = ymd(2024, 3, 15).and_hms_opt(9, 0, 0).expect("time");
    let path = dir.join("thong-ke-he-thong-bieu-II06a-2024-Q1.xlsx");
    write::write_xlsx(
        &Book {
            sheets: vec![sheet],
            data_sheet: 0,
            created,
            title: "Biểu II.06a - Quý I năm 2024".into(),
        },
        &path,
    )?;
    Ok(FileDetail {
        path,
        unit: "Hệ thống thông tin giải quyết TTHC".into(),
        level: "huyen",
        unit_column: true,
        rows: data,
        bad_rows: Vec::new(),
        habits: vec![
            "the dossier system's own statistics (Biểu II.06a): title lines, three merged header rows, numbering row, group rows, Tổng cộng, signatures".into(),
            "Phòng Kinh tế, Thanh tra huyện, Thị trấn Hóc Môn, Xã Tân Xuân for 15/12/2023 … 14/03/2024, counted as the system does: withdrawn counted, waiting for a supplement resolved on time, no due date early, received by Ngày nộp hồ sơ; one late dossier written as on time".into(),
        ],
    })
}

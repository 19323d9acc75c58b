//! Feedback and petitions (phản ánh, kiến nghị — pakn.md): deadlines in working days on the
//! shipped calendar (Tết, 18/4, 29/4 – 1/5 with the make-up Saturday 4/5, a received day that is
//! no working day), each outcome held to its own limit, carried over and new, pending within or
//! past the answer deadline at the end, published by date, status or flag, null rates, one record
//! per code, withdrawn PAKN, every quarantine reason, unknown status words, the invariant of every
//! row, target 5, a year the calendar lacks, the deadlines as settings, personal columns
//! discarded, how a file's kind is known, and the two annex sheets.
//!
//! Periods are nd09 quarters: 2024-Q1 is 15/12/2023 – 14/03/2024 (Thursday), 2024-Q2
//! 15/03/2024 – 14/06/2024. Limits are the shipped ones: answer 15, refuse 2, transfer 5 working
//! days after the received day (day 0). Rows of an inline CSV are numbered as a spreadsheet shows
//! them: the header is row 1, the first data row 2.
//!
//! Working days used below (2024 calendar: off 1/1, 8–14/2, 18/4, 29/4 – 1/5; Saturday 4/5 works):
//! - received Mon 08/01: refuse due Wed 10/01 (9, 10), transfer due Mon 15/01 (9–12, 15), answer
//!   due Mon 29/01 (9–12, 15–19, 22–26, 29).
//! - received Wed 07/02 (the day before Tết): day 1 is Thu 15/02; refuse due Fri 16/02; answer due
//!   Wed 06/03 (15, 16, 19–23, 26–29, 1/3, 4, 5, 6).
//! - received Fri 26/04: day 1 is Thu 02/05, day 3 Sat 04/05; refuse due Fri 03/05, transfer due
//!   Tue 07/05 (2, 3, 4, 6, 7), answer due Tue 21/05 (2, 3, 4, 6–10, 13–17, 20, 21).
//! - received Thu 22/02: answer due Thu 14/03, the end of 2024-Q1; received Wed 21/02: Wed 13/03.

use cchc::config::Level;
use cchc::indicators::TargetResult;
use cchc::kinds::pakn::figures::{PaknCounts, PaknRow};
use cchc::pipeline::{self, Outputs, RunReport};
use cchc::quality::{Quarantined, RowAccount, WarningKind};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use crate::support::{output_texts, Case};

/// The header of the PAKN CSVs here.
const H: &str =
    "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Trạng thái;Ngày trả lời;Ngày công khai;Công khai";

const BD: &str = "Xã Bà Điểm";
const HT: &str = "Hộ tịch";
const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";

/// A text file of a header and rows.
fn text(header: &str, rows: &[&str]) -> String {
    let mut t = String::from(header);
    for r in rows {
        t.push('\n');
        t.push_str(r);
    }
    t.push('\n');
    t
}

/// Writes a PAKN CSV with the [`H`] header.
fn pakn(case: &Case, name: &str, rows: &[&str]) {
    case.file(name, &text(H, rows));
}

/// A case of one PAKN file `pakn.csv`, for a period.
fn case_of(period: &str, rows: &[&str]) -> Case {
    let case = Case::new().period(period);
    pakn(&case, "pakn.csv", rows);
    case
}

/// dd/mm/yyyy.
fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
}

/// Counts built from named values, the rest zero: `k(&[("new", 1), ...])`.
fn k(values: &[(&str, u64)]) -> PaknCounts {
    let mut c = PaknCounts::default();
    for (name, v) in values {
        let slot = match *name {
            "carried_over" => &mut c.carried_over,
            "new" => &mut c.new,
            "closed_on_time" => &mut c.closed_on_time,
            "closed_late" => &mut c.closed_late,
            "answered" => &mut c.answered,
            "refused" => &mut c.refused,
            "transferred" => &mut c.transferred,
            "pending_within" => &mut c.pending_within,
            "pending_overdue" => &mut c.pending_overdue,
            "published" => &mut c.published,
            other => panic!("unknown count {other}"),
        };
        *slot = *v;
    }
    c
}

/// The two invariants of pakn.md §3 on one row's counts.
fn check_invariants(row: &PaknRow) {
    let c = &row.counts;
    assert_eq!(
        c.received_total(),
        c.closed_total() + c.pending_total(),
        "received = closed + pending on {} / {}: {c:?}",
        row.unit,
        row.field
    );
    assert_eq!(
        c.closed_total(),
        c.answered + c.refused + c.transferred,
        "closed = answered + refused + transferred on {} / {}: {c:?}",
        row.unit,
        row.field
    );
}

/// Every PAKN row: (level, unit, field, counts), in output order, each checked for the
/// invariants.
fn rows(r: &RunReport) -> Vec<(Level, String, String, PaknCounts)> {
    r.indicators
        .pakn()
        .rows
        .iter()
        .inspect(|x| check_invariants(x))
        .map(|x| (x.level, x.unit.clone(), x.field.clone(), x.counts))
        .collect()
}

fn row(
    level: Level,
    unit: &str,
    field: &str,
    c: PaknCounts,
) -> (Level, String, String, PaknCounts) {
    (level, unit.to_string(), field.to_string(), c)
}

/// The counts of one (unit, field) row; panics if there is no such row.
fn counts(r: &RunReport, unit: &str, field: &str) -> PaknCounts {
    let all = rows(r);
    all.iter()
        .find(|x| x.1 == unit && x.2 == field)
        .unwrap_or_else(|| panic!("no row {unit} / {field}; rows: {all:?}"))
        .3
}

/// The late list: (code, received, due, closed, working days late), in output order.
type Late = (String, NaiveDate, NaiveDate, Option<NaiveDate>, u32);

fn late(r: &RunReport) -> Vec<Late> {
    r.indicators
        .pakn()
        .late
        .iter()
        .map(|l| {
            (
                l.code.clone(),
                l.received,
                l.due,
                l.closed,
                l.working_days_late,
            )
        })
        .collect()
}

fn late_item(code: &str, received: &str, due: &str, closed: Option<&str>, days: u32) -> Late {
    (code.to_string(), d(received), d(due), closed.map(d), days)
}

fn json(r: &RunReport) -> Value {
    serde_json::from_slice(&r.indicators_json).unwrap()
}

/// The `pakn` row of indicators.json for a unit and field.
fn json_row(r: &RunReport, unit: &str, field: &str) -> Value {
    let j = json(r);
    j["pakn"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["unit"] == unit && x["field"] == field)
        .unwrap_or_else(|| panic!("no JSON row {unit} / {field}: {}", j["pakn"]))
        .clone()
}

/// The written rates of a row: (on_time_rate, published_share).
fn json_rates(r: &RunReport, unit: &str, field: &str) -> (Option<f64>, Option<f64>) {
    let j = json_row(r, unit, field);
    (j["on_time_rate"].as_f64(), j["published_share"].as_f64())
}

fn account(read: u64, counted: u64) -> RowAccount {
    RowAccount {
        read,
        counted,
        ..RowAccount::default()
    }
}

/// Quarantined rows as (row, column, value), in row order.
fn quarantined(r: &RunReport) -> Vec<(u32, String, String)> {
    let mut q: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| (q.source.row, q.column.clone(), q.value.clone()))
        .collect();
    q.sort();
    q
}

fn q(row: u32, column: &str, value: &str) -> (u32, String, String) {
    (row, column.into(), value.into())
}

/// The quarantine entry of a row.
fn entry(r: &RunReport, row: u32) -> &Quarantined {
    r.quarantine
        .iter()
        .find(|q| q.source.row == row)
        .unwrap_or_else(|| panic!("row {row} not quarantined: {:?}", r.quarantine))
}

/// Duplicates as (code, kept (file, row), dropped (file, row), reason), in output order.
type Dup = (String, (usize, u32), (usize, u32), String);

fn duplicates(r: &RunReport) -> Vec<Dup> {
    r.duplicates
        .iter()
        .map(|x| {
            (
                x.dossier_id.clone(),
                (x.kept.file, x.kept.row),
                (x.dropped.file, x.dropped.row),
                x.reason.clone(),
            )
        })
        .collect()
}

fn dup(code: &str, kept: (usize, u32), dropped: (usize, u32), reason: &str) -> Dup {
    (code.to_string(), kept, dropped, reason.to_string())
}

/// Target 5's entries, in output order.
fn targets5(r: &RunReport) -> Vec<&TargetResult> {
    r.indicators
        .targets
        .iter()
        .filter(|t| t.id == "5")
        .collect()
}

/// Target 5's entries as (title, scope, number, count, met).
fn targets5_short(r: &RunReport) -> Vec<(String, String, f64, Option<u64>, bool)> {
    targets5(r)
        .iter()
        .map(|t| (t.title.clone(), t.scope.clone(), t.number(), t.count, t.met))
        .collect()
}

const T_ON_TIME: &str = "Tỷ lệ phản ánh, kiến nghị được xử lý, trả lời đúng hạn";
const T_PUBLISHED: &str = "Tỷ lệ kết quả trả lời phản ánh, kiến nghị được công khai";
const T_OVERDUE: &str = "Số phản ánh, kiến nghị quá hạn chưa xử lý";

fn t5(
    title: &str,
    number: f64,
    count: Option<u64>,
    met: bool,
) -> (String, String, f64, Option<u64>, bool) {
    (
        title.to_string(),
        "Toàn huyện".to_string(),
        number,
        count,
        met,
    )
}

// ---------------------------------------------------------------------------------------------
// §2 Deadlines in working days

#[test]
fn closes_on_time_on_the_due_day_and_late_from_the_next_working_day() {
    let r = case_of(
        "2024-Q1",
        &[
            // Received Mon 08/01, answer due Mon 29/01.
            "A-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            "A-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;30/01/2024;;",
            "A-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;26/01/2024;;",
            // Mon 05/02: 30/01, 31/01, 01/02, 02/02, 05/02 after the deadline.
            "A-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;05/02/2024 17:30;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // On time: A-1 (the due day), A-3 (before it); late: A-2 (the next working day), A-4.
    assert_eq!(
        rows(&r),
        [row(
            Level::Xa,
            BD,
            HT,
            k(&[
                ("new", 4),
                ("closed_on_time", 2),
                ("closed_late", 2),
                ("answered", 4)
            ])
        )]
    );
    assert_eq!(
        late(&r),
        [
            late_item("A-2", "08/01/2024", "29/01/2024", Some("30/01/2024"), 1),
            late_item("A-4", "08/01/2024", "29/01/2024", Some("05/02/2024"), 5),
        ]
    );
    // 2 / 4 on time = 50 %; nothing published of 4 answered = 0 %.
    assert_eq!(json_rates(&r, BD, HT), (Some(50.0), Some(0.0)));
    assert_eq!(r.accounts, [account(4, 4)]);
}

#[test]
fn counts_the_days_of_tet_8_to_14_february_2024_as_days_off() {
    let r = case_of(
        "2024-Q1",
        &[
            // Received Wed 07/02: answer due Wed 06/03 (on weekdays alone it would be Wed 28/02).
            "T-1;07/02/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;06/03/2024;;",
            "T-2;07/02/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;07/03/2024;;",
            // Refuse due Fri 16/02 (15/02, 16/02).
            "T-3;07/02/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;16/02/2024;;",
            "T-4;07/02/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;19/02/2024;;",
            // Received during Tết, on Sat 10/02 and on Mon 12/02 (a day off): day 0 all the
            // same, refuse due Fri 16/02.
            "T-5;10/02/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;16/02/2024;;",
            "T-6;12/02/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;19/02/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // On time T-1, T-3, T-5; late T-2, T-4, T-6 (one working day each: 07/03, 19/02, 19/02).
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 6),
            ("closed_on_time", 3),
            ("closed_late", 3),
            ("answered", 2),
            ("refused", 4)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("T-2", "07/02/2024", "06/03/2024", Some("07/03/2024"), 1),
            late_item("T-4", "07/02/2024", "16/02/2024", Some("19/02/2024"), 1),
            late_item("T-6", "12/02/2024", "16/02/2024", Some("19/02/2024"), 1),
        ]
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(50.0), Some(0.0)));
}

#[test]
fn counts_29_april_to_1_may_2024_as_days_off_and_saturday_4_may_as_a_working_day() {
    let r = case_of(
        "2024-Q2",
        &[
            // Received Fri 26/04: transfer due Tue 07/05 (02/05, 03/05, Sat 04/05, 06/05, 07/05).
            "M-1;26/04/2024;Xã Bà Điểm;Hộ tịch;Chuyển cơ quan có thẩm quyền;07/05/2024;;",
            "M-2;26/04/2024;Xã Bà Điểm;Hộ tịch;Chuyển cơ quan có thẩm quyền;08/05/2024;;",
            // Refuse due Fri 03/05; closed on Sat 04/05, a working day: one day late.
            "M-3;26/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;03/05/2024;;",
            "M-4;26/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;04/05/2024;;",
            // Answer due Tue 21/05.
            "M-5;26/04/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;21/05/2024;;",
            "M-6;26/04/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;22/05/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 6),
            ("closed_on_time", 3),
            ("closed_late", 3),
            ("answered", 2),
            ("refused", 2),
            ("transferred", 2)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("M-2", "26/04/2024", "07/05/2024", Some("08/05/2024"), 1),
            late_item("M-4", "26/04/2024", "03/05/2024", Some("04/05/2024"), 1),
            late_item("M-6", "26/04/2024", "21/05/2024", Some("22/05/2024"), 1),
        ]
    );
}

#[test]
fn counts_18_april_2024_as_a_day_off() {
    let r = case_of(
        "2024-Q2",
        &[
            // Received Wed 17/04: refuse due Mon 22/04 (19/04, 22/04), not Fri 19/04.
            "G-1;17/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;22/04/2024;;",
            "G-2;17/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;19/04/2024;;",
            "G-3;17/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;23/04/2024;;",
            // Received on the holiday itself, Thu 18/04: day 0, refuse due Mon 22/04.
            "G-4;18/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;22/04/2024;;",
            "G-5;18/04/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;23/04/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 5),
            ("closed_on_time", 3),
            ("closed_late", 2),
            ("refused", 5)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("G-3", "17/04/2024", "22/04/2024", Some("23/04/2024"), 1),
            late_item("G-5", "18/04/2024", "22/04/2024", Some("23/04/2024"), 1),
        ]
    );
}

#[test]
fn takes_a_received_date_on_a_saturday_or_a_holiday_as_day_0() {
    let r = case_of(
        "2024-Q1",
        &[
            // Sat 06/01 is day 0: refuse due Tue 09/01 (08/01, 09/01), whatever the hour.
            "S-1;06/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;09/01/2024;;",
            "S-2;06/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
            "S-3;06/01/2024 16:45;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;09/01/2024;;",
            // Mon 01/01 (Tết Dương lịch) is day 0: refuse due Wed 03/01 (02/01, 03/01).
            "H-1;01/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;03/01/2024;;",
            "H-2;01/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;04/01/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 5),
            ("closed_on_time", 3),
            ("closed_late", 2),
            ("refused", 5)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("H-2", "01/01/2024", "03/01/2024", Some("04/01/2024"), 1),
            late_item("S-2", "06/01/2024", "09/01/2024", Some("10/01/2024"), 1),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// §3 Counting

#[test]
fn counts_a_pakn_received_before_the_period_and_not_closed_before_it_as_carried_over() {
    let r = case_of(
        "2024-Q1",
        &[
            // Received the day before the period, still open: carried over, answer due
            // Fri 05/01 (15/12, 18–22/12, 25–29/12, 02–05/01), overdue at the end.
            "C-1;14/12/2023;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            // Received and answered before the period: nothing in it.
            "C-2;14/12/2023;Xã Bà Điểm;Hộ tịch;Đã trả lời;14/12/2023;;",
            // Received before, answered on the period's first day: carried over and closed;
            // answer due Fri 22/12/2023.
            "C-3;01/12/2023;Xã Bà Điểm;Hộ tịch;Đã trả lời;15/12/2023;;",
            // Received on the first day: new; answer due Mon 08/01, overdue at the end.
            "C-4;15/12/2023;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            // Received on the last day: new, within.
            "C-5;14/03/2024;Xã Bà Điểm;Hộ tịch;Chờ tiếp nhận;;;",
            // Received the day after: outside.
            "C-6;15/03/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            // Refused before the period: outside.
            "C-7;01/12/2023;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;13/12/2023;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Received 4 = carried over 2 (C-1, C-3) + new 2 (C-4, C-5) = closed 1 (C-3) + pending 3.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("carried_over", 2),
            ("new", 2),
            ("closed_on_time", 1),
            ("answered", 1),
            ("pending_within", 1),
            ("pending_overdue", 2)
        ])
    );
    // Working days after the deadline to Thu 14/03: from 05/01, 44 (Jan 8–31: 18; Feb 1–7: 5,
    // 15–29: 11; Mar 1–14: 10); from 08/01, 43.
    assert_eq!(
        late(&r),
        [
            late_item("C-1", "14/12/2023", "05/01/2024", None, 44),
            late_item("C-4", "15/12/2023", "08/01/2024", None, 43),
        ]
    );
    let j = json_row(&r, BD, HT);
    assert_eq!(
        (&j["received_total"], &j["carried_over"], &j["new"]),
        (&4.into(), &2.into(), &2.into())
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 7,
            counted: 4,
            excluded_outside_period: 3,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn holds_each_outcome_to_its_own_limit_answer_15_refuse_2_transfer_5() {
    let r = case_of(
        "2024-Q1",
        &[
            // All received Mon 08/01: answer due 29/01, refuse due 10/01, transfer due 15/01.
            "O-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            "O-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã xử lý;30/01/2024;;",
            "O-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
            // On time for a transfer or an answer, late for a refusal.
            "O-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;11/01/2024;;",
            "O-5;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển cơ quan có thẩm quyền;15/01/2024;;",
            // On time for an answer, late for a transfer.
            "O-6;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển cơ quan có thẩm quyền;16/01/2024;;",
            "O-7;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;;",
            "O-8;08/01/2024;Xã Bà Điểm;Hộ tịch;Chờ công khai;12/01/2024;;",
            "O-9;08/01/2024;Xã Bà Điểm;Hộ tịch;Không tiếp nhận;09/01/2024;;",
            "O-10;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển đơn vị khác;12/01/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Answered: O-1, O-2 (late), O-7, O-8; refused: O-3, O-4 (late), O-9; transferred: O-5,
    // O-6 (late), O-10. Published: O-7 (its status).
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 10),
            ("closed_on_time", 7),
            ("closed_late", 3),
            ("answered", 4),
            ("refused", 3),
            ("transferred", 3),
            ("published", 1)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("O-2", "08/01/2024", "29/01/2024", Some("30/01/2024"), 1),
            late_item("O-4", "08/01/2024", "10/01/2024", Some("11/01/2024"), 1),
            late_item("O-6", "08/01/2024", "15/01/2024", Some("16/01/2024"), 1),
        ]
    );
    // 7 / 10 = 70 %; 1 / 4 answered = 25 %.
    let j = json_row(&r, BD, HT);
    assert_eq!(j["level"], "xa");
    let keys = [
        "received_total",
        "carried_over",
        "new",
        "closed_total",
        "closed_on_time",
        "closed_late",
        "answered",
        "refused",
        "transferred",
        "pending_total",
        "pending_within",
        "pending_overdue",
        "published",
    ];
    let got: Vec<u64> = keys.iter().map(|x| j[x].as_u64().unwrap()).collect();
    assert_eq!(got, [10, 0, 10, 10, 7, 3, 4, 3, 3, 0, 0, 0, 1]);
    assert_eq!(j["on_time_rate"].as_f64(), Some(70.0));
    assert_eq!(j["published_share"].as_f64(), Some(25.0));
}

#[test]
fn counts_an_open_pakn_within_at_the_end_when_its_answer_deadline_is_not_before_the_end() {
    let r = case_of(
        "2024-Q1",
        &[
            // Received Thu 22/02: answer due Thu 14/03, the end: within.
            "E-1;22/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            // Received Wed 21/02: due Wed 13/03: overdue by one working day.
            "E-2;21/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            // Answered after the end: still open at the end, overdue.
            "E-3;21/02/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;20/03/2024;;",
            // Refused after the end: open at the end, held to the answer limit (14/03), so
            // within though the refusal limit (Mon 26/02) has passed.
            "E-4;22/02/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;15/03/2024;;",
            // Received Fri 01/03: due Fri 22/03.
            "E-5;01/03/2024;Xã Bà Điểm;Hộ tịch;Chờ tiếp nhận;;;",
            // The status decides whether a PAKN is closed: a date beside an open status
            // closes nothing.
            "E-6;22/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;01/03/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, BD, HT),
        k(&[("new", 6), ("pending_within", 4), ("pending_overdue", 2)])
    );
    assert_eq!(
        late(&r),
        [
            late_item("E-2", "21/02/2024", "13/03/2024", None, 1),
            late_item("E-3", "21/02/2024", "13/03/2024", None, 1),
        ]
    );
    let j = json_row(&r, BD, HT);
    assert_eq!(
        (
            &j["pending_total"],
            &j["pending_within"],
            &j["pending_overdue"]
        ),
        (&6.into(), &4.into(), &2.into())
    );
}

#[test]
fn counts_an_answer_as_published_when_its_published_date_is_not_after_the_period_end() {
    let r = case_of(
        "2024-Q1",
        &[
            "P-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;05/02/2024;",
            // Published on the period's last day, and the day after it.
            "P-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;14/03/2024;",
            "P-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;15/03/2024;",
            "P-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Published P-1, P-2: 2 / 4 answered = 50 %.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 4),
            ("closed_on_time", 4),
            ("answered", 4),
            ("published", 2)
        ])
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(100.0), Some(50.0)));
    assert_eq!(json_row(&r, BD, HT)["published"], 2);
}

#[test]
fn counts_a_published_status_as_published_and_its_published_date_as_closing_without_another() {
    let r = case_of(
        "2024-Q1",
        &[
            "S-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;;",
            // No closing date: closed when published, Tue 30/01, a day after the deadline.
            "S-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;;30/01/2024;",
            "S-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời và công khai;12/01/2024;;",
            // Waiting for publication: answered, not published.
            "S-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Chờ công khai;12/01/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Published S-1, S-2, S-3 of 4 answered = 75 %; on time S-1, S-3, S-4 of 4 = 75 %.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 4),
            ("closed_on_time", 3),
            ("closed_late", 1),
            ("answered", 4),
            ("published", 3)
        ])
    );
    assert_eq!(
        late(&r),
        [late_item(
            "S-2",
            "08/01/2024",
            "29/01/2024",
            Some("30/01/2024"),
            1
        )]
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(75.0), Some(75.0)));
}

#[test]
fn counts_a_published_flag_as_published_but_never_on_a_transferred_or_refused_pakn() {
    let r = case_of(
        "2024-Q1",
        &[
            "F-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;Có",
            "F-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;x",
            "F-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;Không",
            "F-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;Chưa",
            "F-5;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            // A flag on a PAKN that was not answered is no published answer.
            "F-6;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển cơ quan có thẩm quyền;15/01/2024;;Có",
            "F-7;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;Có",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.kind == WarningKind::UnknownFlag),
        "{:?}",
        r.warnings
    );
    // Published F-1 («Có»), F-2 («x»): 2 / 5 answered = 40 %.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 7),
            ("closed_on_time", 7),
            ("answered", 5),
            ("refused", 1),
            ("transferred", 1),
            ("published", 2)
        ])
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(100.0), Some(40.0)));
}

#[test]
fn counts_no_answer_as_published_when_its_published_date_is_after_the_end_whatever_its_status() {
    let r = case_of(
        "2024-Q1",
        &[
            // Published on 20/03, after the end (14/03), though the export's status or flag
            // says published.
            "P-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;20/03/2024;",
            "P-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;20/03/2024;Có",
            // Published on 10/03, in the period.
            "P-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;10/03/2024;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Published by the end: P-3 only, 1 / 3 = 33.33 %.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 3),
            ("closed_on_time", 3),
            ("answered", 3),
            ("published", 1)
        ])
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(100.0), Some(33.33)));
}

#[test]
fn computes_rates_from_the_counts_of_their_own_row_rounded_half_away_from_zero() {
    // Xã Bà Điểm / Hộ tịch: 32 answers of PAKN received Mon 08/01 (due 29/01); R-01 on the due
    // day, the other 31 a day late; flagged as published.
    let mut lines: Vec<String> = (1..=32)
        .map(|i| {
            format!(
                "R-{i:02};08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;{};;{}",
                if i == 1 { "29/01/2024" } else { "30/01/2024" },
                if i <= 5 { "Có" } else { "Không" }
            )
        })
        .collect();
    // Phòng Tư pháp / Chứng thực: one refusal on time.
    lines.push("R-99;08/01/2024;Phòng Tư pháp;Chứng thực;Từ chối tiếp nhận;10/01/2024;;".into());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let r = case_of("2024-Q1", &refs).run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let bd = counts(&r, BD, HT);
    assert_eq!(
        bd,
        k(&[
            ("new", 32),
            ("closed_on_time", 1),
            ("closed_late", 31),
            ("answered", 32),
            ("published", 5)
        ])
    );
    assert_eq!(r.indicators.pakn().late.len(), 31);
    // 1 / 32 = 3.125 % → 3.13; 5 / 32 = 15.625 % → 15.63.
    assert_eq!(json_rates(&r, BD, HT), (Some(3.13), Some(15.63)));
    assert_eq!(bd.on_time_rate().unwrap().rounded(), 3.13);
    assert_eq!(json_rates(&r, TP, CT), (Some(100.0), None));
    // The district's rates from the summed counts, not an average of the rows' rates (which
    // would be 51.56 %): on time 2 / 33 = 6.0606… → 6.06; published 5 / 32 → 15.63.
    let on_time: Vec<_> = targets5(&r)
        .iter()
        .map(|t| (t.rate.part, t.rate.whole, t.number()))
        .collect();
    assert_eq!(on_time, [(2, 33, 6.06), (5, 32, 15.63), (0, 1, 0.0)]);
}

#[test]
fn writes_null_rates_when_nothing_was_closed_or_nothing_was_answered() {
    let r = case_of(
        "2024-Q1",
        &[
            // Phòng Tư pháp: only an open PAKN (received Fri 01/03, due 22/03).
            "N-1;01/03/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;",
            // Xã Bà Điểm: only a refusal, on time.
            "N-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
        ],
    )
    .run();
    assert_eq!(
        rows(&r),
        [
            row(
                Level::Huyen,
                TP,
                CT,
                k(&[("new", 1), ("pending_within", 1)])
            ),
            row(
                Level::Xa,
                BD,
                HT,
                k(&[("new", 1), ("closed_on_time", 1), ("refused", 1)])
            ),
        ]
    );
    let tp = counts(&r, TP, CT);
    assert_eq!((tp.on_time_rate(), tp.published_share()), (None, None));
    let bd = counts(&r, BD, HT);
    assert!(bd.on_time_rate().is_some());
    assert_eq!(bd.published_share(), None);
    // Null in the JSON, not 0 and not absent.
    let j = json_row(&r, TP, CT);
    assert!(
        j["on_time_rate"].is_null() && j["published_share"].is_null(),
        "{j}"
    );
    assert!(j.as_object().unwrap().contains_key("published_share"));
    let j = json_row(&r, BD, HT);
    assert_eq!(j["on_time_rate"].as_f64(), Some(100.0));
    assert!(j["published_share"].is_null(), "{j}");
    // Target 5: on time 1 / 1 and none overdue; the published share has no denominator and
    // decides nothing.
    assert_eq!(
        targets5_short(&r),
        [
            t5(T_ON_TIME, 100.0, None, true),
            t5(T_OVERDUE, 0.0, Some(0), true)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// §3 One record per code

#[test]
fn keeps_the_copy_furthest_along_and_logs_the_others() {
    let r = case_of(
        "2024-Q1",
        &[
            "D-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            "D-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            "D-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Chờ tiếp nhận;;;",
            "D-2;01/03/2024;Xã Bà Điểm;Hộ tịch;Chờ tiếp nhận;;;",
            "D-2;01/03/2024;Xã Bà Điểm;Hộ tịch;Đang giải quyết;;;",
        ],
    )
    .run();
    // D-1 answered on time (row 3); D-2 processing (row 6), within.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 2),
            ("closed_on_time", 1),
            ("answered", 1),
            ("pending_within", 1)
        ])
    );
    let far = "trạng thái xử lý xa hơn";
    assert_eq!(
        duplicates(&r),
        [
            dup("D-1", (0, 3), (0, 2), far),
            dup("D-1", (0, 3), (0, 4), far),
            dup("D-2", (0, 6), (0, 5), far),
        ]
    );
    // As the data-quality workbook shows them, through its default words.
    let words = cchc::render::words::quality::QualityWords::load(None).unwrap();
    let statuses: Vec<_> = r
        .duplicates
        .iter()
        .map(|x| {
            (
                words.status("pakn", &x.kept_status),
                words.status("pakn", &x.dropped_status),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("Đã trả lời", "Đang xử lý"),
            ("Đã trả lời", "Chờ tiếp nhận"),
            ("Đang xử lý", "Chờ tiếp nhận"),
        ]
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 5,
            counted: 2,
            duplicate: 3,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn ranks_refused_and_transferred_with_published_above_answered() {
    let r = case_of(
        "2024-Q1",
        &[
            // Refused outranks answered, though answered later.
            "R-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            "R-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
            // Transferred and published rank alike: the later closing date decides, either way.
            "R-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển đơn vị khác;15/01/2024;;",
            "R-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;12/01/2024;;",
            "R-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;16/01/2024;;",
            "R-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;11/01/2024;;",
        ],
    )
    .run();
    // R-1 refused on 10/01 (due 10/01), R-2 transferred on 15/01 (due 15/01), R-3 published on
    // 16/01 (due 29/01): all on time.
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 3),
            ("closed_on_time", 3),
            ("answered", 1),
            ("refused", 1),
            ("transferred", 1),
            ("published", 1)
        ])
    );
    let d = duplicates(&r);
    assert_eq!(
        d.iter()
            .map(|x| (x.0.as_str(), x.1, x.2))
            .collect::<Vec<_>>(),
        [
            ("R-1", (0, 3), (0, 2)),
            ("R-2", (0, 4), (0, 5)),
            ("R-3", (0, 6), (0, 7))
        ]
    );
    assert_eq!(d[0].3, "trạng thái xử lý xa hơn");
    assert!(d[1].3.contains("ngày kết thúc muộn hơn"), "{}", d[1].3);
    assert!(d[2].3.contains("ngày kết thúc muộn hơn"), "{}", d[2].3);
}

#[test]
fn keeps_the_later_closing_date_between_copies_of_the_same_status() {
    let r = case_of(
        "2024-Q1",
        &[
            // The later answer (30/01, row 2) wins though it is read first.
            "L-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;30/01/2024;;",
            "L-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
        ],
    )
    .run();
    assert_eq!(
        counts(&r, BD, HT),
        k(&[("new", 1), ("closed_late", 1), ("answered", 1)])
    );
    assert_eq!(
        late(&r),
        [late_item(
            "L-1",
            "08/01/2024",
            "29/01/2024",
            Some("30/01/2024"),
            1
        )]
    );
    assert_eq!(
        duplicates(&r),
        [dup(
            "L-1",
            (0, 2),
            (0, 3),
            "cùng trạng thái, ngày kết thúc muộn hơn"
        )]
    );
}

#[test]
fn decides_tied_copies_by_content() {
    let case = Case::new();
    pakn(
        &case,
        "a.csv",
        &[
            // Same status, same closing date, as many values: the first column that differs is
            // the field, and «Hộ tịch» comes after «Chứng thực» → row 2 wins.
            "X-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            "X-1;08/01/2024;Xã Bà Điểm;Chứng thực;Đã trả lời;29/01/2024;;",
            "X-2;01/03/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
        ],
    );
    // the first column that differs is the level, and «xa» comes after «huyen» → a.csv's
    // copy (Xã Bà Điểm, Hộ tịch) wins, though b.csv is read after it.
    pakn(
        &case,
        "b.csv",
        &["X-2;01/03/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;"],
    );
    let r = case.run();
    assert_eq!(
        rows(&r),
        [row(
            Level::Xa,
            BD,
            "Hộ tịch",
            k(&[
                ("new", 2),
                ("closed_on_time", 1),
                ("answered", 1),
                ("pending_within", 1)
            ])
        ),]
    );
    let by_content = format!(
        "cùng trạng thái, cùng ngày kết thúc; giữ bản {}",
        cchc::normalize::CONTENT_RULE
    );
    assert_eq!(
        duplicates(&r),
        [
            dup("X-1", (0, 2), (0, 3), &by_content),
            dup("X-2", (0, 4), (1, 2), &by_content)
        ]
    );
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 3,
                counted: 2,
                duplicate: 1,
                ..RowAccount::default()
            },
            RowAccount {
                read: 1,
                duplicate: 1,
                ..RowAccount::default()
            }
        ]
    );
}

#[test]
fn excludes_withdrawn_pakn_from_every_count_and_accounts_for_them() {
    let r = case_of(
        "2024-Q1",
        &[
            "W-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Rút;;;",
            "W-2;10/01/2024;Xã Bà Điểm;Hộ tịch;Đã hủy;;;",
            "W-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Only W-3: received 1 = closed 1; the withdrawn are neither new nor pending.
    assert_eq!(
        rows(&r),
        [row(
            Level::Xa,
            BD,
            HT,
            k(&[("new", 1), ("closed_on_time", 1), ("answered", 1)])
        )]
    );
    assert!(late(&r).is_empty());
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 1,
            excluded_withdrawn: 2,
            ..RowAccount::default()
        }]
    );
}

// ---------------------------------------------------------------------------------------------
// §3 Quarantine

/// A case of one good PAKN (G-1, answered on time) and the given rows after it (rows 3, 4, …).
fn with_good_row(bad: &[&str]) -> RunReport {
    let mut all = vec!["G-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;"];
    all.extend_from_slice(bad);
    let r = case_of("2024-Q1", &all).run();
    assert_eq!(
        rows(&r),
        [row(
            Level::Xa,
            BD,
            HT,
            k(&[("new", 1), ("closed_on_time", 1), ("answered", 1)])
        )],
        "only G-1 counts"
    );
    let n = bad.len() as u64;
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: n + 1,
            counted: 1,
            quarantined: n,
            ..RowAccount::default()
        }]
    );
    assert_eq!(json(&r)["generated_from"][0]["quarantined"], n);
    r
}

#[test]
fn quarantines_a_pakn_without_a_code() {
    let r = with_good_row(&[
        ";08/01/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
        "   ;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
    ]);
    for row in [3, 4] {
        let e = entry(&r, row);
        assert_eq!(e.column, "Mã PAKN");
        assert_eq!(e.value.trim(), "");
        assert!(e.reason.contains("không có mã PAKN"), "{}", e.reason);
    }
}

#[test]
fn quarantines_a_pakn_without_a_received_date() {
    let r = with_good_row(&["Q-1;;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;"]);
    assert_eq!(quarantined(&r), [q(3, "Ngày tiếp nhận", "")]);
    let e = entry(&r, 3);
    assert_eq!(e.dossier_id, "Q-1");
    assert!(e.reason.contains("không có ngày tiếp nhận"), "{}", e.reason);
}

#[test]
fn quarantines_an_impossible_date_in_any_date_column_without_guessing_one() {
    let r = with_good_row(&[
        "Q-1;30/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
        "Q-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;31/04/2024;;",
        "Q-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;32/01/2024;",
    ]);
    assert_eq!(
        quarantined(&r),
        [
            q(3, "Ngày tiếp nhận", "30/02/2024"),
            q(4, "Ngày trả lời", "31/04/2024"),
            q(5, "Ngày công khai", "32/01/2024"),
        ]
    );
    for (row, column) in [
        (3, "Ngày tiếp nhận"),
        (4, "Ngày trả lời"),
        (5, "Ngày công khai"),
    ] {
        let e = entry(&r, row);
        assert!(e.reason.contains(column), "{}", e.reason);
    }
}

#[test]
fn quarantines_a_closing_date_before_the_received_date() {
    let r = with_good_row(&[
        "Q-1;10/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;09/01/2024;;",
        // Published without a closing date: the published date closes it, and is before.
        "Q-2;10/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;;05/01/2024;",
    ]);
    assert_eq!(
        quarantined(&r),
        [
            q(3, "Ngày trả lời", "09/01/2024"),
            q(4, "Ngày công khai", "05/01/2024")
        ]
    );
    let e = entry(&r, 3);
    assert!(
        e.reason.contains("09/01/2024") && e.reason.contains("10/01/2024"),
        "{}",
        e.reason
    );
    assert!(e.reason.contains("sớm hơn ngày tiếp nhận"), "{}", e.reason);
}

#[test]
fn quarantines_a_closed_status_without_any_closing_or_published_date() {
    let r = with_good_row(&[
        "Q-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;;;",
        "Q-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;;;",
        "Q-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Chuyển đơn vị khác;;;Có",
        "Q-4;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;;;Có",
    ]);
    assert_eq!(
        quarantined(&r),
        [
            q(3, "Trạng thái", "Đã trả lời"),
            q(4, "Trạng thái", "Từ chối tiếp nhận"),
            q(5, "Trạng thái", "Chuyển đơn vị khác"),
            q(6, "Trạng thái", "Đã công khai"),
        ]
    );
    let e = entry(&r, 3);
    assert!(e.reason.contains("không có ngày"), "{}", e.reason);
}

#[test]
fn quarantines_an_unknown_status_when_the_pakn_counts_in_the_period_and_only_warns_otherwise() {
    let r = case_of(
        "2024-Q1",
        &[
            "G-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
            // Received in the period: the status decides closed or pending.
            "U-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã xong xuôi;29/01/2024;;",
            // Received after the period: the status decides nothing here.
            "U-2;20/03/2024;Xã Bà Điểm;Hộ tịch;Đã xong xuôi;;;",
            // Received before the period: the status decides whether it is carried over.
            "U-3;01/12/2023;Xã Bà Điểm;Hộ tịch;Đã xong xuôi;10/12/2023;;",
            // An empty status in the period.
            "U-4;08/01/2024;Xã Bà Điểm;Hộ tịch;;;;",
        ],
    )
    .run();
    assert_eq!(
        counts(&r, BD, HT),
        k(&[("new", 1), ("closed_on_time", 1), ("answered", 1)])
    );
    assert_eq!(
        quarantined(&r),
        [
            q(3, "Trạng thái", "Đã xong xuôi"),
            q(5, "Trạng thái", "Đã xong xuôi"),
            q(6, "Trạng thái", ""),
        ]
    );
    let e = entry(&r, 3);
    assert_eq!(e.dossier_id, "U-1");
    assert!(e.reason.contains("không có trong từ vựng"), "{}", e.reason);
    // Every unknown word is warned about, U-2's too.
    let warned: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::pakn::UNKNOWN_PAKN_STATUS)
        .map(|w| (w.source.row, w.dossier_id.as_str(), w.value.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            (3, "U-1", "Đã xong xuôi"),
            (4, "U-2", "Đã xong xuôi"),
            (5, "U-3", "Đã xong xuôi"),
            (6, "U-4", "")
        ]
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 5,
            counted: 1,
            quarantined: 3,
            excluded_outside_period: 1,
            ..RowAccount::default()
        }]
    );
    // For 2024-Q2 (from 15/03), U-2 counts and is quarantined with the others.
    let q2 = case_of(
        "2024-Q2",
        &["U-2;20/03/2024;Xã Bà Điểm;Hộ tịch;Đã xong xuôi;;;"],
    )
    .run();
    assert_eq!(quarantined(&q2), [q(2, "Trạng thái", "Đã xong xuôi")]);
    assert!(q2.indicators.pakn().rows.is_empty());
}

// ---------------------------------------------------------------------------------------------
// §3 The invariant, on a mixed case

#[test]
fn keeps_received_equal_to_closed_plus_pending_on_every_row_and_in_the_json() {
    let r = case_of(
        "2024-Q1",
        &[
            "I-1;01/12/2023;Xã Bà Điểm;Hộ tịch;Đã trả lời;15/12/2023;;",
            "I-2;14/12/2023;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
            "I-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;11/01/2024;;",
            "I-4;08/01/2024;Xã Bà Điểm;Chứng thực;Chuyển đơn vị khác;15/01/2024;;",
            "I-5;21/02/2024;Xã Bà Điểm;Chứng thực;Đã trả lời;20/03/2024;;",
            "I-6;22/02/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;",
            "I-7;07/02/2024;Phòng Tư pháp;Chứng thực;Đã công khai;07/03/2024;;",
            "I-8;08/01/2024;Phòng Tư pháp;;Đã trả lời;29/01/2024;;Có",
            "I-9;08/01/2024;Phòng Tư pháp;;Rút;;;",
        ],
    )
    .run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Phòng Tư pháp (huyện) before Xã Bà Điểm (xã); fields in collation order, "" first.
    // TP / "": I-8 answered on time, published by its flag.
    // TP / CT: I-6 within (due 14/03); I-7 published a day late (due 06/03).
    // BD / CT: I-4 transferred on time; I-5 answered after the end, overdue (due 13/03).
    // BD / HT: I-1 carried over, answered on time; I-2 carried over, overdue; I-3 refused late.
    assert_eq!(
        rows(&r),
        [
            row(
                Level::Huyen,
                TP,
                "",
                k(&[
                    ("new", 1),
                    ("closed_on_time", 1),
                    ("answered", 1),
                    ("published", 1)
                ])
            ),
            row(
                Level::Huyen,
                TP,
                CT,
                k(&[
                    ("new", 2),
                    ("closed_late", 1),
                    ("answered", 1),
                    ("published", 1),
                    ("pending_within", 1)
                ])
            ),
            row(
                Level::Xa,
                BD,
                CT,
                k(&[
                    ("new", 2),
                    ("closed_on_time", 1),
                    ("transferred", 1),
                    ("pending_overdue", 1)
                ])
            ),
            row(
                Level::Xa,
                BD,
                HT,
                k(&[
                    ("carried_over", 2),
                    ("new", 1),
                    ("closed_on_time", 1),
                    ("closed_late", 1),
                    ("answered", 1),
                    ("refused", 1),
                    ("pending_overdue", 1)
                ])
            ),
        ]
    );
    let j = json(&r);
    let arr = j["pakn"].as_array().unwrap();
    assert_eq!(arr.len(), 4);
    let n = |x: &Value, key: &str| x[key].as_u64().unwrap();
    for x in arr {
        assert_eq!(
            n(x, "received_total"),
            n(x, "closed_total") + n(x, "pending_total"),
            "{x}"
        );
        assert_eq!(
            n(x, "received_total"),
            n(x, "carried_over") + n(x, "new"),
            "{x}"
        );
        assert_eq!(
            n(x, "closed_total"),
            n(x, "closed_on_time") + n(x, "closed_late"),
            "{x}"
        );
        assert_eq!(
            n(x, "closed_total"),
            n(x, "answered") + n(x, "refused") + n(x, "transferred"),
            "{x}"
        );
        assert_eq!(
            n(x, "pending_total"),
            n(x, "pending_within") + n(x, "pending_overdue"),
            "{x}"
        );
    }
    // And on the total: received 2 carried over + 6 new = 8 = closed 5 (I-1, I-3, I-4, I-7,
    // I-8) + pending 3 (I-2, I-5, I-6); I-9 is withdrawn.
    let mut total = PaknCounts::default();
    for x in &r.indicators.pakn().rows {
        total.add(&x.counts);
    }
    assert_eq!(
        (
            total.received_total(),
            total.closed_total(),
            total.pending_total()
        ),
        (8, 5, 3)
    );
    assert!(total.balances());
}

// ---------------------------------------------------------------------------------------------
// §4 Target 5

#[test]
fn meets_target_5_when_every_pakn_is_closed_on_time_every_answer_published_and_none_overdue() {
    let r = case_of(
        "2024-Q1",
        &[
            "T-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;;",
            "T-2;08/01/2024;Phòng Tư pháp;Chứng thực;Đã trả lời;12/01/2024;20/01/2024;",
            "T-3;08/01/2024;Phòng Tư pháp;Chứng thực;Từ chối tiếp nhận;10/01/2024;;",
            "T-4;22/02/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;",
        ],
    )
    .run();
    // On time 3 / 3, published 2 / 2, overdue 0 (T-4 is within).
    assert_eq!(
        targets5_short(&r),
        [
            t5(T_ON_TIME, 100.0, None, true),
            t5(T_PUBLISHED, 100.0, None, true),
            t5(T_OVERDUE, 0.0, Some(0), true),
        ]
    );
    let j = json(&r);
    let entries: Vec<_> = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "5")
        .map(|t| (t["value"].as_f64(), t["target"].clone(), t["met"].clone()))
        .collect();
    assert_eq!(
        entries,
        [
            (Some(100.0), ">= 100".into(), true.into()),
            (Some(100.0), ">= 100".into(), true.into()),
            (Some(0.0), "= 0".into(), true.into()),
        ]
    );
}

#[test]
fn misses_target_5_on_a_late_answer_an_unpublished_one_and_an_overdue_pakn() {
    let r = case_of(
        "2024-Q1",
        &[
            // Answered on time and published; answered late (due 29/01) and not published.
            "T-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã công khai;29/01/2024;;",
            "T-2;08/01/2024;Phòng Tư pháp;Chứng thực;Đã trả lời;30/01/2024;;",
            // Refused on time.
            "T-3;08/01/2024;Phòng Tư pháp;Chứng thực;Từ chối tiếp nhận;10/01/2024;;",
            // Two open past the answer deadline (13/03), in two units.
            "T-4;21/02/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;",
            "T-5;21/02/2024;Xã Bà Điểm;Hộ tịch;Chờ tiếp nhận;;;",
        ],
    )
    .run();
    // On time 2 / 3 = 66.67 %; published 1 / 2 = 50 %; overdue 2, summed over the units.
    assert_eq!(
        targets5_short(&r),
        [
            t5(T_ON_TIME, 66.67, None, false),
            t5(T_PUBLISHED, 50.0, None, false),
            t5(T_OVERDUE, 2.0, Some(2), false),
        ]
    );
    let j = json(&r);
    let values: Vec<_> = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "5")
        .map(|t| (t["value"].as_f64(), t["met"].as_bool()))
        .collect();
    assert_eq!(
        values,
        [
            (Some(66.67), Some(false)),
            (Some(50.0), Some(false)),
            (Some(2.0), Some(false))
        ]
    );
    let summary = cchc::summary::run_summary(&r);
    assert!(summary.contains(T_OVERDUE), "{summary}");
}

#[test]
fn decides_no_target_5_without_any_pakn() {
    let case = Case::new();
    case.csv(
        "ho-so.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"],
    );
    let r = case.run();
    assert!(r.indicators.pakn().rows.is_empty());
    assert!(targets5(&r).is_empty(), "{:?}", targets5(&r));
    assert_eq!(json(&r)["pakn"], Value::Array(vec![]));
}

// ---------------------------------------------------------------------------------------------
// §2 The calendar and the deadlines as settings

#[test]
fn names_a_year_missing_from_the_calendar_in_the_run_summary_and_counts_weekdays_only() {
    // 2027 is not in the shipped calendar. 2027-Q1 is 15/12/2026 – 14/03/2027.
    let r = case_of(
        "2027-Q1",
        &[
            // Received Mon 04/01/2027: on weekdays alone, answer due Mon 25/01/2027.
            "Y-1;04/01/2027;Xã Bà Điểm;Hộ tịch;Đã trả lời;25/01/2027;;",
            "Y-2;04/01/2027;Xã Bà Điểm;Hộ tịch;Đã trả lời;26/01/2027;;",
        ],
    )
    .run();
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 2),
            ("closed_on_time", 1),
            ("closed_late", 1),
            ("answered", 2)
        ])
    );
    assert_eq!(
        late(&r),
        [late_item(
            "Y-2",
            "04/01/2027",
            "25/01/2027",
            Some("26/01/2027"),
            1
        )]
    );
    let summary = cchc::summary::run_summary(&r);
    let line = summary
        .lines()
        .find(|l| l.contains("lịch ngày làm việc"))
        .unwrap_or_else(|| panic!("no calendar warning: {summary}"));
    assert!(line.contains("2027"), "{line}");
    assert!(!line.contains("2026"), "{line}");
    // A run whose dates the calendar holds warns about nothing.
    let ok = case_of(
        "2024-Q1",
        &["A-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;"],
    )
    .run();
    let s = cchc::summary::run_summary(&ok);
    assert!(!s.contains("lịch ngày làm việc"), "{s}");
}

#[test]
fn changes_the_figures_when_the_pipeline_changes_the_answer_deadline() {
    let rows_in = [
        "A-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;",
        "A-2;22/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;",
        "A-3;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
    ];
    // Shipped (answer 15): A-1 on time (due 29/01), A-2 within (due 14/03), A-3 on time.
    let shipped = case_of("2024-Q1", &rows_in).run();
    assert_eq!(
        counts(&shipped, BD, HT),
        k(&[
            ("new", 3),
            ("closed_on_time", 2),
            ("answered", 1),
            ("refused", 1),
            ("pending_within", 1)
        ])
    );
    assert!(late(&shipped).is_empty());
    // answer = 10: A-1 due Mon 22/01, answered 5 working days late (23–26/01, 29/01); A-2 due
    // Thu 07/03, overdue by 5 at the end (08/03, 11–14/03); A-3 (refuse 2) unchanged.
    let case = Case::with_config_edit("pakn.toml", "answer = 15", "answer = 10");
    pakn(&case, "pakn.csv", &rows_in);
    let r = case.run();
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 3),
            ("closed_on_time", 1),
            ("closed_late", 1),
            ("answered", 1),
            ("refused", 1),
            ("pending_overdue", 1)
        ])
    );
    assert_eq!(
        late(&r),
        [
            late_item("A-1", "08/01/2024", "22/01/2024", Some("29/01/2024"), 5),
            late_item("A-2", "22/02/2024", "07/03/2024", None, 5),
        ]
    );
    assert_eq!(json_rates(&r, BD, HT), (Some(50.0), Some(0.0)));
}

// ---------------------------------------------------------------------------------------------
// §1 Personal columns

#[test]
fn never_writes_the_sender_the_phone_the_content_or_the_answer_anywhere() {
    let case = Case::new();
    case.file(
        "pakn.csv",
        &text(
            "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Trạng thái;Ngày trả lời;Công khai;Kênh tiếp nhận;Người gửi;Số điện thoại;Địa chỉ;Email;Nội dung phản ánh;Nội dung trả lời",
            &[
                // Late (in the late list), a duplicate copy, a quarantined row, an unknown
                // status: their personal values must reach no log either.
                "PK-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;30/01/2024;Có;Tổng đài 1022;Nguyễn Thị Hoa;0909123456;12 ấp Nam Thới;hoa.nguyen@example.vn;Chờ cấp bản sao quá lâu ở xã;Xã đã cấp bản sao cho bà Hoa",
                "PK-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;Tổng đài 1022;Nguyễn Thị Hoa;0909123456;12 ấp Nam Thới;hoa.nguyen@example.vn;Gọi lại số 0912000111;",
                "PK-2;30/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;;;Cổng dịch vụ công;Trần Văn Bảy;0988777666;45 khu phố 3;bay.tran@example.vn;Cán bộ Lê Văn Tám hẹn nhiều lần;",
                "PK-3;09/01/2024;Xã Bà Điểm;Hộ tịch;Lạ lùng;;;Trực tiếp;Phạm Thị Tư;0977555444;7 ấp Chánh 1;;Đề nghị niêm yết giấy phép số 77;Đã trả lời bà Tư qua thư số 55",
            ],
        ),
    );
    let mut req = case.request(Outputs::All);
    let store = case.dir.path().join("store");
    req.store = Some(store.clone());
    let r = pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        counts(&r, BD, HT),
        k(&[
            ("new", 1),
            ("closed_late", 1),
            ("answered", 1),
            ("published", 1)
        ])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 4,
            counted: 1,
            quarantined: 2,
            duplicate: 1,
            ..RowAccount::default()
        }]
    );
    let personal = [
        "Nguyễn Thị Hoa",
        "0909123456",
        "12 ấp Nam Thới",
        "hoa.nguyen@example.vn",
        "Chờ cấp bản sao quá lâu",
        "cấp bản sao cho bà Hoa",
        "0912000111",
        "Trần Văn Bảy",
        "0988777666",
        "45 khu phố 3",
        "bay.tran@example.vn",
        "Lê Văn Tám",
        "Phạm Thị Tư",
        "0977555444",
        "7 ấp Chánh 1",
        "giấy phép số 77",
        "bà Tư qua thư số 55",
    ];
    let mut texts = output_texts(&case.out());
    assert!(texts.len() > 5, "every output written: {:?}", r.written);
    texts.push((
        "indicators_json".into(),
        String::from_utf8_lossy(&r.indicators_json).into(),
    ));
    texts.push(("summary".into(), cchc::summary::run_summary(&r)));
    // The store: every file's bytes, and every text value of its Parquet tables.
    let mut stack = vec![store];
    let mut pakn_columns = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            texts.push((
                p.display().to_string(),
                String::from_utf8_lossy(&bytes).into(),
            ));
            if p.extension().is_some_and(|x| x == "parquet") {
                use polars::prelude::SerReader;
                let df = polars::prelude::ParquetReader::new(std::fs::File::open(&p).unwrap())
                    .finish()
                    .unwrap();
                for col in df.columns() {
                    let name = col.name().to_string();
                    if p.display().to_string().contains("pakn") {
                        pakn_columns.push(name.clone());
                    }
                    if let Ok(s) = col.str() {
                        let values: Vec<String> = (0..s.len())
                            .filter_map(|i| s.get(i))
                            .map(str::to_string)
                            .collect();
                        texts.push((format!("{}:{name}", p.display()), values.join("\n")));
                    }
                }
            }
        }
    }
    assert!(!pakn_columns.is_empty(), "no pakn table in the store");
    // One hive-partitioned table per kind (inputs.md): received 08/01/2024 is in 2024-Q1.
    assert!(
        texts
            .iter()
            .any(|(f, _)| f.contains("pakn/year=2024/quarter=1/") && f.ends_with(".parquet")),
        "{:?}",
        texts.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    for c in ["sender", "content", "answer", "phone", "address", "email"] {
        assert!(
            !pakn_columns.iter().any(|x| x == c),
            "the pakn table has a column {c}"
        );
    }
    // The search looks where the figures and logs are: the annex names the late PAKN, the
    // data-quality workbook the impossible date and the unknown status, the store the PAKN.
    let has = |needle: &str, place: &str| {
        texts
            .iter()
            .any(|(f, t)| f.contains(place) && t.contains(needle))
    };
    assert!(has("PK-1", "phu-luc-2024-Q1.xlsx"));
    assert!(has("30/02/2024", "chat-luong-du-lieu-2024-Q1.xlsx"));
    assert!(has("Lạ lùng", "chat-luong-du-lieu-2024-Q1.xlsx"));
    assert!(has("PK-1", "pakn"), "no pakn table in the store");
    for p in personal {
        for (file, t) in &texts {
            assert!(!t.contains(p), "«{p}» is in {file}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds (inputs.md)

#[test]
fn reads_a_pakn_file_beside_dossier_files_as_pakn_and_says_so_in_generated_from() {
    let case = Case::new();
    case.csv(
        "ho-so.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"],
    );
    // The shipped aliases: Mã phản ánh, Ngày gửi, Đơn vị (as in a dossier list), Tình trạng,
    // Ngày xử lý xong, Đã công khai.
    case.file(
        "phan-anh.csv",
        &text(
            "Mã phản ánh;Ngày gửi;Đơn vị;Lĩnh vực;Tình trạng;Ngày xử lý xong;Đã công khai",
            &[
                "PA-1;08/01/2024;Phòng Tư pháp;Chứng thực;Đã trả lời;29/01/2024;Có",
                "PA-2;22/02/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;",
            ],
        ),
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let kinds: Vec<_> = r
        .files
        .iter()
        .map(|f| {
            (
                f.path.file_name().unwrap().to_string_lossy().into_owned(),
                f.kind,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("ho-so.csv".to_string(), "dossier"),
            ("phan-anh.csv".to_string(), "pakn")
        ]
    );
    let j = json(&r);
    let from: Vec<_> = j["generated_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].clone(), f["rows"].clone()))
        .collect();
    assert_eq!(
        from,
        [("dossier".into(), 1.into()), ("pakn".into(), 2.into())]
    );
    // The dossier in form 06, the PAKN in their own rows: neither in the other's figures.
    assert_eq!(j["tthc"].as_array().unwrap().len(), 1);
    assert_eq!(j["tthc"][0]["received_total"], 1);
    assert_eq!(
        rows(&r),
        [row(
            Level::Huyen,
            TP,
            CT,
            k(&[
                ("new", 2),
                ("closed_on_time", 1),
                ("answered", 1),
                ("published", 1),
                ("pending_within", 1)
            ])
        )]
    );
    assert_eq!(r.accounts, [account(1, 1), account(2, 2)]);
}

#[test]
fn stops_on_a_file_that_fits_pakn_and_dossier_unless_its_entry_pins_one() {
    // A dossier list that also carries a PAKN code column.
    let both = text(
        &format!("{};Mã PAKN", crate::support::HEADER),
        &["HS-1;Phòng Tư pháp;Chứng thực;22/02/2024;14/03/2024;;Đang xử lý;Trực tiếp;PA-1"],
    );
    let case = Case::new();
    case.file("ho-so-co-pakn.csv", &both);
    let err = case.run_err();
    assert!(err.contains("ho-so-co-pakn.csv"), "{err}");
    assert!(!case.out().exists(), "nothing may be written");
    // Pinned as pakn in its [[inputs]] entry: one PAKN (PA-1, Ngày tiếp nhận, Đơn vị, Trạng
    // thái), open within its deadline (14/03).
    let pinned = Case::with_pipeline_edit("[[inputs]]", "[[inputs]]");
    let cfg = std::fs::read_to_string(&pinned.pipeline).unwrap();
    let entry = format!("path = \"{}\"\nkind = \"pakn\"", pinned.inputs().display());
    std::fs::write(
        &pinned.pipeline,
        cfg.replace("path = \"../fixtures/sample\"", &entry),
    )
    .unwrap();
    pinned.file("ho-so-co-pakn.csv", &both);
    let mut req = pinned.request(Outputs::Nothing);
    req.inputs.clear();
    let r = pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(r.files[0].kind, "pakn");
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        rows(&r),
        [row(
            Level::Huyen,
            TP,
            CT,
            k(&[("new", 1), ("pending_within", 1)])
        )]
    );
    assert!(r.indicators.dossier().form06.rows.is_empty());
}

#[test]
fn keeps_the_class_and_the_channel_as_written_in_the_store() {
    let case = Case::new();
    case.file(
        "pakn.csv",
        &text(
            "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Phân loại;Trạng thái;Ngày trả lời;Kênh tiếp nhận",
            &[
                "K-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Quy định hành chính;Đã trả lời;29/01/2024;Tổng đài 1022",
                "K-2;08/01/2024;Xã Bà Điểm;Hộ tịch;Hành vi hành chính;Đang xử lý;;Cổng dịch vụ công quốc gia",
            ],
        ),
    );
    let mut req = case.request(Outputs::Nothing);
    let store = case.dir.path().join("store");
    req.store = Some(store.clone());
    pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut stack = vec![store.join("pakn")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                use polars::prelude::SerReader;
                let df = polars::prelude::ParquetReader::new(std::fs::File::open(&p).unwrap())
                    .finish()
                    .unwrap();
                for name in ["class", "channel"] {
                    let values = df
                        .column(name)
                        .unwrap_or_else(|_| panic!("no column {name} in {}", p.display()))
                        .str()
                        .unwrap()
                        .iter()
                        .map(|v| v.unwrap_or_default().to_string())
                        .collect();
                    found.push((name.to_string(), values));
                }
            }
        }
    }
    assert_eq!(
        found,
        [
            (
                "class".to_string(),
                vec![
                    "Quy định hành chính".to_string(),
                    "Hành vi hành chính".to_string()
                ]
            ),
            (
                "channel".to_string(),
                vec![
                    "Tổng đài 1022".to_string(),
                    "Cổng dịch vụ công quốc gia".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn reads_a_pakn_workbook_with_a_two_row_header_and_real_dates() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        7,
        "DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ QUÝ I NĂM 2024",
        &f,
    )
    .unwrap();
    // Rows 3–4: STT | Mã PAKN | Cơ quan xử lý | Lĩnh vực | Trạng thái | Thời gian (Ngày tiếp
    // nhận | Ngày trả lời) | Nội dung.
    for (col, h) in [
        (0, "STT"),
        (1, "Mã PAKN"),
        (2, "Cơ quan xử lý"),
        (3, "Lĩnh vực"),
        (4, "Trạng thái"),
        (7, "Nội dung"),
    ] {
        ws.merge_range(2, col, 3, col, h, &f).unwrap();
    }
    ws.merge_range(2, 5, 2, 6, "Thời gian", &f).unwrap();
    ws.write_string(3, 5, "Ngày tiếp nhận").unwrap();
    ws.write_string(3, 6, "Ngày trả lời").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let dt = |y: u16, m: u8, d: u8, h: u16, mi: u8| {
        ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(h, mi, 0)
            .unwrap()
    };
    // (year, month, day, hour, minute)
    type Stamp = (u16, u8, u8, u16, u8);
    let data: [(&str, &str, Stamp, Option<Stamp>); 3] = [
        // Received Mon 08/01 09:30, answered on the due day Mon 29/01 at 16:00: on time.
        (
            "W-1",
            "Đã trả lời",
            (2024, 1, 8, 9, 30),
            Some((2024, 1, 29, 16, 0)),
        ),
        // Received Wed 07/02, answered Thu 07/03, a day after the deadline 06/03 (Tết).
        (
            "W-2",
            "Đã trả lời",
            (2024, 2, 7, 8, 0),
            Some((2024, 3, 7, 8, 0)),
        ),
        // Received Thu 22/02, open: within (due 14/03).
        ("W-3", "Đang xử lý", (2024, 2, 22, 14, 0), None),
    ];
    for (i, (code, status, rec, closed)) in data.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        ws.write_string(row, 1, *code).unwrap();
        ws.write_string(row, 2, "UBND xã Bà Điểm").unwrap();
        ws.write_string(row, 3, "Hộ tịch").unwrap();
        ws.write_string(row, 4, *status).unwrap();
        let (y, m, d, h, mi) = *rec;
        ws.write_datetime_with_format(row, 5, dt(y, m, d, h, mi), &date)
            .unwrap();
        if let Some((y, m, d, h, mi)) = *closed {
            ws.write_datetime_with_format(row, 6, dt(y, m, d, h, mi), &date)
                .unwrap();
        }
        ws.write_string(row, 7, "Nội dung riêng tư").unwrap();
    }
    // Dates as bare serial numbers: 45337 is Thu 15/02/2024, 45341 Mon 19/02 (refuse due
    // 19/02: 16/02, 19/02).
    ws.write_number(7, 0, 4.0).unwrap();
    ws.write_string(7, 1, "W-4").unwrap();
    ws.write_string(7, 2, "Bà Điểm").unwrap();
    ws.write_string(7, 3, "Hộ tịch").unwrap();
    ws.write_string(7, 4, "Từ chối").unwrap();
    ws.write_number(7, 5, 45337.0).unwrap();
    ws.write_number(7, 6, 45341.0).unwrap();
    wb.save(case.inputs().join("pakn.xlsx")).unwrap();
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(r.files[0].kind, "pakn");
    assert_eq!(
        rows(&r),
        [row(
            Level::Xa,
            BD,
            HT,
            k(&[
                ("new", 4),
                ("closed_on_time", 2),
                ("closed_late", 1),
                ("answered", 2),
                ("refused", 1),
                ("pending_within", 1)
            ])
        )]
    );
    assert_eq!(
        late(&r),
        [late_item(
            "W-2",
            "07/02/2024",
            "06/03/2024",
            Some("07/03/2024"),
            1
        )]
    );
    assert_eq!(r.accounts, [account(4, 4)]);
}

// ---------------------------------------------------------------------------------------------
// §4 The annex sheets

/// `Phản ánh, kiến nghị` → `phan_anh__kien_nghi`, for snapshot file names.
fn ascii(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .filter(|c| c.is_ascii())
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[test]
fn writes_the_pakn_sheet_by_unit_with_totals_and_the_late_list() {
    let case = case_of(
        "2024-Q1",
        &[
            // Xã Bà Điểm / Hộ tịch: carried over and answered on time (published by date);
            // answered late (due 29/01, 30/01); refused on time.
            "PK-01;01/12/2023;Xã Bà Điểm;Hộ tịch;Đã trả lời;15/12/2023;20/12/2023;",
            "PK-02;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;30/01/2024;;",
            "PK-03;08/01/2024;Xã Bà Điểm;Hộ tịch;Từ chối tiếp nhận;10/01/2024;;",
            // Xã Bà Điểm / Chứng thực: open past its deadline (13/03).
            "PK-04;21/02/2024;Xã Bà Điểm;Chứng thực;Đang xử lý;;;",
            // Phòng Tư pháp / Chứng thực: transferred late (due 15/01, 17/01: 2 days);
            // published on time; open within.
            "PK-05;08/01/2024;Phòng Tư pháp;Chứng thực;Chuyển đơn vị khác;17/01/2024;;",
            "PK-06;07/02/2024;Phòng Tư pháp;Chứng thực;Đã công khai;06/03/2024;;",
            "PK-07;22/02/2024;Phòng Tư pháp;Chứng thực;Đang xử lý;;;",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        late(&r),
        [
            late_item("PK-05", "08/01/2024", "15/01/2024", Some("17/01/2024"), 2),
            late_item("PK-02", "08/01/2024", "29/01/2024", Some("30/01/2024"), 1),
            late_item("PK-04", "21/02/2024", "13/03/2024", None, 1),
        ]
    );
    let models = cchc::render::annex::sheets(
        None,
        &cchc::render::annex::AnnexInput {
            pipeline: &r.pipeline,
            period: &r.period,
            indicators: &r.indicators,
            index766: None,
        },
    )
    .unwrap();
    let mut seen = Vec::new();
    for m in models
        .iter()
        .filter(|m| m.name == "Phản ánh, kiến nghị" || m.name == "PAKN quá hạn")
    {
        seen.push(m.name.clone());
        insta::assert_snapshot!(format!("pakn_{}", ascii(&m.name)), m.dump());
    }
    assert_eq!(seen, ["Phản ánh, kiến nghị", "PAKN quá hạn"]);
}

//! Reporting periods (tthc-rules §1): nd09 quarters, 6 months, 9 months and the year run from
//! the 15th of the month before to the 14th; `calendar` runs on calendar months.

use cchc::indicators::Counts;
use cchc::period::PeriodRule;
use cchc::pipeline::RunReport;
use cchc::quality::RowAccount;

use crate::support::{c, Case};

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";

/// Ten dossiers of Phòng Tư pháp / Chứng thực, in person, on both sides of every nd09 bound.
/// Each is due a few days after receipt and resolved before its due date unless it says so.
const YEAR_ROWS: &[&str] = &[
    // P0: before 2024-Q1 (resolved 12/12/2023, before 15/12/2023).
    "P0;Phòng Tư pháp;Chứng thực;10/12/2023;14/12/2023;12/12/2023;Đã trả kết quả;Trực tiếp",
    // P1: first day of Q1 / H1 / M9 / Y.
    "P1;Phòng Tư pháp;Chứng thực;15/12/2023;19/12/2023;16/12/2023;Đã trả kết quả;Trực tiếp",
    // P2: last day of Q1, resolved 15/03 = first day of Q2.
    "P2;Phòng Tư pháp;Chứng thực;14/03/2024;17/03/2024;15/03/2024;Đã trả kết quả;Trực tiếp",
    // P3: first day of Q2.
    "P3;Phòng Tư pháp;Chứng thực;15/03/2024;19/03/2024;16/03/2024;Đã trả kết quả;Trực tiếp",
    // P4: last day of Q2 / H1, resolved 17/06 (after them), due 18/06.
    "P4;Phòng Tư pháp;Chứng thực;14/06/2024;18/06/2024;17/06/2024;Đã trả kết quả;Trực tiếp",
    // P5: the day after H1.
    "P5;Phòng Tư pháp;Chứng thực;15/06/2024;19/06/2024;16/06/2024;Đã trả kết quả;Trực tiếp",
    // P6: last day of M9, resolved 16/09 (after it), due 20/09.
    "P6;Phòng Tư pháp;Chứng thực;14/09/2024;20/09/2024;16/09/2024;Đã trả kết quả;Trực tiếp",
    // P7: the day after M9.
    "P7;Phòng Tư pháp;Chứng thực;15/09/2024;19/09/2024;16/09/2024;Đã trả kết quả;Trực tiếp",
    // P8: last day of the year, resolved 15/12 (after it), due 20/12.
    "P8;Phòng Tư pháp;Chứng thực;14/12/2024;20/12/2024;15/12/2024;Đã trả kết quả;Trực tiếp",
    // P9: the day after the year.
    "P9;Phòng Tư pháp;Chứng thực;15/12/2024;19/12/2024;16/12/2024;Đã trả kết quả;Trực tiếp",
];

fn run_year_rows(period: &str) -> RunReport {
    let case = Case::new().period(period);
    case.csv("a.csv", YEAR_ROWS);
    case.run()
}

fn bounds(r: &RunReport) -> (String, String) {
    (r.period.start.to_string(), r.period.end.to_string())
}

/// The only row's counts, and the file's account (counted, outside the period).
fn only(r: &RunReport) -> (Counts, u64, u64) {
    assert_eq!(
        r.indicators.dossier().form06.rows.len(),
        1,
        "{:?}",
        r.indicators.dossier().form06.rows
    );
    let row = &r.indicators.dossier().form06.rows[0];
    assert_eq!((row.unit.as_str(), row.field.as_str()), (TP, CT));
    let a = &r.accounts[0];
    assert!(a.balances(), "{a:?}");
    (row.counts, a.counted, a.excluded_outside_period)
}

#[test]
fn counts_the_second_quarter_from_15_march_to_14_june() {
    let r = run_year_rows("2024-Q2");
    assert_eq!(bounds(&r), ("2024-03-15".into(), "2024-06-14".into()));
    // P2 received 14/03 < start, resolved 15/03 ≥ start → carried over, early (15/03 < 17/03).
    // P3 new, early. P4 new, pending (17/06 > end), due 18/06 ≥ end → within.
    // P0, P1 resolved before the start; P5–P9 received after the end.
    let (counts, counted, outside) = only(&r);
    assert_eq!(
        counts,
        c(&[
            ("carried_over", 1),
            ("new_direct", 2),
            ("resolved_early", 2),
            ("pending_within", 1)
        ])
    );
    assert_eq!((counted, outside), (3, 7));
}

#[test]
fn counts_six_months_from_15_december_to_14_june() {
    let r = run_year_rows("2024-H1");
    assert_eq!(bounds(&r), ("2023-12-15".into(), "2024-06-14".into()));
    // New: P1, P2, P3, P4. Resolved early: P1, P2, P3. P4 pending within (17/06 > end, due 18/06).
    let (counts, counted, outside) = only(&r);
    assert_eq!(
        counts,
        c(&[
            ("new_direct", 4),
            ("resolved_early", 3),
            ("pending_within", 1)
        ])
    );
    assert_eq!((counted, outside), (4, 6));
}

#[test]
fn counts_nine_months_from_15_december_to_14_september() {
    let r = run_year_rows("2024-M9");
    assert_eq!(bounds(&r), ("2023-12-15".into(), "2024-09-14".into()));
    // New: P1–P6. Early: P1–P5 (P4 17/06 < 18/06). P6 pending (16/09 > end), due 20/09 ≥ end
    // → within. P7–P9 after the end, P0 before the start.
    let (counts, counted, outside) = only(&r);
    assert_eq!(
        counts,
        c(&[
            ("new_direct", 6),
            ("resolved_early", 5),
            ("pending_within", 1)
        ])
    );
    assert_eq!((counted, outside), (6, 4));
}

#[test]
fn counts_the_year_from_15_december_to_14_december() {
    let r = run_year_rows("2024-Y");
    assert_eq!(bounds(&r), ("2023-12-15".into(), "2024-12-14".into()));
    // New: P1–P8. Early: P1–P7. P8 pending (15/12 > end), due 20/12 ≥ end → within.
    let (counts, counted, outside) = only(&r);
    assert_eq!(
        counts,
        c(&[
            ("new_direct", 8),
            ("resolved_early", 7),
            ("pending_within", 1)
        ])
    );
    assert_eq!((counted, outside), (8, 2));
}

const RULE_ROWS: &[&str] = &[
    // Received 20/03/2024: after the nd09 Q1 end (14/03), inside calendar Q1 (… 31/03).
    "M-1;Phòng Tư pháp;Chứng thực;20/03/2024;25/03/2024;22/03/2024;Đã trả kết quả;Trực tiếp",
    // Received and resolved 20/12/2023 – 22/12/2023: inside nd09 Q1 (from 15/12/2023), before
    // calendar Q1 (from 01/01/2024).
    "D-1;Phòng Tư pháp;Chứng thực;20/12/2023;27/12/2023;22/12/2023;Đã trả kết quả;Trực tuyến",
];

#[test]
fn puts_a_dossier_received_on_20_march_in_the_first_calendar_quarter() {
    let case = Case::with_pipeline_edit("period_rule = \"nd09\"", "period_rule = \"calendar\"");
    case.csv("a.csv", RULE_ROWS);
    let r = case.run();
    assert_eq!(r.period.rule, PeriodRule::Calendar);
    assert_eq!(bounds(&r), ("2024-01-01".into(), "2024-03-31".into()));
    // M-1 new, in person, 22/03 < 25/03 → early. D-1 resolved before 01/01 → nowhere.
    let (counts, counted, outside) = only(&r);
    assert_eq!(counts, c(&[("new_direct", 1), ("resolved_early", 1)]));
    assert_eq!((counted, outside), (1, 1));
    let v: serde_json::Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert_eq!(v["period"]["rule"], "calendar");
}

#[test]
fn puts_a_dossier_received_on_20_march_in_the_second_nd09_quarter() {
    let case = Case::new();
    case.csv("a.csv", RULE_ROWS);
    let r = case.run();
    assert_eq!(r.period.rule, PeriodRule::Nd09);
    // 2024-Q1 under nd09: only D-1 (online, 22/12 < 27/12 → early); M-1 received after 14/03.
    let (counts, counted, outside) = only(&r);
    assert_eq!(counts, c(&[("new_online", 1), ("resolved_early", 1)]));
    assert_eq!((counted, outside), (1, 1));

    let case = Case::new().period("2024-Q2");
    case.csv("a.csv", RULE_ROWS);
    let r = case.run();
    // 2024-Q2 under nd09 (15/03 – 14/06): M-1 new, early; D-1 resolved before the start.
    let (counts, counted, outside) = only(&r);
    assert_eq!(counts, c(&[("new_direct", 1), ("resolved_early", 1)]));
    assert_eq!((counted, outside), (1, 1));
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            excluded_outside_period: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn computes_a_range_of_hundreds_of_periods() {
    // 1990-Q1..2100-Q4 is 444 quarters: each computed on its own (that many once overflowed the
    // stack). The one dossier counts in 2024-Q1 only.
    let case = Case::new();
    case.csv("a.csv", &["R-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let mut req = case.request(cchc::pipeline::Outputs::Nothing);
    req.period = Some("1990-Q1..2100-Q4".into());
    let reports = cchc::pipeline::run_periods(&req).unwrap();
    assert_eq!(reports.len(), 444);
    let counted: Vec<&str> = reports
        .iter()
        .filter(|r| !r.indicators.dossier().form06.rows.is_empty())
        .map(|r| r.period.id.as_str())
        .collect();
    assert_eq!(counted, ["2024-Q1"]);
}

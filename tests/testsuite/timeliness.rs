//! Early, on time, late; carried over, new, pending — each decided by calendar day at the period's
//! and the due date's boundaries (tthc-rules §3, §4). Every case runs 2024-Q1 under nd09:
//! start 15/12/2023, end 14/03/2024, both included.

use cchc::indicators::{Counts, Rate};
use cchc::pipeline::RunReport;
use cchc::quality::{RowAccount, WarningKind};
use serde_json::Value;

use crate::support::{account, c, counts, Case};

const TP: &str = "Phòng Tư pháp";
const BD: &str = "Xã Bà Điểm";
const CT: &str = "Chứng thực";
const HT: &str = "Hộ tịch";

/// The dossier codes that drew a warning of this kind, sorted.
fn warned(r: &RunReport, kind: WarningKind) -> Vec<String> {
    let mut ids: Vec<String> = r
        .warnings
        .iter()
        .filter(|w| w.kind == kind)
        .map(|w| w.dossier_id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn classifies_early_on_time_and_late_by_calendar_day_not_by_hour() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Completed 23:59 on the day before the due day: 04/02 < 05/02 → early.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024 08:00;04/02/2024 23:59;Đã trả kết quả;Trực tiếp",
            // Completed on the due day, hours after the due hour: 05/02 = 05/02 → on time.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024 08:00;05/02/2024 17:30;Đã trả kết quả;Trực tiếp",
            // Completed on the day after, at an earlier hour than the due hour: 06/02 > 05/02 → late.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024 17:00;06/02/2024 07:00;Đã trả kết quả;Trực tiếp",
            // The other text forms: `HH:MM dd/mm/yyyy` and ISO, same calendar days → early, late.
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;2024-02-05 16:00:00;23:59 04/02/2024;Đã trả kết quả;Trực tiếp",
            "HS-5;Phòng Tư pháp;Chứng thực;01/02/2024;05-02-2024;2024-02-06T00:01:00;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    // All five received 01/02 in the period, in person; all resolved in the period.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 5),
            ("resolved_early", 2),
            ("resolved_on_time", 1),
            ("resolved_late", 2)
        ])
    );
}

#[test]
fn counts_carried_over_dossiers_from_the_start_day_and_drops_those_completed_the_day_before() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Received before 15/12/2023, completed on the start day: carried over, and resolved
            // in the period (15/12 < due 20/12 → early).
            "HS-1;Phòng Tư pháp;Chứng thực;10/12/2023;20/12/2023;15/12/2023 07:30;Đã trả kết quả;Trực tiếp",
            // Received before the start, not completed: carried over, pending; due 20/03/2024 ≥
            // end 14/03/2024 → within.
            "HS-2;Phòng Tư pháp;Chứng thực;10/12/2023;20/03/2024;;Đang xử lý;Trực tiếp",
            // Completed 14/12/2023, the day before the start (late in the evening): in no count.
            "HS-3;Phòng Tư pháp;Chứng thực;10/12/2023;20/12/2023;14/12/2023 23:59;Đã trả kết quả;Trực tiếp",
            // Received the day before the start, completed in the period after its due date:
            // carried over, late (20/01 > 10/01).
            "HS-4;Phòng Tư pháp;Chứng thực;14/12/2023;10/01/2024;20/01/2024;Đã trả kết quả;Trực tuyến",
            // Received before the start, completed after the end (20/03 > 14/03): carried over
            // and pending; due 01/03 < end → overdue.
            "HS-5;Phòng Tư pháp;Chứng thực;10/12/2023;01/03/2024;20/03/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    // Carried over: HS-1, HS-2, HS-4, HS-5 (never new, whatever the channel).
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("carried_over", 4),
            ("resolved_early", 1),
            ("resolved_late", 1),
            ("pending_within", 1),
            ("pending_overdue", 1),
        ])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 5,
            counted: 4,
            excluded_outside_period: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn counts_new_dossiers_by_channel_from_the_first_to_the_last_day() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // The first day, online; pending, due 20/03 ≥ end 14/03 → within.
            "HS-1;Phòng Tư pháp;Chứng thực;15/12/2023 07:00;20/03/2024;;Đang xử lý;Trực tuyến",
            // The last day, by post (late in the day); pending within.
            "HS-2;Phòng Tư pháp;Chứng thực;14/03/2024 16:45;20/03/2024;;Đã tiếp nhận;Bưu chính",
            // The last day, in person; pending, due = end → within (overdue only when due < end).
            "HS-3;Phòng Tư pháp;Chứng thực;14/03/2024;14/03/2024;;Đang xử lý;Trực tiếp",
            // Aliases of each channel, each resolved early (04/02 < 05/02).
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;DVCTT",
            "HS-5;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Qua bưu điện",
            "HS-6;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Tại bộ phận một cửa",
            // The day after the end: in no count.
            "HS-7;Phòng Tư pháp;Chứng thực;15/03/2024 07:00;20/03/2024;;Đang xử lý;Trực tuyến",
        ],
    );
    let r = case.run();
    // online HS-1, HS-4; postal HS-2, HS-5; direct HS-3, HS-6. Resolved HS-4..6; pending HS-1..3.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_online", 2),
            ("new_direct", 2),
            ("new_postal", 2),
            ("resolved_early", 3),
            ("pending_within", 3),
        ])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 7,
            counted: 6,
            excluded_outside_period: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn counts_a_dossier_completed_after_the_end_as_pending_even_with_a_resolved_status() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Completed 18/03 > end 14/03 → pending at the end; due 20/03 ≥ end → within.
            "HS-1;Phòng Tư pháp;Chứng thực;01/03/2024;20/03/2024;18/03/2024;Đã trả kết quả;Trực tiếp",
            // Completed after the end, due 10/03 < end → overdue.
            "HS-2;Phòng Tư pháp;Chứng thực;01/03/2024;10/03/2024;18/03/2024;Đã có kết quả;Trực tiếp",
            // Due on the end day itself: due = end → within.
            "HS-3;Phòng Tư pháp;Chứng thực;01/03/2024;14/03/2024;15/03/2024;Từ chối;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 3),
            ("pending_within", 2),
            ("pending_overdue", 1)
        ])
    );
}

#[test]
fn keeps_a_dossier_waiting_for_supplement_within_the_deadline_after_its_due_date() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // All four due 10/02 < end 14/03, none completed.
            // Waiting for supplement (three spellings): the clock stops → within.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;;Chờ bổ sung;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;;Yêu cầu bổ sung;Trực tiếp",
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;;Tạm dừng;Trực tiếp",
            // Being processed: overdue.
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 4),
            ("pending_within", 3),
            ("pending_overdue", 1)
        ])
    );
}

#[test]
fn counts_a_dossier_without_a_due_date_as_on_time_or_within_with_a_warning() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // No due date, resolved in the period → on time (not early, not late).
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;;20/02/2024;Đã trả kết quả;Trực tiếp",
            // No due date, pending at the end → within.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;;;Đang xử lý;Trực tiếp",
            // A due date: no warning; 04/02 < 05/02 → early.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 3),
            ("resolved_early", 1),
            ("resolved_on_time", 1),
            ("pending_within", 1)
        ])
    );
    assert_eq!(warned(&r, WarningKind::NoDueDate), ["HS-1", "HS-2"]);
}

#[test]
fn counts_an_unknown_or_missing_channel_as_direct_with_a_warning() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // A word the vocabulary lacks → direct, UnknownChannel.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Zalo",
            // Empty → direct, MissingChannel.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;",
            // Known (other case, other spacing) → online, no warning.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;TRỰC  TUYẾN",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 2), ("new_online", 1), ("resolved_early", 3)])
    );
    assert_eq!(warned(&r, WarningKind::UnknownChannel), ["HS-1"]);
    assert_eq!(warned(&r, WarningKind::MissingChannel), ["HS-2"]);
    let unknown = r
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::UnknownChannel)
        .unwrap();
    assert_eq!(unknown.value, "Zalo");
}

#[test]
fn believes_a_completion_date_on_an_open_status_with_a_warning() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Status says processing, but a completion date 08/02 ≤ due 10/02 exists: the date is
            // the evidence → resolved early, with a CompletedWhileOpen warning.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;08/02/2024;Đang xử lý;Trực tiếp",
            // Same for "received", completed after its due date → late.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;12/02/2024;Đã tiếp nhận;Trực tiếp",
            // A resolved status with a date: no warning; on time.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;10/02/2024;10/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 3),
            ("resolved_early", 1),
            ("resolved_on_time", 1),
            ("resolved_late", 1)
        ])
    );
    assert_eq!(
        warned(&r, WarningKind::CompletedWhileOpen),
        ["HS-1", "HS-2"]
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn computes_rates_from_the_counts_and_leaves_them_absent_when_nothing_is_resolved() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Chứng thực: early, on time, late → on time 2/3 = 66.666… → 66.67; late 1/3 → 33.33.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp",
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;06/02/2024;Đã trả kết quả;Trực tiếp",
            // Hộ tịch: only a pending dossier → nothing resolved → both rates absent.
            "HS-4;Phòng Tư pháp;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    let r = case.run();
    let ct = counts(&r, TP, CT);
    assert_eq!(ct.on_time_rate(), Rate::of(2, 3));
    assert_eq!(ct.late_rate(), Rate::of(1, 3));
    let ht = counts(&r, TP, HT);
    assert_eq!(ht, c(&[("new_direct", 1), ("pending_overdue", 1)]));
    assert_eq!(ht.on_time_rate(), None);
    assert_eq!(ht.late_rate(), None);

    let v: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    let rows = v["tthc"].as_array().unwrap();
    let row = |field: &str| rows.iter().find(|x| x["field"] == field).unwrap().clone();
    assert_eq!(row(CT)["on_time_rate"], 66.67);
    assert_eq!(row(CT)["late_rate"], 33.33);
    assert!(row(HT)["on_time_rate"].is_null(), "{}", row(HT));
    assert!(row(HT)["late_rate"].is_null(), "{}", row(HT));
}

#[test]
fn keeps_received_equal_to_resolved_plus_pending_in_totals_of_several_units_and_fields() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Phòng Tư pháp / Chứng thực: carried 1 (late), online 1 (early), direct 1 (overdue).
            "A1;Phòng Tư pháp;Chứng thực;10/12/2023;20/12/2023;05/01/2024;Đã trả kết quả;Trực tiếp",
            "A2;Phòng Tư pháp;Chứng thực;02/01/2024;05/01/2024;04/01/2024;Đã trả kết quả;Trực tuyến",
            "A3;Phòng Tư pháp;Chứng thực;01/03/2024;10/03/2024;;Đang xử lý;Trực tiếp",
            // Phòng Tư pháp / Hộ tịch: postal 1 (on time), direct 1 (within, due 20/03 ≥ end).
            "B1;Phòng Tư pháp;Hộ tịch;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Bưu chính",
            "B2;Phòng Tư pháp;Hộ tịch;10/03/2024;20/03/2024;;Đang xử lý;Trực tiếp",
            // Xã Bà Điểm / Hộ tịch: carried 1 (supplement → within), online 2 (one late, one
            // completed after the end with due < end → overdue), direct 1 (late), and one
            // resolved before the start (nowhere).
            "C1;UBND xã Bà Điểm;Hộ tịch;01/12/2023;10/01/2024;;Chờ bổ sung;Trực tiếp",
            "C2;UBND xã Bà Điểm;Hộ tịch;05/02/2024;08/02/2024;12/02/2024;Đã trả kết quả;Trực tuyến",
            "C3;UBND xã Bà Điểm;Hộ tịch;05/02/2024;08/02/2024;20/03/2024;Đã trả kết quả;Trực tuyến",
            "C4;UBND xã Bà Điểm;Hộ tịch;01/12/2023;05/12/2023;10/12/2023;Đã trả kết quả;Trực tiếp",
            "C5;UBND xã Bà Điểm;Hộ tịch;05/02/2024;08/02/2024;10/02/2024;Đã trả kết quả;Trực tiếp",
            // Xã Bà Điểm / Đất đai: direct 1 (early).
            "D1;UBND xã Bà Điểm;Đất đai;01/02/2024;15/02/2024;10/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    let rows = [
        (
            TP,
            CT,
            c(&[
                ("carried_over", 1),
                ("new_online", 1),
                ("new_direct", 1),
                ("resolved_early", 1),
                ("resolved_late", 1),
                ("pending_overdue", 1),
            ]),
        ),
        (
            TP,
            HT,
            c(&[
                ("new_postal", 1),
                ("new_direct", 1),
                ("resolved_on_time", 1),
                ("pending_within", 1),
            ]),
        ),
        (
            BD,
            HT,
            c(&[
                ("carried_over", 1),
                ("new_online", 2),
                ("new_direct", 1),
                ("resolved_late", 2),
                ("pending_within", 1),
                ("pending_overdue", 1),
            ]),
        ),
        (
            BD,
            "Đất đai",
            c(&[("new_direct", 1), ("resolved_early", 1)]),
        ),
    ];
    assert_eq!(r.indicators.dossier().form06.rows.len(), rows.len());
    for (unit, field, expected) in &rows {
        let got = counts(&r, unit, field);
        assert_eq!(&got, expected, "{unit} / {field}");
        assert_eq!(
            got.received_total(),
            got.resolved_total() + got.pending_total(),
            "{unit} / {field}"
        );
    }

    // The total: carried 2, new 3 online + 4 direct + 1 postal → received 10;
    // resolved 2 early + 1 on time + 3 late = 6; pending 2 within + 2 overdue = 4; 10 = 6 + 4.
    let mut total = Counts::default();
    for row in &r.indicators.dossier().form06.rows {
        total.add(&row.counts);
    }
    assert_eq!(
        total,
        c(&[
            ("carried_over", 2),
            ("new_online", 3),
            ("new_direct", 4),
            ("new_postal", 1),
            ("resolved_early", 2),
            ("resolved_on_time", 1),
            ("resolved_late", 3),
            ("pending_within", 2),
            ("pending_overdue", 2),
        ])
    );
    assert_eq!(
        (
            total.received_total(),
            total.resolved_total(),
            total.pending_total()
        ),
        (10, 6, 4)
    );
    // The total's rate comes from the total's counts, 3/6 = 50 %, not the mean of the rows'
    // rates (50 + 100 + 0 + 100) / 4 = 62.5 %. The run summary shows that total.
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("tiếp nhận 10 (kỳ trước chuyển qua 2, mới 8, trực tuyến 3)"),
        "{summary}"
    );
    assert!(
        summary.contains("đã giải quyết 6 (đúng hạn 50,00 %); đang giải quyết 4 (quá hạn 2)"),
        "{summary}"
    );
    // Target 3.1 for Hộ tịch sums the field over both units: on time 1 of 3 resolved = 33.33 %,
    // not the mean of 100 % and 0 % = 50 %.
    let ht = r
        .indicators
        .targets
        .iter()
        .find(|t| t.id == "3.1" && t.scope == HT)
        .expect("3.1 Hộ tịch");
    assert_eq!(ht.rate, Rate::of(1, 3).unwrap());
    assert!(!ht.met);
    assert_eq!(
        account(&r),
        RowAccount {
            read: 11,
            counted: 10,
            excluded_outside_period: 1,
            ..Default::default()
        }
    );
}

#[test]
fn rounds_rates_half_away_from_zero_only_when_written() {
    // 800 dossiers resolved in the period: 799 early, 1 late.
    // on time 799/800 = 99.875 % → 99.88; late 1/800 = 0.125 % → 0.13 (half away from zero;
    // half to even would give 0.12). The counts keep the exact fraction.
    let mut rows: Vec<String> = (1..=799)
        .map(|i| format!("HS-{i};Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"))
        .collect();
    rows.push(
        "HS-800;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;06/02/2024;Đã trả kết quả;Trực tiếp"
            .into(),
    );
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let case = Case::new();
    case.csv("a.csv", &refs);
    let r = case.run();
    let ct = counts(&r, TP, CT);
    assert_eq!(
        ct,
        c(&[
            ("new_direct", 800),
            ("resolved_early", 799),
            ("resolved_late", 1)
        ])
    );
    assert_eq!(ct.on_time_rate(), Rate::of(799, 800));
    let v: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert_eq!(v["tthc"][0]["on_time_rate"], 99.88);
    assert_eq!(v["tthc"][0]["late_rate"], 0.13);
    // Target 3.1 (>= 99) is decided on the exact 99.875 %.
    let t = r
        .indicators
        .targets
        .iter()
        .find(|t| t.id == "3.1" && t.scope == CT)
        .unwrap();
    assert!(t.met);
}

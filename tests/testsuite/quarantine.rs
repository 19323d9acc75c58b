//! Rows that cannot be a dossier record are quarantined (tthc-rules §2, §3, §6): not counted, and
//! listed with file, sheet, row (the CSV header is row 1, so the first data row is row 2) and a
//! reason in Vietnamese. Every file's rows still balance.
//!
//! Each case puts one good dossier before the bad row, so the unit's row exists and shows that
//! only the good dossier was counted: new, in person, 04/02 < due 05/02 → early.

use cchc::pipeline::RunReport;
use cchc::quality::{Quarantined, RowAccount};

use crate::support::{c, counts, Case};

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";
const GOOD: &str =
    "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp";

/// Runs a.csv = [GOOD, bad]: checks the good dossier alone is counted, the bad row alone is
/// quarantined at a.csv row 3 with the phrase in its reason, and the account balances.
fn quarantines_second_row(bad: &str, phrase: &str) -> Quarantined {
    let case = Case::new();
    case.csv("a.csv", &[GOOD, bad]);
    let r = case.run();
    only_good_counted(&r);
    assert_eq!(r.quarantine.len(), 1, "{:?}", r.quarantine);
    let q = r.quarantine[0].clone();
    assert!(r.files[q.source.file].path.ends_with("a.csv"));
    assert_eq!(
        (q.source.file, q.source.sheet.as_str(), q.source.row),
        (0, "a.csv", 3),
        "{q:?}"
    );
    assert!(
        q.reason.contains(phrase),
        "reason «{}» lacks «{phrase}»",
        q.reason
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            ..Default::default()
        }]
    );
    assert!(r.accounts[0].balances());
    q
}

fn only_good_counted(r: &RunReport) {
    assert_eq!(
        r.indicators.dossier().form06.rows.len(),
        1,
        "{:?}",
        r.indicators.dossier().form06.rows
    );
    assert_eq!(
        counts(r, TP, CT),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
}

#[test]
fn quarantines_a_row_without_a_dossier_code() {
    // The bad row is in the second file (index 1), row 3 of b.csv.
    let case = Case::new();
    case.csv("a.csv", &[GOOD]);
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp",
            "  ;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    // HS-0 early, HS-1 on time; the row without a code nowhere.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 2),
            ("resolved_early", 1),
            ("resolved_on_time", 1)
        ])
    );
    assert_eq!(r.quarantine.len(), 1, "{:?}", r.quarantine);
    let q = &r.quarantine[0];
    assert_eq!(
        (q.source.file, q.source.sheet.as_str(), q.source.row),
        (1, "b.csv", 3)
    );
    assert!(r.files[1].path.ends_with("b.csv"));
    assert!(q.reason.contains("không có mã hồ sơ"), "{}", q.reason);
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 1,
                counted: 1,
                ..Default::default()
            },
            RowAccount {
                read: 2,
                counted: 1,
                quarantined: 1,
                ..Default::default()
            },
        ]
    );
}

#[test]
fn quarantines_a_row_without_a_received_date() {
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        "không có ngày tiếp nhận",
    );
    assert_eq!(q.dossier_id, "HS-1");
}

#[test]
fn quarantines_a_row_without_a_unit_in_a_file_with_a_unit_column() {
    let q = quarantines_second_row(
        "HS-1;;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        "không có đơn vị",
    );
    assert_eq!(q.dossier_id, "HS-1");
}

#[test]
fn quarantines_an_impossible_received_date() {
    // 31/02/2024 does not exist: never guessed (not 02/03, not 29/02).
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;31/02/2024;05/03/2024;04/03/2024;Đã trả kết quả;Trực tiếp",
        "không tồn tại",
    );
    assert!(q.reason.contains("31/02/2024"), "{}", q.reason);
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Ngày tiếp nhận", "31/02/2024")
    );
}

#[test]
fn quarantines_an_impossible_due_date() {
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;31/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        "không tồn tại",
    );
    assert!(q.reason.contains("31/02/2024"), "{}", q.reason);
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Ngày hẹn trả", "31/02/2024")
    );
}

#[test]
fn quarantines_a_completion_on_an_earlier_calendar_day_than_the_receipt() {
    // Completed 04/02 16:00, received 05/02 08:00: an earlier calendar day.
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;05/02/2024 08:00;10/02/2024;04/02/2024 16:00;Đã trả kết quả;Trực tiếp",
        "sớm hơn ngày tiếp nhận",
    );
    assert_eq!(q.dossier_id, "HS-1");
}

#[test]
fn counts_a_completion_earlier_the_same_day_as_the_receipt() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            GOOD,
            // Received 10:00, completed 08:00 the same day: same calendar day, so not before the
            // receipt; 05/02 < due 06/02 → early.
            "HS-1;Phòng Tư pháp;Chứng thực;05/02/2024 10:00;06/02/2024;05/02/2024 08:00;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 2), ("resolved_early", 2)])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 2,
            ..Default::default()
        }]
    );
}

#[test]
fn quarantines_a_resolved_status_without_a_completed_or_returned_date() {
    let case = Case::new();
    case.file(
        "a.csv",
        &format!(
            "{}\n{}\n{}\n{}\n",
            "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Ngày trả kết quả;Trạng thái;Hình thức nộp",
            "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;;Đã trả kết quả;Trực tiếp",
            // Returned, refused: resolved statuses with neither date → rows 3 and 4 quarantined.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;;Đã trả kết quả;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;;Từ chối;Trực tiếp",
        ),
    );
    let r = case.run();
    only_good_counted(&r);
    let got: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| (q.dossier_id.as_str(), q.source.sheet.as_str(), q.source.row))
        .collect();
    assert_eq!(got, [("HS-1", "a.csv", 3), ("HS-2", "a.csv", 4)]);
    for q in &r.quarantine {
        assert!(
            q.reason.contains("không có ngày có kết quả"),
            "{}",
            q.reason
        );
    }
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 1,
            quarantined: 2,
            ..Default::default()
        }]
    );
}

#[test]
fn quarantines_a_resolved_status_without_a_date_in_a_file_without_a_returned_column() {
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Từ chối giải quyết;Trực tiếp",
        "không có ngày có kết quả",
    );
    assert_eq!(q.dossier_id, "HS-1");
}

#[test]
fn quarantines_an_ambiguous_two_digit_year() {
    // 03/04/24: which century, and is it day-first? Never guessed.
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;03/04/24;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        "03/04/24",
    );
    assert!(q.reason.contains("Ngày tiếp nhận"), "{}", q.reason);
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Ngày tiếp nhận", "03/04/24")
    );
}

#[test]
fn takes_the_returned_date_for_an_empty_completed_date() {
    let case = Case::new();
    case.file(
        "a.csv",
        &format!(
            "{}\n{}\n{}\n{}\n",
            "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Ngày trả kết quả;Trạng thái;Hình thức nộp",
            // No completed date, returned 04/02 < due 05/02 → early (not quarantined).
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;04/02/2024;Đã trả kết quả;Trực tiếp",
            // No completed date, returned 07/02 > 05/02 → late.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;07/02/2024;Đã trả kết quả;Trực tiếp",
            // Both dates: the completed column decides (04/02 → early), not the returned 08/02.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;08/02/2024;Đã trả kết quả;Trực tiếp",
        ),
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 3),
            ("resolved_early", 2),
            ("resolved_late", 1)
        ])
    );
}

#[test]
fn quarantines_an_impossible_completed_date() {
    let q = quarantines_second_row(
        "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;30/02/2024;Đã trả kết quả;Trực tiếp",
        "không tồn tại",
    );
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Ngày có kết quả", "30/02/2024")
    );
}

#[test]
fn quarantines_a_returned_date_before_the_receipt_when_it_stands_in_for_completed() {
    let case = Case::new();
    case.file(
        "a.csv",
        &format!(
            "{}\n{}\n{}\n",
            "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Ngày trả kết quả;Trạng thái;Hình thức nộp",
            "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;;Đã trả kết quả;Trực tiếp",
            // Completed empty → the returned date 03/02 is the completed date, before the
            // receipt 05/02 → quarantined.
            "HS-1;Phòng Tư pháp;Chứng thực;05/02/2024;10/02/2024;;03/02/2024;Đã trả kết quả;Trực tiếp",
        ),
    );
    let r = case.run();
    only_good_counted(&r);
    assert_eq!(r.quarantine.len(), 1, "{:?}", r.quarantine);
    let q = &r.quarantine[0];
    assert_eq!((q.dossier_id.as_str(), q.source.row), ("HS-1", 3));
    assert!(q.reason.contains("sớm hơn ngày tiếp nhận"), "{}", q.reason);
}

#[test]
fn numbers_a_quarantined_row_as_the_sheet_shows_it_below_title_lines_and_blank_rows() {
    let case = Case::new();
    // Row 1 title, row 2 header, row 3 good, row 4 blank (separators only), row 5 bad.
    case.file(
        "a.csv",
        &format!(
            "DANH SÁCH HỒ SƠ TIẾP NHẬN\n{}\n{GOOD}\n;;;;;;;\n{}\n",
            crate::support::HEADER,
            ";Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        ),
    );
    let r = case.run();
    only_good_counted(&r);
    let rows: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| (q.source.sheet.as_str(), q.source.row))
        .collect();
    assert_eq!(rows, [("a.csv", 5)]);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            blank_rows: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn numbers_a_quarantined_csv_row_as_the_sheet_shows_it_after_an_empty_line() {
    let case = Case::new();
    // Line 1 header, line 2 good, line 3 empty (a spreadsheet program shows it as row 3),
    // line 4 bad → row 4.
    case.file(
        "a.csv",
        &format!(
            "{}\n{GOOD}\n\n{}\n",
            crate::support::HEADER,
            ";Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        ),
    );
    let r = case.run();
    only_good_counted(&r);
    let rows: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| (q.source.sheet.as_str(), q.source.row))
        .collect();
    assert_eq!(rows, [("a.csv", 4)]);
}

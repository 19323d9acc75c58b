//! Withdrawn or cancelled dossiers (tthc-rules §2): excluded from every count by default; with
//! `withdrawn = "resolved_on_time"` a withdrawal counts as resolved on time on its end date.
//! 2024-Q1 under nd09: 15/12/2023 – 14/03/2024.

use cchc::quality::RowAccount;

use crate::support::{c, counts, Case};

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";

fn resolved_on_time_case() -> Case {
    Case::with_config_edit(
        "vocabulary.toml",
        "withdrawn = \"exclude\"",
        "withdrawn = \"resolved_on_time\"",
    )
}

#[test]
fn counts_withdrawn_dossiers_nowhere() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // The one dossier that counts: new, direct, 04/02 < 05/02 → early.
            "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            // Every withdrawn spelling of export-columns.md, in every position a dossier can take:
            // carried over, new and pending, new and ended in the period, ended after it.
            "W-1;Phòng Tư pháp;Chứng thực;10/12/2023;20/12/2023;;Đã rút hồ sơ;Trực tiếp",
            "W-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Rút hồ sơ;Trực tuyến",
            "W-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;10/02/2024;Hủy;Bưu chính",
            "W-4;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;03/02/2024;Đã hủy;Trực tiếp",
            "W-5;Phòng Tư pháp;Chứng thực;01/03/2024;05/03/2024;20/03/2024;Dừng xử lý theo đề nghị;Trực tiếp",
            // The same words with the old tone placement and other case (§6: matched folded).
            "W-6;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đã huỷ;Trực tiếp",
            "W-7;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;RÚT HỒ SƠ;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(r.indicators.dossier().form06.rows.len(), 1);
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 8,
            counted: 1,
            excluded_withdrawn: 7,
            ..Default::default()
        }]
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn counts_a_withdrawal_as_resolved_on_time_on_its_end_date_under_the_other_practice() {
    let case = resolved_on_time_case();
    case.csv(
        "a.csv",
        &[
            // Ended 10/02, after its due date 05/02: not late but on time.
            "W-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;10/02/2024;Đã rút hồ sơ;Trực tiếp",
            // Ended 03/02, before its due date: not early but on time.
            "W-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;03/02/2024;Hủy;Trực tuyến",
            // Received before the start, ended in the period after its due date: carried over,
            // on time.
            "W-3;Phòng Tư pháp;Chứng thực;10/12/2023;12/12/2023;20/12/2023;Dừng xử lý theo đề nghị;Trực tiếp",
            // Ended before the start: nowhere in this period.
            "W-4;Phòng Tư pháp;Chứng thực;01/12/2023;05/12/2023;10/12/2023;Đã hủy;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("carried_over", 1),
            ("new_direct", 1),
            ("new_online", 1),
            ("resolved_on_time", 3)
        ])
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 4,
            counted: 3,
            excluded_outside_period: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn takes_the_returned_date_as_the_end_of_a_withdrawal_under_the_other_practice() {
    let case = resolved_on_time_case();
    case.file(
        "a.csv",
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Ngày trả kết quả;Trạng thái;Hình thức nộp\n\
         W-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;12/02/2024;Rút hồ sơ;Trực tiếp\n",
    );
    let r = case.run();
    // End date 12/02 (the returned column) in the period → resolved on time, not late.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_on_time", 1)])
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn quarantines_a_withdrawal_without_any_end_date_under_the_other_practice() {
    let case = resolved_on_time_case();
    case.csv(
        "a.csv",
        &[
            "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            // Withdrawn, no completed date and no returned column: it cannot be "resolved on its
            // end date" → quarantined, not counted.
            "W-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đã hủy;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    assert_eq!(r.quarantine.len(), 1, "{:?}", r.quarantine);
    let q = &r.quarantine[0];
    assert_eq!(
        (q.source.file, q.source.sheet.as_str(), q.source.row),
        (0, "a.csv", 3)
    );
    assert_eq!(q.dossier_id, "W-1");
    assert!(q.reason.contains("không có ngày kết thúc"), "{}", q.reason);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            ..Default::default()
        }]
    );
}

#[test]
fn excludes_a_withdrawal_without_an_end_date_under_the_default_practice() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            // The same row as above: by default it is simply withdrawn, not a broken row.
            "W-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đã hủy;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            excluded_withdrawn: 1,
            ..Default::default()
        }]
    );
}

//! Satisfaction evaluations (satisfaction.md): the level words and the star and number forms, the
//! evaluation date that decides the period, one rating per dossier, unit and field from the rated
//! dossier, the summary shape with its stated period, what is quarantined, rates from the counts
//! of their own row, the satisfied levels as a setting, targets 4.1 and 4.2, personal columns
//! discarded, and how a file's kind is known.
//!
//! The period is 2024-Q1 under nd09: 15/12/2023 – 14/03/2024. Counts are written best first,
//! `[very_satisfied, satisfied, neutral, dissatisfied, very_dissatisfied]`; the satisfied levels
//! are very satisfied + satisfied unless a test says otherwise. Rows of an inline CSV are numbered
//! as a spreadsheet shows them: the header is row 1 (below any title lines), the first data row 2.

use cchc::config::Level;
use cchc::kinds::satisfaction::RatingLevel;
use cchc::pipeline::{self, Outputs, RunReport};
use cchc::quality::{Quarantined, RowAccount};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::support::{output_texts, read_sheet, Case};

/// The dossier header of the shipped vocabulary.
const HEADER_D: &str = crate::support::HEADER;

/// The header of the evaluation CSVs here.
const EVAL: &str =
    "Mã phiếu;Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày đánh giá;Mức độ hài lòng;Hình thức đánh giá";

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";

/// Level counts, best first.
type Levels = [u64; 5];

/// A text file of a header (and any title lines before it) and rows.
fn text(lines_before: &[&str], rows: &[&str]) -> String {
    let mut t = String::new();
    for l in lines_before.iter().chain(rows) {
        t.push_str(l);
        t.push('\n');
    }
    t
}

/// Writes an evaluation CSV with the [`EVAL`] header.
fn evals(case: &Case, name: &str, rows: &[&str]) {
    case.file(name, &text(&[EVAL], rows));
}

/// The five counts of a row.
fn five(c: &cchc::kinds::satisfaction::figures::LevelCounts) -> Levels {
    RatingLevel::ALL.map(|l| c.of(l))
}

/// Every satisfaction row: (level, unit, field, counts), in output order.
fn sat_rows(r: &RunReport) -> Vec<(Level, String, String, Levels)> {
    r.indicators
        .satisfaction()
        .rows
        .iter()
        .map(|x| (x.level, x.unit.clone(), x.field.clone(), five(&x.counts)))
        .collect()
}

fn row(level: Level, unit: &str, field: &str, c: Levels) -> (Level, String, String, Levels) {
    (level, unit.to_string(), field.to_string(), c)
}

/// The counts of one (unit, field) row; panics if there is no such row.
fn levels(r: &RunReport, unit: &str, field: &str) -> Levels {
    let found = r
        .indicators
        .satisfaction()
        .rows
        .iter()
        .find(|x| x.unit == unit && x.field == field)
        .unwrap_or_else(|| panic!("no row {unit} / {field}; rows: {:?}", sat_rows(r)));
    assert_eq!(found.counts.rated(), found.counts.0.iter().sum::<u64>());
    five(&found.counts)
}

fn json(r: &RunReport) -> Value {
    serde_json::from_slice(&r.indicators_json).unwrap()
}

/// The `satisfaction` row of indicators.json for a unit and field.
fn json_row(r: &RunReport, unit: &str, field: &str) -> Value {
    let j = json(r);
    j["satisfaction"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["unit"] == unit && x["field"] == field)
        .unwrap_or_else(|| panic!("no JSON row {unit} / {field}: {}", j["satisfaction"]))
        .clone()
}

/// The written rate of a row in indicators.json.
fn json_rate(r: &RunReport, unit: &str, field: &str) -> Option<f64> {
    json_row(r, unit, field)["satisfaction_rate"].as_f64()
}

fn counted(read: u64, counted: u64) -> RowAccount {
    RowAccount {
        read,
        counted,
        ..RowAccount::default()
    }
}

/// Quarantined rows as (sheet, row, column, value), in row order.
fn quarantined(r: &RunReport) -> Vec<(String, u32, String, String)> {
    let mut q: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| {
            (
                q.source.sheet.clone(),
                q.source.row,
                q.column.clone(),
                q.value.clone(),
            )
        })
        .collect();
    q.sort();
    q
}

fn q(sheet: &str, row: u32, column: &str, value: &str) -> (String, u32, String, String) {
    (sheet.into(), row, column.into(), value.into())
}

/// The quarantine entry of a sheet row.
fn entry<'a>(r: &'a RunReport, sheet: &str, row: u32) -> &'a Quarantined {
    r.quarantine
        .iter()
        .find(|q| q.source.sheet == sheet && q.source.row == row)
        .unwrap_or_else(|| panic!("{sheet} row {row} not quarantined: {:?}", r.quarantine))
}

/// Targets of an id: (scope, rounded rate, met), in output order.
fn targets(r: &RunReport, id: &str) -> Vec<(String, f64, bool)> {
    r.indicators
        .targets
        .iter()
        .filter(|t| t.id == id)
        .map(|t| (t.scope.clone(), t.rate.rounded(), t.met))
        .collect()
}

fn target(scope: &str, rate: f64, met: bool) -> (String, f64, bool) {
    (scope.to_string(), rate, met)
}

// ---------------------------------------------------------------------------------------------
// §2 Levels

#[test]
fn reads_every_level_word_of_the_vocabulary_whatever_its_case_and_unicode_form() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;Rất hài lòng;Kiosk",
            "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024;Hài lòng;Kiosk",
            "P-3;;Phòng Tư pháp;Chứng thực;05/02/2024;Bình thường;Kiosk",
            "P-4;;Phòng Tư pháp;Chứng thực;05/02/2024;Không hài lòng;Kiosk",
            "P-5;;Phòng Tư pháp;Chứng thực;05/02/2024;Chưa hài lòng;Kiosk",
            "P-6;;Phòng Tư pháp;Chứng thực;05/02/2024;Rất không hài lòng;Kiosk",
            "P-7;;Phòng Tư pháp;Chứng thực;05/02/2024;RẤT HÀI LÒNG;Kiosk",
            &format!(
                "P-8;;Phòng Tư pháp;Chứng thực;05/02/2024;{};Kiosk",
                "Hài lòng".nfd().collect::<String>()
            ),
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Very satisfied: P-1, P-7 (upper case); satisfied: P-2, P-8 (decomposed); neutral: P-3;
    // dissatisfied: P-4 and P-5 («Chưa hài lòng»); very dissatisfied: P-6.
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, CT, [2, 2, 1, 2, 1])]);
    // 4 satisfied / 8 rated = 50 %.
    let j = json_row(&r, TP, CT);
    assert_eq!(j["level"], "huyen");
    assert_eq!(j["rated"], 8);
    assert_eq!(
        [
            &j["very_satisfied"],
            &j["satisfied"],
            &j["neutral"],
            &j["dissatisfied"],
            &j["very_dissatisfied"]
        ],
        [2, 2, 1, 2, 1]
    );
    assert_eq!(j["satisfaction_rate"].as_f64(), Some(50.0));
    assert_eq!(r.accounts, [counted(8, 8)]);
}

#[test]
fn reads_stars_sao_and_scores_one_to_five_with_five_very_satisfied() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;★★★★★;Kiosk",
            "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024;★★★★☆;Kiosk",
            "P-3;;Phòng Tư pháp;Chứng thực;05/02/2024;★★☆☆☆;Kiosk",
            "P-4;;Phòng Tư pháp;Chứng thực;05/02/2024;5 sao;Kiosk",
            "P-5;;Phòng Tư pháp;Chứng thực;05/02/2024;1 sao;Kiosk",
            "P-6;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            "P-7;;Phòng Tư pháp;Chứng thực;05/02/2024;4;Kiosk",
            "P-8;;Phòng Tư pháp;Chứng thực;05/02/2024;3;Kiosk",
            "P-9;;Phòng Tư pháp;Chứng thực;05/02/2024;2;Kiosk",
            "P-10;;Phòng Tư pháp;Chứng thực;05/02/2024;1;Kiosk",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // 5: ★★★★★, «5 sao», 5 → 3; 4: ★★★★☆ (four ★), 4 → 2; 3: 3 → 1; 2: ★★☆☆☆, 2 → 2;
    // 1: «1 sao», 1 → 2. Satisfied 5 / 10 = 50 %.
    assert_eq!(levels(&r, TP, CT), [3, 2, 1, 2, 2]);
    assert_eq!(json_rate(&r, TP, CT), Some(50.0));
    assert_eq!(r.accounts, [counted(10, 10)]);
}

#[test]
fn counts_a_three_level_system_with_three_of_the_five_levels() {
    let case = Case::new();
    // A three-level survey (Rất hài lòng / Hài lòng / Không hài lòng), as a summary and as
    // evaluations.
    case.file(
        "tong-hop-ba-muc.csv",
        &text(
            &[
                "KẾT QUẢ KHẢO SÁT QUÝ I NĂM 2024",
                "Đơn vị;Rất hài lòng;Hài lòng;Không hài lòng;Tổng số phiếu",
            ],
            &["Xã Tân Xuân;12;6;2;20"],
        ),
    );
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Xã Tân Xuân;;05/02/2024;Rất hài lòng;Phiếu giấy",
            "P-2;;Xã Tân Xuân;;05/02/2024;Hài lòng;Phiếu giấy",
            "P-3;;Xã Tân Xuân;;05/02/2024;Không hài lòng;Phiếu giấy",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // 12 + 1 very satisfied, 6 + 1 satisfied, 2 + 1 dissatisfied; neutral and very dissatisfied
    // stay 0. 20 / 23 = 86.956… → 86.96 %.
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Tân Xuân", "", [13, 7, 0, 3, 0])]
    );
    let j = json_row(&r, "Xã Tân Xuân", "");
    assert_eq!(
        (&j["neutral"], &j["very_dissatisfied"]),
        (&0.into(), &0.into())
    );
    assert_eq!(j["rated"], 23);
    assert_eq!(j["satisfaction_rate"].as_f64(), Some(86.96));
    // danh-gia.csv is read before tong-hop-ba-muc.csv.
    assert_eq!(r.accounts, [counted(3, 3), counted(1, 1)]);
}

#[test]
fn quarantines_a_rating_the_vocabulary_does_not_know_naming_it() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;Hài lòng;Kiosk",
            // «Khá» is no level word; 6 and «0 sao» are no score of 1 to 5.
            "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024;Khá;Phiếu giấy",
            "P-3;;Phòng Tư pháp;Chứng thực;05/02/2024;6;Kiosk",
            "P-4;;Phòng Tư pháp;Chứng thực;05/02/2024;0 sao;Kiosk",
        ],
    );
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [0, 1, 0, 0, 0]);
    assert_eq!(
        quarantined(&r),
        [
            q("danh-gia.csv", 3, "Mức độ hài lòng", "Khá"),
            q("danh-gia.csv", 4, "Mức độ hài lòng", "6"),
            q("danh-gia.csv", 5, "Mức độ hài lòng", "0 sao"),
        ]
    );
    let k = entry(&r, "danh-gia.csv", 3);
    assert!(k.reason.contains("«Khá»"), "{}", k.reason);
    assert!(k.reason.contains("không có trong từ vựng"), "{}", k.reason);
    assert_eq!(
        k.dossier_id, "P-2",
        "the evaluation code stands for the row"
    );
    assert!(entry(&r, "danh-gia.csv", 4).reason.contains("«6»"));
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 4,
            counted: 1,
            quarantined: 3,
            ..RowAccount::default()
        }]
    );
    // The quarantined rows are in indicators.json's account of the file.
    assert_eq!(json(&r)["generated_from"][0]["quarantined"], 3);
}

// ---------------------------------------------------------------------------------------------
// §3 Dates and periods

#[test]
fn quarantines_an_evaluation_without_a_date() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            "P-2;;Phòng Tư pháp;Chứng thực;;4;Kiosk",
        ],
    );
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [1, 0, 0, 0, 0]);
    assert_eq!(quarantined(&r), [q("danh-gia.csv", 3, "Ngày đánh giá", "")]);
    let e = entry(&r, "danh-gia.csv", 3);
    assert!(e.reason.contains("không có ngày đánh giá"), "{}", e.reason);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn quarantines_an_impossible_evaluation_date_without_guessing_one() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            // 30/02/2024 does not exist: neither 01/03 nor 29/02.
            "P-2;;Phòng Tư pháp;Chứng thực;30/02/2024;4;Kiosk",
        ],
    );
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [1, 0, 0, 0, 0]);
    assert_eq!(
        quarantined(&r),
        [q("danh-gia.csv", 3, "Ngày đánh giá", "30/02/2024")]
    );
    let e = entry(&r, "danh-gia.csv", 3);
    assert!(e.reason.contains("Ngày đánh giá"), "{}", e.reason);
    assert!(e.reason.contains("không tồn tại"), "{}", e.reason);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn counts_an_evaluation_in_the_period_of_its_evaluation_date() {
    // The ratings differ, so the counts show which evaluations fell in the period.
    let rows = [
        "P-1;;Phòng Tư pháp;Chứng thực;14/12/2023;1;Kiosk", // 2023-Q4 (its last day)
        "P-2;;Phòng Tư pháp;Chứng thực;15/12/2023;5;Kiosk", // 2024-Q1, first day
        "P-3;;Phòng Tư pháp;Chứng thực;14/03/2024 16:30;4;Kiosk", // 2024-Q1, last day
        "P-4;;Phòng Tư pháp;Chứng thực;15/03/2024;2;Kiosk", // 2024-Q2, first day
    ];
    let case = Case::new();
    evals(&case, "danh-gia.csv", &rows);
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [1, 1, 0, 0, 0]);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 4,
            counted: 2,
            excluded_outside_period: 2,
            ..RowAccount::default()
        }]
    );
    // The same file for 2024-Q2 (15/03 – 14/06) and 2023-Q4 (15/09 – 14/12).
    let q2 = Case::new().period("2024-Q2");
    evals(&q2, "danh-gia.csv", &rows);
    let r2 = q2.run();
    assert_eq!(levels(&r2, TP, CT), [0, 0, 0, 1, 0]);
    assert_eq!(r2.accounts[0].excluded_outside_period, 3);
    let q4 = Case::new().period("2023-Q4");
    evals(&q4, "danh-gia.csv", &rows);
    let r4 = q4.run();
    assert_eq!(levels(&r4, TP, CT), [0, 0, 0, 0, 1]);
    assert_eq!(r4.accounts[0].counted, 1);
}

// ---------------------------------------------------------------------------------------------
// §3 One rating per dossier

#[test]
fn counts_the_latest_evaluation_of_a_dossier_and_logs_the_others_with_the_copy_kept() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;HS-1;Phòng Tư pháp;Chứng thực;05/02/2024;1;Kiosk",
            "P-2;HS-1;Phòng Tư pháp;Chứng thực;10/02/2024;5;SMS",
            "P-3;HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;2;Web",
        ],
    );
    let r = case.run();
    // Three evaluations (three evaluation codes) of HS-1: the one of 10/02 (row 3) counts, though
    // it is not the last read.
    assert_eq!(levels(&r, TP, CT), [1, 0, 0, 0, 0]);
    let got: Vec<_> = r
        .duplicates
        .iter()
        .map(|d| {
            (
                d.dossier_id.as_str(),
                d.dropped.row,
                d.kept.row,
                d.kept.sheet.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("HS-1", 2, 3, "danh-gia.csv"),
            ("HS-1", 4, 3, "danh-gia.csv")
        ]
    );
    let d = &r.duplicates[0];
    assert_eq!(d.kept_status, "đánh giá ngày 10/02/2024");
    assert_eq!(d.dropped_status, "đánh giá ngày 05/02/2024");
    assert!(d.reason.contains("sau cùng"), "{}", d.reason);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 1,
            duplicate: 2,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn counts_the_copy_read_last_when_a_dossier_is_rated_twice_the_same_day() {
    let case = Case::new();
    // Files are read sorted by path: a.csv, then b.csv.
    evals(
        &case,
        "a.csv",
        &[
            "P-1;HS-1;Phòng Tư pháp;Chứng thực;10/02/2024;1;Kiosk",
            "P-2;HS-2;Phòng Tư pháp;Chứng thực;12/02/2024;2;Kiosk",
            "P-3;HS-2;Phòng Tư pháp;Chứng thực;12/02/2024;4;Kiosk",
        ],
    );
    evals(
        &case,
        "b.csv",
        &["P-9;HS-1;Phòng Tư pháp;Chứng thực;10/02/2024;5;Web"],
    );
    let r = case.run();
    // HS-1: same day in a.csv and b.csv → b.csv's 5 counts. HS-2: same day twice in a.csv → the
    // later row's 4 counts.
    assert_eq!(levels(&r, TP, CT), [1, 1, 0, 0, 0]);
    let got: Vec<_> = r
        .duplicates
        .iter()
        .map(|d| {
            (
                d.dossier_id.as_str(),
                (d.dropped.file, d.dropped.row),
                (d.kept.file, d.kept.row),
            )
        })
        .collect();
    assert_eq!(got, [("HS-1", (0, 2), (1, 2)), ("HS-2", (0, 3), (0, 4))]);
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 3,
                counted: 1,
                duplicate: 2,
                ..RowAccount::default()
            },
            counted(1, 1),
        ]
    );
}

#[test]
fn treats_a_repeated_evaluation_code_without_a_dossier_code_as_a_duplicate() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-7;;Phòng Tư pháp;Chứng thực;20/02/2024;5;Kiosk",
            "P-7;;Phòng Tư pháp;Chứng thực;05/02/2024;1;Kiosk",
            "P-8;;Phòng Tư pháp;Chứng thực;05/02/2024;4;Kiosk",
        ],
    );
    let r = case.run();
    // P-7 twice: the evaluation of 20/02 (row 2) counts, the one of 05/02 (row 3) is a copy; P-8
    // is another evaluation.
    assert_eq!(levels(&r, TP, CT), [1, 1, 0, 0, 0]);
    assert_eq!(r.duplicates.len(), 1, "{:?}", r.duplicates);
    let d = &r.duplicates[0];
    assert_eq!(
        (d.dossier_id.as_str(), d.dropped.row, d.kept.row),
        ("P-7", 3, 2)
    );
    assert!(d.reason.contains("mã phiếu"), "{}", d.reason);
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 2,
            duplicate: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn counts_every_row_with_neither_a_dossier_code_nor_an_evaluation_code() {
    let case = Case::new();
    let paper = ";;Phòng Tư pháp;Chứng thực;05/03/2024;4;Phiếu giấy";
    evals(&case, "danh-gia.csv", &[paper, paper, paper]);
    let r = case.run();
    // Three identical paper forms: nothing tells them apart, so all three count.
    assert_eq!(levels(&r, TP, CT), [0, 3, 0, 0, 0]);
    assert!(r.duplicates.is_empty(), "{:?}", r.duplicates);
    assert_eq!(r.accounts, [counted(3, 3)]);
}

#[test]
fn says_in_the_data_quality_workbook_how_many_evaluations_could_not_be_checked_for_duplicates() {
    let case = Case::new();
    let paper = ";;Phòng Tư pháp;Chứng thực;05/03/2024;4;Phiếu giấy";
    let mut rows = vec![paper; 7];
    rows.push("P-1;;Phòng Tư pháp;Chứng thực;05/03/2024;5;Kiosk");
    evals(&case, "danh-gia.csv", &rows);
    let r = case.run_all();
    assert_eq!(r.accounts, [counted(8, 8)]);
    // 7 of the 8 evaluations have neither code. Some row of the workbook must say so: a cell 7
    // beside words about duplicates (trùng) or checking (kiểm tra).
    use calamine::Reader;
    let path = case.out().join("chat-luong-du-lieu-2024-Q1.xlsx");
    let wb = calamine::open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names().to_vec();
    let mut found = false;
    for name in names {
        for row in read_sheet(&path, &name) {
            let line = row.join(" | ").to_lowercase();
            if row.iter().any(|c| c == "7") && (line.contains("trùng") || line.contains("kiểm tra"))
            {
                found = true;
            }
        }
    }
    assert!(
        found,
        "no row of {} says 7 evaluations were unchecked",
        path.display()
    );
}

// ---------------------------------------------------------------------------------------------
// §3 Unit and field

/// A dossier export beside the evaluations (the shipped dossier vocabulary's columns): HS-1 of
/// Xã Bà Điểm / Hộ tịch and HS-2 of Phòng Tư pháp / Chứng thực, received in the period; HS-3 of
/// Phòng Tài nguyên và Môi trường / Đất đai, received and resolved in 2023-Q4.
fn dossiers(case: &Case) {
    assert!(HEADER_D.starts_with("Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận"));
    case.csv(
        "ho-so.csv",
        &[
            "HS-1;Xã Bà Điểm;Hộ tịch;08/01/2024;10/01/2024;09/01/2024;Đã trả kết quả;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;10/01/2024;12/01/2024;11/01/2024;Đã trả kết quả;Trực tuyến",
            "HS-3;Phòng Tài nguyên và Môi trường;Đất đai;20/11/2023;30/11/2023;28/11/2023;Đã trả kết quả;Trực tiếp",
        ],
    );
}

#[test]
fn takes_unit_and_field_from_the_rated_dossier_read_in_the_same_run() {
    let case = Case::new();
    dossiers(&case);
    evals(
        &case,
        "danh-gia.csv",
        &[
            // No unit, no field: both from HS-1.
            "P-1;HS-1;;;10/01/2024;5;Kiosk",
            // A unit but no field: the field from HS-2.
            "P-2;HS-2;Phòng Tư pháp;;12/01/2024;4;Web",
            // HS-3 was received and resolved before the period; its rating of 20/12 is in it.
            "P-3;HS-3;;;20/12/2023;2;SMS",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        sat_rows(&r),
        [
            row(
                Level::Huyen,
                "Phòng Tài nguyên và Môi trường",
                "Đất đai",
                [0, 0, 0, 1, 0]
            ),
            row(Level::Huyen, TP, CT, [0, 1, 0, 0, 0]),
            row(Level::Xa, "Xã Bà Điểm", "Hộ tịch", [1, 0, 0, 0, 0]),
        ]
    );
    // indicators.json lists the same rows in the same order (level, unit, field, like `tthc`).
    let order: Vec<_> = json(&r)["satisfaction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap().to_string();
            (s("level"), s("unit"), s("field"))
        })
        .collect();
    let expected: Vec<_> = sat_rows(&r)
        .into_iter()
        .map(|(l, u, f, _)| (l.code().to_string(), u, f))
        .collect();
    assert_eq!(order, expected);
    assert_eq!(json_row(&r, "Xã Bà Điểm", "Hộ tịch")["level"], "xa");
    // danh-gia.csv is file 0 (read before ho-so.csv).
    assert!(r.files[0].path.ends_with("danh-gia.csv"));
    assert_eq!(r.accounts[0], counted(3, 3));
}

#[test]
fn counts_a_row_with_a_unit_but_no_field_and_no_matching_dossier_under_an_empty_field() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            // No dossier code at all.
            "P-1;;Phòng Tư pháp;;05/02/2024;5;Kiosk",
            // A dossier code no dossier read has.
            "P-2;HS-404;Phòng Tư pháp;;05/02/2024;4;Kiosk",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, "", [1, 1, 0, 0, 0])]);
    let j = json_row(&r, TP, "");
    assert_eq!(j["field"], "");
    assert_eq!(j["satisfaction_rate"].as_f64(), Some(100.0));
    assert_eq!(r.accounts, [counted(2, 2)]);
}

#[test]
fn quarantines_a_row_without_a_unit_and_without_a_dossier_to_take_one_from() {
    let case = Case::new();
    dossiers(&case);
    evals(
        &case,
        "danh-gia.csv",
        &[
            // Linked to HS-2 → Phòng Tư pháp / Chứng thực.
            "P-1;HS-2;;;12/01/2024;5;Kiosk",
            // Neither a unit nor a dossier code.
            "P-2;;;;12/01/2024;4;Kiosk",
            // A dossier code that no dossier read has.
            "P-3;HS-9;;;12/01/2024;4;Kiosk",
        ],
    );
    let r = case.run();
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, CT, [1, 0, 0, 0, 0])]);
    let rows: Vec<_> = quarantined(&r)
        .into_iter()
        .map(|(s, n, _, _)| (s, n))
        .collect();
    assert_eq!(
        rows,
        [
            ("danh-gia.csv".to_string(), 3),
            ("danh-gia.csv".to_string(), 4)
        ]
    );
    let none = entry(&r, "danh-gia.csv", 3);
    assert!(none.reason.contains("không có đơn vị"), "{}", none.reason);
    let unmatched = entry(&r, "danh-gia.csv", 4);
    assert!(
        unmatched.reason.contains("không có đơn vị"),
        "{}",
        unmatched.reason
    );
    assert_eq!(unmatched.dossier_id, "HS-9");
    assert_eq!(
        r.accounts[0],
        RowAccount {
            read: 3,
            counted: 1,
            quarantined: 2,
            ..RowAccount::default()
        }
    );
}

#[test]
fn folds_unit_aliases_prefixes_and_tones_as_for_dossiers() {
    let case = Case::new();
    let nfd = |s: &str| s.nfd().collect::<String>();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;UBND xã Bà Điểm;Hộ tịch;05/02/2024;5;Kiosk",
            "P-2;;Bà Điểm;Lĩnh vực hộ tịch;05/02/2024;4;Kiosk",
            &format!(
                "P-3;;{};{};05/02/2024;3;Kiosk",
                nfd("Xã Bà Điểm"),
                nfd("Hộ tịch")
            ),
            "P-4;;TYT Bà Điểm;;05/02/2024;5;Kiosk",
            // A field the registry does not know, with both tone placements.
            "P-5;;Xã Bà Điểm;Hoà giải cơ sở;05/02/2024;2;Kiosk",
            "P-6;;Xã Bà Điểm;Hòa giải cơ sở;05/02/2024;1;Kiosk",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // «UBND» is stripped, «Bà Điểm» is an alias of Xã Bà Điểm, «Lĩnh vực hộ tịch» of Hộ tịch,
    // the decomposed spellings are the same words; «TYT Bà Điểm» is Trạm Y tế xã Bà Điểm.
    // Hoà / Hòa make one field, written with the placement of the Quốc hiệu (Hòa).
    assert_eq!(
        sat_rows(&r),
        [
            row(Level::Huyen, "Trạm Y tế xã Bà Điểm", "", [1, 0, 0, 0, 0]),
            row(Level::Xa, "Xã Bà Điểm", "Hòa giải cơ sở", [0, 0, 0, 1, 1]),
            row(Level::Xa, "Xã Bà Điểm", "Hộ tịch", [1, 1, 1, 0, 0]),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// §1 Summaries

/// The summary header with every level and the total.
const SUMMARY: &str =
    "Đơn vị;Rất hài lòng;Hài lòng;Bình thường;Không hài lòng;Rất không hài lòng;Tổng số phiếu";

#[test]
fn reads_a_summary_over_the_period_its_title_line_states() {
    let case = Case::new();
    case.file(
        "tong-hop-a.csv",
        &text(
            &[
                "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG NGƯỜI BỆNH",
                "Từ ngày 15/12/2023 đến ngày 14/03/2024",
                &format!("STT;{SUMMARY}"),
            ],
            &[
                "1;Trạm Y tế xã Bà Điểm;30;15;3;1;1;50",
                "2;Trạm Y tế xã Đông Thạnh;20;10;0;0;0;30",
            ],
        ),
    );
    case.file(
        "tong-hop-b.csv",
        &text(
            &[
                "KẾT QUẢ KHẢO SÁT PHỤ HUYNH HỌC SINH QUÝ I NĂM 2024",
                "Đơn vị;Lĩnh vực;Rất hài lòng;Hài lòng;Bình thường;Không hài lòng;Rất không hài lòng",
            ],
            &["Trường Mầm non Bà Điểm;Giáo dục và Đào tạo;40;8;2;0;0"],
        ),
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Both periods are 2024-Q1 exactly. Rates: 45/50 = 90, 30/30 = 100, 48/50 = 96.
    assert_eq!(
        sat_rows(&r),
        [
            row(Level::Huyen, "Trạm Y tế xã Bà Điểm", "", [30, 15, 3, 1, 1]),
            row(
                Level::Huyen,
                "Trạm Y tế xã Đông Thạnh",
                "",
                [20, 10, 0, 0, 0]
            ),
            row(
                Level::Huyen,
                "Trường Mầm non Bà Điểm",
                "Giáo dục và Đào tạo",
                [40, 8, 2, 0, 0]
            ),
        ]
    );
    assert_eq!(json_rate(&r, "Trạm Y tế xã Bà Điểm", ""), Some(90.0));
    assert_eq!(json_rate(&r, "Trạm Y tế xã Đông Thạnh", ""), Some(100.0));
    assert_eq!(
        json_rate(&r, "Trường Mầm non Bà Điểm", "Giáo dục và Đào tạo"),
        Some(96.0)
    );
    assert_eq!(json_row(&r, "Trạm Y tế xã Bà Điểm", "")["rated"], 50);
    // One row read per unit, however many evaluations it holds.
    assert_eq!(r.accounts, [counted(2, 2), counted(1, 1)]);
}

#[test]
fn takes_a_summary_period_from_its_input_entry_when_no_title_line_states_one() {
    let case = Case::with_pipeline_edit("[[inputs]]", "[[inputs]]");
    let text_of = std::fs::read_to_string(&case.pipeline).unwrap();
    let entry = format!(
        "path = \"{}\"\nperiod = \"2024-Q1\"",
        case.inputs().display()
    );
    std::fs::write(
        &case.pipeline,
        text_of.replace("path = \"../fixtures/sample\"", &entry),
    )
    .unwrap();
    case.file(
        "tong-hop.csv",
        &text(&[SUMMARY], &["Xã Tân Xuân;3;1;0;0;0;4"]),
    );
    let mut req = case.request(Outputs::Nothing);
    req.inputs.clear();
    let r = pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    // The entry says 2024-Q1: the summary counts in it.
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Tân Xuân", "", [3, 1, 0, 0, 0])]
    );
    assert_eq!(r.accounts, [counted(1, 1)]);
}

#[test]
fn excludes_a_summary_of_another_period_from_every_count() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &["P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk"],
    );
    case.file(
        "tong-hop-q2.csv",
        &text(
            &["KẾT QUẢ KHẢO SÁT QUÝ II NĂM 2024", SUMMARY],
            &["Trạm Y tế xã Bà Điểm;10;0;0;0;0;10"],
        ),
    );
    case.file(
        "tong-hop-6-thang.csv",
        &text(
            &["KẾT QUẢ KHẢO SÁT 6 THÁNG ĐẦU NĂM 2024", SUMMARY],
            &["Trạm Y tế xã Đông Thạnh;8;0;0;0;0;8"],
        ),
    );
    let r = case.run();
    // Neither summary covers 2024-Q1 (one 15/03 – 14/06, the other 15/12 – 14/06): only the
    // evaluation counts, and neither unit has a row.
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, CT, [1, 0, 0, 0, 0])]);
    let outside = RowAccount {
        read: 1,
        excluded_outside_period: 1,
        ..RowAccount::default()
    };
    // Files in path order: danh-gia, tong-hop-6-thang, tong-hop-q2.
    assert_eq!(r.accounts, [counted(1, 1), outside.clone(), outside]);
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // For 2024-Q2 the second-quarter summary is the one that counts.
    let q2 = Case::new().period("2024-Q2");
    q2.file(
        "tong-hop-q2.csv",
        &text(
            &["KẾT QUẢ KHẢO SÁT QUÝ II NĂM 2024", SUMMARY],
            &["Trạm Y tế xã Bà Điểm;10;0;0;0;0;10"],
        ),
    );
    assert_eq!(
        sat_rows(&q2.run()),
        [row(
            Level::Huyen,
            "Trạm Y tế xã Bà Điểm",
            "",
            [10, 0, 0, 0, 0]
        )]
    );
}

#[test]
fn stops_on_a_summary_whose_period_is_stated_nowhere_naming_the_file_and_writing_nothing() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &["P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk"],
    );
    case.file(
        "tong-hop-khong-ro-ky.csv",
        &text(
            &["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG", SUMMARY],
            &["Xã Tân Xuân;3;1;0;0;0;4"],
        ),
    );
    let err = case.run_err();
    assert!(err.contains("tong-hop-khong-ro-ky.csv"), "{err}");
    assert!(
        !err.contains("danh-gia.csv"),
        "only the unreadable file: {err}"
    );
    assert!(!case.out().exists(), "nothing may be written");
}

#[test]
fn quarantines_a_summary_row_whose_total_differs_from_the_sum_of_its_levels() {
    let case = Case::new();
    case.file(
        "tong-hop.csv",
        &text(
            &["Quý I năm 2024", SUMMARY],
            &[
                "Xã Tân Xuân;5;3;1;1;0;10",
                // 5 + 3 + 1 = 9, not 10.
                "Xã Tân Hiệp;5;3;1;0;0;10",
            ],
        ),
    );
    let r = case.run();
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Tân Xuân", "", [5, 3, 1, 1, 0])]
    );
    // Title row 1, header row 2, data rows 3 and 4.
    assert_eq!(
        quarantined(&r),
        [q("tong-hop.csv", 4, "Tổng số phiếu", "10")]
    );
    let e = entry(&r, "tong-hop.csv", 4);
    assert!(
        e.reason.contains("10") && e.reason.contains('9'),
        "{}",
        e.reason
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 2,
            counted: 1,
            quarantined: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn quarantines_a_negative_or_fractional_count() {
    let case = Case::new();
    case.file(
        "tong-hop.csv",
        &text(
            &["Quý I năm 2024", SUMMARY],
            &[
                "Xã Tân Xuân;5;3;1;1;0;10",
                "Xã Tân Hiệp;-1;3;0;0;0;2",
                // 2,5 with the decimal comma: two and a half evaluations.
                "Xã Nhị Bình;2,5;3;0;0;0;",
            ],
        ),
    );
    let r = case.run();
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Tân Xuân", "", [5, 3, 1, 1, 0])]
    );
    assert_eq!(
        quarantined(&r),
        [
            q("tong-hop.csv", 4, "Rất hài lòng", "-1"),
            q("tong-hop.csv", 5, "Rất hài lòng", "2,5"),
        ]
    );
    let neg = entry(&r, "tong-hop.csv", 4);
    assert!(neg.reason.contains("âm"), "{}", neg.reason);
    let frac = entry(&r, "tong-hop.csv", 5);
    assert!(
        frac.reason.contains("không phải số nguyên"),
        "{}",
        frac.reason
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 1,
            quarantined: 2,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn reads_no_record_from_a_summary_totals_row() {
    let case = Case::new();
    case.file(
        "tong-hop.csv",
        &text(
            &["Quý I năm 2024", &format!("STT;{SUMMARY}")],
            &[
                "1;Xã Tân Xuân;5;3;1;1;0;10",
                "2;Xã Tân Hiệp;4;4;0;0;0;8",
                ";Tổng cộng;9;7;1;1;0;18",
                ";;;;;Người lập biểu;;",
            ],
        ),
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // Only the two units: the totals row is neither a unit «Tổng cộng» nor counted twice.
    assert_eq!(
        sat_rows(&r),
        [
            row(Level::Xa, "Xã Tân Hiệp", "", [4, 4, 0, 0, 0]),
            row(Level::Xa, "Xã Tân Xuân", "", [5, 3, 1, 1, 0]),
        ]
    );
    assert_eq!(r.accounts, [counted(2, 2)]);
    assert!(
        r.skipped_rows.iter().any(|s| s.text.contains("Tổng cộng")),
        "{:?}",
        r.skipped_rows
    );
}

// ---------------------------------------------------------------------------------------------
// §3 Rates

#[test]
fn computes_every_total_from_the_counts_never_as_an_average_of_rates() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            "P-2;;Xã Tân Xuân;Hộ tịch;05/02/2024;5;Kiosk",
            "P-3;;Xã Tân Xuân;Hộ tịch;05/02/2024;2;Kiosk",
            "P-4;;Xã Tân Xuân;Hộ tịch;05/02/2024;1;Kiosk",
        ],
    );
    let r = case.run_all();
    // Phòng Tư pháp 1/1 = 100 %, Xã Tân Xuân 1/3 = 33.33 %. The district: 2/4 = 50 %, not the
    // average of the rates, 66.67 %.
    assert_eq!(json_rate(&r, TP, CT), Some(100.0));
    assert_eq!(json_rate(&r, "Xã Tân Xuân", "Hộ tịch"), Some(33.33));
    assert_eq!(targets(&r, "4.2"), [target("Toàn huyện", 50.0, false)]);
    // The annex's grand total: 4 rated, 2 satisfied, 50 %.
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Mức độ hài lòng");
    let total = sheet
        .iter()
        .find(|r| r.iter().any(|c| c == "TỔNG SỐ"))
        .unwrap_or_else(|| panic!("no TỔNG SỐ row: {sheet:?}"));
    let at = |k: usize| total[k].replace(',', ".").parse::<f64>().unwrap();
    assert_eq!((at(2), at(8), at(9)), (4.0, 2.0, 50.0), "{total:?}");
}

#[test]
fn rounds_a_rate_half_away_from_zero_to_two_decimals() {
    let case = Case::new();
    case.file(
        "tong-hop.csv",
        &text(
            &["Quý I năm 2024", SUMMARY],
            &[
                // 2/3 = 66.666… → 66.67
                "Xã Tân Xuân;2;0;0;1;0;3",
                // 1/800 = 0.125 exactly → 0.13 (half away from zero; half to even gives 0.12)
                "Xã Tân Hiệp;1;0;0;799;0;800",
                // 1/8 = 12.5 exactly
                "Xã Nhị Bình;0;1;0;7;0;8",
                // 1/3 = 33.333… → 33.33
                "Xã Đông Thạnh;0;1;0;2;0;3",
            ],
        ),
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(json_rate(&r, "Xã Tân Xuân", ""), Some(66.67));
    assert_eq!(json_rate(&r, "Xã Tân Hiệp", ""), Some(0.13));
    assert_eq!(json_rate(&r, "Xã Nhị Bình", ""), Some(12.5));
    assert_eq!(json_rate(&r, "Xã Đông Thạnh", ""), Some(33.33));
    // Every row has evaluations, so none has a null rate.
    for x in json(&r)["satisfaction"].as_array().unwrap() {
        assert!(x["rated"].as_u64().unwrap() > 0 && x["satisfaction_rate"].is_number());
    }
    // The district: (2 + 1 + 1 + 1) / (3 + 800 + 8 + 3) = 5/814 = 0.614… → 0.61.
    assert_eq!(targets(&r, "4.2"), [target("Toàn huyện", 0.61, false)]);
}

#[test]
fn counts_as_satisfied_the_levels_the_setting_names() {
    let rows = [
        "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
        "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024;4;Kiosk",
        "P-3;;Phòng Tư pháp;Chứng thực;05/02/2024;3;Kiosk",
        "P-4;;Phòng Tư pháp;Chứng thực;05/02/2024;2;Kiosk",
    ];
    // The default: very satisfied + satisfied → 2/4 = 50 %.
    let plain = Case::new();
    evals(&plain, "danh-gia.csv", &rows);
    let r = plain.run();
    assert_eq!(json_rate(&r, TP, CT), Some(50.0));
    // A copy of the configuration that counts neutral too → 3/4 = 75 %.
    let case = Case::with_pipeline_edit("[[inputs]]", "[[inputs]]");
    let file = case.pipeline.parent().unwrap().join("satisfaction.toml");
    let cfg = std::fs::read_to_string(&file).unwrap();
    let from = "satisfied_levels = [\"very_satisfied\", \"satisfied\"]";
    assert!(cfg.contains(from), "satisfaction.toml has no «{from}»");
    std::fs::write(
        &file,
        cfg.replace(
            from,
            "satisfied_levels = [\"very_satisfied\", \"satisfied\", \"neutral\"]",
        ),
    )
    .unwrap();
    evals(&case, "danh-gia.csv", &rows);
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [1, 1, 1, 1, 0]);
    assert_eq!(json_rate(&r, TP, CT), Some(75.0));
    assert_eq!(targets(&r, "4.2"), [target("Toàn huyện", 75.0, false)]);
}

// ---------------------------------------------------------------------------------------------
// §3 Targets

#[test]
fn decides_target_4_1_over_public_service_units_and_4_2_over_dossier_units() {
    let case = Case::new();
    case.file(
        "khao-sat.csv",
        &text(
            &[
                "KẾT QUẢ KHẢO SÁT QUÝ I NĂM 2024",
                "Đơn vị;Rất hài lòng;Hài lòng;Bình thường;Không hài lòng;Rất không hài lòng",
            ],
            &["TYT Bà Điểm;10;9;1;0;0", "Trường MN Bà Điểm;5;4;1;0;0"],
        ),
    );
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024;4;Kiosk",
            "P-3;;Phòng Tư pháp;Chứng thực;05/02/2024;4;Kiosk",
            "P-4;;Phòng Tư pháp;Chứng thực;05/02/2024;1;Kiosk",
            "P-5;;Phòng Tài nguyên và Môi trường;Đất đai;05/02/2024;5;Kiosk",
            // A dossier unit with a field of the health group: in 4.2, not in 4.1.
            "P-6;;Phòng Y tế;Y tế;05/02/2024;1;Kiosk",
        ],
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // 4.1, public-service units by their group: health = Trạm Y tế xã Bà Điểm 19/20 = 95 % (met,
    // ≥ 95); education = Trường Mầm non Bà Điểm 9/10 = 90 % (not met).
    assert_eq!(
        targets(&r, "4.1"),
        [
            target("Nhóm dịch vụ công giáo dục", 90.0, false),
            target("Nhóm dịch vụ công y tế", 95.0, true),
        ]
    );
    // 4.2, dossier units only: district (3 + 1 + 0) / (4 + 1 + 1) = 66.67 % (with the schools and
    // stations it would be 32/36); land = Đất đai 1/1 = 100 % (≥ 90, met). No construction or
    // investment evaluations: those targets are not decided.
    assert_eq!(
        targets(&r, "4.2"),
        [
            target("Toàn huyện", 66.67, false),
            target("Nhóm lĩnh vực đất đai", 100.0, true),
        ]
    );
    let j = json(&r);
    let t41: Vec<_> = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "4.1")
        .map(|t| {
            (
                t["value"].as_f64().unwrap(),
                t["target"].clone(),
                t["met"].clone(),
            )
        })
        .collect();
    assert_eq!(
        t41,
        [
            (90.0, ">= 95".into(), false.into()),
            (95.0, ">= 95".into(), true.into())
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Personal data (inputs.md)

#[test]
fn never_writes_the_evaluator_the_phone_number_or_the_comment_anywhere() {
    let case = Case::new();
    case.file(
        "danh-gia.csv",
        &text(
            &["Mã phiếu;Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày đánh giá;Mức độ hài lòng;Người đánh giá;Số điện thoại;Ý kiến"],
            &[
                "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Nguyễn Thị Hoa;0909123456;Cán bộ Lê Văn Tám hướng dẫn tận tình",
                // A re-exported copy (duplicate), a bad rating and a row without a unit
                // (quarantined): their personal values must not reach the logs either.
                "P-1;;Phòng Tư pháp;Chứng thực;06/02/2024;4;Nguyễn Thị Hoa;0909123456;Gọi lại số 0912000111",
                "P-2;;Phòng Tư pháp;Chứng thực;07/02/2024;Khá;Trần Văn Bảy;0988777666;Chờ lâu ở quầy",
                "P-3;;;;07/02/2024;5;Phạm Thị Tư;0977555444;Không có ý kiến gì thêm",
            ],
        ),
    );
    let mut req = case.request(Outputs::All);
    let store = case.dir.path().join("store");
    req.store = Some(store.clone());
    let r = pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    // The figures: P-1 of 06/02 (4) counts; the copy of 05/02 is a duplicate.
    assert_eq!(levels(&r, TP, CT), [0, 1, 0, 0, 0]);
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
        "Lê Văn Tám",
        "hướng dẫn tận tình",
        "0912000111",
        "Trần Văn Bảy",
        "0988777666",
        "Chờ lâu ở quầy",
        "Phạm Thị Tư",
        "0977555444",
        "Không có ý kiến gì thêm",
    ];
    let mut texts = output_texts(&case.out());
    assert!(texts.len() > 5, "every output written: {:?}", r.written);
    texts.push((
        "indicators_json".into(),
        String::from_utf8_lossy(&r.indicators_json).into(),
    ));
    // The store: every file's bytes, and every text value of its Parquet tables.
    let mut stack = vec![store];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
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
                    assert!(
                        !["evaluator", "comment"].contains(&name.as_str()),
                        "{} has a column {name}",
                        p.display()
                    );
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
    // The search looks where the figures and logs are: the annex names the unit, the
    // data-quality workbook the rejected rating, the store holds the evaluations.
    let has = |needle: &str, place: &str| {
        texts
            .iter()
            .any(|(f, t)| f.contains(place) && t.contains(needle))
    };
    assert!(has("Phòng Tư pháp", "phu-luc-2024-Q1.xlsx"));
    assert!(has("Khá", "chat-luong-du-lieu-2024-Q1.xlsx"));
    assert!(
        has("P-1", "satisfaction"),
        "no satisfaction table in the store"
    );
    for p in personal {
        for (file, text) in &texts {
            assert!(!text.contains(p), "«{p}» is in {file}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds (inputs.md)

#[test]
fn reads_a_dossier_header_without_a_rating_column_as_dossiers_and_says_each_files_kind() {
    let case = Case::new();
    // The dossier header shares Mã hồ sơ, Đơn vị and Lĩnh vực with the evaluation vocabulary, but
    // has no rating or level-count column.
    case.csv(
        "ho-so.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"],
    );
    evals(&case, "danh-gia.csv", &["P-1;HS-1;;;06/02/2024;5;Kiosk"]);
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
            ("danh-gia.csv".to_string(), "satisfaction"),
            ("ho-so.csv".to_string(), "dossier")
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
        [
            ("satisfaction".into(), 1.into()),
            ("dossier".into(), 1.into())
        ]
    );
    // The dossier is a dossier (form 06), the evaluation a rating of it (HS-1's unit and field).
    assert_eq!(j["tthc"].as_array().unwrap().len(), 1);
    assert_eq!(j["tthc"][0]["unit"], TP);
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, CT, [1, 0, 0, 0, 0])]);
    assert_eq!(r.accounts, [counted(1, 1), counted(1, 1)]);
}

// ---------------------------------------------------------------------------------------------
// A workbook: two-row header, real dates, number ratings

fn put<S: AsRef<str>>(ws: &mut Worksheet, row: u32, col: u16, cells: &[S]) {
    for (i, v) in cells.iter().enumerate() {
        let v = v.as_ref();
        let c = col + i as u16;
        if v.is_empty() {
            continue;
        }
        if let Some((dt, fmt)) = real_date(v) {
            ws.write_datetime_with_format(row, c, &dt, &Format::new().set_num_format(fmt))
                .unwrap();
        } else if v.len() < 4 && v.chars().all(|ch| ch.is_ascii_digit()) {
            ws.write_number(row, c, v.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(row, c, v).unwrap();
        }
    }
}

/// `dd/mm/yyyy` or `dd/mm/yyyy HH:MM` as a real date cell.
fn real_date(v: &str) -> Option<(ExcelDateTime, &'static str)> {
    let (date, time) = match v.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let p: Vec<&str> = date.split('/').collect();
    if p.len() != 3 || p[2].len() != 4 {
        return None;
    }
    let dt =
        ExcelDateTime::from_ymd(p[2].parse().ok()?, p[1].parse().ok()?, p[0].parse().ok()?).ok()?;
    match time {
        None => Some((dt, "dd/mm/yyyy")),
        Some(t) => {
            let (h, m) = t.split_once(':')?;
            Some((
                dt.and_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?,
                "dd/mm/yyyy hh:mm",
            ))
        }
    }
}

#[test]
fn reads_an_evaluation_workbook_with_a_two_row_header_real_dates_and_number_ratings() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        7,
        "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG QUÝ I NĂM 2024",
        &f,
    )
    .unwrap();
    // Rows 3–4: STT | Mã phiếu | Đơn vị | Lĩnh vực | Kết quả đánh giá (Thời gian đánh giá |
    // Mức độ hài lòng | Kênh) | Ý kiến.
    for (col, h) in [
        (0, "STT"),
        (1, "Mã phiếu"),
        (2, "Đơn vị"),
        (3, "Lĩnh vực"),
        (7, "Ý kiến"),
    ] {
        ws.merge_range(2, col, 3, col, h, &f).unwrap();
    }
    ws.merge_range(2, 4, 2, 6, "Kết quả đánh giá", &f).unwrap();
    put(ws, 3, 4, &["Thời gian đánh giá", "Mức độ hài lòng", "Kênh"]);
    let data = [
        [
            "1",
            "P-1",
            "Xã Đông Thạnh",
            "Hộ tịch",
            "10/01/2024 09:30",
            "5",
            "Kiosk",
            "",
        ],
        [
            "2",
            "P-2",
            "Xã Đông Thạnh",
            "Hộ tịch",
            "14/03/2024 16:45",
            "4",
            "Cổng dịch vụ công",
            "",
        ],
        [
            "3",
            "P-3",
            "Xã Đông Thạnh",
            "Hộ tịch",
            "15/12/2023",
            "★★★☆☆",
            "Kiosk",
            "Bình thường",
        ],
        // The title says Quý I, but the evaluation date decides: 20/03 is in 2024-Q2.
        [
            "4",
            "P-4",
            "Xã Đông Thạnh",
            "Hộ tịch",
            "20/03/2024",
            "1",
            "SMS",
            "",
        ],
    ];
    for (i, r) in data.iter().enumerate() {
        put(ws, 4 + i as u32, 0, r);
    }
    // The date as a bare serial number: 45337 is 15/02/2024.
    put(ws, 8, 0, &["5", "P-5", "Xã Đông Thạnh", "Hộ tịch"]);
    ws.write_number(8, 4, 45337.0).unwrap();
    put(ws, 8, 5, &["2", "Kiosk"]);
    wb.save(case.inputs().join("danh-gia.xlsx")).unwrap();
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // P-1 (5), P-2 (4), P-3 (three ★), P-5 (2) in the period; P-4 outside. 2/4 → 50 %.
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Đông Thạnh", "Hộ tịch", [1, 1, 1, 1, 0])]
    );
    assert_eq!(json_rate(&r, "Xã Đông Thạnh", "Hộ tịch"), Some(50.0));
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 5,
            counted: 4,
            excluded_outside_period: 1,
            ..RowAccount::default()
        }]
    );
    assert_eq!(r.files[0].kind, "satisfaction");
}

#[test]
fn reads_every_date_form_of_the_dossier_rules_in_the_evaluation_date() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;05/02/2024;5;Kiosk",
            "P-2;;Phòng Tư pháp;Chứng thực;05/02/2024 10:15:30;5;Kiosk",
            "P-3;;Phòng Tư pháp;Chứng thực;16:40 17/01/2024;4;Kiosk",
            "P-4;;Phòng Tư pháp;Chứng thực;22-01-2024;4;Kiosk",
            "P-5;;Phòng Tư pháp;Chứng thực;2024-02-06;3;Kiosk",
            "P-6;;Phòng Tư pháp;Chứng thực;2024-03-14 23:59:59;2;Kiosk",
            // ISO, the day after the period: outside, not quarantined.
            "P-7;;Phòng Tư pháp;Chứng thực;2024-03-15 00:00:00;1;Kiosk",
            // Which century, and is it day-first? Never guessed.
            "P-8;;Phòng Tư pháp;Chứng thực;03/02/24;1;Kiosk",
        ],
    );
    let r = case.run();
    assert_eq!(levels(&r, TP, CT), [2, 2, 1, 1, 0]);
    assert_eq!(
        quarantined(&r),
        [q("danh-gia.csv", 9, "Ngày đánh giá", "03/02/24")]
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 8,
            counted: 6,
            quarantined: 1,
            excluded_outside_period: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn stops_on_an_evaluation_file_without_an_evaluation_date_column() {
    let case = Case::new();
    case.file(
        "danh-gia-thieu-ngay.csv",
        &text(
            &["Mã phiếu;Đơn vị;Lĩnh vực;Mức độ hài lòng"],
            &["P-1;Phòng Tư pháp;Chứng thực;5"],
        ),
    );
    let err = case.run_err();
    assert!(err.contains("danh-gia-thieu-ngay.csv"), "{err}");
    assert!(err.contains("Ngày đánh giá"), "{err}");
    assert!(!case.out().exists(), "nothing may be written");
}

#[test]
fn takes_unit_and_field_from_a_rated_dossier_in_the_store() {
    let case = Case::new();
    let store = case.dir.path().join("store");
    // First run: only the dossiers, into the store.
    dossiers(&case);
    let mut first = case.request(Outputs::Nothing);
    first.store = Some(store.clone());
    pipeline::run(&first).unwrap_or_else(|e| panic!("{e:#}"));
    // Second run: only the evaluations among the inputs, every stored file computed from.
    std::fs::remove_file(case.inputs().join("ho-so.csv")).unwrap();
    evals(&case, "danh-gia.csv", &["P-1;HS-1;;;10/01/2024;5;Kiosk"]);
    let mut second = case.request(Outputs::Nothing);
    second.store = Some(store);
    second.all_stored = true;
    let r = pipeline::run(&second).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        sat_rows(&r),
        [row(Level::Xa, "Xã Bà Điểm", "Hộ tịch", [1, 0, 0, 0, 0])]
    );
}

#[test]
fn stops_on_a_file_that_fits_both_kinds_unless_its_entry_pins_one() {
    // A dossier list that also carries a rating column: both a dossier header and an
    // evaluation header.
    let both = text(
        &[&format!("{HEADER_D};Ngày đánh giá;Mức độ hài lòng")],
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp;06/02/2024;5"],
    );
    let case = Case::new();
    case.file("ho-so-co-danh-gia.csv", &both);
    let err = case.run_err();
    assert!(err.contains("ho-so-co-danh-gia.csv"), "{err}");
    assert!(!case.out().exists(), "nothing may be written");
    // Pinned as satisfaction in its [[inputs]] entry: read as one evaluation.
    let pinned = Case::with_pipeline_edit("[[inputs]]", "[[inputs]]");
    let cfg = std::fs::read_to_string(&pinned.pipeline).unwrap();
    let entry = format!(
        "path = \"{}\"\nkind = \"satisfaction\"",
        pinned.inputs().display()
    );
    std::fs::write(
        &pinned.pipeline,
        cfg.replace("path = \"../fixtures/sample\"", &entry),
    )
    .unwrap();
    pinned.file("ho-so-co-danh-gia.csv", &both);
    let mut req = pinned.request(Outputs::Nothing);
    req.inputs.clear();
    let r = pipeline::run(&req).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(r.files[0].kind, "satisfaction");
    assert_eq!(sat_rows(&r), [row(Level::Huyen, TP, CT, [1, 0, 0, 0, 0])]);
    assert!(r.indicators.dossier().form06.rows.is_empty());
}

/// A summary workbook whose five level columns stand under a merged `parent` (rows 4–5), with
/// number cells, a fractional count and a merged totals row; checks every figure.
fn summary_workbook_under(parent: &str) {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        7,
        "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG CỦA CHA MẸ HỌC SINH",
        &f,
    )
    .unwrap();
    ws.merge_range(1, 0, 1, 7, "Từ ngày 15/12/2023 đến ngày 14/03/2024", &f)
        .unwrap();
    // Rows 4–5: STT | Tên đơn vị | parent (five levels) | Tổng số phiếu.
    for (col, h) in [(0, "STT"), (1, "Tên đơn vị"), (7, "Tổng số phiếu")] {
        ws.merge_range(3, col, 4, col, h, &f).unwrap();
    }
    ws.merge_range(3, 2, 3, 6, parent, &f).unwrap();
    put(
        ws,
        4,
        2,
        &[
            "Rất hài lòng",
            "Hài lòng",
            "Bình thường",
            "Không hài lòng",
            "Rất không hài lòng",
        ],
    );
    put(
        ws,
        5,
        0,
        &[
            "1",
            "Trường Tiểu học Đông Thạnh",
            "120",
            "60",
            "15",
            "5",
            "0",
            "200",
        ],
    );
    put(
        ws,
        6,
        0,
        &["2", "THCS Tân Xuân", "80", "15", "5", "0", "0", "100"],
    );
    // A fractional count as a real number cell: 2.5 evaluations.
    put(ws, 7, 0, &["3", "Trường MN Bà Điểm"]);
    ws.write_number(7, 2, 2.5).unwrap();
    put(ws, 7, 3, &["4", "0", "0", "0"]);
    ws.merge_range(8, 0, 8, 1, "Tổng cộng", &f).unwrap();
    put(ws, 8, 2, &["200", "75", "20", "5", "0", "300"]);
    wb.save(case.inputs().join("khao-sat.xlsx")).unwrap();
    let r = case.run();
    assert_eq!(r.files[0].kind, "satisfaction");
    // THCS Tân Xuân is the registry's Trường Trung học cơ sở Tân Xuân. Rates 180/200 = 90,
    // 95/100 = 95; the school group (4.1): 275/300 = 91.67 %, below 95.
    assert_eq!(
        sat_rows(&r),
        [
            row(
                Level::Huyen,
                "Trường Tiểu học Đông Thạnh",
                "",
                [120, 60, 15, 5, 0]
            ),
            row(
                Level::Huyen,
                "Trường Trung học cơ sở Tân Xuân",
                "",
                [80, 15, 5, 0, 0]
            ),
        ]
    );
    // Title rows 1–2, header rows 4–5, data rows 6–8.
    assert_eq!(quarantined(&r), [q("Sheet1", 8, "Rất hài lòng", "2.5")]);
    assert!(entry(&r, "Sheet1", 8)
        .reason
        .contains("không phải số nguyên"));
    assert_eq!(
        targets(&r, "4.1"),
        [target("Nhóm dịch vụ công giáo dục", 91.67, false)]
    );
    assert_eq!(
        r.accounts,
        [RowAccount {
            read: 3,
            counted: 2,
            quarantined: 1,
            ..RowAccount::default()
        }]
    );
}

#[test]
fn reads_a_summary_workbook_with_a_two_row_header_number_cells_and_a_merged_totals_row() {
    // The usual statutory layout: «Mức độ hài lòng» merged over the five levels.
    summary_workbook_under("Mức độ hài lòng");
}

#[test]
fn reads_a_summary_whose_level_columns_stand_under_a_merged_muc_do() {
    summary_workbook_under("Mức độ");
}

/// Issue 25: the evaluations of dossier handling (target 4.2) and the public-service surveys
/// (4.1) are stated apart; no headline mixes them. Phòng Tư pháp: 3 evaluations, 2 satisfied
/// (66,67 %); the health station: 2 survey answers, both satisfied (100 %). Mixed they would read
/// 4/5 = 80 %, which appears nowhere.
#[test]
fn states_dossier_evaluations_apart_from_public_service_surveys() {
    let case = Case::new();
    evals(
        &case,
        "danh-gia.csv",
        &[
            "P-1;;Phòng Tư pháp;Chứng thực;10/02/2024;Hài lòng;Trực tuyến",
            "P-2;;Phòng Tư pháp;Chứng thực;11/02/2024;Rất hài lòng;Trực tuyến",
            "P-3;;Phòng Tư pháp;Chứng thực;12/02/2024;Không hài lòng;Trực tuyến",
            "P-4;;Trạm Y tế xã Bà Điểm;;12/02/2024;Hài lòng;Trực tiếp",
            "P-5;;Trạm Y tế xã Bà Điểm;;13/02/2024;Rất hài lòng;Trực tiếp",
        ],
    );
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("Đánh giá hài lòng về giải quyết TTHC: 3 lượt, hài lòng 66,67 %."),
        "{summary}"
    );
    assert!(
        summary.contains(
            "Khảo sát hài lòng về dịch vụ công (giáo dục, y tế): 2 lượt, hài lòng 100,00 %."
        ),
        "{summary}"
    );
    for name in ["bao-cao-cchc-2024-Q1.html", "cong-khai-2024-Q1.html"] {
        let html = std::fs::read_to_string(case.out().join(name)).unwrap();
        assert!(html.contains("66,67 %"), "{name}");
        assert!(!html.contains("80,00"), "{name} mixes the two");
    }
}

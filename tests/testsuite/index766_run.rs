//! What `cchc run` carries of the 766 index (issue 21): `index766` in indicators.json for the
//! calendar window the period id names, the annex sheet «Chỉ số 766» and the paragraph of
//! report section II.2, on hand-built exports. The shipped pipeline reports 2024-Q1 under ND 09
//! (15/12/2023 – 14/03/2024); its 766 window is the calendar quarter, 01/01 – 31/03/2024.

use serde_json::Value;

use crate::support::{assert_valid_indicators, Case};

const HEADER: &str = "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp;Số hóa hồ sơ;Số hóa kết quả;Phí, lệ phí;Thanh toán trực tuyến";

/// Xã Bà Điểm, four dossiers:
/// - A1 online, fee paid online, on time, electronic result;
/// - A2 received 20/03/2024, after the ND 09 quarter's end but inside the calendar quarter;
/// - A3 resolved late, no electronic result;
/// - A4 ended 22/12/2023, before the calendar quarter: not in the window.
fn case() -> Case {
    let case = Case::new();
    let rows = [
        "A1;Xã Bà Điểm;Hộ tịch;10/01/2024;20/01/2024;18/01/2024;Đã trả kết quả;Trực tuyến;Có;Có;8000;Có",
        "A2;Xã Bà Điểm;Hộ tịch;20/03/2024;30/03/2024;25/03/2024;Đã trả kết quả;Trực tiếp;Có;Có;;",
        "A3;Xã Bà Điểm;Hộ tịch;05/02/2024;15/02/2024;20/02/2024;Đã trả kết quả;Trực tiếp;Có;Không;;",
        "A4;Xã Bà Điểm;Hộ tịch;18/12/2023;25/12/2023;22/12/2023;Đã trả kết quả;Trực tiếp;Có;Có;;",
    ];
    let mut text = HEADER.to_string();
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    case.file("ba-diem.csv", &text);
    case
}

fn index766(bytes: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    v["index766"]
        .as_array()
        .expect("index766 is an array")
        .clone()
}

fn indicator<'a>(entry: &'a Value, id: &str) -> &'a Value {
    entry["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}"))
}

#[test]
fn carries_the_estimate_of_the_calendar_quarter_with_a_locality_entry() {
    let r = case().run();
    assert_valid_indicators(&r.indicators_json);
    let entries = index766(&r.indicators_json);
    let ba_diem = entries
        .iter()
        .find(|e| e["unit"] == "Xã Bà Điểm")
        .expect("Bà Điểm scored");
    assert_eq!(ba_diem["level"], "xa");
    assert_eq!(
        ba_diem["window"],
        serde_json::json!({"start": "2024-01-01", "end": "2024-03-31"})
    );
    // 2.1: A1, A2 on time, A3 late, A4 outside the window: 2 / 3 → 66,67 %, 20 × 2/3 = 13,33.
    let i = indicator(ba_diem, "2.1");
    assert_eq!(
        (i["value"].as_f64(), i["points"].as_f64()),
        (Some(66.67), Some(13.33))
    );
    assert_eq!(
        (i["max"].as_f64(), &i["source"]),
        (Some(20.0), &Value::from("estimate"))
    );
    // 3.3: 1 of 3 received online, 33,33 % → 6 × 33,33/50 = 4.
    assert_eq!(indicator(ba_diem, "3.3")["points"].as_f64(), Some(4.0));
    // 3.6: the one fee-bearing dossier paid online → 6.
    assert_eq!(indicator(ba_diem, "3.6")["points"].as_f64(), Some(6.0));
    // 4.1: 2 of 3 resolved with an electronic result → 6 × 2/3 = 4.
    assert_eq!(indicator(ba_diem, "4.1")["points"].as_f64(), Some(4.0));
    // The export has no reuse flag (4.3): no data, null — never 0.
    let i = indicator(ba_diem, "4.3");
    assert_eq!((&i["value"], &i["points"]), (&Value::Null, &Value::Null));
    // Imported indicators without the portal's table: null, source portal.
    let i = indicator(ba_diem, "1.1");
    assert_eq!(
        (&i["points"], &i["source"]),
        (&Value::Null, &Value::from("portal"))
    );
    // Without the portal's table no band, and the total is out of less than 100.
    assert_eq!(ba_diem["band"], Value::Null);
    assert!(ba_diem["max"].as_f64().unwrap() < 100.0);
    // The last entry is the locality's: level null, its whole word.
    let last = entries.last().unwrap();
    assert_eq!(
        (&last["level"], &last["unit"]),
        (&Value::Null, &Value::from("Toàn huyện"))
    );
    assert_eq!(last["window"], ba_diem["window"]);
    assert_eq!(indicator(last, "2.1")["value"].as_f64(), Some(66.67));
    // One locality entry only.
    assert_eq!(entries.iter().filter(|e| e["level"].is_null()).count(), 1);
}

#[test]
fn writes_the_entry_keys_in_order_and_the_same_bytes_twice() {
    let case = case();
    let (a, b) = (case.run(), case.run());
    assert_eq!(a.indicators_json, b.indicators_json);
    let text = String::from_utf8(a.indicators_json).unwrap();
    let start = text.find("\"index766\"").expect("index766 written");
    assert!(
        text[..start].contains("\"targets\""),
        "index766 comes after targets"
    );
    // The first entry, up to its last key; its indicators have a `max` of their own.
    let entry = &text[start..];
    let entry = &entry[..entry.find("\"band\":").unwrap() + 7];
    let at = |k: &str| entry.rfind(&format!("\"{k}\":")).unwrap();
    let order = [
        "level",
        "unit",
        "window",
        "indicators",
        "total",
        "max",
        "band",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{entry}");
}

#[test]
fn a_half_year_report_scores_the_first_six_calendar_months() {
    let r = case().period("2024-H1").run();
    let entries = index766(&r.indicators_json);
    assert_eq!(
        entries.last().unwrap()["window"],
        serde_json::json!({"start": "2024-01-01", "end": "2024-06-30"})
    );
}

/// [`case`] and Xã Tân Xuân: one online dossier resolved late, no fee, nothing digitized.
fn two_communes() -> Case {
    let case = case();
    case.file(
        "tan-xuan.csv",
        &format!(
            "{HEADER}\nB1;Xã Tân Xuân;Hộ tịch;08/01/2024;15/01/2024;19/01/2024;Đã trả kết quả;Trực tuyến;Không;Không;;\n"
        ),
    );
    case
}

#[test]
fn writes_the_annex_sheet_per_unit_with_the_locality_last() {
    let case = two_communes();
    case.run_all();
    let rows = crate::support::read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Chỉ số 766");
    let text: Vec<String> = rows
        .iter()
        .map(|r| r.join(" | ").trim_end_matches(" | ").to_string())
        .filter(|r| !r.trim_matches(|c| c == ' ' || c == '|').is_empty())
        .collect();
    insta::assert_snapshot!("index766_run_annex_sheet", text.join("\n"));
    // The locality's row is last, without a rank; a group without data is not 0.
    let last = rows.last().unwrap();
    assert!(last.iter().any(|c| c == "Toàn huyện"), "{last:?}");
    assert!(last.iter().any(|c| c == "chưa có dữ liệu"), "{last:?}");
}

#[test]
fn says_the_estimate_its_window_and_the_best_and_worst_units_in_report_section_2() {
    let case = two_communes();
    case.run_all();
    let xml = crate::report::document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    let p: Vec<String> = crate::report::paragraphs(&xml)
        .into_iter()
        .filter(|p| p.contains("Chỉ số 766"))
        .collect();
    assert_eq!(p.len(), 1, "{p:?}");
    insta::assert_snapshot!("index766_run_report_paragraph", p[0]);
    // The page says the same.
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    let plain = p[0].replace("ngày 1 tháng 1 năm 2024", "");
    let tail = &plain[plain.find("ước tính").unwrap()..];
    assert!(html.contains(tail), "{tail}");
}

//! What a run writes: indicators.json exactly as interface.md says, the data-quality workbook,
//! byte-identical on a second run.

use serde_json::Value;

use crate::support::{read_sheet, Case};

fn sample_case() -> Case {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Chứng thực: 1 early, 1 late → 50 %; Hộ tịch: nothing resolved → null rates.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tiếp",
            "HS-3;Phòng Tư pháp;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Bưu chính",
            "HS-4;UBND xã Bà Điểm;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
            ";Phòng Tư pháp;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    case
}

#[test]
fn writes_indicators_json_in_the_interface_shape() {
    let case = sample_case();
    let report = case.run_all();
    let text = std::fs::read_to_string(case.out().join("indicators.json")).unwrap();
    crate::support::assert_valid_indicators(text.as_bytes());
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "cchc-indicators/1");
    assert_eq!(v["district"], "Huyện Hóc Môn");
    assert_eq!(v["period"]["id"], "2024-Q1");
    assert_eq!(v["period"]["rule"], "nd09");
    assert_eq!(v["period"]["start"], "2023-12-15");
    assert_eq!(v["period"]["end"], "2024-03-14");
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "schema",
            "district",
            "locality",
            "locality_code",
            "period",
            "generated_from",
            "tthc",
            "satisfaction",
            "pakn",
            "self_report",
            "tasks",
            "units_reported",
            "units_missing",
            "unit_texts",
            "targets_not_evaluated",
            "targets",
            "index766"
        ]
    );
    let src = &v["generated_from"][0];
    assert!(src["file"].as_str().unwrap().ends_with("a.csv"));
    assert_eq!(src["rows"], 5);
    assert_eq!(src["quarantined"], 1);
    let bytes = std::fs::read(case.inputs().join("a.csv")).unwrap();
    use sha2::Digest;
    assert_eq!(src["sha256"], format!("{:x}", sha2::Sha256::digest(&bytes)));

    let tthc = v["tthc"].as_array().unwrap();
    let order: Vec<(String, String, String)> = tthc
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap().into(),
                r["unit"].as_str().unwrap().into(),
                r["field"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("huyen".into(), "Phòng Tư pháp".into(), "Chứng thực".into()),
            ("huyen".into(), "Phòng Tư pháp".into(), "Hộ tịch".into()),
            ("xa".into(), "Xã Bà Điểm".into(), "Hộ tịch".into()),
        ]
    );
    let ct = &tthc[0];
    assert_eq!(ct["received_total"], 2);
    assert_eq!(ct["new_online"], 1);
    assert_eq!(ct["new_direct"], 1);
    assert_eq!(ct["resolved_early"], 1);
    assert_eq!(ct["resolved_late"], 1);
    assert_eq!(ct["on_time_rate"], 50.0);
    assert_eq!(ct["late_rate"], 50.0);
    assert_eq!(tthc[1]["new_postal"], 1);
    assert!(tthc[1]["on_time_rate"].is_null() && tthc[1]["late_rate"].is_null());
    assert!(text.contains("\"on_time_rate\": null"));
    // Target 3.1 for Chứng thực: 50 % against >= 99; Hộ tịch has nothing resolved: undecidable.
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(targets[0]["id"], "3.1");
    assert_eq!(targets[0]["scope"], "Chứng thực");
    assert_eq!(targets[0]["value"], 50.0);
    assert_eq!(targets[0]["target"], ">= 99");
    assert_eq!(targets[0]["met"], false);
    assert!(report
        .written
        .iter()
        .any(|p| p.ends_with("chat-luong-du-lieu-2024-Q1.xlsx")));
}

#[test]
fn gives_byte_identical_outputs_on_a_second_run() {
    let case = sample_case();
    case.run_all();
    let json1 = std::fs::read(case.out().join("indicators.json")).unwrap();
    let xlsx1 = std::fs::read(case.out().join("chat-luong-du-lieu-2024-Q1.xlsx")).unwrap();
    case.run_all();
    assert_eq!(
        std::fs::read(case.out().join("indicators.json")).unwrap(),
        json1
    );
    assert_eq!(
        std::fs::read(case.out().join("chat-luong-du-lieu-2024-Q1.xlsx")).unwrap(),
        xlsx1
    );
}

#[test]
fn lists_quarantined_rows_and_the_row_account_in_the_quality_workbook() {
    let case = sample_case();
    case.run_all();
    let book = case.out().join("chat-luong-du-lieu-2024-Q1.xlsx");
    let q = read_sheet(&book, "Hồ sơ cách ly");
    let row = q
        .iter()
        .find(|r| r.iter().any(|c| c == "không có mã hồ sơ"))
        .expect("quarantined row listed");
    assert!(row[1].ends_with("a.csv"));
    assert_eq!(row[2], "a.csv");
    assert_eq!(row[3], "6");
    let summary = read_sheet(&book, "Tổng hợp");
    let file_row = summary
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c.ends_with("a.csv")))
        .unwrap();
    // read 5 = counted 4 + quarantined 1 + duplicate 0 + withdrawn 0 + outside 0
    assert_eq!(&file_row[2..9], ["5", "4", "1", "0", "0", "0", "Đúng"]);
}

#[test]
fn check_writes_only_the_quality_workbook() {
    let case = sample_case();
    cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::QualityOnly)).unwrap();
    let names: Vec<String> = std::fs::read_dir(case.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["chat-luong-du-lieu-2024-Q1.xlsx"]);
}

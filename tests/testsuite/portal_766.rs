//! The portal's published 766 scores as an input kind (`portal_766`, issue 21 item 5): a table
//! among a run's inputs is recognised by its header, its rows accounted for, and in
//! indicators.json it fills the imported indicators and sits beside the estimate, a group off
//! by more than 0,5 points flagged for that unit and group only. The shipped pipeline reports
//! 2024-Q1; its 766 window is the calendar quarter, 01/01 – 31/03/2024.

use serde_json::Value;

use crate::support::{assert_valid_indicators, Case};

const HEADER: &str = "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp;Số hóa hồ sơ;Số hóa kết quả;Phí, lệ phí;Thanh toán trực tuyến";

/// One dossier per commune, both resolved early with an electronic result, digitized:
/// - A1, Xã Bà Điểm: online, fee paid online;
/// - B1, Xã Tân Xuân: in person, no fee.
///
/// Estimate of Xã Bà Điểm by group (index766.toml): tien_do 20 (2.1: 1/1 on time); dvctt 6
/// (3.3: 100 % online, capped at 50 %; 3.1 and 3.2, 6 points, are the portal's); thanh_toan 6
/// (3.6: 1/1 paid online; 3.5 and 3.5b, 4 points, the portal's); so_hoa 10 (4.1: 6, 4.2: 4; 4.cth,
/// 4.3, 4.4, 4.5b without data and 4.5a the portal's: 12 points); hai_long 18 (no PAKN: 6 + 6;
/// 5.4: 1/1 → 6); cong_khai: all 18 points the portal's.
fn dossiers(case: &Case) {
    case.file(
        "ho-so.csv",
        &format!(
            "{HEADER}\n{}\n{}\n",
            "A1;Xã Bà Điểm;Hộ tịch;10/01/2024;20/01/2024;18/01/2024;Đã trả kết quả;Trực tuyến;Có;Có;8000;Có",
            "B1;Xã Tân Xuân;Hộ tịch;05/02/2024;15/02/2024;12/02/2024;Đã trả kết quả;Trực tiếp;Có;Có;;"
        ),
    );
}

/// The portal's table of a window (its title's dates):
/// - Xã Bà Điểm: cong_khai 15; tien_do 20 (= estimate); dvctt 11 (6 + 5 of the portal's 6);
///   thanh_toan 10 (6 + all 4); so_hoa 10 (= estimate: 0 of the 12 cchc does not compute);
///   hai_long 18; total 84;
/// - Xã Tân Xuân: tien_do 18 where the estimate is 20 (2 points off), the rest as allowed;
/// - a unit the registry does not know (quarantined), and the locality's row (passed over).
fn portal(case: &Case, from: &str, to: &str) {
    case.file(
        "cong-dvcqg.csv",
        &format!(
            "Bảng điểm Chỉ số 766 từ ngày {from} đến ngày {to}\n\
             STT;Đơn vị;Công khai, minh bạch;Tiến độ giải quyết;Dịch vụ trực tuyến;Thanh toán trực tuyến;Số hóa hồ sơ;Mức độ hài lòng;Tổng điểm\n\
             1;Xã Bà Điểm;15;20;11;10;10;18;84\n\
             2;Xã Tân Xuân;15;18;6;6;10;18;73\n\
             3;Phường Không Có;10;10;6;5;10;18;59\n\
             4;Toàn huyện;15;19;8,5;8;10;18;78,5\n"
        ),
    );
}

fn entry<'a>(json: &'a Value, unit: &str) -> &'a Value {
    json["index766"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unit"] == unit)
        .unwrap_or_else(|| panic!("no entry for {unit}"))
}

fn indicator<'a>(entry: &'a Value, id: &str) -> &'a Value {
    entry["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}"))
}

fn points_and_source(entry: &Value, id: &str) -> (Option<f64>, String) {
    let i = indicator(entry, id);
    (
        i["points"].as_f64(),
        i["source"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_portal_table_among_the_inputs_fills_the_imported_indicators_and_flags_one_group() {
    let case = Case::new();
    dossiers(&case);
    portal(&case, "01/01/2024", "31/03/2024");
    let r = case.run();
    assert_valid_indicators(&r.indicators_json);
    let i = r
        .files
        .iter()
        .position(|f| f.kind == "portal_766")
        .expect("the table is read as the portal's");
    // 4 rows: 2 units counted, the unknown unit quarantined, the locality's row passed over.
    let a = &r.accounts[i];
    assert_eq!(
        (a.read, a.counted, a.quarantined, a.excluded_outside_period),
        (3, 2, 1, 0)
    );
    assert!(r
        .quarantine
        .iter()
        .any(|q| q.source.file == i && q.source.row == 5 && q.value == "Phường Không Có"));
    let json: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    let generated: Vec<&str> = json["generated_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(generated.contains(&"portal_766"), "{generated:?}");

    let b = entry(&json, "Xã Bà Điểm");
    // thanh_toan: the portal's 10 is the estimate's 6 + all 4 of 3.5 and 3.5b → 2 each.
    assert_eq!(points_and_source(b, "3.5"), (Some(2.0), "portal".into()));
    assert_eq!(points_and_source(b, "3.5b"), (Some(2.0), "portal".into()));
    // so_hoa: the portal's 10 is the estimate → 0 for each indicator cchc could not score.
    assert_eq!(points_and_source(b, "4.5a"), (Some(0.0), "portal".into()));
    assert_eq!(points_and_source(b, "4.3"), (Some(0.0), "portal".into()));
    // cong_khai: 15 of 18 over four indicators does not say each one's points.
    assert_eq!(points_and_source(b, "1.1"), (None, "portal".into()));
    // The computed ones keep the estimate.
    assert_eq!(points_and_source(b, "2.1"), (Some(20.0), "estimate".into()));
    // Every point counted: 20 + 6 + 6 + 10 + 18 estimated, 15 + 5 + 4 + 0 the portal's = 84.
    assert_eq!(
        (b["total"].as_f64(), b["max"].as_f64()),
        (Some(84.0), Some(100.0))
    );
    assert!(b["band"].is_string(), "{b}");
    let groups = b["portal"].as_array().unwrap();
    assert_eq!(groups.len(), 6);
    assert!(groups.iter().all(|g| g["flagged"] == false), "{groups:?}");
    let dvctt = groups.iter().find(|g| g["group"] == "dvctt").unwrap();
    assert_eq!(
        dvctt,
        &serde_json::json!({"group": "dvctt", "estimate": 6.0, "portal": 11.0, "difference": 0.0, "flagged": false})
    );

    // Xã Tân Xuân's progress, 18 where the estimate is 20: the only group flagged.
    let flagged: Vec<(String, String, f64)> = json["index766"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["portal"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|g| g["flagged"] == true)
                .map(move |g| {
                    (
                        e["unit"].as_str().unwrap().to_string(),
                        g["group"].as_str().unwrap().to_string(),
                        g["difference"].as_f64().unwrap(),
                    )
                })
        })
        .collect();
    assert_eq!(
        flagged,
        [("Xã Tân Xuân".to_string(), "tien_do".to_string(), -2.0)]
    );
    // The locality's entry has no portal groups (the portal's row of it is passed over).
    assert!(entry(&json, "Toàn huyện").get("portal").is_none());
}

/// The note above the annex's «Chỉ số 766» table: with the portal's table of the window, where
/// the imported points come from and which unit's group is off; without it, an estimate only.
#[test]
fn the_annex_note_names_the_portal_and_the_flagged_group() {
    let note = |case: &Case| -> String {
        case.run_all();
        let rows =
            crate::support::read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Chỉ số 766");
        rows.into_iter()
            .flatten()
            .find(|c| c.contains("Tổng điểm tính trên"))
            .expect("the sheet's note")
    };
    let with = Case::new();
    dossiers(&with);
    portal(&with, "01/01/2024", "31/03/2024");
    let text = note(&with);
    assert!(
        text.starts_with("Điểm các chỉ tiêu do Cổng DVCQG chấm lấy từ bảng điểm Cổng công bố"),
        "{text}"
    );
    assert!(
        text.contains("lệch điểm Cổng quá 0,5 điểm ở: Xã Tân Xuân — Tiến độ giải quyết (chi tiết"),
        "{text}"
    );
    assert!(!text.contains("Xã Bà Điểm"), "{text}");
    let without = Case::new();
    dossiers(&without);
    let text = note(&without);
    assert!(
        text.starts_with("Ước tính (cchc) từ dữ liệu xuất"),
        "{text}"
    );
    assert!(!text.contains("Cổng công bố;"), "{text}");
}

#[test]
fn a_portal_table_of_another_window_is_outside_the_period() {
    let case = Case::new();
    dossiers(&case);
    portal(&case, "01/10/2023", "31/12/2023");
    let r = case.run();
    assert_valid_indicators(&r.indicators_json);
    let i = r.files.iter().position(|f| f.kind == "portal_766").unwrap();
    let a = &r.accounts[i];
    assert_eq!(
        (a.read, a.counted, a.quarantined, a.excluded_outside_period),
        (3, 0, 1, 2)
    );
    let json: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    let b = entry(&json, "Xã Bà Điểm");
    assert!(b.get("portal").is_none(), "{b}");
    assert_eq!(points_and_source(b, "3.5"), (None, "portal".into()));
    assert_eq!(b["band"], Value::Null);
}

#[test]
fn a_portal_table_without_a_window_stops_the_run_saying_how_to_give_one() {
    let case = Case::new();
    dossiers(&case);
    case.file(
        "cong-dvcqg.csv",
        "Đơn vị;Tiến độ giải quyết;Tổng điểm\nXã Bà Điểm;20;84\n",
    );
    let e = case.run_err();
    assert!(
        e.contains("cong-dvcqg.csv: bảng điểm Cổng DVCQG không ghi kỳ chấm điểm")
            && e.contains("khai báo period trong mục [[inputs]]"),
        "{e}"
    );
}

#[test]
fn the_schema_accepts_the_kinds_of_generated_from() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::root().join("schema/indicators.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let kinds = &schema["properties"]["generated_from"]["items"]["properties"]["kind"]["enum"];
    for k in cchc::kinds::KINDS.iter().map(|k| k.id()) {
        assert!(
            kinds.as_array().unwrap().iter().any(|v| v == k),
            "{k} missing from {kinds}"
        );
    }
}

/// `cchc scorecard` reads a portal table among its inputs like one given with `--portal`: week
/// 2024-W10 (04/03 – 10/03/2024), Xã Tân Xuân's one dossier open and within its due date at the
/// week's end (2.1: 20 points), the portal's progress 18 — flagged, every other group inside
/// what the estimate allows.
#[test]
fn the_scorecard_reconciles_a_portal_table_among_its_inputs() {
    let case = Case::new();
    case.file(
        "ho-so.csv",
        &format!(
            "{HEADER}\nB1;Xã Tân Xuân;Hộ tịch;04/03/2024;20/03/2024;;Đang xử lý;Trực tiếp;Có;;;\n"
        ),
    );
    case.file(
        "cong-dvcqg.csv",
        "Bảng điểm từ ngày 04/03/2024 đến ngày 10/03/2024\n\
         Đơn vị;Công khai, minh bạch;Tiến độ giải quyết;Dịch vụ trực tuyến;Thanh toán trực tuyến;Số hóa hồ sơ;Mức độ hài lòng;Tổng điểm\n\
         Xã Tân Xuân;15;18;6;8;10;18;75\n",
    );
    let req = cchc::scorecard::run::ScorecardRequest {
        pipeline: case.pipeline.clone(),
        periods: "2024-W10".into(),
        inputs: vec![case.inputs()],
        store: None,
        portal: Vec::new(),
        out: Some(case.out()),
        progress: false,
        lost_limit: false,
    };
    let (_, _, windows) = cchc::scorecard::run::compute_request(&req).unwrap();
    let w = &windows[0];
    assert_eq!(
        w.portal_file
            .as_deref()
            .map(|f| f.ends_with("cong-dvcqg.csv")),
        Some(true)
    );
    let flagged: Vec<(&str, &str, Option<f64>)> = w
        .checks
        .iter()
        .filter(|c| c.flagged)
        .map(|c| (c.unit.as_str(), c.group.as_str(), c.difference))
        .collect();
    assert_eq!(flagged, [("Xã Tân Xuân", "tien_do", Some(-2.0))]);
}

/// The table's records are stored and read back: a run from the store writes the bytes of a run
/// from the files.
#[test]
fn a_portal_table_read_back_from_the_store_gives_the_same_figures() {
    let case = Case::new();
    dossiers(&case);
    portal(&case, "01/01/2024", "31/03/2024");
    let plain = case.run();
    let with_store = || {
        let mut r = case.request(cchc::pipeline::Outputs::Nothing);
        r.store = Some(case.dir.path().join("store"));
        cchc::pipeline::run(&r).unwrap()
    };
    let first = with_store();
    assert_eq!(first.files_read, 2);
    let again = with_store();
    assert_eq!(again.files_read, 0, "unchanged files are not read again");
    assert_eq!(again.indicators_json, plain.indicators_json);
    assert_eq!(again.accounts, plain.accounts);
}

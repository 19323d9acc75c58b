//! Each kind owns its part of the configuration (`src/config/part.rs`): the settings that moved
//! out of the pipeline file — `withdrawn` into the dossier vocabulary, `[pakn_deadlines]` into
//! `pakn.toml` as `[deadlines]` — still work where old pipeline files write them, with a warning
//! that says where they now live; a kind's file is refused with what to add when a setting is
//! missing from both places.

use std::process::Command;

use crate::support::Case;

/// A PAKN list: A-1 answered on 29/01 is on time under 15 working days, late under 10.
const PAKN: &str = "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Trạng thái;Ngày trả lời;Ngày công khai;Công khai\nA-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã trả lời;29/01/2024;;\n";
/// A dossier list: HS-0 counts; W-1 withdrawn on 10/02 counts only as resolved on time.
const DOSSIERS: &[&str] = &[
    "HS-0;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
    "W-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;10/02/2024;Đã rút hồ sơ;Trực tiếp",
];

/// Runs the binary on a case; its status, the indicators and what it printed on stderr.
fn run(case: &Case) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args([
            "run",
            case.pipeline.to_str().unwrap(),
            "--no-store",
            "--period",
            "2024-Q1",
        ])
        .arg("--input")
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    let json = std::fs::read(case.out().join("indicators.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn reads_the_settings_that_moved_where_old_pipelines_write_them_and_says_where_they_live() {
    let case = Case::with_pipeline_edit(
        "period_rule = \"nd09\"",
        "period_rule = \"nd09\"\nwithdrawn = \"resolved_on_time\"",
    );
    let mut text = std::fs::read_to_string(&case.pipeline).unwrap();
    text.push_str("\n[pakn_deadlines]\nanswer = 10\nrefuse = 2\ntransfer = 5\n");
    std::fs::write(&case.pipeline, text).unwrap();
    case.file("pakn.csv", PAKN);
    case.csv("hs.csv", DOSSIERS);
    let (ok, json, stderr) = run(&case);
    assert!(ok, "{stderr}");
    // answer = 10 from the pipeline file: A-1 (due 22/01) closed late.
    assert_eq!(json["pakn"][0]["closed_late"], 1, "{json}");
    // resolved_on_time from the pipeline file: the withdrawal counts, resolved on time.
    assert_eq!(json["tthc"][0]["resolved_total"], 2, "{json}");
    assert!(
        stderr.contains("thời hạn xử lý PAKN ([pakn_deadlines] trong")
            && stderr.contains("pakn.toml là mục [deadlines]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cách tính hồ sơ rút (withdrawn trong")
            && stderr.contains("vocabulary.toml (withdrawn = \"resolved_on_time\")"),
        "{stderr}"
    );
}

#[test]
fn reads_the_moved_settings_from_their_new_home_without_a_warning() {
    let case = Case::with_config_edit("pakn.toml", "answer = 15", "answer = 10");
    case.file("pakn.csv", PAKN);
    case.csv("hs.csv", DOSSIERS);
    let (ok, json, stderr) = run(&case);
    assert!(ok, "{stderr}");
    assert_eq!(json["pakn"][0]["closed_late"], 1, "{json}");
    // The shipped vocabulary excludes withdrawals.
    assert_eq!(json["tthc"][0]["resolved_total"], 1, "{json}");
    assert!(!stderr.contains("nay khai báo trong"), "{stderr}");
}

#[test]
fn refuses_pakn_settings_without_deadlines_and_says_what_to_add() {
    let case = Case::with_config_edit("pakn.toml", "[deadlines]\n", "[unused]\n");
    let text = std::fs::read_to_string(case.pipeline.with_file_name("pakn.toml")).unwrap();
    let cut = text.find("[unused]").unwrap();
    std::fs::write(case.pipeline.with_file_name("pakn.toml"), &text[..cut]).unwrap();
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("pakn.toml: thiếu thời hạn xử lý PAKN; thêm mục\n[deadlines]\nanswer = 15"),
        "{stderr}"
    );
}

#[test]
fn reads_a_kind_file_the_pipeline_names_under_another_name() {
    let case = Case::with_pipeline_edit("pakn = \"pakn.toml\"", "pakn = \"pakn-xa.toml\"");
    let dir = case.pipeline.parent().unwrap();
    let text = std::fs::read_to_string(dir.join("pakn.toml")).unwrap();
    std::fs::write(
        dir.join("pakn-xa.toml"),
        text.replace("answer = 15", "answer = 10"),
    )
    .unwrap();
    case.file("pakn.csv", PAKN);
    let (ok, json, stderr) = run(&case);
    assert!(ok, "{stderr}");
    assert_eq!(json["pakn"][0]["closed_late"], 1, "{json}");
}

/// A pipeline whose `report-sections.toml` has `from` replaced by `to`.
fn with_sections(from: &str, to: &str) -> Case {
    Case::with_config_edit("report-sections.toml", from, to)
}

#[test]
fn refuses_a_plan_section_the_report_does_not_have_and_names_the_ones_it_has() {
    // II.1 (the_che) no longer takes tasks: the plan's section 2 still sends its tasks there.
    let case = with_sections(
        "id = \"the_che\"\nnarrative = true\nunits = true\nplan = true",
        "id = \"the_che\"\nnarrative = true\nunits = true",
    );
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("đưa vào phần «the_che» của báo cáo, phần này không có (các phần: chi_dao, thu_tuc, bo_may, cong_vu, tai_chinh, chinh_quyen_so)"),
        "{stderr}"
    );
}

#[test]
fn refuses_units_words_for_a_section_units_do_not_write_for() {
    // III.1 (ket_qua) no longer open to the units: self-report.toml still asks for it.
    let case = with_sections("id = \"ket_qua\"\nunits = true", "id = \"ket_qua\"");
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("id «ket_qua» không có (các mục báo cáo: chi_dao, the_che, thu_tuc, bo_may, cong_vu, tai_chinh, chinh_quyen_so, han_che, phuong_huong, kien_nghi)"),
        "{stderr}"
    );
}

#[test]
fn reads_a_pipeline_without_report_sections_with_the_shipped_list() {
    let case = Case::with_pipeline_edit("period_rule = \"nd09\"", "period_rule = \"nd09\"");
    std::fs::remove_file(case.pipeline.with_file_name("report-sections.toml")).unwrap();
    case.csv("hs.csv", DOSSIERS);
    let (ok, json, stderr) = run(&case);
    assert!(ok, "{stderr}");
    assert_eq!(json["tthc"][0]["resolved_total"], 1, "{json}");
    let report = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(report.contains("Công tác chỉ đạo, điều hành"), "{report}");
}

#[test]
fn refuses_a_report_section_declared_twice() {
    let case = with_sections(
        "id = \"danh_gia\"\nnarrative = true",
        "id = \"danh_gia\"\nnarrative = true\n\n[[sections]]\nid = \"danh_gia\"",
    );
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("report-sections.toml: phần «danh_gia» được khai báo hai lần; hãy xóa một trong hai khai báo"),
        "{stderr}"
    );
}

/// A pipeline folder made before the statistics kind existed has no `system-statistics.toml`: it
/// still loads and runs, with the shipped words (a new kind must not break an old folder).
#[test]
fn a_folder_without_the_statistics_words_uses_the_shipped_ones() {
    let case = Case::with_config_edit("quarterly.toml", "period", "period");
    let words = case
        .pipeline
        .parent()
        .unwrap()
        .join("system-statistics.toml");
    std::fs::remove_file(&words).unwrap();
    case.csv(
        "ho-so.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;2024-01-02;2024-01-05;2024-01-04;Đã trả kết quả;Trực tuyến"],
    );
    let r = case.run();
    assert_eq!(r.accounts[0].counted, 1);
    let p = cchc::kinds::load_pipeline(&case.pipeline).unwrap();
    assert!(!p.config_files.contains(&words), "{:?}", p.config_files);
}

#[test]
fn a_target_naming_a_measure_no_kind_offers_is_refused_naming_the_file_the_target_and_the_known_ones(
) {
    let case = Case::with_config_edit(
        "targets.toml",
        "measure = \"pakn_published_share\"",
        "measure = \"pakn_publish_share\"",
    );
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("targets.toml: chỉ tiêu 5: số đo (measure) «pakn_publish_share» không có"),
        "{stderr}"
    );
    // The known measures, as the kinds offer them: a rate of each kind and the PAKN count.
    for known in [
        "on_time_rate",
        "online_share",
        "satisfaction_rate",
        "pakn_published_share",
        "pakn_pending_overdue",
        "self_report",
    ] {
        assert!(stderr.contains(known), "{known}: {stderr}");
    }
}

#[test]
fn a_target_on_a_measure_outside_its_scopes_is_refused_naming_the_scopes_it_takes() {
    let case = Case::with_config_edit(
        "targets.toml",
        "measure = \"pakn_published_share\"\nscope = \"district\"",
        "measure = \"pakn_pending_overdue\"\nscope = \"field\"",
    );
    case.csv("hs.csv", DOSSIERS);
    let (ok, _, stderr) = run(&case);
    assert!(!ok);
    assert!(
        stderr.contains("chỉ tiêu 5: số đo «pakn_pending_overdue» không tính theo phạm vi «field»; số đo này xét theo: level, district"),
        "{stderr}"
    );
}

#[test]
fn the_schema_lists_the_measures_the_kinds_offer() {
    fn measure_enums(v: &serde_json::Value, out: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(list) = map
                    .get("measure")
                    .and_then(|m| m.get("enum"))
                    .and_then(|e| e.as_array())
                {
                    out.push(
                        list.iter()
                            .map(|x| x.as_str().unwrap().to_string())
                            .collect(),
                    );
                }
                map.values().for_each(|x| measure_enums(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| measure_enums(x, out)),
            _ => {}
        }
    }
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::root().join("schema/indicators.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let mut enums = Vec::new();
    measure_enums(&schema, &mut enums);
    let mut offered: Vec<String> = cchc::kinds::measures()
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    offered.sort();
    assert!(!enums.is_empty());
    for mut e in enums {
        e.sort();
        assert_eq!(e, offered);
    }
}

//! Any locality by configuration: the commune pipeline shipped beside the district's
//! (`pipelines/xa-hoc-mon/`), run on its own sample, speaks only of the commune (`cchc init`
//! of a commune: `commune_setup.rs`).

use std::path::Path;

use cchc::pipeline::{self, Outputs, RunRequest};

use crate::support::{assert_valid_indicators, output_texts, root};

fn commune_run(out: &Path) -> cchc::pipeline::RunReport {
    pipeline::run(&RunRequest {
        pipeline: root().join("pipelines/xa-hoc-mon/quarterly.toml"),
        period: None,
        inputs: Vec::new(),
        out: Some(out.to_path_buf()),
        outputs: Outputs::All,
        progress: false,
        store: None,
        all_stored: false,
    })
    .unwrap_or_else(|e| panic!("{e:#}"))
}

/// Whether a text speaks of a district: "huyện" in any case, NFC or NFD.
fn mentions_a_district(text: &str) -> bool {
    cchc::text::match_key(text).contains("huyện")
}

#[test]
fn writes_the_six_outputs_of_a_commune_without_the_word_huyen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = commune_run(&out);
    assert_eq!(r.period.id, "2025-Q4");
    let names: Vec<String> = r
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for want in [
        "indicators.json",
        "bao-cao-cchc-2025-Q4.docx",
        "bao-cao-cchc-2025-Q4.html",
        "phu-luc-2025-Q4.xlsx",
        "chat-luong-du-lieu-2025-Q4.xlsx",
        "cong-khai-2025-Q4.html",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} not written: {names:?}"
        );
    }
    for (file, text) in output_texts(&out) {
        assert!(!mentions_a_district(&text), "{file} speaks of a district");
    }
    let summary = cchc::summary::run_summary(&r);
    assert!(!mentions_a_district(&summary), "{summary}");
    assert!(
        summary.starts_with("Xã Hóc Môn — quý IV năm 2025"),
        "{summary}"
    );
    // Every kind of the commune is read and counted, on one level of units.
    assert_valid_indicators(&r.indicators_json);
    let v: serde_json::Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert_eq!(v["locality"], "Xã Hóc Môn");
    for kind in ["tthc", "satisfaction", "pakn"] {
        let rows = v[kind].as_array().unwrap();
        assert!(!rows.is_empty(), "{kind} is empty");
        assert!(rows.iter().all(|row| row["level"] == "xa"), "{kind}");
    }
    for a in &r.accounts {
        assert!(a.balances(), "{a:?}");
    }
    // The report's header is the commune's, under the city.
    let html = std::fs::read_to_string(out.join("bao-cao-cchc-2025-Q4.html")).unwrap();
    assert!(html.contains("THÀNH PHỐ HỒ CHÍ MINH"));
    assert!(html.contains("XÃ HÓC MÔN"));
    assert!(html.contains("- Toàn xã tiếp nhận"));
    assert!(html.contains("Ủy ban nhân dân xã Hóc Môn báo cáo"));
    // One level: no «theo cấp» table or level lines repeating the whole commune's figures.
    assert!(!html.contains("theo cấp"));
    assert!(!html.contains("<p>- Các cơ quan, đơn vị của xã: tiếp nhận"));
    let texts = crate::support::output_texts(&out);
    let (_, docx) = texts
        .iter()
        .find(|(n, _)| n == "bao-cao-cchc-2025-Q4.docx/word/document.xml")
        .unwrap();
    assert!(!docx.contains("theo cấp"));
    assert!(docx.contains("Toàn xã tiếp nhận"));
}

#[test]
fn keeps_the_district_pipeline_a_district() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("huyen-moi");
    cchc::commands::init(&new, &cchc::commands::InitOptions::default()).unwrap();
    let text = std::fs::read_to_string(new.join("quarterly.toml")).unwrap();
    assert!(text.contains("district = \"Huyện Hóc Môn\""), "{text}");
    let units = std::fs::read_to_string(new.join("units.toml")).unwrap();
    assert!(units.contains("label = \"Cấp huyện\""));
}

#[test]
fn refuses_a_locality_code_not_in_the_official_list_naming_the_closest_units() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("xa").join("quarterly.toml");
    let text = std::fs::read_to_string(root().join("pipelines/xa-hoc-mon/quarterly.toml"))
        .unwrap()
        .replace("locality_code = \"27559\"", "locality_code = \"27560\"");
    std::fs::create_dir_all(pipeline.parent().unwrap()).unwrap();
    std::fs::write(&pipeline, text).unwrap();
    let err = format!("{:#}", cchc::kinds::load_pipeline(&pipeline).unwrap_err());
    assert!(
        err.contains("locality_code = «27560» không có trong danh mục"),
        "{err}"
    );
    // The closest names to «Xã Hóc Môn», the right one first, and what to do.
    assert!(
        err.contains("Xã Hóc Môn (Thành phố Hồ Chí Minh, Xã) mã 27559"),
        "{err}"
    );
    assert!(err.contains("Hãy ghi đúng mã"), "{err}");
}

//! The binary's commands as a person types them: thin wrappers whose output and files are
//! checked end to end.

use std::process::Command;

use crate::support::{shipped_pipeline, Case};

fn cchc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
}

const ROW: &str =
    "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến";

#[test]
fn runs_and_prints_the_summary_with_every_file_written() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let out = cchc()
        .args([
            "run",
            shipped_pipeline().to_str().unwrap(),
            "--no-store",
            "-q",
            "--input",
        ])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Đã đọc 1 tệp, 1 dòng hồ sơ: tính vào kỳ 1, cách ly 0"),
        "{stdout}"
    );
    // One dossier decides 3.1 for its field; the targets it cannot decide are listed with why.
    assert!(
        stdout.contains("Chỉ tiêu: 1 đạt, 0 không đạt, "),
        "{stdout}"
    );
    assert!(stdout.contains("chưa đánh giá được: "), "{stdout}");
    for name in [
        "indicators.json",
        "phu-luc-2024-Q1.xlsx",
        "chat-luong-du-lieu-2024-Q1.xlsx",
        "bao-cao-cchc-2024-Q1.docx",
        "bao-cao-cchc-2024-Q1.html",
        "cong-khai-2024-Q1.html",
    ] {
        assert!(case.out().join(name).exists(), "{name} missing");
        assert!(stdout.contains(name), "{name} not in the summary");
    }
}

#[test]
fn checks_inputs_writing_only_the_quality_workbook_and_no_store() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let out = cchc()
        .args([
            "check",
            shipped_pipeline().to_str().unwrap(),
            "-q",
            "--input",
        ])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .current_dir(case.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(case.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["chat-luong-du-lieu-2024-Q1.xlsx"]);
}

#[test]
fn prints_the_submission_file_with_indicators_json() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let out = cchc()
        .args([
            "indicators",
            shipped_pipeline().to_str().unwrap(),
            "--no-store",
            "--format",
            "json",
            "--input",
        ])
        .arg(case.inputs())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "cchc-indicators/1");
    assert_eq!(v["tthc"][0]["new_online"], 1);
}

#[test]
fn creates_a_pipeline_folder_that_runs() {
    let case = Case::new();
    let dir = case.dir.path().join("quan-moi");
    let out = cchc().arg("init").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "quarterly.toml",
        "vocabulary.toml",
        "units.toml",
        "fields.toml",
        "targets.toml",
        "templates/annexes/bieu-06.toml",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    std::fs::write(
        dir.join("du-lieu/a.csv"),
        format!("{}\n{ROW}\n", crate::support::HEADER),
    )
    .unwrap();
    let run = cchc()
        .args([
            "run",
            dir.join("quarterly.toml").to_str().unwrap(),
            "-q",
            "--out",
        ])
        .arg(case.out())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        dir.join("store/manifest.json").exists(),
        "the store sits beside the pipeline"
    );
    let again = cchc().arg("init").arg(&dir).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã có; không ghi đè"));
}

#[test]
fn writes_one_folder_per_period_of_a_range() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let out = cchc()
        .args([
            "run",
            shipped_pipeline().to_str().unwrap(),
            "--no-store",
            "-q",
            "--period",
            "2023-Q4..2024-Q1",
            "--input",
        ])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(case.out().join("2023-Q4/indicators.json").exists());
    assert!(case
        .out()
        .join("2024-Q1/bao-cao-cchc-2024-Q1.docx")
        .exists());
}

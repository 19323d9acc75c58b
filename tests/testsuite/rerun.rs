//! Re-running with nothing changed keeps the outputs of the earlier run; any change to what the
//! outputs depend on — an input, the configuration, an output itself — computes again.

use std::process::Command;

use cchc::pipeline::Outputs;
use cchc::rerun::{run_or_reuse, RunOutcome};

use crate::support::{shipped_pipeline, Case};

const ROW: &str =
    "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến";
const LATE: &str =
    "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;09/02/2024;Đã trả kết quả;Trực tuyến";

fn run(case: &Case, force: bool) -> RunOutcome {
    run_or_reuse(&case.request(Outputs::All), force).unwrap_or_else(|e| panic!("{e:#}"))
}

fn modified(case: &Case, name: &str) -> std::time::SystemTime {
    std::fs::metadata(case.out().join(name))
        .unwrap()
        .modified()
        .unwrap()
}

#[test]
fn keeps_the_outputs_of_a_run_whose_inputs_and_configuration_are_unchanged() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let first = run(&case, false);
    assert!(!first.reused);
    let written = modified(&case, "phu-luc-2024-Q1.xlsx");
    let second = run(&case, false);
    assert!(second.reused);
    assert_eq!(second.summary, first.summary);
    assert_eq!(modified(&case, "phu-luc-2024-Q1.xlsx"), written);
}

#[test]
fn a_forced_run_leaves_the_stamp_an_unchanged_run_reuses() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    assert!(!run(&case, false).reused);
    // Forced, the inputs are hashed as the run reads them, not before: the stamp is the same.
    let forced = run(&case, true);
    assert!(!forced.reused);
    let again = run(&case, false);
    assert!(again.reused);
    assert_eq!(again.summary, forced.summary);
}

#[test]
fn computes_again_when_an_input_changes() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let first = run(&case, false);
    assert!(
        first.summary.contains("đúng hạn 100,00 %"),
        "{}",
        first.summary
    );
    case.csv("a.csv", &[ROW, LATE]);
    let second = run(&case, false);
    assert!(!second.reused);
    // One of two resolved on time.
    assert!(
        second.summary.contains("đúng hạn 50,00 %"),
        "{}",
        second.summary
    );
}

#[test]
fn computes_again_when_an_output_was_removed_or_edited() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    run(&case, false);
    std::fs::remove_file(case.out().join("phu-luc-2024-Q1.xlsx")).unwrap();
    assert!(!run(&case, false).reused);
    assert!(case.out().join("phu-luc-2024-Q1.xlsx").exists());
    std::fs::write(case.out().join("indicators.json"), "{}").unwrap();
    assert!(!run(&case, false).reused);
    assert_ne!(
        std::fs::read_to_string(case.out().join("indicators.json")).unwrap(),
        "{}"
    );
}

#[test]
fn computes_again_when_a_configuration_file_changes() {
    let case = Case::with_pipeline_edit("[report]", "[report]");
    case.csv("a.csv", &[ROW]);
    run(&case, false);
    assert!(run(&case, false).reused);
    let targets = case.pipeline.parent().unwrap().join("targets.toml");
    let text = std::fs::read_to_string(&targets).unwrap();
    std::fs::write(&targets, format!("{text}\n# sửa\n")).unwrap();
    assert!(!run(&case, false).reused);
}

#[test]
fn computes_again_when_forced() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    run(&case, false);
    assert!(!run(&case, true).reused);
}

#[test]
fn says_so_when_the_command_keeps_the_earlier_outputs() {
    let case = Case::new();
    case.csv("a.csv", &[ROW]);
    let cchc = || {
        let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
            .args([
                "run",
                shipped_pipeline().to_str().unwrap(),
                "--no-store",
                "-q",
            ])
            .arg("--input")
            .arg(case.inputs())
            .arg("--out")
            .arg(case.out())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let first = cchc();
    let second = cchc();
    assert!(!first.contains("không tính lại"), "{first}");
    // Both open with the pipeline and its locality; then the kept summary, said to be kept.
    let heading = format!(
        "Quy trình \"{}\" — Huyện Hóc Môn\n",
        shipped_pipeline().display()
    );
    let first = first.strip_prefix(&heading).expect("the heading first");
    let second = second.strip_prefix(&heading).expect("the heading first");
    assert!(second.starts_with(cchc::summary::REUSED), "{second}");
    assert!(second.ends_with(first), "{second}");
}

//! Exports this project never saw: hand-built by an outside party from the spec alone
//! (`fixtures/external/`, see its README), with the figures worked out by hand. Every count must
//! match.

use std::path::Path;

use serde_json::Value;

use crate::support::{root, Case};

fn check_case(name: &str) {
    let dir = root().join("fixtures/external").join(name);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let case = Case::new().period(expected["period"].as_str().unwrap());
    let mut request = case.request(cchc::pipeline::Outputs::Nothing);
    request.inputs = vec![dir.join("inputs")];
    let report = cchc::pipeline::run(&request).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    let got: Value = serde_json::from_slice(&report.indicators_json).unwrap();
    assert_eq!(got["tthc"], expected["tthc"], "{name}: tthc differs");
    let files = got["generated_from"].as_array().unwrap();
    let expected_files = expected["files"].as_array().unwrap();
    assert_eq!(files.len(), expected_files.len(), "{name}: number of files");
    for e in expected_files {
        let file = e["file"].as_str().unwrap();
        let g = files
            .iter()
            .find(|f| Path::new(f["file"].as_str().unwrap()).file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("{name}: {file} not read"));
        assert_eq!(g["rows"], e["rows"], "{name}: rows of {file}");
        assert_eq!(
            g["quarantined"], e["quarantined"],
            "{name}: quarantined rows of {file}"
        );
    }
    for a in &report.accounts {
        assert!(a.balances(), "{name}: {a:?}");
    }
}

#[test]
fn matches_the_city_system_xlsx_with_merged_headers_and_footer() {
    check_case("c1-xlsx-he-thong-thanh-pho");
}

#[test]
fn matches_the_commune_csv_with_bom_nfd_and_text_dates() {
    check_case("c2-csv-mot-cua-xa");
}

#[test]
fn matches_the_xls_and_ods_lists() {
    check_case("c3-xls-ods-xa");
}

#[test]
fn matches_overlapping_re_exports_and_bad_rows() {
    check_case("c4-trung-lap-va-dong-loi");
}

#[test]
fn matches_a_second_quarter_with_carried_over_dossiers() {
    check_case("c5-quy-2-ton-dong");
}

//! Exports this project never saw: hand-built by an outside party from the spec alone
//! (`fixtures/external/`, see its README), with the figures worked out by hand. Every count must
//! match, and no personal value the case lists may reach any output.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{assert_valid_indicators, output_texts, root, Case};

fn check_case(name: &str) {
    let dir = root().join("fixtures/external").join(name);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let case = Case::new().period(expected["period"].as_str().unwrap());
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.inputs = vec![dir.join("inputs")];
    if let Some(reason) = expected["error"].as_str() {
        let err = match cchc::pipeline::run(&request) {
            Ok(_) => panic!("{name}: the run should have stopped"),
            Err(e) => format!("{e:#}"),
        };
        let file = expected["error_file"].as_str().unwrap();
        assert!(err.contains(file) && err.contains(reason), "{name}: {err}");
        assert!(!case.out().exists(), "{name}: nothing may be written");
        return;
    }
    let report = cchc::pipeline::run(&request).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_valid_indicators(&report.indicators_json);
    let got: Value = serde_json::from_slice(&report.indicators_json).unwrap();
    for kind in ["tthc", "satisfaction", "pakn"] {
        if let Some(rows) = expected.get(kind) {
            assert_eq!(&got[kind], rows, "{name}: {kind} differs");
        }
    }
    let files = got["generated_from"].as_array().unwrap();
    let expected_files = expected["files"].as_array().unwrap();
    assert_eq!(files.len(), expected_files.len(), "{name}: number of files");
    for e in expected_files {
        let file = e["file"].as_str().unwrap();
        let i = files
            .iter()
            .position(|f| Path::new(f["file"].as_str().unwrap()).file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("{name}: {file} not read"));
        let g = &files[i];
        assert_eq!(g["rows"], e["rows"], "{name}: rows of {file}");
        assert_eq!(
            g["quarantined"], e["quarantined"],
            "{name}: quarantined rows of {file}"
        );
        if let Some(kind) = e.get("kind") {
            assert_eq!(&g["kind"], kind, "{name}: kind of {file}");
        }
        let a = &report.accounts[i];
        if let Some(d) = e["duplicates"].as_u64() {
            assert_eq!(a.duplicate, d, "{name}: duplicates of {file}");
        }
        if let Some(x) = e["excluded"].as_u64() {
            assert_eq!(
                a.excluded_withdrawn + a.excluded_outside_period,
                x,
                "{name}: excluded rows of {file}"
            );
        }
    }
    for t in expected["targets"].as_array().into_iter().flatten() {
        let id = t["id"].as_str().unwrap();
        let value = t["value"].as_f64().unwrap();
        let found = got["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id && (g["value"].as_f64().unwrap() - value).abs() < 0.005);
        let found = found
            .unwrap_or_else(|| panic!("{name}: no target {id} = {value} in {}", got["targets"]));
        assert_eq!(found["met"], t["met"], "{name}: target {id}");
    }
    for a in &report.accounts {
        assert!(a.balances(), "{name}: {a:?}");
    }
    let texts = output_texts(&case.out());
    for p in expected["personal"].as_array().into_iter().flatten() {
        let p = p.as_str().unwrap();
        for (file, text) in &texts {
            assert!(!text.contains(p), "{name}: «{p}» is in {file}");
        }
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

#[test]
fn matches_district_evaluations_with_every_rating_word_and_bad_rows() {
    check_case("s1-danh-gia-xlsx-huyen");
}

#[test]
fn matches_commune_evaluations_linked_to_their_dossiers() {
    check_case("s2-csv-xa-lien-ket-ho-so");
}

#[test]
fn matches_school_and_health_station_surveys_for_target_4_1() {
    check_case("s3-y-te-giao-duc-ods-xls");
}

#[test]
fn matches_three_level_summaries_and_paper_evaluations() {
    check_case("s4-tong-hop-ba-muc-xlsx-ods");
}

#[test]
fn matches_re_exported_evaluations_and_excludes_a_summary_of_another_quarter() {
    check_case("s5-quy-2-ky-khac");
}

#[test]
fn stops_on_a_summary_whose_period_is_stated_nowhere() {
    check_case("s6-tong-hop-khong-ro-ky");
}

#[test]
fn matches_the_national_portal_pakn_list_across_tet() {
    check_case("p1-cong-quoc-gia-xlsx");
}

#[test]
fn matches_the_1022_csv_and_a_commune_pakn_register() {
    check_case("p2-1022-va-xa-csv-ods");
}

#[test]
fn matches_duplicate_pakn_and_every_quarantine_reason() {
    check_case("p3-trung-lap-va-loi");
}

#[test]
fn matches_a_second_quarter_of_pakn_across_the_april_holidays() {
    check_case("p4-quy-2-nghi-le");
}

/// Two JSON values are the same figure: numbers within 0.005 (17 = 17.0), anything else equal.
fn same_figure(got: &Value, want: &Value) -> bool {
    match (got.as_f64(), want.as_f64()) {
        (Some(a), Some(b)) => (a - b).abs() < 0.005,
        _ => got == want,
    }
}

fn listed(list: &Value, number: &Value) -> bool {
    list.as_array().is_some_and(|a| a.contains(number))
}

fn unit_names(rows: &Value) -> BTreeSet<String> {
    rows.as_array()
        .unwrap_or_else(|| panic!("not an array: {rows}"))
        .iter()
        .map(|r| r["unit"].as_str().unwrap().to_string())
        .collect()
}

/// A self-report case (`t…`, see fixtures/external/README.md): returned unit forms, checked
/// against the hand-worked `tasks`, `self_report`, `units_reported` / `units_missing` and the
/// rows / quarantined of every form of the period.
fn check_self_report_case(name: &str) {
    let dir = root().join("fixtures/external").join(name);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let case = Case::new().period(expected["period"].as_str().unwrap());
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.inputs = vec![dir.join("inputs")];
    let report = cchc::pipeline::run(&request).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_valid_indicators(&report.indicators_json);
    let got: Value = serde_json::from_slice(&report.indicators_json).unwrap();

    let files = got["generated_from"].as_array().unwrap();
    for e in expected["files"].as_array().unwrap() {
        if e["rows"].is_null() {
            continue; // a form of another quarter, read only for the year-to-date figures
        }
        let file = e["file"].as_str().unwrap();
        let g = files
            .iter()
            .find(|f| Path::new(f["file"].as_str().unwrap()).file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("{name}: {file} not read"));
        assert_eq!(g["kind"], e["kind"], "{name}: kind of {file}");
        assert_eq!(g["rows"], e["rows"], "{name}: rows of {file}");
        match &e["quarantined"] {
            Value::Null => {}
            Value::Array(one_of) => assert!(
                one_of.contains(&g["quarantined"]),
                "{name}: quarantined rows of {file}: {} not in {one_of:?}",
                g["quarantined"]
            ),
            q => assert_eq!(&g["quarantined"], q, "{name}: quarantined rows of {file}"),
        }
    }

    if let Some(rows) = expected["self_report"].as_array() {
        let got_rows = got["self_report"].as_array().unwrap();
        for e in rows {
            let g = got_rows
                .iter()
                .find(|g| {
                    g["question"] == e["question"]
                        && g["level"] == e["level"]
                        && g["unit"] == e["unit"]
                })
                .unwrap_or_else(|| panic!("{name}: no self_report row {e}"));
            for (k, v) in e.as_object().unwrap() {
                assert!(
                    same_figure(&g[k.as_str()], v),
                    "{name}: {k} of {e}: got {}",
                    g[k.as_str()]
                );
            }
        }
        for q in expected["self_report_questions"].as_array().unwrap() {
            let units = |rows: &[Value]| -> BTreeSet<String> {
                rows.iter()
                    .filter(|r| r["question"] == *q && !r["unit"].is_null())
                    .map(|r| r["unit"].as_str().unwrap().to_string())
                    .collect()
            };
            assert_eq!(
                units(got_rows.as_slice()),
                units(rows.as_slice()),
                "{name}: units whose answer to {q} counts"
            );
        }
    }

    if let Some(tasks) = expected["tasks"].as_array() {
        let got_tasks = got["tasks"].as_array().unwrap();
        assert_eq!(got_tasks.len(), tasks.len(), "{name}: number of tasks");
        let not_due = &expected["tasks_not_asserted"]["due"];
        let not_status = &expected["tasks_not_asserted"]["status"];
        for (g, e) in got_tasks.iter().zip(tasks) {
            let n = &e["number"];
            assert_eq!(&g["number"], n, "{name}: tasks in the appendix order");
            assert_eq!(g["section"], e["section"], "{name}: section of {n}");
            if !listed(not_status, n) {
                assert_eq!(g["status"], e["status"], "{name}: status of {n}");
                assert_eq!(g["late"], e["late"], "{name}: late of {n}");
            }
            if !listed(not_due, n) {
                assert_eq!(g["due"], e["due"], "{name}: due of {n}");
            }
            let leads = |v: &Value| -> BTreeSet<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect()
            };
            assert_eq!(
                leads(&g["leads"]),
                leads(&e["leads"]),
                "{name}: leads of {n}"
            );
        }
    }

    for key in ["units_reported", "units_missing"] {
        assert_eq!(
            unit_names(&got[key]),
            unit_names(&expected[key]),
            "{name}: {key}"
        );
    }
    for a in &report.accounts {
        assert!(a.balances(), "{name}: {a:?}");
    }
}

#[test]
fn matches_the_plan_tasks_reported_on_unit_forms() {
    check_self_report_case("t1-nhiem-vu-tien-do");
}

#[test]
fn quarantines_bad_task_rows_and_counts_the_rest_of_the_form() {
    check_self_report_case("t2-nhiem-vu-dong-loi");
}

#[test]
fn matches_unit_answers_aggregated_by_sum_ratio_and_share_of_yes() {
    check_self_report_case("t3-so-lieu-don-vi");
}

#[test]
fn matches_a_second_quarter_with_year_to_date_answers_and_quarterly_tasks() {
    check_self_report_case("t4-quy-2-luy-ke");
}

/// A real system's layout (`r…`, see fixtures/external/README.md): read with the shipped
/// configuration, the `tthc` rows of `expected.json` but the keys of `not_asserted` (`new_unknown`
/// is cchc's `new_unknown_channel`), the rows and quarantined rows of each file, the dossiers
/// excluded as withdrawn and as never received (listed), the units warned about as not in the
/// registry, the summary's count of dossiers of unknown channel, and no personal value anywhere.
fn check_real_case(name: &str) {
    let dir = root().join("fixtures/external").join(name);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let case = Case::new().period(expected["period"].as_str().unwrap());
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.inputs = vec![dir.join("inputs")];
    let report = cchc::pipeline::run(&request).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_valid_indicators(&report.indicators_json);
    let got: Value = serde_json::from_slice(&report.indicators_json).unwrap();

    let skip: Vec<&str> = expected["not_asserted"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let key = |r: &Value| (r["unit"].to_string(), r["field"].to_string());
    let got_rows = got["tthc"].as_array().unwrap();
    let want_rows = expected["tthc"].as_array().unwrap();
    let got_keys: BTreeSet<_> = got_rows.iter().map(key).collect();
    let want_keys: BTreeSet<_> = want_rows.iter().map(key).collect();
    assert_eq!(got_keys, want_keys, "{name}: tthc rows");
    let mut unknown_channel = 0;
    for want in want_rows {
        let row = got_rows.iter().find(|g| key(g) == key(want)).unwrap();
        for (k, w) in want.as_object().unwrap() {
            if skip.contains(&k.as_str()) {
                continue;
            }
            let g = match k.as_str() {
                "new_unknown" => row.get("new_unknown_channel").cloned().unwrap_or(0.into()),
                _ => row[k].clone(),
            };
            assert!(
                same_figure(&g, w),
                "{name}: {k} of {:?}: {g} ≠ {w}",
                key(want)
            );
        }
        unknown_channel += row["new_unknown_channel"].as_u64().unwrap_or(0);
    }
    if expected["channel_unknown"] == Value::Bool(true) {
        let want: u64 = want_rows
            .iter()
            .map(|r| r["new_unknown"].as_u64().unwrap())
            .sum();
        assert_eq!(unknown_channel, want, "{name}: dossiers of unknown channel");
        let summary = cchc::summary::run_summary(&report);
        assert!(
            summary.contains(&format!("(tệp xuất không có cột hình thức nộp): {want} ")),
            "{name}: {summary}"
        );
    }

    let files = got["generated_from"].as_array().unwrap();
    let mut excluded = 0;
    for e in expected["files"].as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        let i = files
            .iter()
            .position(|f| Path::new(f["file"].as_str().unwrap()).file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("{name}: {file} not read"));
        assert_eq!(files[i]["rows"], e["rows"], "{name}: rows of {file}");
        assert_eq!(
            files[i]["quarantined"], e["quarantined"],
            "{name}: quarantined rows of {file}"
        );
        excluded += report.accounts[i].excluded_withdrawn;
    }
    let ids = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let not_received = ids(&expected["excluded"]["not_received"]);
    let listed: BTreeSet<String> = report
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::NotReceived)
        .map(|w| w.dossier_id.clone())
        .collect();
    assert_eq!(listed, not_received, "{name}: dossiers never received");
    let withdrawn = ids(&expected["excluded"]["withdrawn"]);
    assert_eq!(
        excluded,
        (withdrawn.len() + not_received.len()) as u64,
        "{name}: dossiers excluded"
    );
    let unknown_units: BTreeSet<String> = report
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::UnknownUnit)
        .map(|w| w.value.clone())
        .collect();
    assert_eq!(
        unknown_units,
        ids(&expected["units_not_in_registry"]),
        "{name}: units not in the registry"
    );
    assert_balanced_and_nothing_personal(name, &expected, &report, &case);
}

/// Every file's rows add up, and no personal value the case lists is in any output.
fn assert_balanced_and_nothing_personal(
    name: &str,
    expected: &Value,
    report: &cchc::pipeline::RunReport,
    case: &Case,
) {
    for a in &report.accounts {
        assert!(a.balances(), "{name}: {a:?}");
    }
    let texts = output_texts(&case.out());
    for p in expected["personal"].as_array().into_iter().flatten() {
        let p = p.as_str().unwrap();
        for (file, text) in &texts {
            assert!(!text.contains(p), "{name}: «{p}» is in {file}");
        }
    }
}

#[test]
fn matches_the_igate_xlsx_with_every_portal_status_word_and_channel_code() {
    check_real_case("r1-igate-xlsx");
}

#[test]
fn matches_the_igate_xls_variant_with_status_codes() {
    check_real_case("r2-igate-xls-ma-trang-thai");
}

#[test]
fn matches_the_igate_csv_with_bom_and_no_channel_column() {
    check_real_case("r3-igate-csv-bom");
}

#[test]
fn matches_tan_dans_html_list_received_on_ngay_nhan() {
    check_real_case("r4-tan-dan-html-xls");
}

#[test]
fn matches_the_opencps_xlsx_with_two_due_columns() {
    check_real_case("r5-opencps-xlsx");
}

#[test]
fn matches_the_older_softwares_web_page() {
    check_real_case("r6-phan-mem-cu-html");
}

#[test]
fn matches_the_real_igate_export_of_another_locality() {
    check_real_case("r8-igate-that-31-dong");
}

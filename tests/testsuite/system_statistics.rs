//! The system's own statistics read back and reconciled with cchc's form 06 (issue 20 items 4–5,
//! `real-exports.md` §3): the reader and the reconciliation on their own (the dossier lists read
//! with the run's machinery, form 06 computed as the run does), then the kind in `cchc run` — its
//! keys of indicators.json, its summary line, its rows in the account.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{json, Value};

use cchc::config::{Pipeline, WithdrawnPractice};
use cchc::kinds::dossier::{figures::form06, rules};
use cchc::kinds::system_statistics::{
    self as stats, read::ReadContext, Config, Evidence, Reconciliation,
};
use cchc::period::Period;

use crate::support::{account, assert_valid_indicators, root, shipped_pipeline, Case};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| cchc::kinds::load_pipeline(&shipped_pipeline()).unwrap())
}

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| Config::load(&root().join("pipelines/system-statistics.toml")).unwrap())
}

/// Reads `lists` as a run does, computes form 06 of `period` under `practice`, reads the
/// statistics table and reconciles it.
fn reconcile(
    lists: &[PathBuf],
    table: &Path,
    period: &str,
    practice: WithdrawnPractice,
) -> anyhow::Result<Reconciliation> {
    let p = pipeline();
    let period = Period::parse(period, p.period_rule)?;
    let inputs = cchc::dataset::input_files(p, lists)?;
    let mut data = cchc::dataset::read_inputs(p, &inputs, false)?;
    let n = data.files.len();
    let frame = data.frames.remove("dossier").unwrap();
    let kept = rules::apply(frame.clone(), WithdrawnPractice::ResolvedOnTime, n)?;
    let counted = rules::apply(frame, practice, n)?;
    let form = form06::form06(&counted.frame, &period, n)?;
    let ctx = ReadContext {
        config: config(),
        units: &p.units,
        fields: &p.fields,
        period_rule: p.period_rule,
        window: None,
    };
    let tables = stats::read(table, &p.limits, &ctx)?;
    assert_eq!(tables.len(), 1);
    stats::reconcile(
        &tables[0],
        &period,
        &form.rows,
        &Evidence {
            dossiers: &kept.frame,
            withdrawn: practice,
        },
    )
}

/// The differences as JSON, sorted by unit (or field) and count.
fn differences(r: &Reconciliation) -> Vec<Value> {
    let mut v: Vec<Value> = r
        .differences
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    v.sort_by_key(|d| {
        (
            d["unit"].to_string(),
            d["field"].to_string(),
            d["count"].to_string(),
        )
    });
    v
}

/// One external case: the dossier list and the system's table of `fixtures/external/<name>`,
/// against its `expected-reconciliation.json`.
fn check_external(name: &str, list: &str, table: &str) -> Reconciliation {
    let dir = root().join("fixtures/external").join(name);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected-reconciliation.json")).unwrap(),
    )
    .unwrap();
    let r = reconcile(
        &[dir.join("inputs").join(list)],
        &dir.join("inputs").join(table),
        expected["period"].as_str().unwrap(),
        WithdrawnPractice::Exclude,
    )
    .unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_eq!(
        r.checked,
        expected["reconciliation_checked"].as_u64().unwrap(),
        "{name}: cells compared"
    );
    let mut want: Vec<Value> = expected["reconciliation"].as_array().unwrap().clone();
    want.sort_by_key(|d| {
        (
            d["unit"].to_string(),
            d["field"].to_string(),
            d["count"].to_string(),
        )
    });
    assert_eq!(differences(&r), want, "{name}: differences");
    let totals: Vec<Value> = r
        .totals_not_adding_up
        .iter()
        .map(|t| json!({"row": t.row, "count": t.count, "stated": t.stated, "sum_of_rows": t.sum_of_rows}))
        .collect();
    let want_totals = expected
        .get("table_totals_not_adding_up")
        .cloned()
        .unwrap_or(json!([]));
    assert_eq!(
        Value::from(totals),
        want_totals,
        "{name}: totals not adding up"
    );
    r
}

#[test]
fn reconciles_tan_dans_ii06a_with_every_planted_practice() {
    let r = check_external(
        "r7-bieu-II06a-doi-chieu",
        "Danh sách hồ sơ 15_3_2024 9_0.xls",
        "bieu-II.06a-q1-2024.xlsx",
    );
    assert_eq!((r.rows_matching, r.rows_compared), (0, 3));
}

#[test]
fn reconciles_opencps_statistics_and_names_the_total_that_does_not_add_up() {
    let r = check_external(
        "r9-opencps-thong-ke-doi-chieu",
        "opencps-danh-sach-ho-so.xlsx",
        "opencps-thong-ke-q1-2024.xlsx",
    );
    assert_eq!((r.rows_matching, r.rows_compared), (0, 2));
}

/// Hand-built: Phòng Tư pháp's dossiers, each moved by one practice of the system (2024-Q1 =
/// 15/12/2023 … 14/03/2024), Bà Điểm's early dossier written on time (a plain error), Đông
/// Thạnh's written right.
///
/// | code | received (submitted) | due | completed | status | cchc | the system |
/// |---|---|---|---|---|---|---|
/// | TP-1 | 10/01 | 20/01 | 15/01 | Đã rút hồ sơ | excluded | new direct, on time |
/// | TP-2 | 05/02 | — | 06/02 | Đã trả kết quả | new direct, on time | early |
/// | TP-3 | 01/03 | 05/03 | — | Chờ bổ sung | new online, pending within | resolved on time |
/// | TP-4 | 15/12 (14/12) | 20/12 | 18/12 | Đã trả kết quả | new online, early | carried over, early |
/// | TP-5 | 02/01 | 10/01 | 12/01 | Đã trả kết quả | new direct, late | same |
/// | BD-1 | 03/01 | 10/01 | 09/01 | Đã trả kết quả | new direct, early | on time |
/// | DT-1 | 04/01 | 10/01 | 08/01 | Đã trả kết quả | new online, early | same |
///
/// cchc, Phòng Tư pháp: received 4 = carried 0 + online 2 + direct 2; resolved 3 (1/1/1);
/// pending 1 (within). The system: received 5 = 1 + 1 + 3; resolved 5 (2/2/1); pending 0.
const LIST: &str = "\
Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày nộp hồ sơ;Ngày nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp
TP-1;Phòng Tư pháp;Hộ tịch;10/01/2024;10/01/2024;20/01/2024;15/01/2024;Đã rút hồ sơ;Trực tiếp
TP-2;Phòng Tư pháp;Hộ tịch;05/02/2024;05/02/2024;;06/02/2024;Đã trả kết quả;Trực tiếp
TP-3;Phòng Tư pháp;Hộ tịch;01/03/2024;01/03/2024;05/03/2024;;Chờ bổ sung;Trực tuyến
TP-4;Phòng Tư pháp;Hộ tịch;14/12/2023;15/12/2023;20/12/2023;18/12/2023;Đã trả kết quả;Trực tuyến
TP-5;Phòng Tư pháp;Hộ tịch;02/01/2024;02/01/2024;10/01/2024;12/01/2024;Đã trả kết quả;Trực tiếp
BD-1;UBND xã Bà Điểm;Hộ tịch;03/01/2024;03/01/2024;10/01/2024;09/01/2024;Đã trả kết quả;Trực tiếp
DT-1;Xã Đông Thạnh;Hộ tịch;04/01/2024;04/01/2024;10/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến
";

const TABLE: &str = "\
THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ
Từ ngày 15/12/2023 đến ngày 14/03/2024
STT,Đơn vị,Tiếp nhận,,,,Đã giải quyết,,,,Đang giải quyết,,
,,Tổng số,Từ kỳ trước,Trực tuyến,\"Trực tiếp, dịch vụ bưu chính\",Tổng số,Trước hạn,Đúng hạn,Quá hạn,Tổng số,Trong hạn,Quá hạn
1,Phòng Tư pháp,5,1,1,3,5,2,2,1,0,0,0
2,UBND xã Bà Điểm,1,0,0,1,1,0,1,0,0,0,0
3,Xã Đông Thạnh,1,0,1,0,1,1,0,0,0,0,0
,Tổng cộng,7,1,2,4,7,3,3,1,0,0,0
";

fn hand_built(practice: WithdrawnPractice) -> anyhow::Result<Reconciliation> {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("ho-so.csv");
    let table = dir.path().join("thong-ke.csv");
    std::fs::write(&list, LIST).unwrap();
    std::fs::write(&table, TABLE).unwrap();
    reconcile(&[list], &table, "2024-Q1", practice)
}

fn planted() -> &'static Reconciliation {
    static R: OnceLock<Reconciliation> = OnceLock::new();
    R.get_or_init(|| hand_built(WithdrawnPractice::Exclude).unwrap())
}

/// The cell of a unit and count: (system, cchc, rule → dossiers), None when it agrees.
fn cell(unit: &str, count: &str) -> Option<(u64, u64, HashMap<String, Vec<String>>)> {
    let d = planted()
        .differences
        .iter()
        .find(|d| d.unit.as_deref() == Some(unit) && d.count.name() == count)?;
    let rules = d
        .explained_by
        .iter()
        .flatten()
        .map(|e| {
            (
                serde_json::to_value(e.rule)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                e.dossiers.clone(),
            )
        })
        .collect();
    Some((d.system, d.cchc, rules))
}

fn rules(pairs: &[(&str, &[&str])]) -> HashMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(r, d)| (r.to_string(), d.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[test]
fn a_withdrawn_dossier_the_system_counts_on_time_explains_its_cells() {
    const TP: &str = "Phòng Tư pháp";
    assert_eq!(
        cell(TP, "received_total"),
        Some((5, 4, rules(&[("withdrawn", &["TP-1"])])))
    );
    assert_eq!(
        cell(TP, "new_direct_postal"),
        Some((3, 2, rules(&[("withdrawn", &["TP-1"])])))
    );
}

#[test]
fn a_dossier_without_due_date_the_system_counts_early_explains_its_cells() {
    assert_eq!(
        cell("Phòng Tư pháp", "resolved_early"),
        Some((2, 1, rules(&[("no_due_date", &["TP-2"])])))
    );
}

#[test]
fn a_dossier_waiting_for_a_supplement_the_system_counts_resolved_explains_its_cells() {
    let supplement = rules(&[("waiting_for_supplement", &["TP-3"])]);
    assert_eq!(
        cell("Phòng Tư pháp", "pending_total"),
        Some((0, 1, supplement.clone()))
    );
    assert_eq!(
        cell("Phòng Tư pháp", "pending_within"),
        Some((0, 1, supplement))
    );
    assert_eq!(
        cell("Phòng Tư pháp", "resolved_total"),
        Some((
            5,
            3,
            rules(&[
                ("withdrawn", &["TP-1"]),
                ("waiting_for_supplement", &["TP-3"])
            ])
        ))
    );
}

#[test]
fn receipt_dated_by_submission_explains_carried_over_and_new_online() {
    let by_submission = rules(&[("received_by_submission_date", &["TP-4"])]);
    assert_eq!(
        cell("Phòng Tư pháp", "carried_over"),
        Some((1, 0, by_submission.clone()))
    );
    assert_eq!(
        cell("Phòng Tư pháp", "new_online"),
        Some((1, 2, by_submission))
    );
}

#[test]
fn every_rule_that_moves_a_cell_is_named_even_when_they_partly_cancel() {
    // On time: withdrawn +1, supplement +1, no due date −1 → +1.
    assert_eq!(
        cell("Phòng Tư pháp", "resolved_on_time"),
        Some((
            2,
            1,
            rules(&[
                ("withdrawn", &["TP-1"]),
                ("waiting_for_supplement", &["TP-3"]),
                ("no_due_date", &["TP-2"]),
            ])
        ))
    );
    // Late agrees: TP-5 is late for both.
    assert_eq!(cell("Phòng Tư pháp", "resolved_late"), None);
}

#[test]
fn a_plain_error_of_the_table_is_unexplained_and_a_right_row_matches() {
    assert_eq!(
        cell("Xã Bà Điểm", "resolved_early"),
        Some((0, 1, HashMap::new()))
    );
    assert_eq!(
        cell("Xã Bà Điểm", "resolved_on_time"),
        Some((1, 0, HashMap::new()))
    );
    let r = planted();
    let bd = r
        .differences
        .iter()
        .find(|d| d.unit.as_deref() == Some("Xã Bà Điểm"))
        .unwrap();
    assert_eq!(bd.explained_by, None);
    assert_eq!(bd.level, Some(cchc::config::Level::Xa));
    assert!(r
        .differences
        .iter()
        .all(|d| d.unit.as_deref() != Some("Xã Đông Thạnh")));
    // 3 rows × 11 columns; Phòng Tư pháp differs in 9 cells, Bà Điểm in 2.
    assert_eq!((r.checked, r.differences.len()), (33, 11));
    assert_eq!((r.rows_matching, r.rows_compared), (1, 3));
    assert!(r.totals_not_adding_up.is_empty());
}

#[test]
fn under_the_practice_that_keeps_withdrawn_dossiers_they_explain_nothing() {
    let r = hand_built(WithdrawnPractice::ResolvedOnTime).unwrap();
    let tp = |count: &str| {
        r.differences
            .iter()
            .find(|d| d.unit.as_deref() == Some("Phòng Tư pháp") && d.count.name() == count)
    };
    assert!(tp("received_total").is_none() && tp("new_direct_postal").is_none());
    assert!(r
        .differences
        .iter()
        .flat_map(|d| d.explained_by.iter().flatten())
        .all(|e| e.rule != stats::Rule::Withdrawn));
}

#[test]
fn a_table_of_another_window_is_refused_with_both_windows() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("ho-so.csv");
    let table = dir.path().join("thong-ke.csv");
    std::fs::write(&list, LIST).unwrap();
    std::fs::write(&table, TABLE).unwrap();
    let e = format!(
        "{:#}",
        reconcile(&[list], &table, "2024-Q2", WithdrawnPractice::Exclude).unwrap_err()
    );
    assert!(
        e.contains("thong-ke.csv")
            && e.contains("từ 15/12/2023 đến 14/03/2024, không phải kỳ 2024-Q2 (từ 15/03/2024 đến 14/06/2024)"),
        "{e}"
    );
}

/// The hand-built list and table in `cchc run`: the table's rows are records of the period, the
/// JSON carries the differing cells — TP-4's explained by its submission date, which the dossier
/// table keeps — and the cells compared.
#[test]
fn a_run_with_a_statistics_table_writes_the_reconciliation_and_accounts_for_its_rows() {
    let case = Case::new();
    case.file("ho-so.csv", LIST).file("thong-ke.csv", TABLE);
    let r = case.run();
    let stats_file = r
        .files
        .iter()
        .position(|f| f.kind == "system_statistics")
        .expect("the table is read as a statistics table");
    let a = &r.accounts[stats_file];
    assert_eq!((a.read, a.counted, a.quarantined), (3, 3, 0));
    assert_eq!(account(&r).read, 7 + 3);
    assert_valid_indicators(&r.indicators_json);
    let json: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    let by_direct_call = planted();
    assert_eq!(
        json["reconciliation_checked"],
        json!(by_direct_call.checked)
    );
    let cells = json["reconciliation"].as_array().unwrap();
    assert_eq!(cells.len(), by_direct_call.differences.len());
    let cell = |count: &str| {
        cells
            .iter()
            .find(|c| c["unit"] == "Phòng Tư pháp" && c["count"] == count)
            .unwrap()
    };
    assert_eq!(
        cell("received_total"),
        &json!({"level": "huyen", "unit": "Phòng Tư pháp", "field": null, "count": "received_total",
            "system": 5, "cchc": 4, "difference": 1,
            "explained_by": [{"rule": "withdrawn", "dossiers": ["TP-1"]}]})
    );
    let by_submission = json!([{"rule": "received_by_submission_date", "dossiers": ["TP-4"]}]);
    assert_eq!(cell("carried_over")["explained_by"], by_submission);
    assert_eq!(cell("new_online")["explained_by"], by_submission);
    // Every cell as the direct call explains it.
    for d in &by_direct_call.differences {
        let want = serde_json::to_value(&d.explained_by).unwrap();
        let got = cells
            .iter()
            .find(|c| c["unit"] == json!(d.unit) && c["count"] == d.count.name())
            .unwrap();
        assert_eq!(got["explained_by"], want, "{got}");
    }
    // The province's consolidation takes a submission that carries the reconciliation.
    let submission: cchc::consolidate::submission::Submission =
        serde_json::from_value(json.clone()).expect("consolidate reads the keys");
    assert_eq!(
        submission.reconciliation_checked,
        Some(by_direct_call.checked)
    );
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("thong-ke.csv, trang «thong-ke.csv»): khớp 1/3 dòng"),
        "{summary}"
    );
}

/// The external cases in `cchc run`: indicators.json's `reconciliation` and
/// `reconciliation_checked` are their `expected-reconciliation.json`'s.
#[test]
fn a_run_on_the_external_statistics_cases_writes_their_expected_reconciliation() {
    for name in ["r7-bieu-II06a-doi-chieu", "r9-opencps-thong-ke-doi-chieu"] {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(
                root()
                    .join("fixtures/external")
                    .join(name)
                    .join("expected-reconciliation.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let case = Case::with_external(&[name]).period(expected["period"].as_str().unwrap());
        let r = case.run();
        let json: Value = serde_json::from_slice(&r.indicators_json).unwrap();
        assert_eq!(
            json["reconciliation_checked"], expected["reconciliation_checked"],
            "{name}"
        );
        let sorted = |v: &Value| {
            let mut v = v.as_array().unwrap().clone();
            v.sort_by_key(|d| {
                (
                    d["unit"].to_string(),
                    d["field"].to_string(),
                    d["count"].to_string(),
                )
            });
            v
        };
        assert_eq!(
            sorted(&json["reconciliation"]),
            sorted(&expected["reconciliation"]),
            "{name}"
        );
    }
}

/// The annex sheet «Đối chiếu số liệu hệ thống» of the hand-built case.
#[test]
fn the_annex_sheet_sets_the_systems_figures_beside_cchcs() {
    let case = Case::new();
    case.file("ho-so.csv", LIST).file("thong-ke.csv", TABLE);
    case.run_all();
    let rows = crate::support::read_sheet(
        &case.out().join("phu-luc-2024-Q1.xlsx"),
        "Đối chiếu số liệu hệ thống",
    );
    let text: Vec<String> = rows
        .iter()
        .map(|r| r.join(" | ").trim_end_matches(" | ").to_string())
        .filter(|r| !r.trim_matches(|c| c == ' ' || c == '|').is_empty())
        .collect();
    // The file is named by its path, which is the test's own temporary folder.
    let text = text
        .join("\n")
        .replace(&case.inputs().display().to_string(), "<inputs>");
    insta::assert_snapshot!("system_statistics_annex_sheet", text);
}

/// The dossier table keeps the online submission date of a list that gives it beside the
/// received date; a list with only «Ngày nộp hồ sơ» reads it as the received date.
#[test]
fn the_dossier_table_keeps_the_submission_date_beside_the_received_date() {
    let p = pipeline();
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("ho-so.csv");
    std::fs::write(&both, LIST).unwrap();
    let only = dir.path().join("chi-ngay-nop.csv");
    std::fs::write(
        &only,
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày nộp hồ sơ;Ngày hẹn trả;Trạng thái\n\
         X-1;Phòng Tư pháp;Hộ tịch;14/12/2023;20/12/2023;Đang xử lý\n",
    )
    .unwrap();
    let day = |d: &str| {
        cchc::normalize::day_number(chrono::NaiveDate::parse_from_str(d, "%d/%m/%Y").unwrap())
    };
    let inputs = cchc::dataset::input_files(p, &[both, only]).unwrap();
    let mut data = cchc::dataset::read_inputs(p, &inputs, false).unwrap();
    let frame = data.frames.remove("dossier").unwrap();
    let ids: Vec<&str> = frame
        .column("dossier_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(Option::unwrap)
        .collect();
    let at = |c: &str, id: &str| {
        let i = ids.iter().position(|x| *x == id).unwrap();
        frame.column(c).unwrap().i32().unwrap().get(i)
    };
    assert_eq!(at("received", "TP-4"), Some(day("15/12/2023")));
    assert_eq!(at("submitted", "TP-4"), Some(day("14/12/2023")));
    assert_eq!(at("received", "X-1"), Some(day("14/12/2023")));
    assert_eq!(at("submitted", "X-1"), None);
    assert!(data
        .warnings
        .iter()
        .all(|w| w.kind != cchc::quality::WarningKind::DuplicateColumn));
}

/// A table of another window is outside the period: its rows are accounted for, nothing is
/// reconciled, and indicators.json has no reconciliation.
#[test]
fn a_statistics_table_of_another_window_is_outside_the_period() {
    let case = Case::new().period("2024-Q2");
    case.file("ho-so.csv", LIST).file("thong-ke.csv", TABLE);
    let r = case.run();
    let i = r
        .files
        .iter()
        .position(|f| f.kind == "system_statistics")
        .unwrap();
    assert_eq!(
        (r.accounts[i].read, r.accounts[i].excluded_outside_period),
        (3, 3)
    );
    let json: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert!(json.get("reconciliation").is_none(), "{json}");
}

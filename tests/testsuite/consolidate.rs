//! The province's consolidation (consolidation.md): each submission checked and refused with its
//! reason, duplicates, missing localities, totals summed from counts and rates recomputed from
//! them, ranks with ties — on small submissions built here by hand — and, end to end, the
//! consolidation of `cchc run` submissions equal to one run over all their exports.

use std::path::{Path, PathBuf};

use cchc::consolidate::{self, Request, Status};
use cchc::indicators::Counts;
use serde_json::{json, Value};

use crate::support::{assert_valid_indicators, Case};

/// One form 06 row: (field, carried_over, new_direct, early, on_time, late, within, overdue).
type Row = (&'static str, u64, u64, u64, u64, u64, u64, u64);

fn rate(part: u64, whole: u64) -> Value {
    cchc::rate::Rate::of(part, whole)
        .map(|r| r.rounded().into())
        .unwrap_or(Value::Null)
}

/// A valid submission of a locality for a period, with form 06 rows and targets (id, met).
fn submission(
    code: &str,
    name: &str,
    period: &str,
    rows: &[Row],
    targets: &[(&str, bool)],
) -> Value {
    let tthc: Vec<Value> = rows
        .iter()
        .map(|&(field, carried, new, early, on_time, late, within, overdue)| {
            let resolved = early + on_time + late;
            json!({
                "level": "xa", "unit": "Trung tâm Phục vụ hành chính công", "field": field,
                "received_total": carried + new, "carried_over": carried,
                "new_online": 0, "new_direct": new, "new_postal": 0,
                "resolved_total": resolved, "resolved_early": early,
                "resolved_on_time": on_time, "resolved_late": late,
                "pending_total": within + overdue, "pending_within": within,
                "pending_overdue": overdue,
                "on_time_rate": rate(early + on_time, resolved), "late_rate": rate(late, resolved),
            })
        })
        .collect();
    let targets: Vec<Value> = targets
        .iter()
        .map(|(id, met)| {
            json!({"id": id, "scope": "Toàn xã", "measure": "on_time_rate", "value": 99.0,
                   "target": ">= 99", "met": met})
        })
        .collect();
    let (start, end) = match period {
        "2025-Q3" => ("2025-06-15", "2025-09-14"),
        _ => ("2025-09-15", "2025-12-14"),
    };
    json!({
        "schema": "cchc-indicators/1", "district": name, "locality": name, "locality_code": code,
        "period": {"id": period, "rule": "nd09", "start": start, "end": end},
        "generated_from": [], "tthc": tthc, "satisfaction": [], "pakn": [], "self_report": [],
        "tasks": [], "units_reported": [], "units_missing": [], "targets": targets,
    })
}

fn write(dir: &Path, name: &str, v: &Value) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

fn run(inputs: &Path) -> consolidate::Outcome {
    consolidate::run(&Request {
        province: "79".into(),
        period: "2025-Q4".into(),
        inputs: vec![inputs.to_path_buf()],
        out: Some(inputs.parent().unwrap().join("out")),
        config: None,
        templates: None,
    })
    .unwrap_or_else(|e| panic!("{e:#}"))
}

/// The province's consolidated submission file.
fn consolidated(o: &consolidate::Outcome) -> Value {
    serde_json::from_slice(&std::fs::read(o.out.join("indicators-tong-hop-2025-Q4.json")).unwrap())
        .unwrap()
}

/// The province's `tthc` row of a field.
fn province_row<'a>(v: &'a Value, field: &str) -> &'a Value {
    v["tthc"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["field"] == field)
        .unwrap_or_else(|| panic!("no province row of {field}"))
}

fn locality<'a>(o: &'a consolidate::Outcome, code: &str) -> &'a consolidate::LocalityResult {
    o.consolidation
        .localities
        .iter()
        .find(|l| l.code == code)
        .unwrap_or_else(|| panic!("no locality {code}"))
}

fn file_reason(o: &consolidate::Outcome, name: &str) -> (Status, String) {
    let f = o
        .consolidation
        .files
        .iter()
        .find(|f| f.file.ends_with(name))
        .unwrap_or_else(|| panic!("no file {name}"));
    (f.status, f.reason.clone().unwrap_or_default())
}

/// Hóc Môn: 10 resolved, 9 on time; Bà Điểm: 90 resolved, all on time.
fn two_localities(dir: &Path) {
    write(
        dir,
        "hoc-mon/indicators.json",
        &submission(
            "27559",
            "Xã Hóc Môn",
            "2025-Q4",
            &[("Hộ tịch", 2, 10, 5, 4, 1, 1, 1)],
            &[("3.1", false)],
        ),
    );
    write(
        dir,
        "ba-diem/indicators.json",
        &submission(
            "27592",
            "Xã Bà Điểm",
            "2025-Q4",
            &[
                ("Hộ tịch", 0, 60, 50, 10, 0, 0, 0),
                ("Đất đai", 5, 30, 20, 10, 0, 5, 0),
            ],
            &[("3.1", true)],
        ),
    );
}

#[test]
fn sums_the_counted_localities_and_recomputes_the_rate_from_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let o = run(&inputs);
    let c = &o.consolidation;
    // Received: (2 + 10) + (60) + (5 + 30) = 107; resolved 10 + 60 + 30 = 100, of which on time
    // 9 + 60 + 30 = 99; pending 2 + 0 + 5 = 7, overdue 1.
    let want = Counts {
        carried_over: 7,
        new_direct: 100,
        resolved_early: 75,
        resolved_on_time: 24,
        resolved_late: 1,
        pending_within: 6,
        pending_overdue: 1,
        ..Counts::default()
    };
    assert_eq!(c.province.form06, want);
    assert_eq!(c.province.localities, 2);
    // 99 / 100 = 99 %, not the mean of 90 % and 100 % (95 %).
    assert_eq!(c.province.form06.on_time_rate().unwrap().rounded(), 99.0);
    // Both are communes (Xã): the group holds the same total, the wards' group none.
    let xa = c.groups.iter().find(|(g, _)| g == "Xã").unwrap();
    assert_eq!(xa.1.form06, want);
    let phuong = c.groups.iter().find(|(g, _)| g == "Phường").unwrap();
    assert_eq!(phuong.1.localities, 0);
    // The consolidated file: the province's rows by field (level "tinh"), each the sum.
    let v = consolidated(&o);
    let ho_tich = province_row(&v, "Hộ tịch");
    assert_eq!(ho_tich["level"], "tinh");
    assert_eq!(ho_tich["unit"], "Thành phố Hồ Chí Minh");
    assert_eq!(ho_tich["received_total"], 72);
    assert_eq!(ho_tich["resolved_total"], 70);
    // 69 / 70 = 98,571… → 98.57.
    assert_eq!(ho_tich["on_time_rate"], 98.57);
    let entries = v["localities"].as_array().unwrap();
    assert_eq!(entries.len(), 168);
    let counted: Vec<&str> = entries
        .iter()
        .filter(|e| e["status"] == "counted")
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(counted, ["27592", "27559"]);
    assert_eq!(v["locality_rows"].as_array().unwrap().len(), 2);
    // The target both decided: one met it.
    let t = &c.targets[0];
    assert_eq!((t.id.as_str(), t.decided, t.met), ("3.1", 2, 1));
    assert_eq!(t.missed, ["Xã Hóc Môn"]);
}

#[test]
fn sums_the_dossiers_of_unknown_channel_a_commune_wrote() {
    // Hóc Môn's export had no channel column: 4 of its 10 new dossiers are of unknown channel
    // (`new_unknown_channel`, written only when not 0), 6 direct; received stays 12.
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let p = inputs.join("hoc-mon/indicators.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let row = &mut v["tthc"][0];
    row["new_direct"] = json!(6);
    row.as_object_mut()
        .unwrap()
        .insert("new_unknown_channel".into(), json!(4));
    assert_valid_indicators(&serde_json::to_vec(&v).unwrap());
    write(&inputs, "hoc-mon/indicators.json", &v);
    let o = run(&inputs);
    assert_eq!(locality(&o, "27559").status, Status::Counted);
    let f = &o.consolidation.province.form06;
    assert_eq!((f.new_direct, f.new_unknown_channel), (96, 4));
    assert_eq!(f.received_total(), 107);
    let v = consolidated(&o);
    let ho_tich = province_row(&v, "Hộ tịch");
    assert_eq!(ho_tich["new_unknown_channel"], 4);
    assert_eq!(ho_tich["received_total"], 72);
}

#[test]
fn lists_every_locality_without_a_submission_by_name_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let o = run(&inputs);
    let missing: Vec<&consolidate::LocalityResult> =
        o.consolidation.with_status(Status::Missing).collect();
    assert_eq!(missing.len(), 166);
    let dong_thanh = locality(&o, "27568");
    assert_eq!(dong_thanh.status, Status::Missing);
    assert_eq!(dong_thanh.name, "Xã Đông Thạnh");
    let html = std::fs::read_to_string(o.out.join("bao-cao-tong-hop-2025-Q4.html")).unwrap();
    assert!(html.contains("Xã Đông Thạnh (27568)"), "{html}");
    assert!(html.contains("Đặc khu Côn Đảo (26732)"));
}

#[test]
fn refuses_a_submission_of_another_period_naming_its_file_and_period() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    write(
        &inputs,
        "dong-thanh.json",
        &submission(
            "27568",
            "Xã Đông Thạnh",
            "2025-Q3",
            &[("Hộ tịch", 0, 4, 4, 0, 0, 0, 0)],
            &[],
        ),
    );
    let o = run(&inputs);
    let (status, reason) = file_reason(&o, "dong-thanh.json");
    assert_eq!(status, Status::Refused);
    assert!(
        reason.contains("số liệu kỳ 2025-Q3, không phải kỳ 2025-Q4"),
        "{reason}"
    );
    let l = locality(&o, "27568");
    assert_eq!(l.status, Status::Refused);
    assert!(l.reason.as_deref().unwrap().contains("dong-thanh.json"));
    // Not counted: the province's total stays that of the two others.
    assert_eq!(o.consolidation.province.form06.received_total(), 107);
}

#[test]
fn refuses_a_submission_of_another_province() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    write(
        &inputs,
        "ba-dinh.json",
        &submission(
            "00004",
            "Phường Ba Đình",
            "2025-Q4",
            &[("Hộ tịch", 0, 4, 4, 0, 0, 0, 0)],
            &[],
        ),
    );
    let o = run(&inputs);
    let (status, reason) = file_reason(&o, "ba-dinh.json");
    assert_eq!(status, Status::Refused);
    assert!(
        reason.contains("mã 00004 là Phường Ba Đình thuộc Thành phố Hà Nội"),
        "{reason}"
    );
    assert_eq!(o.consolidation.counted().count(), 0);
}

#[test]
fn refuses_a_code_not_in_the_official_list() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    write(
        &inputs,
        "la.json",
        &submission(
            "99999",
            "Xã Lạ",
            "2025-Q4",
            &[("Hộ tịch", 0, 4, 4, 0, 0, 0, 0)],
            &[],
        ),
    );
    let o = run(&inputs);
    let (status, reason) = file_reason(&o, "la.json");
    assert_eq!(status, Status::Refused);
    assert!(
        reason.contains("mã 99999 không có trong danh mục"),
        "{reason}"
    );
}

#[test]
fn refuses_a_submission_whose_rows_do_not_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    let mut v = submission(
        "27559",
        "Xã Hóc Môn",
        "2025-Q4",
        &[("Hộ tịch", 0, 10, 5, 5, 0, 0, 0)],
        &[],
    );
    // Received 10 = resolved 10 + pending 0; claim 11 received.
    v["tthc"][0]["received_total"] = 11.into();
    write(&inputs, "hoc-mon.json", &v);
    let o = run(&inputs);
    let (status, reason) = file_reason(&o, "hoc-mon.json");
    assert_eq!(status, Status::Refused);
    assert!(
        reason.contains("Hộ tịch: tiếp nhận ≠ đã giải quyết + đang giải quyết"),
        "{reason}"
    );
    assert_eq!(o.consolidation.province.form06, Counts::default());
}

#[test]
fn refuses_a_file_that_is_not_json_or_not_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("hong.json"),
        "{\"schema\": \"cchc-indicators/1\",\n  \"tthc\": [",
    )
    .unwrap();
    let mut v = submission("27592", "Xã Bà Điểm", "2025-Q4", &[], &[]);
    v.as_object_mut().unwrap().remove("tthc");
    write(&inputs, "thieu.json", &v);
    let o = run(&inputs);
    let (status, reason) = file_reason(&o, "hong.json");
    assert_eq!(status, Status::Refused);
    assert!(
        reason.starts_with("không phải JSON hợp lệ (dòng 2"),
        "{reason}"
    );
    let (status, reason) = file_reason(&o, "thieu.json");
    assert_eq!(status, Status::Refused);
    assert!(reason.contains("thiếu khóa \"tthc\""), "{reason}");
}

#[test]
fn counts_identical_copies_once_and_notes_them() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    std::fs::copy(
        inputs.join("hoc-mon/indicators.json"),
        inputs.join("hoc-mon-ban-sao.json"),
    )
    .unwrap();
    let o = run(&inputs);
    let l = locality(&o, "27559");
    assert_eq!(l.status, Status::Counted);
    assert!(l
        .reason
        .as_deref()
        .unwrap()
        .contains("hoc-mon-ban-sao.json"));
    let (status, _) = file_reason(&o, "hoc-mon-ban-sao.json");
    assert_eq!(status, Status::Duplicate);
    assert_eq!(o.consolidation.province.form06.received_total(), 107);
}

#[test]
fn counts_neither_of_two_different_submissions_of_one_locality_and_names_both() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    write(
        &inputs,
        "hoc-mon-lan-2.json",
        &submission(
            "27559",
            "Xã Hóc Môn",
            "2025-Q4",
            &[("Hộ tịch", 2, 11, 5, 5, 1, 1, 1)],
            &[],
        ),
    );
    let o = run(&inputs);
    let l = locality(&o, "27559");
    assert_eq!(l.status, Status::Duplicate);
    let reason = l.reason.as_deref().unwrap();
    assert!(reason.contains("hoc-mon/indicators.json"), "{reason}");
    assert!(reason.contains("hoc-mon-lan-2.json"), "{reason}");
    // Only Bà Điểm counts: 95 received.
    assert_eq!(o.consolidation.province.form06.received_total(), 95);
    assert_eq!(file_reason(&o, "hoc-mon-lan-2.json").0, Status::Duplicate);
}

#[test]
fn ranks_equal_rates_equally_and_skips_the_next_rank() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    // 5/5 and 10/10 are both 100 %: rank 1 each; 9/10 is third; nothing resolved: no rank.
    for (code, name, early, late) in [
        ("27559", "Xã Hóc Môn", 5, 0),
        ("27592", "Xã Bà Điểm", 10, 0),
        ("27568", "Xã Đông Thạnh", 9, 1),
        ("27577", "Xã Xuân Thới Sơn", 0, 0),
    ] {
        write(
            &inputs,
            &format!("{code}.json"),
            &submission(
                code,
                name,
                "2025-Q4",
                &[("Hộ tịch", 0, early + late + 1, early, 0, late, 1, 0)],
                &[],
            ),
        );
    }
    let o = run(&inputs);
    let ranks: Vec<(&str, Option<usize>)> = o
        .consolidation
        .league
        .iter()
        .map(|r| (r.name.as_str(), r.rank_on_time))
        .collect();
    assert_eq!(
        ranks,
        [
            ("Xã Bà Điểm", Some(1)),
            ("Xã Hóc Môn", Some(1)),
            ("Xã Đông Thạnh", Some(3)),
            ("Xã Xuân Thới Sơn", None),
        ]
    );
    let bands: Vec<Option<&str>> = o
        .consolidation
        .league
        .iter()
        .map(|r| r.band.as_deref())
        .collect();
    assert_eq!(bands, [Some("Tốt"), Some("Tốt"), Some("Trung bình"), None]);
}

#[test]
fn writes_the_report_the_annex_and_the_public_page_and_nothing_personal() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let o = run(&inputs);
    let mut names: Vec<String> = o
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bao-cao-tong-hop-2025-Q4.docx",
            "bao-cao-tong-hop-2025-Q4.html",
            "cong-khai-tong-hop-2025-Q4.html",
            "indicators-tong-hop-2025-Q4.json",
            "phu-luc-tong-hop-2025-Q4.xlsx",
        ]
    );
    let html = std::fs::read_to_string(o.out.join("bao-cao-tong-hop-2025-Q4.html")).unwrap();
    insta::assert_snapshot!("consolidated_report_html", html);
    let public = std::fs::read_to_string(o.out.join("cong-khai-tong-hop-2025-Q4.html")).unwrap();
    assert!(public.contains("<svg"));
    assert!(!public.contains("<script"));
    // The annex's form 06 sheet: the province's total line holds the sums.
    let sheet = crate::support::read_sheet(
        &o.out.join("phu-luc-tong-hop-2025-Q4.xlsx"),
        "Biểu 06 theo địa phương",
    );
    let total = sheet
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "Toàn tỉnh, thành phố"))
        .unwrap();
    assert_eq!(total[3], "107");
    assert_eq!(total[15], "99");
    // The consolidated file is of the submission schema (with its province keys).
    assert_valid_indicators(
        &std::fs::read(o.out.join("indicators-tong-hop-2025-Q4.json")).unwrap(),
    );
    // The same inputs give the same bytes.
    let again = run(&inputs);
    assert_eq!(
        std::fs::read(again.out.join("indicators-tong-hop-2025-Q4.json")).unwrap(),
        std::fs::read(o.out.join("indicators-tong-hop-2025-Q4.json")).unwrap()
    );
}

#[test]
fn refuses_to_write_into_a_folder_another_pipeline_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let err = consolidate::run(&Request {
        province: "79".into(),
        period: "2025-Q4".into(),
        inputs: vec![inputs.clone()],
        out: Some(inputs.join("hoc-mon")),
        config: None,
        templates: None,
    })
    .unwrap_err();
    assert!(format!("{err:#}").contains("chứa kết quả của một quy trình khác"));
}

/// A commune's case: the shipped configuration with the commune's name and code.
fn commune(name: &str, code: &str, rows: &[&str]) -> Case {
    let case = Case::with_pipeline_edit(
        "district = \"Huyện Hóc Môn\"",
        &format!("district = \"{name}\"\nlocality_code = \"{code}\""),
    )
    .period("2025-Q4");
    case.csv("tthc.csv", rows);
    case
}

#[test]
fn consolidating_communes_runs_gives_the_totals_of_one_run_over_all_their_exports() {
    // 2025-Q4 under nd09: 15/09/2025 – 14/12/2025.
    let a = [
        "A-1;Phòng Tư pháp;Chứng thực;01/10/2025;05/10/2025;04/10/2025;Đã trả kết quả;Trực tiếp",
        "A-2;Phòng Tư pháp;Chứng thực;01/10/2025;05/10/2025;07/10/2025;Đã trả kết quả;Trực tuyến",
        "A-3;Phòng Tư pháp;Hộ tịch;01/09/2025;20/09/2025;;Đang xử lý;Trực tiếp",
    ];
    let b = [
        "B-1;Phòng Tư pháp;Chứng thực;02/10/2025;06/10/2025;06/10/2025;Đã trả kết quả;Trực tiếp",
        "B-2;Phòng Tư pháp;Hộ tịch;10/12/2025;30/12/2025;;Đang xử lý;Trực tuyến",
        "B-3;Phòng Tư pháp;Hộ tịch;03/10/2025;08/10/2025;20/10/2025;Đã trả kết quả;Trực tiếp",
    ];
    let c = ["C-1;Phòng Tư pháp;Hộ tịch;01/11/2025;05/11/2025;03/11/2025;Đã trả kết quả;Trực tiếp"];
    let inputs = tempfile::tempdir().unwrap();
    let mut all_rows: Vec<&str> = Vec::new();
    for (name, code, rows) in [
        ("Xã Hóc Môn", "27559", &a[..]),
        ("Xã Bà Điểm", "27592", &b[..]),
        ("Xã Đông Thạnh", "27568", &c[..]),
    ] {
        let case = commune(name, code, rows);
        let r = case.run_all();
        assert_valid_indicators(&r.indicators_json);
        std::fs::copy(
            case.out().join("indicators.json"),
            inputs.path().join(format!("{code}.json")),
        )
        .unwrap();
        all_rows.extend(rows);
    }
    let one = commune("Xã Hóc Môn", "27559", &all_rows).run();
    let o = consolidate::run(&Request {
        province: "79".into(),
        period: "2025-Q4".into(),
        inputs: vec![inputs.path().to_path_buf()],
        out: Some(PathBuf::from(inputs.path()).join("tong-hop")),
        config: None,
        templates: None,
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(o.consolidation.counted().count(), 3);
    let mut whole = Counts::default();
    for r in &one.indicators.dossier().form06.rows {
        whole.add(&r.counts);
    }
    assert_eq!(o.consolidation.province.form06, whole);
    // And field by field.
    for (field, counts) in o.consolidation.tthc_by_field.values() {
        let mut want = Counts::default();
        for r in one
            .indicators
            .dossier()
            .form06
            .rows
            .iter()
            .filter(|r| &r.field == field)
        {
            want.add(&r.counts);
        }
        assert_eq!(counts, &want, "{field}");
    }
    // 7 dossiers; resolved 5: A-1 early, A-2 late, B-1 on time, B-3 late, C-1 early.
    assert_eq!(whole.received_total(), 7);
    assert_eq!(whole.resolved_total(), 5);
    assert_eq!(whole.resolved_late, 2);
}

#[test]
fn consolidates_the_shipped_province_sample() {
    // fixtures/sample-tinh: 12 communes' files made by `cchc sample --scale province`, the last
    // of 2025-Q3.
    let dir = tempfile::tempdir().unwrap();
    let o = consolidate::run(&Request {
        province: "79".into(),
        period: "2025-Q4".into(),
        inputs: vec![crate::support::root().join("fixtures/sample-tinh")],
        out: Some(dir.path().join("out")),
        config: None,
        templates: None,
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    let c = &o.consolidation;
    assert_eq!(c.counted().count(), 11);
    assert_eq!(c.with_status(Status::Refused).count(), 1);
    assert_eq!(c.with_status(Status::Missing).count(), 156);
    let refused = locality(&o, "27610");
    assert!(refused.reason.as_deref().unwrap().contains("kỳ 2025-Q3"));
    let mut sum = Counts::default();
    for l in c.counted() {
        sum.add(&l.figures.as_ref().unwrap().form06);
    }
    assert_eq!(c.province.form06, sum);
}

/// A 766 entry of indicators.json as `cchc run` writes it (one indicator shown).
fn entry766(level: Value, unit: &str, total: f64, max: f64) -> Value {
    json!({
        "level": level, "unit": unit, "window": {"start": "2025-10-01", "end": "2025-12-31"},
        "indicators": [{"id": "2.1", "value": 95.0, "points": 19.0, "max": 20.0, "source": "estimate"}],
        "total": total, "max": max, "band": null,
    })
}

#[test]
fn reads_the_766_total_of_the_locality_entry_of_the_array() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let path = inputs.join("ba-diem/indicators.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    // A unit's entry first (its 59,5 is not the locality's), then the locality's (level null).
    v["index766"] = json!([
        entry766("xa".into(), "Trung tâm Phục vụ hành chính công", 59.5, 60.0),
        entry766(Value::Null, "Toàn xã", 58.25, 60.0),
    ]);
    write(&inputs, "ba-diem/indicators.json", &v);
    let o = run(&inputs);
    let f = locality(&o, "27592").figures.as_ref().unwrap();
    assert_eq!(f.index766, Some(58.25));
    // A file without the key has no 766 total (not 0).
    let f = locality(&o, "27559").figures.as_ref().unwrap();
    assert_eq!(f.index766, None);
}

#[test]
fn still_reads_the_766_object_of_earlier_submissions() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("nop");
    two_localities(&inputs);
    let path = inputs.join("hoc-mon/indicators.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["index766"] = json!({"total": 71.5});
    write(&inputs, "hoc-mon/indicators.json", &v);
    let path = inputs.join("ba-diem/indicators.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["index766"] = json!([entry766(Value::Null, "Toàn xã", 80.0, 100.0)]);
    write(&inputs, "ba-diem/indicators.json", &v);
    let o = run(&inputs);
    assert_eq!(
        locality(&o, "27559").figures.as_ref().unwrap().index766,
        Some(71.5)
    );
    // Both shapes rank together: 80 before 71,5.
    let league = &o.consolidation.league;
    let rank = |code: &str| league.iter().find(|r| r.code == code).unwrap().rank_766;
    assert_eq!((rank("27592"), rank("27559")), (Some(1), Some(2)));
}

//! Units' self-report forms (self-reports.md): forms written by `cchc forms`, edited here as a
//! unit would (every cell read back with calamine and written again with the answers typed in),
//! then read by the pipeline. Every check of §3 and each aggregation rule of §1, worked out by
//! hand in the comments. The shipped questions: a commune answers 1.11, 3.5, 5.5, 9, 10.1–10.5
//! and the text question; Phòng Nội vụ the three 2a questions (year to date) plus 1.11,
//! 10.1, 10.2, 10.4, 10.5, the text question.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use cchc::pipeline::RunReport;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::support::{read_sheet, root, Case};

const BD: &str = "Xã Bà Điểm";
const DT: &str = "Xã Đông Thạnh";
const NV: &str = "Phòng Nội vụ";

/// What to type into a cell.
pub(crate) enum T {
    N(f64),
    S(&'static str),
    /// A spreadsheet date: year, month, day.
    D(u16, u8, u8),
    Empty,
}

/// Writes the forms of a period with the `cchc` binary into a new folder; returns the folder of
/// forms.
pub(crate) fn forms(dir: &Path, pipeline: &Path, period: &str) -> PathBuf {
    let out = dir.join(format!("forms-{period}"));
    let status = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("forms")
        .arg(pipeline)
        .args(["--period", period, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    out.join(format!("bao-cao-don-vi-{period}"))
}

fn slug_of(unit: &str) -> String {
    cchc::forms::file_name(unit)
}

/// Copies a form, typing answers into it: per question id, (Số liệu, Tổng số); other cells as
/// `cchc forms` wrote them. `identity` replaces the identity cell's text when given.
pub(crate) fn fill(from: &Path, to: &Path, answers: &[(&str, T, T)], identity: Option<&str>) {
    fill_with_tasks(from, to, answers, &[], identity);
}

/// A row of the "Nhiệm vụ" sheet as typed: task number, Tình trạng, Ngày hoàn thành, Văn bản
/// kiểm chứng.
pub(crate) type TaskRow<'a> = (&'a str, T, T, &'a str);

/// [`fill`], and the "Nhiệm vụ" rows of the tasks given.
pub(crate) fn fill_with_tasks(
    from: &Path,
    to: &Path,
    answers: &[(&str, T, T)],
    tasks: &[TaskRow],
    identity: Option<&str>,
) {
    fill_renamed(from, to, answers, tasks, identity, None, &[]);
}

/// A text typed into a form: sheet, the row's first cell, column (0-based), text.
pub(crate) type Typed<'a> = (&'a str, &'a str, u16, &'a str);

/// [`fill_with_tasks`], with one sheet renamed (`from` → `to`).
pub(crate) fn fill_renamed(
    from: &Path,
    to: &Path,
    answers: &[(&str, T, T)],
    tasks: &[TaskRow],
    identity: Option<&str>,
    rename: Option<(&str, &str)>,
    texts: &[Typed],
) {
    let mut wb_in = open_workbook_auto(from).unwrap();
    let mut wb = Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for name in wb_in.sheet_names() {
        let range = wb_in.worksheet_range(&name).unwrap();
        let ws = wb.add_worksheet();
        match rename {
            Some((old, new)) if old == name => ws.set_name(new).unwrap(),
            _ => ws.set_name(&name).unwrap(),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            let r = r0 + r as u32;
            let code = match row.first() {
                Some(Data::String(s)) => s.clone(),
                _ => String::new(),
            };
            // The cells typed on this row: (column, what).
            let typed: Vec<(u16, &T)> = match name.as_str() {
                "Số liệu" => answers
                    .iter()
                    .filter(|(q, _, _)| *q == code)
                    .flat_map(|(_, v, t)| [(3, v), (4, t)])
                    .collect(),
                "Nhiệm vụ" => tasks
                    .iter()
                    .filter(|(n, ..)| *n == code)
                    .flat_map(|(_, st, day, _)| [(4, st), (5, day)])
                    .collect(),
                _ => Vec::new(),
            };
            // Texts typed on this row: the tasks' evidence, and any given.
            let typed_text: Vec<(u16, &str)> = tasks
                .iter()
                .filter(|(n, ..)| name == "Nhiệm vụ" && *n == code)
                .map(|(.., e)| (6, *e))
                .filter(|(_, e)| !e.is_empty())
                .chain(
                    texts
                        .iter()
                        .filter(|(sh, k, ..)| *sh == name && *k == code)
                        .map(|(_, _, c, t)| (*c, *t)),
                )
                .collect();
            let width = (row.len() as u16 + c0 as u16).max(8);
            for c in 0..width {
                let cell = c
                    .checked_sub(c0 as u16)
                    .and_then(|i| row.get(i as usize))
                    .unwrap_or(&Data::Empty);
                if let Some((_, t)) = typed.iter().find(|(k, _)| *k == c) {
                    match t {
                        T::N(n) => {
                            ws.write_number(r, c, *n).unwrap();
                        }
                        T::S(s) => {
                            ws.write_string(r, c, *s).unwrap();
                        }
                        T::D(y, m, d) => {
                            let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                            ws.write_datetime_with_format(r, c, &day, &date).unwrap();
                        }
                        T::Empty => {}
                    }
                    continue;
                }
                if let Some((_, t)) = typed_text.iter().find(|(k, _)| *k == c) {
                    ws.write_string(r, c, *t).unwrap();
                    continue;
                }
                match cell {
                    Data::String(s) => {
                        let s = match identity {
                            Some(id) if s.starts_with("cchc-form/") => id.to_string(),
                            _ => s.clone(),
                        };
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save(to).unwrap();
}

/// Every required answer of a commune's form, filled: 1.11 = 4, 3.5 = Có, 5.5 = 10/40, 9 =
/// Có, 10.1 = 90/100, 10.2 = 15/20, 10.3 = Có, 10.4 = 18/20, 10.5 = 30/40.
pub(crate) fn commune_answers() -> Vec<(&'static str, T, T)> {
    vec![
        ("1.11-tin-bai", T::N(4.0), T::Empty),
        ("3.5-ban-sao-dien-tu", T::S("Có"), T::Empty),
        ("5.5-tap-huan-xa", T::N(10.0), T::N(40.0)),
        ("9-thanh-toan-dien-tu", T::S("Có"), T::Empty),
        ("10.1-van-ban-dien-tu", T::N(90.0), T::N(100.0)),
        ("10.2-ky-so", T::N(15.0), T::N(20.0)),
        ("10.3-ket-noi-bao-cao", T::S("Có"), T::Empty),
        ("10.4-thu-cong-vu", T::N(18.0), T::N(20.0)),
        ("10.5-toan-trinh", T::N(30.0), T::N(40.0)),
    ]
}

/// Phòng Nội vụ's answers: 2a inspections as given, the rest filled.
pub(crate) fn noi_vu_answers(huyen: (f64, f64)) -> Vec<(&'static str, T, T)> {
    vec![
        ("1.11-tin-bai", T::N(2.0), T::Empty),
        ("2a-dinh-ky-huyen", T::N(huyen.0), T::N(huyen.1)),
        ("2a-dinh-ky-xa", T::N(3.0), T::N(13.0)),
        ("2a-dot-xuat", T::N(1.0), T::N(25.0)),
        ("10.1-van-ban-dien-tu", T::N(50.0), T::N(50.0)),
        ("10.2-ky-so", T::N(10.0), T::N(10.0)),
        ("10.4-thu-cong-vu", T::N(10.0), T::N(10.0)),
        ("10.5-toan-trinh", T::N(5.0), T::N(5.0)),
    ]
}

pub(crate) fn district<'a>(
    r: &'a RunReport,
    q: &str,
) -> &'a cchc::kinds::self_report::figures::Aggregated {
    r.indicators
        .self_report()
        .question(q)
        .unwrap()
        .district
        .as_ref()
        .unwrap()
}

pub(crate) fn answer(r: &RunReport, q: &str, unit: &str) -> Option<(Option<f64>, Option<f64>)> {
    r.indicators
        .self_report()
        .question(q)
        .unwrap()
        .answers
        .iter()
        .find(|a| a.unit == unit)
        .map(|a| (a.value, a.total))
}

#[test]
fn reads_filled_forms_back_and_aggregates_by_each_rule() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        None,
    );
    let mut dt = commune_answers();
    // Đông Thạnh: 1.11 = 3, 3.5 = Không, 10.2 = 0/10.
    dt[0] = ("1.11-tin-bai", T::N(3.0), T::Empty);
    dt[1] = ("3.5-ban-sao-dien-tu", T::S("Không"), T::Empty);
    dt[5] = ("10.2-ky-so", T::N(0.0), T::N(10.0));
    fill(
        &dir.join(slug_of(DT)),
        &case.inputs().join("dt.xlsx"),
        &dt,
        None,
    );
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // sum: 4 + 3 = 7 over 2 of the 24 units asked (12 offices, 12 communes).
    let d = district(&r, "1.11-tin-bai");
    assert_eq!((d.value, d.answered, d.asked), (7.0, 2, 24));
    // ratio_sum: (15 + 0) / (20 + 10) = 50 %.
    let d = district(&r, "10.2-ky-so");
    assert_eq!((d.value, d.total), (15.0, Some(30.0)));
    assert_eq!(d.rate.unwrap().rounded(), 50.0);
    // share_yes: 1 yes among the 2 units that answered (13 asked: the district office and 12
    // communes; the 11 that did not answer are not «Không») = 50 %.
    let d = district(&r, "3.5-ban-sao-dien-tu");
    assert_eq!(
        (d.value, d.total, d.answered, d.asked),
        (1.0, Some(2.0), 2, 13)
    );
    assert_eq!(d.rate.unwrap().rounded(), 50.0);
    assert_eq!(d.unanswered.len(), 11);
    // Per level: the communes' 1.11 is the same 7; the district level has nobody answering.
    let q = r.indicators.self_report().question("1.11-tin-bai").unwrap();
    let xa = q
        .levels
        .iter()
        .find(|(l, _)| *l == cchc::config::Level::Xa)
        .unwrap();
    assert_eq!((xa.1.value, xa.1.answered, xa.1.asked), (7.0, 2, 12));
    // Targets decided: 3.5 not met (50 % < 100), 10.2 not met.
    let t = r.indicators.targets.iter().find(|t| t.id == "3.5").unwrap();
    assert!(!t.met);
    assert_eq!(t.rate.rounded(), 50.0);
    // The submission file: the district row of 10.2, both units reported.
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    crate::support::assert_valid_indicators(&serde_json::to_vec(&json).unwrap());
    let row = json["self_report"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["question"] == "10.2-ky-so" && x["level"].is_null())
        .unwrap();
    assert_eq!(row["value"], 15);
    assert_eq!(row["total"], 30);
    assert_eq!(row["figure"], 50.0);
    assert_eq!(row["units_answered"], 2);
    assert_eq!(json["units_reported"].as_array().unwrap().len(), 2);
    assert_eq!(json["units_missing"].as_array().unwrap().len(), 29);
    // The annex sheet lists every question with its units.
    let annex = read_sheet(
        &case.out().join("phu-luc-2024-Q1.xlsx"),
        "Số liệu đơn vị báo cáo",
    );
    let flat: Vec<String> = annex.into_iter().flatten().collect();
    assert!(
        flat.iter().any(|c| c == "2/24 đơn vị đã báo cáo"),
        "{flat:?}"
    );
    assert!(flat.iter().any(|c| c == "Chưa nộp báo cáo"));
}

#[test]
fn accepts_values_typed_as_text() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let mut a = commune_answers();
    // "1.234" is 1234 articles; "có" is yes; "12,5" is refused for a count (not whole) but
    // read as the number 12.5; a ratio typed "18" / "20" as text.
    a[0] = ("1.11-tin-bai", T::S("1.234"), T::Empty);
    a[1] = ("3.5-ban-sao-dien-tu", T::S("có"), T::Empty);
    a[7] = ("10.4-thu-cong-vu", T::S("18"), T::S("20"));
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &a,
        None,
    );
    let tc = "Phòng Tài chính - Kế hoạch";
    fill(
        &dir.join(slug_of(tc)),
        &case.inputs().join("tc.xlsx"),
        &[
            ("1.11-tin-bai", T::N(0.0), T::Empty),
            ("8-ke-hoach-von", T::S("1.000,5"), T::Empty),
            ("8-giai-ngan", T::S("12,5"), T::Empty),
            ("10.1-van-ban-dien-tu", T::N(1.0), T::N(1.0)),
            ("10.2-ky-so", T::N(1.0), T::N(1.0)),
            ("10.4-thu-cong-vu", T::N(1.0), T::N(1.0)),
            ("10.5-toan-trinh", T::N(1.0), T::N(1.0)),
        ],
        None,
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(answer(&r, "1.11-tin-bai", BD), Some((Some(1234.0), None)));
    assert_eq!(
        answer(&r, "3.5-ban-sao-dien-tu", BD),
        Some((Some(1.0), None))
    );
    assert_eq!(
        answer(&r, "10.4-thu-cong-vu", BD),
        Some((Some(18.0), Some(20.0)))
    );
    assert_eq!(answer(&r, "8-ke-hoach-von", tc), Some((Some(1000.5), None)));
    // Target 8: 12.5 / 1000.5 = 1.25 % of the plan disbursed.
    let t = r.indicators.targets.iter().find(|t| t.id == "8").unwrap();
    assert_eq!(t.rate.rounded(), 1.25);
    assert!(!t.met);
}

#[test]
fn quarantines_a_wrong_answer_and_counts_the_rest_of_the_form() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let mut a = commune_answers();
    a[0] = ("1.11-tin-bai", T::S("nhiều"), T::Empty); // not a number
    a[1] = ("3.5-ban-sao-dien-tu", T::S("chắc có"), T::Empty); // not Có / Không
    a[2] = ("5.5-tap-huan-xa", T::Empty, T::Empty); // required, empty
    a[4] = ("10.1-van-ban-dien-tu", T::N(-3.0), T::N(10.0)); // negative
    a[5] = ("10.2-ky-so", T::N(30.0), T::N(20.0)); // n > N
    a[7] = ("10.4-thu-cong-vu", T::N(2.5), T::N(20.0)); // not whole
    a[8] = ("10.5-toan-trinh", T::N(3.0), T::Empty); // no total
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &a,
        None,
    );
    let r = case.run_all();
    let by_q = |q: &str| {
        r.quarantine
            .iter()
            .find(|x| x.dossier_id == q)
            .unwrap_or_else(|| panic!("{q} not quarantined: {:?}", r.quarantine))
    };
    // The form's rows: header on sheet row 4, questions from row 5 in form order.
    let rows = read_sheet(&case.inputs().join("bd.xlsx"), "Số liệu");
    let row_of = |q: &str| rows.iter().position(|r| r[0] == q).unwrap() as u32 + 1;
    for (q, words) in [
        ("1.11-tin-bai", "«nhiều» không phải một số nguyên không âm"),
        ("3.5-ban-sao-dien-tu", "không phải «Có» hoặc «Không»"),
        ("5.5-tap-huan-xa", "câu hỏi bắt buộc chưa được trả lời"),
        (
            "10.1-van-ban-dien-tu",
            "«-3» không phải một số nguyên không âm",
        ),
        ("10.2-ky-so", "số liệu 30 lớn hơn tổng số 20 (n > N)"),
        (
            "10.4-thu-cong-vu",
            "«2.5» không phải một số nguyên không âm",
        ),
        ("10.5-toan-trinh", "ô «Tổng số» trống"),
    ] {
        let x = by_q(q);
        assert!(x.reason.contains(words), "{q}: {}", x.reason);
        assert!(x.reason.contains(&format!("câu hỏi «{q}»")), "{}", x.reason);
        assert_eq!(x.source.sheet, "Số liệu");
        assert_eq!(x.source.row, row_of(q), "{q}");
    }
    assert_eq!(r.quarantine.len(), 7);
    // The rest counts: 9 (Có) and 10.3 (Có); the unit reported.
    assert_eq!(
        answer(&r, "9-thanh-toan-dien-tu", BD),
        Some((Some(1.0), None))
    );
    assert_eq!(answer(&r, "10.2-ky-so", BD), None);
    assert!(r
        .indicators
        .self_report()
        .reported
        .iter()
        .any(|(_, u)| u == BD));
    // The data-quality workbook names the file, sheet, row and question.
    let q = read_sheet(
        &case.out().join("chat-luong-du-lieu-2024-Q1.xlsx"),
        "Hồ sơ cách ly",
    );
    let line = q
        .iter()
        .find(|row| row.iter().any(|c| c.contains("n > N")))
        .unwrap();
    assert!(line.iter().any(|c| c.ends_with("bd.xlsx")), "{line:?}");
    assert!(line.iter().any(|c| c == "Số liệu"));
    // 10 answers, 7 of them quarantined, and the rows of the 26 tasks Bà Điểm leads.
    let acc = crate::support::account(&r);
    assert_eq!((acc.read, acc.quarantined, acc.counted), (36, 7, 29));
}

#[test]
fn excludes_a_form_of_another_period_and_names_it() {
    let case = Case::new();
    let q4 = forms(case.dir.path(), &case.pipeline, "2023-Q4");
    fill(
        &q4.join(slug_of(BD)),
        &case.inputs().join("bd-q4.xlsx"),
        &commune_answers(),
        None,
    );
    let r = case.run();
    assert!(r.indicators.self_report().reported.is_empty());
    assert!(r
        .indicators
        .self_report()
        .question("1.11-tin-bai")
        .unwrap()
        .answers
        .is_empty());
    let w = r
        .warnings
        .iter()
        .find(|w| w.kind == cchc::kinds::self_report::OTHER_PERIOD_FORM)
        .unwrap();
    assert_eq!(w.dossier_id, BD);
    assert!(
        w.value.contains("2023-Q4") && w.value.contains("2024-Q1"),
        "{}",
        w.value
    );
    // 10 answers; a form of 2023 lists no task of the 2024 plan.
    let acc = crate::support::account(&r);
    assert_eq!((acc.counted, acc.excluded_outside_period), (0, 10));
    let summary = cchc::summary::run_summary(&r);
    assert!(summary.contains("bd-q4.xlsx"), "{summary}");
    assert!(
        summary.contains("không tính vào số liệu của kỳ này"),
        "{summary}"
    );
}

#[test]
fn refuses_a_form_of_another_configuration_and_counts_nothing_it_holds() {
    // The forms of a configuration whose question 10.2 reads differently.
    let other = Case::with_pipeline_edit("district = ", "district = ");
    let sr = other.pipeline.parent().unwrap().join("self-report.toml");
    let text = std::fs::read_to_string(&sr).unwrap();
    std::fs::write(
        &sr,
        text.replace(
            "Số cán bộ, công chức được cấp và sử dụng chữ ký số",
            "Số công chức có chữ ký số",
        ),
    )
    .unwrap();
    let old = forms(other.dir.path(), &other.pipeline, "2024-Q1");
    let case = Case::new();
    fill(
        &old.join(slug_of(BD)),
        &case.inputs().join("bd-cu.xlsx"),
        &commune_answers(),
        None,
    );
    // 10.2 is asked of every commune: Bà Điểm's form is of another version. Its 10 answers and
    // every row of its "Nhiệm vụ" sheet are quarantined.
    let tasks_of_bd = cchc::tasks::plan(&shipped()).led_by(BD).count();
    let r = case.run_all();
    assert_eq!(r.quarantine.len(), 10 + tasks_of_bd);
    for q in &r.quarantine {
        assert!(
            q.reason.contains("không phải phiên bản hiện hành"),
            "{}",
            q.reason
        );
        assert!(q.reason.contains("lấy biểu mẫu hiện hành"), "{}", q.reason);
        assert!(q.reason.contains("bd-cu.xlsx"), "{}", q.reason);
    }
    assert!(r
        .indicators
        .self_report()
        .questions
        .iter()
        .all(|q| q.answers.is_empty()));
    assert!(r
        .indicators
        .self_report()
        .missing
        .iter()
        .any(|(_, u)| u == BD));
    assert!(r
        .indicators
        .targets
        .iter()
        .all(|t| t.measure != "self_report"));
    let summary = cchc::summary::run_summary(&r);
    assert!(summary.contains("biểu mẫu hiện hành"), "{summary}");
    // The same with an identity whose version was typed over.
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        Some("cchc-form/1;2024-Q1;Xã Bà Điểm;deadbeef"),
    );
    let r = case.run();
    assert_eq!(r.quarantine.len(), 10 + tasks_of_bd);
    assert!(r.indicators.self_report().reported.is_empty());
}

#[test]
fn refuses_a_form_without_its_identity_as_a_file() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        Some("đã xóa"),
    );
    let err = case.run_err();
    assert!(err.contains("bd.xlsx"), "{err}");
    assert!(err.contains("không có ô mã biểu mẫu"), "{err}");
    // The hint names the pipeline, quoted, so that it writes this pipeline's forms.
    let hint = format!("cchc forms \"{}\" --period <kỳ>", case.pipeline.display());
    assert!(err.contains(&hint), "{err}");
}

#[test]
fn counts_the_later_of_two_forms_of_a_unit() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let mut first = commune_answers();
    first[0] = ("1.11-tin-bai", T::N(9.0), T::Empty);
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("a-bd.xlsx"),
        &first,
        None,
    );
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("b-bd.xlsx"),
        &commune_answers(),
        None,
    );
    let r = case.run();
    // The forms differ in one answer only (no completion date, as many values): the first row
    // that differs is 1.11, and «9» comes after «4» → a-bd.xlsx counts, though b-bd.xlsx is
    // read after it. Every row of b-bd.xlsx is a duplicate: its 10 answers and the rows of the
    // 26 tasks Bà Điểm leads.
    assert_eq!(answer(&r, "1.11-tin-bai", BD), Some((Some(9.0), None)));
    assert_eq!(cchc::tasks::plan(&shipped()).led_by(BD).count(), 26);
    assert_eq!(r.duplicates.len(), 10 + 26);
    let d = r
        .duplicates
        .iter()
        .find(|d| d.dossier_id == "1.11-tin-bai")
        .unwrap();
    assert_eq!((d.dropped.file, d.kept.file), (1, 0));
    assert!(d.reason.contains("không theo tên hay thứ tự tệp"));
    let acc = crate::support::account(&r);
    assert_eq!((acc.read, acc.duplicate, acc.counted), (72, 36, 36));
}

#[test]
fn lists_the_units_that_returned_no_form_everywhere() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        None,
    );
    let r = case.run_all();
    let missing: Vec<&str> = r
        .indicators
        .self_report()
        .missing
        .iter()
        .map(|(_, u)| u.as_str())
        .collect();
    assert_eq!(missing.len(), 30);
    assert!(missing.contains(&DT) && missing.contains(&NV) && !missing.contains(&BD));
    let summary = cchc::summary::run_summary(&r);
    assert!(summary.contains("1/31 đơn vị đã báo cáo"), "{summary}");
    assert!(
        summary.contains("Chưa nộp báo cáo: Văn phòng HĐND và UBND huyện, Phòng Nội vụ"),
        "{summary}"
    );
    let q = read_sheet(
        &case.out().join("chat-luong-du-lieu-2024-Q1.xlsx"),
        "Chưa nộp báo cáo",
    );
    assert!(q.iter().any(|row| row.iter().any(|c| c == DT)));
    assert!(q
        .iter()
        .flatten()
        .any(|c| c.contains("1/31 đơn vị đã báo cáo")));
    let report = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(
        report.contains("Chưa nộp báo cáo"),
        "report lists no missing unit"
    );
    assert!(report.contains(DT));
}

#[test]
fn sums_the_quarters_of_the_year_for_year_to_date_questions() {
    let case = Case::new().period("2024-Q2");
    let q1 = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let q2 = forms(case.dir.path(), &case.pipeline, "2024-Q2");
    let q4 = forms(case.dir.path(), &case.pipeline, "2023-Q4");
    // 2023-Q4: 6 of 12 (another year: not summed); 2024-Q1: 2 of 12; 2024-Q2: 3 of 12.
    fill(
        &q4.join(slug_of(NV)),
        &case.inputs().join("nv-q4.xlsx"),
        &noi_vu_answers((6.0, 12.0)),
        None,
    );
    fill(
        &q1.join(slug_of(NV)),
        &case.inputs().join("nv-q1.xlsx"),
        &noi_vu_answers((2.0, 12.0)),
        None,
    );
    fill(
        &q2.join(slug_of(NV)),
        &case.inputs().join("nv-q2.xlsx"),
        &noi_vu_answers((3.0, 12.0)),
        None,
    );
    let r = case.run();
    // Year to date at 2024-Q2: 2 + 3 = 5 of 12 = 41.67 % ≥ 40: met.
    assert_eq!(
        answer(&r, "2a-dinh-ky-huyen", NV),
        Some((Some(5.0), Some(12.0)))
    );
    let t = r
        .indicators
        .targets
        .iter()
        .find(|t| t.id == "2a" && t.title.contains("cấp huyện"))
        .unwrap();
    assert_eq!(t.rate.rounded(), 41.67);
    assert!(t.met);
    // 2a-dinh-ky-xa: 3 + 3 = 6 of 13; 1.11 is no year-to-date question: this quarter's 2.
    assert_eq!(
        answer(&r, "2a-dinh-ky-xa", NV),
        Some((Some(6.0), Some(13.0)))
    );
    assert_eq!(answer(&r, "1.11-tin-bai", NV), Some((Some(2.0), None)));
    // The Q1 and Q4 forms are outside the period, each named.
    // 9 answers and 53 task rows per form of 2024 (Phòng Nội vụ leads 53 tasks); the form of
    // 2023-Q4 lists no task of the 2024 plan: 62 + 9 outside the period.
    assert_eq!(cchc::tasks::plan(&shipped()).led_by(NV).count(), 53);
    let acc = crate::support::account(&r);
    assert_eq!((acc.counted, acc.excluded_outside_period), (62, 71));
    assert_eq!(
        r.warnings
            .iter()
            .filter(|w| w.kind == cchc::kinds::self_report::OTHER_PERIOD_FORM)
            .count(),
        2
    );
    // The report says the figure is year to date; the form asked for the quarter's own.
    let rendered = cchc::render::report::render(
        None,
        &cchc::render::report::ReportInput {
            pipeline: &r.pipeline,
            period: &r.period,
            indicators: &r.indicators,
            previous: &Default::default(),
            narrative: None,
            index766: None,
        },
    )
    .unwrap();
    let html = String::from_utf8(rendered.html).unwrap();
    assert!(
        html.contains("- Số xã, thị trấn được kiểm tra công tác cải cách hành chính định kỳ trên tổng số xã, thị trấn (lũy kế từ đầu năm): 6/13 xã, thị trấn (46,15 %)"),
        "{}",
        &html[html.find("Số xã, thị trấn").unwrap_or(0)..][..300]
    );
    let form = read_sheet(&q2.join(slug_of(NV)), "Số liệu");
    assert!(form.iter().flatten().any(|c| c.ends_with(
        "trên tổng số xã, thị trấn (ghi số của kỳ này; chương trình tự cộng dồn từ đầu năm)"
    )));
}

#[test]
fn reads_a_form_filled_in_and_saved_by_libreoffice() {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|s| Command::new(s).arg("--version").output().is_ok());
    let Some(soffice) = soffice else {
        eprintln!("soffice không có trên máy: bỏ qua phép thử biểu mẫu lưu bằng LibreOffice");
        return;
    };
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let typed = case.dir.path().join("typed");
    std::fs::create_dir_all(&typed).unwrap();
    let mut a = commune_answers();
    a[0] = ("1.11-tin-bai", T::S("1.234"), T::Empty);
    fill(
        &dir.join(slug_of(BD)),
        &typed.join("xa-ba-diem.xlsx"),
        &a,
        None,
    );
    let profile = case.dir.path().join("lo-profile");
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(case.inputs())
        .arg(typed.join("xa-ba-diem.xlsx"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(answer(&r, "1.11-tin-bai", BD), Some((Some(1234.0), None)));
    assert_eq!(answer(&r, "10.2-ky-so", BD), Some((Some(15.0), Some(20.0))));
    assert_eq!(
        answer(&r, "3.5-ban-sao-dien-tu", BD),
        Some((Some(1.0), None))
    );
}

fn shipped() -> cchc::config::Pipeline {
    cchc::kinds::load_pipeline(&root().join("pipelines/quarterly.toml")).unwrap()
}

fn task<'a>(r: &'a RunReport, number: &str) -> &'a cchc::tasks::TaskRow {
    r.indicators
        .tasks()
        .rows
        .iter()
        .find(|t| t.number == number)
        .unwrap()
}

fn lead<'a>(row: &'a cchc::tasks::TaskRow, unit: &str) -> &'a cchc::tasks::LeadAnswer {
    row.leads.iter().find(|l| l.unit == unit).unwrap()
}

/// Phòng Nội vụ's and Bà Điểm's forms of 2024-Q1 with their "Nhiệm vụ" sheets filled in.
/// 1.1 (on event, Phòng Nội vụ alone): Không phát sinh → done. 1.2 (on event): typed
/// «hoàn thành» in lower case → done. 1.3 (on event): left blank → not started, never late.
/// 1.13 (each quarter, every unit leads it, due 14/03/2024): both say Hoàn thành, the other 29
/// sent no form → in progress and late. 3.3 (in 2024: Phòng Tư pháp and the 12 communes):
/// Bà Điểm «Đang Thực Hiện» → in progress, not due, not late. 1.9 (continuous, every unit):
/// Bà Điểm Chưa thực hiện → not started, never late.
#[test]
fn reads_the_task_sheet_of_each_form_into_the_tasks_progress() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_with_tasks(
        &dir.join(slug_of(NV)),
        &case.inputs().join("nv.xlsx"),
        &noi_vu_answers((2.0, 12.0)),
        &[
            ("1.1", T::S("Không phát sinh"), T::Empty, ""),
            ("1.2", T::S("hoàn thành"), T::S("05/03/2024"), ""),
            (
                "1.13",
                T::S("Hoàn thành"),
                T::D(2024, 3, 10),
                "Bài viết số 3/NV đăng ngày 10/3/2024",
            ),
        ],
        None,
    );
    fill_with_tasks(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[
            ("1.13", T::S("Hoàn thành"), T::D(2024, 2, 20), ""),
            ("3.3", T::S("Đang Thực Hiện"), T::Empty, ""),
            ("1.9", T::S("Chưa thực hiện"), T::Empty, ""),
        ],
        None,
    );
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let p = shipped();
    // Every row of both sheets is read and counted: the questions and the tasks each leads.
    for (file, unit) in r.files.iter().zip([BD, NV]) {
        let account = r
            .accounts
            .iter()
            .zip(&r.files)
            .find(|(_, f)| f.path == file.path)
            .unwrap()
            .0;
        let rows = cchc::kinds::self_report::config(&p).asked_of(unit).count()
            + cchc::tasks::plan(&p).led_by(unit).count();
        assert_eq!(account.read as usize, rows, "{unit}");
        assert!(account.balances(), "{unit}: {account:?}");
    }
    use cchc::tasks::{Progress, TaskStatus};
    let t11 = task(&r, "1.1");
    assert_eq!((t11.progress, t11.late), (Progress::Done, false));
    let t12 = task(&r, "1.2");
    assert_eq!(t12.progress, Progress::Done);
    assert_eq!(
        t12.completed.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    let t13 = task(&r, "1.3");
    assert_eq!((t13.progress, t13.late), (Progress::NotStarted, false));
    let t113 = task(&r, "1.13");
    assert_eq!(
        (t113.progress, t113.is_due, t113.late),
        (Progress::InProgress, true, true)
    );
    assert_eq!(t113.leads_reported(), 2);
    assert_eq!(t113.leads_done(), 2);
    let nv = lead(t113, NV);
    assert_eq!(nv.status, Some(TaskStatus::Done));
    assert_eq!(
        nv.completed.map(|d| d.to_string()).as_deref(),
        Some("2024-03-10")
    );
    assert_eq!(
        nv.evidence.as_deref(),
        Some("Bài viết số 3/NV đăng ngày 10/3/2024")
    );
    assert!(!lead(t113, DT).reported);
    let t33 = task(&r, "3.3");
    assert_eq!(
        (t33.progress, t33.is_due, t33.late),
        (Progress::InProgress, false, false)
    );
    assert_eq!(lead(t33, BD).status, Some(TaskStatus::InProgress));
    assert!(!lead(t33, "Phòng Tư pháp").reported);
    let t19 = task(&r, "1.9");
    assert_eq!((t19.progress, t19.late), (Progress::NotStarted, false));
    // A task neither unit leads: nobody reported on it.
    assert_eq!(task(&r, "3.10").progress, Progress::NotReported);
    // indicators.json says the same.
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let entry = |n: &str| {
        json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["number"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(entry("1.13")["status"], "in_progress");
    assert_eq!(entry("1.13")["late"], true);
    assert_eq!(entry("1.1")["status"], "done");
    assert_eq!(entry("3.3")["late"], false);
}

/// Rows of the "Nhiệm vụ" sheet at fault are quarantined one by one, with the sheet, row,
/// column and why; the other rows and the questions still count.
#[test]
fn quarantines_a_task_row_at_fault_and_counts_the_rest() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_with_tasks(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[
            ("1.13", T::S("Xong"), T::Empty, ""),
            ("3.3", T::S("Hoàn thành"), T::S("31/02/2024"), ""),
            ("1.9", T::S("Đang thực hiện"), T::D(2024, 3, 1), ""),
            (
                "3.4",
                T::S("Hoàn thành"),
                T::S("01/03/2024"),
                "Báo cáo số 12/BC-UBND",
            ),
        ],
        None,
    );
    let r = case.run_all();
    let tasks_sheet: Vec<_> = r
        .quarantine
        .iter()
        .filter(|q| q.source.sheet == "Nhiệm vụ")
        .collect();
    assert_eq!(tasks_sheet.len(), 3, "{:?}", r.quarantine);
    assert_eq!(r.quarantine.len(), 3);
    let of = |n: &str| *tasks_sheet.iter().find(|q| q.dossier_id == n).unwrap();
    let q = of("1.13");
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Tình trạng", "Xong")
    );
    assert!(
        q.reason
            .contains("không phải một tình trạng trong danh sách"),
        "{}",
        q.reason
    );
    assert!(q
        .reason
        .contains("«Hoàn thành», «Đang thực hiện», «Chưa thực hiện», «Không phát sinh»"));
    let q = of("3.3");
    assert_eq!(
        (q.column.as_str(), q.value.as_str()),
        ("Ngày hoàn thành", "31/02/2024")
    );
    let q = of("1.9");
    assert_eq!(q.column, "Ngày hoàn thành");
    assert!(
        q.reason.contains("tình trạng là «Đang thực hiện»"),
        "{}",
        q.reason
    );
    // The row numbers are the sheet's: the header is row 1, tasks follow in the plan's order.
    let p = shipped();
    let position = |n: &str| {
        cchc::tasks::plan(&p)
            .led_by(BD)
            .position(|t| t.number == n)
            .unwrap() as u32
            + 2
    };
    assert_eq!(of("1.13").source.row, position("1.13"));
    // The file's account still balances: every row read is counted or quarantined.
    let account = &r.accounts[0];
    assert_eq!(
        account.read as usize,
        cchc::kinds::self_report::config(&p).asked_of(BD).count()
            + cchc::tasks::plan(&p).led_by(BD).count()
    );
    assert_eq!(account.quarantined, 3);
    assert!(account.balances(), "{account:?}");
    // 3.4 counts; the quarantined 1.13 counts as no answer from Bà Điểm.
    let t34 = task(&r, "3.4");
    assert_eq!(lead(t34, BD).status, Some(cchc::tasks::TaskStatus::Done));
    assert_eq!(
        lead(t34, BD).evidence.as_deref(),
        Some("Báo cáo số 12/BC-UBND")
    );
    assert_eq!(lead(task(&r, "1.13"), BD).status, None);
    assert_eq!(district(&r, "1.11-tin-bai").value, 4.0);
    // The data-quality workbook lists them on its quarantine sheet.
    let book = case.out().join("chat-luong-du-lieu-2024-Q1.xlsx");
    let names = calamine::open_workbook_auto(&book).unwrap().sheet_names();
    let sheet = names.iter().find(|n| n.contains("cách ly")).unwrap();
    let rows = read_sheet(&book, sheet);
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == "Xong")),
        "{rows:?}"
    );
}

/// A finished task stays finished — a task with a deadline day, whose answer of an earlier
/// quarter is the unit's latest: Phòng Nội vụ said Hoàn thành for 1.4.1 and 1.4.2 («Trong năm
/// 2024») and for 1.13 («Hàng quý») in 2024-Q1; in Q2 it left 1.4.1 and 1.13 blank and took
/// 1.4.2 back to Đang thực hiện, and typed «Xong» for 1.5 (done in Q1); in Q3 it left
/// everything blank. Bà Điểm sent only its Q1 form,
/// Hoàn thành for 3.4 («Trong năm 2024»).
#[test]
fn carries_a_finished_task_into_the_later_quarters_of_the_year() {
    let case = Case::new();
    let q1 = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let q2 = forms(case.dir.path(), &case.pipeline, "2024-Q2");
    let q3 = forms(case.dir.path(), &case.pipeline, "2024-Q3");
    fill_with_tasks(
        &q1.join(slug_of(NV)),
        &case.inputs().join("nv-q1.xlsx"),
        &noi_vu_answers((2.0, 12.0)),
        &[
            (
                "1.4.1",
                T::S("Hoàn thành"),
                T::D(2024, 3, 1),
                "Kế hoạch số 20/KH-NV",
            ),
            ("1.4.2", T::S("Hoàn thành"), T::D(2024, 3, 2), ""),
            ("1.5", T::S("Hoàn thành"), T::D(2024, 3, 4), ""),
            ("1.13", T::S("Hoàn thành"), T::D(2024, 3, 3), ""),
            ("1.2", T::S("Đang thực hiện"), T::Empty, ""),
        ],
        None,
    );
    fill_with_tasks(
        &q2.join(slug_of(NV)),
        &case.inputs().join("nv-q2.xlsx"),
        &noi_vu_answers((4.0, 12.0)),
        &[
            ("1.4.2", T::S("Đang thực hiện"), T::Empty, ""),
            ("1.5", T::S("Xong"), T::Empty, ""),
        ],
        None,
    );
    fill_with_tasks(
        &q3.join(slug_of(NV)),
        &case.inputs().join("nv-q3.xlsx"),
        &noi_vu_answers((6.0, 12.0)),
        &[],
        None,
    );
    fill_with_tasks(
        &q1.join(slug_of(BD)),
        &case.inputs().join("bd-q1.xlsx"),
        &commune_answers(),
        &[("3.4", T::S("Hoàn thành"), T::D(2024, 3, 2), "")],
        None,
    );
    use cchc::tasks::Progress;
    let run = |period: &str| {
        let mut c = Case {
            dir: tempfile::tempdir().unwrap(),
            pipeline: case.pipeline.clone(),
            period: period.into(),
        };
        std::fs::create_dir_all(c.inputs()).unwrap();
        for e in std::fs::read_dir(case.inputs()).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, c.inputs().join(p.file_name().unwrap())).unwrap();
        }
        c.period = period.into();
        c.run()
    };
    let r = run("2024-Q2");
    let t141 = task(&r, "1.4.1");
    assert_eq!(t141.progress, Progress::Done);
    assert_eq!(lead(t141, NV).carried_from.as_deref(), Some("2024-Q1"));
    assert_eq!(
        t141.completed.map(|d| d.to_string()).as_deref(),
        Some("2024-03-01")
    );
    assert_eq!(task(&r, "1.4.2").progress, Progress::InProgress);
    // «Hàng quý» falls due again at each quarter's end: Q1's Hoàn thành does not carry.
    let t113 = task(&r, "1.13");
    assert_eq!(lead(t113, NV).status, None);
    assert!(t113.late);
    // Q2's row of 1.5 is quarantined («Xong»): Q1's Hoàn thành does not stand in for it.
    assert_eq!(task(&r, "1.5").progress, Progress::NotStarted);
    // An answer other than Hoàn thành does not carry either.
    assert_eq!(task(&r, "1.2").progress, Progress::NotStarted);
    let t34 = task(&r, "3.4");
    assert!(lead(t34, BD).reported);
    assert_eq!(lead(t34, BD).progress(t34.rule), Progress::Done);
    assert!(!lead(task(&r, "3.3"), BD).reported);
    // Q3: 1.4.1 still done from Q1; 1.4.2's latest answer (Q2) is Đang thực hiện: not carried.
    let r = run("2024-Q3");
    assert_eq!(task(&r, "1.4.1").progress, Progress::Done);
    assert_eq!(task(&r, "1.4.2").progress, Progress::NotStarted);
    // The half year reads each unit's latest quarter within it: Phòng Nội vụ's Q2 form.
    let r = run("2024-H1");
    assert_eq!(task(&r, "1.4.2").progress, Progress::InProgress);
    assert_eq!(task(&r, "1.4.1").progress, Progress::Done);
    assert!(lead(task(&r, "1.4.1"), NV).reported);
    assert_eq!(r.indicators.tasks().lead_units_reported().0, 2);
    // In Q1 alone, 1.4.1 is done there and then.
    let r = run("2024-Q1");
    assert_eq!(lead(task(&r, "1.4.1"), NV).carried_from, None);
    assert_eq!(task(&r, "1.2").progress, Progress::InProgress);
    assert_eq!(task(&r, "1.13").progress, Progress::InProgress);
}

/// A form whose «Nhiệm vụ» sheet was renamed: the unit's questions count, its tasks are not
/// reported (not «not started»), and a warning names the file; a completion day after the
/// form's return deadline and «Không phát sinh» on a task with a deadline are caught.
#[test]
fn tells_a_form_without_its_task_sheet_and_checks_completion_days() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_renamed(
        &dir.join(slug_of(NV)),
        &case.inputs().join("nv.xlsx"),
        &noi_vu_answers((2.0, 12.0)),
        &[("1.4.1", T::S("Hoàn thành"), T::D(2024, 3, 1), "")],
        None,
        Some(("Nhiệm vụ", "Tiến độ")),
        &[],
    );
    // The return deadline of 2024-Q1 is 17/03/2024 (3 days after 14/03/2024).
    fill_with_tasks(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[
            ("3.4", T::S("Hoàn thành"), T::D(2024, 5, 1), ""),
            ("3.3", T::S("Hoàn thành"), T::D(2024, 3, 17), ""),
            ("3.8", T::S("Hoàn thành"), T::D(2023, 11, 30), ""),
            ("3.9", T::S("Không phát sinh"), T::Empty, ""),
        ],
        None,
    );
    let r = case.run();
    use cchc::tasks::Progress;
    let missing: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::self_report::TASK_SHEET_MISSING)
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", r.warnings);
    assert_eq!(missing[0].dossier_id, NV);
    assert!(missing[0]
        .value
        .contains("53 nhiệm vụ Phòng Nội vụ chủ trì chưa có báo cáo"));
    assert!(r
        .indicators
        .self_report()
        .reported
        .iter()
        .any(|(_, u)| u == NV));
    assert_eq!(task(&r, "1.4.1").progress, Progress::NotReported);
    assert!(!lead(task(&r, "1.4.1"), NV).reported);
    // Bà Điểm: 1 May is after the deadline, 30 Nov 2023 before the year's first quarter
    // (15/12/2023); 17 March is the deadline itself and counts.
    let on_tasks: Vec<_> = r
        .quarantine
        .iter()
        .filter(|q| q.source.sheet == "Nhiệm vụ")
        .collect();
    assert_eq!(on_tasks.len(), 2, "{on_tasks:?}");
    let of = |n: &str| on_tasks.iter().find(|q| q.dossier_id == n).unwrap();
    assert!(
        of("3.4")
            .reason
            .contains("sau ngày 17/03/2024 — hạn nộp biểu mẫu kỳ 2024-Q1"),
        "{}",
        of("3.4").reason
    );
    assert!(
        of("3.8").reason.contains("trước ngày 15/12/2023"),
        "{}",
        of("3.8").reason
    );
    assert_eq!(
        lead(task(&r, "3.3"), BD).status,
        Some(cchc::tasks::TaskStatus::Done)
    );
    let na: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::self_report::NOT_APPLICABLE_TASK)
        .collect();
    assert_eq!(na.len(), 1);
    assert_eq!(
        (na[0].dossier_id.as_str(), na[0].source.sheet.as_str()),
        ("3.9", "Nhiệm vụ")
    );
    assert_eq!(
        lead(task(&r, "3.9"), BD).progress(task(&r, "3.9").rule),
        Progress::NotStarted
    );
}

/// A «Nhiệm vụ» sheet whose «Tình trạng» header was typed over: every row is quarantined with
/// the column named, and the unit's tasks are not reported.
#[test]
fn names_the_missing_column_of_a_task_sheet_whose_header_was_edited() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_with_tasks(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[
            // The header row's first cell is «Mã nhiệm vụ»: its «Tình trạng» typed over.
            ("Mã nhiệm vụ", T::S("Tiến độ"), T::S("Ngày hoàn thành"), ""),
            ("3.4", T::S("Hoàn thành"), T::Empty, ""),
        ],
        None,
    );
    let r = case.run();
    let tasks_of_bd = cchc::tasks::plan(&shipped()).led_by(BD).count();
    assert_eq!(r.quarantine.len(), tasks_of_bd);
    let q = &r.quarantine[0];
    assert_eq!((q.source.sheet.as_str(), q.source.row), ("Nhiệm vụ", 2));
    assert!(
        q.reason
            .contains("dòng tiêu đề (dòng 1) của trang «Nhiệm vụ» không có cột «Tình trạng»"),
        "{}",
        q.reason
    );
    assert_eq!(task(&r, "3.4").progress, cchc::tasks::Progress::NotReported);
    assert!(r.accounts[0].balances());
}

/// A unit that types the cumulative figure into a year-to-date question anyway: 8 of 12 in
/// Q1 and again 8 of 12 in Q2 sums to 16 of 12 — warned, naming the question and the form.
#[test]
fn warns_when_a_year_to_date_sum_exceeds_its_total() {
    let case = Case::new().period("2024-Q2");
    let q1 = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let q2 = forms(case.dir.path(), &case.pipeline, "2024-Q2");
    fill(
        &q1.join(slug_of(NV)),
        &case.inputs().join("nv-q1.xlsx"),
        &noi_vu_answers((8.0, 12.0)),
        None,
    );
    fill(
        &q2.join(slug_of(NV)),
        &case.inputs().join("nv-q2.xlsx"),
        &noi_vu_answers((8.0, 12.0)),
        None,
    );
    let r = case.run();
    let over: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::self_report::YEAR_TO_DATE_OVER_TOTAL)
        .collect();
    assert_eq!(over.len(), 1, "{over:?}");
    let w = over[0];
    assert_eq!(
        (w.dossier_id.as_str(), w.column.as_str()),
        ("2a-dinh-ky-huyen", NV)
    );
    assert_eq!(w.source.sheet, "Số liệu");
    assert!(
        w.value
            .contains("cộng dồn từ đầu năm 16 lớn hơn tổng số 12"),
        "{}",
        w.value
    );
    let file = &r.files[w.source.file];
    assert!(file.display.ends_with("nv-q2.xlsx"), "{}", file.display);
}

/// What a unit types about people — the preparer's name and phone on «Thông tin», a note on
/// «Nhiệm vụ» and «Số liệu» — reaches no output; the task's evidence does, as the annex shows it.
#[test]
fn keeps_the_preparer_and_the_notes_of_a_form_out_of_every_output() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_renamed(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[(
            "3.4",
            T::S("Hoàn thành"),
            T::D(2024, 3, 1),
            "Báo cáo số 12/BC-UBND",
        )],
        None,
        None,
        &[
            ("Thông tin", "Người lập biểu", 1, "Nguyễn Thị Hoa"),
            ("Thông tin", "Số điện thoại", 1, "0909123456"),
            (
                "Nhiệm vụ",
                "3.4",
                7,
                "Liên hệ ông Trần Văn Bình, 0912345678",
            ),
            (
                "Số liệu",
                "1.11-tin-bai",
                6,
                "Bà Lê Thị Mai, 12 đường Lý Thường Kiệt",
            ),
        ],
    );
    // The form holds them.
    let form = case.inputs().join("bd.xlsx");
    for (sheet, word) in [
        ("Thông tin", "Nguyễn Thị Hoa"),
        ("Thông tin", "0909123456"),
        ("Nhiệm vụ", "Liên hệ ông Trần Văn Bình, 0912345678"),
        ("Số liệu", "Bà Lê Thị Mai, 12 đường Lý Thường Kiệt"),
    ] {
        assert!(
            read_sheet(&form, sheet).iter().flatten().any(|c| c == word),
            "{word} not on {sheet}"
        );
    }
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        lead(task(&r, "3.4"), BD).evidence.as_deref(),
        Some("Báo cáo số 12/BC-UBND")
    );
    let texts = crate::support::output_texts(&case.out());
    assert!(texts.iter().any(|(_, t)| t.contains("Báo cáo số 12")));
    for word in [
        "Nguyễn Thị Hoa",
        "0909123456",
        "Trần Văn Bình",
        "0912345678",
        "Lê Thị Mai",
        "Lý Thường Kiệt",
    ] {
        for (file, text) in &texts {
            assert!(!text.contains(word), "«{word}» in {file}");
        }
    }
}

/// Issue 25: a yes/no share divides by the units that answered yes or no. Bà Điểm and Đông
/// Thạnh answer 3.5 «Có», Xuân Thới Sơn «Không áp dụng»; the other 10 units asked (the district
/// office and 9 communes) returned nothing: 2/2 = 100 %, not 2/13, and the 10 are named.
#[test]
fn divides_a_yes_no_share_by_the_units_that_answered() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    for (unit, file) in [(BD, "bd.xlsx"), (DT, "dt.xlsx")] {
        fill(
            &dir.join(slug_of(unit)),
            &case.inputs().join(file),
            &commune_answers(),
            None,
        );
    }
    let mut na = commune_answers();
    na[1] = ("3.5-ban-sao-dien-tu", T::S("Không áp dụng"), T::Empty);
    fill(
        &dir.join(slug_of("Xã Xuân Thới Sơn")),
        &case.inputs().join("xts.xlsx"),
        &na,
        None,
    );
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let d = district(&r, "3.5-ban-sao-dien-tu");
    assert_eq!(
        (d.value, d.total, d.answered, d.asked),
        (2.0, Some(2.0), 2, 13)
    );
    assert_eq!(d.rate.unwrap().rounded(), 100.0);
    assert_eq!(d.not_applicable, 1);
    assert_eq!(d.unanswered.len(), 10);
    assert!(d
        .unanswered
        .iter()
        .any(|u| u == "Văn phòng HĐND và UBND huyện"));
    assert!(!d.unanswered.iter().any(|u| u == "Xã Xuân Thới Sơn"));
    // The target is decided on the units that answered: 100 % ≥ 100.
    let t = r.indicators.targets.iter().find(|t| t.id == "3.5").unwrap();
    assert!(t.met);
    // The unit's answer is kept as its words; the report says who has not reported.
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let row = json["self_report"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["question"] == "3.5-ban-sao-dien-tu" && x["unit"] == "Xã Xuân Thới Sơn")
        .unwrap();
    assert_eq!(row["value"], "Không áp dụng");
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(
        html.contains("2/2 đơn vị (100,00 %); 1 đơn vị không áp dụng (3&#x2F;13 đơn vị đã báo cáo; chưa báo cáo: 10 đơn vị)"),
        "{html}"
    );
}

/// Forms sent out for 2024-Q1, then two tasks added to the plan (1.14, every unit; 3.20, the
/// communes) before Bà Điểm returned its form: the form is still current (its questions are),
/// its answers and its task rows count, and a warning names the two tasks it could not report.
#[test]
fn counts_a_form_returned_before_tasks_were_added_and_names_the_new_tasks() {
    let sent = Case::new();
    let dir = forms(sent.dir.path(), &sent.pipeline, "2024-Q1");
    let case = Case::with_pipeline_edit("district = ", "district = ");
    let tasks = case.pipeline.parent().unwrap().join("tasks.toml");
    let mut text = std::fs::read_to_string(&tasks).unwrap();
    for (number, section, leads) in [("1.14", "1", "\"@all\""), ("3.20", "3", "\"@xa\"")] {
        text.push_str(&format!(
            "\n[[tasks]]\nnumber = \"{number}\"\nsection = \"{section}\"\ntask = \"Nhiệm vụ bổ sung {number}\"\nproduct = \"Báo cáo\"\nleads = [{leads}]\nlead_text = \"\"\npartners = \"\"\ndeadline_text = \"Trong năm 2024\"\nrule = \"year_end\"\n"
        ));
    }
    std::fs::write(&tasks, text).unwrap();
    fill_with_tasks(
        &dir.join(slug_of(BD)),
        &case.inputs().join("bd.xlsx"),
        &commune_answers(),
        &[("1.13", T::S("Hoàn thành"), T::D(2024, 2, 20), "")],
        None,
    );
    let r = case.run_all();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert!(!r
        .warnings
        .iter()
        .any(|w| w.kind == cchc::kinds::self_report::STALE_FORM));
    // The answers count: 1.11 = 4 news items, 10.2 = 15/20.
    assert_eq!(answer(&r, "1.11-tin-bai", BD), Some((Some(4.0), None)));
    assert_eq!(answer(&r, "10.2-ky-so", BD), Some((Some(15.0), Some(20.0))));
    assert_eq!(
        lead(task(&r, "1.13"), BD).status,
        Some(cchc::tasks::TaskStatus::Done)
    );
    // The new tasks: no answer of Bà Điểm (its form returned, so «not started» for it, as
    // self-reports.md §4 counts a unit that returned a form), named in one warning.
    assert_eq!(lead(task(&r, "1.14"), BD).status, None);
    assert_eq!(lead(task(&r, "3.20"), BD).status, None);
    let not_on: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::self_report::TASK_NOT_ON_FORM)
        .collect();
    assert_eq!(not_on.len(), 1, "{:?}", r.warnings);
    assert_eq!(not_on[0].dossier_id, BD);
    assert!(
        not_on[0].value.contains(
            "không có nhiệm vụ 1.14, 3.20 (nhiệm vụ thêm vào kế hoạch sau khi gửi biểu mẫu"
        ),
        "{}",
        not_on[0].value
    );
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("không có nhiệm vụ 1.14, 3.20"),
        "{summary}"
    );
}

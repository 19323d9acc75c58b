//! The plan's tasks (self-reports.md §1, §4): `tasks.toml` against the plan's appendix, leads
//! resolved to registry units, each deadline rule at its boundary, and the progress of a task from
//! its lead units' answers — through `task_figures` with answers built by hand, as the
//! self-report forms will hand them over.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use cchc::config::Pipeline;
use cchc::model::RowRef;
use cchc::period::{Period, PeriodRule};
use cchc::tasks::{task_figures, Progress, TaskAnswer, TaskCounts, TaskFigures, TaskStatus};

use crate::support::{root, shipped_pipeline};

/// The plan file of the shared seed: the district's 2024 plan with its appendix.
fn seed_file() -> PathBuf {
    root().join("fixtures/plan/ke-hoach-cchc-2024.txt")
}

/// The task numbers of the appendix, in order, read as `pipelines/tasks-check.py` reads them:
/// from the line "PHỤ LỤC" on, tab-separated rows whose first cell is a number; the repeated
/// header rows ("STT …") are skipped, and a row with only a number and a title (no product, lead,
/// partner or deadline) is a section ("1") or a group heading ("1.4"), not a task.
fn appendix_numbers(seed: &Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(seed).unwrap();
    let start = text
        .lines()
        .position(|l| l.trim() == "PHỤ LỤC")
        .expect("the plan has an appendix");
    let is_number = |s: &str| !s.is_empty() && s.split('.').all(|p| p.parse::<u32>().is_ok());
    let (mut tasks, mut headings) = (Vec::new(), Vec::new());
    for line in text.lines().skip(start).filter(|l| l.contains('\t')) {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells[0] == "STT" {
            continue;
        }
        assert!(is_number(cells[0]), "appendix row «{line}»");
        let rest_empty = cells.iter().skip(2).all(|c| {
            let without_tags: String = c
                .split('<')
                .map(|p| p.split_once('>').map_or(p, |x| x.1))
                .collect();
            without_tags.trim().is_empty()
        });
        if rest_empty {
            headings.push(cells[0].to_string());
        } else {
            tasks.push(cells[0].to_string());
        }
    }
    (tasks, headings)
}

fn shipped() -> Pipeline {
    cchc::kinds::load_pipeline(&shipped_pipeline()).unwrap()
}

fn q(id: &str) -> Period {
    Period::parse(id, PeriodRule::Nd09).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn answer(unit: &str, number: &str, status: TaskStatus) -> TaskAnswer {
    TaskAnswer {
        unit: unit.into(),
        number: number.into(),
        status,
        completed: None,
        evidence: None,
        source: RowRef {
            file: 0,
            sheet: "Nhiệm vụ".into(),
            row: 2,
        },
        carried_from: None,
    }
}

fn units(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A pipeline folder: the shipped configuration with its own `tasks.toml`.
fn with_plan(tasks_toml: &str) -> (tempfile::TempDir, Pipeline) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("pipelines")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("tasks.toml"), tasks_toml).unwrap();
    let p = cchc::kinds::load_pipeline(&dir.path().join("quarterly.toml"))
        .unwrap_or_else(|e| panic!("{e:#}"));
    (dir, p)
}

fn load_err(tasks_toml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("pipelines")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("tasks.toml"), tasks_toml).unwrap();
    match cchc::kinds::load_pipeline(&dir.path().join("quarterly.toml")) {
        Ok(_) => panic!("the plan should have been refused"),
        Err(e) => format!("{e:#}"),
    }
}

fn task(number: &str, leads: &str, rule: &str, due: Option<&str>) -> String {
    let section = number.split('.').next().unwrap();
    let due = due.map(|d| format!("due = \"{d}\"\n")).unwrap_or_default();
    format!(
        "[[tasks]]\nnumber = \"{number}\"\nsection = \"{section}\"\ntask = \"Nhiệm vụ {number}\"\nproduct = \"Báo cáo\"\nleads = {leads}\nlead_text = \"như trên\"\npartners = \"\"\ndeadline_text = \"như trên\"\nrule = \"{rule}\"\n{due}\n"
    )
}

/// A small plan with every deadline rule, under 2024-Q1 by Nghị định 09 (15/12/2023 – 14/03/2024).
fn small_plan() -> String {
    let mut s = String::from(
        "year = 2024\n\n[[sections]]\nid = \"1\"\ntitle = \"Công tác chỉ đạo, điều hành\"\nreport = \"chi_dao\"\n\n[[sections]]\nid = \"2\"\ntitle = \"Cải cách thể chế\"\nreport = \"the_che\"\n\n",
    );
    for t in [
        task("1.1", r#"["Phòng Nội vụ"]"#, "date", Some("2024-03-14")),
        task("1.2", r#"["Phòng Nội vụ"]"#, "date", Some("2024-03-15")),
        task("1.3", r#"["Phòng Tư pháp"]"#, "by_period", Some("2024-Q1")),
        task("1.4", r#"["Phòng Tư pháp"]"#, "by_period", Some("2024-Q2")),
        task("1.5", r#"["@xa"]"#, "year_end", None),
        task("1.6", r#"["Phòng Tư pháp"]"#, "each_quarter", None),
        task("2.1", r#"["Phòng Tư pháp"]"#, "continuous", None),
        task(
            "2.2",
            r#"["Ban Chỉ đạo CCHC huyện", "Phòng Tư pháp"]"#,
            "on_event",
            None,
        ),
        task(
            "2.3",
            r#"["Phòng Nội vụ", "Xã Bà Điểm"]"#,
            "date",
            Some("2024-01-31"),
        ),
    ] {
        s.push_str(&t);
    }
    s
}

fn row<'a>(f: &'a TaskFigures, number: &str) -> &'a cchc::tasks::TaskRow {
    f.rows.iter().find(|r| r.number == number).unwrap()
}

#[test]
fn lists_the_87_tasks_of_the_plans_appendix_each_under_its_own_number() {
    let seed = seed_file();
    assert!(
        seed.exists(),
        "the plan file {} is needed to check tasks.toml against it",
        seed.display()
    );
    let (numbers, headings) = appendix_numbers(&seed);
    let p = shipped();
    let ours: Vec<&str> = cchc::tasks::plan(&p)
        .tasks
        .iter()
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(ours.len(), 87);
    assert_eq!(numbers.len(), 87);
    assert_eq!(ours, numbers, "tasks.toml in the appendix's order");
    // The sections 1 … 7 and the one group heading 1.4 are headings, not tasks.
    assert_eq!(headings, ["1", "1.4", "2", "3", "4", "5", "6", "7"]);
    let sections: Vec<&str> = cchc::tasks::plan(&p)
        .sections
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(sections, ["1", "2", "3", "4", "5", "6", "7"]);
    for t in &cchc::tasks::plan(&p).tasks {
        assert!(
            t.number.starts_with(&format!("{}.", t.section)),
            "{}",
            t.number
        );
    }
    assert_eq!(cchc::tasks::plan(&p).year, 2024);
}

#[test]
fn resolves_every_lead_to_the_registry_units_that_answer_for_it() {
    let p = shipped();
    let t = |n: &str| {
        cchc::tasks::plan(&p)
            .tasks
            .iter()
            .find(|t| t.number == n)
            .unwrap()
    };
    // "Ban Chỉ đạo CCHC huyện - Trưởng phòng Nội vụ huyện": the steering committee is answered
    // for by Phòng Nội vụ, so Phòng Nội vụ reports it once.
    assert_eq!(t("1.1").units, ["Phòng Nội vụ"]);
    assert_eq!(t("1.1").leads[0].name, "Ban Chỉ đạo CCHC huyện");
    // "Thủ trưởng các cơ quan, đơn vị; Chủ tịch UBND xã - thị trấn" (@all): every registry unit.
    let all = t("1.9");
    assert_eq!(all.leads[0].name, "@all");
    assert_eq!(all.units.len(), p.units.all().len());
    // The cultural centre answers through Phòng Văn hóa và Thông tin.
    let centre = cchc::tasks::plan(&p)
        .tasks
        .iter()
        .find(|t| {
            t.leads
                .iter()
                .any(|l| l.name == "Trung tâm Văn hóa - Thể thao và Truyền thông")
        })
        .unwrap();
    assert!(centre
        .units
        .iter()
        .any(|u| u == "Phòng Văn hóa và Thông tin"));
    // @xa: the 12 communes and the town.
    let (_dir, small) = with_plan(&small_plan());
    let communes = &cchc::tasks::plan(&small).tasks[4];
    assert_eq!(communes.number, "1.5");
    assert_eq!(communes.units.len(), 12);
    assert!(communes
        .units
        .iter()
        .all(|u| u.starts_with("Xã") || u.starts_with("Thị trấn")));
    for t in &cchc::tasks::plan(&p).tasks {
        for u in &t.units {
            assert!(p.units.all().iter().any(|r| &r.name == u), "{u}");
        }
    }
}

#[test]
fn holds_each_deadline_rule_at_its_boundary() {
    let (_dir, p) = with_plan(&small_plan());
    // Every lead reports "Chưa thực hiện": a task due by the period's end is late.
    let all: Vec<String> = p.units.all().iter().map(|u| u.name.clone()).collect();
    let answers: Vec<TaskAnswer> = cchc::tasks::plan(&p)
        .tasks
        .iter()
        .flat_map(|t| {
            t.units
                .iter()
                .map(|u| answer(u, &t.number, TaskStatus::NotStarted))
                .collect::<Vec<_>>()
        })
        .collect();
    let f = task_figures(&p, &q("2024-Q1"), &answers, &all);
    let late = |n: &str| row(&f, n).late;
    let due = |n: &str| row(&f, n).due;
    // date: due on the period's end (14/03/2024) is due and late; the day after is not yet.
    assert_eq!(due("1.1"), Some(day("2024-03-14")));
    assert!(late("1.1"));
    assert_eq!(due("1.2"), Some(day("2024-03-15")));
    assert!(!late("1.2") && !row(&f, "1.2").is_due);
    // by_period: the period's end under the pipeline's rule (2024-Q1 → 14/03/2024).
    assert_eq!(due("1.3"), Some(day("2024-03-14")));
    assert!(late("1.3"));
    assert_eq!(due("1.4"), Some(day("2024-06-14")));
    assert!(!late("1.4"));
    // year_end: 31/12 of the plan year, not due in the first quarter.
    assert_eq!(due("1.5"), Some(day("2024-12-31")));
    assert!(!late("1.5"));
    // each_quarter: due at every quarter's end, so at the end of this one.
    assert_eq!(due("1.6"), Some(day("2024-03-14")));
    assert!(late("1.6"));
    // continuous and on_event: never due, never late.
    assert_eq!((due("2.1"), late("2.1")), (None, false));
    assert_eq!((due("2.2"), late("2.2")), (None, false));

    // The next quarter: each_quarter is due at its end; the by_period 2024-Q2 task on its end.
    let f2 = task_figures(&p, &q("2024-Q2"), &answers, &all);
    assert_eq!(row(&f2, "1.6").due, Some(day("2024-06-14")));
    assert!(row(&f2, "1.6").late && row(&f2, "1.4").late && row(&f2, "1.2").late);
    assert!(!row(&f2, "1.5").late);
    // year_end on its day: the calendar year ends on 31/12, the day it is due.
    let calendar_year = Period::parse("2024-Y", PeriodRule::Calendar).unwrap();
    let fy = task_figures(&p, &calendar_year, &answers, &all);
    assert!(row(&fy, "1.5").is_due && row(&fy, "1.5").late);
    // Under Nghị định 09 the year's report closes on 14/12, before 31/12: not yet due.
    let fy9 = task_figures(&p, &q("2024-Y"), &answers, &all);
    assert!(!row(&fy9, "1.5").is_due);
    // each_quarter in a six-month period: the end of its second quarter.
    let fh = task_figures(&p, &q("2024-H1"), &answers, &all);
    assert_eq!(row(&fh, "1.6").due, Some(day("2024-06-14")));
}

#[test]
fn calls_a_task_of_several_leads_done_only_when_every_lead_is() {
    let (_dir, p) = with_plan(&small_plan());
    let period = q("2024-Q1");
    let mut done = answer("Phòng Nội vụ", "2.3", TaskStatus::Done);
    done.completed = Some(day("2024-01-20"));
    done.evidence = Some("Quyết định số 12/QĐ-UBND".into());
    let reported = units(&["Phòng Nội vụ", "Xã Bà Điểm"]);
    // One done, the other still at work: in progress, and late (due 31/01/2024).
    let f = task_figures(
        &p,
        &period,
        &[
            done.clone(),
            answer("Xã Bà Điểm", "2.3", TaskStatus::InProgress),
        ],
        &reported,
    );
    let r = row(&f, "2.3");
    assert_eq!(r.progress, Progress::InProgress);
    assert!(r.late);
    assert_eq!(r.completed, None);
    assert_eq!((r.leads_reported(), r.leads_done()), (2, 1));
    // One done, the other not started: some lead shows work, so still in progress.
    let f = task_figures(
        &p,
        &period,
        &[
            done.clone(),
            answer("Xã Bà Điểm", "2.3", TaskStatus::NotStarted),
        ],
        &reported,
    );
    assert_eq!(row(&f, "2.3").progress, Progress::InProgress);
    // Both done: done, on the later of their days, not late.
    let mut other = answer("Xã Bà Điểm", "2.3", TaskStatus::Done);
    other.completed = Some(day("2024-02-02"));
    let f = task_figures(&p, &period, &[done.clone(), other], &reported);
    let r = row(&f, "2.3");
    assert_eq!(r.progress, Progress::Done);
    assert_eq!(r.completed, Some(day("2024-02-02")));
    assert!(!r.late);
    assert_eq!(
        r.leads[0].evidence.as_deref(),
        Some("Quyết định số 12/QĐ-UBND")
    );
    // Both not started: not started, late.
    let f = task_figures(
        &p,
        &period,
        &[
            answer("Phòng Nội vụ", "2.3", TaskStatus::NotStarted),
            answer("Xã Bà Điểm", "2.3", TaskStatus::NotStarted),
        ],
        &reported,
    );
    assert_eq!(row(&f, "2.3").progress, Progress::NotStarted);
    assert!(row(&f, "2.3").late);
}

#[test]
fn tells_a_lead_that_sent_no_form_from_one_that_did() {
    let (_dir, p) = with_plan(&small_plan());
    let period = q("2024-Q1");
    // Phòng Nội vụ is done; Xã Bà Điểm sent no form: not every lead is done → in progress, late.
    let f = task_figures(
        &p,
        &period,
        &[answer("Phòng Nội vụ", "2.3", TaskStatus::Done)],
        &units(&["Phòng Nội vụ"]),
    );
    let r = row(&f, "2.3");
    assert_eq!(r.progress, Progress::InProgress);
    assert!(r.late);
    assert!(r.leads[0].reported && !r.leads[1].reported);
    // The only lead of 1.1 (Phòng Nội vụ) sent a form without a row for it: nothing shows work
    // on it → not started, and late since it was due on the period's end.
    assert_eq!(row(&f, "1.1").progress, Progress::NotStarted);
    assert!(row(&f, "1.1").late);
    // Phòng Tư pháp sent no form: its tasks are not reported, and not called late though 1.3 is due.
    let r = row(&f, "1.3");
    assert_eq!(r.progress, Progress::NotReported);
    assert!(r.is_due && !r.late);
    // No form at all: every task not reported, none late, none in progress.
    let none = task_figures(&p, &period, &[], &[]);
    assert!(none
        .rows
        .iter()
        .all(|r| r.progress == Progress::NotReported && !r.late));
    assert_eq!(
        none.total,
        TaskCounts {
            tasks: 9,
            due: 4,
            not_reported: 9,
            due_not_reported: 4,
            ..TaskCounts::default()
        }
    );
    // An answer implies its unit returned a form, even when the list of units omits it.
    let f = task_figures(
        &p,
        &period,
        &[answer("Phòng Tư pháp", "1.3", TaskStatus::InProgress)],
        &[],
    );
    assert_eq!(row(&f, "1.3").progress, Progress::InProgress);
    assert_eq!(row(&f, "2.1").progress, Progress::NotStarted);
}

#[test]
fn never_calls_on_event_or_continuous_tasks_late() {
    let (_dir, p) = with_plan(&small_plan());
    let reported = units(&["Phòng Nội vụ", "Phòng Tư pháp"]);
    for period in ["2024-Q1", "2024-Q4", "2024-Y"] {
        let f = task_figures(
            &p,
            &q(period),
            &[
                answer("Phòng Tư pháp", "2.1", TaskStatus::NotStarted),
                answer("Phòng Tư pháp", "2.2", TaskStatus::NotStarted),
                answer("Phòng Nội vụ", "2.2", TaskStatus::NotStarted),
            ],
            &reported,
        );
        assert_eq!(row(&f, "2.1").progress, Progress::NotStarted);
        assert!(!row(&f, "2.1").late && !row(&f, "2.2").late, "{period}");
    }
    // "Không phát sinh" finishes an on_event task for its unit; the other lead is done too.
    let f = task_figures(
        &p,
        &q("2024-Q1"),
        &[
            answer("Phòng Tư pháp", "2.2", TaskStatus::NotApplicable),
            answer("Phòng Nội vụ", "2.2", TaskStatus::Done),
            answer("Phòng Tư pháp", "2.1", TaskStatus::NotApplicable),
            answer("Phòng Tư pháp", "1.3", TaskStatus::NotApplicable),
        ],
        &reported,
    );
    assert_eq!(row(&f, "2.2").progress, Progress::Done);
    // … but not a task of another rule: nothing was done on it.
    assert_eq!(row(&f, "2.1").progress, Progress::NotStarted);
    assert_eq!(row(&f, "1.3").progress, Progress::NotStarted);
    assert!(row(&f, "1.3").late);
}

#[test]
fn counts_tasks_per_plan_section_and_per_lead_unit() {
    let (_dir, p) = with_plan(&small_plan());
    let reported = units(&["Phòng Nội vụ", "Phòng Tư pháp"]);
    let f = task_figures(
        &p,
        &q("2024-Q1"),
        &[
            answer("Phòng Nội vụ", "1.1", TaskStatus::Done),
            answer("Phòng Nội vụ", "1.2", TaskStatus::InProgress),
            answer("Phòng Tư pháp", "1.3", TaskStatus::NotStarted),
            answer("Phòng Tư pháp", "1.4", TaskStatus::InProgress),
            answer("Phòng Tư pháp", "1.6", TaskStatus::Done),
            answer("Phòng Tư pháp", "2.1", TaskStatus::InProgress),
            answer("Phòng Tư pháp", "2.2", TaskStatus::NotApplicable),
            answer("Phòng Nội vụ", "2.2", TaskStatus::Done),
            answer("Phòng Nội vụ", "2.3", TaskStatus::Done),
        ],
        &reported,
    );
    // Section 1: 1.1 done; 1.2 in progress (not due); 1.3 not started, due → late; 1.4 in
    // progress (not due); 1.5 not reported (no commune sent a form); 1.6 done.
    let s1 = f.sections[0].counts;
    assert_eq!(
        s1,
        TaskCounts {
            tasks: 6,
            due: 3,
            done: 2,
            in_progress: 2,
            not_started: 1,
            not_reported: 1,
            late: 1,
            due_not_reported: 0,
        }
    );
    // Section 2: 2.1 in progress (continuous), 2.2 done (on_event), 2.3 in progress — Xã Bà
    // Điểm sent no form — and late (due 31/01/2024).
    let s2 = f.sections[1].counts;
    assert_eq!(
        s2,
        TaskCounts {
            tasks: 3,
            due: 1,
            done: 1,
            in_progress: 2,
            late: 1,
            ..TaskCounts::default()
        }
    );
    assert_eq!(f.total.tasks, 9);
    assert_eq!(f.total.late, 2);
    assert_eq!(f.sections[0].report.as_ref().unwrap().key(), "chi_dao");
    // Per lead unit, by its own answers: Phòng Nội vụ leads 1.1, 1.2, 2.2, 2.3.
    let unit = |name: &str| f.units.iter().find(|u| u.unit == name).unwrap();
    assert_eq!(
        unit("Phòng Nội vụ").counts,
        TaskCounts {
            tasks: 4,
            due: 2,
            done: 3,
            in_progress: 1,
            ..TaskCounts::default()
        }
    );
    // Phòng Tư pháp: 1.3 (late), 1.4, 1.6, 2.1, 2.2.
    let tp = unit("Phòng Tư pháp");
    assert_eq!((tp.counts.tasks, tp.counts.late, tp.counts.done), (5, 1, 2));
    // Xã Bà Điểm leads 1.5 and 2.3 and sent nothing.
    let bd = unit("Xã Bà Điểm");
    assert!(!bd.reported);
    assert_eq!(
        bd.counts,
        TaskCounts {
            tasks: 2,
            due: 1,
            not_reported: 2,
            due_not_reported: 1,
            ..TaskCounts::default()
        }
    );
    // Every commune leads 1.5; the registry order is kept; only lead units are listed.
    assert_eq!(f.units.len(), 2 + 12);
    assert_eq!(f.units[0].unit, "Phòng Nội vụ");
    assert_eq!(f.lead_units_reported(), (2, 14));
}

#[test]
fn keeps_answers_for_no_task_of_the_plan_aside() {
    let (_dir, p) = with_plan(&small_plan());
    let f = task_figures(
        &p,
        &q("2024-Q1"),
        &[
            answer("Phòng Nội vụ", "9.9", TaskStatus::Done),
            answer("Phòng Tư pháp", "1.1", TaskStatus::Done),
            answer("Phòng Nội vụ", "1.1", TaskStatus::InProgress),
            answer("Phòng Nội vụ", "1.1", TaskStatus::Done),
        ],
        &units(&["Phòng Nội vụ", "Phòng Tư pháp"]),
    );
    let unmatched: Vec<(&str, &str)> = f
        .unmatched
        .iter()
        .map(|a| (a.unit.as_str(), a.number.as_str()))
        .collect();
    assert_eq!(
        unmatched,
        [("Phòng Nội vụ", "9.9"), ("Phòng Tư pháp", "1.1")]
    );
    // Of two answers of one unit for one task, the later counts.
    assert_eq!(row(&f, "1.1").progress, Progress::Done);
}

#[test]
fn counts_no_task_outside_the_plans_year() {
    let (_dir, p) = with_plan(&small_plan());
    for id in ["2023-Q4", "2025-Q1"] {
        let f = task_figures(&p, &q(id), &[], &[]);
        assert!(
            !f.in_plan_year && f.rows.is_empty() && f.sections.is_empty(),
            "{id}"
        );
        assert_eq!(f.total, TaskCounts::default());
    }
}

#[test]
fn reads_the_status_words_of_the_form_however_they_are_typed() {
    let p = shipped();
    let words = &cchc::kinds::self_report::config(&p).tasks_sheet;
    assert_eq!(words.parse("Hoàn thành"), Some(TaskStatus::Done));
    assert_eq!(words.parse("  HOÀN THÀNH "), Some(TaskStatus::Done));
    // NFD, as some systems write it.
    assert_eq!(
        words.parse("Đang thực hie\u{302}\u{323}n"),
        Some(TaskStatus::InProgress)
    );
    assert_eq!(words.parse("chưa thực hiện"), Some(TaskStatus::NotStarted));
    assert_eq!(
        words.parse("Không phát sinh"),
        Some(TaskStatus::NotApplicable)
    );
    assert_eq!(words.parse("Xong"), None);
    assert_eq!(
        words.words(),
        [
            "Hoàn thành",
            "Đang thực hiện",
            "Chưa thực hiện",
            "Không phát sinh"
        ]
    );
}

#[test]
fn refuses_a_plan_it_cannot_resolve_in_vietnamese() {
    let head = "year = 2024\n\n[[sections]]\nid = \"1\"\ntitle = \"Chỉ đạo\"\n\n";
    let e = load_err(&format!(
        "{head}{}",
        task("1.1", r#"["Phòng Không Có"]"#, "year_end", None)
    ));
    assert!(
        e.contains("nhiệm vụ 1.1: đơn vị chủ trì «Phòng Không Có» không có trong danh mục đơn vị"),
        "{e}"
    );
    let e = load_err(&format!(
        "{head}{}",
        task("1.1", r#"["Phòng Nội vụ"]"#, "by_period", None)
    ));
    assert!(e.contains("quy tắc thời hạn «by_period» cần due"), "{e}");
    let e = load_err(&format!(
        "{head}{}",
        task("1.1", r#"["Phòng Nội vụ"]"#, "year_end", Some("2024-12-31"))
    ));
    assert!(
        e.contains("quy tắc thời hạn «year_end» không có due"),
        "{e}"
    );
    let e = load_err(&format!(
        "{head}{}",
        task("1.1", r#"["Phòng Nội vụ"]"#, "date", Some("31/03/2024"))
    ));
    assert!(e.contains("không phải ngày dạng năm-tháng-ngày"), "{e}");
    let e = load_err(&format!(
        "{head}{}",
        task("2.1", r#"["Phòng Nội vụ"]"#, "year_end", None)
    ));
    assert!(e.contains("mục «2» không có trong [[sections]]"), "{e}");
    let e = load_err(&format!(
        "{head}{}{}",
        task("1.1", r#"["Phòng Nội vụ"]"#, "year_end", None),
        task("1.1", r#"["Phòng Nội vụ"]"#, "year_end", None)
    ));
    assert!(e.contains("nhiệm vụ «1.1» được khai hai lần"), "{e}");
    let e = load_err(&format!(
        "{head}{}",
        task("1.1", r#"["Phòng Nội vụ"]"#, "hang_quy", None)
    ));
    assert!(e.contains("tasks.toml"), "{e}");
    let e = load_err(&format!(
        "{head}[[tasks]]\nnumber = \"1.1\"\nsection = \"1\"\ntask = \"x\"\nproduct = \"\"\nleads = [\"@all\"]\nlead_text = \"\"\npartners = \"\"\ndeadline_text = \"\"\nrule = \"year_end\"\nowner = \"x\"\n"
    ));
    assert!(e.contains("owner"), "{e}");
}

fn one_dossier() -> crate::support::Case {
    let case = crate::support::Case::new();
    case.csv(
        "a.csv",
        &["Q-1;Phòng Tư pháp;Chứng thực;10/01/2024;15/01/2024;12/01/2024;Đã trả kết quả;Trực tiếp"],
    );
    case
}

#[test]
fn says_that_no_unit_has_reported_until_forms_are_read() {
    let case = one_dossier();
    case.run_all();
    let text = std::fs::read_to_string(case.out().join("indicators.json")).unwrap();
    crate::support::assert_valid_indicators(text.as_bytes());
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 87);
    assert!(tasks
        .iter()
        .all(|t| t["status"] == "not_reported" && t["late"] == false));
    // Keys in the documented order; 1.12 "Quý I năm 2024" is due on 14/03/2024 under Nghị định 09.
    let t = tasks.iter().find(|t| t["number"] == "1.12").unwrap();
    let at = text.find("\"number\": \"1.12\"").unwrap();
    let keys: Vec<&str> = text[at..]
        .lines()
        .take(6)
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        ["number", "section", "status", "due", "late", "leads"]
    );
    assert_eq!(t["due"], "2024-03-14");
    assert_eq!(
        t["leads"],
        serde_json::json!(["Phòng Văn hóa và Thông tin"])
    );
    assert_eq!(tasks[0]["due"], serde_json::Value::Null);
    // Every task in the annex, under its section, none flagged, none in progress.
    let rows =
        crate::support::read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Tiến độ nhiệm vụ");
    let task_rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.len() > 5 && r[1].contains('.') && !r[0].is_empty())
        .collect();
    assert_eq!(task_rows.len(), 87);
    assert!(task_rows
        .iter()
        .all(|r| r[5] == "Chưa báo cáo" && r[9].is_empty()));
    assert!(rows
        .iter()
        .any(|r| r[0] == "3. Cải cách thủ tục hành chính (TTHC)"));
    // The report says so, and claims no progress.
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(html.contains("Đến hết quý I năm 2024, kế hoạch có 87 nhiệm vụ, trong đó 3 nhiệm vụ đã đến hạn; chưa có đơn vị nào báo cáo tiến độ nhiệm vụ"));
    assert!(html.contains("Chưa đánh giá được tiến độ thực hiện 87 nhiệm vụ của kế hoạch, trong đó 3 nhiệm vụ đã đến hạn, vì chưa có đơn vị nào báo cáo tiến độ nhiệm vụ."));
    assert!(!html.contains("đã hoàn thành") && !html.contains("chậm tiến độ:"));
}

/// 2024-Q1 of the shipped plan with three units' answers: Phòng Văn hóa và Thông tin finished
/// 1.12 (due 14/03/2024); Phòng Nội vụ finished 1.1 (on_event) and its part of 1.13 (each
/// quarter, every unit leads it: the two other units' forms have no row for it, the other 28
/// sent nothing); Phòng Tài chính - Kế hoạch is still at work on 3.10 (due 14/03/2024).
fn answered() -> (cchc::pipeline::RunReport, Vec<String>) {
    let mut r = one_dossier().run();
    let mut done = answer("Phòng Văn hóa và Thông tin", "1.12", TaskStatus::Done);
    done.completed = Some(day("2024-03-01"));
    done.evidence = Some("Kế hoạch số 15/KH-VHTT".into());
    let reported = units(&[
        "Phòng Văn hóa và Thông tin",
        "Phòng Nội vụ",
        "Phòng Tài chính - Kế hoạch",
    ]);
    *r.indicators.tasks_mut() = task_figures(
        &r.pipeline,
        &r.period,
        &[
            done,
            answer("Phòng Nội vụ", "1.1", TaskStatus::Done),
            TaskAnswer {
                evidence: Some("Bài viết đăng ngày 01/03/2024".into()),
                ..answer("Phòng Nội vụ", "1.13", TaskStatus::Done)
            },
            answer("Phòng Tài chính - Kế hoạch", "3.10", TaskStatus::InProgress),
        ],
        &reported,
    );
    (r, reported)
}

#[test]
fn names_the_late_tasks_in_the_report_from_the_units_answers() {
    let (r, reported) = answered();
    let f = &r.indicators.tasks();
    let late: Vec<&str> = f
        .rows
        .iter()
        .filter(|t| t.late)
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(late, ["1.13", "3.10"]);
    // Not reported: the tasks none of the three units leads.
    let not_reported = cchc::tasks::plan(&r.pipeline)
        .tasks
        .iter()
        .filter(|t| !t.units.iter().any(|u| reported.contains(u)))
        .count() as u64;
    assert_eq!(f.total.not_reported, not_reported);
    assert_eq!((f.total.done, f.total.in_progress), (2, 2));
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
    let opening = format!(
        "Đến hết quý I năm 2024, kế hoạch có 87 nhiệm vụ, trong đó 3 nhiệm vụ đã đến hạn; đã hoàn thành 2, đang thực hiện 2, chưa thực hiện {}, chưa có báo cáo {not_reported}; chậm tiến độ: 2 nhiệm vụ (3/31 đơn vị chủ trì đã báo cáo tiến độ; chi tiết tại Phụ lục, trang «Tiến độ nhiệm vụ»).",
        87 - 4 - not_reported
    );
    // Tera writes "/" in the Word body as the character reference &#x2F;.
    let xml = rendered.document_xml.replace("&#x2F;", "/");
    for text in [&html, &xml] {
        assert!(
            text.contains(&opening),
            "{opening}\n{}",
            &text[text.find("Đến hết").unwrap()..][..600]
        );
        assert!(text.contains("Nhiệm vụ chậm tiến độ (đã đến hạn, chưa hoàn thành): 2 nhiệm vụ."));
        assert!(
            text.contains("- 1.13. Hàng quý gửi ít nhất 01 bài viết"),
            "1.13 named"
        );
        assert!(text.contains("(thời hạn: Hàng quý; đơn vị chủ trì chưa hoàn thành: Phòng Tài chính - Kế hoạch, Phòng Văn hóa và Thông tin; chưa báo cáo: 28 đơn vị)."));
        assert!(text.contains(
            "(thời hạn: Trong Quý I năm 2024; đơn vị chủ trì chưa hoàn thành: Phòng Tài chính - Kế hoạch)."
        ));
        // Section II.2 (plan section 3): 3.10 is its late task.
        assert!(text.contains("nhiệm vụ thuộc mục «Cải cách thủ tục hành chính (TTHC)», trong đó 1 nhiệm vụ đã đến hạn: đã hoàn thành 0,"));
        assert!(text.contains("; chậm tiến độ: 1 nhiệm vụ (3.10)."));
        assert!(!text.contains("Chưa đánh giá được tiến độ"));
    }
}

/// The annex's sheet models of a run.
fn annex_sheets(r: &cchc::pipeline::RunReport) -> Vec<cchc::render::annex::SheetModel> {
    cchc::render::annex::sheets(
        None,
        &cchc::render::annex::AnnexInput {
            pipeline: &r.pipeline,
            period: &r.period,
            indicators: &r.indicators,
            index766: None,
        },
    )
    .unwrap()
}

/// A cell of a sheet model as text; dates as dd/mm/yyyy.
fn cell_text(m: &cchc::render::annex::SheetModel, row: u32, col: u16) -> String {
    match m.get(row, col).map(|c| &c.value) {
        Some(cchc::render::annex::model::Value::Text(t)) => t.clone(),
        Some(cchc::render::annex::model::Value::Date(d)) => d.format("%d/%m/%Y").to_string(),
        _ => String::new(),
    }
}

#[test]
fn flags_the_late_tasks_in_the_annex_with_their_evidence() {
    let (r, _) = answered();
    let sheets = annex_sheets(&r);
    let m = sheets
        .iter()
        .find(|m| m.name == "Tiến độ nhiệm vụ")
        .unwrap();
    let text = |row: u32, col: u16| cell_text(m, row, col);
    let row_of = |number: &str| {
        m.cells
            .iter()
            .find(|c| {
                c.col == 1
                    && matches!(&c.value, cchc::render::annex::model::Value::Text(t) if t == number)
            })
            .map(|c| c.row)
            .unwrap()
    };
    // Columns: STT, number, task, lead, deadline, status, leads reported, completed, evidence, late.
    let r112 = row_of("1.12");
    assert_eq!(text(r112, 5), "Hoàn thành");
    assert_eq!(text(r112, 6), "1/1");
    assert_eq!(text(r112, 7), "01/03/2024");
    assert_eq!(text(r112, 8), "Kế hoạch số 15/KH-VHTT");
    assert_eq!(text(r112, 9), "");
    assert_eq!(text(r112, 4), "Quý I năm 2024");
    let r113 = row_of("1.13");
    assert_eq!(text(r113, 5), "Đang thực hiện");
    // The three units that sent a form, of the 31 that lead it.
    assert_eq!(text(r113, 6), "3/31");
    assert_eq!(text(r113, 9), "Chậm tiến độ");
    assert_eq!(text(row_of("3.10"), 9), "Chậm tiến độ");
    assert_eq!(text(row_of("1.2"), 5), "Chưa thực hiện");
    let flagged = m
        .rules
        .iter()
        .find(|r| r.col == 9)
        .expect("late rows coloured");
    assert_eq!(flagged.equals, "Chậm tiến độ");
}

#[test]
fn lists_each_lead_units_own_answer_under_its_name_in_the_annex() {
    let (r, _) = answered();
    let sheets = annex_sheets(&r);
    let m = sheets
        .iter()
        .find(|m| m.name == "Tiến độ theo đơn vị")
        .unwrap();
    let text = |row: u32, col: u16| cell_text(m, row, col);
    // A group per lead unit, in registry order, under a merged line with its name.
    let groups: Vec<(u32, &str)> = m
        .merges
        .iter()
        .filter(|g| g.first_col == 0 && g.last_col == 8 && g.first_row > 5)
        .filter(|g| g.style == cchc::render::annex::model::Style::SubtotalText)
        .map(|g| (g.first_row, g.text.as_str()))
        .collect();
    assert_eq!(groups.len(), 31, "{groups:?}");
    assert_eq!(groups[0].1, "Văn phòng HĐND và UBND huyện");
    let row_in = |unit: &str, number: &str| {
        let start = groups.iter().find(|(_, u)| *u == unit).unwrap().0;
        let end = groups
            .iter()
            .map(|(r, _)| *r)
            .find(|r| *r > start)
            .unwrap_or(u32::MAX);
        (start + 1..end).find(|r| text(*r, 1) == number).unwrap()
    };
    // Columns: STT, number, task, deadline, status, completed, evidence, reported in, late.
    let vh = row_in("Phòng Văn hóa và Thông tin", "1.12");
    assert_eq!(
        (text(vh, 4), text(vh, 5), text(vh, 6), text(vh, 8)),
        (
            "Hoàn thành".into(),
            "01/03/2024".into(),
            "Kế hoạch số 15/KH-VHTT".into(),
            String::new()
        )
    );
    // Its part of 1.13: it returned a form without a status for it — not started, late.
    let vh13 = row_in("Phòng Văn hóa và Thông tin", "1.13");
    assert_eq!(
        (text(vh13, 4), text(vh13, 8)),
        ("Chưa thực hiện".into(), "Chậm tiến độ".into())
    );
    let nv13 = row_in("Phòng Nội vụ", "1.13");
    assert_eq!(
        (text(nv13, 4), text(nv13, 8)),
        ("Hoàn thành".into(), String::new())
    );
    // A unit that sent no form: one line under its name says so.
    let bd = groups.iter().find(|(_, u)| *u == "Xã Bà Điểm").unwrap().0;
    let line = m.merges.iter().find(|g| g.first_row == bd + 1).unwrap();
    assert_eq!((line.text.as_str(), line.last_col), ("Chưa báo cáo", 8));
    let tc = row_in("Phòng Tài chính - Kế hoạch", "3.10");
    assert_eq!(
        (text(tc, 4), text(tc, 8)),
        ("Đang thực hiện".into(), "Chậm tiến độ".into())
    );
    // The task sheet points there for a task with more leads than it lists.
    let progress = sheets
        .iter()
        .find(|m| m.name == "Tiến độ nhiệm vụ")
        .unwrap();
    let r113 = progress
        .cells
        .iter()
        .find(|c| {
            c.col == 1
                && matches!(&c.value, cchc::render::annex::model::Value::Text(t) if t == "1.13")
        })
        .unwrap()
        .row;
    assert!(matches!(
        progress.get(r113, 8).map(|c| &c.value),
        Some(cchc::render::annex::model::Value::Text(t)) if t == "Văn bản của từng đơn vị: trang «Tiến độ theo đơn vị»"
    ));
}

#[test]
fn refuses_a_status_list_with_a_word_twice_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("pipelines")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let sr = dir.path().join("self-report.toml");
    let text = std::fs::read_to_string(&sr).unwrap();
    let edited = text.replace(
        "not_started = \"Chưa thực hiện\"",
        "not_started = \"hoàn thành\"",
    );
    assert_ne!(text, edited);
    std::fs::write(&sr, edited).unwrap();
    let err = match cchc::kinds::load_pipeline(&dir.path().join("quarterly.toml")) {
        Ok(_) => panic!("the status list should have been refused"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("self-report.toml không hợp lệ"), "{err}");
    assert!(
        err.contains(
            "trang «Nhiệm vụ»: tình trạng ([tasks_sheet.statuses]) «hoàn thành» ghi hai lần"
        ),
        "{err}"
    );
}

#[test]
fn names_in_the_last_quarter_the_tasks_of_the_year_not_done_yet() {
    let render = |period: &str| {
        let mut r = one_dossier().period(period).run();
        *r.indicators.tasks_mut() = task_figures(
            &r.pipeline,
            &r.period,
            &[
                answer("Phòng Nội vụ", "1.4.1", TaskStatus::InProgress),
                answer("Phòng Nội vụ", "1.4.2", TaskStatus::Done),
            ],
            &units(&["Phòng Nội vụ"]),
        );
        let year_end = cchc::tasks::plan(&r.pipeline)
            .tasks
            .iter()
            .filter(|t| t.rule == cchc::tasks::Rule::YearEnd)
            .count();
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
        // Both documents: the Word body writes "/" as &#x2F;.
        let both = format!(
            "{}\n{}",
            String::from_utf8(rendered.html).unwrap(),
            rendered.document_xml.replace("&#x2F;", "/")
        );
        (both, year_end)
    };
    // 2024-Q4 ends on 14/12/2024 (ND 09): the «Trong năm 2024» tasks, due 31/12, are not due
    // yet; all but 1.4.2 are not done.
    let (html, year_end) = render("2024-Q4");
    assert_eq!(year_end, 78);
    assert_eq!(
        html.matches("Nhiệm vụ có thời hạn trong năm 2024, sau ngày cuối kỳ báo cáo, chưa hoàn thành: 77 nhiệm vụ (chi tiết tại Phụ lục, trang «Tiến độ nhiệm vụ»).").count(),
        2,
        "{}",
        &html[html.find("III. ĐÁNH GIÁ CHUNG").unwrap()..][..800]
    );
    let (html, _) = render("2024-Q3");
    assert!(!html.contains("sau ngày cuối kỳ báo cáo, chưa hoàn thành"));
}

/// A task marked `confirm = true` (by `cchc plan import`) loads — even with no lead yet — and
/// every command that loads the pipeline warns, naming it, until the flag is removed; without
/// the flag, a task with no lead is refused as before.
#[test]
fn a_task_to_confirm_loads_and_is_named_in_a_warning() {
    let plan = small_plan().replacen("number = \"1.5\"", "confirm = true\nnumber = \"1.5\"", 1)
        + &task("2.9", "[]", "year_end", None).replace("rule = ", "confirm = true\nrule = ");
    let (dir, p) = with_plan(&plan);
    let flagged: Vec<(&str, usize)> = cchc::tasks::plan(&p)
        .tasks
        .iter()
        .filter(|t| t.confirm)
        .map(|t| (t.number.as_str(), t.units.len()))
        .collect();
    assert_eq!(flagged, [("1.5", 12), ("2.9", 0)]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("forms")
        .arg(dir.path().join("quarterly.toml"))
        .args(["--period", "2024-Q1", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("Cảnh báo: 2 nhiệm vụ của ")
            && e.contains("còn chờ người kiểm tra (confirm = true): 1.5, 2.9 —")
            && e.contains("rồi xóa dòng confirm = true"),
        "{e}"
    );
    let e = load_err(&(small_plan() + &task("2.9", "[]", "year_end", None)));
    assert!(
        e.contains("nhiệm vụ 2.9: chưa có đơn vị chủ trì (leads)"),
        "{e}"
    );
}

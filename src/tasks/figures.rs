//! The task figures of a period (self-reports.md §4): each task's progress from its lead units'
//! answers, the late ones, and the counts per plan section and per lead unit.
//!
//! The answers come from the "Nhiệm vụ" sheet of the returned self-report forms, one
//! [`TaskAnswer`] per row; until forms are read the list is empty and every task is
//! [`Progress::NotReported`] — never late, never in progress: nothing is claimed that no unit said.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::{Plan, ReportSection, Rule, Task};
use crate::config::Pipeline;
use crate::model::RowRef;
use crate::period::Period;

/// A unit's answer for one task: one of the forms' "Tình trạng" list, whose words are
/// `self-report.toml` `[tasks_sheet.statuses]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Hoàn thành.
    Done,
    /// Đang thực hiện.
    InProgress,
    /// Chưa thực hiện.
    NotStarted,
    /// Không phát sinh (the event of an `on_event` task did not happen).
    NotApplicable,
}

impl TaskStatus {
    /// Every status, in the order of the form's list.
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Done,
        TaskStatus::InProgress,
        TaskStatus::NotStarted,
        TaskStatus::NotApplicable,
    ];

    /// Its code in the store and indicators.json.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Done => "done",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::NotStarted => "not_started",
            TaskStatus::NotApplicable => "not_applicable",
        }
    }

    /// The status of a code ([`TaskStatus::code`]).
    pub fn from_code(code: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the answer finishes the task for this unit: Hoàn thành, or Không phát sinh for an
    /// `on_event` task.
    pub fn finishes(self, rule: Rule) -> bool {
        self == TaskStatus::Done || (self == TaskStatus::NotApplicable && rule == Rule::OnEvent)
    }

    /// Whether the answer shows work on the task: it finishes it, or Đang thực hiện.
    pub fn shows_progress(self, rule: Rule) -> bool {
        self.finishes(rule) || self == TaskStatus::InProgress
    }
}

/// One row of a returned form's "Nhiệm vụ" sheet, as the self-report kind reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskAnswer {
    /// The registry unit whose form it is (canonical name).
    pub unit: String,
    /// The task's number ("1.4.1").
    pub number: String,
    /// Tình trạng.
    pub status: TaskStatus,
    /// Ngày hoàn thành.
    pub completed: Option<NaiveDate>,
    /// Văn bản kiểm chứng.
    pub evidence: Option<String>,
    /// Where the row is.
    pub source: RowRef,
    /// The period of the earlier form this Hoàn thành comes from, when the unit's form of the
    /// period does not say (a finished task stays finished through the plan's year).
    pub carried_from: Option<String>,
}

/// A task's progress by the end of a period, from its lead units' answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Every lead unit answered Hoàn thành (or Không phát sinh for an `on_event` task).
    Done,
    /// Not done, and some lead unit answered Hoàn thành or Đang thực hiện.
    InProgress,
    /// A lead unit returned its form, and none shows work on the task.
    NotStarted,
    /// No lead unit returned a form.
    NotReported,
}

impl Progress {
    /// The code in indicators.json.
    pub fn code(self) -> &'static str {
        match self {
            Progress::Done => "done",
            Progress::InProgress => "in_progress",
            Progress::NotStarted => "not_started",
            Progress::NotReported => "not_reported",
        }
    }

    /// Its place in the annex template's `status_words` (done, in progress, not started, not
    /// reported).
    pub fn index(self) -> usize {
        match self {
            Progress::Done => 0,
            Progress::InProgress => 1,
            Progress::NotStarted => 2,
            Progress::NotReported => 3,
        }
    }
}

/// What one lead unit said about a task.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadAnswer {
    /// The registry unit.
    pub unit: String,
    /// Whether it returned a form for the period.
    pub reported: bool,
    /// Its answer, when its form has one for the task.
    pub status: Option<TaskStatus>,
    /// Ngày hoàn thành.
    pub completed: Option<NaiveDate>,
    /// Văn bản kiểm chứng.
    pub evidence: Option<String>,
    /// When its answer is a Hoàn thành of an earlier form of the year: that form's period.
    pub carried_from: Option<String>,
}

impl LeadAnswer {
    /// Whether this unit's part is late: the task is due and the unit reported it unfinished.
    pub fn late(&self, rule: Rule, is_due: bool) -> bool {
        is_due
            && matches!(
                self.progress(rule),
                Progress::InProgress | Progress::NotStarted
            )
    }

    /// This unit's own progress on the task: a form without an answer for it shows no work.
    pub fn progress(&self, rule: Rule) -> Progress {
        match self.status {
            _ if !self.reported => Progress::NotReported,
            Some(s) if s.finishes(rule) => Progress::Done,
            Some(s) if s.shows_progress(rule) => Progress::InProgress,
            _ => Progress::NotStarted,
        }
    }
}

/// One task's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// Its position in the plan ([`Plan::tasks`]).
    pub index: usize,
    /// "1.4.1".
    pub number: String,
    /// The section's id.
    pub section: String,
    /// The deadline rule.
    pub rule: Rule,
    /// Its progress.
    pub progress: Progress,
    /// The day it is due by the period's end (see [`Task::due`]).
    pub due: Option<NaiveDate>,
    /// Whether it is due by the period's end.
    pub is_due: bool,
    /// Due by the period's end and, by its lead units' answers, not done (chậm tiến độ). A task
    /// no lead unit reported on is not called late.
    pub late: bool,
    /// Each lead unit's answer, in the order of the task's units.
    pub leads: Vec<LeadAnswer>,
    /// When done: the latest completion day its lead units give.
    pub completed: Option<NaiveDate>,
}

impl TaskRow {
    /// Lead units that returned a form.
    pub fn leads_reported(&self) -> usize {
        self.leads.iter().filter(|l| l.reported).count()
    }
    /// Lead units that finished the task.
    pub fn leads_done(&self) -> usize {
        self.leads
            .iter()
            .filter(|l| l.progress(self.rule) == Progress::Done)
            .count()
    }
    /// The registry units that lead it.
    pub fn lead_units(&self) -> Vec<&str> {
        self.leads.iter().map(|l| l.unit.as_str()).collect()
    }
}

/// Tasks counted by progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TaskCounts {
    /// Tasks.
    pub tasks: u64,
    /// Of which due by the period's end.
    pub due: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Not started.
    pub not_started: u64,
    /// Not reported.
    pub not_reported: u64,
    /// Late (due, reported and not done).
    pub late: u64,
    /// Due and not reported: whether they are late is not known.
    pub due_not_reported: u64,
}

impl TaskCounts {
    /// Counts one task (or one unit's part of it).
    pub fn add(&mut self, progress: Progress, is_due: bool, late: bool) {
        self.tasks += 1;
        self.due += u64::from(is_due);
        self.late += u64::from(late);
        match progress {
            Progress::Done => self.done += 1,
            Progress::InProgress => self.in_progress += 1,
            Progress::NotStarted => self.not_started += 1,
            Progress::NotReported => {
                self.not_reported += 1;
                self.due_not_reported += u64::from(is_due);
            }
        }
    }
}

/// The tasks of one plan section, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionCounts {
    /// The section's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The report section its sentences go into.
    pub report: Option<ReportSection>,
    /// Its tasks, counted.
    pub counts: TaskCounts,
}

/// One lead unit's tasks, each counted by the unit's own answer.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCounts {
    /// The registry unit.
    pub unit: String,
    /// Whether it returned a form.
    pub reported: bool,
    /// Its tasks, counted by its own answers (late: due, answered and not finished by it).
    pub counts: TaskCounts,
}

/// The task figures of a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFigures {
    /// The plan's year.
    pub plan_year: i32,
    /// Whether the period lies in the plan's year; outside it no task counts (no rows).
    pub in_plan_year: bool,
    /// Every task, in the plan's order.
    pub rows: Vec<TaskRow>,
    /// Every task, counted.
    pub total: TaskCounts,
    /// Per plan section, in the plan's order.
    pub sections: Vec<SectionCounts>,
    /// Per lead unit, in registry order.
    pub units: Vec<UnitCounts>,
    /// Answers that name no task of the plan, or come from a unit that does not lead it.
    pub unmatched: Vec<TaskAnswer>,
}

impl TaskFigures {
    /// Lead units that returned a form, and lead units.
    pub fn lead_units_reported(&self) -> (usize, usize) {
        (
            self.units.iter().filter(|u| u.reported).count(),
            self.units.len(),
        )
    }
}

/// The task figures of a period from the answers of the returned forms and the units that
/// returned one (canonical registry names). An answer implies its unit returned a form; of two
/// answers of one unit for one task, the later counts.
pub fn task_figures(
    pipeline: &Pipeline,
    period: &Period,
    answers: &[TaskAnswer],
    units_reported: &[String],
) -> TaskFigures {
    figures_of_plan(
        crate::tasks::plan(pipeline),
        pipeline.units.all().iter().map(|u| u.name.as_str()),
        period,
        answers,
        units_reported,
    )
}

/// [`task_figures`] of a plan, with the registry's unit names in registry order.
pub fn figures_of_plan<'a>(
    plan: &Plan,
    registry: impl IntoIterator<Item = &'a str>,
    period: &Period,
    answers: &[TaskAnswer],
    units_reported: &[String],
) -> TaskFigures {
    let mut figures = TaskFigures {
        plan_year: plan.year,
        in_plan_year: period.year == plan.year,
        ..TaskFigures::default()
    };
    if !figures.in_plan_year {
        return figures;
    }
    let index: HashMap<&str, usize> = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.number.as_str(), i))
        .collect();
    let mut by_task: HashMap<(usize, &str), &TaskAnswer> = HashMap::new();
    for a in answers {
        match index.get(a.number.as_str()) {
            Some(&i) if plan.tasks[i].units.contains(&a.unit) => {
                by_task.insert((i, a.unit.as_str()), a);
            }
            _ => figures.unmatched.push(a.clone()),
        }
    }
    // A unit reported on a task when its form of the period counts, or when an earlier form of
    // the year finished it.
    let reporting: HashSet<&str> = units_reported
        .iter()
        .map(String::as_str)
        .chain(
            answers
                .iter()
                .filter(|a| a.carried_from.is_none())
                .map(|a| a.unit.as_str()),
        )
        .collect();
    let reported = |unit: &str| reporting.contains(unit);
    let mut per_unit: HashMap<String, TaskCounts> = HashMap::new();
    let mut per_section: HashMap<&str, TaskCounts> = HashMap::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        let leads: Vec<LeadAnswer> = task
            .units
            .iter()
            .map(|u| {
                let a = by_task.get(&(i, u.as_str()));
                LeadAnswer {
                    unit: u.clone(),
                    reported: reported(u) || a.is_some(),
                    carried_from: a.and_then(|a| a.carried_from.clone()),
                    status: a.map(|a| a.status),
                    completed: a.and_then(|a| a.completed),
                    evidence: a.and_then(|a| a.evidence.clone()),
                }
            })
            .collect();
        let row = row_of(i, task, period, leads);
        for l in &row.leads {
            let p = l.progress(task.rule);
            let late = l.late(task.rule, row.is_due);
            per_unit
                .entry(l.unit.clone())
                .or_default()
                .add(p, row.is_due, late);
        }
        figures.total.add(row.progress, row.is_due, row.late);
        per_section.entry(task.section.as_str()).or_default().add(
            row.progress,
            row.is_due,
            row.late,
        );
        figures.rows.push(row);
    }
    figures.sections = plan
        .sections
        .iter()
        .map(|s| SectionCounts {
            id: s.id.clone(),
            title: s.title.clone(),
            report: s.report.clone(),
            counts: per_section.get(s.id.as_str()).copied().unwrap_or_default(),
        })
        .collect();
    figures.units = registry
        .into_iter()
        .filter_map(|u| {
            per_unit.get(u).map(|c| UnitCounts {
                unit: u.to_string(),
                reported: reported(u),
                counts: *c,
            })
        })
        .collect();
    figures
}

fn row_of(index: usize, task: &Task, period: &Period, leads: Vec<LeadAnswer>) -> TaskRow {
    let rule = task.rule;
    let progress = if !leads.iter().any(|l| l.reported) {
        Progress::NotReported
    } else if leads
        .iter()
        .all(|l| l.status.is_some_and(|s| s.finishes(rule)))
    {
        Progress::Done
    } else if leads
        .iter()
        .any(|l| l.status.is_some_and(|s| s.shows_progress(rule)))
    {
        Progress::InProgress
    } else {
        Progress::NotStarted
    };
    let due = task.due(period);
    let is_due = due.is_some_and(|d| d <= period.end);
    let late = is_due && matches!(progress, Progress::InProgress | Progress::NotStarted);
    let completed = if progress == Progress::Done {
        leads.iter().filter_map(|l| l.completed).max()
    } else {
        None
    };
    TaskRow {
        index,
        number: task.number.clone(),
        section: task.section.clone(),
        rule,
        progress,
        due,
        is_due,
        late,
        leads,
        completed,
    }
}

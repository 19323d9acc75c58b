//! `tasks.toml` and `task-bodies.toml` exactly as a person writes them (strict serde: an unknown
//! key is an error, not a silently ignored line). Resolved into [`super::Plan`] at pipeline load.

use serde::Deserialize;

/// `tasks.toml`: the plan's appendix, one entry per task, in the appendix's order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TasksFile {
    /// The plan's year, e.g. 2024: `year_end` tasks are due on 31/12 of it, and the tasks count
    /// only in the reporting periods of that year.
    pub year: i32,
    /// The plan's sections (1 … 7), in order.
    #[serde(default)]
    pub sections: Vec<SectionEntry>,
    /// The tasks, in the appendix's order.
    #[serde(default)]
    pub tasks: Vec<TaskEntry>,
}

/// One section of the appendix ("1. Công tác chỉ đạo, điều hành …").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    /// Its number, as the appendix writes it ("1").
    pub id: String,
    /// Its title, as the appendix writes it.
    pub title: String,
    /// The section of the quarterly report whose sentences count its tasks (a section of
    /// `report-sections.toml` with `plan = true`, e.g. `thu_tuc`); none leaves its tasks only in
    /// the totals of section I.
    #[serde(default)]
    pub report: Option<ReportSection>,
}

/// A section of the quarterly report that task sentences go into: an id of
/// `report-sections.toml` with `plan = true`, checked when the plan is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct ReportSection(pub String);

impl ReportSection {
    /// Its key, as in `tasks.toml` and the narrative file.
    pub fn key(&self) -> &str {
        &self.0
    }
}

/// One task of the appendix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskEntry {
    /// Its number, as the appendix writes it ("1.4.1").
    pub number: String,
    /// The number of its section ("1").
    pub section: String,
    /// "Nhiệm vụ cụ thể", as written.
    pub task: String,
    /// "Sản phẩm", as written ("" when empty).
    pub product: String,
    /// The lead units: registry unit names (`units.toml`), bodies of `task-bodies.toml`, or the
    /// tokens `@all` (every unit), `@huyen`, `@xa` (every unit of that level).
    pub leads: Vec<String>,
    /// "Cơ quan chủ trì", as written.
    pub lead_text: String,
    /// "Cơ quan phối hợp", as written ("" when empty).
    pub partners: String,
    /// "Thời gian hoàn thành", as written.
    pub deadline_text: String,
    /// The deadline rule a person read from `deadline_text`.
    pub rule: Rule,
    /// With `rule = "date"`, the day (yyyy-mm-dd); with `rule = "by_period"`, the period id
    /// (2024-Q1 … 2024-Q4, 2024-H1, 2024-M9, 2024-Y); absent otherwise.
    #[serde(default)]
    pub due: Option<String>,
    /// Set by `cchc plan import` on a task it could not decide alone (a lead it did not know, a
    /// deadline it read loosely): the task loads, and a warning lists it until a person has
    /// checked it and removed the flag. Its leads may then be empty (nobody reports it yet).
    #[serde(default)]
    pub confirm: bool,
}

/// How a task's deadline is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A day (`due = "2024-03-31"`).
    Date,
    /// The end of a period (`due = "2024-Q1"`), under the pipeline's period rule.
    ByPeriod,
    /// "Trong năm 2024": 31/12 of the plan year.
    YearEnd,
    /// "Hàng quý": due at every quarter's end.
    EachQuarter,
    /// "Thường xuyên": never due, never late.
    Continuous,
    /// "Khi có phát sinh …", "Theo hướng dẫn …": done when it happens, never late.
    OnEvent,
}

impl Rule {
    /// Its code, as in `tasks.toml` and indicators.json.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Date => "date",
            Rule::ByPeriod => "by_period",
            Rule::YearEnd => "year_end",
            Rule::EachQuarter => "each_quarter",
            Rule::Continuous => "continuous",
            Rule::OnEvent => "on_event",
        }
    }
}

/// `task-bodies.toml`: the bodies that lead tasks but are not in the unit registry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodiesFile {
    /// The bodies.
    #[serde(default)]
    pub bodies: Vec<BodyEntry>,
}

/// One body outside the registry (Ban Chỉ đạo CCHC huyện, Tổ Kiểm tra công vụ …).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyEntry {
    /// Its canonical name, as `leads` in `tasks.toml` names it.
    pub name: String,
    /// The registry unit that answers the form for it.
    pub answered_by: String,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

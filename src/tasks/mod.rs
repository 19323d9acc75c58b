//! The plan's appendix tasks (self-reports.md §1, §4): `tasks.toml` and `task-bodies.toml`
//! resolved at pipeline load — every lead to the registry units that answer for it, every
//! deadline rule to its due date — and the figures of a period made from the units' answers
//! ([`figures::task_figures`]). Not an input kind: the answers come from the self-report forms,
//! which hand them over as [`figures::TaskAnswer`]s.

pub mod figures;
pub mod raw;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;

use crate::config::part::{ConfigPart, Loaded, PartContext};
use crate::config::{Level, Pipeline, Units};
use crate::period::{Period, PeriodRule};
use crate::text::match_key;

pub use figures::{
    task_figures, LeadAnswer, Progress, TaskAnswer, TaskCounts, TaskFigures, TaskRow, TaskStatus,
};
pub use raw::{ReportSection, Rule};

/// The plan's tasks, resolved and validated.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The plan's year.
    pub year: i32,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The tasks, in the appendix's order.
    pub tasks: Vec<Task>,
}

/// A section of the appendix.
#[derive(Debug, Clone)]
pub struct Section {
    /// "1".
    pub id: String,
    /// "Công tác chỉ đạo, điều hành và truyền thông về CCHC".
    pub title: String,
    /// The report section its sentences go into.
    pub report: Option<ReportSection>,
}

/// A lead as `tasks.toml` names it, and the registry units that answer for it.
#[derive(Debug, Clone)]
pub struct Lead {
    /// The canonical unit or body name, or the token (`@all`, `@huyen`, `@xa`).
    pub name: String,
    /// The registry units that answer for it, in registry order for a token.
    pub units: Vec<String>,
}

/// When a task is due, once resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// On a day (`date`, `by_period`, `year_end`).
    On(NaiveDate),
    /// At every quarter's end (`each_quarter`).
    EachQuarter,
    /// Never (`continuous`, `on_event`).
    Never,
}

/// One task of the plan.
#[derive(Debug, Clone)]
pub struct Task {
    /// "1.4.1".
    pub number: String,
    /// The section's id.
    pub section: String,
    /// "Nhiệm vụ cụ thể".
    pub task: String,
    /// "Sản phẩm".
    pub product: String,
    /// "Cơ quan chủ trì", as written.
    pub lead_text: String,
    /// "Cơ quan phối hợp", as written.
    pub partners: String,
    /// "Thời gian hoàn thành", as written.
    pub deadline_text: String,
    /// The leads, as named.
    pub leads: Vec<Lead>,
    /// The registry units that report the task, each once, in the order of the leads.
    pub units: Vec<String>,
    /// The deadline rule.
    pub rule: Rule,
    /// The deadline, resolved.
    pub deadline: Deadline,
    /// Still to be checked by a person (`confirm = true`, written by `cchc plan import`).
    pub confirm: bool,
}

impl Plan {
    /// The tasks a registry unit reports on (it leads them, or answers for a body that does), in
    /// the plan's order.
    pub fn led_by<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks
            .iter()
            .filter(move |t| t.units.iter().any(|u| u == unit))
    }

    /// The tasks on a unit's form of a period: those it reports on, when the period lies in the
    /// plan's year; none otherwise.
    pub fn on_form<'a>(
        &'a self,
        unit: &'a str,
        period: &Period,
    ) -> impl Iterator<Item = &'a Task> + 'a {
        let in_year = period.year == self.year;
        self.led_by(unit).filter(move |_| in_year)
    }

    /// The task with this number.
    pub fn task(&self, number: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.number == number)
    }
}

impl Task {
    /// The day the task is due by the end of a period: its day for `date`, `by_period` and
    /// `year_end`; for `each_quarter`, the end of the last quarter (under the period's rule) that
    /// ends by the period's end; none for `continuous` and `on_event`. A day after the period's
    /// end is returned as well: the task is then not yet due.
    pub fn due(&self, period: &Period) -> Option<NaiveDate> {
        match self.deadline {
            Deadline::On(d) => Some(d),
            Deadline::Never => None,
            Deadline::EachQuarter => (1..=4)
                .rev()
                .filter_map(|q| Period::parse(&format!("{}-Q{q}", period.year), period.rule).ok())
                .map(|p| p.end)
                .find(|end| *end <= period.end),
        }
    }

    /// Whether the task's deadline has come by the end of a period (due on or before its end).
    pub fn is_due(&self, period: &Period) -> bool {
        self.due(period).is_some_and(|d| d <= period.end)
    }
}

/// The plan's part of the configuration: `tasks.toml` and `task-bodies.toml` (pipeline keys
/// `tasks`, `task_bodies`).
pub struct PlanPart;

/// The id the plan's settings are held under.
pub const PART: &str = "tasks";

/// The plan of a pipeline: its tasks, leads and deadlines resolved.
pub fn plan(pipeline: &Pipeline) -> &Plan {
    pipeline.parts.get::<Plan>(PART)
}

impl ConfigPart for PlanPart {
    fn id(&self) -> &'static str {
        PART
    }
    fn keys(&self) -> &'static [&'static str] {
        &["tasks", "task_bodies"]
    }
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("tasks.toml", include_str!("../../pipelines/tasks.toml")),
            (
                "task-bodies.toml",
                include_str!("../../pipelines/task-bodies.toml"),
            ),
        ]
    }
    fn commune_files(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "tasks.toml",
                include_str!("../../pipelines/mau-xa/tasks.toml"),
            ),
            (
                "task-bodies.toml",
                include_str!("../../pipelines/xa-hoc-mon/task-bodies.toml"),
            ),
        ]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let (tasks, bodies) = files(cx.path, cx.keys)?;
        let plan = load(&tasks, &bodies, &cx.pipeline.units, cx.pipeline.period_rule)?;
        let allowed = cx.pipeline.report_sections.plan();
        for s in &plan.sections {
            if let Some(r) = s.report.as_ref().filter(|r| !allowed.contains(&r.key())) {
                bail!(
                    "nhiệm vụ của kế hoạch {}: mục «{}» đưa vào phần «{}» của báo cáo, phần này không có (các phần: {}); hãy sửa report của mục này, hoặc đánh dấu plan = true cho phần đó trong report-sections.toml",
                    tasks.display(),
                    s.id,
                    r.key(),
                    allowed.join(", ")
                );
            }
        }
        Ok(Loaded {
            settings: Box::new(plan),
            files: vec![tasks.clone(), bodies.clone()],
            normalization_files: vec![tasks, bodies],
        })
    }
}

/// The plan's two files a pipeline file names (`keys`: its keys the plan claims).
pub fn files(path: &Path, keys: &toml::Table) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    use crate::config::part::file_named;
    Ok((
        file_named(path, keys, "tasks", "tasks.toml")?,
        file_named(path, keys, "task_bodies", "task-bodies.toml")?,
    ))
}

/// Reads `tasks.toml` and `task-bodies.toml` and resolves them against the unit registry:
/// period ids of `by_period` deadlines are read under `rule`.
/// Tasks still marked `confirm = true` are listed in a warning.
pub fn load(tasks: &Path, bodies: &Path, units: &Units, rule: PeriodRule) -> Result<Plan> {
    let plan = load_unwarned(tasks, bodies, units, rule)?;
    let unconfirmed: Vec<&str> = plan
        .tasks
        .iter()
        .filter(|t| t.confirm)
        .map(|t| t.number.as_str())
        .collect();
    if !unconfirmed.is_empty() {
        crate::text::say(&format!(
            "Cảnh báo: {} nhiệm vụ của {} còn chờ người kiểm tra (confirm = true): {} — xem chú thích ngay trên từng nhiệm vụ, sửa đơn vị chủ trì (leads) và thời hạn (rule, due) nếu cần, rồi xóa dòng confirm = true.",
            unconfirmed.len(),
            tasks.display(),
            unconfirmed.join(", ")
        ));
    }
    Ok(plan)
}

/// [`load`] without the warning (`cchc plan import` checks what it writes, and lists the tasks
/// to check itself).
pub fn load_unwarned(tasks: &Path, bodies: &Path, units: &Units, rule: PeriodRule) -> Result<Plan> {
    let names = LeadNames::load(bodies, units)?;
    let file: raw::TasksFile = crate::config::read_toml(tasks)?;
    resolve(file, &names.bodies, units, rule)
        .with_context(|| format!("nhiệm vụ của kế hoạch {} không hợp lệ", tasks.display()))
}

/// The registry's units and the bodies of `task-bodies.toml`, as the plan's leads are matched
/// against them: one matcher for `tasks.toml` and for `cchc plan import`.
pub struct LeadNames<'a> {
    bodies: HashMap<String, Body>,
    units: &'a Units,
}

impl<'a> LeadNames<'a> {
    /// Reads `task-bodies.toml` against the registry.
    pub fn load(bodies: &Path, units: &'a Units) -> Result<LeadNames<'a>> {
        let file: raw::BodiesFile = crate::config::read_toml(bodies)?;
        let bodies = resolve_bodies(file, units)
            .with_context(|| format!("danh sách cơ quan {} không hợp lệ", bodies.display()))?;
        Ok(LeadNames { bodies, units })
    }

    /// The canonical unit or body a spelling names (as `leads` would name it), or a token.
    pub fn find(&self, spelling: &str) -> Option<String> {
        resolve_lead(spelling, &self.bodies, self.units).map(|l| l.name)
    }

    /// Every unit or body whose name or alias appears in a line of text, in registry order
    /// (units, then bodies).
    pub fn mentioned_in(&self, line: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .units
            .mentioned_in(line)
            .into_iter()
            .map(|u| u.name.clone())
            .collect();
        let key = format!(" {} ", words(&match_key(line)));
        let mut bodies: Vec<(&String, &Body)> = self.bodies.iter().collect();
        bodies.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(b.0)));
        for (alias, body) in bodies {
            if key.contains(&format!(" {} ", words(alias))) && !found.contains(&body.name) {
                found.push(body.name.clone());
            }
        }
        found
    }
}

/// Words of a text, joined by one space (punctuation dropped).
fn words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A body outside the registry: its canonical name and the unit that answers for it.
struct Body {
    name: String,
    answered_by: String,
}

fn resolve_bodies(file: raw::BodiesFile, units: &Units) -> Result<HashMap<String, Body>> {
    let mut by_key: HashMap<String, Body> = HashMap::new();
    for b in file.bodies {
        let Some(unit) = units.find(&b.answered_by) else {
            bail!(
                "cơ quan «{}»: đơn vị trả lời thay (answered_by) «{}» không có trong danh mục đơn vị",
                b.name,
                b.answered_by
            );
        };
        for spelling in std::iter::once(&b.name).chain(&b.aliases) {
            if let Some(u) = units.find(spelling) {
                bail!(
                    "cơ quan «{}»: tên «{spelling}» trùng với đơn vị «{}» của danh mục đơn vị",
                    b.name,
                    u.name
                );
            }
            let body = Body {
                name: crate::text::canonical_spelling(&b.name),
                answered_by: unit.name.clone(),
            };
            if let Some(old) = by_key.insert(match_key(spelling), body) {
                bail!(
                    "tên «{spelling}» được khai cho hai cơ quan («{}» và «{}»)",
                    old.name,
                    b.name
                );
            }
        }
    }
    Ok(by_key)
}

fn resolve_lead(name: &str, bodies: &HashMap<String, Body>, units: &Units) -> Option<Lead> {
    let level = match name {
        "@all" => Some(None),
        "@huyen" => Some(Some(Level::Huyen)),
        "@xa" => Some(Some(Level::Xa)),
        _ => None,
    };
    if let Some(level) = level {
        let units = units
            .all()
            .iter()
            .filter(|u| level.is_none_or(|l| u.level == l))
            .map(|u| u.name.clone())
            .collect();
        return Some(Lead {
            name: name.to_string(),
            units,
        });
    }
    if let Some(b) = bodies.get(&match_key(name)) {
        return Some(Lead {
            name: b.name.clone(),
            units: vec![b.answered_by.clone()],
        });
    }
    units.find(name).map(|u| Lead {
        name: u.name.clone(),
        units: vec![u.name.clone()],
    })
}

fn resolve(
    file: raw::TasksFile,
    bodies: &HashMap<String, Body>,
    units: &Units,
    rule: PeriodRule,
) -> Result<Plan> {
    if !(1990..=2100).contains(&file.year) {
        bail!("năm của kế hoạch (year) «{}» không hợp lệ", file.year);
    }
    let mut sections: Vec<Section> = Vec::new();
    for s in file.sections {
        if sections.iter().any(|o| o.id == s.id) {
            bail!("mục «{}» được khai hai lần", s.id);
        }
        if let Some(r) = &s.report {
            if let Some(o) = sections.iter().find(|o| o.report.as_ref() == Some(r)) {
                bail!(
                    "mục «{}» và mục «{}» cùng đưa vào phần «{}» của báo cáo",
                    o.id,
                    s.id,
                    r.key()
                );
            }
        }
        sections.push(Section {
            id: s.id,
            title: s.title,
            report: s.report,
        });
    }
    let mut numbers = HashSet::new();
    let mut tasks = Vec::new();
    for t in file.tasks {
        let n = t.number.clone();
        if !numbers.insert(n.clone()) {
            bail!("nhiệm vụ «{n}» được khai hai lần");
        }
        if !n
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            bail!("nhiệm vụ «{n}»: số thứ tự phải là các số cách nhau bởi dấu chấm (1.4.1)");
        }
        if !sections.iter().any(|s| s.id == t.section) {
            bail!(
                "nhiệm vụ {n}: mục «{}» không có trong [[sections]]",
                t.section
            );
        }
        if !n.starts_with(&format!("{}.", t.section)) {
            bail!("nhiệm vụ {n}: số thứ tự không thuộc mục «{}»", t.section);
        }
        if t.task.trim().is_empty() {
            bail!("nhiệm vụ {n}: nội dung nhiệm vụ (task) trống");
        }
        if t.leads.is_empty() && !t.confirm {
            bail!("nhiệm vụ {n}: chưa có đơn vị chủ trì (leads)");
        }
        let mut leads: Vec<Lead> = Vec::new();
        let mut answering: Vec<String> = Vec::new();
        for name in &t.leads {
            let Some(lead) = resolve_lead(name, bodies, units) else {
                bail!(
                    "nhiệm vụ {n}: đơn vị chủ trì «{name}» không có trong danh mục đơn vị (units.toml), danh sách cơ quan (task-bodies.toml) hay các ký hiệu @all, @huyen, @xa"
                );
            };
            if leads.iter().any(|l| l.name == lead.name) {
                bail!("nhiệm vụ {n}: đơn vị chủ trì «{name}» ghi hai lần");
            }
            for u in &lead.units {
                if !answering.contains(u) {
                    answering.push(u.clone());
                }
            }
            leads.push(lead);
        }
        if answering.is_empty() && !t.confirm {
            bail!("nhiệm vụ {n}: đơn vị chủ trì không ứng với đơn vị nào của danh mục");
        }
        let deadline = deadline(&n, t.rule, t.due.as_deref(), file.year, rule)?;
        tasks.push(Task {
            number: n,
            section: t.section,
            task: t.task,
            product: t.product,
            lead_text: t.lead_text,
            partners: t.partners,
            deadline_text: t.deadline_text,
            leads,
            units: answering,
            rule: t.rule,
            deadline,
            confirm: t.confirm,
        });
    }
    Ok(Plan {
        year: file.year,
        sections,
        tasks,
    })
}

fn deadline(
    n: &str,
    rule: Rule,
    due: Option<&str>,
    year: i32,
    period_rule: PeriodRule,
) -> Result<Deadline> {
    let needs_due = matches!(rule, Rule::Date | Rule::ByPeriod);
    match (needs_due, due) {
        (true, None) => bail!("nhiệm vụ {n}: quy tắc thời hạn «{}» cần due", rule.code()),
        (false, Some(d)) => bail!(
            "nhiệm vụ {n}: quy tắc thời hạn «{}» không có due (ghi «{d}»)",
            rule.code()
        ),
        _ => {}
    }
    Ok(match rule {
        Rule::Date => {
            let d = due.unwrap_or_default();
            match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(day) => Deadline::On(day),
                Err(_) => bail!(
                    "nhiệm vụ {n}: due = «{d}» không phải ngày dạng năm-tháng-ngày (2024-03-31)"
                ),
            }
        }
        Rule::ByPeriod => {
            let d = due.unwrap_or_default();
            let p = Period::parse(d, period_rule)
                .with_context(|| format!("nhiệm vụ {n}: due = «{d}»"))?;
            Deadline::On(p.end)
        }
        Rule::YearEnd => Deadline::On(
            NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists every year"),
        ),
        Rule::EachQuarter => Deadline::EachQuarter,
        Rule::Continuous | Rule::OnEvent => Deadline::Never,
    })
}

//! The list rendered: `canh-bao-<as-of>.xlsx` (a summary sheet, then a sheet per unit, A4
//! landscape, title rows repeated on every page), `canh-bao-<as-of>.html`, the full list
//! `canh-bao-<as-of>-day-du.csv`, and the one-screen summary. A unit's sheet shows the first
//! `sheet_rows` of each list and the page the first `page_rows`, each followed by how many more
//! there are and where: a city's synthetic year leaves ten thousand dossiers overdue in one
//! commune, which nobody reads on a sheet and which made the workbook most of the run's time;
//! every row is in the full list, and every count (summary sheet, terminal) stays whole.
//!
//! The words — titles, sections, columns, states — are `templates/alerts/canh-bao.toml`, the
//! page `templates/alerts/canh-bao.html`; both embedded, both overridable by the locality's
//! templates folder. The page reads each row as a map of the values its columns may show; the
//! workbook and the full list write the dossier lists' rows (hundreds of thousands in a city)
//! straight from the alerts, the same values (`dossier_value`) turned into cells by one
//! function (`cell_of`) and into text by another (`csv_text`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use super::sheet::{Cell, Direct, Models, SheetSpec, Sink};
use super::{
    Alerts, ApologyOwed, ApologyReason, DossierAlert, DossierState, PaknAlert, Stake, TaskAlert,
    UnitAlerts,
};
use crate::config::Pipeline;
use crate::indicators::targets::trim_number;
use crate::render::annex::model::{SheetModel, Style};
use crate::tasks::TaskStatus;
use crate::vn;

/// The default words, embedded.
pub const DEFAULT_WORDS: &str = include_str!("../../templates/alerts/canh-bao.toml");
/// The default page, embedded.
pub const DEFAULT_PAGE: &str = include_str!("../../templates/alerts/canh-bao.html");

/// One column of a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The value it shows (see [`offered`]).
    pub value: String,
    /// Its header.
    pub header: String,
    /// Its width in the workbook, in characters.
    pub width: f64,
    /// How the page formats it (`text`, `integer`, `date`, `rate`): set from [`offered`].
    #[serde(default, skip_deserializing)]
    pub kind: String,
}

/// The columns of each list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The summary sheet, one row per unit.
    pub summary: Vec<Column>,
    /// Due soon.
    pub due_soon: Vec<Column>,
    /// Overdue, and overdue waiting for a supplement.
    pub overdue: Vec<Column>,
    /// Apology owed.
    pub apology: Vec<Column>,
    /// PAKN.
    pub pakn: Vec<Column>,
    /// Plan tasks.
    pub tasks: Vec<Column>,
    /// What is at stake.
    pub stake: Vec<Column>,
    /// The 766 progress points at stake.
    pub progress_766: Vec<Column>,
    /// Per officer.
    pub officers: Vec<Column>,
}

/// The section titles.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    /// Due soon.
    pub due_soon: String,
    /// Overdue.
    pub overdue: String,
    /// Overdue waiting for a supplement.
    pub supplement: String,
    /// Apology owed.
    pub apology: String,
    /// PAKN.
    pub pakn: String,
    /// Plan tasks.
    pub tasks: String,
    /// At stake.
    pub stake: String,
    /// The 766 progress points at stake.
    pub progress_766: String,
    /// Per officer.
    pub officers: String,
}

/// A dossier's state words.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    /// Received.
    pub received: String,
    /// Processing.
    pub processing: String,
    /// Waiting for a supplement.
    pub supplement: String,
    /// Result ready.
    pub result_ready: String,
    /// Refused.
    pub refused: String,
    /// Returned.
    pub returned: String,
    /// Withdrawn.
    pub withdrawn: String,
    /// Ended after the day of the list: a one-line template with `{{ date }}`.
    pub ended_later: String,
}

/// What one item of a list is called.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Nouns {
    /// A dossier (due soon, overdue, supplement, apology).
    pub dossier: String,
    /// A PAKN.
    pub pakn: String,
    /// A plan task.
    pub task: String,
}

/// Why an apology is owed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApologyWords {
    /// Ended late.
    pub ended_late: String,
    /// Overdue.
    pub overdue: String,
    /// Added when the export has no apology column.
    pub no_column: String,
}

/// A PAKN's state.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaknWords {
    /// Near its limit.
    pub near: String,
    /// Past it.
    pub overdue: String,
}

/// A task's state and a unit's answers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskWords {
    /// Due within the horizon.
    pub due: String,
    /// Past due.
    pub overdue: String,
    /// Hoàn thành.
    pub done: String,
    /// Đang thực hiện.
    pub in_progress: String,
    /// Chưa thực hiện.
    pub not_started: String,
    /// Không phát sinh.
    pub not_applicable: String,
    /// No answer on a form returned by the day.
    pub no_answer: String,
}

/// A threshold met or not.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictWords {
    /// Met.
    pub met: String,
    /// Not met.
    pub missed: String,
    /// No rate or no threshold.
    pub unknown: String,
}

/// `templates/alerts/canh-bao.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The title.
    pub title: String,
    /// The line under it (a one-line template).
    pub subtitle: String,
    /// A unit sheet's title (a one-line template with `{{ unit }}`).
    pub unit_title: String,
    /// The stale-exports warning (a one-line template with `{{ latest }}`, `{{ stale_after }}`).
    pub stale: String,
    /// The warning when the exports hold no date.
    pub no_data: String,
    /// The exports' latest date (a one-line template with `{{ latest }}`).
    pub latest: String,
    /// The summary sheet's name.
    pub summary_sheet: String,
    /// The total row.
    pub total: String,
    /// When no unit has anything listed.
    pub empty: String,
    /// An empty list.
    pub none: String,
    /// The note that the list is internal.
    pub note: String,
    /// The page shows at most this many rows of each list.
    pub page_rows: usize,
    /// A unit sheet of the workbook shows at most this many rows of each list, the most urgent
    /// first; every row is in the full list (`canh-bao-<as-of>-day-du.csv`).
    pub sheet_rows: usize,
    /// The line after a list cut in the workbook or on the page (a one-line template with
    /// `{{ more }}`, `{{ noun }}`, `{{ file }}`).
    pub more: String,
    /// The full list's unit column.
    pub full_unit: String,
    /// The full list's column of the list's name.
    pub full_list: String,
    /// A figure that cannot be computed (the 766 points of a unit the index gives none).
    pub no_figure: String,
    /// The 766 window (a one-line template with `{{ window }}`, `{{ start }}`, `{{ end }}`).
    pub window_766: String,
    /// The terminal summary's header of the 766 points at stake.
    pub terminal_766: String,
    /// The words of every page's footer in the workbook: `{page}` the page number, `{pages}`
    /// their count; a locality's copy that leaves it out takes the shipped file's.
    #[serde(default)]
    pub page_footer: Option<String>,
    /// What one item of each list is called, in the line after a cut list.
    pub nouns: Nouns,
    /// Section titles.
    pub sections: Sections,
    /// Dossier states.
    pub status_words: StatusWords,
    /// Apology reasons.
    pub apology_words: ApologyWords,
    /// PAKN states.
    pub pakn_words: PaknWords,
    /// Task states.
    pub task_words: TaskWords,
    /// Verdicts.
    pub verdict_words: VerdictWords,
    /// The columns of each list.
    pub columns: Columns,
}

/// The kind of a value: how the workbook writes it and the page formats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Integer,
    Date,
    Rate,
    /// Points to two decimals, or the words of a figure that cannot be computed.
    Points,
}

/// The values each list offers its columns.
pub fn offered(list: &str) -> &'static [(&'static str, KindName)] {
    use KindName::*;
    match list {
        "summary" => &[
            ("stt", Integer),
            ("unit", Text),
            ("level", Text),
            ("overdue", Integer),
            ("supplement", Integer),
            ("due_soon", Integer),
            ("apology", Integer),
            ("pakn_overdue", Integer),
            ("pakn_near", Integer),
            ("tasks_overdue", Integer),
            ("tasks_due", Integer),
            ("rate_now", Rate),
            ("rate_if_late", Rate),
            ("points_766_now", Points),
            ("points_766_if_late", Points),
            ("points_766_at_stake", Points),
        ],
        "due_soon" | "overdue" => &[
            ("stt", Integer),
            ("dossier_id", Text),
            ("procedure", Text),
            ("field", Text),
            ("received", Date),
            ("due", Date),
            ("working_days_left", Integer),
            ("days_overdue", Integer),
            ("status", Text),
            ("officer", Text),
        ],
        "apology" => &[
            ("stt", Integer),
            ("dossier_id", Text),
            ("procedure", Text),
            ("field", Text),
            ("due", Date),
            ("completed", Date),
            ("reason", Text),
            ("officer", Text),
        ],
        "pakn" => &[
            ("stt", Integer),
            ("code", Text),
            ("field", Text),
            ("received", Date),
            ("due", Date),
            ("working_days", Integer),
            ("state", Text),
        ],
        "tasks" => &[
            ("stt", Integer),
            ("number", Text),
            ("task", Text),
            ("deadline", Text),
            ("due", Date),
            ("working_days_left", Integer),
            ("state", Text),
            ("status", Text),
            ("lead", Text),
            ("lead_units", Text),
        ],
        "stake" => &[
            ("stt", Integer),
            ("name", Text),
            ("resolved", Integer),
            ("on_time", Integer),
            ("due_soon", Integer),
            ("rate_now", Rate),
            ("rate_if_late", Rate),
            ("target", Text),
            ("verdict_now", Text),
            ("verdict_if_late", Text),
        ],
        "progress_766" => &[
            ("stt", Integer),
            ("window", Text),
            ("counted", Integer),
            ("on_time", Integer),
            ("due_soon", Integer),
            ("points_now", Points),
            ("points_if_late", Points),
            ("points_at_stake", Points),
            ("max", Points),
        ],
        "officers" => &[
            ("stt", Integer),
            ("officer", Text),
            ("due_soon", Integer),
            ("overdue", Integer),
            ("supplement", Integer),
        ],
        _ => &[],
    }
}

/// A value kind as [`offered`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindName {
    /// Text.
    Text,
    /// A count.
    Integer,
    /// A day.
    Date,
    /// A percentage.
    Rate,
    /// Points (two decimals), or the words of a figure that cannot be computed.
    Points,
}

fn kind_of(list: &str, value: &str) -> Kind {
    match offered(list)
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, k)| *k)
    {
        Some(KindName::Integer) => Kind::Integer,
        Some(KindName::Date) => Kind::Date,
        Some(KindName::Rate) => Kind::Rate,
        Some(KindName::Points) => Kind::Points,
        _ => Kind::Text,
    }
}

impl Words {
    /// Loads the words: the locality's `alerts/canh-bao.toml` when it has one, else the default.
    pub fn load(templates_dir: Option<&Path>) -> Result<Words> {
        let own = templates_dir
            .map(|d| d.join("alerts").join("canh-bao.toml"))
            .filter(|p| p.exists());
        let (origin, text) = match &own {
            Some(p) => (
                p.display().to_string(),
                std::fs::read_to_string(p)
                    .with_context(|| format!("không đọc được mẫu {}", p.display()))?,
            ),
            None => (
                "(mẫu mặc định) alerts/canh-bao.toml".to_string(),
                DEFAULT_WORDS.to_string(),
            ),
        };
        let mut words: Words = crate::config::errors::parse_toml(&text)
            .with_context(|| format!("mẫu danh sách cảnh báo {origin} không hợp lệ"))?;
        if words.page_footer.is_none() {
            let shipped: Words = crate::config::errors::parse_toml(DEFAULT_WORDS)
                .context("lỗi chương trình: mẫu mặc định alerts/canh-bao.toml không hợp lệ")?;
            words.page_footer = shipped.page_footer;
        }
        let c = &words.columns;
        for (list, cols) in [
            ("summary", &c.summary),
            ("due_soon", &c.due_soon),
            ("overdue", &c.overdue),
            ("apology", &c.apology),
            ("pakn", &c.pakn),
            ("tasks", &c.tasks),
            ("stake", &c.stake),
            ("progress_766", &c.progress_766),
            ("officers", &c.officers),
        ] {
            if cols.is_empty() {
                bail!("mẫu danh sách cảnh báo {origin}: danh sách «{list}» chưa có cột nào");
            }
            for col in cols {
                if !offered(list).iter().any(|(v, _)| *v == col.value) {
                    bail!(
                        "mẫu danh sách cảnh báo {origin}: danh sách «{list}» không có số liệu «{}»; các tên dùng được: {}",
                        col.value,
                        offered(list)
                            .iter()
                            .map(|(v, _)| *v)
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
        }
        Ok(words)
    }
}

/// One row: the values its columns may show, by name. Dates are ISO text, rates numbers
/// rounded to hundredths, absent values null.
type Row = BTreeMap<&'static str, Json>;

fn date(d: chrono::NaiveDate) -> Json {
    Json::String(d.to_string())
}

fn opt<T: Into<Json>>(v: Option<T>) -> Json {
    v.map(Into::into).unwrap_or(Json::Null)
}

fn rate(r: Option<crate::rate::Rate>) -> Json {
    r.map(|r| json!(r.rounded())).unwrap_or(Json::Null)
}

fn line(template: &str, ctx: &tera::Context) -> Result<String> {
    crate::render::templates::one_line(template, ctx)
}

/// The full list's file name: every row of every list of the day.
pub fn full_list_file(as_of: chrono::NaiveDate) -> String {
    format!("canh-bao-{}-day-du.csv", as_of.format("%Y-%m-%d"))
}

/// Whether a list is one of items (dossiers, PAKN, tasks), cut at `sheet_rows` and `page_rows`
/// and kept whole in the full list; the stake and per-officer tables are counts, never cut.
fn is_item_list(list: &str) -> bool {
    matches!(list, "due_soon" | "overdue" | "apology" | "pakn" | "tasks")
}

/// The line after a cut list: how many more, and the file that has them.
fn more_line(words: &Words, list: &str, more: usize, as_of: chrono::NaiveDate) -> Result<String> {
    let noun = match list {
        "pakn" => &words.nouns.pakn,
        "tasks" => &words.nouns.task,
        _ => &words.nouns.dossier,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("more", &more);
    ctx.insert("noun", noun);
    ctx.insert("file", &full_list_file(as_of));
    line(&words.more, &ctx)
}

/// A list's columns as they show: the officer column only when the exports name officers.
fn shown_columns(a: &Alerts, list: &str, cols: &[Column]) -> Vec<Column> {
    cols.iter()
        .filter(|c| a.officer_column || c.value != "officer")
        .map(|c| Column {
            kind: match kind_of(list, &c.value) {
                Kind::Text => "text",
                Kind::Integer => "integer",
                Kind::Date => "date",
                Kind::Rate => "rate",
                Kind::Points => "points",
            }
            .to_string(),
            ..c.clone()
        })
        .collect()
}

/// The words of a day a dossier ended after the list's day, rendered once a day: a city's list
/// has tens of thousands of them, and each rendering parses the template.
type EndedLater = std::cell::RefCell<std::collections::HashMap<chrono::NaiveDate, String>>;

fn status_word(words: &Words, ended: &EndedLater, state: DossierState) -> Result<String> {
    Ok(status_text(words, ended, state)?.into_owned())
}

fn status_text<'w>(
    words: &'w Words,
    ended: &EndedLater,
    state: DossierState,
) -> Result<std::borrow::Cow<'w, str>> {
    use crate::model::Status::*;
    use std::borrow::Cow;
    let w = &words.status_words;
    Ok(match state {
        DossierState::EndedLater(d) => {
            if let Some(text) = ended.borrow().get(&d) {
                return Ok(Cow::Owned(text.clone()));
            }
            let mut ctx = tera::Context::new();
            ctx.insert("date", &d.to_string());
            let text = line(&w.ended_later, &ctx)?;
            ended.borrow_mut().insert(d, text.clone());
            Cow::Owned(text)
        }
        DossierState::Open(s) => Cow::Borrowed(match s {
            Received => &w.received,
            Processing => &w.processing,
            Supplement => &w.supplement,
            ResultReady => &w.result_ready,
            Refused => &w.refused,
            Returned => &w.returned,
            Withdrawn => &w.withdrawn,
            // Excluded by the rules before any list is drawn: never an alert's dossier.
            NotReceived | NotAccepted => s.code(),
        }),
    })
}

fn dossier_row(words: &Words, ended: &EndedLater, i: usize, d: &DossierAlert) -> Result<Row> {
    Ok(Row::from([
        ("stt", json!(i + 1)),
        ("dossier_id", json!(d.dossier_id)),
        ("procedure", opt(d.procedure.clone())),
        ("field", json!(d.field)),
        ("received", date(d.received)),
        ("due", date(d.due)),
        ("working_days_left", json!(d.working_days_left)),
        ("days_overdue", json!(d.days_overdue)),
        ("status", json!(status_word(words, ended, d.state)?)),
        ("officer", opt(d.officer.clone())),
    ]))
}

fn apology_reason(words: &Words, o: &ApologyOwed) -> String {
    let reason = match o.reason {
        ApologyReason::EndedLate => &words.apology_words.ended_late,
        ApologyReason::Overdue => &words.apology_words.overdue,
    };
    if o.column {
        reason.clone()
    } else {
        format!("{reason} ({})", words.apology_words.no_column)
    }
}

fn pakn_row(words: &Words, i: usize, p: &PaknAlert) -> Row {
    Row::from([
        ("stt", json!(i + 1)),
        ("code", json!(p.code)),
        ("field", json!(p.field)),
        ("received", date(p.received)),
        ("due", date(p.due)),
        ("working_days", json!(p.working_days)),
        (
            "state",
            json!(if p.overdue {
                &words.pakn_words.overdue
            } else {
                &words.pakn_words.near
            }),
        ),
    ])
}

fn task_word(words: &Words, s: Option<TaskStatus>) -> String {
    let w = &words.task_words;
    match s {
        None => w.no_answer.clone(),
        Some(TaskStatus::Done) => w.done.clone(),
        Some(TaskStatus::InProgress) => w.in_progress.clone(),
        Some(TaskStatus::NotStarted) => w.not_started.clone(),
        Some(TaskStatus::NotApplicable) => w.not_applicable.clone(),
    }
}

fn task_row(words: &Words, i: usize, t: &TaskAlert) -> Row {
    Row::from([
        ("stt", json!(i + 1)),
        ("number", json!(t.number)),
        ("task", json!(t.task)),
        ("deadline", json!(t.deadline_text)),
        ("due", date(t.due)),
        ("working_days_left", json!(t.working_days_left)),
        (
            "state",
            json!(if t.overdue {
                &words.task_words.overdue
            } else {
                &words.task_words.due
            }),
        ),
        ("status", json!(task_word(words, t.status))),
        ("lead", json!(t.lead_text)),
        ("lead_units", json!(t.lead_units.join("; "))),
    ])
}

fn verdict(words: &Words, v: Option<bool>) -> String {
    match v {
        Some(true) => words.verdict_words.met.clone(),
        Some(false) => words.verdict_words.missed.clone(),
        None => words.verdict_words.unknown.clone(),
    }
}

fn stake_row(words: &Words, i: usize, unit: &str, s: &Stake) -> Row {
    Row::from([
        ("stt", json!(i + 1)),
        ("name", json!(s.field.as_deref().unwrap_or(unit))),
        ("resolved", json!(s.resolved)),
        ("on_time", json!(s.on_time)),
        ("due_soon", json!(s.due_soon)),
        ("rate_now", rate(s.rate_now)),
        ("rate_if_late", rate(s.rate_if_late)),
        (
            "target",
            opt(s
                .threshold
                .map(|(op, v)| format!("{} {}", op.symbol(), trim_number(v).replace('.', ",")))),
        ),
        ("verdict_now", json!(verdict(words, s.meets_now))),
        ("verdict_if_late", json!(verdict(words, s.meets_if_late))),
    ])
}

/// One list of a unit: its key (for the columns), title and rows.
#[derive(Debug, Serialize)]
pub struct ListView {
    /// Which columns: `due_soon`, `overdue`, `apology`, `pakn`, `tasks`, `stake`, `officers`.
    pub list: &'static str,
    /// Its section title.
    pub title: String,
    /// Its columns (the officer column only when the exports name officers).
    pub columns: Vec<Column>,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Rows left out of the page (the full list has them).
    pub more: usize,
    /// The line saying how many rows are left out and where they are, when some are.
    pub more_line: Option<String>,
    /// In the workbook, a dossier list's rows are not built here: they are drawn from the
    /// alerts as they are written (a city's list has hundreds of thousands).
    #[serde(skip)]
    pub drawn: Option<Drawn>,
}

/// Which of a unit's dossier lists a workbook list draws its rows from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// Due soon.
    DueSoon,
    /// Overdue.
    Overdue,
    /// Overdue while waiting for a supplement.
    Supplement,
    /// Apology owed.
    Apology,
}

/// One unit's lists.
#[derive(Debug, Serialize)]
pub struct UnitView {
    /// The unit.
    pub unit: String,
    /// Its sheet's title.
    pub title: String,
    /// Its summary row.
    pub summary: Row,
    /// Its lists.
    pub lists: Vec<ListView>,
}

/// Everything the page sees; the workbook is built from the same.
#[derive(Debug, Serialize)]
pub struct AlertView {
    /// The words.
    pub words: Words,
    /// Title lines, rendered.
    pub subtitle: String,
    /// The exports' age, rendered.
    pub latest: Option<String>,
    /// The stale warning, when the exports are stale.
    pub warning: Option<String>,
    /// The day (ISO).
    pub as_of: String,
    /// The locality.
    pub district: String,
    /// The summary's columns.
    pub summary_columns: Vec<Column>,
    /// One summary row per unit, and the total.
    pub summary: Vec<Row>,
    /// The total row.
    pub total: Row,
    /// The units.
    pub units: Vec<UnitView>,
}

/// The 766 points as a row holds them: the number, or the words of a figure that cannot be
/// computed (never 0).
fn points(words: &Words, p: Option<f64>) -> Json {
    p.map_or_else(|| json!(words.no_figure), |p| json!(p))
}

/// A unit's 766 progress points so far, if every due-soon dossier ends late, and what that
/// would cost.
fn progress_points(u: &UnitAlerts) -> [Option<f64>; 3] {
    let p = u.progress_766.as_ref();
    let now = p.and_then(|p| p.points);
    let if_late = p.and_then(|p| p.points_if_late);
    [now, if_late, p.and_then(|p| p.points_at_stake)]
}

fn summary_row(words: &Words, i: usize, u: &UnitAlerts) -> Row {
    let stake = u.stake.first();
    let [now, if_late, at_stake] = progress_points(u);
    Row::from([
        ("stt", json!(i + 1)),
        ("unit", json!(u.unit)),
        ("level", json!(u.level.code())),
        ("overdue", json!(u.overdue.len())),
        ("supplement", json!(u.supplement.len())),
        ("due_soon", json!(u.due_soon.len())),
        ("apology", json!(u.apology.len())),
        ("pakn_overdue", json!(u.pakn_overdue())),
        ("pakn_near", json!(u.pakn.len() - u.pakn_overdue())),
        ("tasks_overdue", json!(u.tasks_overdue())),
        ("tasks_due", json!(u.tasks.len() - u.tasks_overdue())),
        ("rate_now", rate(stake.and_then(|s| s.rate_now))),
        ("rate_if_late", rate(stake.and_then(|s| s.rate_if_late))),
        ("points_766_now", points(words, now)),
        ("points_766_if_late", points(words, if_late)),
        ("points_766_at_stake", points(words, at_stake)),
    ])
}

fn total_row(words: &Words, rows: &[Row]) -> Row {
    let mut total = Row::new();
    total.insert("unit", json!(words.total));
    for key in [
        "overdue",
        "supplement",
        "due_soon",
        "apology",
        "pakn_overdue",
        "pakn_near",
        "tasks_overdue",
        "tasks_due",
    ] {
        let n: u64 = rows.iter().filter_map(|r| r.get(key)?.as_u64()).sum();
        total.insert(key, json!(n));
    }
    total
}

/// The view of a list; for the page, each list cut at `page_rows`.
pub fn view(pipeline: &Pipeline, words: &Words, a: &Alerts, page: bool) -> Result<AlertView> {
    let mut ctx = tera::Context::new();
    ctx.insert("district", &pipeline.district);
    ctx.insert("as_of", &a.as_of.to_string());
    ctx.insert("horizon", &a.horizon.to_string());
    ctx.insert("task_horizon", &a.task_horizon.to_string());
    ctx.insert("days", &a.days);
    ctx.insert("task_days", &a.task_days);
    ctx.insert("period_label", &a.period.label());
    ctx.insert("stale_after", &a.stale_after);
    if let Some(d) = a.latest_export_date {
        ctx.insert("latest", &d.to_string());
    }
    let latest = match a.latest_export_date {
        Some(_) => Some(line(&words.latest, &ctx)?),
        None => None,
    };
    let warning = match (a.stale, a.latest_export_date) {
        (false, _) => None,
        (true, Some(_)) => Some(line(&words.stale, &ctx)?),
        (true, None) => Some(words.no_data.clone()),
    };
    let keep = |list: &str, cols: &[Column]| shown_columns(a, list, cols);
    let c = &words.columns;
    // The page's lists stop at page_rows: rows past it are not even built. The workbook's view
    // holds every row (its sheets stop at sheet_rows, the full list has them all).
    let cap = if page { words.page_rows } else { usize::MAX };
    let more = |n: usize| n.saturating_sub(cap);
    let more_line = |list: &str, n: usize| -> Result<Option<String>> {
        match more(n) {
            0 => Ok(None),
            m => more_line(words, list, m, a.as_of).map(Some),
        }
    };
    let window = {
        let w = &a.window_766;
        let mut wctx = tera::Context::new();
        wctx.insert("window", &w.label());
        wctx.insert("start", &w.start.to_string());
        wctx.insert("end", &w.end.to_string());
        line(&words.window_766, &wctx)?
    };
    // The workbook draws the dossier lists' rows as it writes them.
    let (built, drawn) = if page { (cap, false) } else { (0, true) };
    let ended = EndedLater::default();
    let mut units = Vec::new();
    let mut summary = Vec::new();
    for (i, u) in a.units.iter().enumerate() {
        summary.push(summary_row(words, i, u));
        let mut lists = Vec::new();
        let dossiers = |list: &'static str,
                        title: &str,
                        cols: &[Column],
                        items: &[DossierAlert],
                        which: Drawn| {
            Ok::<_, anyhow::Error>(ListView {
                list,
                title: title.to_string(),
                columns: keep(list, cols),
                more: more(items.len()),
                more_line: more_line(list, items.len())?,
                rows: items
                    .iter()
                    .take(built)
                    .enumerate()
                    .map(|(k, d)| dossier_row(words, &ended, k, d))
                    .collect::<Result<_>>()?,
                drawn: drawn.then_some(which),
            })
        };
        lists.push(dossiers(
            "due_soon",
            &words.sections.due_soon,
            &c.due_soon,
            &u.due_soon,
            Drawn::DueSoon,
        )?);
        lists.push(dossiers(
            "overdue",
            &words.sections.overdue,
            &c.overdue,
            &u.overdue,
            Drawn::Overdue,
        )?);
        lists.push(dossiers(
            "overdue",
            &words.sections.supplement,
            &c.overdue,
            &u.supplement,
            Drawn::Supplement,
        )?);
        lists.push(ListView {
            list: "apology",
            title: words.sections.apology.clone(),
            columns: keep("apology", &c.apology),
            more: more(u.apology.len()),
            more_line: more_line("apology", u.apology.len())?,
            drawn: drawn.then_some(Drawn::Apology),
            rows: u
                .apology
                .iter()
                .take(built)
                .enumerate()
                .map(|(k, o)| {
                    let reason = apology_reason(words, o);
                    Row::from([
                        ("stt", json!(k + 1)),
                        ("dossier_id", json!(o.dossier_id)),
                        ("procedure", opt(o.procedure.clone())),
                        ("field", json!(o.field)),
                        ("due", date(o.due)),
                        ("completed", opt(o.completed.map(|d| d.to_string()))),
                        ("reason", json!(reason)),
                        ("officer", opt(o.officer.clone())),
                    ])
                })
                .collect(),
        });
        lists.push(ListView {
            list: "pakn",
            title: words.sections.pakn.clone(),
            columns: keep("pakn", &c.pakn),
            more: more(u.pakn.len()),
            more_line: more_line("pakn", u.pakn.len())?,
            drawn: None,
            rows: u
                .pakn
                .iter()
                .take(cap)
                .enumerate()
                .map(|(k, p)| pakn_row(words, k, p))
                .collect(),
        });
        lists.push(ListView {
            list: "tasks",
            title: words.sections.tasks.clone(),
            columns: keep("tasks", &c.tasks),
            more: more(u.tasks.len()),
            more_line: more_line("tasks", u.tasks.len())?,
            drawn: None,
            rows: u
                .tasks
                .iter()
                .take(cap)
                .enumerate()
                .map(|(k, t)| task_row(words, k, t))
                .collect(),
        });
        lists.push(ListView {
            list: "stake",
            title: words.sections.stake.clone(),
            columns: keep("stake", &c.stake),
            more: 0,
            more_line: None,
            drawn: None,
            rows: u
                .stake
                .iter()
                .enumerate()
                .map(|(k, s)| stake_row(words, k, &u.unit, s))
                .collect(),
        });
        let [now, if_late, at_stake] = progress_points(u);
        let p = u.progress_766.as_ref();
        lists.push(ListView {
            list: "progress_766",
            title: words.sections.progress_766.clone(),
            columns: keep("progress_766", &c.progress_766),
            more: 0,
            more_line: None,
            drawn: None,
            rows: vec![Row::from([
                ("stt", json!(1)),
                ("window", json!(window)),
                // No dossier of the window: nothing counted.
                ("counted", json!(p.map_or(0, |p| p.counted))),
                ("on_time", json!(p.map_or(0, |p| p.on_time))),
                ("due_soon", json!(p.map_or(0, |p| p.supposed_late))),
                ("points_now", points(words, now)),
                ("points_if_late", points(words, if_late)),
                ("points_at_stake", points(words, at_stake)),
                ("max", opt(p.map(|p| p.max))),
            ])],
        });
        if !u.officers.is_empty() {
            lists.push(ListView {
                list: "officers",
                title: words.sections.officers.clone(),
                columns: keep("officers", &c.officers),
                more: 0,
                more_line: None,
                drawn: None,
                rows: u
                    .officers
                    .iter()
                    .enumerate()
                    .map(|(k, o)| {
                        Row::from([
                            ("stt", json!(k + 1)),
                            ("officer", json!(o.officer)),
                            ("due_soon", json!(o.due_soon)),
                            ("overdue", json!(o.overdue)),
                            ("supplement", json!(o.supplement)),
                        ])
                    })
                    .collect(),
            });
        }
        let mut uctx = ctx.clone();
        uctx.insert("unit", &u.unit);
        units.push(UnitView {
            unit: u.unit.clone(),
            title: line(&words.unit_title, &uctx)?,
            summary: summary.last().cloned().unwrap_or_default(),
            lists,
        });
    }
    let total = total_row(words, &summary);
    Ok(AlertView {
        subtitle: line(&words.subtitle, &ctx)?,
        latest,
        warning,
        as_of: a.as_of.to_string(),
        district: pipeline.district.clone(),
        summary_columns: keep("summary", &c.summary),
        summary,
        total,
        units,
        words: words.clone(),
    })
}

/// An xlsx sheet name from a unit's place and name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(i: usize, unit: &str) -> String {
    let clean: String = unit
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let name = format!("{}. {}", i + 1, clean.trim());
    name.chars().take(31).collect::<String>().trim().to_string()
}

/// A value of a row, borrowed: what a [`Row`] holds, or what a drawn list's row offers.
#[derive(Debug, Clone, Copy)]
enum V<'a> {
    Null,
    Number(f64),
    Text(&'a str),
    Date(chrono::NaiveDate),
    /// Anything else a row map may hold (shown as no number, no day, no text).
    Other,
}

impl<'a> V<'a> {
    fn of(v: &'a Json) -> V<'a> {
        match v {
            Json::Null => V::Null,
            Json::Number(n) => n.as_f64().map_or(V::Other, V::Number),
            Json::String(t) => V::Text(t),
            _ => V::Other,
        }
    }

    fn opt(v: &'a Option<String>) -> V<'a> {
        v.as_deref().map_or(V::Null, V::Text)
    }
}

/// A row's value as its column's kind shows it, and the cell's style.
fn cell_of(kind: Kind, v: V<'_>, bold: bool) -> (Cell<'_>, Style) {
    match (kind, v) {
        (_, V::Null) => (Cell::Blank, Style::Text),
        (Kind::Integer, v) => (
            Cell::Number(match v {
                V::Number(n) => n,
                _ => 0.0,
            }),
            if bold {
                Style::TotalInteger
            } else {
                Style::Integer
            },
        ),
        (Kind::Points, V::Text(t)) => (Cell::Text(t), Style::Text),
        (Kind::Rate | Kind::Points, v) => (
            Cell::Number(match v {
                V::Number(n) => n,
                _ => 0.0,
            }),
            Style::Rate,
        ),
        (Kind::Date, v) => match v {
            V::Date(d) => (Cell::Date(d), Style::Date),
            V::Text(t) => match iso_date(t) {
                Some(d) => (Cell::Date(d), Style::Date),
                None => (Cell::Blank, Style::Text),
            },
            _ => (Cell::Blank, Style::Text),
        },
        (Kind::Text, v) => (
            Cell::Text(match v {
                V::Text(t) => t,
                _ => "",
            }),
            if bold { Style::TotalText } else { Style::Text },
        ),
    }
}

/// A row's ISO day (`2024-03-11`, as [`date`] writes it).
fn iso_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return chrono::NaiveDate::from_ymd_opt(
            digits(0..4)? as i32,
            digits(5..7)?,
            digits(8..10)?,
        );
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Writes a list's rows from `row` on; the row after them.
fn list_rows(
    out: &mut dyn Sink,
    mut row: u32,
    list: &str,
    cols: &[Column],
    rows: &[Row],
    bold: bool,
) -> Result<u32> {
    let kinds: Vec<Kind> = cols.iter().map(|c| kind_of(list, &c.value)).collect();
    for r in rows {
        for (c, (col, kind)) in cols.iter().zip(&kinds).enumerate() {
            let v = r.get(col.value.as_str()).map_or(V::Null, V::of);
            let (cell, style) = cell_of(*kind, v, bold);
            out.cell(row, c as u16, cell, style)?;
        }
        row += 1;
    }
    Ok(row)
}

/// The rows of a drawn list.
fn drawn_len(u: &UnitAlerts, which: Drawn) -> usize {
    match which {
        Drawn::DueSoon => u.due_soon.len(),
        Drawn::Overdue => u.overdue.len(),
        Drawn::Supplement => u.supplement.len(),
        Drawn::Apology => u.apology.len(),
    }
}

/// A dossier's value of a column, as [`dossier_row`] holds it.
fn dossier_value<'a>(value: &str, k: usize, d: &'a DossierAlert, status: &'a str) -> V<'a> {
    match value {
        "stt" => V::Number((k + 1) as f64),
        "dossier_id" => V::Text(&d.dossier_id),
        "procedure" => V::opt(&d.procedure),
        "field" => V::Text(&d.field),
        "received" => V::Date(d.received),
        "due" => V::Date(d.due),
        "working_days_left" => V::Number(f64::from(d.working_days_left)),
        "days_overdue" => V::Number(d.days_overdue as f64),
        "status" => V::Text(status),
        "officer" => V::opt(&d.officer),
        _ => V::Null,
    }
}

/// An apology owed's value of a column, as the apology list's row holds it.
fn apology_value<'a>(value: &str, k: usize, o: &'a ApologyOwed, reason: &'a str) -> V<'a> {
    match value {
        "stt" => V::Number((k + 1) as f64),
        "dossier_id" => V::Text(&o.dossier_id),
        "procedure" => V::opt(&o.procedure),
        "field" => V::Text(&o.field),
        "due" => V::Date(o.due),
        "completed" => o.completed.map_or(V::Null, V::Date),
        "reason" => V::Text(reason),
        "officer" => V::opt(&o.officer),
        _ => V::Null,
    }
}

/// Writes a drawn list's first `limit` rows from `row`, straight from the unit's alerts; the
/// row after them. The same cells as [`list_rows`] over the rows [`view`] builds for the page.
#[allow(clippy::too_many_arguments)]
fn drawn_rows(
    out: &mut dyn Sink,
    mut row: u32,
    words: &Words,
    ended: &EndedLater,
    list: &str,
    cols: &[Column],
    u: &UnitAlerts,
    which: Drawn,
    limit: usize,
) -> Result<u32> {
    let kinds: Vec<Kind> = cols.iter().map(|c| kind_of(list, &c.value)).collect();
    fn write<'a>(
        out: &mut dyn Sink,
        row: u32,
        cols: &[Column],
        kinds: &[Kind],
        value: impl Fn(&str) -> V<'a>,
    ) -> Result<()> {
        for (c, (col, kind)) in cols.iter().zip(kinds).enumerate() {
            let (cell, style) = cell_of(*kind, value(&col.value), false);
            out.cell(row, c as u16, cell, style)?;
        }
        Ok(())
    }
    let dossiers = match which {
        Drawn::DueSoon => &u.due_soon,
        Drawn::Overdue => &u.overdue,
        Drawn::Supplement => &u.supplement,
        Drawn::Apology => {
            for (k, o) in u.apology.iter().take(limit).enumerate() {
                let reason = apology_reason(words, o);
                write(out, row, cols, &kinds, |v| apology_value(v, k, o, &reason))?;
                row += 1;
            }
            return Ok(row);
        }
    };
    for (k, d) in dossiers.iter().take(limit).enumerate() {
        let status = status_text(words, ended, d.state)?;
        write(out, row, cols, &kinds, |v| dossier_value(v, k, d, &status))?;
        row += 1;
    }
    Ok(row)
}

fn header(out: &mut dyn Sink, row: u32, cols: &[Column]) -> Result<()> {
    for (c, col) in cols.iter().enumerate() {
        out.cell(row, c as u16, Cell::Text(&col.header), Style::Header)?;
    }
    Ok(())
}

fn widths(lists: &[&[Column]]) -> Vec<f64> {
    let n = lists.iter().map(|l| l.len()).max().unwrap_or(1);
    (0..n)
        .map(|i| {
            lists
                .iter()
                .filter_map(|l| l.get(i).map(|c| c.width))
                .fold(0.0, f64::max)
        })
        .collect()
}

/// The workbook's layout: the summary sheet, then one sheet per unit.
fn layout(words: &Words, v: &AlertView, a: &Alerts, out: &mut dyn Sink) -> Result<()> {
    let cols = &v.summary_columns;
    let last = cols.len().saturating_sub(1) as u16;
    let notes = v.latest.iter().chain(&v.warning).collect::<Vec<_>>();
    let head = 2 + notes.len() as u32 + 1;
    out.begin(SheetSpec {
        name: words.summary_sheet.clone(),
        widths: widths(&[cols]),
        repeat_rows: Some((head, head)),
        freeze_row: head + 1,
    })?;
    out.merged(0, last, &words.title, Style::Title)?;
    out.merged(1, last, &v.subtitle, Style::Subtitle)?;
    let mut row = 2;
    for text in notes {
        out.merged(row, last, text, Style::Note)?;
        row += 1;
    }
    out.merged(row, last, &words.note, Style::Note)?;
    row += 1;
    header(out, row, cols)?;
    row += 1;
    if v.summary.is_empty() {
        out.merged(row, last, &words.empty, Style::Text)?;
    }
    let row = list_rows(out, row, "summary", cols, &v.summary, false)?;
    if !v.summary.is_empty() {
        list_rows(
            out,
            row,
            "summary",
            cols,
            std::slice::from_ref(&v.total),
            true,
        )?;
    }
    out.end()?;
    let ended = EndedLater::default();
    for (i, u) in v.units.iter().enumerate() {
        let all: Vec<&[Column]> = u.lists.iter().map(|l| l.columns.as_slice()).collect();
        let w = widths(&all);
        let last = w.len().saturating_sub(1) as u16;
        out.begin(SheetSpec {
            name: sheet_name(i, &u.unit),
            widths: w,
            repeat_rows: Some((0, 1)),
            freeze_row: 0,
        })?;
        out.merged(0, last, &u.title, Style::Title)?;
        out.merged(1, last, &v.subtitle, Style::Subtitle)?;
        let mut row = 2;
        if let Some(text) = &v.warning {
            out.merged(row, last, text, Style::Note)?;
            row += 1;
        }
        let alerts = &a.units[i];
        for l in &u.lists {
            row += 1;
            out.merged(row, last, &l.title, Style::AgencyBold)?;
            row += 1;
            let n = l.drawn.map_or(l.rows.len(), |w| drawn_len(alerts, w));
            if n == 0 {
                out.merged(row, last, &words.none, Style::Text)?;
                row += 1;
                continue;
            }
            // A unit's sheet shows the most urgent sheet_rows of a list (the lists are in that
            // order), then how many more there are and where.
            let shown = if is_item_list(l.list) {
                n.min(words.sheet_rows)
            } else {
                n
            };
            header(out, row, &l.columns)?;
            row = match l.drawn {
                Some(w) => drawn_rows(
                    out,
                    row + 1,
                    words,
                    &ended,
                    l.list,
                    &l.columns,
                    alerts,
                    w,
                    shown,
                )?,
                None => list_rows(out, row + 1, l.list, &l.columns, &l.rows[..shown], false)?,
            };
            if shown < n {
                let text = more_line(words, l.list, n - shown, a.as_of)?;
                out.merged(row, last, &text, Style::Note)?;
                row += 1;
            }
        }
        out.end()?;
    }
    Ok(())
}

/// The sheet models of the workbook: the summary, then one per unit.
pub fn sheets(pipeline: &Pipeline, words: &Words, a: &Alerts) -> Result<Vec<SheetModel>> {
    let v = view(pipeline, words, a, false)?;
    let mut models = Models::default();
    layout(words, &v, a, &mut models)?;
    Ok(models.sheets)
}

/// `canh-bao-<as-of>.xlsx`, written row by row as the layout goes (no sheet models between).
pub fn workbook(pipeline: &Pipeline, words: &Words, a: &Alerts) -> Result<Vec<u8>> {
    let v = view(pipeline, words, a, false)?;
    crate::memory::trace("dòng của danh sách");
    let title = format!("{} {}", words.title, vn::short_date(a.as_of));
    let written = (|| {
        let mut out = Direct::new(&title, words.page_footer.as_deref().unwrap_or_default())?;
        layout(words, &v, a, &mut out)?;
        crate::memory::trace("các trang tính");
        out.finish()
    })();
    written.context("không tạo được tệp danh sách cảnh báo")
}

/// `canh-bao-<as-of>-day-du.csv`: every row of every list of items (dossiers, PAKN, tasks) of
/// every unit, in the workbook's order, the unit and the list's name first, then the lists'
/// columns — one column per header the lists show (a header two lists share is one column),
/// in the order they first come. The same values as the workbook's cells, as text: days
/// dd/mm/yyyy, counts as digits. UTF-8 with a byte-order mark and `;` between fields, as
/// Excel opens a file by double click on a Vietnamese Windows (its list separator is `;`, the
/// comma being the decimal sign); a text that Excel would take for a formula (`=`, `+`, `-`,
/// `@` first) is written after an apostrophe.
pub fn full_list(pipeline: &Pipeline, words: &Words, a: &Alerts) -> Result<Vec<u8>> {
    let v = view(pipeline, words, a, false)?;
    let c = &words.columns;
    let mut headers: Vec<(String, usize)> = Vec::new();
    for (list, cols) in [
        ("due_soon", &c.due_soon),
        ("overdue", &c.overdue),
        ("apology", &c.apology),
        ("pakn", &c.pakn),
        ("tasks", &c.tasks),
    ] {
        for key in header_keys(&shown_columns(a, list, cols)) {
            if !headers.contains(&key) {
                headers.push(key);
            }
        }
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    w.write_record(
        [words.full_unit.as_str(), words.full_list.as_str()]
            .into_iter()
            .chain(headers.iter().map(|(h, _)| h.as_str())),
    )?;
    let ended = EndedLater::default();
    let mut fields: Vec<String> = vec![String::new(); headers.len()];
    for (i, u) in v.units.iter().enumerate() {
        let alerts = &a.units[i];
        for l in u.lists.iter().filter(|l| is_item_list(l.list)) {
            let list = FullList {
                unit: &u.unit,
                title: &l.title,
                columns: &l.columns,
                kinds: l
                    .columns
                    .iter()
                    .map(|c| kind_of(l.list, &c.value))
                    .collect(),
                place: header_keys(&l.columns)
                    .iter()
                    .map(|key| headers.iter().position(|h| h == key).unwrap_or(0))
                    .collect(),
            };
            match l.drawn {
                Some(Drawn::Apology) => {
                    for (k, o) in alerts.apology.iter().enumerate() {
                        let reason = apology_reason(words, o);
                        list.row(&mut w, &mut fields, |v| apology_value(v, k, o, &reason))?;
                    }
                }
                Some(which) => {
                    let dossiers = match which {
                        Drawn::DueSoon => &alerts.due_soon,
                        Drawn::Overdue => &alerts.overdue,
                        Drawn::Supplement | Drawn::Apology => &alerts.supplement,
                    };
                    for (k, d) in dossiers.iter().enumerate() {
                        let status = status_text(words, &ended, d.state)?;
                        list.row(&mut w, &mut fields, |v| dossier_value(v, k, d, &status))?;
                    }
                }
                None => {
                    for r in &l.rows {
                        list.row(&mut w, &mut fields, |v| r.get(v).map_or(V::Null, V::of))?;
                    }
                }
            }
        }
    }
    w.flush()?;
    drop(w);
    Ok(out)
}

/// A list's headers, each with how many times the list showed it before (a header two lists
/// share is one column of the full list; one a list repeats, as many).
fn header_keys(cols: &[Column]) -> Vec<(String, usize)> {
    let mut keys: Vec<(String, usize)> = Vec::new();
    for col in cols {
        let n = keys.iter().filter(|(h, _)| *h == col.header).count();
        keys.push((col.header.clone(), n));
    }
    keys
}

/// One list of a unit as the full list writes it.
struct FullList<'a> {
    unit: &'a str,
    title: &'a str,
    columns: &'a [Column],
    kinds: Vec<Kind>,
    /// Each column's place among the full list's columns.
    place: Vec<usize>,
}

impl FullList<'_> {
    fn row<'v>(
        &self,
        w: &mut csv::Writer<&mut Vec<u8>>,
        fields: &mut [String],
        value: impl Fn(&str) -> V<'v>,
    ) -> Result<()> {
        for f in fields.iter_mut() {
            f.clear();
        }
        for ((col, kind), at) in self.columns.iter().zip(&self.kinds).zip(&self.place) {
            csv_text(&mut fields[*at], *kind, value(&col.value));
        }
        w.write_field(self.unit)?;
        w.write_field(self.title)?;
        w.write_record(&*fields)?;
        Ok(())
    }
}

/// A value of the full list as its column's kind shows it, appended to `out`: days as
/// [`vn::short_date`] writes them (dd/mm/yyyy, without its formatter: a city's list has
/// millions), counts as digits, rates the Vietnamese way.
fn csv_text(out: &mut String, kind: Kind, v: V<'_>) {
    use chrono::Datelike;
    let day = |out: &mut String, d: chrono::NaiveDate| {
        let _ = write!(out, "{:02}/{:02}/{:04}", d.day(), d.month(), d.year());
    };
    match (kind, v) {
        (_, V::Null | V::Other) => {}
        (Kind::Rate | Kind::Points, V::Number(n)) => out.push_str(&vn::number(n)),
        (_, V::Number(n)) => {
            let _ = write!(out, "{n}");
        }
        (_, V::Date(d)) => day(out, d),
        (Kind::Date, V::Text(t)) => {
            if let Some(d) = iso_date(t) {
                day(out, d);
            }
        }
        (_, V::Text(t)) => {
            if t.starts_with(['=', '+', '-', '@']) {
                out.push('\'');
            }
            out.push_str(t);
        }
    }
}

/// `canh-bao-<as-of>.html`, with the locality's `alerts/canh-bao.html` when it has one.
pub fn page(
    templates_dir: Option<&Path>,
    pipeline: &Pipeline,
    words: &Words,
    a: &Alerts,
) -> Result<Vec<u8>> {
    let tera = crate::render::templates::load(
        templates_dir,
        "alerts",
        &[("canh-bao.html", DEFAULT_PAGE)],
    )?;
    let ctx = tera::Context::from_serialize(view(pipeline, words, a, true)?)?;
    Ok(tera
        .render("canh-bao.html", &ctx)
        .context("không dựng được trang danh sách cảnh báo")?
        .into_bytes())
}

/// The one-screen summary: per unit its counts, the exports' age, the files written.
pub fn summary(pipeline: &Pipeline, words: &Words, a: &Alerts, written: &[PathBuf]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Cảnh báo sớm — {} — ngày {} (sắp đến hạn: {} ngày làm việc, đến hết {})",
        pipeline.district,
        vn::short_date(a.as_of),
        a.days,
        vn::short_date(a.horizon)
    );
    match a.latest_export_date {
        Some(d) if a.stale => {
            let _ = writeln!(
                s,
                "CẢNH BÁO: dữ liệu xuất mới nhất là ngày {}, sớm hơn ngày xem quá {} ngày làm việc — danh sách có thể thiếu; xuất lại dữ liệu rồi chạy lại.",
                vn::short_date(d),
                a.stale_after
            );
        }
        Some(d) => {
            let _ = writeln!(s, "Dữ liệu xuất mới nhất: ngày {}.", vn::short_date(d));
        }
        None => {
            let _ = writeln!(
                s,
                "CẢNH BÁO: các tệp xuất không có ngày nào; kiểm tra lại đầu vào."
            );
        }
    }
    if !a.missing_calendar_years.is_empty() {
        let _ = writeln!(
            s,
            "Cảnh báo: lịch ngày làm việc chưa có năm {}; đã tính chỉ trừ thứ Bảy, Chủ nhật. Bổ sung năm đó vào calendar.toml.",
            a.missing_calendar_years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if a.quarantined_rows > 0 {
        let _ = writeln!(
            s,
            "Lưu ý: {} dòng trong các tệp đầu vào bị cách ly (không đọc được thành bản ghi), không có trong danh sách; xem lý do bằng: cchc check \"{}\"",
            vn::int(a.quarantined_rows as u64),
            pipeline.path.display()
        );
    }
    if a.units.is_empty() {
        let _ = writeln!(s, "Không có gì cần cảnh báo.");
    } else {
        let _ = writeln!(
            s,
            "{:<40} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>16}",
            "Đơn vị",
            "Quá hạn",
            "Chờ BS",
            "Sắp hạn",
            "Xin lỗi",
            "PAKN",
            "Nh.vụ",
            words.terminal_766
        );
        let shown = 15;
        for u in a.units.iter().take(shown) {
            let [_, _, at_stake] = progress_points(u);
            let _ = writeln!(
                s,
                "{:<40} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>16}",
                u.unit.chars().take(40).collect::<String>(),
                u.overdue.len(),
                u.supplement.len(),
                u.due_soon.len(),
                u.apology.len(),
                u.pakn.len(),
                u.tasks.len(),
                at_stake.map_or_else(|| words.no_figure.clone(), vn::number)
            );
        }
        if a.units.len() > shown {
            let _ = writeln!(
                s,
                "… và {} đơn vị khác (xem tệp xlsx).",
                a.units.len() - shown
            );
        }
    }
    for w in written {
        let _ = writeln!(s, "Đã ghi {}", w.display());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(kind: Kind, v: V<'_>) -> String {
        let mut out = String::new();
        csv_text(&mut out, kind, v);
        out
    }

    #[test]
    fn the_full_list_writes_days_as_the_sheets_show_them_and_counts_as_digits() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 7).unwrap();
        assert_eq!(text(Kind::Date, V::Date(day)), vn::short_date(day));
        assert_eq!(text(Kind::Date, V::Text("2024-03-07")), "07/03/2024");
        assert_eq!(text(Kind::Integer, V::Number(10239.0)), "10239");
        assert_eq!(text(Kind::Rate, V::Number(97.5)), "97,5");
        assert_eq!(text(Kind::Text, V::Null), "");
    }

    #[test]
    fn the_full_list_keeps_excel_from_reading_a_text_as_a_formula() {
        assert_eq!(text(Kind::Text, V::Text("=1+1")), "'=1+1");
        assert_eq!(text(Kind::Text, V::Text("-5")), "'-5");
        assert_eq!(text(Kind::Text, V::Text("Hộ tịch")), "Hộ tịch");
    }
}

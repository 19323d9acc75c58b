//! Units' quarterly self-reports (`self-reports.md`): the forms `cchc forms` writes, returned
//! filled in by the units. Targets 2a, 3.5, 3.6, 8, 9, 10.1–10.5.
//!
//! The questions and the forms' vocabulary are `pipelines/self-report.toml`; a returned form is
//! recognised by the header of its "Số liệu" sheet and identified by the identity cell of its
//! "Thông tin" sheet (`cchc-form/1;<period>;<unit>;<version>`). Normalization here (one record
//! per answer, every value checked against its question's type), one form per unit and period
//! in [`rules`], the district figures in [`figures`].

pub mod annex;
pub mod figures;
pub mod json;
pub mod normalize;
pub mod report;
pub mod rules;
pub mod summary;
pub mod texts;

use crate::quality::WarningKind;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use polars::prelude::DataFrame;
use serde::Deserialize;
use sha2::Digest;

use crate::config::part::{ConfigPart, Loaded, PartContext};
use crate::config::raw::ColumnSpec;
use crate::config::report_sections::ReportSections;
use crate::config::{Level, Pipeline, Units};
use crate::ingest::columns::{CommonWords, DeclaredColumn, HeaderVocab};
use crate::ingest::RawTable;
use crate::kind::{InputContext, Kind, StoreLayout};
use crate::normalize::Normalized;
use crate::tasks::TaskStatus;

/// The sheet that holds the form's identity, unit and period.
pub const INFO_SHEET: &str = "Thông tin";
/// The sheet of answers.
pub const DATA_SHEET: &str = "Số liệu";
/// The sheet of the plan's tasks the unit leads.
pub const TASKS_SHEET: &str = "Nhiệm vụ";
/// The prefix of the identity cell, and the form format's version.
pub const IDENTITY_PREFIX: &str = "cchc-form/1";

/// The self-report kind.
pub struct SelfReport;

/// The self-report settings of a pipeline: the questions, the forms' words.
pub fn config(pipeline: &Pipeline) -> &Config {
    pipeline.parts.get::<Config>(Kind::id(&SelfReport))
}

impl ConfigPart for SelfReport {
    fn id(&self) -> &'static str {
        Kind::id(self)
    }
    fn keys(&self) -> &'static [&'static str] {
        &["self_report"]
    }
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "self-report.toml",
            include_str!("../../../pipelines/self-report.toml"),
        )]
    }
    fn commune_files(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "self-report.toml",
            include_str!("../../../pipelines/xa-hoc-mon/self-report.toml"),
        )]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let path = cx.file("self_report", "self-report.toml")?;
        let p = cx.pipeline;
        let groups: Vec<&str> = p.fields.groups.keys().map(String::as_str).collect();
        let config = Config::load(
            &path,
            &p.vocabulary.common,
            &p.units,
            &groups,
            &p.report_sections,
        )
        .with_context(|| format!("câu hỏi báo cáo của đơn vị {} không hợp lệ", path.display()))?;
        check_targets(&config, &p.targets, &path)?;
        Ok(Loaded {
            settings: Box::new(config),
            files: vec![path.clone()],
            normalization_files: vec![path],
        })
    }
}

/// The targets a self-report question decides name a question that has a way to be totalled.
fn check_targets(
    config: &Config,
    targets: &[crate::config::TargetEntry],
    path: &Path,
) -> Result<()> {
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    for t in targets {
        if t.measure != MEASURE {
            continue;
        }
        let Some(q) = t.question.as_deref() else {
            bail!(
                "chỉ tiêu {}: measure = \"self_report\" cần khai báo question",
                t.id
            );
        };
        for id in std::iter::once(q).chain(t.over.as_deref()) {
            match config.question(id) {
                None => bail!("chỉ tiêu {}: câu hỏi «{id}» không có trong {file}", t.id),
                Some(found) if found.entry.aggregate.is_none() => bail!(
                    "chỉ tiêu {}: câu hỏi «{id}» không có cách tổng hợp (aggregate)",
                    t.id
                ),
                Some(found)
                    if t.over.is_some() && found.entry.aggregate != Some(Aggregate::Sum) =>
                {
                    bail!(
                        "chỉ tiêu {}: over chỉ dùng cho hai câu hỏi tổng hợp bằng sum",
                        t.id
                    )
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// The measure targets name to hold a question's district figure (self-reports.md §4): a rate
/// for `ratio_sum` and `share_yes`, a number for `sum` (or a rate of two sums with `over`).
pub const MEASURE: &str = "self_report";

/// A unit's self-report form of another version (edited questions, another
/// configuration): nothing it holds counts; the unit must take the current form.
pub const STALE_FORM: WarningKind = WarningKind::new("StaleForm");
/// A self-report form of another period than the one reported: not counted in it.
pub const OTHER_PERIOD_FORM: WarningKind = WarningKind::new("OtherPeriodForm");
/// A form of a unit that leads tasks, without its "Nhiệm vụ" sheet: the unit's tasks are
/// not reported.
pub const TASK_SHEET_MISSING: WarningKind = WarningKind::new("TaskSheetMissing");
/// Tasks the unit leads that its returned form does not list (added to the plan after the
/// form went out, or their rows deleted): no answer of that unit for them this period (the
/// unit is asked on its next form); the rest of the form counts. The value names the tasks.
pub const TASK_NOT_ON_FORM: WarningKind = WarningKind::new("TaskNotOnForm");
/// A form of a unit asked report sections, without its «Nội dung báo cáo» sheet: the
/// unit's words are not in the report.
pub const TEXTS_SHEET_MISSING: WarningKind = WarningKind::new("TextsSheetMissing");
/// «Không phát sinh» for a task that is not done on an event: counted as not started.
pub const NOT_APPLICABLE_TASK: WarningKind = WarningKind::new("NotApplicableTask");
/// A year-to-date ratio whose sum over the year's quarters exceeds this quarter's total.
pub const YEAR_TO_DATE_OVER_TOTAL: WarningKind = WarningKind::new("YearToDateOverTotal");
/// Its kinds of warning, in the order the data-quality workbook lists them (words in
/// `[warning_kinds]` of `templates/quality/chat-luong.toml`).
pub const WARNING_KINDS: &[WarningKind] = &[
    STALE_FORM,
    OTHER_PERIOD_FORM,
    TASK_SHEET_MISSING,
    TASK_NOT_ON_FORM,
    TEXTS_SHEET_MISSING,
    NOT_APPLICABLE_TASK,
    YEAR_TO_DATE_OVER_TOTAL,
];

impl Kind for SelfReport {
    fn id(&self) -> &'static str {
        "self_report"
    }
    fn warning_kinds(&self) -> &'static [WarningKind] {
        WARNING_KINDS
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &config(pipeline).header
    }
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        Some(&SelfReport)
    }
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized> {
        normalize::normalize(pipeline, tables, input)
    }
    fn empty_frame(&self) -> Result<DataFrame> {
        normalize::to_frame(&[])
    }
    fn annex_sheet_kinds(&self) -> Vec<crate::annex_sheet::OfferedSheet> {
        annex::offered()
    }
    fn annex_templates(&self) -> &'static [(&'static str, &'static str)] {
        annex::TEMPLATES
    }
    fn rows_word(&self) -> &'static str {
        "biểu mẫu đơn vị"
    }
    fn report_templates(&self) -> &'static [(&'static str, &'static str)] {
        report::TEMPLATES
    }
    fn measures(&self) -> Vec<crate::config::OfferedMeasure> {
        vec![crate::config::OfferedMeasure::rate(
            MEASURE,
            Kind::id(self),
            &[crate::config::TargetScope::District],
        )]
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "self_report",
            partition: "period_end",
            dates: &["period_end", "completed"],
        }
    }
    fn name_columns(&self) -> &'static [&'static str] {
        &["unit"]
    }
    fn rules(
        &self,
        _pipeline: &Pipeline,
        frame: DataFrame,
        _earlier: &crate::kind::Ruled,
        _n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        Ok(Box::new(rules::apply(frame)?))
    }
    fn figures(
        &self,
        pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::KindFigures>> {
        let frame = &ruled.get::<rules::Ruled>(Kind::id(self))?.frame;
        let mut out = figures::compute(frame, period, n_files, config(pipeline), &pipeline.units)?;
        let plan = crate::tasks::plan(pipeline);
        let answers = figures::task_answers(frame, period, &pipeline.units, plan)?;
        out.tasks = crate::tasks::task_figures(pipeline, period, &answers.answers, &answers.units);
        Ok(Box::new(out))
    }
}

/// The columns of a form's "Số liệu" sheet, in the order of the header vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormColumn {
    /// Mã: the question id.
    Code,
    /// Nội dung: the question's text.
    Content,
    /// Đơn vị tính.
    MeasureUnit,
    /// Số liệu: the answer (n of a ratio).
    Value,
    /// Tổng số: N of a ratio.
    Total,
    /// Văn bản kiểm chứng: the document that proves the answer.
    Evidence,
    /// Ghi chú.
    Note,
}

impl FormColumn {
    /// Every column, in enum order.
    pub const ALL: [FormColumn; 7] = [
        FormColumn::Code,
        FormColumn::Content,
        FormColumn::MeasureUnit,
        FormColumn::Value,
        FormColumn::Total,
        FormColumn::Evidence,
        FormColumn::Note,
    ];

    /// Its id in the vocabulary file.
    pub fn id(self) -> &'static str {
        match self {
            FormColumn::Code => "code",
            FormColumn::Content => "content",
            FormColumn::MeasureUnit => "measure_unit",
            FormColumn::Value => "value",
            FormColumn::Total => "total",
            FormColumn::Evidence => "evidence",
            FormColumn::Note => "note",
        }
    }
}

/// What an answer is (self-reports.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// A whole number ≥ 0.
    Count,
    /// Có / Không.
    YesNo,
    /// A count n and its total N, n ≤ N.
    Ratio,
    /// An amount ≥ 0, in the question's currency unit.
    Amount,
    /// A percentage, 0–100.
    Percent,
    /// Words.
    Text,
}

impl AnswerType {
    /// Its id in the configuration.
    pub fn code(self) -> &'static str {
        match self {
            AnswerType::Count => "count",
            AnswerType::YesNo => "yes_no",
            AnswerType::Ratio => "ratio",
            AnswerType::Amount => "amount",
            AnswerType::Percent => "percent",
            AnswerType::Text => "text",
        }
    }
    /// What a person must type, in messages.
    pub fn expected(self) -> &'static str {
        match self {
            AnswerType::Count | AnswerType::Ratio => "một số nguyên không âm",
            AnswerType::YesNo => "«Có» hoặc «Không»",
            AnswerType::Amount => "một số không âm",
            AnswerType::Percent => "một số từ 0 đến 100",
            AnswerType::Text => "lời văn",
        }
    }
}

/// How the district figure of a question is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The sum of the answers.
    Sum,
    /// Σn / ΣN.
    RatioSum,
    /// Units answering yes / units asked.
    ShareYes,
}

/// Who answers a question: the union of levels, groups and named units.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnsweredBy {
    /// Every unit of these levels that handles dossiers (not the public-service units).
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Every public-service unit of these groups (`units.toml` `group`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Units by name, as the unit registry spells them.
    #[serde(default)]
    pub units: Vec<String>,
}

/// One question as `self-report.toml` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionEntry {
    /// Its id, the form's "Mã" (e.g. `10.2-ky-so`): a target's `question` names it.
    pub id: String,
    /// The question, as the form prints it.
    pub text: String,
    /// The unit of measure ("người", "triệu đồng", "Có/Không").
    pub measure_unit: String,
    /// What the answer is.
    #[serde(rename = "type")]
    pub kind: AnswerType,
    /// Who answers it.
    pub answered_by: AnsweredBy,
    /// Whether an empty answer is a fault.
    #[serde(default)]
    pub required: bool,
    /// How the district figure is made (none for text and percent: listed per unit).
    #[serde(default)]
    pub aggregate: Option<Aggregate>,
    /// Whether a quarter's figure sums the quarters of its year (a ratio's N is the latest).
    #[serde(default)]
    pub year_to_date: bool,
    /// The report section whose sentences show the figure (the narrative's section ids:
    /// `chi_dao`, `the_che`, `thu_tuc`, `bo_may`, `cong_vu`, `tai_chinh`, `chinh_quyen_so`).
    #[serde(default)]
    pub section: Option<String>,
    /// The plan target the question feeds (an id of `targets.toml`).
    #[serde(default)]
    pub target: Option<String>,
}

/// The `[form]` settings of `self-report.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSettings {
    /// The return deadline: days after the period's last day.
    pub return_days_after_end: u32,
    /// Who the forms go back to, as the form prints it.
    pub return_to: String,
    /// The guidance paragraphs at the foot of the "Thông tin" sheet.
    pub guidance: Vec<String>,
    /// Printed after the text of a year-to-date question.
    pub year_to_date_mark: String,
    /// The largest number a «Số liệu» or «Tổng số» cell may hold: a larger one (a slip, 1e308)
    /// is quarantined, not counted.
    #[serde(default = "default_answer_max")]
    pub answer_max: f64,
}

fn default_answer_max() -> f64 {
    1e9
}

/// The headers of the "Nhiệm vụ" sheet, as `cchc forms` writes them and the reader finds them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskColumns {
    /// The task's number.
    pub number: String,
    /// The task, as the plan writes it.
    pub task: String,
    /// Its product.
    pub product: String,
    /// Its deadline, as the plan writes it.
    pub deadline: String,
    /// The unit's status, from the list.
    pub status: String,
    /// The day the unit finished its part.
    pub completed: String,
    /// The document that proves it.
    pub evidence: String,
    /// A note (free text, not kept).
    pub note: String,
}

/// The words of the "Tình trạng" list, one per [`TaskStatus`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskStatusWords {
    /// The unit finished its part.
    pub done: String,
    /// Under way.
    pub in_progress: String,
    /// Not begun.
    pub not_started: String,
    /// The event of an `on_event` task did not happen.
    pub not_applicable: String,
}

/// The "Nhiệm vụ" sheet's words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TasksSheet {
    /// Column headers.
    pub columns: TaskColumns,
    /// The status list.
    pub statuses: TaskStatusWords,
}

/// Where each answer column is in [`TasksSheet::header`].
pub mod task_column {
    /// Mã nhiệm vụ.
    pub const NUMBER: usize = 0;
    /// Tình trạng.
    pub const STATUS: usize = 4;
    /// Ngày hoàn thành.
    pub const COMPLETED: usize = 5;
    /// Văn bản kiểm chứng.
    pub const EVIDENCE: usize = 6;
}

impl TasksSheet {
    /// The column headers, in form order.
    pub fn header(&self) -> [&str; 8] {
        let c = &self.columns;
        [
            &c.number,
            &c.task,
            &c.product,
            &c.deadline,
            &c.status,
            &c.completed,
            &c.evidence,
            &c.note,
        ]
    }

    /// The word of a status on the form.
    pub fn word(&self, status: TaskStatus) -> &str {
        let w = &self.statuses;
        match status {
            TaskStatus::Done => &w.done,
            TaskStatus::InProgress => &w.in_progress,
            TaskStatus::NotStarted => &w.not_started,
            TaskStatus::NotApplicable => &w.not_applicable,
        }
    }

    /// The list's words, in form order.
    pub fn words(&self) -> Vec<&str> {
        TaskStatus::ALL.iter().map(|s| self.word(*s)).collect()
    }

    /// The status a typed word names (case, NFC/NFD, tone placement and spaces do not matter).
    pub fn parse(&self, typed: &str) -> Option<TaskStatus> {
        let key = crate::text::match_key(typed);
        TaskStatus::ALL
            .into_iter()
            .find(|s| crate::text::match_key(self.word(*s)) == key)
    }

    fn check(&self) -> Result<()> {
        for (what, words) in [
            ("tên cột ([tasks_sheet.columns])", self.header().to_vec()),
            ("tình trạng ([tasks_sheet.statuses])", self.words()),
        ] {
            let mut keys: Vec<String> = Vec::new();
            for w in words {
                let k = crate::text::match_key(w);
                if k.is_empty() {
                    bail!("trang «{TASKS_SHEET}»: có {what} để trống");
                }
                if keys.contains(&k) {
                    bail!("trang «{TASKS_SHEET}»: {what} «{w}» ghi hai lần");
                }
                keys.push(k);
            }
        }
        Ok(())
    }
}

/// `self-report.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// What a person calls these files, in messages.
    list_name: String,
    /// Column sets that identify a form's answer sheet.
    identify: Vec<Vec<String>>,
    /// Columns whose presence makes a row an answer.
    #[serde(default)]
    record: Vec<String>,
    /// The form's settings.
    form: FormSettings,
    /// The "Nhiệm vụ" sheet's words.
    tasks_sheet: TasksSheet,
    /// The «Nội dung báo cáo» sheet's words.
    texts_sheet: texts::TextsSheet,
    /// The report sections units write their own words for, in form order.
    #[serde(default)]
    report_sections: Vec<texts::SectionEntry>,
    /// Header names of each column.
    columns: BTreeMap<FormColumn, ColumnSpec>,
    /// The questions, in the order the forms list them.
    #[serde(default)]
    questions: Vec<QuestionEntry>,
}

/// A question, resolved: who is asked, by canonical unit name in registry order.
#[derive(Debug, Clone)]
pub struct Question {
    /// As configured.
    pub entry: QuestionEntry,
    /// The units asked, canonical names, in registry order.
    pub asked: Vec<String>,
}

impl Question {
    /// Its id.
    pub fn id(&self) -> &str {
        &self.entry.id
    }
}

/// The self-report configuration, resolved.
#[derive(Debug)]
pub struct Config {
    /// Header words of the answer sheet (column `i` is `FormColumn::ALL[i]`).
    pub header: HeaderVocab,
    /// The form's settings.
    pub form: FormSettings,
    /// The "Nhiệm vụ" sheet's words.
    pub tasks_sheet: TasksSheet,
    /// The questions, in form order.
    pub questions: Vec<Question>,
    /// The «Nội dung báo cáo» sheet's words.
    pub texts_sheet: texts::TextsSheet,
    /// The report sections units write for, in form order.
    pub sections: Vec<texts::Section>,
}

impl Config {
    /// Reads and checks `self-report.toml` against the unit registry and the field groups.
    pub fn load(
        path: &Path,
        common: &CommonWords,
        units: &Units,
        groups: &[&str],
        report: &ReportSections,
    ) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được tệp cấu hình {}", path.display()))?;
        let text = crate::identity::expand(&text, path)?;
        let mut file: ConfigFile = toml::from_str(&text)
            .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))?;
        let declared = FormColumn::ALL
            .iter()
            .map(|c| DeclaredColumn {
                second_reading_of: None,
                id: c.id(),
                spec: file
                    .columns
                    .remove(c)
                    .map(|s| (s.label, s.required, s.aliases)),
            })
            .collect();
        let mut header = HeaderVocab::new(
            "self_report",
            &file.list_name,
            declared,
            common,
            &file.identify,
            &file.record,
        )?;
        header.companion_sheets = vec![
            INFO_SHEET.to_string(),
            TASKS_SHEET.to_string(),
            texts::TEXTS_SHEET.to_string(),
        ];
        let mut questions: Vec<Question> = Vec::new();
        for q in file.questions {
            if q.id.trim().is_empty() || q.id.contains(';') {
                bail!("câu hỏi «{}»: mã (id) trống hoặc có dấu «;»", q.id);
            }
            if questions.iter().any(|o| o.id() == q.id) {
                bail!("câu hỏi «{}» được khai báo hai lần", q.id);
            }
            let fits = match (q.kind, q.aggregate) {
                (AnswerType::Text | AnswerType::Percent, None) => true,
                (AnswerType::Text | AnswerType::Percent, Some(_)) => false,
                (_, None) => false,
                (AnswerType::YesNo, Some(a)) => a == Aggregate::ShareYes,
                (AnswerType::Ratio, Some(a)) => a == Aggregate::RatioSum,
                (AnswerType::Count | AnswerType::Amount, Some(a)) => a == Aggregate::Sum,
            };
            if !fits {
                bail!(
                    "câu hỏi «{}»: cách tổng hợp (aggregate) không hợp với loại «{}» (yes_no: share_yes; ratio: ratio_sum; count, amount: sum; percent, text: không khai báo — liệt kê theo đơn vị)",
                    q.id,
                    q.kind.code()
                );
            }
            if let Some(s) = &q.section {
                let plan = report.plan();
                if !plan.contains(&s.as_str()) {
                    bail!(
                        "câu hỏi «{}»: mục báo cáo «{s}» không có (các mục: {})",
                        q.id,
                        plan.join(", ")
                    );
                }
            }
            let asked = resolve_asked(
                &q.answered_by,
                &format!("câu hỏi «{}»", q.id),
                units,
                groups,
            )?;
            questions.push(Question { entry: q, asked });
        }
        file.tasks_sheet
            .check()
            .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))?;
        let sections = texts::resolve(
            file.report_sections,
            units,
            groups,
            &file.texts_sheet,
            &report.units(),
        )
        .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))?;
        Ok(Config {
            header,
            form: file.form,
            tasks_sheet: file.tasks_sheet,
            questions,
            texts_sheet: file.texts_sheet,
            sections,
        })
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id() == id)
    }

    /// The questions asked of a unit, in form order.
    pub fn asked_of<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions
            .iter()
            .filter(move |q| q.asked.iter().any(|a| a == unit))
    }

    /// The report sections a unit writes for, in form order.
    pub fn sections_of<'a>(
        &'a self,
        unit: &'a str,
    ) -> impl Iterator<Item = &'a texts::Section> + 'a {
        self.sections
            .iter()
            .filter(move |s| s.asked.iter().any(|a| a == unit))
    }

    /// Every unit asked anything (a question or a report section), in registry order.
    pub fn units_asked(&self, units: &Units) -> Vec<String> {
        units
            .all()
            .iter()
            .filter(|u| {
                self.asked_of(&u.name).next().is_some()
                    || self.sections_of(&u.name).next().is_some()
            })
            .map(|u| u.name.clone())
            .collect()
    }

    /// The questions asked of a unit, hashed (id, text, unit of measure, type, required).
    fn questions_hash(&self, unit: &str) -> sha2::Sha256 {
        let mut h = sha2::Sha256::new();
        for q in self.asked_of(unit) {
            let e = &q.entry;
            h.update(
                format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1e}",
                    e.id,
                    e.text,
                    e.measure_unit,
                    e.kind.code(),
                    e.required
                )
                .as_bytes(),
            );
        }
        h
    }

    /// The version of a unit's form: a short hash of the questions asked of it (id, text, unit
    /// of measure, type, required) and of the report sections it is asked about, so that a form
    /// of edited questions or sections is told apart. The plan's
    /// tasks are not in it: the "Nhiệm vụ" sheet is matched row by row by task number, so that
    /// tasks added to the plan after the forms went out do not make the returned forms stale.
    pub fn version(&self, unit: &str) -> String {
        let mut h = self.questions_hash(unit);
        h.update(texts::version_input(&self.sections, unit).as_bytes());
        format!("{:x}", h.finalize())[..8].to_string()
    }

    /// The version forms written before [`Config::version`] left the tasks out: the questions
    /// and the plan's tasks on the form (number, task, deadline). Such a form, already with the
    /// units, still counts while the tasks on it are the plan's.
    pub fn version_with_tasks(
        &self,
        unit: &str,
        plan: &crate::tasks::Plan,
        period: &crate::period::Period,
    ) -> String {
        let mut h = self.questions_hash(unit);
        for t in plan.on_form(unit, period) {
            h.update(
                format!(
                    "task\u{1f}{}\u{1f}{}\u{1f}{}\u{1e}",
                    t.number, t.task, t.deadline_text
                )
                .as_bytes(),
            );
        }
        format!("{:x}", h.finalize())[..8].to_string()
    }
}

/// The units a question or a report section is asked of (`what` names it in messages): every
/// unit of the levels (not the public-service units), of the groups, and named; registry order.
fn resolve_asked(
    by: &AnsweredBy,
    what: &str,
    units: &Units,
    groups: &[&str],
) -> Result<Vec<String>> {
    for g in &by.groups {
        if !groups.contains(&g.as_str()) {
            bail!("{what}: nhóm «{g}» không có trong danh mục lĩnh vực");
        }
    }
    for name in &by.units {
        if units.find(name).is_none() {
            bail!("{what}: đơn vị «{name}» không có trong danh mục đơn vị");
        }
    }
    let mut asked: Vec<String> = Vec::new();
    for u in units.all() {
        let by_level = u.group.is_none() && by.levels.contains(&u.level);
        let by_group = u.group.as_ref().is_some_and(|g| by.groups.contains(g));
        let by_name = by
            .units
            .iter()
            .any(|n| units.find(n).is_some_and(|f| f.name == u.name));
        if by_level || by_group || by_name {
            asked.push(u.name.clone());
        }
    }
    if asked.is_empty() {
        bail!("{what}: không có đơn vị nào trả lời");
    }
    Ok(asked)
}

/// The identity cell's text of a unit's form for a period. Each field is escaped (`\` → `\\`,
/// `;` → `\;`), so a unit whose name holds a `;` gets a form [`parse_identity`] reads back.
pub fn identity(period: &str, unit: &str, version: &str) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace(';', "\\;");
    format!(
        "{IDENTITY_PREFIX};{};{};{}",
        escape(period),
        escape(unit),
        escape(version)
    )
}

/// A form identity read back: period id, unit, version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The period id.
    pub period: String,
    /// The unit as written.
    pub unit: String,
    /// The version.
    pub version: String,
}

/// Parses an identity cell's text, undoing [`identity`]'s escapes.
pub fn parse_identity(text: &str) -> Option<Identity> {
    let t = text.trim();
    let rest = t.strip_prefix(IDENTITY_PREFIX)?.strip_prefix(';')?;
    let mut parts = vec![String::new()];
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => parts.last_mut()?.push(chars.next()?),
            ';' => parts.push(String::new()),
            c => parts.last_mut()?.push(c),
        }
    }
    let [period, unit, version] = <[String; 3]>::try_from(parts).ok()?;
    let (period, unit, version) = (
        period.trim().to_string(),
        unit.trim().to_string(),
        version.trim().to_string(),
    );
    if period.is_empty() || unit.is_empty() || version.is_empty() {
        return None;
    }
    Some(Identity {
        period,
        unit,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_the_identity_it_writes() {
        let id = identity("2024-Q1", "Xã Bà Điểm", "0a1b2c3d");
        assert_eq!(
            parse_identity(&id),
            Some(Identity {
                period: "2024-Q1".into(),
                unit: "Xã Bà Điểm".into(),
                version: "0a1b2c3d".into()
            })
        );
        assert_eq!(parse_identity("cchc-form/2;2024-Q1;X;v"), None);
        assert_eq!(parse_identity("cchc-form/1;2024-Q1;X"), None);
        let odd = "Tổ 1; Tổ 2 \\ khu A";
        let id = identity("2024-Q1", odd, "v");
        assert_eq!(id, "cchc-form/1;2024-Q1;Tổ 1\\; Tổ 2 \\\\ khu A;v");
        assert_eq!(parse_identity(&id).map(|i| i.unit), Some(odd.to_string()));
    }
}

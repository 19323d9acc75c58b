//! The configuration files exactly as a district writes them (strict serde, no defaults guessed).
//!
//! Unknown keys are refused so that a misspelt setting is an error, not a silently ignored line.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::period::PeriodRule;

/// `pipelines/<name>.toml`: one reporting job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    /// The district's name as printed, e.g. "Huyện Hóc Môn".
    pub district: String,
    /// The period run when the command line names none, e.g. "2024-Q1".
    pub period: String,
    /// How period ids map to days.
    #[serde(default = "default_rule")]
    pub period_rule: PeriodRule,
    /// What withdrawn dossiers count as.
    #[serde(default)]
    pub withdrawn: WithdrawnPractice,
    /// The vocabulary file, relative to the pipeline file.
    #[serde(default = "default_vocabulary")]
    pub vocabulary: String,
    /// The unit registry, relative to the pipeline file.
    #[serde(default = "default_units")]
    pub units: String,
    /// The field registry and groups, relative to the pipeline file.
    #[serde(default = "default_fields")]
    pub fields: String,
    /// The plan's targets, relative to the pipeline file.
    #[serde(default = "default_targets")]
    pub targets: String,
    /// The district's templates folder (annexes/, report/), relative to the pipeline file;
    /// files it lacks fall back to the defaults built into cchc.
    #[serde(default)]
    pub templates: Option<String>,
    /// Files or folders read, in this order, when the command line gives no `--input`.
    #[serde(default)]
    pub inputs: Vec<InputEntry>,
    /// The unit of files that have no unit column, chosen by file name.
    #[serde(default)]
    pub file_units: Vec<FileUnitEntry>,
    /// Who issues and signs the quarterly report.
    #[serde(default)]
    pub report: Option<ReportSettings>,
}

/// The names, number, signer and recipients of the quarterly report (Nghị định 30/2020).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// The governing body above the issuing body, in capitals; empty when there is none.
    #[serde(default)]
    pub governing_body: Vec<String>,
    /// The issuing body, one line each, e.g. ["ỦY BAN NHÂN DÂN", "HUYỆN HÓC MÔN"].
    pub issuing_body: Vec<String>,
    /// The document number line, e.g. "Số:       /BC-UBND".
    pub number: String,
    /// The place before the date, e.g. "Hóc Môn".
    pub place: String,
    /// The signing date (yyyy-mm-dd); empty leaves "ngày … tháng … năm" to be filled by hand.
    #[serde(default)]
    pub date: Option<String>,
    /// The signer's title lines, e.g. ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"].
    pub signer_title: Vec<String>,
    /// The signer's name; empty leaves the space for it.
    #[serde(default)]
    pub signer_name: String,
    /// "Nơi nhận" lines.
    pub recipients: Vec<String>,
    /// The narrative file for people's words, relative to the pipeline file; `{period}` is
    /// replaced by the period id (e.g. `narrative/{period}.toml`). A missing file leaves
    /// placeholders.
    #[serde(default)]
    pub narrative: Option<String>,
}

fn default_rule() -> PeriodRule {
    PeriodRule::Nd09
}
fn default_vocabulary() -> String {
    "vocabulary.toml".into()
}
fn default_units() -> String {
    "units.toml".into()
}
fn default_fields() -> String {
    "fields.toml".into()
}
fn default_targets() -> String {
    "targets.toml".into()
}

/// How withdrawn or cancelled dossiers are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawnPractice {
    /// Counted nowhere (tthc-rules §2 default).
    #[default]
    Exclude,
    /// Counted as resolved on time on the date they ended.
    ResolvedOnTime,
}

/// One input location.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputEntry {
    /// A spreadsheet file, or a folder read recursively (sorted by path).
    pub path: String,
}

/// The unit of every file whose name matches a pattern.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileUnitEntry {
    /// A file-name pattern where `*` stands for any text, e.g. `xa-dong-thanh-*`.
    pub pattern: String,
    /// The unit, as the unit registry names it.
    pub unit: String,
}

/// `vocabulary.toml`: the words exports use for columns and values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    /// Header names of columns that carry no dossier data (row numbers).
    #[serde(default)]
    pub ignored_columns: Vec<String>,
    /// Words that open a footer row (totals, signatures): the data ends above it.
    #[serde(default)]
    pub footer_markers: Vec<String>,
    /// Header names of each canonical column.
    pub columns: BTreeMap<ColumnName, ColumnSpec>,
    /// Status words, by canonical status.
    pub statuses: StatusWords,
    /// Channel words, by canonical channel.
    pub channels: ChannelWords,
    /// Yes / no words of the flag columns.
    pub yes_no: YesNoWords,
}

/// The canonical columns of the dossier table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnName {
    /// Mã hồ sơ.
    DossierId,
    /// The unit that received or resolved the dossier.
    Unit,
    /// Lĩnh vực.
    Field,
    /// Procedure name.
    Procedure,
    /// Procedure code.
    ProcedureCode,
    /// Applicant (personal data: read, never written out).
    Applicant,
    /// Received date.
    Received,
    /// Due (appointment) date.
    Due,
    /// Result-ready date.
    Completed,
    /// Result handed-over date.
    Returned,
    /// Status.
    Status,
    /// Submission channel.
    Channel,
    /// Apology letter given.
    Apology,
    /// Dossier documents digitized.
    DigitizedDossier,
    /// Result digitized.
    DigitizedResult,
    /// Fee.
    Fee,
    /// Paid online.
    Epayment,
}

/// How one canonical column is recognised.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// The name used in messages.
    pub label: String,
    /// Whether a file without this column cannot be used.
    #[serde(default)]
    pub required: bool,
    /// Every header name seen for it.
    pub aliases: Vec<String>,
}

/// Status words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    /// Received, not yet processed.
    pub received: Vec<String>,
    /// Being processed.
    pub processing: Vec<String>,
    /// Waiting for the applicant to supplement the file.
    pub supplement: Vec<String>,
    /// Result ready.
    pub result_ready: Vec<String>,
    /// Result handed over.
    pub returned: Vec<String>,
    /// Refused.
    pub refused: Vec<String>,
    /// Withdrawn or cancelled.
    pub withdrawn: Vec<String>,
}

/// Channel words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelWords {
    /// Submitted online.
    pub online: Vec<String>,
    /// Submitted in person.
    pub direct: Vec<String>,
    /// Submitted by public postal service.
    pub postal: Vec<String>,
}

/// Yes / no words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YesNoWords {
    /// Words meaning yes.
    pub yes: Vec<String>,
    /// Words meaning no (an empty cell is no as well).
    pub no: Vec<String>,
}

/// `units.toml`: the registry of units.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    /// Prefixes dropped before matching ("UBND").
    #[serde(default)]
    pub strip_prefixes: Vec<String>,
    /// Suffixes dropped before matching ("huyện Hóc Môn").
    #[serde(default)]
    pub strip_suffixes: Vec<String>,
    /// The units.
    pub units: Vec<UnitEntry>,
}

/// One unit of the registry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    /// The canonical name.
    pub name: String,
    /// `huyen` or `xa`.
    pub level: Level,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Administrative level of a unit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Cấp huyện.
    Huyen,
    /// Cấp xã.
    Xa,
}

impl Level {
    /// The code used in the submission file.
    pub fn code(self) -> &'static str {
        match self {
            Level::Huyen => "huyen",
            Level::Xa => "xa",
        }
    }
    /// The Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            Level::Huyen => "Cấp huyện",
            Level::Xa => "Cấp xã",
        }
    }
}

/// `fields.toml`: the registry of fields and the groups targets name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldsFile {
    /// Known fields.
    #[serde(default)]
    pub fields: Vec<FieldEntry>,
    /// Groups of fields, by id (`land`, `investment` …).
    #[serde(default)]
    pub groups: BTreeMap<String, GroupEntry>,
}

/// One field of the registry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    /// The canonical name.
    pub name: String,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A group of fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    /// The name shown as a target's scope.
    pub label: String,
    /// Member fields, by canonical name.
    pub fields: Vec<String>,
}

/// `targets.toml`: the plan's targets that dossier data decides.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsFile {
    /// The targets, in the order they are reported.
    #[serde(default)]
    pub targets: Vec<TargetEntry>,
}

/// One target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    /// The id of domain.md, e.g. "3.1".
    pub id: String,
    /// What it measures, in words.
    pub title: String,
    /// The measured rate.
    pub measure: Measure,
    /// One entry per field, or one for a group.
    pub scope: TargetScope,
    /// With scope = "group": the group id.
    #[serde(default)]
    pub group: Option<String>,
    /// With scope = "level": `huyen` or `xa`.
    #[serde(default)]
    pub level: Option<Level>,
    /// With scope = "field": groups whose fields have their own target.
    #[serde(default)]
    pub except_groups: Vec<String>,
    /// Comparison: ">=", ">", "<=", "<".
    pub op: String,
    /// The threshold, in percent.
    pub value: f64,
}

/// A rate a target is held against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// (early + on time) / resolved.
    OnTimeRate,
    /// late / resolved.
    LateRate,
    /// Received online / received in the period.
    OnlineShare,
    /// Late dossiers (resolved late, or pending overdue) with an apology letter / late dossiers
    /// whose export says.
    ApologyCoverage,
    /// Resolved dossiers whose documents were digitized / resolved dossiers whose export says.
    DigitizedDossierShare,
    /// Resolved dossiers whose result was digitized / resolved dossiers whose export says.
    DigitizedResultShare,
    /// Resolved dossiers with a fee paid online / resolved dossiers with a fee whose export says.
    EpaymentShare,
    /// Units with a dossier paid online in the period / units of the registry.
    EpaymentUnits,
}

impl Measure {
    /// Whether the measure is a timeliness rate of form 06 (held per field or group).
    pub fn is_timeliness(self) -> bool {
        matches!(self, Measure::OnTimeRate | Measure::LateRate)
    }
}

/// What a target entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetScope {
    /// Each field separately.
    Field,
    /// A group of fields together.
    Group,
    /// One level (`level = "huyen"` or `"xa"`).
    Level,
    /// The whole district.
    District,
}

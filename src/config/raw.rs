//! The configuration files exactly as a district writes them (strict serde, no defaults guessed).
//!
//! Unknown keys are refused so that a misspelt setting is an error, not a silently ignored line.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::period::PeriodRule;

pub use crate::model::Level;
pub use crate::rate::Op;

/// `pipelines/<name>.toml`: one reporting job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    /// The locality's name as printed, e.g. "Huyện Hóc Môn", "Xã Hóc Môn" (`locality` or, as
    /// the first pipelines wrote it, `district`).
    #[serde(alias = "locality")]
    pub district: String,
    /// The locality's official code in the 2025 list of communes, wards and special zones
    /// (`pipelines/don-vi-hanh-chinh/`), e.g. "27559"; a district, which the list does not
    /// hold, has none, and an empty value is one not filled in yet.
    #[serde(default)]
    pub locality_code: Option<String>,
    /// The period run when the command line names none, e.g. "2024-Q1".
    pub period: String,
    /// How period ids map to days.
    #[serde(default = "default_rule")]
    pub period_rule: PeriodRule,
    /// What withdrawn dossiers count as — now `withdrawn` in the dossier vocabulary; still read
    /// here (it wins), with a warning that says where it lives.
    #[serde(default)]
    pub withdrawn: Option<WithdrawnPractice>,
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
    /// The working-day calendar, relative to the pipeline file.
    #[serde(default = "default_calendar")]
    pub calendar: String,
    /// The report's sections (`report-sections.toml`), relative to the pipeline file; the
    /// shipped list when the file is not there.
    #[serde(default = "default_report_sections")]
    pub report_sections: String,
    /// The early-warning list's horizons (`cchc alerts`); a pipeline without it cannot run
    /// `cchc alerts`, and is told what to add.
    #[serde(default)]
    pub alerts: Option<AlertSettings>,
    /// The locality's words the documents use.
    pub words: Words,
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
    /// How much one input file may make cchc read and hold; a file beyond a limit is refused,
    /// named with the limit and what to do, before memory runs out.
    #[serde(default)]
    pub limits: Limits,
}

/// Bounds on one input file (`[limits]` in the pipeline file; every key optional). The defaults
/// hold the largest exports seen many times over, and keep a hostile file of a few kilobytes
/// (a sheet spanning a million rows, a zip bomb) far from the memory of an office computer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The largest input file read, in MiB (1 MiB = 1 048 576 bytes). Only regular files are
    /// read: a folder, a device, a pipe (FIFO) or a socket given as input is refused.
    pub file_mib: u64,
    /// The most a workbook (xlsx, ods: zip archives) may unpack to, all its parts together, in
    /// MiB: a small archive that unpacks to gigabytes (a zip bomb) is refused unopened.
    pub unpacked_mib: u64,
    /// The most cells one file's sheets may hold together: the used area of each sheet (the
    /// empty cells between the filled ones count), and every cell read, every sheet included.
    pub cells: u64,
    /// The most characters one cell may hold.
    pub cell_chars: u64,
    /// The most cells one HTML table cell may cover (`colspan` × `rowspan`).
    pub html_span_cells: u64,
    /// The deepest nesting of HTML tables (a table inside a cell of a table is depth 2).
    pub html_table_depth: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_mib: 256,
            unpacked_mib: 1024,
            cells: 10_000_000,
            cell_chars: 1_000_000,
            html_span_cells: 10_000,
            html_table_depth: 32,
        }
    }
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

fn default_list_name() -> String {
    "danh sách hồ sơ".into()
}
fn default_identify() -> Vec<Vec<String>> {
    vec![vec!["dossier_id".into()]]
}
fn default_record() -> Vec<String> {
    vec!["dossier_id".into(), "received".into()]
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
fn default_calendar() -> String {
    "calendar.toml".into()
}
fn default_report_sections() -> String {
    "report-sections.toml".into()
}
/// The horizons of the early-warning list (`early-warning.md`), in working days of the calendar.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    /// A dossier or PAKN is due soon when its limit falls at most this many working days after
    /// `--as-of` (the peer systems use 3); `--days` overrides it.
    pub days: u32,
    /// A plan task is listed when its due date falls at most this many working days after
    /// `--as-of` (or has passed) and it is not done.
    pub task_days: u32,
    /// The exports are called stale when the latest date seen in them lies more than this many
    /// working days before `--as-of`.
    pub stale_after: u32,
}

/// The locality's words that documents print around the figures.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The total of every unit, e.g. "Toàn huyện".
    pub whole: String,
    /// A target met, e.g. "Đạt".
    pub met: String,
    /// A target not met, e.g. "Không đạt".
    pub missed: String,
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

impl WithdrawnPractice {
    /// As the vocabulary file writes it.
    pub fn code(self) -> &'static str {
        match self {
            WithdrawnPractice::Exclude => "exclude",
            WithdrawnPractice::ResolvedOnTime => "resolved_on_time",
        }
    }
}

/// One input location.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputEntry {
    /// A spreadsheet file, or a folder read recursively (sorted by path).
    pub path: String,
    /// The input kind of every file here (`dossier`, `satisfaction`); found from the header
    /// when absent.
    #[serde(default)]
    pub kind: Option<String>,
    /// The period a summary file here covers (e.g. `2024-Q1`), when its title lines do not say.
    #[serde(default)]
    pub period: Option<String>,
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
    /// Header names of columns that carry no data (row numbers), in files of every kind.
    #[serde(default)]
    pub ignored_columns: Vec<String>,
    /// Words that open a footer row (totals, signatures): the data ends above it. Every
    /// kind's files share them.
    #[serde(default)]
    pub footer_markers: Vec<String>,
    /// What a person calls a dossier list, in messages.
    #[serde(default = "default_list_name")]
    pub list_name: String,
    /// A header is a dossier list's when it holds every column of one of these sets.
    #[serde(default = "default_identify")]
    pub identify: Vec<Vec<String>>,
    /// A row that fills these columns is a dossier, whatever its first cell says.
    #[serde(default = "default_record")]
    pub record: Vec<String>,
    /// Header names of each canonical column.
    pub columns: BTreeMap<ColumnName, ColumnSpec>,
    /// Status words, by canonical status.
    pub statuses: StatusWords,
    /// Channel words, by canonical channel.
    pub channels: ChannelWords,
    /// Yes / no words of the flag columns.
    pub yes_no: YesNoWords,
    /// The words that replace personal data (phones, e-mail addresses, ID numbers) found in
    /// the free text cchc keeps, in every kind's files.
    #[serde(default)]
    pub personal_data_masks: crate::privacy::MaskWords,
    /// What withdrawn dossiers count as (`exclude` unless said).
    #[serde(default)]
    pub withdrawn: WithdrawnPractice,
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
    /// The officer holding the dossier (Cán bộ xử lý hiện tại): kept for the internal
    /// early-warning lists only, never written to a document, the public page or the JSON.
    Officer,
    /// How many times the applicant was asked to supplement the file (the 766 index).
    SupplementCount,
    /// The day the (first) supplement request was made.
    SupplementRequested,
    /// The day the applicant supplied what was asked.
    SupplementSupplied,
    /// The online submission date («Ngày nộp hồ sơ»), read where a list also has a received
    /// date of higher priority («Ngày nhận»): the system's statistics date receipt by it.
    Submitted,
}

impl ColumnName {
    /// Every column, in the order of the enum (its position in the header vocabulary).
    pub const ALL: [ColumnName; 22] = [
        ColumnName::DossierId,
        ColumnName::Unit,
        ColumnName::Field,
        ColumnName::Procedure,
        ColumnName::ProcedureCode,
        ColumnName::Applicant,
        ColumnName::Received,
        ColumnName::Due,
        ColumnName::Completed,
        ColumnName::Returned,
        ColumnName::Status,
        ColumnName::Channel,
        ColumnName::Apology,
        ColumnName::DigitizedDossier,
        ColumnName::DigitizedResult,
        ColumnName::Fee,
        ColumnName::Epayment,
        ColumnName::Officer,
        ColumnName::SupplementCount,
        ColumnName::SupplementRequested,
        ColumnName::SupplementSupplied,
        ColumnName::Submitted,
    ];

    /// The column's id, as the vocabulary file names it.
    pub fn id(self) -> &'static str {
        match self {
            ColumnName::DossierId => "dossier_id",
            ColumnName::Unit => "unit",
            ColumnName::Field => "field",
            ColumnName::Procedure => "procedure",
            ColumnName::ProcedureCode => "procedure_code",
            ColumnName::Applicant => "applicant",
            ColumnName::Received => "received",
            ColumnName::Due => "due",
            ColumnName::Completed => "completed",
            ColumnName::Returned => "returned",
            ColumnName::Status => "status",
            ColumnName::Channel => "channel",
            ColumnName::Apology => "apology",
            ColumnName::DigitizedDossier => "digitized_dossier",
            ColumnName::DigitizedResult => "digitized_result",
            ColumnName::Fee => "fee",
            ColumnName::Epayment => "epayment",
            ColumnName::Officer => "officer",
            ColumnName::SupplementCount => "supplement_count",
            ColumnName::SupplementRequested => "supplement_requested",
            ColumnName::SupplementSupplied => "supplement_supplied",
            ColumnName::Submitted => "submitted",
        }
    }
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
    /// Another column whose names these also are: this column is read under one of them only
    /// when a header holds that column under a name listed before it (the second of two
    /// columns meaning it), otherwise the other column is.
    #[serde(default)]
    pub second_reading_of: Option<String>,
}

/// Status words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    /// Submitted online, not yet received (the portal's 1 «Mới đăng ký»): excluded, listed.
    #[serde(default)]
    pub not_received: Vec<String>,
    /// Refused at intake, never received (the portal's 3 «Không được tiếp nhận»): excluded,
    /// listed.
    #[serde(default)]
    pub not_accepted: Vec<String>,
    /// Waiting for intake («Chờ tiếp nhận»): not yet received when submitted online, received
    /// otherwise.
    #[serde(default)]
    pub awaiting_intake: Vec<String>,
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
    /// Words a unit answers a yes/no question of its form with when the question does not
    /// apply to it («Không áp dụng»): the unit is then left out of the question's figure. The
    /// first is offered in the form's list.
    #[serde(default)]
    pub not_applicable: Vec<String>,
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
    /// The administrative levels, in report order.
    pub levels: Vec<LevelEntry>,
    /// The units.
    pub units: Vec<UnitEntry>,
}

/// One administrative level, as the documents name it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelEntry {
    /// `huyen` or `xa`.
    pub id: Level,
    /// Its name in documents, e.g. "Cấp huyện".
    pub label: String,
    /// Its numeral in statutory tables, e.g. "I".
    pub numeral: String,
    /// Name prefixes that tell the level of a unit the registry does not know ("Xã", "Thị
    /// trấn"); a unit with none of any level's prefixes is of the first level.
    #[serde(default)]
    pub prefixes: Vec<String>,
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
    /// For a public-service unit (school, health station): the group of `fields.toml` it
    /// belongs to (`education`, `health`); its satisfaction counts for target 4.1.
    #[serde(default)]
    pub group: Option<String>,
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
    /// Which targets the documents flag rates against.
    #[serde(default)]
    pub flags: Flags,
    /// The targets, in the order they are reported.
    #[serde(default)]
    pub targets: Vec<TargetEntry>,
}

/// The target ids whose thresholds the documents flag rates against (below target in red).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    /// On-time rates of units and fields, e.g. "3.1".
    #[serde(default)]
    pub on_time: Option<String>,
    /// Satisfaction rates of units, e.g. "4.2".
    #[serde(default)]
    pub satisfaction: Option<String>,
}

/// One target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    /// The id of domain.md, e.g. "3.1".
    pub id: String,
    /// What it measures, in words.
    pub title: String,
    /// What it measures: a measure one of the kinds offers (checked when the targets load).
    pub measure: String,
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
    /// Which units' rows count: all, the units that handle dossiers, or the public-service
    /// units (schools, health stations) of the registry.
    #[serde(default)]
    pub units: UnitFilter,
    /// With measure = "self_report": the id of the question whose district figure is measured.
    #[serde(default)]
    pub question: Option<String>,
    /// With measure = "self_report" on a summed question: the question whose district figure
    /// divides it (the measure is then a percentage, e.g. disbursed / planned).
    #[serde(default)]
    pub over: Option<String>,
    /// Comparison: ">=", ">", "<=", "<", "=".
    pub op: Op,
    /// The threshold, in percent.
    pub value: f64,
    /// Set while `value` is a starting value (`cchc init`), not the locality's plan: the words
    /// saying so, shown after the title wherever the target is reported. Removed by the person
    /// who writes the plan's value.
    #[serde(default)]
    pub placeholder: Option<String>,
}

/// A measure a kind offers to targets (`targets.toml`'s `measure`): the kinds declare them
/// (`Kind::measures`), the loader checks each target's against them, so that the configuration
/// names no kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedMeasure {
    /// Its name in `targets.toml` and indicators.json (`on_time_rate`).
    pub name: &'static str,
    /// The kind that offers it.
    pub kind: &'static str,
    /// The scopes a target on it may take.
    pub scopes: &'static [TargetScope],
    /// Whether it is a count (its target value a number), not a rate in percent.
    pub count: bool,
}

impl OfferedMeasure {
    /// Scopes of a rate over rows (field, group, level, whole locality).
    pub const EVERY_SCOPE: &'static [TargetScope] = &[
        TargetScope::Field,
        TargetScope::Group,
        TargetScope::Level,
        TargetScope::District,
    ];
    /// Scopes of a rate held per field or group only.
    pub const FIELD_OR_GROUP: &'static [TargetScope] = &[TargetScope::Field, TargetScope::Group];
    /// Scopes of a figure of a level or of the whole locality.
    pub const LEVEL_OR_DISTRICT: &'static [TargetScope] =
        &[TargetScope::Level, TargetScope::District];

    /// A rate measure.
    pub const fn rate(
        name: &'static str,
        kind: &'static str,
        scopes: &'static [TargetScope],
    ) -> OfferedMeasure {
        OfferedMeasure {
            name,
            kind,
            scopes,
            count: false,
        }
    }
}

/// Which units' rows a target counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitFilter {
    /// Every unit.
    #[default]
    All,
    /// The units that handle dossiers (not public-service units).
    Dossier,
    /// The public-service units of the registry (those with a group).
    PublicService,
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

impl TargetScope {
    /// Its word in `targets.toml`.
    pub fn code(self) -> &'static str {
        match self {
            TargetScope::Field => "field",
            TargetScope::Group => "group",
            TargetScope::Level => "level",
            TargetScope::District => "district",
        }
    }
}

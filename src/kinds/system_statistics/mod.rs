//! The dossier system's own statistics, read back (`real-exports.md` §3): Biểu 06 / II.06a with
//! their merged three-row headers and numbering row, OpenCPS's statistics, the 766 progress
//! table — one row per unit or per field, columns that are form-06 counts.
//!
//! Why: officers are told to make their figures agree with the system's, and nobody can say why
//! they differ. The system applies practices tthc-rules does not (a withdrawn dossier counted on
//! time, a dossier without a due date counted early, receipt dated by the online submission, a
//! dossier waiting for a supplement counted resolved). [`read()`] turns such a table into a
//! [`SystemTable`] (and names the totals that do not add up); [`reconcile()`] sets it beside cchc's
//! form 06 of the same window and names, for each differing cell, the dossiers a practice moves.
//!
//! Vocabulary in `pipelines/system-statistics.toml` ([`Config`]). The tables' three-row headers
//! are not for the shared header search: the kind reads whole sheets ([`Kind::read_sheets`]),
//! each table row a record ([`records`]); a period's figures are the reconciliation of the
//! tables of that period's window ([`figures`]).

pub mod annex;
pub mod figures;
pub mod read;
pub mod reconcile;
pub mod records;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use crate::config::part::{ConfigPart, Loaded, PartContext};
use crate::config::Pipeline;
use crate::ingest::grid::Grid;
use crate::ingest::{HeaderVocab, RawTable};
use crate::kind::{InputContext, Kind, StoreLayout};
use crate::kinds::dossier::figures::Counts;
use crate::model::RowRef;
use crate::normalize::Normalized;
use crate::quality::{SkippedRow, Warning, WarningKind};
use crate::text::match_key;

/// The kind of the dossier system's own statistics tables.
pub struct SystemStatistics;

/// The file's name in a pipeline folder, and its shipped text.
const FILE: (&str, &str) = (
    "system-statistics.toml",
    include_str!("../../../pipelines/system-statistics.toml"),
);

/// The vocabulary of statistics tables of a pipeline.
pub fn config(pipeline: &Pipeline) -> &Settings {
    pipeline.parts.get::<Settings>(Kind::id(&SystemStatistics))
}

/// What the kind reads with: its vocabulary, and a header vocabulary no list's header fits
/// (its tables are found by [`read::read_grid`], not by the shared header search).
#[derive(Debug)]
pub struct Settings {
    /// The vocabulary.
    pub config: Config,
    /// A header vocabulary that recognises nothing.
    pub header: HeaderVocab,
}

impl ConfigPart for SystemStatistics {
    fn id(&self) -> &'static str {
        Kind::id(self)
    }
    fn keys(&self) -> &'static [&'static str] {
        &["system_statistics"]
    }
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[FILE]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let (config, files) = match cx.file_if_present("system_statistics", FILE.0)? {
            Some(path) => (Config::load(&path)?, vec![path]),
            None => (Config::parse(FILE.1, Path::new(FILE.0))?, Vec::new()),
        };
        let header = HeaderVocab {
            kind: "system_statistics",
            list_name: config.list_name.clone(),
            columns: Vec::new(),
            header: Default::default(),
            ignored: Default::default(),
            footer_markers: Vec::new(),
            identify: Vec::new(),
            record: Vec::new(),
            unit_column: None,
            unit_required: false,
            unit_alternates: false,
            companion_sheets: Vec::new(),
        };
        Ok(Loaded {
            settings: Box::new(Settings { config, header }),
            normalization_files: files.clone(),
            files,
        })
    }
}

/// A system statistics table's total (or group) row that is not the sum of its rows, or a
/// row whose total is not the sum of its parts: the table is read as it is.
pub const TABLE_TOTAL_MISMATCH: WarningKind = WarningKind::new("TableTotalMismatch");
/// Its kinds of warning, in the order the data-quality workbook lists them (words in
/// `[warning_kinds]` of `templates/quality/chat-luong.toml`).
pub const WARNING_KINDS: &[WarningKind] = &[TABLE_TOTAL_MISMATCH];

impl Kind for SystemStatistics {
    fn id(&self) -> &'static str {
        "system_statistics"
    }
    fn warning_kinds(&self) -> &'static [WarningKind] {
        WARNING_KINDS
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &config(pipeline).header
    }
    fn normalize(
        &self,
        _pipeline: &Pipeline,
        _tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized> {
        bail!(
            "{}: bảng thống kê của hệ thống được đọc cả trang, không qua dòng tiêu đề chung",
            input.display
        )
    }
    fn reads_sheets(&self) -> bool {
        true
    }
    fn read_sheets(
        &self,
        pipeline: &Pipeline,
        sheets: &[Grid],
        input: &InputContext,
    ) -> Result<Option<Normalized>> {
        let ctx = read::ReadContext {
            config: &config(pipeline).config,
            units: &pipeline.units,
            fields: &pipeline.fields,
            period_rule: pipeline.period_rule,
            window: input.period.as_ref().map(|p| (p.start, p.end)),
        };
        let mut tables = Vec::new();
        for g in sheets {
            if let Some(t) = read::read_grid(g, &input.display, &ctx)? {
                tables.push(t);
            }
        }
        if tables.is_empty() {
            return Ok(None);
        }
        let at = |sheet: &str, row: u32| RowRef {
            file: input.file,
            sheet: sheet.to_string(),
            row,
        };
        let mut warnings = Vec::new();
        let mut skipped_rows = Vec::new();
        for t in &tables {
            let label = |c: Count| ctx.config.label(c).to_string();
            for m in &t.totals_not_adding_up {
                warnings.push(Warning {
                    source: at(&t.sheet, m.sheet_row),
                    dossier_id: m.row.clone(),
                    kind: TABLE_TOTAL_MISMATCH,
                    column: label(m.count),
                    value: format!(
                        "bảng ghi {}, cộng các dòng được {}",
                        crate::vn::int(m.stated),
                        crate::vn::int(m.sum_of_rows)
                    ),
                });
            }
            for m in &t.rows_not_adding_up {
                warnings.push(Warning {
                    source: at(&t.sheet, m.sheet_row),
                    dossier_id: m.row.clone(),
                    kind: TABLE_TOTAL_MISMATCH,
                    column: label(m.count),
                    value: format!(
                        "bảng ghi {}, cộng {} được {}",
                        crate::vn::int(m.stated),
                        m.parts
                            .iter()
                            .map(|c| label(*c))
                            .collect::<Vec<_>>()
                            .join(" + "),
                        crate::vn::int(m.sum_of_parts)
                    ),
                });
            }
            let passed_over = t
                .groups
                .iter()
                .chain(&t.total)
                .map(|r| (r.row, r.label.clone()))
                .chain(t.skipped_rows.iter().cloned());
            for (row, text) in passed_over {
                skipped_rows.push(SkippedRow {
                    source: at(&t.sheet, row),
                    text,
                });
            }
        }
        skipped_rows.sort_by_key(|r| (r.source.sheet.clone(), r.source.row));
        Ok(Some(Normalized {
            frame: records::to_frame(input.file, &tables)?,
            quarantine: Vec::new(),
            warnings,
            read: tables.iter().map(|t| t.rows.len() as u64).sum(),
            blank_rows: 0,
            skipped_rows,
        }))
    }
    fn empty_frame(&self) -> Result<polars::prelude::DataFrame> {
        records::empty()
    }
    fn rows_word(&self) -> &'static str {
        "dòng bảng thống kê"
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "system_statistics",
            partition: "window_start",
            dates: &["window_start", "window_end"],
        }
    }
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        Some(&SystemStatistics)
    }
    fn rules(
        &self,
        _pipeline: &Pipeline,
        frame: polars::prelude::DataFrame,
        _earlier: &crate::kind::Ruled,
        _n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        Ok(Box::new(figures::Tables { frame }))
    }
    fn figures(
        &self,
        pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::KindFigures>> {
        Ok(Box::new(figures::compute(
            pipeline, ruled, period, n_files,
        )?))
    }
    fn name_columns(&self) -> &'static [&'static str] {
        &[]
    }
}

pub use read::{read, read_grid, By, SystemRow, SystemTable, TotalMismatch, WindowSource};
pub use reconcile::{reconcile, Difference, Evidence, Explanation, Reconciliation, Rule};

/// A form-06 count, by the name indicators.json gives it — the counts of [`Counts`] and the
/// sums the forms print (`new_direct_postal`: II.06a merges in-person and postal dossiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// Received in all: carried over + new.
    ReceivedTotal,
    /// Carried over from the previous period.
    CarriedOver,
    /// New in the period, any channel.
    NewTotal,
    /// New, online.
    NewOnline,
    /// New, in person or by post.
    NewDirectPostal,
    /// New, in person.
    NewDirect,
    /// New, by post.
    NewPostal,
    /// Resolved in all.
    ResolvedTotal,
    /// Resolved early.
    ResolvedEarly,
    /// Resolved on time.
    ResolvedOnTime,
    /// Resolved late.
    ResolvedLate,
    /// Pending in all.
    PendingTotal,
    /// Pending within the deadline.
    PendingWithin,
    /// Pending past the deadline.
    PendingOverdue,
}

impl Count {
    /// Every count, in form-06 order.
    pub const ALL: [Count; 14] = [
        Count::ReceivedTotal,
        Count::CarriedOver,
        Count::NewTotal,
        Count::NewOnline,
        Count::NewDirectPostal,
        Count::NewDirect,
        Count::NewPostal,
        Count::ResolvedTotal,
        Count::ResolvedEarly,
        Count::ResolvedOnTime,
        Count::ResolvedLate,
        Count::PendingTotal,
        Count::PendingWithin,
        Count::PendingOverdue,
    ];

    /// Its name in indicators.json.
    pub fn name(self) -> &'static str {
        match self {
            Count::ReceivedTotal => "received_total",
            Count::CarriedOver => "carried_over",
            Count::NewTotal => "new_total",
            Count::NewOnline => "new_online",
            Count::NewDirectPostal => "new_direct_postal",
            Count::NewDirect => "new_direct",
            Count::NewPostal => "new_postal",
            Count::ResolvedTotal => "resolved_total",
            Count::ResolvedEarly => "resolved_early",
            Count::ResolvedOnTime => "resolved_on_time",
            Count::ResolvedLate => "resolved_late",
            Count::PendingTotal => "pending_total",
            Count::PendingWithin => "pending_within",
            Count::PendingOverdue => "pending_overdue",
        }
    }

    /// Its value in a row of cchc's form 06: the count of that name as form 06 declares it
    /// (`crate::counts!`), or for the forms' merged column the sum of its two channels.
    pub fn of(self, c: &Counts) -> u64 {
        use crate::figures::NamedCounts;
        match self {
            Count::NewDirectPostal => c.new_direct + c.new_postal,
            other => c
                .value(other.name())
                .expect("every other count is one form 06 declares"),
        }
    }

    /// The sums a table's row must keep, where it has every count of one: (total, its parts).
    /// New dossiers may be split by channel in two ways.
    pub fn identities() -> &'static [(Count, &'static [Count])] {
        &[
            (Count::ReceivedTotal, &[Count::CarriedOver, Count::NewTotal]),
            (
                Count::ReceivedTotal,
                &[Count::CarriedOver, Count::NewOnline, Count::NewDirectPostal],
            ),
            (
                Count::ReceivedTotal,
                &[
                    Count::CarriedOver,
                    Count::NewOnline,
                    Count::NewDirect,
                    Count::NewPostal,
                ],
            ),
            (Count::NewTotal, &[Count::NewOnline, Count::NewDirectPostal]),
            (
                Count::NewTotal,
                &[Count::NewOnline, Count::NewDirect, Count::NewPostal],
            ),
            (
                Count::ResolvedTotal,
                &[
                    Count::ResolvedEarly,
                    Count::ResolvedOnTime,
                    Count::ResolvedLate,
                ],
            ),
            (
                Count::PendingTotal,
                &[Count::PendingWithin, Count::PendingOverdue],
            ),
            (
                Count::ReceivedTotal,
                &[Count::ResolvedTotal, Count::PendingTotal],
            ),
        ]
    }
}

/// One count as `system-statistics.toml` writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountSpec {
    /// The count's name in messages.
    label: String,
    /// Its header readings, each from the top header row down: group titles (contained in the
    /// cell), then the column's own name (the whole cell).
    headers: Vec<Vec<String>>,
}

/// `system-statistics.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// What a person calls these tables, in messages.
    list_name: String,
    /// Title-line words that name a statistics table.
    title_words: Vec<String>,
    /// Header names of the row-number column.
    order_headers: Vec<String>,
    /// Header names of the label column when rows are units.
    unit_label_headers: Vec<String>,
    /// Header names of the label column when rows are fields.
    field_label_headers: Vec<String>,
    /// Header names of columns read as nothing.
    #[serde(default)]
    ignored_headers: Vec<String>,
    /// Labels of the table's total row.
    total_words: Vec<String>,
    /// Label prefixes of group rows (subtotals).
    group_words: Vec<String>,
    /// Each count's label and header readings.
    counts: BTreeMap<Count, CountSpec>,
}

/// One header reading of a count, as keys.
#[derive(Debug, Clone)]
pub struct HeaderPattern {
    /// The count.
    pub count: Count,
    /// Group titles a cell above must contain, top down.
    pub groups: Vec<String>,
    /// The column's own name.
    pub name: String,
}

/// The vocabulary of system statistics tables, as keys ([`match_key`]).
#[derive(Debug)]
pub struct Config {
    /// What a person calls these tables.
    pub list_name: String,
    /// Title-line words, as keys.
    pub title_words: Vec<String>,
    /// Row-number column names, as keys.
    pub order_headers: Vec<String>,
    /// Label column names when rows are units, as keys.
    pub unit_label_headers: Vec<String>,
    /// Label column names when rows are fields, as keys.
    pub field_label_headers: Vec<String>,
    /// Columns read as nothing, as keys.
    pub ignored_headers: Vec<String>,
    /// Total-row labels, as keys.
    pub total_words: Vec<String>,
    /// Group-row label prefixes, as keys.
    pub group_words: Vec<String>,
    /// Every header reading of every count.
    pub patterns: Vec<HeaderPattern>,
    /// Each count's label in messages.
    pub labels: BTreeMap<Count, String>,
}

impl Config {
    /// Reads and checks `system-statistics.toml`: every count needs a label and a reading, and
    /// no reading may name two counts.
    pub fn load(path: &Path) -> Result<Config> {
        let file: ConfigFile = crate::config::read_toml(path)?;
        Config::of(file, path)
    }

    /// [`Config::load`] of a text (the shipped one, for a pipeline folder without the file).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file: ConfigFile = crate::config::errors::parse_toml(text)?;
        Config::of(file, path)
    }

    fn of(file: ConfigFile, path: &Path) -> Result<Config> {
        let keys = |v: &[String]| v.iter().map(|w| match_key(w)).collect::<Vec<_>>();
        let mut patterns: Vec<HeaderPattern> = Vec::new();
        let mut labels = BTreeMap::new();
        for (count, spec) in &file.counts {
            if spec.headers.is_empty() {
                bail!(
                    "{}: số liệu «{}» chưa có cách ghi tiêu đề cột nào (headers); thêm ít nhất một",
                    path.display(),
                    count.name()
                );
            }
            for h in &spec.headers {
                let Some((name, groups)) = h.split_last() else {
                    bail!(
                        "{}: số liệu «{}» có một cách ghi tiêu đề rỗng ([]); xóa nó hoặc ghi tên cột",
                        path.display(),
                        count.name()
                    );
                };
                let p = HeaderPattern {
                    count: *count,
                    groups: keys(groups),
                    name: match_key(name),
                };
                if let Some(old) = patterns
                    .iter()
                    .find(|o| o.groups == p.groups && o.name == p.name)
                {
                    if old.count != p.count {
                        bail!(
                            "{}: tiêu đề «{}» được khai báo cho hai số liệu ({} và {}); giữ ở một số liệu",
                            path.display(),
                            h.join(" / "),
                            old.count.name(),
                            count.name()
                        );
                    }
                    continue;
                }
                patterns.push(p);
            }
            labels.insert(*count, spec.label.clone());
        }
        Ok(Config {
            list_name: file.list_name,
            title_words: keys(&file.title_words),
            order_headers: keys(&file.order_headers),
            unit_label_headers: keys(&file.unit_label_headers),
            field_label_headers: keys(&file.field_label_headers),
            ignored_headers: keys(&file.ignored_headers),
            total_words: keys(&file.total_words),
            group_words: keys(&file.group_words),
            patterns,
            labels,
        })
    }

    /// A count's name in messages.
    pub fn label(&self, count: Count) -> &str {
        self.labels
            .get(&count)
            .map(String::as_str)
            .unwrap_or(count.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Config {
        Config::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/system-statistics.toml"),
        )
        .unwrap()
    }

    #[test]
    fn the_shipped_vocabulary_names_every_count() {
        let c = shipped();
        for count in Count::ALL {
            assert!(
                c.patterns.iter().any(|p| p.count == count),
                "{}",
                count.name()
            );
            assert_ne!(c.label(count), count.name());
        }
    }

    #[test]
    fn refuses_a_header_reading_given_to_two_counts() {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/system-statistics.toml"),
        )
        .unwrap()
        .replace(
            r#"headers = [["Đang giải quyết", "Quá hạn"]"#,
            r#"headers = [["Đã giải quyết", "Quá hạn"]"#,
        );
        let p = dir.path().join("s.toml");
        std::fs::write(&p, text).unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("Đã giải quyết / Quá hạn") && e.contains("hai số liệu"),
            "{e}"
        );
    }

    #[test]
    fn refuses_an_unknown_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(&p, "list_name = \"x\"\nsurprise = 1\n").unwrap();
        let e = format!("{:#}", Config::load(&p).unwrap_err());
        assert!(e.contains("surprise"), "{e}");
    }

    #[test]
    fn every_count_but_the_merged_channels_is_one_form_06_declares() {
        use crate::figures::NamedCounts;
        let c = Counts::default();
        for count in Count::ALL {
            if count != Count::NewDirectPostal {
                assert!(c.value(count.name()).is_some(), "{}", count.name());
            }
        }
    }

    #[test]
    fn direct_postal_sums_the_two_channels_of_form_06() {
        let c = Counts {
            new_direct: 2,
            new_postal: 3,
            new_online: 1,
            new_unknown_channel: 4,
            ..Counts::default()
        };
        assert_eq!(Count::NewDirectPostal.of(&c), 5);
        assert_eq!(Count::NewTotal.of(&c), 10);
    }
}

//! The data-quality account of a run: what was quarantined and why, what looked wrong but was
//! counted, which duplicate copies lost, and where every row read ended up.
//!
//! Every stage adds to it; nothing is dropped without a line here, so that
//! `read = counted + quarantined + duplicate + excluded` holds for every file.

use serde::{Deserialize, Serialize};

use crate::model::RowRef;

/// A row that is not counted, with the reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quarantined {
    /// Where it came from.
    pub source: RowRef,
    /// The dossier code, when the row has one.
    pub dossier_id: String,
    /// The column at fault (its header text in the file).
    pub column: String,
    /// The offending value as written.
    pub value: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

/// What kind of warning a row drew: its id, the key of its words in the data-quality
/// workbook's template (`[warning_kinds]` of `templates/quality/chat-luong.toml`). The warnings
/// of the reading machinery and of the dossiers are here ([`CORE_WARNING_KINDS`]); a kind
/// declares its own in its folder (`Kind::warning_kinds`), so a new kind adds a warning without
/// editing this file. The workbook lists them in the order of the registry
/// (`kinds::warning_kinds`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WarningKind(&'static str);

impl WarningKind {
    /// The kind of warning with this id (a kind's own: `WarningKind::new("TableTotalMismatch")`).
    pub const fn new(id: &'static str) -> WarningKind {
        WarningKind(id)
    }
    /// Its id, the key of its words.
    pub fn id(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Debug for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for WarningKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for WarningKind {
    /// A warning kind read back from the store: its id, kept once for the run.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Ok(WarningKind(intern(id)))
    }
}

/// One `'static` copy of each warning id read back from the store (there are a few dozen).
fn intern(id: String) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, OnceLock};
    static IDS: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut ids = IDS
        .get_or_init(|| Mutex::new(BTreeSet::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(known) = ids.get(id.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(id.into_boxed_str());
    ids.insert(leaked);
    leaked
}

/// The warnings of the reading machinery and of the dossiers.
#[allow(non_upper_case_globals)]
impl WarningKind {
    /// The channel is empty: counted as direct.
    pub const MissingChannel: WarningKind = WarningKind("MissingChannel");
    /// The channel is a word the vocabulary lacks: counted as direct.
    pub const UnknownChannel: WarningKind = WarningKind("UnknownChannel");
    /// The status is empty or unknown: inferred from the dates.
    pub const UnknownStatus: WarningKind = WarningKind("UnknownStatus");
    /// A yes/no value is unknown: counted as no.
    pub const UnknownFlag: WarningKind = WarningKind("UnknownFlag");
    /// A fee that is not a number.
    pub const UnknownFee: WarningKind = WarningKind("UnknownFee");
    /// No due date: a procedure without an appointment (on time / within the deadline).
    pub const NoDueDate: WarningKind = WarningKind("NoDueDate");
    /// A completion date on a dossier whose status is still open: the date is believed.
    pub const CompletedWhileOpen: WarningKind = WarningKind("CompletedWhileOpen");
    /// A unit the registry does not know.
    pub const UnknownUnit: WarningKind = WarningKind("UnknownUnit");
    /// No field.
    pub const MissingField: WarningKind = WarningKind("MissingField");
    /// Two dossier codes that differ only in case: counted as two dossiers, listed in pairs
    /// (each line's value is the other code of its pair).
    pub const CodeCaseDiffers: WarningKind = WarningKind("CodeCaseDiffers");
    /// Copies of one dossier that disagree on unit or field: the kept copy's are counted.
    pub const DuplicateDisagrees: WarningKind = WarningKind("DuplicateDisagrees");
    /// Copies of one record equal on what decides between them (status, dates) but different
    /// elsewhere: the copy with more values, then the one whose first differing value comes
    /// later, is counted ([`crate::normalize::Content`]).
    pub const CopiesDisagree: WarningKind = WarningKind("CopiesDisagree");
    /// Two columns of a header that mean one column: only one is read.
    pub const DuplicateColumn: WarningKind = WarningKind("DuplicateColumn");
    /// A text longer than a spreadsheet cell holds: cut in the workbooks.
    pub const TextCut: WarningKind = WarningKind("TextCut");
    /// Personal data (a phone number, an e-mail address, an ID number) in a kept free text:
    /// masked; the value says what kind, never the data.
    pub const PersonalDataMasked: WarningKind = WarningKind("PersonalDataMasked");
    /// A dossier never received (not yet received, refused at intake): excluded from every
    /// count; the value is the reason.
    pub const NotReceived: WarningKind = WarningKind("NotReceived");
}

/// The core warning kinds, in the order the data-quality workbook lists them (before the
/// kinds' own).
pub const CORE_WARNING_KINDS: &[WarningKind] = &[
    WarningKind::MissingChannel,
    WarningKind::UnknownChannel,
    WarningKind::UnknownStatus,
    WarningKind::UnknownFlag,
    WarningKind::UnknownFee,
    WarningKind::NoDueDate,
    WarningKind::CompletedWhileOpen,
    WarningKind::UnknownUnit,
    WarningKind::MissingField,
    WarningKind::CodeCaseDiffers,
    WarningKind::DuplicateDisagrees,
    WarningKind::CopiesDisagree,
    WarningKind::DuplicateColumn,
    WarningKind::TextCut,
    WarningKind::PersonalDataMasked,
    WarningKind::NotReceived,
];

/// Two copies of one record that the content tie-break decided between, and the columns on
/// which they differ: warned about naming both files.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// The record's code.
    pub record: String,
    /// The copy counted.
    pub kept: RowRef,
    /// The copy dropped.
    pub dropped: RowRef,
    /// The columns (table names) on which they differ.
    pub columns: Vec<String>,
}

impl Disagreement {
    /// The warning, at the dropped copy, naming the file of each copy.
    pub fn warning(&self, files: &[crate::model::SourceFile]) -> Warning {
        let name = |r: &RowRef| {
            let file = files.get(r.file).map(|f| f.display.as_str()).unwrap_or("");
            format!("{file}, dòng {}", r.row)
        };
        Warning {
            source: self.dropped.clone(),
            dossier_id: self.record.clone(),
            kind: WarningKind::CopiesDisagree,
            column: self.columns.join(", "),
            value: format!(
                "bản tính: {}; bản bỏ: {}",
                name(&self.kept),
                name(&self.dropped)
            ),
        }
    }
}

/// A value that was counted with an assumption a person should check.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Warning {
    /// Where it came from.
    pub source: RowRef,
    /// Dossier code.
    pub dossier_id: String,
    /// Kind.
    pub kind: WarningKind,
    /// Column header text in the file.
    pub column: String,
    /// Value as written.
    pub value: String,
}

/// A row below or inside the data that is not a dossier record: a total, a signature, the
/// place-and-date line. Listed so that nothing a file holds disappears unseen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SkippedRow {
    /// Where it is.
    pub source: RowRef,
    /// Its non-empty cells, joined.
    pub text: String,
}

/// One copy of a record (a dossier, an evaluation) that lost to another copy of the same one.
#[derive(Debug, Clone)]
pub struct DuplicateResolved {
    /// The record's code (dossier code, evaluation code).
    pub dossier_id: String,
    /// The copy kept.
    pub kept: RowRef,
    /// What decided for it: a status code where the kind's statuses have words in the
    /// data-quality workbook's template (dossiers, PAKN), else as a person reads it (an
    /// evaluation date).
    pub kept_status: String,
    /// The copy dropped.
    pub dropped: RowRef,
    /// What it had, as `kept_status` says it.
    pub dropped_status: String,
    /// Why the kept copy won, in Vietnamese.
    pub reason: String,
    /// What the copies disagree on besides what decided (unit, field), in Vietnamese; empty
    /// when they agree.
    pub differs: String,
}

/// Where the rows of one file ended up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowAccount {
    /// Data rows read.
    pub read: u64,
    /// Rows in the period's figures.
    pub counted: u64,
    /// Rows quarantined.
    pub quarantined: u64,
    /// Copies of a dossier that another copy replaced.
    pub duplicate: u64,
    /// Withdrawn dossiers, and dossiers never received, excluded from every count.
    pub excluded_withdrawn: u64,
    /// Dossiers with nothing in the period (resolved before it, or received after it).
    pub excluded_outside_period: u64,
    /// Blank rows inside the data, skipped.
    pub blank_rows: u64,
}

impl RowAccount {
    /// Whether every row read is accounted for.
    pub fn balances(&self) -> bool {
        self.read
            == self.counted
                + self.quarantined
                + self.duplicate
                + self.excluded_withdrawn
                + self.excluded_outside_period
    }
}

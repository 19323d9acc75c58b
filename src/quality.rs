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

/// What kind of warning a row drew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WarningKind {
    /// The channel is empty: counted as direct.
    MissingChannel,
    /// The channel is a word the vocabulary lacks: counted as direct.
    UnknownChannel,
    /// The status is empty or unknown: inferred from the dates.
    UnknownStatus,
    /// A yes/no value is unknown: counted as no.
    UnknownFlag,
    /// A fee that is not a number.
    UnknownFee,
    /// No due date: a procedure without an appointment (on time / within the deadline).
    NoDueDate,
    /// A completion date on a dossier whose status is still open: the date is believed.
    CompletedWhileOpen,
    /// A unit the registry does not know.
    UnknownUnit,
    /// No field.
    MissingField,
    /// A PAKN status the vocabulary does not know.
    UnknownPaknStatus,
    /// Evaluations of a file with neither a dossier code nor an evaluation code: counted as
    /// they are, never checked for duplicates.
    UncheckedDuplicates,
    /// Two dossier codes that differ only in case: counted as two dossiers, listed in pairs
    /// (each line's value is the other code of its pair).
    CodeCaseDiffers,
    /// Copies of one dossier that disagree on unit or field: the kept copy's are counted.
    DuplicateDisagrees,
    /// Copies of one record equal on what decides between them (status, dates) but different
    /// elsewhere: the copy with more values, then the one whose first differing value comes
    /// later, is counted ([`crate::normalize::Content`]).
    CopiesDisagree,
    /// Two columns of a header that mean one column: only one is read.
    DuplicateColumn,
    /// A text longer than a spreadsheet cell holds: cut in the workbooks.
    TextCut,
    /// A unit's self-report form of another version (edited questions, another
    /// configuration): nothing it holds counts; the unit must take the current form.
    StaleForm,
    /// A self-report form of another period than the one reported: not counted in it.
    OtherPeriodForm,
    /// A form of a unit that leads tasks, without its "Nhiệm vụ" sheet: the unit's tasks are
    /// not reported.
    TaskSheetMissing,
    /// Tasks the unit leads that its returned form does not list (added to the plan after the
    /// form went out, or their rows deleted): no answer of that unit for them this period (the
    /// unit is asked on its next form); the rest of the form counts. The value names the tasks.
    TaskNotOnForm,
    /// A form of a unit asked report sections, without its «Nội dung báo cáo» sheet: the
    /// unit's words are not in the report.
    TextsSheetMissing,
    /// «Không phát sinh» for a task that is not done on an event: counted as not started.
    NotApplicableTask,
    /// A year-to-date ratio whose sum over the year's quarters exceeds this quarter's total.
    YearToDateOverTotal,
    /// Personal data (a phone number, an e-mail address, an ID number) in a kept free text:
    /// masked; the value says what kind, never the data.
    PersonalDataMasked,
    /// A dossier never received (not yet received, refused at intake): excluded from every
    /// count; the value is the reason.
    NotReceived,
    /// A system statistics table's total (or group) row that is not the sum of its rows, or a
    /// row whose total is not the sum of its parts: the table is read as it is.
    TableTotalMismatch,
}

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

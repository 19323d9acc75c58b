//! The small vocabulary of values every stage shares: cells as files hold them, canonical
//! statuses and channels, and where a row came from.

use std::path::PathBuf;

use chrono::NaiveDateTime;

/// The text of a cell: shared, because an export writes the same few hundred words (units,
/// fields, statuses, procedures) on every one of its rows and a file holds each once
/// ([`crate::ingest::texts`]).
pub type Text = std::sync::Arc<str>;

/// One cell as a spreadsheet or CSV file holds it, before any interpretation.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing in the cell (or only white space).
    #[default]
    Empty,
    /// Text.
    Text(Text),
    /// A number (a serial date is a number until the column says otherwise).
    Number(f64),
    /// A real spreadsheet date or date-time.
    DateTime(NaiveDateTime),
    /// A boolean.
    Bool(bool),
    /// A spreadsheet error value such as `#REF!`.
    Error(String),
    /// A formula whose value the file does not hold (written by a program that does not
    /// compute formulas): the formula's text, without the leading `=`. It is never empty, and
    /// never a date or a number, until a spreadsheet program computes and saves it.
    Formula(String),
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::text::is_blank(s),
            _ => false,
        }
    }

    /// The cell as text, the way a person reads it in the file.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.format("%d/%m/%Y").to_string()
                } else {
                    d.format("%d/%m/%Y %H:%M:%S").to_string()
                }
            }
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
            Cell::Formula(f) => format!("={}", f.strip_prefix('=').unwrap_or(f)),
        }
    }
}

/// Where a dossier is in its life, as the export's status column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Received, not yet processed.
    Received,
    /// Being processed.
    Processing,
    /// Waiting for the applicant to supplement the file (the clock stops).
    Supplement,
    /// Result ready.
    ResultReady,
    /// Refused: resolved with a refusal.
    Refused,
    /// Result handed over.
    Returned,
    /// Withdrawn or cancelled at the applicant's request.
    Withdrawn,
    /// Submitted online, not yet received (the portal's «Mới đăng ký»): not a dossier of any
    /// period, excluded with its reason.
    NotReceived,
    /// Refused at intake, never received (the portal's «Không được tiếp nhận»): excluded with
    /// its reason.
    NotAccepted,
}

impl Status {
    /// How far along the dossier is: the copy with the higher rank wins a duplicate (tthc-rules §2).
    pub fn rank(self) -> u8 {
        // A copy not yet received is the earliest of all; one refused at intake is final.
        match self {
            Status::NotReceived => 0,
            Status::Received => 1,
            Status::Processing => 2,
            Status::Supplement => 3,
            Status::ResultReady | Status::Refused => 4,
            Status::Returned | Status::Withdrawn | Status::NotAccepted => 5,
        }
    }

    /// Whether the status says the dossier has been resolved.
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            Status::ResultReady | Status::Refused | Status::Returned
        )
    }

    /// The code stored in the dossier table.
    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Processing => "processing",
            Status::Supplement => "supplement",
            Status::ResultReady => "result_ready",
            Status::Refused => "refused",
            Status::Returned => "returned",
            Status::Withdrawn => "withdrawn",
            Status::NotReceived => "not_received",
            Status::NotAccepted => "not_accepted",
        }
    }

    /// The status a table code names (the inverse of [`Status::code`]).
    pub fn from_code(code: &str) -> Status {
        match code {
            "received" => Status::Received,
            "supplement" => Status::Supplement,
            "result_ready" => Status::ResultReady,
            "refused" => Status::Refused,
            "returned" => Status::Returned,
            "withdrawn" => Status::Withdrawn,
            "not_received" => Status::NotReceived,
            "not_accepted" => Status::NotAccepted,
            _ => Status::Processing,
        }
    }

    /// Every status (their words in documents are the `dossier` statuses of
    /// `templates/quality/chat-luong.toml`).
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Processing,
        Status::Supplement,
        Status::ResultReady,
        Status::Refused,
        Status::Returned,
        Status::Withdrawn,
        Status::NotReceived,
        Status::NotAccepted,
    ];

    /// Why a dossier of this status is no dossier received, when it is not one: it is excluded
    /// from every count with this reason.
    pub fn not_received_reason(self) -> Option<&'static str> {
        match self {
            Status::NotReceived => Some("chưa được tiếp nhận"),
            Status::NotAccepted => Some("không được tiếp nhận"),
            _ => None,
        }
    }
}

/// How a dossier was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Online (dịch vụ công trực tuyến).
    Online,
    /// In person at the one-stop shop.
    Direct,
    /// By public postal service.
    Postal,
    /// Not known: the export has no channel column (never «in person» by default).
    Unknown,
}

impl Channel {
    /// The code stored in the dossier table.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Direct => "direct",
            Channel::Postal => "postal",
            Channel::Unknown => "unknown",
        }
    }
}

/// One input file of a run.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Position in the input order (later wins a full tie between duplicates).
    pub index: usize,
    /// The file on disk.
    pub path: PathBuf,
    /// The path as reports show it.
    pub display: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Its input kind (`dossier`, `satisfaction`).
    pub kind: &'static str,
    /// The unit of the whole file, when the pipeline names it.
    pub configured_unit: Option<String>,
    /// The text encoding it was decoded from (`UTF-8`, `UTF-16LE`, `Windows-1258` …), for CSV,
    /// text and HTML files; None for workbooks.
    pub encoding: Option<String>,
}

/// Where a row came from: file, sheet and 1-based row number as a spreadsheet program shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowRef {
    /// Index into the run's source files.
    pub file: usize,
    /// Sheet name (the file name for CSV).
    pub sheet: String,
    /// 1-based row number.
    pub row: u32,
}

/// Administrative level of a unit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize,
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
}

/// The revision of the normalization rules, in the store's fingerprint: a stored file
/// normalized under an earlier revision is read again. Raise it when a rule changes what a file
/// normalizes to (2: due dates before the received date quarantined, invisible characters out
/// of codes, two columns meaning one warned about; 3: the "Nhiệm vụ" sheet of self-report forms
/// read into task answers; 4: personal data in kept free text masked; 5: the dossier officer
/// column kept, control characters removed from every cell; 6: the national portal's status and
/// channel words and codes, a second unit column, dossiers never received; 7: the online
/// submission date kept beside the received date, for the reconciliation with the system's
/// statistics).
pub const NORMALIZATION_REVISION: u32 = 7;

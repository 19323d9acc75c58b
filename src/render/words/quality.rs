//! The words of the data-quality workbook: `templates/quality/chat-luong.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use serde::Deserialize;

use super::{check_columns, check_sheet_name, Column};
use crate::quality::WarningKind;

/// The default words, embedded.
pub const DEFAULT: &str = include_str!("../../../templates/quality/chat-luong.toml");

/// Every word of the workbook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityWords {
    /// The title in the file's properties.
    pub document_title: String,
    /// Every sheet's second line (Tera one-liner: district, period_label, period_start,
    /// period_end).
    pub subtitle: String,
    /// The last line of a list cut at its limit (Tera one-liner: n, the rows not listed).
    pub more: String,
    /// The row account of every file.
    pub summary: SummaryWords,
    /// The quarantined rows.
    pub quarantine: Listing,
    /// The warnings.
    pub warnings: Listing,
    /// The duplicates resolved.
    pub duplicates: Listing,
    /// The columns, sheets and values nobody knows.
    pub unknown: UnknownWords,
    /// The rows that are not records.
    pub skipped_rows: Listing,
    /// The units that returned no form.
    pub missing_units: MissingUnitsWords,
    /// The words of the status codes the duplicates of a kind are logged with: kind (each kind
    /// with [`crate::kind::Kind::status_codes`]: `dossier`, `pakn`) → code → word; every code
    /// of the kind has one.
    pub statuses: BTreeMap<String, BTreeMap<String, String>>,
    /// The short name of each kind of warning.
    pub warning_kinds: BTreeMap<WarningKind, String>,
    /// Where the words came from (the locality's file or the default), for messages.
    #[serde(skip)]
    pub origin: String,
}

/// A sheet that lists records.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// Tab name.
    pub sheet: String,
    /// First line.
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
}

/// The row-account sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryWords {
    /// Tab name.
    pub sheet: String,
    /// First line.
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The label of the total row.
    pub total: String,
    /// The balance column's words: the rows add up, they do not.
    pub balance_words: [String; 2],
    /// The line under the table that says how the rows add up.
    pub explanation: String,
    /// The headers of the count of warnings by kind.
    pub by_kind: [String; 2],
}

/// The sheet of unknown columns, sheets passed over and unknown values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownWords {
    /// Tab name.
    pub sheet: String,
    /// First line.
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// What a column no rule reads is called.
    pub unused_column: String,
    /// What a sheet not read is called.
    pub skipped_sheet: String,
    /// What a value outside the vocabulary is called.
    pub unknown_value: String,
}

/// The sheet of units that returned no form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingUnitsWords {
    /// Tab name.
    pub sheet: String,
    /// First line (Tera one-liner: reported, asked).
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The state column's word.
    pub state: String,
}

impl QualityWords {
    /// The locality's `quality/chat-luong.toml`, else the default; refuses a sheet whose column
    /// count differs from what the workbook fills, or a tab name a workbook cannot hold.
    pub fn load(dir: Option<&Path>) -> Result<QualityWords> {
        let (origin, mut w): (String, QualityWords) =
            super::load(dir, "quality", "chat-luong.toml", DEFAULT)?;
        let sheets = [
            ("summary", &w.summary.sheet, &w.summary.columns, 11),
            ("quarantine", &w.quarantine.sheet, &w.quarantine.columns, 8),
            ("warnings", &w.warnings.sheet, &w.warnings.columns, 8),
            ("duplicates", &w.duplicates.sheet, &w.duplicates.columns, 12),
            ("unknown", &w.unknown.sheet, &w.unknown.columns, 5),
            (
                "skipped_rows",
                &w.skipped_rows.sheet,
                &w.skipped_rows.columns,
                5,
            ),
            (
                "missing_units",
                &w.missing_units.sheet,
                &w.missing_units.columns,
                4,
            ),
        ];
        let mut seen: Vec<String> = Vec::new();
        for (table, sheet, columns, n) in sheets {
            check_sheet_name(&origin, table, sheet)?;
            check_columns(&origin, table, columns, n)?;
            let key = sheet.to_lowercase();
            if seen.contains(&key) {
                bail!("mẫu {origin}: hai trang tính cùng tên «{sheet}» — đặt tên khác cho trang [{table}]");
            }
            seen.push(key);
        }
        let kinds = crate::kinds::status_codes();
        for kind in w.statuses.keys() {
            if !kinds.iter().any(|(k, _)| k == kind) {
                bail!(
                    "mẫu {origin}: [statuses.{kind}] — loại tệp không có trạng thái; dùng được: {}",
                    kinds.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                );
            }
        }
        for (kind, codes) in &kinds {
            let words = w.statuses.get(*kind);
            for code in codes {
                if !words.is_some_and(|m| m.contains_key(*code)) {
                    bail!("mẫu {origin}: [statuses.{kind}] thiếu chữ của trạng thái «{code}» — thêm dòng {code} = \"…\"");
                }
            }
            for code in words.into_iter().flat_map(|m| m.keys()) {
                if !codes.contains(&code.as_str()) {
                    bail!(
                        "mẫu {origin}: [statuses.{kind}] không có trạng thái «{code}»; các mã dùng được: {}",
                        codes.join(", ")
                    );
                }
            }
        }
        let known = crate::kinds::warning_kinds();
        for kind in w.warning_kinds.keys() {
            if !known.contains(kind) {
                bail!(
                    "mẫu {origin}: [warning_kinds] không có loại cảnh báo «{kind:?}»; các loại dùng được: {}",
                    known.iter().map(|k| k.id()).collect::<Vec<_>>().join(", ")
                );
            }
        }
        w.origin = origin;
        Ok(w)
    }

    /// The short name of a kind of warning; a locality's file without it stops the workbook.
    pub fn warning(&self, kind: WarningKind) -> Result<&str> {
        match self.warning_kinds.get(&kind) {
            Some(word) => Ok(word),
            None => bail!(
                "mẫu {}: [warning_kinds] thiếu chữ của loại cảnh báo «{kind:?}» — thêm dòng {kind:?} = \"…\" (xem tệp mặc định templates/quality/chat-luong.toml)",
                self.origin
            ),
        }
    }

    /// How the duplicates sheet shows a copy's status: the word of a kind's status code, or the
    /// text as logged for a kind without status words.
    pub fn status<'s>(&'s self, kind: &str, logged: &'s str) -> &'s str {
        self.statuses
            .get(kind)
            .and_then(|m| m.get(logged))
            .map_or(logged, String::as_str)
    }
}

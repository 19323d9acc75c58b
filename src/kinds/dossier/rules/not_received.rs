//! Dossiers that were never received (real-exports.md §2): submitted online and not yet taken
//! in («Mới đăng ký»), or refused at intake («Không được tiếp nhận»). They are no dossiers of any
//! period: excluded from every count whatever the withdrawn practice, counted in the row account
//! like withdrawn ones, and each listed as a warning with its reason.

use anyhow::Result;
use polars::prelude::*;

use crate::model::Status;
use crate::normalize::Sources;
use crate::quality::{Warning, WarningKind};

/// What the rule took out: the rows that still count, the dossiers excluded per file, and one
/// warning per dossier excluded.
pub struct NotReceived {
    /// The rows that count.
    pub keep: BooleanChunked,
    /// Dossiers excluded, per source file.
    pub per_file: Vec<u64>,
    /// One line per dossier excluded, with its reason.
    pub warnings: Vec<Warning>,
}

/// Takes the dossiers that were never received out of the rows `keep` marks.
pub fn apply(frame: &DataFrame, keep: BooleanChunked, n_files: usize) -> Result<NotReceived> {
    let mut per_file = vec![0u64; n_files];
    let mut warnings = Vec::new();
    let status = frame.column("status")?.str()?;
    let ids = frame.column("dossier_id")?.str()?;
    let sources = Sources::of(frame)?;
    let keep: BooleanChunked = keep
        .iter()
        .zip(status.iter())
        .enumerate()
        .map(|(i, (k, s))| {
            let reason = s.and_then(|s| Status::from_code(s).not_received_reason());
            match (k, reason) {
                (Some(true), Some(reason)) => {
                    let at = sources.at(i);
                    per_file[at.file] += 1;
                    warnings.push(Warning {
                        source: at,
                        dossier_id: ids.get(i).unwrap_or("").to_string(),
                        kind: WarningKind::NotReceived,
                        column: "Trạng thái".into(),
                        value: reason.to_string(),
                    });
                    false
                }
                (k, _) => k == Some(true),
            }
        })
        .collect();
    Ok(NotReceived {
        keep,
        per_file,
        warnings,
    })
}

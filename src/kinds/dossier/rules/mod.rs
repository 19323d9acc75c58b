//! Rules: the decisions of tthc-rules §2 that turn the rows read into the dossier table —
//! one record per dossier, and what withdrawn dossiers count as. One file per family.

pub mod dedup;
pub mod not_received;
pub mod withdrawn;

use anyhow::Result;
use polars::prelude::{BooleanChunked, ChunkFull, Column, DataFrame, DataType, PolarsResult};
use rayon::prelude::*;

use crate::config::WithdrawnPractice;
use crate::quality::{Disagreement, DuplicateResolved, Warning};

/// The dossier table after the rules, with what they took out.
#[derive(Debug)]
pub struct Ruled {
    /// One row per dossier that counts.
    pub frame: DataFrame,
    /// Copies that lost to another copy of the same dossier.
    pub duplicates: Vec<DuplicateResolved>,
    /// Withdrawn dossiers excluded, per source file.
    pub withdrawn_per_file: Vec<u64>,
    /// Dossiers never received (not yet received, refused at intake) excluded, per source file.
    pub not_received_per_file: Vec<u64>,
    /// What the rules found that a person should check: copies that disagree, codes that
    /// differ only in case.
    pub warnings: Vec<Warning>,
    /// Copies decided by content that differ elsewhere.
    pub disagreements: Vec<Disagreement>,
    /// The withdrawn dossiers the practice excluded (one record each, never-received ones out):
    /// what explains a system's figures that count them ([`super::super::system_statistics`]).
    pub withdrawn: DataFrame,
}

impl crate::kind::RuledTable for Ruled {
    fn duplicates(&self) -> &[DuplicateResolved] {
        &self.duplicates
    }
    fn warnings(&self, files: &[crate::model::SourceFile]) -> Vec<Warning> {
        let disagreements = self.disagreements.iter().map(|d| d.warning(files));
        self.warnings.iter().cloned().chain(disagreements).collect()
    }
    fn excluded_per_file(&self) -> Vec<u64> {
        self.withdrawn_per_file
            .iter()
            .zip(&self.not_received_per_file)
            .map(|(a, b)| a + b)
            .collect()
    }
}

/// Resolves duplicates, then applies the withdrawn-dossier practice; the table is filtered once.
pub fn apply(frame: DataFrame, practice: WithdrawnPractice, n_files: usize) -> Result<Ruled> {
    let (deduped, kept) = dedup::deduplicate(frame, |frame, keep| {
        crate::memory::trace("hồ sơ: bản trùng");
        let never = not_received::apply(&frame, keep, n_files)?;
        let (counted, withdrawn_per_file) =
            withdrawn::apply(&frame, never.keep.clone(), practice, n_files)?;
        crate::memory::trace("hồ sơ: hồ sơ rút, chưa tiếp nhận");
        let excluded: BooleanChunked = never
            .keep
            .iter()
            .zip(counted.iter())
            .map(|(k, c)| k == Some(true) && c != Some(true))
            .collect();
        let withdrawn = if excluded.any() {
            filter_by_column(frame.clone(), &excluded)?
        } else {
            frame.clear()
        };
        let frame = filter_by_column(frame, &counted)?;
        crate::memory::trace("hồ sơ: lọc bảng");
        Ok((frame, withdrawn, withdrawn_per_file, never))
    })?;
    let (frame, withdrawn, withdrawn_per_file, never) = kept;
    let mut warnings = deduped.warnings;
    warnings.extend(never.warnings);
    Ok(Ruled {
        frame,
        duplicates: deduped.duplicates,
        withdrawn_per_file,
        not_received_per_file: never.per_file,
        warnings,
        disagreements: deduped.disagreements,
        withdrawn,
    })
}

/// The rows [`apply`] keeps — one copy per code, never-received and withdrawn dossiers out by
/// the same rules — without the log of the copies dropped and the per-file counts (for a list
/// that shows neither: `cchc alerts`).
pub fn kept(frame: DataFrame, practice: WithdrawnPractice, n_files: usize) -> Result<DataFrame> {
    let keep = dedup::winners(&frame)?;
    kept_of(frame, keep, practice, n_files)
}

/// [`kept`] of a table that holds only the winning copy of each code already (the store's table
/// of winners, see `Store::winners`): the never-received and withdrawn rules alone.
pub fn kept_of_winners(
    frame: DataFrame,
    practice: WithdrawnPractice,
    n_files: usize,
) -> Result<DataFrame> {
    let all = BooleanChunked::full("keep".into(), true, frame.height());
    kept_of(frame, all, practice, n_files)
}

fn kept_of(
    frame: DataFrame,
    keep: BooleanChunked,
    practice: WithdrawnPractice,
    n_files: usize,
) -> Result<DataFrame> {
    let never = not_received::apply(&frame, keep, n_files)?;
    let (keep, _) = withdrawn::apply(&frame, never.keep, practice, n_files)?;
    filter_by_column(frame, &keep)
}

/// The rows of a table [`kept`] with the practice `ResolvedOnTime` (withdrawn dossiers in)
/// that count under `practice`: the same rows as [`kept`] with `practice` (for `cchc alerts`,
/// whose 766 points keep withdrawn dossiers and whose lists follow the pipeline).
pub fn counted(frame: DataFrame, practice: WithdrawnPractice, n_files: usize) -> Result<DataFrame> {
    if practice == WithdrawnPractice::ResolvedOnTime {
        return Ok(frame);
    }
    let all = BooleanChunked::full("keep".into(), true, frame.height());
    let (keep, _) = withdrawn::apply(&frame, all, practice, n_files)?;
    filter_by_column(frame, &keep)
}

/// Rows from which a table's columns are handed back to the system one by one as they are
/// filtered: below it the table is small and trimming the heap each time costs more than it saves.
const LARGE_TABLE: usize = 1_000_000;

/// The rows `keep` marks, filtered a column at a time on each core: each column read is let go
/// once its filtered copy exists, so a city's table is never held twice. Side by side, as the
/// time is the kernel's (fresh pages for each copy) and one core would leave the other idle.
fn filter_by_column(frame: DataFrame, keep: &BooleanChunked) -> Result<DataFrame> {
    let height = keep.sum().unwrap_or(0) as usize;
    let columns = frame
        .into_columns()
        .into_par_iter()
        .map(|column| {
            // A text column in one chunk: the figures of every period would otherwise stitch
            // the files' chunks together again in each of their steps. Numbers stay in the
            // files' chunks, which the figures read as they are: joining them was a second copy
            // of each.
            let filtered = column.filter(keep)?;
            drop(column);
            let filtered = if filtered.dtype() == &DataType::String {
                filtered.rechunk()
            } else {
                filtered
            };
            if height > LARGE_TABLE {
                crate::memory::release();
            }
            Ok(filtered)
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    Ok(DataFrame::new(height, columns)?)
}

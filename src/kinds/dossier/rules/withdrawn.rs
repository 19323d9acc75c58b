//! Withdrawn or cancelled dossiers: excluded from every count by default; the other practice
//! (resolved on time on their end date) keeps them and lets the form-06 rules classify them.

use anyhow::Result;
use polars::prelude::*;

use crate::config::WithdrawnPractice;

/// Applies the practice to the rows `keep` marks: returns the rows that count, and the withdrawn
/// dossiers excluded per file.
pub fn apply(
    frame: &DataFrame,
    keep: BooleanChunked,
    practice: WithdrawnPractice,
    n_files: usize,
) -> Result<(BooleanChunked, Vec<u64>)> {
    let mut per_file = vec![0u64; n_files];
    if practice == WithdrawnPractice::ResolvedOnTime {
        return Ok((keep, per_file));
    }
    let status = frame.column("status")?.str()?;
    let file = frame.column("file")?.u32()?;
    let counts: BooleanChunked = keep
        .iter()
        .zip(status.iter())
        .zip(file.iter())
        .map(|((k, s), f)| {
            let withdrawn = k == Some(true) && s == Some("withdrawn");
            if withdrawn {
                per_file[f.unwrap_or(0) as usize] += 1;
            }
            k == Some(true) && !withdrawn
        })
        .collect();
    Ok((counts, per_file))
}

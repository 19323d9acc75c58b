//! Withdrawn or cancelled dossiers: excluded from every count by default; the other practice
//! (resolved on time on their end date) keeps them and lets the form-06 rules classify them.

use anyhow::Result;
use polars::prelude::*;

use crate::config::WithdrawnPractice;

/// Applies the practice; returns the remaining table and the count excluded per file.
pub fn apply(
    frame: DataFrame,
    practice: WithdrawnPractice,
    n_files: usize,
) -> Result<(DataFrame, Vec<u64>)> {
    let mut per_file = vec![0u64; n_files];
    if practice == WithdrawnPractice::ResolvedOnTime {
        return Ok((frame, per_file));
    }
    let is_withdrawn = col("status").eq(lit("withdrawn"));
    let excluded = frame
        .clone()
        .lazy()
        .filter(is_withdrawn.clone())
        .select([col("file")])
        .collect()?;
    for f in excluded.column("file")?.u32()?.iter().flatten() {
        per_file[f as usize] += 1;
    }
    let kept = frame.lazy().filter(is_withdrawn.not()).collect()?;
    Ok((kept, per_file))
}

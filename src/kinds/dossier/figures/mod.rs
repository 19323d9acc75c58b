//! The dossier figures of a period: form 06 counts and rates, the late dossiers, and the other
//! shares of tthc-rules §5 — each computed from the ruled dossier table with polars.

pub mod form06;
pub mod late;
pub mod shares;

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::period::Period;

pub use form06::{Counts, Form06, Form06Row};

/// Every dossier figure of a period.
#[derive(Debug)]
pub struct DossierFigures {
    /// Form 06.
    pub form06: Form06,
    /// Dossiers resolved late or pending overdue.
    pub late: Vec<late::LateDossier>,
    /// The other figures of tthc-rules §5, per level.
    pub shares: shares::Shares,
}

/// Computes the dossier figures of a period from the ruled dossier table.
pub fn compute(frame: &DataFrame, period: &Period, n_files: usize) -> Result<DossierFigures> {
    let form06 = form06::form06(frame, period, n_files)?;
    let late = late::late_dossiers(frame, period)?;
    let shares = shares::shares(frame, period, &late)?;
    Ok(DossierFigures {
        form06,
        late,
        shares,
    })
}

/// The previous period's total counts, when the dossier table reaches back to its start (a
/// table that begins later would understate it).
pub fn previous_totals(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
) -> Result<Option<(Period, Counts)>> {
    let Some(previous) = period.previous() else {
        return Ok(None);
    };
    let earliest = frame.column("received")?.i32()?.iter().flatten().min();
    match earliest {
        Some(first) if first <= crate::normalize::day_number(previous.start) => {
            let form = form06::form06(frame, &previous, n_files)?;
            let mut total = Counts::default();
            for row in &form.rows {
                total.add(&row.counts);
            }
            Ok(Some((previous, total)))
        }
        _ => Ok(None),
    }
}

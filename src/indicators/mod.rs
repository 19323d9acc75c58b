//! Indicators: the figures of a period computed from the dossier table (polars), one file per
//! family — form 06 counts and rates, and the plan's targets they decide.

pub mod form06;
pub mod late;
pub mod shares;
pub mod targets;

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::config::Pipeline;
use crate::period::Period;

pub use form06::{Counts, Form06, Form06Row, Rate};
pub use targets::TargetResult;

/// Every figure of a period.
#[derive(Debug)]
pub struct Indicators {
    /// Form 06.
    pub form06: Form06,
    /// Targets decided by the data.
    pub targets: Vec<TargetResult>,
    /// Dossiers resolved late or pending overdue.
    pub late: Vec<late::LateDossier>,
    /// The other figures of tthc-rules §5, per level.
    pub shares: shares::Shares,
}

/// Computes the figures of a period from the dossier table.
pub fn compute(
    pipeline: &Pipeline,
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
) -> Result<Indicators> {
    let form06 = form06::form06(frame, period, n_files)?;
    let late = late::late_dossiers(frame, period)?;
    let shares = shares::shares(frame, period, &late)?;
    let targets = targets::evaluate(pipeline, &form06.rows, &shares);
    Ok(Indicators {
        form06,
        targets,
        late,
        shares,
    })
}

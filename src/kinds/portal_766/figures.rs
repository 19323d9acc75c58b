//! A period's share of the portal's tables: the rows of a table whose window is the period's
//! calendar window ([`Window::of_report`], the window the 766 estimate of `cchc run` scores) are
//! in the period; a table of another window is outside it, like any record. The scores
//! themselves go to the 766 figures ([`crate::index766::in_run`]), which read [`Scores`].

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::kind::{KindFigures, Ruled, RuledTable};
use crate::period::{Period, Window};

/// The tables read, as records (no rule applies to them).
#[derive(Debug)]
pub struct Scores {
    /// One record per row of a registry unit.
    pub frame: DataFrame,
}

impl RuledTable for Scores {}

/// Rows of each file in a table of the period's window, and in a table of another.
#[derive(Debug, Default)]
pub struct PortalFigures {
    /// Rows of each file in a table of the period's window.
    pub in_period_per_file: Vec<u64>,
    /// Rows of each file in a table of another window.
    pub outside_period_per_file: Vec<u64>,
}

/// Splits the rows of every file by window.
pub fn compute(ruled: &Ruled, period: &Period, n_files: usize) -> Result<PortalFigures> {
    let mut out = PortalFigures {
        in_period_per_file: vec![0; n_files],
        outside_period_per_file: vec![0; n_files],
    };
    let frame = &ruled.get::<Scores>(super::ID)?.frame;
    if frame.height() == 0 {
        return Ok(out);
    }
    let window = Window::of_report(period);
    let sources = crate::normalize::Sources::of(frame)?;
    let start = frame.column("window_start")?.i32()?;
    let end = frame.column("window_end")?.i32()?;
    let (s, e) = (
        crate::normalize::day_number(window.start),
        crate::normalize::day_number(window.end),
    );
    for i in 0..frame.height() {
        let file = sources.file(i);
        if start.get(i) == Some(s) && end.get(i) == Some(e) {
            out.in_period_per_file[file] += 1;
        } else {
            out.outside_period_per_file[file] += 1;
        }
    }
    Ok(out)
}

impl KindFigures for PortalFigures {
    fn period_account(&self, file: usize) -> (u64, u64) {
        let at = |v: &[u64]| v.get(file).copied().unwrap_or(0);
        (
            at(&self.in_period_per_file),
            at(&self.outside_period_per_file),
        )
    }
}

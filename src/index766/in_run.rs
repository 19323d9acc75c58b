//! What `cchc run` carries of the 766 index: for each report period, the estimate over the
//! calendar window its id names ([`Window::of_report`]: `2024-Q1` is 01/01–31/03/2024 whatever
//! the pipeline's period rule), for `indicators.json`, the annex sheet «Chỉ số 766» and the
//! paragraph of report section II.2.
//!
//! Why from the tables before `run`'s rules: the 766 rules differ from form 06 (a withdrawal
//! ends a dossier), so [`Facts::of`] applies its own rules to a copy of the frames read
//! (polars columns are shared, the copy is cheap). A portal table among the inputs (kind
//! `portal_766`) of the period's window fills the imported indicators and is reconciled with the
//! estimate ([`portal::reconcile`]); without one the imported indicators stay «chưa có dữ liệu»
//! and no band is given.

use anyhow::Result;
use polars::prelude::DataFrame;
use serde::Serialize;

use super::config::Index766Config;
use super::estimate::{Facts, UnitScore, WindowScores};
use super::portal::{self, GroupCheck};
use crate::config::Pipeline;
use crate::period::{Period, Window};

/// The 766 figures of every period of a run.
#[derive(Debug)]
pub struct RunScores {
    config: Index766Config,
    /// (report period id, the scores of its calendar window, their reconciliation with the
    /// portal's table of that window).
    periods: Vec<(String, WindowScores, Vec<GroupCheck>)>,
}

/// One period's 766 figures and the configuration that scored them.
#[derive(Debug, Clone, Copy)]
pub struct Index766Of<'a> {
    /// Groups, indicators, bands.
    pub config: &'a Index766Config,
    /// The scores of the period's calendar window.
    pub scores: &'a WindowScores,
    /// Per unit and group, the estimate beside the portal's score (empty without its table).
    pub checks: &'a [GroupCheck],
}

impl RunScores {
    /// Scores every period: `index766.toml` beside the pipeline file, else the shipped one;
    /// from the run's ruled tables (`portal_766` and `satisfaction`: those kinds' tables as read).
    pub fn compute(
        pipeline: &Pipeline,
        portal_766: Option<&DataFrame>,
        ruled: &crate::kinds::Ruled,
        satisfaction: Option<DataFrame>,
        n_files: usize,
        periods: &[Period],
    ) -> Result<RunScores> {
        let (config, _) = Index766Config::load_for(&pipeline.path)?;
        let portal_tables = match portal_766 {
            Some(f) if f.height() > 0 => {
                let groups: Vec<String> = config.groups.iter().map(|g| g.id.clone()).collect();
                crate::kinds::portal_766::records::tables(f, &groups, &|i| format!("#{i}"))?
            }
            _ => Vec::new(),
        };
        let periods = {
            let mut facts = Facts::of_run(pipeline, &config, ruled, satisfaction, n_files)?;
            // `run` lists no record that cost points (that is `cchc scorecard`'s workbook).
            facts.limit_lost(Some(0));
            periods
                .iter()
                .map(|p| {
                    let window = Window::of_report(p);
                    let mut scores = facts.score(&window)?;
                    // The portal's tables of the window, in input order: a unit's first row counts.
                    let mut rows = portal_tables
                        .iter()
                        .filter(|(_, w, _)| *w == (window.start, window.end))
                        .map(|(_, _, t)| t.clone());
                    let checks = match rows.next() {
                        Some(mut table) => {
                            rows.for_each(|t| table.rows.extend(t.rows));
                            portal::reconcile(&config, &mut scores, &table)
                        }
                        None => Vec::new(),
                    };
                    Ok((p.id.clone(), scores, checks))
                })
                .collect::<Result<Vec<_>>>()?
        };
        crate::memory::trace("chỉ số 766");
        Ok(RunScores { config, periods })
    }

    /// The figures of one period of the run.
    pub fn of(&self, period: &Period) -> Option<Index766Of<'_>> {
        self.periods
            .iter()
            .find(|(id, _, _)| *id == period.id)
            .map(|(_, scores, checks)| Index766Of {
                config: &self.config,
                scores,
                checks,
            })
    }
}

/// A unit named in the report's paragraph.
#[derive(Debug, Serialize)]
pub struct UnitLine {
    /// Unit name.
    pub name: String,
    /// Points known.
    pub total: f64,
    /// Maxima of the indicators with points.
    pub max: f64,
    /// Other ranked units of the same rank (a tie is said, not hidden behind one name).
    pub others: usize,
}

/// The 766 paragraph of report section II.2.
#[derive(Debug, Serialize)]
pub struct Index766Report {
    /// "quý I năm 2024".
    pub window_label: String,
    /// First day of the window (yyyy-mm-dd).
    pub window_start: String,
    /// Last day of the window (yyyy-mm-dd).
    pub window_end: String,
    /// The locality's estimate.
    pub total: f64,
    /// Maxima of the indicators with points.
    pub max: f64,
    /// The band, when every indicator has points (never without the portal's table).
    pub band: Option<String>,
    /// Units ranked.
    pub ranked: usize,
    /// The best-ranked unit, when two or more are ranked.
    pub best: Option<UnitLine>,
    /// The worst-ranked unit, when two or more are ranked.
    pub worst: Option<UnitLine>,
}

fn line(u: &UnitScore, ranked: &[&UnitScore]) -> UnitLine {
    UnitLine {
        name: u.unit.clone(),
        total: u.total,
        max: u.max,
        others: ranked.iter().filter(|o| o.rank == u.rank).count() - 1,
    }
}

impl Index766Report {
    /// The paragraph's figures of a period.
    pub fn of(of: Index766Of) -> Index766Report {
        let s = of.scores;
        let ranked: Vec<&UnitScore> = s.units.iter().filter(|u| u.rank.is_some()).collect();
        let two = ranked.len() >= 2;
        Index766Report {
            window_label: s.window.label(),
            window_start: s.window.start.to_string(),
            window_end: s.window.end.to_string(),
            total: s.locality.total,
            max: s.locality.max,
            band: s.locality.band.clone(),
            ranked: ranked.len(),
            best: ranked.first().filter(|_| two).map(|u| line(u, &ranked)),
            // The first of the last rank: ranked units come by rank, then name.
            worst: ranked
                .iter()
                .find(|u| u.rank == ranked.last().and_then(|l| l.rank))
                .filter(|_| two)
                .map(|u| line(u, &ranked)),
        }
    }
}

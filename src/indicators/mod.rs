//! Indicators: every kind's figures of one period, and the plan's targets they decide. The
//! kinds compute their own figures (`kinds/<kind>/figures`); this is where a period's figures
//! meet, the one value every document renders from.

pub mod targets;

use anyhow::Result;

use crate::config::Pipeline;
use crate::kinds::dossier::figures::DossierFigures;
use crate::kinds::pakn::figures::PaknFigures;
use crate::kinds::satisfaction::figures::SatisfactionFigures;
use crate::kinds::self_report::figures::SelfReportFigures;
use crate::kinds::Ruled;
use crate::period::Period;

pub use crate::kinds::dossier::figures::{form06, late, shares, Counts, Form06, Form06Row};
pub use crate::rate::Rate;
pub use targets::{TargetGap, TargetResult};

/// Every figure of a period.
#[derive(Debug)]
pub struct Indicators {
    /// Dossier figures: form 06, late dossiers, the shares of tthc-rules §5.
    pub dossier: DossierFigures,
    /// Satisfaction figures.
    pub satisfaction: SatisfactionFigures,
    /// PAKN figures.
    pub pakn: PaknFigures,
    /// Units' self-report figures.
    pub self_report: SelfReportFigures,
    /// The plan's tasks: progress from the units' answers, late ones, counts.
    pub tasks: crate::tasks::TaskFigures,
    /// Targets decided by the data.
    pub targets: Vec<TargetResult>,
    /// Targets the data cannot decide, with the reason («chưa đánh giá được»).
    pub targets_unevaluated: Vec<TargetGap>,
}

impl Indicators {
    /// Records of a file that count in the period, and those with nothing in it.
    pub fn period_account(&self, file: usize) -> (u64, u64) {
        let d = &self.dossier.form06;
        let s = &self.satisfaction;
        let p = &self.pakn;
        let r = &self.self_report;
        let at = |v: &[u64]| v.get(file).copied().unwrap_or(0);
        (
            at(&d.in_period_per_file)
                + at(&s.in_period_per_file)
                + at(&p.in_period_per_file)
                + at(&r.in_period_per_file),
            at(&d.outside_period_per_file)
                + at(&s.outside_period_per_file)
                + at(&p.outside_period_per_file)
                + at(&r.outside_period_per_file),
        )
    }
}

/// Computes the figures of a period from the ruled tables of every kind.
pub fn compute(
    pipeline: &Pipeline,
    ruled: &Ruled,
    period: &Period,
    n_files: usize,
) -> Result<Indicators> {
    let dossier = crate::kinds::dossier::figures::compute(&ruled.dossier.frame, period, n_files)?;
    let satisfaction = crate::kinds::satisfaction::figures::compute(
        &ruled.satisfaction.frame,
        period,
        n_files,
        &crate::kinds::satisfaction::config(pipeline).satisfied,
    )?;
    let pakn = crate::kinds::pakn::figures::compute(
        &ruled.pakn.frame,
        period,
        n_files,
        crate::kinds::pakn::config(pipeline),
        &pipeline.calendar,
    )?;
    let self_report = crate::kinds::self_report::figures::compute(
        &ruled.self_report.frame,
        period,
        n_files,
        crate::kinds::self_report::config(pipeline),
        &pipeline.units,
    )?;
    let (targets, targets_unevaluated) =
        targets::evaluate(pipeline, &dossier, &satisfaction, &pakn, &self_report);
    let answers = crate::kinds::self_report::figures::task_answers(
        &ruled.self_report.frame,
        period,
        &pipeline.units,
        crate::tasks::plan(pipeline),
    )?;
    let tasks = crate::tasks::task_figures(pipeline, period, &answers.answers, &answers.units);
    Ok(Indicators {
        dossier,
        satisfaction,
        pakn,
        self_report,
        tasks,
        targets,
        targets_unevaluated,
    })
}

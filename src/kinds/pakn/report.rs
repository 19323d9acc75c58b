//! The PAKN paragraph of the report's section II.2: the period's counts of the whole locality
//! and target 5's entries, as the report templates read them (`pakn`).

use anyhow::Result;
use serde::Serialize;

use super::figures::{PaknCounts, PaknFigures};
use crate::kind::{ReportContext, ReportPart};

/// Its part of the report templates (`templates/report/parts/`, included by `document.xml` and
/// `bao-cao.html` at its place), embedded: (name under `templates/report/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "parts/pakn.xml",
        include_str!("../../../templates/report/parts/pakn.xml"),
    ),
    (
        "parts/pakn.html",
        include_str!("../../../templates/report/parts/pakn.html"),
    ),
];

/// The PAKN paragraph of section II.2 (none when no PAKN counts in the period).
#[derive(Debug, Serialize)]
pub struct PaknReport {
    /// Received (carried over + new).
    pub received: u64,
    /// Received in the period.
    pub new: u64,
    /// Carried over from the previous period.
    pub carried_over: u64,
    /// Closed in the period.
    pub closed: u64,
    /// Of which answered.
    pub answered: u64,
    /// Of which refused.
    pub refused: u64,
    /// Of which transferred.
    pub transferred: u64,
    /// Closed on time.
    pub on_time: u64,
    /// on time / closed.
    pub on_time_rate: Option<crate::rate::Rate>,
    /// Answered with the result published.
    pub published: u64,
    /// published / answered.
    pub published_share: Option<crate::rate::Rate>,
    /// Open at the end.
    pub pending: u64,
    /// Of which past the answer deadline.
    pub pending_overdue: u64,
    /// Target 5's entries: id, what, the value as read, met.
    pub targets: Vec<(String, String, String, bool)>,
}

/// The paragraph of some figures (none when no PAKN counts in the period).
pub fn view(p: &PaknFigures, ctx: &ReportContext) -> Option<PaknReport> {
    if p.rows.is_empty() {
        return None;
    }
    let mut c = PaknCounts::default();
    for r in &p.rows {
        c.add(&r.counts);
    }
    let targets = ctx
        .targets_of("pakn")
        .map(|t| (t.id.clone(), t.title.clone(), t.shown(), t.met))
        .collect();
    Some(PaknReport {
        received: c.received_total(),
        new: c.new,
        carried_over: c.carried_over,
        closed: c.closed_total(),
        answered: c.answered,
        refused: c.refused,
        transferred: c.transferred,
        on_time: c.closed_on_time,
        on_time_rate: c.on_time_rate(),
        published: c.published,
        published_share: c.published_share(),
        pending: c.pending_total(),
        pending_overdue: c.pending_overdue,
        targets,
    })
}

/// Its part of the report's view.
pub fn parts(p: &PaknFigures, ctx: &ReportContext) -> Result<Vec<ReportPart>> {
    Ok(vec![ReportPart::of("pakn", view(p, ctx))?])
}

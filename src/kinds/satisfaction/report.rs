//! The satisfaction paragraph of the report's section II.2: the whole locality's evaluations,
//! the public-service surveys apart, the targets of satisfaction and the units below theirs, as
//! the report templates read them (`satisfaction`).

use anyhow::Result;
use serde::Serialize;

use super::figures::{LevelCounts, SatisfactionFigures};
use crate::kind::{ReportContext, ReportPart};
use crate::target::{threshold_for_row, trim_number};

/// Its part of the report templates (`templates/report/parts/`, included by `document.xml` and
/// `bao-cao.html` at its place), embedded: (name under `templates/report/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "parts/satisfaction.xml",
        include_str!("../../../templates/report/parts/satisfaction.xml"),
    ),
    (
        "parts/satisfaction.html",
        include_str!("../../../templates/report/parts/satisfaction.html"),
    ),
];

/// A satisfaction figure of a scope: its evaluations, those satisfied, the rate, and the
/// threshold it was held against when below it.
#[derive(Debug, Serialize)]
pub struct SatisfactionLine {
    /// The unit, group or the whole locality.
    pub name: String,
    /// Evaluations.
    pub rated: u64,
    /// Evaluations at a satisfied level.
    pub satisfied: u64,
    /// satisfied / rated.
    pub rate: Option<crate::rate::Rate>,
    /// The threshold as a person reads it ("≥ 95"), when the rate is below it.
    pub below: Option<String>,
}

/// The satisfaction paragraph of section II.2 (none when no evaluation counts in the period).
#[derive(Debug, Serialize)]
pub struct SatisfactionReport {
    /// The whole locality's evaluations of dossier handling (target 4.2), when there are any.
    pub total: Option<SatisfactionLine>,
    /// The public-service units' surveys (target 4.1), apart, when there are any.
    pub public_service: Option<SatisfactionLine>,
    /// The targets of satisfaction (4.1, 4.2) by scope.
    pub targets: Vec<SatisfactionLine>,
    /// Units below their target.
    pub units_below: Vec<SatisfactionLine>,
}

/// The paragraph of some figures (none when no evaluation counts in the period).
pub fn view(s: &SatisfactionFigures, ctx: &ReportContext) -> Option<SatisfactionReport> {
    let p = ctx.pipeline;
    if s.rows.is_empty() {
        return None;
    }
    let line = |name: &str, c: &LevelCounts, below: Option<String>| SatisfactionLine {
        name: name.to_string(),
        rated: c.rated(),
        satisfied: c.satisfied(&s.satisfied_levels),
        rate: s.rate(c),
        below,
    };
    let mut units: Vec<(String, LevelCounts)> = Vec::new();
    for r in &s.rows {
        match units.last_mut() {
            Some((u, c)) if *u == r.unit => c.add(&r.counts),
            _ => units.push((r.unit.clone(), r.counts)),
        }
    }
    let targets = ctx
        .targets_of("satisfaction")
        .map(|t| SatisfactionLine {
            name: format!("{} — {}", t.id, t.scope),
            rated: t.rate.whole,
            satisfied: t.rate.part,
            rate: Some(t.rate),
            below: (!t.met).then(|| t.target_display()),
        })
        .collect();
    let flag = p.flags.satisfaction.as_deref();
    let units_below = units
        .iter()
        .filter_map(|(u, c)| {
            let (op, v) = flag.and_then(|id| threshold_for_row(p, id, u, ""))?;
            let rate = s.rate(c)?;
            (!rate.satisfies(op, v)).then(|| {
                line(
                    u,
                    c,
                    Some(format!(
                        "{} {}",
                        op.symbol(),
                        trim_number(v).replace('.', ",")
                    )),
                )
            })
        })
        .collect();
    let totals = s.totals(&p.units);
    let part = |c: &LevelCounts| (c.rated() > 0).then(|| line(&p.words.whole, c, None));
    Some(SatisfactionReport {
        total: part(&totals.dossier),
        public_service: part(&totals.public_service),
        targets,
        units_below,
    })
}

/// Its part of the report's view.
pub fn parts(s: &SatisfactionFigures, ctx: &ReportContext) -> Result<Vec<ReportPart>> {
    Ok(vec![ReportPart::of("satisfaction", view(s, ctx))?])
}

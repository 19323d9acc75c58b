//! The satisfaction part of the public page (plan target 6): the whole locality's evaluations of
//! dossier handling, the public-service surveys apart, and each level's units with the rates
//! below their target marked (`satisfaction`, null when no evaluation counts in the period) —
//! values the page's satisfaction part (`templates/public/parts/satisfaction.html`,
//! [`TEMPLATES`]) turns into its paragraphs and table. Counts and rates only: no evaluator, no
//! comment.

use anyhow::Result;
use serde::Serialize;

use super::figures::{LevelCounts, SatisfactionFigures};
use crate::config::Op;
use crate::kind::{PublicContext, PublicPart};
use crate::public_parts::{below, per_unit, LevelView};
use crate::rate::Rate;
use crate::target::threshold_for_row;

/// The satisfaction part of the public page's templates, embedded: (name under
/// `templates/public/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[(
    "parts/satisfaction.html",
    include_str!("../../../templates/public/parts/satisfaction.html"),
)];

/// One row of the satisfaction table.
#[derive(Debug, Serialize)]
struct SatisfactionView {
    name: String,
    rated: u64,
    satisfied: u64,
    rate: Option<Rate>,
    below: bool,
}

#[derive(Debug, Serialize)]
struct SatisfactionSection {
    /// Evaluations of dossier handling over every unit (target 4.2), when there are any.
    total: Option<SatisfactionView>,
    /// The public-service units' surveys (target 4.1), apart, when there are any.
    public_service: Option<SatisfactionView>,
    levels: Vec<LevelView<SatisfactionView>>,
}

fn section(s: &SatisfactionFigures, ctx: &PublicContext) -> Option<SatisfactionSection> {
    let pipeline = ctx.pipeline;
    if s.rows.is_empty() {
        return None;
    }
    let flag = pipeline.flags.satisfaction.as_deref();
    let row = |name: &str, c: &LevelCounts, threshold: Option<(Op, f64)>| SatisfactionView {
        name: name.to_string(),
        rated: c.rated(),
        satisfied: c.satisfied(&s.satisfied_levels),
        rate: s.rate(c),
        below: below(s.rate(c), threshold),
    };
    let totals = s.totals(&pipeline.units);
    let part = |c: &LevelCounts| (c.rated() > 0).then(|| row(&pipeline.words.whole, c, None));
    let levels = per_unit(
        s.rows.iter().map(|r| (r.level, r.unit.as_str(), &r.counts)),
        |a, b| a.add(b),
    );
    Some(SatisfactionSection {
        total: part(&totals.dossier),
        public_service: part(&totals.public_service),
        levels: levels
            .into_iter()
            .map(|(level, units)| LevelView {
                name: pipeline.units.level(level).label.clone(),
                units: units
                    .iter()
                    .map(|(u, c)| {
                        let t = flag.and_then(|id| threshold_for_row(pipeline, id, u, ""));
                        row(u, c, t)
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Its part of the page's view: `satisfaction`.
pub fn parts(s: &SatisfactionFigures, ctx: &PublicContext) -> Result<Vec<PublicPart>> {
    Ok(vec![PublicPart::of("satisfaction", section(s, ctx))?])
}

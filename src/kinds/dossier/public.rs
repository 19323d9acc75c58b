//! The dossier part of the public page (plan target 3.3): the whole locality's form-06 figures
//! (`total`), each level's units (`levels`) and each field (`fields`), with the on-time rates
//! below their target marked — values the page's dossier part
//! (`templates/public/parts/dossier.html`, [`TEMPLATES`]) turns into its paragraph and tables.
//! Counts and rates only: no dossier code, no person.

use anyhow::Result;
use serde::Serialize;

use super::figures::{Counts, DossierFigures};
use crate::config::Op;
use crate::figures::NamedCounts;
use crate::kind::{PublicContext, PublicPart};
use crate::public_parts::{below, per_unit, LevelView};
use crate::rate::Rate;
use crate::target::{general_threshold, threshold_for_row};
use crate::text::collate;

/// The dossier part of the public page's templates, embedded: (name under `templates/public/`,
/// text).
pub const TEMPLATES: &[(&str, &str)] = &[(
    "parts/dossier.html",
    include_str!("../../../templates/public/parts/dossier.html"),
)];

/// One row of the timeliness tables.
#[derive(Debug, Serialize)]
struct RowView {
    name: String,
    received: u64,
    resolved: u64,
    on_time: u64,
    on_time_rate: Option<Rate>,
    late: u64,
    late_rate: Option<Rate>,
    pending: u64,
    below: bool,
}

impl RowView {
    fn of(name: &str, c: &Counts, threshold: Option<(Op, f64)>) -> RowView {
        RowView {
            name: name.to_string(),
            received: c.received_total(),
            resolved: c.resolved_total(),
            on_time: c.numerator("on_time_rate"),
            on_time_rate: c.on_time_rate(),
            late: c.resolved_late,
            late_rate: c.late_rate(),
            pending: c.pending_total(),
            below: below(c.on_time_rate(), threshold),
        }
    }
}

/// Its parts of the page's view: `total`, `levels` and `fields`.
pub fn parts(d: &DossierFigures, ctx: &PublicContext) -> Result<Vec<PublicPart>> {
    let pipeline = ctx.pipeline;
    let rows = &d.form06.rows;
    let flag = pipeline.flags.on_time.as_deref();
    let general = flag.and_then(|id| general_threshold(&pipeline.targets, id));
    let mut total = Counts::default();
    for r in rows {
        total.add(&r.counts);
    }
    let levels: Vec<LevelView<RowView>> = per_unit(
        rows.iter().map(|r| (r.level, r.unit.as_str(), &r.counts)),
        |a, b| a.add(b),
    )
    .into_iter()
    .map(|(level, units)| LevelView {
        name: pipeline.units.level(level).label.clone(),
        units: units
            .iter()
            .map(|(u, c)| RowView::of(u, c, general))
            .collect(),
    })
    .collect();
    let mut fields: Vec<(String, Counts)> = Vec::new();
    for r in rows {
        match fields.iter_mut().find(|(f, _)| *f == r.field) {
            Some((_, c)) => c.add(&r.counts),
            None => fields.push((r.field.clone(), r.counts)),
        }
    }
    fields.sort_by(|a, b| collate(&a.0, &b.0));
    let fields: Vec<RowView> = fields
        .iter()
        .map(|(f, c)| {
            let t = flag.and_then(|id| threshold_for_row(pipeline, id, "", f));
            RowView::of(f, c, t)
        })
        .collect();
    Ok(vec![
        PublicPart::of(
            "total",
            Some(RowView::of(&pipeline.words.whole, &total, general)),
        )?,
        PublicPart::of("levels", Some(levels))?,
        PublicPart::of("fields", Some(fields))?,
    ])
}

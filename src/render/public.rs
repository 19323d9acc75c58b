//! `cong-khai-<period>.html`, the page the district publishes on its website (plan targets 3.3
//! and 6): on-time and late rates by unit and by field, and satisfaction rates by unit. It
//! carries no personal data and no dossier codes. The view carries values; the template formats
//! them through the shared filters.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::Datelike;
use serde::Serialize;

use crate::config::{Level, Op, Pipeline};
use crate::figures::NamedCounts;
use crate::indicators::targets::{general_threshold, threshold_for_row};
use crate::indicators::{Counts, Indicators, Rate};
use crate::kinds::satisfaction::figures::LevelCounts;
use crate::period::Period;
use crate::text::collate;

/// The default template, embedded.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/public/cong-khai.html");

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

fn below(rate: Option<Rate>, threshold: Option<(Op, f64)>) -> bool {
    matches!((rate, threshold), (Some(r), Some((op, v))) if !r.satisfies(op, v))
}

#[derive(Debug, Serialize)]
struct LevelView<T> {
    name: String,
    units: Vec<T>,
}

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

/// Everything the page template sees.
#[derive(Debug, Serialize)]
struct PublicView {
    district: String,
    whole: String,
    period_label: String,
    period_start: String,
    period_end: String,
    total: RowView,
    levels: Vec<LevelView<RowView>>,
    fields: Vec<RowView>,
    satisfaction: Option<SatisfactionSection>,
    rule: &'static str,
    year: i32,
}

/// The rows of each level that has any, in registry level order, summed per unit.
fn per_unit<'r, C: Clone + 'r>(
    rows: impl Iterator<Item = (Level, &'r str, &'r C)>,
    add: impl Fn(&mut C, &C),
) -> Vec<(Level, Vec<(String, C)>)> {
    let mut out: Vec<(Level, Vec<(String, C)>)> = Vec::new();
    for (level, unit, c) in rows {
        if out.last().is_none_or(|(l, _)| *l != level) {
            out.push((level, Vec::new()));
        }
        let units = &mut out.last_mut().expect("pushed").1;
        match units.last_mut() {
            Some((u, acc)) if u == unit => add(acc, c),
            _ => units.push((unit.to_string(), c.clone())),
        }
    }
    out
}

fn satisfaction_section(pipeline: &Pipeline, ind: &Indicators) -> Option<SatisfactionSection> {
    let s = &ind.satisfaction();
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

fn view(pipeline: &Pipeline, period: &Period, ind: &Indicators) -> PublicView {
    let rows = &ind.dossier().form06.rows;
    let flag = pipeline.flags.on_time.as_deref();
    let general = flag.and_then(|id| general_threshold(&pipeline.targets, id));
    let mut total = Counts::default();
    for r in rows {
        total.add(&r.counts);
    }
    let levels = per_unit(
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
    PublicView {
        district: pipeline.district.clone(),
        whole: pipeline.words.whole.clone(),
        period_label: period.label(),
        period_start: period.start.to_string(),
        period_end: period.end.to_string(),
        total: RowView::of(&pipeline.words.whole, &total, general),
        levels,
        fields: fields
            .iter()
            .map(|(f, c)| {
                let t = flag.and_then(|id| threshold_for_row(pipeline, id, "", f));
                RowView::of(f, c, t)
            })
            .collect(),
        satisfaction: satisfaction_section(pipeline, ind),
        rule: period.rule.as_str(),
        year: period.end.year(),
    }
}

/// Renders the page, with the district's `public/cong-khai.html` when it has one.
pub fn render(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    page(ctx.templates(), ctx.pipeline, ctx.period, ctx.indicators)
}

/// The page of some figures.
pub fn page(
    templates_dir: Option<&Path>,
    pipeline: &Pipeline,
    period: &Period,
    ind: &Indicators,
) -> Result<Vec<u8>> {
    let tera = crate::render::templates::load(
        templates_dir,
        "public",
        &[("cong-khai.html", DEFAULT_TEMPLATE)],
    )?;
    let ctx = tera::Context::from_serialize(view(pipeline, period, ind))?;
    Ok(tera
        .render("cong-khai.html", &ctx)
        .context("không dựng được trang công khai")?
        .into_bytes())
}

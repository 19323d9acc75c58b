//! `cong-khai-<period>.html`, the page the district publishes on its website (plan targets 3.3
//! and 6). It carries no personal data and no dossier codes. The view carries values; the
//! template formats them through the shared filters.
//!
//! This is the machinery and the page's frame (locality, period, the closing note). Each input
//! kind brings its part — a view under its keys ([`crate::kind::KindFigures::public_view`]:
//! the dossiers' `total`, `levels` and `fields`, the evaluations' `satisfaction`) and its
//! template part ([`crate::kind::Kind::public_templates`], `templates/public/parts/`) that
//! `cong-khai.html` includes where its sections go — so the page names no kind here.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::Datelike;
use serde::Serialize;

use crate::config::Pipeline;
use crate::indicators::Indicators;
use crate::period::Period;

/// The default template, embedded.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/public/cong-khai.html");

/// Everything the page template sees.
#[derive(Debug, Serialize)]
struct PublicView {
    district: String,
    whole: String,
    period_label: String,
    period_start: String,
    period_end: String,
    /// The kinds' parts by key ([`crate::kind::KindFigures::public_view`]), each read by its
    /// kind's part of the templates (`parts/`).
    #[serde(flatten)]
    kinds: serde_json::Map<String, serde_json::Value>,
    rule: &'static str,
    year: i32,
}

fn view(pipeline: &Pipeline, period: &Period, ind: &Indicators) -> Result<PublicView> {
    Ok(PublicView {
        district: pipeline.district.clone(),
        whole: pipeline.words.whole.clone(),
        period_label: period.label(),
        period_start: period.start.to_string(),
        period_end: period.end.to_string(),
        kinds: ind
            .kinds
            .public_views(&crate::kind::PublicContext { pipeline })?,
        rule: period.rule.as_str(),
        year: period.end.year(),
    })
}

/// Renders the page, with the district's `public/cong-khai.html` when it has one.
pub fn render(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    page(ctx.templates(), ctx.pipeline, ctx.period, ctx.indicators)
}

/// Loads the page's templates: the kinds' parts, then the page, each replaced by the
/// district's `public/<name>` where that file exists.
fn load_templates(dir: Option<&Path>) -> Result<tera::Tera> {
    let files: Vec<(&str, &str)> = crate::kinds::public_templates()
        .copied()
        .chain([("cong-khai.html", DEFAULT_TEMPLATE)])
        .collect();
    crate::render::templates::load(dir, "public", &files)
}

/// The page of some figures.
pub fn page(
    templates_dir: Option<&Path>,
    pipeline: &Pipeline,
    period: &Period,
    ind: &Indicators,
) -> Result<Vec<u8>> {
    let tera = load_templates(templates_dir)?;
    let ctx = tera::Context::from_serialize(view(pipeline, period, ind)?)?;
    Ok(tera
        .render("cong-khai.html", &ctx)
        .context("không dựng được trang công khai")?
        .into_bytes())
}

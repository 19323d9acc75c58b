//! `cong-khai-<period>.html`, the page the district publishes on its website (plan targets 3.3
//! and 6): on-time and late rates by unit and by field. It carries no personal data and no
//! dossier codes; satisfaction rates appear once a satisfaction source exists.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::Datelike;
use serde::Serialize;
use tera::Tera;

use crate::config::{Level, Pipeline};
use crate::indicators::targets::{field_threshold, threshold_for_field};
use crate::indicators::{Counts, Indicators};
use crate::period::{Period, PeriodRule};
use crate::render::vn;
use crate::text::collate;

/// The default template, embedded.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/public/cong-khai.html");

/// One row of the page.
#[derive(Debug, Serialize)]
struct RowView {
    name: String,
    received: String,
    resolved: String,
    on_time: String,
    on_time_rate: String,
    on_time_pct: String,
    late: String,
    late_rate: String,
    late_pct: String,
    pending: String,
    below: bool,
}

impl RowView {
    fn of(name: &str, c: &Counts, threshold: Option<(&str, f64)>) -> RowView {
        let below = matches!((c.on_time_rate(), threshold), (Some(r), Some((op, v))) if !r.satisfies(op, v));
        RowView {
            name: name.to_string(),
            received: vn::int(c.received_total()),
            resolved: vn::int(c.resolved_total()),
            on_time: vn::int(c.resolved_early + c.resolved_on_time),
            on_time_rate: vn::rate(c.on_time_rate()),
            on_time_pct: vn::percent(c.on_time_rate()),
            late: vn::int(c.resolved_late),
            late_rate: vn::rate(c.late_rate()),
            late_pct: vn::percent(c.late_rate()),
            pending: vn::int(c.pending_total()),
            below,
        }
    }
}

#[derive(Debug, Serialize)]
struct LevelView {
    name: &'static str,
    units: Vec<RowView>,
}

/// Everything the page template sees.
#[derive(Debug, Serialize)]
struct PublicView {
    title: String,
    district: String,
    period_label: String,
    period_range: String,
    total: RowView,
    levels: Vec<LevelView>,
    fields: Vec<RowView>,
    satisfaction: String,
    rule_note: String,
    year: i32,
}

fn view(pipeline: &Pipeline, period: &Period, ind: &Indicators) -> PublicView {
    let rows = &ind.form06.rows;
    let general = field_threshold(&pipeline.targets, "3.1");
    let mut total = Counts::default();
    let mut levels = Vec::new();
    for level in [Level::Huyen, Level::Xa] {
        let mut units: Vec<(String, Counts)> = Vec::new();
        for r in rows.iter().filter(|r| r.level == level) {
            total.add(&r.counts);
            match units.last_mut() {
                Some((u, c)) if *u == r.unit => c.add(&r.counts),
                _ => units.push((r.unit.clone(), r.counts.clone())),
            }
        }
        if !units.is_empty() {
            levels.push(LevelView {
                name: level.label(),
                units: units
                    .iter()
                    .map(|(u, c)| RowView::of(u, c, general))
                    .collect(),
            });
        }
    }
    let mut fields: Vec<(String, Counts)> = Vec::new();
    for r in rows {
        match fields.iter_mut().find(|(f, _)| *f == r.field) {
            Some((_, c)) => c.add(&r.counts),
            None => fields.push((r.field.clone(), r.counts.clone())),
        }
    }
    fields.sort_by(|a, b| collate(&a.0, &b.0));
    PublicView {
        title: format!(
            "CÔNG KHAI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {}",
            period.label().to_uppercase()
        ),
        district: pipeline.district.clone(),
        period_label: period.label(),
        period_range: format!(
            "(Từ ngày {} đến ngày {})",
            vn::short_date(period.start),
            vn::short_date(period.end)
        ),
        total: RowView::of("Toàn huyện", &total, general),
        levels,
        fields: fields
            .iter()
            .map(|(f, c)| {
                RowView::of(
                    f,
                    c,
                    threshold_for_field(&pipeline.targets, &pipeline.fields, "3.1", f),
                )
            })
            .collect(),
        satisfaction: "Chưa có dữ liệu đánh giá mức độ hài lòng của kỳ này trong hệ thống.".into(),
        rule_note: match period.rule {
            PeriodRule::Nd09 => "kỳ báo cáo của Nghị định 09/2019/NĐ-CP".into(),
            PeriodRule::Calendar => "tháng dương lịch".into(),
        },
        year: period.end.year(),
    }
}

/// Renders the page, with the district's `public/cong-khai.html` when it has one.
pub fn render(
    templates_dir: Option<&Path>,
    pipeline: &Pipeline,
    period: &Period,
    ind: &Indicators,
) -> Result<Vec<u8>> {
    let own = templates_dir
        .map(|d| d.join("public").join("cong-khai.html"))
        .filter(|p| p.exists());
    let text = match &own {
        Some(p) => std::fs::read_to_string(p)
            .with_context(|| format!("không đọc được mẫu {}", p.display()))?,
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let mut tera = Tera::default();
    tera.add_raw_template("cong-khai.html", &text)
        .context("mẫu trang công khai không hợp lệ")?;
    let ctx = tera::Context::from_serialize(view(pipeline, period, ind))?;
    Ok(tera
        .render("cong-khai.html", &ctx)
        .context("không dựng được trang công khai")?
        .into_bytes())
}

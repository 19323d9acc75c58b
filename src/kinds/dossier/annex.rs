//! The dossier kind's sheets of the configured annex: `form06` (form 06 grouped by level, unit
//! and field, with subtotals and a grand total), `late_dossiers` (resolved late or pending
//! overdue; `filter = "without_apology"` lists those without a letter) and `on_time_by_unit`
//! (the on-time rate per unit, with a chart). Their templates are `templates/annexes/`.

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::figures::late::LateDossier;
use super::figures::{Counts, DossierFigures};
use crate::annex_sheet::{
    cached_rate, columns, counts_sheet, empty_note, LateFilter, OfferedSheet, SheetContext,
    SheetTemplate,
};
use crate::config::{Level, Pipeline};
use crate::figures::NamedCounts;
use crate::sheet::{cell_name, ChartModel, ModelCell, SheetModel, Style, Value};
use crate::target::general_threshold;

/// Its sheets' default templates (`templates/annexes/`, listed in `phu-luc.toml`), embedded; a
/// locality's own file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "bieu-06.toml",
        include_str!("../../../templates/annexes/bieu-06.toml"),
    ),
    (
        "ho-so-tre-han.toml",
        include_str!("../../../templates/annexes/ho-so-tre-han.toml"),
    ),
    (
        "thieu-xin-loi.toml",
        include_str!("../../../templates/annexes/thieu-xin-loi.toml"),
    ),
    (
        "ty-le-dung-han.toml",
        include_str!("../../../templates/annexes/ty-le-dung-han.toml"),
    ),
];

/// The sheet kinds it offers and the values of each.
pub fn offered() -> Vec<OfferedSheet> {
    vec![
        OfferedSheet::counts::<Counts>("form06"),
        OfferedSheet::new(
            "late_dossiers",
            &[
                "dossier_id",
                "level",
                "unit",
                "field",
                "procedure",
                "received",
                "due",
                "completed",
                "days_late",
                "state",
                "apology",
            ],
        )
        .with_words(&["state_words", "apology_words"]),
        OfferedSheet::new(
            "on_time_by_unit",
            &[
                "level",
                "unit",
                "resolved_total",
                "on_time",
                "on_time_rate",
                "target",
            ],
        )
        .with_words(&["chart.target_name"]),
    ]
}

/// The body of one of its sheets, under the frame already drawn.
pub fn sheet(
    f: &DossierFigures,
    t: &SheetTemplate,
    m: SheetModel,
    body: u32,
    ctx: &SheetContext,
) -> Result<SheetModel> {
    Ok(match t.kind.as_str() {
        "form06" => {
            let rows = f
                .form06
                .rows
                .iter()
                .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts))
                .collect();
            counts_sheet(t, m, body, ctx.pipeline, rows)?
        }
        "late_dossiers" => {
            let all = &f.late;
            let late: Vec<&LateDossier> = all
                .iter()
                .filter(|d| t.filter == LateFilter::All || d.apology == Some(false))
                .collect();
            // Nothing listed because no export says: not the same as every apology given.
            let unknown = all.iter().filter(|d| d.apology.is_none()).count();
            match &t.unknown {
                Some(text)
                    if t.filter == LateFilter::WithoutApology && late.is_empty() && unknown > 0 =>
                {
                    let mut t = t.clone();
                    t.empty = Some(text.replace("{n}", &crate::vn::int(unknown as u64)));
                    late_sheet(&t, m, body, &late, &ctx.pipeline.units)
                }
                _ => late_sheet(t, m, body, &late, &ctx.pipeline.units),
            }
        }
        "on_time_by_unit" => on_time_sheet(t, m, body, f, ctx.pipeline)?,
        other => bail!("lỗi chương trình: loại hồ sơ không có trang phụ lục «{other}»"),
    })
}

/// The dossiers of a late list, one row each, laid out side by side: a city's list is the
/// longest work of its annex, and the sheet is written only once it is laid out.
fn late_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    late: &[&LateDossier],
    levels: &crate::config::Units,
) -> SheetModel {
    // A city's list holds millions of cells: each is made straight into its place.
    let columns = t.columns.len();
    m.cells
        .par_extend((0..late.len() * columns).into_par_iter().map(|k| {
            let (i, c) = (k / columns, k % columns);
            let (value, style) = late_cell(t, i, late[i], &t.columns[c].value, levels);
            ModelCell {
                row: body + i as u32,
                col: c as u16,
                value,
                style,
            }
        }));
    if late.is_empty() {
        empty_note(t, &mut m, body);
    }
    m
}

/// The cell of column `value` in the `i`-th row (0-based) of a late list.
fn late_cell(
    t: &SheetTemplate,
    i: usize,
    d: &LateDossier,
    value: &str,
    levels: &crate::config::Units,
) -> (Value, Style) {
    match value {
        "stt" => (Value::Text((i + 1).to_string()), Style::TextCenter),
        "dossier_id" => (Value::Text(d.dossier_id.clone()), Style::Text),
        "level" => (
            Value::Text(levels.level(d.level).label.clone()),
            Style::Text,
        ),
        "unit" => (Value::Text(d.unit.clone()), Style::Text),
        "field" => (Value::Text(d.field.clone()), Style::Text),
        "procedure" => (
            Value::Text(d.procedure.clone().unwrap_or_default()),
            Style::Text,
        ),
        "received" => (Value::Date(d.received), Style::Date),
        "due" => (Value::Date(d.due), Style::Date),
        "completed" => match d.completed {
            Some(x) => (Value::Date(x), Style::Date),
            None => (Value::Blank, Style::Date),
        },
        "days_late" => (Value::Number(d.days_late as f64), Style::Integer),
        "state" => (
            Value::Text(t.state_word(d.state.index()).to_string()),
            Style::Text,
        ),
        _ => (
            Value::Text(
                t.apology_word(match d.apology {
                    Some(true) => 0,
                    Some(false) => 1,
                    None => 2,
                })
                .to_string(),
            ),
            Style::TextCenter,
        ),
    }
}

/// The on-time rate of each unit (its fields added up), flagged below the chart's target, with
/// a column chart of the rates and the target's line.
fn on_time_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    f: &DossierFigures,
    pipeline: &Pipeline,
) -> Result<SheetModel> {
    let cols = columns(t);
    let mut units: Vec<(Level, String, Counts)> = Vec::new();
    for r in &f.form06.rows {
        match units.last_mut() {
            Some((l, u, c)) if *l == r.level && *u == r.unit => c.add(&r.counts),
            _ => units.push((r.level, r.unit.clone(), r.counts)),
        }
    }
    let target_id = t.chart.as_ref().and_then(|c| c.target.clone());
    let threshold = match &target_id {
        Some(id) => match general_threshold(&pipeline.targets, id) {
            Some(t) => Some(t),
            None => bail!(
                "mẫu phụ lục «{}»: không có chỉ tiêu «{id}» theo lĩnh vực trong targets.toml",
                t.name
            ),
        },
        None => None,
    };
    for (i, (level, unit, counts)) in units.iter().enumerate() {
        let row = body + i as u32;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            let on_time = counts.numerator("on_time_rate");
            let (value, style) = match col.value.as_str() {
                "stt" => (Value::Text((i + 1).to_string()), Style::TextCenter),
                "level" => (
                    Value::Text(pipeline.units.level(*level).label.clone()),
                    Style::Text,
                ),
                "unit" => (Value::Text(unit.clone()), Style::Text),
                "resolved_total" => (
                    Value::Number(counts.resolved_total() as f64),
                    Style::Integer,
                ),
                "on_time" => (Value::Number(on_time as f64), Style::Integer),
                "on_time_rate" => {
                    let value = match (cols.get("resolved_total"), cols.get("on_time")) {
                        (Some(tc), Some(oc)) => {
                            let (tn, on) = (cell_name(row, *tc), cell_name(row, *oc));
                            Value::Formula {
                                formula: format!("=IF({tn}=0,\"—\",ROUND({on}/{tn}*100,2))"),
                                cached: cached_rate(counts.on_time_rate()),
                            }
                        }
                        _ => match counts.on_time_rate() {
                            Some(r) => Value::Number(r.rounded()),
                            None => Value::Text("—".into()),
                        },
                    };
                    let flagged = matches!((counts.on_time_rate(), threshold), (Some(r), Some((op, v))) if !r.satisfies(op, v));
                    (
                        value,
                        if flagged {
                            Style::RateFlagged
                        } else {
                            Style::Rate
                        },
                    )
                }
                _ => match threshold {
                    Some((_, v)) => (Value::Number(v), Style::Rate),
                    None => (Value::Blank, Style::Rate),
                },
            };
            m.set(row, c, value, style);
        }
    }
    if let (Some(chart), false) = (&t.chart, units.is_empty()) {
        let (Some(&category_col), Some(&value_col)) = (cols.get("unit"), cols.get("on_time_rate"))
        else {
            bail!(
                "mẫu phụ lục «{}»: biểu đồ cần các cột unit và on_time_rate",
                t.name
            );
        };
        let last = body + units.len() as u32 - 1;
        m.chart = Some(ChartModel {
            title: chart.title.clone(),
            category_col,
            value_col,
            target_col: cols.get("target").copied().filter(|_| threshold.is_some()),
            first_row: body,
            last_row: last,
            at_row: last + 2,
            value_name: t.columns[value_col as usize].header.join(" "),
            target_name: chart
                .target_name
                .as_deref()
                .unwrap_or_default()
                .replace("{target}", target_id.as_deref().unwrap_or_default()),
        });
    }
    Ok(m)
}

//! The PAKN kind's sheets of the configured annex: `pakn` (the counts grouped by level, unit
//! and field, with subtotals and a grand total) and `pakn_late` (closed late in the period or
//! pending past their deadline at its end). Their templates are `templates/annexes/`.

use anyhow::{bail, Result};

use super::figures::{LatePakn, PaknCounts, PaknFigures};
use crate::annex_sheet::{counts_sheet, empty_note, OfferedSheet, SheetContext, SheetTemplate};
use crate::config::Pipeline;
use crate::sheet::{SheetModel, Style, Value};

/// Its sheets' default templates (`templates/annexes/`, listed in `phu-luc.toml`), embedded; a
/// locality's own file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "phan-anh-kien-nghi.toml",
        include_str!("../../../templates/annexes/phan-anh-kien-nghi.toml"),
    ),
    (
        "pakn-tre-han.toml",
        include_str!("../../../templates/annexes/pakn-tre-han.toml"),
    ),
];

/// The sheet kinds it offers and the values of each.
pub fn offered() -> Vec<OfferedSheet> {
    vec![
        OfferedSheet::counts::<PaknCounts>("pakn"),
        OfferedSheet::new(
            "pakn_late",
            &[
                "code",
                "level",
                "unit",
                "field",
                "received",
                "due",
                "closed",
                "working_days_late",
                "state",
            ],
        ),
    ]
}

/// The body of one of its sheets, under the frame already drawn.
pub fn sheet(
    f: &PaknFigures,
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    ctx: &SheetContext,
) -> Result<SheetModel> {
    Ok(match t.kind.as_str() {
        "pakn" if f.rows.is_empty() => {
            empty_note(t, &mut m, body);
            m
        }
        "pakn" => {
            let rows = f
                .rows
                .iter()
                .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts))
                .collect();
            counts_sheet(t, m, body, ctx.pipeline, rows)?
        }
        "pakn_late" => late_sheet(t, m, body, &f.late, ctx.pipeline),
        other => bail!("lỗi chương trình: loại PAKN không có trang phụ lục «{other}»"),
    })
}

/// The late PAKN, one row each; `state` says closed late or still open (`state_words`).
fn late_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    late: &[LatePakn],
    pipeline: &Pipeline,
) -> SheetModel {
    for (i, d) in late.iter().enumerate() {
        let row = body + i as u32;
        for (c, col) in t.columns.iter().enumerate() {
            let (value, style) = match col.value.as_str() {
                "stt" => (Value::Text((i + 1).to_string()), Style::TextCenter),
                "code" => (Value::Text(d.code.clone()), Style::Text),
                "level" => (
                    Value::Text(pipeline.units.level(d.level).label.clone()),
                    Style::Text,
                ),
                "unit" => (Value::Text(d.unit.clone()), Style::Text),
                "field" => (Value::Text(d.field.clone()), Style::Text),
                "received" => (Value::Date(d.received), Style::Date),
                "due" => (Value::Date(d.due), Style::Date),
                "closed" => match d.closed {
                    Some(x) => (Value::Date(x), Style::Date),
                    None => (Value::Blank, Style::Date),
                },
                "working_days_late" => (Value::Number(d.working_days_late as f64), Style::Integer),
                _ => (
                    Value::Text(
                        t.state_word(if d.closed.is_some() { 0 } else { 1 })
                            .to_string(),
                    ),
                    Style::Text,
                ),
            };
            m.set(row, c as u16, value, style);
        }
    }
    if late.is_empty() {
        empty_note(t, &mut m, body);
    }
    m
}

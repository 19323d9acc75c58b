//! The annex sheet «Đối chiếu số liệu hệ thống»: for each statistics table of the period, the
//! cells where the system and cchc differ, with the practices and dossiers that explain them.
//! Words in `templates/system-statistics/doi-chieu.toml` (a locality's copy overrides them).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::figures::SystemStatisticsFigures;
use super::reconcile::Rule;
use crate::kind::AnnexContext;
use crate::sheet::{fit_row_heights, Merge, SheetModel, Style, Value};

const DEFAULT: &str = include_str!("../../../templates/system-statistics/doi-chieu.toml");

/// The sheet's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    /// The sheet's name.
    sheet: String,
    /// Its title.
    title: String,
    /// A table's line: {file} {sheet} {start} {end} {matching} {compared} {checked}.
    table: String,
    /// The note under the title.
    note: String,
    /// Said of a table whose every cell agrees.
    no_difference: String,
    /// A row not compared: {row} {label} {why}.
    not_compared: String,
    /// Column headers.
    columns: Columns,
    /// What each practice is called.
    rules: BTreeMap<Rule, String>,
}

/// Column headers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    /// Row number.
    number: String,
    /// Level.
    level: String,
    /// Unit or field.
    unit: String,
    /// The count.
    count: String,
    /// The system's value.
    system: String,
    /// cchc's value.
    cchc: String,
    /// system − cchc.
    difference: String,
    /// The practices and dossiers.
    explained_by: String,
}

/// The sheet, when the period has a table.
pub fn sheets(f: &SystemStatisticsFigures, ctx: &AnnexContext) -> Result<Vec<SheetModel>> {
    if f.reconciliations.is_empty() {
        return Ok(Vec::new());
    }
    let (origin, text) = crate::template_file::own_or_default(
        ctx.templates,
        "system-statistics",
        "doi-chieu.toml",
        DEFAULT,
    )?;
    let w: Words = crate::config::errors::parse_toml(&text).with_context(|| {
        format!("mẫu {origin} không hợp lệ — sửa theo tệp mặc định templates/system-statistics/doi-chieu.toml")
    })?;
    let config = &super::config(ctx.pipeline).config;
    let c = &w.columns;
    let mut m = SheetModel {
        name: w.sheet.chars().take(31).collect(),
        font: "Times New Roman".into(),
        font_size: 11.0,
        widths: vec![6.0, 10.0, 30.0, 26.0, 10.0, 10.0, 11.0, 48.0],
        ..SheetModel::default()
    };
    let last = 7;
    let line = |m: &mut SheetModel, row: u32, text: String, style: Style| {
        m.merges.push(Merge {
            first_row: row,
            first_col: 0,
            last_row: row,
            last_col: last,
            text,
            style,
        });
    };
    line(&mut m, 0, w.title.clone(), Style::Title);
    line(&mut m, 1, w.note.clone(), Style::Note);
    let mut row = 3;
    for (file, r) in &f.reconciliations {
        let file = ctx.files.get(*file).map_or("", |f| f.display.as_str());
        let table_line = w
            .table
            .replace("{file}", file)
            .replace("{sheet}", &r.sheet)
            .replace("{start}", &crate::vn::short_date(ctx.period.start))
            .replace("{end}", &crate::vn::short_date(ctx.period.end))
            .replace("{matching}", &crate::vn::int(r.rows_matching))
            .replace("{compared}", &crate::vn::int(r.rows_compared))
            .replace("{checked}", &crate::vn::int(r.checked));
        line(&mut m, row, table_line, Style::AgencyBold);
        row += 1;
        let headers = [
            &c.number,
            &c.level,
            &c.unit,
            &c.count,
            &c.system,
            &c.cchc,
            &c.difference,
            &c.explained_by,
        ];
        for (col, h) in headers.iter().enumerate() {
            m.set(row, col as u16, Value::Text((*h).clone()), Style::Header);
        }
        row += 1;
        if r.differences.is_empty() {
            line(&mut m, row, w.no_difference.clone(), Style::Text);
            row += 1;
        }
        for (i, d) in r.differences.iter().enumerate() {
            let level = d
                .level
                .map(|l| ctx.pipeline.units.level(l).label.clone())
                .unwrap_or_default();
            let name = d.unit.as_deref().or(d.field.as_deref()).unwrap_or("");
            let explained = d
                .explained_by
                .iter()
                .flatten()
                .map(|e| {
                    let rule = w.rules.get(&e.rule).cloned().unwrap_or_default();
                    format!("{rule}: {}", e.dossiers.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ");
            m.set(row, 0, Value::Number((i + 1) as f64), Style::Integer);
            m.set(row, 1, Value::Text(level), Style::Text);
            m.set(row, 2, Value::Text(name.to_string()), Style::Text);
            m.set(
                row,
                3,
                Value::Text(config.label(d.count).to_string()),
                Style::Text,
            );
            m.set(row, 4, Value::Number(d.system as f64), Style::Integer);
            m.set(row, 5, Value::Number(d.cchc as f64), Style::Integer);
            m.set(row, 6, Value::Number(d.difference as f64), Style::Integer);
            m.set(row, 7, Value::Text(explained), Style::Text);
            row += 1;
        }
        for (at, label, why) in &r.not_compared {
            let text = w
                .not_compared
                .replace("{row}", &at.to_string())
                .replace("{label}", label)
                .replace("{why}", why);
            line(&mut m, row, text, Style::Note);
            row += 1;
        }
        row += 1;
    }
    fit_row_heights(&mut m, 3);
    Ok(vec![m])
}

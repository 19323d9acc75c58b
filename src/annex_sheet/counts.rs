//! The grouped-counts sheet: levels, their units, each unit's fields, with subtotals and a grand
//! total, for any counts a kind declares (`crate::counts!`) — form 06, satisfaction, PAKN. Totals
//! are sums and rates formulas over a row's cells, so the workbook stays auditable.

use std::collections::HashMap;

use anyhow::Result;

use super::template::{SheetTemplate, TotalPosition};
use crate::config::{Level, Pipeline};
use crate::figures::NamedCounts;
use crate::rate::Rate;
use crate::sheet::{cell_name, Cached, SheetModel, Style, Value};
use crate::target::threshold_of_measure;

/// The counts a grouped sheet adds up: named values, each a sum of base counts, and rates,
/// each a sum of values over another — so totals are sums and rates formulas over a row's cells.
pub trait SheetCounts: Clone + Default {
    /// A named value.
    fn value(&self, key: &str) -> Option<u64>;
    /// Adds another row's counts.
    fn add(&mut self, o: &Self);
    /// A rate column: the values over which it is taken, and the rate.
    fn rate(&self, key: &str) -> (Vec<&'static str>, &'static str, Option<Rate>);
    /// The measure a rate column shows, for its target's threshold.
    fn measure(key: &str) -> Option<&'static str>;
}

/// Counts a kind declares (`crate::counts!`): values, rates and their measures by name.
impl<C: NamedCounts> SheetCounts for C {
    fn value(&self, key: &str) -> Option<u64> {
        NamedCounts::value(self, key)
    }
    fn add(&mut self, o: &Self) {
        NamedCounts::add(self, o)
    }
    fn rate(&self, key: &str) -> (Vec<&'static str>, &'static str, Option<Rate>) {
        match C::rate_def(key) {
            Some(def) => (def.part.to_vec(), def.whole, self.rate_of(def)),
            None => (Vec::new(), "", None),
        }
    }
    fn measure(key: &str) -> Option<&'static str> {
        C::rate_def(key).map(|d| d.measure)
    }
}

/// A rate formula's cached result: the rounded rate, or "—" when there is none.
pub fn cached_rate(r: Option<Rate>) -> Cached {
    match r {
        Some(r) => Cached::Number(r.rounded()),
        None => Cached::Text("—".into()),
    }
}

/// A rate cell: a formula over the row's own value cells when they are on the sheet, else the value.
pub fn rate_cell<C: SheetCounts>(
    key: &str,
    row: u32,
    cols: &HashMap<&str, u16>,
    counts: &C,
) -> Value {
    let at = |k: &str| cols.get(k).map(|c| cell_name(row, *c));
    let (parts, whole, rate) = counts.rate(key);
    let cells: Option<Vec<String>> = parts.iter().map(|p| at(p)).collect();
    let formula = match (cells, at(whole)) {
        (Some(cells), Some(t)) => {
            let top = if cells.len() > 1 {
                format!("({})", cells.join("+"))
            } else {
                cells.join("+")
            };
            Some(format!("=IF({t}=0,\"—\",ROUND({top}/{t}*100,2))"))
        }
        _ => None,
    };
    match (formula, rate) {
        (Some(formula), r) => Value::Formula {
            formula,
            cached: cached_rate(r),
        },
        (None, Some(r)) => Value::Number(r.rounded()),
        (None, None) => Value::Text("—".into()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Total,
    Subtotal,
    Detail,
}

struct Line<C> {
    kind: RowKind,
    stt: String,
    name: String,
    /// A detail row's unit and field.
    detail: Option<(String, String)>,
    counts: C,
    /// Rows whose counts this row adds up: a contiguous range (unit) or a list (level, total).
    parts: Parts,
}

enum Parts {
    None,
    Range(u32, u32),
    List(Vec<u32>),
}

/// A grouped counts sheet: levels, units, their fields, with subtotals and a grand total.
/// `rows` are (level, unit, field, counts), a unit's rows together; the levels are the
/// pipeline's, in its order. Totals are formulas over the rows they add up, rates formulas over
/// their row's own cells, both with their results cached.
pub fn counts_sheet<C: SheetCounts>(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    pipeline: &Pipeline,
    rows: Vec<(Level, &str, &str, C)>,
) -> Result<SheetModel> {
    let cols = super::columns(t);
    // Plan the lines: levels, units, fields; totals know the rows they add up.
    let mut lines: Vec<Line<C>> = Vec::new();
    let mut level_rows = Vec::new();
    let mut total = C::default();
    let offset = if t.total_position == TotalPosition::Top {
        1
    } else {
        0
    };
    for info in &pipeline.units.levels {
        let level = info.id;
        let of_level: Vec<_> = rows.iter().filter(|r| r.0 == level).collect();
        let level_line = lines.len();
        lines.push(Line {
            kind: RowKind::Subtotal,
            stt: info.numeral.clone(),
            name: info.label.clone(),
            detail: None,
            counts: C::default(),
            parts: Parts::List(Vec::new()),
        });
        let mut unit_rows = Vec::new();
        let mut level_counts = C::default();
        let mut units: Vec<&str> = of_level.iter().map(|r| r.1).collect();
        units.dedup();
        for (ui, unit) in units.iter().enumerate() {
            let unit_line = lines.len();
            let mut unit_counts = C::default();
            lines.push(Line {
                kind: RowKind::Subtotal,
                stt: (ui + 1).to_string(),
                name: unit.to_string(),
                detail: None,
                counts: C::default(),
                parts: Parts::None,
            });
            for r in of_level.iter().filter(|r| r.1 == *unit) {
                unit_counts.add(&r.3);
                lines.push(Line {
                    kind: RowKind::Detail,
                    stt: String::new(),
                    name: if r.2.is_empty() {
                        t.blank_field().to_string()
                    } else {
                        r.2.to_string()
                    },
                    detail: Some((r.1.to_string(), r.2.to_string())),
                    counts: r.3.clone(),
                    parts: Parts::None,
                });
            }
            let first = body + offset + unit_line as u32 + 1;
            let last = body + offset + lines.len() as u32 - 1;
            lines[unit_line].parts = Parts::Range(first, last);
            level_counts.add(&unit_counts);
            lines[unit_line].counts = unit_counts;
            unit_rows.push(body + offset + unit_line as u32);
        }
        total.add(&level_counts);
        lines[level_line].counts = level_counts;
        lines[level_line].parts = Parts::List(unit_rows);
        level_rows.push(body + offset + level_line as u32);
    }
    let total_line = Line {
        kind: RowKind::Total,
        stt: String::new(),
        name: t.total_label().to_string(),
        detail: None,
        counts: total,
        parts: Parts::List(level_rows),
    };
    let mut placed: Vec<(u32, Line<C>)> = Vec::new();
    let body_len = lines.len() as u32;
    if t.total_position == TotalPosition::Top {
        placed.push((body, total_line));
        placed.extend(
            lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| (body + 1 + i as u32, l)),
        );
    } else {
        placed.extend(
            lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| (body + i as u32, l)),
        );
        placed.push((body + body_len, total_line));
    }
    for (row, line) in &placed {
        let (text_style, int_style, rate_style) = match line.kind {
            RowKind::Total => (Style::TotalText, Style::TotalInteger, Style::TotalRate),
            RowKind::Subtotal => (
                Style::SubtotalText,
                Style::SubtotalInteger,
                Style::SubtotalRate,
            ),
            RowKind::Detail => (Style::Text, Style::Integer, Style::Rate),
        };
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            let key = col.value.as_str();
            if key == "stt" {
                m.set(
                    *row,
                    c,
                    Value::Text(line.stt.clone()),
                    if line.kind == RowKind::Detail {
                        Style::TextCenter
                    } else {
                        text_style
                    },
                );
            } else if key == "name" {
                let style = if line.kind == RowKind::Detail {
                    Style::TextIndent
                } else {
                    text_style
                };
                m.set(*row, c, Value::Text(line.name.clone()), style);
            } else if let Some(v) = line.counts.value(key) {
                let value = match &line.parts {
                    Parts::None => Value::Number(v as f64),
                    Parts::Range(a, b) if a > b => Value::Number(v as f64),
                    Parts::Range(a, b) => Value::Formula {
                        formula: format!("=SUM({}:{})", cell_name(*a, c), cell_name(*b, c)),
                        cached: Cached::Number(v as f64),
                    },
                    Parts::List(list) if list.is_empty() => Value::Number(v as f64),
                    Parts::List(list) => Value::Formula {
                        formula: format!(
                            "={}",
                            list.iter()
                                .map(|r| cell_name(*r, c))
                                .collect::<Vec<_>>()
                                .join("+")
                        ),
                        cached: Cached::Number(v as f64),
                    },
                };
                m.set(*row, c, value, int_style);
            } else {
                let value = rate_cell(key, *row, &cols, &line.counts);
                let mut style = rate_style;
                if let (Some(id), Some((unit, field))) = (&col.flag_target, &line.detail) {
                    let rate = line.counts.rate(key).2;
                    if let (Some(r), Some((op, v))) = (
                        rate,
                        threshold_of_measure(pipeline, id, C::measure(key), unit, field),
                    ) {
                        if !r.satisfies(op, v) {
                            style = Style::RateFlagged;
                        }
                    }
                }
                m.set(*row, c, value, style);
            }
        }
    }
    m.freeze_col = cols.get("name").map(|c| c + 1).unwrap_or(0);
    Ok(m)
}

//! Templates + figures → sheet models. Each sheet kind offers named values; the template
//! chooses which to show, in which columns, under which headers. Totals are formulas with their
//! results cached, so the workbook stays auditable and shows numbers even unrecalculated.

use std::collections::HashMap;

use anyhow::{bail, Result};
use serde::Serialize;

use super::model::{cell_name, Cached, ChartModel, Merge, SheetModel, Style, TextRule, Value};
use super::template::{LateFilter, SheetKind, SheetTemplate, TotalPosition};
use crate::config::{Level, Pipeline};
use crate::figures::NamedCounts;
use crate::indicators::late::LateDossier;
use crate::indicators::targets::{general_threshold, threshold_of_measure};
use crate::indicators::{Counts, Indicators, Rate};
use crate::kinds::pakn::figures::{LatePakn, PaknCounts};
use crate::kinds::satisfaction::figures::SatisfactionCounts;
use crate::period::Period;
pub(crate) use crate::sheet::{fit_row_heights, row_height, text_lines};

/// The value names a sheet kind offers to its template's columns.
pub fn offered(kind: SheetKind) -> Vec<&'static str> {
    let mut v = vec!["stt"];
    match kind {
        SheetKind::Form06 => {
            v.push("name");
            v.extend(Counts::names());
            v.extend(Counts::RATES.iter().map(|r| r.name));
        }
        SheetKind::Targets => {
            v.extend_from_slice(&["id", "title", "scope", "value", "target", "verdict"])
        }
        SheetKind::LateDossiers => v.extend_from_slice(&[
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
        ]),
        SheetKind::Pakn => {
            v.push("name");
            v.extend(PaknCounts::names());
            v.extend(PaknCounts::RATES.iter().map(|r| r.name));
        }
        SheetKind::PaknLate => v.extend_from_slice(&[
            "code",
            "level",
            "unit",
            "field",
            "received",
            "due",
            "closed",
            "working_days_late",
            "state",
        ]),
        SheetKind::SelfReport => v.extend_from_slice(&[
            "code",
            "name",
            "measure_unit",
            "value",
            "total",
            "figure",
            "reported",
        ]),
        SheetKind::TaskProgress => v.extend_from_slice(&[
            "number",
            "section",
            "task",
            "product",
            "lead",
            "lead_units",
            "partners",
            "deadline",
            "due",
            "status",
            "leads_reported",
            "completed",
            "evidence",
            "late",
        ]),
        SheetKind::UnitTexts => v.extend_from_slice(&["unit", "number", "prompt", "text"]),
        SheetKind::TaskAnswers => v.extend_from_slice(&[
            "unit",
            "number",
            "task",
            "deadline",
            "due",
            "status",
            "completed",
            "evidence",
            "reported_in",
            "late",
        ]),
        SheetKind::Satisfaction => {
            v.push("name");
            v.extend(SatisfactionCounts::names());
            v.extend(SatisfactionCounts::RATES.iter().map(|r| r.name));
        }
        SheetKind::OnTimeByUnit => v.extend_from_slice(&[
            "level",
            "unit",
            "resolved_total",
            "on_time",
            "on_time_rate",
            "target",
        ]),
        SheetKind::Index766 => v.extend_from_slice(super::index766::VALUES),
    }
    v
}

/// Whether a sheet kind offers a value name.
pub fn offers(kind: SheetKind, key: &str) -> bool {
    offered(kind).contains(&key)
}

/// The words the title lines may use.
#[derive(Debug, Serialize)]
pub struct TitleView {
    /// "Huyện Hóc Môn".
    pub district: String,
    /// "HUYỆN HÓC MÔN".
    pub district_upper: String,
    /// "quý I năm 2024".
    pub period_label: String,
    /// "15/12/2023".
    pub period_start: String,
    /// "14/03/2024".
    pub period_end: String,
    /// "2024-Q1".
    pub period_id: String,
    /// The total of every unit, "Toàn huyện".
    pub whole: String,
    /// Dossiers received in the period from exports with no channel column: counted in the
    /// totals, in neither channel column (the form-06 note says how many).
    pub new_unknown_channel: u64,
    /// The 766 window: "quý I năm 2024", "01/01/2024", "31/03/2024" (empty without 766 figures).
    pub window_label: String,
    /// First day of the 766 window.
    pub window_start: String,
    /// Last day of the 766 window.
    pub window_end: String,
    /// The portal's published table of the window filled the indicators it scores.
    pub window_portal: bool,
    /// The units and groups whose estimate is off the portal's score by more than the
    /// tolerance: "<unit> — <group>".
    pub portal_flagged: Vec<String>,
}

impl TitleView {
    /// The title words of a district and period.
    pub fn new(district: &str, whole: &str, period: &Period) -> TitleView {
        TitleView {
            district: district.to_string(),
            district_upper: district.to_uppercase(),
            period_label: period.label(),
            period_start: period.start.format("%d/%m/%Y").to_string(),
            period_end: period.end.format("%d/%m/%Y").to_string(),
            period_id: period.id.clone(),
            whole: whole.to_string(),
            new_unknown_channel: 0,
            window_label: String::new(),
            window_start: String::new(),
            window_end: String::new(),
            window_portal: false,
            portal_flagged: Vec::new(),
        }
    }
}

fn render_line(line: &str, view: &TitleView) -> Result<String> {
    crate::render::templates::one_line(line, &tera::Context::from_serialize(view)?)
}

/// Builds the title block and the header; returns the model and the first body row.
fn frame(t: &SheetTemplate, view: &TitleView) -> Result<(SheetModel, u32)> {
    let n = t.columns.len() as u16;
    let last = n - 1;
    let mut m = SheetModel {
        name: t.name.clone(),
        font: t.font.clone(),
        font_size: t.font_size,
        widths: t.columns.iter().map(|c| c.width).collect(),
        ..SheetModel::default()
    };
    let left_last = last.min(1);
    let right_first = if n > 4 { n - 3 } else { last };
    let top = t.top_left.len().max(t.top_right.len()) as u32;
    for (i, line) in t.top_left.iter().enumerate() {
        let style = if i + 1 == t.top_left.len() {
            Style::AgencyBold
        } else {
            Style::Agency
        };
        m.merges.push(Merge {
            first_row: i as u32,
            first_col: 0,
            last_row: i as u32,
            last_col: left_last,
            text: render_line(line, view)?,
            style,
        });
    }
    for (i, line) in t.top_right.iter().enumerate() {
        m.merges.push(Merge {
            first_row: i as u32,
            first_col: right_first,
            last_row: i as u32,
            last_col: last,
            text: render_line(line, view)?,
            style: Style::FormCode,
        });
    }
    let mut row = if top > 0 { top + 1 } else { 0 };
    for (i, line) in t.title.iter().enumerate() {
        m.merges.push(Merge {
            first_row: row,
            first_col: 0,
            last_row: row,
            last_col: last,
            text: render_line(line, view)?,
            style: if i == 0 {
                Style::Title
            } else {
                Style::Subtitle
            },
        });
        row += 1;
    }
    if let Some(note) = &t.note {
        let text = render_line(note, view)?;
        // A note longer than the table is wide wraps: its row as tall as its lines.
        let lines = text_lines(Some(m.widths.iter().sum()), &text);
        if lines > 1 {
            m.row_heights.push((row, row_height(lines, t.font_size)));
        }
        m.merges.push(Merge {
            first_row: row,
            first_col: 0,
            last_row: row,
            last_col: last,
            text,
            style: Style::Note,
        });
        row += 1;
    }
    row += 1;
    let header_top = row;
    let depth = t.columns.iter().map(|c| c.header.len()).max().unwrap_or(1);
    for level in 0..depth {
        // The row as tall as its longest header of one row: bold words wrap whole, a line more.
        let mut lines = 1usize;
        let mut c = 0usize;
        while c < t.columns.len() {
            let col = &t.columns[c];
            if col.header.len() <= level {
                c += 1;
                continue;
            }
            let mut end = c;
            while end + 1 < t.columns.len()
                && t.columns[end + 1].header.len() > level
                && t.columns[end + 1].header[..=level] == col.header[..=level]
            {
                end += 1;
            }
            let last_level = if end == c && col.header.len() == level + 1 {
                depth - 1
            } else {
                level
            };
            if last_level == level {
                let width: f64 = t.columns[c..=end].iter().map(|c| c.width).sum();
                let needed = text_lines(Some(width), &col.header[level]);
                if needed > 1 {
                    lines = lines.max(needed + 1);
                }
            }
            m.merges.push(Merge {
                first_row: header_top + level as u32,
                first_col: c as u16,
                last_row: header_top + last_level as u32,
                last_col: end as u16,
                text: col.header[level].clone(),
                style: Style::Header,
            });
            c = end + 1;
        }
        let height = row_height(lines, t.font_size).max(32.0);
        m.row_heights.push((header_top + level as u32, height));
    }
    row = header_top + depth as u32;
    if t.numbering_row {
        for c in 0..n {
            m.set(
                row,
                c,
                Value::Text(format!("({})", c + 1)),
                Style::Numbering,
            );
        }
        row += 1;
    }
    m.repeat_rows = Some((header_top, row - 1));
    m.freeze_row = row;
    Ok((m, row))
}

/// Everything the annex sheets are built from.
pub struct AnnexInput<'a> {
    /// The pipeline (district, targets, fields).
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
    /// The figures.
    pub indicators: &'a Indicators,
    /// The 766 estimate of the period's calendar window.
    pub index766: Option<crate::index766::in_run::Index766Of<'a>>,
}

/// Builds every sheet of the annex workbook.
pub fn build_sheets(templates: &[SheetTemplate], input: &AnnexInput) -> Result<Vec<SheetModel>> {
    let mut view = TitleView::new(
        &input.pipeline.district,
        &input.pipeline.words.whole,
        input.period,
    );
    view.new_unknown_channel = input
        .indicators
        .dossier()
        .form06
        .rows
        .iter()
        .map(|r| r.counts.new_unknown_channel)
        .sum();
    if let Some(i) = input.index766 {
        let w = &i.scores.window;
        view.window_label = w.label();
        view.window_start = w.start.format("%d/%m/%Y").to_string();
        view.window_end = w.end.format("%d/%m/%Y").to_string();
        view.window_portal = !i.checks.is_empty();
        view.portal_flagged = i
            .checks
            .iter()
            .filter(|c| c.flagged)
            .map(|c| format!("{} — {}", c.unit, c.group_name))
            .collect();
    }
    templates
        .iter()
        .map(|t| {
            let expanded;
            let t = if t.kind == SheetKind::Index766 {
                expanded = super::index766::expand(t, input.index766);
                &expanded
            } else {
                t
            };
            let (m, body) = frame(t, &view)?;
            let mut m = match t.kind {
                SheetKind::Form06 => {
                    let rows = input
                        .indicators
                        .dossier()
                        .form06
                        .rows
                        .iter()
                        .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts))
                        .collect();
                    counts_sheet(t, m, body, input, rows)?
                }
                SheetKind::Satisfaction => {
                    let s = &input.indicators.satisfaction();
                    let rows = s
                        .rows
                        .iter()
                        .map(|r| {
                            let c = SatisfactionCounts::of(&r.counts, &s.satisfied_levels);
                            (r.level, r.unit.as_str(), r.field.as_str(), c)
                        })
                        .collect();
                    if s.rows.is_empty() {
                        let mut m = m;
                        empty_note(t, &mut m, body);
                        m
                    } else {
                        counts_sheet(t, m, body, input, rows)?
                    }
                }
                SheetKind::Targets => targets_sheet(t, m, body, input),
                SheetKind::LateDossiers => {
                    let all = &input.indicators.dossier().late;
                    let late: Vec<LateDossier> = all
                        .iter()
                        .filter(|d| t.filter == LateFilter::All || d.apology == Some(false))
                        .cloned()
                        .collect();
                    // Nothing listed because no export says: not the same as every apology given.
                    let unknown = all.iter().filter(|d| d.apology.is_none()).count();
                    match &t.unknown {
                        Some(text)
                            if t.filter == LateFilter::WithoutApology
                                && late.is_empty()
                                && unknown > 0 =>
                        {
                            let mut t = t.clone();
                            t.empty = text.replace("{n}", &crate::vn::int(unknown as u64));
                            late_sheet(&t, m, body, &late, &input.pipeline.units)
                        }
                        _ => late_sheet(t, m, body, &late, &input.pipeline.units),
                    }
                }
                SheetKind::OnTimeByUnit => on_time_sheet(t, m, body, input)?,
                SheetKind::Pakn => {
                    let p = &input.indicators.pakn();
                    if p.rows.is_empty() {
                        let mut m = m;
                        empty_note(t, &mut m, body);
                        m
                    } else {
                        let rows = p
                            .rows
                            .iter()
                            .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts))
                            .collect();
                        counts_sheet(t, m, body, input, rows)?
                    }
                }
                SheetKind::PaknLate => {
                    pakn_late_sheet(t, m, body, &input.indicators.pakn().late, input.pipeline)
                }
                SheetKind::SelfReport => self_report_sheet(t, m, body, input),
                SheetKind::TaskProgress => task_progress_sheet(t, m, body, input),
                SheetKind::TaskAnswers => task_answers_sheet(t, m, body, input),
                SheetKind::UnitTexts => unit_texts_sheet(t, m, body, input),
                SheetKind::Index766 => super::index766::sheet(t, m, body, input.index766),
            };
            fit_row_heights(&mut m, body);
            Ok(m)
        })
        .collect()
}

/// The counts a grouped sheet adds up: named values, each a sum of base counts, and rates,
/// each a sum of values over another — so totals are sums and rates formulas over a row's cells.
trait SheetCounts: Clone + Default {
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

/// A line across the whole sheet (a section's or a unit's heading, a note): the row after it.
fn full_width_line(m: &mut SheetModel, row: u32, last_col: u16, text: String, style: Style) -> u32 {
    m.merges.push(Merge {
        first_row: row,
        first_col: 0,
        last_row: row,
        last_col,
        text,
        style,
    });
    row + 1
}

fn cached_rate(r: Option<Rate>) -> Cached {
    match r {
        Some(r) => Cached::Number(r.rounded()),
        None => Cached::Text("—".into()),
    }
}

/// A rate cell: a formula over the row's own value cells when they are on the sheet, else the value.
fn rate_cell<C: SheetCounts>(key: &str, row: u32, cols: &HashMap<&str, u16>, counts: &C) -> Value {
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
fn counts_sheet<C: SheetCounts>(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
    rows: Vec<(Level, &str, &str, C)>,
) -> Result<SheetModel> {
    let cols: HashMap<&str, u16> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.value.as_str(), i as u16))
        .collect();
    // Plan the lines: levels, units, fields; totals know the rows they add up.
    let mut lines: Vec<Line<C>> = Vec::new();
    let mut level_rows = Vec::new();
    let mut total = C::default();
    let offset = if t.total_position == TotalPosition::Top {
        1
    } else {
        0
    };
    for info in &input.pipeline.units.levels {
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
                        t.blank_field.clone()
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
        name: t.total_label.clone(),
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
    let pipeline = input.pipeline;
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

fn targets_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> SheetModel {
    let targets = &input.indicators.targets;
    let words = &input.pipeline.words;
    let mut verdict_col = None;
    for (i, r) in targets.iter().enumerate() {
        let row = body + i as u32;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            let (value, style) = match col.value.as_str() {
                "stt" => (Value::Text((i + 1).to_string()), Style::TextCenter),
                "id" => (Value::Text(r.id.clone()), Style::TextCenter),
                "title" => (Value::Text(r.title.clone()), Style::Text),
                "scope" => (Value::Text(r.scope.clone()), Style::Text),
                "value" => (
                    Value::Number(r.number()),
                    if r.count.is_some() {
                        Style::Integer
                    } else {
                        Style::Rate
                    },
                ),
                "target" => (Value::Text(r.target_display()), Style::TextCenter),
                _ => {
                    verdict_col = Some(c);
                    (
                        Value::Text(if r.met { &words.met } else { &words.missed }.clone()),
                        Style::TextCenter,
                    )
                }
            };
            m.set(row, c, value, style);
        }
    }
    // Targets the data cannot decide follow, with why: «chưa có dữ liệu», «Chưa đánh giá được: …».
    let gaps = &input.indicators.targets_unevaluated;
    let no_data = t.state_words.first().cloned().unwrap_or_default();
    let not_evaluated = t.state_words.get(1).cloned().unwrap_or_default();
    for (i, g) in gaps.iter().enumerate() {
        let n = targets.len() + i;
        let row = body + n as u32;
        for (c, col) in t.columns.iter().enumerate() {
            let (value, style) = match col.value.as_str() {
                "stt" => (Value::Text((n + 1).to_string()), Style::TextCenter),
                "id" => (Value::Text(g.id.clone()), Style::TextCenter),
                "title" => (Value::Text(g.title.clone()), Style::Text),
                "scope" => (Value::Text(g.scope.clone()), Style::Text),
                "value" => (Value::Text(no_data.clone()), Style::TextCenter),
                "target" => (
                    Value::Text(g.target_shown().trim_end_matches(" %").to_string()),
                    Style::TextCenter,
                ),
                _ => (
                    Value::Text(format!("{not_evaluated}: {}", g.reason)),
                    Style::Text,
                ),
            };
            m.set(row, c as u16, value, style);
        }
    }
    if targets.is_empty() && gaps.is_empty() {
        empty_note(t, &mut m, body);
    } else if let (Some(c), false) = (verdict_col, targets.is_empty()) {
        let last = body + targets.len() as u32 - 1;
        for (equals, style) in [(&words.met, Style::Met), (&words.missed, Style::Missed)] {
            m.rules.push(TextRule {
                first_row: body,
                last_row: last,
                col: c,
                equals: equals.clone(),
                style,
            });
        }
    }
    m
}

fn late_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    late: &[LateDossier],
    levels: &crate::config::Units,
) -> SheetModel {
    for (i, d) in late.iter().enumerate() {
        let row = body + i as u32;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            let (value, style) = match col.value.as_str() {
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
                "state" => (Value::Text(d.state.label().into()), Style::Text),
                _ => (
                    Value::Text(match d.apology {
                        Some(true) => "Có".into(),
                        Some(false) => "Không".into(),
                        None => "—".into(),
                    }),
                    Style::TextCenter,
                ),
            };
            m.set(row, c, value, style);
        }
    }
    if late.is_empty() {
        empty_note(t, &mut m, body);
    }
    m
}

fn pakn_late_sheet(
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
                        if d.closed.is_some() {
                            &t.state_words[0]
                        } else {
                            &t.state_words[1]
                        }
                        .clone(),
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

/// The self-report answers: for each question a row with its district figure and how many
/// units answered, then one row per unit asked (its answer, or the template's word for a unit
/// that returned no form).
fn self_report_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> SheetModel {
    let f = &input.indicators.self_report();
    let cfg = &crate::kinds::self_report::config(input.pipeline);
    let missing_word = t.state_words.first().cloned().unwrap_or_default();
    let unanswered_word = t.state_words.get(1).cloned().unwrap_or_default();
    let mut row = body;
    if f.reported.is_empty() {
        empty_note(t, &mut m, body);
        return m;
    }
    let number = |v: Option<f64>, style: Style| match v {
        Some(v) => (Value::Number(v), style),
        None => (Value::Blank, style),
    };
    for (i, q) in cfg.questions.iter().enumerate() {
        let Some(fig) = f.question(q.id()) else {
            continue;
        };
        let e = &q.entry;
        let d = fig.district.as_ref();
        for (c, col) in t.columns.iter().enumerate() {
            let (value, style) = match col.value.as_str() {
                "stt" => (Value::Text((i + 1).to_string()), Style::TotalText),
                "code" => (Value::Text(e.id.clone()), Style::TotalText),
                "name" => (Value::Text(e.text.clone()), Style::TotalText),
                "measure_unit" => (Value::Text(e.measure_unit.clone()), Style::TotalText),
                "value" => number(d.map(|d| d.value), Style::TotalInteger),
                "total" => number(d.and_then(|d| d.total), Style::TotalInteger),
                "figure" => match d.and_then(|d| d.rate) {
                    Some(r) => (Value::Number(r.rounded()), Style::TotalRate),
                    None => (Value::Blank, Style::TotalRate),
                },
                _ => (
                    Value::Text(format!(
                        "{}/{} đơn vị đã báo cáo",
                        fig.answers.len(),
                        q.asked.len()
                    )),
                    Style::TotalText,
                ),
            };
            m.set(row, c as u16, value, style);
        }
        row += 1;
        for unit in &q.asked {
            let answer = fig.answers.iter().find(|a| &a.unit == unit);
            let missing = f.missing.iter().any(|(_, u)| u == unit);
            for (c, col) in t.columns.iter().enumerate() {
                let (value, style) = match col.value.as_str() {
                    "stt" | "code" | "measure_unit" => (Value::Blank, Style::Text),
                    "name" => (Value::Text(unit.clone()), Style::TextIndent),
                    "value" => match answer {
                        Some(a) if a.text.is_some() => {
                            (Value::Text(a.text.clone().unwrap_or_default()), Style::Text)
                        }
                        Some(a) if e.kind == crate::kinds::self_report::AnswerType::YesNo => (
                            Value::Text(
                                input
                                    .pipeline
                                    .vocabulary
                                    .yes_no_choices
                                    .get(usize::from(a.value != Some(1.0)))
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            Style::TextCenter,
                        ),
                        Some(a) => number(a.value, Style::Integer),
                        None => (Value::Blank, Style::Integer),
                    },
                    "total" => number(answer.and_then(|a| a.total), Style::Integer),
                    "figure" => match answer.and_then(|a| Some((a.value?, a.total?))) {
                        Some((v, t)) => match Rate::of(v.round() as u64, t.round() as u64) {
                            Some(r) => (Value::Number(r.rounded()), Style::Rate),
                            None => (Value::Blank, Style::Rate),
                        },
                        None => (Value::Blank, Style::Rate),
                    },
                    _ => match (answer, missing) {
                        (Some(_), _) => (Value::Blank, Style::Text),
                        (None, true) => (Value::Text(missing_word.clone()), Style::Text),
                        (None, false) => (Value::Text(unanswered_word.clone()), Style::Text),
                    },
                };
                m.set(row, c as u16, value, style);
            }
            row += 1;
        }
    }
    m
}

/// The template's sentence for a sheet with nothing to list, across the table.
fn empty_note(t: &SheetTemplate, m: &mut SheetModel, row: u32) {
    m.merges.push(Merge {
        first_row: row,
        first_col: 0,
        last_row: row,
        last_col: (t.columns.len() as u16).saturating_sub(1),
        text: t.empty.clone(),
        style: Style::Text,
    });
}

fn on_time_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> Result<SheetModel> {
    let cols: HashMap<&str, u16> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.value.as_str(), i as u16))
        .collect();
    let mut units: Vec<(Level, String, Counts)> = Vec::new();
    for r in &input.indicators.dossier().form06.rows {
        match units.last_mut() {
            Some((l, u, c)) if *l == r.level && *u == r.unit => c.add(&r.counts),
            _ => units.push((r.level, r.unit.clone(), r.counts)),
        }
    }
    let target_id = t.chart.as_ref().and_then(|c| c.target.clone());
    let threshold = match &target_id {
        Some(id) => match general_threshold(&input.pipeline.targets, id) {
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
                    Value::Text(input.pipeline.units.level(*level).label.clone()),
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
            target_name: format!("Chỉ tiêu {}", target_id.unwrap_or_default()),
        });
    }
    Ok(m)
}

/// Every task of the plan under its section's line: the plan's words (task, leads, deadline as
/// written), the progress from the lead units' answers, their evidence, and late tasks flagged.
fn task_progress_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> SheetModel {
    let plan = &crate::tasks::plan(input.pipeline);
    let figures = &input.indicators.tasks();
    let last_col = (t.columns.len() as u16).saturating_sub(1);
    let mut row = body;
    let mut late_col = None;
    let mut stt = 0;
    for section in &plan.sections {
        let rows: Vec<_> = figures
            .rows
            .iter()
            .filter(|r| r.section == section.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        row = full_width_line(
            &mut m,
            row,
            last_col,
            format!("{}. {}", section.id, section.title),
            Style::SubtotalText,
        );
        for r in rows {
            let task = &plan.tasks[r.index];
            stt += 1;
            for (c, col) in t.columns.iter().enumerate() {
                let text = |s: &str| (Value::Text(s.to_string()), Style::Text);
                let (value, style) = match col.value.as_str() {
                    "stt" => (Value::Text(stt.to_string()), Style::TextCenter),
                    "number" => (Value::Text(r.number.clone()), Style::TextCenter),
                    "section" => (Value::Text(r.section.clone()), Style::TextCenter),
                    "task" => text(&task.task),
                    "product" => text(&task.product),
                    "lead" => text(&task.lead_text),
                    "lead_units" => text(&r.lead_units().join("; ")),
                    "partners" => text(&task.partners),
                    "deadline" => text(&task.deadline_text),
                    "due" => match r.due {
                        Some(d) => (Value::Date(d), Style::Date),
                        None => (Value::Blank, Style::Date),
                    },
                    "status" => text(&t.status_words[r.progress.index()]),
                    "leads_reported" => (
                        Value::Text(format!("{}/{}", r.leads_reported(), r.leads.len())),
                        Style::TextCenter,
                    ),
                    "completed" => match r.completed {
                        Some(d) => (Value::Date(d), Style::Date),
                        None => (Value::Blank, Style::Date),
                    },
                    "evidence"
                        if t.evidence_units_max.is_some_and(|n| r.leads.len() > n)
                            && r.leads.iter().any(|l| l.evidence.is_some()) =>
                    {
                        text(&t.evidence_elsewhere)
                    }
                    "evidence" => {
                        let several = r.leads.len() > 1;
                        let parts: Vec<String> = r
                            .leads
                            .iter()
                            .filter_map(|l| {
                                let e = l.evidence.as_deref()?.trim();
                                (!e.is_empty()).then(|| {
                                    if several {
                                        format!("{}: {e}", l.unit)
                                    } else {
                                        e.to_string()
                                    }
                                })
                            })
                            .collect();
                        text(&parts.join("; "))
                    }
                    _ => {
                        late_col = Some(c as u16);
                        let word = &t.state_words[usize::from(!r.late)];
                        (Value::Text(word.clone()), Style::TextCenter)
                    }
                };
                m.set(row, c as u16, value, style);
            }
            row += 1;
        }
    }
    finish_late_list(t, m, body, row, late_col)
}

/// Each lead unit's own answer for each task it leads, a group of rows per unit in registry
/// order under the unit's name, tasks in the plan's order: to follow each unit up.
fn task_answers_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> SheetModel {
    use crate::tasks::Progress;
    let plan = &crate::tasks::plan(input.pipeline);
    let figures = &input.indicators.tasks();
    let words = &crate::kinds::self_report::config(input.pipeline).tasks_sheet;
    let last_col = (t.columns.len() as u16).saturating_sub(1);
    let mut row = body;
    let mut late_col = None;
    let mut stt = 0;
    for unit in &figures.units {
        let mine: Vec<_> = figures
            .rows
            .iter()
            .filter_map(|r| r.leads.iter().find(|l| l.unit == unit.unit).map(|l| (r, l)))
            .collect();
        if mine.is_empty() {
            continue;
        }
        row = full_width_line(
            &mut m,
            row,
            last_col,
            unit.unit.clone(),
            Style::SubtotalText,
        );
        // A unit with no form and no earlier Hoàn thành: one line says so.
        if mine.iter().all(|(_, l)| !l.reported) {
            row = full_width_line(
                &mut m,
                row,
                last_col,
                t.status_words[Progress::NotReported.index()].clone(),
                Style::Text,
            );
            continue;
        }
        for (r, l) in mine {
            let task = &plan.tasks[r.index];
            let progress = l.progress(r.rule);
            stt += 1;
            for (c, col) in t.columns.iter().enumerate() {
                let text = |s: &str| (Value::Text(s.to_string()), Style::Text);
                let (value, style) = match col.value.as_str() {
                    "stt" => (Value::Text(stt.to_string()), Style::TextCenter),
                    "unit" => text(&l.unit),
                    "number" => (Value::Text(r.number.clone()), Style::TextCenter),
                    "task" => text(&task.task),
                    "deadline" => text(&task.deadline_text),
                    "due" => match r.due {
                        Some(d) => (Value::Date(d), Style::Date),
                        None => (Value::Blank, Style::Date),
                    },
                    "status" => match l.status {
                        Some(s) => text(words.word(s)),
                        None => text(&t.status_words[progress.index()]),
                    },
                    "completed" => match l.completed.filter(|_| progress == Progress::Done) {
                        Some(d) => (Value::Date(d), Style::Date),
                        None => (Value::Blank, Style::Date),
                    },
                    "evidence" => text(l.evidence.as_deref().unwrap_or("")),
                    "reported_in" => match &l.carried_from {
                        Some(p) => text(
                            &crate::period::Period::parse(p, input.pipeline.period_rule)
                                .map(|p| p.label())
                                .unwrap_or_else(|_| p.clone()),
                        ),
                        None => text(""),
                    },
                    _ => {
                        late_col = Some(c as u16);
                        let late = l.late(r.rule, r.is_due);
                        let word = &t.state_words[usize::from(!late)];
                        (Value::Text(word.clone()), Style::TextCenter)
                    }
                };
                m.set(row, c as u16, value, style);
            }
            row += 1;
        }
    }
    finish_late_list(t, m, body, row, late_col)
}

/// The units' own words (self-reports.md §5): a group of rows per unit in registry order under
/// the unit's name, one row per section it wrote for, in the form's order of sections.
fn unit_texts_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    input: &AnnexInput,
) -> SheetModel {
    let cfg = &crate::kinds::self_report::config(input.pipeline);
    let texts = &input.indicators.self_report().texts;
    let last_col = (t.columns.len() as u16).saturating_sub(1);
    let mut row = body;
    let mut stt = 0;
    for unit in input.pipeline.units.all() {
        let mine: Vec<_> = cfg
            .sections
            .iter()
            .filter_map(|s| {
                let words = texts
                    .get(&s.entry.id)?
                    .iter()
                    .find(|w| w.unit == unit.name)?;
                Some((s, words))
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        row = full_width_line(
            &mut m,
            row,
            last_col,
            unit.name.clone(),
            Style::SubtotalText,
        );
        for (s, words) in mine {
            stt += 1;
            for (c, col) in t.columns.iter().enumerate() {
                let text = |s: &str| (Value::Text(s.to_string()), Style::Text);
                let (value, style) = match col.value.as_str() {
                    "stt" => (Value::Text(stt.to_string()), Style::TextCenter),
                    "unit" => text(&unit.name),
                    "number" => (Value::Text(s.entry.number.clone()), Style::TextCenter),
                    "prompt" => text(&s.entry.text),
                    _ => text(&words.text),
                };
                m.set(row, c as u16, value, style);
            }
            row += 1;
        }
    }
    if row == body {
        empty_note(t, &mut m, body);
    }
    m
}

/// Ends a list whose `late` column holds `state_words`: the empty sheet's sentence when no row
/// was written (`row` is still `body`), else the late rows coloured.
fn finish_late_list(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    row: u32,
    late_col: Option<u16>,
) -> SheetModel {
    if row == body {
        empty_note(t, &mut m, body);
    } else if let Some(col) = late_col {
        m.rules.push(TextRule {
            first_row: body,
            last_row: row - 1,
            col,
            equals: t.state_words[0].clone(),
            style: Style::Missed,
        });
    }
    m
}

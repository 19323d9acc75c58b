//! Templates + figures → sheet models. Each sheet kind offers named values; the template
//! chooses which to show, in which columns, under which headers. Totals are formulas with their
//! results cached, so the workbook stays auditable and shows numbers even unrecalculated.
//!
//! A sheet kind belongs to the core (the plan's targets and tasks, the units' words, the 766
//! estimate: `CORE_SHEETS`) or to an input kind (`Kind::annex_sheet_kinds`, built by
//! `KindFigures::annex_sheet` in the kind's `annex.rs`). Here: the frame every sheet shares
//! (title block, header) and the core's bodies; the builders a kind shares with the core are
//! in [`crate::annex_sheet`].

use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::model::{Merge, SheetModel, Style, TextRule, Value};
use super::template::SheetTemplate;
use crate::annex_sheet::{
    empty_note, finish_late_list, full_width_line, OfferedSheet, SheetContext,
};
use crate::config::Pipeline;
use crate::indicators::Indicators;
use crate::period::Period;
pub(crate) use crate::sheet::{fit_row_heights, row_height, text_lines};

/// How the core builds a sheet body: the template, the model with its frame, the first body
/// row, the figures.
type Builder = fn(&SheetTemplate, SheetModel, u32, &AnnexInput) -> Result<SheetModel>;

/// The core's sheet kinds: name, the values offered its columns (`stt` aside), the builder.
const CORE_SHEETS: &[(&str, &[&str], Builder)] = &[
    (
        "targets",
        &["id", "title", "scope", "value", "target", "verdict"],
        |t, m, body, input| Ok(targets_sheet(t, m, body, input)),
    ),
    (
        "task_progress",
        &[
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
        ],
        |t, m, body, input| Ok(task_progress_sheet(t, m, body, input)),
    ),
    (
        "task_answers",
        &[
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
        ],
        |t, m, body, input| Ok(task_answers_sheet(t, m, body, input)),
    ),
    (
        "unit_texts",
        &["unit", "number", "prompt", "text"],
        |t, m, body, input| Ok(unit_texts_sheet(t, m, body, input)),
    ),
    ("index766", super::index766::VALUES, |t, m, body, input| {
        Ok(super::index766::sheet(t, m, body, input.index766))
    }),
];

/// Every sheet kind the configured annex may name: the core's, then each input kind's in
/// registry order.
pub fn sheet_kinds() -> Vec<OfferedSheet> {
    CORE_SHEETS
        .iter()
        .map(|(name, values, _)| OfferedSheet::new(name, values))
        .chain(
            crate::kinds::annex_sheet_kinds()
                .into_iter()
                .map(|(_, s)| s),
        )
        .collect()
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
    /// The kinds' words ([`crate::kind::KindFigures::title_words`]): the dossiers'
    /// `new_unknown_channel` (received in the period from exports with no channel column:
    /// counted in the totals, in neither channel column; the form-06 note says how many).
    #[serde(flatten)]
    pub kinds: serde_json::Map<String, serde_json::Value>,
    /// The 766 window: "quý I năm 2024", "01/01/2024", "31/03/2024" (empty without 766 figures).
    pub window_label: String,
    /// First day of the 766 window.
    pub window_start: String,
    /// Last day of the 766 window.
    pub window_end: String,
    /// The portal's published table of the window filled the indicators it scores.
    pub window_portal: bool,
    /// The units and groups whose estimate is off the portal's score by more than the
    /// tolerance: "\<unit\> — \<group\>".
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
            kinds: serde_json::Map::new(),
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

/// The workbook's title in its properties: the book's one-liner with the district's and the
/// period's words.
pub fn document_title(line: &str, input: &AnnexInput) -> Result<String> {
    let view = TitleView::new(
        &input.pipeline.district,
        &input.pipeline.words.whole,
        input.period,
    );
    render_line(line, &view).context("mẫu phụ lục phu-luc.toml: document_title không dùng được")
}

/// Builds every sheet of the annex workbook.
pub fn build_sheets(templates: &[SheetTemplate], input: &AnnexInput) -> Result<Vec<SheetModel>> {
    let mut view = TitleView::new(
        &input.pipeline.district,
        &input.pipeline.words.whole,
        input.period,
    );
    view.kinds = input.indicators.kinds.title_words();
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
    let ctx = SheetContext {
        pipeline: input.pipeline,
        period: input.period,
    };
    let kinds = crate::kinds::annex_sheet_kinds();
    // Side by side: a city's two late lists are long, the other sheets short.
    templates
        .par_iter()
        .map(|t| {
            let expanded;
            let t = if t.kind == "index766" {
                expanded = super::index766::expand(t, input.index766);
                &expanded
            } else {
                t
            };
            let (m, body) = frame(t, &view)?;
            let mut m = match CORE_SHEETS.iter().find(|s| s.0 == t.kind) {
                Some((_, _, build)) => build(t, m, body, input)?,
                None => {
                    let owner = kinds
                        .iter()
                        .find(|(_, s)| s.name == t.kind)
                        .and_then(|(kind, _)| input.indicators.kinds.find(kind))
                        .ok_or_else(|| {
                            anyhow!("lỗi chương trình: không loại nào dựng trang «{}»", t.kind)
                        })?;
                    owner.annex_sheet(t, m, body, &ctx)?
                }
            };
            fit_row_heights(&mut m, body);
            Ok(m)
        })
        .collect()
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
    let no_data = t.state_word(0).to_string();
    let not_evaluated = t.state_word(1).to_string();
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
                    "status" => text(t.status_word(r.progress.index())),
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
                        let word = t.state_word(usize::from(!r.late));
                        (Value::Text(word.to_string()), Style::TextCenter)
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
                t.status_word(Progress::NotReported.index()).to_string(),
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
                        None => text(t.status_word(progress.index())),
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
                        let word = t.state_word(usize::from(!late));
                        (Value::Text(word.to_string()), Style::TextCenter)
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

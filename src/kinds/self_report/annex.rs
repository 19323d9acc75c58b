//! The self-report kind's sheet of the configured annex, `self_report`: per question its
//! district figure and how many units answered, then each unit asked. Its template is
//! `templates/annexes/so-lieu-don-vi.toml`.

use anyhow::{bail, Result};

use super::figures::SelfReportFigures;
use crate::annex_sheet::{empty_note, OfferedSheet, SheetContext, SheetTemplate};
use crate::config::Pipeline;
use crate::rate::Rate;
use crate::sheet::{SheetModel, Style, Value};

/// Its sheets' default templates (`templates/annexes/`, listed in `phu-luc.toml`), embedded; a
/// locality's own file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[(
    "so-lieu-don-vi.toml",
    include_str!("../../../templates/annexes/so-lieu-don-vi.toml"),
)];

/// The sheet kinds it offers and the values of each.
pub fn offered() -> Vec<OfferedSheet> {
    vec![OfferedSheet::new(
        "self_report",
        &[
            "code",
            "name",
            "measure_unit",
            "value",
            "total",
            "figure",
            "reported",
        ],
    )
    .with_words(&["reported_count"])]
}

/// The body of its sheet, under the frame already drawn.
pub fn sheet(
    f: &SelfReportFigures,
    t: &SheetTemplate,
    m: SheetModel,
    body: u32,
    ctx: &SheetContext,
) -> Result<SheetModel> {
    match t.kind.as_str() {
        "self_report" => Ok(answers_sheet(t, m, body, f, ctx.pipeline)),
        other => bail!("lỗi chương trình: loại biểu mẫu không có trang phụ lục «{other}»"),
    }
}

/// The self-report answers: for each question a row with its district figure and how many
/// units answered, then one row per unit asked (its answer, or the template's word for a unit
/// that returned no form).
fn answers_sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    f: &SelfReportFigures,
    pipeline: &Pipeline,
) -> SheetModel {
    let cfg = &super::config(pipeline);
    let missing_word = t.state_word(0).to_string();
    let unanswered_word = t.state_word(1).to_string();
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
                    Value::Text(t.reported_count(fig.answers.len(), q.asked.len())),
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
                        Some(a) if e.kind == super::AnswerType::YesNo => (
                            Value::Text(
                                pipeline
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

//! The self-report kind's keys of indicators.json (interface.md): each question's figures, the
//! plan's tasks, which units reported, and which report sections they wrote words for (never the
//! words).

use serde::Serialize;

use super::figures::SelfReportFigures;
use crate::config::report_sections::ReportSections;
use crate::kind::JsonSection;
use crate::rate::Rate;

/// One figure of a self-report question: a unit's answer (level and unit), a level's figure
/// (level, no unit) or the district's (neither).
#[derive(Debug, Serialize)]
struct SelfReportView<'a> {
    question: &'a str,
    level: Option<&'static str>,
    unit: Option<&'a str>,
    value: serde_json::Value,
    total: Option<serde_json::Value>,
    figure: Option<f64>,
    units_asked: Option<usize>,
    units_answered: Option<usize>,
}

/// One task of the plan's appendix (self-reports.md §4), in the plan's order.
#[derive(Debug, Serialize)]
struct TaskView<'a> {
    number: &'a str,
    section: &'a str,
    status: &'static str,
    due: Option<String>,
    late: bool,
    leads: Vec<&'a str>,
}

/// A report section some units wrote their own words for: which units, never the words.
#[derive(Debug, Serialize)]
struct UnitTextsView<'a> {
    section: &'a str,
    units: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct UnitView<'a> {
    level: &'static str,
    unit: &'a str,
}

/// A number as JSON: a whole number without a fraction.
fn number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        (v as i64).into()
    } else {
        ((v * 10_000.0).round() / 10_000.0).into()
    }
}

fn self_report_rows(
    f: &crate::kinds::self_report::figures::SelfReportFigures,
) -> Vec<SelfReportView<'_>> {
    let mut out = Vec::new();
    for q in &f.questions {
        let agg_view =
            |level: Option<&'static str>, a: &'_ crate::kinds::self_report::figures::Aggregated| {
                SelfReportView {
                    question: &q.id,
                    level,
                    unit: None,
                    value: number(a.value),
                    total: a.total.map(number),
                    figure: match a.rate {
                        Some(r) => Some(r.rounded()),
                        // A sum over no answer is not a figure.
                        None if a.total.is_none() && a.answered > 0 => {
                            Some(((a.value * 100.0).round()) / 100.0)
                        }
                        None => None,
                    },
                    units_asked: Some(a.asked),
                    units_answered: Some(a.answered),
                }
            };
        if let Some(d) = &q.district {
            out.push(agg_view(None, d));
        }
        for (l, a) in &q.levels {
            out.push(agg_view(Some(l.code()), a));
        }
        for a in &q.answers {
            out.push(SelfReportView {
                question: &q.id,
                level: Some(a.level.code()),
                unit: Some(&a.unit),
                value: match (&a.text, a.value) {
                    (Some(t), _) => t.as_str().into(),
                    (None, Some(v)) => number(v),
                    (None, None) => serde_json::Value::Null,
                },
                total: a.total.map(number),
                figure: match (a.value, a.total) {
                    (Some(v), Some(t)) => {
                        Rate::of(v.round() as u64, t.round() as u64).map(Rate::rounded)
                    }
                    _ => None,
                },
                units_asked: None,
                units_answered: None,
            });
        }
    }
    out
}

/// The kind's keys, in the file's order.
pub fn sections<'a>(
    f: &'a SelfReportFigures,
    report_sections: &'a ReportSections,
) -> Vec<JsonSection<'a>> {
    let units = |list: &'a [(crate::model::Level, String)]| -> Vec<UnitView<'a>> {
        list.iter()
            .map(|(l, u)| UnitView {
                level: l.code(),
                unit: u,
            })
            .collect()
    };
    let tasks: Vec<TaskView<'a>> = f
        .tasks
        .rows
        .iter()
        .map(|r| TaskView {
            number: &r.number,
            section: &r.section,
            status: r.progress.code(),
            due: r.due.map(|d| d.to_string()),
            late: r.late,
            leads: r.lead_units(),
        })
        .collect();
    let unit_texts: Vec<UnitTextsView<'a>> = report_sections
        .units()
        .into_iter()
        .filter_map(|s| {
            let texts = f.texts.get(s)?;
            (!texts.is_empty()).then(|| UnitTextsView {
                section: s,
                units: texts.iter().map(|t| t.unit.as_str()).collect(),
            })
        })
        .collect();
    vec![
        ("self_report", Box::new(self_report_rows(f))),
        ("tasks", Box::new(tasks)),
        ("units_reported", Box::new(units(&f.reported))),
        ("units_missing", Box::new(units(&f.missing))),
        ("unit_texts", Box::new(unit_texts)),
    ]
}

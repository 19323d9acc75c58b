//! `indicators.json`, the submission file of interface.md: dedicated view structs whose field
//! order is the key order of the file, rates rounded only here.

use serde::Serialize;

use crate::figures::CountRow;
use crate::indicators::{Counts, Indicators, Rate};
use crate::kinds::pakn::figures::PaknCounts;
use crate::kinds::satisfaction::figures::SatisfactionCounts;
use crate::model::SourceFile;
use crate::period::Period;
use crate::quality::RowAccount;

/// The whole file.
#[derive(Debug, Serialize)]
pub struct IndicatorsFile<'a> {
    schema: &'static str,
    district: &'a str,
    locality: &'a str,
    locality_code: Option<&'a str>,
    period: PeriodView<'a>,
    generated_from: Vec<SourceView<'a>>,
    tthc: Vec<CountRow<'a, Counts>>,
    satisfaction: Vec<CountRow<'a, SatisfactionCounts>>,
    pakn: Vec<CountRow<'a, PaknCounts>>,
    self_report: Vec<SelfReportView<'a>>,
    tasks: Vec<TaskView<'a>>,
    units_reported: Vec<UnitView<'a>>,
    units_missing: Vec<UnitView<'a>>,
    unit_texts: Vec<UnitTextsView<'a>>,
    targets_not_evaluated: Vec<TargetGapView<'a>>,
    targets: Vec<TargetView<'a>>,
    index766: Vec<crate::index766::json::Index766Json>,
}

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

#[derive(Debug, Serialize)]
struct PeriodView<'a> {
    id: &'a str,
    rule: &'static str,
    start: String,
    end: String,
}

#[derive(Debug, Serialize)]
struct SourceView<'a> {
    file: &'a str,
    kind: &'static str,
    sha256: &'a str,
    rows: u64,
    quarantined: u64,
}

#[derive(Debug, Serialize)]
struct TargetView<'a> {
    id: &'a str,
    scope: &'a str,
    measure: &'static str,
    value: serde_json::Value,
    target: String,
    met: bool,
}

/// A target the data cannot decide, and why.
#[derive(Debug, Serialize)]
struct TargetGapView<'a> {
    id: &'a str,
    scope: &'a str,
    measure: &'static str,
    target: String,
    reason: &'a str,
}

/// Renders the submission file of a period, pretty-printed, ending with a newline.
pub fn render(ctx: &super::documents::DocumentContext) -> anyhow::Result<Vec<u8>> {
    submission(
        &ctx.pipeline.district,
        ctx.pipeline.locality_code.as_deref(),
        ctx.period,
        ctx.quality.files,
        ctx.quality.accounts,
        ctx.indicators,
        &ctx.pipeline.report_sections,
        ctx.index766
            .map(|i| crate::index766::json::index766_json(std::slice::from_ref(i.scores)))
            .unwrap_or_default(),
    )
}

/// The submission file of figures, pretty-printed, ending with a newline.
#[allow(clippy::too_many_arguments)]
pub fn submission(
    district: &str,
    locality_code: Option<&str>,
    period: &Period,
    files: &[SourceFile],
    accounts: &[RowAccount],
    ind: &Indicators,
    report_sections: &crate::config::report_sections::ReportSections,
    index766: Vec<crate::index766::json::Index766Json>,
) -> anyhow::Result<Vec<u8>> {
    let view = IndicatorsFile {
        schema: "cchc-indicators/1",
        district,
        locality: district,
        locality_code,
        period: PeriodView {
            id: &period.id,
            rule: period.rule.as_str(),
            start: period.start.to_string(),
            end: period.end.to_string(),
        },
        generated_from: files
            .iter()
            .zip(accounts)
            .map(|(f, a)| SourceView {
                file: &f.display,
                kind: f.kind,
                sha256: &f.sha256,
                rows: a.read,
                quarantined: a.quarantined,
            })
            .collect(),
        tthc: ind
            .dossier
            .form06
            .rows
            .iter()
            .map(|r| CountRow {
                level: r.level.code(),
                unit: &r.unit,
                field: &r.field,
                counts: r.counts,
            })
            .collect(),
        satisfaction: ind
            .satisfaction
            .rows
            .iter()
            .map(|r| CountRow {
                level: r.level.code(),
                unit: &r.unit,
                field: &r.field,
                counts: SatisfactionCounts::of(&r.counts, &ind.satisfaction.satisfied_levels),
            })
            .collect(),
        pakn: ind
            .pakn
            .rows
            .iter()
            .map(|r| CountRow {
                level: r.level.code(),
                unit: &r.unit,
                field: &r.field,
                counts: r.counts,
            })
            .collect(),
        self_report: self_report_rows(&ind.self_report),
        tasks: ind
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
            .collect(),
        units_reported: ind
            .self_report
            .reported
            .iter()
            .map(|(l, u)| UnitView {
                level: l.code(),
                unit: u,
            })
            .collect(),
        units_missing: ind
            .self_report
            .missing
            .iter()
            .map(|(l, u)| UnitView {
                level: l.code(),
                unit: u,
            })
            .collect(),
        unit_texts: report_sections
            .units()
            .into_iter()
            .filter_map(|s| {
                let texts = ind.self_report.texts.get(s)?;
                (!texts.is_empty()).then(|| UnitTextsView {
                    section: s,
                    units: texts.iter().map(|t| t.unit.as_str()).collect(),
                })
            })
            .collect(),
        targets_not_evaluated: ind
            .targets_unevaluated
            .iter()
            .map(|g| TargetGapView {
                id: &g.id,
                scope: &g.scope,
                measure: g.measure.code(),
                target: g.target_text(),
                reason: &g.reason,
            })
            .collect(),
        targets: ind
            .targets
            .iter()
            .map(|t| TargetView {
                id: &t.id,
                scope: &t.scope,
                measure: t.measure.code(),
                value: match t.count {
                    Some(c) => c.into(),
                    None => t.rate.rounded().into(),
                },
                target: t.target_text(),
                met: t.met,
            })
            .collect(),
        index766,
    };
    let mut out = serde_json::to_vec_pretty(&view)?;
    out.push(b'\n');
    Ok(out)
}

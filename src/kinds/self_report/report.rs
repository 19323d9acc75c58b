//! The report's sentences from the units' self-reports (self-reports.md §4): for each report
//! section, one item per question whose figure the section shows, with "x/y đơn vị đã báo cáo"
//! when the figure rests on part of the units asked; and the units that returned no form.

use anyhow::Result;
use serde::Serialize;

use super::figures::SelfReportFigures;
use super::Aggregate;
use crate::kind::{ReportContext, ReportPart};

/// Its parts of the report templates (`templates/report/parts/`, included by `document.xml` and
/// `bao-cao.html`: `self-report-intro` once in section I, `self-report` in each section with
/// `section` set to its id), embedded: (name under `templates/report/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "parts/self-report.xml",
        include_str!("../../../templates/report/parts/self-report.xml"),
    ),
    (
        "parts/self-report.html",
        include_str!("../../../templates/report/parts/self-report.html"),
    ),
    (
        "parts/self-report-intro.xml",
        include_str!("../../../templates/report/parts/self-report-intro.xml"),
    ),
    (
        "parts/self-report-intro.html",
        include_str!("../../../templates/report/parts/self-report-intro.html"),
    ),
];

/// One question's figure as a sentence's parts.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// The question's text, as the form prints it.
    pub text: String,
    /// How the figure is made: `sum` (value), `ratio_sum` (value / total, rate),
    /// `share_yes` (units answering yes / units answering yes or no, rate).
    pub aggregate: &'static str,
    /// Σ answers, Σn, or the units answering yes.
    pub value: f64,
    /// ΣN, or the units answering yes or no.
    pub total: Option<f64>,
    /// value / total, when total is not 0.
    pub rate: Option<crate::rate::Rate>,
    /// The question's unit of measure ("người", "triệu đồng"; "" when none).
    pub measure_unit: String,
    /// "2/24": units that answered (yes, no, or not applicable) / units asked.
    pub reported: String,
    /// Whether the figure rests on part of the units asked.
    pub partial: bool,
    /// The units asked whose answer is not in the figure (no form, blank), in registry order.
    pub unanswered: Vec<String>,
    /// Units that answered the question does not apply to them.
    pub not_applicable: usize,
    /// Whether the figure sums the quarters of the year so far.
    pub year_to_date: bool,
}

/// The sentences of every section plan questions may go to (`report-sections.toml`), by id —
/// each present, empty where no question goes.
pub type Sections = std::collections::BTreeMap<String, Vec<Sentence>>;

/// What the report shows of the self-reports.
#[derive(Debug, Clone, Serialize)]
pub struct SelfReportReport {
    /// "12/31": units whose form counts / units asked.
    pub reported: String,
    /// Units asked with no form that counts, in registry order.
    pub missing: Vec<String>,
    /// The sentences, by section.
    pub sections: Sections,
}

/// The self-report part of the report, once any unit's form counts in the period.
pub fn view(f: &SelfReportFigures, ctx: &ReportContext) -> Option<SelfReportReport> {
    let pipeline = ctx.pipeline;
    if f.reported.is_empty() {
        return None;
    }
    let mut sections: Sections = pipeline
        .report_sections
        .plan()
        .into_iter()
        .map(|id| (id.to_string(), Vec::new()))
        .collect();
    for q in &super::config(pipeline).questions {
        let e = &q.entry;
        let (Some(section), Some(agg)) = (e.section.as_deref(), e.aggregate) else {
            continue;
        };
        let Some(d) = f.question(q.id()).and_then(|x| x.district.as_ref()) else {
            continue;
        };
        if d.answered == 0 {
            continue;
        }
        let s = Sentence {
            text: e.text.clone(),
            aggregate: match agg {
                Aggregate::Sum => "sum",
                Aggregate::RatioSum => "ratio_sum",
                Aggregate::ShareYes => "share_yes",
            },
            value: d.value,
            total: d.total,
            rate: d.rate,
            measure_unit: e.measure_unit.clone(),
            reported: format!("{}/{}", d.answered + d.not_applicable, d.asked),
            partial: !d.unanswered.is_empty(),
            unanswered: d.unanswered.clone(),
            not_applicable: d.not_applicable,
            year_to_date: e.year_to_date,
        };
        // A question's section is checked against the list when the questions are loaded.
        sections.entry(section.to_string()).or_default().push(s);
    }
    Some(SelfReportReport {
        reported: format!(
            "{}/{}",
            f.reported.len(),
            f.reported.len() + f.missing.len()
        ),
        missing: f.missing.iter().map(|(_, u)| u.clone()).collect(),
        sections,
    })
}

/// Its parts of the report's view: the self-report figures (`self_report`), and the units' own
/// words by section (`unit_texts`, every section units write for present), which the templates
/// place after the narrative's words.
pub fn parts(f: &SelfReportFigures, ctx: &ReportContext) -> Result<Vec<ReportPart>> {
    Ok(vec![
        ReportPart::of("self_report", view(f, ctx))?,
        ReportPart::of(
            "unit_texts",
            Some(super::texts::every_section(
                &f.texts,
                &ctx.pipeline.report_sections,
            )),
        )?,
    ])
}

//! The quarterly report — `bao-cao-cchc-<period>.docx` and its HTML twin — rendered with Tera
//! from one view struct. Every number comes from the figures, formatted the Vietnamese way; the
//! sections that need people's words come from the district's narrative file, or show a visible
//! placeholder. The .docx is the rendered `document.xml` packaged with fixed parts (styles,
//! settings, headers with page numbers from page 2), all of them templates a district may override.
//!
//! This is the machinery and the parts no kind owns (header, narrative, the plan's tasks,
//! targets, signature). Each input kind brings its own paragraph — a view under its key
//! ([`crate::kind::KindFigures::report_view`]) and its template parts
//! ([`crate::kind::Kind::report_templates`], `templates/report/parts/`) that the main templates
//! include where the paragraph goes — so the report names no kind's figure here.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tera::Tera;

use crate::config::Pipeline;
use crate::indicators::Indicators;
use crate::period::Period;

/// The building blocks of the Word body (`macros.xml`: paragraphs, runs, headings, table cells),
/// which `document.xml` and the kinds' parts import: (name, text).
const MACROS: &[(&str, &str)] = &[(
    "macros.xml",
    include_str!("../../templates/report/macros.xml"),
)];

/// The default report templates, embedded: (name, text). Each kind's paragraph is a part it
/// ships itself ([`crate::kind::Kind::report_templates`], `parts/<kind>.xml|html`), which
/// these include (or import, for a kind shown in several sections) at its place.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "document.xml",
        include_str!("../../templates/report/document.xml"),
    ),
    (
        "bao-cao.html",
        include_str!("../../templates/report/bao-cao.html"),
    ),
    (
        "docx/content-types.xml",
        include_str!("../../templates/report/docx/content-types.xml"),
    ),
    (
        "docx/rels.xml",
        include_str!("../../templates/report/docx/rels.xml"),
    ),
    (
        "docx/document-rels.xml",
        include_str!("../../templates/report/docx/document-rels.xml"),
    ),
    (
        "docx/styles.xml",
        include_str!("../../templates/report/docx/styles.xml"),
    ),
    (
        "docx/settings.xml",
        include_str!("../../templates/report/docx/settings.xml"),
    ),
    (
        "docx/header-page.xml",
        include_str!("../../templates/report/docx/header-page.xml"),
    ),
    (
        "docx/header-first.xml",
        include_str!("../../templates/report/docx/header-first.xml"),
    ),
    (
        "docx/core.xml",
        include_str!("../../templates/report/docx/core.xml"),
    ),
];

/// Where each template goes inside the .docx package, in writing order.
const DOCX_PARTS: &[(&str, &str)] = &[
    ("[Content_Types].xml", "docx/content-types.xml"),
    ("_rels/.rels", "docx/rels.xml"),
    ("docProps/core.xml", "docx/core.xml"),
    ("word/document.xml", "document.xml"),
    ("word/_rels/document.xml.rels", "docx/document-rels.xml"),
    ("word/styles.xml", "docx/styles.xml"),
    ("word/settings.xml", "docx/settings.xml"),
    ("word/header1.xml", "docx/header-page.xml"),
    ("word/header2.xml", "docx/header-first.xml"),
];

pub use super::narrative_text::Narrative;

/// A narrative with every section the locality writes for present (empty where it wrote
/// nothing), refused when it names a section the report has not.
pub fn complete_narrative(
    mut found: Narrative,
    pipeline: &Pipeline,
    file: &Path,
) -> Result<Narrative> {
    let ids = pipeline.report_sections.narrative();
    if let Some(other) = found.keys().find(|k| !ids.contains(&k.as_str())) {
        bail!(
            "tệp lời văn {} không hợp lệ: trường không hợp lệ `{other}`, các trường được dùng: {} — hãy đổi tên mục cho đúng một trong các tên này (các phần của báo cáo: report-sections.toml)",
            file.display(),
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for id in ids {
        found.entry(id.to_string()).or_default();
    }
    Ok(found)
}

/// Reads the narrative file the pipeline names for a period, or its plain-text folder
/// ([`super::narrative_text`]); none when it names none or neither exists.
pub fn load_narrative(pipeline: &Pipeline, period: &Period) -> Result<Option<Narrative>> {
    let Some(pattern) = &pipeline.report.narrative else {
        return Ok(None);
    };
    let dir = pipeline.path.parent().unwrap_or(Path::new("."));
    let path = dir.join(pattern.replace("{period}", &period.id));
    let folder = super::narrative_text::folder_of(&path);
    if folder.is_dir() {
        if path.exists() {
            bail!(
                "có cả tệp lời văn {} và thư mục lời văn {} cho kỳ {}; hãy giữ một trong hai",
                path.display(),
                folder.display(),
                period.id
            );
        }
        return super::narrative_text::read_folder(&folder, &pipeline.report_sections.narrative())
            .and_then(|n| complete_narrative(n, pipeline, &folder))
            .map(Some);
    }
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được tệp lời văn {}", path.display()))?;
    let n: Narrative = crate::config::errors::parse_toml(&text)
        .with_context(|| format!("tệp lời văn {} không hợp lệ", path.display()))?;
    complete_narrative(n, pipeline, &path).map(Some)
}

/// The period as the templates name it.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    id: String,
    /// "quý I năm 2024".
    label: String,
    start: String,
    end: String,
}

/// A target of the plan not met in one or more scopes.
#[derive(Debug, Serialize)]
pub struct MissedTarget {
    /// "3.1".
    id: String,
    /// What it measures.
    title: String,
    /// The target as a person reads it: "≥ 99 %".
    target: String,
    /// Each scope missed with its value: "Chứng thực: 97,57 %".
    scopes: Vec<String>,
}

/// A target the data cannot decide.
#[derive(Debug, Serialize)]
pub struct UnevaluatedTarget {
    id: String,
    title: String,
    scope: String,
    target: String,
    reason: String,
}

/// Everything the report templates see: values, formatted by the templates' filters.
#[derive(Debug, Serialize)]
pub struct ReportView {
    /// The locality, as printed: "Huyện Hóc Môn".
    locality: String,
    /// The total of every unit: "Toàn huyện".
    whole: String,
    governing_body: Vec<String>,
    issuing_body: Vec<String>,
    issuer: String,
    number: String,
    place: String,
    /// The signing date (yyyy-mm-dd), when the pipeline sets one.
    date: Option<String>,
    year: i32,
    period: PeriodView,
    narrative: Narrative,
    targets: bool,
    targets_met: usize,
    targets_missed: usize,
    /// The targets not met, one line per target id (section III names them).
    missed: Vec<MissedTarget>,
    /// The targets the data cannot decide, with why («chưa đánh giá được»).
    unevaluated: Vec<UnevaluatedTarget>,
    /// The ids of the targets whose values are still starting values (`placeholder`), once each.
    starting_targets: Vec<String>,
    recipients: Vec<String>,
    signer_title: Vec<String>,
    signer_name: String,
    /// The kinds' paragraphs by key ([`crate::kind::KindFigures::report_view`]), null where
    /// nothing of the kind counts in the period: `tthc` (the dossiers), `satisfaction` and
    /// `pakn` for section II.2, `self_report` (the units' self-report figures) for sections I
    /// and II — each read by its kind's part of the templates (`parts/`) — and `unit_texts`,
    /// the units' own words by section (every section id present, units in registry order),
    /// placed after the narrative's words.
    #[serde(flatten)]
    kinds: serde_json::Map<String, serde_json::Value>,
    /// The plan's tasks for sections I, II.1–II.6 and III, when the plan has tasks in the period.
    tasks: Option<TasksReport>,
    /// The 766 paragraph of section II.2.
    index766: Option<crate::index766::in_run::Index766Report>,
}

/// The tasks of one plan section, for the report section its sentences go into.
#[derive(Debug, Serialize)]
pub struct TaskSectionView {
    /// The plan section's number.
    pub id: String,
    /// Its title, as the plan writes it.
    pub title: String,
    /// Its tasks, counted.
    pub counts: crate::tasks::TaskCounts,
    /// The numbers of its late tasks.
    pub late: Vec<String>,
}

/// The plan sections by the report section they go into (`report-sections.toml`, `plan =
/// true`): every such section present, none where no plan section goes.
pub type TaskSectionsView = std::collections::BTreeMap<String, Option<TaskSectionView>>;

/// A late task, named in section III.
#[derive(Debug, Serialize)]
pub struct LateTaskView {
    /// "1.11.6".
    pub number: String,
    /// The task, as the plan writes it.
    pub task: String,
    /// The deadline, as the plan writes it.
    pub deadline: String,
    /// The day it was due (yyyy-mm-dd).
    pub due: Option<String>,
    /// Its lead units that reported and have not finished it.
    pub unfinished: Vec<String>,
    /// Its lead units that sent no form.
    pub unreported: Vec<String>,
}

/// The plan's tasks in the report: counts, the sections, the late ones.
#[derive(Debug, Serialize)]
pub struct TasksReport {
    /// The plan's year.
    pub plan_year: i32,
    /// Every task, counted.
    pub total: crate::tasks::TaskCounts,
    /// Whether any task has a lead unit's answer.
    pub reported: bool,
    /// Lead units that returned a form.
    pub units_reported: usize,
    /// Lead units.
    pub units: usize,
    /// Per report section.
    pub sections: TaskSectionsView,
    /// The late tasks, in the plan's order.
    pub late: Vec<LateTaskView>,
    /// In a report reaching the plan year's last quarter: the tasks due by the year's end but
    /// after the period's («Trong năm 2024» falls on 31/12, after the last quarter under ND 09)
    /// that are not done, in the plan's order.
    pub open_this_year: Vec<String>,
}

fn tasks_view(input: &ReportInput) -> Option<TasksReport> {
    use crate::tasks::Progress;
    let f = &input.indicators.tasks();
    if f.rows.is_empty() {
        return None;
    }
    let plan = &crate::tasks::plan(input.pipeline);
    let mut sections: TaskSectionsView = input
        .pipeline
        .report_sections
        .plan()
        .into_iter()
        .map(|id| (id.to_string(), None))
        .collect();
    for s in &f.sections {
        let Some(r) = &s.report else { continue };
        let view = TaskSectionView {
            id: s.id.clone(),
            title: s.title.clone(),
            counts: s.counts,
            late: f
                .rows
                .iter()
                .filter(|t| t.late && t.section == s.id)
                .map(|t| t.number.clone())
                .collect(),
        };
        sections.insert(r.key().to_string(), Some(view));
    }
    let late = f
        .rows
        .iter()
        .filter(|t| t.late)
        .map(|t| {
            let task = &plan.tasks[t.index];
            LateTaskView {
                number: t.number.clone(),
                task: task.task.clone(),
                deadline: task.deadline_text.clone(),
                due: t.due.map(|d| d.to_string()),
                unfinished: t
                    .leads
                    .iter()
                    .filter(|l| l.reported && l.progress(t.rule) != Progress::Done)
                    .map(|l| l.unit.clone())
                    .collect(),
                unreported: t
                    .leads
                    .iter()
                    .filter(|l| !l.reported)
                    .map(|l| l.unit.clone())
                    .collect(),
            }
        })
        .collect();
    let last_quarter =
        crate::period::Period::parse(&format!("{}-Q4", f.plan_year), input.pipeline.period_rule)
            .ok();
    let open_this_year = match last_quarter {
        Some(q4) if input.period.end >= q4.start => f
            .rows
            .iter()
            .filter(|t| {
                !t.is_due
                    && t.progress != Progress::Done
                    && t.due.is_some_and(|d| d.year() == f.plan_year)
            })
            .map(|t| t.number.clone())
            .collect(),
        _ => Vec::new(),
    };
    let (units_reported, units) = f.lead_units_reported();
    Some(TasksReport {
        plan_year: f.plan_year,
        total: f.total,
        // Some task has a lead's answer: of this period, or an earlier Hoàn thành.
        reported: f.total.not_reported < f.total.tasks,
        units_reported,
        units,
        sections,
        late,
        open_this_year,
    })
}

/// What the report is made from.
pub struct ReportInput<'a> {
    /// The pipeline (names, signer, targets).
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
    /// Its figures.
    pub indicators: &'a Indicators,
    /// The kinds' figures of the previous period, where the data covers it.
    pub previous: &'a crate::kind::PreviousFigures,
    /// The district's words, if any.
    pub narrative: Option<Narrative>,
    /// The 766 estimate of the period's calendar window.
    pub index766: Option<crate::index766::in_run::Index766Of<'a>>,
}

/// Builds the view of the report.
pub fn view(input: &ReportInput) -> Result<ReportView> {
    let p = input.pipeline;
    let r = &p.report;
    let period = input.period;
    let date = r
        .date
        .as_deref()
        .filter(|d| !d.is_empty())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let met = input.indicators.targets.iter().filter(|t| t.met).count();
    Ok(ReportView {
        locality: p.district.clone(),
        whole: p.words.whole.clone(),
        governing_body: r.governing_body.clone(),
        issuing_body: r.issuing_body.clone(),
        issuer: r.issuing_body.join(" "),
        number: r.number.clone(),
        place: r.place.clone(),
        date: date.map(|d| d.to_string()),
        year: period.end.year(),
        period: PeriodView {
            id: period.id.clone(),
            label: period.label(),
            start: period.start.to_string(),
            end: period.end.to_string(),
        },
        narrative: match &input.narrative {
            Some(n) => n.clone(),
            None => input
                .pipeline
                .report_sections
                .narrative()
                .into_iter()
                .map(|id| (id.to_string(), Vec::new()))
                .collect(),
        },
        kinds: input
            .indicators
            .kinds
            .report_views(&crate::kind::ReportContext {
                pipeline: p,
                targets: &input.indicators.targets,
                measures: &crate::kinds::measures(),
                previous: input.previous,
            })?,
        tasks: tasks_view(input),
        targets: !input.indicators.targets.is_empty(),
        targets_met: met,
        targets_missed: input.indicators.targets.len() - met,
        missed: missed_targets(&input.indicators.targets),
        unevaluated: input
            .indicators
            .targets_unevaluated
            .iter()
            .map(|g| UnevaluatedTarget {
                id: g.id.clone(),
                title: g.title.clone(),
                scope: g.scope.clone(),
                target: g.target_shown(),
                reason: g.reason.clone(),
            })
            .collect(),
        starting_targets: p.targets.iter().filter(|t| t.placeholder.is_some()).fold(
            Vec::new(),
            |mut ids, t| {
                if !ids.contains(&t.id) {
                    ids.push(t.id.clone());
                }
                ids
            },
        ),
        recipients: r.recipients.clone(),
        signer_title: r.signer_title.clone(),
        signer_name: r.signer_name.clone(),
        index766: input
            .index766
            .map(crate::index766::in_run::Index766Report::of),
    })
}

/// The targets not met, grouped by target id in the order of `targets.toml`.
fn missed_targets(targets: &[crate::indicators::TargetResult]) -> Vec<MissedTarget> {
    let mut out: Vec<MissedTarget> = Vec::new();
    for t in targets.iter().filter(|t| !t.met) {
        let scope = format!("{}: {}", t.scope, t.shown());
        match out
            .iter_mut()
            .find(|m| m.id == t.id && m.target == t.target_shown())
        {
            Some(m) => m.scopes.push(scope),
            None => out.push(MissedTarget {
                id: t.id.clone(),
                title: t.title.clone(),
                target: t.target_shown(),
                scopes: vec![scope],
            }),
        }
    }
    out
}

/// Loads the report templates: the defaults and the kinds' parts, each replaced by the
/// district's `report/<name>` where that file exists. A template is added after those it
/// imports (Tera checks them on each add): the macros, the kinds' parts, then the rest.
pub fn load_templates(dir: Option<&Path>) -> Result<Tera> {
    let files: Vec<(&str, &str)> = MACROS
        .iter()
        .chain(crate::kinds::report_templates())
        .chain(DEFAULT_FILES)
        .copied()
        .collect();
    super::templates::load(dir, "report", &files)
}

/// The rendered report: the .docx package and the HTML page.
pub struct Rendered {
    /// The Word document.
    pub docx: Vec<u8>,
    /// The web page.
    pub html: Vec<u8>,
    /// The body part of the Word document (for tests and snapshots).
    pub document_xml: String,
}

/// Renders both formats of the report.
/// The report of a period as a Word document.
pub fn render_docx(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    Ok(render_context(ctx)?.docx)
}

/// The report of a period as a web page.
pub fn render_html(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    Ok(render_context(ctx)?.html)
}

fn render_context(ctx: &super::context::DocumentContext) -> Result<Rendered> {
    render(
        ctx.templates(),
        &ReportInput {
            pipeline: ctx.pipeline,
            period: ctx.period,
            indicators: ctx.indicators,
            previous: &ctx.previous,
            narrative: load_narrative(ctx.pipeline, ctx.period)?,
            index766: ctx.index766,
        },
    )
}

/// The fixed parts of the Word package (`docx/…`), for another document built the same way.
pub fn docx_part_templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    DEFAULT_FILES.iter().filter(|(n, _)| n.starts_with("docx/"))
}

/// A .docx package of a Tera holding `document.xml` and the `docx/` parts, rendered with one
/// context (the parts read `issuer` and `period.label`); also the body part's text.
pub fn package_docx(tera: &Tera, ctx: &tera::Context) -> Result<(Vec<u8>, String)> {
    let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated)
        .last_modified_time(::zip::DateTime::default());
    let mut document_xml = String::new();
    for (part, template) in DOCX_PARTS {
        let text = tera
            .render(template, ctx)
            .with_context(|| format!("không dựng được mẫu báo cáo {template}"))?;
        zip.start_file(*part, options)?;
        zip.write_all(text.as_bytes())?;
        if *template == "document.xml" {
            document_xml = text;
        }
    }
    Ok((zip.finish()?.into_inner(), document_xml))
}

/// Renders the report of some figures.
pub fn render(templates_dir: Option<&Path>, input: &ReportInput) -> Result<Rendered> {
    let tera = load_templates(templates_dir)?;
    let ctx = tera::Context::from_serialize(view(input)?)?;
    let render = |name: &str| {
        tera.render(name, &ctx)
            .with_context(|| format!("không dựng được mẫu báo cáo {name}"))
    };
    let html = render("bao-cao.html")?;
    let (docx, document_xml) = package_docx(&tera, &ctx)?;
    Ok(Rendered {
        docx,
        html: html.into_bytes(),
        document_xml,
    })
}

//! The quarterly report — `bao-cao-cchc-<period>.docx` and its HTML twin — rendered with Tera
//! from one view struct. Every number comes from the figures, formatted the Vietnamese way; the
//! sections that need people's words come from the district's narrative file, or show a visible
//! placeholder. The .docx is the rendered `document.xml` packaged with fixed parts (styles,
//! settings, headers with page numbers from page 2), all of them templates a district may override.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::config::{Level, Pipeline};
use crate::indicators::targets::{general_threshold, threshold_for_row};
use crate::indicators::{Counts, Indicators};
use crate::period::Period;
use crate::render::vn;

/// The default report templates, embedded: (name, text).
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

/// The text shown where people's words are missing.
pub const PLACEHOLDER: &str = "[Đơn vị bổ sung nội dung]";

/// The narrative file a district fills in: paragraphs per section, none required.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// Opening paragraph (replaces the default one).
    #[serde(default)]
    pub mo_dau: Vec<String>,
    /// I. Công tác chỉ đạo, điều hành.
    #[serde(default)]
    pub chi_dao: Vec<String>,
    /// II.1. Cải cách thể chế.
    #[serde(default)]
    pub the_che: Vec<String>,
    /// II.2. Cải cách thủ tục hành chính (words before the figures).
    #[serde(default)]
    pub thu_tuc: Vec<String>,
    /// II.3. Cải cách tổ chức bộ máy hành chính nhà nước.
    #[serde(default)]
    pub bo_may: Vec<String>,
    /// II.4. Cải cách chế độ công vụ.
    #[serde(default)]
    pub cong_vu: Vec<String>,
    /// II.5. Cải cách tài chính công.
    #[serde(default)]
    pub tai_chinh: Vec<String>,
    /// II.6. Xây dựng chính quyền điện tử, chính quyền số.
    #[serde(default)]
    pub chinh_quyen_so: Vec<String>,
    /// III. Đánh giá chung.
    #[serde(default)]
    pub danh_gia: Vec<String>,
    /// IV. Phương hướng, nhiệm vụ quý tới.
    #[serde(default)]
    pub phuong_huong: Vec<String>,
    /// V. Đề xuất, kiến nghị.
    #[serde(default)]
    pub kien_nghi: Vec<String>,
}

/// Reads the narrative file the pipeline names for a period; none when it names none or the file
/// does not exist.
pub fn load_narrative(pipeline: &Pipeline, period: &Period) -> Result<Option<Narrative>> {
    let Some(pattern) = &pipeline.report.narrative else {
        return Ok(None);
    };
    let dir = pipeline.path.parent().unwrap_or(Path::new("."));
    let path = dir.join(pattern.replace("{period}", &period.id));
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được tệp lời văn {}", path.display()))?;
    let n: Narrative = toml::from_str(&text)
        .with_context(|| format!("tệp lời văn {} không hợp lệ", path.display()))?;
    Ok(Some(n))
}

/// Figures of one level (or the total), formatted for reading.
#[derive(Debug, Serialize)]
pub struct LevelView {
    name: String,
    received: String,
    carried_over: String,
    new: String,
    online: String,
    online_share: String,
    online_share_pct: String,
    resolved: String,
    early: String,
    on_time: String,
    on_time_total: String,
    late: String,
    on_time_rate: String,
    on_time_rate_pct: String,
    pending: String,
    pending_within: String,
    pending_overdue: String,
}

impl LevelView {
    fn of(name: &str, c: &Counts) -> LevelView {
        LevelView {
            name: name.to_string(),
            received: vn::int(c.received_total()),
            carried_over: vn::int(c.carried_over),
            new: vn::int(c.new_total()),
            online: vn::int(c.new_online),
            online_share: vn::rate(crate::indicators::Rate::of(c.new_online, c.new_total())),
            online_share_pct: vn::percent(crate::indicators::Rate::of(c.new_online, c.new_total())),
            resolved: vn::int(c.resolved_total()),
            early: vn::int(c.resolved_early),
            on_time: vn::int(c.resolved_on_time),
            on_time_total: vn::int(c.resolved_early + c.resolved_on_time),
            late: vn::int(c.resolved_late),
            on_time_rate: vn::rate(c.on_time_rate()),
            on_time_rate_pct: vn::percent(c.on_time_rate()),
            pending: vn::int(c.pending_total()),
            pending_within: vn::int(c.pending_within),
            pending_overdue: vn::int(c.pending_overdue),
        }
    }
}

/// The change against the previous period.
#[derive(Debug, Serialize)]
pub struct ComparisonView {
    period_label: String,
    received_change: String,
    on_time_change: String,
}

/// The dossier part of the report.
#[derive(Debug, Serialize)]
pub struct TthcView {
    total: LevelView,
    levels: Vec<LevelView>,
    fields_below: Vec<String>,
    units_below: Vec<String>,
    unit_threshold: String,
    late_listed: usize,
    comparison: Option<ComparisonView>,
    /// "- Hồ sơ trễ hạn có văn bản xin lỗi: …", when the exports say.
    other_figures: Vec<String>,
}

/// Everything the report templates see.
#[derive(Debug, Serialize)]
pub struct ReportView {
    governing_body: Vec<String>,
    issuing_body: Vec<String>,
    issuer: String,
    number: String,
    place_date: String,
    subject: String,
    period_label: String,
    period_range: String,
    intro: String,
    closing: String,
    narrative: Narrative,
    tthc: TthcView,
    targets: bool,
    targets_met: usize,
    targets_missed: usize,
    recipients: Vec<String>,
    signer_title: Vec<String>,
    signer_name: String,
    /// Satisfaction figures for section II.2, when evaluations count in the period.
    satisfaction: Option<SatisfactionReport>,
    /// PAKN figures for section II.2, when PAKN count in the period.
    pakn: Option<PaknReport>,
    /// The units' self-report figures for sections I and II, once a unit's form counts.
    self_report: Option<crate::render::self_report::SelfReportReport>,
}

/// What the report is made from.
pub struct ReportInput<'a> {
    /// The pipeline (names, signer, targets).
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
    /// Its figures.
    pub indicators: &'a Indicators,
    /// The previous period and its total counts, when the data covers it.
    pub previous: Option<(Period, Counts)>,
    /// The district's words, if any.
    pub narrative: Option<Narrative>,
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn change(now: u64, before: u64) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Equal => "không đổi".into(),
        _ if before == 0 => format!("từ 0 lên {}", vn::int(now)),
        o => {
            let diff = now.abs_diff(before);
            let word = if o == std::cmp::Ordering::Greater {
                "tăng"
            } else {
                "giảm"
            };
            format!(
                "{word} {} hồ sơ ({} %)",
                vn::int(diff),
                vn::rate(crate::indicators::Rate::of(diff, before))
            )
        }
    }
}

fn rate_change(now: &Counts, before: &Counts) -> String {
    match (now.on_time_rate(), before.on_time_rate()) {
        (Some(a), Some(b)) => {
            let (x, y) = (a.hundredths() as i64, b.hundredths() as i64);
            let d = (x - y).unsigned_abs();
            let text = format!("{},{:02}", d / 100, d % 100);
            match x.cmp(&y) {
                std::cmp::Ordering::Equal => format!("không đổi ({} %)", vn::rate(Some(a))),
                std::cmp::Ordering::Greater => format!(
                    "tăng {text} điểm phần trăm (từ {} % lên {} %)",
                    vn::rate(Some(b)),
                    vn::rate(Some(a))
                ),
                std::cmp::Ordering::Less => format!(
                    "giảm {text} điểm phần trăm (từ {} % xuống {} %)",
                    vn::rate(Some(b)),
                    vn::rate(Some(a))
                ),
            }
        }
        _ => "chưa so sánh được (một trong hai kỳ không có hồ sơ giải quyết)".into(),
    }
}

fn fraction(label: &str, pair: (u64, u64)) -> Option<String> {
    let rate = crate::indicators::Rate::of(pair.0, pair.1)?;
    Some(format!(
        "{label}: {}/{} ({})",
        vn::int(pair.0),
        vn::int(pair.1),
        vn::percent(Some(rate))
    ))
}

/// The sentences of the tthc-rules §5 figures the exports allow.
fn other_figures(p: &Pipeline, s: &crate::indicators::shares::Shares) -> Vec<String> {
    let d = s.district();
    let mut out = Vec::new();
    if let Some(t) = fraction("hồ sơ trễ hạn có văn bản xin lỗi", d.apology) {
        out.push(format!("- {}, {t}.", p.words.whole));
    }
    for (level, c) in [(Level::Huyen, &s.huyen), (Level::Xa, &s.xa)] {
        let parts: Vec<String> = [
            fraction("số hóa hồ sơ", c.digitized_dossier),
            fraction("số hóa kết quả", c.digitized_result),
            fraction("hồ sơ có phí thanh toán trực tuyến", c.epayment),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            out.push(format!(
                "- {}, trên hồ sơ đã giải quyết trong kỳ: {}.",
                p.units.level(level).label,
                parts.join("; ")
            ));
        }
    }
    out
}

/// A satisfaction figure of a scope: its evaluations, those satisfied, the rate, and the
/// threshold it was held against when below it.
#[derive(Debug, Serialize)]
pub struct SatisfactionLine {
    /// The unit, group or the whole locality.
    pub name: String,
    /// Evaluations.
    pub rated: u64,
    /// Evaluations at a satisfied level.
    pub satisfied: u64,
    /// satisfied / rated.
    pub rate: Option<crate::indicators::Rate>,
    /// The threshold as a person reads it ("≥ 95"), when the rate is below it.
    pub below: Option<String>,
}

/// The satisfaction paragraph of section II.2 (none when no evaluation counts in the period).
#[derive(Debug, Serialize)]
pub struct SatisfactionReport {
    /// The whole locality, over every unit.
    pub total: SatisfactionLine,
    /// The targets of satisfaction (4.1, 4.2) by scope.
    pub targets: Vec<SatisfactionLine>,
    /// Units below their target.
    pub units_below: Vec<SatisfactionLine>,
}

/// The PAKN paragraph of section II.2 (none when no PAKN counts in the period).
#[derive(Debug, Serialize)]
pub struct PaknReport {
    /// Received (carried over + new).
    pub received: u64,
    /// Received in the period.
    pub new: u64,
    /// Carried over from the previous period.
    pub carried_over: u64,
    /// Closed in the period.
    pub closed: u64,
    /// Of which answered.
    pub answered: u64,
    /// Of which refused.
    pub refused: u64,
    /// Of which transferred.
    pub transferred: u64,
    /// Closed on time.
    pub on_time: u64,
    /// on time / closed.
    pub on_time_rate: Option<crate::indicators::Rate>,
    /// Answered with the result published.
    pub published: u64,
    /// published / answered.
    pub published_share: Option<crate::indicators::Rate>,
    /// Open at the end.
    pub pending: u64,
    /// Of which past the answer deadline.
    pub pending_overdue: u64,
    /// Target 5's entries: id, what, the value as read, met.
    pub targets: Vec<(String, String, String, bool)>,
}

fn pakn_view(input: &ReportInput) -> Option<PaknReport> {
    use crate::kinds::pakn::figures::PaknCounts;
    let p = &input.indicators.pakn;
    if p.rows.is_empty() {
        return None;
    }
    let mut c = PaknCounts::default();
    for r in &p.rows {
        c.add(&r.counts);
    }
    let targets = input
        .indicators
        .targets
        .iter()
        .filter(|t| {
            input.pipeline.targets.iter().any(|e| {
                e.id == t.id
                    && matches!(
                        e.measure,
                        crate::config::Measure::PaknOnTimeRate
                            | crate::config::Measure::PaknPublishedShare
                            | crate::config::Measure::PaknPendingOverdue
                    )
            })
        })
        .map(|t| (t.id.clone(), t.title.clone(), t.shown(), t.met))
        .collect();
    Some(PaknReport {
        received: c.received_total(),
        new: c.new,
        carried_over: c.carried_over,
        closed: c.closed_total(),
        answered: c.answered,
        refused: c.refused,
        transferred: c.transferred,
        on_time: c.closed_on_time,
        on_time_rate: c.on_time_rate(),
        published: c.published,
        published_share: c.published_share(),
        pending: c.pending_total(),
        pending_overdue: c.pending_overdue,
        targets,
    })
}

fn satisfaction_view(input: &ReportInput) -> Option<SatisfactionReport> {
    use crate::kinds::satisfaction::figures::LevelCounts;
    let p = input.pipeline;
    let s = &input.indicators.satisfaction;
    if s.rows.is_empty() {
        return None;
    }
    let line = |name: &str, c: &LevelCounts, below: Option<String>| SatisfactionLine {
        name: name.to_string(),
        rated: c.rated(),
        satisfied: c.satisfied(&s.satisfied_levels),
        rate: s.rate(c),
        below,
    };
    let mut total = LevelCounts::default();
    let mut units: Vec<(String, LevelCounts)> = Vec::new();
    for r in &s.rows {
        total.add(&r.counts);
        match units.last_mut() {
            Some((u, c)) if *u == r.unit => c.add(&r.counts),
            _ => units.push((r.unit.clone(), r.counts)),
        }
    }
    let targets = input
        .indicators
        .targets
        .iter()
        .filter(|t| {
            p.targets
                .iter()
                .any(|e| e.id == t.id && e.measure == crate::config::Measure::SatisfactionRate)
        })
        .map(|t| SatisfactionLine {
            name: format!("{} — {}", t.id, t.scope),
            rated: t.rate.whole,
            satisfied: t.rate.part,
            rate: Some(t.rate),
            below: (!t.met).then(|| t.target_display()),
        })
        .collect();
    let flag = p.flags.satisfaction.as_deref();
    let units_below = units
        .iter()
        .filter_map(|(u, c)| {
            let (op, v) = flag.and_then(|id| threshold_for_row(p, id, u, ""))?;
            let rate = s.rate(c)?;
            (!rate.satisfies(op, v)).then(|| {
                line(
                    u,
                    c,
                    Some(format!(
                        "{} {}",
                        op.symbol(),
                        crate::indicators::targets::trim_number(v).replace('.', ",")
                    )),
                )
            })
        })
        .collect();
    Some(SatisfactionReport {
        total: line(&p.words.whole, &total, None),
        targets,
        units_below,
    })
}

/// Builds the view of the report.
pub fn view(input: &ReportInput) -> ReportView {
    let p = input.pipeline;
    let r = &p.report;
    let period = input.period;
    let rows = &input.indicators.dossier.form06.rows;
    let mut total = Counts::default();
    let mut levels = Vec::new();
    for info in &p.units.levels {
        let mut c = Counts::default();
        for row in rows.iter().filter(|x| x.level == info.id) {
            c.add(&row.counts);
        }
        total.add(&c);
        levels.push(LevelView::of(&info.label, &c));
    }
    let on_time_id = p.flags.on_time.as_deref().unwrap_or_default();
    let fields_below: Vec<String> = input
        .indicators
        .targets
        .iter()
        .filter(|t| t.id == on_time_id && !t.met)
        .map(|t| {
            format!(
                "{} ({} %, chỉ tiêu {} %)",
                t.scope,
                vn::rate(Some(t.rate)),
                t.target_display()
            )
        })
        .collect();
    let threshold = general_threshold(&p.targets, on_time_id);
    let mut units_below = Vec::new();
    if let Some((op, v)) = threshold {
        let mut units: Vec<(String, Counts)> = Vec::new();
        for row in rows {
            match units.last_mut() {
                Some((u, c)) if *u == row.unit => c.add(&row.counts),
                _ => units.push((row.unit.clone(), row.counts.clone())),
            }
        }
        for (u, c) in units {
            if let Some(rate) = c.on_time_rate().filter(|rate| !rate.satisfies(op, v)) {
                units_below.push(format!("{u} ({} %)", vn::rate(Some(rate))));
            }
        }
    }
    let comparison = input.previous.as_ref().map(|(prev, c)| ComparisonView {
        period_label: prev.label(),
        received_change: change(total.received_total(), c.received_total()),
        on_time_change: rate_change(&total, c),
    });
    let date = r
        .date
        .as_deref()
        .filter(|d| !d.is_empty())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let place_date = match date {
        Some(d) => format!("{}, {}", r.place, vn::long_date(d)),
        None => format!(
            "{}, ngày      tháng      năm {}",
            r.place,
            period.end.year()
        ),
    };
    let district = lower_first(&p.district);
    let narrative = input.narrative.clone().unwrap_or_default();
    let intro = narrative.mo_dau.first().cloned().unwrap_or_else(|| {
        format!(
            "Ủy ban nhân dân {district} báo cáo kết quả thực hiện công tác cải cách hành chính {} như sau:",
            period.label()
        )
    });
    let met = input.indicators.targets.iter().filter(|t| t.met).count();
    ReportView {
        governing_body: r.governing_body.clone(),
        issuing_body: r.issuing_body.clone(),
        issuer: r.issuing_body.join(" "),
        number: r.number.clone(),
        place_date,
        subject: format!("Kết quả thực hiện công tác cải cách hành chính {}", period.label()),
        period_label: period.label(),
        period_range: format!("từ {} đến {}", vn::long_date(period.start), vn::long_date(period.end)),
        intro,
        closing: format!(
            "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {} của Ủy ban nhân dân {district}./.",
            period.label()
        ),
        narrative,
        tthc: TthcView {
            total: LevelView::of(&p.words.whole, &total),
            levels,
            fields_below,
            units_below,
            unit_threshold: threshold.map(|(_, v)| crate::indicators::targets::trim_number(v).replace('.', ",")).unwrap_or_default(),
            late_listed: input.indicators.dossier.late.len(),
            comparison,
            other_figures: other_figures(p, &input.indicators.dossier.shares),
        },
        satisfaction: satisfaction_view(input),
        pakn: pakn_view(input),
        self_report: crate::render::self_report::view(input.pipeline, input.indicators),
        targets: !input.indicators.targets.is_empty(),
        targets_met: met,
        targets_missed: input.indicators.targets.len() - met,
        recipients: r.recipients.clone(),
        signer_title: r.signer_title.clone(),
        signer_name: r.signer_name.clone(),
    }
}

/// Loads the report templates: the defaults, each replaced by the district's `report/<name>`
/// where that file exists.
pub fn load_templates(dir: Option<&Path>) -> Result<Tera> {
    super::templates::load(dir, "report", DEFAULT_FILES)
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
pub fn render_docx(ctx: &super::documents::DocumentContext) -> Result<Vec<u8>> {
    Ok(render_context(ctx)?.docx)
}

/// The report of a period as a web page.
pub fn render_html(ctx: &super::documents::DocumentContext) -> Result<Vec<u8>> {
    Ok(render_context(ctx)?.html)
}

fn render_context(ctx: &super::documents::DocumentContext) -> Result<Rendered> {
    render(
        ctx.templates(),
        &ReportInput {
            pipeline: ctx.pipeline,
            period: ctx.period,
            indicators: ctx.indicators,
            previous: ctx.previous.clone(),
            narrative: load_narrative(ctx.pipeline, ctx.period)?,
        },
    )
}

/// Renders the report of some figures.
pub fn render(templates_dir: Option<&Path>, input: &ReportInput) -> Result<Rendered> {
    let tera = load_templates(templates_dir)?;
    let ctx = tera::Context::from_serialize(view(input))?;
    let render = |name: &str| {
        tera.render(name, &ctx)
            .with_context(|| format!("không dựng được mẫu báo cáo {name}"))
    };
    let html = render("bao-cao.html")?;
    let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated)
        .last_modified_time(::zip::DateTime::default());
    let mut document_xml = String::new();
    for (part, template) in DOCX_PARTS {
        let text = render(template)?;
        zip.start_file(*part, options)?;
        zip.write_all(text.as_bytes())?;
        if *template == "document.xml" {
            document_xml = text;
        }
    }
    let docx = zip.finish()?.into_inner();
    Ok(Rendered {
        docx,
        html: html.into_bytes(),
        document_xml,
    })
}

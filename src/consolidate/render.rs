//! The consolidation's documents: `indicators-tong-hop-<period>.json`, the annex workbook (its
//! sheets declared in `templates/consolidation/phu-luc.toml`), the province's report (.docx and
//! .html, Tera templates beside the district report's Word parts) and the public page with its
//! chart. Views carry values; every word is in the templates.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::{Consolidation, LocalityResult, Status, Total};
use crate::indicators::{Counts, Rate};
use crate::kinds::pakn::figures::PaknCounts;
use crate::kinds::satisfaction::figures::LevelCounts;
use crate::render::annex::model::{Merge, SheetModel, Style, Value};

/// The default templates, embedded: (name, text).
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "document.xml",
        include_str!("../../templates/consolidation/document.xml"),
    ),
    (
        "bao-cao.html",
        include_str!("../../templates/consolidation/bao-cao.html"),
    ),
    (
        "cong-khai.html",
        include_str!("../../templates/consolidation/cong-khai.html"),
    ),
    (
        "tom-tat.txt",
        include_str!("../../templates/consolidation/tom-tat.txt"),
    ),
];

/// The annex declaration, embedded.
pub const DEFAULT_ANNEX: &str = include_str!("../../templates/consolidation/phu-luc.toml");

/// `phu-luc.toml` of the consolidation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexFile {
    /// The title in the workbook's properties (Tera one-liner with the title lines' values);
    /// a locality's copy that leaves it out takes the shipped file's.
    #[serde(default)]
    pub document_title: Option<String>,
    /// The words of every page's footer: `{page}` the page number, `{pages}` their count; a
    /// locality's copy that leaves it out takes the shipped file's.
    #[serde(default)]
    pub page_footer: Option<String>,
    /// Font of every cell.
    pub font: String,
    /// Body font size.
    pub font_size: f64,
    /// Words the sheets print.
    pub words: AnnexWords,
    /// The sheets, in order.
    pub sheets: Vec<SheetDecl>,
}

/// Words of the annex (and of the statuses everywhere).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexWords {
    /// Status: counted.
    pub counted: String,
    /// Status: refused.
    pub refused: String,
    /// Status: missing.
    pub missing: String,
    /// Status: duplicate.
    pub duplicate: String,
    /// Before a group's name on its total line.
    pub subtotal: String,
    /// The province's total line.
    pub total: String,
    /// A target met.
    pub met: String,
    /// A target missed.
    pub missed: String,
    /// A figure that cannot be computed.
    pub no_data: String,
}

impl AnnexWords {
    fn status(&self, s: Status) -> &str {
        match s {
            Status::Counted => &self.counted,
            Status::Refused => &self.refused,
            Status::Missing => &self.missing,
            Status::Duplicate => &self.duplicate,
        }
    }
}

/// One sheet as declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetDecl {
    /// What the sheet shows: form06, targets, satisfaction, pakn, tasks, index766, league,
    /// account.
    pub kind: String,
    /// Tab name.
    pub name: String,
    /// Title lines (Tera one-liners).
    pub title: Vec<String>,
    /// The columns.
    pub columns: Vec<ColumnDecl>,
    /// Header of each target's column (targets sheet), a Tera one-liner with `{{ id }}`.
    #[serde(default)]
    pub target_header: Option<String>,
    /// Width of each target's column.
    #[serde(default)]
    pub target_width: Option<f64>,
}

/// One column as declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDecl {
    /// The value shown.
    pub value: String,
    /// Header text.
    pub header: String,
    /// Width in characters.
    pub width: f64,
}

/// A cell's value before it meets the sheet.
#[derive(Debug, Clone)]
enum V {
    Text(String),
    Int(u64),
    Rate(Option<Rate>),
    Num(Option<f64>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Line {
    Body,
    Group,
    Subtotal,
    Total,
}

type Row = (Line, BTreeMap<&'static str, V>);

const FORM06: &[&str] = &[
    "stt",
    "name",
    "code",
    "received_total",
    "carried_over",
    "new_online",
    "new_direct",
    "new_postal",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within",
    "pending_overdue",
    "on_time_rate",
    "late_rate",
    "status",
];

/// The values each sheet kind offers.
fn offered(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "form06" => FORM06,
        "targets" => &["stt", "name", "code", "targets_met", "targets_decided"],
        "satisfaction" => &[
            "stt",
            "name",
            "code",
            "rated",
            "very_satisfied",
            "satisfied",
            "neutral",
            "dissatisfied",
            "very_dissatisfied",
            "satisfaction_rate",
        ],
        "pakn" => &[
            "stt",
            "name",
            "code",
            "received_total",
            "carried_over",
            "new",
            "closed_total",
            "closed_on_time",
            "closed_late",
            "answered",
            "refused",
            "transferred",
            "pending_total",
            "pending_within",
            "pending_overdue",
            "published",
            "on_time_rate",
            "published_share",
        ],
        "tasks" => &[
            "stt",
            "name",
            "code",
            "tasks_total",
            "tasks_done",
            "tasks_in_progress",
            "tasks_not_started",
            "tasks_not_reported",
            "tasks_late",
        ],
        "index766" => &["stt", "name", "code", "index766", "rank_766"],
        "league" => &[
            "rank_on_time",
            "name",
            "code",
            "kind",
            "resolved",
            "on_time_rate",
            "band",
            "rank_766",
            "index766",
            "rank_targets",
            "targets_met",
            "targets_decided",
        ],
        "account" => &["stt", "code", "name", "status", "file", "reason"],
        _ => return None,
    })
}

fn form06_values(c: &Counts, out: &mut BTreeMap<&'static str, V>) {
    for (k, v) in [
        ("received_total", c.received_total()),
        ("carried_over", c.carried_over),
        ("new_online", c.new_online),
        ("new_direct", c.new_direct),
        ("new_postal", c.new_postal),
        ("resolved_total", c.resolved_total()),
        ("resolved_early", c.resolved_early),
        ("resolved_on_time", c.resolved_on_time),
        ("resolved_late", c.resolved_late),
        ("pending_total", c.pending_total()),
        ("pending_within", c.pending_within),
        ("pending_overdue", c.pending_overdue),
    ] {
        out.insert(k, V::Int(v));
    }
    out.insert("on_time_rate", V::Rate(c.on_time_rate()));
    out.insert("late_rate", V::Rate(c.late_rate()));
}

fn satisfaction_values(c: &LevelCounts, rate: Option<Rate>, out: &mut BTreeMap<&'static str, V>) {
    out.insert("rated", V::Int(c.rated()));
    for (k, v) in [
        "very_satisfied",
        "satisfied",
        "neutral",
        "dissatisfied",
        "very_dissatisfied",
    ]
    .into_iter()
    .zip(c.0)
    {
        out.insert(k, V::Int(v));
    }
    out.insert("satisfaction_rate", V::Rate(rate));
}

fn pakn_values(c: &PaknCounts, out: &mut BTreeMap<&'static str, V>) {
    for (k, v) in [
        ("received_total", c.received_total()),
        ("carried_over", c.carried_over),
        ("new", c.new),
        ("closed_total", c.closed_total()),
        ("closed_on_time", c.closed_on_time),
        ("closed_late", c.closed_late),
        ("answered", c.answered),
        ("refused", c.refused),
        ("transferred", c.transferred),
        ("pending_total", c.pending_total()),
        ("pending_within", c.pending_within),
        ("pending_overdue", c.pending_overdue),
        ("published", c.published),
    ] {
        out.insert(k, V::Int(v));
    }
    out.insert("on_time_rate", V::Rate(c.on_time_rate()));
    out.insert("published_share", V::Rate(c.published_share()));
}

/// The rows of a sheet of figures by locality: each group's localities and its total, then the
/// province's. `all` lists the localities without figures too (their status in `status`).
fn grouped(
    c: &Consolidation,
    words: &AnnexWords,
    all: bool,
    values: &dyn Fn(&LocalityResult, &mut BTreeMap<&'static str, V>),
    total: &dyn Fn(&Total, &mut BTreeMap<&'static str, V>),
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut n = 0;
    for (group, t) in &c.groups {
        let members: Vec<&LocalityResult> = c
            .localities
            .iter()
            .filter(|l| &l.kind == group && (all || l.figures.is_some()))
            .collect();
        if members.is_empty() {
            continue;
        }
        rows.push((
            Line::Group,
            BTreeMap::from([("name", V::Text(group.clone()))]),
        ));
        for l in members {
            n += 1;
            let mut m = BTreeMap::from([
                ("stt", V::Int(n)),
                ("name", V::Text(l.name.clone())),
                ("code", V::Text(l.code.clone())),
                ("status", V::Text(words.status(l.status).to_string())),
            ]);
            if l.figures.is_some() {
                values(l, &mut m);
            }
            rows.push((Line::Body, m));
        }
        let mut m = BTreeMap::from([(
            "name",
            V::Text(format!("{} {}", words.subtotal, group.to_lowercase())),
        )]);
        total(t, &mut m);
        rows.push((Line::Subtotal, m));
    }
    let mut m = BTreeMap::from([("name", V::Text(words.total.clone()))]);
    total(&c.province, &mut m);
    rows.push((Line::Total, m));
    rows
}

fn sheet_rows(c: &Consolidation, kind: &str, words: &AnnexWords) -> Vec<Row> {
    let figures = |l: &LocalityResult| l.figures.clone().unwrap_or_default();
    match kind {
        "form06" => grouped(
            c,
            words,
            true,
            &|l, m| form06_values(&figures(l).form06, m),
            &|t, m| form06_values(&t.form06, m),
        ),
        "satisfaction" => grouped(
            c,
            words,
            false,
            &|l, m| {
                let s = figures(l).satisfaction;
                satisfaction_values(&s, c.satisfaction_rate(&s), m)
            },
            &|t, m| satisfaction_values(&t.satisfaction, c.satisfaction_rate(&t.satisfaction), m),
        ),
        "pakn" => grouped(
            c,
            words,
            false,
            &|l, m| pakn_values(&figures(l).pakn, m),
            &|t, m| pakn_values(&t.pakn, m),
        ),
        "tasks" => c
            .counted()
            .enumerate()
            .map(|(i, l)| {
                let t = figures(l).tasks;
                (
                    Line::Body,
                    BTreeMap::from([
                        ("stt", V::Int(i as u64 + 1)),
                        ("name", V::Text(l.name.clone())),
                        ("code", V::Text(l.code.clone())),
                        ("tasks_total", V::Int(t.total)),
                        ("tasks_done", V::Int(t.done)),
                        ("tasks_in_progress", V::Int(t.in_progress)),
                        ("tasks_not_started", V::Int(t.not_started)),
                        ("tasks_not_reported", V::Int(t.not_reported)),
                        ("tasks_late", V::Int(t.late)),
                    ]),
                )
            })
            .collect(),
        "targets" => c
            .counted()
            .enumerate()
            .map(|(i, l)| {
                let f = figures(l);
                (
                    Line::Body,
                    BTreeMap::from([
                        ("stt", V::Int(i as u64 + 1)),
                        ("name", V::Text(l.name.clone())),
                        ("code", V::Text(l.code.clone())),
                        ("targets_met", V::Int(f.targets_met as u64)),
                        ("targets_decided", V::Int(f.targets_decided as u64)),
                    ]),
                )
            })
            .collect(),
        "index766" | "league" => c
            .league
            .iter()
            .filter(|r| kind == "league" || r.index766.is_some())
            .enumerate()
            .map(|(i, r)| {
                let rank = |v: Option<usize>| V::Num(v.map(|v| v as f64));
                (
                    Line::Body,
                    BTreeMap::from([
                        ("stt", V::Int(i as u64 + 1)),
                        ("rank_on_time", rank(r.rank_on_time)),
                        ("name", V::Text(r.name.clone())),
                        ("code", V::Text(r.code.clone())),
                        ("kind", V::Text(r.kind.clone())),
                        ("resolved", V::Int(r.resolved)),
                        ("on_time_rate", V::Rate(r.on_time_rate)),
                        ("band", V::Text(r.band.clone().unwrap_or_default())),
                        ("rank_766", rank(r.rank_766)),
                        ("index766", V::Num(r.index766)),
                        ("rank_targets", rank(r.rank_targets)),
                        ("targets_met", V::Int(r.targets_met as u64)),
                        ("targets_decided", V::Int(r.targets_decided as u64)),
                    ]),
                )
            })
            .collect(),
        "account" => {
            let mut rows: Vec<Row> = Vec::new();
            for f in &c.files {
                rows.push((
                    Line::Body,
                    BTreeMap::from([
                        ("code", V::Text(f.code.clone().unwrap_or_default())),
                        ("name", V::Text(f.name.clone().unwrap_or_default())),
                        ("status", V::Text(words.status(f.status).to_string())),
                        ("file", V::Text(f.file.clone())),
                        ("reason", V::Text(f.reason.clone().unwrap_or_default())),
                    ]),
                ));
            }
            for l in c.with_status(Status::Missing) {
                rows.push((
                    Line::Body,
                    BTreeMap::from([
                        ("code", V::Text(l.code.clone())),
                        ("name", V::Text(l.name.clone())),
                        ("status", V::Text(words.missing.clone())),
                    ]),
                ));
            }
            for (i, r) in rows.iter_mut().enumerate() {
                r.1.insert("stt", V::Int(i as u64 + 1));
            }
            rows
        }
        _ => Vec::new(),
    }
}

fn style_of(line: Line, v: &V) -> Style {
    let number = matches!(v, V::Int(_) | V::Num(_));
    let rate = matches!(v, V::Rate(_));
    match (line, number, rate) {
        (Line::Body, true, _) => Style::Integer,
        (Line::Body, _, true) => Style::Rate,
        (Line::Body, ..) => Style::Text,
        (Line::Group, ..) => Style::SubtotalText,
        (Line::Subtotal, true, _) => Style::SubtotalInteger,
        (Line::Subtotal, _, true) => Style::SubtotalRate,
        (Line::Subtotal, ..) => Style::SubtotalText,
        (Line::Total, true, _) => Style::TotalInteger,
        (Line::Total, _, true) => Style::TotalRate,
        (Line::Total, ..) => Style::TotalText,
    }
}

fn cell_value(v: &V, words: &AnnexWords) -> Value {
    match v {
        V::Text(t) if t.is_empty() => Value::Blank,
        V::Text(t) => Value::Text(crate::text::cut_for_xlsx(t).0.into_owned()),
        V::Int(n) => Value::Number(*n as f64),
        V::Rate(Some(r)) => Value::Number(r.rounded()),
        V::Num(Some(n)) => Value::Number(*n),
        V::Rate(None) | V::Num(None) => Value::Text(words.no_data.clone()),
    }
}

/// The annex sheets as models (what the workbook writer and the tests read).
pub fn annex_sheets(c: &Consolidation, templates: Option<&Path>) -> Result<Vec<SheetModel>> {
    Ok(annex_book(c, templates)?.0)
}

/// The annex sheets as models, the workbook's title and its page footer's words.
fn annex_book(
    c: &Consolidation,
    templates: Option<&Path>,
) -> Result<(Vec<SheetModel>, String, String)> {
    let text = match templates
        .map(|d| d.join("consolidation").join("phu-luc.toml"))
        .filter(|p| p.exists())
    {
        Some(p) => std::fs::read_to_string(&p)
            .with_context(|| format!("không đọc được mẫu {}", p.display()))?,
        None => DEFAULT_ANNEX.to_string(),
    };
    let mut annex: AnnexFile = crate::config::errors::parse_toml(&text)
        .context("mẫu phụ lục tổng hợp consolidation/phu-luc.toml không hợp lệ")?;
    if annex.document_title.is_none() || annex.page_footer.is_none() {
        let shipped: AnnexFile = crate::config::errors::parse_toml(DEFAULT_ANNEX)
            .context("lỗi chương trình: mẫu mặc định consolidation/phu-luc.toml không hợp lệ")?;
        annex.document_title = annex.document_title.or(shipped.document_title);
        annex.page_footer = annex.page_footer.or(shipped.page_footer);
    }
    let mut title_ctx = tera::Context::new();
    title_ctx.insert("province", &c.province_name);
    title_ctx.insert("province_upper", &c.province_name.to_uppercase());
    title_ctx.insert("period_id", &c.period);
    title_ctx.insert("period_label", &period_label(c));
    let mut sheets = Vec::new();
    for decl in &annex.sheets {
        let Some(offers) = offered(&decl.kind) else {
            bail!(
                "phu-luc.toml: trang «{}» có kind = «{}» không có; các loại: form06, targets, satisfaction, pakn, tasks, index766, league, account",
                decl.name,
                decl.kind
            );
        };
        for col in &decl.columns {
            if !offers.contains(&col.value.as_str()) {
                bail!(
                    "phu-luc.toml: trang «{}» không có giá trị «{}»; các giá trị: {}",
                    decl.name,
                    col.value,
                    offers.join(", ")
                );
            }
        }
        if decl.kind == "index766" && !c.has_766 {
            continue;
        }
        let mut columns: Vec<(String, String, f64)> = decl
            .columns
            .iter()
            .map(|c| (c.value.clone(), c.header.clone(), c.width))
            .collect();
        let mut rows = sheet_rows(c, &decl.kind, &annex.words);
        let mut extra = Vec::new();
        if decl.kind == "targets" {
            let header = decl.target_header.as_deref().unwrap_or("{{ id }}");
            for t in &c.targets {
                let mut ctx = tera::Context::new();
                ctx.insert("id", &t.id);
                columns.push((
                    format!("target:{}", t.id),
                    crate::render::templates::one_line(header, &ctx)?,
                    decl.target_width.unwrap_or(9.0),
                ));
            }
            extra = target_cells(c, &annex.words, &mut rows);
        }
        sheets.push(sheet_model(
            &annex, decl, &columns, &rows, &extra, &title_ctx,
        )?);
    }
    let title = crate::render::templates::one_line(
        annex.document_title.as_deref().unwrap_or_default(),
        &title_ctx,
    )
    .context("mẫu phụ lục tổng hợp consolidation/phu-luc.toml: document_title không dùng được")?;
    Ok((sheets, title, annex.page_footer.unwrap_or_default()))
}

/// The targets sheet's cells of each target, by column key: the locality's verdict, and on
/// the last line how many localities met it of those that decided it.
fn target_cells(
    c: &Consolidation,
    words: &AnnexWords,
    rows: &mut Vec<Row>,
) -> Vec<BTreeMap<String, V>> {
    let mut extra = Vec::new();
    for l in c.counted() {
        let mut m = BTreeMap::new();
        for t in &c.targets {
            let decided = l
                .submission
                .as_ref()
                .is_some_and(|s| s.targets.iter().any(|e| e.id == t.id));
            let text = if !decided {
                String::new()
            } else if t.missed.contains(&l.name) {
                words.missed.clone()
            } else {
                words.met.clone()
            };
            m.insert(format!("target:{}", t.id), V::Text(text));
        }
        extra.push(m);
    }
    rows.push((
        Line::Total,
        BTreeMap::from([("name", V::Text(words.total.clone()))]),
    ));
    extra.push(
        c.targets
            .iter()
            .map(|t| {
                (
                    format!("target:{}", t.id),
                    V::Text(format!("{}/{}", t.met, t.decided)),
                )
            })
            .collect(),
    );
    extra
}

fn sheet_model(
    annex: &AnnexFile,
    decl: &SheetDecl,
    columns: &[(String, String, f64)],
    rows: &[Row],
    extra: &[BTreeMap<String, V>],
    title_ctx: &tera::Context,
) -> Result<SheetModel> {
    let mut s = SheetModel {
        name: decl.name.clone(),
        font: annex.font.clone(),
        font_size: annex.font_size,
        widths: columns.iter().map(|c| c.2).collect(),
        ..SheetModel::default()
    };
    let last_col = columns.len().saturating_sub(1) as u16;
    let mut row = 0u32;
    for line in &decl.title {
        let text = crate::render::templates::one_line(line, title_ctx)?;
        s.merges.push(Merge {
            first_row: row,
            first_col: 0,
            last_row: row,
            last_col,
            text,
            style: if row == 0 {
                Style::Title
            } else {
                Style::Subtitle
            },
        });
        row += 1;
    }
    row += 1;
    for (i, (_, header, _)) in columns.iter().enumerate() {
        s.set(row, i as u16, Value::Text(header.clone()), Style::Header);
    }
    s.row_heights.push((row, 45.0));
    s.freeze_row = row + 1;
    s.repeat_rows = Some((row, row));
    row += 1;
    for (n, (line, values)) in rows.iter().enumerate() {
        for (i, (key, _, _)) in columns.iter().enumerate() {
            let v = values
                .get(key.as_str())
                .or_else(|| extra.get(n).and_then(|m| m.get(key)));
            match v {
                Some(v) => s.set(
                    row,
                    i as u16,
                    cell_value(v, &annex.words),
                    style_of(*line, v),
                ),
                None => s.set(
                    row,
                    i as u16,
                    Value::Blank,
                    style_of(*line, &V::Text(String::new())),
                ),
            }
        }
        row += 1;
    }
    Ok(s)
}

fn period_label(c: &Consolidation) -> String {
    let rule = match c.period_entry.as_ref().map(|p| p.rule.as_str()) {
        Some("calendar") => crate::period::PeriodRule::Calendar,
        _ => crate::period::PeriodRule::Nd09,
    };
    crate::period::Period::parse(&c.period, rule)
        .map(|p| p.label())
        .unwrap_or_else(|_| c.period.clone())
}

// ---------------------------------------------------------------------------------------------
// indicators-tong-hop-<period>.json

#[derive(Serialize)]
struct ConsolidatedFile<'a> {
    schema: &'static str,
    district: &'a str,
    locality: &'a str,
    locality_code: Option<&'a str>,
    period: serde_json::Value,
    generated_from: Vec<serde_json::Value>,
    tthc: Vec<serde_json::Value>,
    satisfaction: Vec<serde_json::Value>,
    pakn: Vec<serde_json::Value>,
    self_report: Vec<serde_json::Value>,
    tasks: Vec<serde_json::Value>,
    units_reported: Vec<serde_json::Value>,
    units_missing: Vec<serde_json::Value>,
    targets: Vec<serde_json::Value>,
    province_code: &'a str,
    localities: Vec<LocalityEntry<'a>>,
    locality_rows: Vec<LocalityRows<'a>>,
}

#[derive(Serialize)]
struct LocalityEntry<'a> {
    code: &'a str,
    name: &'a str,
    status: Status,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct LocalityRows<'a> {
    code: &'a str,
    name: &'a str,
    tthc: &'a [super::submission::TthcRow],
    satisfaction: &'a [super::submission::SatisfactionRow],
    pakn: &'a [super::submission::PaknRow],
    tasks: &'a [super::submission::TaskRow],
    targets: &'a [super::submission::TargetRow],
}

fn rate(r: Option<Rate>) -> serde_json::Value {
    r.map(|r| r.rounded().into())
        .unwrap_or(serde_json::Value::Null)
}

/// The consolidated submission file: the province's rows (`level = "tinh"`, one per field),
/// the localities' accounts and their rows as submitted.
pub fn json(c: &Consolidation) -> Result<Vec<u8>> {
    use serde_json::json;
    let province = c.province_name.as_str();
    let file = ConsolidatedFile {
        schema: "cchc-indicators/1",
        district: province,
        locality: province,
        locality_code: None,
        period: match &c.period_entry {
            Some(p) => serde_json::to_value(p)?,
            None => {
                let p = crate::period::Period::parse(&c.period, crate::period::PeriodRule::Nd09)?;
                json!({"id": p.id, "rule": p.rule.as_str(), "start": p.start.to_string(), "end": p.end.to_string()})
            }
        },
        generated_from: c
            .files
            .iter()
            .filter(|f| f.status == Status::Counted)
            .map(|f| {
                json!({"file": f.file, "kind": "submission", "sha256": f.sha256, "rows": 1, "quarantined": 0})
            })
            .collect(),
        tthc: c
            .tthc_by_field
            .values()
            .map(|(field, k)| {
                let mut row = json!({
                    "level": "tinh", "unit": province, "field": field,
                    "received_total": k.received_total(), "carried_over": k.carried_over,
                    "new_online": k.new_online, "new_direct": k.new_direct, "new_postal": k.new_postal,
                    "resolved_total": k.resolved_total(), "resolved_early": k.resolved_early,
                    "resolved_on_time": k.resolved_on_time, "resolved_late": k.resolved_late,
                    "pending_total": k.pending_total(), "pending_within": k.pending_within,
                    "pending_overdue": k.pending_overdue,
                    "on_time_rate": rate(k.on_time_rate()), "late_rate": rate(k.late_rate()),
                });
                // Written only when a locality had dossiers of unknown channel, as they write it.
                if k.new_unknown_channel > 0 {
                    row["new_unknown_channel"] = json!(k.new_unknown_channel);
                }
                row
            })
            .collect(),
        satisfaction: c
            .satisfaction_by_field
            .values()
            .map(|(field, k)| {
                json!({
                    "level": "tinh", "unit": province, "field": field,
                    "rated": k.rated(), "very_satisfied": k.0[0], "satisfied": k.0[1],
                    "neutral": k.0[2], "dissatisfied": k.0[3], "very_dissatisfied": k.0[4],
                    "satisfaction_rate": rate(c.satisfaction_rate(k)),
                })
            })
            .collect(),
        pakn: c
            .pakn_by_field
            .values()
            .map(|(field, k)| {
                json!({
                    "level": "tinh", "unit": province, "field": field,
                    "received_total": k.received_total(), "carried_over": k.carried_over,
                    "new": k.new, "closed_total": k.closed_total(),
                    "closed_on_time": k.closed_on_time, "closed_late": k.closed_late,
                    "answered": k.answered, "refused": k.refused, "transferred": k.transferred,
                    "pending_total": k.pending_total(), "pending_within": k.pending_within,
                    "pending_overdue": k.pending_overdue, "published": k.published,
                    "on_time_rate": rate(k.on_time_rate()),
                    "published_share": rate(k.published_share()),
                })
            })
            .collect(),
        self_report: Vec::new(),
        tasks: Vec::new(),
        units_reported: c
            .counted()
            .map(|l| json!({"level": "xa", "unit": l.name}))
            .collect(),
        units_missing: c
            .localities
            .iter()
            .filter(|l| l.status != Status::Counted)
            .map(|l| json!({"level": "xa", "unit": l.name}))
            .collect(),
        targets: Vec::new(),
        province_code: &c.province_code,
        localities: c
            .localities
            .iter()
            .map(|l| LocalityEntry {
                code: &l.code,
                name: &l.name,
                status: l.status,
                reason: l.reason.as_deref(),
            })
            .collect(),
        locality_rows: c
            .localities
            .iter()
            .filter_map(|l| {
                let s = l.submission.as_ref()?;
                Some(LocalityRows {
                    code: &l.code,
                    name: &l.name,
                    tthc: &s.tthc,
                    satisfaction: &s.satisfaction,
                    pakn: &s.pakn,
                    tasks: &s.tasks,
                    targets: &s.targets,
                })
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&file)?;
    out.push(b'\n');
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The report and the public page

#[derive(Serialize)]
struct Form06View {
    received_total: u64,
    carried_over: u64,
    new_total: u64,
    new_online: u64,
    resolved_total: u64,
    resolved_early: u64,
    resolved_on_time: u64,
    resolved_late: u64,
    pending_total: u64,
    pending_overdue: u64,
    on_time_rate: Option<Rate>,
    late_rate: Option<Rate>,
}

impl Form06View {
    fn of(c: &Counts) -> Form06View {
        Form06View {
            received_total: c.received_total(),
            carried_over: c.carried_over,
            new_total: c.new_total(),
            new_online: c.new_online,
            resolved_total: c.resolved_total(),
            resolved_early: c.resolved_early,
            resolved_on_time: c.resolved_on_time,
            resolved_late: c.resolved_late,
            pending_total: c.pending_total(),
            pending_overdue: c.pending_overdue,
            on_time_rate: c.on_time_rate(),
            late_rate: c.late_rate(),
        }
    }
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    expected: usize,
    counted: usize,
    form06: Form06View,
    satisfaction_rate: Option<Rate>,
}

#[derive(Serialize)]
struct LocalityView {
    code: String,
    name: String,
    kind: String,
    status: Status,
    status_word: String,
    reason: Option<String>,
    on_time_rate: Option<Rate>,
    late_rate: Option<Rate>,
    resolved: u64,
    satisfaction_rate: Option<Rate>,
    rated: u64,
}

#[derive(Serialize)]
struct FileView {
    file: String,
    code: Option<String>,
    name: Option<String>,
    status_word: String,
    reason: Option<String>,
}

#[derive(Serialize)]
struct PeriodView {
    id: String,
    label: String,
}

/// Everything the report and the public page show: values, never sentences.
#[derive(Serialize)]
struct ReportView {
    issuer: String,
    province: String,
    province_upper: String,
    province_code: String,
    period: PeriodView,
    year: String,
    words: AnnexWords,
    expected: usize,
    counted: usize,
    refused: usize,
    duplicate: usize,
    missing: usize,
    files: usize,
    total: Form06View,
    satisfaction_rated: u64,
    satisfaction_rate: Option<Rate>,
    pakn_received: u64,
    pakn_closed: u64,
    pakn_on_time_rate: Option<Rate>,
    pakn_pending_overdue: u64,
    tasks_late_localities: usize,
    groups: Vec<GroupView>,
    by_field: Vec<(String, Form06View)>,
    localities: Vec<LocalityView>,
    league: Vec<super::LeagueRow>,
    top: Vec<super::LeagueRow>,
    bottom: Vec<super::LeagueRow>,
    targets: Vec<super::TargetSummary>,
    missing_list: Vec<LocalityView>,
    not_counted_files: Vec<FileView>,
    has_766: bool,
}

fn report_view(c: &Consolidation, words: &AnnexWords) -> ReportView {
    let locality_view = |l: &LocalityResult| {
        let f = l.figures.clone().unwrap_or_default();
        LocalityView {
            code: l.code.clone(),
            name: l.name.clone(),
            kind: l.kind.clone(),
            status: l.status,
            status_word: words.status(l.status).to_string(),
            reason: l.reason.clone(),
            on_time_rate: f.form06.on_time_rate(),
            late_rate: f.form06.late_rate(),
            resolved: f.form06.resolved_total(),
            satisfaction_rate: c.satisfaction_rate(&f.satisfaction),
            rated: f.satisfaction.rated(),
        }
    };
    let ranked: Vec<super::LeagueRow> = c
        .league
        .iter()
        .filter(|r| r.rank_on_time.is_some())
        .cloned()
        .collect();
    let n = c.config.report_top.min(ranked.len());
    let top = ranked[..n].to_vec();
    // The last ones are those not already named among the first.
    let last = c.config.report_top.min(ranked.len() - n);
    let bottom: Vec<super::LeagueRow> = ranked[ranked.len() - last..]
        .iter()
        .rev()
        .cloned()
        .collect();
    ReportView {
        issuer: c.province_name.clone(),
        province: c.province_name.clone(),
        province_upper: c.province_name.to_uppercase(),
        province_code: c.province_code.clone(),
        period: PeriodView {
            id: c.period.clone(),
            label: period_label(c),
        },
        year: c.period.chars().take(4).collect(),
        words: words.clone(),
        expected: c.localities.len(),
        counted: c.counted().count(),
        refused: c.with_status(Status::Refused).count(),
        duplicate: c.with_status(Status::Duplicate).count(),
        missing: c.with_status(Status::Missing).count(),
        files: c.files.len(),
        total: Form06View::of(&c.province.form06),
        satisfaction_rated: c.province.satisfaction.rated(),
        satisfaction_rate: c.satisfaction_rate(&c.province.satisfaction),
        pakn_received: c.province.pakn.received_total(),
        pakn_closed: c.province.pakn.closed_total(),
        pakn_on_time_rate: c.province.pakn.on_time_rate(),
        pakn_pending_overdue: c.province.pakn.pending_overdue,
        tasks_late_localities: c
            .counted()
            .filter(|l| l.figures.as_ref().is_some_and(|f| f.tasks.late > 0))
            .count(),
        groups: c
            .groups
            .iter()
            .map(|(g, t)| GroupView {
                name: g.clone(),
                expected: c.localities.iter().filter(|l| &l.kind == g).count(),
                counted: t.localities,
                form06: Form06View::of(&t.form06),
                satisfaction_rate: c.satisfaction_rate(&t.satisfaction),
            })
            .filter(|g| g.expected > 0)
            .collect(),
        by_field: c
            .tthc_by_field
            .values()
            .map(|(f, k)| (f.clone(), Form06View::of(k)))
            .collect(),
        localities: c.counted().map(locality_view).collect(),
        league: c.league.clone(),
        top,
        bottom,
        targets: c.targets.clone(),
        missing_list: c.with_status(Status::Missing).map(locality_view).collect(),
        not_counted_files: c
            .files
            .iter()
            .filter(|f| f.status != Status::Counted)
            .map(|f| FileView {
                file: f.file.clone(),
                code: f.code.clone(),
                name: f.name.clone(),
                status_word: words.status(f.status).to_string(),
                reason: f.reason.clone(),
            })
            .collect(),
        has_766: c.has_766,
    }
}

fn annex_words(templates: Option<&Path>) -> Result<AnnexWords> {
    let text = match templates
        .map(|d| d.join("consolidation").join("phu-luc.toml"))
        .filter(|p| p.exists())
    {
        Some(p) => std::fs::read_to_string(&p)
            .with_context(|| format!("không đọc được mẫu {}", p.display()))?,
        None => DEFAULT_ANNEX.to_string(),
    };
    Ok(crate::config::errors::parse_toml::<AnnexFile>(&text)
        .context("mẫu phụ lục tổng hợp consolidation/phu-luc.toml không hợp lệ")?
        .words)
}

fn load_templates(templates: Option<&Path>) -> Result<tera::Tera> {
    let mut defaults: Vec<(&str, &str)> = DEFAULT_FILES.to_vec();
    defaults.extend(crate::render::report::docx_part_templates().copied());
    crate::render::templates::load(templates, "consolidation", &defaults)
}

/// The summary printed at the end of `cchc consolidate`.
pub fn summary(outcome: &super::Outcome, templates: Option<&Path>) -> Result<String> {
    let c = &outcome.consolidation;
    let tera = load_templates(templates)?;
    let mut ctx = tera::Context::from_serialize(report_view(c, &annex_words(templates)?))?;
    ctx.insert("written", &outcome.written);
    ctx.insert("out", &outcome.out.display().to_string());
    tera.render("tom-tat.txt", &ctx)
        .context("không dựng được mẫu tổng hợp tom-tat.txt")
}

/// The rendered report and page.
pub struct Rendered {
    /// The Word report.
    pub docx: Vec<u8>,
    /// Its body part (for tests).
    pub document_xml: String,
    /// The report as a web page.
    pub html: Vec<u8>,
    /// The public page.
    pub public: Vec<u8>,
}

/// Renders the report (both formats) and the public page.
pub fn documents(c: &Consolidation, templates: Option<&Path>) -> Result<Rendered> {
    let words = annex_words(templates)?;
    let tera = load_templates(templates)?;
    let ctx = tera::Context::from_serialize(report_view(c, &words))?;
    let render = |name: &str| {
        tera.render(name, &ctx)
            .with_context(|| format!("không dựng được mẫu tổng hợp {name}"))
    };
    let (docx, document_xml) = crate::render::report::package_docx(&tera, &ctx)?;
    Ok(Rendered {
        docx,
        document_xml,
        html: render("bao-cao.html")?.into_bytes(),
        public: render("cong-khai.html")?.into_bytes(),
    })
}

/// Every file of the consolidation: (name, bytes).
pub fn render_all(c: &Consolidation, templates: Option<&Path>) -> Result<Vec<(String, Vec<u8>)>> {
    let p = &c.period;
    let (sheets, title, footer) = annex_book(c, templates)?;
    let xlsx = crate::render::annex::xlsx::write_workbook(sheets, &title, &footer)
        .map_err(|e| anyhow::anyhow!("không ghi được phụ lục tổng hợp: {e}"))?;
    let docs = documents(c, templates)?;
    Ok(vec![
        (format!("{}{p}.json", super::CONSOLIDATED_PREFIX), json(c)?),
        (format!("phu-luc-tong-hop-{p}.xlsx"), xlsx),
        (format!("bao-cao-tong-hop-{p}.docx"), docs.docx),
        (format!("bao-cao-tong-hop-{p}.html"), docs.html),
        (format!("cong-khai-tong-hop-{p}.html"), docs.public),
    ])
}

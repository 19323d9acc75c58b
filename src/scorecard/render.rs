//! The scorecard rendered: the terminal table, `chi-so-766-<window>.xlsx` (scorecard, points
//! lost by unit, reconciliation with the portal) and `.html`. The words are
//! `templates/index766/chi-so-766.toml`, the page `templates/index766/chi-so-766.html`; both
//! embedded, both overridable by the locality's templates folder. The workbook and the page read
//! the same view ([`view`]).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::index766::config::Index766Config;
use crate::index766::estimate::{Origin, UnitScore, WindowScores};
use crate::index766::portal::GroupCheck;
use crate::render::annex::build::fit_row_heights;
use crate::render::annex::model::{Merge, SheetModel, Style, Value};
use crate::vn;

/// The default words, embedded.
pub const DEFAULT_WORDS: &str = include_str!("../../templates/index766/chi-so-766.toml");
/// The default page, embedded.
pub const DEFAULT_PAGE: &str = include_str!("../../templates/index766/chi-so-766.html");

/// The column headers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnWords {
    /// Rank.
    pub rank: String,
    /// Unit.
    pub unit: String,
    /// Total.
    pub total: String,
    /// Max of the indicators with points.
    pub max: String,
    /// Band.
    pub band: String,
    /// Indicator.
    pub indicator: String,
    /// Record code.
    pub code: String,
    /// Procedure.
    pub procedure: String,
    /// Field.
    pub field: String,
    /// Received.
    pub received: String,
    /// Due.
    pub due: String,
    /// End.
    pub end: String,
    /// Days late.
    pub days_late: String,
    /// Why it costs points.
    pub reason: String,
    /// Points it costs.
    pub points: String,
    /// Group.
    pub group: String,
    /// The estimate.
    pub estimate: String,
    /// Maxima not computed.
    pub not_computed: String,
    /// The portal's score.
    pub portal: String,
    /// Difference.
    pub difference: String,
    /// Likely causes.
    pub causes: String,
}

/// Why a record costs points, by reason code ([`crate::index766::estimate::LostRecord::reason`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonWords {
    /// Resolved late.
    pub late: String,
    /// Open and overdue at the window's end.
    pub overdue: String,
    /// No due date.
    pub no_due_date: String,
    /// Fee not paid online.
    pub not_paid_online: String,
    /// No electronic result.
    pub no_e_result: String,
    /// Not digitized.
    pub not_digitized: String,
    /// PAKN closed late.
    pub pakn_late: String,
    /// PAKN overdue.
    pub pakn_overdue: String,
    /// Rated dissatisfied.
    pub dissatisfied: String,
}

/// `chi-so-766.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Title.
    pub title: String,
    /// The basis line under it.
    pub basis: String,
    /// Label of estimated figures.
    pub estimate_label: String,
    /// Label of the portal's figures.
    pub portal_label: String,
    /// What a figure without data shows.
    pub no_data: String,
    /// The note on what is estimated.
    pub note: String,
    /// Sheet of the scorecard.
    pub scorecard_sheet: String,
    /// Sheet of the points lost.
    pub lost_sheet: String,
    /// Sheet of the reconciliation.
    pub reconciliation_sheet: String,
    /// Note under the locality's row.
    pub locality_note: String,
    /// A unit without lost points.
    pub no_lost: String,
    /// Marks an office shown as breakdown.
    pub breakdown: String,
    /// After a unit's list cut at `lost_rows`: "{n}" is the number not listed.
    pub lost_more: String,
    /// The words of every page's footer: `{page}` the page number, `{pages}` their count; a
    /// locality's copy that leaves it out takes the shipped file's.
    #[serde(default)]
    pub page_footer: Option<String>,
    /// Column headers.
    pub columns: ColumnWords,
    /// Reasons.
    pub reasons: ReasonWords,
}

impl Words {
    /// The locality's `index766/chi-so-766.toml`, else the embedded words.
    pub fn load(templates_dir: Option<&Path>) -> Result<Words> {
        let own = templates_dir
            .map(|d| d.join("index766").join("chi-so-766.toml"))
            .filter(|p| p.exists());
        let (text, origin) = match &own {
            Some(p) => (
                std::fs::read_to_string(p)
                    .with_context(|| format!("không đọc được {}", p.display()))?,
                p.display().to_string(),
            ),
            None => (
                DEFAULT_WORDS.to_string(),
                "(mặc định) index766/chi-so-766.toml".into(),
            ),
        };
        let mut words: Words = toml::from_str(&text).with_context(|| {
            format!("tệp chữ của bảng điểm 766 {origin} không đúng cấu trúc; sửa theo templates/index766/chi-so-766.toml")
        })?;
        if words.page_footer.is_none() {
            let shipped: Words = toml::from_str(DEFAULT_WORDS).context(
                "lỗi chương trình: tệp chữ mặc định index766/chi-so-766.toml không đúng cấu trúc",
            )?;
            words.page_footer = shipped.page_footer;
        }
        Ok(words)
    }

    fn reason(&self, code: &str) -> String {
        let r = &self.reasons;
        match code {
            "late" => &r.late,
            "overdue" => &r.overdue,
            "no_due_date" => &r.no_due_date,
            "not_paid_online" => &r.not_paid_online,
            "no_e_result" => &r.no_e_result,
            "not_digitized" => &r.not_digitized,
            "pakn_late" => &r.pakn_late,
            "pakn_overdue" => &r.pakn_overdue,
            _ => &r.dissatisfied,
        }
        .clone()
    }
}

/// A group's header.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Short name.
    pub short: String,
    /// Name.
    pub name: String,
    /// Max.
    pub max: f64,
}

/// An indicator's header.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    /// Number.
    pub id: String,
    /// Name.
    pub name: String,
    /// Max.
    pub max: f64,
}

/// One indicator cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Points (None: no data).
    pub points: Option<f64>,
    /// "ước tính (cchc)" or "Cổng DVCQG".
    pub source: String,
}

/// A lost record as shown.
#[derive(Debug, Clone, Serialize)]
pub struct LostView {
    /// Indicator.
    pub indicator: String,
    /// Code.
    pub code: String,
    /// Procedure.
    pub procedure: Option<String>,
    /// Field.
    pub field: String,
    /// Received.
    pub received: Option<chrono::NaiveDate>,
    /// Due.
    pub due: Option<chrono::NaiveDate>,
    /// End.
    pub end: Option<chrono::NaiveDate>,
    /// Days late.
    pub days_late: Option<i64>,
    /// Reason, in words.
    pub reason: String,
    /// Points.
    pub points: f64,
}

/// One unit's row.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// Rank.
    pub rank: Option<u32>,
    /// Unit.
    pub unit: String,
    /// An office shown as breakdown.
    pub breakdown: bool,
    /// Points per group.
    pub groups: Vec<Option<f64>>,
    /// Points per indicator.
    pub indicators: Vec<CellView>,
    /// Total.
    pub total: f64,
    /// Max of what has points.
    pub max: f64,
    /// Band.
    pub band: Option<String>,
    /// Records that cost points.
    pub lost: Vec<LostView>,
    /// Records beyond the listing limit, not listed.
    pub lost_more: usize,
    /// The words saying so (None when every record is listed).
    pub lost_more_text: Option<String>,
}

/// A reconciliation row.
#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    /// Unit.
    pub unit: String,
    /// Group name.
    pub group_name: String,
    /// Estimate.
    pub estimate: Option<f64>,
    /// Maxima not computed.
    pub not_computed: f64,
    /// Portal.
    pub portal: Option<f64>,
    /// Difference, signed, Vietnamese ("−2", "0,75"; "—" when absent).
    pub difference_text: String,
    /// Flagged.
    pub flagged: bool,
    /// Causes.
    pub causes: Vec<String>,
}

/// What the workbook and page show of one window.
#[derive(Debug, Clone, Serialize)]
pub struct ScorecardView {
    /// Words.
    pub words: Words,
    /// The locality's name.
    pub district: String,
    /// The window.
    pub window: crate::index766::json::WindowBounds,
    /// Its Vietnamese name.
    pub window_label: String,
    /// The portal's file, when read.
    pub portal_file: Option<String>,
    /// Group headers.
    pub groups: Vec<GroupView>,
    /// Indicator headers.
    pub indicators: Vec<IndicatorView>,
    /// Unit rows.
    pub rows: Vec<RowView>,
    /// The locality.
    pub locality: RowView,
    /// Reconciliation rows.
    pub checks: Vec<CheckView>,
}

/// A signed number the Vietnamese way ("−2", "0,75").
pub fn signed(v: f64) -> String {
    if v < 0.0 {
        format!("−{}", vn::number(-v))
    } else {
        vn::number(v)
    }
}

fn row_view(words: &Words, s: &UnitScore) -> RowView {
    RowView {
        rank: s.rank,
        unit: s.unit.clone(),
        breakdown: s.breakdown,
        groups: s.groups.iter().map(|g| g.1).collect(),
        indicators: s
            .indicators
            .iter()
            .map(|i| CellView {
                points: i.points,
                source: match i.source {
                    Origin::Estimate => words.estimate_label.clone(),
                    Origin::Portal => words.portal_label.clone(),
                },
            })
            .collect(),
        total: s.total,
        max: s.max,
        band: s.band.clone(),
        lost_more: s.lost_more,
        lost_more_text: (s.lost_more > 0)
            .then(|| words.lost_more.replace("{n}", &vn::int(s.lost_more as u64))),
        lost: s
            .lost
            .iter()
            .map(|l| LostView {
                indicator: l.indicator.clone(),
                code: l.code.clone(),
                procedure: l.procedure.clone(),
                field: l.field.clone(),
                received: l.received,
                due: l.due,
                end: l.end,
                days_late: l.days_late,
                reason: words.reason(l.reason),
                points: l.points,
            })
            .collect(),
    }
}

/// The view of one window.
pub fn view(
    district: &str,
    config: &Index766Config,
    words: &Words,
    scores: &WindowScores,
    checks: &[GroupCheck],
    portal_file: Option<&str>,
) -> ScorecardView {
    ScorecardView {
        words: words.clone(),
        district: district.to_string(),
        window: crate::index766::json::WindowBounds {
            start: scores.window.start,
            end: scores.window.end,
        },
        window_label: scores.window.label(),
        portal_file: portal_file.map(str::to_string),
        groups: config
            .groups
            .iter()
            .map(|g| GroupView {
                short: g.short.clone(),
                name: g.name.clone(),
                max: g.max,
            })
            .collect(),
        indicators: config
            .indicators
            .iter()
            .map(|i| IndicatorView {
                id: i.id.clone(),
                name: i.name.clone(),
                max: i.max,
            })
            .collect(),
        rows: scores.units.iter().map(|u| row_view(words, u)).collect(),
        locality: row_view(words, &scores.locality),
        checks: checks
            .iter()
            .map(|c| CheckView {
                unit: c.unit.clone(),
                group_name: c.group_name.clone(),
                estimate: c.estimate,
                not_computed: c.not_computed,
                portal: c.portal,
                difference_text: c.difference.map_or("—".into(), signed),
                flagged: c.flagged,
                causes: c.causes.clone(),
            })
            .collect(),
    }
}

fn sheet(name: &str, widths: Vec<f64>) -> SheetModel {
    SheetModel {
        name: name.chars().take(31).collect(),
        font: "Times New Roman".into(),
        font_size: 11.0,
        widths,
        ..SheetModel::default()
    }
}

fn merged(m: &mut SheetModel, row: u32, last_col: u16, text: &str, style: Style) {
    m.merges.push(Merge {
        first_row: row,
        first_col: 0,
        last_row: row,
        last_col,
        text: text.to_string(),
        style,
    });
}

fn num(v: Option<f64>) -> (Value, Style) {
    match v {
        Some(x) => (Value::Number(x), Style::Rate),
        None => (Value::Blank, Style::Text),
    }
}

fn text(m: &mut SheetModel, row: u32, col: u16, t: &str) {
    m.set(row, col, Value::Text(t.to_string()), Style::Text);
}

/// The workbook's sheets.
pub fn sheets(v: &ScorecardView) -> Vec<SheetModel> {
    let w = &v.words;
    let c = &w.columns;
    let subtitle = format!("{} — {} — {}", v.district, v.window_label, w.basis);
    // Scorecard: rank, unit, groups, total, max, band, then each indicator's points.
    let n = 2 + v.groups.len() + 3 + v.indicators.len();
    let mut widths = vec![7.0, 32.0];
    widths.extend(std::iter::repeat_n(11.0, v.groups.len()));
    widths.extend([10.0, 9.0, 12.0]);
    widths.extend(std::iter::repeat_n(8.0, v.indicators.len()));
    let last = (n - 1) as u16;
    let mut m = sheet(&w.scorecard_sheet, widths);
    merged(&mut m, 0, last, &w.title, Style::Title);
    merged(&mut m, 1, last, &subtitle, Style::Subtitle);
    merged(&mut m, 2, last, &w.note, Style::Note);
    let h = 3;
    let mut headers = vec![c.rank.clone(), c.unit.clone()];
    headers.extend(
        v.groups
            .iter()
            .map(|g| format!("{} ({})", g.name, vn::number(g.max))),
    );
    headers.extend([c.total.clone(), c.max.clone(), c.band.clone()]);
    headers.extend(
        v.indicators
            .iter()
            .map(|i| format!("{} ({})", i.id, vn::number(i.max))),
    );
    for (col, t) in headers.iter().enumerate() {
        m.set(h, col as u16, Value::Text(t.clone()), Style::Header);
    }
    m.repeat_rows = Some((h, h));
    m.freeze_row = h + 1;
    let mut row = h + 1;
    for r in v.rows.iter().chain(std::iter::once(&v.locality)) {
        match r.rank {
            Some(k) => m.set(row, 0, Value::Number(f64::from(k)), Style::Integer),
            None => m.set(row, 0, Value::Blank, Style::Text),
        }
        let name = if r.breakdown {
            format!("{} ({})", r.unit, w.breakdown)
        } else {
            r.unit.clone()
        };
        text(&mut m, row, 1, &name);
        let mut col = 2u16;
        for g in &r.groups {
            let (val, st) = num(*g);
            m.set(row, col, val, st);
            col += 1;
        }
        m.set(row, col, Value::Number(r.total), Style::Rate);
        m.set(row, col + 1, Value::Number(r.max), Style::Rate);
        text(&mut m, row, col + 2, r.band.as_deref().unwrap_or("—"));
        col += 3;
        for i in &r.indicators {
            match i.points {
                Some(p) => m.set(row, col, Value::Number(p), Style::Rate),
                None => text(&mut m, row, col, &w.no_data),
            }
            col += 1;
        }
        row += 1;
    }
    merged(&mut m, row, last, &w.locality_note, Style::Note);
    fit_row_heights(&mut m, 0);
    let mut out = vec![m];
    // Points lost, unit by unit.
    let mut m = sheet(
        &w.lost_sheet,
        vec![9.0, 24.0, 36.0, 22.0, 12.0, 12.0, 12.0, 9.0, 34.0, 10.0],
    );
    merged(&mut m, 0, 9, &w.lost_sheet.to_uppercase(), Style::Title);
    merged(&mut m, 1, 9, &subtitle, Style::Subtitle);
    let mut row = 2;
    for r in &v.rows {
        row += 1;
        merged(&mut m, row, 9, &r.unit, Style::AgencyBold);
        row += 1;
        if r.lost.is_empty() {
            merged(&mut m, row, 9, &w.no_lost, Style::Text);
            row += 1;
            continue;
        }
        for (col, t) in [
            &c.indicator,
            &c.code,
            &c.procedure,
            &c.field,
            &c.received,
            &c.due,
            &c.end,
            &c.days_late,
            &c.reason,
            &c.points,
        ]
        .iter()
        .enumerate()
        {
            m.set(row, col as u16, Value::Text((*t).clone()), Style::Header);
        }
        row += 1;
        for l in &r.lost {
            text(&mut m, row, 0, &l.indicator);
            text(&mut m, row, 1, &l.code);
            text(&mut m, row, 2, l.procedure.as_deref().unwrap_or(""));
            text(&mut m, row, 3, &l.field);
            for (col, d) in [(4u16, l.received), (5, l.due), (6, l.end)] {
                match d {
                    Some(d) => m.set(row, col, Value::Date(d), Style::Date),
                    None => m.set(row, col, Value::Blank, Style::Text),
                }
            }
            match l.days_late {
                Some(d) => m.set(row, 7, Value::Number(d as f64), Style::Integer),
                None => m.set(row, 7, Value::Blank, Style::Text),
            }
            text(&mut m, row, 8, &l.reason);
            m.set(row, 9, Value::Number(l.points), Style::Rate);
            row += 1;
        }
        if let Some(t) = &r.lost_more_text {
            merged(&mut m, row, 9, t, Style::Note);
            row += 1;
        }
    }
    fit_row_heights(&mut m, 0);
    out.push(m);
    if !v.checks.is_empty() {
        let mut m = sheet(
            &w.reconciliation_sheet,
            vec![32.0, 24.0, 12.0, 14.0, 12.0, 11.0, 60.0],
        );
        merged(
            &mut m,
            0,
            6,
            &w.reconciliation_sheet.to_uppercase(),
            Style::Title,
        );
        merged(&mut m, 1, 6, &subtitle, Style::Subtitle);
        if let Some(f) = &v.portal_file {
            merged(
                &mut m,
                2,
                6,
                &format!("{}: {f}", w.portal_label),
                Style::Note,
            );
        }
        for (col, t) in [
            &c.unit,
            &c.group,
            &c.estimate,
            &c.not_computed,
            &c.portal,
            &c.difference,
            &c.causes,
        ]
        .iter()
        .enumerate()
        {
            m.set(3, col as u16, Value::Text((*t).clone()), Style::Header);
        }
        m.freeze_row = 4;
        for (row, k) in (4..).zip(&v.checks) {
            text(&mut m, row, 0, &k.unit);
            text(&mut m, row, 1, &k.group_name);
            let (val, st) = num(k.estimate);
            m.set(row, 2, val, st);
            m.set(row, 3, Value::Number(k.not_computed), Style::Rate);
            let (val, st) = num(k.portal);
            m.set(row, 4, val, st);
            m.set(
                row,
                5,
                Value::Text(k.difference_text.clone()),
                if k.flagged {
                    Style::Missed
                } else {
                    Style::TextCenter
                },
            );
            text(&mut m, row, 6, &k.causes.join("; "));
        }
        fit_row_heights(&mut m, 0);
        out.push(m);
    }
    out
}

/// `chi-so-766-<window>.xlsx`.
pub fn workbook(v: &ScorecardView) -> Result<Vec<u8>> {
    let title = format!("{} {}", v.words.title, v.window_label);
    let footer = v.words.page_footer.as_deref().unwrap_or_default();
    crate::render::annex::xlsx::write_workbook(sheets(v), &title, footer)
        .context("không tạo được tệp bảng điểm Chỉ số 766")
}

/// `chi-so-766-<window>.html`, with the locality's `index766/chi-so-766.html` when it has one.
pub fn page(templates_dir: Option<&Path>, v: &ScorecardView) -> Result<Vec<u8>> {
    let tera = crate::render::templates::load(
        templates_dir,
        "index766",
        &[("chi-so-766.html", DEFAULT_PAGE)],
    )?;
    let ctx = tera::Context::from_serialize(v)?;
    Ok(tera
        .render("chi-so-766.html", &ctx)
        .context("không dựng được trang bảng điểm Chỉ số 766")?
        .into_bytes())
}

fn cell_text(v: Option<f64>) -> String {
    v.map_or("—".to_string(), vn::number)
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let n = s.chars().count();
    let fill = " ".repeat(width.saturating_sub(n));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// The per-unit table of one window, for the terminal.
pub fn table(v: &ScorecardView) -> String {
    let w = &v.words;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Chỉ số 766 — {} — {} ({} – {}), {}{}",
        v.district,
        v.window_label,
        vn::short_date(v.window.start),
        vn::short_date(v.window.end),
        w.estimate_label,
        v.portal_file
            .as_ref()
            .map(|f| format!(" và {} ({f})", w.portal_label))
            .unwrap_or_default()
    );
    let unit_width = v
        .rows
        .iter()
        .map(|r| r.unit.chars().count())
        .chain([
            v.locality.unit.chars().count(),
            w.columns.unit.chars().count(),
        ])
        .max()
        .unwrap_or(10)
        .min(40);
    let mut head = format!(
        "{} {}",
        pad(&w.columns.rank, 4, true),
        pad(&w.columns.unit, unit_width, false)
    );
    let widths: Vec<usize> = v
        .groups
        .iter()
        .map(|g| g.short.chars().count().max(6))
        .collect();
    for (g, width) in v.groups.iter().zip(&widths) {
        head.push_str(&format!(" {}", pad(&g.short, *width, true)));
    }
    head.push_str(&format!(
        " {} {} {}",
        pad(&w.columns.total, 9, true),
        pad(&w.columns.max, 6, true),
        w.columns.band
    ));
    let _ = writeln!(s, "{head}");
    let line = |r: &RowView| {
        let unit: String = r.unit.chars().take(unit_width).collect();
        let mut l = format!(
            "{} {}",
            pad(&r.rank.map_or(String::new(), |k| k.to_string()), 4, true),
            pad(&unit, unit_width, false)
        );
        for (g, width) in r.groups.iter().zip(&widths) {
            l.push_str(&format!(" {}", pad(&cell_text(*g), *width, true)));
        }
        l.push_str(&format!(
            " {} {} {}",
            pad(&vn::number(r.total), 9, true),
            pad(&vn::number(r.max), 6, true),
            r.band.as_deref().unwrap_or("—")
        ));
        l
    };
    for r in &v.rows {
        let _ = writeln!(s, "{}", line(r));
    }
    let _ = writeln!(s, "{}", line(&v.locality));
    let flagged: Vec<&CheckView> = v.checks.iter().filter(|c| c.flagged).collect();
    if !flagged.is_empty() {
        let _ = writeln!(s, "Lệch điểm Cổng DVCQG quá ngưỡng:");
        for c in flagged {
            let _ = writeln!(
                s,
                "  {} — {}: ước tính {}, Cổng {}, chênh {}",
                c.unit,
                c.group_name,
                cell_text(c.estimate),
                cell_text(c.portal),
                c.difference_text
            );
        }
    }
    s
}

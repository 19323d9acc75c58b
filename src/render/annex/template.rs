//! Annex templates: `templates/annexes/*.toml`, strict serde. The defaults are embedded in the
//! binary; a district's `templates/annexes/` folder overrides any file of the same name.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The default annex templates, embedded.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "phu-luc.toml",
        include_str!("../../../templates/annexes/phu-luc.toml"),
    ),
    (
        "bieu-06.toml",
        include_str!("../../../templates/annexes/bieu-06.toml"),
    ),
    (
        "chi-tieu.toml",
        include_str!("../../../templates/annexes/chi-tieu.toml"),
    ),
    (
        "ho-so-tre-han.toml",
        include_str!("../../../templates/annexes/ho-so-tre-han.toml"),
    ),
    (
        "thieu-xin-loi.toml",
        include_str!("../../../templates/annexes/thieu-xin-loi.toml"),
    ),
    (
        "ty-le-dung-han.toml",
        include_str!("../../../templates/annexes/ty-le-dung-han.toml"),
    ),
    (
        "muc-do-hai-long.toml",
        include_str!("../../../templates/annexes/muc-do-hai-long.toml"),
    ),
    (
        "phan-anh-kien-nghi.toml",
        include_str!("../../../templates/annexes/phan-anh-kien-nghi.toml"),
    ),
    (
        "pakn-tre-han.toml",
        include_str!("../../../templates/annexes/pakn-tre-han.toml"),
    ),
    (
        "so-lieu-don-vi.toml",
        include_str!("../../../templates/annexes/so-lieu-don-vi.toml"),
    ),
    (
        "tien-do-nhiem-vu.toml",
        include_str!("../../../templates/annexes/tien-do-nhiem-vu.toml"),
    ),
    (
        "tien-do-theo-don-vi.toml",
        include_str!("../../../templates/annexes/tien-do-theo-don-vi.toml"),
    ),
    (
        "noi-dung-don-vi.toml",
        include_str!("../../../templates/annexes/noi-dung-don-vi.toml"),
    ),
    (
        "chi-so-766.toml",
        include_str!("../../../templates/annexes/chi-so-766.toml"),
    ),
];

/// `phu-luc.toml`: which sheets, in which order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookTemplate {
    /// Sheet template files, in tab order.
    pub sheets: Vec<String>,
}

/// Which figures fill a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    /// Form 06 rows grouped by level and unit, with subtotals and a grand total.
    Form06,
    /// The plan's targets decided by the data.
    Targets,
    /// Dossiers resolved late in the period or pending overdue at its end.
    LateDossiers,
    /// On-time rate per unit, with a chart.
    OnTimeByUnit,
    /// Satisfaction counts grouped by level and unit, with subtotals and a grand total.
    Satisfaction,
    /// PAKN counts grouped by level and unit, with subtotals and a grand total.
    Pakn,
    /// PAKN closed late in the period or pending past their deadline at its end.
    PaknLate,
    /// The units' self-report answers: per question its district figure, then each unit asked.
    SelfReport,
    /// Every task of the plan by section: its leads, deadline, progress, evidence, late flagged.
    TaskProgress,
    /// Each lead unit's answer for each task it leads, grouped by unit.
    TaskAnswers,
    /// The units' own words for the report's sections, grouped by unit.
    UnitTexts,
    /// The 766 estimate per unit (group points, total, band, rank), then the locality; its
    /// `state_words` are the words of a figure without data and of a missing band.
    Index766,
}

/// Where the grand total of form 06 goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalPosition {
    /// Right under the header.
    #[default]
    Top,
    /// After the last row.
    Bottom,
}

/// Which late dossiers a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateFilter {
    /// Every one.
    #[default]
    All,
    /// Those whose export says no apology letter was given (target 3.4).
    WithoutApology,
}

/// One sheet template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetTemplate {
    /// Which figures fill it.
    pub kind: SheetKind,
    /// Tab name.
    pub name: String,
    /// Agency block, top left (Tera one-liners).
    #[serde(default)]
    pub top_left: Vec<String>,
    /// Form code, top right.
    #[serde(default)]
    pub top_right: Vec<String>,
    /// Title lines, centred.
    pub title: Vec<String>,
    /// A note right above the table.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether a `(1) (2) …` row follows the header.
    #[serde(default)]
    pub numbering_row: bool,
    /// Form 06: where the grand total goes.
    #[serde(default)]
    pub total_position: TotalPosition,
    /// Late dossiers: which of them to list.
    #[serde(default)]
    pub filter: LateFilter,
    /// Grouped sheets: the grand total's label.
    #[serde(default = "default_total_label")]
    pub total_label: String,
    /// Grouped sheets: the name of a detail row whose field the exports do not say.
    #[serde(default = "default_blank_field")]
    pub blank_field: String,
    /// The sentence shown when the sheet has nothing to list.
    #[serde(default = "default_empty")]
    pub empty: String,
    /// Late dossiers without an apology: the sentence shown instead of `empty` when late
    /// dossiers exist but no export says whether they were apologised for; `{n}` is their
    /// number.
    #[serde(default)]
    pub unknown: Option<String>,
    /// Late lists: the words of the `state` column, closed late and still open. Task progress:
    /// the words of the `late` column, late and not late.
    #[serde(default = "default_state_words")]
    pub state_words: [String; 2],
    /// Task progress: the words of the `status` column — done, in progress, not started, not
    /// reported.
    #[serde(default = "default_status_words")]
    pub status_words: [String; 4],
    /// Task progress: above this many lead units, the evidence column shows
    /// `evidence_elsewhere` instead of every unit's document.
    #[serde(default)]
    pub evidence_units_max: Option<usize>,
    /// Task progress: what the evidence column says of a task with too many leads to list.
    #[serde(default)]
    pub evidence_elsewhere: String,
    /// Font of every cell.
    #[serde(default = "default_font")]
    pub font: String,
    /// Body font size, in points.
    #[serde(default = "default_font_size")]
    pub font_size: f64,
    /// The columns, left to right.
    pub columns: Vec<ColumnTemplate>,
    /// A chart under the table.
    #[serde(default)]
    pub chart: Option<ChartTemplate>,
}

fn default_total_label() -> String {
    "TỔNG SỐ".into()
}
fn default_state_words() -> [String; 2] {
    ["—".into(), "—".into()]
}
fn default_status_words() -> [String; 4] {
    ["—".into(), "—".into(), "—".into(), "—".into()]
}
fn default_blank_field() -> String {
    "—".into()
}
fn default_empty() -> String {
    "—".into()
}
fn default_font() -> String {
    "Times New Roman".into()
}
fn default_font_size() -> f64 {
    12.0
}

/// One column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnTemplate {
    /// The figure it shows (see CONTRIBUTING.md for the names each kind offers).
    pub value: String,
    /// Header cells from the top level down; equal neighbours merge.
    pub header: Vec<String>,
    /// Width in characters.
    pub width: f64,
    /// Flag rates below this target id's threshold for the row's field (e.g. "3.1").
    #[serde(default)]
    pub flag_target: Option<String>,
}

/// A chart under the table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartTemplate {
    /// Chart title.
    pub title: String,
    /// The target id whose field threshold is drawn as a line (e.g. "3.1").
    #[serde(default)]
    pub target: Option<String>,
}

/// All annex templates, resolved.
#[derive(Debug)]
pub struct AnnexTemplates {
    /// The sheets, in tab order.
    pub sheets: Vec<SheetTemplate>,
}

fn read(dir: Option<&Path>, name: &str) -> Result<(String, String)> {
    let own = dir.is_some_and(|d| d.join("annexes").join(name).exists());
    match DEFAULT_FILES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => crate::render::templates::own_or_default(dir, "annexes", name, text),
        None if own => crate::render::templates::own_or_default(dir, "annexes", name, ""),
        None => {
            bail!(
                "không có mẫu phụ lục «{name}» (trong thư mục mẫu của địa phương hay mẫu mặc định)"
            )
        }
    }
}

impl AnnexTemplates {
    /// Loads the templates: each file from `dir/annexes/` when it exists there, else the default.
    pub fn load(dir: Option<&Path>) -> Result<AnnexTemplates> {
        let (where_, text) = read(dir, "phu-luc.toml")?;
        let book: BookTemplate = crate::config::errors::parse_toml(&text)
            .with_context(|| format!("mẫu phụ lục {where_} không hợp lệ"))?;
        let mut sheets = Vec::new();
        for name in &book.sheets {
            let (where_, text) = read(dir, name)?;
            let sheet: SheetTemplate = crate::config::errors::parse_toml(&text)
                .with_context(|| format!("mẫu phụ lục {where_} không hợp lệ"))?;
            if sheet.columns.is_empty() {
                bail!("mẫu phụ lục {where_}: chưa khai báo cột nào");
            }
            for c in &sheet.columns {
                if c.header.is_empty() {
                    bail!("mẫu phụ lục {where_}: cột «{}» chưa có tiêu đề", c.value);
                }
                if !super::build::offers(sheet.kind, &c.value) {
                    bail!(
                        "mẫu phụ lục {where_}: trang «{}» không có số liệu «{}»; các tên dùng được: {}",
                        sheet.name,
                        c.value,
                        super::build::offered(sheet.kind).join(", ")
                    );
                }
            }
            sheets.push(sheet);
        }
        Ok(AnnexTemplates { sheets })
    }
}

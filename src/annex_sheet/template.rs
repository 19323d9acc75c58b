//! One sheet template of the configured annex (`templates/annexes/<sheet>.toml`, strict serde):
//! what a kind's sheet builder is handed, so it lives on the ground floor with the sheet model.
//! Reading the files, in the order `phu-luc.toml` gives, is the annex machinery's
//! (`render::annex::template`).

use serde::Deserialize;

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
    /// Which figures fill it: a sheet kind the core or an input kind offers (`pakn`,
    /// `targets` …), checked when the templates are loaded.
    pub kind: String,
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

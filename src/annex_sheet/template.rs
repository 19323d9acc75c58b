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
    /// Grouped sheets: the grand total's label. The words of this field and the four after it
    /// may be left out: they then come from `[defaults]` of `phu-luc.toml`.
    #[serde(default)]
    pub total_label: Option<String>,
    /// Grouped sheets: the name of a detail row whose field the exports do not say.
    #[serde(default)]
    pub blank_field: Option<String>,
    /// The sentence shown when the sheet has nothing to list.
    #[serde(default)]
    pub empty: Option<String>,
    /// Late dossiers without an apology: the sentence shown instead of `empty` when late
    /// dossiers exist but no export says whether they were apologised for; `{n}` is their
    /// number.
    #[serde(default)]
    pub unknown: Option<String>,
    /// Late lists: the words of the `state` column, closed late and still open. Task progress:
    /// the words of the `late` column, late and not late.
    #[serde(default)]
    pub state_words: Option<[String; 2]>,
    /// Task progress: the words of the `status` column — done, in progress, not started, not
    /// reported.
    #[serde(default)]
    pub status_words: Option<[String; 4]>,
    /// Late dossiers: the words of the `apology` column — a letter given, none, the export does
    /// not say. Left out, they come from the kind's shipped template (as every word a sheet kind
    /// lists in `OfferedSheet::words`).
    #[serde(default)]
    pub apology_words: Option<[String; 3]>,
    /// Self-reports: what the `reported` column says on a question's line; `{n}` is the number
    /// of units that answered, `{asked}` the number asked.
    #[serde(default)]
    pub reported_count: Option<String>,
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

/// The words of a sheet template that may be left out, by key (`chart.target_name` inside
/// `[chart]`): they then come from the kind's shipped template (the keys a sheet kind lists in
/// `OfferedSheet::words`) or from `[defaults]` of `phu-luc.toml`.
pub const WORD_KEYS: &[&str] = &[
    "total_label",
    "blank_field",
    "empty",
    "state_words",
    "status_words",
    "apology_words",
    "reported_count",
    "chart.target_name",
];

/// `[defaults]` of `phu-luc.toml`: the words of a sheet whose template leaves them out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetDefaults {
    /// The grand total's label of a grouped sheet.
    #[serde(default)]
    pub total_label: Option<String>,
    /// The name of a detail row whose field the exports do not say.
    #[serde(default)]
    pub blank_field: Option<String>,
    /// The sentence of a sheet with nothing to list.
    #[serde(default)]
    pub empty: Option<String>,
    /// The two words of a `state` or `late` column.
    #[serde(default)]
    pub state_words: Option<[String; 2]>,
    /// The four words of a `status` column.
    #[serde(default)]
    pub status_words: Option<[String; 4]>,
}

impl SheetDefaults {
    /// Takes from `from` every word these defaults leave out.
    pub fn fill_from(&mut self, from: &SheetDefaults) {
        take(&mut self.total_label, &from.total_label);
        take(&mut self.blank_field, &from.blank_field);
        take(&mut self.empty, &from.empty);
        take(&mut self.state_words, &from.state_words);
        take(&mut self.status_words, &from.status_words);
    }
}

fn take<T: Clone>(own: &mut Option<T>, from: &Option<T>) {
    if own.is_none() {
        own.clone_from(from);
    }
}

impl SheetTemplate {
    /// The grand total's label.
    pub fn total_label(&self) -> &str {
        self.total_label.as_deref().unwrap_or_default()
    }
    /// The name of a detail row whose field the exports do not say.
    pub fn blank_field(&self) -> &str {
        self.blank_field.as_deref().unwrap_or_default()
    }
    /// The sentence shown when the sheet has nothing to list.
    pub fn empty(&self) -> &str {
        self.empty.as_deref().unwrap_or_default()
    }
    /// Word `i` of `state_words`.
    pub fn state_word(&self, i: usize) -> &str {
        word(&self.state_words, i)
    }
    /// Word `i` of `status_words`.
    pub fn status_word(&self, i: usize) -> &str {
        word(&self.status_words, i)
    }
    /// Word `i` of `apology_words`.
    pub fn apology_word(&self, i: usize) -> &str {
        word(&self.apology_words, i)
    }
    /// The `reported` column of a question's line: `n` units answered of `asked`.
    pub fn reported_count(&self, n: usize, asked: usize) -> String {
        self.reported_count
            .as_deref()
            .unwrap_or_default()
            .replace("{n}", &n.to_string())
            .replace("{asked}", &asked.to_string())
    }

    /// Whether it says the word of `key` (one of [`WORD_KEYS`]; a chart's word when it has no
    /// chart counts as said).
    pub fn says(&self, key: &str) -> bool {
        match key {
            "total_label" => self.total_label.is_some(),
            "blank_field" => self.blank_field.is_some(),
            "empty" => self.empty.is_some(),
            "state_words" => self.state_words.is_some(),
            "status_words" => self.status_words.is_some(),
            "apology_words" => self.apology_words.is_some(),
            "reported_count" => self.reported_count.is_some(),
            "chart.target_name" => self.chart.as_ref().is_none_or(|c| c.target_name.is_some()),
            _ => false,
        }
    }

    /// Takes the word of `key` from `from` when it leaves it out.
    pub fn take_word(&mut self, key: &str, from: &SheetTemplate) {
        match key {
            "total_label" => take(&mut self.total_label, &from.total_label),
            "blank_field" => take(&mut self.blank_field, &from.blank_field),
            "empty" => take(&mut self.empty, &from.empty),
            "state_words" => take(&mut self.state_words, &from.state_words),
            "status_words" => take(&mut self.status_words, &from.status_words),
            "apology_words" => take(&mut self.apology_words, &from.apology_words),
            "reported_count" => take(&mut self.reported_count, &from.reported_count),
            "chart.target_name" => {
                if let (Some(c), Some(f)) = (self.chart.as_mut(), from.chart.as_ref()) {
                    take(&mut c.target_name, &f.target_name);
                }
            }
            _ => {}
        }
    }

    /// Takes from `[defaults]` every word it leaves out.
    pub fn take_defaults(&mut self, d: &SheetDefaults) {
        take(&mut self.total_label, &d.total_label);
        take(&mut self.blank_field, &d.blank_field);
        take(&mut self.empty, &d.empty);
        take(&mut self.state_words, &d.state_words);
        take(&mut self.status_words, &d.status_words);
    }
}

fn word<const N: usize>(words: &Option<[String; N]>, i: usize) -> &str {
    words
        .as_ref()
        .and_then(|w| w.get(i))
        .map_or("", String::as_str)
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
    /// The line's name in the chart's legend; `{target}` is the target id. Left out, it comes
    /// from the kind's shipped template.
    #[serde(default)]
    pub target_name: Option<String>,
}

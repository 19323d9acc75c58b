//! The shared builders of the annex workbook's configured sheets (`templates/annexes/`), on the
//! ground floor beside the sheet model so that a kind builds its own sheets from them without
//! reaching into `render`: the sheet template, the sheet kinds a kind offers, the grouped-counts
//! sheet, the late-list endings, the empty sheet's sentence. The annex machinery
//! (`render::annex`) loads the templates, draws each sheet's frame (title block and header) and
//! hands the body to the sheet kind's owner — the core or an input kind, through the registry.

pub mod counts;
pub mod template;

use std::collections::HashMap;

use crate::config::Pipeline;
use crate::figures::NamedCounts;
use crate::period::Period;
use crate::sheet::{Merge, SheetModel, Style, TextRule};

pub use counts::{cached_rate, counts_sheet, rate_cell, SheetCounts};
pub use template::{
    ChartTemplate, ColumnTemplate, LateFilter, SheetDefaults, SheetTemplate, TotalPosition,
};

/// A sheet kind of the configured annex (`kind = "pakn"` in a sheet template) and the values it
/// offers its template's columns; every sheet kind also offers `stt`, the row's number.
#[derive(Debug, Clone)]
pub struct OfferedSheet {
    /// Its name in the sheet templates.
    pub name: &'static str,
    /// The values its columns may show, `stt` aside, in the order an error message lists them.
    pub values: Vec<&'static str>,
    /// The words its sheets take from the kind's shipped template when a template leaves them
    /// out (keys of [`template::WORD_KEYS`]): words added to the templates after a locality
    /// copied them, so that its old copy still says what it said.
    pub words: Vec<&'static str>,
}

impl OfferedSheet {
    /// A sheet kind offering these values.
    pub fn new(name: &'static str, values: &[&'static str]) -> OfferedSheet {
        OfferedSheet {
            name,
            values: values.to_vec(),
            words: Vec::new(),
        }
    }
    /// The same, taking these words from the kind's shipped template when a template leaves
    /// them out.
    pub fn with_words(mut self, words: &[&'static str]) -> OfferedSheet {
        self.words = words.to_vec();
        self
    }
    /// A grouped-counts sheet kind ([`counts_sheet`]) of declared counts: `name` (the level, unit
    /// or field of a row), then the counts' names and rates.
    pub fn counts<C: NamedCounts>(name: &'static str) -> OfferedSheet {
        let mut values = vec!["name"];
        values.extend(C::names());
        values.extend(C::RATES.iter().map(|r| r.name));
        OfferedSheet {
            name,
            values,
            words: Vec::new(),
        }
    }
    /// The values its columns may show, `stt` first.
    pub fn offered(&self) -> Vec<&'static str> {
        std::iter::once("stt")
            .chain(self.values.iter().copied())
            .collect()
    }
    /// Whether its columns may show a value.
    pub fn offers(&self, value: &str) -> bool {
        value == "stt" || self.values.contains(&value)
    }
}

/// What a sheet's body may read beside its owner's figures.
pub struct SheetContext<'a> {
    /// The pipeline (levels, units, targets, vocabulary).
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
}

/// The column of each value a template shows.
pub fn columns(t: &SheetTemplate) -> HashMap<&str, u16> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.value.as_str(), i as u16))
        .collect()
}

/// A line across the whole sheet (a section's or a unit's heading, a note): the row after it.
pub fn full_width_line(
    m: &mut SheetModel,
    row: u32,
    last_col: u16,
    text: String,
    style: Style,
) -> u32 {
    m.merges.push(Merge {
        first_row: row,
        first_col: 0,
        last_row: row,
        last_col,
        text,
        style,
    });
    row + 1
}

/// The template's sentence for a sheet with nothing to list, across the table.
pub fn empty_note(t: &SheetTemplate, m: &mut SheetModel, row: u32) {
    m.merges.push(Merge {
        first_row: row,
        first_col: 0,
        last_row: row,
        last_col: (t.columns.len() as u16).saturating_sub(1),
        text: t.empty().to_string(),
        style: Style::Text,
    });
}

/// Ends a list whose `late` column holds `state_words`: the empty sheet's sentence when no row
/// was written (`row` is still `body`), else the late rows coloured.
pub fn finish_late_list(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    row: u32,
    late_col: Option<u16>,
) -> SheetModel {
    if row == body {
        empty_note(t, &mut m, body);
    } else if let Some(col) = late_col {
        m.rules.push(TextRule {
            first_row: body,
            last_row: row - 1,
            col,
            equals: t.state_word(0).to_string(),
            style: Style::Missed,
        });
    }
    m
}

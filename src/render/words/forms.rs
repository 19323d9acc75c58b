//! The fixed words of the units' forms: `templates/forms/bieu-mau.toml`. The questions, the
//! column headers and the guidance are the pipeline's (`self-report.toml`); the sheet names
//! stay in Rust, for a returned form is read back by them.

use std::path::Path;

use anyhow::Result;
use serde::{Deserialize, Serialize};

/// The default words, embedded.
pub const DEFAULT: &str = include_str!("../../../templates/forms/bieu-mau.toml");

/// Every fixed word of a form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormWords {
    /// The title in the file's properties (Tera one-liner of a [`FormView`]).
    pub document_title: String,
    /// The sheet of the unit, the period and the preparer.
    pub info: InfoWords,
    /// The sheet of the questions.
    pub data: DataWords,
    /// The sheet of the tasks.
    pub tasks: TaskWords,
    /// The sheet of the unit's own words.
    pub texts: TextsWords,
}

/// The information sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoWords {
    /// First line.
    pub title: String,
    /// Second line (Tera one-liner).
    pub subtitle: String,
    /// Label of the unit.
    pub unit: String,
    /// Label of the period id.
    pub period: String,
    /// Label of the period's first day.
    pub start: String,
    /// Label of the period's last day.
    pub end: String,
    /// Label of the return deadline.
    pub deadline: String,
    /// Label of where the form goes back.
    pub return_to: String,
    /// Label of the preparer's name (an input).
    pub preparer: String,
    /// Label of the preparer's phone (an input).
    pub phone: String,
    /// Label of the identity cell.
    pub identity: String,
}

/// The questions sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataWords {
    /// First line (Tera one-liner).
    pub title: String,
    /// Second line (Tera one-liner).
    pub subtitle: String,
    /// Title of the message a wrong total gets.
    pub total_title: String,
    /// The message a wrong total gets.
    pub total_message: String,
    /// The message a wrong count gets.
    pub count_message: String,
    /// The message a wrong amount gets.
    pub amount_message: String,
    /// The message a wrong percentage gets.
    pub percent_message: String,
    /// The message a yes/no answer outside the list gets (Tera one-liner: choices).
    pub choice_message: String,
}

/// The tasks sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskWords {
    /// Title of the message a status outside the list gets.
    pub status_title: String,
    /// The message a status outside the list gets.
    pub status_message: String,
    /// Title of the message a wrong completion date gets.
    pub date_title: String,
    /// The message a wrong completion date gets.
    pub date_message: String,
}

/// The unit's own words sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextsWords {
    /// First line (Tera one-liner).
    pub title: String,
    /// Second line (Tera one-liner).
    pub subtitle: String,
}

/// What the one-liners of a form may name.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// The locality's name.
    pub district: String,
    /// The unit the form is for.
    pub unit: String,
    /// "2024-Q1".
    pub period_id: String,
    /// "quý I năm 2024".
    pub period_label: String,
    /// The sheet's name, where a line names it.
    pub sheet: String,
    /// The yes/no choices, each in «», joined by commas.
    pub choices: String,
}

impl FormView {
    /// Renders a one-liner of the form's words.
    pub fn line(&self, line: &str) -> Result<String> {
        crate::render::templates::one_line(line, &tera::Context::from_serialize(self)?)
    }
}

impl FormWords {
    /// The locality's `forms/bieu-mau.toml`, else the default.
    pub fn load(dir: Option<&Path>) -> Result<FormWords> {
        Ok(super::load(dir, "forms", "bieu-mau.toml", DEFAULT)?.1)
    }
}

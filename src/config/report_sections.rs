//! The report's sections, one list in configuration (`pipelines/report-sections.toml`): the
//! locality's narrative, the plan's tasks, the units' questions and their own words are placed
//! by section id, and every reader of a section id checks it against this list — the report's
//! structure is written nowhere in Rust.

use std::path::Path;

use anyhow::{bail, Result};
use serde::Deserialize;

/// The shipped list, used when a pipeline's folder has no `report-sections.toml`.
pub const DEFAULT: &str = include_str!("../../pipelines/report-sections.toml");

/// `report-sections.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// The sections, in the report's order.
    sections: Vec<Section>,
}

/// One section of the report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Its id: the key the report templates, the narrative files and the configuration use.
    pub id: String,
    /// The locality writes paragraphs for it (`narrative/<period>/<id>.txt`).
    #[serde(default)]
    pub narrative: bool,
    /// Units may write their own words for it (the forms' «Nội dung báo cáo» sheet).
    #[serde(default)]
    pub units: bool,
    /// Plan tasks and self-report questions may be placed in it.
    #[serde(default)]
    pub plan: bool,
}

/// The report's sections, in order.
#[derive(Debug, Clone)]
pub struct ReportSections {
    sections: Vec<Section>,
}

impl ReportSections {
    /// Reads the pipeline folder's `report-sections.toml`, or the shipped list when it has none.
    pub fn load(path: &Path) -> Result<ReportSections> {
        let file: File = if path.exists() {
            super::read_toml(path)?
        } else {
            super::errors::parse_toml(DEFAULT)?
        };
        let mut seen = std::collections::HashSet::new();
        for s in &file.sections {
            if !seen.insert(s.id.as_str()) {
                bail!(
                    "{}: phần «{}» được khai báo hai lần; hãy xóa một trong hai khai báo",
                    path.display(),
                    s.id
                );
            }
        }
        Ok(ReportSections {
            sections: file.sections,
        })
    }
    /// The shipped list.
    pub fn shipped() -> ReportSections {
        let file: File = super::errors::parse_toml(DEFAULT).expect("the shipped list is valid");
        ReportSections {
            sections: file.sections,
        }
    }
    /// The ids of the sections with a flag, in the report's order.
    fn ids(&self, flag: fn(&Section) -> bool) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|s| flag(s))
            .map(|s| s.id.as_str())
            .collect()
    }
    /// The sections the locality writes paragraphs for.
    pub fn narrative(&self) -> Vec<&str> {
        self.ids(|s| s.narrative)
    }
    /// The sections units may write their own words for.
    pub fn units(&self) -> Vec<&str> {
        self.ids(|s| s.units)
    }
    /// The sections plan tasks and questions may go into.
    pub fn plan(&self) -> Vec<&str> {
        self.ids(|s| s.plan)
    }
}

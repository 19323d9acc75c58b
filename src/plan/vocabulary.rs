//! `plan-import.toml`: how plans write their appendix table (column names, collective leads,
//! deadline words, report sections, Section II indicators). Strict serde; the shipped file is
//! embedded, and one beside the pipeline file is used instead.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Result};
use serde::Deserialize;

use crate::config::raw::TargetScope;
use crate::tasks::ReportSection;

/// The shipped vocabulary.
pub const SHIPPED: &str = include_str!("../../pipelines/plan-import.toml");

/// `plan-import.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// The appendix's column names.
    pub columns: Columns,
    /// How leads are written.
    pub leads: Leads,
    /// Deadline words.
    pub deadlines: Deadlines,
    /// Words of a section's title, by the report section its tasks go to.
    pub reports: HashMap<ReportSection, Vec<String>>,
    /// Section II indicators a draft target may be proposed for.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// Column names of the appendix table, each with its spellings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// STT.
    pub number: Vec<String>,
    /// Nhiệm vụ cụ thể.
    pub task: Vec<String>,
    /// Sản phẩm.
    pub product: Vec<String>,
    /// Cơ quan chủ trì.
    pub lead: Vec<String>,
    /// Cơ quan phối hợp.
    pub partners: Vec<String>,
    /// Thời gian hoàn thành.
    pub deadline: Vec<String>,
}

/// How leads are written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leads {
    /// Person titles before a body's name ("Trưởng", "Chánh"), dropped when matching.
    pub titles: Vec<String>,
    /// Words after a body's name dropped when matching ("huyện").
    #[serde(default)]
    pub suffixes: Vec<String>,
    /// Phrases naming many units at once.
    #[serde(default)]
    pub collective: Vec<Collective>,
}

/// A phrase naming many units at once, and its token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collective {
    /// `@all`, `@huyen` or `@xa`.
    pub token: String,
    /// Its spellings.
    pub phrases: Vec<String>,
}

/// Deadline words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// Never late ("Thường xuyên").
    pub continuous: Vec<String>,
    /// Due at every quarter's end ("Hàng quý").
    pub each_quarter: Vec<String>,
    /// Openings of a deadline done on an event ("Khi có").
    pub on_event: Vec<String>,
    /// Openings read as an event too, but marked for a person ("Sau khi", "Theo hướng dẫn").
    pub on_event_to_check: Vec<String>,
}

/// A Section II indicator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The measure, as in `targets.toml` (one the kinds offer).
    pub measure: String,
    /// The scope of the draft target.
    pub scope: TargetScope,
    /// Phrases that name it in a sentence.
    pub phrases: Vec<String>,
}

/// The vocabulary beside the pipeline file, or the shipped one.
pub fn load(pipeline_dir: &Path) -> Result<Vocabulary> {
    let beside = pipeline_dir.join("plan-import.toml");
    let (vocabulary, name): (Vocabulary, String) = if beside.is_file() {
        (
            crate::config::read_toml(&beside)?,
            beside.display().to_string(),
        )
    } else {
        (toml::from_str(SHIPPED)?, "plan-import.toml".into())
    };
    let offered = crate::kinds::measures();
    for ind in &vocabulary.indicators {
        if !offered.iter().any(|m| m.name == ind.measure) {
            bail!(
                "{name}: chỉ tiêu mục II: số đo (measure) «{}» không có; các số đo: {}. Hãy ghi measure là một trong các số đo này.",
                ind.measure,
                offered.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
            );
        }
    }
    Ok(vocabulary)
}

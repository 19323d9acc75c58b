//! Input kinds: what a run reads besides the machinery that reads it (`inputs.md`).
//!
//! Each kind is one folder — its part of the configuration, vocabulary, record normalization,
//! rules and figures, with their tests — and one line in [`KINDS`]. The configuration loader,
//! the reader, the store and the row account iterate the registry; they know no kind. A kind's figures for a period join [`crate::indicators`],
//! whose documents name them. Kinds are computed in registry order, so a kind may use the
//! records of a kind before it (satisfaction evaluations take unit and field from the dossier
//! they rate).

pub mod dossier;
pub mod pakn;
pub mod satisfaction;
pub mod self_report;
pub mod system_statistics;

use anyhow::{bail, Result};
use polars::prelude::DataFrame;

use crate::config::part::ConfigPart;
use crate::config::Pipeline;

pub use crate::kind::{InputContext, Kind, StoreLayout};

/// Every input kind, in the order its rules run.
pub const KINDS: &[&dyn Kind] = &[
    &dossier::Dossier,
    &satisfaction::Satisfaction,
    &pakn::Pakn,
    &self_report::SelfReport,
];

/// The parts of the configuration beside the core: each kind's, in registry order, then the
/// plan's.
pub fn config_parts() -> Vec<&'static dyn ConfigPart> {
    KINDS
        .iter()
        .filter_map(|k| k.config_part())
        .chain([&crate::tasks::PlanPart as &dyn ConfigPart])
        .collect()
}

/// The shipped configuration `cchc init` writes: the core files, then each part's.
pub fn shipped_files() -> Vec<(&'static str, &'static str)> {
    let parts = config_parts();
    crate::config::DEFAULT_FILES
        .iter()
        .chain(parts.iter().flat_map(|p| p.default_files()))
        .copied()
        .collect()
}

/// Reads a pipeline file with every kind's part of the configuration.
pub fn load_pipeline(path: &std::path::Path) -> Result<Pipeline> {
    let ids: Vec<&'static str> = KINDS.iter().map(|k| k.id()).collect();
    crate::config::load(path, &config_parts(), &ids)
}

/// A pipeline file's core keys, and apart the keys the kinds and the plan claim.
pub fn read_pipeline_file(
    path: &std::path::Path,
) -> Result<(crate::config::raw::PipelineFile, toml::Table)> {
    crate::config::read_pipeline_file(path, &config_parts())
}

/// The kind with this id.
pub fn get(id: &str) -> Result<&'static dyn Kind> {
    match KINDS.iter().find(|k| k.id() == id) {
        Some(k) => Ok(*k),
        None => bail!(
            "loại tệp «{id}» không có; các loại: {}",
            KINDS.iter().map(|k| k.id()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The registry's id for a kind named in configuration.
pub fn id_of(name: &str) -> Result<&'static str> {
    get(name.trim()).map(|k| k.id())
}

/// The record table of each kind, stacked over every file read.
pub type Frames = std::collections::BTreeMap<&'static str, DataFrame>;

/// Every kind's table after its rules.
#[derive(Debug)]
pub struct Ruled {
    /// One row per dossier that counts.
    pub dossier: dossier::rules::Ruled,
    /// One row per evaluation (or summary row) that counts.
    pub satisfaction: satisfaction::rules::Ruled,
    /// One row per PAKN that counts.
    pub pakn: pakn::rules::Ruled,
    /// The answers of one form per unit and period.
    pub self_report: self_report::rules::Ruled,
}

impl Ruled {
    /// Copies of a record that lost to another copy, of every kind.
    pub fn duplicates(&self) -> Vec<crate::quality::DuplicateResolved> {
        let mut d = self.dossier.duplicates.clone();
        d.extend(self.satisfaction.duplicates.iter().cloned());
        d.extend(self.pakn.duplicates.iter().cloned());
        d.extend(self.self_report.duplicates.iter().cloned());
        d
    }
    /// What the rules noticed and counted anyway: dossier codes that differ only in case,
    /// copies that disagree, and per file the evaluations that could not be checked for
    /// duplicates.
    pub fn warnings(&self, files: &[crate::model::SourceFile]) -> Vec<crate::quality::Warning> {
        let unchecked = self
            .satisfaction
            .unchecked_per_file
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| crate::quality::Warning {
                source: crate::model::RowRef {
                    file: i,
                    sheet: files.get(i).map(|f| f.display.clone()).unwrap_or_default(),
                    row: 0,
                },
                dossier_id: String::new(),
                kind: crate::quality::WarningKind::UncheckedDuplicates,
                column: "Mã hồ sơ, Mã phiếu".into(),
                value: n.to_string(),
            });
        let disagreements = self
            .dossier
            .disagreements
            .iter()
            .chain(&self.satisfaction.disagreements)
            .chain(&self.pakn.disagreements)
            .map(|d| d.warning(files));
        self.dossier
            .warnings
            .iter()
            .cloned()
            .chain(unchecked)
            .chain(disagreements)
            .collect()
    }
    /// Rows the rules quarantined (they need every file's records to decide).
    pub fn quarantine(&self) -> &[crate::quality::Quarantined] {
        &self.satisfaction.quarantine
    }
    /// Records the rules excluded from every count (withdrawn, never received), per file.
    pub fn excluded_per_file(&self) -> Vec<u64> {
        self.dossier
            .withdrawn_per_file
            .iter()
            .zip(&self.dossier.not_received_per_file)
            .zip(&self.pakn.withdrawn_per_file)
            .map(|((a, n), b)| a + n + b)
            .collect()
    }
}

/// Applies every kind's rules, in registry order, to the tables read.
pub fn apply_rules(pipeline: &Pipeline, mut frames: Frames, n_files: usize) -> Result<Ruled> {
    let mut take = |k: &'static dyn Kind| -> Result<DataFrame> {
        match frames.remove(k.id()) {
            Some(f) => Ok(f),
            None => k.empty_frame(),
        }
    };
    let dossier = dossier::rules::apply(take(&dossier::Dossier)?, pipeline.withdrawn, n_files)?;
    let satisfaction =
        satisfaction::rules::apply(take(&satisfaction::Satisfaction)?, &dossier.frame, n_files)?;
    let pakn = pakn::rules::apply(take(&pakn::Pakn)?, n_files)?;
    let self_report = self_report::rules::apply(take(&self_report::SelfReport)?)?;
    Ok(Ruled {
        dossier,
        satisfaction,
        pakn,
        self_report,
    })
}

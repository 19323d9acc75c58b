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
pub mod portal_766;
pub mod satisfaction;
pub mod self_report;
pub mod system_statistics;

use anyhow::{bail, Result};
use polars::prelude::DataFrame;

use crate::config::part::ConfigPart;
use crate::config::Pipeline;

pub use crate::kind::{InputContext, Kind, KindsFigures, Ruled, StoreLayout};

/// Every input kind, in the order its rules run.
pub const KINDS: &[&dyn Kind] = &[
    &dossier::Dossier,
    &satisfaction::Satisfaction,
    &pakn::Pakn,
    &self_report::SelfReport,
    &system_statistics::SystemStatistics,
    &portal_766::Portal766,
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
    crate::config::load(path, &config_parts(), &ids, &measures())
}

/// Every measure the kinds offer to targets, in registry order.
pub fn measures() -> Vec<crate::config::OfferedMeasure> {
    KINDS.iter().flat_map(|k| k.measures()).collect()
}

/// Every sheet kind the kinds offer the configured annex, with the id of the kind whose figures
/// build it, in registry order.
pub fn annex_sheet_kinds() -> Vec<(&'static str, crate::annex_sheet::OfferedSheet)> {
    KINDS
        .iter()
        .flat_map(|k| k.annex_sheet_kinds().into_iter().map(|s| (k.id(), s)))
        .collect()
}

/// The default sheet templates of every kind's sheets, in registry order.
pub fn annex_templates() -> Vec<(&'static str, &'static str)> {
    KINDS
        .iter()
        .flat_map(|k| k.annex_templates().iter().copied())
        .collect()
}

/// Every kind of warning: the core ones, then each kind's own in registry order — the order
/// the data-quality workbook lists them in.
pub fn warning_kinds() -> Vec<crate::quality::WarningKind> {
    crate::quality::CORE_WARNING_KINDS
        .iter()
        .copied()
        .chain(KINDS.iter().flat_map(|k| k.warning_kinds().iter().copied()))
        .collect()
}

/// The measure a target names, as a kind offers it.
pub fn measure(name: &str) -> Option<crate::config::OfferedMeasure> {
    measures().into_iter().find(|m| m.name == name)
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

/// The ruled tables of the kinds every report reads, by their own types.
impl Ruled {
    /// The dossiers that count.
    pub fn dossier(&self) -> &dossier::rules::Ruled {
        self.get(Kind::id(&dossier::Dossier))
            .expect("loại hồ sơ luôn có")
    }
    /// The evaluations that count.
    pub fn satisfaction(&self) -> &satisfaction::rules::Ruled {
        self.get(Kind::id(&satisfaction::Satisfaction))
            .expect("loại đánh giá luôn có")
    }
    /// The PAKN that count.
    pub fn pakn(&self) -> &pakn::rules::Ruled {
        self.get(Kind::id(&pakn::Pakn)).expect("loại PAKN luôn có")
    }
    /// The units' forms.
    pub fn self_report(&self) -> &self_report::rules::Ruled {
        self.get(Kind::id(&self_report::SelfReport))
            .expect("loại biểu mẫu luôn có")
    }
}

/// Applies every kind's rules, in registry order, to the tables read.
pub fn apply_rules(pipeline: &Pipeline, mut frames: Frames, n_files: usize) -> Result<Ruled> {
    let mut ruled = Ruled::default();
    for kind in KINDS {
        let frame = match frames.remove(kind.id()) {
            Some(f) => f,
            None => kind.empty_frame()?,
        };
        let table = kind.rules(pipeline, frame, &ruled, n_files)?;
        ruled.push(kind.id(), table);
    }
    Ok(ruled)
}

/// Every kind's figures of a period, in registry order.
pub fn figures(
    pipeline: &Pipeline,
    ruled: &Ruled,
    period: &crate::period::Period,
    n_files: usize,
) -> Result<KindsFigures> {
    let mut out = KindsFigures::default();
    for kind in KINDS {
        out.push(kind.id(), kind.figures(pipeline, ruled, period, n_files)?);
    }
    Ok(out)
}

/// Every kind's figures of the period before `period` that its report paragraph compares with,
/// where it keeps any.
pub fn previous_figures(
    pipeline: &Pipeline,
    ruled: &Ruled,
    period: &crate::period::Period,
    n_files: usize,
) -> Result<crate::kind::PreviousFigures> {
    let mut out = crate::kind::PreviousFigures::default();
    for kind in KINDS {
        if let Some(f) = kind.previous_figures(pipeline, ruled, period, n_files)? {
            out.push(kind.id(), f);
        }
    }
    Ok(out)
}

/// Every kind's parts of the report templates, in registry order.
pub fn report_templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    KINDS.iter().flat_map(|k| k.report_templates().iter())
}

/// Every kind's parts of the public page's templates, in registry order.
pub fn public_templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    KINDS.iter().flat_map(|k| k.public_templates().iter())
}

/// The kinds whose duplicates are logged with a status, with their status codes
/// ([`Kind::status_codes`]), in registry order.
pub fn status_codes() -> Vec<(&'static str, Vec<&'static str>)> {
    KINDS
        .iter()
        .map(|k| (k.id(), k.status_codes()))
        .filter(|(_, codes)| !codes.is_empty())
        .collect()
}

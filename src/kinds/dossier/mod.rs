//! Dossier lists of the city's dossier system and the one-stop shops (`tthc-rules.md`): the
//! kind the report began with. Vocabulary in `pipelines/vocabulary.toml`; normalization,
//! the rules of one record per dossier, and the form-06 figures here.

pub mod annex;
pub mod figures;
pub mod normalize;
pub mod notes;
pub mod public;
pub mod report;
pub mod rules;
pub mod table;

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::config::Pipeline;
use crate::ingest::{HeaderVocab, RawTable};
use crate::kind::{InputContext, Kind, StoreLayout};
use crate::normalize::Normalized;

/// The dossier kind.
pub struct Dossier;

/// Its id.
pub const ID: &str = "dossier";

impl Kind for Dossier {
    fn id(&self) -> &'static str {
        ID
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &pipeline.vocabulary.header
    }
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        _input: &InputContext,
    ) -> Result<Normalized> {
        normalize::normalize(pipeline, tables)
    }
    fn empty_frame(&self) -> Result<DataFrame> {
        normalize::Table::new().finish()
    }
    fn annex_sheet_kinds(&self) -> Vec<crate::annex_sheet::OfferedSheet> {
        annex::offered()
    }
    fn annex_templates(&self) -> &'static [(&'static str, &'static str)] {
        annex::TEMPLATES
    }
    fn rows_word(&self) -> &'static str {
        "hồ sơ"
    }
    fn measures(&self) -> Vec<crate::config::OfferedMeasure> {
        use crate::config::OfferedMeasure as M;
        crate::kind::rate_measures::<figures::Counts>(Kind::id(self), M::FIELD_OR_GROUP)
            .chain(
                figures::shares::SHARE_MEASURES
                    .iter()
                    .map(|(name, _)| M::rate(name, Kind::id(self), M::LEVEL_OR_DISTRICT)),
            )
            .collect()
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "dossiers",
            partition: "received",
            dates: &["received", "submitted", "due", "completed"],
        }
    }
    fn rules(
        &self,
        pipeline: &Pipeline,
        frame: DataFrame,
        _earlier: &crate::kind::Ruled,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        Ok(Box::new(rules::apply(frame, pipeline.withdrawn, n_files)?))
    }
    fn figures(
        &self,
        _pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::KindFigures>> {
        Ok(Box::new(figures::compute(
            &ruled.get::<rules::Ruled>(Kind::id(self))?.frame,
            period,
            n_files,
        )?))
    }
    fn previous_figures(
        &self,
        _pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Option<Box<dyn crate::kind::AsAny + Send + Sync>>> {
        let frame = &ruled.get::<rules::Ruled>(ID)?.frame;
        Ok(figures::previous_totals(frame, period, n_files)?
            .map(|p| Box::new(p) as Box<dyn crate::kind::AsAny + Send + Sync>))
    }
    fn report_templates(&self) -> &'static [(&'static str, &'static str)] {
        report::TEMPLATES
    }
    fn status_codes(&self) -> Vec<&'static str> {
        crate::model::Status::ALL.iter().map(|s| s.code()).collect()
    }
    fn public_templates(&self) -> &'static [(&'static str, &'static str)] {
        public::TEMPLATES
    }
}

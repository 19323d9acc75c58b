//! What an input kind is (`inputs.md`): the trait every kind's folder implements, and what its
//! normalization may know of where a file came from. The registry of kinds is [`crate::kinds`];
//! this trait lives apart from it so that a kind's folder depends on the trait, never on the list
//! of kinds.

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::config::part::ConfigPart;
use crate::config::Pipeline;
use crate::ingest::{HeaderVocab, RawTable};
use crate::normalize::Normalized;
use crate::period::Period;

/// Where a kind's records go in the store.
#[derive(Debug, Clone, Copy)]
pub struct StoreLayout {
    /// The table's folder (`dossiers`).
    pub table: &'static str,
    /// The day-number column that partitions it by year and quarter.
    pub partition: &'static str,
    /// The day-number columns kept as dates in Parquet.
    pub dates: &'static [&'static str],
}

/// What a kind's normalization may know of the input entry its file came from.
#[derive(Debug, Clone, Default)]
pub struct InputContext {
    /// The period the input entry says its summaries cover.
    pub period: Option<Period>,
    /// The file's sheets without a header that its kind reads beside its tables
    /// ([`HeaderVocab::companion_sheets`]).
    pub sheets: Vec<crate::ingest::SheetText>,
    /// The file as messages name it.
    pub display: String,
}

/// One input kind.
pub trait Kind: Sync {
    /// Its id in the pipeline (`kind = "dossier"`), the store and indicators.json.
    fn id(&self) -> &'static str;
    /// The header vocabulary its files are recognised by.
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab;
    /// One file's tables → its records and their data-quality account.
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized>;
    /// The record table with no rows (its schema).
    fn empty_frame(&self) -> Result<DataFrame>;
    /// Where its records are stored.
    fn store_layout(&self) -> StoreLayout;
    /// Its part of the configuration (its files, its keys of the pipeline file), if it has one
    /// beyond the core vocabulary.
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        None
    }
    /// The text columns whose spellings are unified across files.
    fn name_columns(&self) -> &'static [&'static str] {
        &["unit", "field"]
    }
}

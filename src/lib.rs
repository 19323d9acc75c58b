//! cchc turns the spreadsheet exports of Vietnamese administrative-procedure systems into the
//! quarterly administrative-reform (CCHC) report of a district.
//!
//! The pipeline, one module per stage:
//! [`config`] (strict files in `pipelines/`, resolved) → [`ingest`] (a file → raw tables) →
//! [`normalize`] (vocabularies → typed records; both run per file, in parallel) → [`store`]
//! (Parquet, optional) → [`kinds::apply_rules`] (one record per dossier, withdrawn dossiers) →
//! [`indicators`] (form 06, targets, late dossiers) → [`render`] (view structs → files) →
//! [`output`] (atomic writes). [`pipeline`] runs them in order; [`commands`] is what the binary
//! calls. The sample generator that writes realistic exports to test and measure with is its own
//! crate (`crates/cchc-sample`), which the product does not compile.

pub mod alerts;
pub mod annex_sheet;
pub mod commands;
pub mod config;
pub mod consolidate;
pub mod dataset;
pub mod figures;
pub mod forms;
pub mod identity;
pub mod index766;
pub mod indicators;
pub mod ingest;
pub mod kind;
pub mod kinds;
pub mod localities;
pub mod lock;
pub mod memory;
pub mod model;
pub mod normalize;
pub mod output;
pub mod ownership;
pub mod parallel;
pub mod period;
pub mod pipeline;
pub mod plan;
pub mod privacy;
pub mod public_parts;
pub mod quality;
pub mod rate;
pub mod render;
pub mod rerun;
pub mod scorecard;
pub mod sheet;
pub mod store;
pub mod summary;
pub mod target;
pub mod tasks;
pub mod template_file;
pub mod text;
pub mod unit_hints;
pub mod vn;

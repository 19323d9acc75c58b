//! Render: view structs → the files a run writes. Each output has its own module; none of them
//! sees a DataFrame, only the figures and the data-quality account.

pub mod annex;
pub mod context;
pub mod documents;
pub(crate) mod format_runs;
pub mod json;
pub mod narrative_text;
pub mod public;
pub mod quality;
pub mod report;
pub mod templates;
pub mod words;

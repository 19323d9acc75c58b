//! `cchc scorecard`: the 766 index (Quyết định 766/QĐ-TTg) per commune or ward and for the
//! locality, estimated from the exports `run` reads before the national portal publishes it
//! (`index766.md`).
//!
//! Why a command of its own: the portal scores calendar windows (a week, a month, a calendar
//! quarter), not the report's ND 09 period, and an office wants every week of a year in one go
//! from one read of its exports. The configuration (groups, maxima, formulas, bands) is
//! [`config`]; the windows are [`crate::period::Window`]; the estimate and the records that
//! cost points are [`estimate`]; the portal's published table, read back and reconciled, is
//! [`portal`]; the command's reading and writing are [`crate::scorecard`]. What `cchc run`
//! carries (the `index766` of indicators.json in [`json`], the annex sheet and the report's
//! paragraph) is [`in_run`]; the annex sheet is laid out by `render::annex::index766`. The
//! figures stay below the documents: nothing here renders.

pub mod config;
pub mod estimate;
pub mod in_run;
pub mod json;
pub mod portal;

pub use config::Index766Config;
pub use estimate::{Facts, ProgressAtStake, UnitScore, WindowScores};

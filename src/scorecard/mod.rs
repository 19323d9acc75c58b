//! `cchc scorecard`: reading the inputs once, scoring every window asked for with the 766 rules
//! of [`crate::index766`], and writing a workbook, a page and the terminal table per window. Apart
//! from the figures so that `run`'s documents can carry the 766 estimate without a loop between
//! the figures and the documents.

pub mod render;
pub mod run;

//! The integration tests: one binary, one module per feature. Each test builds a small export by
//! hand (inline CSV, or a workbook written here), runs the real pipeline on it with the shipped
//! configuration, and checks figures worked out by hand in the test's comments.

mod support;

mod alerts;
mod annexes;
mod cli;
mod commune_setup;
mod config_parts;
mod consolidate;
mod dedup;
mod errors;
mod external;
mod formats;
mod hostile;
mod hostile_forms;
mod hostile_readers;
mod index766;
mod index766_run;
mod layouts;
mod locality;
mod outputs;
mod pakn;
mod periods;
mod plan;
mod portal_766;
mod quarantine;
mod real_exports;
mod report;
mod rerun;
mod safe_defaults;
mod sample;
mod satisfaction;
mod self_report;
mod shares;
mod store;
mod system_statistics;
mod tasks;
mod timeliness;
mod unit_texts;
mod withdrawn;
mod words;

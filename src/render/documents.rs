//! The documents a run writes: one list, each entry its file name and one render function
//! taking the one context of a period. Adding a document is adding an entry here and its
//! template; the orchestrator renders whatever the list holds.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::Pipeline;
use crate::indicators::Indicators;
use crate::ingest::{SkippedSheet, UnknownColumn};
use crate::model::SourceFile;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, RowAccount, SkippedRow, Warning};
use crate::render::words::files::FileNames;

/// Which documents a run asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outputs {
    /// Nothing (`cchc indicators`, `cchc ingest`).
    Nothing,
    /// Only the data-quality workbook (`cchc check`).
    QualityOnly,
    /// Everything `cchc run` writes.
    All,
}

/// The data-quality account of a period: where every row read went.
#[derive(Debug)]
pub struct Quality<'a> {
    /// Source files, in input order.
    pub files: &'a [SourceFile],
    /// Row account per file.
    pub accounts: &'a [RowAccount],
    /// Rows quarantined.
    pub quarantine: &'a [Quarantined],
    /// Warnings.
    pub warnings: &'a [Warning],
    /// Duplicates resolved.
    pub duplicates: &'a [DuplicateResolved],
    /// Unknown columns.
    pub unknown_columns: &'a [UnknownColumn],
    /// Sheets passed over.
    pub skipped_sheets: &'a [SkippedSheet],
    /// Rows that are not records.
    pub skipped_rows: &'a [SkippedRow],
}

/// Everything a document of one period renders from.
pub struct DocumentContext<'a> {
    /// The pipeline.
    pub pipeline: &'a Arc<Pipeline>,
    /// The period.
    pub period: &'a Period,
    /// Every kind's figures, and the targets.
    pub indicators: &'a Indicators,
    /// The kinds' figures of the previous period, where the data reaches back to it.
    pub previous: crate::kind::PreviousFigures,
    /// The 766 estimate of the period's calendar window (issue 21).
    pub index766: Option<crate::index766::in_run::Index766Of<'a>>,
    /// The data-quality account.
    pub quality: Quality<'a>,
}

impl DocumentContext<'_> {
    /// The district's templates folder.
    pub fn templates(&self) -> Option<&Path> {
        self.pipeline.templates.as_deref()
    }
}

/// One document of a run.
pub struct Document {
    /// Its file name among the output names (`templates/files/ten-tep.toml`).
    pub file: fn(&FileNames) -> &str,
    /// The least a run must ask for to write it.
    pub wanted_from: Outputs,
    /// Renders it.
    pub render: fn(&DocumentContext) -> Result<Vec<u8>>,
}

impl Document {
    /// The file name for a period.
    pub fn file_name(&self, names: &FileNames, period: &Period) -> String {
        FileNames::for_period((self.file)(names), period)
    }
}

/// Every document, in the order they are written.
pub const DOCUMENTS: &[Document] = &[
    Document {
        file: |n| &n.quality,
        wanted_from: Outputs::QualityOnly,
        render: |c| super::quality::render(c).context("không tạo được báo cáo chất lượng dữ liệu"),
    },
    Document {
        file: |n| &n.annexes,
        wanted_from: Outputs::All,
        render: super::annex::render,
    },
    Document {
        file: |n| &n.report_docx,
        wanted_from: Outputs::All,
        render: super::report::render_docx,
    },
    Document {
        file: |n| &n.report_html,
        wanted_from: Outputs::All,
        render: super::report::render_html,
    },
    Document {
        file: |n| &n.public,
        wanted_from: Outputs::All,
        render: super::public::render,
    },
    Document {
        file: |n| &n.indicators,
        wanted_from: Outputs::All,
        render: super::json::render,
    },
];

/// Renders the documents a run asks for, side by side, in list order.
pub fn render_all(ctx: &DocumentContext, wanted: Outputs) -> Result<Vec<(String, Vec<u8>)>> {
    let names = FileNames::load(ctx.templates())?;
    DOCUMENTS
        .par_iter()
        .filter(|d| wanted >= d.wanted_from)
        .map(|d| Ok((d.file_name(&names, ctx.period), (d.render)(ctx)?)))
        .collect()
}

//! The one context every document of a period renders from: the figures, the previous period's,
//! the 766 estimate and the data-quality account. Apart from the list of documents
//! ([`super::documents`]) so that the renderers it lists depend on it and not on the list.

use std::path::Path;
use std::sync::Arc;

use crate::config::Pipeline;
use crate::indicators::Indicators;
use crate::ingest::{SkippedSheet, UnknownColumn};
use crate::model::SourceFile;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, RowAccount, SkippedRow, Warning};

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

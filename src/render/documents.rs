//! The documents a run writes: one list, each entry its file name and one render function
//! taking the one context of a period. Adding a document is adding an entry here and its
//! template; the orchestrator renders whatever the list holds.

use anyhow::{Context, Result};

use crate::period::Period;
use crate::render::words::files::FileNames;

pub use super::context::{DocumentContext, Quality};

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

/// Renders the documents a run asks for, side by side, in list order: each on a thread of its
/// own, so that a workbook written row by row from start to end (the data-quality workbook) takes
/// a core whenever the annex, whose long lists share rayon's pool, leaves one idle.
pub fn render_all(ctx: &DocumentContext, wanted: Outputs) -> Result<Vec<(String, Vec<u8>)>> {
    let names = FileNames::load(ctx.templates())?;
    let documents: Vec<&Document> = DOCUMENTS
        .iter()
        .filter(|d| wanted >= d.wanted_from)
        .collect();
    crate::parallel::each_on_own_thread(documents, |d| {
        Ok((d.file_name(&names, ctx.period), (d.render)(ctx)?))
    })
}

//! The annex workbook `phu-luc-<period>.xlsx`: sheets declared by templates in
//! `templates/annexes/` (columns, multi-level headers, widths, totals), built into plain sheet
//! models, then written with rust_xlsxwriter. A district adapting a form edits a template.
//! This is the machinery — loading and checking the templates, each sheet's frame, the writer —
//! and the core's sheets; an input kind's sheets are built in its folder, reached through the
//! registry, then come the sheets the kinds append (`KindFigures::annex_sheets`).

pub mod build;
pub mod index766;
pub use crate::sheet as model;
pub mod template;
pub mod xlsx;

use std::path::Path;

use anyhow::{Context, Result};

pub use build::AnnexInput;
pub use model::SheetModel;
pub use template::AnnexTemplates;

/// Builds the sheet models of the annexes (what the workbook will hold).
pub fn sheets(templates_dir: Option<&Path>, input: &AnnexInput) -> Result<Vec<SheetModel>> {
    Ok(book(templates_dir, input)?.0)
}

/// The sheet models of the annexes, the workbook's title and its page footer's words.
fn book(
    templates_dir: Option<&Path>,
    input: &AnnexInput,
) -> Result<(Vec<SheetModel>, String, String)> {
    let templates = AnnexTemplates::load(templates_dir, &build::sheet_kinds())?;
    let title = build::document_title(&templates.document_title, input)?;
    let models = build::build_sheets(&templates.sheets, input)?;
    Ok((models, title, templates.page_footer))
}

/// Renders the annex workbook of a period.
pub fn render(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    let input = AnnexInput {
        pipeline: ctx.pipeline,
        period: ctx.period,
        indicators: ctx.indicators,
        index766: ctx.index766,
    };
    let (mut models, title, footer) = book(ctx.templates(), &input)?;
    models.extend(
        ctx.indicators
            .kinds
            .annex_sheets(&crate::kind::AnnexContext {
                pipeline: ctx.pipeline,
                period: ctx.period,
                files: ctx.quality.files,
                templates: ctx.templates(),
            })?,
    );
    xlsx::write_workbook(models, &title, &footer).context("không tạo được tệp phụ lục")
}

/// Renders the annex workbook of some figures.
pub fn workbook(templates_dir: Option<&Path>, input: &AnnexInput) -> Result<Vec<u8>> {
    let (models, title, footer) = book(templates_dir, input)?;
    xlsx::write_workbook(models, &title, &footer).context("không tạo được tệp phụ lục")
}

//! The national portal's published 766 scores (`index766.md` §5) as an input kind: HCMC's
//! weekly table or the portal's export, one row per commune or ward with its group scores and
//! total, placed among a run's inputs like any export.
//!
//! Why a kind: the table is an input like the others — recognised by its header, its rows
//! stored and accounted for, a table of another window outside the period — and `cchc run`
//! sets it beside the 766 estimate ([`crate::index766::in_run`]): it fills the indicators cchc
//! cannot compute, and a group where it differs from the estimate by more than the tolerance is
//! flagged ([`crate::index766::portal::reconcile`]). Its words are `index766.toml`'s (groups,
//! `portal_columns`), the file `cchc scorecard` reads; `scorecard --portal` reads through
//! [`read`] too.

pub mod figures;
pub mod read;
pub mod records;

use anyhow::{bail, Result};
use polars::prelude::DataFrame;

use crate::config::part::{ConfigPart, Loaded, PartContext};
use crate::config::Pipeline;
use crate::index766::config::Index766Config;
use crate::ingest::{HeaderVocab, RawTable};
use crate::kind::{InputContext, Kind, StoreLayout};
use crate::model::RowRef;
use crate::normalize::Normalized;
use crate::quality::{Quarantined, SkippedRow};

/// The kind of the portal's published 766 table.
pub struct Portal766;

/// The kind's id.
pub const ID: &str = "portal_766";

/// What the kind reads with: the 766 configuration and the header vocabulary made from it.
#[derive(Debug)]
pub struct Settings {
    /// `index766.toml` beside the pipeline file, else the shipped one.
    pub config: Index766Config,
    /// The portal table's header vocabulary ([`read::header_vocab`]).
    pub header: HeaderVocab,
}

/// The kind's settings of a pipeline.
pub fn settings(pipeline: &Pipeline) -> &Settings {
    pipeline.parts.get::<Settings>(ID)
}

impl ConfigPart for Portal766 {
    fn id(&self) -> &'static str {
        ID
    }
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }
    /// `index766.toml` is a core shipped file (`cchc scorecard` reads it without a run).
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let (config, path) = Index766Config::load_for(cx.path)?;
        let header = read::header_vocab(cx.pipeline, &config)?;
        let files: Vec<_> = path.into_iter().collect();
        Ok(Loaded {
            settings: Box::new(Settings { config, header }),
            normalization_files: files.clone(),
            files,
        })
    }
}

impl Kind for Portal766 {
    fn id(&self) -> &'static str {
        ID
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &settings(pipeline).header
    }
    /// One record per row of a registry unit, with the table's window (its title's dates,
    /// else the input entry's period); a row that cannot be a unit's scores is quarantined, the
    /// locality's own row passed over.
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized> {
        let s = settings(pipeline);
        let read = read::read_tables(pipeline, &s.config, tables, &input.display);
        let window = match (read.table.title_window, &input.period) {
            (Some(w), _) => (w, records::WindowSource::Title),
            (None, Some(p)) => ((p.start, p.end), records::WindowSource::Input),
            (None, None) => bail!(
                "{}: bảng điểm Cổng DVCQG không ghi kỳ chấm điểm — cần một dòng tiêu đề có hai ngày như «Từ ngày 01/01/2024 đến ngày 31/03/2024», hoặc khai báo period trong mục [[inputs]] của tệp quy trình",
                input.display
            ),
        };
        let mut out = Normalized::of_tables(tables);
        let at = |sheet: &str, row: u32| RowRef {
            file: input.file,
            sheet: sheet.to_string(),
            row,
        };
        for p in read.bad_cells.iter().chain(&read.unnamed) {
            // A row with several unreadable cells is one quarantined row, named by its first.
            if out
                .quarantine
                .last()
                .is_some_and(|q| q.source == at(&p.sheet, p.row))
            {
                continue;
            }
            out.quarantine.push(Quarantined {
                source: at(&p.sheet, p.row),
                dossier_id: String::new(),
                column: p.column.clone(),
                value: p.value.clone(),
                reason: format!(
                    "bảng điểm Cổng DVCQG: {}; sửa dòng này theo bảng của Cổng rồi chạy lại",
                    p.reason
                ),
            });
        }
        let sheet_of = |row: u32| {
            tables
                .iter()
                .find(|t| t.rows.iter().any(|r| r.row == row))
                .map_or(String::new(), |t| t.sheet.clone())
        };
        for (row, name) in &read.table.unknown_units {
            out.quarantine.push(Quarantined {
                source: at(&sheet_of(*row), *row),
                dossier_id: String::new(),
                column: "Đơn vị".into(),
                value: name.clone(),
                reason: "bảng điểm Cổng DVCQG: đơn vị không có trong danh mục đơn vị (units.toml); thêm tên này vào aliases của đơn vị nếu đúng là đơn vị của địa phương".into(),
            });
        }
        out.quarantine
            .sort_by(|a, b| (&a.source.sheet, a.source.row).cmp(&(&b.source.sheet, b.source.row)));
        for (sheet, row, text) in &read.locality_rows {
            out.read -= 1;
            out.skipped_rows.push(SkippedRow {
                source: at(sheet, *row),
                text: text.clone(),
            });
        }
        out.frame = records::to_frame(input.file, window, &read.table.rows)?;
        Ok(out)
    }
    fn empty_frame(&self) -> Result<DataFrame> {
        records::to_frame(0, Default::default(), &[])
    }
    fn rows_word(&self) -> &'static str {
        "dòng bảng điểm Cổng DVCQG"
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "portal_766",
            partition: "window_start",
            dates: &["window_start", "window_end"],
        }
    }
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        Some(&Portal766)
    }
    fn rules(
        &self,
        _pipeline: &Pipeline,
        frame: DataFrame,
        _earlier: &crate::kind::Ruled,
        _n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        Ok(Box::new(figures::Scores { frame }))
    }
    fn figures(
        &self,
        _pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::KindFigures>> {
        Ok(Box::new(figures::compute(ruled, period, n_files)?))
    }
    fn name_columns(&self) -> &'static [&'static str] {
        &[]
    }
}

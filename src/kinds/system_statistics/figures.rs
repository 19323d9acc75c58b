//! A period's figures of the statistics tables: each table whose window is the period's,
//! reconciled with cchc's form 06 of the same dossiers (`real-exports.md` §3). A table of
//! another window is outside the period, like any record.

use anyhow::Result;
use polars::prelude::DataFrame;
use serde::Serialize;

use super::reconcile::{reconcile, Evidence, Reconciliation};
use super::records;
use crate::config::Pipeline;
use crate::kind::{JsonContext, JsonSection, KindFigures, Ruled, RuledTable, SummaryContext};
use crate::kinds::dossier;
use crate::period::Period;

/// The tables read, as records (no rule applies to them).
#[derive(Debug)]
pub struct Tables {
    /// One record per row of a unit or field.
    pub frame: DataFrame,
}

impl RuledTable for Tables {}

/// The tables of a period, reconciled.
#[derive(Debug, Default)]
pub struct SystemStatisticsFigures {
    /// Each table of the period's window, in input order, with its file's position.
    pub reconciliations: Vec<(usize, Reconciliation)>,
    /// Rows of each file in a table of the period.
    pub in_period_per_file: Vec<u64>,
    /// Rows of each file in a table of another window.
    pub outside_period_per_file: Vec<u64>,
}

/// Reconciles every table of the period with the dossiers' form 06.
pub fn compute(
    pipeline: &Pipeline,
    ruled: &Ruled,
    period: &Period,
    n_files: usize,
) -> Result<SystemStatisticsFigures> {
    let mut out = SystemStatisticsFigures {
        in_period_per_file: vec![0; n_files],
        outside_period_per_file: vec![0; n_files],
        ..SystemStatisticsFigures::default()
    };
    let frame = &ruled.get::<Tables>("system_statistics")?.frame;
    if frame.height() == 0 {
        return Ok(out);
    }
    // Files are named as the dossier rules' messages name them: by their position here; the
    // documents name the file from the run's list.
    let tables = records::tables(frame, &|i| format!("#{i}"))?;
    let (this, other): (Vec<_>, Vec<_>) = tables
        .into_iter()
        .partition(|(_, t)| t.window == (period.start, period.end));
    for (file, t) in &other {
        out.outside_period_per_file[*file] += t.rows.len() as u64;
    }
    if this.is_empty() {
        return Ok(out);
    }
    let dossiers = ruled.get::<dossier::rules::Ruled>("dossier")?;
    let form = dossier::figures::form06::form06(&dossiers.frame, period, n_files)?;
    let kept = if dossiers.withdrawn.height() == 0 {
        dossiers.frame.clone()
    } else {
        dossiers.frame.vstack(&dossiers.withdrawn)?
    };
    let evidence = Evidence {
        dossiers: &kept,
        withdrawn: pipeline.withdrawn,
    };
    for (file, t) in &this {
        out.in_period_per_file[*file] += t.rows.len() as u64;
        out.reconciliations
            .push((*file, reconcile(t, period, &form.rows, &evidence)?));
    }
    Ok(out)
}

/// One differing cell in indicators.json.
#[derive(Debug, Serialize)]
struct DifferenceView<'a> {
    level: Option<&'static str>,
    unit: Option<&'a str>,
    field: Option<&'a str>,
    count: &'static str,
    system: u64,
    cchc: u64,
    difference: i64,
    explained_by: Option<&'a [super::reconcile::Explanation]>,
}

impl KindFigures for SystemStatisticsFigures {
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.in_period_per_file,
            &self.outside_period_per_file,
            file,
        )
    }

    /// `reconciliation` (the differing cells of every table of the period) and
    /// `reconciliation_checked` (the cells compared); absent when no table is of the period.
    fn json<'a>(&'a self, _ctx: &JsonContext<'a>) -> Vec<JsonSection<'a>> {
        if self.reconciliations.is_empty() {
            return Vec::new();
        }
        let cells: Vec<DifferenceView<'a>> = self
            .reconciliations
            .iter()
            .flat_map(|(_, r)| &r.differences)
            .map(|d| DifferenceView {
                level: d.level.map(|l| l.code()),
                unit: d.unit.as_deref(),
                field: d.field.as_deref(),
                count: d.count.name(),
                system: d.system,
                cchc: d.cchc,
                difference: d.difference,
                explained_by: d.explained_by.as_deref(),
            })
            .collect();
        let checked: u64 = self.reconciliations.iter().map(|(_, r)| r.checked).sum();
        vec![
            ("reconciliation", Box::new(cells)),
            ("reconciliation_checked", Box::new(checked)),
        ]
    }

    fn annex_sheets(
        &self,
        ctx: &crate::kind::AnnexContext,
    ) -> Result<Vec<crate::sheet::SheetModel>> {
        super::annex::sheets(self, ctx)
    }

    fn summary(&self, ctx: &SummaryContext) -> Vec<String> {
        let mut out = Vec::new();
        for (file, r) in &self.reconciliations {
            let file = ctx.files.get(*file).map_or("", |f| f.display.as_str());
            let explained = r
                .differences
                .iter()
                .filter(|d| d.explained_by.is_some())
                .count();
            out.push(format!(
                "Đối chiếu số liệu thống kê của hệ thống ({file}, trang «{}»): khớp {}/{} dòng; {} ô chênh lệch, {} ô có quy tắc giải thích (xem trang đối chiếu trong phụ lục).",
                r.sheet,
                crate::vn::int(r.rows_matching),
                crate::vn::int(r.rows_compared),
                crate::vn::int(r.differences.len() as u64),
                crate::vn::int(explained as u64)
            ));
        }
        let mismatches = ctx
            .warnings
            .iter()
            .filter(|w| w.kind == super::TABLE_TOTAL_MISMATCH)
            .count();
        if mismatches > 0 {
            out.push(format!(
                "  Bảng thống kê của hệ thống có {} chỗ cộng không khớp (xem báo cáo chất lượng dữ liệu).",
                crate::vn::int(mismatches as u64)
            ));
        }
        out
    }
}

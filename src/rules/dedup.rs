//! One record per dossier (tthc-rules §2): the copy furthest along wins; on a tie, the later
//! completion date; on a further tie, the copy read last in input order. Every losing copy is
//! logged with the copy that beat it.

use anyhow::Result;
use polars::prelude::*;

use crate::model::{RowRef, Status};
use crate::quality::DuplicateResolved;

/// The table with one row per dossier code, and the copies dropped.
#[derive(Debug)]
pub struct Deduplicated {
    /// One row per dossier code, in input order.
    pub frame: DataFrame,
    /// Every dropped copy.
    pub duplicates: Vec<DuplicateResolved>,
}

/// Keeps the winning copy of every dossier code.
pub fn deduplicate(frame: DataFrame) -> Result<Deduplicated> {
    let sorted = frame
        .lazy()
        .with_column(
            col("completed")
                .fill_null(lit(i32::MIN))
                .alias("_completed_key"),
        )
        .sort(
            ["dossier_id", "status_rank", "_completed_key", "order"],
            SortMultipleOptions::default(),
        )
        .with_column(
            col("dossier_id")
                .neq_missing(col("dossier_id").shift(lit(-1)))
                .alias("_winner"),
        )
        .collect()?;
    let duplicates = log_losers(&sorted)?;
    let frame = sorted
        .lazy()
        .filter(col("_winner"))
        .sort(["order"], SortMultipleOptions::default())
        .drop(cols(["_winner", "_completed_key"]))
        .collect()?;
    Ok(Deduplicated { frame, duplicates })
}

fn log_losers(sorted: &DataFrame) -> Result<Vec<DuplicateResolved>> {
    let ids = sorted.column("dossier_id")?.str()?;
    let winner = sorted.column("_winner")?.bool()?;
    let status = sorted.column("status")?.str()?;
    let rank = sorted.column("status_rank")?.u32()?;
    let completed = sorted.column("completed")?.i32()?;
    let file = sorted.column("file")?.u32()?;
    let sheet = sorted.column("sheet")?.str()?;
    let row = sorted.column("row")?.u32()?;
    let at = |i: usize| RowRef {
        file: file.get(i).unwrap_or(0) as usize,
        sheet: sheet.get(i).unwrap_or("").to_string(),
        row: row.get(i).unwrap_or(0),
    };
    let mut out = Vec::new();
    let mut run_start = 0usize;
    for i in 0..sorted.height() {
        if !winner.get(i).unwrap_or(true) {
            continue;
        }
        for j in run_start..i {
            let reason = if rank.get(j) != rank.get(i) {
                "bản giữ lại có trạng thái tiến xa hơn"
            } else if completed.get(j) != completed.get(i) {
                "cùng mức trạng thái; bản giữ lại có ngày có kết quả muộn hơn"
            } else {
                "trùng cả trạng thái và ngày; giữ bản đọc sau cùng theo thứ tự đầu vào"
            };
            out.push(DuplicateResolved {
                dossier_id: ids.get(i).unwrap_or("").to_string(),
                kept: at(i),
                kept_status: Status::from_code(status.get(i).unwrap_or("")),
                dropped: at(j),
                dropped_status: Status::from_code(status.get(j).unwrap_or("")),
                reason: reason.to_string(),
            });
        }
        run_start = i + 1;
    }
    Ok(out)
}

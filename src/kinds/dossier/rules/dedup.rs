//! One record per dossier (tthc-rules §2): the copy furthest along wins; on a tie, the later
//! completion date; on a further tie, the copy read last in input order. Every losing copy is
//! logged with the copy that beat it.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use foldhash::fast::FixedState;
use polars::prelude::*;

use crate::model::{RowRef, Status};
use crate::quality::DuplicateResolved;

/// Which rows win, and the copies dropped.
#[derive(Debug)]
pub struct Deduplicated {
    /// True for the one row kept of every dossier code, aligned with the table's rows.
    pub keep: BooleanChunked,
    /// Every dropped copy.
    pub duplicates: Vec<DuplicateResolved>,
}

/// Decides the winning copy of every dossier code. Only the rows of codes that occur more than
/// once are sorted: at city scale they are a few percent of the table, and the table itself is
/// never copied here.
pub fn deduplicate(frame: &DataFrame) -> Result<Deduplicated> {
    let ids = frame.column("dossier_id")?.str()?;
    let mut count: HashMap<&str, u32, FixedState> =
        HashMap::with_capacity_and_hasher(frame.height(), FixedState::default());
    for id in ids.iter().flatten() {
        *count.entry(id).or_default() += 1;
    }
    let repeated: BooleanChunked = ids
        .iter()
        .map(|id| id.is_some_and(|i| count[i] > 1))
        .collect();
    drop(count);
    let sorted = frame
        .filter(&repeated)?
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
    let winner = sorted.column("_winner")?.bool()?;
    let losers: HashSet<u64, FixedState> = sorted
        .column("order")?
        .u64()?
        .iter()
        .zip(winner.iter())
        .filter(|(_, w)| *w == Some(false))
        .filter_map(|(o, _)| o)
        .collect();
    let keep: BooleanChunked = frame
        .column("order")?
        .u64()?
        .iter()
        .map(|o| o.is_none_or(|o| !losers.contains(&o)))
        .collect();
    Ok(Deduplicated { keep, duplicates })
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
                kept_status: Status::from_code(status.get(i).unwrap_or(""))
                    .label()
                    .to_string(),
                dropped: at(j),
                dropped_status: Status::from_code(status.get(j).unwrap_or(""))
                    .label()
                    .to_string(),
                reason: reason.to_string(),
            });
        }
        run_start = i + 1;
    }
    Ok(out)
}

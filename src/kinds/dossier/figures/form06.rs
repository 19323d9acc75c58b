//! Form 06 (Thông tư 01/2020/TT-VPCP) counts for a period, per level, unit and field, as
//! tthc-rules §4 defines them — one polars plan over the dossier table.

use anyhow::{bail, Result};
use polars::prelude::*;

use crate::config::Level;
use crate::figures::NamedCounts;
use crate::normalize::day_number;
use crate::period::Period;
use crate::text::SortKey;

crate::counts! {
    /// The counts of one (level, unit, field), or of a total of such rows.
    pub struct Counts {
        /// Received before the period, not resolved before it.
        carried_over,
        /// Received in the period, online.
        new_online,
        /// Received in the period, in person (and unknown channels).
        new_direct,
        /// Received in the period, by post.
        new_postal,
        /// Received in the period, from an export with no channel column: channel unknown.
        new_unknown_channel,
        /// Resolved in the period before the due date.
        resolved_early,
        /// Resolved in the period on the due date (or with no due date).
        resolved_on_time,
        /// Resolved in the period after the due date.
        resolved_late,
        /// Unresolved at the period's end, within the deadline.
        pending_within,
        /// Unresolved at the period's end, past the deadline.
        pending_overdue,
    }
    totals {
        /// carried_over + new_online + new_direct + new_postal + new_unknown_channel.
        received_total = sum(carried_over, new_online, new_direct, new_postal, new_unknown_channel);
        /// Received in the period.
        new_total = sum(new_online, new_direct, new_postal, new_unknown_channel);
        /// Received in the period in person or by post (one column of the annex).
        new_direct_postal = sum(new_direct, new_postal);
        /// early + on time + late.
        resolved_total = sum(resolved_early, resolved_on_time, resolved_late);
        /// within + overdue.
        pending_total = sum(pending_within, pending_overdue);
    }
    rates {
        /// (early + on time) / resolved × 100, absent when nothing was resolved.
        on_time_rate = sum(resolved_early, resolved_on_time) / resolved_total => "on_time_rate";
        /// late / resolved × 100, absent when nothing was resolved.
        late_rate = sum(resolved_late) / resolved_total => "late_rate";
    }
    row [
        received_total, carried_over, new_online, new_direct, new_postal, new_unknown_channel,
        resolved_total, resolved_early, resolved_on_time, resolved_late, pending_total,
        pending_within, pending_overdue,
    ];
    // Only when an export had no channel column: absent, the channel of every dossier is known.
    omit_when_zero [new_unknown_channel];
}

impl Counts {
    /// The invariant of tthc-rules §4.
    pub fn balances(&self) -> bool {
        self.received_total() == self.resolved_total() + self.pending_total()
    }
}

/// One row of form 06.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form06Row {
    /// Level of the unit.
    pub level: Level,
    /// Canonical unit.
    pub unit: String,
    /// Canonical field.
    pub field: String,
    /// The counts.
    pub counts: Counts,
}

/// Form 06 for a period, and how many dossiers of each file fell in it.
#[derive(Debug)]
pub struct Form06 {
    /// Rows with any dossier in the period, sorted by level, unit, field (Vietnamese collation).
    pub rows: Vec<Form06Row>,
    /// Dossiers of each file that count in the period.
    pub in_period_per_file: Vec<u64>,
    /// Dossiers of each file with nothing in the period.
    pub outside_period_per_file: Vec<u64>,
}

/// A dossier resolved late in the period, and one pending past its due date at its end (a
/// dossier waiting for a supplement excepted) — tthc-rules §4, the one definition form 06 and
/// the list of late dossiers share. Both are false, never null.
pub fn late_predicates(period: &Period) -> (Expr, Expr) {
    let start = lit(day_number(period.start));
    let end = lit(day_number(period.end));
    let completed = col("completed");
    let due = col("due");
    let resolved_late = completed
        .clone()
        .gt_eq(start)
        .and(completed.clone().lt_eq(end.clone()))
        .and(completed.clone().gt(due.clone()))
        .and(col("status").neq(lit("withdrawn")));
    let pending_overdue = col("received")
        .lt_eq(end.clone())
        .and(completed.clone().is_null().or(completed.gt(end.clone())))
        .and(due.lt(end))
        .and(col("status").neq(lit("supplement")));
    (
        resolved_late.fill_null(lit(false)),
        pending_overdue.fill_null(lit(false)),
    )
}

/// The boolean columns that classify each dossier for the period.
fn classify(frame: DataFrame, period: &Period) -> LazyFrame {
    let start = lit(day_number(period.start));
    let end = lit(day_number(period.end));
    let f = |e: Expr| e.fill_null(lit(false));
    let received = col("received");
    let due = col("due");
    let completed = col("completed");
    let done_in = f(completed
        .clone()
        .gt_eq(start.clone())
        .and(completed.clone().lt_eq(end.clone())));
    let forced_on_time = col("status").eq(lit("withdrawn"));
    let timed = done_in
        .clone()
        .and(forced_on_time.not())
        .and(due.clone().is_not_null());
    let early = f(timed.and(completed.clone().lt(due.clone())));
    let (late, overdue) = late_predicates(period);
    let pending = f(received.clone().lt_eq(end.clone()).and(
        completed
            .clone()
            .is_null()
            .or(completed.clone().gt(end.clone())),
    ));
    let carried = f(received.clone().lt(start.clone()).and(
        completed
            .clone()
            .is_null()
            .or(completed.gt_eq(start.clone())),
    ));
    let new = f(received.clone().gt_eq(start).and(received.lt_eq(end)));
    let channel = |c: &str| f(new.clone().and(col("channel").eq(lit(c))));
    frame.lazy().with_columns([
        carried.clone().alias("carried_over"),
        channel("online").alias("new_online"),
        channel("direct").alias("new_direct"),
        channel("postal").alias("new_postal"),
        channel("unknown").alias("new_unknown_channel"),
        early.clone().alias("resolved_early"),
        done_in
            .clone()
            .and(early.or(late.clone()).not())
            .alias("resolved_on_time"),
        late.alias("resolved_late"),
        pending
            .clone()
            .and(overdue.clone().not())
            .alias("pending_within"),
        overdue.alias("pending_overdue"),
        carried.or(new).alias("in_period"),
    ])
}

/// Computes form 06 for a period over the dossier table; fails if any row breaks the invariant.
/// The columns of the dossier table form 06 reads.
pub const INPUT_COLUMNS: [&str; 9] = [
    "level",
    "unit",
    "field",
    "file",
    "received",
    "due",
    "completed",
    "status",
    "channel",
];

pub fn form06(frame: &DataFrame, period: &Period, n_files: usize) -> Result<Form06> {
    // Only the columns the classification reads: the dossier table's text columns (procedure
    // names …) would otherwise be copied with every filtered row.
    let needed = frame.select(INPUT_COLUMNS)?;
    let classified = classify(needed, period).collect()?;
    let mut in_period_per_file = vec![0u64; n_files];
    let mut outside_period_per_file = vec![0u64; n_files];
    let files = classified.column("file")?.u32()?;
    let inside = classified.column("in_period")?.bool()?;
    for (f, i) in files.iter().zip(inside.iter()) {
        let f = f.unwrap_or(0) as usize;
        if i.unwrap_or(false) {
            in_period_per_file[f] += 1;
        } else {
            outside_period_per_file[f] += 1;
        }
    }
    let aggs: Vec<Expr> = Counts::FIELDS
        .iter()
        .map(|c| col(*c).cast(DataType::UInt64).sum().alias(*c))
        .collect();
    let grouped = classified
        .lazy()
        .filter(col("in_period"))
        .group_by([col("level"), col("unit"), col("field")])
        .agg(aggs)
        .collect()?;
    let level = grouped.column("level")?.str()?;
    let unit = grouped.column("unit")?.str()?;
    let field = grouped.column("field")?.str()?;
    let mut counts_cols = Vec::new();
    for c in Counts::FIELDS {
        counts_cols.push(grouped.column(c)?.u64()?.clone());
    }
    let mut rows = Vec::with_capacity(grouped.height());
    for i in 0..grouped.height() {
        let v = |k: usize| counts_cols[k].get(i).unwrap_or(0);
        let counts = Counts::from_values(v);
        let row = Form06Row {
            level: if level.get(i) == Some("xa") {
                Level::Xa
            } else {
                Level::Huyen
            },
            unit: unit.get(i).unwrap_or("").to_string(),
            field: field.get(i).unwrap_or("").to_string(),
            counts,
        };
        if !row.counts.balances() {
            bail!(
                "lỗi chương trình: số liệu của {} / {} không cân (tiếp nhận {} ≠ đã giải quyết {} + đang giải quyết {})",
                row.unit,
                row.field,
                row.counts.received_total(),
                row.counts.resolved_total(),
                row.counts.pending_total()
            );
        }
        rows.push(row);
    }
    // Level (huyện first), then unit, then field, in Vietnamese order.
    rows.sort_by_cached_key(|r| (r.level, SortKey::new(&r.unit), SortKey::new(&r.field)));
    Ok(Form06 {
        rows,
        in_period_per_file,
        outside_period_per_file,
    })
}

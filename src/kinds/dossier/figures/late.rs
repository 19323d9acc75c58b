//! The late dossiers of a period: resolved after their due date within it, or still pending
//! past their due date at its end (waits for a supplement excepted) — the list an annex names.

use std::cmp::Reverse;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use crate::config::Level;
use crate::normalize::{day_number, from_day_number};
use crate::period::Period;
use crate::text::CollationRanks;

/// Whether a late dossier is resolved or still pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateState {
    /// Resolved in the period, after the due date.
    ResolvedLate,
    /// Unresolved at the period's end, past the due date.
    PendingOverdue,
}

impl LateState {
    /// Its place in a late list template's `state_words` (closed late, still open).
    pub fn index(self) -> usize {
        match self {
            LateState::ResolvedLate => 0,
            LateState::PendingOverdue => 1,
        }
    }
}

/// One late dossier (no personal data).
#[derive(Debug, Clone, PartialEq)]
pub struct LateDossier {
    /// Dossier code.
    pub dossier_id: String,
    /// Level.
    pub level: Level,
    /// Unit.
    pub unit: String,
    /// Field.
    pub field: String,
    /// Procedure name, when the export has it.
    pub procedure: Option<String>,
    /// Received.
    pub received: NaiveDate,
    /// Due.
    pub due: NaiveDate,
    /// Completed (None while pending).
    pub completed: Option<NaiveDate>,
    /// Calendar days past the due date (to completion, or to the period's end).
    pub days_late: i64,
    /// Resolved late or pending overdue.
    pub state: LateState,
    /// Apology letter, when the export says.
    pub apology: Option<bool>,
}

/// Lists the late dossiers of a period, by level, unit (Vietnamese order), then most days late.
pub fn late_dossiers(frame: &DataFrame, period: &Period) -> Result<Vec<LateDossier>> {
    let (resolved_late, pending_overdue) = super::form06::late_predicates(period);
    let df = frame
        .clone()
        .lazy()
        .with_column(resolved_late.alias("_resolved_late"))
        .filter(col("_resolved_late").or(pending_overdue))
        // Only what the list shows: the table's other columns are not copied for its rows.
        .select([
            col("dossier_id"),
            col("level"),
            col("unit"),
            col("field"),
            col("procedure"),
            col("received"),
            col("due"),
            col("completed"),
            col("_resolved_late"),
            col("apology"),
        ])
        .collect()?;
    let s = |name: &str| -> Result<&StringChunked> { Ok(df.column(name)?.str()?) };
    let i = |name: &str| -> Result<&Int32Chunked> { Ok(df.column(name)?.i32()?) };
    // Read in order through iterators: the number columns stay in the files' chunks, where
    // looking up a row by its index walks the chunks.
    let (mut ids, mut levels, mut units, mut fields, mut procs) = (
        s("dossier_id")?.iter(),
        s("level")?.iter(),
        s("unit")?.iter(),
        s("field")?.iter(),
        s("procedure")?.iter(),
    );
    let (mut received, mut dues, mut completes) = (
        i("received")?.iter(),
        i("due")?.iter(),
        i("completed")?.iter(),
    );
    let mut flag = df.column("_resolved_late")?.bool()?.iter();
    let mut apology = df.column("apology")?.bool()?.iter();
    let mut out = Vec::with_capacity(df.height());
    for _ in 0..df.height() {
        let due = dues.next().flatten().unwrap_or(0);
        let resolved = flag.next().flatten().unwrap_or(false);
        let completed = completes.next().flatten().filter(|_| resolved);
        let until = completed.unwrap_or(day_number(period.end));
        out.push(LateDossier {
            dossier_id: ids.next().flatten().unwrap_or("").to_string(),
            level: if levels.next().flatten() == Some("xa") {
                Level::Xa
            } else {
                Level::Huyen
            },
            unit: units.next().flatten().unwrap_or("").to_string(),
            field: fields.next().flatten().unwrap_or("").to_string(),
            procedure: procs.next().flatten().map(str::to_string),
            received: from_day_number(received.next().flatten().unwrap_or(0)),
            due: from_day_number(due),
            completed: completed.map(from_day_number),
            days_late: (until - due) as i64,
            state: if resolved {
                LateState::ResolvedLate
            } else {
                LateState::PendingOverdue
            },
            apology: apology.next().flatten(),
        });
    }
    // Sorted by small keys side by side, then put in their order: each unit's place in
    // Vietnamese order looked up once, not compared at every step of a city's list. The row's
    // place comes last, so no two keys are equal and the order is the one a stable sort gives.
    let order: Vec<usize> = {
        let ranks = CollationRanks::of(out.iter().map(|d| d.unit.as_str()));
        let mut keys: Vec<_> = out
            .iter()
            .enumerate()
            .map(|(row, d)| {
                let unit = ranks.get(&d.unit);
                (
                    d.level,
                    unit,
                    Reverse(d.days_late),
                    d.dossier_id.as_str(),
                    row,
                )
            })
            .collect();
        keys.par_sort_unstable();
        keys.into_iter().map(|k| k.4).collect()
    };
    let mut rows: Vec<Option<LateDossier>> = out.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .map(|row| rows[row].take().expect("each row once"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::PeriodRule;

    #[test]
    fn lists_by_level_then_unit_in_vietnamese_order_then_days_late_then_code() {
        let day = |d: u32| day_number(NaiveDate::from_ymd_opt(2024, 2, d).unwrap());
        // (code, level, unit, due, completed): every one resolved late in the quarter.
        let rows = [
            ("H-2", "xa", "Xã Đông Thạnh", 1, 4),
            ("H-5", "xa", "Xã Đông Thạnh", 1, 9),
            ("H-1", "xa", "Xã Đông Thạnh", 2, 5),
            ("H-3", "xa", "Xã Dân", 1, 2),
            ("H-4", "huyen", "Phòng Y tế", 1, 2),
        ];
        let frame = df!(
            "dossier_id" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            "level" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            "unit" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            "field" => vec!["Hộ tịch"; rows.len()],
            "procedure" => vec![None::<&str>; rows.len()],
            "received" => vec![day(1); rows.len()],
            "due" => rows.iter().map(|r| day(r.3)).collect::<Vec<_>>(),
            "completed" => rows.iter().map(|r| day(r.4)).collect::<Vec<_>>(),
            "status" => vec!["returned"; rows.len()],
            "apology" => vec![None::<bool>; rows.len()],
        )
        .unwrap();
        let period = Period::parse("2024-Q1", PeriodRule::Calendar).unwrap();
        let listed: Vec<(String, i64)> = late_dossiers(&frame, &period)
            .unwrap()
            .into_iter()
            .map(|d| (d.dossier_id, d.days_late))
            .collect();
        // The district's unit first; «Dân» before «Đông» (d before đ); among equal days late,
        // the codes in order.
        let expected = [("H-4", 1), ("H-3", 1), ("H-5", 8), ("H-1", 3), ("H-2", 3)];
        let expected: Vec<(String, i64)> =
            expected.iter().map(|(c, d)| (c.to_string(), *d)).collect();
        assert_eq!(listed, expected);
    }
}

//! One record per dossier (tthc-rules §2): the copy furthest along wins; on a tie, the later
//! completion date; on a further tie, what the copies say decides, never their file's name or
//! place in the input ([`crate::normalize::Content`]: the copy with more values filled in, then
//! the copy whose first differing value comes later). Every losing copy is logged with the copy that beat it, and
//! warned about when the copies disagree on unit or field, or — decided by content — on
//! anything else (both files named). Codes are compared exactly; codes that differ only in case
//! are warned about in pairs. The store keeps the winners of every stored copy for `cchc alerts`
//! (`Store::winners`): a change to this rule changes `WINNERS_RULES` in `src/store.rs` too.

use std::collections::HashMap;
use std::hash::BuildHasher;

use anyhow::Result;
use foldhash::fast::FixedState;
use polars::prelude::*;
use rayon::prelude::*;

use crate::model::Status;
use crate::normalize::{Content, CONTENT_RULE};
use crate::quality::{Disagreement, DuplicateResolved, Warning, WarningKind};

/// The copies dropped, and what they tell a person to check.
#[derive(Debug)]
pub struct Deduplicated {
    /// Every dropped copy.
    pub duplicates: Vec<DuplicateResolved>,
    /// Dropped copies that disagree with the kept one on unit or field, and codes that differ
    /// only in case.
    pub warnings: Vec<Warning>,
    /// Copies decided by content that differ elsewhere than unit and field.
    pub disagreements: Vec<Disagreement>,
}

/// Decides the winning copy of every dossier code, then hands the table and its rows kept
/// (true for the one row kept of every code) to `then` — at city scale the table's filter —
/// while the copies dropped are logged beside it. Only the rows of codes that occur more than
/// once are sorted: they are a few percent of the table, and the table itself is never copied
/// here.
pub fn deduplicate<T: Send>(
    frame: DataFrame,
    then: impl FnOnce(DataFrame, BooleanChunked) -> Result<T> + Send,
) -> Result<(Deduplicated, T)> {
    // Side by side, as each only reads: the codes that differ only in case beside the copies'
    // sorting, then the log of the copies dropped beside what comes next.
    let (case, sorted) = rayon::join(|| case_pairs(&frame), || repeated_copies(&frame));
    let sorted = sorted?;
    let keep = keep_winners(&frame, &sorted)?;
    let (logged, next) = rayon::join(|| log_losers(&sorted), || then(frame, keep));
    let (duplicates, mut warnings, disagreements) = logged?;
    warnings.extend(case?);
    let deduplicated = Deduplicated {
        duplicates,
        warnings,
        disagreements,
    };
    Ok((deduplicated, next?))
}

/// The rows [`deduplicate`] keeps, without its log of the copies dropped (for a list that
/// shows none of it: `cchc alerts`).
pub fn winners(frame: &DataFrame) -> Result<BooleanChunked> {
    keep_winners(frame, &repeated_copies(frame)?)
}

/// The copies of the codes that occur more than once, sorted so that each code's winner comes
/// last, marked `_winner`; `_row` is each copy's row in the table.
fn repeated_copies(frame: &DataFrame) -> Result<DataFrame> {
    let rows = repeated_rows(frame.column("dossier_id")?.str()?);
    // Gathered into one chunk per column: the content keys read every value by row.
    let mut repeated = frame.take(&IdxCa::from_vec("_row".into(), rows.clone()))?;
    repeated.rechunk_mut();
    let (filled, content_rank): (Vec<u32>, Vec<u32>) = {
        let content = Content::of(&repeated);
        content.filled_and_ranks(repeated.column("dossier_id")?.str()?.iter())
    };
    repeated.with_column(Column::new("_filled".into(), filled))?;
    repeated.with_column(Column::new("_content".into(), content_rank))?;
    repeated.with_column(Column::new("_row".into(), rows))?;
    Ok(repeated
        .lazy()
        .with_column(
            col("completed")
                .fill_null(lit(i32::MIN))
                .alias("_completed_key"),
        )
        .sort(
            [
                "dossier_id",
                "status_rank",
                "_completed_key",
                "_content",
                "order",
            ],
            SortMultipleOptions::default(),
        )
        .with_column(
            col("dossier_id")
                .neq_missing(col("dossier_id").shift(lit(-1)))
                .alias("_winner"),
        )
        .collect()?)
}

/// The rows, in table order, of the codes that occur more than once (a missing code is never
/// repeated). The codes are hashed and sorted by hash rather than counted in a map: at city scale
/// a map of millions of codes is read at random, a sorted list in order. Codes of one hash are
/// then told apart by their text, so two codes are repeats only when they are equal.
fn repeated_rows(ids: &StringChunked) -> Vec<IdxSize> {
    let hasher = FixedState::default();
    let codes: Vec<Option<&str>> = ids.iter().collect();
    let mut by_hash: Vec<(u64, IdxSize)> = codes
        .par_iter()
        .enumerate()
        .filter_map(|(row, id)| id.map(|id| (hasher.hash_one(id), row as IdxSize)))
        .collect();
    by_hash.par_sort_unstable();
    let text = |row: IdxSize| codes[row as usize].unwrap_or_default();
    let mut repeated = vec![false; codes.len()];
    for same_hash in by_hash.chunk_by_mut(|a, b| a.0 == b.0) {
        if same_hash.len() < 2 {
            continue;
        }
        same_hash.sort_unstable_by(|a, b| text(a.1).cmp(text(b.1)));
        for same_code in same_hash.chunk_by(|a, b| text(a.1) == text(b.1)) {
            if same_code.len() > 1 {
                for (_, row) in same_code {
                    repeated[*row as usize] = true;
                }
            }
        }
    }
    repeated
        .iter()
        .enumerate()
        .filter(|(_, r)| **r)
        .map(|(row, _)| row as IdxSize)
        .collect()
}

/// True for every row of the table but the losing copies of [`repeated_copies`].
fn keep_winners(frame: &DataFrame, sorted: &DataFrame) -> Result<BooleanChunked> {
    let winner = sorted.column("_winner")?.bool()?;
    let mut keep = vec![true; frame.height()];
    for (row, w) in sorted.column("_row")?.idx()?.iter().zip(winner.iter()) {
        if let (Some(row), Some(false)) = (row, w) {
            keep[row as usize] = false;
        }
    }
    Ok(BooleanChunked::from_slice("keep".into(), &keep))
}

type Logged = (Vec<DuplicateResolved>, Vec<Warning>, Vec<Disagreement>);

fn log_losers(sorted: &DataFrame) -> Result<Logged> {
    let ids = sorted.column("dossier_id")?.str()?;
    let winner = sorted.column("_winner")?.bool()?;
    let status = sorted.column("status")?.str()?;
    let rank = sorted.column("status_rank")?.u32()?;
    let completed = sorted.column("completed")?.i32()?;
    let src = crate::normalize::Sources::of(sorted)?;
    let unit = sorted.column("unit")?.str()?;
    let field = sorted.column("field")?.str()?;
    let at = |i: usize| src.at(i);
    let content = Content::of(sorted);
    let filled = sorted.column("_filled")?.u32()?;
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut disagreements = Vec::new();
    let mut run_start = 0usize;
    for i in 0..sorted.height() {
        if !winner.get(i).unwrap_or(true) {
            continue;
        }
        for j in run_start..i {
            let reason = if rank.get(j) != rank.get(i) {
                "bản giữ lại có trạng thái tiến xa hơn".to_string()
            } else if completed.get(j) != completed.get(i) {
                "cùng mức trạng thái; bản giữ lại có ngày có kết quả muộn hơn".to_string()
            } else {
                let differs = content.conflicts(i, j, &["unit", "field"]);
                if !differs.is_empty() {
                    disagreements.push(Disagreement {
                        record: ids.get(i).unwrap_or("").to_string(),
                        kept: at(i),
                        dropped: at(j),
                        columns: differs,
                    });
                }
                if filled.get(i) == filled.get(j) && content.differs(i, j, &[]).is_empty() {
                    "hai bản giống hệt nhau".to_string()
                } else {
                    format!("trùng cả trạng thái và ngày; giữ bản {CONTENT_RULE}")
                }
            };
            let mut columns = Vec::new();
            let mut differs = Vec::new();
            for (label, what, c) in [("Đơn vị", "đơn vị", unit), ("Lĩnh vực", "lĩnh vực", field)]
            {
                let (kept, dropped) = (c.get(i).unwrap_or(""), c.get(j).unwrap_or(""));
                if kept != dropped {
                    columns.push(label);
                    differs.push(format!("{what}: bản giữ lại «{kept}», bản bỏ «{dropped}»"));
                }
            }
            let differs = differs.join("; ");
            if !differs.is_empty() {
                warnings.push(Warning {
                    source: at(j),
                    dossier_id: ids.get(i).unwrap_or("").to_string(),
                    kind: WarningKind::DuplicateDisagrees,
                    column: columns.join(", "),
                    value: differs.clone(),
                });
            }
            out.push(DuplicateResolved {
                dossier_id: ids.get(i).unwrap_or("").to_string(),
                kept: at(i),
                kept_status: Status::from_code(status.get(i).unwrap_or(""))
                    .code()
                    .to_string(),
                dropped: at(j),
                dropped_status: Status::from_code(status.get(j).unwrap_or(""))
                    .code()
                    .to_string(),
                reason,
                differs,
            });
        }
        run_start = i + 1;
    }
    Ok((out, warnings, disagreements))
}

fn has_lowercase(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        s.chars().any(char::is_lowercase)
    }
}

/// Codes that differ only in case (`HS-1`, `hs-1`): two dossiers, since codes are compared
/// exactly, but most likely one typed twice. Each pair is two warnings, one at the first row of
/// each code, whose value is the other code; the first code seen pairs with every other
/// spelling. Only codes with a lower-case letter are keyed: the others are their own key, looked
/// up without a copy.
fn case_pairs(frame: &DataFrame) -> Result<Vec<Warning>> {
    let ids = frame.column("dossier_id")?.str()?;
    // Upper-case key → the spellings with a lower-case letter, each at its first row.
    let mut lower: HashMap<String, Vec<(&str, usize)>, FixedState> = HashMap::default();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id.filter(|id| has_lowercase(id)) else {
            continue;
        };
        let spellings = lower.entry(id.to_uppercase()).or_default();
        if !spellings.iter().any(|(s, _)| *s == id) {
            spellings.push((id, i));
        }
    }
    if lower.is_empty() {
        return Ok(Vec::new());
    }
    // The spellings without one (their own key), each at its first row.
    let mut upper: HashMap<&str, usize, FixedState> = HashMap::default();
    for (i, id) in ids.iter().enumerate() {
        if let Some(id) = id.filter(|id| !has_lowercase(id) && lower.contains_key(*id)) {
            upper.entry(id).or_insert(i);
        }
    }
    let order = frame.column("order")?.u64()?;
    let src = crate::normalize::Sources::of(frame)?;
    let at = |i: usize| src.at(i);
    let mut groups: Vec<Vec<(&str, usize)>> = Vec::new();
    for (key, mut spellings) in lower {
        if let Some((own, i)) = upper.get_key_value(key.as_str()) {
            spellings.push((own, *i));
        }
        if spellings.len() > 1 {
            spellings.sort_by_key(|(_, i)| order.get(*i));
            groups.push(spellings);
        }
    }
    groups.sort_by_key(|g| order.get(g[0].1));
    let mut out = Vec::new();
    for g in groups {
        let (first, fi) = g[0];
        for &(other, oi) in &g[1..] {
            for (id, i, value) in [(first, fi, other), (other, oi, first)] {
                out.push(Warning {
                    source: at(i),
                    dossier_id: id.to_string(),
                    kind: WarningKind::CodeCaseDiffers,
                    column: "Mã hồ sơ".into(),
                    value: value.to_string(),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_rows_are_the_rows_of_equal_codes_in_table_order() {
        let ids = StringChunked::from_iter_options(
            "dossier_id".into(),
            [
                Some("H29-1"),
                Some("H29-2"),
                Some("H29-1"),
                None,
                Some("h29-1"),
                Some("H29-2"),
                Some("H29-2"),
                None,
                Some("H29-3"),
            ]
            .into_iter(),
        );
        assert_eq!(repeated_rows(&ids), vec![0, 1, 2, 5, 6]);
        assert!(repeated_rows(&StringChunked::from_iter_options(
            "d".into(),
            [None::<&str>, None].into_iter()
        ))
        .is_empty());
    }
}

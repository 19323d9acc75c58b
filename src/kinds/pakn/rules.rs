//! One record per PAKN code (pakn.md §3): the copy furthest along wins (waiting < processing <
//! answered < published; refused and transferred rank with published), then the later closing
//! date, then what the copies say ([`crate::normalize::Content`]: more values filled in, then the
//! copy whose first differing value comes later — never file names or order); every losing copy is logged, and
//! copies decided by content that differ are warned about. Withdrawn PAKN are excluded from
//! every count, per file.

use std::collections::HashMap;

use anyhow::Result;
use polars::prelude::*;

use super::PaknStatus;
use crate::normalize::{Content, CONTENT_RULE};
use crate::quality::{Disagreement, DuplicateResolved};

/// The PAKN table after the rules.
#[derive(Debug)]
pub struct Ruled {
    /// One row per PAKN that counts.
    pub frame: DataFrame,
    /// Copies that lost to another copy of the same code.
    pub duplicates: Vec<DuplicateResolved>,
    /// Withdrawn PAKN excluded, per file.
    pub withdrawn_per_file: Vec<u64>,
    /// Copies decided by content that differ.
    pub disagreements: Vec<Disagreement>,
}

impl crate::kind::RuledTable for Ruled {
    fn duplicates(&self) -> &[DuplicateResolved] {
        &self.duplicates
    }
    fn warnings(&self, files: &[crate::model::SourceFile]) -> Vec<crate::quality::Warning> {
        self.disagreements
            .iter()
            .map(|d| d.warning(files))
            .collect()
    }
    fn excluded_per_file(&self) -> Vec<u64> {
        self.withdrawn_per_file.clone()
    }
}

/// Applies the rules to the stacked PAKN records.
pub fn apply(frame: DataFrame, n_files: usize) -> Result<Ruled> {
    let n = frame.height();
    let code = frame.column("code")?.str()?;
    let rank = frame.column("status_rank")?.u32()?;
    let closed = frame.column("closed")?.i32()?;
    let order = frame.column("order")?.u64()?;
    let status = frame.column("status")?.str()?;
    let src = crate::normalize::Sources::of(&frame)?;
    let at = |i: usize| src.at(i);
    let label = |i: usize| PaknStatus::from_code(status.get(i).unwrap_or("")).code();
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..n {
        if let Some(c) = code.get(i) {
            groups.entry(c).or_default().push(i);
        }
    }
    let mut keep = vec![true; n];
    let mut duplicates = Vec::new();
    let mut disagreements = Vec::new();
    let content = Content::of(&frame);
    let mut codes: Vec<&&str> = groups.keys().filter(|c| groups[**c].len() > 1).collect();
    codes.sort();
    for c in codes {
        let members = &groups[*c];
        let key = |i: usize| (rank.get(i), closed.get(i), content.key(i), order.get(i));
        let best = *members
            .iter()
            .max_by_key(|&&i| key(i))
            .expect("a group has members");
        for &j in members.iter().filter(|&&j| j != best) {
            keep[j] = false;
            let reason = if rank.get(best) > rank.get(j) {
                "trạng thái xử lý xa hơn".to_string()
            } else if closed.get(best) > closed.get(j) {
                "cùng trạng thái, ngày kết thúc muộn hơn".to_string()
            } else {
                let differs = content.conflicts(best, j, &[]);
                if differs.is_empty() {
                    "hai bản giống hệt nhau".to_string()
                } else {
                    disagreements.push(Disagreement {
                        record: c.to_string(),
                        kept: at(best),
                        dropped: at(j),
                        columns: differs,
                    });
                    format!("cùng trạng thái, cùng ngày kết thúc; giữ bản {CONTENT_RULE}")
                }
            };
            duplicates.push(DuplicateResolved {
                dossier_id: c.to_string(),
                kept: at(best),
                kept_status: label(best).to_string(),
                dropped: at(j),
                dropped_status: label(j).to_string(),
                reason,
                differs: String::new(),
            });
        }
    }
    duplicates.sort_by_key(|d| (d.dropped.file, d.dropped.row));
    let mut withdrawn_per_file = vec![0u64; n_files];
    for i in 0..n {
        if keep[i] && status.get(i) == Some("withdrawn") {
            keep[i] = false;
            withdrawn_per_file[src.file(i)] += 1;
        }
    }
    drop(content);
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    Ok(Ruled {
        frame: frame.filter(&mask)?,
        duplicates,
        withdrawn_per_file,
        disagreements,
    })
}

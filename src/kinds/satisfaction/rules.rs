//! One rating per dossier, and unit and field from the rated dossier (satisfaction.md §3).
//!
//! A row without a unit takes the unit of its dossier first, so that a row that cannot count
//! never beats one that can. When a dossier code repeats, the latest evaluation counts (by date,
//! then by what the copies say — [`crate::normalize::Content`], never file names or order) and
//! the others are duplicates; without a dossier code, a repeated evaluation code is a duplicate
//! the same way; rows with neither are counted as they are and tallied per file. A row without
//! a unit takes the unit (and a missing field) of the dossier its code names, from the ruled
//! dossier table; with no such dossier it is quarantined here, at compute time, because only
//! now are all the dossiers known.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use polars::prelude::*;

use crate::normalize::{from_day_number, Content, CONTENT_RULE};
use crate::quality::{Disagreement, DuplicateResolved, Quarantined};

/// The satisfaction table after the rules.
#[derive(Debug)]
pub struct Ruled {
    /// Rows that count, every one with a unit, level and field ("" when absent).
    pub frame: DataFrame,
    /// Evaluations that lost to a later one of the same dossier or code.
    pub duplicates: Vec<DuplicateResolved>,
    /// Rows whose unit neither the row nor its dossier gives.
    pub quarantine: Vec<Quarantined>,
    /// Evaluations with neither a dossier code nor an evaluation code, per file.
    pub unchecked_per_file: Vec<u64>,
    /// Evaluations of one date decided by content that differ elsewhere.
    pub disagreements: Vec<Disagreement>,
}

/// The unit, level and field of a rated dossier.
type Link<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

impl crate::kind::RuledTable for Ruled {
    fn duplicates(&self) -> &[DuplicateResolved] {
        &self.duplicates
    }
    /// Per file, the evaluations that could not be checked for duplicates; copies that
    /// disagree.
    fn warnings(&self, files: &[crate::model::SourceFile]) -> Vec<crate::quality::Warning> {
        let unchecked = self
            .unchecked_per_file
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| crate::quality::Warning {
                source: crate::model::RowRef {
                    file: i,
                    sheet: files.get(i).map(|f| f.display.clone()).unwrap_or_default(),
                    row: 0,
                },
                dossier_id: String::new(),
                kind: super::UNCHECKED_DUPLICATES,
                column: "Mã hồ sơ, Mã phiếu".into(),
                value: n.to_string(),
            });
        let disagreements = self.disagreements.iter().map(|d| d.warning(files));
        unchecked.chain(disagreements).collect()
    }
    fn quarantine(&self) -> &[Quarantined] {
        &self.quarantine
    }
}

/// Applies the rules to the stacked satisfaction records, with the ruled dossier table for
/// links: first every row gets its unit (from itself or its dossier) or is quarantined, then
/// duplicates are decided among the rows that can count.
pub fn apply(frame: DataFrame, dossiers: &DataFrame, n_files: usize) -> Result<Ruled> {
    let n = frame.height();
    let shape = frame.column("shape")?.str()?;
    let eval_id = frame.column("evaluation_id")?.str()?;
    let dossier_id = frame.column("dossier_id")?.str()?;
    let evaluated = frame.column("evaluated")?.i32()?;
    let order = frame.column("order")?.u64()?;
    let src = crate::normalize::Sources::of(&frame)?;
    let unit = frame.column("unit")?.str()?;
    let level = frame.column("level")?.str()?;
    let field = frame.column("field")?.str()?;
    // The units and fields of the rated dossiers that rows without a unit or a field name: only
    // those are looked up, not a city's millions of dossiers.
    let wanted: HashSet<&str> = (0..n)
        .filter(|&i| unit.get(i).is_none() || field.get(i).is_none())
        .filter_map(|i| dossier_id.get(i))
        .collect();
    let linked: HashMap<&str, Link> = {
        let mut m = HashMap::new();
        if !wanted.is_empty() {
            let ids = dossiers.column("dossier_id")?.str()?;
            let units = dossiers.column("unit")?.str()?;
            let levels = dossiers.column("level")?.str()?;
            let fields = dossiers.column("field")?.str()?;
            for (i, id) in ids.iter().enumerate() {
                if let Some(id) = id.filter(|id| wanted.contains(id)) {
                    m.insert(id, (units.get(i), levels.get(i), fields.get(i)));
                }
            }
        }
        m
    };
    let mut keep = vec![true; n];
    let mut units: Vec<Option<String>> = Vec::with_capacity(n);
    let mut levels: Vec<Option<String>> = Vec::with_capacity(n);
    let mut fields: Vec<Option<String>> = Vec::with_capacity(n);
    let mut quarantine = Vec::new();
    for (i, kept) in keep.iter_mut().enumerate() {
        let link = dossier_id.get(i).and_then(|d| linked.get(d));
        let (u, l) = match (unit.get(i), link) {
            (Some(u), _) => (Some(u), level.get(i)),
            (None, Some((u, l, _))) => (*u, *l),
            (None, None) => (None, None),
        };
        let f = field
            .get(i)
            .or_else(|| link.and_then(|l| l.2))
            .unwrap_or("");
        if u.is_none() {
            *kept = false;
            quarantine.push(Quarantined {
                source: src.at(i),
                dossier_id: dossier_id.get(i).unwrap_or("").to_string(),
                column: "Mã hồ sơ".into(),
                value: dossier_id.get(i).unwrap_or("").to_string(),
                reason: "không có đơn vị, và mã hồ sơ không khớp hồ sơ nào đã đọc".into(),
            });
        }
        units.push(u.map(str::to_string));
        levels.push(l.map(str::to_string));
        fields.push(Some(f.to_string()));
    }
    // Evaluations by what identifies them: the dossier code first, else the evaluation code.
    let mut unchecked_per_file = vec![0u64; n_files];
    let mut groups: HashMap<(bool, &str), Vec<usize>> = HashMap::new();
    for i in (0..n).filter(|i| keep[*i]) {
        if shape.get(i) != Some("evaluation") {
            continue;
        }
        match (dossier_id.get(i), eval_id.get(i)) {
            (Some(d), _) => groups.entry((true, d)).or_default().push(i),
            (None, Some(e)) => groups.entry((false, e)).or_default().push(i),
            (None, None) => unchecked_per_file[src.file(i)] += 1,
        }
    }
    let date_text = |i: usize| match evaluated.get(i) {
        Some(d) => format!("đánh giá ngày {}", from_day_number(d).format("%d/%m/%Y")),
        None => String::new(),
    };
    let mut duplicates = Vec::new();
    let mut disagreements = Vec::new();
    let content = Content::of(&frame);
    let mut keys: Vec<&(bool, &str)> = groups.keys().filter(|k| groups[*k].len() > 1).collect();
    keys.sort();
    for key in keys {
        let members = &groups[key];
        let best = *members
            .iter()
            .max_by_key(|&&i| (evaluated.get(i), content.key(i), order.get(i)))
            .expect("a group has members");
        for &j in members.iter().filter(|&&j| j != best) {
            keep[j] = false;
            let later_date = evaluated.get(best) > evaluated.get(j);
            if !later_date {
                let differs = content.conflicts(best, j, &[]);
                if !differs.is_empty() {
                    disagreements.push(Disagreement {
                        record: key.1.to_string(),
                        kept: src.at(best),
                        dropped: src.at(j),
                        columns: differs,
                    });
                }
            }
            duplicates.push(DuplicateResolved {
                dossier_id: key.1.to_string(),
                kept: src.at(best),
                kept_status: date_text(best),
                dropped: src.at(j),
                dropped_status: date_text(j),
                reason: match (key.0, later_date) {
                    (true, true) => {
                        "một hồ sơ chỉ tính một lượt đánh giá: lượt đánh giá sau cùng".to_string()
                    }
                    (true, false) => format!(
                        "một hồ sơ chỉ tính một lượt đánh giá: cùng ngày, giữ bản {CONTENT_RULE}"
                    ),
                    (false, true) => "cùng mã phiếu đánh giá: lượt đánh giá sau cùng".to_string(),
                    (false, false) => {
                        format!("cùng mã phiếu đánh giá: cùng ngày, giữ bản {CONTENT_RULE}")
                    }
                },
                differs: String::new(),
            });
        }
    }
    duplicates.sort_by_key(|d| (d.dropped.file, d.dropped.row));
    drop(content);
    let mut frame = frame.clone();
    frame.with_column(Column::new("unit".into(), units))?;
    frame.with_column(Column::new("level".into(), levels))?;
    frame.with_column(Column::new("field".into(), fields))?;
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    let frame = frame.filter(&mask)?;
    Ok(Ruled {
        frame,
        duplicates,
        quarantine,
        unchecked_per_file,
        disagreements,
    })
}

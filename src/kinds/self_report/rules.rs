//! One form per unit and period (self-reports.md §3): of two forms a unit returned for one
//! period, the later one counts — later by what the forms say, never by their file names or
//! order: the form whose tasks report the latest completion date; between forms equal there,
//! the one with more values filled in; then the one whose first differing row comes later
//! (see [`crate::normalize::Content`]). Every answer of the other is a duplicate, logged against the
//! answer that replaced it — the answers of both sheets, "Số liệu" and "Nhiệm vụ".

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use polars::prelude::*;

use crate::quality::DuplicateResolved;

/// The answers table after the rules.
#[derive(Debug)]
pub struct Ruled {
    /// The answers of the forms that count, one form per (unit, period).
    pub frame: DataFrame,
    /// Answers of forms replaced by a later form of the same unit and period.
    pub duplicates: Vec<DuplicateResolved>,
}

impl crate::kind::RuledTable for Ruled {
    fn duplicates(&self) -> &[DuplicateResolved] {
        &self.duplicates
    }
}

/// Applies the rules to the stacked answers.
pub fn apply(frame: DataFrame) -> Result<Ruled> {
    let n = frame.height();
    let unit = frame.column("unit")?.str()?;
    let period = frame.column("period")?.str()?;
    let question = frame.column("question")?.str()?;
    let task = frame.column("task")?.str()?;
    let section = frame.column("section")?.str()?;
    // What a row answers: a question's id, a task's number or a report section's id.
    let item = |i: usize| {
        question
            .get(i)
            .or(task.get(i))
            .or(section.get(i))
            .unwrap_or("")
    };
    let src = crate::normalize::Sources::of(&frame)?;
    let at = |i: usize| src.at(i);
    // Each form (unit, period, file): its latest completion date, its values filled in, and
    // its rows' contents; the greatest form of each (unit, period) counts.
    let completed = frame.column("completed")?.i32()?;
    let content = crate::normalize::Content::of(&frame);
    type FormKey = (Option<i32>, u64, Vec<crate::normalize::ContentKey>);
    let mut forms: BTreeMap<(&str, &str, usize), FormKey> = BTreeMap::new();
    for i in 0..n {
        let key = (
            unit.get(i).unwrap_or(""),
            period.get(i).unwrap_or(""),
            src.file(i),
        );
        let form = forms.entry(key).or_insert((None, 0, Vec::new()));
        form.0 = form.0.max(completed.get(i));
        let key = content.key(i);
        form.1 += key.0 as u64;
        form.2.push(key);
    }
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    let mut best: HashMap<(&str, &str), FormKey> = HashMap::new();
    for ((u, p, f), mut form) in forms {
        form.2.sort_unstable();
        let better = best.get(&(u, p)).is_none_or(|b| form >= *b);
        if better {
            last.insert((u, p), f);
            best.insert((u, p), form);
        }
    }
    // The kept row of each (unit, period, question), to name it beside a dropped copy.
    let mut kept_row: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let mut kept_first: HashMap<(&str, &str), usize> = HashMap::new();
    let keep: Vec<bool> = (0..n)
        .map(|i| {
            let key = (unit.get(i).unwrap_or(""), period.get(i).unwrap_or(""));
            let kept = src.file(i) == last[&key];
            if kept {
                kept_row.entry((key.0, key.1, item(i))).or_insert(i);
                kept_first.entry(key).or_insert(i);
            }
            kept
        })
        .collect();
    let mut duplicates = Vec::new();
    for i in (0..n).filter(|i| !keep[*i]) {
        let key = (unit.get(i).unwrap_or(""), period.get(i).unwrap_or(""));
        let q = item(i);
        let best = kept_row
            .get(&(key.0, key.1, q))
            .copied()
            .unwrap_or(kept_first[&key]);
        duplicates.push(DuplicateResolved {
            dossier_id: q.to_string(),
            kept: at(best),
            kept_status: format!("biểu mẫu {} kỳ {}", key.0, key.1),
            dropped: at(i),
            dropped_status: format!("biểu mẫu {} kỳ {}", key.0, key.1),
            reason:
                "hai biểu mẫu của cùng đơn vị, cùng kỳ: tính biểu mẫu sau (ngày hoàn thành nhiệm vụ muộn nhất, rồi nhiều thông tin hơn; không theo tên hay thứ tự tệp)"
                    .into(),
            differs: String::new(),
        });
    }
    duplicates.sort_by_key(|d| (d.dropped.file, d.dropped.row));
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    Ok(Ruled {
        frame: frame.filter(&mask)?,
        duplicates,
    })
}

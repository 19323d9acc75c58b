//! A system's table beside cchc's form 06 of the same window: for each row of a unit (or field)
//! and each count the table has, the two values; where they differ, the dossiers that a system
//! practice moves in that cell (`real-exports.md` §3).
//!
//! A practice is a change to the dossier record — a withdrawn dossier kept and counted on time, a
//! resolved dossier without a due date given one after its end (early), receipt dated by the
//! online submission, a dossier waiting for a supplement resolved on time at the window's end.
//! What it moves is form 06's own classification of the changed record minus that of the record
//! as cchc counts it ([`crate::kinds::dossier::figures::form06`], one row per dossier), so the
//! rules of tthc-rules stay in one place.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use super::read::{By, SystemRow, SystemTable, TotalMismatch};
use super::Count;
use crate::config::{Level, WithdrawnPractice};
use crate::kinds::dossier::figures::{form06, Counts, Form06Row};
use crate::normalize::day_number;
use crate::period::Period;
use crate::text::match_key;

/// A practice of dossier systems that makes their figures differ from tthc-rules'.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A withdrawn dossier counted as received and resolved on time on its end date.
    Withdrawn,
    /// A dossier waiting for the applicant's supplement counted as resolved on time.
    WaitingForSupplement,
    /// A resolved dossier without a due date counted as early.
    NoDueDate,
    /// Receipt dated by the online submission (`Ngày nộp hồ sơ`), not by `Ngày nhận`.
    ReceivedBySubmissionDate,
}

/// The dossiers a rule moves in one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The rule.
    pub rule: Rule,
    /// Dossier codes, sorted.
    pub dossiers: Vec<String>,
}

/// One cell where the system and cchc differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The unit's level (rows of units).
    pub level: Option<Level>,
    /// The unit (rows of units), as the registry names it.
    pub unit: Option<String>,
    /// The field (rows of fields).
    pub field: Option<String>,
    /// The form-06 count.
    pub count: Count,
    /// The system's value.
    pub system: u64,
    /// cchc's value.
    pub cchc: u64,
    /// system − cchc.
    pub difference: i64,
    /// The rules whose dossiers move this cell; None where no rule does.
    pub explained_by: Option<Vec<Explanation>>,
}

/// A system table reconciled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// The table's file.
    pub file: String,
    /// Its sheet.
    pub sheet: String,
    /// Cells compared.
    pub checked: u64,
    /// The cells that differ, by level, unit (or field), then the table's column order.
    pub differences: Vec<Difference>,
    /// Rows compared.
    pub rows_compared: u64,
    /// Rows whose every cell agrees («khớp X/Y dòng»).
    pub rows_matching: u64,
    /// Rows not compared: 1-based row, label, why.
    pub not_compared: Vec<(u32, String, String)>,
    /// The table's totals that are not the sum of its rows.
    pub totals_not_adding_up: Vec<TotalMismatch>,
}

/// What explains differences: the dossier records as cchc's rules left them.
pub struct Evidence<'a> {
    /// The dossier table after the rules of one record per dossier and of dossiers never
    /// received, **withdrawn dossiers kept** (its `submitted` column is the online submission
    /// date where a list gives one beside the received date) (`dossier::rules::apply` under
    /// [`WithdrawnPractice::ResolvedOnTime`]).
    pub dossiers: &'a DataFrame,
    /// What cchc's form 06 did with withdrawn dossiers.
    pub withdrawn: WithdrawnPractice,
}

/// One dossier a rule moves, and how.
#[derive(Debug)]
struct Effect {
    rule: Rule,
    dossier: String,
    unit: String,
    field: String,
    delta: BTreeMap<Count, i64>,
}

/// Sets a system table beside cchc's form 06 of `period` (the table's window), and explains what
/// differs.
pub fn reconcile(
    table: &SystemTable,
    period: &Period,
    form: &[Form06Row],
    evidence: &Evidence,
) -> Result<Reconciliation> {
    if table.window != (period.start, period.end) {
        let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        bail!(
            "{} (trang «{}») là số liệu từ {} đến {}, không phải kỳ {} (từ {} đến {}); đối chiếu với đúng kỳ của bảng (--period) hoặc dùng bảng của kỳ này",
            table.file,
            table.sheet,
            day(table.window.0),
            day(table.window.1),
            period.id,
            day(period.start),
            day(period.end)
        );
    }
    let effects = effects(evidence, period)?;
    let mut out = Reconciliation {
        file: table.file.clone(),
        sheet: table.sheet.clone(),
        checked: 0,
        differences: Vec::new(),
        rows_compared: 0,
        rows_matching: 0,
        not_compared: Vec::new(),
        totals_not_adding_up: table.totals_not_adding_up.clone(),
    };
    for row in &table.rows {
        let Some((name, level, cchc)) = cchc_of(table.by, row, form) else {
            out.not_compared.push((
                row.row,
                row.label.clone(),
                format!(
                    "«{}» không có trong danh mục {} và không có hồ sơ nào mang tên này",
                    row.label,
                    match table.by {
                        By::Unit => "đơn vị (units.toml)",
                        By::Field => "lĩnh vực (fields.toml)",
                    }
                ),
            ));
            continue;
        };
        out.rows_compared += 1;
        let mut all_agree = true;
        for (count, _, _) in &table.columns {
            let system = row.counts.get(count).copied().unwrap_or(0);
            let ours = count.of(&cchc);
            out.checked += 1;
            if system == ours {
                continue;
            }
            all_agree = false;
            let mut by_rule: BTreeMap<Rule, BTreeSet<&str>> = BTreeMap::new();
            for e in &effects {
                let same = match table.by {
                    By::Unit => e.unit == name,
                    By::Field => e.field == name,
                };
                if same && e.delta.get(count).is_some_and(|d| *d != 0) {
                    by_rule.entry(e.rule).or_default().insert(&e.dossier);
                }
            }
            let explained: Vec<Explanation> = by_rule
                .into_iter()
                .map(|(rule, d)| Explanation {
                    rule,
                    dossiers: d.into_iter().map(str::to_string).collect(),
                })
                .collect();
            let (unit, field) = match table.by {
                By::Unit => (Some(name.clone()), None),
                By::Field => (None, Some(name.clone())),
            };
            out.differences.push(Difference {
                level,
                unit,
                field,
                count: *count,
                system,
                cchc: ours,
                difference: system as i64 - ours as i64,
                explained_by: (!explained.is_empty()).then_some(explained),
            });
        }
        out.rows_matching += u64::from(all_agree);
    }
    let column = |c: Count| table.columns.iter().position(|(k, _, _)| *k == c);
    out.differences.sort_by_cached_key(|d| {
        (
            d.level,
            crate::text::SortKey::new(d.unit.as_deref().or(d.field.as_deref()).unwrap_or("")),
            column(d.count),
        )
    });
    Ok(out)
}

/// The name a row is compared under, its level, and cchc's counts summed over it: by the
/// registry's name, else by the label as cchc wrote an unknown name; None when neither has it.
fn cchc_of(by: By, row: &SystemRow, form: &[Form06Row]) -> Option<(String, Option<Level>, Counts)> {
    let key_of = |r: &Form06Row| match by {
        By::Unit => r.unit.clone(),
        By::Field => r.field.clone(),
    };
    let name = match &row.canonical {
        Some(c) => c.clone(),
        None => {
            let want = match_key(&row.label);
            form.iter().map(key_of).find(|n| match_key(n) == want)?
        }
    };
    let mut sum = Counts::default();
    let mut level = row.level;
    for r in form.iter().filter(|r| key_of(r) == name) {
        sum.add(&r.counts);
        if by == By::Unit {
            level = level.or(Some(r.level));
        }
    }
    Some((name, level, sum))
}

/// Form 06's counts of each dossier of `frame` (rows named by `idx`): the field column is
/// replaced by the dossier's index so that form 06 gives one row per dossier.
fn per_dossier(frame: DataFrame, period: &Period) -> Result<HashMap<usize, Counts>> {
    if frame.height() == 0 {
        return Ok(HashMap::new());
    }
    let n_files = frame
        .column("file")?
        .u32()?
        .max()
        .map_or(1, |m| m as usize + 1);
    let idx: Vec<String> = frame
        .column("idx")?
        .u32()?
        .iter()
        .map(|i| i.unwrap_or(0).to_string())
        .collect();
    let mut f = frame;
    f.with_column(Column::new("field".into(), idx))?;
    let form = form06::form06(&f, period, n_files)?;
    let mut out = HashMap::new();
    for r in form.rows {
        if let Ok(i) = r.field.parse::<usize>() {
            out.insert(i, r.counts);
        }
    }
    Ok(out)
}

/// Every dossier each rule moves in `period`, and by how much in each count.
fn effects(evidence: &Evidence, period: &Period) -> Result<Vec<Effect>> {
    let t = evidence.dossiers;
    let n = t.height();
    let ids: Vec<String> = t
        .column("dossier_id")?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect();
    let units: Vec<String> = t
        .column("unit")?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect();
    let fields: Vec<String> = t
        .column("field")?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect();
    let mut base = t.select(
        crate::kinds::dossier::figures::form06::INPUT_COLUMNS
            .iter()
            .chain(&["submitted"]),
    )?;
    base.with_column(Column::new(
        "idx".into(),
        (0..n as u32).collect::<Vec<u32>>(),
    ))?;
    let end = lit(day_number(period.end));
    let withdrawn = col("status").eq(lit("withdrawn"));
    // The dossiers cchc counts: withdrawn ones only under the practice that keeps them.
    let counted = match evidence.withdrawn {
        WithdrawnPractice::Exclude => withdrawn.clone().not(),
        WithdrawnPractice::ResolvedOnTime => lit(true),
    };
    let pending_at_end = col("completed")
        .is_null()
        .or(col("completed").gt(end.clone()));
    let rules: Vec<(Rule, Expr, Vec<Expr>, bool)> = vec![
        (
            Rule::Withdrawn,
            match evidence.withdrawn {
                WithdrawnPractice::Exclude => withdrawn,
                WithdrawnPractice::ResolvedOnTime => lit(false),
            },
            vec![],
            false,
        ),
        (
            Rule::WaitingForSupplement,
            counted
                .clone()
                .and(col("status").eq(lit("supplement")))
                .and(pending_at_end),
            vec![
                end.alias("completed"),
                lit(NULL).cast(DataType::Int32).alias("due"),
            ],
            true,
        ),
        (
            Rule::NoDueDate,
            counted
                .clone()
                .and(col("due").is_null())
                .and(col("completed").is_not_null()),
            vec![(col("completed") + lit(1)).alias("due")],
            true,
        ),
        (
            Rule::ReceivedBySubmissionDate,
            counted
                .and(col("submitted").is_not_null())
                .and(col("submitted").neq(col("received"))),
            vec![col("submitted").alias("received")],
            true,
        ),
    ];
    let mut out = Vec::new();
    for (rule, candidates, change, counted_before) in rules {
        let picked = base
            .clone()
            .lazy()
            .filter(candidates.fill_null(lit(false)))
            .collect()?;
        if picked.height() == 0 {
            continue;
        }
        let before = if counted_before {
            per_dossier(picked.clone(), period)?
        } else {
            HashMap::new()
        };
        let changed = picked.lazy().with_columns(change).collect()?;
        let after = per_dossier(changed, period)?;
        let keys: BTreeSet<usize> = before.keys().chain(after.keys()).copied().collect();
        let zero = Counts::default();
        for i in keys {
            let (b, a) = (
                before.get(&i).unwrap_or(&zero),
                after.get(&i).unwrap_or(&zero),
            );
            let delta: BTreeMap<Count, i64> = Count::ALL
                .iter()
                .map(|c| (*c, c.of(a) as i64 - c.of(b) as i64))
                .filter(|(_, d)| *d != 0)
                .collect();
            if !delta.is_empty() {
                out.push(Effect {
                    rule,
                    dossier: ids[i].clone(),
                    unit: units[i].clone(),
                    field: fields[i].clone(),
                    delta,
                });
            }
        }
    }
    Ok(out)
}

//! The plan's targets that figures decide (3.1, 3.2, 4.1 …), evaluated as
//! `pipelines/targets.toml` declares them. A rate over rows (on time, late, satisfied) is the
//! sum of its rows' numerators over the sum of their denominators, for the scope's rows.

use crate::config::{Level, Pipeline, TargetScope};
use crate::figures::{Measured, MeasuredValue};
use crate::kinds::KindsFigures;
use crate::text::collate;

use crate::target::unit_counts;
pub use crate::target::{
    general_threshold, in_group, threshold_for_row, threshold_of_measure, trim_number, TargetGap,
    TargetResult,
};

use super::Rate;

pub use crate::figures::Fraction;

fn rate_of<'a>(rows: impl Iterator<Item = &'a Fraction<'a>>) -> Option<Rate> {
    let (part, whole) = rows.fold((0, 0), |(p, w), r| (p + r.part, w + r.whole));
    Rate::of(part, whole)
}

/// A scope's value of a measure over rows: the rate of their sums, or for a count the sum of
/// the rows' counts (decided once the scope has a row).
fn value_of<'a>(
    rows: impl Iterator<Item = &'a Fraction<'a>>,
    count: bool,
) -> Option<MeasuredValue> {
    if count {
        let mut rows = rows.peekable();
        rows.peek()?;
        Some(MeasuredValue::count(rows.map(|r| r.part).sum()))
    } else {
        rate_of(rows).map(|rate| MeasuredValue { rate, count: None })
    }
}

/// Evaluates every configured target: those the data decides (something was resolved or rated,
/// the exports carry the column the figure needs, a unit answered), and those it cannot, with
/// the reason. Each target's measure is one a kind offers; its figures give the values.
pub fn evaluate(pipeline: &Pipeline, kinds: &KindsFigures) -> (Vec<TargetResult>, Vec<TargetGap>) {
    let fields = &pipeline.fields;
    let units = &pipeline.units;
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    for t in &pipeline.targets {
        // The loader refused a measure no kind offers.
        let Some(offered) = crate::kinds::measure(&t.measure) else {
            continue;
        };
        let figures = kinds.find(offered.kind);
        let reason = |level: Option<Level>| match figures {
            Some(f) => f.no_data_reason(pipeline, t, level),
            None => String::new(),
        };
        let gap = |scope: String, reason: String| TargetGap {
            id: t.id.clone(),
            title: t.title.clone(),
            scope,
            measure: t.measure.clone(),
            count: offered.count,
            op: t.op,
            threshold: t.value,
            reason,
        };
        let measured = figures
            .and_then(|f| f.measure(t))
            .unwrap_or(Measured::Rows(Vec::new()));
        let all = match &measured {
            Measured::Rows(rows) => rows.as_slice(),
            Measured::Whole(_) => &[],
        };
        let rows: Vec<&Fraction> = all
            .iter()
            .filter(|r| unit_counts(units, t.units, r.unit))
            .collect();
        let of_rows = |keep: &dyn Fn(&Fraction) -> bool| {
            value_of(rows.iter().copied().filter(|r| keep(r)), offered.count)
        };
        let mut scopes: Vec<(String, Option<MeasuredValue>)> = Vec::new();
        match t.scope {
            TargetScope::Field => {
                let mut names: Vec<&str> = rows.iter().map(|r| r.field).collect();
                names.sort_by(|a, b| collate(a, b));
                names.dedup();
                for name in names {
                    let excluded = fields
                        .groups_of(name)
                        .iter()
                        .any(|g| t.except_groups.iter().any(|e| e == g));
                    if !excluded {
                        scopes.push((name.to_string(), of_rows(&|r| r.field == name)));
                    }
                }
            }
            TargetScope::Group => {
                let Some(id) = t.group.as_deref() else {
                    continue;
                };
                let Some(group) = fields.groups.get(id) else {
                    continue;
                };
                let value = of_rows(&|r| in_group(fields, units, id, r.unit, r.field));
                scopes.push((group.label.clone(), value));
            }
            TargetScope::Level => {
                let level = t.level.unwrap_or(Level::Huyen);
                let label = units.level(level).label.clone();
                let value = match &measured {
                    Measured::Rows(_) => of_rows(&|r| r.level == level),
                    Measured::Whole(of) => of(Some(level)),
                };
                scopes.push((label, value));
            }
            TargetScope::District => {
                let value = match &measured {
                    Measured::Rows(_) => of_rows(&|_| true),
                    Measured::Whole(of) => of(None),
                };
                scopes.push((pipeline.words.whole.clone(), value));
            }
        }
        if t.scope == TargetScope::Field && scopes.iter().all(|(_, r)| r.is_none()) {
            // Decided per field: fields with nothing to count are not listed one by one.
            gaps.push(gap(pipeline.words.whole.clone(), reason(None)));
            continue;
        }
        for (scope, value) in scopes {
            match value {
                Some(v) => out.push(TargetResult {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    scope,
                    rate: v.rate,
                    count: v.count,
                    measure: t.measure.clone(),
                    op: t.op,
                    threshold: t.value,
                    met: match v.count {
                        Some(n) => t.op.holds(n as f64, t.value),
                        None => v.rate.satisfies(t.op, t.value),
                    },
                }),
                None if t.scope != TargetScope::Field => {
                    let level = (t.scope == TargetScope::Level).then_some(t.level).flatten();
                    gaps.push(gap(scope, reason(level)));
                }
                None => {}
            }
        }
    }
    (out, gaps)
}

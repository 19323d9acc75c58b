//! The plan's targets that dossier figures decide (3.1, 3.2 …), evaluated from form 06 as the
//! configuration in `pipelines/targets.toml` declares them.

use crate::config::{Fields, Level, Measure, Pipeline, TargetEntry, TargetScope};

use super::shares::{ShareCounts, Shares};
use crate::text::collate;

use super::form06::{Counts, Form06Row, Rate};

/// One evaluated target for one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// Target id of the plan, e.g. "3.1".
    pub id: String,
    /// What it measures, in words.
    pub title: String,
    /// A field name or a group label.
    pub scope: String,
    /// The measured rate.
    pub rate: Rate,
    /// Comparison operator.
    pub op: String,
    /// Threshold in percent.
    pub threshold: f64,
    /// Whether the rate satisfies the target.
    pub met: bool,
}

impl TargetResult {
    /// The target as written: ">= 99".
    pub fn target_text(&self) -> String {
        format!("{} {}", self.op, trim_number(self.threshold))
    }

    /// The target as a person reads it: "≥ 99".
    pub fn target_display(&self) -> String {
        let op = match self.op.as_str() {
            ">=" => "≥",
            "<=" => "≤",
            other => other,
        };
        format!("{op} {}", trim_number(self.threshold).replace('.', ","))
    }
}

/// A number without trailing zeros: 99 → "99", 2.5 → "2.5".
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn timeliness(counts: &Counts, m: Measure) -> Option<Rate> {
    match m {
        Measure::OnTimeRate => counts.on_time_rate(),
        Measure::LateRate => counts.late_rate(),
        _ => None,
    }
}

/// A §5 figure of a level or of the district; absent when the exports do not say. Units using
/// online payment are counted among the units whose exports say how dossiers were paid.
fn share(c: &ShareCounts, m: Measure) -> Option<Rate> {
    match m {
        Measure::OnlineShare => ShareCounts::rate(c.online),
        Measure::ApologyCoverage => ShareCounts::rate(c.apology),
        Measure::DigitizedDossierShare => ShareCounts::rate(c.digitized_dossier),
        Measure::DigitizedResultShare => ShareCounts::rate(c.digitized_result),
        Measure::EpaymentShare => ShareCounts::rate(c.epayment),
        Measure::EpaymentUnits => Rate::of(
            c.epayment_units.len() as u64,
            c.epayment_known_units.len() as u64,
        ),
        _ => None,
    }
}

fn sum_where(rows: &[Form06Row], keep: impl Fn(&Form06Row) -> bool) -> Counts {
    let mut c = Counts::default();
    for r in rows.iter().filter(|r| keep(r)) {
        c.add(&r.counts);
    }
    c
}

/// Evaluates every configured target that the data can decide (something was resolved, or the
/// exports carry the column the figure needs).
pub fn evaluate(pipeline: &Pipeline, rows: &[Form06Row], shares: &Shares) -> Vec<TargetResult> {
    let fields = &pipeline.fields;
    let mut out = Vec::new();
    for t in &pipeline.targets {
        let mut scopes: Vec<(String, Option<Rate>)> = Vec::new();
        match t.scope {
            TargetScope::Field => {
                let mut names: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
                names.sort_by(|a, b| collate(a, b));
                names.dedup();
                for name in names {
                    let excluded = fields
                        .groups_of(name)
                        .iter()
                        .any(|g| t.except_groups.iter().any(|e| e == g));
                    if !excluded {
                        scopes.push((
                            name.to_string(),
                            timeliness(&sum_where(rows, |r| r.field == name), t.measure),
                        ));
                    }
                }
            }
            TargetScope::Group => {
                let Some(group) = t.group.as_ref().and_then(|g| fields.groups.get(g)) else {
                    continue;
                };
                let counts = sum_where(rows, |r| group.fields.contains(&r.field));
                scopes.push((group.label.clone(), timeliness(&counts, t.measure)));
            }
            TargetScope::Level => {
                let level = t.level.unwrap_or(Level::Huyen);
                scopes.push((
                    level.label().to_string(),
                    share(shares.level(level), t.measure),
                ));
            }
            TargetScope::District => {
                scopes.push((
                    "Toàn huyện".to_string(),
                    share(&shares.district(), t.measure),
                ));
            }
        }
        for (scope, rate) in scopes {
            if let Some(rate) = rate {
                out.push(TargetResult {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    scope,
                    rate,
                    op: t.op.clone(),
                    threshold: t.value,
                    met: rate.satisfies(&t.op, t.value),
                });
            }
        }
    }
    out
}

/// The threshold a target id sets for one field: its own group's entry when the field belongs
/// to a group the target names, else the per-field entry.
pub fn threshold_for_field<'t>(
    targets: &'t [TargetEntry],
    fields: &Fields,
    id: &str,
    field: &str,
) -> Option<(&'t str, f64)> {
    let groups = fields.groups_of(field);
    let of_id = || targets.iter().filter(move |t| t.id == id);
    of_id()
        .find(|t| {
            t.scope == TargetScope::Group && t.group.as_deref().is_some_and(|g| groups.contains(&g))
        })
        .or_else(|| {
            of_id().find(|t| {
                t.scope == TargetScope::Field
                    && !groups
                        .iter()
                        .any(|g| t.except_groups.iter().any(|e| e == g))
            })
        })
        .map(|t| (t.op.as_str(), t.value))
}

/// The per-field threshold of a target id (the general one, e.g. 99 for 3.1).
pub fn field_threshold<'t>(targets: &'t [TargetEntry], id: &str) -> Option<(&'t str, f64)> {
    targets
        .iter()
        .find(|t| t.id == id && t.scope == TargetScope::Field)
        .map(|t| (t.op.as_str(), t.value))
}

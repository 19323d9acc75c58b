//! A target of the plan as the figures meet it: its result for one scope, the gap where the
//! data cannot decide it, and the threshold it sets for a row. These sit below both the
//! evaluation (`indicators::targets`) and the kinds' report views, which show results and
//! thresholds, so that a kind's folder reaches them without importing `indicators` (which
//! imports the kinds).

use crate::config::{Fields, Op, Pipeline, TargetEntry, TargetScope, UnitFilter, Units};
use crate::rate::Rate;

/// One evaluated target for one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// Target id of the plan, e.g. "3.1".
    pub id: String,
    /// What it measures, in words.
    pub title: String,
    /// A field name, a group label, a level's name or the whole locality's.
    pub scope: String,
    /// The measured rate (for a count target: the count over 1).
    pub rate: Rate,
    /// For a target on a count (PAKN pending overdue): the count.
    pub count: Option<u64>,
    /// What it measures (a measure a kind offers).
    pub measure: String,
    /// Comparison operator.
    pub op: Op,
    /// Threshold in percent.
    pub threshold: f64,
    /// Whether the rate satisfies the target.
    pub met: bool,
}

impl TargetResult {
    /// The measured value as the submission file writes it: the rate rounded to 2 decimals, or
    /// the count.
    pub fn number(&self) -> f64 {
        match self.count {
            Some(c) => c as f64,
            None => self.rate.rounded(),
        }
    }

    /// The measured value as a person reads it: "98,75 %" or "2".
    pub fn shown(&self) -> String {
        match self.count {
            Some(c) => crate::vn::int(c),
            None => format!("{} %", crate::vn::rate(Some(self.rate))),
        }
    }

    /// The target as written: ">= 99".
    pub fn target_text(&self) -> String {
        format!("{} {}", self.op.code(), trim_number(self.threshold))
    }

    /// The target with its unit, as a person reads it: "≥ 99 %", or "= 0" for a count.
    pub fn target_shown(&self) -> String {
        match self.count {
            Some(_) => self.target_display(),
            None => format!("{} %", self.target_display()),
        }
    }

    /// The target as a person reads it: "≥ 99".
    pub fn target_display(&self) -> String {
        format!(
            "{} {}",
            self.op.symbol(),
            trim_number(self.threshold).replace('.', ",")
        )
    }
}

/// A target of the plan that the period's data cannot decide, and why: listed as «chưa đánh
/// giá được» rather than left out, so that a missing column or an unanswered question is not
/// read as a target met.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGap {
    /// Target id of the plan.
    pub id: String,
    /// What it measures, in words.
    pub title: String,
    /// The scope it would be decided for.
    pub scope: String,
    /// What it measures (a measure a kind offers).
    pub measure: String,
    /// Whether the measure is a count (its target a number, not a percent).
    pub count: bool,
    /// Comparison operator.
    pub op: Op,
    /// Threshold.
    pub threshold: f64,
    /// Why it cannot be decided, in a sentence for the reader.
    pub reason: String,
}

impl TargetGap {
    /// The target as written: ">= 99".
    pub fn target_text(&self) -> String {
        format!("{} {}", self.op.code(), trim_number(self.threshold))
    }

    /// The target with its unit, as a person reads it: "≥ 99 %", or "= 0" for a count.
    pub fn target_shown(&self) -> String {
        let shown = format!(
            "{} {}",
            self.op.symbol(),
            trim_number(self.threshold).replace('.', ",")
        );
        if self.count {
            shown
        } else {
            format!("{shown} %")
        }
    }
}

/// A number without trailing zeros: 99 → "99", 2.5 → "2.5".
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whether a row's unit is one a target's unit filter counts.
pub(crate) fn unit_counts(units: &Units, filter: UnitFilter, unit: &str) -> bool {
    let public = units.is_public_service(unit);
    match filter {
        UnitFilter::All => true,
        UnitFilter::Dossier => !public,
        UnitFilter::PublicService => public,
    }
}

/// Whether a row belongs to a group: by its field, or as a public-service unit of the group.
pub fn in_group(fields: &Fields, units: &Units, group: &str, unit: &str, field: &str) -> bool {
    fields
        .groups
        .get(group)
        .is_some_and(|g| g.fields.iter().any(|f| f == field))
        || units.group_of(unit) == Some(group)
}

/// The threshold a target id sets for one row: the entry of a group the row belongs to (by
/// field, or as a public-service unit), else the entry for every field, else the entry for a
/// level or the whole locality — among the entries whose unit filter counts the row's unit.
pub fn threshold_for_row(
    pipeline: &Pipeline,
    id: &str,
    unit: &str,
    field: &str,
) -> Option<(Op, f64)> {
    threshold_of_measure(pipeline, id, None, unit, field)
}

/// [`threshold_for_row`] among the entries of one measure (a sheet column shows one measure).
pub fn threshold_of_measure(
    pipeline: &Pipeline,
    id: &str,
    measure: Option<&str>,
    unit: &str,
    field: &str,
) -> Option<(Op, f64)> {
    let (fields, units) = (&pipeline.fields, &pipeline.units);
    let groups = fields.groups_of(field);
    let of_id = || {
        pipeline.targets.iter().filter(move |t| {
            t.id == id
                && unit_counts(units, t.units, unit)
                && measure.is_none_or(|m| t.measure == m)
        })
    };
    of_id()
        .find(|t| {
            t.scope == TargetScope::Group
                && t.group
                    .as_deref()
                    .is_some_and(|g| in_group(fields, units, g, unit, field))
        })
        .or_else(|| {
            of_id().find(|t| {
                t.scope == TargetScope::Field
                    && !groups
                        .iter()
                        .any(|g| t.except_groups.iter().any(|e| e == g))
            })
        })
        .or_else(|| of_id().find(|t| t.scope == TargetScope::District))
        .map(|t| (t.op, t.value))
}

/// The general threshold of a target id (the per-field one, e.g. ≥ 99 for 3.1, or the whole
/// locality's).
pub fn general_threshold(targets: &[TargetEntry], id: &str) -> Option<(Op, f64)> {
    targets
        .iter()
        .find(|t| t.id == id && t.scope == TargetScope::Field)
        .or_else(|| {
            targets
                .iter()
                .find(|t| t.id == id && t.scope == TargetScope::District)
        })
        .map(|t| (t.op, t.value))
}

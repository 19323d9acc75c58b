//! The plan's targets that figures decide (3.1, 3.2, 4.1 …), evaluated as
//! `pipelines/targets.toml` declares them. A rate over rows (on time, late, satisfied) is the
//! sum of its rows' numerators over the sum of their denominators, for the scope's rows.

use crate::config::{
    Fields, Level, Measure, Op, Pipeline, TargetEntry, TargetScope, UnitFilter, Units,
};
use crate::kinds::dossier::figures::shares::ShareCounts;
use crate::kinds::dossier::figures::DossierFigures;
use crate::kinds::pakn::figures::{PaknCounts, PaknFigures};
use crate::kinds::self_report::figures::SelfReportFigures;
use crate::kinds::KindsFigures;
use crate::text::collate;

use super::Rate;

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
    /// What it measures.
    pub measure: Measure,
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
    /// What it measures.
    pub measure: Measure,
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
        if self.measure == Measure::PaknPendingOverdue {
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

pub use crate::figures::Fraction;

/// Whether a row's unit is one a target's unit filter counts.
fn unit_counts(units: &Units, filter: UnitFilter, unit: &str) -> bool {
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

fn rate_of<'a>(rows: impl Iterator<Item = &'a Fraction<'a>>) -> Option<Rate> {
    let (part, whole) = rows.fold((0, 0), |(p, w), r| (p + r.part, w + r.whole));
    Rate::of(part, whole)
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

/// Evaluates every configured target: those the data decides (something was resolved or rated,
/// the exports carry the column the figure needs, a unit answered), and those it cannot, with
/// the reason.
pub fn evaluate(
    pipeline: &Pipeline,
    kinds: &KindsFigures,
    dossier: &DossierFigures,
    pakn: &PaknFigures,
    self_report: &SelfReportFigures,
) -> (Vec<TargetResult>, Vec<TargetGap>) {
    let fields = &pipeline.fields;
    let units = &pipeline.units;
    let shares = &dossier.shares;
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    for t in &pipeline.targets {
        let gap = |scope: String, reason: String| TargetGap {
            id: t.id.clone(),
            title: t.title.clone(),
            scope,
            measure: t.measure,
            op: t.op,
            threshold: t.value,
            reason,
        };
        let level_scope = || match (t.scope, t.level) {
            (TargetScope::Level, Some(l)) => units.level(l).label.clone(),
            _ => pipeline.words.whole.clone(),
        };
        if t.measure == Measure::PaknPendingOverdue {
            // A count over the scope's rows; decided once any PAKN counts in the period.
            let rows = pakn.rows.iter().filter(|r| {
                unit_counts(units, t.units, &r.unit)
                    && (t.scope != TargetScope::Level || Some(r.level) == t.level)
            });
            let mut c = PaknCounts::default();
            let mut any = false;
            for r in rows {
                c.add(&r.counts);
                any = true;
            }
            if !any {
                gaps.push(gap(
                    level_scope(),
                    "chưa có phản ánh, kiến nghị nào trong kỳ".into(),
                ));
            } else {
                let n = c.pending_overdue;
                let scope = level_scope();
                out.push(TargetResult {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    scope,
                    rate: Rate { part: n, whole: 1 },
                    count: Some(n),
                    measure: t.measure,
                    op: t.op,
                    threshold: t.value,
                    met: t.op.holds(n as f64, t.value),
                });
            }
            continue;
        }
        if t.measure == Measure::SelfReport {
            // The district figure of the question; decided once a unit answered it.
            if let Some((rate, count)) = self_report_measure(t, self_report) {
                out.push(TargetResult {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    scope: pipeline.words.whole.clone(),
                    rate,
                    count,
                    measure: t.measure,
                    op: t.op,
                    threshold: t.value,
                    met: match count {
                        Some(n) => t.op.holds(n as f64, t.value),
                        None => rate.satisfies(t.op, t.value),
                    },
                });
            } else {
                gaps.push(gap(
                    pipeline.words.whole.clone(),
                    unanswered_reason(pipeline, t, self_report),
                ));
            }
            continue;
        }
        // A rate a kind declares is a rate over its rows; the others are shares (tthc-rules §5).
        let declared = kinds
            .iter()
            .find_map(|(_, k)| k.fractions(t.measure.code()));
        let rate_of_rows = declared.is_some();
        let all = declared.unwrap_or_default();
        let rows: Vec<&Fraction> = all
            .iter()
            .filter(|r| unit_counts(units, t.units, r.unit))
            .collect();
        let mut scopes: Vec<(String, Option<Rate>)> = Vec::new();
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
                        let rate = rate_of(rows.iter().copied().filter(|r| r.field == name));
                        scopes.push((name.to_string(), rate));
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
                let rate = rate_of(
                    rows.iter()
                        .copied()
                        .filter(|r| in_group(fields, units, id, r.unit, r.field)),
                );
                scopes.push((group.label.clone(), rate));
            }
            TargetScope::Level => {
                let level = t.level.unwrap_or(Level::Huyen);
                let label = units.level(level).label.clone();
                let rate = if rate_of_rows {
                    rate_of(rows.iter().copied().filter(|r| r.level == level))
                } else {
                    share(shares.level(level), t.measure)
                };
                scopes.push((label, rate));
            }
            TargetScope::District => {
                let rate = if rate_of_rows {
                    rate_of(rows.iter().copied())
                } else {
                    share(&shares.district(), t.measure)
                };
                scopes.push((pipeline.words.whole.clone(), rate));
            }
        }
        if t.scope == TargetScope::Field && scopes.iter().all(|(_, r)| r.is_none()) {
            // Decided per field: fields with nothing to count are not listed one by one.
            gaps.push(gap(
                pipeline.words.whole.clone(),
                no_data_reason(pipeline, t, dossier, None),
            ));
            continue;
        }
        for (scope, rate) in scopes {
            match rate {
                Some(rate) => out.push(TargetResult {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    scope,
                    rate,
                    count: None,
                    measure: t.measure,
                    op: t.op,
                    threshold: t.value,
                    met: rate.satisfies(t.op, t.value),
                }),
                None if t.scope != TargetScope::Field => {
                    let level = (t.scope == TargetScope::Level).then_some(t.level).flatten();
                    gaps.push(gap(scope, no_data_reason(pipeline, t, dossier, level)));
                }
                None => {}
            }
        }
    }
    (out, gaps)
}

/// Why a rate target has nothing to decide it: nothing counted in the period, or (for the
/// shares of tthc-rules §5) no export carrying the column the figure needs.
fn no_data_reason(
    pipeline: &Pipeline,
    t: &TargetEntry,
    dossier: &DossierFigures,
    level: Option<Level>,
) -> String {
    use crate::config::ColumnName as C;
    let rows = || {
        dossier
            .form06
            .rows
            .iter()
            .filter(move |r| level.is_none_or(|l| r.level == l))
    };
    let resolved: u64 = rows().map(|r| r.counts.resolved_total()).sum();
    let received: u64 = rows()
        .map(|r| r.counts.new_online + r.counts.new_direct + r.counts.new_postal)
        .sum();
    let late = dossier
        .late
        .iter()
        .filter(|d| level.is_none_or(|l| d.level == l))
        .count();
    let label = |c: C| pipeline.vocabulary.label(c).to_string();
    let absent = |columns: &[C]| {
        format!(
            "không tệp xuất hồ sơ nào có cột {}",
            columns
                .iter()
                .map(|c| format!("«{}»", label(*c)))
                .collect::<Vec<_>>()
                .join(" và ")
        )
    };
    const NO_RESOLVED: &str = "chưa có hồ sơ nào giải quyết xong trong kỳ";
    match t.measure {
        Measure::OnTimeRate | Measure::LateRate => NO_RESOLVED.into(),
        Measure::SatisfactionRate => "chưa có lượt đánh giá nào trong phạm vi này".into(),
        Measure::PaknOnTimeRate => "chưa có phản ánh, kiến nghị nào xử lý xong trong kỳ".into(),
        Measure::PaknPublishedShare => {
            "chưa có phản ánh, kiến nghị nào được trả lời trong kỳ".into()
        }
        Measure::OnlineShare if received == 0 => "không có hồ sơ nào tiếp nhận trong kỳ".into(),
        Measure::OnlineShare => absent(&[C::Channel]),
        Measure::ApologyCoverage if late == 0 => "không có hồ sơ trễ hạn nào trong kỳ".into(),
        Measure::ApologyCoverage => absent(&[C::Apology]),
        _ if resolved == 0 => NO_RESOLVED.into(),
        Measure::DigitizedDossierShare => absent(&[C::DigitizedDossier]),
        Measure::DigitizedResultShare => absent(&[C::DigitizedResult]),
        Measure::EpaymentShare | Measure::EpaymentUnits => absent(&[C::Fee, C::Epayment]),
        _ => NO_RESOLVED.into(),
    }
}

/// Why a self-report target is not decided: no unit answered its question.
fn unanswered_reason(pipeline: &Pipeline, t: &TargetEntry, f: &SelfReportFigures) -> String {
    if f.reported.is_empty() {
        return "chưa đơn vị nào gửi lại biểu mẫu báo cáo của kỳ".into();
    }
    let ids = t.question.iter().chain(&t.over);
    let mut parts = Vec::new();
    for id in ids {
        let text = crate::kinds::self_report::config(pipeline)
            .question(id)
            .map(|q| q.entry.text.clone())
            .unwrap_or_else(|| id.clone());
        let asked = crate::kinds::self_report::config(pipeline)
            .question(id)
            .map(|q| q.asked.len())
            .unwrap_or(0);
        let answered = f
            .question(id)
            .and_then(|q| q.district.as_ref())
            .map(|d| d.answered)
            .unwrap_or(0);
        if answered == 0 {
            parts.push(format!(
                "chưa đơn vị nào trả lời câu hỏi «{text}» (0/{asked} đơn vị được hỏi)"
            ));
        }
    }
    if parts.is_empty() {
        "số liệu của đơn vị không đủ để tính".into()
    } else {
        parts.join("; ")
    }
}

/// A self-report target's measure: the question's district rate (ratio_sum, share_yes), or
/// for a sum its value (a count), or with `over` the rate of the two sums (amounts kept to
/// thousandths). None while no unit answered.
fn self_report_measure(t: &TargetEntry, f: &SelfReportFigures) -> Option<(Rate, Option<u64>)> {
    let q = f.question(t.question.as_deref()?)?.district.as_ref()?;
    if q.answered == 0 {
        return None;
    }
    if let Some(over) = t.over.as_deref() {
        let d = f.question(over)?.district.as_ref()?;
        if d.answered == 0 {
            return None;
        }
        let milli = |v: f64| (v * 1000.0).round().max(0.0) as u64;
        return Rate::of(milli(q.value), milli(d.value)).map(|r| (r, None));
    }
    match q.rate {
        Some(r) => Some((r, None)),
        None if q.total.is_none() => {
            let n = q.value.round().max(0.0) as u64;
            Some((Rate { part: n, whole: 1 }, Some(n)))
        }
        None => None,
    }
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
    measure: Option<Measure>,
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

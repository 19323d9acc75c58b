//! The dossier figures of a period: form 06 counts and rates, the late dossiers, and the other
//! shares of tthc-rules §5 — each computed from the ruled dossier table with polars.

pub mod form06;
pub mod late;
pub mod shares;

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::period::Period;

pub use form06::{Counts, Form06, Form06Row};

/// Every dossier figure of a period.
#[derive(Debug)]
pub struct DossierFigures {
    /// Form 06.
    pub form06: Form06,
    /// Dossiers resolved late or pending overdue.
    pub late: Vec<late::LateDossier>,
    /// The other figures of tthc-rules §5, per level.
    pub shares: shares::Shares,
}

/// Computes the dossier figures of a period from the ruled dossier table.
pub fn compute(frame: &DataFrame, period: &Period, n_files: usize) -> Result<DossierFigures> {
    let form06 = form06::form06(frame, period, n_files)?;
    let late = late::late_dossiers(frame, period)?;
    let shares = shares::shares(frame, period, &late)?;
    Ok(DossierFigures {
        form06,
        late,
        shares,
    })
}

/// The previous period's total counts, when the dossier table reaches back to its start (a
/// table that begins later would understate it).
pub fn previous_totals(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
) -> Result<Option<(Period, Counts)>> {
    let Some(previous) = period.previous() else {
        return Ok(None);
    };
    let earliest = frame.column("received")?.i32()?.iter().flatten().min();
    match earliest {
        Some(first) if first <= crate::normalize::day_number(previous.start) => {
            let form = form06::form06(frame, &previous, n_files)?;
            let mut total = Counts::default();
            for row in &form.rows {
                total.add(&row.counts);
            }
            Ok(Some((previous, total)))
        }
        _ => Ok(None),
    }
}

impl crate::kind::KindFigures for DossierFigures {
    fn fractions(&self, measure: &str) -> Option<Vec<crate::figures::Fraction<'_>>> {
        use crate::figures::NamedCounts;
        let def = Counts::rate_for_measure(measure)?;
        Some(
            self.form06
                .rows
                .iter()
                .map(|r| crate::figures::Fraction::of(r.level, &r.unit, &r.field, &r.counts, def))
                .collect(),
        )
    }
    fn summary(&self, ctx: &crate::kind::SummaryContext) -> Vec<String> {
        use crate::vn;
        let mut c = Counts::default();
        for row in &self.form06.rows {
            c.add(&row.counts);
        }
        let mut out = vec![format!(
            "Hồ sơ: tiếp nhận {} (kỳ trước chuyển qua {}, mới {}, trực tuyến {}); đã giải quyết {} (đúng hạn {}); đang giải quyết {} (quá hạn {}).",
            vn::int(c.received_total()),
            vn::int(c.carried_over),
            vn::int(c.new_total()),
            vn::int(c.new_online),
            vn::int(c.resolved_total()),
            vn::percent(c.on_time_rate()),
            vn::int(c.pending_total()),
            vn::int(c.pending_overdue)
        )];
        out.extend(super::notes::summary_lines(
            ctx.warnings,
            c.new_unknown_channel,
        ));
        out
    }
    fn json<'a>(
        &'a self,
        _ctx: &crate::kind::JsonContext<'a>,
    ) -> Vec<crate::kind::JsonSection<'a>> {
        let rows = self
            .form06
            .rows
            .iter()
            .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts));
        vec![crate::figures::count_table("tthc", rows)]
    }
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.form06.in_period_per_file,
            &self.form06.outside_period_per_file,
            file,
        )
    }
}

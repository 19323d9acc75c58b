//! The dossier figures of a period: form 06 counts and rates, the late dossiers, and the other
//! shares of tthc-rules §5 — each computed from the ruled dossier table with polars.

pub mod form06;
pub mod late;
pub mod shares;

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::period::Period;

pub use form06::{Counts, Form06, Form06Row};

use crate::figures::{Measured, MeasuredValue};

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
    // Form 06 beside the late list and the shares that read it: each only reads the table.
    let (form06, late_and_shares) = rayon::join(
        || form06::form06(frame, period, n_files),
        || -> Result<_> {
            let late = late::late_dossiers(frame, period)?;
            let shares = shares::shares(frame, period, &late)?;
            Ok((late, shares))
        },
    );
    let (form06, (late, shares)) = (form06?, late_and_shares?);
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
    fn annex_sheet(
        &self,
        t: &crate::annex_sheet::SheetTemplate,
        m: crate::sheet::SheetModel,
        body: u32,
        ctx: &crate::annex_sheet::SheetContext,
    ) -> Result<crate::sheet::SheetModel> {
        super::annex::sheet(self, t, m, body, ctx)
    }
    fn measure(&self, target: &crate::config::TargetEntry) -> Option<Measured<'_>> {
        let m = target.measure.as_str();
        if let Some(rows) = crate::figures::rate_rows(
            m,
            self.form06
                .rows
                .iter()
                .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts)),
        ) {
            return Some(rows);
        }
        let (_, share) = shares::SHARE_MEASURES.iter().find(|(name, _)| *name == m)?;
        Some(Measured::Whole(Box::new(move |level| {
            let rate = match level {
                Some(l) => share(self.shares.level(l)),
                None => share(&self.shares.district()),
            };
            rate.map(|rate| MeasuredValue { rate, count: None })
        })))
    }
    fn no_data_reason(
        &self,
        pipeline: &crate::config::Pipeline,
        target: &crate::config::TargetEntry,
        level: Option<crate::config::Level>,
    ) -> String {
        no_data_reason(self, pipeline, &target.measure, level)
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
    /// Dossiers received in the period from exports with no channel column (form 06's note).
    fn title_words(&self) -> Vec<(&'static str, serde_json::Value)> {
        let n: u64 = self
            .form06
            .rows
            .iter()
            .map(|r| r.counts.new_unknown_channel)
            .sum();
        vec![("new_unknown_channel", n.into())]
    }
    fn table(&self) -> Option<String> {
        Some(super::table::form06(self))
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
    fn report_view(
        &self,
        ctx: &crate::kind::ReportContext,
    ) -> Result<Vec<crate::kind::ReportPart>> {
        super::report::parts(self, ctx)
    }
    fn public_view(
        &self,
        ctx: &crate::kind::PublicContext,
    ) -> Result<Vec<crate::kind::PublicPart>> {
        super::public::parts(self, ctx)
    }
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.form06.in_period_per_file,
            &self.form06.outside_period_per_file,
            file,
        )
    }
}

/// Why a target on a dossier measure has nothing to decide it: nothing counted in the period,
/// or (for the shares of tthc-rules §5) no export carrying the column the figure needs.
fn no_data_reason(
    dossier: &DossierFigures,
    pipeline: &crate::config::Pipeline,
    measure: &str,
    level: Option<crate::config::Level>,
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
    match measure {
        "online_share" if received == 0 => "không có hồ sơ nào tiếp nhận trong kỳ".into(),
        "online_share" => absent(&[C::Channel]),
        "apology_coverage" if late == 0 => "không có hồ sơ trễ hạn nào trong kỳ".into(),
        "apology_coverage" => absent(&[C::Apology]),
        _ if resolved == 0 => NO_RESOLVED.into(),
        "digitized_dossier_share" => absent(&[C::DigitizedDossier]),
        "digitized_result_share" => absent(&[C::DigitizedResult]),
        "epayment_share" | "epayment_units" => absent(&[C::Fee, C::Epayment]),
        _ => NO_RESOLVED.into(),
    }
}

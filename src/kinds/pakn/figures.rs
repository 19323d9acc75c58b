//! The PAKN figures of a period (pakn.md §3), per (level, unit, field): carried over and new;
//! closed in the period on time or late (by the deadline of its outcome, in working days) and by
//! outcome; pending within or past the answer deadline at the end; published. The invariant
//! received_total = closed_total + pending_total is checked on every row; a run that breaks it
//! fails. A PAKN whose status the vocabulary does not know is quarantined when it would count in
//! the period (its status decides how), and counted nowhere otherwise.

use std::collections::HashMap;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;

use super::{Config, PaknStatus};
use crate::config::calendar::{Calendar, DueMemo};
use crate::config::Level;
use crate::figures::NamedCounts;
use crate::normalize::{day_number, from_day_number};
use crate::period::Period;
use crate::quality::Quarantined;
use crate::text::SortKey;

crate::counts! {
    /// The counts of one (level, unit, field), or of a total of such rows.
    pub struct PaknCounts {
        /// Received before the period, not closed before it.
        carried_over,
        /// Received in the period.
        new,
        /// Closed in the period within the deadline of its outcome.
        closed_on_time,
        /// Closed in the period after it.
        closed_late,
        /// Closed in the period as answered (or published).
        answered,
        /// Closed in the period as refused.
        refused,
        /// Closed in the period as transferred.
        transferred,
        /// Open at the period's end, within the answer deadline.
        pending_within,
        /// Open at the period's end, past it.
        pending_overdue,
        /// Answered in the period, with the result published by its end.
        published,
    }
    totals {
        /// carried_over + new.
        received_total = sum(carried_over, new);
        /// on time + late (= answered + refused + transferred).
        closed_total = sum(closed_on_time, closed_late);
        /// within + overdue.
        pending_total = sum(pending_within, pending_overdue);
    }
    rates {
        /// closed on time / closed.
        on_time_rate = sum(closed_on_time) / closed_total => "pakn_on_time_rate";
        /// published / answered.
        published_share = sum(published) / answered => "pakn_published_share";
    }
    row [
        received_total, carried_over, new, closed_total, closed_on_time, closed_late, answered,
        refused, transferred, pending_total, pending_within, pending_overdue, published,
    ];
}

/// The counts PAKN offer targets as measures: PAKN pending past their answer deadline at the
/// period's end (a count, not a rate).
pub const COUNT_MEASURES: &[crate::figures::CountMeasure] = &[crate::figures::CountMeasure {
    measure: "pakn_pending_overdue",
    count: "pending_overdue",
}];

impl PaknCounts {
    /// The invariants of pakn.md §3.
    pub fn balances(&self) -> bool {
        self.received_total() == self.closed_total() + self.pending_total()
            && self.closed_total() == self.answered + self.refused + self.transferred
    }
}

/// One row of the PAKN figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaknRow {
    /// Level of the unit.
    pub level: Level,
    /// Canonical unit.
    pub unit: String,
    /// Canonical field ("" when absent).
    pub field: String,
    /// The counts.
    pub counts: PaknCounts,
}

/// A PAKN closed late in the period, or pending past its answer deadline at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePakn {
    /// Mã PAKN.
    pub code: String,
    /// Level of the unit.
    pub level: Level,
    /// Canonical unit.
    pub unit: String,
    /// Canonical field.
    pub field: String,
    /// Received date.
    pub received: NaiveDate,
    /// The deadline it was held to.
    pub due: NaiveDate,
    /// Closing date (None: still open at the period's end).
    pub closed: Option<NaiveDate>,
    /// Working days after the deadline, to the closing date or the period's end.
    pub working_days_late: u32,
}

/// The PAKN figures of a period.
#[derive(Debug, Default)]
pub struct PaknFigures {
    /// Rows with any PAKN in the period, sorted by level, unit, field (Vietnamese collation).
    pub rows: Vec<PaknRow>,
    /// Late and overdue PAKN, by unit then code.
    pub late: Vec<LatePakn>,
    /// PAKN of an unknown status that would count in the period.
    pub quarantine: Vec<Quarantined>,
    /// Records of each file that count in the period.
    pub in_period_per_file: Vec<u64>,
    /// Records of each file with nothing in the period.
    pub outside_period_per_file: Vec<u64>,
}

/// Computes the PAKN figures of a period from the ruled PAKN table.
pub fn compute(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
    cfg: &Config,
    calendar: &Calendar,
) -> Result<PaknFigures> {
    let start = day_number(period.start);
    let end = day_number(period.end);
    let col = |n: &str| frame.column(n);
    let code = col("code")?.str()?;
    let level = col("level")?.str()?;
    let unit = col("unit")?.str()?;
    let field = col("field")?.str()?;
    let status = col("status")?.str()?;
    let status_word = col("status_word")?.str()?;
    let received = col("received")?.i32()?;
    let closed = col("closed")?.i32()?;
    let published_date = col("published_date")?.i32()?;
    let published_flag = col("published_flag")?.bool()?;
    let src = crate::normalize::Sources::of(frame)?;
    let mut out = PaknFigures {
        in_period_per_file: vec![0; n_files],
        outside_period_per_file: vec![0; n_files],
        ..PaknFigures::default()
    };
    let mut by_row: HashMap<(&str, &str, &str), PaknCounts> = HashMap::new();
    let mut memo = DueMemo::default();
    for i in 0..frame.height() {
        let f = src.file(i);
        let st = PaknStatus::from_code(status.get(i).unwrap_or(""));
        let Some(r) = received.get(i) else {
            out.outside_period_per_file[f] += 1;
            continue;
        };
        let closing = closed.get(i).filter(|_| st.is_closed());
        let in_scope = r <= end && closing.is_none_or(|c| c >= start);
        if !in_scope {
            out.outside_period_per_file[f] += 1;
            continue;
        }
        if st == PaknStatus::Unknown {
            out.quarantine.push(Quarantined {
                source: src.at(i),
                dossier_id: code.get(i).unwrap_or("").to_string(),
                column: "Trạng thái".into(),
                value: status_word.get(i).unwrap_or("").to_string(),
                reason: "trạng thái PAKN không có trong từ vựng (pipelines/pakn.toml): không biết PAKN đã xử lý xong hay chưa".into(),
            });
            continue;
        }
        out.in_period_per_file[f] += 1;
        let key = (
            level.get(i).unwrap_or("huyen"),
            unit.get(i).unwrap_or(""),
            field.get(i).unwrap_or(""),
        );
        let c = by_row.entry(key).or_default();
        if r < start {
            c.carried_over += 1;
        } else {
            c.new += 1;
        }
        let received_day = from_day_number(r);
        let answer_due = memo.due(calendar, received_day, cfg.deadlines.answer);
        let late_item = |due: NaiveDate, closed: Option<NaiveDate>, to: NaiveDate| LatePakn {
            code: code.get(i).unwrap_or("").to_string(),
            level: if key.0 == "xa" {
                Level::Xa
            } else {
                Level::Huyen
            },
            unit: key.1.to_string(),
            field: key.2.to_string(),
            received: received_day,
            due,
            closed,
            working_days_late: calendar.working_days_after(due, to),
        };
        match closing {
            Some(cd) if cd <= end => {
                let closed_day = from_day_number(cd);
                let due = memo.due(calendar, received_day, cfg.limit(st));
                if closed_day <= due {
                    c.closed_on_time += 1;
                } else {
                    c.closed_late += 1;
                    out.late.push(late_item(due, Some(closed_day), closed_day));
                }
                match st {
                    PaknStatus::Refused => c.refused += 1,
                    PaknStatus::Transferred => c.transferred += 1,
                    _ => {
                        c.answered += 1;
                        // A published date decides; without one, the status or the flag does.
                        let published = match published_date.get(i) {
                            Some(p) => p <= end,
                            None => {
                                st == PaknStatus::Published || published_flag.get(i) == Some(true)
                            }
                        };
                        if published {
                            c.published += 1;
                        }
                    }
                }
            }
            _ => {
                if answer_due >= period.end {
                    c.pending_within += 1;
                } else {
                    c.pending_overdue += 1;
                    out.late.push(late_item(answer_due, None, period.end));
                }
            }
        }
    }
    let mut rows: Vec<PaknRow> = by_row
        .into_iter()
        .map(|((l, u, f), counts)| PaknRow {
            level: if l == "xa" { Level::Xa } else { Level::Huyen },
            unit: u.to_string(),
            field: f.to_string(),
            counts,
        })
        .collect();
    for r in &rows {
        if !r.counts.balances() {
            bail!(
                "lỗi chương trình: số PAKN của {} / {} không cân (tiếp nhận {} ≠ đã xử lý {} + đang xử lý {})",
                r.unit,
                r.field,
                r.counts.received_total(),
                r.counts.closed_total(),
                r.counts.pending_total()
            );
        }
    }
    rows.sort_by_cached_key(|r| (r.level, SortKey::new(&r.unit), SortKey::new(&r.field)));
    out.late
        .sort_by_cached_key(|l| (l.level, SortKey::new(&l.unit), l.code.clone()));
    out.rows = rows;
    Ok(out)
}

impl crate::kind::KindFigures for PaknFigures {
    fn annex_sheet(
        &self,
        t: &crate::annex_sheet::SheetTemplate,
        m: crate::sheet::SheetModel,
        body: u32,
        ctx: &crate::annex_sheet::SheetContext,
    ) -> Result<crate::sheet::SheetModel> {
        super::annex::sheet(self, t, m, body, ctx)
    }
    fn report_view(
        &self,
        ctx: &crate::kind::ReportContext,
    ) -> Result<Vec<crate::kind::ReportPart>> {
        super::report::parts(self, ctx)
    }

    fn measure(&self, target: &crate::config::TargetEntry) -> Option<crate::figures::Measured<'_>> {
        let rows = || {
            self.rows
                .iter()
                .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts))
        };
        crate::figures::rate_rows(&target.measure, rows())
            .or_else(|| crate::figures::count_rows(&target.measure, COUNT_MEASURES, rows()))
    }
    fn no_data_reason(
        &self,
        _pipeline: &crate::config::Pipeline,
        target: &crate::config::TargetEntry,
        _level: Option<Level>,
    ) -> String {
        match PaknCounts::rate_for_measure(&target.measure).map(|d| d.name) {
            Some("on_time_rate") => "chưa có phản ánh, kiến nghị nào xử lý xong trong kỳ",
            Some("published_share") => "chưa có phản ánh, kiến nghị nào được trả lời trong kỳ",
            _ => "chưa có phản ánh, kiến nghị nào trong kỳ",
        }
        .into()
    }
    fn summary(&self, _ctx: &crate::kind::SummaryContext) -> Vec<String> {
        use crate::vn;
        if self.rows.is_empty() {
            return Vec::new();
        }
        let mut c = PaknCounts::default();
        for row in &self.rows {
            c.add(&row.counts);
        }
        vec![format!(
            "Phản ánh, kiến nghị: tiếp nhận {}; đã xử lý {} (đúng hạn {}); đang xử lý {} (quá hạn {}).",
            vn::int(c.received_total()),
            vn::int(c.closed_total()),
            vn::percent(c.on_time_rate()),
            vn::int(c.pending_total()),
            vn::int(c.pending_overdue)
        )]
    }
    fn json<'a>(
        &'a self,
        _ctx: &crate::kind::JsonContext<'a>,
    ) -> Vec<crate::kind::JsonSection<'a>> {
        let rows = self
            .rows
            .iter()
            .map(|r| (r.level, r.unit.as_str(), r.field.as_str(), r.counts));
        vec![crate::figures::count_table("pakn", rows)]
    }
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.in_period_per_file,
            &self.outside_period_per_file,
            file,
        )
    }
    fn quarantine(&self) -> &[Quarantined] {
        &self.quarantine
    }
}

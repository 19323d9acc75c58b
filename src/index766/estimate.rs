//! The estimate of one window (index766.md §1, §3, §4): per scored unit and for the locality,
//! each computed indicator's value, points and max, and the records that cost points.
//!
//! The 766 rules are not form 06's: a withdrawal ends a dossier (on time when its end is by the
//! due date), a dossier open at the window's end is judged at that end (within time while its
//! due date is not past, or while it waits for the applicant's supplement), a dossier without a
//! due date counts on time and is listed. The dossier rows are reduced once to [`Facts`]
//! ([`Facts::of`]), which every window of a command reads: a year of weeks shares one read and
//! one pass of the rules.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;
use foldhash::fast::FixedState;
use polars::prelude::*;
use serde::Serialize;

use super::config::{Index766Config, Indicator, Measure, Source, WhenEmpty};
use crate::config::{Level, Pipeline};
use crate::model::Status;
use crate::normalize::{day_number, from_day_number};
use crate::period::Window;
use crate::text::SortKey;

/// One dossier, reduced to what the 766 rules read.
#[derive(Debug, Clone, Copy)]
struct DossierFact {
    /// Index into [`Facts::units`].
    unit: u32,
    /// Row in the dossier table (code, procedure, field for listings).
    row: u32,
    received: i32,
    due: Option<i32>,
    /// End: result ready, returned, refused or withdrawn (the table's completed date).
    end: Option<i32>,
    /// The end 2.1 judges: the end, or the day of the only supplement request when nothing
    /// else ended the dossier.
    end_21: Option<i32>,
    /// Days with the applicant (one request, supplied, then ended), not counted against it.
    pause: i32,
    /// More than one supplement request: late whatever the dates.
    many_requests: bool,
    status: Status,
    /// Received online; None where the export has no channel column (channel unknown).
    online: Option<bool>,
    fee: Option<f64>,
    epayment: Option<bool>,
    digitized_dossier: Option<bool>,
    digitized_result: Option<bool>,
}

/// How 2.1 judges a dossier of a window (index766.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    /// Ended after its due date, or asked for a supplement more than once: days late.
    Late(i64),
    /// Open at the window's end past its due date (not waiting for a supplement): days past.
    Overdue(i64),
    /// No due date: counted on time, listed to check.
    NoDueDate,
    /// Early, on time, or open and within time at the window's end.
    OnTime,
}

impl DossierFact {
    /// Whether the dossier belongs to the window from day `s` to day `e`: received by its end,
    /// not ended before its start.
    fn in_window(&self, s: i32, e: i32) -> bool {
        self.received <= e && self.end_21.is_none_or(|x| x >= s)
    }

    /// The 2.1 rules, for a window ending on day `e`.
    fn progress(&self, e: i32) -> Progress {
        let ended = self.end_21.filter(|x| *x <= e);
        match (ended, self.due) {
            (x, Some(due)) if self.many_requests => {
                Progress::Late(i64::from(x.unwrap_or(e) - due).max(0))
            }
            (Some(x), Some(due)) if x - self.pause > due => {
                Progress::Late(i64::from(x - self.pause - due))
            }
            (None, Some(due)) if due < e && self.status != Status::Supplement => {
                Progress::Overdue(i64::from(e - due))
            }
            (_, None) => Progress::NoDueDate,
            _ => Progress::OnTime,
        }
    }
}

/// A satisfaction evaluation rated dissatisfied or very dissatisfied.
#[derive(Debug, Clone)]
struct BadRating {
    unit: u32,
    day: i32,
    count: u32,
    dossier_id: Option<String>,
}

/// A self-report answer to the certified-copy question.
#[derive(Debug, Clone, Copy)]
struct CopyAnswer {
    unit: u32,
    period_end: i32,
    yes: bool,
}

/// The inputs of every window, read and ruled once.
pub struct Facts<'a> {
    pipeline: &'a Pipeline,
    config: &'a Index766Config,
    /// (level, unit) of every unit seen.
    units: Vec<(Level, String)>,
    dossiers: Vec<DossierFact>,
    /// The ruled dossier table (listings read codes, procedures and fields from it).
    table: DataFrame,
    pakn: DataFrame,
    ratings: Vec<BadRating>,
    copies: Vec<CopyAnswer>,
    /// Lost records kept per unit (None: all).
    lost_limit: Option<usize>,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Estimated by cchc ("ước tính (cchc)").
    Estimate,
    /// Published by the portal ("Cổng DVCQG").
    Portal,
}

/// Why an indicator has no figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The exports lack the column (flag) it needs.
    NoColumn,
    /// Nothing to count in the window.
    NothingToCount,
    /// Imported, and no portal table gives it.
    NotImported,
}

/// One indicator's figure for a unit and window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    /// The portal's number ("2.1").
    pub id: String,
    /// Its group's id.
    pub group: String,
    /// The ratio in % (mean days for 2.2); None: no figure.
    pub value: Option<f64>,
    /// Points; None: no figure.
    pub points: Option<f64>,
    /// Maximum points.
    pub max: f64,
    /// Estimate or portal.
    pub source: Origin,
    /// Numerator of the ratio (records counted in favour).
    pub numerator: Option<u64>,
    /// Denominator of the ratio.
    pub denominator: Option<u64>,
    /// Why there is no figure.
    pub missing: Option<Missing>,
}

/// A record that cost points (no personal data: codes, procedure, field and dates only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LostRecord {
    /// The indicator it costs.
    pub indicator: String,
    /// Dossier or PAKN code ("" for a summary of ratings).
    pub code: String,
    /// Procedure name, when the export has it.
    pub procedure: Option<String>,
    /// Field.
    pub field: String,
    /// Received.
    pub received: Option<NaiveDate>,
    /// Due.
    pub due: Option<NaiveDate>,
    /// End (None: open at the window's end).
    pub end: Option<NaiveDate>,
    /// Days past the due date, to the end or the window's end.
    pub days_late: Option<i64>,
    /// Why it costs points: `late`, `overdue`, `not_paid_online`, `no_e_result`,
    /// `not_digitized`, `pakn_late`, `pakn_overdue`, `dissatisfied`, `no_due_date` (costs 0,
    /// listed to check).
    pub reason: &'static str,
    /// The points it alone costs (two decimals).
    pub points: f64,
}

/// The score of one unit (or of the locality) for a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// Level (None: the locality as a whole).
    pub level: Option<Level>,
    /// Unit name, or the locality's whole word.
    pub unit: String,
    /// An office of the commune, shown as a breakdown of the commune's score (not ranked).
    pub breakdown: bool,
    /// Every indicator of the configuration, in its order.
    pub indicators: Vec<IndicatorScore>,
    /// Points per group id: None when no indicator of it has a figure.
    pub groups: Vec<(String, Option<f64>)>,
    /// Sum of the points known.
    pub total: f64,
    /// Sum of the maxima of the indicators with a figure.
    pub max: f64,
    /// The band, when every indicator has a figure (max = 100).
    pub band: Option<String>,
    /// Rank among the scored units of the locality by total (1 = best); None for the locality
    /// and breakdown rows.
    pub rank: Option<u32>,
    /// Records that cost points, most costly first (at most the listing limit, see
    /// [`Facts::limit_lost`]).
    pub lost: Vec<LostRecord>,
    /// Records that cost points beyond the listing limit, not listed.
    pub lost_more: usize,
    /// Points of a group's imported indicators taken from the portal's published group score
    /// (group id, points, their maxima): the portal publishes groups, not indicators.
    pub imported: Vec<(String, f64, f64)>,
    /// Withdrawn dossiers ended in the window.
    pub withdrawn: u64,
    /// Dossiers of the window without a due date.
    pub no_due_date: u64,
}

/// One unit's 2.1 in a window as judged, and with some of its dossiers supposed late
/// ([`Facts::progress_if_late`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressAtStake {
    /// Level.
    pub level: Level,
    /// Unit.
    pub unit: String,
    /// Dossiers of the window 2.1 counts (its denominator).
    pub counted: u64,
    /// Of which early, on time or within time at the window's end.
    pub on_time: u64,
    /// Of those, the dossiers supposed late.
    pub supposed_late: u64,
    /// The points as judged (None: no figure, or a unit the index does not score).
    pub points: Option<f64>,
    /// The points with the supposed dossiers late.
    pub points_if_late: Option<f64>,
    /// What the supposed dossiers would cost: the difference of the exact points, rounded only
    /// now (tthc-rules §4), so it may differ by 0,01 from the difference of the two above.
    pub points_at_stake: Option<f64>,
    /// 2.1's maximum.
    pub max: f64,
}

/// The scores of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowScores {
    /// The window.
    pub window: Window,
    /// Scored units (communes or wards; a commune's offices as breakdown), by rank.
    pub units: Vec<UnitScore>,
    /// The locality as a whole.
    pub locality: UnitScore,
}

/// Per-unit counts of one window.
#[derive(Debug, Clone, Default)]
struct Acc {
    scope: u64,
    on_time: u64,
    ended: u64,
    days: i64,
    new: u64,
    online: u64,
    /// New dossiers of unknown channel (the export has no channel column): not in 3.3.
    channel_unknown: u64,
    fee_due: u64,
    fee_paid: u64,
    fee_unknown: u64,
    resolved: u64,
    e_result: u64,
    e_result_unknown: u64,
    digitized_of: u64,
    digitized: u64,
    digitized_unknown: u64,
    pakn_total: u64,
    pakn_on_time: u64,
    pakn_overdue: u64,
    rated_bad: u64,
    copy: Option<(i32, bool)>,
    copies_yes: u64,
    copies_answered: u64,
    withdrawn: u64,
    no_due_date: u64,
    lost: Vec<LostRecord>,
    /// Records that cost points, counted but not kept: nothing is listed (a run).
    unlisted: usize,
}

impl Acc {
    /// A record that costs points: kept when records are listed, else only counted.
    fn cost(&mut self, listing: bool, record: impl FnOnce() -> LostRecord) {
        if listing {
            self.lost.push(record());
        } else {
            self.unlisted += 1;
        }
    }

    fn add(&mut self, o: &Acc) {
        self.scope += o.scope;
        self.on_time += o.on_time;
        self.ended += o.ended;
        self.days += o.days;
        self.new += o.new;
        self.online += o.online;
        self.channel_unknown += o.channel_unknown;
        self.fee_due += o.fee_due;
        self.fee_paid += o.fee_paid;
        self.fee_unknown += o.fee_unknown;
        self.resolved += o.resolved;
        self.e_result += o.e_result;
        self.e_result_unknown += o.e_result_unknown;
        self.digitized_of += o.digitized_of;
        self.digitized += o.digitized;
        self.digitized_unknown += o.digitized_unknown;
        self.pakn_total += o.pakn_total;
        self.pakn_on_time += o.pakn_on_time;
        self.pakn_overdue += o.pakn_overdue;
        self.rated_bad += o.rated_bad;
        self.withdrawn += o.withdrawn;
        self.no_due_date += o.no_due_date;
        if let Some((_, yes)) = o.copy {
            self.copies_answered += 1;
            self.copies_yes += u64::from(yes);
        }
    }
}

fn level_of(code: Option<&str>) -> Level {
    if code == Some("xa") {
        Level::Xa
    } else {
        Level::Huyen
    }
}

impl<'a> Facts<'a> {
    /// Reduces the tables of `run` (before its rules) to the facts of every window: the
    /// dossier rules run once, keeping withdrawn dossiers (a withdrawal ends a dossier).
    pub fn of(
        pipeline: &'a Pipeline,
        config: &'a Index766Config,
        mut frames: crate::kinds::Frames,
        n_files: usize,
    ) -> Result<Facts<'a>> {
        use crate::kinds::{self, Kind};
        let mut take = |k: &'static dyn Kind| -> Result<DataFrame> {
            match frames.remove(k.id()) {
                Some(f) => Ok(f),
                None => k.empty_frame(),
            }
        };
        let dossiers = kinds::dossier::rules::apply(
            take(&kinds::dossier::Dossier)?,
            crate::config::WithdrawnPractice::ResolvedOnTime,
            n_files,
        )?;
        let satisfaction = kinds::satisfaction::rules::apply(
            take(&kinds::satisfaction::Satisfaction)?,
            &dossiers.frame,
            n_files,
        )?;
        let pakn = kinds::pakn::rules::apply(take(&kinds::pakn::Pakn)?, n_files)?;
        let self_report = kinds::self_report::rules::apply(take(&kinds::self_report::SelfReport)?)?;
        Facts::of_ruled(
            pipeline,
            config,
            dossiers.frame,
            &satisfaction.frame,
            pakn.frame,
            &self_report.frame,
        )
    }

    /// The facts of a run's ruled tables (`cchc run`), without ruling the dossiers a second
    /// time: the 766 rules count a withdrawal as an end, so the withdrawn dossiers the
    /// pipeline's practice set apart join the counted ones again (the same rows as
    /// [`Facts::of`]); the satisfaction rows are linked to that table as [`Facts::of`] links
    /// them (`satisfaction` is the kind's table as read, before its rules).
    pub fn of_run(
        pipeline: &'a Pipeline,
        config: &'a Index766Config,
        ruled: &crate::kinds::Ruled,
        satisfaction: Option<DataFrame>,
        n_files: usize,
    ) -> Result<Facts<'a>> {
        use crate::kinds::{self, Kind};
        let run = ruled.dossier();
        let dossiers = if run.withdrawn.height() == 0 {
            run.frame.clone()
        } else {
            run.frame.vstack(&run.withdrawn)?
        };
        let satisfaction = match satisfaction {
            Some(frame) => kinds::satisfaction::rules::apply(frame, &dossiers, n_files)?.frame,
            None => kinds::satisfaction::Satisfaction.empty_frame()?,
        };
        Facts::of_ruled(
            pipeline,
            config,
            dossiers,
            &satisfaction,
            ruled.pakn().frame.clone(),
            &ruled.self_report().frame,
        )
    }

    /// The facts of tables already ruled: the dossier table by the rules of [`Facts::of`]
    /// (one record per code, withdrawn dossiers kept), the satisfaction, PAKN and self-report
    /// tables by their kinds' rules (`cchc alerts`, which has ruled them for its lists).
    pub fn of_ruled(
        pipeline: &'a Pipeline,
        config: &'a Index766Config,
        dossiers: DataFrame,
        satisfaction: &DataFrame,
        pakn_frame: DataFrame,
        self_report: &DataFrame,
    ) -> Result<Facts<'a>> {
        let mut units: Vec<(Level, String)> = Vec::new();
        // Looked up by the row's text: a unit's name is copied once, not once per row.
        let mut index: HashMap<Level, HashMap<String, u32, FixedState>, FixedState> =
            HashMap::default();
        let mut unit_of = |level: Level, unit: &str| -> u32 {
            let of_level = index.entry(level).or_default();
            if let Some(&i) = of_level.get(unit) {
                return i;
            }
            units.push((level, unit.to_string()));
            let i = (units.len() - 1) as u32;
            of_level.insert(unit.to_string(), i);
            i
        };
        let t = &dossiers;
        let (lv, un, st, ch) = (
            t.column("level")?.str()?,
            t.column("unit")?.str()?,
            t.column("status")?.str()?,
            t.column("channel")?.str()?,
        );
        let (rec, due, end) = (
            t.column("received")?.i32()?,
            t.column("due")?.i32()?,
            t.column("completed")?.i32()?,
        );
        let fee = t.column("fee")?.f64()?;
        let (requests, requested, supplied) = (
            t.column("supplement_count")?.u32()?,
            t.column("supplement_requested")?.i32()?,
            t.column("supplement_supplied")?.i32()?,
        );
        let (ep, dd, dr) = (
            t.column("epayment")?.bool()?,
            t.column("digitized_dossier")?.bool()?,
            t.column("digitized_result")?.bool()?,
        );
        // Each column read once in order: the table of a run is its kept rows and its withdrawn
        // ones, two chunks, where reading by row would look for the chunk of every value.
        let (mut lv, mut un, mut st, mut ch) = (lv.iter(), un.iter(), st.iter(), ch.iter());
        let (mut rec, mut due, mut end, mut fee) = (rec.iter(), due.iter(), end.iter(), fee.iter());
        let (mut requests, mut requested, mut supplied) =
            (requests.iter(), requested.iter(), supplied.iter());
        let (mut ep, mut dd, mut dr) = (ep.iter(), dd.iter(), dr.iter());
        let mut facts = Vec::with_capacity(t.height());
        for i in 0..t.height() {
            let (level, unit, status, channel) = (
                lv.next().flatten(),
                un.next().flatten(),
                st.next().flatten(),
                ch.next().flatten(),
            );
            let (received, due, end, fee) = (
                rec.next().flatten(),
                due.next().flatten(),
                end.next().flatten(),
                fee.next().flatten(),
            );
            let (requests, requested, supplied) = (
                requests.next().flatten(),
                requested.next().flatten(),
                supplied.next().flatten(),
            );
            let (epayment, digitized_dossier, digitized_result) = (
                ep.next().flatten(),
                dd.next().flatten(),
                dr.next().flatten(),
            );
            let Some(received) = received else { continue };
            // Supplement rules (index766.md §1), where the export gives the requests.
            let asked = requests.unwrap_or(u32::from(requested.is_some()));
            let end_21 = match (end, requested) {
                (None, Some(r)) if asked == 1 => Some(r),
                (e, _) => e,
            };
            let pause = match (asked, end, requested, supplied) {
                (1, Some(_), Some(r), Some(s)) if s >= r => s - r,
                _ => 0,
            };
            facts.push(DossierFact {
                end_21,
                pause,
                many_requests: asked > 1,
                unit: unit_of(level_of(level), unit.unwrap_or("")),
                row: i as u32,
                received,
                due,
                end,
                status: Status::from_code(status.unwrap_or("")),
                online: match channel {
                    Some("unknown") => None,
                    c => Some(c == Some("online")),
                },
                fee,
                epayment,
                digitized_dossier,
                digitized_result,
            });
        }
        drop((lv, un, st, ch, rec, due, end, fee));
        drop((requests, requested, supplied, ep, dd, dr));
        // Ratings: evaluation rows by their date; summaries cover a span and are left out
        // (the portal counts rated dossiers, which a summary does not name).
        let s = satisfaction;
        let mut ratings = Vec::new();
        {
            let (shape, lv, un, id, day) = (
                s.column("shape")?.str()?,
                s.column("level")?.str()?,
                s.column("unit")?.str()?,
                s.column("dossier_id")?.str()?,
                s.column("evaluated")?.i32()?,
            );
            let (bad, very_bad) = (
                s.column("dissatisfied")?.u32()?,
                s.column("very_dissatisfied")?.u32()?,
            );
            for i in 0..s.height() {
                let n = bad.get(i).unwrap_or(0) + very_bad.get(i).unwrap_or(0);
                let (Some("evaluation"), Some(day), true) = (shape.get(i), day.get(i), n > 0)
                else {
                    continue;
                };
                ratings.push(BadRating {
                    unit: unit_of(level_of(lv.get(i)), un.get(i).unwrap_or("")),
                    day,
                    count: n,
                    dossier_id: id.get(i).map(str::to_string),
                });
            }
        }
        let question = config
            .indicators
            .iter()
            .find(|i| i.measure == Some(Measure::CertifiedCopy))
            .and_then(|i| i.question.clone());
        let mut copies = Vec::new();
        if let Some(q) = question {
            let f = self_report;
            let (lv, un, qs, end, val) = (
                f.column("level")?.str()?,
                f.column("unit")?.str()?,
                f.column("question")?.str()?,
                f.column("period_end")?.i32()?,
                f.column("value")?.f64()?,
            );
            for i in 0..f.height() {
                if qs.get(i) != Some(q.as_str()) {
                    continue;
                }
                let (Some(e), Some(v)) = (end.get(i), val.get(i)) else {
                    continue;
                };
                copies.push(CopyAnswer {
                    unit: unit_of(level_of(lv.get(i)), un.get(i).unwrap_or("")),
                    period_end: e,
                    yes: v > 0.0,
                });
            }
        }
        {
            let (lv, un) = (
                pakn_frame.column("level")?.str()?,
                pakn_frame.column("unit")?.str()?,
            );
            for i in 0..pakn_frame.height() {
                unit_of(level_of(lv.get(i)), un.get(i).unwrap_or(""));
            }
        }
        for u in pipeline.units.all() {
            unit_of(u.level, &u.name);
        }
        Ok(Facts {
            pipeline,
            config,
            units,
            dossiers: facts,
            table: dossiers,
            pakn: pakn_frame,
            ratings,
            copies,
            lost_limit: None,
        })
    }

    /// Keeps at most `n` records that cost points per unit and window (the most costly; the
    /// rest counted in [`UnitScore::lost_more`]): a city's backlog of late dossiers would
    /// otherwise fill every week's workbook.
    pub fn limit_lost(&mut self, n: Option<usize>) {
        self.lost_limit = n;
    }

    /// Whether records that cost points are listed: not with the limit 0 (a run), where they
    /// are only counted ([`UnitScore::lost_more`]).
    fn listing(&self) -> bool {
        self.lost_limit != Some(0)
    }

    /// The scores of one window.
    pub fn score(&self, window: &Window) -> Result<WindowScores> {
        let (s, e) = (day_number(window.start), day_number(window.end));
        let mut acc: Vec<Acc> = vec![Acc::default(); self.units.len()];
        let t = &self.table;
        let (codes, procs, fields) = (
            t.column("dossier_id")?.str()?,
            t.column("procedure")?.str()?,
            t.column("field")?.str()?,
        );
        let listed = self.listing();
        let record = |d: &DossierFact, indicator: &str, reason: &'static str, late: Option<i64>| {
            let r = d.row as usize;
            LostRecord {
                indicator: indicator.to_string(),
                code: codes.get(r).unwrap_or("").to_string(),
                procedure: procs.get(r).map(str::to_string),
                field: fields.get(r).unwrap_or("").to_string(),
                received: Some(from_day_number(d.received)),
                due: d.due.map(from_day_number),
                end: d.end_21.filter(|x| *x <= e).map(from_day_number),
                days_late: late,
                reason,
                points: 0.0,
            }
        };
        for d in &self.dossiers {
            if !d.in_window(s, e) {
                continue;
            }
            let a = &mut acc[d.unit as usize];
            // 2.1: every dossier of the window, new or carried over.
            a.scope += 1;
            match d.progress(e) {
                Progress::Late(days) => a.cost(listed, || record(d, "2.1", "late", Some(days))),
                Progress::Overdue(days) => {
                    a.cost(listed, || record(d, "2.1", "overdue", Some(days)))
                }
                Progress::NoDueDate => {
                    a.on_time += 1;
                    a.no_due_date += 1;
                    a.cost(listed, || record(d, "2.1", "no_due_date", None));
                }
                Progress::OnTime => a.on_time += 1,
            }
            if let Some(x) = d.end.filter(|x| *x <= e) {
                a.withdrawn += u64::from(d.status == Status::Withdrawn);
                a.ended += 1;
                a.days += i64::from(x - d.received);
                if matches!(d.status, Status::ResultReady | Status::Returned) {
                    match d.digitized_result {
                        Some(true) => {
                            a.resolved += 1;
                            a.e_result += 1;
                        }
                        Some(false) => {
                            a.resolved += 1;
                            a.cost(listed, || record(d, "4.1", "no_e_result", None));
                        }
                        None => a.e_result_unknown += 1,
                    }
                }
            }
            if d.received >= s {
                a.new += 1;
                match d.online {
                    Some(online) => a.online += u64::from(online),
                    None => a.channel_unknown += 1,
                }
                match d.digitized_dossier {
                    Some(yes) => {
                        a.digitized_of += 1;
                        if yes {
                            a.digitized += 1;
                        } else {
                            a.cost(listed, || record(d, "4.2", "not_digitized", None));
                        }
                    }
                    None => a.digitized_unknown += 1,
                }
                match (d.fee, d.epayment) {
                    (Some(f), Some(paid)) if f > 0.0 => {
                        a.fee_due += 1;
                        if paid {
                            a.fee_paid += 1;
                        } else {
                            a.cost(listed, || record(d, "3.6", "not_paid_online", None));
                        }
                    }
                    // A payment flag without a fee: the export has the payment column and
                    // the dossier no fee to pay.
                    (None, Some(_)) => {}
                    (None, None) | (Some(_), None) => a.fee_unknown += 1,
                    _ => {}
                }
            }
        }
        // 5.4's overdue share is 2.1's late share: the same records cost points there too.
        for a in acc.iter_mut() {
            if !listed {
                // Unlisted, they are 2.1's dossiers not on time.
                a.unlisted += (a.scope - a.on_time) as usize;
            }
            let late: Vec<LostRecord> = a
                .lost
                .iter()
                .filter(|l| l.indicator == "2.1" && l.reason != "no_due_date")
                .map(|l| LostRecord {
                    indicator: "5.4".into(),
                    ..l.clone()
                })
                .collect();
            a.lost.extend(late);
        }
        for r in &self.ratings {
            if r.day < s || r.day > e {
                continue;
            }
            let a = &mut acc[r.unit as usize];
            a.rated_bad += u64::from(r.count);
            a.cost(listed, || LostRecord {
                indicator: "5.4".into(),
                code: r.dossier_id.clone().unwrap_or_default(),
                procedure: None,
                field: String::new(),
                received: None,
                due: None,
                end: Some(from_day_number(r.day)),
                days_late: None,
                reason: "dissatisfied",
                points: 0.0,
            });
        }
        for c in &self.copies {
            if c.period_end > e {
                continue;
            }
            let a = &mut acc[c.unit as usize];
            if a.copy.is_none_or(|(p, _)| c.period_end >= p) {
                a.copy = Some((c.period_end, c.yes));
            }
        }
        self.pakn_counts(window, &mut acc)?;
        self.assemble(window, acc)
    }

    fn pakn_counts(&self, window: &Window, acc: &mut [Acc]) -> Result<()> {
        let period = window.as_period();
        let n_files = self
            .pakn
            .column("file")?
            .u32()?
            .max()
            .map_or(0, |m| m as usize + 1);
        let listed = self.listing();
        let figures = crate::kinds::pakn::figures::compute(
            &self.pakn,
            &period,
            n_files,
            crate::kinds::pakn::config(self.pipeline),
            &self.pipeline.calendar,
        )?;
        let index: HashMap<(Level, &str), usize> = self
            .units
            .iter()
            .enumerate()
            .map(|(i, (l, u))| ((*l, u.as_str()), i))
            .collect();
        for row in &figures.rows {
            let Some(&i) = index.get(&(row.level, row.unit.as_str())) else {
                continue;
            };
            let c = &row.counts;
            acc[i].pakn_total += c.received_total();
            acc[i].pakn_on_time += c.closed_on_time + c.pending_within;
            acc[i].pakn_overdue += c.closed_late + c.pending_overdue;
        }
        for late in &figures.late {
            let Some(&i) = index.get(&(late.level, late.unit.as_str())) else {
                continue;
            };
            let days = i64::from(late.working_days_late);
            for ind in ["5.2", "5.3"] {
                acc[i].cost(listed, || LostRecord {
                    indicator: ind.into(),
                    code: late.code.clone(),
                    procedure: None,
                    field: late.field.clone(),
                    received: Some(late.received),
                    due: Some(late.due),
                    end: late.closed,
                    days_late: Some(days),
                    reason: if late.closed.is_some() {
                        "pakn_late"
                    } else {
                        "pakn_overdue"
                    },
                    points: 0.0,
                });
            }
        }
        Ok(())
    }

    /// Whether a unit has a row of its own (index766.md §3): with two levels, each commune
    /// (level xa); with one, the commune's offices as the breakdown of the locality.
    fn scored(&self, level: Level, unit: &str) -> bool {
        !unit.is_empty() && (self.pipeline.units.levels.len() <= 1 || level == Level::Xa)
    }

    /// 2.1 of every unit with a dossier in `window`: as the rules judge its dossiers, and as
    /// it would be if the dossiers whose codes `late` holds ended late (those the rules judge
    /// on time at the window's end; one judged late already changes nothing). What a list of
    /// dossiers puts at stake (`cchc alerts`), by the same rules and formula as the estimate.
    /// The points are None for a unit without a row of its own (`Facts::scored`).
    pub fn progress_if_late(
        &self,
        window: &Window,
        late: &HashSet<&str>,
    ) -> Result<Vec<ProgressAtStake>> {
        let Some(ind) = self
            .config
            .indicators
            .iter()
            .find(|i| i.source == Source::Computed && i.measure == Some(Measure::OnTime))
        else {
            return Ok(Vec::new());
        };
        let (s, e) = (day_number(window.start), day_number(window.end));
        let codes = self.table.column("dossier_id")?.str()?;
        // Per unit: counted, on time as judged, on time with the listed dossiers late.
        let mut counts = vec![(0u64, 0u64, 0u64); self.units.len()];
        for d in &self.dossiers {
            if !d.in_window(s, e) {
                continue;
            }
            let on_time = matches!(d.progress(e), Progress::OnTime | Progress::NoDueDate);
            let supposed_late = on_time
                && !late.is_empty()
                && codes.get(d.row as usize).is_some_and(|c| late.contains(c));
            let c = &mut counts[d.unit as usize];
            c.0 += 1;
            c.1 += u64::from(on_time);
            c.2 += u64::from(on_time && !supposed_late);
        }
        let points = |scope: u64, on_time: u64| {
            let a = Acc {
                scope,
                on_time,
                ..Acc::default()
            };
            measure(ind, Measure::OnTime, &a, false).points
        };
        Ok(self
            .units
            .iter()
            .zip(counts)
            .filter(|(_, c)| c.0 > 0)
            .map(|((level, unit), (scope, on_time, if_late))| {
                let scored = self.scored(*level, unit);
                ProgressAtStake {
                    level: *level,
                    unit: unit.clone(),
                    counted: scope,
                    on_time,
                    supposed_late: on_time - if_late,
                    points: points(scope, on_time).filter(|_| scored),
                    points_if_late: points(scope, if_late).filter(|_| scored),
                    points_at_stake: ind
                        .points(Some(ratio(on_time, scope)))
                        .zip(ind.points(Some(ratio(if_late, scope))))
                        .map(|(now, late)| round2(now - late))
                        .filter(|_| scored),
                    max: ind.max,
                }
            })
            .collect())
    }

    /// Which rows are scored (`Facts::scored`), ranked.
    fn assemble(&self, window: &Window, mut acc: Vec<Acc>) -> Result<WindowScores> {
        let one_level = self.pipeline.units.levels.len() <= 1;
        let mut whole = Acc::default();
        for a in &acc {
            whole.add(a);
        }
        whole.lost = Vec::new();
        let mut rows = Vec::new();
        for (i, (level, unit)) in self.units.iter().enumerate() {
            let a = std::mem::take(&mut acc[i]);
            if !self.scored(*level, unit) {
                continue;
            }
            let has_anything = a.scope > 0 || a.pakn_total > 0 || a.rated_bad > 0;
            let registered = self.pipeline.units.find(unit).is_some();
            if !has_anything && !registered {
                continue;
            }
            rows.push(self.unit_score(Some(*level), unit, one_level, a, false));
        }
        let locality = self.unit_score(None, &self.pipeline.words.whole, false, whole, true);
        rank(&mut rows);
        Ok(WindowScores {
            window: window.clone(),
            units: rows,
            locality,
        })
    }

    fn unit_score(
        &self,
        level: Option<Level>,
        unit: &str,
        breakdown: bool,
        mut a: Acc,
        locality: bool,
    ) -> UnitScore {
        let mut indicators = Vec::new();
        for ind in &self.config.indicators {
            indicators.push(match (ind.source, ind.measure) {
                (Source::Computed, Some(m)) => measure(ind, m, &a, locality),
                _ => IndicatorScore {
                    id: ind.id.clone(),
                    group: ind.group.clone(),
                    value: None,
                    points: None,
                    max: ind.max,
                    source: Origin::Portal,
                    numerator: None,
                    denominator: None,
                    missing: Some(Missing::NotImported),
                },
            });
        }
        // What each listed record alone costs: the points with it counted in favour, less the
        // points as they are.
        for l in &mut a.lost {
            let Some((ind, score)) = self
                .config
                .indicators
                .iter()
                .zip(&indicators)
                .find(|(i, _)| i.id == l.indicator)
            else {
                continue;
            };
            let (Some(num), Some(n)) = (score.numerator, score.denominator) else {
                continue;
            };
            if l.reason == "no_due_date" || n == 0 || score.points.is_none() {
                continue;
            }
            let now = ind.points(Some(ratio(num, n))).unwrap_or(0.0);
            let better = ind.points(Some(ratio((num + 1).min(n), n))).unwrap_or(now);
            l.points = round2(better - now);
        }
        a.lost.sort_by(|x, y| {
            y.points
                .total_cmp(&x.points)
                .then_with(|| x.indicator.cmp(&y.indicator))
                .then_with(|| y.days_late.cmp(&x.days_late))
                .then_with(|| x.code.cmp(&y.code))
        });
        let lost_more = self
            .lost_limit
            .map_or(0, |n| a.lost.len().saturating_sub(n))
            + a.unlisted;
        if let Some(n) = self.lost_limit {
            a.lost.truncate(n);
        }
        let mut s = UnitScore {
            level,
            unit: unit.to_string(),
            breakdown,
            indicators,
            groups: Vec::new(),
            total: 0.0,
            max: 0.0,
            band: None,
            rank: None,
            lost: a.lost,
            lost_more,
            imported: Vec::new(),
            withdrawn: a.withdrawn,
            no_due_date: a.no_due_date,
        };
        s.settle(self.config);
        s
    }
}

/// Ranks the scored units by total (1 = best, ties share a rank; breakdown rows unranked) and
/// orders them by rank, then name: after the estimate, and again once the portal's table has
/// filled the imported indicators (the totals then change).
pub fn rank(rows: &mut [UnitScore]) {
    let mut ranked: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].breakdown).collect();
    ranked.sort_by(|&x, &y| {
        rows[y]
            .total
            .total_cmp(&rows[x].total)
            .then_with(|| SortKey::new(&rows[x].unit).cmp(&SortKey::new(&rows[y].unit)))
    });
    let mut rank = 0u32;
    let mut last: Option<f64> = None;
    for (n, &i) in ranked.iter().enumerate() {
        if last != Some(rows[i].total) {
            rank = n as u32 + 1;
            last = Some(rows[i].total);
        }
        rows[i].rank = Some(rank);
    }
    rows.sort_by(|x, y| {
        x.rank
            .unwrap_or(u32::MAX)
            .cmp(&y.rank.unwrap_or(u32::MAX))
            .then_with(|| SortKey::new(&x.unit).cmp(&SortKey::new(&y.unit)))
    });
}

impl UnitScore {
    /// Group points, total, max and band from the indicators.
    pub fn settle(&mut self, config: &Index766Config) {
        self.groups = config
            .groups
            .iter()
            .map(|g| {
                let known: Vec<f64> = self
                    .indicators
                    .iter()
                    .filter(|i| i.group == g.id)
                    .filter_map(|i| i.points)
                    .chain(self.imported.iter().filter(|m| m.0 == g.id).map(|m| m.1))
                    .collect();
                (
                    g.id.clone(),
                    (!known.is_empty()).then(|| round2(known.iter().sum())),
                )
            })
            .collect();
        let imported = |group: &str| self.imported.iter().any(|m| m.0 == group);
        let counted = |i: &IndicatorScore| i.points.is_some() || imported(&i.group);
        self.total = round2(
            self.indicators.iter().filter_map(|i| i.points).sum::<f64>()
                + self.imported.iter().map(|m| m.1).sum::<f64>(),
        );
        self.max = round2(
            self.indicators
                .iter()
                .filter(|i| counted(i))
                .map(|i| i.max)
                .sum(),
        );
        let all_known = self.indicators.iter().all(|i| i.max == 0.0 || counted(i));
        self.band = all_known.then(|| config.band(self.total).to_string());
    }

    /// The points of a group.
    pub fn group_points(&self, id: &str) -> Option<f64> {
        self.groups.iter().find(|g| g.0 == id).and_then(|g| g.1)
    }
}

/// Two decimals, half away from zero.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn ratio(num: u64, den: u64) -> f64 {
    num as f64 * 100.0 / den as f64
}

/// One computed indicator from a unit's counts.
fn measure(ind: &Indicator, m: Measure, a: &Acc, locality: bool) -> IndicatorScore {
    let empty = ind.when_empty.unwrap_or(WhenEmpty::None);
    let score =
        |value: Option<f64>, num: Option<u64>, den: Option<u64>, missing: Option<Missing>| {
            IndicatorScore {
                id: ind.id.clone(),
                group: ind.group.clone(),
                value: value.map(round2),
                points: if m == Measure::MeanDays {
                    value.map(|_| 0.0)
                } else {
                    ind.points(value).map(round2)
                },
                max: ind.max,
                source: Origin::Estimate,
                numerator: num,
                denominator: den,
                missing,
            }
        };
    // A ratio, or what an empty one scores.
    let of = |num: u64, den: u64, unknown: u64| -> IndicatorScore {
        if den > 0 {
            return score(Some(ratio(num, den)), Some(num), Some(den), None);
        }
        if unknown > 0 {
            return score(None, None, None, Some(Missing::NoColumn));
        }
        match empty {
            WhenEmpty::Full => IndicatorScore {
                points: Some(ind.max),
                ..score(None, Some(0), Some(0), None)
            },
            WhenEmpty::Zero => IndicatorScore {
                points: Some(0.0),
                ..score(None, Some(0), Some(0), None)
            },
            WhenEmpty::None => score(None, Some(0), Some(0), Some(Missing::NothingToCount)),
        }
    };
    match m {
        Measure::OnTime => of(a.on_time, a.scope, 0),
        Measure::MeanDays => {
            if a.ended == 0 {
                score(None, Some(0), Some(0), Some(Missing::NothingToCount))
            } else {
                let v = a.days as f64 / a.ended as f64;
                score(Some(v), Some(a.days.max(0) as u64), Some(a.ended), None)
            }
        }
        // Over the dossiers whose export says how they came, like form 06's online share.
        Measure::OnlineShare => of(a.online, a.new - a.channel_unknown, a.channel_unknown),
        Measure::Epayment => of(a.fee_paid, a.fee_due, a.fee_unknown),
        Measure::EResult => of(a.e_result, a.resolved, a.e_result_unknown),
        Measure::Digitized => of(a.digitized, a.digitized_of, a.digitized_unknown),
        Measure::CertifiedCopy => {
            if locality {
                of(a.copies_yes, a.copies_answered, 0)
            } else {
                match a.copy {
                    Some((_, yes)) => score(
                        Some(if yes { 100.0 } else { 0.0 }),
                        Some(u64::from(yes)),
                        Some(1),
                        None,
                    ),
                    None => score(None, None, None, Some(Missing::NoColumn)),
                }
            }
        }
        // No export column carries these flags yet.
        Measure::DataReuse | Measure::PersonalStore | Measure::ResidentData => {
            score(None, None, None, Some(Missing::NoColumn))
        }
        Measure::PaknOnTime => of(a.pakn_on_time, a.pakn_total, 0),
        Measure::PaknSatisfaction => {
            of(a.pakn_total.saturating_sub(a.pakn_overdue), a.pakn_total, 0)
        }
        Measure::TthcSatisfaction => {
            if a.scope == 0 {
                return of(0, 0, 0);
            }
            let bad = (a.scope - a.on_time) + a.rated_bad;
            let good = a.scope.saturating_sub(bad);
            of(good, a.scope, 0)
        }
    }
}

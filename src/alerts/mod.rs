//! `cchc alerts`: the morning list of what is about to be late (`early-warning.md`) — dossiers
//! due in the next working days or already overdue, apology letters owed, PAKN near or past
//! their limit, plan tasks coming due, and what each unit's on-time rate and 766 progress
//! points stand to lose.
//!
//! One stage, [`compute`]: the ruled tables of `run` and a day in, the lists out. Every rule is
//! the one `run` uses, called, not rewritten: pending and late dossiers by
//! [`late_predicates`] over the report period cut at `--as-of`, the on-time rate by form 06
//! over the same days, PAKN limits by the calendar and `[pakn_deadlines]`, task deadlines and
//! progress by [`crate::tasks`], the 766 progress points (index766.md 2.1) by the 766
//! estimate's own rules ([`crate::index766::Facts::progress_if_late`]) over the calendar
//! quarter that holds `--as-of`, from its first day to `--as-of` ([`window_766`]). A past
//! `--as-of` is answered by the dates, not by the status at export time: a dossier returned on
//! 20/3 was pending on 11/3. Reading, rendering and writing are in [`run`] and [`render`].

pub mod render;
pub mod run;
pub mod sheet;

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::{Level, Op, Pipeline, WithdrawnPractice};
use crate::figures::NamedCounts;
use crate::index766::{Facts, Index766Config, ProgressAtStake};
use crate::indicators::targets::{general_threshold, threshold_for_row};
use crate::indicators::{Counts, Rate};
use crate::kinds::dossier::figures::form06::{form06, late_predicates};
use crate::kinds::pakn::PaknStatus;
use crate::model::Status;
use crate::normalize::{day_number, from_day_number};
use crate::period::{Period, Window};
use crate::tasks::{Progress, TaskStatus};
use crate::text::SortKey;

/// What the list is computed from: the tables `run` reads (before its rules), and the day.
pub struct AlertInput<'a> {
    /// The pipeline.
    pub pipeline: &'a Pipeline,
    /// The record table of each kind, as read or loaded from the store.
    pub frames: crate::kinds::Frames,
    /// The number of source files.
    pub n_files: usize,
    /// The day the list is for.
    pub as_of: NaiveDate,
    /// The horizon of "due soon", in working days.
    pub days: u32,
    /// The horizon of the plan's tasks, in working days.
    pub task_days: u32,
    /// Exports whose latest date is more than this many working days before `as_of` are stale.
    pub stale_after: u32,
    /// Rows of the inputs quarantined while reading (listed by `cchc check`): not in any list.
    pub quarantined_rows: usize,
    /// Whether `frames` holds only the winning copy of each dossier (the store's table of
    /// winners): no copy is then looked for or dropped.
    pub winners_only: bool,
    /// With the winners only: the latest received or completed day of every copy, for the
    /// exports' age.
    pub latest_dossier_day: Option<i32>,
}

/// The tables after `run`'s rules, and the day: what each list is drawn from.
struct Tables<'a> {
    pipeline: &'a Pipeline,
    dossiers: &'a DataFrame,
    pakn: &'a DataFrame,
    self_report: &'a DataFrame,
    as_of: NaiveDate,
    days: u32,
    task_days: u32,
}

/// Where a listed dossier stood on `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierState {
    /// Still open in the export, with this status.
    Open(Status),
    /// Ended after `as_of` (the export's later status does not apply to that day).
    EndedLater(NaiveDate),
}

/// One dossier of the due-soon or overdue lists (no personal data of the applicant).
#[derive(Debug, Clone, PartialEq)]
pub struct DossierAlert {
    /// Dossier code.
    pub dossier_id: String,
    /// Procedure name, when the export has it.
    pub procedure: Option<String>,
    /// Field.
    pub field: String,
    /// Received.
    pub received: NaiveDate,
    /// Due.
    pub due: NaiveDate,
    /// Due soon: working days from `as_of` to the due date (0 when due on `as_of`).
    pub working_days_left: u32,
    /// Overdue: calendar days from the due date to `as_of`.
    pub days_overdue: i64,
    /// Where it stood on `as_of`.
    pub state: DossierState,
    /// The officer holding it, when the export names one.
    pub officer: Option<String>,
}

/// Why an apology letter is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApologyReason {
    /// Ended late in the report period so far.
    EndedLate,
    /// Overdue on `as_of`: it will need one.
    Overdue,
}

/// A dossier owed an apology letter (target 3.4).
#[derive(Debug, Clone, PartialEq)]
pub struct ApologyOwed {
    /// Dossier code.
    pub dossier_id: String,
    /// Procedure name.
    pub procedure: Option<String>,
    /// Field.
    pub field: String,
    /// Due.
    pub due: NaiveDate,
    /// Ended (late), or None while overdue.
    pub completed: Option<NaiveDate>,
    /// Why.
    pub reason: ApologyReason,
    /// Whether the export has the apology column (it then says "not given"); without it
    /// nothing is recorded either way.
    pub column: bool,
    /// The officer holding it.
    pub officer: Option<String>,
}

/// A PAKN pending on `as_of` near or past its answer limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaknAlert {
    /// Mã PAKN.
    pub code: String,
    /// Field ("" when absent).
    pub field: String,
    /// Received.
    pub received: NaiveDate,
    /// The answer limit's day.
    pub due: NaiveDate,
    /// Working days from `as_of` to the limit (near), or from the limit to `as_of` (overdue).
    pub working_days: u32,
    /// Past the limit.
    pub overdue: bool,
}

/// A plan task one lead unit has not finished, due within the task horizon or past due.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskAlert {
    /// "1.4.1".
    pub number: String,
    /// The task's words.
    pub task: String,
    /// The deadline as the plan writes it.
    pub deadline_text: String,
    /// The day it is due.
    pub due: NaiveDate,
    /// Past due on `as_of`.
    pub overdue: bool,
    /// Working days from `as_of` to the due day (0 when past due).
    pub working_days_left: u32,
    /// The lead as the plan writes it ("Các phòng, ban, UBND các xã").
    pub lead_text: String,
    /// Every lead unit of the task.
    pub lead_units: Vec<String>,
    /// This unit's last answer on a form returned by `as_of` (None: no answer).
    pub status: Option<TaskStatus>,
    /// This unit's own progress.
    pub progress: Progress,
}

/// The on-time rate of the period so far, and what it becomes if every due-soon dossier ends
/// late, against a threshold of the flag target (3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Stake {
    /// The field, or None for the unit as a whole.
    pub field: Option<String>,
    /// Resolved in the period so far.
    pub resolved: u64,
    /// Of which early or on time.
    pub on_time: u64,
    /// Due soon.
    pub due_soon: u64,
    /// The rate so far (None: nothing resolved).
    pub rate_now: Option<Rate>,
    /// If every due-soon dossier ends late.
    pub rate_if_late: Option<Rate>,
    /// The threshold.
    pub threshold: Option<(Op, f64)>,
    /// Whether the rate so far meets it (None: no rate or no threshold).
    pub meets_now: Option<bool>,
    /// Whether the worst case meets it.
    pub meets_if_late: Option<bool>,
}

impl Stake {
    fn of(field: Option<String>, c: &Counts, due_soon: u64, threshold: Option<(Op, f64)>) -> Stake {
        let on_time = c.numerator("on_time_rate");
        let resolved = c.resolved_total();
        let rate_now = Rate::of(on_time, resolved);
        let rate_if_late = Rate::of(on_time, resolved + due_soon);
        let meets = |r: Option<Rate>| match (r, threshold) {
            (Some(r), Some((op, v))) => Some(r.satisfies(op, v)),
            _ => None,
        };
        Stake {
            field,
            resolved,
            on_time,
            due_soon,
            rate_now,
            rate_if_late,
            threshold,
            meets_now: meets(rate_now),
            meets_if_late: meets(rate_if_late),
        }
    }
}

/// One officer's counts within a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerCounts {
    /// The officer's name as the export writes it.
    pub officer: String,
    /// Dossiers due soon.
    pub due_soon: u64,
    /// Dossiers overdue (supplement waits apart).
    pub overdue: u64,
    /// Overdue while waiting for a supplement.
    pub supplement: u64,
}

/// Everything listed for one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitAlerts {
    /// Level.
    pub level: Level,
    /// Canonical unit.
    pub unit: String,
    /// Dossiers due within the horizon, soonest first.
    pub due_soon: Vec<DossierAlert>,
    /// Dossiers past due, not waiting for a supplement, longest overdue first.
    pub overdue: Vec<DossierAlert>,
    /// Dossiers past due while waiting for the applicant's supplement.
    pub supplement: Vec<DossierAlert>,
    /// Apology letters owed.
    pub apology: Vec<ApologyOwed>,
    /// PAKN near or past their limit.
    pub pakn: Vec<PaknAlert>,
    /// Plan tasks due or past due, not finished by this unit.
    pub tasks: Vec<TaskAlert>,
    /// The unit's on-time rate and, below it, each field with due-soon dossiers.
    pub stake: Vec<Stake>,
    /// Its 766 progress points (2.1) in [`Alerts::window_766`] so far, and if every due-soon
    /// dossier ends late; None when it has no dossier in the window (or the configuration does
    /// not compute 2.1). The points are None where the index gives it none (a unit the index
    /// does not score).
    pub progress_766: Option<ProgressAtStake>,
    /// Per officer, where the export names one (by name).
    pub officers: Vec<OfficerCounts>,
}

impl UnitAlerts {
    fn new(level: Level, unit: &str) -> UnitAlerts {
        UnitAlerts {
            level,
            unit: unit.to_string(),
            due_soon: Vec::new(),
            overdue: Vec::new(),
            supplement: Vec::new(),
            apology: Vec::new(),
            pakn: Vec::new(),
            tasks: Vec::new(),
            stake: Vec::new(),
            progress_766: None,
            officers: Vec::new(),
        }
    }

    /// Overdue items of every list: dossiers (supplement waits apart), PAKN, tasks.
    pub fn overdue_items(&self) -> usize {
        self.overdue.len()
            + self.pakn.iter().filter(|p| p.overdue).count()
            + self.tasks.iter().filter(|t| t.overdue).count()
    }

    /// PAKN past their limit.
    pub fn pakn_overdue(&self) -> usize {
        self.pakn.iter().filter(|p| p.overdue).count()
    }

    /// Tasks past due.
    pub fn tasks_overdue(&self) -> usize {
        self.tasks.iter().filter(|t| t.overdue).count()
    }

    fn is_empty(&self) -> bool {
        self.due_soon.is_empty()
            && self.overdue.is_empty()
            && self.supplement.is_empty()
            && self.apology.is_empty()
            && self.pakn.is_empty()
            && self.tasks.is_empty()
    }
}

/// The early-warning list of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Alerts {
    /// The day the list is for.
    pub as_of: NaiveDate,
    /// The due-soon horizon, in working days.
    pub days: u32,
    /// The last day of the due-soon horizon.
    pub horizon: NaiveDate,
    /// The task horizon, in working days.
    pub task_days: u32,
    /// Its last day.
    pub task_horizon: NaiveDate,
    /// The report period so far (its start to `as_of`).
    pub period: Period,
    /// The 766 window of the progress points at stake: the calendar quarter that holds
    /// `as_of`, from its first day to `as_of` ([`window_766`]).
    pub window_766: Window,
    /// The latest received, completed or closed date seen in the exports.
    pub latest_export_date: Option<NaiveDate>,
    /// The threshold of staleness, in working days.
    pub stale_after: u32,
    /// Whether the exports are older than that before `as_of` (or hold no date at all).
    pub stale: bool,
    /// Whether any listed dossier names its officer (the officer column then shows).
    pub officer_column: bool,
    /// Units with anything listed, most overdue items first.
    pub units: Vec<UnitAlerts>,
    /// Years the calendar does not hold that the list counted with weekends only.
    pub missing_calendar_years: Vec<i32>,
    /// Rows of the inputs quarantined while reading: not in any list.
    pub quarantined_rows: usize,
}

/// Computes the early-warning list of a day: `run`'s rules over the tables read (dossiers,
/// PAKN, the forms' task answers), then the lists.
pub fn compute(input: AlertInput) -> Result<Alerts> {
    use crate::kinds::{self, Kind};
    let pipeline = input.pipeline;
    let mut frames = input.frames;
    let mut take = |k: &'static dyn Kind| -> Result<DataFrame> {
        match frames.remove(k.id()) {
            Some(f) => Ok(f),
            None => k.empty_frame(),
        }
    };
    let (dossiers, pakn) = (take(&kinds::dossier::Dossier)?, take(&kinds::pakn::Pakn)?);
    let latest_export_date = latest_date(&dossiers, &pakn)?.max(
        input
            .latest_dossier_day
            .map(crate::normalize::from_day_number),
    );
    let window = window_766(input.as_of);
    let dossiers = copies_that_matter(
        dossiers,
        input.as_of,
        window.start,
        pipeline,
        input.winners_only,
    )?;
    crate::memory::trace("hồ sơ liên quan");
    // The list shows no log of the copies dropped: only the rows kept are decided. The 766
    // rules keep withdrawn dossiers (a withdrawal ends a dossier); the lists follow the
    // pipeline's practice.
    let all = if input.winners_only {
        kinds::dossier::rules::kept_of_winners(
            dossiers,
            WithdrawnPractice::ResolvedOnTime,
            input.n_files,
        )?
    } else {
        kinds::dossier::rules::kept(dossiers, WithdrawnPractice::ResolvedOnTime, input.n_files)?
    };
    let dossiers = kinds::dossier::rules::counted(all.clone(), pipeline.withdrawn, input.n_files)?;
    crate::memory::trace("một bản ghi mỗi hồ sơ");
    let pakn = kinds::pakn::rules::apply(pakn, input.n_files)?;
    let self_report = kinds::self_report::rules::apply(take(&kinds::self_report::SelfReport)?)?;
    crate::memory::trace("áp dụng quy tắc");
    let tables = Tables {
        pipeline,
        dossiers: &dossiers,
        pakn: &pakn.frame,
        self_report: &self_report.frame,
        as_of: input.as_of,
        days: input.days,
        task_days: input.task_days,
    };
    let mut alerts = lists(&tables)?;
    // The satisfaction survey does not enter 2.1: the list does not read it.
    let satisfaction = kinds::satisfaction::rules::apply(
        kinds::satisfaction::Satisfaction.empty_frame()?,
        &all,
        input.n_files,
    )?;
    let (config, _) = Index766Config::load_for(&pipeline.path)?;
    let facts = Facts::of_ruled(
        pipeline,
        &config,
        all,
        &satisfaction.frame,
        pakn.frame.clone(),
        &self_report.frame,
    )?;
    let progress = {
        let due_soon: HashSet<&str> = alerts
            .units
            .iter()
            .flat_map(|u| u.due_soon.iter().map(|d| d.dossier_id.as_str()))
            .collect();
        facts.progress_if_late(&window, &due_soon)?
    };
    let mut progress: HashMap<(Level, String), ProgressAtStake> = progress
        .into_iter()
        .map(|p| ((p.level, p.unit.clone()), p))
        .collect();
    for u in &mut alerts.units {
        u.progress_766 = progress.remove(&(u.level, u.unit.clone()));
    }
    crate::memory::trace("điểm 766");
    alerts.latest_export_date = latest_export_date;
    alerts.stale = match latest_export_date {
        Some(d) => pipeline.calendar.working_days_after(d, input.as_of) > input.stale_after,
        None => true,
    };
    alerts.stale_after = input.stale_after;
    alerts.quarantined_rows = input.quarantined_rows;
    Ok(alerts)
}

fn lists(input: &Tables) -> Result<Alerts> {
    let pipeline = input.pipeline;
    let cal = &pipeline.calendar;
    let as_of = input.as_of;
    let horizon = cal.add_working_days(as_of, input.days);
    let task_horizon = cal.add_working_days(as_of, input.task_days);
    let period = Period::quarter_of(as_of, pipeline.period_rule)?.until(as_of);
    // Rows are grouped by unit as they come (a city's list has hundreds of thousands), the
    // units put in their order once.
    let mut units: BTreeMap<Level, HashMap<String, UnitAlerts>> = BTreeMap::new();
    fn unit_of<'m>(
        units: &'m mut BTreeMap<Level, HashMap<String, UnitAlerts>>,
        level: Level,
        unit: &str,
    ) -> &'m mut UnitAlerts {
        let of_level = units.entry(level).or_default();
        if !of_level.contains_key(unit) {
            of_level.insert(unit.to_string(), UnitAlerts::new(level, unit));
        }
        of_level.get_mut(unit).expect("just inserted")
    }
    let dossiers = dossier_lists(input, &period, horizon)?;
    crate::memory::trace("danh sách hồ sơ");
    let officer_column = dossiers.officer_column;
    for (level, unit, list) in dossiers.rows {
        let u = unit_of(&mut units, level, &unit);
        match list {
            Listed::DueSoon(d) => u.due_soon.push(d),
            Listed::Overdue(d) => u.overdue.push(d),
            Listed::Supplement(d) => u.supplement.push(d),
            Listed::Apology(a) => u.apology.push(a),
        }
    }
    for (level, unit, p) in pakn_list(input)? {
        unit_of(&mut units, level, &unit).pakn.push(p);
    }
    for (unit, t) in task_list(input, &period, task_horizon)? {
        let level = pipeline
            .units
            .find(&unit)
            .map(|u| u.level)
            .unwrap_or(Level::Huyen);
        unit_of(&mut units, level, &unit).tasks.push(t);
    }
    crate::memory::trace("PAKN, nhiệm vụ");
    let counts = counts_so_far(input.dossiers, &period)?;
    crate::memory::trace("mẫu 06 đến nay");
    let flag = pipeline.flags.on_time.as_deref();
    let units: BTreeMap<(Level, SortKey, String), UnitAlerts> = units
        .into_values()
        .flat_map(HashMap::into_values)
        .map(|u| ((u.level, SortKey::new(&u.unit), u.unit.clone()), u))
        .collect();
    let mut out: Vec<UnitAlerts> = units.into_values().filter(|u| !u.is_empty()).collect();
    for u in &mut out {
        sort_unit(u);
        let total = counts
            .iter()
            .filter(|r| r.0 == u.level && r.1 == u.unit)
            .fold(Counts::default(), |mut acc, r| {
                acc.add(&r.3);
                acc
            });
        let general = flag.and_then(|id| general_threshold(&pipeline.targets, id));
        u.stake
            .push(Stake::of(None, &total, u.due_soon.len() as u64, general));
        let mut fields: Vec<&str> = u.due_soon.iter().map(|d| d.field.as_str()).collect();
        fields.sort_by_cached_key(|f| SortKey::new(f));
        fields.dedup();
        for f in fields {
            let c = counts
                .iter()
                .find(|r| r.0 == u.level && r.1 == u.unit && r.2 == f)
                .map(|r| r.3)
                .unwrap_or_default();
            let n = u.due_soon.iter().filter(|d| d.field == f).count() as u64;
            let t = flag.and_then(|id| threshold_for_row(pipeline, id, &u.unit, f));
            u.stake.push(Stake::of(Some(f.to_string()), &c, n, t));
        }
        u.officers = officers(u);
    }
    out.sort_by(|a, b| {
        b.overdue_items()
            .cmp(&a.overdue_items())
            .then(b.due_soon.len().cmp(&a.due_soon.len()))
            .then(a.level.cmp(&b.level))
            .then_with(|| SortKey::new(&a.unit).cmp(&SortKey::new(&b.unit)))
    });
    Ok(Alerts {
        as_of,
        days: input.days,
        horizon,
        task_days: input.task_days,
        task_horizon,
        period,
        window_766: window_766(as_of),
        latest_export_date: None,
        stale_after: 0,
        stale: false,
        officer_column,
        units: out,
        missing_calendar_years: cal.missing_years(),
        quarantined_rows: 0,
    })
}

/// The 766 window of a day's list: the calendar quarter that holds it (the portal's quarter,
/// whatever the report's period rule), from its first day to the day itself — the points so
/// far, judged as the portal judges a window that ended that day.
pub fn window_766(as_of: NaiveDate) -> Window {
    Window {
        end: as_of,
        ..Window::quarter_ending_in(as_of)
    }
}

/// The dossier copies the list can depend on: every copy of a code one of whose copies was
/// received by `as_of` and had not ended before the report period or the 766 window
/// (`window_start`) began, whichever is first. Any other code's winning copy (the rules keep
/// one per code) ended before both or was received after `as_of`, so it is in no list, no rate
/// of the period so far and no 766 figure; leaving such codes out before the rules run spares a
/// city's year of dossiers most of the deduplication. With `one_per_code` (the store's table of
/// winners) each code has one row: the rows that matter themselves.
pub fn copies_that_matter(
    frame: DataFrame,
    as_of: NaiveDate,
    window_start: NaiveDate,
    pipeline: &Pipeline,
    one_per_code: bool,
) -> Result<DataFrame> {
    let start = day_number(
        Period::quarter_of(as_of, pipeline.period_rule)?
            .start
            .min(window_start),
    );
    let day = day_number(as_of);
    let (codes, received, completed) = (
        frame.column("dossier_id")?.str()?,
        frame.column("received")?.i32()?,
        frame.column("completed")?.i32()?,
    );
    let matters = |r: Option<i32>, c: Option<i32>| {
        r.is_some_and(|r| r <= day) && c.is_none_or(|c| c >= start)
    };
    if one_per_code {
        let mask: BooleanChunked = received
            .iter()
            .zip(completed.iter())
            .map(|(r, c)| Some(matters(r, c)))
            .collect();
        return Ok(frame.filter(&mask.with_name("keep".into()))?);
    }
    // The columns are walked in step (a table from the store is one chunk per part: looking
    // a row up by its number would search the chunks each time).
    let mut wanted: HashSet<&str, foldhash::fast::FixedState> =
        HashSet::with_hasher(foldhash::fast::FixedState::default());
    for ((code, r), c) in codes.iter().zip(received.iter()).zip(completed.iter()) {
        if matters(r, c) {
            wanted.insert(code.unwrap_or(""));
        }
    }
    let mask: BooleanChunked = codes
        .iter()
        .map(|c| Some(wanted.contains(c.unwrap_or(""))))
        .collect();
    let mask = mask.with_name("keep".into());
    Ok(frame.filter(&mask)?)
}

/// A dossier row's place in the lists.
enum Listed {
    DueSoon(DossierAlert),
    Overdue(DossierAlert),
    Supplement(DossierAlert),
    Apology(ApologyOwed),
}

struct DossierLists {
    rows: Vec<(Level, String, Listed)>,
    officer_column: bool,
}

fn level_of(code: Option<&str>) -> Level {
    if code == Some("xa") {
        Level::Xa
    } else {
        Level::Huyen
    }
}

/// The dossiers of the lists: pending on `as_of` (received by then, not ended by then) and due
/// soon or overdue, and those owed an apology.
fn dossier_lists(input: &Tables, period: &Period, horizon: NaiveDate) -> Result<DossierLists> {
    let cal = &input.pipeline.calendar;
    let as_of = input.as_of;
    let day = lit(day_number(as_of));
    let (ended_late, overdue) = late_predicates(period);
    let completed = col("completed");
    let pending = col("received")
        .lt_eq(day.clone())
        .and(completed.clone().is_null().or(completed.gt(day.clone())))
        .fill_null(lit(false));
    let due_soon = pending
        .clone()
        .and(col("due").gt_eq(day.clone()))
        .and(col("due").lt_eq(lit(day_number(horizon))))
        .fill_null(lit(false));
    let supplement = pending
        .and(col("due").lt(day))
        .and(col("status").eq(lit(Status::Supplement.code())))
        .fill_null(lit(false));
    let df = input
        .dossiers
        .select([
            "dossier_id",
            "level",
            "unit",
            "field",
            "procedure",
            "received",
            "due",
            "completed",
            "status",
            "apology",
            "officer",
        ])?
        .lazy()
        .with_columns([
            due_soon.alias("_soon"),
            overdue.alias("_overdue"),
            supplement.alias("_supplement"),
            ended_late.alias("_ended_late"),
        ])
        .filter(
            col("_soon")
                .or(col("_overdue"))
                .or(col("_supplement"))
                .or(col("_ended_late")),
        )
        .collect()?;
    let s = |n: &str| -> Result<StringChunked> { Ok(df.column(n)?.str()?.clone()) };
    let i = |n: &str| -> Result<Int32Chunked> { Ok(df.column(n)?.i32()?.clone()) };
    let b = |n: &str| -> Result<BooleanChunked> { Ok(df.column(n)?.bool()?.clone()) };
    let (ids, levels, units, fields, procs, statuses, officers) = (
        s("dossier_id")?,
        s("level")?,
        s("unit")?,
        s("field")?,
        s("procedure")?,
        s("status")?,
        s("officer")?,
    );
    let (received, dues, completes) = (i("received")?, i("due")?, i("completed")?);
    let (soon, late, supp, ended) = (
        b("_soon")?,
        b("_overdue")?,
        b("_supplement")?,
        b("_ended_late")?,
    );
    let apology = b("apology")?;
    let mut rows = Vec::new();
    let mut officer_column = false;
    for k in 0..df.height() {
        let due = from_day_number(dues.get(k).unwrap_or(0));
        let completed = completes.get(k).map(from_day_number);
        let officer = officers.get(k).map(str::to_string);
        officer_column |= officer.is_some();
        let state = match completed {
            Some(c) if c > as_of => DossierState::EndedLater(c),
            _ => DossierState::Open(Status::from_code(statuses.get(k).unwrap_or(""))),
        };
        let alert = || DossierAlert {
            dossier_id: ids.get(k).unwrap_or("").to_string(),
            procedure: procs.get(k).map(str::to_string),
            field: fields.get(k).unwrap_or("").to_string(),
            received: from_day_number(received.get(k).unwrap_or(0)),
            due,
            working_days_left: cal.working_days_after(as_of, due),
            days_overdue: (as_of - due).num_days().max(0),
            state,
            officer: officer.clone(),
        };
        let owed = |reason: ApologyReason| ApologyOwed {
            dossier_id: ids.get(k).unwrap_or("").to_string(),
            procedure: procs.get(k).map(str::to_string),
            field: fields.get(k).unwrap_or("").to_string(),
            due,
            completed: completed.filter(|_| reason == ApologyReason::EndedLate),
            reason,
            column: apology.get(k).is_some(),
            officer: officer.clone(),
        };
        let level = level_of(levels.get(k));
        let unit = units.get(k).unwrap_or("").to_string();
        let apology_given = apology.get(k) == Some(true);
        if soon.get(k) == Some(true) {
            rows.push((level, unit.clone(), Listed::DueSoon(alert())));
        }
        if late.get(k) == Some(true) {
            rows.push((level, unit.clone(), Listed::Overdue(alert())));
            if !apology_given {
                rows.push((
                    level,
                    unit.clone(),
                    Listed::Apology(owed(ApologyReason::Overdue)),
                ));
            }
        }
        if supp.get(k) == Some(true) {
            rows.push((level, unit.clone(), Listed::Supplement(alert())));
        }
        if ended.get(k) == Some(true) && !apology_given {
            rows.push((level, unit, Listed::Apology(owed(ApologyReason::EndedLate))));
        }
    }
    Ok(DossierLists {
        rows,
        officer_column,
    })
}

/// PAKN pending on `as_of` (received by then, not closed by then) whose answer limit is at most
/// the horizon's working days away, or past.
fn pakn_list(input: &Tables) -> Result<Vec<(Level, String, PaknAlert)>> {
    let cal = &input.pipeline.calendar;
    let limit = crate::kinds::pakn::config(input.pipeline).deadlines.answer;
    let as_of = day_number(input.as_of);
    let frame = input.pakn;
    let col = |n: &str| frame.column(n);
    let (code, level, unit, field, status) = (
        col("code")?.str()?,
        col("level")?.str()?,
        col("unit")?.str()?,
        col("field")?.str()?,
        col("status")?.str()?,
    );
    let (received, closed) = (col("received")?.i32()?, col("closed")?.i32()?);
    let mut memo = crate::config::calendar::DueMemo::default();
    let mut out = Vec::new();
    for i in 0..frame.height() {
        let st = PaknStatus::from_code(status.get(i).unwrap_or(""));
        // A status the vocabulary does not know says nothing of whether it is closed (the
        // data-quality workbook of `run` lists it); withdrawn PAKN count nowhere.
        if matches!(st, PaknStatus::Unknown | PaknStatus::Withdrawn) {
            continue;
        }
        let Some(r) = received.get(i).filter(|r| *r <= as_of) else {
            continue;
        };
        if closed
            .get(i)
            .filter(|_| st.is_closed())
            .is_some_and(|c| c <= as_of)
        {
            continue;
        }
        // A closed status with no date: closed, when is not known; not pending.
        if st.is_closed() && closed.get(i).is_none() {
            continue;
        }
        let due = memo.due(cal, from_day_number(r), limit);
        let overdue = due < input.as_of;
        let working_days = if overdue {
            cal.working_days_after(due, input.as_of)
        } else {
            cal.working_days_after(input.as_of, due)
        };
        if !overdue && working_days > input.days {
            continue;
        }
        out.push((
            level_of(level.get(i)),
            unit.get(i).unwrap_or("").to_string(),
            PaknAlert {
                code: code.get(i).unwrap_or("").to_string(),
                field: field.get(i).unwrap_or("").to_string(),
                received: from_day_number(r),
                due,
                working_days,
                overdue,
            },
        ));
    }
    Ok(out)
}

/// The plan's tasks due by the task horizon (by their deadline rule, over the report period
/// up to it) that a lead unit has not finished, by the forms returned by `as_of`: one entry
/// per such lead unit.
fn task_list(
    input: &Tables,
    period: &Period,
    task_horizon: NaiveDate,
) -> Result<Vec<(String, TaskAlert)>> {
    let pipeline = input.pipeline;
    let cal = &pipeline.calendar;
    // The latest form each unit returned by `as_of` within the year is its last word.
    let year = Period::parse(&format!("{}-Y", period.year), pipeline.period_rule)?;
    let answers = crate::kinds::self_report::figures::task_answers(
        input.self_report,
        &year.until(input.as_of),
        &pipeline.units,
        crate::tasks::plan(pipeline),
    )?;
    let window = period.until(task_horizon);
    let figures = crate::tasks::task_figures(pipeline, &window, &answers.answers, &answers.units);
    let mut out = Vec::new();
    for row in &figures.rows {
        let (Some(due), true) = (row.due, row.is_due) else {
            continue;
        };
        // A task due every quarter is this quarter's: the last quarter's end belongs to the
        // last report.
        if row.progress == Progress::Done
            || (row.rule == crate::tasks::Rule::EachQuarter && due < period.start)
        {
            continue;
        }
        let task = &crate::tasks::plan(pipeline).tasks[row.index];
        for lead in &row.leads {
            let progress = lead.progress(row.rule);
            if progress == Progress::Done {
                continue;
            }
            out.push((
                lead.unit.clone(),
                TaskAlert {
                    number: row.number.clone(),
                    task: task.task.clone(),
                    deadline_text: task.deadline_text.clone(),
                    due,
                    overdue: due < input.as_of,
                    working_days_left: cal.working_days_after(input.as_of, due),
                    lead_text: task.lead_text.clone(),
                    lead_units: row.lead_units().iter().map(|u| u.to_string()).collect(),
                    status: lead.status,
                    progress,
                },
            ));
        }
    }
    Ok(out)
}

/// Form 06 of the report period so far, per (level, unit, field).
fn counts_so_far(
    frame: &DataFrame,
    period: &Period,
) -> Result<Vec<(Level, String, String, Counts)>> {
    let n_files = frame
        .column("file")?
        .u32()?
        .max()
        .map(|m| m as usize + 1)
        .unwrap_or(0);
    Ok(form06(frame, period, n_files)?
        .rows
        .into_iter()
        .map(|r| (r.level, r.unit, r.field, r.counts))
        .collect())
}

fn sort_unit(u: &mut UnitAlerts) {
    u.due_soon.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.dossier_id.cmp(&b.dossier_id))
    });
    for list in [&mut u.overdue, &mut u.supplement] {
        list.sort_by(|a, b| {
            a.due
                .cmp(&b.due)
                .then_with(|| a.dossier_id.cmp(&b.dossier_id))
        });
    }
    u.apology.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.dossier_id.cmp(&b.dossier_id))
    });
    u.pakn.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(a.due.cmp(&b.due))
            .then_with(|| a.code.cmp(&b.code))
    });
    u.tasks
        .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.number.cmp(&b.number)));
}

fn officers(u: &UnitAlerts) -> Vec<OfficerCounts> {
    let mut by: BTreeMap<(SortKey, String), OfficerCounts> = BTreeMap::new();
    for (list, which) in [(&u.due_soon, 0), (&u.overdue, 1), (&u.supplement, 2)] {
        for o in list.iter().filter_map(|d| d.officer.as_deref()) {
            let slot = by
                .entry((SortKey::new(o), o.to_string()))
                .or_insert_with(|| OfficerCounts {
                    officer: o.to_string(),
                    ..OfficerCounts::default()
                });
            match which {
                0 => slot.due_soon += 1,
                1 => slot.overdue += 1,
                _ => slot.supplement += 1,
            }
        }
    }
    by.into_values().collect()
}

/// The latest received, completed or closed date in the dossier and PAKN tables.
fn latest_date(dossiers: &DataFrame, pakn: &DataFrame) -> Result<Option<NaiveDate>> {
    let mut latest: Option<i32> = None;
    for (frame, cols) in [
        (dossiers, ["received", "completed"]),
        (pakn, ["received", "closed"]),
    ] {
        for c in cols {
            if let Some(m) = frame.column(c)?.i32()?.max() {
                latest = Some(latest.map_or(m, |l| l.max(m)));
            }
        }
    }
    Ok(latest.map(from_day_number))
}

//! One dossier's life (received, due, completed, returned, or withdrawn), drawn
//! from a stream seeded by (seed, unit, day), and what an export taken at a
//! given moment shows of it. Because the stream depends only on (unit, day),
//! any file can regenerate exactly the dossiers another file holds: that is how
//! re-exports and district lists that repeat commune dossiers are made without
//! holding everything in memory.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::catalog::{self, Channel, Level, Procedure, Status, UNITS};
use super::rng::{derive, SplitMix64};

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        && !catalog::HOLIDAYS
            .iter()
            .any(|&(y, m, dd)| d.year() == y && d.month() == m && d.day() == dd)
}

/// Working days in [from, to).
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    let mut cur = from;
    while cur < to {
        n += u32::from(is_working_day(cur));
        cur += Duration::days(1);
    }
    n
}

/// `n` working days after `d` (n = 0: `d` itself, or the next working day
/// when `d` is not one).
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut cur = d;
    while !is_working_day(cur) {
        cur += Duration::days(1);
    }
    let mut left = n;
    while left > 0 {
        cur += Duration::days(1);
        if is_working_day(cur) {
            left -= 1;
        }
    }
    cur
}

fn at(d: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, s).expect("valid time"))
}

/// Office-hours time of day, seconds resolution.
fn office_time(rng: &mut SplitMix64, d: NaiveDate) -> NaiveDateTime {
    let morning = rng.chance(0.6);
    let (from, to) = if morning {
        (7 * 3600 + 30 * 60, 11 * 3600 + 30 * 60)
    } else {
        (13 * 3600 + 30 * 60, 17 * 3600)
    };
    let s = rng.range(from, to) as u32;
    at(d, s / 3600, s / 60 % 60, s % 60)
}

#[derive(Clone, Debug)]
pub enum Outcome {
    /// Result ready at `at`; `late` when on a later day than due.
    Completed {
        at: NaiveDateTime,
        returned: Option<NaiveDateTime>,
        refused: bool,
    },
    /// Withdrawn at the applicant's request; `show_end` when the system
    /// fills the end-of-processing date with the withdrawal date.
    Withdrawn { at: NaiveDateTime, show_end: bool },
}

#[derive(Clone, Debug)]
pub struct Dossier {
    pub unit: usize,
    pub code: String,
    pub proc: &'static Procedure,
    pub applicant: String,
    pub address: String,
    pub phone: String,
    pub received: NaiveDateTime,
    pub due: Option<NaiveDateTime>,
    pub outcome: Outcome,
    /// Days during which the dossier waits for the applicant's documents.
    pub supplement: Option<(NaiveDate, NaiveDate)>,
    pub channel: Channel,
    /// Whether an apology letter is (or will be) sent when late.
    pub apology: bool,
    pub digitized_dossier: bool,
    pub digitized_result: bool,
    pub fee: u32,
    pub epaid: bool,
    pub note: Option<&'static str>,
    /// A stable per-dossier random number for file-level choices (which
    /// spelling, which subset) that must not depend on the file.
    pub salt: u64,
}

/// Prefix of dossier codes: the district's one-stop shop for all offices,
/// one per commune.
pub fn code_prefix(unit: usize) -> String {
    if UNITS[unit].level == Level::Huyen {
        "000.00.20.H29".to_string()
    } else {
        format!("000.{:02}.20.H29", unit - catalog::FIRST_COMMUNE + 1)
    }
}

fn applicant(rng: &mut SplitMix64, field: &str) -> String {
    let company = matches!(
        field,
        "Đầu tư"
            | "Lưu thông hàng hóa trong nước"
            | "An toàn thực phẩm và dinh dưỡng"
            | "Môi trường"
    ) && rng.chance(0.7);
    if company {
        return format!(
            "{} {}",
            rng.pick(catalog::COMPANY_KIND),
            rng.pick(catalog::COMPANY_NAME)
        );
    }
    let fam = rng.pick(catalog::FAMILY);
    if rng.chance(0.5) {
        format!(
            "{fam} {} {}",
            rng.pick(catalog::MIDDLE_M),
            rng.pick(catalog::GIVEN_M)
        )
    } else {
        format!(
            "{fam} {} {}",
            rng.pick(catalog::MIDDLE_F),
            rng.pick(catalog::GIVEN_F)
        )
    }
}

/// Mean dossiers per working day for the whole district → for one unit on one day.
fn day_mean(unit: usize, d: NaiveDate, per_workday: f64) -> f64 {
    let base = per_workday * UNITS[unit].weight;
    if !is_working_day(d) {
        // Saturday mornings at some desks, online submissions on other days off.
        match d.weekday() {
            Weekday::Sat => base * 0.08,
            _ => base * 0.02,
        }
    } else {
        // A little seasonality: more before Tết and at month starts.
        let bump = if d.month() == 1 { 1.15 } else { 1.0 };
        base * bump
    }
}

/// All dossiers received by `unit` on day `d`, sorted by reception time, codes
/// numbered in that order.
pub fn day_dossiers(seed: u64, unit: usize, d: NaiveDate, per_workday: f64) -> Vec<Dossier> {
    let day_no = d.num_days_from_ce() as u64;
    let mut rng = SplitMix64::new(derive(seed, &[1, unit as u64, day_no]));
    let n = rng.count(day_mean(unit, d, per_workday));
    let mut out: Vec<Dossier> = (0..n).map(|_| one(&mut rng, unit, d)).collect();
    out.sort_by_key(|x| x.received);
    let prefix = code_prefix(unit);
    let yymmdd = format!("{:02}{:02}{:02}", d.year() % 100, d.month(), d.day());
    let level = UNITS[unit].level;
    for (k, x) in out.iter_mut().enumerate() {
        // District offices share one sequence per day: interleave them.
        let seq = if level == Level::Huyen {
            k * catalog::FIRST_COMMUNE + unit + 1
        } else {
            k + 1
        };
        x.code = format!("{prefix}-{yymmdd}-{seq:04}");
    }
    out
}

fn one(rng: &mut SplitMix64, unit: usize, d: NaiveDate) -> Dossier {
    let u = &UNITS[unit];
    let fi = rng.weighted_index(u.fields.iter().map(|f| f.1));
    let field = u.fields[fi].0;
    let procs = catalog::procedures(field, u.level);
    assert!(
        !procs.is_empty(),
        "no procedure for {field} at {:?}",
        u.level
    );
    let proc = procs[rng.weighted_index(procs.iter().map(|p| p.weight))];

    let working = is_working_day(d);
    let channel = if !working || rng.chance(catalog::online_rate(field)) {
        Channel::Online
    } else if rng.chance(0.035) {
        Channel::Postal
    } else {
        Channel::Direct
    };
    // Online submissions too are received (accepted) by an officer in office hours.
    let received = office_time(rng, d);
    let late = rng.chance(catalog::late_rate(field));
    let withdrawn = rng.chance(0.008);
    let refused = !withdrawn && rng.chance(0.005);
    // Some dossiers wait for the applicant's documents; the clock stops and
    // the appointment moves by the pause.
    let supplement = match proc.days {
        Some(n) if n >= 3 && rng.chance(0.10) => {
            let s = add_working_days(d, rng.range(1, 2) as u32);
            Some((s, s + Duration::days(rng.range(3, 25))))
        }
        _ => None,
    };
    let pause = supplement.map_or(0, |(s, e)| working_days_between(s, e));
    let due_day = proc.days.map(|n| add_working_days(d, n + pause));
    let due = due_day.map(|x| at(x, 17, 0, 0));
    let mut done_day = match (proc.days, due_day) {
        (Some(n), Some(due_day)) => {
            if late {
                add_working_days(due_day, rng.range(1, 8) as u32)
            } else if n == 0 || rng.chance(0.25) {
                due_day
            } else {
                // Early: most dossiers finish well ahead of the appointment.
                let k = (rng.f64() * rng.f64() * n as f64) as u32;
                add_working_days(d, k.min(n - 1))
            }
        }
        _ => add_working_days(d, rng.range(0, 20) as u32),
    };
    if let (Some((_, e)), Some(due_day)) = (supplement, due_day) {
        done_day = done_day.max(add_working_days(e, 1).min(due_day));
    }
    let mut done = office_time(rng, done_day);
    if done < received {
        done = received + Duration::minutes(rng.range(10, 90));
    }
    let outcome = if withdrawn {
        let k = rng.range(0, i64::from(proc.days.unwrap_or(3).max(1)));
        let w = office_time(rng, add_working_days(d, k as u32));
        Outcome::Withdrawn {
            at: w.max(received + Duration::minutes(30)),
            show_end: rng.chance(0.5),
        }
    } else {
        let returned = if rng.chance(0.9) {
            let k = if rng.chance(0.45) { 0 } else { rng.range(1, 6) };
            let r = office_time(rng, add_working_days(done_day, k as u32));
            Some(r.max(done + Duration::minutes(5)))
        } else {
            None
        };
        Outcome::Completed {
            at: done,
            returned,
            refused,
        }
    };
    let fee = if proc.fee > 0 && proc.code == "2.000815" {
        proc.fee * rng.range(1, 12) as u32
    } else {
        proc.fee
    };
    let epaid = fee > 0
        && rng.chance(if channel == Channel::Online {
            0.65
        } else {
            0.15
        });
    let district = u.level == Level::Huyen;
    let street = rng.pick(catalog::STREETS);
    let address = format!(
        "{} {}, ấp {}, huyện Hóc Môn",
        rng.range(1, 250),
        street,
        rng.range(1, 8)
    );
    let phone = format!(
        "09{}{} {:03} {:03}",
        rng.range(0, 9),
        rng.range(0, 9),
        rng.range(0, 999),
        rng.range(0, 999)
    );
    Dossier {
        unit,
        code: String::new(),
        proc,
        applicant: applicant(rng, field),
        address,
        phone,
        received,
        due,
        outcome,
        supplement,
        channel,
        apology: rng.chance(0.9),
        digitized_dossier: rng.chance(if district { 0.74 } else { 0.63 }),
        digitized_result: rng.chance(if district { 0.70 } else { 0.60 }),
        fee,
        epaid,
        note: rng.chance(0.12).then(|| *rng.pick(catalog::NOTES)),
        salt: rng.next_u64(),
    }
}

/// What an export taken at `as_of` shows of a dossier.
#[derive(Clone, Debug)]
pub struct View {
    pub status: Status,
    pub completed: Option<NaiveDateTime>,
    pub returned: Option<NaiveDateTime>,
    /// Completed after its due day, or still open past it.
    pub late: bool,
    pub resolved: bool,
}

impl Dossier {
    pub fn field(&self) -> &'static str {
        self.proc.field
    }

    pub fn view(&self, as_of: NaiveDateTime) -> View {
        let due_day = self.due.map(|x| x.date());
        match &self.outcome {
            Outcome::Withdrawn { at, show_end } if *at <= as_of => View {
                status: Status::Withdrawn,
                completed: show_end.then_some(*at),
                returned: None,
                late: false,
                resolved: false,
            },
            Outcome::Completed {
                at,
                returned,
                refused,
            } if *at <= as_of => {
                let returned = returned.filter(|r| *r <= as_of);
                let status = if *refused {
                    Status::Refused
                } else if returned.is_some() {
                    Status::Returned
                } else {
                    Status::ResultReady
                };
                View {
                    status,
                    completed: Some(*at),
                    returned,
                    late: due_day.is_some_and(|d| at.date() > d),
                    resolved: true,
                }
            }
            _ => {
                let today = as_of.date();
                let status = if self
                    .supplement
                    .is_some_and(|(s, e)| s <= today && today < e)
                {
                    Status::Supplement
                } else if as_of - self.received < Duration::hours(20) && self.salt.is_multiple_of(2)
                {
                    Status::Received
                } else {
                    Status::Processing
                };
                View {
                    status,
                    completed: None,
                    returned: None,
                    late: due_day.is_some_and(|d| d < today),
                    resolved: false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_tet() {
        // Friday + 1 working day = Monday.
        assert_eq!(add_working_days(d(2024, 1, 5), 1), d(2024, 1, 8));
        // Saturday + 0 = Monday.
        assert_eq!(add_working_days(d(2024, 1, 6), 0), d(2024, 1, 8));
        // Tết 2024: 8–14 Feb off.
        assert_eq!(add_working_days(d(2024, 2, 7), 1), d(2024, 2, 15));
    }

    #[test]
    fn rates_look_like_the_district() {
        let (mut n, mut done, mut late, mut withdrawn, mut online, mut no_due) = (0, 0, 0, 0, 0, 0);
        let end = at(d(2025, 6, 30), 0, 0, 0);
        let mut day = d(2023, 10, 1);
        while day <= d(2024, 3, 25) {
            for unit in 0..UNITS.len() {
                for x in day_dossiers(1, unit, day, 32.0) {
                    n += 1;
                    let v = x.view(end);
                    done += usize::from(v.resolved);
                    late += usize::from(v.resolved && v.late);
                    withdrawn += usize::from(v.status == Status::Withdrawn);
                    online += usize::from(x.channel == Channel::Online);
                    no_due += usize::from(x.due.is_none());
                }
            }
            day += Duration::days(1);
        }
        let pct = |a: usize, b: usize| a as f64 * 100.0 / b as f64;
        assert!((3_000..5_000).contains(&n), "{n} dossiers");
        assert!(
            (0.8..3.0).contains(&pct(late, done)),
            "late {}%",
            pct(late, done)
        );
        assert!(
            (0.3..1.5).contains(&pct(withdrawn, n)),
            "withdrawn {}%",
            pct(withdrawn, n)
        );
        assert!(
            (20.0..50.0).contains(&pct(online, n)),
            "online {}%",
            pct(online, n)
        );
        assert!(no_due > 0, "some procedures have no appointment");
    }

    #[test]
    fn days_are_reproducible_and_consistent() {
        let a = day_dossiers(5, 14, d(2024, 1, 9), 400.0);
        let b = day_dossiers(5, 14, d(2024, 1, 9), 400.0);
        assert!(!a.is_empty());
        assert_eq!(
            a.iter().map(|x| &x.code).collect::<Vec<_>>(),
            b.iter().map(|x| &x.code).collect::<Vec<_>>()
        );
        assert!(a[0].code.starts_with("000.03.20.H29-240109-0001"));
        let late = at(d(2024, 12, 31), 0, 0, 0);
        for x in &a {
            let v = x.view(late);
            if let Some(c) = v.completed {
                assert!(c >= x.received, "{x:?}");
            }
            if let Some(r) = v.returned {
                assert!(r >= v.completed.unwrap());
            }
            assert!(x.due.is_none_or(|due| due.date() >= x.received.date()));
        }
    }
}

//! The working-day calendar (`pipelines/calendar.toml`): Monday to Friday, minus the official
//! days off, plus the official make-up days, one entry per year. Deadlines counted in working
//! days (PAKN, pakn.md §2) use it; a year it does not hold is counted with weekends only, and
//! every such year a run touches is named in a warning — never guessed silently.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

/// `calendar.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    /// One entry per year.
    #[serde(default)]
    years: Vec<YearEntry>,
}

/// One year of the calendar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    /// The year.
    year: i32,
    /// Every day off that falls on a weekday (holidays, days in lieu, swapped days).
    days_off: Vec<NaiveDate>,
    /// Weekend days that are working days.
    #[serde(default)]
    make_up: Vec<NaiveDate>,
    /// What announced it.
    #[allow(dead_code)]
    #[serde(default)]
    source: String,
}

/// The working-day calendar, resolved.
#[derive(Debug, Default)]
pub struct Calendar {
    years: HashSet<i32>,
    off: HashSet<NaiveDate>,
    make_up: HashSet<NaiveDate>,
    /// Years asked about that the calendar does not hold.
    missing: Mutex<BTreeSet<i32>>,
}

impl Calendar {
    /// Reads and checks a calendar file: days off on weekdays of their year, make-up days on
    /// weekends of their year, no year twice.
    pub fn load(path: &Path) -> Result<Calendar> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được lịch ngày làm việc {}", path.display()))?;
        let file: CalendarFile = super::errors::parse_toml(&text)
            .with_context(|| format!("lịch ngày làm việc {} không hợp lệ", path.display()))?;
        let mut cal = Calendar::default();
        for y in file.years {
            if !cal.years.insert(y.year) {
                bail!("lịch ngày làm việc: năm {} được khai báo hai lần", y.year);
            }
            for d in &y.days_off {
                if d.year() != y.year || is_weekend(*d) {
                    bail!(
                        "lịch ngày làm việc năm {}: ngày nghỉ {} phải là một ngày thứ Hai – thứ Sáu của năm đó",
                        y.year,
                        d.format("%d/%m/%Y")
                    );
                }
                cal.off.insert(*d);
            }
            for d in &y.make_up {
                if d.year() != y.year || !is_weekend(*d) {
                    bail!(
                        "lịch ngày làm việc năm {}: ngày làm bù {} phải là thứ Bảy hoặc Chủ nhật của năm đó",
                        y.year,
                        d.format("%d/%m/%Y")
                    );
                }
                cal.make_up.insert(*d);
            }
        }
        Ok(cal)
    }

    /// Whether a day is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if !self.years.contains(&d.year()) {
            self.missing.lock().expect("calendar lock").insert(d.year());
        }
        if self.make_up.contains(&d) {
            return true;
        }
        !is_weekend(d) && !self.off.contains(&d)
    }

    /// The day a limit of `n` working days after `from` is reached (`from` is day 0, whatever
    /// day it is).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in (from, to]; 0 when `to` ≤ `from`.
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// The years asked about that the calendar does not hold, counted with weekends only.
    pub fn missing_years(&self) -> Vec<i32> {
        self.missing
            .lock()
            .expect("calendar lock")
            .iter()
            .copied()
            .collect()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A memo of due dates: the same received dates recur on every row.
#[derive(Default)]
pub struct DueMemo(HashMap<(NaiveDate, u32), NaiveDate>);

impl DueMemo {
    /// [`Calendar::add_working_days`], each (day, limit) once.
    pub fn due(&mut self, cal: &Calendar, from: NaiveDate, n: u32) -> NaiveDate {
        *self
            .0
            .entry((from, n))
            .or_insert_with(|| cal.add_working_days(from, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Calendar {
        Calendar::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/calendar.toml"
        )))
        .unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counts_working_days_across_tet_and_a_make_up_saturday() {
        let c = shipped();
        // Received Wed 7/2/2024, Tết 8–14/2: day 1 is Thu 15/2, 15 working days end Wed 6/3.
        assert_eq!(c.add_working_days(d(2024, 2, 7), 1), d(2024, 2, 15));
        assert_eq!(c.add_working_days(d(2024, 2, 7), 15), d(2024, 3, 6));
        // Sat 4/5/2024 is a working day; Mon 29/4 – Wed 1/5 are days off.
        assert!(c.is_working_day(d(2024, 5, 4)));
        assert!(!c.is_working_day(d(2024, 4, 29)));
        assert_eq!(c.add_working_days(d(2024, 4, 26), 1), d(2024, 5, 2));
        assert_eq!(c.add_working_days(d(2024, 4, 26), 3), d(2024, 5, 4));
        // A Saturday received date is day 0.
        assert_eq!(c.add_working_days(d(2024, 1, 6), 1), d(2024, 1, 8));
        assert_eq!(c.working_days_after(d(2024, 1, 26), d(2024, 1, 29)), 1);
        assert!(c.missing_years().is_empty());
    }

    #[test]
    fn names_a_year_it_does_not_hold() {
        let c = shipped();
        assert!(c.is_working_day(d(2030, 1, 2)));
        assert_eq!(c.missing_years(), vec![2030]);
    }
}

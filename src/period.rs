//! Reporting periods: which calendar days a quarter, half-year, nine months or year covers.
//!
//! The statutory cut-off of Nghị định 09/2019/NĐ-CP (`nd09`) shifts every period half a month
//! earlier than the calendar; districts that report on calendar quarters choose `calendar`.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a period id maps to calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodRule {
    /// Nghị định 09/2019: from the 15th of the month before to the 14th of the last month.
    Nd09,
    /// Calendar months.
    Calendar,
}

impl PeriodRule {
    /// The name used in the submission file.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodRule::Nd09 => "nd09",
            PeriodRule::Calendar => "calendar",
        }
    }
}

/// The kind of a period id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// `2024-Q1` … `2024-Q4`.
    Quarter(u32),
    /// `2024-H1`: the first six months.
    Half,
    /// `2024-M9`: the first nine months.
    NineMonths,
    /// `2024-Y`: the whole year.
    Year,
}

/// A resolved reporting period: both bounds are included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The id as given, e.g. `2024-Q1`.
    pub id: String,
    /// The year of the period.
    pub year: i32,
    /// Quarter, half, nine months or year.
    pub kind: PeriodKind,
    /// The rule that mapped the id to days.
    pub rule: PeriodRule,
    /// First day, included.
    pub start: NaiveDate,
    /// Last day, included.
    pub end: NaiveDate,
}

impl Period {
    /// Parses `2024-Q1`, `2024-H1`, `2024-M9` or `2024-Y` under a rule.
    pub fn parse(id: &str, rule: PeriodRule) -> Result<Period> {
        let id = id.trim();
        let Some((year, rest)) = id.split_once('-') else {
            bail!("kỳ báo cáo «{id}» không hợp lệ: cần dạng 2024-Q1 … 2024-Q4, 2024-H1, 2024-M9 hoặc 2024-Y");
        };
        let year: i32 = match year.parse() {
            Ok(y) if (1990..=2100).contains(&y) => y,
            _ => bail!("kỳ báo cáo «{id}»: năm «{year}» không hợp lệ"),
        };
        let (kind, first_month, last_month) = match rest.to_ascii_uppercase().as_str() {
            "Q1" => (PeriodKind::Quarter(1), 1, 3),
            "Q2" => (PeriodKind::Quarter(2), 4, 6),
            "Q3" => (PeriodKind::Quarter(3), 7, 9),
            "Q4" => (PeriodKind::Quarter(4), 10, 12),
            "H1" => (PeriodKind::Half, 1, 6),
            "M9" => (PeriodKind::NineMonths, 1, 9),
            "Y" => (PeriodKind::Year, 1, 12),
            _ => bail!("kỳ báo cáo «{id}» không hợp lệ: cần dạng 2024-Q1 … 2024-Q4, 2024-H1, 2024-M9 hoặc 2024-Y"),
        };
        let (start, end) = match rule {
            PeriodRule::Calendar => (
                ymd(year, first_month, 1),
                last_day_of_month(year, last_month),
            ),
            PeriodRule::Nd09 => {
                let start = if first_month == 1 {
                    ymd(year - 1, 12, 15)
                } else {
                    ymd(year, first_month - 1, 15)
                };
                (start, ymd(year, last_month, 14))
            }
        };
        Ok(Period {
            id: format!("{year}-{}", rest.to_ascii_uppercase()),
            year,
            kind,
            rule,
            start,
            end,
        })
    }

    /// Parses one id, a comma-separated list (`2024-Q1,2024-H1`) or a range of one kind
    /// (`2023-Q1..2024-Q4`, `2022-Y..2024-Y`), in the order given, each period once.
    pub fn parse_list(spec: &str, rule: PeriodRule) -> Result<Vec<Period>> {
        let mut out: Vec<Period> = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let items = match item.split_once("..") {
                None => vec![Period::parse(item, rule)?],
                Some((a, b)) => {
                    let (first, last) = (Period::parse(a, rule)?, Period::parse(b, rule)?);
                    let same_kind = matches!(
                        (first.kind, last.kind),
                        (PeriodKind::Quarter(_), PeriodKind::Quarter(_))
                            | (PeriodKind::Half, PeriodKind::Half)
                            | (PeriodKind::NineMonths, PeriodKind::NineMonths)
                            | (PeriodKind::Year, PeriodKind::Year)
                    );
                    if !same_kind || first.start > last.start {
                        bail!("khoảng kỳ «{item}» không hợp lệ: hai đầu phải cùng loại (quý, 6 tháng, 9 tháng hoặc năm) và đầu trước không sau đầu sau");
                    }
                    let mut v = vec![first.clone()];
                    let mut p = first;
                    while p.id != last.id {
                        p = p
                            .next()
                            .expect("the last period is valid, so every one before it is");
                        v.push(p.clone());
                    }
                    v
                }
            };
            for p in items {
                if !out.iter().any(|o| o.id == p.id) {
                    out.push(p);
                }
            }
        }
        if out.is_empty() {
            bail!("chưa nêu kỳ báo cáo nào");
        }
        Ok(out)
    }

    /// The period after: the next quarter for a quarter, the same span a year later otherwise.
    pub fn next(&self) -> Option<Period> {
        let id = match self.kind {
            PeriodKind::Quarter(4) => format!("{}-Q1", self.year + 1),
            PeriodKind::Quarter(q) => format!("{}-Q{}", self.year, q + 1),
            PeriodKind::Half => format!("{}-H1", self.year + 1),
            PeriodKind::NineMonths => format!("{}-M9", self.year + 1),
            PeriodKind::Year => format!("{}-Y", self.year + 1),
        };
        Period::parse(&id, self.rule).ok()
    }

    /// The period before: the previous quarter for a quarter, the same span a year earlier
    /// otherwise.
    pub fn previous(&self) -> Option<Period> {
        let id = match self.kind {
            PeriodKind::Quarter(1) => format!("{}-Q4", self.year - 1),
            PeriodKind::Quarter(q) => format!("{}-Q{}", self.year, q - 1),
            PeriodKind::Half => format!("{}-H1", self.year - 1),
            PeriodKind::NineMonths => format!("{}-M9", self.year - 1),
            PeriodKind::Year => format!("{}-Y", self.year - 1),
        };
        Period::parse(&id, self.rule).ok()
    }

    /// The quarter a day falls in under a rule (under `nd09`, 20/12/2023 is in 2024-Q1).
    pub fn quarter_of(day: NaiveDate, rule: PeriodRule) -> Result<Period> {
        for year in [day.year(), day.year() + 1] {
            for q in 1..=4 {
                let p = Period::parse(&format!("{year}-Q{q}"), rule)?;
                if p.start <= day && day <= p.end {
                    return Ok(p);
                }
            }
        }
        bail!("ngày {} không thuộc quý nào", day.format("%d/%m/%Y"))
    }

    /// The same period cut short at a day (the period so far): its id and kind kept.
    pub fn until(&self, day: NaiveDate) -> Period {
        Period {
            end: day,
            ..self.clone()
        }
    }

    /// The Vietnamese name of the period: "quý I năm 2024", "6 tháng đầu năm 2024" …
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(q) => {
                let roman = ["I", "II", "III", "IV"][(q - 1) as usize];
                format!("quý {roman} năm {}", self.year)
            }
            PeriodKind::Half => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::NineMonths => format!("9 tháng năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        }
    }
}

/// A calendar window the national portal scores (index766.md §2): an ISO week (`2025-W47`,
/// Monday to Sunday), a month (`2025-11`), a calendar quarter (`2025-Q4`) or a year (`2025`,
/// `2025-Y`). Unlike a report [`Period`], it never follows the ND 09 cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The id, normalized: `2025-W47`, `2025-11`, `2025-Q4`, `2025`.
    pub id: String,
    /// First day, included.
    pub start: NaiveDate,
    /// Last day, included.
    pub end: NaiveDate,
    /// Week, month, quarter or year.
    #[serde(skip)]
    pub kind: WindowKind,
}

/// The kind of a [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// ISO week.
    Week,
    /// Month.
    Month,
    /// Calendar quarter.
    Quarter,
    /// Calendar year.
    Year,
    /// The first six months of a year (the window of a report `2024-H1`).
    Half,
    /// The first nine months of a year (the window of a report `2024-M9`).
    NineMonths,
}

const WINDOW_FORMS: &str =
    "cần dạng 2025-W47 (tuần), 2025-11 (tháng), 2025-Q4 (quý) hoặc 2025 (năm)";

impl Window {
    /// Parses `2025-W47`, `2025-11`, `2025-Q4`, `2025` or `2025-Y`.
    pub fn parse(id: &str) -> Result<Window> {
        let id = id.trim();
        let bad = || anyhow::anyhow!("kỳ «{id}» không hợp lệ: {WINDOW_FORMS}");
        let (year, rest) = match id.split_once('-') {
            Some((y, r)) => (y, r.to_ascii_uppercase()),
            None => (id, "Y".to_string()),
        };
        let year: i32 = match year.parse() {
            Ok(y) if (1990..=2100).contains(&y) => y,
            _ => return Err(bad()),
        };
        if let Some(w) = rest.strip_prefix('W') {
            let week: u32 = w.parse().map_err(|_| bad())?;
            let start =
                NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon).ok_or_else(|| {
                    anyhow::anyhow!(
                        "kỳ «{id}»: năm {year} không có tuần {week} (tuần ISO 1 đến 52 hoặc 53)"
                    )
                })?;
            return Ok(Window {
                id: format!("{year}-W{week:02}"),
                start,
                end: start + chrono::Duration::days(6),
                kind: WindowKind::Week,
            });
        }
        if let Some(q) = rest.strip_prefix('Q') {
            let p =
                Period::parse(&format!("{year}-Q{q}"), PeriodRule::Calendar).map_err(|_| bad())?;
            return Ok(Window {
                id: p.id,
                start: p.start,
                end: p.end,
                kind: WindowKind::Quarter,
            });
        }
        if rest == "Y" {
            return Ok(Window {
                id: year.to_string(),
                start: ymd(year, 1, 1),
                end: ymd(year, 12, 31),
                kind: WindowKind::Year,
            });
        }
        match rest.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) && !rest.starts_with('+') => Ok(Window {
                id: format!("{year}-{m:02}"),
                start: ymd(year, m, 1),
                end: last_day_of_month(year, m),
                kind: WindowKind::Month,
            }),
            _ => Err(bad()),
        }
    }

    /// Parses one window, a comma-separated list, or a range of one kind (`2025-W01..2025-W52`,
    /// `2025-01..2025-12`), in the order given, each once.
    pub fn parse_list(spec: &str) -> Result<Vec<Window>> {
        let mut out: Vec<Window> = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let items = match item.split_once("..") {
                None => vec![Window::parse(item)?],
                Some((a, b)) => {
                    let (first, last) = (Window::parse(a)?, Window::parse(b)?);
                    if first.kind != last.kind || first.start > last.start {
                        bail!("khoảng kỳ «{item}» không hợp lệ: hai đầu phải cùng loại (tuần, tháng, quý hoặc năm) và đầu trước không sau đầu sau");
                    }
                    let mut v = vec![first];
                    while v.last().is_some_and(|w| w.id != last.id) {
                        let next = v.last().expect("not empty").next();
                        v.push(next);
                    }
                    v
                }
            };
            for w in items {
                if !out.iter().any(|o| o.id == w.id) {
                    out.push(w);
                }
            }
        }
        if out.is_empty() {
            bail!("chưa nêu kỳ nào: {WINDOW_FORMS}");
        }
        Ok(out)
    }

    /// The window of the same kind that follows.
    pub fn next(&self) -> Window {
        let day = self.end + chrono::Duration::days(1);
        let id = match self.kind {
            WindowKind::Week => {
                let w = day.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            WindowKind::Month => format!("{}-{:02}", day.year(), day.month()),
            WindowKind::Quarter => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
            WindowKind::Year => day.year().to_string(),
            WindowKind::Half | WindowKind::NineMonths => {
                let kind = if self.kind == WindowKind::Half {
                    PeriodKind::Half
                } else {
                    PeriodKind::NineMonths
                };
                return Window::of_report(&Period {
                    year: self.start.year() + 1,
                    kind,
                    ..self.as_period()
                });
            }
        };
        Window::parse(&id).expect("the day after a window starts a valid window")
    }

    /// The calendar window a report period's id names, whatever the period's rule: `2024-Q1`
    /// is 01/01–31/03/2024, `2024-H1` 01/01–30/06, `2024-M9` 01/01–30/09, `2024-Y` the year
    /// (the 766 figures of `cchc run`).
    pub fn of_report(period: &Period) -> Window {
        let year = period.year;
        match period.kind {
            PeriodKind::Quarter(q) => Window::parse(&format!("{year}-Q{q}"))
                .expect("a report quarter is a calendar quarter"),
            PeriodKind::Year => Window::parse(&year.to_string()).expect("a report year is valid"),
            PeriodKind::Half => Window {
                id: format!("{year}-H1"),
                start: ymd(year, 1, 1),
                end: last_day_of_month(year, 6),
                kind: WindowKind::Half,
            },
            PeriodKind::NineMonths => Window {
                id: format!("{year}-M9"),
                start: ymd(year, 1, 1),
                end: last_day_of_month(year, 9),
                kind: WindowKind::NineMonths,
            },
        }
    }

    /// The calendar quarter that ends in the month of a day (the 766 window of a quarterly
    /// report whose period ends that day).
    pub fn quarter_ending_in(day: NaiveDate) -> Window {
        Window::parse(&format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1))
            .expect("a quarter of a valid day")
    }

    /// The window as a report [`Period`] over the same days (for the shared figures, which
    /// read only its bounds): its id is the window's, its kind that of a year.
    pub fn as_period(&self) -> Period {
        Period {
            id: self.id.clone(),
            year: self.end.year(),
            kind: PeriodKind::Year,
            rule: PeriodRule::Calendar,
            start: self.start,
            end: self.end,
        }
    }

    /// The Vietnamese name: "tuần 47 năm 2025", "tháng 11 năm 2025", "quý IV năm 2025",
    /// "năm 2025".
    pub fn label(&self) -> String {
        match self.kind {
            WindowKind::Week => format!(
                "tuần {} năm {}",
                self.start.iso_week().week(),
                self.start.iso_week().year()
            ),
            WindowKind::Month => format!("tháng {} năm {}", self.start.month(), self.start.year()),
            WindowKind::Quarter => {
                let q = (self.start.month() - 1) / 3;
                format!(
                    "quý {} năm {}",
                    ["I", "II", "III", "IV"][q as usize],
                    self.start.year()
                )
            }
            WindowKind::Year => format!("năm {}", self.start.year()),
            // The report period's own words ("6 tháng đầu năm 2024", "9 tháng năm 2024").
            WindowKind::Half | WindowKind::NineMonths => {
                Period::parse(&self.id, PeriodRule::Calendar)
                    .expect("a half or nine-month window keeps its report id")
                    .label()
            }
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("period bounds are valid dates")
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let next = if m == 12 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, m + 1, 1)
    };
    next.pred_opt().expect("a month has a last day")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(id: &str, rule: PeriodRule) -> (String, String) {
        let p = Period::parse(id, rule).unwrap();
        (p.start.to_string(), p.end.to_string())
    }

    #[test]
    fn maps_nd09_ids_to_their_days() {
        let b = |id| bounds(id, PeriodRule::Nd09);
        assert_eq!(b("2024-Q1"), ("2023-12-15".into(), "2024-03-14".into()));
        assert_eq!(b("2024-Q2"), ("2024-03-15".into(), "2024-06-14".into()));
        assert_eq!(b("2024-Q3"), ("2024-06-15".into(), "2024-09-14".into()));
        assert_eq!(b("2024-Q4"), ("2024-09-15".into(), "2024-12-14".into()));
        assert_eq!(b("2024-H1"), ("2023-12-15".into(), "2024-06-14".into()));
        assert_eq!(b("2024-M9"), ("2023-12-15".into(), "2024-09-14".into()));
        assert_eq!(b("2024-Y"), ("2023-12-15".into(), "2024-12-14".into()));
    }

    #[test]
    fn a_report_period_names_its_calendar_window_whatever_its_rule() {
        let w = |id| {
            let w = Window::of_report(&Period::parse(id, PeriodRule::Nd09).unwrap());
            (
                w.id.clone(),
                w.start.to_string(),
                w.end.to_string(),
                w.label(),
            )
        };
        assert_eq!(
            w("2024-Q1"),
            (
                "2024-Q1".into(),
                "2024-01-01".into(),
                "2024-03-31".into(),
                "quý I năm 2024".into()
            )
        );
        assert_eq!(
            w("2024-H1"),
            (
                "2024-H1".into(),
                "2024-01-01".into(),
                "2024-06-30".into(),
                "6 tháng đầu năm 2024".into()
            )
        );
        assert_eq!(
            w("2024-M9"),
            (
                "2024-M9".into(),
                "2024-01-01".into(),
                "2024-09-30".into(),
                "9 tháng năm 2024".into()
            )
        );
        assert_eq!(
            w("2024-Y"),
            (
                "2024".into(),
                "2024-01-01".into(),
                "2024-12-31".into(),
                "năm 2024".into()
            )
        );
        let h = Window::of_report(&Period::parse("2024-H1", PeriodRule::Nd09).unwrap());
        assert_eq!(h.next().id, "2025-H1");
    }

    #[test]
    fn maps_calendar_ids_to_their_days() {
        let b = |id| bounds(id, PeriodRule::Calendar);
        assert_eq!(b("2024-Q1"), ("2024-01-01".into(), "2024-03-31".into()));
        assert_eq!(b("2024-Q4"), ("2024-10-01".into(), "2024-12-31".into()));
        assert_eq!(b("2024-H1"), ("2024-01-01".into(), "2024-06-30".into()));
        assert_eq!(b("2024-Y"), ("2024-01-01".into(), "2024-12-31".into()));
    }

    #[test]
    fn refuses_unknown_ids_in_vietnamese() {
        let e = Period::parse("2024-Q5", PeriodRule::Nd09).unwrap_err();
        assert!(e.to_string().contains("kỳ báo cáo «2024-Q5» không hợp lệ"));
    }

    #[test]
    fn expands_lists_and_ranges_of_periods() {
        let ids = |s| {
            Period::parse_list(s, PeriodRule::Nd09)
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids("2023-Q3..2024-Q2"),
            ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
        );
        assert_eq!(ids("2024-Q1, 2024-H1,2024-Q1"), ["2024-Q1", "2024-H1"]);
        assert_eq!(ids("2022-Y..2024-Y"), ["2022-Y", "2023-Y", "2024-Y"]);
        assert_eq!(ids("2023-Q1..2024-Q4").len(), 8);
        assert!(Period::parse_list("2024-Q2..2024-Q1", PeriodRule::Nd09).is_err());
        assert!(Period::parse_list("2024-Q1..2024-Y", PeriodRule::Nd09).is_err());
    }

    #[test]
    fn knows_the_period_before() {
        let p = |id| {
            Period::parse(id, PeriodRule::Nd09)
                .unwrap()
                .previous()
                .unwrap()
                .id
        };
        assert_eq!(p("2024-Q1"), "2023-Q4");
        assert_eq!(p("2024-Q3"), "2024-Q2");
        assert_eq!(p("2024-H1"), "2023-H1");
        assert!(Period::parse("1990-Q1", PeriodRule::Nd09)
            .unwrap()
            .previous()
            .is_none());
    }

    #[test]
    fn names_periods_in_vietnamese() {
        assert_eq!(
            Period::parse("2024-Q1", PeriodRule::Nd09).unwrap().label(),
            "quý I năm 2024"
        );
    }

    #[test]
    fn parses_calendar_windows_of_the_portal() {
        let b = |id: &str| {
            let w = Window::parse(id).unwrap();
            (w.id, w.start.to_string(), w.end.to_string())
        };
        assert_eq!(
            b("2025-W47"),
            ("2025-W47".into(), "2025-11-17".into(), "2025-11-23".into())
        );
        assert_eq!(
            b("2026-w1"),
            ("2026-W01".into(), "2025-12-29".into(), "2026-01-04".into())
        );
        assert_eq!(
            b("2025-11"),
            ("2025-11".into(), "2025-11-01".into(), "2025-11-30".into())
        );
        assert_eq!(
            b("2024-02"),
            ("2024-02".into(), "2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(
            b("2025-Q4"),
            ("2025-Q4".into(), "2025-10-01".into(), "2025-12-31".into())
        );
        assert_eq!(
            b("2025"),
            ("2025".into(), "2025-01-01".into(), "2025-12-31".into())
        );
        assert_eq!(
            b("2025-Y"),
            ("2025".into(), "2025-01-01".into(), "2025-12-31".into())
        );
        let e = Window::parse("2025-W54").unwrap_err().to_string();
        assert!(e.contains("không có tuần 54"), "{e}");
        assert!(Window::parse("2025-13").is_err());
        // The 766 window of a quarterly report: the calendar quarter of its last month.
        let q = Window::quarter_ending_in(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap());
        assert_eq!(
            (q.id.as_str(), q.start.to_string()),
            ("2024-Q1", "2024-01-01".to_string())
        );
        assert_eq!(
            Window::parse("2025-W47").unwrap().label(),
            "tuần 47 năm 2025"
        );
        assert!(Window::parse("2025-H1").is_err());
    }

    #[test]
    fn expands_ranges_of_windows_across_years() {
        let ids = |s| {
            Window::parse_list(s)
                .unwrap()
                .into_iter()
                .map(|w| w.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids("2025-W52..2026-W02"),
            ["2025-W52", "2026-W01", "2026-W02"]
        );
        assert_eq!(ids("2020-W52..2020-W53"), ["2020-W52", "2020-W53"]);
        assert_eq!(ids("2025-W01..2025-W52").len(), 52);
        assert_eq!(ids("2025-11..2026-01"), ["2025-11", "2025-12", "2026-01"]);
        assert_eq!(
            ids("2025-Q3..2025-Q4,2025-11"),
            ["2025-Q3", "2025-Q4", "2025-11"]
        );
        assert!(Window::parse_list("2025-W03..2025-11").is_err());
        assert!(Window::parse_list("2025-W03..2025-W01").is_err());
    }
}

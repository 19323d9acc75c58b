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
}

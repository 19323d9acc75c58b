//! "Thời gian hoàn thành" → a deadline rule. The words of rules without a date ("Thường xuyên",
//! "Hàng quý", "Khi có …") come from `plan-import.toml`; the forms with a date — a year, a quarter
//! ("Quý I/2025", "Quý I năm 2024"), six or nine months, a month ("Tháng 3/2024"), a day
//! ("31/3/2024", "ngày 31 tháng 3 năm 2024") — are read here as dates are elsewhere. A text read
//! only in part (words left over, a year other than the plan's) or not at all gets a reason for
//! a person to check it; one not read at all is taken as due within the plan's year.

use chrono::NaiveDate;

use super::vocabulary::Deadlines;
use crate::tasks::Rule;
use crate::text::match_key;

/// A deadline as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The rule.
    pub rule: Rule,
    /// Its `due` (a day or a period id) for `date` and `by_period`.
    pub due: Option<String>,
    /// Why a person should check it, when the reading is not sure.
    pub check: Option<String>,
}

impl Reading {
    fn sure(rule: Rule, due: Option<String>) -> Reading {
        Reading {
            rule,
            due,
            check: None,
        }
    }
}

/// The years (1990–2100) a text writes.
pub fn years_in(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect()
}

/// Reads a deadline text for a plan of `year`.
pub fn read(text: &str, year: i32, words: &Deadlines) -> Reading {
    let key = match_key(text)
        .trim_end_matches(['.', ';', ','])
        .trim()
        .to_string();
    if key.is_empty() {
        return Reading {
            rule: Rule::YearEnd,
            due: None,
            check: Some("ô «Thời gian hoàn thành» trống: tạm tính hạn cuối năm".into()),
        };
    }
    let plain = [
        (&words.continuous, Rule::Continuous),
        (&words.each_quarter, Rule::EachQuarter),
    ];
    for (list, rule) in plain {
        for w in list {
            let w = match_key(w);
            if key == w {
                return Reading::sure(rule, None);
            }
            if let Some(rest) = key.strip_prefix(&w).filter(|r| r.starts_with([' ', ','])) {
                return Reading {
                    rule,
                    due: None,
                    check: Some(format!(
                        "đọc là «{}», còn thêm chữ «{}»",
                        rule_words(rule),
                        rest.trim_start_matches([' ', ',']).trim()
                    )),
                };
            }
        }
    }
    let opens = |list: &[String]| {
        list.iter()
            .map(|w| match_key(w))
            .any(|w| key == w || key.starts_with(&format!("{w} ")))
    };
    if opens(&words.on_event) {
        return Reading::sure(Rule::OnEvent, None);
    }
    if let Some(reading) = dated(&key, year) {
        return reading;
    }
    if opens(&words.on_event_to_check) {
        return Reading {
            rule: Rule::OnEvent,
            due: None,
            check: Some("đọc là «khi có sự việc» (không bao giờ bị tính chậm)".into()),
        };
    }
    Reading {
        rule: Rule::YearEnd,
        due: None,
        check: Some("không đọc được thời hạn: tạm tính hạn cuối năm của kế hoạch".into()),
    }
}

fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::Continuous => "thường xuyên",
        Rule::EachQuarter => "hàng quý",
        Rule::OnEvent => "khi có sự việc",
        Rule::YearEnd => "trong năm",
        Rule::ByPeriod => "hết kỳ",
        Rule::Date => "ngày",
    }
}

/// A deadline with a date in it: the rule, and the words left after the date.
fn dated(key: &str, plan_year: i32) -> Option<Reading> {
    let spaced = key.replace('/', " / ");
    let all: Vec<&str> = spaced.split_whitespace().collect();
    // Openings that do not change the deadline.
    let mut w: &[&str] = &all;
    for opening in [
        &["hoàn", "thành", "trong"][..],
        &["hoàn", "thành", "trước"],
        &["chậm", "nhất"],
        &["trong"],
        &["trước"],
        &["đến"],
        &["hoàn", "thành"],
    ] {
        if w.starts_with(opening) {
            w = &w[opening.len()..];
            break;
        }
    }
    let year_at =
        |s: &str| -> Option<i32> { s.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y)) };
    // (rule, due, year written, words used)
    let (rule, due, year, used): (Rule, Option<String>, Option<i32>, usize) = match w {
        ["năm", y, ..] if year_at(y).is_some() => (Rule::YearEnd, None, year_at(y), 2),
        ["quý", q, rest @ ..] => {
            let q = quarter(q)?;
            let (y, used) = match rest {
                [sep, y, ..] if matches!(*sep, "năm" | "/" | "-") && year_at(y).is_some() => {
                    (year_at(y), 4)
                }
                [y, ..] if year_at(y).is_some() => (year_at(y), 3),
                _ => (None, 2),
            };
            let y = y.unwrap_or(plan_year);
            (Rule::ByPeriod, Some(format!("{y}-Q{q}")), Some(y), used)
        }
        [n, "tháng", rest @ ..] if matches!(*n, "6" | "06" | "9" | "09") => {
            let (mut used, mut y) = (2, None);
            let mut rest = rest;
            if rest.first() == Some(&"đầu") {
                used += 1;
                rest = &rest[1..];
            }
            if rest.first() == Some(&"năm") {
                used += 1;
                if let Some(v) = rest.get(1).and_then(|s| year_at(s)) {
                    used += 1;
                    y = Some(v);
                }
            }
            let p = if n.ends_with('6') { "H1" } else { "M9" };
            let yy = y.unwrap_or(plan_year);
            (Rule::ByPeriod, Some(format!("{yy}-{p}")), Some(yy), used)
        }
        ["tháng", m, sep, y, ..] if matches!(*sep, "năm" | "/") => {
            let (m, y) = (m.parse::<u32>().ok()?, year_at(y)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let last = first
                .checked_add_months(chrono::Months::new(1))?
                .pred_opt()?;
            (Rule::Date, Some(last.to_string()), Some(y), 4)
        }
        ["ngày", d, "tháng", m, "năm", y, ..] => {
            let day = NaiveDate::from_ymd_opt(year_at(y)?, m.parse().ok()?, d.parse().ok()?)?;
            (Rule::Date, Some(day.to_string()), year_at(y), 6)
        }
        ["ngày", d, "/", m, "/", y, ..] => {
            let day = NaiveDate::from_ymd_opt(year_at(y)?, m.parse().ok()?, d.parse().ok()?)?;
            (Rule::Date, Some(day.to_string()), year_at(y), 6)
        }
        [d, "/", m, "/", y, ..] => {
            let day = NaiveDate::from_ymd_opt(year_at(y)?, m.parse().ok()?, d.parse().ok()?)?;
            (Rule::Date, Some(day.to_string()), year_at(y), 5)
        }
        _ => return None,
    };
    // The words after the ones read.
    let left = w[used.min(w.len())..].join(" ").replace(" / ", "/");
    let mut why = Vec::new();
    if let Some(y) = year.filter(|y| *y != plan_year) {
        why.push(format!("năm {y} khác năm {plan_year} của kế hoạch"));
    }
    if !left.is_empty() {
        why.push(format!("còn thêm chữ «{left}»"));
    }
    let check = (!why.is_empty()).then(|| {
        format!(
            "đọc là «{}{}»: {}",
            rule_words(rule),
            due.as_deref().map(|d| format!(" {d}")).unwrap_or_default(),
            why.join("; ")
        )
    });
    Some(Reading { rule, due, check })
}

fn quarter(q: &str) -> Option<u32> {
    match q {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Deadlines {
        let v: super::super::vocabulary::Vocabulary =
            toml::from_str(super::super::vocabulary::SHIPPED).unwrap();
        v.deadlines
    }

    fn r(text: &str) -> Reading {
        read(text, 2025, &words())
    }

    fn sure(rule: Rule, due: Option<&str>) -> Reading {
        Reading::sure(rule, due.map(str::to_string))
    }

    #[test]
    fn within_the_plan_year_is_due_at_its_end() {
        assert_eq!(r("Trong năm 2025"), sure(Rule::YearEnd, None));
        assert_eq!(r("Năm 2025"), sure(Rule::YearEnd, None));
    }

    #[test]
    fn a_quarter_is_due_at_its_end() {
        assert_eq!(r("Quý I/2025"), sure(Rule::ByPeriod, Some("2025-Q1")));
        assert_eq!(
            r("Trong Quý II năm 2025"),
            sure(Rule::ByPeriod, Some("2025-Q2"))
        );
        assert_eq!(r("Quý IV"), sure(Rule::ByPeriod, Some("2025-Q4")));
    }

    #[test]
    fn every_quarter_continuous_and_on_event() {
        assert_eq!(r("Hàng quý"), sure(Rule::EachQuarter, None));
        assert_eq!(r("Thường xuyên"), sure(Rule::Continuous, None));
        assert_eq!(
            r("Khi có phát sinh, thay đổi nhân sự"),
            sure(Rule::OnEvent, None)
        );
    }

    #[test]
    fn half_year_and_nine_months() {
        assert_eq!(
            r("6 tháng đầu năm 2025"),
            sure(Rule::ByPeriod, Some("2025-H1"))
        );
        assert_eq!(r("9 tháng đầu năm"), sure(Rule::ByPeriod, Some("2025-M9")));
    }

    #[test]
    fn a_month_is_due_on_its_last_day_and_a_day_on_itself() {
        assert_eq!(r("Tháng 2/2025"), sure(Rule::Date, Some("2025-02-28")));
        assert_eq!(
            r("Trước ngày 31/3/2025"),
            sure(Rule::Date, Some("2025-03-31"))
        );
        assert_eq!(r("15/07/2025"), sure(Rule::Date, Some("2025-07-15")));
        assert_eq!(
            r("ngày 30 tháng 6 năm 2025"),
            sure(Rule::Date, Some("2025-06-30"))
        );
    }

    #[test]
    fn a_loose_reading_is_marked_for_a_person() {
        let extra = r("Trong năm 2025 và các năm tiếp theo");
        assert_eq!((extra.rule, extra.due.as_deref()), (Rule::YearEnd, None));
        assert!(
            extra
                .check
                .as_deref()
                .unwrap()
                .contains("còn thêm chữ «và các năm tiếp theo»"),
            "{extra:?}"
        );
        let other_year = r("Quý I năm 2024");
        assert_eq!(other_year.due.as_deref(), Some("2024-Q1"));
        assert!(other_year.check.unwrap().contains("năm 2024 khác năm 2025"));
        let after = r("Sau khi Thành phố công bố Chỉ số CCHC");
        assert_eq!(after.rule, Rule::OnEvent);
        assert!(after.check.is_some());
        let asked = r("Theo yêu cầu của Ủy ban nhân dân huyện");
        assert_eq!(asked.rule, Rule::OnEvent);
        assert!(asked.check.is_some());
        let nothing = r("Sớm nhất có thể");
        assert_eq!(nothing.rule, Rule::YearEnd);
        assert!(nothing.check.unwrap().contains("không đọc được thời hạn"));
    }
}

//! Dates as exports write them: real spreadsheet dates, serial numbers, and the text forms of
//! tthc-rules §6. Day comes before month in every text form except ISO; anything ambiguous or
//! impossible is refused with a reason, never guessed.

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::Cell;

/// What a date cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// Nothing.
    Empty,
    /// A calendar date (a date-time counts on its calendar day).
    Date(NaiveDate),
    /// Not a usable date; the reason, in Vietnamese.
    Invalid(String),
}

/// The years a date of any record may fall in (tthc-rules §2): anything earlier or later, from any
/// cell type, is a typing slip, a time without a date or a placeholder, never a date to count.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

pub use crate::ingest::FORMULA_WITHOUT_VALUE;

/// Day zero of spreadsheet serial numbers (Excel's 1900 system, as calamine reads it).
fn day_zero() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN)
}

/// A spreadsheet serial number as a date, when it names a day of [`YEARS`].
fn serial_to_date(n: f64) -> Option<NaiveDate> {
    // 1990-01-01 is serial 32 874 and 2100-12-31 is 73 415: checked on the date itself.
    if !n.is_finite() || !(1.0..100_000.0).contains(&n) {
        return None;
    }
    let d = day_zero().checked_add_signed(Duration::days(n.floor() as i64))?;
    YEARS.contains(&d.year()).then_some(d)
}

fn years_text() -> String {
    format!("{}–{}", YEARS.start(), YEARS.end())
}

/// A date held to [`YEARS`]; `shown` is the value as the file shows it.
fn plausible(date: NaiveDate, shown: impl FnOnce() -> String) -> DateValue {
    if YEARS.contains(&date.year()) {
        DateValue::Date(date)
    } else {
        DateValue::Invalid(format!(
            "«{}» có năm {} nằm ngoài khoảng năm hợp lý {} nên không được coi là một ngày",
            shown(),
            date.year(),
            years_text()
        ))
    }
}

/// Reads a date cell.
pub fn parse_date_cell(cell: &Cell) -> DateValue {
    match cell {
        Cell::Empty => DateValue::Empty,
        Cell::DateTime(dt) => {
            // A time-only cell (17:00) is a date-time on day zero (30 or 31/12/1899, 1900-01-00).
            if dt.date() <= day_zero().succ_opt().unwrap_or(NaiveDate::MIN)
                && dt.time() != chrono::NaiveTime::MIN
            {
                return DateValue::Invalid(format!(
                    "«{}» chỉ có giờ, không có ngày",
                    dt.format("%H:%M")
                ));
            }
            plausible(dt.date(), || cell.as_text())
        }
        Cell::Number(n) => {
            if *n > 0.0 && *n < 1.0 {
                return DateValue::Invalid(format!("số {n} chỉ là giờ trong ngày, không có ngày"));
            }
            match serial_to_date(*n) {
                Some(d) => DateValue::Date(d),
                None => DateValue::Invalid(format!(
                    "số {n} không phải ngày hợp lệ (ngày phải thuộc các năm {})",
                    years_text()
                )),
            }
        }
        Cell::Text(s) => parse_date_text(s),
        Cell::Formula(_) => DateValue::Invalid(FORMULA_WITHOUT_VALUE.to_string()),
        Cell::Bool(_) | Cell::Error(_) => {
            DateValue::Invalid(format!("«{}» không phải ngày", cell.as_text()))
        }
    }
}

fn valid_time(t: &str) -> bool {
    let mut parts = t.split(':');
    let (Some(hours), Some(minutes), seconds, None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let num = |s: &str, max: u32| {
        let whole = s.split('.').next().unwrap_or("");
        !whole.is_empty()
            && whole.len() <= 2
            && whole.chars().all(|c| c.is_ascii_digit())
            && whole.parse::<u32>().is_ok_and(|v| v < max)
    };
    num(hours, 24) && num(minutes, 60) && seconds.is_none_or(|s| num(s, 61))
}

/// Reads a date written as text.
pub fn parse_date_text(raw: &str) -> DateValue {
    let s = raw.trim();
    if s.is_empty() {
        return DateValue::Empty;
    }
    let invalid = |why: &str| DateValue::Invalid(format!("«{s}» {why}"));
    // A serial number written as text (CSV copies of a spreadsheet).
    if s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
    {
        if let Ok(n) = s.parse::<f64>() {
            if let Some(d) = serial_to_date(n) {
                return DateValue::Date(d);
            }
        }
    }
    // Read without a copy unless an ISO `T` must become a space: columns of dates are long.
    let s_iso = if s.contains('T') {
        std::borrow::Cow::Owned(s.replacen('T', " ", 1))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let mut date_token = None;
    let mut time_tokens = 0;
    for t in s_iso.split_whitespace() {
        if t.contains(':') {
            if !valid_time(t) {
                return invalid("có giờ không hợp lệ");
            }
            time_tokens += 1;
        } else if date_token.replace(t).is_some() {
            return invalid("không phải một ngày (dạng dd/mm/yyyy)");
        }
    }
    let Some(d) = date_token else {
        return invalid("không có ngày");
    };
    if time_tokens > 1 {
        return invalid("không phải một ngày (dạng dd/mm/yyyy)");
    }
    let mut split = d.split(['/', '-', '.']);
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let parts = match (split.next(), split.next(), split.next(), split.next()) {
        (Some(a), Some(b), Some(c), None) if [a, b, c].into_iter().all(digits) => [a, b, c],
        _ => return invalid("không phải ngày theo dạng dd/mm/yyyy hoặc yyyy-mm-dd"),
    };
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, day) = if parts[0].len() == 4 {
        (
            parts[0].parse::<i32>().unwrap_or(0),
            n(parts[1]),
            n(parts[2]),
        )
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (
            parts[2].parse::<i32>().unwrap_or(0),
            n(parts[1]),
            n(parts[0]),
        )
    } else {
        return invalid("có năm không đủ bốn chữ số nên không rõ ngày nào");
    };
    match NaiveDate::from_ymd_opt(y, m, day) {
        Some(date) => plausible(date, || s.to_string()),
        None => invalid("là ngày không tồn tại"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> DateValue {
        DateValue::Date(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    #[test]
    fn reads_every_text_form_day_first() {
        assert_eq!(parse_date_text("05/03/2024"), d(2024, 3, 5));
        assert_eq!(parse_date_text("5/3/2024"), d(2024, 3, 5));
        assert_eq!(parse_date_text("05/03/2024 16:45"), d(2024, 3, 5));
        assert_eq!(parse_date_text("05/03/2024 16:45:09"), d(2024, 3, 5));
        assert_eq!(parse_date_text("08:30 05/03/2024"), d(2024, 3, 5));
        assert_eq!(parse_date_text("05-03-2024"), d(2024, 3, 5));
        assert_eq!(parse_date_text("2024-03-05"), d(2024, 3, 5));
        assert_eq!(parse_date_text("2024-03-05 23:59:59"), d(2024, 3, 5));
        assert_eq!(parse_date_text("2024-03-05T07:00:00"), d(2024, 3, 5));
    }

    #[test]
    fn reads_serial_numbers() {
        assert_eq!(parse_date_cell(&Cell::Number(45356.0)), d(2024, 3, 5));
        assert_eq!(parse_date_cell(&Cell::Number(45356.75)), d(2024, 3, 5));
        assert_eq!(parse_date_text("45356"), d(2024, 3, 5));
    }

    #[test]
    fn refuses_numbers_that_cannot_be_dates_of_a_dossier() {
        assert!(
            matches!(parse_date_cell(&Cell::Number(15.0)), DateValue::Invalid(m) if m.contains("15"))
        );
        assert!(matches!(
            parse_date_cell(&Cell::Number(1_000_000.0)),
            DateValue::Invalid(_)
        ));
    }

    #[test]
    fn refuses_impossible_and_ambiguous_dates() {
        assert!(
            matches!(parse_date_text("31/02/2024"), DateValue::Invalid(m) if m.contains("không tồn tại"))
        );
        assert!(
            matches!(parse_date_text("03/04/24"), DateValue::Invalid(m) if m.contains("bốn chữ số"))
        );
        assert!(matches!(parse_date_text("ngày mai"), DateValue::Invalid(_)));
        assert!(matches!(
            parse_date_text("05/03/2024 25:00"),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_date_text("13/13/2024"),
            DateValue::Invalid(_)
        ));
    }

    fn invalid_naming(v: DateValue, what: &str) -> bool {
        matches!(v, DateValue::Invalid(m) if m.contains(what))
    }

    #[test]
    fn refuses_dates_outside_the_plausible_years_from_every_cell_type() {
        let at = |y, m, d, h| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        // A date-formatted 0, a time-only cell, 1900-01-01, a real date in 1899 and in 2101.
        assert!(invalid_naming(
            parse_date_cell(&Cell::DateTime(at(1899, 12, 31, 0))),
            "«31/12/1899» có năm 1899"
        ));
        assert!(invalid_naming(
            parse_date_cell(&Cell::DateTime(at(1899, 12, 31, 17))),
            "«17:00» chỉ có giờ"
        ));
        assert!(invalid_naming(
            parse_date_cell(&Cell::DateTime(at(1899, 12, 30, 17))),
            "«17:00» chỉ có giờ"
        ));
        assert!(invalid_naming(
            parse_date_cell(&Cell::DateTime(at(1900, 1, 1, 0))),
            "«01/01/1900» có năm 1900"
        ));
        assert!(invalid_naming(
            parse_date_cell(&Cell::DateTime(at(2101, 1, 1, 0))),
            "năm 2101"
        ));
        assert!(invalid_naming(parse_date_cell(&Cell::Number(0.0)), "số 0"));
        assert!(invalid_naming(
            parse_date_cell(&Cell::Number(0.5)),
            "số 0.5 chỉ là giờ"
        ));
        assert!(invalid_naming(parse_date_cell(&Cell::Number(1.0)), "số 1"));
        assert!(invalid_naming(
            parse_date_text("05/01/0024"),
            "«05/01/0024» có năm 24 nằm ngoài khoảng năm hợp lý 1990–2100"
        ));
        assert!(invalid_naming(parse_date_text("1900-01-01"), "năm 1900"));
        assert!(invalid_naming(parse_date_text("17:00"), "«17:00»"));
        assert!(invalid_naming(parse_date_text("0"), "«0»"));
        // The edges are dates.
        assert_eq!(parse_date_text("01/01/1990"), d(1990, 1, 1));
        assert_eq!(parse_date_text("31/12/2100"), d(2100, 12, 31));
        assert_eq!(parse_date_cell(&Cell::Number(32874.0)), d(1990, 1, 1));
        assert_eq!(parse_date_cell(&Cell::Number(73415.0)), d(2100, 12, 31));
        assert!(matches!(
            parse_date_cell(&Cell::Number(32873.0)),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_date_cell(&Cell::Number(73416.0)),
            DateValue::Invalid(_)
        ));
    }

    #[test]
    fn refuses_formulas_without_values() {
        assert_eq!(
            parse_date_cell(&Cell::Formula("TODAY()".into())),
            DateValue::Invalid(FORMULA_WITHOUT_VALUE.into())
        );
        assert_eq!(Cell::Formula("TODAY()".into()).as_text(), "=TODAY()");
        assert!(!Cell::Formula("A1".into()).is_empty());
    }

    fn acceptable(v: &DateValue) -> bool {
        match v {
            DateValue::Empty => true,
            DateValue::Date(d) => YEARS.contains(&d.year()),
            DateValue::Invalid(m) => !m.trim().is_empty(),
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_cell() -> impl Strategy<Value = Cell> {
            prop_oneof![
                Just(Cell::Empty),
                any::<f64>().prop_map(Cell::Number),
                (-1.0e6f64..1.0e6).prop_map(Cell::Number),
                (-400_000i64..400_000, 0u32..86_400).prop_map(|(days, secs)| {
                    let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
                    Cell::DateTime(d.and_time(
                        chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap(),
                    ))
                }),
                any::<bool>().prop_map(Cell::Bool),
                ".*".prop_map(|t: String| Cell::Text(t.into())),
                ".*".prop_map(Cell::Formula),
                ".*".prop_map(Cell::Error),
            ]
        }

        proptest! {
            #[test]
            fn any_text_is_empty_a_plausible_date_or_refused_with_a_reason(s in ".*") {
                prop_assert!(acceptable(&parse_date_text(&s)));
            }

            #[test]
            fn date_like_text_is_empty_a_plausible_date_or_refused_with_a_reason(
                s in "[0-9]{0,5}[/.-][0-9]{0,5}[/.-][0-9]{0,6}( [0-9]{0,3}:[0-9]{0,3}(:[0-9]{0,3})?)?"
            ) {
                prop_assert!(acceptable(&parse_date_text(&s)));
            }

            #[test]
            fn any_cell_is_empty_a_plausible_date_or_refused_with_a_reason(c in any_cell()) {
                prop_assert!(acceptable(&parse_date_cell(&c)));
            }
        }
    }
}

//! Dates as exports write them: real spreadsheet dates, serial numbers, and the text forms of
//! tthc-rules §6. Day comes before month in every text form except ISO; anything ambiguous or
//! impossible is refused with a reason, never guessed.

use chrono::{Duration, NaiveDate};

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

/// The serial numbers taken for dates: 1954 to 2118. A smaller or larger number in a date
/// column is a typing slip, not a date, and is refused rather than guessed.
const SERIALS: std::ops::Range<f64> = 20_000.0..80_000.0;

/// A spreadsheet serial number as a date (day zero 30/12/1899, Excel's 1900 system).
fn serial_to_date(n: f64) -> Option<NaiveDate> {
    if !SERIALS.contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d + Duration::days(n.floor() as i64))
}

/// Reads a date cell.
pub fn parse_date_cell(cell: &Cell) -> DateValue {
    match cell {
        Cell::Empty => DateValue::Empty,
        Cell::DateTime(dt) => DateValue::Date(dt.date()),
        Cell::Number(n) => match serial_to_date(*n) {
            Some(d) => DateValue::Date(d),
            None => DateValue::Invalid(format!("số {n} không phải ngày hợp lệ")),
        },
        Cell::Text(s) => parse_date_text(s),
        Cell::Bool(_) | Cell::Error(_) => {
            DateValue::Invalid(format!("«{}» không phải ngày", cell.as_text()))
        }
    }
}

fn valid_time(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return false;
    }
    let num = |s: &str, max: u32| {
        let whole = s.split('.').next().unwrap_or("");
        !whole.is_empty()
            && whole.len() <= 2
            && whole.chars().all(|c| c.is_ascii_digit())
            && whole.parse::<u32>().is_ok_and(|v| v < max)
    };
    num(parts[0], 24) && num(parts[1], 60) && (parts.len() == 2 || num(parts[2], 61))
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
            if SERIALS.contains(&n) {
                if let Some(d) = serial_to_date(n) {
                    return DateValue::Date(d);
                }
            }
        }
    }
    let s_iso = s.replacen('T', " ", 1);
    let tokens: Vec<&str> = s_iso.split_whitespace().collect();
    let mut date_token = None;
    let mut time_tokens = 0;
    for t in &tokens {
        if t.contains(':') {
            if !valid_time(t) {
                return invalid("có giờ không hợp lệ");
            }
            time_tokens += 1;
        } else if date_token.replace(*t).is_some() {
            return invalid("không phải một ngày (dạng dd/mm/yyyy)");
        }
    }
    let Some(d) = date_token else {
        return invalid("không có ngày");
    };
    if time_tokens > 1 {
        return invalid("không phải một ngày (dạng dd/mm/yyyy)");
    }
    let parts: Vec<&str> = d.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return invalid("không phải ngày theo dạng dd/mm/yyyy hoặc yyyy-mm-dd");
    }
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
        Some(date) => DateValue::Date(date),
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
}

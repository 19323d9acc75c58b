//! Vietnamese number and date formats: 1.234, 98,75 %, "ngày 14 tháng 3 năm 2024".

use chrono::{Datelike, NaiveDate};

use crate::rate::Rate;

/// An integer with `.` between thousands: 1234567 → "1.234.567".
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A number ≥ 0 to at most two decimals, the Vietnamese way: 1234 → "1.234", 112.5 → "112,5",
/// 0.125 → "0,13".
pub fn number(v: f64) -> String {
    let h = (v.max(0.0) * 100.0).round() as u64;
    match h % 100 {
        0 => int(h / 100),
        f if f % 10 == 0 => format!("{},{}", int(h / 100), f / 10),
        f => format!("{},{f:02}", int(h / 100)),
    }
}

/// A rate with two decimals and a decimal comma, "—" when absent: 98,75.
pub fn rate(r: Option<Rate>) -> String {
    match r {
        None => "—".to_string(),
        Some(r) => {
            let h = r.hundredths();
            format!("{},{:02}", int(h / 100), h % 100)
        }
    }
}

/// A rate followed by its percent sign, or a lone "—" when absent: "98,75 %".
pub fn percent(r: Option<Rate>) -> String {
    match r {
        None => "—".to_string(),
        Some(_) => format!("{} %", rate(r)),
    }
}

/// "ngày 14 tháng 3 năm 2024".
pub fn long_date(d: NaiveDate) -> String {
    format!("ngày {} tháng {} năm {}", d.day(), d.month(), d.year())
}

/// "14/03/2024".
pub fn short_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_vietnamese_numbers_and_dates() {
        assert_eq!(int(0), "0");
        assert_eq!(int(1234), "1.234");
        assert_eq!(int(1234567), "1.234.567");
        assert_eq!(number(1234.0), "1.234");
        assert_eq!(number(112.5), "112,5");
        assert_eq!(number(2.999), "3");
        assert_eq!(number(0.125), "0,13");
        assert_eq!(number(1_250_000.05), "1.250.000,05");
        assert_eq!(rate(Rate::of(7899, 8000)), "98,74");
        assert_eq!(rate(Rate::of(1, 8)), "12,50");
        assert_eq!(rate(Rate::of(12345, 12345)), "100,00");
        assert_eq!(rate(None), "—");
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap()),
            "ngày 14 tháng 3 năm 2024"
        );
    }
}

//! Personal data typed into free text that cchc keeps (a procedure's name, a self-report's text
//! answer, a task's evidence): phone numbers, e-mail addresses and ID numbers are replaced by
//! the configured mask words (`[personal_data_masks]` of `vocabulary.toml`) when a file is
//! read, so they never reach the store, a document or the JSON. The caller warns with the
//! file, sheet, row and column — never the value.
//!
//! What is masked, told by shape, so that legal document numbers, dates, codes and amounts stay:
//! - a phone number: 10 or 11 digits starting with 0 (0912345678, 0912 345 678, 091.234.5678,
//!   (028) 3891 2345), or +84 and 9–10 digits; groups may be separated by one space, dot or
//!   hyphen, the area code may stand in brackets;
//! - an ID number: 12 digits starting with 0 (CCCD, also in groups of 3 or 4 separated by
//!   spaces), or 9 digits written together (CMND);
//! - an e-mail address: `local@domain.tld`.
//!
//! A number joined to a letter or a slash (1234/QĐ-UBND, 09/2019/NĐ-CP, H29-240105-0001) is
//! part of a code and never masked.

use serde::Deserialize;

/// The words that replace each kind of personal data.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MaskWords {
    /// Replaces a phone number.
    pub phone: String,
    /// Replaces an e-mail address.
    pub email: String,
    /// Replaces an ID number (CCCD, CMND).
    pub id_number: String,
}

impl Default for MaskWords {
    fn default() -> Self {
        MaskWords {
            phone: "[đã ẩn số điện thoại]".into(),
            email: "[đã ẩn thư điện tử]".into(),
            id_number: "[đã ẩn số định danh]".into(),
        }
    }
}

/// What kind of personal data was masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// An ID number.
    IdNumber,
}

impl Found {
    /// Its name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Found::Phone => "số điện thoại",
            Found::Email => "địa chỉ thư điện tử",
            Found::IdNumber => "số định danh (CCCD/CMND)",
        }
    }
}

/// A text with its personal data masked, and what was masked (each kind once, in order).
pub fn mask(text: &str, words: &MaskWords) -> (String, Vec<Found>) {
    let mut found = Vec::new();
    let text = mask_emails(text, words, &mut found);
    let text = mask_numbers(&text, words, &mut found);
    found.sort();
    found.dedup();
    (text, found)
}

/// What a warning about masked data says: the kinds masked, never the values.
pub fn describe(found: &[Found]) -> String {
    let kinds: Vec<&str> = found.iter().map(|f| f.label()).collect();
    format!(
        "đã ẩn {} trong nội dung (dữ liệu cá nhân không được đưa vào báo cáo) — bỏ thông tin cá nhân khỏi ô này ở tệp gốc",
        kinds.join(", ")
    )
}

fn mask_emails(text: &str, words: &MaskWords, found: &mut Vec<Found>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut start_of_tail = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut a = i;
            while a > start_of_tail && local(chars[a - 1]) {
                a -= 1;
            }
            let mut b = i + 1;
            while b < chars.len() && domain(chars[b]) {
                b += 1;
            }
            // The domain ends before a sentence's full stop.
            while b > i + 1 && chars[b - 1] == '.' {
                b -= 1;
            }
            let host: String = chars[i + 1..b].iter().collect();
            if a < i && host.contains('.') && !host.starts_with('.') {
                out.extend(&chars[start_of_tail..a]);
                out.push_str(&words.email);
                found.push(Found::Email);
                start_of_tail = b;
                i = b;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[start_of_tail..]);
    out
}

fn mask_numbers(text: &str, words: &MaskWords, found: &mut Vec<Found>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let joined = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '/');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = (c.is_ascii_digit() || c == '+' || c == '(')
            && !joined(i.checked_sub(1).and_then(|p| chars.get(p)))
            && !(i > 1 && matches!(chars[i - 1], '.' | '-') && chars[i - 2].is_ascii_digit());
        if starts {
            if let Some((end, kind)) =
                number_at(&chars, i).filter(|(end, _)| !joined(chars.get(*end)))
            {
                out.push_str(match kind {
                    Found::Phone => &words.phone,
                    _ => &words.id_number,
                });
                found.push(kind);
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A phone or ID number starting at `i`: where it ends and what it is.
fn number_at(chars: &[char], i: usize) -> Option<(usize, Found)> {
    // The run: digits in groups, one separator between groups, an optional "+" first and an
    // area code in brackets.
    let mut j = i;
    let mut digits = String::new();
    let mut separators = String::new();
    let mut plus = false;
    if chars[j] == '+' {
        plus = true;
        j += 1;
    }
    let mut ends: Vec<(usize, usize, String)> = Vec::new(); // (end, digit count, separators)
    if chars.get(j) == Some(&'(') {
        j += 1;
        let from = j;
        while chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
            digits.push(chars[j]);
            j += 1;
        }
        if j == from || chars.get(j) != Some(&')') {
            return None;
        }
        j += 1;
        separators.push(')');
        if chars.get(j) == Some(&' ') {
            j += 1;
        }
    }
    loop {
        let from = j;
        while chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
            digits.push(chars[j]);
            j += 1;
        }
        if j == from {
            break;
        }
        ends.push((j, digits.len(), separators.clone()));
        match chars.get(j) {
            Some(s @ (' ' | '.' | '-')) if chars.get(j + 1).is_some_and(|c| c.is_ascii_digit()) => {
                separators.push(*s);
                j += 1;
            }
            _ => break,
        }
    }
    // The longest run that is a number of a known shape.
    for (end, n, seps) in ends.into_iter().rev() {
        let d = &digits[..n];
        if plus {
            if d.starts_with("84") && (11..=12).contains(&n) {
                return Some((end, Found::Phone));
            }
            continue;
        }
        if d.starts_with('0') && (n == 10 || (n == 11 && d.starts_with("02"))) {
            return Some((end, Found::Phone));
        }
        let spaced = seps.chars().all(|s| s == ' ');
        if n == 12 && d.starts_with('0') && spaced {
            return Some((end, Found::IdNumber));
        }
        if n == 9 && seps.is_empty() {
            return Some((end, Found::IdNumber));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> String {
        mask(s, &MaskWords::default()).0
    }

    #[test]
    fn masks_phone_numbers_in_every_usual_form() {
        for phone in [
            "0912345678",
            "0912 345 678",
            "091.234.5678",
            "091-234-5678",
            "+84 912 345 678",
            "+84912345678",
            "(028) 3891 2345",
            "028 3891 2345",
            "02838912345",
        ] {
            assert_eq!(
                m(&format!("Liên hệ {phone}.")),
                "Liên hệ [đã ẩn số điện thoại].",
                "{phone}"
            );
        }
        assert_eq!(
            mask("gọi 0912345678 hoặc 0987654321", &MaskWords::default()),
            (
                "gọi [đã ẩn số điện thoại] hoặc [đã ẩn số điện thoại]".into(),
                vec![Found::Phone]
            )
        );
    }

    #[test]
    fn masks_id_numbers_and_email_addresses() {
        assert_eq!(m("CCCD 079123456789"), "CCCD [đã ẩn số định danh]");
        assert_eq!(m("CCCD: 079 123 456 789,"), "CCCD: [đã ẩn số định danh],");
        assert_eq!(m("CMND 123456789"), "CMND [đã ẩn số định danh]");
        assert_eq!(m("gửi nguyen.van.a@gmail.com."), "gửi [đã ẩn thư điện tử].");
        let (_, found) = mask(
            "a.b@x.gov.vn, 0912345678, 079123456789",
            &MaskWords::default(),
        );
        assert_eq!(found, [Found::Phone, Found::Email, Found::IdNumber]);
    }

    #[test]
    fn leaves_codes_dates_documents_and_amounts() {
        for text in [
            "Cấp giấy phép xây dựng theo Nghị định 09/2019/NĐ-CP",
            "Quyết định số 1234/QĐ-UBND ngày 05/01/2024",
            "Hồ sơ 000.00.12.H29-240105-0001",
            "Mã thủ tục 1.001612.000.00.00.H29",
            "Lệ phí 1.234.567 đồng, 15.000.000 đồng, 1.234.567.890 đồng",
            "Văn bản 2345/UBND-VP ngày 14/3/2024",
            "Năm 2024, quý 1, 12 hồ sơ",
            "Công văn số 123456789/STTTT",
            "email không có @ miền",
        ] {
            assert_eq!(m(text), text);
        }
    }
}

//! Configuration errors in Vietnamese: what the TOML reader and serde say ("unknown field",
//! "invalid type", "missing field"), and what the system says of a file it cannot open ("No such
//! file or directory"), told the way the rest of cchc speaks, with the line, column and caret
//! kept. Warnings about configuration are printed once per run.

use std::collections::HashSet;
use std::sync::Mutex;

/// A TOML file's text parsed into `T`; a failure says, in Vietnamese, where and what.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    toml::from_str(text).map_err(|e| anyhow::anyhow!(toml_error(&e)))
}

/// A TOML or serde error in Vietnamese: the position line translated, the snippet and its caret
/// as they are, the message translated.
pub fn toml_error(e: &toml::de::Error) -> String {
    let shown = e.to_string();
    let message = e.message();
    let (head, tail) = match shown.rfind(message) {
        Some(p) => (&shown[..p], &shown[p + message.len()..]),
        None => (shown.as_str(), ""),
    };
    let mut out = String::new();
    for (i, line) in head.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match line.strip_prefix("TOML parse error at ") {
            Some(at) if i == 0 => {
                out.push_str("lỗi ở ");
                out.push_str(&at.replace("line ", "dòng ").replace("column ", "cột "));
            }
            _ => out.push_str(line),
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&message_vi(message));
    out.push_str(tail.trim_end());
    out
}

/// What a file that cannot be read is, in Vietnamese.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "không tìm thấy tệp".into(),
        ErrorKind::PermissionDenied => "không có quyền đọc tệp".into(),
        ErrorKind::InvalidData => "tệp không phải văn bản UTF-8".into(),
        ErrorKind::IsADirectory => "đây là một thư mục, không phải tệp".into(),
        _ => e.to_string(),
    }
}

/// Prints a configuration warning on stderr, once per process however often it is found.
pub fn warn_once(message: String) {
    static SAID: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut said = SAID.lock().unwrap_or_else(|p| p.into_inner());
    if said
        .get_or_insert_with(HashSet::new)
        .insert(message.clone())
    {
        crate::text::say(&message);
    }
}

/// `a or b` → `a hoặc b`.
fn alternatives(list: &str) -> String {
    list.replace(" or ", " hoặc ")
}

/// What serde says a value was (`serde::de::Unexpected`).
fn unexpected_vi(u: &str) -> String {
    for (en, vi) in [
        ("boolean ", "giá trị đúng/sai "),
        ("integer ", "số nguyên "),
        ("floating point ", "số thực "),
        ("string ", "chuỗi "),
        ("character ", "ký tự "),
    ] {
        if let Some(rest) = u.strip_prefix(en) {
            return format!("{vi}{rest}");
        }
    }
    match u {
        "sequence" => "danh sách".into(),
        "map" => "bảng".into(),
        "unit value" => "giá trị rỗng".into(),
        "option" | "Option value" => "giá trị tùy chọn".into(),
        "newtype struct" | "enum" => "giá trị".into(),
        other => other.into(),
    }
}

/// What serde says was expected (a derive's `expecting`).
fn expected_vi(e: &str) -> String {
    match e {
        "a string" | "a borrowed string" | "string" => "một chuỗi".into(),
        "a sequence" | "sequence" => "một danh sách".into(),
        "a boolean" | "bool" => "true hoặc false".into(),
        "a map" | "map" | "a table" => "một bảng".into(),
        "a character" | "char" => "một ký tự".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "một số nguyên".into()
        }
        "f32" | "f64" => "một số".into(),
        other => {
            if let Some(name) = other.strip_prefix("struct ") {
                format!("một bảng ({name})")
            } else if let Some(name) = other.strip_prefix("enum ") {
                format!("một giá trị của {name}")
            } else {
                alternatives(other)
            }
        }
    }
}

/// The common messages of serde and of the TOML reader, in Vietnamese; others with their
/// connecting words translated.
fn message_vi(m: &str) -> String {
    let m = m.trim_end();
    if let Some(rest) = m.strip_prefix("unknown field ") {
        if let Some((field, list)) = rest.split_once(", expected one of ") {
            return format!("trường không hợp lệ {field}, các trường được dùng: {list}");
        }
        if let Some((field, list)) = rest.split_once(", expected ") {
            return format!(
                "trường không hợp lệ {field}, các trường được dùng: {}",
                alternatives(list)
            );
        }
        if let Some((field, _)) = rest.split_once(", there are no fields") {
            return format!("trường không hợp lệ {field}, ở đây không có trường nào");
        }
    }
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        if let Some((value, list)) = rest.split_once(", expected one of ") {
            return format!("giá trị không hợp lệ {value}, các giá trị được dùng: {list}");
        }
        if let Some((value, list)) = rest.split_once(", expected ") {
            return format!(
                "giá trị không hợp lệ {value}, các giá trị được dùng: {}",
                alternatives(list)
            );
        }
        if let Some((value, _)) = rest.split_once(", there are no variants") {
            return format!("giá trị không hợp lệ {value}");
        }
    }
    if let Some(field) = m.strip_prefix("missing field ") {
        return format!("thiếu trường {field}");
    }
    if let Some(field) = m.strip_prefix("duplicate field ") {
        return format!("trường {field} được khai báo hai lần");
    }
    if let Some(key) = m.strip_prefix("duplicate key ") {
        return format!("khóa {key} được khai báo hai lần");
    }
    for (en, vi) in [
        ("invalid type: ", "sai kiểu: "),
        ("invalid value: ", "giá trị không hợp lệ: "),
    ] {
        if let Some(rest) = m.strip_prefix(en) {
            if let Some((got, want)) = rest.split_once(", expected ") {
                return format!("{vi}{}, cần {}", unexpected_vi(got), expected_vi(want));
            }
        }
    }
    if let Some(rest) = m.strip_prefix("invalid length ") {
        if let Some((n, want)) = rest.split_once(", expected ") {
            return format!("độ dài không hợp lệ {n}, cần {}", expected_vi(want));
        }
    }
    if let Some(want) = m.strip_prefix("wanted ") {
        return format!(
            "sai kiểu: cần {}",
            alternatives(&want.replace("string", "chuỗi").replace("table", "bảng"))
        );
    }
    // The TOML reader's syntax messages: `invalid basic string, expected `"``.
    let mut out = m.to_string();
    for (en, vi) in [
        ("invalid basic string", "chuỗi không hợp lệ"),
        ("invalid literal string", "chuỗi nguyên văn không hợp lệ"),
        ("invalid string", "chuỗi không hợp lệ"),
        ("invalid table header", "tiêu đề bảng không hợp lệ"),
        ("invalid array", "mảng không hợp lệ"),
        (
            "invalid inline table",
            "bảng viết trên một dòng không hợp lệ",
        ),
        ("invalid key", "khóa không hợp lệ"),
        ("invalid integer", "số nguyên không hợp lệ"),
        ("invalid float", "số thực không hợp lệ"),
        ("invalid number", "số không hợp lệ"),
        ("invalid date", "ngày không hợp lệ"),
        ("invalid time", "giờ không hợp lệ"),
        ("unclosed array", "mảng chưa đóng"),
        ("unclosed table", "bảng chưa đóng"),
        ("unexpected content", "nội dung không mong đợi"),
        (
            "unexpected key or value",
            "khóa hoặc giá trị không mong đợi",
        ),
        ("key with no value", "khóa chưa có giá trị"),
        (
            "extra assignment between key-value pairs",
            "thừa phép gán giữa các cặp khóa-giá trị",
        ),
    ] {
        if let Some(rest) = out.strip_prefix(en) {
            out = format!("{vi}{rest}");
            break;
        }
    }
    let out = out.replace(", expected ", ", cần ");
    match out.strip_prefix("expected ") {
        Some(rest) => format!("cần {}", alternatives(rest)),
        None => alternatives(&out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        name: String,
        count: u32,
        #[serde(default)]
        list: Vec<String>,
        #[serde(default)]
        rule: Option<Rule>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Rule {
        Nd09,
        Calendar,
    }

    fn err(text: &str) -> String {
        format!("{}", parse_toml::<File>(text).unwrap_err())
    }

    #[test]
    fn says_serde_and_toml_errors_in_vietnamese_with_line_and_caret() {
        let e = err("name = \"a\"\ncount = 1\nnmae = 2\n");
        assert_eq!(
            e,
            "lỗi ở dòng 3, cột 1\n  |\n3 | nmae = 2\n  | ^^^^\ntrường không hợp lệ `nmae`, các trường được dùng: `name`, `count`, `list`, `rule`"
        );
        assert!(err("name = \"a\"\n").ends_with("\nthiếu trường `count`"));
        assert!(
            err("name = \"a\"\ncount = \"ba\"\n")
                .ends_with("\nsai kiểu: chuỗi \"ba\", cần một số nguyên"),
            "{}",
            err("name = \"a\"\ncount = \"ba\"\n")
        );
        assert!(err("name = 1\ncount = 1\n").ends_with("\nsai kiểu: số nguyên `1`, cần một chuỗi"));
        assert!(err("name = \"a\"\ncount = 1\nlist = \"x\"\n")
            .ends_with("\nsai kiểu: chuỗi \"x\", cần một danh sách"));
        assert!(err("name = \"a\"\ncount = 1\nrule = \"abc\"\n").ends_with(
            "\ngiá trị không hợp lệ `abc`, các giá trị được dùng: `nd09` hoặc `calendar`"
        ));
        assert!(err("name = \"a\"\ncount = -1\n")
            .ends_with("\ngiá trị không hợp lệ: số nguyên `-1`, cần một số nguyên"));
        assert!(err("name = \"a\ncount = 1\n").contains("\nchuỗi không hợp lệ, cần `\"`"));
        assert!(err("name = \"a\"\nname = \"b\"\ncount = 1\n").starts_with("lỗi ở dòng 2"));
        assert_eq!(
            io_error(&std::io::Error::from(std::io::ErrorKind::NotFound)),
            "không tìm thấy tệp"
        );
    }
}

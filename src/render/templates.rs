//! The one Tera loader: a document's templates from the locality's `templates/<folder>/` when
//! it has them, else the defaults built into the binary, with the Vietnamese filters every
//! template formats values through — so view structs carry numbers and dates, not strings.
//!
//! Filters: `int` (1.234), `rate` (98,75; "—" when absent), `pct` (98,75 %; "—"), `date`
//! (14/03/2024 from 2024-03-14), `long_date` (ngày 14 tháng 3 năm 2024), `or_dash` ("—" for
//! an absent value), `lower_first` (Huyện Hóc Môn → huyện Hóc Môn) — each also a function
//! (`int(v=x)` …) for use inside a `~` concatenation.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use tera::{Tera, Value};

use super::vn;

/// Loads the named templates of one folder (`report`, `public` …): each from the locality's
/// folder when it has the file, else the embedded default.
pub fn load(dir: Option<&Path>, folder: &str, defaults: &[(&str, &str)]) -> Result<Tera> {
    let mut tera = Tera::default();
    register_filters(&mut tera);
    for (name, default) in defaults {
        let own = dir
            .map(|d| d.join(folder).join(name))
            .filter(|p| p.exists());
        let text = match &own {
            Some(p) => std::fs::read_to_string(p)
                .with_context(|| format!("không đọc được mẫu {}", p.display()))?,
            None => default.to_string(),
        };
        let origin = own
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| format!("(mẫu mặc định) {folder}/{name}"));
        tera.add_raw_template(name, &text)
            .with_context(|| format!("mẫu {origin} không hợp lệ"))?;
    }
    Ok(tera)
}

/// Renders a one-line template (a title line) with the Vietnamese filters.
pub fn one_line(line: &str, ctx: &tera::Context) -> Result<String> {
    let mut tera = Tera::default();
    register_filters(&mut tera);
    tera.add_raw_template("__line", line)
        .with_context(|| format!("dòng mẫu «{line}» không hợp lệ"))?;
    Ok(tera.render("__line", ctx)?)
}

/// Registers the Vietnamese filters on a Tera instance, and the same formats as functions
/// (`int(v=x)`, `rate(v=x)`, `pct(v=x)`, `date(v=x)`, `long_date(v=x)`), which, unlike filters,
/// may stand inside a `~` concatenation (a paragraph of the Word template is one string).
pub fn register_filters(tera: &mut Tera) {
    for name in [
        "int",
        "num",
        "rate",
        "pct",
        "date",
        "long_date",
        "or_dash",
        "lower_first",
    ] {
        tera.register_function(name, move |args: &HashMap<String, Value>| {
            let v = args.get("v").cloned().unwrap_or(Value::Null);
            apply(name, &v)
        });
    }
    register_plain_filters(tera);
}

fn register_plain_filters(tera: &mut Tera) {
    tera.register_filter("int", filter_int);
    tera.register_filter("num", filter_num);
    tera.register_filter("rate", filter_rate);
    tera.register_filter("pct", filter_pct);
    tera.register_filter("date", filter_date);
    tera.register_filter("long_date", filter_long_date);
    tera.register_filter("or_dash", filter_or_dash);
    tera.register_filter("lower_first", filter_lower_first);
}

/// One of the formats, by name.
fn apply(name: &str, v: &Value) -> tera::Result<Value> {
    let none = HashMap::new();
    match name {
        "int" => filter_int(v, &none),
        "num" => filter_num(v, &none),
        "rate" => filter_rate(v, &none),
        "pct" => filter_pct(v, &none),
        "date" => filter_date(v, &none),
        "long_date" => filter_long_date(v, &none),
        "lower_first" => filter_lower_first(v, &none),
        _ => filter_or_dash(v, &none),
    }
}

fn filter_rate(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(rate_text(v)))
}

fn filter_pct(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let t = rate_text(v);
    Ok(Value::String(if t == "—" { t } else { format!("{t} %") }))
}

fn filter_date(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(match as_date(v) {
        Some(d) => vn::short_date(d),
        None => "—".into(),
    }))
}

fn filter_long_date(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(match as_date(v) {
        Some(d) => vn::long_date(d),
        None => "ngày … tháng … năm …".into(),
    }))
}

fn filter_lower_first(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = v.as_str().unwrap_or_default();
    let mut c = s.chars();
    Ok(Value::String(match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }))
}

fn filter_or_dash(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(match v {
        Value::Null => Value::String("—".into()),
        Value::String(s) if s.is_empty() => Value::String("—".into()),
        other => other.clone(),
    })
}

fn filter_int(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match v.as_u64() {
        Some(n) => Ok(Value::String(vn::int(n))),
        None if v.is_null() => Ok(Value::String("—".into())),
        None => Err(tera::Error::msg(format!(
            "int: «{v}» không phải số nguyên không âm"
        ))),
    }
}

/// A number to at most two decimals, the Vietnamese way ("1.234", "112,5"); "—" when absent.
fn filter_num(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match v.as_f64() {
        Some(x) if x >= 0.0 => Ok(Value::String(vn::number(x))),
        None if v.is_null() => Ok(Value::String("—".into())),
        _ => Err(tera::Error::msg(format!(
            "num: «{v}» không phải số không âm"
        ))),
    }
}

/// A rate written with two decimals and a decimal comma; "—" when absent. Rates reach the
/// templates already rounded to hundredths (see [`crate::indicators::Rate`]'s serialization).
fn rate_text(v: &Value) -> String {
    match v.as_f64() {
        Some(x) => {
            let h = (x * 100.0).round() as u64;
            format!("{},{:02}", vn::int(h / 100), h % 100)
        }
        None => "—".into(),
    }
}

fn as_date(v: &Value) -> Option<NaiveDate> {
    v.as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_values_the_vietnamese_way() {
        let mut tera = Tera::default();
        register_filters(&mut tera);
        let mut ctx = tera::Context::new();
        ctx.insert("n", &1234567u64);
        ctx.insert("r", &98.75f64);
        ctx.insert("none", &Option::<f64>::None);
        ctx.insert("d", "2024-03-14");
        tera.add_raw_template(
            "t",
            "{{ n | int }}|{{ r | rate }}|{{ r | pct }}|{{ none | pct }}|{{ d | date }}|{{ d | long_date }}",
        )
        .unwrap();
        assert_eq!(
            tera.render("t", &ctx).unwrap(),
            "1.234.567|98,75|98,75 %|—|14/03/2024|ngày 14 tháng 3 năm 2024"
        );
    }
}

//! The one Tera loader: a document's templates from the locality's `templates/<folder>/` when
//! it has them, else the defaults built into the binary, with the Vietnamese filters every
//! template formats values through — so view structs carry numbers and dates, not strings.
//!
//! Filters: `int` (1.234), `rate` (98,75; "—" when absent), `pct` (98,75 %; "—"), `date`
//! (14/03/2024 from 2024-03-14), `long_date` (ngày 14 tháng 3 năm 2024), `or_dash` ("—" for
//! an absent value), `lower_first` (Huyện Hóc Môn → huyện Hóc Môn) — each also a function
//! (`int(v=x)` …) for use inside a `~` concatenation.
//!
//! A locality's own template is not trusted with more than its view: Tera's `get_env` is
//! replaced by a function that refuses (an environment variable must not reach a public page),
//! and a template set whose includes or macro calls form a loop is refused at load — Tera has
//! no recursion limit, and a stack overflow aborts the process, so it cannot be caught while
//! rendering.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use tera::{Tera, Value};

use crate::vn;

/// Loads the named templates of one folder (`report`, `public` …): each from the locality's
/// folder when it has the file, else the embedded default.
pub fn load(dir: Option<&Path>, folder: &str, defaults: &[(&str, &str)]) -> Result<Tera> {
    let mut tera = Tera::default();
    register_filters(&mut tera);
    for (name, default) in defaults {
        let (origin, text) = own_or_default(dir, folder, name, default)?;
        tera.add_raw_template(name, &text)
            .with_context(|| format!("mẫu {origin} không hợp lệ"))?;
    }
    refuse_loops(&tera).with_context(|| {
        let place = dir.map_or("mẫu mặc định".to_string(), |d| {
            d.join(folder).display().to_string()
        });
        format!("mẫu trong {place} không dùng được")
    })?;
    Ok(tera)
}

pub use crate::template_file::own_or_default;

/// A node of the call graph: a template, or a macro of a template file.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Callee {
    Template(String),
    Macro(String, String),
}

impl std::fmt::Display for Callee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Callee::Template(t) => write!(f, "mẫu «{t}»"),
            Callee::Macro(t, m) => write!(f, "macro «{m}» của «{t}»"),
        }
    }
}

/// Refuses a template set in which a template includes itself or a macro calls itself,
/// directly or through others (a loop of `include`, `extends` and macro calls).
fn refuse_loops(tera: &Tera) -> Result<()> {
    use std::collections::BTreeMap;
    let mut edges: BTreeMap<Callee, Vec<Callee>> = BTreeMap::new();
    for (name, t) in &tera.templates {
        let namespaces: HashMap<&str, &str> = t
            .imported_macro_files
            .iter()
            .map(|(file, ns)| (ns.as_str(), file.as_str()))
            .chain([("self", name.as_str())])
            .collect();
        let mut calls = Vec::new();
        nodes_calls(&t.ast, &namespaces, &mut calls);
        if let Some(parent) = &t.parent {
            calls.push(Callee::Template(parent.clone()));
        }
        edges.insert(Callee::Template(name.clone()), calls);
        for (m, def) in &t.macros {
            let mut calls = Vec::new();
            nodes_calls(&def.body, &namespaces, &mut calls);
            edges.insert(Callee::Macro(name.clone(), m.clone()), calls);
        }
    }
    // Depth-first search, without recursion: 0 unseen, 1 on the current path, 2 done.
    let mut state: HashMap<&Callee, u8> = HashMap::new();
    for start in edges.keys() {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&Callee, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((node, next)) = path.last_mut() {
            let node: &Callee = node;
            let Some(callee) = edges.get(node).and_then(|c| c.get(*next)) else {
                state.insert(node, 2);
                path.pop();
                continue;
            };
            *next += 1;
            match state.get(callee).copied().unwrap_or(0) {
                0 if edges.contains_key(callee) => {
                    let callee = edges
                        .get_key_value(callee)
                        .map(|(k, _)| k)
                        .unwrap_or(callee);
                    state.insert(callee, 1);
                    path.push((callee, 0));
                }
                1 => {
                    let from = path.iter().position(|(n, _)| *n == callee).unwrap_or(0);
                    let ring: Vec<String> = path[from..]
                        .iter()
                        .map(|(n, _)| n.to_string())
                        .chain([callee.to_string()])
                        .collect();
                    anyhow::bail!(
                        "{callee} gọi lại chính nó ({}): cchc không chạy mẫu đệ quy (vòng include hay macro tự gọi mình) — bỏ lời gọi vòng trong mẫu rồi chạy lại",
                        ring.join(" → ")
                    );
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The templates and macros a list of nodes calls.
fn nodes_calls(nodes: &[tera::ast::Node], ns: &HashMap<&str, &str>, out: &mut Vec<Callee>) {
    use tera::ast::Node;
    for node in nodes {
        match node {
            Node::VariableBlock(_, e) => expr_calls(e, ns, out),
            Node::Include(_, names, _) => {
                out.extend(names.iter().map(|n| Callee::Template(n.clone())))
            }
            Node::Set(_, set) => expr_calls(&set.value, ns, out),
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|e| expr_calls(e, ns, out));
                nodes_calls(&f.body, ns, out);
            }
            Node::Block(_, b, _) => nodes_calls(&b.body, ns, out),
            Node::Forloop(_, l, _) => {
                expr_calls(&l.container, ns, out);
                nodes_calls(&l.body, ns, out);
                if let Some(empty) = &l.empty_body {
                    nodes_calls(empty, ns, out);
                }
            }
            Node::If(i, _) => {
                for (_, e, body) in &i.conditions {
                    expr_calls(e, ns, out);
                    nodes_calls(body, ns, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    nodes_calls(body, ns, out);
                }
            }
            _ => {}
        }
    }
}

/// The macros an expression calls.
fn expr_calls(e: &tera::ast::Expr, ns: &HashMap<&str, &str>, out: &mut Vec<Callee>) {
    use tera::ast::ExprVal;
    for f in &e.filters {
        f.args.values().for_each(|a| expr_calls(a, ns, out));
    }
    match &e.val {
        ExprVal::MacroCall(m) => {
            let file = ns
                .get(m.namespace.as_str())
                .copied()
                .unwrap_or(&m.namespace);
            out.push(Callee::Macro(file.to_string(), m.name.clone()));
            m.args.values().for_each(|a| expr_calls(a, ns, out));
        }
        ExprVal::FunctionCall(f) => f.args.values().for_each(|a| expr_calls(a, ns, out)),
        ExprVal::Math(m) => {
            expr_calls(&m.lhs, ns, out);
            expr_calls(&m.rhs, ns, out);
        }
        ExprVal::Logic(l) => {
            expr_calls(&l.lhs, ns, out);
            expr_calls(&l.rhs, ns, out);
        }
        ExprVal::In(i) => {
            expr_calls(&i.lhs, ns, out);
            expr_calls(&i.rhs, ns, out);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|a| expr_calls(a, ns, out)),
        ExprVal::Array(items) => items.iter().for_each(|a| expr_calls(a, ns, out)),
        ExprVal::StringConcat(c) => {
            for v in &c.values {
                expr_calls(&tera::ast::Expr::new(v.clone()), ns, out);
            }
        }
        _ => {}
    }
}

/// Renders a one-line template (a title line) with the Vietnamese filters.
pub fn one_line(line: &str, ctx: &tera::Context) -> Result<String> {
    let mut tera = Tera::default();
    register_filters(&mut tera);
    tera.add_raw_template("__line", line)
        .with_context(|| format!("dòng mẫu «{line}» không hợp lệ"))?;
    refuse_loops(&tera).with_context(|| format!("dòng mẫu «{line}» không dùng được"))?;
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
    tera.register_function("get_env", |_: &HashMap<String, Value>| -> tera::Result<Value> {
        Err(tera::Error::msg(
            "mẫu gọi get_env: cchc không cho mẫu đọc biến môi trường (có thể lộ ra trang công khai) — bỏ lời gọi get_env khỏi mẫu",
        ))
    });
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
/// templates already rounded to hundredths (see [`crate::rate::Rate`]'s serialization).
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

    fn load_one(files: &[(&str, &str)]) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("t")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("t").join(name), text).unwrap();
        }
        let defaults: Vec<(&str, &str)> = files.iter().map(|(n, _)| (*n, "")).collect();
        match load(Some(dir.path()), "t", &defaults) {
            Ok(tera) => tera
                .render("a.html", &tera::Context::new())
                .map_err(|e| {
                    let mut m = e.to_string();
                    let mut s = std::error::Error::source(&e);
                    while let Some(c) = s {
                        m.push_str(&format!(": {c}"));
                        s = c.source();
                    }
                    m
                })
                .unwrap_or_else(|e| e),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn refuses_to_read_the_environment() {
        let got = load_one(&[("a.html", "{{ get_env(name=\"HOME\") }}")]);
        assert!(
            got.contains("mẫu gọi get_env: cchc không cho mẫu đọc biến môi trường"),
            "{got}"
        );
    }

    #[test]
    fn refuses_templates_that_call_themselves() {
        let got = load_one(&[("a.html", "x{% include \"a.html\" %}")]);
        assert!(
            got.contains("mẫu «a.html» gọi lại chính nó (mẫu «a.html» → mẫu «a.html»): cchc không chạy mẫu đệ quy"),
            "{got}"
        );
        let got = load_one(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
        ]);
        assert!(got.contains("gọi lại chính nó"), "{got}");
        let got = load_one(&[(
            "a.html",
            "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}{{ self::m(n=1) }}",
        )]);
        assert!(
            got.contains("macro «m» của «a.html» gọi lại chính nó (macro «m» của «a.html» → macro «m» của «a.html»)"),
            "{got}"
        );
        // Through another file's macros, a `set` and an `if`.
        let got = load_one(&[
            (
                "m.html",
                "{% macro p(n) %}{% set y = self::q(n=n) %}{{ y }}{% endmacro p %}{% macro q(n) %}{% if n %}{{ self::p(n=n) }}{% endif %}{% endmacro q %}",
            ),
            (
                "a.html",
                "{% import \"m.html\" as k %}{{ k::p(n=1) }}",
            ),
        ]);
        assert!(got.contains("gọi lại chính nó"), "{got}");
        // Macros that call others without a loop are fine.
        let got = load_one(&[(
            "a.html",
            "{% macro r(t) %}<{{ t }}>{% endmacro r %}{% macro p(t) %}{{ self::r(t=t) }}{% endmacro p %}{{ self::p(t=1) }}",
        )]);
        assert_eq!(got, "<1>");
    }
}

//! Draft targets from Section II ("CHỈ TIÊU") of the plan: a sentence naming a known indicator
//! (`[[indicators]]` of `plan-import.toml`) and a percentage becomes a draft `[[targets]]` entry,
//! its comparison read from the words around the number ("từ 99% trở lên" → ≥, "dưới 2%" → <).
//! Drafts go to their own file for a person to check and copy into `targets.toml`: a target
//! decides "Đạt"/"Không đạt" in the report, and a misread one must not count unseen.

use std::fmt::Write as _;

use super::vocabulary::Vocabulary;
use crate::config::raw::TargetScope;
use crate::text::match_key;

/// A draft target.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The number of its sentence in Section II ("3.1").
    pub id: String,
    /// The sentence, as written.
    pub sentence: String,
    /// The clause that holds the target, without the sentence's number: the draft's title.
    pub title: String,
    /// The measure.
    pub measure: String,
    /// Its scope.
    pub scope: TargetScope,
    /// ">=", ">", "<=", "<".
    pub op: &'static str,
    /// The threshold, in percent.
    pub value: f64,
}

/// The drafts of a document's paragraphs: those between Section II's heading ("II. …CHỈ
/// TIÊU…") and the next roman heading.
pub fn drafts(paragraphs: &[String], words: &Vocabulary) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut inside = false;
    for p in paragraphs {
        let k = match_key(p);
        if k.starts_with("ii.") || k.starts_with("ii ") {
            inside = k.contains("chỉ tiêu");
            continue;
        }
        if inside
            && ["iii.", "iii ", "iv.", "iv "]
                .iter()
                .any(|h| k.starts_with(h))
        {
            break;
        }
        if !inside {
            continue;
        }
        let (id, body) = numbered(p);
        // One proposal per clause: «…; riêng lĩnh vực … 95% trở lên» is another target.
        for clause in body.split(';') {
            if let Some(d) = draft(&id, clause, p, words) {
                out.push(d);
            }
        }
    }
    out
}

/// The leading number of a paragraph ("3.1.") and the rest.
fn numbered(p: &str) -> (String, &str) {
    let t = p.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let id = t[..end].trim_end_matches('.').to_string();
    (id, &t[end..])
}

fn draft(id: &str, clause: &str, sentence: &str, words: &Vocabulary) -> Option<Draft> {
    let k = match_key(clause);
    let ind = words
        .indicators
        .iter()
        .find(|i| i.phrases.iter().any(|p| k.contains(&match_key(p))))?;
    let pct = k.find('%')?;
    let before = &k[..pct];
    let start = before
        .rfind(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let value: f64 = before[start..].replace(',', ".").parse().ok()?;
    let lead_in = before[..start].trim_end();
    let after = k[pct + 1..].trim_start();
    let op = if after.starts_with("trở lên")
        || lead_in.ends_with("tối thiểu")
        || lead_in.ends_with("ít nhất")
    {
        ">="
    } else if after.starts_with("trở xuống")
        || lead_in.ends_with("tối đa")
        || lead_in.ends_with("không quá")
    {
        "<="
    } else if lead_in.ends_with("dưới") {
        "<"
    } else if lead_in.ends_with("trên") {
        ">"
    } else {
        ">="
    };
    Some(Draft {
        id: id.to_string(),
        sentence: crate::text::clean(sentence),
        title: crate::text::clean(
            clause
                .trim()
                .trim_start_matches('.')
                .trim()
                .trim_end_matches('.'),
        ),
        measure: ind.measure.clone(),
        scope: ind.scope,
        op,
        value,
    })
}

fn scope_code(s: TargetScope) -> &'static str {
    match s {
        TargetScope::Field => "field",
        TargetScope::Group => "group",
        TargetScope::Level => "level",
        TargetScope::District => "district",
    }
}

/// The draft file: `[[targets]]` entries as in `targets.toml`, each under its sentence.
pub fn draft_toml(drafts: &[Draft], source: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Chỉ tiêu NHÁP đọc từ mục II (CHỈ TIÊU) của «{source}» bằng `cchc plan import`.\n\
         # Tệp này không được chương trình đọc: kiểm tra từng chỉ tiêu (id, title, measure, scope, op,\n\
         # value, nhóm lĩnh vực nếu có), rồi chép những chỉ tiêu đúng vào targets.toml.\n"
    );
    for d in drafts {
        let _ = writeln!(s, "# Cần kiểm tra — câu của kế hoạch: «{}»", d.sentence);
        let _ = writeln!(s, "[[targets]]");
        let _ = writeln!(s, "id = {}", q(&d.id));
        let title = crate::text::cut_for_document(&d.title, 120).0.into_owned();
        let _ = writeln!(s, "title = {}", q(&title));
        let _ = writeln!(s, "measure = {}", q(&d.measure));
        let _ = writeln!(s, "scope = {}", q(scope_code(d.scope)));
        let _ = writeln!(s, "op = {}", q(d.op));
        let _ = writeln!(s, "value = {}", d.value);
        s.push('\n');
    }
    s
}

//! "Cơ quan chủ trì" → the leads of `tasks.toml`, matched with the rest of the program's
//! matcher ([`crate::tasks::LeadNames`]: the registry's spellings, the bodies of
//! `task-bodies.toml`). A cell names its leads one per paragraph, or separated by «;»; a person's
//! title before a body ("Trưởng phòng Nội vụ huyện") is dropped; phrases naming many units at
//! once become the tokens `@all`, `@huyen`, `@xa`. A lead found only inside a longer phrase is
//! taken and marked for a person; a lead not found at all is left out and listed.

use super::vocabulary::Leads;
use crate::tasks::LeadNames;
use crate::text::match_key;

/// The leads of one cell, as read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reading {
    /// Canonical names and tokens, in the cell's order.
    pub leads: Vec<String>,
    /// Parts of the cell that name no known unit, as written.
    pub unknown: Vec<String>,
    /// Why a person should check the leads found.
    pub check: Vec<String>,
}

/// Reads a "Cơ quan chủ trì" cell, given as its paragraphs.
pub fn read(paragraphs: &[String], names: &LeadNames, words: &Leads) -> Reading {
    let mut key: String = paragraphs
        .iter()
        .map(|p| match_key(p))
        .collect::<Vec<_>>()
        .join("\n");
    // (position in the cell, lead)
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut phrases: Vec<(String, &str)> = words
        .collective
        .iter()
        .flat_map(|c| {
            c.phrases
                .iter()
                .map(move |p| (match_key(p), c.token.as_str()))
        })
        .collect();
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    for (phrase, token) in &phrases {
        while let Some(at) = key.find(phrase.as_str()) {
            found.push((at, token.to_string()));
            key.replace_range(at..at + phrase.len(), &"\n".repeat(phrase.len()));
        }
    }
    let titles: Vec<String> = words.titles.iter().map(|t| match_key(t)).collect();
    let suffixes: Vec<String> = words.suffixes.iter().map(|t| match_key(t)).collect();
    let mut out = Reading::default();
    let mut at = 0;
    for part in key.split(['\n', ';']) {
        let start = at;
        at += part.len() + 1;
        let p = part
            .trim()
            .trim_start_matches(['-', '+', '•', '*'])
            .trim()
            .trim_end_matches([',', '.', ';', ':'])
            .trim();
        if p.is_empty() {
            continue;
        }
        let exact = |s: &str| {
            let mut tries = vec![s.to_string()];
            for t in &titles {
                if let Some(rest) = s.strip_prefix(&format!("{t} ")) {
                    tries.push(rest.to_string());
                }
            }
            for t in tries.clone() {
                for suf in &suffixes {
                    if let Some(rest) = t.strip_suffix(&format!(" {suf}")) {
                        tries.push(rest.to_string());
                    }
                }
            }
            tries.iter().find_map(|t| names.find(t))
        };
        if let Some(name) = exact(p) {
            found.push((start, name));
            continue;
        }
        let shown = original(paragraphs, p);
        let mentioned = names.mentioned_in(p);
        if mentioned.is_empty() {
            out.unknown.push(shown);
            continue;
        }
        out.check.push(format!(
            "đọc «{shown}» là {}",
            mentioned
                .iter()
                .map(|m| format!("«{m}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for m in mentioned {
            found.push((start, m));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    for (_, name) in found {
        if !out.leads.contains(&name) {
            out.leads.push(name);
        }
    }
    out
}

/// A part of a cell as the plan writes it (the key form is lower case): the paragraph text
/// whose key holds it, cut to the part when it can be found; else the key form.
fn original(paragraphs: &[String], part_key: &str) -> String {
    for p in paragraphs {
        for piece in p.split(';') {
            let k = match_key(piece);
            let k = k.trim().trim_start_matches(['-', '+', '•', '*']).trim();
            if k.trim_end_matches([',', '.', ';', ':']).trim() == part_key {
                return crate::text::clean(piece.trim().trim_start_matches(['-', '+', '•', '*']))
                    .trim_end_matches([',', '.', ';', ':'])
                    .trim()
                    .to_string();
            }
        }
    }
    part_key.to_string()
}

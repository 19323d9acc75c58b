//! The units' own words (self-reports.md §5): each form's sheet «Nội dung báo cáo» holds one
//! free-text answer per report section the unit is asked about, so that the paragraphs of
//! assessment the units send today as Word files reach the report as a draft, under the
//! section's heading and the unit's name. The sections, what each asks and who is asked are
//! `self-report.toml` (`[[report_sections]]`); the report templates place them by `id`.
//!
//! Read back, an answer is kept with its unit and section — text is not a number, so nothing is
//! checked but the row's section; empty is "not written". Personal data (phone numbers, e-mail
//! addresses, ID numbers) is masked before the text is kept, and warned about with the cell.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::normalize::{Item, Record};
use super::AnsweredBy;
use crate::config::report_sections::ReportSections;
use crate::config::{Pipeline, Units};
use crate::ingest::SheetText;
use crate::kind::InputContext;
use crate::model::RowRef;
use crate::normalize::Normalized;
use crate::period::Period;
use crate::quality::{Quarantined, Warning, WarningKind};
use crate::text::match_key;

/// The sheet of the units' own words.
pub const TEXTS_SHEET: &str = "Nội dung báo cáo";

/// The headers of the «Nội dung báo cáo» sheet, as `cchc forms` writes them and the reader
/// finds them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextColumns {
    /// The section's number (Mục).
    pub number: String,
    /// What the section asks (locked).
    pub prompt: String,
    /// The unit's answer (free text).
    pub answer: String,
}

/// The «Nội dung báo cáo» sheet's words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextsSheet {
    /// Column headers.
    pub columns: TextColumns,
    /// The line printed above the table: how to fill the sheet in.
    pub guidance: String,
}

/// One report section as `self-report.toml` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    /// Where the report places the answers: a section units write for (`report-sections.toml`).
    pub id: String,
    /// Its number, as the form's «Mục» and the report print it ("I", "II.1", "III.2").
    pub number: String,
    /// What the section asks of the unit, as the form prints it.
    pub text: String,
    /// Who is asked.
    pub answered_by: AnsweredBy,
}

/// A report section, resolved: the units asked, canonical names in registry order.
#[derive(Debug, Clone)]
pub struct Section {
    /// As configured.
    pub entry: SectionEntry,
    /// The units asked.
    pub asked: Vec<String>,
}

/// Checks the configured sections and resolves who is asked.
pub fn resolve(
    entries: Vec<SectionEntry>,
    units: &Units,
    groups: &[&str],
    words: &TextsSheet,
    report_sections: &[&str],
) -> Result<Vec<Section>> {
    let c = &words.columns;
    let mut keys: Vec<String> = Vec::new();
    for h in [&c.number, &c.prompt, &c.answer] {
        let k = match_key(h);
        if k.is_empty() || keys.contains(&k) {
            bail!("trang «{TEXTS_SHEET}»: tên cột ([texts_sheet.columns]) «{h}» để trống hoặc ghi hai lần");
        }
        keys.push(k);
    }
    let mut out: Vec<Section> = Vec::new();
    for e in entries {
        let what = format!("mục báo cáo «{}»", e.number);
        if !report_sections.contains(&e.id.as_str()) {
            bail!(
                "{what}: id «{}» không có (các mục báo cáo: {})",
                e.id,
                report_sections.join(", ")
            );
        }
        if match_key(&e.number).is_empty() || e.text.trim().is_empty() {
            bail!(
                "{what} (id «{}»): số mục (number) hoặc nội dung (text) để trống",
                e.id
            );
        }
        if let Some(o) = out
            .iter()
            .find(|o| o.entry.id == e.id || match_key(&o.entry.number) == match_key(&e.number))
        {
            bail!(
                "{what} (id «{}»): trùng số mục hoặc id với mục «{}» (id «{}»)",
                e.id,
                o.entry.number,
                o.entry.id
            );
        }
        let asked = super::resolve_asked(&e.answered_by, &what, units, groups)?;
        out.push(Section { entry: e, asked });
    }
    Ok(out)
}

/// What of a unit's sections goes into its form's version: a form of edited sections is told
/// apart.
pub fn version_input(sections: &[Section], unit: &str) -> String {
    sections
        .iter()
        .filter(|s| s.asked.iter().any(|a| a == unit))
        .map(|s| {
            format!(
                "section\u{1f}{}\u{1f}{}\u{1f}{}\u{1e}",
                s.entry.id, s.entry.number, s.entry.text
            )
        })
        .collect()
}

/// The sheet of a returned form, when it has one.
fn sheet_of(input: &InputContext) -> Option<&SheetText> {
    let key = match_key(TEXTS_SHEET);
    input.sheets.iter().find(|s| match_key(&s.name) == key)
}

/// The spreadsheet name of a cell ("C5") from its 1-based row and column.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{row}")
}

/// The rows of the sheet below its header: (row, the «Mục» text, the answer's column and
/// text), or why none can be read.
type TextRow<'a> = (u32, &'a str, u32, &'a str);

fn rows<'a>(sheet: &'a SheetText, words: &'a TextColumns) -> Result<Vec<TextRow<'a>>, String> {
    let (number_key, answer_key) = (match_key(&words.number), match_key(&words.answer));
    let header = sheet
        .cells
        .iter()
        .find(|(_, _, t)| match_key(t) == number_key)
        .map(|(r, c, _)| (*r, *c));
    let Some((hr, number_col)) = header else {
        return Err(format!(
            "trang «{}» không có dòng tiêu đề (cột «{}»)",
            sheet.name, words.number
        ));
    };
    let Some(answer_col) = sheet
        .cells
        .iter()
        .find(|(r, _, t)| *r == hr && match_key(t) == answer_key)
        .map(|(_, c, _)| *c)
    else {
        return Err(format!(
            "dòng tiêu đề (dòng {hr}) của trang «{}» không có cột «{}»",
            sheet.name, words.answer
        ));
    };
    let mut by_row: BTreeMap<u32, (&str, &str)> = BTreeMap::new();
    for (r, c, t) in sheet.cells.iter().filter(|(r, _, _)| *r > hr) {
        let e = by_row.entry(*r).or_default();
        if *c == number_col {
            e.0 = t;
        } else if *c == answer_col {
            e.1 = t;
        }
    }
    Ok(by_row
        .into_iter()
        .map(|(r, (n, a))| (r, n, answer_col, a))
        .collect())
}

/// Reads the «Nội dung báo cáo» sheet of a unit's form: one record per section written. A row
/// whose «Mục» is not a section asked of the unit, or repeats one, is quarantined when it holds
/// an answer; an empty answer is "not written" and makes no record.
pub fn read_sheet(
    pipeline: &Pipeline,
    input: &InputContext,
    file: usize,
    unit: &crate::config::Unit,
    period: &Period,
    out: &mut Normalized,
) -> Vec<Record> {
    let cfg = super::config(pipeline);
    let Some(sheet) = sheet_of(input) else {
        let asked = cfg.sections_of(&unit.name).count();
        if asked > 0 {
            out.warnings.push(Warning {
                source: RowRef {
                    file,
                    sheet: TEXTS_SHEET.into(),
                    row: 0,
                },
                dossier_id: unit.name.clone(),
                kind: super::TEXTS_SHEET_MISSING,
                column: TEXTS_SHEET.into(),
                value: format!(
                    "biểu mẫu không có trang «{TEXTS_SHEET}» (đã đổi tên hoặc xóa trang?): lời văn của {} cho {asked} mục báo cáo không có trong báo cáo — đặt lại tên trang «{TEXTS_SHEET}» hoặc dùng biểu mẫu do cchc tạo",
                    unit.name
                ),
            });
        }
        return Vec::new();
    };
    let words = &cfg.texts_sheet.columns;
    let mut records = Vec::new();
    let rows = match rows(sheet, words) {
        Ok(rows) => rows,
        Err(why) => {
            // Without its header no row can be read: each row holding words is accounted for.
            for (r, _, t) in &sheet.cells {
                if t.chars().count() > 40 {
                    out.read += 1;
                    out.quarantine.push(Quarantined {
                        source: RowRef {
                            file,
                            sheet: sheet.name.clone(),
                            row: *r,
                        },
                        dossier_id: unit.name.clone(),
                        column: words.answer.clone(),
                        value: String::new(),
                        reason: format!("{why}: không đọc được dòng này (không xóa, không sửa dòng tiêu đề của biểu mẫu)"),
                    });
                }
            }
            return records;
        }
    };
    let mut seen: Vec<(&str, u32)> = Vec::new();
    for (row, number, col, answer) in rows {
        let text = crate::text::clean(answer);
        if text.is_empty() {
            continue;
        }
        out.read += 1;
        let source = RowRef {
            file,
            sheet: sheet.name.clone(),
            row,
        };
        let cell = format!("{}, ô {}", words.answer, cell_name(row, col));
        let section = cfg
            .sections_of(&unit.name)
            .find(|s| match_key(&s.entry.number) == match_key(number));
        let fault = match section {
            None if number.is_empty() => Some(format!(
                "dòng có nội dung nhưng không có số mục (cột «{}»)",
                words.number
            )),
            None => Some(format!(
                "mục «{number}» không có trong biểu mẫu của {} (không sửa cột «{}»)",
                unit.name, words.number
            )),
            Some(s) => seen
                .iter()
                .find(|(id, _)| *id == s.entry.id)
                .map(|(_, first)| {
                    format!(
                        "mục {} đã được báo cáo ở dòng {first}: dòng này không tính",
                        s.entry.number
                    )
                }),
        };
        if let Some(reason) = fault {
            out.quarantine.push(Quarantined {
                source,
                dossier_id: number.to_string(),
                column: cell,
                value: crate::privacy::mask(&text, &pipeline.vocabulary.masks).0,
                reason,
            });
            continue;
        }
        let Some(s) = section else { continue };
        seen.push((&s.entry.id, row));
        let (text, found) = crate::privacy::mask(&text, &pipeline.vocabulary.masks);
        if !found.is_empty() {
            out.warnings.push(Warning {
                source: source.clone(),
                dossier_id: s.entry.number.clone(),
                kind: WarningKind::PersonalDataMasked,
                column: cell,
                value: crate::privacy::describe(&found),
            });
        }
        records.push(Record {
            source,
            unit: unit.name.clone(),
            level: unit.level,
            period: period.id.clone(),
            period_end: period.end,
            item: Item::Text {
                section: s.entry.id.clone(),
                text,
            },
        });
    }
    records
}

/// The rows holding words of the sheet of a form of another version: (source, section number),
/// to quarantine with the form.
pub fn stale_rows(pipeline: &Pipeline, input: &InputContext, file: usize) -> Vec<(RowRef, String)> {
    let Some(sheet) = sheet_of(input) else {
        return Vec::new();
    };
    let Ok(rows) = rows(sheet, &super::config(pipeline).texts_sheet.columns) else {
        return Vec::new();
    };
    rows.into_iter()
        .filter(|(_, _, _, a)| !a.trim().is_empty())
        .map(|(row, number, _, _)| {
            (
                RowRef {
                    file,
                    sheet: sheet.name.clone(),
                    row,
                },
                number.to_string(),
            )
        })
        .collect()
}

/// One unit's words for one section of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitText {
    /// The unit.
    pub unit: String,
    /// Its words, personal data masked.
    pub text: String,
}

/// The units' words of a period, by section id, units in registry order.
pub type UnitTexts = BTreeMap<String, Vec<UnitText>>;

/// The words by section with every section units write for present (empty where nobody
/// wrote), as the report templates read them.
pub fn every_section(texts: &UnitTexts, report: &ReportSections) -> UnitTexts {
    report
        .units()
        .iter()
        .map(|s| (s.to_string(), texts.get(*s).cloned().unwrap_or_default()))
        .collect()
}

/// The words of the period's forms (one form per unit and period after the rules), by section
/// id (only sections someone wrote for), units in registry order.
pub fn unit_texts(frame: &DataFrame, period: &Period, units: &Units) -> Result<UnitTexts> {
    let unit = frame.column("unit")?.str()?;
    let form_period = frame.column("period")?.str()?;
    let section = frame.column("section")?.str()?;
    let text = frame.column("text")?.str()?;
    let order: BTreeMap<&str, usize> = units
        .all()
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.as_str(), i))
        .collect();
    let mut out = UnitTexts::new();
    let mut found: Vec<(usize, &str, &str, &str)> = Vec::new();
    for i in 0..frame.height() {
        if form_period.get(i) != Some(period.id.as_str()) {
            continue;
        }
        let (Some(u), Some(s), Some(t)) = (unit.get(i), section.get(i), text.get(i)) else {
            continue;
        };
        found.push((order.get(u).copied().unwrap_or(usize::MAX), u, s, t));
    }
    found.sort_by_key(|(o, _, _, _)| *o);
    for (_, u, s, t) in found {
        out.entry(s.to_string()).or_default().push(UnitText {
            unit: u.to_string(),
            text: t.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::cell_name;

    #[test]
    fn names_cells_as_a_spreadsheet_does() {
        assert_eq!(cell_name(5, 3), "C5");
        assert_eq!(cell_name(1, 26), "Z1");
        assert_eq!(cell_name(12, 28), "AB12");
    }
}

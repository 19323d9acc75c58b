//! The portal's table as cchc reads it: a header vocabulary made from `index766.toml`'s
//! `portal_columns` (the shared header search finds the table), the window its title gives, and
//! each row of a registry unit with its group scores. What cannot be a unit's scores (an
//! unreadable cell, an empty or unknown unit name) is said row by row; the locality's own row is
//! passed over (its scores are the units').

use anyhow::{bail, Result};
use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Pipeline;
use crate::index766::config::Index766Config;
use crate::ingest::columns::{CommonWords, DeclaredColumn};
use crate::ingest::{HeaderVocab, RawTable};
use crate::kinds::self_report::normalize::parse_number;
use crate::model::Cell;

/// Column ids of the groups (a header vocabulary's ids are static): group `i` of the
/// configuration is `GROUP_COLUMNS[i]`.
pub const GROUP_COLUMNS: [&str; 12] = [
    "group_1", "group_2", "group_3", "group_4", "group_5", "group_6", "group_7", "group_8",
    "group_9", "group_10", "group_11", "group_12",
];

/// One unit's row of the portal's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalRow {
    /// The unit as the registry names it.
    pub unit: String,
    /// Its sheet.
    pub sheet: String,
    /// 1-based row in the sheet.
    pub row: u32,
    /// Score per group id (None: the cell is empty).
    pub groups: Vec<(String, Option<f64>)>,
    /// The published total.
    pub total: Option<f64>,
}

/// The portal's table of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalTable {
    /// The file as messages name it.
    pub file: String,
    /// The window its title gives (two dates dd/mm/yyyy), if any.
    pub title_window: Option<(NaiveDate, NaiveDate)>,
    /// Rows of units of the registry.
    pub rows: Vec<PortalRow>,
    /// Rows whose unit the registry does not know: (row, name as written).
    pub unknown_units: Vec<(u32, String)>,
}

/// A row that cannot be a unit's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// Its sheet.
    pub sheet: String,
    /// 1-based row in the sheet.
    pub row: u32,
    /// The column at fault, as a person names it.
    pub column: String,
    /// The value as written.
    pub value: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

/// A file's tables read: the portal's table, and the rows that are not a unit's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadTable {
    /// Rows of registry units (and the unknown units, named).
    pub table: PortalTable,
    /// Rows with a cell that is not a score (the row is not read).
    pub bad_cells: Vec<RowProblem>,
    /// Rows with scores and no unit name.
    pub unnamed: Vec<RowProblem>,
    /// The locality's own row: (sheet, row, text).
    pub locality_rows: Vec<(String, u32, String)>,
}

/// The header vocabulary of the portal's tables: unit, total and one column per group.
pub fn header_vocab(pipeline: &Pipeline, config: &Index766Config) -> Result<HeaderVocab> {
    if config.groups.len() > GROUP_COLUMNS.len() {
        bail!(
            "index766.toml có {} nhóm; bảng điểm Cổng DVCQG đọc được tối đa {} nhóm",
            config.groups.len(),
            GROUP_COLUMNS.len()
        );
    }
    let spec = |label: &str, aliases: &[&str]| {
        Some((
            label.to_string(),
            false,
            aliases.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        ))
    };
    let mut declared = vec![
        DeclaredColumn {
            second_reading_of: None,
            id: "unit",
            spec: spec(
                "Đơn vị",
                &[
                    "Đơn vị",
                    "Tên đơn vị",
                    "Xã, phường",
                    "Xã/phường",
                    "Tên xã, phường",
                    "Địa phương",
                    "Xã, phường, đặc khu",
                ],
            ),
        },
        DeclaredColumn {
            second_reading_of: None,
            id: "total",
            spec: spec("Tổng điểm", &["Tổng điểm", "Tổng", "Tổng điểm (100)"]),
        },
    ];
    for (g, id) in config.groups.iter().zip(GROUP_COLUMNS) {
        declared.push(DeclaredColumn {
            second_reading_of: None,
            id,
            spec: Some((g.name.clone(), false, g.portal_columns.clone())),
        });
    }
    let common = CommonWords {
        ignored_columns: [
            pipeline.vocabulary.common.ignored_columns.clone(),
            vec![
                "Xếp hạng".into(),
                "Hạng".into(),
                "Xếp loại".into(),
                "Mã đơn vị".into(),
            ],
        ]
        .concat(),
        footer_markers: pipeline.vocabulary.common.footer_markers.clone(),
    };
    HeaderVocab::new(
        "portal_766",
        "bảng điểm Chỉ số 766 của Cổng DVCQG",
        declared,
        &common,
        &[vec!["unit".into(), "total".into()]],
        &[],
    )
}

/// Two dates dd/mm/yyyy in the title lines: the window the table scores.
pub fn title_window(lines: &[String]) -> Option<(NaiveDate, NaiveDate)> {
    let text = lines.join(" ");
    let mut dates = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '/')) {
        if let Ok(d) = NaiveDate::parse_from_str(word, "%d/%m/%Y") {
            dates.push(d);
        }
    }
    match dates.as_slice() {
        [a, b, ..] if a <= b => Some((*a, *b)),
        _ => None,
    }
}

/// A file's tables (found under [`header_vocab`]) as the portal's table; `file` names the file
/// in messages.
pub fn read_tables(
    pipeline: &Pipeline,
    config: &Index766Config,
    tables: &[RawTable],
    file: &str,
) -> ReadTable {
    let mut out = ReadTable {
        table: PortalTable {
            file: file.to_string(),
            title_window: None,
            rows: Vec::new(),
            unknown_units: Vec::new(),
        },
        bad_cells: Vec::new(),
        unnamed: Vec::new(),
        locality_rows: Vec::new(),
    };
    for table in tables {
        if out.table.title_window.is_none() {
            out.table.title_window = title_window(&table.title_lines);
        }
        let at = |c: usize| table.position(c);
        let unit_col = at(0);
        for row in &table.rows {
            let cell = |p: Option<usize>| p.map(|p| &row.cells[p]).unwrap_or(&Cell::Empty);
            let name = cell(unit_col).as_text().trim().to_string();
            let mut bad: Vec<RowProblem> = Vec::new();
            let mut number = |p: Option<usize>, label: &str, max: f64| -> Option<f64> {
                let c = cell(p);
                if c.is_empty() {
                    return None;
                }
                match parse_number(c) {
                    Some(v) if (0.0..=max + 1e-9).contains(&v) => Some(v),
                    _ => {
                        bad.push(RowProblem {
                            sheet: table.sheet.clone(),
                            row: row.row,
                            column: label.to_string(),
                            value: c.as_text().to_string(),
                            reason: format!(
                                "«{}» không phải điểm từ 0 đến {}",
                                c.as_text(),
                                crate::vn::number(max)
                            ),
                        });
                        None
                    }
                }
            };
            let groups: Vec<(String, Option<f64>)> = config
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.id.clone(), number(at(i + 2), &g.name, g.max)))
                .collect();
            let total = number(at(1), "Tổng điểm", 100.0);
            if name.is_empty() {
                out.unnamed.push(RowProblem {
                    sheet: table.sheet.clone(),
                    row: row.row,
                    column: "Đơn vị".into(),
                    value: String::new(),
                    reason: "dòng có điểm nhưng không có tên đơn vị".into(),
                });
                continue;
            }
            if !bad.is_empty() {
                out.bad_cells.extend(bad);
                continue;
            }
            match pipeline.units.find(&name) {
                Some(u) => out.table.rows.push(PortalRow {
                    unit: u.name.clone(),
                    sheet: table.sheet.clone(),
                    row: row.row,
                    groups,
                    total,
                }),
                None if crate::text::match_key(&name)
                    == crate::text::match_key(&pipeline.words.whole) =>
                {
                    out.locality_rows
                        .push((table.sheet.clone(), row.row, name.clone()))
                }
                None => out.table.unknown_units.push((row.row, name)),
            }
        }
    }
    out
}

/// The scorecard's message for a table with unreadable cells, or None.
pub fn bad_cells_message(read: &ReadTable) -> Option<String> {
    if read.bad_cells.is_empty() {
        return None;
    }
    Some(format!(
        "bảng điểm Cổng DVCQG có ô không đọc được; sửa các ô này rồi chạy lại:\n{}",
        read.bad_cells
            .iter()
            .map(|p| format!(
                "{}, trang {}, dòng {}, cột «{}»: {}",
                read.table.file, p.sheet, p.row, p.column, p.reason
            ))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

//! A statistics table as the kind's records, and back: one record per row of a unit or field
//! (what the row account counts), carrying its table's window, sheet and column order, so that a
//! table read from the store is the table read from its file.
//!
//! Group rows, the total row and the rows under the table are no records: they are listed as
//! rows passed over, and the totals that do not add up are warnings of the file.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::read::{By, SystemRow, SystemTable, WindowSource};
use super::Count;
use crate::model::{Level, RowRef};
use crate::normalize::{day_number, from_day_number};

/// The record table of some tables of file `file`.
pub fn to_frame(file: usize, tables: &[SystemTable]) -> Result<DataFrame> {
    let rows: Vec<(&SystemTable, &SystemRow)> = tables
        .iter()
        .flat_map(|t| t.rows.iter().map(move |r| (t, r)))
        .collect();
    let sources: Vec<RowRef> = rows
        .iter()
        .map(|(t, r)| RowRef {
            file,
            sheet: t.sheet.clone(),
            row: r.row,
        })
        .collect();
    let mut columns = crate::normalize::source_columns(sources.iter())?;
    let text = |name: &str, values: Vec<Option<String>>| Column::new(name.into(), values);
    columns.push(Column::new(
        "window_start".into(),
        rows.iter()
            .map(|(t, _)| day_number(t.window.0))
            .collect::<Vec<i32>>(),
    ));
    columns.push(Column::new(
        "window_end".into(),
        rows.iter()
            .map(|(t, _)| day_number(t.window.1))
            .collect::<Vec<i32>>(),
    ));
    columns.push(text(
        "window_source",
        rows.iter()
            .map(|(t, _)| Some(window_source_code(t.window_source).to_string()))
            .collect(),
    ));
    columns.push(text(
        "by",
        rows.iter()
            .map(|(t, _)| Some(by_code(t.by).to_string()))
            .collect(),
    ));
    columns.push(text(
        "columns",
        rows.iter()
            .map(|(t, _)| Some(columns_text(&t.columns)))
            .collect(),
    ));
    columns.push(text(
        "label",
        rows.iter().map(|(_, r)| Some(r.label.clone())).collect(),
    ));
    columns.push(text(
        "canonical",
        rows.iter().map(|(_, r)| r.canonical.clone()).collect(),
    ));
    columns.push(text(
        "level",
        rows.iter()
            .map(|(_, r)| r.level.map(|l| l.code().to_string()))
            .collect(),
    ));
    for count in Count::ALL {
        columns.push(Column::new(
            count.name().into(),
            rows.iter()
                .map(|(_, r)| r.counts.get(&count).copied())
                .collect::<Vec<Option<u64>>>(),
        ));
    }
    Ok(DataFrame::new(rows.len(), columns)?)
}

/// The tables of a record table, in the order their first rows come, rows in sheet order: one
/// per (file, sheet), with the file as messages name it.
pub fn tables(
    frame: &DataFrame,
    files: &dyn Fn(usize) -> String,
) -> Result<Vec<(usize, SystemTable)>> {
    let sources = crate::normalize::Sources::of(frame)?;
    let start = frame.column("window_start")?.i32()?;
    let end = frame.column("window_end")?.i32()?;
    let source = frame.column("window_source")?.str()?;
    let by = frame.column("by")?.str()?;
    let cols = frame.column("columns")?.str()?;
    let label = frame.column("label")?.str()?;
    let canonical = frame.column("canonical")?.str()?;
    let level = frame.column("level")?.str()?;
    let counts: Vec<(Count, &UInt64Chunked)> = Count::ALL
        .iter()
        .map(|c| Ok((*c, frame.column(c.name())?.u64()?)))
        .collect::<Result<_>>()?;
    let mut out: Vec<(usize, SystemTable)> = Vec::new();
    let mut at: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for i in 0..frame.height() {
        let file = sources.file(i);
        let sheet = sources.sheet(i);
        let k = *at.entry((file, sheet)).or_insert_with(|| {
            out.push((
                file,
                SystemTable {
                    file: files(file),
                    sheet: sheet.to_string(),
                    window: (
                        from_day_number(start.get(i).unwrap_or(0)),
                        from_day_number(end.get(i).unwrap_or(0)),
                    ),
                    window_source: if source.get(i) == Some("title") {
                        WindowSource::Title
                    } else {
                        WindowSource::Input
                    },
                    by: if by.get(i) == Some("field") {
                        By::Field
                    } else {
                        By::Unit
                    },
                    columns: parse_columns(cols.get(i).unwrap_or("")),
                    rows: Vec::new(),
                    groups: Vec::new(),
                    total: None,
                    totals_not_adding_up: Vec::new(),
                    rows_not_adding_up: Vec::new(),
                    unknown_columns: Vec::new(),
                    skipped_rows: Vec::new(),
                },
            ));
            out.len() - 1
        });
        out[k].1.rows.push(SystemRow {
            row: sources.at(i).row,
            label: label.get(i).unwrap_or("").to_string(),
            canonical: canonical.get(i).map(str::to_string),
            level: match level.get(i) {
                Some("huyen") => Some(Level::Huyen),
                Some("xa") => Some(Level::Xa),
                _ => None,
            },
            counts: counts
                .iter()
                .filter_map(|(c, v)| v.get(i).map(|n| (*c, n)))
                .collect(),
        });
    }
    for (_, t) in &mut out {
        t.rows.sort_by_key(|r| r.row);
    }
    Ok(out)
}

/// The record table with no rows.
pub fn empty() -> Result<DataFrame> {
    to_frame(0, &[])
}

fn window_source_code(s: WindowSource) -> &'static str {
    match s {
        WindowSource::Title => "title",
        WindowSource::Input => "input",
    }
}

fn by_code(b: By) -> &'static str {
    match b {
        By::Unit => "unit",
        By::Field => "field",
    }
}

/// A table's columns in order — count, letter, header as read — one a line, tab-separated.
fn columns_text(columns: &[(Count, String, String)]) -> String {
    columns
        .iter()
        .map(|(c, letter, header)| {
            format!(
                "{}\t{letter}\t{}",
                c.name(),
                header.replace(['\t', '\n'], " ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_columns(text: &str) -> Vec<(Count, String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let name = parts.next()?;
            let count = Count::ALL.into_iter().find(|c| c.name() == name)?;
            Some((
                count,
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").to_string(),
            ))
        })
        .collect()
}

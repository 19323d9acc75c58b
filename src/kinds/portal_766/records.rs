//! The portal's table as the kind's records, and back: one record per row of a registry unit,
//! carrying its table's window and where the window came from; a group's score is in the column
//! of its position in `index766.toml` (`group_1` …), so the record table has one schema whatever
//! the groups.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::read::{PortalRow, PortalTable, GROUP_COLUMNS};
use crate::model::RowRef;
use crate::normalize::{day_number, from_day_number};

/// Where a table's window came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindowSource {
    /// Two dates in its title.
    #[default]
    Title,
    /// The input entry's period.
    Input,
}

/// The window of a table: (first day, last day, where it came from).
pub type TableWindow = ((NaiveDate, NaiveDate), WindowSource);

/// A file's table read back: (file position, its window, the table).
pub type StoredTable = (usize, (NaiveDate, NaiveDate), PortalTable);

/// The record table of the rows of one file's table.
pub fn to_frame(file: usize, window: TableWindow, rows: &[PortalRow]) -> Result<DataFrame> {
    let ((start, end), source) = window;
    let sources: Vec<RowRef> = rows
        .iter()
        .map(|r| RowRef {
            file,
            sheet: r.sheet.clone(),
            row: r.row,
        })
        .collect();
    let mut columns = crate::normalize::source_columns(sources.iter())?;
    let n = rows.len();
    columns.push(Column::new(
        "window_start".into(),
        vec![day_number(start); n],
    ));
    columns.push(Column::new("window_end".into(), vec![day_number(end); n]));
    let source = match source {
        WindowSource::Title => "title",
        WindowSource::Input => "input",
    };
    columns.push(Column::new("window_source".into(), vec![source; n]));
    columns.push(Column::new(
        "unit".into(),
        rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "total".into(),
        rows.iter().map(|r| r.total).collect::<Vec<_>>(),
    ));
    for (i, id) in GROUP_COLUMNS.iter().enumerate() {
        columns.push(Column::new(
            (*id).into(),
            rows.iter()
                .map(|r| r.groups.get(i).and_then(|g| g.1))
                .collect::<Vec<Option<f64>>>(),
        ));
    }
    Ok(DataFrame::new(n, columns)?)
}

/// The tables of a record table, one per file in the order their first rows come, rows in
/// sheet order, with their windows; `groups` are the group ids of `index766.toml`, in order,
/// and `files` names a file in messages.
pub fn tables(
    frame: &DataFrame,
    groups: &[String],
    files: &dyn Fn(usize) -> String,
) -> Result<Vec<StoredTable>> {
    let sources = crate::normalize::Sources::of(frame)?;
    let start = frame.column("window_start")?.i32()?;
    let end = frame.column("window_end")?.i32()?;
    let unit = frame.column("unit")?.str()?;
    let total = frame.column("total")?.f64()?;
    let scores: Vec<&Float64Chunked> = GROUP_COLUMNS
        .iter()
        .take(groups.len())
        .map(|c| Ok(frame.column(c)?.f64()?))
        .collect::<Result<_>>()?;
    let mut out: Vec<StoredTable> = Vec::new();
    let mut at: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..frame.height() {
        let file = sources.file(i);
        let k = *at.entry(file).or_insert_with(|| {
            out.push((
                file,
                (
                    from_day_number(start.get(i).unwrap_or(0)),
                    from_day_number(end.get(i).unwrap_or(0)),
                ),
                PortalTable {
                    file: files(file),
                    title_window: None,
                    rows: Vec::new(),
                    unknown_units: Vec::new(),
                },
            ));
            out.len() - 1
        });
        out[k].2.rows.push(PortalRow {
            unit: unit.get(i).unwrap_or("").to_string(),
            sheet: sources.sheet(i).to_string(),
            row: sources.at(i).row,
            groups: groups
                .iter()
                .zip(&scores)
                .map(|(g, s)| (g.clone(), s.get(i)))
                .collect(),
            total: total.get(i),
        });
    }
    for (_, _, t) in &mut out {
        t.rows
            .sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    }
    Ok(out)
}

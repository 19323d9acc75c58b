//! One sheet as the readers hand it over: rows of cells with where they sit. Its own module so
//! that each reader (workbooks and CSV in [`super::grid`], HTML in [`super::html`]) builds it
//! without the readers depending on one another.

use crate::model::Cell;

/// One sheet of a file as rows of cells. `first_row` is the 0-based sheet row of `rows[0]`.
pub struct Grid {
    /// The sheet's name (the file name for CSV).
    pub name: String,
    /// 0-based sheet row of the first row held.
    pub first_row: u32,
    /// 0-based sheet column of the first column held.
    pub first_col: u32,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The text encoding the sheet was decoded from (`UTF-8`, `UTF-16LE`, `Windows-1258` …),
    /// for CSV, text and HTML files; None for workbooks.
    pub encoding: Option<String>,
}

impl Grid {
    /// The cell at a held row and column, `Empty` beyond the row's end.
    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        self.rows.get(r).and_then(|row| row.get(c)).unwrap_or(EMPTY)
    }
    /// The 1-based row number a spreadsheet program shows for held row `r`.
    pub fn row_number(&self, r: usize) -> u32 {
        self.first_row + r as u32 + 1
    }
}

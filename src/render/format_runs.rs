//! Workbook cells given their format once per run.
//!
//! rust_xlsxwriter hashes the whole `Format` on every formatted write: on a city's long lists
//! that was a third of a workbook's time. The cells of a row that stand side by side in one
//! format are written bare and given it in one `set_range_format` when the run ends — within
//! their row, as a constant-memory sheet writes a row out when the next begins, and in the
//! order the cells come, so every format gets the index it had when each cell carried its own
//! and the file is the same. What rust_xlsxwriter writes differently bare (an empty text is a
//! formatted blank only with its format; a number that is not finite is written as a text) is
//! written with its format at once, after the run in progress ends.

use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// The run in progress of one worksheet.
#[derive(Default)]
pub(crate) struct FormatRuns<'f> {
    run: Option<Run<'f>>,
}

struct Run<'f> {
    row: u32,
    first_col: u16,
    last_col: u16,
    format: &'f Format,
}

impl<'f> FormatRuns<'f> {
    /// A text cell.
    pub fn text(
        &mut self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        t: &str,
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        if t.is_empty() {
            self.end(ws)?;
            ws.write_string_with_format(row, col, t, f)?;
        } else {
            self.join(ws, (row, col), f)?;
            ws.write_string(row, col, t)?;
        }
        Ok(())
    }

    /// A number cell.
    pub fn number(
        &mut self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        n: f64,
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        if n.is_finite() {
            self.join(ws, (row, col), f)?;
            ws.write_number(row, col, n)?;
        } else {
            self.end(ws)?;
            ws.write_number_with_format(row, col, n, f)?;
        }
        Ok(())
    }

    /// A date cell.
    pub fn date(
        &mut self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        d: &ExcelDateTime,
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        self.join(ws, (row, col), f)?;
        ws.write_datetime(row, col, d)?;
        Ok(())
    }

    /// Gives the run in progress its format: before a write that carries its own, at a row's
    /// end, at the sheet's end.
    pub fn end(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        if let Some(r) = self.run.take() {
            ws.set_range_format(r.row, r.first_col, r.row, r.last_col, r.format)?;
        }
        Ok(())
    }

    /// Counts the cell into the run of its format, ending a run it does not continue.
    fn join(
        &mut self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        match &mut self.run {
            Some(r) if r.row == row && r.last_col + 1 == col && std::ptr::eq(r.format, f) => {
                r.last_col = col;
            }
            _ => {
                self.end(ws)?;
                self.run = Some(Run {
                    row,
                    first_col: col,
                    last_col: col,
                    format: f,
                });
            }
        }
        Ok(())
    }
}

impl Drop for FormatRuns<'_> {
    fn drop(&mut self) {
        debug_assert!(
            self.run.is_none(),
            "a run of cells was left without its format (FormatRuns::end not called)"
        );
    }
}

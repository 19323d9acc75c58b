//! Workbook cells given their format once per run.
//!
//! rust_xlsxwriter hashes the whole `Format` on every formatted write: on a city's long lists
//! that was a third of a workbook's time. The cells of a row that stand side by side in one
//! format are written bare and given it in one `set_range_format` when the run ends — within
//! their row, as a constant-memory sheet writes a row out when the next begins, and in the
//! order the cells come, so every format gets the index it had when each cell carried its own
//! and the file is the same. A blank cell (an empty text is one) joins the run unwritten:
//! `set_range_format` makes a formatted blank where no cell is, as a formatted write of a blank
//! does — but only in a row already begun and within the columns already written, where the
//! sheet's row and its used area are already what the write would make them. What
//! rust_xlsxwriter writes differently bare (a number that is not finite is written as a text)
//! is written with its format at once, after the run in progress ends.

use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// The run in progress of one worksheet.
#[derive(Default)]
pub(crate) struct FormatRuns<'f> {
    run: Option<Run<'f>>,
    /// The row of the last cell written, and the first and last columns written in the sheet.
    written: Option<Written>,
}

#[derive(Clone, Copy)]
struct Written {
    row: u32,
    first_col: u16,
    last_col: u16,
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
        t: String,
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        if t.is_empty() {
            return self.blank(ws, (row, col), f);
        }
        self.join(ws, (row, col), f)?;
        self.wrote(row, col);
        ws.write_string(row, col, t)?;
        Ok(())
    }

    /// A blank cell.
    pub fn blank(
        &mut self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        f: &'f Format,
    ) -> Result<(), XlsxError> {
        let inside = self
            .written
            .is_some_and(|w| w.row == row && w.first_col <= col && col <= w.last_col);
        if inside {
            return self.join(ws, (row, col), f);
        }
        self.end(ws)?;
        self.wrote(row, col);
        ws.write_blank(row, col, f)?;
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
        self.wrote(row, col);
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
        self.wrote(row, col);
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

    /// Notes a cell written to the sheet, for [`FormatRuns::blank`].
    fn wrote(&mut self, row: u32, col: u16) {
        let (first_col, last_col) = self
            .written
            .map_or((col, col), |w| (w.first_col.min(col), w.last_col.max(col)));
        self.written = Some(Written {
            row,
            first_col,
            last_col,
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    /// A cell of the test sheet: a text, a number or a blank, and its format's place.
    enum Put {
        Text(&'static str),
        Number(f64),
        Blank,
    }

    /// The sheet XML of a constant-memory workbook whose cells `write` wrote.
    fn sheet_xml(
        write: impl FnOnce(&mut Worksheet, &[Format; 2]) -> Result<(), XlsxError>,
    ) -> String {
        let mut wb = Workbook::new();
        let formats = [Format::new().set_bold(), Format::new().set_italic()];
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        write(ws, &formats).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        xml
    }

    #[test]
    fn a_sheet_written_in_runs_is_the_sheet_written_cell_by_cell() {
        use Put::*;
        // Blanks at a row's start, inside the columns written and past them; an empty text;
        // a number that is not finite; a row of nothing but a blank.
        let rows: Vec<Vec<(u16, Put, usize)>> = vec![
            vec![
                (0, Text("a"), 0),
                (1, Text("b"), 0),
                (2, Number(1.0), 1),
                (3, Blank, 1),
            ],
            vec![
                (0, Blank, 0),
                (1, Text("c"), 0),
                (2, Blank, 1),
                (3, Text("d"), 1),
            ],
            vec![
                (0, Text("e"), 0),
                (1, Text(""), 0),
                (2, Number(f64::NAN), 1),
                (3, Blank, 0),
            ],
            vec![(2, Blank, 1)],
            vec![
                (0, Number(2.5), 1),
                (1, Blank, 1),
                (2, Blank, 1),
                (5, Blank, 0),
            ],
        ];
        let by_cell = sheet_xml(|ws, f| {
            for (r, row) in rows.iter().enumerate() {
                for (c, put, k) in row {
                    let (r, f) = (r as u32, &f[*k]);
                    match put {
                        Text(t) => ws.write_string_with_format(r, *c, *t, f)?,
                        Number(n) => ws.write_number_with_format(r, *c, *n, f)?,
                        Blank => ws.write_blank(r, *c, f)?,
                    };
                }
            }
            Ok(())
        });
        let in_runs = sheet_xml(|ws, f| {
            let mut runs = FormatRuns::default();
            for (r, row) in rows.iter().enumerate() {
                for (c, put, k) in row {
                    let (at, f) = ((r as u32, *c), &f[*k]);
                    match put {
                        Text(t) => runs.text(ws, at, t.to_string(), f)?,
                        Number(n) => runs.number(ws, at, *n, f)?,
                        Blank => runs.blank(ws, at, f)?,
                    }
                }
                runs.end(ws)?;
            }
            Ok(())
        });
        assert!(by_cell.contains(r#"<c r="D1" s="2"/>"#), "{by_cell}");
        assert!(by_cell.contains(r#"<c r="C2" s="2"/>"#), "{by_cell}");
        assert_eq!(in_runs, by_cell);
    }
}

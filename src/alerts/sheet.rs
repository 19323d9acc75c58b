//! Where the workbook's layout goes. The same layout ([`super::render`]) is laid into sheet
//! models, which the snapshot tests read, or straight into rust_xlsxwriter's worksheets: a
//! city's list holds hundreds of thousands of rows, and going through a model first (every
//! cell an owned value, then sorted, then a format looked up and copied) took most of the
//! time of `cchc alerts`. Both ways give the same cells, row heights, formats and pages as the
//! shared writer (`render::annex::xlsx`), whose formats, page setup, row heights and
//! continuation sheets they call.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use crate::render::annex::build::{fit_row_heights, row_height, text_lines};
use crate::render::annex::model::{
    continuation_name, Merge, SheetModel, Style, Value, MAX_SHEET_ROWS,
};
use crate::render::annex::xlsx::{format_of, new_workbook, page_footer, page_setup};
use crate::text::cut_for_xlsx;

/// The font of every sheet of the list.
const FONT: &str = "Times New Roman";
/// Its size.
const FONT_SIZE: f64 = 11.0;

/// A cell's value, borrowed from the row it shows.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Nothing (formatted).
    Blank,
    /// A number.
    Number(f64),
    /// A day.
    Date(NaiveDate),
    /// A text.
    Text(&'a str),
}

impl Cell<'_> {
    fn owned(self) -> Value {
        match self {
            Cell::Blank => Value::Blank,
            Cell::Number(n) => Value::Number(n),
            Cell::Date(d) => Value::Date(d),
            Cell::Text(t) => Value::Text(t.to_string()),
        }
    }
}

/// What a sheet is before its cells.
#[derive(Debug, Clone)]
pub struct SheetSpec {
    /// Its name.
    pub name: String,
    /// Column widths, in characters.
    pub widths: Vec<f64>,
    /// Rows repeated on every printed page (and on every continuation sheet).
    pub repeat_rows: Option<(u32, u32)>,
    /// Rows above it frozen (0: none).
    pub freeze_row: u32,
}

/// Receives a workbook's sheets, row by row, each row's cells left to right.
pub trait Sink {
    /// Starts a sheet.
    fn begin(&mut self, spec: SheetSpec) -> Result<()>;
    /// A text across the columns 0 to `last_col` of a row.
    fn merged(&mut self, row: u32, last_col: u16, text: &str, style: Style) -> Result<()>;
    /// One cell.
    fn cell(&mut self, row: u32, col: u16, cell: Cell<'_>, style: Style) -> Result<()>;
    /// Ends the sheet.
    fn end(&mut self) -> Result<()>;
}

/// Lays sheets into sheet models (what `render::sheets` returns and the tests read).
#[derive(Default)]
pub struct Models {
    /// The sheets.
    pub sheets: Vec<SheetModel>,
}

impl Models {
    fn last(&mut self) -> Result<&mut SheetModel> {
        self.sheets
            .last_mut()
            .ok_or_else(|| anyhow::anyhow!("ô ghi trước khi có trang tính (lỗi của cchc)"))
    }
}

impl Sink for Models {
    fn begin(&mut self, spec: SheetSpec) -> Result<()> {
        self.sheets.push(SheetModel {
            name: spec.name,
            font: FONT.into(),
            font_size: FONT_SIZE,
            widths: spec.widths,
            repeat_rows: spec.repeat_rows,
            freeze_row: spec.freeze_row,
            ..SheetModel::default()
        });
        Ok(())
    }

    fn merged(&mut self, row: u32, last_col: u16, text: &str, style: Style) -> Result<()> {
        self.last()?.merges.push(Merge {
            first_row: row,
            first_col: 0,
            last_row: row,
            last_col,
            text: text.to_string(),
            style,
        });
        Ok(())
    }

    fn cell(&mut self, row: u32, col: u16, cell: Cell<'_>, style: Style) -> Result<()> {
        self.last()?.set(row, col, cell.owned(), style);
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        fit_row_heights(self.last()?, 0);
        Ok(())
    }
}

/// A row of the rows every page of a sheet starts with, kept to start its continuation sheets.
enum HeadItem {
    Merge(u32, u16, String, Style),
    Cell(u32, u16, Value, Style),
}

/// The sheet being written.
struct Open {
    spec: SheetSpec,
    /// The rows every page repeats (those repeated on print, else those frozen).
    head: u32,
    /// The rows a worksheet holds.
    max_rows: u32,
    head_items: Vec<HeadItem>,
    head_heights: Vec<(u32, f64)>,
    /// The page (0: the sheet itself, then its continuation sheets) and its worksheet.
    page: u32,
    worksheet: usize,
    /// The row being written (sheet numbering) and the lines its texts need so far.
    row: Option<u32>,
    lines: usize,
}

/// Writes sheets straight into an xlsx workbook, each row as it comes (constant memory).
pub struct Direct {
    wb: Workbook,
    formats: HashMap<Style, Format>,
    sheets: usize,
    open: Option<Open>,
    max_rows: u32,
    /// The page footer, as the worksheet takes it.
    footer: String,
}

impl Direct {
    /// A workbook with this title and the template's words of the page footer (`{page}`,
    /// `{pages}`).
    pub fn new(title: &str, footer: &str) -> Result<Direct> {
        Direct::with_max_rows(title, footer, MAX_SHEET_ROWS)
    }

    /// A workbook whose worksheets hold `max_rows` rows (fewer than xlsx's, to test the
    /// continuation sheets).
    fn with_max_rows(title: &str, footer: &str, max_rows: u32) -> Result<Direct> {
        Ok(Direct {
            wb: new_workbook(title)?,
            formats: HashMap::new(),
            sheets: 0,
            open: None,
            max_rows,
            footer: page_footer(footer),
        })
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        Ok(self.wb.save_to_buffer()?)
    }

    fn add_worksheet(&mut self, name: &str, spec: &SheetSpec) -> Result<usize> {
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (c, w) in spec.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        if spec.freeze_row > 0 {
            ws.set_freeze_panes(spec.freeze_row, 0)?;
        }
        if let Some((a, b)) = spec.repeat_rows {
            ws.set_repeat_rows(a, b)?;
        }
        page_setup(ws, &self.footer);
        self.sheets += 1;
        Ok(self.sheets - 1)
    }

    fn open(&mut self) -> Result<&mut Open> {
        self.open
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("ô ghi trước khi có trang tính (lỗi của cchc)"))
    }

    /// Gives the finished row the height its texts need.
    fn finish_row(&mut self) -> Result<()> {
        let o = self.open()?;
        let (Some(row), lines) = (o.row.take(), std::mem::replace(&mut o.lines, 1)) else {
            return Ok(());
        };
        if lines <= 1 {
            return Ok(());
        }
        let height = row_height(lines, FONT_SIZE);
        let (worksheet, local) = (o.worksheet, local_row(o, row));
        if row < o.head {
            o.head_heights.push((row, height));
        }
        self.wb
            .worksheet_from_index(worksheet)?
            .set_row_height(local, height)?;
        Ok(())
    }

    /// Moves to a row: finishes the one before, starts a continuation sheet when the row
    /// falls past the worksheet's last; the row's worksheet and its number there.
    fn at(&mut self, row: u32) -> Result<(usize, u32)> {
        if self.open()?.row != Some(row) {
            self.finish_row()?;
        }
        let o = self.open()?;
        let page = page_of(o, row);
        if page > o.page {
            self.continue_to(page)?;
        }
        let o = self.open()?;
        o.row = Some(row);
        Ok((o.worksheet, local_row(o, row)))
    }

    /// Starts the continuation sheets up to this page, each with the sheet's first rows.
    fn continue_to(&mut self, page: u32) -> Result<()> {
        let Some(mut o) = self.open.take() else {
            return Ok(());
        };
        while o.page < page {
            o.page += 1;
            o.worksheet =
                self.add_worksheet(&continuation_name(&o.spec.name, o.page + 1), &o.spec)?;
            for item in &o.head_items {
                match item {
                    HeadItem::Merge(row, last, text, style) => {
                        let f = format(&mut self.formats, *style);
                        write_merge(
                            self.wb.worksheet_from_index(o.worksheet)?,
                            *row,
                            *last,
                            text,
                            &f,
                        )?
                    }
                    HeadItem::Cell(row, col, value, style) => {
                        let f = format(&mut self.formats, *style);
                        write_cell(
                            self.wb.worksheet_from_index(o.worksheet)?,
                            *row,
                            *col,
                            as_cell(value),
                            &f,
                        )?
                    }
                }
            }
            for (row, height) in &o.head_heights {
                self.wb
                    .worksheet_from_index(o.worksheet)?
                    .set_row_height(*row, *height)?;
            }
        }
        self.open = Some(o);
        Ok(())
    }
}

fn format(formats: &mut HashMap<Style, Format>, style: Style) -> Format {
    formats
        .entry(style)
        .or_insert_with(|| format_of(style, FONT, FONT_SIZE))
        .clone()
}

/// Rows past the head go on into continuation sheets as `SheetModel::pages` places them.
fn capacity(o: &Open) -> u32 {
    o.max_rows - o.head
}

fn page_of(o: &Open, row: u32) -> u32 {
    if row < o.head {
        0
    } else {
        (row - o.head) / capacity(o)
    }
}

fn local_row(o: &Open, row: u32) -> u32 {
    if row < o.head {
        row
    } else {
        row - page_of(o, row) * capacity(o)
    }
}

fn as_cell(v: &Value) -> Cell<'_> {
    match v {
        Value::Number(n) => Cell::Number(*n),
        Value::Date(d) => Cell::Date(*d),
        Value::Text(t) => Cell::Text(t),
        _ => Cell::Blank,
    }
}

fn write_merge(ws: &mut Worksheet, row: u32, last_col: u16, text: &str, f: &Format) -> Result<()> {
    let text = cut_for_xlsx(text).0;
    if last_col == 0 {
        ws.write_string_with_format(row, 0, text.as_ref(), f)?;
    } else {
        ws.merge_range(row, 0, row, last_col, text.as_ref(), f)?;
    }
    Ok(())
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: Cell<'_>, f: &Format) -> Result<()> {
    match cell {
        // A text longer than a cell holds is cut, as the shared writer does.
        Cell::Text(t) => ws.write_string_with_format(row, col, cut_for_xlsx(t).0.as_ref(), f)?,
        Cell::Number(n) => ws.write_number_with_format(row, col, n, f)?,
        Cell::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &dt, f)?
        }
        Cell::Blank => ws.write_blank(row, col, f)?,
    };
    Ok(())
}

impl Sink for Direct {
    fn begin(&mut self, spec: SheetSpec) -> Result<()> {
        if self.open.is_some() {
            self.end()?;
        }
        let worksheet = self.add_worksheet(&spec.name.clone(), &spec)?;
        let head = spec
            .repeat_rows
            .map(|(_, last)| last + 1)
            .unwrap_or(spec.freeze_row);
        self.open = Some(Open {
            spec,
            head,
            max_rows: self.max_rows,
            head_items: Vec::new(),
            head_heights: Vec::new(),
            page: 0,
            worksheet,
            row: None,
            lines: 1,
        });
        Ok(())
    }

    fn merged(&mut self, row: u32, last_col: u16, text: &str, style: Style) -> Result<()> {
        let (worksheet, local) = self.at(row)?;
        let o = self.open()?;
        if row < o.head {
            o.head_items
                .push(HeadItem::Merge(row, last_col, text.to_string(), style));
        }
        let f = self
            .formats
            .entry(style)
            .or_insert_with(|| format_of(style, FONT, FONT_SIZE));
        write_merge(
            self.wb.worksheet_from_index(worksheet)?,
            local,
            last_col,
            text,
            f,
        )
    }

    fn cell(&mut self, row: u32, col: u16, cell: Cell<'_>, style: Style) -> Result<()> {
        let (worksheet, local) = self.at(row)?;
        let o = self.open()?;
        if let Cell::Text(t) = cell {
            o.lines = o
                .lines
                .max(text_lines(o.spec.widths.get(col as usize).copied(), t));
        }
        if row < o.head {
            o.head_items
                .push(HeadItem::Cell(row, col, cell.owned(), style));
        }
        let f = self
            .formats
            .entry(style)
            .or_insert_with(|| format_of(style, FONT, FONT_SIZE));
        write_cell(
            self.wb.worksheet_from_index(worksheet)?,
            local,
            col,
            cell,
            f,
        )
    }

    fn end(&mut self) -> Result<()> {
        if self.open.is_some() {
            self.finish_row()?;
        }
        self.open = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::annex::xlsx::write_workbook;

    /// Lays a sheet named with 31 characters (its continuations cut it), a title, a repeated
    /// header (one text wrapping on two lines) and `n` rows.
    fn lay(out: &mut dyn Sink, n: u32) -> Result<()> {
        out.begin(SheetSpec {
            name: "1. Phòng Tài nguyên và Môi trườ".into(),
            widths: vec![6.0, 12.0],
            repeat_rows: Some((0, 1)),
            freeze_row: 0,
        })?;
        out.merged(0, 1, "Tiêu đề", Style::Title)?;
        out.cell(1, 0, Cell::Text("STT"), Style::Header)?;
        out.cell(
            1,
            1,
            Cell::Text("Tên cột dài xuống hai dòng"),
            Style::Header,
        )?;
        for k in 0..n {
            out.cell(2 + k, 0, Cell::Number(f64::from(k + 1)), Style::Integer)?;
            let day = NaiveDate::from_ymd_opt(2024, 3, 1 + k % 28).unwrap();
            out.cell(2 + k, 1, Cell::Date(day), Style::Date)?;
        }
        out.end()
    }

    #[test]
    fn rows_past_a_worksheet_go_on_into_continuation_sheets_as_the_shared_writer_puts_them() {
        let mut models = Models::default();
        lay(&mut models, 9).unwrap();
        // The shared writer's pages of 5 rows: the 2 head rows, then 3 of the 9 a page.
        let pages: Vec<SheetModel> = models
            .sheets
            .iter()
            .flat_map(|s| s.pages(5))
            .map(std::borrow::Cow::into_owned)
            .collect();
        assert_eq!(pages.len(), 3);
        let expected = write_workbook(pages, "t", "Trang {page}/{pages}").unwrap();
        let mut direct = Direct::with_max_rows("t", "Trang {page}/{pages}", 5).unwrap();
        lay(&mut direct, 9).unwrap();
        assert!(direct.finish().unwrap() == expected);
    }

    #[test]
    fn a_sheet_that_fits_is_written_as_its_model() {
        let mut models = Models::default();
        lay(&mut models, 4).unwrap();
        let expected = write_workbook(models.sheets, "t", "Trang {page}/{pages}").unwrap();
        let mut direct = Direct::new("t", "Trang {page}/{pages}").unwrap();
        lay(&mut direct, 4).unwrap();
        assert!(direct.finish().unwrap() == expected);
    }
}

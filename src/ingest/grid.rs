//! Files → grids of [`Cell`]s, one per sheet: calamine for workbooks, the csv crate for CSV.
//!
//! Nothing here knows what a dossier is; it only turns bytes into cells and failures into
//! [`FileProblem`]s a person can act on.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDateTime;

use super::sniff::{self, Format};
use super::FileProblem;
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

/// Reads every sheet of a file. The format is told from the bytes, not the name (see
/// [`super::sniff`]): an xlsx saved as `.xls`, an ods named `.xlsx` or an HTML table saved as
/// `.xls` read as what they are.
pub fn read_grids(path: &Path, bytes: &[u8]) -> Result<Vec<Grid>, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let named_ooxml = matches!(ext.as_str(), "xlsx" | "xlsm" | "ods");
    let mut grids = match sniff::format_of(bytes) {
        Format::Xlsx => read_xlsx(bytes)?,
        Format::Ods => read_workbook(bytes, "ods")?,
        // An OLE file named as an xlsx or ods that is not a readable xls is taken as an
        // encrypted one whose directory was not recognised.
        Format::Xls => read_workbook(bytes, "xls").map_err(|e| match e {
            FileProblem::Corrupt(_) if named_ooxml => FileProblem::Encrypted,
            e => e,
        })?,
        Format::EncryptedOoxml => return Err(FileProblem::Encrypted),
        Format::OtherZip => {
            return Err(FileProblem::Corrupt(
                "tệp nén zip nhưng không phải bảng tính .xlsx hay .ods".into(),
            ))
        }
        Format::MarkupWithoutTable => {
            return Err(FileProblem::Corrupt(
                "tệp HTML/XML nhưng không có bảng <table> nào".into(),
            ))
        }
        Format::Html => {
            let declared = super::html::declared_charset(bytes);
            let decoded = sniff::decode(bytes, declared.as_deref());
            let mut grids = super::html::read_tables(&decoded.text);
            for g in &mut grids {
                g.encoding = Some(decoded.encoding.to_string());
            }
            grids
        }
        // A file named as a workbook may be delimited text (web systems save TSV as .xls), but
        // only if it reads as a table: otherwise it is a damaged workbook.
        Format::Text
            if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
                && !sniff::looks_tabular(bytes) =>
        {
            return Err(FileProblem::Corrupt(
                "nội dung là văn bản, không phải bảng tính".into(),
            ))
        }
        Format::Text => vec![read_csv(path, bytes)?],
    };
    for g in &mut grids {
        drop_controls(g);
    }
    for g in &grids {
        if only_formulas_without_values(g) {
            return Err(FileProblem::FormulasWithoutValues {
                sheet: g.name.clone(),
            });
        }
    }
    Ok(grids)
}

/// Removes the control characters of every text a sheet holds, its name included: the one place
/// every format's text passes ([`crate::text::without_controls`]).
fn drop_controls(g: &mut Grid) {
    use std::borrow::Cow;
    let fix = |s: &mut String| {
        if let Cow::Owned(clean) = crate::text::without_controls(s) {
            *s = clean;
        }
    };
    fix(&mut g.name);
    for cell in g.rows.iter_mut().flatten() {
        match cell {
            Cell::Text(s) => {
                fix(s);
                if s.trim().is_empty() {
                    *cell = Cell::Empty;
                }
            }
            Cell::Error(s) | Cell::Formula(s) => fix(s),
            _ => {}
        }
    }
}

/// Whether a sheet's data is nothing but formulas without values: it has a formula cell whose
/// value the file does not hold, and from the first row holding one down, no cell holds a
/// value. Such a sheet would read as a list of unreadable rows (or none at all); the file must
/// be opened in a spreadsheet program and saved, which computes the values. A sheet where some
/// cells below hold values is read, and its rows whose dates are such formulas are quarantined.
fn only_formulas_without_values(g: &Grid) -> bool {
    let Some(first) = g
        .rows
        .iter()
        .position(|r| r.iter().any(|c| matches!(c, Cell::Formula(_))))
    else {
        return false;
    };
    g.rows[first..]
        .iter()
        .flatten()
        .all(|c| matches!(c, Cell::Formula(_)) || c.is_empty())
}

/// The rows of a sheet from its sparse cells (0-based absolute positions), spanning the cells
/// held: empty rows and columns before the first cell are not held.
fn dense(cells: Vec<((u32, u32), Cell)>, name: String) -> Grid {
    let first_row = cells.iter().map(|((r, _), _)| *r).min().unwrap_or(0);
    let first_col = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let last_row = cells.iter().map(|((r, _), _)| *r).max();
    let last_col = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(0);
    let width = (last_col - first_col + 1) as usize;
    let height = last_row.map_or(0, |l| (l - first_row + 1) as usize);
    let mut rows = vec![vec![Cell::Empty; width]; height];
    for ((r, c), cell) in cells {
        rows[(r - first_row) as usize][(c - first_col) as usize] = cell;
    }
    Grid {
        name,
        first_row,
        first_col,
        rows,
        encoding: None,
    }
}

/// An xlsx, sheet by sheet in one pass over each sheet's cells, values and formulas together:
/// a formula whose cached value is missing (or empty) is a [`Cell::Formula`].
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, FileProblem> {
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| FileProblem::Corrupt(e.to_string()))?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let corrupt =
            |e: calamine::XlsxError| FileProblem::Corrupt(format!("trang tính «{name}»: {e}"));
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet holds no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(corrupt(e)),
        };
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell_with_formula().map_err(corrupt)? {
            let value = convert(&Data::from(cell.value));
            match (value, cell.formula) {
                (Cell::Empty, Some(f)) if !f.trim().is_empty() => {
                    cells.push((cell.pos, Cell::Formula(f)))
                }
                (Cell::Empty, _) => {}
                (v, _) => cells.push((cell.pos, v)),
            }
        }
        grids.push(dense(cells, name));
    }
    Ok(grids)
}

fn read_workbook(bytes: &[u8], ext: &str) -> Result<Vec<Grid>, FileProblem> {
    let cursor = std::io::Cursor::new(bytes);
    let mut sheets = match ext {
        "xls" => calamine::Xls::new(cursor)
            .map(calamine::Sheets::Xls)
            .map_err(|e| xls_problem(&e)),
        _ => calamine::Ods::new(cursor)
            .map(calamine::Sheets::Ods)
            .map_err(|e| match e {
                calamine::OdsError::Password => FileProblem::Encrypted,
                e => FileProblem::Corrupt(e.to_string()),
            }),
    }?;
    let mut grids = Vec::new();
    for name in sheets.sheet_names() {
        let problem = |e: calamine::Error| match e {
            calamine::Error::Xls(ref x) => xls_problem(x),
            calamine::Error::Ods(calamine::OdsError::Password) => FileProblem::Encrypted,
            e => FileProblem::Corrupt(format!("trang tính «{name}»: {e}")),
        };
        let range = sheets.worksheet_range(&name).map_err(problem)?;
        // Formulas whose value the file does not hold (a program wrote them without computing).
        let formulas = sheets.worksheet_formula(&name).unwrap_or_default();
        let (f_row, f_col) = formulas.start().unwrap_or((0, 0));
        let uncached: Vec<((u32, u32), Cell)> = formulas
            .used_cells()
            .filter(|(_, _, f)| !f.trim().is_empty())
            .map(|(r, c, f)| ((f_row + r as u32, f_col + c as u32), f))
            .filter(|(pos, _)| {
                range
                    .get_value(*pos)
                    .is_none_or(|v| convert(v) == Cell::Empty)
            })
            .map(|(pos, f)| (pos, Cell::Formula(f.clone())))
            .collect();
        if uncached.is_empty() {
            let (first_row, first_col) = range.start().unwrap_or((0, 0));
            let rows = range
                .rows()
                .map(|r| r.iter().map(convert).collect())
                .collect();
            grids.push(Grid {
                name,
                first_row,
                first_col,
                rows,
                encoding: None,
            });
        } else {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut cells: Vec<((u32, u32), Cell)> = range
                .used_cells()
                .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), convert(v)))
                .filter(|(_, v)| *v != Cell::Empty)
                .collect();
            cells.extend(uncached);
            grids.push(dense(cells, name));
        }
    }
    Ok(grids)
}

fn xls_problem(e: &calamine::XlsError) -> FileProblem {
    match e {
        calamine::XlsError::Password => FileProblem::Encrypted,
        e => FileProblem::Corrupt(e.to_string()),
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                dt.as_datetime()
                    .map(Cell::DateTime)
                    .unwrap_or(Cell::Number(dt.as_f64()))
            } else {
                Cell::Number(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => parse_iso(s)
            .map(Cell::DateTime)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn parse_iso(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

/// Delimited text: CSV with `,` or `;`, or tab-separated, in any encoding of [`sniff::decode`].
fn read_csv(path: &Path, bytes: &[u8]) -> Result<Grid, FileProblem> {
    let decoded = sniff::decode(bytes, None);
    let text: &str = &decoded.text;
    let delimiter = sniff::delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Physical lines before `counted_to`, counted as the reader moves on.
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // The reader skips empty lines, which a spreadsheet program shows as rows: the
                // record's position is where the skipped run began.
                let mut start = record
                    .position()
                    .map(|p| p.byte() as usize)
                    .unwrap_or(0)
                    .min(text.len());
                if start > 0
                    && text.as_bytes()[start - 1] == b'\r'
                    && text.as_bytes().get(start) == Some(&b'\n')
                {
                    start += 1; // the end of the previous record's CRLF
                }
                let skipped = text.as_bytes()[start..]
                    .iter()
                    .take_while(|b| matches!(b, b'\n' | b'\r'))
                    .filter(|b| **b == b'\n')
                    .count();
                rows.extend(std::iter::repeat_n(Vec::new(), skipped));
                lines_before += text.as_bytes()[counted_to..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted_to = start;
                let first_line = lines_before + skipped + 1;
                if let Some(problem) = swallowing_field(&record, first_line, delimiter) {
                    return Err(problem);
                }
                rows.push(
                    record
                        .iter()
                        .map(|s| {
                            if s.trim().is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect(),
                );
            }
            Err(e) => return Err(FileProblem::Corrupt(format!("CSV: {e}"))),
        }
    }
    Ok(Grid {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        first_row: 0,
        first_col: 0,
        rows,
        encoding: Some(decoded.encoding.to_string()),
    })
}

/// The first field of a CSV record that holds other rows: a field spanning line breaks with a
/// line after its first that splits into three fields or more on the file's separator (what a
/// row of the table looks like, [`sniff::looks_tabular`]'s test). A cell holding a line break
/// of its own (an address, a note written on two lines) is not one.
fn swallowing_field(
    record: &csv::StringRecord,
    first_line: usize,
    delimiter: u8,
) -> Option<FileProblem> {
    let mut line = first_line;
    for (i, field) in record.iter().enumerate() {
        let breaks = field.matches('\n').count();
        if breaks > 0
            && field
                .split('\n')
                .skip(1)
                .any(|l| l.bytes().filter(|b| *b == delimiter).count() >= 2)
        {
            return Some(FileProblem::SwallowingQuote {
                line,
                field: i + 1,
                last_line: line + breaks,
            });
        }
        line += breaks;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            name: "x".into(),
            first_row: 0,
            first_col: 0,
            rows,
            encoding: None,
        }
    }

    #[test]
    fn tells_sheets_of_formulas_only_from_sheets_with_some() {
        let t = |s: &str| Cell::Text(s.into());
        let f = |s: &str| Cell::Formula(s.into());
        assert!(only_formulas_without_values(&grid(vec![
            vec![t("Mã hồ sơ"), t("Ngày tiếp nhận")],
            vec![f("A1"), f("TODAY()")],
            vec![Cell::Empty, f("TODAY()")],
        ])));
        assert!(!only_formulas_without_values(&grid(vec![
            vec![t("Mã hồ sơ"), t("Ngày tiếp nhận")],
            vec![t("HS-1"), f("TODAY()")],
        ])));
        assert!(!only_formulas_without_values(&grid(vec![vec![t("a")]])));
    }

    #[test]
    fn lays_sparse_cells_out_from_the_first_one_held() {
        let g = dense(
            vec![((3, 2), Cell::Number(1.0)), ((5, 4), Cell::Bool(true))],
            "x".into(),
        );
        assert_eq!((g.first_row, g.first_col), (3, 2));
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[2][2], Cell::Bool(true));
        assert!(dense(Vec::new(), "x".into()).rows.is_empty());
    }
}

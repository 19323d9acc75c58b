//! Files → grids of [`Cell`]s, one per sheet: calamine for workbooks, the csv crate for CSV.
//!
//! Nothing here knows what a dossier is; it only turns bytes into cells and failures into
//! [`FileProblem`]s a person can act on.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDateTime;

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

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads every sheet of a file.
pub fn read_grids(path: &Path, bytes: &[u8]) -> Result<Vec<Grid>, FileProblem> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    match ext.as_str() {
        "csv" => read_csv(path, bytes).map(|g| vec![g]),
        "xlsx" | "xlsm" | "xls" | "ods" => {
            if ext != "xls" && bytes.starts_with(&OLE_MAGIC) {
                // An OOXML/ODF file wrapped in an OLE container is an encrypted (password) file.
                return Err(FileProblem::Encrypted);
            }
            read_workbook(bytes, &ext)
        }
        _ => Err(FileProblem::UnsupportedFormat(ext)),
    }
}

fn read_workbook(bytes: &[u8], ext: &str) -> Result<Vec<Grid>, FileProblem> {
    let cursor = std::io::Cursor::new(bytes);
    let mut sheets = match ext {
        "xls" => calamine::Xls::new(cursor)
            .map(calamine::Sheets::Xls)
            .map_err(|e| xls_problem(&e)),
        "ods" => calamine::Ods::new(cursor)
            .map(calamine::Sheets::Ods)
            .map_err(|e| match e {
                calamine::OdsError::Password => FileProblem::Encrypted,
                e => FileProblem::Corrupt(e.to_string()),
            }),
        _ => calamine::Xlsx::new(cursor)
            .map(calamine::Sheets::Xlsx)
            .map_err(|e| FileProblem::Corrupt(e.to_string())),
    }?;
    let mut grids = Vec::new();
    for name in sheets.sheet_names() {
        let range = sheets.worksheet_range(&name).map_err(|e| match e {
            calamine::Error::Xls(ref x) => xls_problem(x),
            calamine::Error::Ods(calamine::OdsError::Password) => FileProblem::Encrypted,
            e => FileProblem::Corrupt(format!("trang tính «{name}»: {e}")),
        })?;
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
        });
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

/// Picks `;` or `,`: whichever splits the first lines into more, consistent, fields.
fn sniff_delimiter(text: &str) -> u8 {
    let mut semi = 0usize;
    let mut comma = 0usize;
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(30) {
        let mut in_quotes = false;
        for ch in line.chars() {
            match ch {
                '"' => in_quotes = !in_quotes,
                ';' if !in_quotes => semi += 1,
                ',' if !in_quotes => comma += 1,
                _ => {}
            }
        }
    }
    if semi > comma {
        b';'
    } else {
        b','
    }
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<Grid, FileProblem> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let line = body[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(FileProblem::NotUtf8 { line });
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolons_and_commas() {
        assert_eq!(sniff_delimiter("a;b;\"c,d\"\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
    }
}

//! The tables and paragraphs of a plan file (.docx or .xlsx), each cell laid out on its grid
//! column with its paragraphs kept apart.
//!
//! A .docx is read with `zip` + `quick-xml` (already dependencies) rather than a docx crate:
//! what the importer needs is small — the text of `w:t` runs by paragraph, `w:gridSpan` (a cell
//! over several columns) and `w:vMerge` (a cell continued down the rows below) — and the
//! docx crates looked at (docx-rs, docx-rust) hand `vMerge` back as a raw property of each cell
//! anyway, leaving the grid to the caller, while pulling a second XML stack into the build. A
//! vertically merged cell's text is given to every row it covers (a deadline written once for
//! three tasks is the deadline of the three); a horizontal span keeps its text in its first
//! column. A .xlsx is read with calamine, its merged regions treated the same way.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// A table: rows of cells, each cell its paragraphs (an empty list when the cell is empty or
/// covered by a span to its left).
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// Rows, in order.
    pub rows: Vec<Vec<Vec<String>>>,
}

/// What a plan file holds.
#[derive(Debug, Default)]
pub struct Document {
    /// Its tables, in order (a workbook: one per sheet).
    pub tables: Vec<Table>,
    /// Its paragraphs outside tables, in order (none for a workbook).
    pub paragraphs: Vec<String>,
}

/// Reads a .docx or .xlsx plan file.
pub fn read(path: &Path) -> Result<Document> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes =
        std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    match ext.as_str() {
        "docx" => read_docx(&bytes).with_context(|| {
            format!(
                "tệp {} không đọc được như một văn bản Word (.docx): hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx",
                path.display()
            )
        }),
        "xlsx" => read_xlsx(&bytes).with_context(|| {
            format!(
                "tệp {} không đọc được như một bảng tính Excel (.xlsx): hãy mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx",
                path.display()
            )
        }),
        _ => bail!(
            "tệp {} không phải .docx hay .xlsx: hãy lưu kế hoạch dạng Word (.docx) hoặc Excel (.xlsx) rồi chạy lại",
            path.display()
        ),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct RawCell {
    paragraphs: Vec<String>,
    span: usize,
    vmerge: VMerge,
}

fn read_docx(bytes: &[u8]) -> Result<Document> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml")?, &mut xml)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut doc = Document::default();
    let mut depth = 0usize;
    let mut table: Vec<Vec<RawCell>> = Vec::new();
    let mut row: Vec<RawCell> = Vec::new();
    let mut cell: Option<RawCell> = None;
    let mut paragraph = String::new();
    let mut in_text = false;
    let val = |e: &quick_xml::events::BytesStart| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == "val")
            .map(|a| a.value.to_string())
    };
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e)
                if matches!(e.local_name().as_ref(), "tab" | "br" | "cr") =>
            {
                paragraph.push(' ');
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => {
                    depth += 1;
                    if depth == 1 {
                        table.clear();
                    }
                }
                "tr" if depth == 1 => row.clear(),
                "tc" if depth == 1 => {
                    cell = Some(RawCell {
                        paragraphs: Vec::new(),
                        span: 1,
                        vmerge: VMerge::None,
                    })
                }
                "p" => paragraph.clear(),
                "t" => in_text = true,
                "vMerge" => set_vmerge(&mut cell, val(&e)),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "gridSpan" => {
                    if let (Some(c), Some(n)) = (cell.as_mut(), val(&e)) {
                        c.span = n.trim().parse::<usize>().unwrap_or(1).clamp(1, 64);
                    }
                }
                "vMerge" if depth == 1 => set_vmerge(&mut cell, val(&e)),
                "p" => {
                    if let Some(c) = cell.as_mut() {
                        c.paragraphs.push(String::new());
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    paragraph.push(c);
                } else {
                    paragraph.push_str(match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let p = std::mem::take(&mut paragraph);
                    match cell.as_mut() {
                        Some(c) if depth >= 1 => {
                            // A nested table's paragraphs go to the cell that holds it.
                            c.paragraphs.push(p);
                        }
                        _ => doc.paragraphs.push(p),
                    }
                }
                "tc" if depth == 1 => {
                    if let Some(c) = cell.take() {
                        row.push(c);
                    }
                }
                "tr" if depth == 1 => table.push(std::mem::take(&mut row)),
                "tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        doc.tables.push(lay_out(std::mem::take(&mut table)));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(doc)
}

fn set_vmerge(cell: &mut Option<RawCell>, val: Option<String>) {
    if let Some(c) = cell.as_mut() {
        c.vmerge = match val.as_deref() {
            Some("restart") => VMerge::Restart,
            _ => VMerge::Continue,
        };
    }
}

/// Places each cell on its grid column: a span leaves the columns it covers empty; a continued
/// cell takes the text of the cell it continues (the one above in its column).
fn lay_out(rows: Vec<Vec<RawCell>>) -> Table {
    let mut out: Vec<Vec<Vec<String>>> = Vec::new();
    for raw in rows {
        let mut line: Vec<Vec<String>> = Vec::new();
        for c in raw {
            let col = line.len();
            let text = if c.vmerge == VMerge::Continue {
                out.last()
                    .and_then(|above: &Vec<Vec<String>>| above.get(col))
                    .cloned()
                    .unwrap_or_default()
            } else {
                c.paragraphs
            };
            line.push(text);
            for _ in 1..c.span {
                line.push(Vec::new());
            }
        }
        out.push(line);
    }
    Table { rows: out }
}

fn read_xlsx(bytes: &[u8]) -> Result<Document> {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))?;
    let mut doc = Document::default();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        let merged = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let text = |r: u32, c: u32| -> Vec<String> {
            if r < r0 || c < c0 {
                return Vec::new();
            }
            match range.get(((r - r0) as usize, (c - c0) as usize)) {
                Some(Data::Empty) | None => Vec::new(),
                Some(Data::Float(f)) if f.fract() == 0.0 => vec![format!("{}", *f as i64)],
                Some(Data::Int(i)) => vec![i.to_string()],
                Some(d) => d.to_string().split('\n').map(str::to_string).collect(),
            }
        };
        let (h, w) = range.get_size();
        let (rows, cols) = (r0 + h as u32, c0 + w as u32);
        let mut table = Table::default();
        for r in 0..rows {
            let mut line = Vec::new();
            for c in 0..cols {
                // A merged region's text is its top-left cell's, given down its first column.
                let region = merged.iter().find(|m| {
                    (m.start.0..=m.end.0).contains(&r) && (m.start.1..=m.end.1).contains(&c)
                });
                line.push(match region {
                    Some(m) if c == m.start.1 => text(m.start.0, m.start.1),
                    Some(_) => Vec::new(),
                    None => text(r, c),
                });
            }
            table.rows.push(line);
        }
        doc.tables.push(table);
    }
    Ok(doc)
}

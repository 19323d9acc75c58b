//! Files → grids of [`Cell`]s, one per sheet: calamine for workbooks, the csv crate for CSV.
//!
//! Nothing here knows what a dossier is; it only turns bytes into cells and failures into
//! [`FileProblem`]s a person can act on.

use std::path::Path;

use calamine::{Data, DataRef, DataType, Reader};
use chrono::NaiveDateTime;

use super::sniff::{self, Format};
use super::texts::Texts;
use super::FileProblem;
use crate::config::Limits;
use crate::model::Cell;

pub use super::sheet_grid::Grid;

/// Reads every sheet of a file. The format is told from the bytes, not the name (see
/// [`super::sniff`]): an xlsx saved as `.xls`, an ods named `.xlsx` or an HTML table saved as
/// `.xls` read as what they are.
pub fn read_grids(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, FileProblem> {
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
        Format::Xlsx => {
            check_unpacked(bytes, limits)?;
            read_xlsx(bytes, limits)?
        }
        Format::Ods => {
            check_unpacked(bytes, limits)?;
            check_ods_extent(bytes, limits)?;
            read_workbook(bytes, "ods", limits)?
        }
        // An OLE file named as an xlsx or ods that is not a readable xls is taken as an
        // encrypted one whose directory was not recognised.
        Format::Xls => {
            check_ole_chains(bytes)?;
            check_xls_extent(bytes, limits)?;
            read_workbook(bytes, "xls", limits)
        }
        .map_err(|e| match e {
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
            let mut grids = super::html::read_tables(&decoded.text, limits)?;
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
    let mut held = 0u64;
    let mut with_formulas = Vec::new();
    for (i, g) in grids.iter_mut().enumerate() {
        if settle_cells(g, limits, &mut held)? {
            with_formulas.push(i);
        }
    }
    for g in with_formulas.into_iter().map(|i| &grids[i]) {
        if only_formulas_without_values(g) {
            return Err(FileProblem::FormulasWithoutValues {
                sheet: g.name.clone(),
            });
        }
    }
    Ok(grids)
}

/// The limit on cells, as a problem naming the sheet.
fn too_many_cells(sheet: &str, cells: u64, limits: &Limits) -> FileProblem {
    FileProblem::OverLimit {
        what: format!(
            "trang tính «{sheet}» đưa số ô của tệp lên {}",
            crate::vn::int(cells)
        ),
        setting: "cells",
        limit: limits.cells,
    }
}

/// Readies a sheet's cells and checks them, in one pass over its cells: removes the control
/// characters of its name and of its error and formula cells (its text cells lost theirs when
/// they were made, [`super::texts`]), checks the sheet against the limits on cells held (`held`,
/// the file's count so far) and on a cell's length, and tells whether it holds a formula cell.
fn settle_cells(g: &mut Grid, limits: &Limits, held: &mut u64) -> Result<bool, FileProblem> {
    drop_controls(&mut g.name);
    *held += g.rows.iter().map(|r| r.len() as u64).sum::<u64>();
    if *held > limits.cells {
        return Err(too_many_cells(&g.name, *held, limits));
    }
    let mut formulas = false;
    let mut too_long = None;
    'rows: for (r, row) in g.rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            formulas |= matches!(cell, Cell::Formula(_));
            let text = match cell {
                Cell::Text(t) => &**t,
                Cell::Formula(t) | Cell::Error(t) => {
                    drop_controls(t);
                    t.as_str()
                }
                _ => continue,
            };
            if text.len() as u64 > limits.cell_chars
                && text.chars().count() as u64 > limits.cell_chars
            {
                too_long = Some((r, c, text.chars().count() as u64));
                break 'rows;
            }
        }
    }
    match too_long {
        None => Ok(formulas),
        Some((r, c, chars)) => Err(FileProblem::OverLimit {
            what: format!(
                "ô {}{} của trang tính «{}» dài {} ký tự",
                super::column_letters(g.first_col as usize + c),
                g.row_number(r),
                g.name,
                crate::vn::int(chars)
            ),
            setting: "cell_chars",
            limit: limits.cell_chars,
        }),
    }
}

/// Refuses a zip archive (xlsx, ods) that unpacks to more than `[limits] unpacked_mib`, from
/// the sizes its directory declares — the zip reader stops any part at its declared size, so
/// a part cannot unpack to more. A damaged archive is left to the workbook reader to name.
fn check_unpacked(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let unpacked: u128 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| u128::from(f.size())))
        .sum();
    if unpacked > u128::from(limits.unpacked_mib) << 20 {
        return Err(FileProblem::OverLimit {
            what: format!(
                "tệp nén giải ra {} MiB",
                crate::vn::int(u64::try_from(unpacked >> 20).unwrap_or(u64::MAX))
            ),
            setting: "unpacked_mib",
            limit: limits.unpacked_mib,
        });
    }
    Ok(())
}

/// Refuses an OLE container (xls) whose sector table sends a chain the workbook reader follows
/// back onto itself: the reader follows the directory's chain with no end but the chain's own,
/// so one damaged sector number makes it loop, filling memory until the process is killed.
/// The header, the DIFAT and the FAT are read as the reader reads them; the chains it follows
/// (the directory, the mini-stream and mini-FAT, each stream of 4 096 bytes or more) must end.
/// A container the reader would refuse by itself is left to it to name.
fn check_ole_chains(bytes: &[u8]) -> Result<(), FileProblem> {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    if bytes.len() < 512 {
        return Ok(());
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Ok(()),
    };
    if bytes.len() < size {
        return Ok(());
    }
    // Sector `id` follows the header, which takes one sector's room.
    let data = &bytes[size..];
    let sector = |id: u32| {
        let at = (id as usize).checked_mul(size)?;
        data.get(at..at.checked_add(size)?)
    };
    let words = |s: &[u8]| {
        (0..s.len() / 4)
            .map(|i| u32_at(s, i * 4))
            .collect::<Vec<_>>()
    };
    let max_id = data.len() / size + 1;
    let mut difat = words(&bytes[76..512]);
    let mut next = u32_at(bytes, 68);
    let mut hops = 0;
    while next < RESERVED {
        hops += 1;
        let Some(s) = sector(next).filter(|_| hops <= max_id + 1) else {
            return Ok(());
        };
        difat.extend(words(s));
        let Some(n) = difat.pop() else {
            return Ok(());
        };
        next = n;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        let Some(s) = sector(id) else {
            return Ok(());
        };
        fat.extend(words(s));
    }
    // Follows a chain from `start`; None when it comes back onto a sector it has passed.
    let chain = |start: u32| -> Option<Vec<u32>> {
        let mut seen = vec![false; fat.len()];
        let mut ids = Vec::new();
        let mut id = start;
        while (id as usize) < fat.len() {
            if std::mem::replace(&mut seen[id as usize], true) {
                return None;
            }
            ids.push(id);
            id = fat[id as usize];
        }
        Some(ids)
    };
    let looped = || {
        FileProblem::Corrupt(
            "cấu trúc bên trong của tệp xls hỏng: một chuỗi dữ liệu quay vòng về chính nó".into(),
        )
    };
    let dir_ids = chain(u32_at(bytes, 48)).ok_or_else(looped)?;
    let mut starts = Vec::new();
    if u32_at(bytes, 64) > 0 {
        starts.push(u32_at(bytes, 60));
    }
    let mut entries = Vec::new();
    for id in &dir_ids {
        let Some(s) = sector(*id) else {
            return Ok(());
        };
        entries.extend(s.chunks_exact(128));
    }
    for (n, entry) in entries.into_iter().enumerate() {
        let len = if size == 512 {
            u64::from(u32_at(entry, 120))
        } else {
            u64::from(u32_at(entry, 120)) | (u64::from(u32_at(entry, 124)) << 32)
        };
        // The first entry is the root, whose chain is the mini-stream.
        if n == 0 || len >= 4096 {
            starts.push(u32_at(entry, 116));
        }
    }
    for start in starts {
        chain(start).ok_or_else(looped)?;
    }
    Ok(())
}

/// An xls's sheets measured before the workbook reader lays them out: the reader reserves each
/// sheet's cells from its DIMENSIONS record, which a file of a few kilobytes can set to a whole
/// sheet (10 GiB). The records of the workbook stream are walked (they are flat: 2 bytes of
/// type, 2 of length) and the declared areas count against `[limits] cells`. A file whose
/// container or stream cannot be read is left to the workbook reader to name.
fn check_xls_extent(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    use std::io::Read;
    const DIMENSIONS: u16 = 0x0200;
    let Ok(mut file) = cfb::CompoundFile::open(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n));
    let Some(name) = name else {
        return Ok(());
    };
    let mut stream = Vec::new();
    let Ok(s) = file.open_stream(name) else {
        return Ok(());
    };
    // The stream is at most the file's own size times the container's sectors: bounded by the
    // input file's size limit already checked.
    if s.take(limits.file_mib << 20)
        .read_to_end(&mut stream)
        .is_err()
    {
        return Ok(());
    }
    let mut cells: u64 = 0;
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let body = &stream[(at + 4).min(stream.len())..(at + 4 + len).min(stream.len())];
        if kind == DIMENSIONS {
            let u32_at = |i: usize| {
                u64::from(u32::from_le_bytes([
                    body[i],
                    body[i + 1],
                    body[i + 2],
                    body[i + 3],
                ]))
            };
            let u16_at = |i: usize| u64::from(u16::from_le_bytes([body[i], body[i + 1]]));
            let (rows, cols) = match body.len() {
                // BIFF8: first row, row after the last (u32), first column, column after the last.
                n if n >= 12 => (
                    u32_at(4).saturating_sub(u32_at(0)),
                    u16_at(10).saturating_sub(u16_at(8)),
                ),
                // BIFF5/7: the rows as u16.
                n if n >= 8 => (
                    u16_at(2).saturating_sub(u16_at(0)),
                    u16_at(6).saturating_sub(u16_at(4)),
                ),
                _ => (0, 0),
            };
            cells = cells.saturating_add(rows.saturating_mul(cols));
            if cells > limits.cells {
                return Err(FileProblem::OverLimit {
                    what: format!("các trang tính khai báo {} ô", crate::vn::int(cells)),
                    setting: "cells",
                    limit: limits.cells,
                });
            }
        }
        at += 4 + len;
    }
    Ok(())
}

/// An ods's sheets measured before the workbook reader lays them out: `number-rows-repeated`
/// and `number-columns-repeated` let a kilobyte describe billions of cells, which the reader
/// would hold. Each sheet's area, from its first filled row to its last and from column A to its
/// last filled column, counts against `[limits] cells`; a filled row beyond the 1 048 576 a
/// sheet holds (which the reader would cut silently) refuses the file. Measured by streaming
/// `content.xml`; anything it cannot parse is left to the workbook reader to name.
///
/// The XML parser's events cost as much as the workbook reader's own parse, so the tags are
/// first found by a byte scan ([`measure_ods_quickly`]), which settles every file within the
/// limits; a file it finds over them, or holds what it does not read (comments, CDATA), is
/// measured again by the parser ([`measure_ods_by_events`]), whose verdict (and message) is the
/// one given: on what the parser reads without error, both scans see the same tags.
fn check_ods_extent(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    if measure_ods_quickly(content, limits) == QuickMeasure::Within {
        return Ok(());
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    measure_ods_by_events(std::io::BufReader::new(content), limits)
}

/// The count of one ods's sheets as tags come, whichever scan finds them: the rule of
/// [`check_ods_extent`] in one place.
struct OdsExtent<'l> {
    limits: &'l Limits,
    sheet: String,
    /// The cells of the sheets measured so far.
    total: u64,
    /// Rows so far (expanded), the current row's repeat, column and last filled column.
    row: u64,
    repeat: u64,
    col: u64,
    row_end: u64,
    /// The sheet's first and last filled rows and widest filled column.
    first: Option<u64>,
    last: u64,
    width: u64,
}

impl<'l> OdsExtent<'l> {
    const SHEET_ROWS: u64 = 1_048_576;

    fn new(limits: &'l Limits) -> Self {
        OdsExtent {
            limits,
            sheet: String::new(),
            total: 0,
            row: 0,
            repeat: 1,
            col: 0,
            row_end: 0,
            first: None,
            last: 0,
            width: 0,
        }
    }

    /// A start tag (`empty`: one closing itself, `<x/>`).
    fn start(&mut self, e: &quick_xml::events::BytesStart, empty: bool) {
        let number = |key: &str| -> u64 {
            e.try_get_attribute(key)
                .ok()
                .flatten()
                .and_then(|a| a.value.trim().parse().ok())
                .unwrap_or(1)
        };
        match (e.name().as_ref(), empty) {
            ("table:table", false) => {
                self.sheet = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                (self.row, self.first, self.last, self.width) = (0, None, 0, 0);
            }
            ("table:table-row", false) => {
                (self.repeat, self.col, self.row_end) =
                    (number("table:number-rows-repeated"), 0, 0);
            }
            ("table:table-row", true) => {
                self.row = self
                    .row
                    .saturating_add(number("table:number-rows-repeated"));
            }
            // The attributes a cell's count reads, in one pass over its attributes (there is
            // one such tag per cell), each found as `try_get_attribute` finds it: the first of
            // its name, none after an attribute that cannot be read.
            ("table:table-cell" | "table:covered-table-cell", _) => {
                let (mut repeat, mut filled) = (None, !empty);
                for a in e.attributes().with_checks(false) {
                    let Ok(a) = a else { break };
                    match a.key.as_ref() {
                        "table:number-columns-repeated" if repeat.is_none() => {
                            repeat = Some(a.value.trim().parse().unwrap_or(1));
                        }
                        "office:value-type" | "table:formula" => filled = true,
                        _ => {}
                    }
                }
                self.col = self.col.saturating_add(repeat.unwrap_or(1));
                if filled {
                    self.row_end = self.col;
                }
            }
            _ => {}
        }
    }

    /// An end tag, by its name.
    fn end(&mut self, name: &str) -> Result<(), FileProblem> {
        match name {
            "table:table-row" => {
                if self.row_end > 0 {
                    self.first.get_or_insert(self.row);
                    self.last = self.row.saturating_add(self.repeat - 1);
                    self.width = self.width.max(self.row_end);
                }
                self.row = self.row.saturating_add(self.repeat);
            }
            "table:table" => {
                if let Some(first) = self.first {
                    if self.last >= Self::SHEET_ROWS {
                        return Err(FileProblem::OverLimit {
                            what: format!(
                                "trang tính «{}» có dữ liệu ở dòng {}, quá số dòng một trang tính chứa được (phần sau sẽ bị cắt mất)",
                                self.sheet,
                                crate::vn::int(self.last + 1)
                            ),
                            setting: "số dòng của trang tính, không đổi được",
                            limit: Self::SHEET_ROWS,
                        });
                    }
                    self.total = self
                        .total
                        .saturating_add((self.last - first + 1).saturating_mul(self.width));
                    if self.total > self.limits.cells {
                        return Err(too_many_cells(&self.sheet, self.total, self.limits));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// [`check_ods_extent`] by the XML parser's events: any error of the parser leaves the file to
/// the workbook reader.
fn measure_ods_by_events(
    content: impl std::io::BufRead,
    limits: &Limits,
) -> Result<(), FileProblem> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut extent = OdsExtent::new(limits);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => extent.start(&e, false),
            Ok(Event::Empty(e)) => extent.start(&e, true),
            Ok(Event::End(e)) => extent.end(e.name().as_ref())?,
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// What the byte scan of an ods's `content.xml` found.
#[derive(Debug, PartialEq)]
enum QuickMeasure {
    /// Within the limits as far as the bytes go: the parser finds it so too.
    Within,
    /// Over a limit, or markup the scan does not read (`<!`): for the parser to measure.
    Ask,
}

/// [`check_ods_extent`] by a byte scan for the tags, read as the XML parser reads them: a tag
/// runs from `<` to the first `>` outside quotes (text cannot hold a raw `<`, so an attribute
/// name written in a cell's text is never taken for an attribute), `<?` runs to `?>`, and a
/// start tag ending in `/>` closes itself. Only the tags that count ([`OdsExtent`]) are handed
/// to the parser's attribute reader, so their attributes are read exactly as the parser reads
/// them. Reads the part in blocks, holding the unread bytes and the tag in progress.
fn measure_ods_quickly(mut content: impl std::io::Read, limits: &Limits) -> QuickMeasure {
    const BLOCK: usize = 1 << 16;
    const NAMES: [&[u8]; 4] = [
        b"table:table",
        b"table:table-row",
        b"table:table-cell",
        b"table:covered-table-cell",
    ];
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut extent = OdsExtent::new(limits);
    let mut buf: Vec<u8> = Vec::new();
    let mut ended = false;
    loop {
        // A block more, or as much as is held when a long tag is in progress: each tag is
        // searched a bounded number of times.
        let len = buf.len();
        buf.resize(len + BLOCK.max(len), 0);
        match content.read(&mut buf[len..]) {
            Ok(0) | Err(_) => {
                buf.truncate(len);
                ended = true;
            }
            Ok(n) => buf.truncate(len + n),
        }
        // Every whole tag of `buf`; `at` is where the unread bytes start.
        let mut at = 0;
        while let Some(open) = memchr::memchr(b'<', &buf[at..]).map(|i| at + i) {
            if buf.get(open + 1) == Some(&b'!') {
                return QuickMeasure::Ask;
            }
            let Some(close) = tag_end(&buf, open) else {
                at = open;
                break;
            };
            at = close + 1;
            let tag = &buf[open..=close];
            match tag.get(1) {
                Some(b'?') => {}
                Some(b'/') => {
                    let name = &tag[2..tag.len() - 1];
                    let name = name
                        .iter()
                        .rposition(|b| !is_space(*b))
                        .map_or(name, |p| &name[..=p]);
                    if matches!(name, b"table:table" | b"table:table-row") {
                        let Ok(name) = std::str::from_utf8(name) else {
                            return QuickMeasure::Ask;
                        };
                        if extent.end(name).is_err() {
                            return QuickMeasure::Ask;
                        }
                    }
                }
                _ => {
                    let inner = &tag[1..tag.len() - 1];
                    let (inner, empty) = match inner.strip_suffix(b"/") {
                        Some(inner) => (inner, true),
                        None => (inner, false),
                    };
                    let name_len = inner
                        .iter()
                        .position(|b| is_space(*b))
                        .unwrap_or(inner.len());
                    if NAMES.contains(&&inner[..name_len]) {
                        let Ok(inner) = std::str::from_utf8(inner) else {
                            return QuickMeasure::Ask;
                        };
                        let e = quick_xml::events::BytesStart::from_content(inner, name_len);
                        extent.start(&e, empty);
                    }
                }
            }
        }
        if ended {
            return QuickMeasure::Within;
        }
        if !buf[at..].starts_with(b"<") {
            at = buf.len();
        }
        buf.drain(..at);
    }
}

/// The index of the `>` ending the tag whose `<` is at `open`, as the XML parser finds it:
/// the first `>` outside quotes, or for `<?` the first `?>` from the `?` on; None when `buf`
/// ends first.
fn tag_end(buf: &[u8], open: usize) -> Option<usize> {
    let from = open + 1;
    if buf.get(from) == Some(&b'?') {
        return memchr::memmem::find(&buf[from..], b"?>").map(|i| from + i + 1);
    }
    let mut quote = None;
    for i in memchr::memchr3_iter(b'>', b'\'', b'"', buf.get(from..)?) {
        let b = buf[from + i];
        quote = match (quote, b) {
            (None, b'>') => return Some(from + i),
            (None, q) => Some(q),
            (Some(q), b) if q == b => None,
            (q, _) => q,
        };
    }
    None
}

/// Removes the control characters of a sheet's name or of an error or formula cell.
fn drop_controls(s: &mut String) {
    if let std::borrow::Cow::Owned(clean) = crate::text::without_controls(s) {
        *s = clean;
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
/// held: empty rows and columns before the first cell are not held, and each row ends at its
/// last cell. The cells held (`room` at most) are counted before anything is laid out: one cell
/// at XFD1048576 does not make a sheet of 17 billion.
fn dense(mut cells: Vec<((u32, u32), Cell)>, name: String, room: u64) -> Result<Grid, String> {
    cells.sort_unstable_by_key(|(pos, _)| *pos);
    let first_row = cells.first().map_or(0, |((r, _), _)| *r);
    let first_col = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let height = cells
        .last()
        .map_or(0, |((r, _), _)| (r - first_row + 1) as usize);
    let held: u64 = cells
        .iter()
        .zip(cells.iter().skip(1).map(Some).chain([None]))
        .filter(|(((r, _), _), next)| next.is_none_or(|((n, _), _)| n != r))
        .map(|(((_, c), _), _)| u64::from(c - first_col) + 1)
        .sum::<u64>()
        + height as u64;
    if held > room {
        return Err(name);
    }
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); height];
    for ((r, c), cell) in cells {
        let row = &mut rows[(r - first_row) as usize];
        let c = (c - first_col) as usize;
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = cell;
    }
    Ok(Grid {
        name,
        first_row,
        first_col,
        rows,
        encoding: None,
    })
}

/// A sheet's cells as they are read: laid out in rows while they come in reading order (row
/// by row, left to right, as spreadsheet programs write an xlsx), which spares collecting and
/// sorting them; the first cell out of that order turns the layout back into sparse cells for
/// [`dense`]. The area held is measured as [`dense`] measures it, before each cell is laid:
/// it only grows as cells come and the room left only shrinks, so a layout found over its room
/// is over it at the sheet's end too, and [`dense`] would refuse the sheet.
enum Layout {
    InOrder(RowsInOrder),
    Sparse(Vec<((u32, u32), Cell)>),
    /// Over the room: the sheet will be refused, its remaining cells are only counted.
    OverRoom,
}

/// Rows laid out from cells in reading order, each from its own first cell's column until the
/// sheet's first column is known at its end.
#[derive(Default)]
struct RowsInOrder {
    first_row: u32,
    first_col: u32,
    /// Each row's cells and the column of its first one (an empty row: none, column 0).
    rows: Vec<(u32, Vec<Cell>)>,
    last: Option<(u32, u32)>,
    /// Σ (last column + 1) over the rows holding cells, and how many rows hold cells: the area
    /// [`dense`] counts is `ends - filled × first_col + height`.
    ends: u64,
    filled: u64,
}

impl Layout {
    fn add(&mut self, pos: (u32, u32), cell: Cell, room: u64) {
        match self {
            Layout::InOrder(rows) if rows.last.is_none_or(|last| pos > last) => {
                if !rows.fits(pos, room) {
                    *self = Layout::OverRoom;
                    return;
                }
                rows.push(pos, cell);
            }
            Layout::InOrder(rows) => {
                let mut cells = std::mem::take(rows).into_cells();
                cells.push((pos, cell));
                *self = Layout::Sparse(cells);
            }
            Layout::Sparse(cells) => cells.push((pos, cell)),
            Layout::OverRoom => {}
        }
    }
}

impl RowsInOrder {
    /// Whether the area held with a cell at `pos` (after every cell so far) is within `room`.
    fn fits(&self, (r, c): (u32, u32), room: u64) -> bool {
        let (first_row, first_col, ends, filled) = match self.last {
            None => (r, c, u64::from(c) + 1, 1),
            Some((last_r, last_c)) if last_r == r => (
                self.first_row,
                self.first_col.min(c),
                self.ends + u64::from(c - last_c),
                self.filled,
            ),
            Some(_) => (
                self.first_row,
                self.first_col.min(c),
                self.ends + u64::from(c) + 1,
                self.filled + 1,
            ),
        };
        let height = u64::from(r - first_row) + 1;
        ends - filled * u64::from(first_col) + height <= room
    }

    /// Lays a cell after every cell so far.
    fn push(&mut self, (r, c): (u32, u32), cell: Cell) {
        match self.last {
            None => (self.first_row, self.first_col) = (r, c),
            Some(_) => self.first_col = self.first_col.min(c),
        }
        let same_row = self.last.is_some_and(|(last_r, _)| last_r == r);
        if same_row {
            let (start, row) = self.rows.last_mut().expect("the row of the last cell");
            self.ends += u64::from(c) + 1 - (u64::from(*start) + row.len() as u64);
            let gap_to = (c - *start) as usize;
            if row.len() < gap_to {
                row.resize(gap_to, Cell::Empty);
            }
            row.push(cell);
        } else {
            // A table's rows are alike: a row starts with room for as many cells as the last.
            let width = self.rows.last().map_or(1, |(_, row)| row.len().max(1));
            let mut row = Vec::with_capacity(width);
            row.push(cell);
            let at = (r - self.first_row) as usize;
            self.rows.resize_with(at, Default::default);
            self.rows.push((c, row));
            self.ends += u64::from(c) + 1;
            self.filled += 1;
        }
        self.last = Some((r, c));
    }

    /// The cells laid so far, each at its position.
    fn into_cells(self) -> Vec<((u32, u32), Cell)> {
        let first_row = self.first_row;
        self.rows
            .into_iter()
            .zip(first_row..)
            .flat_map(|((start, row), r)| {
                row.into_iter()
                    .zip(start..)
                    .filter(|(cell, _)| !matches!(cell, Cell::Empty))
                    .map(move |(cell, c)| ((r, c), cell))
            })
            .collect()
    }

    /// The grid [`dense`] would lay out from the same cells.
    fn into_grid(self, name: String) -> Grid {
        let first_col = self.first_col;
        let rows = self
            .rows
            .into_iter()
            .map(|(start, mut row)| {
                if start > first_col && !row.is_empty() {
                    row.splice(
                        0..0,
                        std::iter::repeat_n(Cell::Empty, (start - first_col) as usize),
                    );
                }
                row
            })
            .collect();
        Grid {
            name,
            first_row: self.first_row,
            first_col,
            rows,
            encoding: None,
        }
    }
}

/// An xlsx, sheet by sheet in one pass over each sheet's cells, values and formulas together:
/// a formula whose cached value is missing (or empty) is a [`Cell::Formula`].
fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, FileProblem> {
    std::panic::catch_unwind(|| read_xlsx_sheets(bytes, limits)).unwrap_or_else(|_| {
        Err(FileProblem::Corrupt(
            "trình đọc bảng tính gặp cấu trúc hỏng".into(),
        ))
    })
}

fn read_xlsx_sheets(bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, FileProblem> {
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| FileProblem::Corrupt(e.to_string()))?;
    let mut grids = Vec::new();
    let mut texts = Texts::default();
    // Cells read, every sheet together: a workbook naming one sheet part 2 000 times reads it
    // 2 000 times.
    let mut read = 0u64;
    for name in book.sheet_names() {
        let corrupt =
            |e: calamine::XlsxError| FileProblem::Corrupt(format!("trang tính «{name}»: {e}"));
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet holds no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(corrupt(e)),
        };
        let mut layout = Layout::InOrder(RowsInOrder::default());
        let mut kept = 0u64;
        while let Some(cell) = reader.next_cell_with_formula().map_err(corrupt)? {
            read += 1;
            if read > limits.cells {
                return Err(too_many_cells(&name, read, limits));
            }
            let value = match (holds_nothing(&cell.value), cell.formula) {
                (true, Some(f)) if !crate::text::is_blank(&f) => Cell::Formula(f),
                (true, _) => continue,
                // A text of control characters only stands where the file holds it, empty.
                (false, _) => match cell.value {
                    DataRef::SharedString(t) => texts.shared_cell_in(cell.pos.1 as usize, t),
                    DataRef::String(t) => texts.cell_in(cell.pos.1 as usize, &t),
                    other => convert(&Data::from(other), cell.pos.1 as usize, &mut texts),
                },
            };
            kept += 1;
            let room = limits.cells.saturating_sub(read - kept);
            layout.add(cell.pos, value, room);
        }
        let room = limits.cells.saturating_sub(read - kept);
        let grid = match layout {
            Layout::InOrder(rows) => Ok(rows.into_grid(name)),
            Layout::Sparse(cells) => dense(cells, name, room),
            Layout::OverRoom => Err(name),
        }
        .map_err(|n| too_many_cells(&n, room + 1, limits))?;
        read += grid.rows.iter().map(|r| r.len() as u64).sum::<u64>();
        grids.push(grid);
    }
    Ok(grids)
}

/// An xls or ods through calamine, which lays every sheet out whole (the ods is measured first,
/// [`check_ods_extent`]). A panic inside the reader (a malformed record) names the file as
/// damaged instead of ending the run.
fn read_workbook(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Vec<Grid>, FileProblem> {
    std::panic::catch_unwind(|| read_workbook_sheets(bytes, ext, limits)).unwrap_or_else(|_| {
        Err(FileProblem::Corrupt(
            "trình đọc bảng tính gặp cấu trúc hỏng".into(),
        ))
    })
}

fn read_workbook_sheets(
    bytes: &[u8],
    ext: &str,
    limits: &Limits,
) -> Result<Vec<Grid>, FileProblem> {
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
    let mut texts = Texts::default();
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
            .filter(|(pos, _)| range.get_value(*pos).is_none_or(holds_nothing))
            .map(|(pos, f)| (pos, Cell::Formula(f.clone())))
            .collect();
        if uncached.is_empty() {
            let (first_row, first_col) = range.start().unwrap_or((0, 0));
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .map(|(c, v)| convert(v, c, &mut texts))
                        .collect()
                })
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
                .filter(|(_, _, v)| !holds_nothing(*v))
                .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), convert(v, c, &mut texts)))
                .collect();
            cells.extend(uncached);
            grids.push(
                dense(cells, name, limits.cells)
                    .map_err(|n| too_many_cells(&n, limits.cells + 1, limits))?,
            );
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

/// Whether a calamine value is nothing at all: empty, or a text of white space only. A text of
/// control characters only is something: it stands where the file holds it, emptied by
/// [`Texts`].
fn holds_nothing(d: &impl DataType) -> bool {
    d.is_empty() || d.get_string().is_some_and(crate::text::is_blank)
}

/// A calamine value of the sheet's `col`th column as a cell, its text held in the file's
/// [`Texts`].
fn convert(d: &Data, col: usize, texts: &mut Texts) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => texts.cell_in(col, s),
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
            .unwrap_or_else(|| texts.cell_in(col, s)),
        Data::DurationIso(s) => texts.cell_in(col, s),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// An ISO date-time as OpenDocument writes it (`2024-07-15T08:30:00`, or a date alone).
fn parse_iso(s: &str) -> Option<NaiveDateTime> {
    plain_iso(s).or_else(|| parsed_iso(s))
}

/// [`parse_iso`] of the form every OpenDocument file writes, `YYYY-MM-DDTHH:MM:SS`, read by
/// hand: chrono's parser reads its format string again for every cell. Anything else (a
/// fraction of a second, a leap second, another width, an impossible date) is left to chrono.
fn plain_iso(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)
}

/// [`parse_iso`] by chrono's parser: every form it reads.
fn parsed_iso(s: &str) -> Option<NaiveDateTime> {
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
    let mut texts = Texts::default();
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
                lines_before +=
                    memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count();
                counted_to = start;
                let first_line = lines_before + skipped + 1;
                if let Some(problem) = swallowing_field(&record, first_line, delimiter) {
                    return Err(problem);
                }
                rows.push(
                    record
                        .iter()
                        .enumerate()
                        .map(|(c, s)| texts.cell_in(c, s))
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
    // Nearly every record is one line: a single scan of its bytes tells.
    memchr::memchr(b'\n', record.as_byte_record().as_slice())?;
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
    use proptest::prelude::*;

    proptest! {
        /// The hand-read form gives what chrono's parser gives, or leaves the text to it.
        #[test]
        fn reads_a_plain_iso_date_time_as_chrono_does(
            s in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}|2024-0[1-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9]"
        ) {
            if let Some(read) = plain_iso(&s) {
                prop_assert_eq!(Some(read), parsed_iso(&s));
            }
            prop_assert_eq!(parse_iso(&s), parsed_iso(&s));
        }
    }

    #[test]
    fn reads_iso_dates_of_every_form_chrono_reads() {
        let at = |y, m, d, h, mi, sec| {
            chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, mi, sec))
        };
        assert_eq!(parse_iso("2024-07-15T08:30:00"), at(2024, 7, 15, 8, 30, 0));
        assert_eq!(plain_iso("2024-07-15T08:30:00.250"), None);
        assert!(parse_iso("2024-07-15T08:30:00.250").is_some());
        assert_eq!(parse_iso("2024-07-15"), at(2024, 7, 15, 0, 0, 0));
        assert_eq!(parse_iso("2024-02-30T08:30:00"), None);
        assert_eq!(parse_iso("2024-07-15T24:00:00"), None);
    }

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
    fn a_cell_of_control_characters_only_stands_where_the_file_holds_it_empty() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Mã hồ sơ").unwrap();
        ws.write_string(0, 1, "   ").unwrap();
        ws.write_string(3, 2, "\u{1}\u{2}").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let grids = read_grids(Path::new("x.xlsx"), &bytes, &Limits::default()).unwrap();
        // White space only is nothing; control characters only are an empty cell that still
        // reaches row 4, column C.
        assert_eq!(
            grids[0].rows,
            vec![
                vec![Cell::Text("Mã hồ sơ".into())],
                vec![],
                vec![],
                vec![Cell::Empty, Cell::Empty, Cell::Empty],
            ]
        );
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
            vec![((5, 4), Cell::Bool(true)), ((3, 2), Cell::Number(1.0))],
            "x".into(),
            u64::MAX,
        )
        .unwrap();
        assert_eq!((g.first_row, g.first_col), (3, 2));
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[2][2], Cell::Bool(true));
        assert!(dense(Vec::new(), "x".into(), 0).unwrap().rows.is_empty());
        // One cell at A1 and one at XFD1048576: a million rows, the last 16 384 wide.
        let far = vec![
            ((0, 0), Cell::Bool(true)),
            ((1_048_575, 16_383), Cell::Bool(true)),
        ];
        assert_eq!(dense(far, "x".into(), 1_000_000).err(), Some("x".into()));
    }

    /// A content.xml of sheets (name, rows) around the given rows' markup.
    fn ods_content(sheets: &[(&str, &str)]) -> String {
        let tables: String = sheets
            .iter()
            .map(|(name, rows)| format!("<table:table table:name=\"{name}\">{rows}</table:table>"))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
             xmlns:table=\"t\"><office:body><office:spreadsheet>{tables}\
             </office:spreadsheet></office:body></office:document-content>"
        )
    }

    /// Reads one byte at a time: every tag is cut between reads.
    struct ByteByByte<'a>(&'a [u8]);
    impl std::io::Read for ByteByByte<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    /// The byte scan's verdict, the same read in one-byte pieces, and what the file gets (the
    /// parser's verdict when the scan asks for it).
    fn measured(xml: &str, cells: u64) -> (QuickMeasure, Result<(), String>) {
        let limits = Limits {
            cells,
            ..Limits::default()
        };
        let quick = measure_ods_quickly(xml.as_bytes(), &limits);
        assert_eq!(
            quick,
            measure_ods_quickly(ByteByByte(xml.as_bytes()), &limits)
        );
        let by_events = measure_ods_by_events(xml.as_bytes(), &limits).map_err(|e| e.to_string());
        if quick == QuickMeasure::Within {
            assert_eq!(
                by_events,
                Ok(()),
                "the scan let through what the parser refuses"
            );
        }
        (quick, by_events)
    }

    #[test]
    fn measures_ods_sheets_by_their_tags_as_the_parser_does() {
        use QuickMeasure::{Ask, Within};
        let filled = "<table:table-cell office:value-type=\"float\" office:value=\"1\"/>";
        // 1 000 repeated rows of one filled cell: 1 000 cells.
        let rows = format!(
            "<table:table-row table:number-rows-repeated=\"1000\">{filled}</table:table-row>"
        );
        let xml = ods_content(&[("S", &rows)]);
        assert_eq!(measured(&xml, 1000), (Within, Ok(())));
        let (quick, verdict) = measured(&xml, 999);
        assert_eq!(quick, Ask);
        assert!(verdict.unwrap_err().contains("1.000"));
        // Repeated columns, two sheets: 2 rows × 500 columns, then 3 cells of a second sheet.
        let wide = format!(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"499\"/>{filled}\
             </table:table-row><table:table-row>{filled}</table:table-row>"
        );
        let xml = ods_content(&[
            ("A", &wide),
            (
                "B",
                &format!("<table:table-row>{filled}{filled}{filled}</table:table-row>"),
            ),
        ]);
        assert_eq!(measured(&xml, 1003).0, Within);
        assert_eq!(measured(&xml, 1002).0, Ask);
        // Covered cells count towards the width; an empty one ends the row only when filled.
        let covered = "<table:table-row><table:table-cell table:number-columns-spanned=\"3\">\
             <text:p>x</text:p></table:table-cell><table:covered-table-cell \
             table:number-columns-repeated=\"2\"/><table:covered-table-cell \
             table:number-columns-repeated=\"5\"/></table:table-row>";
        let xml = ods_content(&[("C", covered)]);
        assert_eq!(measured(&xml, 1).0, Within);
        let xml = ods_content(&[(
            "C",
            &covered.replace(
                "<table:covered-table-cell \
             table:number-columns-repeated=\"5\"/>",
                "<table:covered-table-cell \
             table:number-columns-repeated=\"5\" office:value-type=\"float\"/>",
            ),
        )]);
        assert_eq!(measured(&xml, 7).0, Ask);
        assert_eq!(measured(&xml, 8).0, Within);
        // The first of a cell's two repeats counts; a formula fills a cell as a value does.
        let twice = "<table:table-row><table:table-cell table:number-columns-repeated=\"3\" \
             table:number-columns-repeated=\"9\" table:formula=\"of:=1\"/></table:table-row>";
        let xml = ods_content(&[("D", twice)]);
        assert_eq!(measured(&xml, 3), (Within, Ok(())));
        assert_eq!(measured(&xml, 2).0, Ask);
        // An attribute's name in a cell's text, a `>` in an attribute's value.
        let text = "<table:table-row><table:table-cell table:style-name=\"a>b\" \
             office:value-type=\"string\"><text:p>table:number-rows-repeated=\"9999999\" \
             &lt;table:table-row table:number-rows-repeated=&quot;9999999&quot;&gt;</text:p>\
             </table:table-cell></table:table-row>";
        assert_eq!(measured(&ods_content(&[("T", text)]), 1), (Within, Ok(())));
        // A filled row past the 1 048 576 a sheet holds.
        let far = format!(
            "<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell/>\
             </table:table-row><table:table-row>{filled}</table:table-row>"
        );
        let (quick, verdict) = measured(&ods_content(&[("F", &far)]), u64::MAX);
        assert_eq!(quick, Ask);
        assert!(verdict.unwrap_err().contains("1.048.577"));
        // A comment is left to the parser; so is a file the parser cannot read before the
        // sheet ends, which the workbook reader names instead.
        let xml = ods_content(&[("S", &rows)]).replace("<office:body>", "<office:body><!-- ' -->");
        assert_eq!(measured(&xml, 1000), (Ask, Ok(())));
        let xml = ods_content(&[("S", &format!("{rows}</table:wrong>"))]);
        assert_eq!(measured(&xml, 10), (Ask, Ok(())));
    }

    /// The rows, sheet position and refusal of a layout from cells read in this order.
    fn laid(cells: &[((u32, u32), Cell)], room: u64) -> Result<(u32, u32, Vec<Vec<Cell>>), String> {
        let mut layout = Layout::InOrder(RowsInOrder::default());
        for (pos, cell) in cells {
            layout.add(*pos, cell.clone(), room);
        }
        let g = match layout {
            Layout::InOrder(rows) => Ok(rows.into_grid("x".into())),
            Layout::Sparse(cells) => dense(cells, "x".into(), room),
            Layout::OverRoom => Err("x".into()),
        }?;
        Ok((g.first_row, g.first_col, g.rows))
    }

    #[test]
    fn lays_cells_in_reading_order_as_the_sparse_layout_does() {
        let n = |v: f64| Cell::Number(v);
        let sparse = |cells: &[((u32, u32), Cell)], room: u64| {
            dense(cells.to_vec(), "x".into(), room).map(|g| (g.first_row, g.first_col, g.rows))
        };
        // A title at C2, a header from B4, a row starting further right, a blank row, a row
        // with gaps: the sheet starts at B2; rows starting at C and D are padded to B.
        let in_order = vec![
            ((1, 2), n(1.0)),
            ((3, 1), n(2.0)),
            ((3, 2), n(3.0)),
            ((4, 3), n(4.0)),
            ((6, 1), n(5.0)),
            ((6, 4), n(6.0)),
        ];
        let (first_row, first_col, rows) = laid(&in_order, u64::MAX).unwrap();
        assert_eq!((first_row, first_col), (1, 1));
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0], vec![Cell::Empty, n(1.0)]);
        assert_eq!(rows[2], vec![n(2.0), n(3.0)]);
        assert_eq!(rows[3], vec![Cell::Empty, Cell::Empty, n(4.0)]);
        assert!(rows[1].is_empty() && rows[4].is_empty());
        assert_eq!(rows[5], vec![n(5.0), Cell::Empty, Cell::Empty, n(6.0)]);
        assert_eq!(laid(&in_order, u64::MAX), sparse(&in_order, u64::MAX));
        // Held: rows of 2, 2, 3, 4 cells and 6 rows = 17; refused from 16 down either way.
        assert!(laid(&in_order, 17).is_ok());
        assert_eq!(laid(&in_order, 16), sparse(&in_order, 16));
        assert_eq!(laid(&in_order, 16).err(), Some("x".into()));
        // Out of order (a cell back on an earlier row, a repeated position): the sparse layout.
        let mut back = in_order.clone();
        back.insert(3, ((0, 0), n(7.0)));
        back.push(((6, 4), n(8.0)));
        assert_eq!(laid(&back, u64::MAX), sparse(&back, u64::MAX));
        assert_eq!(laid(&back, u64::MAX).unwrap().2[0], vec![n(7.0)]);
        for room in [0, 10, 24, 25, 40] {
            assert_eq!(laid(&back, room), sparse(&back, room), "room {room}");
        }
        assert_eq!(laid(&[], 0), sparse(&[], 0));
        // One cell at A1 then one at XFD1048576 is refused before anything is laid out.
        let far = vec![((0, 0), n(1.0)), ((1_048_575, 16_383), n(1.0))];
        assert_eq!(laid(&far, 1_000_000).err(), Some("x".into()));
    }
}

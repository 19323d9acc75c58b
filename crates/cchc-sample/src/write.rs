//! Lays a [`Book`] out as xlsx (rust_xlsxwriter), CSV (csv), ODS (written by
//! hand as a zip: `mimetype` stored first, manifest, content.xml), or xls
//! (xlsx converted by LibreOffice). Every output is byte-for-byte a function of
//! the book: fixed document dates, fixed zip timestamps.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use super::render::{Book, Cell, RowKind, Sheet};
use super::style::{CsvOpts, DateFmt};

fn excel_dt(t: NaiveDateTime) -> Result<ExcelDateTime> {
    Ok(
        ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
            t.hour() as u16,
            t.minute() as u8,
            t.second(),
        )?,
    )
}

fn num_format(f: DateFmt) -> &'static str {
    match f {
        DateFmt::Date => "dd/mm/yyyy",
        DateFmt::DateTimeMin => "dd/mm/yyyy hh:mm",
        DateFmt::DateTimeSec => "dd/mm/yyyy hh:mm:ss",
    }
}

/// Cells covered by a merge other than its top-left one.
fn covered(sheet: &Sheet) -> HashSet<(usize, usize)> {
    let mut set = HashSet::new();
    for m in &sheet.merges {
        for r in m.r0..=m.r1 {
            for c in m.c0..=m.c1 {
                if (r, c) != (m.r0, m.c0) {
                    set.insert((r, c));
                }
            }
        }
    }
    set
}

pub fn write_xlsx(book: &Book, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(&book.title)
        .set_author("Bộ phận một cửa")
        .set_company("UBND huyện Hóc Môn")
        .set_creation_datetime(&excel_dt(book.created)?);
    wb.set_properties(&props);

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let plain = Format::new();
    let thousands = Format::new().set_num_format("#,##0");
    let dates = [DateFmt::Date, DateFmt::DateTimeMin, DateFmt::DateTimeSec]
        .map(|f| (f, Format::new().set_num_format(num_format(f))));

    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, w) in sheet.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        let skip = covered(sheet);
        let row_fmt = |k: RowKind| match k {
            RowKind::Header => &header,
            RowKind::Title => &title,
            _ => &plain,
        };
        for m in &sheet.merges {
            let text = match &sheet.rows[m.r0].cells[m.c0] {
                Cell::Text(t) => t.as_str(),
                _ => "",
            };
            ws.merge_range(
                m.r0 as u32,
                m.c0 as u16,
                m.r1 as u32,
                m.c1 as u16,
                text,
                row_fmt(sheet.rows[m.r0].kind),
            )?;
        }
        let tops: HashSet<(usize, usize)> = sheet.merges.iter().map(|m| (m.r0, m.c0)).collect();
        for (r, row) in sheet.rows.iter().enumerate() {
            let (ru, fmt) = (r as u32, row_fmt(row.kind));
            for (c, cell) in row.cells.iter().enumerate() {
                if skip.contains(&(r, c)) || tops.contains(&(r, c)) {
                    continue;
                }
                let cu = c as u16;
                match cell {
                    Cell::Empty => {
                        if row.kind == RowKind::Header {
                            ws.write_blank(ru, cu, fmt)?;
                        }
                    }
                    Cell::Text(t) => {
                        if row.kind == RowKind::Data || row.kind == RowKind::Blank {
                            ws.write_string(ru, cu, t)?;
                        } else {
                            ws.write_string_with_format(ru, cu, t, fmt)?;
                        }
                    }
                    Cell::Num(v, true) => {
                        ws.write_number_with_format(ru, cu, *v, &thousands)?;
                    }
                    Cell::Num(v, false) => {
                        ws.write_number(ru, cu, *v)?;
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(ru, cu, *b)?;
                    }
                    Cell::Date(t, f) => {
                        let df = &dates.iter().find(|(k, _)| k == f).expect("date format").1;
                        ws.write_datetime_with_format(ru, cu, &excel_dt(*t)?, df)?;
                    }
                }
            }
        }
    }
    wb.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn plain_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Num(v, _) => {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", *v as i64)
            } else {
                format!("{v}")
            }
        }
        Cell::Bool(true) => "TRUE".into(),
        Cell::Bool(false) => "FALSE".into(),
        Cell::Date(t, _) => super::style::TextForm::DmyHms.render(*t),
    }
}

/// A writer the csv writer and the code around it can share, so that a
/// truly empty line can be written between records (the csv crate writes
/// `""` for an empty record).
#[derive(Clone)]
struct Shared(Rc<RefCell<BufWriter<File>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// The data sheet as CSV: titles and footers as short or padded lines.
pub fn write_csv(book: &Book, path: &Path, o: CsvOpts) -> Result<()> {
    let sheet = &book.sheets[book.data_sheet];
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let sink = Shared(Rc::new(RefCell::new(BufWriter::new(file))));
    if o.bom {
        sink.0.borrow_mut().write_all(b"\xEF\xBB\xBF")?;
    }
    let eol: &[u8] = if o.crlf { b"\r\n" } else { b"\n" };
    let mut w = csv::WriterBuilder::new()
        .delimiter(o.sep)
        .flexible(true)
        .terminator(if o.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(sink.clone());
    for row in &sheet.rows {
        let mut fields: Vec<String> = row.cells.iter().map(plain_text).collect();
        let short = matches!(row.kind, RowKind::Title | RowKind::Footer | RowKind::Blank);
        if short && !o.pad {
            while fields.last().is_some_and(String::is_empty) {
                fields.pop();
            }
            if fields.is_empty() {
                w.flush()?;
                sink.0.borrow_mut().write_all(eol)?;
                continue;
            }
        }
        w.write_record(&fields)?;
    }
    w.flush()?;
    drop(w);
    sink.0.borrow_mut().flush()?;
    Ok(())
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(ch),
        }
    }
    o
}

/// Text paragraphs of a cell: one `text:p` per line.
fn paragraphs(s: &str) -> String {
    s.split('\n')
        .map(|l| format!("<text:p>{}</text:p>", esc(l)))
        .collect()
}

const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

fn ods_content(book: &Book) -> String {
    let mut x = String::new();
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles>
<number:date-style style:name="N1"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<number:date-style style:name="N2"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>
<number:date-style style:name="N3"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>
<style:style style:name="ceH" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" style:vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="ceT" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
"#);
    for (si, sheet) in book.sheets.iter().enumerate() {
        for (c, w) in sheet.widths.iter().enumerate() {
            let _ = writeln!(
                x,
                r#"<style:style style:name="co{si}_{c}" style:family="table-column"><style:table-column-properties style:column-width="{:.2}cm"/></style:style>"#,
                w * 0.19
            );
        }
    }
    x.push_str("</office:automatic-styles>\n<office:body>\n<office:spreadsheet>\n");
    for (si, sheet) in book.sheets.iter().enumerate() {
        let _ = writeln!(x, r#"<table:table table:name="{}">"#, esc(&sheet.name));
        for c in 0..sheet.widths.len() {
            let _ = write!(x, r#"<table:table-column table:style-name="co{si}_{c}"/>"#);
        }
        x.push('\n');
        let skip = covered(sheet);
        for (r, row) in sheet.rows.iter().enumerate() {
            x.push_str("<table:table-row>");
            let style = match row.kind {
                RowKind::Header => r#" table:style-name="ceH""#,
                RowKind::Title => r#" table:style-name="ceT""#,
                _ => "",
            };
            for (c, cell) in row.cells.iter().enumerate() {
                if skip.contains(&(r, c)) {
                    x.push_str("<table:covered-table-cell/>");
                    continue;
                }
                let span = sheet
                    .merges
                    .iter()
                    .find(|m| m.r0 == r && m.c0 == c)
                    .map(|m| {
                        format!(
                            r#" table:number-columns-spanned="{}" table:number-rows-spanned="{}""#,
                            m.c1 - m.c0 + 1,
                            m.r1 - m.r0 + 1
                        )
                    })
                    .unwrap_or_default();
                match cell {
                    Cell::Empty => {
                        let _ = write!(x, "<table:table-cell{style}{span}/>");
                    }
                    Cell::Text(t) => {
                        let _ = write!(
                            x,
                            r#"<table:table-cell{style}{span} office:value-type="string">{}</table:table-cell>"#,
                            paragraphs(t)
                        );
                    }
                    Cell::Num(v, _) => {
                        let _ = write!(
                            x,
                            r#"<table:table-cell{span} office:value-type="float" office:value="{v}"><text:p>{}</text:p></table:table-cell>"#,
                            plain_text(cell)
                        );
                    }
                    Cell::Bool(b) => {
                        let _ = write!(
                            x,
                            r#"<table:table-cell{span} office:value-type="boolean" office:boolean-value="{b}"><text:p>{}</text:p></table:table-cell>"#,
                            if *b { "TRUE" } else { "FALSE" }
                        );
                    }
                    Cell::Date(t, f) => {
                        let (st, shown) = match f {
                            DateFmt::Date => ("ce1", super::style::TextForm::Dmy.render(*t)),
                            DateFmt::DateTimeMin => {
                                ("ce2", super::style::TextForm::DmyHm.render(*t))
                            }
                            DateFmt::DateTimeSec => {
                                ("ce3", super::style::TextForm::DmyHms.render(*t))
                            }
                        };
                        let _ = write!(
                            x,
                            r#"<table:table-cell table:style-name="{st}"{span} office:value-type="date" office:date-value="{}"><text:p>{shown}</text:p></table:table-cell>"#,
                            t.format("%Y-%m-%dT%H:%M:%S")
                        );
                    }
                }
            }
            x.push_str("</table:table-row>\n");
        }
        x.push_str("</table:table>\n");
    }
    x.push_str("</office:spreadsheet>\n</office:body>\n</office:document-content>\n");
    x
}

fn ods_meta(book: &Book) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta><meta:generator>cchc sample</meta:generator><dc:title>{}</dc:title><meta:creation-date>{}</meta:creation-date></office:meta></office:document-meta>
"#,
        esc(&book.title),
        book.created.format("%Y-%m-%dT%H:%M:%S")
    )
}

const ODS_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2"><office:styles/></office:document-styles>
"#;

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

pub fn write_ods(book: &Book, path: &Path) -> Result<()> {
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, ZipWriter};
    let t = book.created;
    let when = DateTime::from_date_and_time(
        t.year() as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .map_err(|e| anyhow::anyhow!("zip timestamp: {e}"))?;
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut z = ZipWriter::new(BufWriter::new(file));
    z.start_file("mimetype", stored)?;
    z.write_all(ODS_MIME.as_bytes())?;
    z.start_file("META-INF/manifest.xml", deflated)?;
    z.write_all(ODS_MANIFEST.as_bytes())?;
    z.start_file("meta.xml", deflated)?;
    z.write_all(ods_meta(book).as_bytes())?;
    z.start_file("styles.xml", deflated)?;
    z.write_all(ODS_STYLES.as_bytes())?;
    z.start_file("content.xml", deflated)?;
    z.write_all(ods_content(book).as_bytes())?;
    z.finish()?.flush()?;
    Ok(())
}

/// Converts `xlsx` to `.xls` next to it with LibreOffice; returns the new path.
/// LibreOffice runs with its own throw-away profile (so a desktop session does
/// not block it) and is stopped after two minutes.
pub fn convert_to_xls(xlsx: &Path, scratch: &Path) -> Result<PathBuf> {
    let dir = xlsx.parent().context("xlsx has no parent")?;
    let profile = scratch.join("lo-profile");
    let mut child = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xls",
            "--outdir",
        ])
        .arg(dir)
        .arg(xlsx)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("running soffice")?;
    let deadline = Instant::now() + StdDuration::from_secs(120);
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("soffice did not finish within 120 s");
        }
        std::thread::sleep(StdDuration::from_millis(100));
    };
    let xls = xlsx.with_extension("xls");
    if !status.success() || !xls.exists() {
        bail!("soffice failed ({status}) to convert {}", xlsx.display());
    }
    Ok(xls)
}

/// Whether `soffice` is on PATH.
pub fn soffice_available() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("soffice").is_file()))
}

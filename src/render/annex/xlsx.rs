//! Sheet models → one xlsx workbook with rust_xlsxwriter: fonts, borders, number formats, print
//! setup (A4 landscape, repeated header rows, fit to width), frozen panes, native charts.

use chrono::Datelike;
use rayon::prelude::*;

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use super::model::{Cached, ChartModel, SheetModel, Style, Value};
use crate::render::format_runs::FormatRuns;
use crate::text::cut_for_xlsx;

/// The xlsx format of a style in a sheet's font.
pub(crate) fn format_of(style: Style, font: &str, size: f64) -> Format {
    let base = Format::new().set_font_name(font).set_font_size(size);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let integer = "#,##0";
    let rate = "0.00";
    match style {
        Style::Agency => base.set_align(FormatAlign::Center),
        Style::AgencyBold => base.set_bold().set_align(FormatAlign::Center),
        Style::FormCode => base.set_italic().set_align(FormatAlign::Right),
        Style::Title => base
            .set_bold()
            .set_font_size(size + 2.0)
            .set_align(FormatAlign::Center),
        Style::Subtitle => base.set_italic().set_align(FormatAlign::Center),
        Style::Note => base
            .set_italic()
            .set_align(FormatAlign::Right)
            .set_text_wrap(),
        Style::Header => cell
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color("#F2F2F2"),
        Style::Numbering => cell.set_italic().set_align(FormatAlign::Center),
        Style::Text => cell,
        Style::TextCenter => cell.set_align(FormatAlign::Center),
        Style::TextIndent => cell.set_indent(1),
        Style::Integer => cell.set_num_format(integer),
        Style::Rate => cell.set_num_format(rate).set_align(FormatAlign::Right),
        Style::RateFlagged => cell
            .set_num_format(rate)
            .set_align(FormatAlign::Right)
            .set_bold()
            .set_font_color("#C00000")
            .set_background_color("#FCE4E4"),
        Style::Date => cell
            .set_num_format("dd/mm/yyyy")
            .set_align(FormatAlign::Center),
        Style::SubtotalText => cell.set_bold(),
        Style::SubtotalInteger => cell.set_bold().set_num_format(integer),
        Style::SubtotalRate => cell
            .set_bold()
            .set_num_format(rate)
            .set_align(FormatAlign::Right),
        Style::TotalText => cell.set_bold().set_background_color("#FFF2CC"),
        Style::TotalInteger => cell
            .set_bold()
            .set_num_format(integer)
            .set_background_color("#FFF2CC"),
        Style::TotalRate => cell
            .set_bold()
            .set_num_format(rate)
            .set_align(FormatAlign::Right)
            .set_background_color("#FFF2CC"),
        Style::Met => Format::new()
            .set_font_color("#006100")
            .set_background_color("#C6EFCE")
            .set_bold(),
        Style::Missed => Format::new()
            .set_font_color("#9C0006")
            .set_background_color("#FFC7CE")
            .set_bold(),
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The creation date written in every workbook's properties: fixed so the same inputs give the
/// same bytes, and no year of any plan (1980-01-01, the earliest date a zip entry holds).
pub(crate) fn fixed_creation_date() -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(1980, 1, 1)
}

/// An empty workbook with its title and the settings every cchc workbook shares.
pub(crate) fn new_workbook(title: &str) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // Long lists dominate these workbooks: the fastest deflate level writes them several times
    // faster for files a little larger.
    wb.set_zip_compression_level(1);
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("cchc")
            .set_creation_datetime(&fixed_creation_date()?),
    );
    Ok(wb)
}

/// The page footer of a template's words: `{page}` the page number, `{pages}` their count,
/// centred.
pub fn page_footer(words: &str) -> String {
    format!(
        "&C&\"Times New Roman\"{}",
        words
            .replace('&', "&&")
            .replace("{pages}", "&N")
            .replace("{page}", "&P")
    )
}

/// A4 landscape, fit to the page's width, `footer` (made by [`page_footer`]) at the bottom.
pub(crate) fn page_setup(ws: &mut Worksheet, footer: &str) {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer(footer);
}

/// Each style's format made once per sheet and lent to every cell of it (a `Format` holds
/// strings: a copy per cell was an allocation per cell), found by the style's number rather
/// than by a hash of it, as every cell of a city's long lists looks its format up.
struct SheetFormats(Vec<Option<Format>>);

impl SheetFormats {
    /// The formats of `styles`, in the sheet's font.
    fn of(styles: impl Iterator<Item = Style>, sheet: &SheetModel) -> SheetFormats {
        let mut formats: Vec<Option<Format>> = Vec::new();
        for s in styles {
            let at = s as usize;
            if formats.len() <= at {
                formats.resize(at + 1, None);
            }
            formats[at].get_or_insert_with(|| format_of(s, &sheet.font, sheet.font_size));
        }
        SheetFormats(formats)
    }

    fn get(&self, style: Style) -> &Format {
        self.0[style as usize]
            .as_ref()
            .expect("every style of the sheet has its format")
    }
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// A merged range, or the one cell it covers, in its format (the run in progress ended first).
fn write_merge<'f>(
    ws: &mut Worksheet,
    runs: &mut FormatRuns<'f>,
    m: &super::model::Merge,
    f: &'f Format,
) -> Result<(), XlsxError> {
    runs.end(ws)?;
    let text = cut_for_xlsx(&m.text).0;
    if m.first_row == m.last_row && m.first_col == m.last_col {
        ws.write_string_with_format(m.first_row, m.first_col, text.as_ref(), f)?;
    } else {
        ws.merge_range(
            m.first_row,
            m.first_col,
            m.last_row,
            m.last_col,
            text.as_ref(),
            f,
        )?;
    }
    Ok(())
}

/// Writes the sheets into one workbook, with its title and the template's words of the page
/// footer (`{page}`, `{pages}`). The sheets are consumed: each text moves into the workbook
/// rather than being copied there. Every sheet is added and its formats given their indices
/// first, in the order the cells first use them (the order a sheet-by-sheet writing gives them);
/// then the sheets are written side by side — a city's two late lists are most of the work.
pub fn write_workbook(
    sheets: Vec<SheetModel>,
    title: &str,
    footer: &str,
) -> Result<Vec<u8>, XlsxError> {
    let footer = page_footer(footer);
    let mut wb = new_workbook(title)?;
    // A list longer than a worksheet holds goes on into continuation sheets.
    let pages: Vec<SheetModel> = sheets
        .into_iter()
        .flat_map(|s| s.into_pages(super::model::MAX_SHEET_ROWS))
        .collect();
    // Each sheet laid out for writing side by side: cells and merges in the order of their
    // places, a merge before a cell at the same place (both lists are nearly always in order
    // already: the sorts only check), its styles in the order of first use, their formats.
    let laid: Vec<(SheetModel, Vec<Style>, SheetFormats)> = pages
        .into_par_iter()
        .with_max_len(1)
        .map(|mut sheet| {
            sheet.cells.sort_by_key(|c| (c.row, c.col));
            sheet.merges.sort_by_key(|m| (m.first_row, m.first_col));
            let first_use = styles_in_first_use(&sheet);
            let rules = sheet.rules.iter().map(|r| r.style);
            let formats = SheetFormats::of(first_use.iter().copied().chain(rules), &sheet);
            (sheet, first_use, formats)
        })
        .collect();
    let mut to_write = Vec::with_capacity(laid.len());
    for (sheet, first_use, formats) in laid {
        // Rows are written in order and flushed as they are done: a list of a whole city's
        // late dossiers never sits in memory twice.
        wb.add_worksheet_with_constant_memory()?
            .set_name(&sheet.name)?;
        // rust_xlsxwriter's hook for constant-memory sheets written on several threads: a
        // format registered here keeps its index, whichever thread writes it first.
        for style in first_use {
            wb.register_format(formats.get(style));
        }
        to_write.push((sheet, formats));
    }
    wb.worksheets_mut()
        .par_iter_mut()
        .zip(to_write)
        .with_max_len(1)
        .try_for_each(|(ws, (sheet, formats))| write_sheet(ws, sheet, &formats, &footer))?;
    wb.save_to_buffer()
}

/// The merges still to come (sorted by place) that stand before the cell at `at`: a merge comes
/// before a cell at the same place.
fn merges_up_to<'a, 'm>(
    merges: &'a mut std::iter::Peekable<std::slice::Iter<'m, super::model::Merge>>,
    at: (u32, u16),
) -> impl Iterator<Item = &'m super::model::Merge> + 'a {
    std::iter::from_fn(move || merges.next_if(|m| (m.first_row, m.first_col) <= at))
}

/// The styles of a sheet's cells and merges (sorted by place), each where first used.
fn styles_in_first_use(sheet: &SheetModel) -> Vec<Style> {
    let mut order: Vec<Style> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut note = |s: Style| {
        let at = s as usize;
        if seen.len() <= at {
            seen.resize(at + 1, false);
        }
        if !std::mem::replace(&mut seen[at], true) {
            order.push(s);
        }
    };
    let mut merges = sheet.merges.iter().peekable();
    for c in &sheet.cells {
        merges_up_to(&mut merges, (c.row, c.col)).for_each(|m| note(m.style));
        note(c.style);
    }
    merges.for_each(|m| note(m.style));
    order
}

/// A sheet's column chart of rates, with its target as a line when it has one.
fn insert_chart(ws: &mut Worksheet, name: &str, c: &ChartModel) -> Result<(), XlsxError> {
    let categories = (
        name,
        c.first_row,
        c.category_col,
        c.last_row,
        c.category_col,
    );
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name(c.value_name.as_str())
        .set_categories(categories)
        .set_values((name, c.first_row, c.value_col, c.last_row, c.value_col));
    chart.title().set_name(&c.title);
    chart.y_axis().set_min(0).set_max(100).set_name("%");
    if let Some(t) = c.target_col {
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name(c.target_name.as_str())
            .set_categories(categories)
            .set_values((name, c.first_row, t, c.last_row, t));
        chart.combine(&line);
    }
    chart.set_width(1000).set_height(460);
    ws.insert_chart(c.at_row, 0, &chart)?;
    Ok(())
}

/// Writes one sheet (its cells and merges sorted by place, its formats already registered).
fn write_sheet(
    ws: &mut Worksheet,
    mut sheet: SheetModel,
    formats: &SheetFormats,
    footer: &str,
) -> Result<(), XlsxError> {
    for (c, w) in sheet.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, h) in &sheet.row_heights {
        ws.set_row_height(*r, *h)?;
    }
    let cells = std::mem::take(&mut sheet.cells);
    let mut merges = sheet.merges.iter().peekable();
    // Cells side by side in one style get their format once ([`FormatRuns`]).
    let mut runs = FormatRuns::default();
    for c in cells {
        for m in merges_up_to(&mut merges, (c.row, c.col)) {
            write_merge(ws, &mut runs, m, formats.get(m.style))?;
        }
        let f = formats.get(c.style);
        let at = (c.row, c.col);
        match c.value {
            // A text longer than a cell holds is cut (the data-quality workbook warns
            // about the row it came from).
            Value::Text(t) => {
                let cut = match cut_for_xlsx(&t).0 {
                    std::borrow::Cow::Borrowed(_) => None,
                    std::borrow::Cow::Owned(cut) => Some(cut),
                };
                runs.text(ws, at, cut.unwrap_or(t), f)?
            }
            Value::Number(n) => runs.number(ws, at, n, f)?,
            Value::Date(d) => runs.date(ws, at, &excel_date(d)?, f)?,
            Value::Formula { formula, cached } => {
                runs.end(ws)?;
                let result = match cached {
                    Cached::Number(n) => num(n),
                    Cached::Text(t) => cut_for_xlsx(&t).0.into_owned(),
                };
                ws.write_formula_with_format(
                    c.row,
                    c.col,
                    Formula::new(formula).set_result(result),
                    f,
                )?;
            }
            Value::Blank => runs.blank(ws, at, f)?,
        }
    }
    for m in merges {
        write_merge(ws, &mut runs, m, formats.get(m.style))?;
    }
    runs.end(ws)?;
    for r in &sheet.rules {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(
                format!("\"{}\"", r.equals).as_str(),
            ))
            .set_format(formats.get(r.style).clone());
        ws.add_conditional_format(r.first_row, r.col, r.last_row, r.col, &cf)?;
    }
    if sheet.freeze_row > 0 || sheet.freeze_col > 0 {
        ws.set_freeze_panes(sheet.freeze_row, sheet.freeze_col)?;
    }
    if let Some((a, b)) = sheet.repeat_rows {
        ws.set_repeat_rows(a, b)?;
    }
    page_setup(ws, footer);
    if let Some(c) = &sheet.chart {
        insert_chart(ws, &sheet.name, c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet of one row whose cells take `styles` from column A on.
    fn sheet(name: &str, styles: &[Style]) -> SheetModel {
        let mut m = SheetModel {
            name: name.into(),
            font: "Times New Roman".into(),
            font_size: 12.0,
            ..SheetModel::default()
        };
        for (c, s) in styles.iter().enumerate() {
            m.set(0, c as u16, Value::Number(1.0), *s);
        }
        m
    }

    fn sheet_xml(book: &[u8], n: usize) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        xml
    }

    #[test]
    fn sheets_written_side_by_side_number_their_formats_as_one_after_another_would() {
        let book = || {
            write_workbook(
                vec![
                    sheet("A", &[Style::Text]),
                    sheet("B", &[Style::Integer, Style::Text]),
                    sheet("C", &[Style::Date, Style::Integer, Style::Rate]),
                ],
                "t",
                "Trang {page}",
            )
            .unwrap()
        };
        let first = book();
        // Format 0 is the workbook's default; the others count from the first sheet's cells on.
        assert!(sheet_xml(&first, 1).contains(r#"<c r="A1" s="1">"#));
        let b = sheet_xml(&first, 2);
        assert!(b.contains(r#"<c r="A1" s="2">"#) && b.contains(r#"<c r="B1" s="1">"#));
        let c = sheet_xml(&first, 3);
        assert!(c.contains(r#"<c r="A1" s="3">"#) && c.contains(r#"<c r="B1" s="2">"#));
        assert!(c.contains(r#"<c r="C1" s="4">"#));
        for _ in 0..10 {
            assert!(book() == first, "the same sheets gave another workbook");
        }
    }
}

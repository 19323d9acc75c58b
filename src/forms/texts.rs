//! The form's sheet «Nội dung báo cáo» (self-reports.md §5): one row per report section the
//! unit is asked about — its number, what it asks (locked) and a wrapped, shaded cell of
//! generous height for the unit's own words.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{print_setup, Filled, Formats, Words};
use crate::config::Pipeline;
use crate::kinds::self_report::texts::TEXTS_SHEET;

/// The row (0-based) of the sheet's header; the sections follow it.
pub const TEXTS_HEADER_ROW: u32 = 3;

/// The height of an answer row, in points: room for about ten lines of words.
const ANSWER_ROW_HEIGHT: f64 = 165.0;

/// Writes the sheet: a title, the guidance line, the header and one row per section asked of
/// the unit, filled in as `filled` says (by section number).
pub(super) fn texts_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    words: &Words,
    pipeline: &Pipeline,
    unit: &str,
    filled: &Filled,
) -> Result<(), XlsxError> {
    let cfg = crate::kinds::self_report::config(pipeline);
    let sheet_words = &cfg.texts_sheet;
    ws.set_name(TEXTS_SHEET)?;
    for (c, w) in [9.0, 40.0, 90.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        ws.set_column_format(c as u16, &f.column)?;
    }
    ws.write_string_with_format(0, 0, &words.texts_title, &f.title)?;
    ws.write_string_with_format(1, 0, &words.texts_subtitle, &f.subtitle)?;
    ws.merge_range(2, 0, 2, 2, &sheet_words.guidance, &f.note)?;
    ws.set_row_height(2, 33)?;
    let c = &sheet_words.columns;
    for (i, h) in [&c.number, &c.prompt, &c.answer].iter().enumerate() {
        ws.write_string_with_format(TEXTS_HEADER_ROW, i as u16, *h, &f.header)?;
    }
    ws.set_row_height(TEXTS_HEADER_ROW, 20)?;
    for (i, s) in cfg.sections_of(unit).enumerate() {
        let r = TEXTS_HEADER_ROW + 1 + i as u32;
        ws.set_row_height(r, ANSWER_ROW_HEIGHT)?;
        ws.write_string_with_format(r, 0, &s.entry.number, &f.locked_top)?;
        ws.write_string_with_format(r, 1, &s.entry.text, &f.locked_wrap_top)?;
        let answer = filled
            .texts
            .get(&s.entry.number)
            .map(String::as_str)
            .unwrap_or("");
        ws.write_string_with_format(r, 2, answer, &f.input_wrap_top)?;
    }
    ws.set_freeze_panes(TEXTS_HEADER_ROW + 1, 0)?;
    print_setup(ws, Some(TEXTS_HEADER_ROW))?;
    ws.set_landscape();
    Ok(())
}

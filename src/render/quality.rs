//! The data-quality workbook `chat-luong-du-lieu-<period>.xlsx`: the row account of every file,
//! the quarantined rows with their reasons, the warnings, the duplicates resolved, and the
//! columns and values nobody knows — for the person who made the files, in Vietnamese.

use std::collections::BTreeMap;

use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};

use crate::model::{RowRef, SourceFile};
use crate::period::Period;
use crate::quality::{RowAccount, WarningKind};
use crate::render::format_runs::FormatRuns;
use crate::render::templates::one_line;
use crate::render::words::quality::QualityWords;
use crate::render::words::Column;
use crate::text::cut_for_xlsx;

/// Rows listed per sheet at most; beyond that a line says how many more there are.
const MAX_LISTED: usize = 200_000;

/// Everything the workbook shows: the locality, the period, and the run's account of it.
pub struct QualityView<'a> {
    /// The locality's name.
    pub district: &'a str,
    /// The period.
    pub period: &'a Period,
    /// Where every row went.
    pub quality: &'a super::context::Quality<'a>,
    /// Units asked (by the kinds that ask units, [`crate::kind::KindFigures::units_asked`]) with
    /// nothing of the period that counts.
    pub units_missing: &'a [(String, String)],
    /// Units asked anything (the denominator of "x/y đơn vị đã báo cáo").
    pub units_asked: usize,
    /// The workbook's words.
    pub words: &'a QualityWords,
}

impl<'a> std::ops::Deref for QualityView<'a> {
    type Target = super::context::Quality<'a>;
    fn deref(&self) -> &Self::Target {
        self.quality
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    text: Format,
    number: Format,
    total: Format,
    total_number: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    Formats {
        title: base.clone().set_bold().set_font_size(14),
        subtitle: base.clone().set_italic(),
        header: cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color("#D9E1F2"),
        text: cell.clone().set_text_wrap(),
        number: cell.clone().set_num_format("#,##0"),
        total: cell.clone().set_bold(),
        total_number: cell.set_bold().set_num_format("#,##0"),
    }
}

/// A sheet that lists records under a title and a header row; a row's cells side by side in
/// one format get it once ([`FormatRuns`]).
struct Listing<'w, 'f> {
    ws: &'w mut Worksheet,
    row: u32,
    more: &'w str,
    runs: FormatRuns<'f>,
}

impl<'w, 'f> Listing<'w, 'f> {
    fn new(
        ws: &'w mut Worksheet,
        f: &'f Formats,
        v: &'w QualityView,
        title: &str,
        subtitle: &str,
        headers: &[Column],
    ) -> Result<Self> {
        ws.write_with_format(0, 0, title, &f.title)?;
        ws.write_with_format(1, 0, cut_for_xlsx(subtitle).0.as_ref(), &f.subtitle)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_with_format(3, c as u16, &h.header, &f.header)?;
            ws.set_column_width(c as u16, h.width)?;
        }
        ws.set_freeze_panes(4, 0)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_repeat_rows(3, 3)?;
        ws.set_print_fit_to_pages(1, 0);
        Ok(Listing {
            ws,
            row: 4,
            more: &v.words.more,
            runs: FormatRuns::default(),
        })
    }

    /// A text cell; a text longer than a cell holds is cut (its row carries a warning).
    fn text(&mut self, c: u16, v: &str, f: &'f Format) -> Result<()> {
        self.runs
            .text(self.ws, (self.row, c), cut_for_xlsx(v).0.into_owned(), f)?;
        Ok(())
    }

    fn number(&mut self, c: u16, v: f64, f: &'f Format) -> Result<()> {
        self.runs.number(self.ws, (self.row, c), v, f)?;
        Ok(())
    }

    /// Ends the row.
    fn next(&mut self) -> Result<()> {
        self.runs.end(self.ws)?;
        self.row += 1;
        Ok(())
    }

    fn more(&mut self, total: usize, f: &Formats) -> Result<()> {
        self.runs.end(self.ws)?;
        if total > MAX_LISTED {
            let mut ctx = tera::Context::new();
            ctx.insert("n", &(total - MAX_LISTED));
            let msg = one_line(self.more, &ctx)?;
            self.ws.write_with_format(self.row, 0, msg, &f.subtitle)?;
        }
        Ok(())
    }
}

fn file_name(files: &[SourceFile], r: &RowRef) -> String {
    files
        .get(r.file)
        .map(|f| f.display.clone())
        .unwrap_or_default()
}

/// The input kind of the file a row is in.
fn file_kind(files: &[SourceFile], r: &RowRef) -> &'static str {
    files.get(r.file).map(|f| f.kind).unwrap_or_default()
}

/// Renders the workbook.
pub fn render(ctx: &super::context::DocumentContext) -> Result<Vec<u8>> {
    let words = QualityWords::load(ctx.templates())?;
    let (asked, missing) = ctx.indicators.kinds.units_asked();
    let missing: Vec<(String, String)> = missing
        .iter()
        .map(|(l, u)| (ctx.pipeline.units.level(*l).label.clone(), u.clone()))
        .collect();
    workbook(&QualityView {
        district: &ctx.pipeline.district,
        period: ctx.period,
        quality: &ctx.quality,
        units_missing: &missing,
        units_asked: asked,
        words: &words,
    })
}

/// Writes the workbook of a view.
pub fn workbook(v: &QualityView) -> Result<Vec<u8>> {
    let w = v.words;
    let f = formats();
    let mut wb = crate::render::annex::xlsx::new_workbook(&w.document_title)?;
    let mut ctx = tera::Context::new();
    ctx.insert("district", v.district);
    ctx.insert("period_label", &v.period.label());
    ctx.insert(
        "period_start",
        &v.period.start.format("%d/%m/%Y").to_string(),
    );
    ctx.insert("period_end", &v.period.end.format("%d/%m/%Y").to_string());
    let subtitle = one_line(&w.subtitle, &ctx)?;
    summary_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.summary.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    quarantine_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.quarantine.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    warnings_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.warnings.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    duplicates_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.duplicates.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    unknown_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.unknown.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    skipped_rows_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.skipped_rows.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    missing_units_sheet(
        wb.add_worksheet_with_constant_memory()?
            .set_name(&w.missing_units.sheet)?,
        &f,
        v,
        &subtitle,
    )?;
    Ok(wb.save_to_buffer()?)
}

/// The units asked (in the self-report forms) that returned nothing that counts.
fn missing_units_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    v: &QualityView,
    subtitle: &str,
) -> Result<()> {
    let w = &v.words.missing_units;
    let mut ctx = tera::Context::new();
    ctx.insert("reported", &(v.units_asked - v.units_missing.len()));
    ctx.insert("asked", &v.units_asked);
    let title = one_line(&w.title, &ctx)?;
    let mut l = Listing::new(ws, f, v, &title, subtitle, &w.columns)?;
    for (i, (level, unit)) in v.units_missing.iter().enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, level, &f.text)?;
        l.text(2, unit, &f.text)?;
        l.text(3, &w.state, &f.text)?;
        l.next()?;
    }
    Ok(())
}

fn summary_sheet(ws: &mut Worksheet, f: &Formats, v: &QualityView, subtitle: &str) -> Result<()> {
    let w = &v.words.summary;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    let mut total = RowAccount::default();
    for (i, (file, a)) in v.files.iter().zip(v.accounts).enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, &file.display, &f.text)?;
        for (c, n) in [
            a.read,
            a.counted,
            a.quarantined,
            a.duplicate,
            a.excluded_withdrawn,
            a.excluded_outside_period,
        ]
        .iter()
        .enumerate()
        {
            l.number(2 + c as u16, *n as f64, &f.number)?;
        }
        l.text(8, &w.balance_words[usize::from(!a.balances())], &f.text)?;
        l.number(9, a.blank_rows as f64, &f.number)?;
        l.text(10, file.encoding.as_deref().unwrap_or(""), &f.text)?;
        l.next()?;
        total.read += a.read;
        total.counted += a.counted;
        total.quarantined += a.quarantined;
        total.duplicate += a.duplicate;
        total.excluded_withdrawn += a.excluded_withdrawn;
        total.excluded_outside_period += a.excluded_outside_period;
        total.blank_rows += a.blank_rows;
    }
    l.text(0, "", &f.total)?;
    l.text(1, &w.total, &f.total)?;
    for (c, n) in [
        total.read,
        total.counted,
        total.quarantined,
        total.duplicate,
        total.excluded_withdrawn,
        total.excluded_outside_period,
    ]
    .iter()
    .enumerate()
    {
        l.number(2 + c as u16, *n as f64, &f.total_number)?;
    }
    l.text(
        8,
        &w.balance_words[usize::from(!total.balances())],
        &f.total,
    )?;
    l.number(9, total.blank_rows as f64, &f.total_number)?;
    l.text(10, "", &f.total)?;
    l.next()?;
    l.next()?;
    l.text(1, &w.explanation, &f.subtitle)?;
    l.next()?;
    l.next()?;
    // In the registry's order of warning kinds (the core ones, then each kind's own).
    let order = crate::kinds::warning_kinds();
    let rank = |k: &WarningKind| order.iter().position(|o| o == k).unwrap_or(order.len());
    let mut counts: BTreeMap<(usize, WarningKind), u64> = BTreeMap::new();
    for w in v.warnings {
        *counts.entry((rank(&w.kind), w.kind)).or_default() += 1;
    }
    l.text(1, &w.by_kind[0], &f.header)?;
    l.text(2, &w.by_kind[1], &f.header)?;
    l.next()?;
    for ((_, kind), n) in counts {
        l.text(1, v.words.warning(kind)?, &f.text)?;
        l.number(2, n as f64, &f.number)?;
        l.next()?;
    }
    Ok(())
}

fn quarantine_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    v: &QualityView,
    subtitle: &str,
) -> Result<()> {
    let w = &v.words.quarantine;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    for (i, q) in v.quarantine.iter().take(MAX_LISTED).enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, &file_name(v.files, &q.source), &f.text)?;
        l.text(2, &q.source.sheet, &f.text)?;
        l.number(3, q.source.row as f64, &f.number)?;
        l.text(4, &q.dossier_id, &f.text)?;
        l.text(5, &q.column, &f.text)?;
        l.text(6, &q.value, &f.text)?;
        l.text(7, &q.reason, &f.text)?;
        l.next()?;
    }
    l.more(v.quarantine.len(), f)
}

fn warnings_sheet(ws: &mut Worksheet, f: &Formats, v: &QualityView, subtitle: &str) -> Result<()> {
    let w = &v.words.warnings;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    for (i, w) in v.warnings.iter().take(MAX_LISTED).enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, v.words.warning(w.kind)?, &f.text)?;
        l.text(2, &file_name(v.files, &w.source), &f.text)?;
        l.text(3, &w.source.sheet, &f.text)?;
        l.number(4, w.source.row as f64, &f.number)?;
        l.text(5, &w.dossier_id, &f.text)?;
        l.text(6, &w.column, &f.text)?;
        l.text(7, &w.value, &f.text)?;
        l.next()?;
    }
    l.more(v.warnings.len(), f)
}

fn duplicates_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    v: &QualityView,
    subtitle: &str,
) -> Result<()> {
    let w = &v.words.duplicates;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    for (i, d) in v.duplicates.iter().take(MAX_LISTED).enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, &d.dossier_id, &f.text)?;
        l.text(2, &file_name(v.files, &d.kept), &f.text)?;
        l.text(3, &d.kept.sheet, &f.text)?;
        l.number(4, d.kept.row as f64, &f.number)?;
        l.text(
            5,
            v.words.status(file_kind(v.files, &d.kept), &d.kept_status),
            &f.text,
        )?;
        l.text(6, &file_name(v.files, &d.dropped), &f.text)?;
        l.text(7, &d.dropped.sheet, &f.text)?;
        l.number(8, d.dropped.row as f64, &f.number)?;
        l.text(
            9,
            v.words
                .status(file_kind(v.files, &d.dropped), &d.dropped_status),
            &f.text,
        )?;
        l.text(10, &d.reason, &f.text)?;
        l.text(11, &d.differs, &f.text)?;
        l.next()?;
    }
    l.more(v.duplicates.len(), f)
}

fn unknown_sheet(ws: &mut Worksheet, f: &Formats, v: &QualityView, subtitle: &str) -> Result<()> {
    let w = &v.words.unknown;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    let mut i = 0;
    let mut columns: BTreeMap<(String, String), u64> = BTreeMap::new();
    for u in v.unknown_columns {
        let file = v
            .files
            .get(u.file)
            .map(|f| f.display.clone())
            .unwrap_or_default();
        *columns
            .entry((format!("{file} — {}", u.sheet), u.header.clone()))
            .or_default() += 1;
    }
    for ((where_, header), n) in &columns {
        i += 1;
        l.number(0, i as f64, &f.number)?;
        l.text(1, &w.unused_column, &f.text)?;
        l.text(2, where_, &f.text)?;
        l.text(3, header, &f.text)?;
        l.number(4, *n as f64, &f.number)?;
        l.next()?;
    }
    for sk in v.skipped_sheets {
        i += 1;
        let file = v
            .files
            .get(sk.file)
            .map(|f| f.display.clone())
            .unwrap_or_default();
        l.number(0, i as f64, &f.number)?;
        l.text(1, &w.skipped_sheet, &f.text)?;
        l.text(2, &format!("{file} — {}", sk.sheet), &f.text)?;
        l.text(3, &sk.reason, &f.text)?;
        l.number(4, 1.0, &f.number)?;
        l.next()?;
    }
    let mut values: BTreeMap<(String, String), u64> = BTreeMap::new();
    for w in v.warnings.iter().filter(|w| {
        matches!(
            w.kind,
            WarningKind::UnknownChannel
                | WarningKind::UnknownStatus
                | WarningKind::UnknownFlag
                | WarningKind::UnknownUnit
                | WarningKind::UnknownFee
        ) && !w.value.trim().is_empty()
    }) {
        *values
            .entry((w.column.clone(), w.value.clone()))
            .or_default() += 1;
    }
    for ((column, value), n) in &values {
        i += 1;
        l.number(0, i as f64, &f.number)?;
        l.text(1, &w.unknown_value, &f.text)?;
        l.text(2, column, &f.text)?;
        l.text(3, value, &f.text)?;
        l.number(4, *n as f64, &f.number)?;
        l.next()?;
    }
    Ok(())
}

fn skipped_rows_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    v: &QualityView,
    subtitle: &str,
) -> Result<()> {
    let w = &v.words.skipped_rows;
    let mut l = Listing::new(ws, f, v, &w.title, subtitle, &w.columns)?;
    for (i, r) in v.skipped_rows.iter().take(MAX_LISTED).enumerate() {
        l.number(0, (i + 1) as f64, &f.number)?;
        l.text(1, &file_name(v.files, &r.source), &f.text)?;
        l.text(2, &r.source.sheet, &f.text)?;
        l.number(3, r.source.row as f64, &f.number)?;
        l.text(4, &r.text, &f.text)?;
        l.next()?;
    }
    l.more(v.skipped_rows.len(), f)
}

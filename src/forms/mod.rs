//! The self-report forms (`cchc forms`, self-reports.md §2): one workbook per unit asked a
//! question, for one quarter. Sheet "Thông tin" holds the unit, the period, the return
//! deadline, the preparer's inputs and the identity cell `cchc-form/1;<period>;<unit>;<version>`
//! by which a returned form is read back; sheet "Số liệu" one row per question, with the
//! answer cells unlocked, shaded and validated by the question's type; sheet "Nhiệm vụ" the
//! plan's tasks the unit leads, its answer cells shaded, the status from a list; sheet «Nội dung
//! báo cáo» the unit's own words for each report section it is asked about. Every sheet is
//! protected without a password, printed on A4 fitted to the width.

mod texts;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::config::Pipeline;
use crate::kinds::self_report::texts::TEXTS_SHEET;
use crate::kinds::self_report::{
    identity, AnswerType, FormColumn, Question, DATA_SHEET, INFO_SHEET, TASKS_SHEET,
};
use crate::period::{Period, PeriodKind};
use crate::render::words::files::FileNames;
use crate::render::words::forms::{FormView, FormWords};

/// The row (0-based) of the "Số liệu" header; questions follow it.
pub const HEADER_ROW: u32 = 3;

/// What a filled-in form holds (the sample generator's units, tests): per question id, the
/// "Số liệu" and "Tổng số" cells as typed, and the preparer.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    /// Question id → (Số liệu, Tổng số), each as typed (a number or text).
    pub answers: HashMap<String, (Typed, Typed)>,
    /// Người lập biểu.
    pub preparer: String,
    /// Số điện thoại.
    pub phone: String,
    /// Văn bản kiểm chứng, by question id.
    pub evidence: HashMap<String, String>,
    /// The "Nhiệm vụ" sheet's answers, by task number.
    pub tasks: HashMap<String, FilledTask>,
    /// The «Nội dung báo cáo» sheet's words, by section number ("II.1").
    pub texts: HashMap<String, String>,
}

/// A task's row as a unit fills it in.
#[derive(Debug, Clone, Default)]
pub struct FilledTask {
    /// Tình trạng (a word of the list, or what the person typed).
    pub status: Typed,
    /// Ngày hoàn thành.
    pub completed: Typed,
    /// Văn bản kiểm chứng.
    pub evidence: String,
}

/// A cell as a person types it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Typed {
    /// Left empty.
    #[default]
    Empty,
    /// A number.
    Number(f64),
    /// Text (a word, or a number typed as text).
    Text(String),
    /// A date, written as a spreadsheet date.
    Date(chrono::NaiveDate),
}

/// The quarter a form is for.
pub fn form_period(pipeline: &Pipeline, id: &str) -> Result<Period> {
    let p = Period::parse(id, pipeline.period_rule)?;
    if !matches!(p.kind, PeriodKind::Quarter(_)) {
        bail!("biểu mẫu báo cáo của đơn vị làm theo quý (2024-Q1 … 2024-Q4), không theo kỳ «{id}»");
    }
    Ok(p)
}

/// The folder of a period's forms under `out`, named as the output names say.
pub fn folder(out: &Path, names: &FileNames, period: &Period) -> PathBuf {
    out.join(FileNames::for_period(&names.forms, period))
}

/// The longest stem of a form's file name, in bytes: file systems allow 255 bytes a name, and a
/// clash suffix, ".xlsx" and the temporary file's affixes need room beside it.
const STEM_MAX_BYTES: usize = 100;

/// The stem of a form whose unit's name leaves nothing usable (only punctuation, `..`).
const FALLBACK_STEM: &str = "don-vi";

/// Names Windows reserves for devices, whatever the extension: a file `con.xlsx` cannot be
/// opened or copied there.
const DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "clock$", "conin$", "conout$", "com0", "com1", "com2", "com3",
    "com4", "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5",
    "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The file name of a unit's form: the unit's slug, made safe on every system — at most
/// `STEM_MAX_BYTES` bytes (cut on a character boundary), no leading dot, no trailing dot or
/// space, not `.`/`..` and not a Windows device name. Two units may still get one name:
/// [`write_all`] gives the later a suffix.
pub fn file_name(unit: &str) -> String {
    format!("{}.xlsx", safe_stem(&crate::ingest::slug(unit)))
}

/// A file name stem that is safe on Linux, macOS and Windows.
fn safe_stem(stem: &str) -> String {
    let forbidden = |c: char| {
        c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
    };
    let clean: String = stem
        .chars()
        .map(|c| if forbidden(c) { '-' } else { c })
        .collect();
    let mut cut = clean.as_str();
    if cut.len() > STEM_MAX_BYTES {
        let mut end = STEM_MAX_BYTES;
        while !cut.is_char_boundary(end) {
            end -= 1;
        }
        cut = &cut[..end];
    }
    let cut = cut
        .trim_start_matches(['.', ' ', '-'])
        .trim_end_matches(['.', ' ', '-']);
    if cut.is_empty() {
        return FALLBACK_STEM.to_string();
    }
    let first = cut
        .split('.')
        .next()
        .unwrap_or(cut)
        .trim_end()
        .to_ascii_lowercase();
    if DEVICE_NAMES.contains(&first.as_str()) {
        return format!("{cut}-{FALLBACK_STEM}");
    }
    cut.to_string()
}

/// The file name of each unit's form, in the units' order: a name another unit already has
/// (compared without case, as Windows and macOS do) gets `-2`, `-3` … and a warning naming
/// both units.
pub fn unique_file_names(units: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    let mut taken: std::collections::HashMap<String, usize> = Default::default();
    for (i, unit) in units.iter().enumerate() {
        let base = file_name(unit);
        let stem = base.trim_end_matches(".xlsx");
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains_key(&name.to_lowercase()) {
            n += 1;
            name = format!("{stem}-{n}.xlsx");
        }
        if n > 1 {
            let first = &units[taken[&base.to_lowercase()]];
            warnings.push(format!(
                "đơn vị «{unit}» và «{first}» cho cùng tên tệp «{base}»: biểu mẫu của «{unit}» ghi vào «{name}» — gửi đúng tệp cho từng đơn vị (mã biểu mẫu ở trang «{INFO_SHEET}» cho biết đơn vị), hoặc đặt tên đơn vị khác nhau rõ hơn trong units.toml"
            ));
        }
        taken.insert(name.to_lowercase(), i);
        names.push(name);
    }
    (names, warnings)
}

/// What [`write_all`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The folder they are in.
    pub folder: PathBuf,
    /// The files, in registry order.
    pub files: Vec<PathBuf>,
    /// What the person should know (file names that clashed), in Vietnamese.
    pub warnings: Vec<String>,
}

/// Writes the form of every unit asked a question into `bao-cao-don-vi-<period>/` under `out`,
/// all or nothing, through the outputs' writer ([`crate::output::write_all`]): every form is made
/// first, written into a new staging folder and swapped in whole, so a form that cannot be made
/// writes nothing and a link planted at a form's name is replaced, never followed.
/// A folder another pipeline's forms are in is replaced only with `force`: the pipeline that
/// wrote it is marked beside it (`.cchc-bieu-mau-<period>.json` in `out`, so that the folder
/// holds the forms alone; [`crate::ownership`]).
pub fn write_all(pipeline: &Pipeline, period: &Period, out: &Path, force: bool) -> Result<Written> {
    let names = FileNames::load(pipeline.templates.as_deref())?;
    let mark = format!("{}-{}.json", crate::ownership::FORMS_MARK, period.id);
    let owner = crate::ownership::owner_of(&pipeline.path);
    crate::ownership::check(out, &mark, &owner, force)?;
    let units = crate::kinds::self_report::config(pipeline).units_asked(&pipeline.units);
    let (unit_files, warnings) = unique_file_names(&units);
    let files = units
        .iter()
        .zip(unit_files)
        .map(|(unit, name)| Ok((name, form(pipeline, period, unit, None)?)))
        .collect::<Result<Vec<_>>>()?;
    let folder = folder(out, &names, period);
    let files = crate::output::write_all(&folder, &files)?;
    crate::ownership::mark(out, &mark, &owner)?;
    Ok(Written {
        folder,
        files,
        warnings,
    })
}

struct Formats {
    column: Format,
    title: Format,
    subtitle: Format,
    label: Format,
    locked: Format,
    locked_wrap: Format,
    header: Format,
    input: Format,
    input_wrap: Format,
    input_number: Format,
    inactive: Format,
    note: Format,
    locked_top: Format,
    locked_wrap_top: Format,
    input_wrap_top: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let input = cell.clone().set_unlocked().set_background_color("#FFF2CC");
    Formats {
        column: base.clone(),
        title: base.clone().set_bold().set_font_size(14),
        subtitle: base.clone().set_italic(),
        label: cell.clone().set_bold(),
        locked: cell.clone(),
        locked_wrap: cell.clone().set_text_wrap(),
        header: cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color("#D9E1F2"),
        input_wrap: input.clone().set_text_wrap(),
        input_wrap_top: input.clone().set_text_wrap().set_align(FormatAlign::Top),
        locked_top: cell.clone().set_align(FormatAlign::Top),
        locked_wrap_top: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
        input_number: input.clone().set_num_format("#,##0.##"),
        input,
        inactive: cell.set_background_color("#EDEDED"),
        note: base.set_italic().set_text_wrap(),
    }
}

/// A form's fixed words (`templates/forms/bieu-mau.toml`), with its one-liners rendered for
/// one unit and period.
struct Words<'a> {
    fixed: &'a FormWords,
    info_subtitle: String,
    data_title: String,
    data_subtitle: String,
    choice_message: String,
    texts_title: String,
    texts_subtitle: String,
}

impl<'a> Words<'a> {
    fn new(
        fixed: &'a FormWords,
        pipeline: &Pipeline,
        period: &Period,
        unit: &str,
    ) -> Result<(Words<'a>, String)> {
        let mut view = FormView {
            district: pipeline.district.clone(),
            unit: unit.to_string(),
            period_id: period.id.clone(),
            period_label: period.label(),
            sheet: String::new(),
            choices: pipeline
                .vocabulary
                .yes_no_choices
                .iter()
                .map(|w| format!("«{w}»"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let document_title = view.line(&fixed.document_title)?;
        let mut words = Words {
            fixed,
            info_subtitle: view.line(&fixed.info.subtitle)?,
            data_title: view.line(&fixed.data.title)?,
            data_subtitle: view.line(&fixed.data.subtitle)?,
            choice_message: view.line(&fixed.data.choice_message)?,
            texts_title: String::new(),
            texts_subtitle: String::new(),
        };
        view.sheet = TEXTS_SHEET.to_string();
        words.texts_title = view.line(&fixed.texts.title)?;
        words.texts_subtitle = view.line(&fixed.texts.subtitle)?;
        Ok((words, document_title))
    }
}

/// One unit's form for a period; with `filled`, as the unit returns it.
pub fn form(
    pipeline: &Pipeline,
    period: &Period,
    unit: &str,
    filled: Option<&Filled>,
) -> Result<Vec<u8>> {
    let cfg = &crate::kinds::self_report::config(pipeline);
    let questions: Vec<&Question> = cfg.asked_of(unit).collect();
    if questions.is_empty() && cfg.sections_of(unit).next().is_none() {
        bail!("đơn vị «{unit}» không có câu hỏi nào trong biểu mẫu báo cáo");
    }
    let version = cfg.version(unit);
    let deadline = period.end + chrono::Duration::days(cfg.form.return_days_after_end as i64);
    let fixed = FormWords::load(pipeline.templates.as_deref())?;
    let (words, document_title) = Words::new(&fixed, pipeline, period, unit)?;
    let f = formats();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(document_title)
            .set_author("cchc")
            .set_creation_datetime(
                &rust_xlsxwriter::ExcelDateTime::from_ymd(
                    period.end.year() as u16,
                    period.end.month() as u8,
                    period.end.day() as u8,
                )
                .map_err(xlsx)?,
            ),
    );
    let empty = Filled::default();
    let filled_or_empty = filled.unwrap_or(&empty);
    info_sheet(
        wb.add_worksheet(),
        &f,
        &words,
        pipeline,
        period,
        unit,
        &identity(&period.id, unit, &version),
        deadline,
        filled_or_empty,
    )
    .map_err(xlsx)?;
    data_sheet(
        wb.add_worksheet(),
        &f,
        &words,
        pipeline,
        &questions,
        filled_or_empty,
    )
    .map_err(xlsx)?;
    tasks_sheet(
        wb.add_worksheet(),
        &f,
        &words,
        pipeline,
        period,
        unit,
        filled_or_empty,
    )
    .map_err(xlsx)?;
    if cfg.sections_of(unit).next().is_some() {
        texts::texts_sheet(
            wb.add_worksheet(),
            &f,
            &words,
            pipeline,
            unit,
            filled_or_empty,
        )
        .map_err(xlsx)?;
    }
    wb.save_to_buffer().map_err(xlsx)
}

fn xlsx(e: XlsxError) -> anyhow::Error {
    anyhow::anyhow!("không ghi được biểu mẫu: {e}")
}

fn print_setup(ws: &mut Worksheet, header_row: Option<u32>) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.6, 0.5, 0.6, 0.6, 0.3, 0.3);
    if let Some(r) = header_row {
        ws.set_repeat_rows(r, r)?;
    }
    ws.protect();
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn info_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    words: &Words,
    pipeline: &Pipeline,
    period: &Period,
    unit: &str,
    identity: &str,
    deadline: chrono::NaiveDate,
    filled: &Filled,
) -> Result<(), XlsxError> {
    ws.set_name(INFO_SHEET)?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 60)?;
    ws.set_column_format(0, &f.column)?;
    ws.set_column_format(1, &f.column)?;
    let w = &words.fixed.info;
    ws.write_string_with_format(0, 0, &w.title, &f.title)?;
    ws.write_string_with_format(1, 0, &words.info_subtitle, &f.subtitle)?;
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let rows: [(&str, String); 6] = [
        (&w.unit, unit.to_string()),
        (&w.period, period.id.clone()),
        (&w.start, date(period.start)),
        (&w.end, date(period.end)),
        (&w.deadline, date(deadline)),
        (
            &w.return_to,
            crate::kinds::self_report::config(pipeline)
                .form
                .return_to
                .clone(),
        ),
    ];
    let mut r = 3;
    for (label, value) in rows {
        ws.write_string_with_format(r, 0, label, &f.label)?;
        ws.write_string_with_format(r, 1, value, &f.locked)?;
        r += 1;
    }
    for (label, value) in [(&w.preparer, &filled.preparer), (&w.phone, &filled.phone)] {
        ws.write_string_with_format(r, 0, label, &f.label)?;
        ws.write_string_with_format(r, 1, value, &f.input)?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, &w.identity, &f.label)?;
    ws.write_string_with_format(r, 1, identity, &f.locked)?;
    r += 2;
    for line in &crate::kinds::self_report::config(pipeline).form.guidance {
        ws.merge_range(r, 0, r, 1, line, &f.note)?;
        ws.set_row_height(r, 48)?;
        r += 1;
    }
    print_setup(ws, None)
}

fn data_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    words: &Words,
    pipeline: &Pipeline,
    questions: &[&Question],
    filled: &Filled,
) -> Result<(), XlsxError> {
    ws.set_name(DATA_SHEET)?;
    for (c, w) in [18.0, 52.0, 13.0, 13.0, 11.0, 22.0, 18.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.set_column_format(c as u16, &f.column)?;
    }
    let w = &words.fixed.data;
    ws.write_string_with_format(0, 0, &words.data_title, &f.title)?;
    ws.write_string_with_format(1, 0, &words.data_subtitle, &f.subtitle)?;
    // The header the reader finds: each column's label in self-report.toml.
    let header = FormColumn::ALL.map(|c| {
        crate::kinds::self_report::config(pipeline)
            .header
            .label(c as usize)
    });
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    ws.set_row_height(HEADER_ROW, 33)?;
    for (i, q) in questions.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let e = &q.entry;
        let ytd = if e.year_to_date {
            crate::kinds::self_report::config(pipeline)
                .form
                .year_to_date_mark
                .as_str()
        } else {
            ""
        };
        ws.write_string_with_format(r, 0, &e.id, &f.locked)?;
        let text = format!("{}{}", e.text, ytd);
        // Wrapped text needs its height: about 55 characters a line in a 52-wide column.
        let lines = text.chars().count().div_ceil(55).max(1);
        ws.set_row_height(r, 16.5 * lines as f64 + 2.0)?;
        ws.write_string_with_format(r, 1, text, &f.locked_wrap)?;
        ws.write_string_with_format(r, 2, &e.measure_unit, &f.locked)?;
        let (value, total) = filled.answers.get(&e.id).cloned().unwrap_or_default();
        let value_format = match e.kind {
            AnswerType::Text => &f.input_wrap,
            AnswerType::YesNo => &f.input,
            _ => &f.input_number,
        };
        write_typed(ws, r, 3, &value, value_format)?;
        if e.kind == AnswerType::Ratio {
            write_typed(ws, r, 4, &total, &f.input_number)?;
        } else {
            ws.write_blank(r, 4, &f.inactive)?;
        }
        let evidence = filled.evidence.get(&e.id).cloned().unwrap_or_default();
        ws.write_string_with_format(r, 5, evidence, &f.input_wrap)?;
        ws.write_string_with_format(r, 6, "", &f.input_wrap)?;
        if let Some(v) = validation(e.kind, &e.text, &pipeline.vocabulary.yes_no_choices, words)? {
            ws.add_data_validation(r, 3, r, 3, &v)?;
        }
        if e.kind == AnswerType::Ratio {
            let v = DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_title(&w.total_title)?
                .set_error_message(&w.total_message)?;
            ws.add_data_validation(r, 4, r, 4, &v)?;
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    print_setup(ws, Some(HEADER_ROW))?;
    ws.set_landscape();
    Ok(())
}

fn write_typed(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Typed,
    format: &Format,
) -> Result<(), XlsxError> {
    match v {
        Typed::Empty => ws.write_blank(r, c, format)?,
        Typed::Number(n) => ws.write_number_with_format(r, c, *n, format)?,
        Typed::Text(t) => ws.write_string_with_format(r, c, t, format)?,
        Typed::Date(d) => {
            let day = rust_xlsxwriter::ExcelDateTime::from_ymd(
                d.year() as u16,
                d.month() as u8,
                d.day() as u8,
            )?;
            ws.write_datetime_with_format(r, c, &day, format)?
        }
    };
    Ok(())
}

/// The data validation of an answer cell, by the question's type.
fn validation(
    kind: AnswerType,
    text: &str,
    yes_no: &[String],
    words: &Words,
) -> Result<Option<DataValidation>, XlsxError> {
    let w = &words.fixed.data;
    let title: String = text.chars().take(30).collect();
    let v = match kind {
        AnswerType::Count | AnswerType::Ratio => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message(&w.count_message)?,
        AnswerType::Amount => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message(&w.amount_message)?,
        AnswerType::Percent => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_message(&w.percent_message)?,
        AnswerType::YesNo => DataValidation::new()
            .allow_list_strings(yes_no)?
            .set_error_message(&words.choice_message)?,
        AnswerType::Text => return Ok(None),
    };
    Ok(Some(
        v.set_error_title(title)?
            .set_error_style(DataValidationErrorStyle::Stop),
    ))
}

/// The plan's tasks the unit leads, one row each: the plan's words locked, the unit's answer
/// (status from the list, completion date, evidence, note) in shaded cells.
fn tasks_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    words: &Words,
    pipeline: &Pipeline,
    period: &Period,
    unit: &str,
    filled: &Filled,
) -> Result<(), XlsxError> {
    ws.set_name(TASKS_SHEET)?;
    for (c, w) in [14.0, 50.0, 28.0, 16.0, 18.0, 16.0, 28.0, 20.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.set_column_format(c as u16, &f.column)?;
    }
    let sheet_words = &crate::kinds::self_report::config(pipeline).tasks_sheet;
    for (c, h) in sheet_words.header().iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    let statuses = sheet_words.words();
    let status_rule = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_error_title(&words.fixed.tasks.status_title)?
        .set_error_message(&words.fixed.tasks.status_message)?
        .set_error_style(DataValidationErrorStyle::Stop);
    let date_rule = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThanOrEqualTo(
            rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 1, 1)?,
        ))
        .set_error_title(&words.fixed.tasks.date_title)?
        .set_error_message(&words.fixed.tasks.date_message)?
        .set_error_style(DataValidationErrorStyle::Stop);
    let date_format = f.input.clone().set_num_format("dd/mm/yyyy");
    let led = crate::tasks::plan(pipeline).on_form(unit, period);
    let mut r = 0;
    for task in led {
        r += 1;
        // Wrapped text needs its height: about one character a unit of column width.
        let lines = [
            (&task.task, 60),
            (&task.product, 32),
            (&task.deadline_text, 18),
        ]
        .iter()
        .map(|(t, w)| t.chars().count().div_ceil(*w))
        .max()
        .unwrap_or(1)
        .max(1);
        ws.set_row_height(r, 16.5 * lines as f64 + 2.0)?;
        ws.write_string_with_format(r, 0, &task.number, &f.locked)?;
        ws.write_string_with_format(r, 1, &task.task, &f.locked_wrap)?;
        ws.write_string_with_format(r, 2, &task.product, &f.locked_wrap)?;
        ws.write_string_with_format(r, 3, &task.deadline_text, &f.locked_wrap)?;
        let answer = filled.tasks.get(&task.number).cloned().unwrap_or_default();
        write_typed(ws, r, 4, &answer.status, &f.input)?;
        write_typed(ws, r, 5, &answer.completed, &date_format)?;
        ws.write_string_with_format(r, 6, &answer.evidence, &f.input_wrap)?;
        ws.write_string_with_format(r, 7, "", &f.input_wrap)?;
    }
    if r > 0 {
        ws.add_data_validation(1, 4, r, 4, &status_rule)?;
        ws.add_data_validation(1, 5, r, 5, &date_rule)?;
    }
    print_setup(ws, Some(0))?;
    ws.set_landscape();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_every_unit_name_a_safe_file_name() {
        assert_eq!(file_name("Xã Bà Điểm"), "xa-ba-diem.xlsx");
        assert_eq!(file_name(".."), "don-vi.xlsx");
        assert_eq!(file_name("CON"), "con-don-vi.xlsx");
        assert_eq!(file_name("Nul"), "nul-don-vi.xlsx");
        assert_eq!(file_name("COM1"), "com1-don-vi.xlsx");
        assert_eq!(file_name("LPT9"), "lpt9-don-vi.xlsx");
        assert_eq!(safe_stem("con.backup"), "con.backup-don-vi");
        assert_eq!(safe_stem("..hidden. "), "hidden");
        assert_eq!(safe_stem("a/b\\c:d\u{1}"), "a-b-c-d");
        let long = "Tổ dân phố ".repeat(30);
        let name = file_name(&long);
        assert!(name.len() <= STEM_MAX_BYTES + ".xlsx".len(), "{name}");
        // On a character boundary, not a byte one.
        let wide = "đ".repeat(200);
        let stem = safe_stem(&wide);
        assert!(stem.len() <= STEM_MAX_BYTES && stem.chars().all(|c| c == 'đ'));
    }

    #[test]
    fn gives_a_clashing_name_a_suffix_and_a_warning() {
        let units = ["Xã A", "Xa A", "XÃ A", "Xã B"].map(String::from);
        let (names, warnings) = unique_file_names(&units);
        assert_eq!(
            names,
            ["xa-a.xlsx", "xa-a-2.xlsx", "xa-a-3.xlsx", "xa-b.xlsx"]
        );
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0].starts_with(
                "đơn vị «Xa A» và «Xã A» cho cùng tên tệp «xa-a.xlsx»: biểu mẫu của «Xa A» ghi vào «xa-a-2.xlsx»"
            ),
            "{}",
            warnings[0]
        );
    }
}

//! A returned form → one record per answer (self-reports.md §3). The form's identity (period,
//! unit, version) is read from its "Thông tin" sheet: a form without one is refused as a file;
//! a form of another version (edited questions, another configuration) counts for nothing, every
//! row quarantined with the reason, telling the unit to take the current form. Each answer is
//! checked against its question's type — values typed as text ("1.234", "12,5", "có") are read
//! — and a wrong value, n > N or an empty required answer quarantines that answer only.

use anyhow::Result;
use polars::prelude::*;

use super::task_column::{COMPLETED, EVIDENCE, NUMBER, STATUS};
use super::{parse_identity, AnswerType, Config, FormColumn, Question, IDENTITY_PREFIX};
use crate::config::{Level, Pipeline};
use crate::ingest::{FileProblem, RawRow, RawTable};
use crate::kind::InputContext;
use crate::model::{Cell, RowRef};
use crate::normalize::dates::{parse_date_text, DateValue};
use crate::normalize::{day_number, source_columns, Normalized};
use crate::period::Period;
use crate::quality::{Quarantined, Warning, WarningKind};
use crate::tasks::TaskStatus;
use crate::text::match_key;

/// One answer of one form.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where it came from.
    pub source: RowRef,
    /// The unit the form is of (canonical).
    pub unit: String,
    /// Its level.
    pub level: Level,
    /// The form's period id.
    pub period: String,
    /// The period's last day.
    pub period_end: chrono::NaiveDate,
    /// What the row answers.
    pub item: Item,
}

/// A record answers a question of the "Số liệu" sheet, a task of the "Nhiệm vụ" sheet or a
/// report section of the «Nội dung báo cáo» sheet.
#[derive(Debug, Clone)]
pub enum Item {
    /// An answer to a question.
    Question {
        /// The question id.
        question: String,
        /// The number answered (n of a ratio; 1 / 0 for yes / no).
        value: Option<f64>,
        /// N of a ratio.
        total: Option<f64>,
        /// A text answer.
        text: Option<String>,
    },
    /// A task's progress.
    Task {
        /// The task's number.
        number: String,
        /// Tình trạng, when one is chosen.
        status: Option<TaskStatus>,
        /// Ngày hoàn thành.
        completed: Option<chrono::NaiveDate>,
        /// Văn bản kiểm chứng.
        evidence: Option<String>,
    },
    /// The unit's own words for a report section (sheet «Nội dung báo cáo»).
    Text {
        /// The section's id (`self-report.toml` `[[report_sections]]`).
        section: String,
        /// The words, personal data masked.
        text: String,
    },
}

/// Reads a number as a person types it: a number cell, or text with Vietnamese separators
/// ("1.234" is 1234, "12,5" is 12.5, "1.234,5"), spaces and a trailing "%" allowed.
pub fn parse_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n).filter(|v| v.is_finite()),
        Cell::Text(t) => {
            let s: String = t
                .trim()
                .trim_end_matches('%')
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
                .collect();
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
            {
                return None;
            }
            let grouped = |s: &str, sep: char| {
                let parts: Vec<&str> = s.trim_start_matches(['-', '+']).split(sep).collect();
                parts.len() > 1
                    && (1..=3).contains(&parts[0].len())
                    && parts[1..].iter().all(|p| p.len() == 3)
            };
            let normal = match (s.rfind('.'), s.rfind(',')) {
                (Some(d), Some(c)) if c > d => s.replace('.', "").replace(',', "."),
                (Some(_), Some(_)) => s.replace(',', ""),
                (Some(_), None) if grouped(&s, '.') => s.replace('.', ""),
                (None, Some(_)) => s.replace(',', "."),
                _ => s,
            };
            normal.parse::<f64>().ok().filter(|v| v.is_finite())
        }
        _ => None,
    }
}

/// The identity cell of a form's companion sheets, if any.
fn identity_text(input: &InputContext, tables: &[RawTable]) -> Option<String> {
    input
        .sheets
        .iter()
        .flat_map(|s| s.cells.iter())
        .map(|(_, _, t)| t)
        .chain(tables.iter().flat_map(|t| t.title_lines.iter()))
        .find(|t| t.trim_start().starts_with(IDENTITY_PREFIX))
        .map(|t| t.trim().to_string())
}

/// The "Nhiệm vụ" sheet's rows below its header, each with its cells by column: the rows a
/// unit may have answered.
struct TaskSheet<'a> {
    name: &'a str,
    /// The headers, in form order ([`super::TasksSheet::header`]).
    header: [&'a str; 8],
    /// The header's row, when found.
    header_row: Option<u32>,
    /// The columns found, by their place in the header: the 1-based sheet column.
    columns: [Option<u32>; 8],
    /// Rows below the header with any cell, in sheet order: row number and cells.
    rows: Vec<(u32, Vec<(u32, &'a str)>)>,
}

impl TaskSheet<'_> {
    /// The sheet of a form, if it has one with any row below a header.
    fn of<'a>(input: &'a InputContext, cfg: &'a Config) -> Option<TaskSheet<'a>> {
        let key = match_key(super::TASKS_SHEET);
        let sheet = input.sheets.iter().find(|s| match_key(&s.name) == key)?;
        let header = cfg.tasks_sheet.header();
        let head: Vec<String> = header.iter().map(|h| match_key(h)).collect();
        let header_row = sheet
            .cells
            .iter()
            .find(|(_, _, t)| match_key(t) == head[0])
            .map(|(r, _, _)| *r);
        let mut columns = [None; 8];
        if let Some(hr) = header_row {
            for (_, c, t) in sheet.cells.iter().filter(|(r, _, _)| *r == hr) {
                if let Some(i) = head.iter().position(|h| *h == match_key(t)) {
                    columns[i].get_or_insert(*c);
                }
            }
        }
        let mut rows: std::collections::BTreeMap<u32, Vec<(u32, &str)>> = Default::default();
        for (r, c, t) in &sheet.cells {
            if header_row.is_none_or(|hr| *r > hr) && !t.is_empty() {
                rows.entry(*r).or_default().push((*c, t.as_str()));
            }
        }
        Some(TaskSheet {
            name: &sheet.name,
            header,
            header_row,
            columns,
            rows: rows.into_iter().collect(),
        })
    }

    /// A row's text in one of the header's columns ("" when empty or absent).
    fn cell<'b>(&self, cells: &'b [(u32, &'b str)], column: usize) -> &'b str {
        self.columns[column]
            .and_then(|c| cells.iter().find(|(k, _)| *k == c))
            .map(|(_, t)| *t)
            .unwrap_or("")
    }
}

/// Reads the "Nhiệm vụ" sheet of a unit's form: one record per task row, the task's number
/// checked against the tasks the unit leads, the status against the form's list, the
/// completion date as a date given with «Hoàn thành». A row at fault is quarantined with the
/// column and why; the rest of the sheet counts. Notes (Ghi chú) are free text and not kept.
fn read_task_sheet(
    pipeline: &Pipeline,
    input: &InputContext,
    file: usize,
    unit: &crate::config::Unit,
    period: &Period,
    out: &mut Normalized,
) -> Vec<Record> {
    let words = &super::config(pipeline).tasks_sheet;
    let Some(sheet) = TaskSheet::of(input, super::config(pipeline)) else {
        let led = crate::tasks::plan(pipeline)
            .on_form(&unit.name, period)
            .count();
        if led > 0 {
            out.warnings.push(Warning {
                source: RowRef {
                    file,
                    sheet: super::TASKS_SHEET.into(),
                    row: 0,
                },
                dossier_id: unit.name.clone(),
                kind: super::TASK_SHEET_MISSING,
                column: super::TASKS_SHEET.into(),
                value: format!(
                    "biểu mẫu không có trang «{}» (đã đổi tên hoặc xóa trang?): {led} nhiệm vụ {} chủ trì chưa có báo cáo tiến độ — đặt lại tên trang «{}» hoặc dùng biểu mẫu do cchc tạo",
                    super::TASKS_SHEET,
                    unit.name,
                    super::TASKS_SHEET
                ),
            });
        }
        return Vec::new();
    };
    // A completion day is of the plan's year (from the first day of its first quarter) and no
    // later than the form's return deadline.
    let earliest = Period::parse(
        &format!("{}-Q1", crate::tasks::plan(pipeline).year),
        pipeline.period_rule,
    )
    .map(|p| p.start)
    .unwrap_or(period.start);
    let latest = period.end
        + chrono::Duration::days(super::config(pipeline).form.return_days_after_end.into());
    let mut records = Vec::new();
    let mut seen: Vec<(String, u32)> = Vec::new();
    let statuses = words
        .words()
        .iter()
        .map(|w| format!("«{w}»"))
        .collect::<Vec<_>>()
        .join(", ");
    // The task numbers the sheet lists, answered or not, right or wrong.
    let mut listed: std::collections::HashSet<String> = Default::default();
    for (row, cells) in &sheet.rows {
        out.read += 1;
        let at = |c: usize| sheet.cell(cells, c);
        let number = crate::text::clean(at(NUMBER));
        listed.insert(number.clone());
        let source = RowRef {
            file,
            sheet: sheet.name.to_string(),
            row: *row,
        };
        let mut quarantine = |column: usize, value: &str, reason: String| {
            out.quarantine.push(Quarantined {
                source: source.clone(),
                dossier_id: number.clone(),
                column: sheet.header[column].to_string(),
                value: value.to_string(),
                reason,
            });
        };
        // The columns an answer needs: without one, no row can be read.
        let lost: Vec<&str> = [NUMBER, STATUS, COMPLETED]
            .into_iter()
            .filter(|c| sheet.columns[*c].is_none())
            .map(|c| sheet.header[c])
            .collect();
        if !lost.is_empty() {
            let names = lost
                .iter()
                .map(|h| format!("«{h}»"))
                .collect::<Vec<_>>()
                .join(", ");
            let why = match sheet.header_row {
                None => format!(
                    "trang «{}» không có dòng tiêu đề (cột «{}» …)",
                    sheet.name, sheet.header[NUMBER]
                ),
                Some(r) => format!(
                    "dòng tiêu đề (dòng {r}) của trang «{}» không có cột {names}",
                    sheet.name
                ),
            };
            quarantine(
                NUMBER,
                "",
                format!("{why}: không đọc được dòng này (không xóa, không sửa dòng tiêu đề của biểu mẫu)"),
            );
            continue;
        }
        let task = crate::tasks::plan(pipeline).task(&number);
        let fault = match task {
            _ if number.is_empty() => Some(format!(
                "dòng không có mã nhiệm vụ (cột «{}»)",
                sheet.header[NUMBER]
            )),
            None => Some(format!(
                "nhiệm vụ «{number}» không có trong kế hoạch (không sửa cột «{}»)",
                sheet.header[NUMBER]
            )),
            Some(_) if period.year != crate::tasks::plan(pipeline).year => Some(format!(
                "kỳ {} không thuộc năm {} của kế hoạch nên biểu mẫu không có nhiệm vụ nào (không thêm dòng vào trang «{}»)",
                period.id, crate::tasks::plan(pipeline).year, sheet.name
            )),
            Some(t) if !t.units.contains(&unit.name) => Some(format!(
                "nhiệm vụ {number} không do {} chủ trì nên không có trong biểu mẫu của đơn vị (không sửa cột «{}»)",
                unit.name, sheet.header[NUMBER]
            )),
            Some(_) => seen.iter().find(|(n, _)| *n == number).map(|(_, first)| {
                format!("nhiệm vụ {number} đã được báo cáo ở dòng {first}: dòng này không tính")
            }),
        };
        if let Some(why) = fault {
            quarantine(NUMBER, &number, why);
            continue;
        }
        seen.push((number.clone(), *row));
        let status_text = at(STATUS);
        let status = if status_text.is_empty() {
            None
        } else {
            match words.parse(status_text) {
                Some(s) => Some(s),
                None => {
                    quarantine(
                        STATUS,
                        status_text,
                        format!(
                            "nhiệm vụ {number}: «{status_text}» không phải một tình trạng trong danh sách ({statuses})"
                        ),
                    );
                    continue;
                }
            }
        };
        let completed_text = at(COMPLETED);
        let completed = match parse_date_text(completed_text) {
            DateValue::Empty => None,
            DateValue::Date(d) => Some(d),
            DateValue::Invalid(why) => {
                quarantine(
                    COMPLETED,
                    completed_text,
                    format!("nhiệm vụ {number}: ngày hoàn thành {why}"),
                );
                continue;
            }
        };
        if let Some(d) = completed.filter(|d| *d < earliest || *d > latest) {
            let why = if d < earliest {
                format!(
                    "trước ngày {} — ngày đầu kỳ báo cáo đầu tiên của năm {} của kế hoạch",
                    crate::vn::short_date(earliest),
                    crate::tasks::plan(pipeline).year
                )
            } else {
                format!(
                    "sau ngày {} — hạn nộp biểu mẫu kỳ {}",
                    crate::vn::short_date(latest),
                    period.id
                )
            };
            quarantine(
                COMPLETED,
                completed_text,
                format!(
                    "nhiệm vụ {number}: ngày hoàn thành {} {why}",
                    crate::vn::short_date(d)
                ),
            );
            continue;
        }
        if completed.is_some() && status != Some(TaskStatus::Done) {
            let chosen = status.map_or("chưa chọn tình trạng".to_string(), |s| {
                format!("tình trạng là «{}»", words.word(s))
            });
            quarantine(
                COMPLETED,
                completed_text,
                format!(
                    "nhiệm vụ {number}: có ngày hoàn thành nhưng {chosen} — ngày hoàn thành chỉ ghi khi tình trạng là «{}»",
                    words.word(TaskStatus::Done)
                ),
            );
            continue;
        }
        if status == Some(TaskStatus::NotApplicable)
            && task.is_some_and(|t| t.rule != crate::tasks::Rule::OnEvent)
        {
            out.warnings.push(Warning {
                source: source.clone(),
                dossier_id: number.clone(),
                kind: super::NOT_APPLICABLE_TASK,
                column: sheet.header[STATUS].to_string(),
                value: status_text.to_string(),
            });
        }
        let (evidence, found) = crate::privacy::mask(
            &crate::text::clean(at(EVIDENCE)),
            &pipeline.vocabulary.masks,
        );
        if !found.is_empty() {
            out.warnings.push(Warning {
                source: source.clone(),
                dossier_id: number.clone(),
                kind: WarningKind::PersonalDataMasked,
                column: sheet.header[EVIDENCE].to_string(),
                value: crate::privacy::describe(&found),
            });
        }
        let evidence = Some(evidence).filter(|e| !e.is_empty());
        records.push(Record {
            source,
            unit: unit.name.clone(),
            level: unit.level,
            period: period.id.clone(),
            period_end: period.end,
            item: Item::Task {
                number,
                status,
                completed,
                evidence,
            },
        });
    }
    // Tasks added to the plan after the form went out: not on it, so not reported this period —
    // never a reason to refuse what the unit did answer.
    let absent: Vec<&str> = crate::tasks::plan(pipeline)
        .on_form(&unit.name, period)
        .filter(|t| !listed.contains(&t.number))
        .map(|t| t.number.as_str())
        .collect();
    if !absent.is_empty() {
        out.warnings.push(Warning {
            source: RowRef {
                file,
                sheet: sheet.name.to_string(),
                row: 0,
            },
            dossier_id: unit.name.clone(),
            kind: super::TASK_NOT_ON_FORM,
            column: sheet.header[NUMBER].to_string(),
            value: format!(
                "biểu mẫu của {} không có nhiệm vụ {} (nhiệm vụ thêm vào kế hoạch sau khi gửi biểu mẫu, hoặc dòng đã bị xóa): chưa có báo cáo tiến độ các nhiệm vụ này kỳ {}, các câu trả lời khác của biểu mẫu vẫn được tính — đơn vị báo cáo ở biểu mẫu kỳ sau, hoặc lấy lại biểu mẫu kỳ này (cchc forms --period {}) để báo cáo ngay",
                unit.name,
                absent.join(", "),
                period.id,
                period.id
            ),
        });
    }
    records
}

/// Turns one returned form into its answers.
pub fn normalize(
    pipeline: &Pipeline,
    tables: &[RawTable],
    input: &InputContext,
) -> Result<Normalized> {
    let cfg = super::config(pipeline);
    let mut out = Normalized::of_tables(tables);
    let take_form = format!(
        "hãy dùng biểu mẫu do cchc tạo cho đơn vị và kỳ báo cáo (cchc forms \"{}\" --period <kỳ>), điền vào và gửi lại",
        pipeline.path.display()
    );
    let Some(text) = identity_text(input, tables) else {
        return Err(FileProblem::Refused(format!(
            "có trang «Số liệu» của biểu mẫu báo cáo nhưng không có ô mã biểu mẫu ({IDENTITY_PREFIX};…) ở trang «{}»: {take_form}",
            super::INFO_SHEET
        ))
        .into());
    };
    let Some(id) = parse_identity(&text) else {
        return Err(FileProblem::Refused(format!(
            "ô mã biểu mẫu «{text}» không đúng dạng {IDENTITY_PREFIX};<kỳ>;<đơn vị>;<phiên bản> (đã bị sửa?): {take_form}"
        ))
        .into());
    };
    let Some(unit) = pipeline.units.find(&id.unit) else {
        return Err(FileProblem::Refused(format!(
            "biểu mẫu của đơn vị «{}» không có trong danh mục đơn vị (units.toml): {take_form}",
            id.unit
        ))
        .into());
    };
    let period = match Period::parse(&id.period, pipeline.period_rule) {
        Ok(p) => p,
        Err(_) => {
            return Err(FileProblem::Refused(format!(
                "ô mã biểu mẫu ghi kỳ «{}» không hợp lệ: {take_form}",
                id.period
            ))
            .into())
        }
    };
    let current = cfg.version(&unit.name);
    let file = tables.first().map(|t| t.file).unwrap_or(0);
    let mut records = Vec::new();
    if id.version != current
        && id.version != cfg.version_with_tasks(&unit.name, crate::tasks::plan(pipeline), &period)
    {
        let reason = format!(
            "biểu mẫu {} của {} kỳ {} là phiên bản «{}», không phải phiên bản hiện hành «{current}» (câu hỏi đã thay đổi, hoặc biểu mẫu của cấu hình khác): không tính số liệu nào của biểu mẫu này — đơn vị cần lấy biểu mẫu hiện hành (cchc forms \"{}\" --period {}) và điền lại",
            input.display, unit.name, id.period, id.version, pipeline.path.display(), id.period
        );
        for table in tables {
            for row in &table.rows {
                out.quarantine.push(Quarantined {
                    source: source(table, row),
                    dossier_id: code_of(table, row),
                    column: super::INFO_SHEET.into(),
                    value: text.clone(),
                    reason: reason.clone(),
                });
            }
        }
        for (at, number) in super::texts::stale_rows(pipeline, input, file) {
            out.read += 1;
            out.quarantine.push(Quarantined {
                source: at,
                dossier_id: number,
                column: super::INFO_SHEET.into(),
                value: text.clone(),
                reason: reason.clone(),
            });
        }
        if let Some(sheet) = TaskSheet::of(input, cfg) {
            for (row, cells) in &sheet.rows {
                out.read += 1;
                out.quarantine.push(Quarantined {
                    source: RowRef {
                        file,
                        sheet: sheet.name.to_string(),
                        row: *row,
                    },
                    dossier_id: crate::text::clean(sheet.cell(cells, NUMBER)),
                    column: super::INFO_SHEET.into(),
                    value: text.clone(),
                    reason: reason.clone(),
                });
            }
        }
        out.warnings.push(Warning {
            source: RowRef {
                file,
                sheet: super::INFO_SHEET.into(),
                row: 0,
            },
            dossier_id: unit.name.clone(),
            kind: super::STALE_FORM,
            column: super::INFO_SHEET.into(),
            value: text.clone(),
        });
        out.frame = to_frame(&records)?;
        return Ok(out);
    }
    let mut seen: Vec<(String, u32)> = Vec::new();
    for table in tables {
        for row in &table.rows {
            let code = code_of(table, row);
            let quarantine = |out: &mut Normalized, column: FormColumn, reason: String| {
                out.quarantine.push(Quarantined {
                    source: source(table, row),
                    dossier_id: code.clone(),
                    column: header(cfg, table, column),
                    value: value_text(table, row, column),
                    reason,
                });
            };
            let question = cfg
                .asked_of(&unit.name)
                .find(|q| match_key(q.id()) == match_key(&code));
            let Some(q) = question else {
                let why = if code.is_empty() {
                    "dòng không có mã câu hỏi (cột «Mã»)".to_string()
                } else {
                    format!(
                        "mã câu hỏi «{code}» không có trong biểu mẫu của {} (không sửa cột «Mã»)",
                        unit.name
                    )
                };
                quarantine(&mut out, FormColumn::Code, why);
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(c, _)| c == q.id()) {
                quarantine(
                    &mut out,
                    FormColumn::Code,
                    format!(
                        "câu hỏi «{}» đã được trả lời ở dòng {first}: dòng này không tính",
                        q.id()
                    ),
                );
                continue;
            }
            seen.push((q.id().to_string(), row.row));
            match answer(pipeline, q, table, row) {
                Ok((value, total, text)) => {
                    let text = text.map(|t| {
                        let (t, found) = crate::privacy::mask(&t, &pipeline.vocabulary.masks);
                        if !found.is_empty() {
                            out.warnings.push(Warning {
                                source: source(table, row),
                                dossier_id: code.clone(),
                                kind: WarningKind::PersonalDataMasked,
                                column: header(cfg, table, FormColumn::Value),
                                value: crate::privacy::describe(&found),
                            });
                        }
                        t
                    });
                    records.push(Record {
                        source: source(table, row),
                        unit: unit.name.clone(),
                        level: unit.level,
                        period: period.id.clone(),
                        period_end: period.end,
                        item: Item::Question {
                            question: q.id().to_string(),
                            value,
                            total,
                            text,
                        },
                    });
                }
                Err((column, why)) => quarantine(
                    &mut out,
                    column,
                    format!("câu hỏi «{}» ({}): {why}", q.id(), short(&q.entry.text)),
                ),
            }
        }
    }
    let tasks = read_task_sheet(pipeline, input, file, unit, &period, &mut out);
    records.extend(tasks);
    let texts = super::texts::read_sheet(pipeline, input, file, unit, &period, &mut out);
    records.extend(texts);
    out.frame = to_frame(&records)?;
    Ok(out)
}

/// A question's text cut for a message.
fn short(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() <= 12 {
        t.to_string()
    } else {
        format!("{} …", words[..12].join(" "))
    }
}

type Answer = (Option<f64>, Option<f64>, Option<String>);

/// One answer checked against its question: (value, total, text), or the column at fault and
/// why.
fn answer(
    pipeline: &Pipeline,
    q: &Question,
    table: &RawTable,
    row: &RawRow,
) -> Result<Answer, (FormColumn, String)> {
    let cell = |c: FormColumn| -> Cell {
        table
            .position(c as usize)
            .map(|p| row.cells[p].clone())
            .unwrap_or_default()
    };
    let value = cell(FormColumn::Value);
    let kind = q.entry.kind;
    if value.is_empty() {
        if q.entry.required {
            return Err((
                FormColumn::Value,
                "câu hỏi bắt buộc chưa được trả lời (ô «Số liệu» trống)".into(),
            ));
        }
        return Ok((None, None, None));
    }
    let shown = value.as_text();
    let wrong = |what: &str| {
        (
            FormColumn::Value,
            format!("«{shown}» không phải {what}", what = what),
        )
    };
    match kind {
        AnswerType::Text => Ok((None, None, Some(crate::text::clean(&shown)))),
        AnswerType::YesNo => {
            let key = match_key(&value.as_text());
            if pipeline.vocabulary.not_applicable.contains(&key) {
                // Kept as the word: the unit answered, and is left out of the figure.
                return Ok((None, None, Some(crate::text::clean(&shown))));
            }
            let yes = match &value {
                Cell::Bool(b) => Some(*b),
                Cell::Number(n) if *n == 1.0 => Some(true),
                Cell::Number(n) if *n == 0.0 => Some(false),
                other => pipeline.vocabulary.yes_no(&match_key(&other.as_text())),
            };
            match yes {
                Some(b) => Ok((Some(if b { 1.0 } else { 0.0 }), None, None)),
                None => Err(wrong(kind.expected())),
            }
        }
        AnswerType::Count | AnswerType::Amount | AnswerType::Percent | AnswerType::Ratio => {
            let Some(v) = parse_number(&value) else {
                return Err(wrong(kind.expected()));
            };
            let max = super::config(pipeline).form.answer_max;
            let too_large = |column: FormColumn, shown: &str| {
                (
                    column,
                    format!(
                        "«{shown}» lớn hơn số lớn nhất một ô được ghi ({} — answer_max trong self-report.toml): số không được tính; kiểm tra lại số đã gõ",
                        crate::vn::number(max)
                    ),
                )
            };
            if v > max {
                return Err(too_large(FormColumn::Value, &shown));
            }
            let whole = matches!(kind, AnswerType::Count | AnswerType::Ratio);
            if v < 0.0 || (whole && v.fract() != 0.0) {
                return Err(wrong(kind.expected()));
            }
            if kind == AnswerType::Percent && v > 100.0 {
                return Err((
                    FormColumn::Value,
                    format!("«{shown}» ngoài khoảng 0–100 của một tỷ lệ phần trăm"),
                ));
            }
            if kind != AnswerType::Ratio {
                return Ok((Some(v), None, None));
            }
            let total_cell = cell(FormColumn::Total);
            if total_cell.is_empty() {
                return Err((
                    FormColumn::Total,
                    "có «Số liệu» nhưng ô «Tổng số» trống: cần cả số n và tổng số N".into(),
                ));
            }
            let total_shown = total_cell.as_text();
            let Some(n_total) = parse_number(&total_cell).filter(|t| *t >= 0.0 && t.fract() == 0.0)
            else {
                return Err((
                    FormColumn::Total,
                    format!("Tổng số «{total_shown}» không phải một số nguyên không âm"),
                ));
            };
            if n_total > max {
                return Err(too_large(FormColumn::Total, &total_shown));
            }
            if v > n_total {
                return Err((
                    FormColumn::Value,
                    format!(
                        "số liệu {} lớn hơn tổng số {} (n > N)",
                        crate::vn::int(v as u64),
                        crate::vn::int(n_total as u64)
                    ),
                ));
            }
            Ok((Some(v), Some(n_total), None))
        }
    }
}

fn code_of(table: &RawTable, row: &RawRow) -> String {
    table
        .position(FormColumn::Code as usize)
        .map(|p| crate::text::clean(&row.cells[p].as_text()))
        .unwrap_or_default()
}

fn header(cfg: &Config, table: &RawTable, c: FormColumn) -> String {
    match table.position(c as usize) {
        Some(p) => table.columns[p].1.clone(),
        None => cfg.header.label(c as usize).to_string(),
    }
}

fn value_text(table: &RawTable, row: &RawRow, c: FormColumn) -> String {
    table
        .position(c as usize)
        .map(|p| row.cells[p].as_text())
        .unwrap_or_default()
}

fn source(table: &RawTable, row: &RawRow) -> RowRef {
    RowRef {
        file: table.file,
        sheet: table.sheet.clone(),
        row: row.row,
    }
}

type QuestionCells<'a> = (&'a str, Option<f64>, Option<f64>, Option<&'a str>);
type TaskCells<'a> = (
    &'a str,
    Option<TaskStatus>,
    Option<chrono::NaiveDate>,
    Option<&'a str>,
);

fn question(r: &Record) -> Option<QuestionCells<'_>> {
    match &r.item {
        Item::Question {
            question,
            value,
            total,
            text,
        } => Some((question.as_str(), *value, *total, text.as_deref())),
        Item::Task { .. } | Item::Text { .. } => None,
    }
}

fn task(r: &Record) -> Option<TaskCells<'_>> {
    match &r.item {
        Item::Task {
            number,
            status,
            completed,
            evidence,
        } => Some((number.as_str(), *status, *completed, evidence.as_deref())),
        Item::Question { .. } | Item::Text { .. } => None,
    }
}

/// Builds the answers table: the question columns are empty on a task's row and the task
/// columns on a question's; a report section's words fill `section` and `text`. The period's last day and the completion day are day numbers (Int32).
pub fn to_frame(records: &[Record]) -> Result<DataFrame> {
    let n = records.len();
    let s = |name: &str, v: Vec<Option<&str>>| Column::new(name.into(), v);
    let mut cols = vec![
        s(
            "unit",
            records.iter().map(|r| Some(r.unit.as_str())).collect(),
        ),
        s(
            "level",
            records.iter().map(|r| Some(r.level.code())).collect(),
        ),
        s(
            "period",
            records.iter().map(|r| Some(r.period.as_str())).collect(),
        ),
        Column::new(
            "period_end".into(),
            records
                .iter()
                .map(|r| day_number(r.period_end))
                .collect::<Vec<i32>>(),
        ),
        s(
            "question",
            records.iter().map(|r| question(r).map(|q| q.0)).collect(),
        ),
        Column::new(
            "value".into(),
            records
                .iter()
                .map(|r| question(r).and_then(|q| q.1))
                .collect::<Vec<Option<f64>>>(),
        ),
        Column::new(
            "total".into(),
            records
                .iter()
                .map(|r| question(r).and_then(|q| q.2))
                .collect::<Vec<Option<f64>>>(),
        ),
        s(
            "text",
            records
                .iter()
                .map(|r| match &r.item {
                    Item::Text { text, .. } => Some(text.as_str()),
                    _ => question(r).and_then(|q| q.3),
                })
                .collect(),
        ),
        s(
            "section",
            records
                .iter()
                .map(|r| match &r.item {
                    Item::Text { section, .. } => Some(section.as_str()),
                    _ => None,
                })
                .collect(),
        ),
        s(
            "task",
            records.iter().map(|r| task(r).map(|t| t.0)).collect(),
        ),
        s(
            "status",
            records
                .iter()
                .map(|r| task(r).and_then(|t| t.1).map(TaskStatus::code))
                .collect(),
        ),
        Column::new(
            "completed".into(),
            records
                .iter()
                .map(|r| task(r).and_then(|t| t.2).map(day_number))
                .collect::<Vec<Option<i32>>>(),
        ),
        s(
            "evidence",
            records.iter().map(|r| task(r).and_then(|t| t.3)).collect(),
        ),
    ];
    cols.extend(source_columns(records.iter().map(|r| &r.source))?);
    Ok(DataFrame::new(n, cols)?)
}

#[cfg(test)]
mod tests {
    use super::parse_number;
    use crate::model::Cell;

    #[test]
    fn reads_numbers_typed_as_text_the_vietnamese_way() {
        let t = |s: &str| parse_number(&Cell::Text(s.into()));
        assert_eq!(t("1.234"), Some(1234.0));
        assert_eq!(t("12,5"), Some(12.5));
        assert_eq!(t("1.234,5"), Some(1234.5));
        assert_eq!(t(" 45 "), Some(45.0));
        assert_eq!(t("1.234.567"), Some(1234567.0));
        assert_eq!(t("3.5"), Some(3.5));
        assert_eq!(t("98 %"), Some(98.0));
        assert_eq!(t("mười"), None);
        assert_eq!(parse_number(&Cell::Number(7.0)), Some(7.0));
    }
}

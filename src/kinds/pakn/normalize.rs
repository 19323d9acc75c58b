//! PAKN rows → typed records (pakn.md §1–§3): code, received date, unit, field, status, the
//! closing date (the closed-date column; for a published PAKN without one, its published date),
//! the published date or flag. Quarantined: no code, no received date, an impossible date, a
//! closing date before the received date, a closed status without any closing or published
//! date. An unknown status is kept with a warning: only the figures of a period can tell
//! whether it decides a count there.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::{Config, PaknColumn, PaknStatus};
use crate::config::{Level, Pipeline};
use crate::ingest::RawTable;
use crate::model::{Cell, RowRef};
use crate::normalize::{day_number, source_columns, Names, Normalized, RowReader};
use crate::quality::WarningKind;

/// One PAKN row, typed.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where it came from.
    pub source: RowRef,
    /// Mã PAKN, trimmed.
    pub code: String,
    /// Canonical unit.
    pub unit: String,
    /// Its level.
    pub level: Level,
    /// Canonical field ("" when absent).
    pub field: String,
    /// Status.
    pub status: PaknStatus,
    /// The status as written, when the vocabulary does not know it.
    pub status_word: Option<String>,
    /// Received date.
    pub received: NaiveDate,
    /// The day it was closed (answered, refused, transferred; published without another date).
    pub closed: Option<NaiveDate>,
    /// Published date.
    pub published_date: Option<NaiveDate>,
    /// Published flag (None: no such column).
    pub published_flag: Option<bool>,
    /// Rules/procedures or conduct of officials, as written.
    pub class: Option<String>,
    /// Portal, 1022, in person, letter …, as written.
    pub channel: Option<String>,
}

/// Turns one file's PAKN tables into records.
pub fn normalize(pipeline: &Pipeline, tables: &[RawTable]) -> Result<Normalized> {
    let cfg = super::config(pipeline);
    let mut out = Normalized::of_tables(tables);
    let mut names = Names::new(pipeline);
    let mut records = Vec::new();
    for table in tables {
        for row in &table.rows {
            let mut r = Row {
                pipeline,
                cfg,
                r: RowReader::new(table, row, &cfg.header),
                names: &mut names,
            };
            let record = r.read();
            let code = r.code();
            if out.file_row(r.r, &code) {
                records.extend(record);
            }
        }
    }
    out.frame = to_frame(&records)?;
    Ok(out)
}

struct Row<'a, 'n> {
    pipeline: &'a Pipeline,
    cfg: &'a Config,
    r: RowReader<'a>,
    names: &'a mut Names<'n>,
}

impl Row<'_, '_> {
    fn cell(&self, c: PaknColumn) -> Option<&Cell> {
        self.r.cell(c as usize)
    }
    fn header(&self, c: PaknColumn) -> String {
        self.r.header(c as usize)
    }
    fn value(&self, c: PaknColumn) -> String {
        self.r.value(c as usize)
    }
    fn problem(&mut self, c: PaknColumn, reason: String) {
        self.r.problem(c as usize, reason)
    }
    fn text(&mut self, c: PaknColumn) -> Option<String> {
        let cell = self.cell(c)?.clone();
        self.names.text(&cell).map(|t| t.to_string())
    }
    /// A kept free text, its personal data masked and warned about.
    fn free_text(&mut self, c: PaknColumn) -> Option<String> {
        let cell = self.cell(c)?.clone();
        let (text, found) = self.names.free_text(&cell)?;
        if !found.is_empty() {
            self.r.warnings.push((
                WarningKind::PersonalDataMasked,
                self.header(c),
                crate::privacy::describe(&found),
            ));
        }
        Some(text.to_string())
    }
    fn code(&self) -> String {
        self.value(PaknColumn::Code).trim().to_string()
    }
    fn date(&mut self, c: PaknColumn) -> Option<NaiveDate> {
        self.r.date(c as usize)
    }

    fn read(&mut self) -> Option<Record> {
        let code = self.code();
        if code.is_empty() {
            self.problem(PaknColumn::Code, "không có mã PAKN".into());
        }
        let received = self.date(PaknColumn::Received);
        if received.is_none() && self.cell(PaknColumn::Received).is_none_or(Cell::is_empty) {
            self.problem(PaknColumn::Received, "không có ngày tiếp nhận".into());
        }
        let unit_text = self
            .text(PaknColumn::Unit)
            .or_else(|| self.r.table.file_unit.as_ref().map(|(u, _)| u.clone()));
        if unit_text.is_none() {
            self.problem(PaknColumn::Unit, "không có cơ quan xử lý".into());
        }
        let closed_cell = self.date(PaknColumn::Closed);
        let published_date = self.date(PaknColumn::PublishedDate);
        let status_text = self.text(PaknColumn::Status);
        let status = match status_text.as_deref() {
            Some(t) => {
                let key = self.names.key(t);
                match self.cfg.statuses.get(&*key) {
                    Some(s) => *s,
                    None => {
                        self.r.warnings.push((
                            super::UNKNOWN_PAKN_STATUS,
                            self.header(PaknColumn::Status),
                            t.to_string(),
                        ));
                        PaknStatus::Unknown
                    }
                }
            }
            None => {
                self.r.warnings.push((
                    super::UNKNOWN_PAKN_STATUS,
                    self.header(PaknColumn::Status),
                    String::new(),
                ));
                PaknStatus::Unknown
            }
        };
        // A published PAKN without a closing date closed when it was published.
        let closed = closed_cell.or(
            if matches!(status, PaknStatus::Published | PaknStatus::Answered) {
                published_date
            } else {
                None
            },
        );
        if status.is_closed()
            && closed.is_none()
            && published_date.is_none()
            && self.r.problems.is_empty()
        {
            self.problem(
                PaknColumn::Status,
                format!(
                    "trạng thái «{}» là đã xử lý xong nhưng không có ngày trả lời, từ chối, chuyển hay công khai",
                    status_text.clone().unwrap_or_default()
                ),
            );
        }
        if let (Some(rec), Some(done)) = (received, closed) {
            if done < rec {
                let c = if closed_cell.is_some() {
                    PaknColumn::Closed
                } else {
                    PaknColumn::PublishedDate
                };
                self.problem(
                    c,
                    format!(
                        "ngày kết thúc {} sớm hơn ngày tiếp nhận {}",
                        done.format("%d/%m/%Y"),
                        rec.format("%d/%m/%Y")
                    ),
                );
            }
        }
        let flag_cell = self.cell(PaknColumn::PublishedFlag).cloned();
        let published_flag = match flag_cell.as_ref() {
            None => None,
            Some(Cell::Bool(b)) => Some(*b),
            Some(Cell::Number(n)) => Some(*n == 1.0),
            Some(Cell::Empty) => Some(false),
            Some(other) => {
                let key = self.names.cell_key(other);
                match self.pipeline.vocabulary.yes_no(&key) {
                    Some(b) => Some(b),
                    None => {
                        self.r.warnings.push((
                            WarningKind::UnknownFlag,
                            self.header(PaknColumn::PublishedFlag),
                            other.as_text(),
                        ));
                        Some(false)
                    }
                }
            }
        };
        if !self.r.problems.is_empty() {
            return None;
        }
        let (unit_text, received) = (unit_text?, received?);
        let (unit, level, known) = self.names.unit_of(&unit_text);
        if !known {
            self.r.warnings.push((
                WarningKind::UnknownUnit,
                self.header(PaknColumn::Unit),
                unit_text.clone(),
            ));
        }
        let field = match self.text(PaknColumn::Field) {
            Some(f) => self.names.field_of(&f).to_string(),
            None => String::new(),
        };
        Some(Record {
            source: self.r.source(),
            code,
            unit: unit.to_string(),
            level,
            field,
            status,
            status_word: (status == PaknStatus::Unknown).then(|| status_text.unwrap_or_default()),
            received,
            closed,
            published_date,
            published_flag,
            class: self.free_text(PaknColumn::Class),
            channel: self.text(PaknColumn::Channel),
        })
    }
}

/// Builds the PAKN table. Dates are day numbers (Int32).
pub fn to_frame(records: &[Record]) -> Result<DataFrame> {
    let n = records.len();
    let s = |name: &str, v: Vec<Option<&str>>| Column::new(name.into(), v);
    let mut cols = vec![
        s(
            "code",
            records.iter().map(|r| Some(r.code.as_str())).collect(),
        ),
        s(
            "level",
            records.iter().map(|r| Some(r.level.code())).collect(),
        ),
        s(
            "unit",
            records.iter().map(|r| Some(r.unit.as_str())).collect(),
        ),
        s(
            "field",
            records.iter().map(|r| Some(r.field.as_str())).collect(),
        ),
        s(
            "status",
            records.iter().map(|r| Some(r.status.code())).collect(),
        ),
        s(
            "status_word",
            records.iter().map(|r| r.status_word.as_deref()).collect(),
        ),
        Column::new(
            "status_rank".into(),
            records
                .iter()
                .map(|r| r.status.rank())
                .collect::<Vec<u32>>(),
        ),
        Column::new(
            "received".into(),
            records
                .iter()
                .map(|r| day_number(r.received))
                .collect::<Vec<i32>>(),
        ),
        Column::new(
            "closed".into(),
            records
                .iter()
                .map(|r| r.closed.map(day_number))
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            "published_date".into(),
            records
                .iter()
                .map(|r| r.published_date.map(day_number))
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            "published_flag".into(),
            records
                .iter()
                .map(|r| r.published_flag)
                .collect::<Vec<Option<bool>>>(),
        ),
        s(
            "class",
            records.iter().map(|r| r.class.as_deref()).collect(),
        ),
        s(
            "channel",
            records.iter().map(|r| r.channel.as_deref()).collect(),
        ),
    ];
    cols.extend(source_columns(records.iter().map(|r| &r.source))?);
    Ok(DataFrame::new(n, cols)?)
}

//! Dossier normalization: raw cells → one typed record per row, under canonical names and values.
//!
//! Units, fields, statuses, channels and yes/no words go through the configured vocabularies;
//! dates through [`crate::normalize::dates`]. A row that cannot be a dossier record (tthc-rules §2, §3) is
//! quarantined with its reason; a value counted under an assumption draws a warning. The
//! records become the polars dossier table the rules run on.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::{ColumnName, Level, Pipeline, WithdrawnPractice};
use crate::ingest::{RawRow, RawTable};
use crate::model::{Cell, Channel, RowRef, Status};
use crate::normalize::dates::DateValue;
use crate::normalize::{day_number, Names, Normalized, RepeatedText, SourceColumns, Word};
use crate::quality::{Quarantined, Warning, WarningKind};

/// The field name given to rows whose field cell is empty.
pub const UNKNOWN_FIELD: &str = "(Không rõ lĩnh vực)";

/// One row, typed, as it goes into the table: its texts borrowed from the row being read.
struct Record<'r> {
    /// Dossier code, invisible characters removed ([`crate::text::code`]).
    dossier_id: &'r str,
    /// Canonical unit.
    unit: &'r str,
    /// Level of the unit.
    level: Level,
    /// Canonical field.
    field: &'r str,
    /// Procedure name.
    procedure: Option<&'r str>,
    /// Procedure code.
    procedure_code: Option<&'r str>,
    /// Received date.
    received: NaiveDate,
    /// Online submission date, where the list gives one beside the received date.
    submitted: Option<NaiveDate>,
    /// Due date (none: a procedure without an appointment).
    due: Option<NaiveDate>,
    /// Completed date, or the returned date where that is empty.
    completed: Option<NaiveDate>,
    /// Canonical status.
    status: Status,
    /// Channel.
    channel: Channel,
    /// Apology letter (None: no such column).
    apology: Option<bool>,
    /// Dossier digitized.
    digitized_dossier: Option<bool>,
    /// Result digitized.
    digitized_result: Option<bool>,
    /// Fee, in đồng.
    fee: Option<f64>,
    /// Paid online.
    epayment: Option<bool>,
    /// The officer holding the dossier, when the export names one (internal lists only).
    officer: Option<&'r str>,
    /// Supplement requests made (None: no such column, or an empty cell).
    supplement_count: Option<u32>,
    /// The (first) supplement request's day.
    supplement_requested: Option<NaiveDate>,
    /// The day the applicant supplied what was asked.
    supplement_supplied: Option<NaiveDate>,
}

/// Turns the raw tables of one file into typed records, quarantining what cannot be a record.
pub fn normalize(pipeline: &Pipeline, tables: &[RawTable]) -> Result<Normalized> {
    let mut ctx = Context {
        pipeline,
        table: Table::with_capacity(tables.iter().map(|t| t.rows.len()).sum()),
        quarantine: Vec::new(),
        warnings: Vec::new(),
        names: Names::new(pipeline),
    };
    for table in tables {
        let at = Positions::of(table);
        for row in &table.rows {
            ctx.row(table, &at, row);
        }
    }
    let mut out = Normalized::of_tables(tables);
    out.frame = ctx.table.finish()?;
    out.quarantine = ctx.quarantine;
    out.warnings.extend(ctx.warnings);
    Ok(out)
}

struct Context<'a> {
    pipeline: &'a Pipeline,
    table: Table,
    quarantine: Vec<Quarantined>,
    warnings: Vec<Warning>,
    names: Names<'a>,
}

/// Where a table holds each canonical column, looked up once per table rather than on every
/// cell of every row.
struct Positions {
    /// The (first) position of each column, by [`ColumnName`].
    first: Vec<Option<usize>>,
    /// The positions of every unit column (a second unit column beside the first).
    units: Vec<usize>,
}

impl Positions {
    fn of(table: &RawTable) -> Positions {
        let n = table.columns.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        Positions {
            first: (0..n).map(|c| table.position(c)).collect(),
            units: (0..table.columns.len())
                .filter(|p| table.columns[*p].0 == ColumnName::Unit as usize)
                .collect(),
        }
    }

    fn of_column(&self, c: ColumnName) -> Option<usize> {
        self.first.get(c as usize).copied().flatten()
    }
}

/// One row being read: cell access by canonical column, and the problems found so far.
struct RowReader<'t> {
    table: &'t RawTable,
    at: &'t Positions,
    row: &'t RawRow,
    problems: Vec<(String, String, String)>,
}

impl<'t> RowReader<'t> {
    fn cell(&self, c: ColumnName) -> Option<&'t Cell> {
        self.at.of_column(c).map(|p| &self.row.cells[p])
    }
    fn header(&self, c: ColumnName, fallback: &str) -> String {
        self.at
            .of_column(c)
            .map(|p| self.table.columns[p].1.clone())
            .unwrap_or_else(|| fallback.to_string())
    }
    fn problem(&mut self, c: ColumnName, label: &str, reason: String) {
        let value = self.cell(c).map(|v| v.as_text()).unwrap_or_default();
        self.problems.push((self.header(c, label), value, reason));
    }
    fn date(&mut self, names: &mut Names, c: ColumnName, label: &str) -> Option<NaiveDate> {
        match self.cell(c).map(|cell| names.date(cell)) {
            None | Some(DateValue::Empty) => None,
            Some(DateValue::Date(d)) => Some(d),
            Some(DateValue::Invalid(why)) => {
                self.problem(c, label, format!("{label}: {why}"));
                None
            }
        }
    }
}

impl Context<'_> {
    /// The cleaned text of a cell (None when empty).
    fn text(&mut self, r: &RowReader, c: ColumnName) -> Option<Word> {
        self.names.text(r.cell(c)?)
    }

    /// A kept free text, its personal data masked and warned about (the kinds masked, never
    /// the value).
    fn free_text(&mut self, r: &RowReader, id: &str, c: ColumnName, label: &str) -> Option<Word> {
        let (text, found) = self.names.free_text(r.cell(c)?)?;
        if !found.is_empty() {
            self.warnings.push(Warning {
                source: source(r.table, r.row),
                dossier_id: id.to_string(),
                kind: WarningKind::PersonalDataMasked,
                column: r.header(c, label),
                value: crate::privacy::describe(&found),
            });
        }
        Some(text)
    }

    /// The row's unit text and the position of its cell: of the unit columns, the first whose
    /// text names a registry unit, else the first not empty.
    fn unit_cell(&mut self, r: &RowReader) -> Option<(Word, usize)> {
        let mut first = None;
        for &p in &r.at.units {
            let Some(t) = self.names.text(&r.row.cells[p]) else {
                continue;
            };
            if self.unit_of(&t).2 {
                return Some((t, p));
            }
            first.get_or_insert((t, p));
        }
        first
    }

    fn key(&mut self, raw: &str) -> Word {
        self.names.key(raw)
    }

    fn unit_of(&mut self, raw: &str) -> (Word, Level, bool) {
        self.names.unit_of(raw)
    }

    fn field_of(&mut self, raw: &str) -> Word {
        self.names.field_of(raw)
    }

    fn warn(&mut self, r: &RowReader, id: &str, kind: WarningKind, c: ColumnName, label: &str) {
        self.warnings.push(Warning {
            source: source(r.table, r.row),
            dossier_id: id.to_string(),
            kind,
            column: r.header(c, label),
            value: r.cell(c).map(|v| v.as_text()).unwrap_or_default(),
        });
    }

    fn flag(&mut self, r: &RowReader, id: &str, c: ColumnName, label: &str) -> Option<bool> {
        let cell = r.cell(c)?;
        let pipeline = self.pipeline;
        let vocab = &pipeline.vocabulary;
        let value = match cell {
            Cell::Empty => false,
            Cell::Bool(b) => *b,
            Cell::Number(n) if *n == 1.0 => true,
            Cell::Number(n) if *n == 0.0 => false,
            other => {
                let key = self.names.cell_key(other);
                if vocab.yes.contains(&*key) {
                    true
                } else if vocab.no.contains(&*key) || key.is_empty() {
                    false
                } else {
                    self.warn(r, id, WarningKind::UnknownFlag, c, label);
                    false
                }
            }
        };
        Some(value)
    }

    fn row(&mut self, table: &RawTable, at: &Positions, row: &RawRow) {
        let mut r = RowReader {
            table,
            at,
            row,
            problems: Vec::new(),
        };
        let pipeline = self.pipeline;
        let vocab = &pipeline.vocabulary;
        // Borrowed from the cell when the code is already clean, as most are.
        let id: std::borrow::Cow<str> = match r.cell(ColumnName::DossierId) {
            Some(Cell::Text(t)) => crate::text::code(t),
            Some(c) => crate::text::code(&c.as_text()).into_owned().into(),
            None => "".into(),
        };
        if id.is_empty() {
            r.problem(
                ColumnName::DossierId,
                "Mã hồ sơ",
                "không có mã hồ sơ".into(),
            );
        }
        // Unit: the row's cell — of two unit columns, the first that names a registry unit,
        // else the first not empty — else the file's unit.
        let (unit, unit_at) = match self.unit_cell(&r) {
            Some((t, p)) => (Some(t), Some(p)),
            None => (
                table
                    .file_unit
                    .as_ref()
                    .map(|(u, _)| Word::from(u.as_str())),
                None,
            ),
        };
        if unit.is_none() {
            r.problem(ColumnName::Unit, "Đơn vị", "không có đơn vị".into());
        }
        let status_text = self.text(&r, ColumnName::Status);
        let status = match status_text.as_deref() {
            Some(t) => {
                let k = self.key(t);
                match vocab.statuses.get(&*k) {
                    Some(s) => Some(*s),
                    // «Chờ tiếp nhận»: not yet received when submitted online.
                    None if vocab.awaiting_intake.contains(&*k) => {
                        Some(match self.text(&r, ColumnName::Channel) {
                            Some(c)
                                if vocab.channels.get(&*self.key(&c)) == Some(&Channel::Online) =>
                            {
                                Status::NotReceived
                            }
                            _ => Status::Received,
                        })
                    }
                    None => None,
                }
            }
            None => None,
        };
        let never_received = status.and_then(|s| s.not_received_reason());
        let received = r.date(
            &mut self.names,
            ColumnName::Received,
            vocab.label(ColumnName::Received),
        );
        if received.is_none() && r.cell(ColumnName::Received).is_none_or(|c| c.is_empty()) {
            let reason = match never_received {
                Some(why) => format!(
                    "hồ sơ {why} (trạng thái «{}»), không có ngày tiếp nhận: không tính",
                    status_text.clone().unwrap_or_default()
                ),
                None => "không có ngày tiếp nhận".into(),
            };
            r.problem(ColumnName::Received, "Ngày tiếp nhận", reason);
        }
        let due = r.date(
            &mut self.names,
            ColumnName::Due,
            vocab.label(ColumnName::Due),
        );
        let completed_cell = r.date(
            &mut self.names,
            ColumnName::Completed,
            vocab.label(ColumnName::Completed),
        );
        let returned = r.date(
            &mut self.names,
            ColumnName::Returned,
            vocab.label(ColumnName::Returned),
        );
        let completed = completed_cell.or(returned);
        let supplement_requested = r.date(
            &mut self.names,
            ColumnName::SupplementRequested,
            vocab.label(ColumnName::SupplementRequested),
        );
        let supplement_supplied = r.date(
            &mut self.names,
            ColumnName::SupplementSupplied,
            vocab.label(ColumnName::SupplementSupplied),
        );
        let submitted = r.date(
            &mut self.names,
            ColumnName::Submitted,
            vocab.label(ColumnName::Submitted),
        );
        let supplement_count = match r.cell(ColumnName::SupplementCount) {
            Some(Cell::Number(n)) if *n >= 0.0 => Some(*n as u32),
            Some(Cell::Text(t)) => t.trim().parse::<u32>().ok(),
            _ => None,
        };

        if let (Some(st), None) = (status, completed) {
            if st.is_resolved() && r.problems.is_empty() {
                r.problem(
                    ColumnName::Status,
                    "Trạng thái",
                    format!("trạng thái «{}» là đã giải quyết nhưng không có ngày có kết quả hay ngày trả kết quả", status_text.clone().unwrap_or_default()),
                );
            }
        }
        if status == Some(Status::Withdrawn)
            && completed.is_none()
            && self.pipeline.withdrawn == WithdrawnPractice::ResolvedOnTime
            && r.problems.is_empty()
        {
            r.problem(
                ColumnName::Status,
                "Trạng thái",
                "hồ sơ rút được tính là giải quyết đúng hạn nhưng không có ngày kết thúc".into(),
            );
        }
        if let (Some(rec), Some(d)) = (received, due) {
            if d < rec {
                let label = vocab.label(ColumnName::Due).to_string();
                r.problem(
                    ColumnName::Due,
                    &label,
                    format!(
                        "ngày hẹn trả {} sớm hơn ngày tiếp nhận {}",
                        d.format("%d/%m/%Y"),
                        rec.format("%d/%m/%Y")
                    ),
                );
            }
        }
        if let (Some(rec), Some(done)) = (received, completed) {
            if done < rec {
                let c = if completed_cell.is_some() {
                    ColumnName::Completed
                } else {
                    ColumnName::Returned
                };
                let label = vocab.label(c).to_string();
                r.problem(
                    c,
                    &label,
                    format!(
                        "ngày kết thúc {} sớm hơn ngày tiếp nhận {}",
                        done.format("%d/%m/%Y"),
                        rec.format("%d/%m/%Y")
                    ),
                );
            }
        }
        if !r.problems.is_empty() {
            let (column, value, _) = r.problems[0].clone();
            let reason = r
                .problems
                .iter()
                .map(|p| p.2.clone())
                .collect::<Vec<_>>()
                .join("; ");
            self.quarantine.push(Quarantined {
                source: source(table, row),
                dossier_id: id.into_owned(),
                column,
                value,
                reason,
            });
            return;
        }
        let (Some(unit_text), Some(received)) = (unit, received) else {
            unreachable!("rows without unit or received date are quarantined above")
        };

        let (unit, level, known) = self.unit_of(&unit_text);
        if !known {
            self.warnings.push(Warning {
                source: source(r.table, r.row),
                dossier_id: id.to_string(),
                kind: WarningKind::UnknownUnit,
                column: match unit_at {
                    Some(p) => table.columns[p].1.clone(),
                    None => r.header(ColumnName::Unit, "Đơn vị"),
                },
                value: match unit_at {
                    Some(p) => row.cells[p].as_text(),
                    None => r
                        .cell(ColumnName::Unit)
                        .map(|v| v.as_text())
                        .unwrap_or_default(),
                },
            });
        }
        let field = match self.text(&r, ColumnName::Field) {
            Some(t) => self.field_of(&t),
            None => {
                self.warn(
                    &r,
                    &id,
                    WarningKind::MissingField,
                    ColumnName::Field,
                    "Lĩnh vực",
                );
                Word::from(UNKNOWN_FIELD)
            }
        };
        let status = match status {
            Some(s) => s,
            None => {
                self.warn(
                    &r,
                    &id,
                    WarningKind::UnknownStatus,
                    ColumnName::Status,
                    "Trạng thái",
                );
                if completed.is_some() {
                    Status::ResultReady
                } else {
                    Status::Processing
                }
            }
        };
        if completed.is_some()
            && !status.is_resolved()
            && status != Status::Withdrawn
            && never_received.is_none()
        {
            self.warn(
                &r,
                &id,
                WarningKind::CompletedWhileOpen,
                if completed_cell.is_some() {
                    ColumnName::Completed
                } else {
                    ColumnName::Returned
                },
                if completed_cell.is_some() {
                    "Ngày có kết quả"
                } else {
                    "Ngày trả kết quả"
                },
            );
        }
        if due.is_none() && status != Status::Withdrawn && never_received.is_none() {
            self.warn(
                &r,
                &id,
                WarningKind::NoDueDate,
                ColumnName::Due,
                "Ngày hẹn trả",
            );
        }
        let channel = match self.text(&r, ColumnName::Channel) {
            // A file with no channel column says nothing of how its dossiers came.
            None if r.cell(ColumnName::Channel).is_none() => Channel::Unknown,
            Some(t) => match self.pipeline.vocabulary.channels.get(&*self.key(&t)) {
                Some(c) => *c,
                None => {
                    self.warn(
                        &r,
                        &id,
                        WarningKind::UnknownChannel,
                        ColumnName::Channel,
                        "Hình thức nộp",
                    );
                    Channel::Direct
                }
            },
            None => {
                self.warn(
                    &r,
                    &id,
                    WarningKind::MissingChannel,
                    ColumnName::Channel,
                    "Hình thức nộp",
                );
                Channel::Direct
            }
        };
        let fee = match r.cell(ColumnName::Fee) {
            None | Some(Cell::Empty) => None,
            Some(Cell::Number(n)) => Some(*n),
            Some(other) => {
                let digits: String = other
                    .as_text()
                    .chars()
                    .filter(|c| c.is_ascii_digit())
                    .collect();
                match digits.parse::<f64>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        self.warn(
                            &r,
                            &id,
                            WarningKind::UnknownFee,
                            ColumnName::Fee,
                            "Phí, lệ phí",
                        );
                        None
                    }
                }
            }
        };
        let procedure = self.free_text(&r, &id, ColumnName::Procedure, "Tên thủ tục");
        let procedure_code = self.text(&r, ColumnName::ProcedureCode);
        let apology = self.flag(&r, &id, ColumnName::Apology, "Xin lỗi");
        let digitized_dossier = self.flag(&r, &id, ColumnName::DigitizedDossier, "Số hóa hồ sơ");
        let digitized_result = self.flag(&r, &id, ColumnName::DigitizedResult, "Số hóa kết quả");
        let epayment = self.flag(&r, &id, ColumnName::Epayment, "Thanh toán trực tuyến");
        let officer = self.text(&r, ColumnName::Officer);
        let record = Record {
            dossier_id: &id,
            unit: &unit,
            level,
            field: &field,
            procedure: procedure.as_deref(),
            procedure_code: procedure_code.as_deref(),
            received,
            submitted,
            due,
            completed,
            status,
            channel,
            apology,
            digitized_dossier,
            digitized_result,
            fee,
            epayment,
            officer: officer.as_deref(),
            supplement_count,
            supplement_requested,
            supplement_supplied,
        };
        self.table.push(&record, table, row);
    }
}

fn source(table: &RawTable, row: &RawRow) -> RowRef {
    RowRef {
        file: table.file,
        sheet: table.sheet.clone(),
        row: row.row,
    }
}

/// The dossier table of a file, built row by row. Dates are day numbers (Int32); `pos` is the
/// record's position in its file and `order` = file × 2³² + pos, the input order. Units,
/// fields and procedures repeat on every row: each is held once ([`RepeatedText`]).
pub struct Table {
    dossier_id: StringChunkedBuilder,
    level: RepeatedText,
    unit: RepeatedText,
    field: RepeatedText,
    procedure: RepeatedText,
    procedure_code: RepeatedText,
    received: Vec<i32>,
    submitted: Vec<Option<i32>>,
    due: Vec<Option<i32>>,
    completed: Vec<Option<i32>>,
    status: RepeatedText,
    status_rank: Vec<u32>,
    channel: RepeatedText,
    apology: Vec<Option<bool>>,
    digitized_dossier: Vec<Option<bool>>,
    digitized_result: Vec<Option<bool>>,
    fee: Vec<Option<f64>>,
    epayment: Vec<Option<bool>>,
    officer: RepeatedText,
    supplement_count: Vec<Option<u32>>,
    supplement_requested: Vec<Option<i32>>,
    supplement_supplied: Vec<Option<i32>>,
    source: SourceColumns,
}

impl Default for Table {
    fn default() -> Table {
        Table::new()
    }
}

impl Table {
    /// A table without rows.
    pub fn new() -> Table {
        Table::with_capacity(0)
    }

    /// A table without rows, with room for `rows` rows: a file's rows are counted before they
    /// are read, and its columns are not grown (and copied) as they come.
    pub fn with_capacity(rows: usize) -> Table {
        Table {
            dossier_id: StringChunkedBuilder::new("dossier_id".into(), rows),
            level: RepeatedText::with_capacity(rows),
            unit: RepeatedText::with_capacity(rows),
            field: RepeatedText::with_capacity(rows),
            procedure: RepeatedText::with_capacity(rows),
            procedure_code: RepeatedText::with_capacity(rows),
            received: Vec::with_capacity(rows),
            submitted: Vec::with_capacity(rows),
            due: Vec::with_capacity(rows),
            completed: Vec::with_capacity(rows),
            status: RepeatedText::with_capacity(rows),
            status_rank: Vec::with_capacity(rows),
            channel: RepeatedText::with_capacity(rows),
            apology: Vec::with_capacity(rows),
            digitized_dossier: Vec::with_capacity(rows),
            digitized_result: Vec::with_capacity(rows),
            fee: Vec::with_capacity(rows),
            epayment: Vec::with_capacity(rows),
            officer: RepeatedText::with_capacity(rows),
            supplement_count: Vec::with_capacity(rows),
            supplement_requested: Vec::with_capacity(rows),
            supplement_supplied: Vec::with_capacity(rows),
            source: SourceColumns::with_capacity(rows),
        }
    }

    fn push(&mut self, r: &Record, table: &RawTable, row: &RawRow) {
        self.dossier_id.append_value(r.dossier_id);
        self.level.push(Some(r.level.code()));
        self.unit.push(Some(r.unit));
        self.field.push(Some(r.field));
        self.procedure.push(r.procedure);
        self.procedure_code.push(r.procedure_code);
        self.received.push(day_number(r.received));
        self.submitted.push(r.submitted.map(day_number));
        self.due.push(r.due.map(day_number));
        self.completed.push(r.completed.map(day_number));
        self.status.push(Some(r.status.code()));
        self.status_rank.push(r.status.rank() as u32);
        self.channel.push(Some(r.channel.code()));
        self.apology.push(r.apology);
        self.digitized_dossier.push(r.digitized_dossier);
        self.digitized_result.push(r.digitized_result);
        self.fee.push(r.fee);
        self.epayment.push(r.epayment);
        self.officer.push(r.officer);
        self.supplement_count.push(r.supplement_count);
        self.supplement_requested
            .push(r.supplement_requested.map(day_number));
        self.supplement_supplied
            .push(r.supplement_supplied.map(day_number));
        self.source.push(table.file, &table.sheet, row.row);
    }

    /// The table's columns.
    pub fn finish(self) -> Result<DataFrame> {
        let n = self.received.len();
        let mut cols = vec![
            self.dossier_id.finish().into_column(),
            self.level.finish("level")?,
            self.unit.finish("unit")?,
            self.field.finish("field")?,
            self.procedure.finish("procedure")?,
            self.procedure_code.finish("procedure_code")?,
            Column::new("received".into(), self.received),
            Column::new("submitted".into(), self.submitted),
            Column::new("due".into(), self.due),
            Column::new("completed".into(), self.completed),
            self.status.finish("status")?,
            Column::new("status_rank".into(), self.status_rank),
            self.channel.finish("channel")?,
            Column::new("apology".into(), self.apology),
            Column::new("digitized_dossier".into(), self.digitized_dossier),
            Column::new("digitized_result".into(), self.digitized_result),
            Column::new("fee".into(), self.fee),
            Column::new("epayment".into(), self.epayment),
            self.officer.finish("officer")?,
            Column::new("supplement_count".into(), self.supplement_count),
            Column::new("supplement_requested".into(), self.supplement_requested),
            Column::new("supplement_supplied".into(), self.supplement_supplied),
        ];
        cols.extend(self.source.finish()?);
        Ok(DataFrame::new(n, cols)?)
    }
}

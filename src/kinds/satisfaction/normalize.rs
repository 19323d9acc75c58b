//! Satisfaction rows → typed records: an evaluation (one rating, its date) or a summary row (a
//! count per level over a stated period). Every record carries its five level counts, so both
//! shapes add up the same way. Personal columns (evaluator, comment) are recognised and never read.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::{Config, RatingLevel, SatColumn};
use crate::config::{Level, Pipeline};
use crate::ingest::{FileProblem, RawTable};
use crate::kind::InputContext;
use crate::model::{Cell, RowRef};
use crate::normalize::dates::{parse_date_cell, DateValue};
use crate::normalize::{day_number, source_columns, Names, Normalized, RowReader};
use crate::period::{Period, PeriodRule};
use crate::quality::WarningKind;
use crate::text::match_key;

/// The two shapes of export (satisfaction.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row per evaluation.
    Evaluation,
    /// One row per unit (and field) with a count per level.
    Summary,
}

impl Shape {
    /// Its code in the table.
    pub fn code(self) -> &'static str {
        match self {
            Shape::Evaluation => "evaluation",
            Shape::Summary => "summary",
        }
    }
}

/// One row, typed.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where it came from.
    pub source: RowRef,
    /// Its shape.
    pub shape: Shape,
    /// Evaluation code.
    pub evaluation_id: Option<String>,
    /// The rated dossier's code.
    pub dossier_id: Option<String>,
    /// Canonical unit, when the row names one.
    pub unit: Option<String>,
    /// Level of the unit.
    pub level: Option<Level>,
    /// Canonical field, when the row names one.
    pub field: Option<String>,
    /// Procedure name.
    pub procedure: Option<String>,
    /// Evaluation date (evaluations).
    pub evaluated: Option<NaiveDate>,
    /// The period a summary covers.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Evaluation channel as written.
    pub channel: Option<String>,
    /// Count per level, best first.
    pub counts: [u32; 5],
}

/// Turns one file's satisfaction tables into records; a summary whose period is stated nowhere
/// makes the file unreadable.
pub fn normalize(
    pipeline: &Pipeline,
    tables: &[RawTable],
    input: &InputContext,
) -> Result<Normalized> {
    let cfg = super::config(pipeline);
    let mut out = Normalized::of_tables(tables);
    let mut names = Names::new(pipeline);
    let mut records = Vec::new();
    for table in tables {
        let has = |c: SatColumn| table.position(c as usize).is_some();
        let shape = if has(SatColumn::Rating) {
            Shape::Evaluation
        } else {
            Shape::Summary
        };
        let period = match shape {
            Shape::Evaluation => None,
            Shape::Summary => {
                let stated = stated_period(&table.title_lines, pipeline.period_rule)
                    .or_else(|| input.period.as_ref().map(|p| (p.start, p.end)));
                match stated {
                    Some(p) => Some(p),
                    None => {
                        return Err(FileProblem::NoStatedPeriod {
                            sheet: table.sheet.clone(),
                        }
                        .into())
                    }
                }
            }
        };
        if shape == Shape::Evaluation && !has(SatColumn::Evaluated) {
            return Err(FileProblem::MissingColumns {
                sheet: table.sheet.clone(),
                row: table.header_row,
                missing: vec![(
                    cfg.header.label(SatColumn::Evaluated as usize).to_string(),
                    cfg.header.columns[SatColumn::Evaluated as usize]
                        .aliases
                        .clone(),
                )],
            }
            .into());
        }
        for row in &table.rows {
            let mut r = Row {
                cfg,
                r: RowReader::new(table, row, &cfg.header),
                names: &mut names,
            };
            let record = r.read(shape, period);
            let code = record
                .as_ref()
                .and_then(|rec| rec.dossier_id.clone().or(rec.evaluation_id.clone()))
                .unwrap_or_else(|| r.code());
            if out.file_row(r.r, &code) {
                records.extend(record);
            }
        }
    }
    out.frame = to_frame(&records)?;
    Ok(out)
}

struct Row<'a, 'n> {
    cfg: &'a Config,
    r: RowReader<'a>,
    names: &'a mut Names<'n>,
}

impl Row<'_, '_> {
    fn cell(&self, c: SatColumn) -> Option<&Cell> {
        self.r.cell(c as usize)
    }
    fn header(&self, c: SatColumn) -> String {
        self.r.header(c as usize)
    }
    fn value(&self, c: SatColumn) -> String {
        self.r.value(c as usize)
    }
    fn problem(&mut self, c: SatColumn, reason: String) {
        self.r.problem(c as usize, reason)
    }
    fn text(&mut self, c: SatColumn) -> Option<String> {
        let cell = self.cell(c)?.clone();
        self.names.text(&cell).map(|t| t.to_string())
    }
    /// A kept free text, its personal data masked and warned about.
    fn free_text(&mut self, c: SatColumn) -> Option<String> {
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
    /// A code cell without its invisible characters ([`crate::text::code`]); None when empty.
    fn code_of(&self, c: SatColumn) -> Option<String> {
        let cell = self.cell(c)?;
        let t = crate::text::code(&cell.as_text()).into_owned();
        (!t.is_empty()).then_some(t)
    }
    fn code(&self) -> String {
        self.code_of(SatColumn::DossierId)
            .or_else(|| self.code_of(SatColumn::EvaluationId))
            .unwrap_or_default()
    }

    fn read(&mut self, shape: Shape, period: Option<(NaiveDate, NaiveDate)>) -> Option<Record> {
        let evaluation_id = self.code_of(SatColumn::EvaluationId);
        let dossier_id = self.code_of(SatColumn::DossierId);
        let (unit, level) = match self.text(SatColumn::Unit) {
            Some(t) => {
                let (name, level, known) = self.names.unit_of(&t);
                if !known {
                    self.r.warnings.push((
                        WarningKind::UnknownUnit,
                        self.header(SatColumn::Unit),
                        self.value(SatColumn::Unit),
                    ));
                }
                (Some(name.to_string()), Some(level))
            }
            None => match &self.r.table.file_unit {
                Some((u, _)) => {
                    let (name, level, _) = self.names.unit_of(u);
                    (Some(name.to_string()), Some(level))
                }
                None => (None, None),
            },
        };
        if unit.is_none() && dossier_id.is_none() {
            self.problem(
                SatColumn::Unit,
                "không có đơn vị và không có mã hồ sơ để biết đơn vị".into(),
            );
        }
        let field = self
            .text(SatColumn::Field)
            .map(|f| self.names.field_of(&f).to_string());
        let mut counts = [0u32; 5];
        let mut evaluated = None;
        match shape {
            Shape::Evaluation => {
                let label = self
                    .cfg
                    .header
                    .label(SatColumn::Evaluated as usize)
                    .to_string();
                match self.cell(SatColumn::Evaluated).map(parse_date_cell) {
                    None | Some(DateValue::Empty) => self.problem(
                        SatColumn::Evaluated,
                        format!("không có {}", label.to_lowercase()),
                    ),
                    Some(DateValue::Date(d)) => evaluated = Some(d),
                    Some(DateValue::Invalid(why)) => {
                        self.problem(SatColumn::Evaluated, format!("{label}: {why}"))
                    }
                }
                match self.cell(SatColumn::Rating).map(|c| rating(self.cfg, c)) {
                    Some(Ok(level)) => counts[level as usize] = 1,
                    Some(Err(why)) => self.problem(SatColumn::Rating, why),
                    None => self.problem(SatColumn::Rating, "không có mức đánh giá".into()),
                }
            }
            Shape::Summary => {
                let mut sum: u64 = 0;
                for level in RatingLevel::ALL {
                    let c = SatColumn::of_level(level);
                    match self.cell(c).map(count) {
                        None | Some(Ok(None)) => {}
                        Some(Ok(Some(n))) => {
                            counts[level as usize] = n;
                            sum += n as u64;
                        }
                        Some(Err(why)) => {
                            let h = self.header(c);
                            self.problem(c, format!("{h}: {why}"))
                        }
                    }
                }
                match self.cell(SatColumn::Total).map(count) {
                    Some(Ok(Some(total))) if total as u64 != sum && self.r.problems.is_empty() => {
                        self.problem(
                            SatColumn::Total,
                            format!("tổng số phiếu {total} khác tổng số phiếu các mức {sum}"),
                        )
                    }
                    Some(Err(why)) => {
                        let h = self.header(SatColumn::Total);
                        self.problem(SatColumn::Total, format!("{h}: {why}"))
                    }
                    _ => {}
                }
            }
        }
        if !self.r.problems.is_empty() {
            return None;
        }
        Some(Record {
            source: self.r.source(),
            shape,
            evaluation_id,
            dossier_id,
            unit,
            level,
            field,
            procedure: self.free_text(SatColumn::Procedure),
            evaluated,
            period,
            channel: self.text(SatColumn::Channel),
            counts,
        })
    }
}

/// A rating in words, stars (★★★★☆ counts the ★), "5 sao", or a score 1–5.
pub fn rating(cfg: &Config, cell: &Cell) -> Result<RatingLevel, String> {
    let unknown = |t: &str| {
        Err(format!(
            "mức đánh giá «{t}» không có trong từ vựng (pipelines/satisfaction.toml)"
        ))
    };
    match cell {
        Cell::Empty => Err("không có mức đánh giá".into()),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=5.0).contains(n) => {
            Ok(RatingLevel::of_score(*n as u32).expect("1 to 5"))
        }
        Cell::Text(t) => {
            let key = match_key(t);
            if key.is_empty() {
                return Err("không có mức đánh giá".into());
            }
            if let Some(l) = cfg.levels.get(&key) {
                return Ok(*l);
            }
            if key.chars().all(|c| matches!(c, '★' | '☆' | '⭐' | ' ')) {
                let stars = key.chars().filter(|c| matches!(c, '★' | '⭐')).count() as u32;
                return RatingLevel::of_score(stars).map_or_else(|| unknown(t), Ok);
            }
            let digits: String = key.chars().take_while(char::is_ascii_digit).collect();
            let rest = key[digits.len()..].trim();
            if !digits.is_empty() && matches!(rest, "" | "sao" | "điểm" | "/5" | "*") {
                if let Some(l) = digits.parse().ok().and_then(RatingLevel::of_score) {
                    return Ok(l);
                }
            }
            unknown(t)
        }
        other => unknown(&other.as_text()),
    }
}

/// A count of evaluations: a whole number ≥ 0, written as a number or as text ("1.234").
fn count(cell: &Cell) -> Result<Option<u32>, String> {
    let n = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() || t == "-" || t == "—" {
                return Ok(None);
            }
            let plain = t.replace(['.', ' '], "").replace(',', ".");
            match plain.parse::<f64>() {
                Ok(n) => n,
                Err(_) => return Err(format!("«{t}» không phải số phiếu")),
            }
        }
        other => return Err(format!("«{}» không phải số phiếu", other.as_text())),
    };
    if n < 0.0 {
        Err(format!("số phiếu {} âm", cell.as_text()))
    } else if n.fract() != 0.0 {
        Err(format!("số phiếu {} không phải số nguyên", cell.as_text()))
    } else if n > u32::MAX as f64 {
        Err(format!("số phiếu {} quá lớn", cell.as_text()))
    } else {
        Ok(Some(n as u32))
    }
}

/// The period a summary's title lines state: "Từ ngày 15/12/2023 đến ngày 14/03/2024",
/// "Quý I năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024".
pub fn stated_period(lines: &[String], rule: PeriodRule) -> Option<(NaiveDate, NaiveDate)> {
    for line in lines {
        let key = match_key(line);
        let dates = dates_in(&key);
        if key.contains("từ") && key.contains("đến") && dates.len() >= 2 && dates[0] <= dates[1]
        {
            return Some((dates[0], dates[1]));
        }
        let year = || {
            key.split(|c: char| !c.is_ascii_digit())
                .filter(|w| w.len() == 4)
                .filter_map(|w| w.parse::<i32>().ok())
                .find(|y| (1990..=2100).contains(y))
        };
        let id = if let Some(rest) = key.split("quý ").nth(1) {
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            let q = match word.as_str() {
                "i" | "1" => Some(1),
                "ii" | "2" => Some(2),
                "iii" | "3" => Some(3),
                "iv" | "4" => Some(4),
                _ => None,
            };
            q.zip(year()).map(|(q, y)| format!("{y}-Q{q}"))
        } else if key.contains("6 tháng") || key.contains("sáu tháng") {
            year().map(|y| format!("{y}-H1"))
        } else if key.contains("9 tháng") || key.contains("chín tháng") {
            year().map(|y| format!("{y}-M9"))
        } else {
            None
        };
        if let Some(p) = id.and_then(|id| Period::parse(&id, rule).ok()) {
            return Some((p.start, p.end));
        }
    }
    None
}

/// The dd/mm/yyyy dates written in a text, in order.
fn dates_in(text: &str) -> Vec<NaiveDate> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '-' || c == '.'))
        .filter(|w| w.len() >= 8)
        .filter_map(|w| match crate::normalize::dates::parse_date_text(w) {
            DateValue::Date(d) => Some(d),
            _ => None,
        })
        .collect()
}

/// Builds the satisfaction table. Dates are day numbers (Int32); `day` is the evaluation date
/// or a summary's first day, by which the store partitions.
pub fn to_frame(records: &[Record]) -> Result<DataFrame> {
    let n = records.len();
    let s = |name: &str, v: Vec<Option<&str>>| Column::new(name.into(), v);
    let day = |d: Option<NaiveDate>| d.map(day_number);
    let mut cols = vec![
        s(
            "shape",
            records.iter().map(|r| Some(r.shape.code())).collect(),
        ),
        s(
            "evaluation_id",
            records.iter().map(|r| r.evaluation_id.as_deref()).collect(),
        ),
        s(
            "dossier_id",
            records.iter().map(|r| r.dossier_id.as_deref()).collect(),
        ),
        s(
            "level",
            records.iter().map(|r| r.level.map(Level::code)).collect(),
        ),
        s("unit", records.iter().map(|r| r.unit.as_deref()).collect()),
        s(
            "field",
            records.iter().map(|r| r.field.as_deref()).collect(),
        ),
        s(
            "procedure",
            records.iter().map(|r| r.procedure.as_deref()).collect(),
        ),
        s(
            "channel",
            records.iter().map(|r| r.channel.as_deref()).collect(),
        ),
        Column::new(
            "day".into(),
            records
                .iter()
                .map(|r| day(r.evaluated.or(r.period.map(|p| p.0))))
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            "evaluated".into(),
            records
                .iter()
                .map(|r| day(r.evaluated))
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            "period_start".into(),
            records
                .iter()
                .map(|r| day(r.period.map(|p| p.0)))
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            "period_end".into(),
            records
                .iter()
                .map(|r| day(r.period.map(|p| p.1)))
                .collect::<Vec<Option<i32>>>(),
        ),
    ];
    for level in RatingLevel::ALL {
        cols.push(Column::new(
            level.code().into(),
            records
                .iter()
                .map(|r| r.counts[level as usize])
                .collect::<Vec<u32>>(),
        ));
    }
    cols.extend(source_columns(records.iter().map(|r| &r.source))?);
    Ok(DataFrame::new(n, cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_period_a_summary_states() {
        let rule = PeriodRule::Nd09;
        let one = |s: &str| stated_period(&[s.to_string()], rule);
        assert_eq!(
            one("Từ ngày 15/12/2023 đến ngày 14/03/2024"),
            Some((d(2023, 12, 15), d(2024, 3, 14)))
        );
        assert_eq!(
            one("KẾT QUẢ KHẢO SÁT QUÝ I NĂM 2024"),
            Some((d(2023, 12, 15), d(2024, 3, 14)))
        );
        assert_eq!(one("Quý 2/2024"), Some((d(2024, 3, 15), d(2024, 6, 14))));
        assert_eq!(
            one("6 tháng đầu năm 2024"),
            Some((d(2023, 12, 15), d(2024, 6, 14)))
        );
        assert_eq!(one("TRƯỜNG TIỂU HỌC ĐÔNG THẠNH"), None);
        assert_eq!(one("Kế hoạch năm 2024"), None);
    }
}

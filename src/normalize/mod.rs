//! What every kind's normalization shares: dates ([`dates`]), day numbers as the tables keep
//! them, the memo maps that make a file's repeated words cheap, and the one spelling of a name
//! across files. The kinds' own record rules live in `kinds/<kind>/normalize.rs`.

pub mod dates;

use std::cmp::Ordering;
use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use crate::config::{Level, Pipeline};
use crate::ingest::RawTable;
use crate::model::{Cell, RowRef};
use crate::quality::{Quarantined, SkippedRow, Warning, WarningKind};
use crate::text::{canonical_spelling, clean, match_key, too_long_for_xlsx};

pub use crate::model::NORMALIZATION_REVISION as REVISION;

/// What normalizing one file produces, whatever its kind.
#[derive(Debug)]
pub struct Normalized {
    /// The file's records, in sheet order (duplicates not yet resolved).
    pub frame: DataFrame,
    /// Rows that could not be records.
    pub quarantine: Vec<Quarantined>,
    /// Values counted under an assumption.
    pub warnings: Vec<Warning>,
    /// Data rows read.
    pub read: u64,
    /// Blank rows skipped inside the data.
    pub blank_rows: u64,
    /// Totals, signatures and other rows that are not records.
    pub skipped_rows: Vec<SkippedRow>,
}

impl Normalized {
    /// The row account of a file's tables (rows read, blank rows, footers), with no records yet.
    pub fn of_tables(tables: &[RawTable]) -> Normalized {
        let mut out = Normalized {
            frame: DataFrame::empty(),
            quarantine: Vec::new(),
            warnings: Vec::new(),
            read: 0,
            blank_rows: 0,
            skipped_rows: Vec::new(),
        };
        for table in tables {
            for (dropped, kept) in &table.duplicate_columns {
                out.warnings.push(Warning {
                    source: RowRef {
                        file: table.file,
                        sheet: table.sheet.clone(),
                        row: table.header_row,
                    },
                    dossier_id: String::new(),
                    kind: WarningKind::DuplicateColumn,
                    column: dropped.clone(),
                    value: format!("cùng nghĩa với cột {kept}, là cột được đọc"),
                });
            }
            // A text longer than a workbook cell holds is cut there: said here, where the row
            // and its column are known.
            for row in &table.rows {
                for (cell, (_, header)) in row.cells.iter().zip(&table.columns) {
                    if let Cell::Text(t) = cell {
                        if too_long_for_xlsx(t) {
                            out.warnings.push(Warning {
                                source: RowRef {
                                    file: table.file,
                                    sheet: table.sheet.clone(),
                                    row: row.row,
                                },
                                dossier_id: String::new(),
                                kind: WarningKind::TextCut,
                                column: header.clone(),
                                value: cut_notice(t),
                            });
                        }
                    }
                }
            }
            for (row, text) in &table.footer_rows {
                if too_long_for_xlsx(text) {
                    out.warnings.push(Warning {
                        source: RowRef {
                            file: table.file,
                            sheet: table.sheet.clone(),
                            row: *row,
                        },
                        dossier_id: String::new(),
                        kind: WarningKind::TextCut,
                        column: String::new(),
                        value: cut_notice(text),
                    });
                }
            }
            out.read += table.rows.len() as u64;
            out.blank_rows += table.blank_rows as u64;
            out.skipped_rows
                .extend(table.footer_rows.iter().map(|(row, text)| SkippedRow {
                    source: RowRef {
                        file: table.file,
                        sheet: table.sheet.clone(),
                        row: *row,
                    },
                    text: text.clone(),
                }));
        }
        out
    }
}

/// How a warning shows a text too long for a cell: its opening and its length.
fn cut_notice(t: &str) -> String {
    let (opening, _) = crate::text::cut_for_document(t, 60);
    format!(
        "«{opening}» ({} ký tự; bảng tính giữ {} ký tự đầu)",
        crate::vn::int(t.chars().count() as u64),
        crate::vn::int(crate::text::XLSX_CELL_MAX_CHARS as u64 - 1)
    )
}

/// A word a file repeats, as [`Names`] hands it out: shared, so a row's lookup copies no text.
pub type Word = crate::model::Text;

/// A memo keyed by the identity of a file's text: a file holds each distinct text once
/// ([`crate::ingest::texts`]), so a text met again is the same one, recognised by its address
/// without hashing or comparing its characters. The memo holds the text, so the address stays
/// its own while the memo lives.
pub struct ByIdentity<V>(Memo<usize, (Word, V)>);

impl<V> Default for ByIdentity<V> {
    fn default() -> Self {
        ByIdentity(Memo::default())
    }
}

impl<V: Clone> ByIdentity<V> {
    /// The value remembered for this very text.
    pub fn get(&self, t: &Word) -> Option<&V> {
        self.0.get(&Self::address(t)).map(|(_, v)| v)
    }

    /// Remembers `v` for this very text and returns it.
    pub fn insert(&mut self, t: &Word, v: V) -> V {
        self.0.insert(Self::address(t), (t.clone(), v.clone()));
        v
    }

    fn address(t: &Word) -> usize {
        Word::as_ptr(t) as *const u8 as usize
    }
}

/// A text cleaned ([`clean`]); None when nothing is left.
fn cleaned_word(raw: &str) -> Option<Word> {
    Some(clean(raw)).filter(|c| !c.is_empty()).map(Word::from)
}

/// Units, fields and words of one file, each distinct spelling resolved once: exports repeat
/// the same few words on every row.
pub struct Names<'a> {
    pipeline: &'a Pipeline,
    units: Spellings,
    fields: Spellings,
    keys: Memo<String, Word>,
    /// A cell's text → its [`match_key`].
    keys_of: ByIdentity<Word>,
    /// Unit spelling → canonical name, level, and whether the registry knows it.
    unit_names: Memo<String, (Word, Level, bool)>,
    field_names: Memo<String, Word>,
    /// The cleaned text of a cell that is not text (a number read as words).
    cleaned: Memo<String, Option<Word>>,
    /// A cell's text → cleaned.
    cleaned_of: ByIdentity<Option<Word>>,
    /// Cleaned free text → the text masked and what was masked.
    masked: ByIdentity<(Word, Vec<crate::privacy::Found>)>,
    /// Date texts read: a month's exports write a few dozen days on every row.
    dates: ByIdentity<dates::DateValue>,
}

impl<'a> Names<'a> {
    /// Empty maps for one file.
    pub fn new(pipeline: &'a Pipeline) -> Names<'a> {
        Names {
            pipeline,
            units: Spellings::default(),
            fields: Spellings::default(),
            keys: Memo::default(),
            keys_of: ByIdentity::default(),
            unit_names: Memo::default(),
            field_names: Memo::default(),
            cleaned: Memo::default(),
            cleaned_of: ByIdentity::default(),
            masked: ByIdentity::default(),
            dates: ByIdentity::default(),
        }
    }

    /// A kept free-text cell, cleaned, with its personal data masked ([`crate::privacy`]), and
    /// what was masked, for the caller's warning (None when empty); each distinct text masked
    /// once (a procedure's name repeats on every row of it).
    pub fn free_text(&mut self, cell: &Cell) -> Option<(Word, Vec<crate::privacy::Found>)> {
        let t = self.text(cell)?;
        if let Some(m) = self.masked.get(&t) {
            return Some(m.clone());
        }
        let (masked, found) = crate::privacy::mask(&t, &self.pipeline.vocabulary.masks);
        let masked = if masked == *t {
            t.clone()
        } else {
            Word::from(masked)
        };
        Some(self.masked.insert(&t, (masked, found)))
    }

    /// The cleaned text of a cell (None when empty), each distinct text cleaned once.
    pub fn text(&mut self, cell: &Cell) -> Option<Word> {
        match cell {
            Cell::Empty => None,
            Cell::Text(t) => {
                if let Some(cleaned) = self.cleaned_of.get(t) {
                    return cleaned.clone();
                }
                let cleaned = cleaned_word(t).map(|c| if *c == **t { t.clone() } else { c });
                self.cleaned_of.insert(t, cleaned)
            }
            other => {
                let raw = other.as_text();
                if let Some(t) = self.cleaned.get(&raw) {
                    return t.clone();
                }
                let t = cleaned_word(&raw);
                self.cleaned.insert(raw, t.clone());
                t
            }
        }
    }

    /// A date cell read ([`dates::parse_date_cell`]), each distinct text read once.
    pub fn date(&mut self, cell: &Cell) -> dates::DateValue {
        let Cell::Text(t) = cell else {
            return dates::parse_date_cell(cell);
        };
        if let Some(v) = self.dates.get(t) {
            return v.clone();
        }
        self.dates.insert(t, dates::parse_date_cell(cell))
    }

    /// [`match_key`] of a cell as a person reads it ([`Cell::as_text`]), each distinct text's
    /// computed once.
    pub fn cell_key(&mut self, cell: &Cell) -> Word {
        let Cell::Text(t) = cell else {
            return self.key(&cell.as_text());
        };
        if let Some(k) = self.keys_of.get(t) {
            return k.clone();
        }
        let k = self.key(t);
        self.keys_of.insert(t, k)
    }

    /// [`match_key`] of a spelling, computed once per distinct spelling.
    pub fn key(&mut self, raw: &str) -> Word {
        if let Some(k) = self.keys.get(raw) {
            return k.clone();
        }
        let k = Word::from(match_key(raw));
        self.keys.insert(raw.to_string(), k.clone());
        k
    }

    /// The canonical unit of a spelling: registry name and level, or the first spelling seen
    /// with the level its prefix tells (`units.toml`); `false` when the registry does not know it.
    pub fn unit_of(&mut self, raw: &str) -> (Word, Level, bool) {
        if let Some(u) = self.unit_names.get(raw) {
            return u.clone();
        }
        let units = &self.pipeline.units;
        let resolved = match units.find(raw) {
            Some(u) => (Word::from(u.name.as_str()), u.level, true),
            None => {
                let name = self.units.get(raw);
                let level = units.level_of_unknown(&name);
                (Word::from(name), level, false)
            }
        };
        self.unit_names.insert(raw.to_string(), resolved.clone());
        resolved
    }

    /// The canonical field of a spelling.
    pub fn field_of(&mut self, raw: &str) -> Word {
        if let Some(f) = self.field_names.get(raw) {
            return f.clone();
        }
        let name = Word::from(match self.pipeline.fields.find(raw) {
            Some(f) => f.to_string(),
            None => self.fields.get(raw),
        });
        self.field_names.insert(raw.to_string(), name.clone());
        name
    }
}

/// Days since 1970-01-01, the representation of dates in the record tables.
pub fn day_number(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

/// The date of a day number.
pub fn from_day_number(n: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(n as i64)
}

/// The maps of words already decided in a file: looked up on every row, so hashed fast.
pub type Memo<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Names given to units and fields the registries do not know: the first spelling seen wins, so
/// two spellings of one name never make two rows.
#[derive(Default)]
pub struct Spellings(HashMap<String, String>);

impl Spellings {
    /// The name a spelling is written as.
    pub fn get(&mut self, raw: &str) -> String {
        let spelled = canonical_spelling(raw);
        self.0.entry(match_key(&spelled)).or_insert(spelled).clone()
    }
}

/// A text column whose values repeat (units, fields, procedures, sheets): each distinct value
/// is stored once and every row points at it, so that a city's millions of rows do not hold
/// millions of copies of a few hundred names. The values read the same as a column built
/// value by value.
pub fn repeated_text<'v>(
    name: &str,
    values: impl Iterator<Item = Option<&'v str>>,
) -> Result<Column> {
    let mut column = RepeatedText::default();
    for v in values {
        column.push(v);
    }
    column.finish(name)
}

/// A [`repeated_text`] column built row by row, as a file is read: each distinct value is
/// copied once, when first seen; a row adds an index.
#[derive(Default)]
pub struct RepeatedText {
    index: Memo<String, IdxSize>,
    /// The index of the empty value, once seen.
    none: Option<IdxSize>,
    distinct: Vec<Option<String>>,
    at: Vec<IdxSize>,
}

impl RepeatedText {
    /// A column with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> RepeatedText {
        RepeatedText {
            at: Vec::with_capacity(rows),
            ..RepeatedText::default()
        }
    }

    /// Adds a row's value. A value like the row's before (rows come in runs of one unit, one
    /// status) is known without a lookup.
    pub fn push(&mut self, v: Option<&str>) {
        if let Some(&last) = self.at.last() {
            if self.distinct[last as usize].as_deref() == v {
                self.at.push(last);
                return;
            }
        }
        let at = match v {
            Some(v) => match self.index.get(v) {
                Some(i) => *i,
                None => {
                    let i = self.distinct.len() as IdxSize;
                    self.distinct.push(Some(v.to_string()));
                    self.index.insert(v.to_string(), i);
                    i
                }
            },
            None => *self.none.get_or_insert_with(|| {
                self.distinct.push(None);
                (self.distinct.len() - 1) as IdxSize
            }),
        };
        self.at.push(at);
    }

    /// The column, named.
    pub fn finish(self, name: &str) -> Result<Column> {
        let distinct: StringChunked = self.distinct.iter().map(|v| v.as_deref()).collect();
        let column = distinct.take(&IdxCa::from_vec("".into(), self.at))?;
        Ok(column.with_name(name.into()).into_column())
    }
}

/// The position of each record within its file, and `order` = file × 2³² + pos, the input order.
pub fn positions(files: impl Iterator<Item = usize>) -> (Vec<u32>, Vec<u64>) {
    let mut seen_in_file: HashMap<usize, u32> = HashMap::new();
    let mut pos = Vec::new();
    let mut order = Vec::new();
    for f in files {
        let p = seen_in_file.entry(f).or_insert(0);
        pos.push(*p);
        order.push(((f as u64) << 32) | *p as u64);
        *p += 1;
    }
    (pos, order)
}

/// The columns every kind's table ends with: where each record was read (`file`, `sheet`,
/// `row`) and its input order (`pos`, `order`, see [`positions`]).
pub fn source_columns<'a>(sources: impl Iterator<Item = &'a RowRef>) -> Result<Vec<Column>> {
    let mut columns = SourceColumns::default();
    for r in sources {
        columns.push(r.file, &r.sheet, r.row);
    }
    columns.finish()
}

/// [`source_columns`] built row by row, as a file is read.
#[derive(Default)]
pub struct SourceColumns {
    file: Vec<u32>,
    sheet: RepeatedText,
    row: Vec<u32>,
}

impl SourceColumns {
    /// Columns with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> SourceColumns {
        SourceColumns {
            file: Vec::with_capacity(rows),
            sheet: RepeatedText::with_capacity(rows),
            row: Vec::with_capacity(rows),
        }
    }

    /// Adds where a record was read: file index, sheet name, 1-based row.
    pub fn push(&mut self, file: usize, sheet: &str, row: u32) {
        self.file.push(file as u32);
        self.sheet.push(Some(sheet));
        self.row.push(row);
    }

    /// The columns `file`, `sheet`, `row`, `pos`, `order`.
    pub fn finish(self) -> Result<Vec<Column>> {
        let (pos, order) = positions(self.file.iter().map(|f| *f as usize));
        Ok(vec![
            Column::new("file".into(), self.file),
            self.sheet.finish("sheet")?,
            Column::new("row".into(), self.row),
            Column::new("pos".into(), pos),
            Column::new("order".into(), order),
        ])
    }
}

/// The source columns of a kind's table read back ([`source_columns`]): where record `i` was read.
pub struct Sources<'a> {
    file: &'a UInt32Chunked,
    sheet: &'a StringChunked,
    row: &'a UInt32Chunked,
}

impl<'a> Sources<'a> {
    /// The source columns of a table.
    pub fn of(frame: &'a DataFrame) -> Result<Sources<'a>> {
        Ok(Sources {
            file: frame.column("file")?.u32()?,
            sheet: frame.column("sheet")?.str()?,
            row: frame.column("row")?.u32()?,
        })
    }

    /// The input file of record `i`.
    pub fn file(&self, i: usize) -> usize {
        self.file.get(i).unwrap_or(0) as usize
    }

    /// Its sheet.
    pub fn sheet(&self, i: usize) -> &'a str {
        self.sheet.get(i).unwrap_or("")
    }

    /// Where record `i` was read.
    pub fn at(&self, i: usize) -> RowRef {
        RowRef {
            file: self.file(i),
            sheet: self.sheet(i).to_string(),
            row: self.row.get(i).unwrap_or(0),
        }
    }
}

/// The columns that say where a record was read rather than what it says.
const SOURCE_COLUMN_NAMES: [&str; 5] = ["file", "sheet", "row", "pos", "order"];

/// What a record says, apart from where it was read: the tie-break between copies of one
/// record that never looks at file names or input order. A copy with more values filled in
/// beats one with fewer; between copies equally filled, the values are compared column by column
/// in the table's order, and the copy whose first differing value comes later (Unicode order of
/// the value's text, an empty value first) wins. Columns whose names start with `_` are working
/// columns and are left out.
///
/// A value's text is polars' own display of it (a text between double quotes, an integer in
/// decimals, a float as polars shows it). Text, integer and yes/no columns are read once as
/// typed arrays and compared as that text would be without writing it: at city scale the
/// copies of repeated codes are a hundred thousand rows, each compared on twenty columns.
pub struct Content<'a> {
    columns: Vec<&'a Column>,
    values: Vec<Values>,
}

/// One content column read once, in one chunk.
enum Values {
    Text(StringChunked),
    Int32(Int32Chunked),
    UInt32(UInt32Chunked),
    Int64(Int64Chunked),
    Bool(BooleanChunked),
    /// Any other type (floats, dates): compared by polars' text of the value.
    Shown(Column),
}

impl Values {
    fn of(column: &Column) -> Values {
        let one = column.rechunk();
        let typed = match one.dtype() {
            DataType::String => one.str().ok().map(|c| Values::Text(c.clone())),
            DataType::Int32 => one.i32().ok().map(|c| Values::Int32(c.clone())),
            DataType::UInt32 => one.u32().ok().map(|c| Values::UInt32(c.clone())),
            DataType::Int8
            | DataType::Int16
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16 => one.cast(&DataType::Int64).ok().and_then(|c| {
                c.i64()
                    .ok()
                    .map(|c| Values::Int64(c.rechunk().into_owned()))
            }),
            DataType::Boolean => one.bool().ok().map(|c| Values::Bool(c.clone())),
            _ => None,
        };
        typed.unwrap_or(Values::Shown(one))
    }

    fn cell(&self, i: usize) -> Value<'_> {
        match self {
            Values::Text(c) => match c.downcast_as_array().get(i) {
                None | Some("") => Value::Empty,
                Some(s) => Value::Text(s),
            },
            Values::Int32(c) => c
                .downcast_as_array()
                .get(i)
                .map_or(Value::Empty, |v| Value::Int(v as i64)),
            Values::UInt32(c) => c
                .downcast_as_array()
                .get(i)
                .map_or(Value::Empty, |v| Value::Int(v as i64)),
            Values::Int64(c) => c
                .downcast_as_array()
                .get(i)
                .map_or(Value::Empty, Value::Int),
            Values::Bool(c) => c
                .downcast_as_array()
                .get(i)
                .map_or(Value::Empty, Value::Bool),
            Values::Shown(c) => match c.get(i) {
                Ok(AnyValue::Null) | Err(_) => Value::Empty,
                Ok(AnyValue::String("")) => Value::Empty,
                Ok(v) => Value::Shown(v.to_string()),
            },
        }
    }
}

/// One value of a record as [`Content`] compares it.
#[derive(Debug, PartialEq)]
enum Value<'a> {
    /// No value, or an empty text: less than any value.
    Empty,
    Text(&'a str),
    Int(i64),
    Bool(bool),
    /// Polars' text of a value of another type.
    Shown(String),
}

impl Value<'_> {
    /// The order of the two values' texts as polars shows them, written or not. Both come from
    /// one column, so they are of one kind (or empty).
    fn text_order(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Empty, Value::Empty) => Ordering::Equal,
            (Value::Empty, _) => Ordering::Less,
            (_, Value::Empty) => Ordering::Greater,
            // `"a"` against `"ab"`: after the same opening quote, a text that is the start of
            // the other meets its closing quote where the other goes on.
            (Value::Text(a), Value::Text(b)) => {
                a.bytes().chain([b'"']).cmp(b.bytes().chain([b'"']))
            }
            (Value::Int(a), Value::Int(b)) => {
                let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
                decimal(*a, &mut x).cmp(decimal(*b, &mut y))
            }
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Shown(a), Value::Shown(b)) => a.cmp(b),
            // Never within one column: fall back on the written texts.
            (a, b) => a.written().cmp(&b.written()),
        }
    }

    /// The value's text as polars shows it.
    fn written(&self) -> Option<String> {
        match self {
            Value::Empty => None,
            Value::Text(s) => Some(format!("\"{s}\"")),
            Value::Int(v) => Some(v.to_string()),
            Value::Bool(v) => Some(v.to_string()),
            Value::Shown(s) => Some(s.clone()),
        }
    }
}

/// `v` in decimals (a `-` before a negative), written at the end of `buf`.
fn decimal(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// How the content tie-break is told in the duplicate log.
pub const CONTENT_RULE: &str = "theo nội dung: bản nhiều thông tin hơn, rồi bản có giá trị khác đầu tiên đứng sau theo thứ tự chữ (không theo tên hay thứ tự tệp)";

/// A record's tie-break key ([`Content::key`]): the greater wins.
pub type ContentKey = (u32, Vec<Option<String>>);

impl<'a> Content<'a> {
    /// The content columns of a table.
    pub fn of(frame: &'a DataFrame) -> Content<'a> {
        let columns: Vec<&Column> = frame
            .columns()
            .iter()
            .filter(|c| {
                let name = c.name().as_str();
                !SOURCE_COLUMN_NAMES.contains(&name) && !name.starts_with('_')
            })
            .collect();
        let values = columns.iter().map(|c| Values::of(c)).collect();
        Content { columns, values }
    }

    fn value(&self, c: usize, i: usize) -> Value<'_> {
        self.values[c].cell(i)
    }

    /// Record `i`'s tie-break key: (values filled in, the values' texts in column order). The
    /// order of keys is that of [`Content::filled`] and then [`Content::compare`].
    pub fn key(&self, i: usize) -> ContentKey {
        let values: Vec<Option<String>> = (0..self.columns.len())
            .map(|c| self.value(c, i).written())
            .collect();
        (values.iter().flatten().count() as u32, values)
    }

    /// Record `i`'s count of values filled in.
    pub fn filled(&self, i: usize) -> u32 {
        (0..self.columns.len())
            .filter(|&c| self.value(c, i) != Value::Empty)
            .count() as u32
    }

    /// Records `i` and `j` compared by their values' texts in column order, the first that
    /// differs deciding: the second part of [`Content::key`], without writing a text.
    pub fn compare(&self, i: usize, j: usize) -> Ordering {
        (0..self.columns.len())
            .map(|c| self.value(c, i).text_order(&self.value(c, j)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// Every record's count of values filled in, and its rank by key among the records of its
    /// group (0 for the least; equal keys in table order): sorted by group and then rank, each
    /// group is in content order. Only a group's rows are held at once.
    pub fn filled_and_ranks<'g>(
        &self,
        groups: impl Iterator<Item = Option<&'g str>>,
    ) -> (Vec<u32>, Vec<u32>) {
        let mut members: Memo<Option<&str>, Vec<usize>> = Memo::default();
        let mut n = 0;
        for (i, g) in groups.enumerate() {
            members.entry(g).or_default().push(i);
            n = i + 1;
        }
        // The records and the groups side by side: at city scale a hundred thousand copies.
        let filled: Vec<u32> = (0..n).into_par_iter().map(|i| self.filled(i)).collect();
        let groups: Vec<Vec<usize>> = members.into_values().collect();
        let groups: Vec<Vec<usize>> = groups
            .into_par_iter()
            .map(|mut rows| {
                // Stable, from rows in table order: equal keys stay in table order.
                rows.sort_by(|&a, &b| filled[a].cmp(&filled[b]).then_with(|| self.compare(a, b)));
                rows
            })
            .collect();
        let mut rank = vec![0u32; n];
        for rows in groups {
            for (r, i) in rows.into_iter().enumerate() {
                rank[i] = r as u32;
            }
        }
        (filled, rank)
    }

    /// The columns on which records `i` and `j` both hold a value and the values differ, by name,
    /// leaving out `except`: what copies disagree on. A column one copy leaves empty (an export
    /// without it) is less information, not a disagreement.
    pub fn conflicts(&self, i: usize, j: usize, except: &[&str]) -> Vec<String> {
        (0..self.columns.len())
            .filter(|&c| !except.contains(&self.columns[c].name().as_str()))
            .filter(|&c| match (self.value(c, i), self.value(c, j)) {
                (Value::Empty, _) | (_, Value::Empty) => false,
                (a, b) => a != b,
            })
            .map(|c| self.columns[c].name().to_string())
            .collect()
    }

    /// The columns on which records `i` and `j` differ, by name, leaving out `except`.
    pub fn differs(&self, i: usize, j: usize, except: &[&str]) -> Vec<String> {
        (0..self.columns.len())
            .filter(|&c| !except.contains(&self.columns[c].name().as_str()))
            .filter(|&c| self.value(c, i) != self.value(c, j))
            .map(|c| self.columns[c].name().to_string())
            .collect()
    }
}

/// Gives every value of the named text columns the spelling first seen in input order among
/// those with the same [`match_key`], so that names from files normalized separately (the store)
/// never make two rows. The table is sorted by `order` first when it is not.
pub fn unify_names(frame: DataFrame, columns: &[&str]) -> Result<DataFrame> {
    let in_order = {
        let order = frame.column("order")?.u64()?;
        let mut last = 0u64;
        order.iter().flatten().all(|o| {
            let ok = o >= last;
            last = o;
            ok
        })
    };
    let mut frame = if in_order {
        frame
    } else {
        frame.sort(["order"], SortMultipleOptions::default())?
    };
    // Each column on its own core: a city's table has millions of rows.
    let respelled: Vec<Option<Column>> = columns
        .par_iter()
        .map(|name| respelled(&frame, name))
        .collect::<Result<_>>()?;
    for values in respelled.into_iter().flatten() {
        frame.with_column(values)?;
    }
    Ok(frame)
}

/// The column `name` of `frame` with each value spelled as [`unify_names`] says; None when
/// no value changes.
fn respelled(frame: &DataFrame, name: &str) -> Result<Option<Column>> {
    let col = frame.column(name)?.str()?;
    // Each distinct spelling is keyed once; the first spelling of a key names it. A run of
    // one value (a file's rows of one unit) is looked up once.
    let mut first: Memo<String, String> = Memo::default();
    let mut spelled: Memo<&str, String> = Memo::default();
    let mut last: Option<&str> = None;
    for v in col.iter().flatten() {
        if last == Some(v) {
            continue;
        }
        last = Some(v);
        if !spelled.contains_key(v) {
            let chosen = first
                .entry(match_key(v))
                .or_insert_with(|| v.to_string())
                .clone();
            spelled.insert(v, chosen);
        }
    }
    if spelled.iter().all(|(raw, chosen)| raw == chosen) {
        return Ok(None);
    }
    let values = repeated_text(name, col.iter().map(|v| v.map(|v| spelled[v].as_str())))?;
    Ok(Some(values))
}

/// One row of a kind's table being read: its cells by the kind's column position, and what
/// reading it found. Each kind wraps it with its typed columns.
pub struct RowReader<'a> {
    /// The table the row is in.
    pub table: &'a RawTable,
    /// The row.
    pub row: &'a crate::ingest::RawRow,
    /// The kind's header vocabulary (labels of columns the file lacks).
    pub vocab: &'a crate::ingest::HeaderVocab,
    /// Why the row cannot be a record: column header, value as written, reason.
    pub problems: Vec<(String, String, String)>,
    /// Values counted under an assumption: kind, column header, value.
    pub warnings: Vec<(crate::quality::WarningKind, String, String)>,
}

impl<'a> RowReader<'a> {
    /// A row with nothing found yet.
    pub fn new(
        table: &'a RawTable,
        row: &'a crate::ingest::RawRow,
        vocab: &'a crate::ingest::HeaderVocab,
    ) -> RowReader<'a> {
        RowReader {
            table,
            row,
            vocab,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }
    /// The cell of a column, when the table has it.
    pub fn cell(&self, c: usize) -> Option<&'a Cell> {
        self.table.position(c).map(|p| &self.row.cells[p])
    }
    /// The column's header as the file writes it, else its label.
    pub fn header(&self, c: usize) -> String {
        match self.table.position(c) {
            Some(p) => self.table.columns[p].1.clone(),
            None => self.vocab.label(c).to_string(),
        }
    }
    /// The cell as text, as written.
    pub fn value(&self, c: usize) -> String {
        self.cell(c).map(Cell::as_text).unwrap_or_default()
    }
    /// Records why the row cannot be a record, at a column.
    pub fn problem(&mut self, c: usize, reason: String) {
        let (h, v) = (self.header(c), self.value(c));
        self.problems.push((h, v, reason));
    }
    /// Records a value counted under an assumption, at a column.
    pub fn warn(&mut self, kind: crate::quality::WarningKind, c: usize) {
        let (h, v) = (self.header(c), self.value(c));
        self.warnings.push((kind, h, v));
    }
    /// A date cell: None when empty; an impossible date is a problem named by the header.
    pub fn date(&mut self, c: usize) -> Option<NaiveDate> {
        match self.cell(c).map(dates::parse_date_cell) {
            None | Some(dates::DateValue::Empty) => None,
            Some(dates::DateValue::Date(d)) => Some(d),
            Some(dates::DateValue::Invalid(why)) => {
                let label = self.header(c);
                self.problem(c, format!("{label}: {why}"));
                None
            }
        }
    }
    /// Where the row is.
    pub fn source(&self) -> RowRef {
        RowRef {
            file: self.table.file,
            sheet: self.table.sheet.clone(),
            row: self.row.row,
        }
    }
}

impl Normalized {
    /// Files what reading a row found under its code: its warnings, and, when it has problems,
    /// one quarantine line naming the first column at fault and every reason. Returns whether
    /// the row is a record.
    pub fn file_row(&mut self, r: RowReader, code: &str) -> bool {
        let source = r.source();
        self.warnings
            .extend(r.warnings.into_iter().map(|(kind, column, value)| Warning {
                source: source.clone(),
                dossier_id: code.to_string(),
                kind,
                column,
                value,
            }));
        let Some((column, value, _)) = r.problems.first().cloned() else {
            return true;
        };
        self.quarantine.push(Quarantined {
            source,
            dossier_id: code.to_string(),
            column,
            value,
            reason: r
                .problems
                .iter()
                .map(|p| p.2.clone())
                .collect::<Vec<_>>()
                .join("; "),
        });
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_text_column_reads_as_its_values() {
        let values = [
            Some("Hộ tịch"),
            Some("Hộ tịch"),
            None,
            None,
            Some("Chứng thực bản sao"),
            Some("Hộ tịch"),
            Some(""),
            Some(""),
            None,
        ];
        let column = repeated_text("field", values.iter().copied()).unwrap();
        assert_eq!(column.name().as_str(), "field");
        let read: Vec<Option<&str>> = column.str().unwrap().iter().collect();
        assert_eq!(read, values);
    }

    #[test]
    fn integers_are_written_in_decimals() {
        let mut buf = [0u8; 20];
        assert_eq!(decimal(0, &mut buf), b"0");
        assert_eq!(decimal(-45, &mut buf), b"-45");
        assert_eq!(decimal(1_000_000, &mut buf), b"1000000");
        assert_eq!(decimal(i64::MIN, &mut buf), b"-9223372036854775808");
    }

    #[test]
    fn content_compares_values_as_their_texts_would() {
        // By text, not by value: "ab" after "a b" (the closing quote of «"a"» against a space
        // and a letter), 10 before 9, -1 before 0, false before true; an empty value first.
        let frame = df!(
            "text" => [Some("a"), Some("a b"), Some("ab"), Some(""), None, Some("a")],
            "number" => [Some(9i32), Some(10), Some(-1), Some(0), None, Some(9)],
            "rank" => [Some(3u32), Some(12), Some(0), None, Some(7), Some(3)],
            "flag" => [Some(true), Some(false), None, Some(true), Some(false), Some(true)],
            "fee" => [Some(1.5f64), None, Some(20000.0), Some(1.5), Some(0.25), Some(1.5)],
        )
        .unwrap();
        let content = Content::of(&frame);
        let n = frame.height();
        for i in 0..n {
            let key = content.key(i);
            // Each text is polars' own display of the value.
            let shown: Vec<Option<String>> = frame
                .columns()
                .iter()
                .map(|c| match c.get(i).unwrap() {
                    AnyValue::Null | AnyValue::String("") => None,
                    v => Some(v.to_string()),
                })
                .collect();
            assert_eq!(key.1, shown, "texts of row {i}");
            assert_eq!(content.filled(i), key.0, "filled of row {i}");
            for j in 0..n {
                let by_text = key.1.cmp(&content.key(j).1);
                assert_eq!(content.compare(i, j), by_text, "rows {i} and {j}");
                let differs: Vec<String> = content.differs(i, j, &[]);
                let written_differ = (0..5).filter(|&c| key.1[c] != content.key(j).1[c]).count();
                assert_eq!(differs.len(), written_differ, "rows {i} and {j}");
            }
        }
        // The hand-worked order of the texts: «"a b"» < «"a"» < «"ab"».
        assert_eq!(content.compare(1, 0), std::cmp::Ordering::Less);
        assert_eq!(content.compare(0, 2), std::cmp::Ordering::Less);
        assert_eq!(content.compare(0, 5), std::cmp::Ordering::Equal);
        assert_eq!(content.key(1).1[1].as_deref(), Some("10"));
        assert_eq!(
            content.conflicts(0, 1, &["text"]),
            ["number", "rank", "flag"]
        );
    }

    #[test]
    fn content_ranks_order_each_code_by_content_and_then_by_row() {
        // Rows 0 and 2 are one code; row 2 says more. Rows 1 and 3 are another, the same twice.
        let frame = df!(
            "dossier_id" => ["A", "B", "A", "B"],
            "field" => [None, Some("Hộ tịch"), Some("Đất đai"), Some("Hộ tịch")],
        )
        .unwrap();
        let content = Content::of(&frame);
        let (filled, rank) =
            content.filled_and_ranks(frame.column("dossier_id").unwrap().str().unwrap().iter());
        assert_eq!(filled, vec![1, 2, 2, 2]);
        assert_eq!(rank, vec![0, 0, 1, 1]);
    }
}

//! The columns one input kind recognises, as the reading machinery needs them: header words,
//! the columns that identify the kind, the required ones. It knows no kind: each kind builds one
//! from its vocabulary file, with its own column enum mapped to positions.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Result};
use foldhash::fast::FixedState;

use crate::text::match_key;

/// How one column is recognised.
#[derive(Debug, Clone)]
pub struct ColumnVocab {
    /// The kind's id of the column (`dossier_id`, `rating` …).
    pub id: &'static str,
    /// Its name in messages.
    pub label: String,
    /// Whether a file needs it.
    pub required: bool,
    /// The header names it goes by, as written in the vocabulary.
    pub aliases: Vec<String>,
    /// Personal data, recognised only to be discarded ([`DISCARDED_COLUMNS`]).
    pub discarded: bool,
    /// The column whose names this one's also are: a header column named so is read as this
    /// one only when it loses to another column meaning that one (`crate::ingest::header`).
    pub second_reading_of: Option<usize>,
}

/// The ids of the columns of personal data every kind recognises only to discard them (names,
/// phone numbers, addresses, comments). A file may hold several of them under one id, which is
/// no warning: none is read.
pub const DISCARDED_COLUMNS: &[&str] = &[
    "applicant",
    "evaluator",
    "comment",
    "sender",
    "content",
    "answer",
];

/// The header vocabulary of one kind, as lookup tables keyed by [`match_key`]. Column `i` of
/// [`HeaderVocab::columns`] is position `i` of the kind's column enum.
#[derive(Debug)]
pub struct HeaderVocab {
    /// The kind.
    pub kind: &'static str,
    /// What a person calls a list of this kind ("danh sách hồ sơ").
    pub list_name: String,
    /// Columns, in the kind's order.
    pub columns: Vec<ColumnVocab>,
    /// Header key → column position (on the fast hasher: a header search looks up every
    /// text of a sheet's first rows, for every kind).
    pub header: HashMap<String, usize, FixedState>,
    /// Header keys of ignored columns.
    pub ignored: HashSet<String, FixedState>,
    /// Keys that open a footer row.
    pub footer_markers: Vec<String>,
    /// A header is of this kind when it holds every column of one of these sets.
    pub identify: Vec<Vec<usize>>,
    /// A row that fills these columns is a record, whatever its first cell says.
    pub record: Vec<usize>,
    /// The column of the unit, which a file may give once for all its rows.
    pub unit_column: Option<usize>,
    /// Whether a file without a unit column and without a unit of its own is unreadable.
    pub unit_required: bool,
    /// Whether a second unit column is read beside the first rather than warned about (a
    /// dossier export's «Phòng ban» and «Cơ quan/đơn vị»): the kind picks, per row, the one
    /// that names a registry unit.
    pub unit_alternates: bool,
    /// Sheets without a header that belong to a file of this kind (a form's cover sheet): read
    /// as text for the kind ([`crate::ingest::SheetText`]), never listed as passed over.
    pub companion_sheets: Vec<String>,
}

/// The words every kind's files share: columns nobody reads, and the rows that end a table.
#[derive(Debug, Clone, Default)]
pub struct CommonWords {
    /// Header names of columns that carry no data (row numbers).
    pub ignored_columns: Vec<String>,
    /// Words that open a footer row.
    pub footer_markers: Vec<String>,
}

/// One column as a kind's vocabulary file declares it.
#[derive(Debug, Clone)]
pub struct DeclaredColumn {
    /// The column's id.
    pub id: &'static str,
    /// Label, required, aliases; None when the file does not declare it.
    pub spec: Option<(String, bool, Vec<String>)>,
    /// The id of the column this one is the second reading of (`ColumnSpec::second_reading_of`).
    pub second_reading_of: Option<String>,
}

impl HeaderVocab {
    /// Builds a kind's header vocabulary; refuses a word that names two columns.
    pub fn new(
        kind: &'static str,
        list_name: &str,
        declared: Vec<DeclaredColumn>,
        common: &CommonWords,
        identify: &[Vec<String>],
        record: &[String],
    ) -> Result<HeaderVocab> {
        let mut header: HashMap<String, usize, FixedState> = HashMap::default();
        let mut columns = Vec::new();
        let ids: Vec<&'static str> = declared.iter().map(|d| d.id).collect();
        let mut second_readings = Vec::new();
        for (i, d) in declared.into_iter().enumerate() {
            let (label, required, aliases) = d
                .spec
                .unwrap_or_else(|| (d.id.to_string(), false, Vec::new()));
            let second_reading_of = match d.second_reading_of.as_deref() {
                None => None,
                Some(of) => match ids.iter().position(|id| *id == of) {
                    Some(p) if p != i => {
                        second_readings.push((i, p));
                        Some(p)
                    }
                    _ => bail!(
                        "cột «{}»: second_reading_of = «{of}» không phải một cột khác; ghi tên (id) của cột mà các tên cột này cũng là tên, ví dụ «received»",
                        d.id
                    ),
                },
            };
            // A second reading's names are the other column's: looked up as that column.
            for a in aliases.iter().filter(|_| second_reading_of.is_none()) {
                if let Some(old) = header.insert(match_key(a), i) {
                    if old != i {
                        bail!(
                            "tên cột «{a}» được khai báo cho hai cột ({} và {})",
                            columns.get(old).map(|c: &ColumnVocab| c.id).unwrap_or(d.id),
                            d.id
                        );
                    }
                }
            }
            columns.push(ColumnVocab {
                id: d.id,
                label,
                required,
                aliases,
                discarded: DISCARDED_COLUMNS.contains(&d.id),
                second_reading_of,
            });
        }
        for (i, of) in second_readings {
            if let Some(a) = columns[i]
                .aliases
                .iter()
                .find(|a| header.get(&match_key(a)) != Some(&of))
            {
                bail!(
                    "tên cột «{a}» của cột {} (cách đọc thứ hai của cột {of_id}) không phải tên của cột {of_id}; thêm nó vào aliases của cột {of_id} hoặc bỏ khỏi cột {}",
                    columns[i].id,
                    columns[i].id,
                    of_id = columns[of].id
                );
            }
        }
        let position = |id: &str| -> Result<usize> {
            match columns.iter().position(|c| c.id == id) {
                Some(p) if !columns[p].aliases.is_empty() => Ok(p),
                Some(_) => bail!("cột «{id}» dùng để nhận dạng tệp nhưng chưa có tên cột nào"),
                None => bail!("không có cột «{id}»"),
            }
        };
        let identify = identify
            .iter()
            .map(|set| set.iter().map(|c| position(c)).collect::<Result<Vec<_>>>())
            .collect::<Result<Vec<_>>>()?;
        if identify.is_empty() {
            bail!("chưa khai báo cột nhận dạng (identify)");
        }
        let record = record
            .iter()
            .map(|c| position(c))
            .collect::<Result<Vec<_>>>()?;
        let unit_column = columns.iter().position(|c| c.id == "unit");
        let unit_required = unit_column.is_some_and(|u| columns[u].required);
        Ok(HeaderVocab {
            kind,
            list_name: list_name.to_string(),
            columns,
            header,
            ignored: common
                .ignored_columns
                .iter()
                .map(|w| match_key(w))
                .collect(),
            footer_markers: common.footer_markers.iter().map(|w| match_key(w)).collect(),
            identify,
            record,
            unit_column,
            unit_required,
            unit_alternates: false,
            companion_sheets: Vec::new(),
        })
    }

    /// The column a header cell names, if any.
    pub fn column_of(&self, header: &str) -> Option<usize> {
        self.header.get(&match_key(header)).copied()
    }

    /// The label of a column in messages.
    pub fn label(&self, c: usize) -> &str {
        self.columns.get(c).map(|v| v.label.as_str()).unwrap_or("?")
    }

    /// Whether a set of recognised columns identifies this kind.
    pub fn identified_by(&self, has: impl Fn(usize) -> bool) -> bool {
        self.identify.iter().any(|set| set.iter().all(|c| has(*c)))
    }

    /// The header names of the identifying columns, for a message.
    pub fn identifying_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for set in &self.identify {
            for c in set {
                for a in &self.columns[*c].aliases {
                    if !out.contains(a) {
                        out.push(a.clone());
                    }
                }
            }
        }
        out
    }
}

/// The columns of a kind's enum, in its order, with what its vocabulary file declares of each
/// (the file's entries are taken out of `specs`).
pub fn declare<C: Ord + Copy>(
    all: &[C],
    id: impl Fn(C) -> &'static str,
    specs: &mut std::collections::BTreeMap<C, super::raw::ColumnSpec>,
) -> Vec<DeclaredColumn> {
    all.iter()
        .map(|c| {
            let spec = specs.remove(c);
            DeclaredColumn {
                id: id(*c),
                second_reading_of: spec.as_ref().and_then(|s| s.second_reading_of.clone()),
                spec: spec.map(|s| (s.label, s.required, s.aliases)),
            }
        })
        .collect()
}

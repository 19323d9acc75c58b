//! A sheet as a plain model — cells, merges, widths, print setup — between the templates and
//! rust_xlsxwriter. It is what the snapshot tests read: a layout change shows as a text diff.
//! It sits on the ground floor so that a kind can lay out its own annex sheets.

use std::fmt::Write;

use chrono::NaiveDate;
use rayon::prelude::*;

/// The look of a cell; the writer maps each to one xlsx format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// Agency block, top left.
    Agency,
    /// Agency block, bold line.
    AgencyBold,
    /// Form code, top right.
    FormCode,
    /// Title line.
    Title,
    /// Line under the title.
    Subtitle,
    /// Note above the table, right-aligned italic.
    Note,
    /// Header cell.
    Header,
    /// Column-number row.
    Numbering,
    /// Body text.
    Text,
    /// Body text, centred.
    TextCenter,
    /// Body text, indented (fields under their unit).
    TextIndent,
    /// Body integer.
    Integer,
    /// Body rate.
    Rate,
    /// Body rate below its target.
    RateFlagged,
    /// Body date.
    Date,
    /// Subtotal text.
    SubtotalText,
    /// Subtotal integer.
    SubtotalInteger,
    /// Subtotal rate.
    SubtotalRate,
    /// Total text.
    TotalText,
    /// Total integer.
    TotalInteger,
    /// Total rate.
    TotalRate,
    /// Verdict: met.
    Met,
    /// Verdict: not met.
    Missed,
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date.
    Date(NaiveDate),
    /// A formula with its computed result cached, so the sheet shows numbers unrecalculated.
    Formula {
        /// The formula, with a leading `=`.
        formula: String,
        /// The cached result.
        cached: Cached,
    },
    /// An empty cell that still carries its style (borders).
    Blank,
}

/// A formula's cached result.
#[derive(Debug, Clone, PartialEq)]
pub enum Cached {
    /// A number.
    Number(f64),
    /// A text (e.g. "—" for an absent rate).
    Text(String),
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCell {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u16,
    /// Content.
    pub value: Value,
    /// Look.
    pub style: Style,
}

/// A merged range with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u16,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u16,
    /// Text shown.
    pub text: String,
    /// Look.
    pub style: Style,
}

/// Cells of a column range equal to a text take a style (conditional formatting).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRule {
    /// First row.
    pub first_row: u32,
    /// Last row.
    pub last_row: u32,
    /// Column.
    pub col: u16,
    /// The text.
    pub equals: String,
    /// The style applied.
    pub style: Style,
}

/// A column chart of one column's values by another's categories, with a target line.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartModel {
    /// Title.
    pub title: String,
    /// Column of the categories.
    pub category_col: u16,
    /// Column of the values.
    pub value_col: u16,
    /// Column of the target values (drawn as a line), if any.
    pub target_col: Option<u16>,
    /// First data row.
    pub first_row: u32,
    /// Last data row.
    pub last_row: u32,
    /// Where the chart's top-left corner goes.
    pub at_row: u32,
    /// Header text of the value column (series name).
    pub value_name: String,
    /// Series name of the target line.
    pub target_name: String,
}

/// A whole sheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetModel {
    /// Tab name.
    pub name: String,
    /// Font of every cell.
    pub font: String,
    /// Font size of body cells.
    pub font_size: f64,
    /// Column widths, in characters.
    pub widths: Vec<f64>,
    /// Cells.
    pub cells: Vec<ModelCell>,
    /// Merged ranges.
    pub merges: Vec<Merge>,
    /// Conditional text rules.
    pub rules: Vec<TextRule>,
    /// Rows repeated at the top of every printed page (first, last).
    pub repeat_rows: Option<(u32, u32)>,
    /// First row below the frozen panes.
    pub freeze_row: u32,
    /// Columns frozen at the left.
    pub freeze_col: u16,
    /// Heights of rows that need more than one line.
    pub row_heights: Vec<(u32, f64)>,
    /// Chart, if any.
    pub chart: Option<ChartModel>,
}

/// `A1`-style name of a cell.
pub fn cell_name(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

/// `A`-style name of a column.
pub fn col_name(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

impl SheetModel {
    /// Puts a value in a cell.
    pub fn set(&mut self, row: u32, col: u16, value: Value, style: Style) {
        self.cells.push(ModelCell {
            row,
            col,
            value,
            style,
        });
    }

    /// The cell at a position, if set.
    pub fn get(&self, row: u32, col: u16) -> Option<&ModelCell> {
        self.cells.iter().find(|c| c.row == row && c.col == col)
    }

    /// A text dump of the whole sheet, one line per fact, for snapshot tests.
    pub fn dump(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "sheet «{}» font={} {}pt",
            self.name, self.font, self.font_size
        );
        let widths: Vec<String> = self.widths.iter().map(|w| format!("{w}")).collect();
        let _ = writeln!(s, "widths {}", widths.join(" "));
        let _ = writeln!(
            s,
            "freeze {} repeat {:?} heights {:?}",
            cell_name(self.freeze_row, self.freeze_col),
            self.repeat_rows.map(|(a, b)| (a + 1, b + 1)),
            self.row_heights
        );
        for m in &self.merges {
            let _ = writeln!(
                s,
                "merge {}:{} {:?} «{}»",
                cell_name(m.first_row, m.first_col),
                cell_name(m.last_row, m.last_col),
                m.style,
                m.text
            );
        }
        let mut cells = self.cells.clone();
        cells.sort_by_key(|c| (c.row, c.col));
        for c in &cells {
            let v = match &c.value {
                Value::Text(t) => format!("«{t}»"),
                Value::Number(n) => format!("{n}"),
                Value::Date(d) => d.format("%d/%m/%Y").to_string(),
                Value::Formula { formula, cached } => match cached {
                    Cached::Number(n) => format!("{formula} → {n}"),
                    Cached::Text(t) => format!("{formula} → «{t}»"),
                },
                Value::Blank => "∅".to_string(),
            };
            let _ = writeln!(s, "{} {:?} {}", cell_name(c.row, c.col), c.style, v);
        }
        for r in &self.rules {
            let _ = writeln!(
                s,
                "rule {}:{} == «{}» → {:?}",
                cell_name(r.first_row, r.col),
                cell_name(r.last_row, r.col),
                r.equals,
                r.style
            );
        }
        if let Some(c) = &self.chart {
            let _ = writeln!(
                s,
                "chart «{}» categories {}:{} values {}:{} target {:?} at {}",
                c.title,
                cell_name(c.first_row, c.category_col),
                cell_name(c.last_row, c.category_col),
                cell_name(c.first_row, c.value_col),
                cell_name(c.last_row, c.value_col),
                c.target_col.map(col_name),
                cell_name(c.at_row, 0)
            );
        }
        s
    }
}

/// The most rows a worksheet holds (Excel's limit, which `rust_xlsxwriter` enforces).
pub const MAX_SHEET_ROWS: u32 = 1_048_576;

/// The longest sheet name a workbook accepts, in characters.
const MAX_SHEET_NAME: usize = 31;

impl SheetModel {
    /// [`SheetModel::pages`] of a sheet given away: itself when it fits.
    pub fn into_pages(self, max_rows: u32) -> Vec<SheetModel> {
        let pages = self.pages(max_rows);
        if let [std::borrow::Cow::Borrowed(_)] = pages.as_slice() {
            drop(pages);
            return vec![self];
        }
        pages
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect()
    }

    /// The sheet as it fits in worksheets of `max_rows` rows: itself when it fits, else itself cut
    /// at the limit and continuation sheets «<tên> (2)», «<tên> (3)» … each repeating the header
    /// rows (the printed-title rows, else the frozen ones), so that a list longer than a sheet
    /// holds is written whole instead of failing the workbook.
    pub fn pages(&self, max_rows: u32) -> Vec<std::borrow::Cow<'_, SheetModel>> {
        let head = self
            .repeat_rows
            .map(|(_, last)| last + 1)
            .unwrap_or(self.freeze_row);
        let last_row = self
            .cells
            .iter()
            .map(|c| c.row)
            .chain(self.merges.iter().map(|m| m.last_row))
            .max()
            .unwrap_or(0);
        if last_row < max_rows || head >= max_rows {
            return vec![std::borrow::Cow::Borrowed(self)];
        }
        let capacity = max_rows - head;
        let count = (last_row + 1 - head).div_ceil(capacity);
        (0..count)
            .map(|k| {
                let start = head + k * capacity;
                let end = start + capacity; // exclusive
                let place = |r: u32| -> Option<u32> {
                    if r < head {
                        Some(r)
                    } else if (start..end).contains(&r) {
                        Some(r - k * capacity)
                    } else {
                        None
                    }
                };
                let mut page = SheetModel {
                    name: if k == 0 {
                        self.name.clone()
                    } else {
                        continuation_name(&self.name, k + 1)
                    },
                    cells: self
                        .cells
                        .iter()
                        .filter_map(|c| place(c.row).map(|row| ModelCell { row, ..c.clone() }))
                        .collect(),
                    merges: self
                        .merges
                        .iter()
                        .filter_map(|m| {
                            let first = place(m.first_row)?;
                            let last = place(m.last_row.min(end - 1)).unwrap_or(first);
                            Some(Merge {
                                first_row: first,
                                last_row: last.max(first),
                                ..m.clone()
                            })
                        })
                        .collect(),
                    rules: self
                        .rules
                        .iter()
                        .filter_map(|r| {
                            let first = r.first_row.max(start);
                            let last = r.last_row.min(end - 1);
                            (first <= last).then(|| TextRule {
                                first_row: first - k * capacity,
                                last_row: last - k * capacity,
                                ..r.clone()
                            })
                        })
                        .collect(),
                    row_heights: self
                        .row_heights
                        .iter()
                        .filter_map(|(r, h)| place(*r).map(|r| (r, *h)))
                        .collect(),
                    chart: None,
                    ..self.clone()
                };
                if k == 0 {
                    page.chart = self.chart.clone();
                }
                std::borrow::Cow::Owned(page)
            })
            .collect()
    }
}

/// «<tên> (n)», the name cut so that the whole stays within a sheet name's length.
pub(crate) fn continuation_name(name: &str, n: u32) -> String {
    let suffix = format!(" ({n})");
    let keep = MAX_SHEET_NAME.saturating_sub(suffix.chars().count());
    let base: String = name.chars().take(keep).collect();
    format!("{}{suffix}", base.trim_end())
}

/// The lines a text takes in a wrapped column of this width (in characters; 10 when unset).
pub fn text_lines(width: Option<f64>, text: &str) -> usize {
    let per_line = ((width.unwrap_or(10.0).max(4.0) * 1.15).floor() as usize).max(1);
    // No longer in bytes than a line holds letters: one line (a letter takes a byte or more),
    // without counting the letters of every cell of a long list.
    if text.len() <= per_line {
        return usize::from(!text.is_empty());
    }
    text.chars().count().div_ceil(per_line)
}

/// The height of a row of this many lines, in points.
pub fn row_height(lines: usize, font_size: f64) -> f64 {
    15.75 * lines as f64 * font_size / 12.0
}

/// Gives body rows whose wrapped text needs several lines the height for them (spreadsheet
/// programs do not all grow rows by themselves). The cells are measured side by side: a city's
/// list has millions of them, of which few need a second line.
pub fn fit_row_heights(m: &mut SheetModel, body: u32) {
    let widths = &m.widths;
    let mut tall: Vec<(u32, usize)> = m
        .cells
        .par_iter()
        .filter(|c| c.row >= body)
        .filter_map(|c| match &c.value {
            Value::Text(t) => {
                let n = text_lines(widths.get(c.col as usize).copied(), t);
                (n > 1).then_some((c.row, n))
            }
            _ => None,
        })
        .collect();
    // Each row's most lines: the last of its row once sorted.
    tall.sort_unstable();
    let font_size = m.font_size;
    let heights = tall
        .chunk_by(|a, b| a.0 == b.0)
        .filter_map(|row| row.last())
        .map(|&(r, n)| (r, row_height(n, font_size)));
    m.row_heights.extend(heights);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_lines_of_a_text_by_its_letters_not_its_bytes() {
        // A width of 10 holds 11 letters a line.
        assert_eq!(text_lines(Some(10.0), ""), 0);
        assert_eq!(text_lines(Some(10.0), "abcdefghijk"), 1);
        assert_eq!(text_lines(Some(10.0), "abcdefghijkl"), 2);
        // 10 letters in 17 bytes: one line.
        assert_eq!(text_lines(Some(10.0), "Đường Đồng"), 1);
        assert_eq!(text_lines(Some(10.0), "Đường Đồng Khởi"), 2);
    }

    #[test]
    fn a_body_row_gets_the_height_of_its_tallest_text_and_rows_in_one_line_get_none() {
        // Width 10 holds 11 letters a line; body from row 2.
        let cell = |row: u32, col: u16, value: Value| ModelCell {
            row,
            col,
            value,
            style: Style::Text,
        };
        let long = |letters: usize| Value::Text("a".repeat(letters));
        let mut m = SheetModel {
            widths: vec![10.0, 10.0],
            font_size: 12.0,
            cells: vec![
                // Row 4 listed first: the heights still come in row order.
                cell(4, 0, long(12)),
                // Above the body: a title needs no height.
                cell(0, 0, long(40)),
                // Row 2: two lines and three lines → three.
                cell(2, 0, long(20)),
                cell(2, 1, long(30)),
                // Row 3: one line, and a number.
                cell(3, 0, long(11)),
                cell(3, 1, Value::Number(123456789.0)),
            ],
            ..SheetModel::default()
        };
        fit_row_heights(&mut m, 2);
        assert_eq!(m.row_heights, [(2, 15.75 * 3.0), (4, 15.75 * 2.0)]);
    }

    #[test]
    fn names_cells_like_a_spreadsheet() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    fn text(row: u32, t: &str) -> ModelCell {
        ModelCell {
            row,
            col: 0,
            value: Value::Text(t.into()),
            style: Style::Text,
        }
    }

    /// A title row, a header row (printed on every page), then `n` list rows.
    fn list(n: u32) -> SheetModel {
        let mut cells = vec![text(0, "Danh sách"), text(1, "Mã hồ sơ")];
        cells.extend((0..n).map(|i| text(2 + i, &format!("HS-{i}"))));
        SheetModel {
            name: "Danh sách hồ sơ trễ hạn - cấp xã".into(),
            repeat_rows: Some((1, 1)),
            cells,
            ..SheetModel::default()
        }
    }

    fn texts(s: &SheetModel) -> Vec<(u32, String)> {
        s.cells
            .iter()
            .map(|c| match &c.value {
                Value::Text(t) => (c.row, t.clone()),
                _ => (c.row, String::new()),
            })
            .collect()
    }

    #[test]
    fn keeps_a_sheet_that_fits_whole() {
        let s = list(3);
        assert_eq!(s.pages(5), vec![std::borrow::Cow::Borrowed(&s)]);
    }

    #[test]
    fn continues_a_list_longer_than_a_sheet_on_sheets_that_repeat_its_header() {
        // 5 rows a sheet: 2 header rows + 3 list rows; 7 list rows → 3 sheets of 3, 3 and 1.
        let sheet = list(7);
        let pages = sheet.pages(5);
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Danh sách hồ sơ trễ hạn - cấp xã",
                "Danh sách hồ sơ trễ hạn - c (2)",
                "Danh sách hồ sơ trễ hạn - c (3)",
            ]
        );
        let row = |r: u32, t: &str| (r, t.to_string());
        assert_eq!(
            texts(&pages[0]),
            vec![
                row(0, "Danh sách"),
                row(1, "Mã hồ sơ"),
                row(2, "HS-0"),
                row(3, "HS-1"),
                row(4, "HS-2")
            ]
        );
        assert_eq!(
            texts(&pages[1]),
            vec![
                row(0, "Danh sách"),
                row(1, "Mã hồ sơ"),
                row(2, "HS-3"),
                row(3, "HS-4"),
                row(4, "HS-5")
            ]
        );
        assert_eq!(
            texts(&pages[2]),
            vec![row(0, "Danh sách"), row(1, "Mã hồ sơ"), row(2, "HS-6")]
        );
    }
}

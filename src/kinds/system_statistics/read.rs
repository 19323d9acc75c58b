//! One file's statistics tables → [`SystemTable`]s: the header found by the label column and the
//! count columns (up to three merged rows, each column read as the path of its header cells from
//! the top, merged cells written once in their top-left cell), the numbering row skipped, group
//! rows and the total row told apart from the rows of units or fields, and the window from the
//! title lines (or the input entry).
//!
//! A table whose own sums do not add up is not refused: its total row or group rows that are not
//! the sum of their rows, and rows whose total is not the sum of its parts, are named.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use serde::Serialize;

use super::{Config, Count};
use crate::config::{Fields, Level, Limits, Units};
use crate::ingest::grid::{read_grids, Grid};
use crate::ingest::header::is_numbering_row;
use crate::ingest::{column_letters, display_path};
use crate::kinds::self_report::normalize::parse_number;
use crate::model::Cell;
use crate::period::PeriodRule;
use crate::text::{clean, match_key};

/// The most header rows a statistics table has (Biểu 06 / II.06a: three).
const MAX_HEADER_ROWS: usize = 3;

/// How far down a sheet its header is looked for.
const HEADER_SEARCH_ROWS: usize = 60;

/// The fewest count columns that make a statistics table.
const MIN_COUNT_COLUMNS: usize = 3;

/// What a table's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// One row per unit.
    Unit,
    /// One row per field.
    Field,
}

/// Where a table's window comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowSource {
    /// Its title lines.
    Title,
    /// The input entry (or whoever called the reader).
    Input,
}

/// One row of a statistics table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemRow {
    /// 1-based sheet row.
    pub row: u32,
    /// The row's name as written (cleaned).
    pub label: String,
    /// The registry's name of the unit or field, when the label names one.
    pub canonical: Option<String>,
    /// The unit's level, for a registry unit.
    pub level: Option<Level>,
    /// The counts of the table's columns (an empty cell is 0).
    pub counts: BTreeMap<Count, u64>,
}

/// A total row or group row that is not the sum of the rows under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalMismatch {
    /// The total's label (`Tổng cộng`, `Cấp xã`).
    pub row: String,
    /// Its 1-based sheet row.
    pub sheet_row: u32,
    /// The count.
    pub count: Count,
    /// What the table writes.
    pub stated: u64,
    /// The sum of the rows it totals.
    pub sum_of_rows: u64,
}

/// A row whose total is not the sum of its parts (received ≠ carried over + new …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowMismatch {
    /// The row's label.
    pub row: String,
    /// Its 1-based sheet row.
    pub sheet_row: u32,
    /// The total.
    pub count: Count,
    /// What the row writes.
    pub stated: u64,
    /// The parts.
    pub parts: Vec<Count>,
    /// Their sum.
    pub sum_of_parts: u64,
}

/// One statistics table read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemTable {
    /// The file as messages name it.
    pub file: String,
    /// Sheet.
    pub sheet: String,
    /// First and last day the table covers.
    pub window: (NaiveDate, NaiveDate),
    /// Where the window comes from.
    pub window_source: WindowSource,
    /// What its rows are.
    pub by: By,
    /// The count columns, in table order: count, column letter, header as read.
    pub columns: Vec<(Count, String, String)>,
    /// Rows of units or fields.
    pub rows: Vec<SystemRow>,
    /// Group rows (`I | Cấp huyện`), with their subtotals.
    pub groups: Vec<SystemRow>,
    /// The total row, if the table has one.
    pub total: Option<SystemRow>,
    /// Totals that are not the sum of their rows.
    pub totals_not_adding_up: Vec<TotalMismatch>,
    /// Rows whose total is not the sum of its parts.
    pub rows_not_adding_up: Vec<RowMismatch>,
    /// Header columns that are no count and not ignored: `«Số đầu kỳ» (cột C)`.
    pub unknown_columns: Vec<String>,
    /// Rows under the header that are no data: 1-based row and text (signatures, notes).
    pub skipped_rows: Vec<(u32, String)>,
}

impl SystemTable {
    /// Whether the table has a column of this count.
    pub fn has(&self, count: Count) -> bool {
        self.columns.iter().any(|(c, _, _)| *c == count)
    }
}

/// What the reader needs besides the file.
pub struct ReadContext<'a> {
    /// The vocabulary.
    pub config: &'a Config,
    /// The unit registry.
    pub units: &'a Units,
    /// The field registry.
    pub fields: &'a Fields,
    /// How a title's «Quý I năm 2024» maps to days.
    pub period_rule: PeriodRule,
    /// The window the input entry gives, for a table whose title lines state none.
    pub window: Option<(NaiveDate, NaiveDate)>,
}

/// Reads every statistics table of a file (one per sheet that has one).
pub fn read(path: &Path, limits: &Limits, ctx: &ReadContext) -> Result<Vec<SystemTable>> {
    let file = display_path(path);
    if let Err(p) = crate::ingest::check_input(path, limits) {
        bail!("không đọc được {file}: {p}");
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => bail!(
            "không đọc được {file}: {}",
            crate::config::errors::io_error(&e)
        ),
    };
    let grids = match read_grids(path, &bytes, limits) {
        Ok(g) => g,
        Err(p) => bail!("không đọc được {file}: {p}"),
    };
    let mut tables = Vec::new();
    for g in &grids {
        if let Some(t) = read_grid(g, &file, ctx)? {
            tables.push(t);
        }
    }
    if tables.is_empty() {
        // A sheet titled as a statistics table whose header was not recognised is named.
        let titled = grids.iter().find_map(|g| {
            g.rows.iter().take(HEADER_SEARCH_ROWS).find_map(|r| {
                r.iter().map(text).find(|t| {
                    let w = words(&match_key(t));
                    ctx.config.title_words.iter().any(|k| w.contains(&words(k)))
                })
            })
            .map(|t| format!(" (trang «{}» có tiêu đề «{t}» nhưng không có dòng tiêu đề cột nào đọc được)", g.name))
        });
        let example: Vec<String> = [
            Count::ReceivedTotal,
            Count::ResolvedOnTime,
            Count::PendingOverdue,
        ]
        .iter()
        .map(|c| format!("«{}»", ctx.config.label(*c)))
        .collect();
        bail!(
            "{file}: không tìm thấy {} nào{} — cần một dòng tiêu đề có cột tên đơn vị (hoặc lĩnh vực) và ít nhất {MIN_COUNT_COLUMNS} cột số liệu của biểu 06 như {}; kiểm tra đây có đúng là bảng thống kê xuất từ hệ thống (Biểu 06, II.06a, thống kê OpenCPS), hoặc thêm tên cột của hệ thống vào pipelines/system-statistics.toml",
            ctx.config.list_name,
            titled.unwrap_or_default(),
            example.join(", ")
        );
    }
    Ok(tables)
}

fn text(cell: &Cell) -> String {
    clean(&cell.as_text())
}

/// A header cell's own name: its key without a trailing note in parentheses, `*` or `:`.
fn name_key(t: &str) -> String {
    let mut s = t.to_string();
    if let Some(pos) = s.find('(') {
        if !s[..pos].trim().is_empty() {
            s.truncate(pos);
        }
    }
    match_key(s.trim().trim_end_matches(['*', ':', ' ']))
}

use crate::text::padded_words as words;

/// Whether a group title contains a pattern's group words.
fn contains_words(title: &str, group: &str) -> bool {
    words(&match_key(title)).contains(&words(group))
}

/// The header path of each column for header rows `top .. top + height`: the texts from the top,
/// a merged cell's text taken by the columns it covers (left to right in the top row; below, a
/// cell under a cell of its own text continues it, a cell under a merged group takes the text
/// to its left under the same group).
fn header_paths(grid: &Grid, top: usize, height: usize) -> Vec<Vec<String>> {
    let width = (top..top + height)
        .map(|r| grid.rows.get(r).map_or(0, Vec::len))
        .max()
        .unwrap_or(0);
    let mut paths: Vec<Vec<String>> = vec![Vec::new(); width];
    // Whether the column's cell in the row above had its own text, or continued one that had.
    let mut own_above = vec![false; width];
    for k in 0..height {
        let r = top + k;
        let mut own_here = vec![false; width];
        let mut segment: Vec<Option<String>> = vec![None; width];
        for c in 0..width {
            let t = text(grid.cell(r, c));
            if !t.is_empty() {
                own_here[c] = true;
                segment[c] = Some(t);
            } else if k > 0 && own_above[c] {
                // Merged down from the cell above: nothing new.
                own_here[c] = true;
            } else if c > 0 {
                // Merged from the left, under the same group.
                let left = (0..c).rev().find(|&l| segment[l].is_some());
                if let Some(l) = left {
                    if paths[l] == paths[c] {
                        segment[c] = segment[l].clone();
                    }
                }
            }
        }
        for c in 0..width {
            if let Some(s) = &segment[c] {
                // The row's text over this column, its own or the merged cell's.
                paths[c].push(s.clone());
            }
        }
        own_above = own_here;
    }
    // A leaf column always writes its own name somewhere: one with no text in any header row is
    // a column without a header, not the continuation of the group to its left.
    for (c, path) in paths.iter_mut().enumerate() {
        if (top..top + height).all(|r| grid.cell(r, c).is_empty()) {
            path.clear();
        }
    }
    paths
}

/// The count a header path names: the most specific reading; two counts equally specific is an
/// error (their names).
fn count_of(config: &Config, path: &[String]) -> Result<Option<Count>, (Count, Count)> {
    let Some((last, groups)) = path.split_last() else {
        return Ok(None);
    };
    let name = name_key(last);
    let mut best: Option<(usize, Count)> = None;
    for p in config.patterns.iter().filter(|p| p.name == name) {
        let mut at = 0;
        let found =
            p.groups.iter().all(
                |g| match groups[at..].iter().position(|t| contains_words(t, g)) {
                    Some(i) => {
                        at += i + 1;
                        true
                    }
                    None => false,
                },
            );
        if !found {
            continue;
        }
        match best {
            Some((n, c)) if n == p.groups.len() && c != p.count => return Err((c, p.count)),
            Some((n, _)) if n >= p.groups.len() => {}
            _ => best = Some((p.groups.len(), p.count)),
        }
    }
    Ok(best.map(|(_, c)| c))
}

/// A table's header: rows, label and order columns, count columns, unknown columns.
struct Header {
    top: usize,
    height: usize,
    label_col: usize,
    order_col: Option<usize>,
    by_hint: (bool, bool),
    counts: Vec<(Count, usize, String)>,
    unknown: Vec<(usize, String)>,
}

fn find_header(grid: &Grid, config: &Config, file: &str) -> Result<Option<Header>> {
    let n = grid.rows.len().min(HEADER_SEARCH_ROWS);
    for top in 0..n {
        let row: Vec<String> = grid.rows[top].iter().map(text).collect();
        let label_col = row.iter().position(|t| {
            let k = name_key(t);
            config.unit_label_headers.contains(&k) || config.field_label_headers.contains(&k)
        });
        let Some(label_col) = label_col else { continue };
        let label_key = name_key(&row[label_col]);
        let order_col = row
            .iter()
            .position(|t| config.order_headers.contains(&name_key(t)));
        let mut best: Option<Header> = None;
        for height in 1..=MAX_HEADER_ROWS {
            let last = top + height - 1;
            if last >= grid.rows.len() || (height > 1 && is_numbering_row(&grid.rows[last])) {
                break;
            }
            let paths = header_paths(grid, top, height);
            let mut counts: Vec<(Count, usize, String)> = Vec::new();
            let mut unknown = Vec::new();
            for (c, path) in paths.iter().enumerate() {
                if c == label_col || Some(c) == order_col || path.is_empty() {
                    continue;
                }
                let shown = path.join(" / ");
                match count_of(config, path) {
                    Ok(Some(count)) => {
                        if let Some((_, other, _)) = counts.iter().find(|(k, _, _)| *k == count) {
                            bail!(
                                "{file}, trang «{}», dòng {}: hai cột cùng là «{}» (cột {} và cột {}); xóa một cột hoặc sửa tiêu đề cho đúng",
                                grid.name,
                                grid.row_number(top),
                                config.label(count),
                                letter(grid, *other),
                                letter(grid, c)
                            );
                        }
                        counts.push((count, c, shown));
                    }
                    Ok(None) => {
                        if !path.iter().any(|t| config.ignored_headers.contains(&name_key(t))) {
                            unknown.push((c, shown));
                        }
                    }
                    Err((a, b)) => bail!(
                        "{file}, trang «{}», cột {}: tiêu đề «{shown}» vừa là «{}» vừa là «{}» theo pipelines/system-statistics.toml; ghi rõ hơn một trong hai cách ghi tiêu đề",
                        grid.name,
                        letter(grid, c),
                        config.label(a),
                        config.label(b)
                    ),
                }
            }
            if counts.len() >= MIN_COUNT_COLUMNS
                && best.as_ref().is_none_or(|b| counts.len() > b.counts.len())
            {
                best = Some(Header {
                    top,
                    height,
                    label_col,
                    order_col,
                    by_hint: (
                        config.unit_label_headers.contains(&label_key),
                        config.field_label_headers.contains(&label_key),
                    ),
                    counts,
                    unknown,
                });
            }
        }
        if best.is_some() {
            return Ok(best);
        }
    }
    Ok(None)
}

fn letter(grid: &Grid, c: usize) -> String {
    column_letters(grid.first_col as usize + c)
}

/// Whether a text is a Roman numeral (a group row's number).
fn is_roman(t: &str) -> bool {
    let t = t.trim().trim_end_matches('.');
    !t.is_empty() && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// What a row under the header is.
enum Line {
    Data,
    Group,
    Total,
}

/// Reads one sheet's statistics table, if it has one.
pub fn read_grid(grid: &Grid, file: &str, ctx: &ReadContext) -> Result<Option<SystemTable>> {
    let config = ctx.config;
    let Some(h) = find_header(grid, config, file)? else {
        return Ok(None);
    };
    let title_lines: Vec<String> = grid.rows[..h.top]
        .iter()
        .map(|r| {
            r.iter()
                .map(text)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect();
    let window = window_of(&title_lines, grid, file, ctx)?;
    let mut problems = Vec::new();
    let mut rows: Vec<(SystemRow, Line)> = Vec::new();
    let mut skipped = Vec::new();
    let mut after_total = false;
    for r in h.top + h.height..grid.rows.len() {
        let cells = &grid.rows[r];
        let number = grid.row_number(r);
        let shown = cells
            .iter()
            .map(text)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" | ");
        if shown.is_empty() || (rows.is_empty() && is_numbering_row(cells)) {
            continue;
        }
        if after_total {
            skipped.push((number, shown));
            continue;
        }
        let label = text(grid.cell(r, h.label_col));
        let order = h
            .order_col
            .map(|c| text(grid.cell(r, c)))
            .unwrap_or_default();
        let mut counts = BTreeMap::new();
        let mut any_number = false;
        for (count, c, header) in &h.counts {
            let cell = grid.cell(r, *c);
            match count_cell(cell) {
                Ok(Some(v)) => {
                    any_number = true;
                    counts.insert(*count, v);
                }
                Ok(None) => {
                    counts.insert(*count, 0);
                }
                Err(why) => problems.push(format!(
                    "{file}, trang «{}», dòng {number}, cột {} («{header}»): {why}; cần số hồ sơ là số nguyên không âm (để trống hoặc ghi 0 nếu không có hồ sơ) — sửa ô này rồi chạy lại",
                    grid.name,
                    letter(grid, *c)
                )),
            }
        }
        let key_of = |t: &str| match_key(t).trim_end_matches([':', ' ', '.']).to_string();
        let first_text = cells.iter().map(text).find(|t| !t.is_empty());
        let is_total = [Some(label.as_str()), first_text.as_deref()]
            .into_iter()
            .flatten()
            .any(|t| config.total_words.contains(&key_of(t)));
        let line = if is_total {
            after_total = true;
            Line::Total
        } else if is_roman(&order)
            || config
                .group_words
                .iter()
                .any(|g| words(&match_key(&label)).starts_with(&words(g)))
        {
            Line::Group
        } else {
            Line::Data
        };
        let resolves = !label.is_empty()
            && (ctx.units.find(&label).is_some() || ctx.fields.find(&label).is_some());
        if !any_number && !resolves && !matches!(line, Line::Total) {
            skipped.push((number, shown));
            continue;
        }
        if label.is_empty() && matches!(line, Line::Data) {
            problems.push(format!(
                "{file}, trang «{}», dòng {number}, cột {}: dòng có số liệu nhưng không có tên đơn vị hay lĩnh vực; ghi tên vào ô này (hoặc xóa dòng nếu thừa) rồi chạy lại",
                grid.name,
                letter(grid, h.label_col)
            ));
            continue;
        }
        let label = if label.is_empty() {
            first_text.unwrap_or_default()
        } else {
            label
        };
        rows.push((
            SystemRow {
                row: number,
                label,
                canonical: None,
                level: None,
                counts,
            },
            line,
        ));
    }
    if !problems.is_empty() {
        bail!(
            "{} có ô không đọc được:\n{}",
            config.list_name,
            problems.join("\n")
        );
    }
    let by = by_of(&h, &rows, ctx);
    let mut table = SystemTable {
        file: file.to_string(),
        sheet: grid.name.clone(),
        window: window.0,
        window_source: window.1,
        by,
        columns: h
            .counts
            .iter()
            .map(|(c, k, s)| (*c, letter(grid, *k), s.clone()))
            .collect(),
        rows: Vec::new(),
        groups: Vec::new(),
        total: None,
        totals_not_adding_up: Vec::new(),
        rows_not_adding_up: Vec::new(),
        unknown_columns: h
            .unknown
            .iter()
            .map(|(c, s)| format!("«{s}» (cột {})", letter(grid, *c)))
            .collect(),
        skipped_rows: skipped,
    };
    // Each group's rows, to check its subtotal.
    let mut members: Vec<(usize, Vec<usize>)> = Vec::new();
    for (mut row, line) in rows {
        match line {
            Line::Total => table.total = Some(row),
            Line::Group => {
                members.push((table.groups.len(), Vec::new()));
                table.groups.push(row);
            }
            Line::Data => {
                match by {
                    By::Unit => {
                        if let Some(u) = ctx.units.find(&row.label) {
                            row.canonical = Some(u.name.clone());
                            row.level = Some(u.level);
                        }
                    }
                    By::Field => row.canonical = ctx.fields.find(&row.label).map(str::to_string),
                }
                if let Some((_, m)) = members.last_mut() {
                    m.push(table.rows.len());
                }
                table.rows.push(row);
            }
        }
    }
    check_sums(&mut table, &members);
    Ok(Some(table))
}

/// A count cell: empty (None), a whole number of dossiers, or why it is not one.
fn count_cell(cell: &Cell) -> Result<Option<u64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    if let Cell::Text(t) = cell {
        if matches!(t.trim(), "-" | "—" | "–") {
            return Ok(None);
        }
    }
    match parse_number(cell) {
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v < 1e12 => Ok(Some(v as u64)),
        Some(_) => Err(format!(
            "«{}» không phải số nguyên không âm",
            cell.as_text()
        )),
        None => Err(format!("«{}» không phải số", cell.as_text())),
    }
}

/// Units or fields: the label column's name when only one list has it, else what the labels
/// name in the registries (units on a tie).
fn by_of(h: &Header, rows: &[(SystemRow, Line)], ctx: &ReadContext) -> By {
    match h.by_hint {
        (true, false) => By::Unit,
        (false, true) => By::Field,
        _ => {
            let data = rows.iter().filter(|(_, l)| matches!(l, Line::Data));
            let (mut units, mut fields) = (0, 0);
            for (r, _) in data {
                units += usize::from(ctx.units.find(&r.label).is_some());
                fields += usize::from(ctx.fields.find(&r.label).is_some());
            }
            if fields > units {
                By::Field
            } else {
                By::Unit
            }
        }
    }
}

/// The window the title lines state — a «Từ ngày … đến ngày …» line before a «Quý I năm 2024»
/// one — else the input entry's; both, when they differ, is an error.
fn window_of(
    lines: &[String],
    grid: &Grid,
    file: &str,
    ctx: &ReadContext,
) -> Result<((NaiveDate, NaiveDate), WindowSource)> {
    use crate::kinds::satisfaction::normalize::stated_period;
    let explicit: Vec<String> = lines
        .iter()
        .filter(|l| {
            let k = match_key(l);
            k.contains("từ") && k.contains("đến")
        })
        .cloned()
        .collect();
    let title =
        stated_period(&explicit, ctx.period_rule).or_else(|| stated_period(lines, ctx.period_rule));
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    match (title, ctx.window) {
        (Some(t), Some(given)) if t != given => bail!(
            "{file}, trang «{}»: dòng tiêu đề ghi kỳ từ {} đến {} nhưng mục [[inputs]] của tệp quy trình khai báo từ {} đến {}; sửa khai báo period của mục này (hoặc dùng đúng bảng của kỳ) rồi chạy lại",
            grid.name,
            day(t.0),
            day(t.1),
            day(given.0),
            day(given.1)
        ),
        (Some(t), _) => Ok((t, WindowSource::Title)),
        (None, Some(given)) => Ok((given, WindowSource::Input)),
        (None, None) => bail!(
            "{file}, trang «{}»: {} không ghi kỳ số liệu — cần một dòng tiêu đề như «Từ ngày 15/12/2023 đến ngày 14/03/2024» hoặc «Quý I năm 2024», hoặc khai báo period trong mục [[inputs]] của tệp quy trình",
            grid.name,
            ctx.config.list_name
        ),
    }
}

/// The counts of `total` that are not the sum of `rows`.
fn unsummed(total: &SystemRow, rows: &[&SystemRow], counts: &[Count]) -> Vec<TotalMismatch> {
    let mut out = Vec::new();
    for &c in counts {
        let stated = total.counts.get(&c).copied().unwrap_or(0);
        let sum: u64 = rows
            .iter()
            .map(|r| r.counts.get(&c).copied().unwrap_or(0))
            .sum();
        if sum != stated {
            out.push(TotalMismatch {
                row: total.label.clone(),
                sheet_row: total.row,
                count: c,
                stated,
                sum_of_rows: sum,
            });
        }
    }
    out
}

/// Names the totals that are not the sum of their rows, and the rows whose total is not the sum
/// of its parts.
fn check_sums(table: &mut SystemTable, members: &[(usize, Vec<usize>)]) {
    let counts: Vec<Count> = table.columns.iter().map(|(c, _, _)| *c).collect();
    let mut totals = Vec::new();
    for (g, rows) in members {
        let rows: Vec<&SystemRow> = rows.iter().map(|i| &table.rows[*i]).collect();
        totals.extend(unsummed(&table.groups[*g], &rows, &counts));
    }
    if let Some(total) = &table.total {
        // A table of group rows only totals its groups.
        let rows: Vec<&SystemRow> = if table.rows.is_empty() {
            table.groups.iter().collect()
        } else {
            table.rows.iter().collect()
        };
        totals.extend(unsummed(total, &rows, &counts));
    }
    let mut within = Vec::new();
    let all = table
        .rows
        .iter()
        .chain(&table.groups)
        .chain(table.total.iter());
    for row in all {
        for (total, parts) in Count::identities() {
            let has = |c: &Count| counts.contains(c);
            if !has(total) || !parts.iter().all(has) {
                continue;
            }
            let stated = row.counts[total];
            let sum: u64 = parts.iter().map(|p| row.counts[p]).sum();
            if sum != stated {
                within.push(RowMismatch {
                    row: row.label.clone(),
                    sheet_row: row.row,
                    count: *total,
                    stated,
                    parts: parts.to_vec(),
                    sum_of_parts: sum,
                });
            }
        }
    }
    within.sort_by_key(|m| m.sheet_row);
    table.totals_not_adding_up = totals;
    table.rows_not_adding_up = within;
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::config::Pipeline;

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| {
            crate::kinds::load_pipeline(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/quarterly.toml"),
            )
            .unwrap()
        })
    }

    fn config() -> &'static Config {
        static C: OnceLock<Config> = OnceLock::new();
        C.get_or_init(|| {
            Config::load(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/system-statistics.toml"),
            )
            .unwrap()
        })
    }

    fn ctx(window: Option<(NaiveDate, NaiveDate)>) -> ReadContext<'static> {
        ReadContext {
            config: config(),
            units: &pipeline().units,
            fields: &pipeline().fields,
            period_rule: PeriodRule::Nd09,
            window,
        }
    }

    /// A grid from rows of cells written as text: "" empty, a number as a number.
    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "Biểu".into(),
            first_row: 0,
            first_col: 0,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| match (t.is_empty(), t.parse::<f64>()) {
                            (true, _) => Cell::Empty,
                            (false, Ok(n)) => Cell::Number(n),
                            (false, Err(_)) => Cell::Text((*t).into()),
                        })
                        .collect()
                })
                .collect(),
            encoding: None,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const Q1: (NaiveDate, NaiveDate) = (
        NaiveDate::from_ymd_opt(2023, 12, 15).unwrap(),
        NaiveDate::from_ymd_opt(2024, 3, 14).unwrap(),
    );

    /// Biểu II.06a: title lines, three merged header rows, the numbering row, group rows.
    fn ii06a(total_received: &str) -> Grid {
        grid(&[
            &["Biểu số II.06a/VPCP/KSTT"],
            &["Kỳ báo cáo: Quý I năm 2024"],
            &[
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Đơn vị tính: Số hồ sơ",
            ],
            &[
                "TT",
                "Lĩnh vực, công việc giải quyết theo cấp",
                "Tiếp nhận",
                "",
                "",
                "",
                "Số lượng hồ sơ đã giải quyết",
                "",
                "",
                "",
                "Số lượng hồ sơ đang giải quyết",
                "",
                "",
            ],
            &[
                "",
                "",
                "Tổng số",
                "Trong đó",
                "",
                "Từ kỳ trước",
                "Tổng số",
                "Trước hạn",
                "Đúng hạn (Bao gồm cả hồ sơ chờ Bổ sung và Trả lại/Xin rút)",
                "Quá hạn",
                "Tổng số",
                "Trong hạn",
                "Quá hạn",
            ],
            &[
                "",
                "",
                "",
                "Trực tuyến",
                "Trực tiếp, dịch vụ bưu chính",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)",
                "(12)", "(13)",
            ],
            &[
                "I",
                "Cấp huyện",
                "5",
                "1",
                "2",
                "2",
                "3",
                "2",
                "0",
                "1",
                "2",
                "2",
                "0",
            ],
            &[
                "1",
                "Phòng Tư pháp",
                "5",
                "1",
                "2",
                "2",
                "3",
                "2",
                "0",
                "1",
                "2",
                "2",
                "0",
            ],
            &[
                "II",
                "Cấp xã",
                "2",
                "0",
                "2",
                "0",
                "2",
                "0",
                "2",
                "0",
                "0",
                "0",
                "0",
            ],
            &[
                "1",
                "UBND xã Bà Điểm",
                "2",
                "0",
                "2",
                "0",
                "2",
                "0",
                "2",
                "0",
                "",
                "",
                "",
            ],
            &[
                "",
                "Tổng cộng",
                total_received,
                "1",
                "4",
                "2",
                "5",
                "2",
                "2",
                "1",
                "2",
                "2",
                "0",
            ],
            &[],
            &[
                "",
                "NGƯỜI LẬP BIỂU",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "THỦ TRƯỞNG ĐƠN VỊ",
            ],
        ])
    }

    #[test]
    fn reads_three_merged_header_rows_under_the_numbering_row() {
        let t = read_grid(&ii06a("7"), "b.xlsx", &ctx(None))
            .unwrap()
            .unwrap();
        let columns: Vec<(Count, &str)> =
            t.columns.iter().map(|(c, l, _)| (*c, l.as_str())).collect();
        assert_eq!(
            columns,
            [
                (Count::ReceivedTotal, "C"),
                (Count::NewOnline, "D"),
                (Count::NewDirectPostal, "E"),
                (Count::CarriedOver, "F"),
                (Count::ResolvedTotal, "G"),
                (Count::ResolvedEarly, "H"),
                (Count::ResolvedOnTime, "I"),
                (Count::ResolvedLate, "J"),
                (Count::PendingTotal, "K"),
                (Count::PendingWithin, "L"),
                (Count::PendingOverdue, "M"),
            ]
        );
        assert_eq!(
            t.columns[2].2,
            "Tiếp nhận / Trong đó / Trực tiếp, dịch vụ bưu chính"
        );
        assert_eq!(t.by, By::Unit);
        let names: Vec<_> = t
            .rows
            .iter()
            .map(|r| (r.row, r.canonical.as_deref(), r.level))
            .collect();
        assert_eq!(
            names,
            [
                (9, Some("Phòng Tư pháp"), Some(Level::Huyen)),
                (11, Some("Xã Bà Điểm"), Some(Level::Xa))
            ]
        );
        assert_eq!(
            t.rows[1].counts[&Count::PendingTotal],
            0,
            "an empty cell is 0"
        );
        assert_eq!(t.groups.len(), 2);
        assert_eq!(t.total.as_ref().unwrap().row, 12);
        assert!(
            t.totals_not_adding_up.is_empty(),
            "{:?}",
            t.totals_not_adding_up
        );
        assert!(
            t.rows_not_adding_up.is_empty(),
            "{:?}",
            t.rows_not_adding_up
        );
        assert!(t.unknown_columns.is_empty(), "{:?}", t.unknown_columns);
        assert_eq!(
            t.skipped_rows,
            [(14, "NGƯỜI LẬP BIỂU | THỦ TRƯỞNG ĐƠN VỊ".to_string())]
        );
        // «Quý I năm 2024» under nd09.
        assert_eq!((t.window, t.window_source), (Q1, WindowSource::Title));
    }

    #[test]
    fn names_a_total_that_is_not_the_sum_of_its_rows() {
        let t = read_grid(&ii06a("8"), "b.xlsx", &ctx(None))
            .unwrap()
            .unwrap();
        assert_eq!(
            t.totals_not_adding_up,
            [TotalMismatch {
                row: "Tổng cộng".into(),
                sheet_row: 12,
                count: Count::ReceivedTotal,
                stated: 8,
                sum_of_rows: 7,
            }]
        );
        // The total row's own sums: 8 ≠ 2 + 1 + 4 and 8 ≠ 5 + 2.
        let own: Vec<(u32, Count, u64, u64)> = t
            .rows_not_adding_up
            .iter()
            .map(|m| (m.sheet_row, m.count, m.stated, m.sum_of_parts))
            .collect();
        assert_eq!(
            own,
            [
                (12, Count::ReceivedTotal, 8, 7),
                (12, Count::ReceivedTotal, 8, 7)
            ]
        );
    }

    /// OpenCPS: a two-row header, «Sớm hạn / Đúng hạn / Trễ hạn», «Chưa đến hạn», window line.
    fn opencps(extra: &str, cell: &str) -> Grid {
        grid(&[
            &["THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"],
            &["Từ ngày 15/12/2023 đến ngày 14/03/2024"],
            &[
                "STT",
                "Đơn vị",
                "Tiếp nhận",
                "",
                "",
                "Đã giải quyết",
                "",
                "",
                "",
                "Đang giải quyết",
                "",
                "",
                extra,
            ],
            &[
                "",
                "",
                "Tổng số",
                "Kỳ trước chuyển qua",
                "Tiếp nhận trong kỳ",
                "Tổng số",
                "Sớm hạn",
                "Đúng hạn",
                "Trễ hạn",
                "Tổng số",
                "Chưa đến hạn",
                "Quá hạn",
            ],
            &[
                "1",
                "Phòng Tư pháp",
                "4",
                "0",
                "4",
                "3",
                "1",
                "2",
                "0",
                "1",
                "1",
                cell,
                "9",
            ],
        ])
    }

    #[test]
    fn reads_a_two_row_header_and_names_unknown_and_ignored_columns() {
        let t = read_grid(&opencps("Số hồ sơ trả lại", "0"), "t.xlsx", &ctx(None))
            .unwrap()
            .unwrap();
        let counts: Vec<Count> = t.columns.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(
            counts,
            [
                Count::ReceivedTotal,
                Count::CarriedOver,
                Count::NewTotal,
                Count::ResolvedTotal,
                Count::ResolvedEarly,
                Count::ResolvedOnTime,
                Count::ResolvedLate,
                Count::PendingTotal,
                Count::PendingWithin,
                Count::PendingOverdue,
            ]
        );
        assert_eq!(t.unknown_columns, ["«Số hồ sơ trả lại» (cột M)"]);
        assert_eq!((t.window, t.window_source), (Q1, WindowSource::Title));
        let ignored = read_grid(&opencps("Số đầu kỳ", "0"), "t.xlsx", &ctx(None))
            .unwrap()
            .unwrap();
        assert!(ignored.unknown_columns.is_empty());
    }

    #[test]
    fn a_cell_that_is_no_count_names_file_sheet_row_column_and_the_fix() {
        let e = read_grid(&opencps("", "hai"), "thong-ke.xlsx", &ctx(None))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("thong-ke.xlsx, trang «Biểu», dòng 5, cột L («Đang giải quyết / Quá hạn»): «hai» không phải số")
                && e.contains("sửa ô này rồi chạy lại"),
            "{e}"
        );
        let e = read_grid(&opencps("", "1,5"), "t.xlsx", &ctx(None))
            .unwrap_err()
            .to_string();
        assert!(e.contains("«1,5» không phải số nguyên không âm"), "{e}");
    }

    fn without_title(label: &str, first: &str, second: &str) -> Grid {
        grid(&[
            &[
                "STT",
                label,
                "Tiếp nhận",
                "",
                "Đã giải quyết",
                "",
                "",
                "Đang giải quyết",
            ],
            &[
                "",
                "",
                "Tổng số",
                "Từ kỳ trước",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
                "Tổng số",
            ],
            &["1", first, "3", "1", "1", "1", "0", "1"],
            &["2", second, "2", "0", "0", "1", "1", "0"],
            &["", "Tổng số", "5", "1", "1", "2", "1", "1"],
        ])
    }

    #[test]
    fn the_window_comes_from_the_input_entry_when_no_title_states_one() {
        let g = without_title("Đơn vị", "Phòng Tư pháp", "Xã Bà Điểm");
        let t = read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap();
        assert_eq!((t.window, t.window_source), (Q1, WindowSource::Input));
        let e = read_grid(&g, "t.csv", &ctx(None)).unwrap_err().to_string();
        assert!(
            e.contains("t.csv, trang «Biểu»: bảng thống kê của hệ thống không ghi kỳ số liệu")
                && e.contains("khai báo period trong mục [[inputs]]"),
            "{e}"
        );
        let other = (day(2024, 3, 15), day(2024, 6, 14));
        let e = read_grid(&opencps("", "0"), "t.xlsx", &ctx(Some(other)))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("dòng tiêu đề ghi kỳ từ 15/12/2023 đến 14/03/2024")
                && e.contains("khai báo từ 15/03/2024 đến 14/06/2024"),
            "{e}"
        );
    }

    #[test]
    fn rows_of_fields_under_a_field_column_and_under_the_ii06a_wording() {
        let g = without_title("Lĩnh vực", "Hộ tịch", "Chứng thực");
        let t = read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap();
        assert_eq!(t.by, By::Field);
        let names: Vec<_> = t.rows.iter().map(|r| r.canonical.as_deref()).collect();
        assert_eq!(names, [Some("Hộ tịch"), Some("Chứng thực")]);
        assert!(t.totals_not_adding_up.is_empty());
        // «Lĩnh vực, công việc giải quyết theo cấp» is both: the names decide.
        let g = without_title(
            "Lĩnh vực, công việc giải quyết theo cấp",
            "Hộ tịch",
            "Chứng thực",
        );
        assert_eq!(
            read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap().by,
            By::Field
        );
        let g = without_title(
            "Lĩnh vực, công việc giải quyết theo cấp",
            "Phòng Tư pháp",
            "Hộ tịch",
        );
        assert_eq!(
            read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap().by,
            By::Unit
        );
    }

    #[test]
    fn a_unit_the_registry_does_not_know_is_kept_as_written() {
        let g = without_title("Đơn vị", "Phòng Tư pháp", "Văn phòng HĐND&UBND");
        let t = read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap();
        assert_eq!(t.rows[1].label, "Văn phòng HĐND&UBND");
        assert_eq!(t.rows[1].canonical, None);
    }

    #[test]
    fn reads_the_ii06a_template_as_tan_dan_writes_it_in_html() {
        // The template's table (shared/data/real-exports), its title lines outside the table:
        // the window comes from the input entry.
        let numbers: String = (1..=13).map(|i| format!("<td>({i})</td>")).collect();
        let html = format!(
            r#"<table><tr><td rowspan="3"><strong>TT</strong></td>
            <td rowspan="3">Lĩnh vực, công việc giải quyết theo cấp</td>
            <td colspan="4">Tiếp nhận</td><td colspan="4">Số lượng hồ sơ đã giải quyết</td>
            <td colspan="3">Số lượng hồ sơ đang giải quyết</td></tr>
            <tr><td rowspan="2">Tổng số</td><td colspan="2">Trong đó</td>
            <td rowspan="2">Từ kỳ trước</td><td rowspan="2">Tổng số</td><td rowspan="2">Trước hạn</td>
            <td rowspan="2">Đúng hạn<br /><span>(Bao gồm cả hồ sơ chờ Bổ sung và Trả lại/Xin rút)</span></td>
            <td rowspan="2">Quá hạn</td><td rowspan="2">Tổng số</td>
            <td rowspan="2">Trong hạn<br /><span>(Bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác)</span></td>
            <td rowspan="2">Quá hạn</td></tr>
            <tr><td>Trực tuyến</td><td>Trực tiếp, dịch vụ bưu chính</td></tr>
            <tr>{numbers}</tr>
            <tr><td>1</td><td>Phòng Tư pháp</td><td>3</td><td>1</td><td>1</td><td>1</td><td>2</td>
            <td>1</td><td>1</td><td>0</td><td>1</td><td>0</td><td>1</td></tr></table>"#
        );
        let grids = crate::ingest::html::read_tables(&html, &pipeline().limits).unwrap();
        let t = read_grid(&grids[0], "mau.xls", &ctx(Some(Q1)))
            .unwrap()
            .unwrap();
        assert_eq!(t.columns.len(), 11);
        assert_eq!(t.window_source, WindowSource::Input);
        let row: Vec<u64> = t.rows[0].counts.values().copied().collect();
        // In count order: received, carried, online, direct+postal, resolved, early, on time,
        // late, pending, within, overdue.
        assert_eq!(row, [3, 1, 1, 1, 2, 1, 1, 0, 1, 0, 1]);
        assert!(t.rows_not_adding_up.is_empty());
    }

    #[test]
    fn a_group_row_that_is_not_the_sum_of_its_rows_is_named() {
        let g = grid(&[
            &[
                "TT",
                "Đơn vị",
                "Tiếp nhận",
                "",
                "Đã giải quyết",
                "",
                "",
                "Đang giải quyết",
            ],
            &[
                "",
                "",
                "Tổng số",
                "Từ kỳ trước",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
                "Tổng số",
            ],
            &["II", "Cấp xã", "4", "0", "1", "2", "0", "1"],
            &["1", "Xã Bà Điểm", "2", "0", "1", "1", "0", "0"],
            &["2", "Xã Đông Thạnh", "1", "0", "0", "0", "0", "1"],
        ]);
        let t = read_grid(&g, "t.csv", &ctx(Some(Q1))).unwrap().unwrap();
        let named: Vec<_> = t
            .totals_not_adding_up
            .iter()
            .map(|m| {
                (
                    m.row.as_str(),
                    m.sheet_row,
                    m.count,
                    m.stated,
                    m.sum_of_rows,
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("Cấp xã", 3, Count::ReceivedTotal, 4, 3),
                ("Cấp xã", 3, Count::ResolvedOnTime, 2, 1)
            ]
        );
    }

    #[test]
    fn a_sheet_without_count_columns_is_no_statistics_table() {
        let g = grid(&[
            &["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
            &["1", "H29-1", "Phòng Tư pháp", "05/01/2024"],
        ]);
        assert!(read_grid(&g, "d.csv", &ctx(Some(Q1))).unwrap().is_none());
    }

    #[test]
    fn a_file_with_no_statistics_table_says_what_is_expected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "STT,Mã hồ sơ,Đơn vị\n1,H29-1,Phòng Tư pháp\n").unwrap();
        let e = read(&p, &pipeline().limits, &ctx(Some(Q1)))
            .unwrap_err()
            .to_string();
        assert!(!e.contains("có tiêu đề"), "{e}");
        std::fs::write(
            &p,
            "Biểu số II.06a/VPCP/KSTT\nTT,Tên,Số\n1,Phòng Tư pháp,3\n",
        )
        .unwrap();
        let e = read(&p, &pipeline().limits, &ctx(Some(Q1)))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("không tìm thấy bảng thống kê của hệ thống nào (trang «d.csv» có tiêu đề «Biểu số II.06a/VPCP/KSTT» nhưng không có dòng tiêu đề cột nào đọc được)")
                && e.contains("«Tổng số hồ sơ tiếp nhận»")
                && e.contains("pipelines/system-statistics.toml"),
            "{e}"
        );
    }
}

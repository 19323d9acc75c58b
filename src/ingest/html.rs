//! HTML table exports — what many web systems save as ".xls" — read as sheets: one grid per
//! `<table>`, in the order the tables open.
//!
//! A small, forgiving reader rather than a browser engine: exports are machine-written but often
//! loose (cells and rows left unclosed, upper-case tags, `&nbsp;`). It knows `table`, `tr`,
//! `td`/`th` (with `colspan` / `rowspan`), `caption`, `br` and the block tags that break lines;
//! it skips comments, `<script>` and `<style>`; it decodes every HTML5 named entity and numeric
//! references. A spanned cell is laid out as a spreadsheet's merged cell is read: its text in the
//! top-left position, the other positions it covers empty — so a two-row merged header behaves
//! as in an xlsx. A table inside a cell is a grid of its own. The lines of text between two
//! tables (titles such as the unit's name and the report's period) become the first rows of the
//! table that follows them, like the title lines above a header in a workbook.

use crate::config::Limits;
use crate::model::Cell;

use super::sheet_grid::Grid;

/// At most this many text lines before a table are kept as its title rows.
const TITLE_LINES: usize = 20;
/// Spans are capped: a malformed `colspan="100000"` must not allocate a huge row.
const MAX_COLSPAN: usize = 1_000;
const MAX_ROWSPAN: usize = 10_000;

/// One table being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    /// Positions covered by a rowspan from above: (row, col).
    covered: std::collections::HashSet<(usize, usize)>,
    in_row: bool,
    /// The cell being read: its text, span, and whether it is a caption.
    cell: Option<OpenCell>,
    /// The column the next cell of the current row starts at or after.
    next_col: usize,
    /// The table's texts, each held once.
    texts: super::texts::Texts,
}

struct OpenCell {
    text: String,
    colspan: usize,
    rowspan: usize,
    caption: bool,
}

impl Table {
    fn start_row(&mut self) {
        self.end_cell();
        self.rows.push(Vec::new());
        self.in_row = true;
        self.next_col = 0;
    }

    fn end_row(&mut self) {
        self.end_cell();
        self.in_row = false;
    }

    fn start_cell(&mut self, colspan: usize, rowspan: usize) {
        self.end_cell();
        if !self.in_row {
            self.start_row();
        }
        self.cell = Some(OpenCell {
            text: String::new(),
            colspan,
            rowspan,
            caption: false,
        });
    }

    fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let text = tidy(&cell.text);
        let value = self.texts.cell(&text);
        if cell.caption {
            // A caption of control characters only still holds a row, empty once cleaned.
            if !text.is_empty() {
                self.rows.push(vec![value]);
            }
            return;
        }
        let r = self.rows.len() - 1;
        let mut c = self.next_col;
        while self.covered.contains(&(r, c)) {
            c += 1;
        }
        for dr in 0..cell.rowspan {
            for dc in 0..cell.colspan {
                if dr > 0 || dc > 0 {
                    self.covered.insert((r + dr, c + dc));
                }
            }
        }
        let row = &mut self.rows[r];
        if row.len() < c + cell.colspan {
            row.resize(c + cell.colspan, Cell::Empty);
        }
        row[c] = value;
        self.next_col = c + cell.colspan;
    }

    fn text(&mut self, t: &str) {
        if let Some(cell) = &mut self.cell {
            cell.text.push_str(t);
        }
    }

    /// The rows, widened to take the cells rows spanned from above.
    fn finish(mut self) -> Vec<Vec<Cell>> {
        self.end_row();
        for (r, c) in &self.covered {
            if let Some(row) = self.rows.get_mut(*r) {
                if row.len() <= *c {
                    row.resize(c + 1, Cell::Empty);
                }
            }
        }
        // A rowspan reaching past the last row adds no rows.
        self.rows
    }
}

/// White space collapsed as a browser shows it; `<br>` (kept as `\n`) ends a line.
fn tidy(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            line.split(|c: char| c.is_whitespace() || c == '\u{a0}')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Decodes character references: every HTML5 named entity (with its `;`; the common few also
/// without), `&#NNN;` and `&#xHHH;`. Anything else is left as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let body = &rest[1..];
        let end = body
            .char_indices()
            .take(40)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .map(|(i, _)| i)
            .unwrap_or(body.len().min(40));
        let name = &body[..end];
        let has_semi = body[end..].starts_with(';');
        let resolved: Option<String> = if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            code.map(|c| char::from_u32(c).unwrap_or('\u{fffd}').to_string())
        } else if has_semi {
            quick_xml::escape::resolve_html5_entity(name).map(str::to_string)
        } else {
            match name {
                "nbsp" => Some("\u{a0}".into()),
                "amp" => Some("&".into()),
                "lt" => Some("<".into()),
                "gt" => Some(">".into()),
                "quot" => Some("\"".into()),
                _ => None,
            }
        };
        match resolved {
            Some(r) if !name.is_empty() => {
                out.push_str(&r);
                rest = &body[end + usize::from(has_semi)..];
            }
            _ => {
                out.push('&');
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tag: its lower-case name, whether it closes, its raw attribute text.
struct Tag<'a> {
    name: String,
    closing: bool,
    attrs: &'a str,
}

impl Tag<'_> {
    /// An attribute's value (`colspan="2"`, `colspan=2`, `COLSPAN='2'`).
    fn attr(&self, name: &str) -> Option<String> {
        let lower = self.attrs.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut from = 0;
        while let Some(pos) = lower[from..].find(name) {
            let at = from + pos;
            from = at + name.len();
            let before_ok =
                at == 0 || (!bytes[at - 1].is_ascii_alphanumeric() && bytes[at - 1] != b'-');
            let after = lower[from..].trim_start();
            if !before_ok || !after.starts_with('=') {
                continue;
            }
            let v = after[1..].trim_start();
            let start = lower.len() - v.len();
            let raw = &self.attrs[start..];
            let value = match raw.chars().next() {
                Some(q @ ('"' | '\'')) => raw[1..].split(q).next().unwrap_or(""),
                _ => raw
                    .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .next()
                    .unwrap_or(""),
            };
            return Some(decode_entities(value));
        }
        None
    }

    /// A span as written (at least 1; a number too long to parse is the largest).
    fn span(&self, name: &str) -> u64 {
        self.attr(name)
            .map(|v| {
                let v = v.trim();
                match v.parse::<u64>() {
                    Ok(n) => n,
                    Err(_) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
                    Err(_) => 1,
                }
            })
            .unwrap_or(1)
            .max(1)
    }
}

/// Parses a tag at the start of `s` (which begins with `<`); returns it and the bytes it takes.
fn parse_tag(s: &str) -> Option<(Tag<'_>, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b':' || b[i] == b'-') {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let attrs_start = i;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'>') => break,
            (None, q @ (b'"' | b'\'')) if b[i - 1].is_ascii_whitespace() || b[i - 1] == b'=' => {
                quote = Some(q)
            }
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        i += 1;
    }
    let end = (i + 1).min(b.len());
    Some((
        Tag {
            name,
            closing,
            attrs: &s[attrs_start..i.min(s.len())],
        },
        end,
    ))
}

/// The charset an HTML file declares in a `<meta>` (ASCII-compatible bytes only).
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: String = head
        .iter()
        .map(|b| (*b as char).to_ascii_lowercase())
        .collect();
    let at = lower.find("charset=")?;
    let v = lower[at + 8..].trim_start_matches(['"', '\'', ' ']);
    let name: String = v
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The first place of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case, without
/// copying `hay`: finding each `</script` must not cost the rest of the file.
fn find_ignoring_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = n.first()?;
    let mut from = 0;
    while let Some(p) = h[from..]
        .iter()
        .position(|b| b.to_ascii_lowercase() == *first)
    {
        let at = from + p;
        if h.len() - at >= n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Every table of an HTML text as a grid named «Bảng 1», «Bảng 2» … (without the encoding).
/// Refused beyond the limits: a cell spanning more than `html_span_cells` cells, tables
/// nested deeper than `html_table_depth`, or spans covering more than `cells` in all.
pub fn read_tables(text: &str, limits: &Limits) -> Result<Vec<Grid>, super::FileProblem> {
    let over = |what: String, setting: &'static str, limit: u64| super::FileProblem::OverLimit {
        what,
        setting,
        limit,
    };
    let mut spanned = 0u64;
    let mut done: Vec<(usize, Vec<Vec<Cell>>)> = Vec::new();
    // Open tables, innermost last, each with its order of opening.
    let mut open: Vec<(usize, Table)> = Vec::new();
    let mut opened = 0usize;
    // Text outside any table, as lines.
    let mut loose: Vec<String> = Vec::new();
    let mut line = String::new();
    let flush = |line: &mut String, loose: &mut Vec<String>| {
        let t = tidy(&decode_entities(line));
        if !t.is_empty() {
            loose.push(t);
        }
        line.clear();
    };
    let mut rest = text;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            match open.last_mut() {
                Some((_, t)) => t.text(&decode_entities(rest)),
                None => line.push_str(rest),
            }
            break;
        };
        let before = &rest[..lt];
        if !before.is_empty() {
            match open.last_mut() {
                Some((_, t)) => t.text(&decode_entities(before)),
                None => line.push_str(before),
            }
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map(|e| &after[e + 3..]).unwrap_or("");
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map(|e| &rest[e + 1..]).unwrap_or("");
            continue;
        }
        let Some((tag, len)) = parse_tag(rest) else {
            // A lone `<` is text.
            match open.last_mut() {
                Some((_, t)) => t.text("<"),
                None => line.push('<'),
            }
            rest = &rest[1..];
            continue;
        };
        rest = &rest[len..];
        match (tag.name.as_str(), tag.closing) {
            ("script" | "style" | "xml", false) if !tag.attrs.ends_with('/') => {
                // Raw text (or Excel's metadata) up to its end tag.
                let end_tag = format!("</{}", tag.name);
                rest = match find_ignoring_case(rest, &end_tag) {
                    Some(e) => {
                        let after = &rest[e..];
                        after.find('>').map(|g| &after[g + 1..]).unwrap_or("")
                    }
                    None => "",
                };
            }
            ("table", false) => {
                if open.len() as u64 >= u64::from(limits.html_table_depth) {
                    return Err(over(
                        format!(
                            "bảng thứ {} nằm lồng {} lớp trong các bảng khác",
                            opened + 1,
                            open.len()
                        ),
                        "html_table_depth",
                        u64::from(limits.html_table_depth),
                    ));
                }
                flush(&mut line, &mut loose);
                let mut t = Table::default();
                if open.is_empty() {
                    let skip = loose.len().saturating_sub(TITLE_LINES);
                    for l in loose.drain(..).skip(skip) {
                        let line = t.texts.cell(&l);
                        t.rows.push(vec![line]);
                    }
                }
                open.push((opened, t));
                opened += 1;
            }
            ("table", true) => {
                if let Some((n, t)) = open.pop() {
                    done.push((n, t.finish()));
                }
            }
            ("tr", false) => {
                if let Some((_, t)) = open.last_mut() {
                    t.start_row();
                }
            }
            ("tr", true) | ("thead" | "tbody" | "tfoot", _) => {
                if let Some((_, t)) = open.last_mut() {
                    t.end_row();
                }
            }
            ("td" | "th", false) => {
                if let Some((n, t)) = open.last_mut() {
                    let (cols, rows) = (tag.span("colspan"), tag.span("rowspan"));
                    let covers = cols.saturating_mul(rows);
                    if covers > limits.html_span_cells {
                        return Err(over(
                            format!(
                                "một ô ở dòng {} của bảng {} gộp {} ô (colspan {} × rowspan {})",
                                t.rows.len().max(1),
                                *n + 1,
                                crate::vn::int(covers),
                                crate::vn::int(cols),
                                crate::vn::int(rows)
                            ),
                            "html_span_cells",
                            limits.html_span_cells,
                        ));
                    }
                    spanned = spanned.saturating_add(covers);
                    if spanned > limits.cells {
                        return Err(over(
                            format!(
                                "các ô gộp của bảng {} đưa số ô của tệp lên {}",
                                *n + 1,
                                crate::vn::int(spanned)
                            ),
                            "cells",
                            limits.cells,
                        ));
                    }
                    t.start_cell(
                        (cols as usize).min(MAX_COLSPAN),
                        (rows as usize).min(MAX_ROWSPAN),
                    );
                }
            }
            ("td" | "th", true) => {
                if let Some((_, t)) = open.last_mut() {
                    t.end_cell();
                }
            }
            ("caption", false) => {
                if let Some((_, t)) = open.last_mut() {
                    t.end_row();
                    t.cell = Some(OpenCell {
                        text: String::new(),
                        colspan: 1,
                        rowspan: 1,
                        caption: true,
                    });
                }
            }
            ("caption", true) => {
                if let Some((_, t)) = open.last_mut() {
                    t.end_cell();
                }
            }
            (
                "br" | "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "center"
                | "hr",
                _,
            ) => match open.last_mut() {
                Some((_, t)) => t.text("\n"),
                None => flush(&mut line, &mut loose),
            },
            _ => {}
        }
    }
    // Tables left open at the end of the file are complete as far as they go.
    while let Some((n, t)) = open.pop() {
        done.push((n, t.finish()));
    }
    done.sort_by_key(|(n, _)| *n);
    Ok(done
        .into_iter()
        .enumerate()
        .map(|(i, (_, rows))| Grid {
            name: format!("Bảng {}", i + 1),
            first_row: 0,
            first_col: 0,
            rows,
            encoding: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Grid) -> Vec<Vec<String>> {
        g.rows
            .iter()
            .map(|r| r.iter().map(Cell::as_text).collect())
            .collect()
    }

    #[test]
    fn a_caption_of_control_characters_only_keeps_its_row_empty() {
        // The caption's row stands, so the rows below keep their numbers.
        let html = "<table><caption>&#1;</caption><tr><td>a</td></tr></table>";
        let grids = read_tables(html, &Limits::default()).unwrap();
        assert_eq!(
            grids[0].rows,
            vec![vec![Cell::Empty], vec![Cell::Text("a".into())]]
        );
    }

    #[test]
    fn lays_out_spans_like_merged_cells() {
        let html = r#"<html><body><p>UBND X&Atilde; &#272;&ocirc;ng Th&#x1EA1;nh</p>
        <TABLE border=1>
        <tr><th rowspan="2">Mã hồ sơ</th><th colspan=2>Ngày</th><th rowspan=2>Ghi&nbsp;chú</th>
        <tr><th>Tiếp nhận<th>Hẹn trả</tr>
        <tr><td>H1</td><td>05/03/2024</td><td>10/03/2024</td><td>a &amp; b<br>c</td></tr>
        </table></body></html>"#;
        let grids = read_tables(html, &Limits::default()).unwrap();
        assert_eq!(grids.len(), 1);
        assert_eq!(
            texts(&grids[0]),
            vec![
                vec!["UBND XÃ Đông Thạnh"],
                vec!["Mã hồ sơ", "Ngày", "", "Ghi chú"],
                vec!["", "Tiếp nhận", "Hẹn trả", ""],
                vec!["H1", "05/03/2024", "10/03/2024", "a & b\nc"],
            ]
        );
    }

    #[test]
    fn reads_each_table_and_nested_ones_apart() {
        let html =
            "<table><tr><td>a<table><tr><td>inner</td></tr></table></td><td>b</td></tr></table>\
                    <!-- <table><tr><td>comment</td></tr></table> -->\
                    <script>var s = '<table>';</script><table><tr><td>second";
        let grids = read_tables(html, &Limits::default()).unwrap();
        let all: Vec<_> = grids.iter().map(texts).collect();
        assert_eq!(
            all,
            vec![
                vec![vec!["a", "b"]],
                vec![vec!["inner"]],
                vec![vec!["second"]]
            ]
        );
        assert_eq!(grids[2].name, "Bảng 3");
    }

    #[test]
    fn finds_end_tags_in_any_case_without_copying() {
        assert_eq!(find_ignoring_case("a</SCRIPT>b", "</script"), Some(1));
        assert_eq!(find_ignoring_case("</scrip", "</script"), None);
        assert_eq!(find_ignoring_case("ễ</Script", "</script"), Some(3));
        // Many scripts read in one pass each (a quadratic search took minutes on 2.7 KB × n).
        let html = format!(
            "{}<table><tr><td>x",
            "<script>var a = 1;</script>".repeat(20_000)
        );
        assert_eq!(read_tables(&html, &Limits::default()).unwrap().len(), 1);
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("H&ograve;a &amp;&nbsp;x &#7889; &bogus; & &#x41"),
            "Hòa &\u{a0}x ố &bogus; & A"
        );
    }

    #[test]
    fn finds_declared_charsets() {
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=Content-Type content=\"text/html; charset=windows-1258\">"
            ),
            Some("windows-1258".into())
        );
        assert_eq!(
            declared_charset(b"<meta charset='UTF-8'>"),
            Some("utf-8".into())
        );
    }
}

//! Finding the table inside a sheet: the header row (or two rows, with merged parents), the
//! column-number row, the data, and the footer — by the vocabulary, never by position.

use std::collections::HashMap;

use super::columns::HeaderVocab;
use crate::model::Cell;
use crate::text::{clean, match_key};

use super::grid::Grid;

/// How many leading rows of a sheet may hold title lines before the header.
const HEADER_SEARCH_ROWS: usize = 60;

/// A header found in a sheet.
#[derive(Debug, Clone)]
pub struct HeaderMatch {
    /// Held index of the first header row.
    pub row: usize,
    /// 1 or 2 rows.
    pub height: usize,
    /// Recognised columns: canonical name, held column index, header text.
    pub columns: Vec<(usize, usize, String)>,
    /// Header texts nobody knows (neither a column nor an ignored one).
    pub unknown: Vec<String>,
}

impl HeaderMatch {
    /// Whether a canonical column was found.
    pub fn has(&self, c: usize) -> bool {
        self.columns.iter().any(|(n, _, _)| *n == c)
    }
}

fn text(cell: &Cell) -> String {
    clean(&cell.as_text())
}

/// The column a header text names, trying it whole, then without a trailing note in parentheses
/// or a trailing `*` / `:`.
fn lookup(vocab: &HeaderVocab, t: &str) -> Option<usize> {
    if t.is_empty() {
        return None;
    }
    if let Some(c) = vocab.column_of(t) {
        return Some(c);
    }
    let mut s = t.trim_end_matches(['*', ':', ' ']).to_string();
    if let Some(pos) = s.find('(') {
        s.truncate(pos);
    }
    let s = s.trim();
    if s.is_empty() || s == t {
        None
    } else {
        vocab.column_of(s)
    }
}

/// Header texts already looked up while searching one sheet: the rows searched repeat the same
/// words (units, fields, statuses), and keying a text is the costly part of the search.
#[derive(Default)]
struct Lookups {
    columns: HashMap<String, Option<usize>>,
    ignored: HashMap<String, bool>,
}

impl Lookups {
    fn column(&mut self, vocab: &HeaderVocab, t: &str) -> Option<usize> {
        if let Some(c) = self.columns.get(t) {
            return *c;
        }
        let c = lookup(vocab, t);
        self.columns.insert(t.to_string(), c);
        c
    }
    fn ignored(&mut self, vocab: &HeaderVocab, t: &str) -> bool {
        if let Some(i) = self.ignored.get(t) {
            return *i;
        }
        let i = vocab.ignored.contains(&match_key(t));
        self.ignored.insert(t.to_string(), i);
        i
    }
}

fn guess(
    texts: &[Vec<String>],
    vocab: &HeaderVocab,
    seen: &mut Lookups,
    r: usize,
    two_rows: bool,
    own_first: bool,
) -> HeaderMatch {
    // Header rows are near the top: only they decide how wide a header can be.
    let width = texts.iter().map(Vec::len).max().unwrap_or(0);
    let text = |r: usize, c: usize| -> &str {
        texts
            .get(r)
            .and_then(|row| row.get(c))
            .map(String::as_str)
            .unwrap_or("")
    };
    let mut columns: Vec<(usize, usize, String)> = Vec::new();
    let mut unknown = Vec::new();
    for c in 0..width {
        let (name, label) = if two_rows {
            let own = text(r + 1, c);
            let here = text(r, c);
            if !own.is_empty() {
                let parent = (0..=c)
                    .rev()
                    .map(|k| text(r, k))
                    .find(|t| !t.is_empty())
                    .unwrap_or_default();
                let joined = clean(&format!("{parent} {own}"));
                let by_joined = seen.column(vocab, &joined);
                let by_own = seen.column(vocab, own);
                match (by_joined, by_own) {
                    (Some(_), Some(o)) if own_first => (Some(o), own.to_string()),
                    (Some(n), _) => (Some(n), joined),
                    (None, Some(n)) => (Some(n), own.to_string()),
                    (None, None) => (None, joined),
                }
            } else if !here.is_empty() {
                (seen.column(vocab, here), here.to_string())
            } else {
                continue;
            }
        } else {
            let t = text(r, c);
            if t.is_empty() {
                continue;
            }
            (seen.column(vocab, t), t.to_string())
        };
        match name {
            Some(n) if !columns.iter().any(|(m, _, _)| *m == n) => columns.push((n, c, label)),
            _ if seen.ignored(vocab, &label) => {}
            _ => unknown.push(label),
        }
    }
    HeaderMatch {
        row: r,
        height: if two_rows { 2 } else { 1 },
        columns,
        unknown,
    }
}

/// The best header of a sheet: the one- or two-row header that recognises the most columns
/// and holds the columns that identify the vocabulary's kind.
pub fn find_header(grid: &Grid, vocab: &HeaderVocab) -> Option<HeaderMatch> {
    let mut best: Option<HeaderMatch> = None;
    let mut seen = Lookups::default();
    let limit = grid.rows.len().min(HEADER_SEARCH_ROWS);
    // Each cell of the rows searched, cleaned once.
    let texts: Vec<Vec<String>> = grid.rows[..(limit + 1).min(grid.rows.len())]
        .iter()
        .map(|row| row.iter().map(text).collect())
        .collect();
    for r in 0..limit {
        // Below a header come its numbering row and data: a few rows on, the search is over.
        if best.as_ref().is_some_and(|b| r > b.row + b.height + 1) {
            break;
        }
        if grid.rows[r].iter().all(Cell::is_empty) {
            continue;
        }
        let mut candidates = vec![guess(&texts, vocab, &mut seen, r, false, false)];
        if r + 1 < grid.rows.len() {
            // A column under a merged parent is read as parent + own name ("Ngày" + "Tiếp
            // nhận") — or as its own name, when that reading recognises as many columns or more
            // ("Mức độ" over "Hài lòng" is a level's count, not the rating column).
            candidates.push(guess(&texts, vocab, &mut seen, r, true, true));
            candidates.push(guess(&texts, vocab, &mut seen, r, true, false));
        }
        for cand in candidates {
            if !vocab.identified_by(|c| cand.has(c)) || cand.columns.len() < 3 {
                continue;
            }
            // More columns wins; on a tie the one-row reading does (a title line above a
            // one-row header is not a merged parent).
            let score = |h: &HeaderMatch| (h.columns.len(), std::cmp::Reverse(h.height));
            if best.as_ref().is_none_or(|b| score(&cand) > score(b)) {
                best = Some(cand);
            }
        }
    }
    best
}

/// Whether a row is the column-number row `(1) (2) (3) …` printed under a statutory header.
pub fn is_numbering_row(row: &[Cell]) -> bool {
    let mut numbers = Vec::new();
    for cell in row.iter().filter(|c| !c.is_empty()) {
        let t = cell.as_text();
        let t = t.trim().trim_start_matches('(').trim_end_matches(')');
        match t.parse::<u32>() {
            Ok(n) if n < 100 => numbers.push(n),
            _ => return false,
        }
    }
    numbers.len() >= 3 && numbers.windows(2).all(|w| w[1] > w[0])
}

/// Whether a text is the place-and-date line of a signature block: "Hóc Môn, ngày 15 tháng 3 năm 2024".
fn is_place_date_line(key: &str) -> bool {
    let has_number_after = |word: &str| {
        key.split(word).nth(1).is_some_and(|rest| {
            rest.trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '…')
        })
    };
    has_number_after("ngày") && has_number_after("tháng") && has_number_after("năm")
}

/// Whether a cell's whole text is one of the footer markers ("Tổng cộng", "Cộng:").
pub fn is_total_text(vocab: &HeaderVocab, t: &str) -> bool {
    let key = match_key(t);
    let key = key.trim_end_matches([':', ' ', '.']);
    !key.is_empty()
        && vocab
            .footer_markers
            .iter()
            .any(|m| m.trim_end_matches([':', ' ', '.']) == key)
}

/// Whether a text opens a footer row (totals, signatures), by the vocabulary's markers or as
/// the place-and-date line above the signatures.
pub fn is_footer_text(vocab: &HeaderVocab, t: &str) -> bool {
    // Dossier codes and numbers open most rows: no footer word starts with a digit.
    if t.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let key = match_key(t);
    if is_place_date_line(&key) {
        return true;
    }
    vocab.footer_markers.iter().any(|m| {
        key.strip_prefix(m.as_str()).is_some_and(|rest| {
            rest.is_empty()
                || !m.chars().last().is_some_and(char::is_alphanumeric)
                || !rest.chars().next().is_some_and(char::is_alphanumeric)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::is_place_date_line;

    #[test]
    fn tells_the_place_and_date_line_of_a_signature_block() {
        assert!(is_place_date_line("hóc môn, ngày 15 tháng 3 năm 2024"));
        assert!(is_place_date_line("ngày … tháng … năm 2024"));
        assert!(!is_place_date_line("đăng ký khai sinh"));
        assert!(!is_place_date_line("ngày tiếp nhận"));
    }
}

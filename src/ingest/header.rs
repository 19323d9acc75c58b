//! Finding the table inside a sheet: the header row (or two rows, with merged parents), the
//! column-number row, the data, and the footer — by the vocabulary, never by position.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::columns::HeaderVocab;
use crate::model::Cell;
use crate::text::{clean, edit_distance, folded, match_key};

use super::grid::Grid;

/// The leading rows searched as they always were: every row, one- and two-row readings.
/// Below them the search goes on to the sheet's end more cheaply (see [`search_header`]).
const HEADER_SEARCH_ROWS: usize = 60;

/// The most distinct texts keyed in one sheet's search: data rows bring new codes and dates on
/// every row, and a sheet of another kind has no header to stop at. Past it the search stops.
pub const MAX_KEYED_TEXTS: usize = 20_000;

/// A text longer than this is no column name: it is not keyed.
const MAX_HEADER_TEXT: usize = 300;

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
    /// Columns that mean a column already recognised, not read: canonical name, held column
    /// index, header text.
    pub duplicates: Vec<(usize, usize, String)>,
}

impl HeaderMatch {
    /// Whether a canonical column was found.
    pub fn has(&self, c: usize) -> bool {
        self.columns.iter().any(|(n, _, _)| *n == c)
    }
}

/// The match keys ([`match_key`]) of the texts a file's header searches read, each text keyed
/// once: every kind's search reads the same leading rows, and keying (decomposition, tone
/// placement) was most of a search's time.
#[derive(Default)]
pub struct Keys(HashMap<String, String, FixedState>);

impl Keys {
    /// The match key of a text.
    pub fn of(&mut self, t: &str) -> &str {
        if !self.0.contains_key(t) {
            self.0.insert(t.to_string(), match_key(t));
        }
        &self.0[t]
    }
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => clean(t),
        other => clean(&other.as_text()),
    }
}

/// The column a header text names, trying it whole, then without a trailing note in parentheses
/// or a trailing `*` / `:`.
fn lookup(vocab: &HeaderVocab, t: &str, keys: &mut Keys) -> Option<usize> {
    if t.is_empty() {
        return None;
    }
    if let Some(c) = vocab.header.get(keys.of(t)) {
        return Some(*c);
    }
    let mut s = t.trim_end_matches(['*', ':', ' ']).to_string();
    if let Some(pos) = s.find('(') {
        s.truncate(pos);
    }
    let s = s.trim();
    if s.is_empty() || s == t {
        None
    } else {
        vocab.header.get(keys.of(s)).copied()
    }
}

/// How strongly a header text names column `c` when two columns mean it: 0 for the column's
/// own label (`ColumnVocab::label`), else 1 + the position of its alias in the vocabulary's
/// list (whole, or without a trailing note, `*` or `:`). Lower wins: the vocabulary orders a
/// column's names by priority (Tân Dân's «Ngày nhận» before «Ngày nộp hồ sơ»).
fn name_rank(vocab: &HeaderVocab, c: usize, t: &str) -> usize {
    let Some(v) = vocab.columns.get(c) else {
        return usize::MAX;
    };
    let mut s = t.trim_end_matches(['*', ':', ' ']).to_string();
    if let Some(pos) = s.find('(') {
        s.truncate(pos);
    }
    let keys = [match_key(t), match_key(s.trim())];
    if keys.contains(&match_key(&v.label)) {
        return 0;
    }
    v.aliases
        .iter()
        .position(|a| keys.contains(&match_key(a)))
        .map_or(usize::MAX, |i| i + 1)
}

/// The column a header column is read as when it names column `n` under `loser` but loses to
/// `winner`: the column declared the second reading of `n` that `loser` names and `winner`
/// does not (Tân Dân's «Ngày nộp hồ sơ» beside «Ngày nhận» is the submission date).
fn second_reading(vocab: &HeaderVocab, n: usize, winner: &str, loser: &str) -> Option<usize> {
    (0..vocab.columns.len()).find(|s| {
        vocab.columns[*s].second_reading_of == Some(n)
            && name_rank(vocab, *s, loser) != usize::MAX
            && name_rank(vocab, *s, winner) == usize::MAX
    })
}

/// Header texts already looked up while searching one sheet: the rows searched repeat the same
/// words (units, fields, statuses), and keying a text is the costly part of the search.
struct Lookups<'k> {
    columns: HashMap<String, Option<usize>, FixedState>,
    ignored: HashMap<String, bool, FixedState>,
    keys: &'k mut Keys,
}

impl Lookups<'_> {
    fn column(&mut self, vocab: &HeaderVocab, t: &str) -> Option<usize> {
        if let Some(c) = self.columns.get(t) {
            return *c;
        }
        let c = if t.len() > MAX_HEADER_TEXT {
            None
        } else {
            lookup(vocab, t, self.keys)
        };
        self.columns.insert(t.to_string(), c);
        c
    }
    fn ignored(&mut self, vocab: &HeaderVocab, t: &str) -> bool {
        if let Some(i) = self.ignored.get(t) {
            return *i;
        }
        let i = t.len() <= MAX_HEADER_TEXT && vocab.ignored.contains(self.keys.of(t));
        self.ignored.insert(t.to_string(), i);
        i
    }
    fn keyed(&self) -> usize {
        self.columns.len() + self.ignored.len()
    }
}

/// The cleaned texts of the rows a sheet's header searches look at, each row cleaned once when
/// first needed. The rows every kind's search reads (the leading `HEADER_SEARCH_ROWS` and the
/// one below them) stay for the next kind; a row below them is let go once its search is past.
pub struct RowTexts<'g> {
    grid: &'g Grid,
    rows: HashMap<usize, Vec<String>, FixedState>,
    /// The two-row readings' joined names by their first row ([`RowTexts::joined`]): every
    /// kind's search reads them, each joined and cleaned once.
    joined: HashMap<usize, Vec<String>, FixedState>,
}

impl<'g> RowTexts<'g> {
    /// The texts of a sheet, none cleaned yet.
    pub fn new(grid: &'g Grid) -> RowTexts<'g> {
        RowTexts {
            grid,
            rows: HashMap::default(),
            joined: HashMap::default(),
        }
    }
    /// Lets go of row `r` unless the next kind's search reads it too.
    fn let_go(&mut self, r: usize) {
        if r > HEADER_SEARCH_ROWS {
            self.rows.remove(&r);
            self.joined.remove(&r);
        }
    }
    fn row(&mut self, r: usize) -> &[String] {
        let grid = self.grid;
        self.rows
            .entry(r)
            .or_insert_with(|| match grid.rows.get(r) {
                Some(row) => row.iter().map(text).collect(),
                None => Vec::new(),
            })
    }
    /// A row already cleaned ([`RowTexts::row`]); none when it was not.
    fn held(&self, r: usize) -> &[String] {
        self.rows.get(&r).map_or(&[], Vec::as_slice)
    }
    /// Rows `r` and `r + 1` read as one header: for each column with a name in row `r + 1`,
    /// the last name of row `r` at or left of it (a merged parent's) and that name, joined and
    /// cleaned ("Ngày" + "Tiếp nhận"); empty where row `r + 1` has none.
    fn joined(&mut self, r: usize) -> &[String] {
        self.row(r);
        self.row(r + 1);
        if !self.joined.contains_key(&r) {
            let (here_row, own_row) = (self.held(r), self.held(r + 1));
            let width = here_row.len().max(own_row.len());
            let mut parent = "";
            let mut raw = String::new();
            let mut joined = Vec::with_capacity(width);
            for c in 0..width {
                let here = at(here_row, c);
                if !here.is_empty() {
                    parent = here;
                }
                let own = at(own_row, c);
                joined.push(if own.is_empty() {
                    String::new()
                } else {
                    raw.clear();
                    raw.push_str(parent);
                    raw.push(' ');
                    raw.push_str(own);
                    clean(&raw)
                });
            }
            self.joined.insert(r, joined);
        }
        self.joined.get(&r).map_or(&[], Vec::as_slice)
    }
}

/// The text of a cleaned row's column `c`, empty beyond the row's end.
fn at(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", String::as_str)
}

fn guess(
    texts: &mut RowTexts,
    vocab: &HeaderVocab,
    seen: &mut Lookups<'_>,
    r: usize,
    two_rows: bool,
    own_first: bool,
) -> HeaderMatch {
    // The rows read, cleaned once, then looked at in place.
    texts.row(r);
    if two_rows {
        texts.joined(r);
    }
    let texts: &RowTexts = texts;
    let here_row = texts.held(r);
    let (own_row, joined_row) = if two_rows {
        (
            texts.held(r + 1),
            texts.joined.get(&r).map_or(&[][..], Vec::as_slice),
        )
    } else {
        (&[][..], &[][..])
    };
    let width = here_row.len().max(own_row.len());
    let mut columns: Vec<(usize, usize, String)> = Vec::new();
    let mut unknown = Vec::new();
    let mut duplicates = Vec::new();
    for c in 0..width {
        let here = at(here_row, c);
        let (name, label) = if two_rows {
            let own = at(own_row, c);
            if !own.is_empty() {
                let joined = at(joined_row, c);
                let by_joined = seen.column(vocab, joined);
                let by_own = seen.column(vocab, own);
                match (by_joined, by_own) {
                    (Some(_), Some(o)) if own_first => (Some(o), own.to_string()),
                    (Some(n), _) => (Some(n), joined.to_string()),
                    (None, Some(n)) => (Some(n), own.to_string()),
                    (None, None) => (None, joined.to_string()),
                }
            } else if !here.is_empty() {
                (seen.column(vocab, here), here.to_string())
            } else {
                continue;
            }
        } else {
            if here.is_empty() {
                continue;
            }
            (seen.column(vocab, here), here.to_string())
        };
        match name {
            Some(n) => match columns.iter().position(|(m, _, _)| *m == n) {
                None => columns.push((n, c, label)),
                // Several columns of personal data are one discarded column: no warning (the
                // others are listed among the columns not used, as they always were).
                Some(_) if vocab.columns.get(n).is_some_and(|v| v.discarded) => unknown.push(label),
                // A second unit column is read too: the kind picks per row.
                Some(p)
                    if vocab.unit_alternates
                        && vocab.unit_column == Some(n)
                        && columns.iter().filter(|(m, _, _)| *m == n).count() == 1
                        && columns[p].2 != label =>
                {
                    columns.push((n, c, label))
                }
                // Two columns mean one: the column's own label wins over an alias, then the
                // alias listed first, then the first column; the other is read as the column's
                // second reading when it names one, else not read.
                Some(p) => {
                    let loser = if name_rank(vocab, n, &label) < name_rank(vocab, n, &columns[p].2)
                    {
                        std::mem::replace(&mut columns[p], (n, c, label))
                    } else {
                        (n, c, label)
                    };
                    match second_reading(vocab, n, &columns[p].2, &loser.2) {
                        Some(s) if !columns.iter().any(|(m, _, _)| *m == s) => {
                            columns.push((s, loser.1, loser.2))
                        }
                        _ => duplicates.push(loser),
                    }
                }
            },
            None if seen.ignored(vocab, &label) => {}
            None => unknown.push(label),
        }
    }
    HeaderMatch {
        row: r,
        height: if two_rows { 2 } else { 1 },
        columns,
        unknown,
        duplicates,
    }
}

/// How far a header search went, and what it found.
#[derive(Debug, Clone)]
pub struct HeaderSearch {
    /// The best header, if any.
    pub found: Option<HeaderMatch>,
    /// Rows of the sheet looked at (from the top).
    pub rows_searched: usize,
    /// Whether the search stopped before the sheet's end because it keyed
    /// [`MAX_KEYED_TEXTS`] texts without finding a header.
    pub stopped_early: bool,
    /// The row that came closest when none is a header: the most columns recognised (or the
    /// first row with two texts or more, when none recognises any).
    pub nearest: Option<HeaderMatch>,
}

/// Whether a row holds at least two non-empty texts: no header has fewer.
fn has_two_texts(row: &[Cell]) -> bool {
    row.iter()
        .filter(|c| matches!(c, Cell::Text(t) if !crate::text::is_blank(t)))
        .nth(1)
        .is_some()
}

/// The best header of a sheet: the one- or two-row header that recognises the most columns
/// and holds the columns that identify the vocabulary's kind.
pub fn find_header(grid: &Grid, vocab: &HeaderVocab) -> Option<HeaderMatch> {
    search_header(&mut RowTexts::new(grid), vocab, None, &mut Keys::default()).found
}

/// Searches the whole sheet for its header. Only rows with two texts or more are read; the
/// first `HEADER_SEARCH_ROWS` rows in both readings, the rows below them in the two-row
/// reading only where the one-row reading recognises a column. A few rows below the best
/// header the search is over; without one, it stops at the sheet's end or once
/// [`MAX_KEYED_TEXTS`] distinct texts were keyed. With `until`, no row at or below it is read
/// (another kind's header already found the sheet's table). `texts` are the sheet's, shared by
/// the searches of every kind.
pub fn search_header(
    texts: &mut RowTexts<'_>,
    vocab: &HeaderVocab,
    until: Option<usize>,
    keys: &mut Keys,
) -> HeaderSearch {
    let mut best: Option<HeaderMatch> = None;
    let mut nearest: Option<HeaderMatch> = None;
    let grid = texts.grid;
    let mut seen = Lookups {
        columns: HashMap::default(),
        ignored: HashMap::default(),
        keys,
    };
    let n = grid.rows.len().min(until.unwrap_or(usize::MAX));
    let mut rows_searched = n;
    let mut stopped_early = false;
    for r in 0..n {
        // Below a header come its numbering row and data: a few rows on, the search is over.
        if best.as_ref().is_some_and(|b| r > b.row + b.height + 1) {
            rows_searched = r;
            break;
        }
        if best.is_none() && seen.keyed() >= MAX_KEYED_TEXTS {
            rows_searched = r;
            stopped_early = true;
            break;
        }
        if !has_two_texts(&grid.rows[r]) {
            continue;
        }
        // Rows already cleaned and no longer needed are let go.
        if r >= 2 {
            texts.let_go(r - 2);
        }
        let one = guess(texts, vocab, &mut seen, r, false, false);
        let two_rows =
            r + 1 < grid.rows.len() && (r < HEADER_SEARCH_ROWS || !one.columns.is_empty());
        let mut candidates = vec![one];
        if two_rows {
            // A column under a merged parent is read as parent + own name ("Ngày" + "Tiếp
            // nhận") — or as its own name, when that reading recognises as many columns or more
            // ("Mức độ" over "Hài lòng" is a level's count, not the rating column).
            candidates.push(guess(texts, vocab, &mut seen, r, true, true));
            candidates.push(guess(texts, vocab, &mut seen, r, true, false));
        }
        for cand in candidates {
            if nearest
                .as_ref()
                .is_none_or(|b| cand.columns.len() > b.columns.len())
            {
                nearest = Some(cand.clone());
            }
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
    HeaderSearch {
        nearest: if best.is_some() { None } else { nearest },
        found: best,
        rows_searched,
        stopped_early,
    }
}

/// The rows another kind's search may read once a header of one kind was found at `h`: the
/// rows always searched, and those down to just below it.
pub fn search_limit_after(h: &HeaderMatch) -> usize {
    HEADER_SEARCH_ROWS.max(h.row + h.height + 2)
}

/// For each header text a vocabulary does not know, the known column name it most resembles,
/// when it is a near miss: the same letters without their marks, or a few letters off.
pub fn near_misses(vocab: &HeaderVocab, texts: &[String]) -> Vec<(String, String)> {
    let names: Vec<(Vec<char>, &str)> = vocab
        .columns
        .iter()
        .flat_map(|c| c.aliases.iter())
        .map(|a| (folded(a), a.as_str()))
        .collect();
    let mut out = Vec::new();
    for t in texts.iter().filter(|t| t.chars().count() <= 80) {
        let f = folded(t);
        // A short text is a near miss only when its letters are the name's ("a" is not "Mã").
        let allowed = if f.len() < 4 { 0 } else { (f.len() / 5).max(1) };
        let best = names
            .iter()
            .map(|(n, a)| (edit_distance(&f, n), *a))
            .filter(|(d, _)| *d <= allowed)
            .min_by_key(|(d, _)| *d);
        if let Some((_, a)) = best {
            out.push((t.clone(), a.to_string()));
        }
    }
    out
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
    // Asked of every row's first text — most often a dossier code. A key keeps every ASCII
    // digit of its text, so a text holding one is no marker unless a marker holds one too.
    let digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
    if digit(t) && !vocab.footer_markers.iter().any(|m| digit(m)) {
        return false;
    }
    is_marker_key(vocab, t)
}

/// [`is_total_text`] by the text's key alone.
fn is_marker_key(vocab: &HeaderVocab, t: &str) -> bool {
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
    use crate::text::{edit_distance, folded};

    #[test]
    fn tells_near_misses_of_column_names() {
        assert_eq!(folded("Mã hồ sơ"), folded("MA HO SO"));
        assert_eq!(
            edit_distance(&folded("Ngày tiếp nhan"), &folded("Ngày tiếp nhận")),
            0
        );
        assert_eq!(edit_distance(&folded("Ma ho so"), &folded("Ma hs so")), 1);
        assert_eq!(edit_distance(&folded(""), &folded("abc")), 3);
    }

    #[test]
    fn tells_the_place_and_date_line_of_a_signature_block() {
        assert!(is_place_date_line("hóc môn, ngày 15 tháng 3 năm 2024"));
        assert!(is_place_date_line("ngày … tháng … năm 2024"));
        assert!(!is_place_date_line("đăng ký khai sinh"));
        assert!(!is_place_date_line("ngày tiếp nhận"));
    }

    mod second_reading {
        use super::super::*;
        use crate::ingest::columns::{CommonWords, DeclaredColumn};

        fn vocab() -> HeaderVocab {
            let col = |id: &'static str, names: &[&str], of: Option<&str>| DeclaredColumn {
                id,
                second_reading_of: of.map(str::to_string),
                spec: Some((
                    names[0].to_string(),
                    false,
                    names.iter().map(|n| n.to_string()).collect(),
                )),
            };
            HeaderVocab::new(
                "dossier",
                "danh sách hồ sơ",
                vec![
                    col("dossier_id", &["Mã hồ sơ"], None),
                    col(
                        "received",
                        &["Ngày tiếp nhận", "Ngày nhận", "Ngày nộp hồ sơ"],
                        None,
                    ),
                    col("due", &["Ngày hẹn trả"], None),
                    col("submitted", &["Ngày nộp hồ sơ"], Some("received")),
                ],
                &CommonWords::default(),
                &[vec!["dossier_id".into(), "received".into()]],
                &[],
            )
            .unwrap()
        }

        fn read(header: &[&str]) -> (Vec<(usize, String)>, Vec<String>) {
            let grid = Grid {
                name: "x".into(),
                first_row: 0,
                first_col: 0,
                rows: vec![header.iter().map(|t| Cell::Text((*t).into())).collect()],
                encoding: None,
            };
            let h = find_header(&grid, &vocab()).unwrap();
            let mut columns: Vec<(usize, String)> =
                h.columns.into_iter().map(|(n, _, t)| (n, t)).collect();
            columns.sort();
            (columns, h.duplicates.into_iter().map(|d| d.2).collect())
        }

        #[test]
        fn the_lower_priority_name_beside_the_received_column_is_the_submission_date() {
            let (columns, duplicates) =
                read(&["Mã hồ sơ", "Ngày nộp hồ sơ", "Ngày nhận", "Ngày hẹn trả"]);
            assert_eq!(
                columns,
                [
                    (0, "Mã hồ sơ".to_string()),
                    (1, "Ngày nhận".to_string()),
                    (2, "Ngày hẹn trả".to_string()),
                    (3, "Ngày nộp hồ sơ".to_string()),
                ]
            );
            assert!(duplicates.is_empty());
        }

        #[test]
        fn alone_it_is_the_received_date_and_two_received_names_stay_a_duplicate() {
            let (columns, _) = read(&["Mã hồ sơ", "Ngày nộp hồ sơ", "Ngày hẹn trả"]);
            assert!(
                columns.contains(&(1, "Ngày nộp hồ sơ".to_string())),
                "{columns:?}"
            );
            let (columns, duplicates) =
                read(&["Mã hồ sơ", "Ngày tiếp nhận", "Ngày nhận", "Ngày hẹn trả"]);
            assert!(columns.iter().all(|(n, _)| *n != 3), "{columns:?}");
            assert_eq!(duplicates, ["Ngày nhận"]);
        }

        #[test]
        fn a_second_reading_must_be_named_like_its_column() {
            let e = HeaderVocab::new(
                "dossier",
                "danh sách hồ sơ",
                vec![
                    DeclaredColumn {
                        id: "received",
                        spec: Some(("Ngày nhận".into(), false, vec!["Ngày nhận".into()])),
                        second_reading_of: None,
                    },
                    DeclaredColumn {
                        id: "submitted",
                        spec: Some(("Ngày nộp".into(), false, vec!["Ngày nộp".into()])),
                        second_reading_of: Some("received".into()),
                    },
                ],
                &CommonWords::default(),
                &[vec!["received".into()]],
                &[],
            )
            .unwrap_err()
            .to_string();
            assert!(
                e.contains("«Ngày nộp»") && e.contains("thêm nó vào aliases"),
                "{e}"
            );
        }
    }

    mod properties {
        use super::super::*;
        use crate::ingest::columns::{CommonWords, DeclaredColumn};
        use proptest::prelude::*;

        fn vocab() -> HeaderVocab {
            let col = |id: &'static str, names: &[&str]| DeclaredColumn {
                id,
                second_reading_of: None,
                spec: Some((
                    names[0].to_string(),
                    false,
                    names.iter().map(|n| n.to_string()).collect(),
                )),
            };
            HeaderVocab::new(
                "dossier",
                "danh sách hồ sơ",
                vec![
                    col("dossier_id", &["Mã hồ sơ", "Số hồ sơ"]),
                    col("unit", &["Đơn vị"]),
                    col("field", &["Lĩnh vực"]),
                    col("received", &["Ngày tiếp nhận", "Tiếp nhận"]),
                    col("due", &["Ngày hẹn trả", "Hẹn trả"]),
                ],
                &CommonWords {
                    ignored_columns: vec!["STT".into()],
                    footer_markers: vec!["Tổng cộng".into()],
                },
                &[vec!["dossier_id".into(), "received".into()]],
                &[],
            )
            .unwrap()
        }

        proptest! {
            #[test]
            fn tells_total_texts_as_their_keys_do(t in "[0-9A-Za-zÀ-ỹ :.-]{0,16}") {
                let v = vocab();
                prop_assert_eq!(is_total_text(&v, &t), is_marker_key(&v, &t));
            }
        }

        #[test]
        fn a_text_with_a_digit_is_a_total_only_under_a_marker_with_one() {
            let mut v = vocab();
            assert!(is_total_text(&v, "Tổng cộng:"));
            assert!(!is_total_text(&v, "H29.12-240701-0001"));
            v.footer_markers.push(match_key("Tổng 2"));
            assert!(is_total_text(&v, "Tổng 2"));
        }

        fn any_cell() -> impl Strategy<Value = Cell> {
            prop_oneof![
                Just(Cell::Empty),
                prop::sample::select(vec![
                    "Mã hồ sơ",
                    "Số hồ sơ",
                    "Đơn vị",
                    "Lĩnh vực",
                    "Ngày tiếp nhận",
                    "Tiếp nhận",
                    "Hẹn trả",
                    "Ngày",
                    "STT",
                    "Ma ho so",
                    "Tổng cộng",
                    "HS-1",
                    "",
                ])
                .prop_map(|t| Cell::Text(t.into())),
                ".{0,12}".prop_map(|t: String| Cell::Text(t.into())),
                (0.0f64..50_000.0).prop_map(Cell::Number),
            ]
        }

        proptest! {
            #[test]
            fn a_header_found_identifies_the_kind_and_the_search_stays_in_the_sheet(
                rows in prop::collection::vec(prop::collection::vec(any_cell(), 0..8), 0..90)
            ) {
                let v = vocab();
                let grid = Grid {
                    name: "x".into(),
                    first_row: 0,
                    first_col: 0,
                    rows,
                    encoding: None,
                };
                let s = search_header(&mut RowTexts::new(&grid), &v, None, &mut Keys::default());
                prop_assert!(s.rows_searched <= grid.rows.len());
                if let Some(h) = &s.found {
                    prop_assert!(h.columns.len() >= 3);
                    prop_assert!(v.identified_by(|c| h.has(c)));
                    prop_assert!(h.row + h.height <= grid.rows.len());
                    prop_assert!(s.nearest.is_none());
                }
                for (_, name) in near_misses(&v, &["Ma ho so".to_string()]) {
                    prop_assert_eq!(name, "Mã hồ sơ");
                }
            }
        }
    }
}

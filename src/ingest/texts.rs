//! Text cells, each distinct text of a file held once.
//!
//! An export writes the same few hundred words — units, fields, statuses, procedures, days — on
//! every one of its thousands of rows. Copying each into a string of its own cost an allocation,
//! a copy and a free per cell, and made every later lookup hash the text again. Here each
//! distinct text is cleaned once and held once; every cell that holds it shares it, and the
//! normalization can recognise a text it has already read by identity
//! ([`crate::normalize::Names`]). An xlsx's shared strings are known again by their place in
//! its table, without reading them; a column of texts that are nearly all different (codes,
//! dates written as text) is not held at all, as holding it only costs a lookup and an entry.
//!
//! This is also the one place a text cell is made: every reader (xlsx, xls, ods, CSV, HTML)
//! passes its texts here, so every format's text loses its control characters
//! ([`crate::text::without_controls`]) the same way, and a text of only white space is an empty
//! cell.

use crate::model::{Cell, Text};
use crate::normalize::Memo;

/// The texts of one file read so far (of one table, for an HTML page): the text as the file
/// writes it → the cell's text (None: nothing left once cleaned). It lives while the file's
/// sheets are read, and is bounded by the file's limits on cells.
///
/// A column whose texts are nearly all different (a dossier's code, a name, a phone number) gains
/// nothing from being held: after [`TRIAL`] texts of which seven in eight were new, its texts are
/// cleaned and kept each on its own, without a lookup. The cells are the same either way.
#[derive(Default)]
pub struct Texts {
    held: Memo<Text, Option<Text>>,
    /// The texts of an xlsx's shared-string table read so far, by their place in it.
    shared: Memo<(usize, usize), Option<Text>>,
    columns: Vec<Repeats>,
}

/// How many texts of one column were looked up, and how many of them were new.
#[derive(Default, Clone, Copy)]
struct Repeats {
    read: u32,
    new: u32,
}

/// The texts a column reads before its repeats are judged.
const TRIAL: u32 = 256;

impl Repeats {
    /// Whether the column's texts are nearly all different.
    fn all_different(self) -> bool {
        self.read >= TRIAL && u64::from(self.new) * 8 >= u64::from(self.read) * 7
    }
}

impl Texts {
    /// The cell holding `raw`: without control characters, empty when only white space is left.
    pub fn cell(&mut self, raw: &str) -> Cell {
        let held = match self.held.get(raw) {
            Some(held) => held.clone(),
            None => self.hold(raw),
        };
        held.map_or(Cell::Empty, Cell::Text)
    }

    /// [`Texts::cell`] for a text of the sheet's 0-based column `col`.
    pub fn cell_in(&mut self, col: usize, raw: &str) -> Cell {
        if col >= self.columns.len() {
            self.columns.resize(col + 1, Repeats::default());
        }
        let repeats = &mut self.columns[col];
        if repeats.all_different() {
            return cleaned(raw).map_or(Cell::Empty, |(_, kept)| Cell::Text(kept));
        }
        repeats.read += 1;
        let held = match self.held.get(raw) {
            Some(held) => held.clone(),
            None => {
                repeats.new += 1;
                self.hold(raw)
            }
        };
        held.map_or(Cell::Empty, Cell::Text)
    }

    /// [`Texts::cell_in`] for a text of an xlsx's shared-string table, which stays in place
    /// while the file is read: a text met again is known by its place, without reading it.
    pub fn shared_cell_in(&mut self, col: usize, shared: &str) -> Cell {
        let place = (shared.as_ptr() as usize, shared.len());
        if let Some(held) = self.shared.get(&place) {
            if let Some(repeats) = self.columns.get_mut(col) {
                repeats.read += 1;
            }
            return held.clone().map_or(Cell::Empty, Cell::Text);
        }
        let cell = self.cell_in(col, shared);
        if !self.columns[col].all_different() {
            let held = match &cell {
                Cell::Text(t) => Some(t.clone()),
                _ => None,
            };
            self.shared.insert(place, held);
        }
        cell
    }

    fn hold(&mut self, raw: &str) -> Option<Text> {
        let (key, kept) = match cleaned(raw) {
            Some((true, kept)) => (kept.clone(), Some(kept)),
            Some((false, kept)) => (Text::from(raw), Some(kept)),
            None => (Text::from(raw), None),
        };
        self.held.insert(key, kept.clone());
        kept
    }
}

/// `raw` without control characters, with whether that is `raw` itself; None when only white
/// space is left.
fn cleaned(raw: &str) -> Option<(bool, Text)> {
    match crate::text::without_controls(raw) {
        std::borrow::Cow::Borrowed(clean) => {
            (!crate::text::is_blank(clean)).then(|| (true, Text::from(clean)))
        }
        std::borrow::Cow::Owned(clean) => {
            (!crate::text::is_blank(&clean)).then(|| (false, Text::from(clean)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_text_once_cleaned() {
        let mut texts = Texts::default();
        let (Cell::Text(a), Cell::Text(b)) =
            (texts.cell("Phòng Tư pháp"), texts.cell("Phòng Tư pháp"))
        else {
            panic!("text cells expected")
        };
        assert!(Text::ptr_eq(&a, &b));
        assert_eq!(texts.cell("Ph\u{1}òng"), Cell::Text("Phòng".into()));
        assert_eq!(texts.cell("Ph\u{1}òng"), Cell::Text("Phòng".into()));
        assert_eq!(texts.cell("   "), Cell::Empty);
        assert_eq!(texts.cell(" \u{1b} "), Cell::Empty);
        assert_eq!(texts.cell(""), Cell::Empty);
        // Leading and trailing white space stays: the cell is the file's text.
        assert_eq!(texts.cell(" a "), Cell::Text(" a ".into()));
    }

    #[test]
    fn a_column_of_different_texts_gives_the_same_cells_unheld() {
        let mut texts = Texts::default();
        let codes: Vec<String> = (0..2 * TRIAL).map(|i| format!("H29-{i:05}")).collect();
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(
                texts.cell_in(3, code),
                Cell::Text(code.as_str().into()),
                "text {i}"
            );
        }
        assert!(texts.columns[3].all_different());
        // Judged by its texts alone: the other columns still hold theirs.
        let (Cell::Text(a), Cell::Text(b)) =
            (texts.cell_in(0, "UBND xã"), texts.cell_in(0, "UBND xã"))
        else {
            panic!("text cells expected")
        };
        assert!(Text::ptr_eq(&a, &b));
        // Cleaned as a held text is.
        assert_eq!(texts.cell_in(3, "H\u{1}29"), Cell::Text("H29".into()));
        assert_eq!(texts.cell_in(3, " \u{1b} "), Cell::Empty);
        assert_eq!(texts.cell_in(3, "  "), Cell::Empty);
        assert_eq!(texts.cell_in(3, " a "), Cell::Text(" a ".into()));
        // A column of repeated texts stays held.
        for _ in 0..2 * TRIAL {
            texts.cell_in(1, "Đã trả kết quả");
        }
        assert!(!texts.columns[1].all_different());
    }

    #[test]
    fn a_shared_string_is_known_by_its_place() {
        let table = [
            String::from("Phòng Tư pháp"),
            String::from("Ph\u{1}òng"),
            String::from(" "),
        ];
        let copy = String::from("Phòng Tư pháp");
        let mut texts = Texts::default();
        let Cell::Text(first) = texts.shared_cell_in(0, &table[0]) else {
            panic!("a text cell expected")
        };
        let Cell::Text(again) = texts.shared_cell_in(0, &table[0]) else {
            panic!("a text cell expected")
        };
        assert!(Text::ptr_eq(&first, &again));
        // The same text elsewhere is the same cell.
        assert_eq!(texts.shared_cell_in(0, &copy), Cell::Text(first));
        assert_eq!(
            texts.shared_cell_in(0, &table[1]),
            Cell::Text("Phòng".into())
        );
        assert_eq!(
            texts.shared_cell_in(0, &table[1]),
            Cell::Text("Phòng".into())
        );
        assert_eq!(texts.shared_cell_in(0, &table[2]), Cell::Empty);
        assert_eq!(texts.shared_cell_in(0, &table[2]), Cell::Empty);
    }
}

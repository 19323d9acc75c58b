//! Text cells, each distinct text of a file held once.
//!
//! An export writes the same few hundred words — units, fields, statuses, procedures, days — on
//! every one of its thousands of rows. Copying each into a string of its own cost an allocation,
//! a copy and a free per cell, and made every later lookup hash the text again. Here each
//! distinct text is cleaned once and held once; every cell that holds it shares it, and the
//! normalization can recognise a text it has already read by identity
//! ([`crate::normalize::Names`]).
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
#[derive(Default)]
pub struct Texts(Memo<Text, Option<Text>>);

impl Texts {
    /// The cell holding `raw`: without control characters, empty when only white space is left.
    pub fn cell(&mut self, raw: &str) -> Cell {
        let held = match self.0.get(raw) {
            Some(held) => held.clone(),
            None => self.hold(raw),
        };
        held.map_or(Cell::Empty, Cell::Text)
    }

    fn hold(&mut self, raw: &str) -> Option<Text> {
        let (key, kept) = match crate::text::without_controls(raw) {
            std::borrow::Cow::Borrowed(clean) => {
                let text = Text::from(clean);
                let kept = (!clean.trim().is_empty()).then(|| text.clone());
                (text, kept)
            }
            std::borrow::Cow::Owned(clean) => (
                Text::from(raw),
                (!clean.trim().is_empty()).then(|| Text::from(clean)),
            ),
        };
        self.0.insert(key, kept.clone());
        kept
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
}

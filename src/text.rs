//! Vietnamese text as exports spell it, and as the project compares and sorts it.
//!
//! Exports of the same system disagree on Unicode form (NFC or NFD), on where the tone mark sits
//! (`Hoà` / `Hòa`, `Thuỷ` / `Thủy`), on case and on spacing. Every comparison of a name or a
//! vocabulary word therefore goes through [`match_key`], and every name the registry does not know
//! is written with [`canonical_spelling`] so that two spellings never make two rows.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT_BELOW: char = '\u{323}';

fn is_tone(c: char) -> bool {
    matches!(c, GRAVE | ACUTE | TILDE | HOOK | DOT_BELOW)
}

/// NFC, trimmed, inner runs of white space collapsed to one space.
pub fn clean(s: &str) -> String {
    // Most cells are already clean: check before rebuilding them.
    let tidy = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s.contains("  ")
        && !s.contains(|c: char| c.is_whitespace() && c != ' ');
    if tidy
        && unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return s.to_string();
    }
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a text is nothing but white space (or nothing): `s.trim().is_empty()`, read from the
/// front only and stopping at the first other character — asked of every cell read.
#[inline]
pub fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        // Nearly every text asked starts with a visible ASCII character: answered by its byte.
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0b => false,
        _ => s.chars().all(char::is_whitespace),
    }
}

/// Whether a character is a control character no document may hold: C0 (U+0000–U+001F) but
/// tab, line feed and carriage return, DEL (U+007F), C1 (U+0080–U+009F), and the
/// non-characters U+FFFE / U+FFFF. XML 1.0 forbids most of them (a .docx holding one does not
/// open) and a terminal obeys them (ESC starts an escape sequence).
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// A text read from a file without its control characters ([`is_control`]). Applied once, where
/// cells become text (`ingest::grid::read_grids`), so that no later stage, document or message
/// ever holds one. Most texts have none: no copy then.
pub fn without_controls(s: &str) -> std::borrow::Cow<'_, str> {
    // Every control character's UTF-8 starts with a byte below 0x20, 0x7F, 0xC2 (C1) or 0xEF
    // (U+FFFE / U+FFFF): a byte scan rules most texts out.
    // Without short circuits, so that the scan runs on whole vectors of bytes.
    let suspect = s.bytes().fold(false, |any, b| {
        any | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xef)
    });
    if !suspect || !s.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !is_control(*c)).collect())
}

/// Prints a line for the person at the terminal on standard error, with every control character
/// a file's name or cell may carry shown as «�» ([`for_terminal`]).
pub fn say(line: &str) {
    eprintln!("{}", for_terminal(line));
}

/// A message as the terminal gets it: every control character but line feed and tab shown as
/// «�», so that nothing quoted from a file or a file name (ESC sequences, a carriage return)
/// can move the cursor, recolour or rewrite what the person reads.
pub fn for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c == '\r' || is_control(c);
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| if hidden(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// Whether a character is invisible in a code: white space of any kind (the no-break spaces
/// U+00A0 and U+202F included), the zero-width characters U+200B–U+200D, the word joiner U+2060,
/// the byte-order mark U+FEFF and the soft hyphen U+00AD.
fn invisible_in_code(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// A code (dossier code, evaluation code) as it is compared: every invisible character removed,
/// wherever it sits (tthc-rules §2). Codes are compared exactly after that: case is kept.
pub fn code(s: &str) -> std::borrow::Cow<'_, str> {
    // Most codes are plain ASCII without spaces: no copy.
    if s.bytes().all(|b| b.is_ascii_graphic()) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !invisible_in_code(*c)).collect())
}

/// One letter of a decomposed word: its base character and its combining marks.
struct Letter {
    base: char,
    marks: Vec<char>,
}

fn letters(word: &str) -> Vec<Letter> {
    let mut out: Vec<Letter> = Vec::new();
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            if let Some(last) = out.last_mut() {
                last.marks.push(c);
                continue;
            }
        }
        out.push(Letter {
            base: c,
            marks: Vec::new(),
        });
    }
    out
}

/// Moves the tone of a word ending in `oa`, `oe` or `uy` (not after `q`) onto the first vowel,
/// the placement of the Quốc hiệu (`Hòa`, `Khỏe`, `Thủy`).
fn place_tone_classically(word: &str) -> String {
    // Codes, numbers and dates: no marks to move, nothing to compose.
    if word.is_ascii() {
        return word.to_string();
    }
    let mut ls = letters(word);
    let n = ls.len();
    if n >= 2 {
        let last = n - 1;
        let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
        let (a, b) = (lower(ls[last - 1].base), lower(ls[last].base));
        let pair = (a == 'o' && (b == 'a' || b == 'e'))
            || (a == 'u' && b == 'y' && (n < 3 || lower(ls[last - 2].base) != 'q'));
        let plain_first = ls[last - 1].marks.iter().all(|m| is_tone(*m));
        if pair && plain_first {
            if let Some(pos) = ls[last].marks.iter().position(|m| is_tone(*m)) {
                let tone = ls[last].marks.remove(pos);
                ls[last - 1].marks.push(tone);
            }
        }
    }
    let mut s = String::with_capacity(word.len());
    for l in ls {
        s.push(l.base);
        s.extend(l.marks);
    }
    s.nfc().collect()
}

/// The spelling a name takes in outputs when no registry spells it: cleaned, tones placed as in
/// the Quốc hiệu.
pub fn canonical_spelling(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for (i, word) in cleaned.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&place_tone_classically(word));
    }
    out
}

/// A text's words, punctuation read as spaces, padded with one space each side: a name found
/// in a line this way cannot be hidden by the punctuation around it, nor match inside a word.
pub fn padded_words(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The key under which two spellings of one word are the same: cleaned, tone placement folded,
/// lower case, spaces around hyphens removed.
pub fn match_key(s: &str) -> String {
    let c = canonical_spelling(s).to_lowercase();
    c.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
}

/// A text without case, tones and vowel marks, for telling near misses (`Ma ho so` for
/// `Mã hồ sơ`, `Hoc Mon` for `Hóc Môn`).
pub fn folded(s: &str) -> Vec<char> {
    match_key(s)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// How many letters must be inserted, removed or replaced to turn one text into the other
/// (Levenshtein), over [`folded`] letters.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Rank of a base letter in the Vietnamese alphabet (a ă â b c d đ e ê … y), with the Latin
/// letters Vietnamese does not use in their Latin places.
fn letter_rank(base: char, marks: &[char]) -> u32 {
    let b = base.to_lowercase().next().unwrap_or(base);
    let breve = marks.contains(&'\u{306}');
    let circ = marks.contains(&'\u{302}');
    let horn = marks.contains(&'\u{31b}');
    let sub = match (b, breve, circ, horn) {
        ('a', true, _, _) => 1,
        ('a', _, true, _) => 2,
        ('e', _, true, _) => 1,
        ('o', _, true, _) => 1,
        ('o', _, _, true) => 2,
        ('u', _, _, true) => 1,
        _ => 0,
    };
    let (b, sub) = if b == 'đ' { ('d', 1) } else { (b, sub) };
    if b.is_ascii_lowercase() {
        1000 + (b as u32 - 'a' as u32) * 4 + sub
    } else if b.is_ascii_digit() {
        500 + (b as u32 - '0' as u32)
    } else if b.is_whitespace() {
        1
    } else if b.is_alphabetic() {
        2000 + b as u32
    } else {
        10 + (b as u32 % 400)
    }
}

fn tone_rank(marks: &[char]) -> u32 {
    for m in marks {
        match *m {
            GRAVE => return 1,
            HOOK => return 2,
            TILDE => return 3,
            ACUTE => return 4,
            DOT_BELOW => return 5,
            _ => {}
        }
    }
    0
}

/// A string's place in Vietnamese dictionary order, computed once: comparing two keys is
/// [`collate`] of their strings without decomposing either again. Sorting by key is what long
/// lists (late dossiers of every unit) need.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    primary: Vec<u32>,
    secondary: Vec<u32>,
    tertiary: Vec<bool>,
    text: String,
}

impl SortKey {
    /// The key of a string.
    pub fn new(s: &str) -> SortKey {
        let ls = letters(s);
        SortKey {
            primary: ls.iter().map(|l| letter_rank(l.base, &l.marks)).collect(),
            secondary: ls.iter().map(|l| tone_rank(&l.marks)).collect(),
            tertiary: ls.iter().map(|l| l.base.is_uppercase()).collect(),
            text: s.to_string(),
        }
    }
}

/// The places in Vietnamese order of the few distinct names a long list repeats, each name's
/// key computed once: a list is then sorted by small numbers instead of keys.
pub struct CollationRanks<'a>(std::collections::HashMap<&'a str, u32, foldhash::fast::FixedState>);

impl<'a> CollationRanks<'a> {
    /// The places of every string of a list.
    pub fn of(names: impl IntoIterator<Item = &'a str>) -> CollationRanks<'a> {
        let mut distinct: Vec<&str> = names.into_iter().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut keyed: Vec<(SortKey, &str)> =
            distinct.into_iter().map(|n| (SortKey::new(n), n)).collect();
        keyed.sort_unstable();
        CollationRanks(
            keyed
                .into_iter()
                .enumerate()
                .map(|(rank, (_, n))| (n, rank as u32))
                .collect(),
        )
    }

    /// The place of a string given to [`CollationRanks::of`].
    pub fn get(&self, s: &str) -> u32 {
        self.0[s]
    }
}

/// Compares two strings in Vietnamese dictionary order: letters first (đ after d, ă â after a …),
/// then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then case.
pub fn collate(a: &str, b: &str) -> Ordering {
    SortKey::new(a).cmp(&SortKey::new(b))
}

/// A text cut to at most `max_chars` characters for a document that cannot hold more (an xlsx
/// cell holds at most 32 767): when longer, the first `max_chars - 1` characters and «…»; the
/// flag says whether it was cut. Cut at a character boundary, never inside a letter and its
/// combining marks.
pub fn cut_for_document(s: &str, max_chars: usize) -> (std::borrow::Cow<'_, str>, bool) {
    cut_to_width(s, max_chars, |_| 1)
}

/// A text as an xlsx cell holds it: at most [`XLSX_CELL_MAX_CHARS`] UTF-16 units (how the
/// format counts; a letter outside the Basic Multilingual Plane counts two), cut as
/// [`cut_for_document`] cuts; the flag says whether it was cut.
pub fn cut_for_xlsx(s: &str) -> (std::borrow::Cow<'_, str>, bool) {
    cut_to_width(s, XLSX_CELL_MAX_CHARS, char::len_utf16)
}

/// Whether a text is longer than an xlsx cell holds.
pub fn too_long_for_xlsx(s: &str) -> bool {
    s.len() > XLSX_CELL_MAX_CHARS && s.encode_utf16().count() > XLSX_CELL_MAX_CHARS
}

/// [`cut_for_document`] with each character counted `width(c)`.
fn cut_to_width(
    s: &str,
    max: usize,
    width: impl Fn(char) -> usize,
) -> (std::borrow::Cow<'_, str>, bool) {
    use std::borrow::Cow;
    // Fast path: a text shorter in bytes than the limit is shorter in characters and in UTF-16.
    if s.len() <= max || s.chars().map(&width).sum::<usize>() <= max {
        return (Cow::Borrowed(s), false);
    }
    if max == 0 {
        return (Cow::Borrowed(""), true);
    }
    // Room for «…» (one unit in either count).
    let keep = max - 1;
    let mut used = 0;
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        used += width(c);
        if used > keep {
            end = i;
            break;
        }
    }
    // A combining mark belongs to the letter before it: do not leave a letter without its tone.
    while end > 0 {
        let Some(c) = s[end..].chars().next() else {
            break;
        };
        if !unicode_normalization::char::is_combining_mark(c) {
            break;
        }
        end = s[..end].char_indices().next_back().map_or(0, |(i, _)| i);
    }
    let mut out = String::with_capacity(end + 3);
    out.push_str(&s[..end]);
    out.push('…');
    (Cow::Owned(out), true)
}

/// The most characters an xlsx cell holds.
pub const XLSX_CELL_MAX_CHARS: usize = 32_767;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_what_trimming_empties() {
        let blank = [
            "",
            " ",
            "\t\r\n",
            "\u{a0}",
            " \u{3000} ",
            "\u{85}",
            "\u{2028}",
            "\u{b}\u{c}",
        ];
        let not_blank = [
            "a",
            " a ",
            "Đ",
            "\u{200b}",
            " \u{1} ",
            "\u{a0}x\u{a0}",
            "\u{1c}",
            "~",
        ];
        for s in blank {
            assert!(is_blank(s), "{s:?}");
            assert!(s.trim().is_empty(), "{s:?}");
        }
        for s in not_blank {
            assert!(!is_blank(s), "{s:?}");
            assert!(!s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn cuts_long_texts_for_documents_at_character_boundaries() {
        assert_eq!(cut_for_document("Hòa Bình", 8), ("Hòa Bình".into(), false));
        assert_eq!(cut_for_document("Hòa Bình", 4), ("Hòa…".into(), true));
        assert_eq!(cut_for_document("ĐĐĐĐĐ", 3), ("ĐĐ…".into(), true));
        assert_eq!(cut_for_document("abc", 0), ("".into(), true));
        assert_eq!(cut_for_document("", 0), ("".into(), false));
        // NFD: the tone of «ò» is not cut from its «o» (H, o, ◌̀, a: the cut falls before ◌̀).
        let nfd: String = "Hòa".nfd().collect();
        assert_eq!(cut_for_document(&nfd, 3), ("H…".into(), true));
        let long = "ă".repeat(XLSX_CELL_MAX_CHARS + 10);
        let (cut, was) = cut_for_document(&long, XLSX_CELL_MAX_CHARS);
        assert!(was);
        assert_eq!(cut.chars().count(), XLSX_CELL_MAX_CHARS);
        assert!(cut.ends_with("ă…"));
        // An xlsx counts UTF-16 units: a letter outside the BMP counts two.
        let astral = "𝔸".repeat(XLSX_CELL_MAX_CHARS / 2 + 1);
        assert!(too_long_for_xlsx(&astral));
        let (cut, was) = cut_for_xlsx(&astral);
        assert!(was);
        assert!(cut.encode_utf16().count() <= XLSX_CELL_MAX_CHARS);
        assert_eq!(cut_for_xlsx("Hòa"), ("Hòa".into(), false));
        assert!(!too_long_for_xlsx(&"a".repeat(XLSX_CELL_MAX_CHARS)));
    }

    #[test]
    fn removes_control_characters_and_keeps_line_breaks_and_tabs() {
        assert!(matches!(
            without_controls("Phòng Tư pháp"),
            std::borrow::Cow::Borrowed("Phòng Tư pháp")
        ));
        assert_eq!(
            without_controls("Ph\u{1}òng\u{0} Tư\u{1b}[31m pháp\u{7f}\u{85}\u{9f}\u{fffe}"),
            "Phòng Tư[31m pháp"
        );
        assert_eq!(without_controls("a\tb\r\nc"), "a\tb\r\nc");
        // Letters whose UTF-8 starts with 0xC2 or 0xEF are kept.
        assert_eq!(without_controls("\u{a0}°\u{ff01}"), "\u{a0}°\u{ff01}");
        assert_eq!(
            for_terminal("tệp \u{1b}]0;x\u{7}a\rb\n"),
            "tệp \u{fffd}]0;x\u{fffd}a\u{fffd}b\n"
        );
    }

    #[test]
    fn removes_invisible_characters_from_codes() {
        assert!(matches!(code("HS-1"), std::borrow::Cow::Borrowed("HS-1")));
        assert_eq!(code(" HS-1\u{200B}"), "HS-1");
        assert_eq!(code("\u{FEFF}HS\u{00A0}-\u{202F}1\t"), "HS-1");
        assert_eq!(code("HS\u{200C}\u{200D}\u{2060}\u{00AD}-1"), "HS-1");
        assert_eq!(code("hs-1"), "hs-1");
        assert_eq!(code("\u{3000}"), "");
    }

    #[test]
    fn folds_tone_placement_and_unicode_form() {
        let nfd: String = "Hoà Bình".nfd().collect();
        assert_eq!(match_key(&nfd), match_key("HÒA  BÌNH"));
        assert_eq!(match_key("Thuỷ"), "thủy");
        assert_eq!(match_key("Khoẻ"), "khỏe");
        assert_eq!(match_key("Quý"), "quý");
        assert_eq!(match_key("Hoàng"), "hoàng");
    }

    #[test]
    fn spells_unknown_names_like_the_quoc_hieu() {
        assert_eq!(
            canonical_spelling("  Cộng hoà   xã hội "),
            "Cộng hòa xã hội"
        );
        assert_eq!(canonical_spelling("Uỷ ban"), "Ủy ban");
    }

    #[test]
    fn sorts_in_vietnamese_order() {
        let mut v = vec![
            "Đất đai",
            "Xây dựng",
            "Chứng thực",
            "Dân tộc",
            "Ân",
            "An",
            "Bảo",
        ];
        v.sort_by(|a, b| collate(a, b));
        assert_eq!(
            v,
            vec![
                "An",
                "Ân",
                "Bảo",
                "Chứng thực",
                "Dân tộc",
                "Đất đai",
                "Xây dựng"
            ]
        );
    }

    #[test]
    fn ranks_each_name_once_in_vietnamese_order() {
        let names = ["Xã Đông Thạnh", "Xã Bà Điểm", "Xã Đông Thạnh", "Xã Dân"];
        let ranks = CollationRanks::of(names);
        let ranked: Vec<u32> = names.iter().map(|n| ranks.get(n)).collect();
        // Bà, Dân, Đông: d before đ; one name, one place.
        assert_eq!(ranked, [2, 0, 2, 1]);
    }

    #[test]
    fn sorts_tones_after_letters() {
        let mut v = vec!["má", "ma", "mạ", "mà", "mả", "mã", "mai"];
        v.sort_by(|a, b| collate(a, b));
        assert_eq!(v, vec!["ma", "mà", "mả", "mã", "má", "mạ", "mai"]);
    }
}

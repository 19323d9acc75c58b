//! What a file is, from its bytes, never from its name: government systems save HTML tables as
//! `.xls`, people rename an xlsx to `.xls` or an ods to `.xlsx`, Excel's "Unicode text" is a
//! UTF-16 tab-separated `.txt`.
//!
//! - a zip holding `xl/…` is an xlsx (or xlsm); a zip whose `mimetype` is
//!   `application/vnd.oasis.opendocument.spreadsheet` is an ods;
//! - an OLE compound file is an xls, unless it holds an `EncryptedPackage` stream: then it is an
//!   xlsx protected by a password;
//! - text that starts (after a byte-order mark and white space) with `<` and contains `<table`
//!   is an HTML table export;
//! - any other text is CSV (or tab-separated text).
//!
//! Text is decoded by: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) → that encoding; else
//! valid UTF-8 → UTF-8; else, for HTML, the charset its `<meta>` declares when there is one;
//! else Windows-1258, the Vietnamese ANSI code page (which stores tones as combining marks, so
//! the text is put in NFC afterwards). Windows-1252 text is decoded as such only when an HTML
//! file declares it: every byte where the two code pages differ is a Vietnamese letter in 1258.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Office Open XML workbook (xlsx, xlsm).
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
    /// An Excel 97–2003 workbook (BIFF in an OLE compound file).
    Xls,
    /// An Office Open XML file encrypted with a password (OLE with an `EncryptedPackage`).
    EncryptedOoxml,
    /// A zip archive that is neither an xlsx nor an ods (a .docx, a folder zipped…).
    OtherZip,
    /// An HTML page with a `<table>`.
    Html,
    /// Markup (HTML or XML) without a table.
    MarkupWithoutTable,
    /// Text: CSV or tab-separated.
    Text,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The format of a file's bytes.
pub fn format_of(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_format(bytes);
    }
    if bytes.starts_with(&OLE_MAGIC) {
        // Directory entries name streams in UTF-16LE.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return if contains(bytes, &name) {
            Format::EncryptedOoxml
        } else {
            Format::Xls
        };
    }
    // Markup is recognised on its first kilobytes, decoded.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = decode(head, None).text;
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.starts_with('<') {
        let lower = text.to_ascii_lowercase();
        if lower.contains("<table") {
            return Format::Html;
        }
        // The table may begin after a long head (styles, scripts): look at the whole file.
        let whole = decode(bytes, None).text.to_ascii_lowercase();
        return if whole.contains("<table") {
            Format::Html
        } else {
            Format::MarkupWithoutTable
        };
    }
    Format::Text
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn zip_format(bytes: &[u8]) -> Format {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // A broken zip: let the workbook reader name the damage.
        return Format::Xlsx;
    };
    if let Ok(mut f) = zip.by_name("mimetype") {
        let mut mime = Vec::new();
        if std::io::Read::read_to_end(&mut f, &mut mime).is_ok() && mime.trim_ascii() == ODS_MIME {
            return Format::Ods;
        }
    }
    if zip.file_names().flatten().any(|n| n.starts_with("xl/")) {
        return Format::Xlsx;
    }
    if zip.file_names().flatten().any(|n| n == "content.xml") {
        return Format::Ods;
    }
    Format::OtherZip
}

/// Text decoded from a file's bytes, with the encoding it was in.
pub struct Decoded<'a> {
    /// The text, NFC when the encoding stores tones as combining marks.
    pub text: Cow<'a, str>,
    /// The encoding's name as people know it: `UTF-8`, `UTF-16LE`, `Windows-1258` …
    pub encoding: &'static str,
}

/// Decodes a file's bytes (see the module's rule); `declared` is a charset the file names
/// itself (an HTML `<meta>`), used only when the bytes are not UTF-8 and carry no BOM.
pub fn decode<'a>(bytes: &'a [u8], declared: Option<&str>) -> Decoded<'a> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let text = if enc == encoding_rs::UTF_8 {
            String::from_utf8_lossy(body)
        } else {
            let (t, _) = enc.decode_without_bom_handling(body);
            Cow::Owned(t.into_owned())
        };
        return Decoded {
            text,
            encoding: encoding_name(enc),
        };
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(t),
            encoding: "UTF-8",
        };
    }
    let enc = declared
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        .filter(|e| {
            *e != encoding_rs::UTF_8 && *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE
        })
        .unwrap_or(encoding_rs::WINDOWS_1258);
    let (t, _) = enc.decode_without_bom_handling(bytes);
    let text: String = if enc == encoding_rs::WINDOWS_1258 {
        t.nfc().collect()
    } else {
        t.into_owned()
    };
    Decoded {
        text: Cow::Owned(text),
        encoding: encoding_name(enc),
    }
}

fn encoding_name(enc: &'static encoding_rs::Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "UTF-8",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        "windows-1258" => "Windows-1258",
        "windows-1252" => "Windows-1252",
        other => other,
    }
}

/// Splits a line on a separator outside double quotes; the number of fields.
fn fields(line: &str, sep: char) -> usize {
    let mut n = 1;
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            n += 1;
        }
    }
    n
}

/// Picks the separator of delimited text: tab, `;` or `,`, whichever occurs most (outside
/// quotes) in the first non-empty lines; a tie goes to `;` over `,`, and `,` when none occurs.
pub fn delimiter(text: &str) -> u8 {
    let count = |lines: &mut dyn Iterator<Item = &str>| {
        let mut counts = [0usize; 3];
        for line in lines.take(30) {
            for (i, sep) in ['\t', ';', ','].into_iter().enumerate() {
                counts[i] += fields(line, sep) - 1;
            }
        }
        counts
    };
    // The lines that split into three fields or more on some separator decide: title lines
    // above a table (however many) do not.
    let mut counts = count(
        &mut text
            .lines()
            .filter(|l| ['\t', ';', ','].into_iter().any(|sep| fields(l, sep) >= 3)),
    );
    if counts == [0; 3] {
        counts = count(&mut text.lines().filter(|l| !l.trim().is_empty()));
    }
    let [tab, semi, comma] = counts;
    if tab > semi && tab > comma {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// Whether a `.txt` file found in an input folder is a table. It is when at least two of its
/// first 100 non-empty lines split, on the same separator (tab, `;` or `,` outside quotes),
/// into the same number of fields, three or more — a dossier list has many columns. Anything
/// else (a note, a read-me, a log) is clearly not a table and is passed over. Workbooks and
/// HTML tables saved as `.txt` are tables.
pub fn looks_tabular(bytes: &[u8]) -> bool {
    match format_of(bytes) {
        Format::Text => {}
        Format::MarkupWithoutTable | Format::OtherZip => return false,
        _ => return true,
    }
    let text = decode(bytes, None).text;
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(100)
        .collect();
    ['\t', ';', ','].into_iter().any(|sep| {
        let mut seen: std::collections::HashMap<usize, usize> = Default::default();
        lines.iter().any(|l| {
            let n = fields(l, sep);
            let k = seen.entry(n).or_default();
            *k += 1;
            n >= 3 && *k >= 2
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_separators() {
        assert_eq!(delimiter("a;b;\"c,d\"\n1;2;3"), b';');
        assert_eq!(delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(delimiter("a\tb\tc, d\n1\t2\t3"), b'\t');
        assert_eq!(delimiter("abc"), b',');
    }

    /// Text as Windows-1258 stores it: letters with their vowel marks precomposed, tones as
    /// combining marks after them.
    fn to_windows_1258(s: &str) -> Vec<u8> {
        let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let mut split = String::new();
        for c in s.chars() {
            let parts: Vec<char> = c.to_string().nfd().collect();
            let tone: Vec<char> = parts
                .iter()
                .copied()
                .filter(|m| tones.contains(m))
                .collect();
            let rest: String = parts.iter().filter(|m| !tones.contains(m)).collect();
            split.extend(rest.nfc());
            split.extend(tone);
        }
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
        assert!(!unmappable, "{split}");
        bytes.into_owned()
    }

    #[test]
    fn decodes_by_bom_then_utf8_then_windows_1258() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Mã hồ sơ".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&utf16le, None);
        assert_eq!((d.text.as_ref(), d.encoding), ("Mã hồ sơ", "UTF-16LE"));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Mã hồ sơ".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be, None).encoding, "UTF-16BE");
        let d = decode("Mã hồ sơ".as_bytes(), None);
        assert_eq!((d.text.as_ref(), d.encoding), ("Mã hồ sơ", "UTF-8"));
        let cp = to_windows_1258("Mã hồ sơ Đông Thạnh");
        let d = decode(&cp, None);
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Mã hồ sơ Đông Thạnh", "Windows-1258")
        );
        assert_eq!(decode(b"caf\xe9", Some("windows-1252")).text, "café");
    }

    #[test]
    fn tells_tables_from_notes() {
        assert!(looks_tabular(b"a\tb\tc\n1\t2\t3\n"));
        assert!(looks_tabular(b"a;b;c\n1;2;3\n"));
        assert!(!looks_tabular(
            b"Ghi chu: gui kem danh sach.\nXin cam on, chuc vui.\n"
        ));
        assert!(!looks_tabular(b"mot dong duy nhat;a;b\n"));
        assert!(!looks_tabular(b"<html><body>xin chao</body></html>"));
        assert!(looks_tabular(
            b"<html><table><tr><td>1</td></tr></table></html>"
        ));
    }

    #[test]
    fn tells_formats_by_content() {
        assert_eq!(format_of(b"  \n<HTML><Table>"), Format::Html);
        assert_eq!(format_of(b"\xEF\xBB\xBF<table>"), Format::Html);
        assert_eq!(
            format_of(b"<?xml version=\"1.0\"?><Workbook>"),
            Format::MarkupWithoutTable
        );
        assert_eq!(format_of(b"a;b\n"), Format::Text);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0u8; 100]);
        assert_eq!(format_of(&ole), Format::Xls);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(format_of(&ole), Format::EncryptedOoxml);
    }
}

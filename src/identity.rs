//! The locality's identity, written once. A pipeline file names its locality (`locality`, and a
//! commune its `locality_code` in the official list, [`crate::localities`]); every other
//! configuration file refers to it through placeholders instead of repeating the name, so that a
//! commune made by `cchc init --code` carries no other locality's name and renaming is one edit.
//!
//! The placeholders, expanded in the text of each configuration file the pipeline reads (before
//! it is parsed, so they work in any string — a unit's name, a question, a target's title, the
//! report header):
//!
//! | placeholder | value | e.g. |
//! |---|---|---|
//! | `{dia_phuong}` | `locality` as written | Xã Bà Điểm |
//! | `{DIA_PHUONG}` | the same in capitals | XÃ BÀ ĐIỂM |
//! | `{ten}` | the name without its kind | Bà Điểm |
//! | `{loai}` | the kind, in lower case | xã |
//! | `{tinh}` | the province | Thành phố Hồ Chí Minh |
//! | `{TINH}` | the province in capitals | THÀNH PHỐ HỒ CHÍ MINH |
//!
//! The kind and the province come from the official list by `locality_code`; without a code the
//! kind is the first word(s) of the name when they are a kind of the list, and `{tinh}` cannot be
//! used. Other braces (`{period}` of the narrative pattern) and comment lines are left as they
//! are.
//!
//! The identity in effect is set for the time [`crate::config::load`] reads a pipeline's files
//! ([`scoped`]); [`expand`] is called by the one reader of configuration text,
//! [`crate::config::read_toml`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::Path;

use anyhow::Result;

use crate::localities::OfficialList;

/// A locality's identity: what the placeholders stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name as printed, "Xã Bà Điểm".
    pub full_name: String,
    /// The name without its kind, "Bà Điểm".
    pub name: String,
    /// The kind as the official list writes it ("Xã", "Phường", "Đặc khu"); none for a locality
    /// the list does not hold whose name does not start with one.
    pub kind: Option<String>,
    /// The province's name, from the official list; none without a code.
    pub province: Option<String>,
}

impl Identity {
    /// The identity of a locality named `full_name`, with its official code when it has one
    /// (already checked against the list).
    pub fn new(full_name: &str, code: Option<&str>) -> Identity {
        let list = OfficialList::shipped();
        let full_name = full_name.trim().to_string();
        let listed = code.and_then(|c| list.find(c));
        // The kind word the name starts with, if it is one of the list's kinds.
        let mut kinds: Vec<&str> = list.all().iter().map(|u| u.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let prefix = kinds.iter().find(|k| {
            full_name
                .get(..k.len())
                .is_some_and(|head| head.to_lowercase() == k.to_lowercase())
                && full_name[k.len()..].starts_with(' ')
        });
        let name = match prefix {
            Some(k) => full_name[k.len()..].trim().to_string(),
            None => full_name.clone(),
        };
        Identity {
            name,
            kind: listed
                .map(|u| u.kind.clone())
                .or_else(|| prefix.map(|k| k.to_string())),
            province: listed.map(|u| u.province_name.clone()),
            full_name,
        }
    }

    /// The value of one placeholder key (without braces); `Ok(None)` for a key that is not one.
    fn value(&self, key: &str, file: &Path) -> Result<Option<String>> {
        let missing = |what: &str| {
            anyhow::anyhow!(
                "{}: «{{{key}}}» cần {what} của địa phương, mà tệp quy trình không cho biết. Hãy ghi mã chính thức của xã, phường, đặc khu vào locality_code (cột ma_xa của {}), hoặc thay «{{{key}}}» bằng chữ.",
                file.display(),
                crate::localities::LIST_PATH
            )
        };
        Ok(Some(match key {
            "dia_phuong" => self.full_name.clone(),
            "DIA_PHUONG" => self.full_name.to_uppercase(),
            "ten" => self.name.clone(),
            "loai" => self
                .kind
                .as_ref()
                .ok_or_else(|| missing("loại (xã, phường, đặc khu)"))?
                .to_lowercase(),
            "tinh" => self
                .province
                .clone()
                .ok_or_else(|| missing("tỉnh, thành phố"))?,
            "TINH" => self
                .province
                .as_ref()
                .ok_or_else(|| missing("tỉnh, thành phố"))?
                .to_uppercase(),
            _ => return Ok(None),
        }))
    }

    /// `text` with every placeholder replaced; a value is escaped for a TOML string (`"` and
    /// `\`), where placeholders stand. Comment lines (`#` first) are left as written.
    pub fn expand<'a>(&self, text: &'a str, file: &Path) -> Result<Cow<'a, str>> {
        if !text.contains('{') {
            return Ok(Cow::Borrowed(text));
        }
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            if line.trim_start().starts_with('#') {
                out.push_str(line);
            } else {
                self.expand_line(line, file, &mut out)?;
            }
        }
        Ok(Cow::Owned(out))
    }

    fn expand_line(&self, line: &str, file: &Path, out: &mut String) -> Result<()> {
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let key_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let key = &after[..key_len];
            match (after[key_len..].starts_with('}'), self.value(key, file)?) {
                (true, Some(v)) => {
                    out.push_str(&v.replace('\\', "\\\\").replace('"', "\\\""));
                    rest = &after[key_len + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(())
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Identity>> = const { RefCell::new(None) };
}

/// Runs `f` with `identity` in effect for [`expand`] (the configuration files of one pipeline
/// are read on one thread), and restores what was in effect before.
pub fn scoped<R>(identity: Identity, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Identity>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(identity)));
    f()
}

/// The text of configuration file `file` with the placeholders of the identity in effect
/// expanded; unchanged when none is (a file read on its own, outside a pipeline).
pub fn expand<'a>(text: &'a str, file: &Path) -> Result<Cow<'a, str>> {
    CURRENT.with(|c| match &*c.borrow() {
        Some(identity) => identity.expand(text, file),
        None => Ok(Cow::Borrowed(text)),
    })
}

#[cfg(test)]
mod tests {
    use super::Identity;
    use std::path::Path;

    #[test]
    fn takes_kind_and_province_from_the_list() {
        let id = Identity::new("Xã Bà Điểm", Some("27592"));
        assert_eq!(id.name, "Bà Điểm");
        assert_eq!(id.kind.as_deref(), Some("Xã"));
        assert_eq!(id.province.as_deref(), Some("Thành phố Hồ Chí Minh"));
        let text = "a = \"Văn phòng HĐND và UBND {loai} {ten}\"\nb = [\"{TINH}\", \"{DIA_PHUONG}\"]\nn = \"narrative/{period}.toml\"";
        assert_eq!(
            id.expand(text, Path::new("x.toml")).unwrap(),
            "a = \"Văn phòng HĐND và UBND xã Bà Điểm\"\nb = [\"THÀNH PHỐ HỒ CHÍ MINH\", \"XÃ BÀ ĐIỂM\"]\nn = \"narrative/{period}.toml\""
        );
    }

    #[test]
    fn a_name_a_person_insists_on_is_kept_and_escaped() {
        let id = Identity::new("Phường \"Mới\"", None);
        assert_eq!(id.kind.as_deref(), Some("Phường"));
        assert_eq!(
            id.expand("x = \"{dia_phuong}\"", Path::new("x.toml"))
                .unwrap(),
            "x = \"Phường \\\"Mới\\\"\""
        );
        let e = id
            .expand("x = \"{tinh}\"", Path::new("x.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("locality_code"), "{e}");
    }

    #[test]
    fn a_district_keeps_its_name_whole() {
        let id = Identity::new("Huyện Hóc Môn", None);
        assert_eq!(id.name, "Huyện Hóc Môn");
        assert_eq!(id.kind, None);
    }
}

//! Annex templates: `templates/annexes/*.toml`, strict serde. The defaults are embedded in the
//! binary; a district's `templates/annexes/` folder overrides any file of the same name. Each
//! sheet's `kind` must be one the core or an input kind offers, and each column's `value` one
//! that sheet kind offers: both checked here, when the templates are loaded.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

pub use crate::annex_sheet::template::{
    ChartTemplate, ColumnTemplate, LateFilter, SheetDefaults, SheetTemplate, TotalPosition,
};
use crate::annex_sheet::OfferedSheet;

/// The core's default annex templates, embedded: the book, then the core's sheets (each input
/// kind embeds its own, `Kind::annex_templates`).
pub const CORE_FILES: &[(&str, &str)] = &[
    (
        "phu-luc.toml",
        include_str!("../../../templates/annexes/phu-luc.toml"),
    ),
    (
        "chi-tieu.toml",
        include_str!("../../../templates/annexes/chi-tieu.toml"),
    ),
    (
        "tien-do-nhiem-vu.toml",
        include_str!("../../../templates/annexes/tien-do-nhiem-vu.toml"),
    ),
    (
        "tien-do-theo-don-vi.toml",
        include_str!("../../../templates/annexes/tien-do-theo-don-vi.toml"),
    ),
    (
        "noi-dung-don-vi.toml",
        include_str!("../../../templates/annexes/noi-dung-don-vi.toml"),
    ),
    (
        "chi-so-766.toml",
        include_str!("../../../templates/annexes/chi-so-766.toml"),
    ),
];

/// Every default annex template: the core's, then each input kind's.
pub fn default_files() -> Vec<(&'static str, &'static str)> {
    CORE_FILES
        .iter()
        .copied()
        .chain(crate::kinds::annex_templates())
        .collect()
}

/// `phu-luc.toml`: which sheets, in which order; the workbook's title and page footer; the words
/// of a sheet whose template leaves them out. A locality's copy that leaves out
/// `document_title`, `page_footer` or a word of `[defaults]` takes the shipped book's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookTemplate {
    /// Sheet template files, in tab order.
    pub sheets: Vec<String>,
    /// The title in the workbook's properties (Tera one-liner with the sheets' title words:
    /// `{{ period_label }}` …).
    #[serde(default)]
    pub document_title: Option<String>,
    /// The words of every page's footer: `{page}` the page number, `{pages}` their count.
    #[serde(default)]
    pub page_footer: Option<String>,
    /// The words of a sheet whose template leaves them out.
    #[serde(default)]
    pub defaults: SheetDefaults,
}

/// All annex templates, resolved.
#[derive(Debug)]
pub struct AnnexTemplates {
    /// The title in the workbook's properties (Tera one-liner).
    pub document_title: String,
    /// The words of every page's footer (`{page}`, `{pages}`).
    pub page_footer: String,
    /// The sheets, in tab order, every word they leave out taken from the kind's shipped
    /// template (`OfferedSheet::words`) or the book's `[defaults]`.
    pub sheets: Vec<SheetTemplate>,
}

/// The shipped book, as embedded.
fn shipped_book() -> Result<BookTemplate> {
    let text = CORE_FILES
        .iter()
        .find(|(n, _)| *n == "phu-luc.toml")
        .map_or("", |(_, t)| *t);
    crate::config::errors::parse_toml(text)
        .context("lỗi chương trình: mẫu phụ lục mặc định phu-luc.toml không hợp lệ")
}

/// The shipped sheet templates, as embedded, by file name.
fn shipped_sheets() -> Result<Vec<(&'static str, SheetTemplate)>> {
    default_files()
        .into_iter()
        .filter(|(n, _)| *n != "phu-luc.toml")
        .map(|(n, text)| {
            let t: SheetTemplate = crate::config::errors::parse_toml(text).with_context(|| {
                format!("lỗi chương trình: mẫu phụ lục mặc định {n} không hợp lệ")
            })?;
            Ok((n, t))
        })
        .collect()
}

/// Fills the words of `kind`'s list that a sheet template (the file `name`) leaves out from the
/// kind's shipped template: the file of the same name when cchc ships one of that kind saying
/// the word, else the first shipped template of that kind that says it.
fn take_kind_words(
    sheet: &mut SheetTemplate,
    name: &str,
    offer: &OfferedSheet,
    shipped: &mut Option<Vec<(&'static str, SheetTemplate)>>,
) -> Result<()> {
    for key in &offer.words {
        if sheet.says(key) {
            continue;
        }
        if shipped.is_none() {
            *shipped = Some(shipped_sheets()?);
        }
        let candidates = shipped.as_deref().unwrap_or_default();
        let of_kind = |t: &SheetTemplate| t.kind == sheet.kind && t.says(key);
        let from = candidates
            .iter()
            .find(|(n, t)| *n == name && of_kind(t))
            .or_else(|| candidates.iter().find(|(_, t)| of_kind(t)))
            .map(|(_, t)| t.clone());
        match from {
            Some(from) => sheet.take_word(key, &from),
            None => bail!(
                "lỗi chương trình: không có mẫu phụ lục mặc định nào của loại trang «{}» ghi «{key}»",
                sheet.kind
            ),
        }
    }
    Ok(())
}

fn read(dir: Option<&Path>, name: &str) -> Result<(String, String)> {
    let own = dir.is_some_and(|d| d.join("annexes").join(name).exists());
    match default_files().into_iter().find(|(n, _)| *n == name) {
        Some((_, text)) => crate::render::templates::own_or_default(dir, "annexes", name, text),
        None if own => crate::render::templates::own_or_default(dir, "annexes", name, ""),
        None => {
            bail!(
                "không có mẫu phụ lục «{name}» (trong thư mục mẫu của địa phương hay mẫu mặc định)"
            )
        }
    }
}

impl AnnexTemplates {
    /// Loads the templates: each file from `dir/annexes/` when it exists there, else the default;
    /// each sheet's kind one of `kinds` (the core's and the input kinds', `build::sheet_kinds`).
    pub fn load(dir: Option<&Path>, kinds: &[OfferedSheet]) -> Result<AnnexTemplates> {
        let (where_, text) = read(dir, "phu-luc.toml")?;
        let mut book: BookTemplate = crate::config::errors::parse_toml(&text)
            .with_context(|| format!("mẫu phụ lục {where_} không hợp lệ"))?;
        let shipped = shipped_book()?;
        if book.document_title.is_none() {
            book.document_title = shipped.document_title;
        }
        if book.page_footer.is_none() {
            book.page_footer = shipped.page_footer;
        }
        book.defaults.fill_from(&shipped.defaults);
        let mut shipped_sheets = None;
        let mut sheets = Vec::new();
        for name in &book.sheets {
            let (where_, text) = read(dir, name)?;
            let mut sheet: SheetTemplate = crate::config::errors::parse_toml(&text)
                .with_context(|| format!("mẫu phụ lục {where_} không hợp lệ"))?;
            let Some(offer) = kinds.iter().find(|s| s.name == sheet.kind) else {
                bail!(
                    "mẫu phụ lục {where_}: không có loại trang kind = «{}»; các loại trang: {} — sửa kind theo một trong các loại này",
                    sheet.kind,
                    kinds.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                );
            };
            if sheet.columns.is_empty() {
                bail!("mẫu phụ lục {where_}: chưa khai báo cột nào");
            }
            for c in &sheet.columns {
                if c.header.is_empty() {
                    bail!("mẫu phụ lục {where_}: cột «{}» chưa có tiêu đề", c.value);
                }
                if !offer.offers(&c.value) {
                    bail!(
                        "mẫu phụ lục {where_}: trang «{}» không có số liệu «{}»; các tên dùng được: {}",
                        sheet.name,
                        c.value,
                        offer.offered().join(", ")
                    );
                }
            }
            take_kind_words(&mut sheet, name, offer, &mut shipped_sheets)?;
            sheet.take_defaults(&book.defaults);
            sheets.push(sheet);
        }
        Ok(AnnexTemplates {
            document_title: book.document_title.unwrap_or_default(),
            page_footer: book.page_footer.unwrap_or_default(),
            sheets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_sheet_kind_once_across_the_core_and_the_kinds() {
        let kinds = super::super::build::sheet_kinds();
        let mut names: Vec<&str> = kinds.iter().map(|s| s.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "{names:?}");
    }

    #[test]
    fn ships_every_word_a_sheet_kind_takes_from_its_templates() {
        let shipped = shipped_sheets().unwrap();
        for offer in super::super::build::sheet_kinds() {
            for key in &offer.words {
                assert!(
                    crate::annex_sheet::template::WORD_KEYS.contains(key),
                    "{key}"
                );
                assert!(
                    shipped
                        .iter()
                        .any(|(_, t)| t.kind == offer.name && t.says(key)),
                    "no shipped template of «{}» says {key}",
                    offer.name
                );
            }
        }
        let book = shipped_book().unwrap();
        assert!(book.document_title.is_some() && book.page_footer.is_some());
        let d = book.defaults;
        assert!(
            d.total_label.is_some()
                && d.blank_field.is_some()
                && d.empty.is_some()
                && d.state_words.is_some()
                && d.status_words.is_some()
        );
    }

    #[test]
    fn embeds_every_shipped_annex_template_once() {
        let mut embedded: Vec<&str> = default_files().iter().map(|(n, _)| *n).collect();
        embedded.sort();
        let mut shipped: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/annexes"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        shipped.sort();
        assert_eq!(embedded, shipped);
        // And every sheet of the shipped book loads: its kind known, its columns offered.
        assert_eq!(
            AnnexTemplates::load(None, &super::super::build::sheet_kinds())
                .unwrap()
                .sheets
                .len(),
            shipped.len() - 1
        );
    }
}

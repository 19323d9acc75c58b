//! Annex templates: `templates/annexes/*.toml`, strict serde. The defaults are embedded in the
//! binary; a district's `templates/annexes/` folder overrides any file of the same name. Each
//! sheet's `kind` must be one the core or an input kind offers, and each column's `value` one
//! that sheet kind offers: both checked here, when the templates are loaded.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

pub use crate::annex_sheet::template::{
    ChartTemplate, ColumnTemplate, LateFilter, SheetTemplate, TotalPosition,
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

/// `phu-luc.toml`: which sheets, in which order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookTemplate {
    /// Sheet template files, in tab order.
    pub sheets: Vec<String>,
}

/// All annex templates, resolved.
#[derive(Debug)]
pub struct AnnexTemplates {
    /// The sheets, in tab order.
    pub sheets: Vec<SheetTemplate>,
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
        let book: BookTemplate = crate::config::errors::parse_toml(&text)
            .with_context(|| format!("mẫu phụ lục {where_} không hợp lệ"))?;
        let mut sheets = Vec::new();
        for name in &book.sheets {
            let (where_, text) = read(dir, name)?;
            let sheet: SheetTemplate = crate::config::errors::parse_toml(&text)
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
            sheets.push(sheet);
        }
        Ok(AnnexTemplates { sheets })
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

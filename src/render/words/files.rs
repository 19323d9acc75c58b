//! The names of the files and folders a run writes: `templates/files/ten-tep.toml`.

use std::path::Path;

use anyhow::{bail, Result};
use serde::Deserialize;

use crate::period::Period;

/// The default names, embedded.
pub const DEFAULT: &str = include_str!("../../../templates/files/ten-tep.toml");

/// Every output name; `{period}` stands for the period id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNames {
    /// The data-quality workbook (.xlsx).
    pub quality: String,
    /// The annexes (.xlsx).
    pub annexes: String,
    /// The report, for Word (.docx).
    pub report_docx: String,
    /// The report, for a browser (.html).
    pub report_html: String,
    /// The public page (.html).
    pub public: String,
    /// The machine-readable figures (.json).
    pub indicators: String,
    /// The folder of the units' forms.
    pub forms: String,
}

impl FileNames {
    /// The locality's `files/ten-tep.toml`, else the default; refuses a name that would leave
    /// the output folder, lose its extension or take another's place.
    pub fn load(dir: Option<&Path>) -> Result<FileNames> {
        let (origin, n): (String, FileNames) = super::load(dir, "files", "ten-tep.toml", DEFAULT)?;
        let names = [
            ("quality", &n.quality, ".xlsx"),
            ("annexes", &n.annexes, ".xlsx"),
            ("report_docx", &n.report_docx, ".docx"),
            ("report_html", &n.report_html, ".html"),
            ("public", &n.public, ".html"),
            ("indicators", &n.indicators, ".json"),
            ("forms", &n.forms, ""),
        ];
        let mut seen: Vec<String> = Vec::new();
        for (key, name, extension) in names {
            let stem = name.strip_suffix(extension).unwrap_or("");
            if stem.trim().is_empty()
                || name.contains(['/', '\\'])
                || name.starts_with('.')
                || (!extension.is_empty() && !name.ends_with(extension))
            {
                bail!(
                    "mẫu {origin}: tên «{name}» của {key} không dùng được — tên tệp có đuôi «{extension}», không bắt đầu bằng dấu chấm, không có dấu / hay \\ (tệp mặc định: templates/files/ten-tep.toml)"
                );
            }
            let key_lower = name.to_lowercase();
            if seen.contains(&key_lower) {
                bail!("mẫu {origin}: tên «{name}» dùng cho hai tệp — đặt tên khác cho {key}");
            }
            seen.push(key_lower);
        }
        Ok(n)
    }

    /// A name for a period.
    pub fn for_period(name: &str, period: &Period) -> String {
        name.replace("{period}", &period.id)
    }
}

//! The narrative as plain text: a folder beside the narrative file (`narrative/2025-Q4/` for
//! `narrative/2025-Q4.toml`) holding one `.txt` file per report section, named by the section's
//! key (`chi_dao.txt`, `the_che.txt` …), paragraphs separated by blank lines. A person writes it
//! in any editor: quotes, dashes and backslashes are text, not syntax, as they are in TOML.
//! Lines that start with `#` are notes to the writer (the template's instructions), not printed;
//! the lines of one paragraph are joined with a space.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The narrative a district writes: paragraphs by section id (the sections of
/// `report-sections.toml` with `narrative = true`), every such section present, none required.
pub type Narrative = std::collections::BTreeMap<String, Vec<String>>;

/// The text folder of a narrative file: its path without the extension.
pub fn folder_of(file: &Path) -> PathBuf {
    file.with_extension("")
}

/// A section's paragraphs from its file's text.
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// The narrative a text folder holds; every `.txt` file must be a section's, every file must
/// be UTF-8 text.
pub fn read_folder(dir: &Path, sections: &[&str]) -> Result<Narrative> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("không đọc được thư mục lời văn {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    let mut found = Narrative::new();
    for path in entries {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !sections.contains(&stem.as_str()) {
            let names: Vec<String> = sections.iter().map(|s| format!("{s}.txt")).collect();
            bail!(
                "tệp lời văn {} không thuộc mục nào của báo cáo; hãy đặt tên tệp là một trong: {}",
                path.display(),
                names.join(", ")
            );
        }
        let bytes = std::fs::read(&path)
            .with_context(|| format!("không đọc được tệp lời văn {}", path.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            bail!(
                "tệp lời văn {} không phải văn bản UTF-8; hãy mở bằng trình soạn thảo và lưu lại với bảng mã UTF-8",
                path.display()
            );
        };
        let paras = paragraphs(&text);
        if !paras.is_empty() {
            found.insert(stem, paras);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn splits_on_blank_lines_joins_lines_and_skips_notes() {
        let text = "\u{feff}# Ghi chú: không in.\r\nĐoạn một, có \"ngoặc kép\" — gạch ngang\r\nvà dòng thứ hai.\r\n\r\n\r\n  Đoạn hai \\ 100%.  \n# ghi chú\n";
        assert_eq!(
            paragraphs(text),
            vec![
                "Đoạn một, có \"ngoặc kép\" — gạch ngang và dòng thứ hai.".to_string(),
                "Đoạn hai \\ 100%.".to_string(),
            ]
        );
        assert!(paragraphs("# chỉ ghi chú\n\n").is_empty());
    }
}

//! The fixed words of the documents a run writes — the data-quality workbook, the units' forms,
//! the output file names — kept out of Rust like the annexes: each a TOML file under
//! `templates/<folder>/`, embedded as the default and replaced by the locality's own file of
//! the same name in its templates folder. Error messages are not here: they stay in Rust.

pub mod files;
pub mod forms;
pub mod quality;

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads one words file (`<folder>/<name>`): the locality's own when its templates folder has
/// it, else the embedded default; strict, so a misspelt key is refused.
pub fn load<T: DeserializeOwned>(
    dir: Option<&Path>,
    folder: &str,
    name: &str,
    default: &str,
) -> Result<(String, T)> {
    let (origin, text) = crate::render::templates::own_or_default(dir, folder, name, default)?;
    let words = crate::config::errors::parse_toml(&text).with_context(|| {
        format!("mẫu {origin} không hợp lệ — sửa theo tệp mặc định templates/{folder}/{name}")
    })?;
    Ok((origin, words))
}

/// One column of a listing: its header and width.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The header cell.
    pub header: String,
    /// Width, in characters.
    pub width: f64,
}

/// Refuses a list of columns of another length than the code fills.
pub fn check_columns(origin: &str, table: &str, columns: &[Column], n: usize) -> Result<()> {
    if columns.len() != n {
        bail!(
            "mẫu {origin}: bảng [{table}] có {} cột, cần đúng {n} cột (mỗi cột một {{ header, width }}) — sửa theo tệp mặc định",
            columns.len()
        );
    }
    Ok(())
}

/// Refuses a sheet name a workbook cannot hold: empty, longer than 31 characters, or with one
/// of `[ ] : * ? / \`.
pub fn check_sheet_name(origin: &str, table: &str, name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name.chars().count() > 31
        || name.contains(['[', ']', ':', '*', '?', '/', '\\'])
    {
        bail!(
            "mẫu {origin}: tên trang tính «{name}» của [{table}] không dùng được — tên trang tính có từ 1 đến 31 ký tự, không có [ ] : * ? / \\"
        );
    }
    Ok(())
}

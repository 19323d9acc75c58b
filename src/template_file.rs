//! A locality's own template file, or the embedded default: the one rule every document's
//! words and layouts are read by, on the ground floor so that a kind can read its own.

use std::path::Path;

use anyhow::{Context, Result};

/// The text of one template file and where it came from: the locality's
/// `<dir>/<folder>/<name>` when it has the file, else `default` (the embedded one).
pub fn own_or_default(
    dir: Option<&Path>,
    folder: &str,
    name: &str,
    default: &str,
) -> Result<(String, String)> {
    let own = dir
        .map(|d| d.join(folder).join(name))
        .filter(|p| p.exists());
    Ok(match own {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| anyhow::anyhow!(crate::config::errors::io_error(&e)))
                .with_context(|| format!("không đọc được mẫu {}", p.display()))?;
            (p.display().to_string(), text)
        }
        None => (
            format!("(mẫu mặc định) {folder}/{name}"),
            default.to_string(),
        ),
    })
}

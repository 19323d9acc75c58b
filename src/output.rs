//! Writing outputs atomically: every file is rendered in memory and written to a temporary file
//! beside its destination; only when all are written are they renamed into place, so a run that
//! fails leaves no half-written file and the previous good outputs intact.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A file to write: its name and its bytes.
pub type Named = (String, Vec<u8>);

/// Writes every `(file name, bytes)` into `dir`, all or nothing; returns the paths written.
pub fn write_all(dir: &Path, files: &[Named]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục kết quả {}", dir.display()))?;
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut tmp = tempfile::Builder::new()
            .prefix(".cchc-")
            .tempfile_in(dir)
            .with_context(|| format!("không ghi được vào thư mục {}", dir.display()))?;
        tmp.write_all(bytes)
            .and_then(|_| readable_by_all(tmp.as_file()))
            .and_then(|_| tmp.as_file().sync_all())
            .with_context(|| format!("không ghi được {}", dir.join(name).display()))?;
        staged.push((tmp, dir.join(name)));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, dest) in staged {
        tmp.persist(&dest)
            .with_context(|| format!("không ghi được {}", dest.display()))?;
        written.push(dest);
    }
    Ok(written)
}

/// Temporary files are private; outputs are ordinary files others may read.
#[cfg(unix)]
fn readable_by_all(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

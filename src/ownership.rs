//! Which pipeline last wrote an output folder, so that no command replaces what another pipeline
//! wrote (a district's outputs and a commune's, side by side, never overwrite each other) unless
//! the person says so with `--force`. The mark is a JSON file in the folder with the pipeline
//! file's absolute path under `pipeline`: the re-run stamp of `run` ([`crate::rerun`]) carries
//! it, and the forms' folder has its own beside it ([`FORMS_MARK`]).

use std::path::Path;

use anyhow::{bail, Result};
use serde::Deserialize;

/// The stem of the mark of a folder of self-report forms (`cchc forms`), written beside it as
/// `.cchc-bieu-mau-<period>.json`.
/// The stamp's file name in each output folder.
pub const STAMP: &str = ".cchc-lan-chay.json";

pub const FORMS_MARK: &str = ".cchc-bieu-mau";

#[derive(Deserialize)]
struct Mark {
    #[serde(default)]
    pipeline: String,
}

/// A pipeline file as the marks write it: its absolute path.
pub fn owner_of(pipeline: &Path) -> String {
    std::fs::canonicalize(pipeline)
        .unwrap_or_else(|_| pipeline.to_path_buf())
        .display()
        .to_string()
}

/// Refuses to write into `dir` when its mark `mark` names another pipeline than `owner`, unless
/// `force`. A folder without a mark, or a mark without a pipeline (written by an earlier
/// version), belongs to no one.
pub fn check(dir: &Path, mark: &str, owner: &str, force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    let Ok(text) = std::fs::read_to_string(dir.join(mark)) else {
        return Ok(());
    };
    let Ok(found) = serde_json::from_str::<Mark>(&text) else {
        return Ok(());
    };
    if found.pipeline.is_empty() || found.pipeline == owner {
        return Ok(());
    }
    bail!(
        "thư mục \"{}\" đang giữ kết quả của quy trình \"{}\"; không ghi đè bằng kết quả của quy trình \"{owner}\". Hãy chọn thư mục khác bằng --out, hoặc thêm --force nếu muốn thay kết quả đó.",
        dir.display(),
        found.pipeline
    )
}

/// Leaves the mark `mark` naming `owner` in `dir` (written whole: a temporary file renamed).
pub fn mark(dir: &Path, mark: &str, owner: &str) -> Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&serde_json::to_vec_pretty(
        &serde_json::json!({ "pipeline": owner }),
    )?)?;
    tmp.persist(dir.join(mark))?;
    Ok(())
}

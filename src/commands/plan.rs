//! `cchc plan import`: reads a plan file with [`crate::plan`], checks that what it would write
//! loads as the pipeline's plan, and writes it — never over an existing file without `--force`.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::cli::PlanImportArgs;
use crate::tasks::LeadNames;

/// Runs `plan import`; returns what to print.
pub fn import(args: &PlanImportArgs) -> Result<String> {
    let files = crate::plan::plan_files(&args.pipeline)?;
    let names = LeadNames::load(&files.bodies, &files.units)?;
    let dir = args.pipeline.parent().unwrap_or(Path::new("."));
    let words = crate::plan::vocabulary::load(dir)?;
    let imported = crate::plan::import(&args.file, &names, &words, args.year)?;
    let target = args.out.clone().unwrap_or(files.tasks.clone());
    let draft =
        (!imported.targets.is_empty()).then(|| target.with_file_name("targets-de-xuat.toml"));
    // The starting file `init` writes holds no task yet: replacing it loses nothing.
    let starting = target.exists() && holds_no_plan(&target);
    for f in std::iter::once(&target).chain(draft.as_ref()) {
        if f.exists() && !args.force && !(starting && f == &target) {
            bail!(
                "{} đã có: không ghi đè. Xem lại tệp đó; muốn thay bằng kế hoạch vừa đọc thì chạy lại với --force, hoặc ghi ra tệp khác với --out <tệp>",
                f.display()
            );
        }
    }
    let text = crate::plan::tasks_toml(&imported);
    let out_dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(out_dir)
        .with_context(|| format!("không ghi được vào thư mục {}", out_dir.display()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    // What is written must load as the pipeline's plan: a fault here is the importer's.
    crate::tasks::load_unwarned(tmp.path(), &files.bodies, &files.units, files.rule)
        .context("tasks.toml đọc được từ kế hoạch không hợp lệ (lỗi của chương trình, hãy báo lại kèm tệp kế hoạch)")?;
    tmp.persist(&target)
        .with_context(|| format!("không ghi được {}", target.display()))?;
    if let Some(d) = &draft {
        let source = args
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::write(
            d,
            crate::plan::targets::draft_toml(&imported.targets, &source),
        )
        .with_context(|| format!("không ghi được {}", d.display()))?;
    }
    Ok(crate::plan::screen(&imported, &target, draft.as_deref()))
}

/// Whether a tasks file holds no plan yet: besides comments and blank lines, at most its `year`
/// (the file `cchc init` writes before a plan is imported).
fn holds_no_plan(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .all(|l| l.starts_with("year") && l.contains('='))
    })
}

//! `cchc alerts` end to end: the same inputs and store as `run` (read, or synced through the
//! store), `run`'s rules, the list of the day ([`super::compute`]), its workbook and page
//! written atomically into a folder of their own that no other pipeline's list may take over.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AlertInput, Alerts};
use crate::config::Pipeline;
use crate::dataset;
use crate::kinds;

/// What to list.
#[derive(Debug, Clone)]
pub struct AlertRequest {
    /// The pipeline file.
    pub pipeline: PathBuf,
    /// The day the list is for (today when None).
    pub as_of: Option<NaiveDate>,
    /// The due-soon horizon in working days (the pipeline's `[alerts] days` when None).
    pub days: Option<u32>,
    /// Input folders or files; the pipeline's own inputs when empty.
    pub inputs: Vec<PathBuf>,
    /// The store to keep what is read in, and read from; None reads the inputs only.
    pub store: Option<PathBuf>,
    /// With a store: list from every file it holds, not only these inputs (as `run
    /// --all-stored`); with no `--input`, the exports are then not read at all.
    pub all_stored: bool,
    /// Output folder (`out/canh-bao` beside the pipeline file when None).
    pub out: Option<PathBuf>,
    /// Show a progress bar.
    pub progress: bool,
}

/// What a list run produced.
#[derive(Debug)]
pub struct AlertReport {
    /// The list.
    pub alerts: Alerts,
    /// The one-screen summary.
    pub summary: String,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// The mark an alerts folder carries: which pipeline's lists it holds.
pub const OWNER: &str = ".cchc-canh-bao.json";

#[derive(Debug, Serialize, Deserialize)]
struct Owner {
    /// The pipeline file whose lists the folder holds (absolute).
    pipeline: String,
}

/// The default output folder, relative to the pipeline file's folder.
pub fn default_out() -> PathBuf {
    PathBuf::from("out").join("canh-bao")
}

/// Computes the list of a request, without writing.
pub fn compute_request(req: &AlertRequest) -> Result<(std::sync::Arc<Pipeline>, Alerts)> {
    crate::memory::trace("bắt đầu");
    let pipeline = crate::kinds::load_pipeline(&req.pipeline)
        .with_context(|| format!("không dùng được tệp quy trình {}", req.pipeline.display()))?;
    let Some(settings) = pipeline.alerts else {
        bail!(
            "tệp quy trình {} chưa có mục [alerts] (số ngày làm việc của danh sách cảnh báo); thêm vào tệp:\n[alerts]\ndays = 3\ntask_days = 10\nstale_after = 2",
            req.pipeline.display()
        );
    };
    let as_of = req
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let inputs = if req.all_stored && req.store.is_some() && req.inputs.is_empty() {
        Vec::new()
    } else {
        dataset::input_files(&pipeline, &req.inputs)?
    };
    // From every stored file, the dossiers are the store's table of winners.
    let winners_only = req.store.is_some() && req.all_stored;
    let mut data = match &req.store {
        // The list reads no satisfaction survey.
        Some(dir) => dataset::sync_store_kinds(
            &pipeline,
            dir,
            &inputs,
            None,
            req.progress,
            req.all_stored,
            &[
                &kinds::dossier::Dossier,
                &kinds::pakn::Pakn,
                &kinds::self_report::SelfReport,
            ],
            // From every stored file: the winning copies only (the list shows no copy dropped).
            winners_only,
        )?,
        None => dataset::read_inputs(&pipeline, &inputs, req.progress)?,
    };
    let alerts = super::compute(AlertInput {
        pipeline: &pipeline,
        frames: std::mem::take(&mut data.frames),
        n_files: data.files.len(),
        as_of,
        days: req.days.unwrap_or(settings.days),
        task_days: settings.task_days,
        stale_after: settings.stale_after,
        quarantined_rows: data.quarantine.len(),
        winners_only,
        latest_dossier_day: data.latest_dossier_day,
    })?;
    crate::memory::trace("lập danh sách");
    Ok((std::sync::Arc::new(pipeline), alerts))
}

/// Computes the list of a request and writes its workbook and page.
pub fn run(req: &AlertRequest) -> Result<AlertReport> {
    let (pipeline, alerts) = compute_request(req)?;
    let dir = req.out.clone().unwrap_or_else(|| {
        req.pipeline
            .parent()
            .unwrap_or(Path::new(""))
            .join(default_out())
    });
    let owner = owner_of(&pipeline.path);
    check_owner(&dir, &owner)?;
    let words = super::render::Words::load(pipeline.templates.as_deref())?;
    let id = alerts.as_of.format("%Y-%m-%d").to_string();
    // The page and the full list are made beside the workbook, on another core when there is
    // one.
    let (xlsx, html, full) = std::thread::scope(|scope| {
        let page = scope.spawn(|| {
            super::render::page(pipeline.templates.as_deref(), &pipeline, &words, &alerts)
        });
        let full = scope.spawn(|| super::render::full_list(&pipeline, &words, &alerts));
        let xlsx = super::render::workbook(&pipeline, &words, &alerts);
        crate::memory::trace("tệp xlsx");
        let join = |t: std::thread::ScopedJoinHandle<'_, Result<Vec<u8>>>| {
            t.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        (xlsx, join(page), join(full))
    });
    let (xlsx, html, full) = (xlsx?, html?, full?);
    // The full list is written every time, cut or not: the set of files is the same each day.
    let files = vec![
        (format!("canh-bao-{id}.xlsx"), xlsx),
        (format!("canh-bao-{id}.html"), html),
        (super::render::full_list_file(alerts.as_of), full),
        (
            OWNER.to_string(),
            serde_json::to_vec_pretty(&Owner { pipeline: owner })?,
        ),
    ];
    crate::memory::trace("trang html");
    let written = crate::output::write_all(&dir, &files)?
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != OWNER))
        .collect::<Vec<_>>();
    let summary = super::render::summary(&pipeline, &words, &alerts, &written);
    Ok(AlertReport {
        alerts,
        summary,
        written,
    })
}

/// The absolute path of a pipeline file, as an output folder's mark records it.
pub(crate) fn owner_of(pipeline: &Path) -> String {
    std::fs::canonicalize(pipeline)
        .unwrap_or_else(|_| pipeline.to_path_buf())
        .display()
        .to_string()
}

/// Refuses a folder whose lists are another pipeline's.
fn check_owner(dir: &Path, owner: &str) -> Result<()> {
    check_mark(dir, OWNER, owner, "danh sách cảnh báo", "cchc alerts")
}

/// Refuses a folder whose mark `mark` names another pipeline than `owner`: `what` names what
/// the folder holds ("danh sách cảnh báo"), `command` the command that marks it.
pub(crate) fn check_mark(
    dir: &Path,
    mark: &str,
    owner: &str,
    what: &str,
    command: &str,
) -> Result<()> {
    let mark = dir.join(mark);
    let Ok(text) = std::fs::read_to_string(&mark) else {
        return Ok(());
    };
    match serde_json::from_str::<Owner>(&text) {
        Ok(o) if o.pipeline == owner => Ok(()),
        Ok(o) => bail!(
            "thư mục {} đang giữ {what} của quy trình {}; không ghi đè. Chọn thư mục khác bằng --out",
            dir.display(),
            o.pipeline
        ),
        Err(_) => bail!(
            "không đọc được {}; thư mục {} có thể không phải của {command}. Chọn thư mục khác bằng --out",
            mark.display(),
            dir.display()
        ),
    }
}

/// The mark's contents for a pipeline.
pub(crate) fn mark_of(owner: String) -> Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(&Owner { pipeline: owner })?)
}

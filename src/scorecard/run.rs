//! `cchc scorecard` end to end: the same inputs and store as `run` (read, or synced through
//! the store) read once, the 766 rules over every window asked for, the portal's table read
//! back when given, and per window a workbook and a page written atomically into a folder no
//! other pipeline's scorecards may take over.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::config::Pipeline;
use crate::dataset;
use crate::index766::config::Index766Config;
use crate::index766::estimate::{Facts, WindowScores};
use crate::index766::portal::{self, GroupCheck, PortalTable};
use crate::period::Window;

/// What to score.
#[derive(Debug, Clone)]
pub struct ScorecardRequest {
    /// The pipeline file.
    pub pipeline: PathBuf,
    /// Windows: `2025-W47`, a list, or a range (`2025-W01..2025-W52`).
    pub periods: String,
    /// Input folders or files; the pipeline's own inputs when empty.
    pub inputs: Vec<PathBuf>,
    /// The store to keep what is read in, and read from; None reads the inputs only.
    pub store: Option<PathBuf>,
    /// The portal's published tables (one per window, matched by the dates of its title); tables
    /// among the inputs (kind `portal_766`) are matched by their window too.
    pub portal: Vec<PathBuf>,
    /// Output folder (`out/chi-so-766` when None).
    pub out: Option<PathBuf>,
    /// Show a progress bar.
    pub progress: bool,
    /// List at most `lost_rows` of index766.toml records that cost points per unit (what the
    /// command writes); false keeps them all.
    pub lost_limit: bool,
}

/// One window's result.
#[derive(Debug)]
pub struct WindowResult {
    /// Scores.
    pub scores: WindowScores,
    /// Reconciliation with the portal (empty without its table).
    pub checks: Vec<GroupCheck>,
    /// The portal file used.
    pub portal_file: Option<String>,
    /// Rows of the portal's table whose unit the registry does not know: (row, name).
    pub portal_unknown: Vec<(u32, String)>,
}

/// What a scorecard run produced.
#[derive(Debug)]
pub struct ScorecardReport {
    /// Per window.
    pub windows: Vec<WindowResult>,
    /// The text for the terminal.
    pub summary: String,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// The mark a scorecard folder carries.
pub const OWNER: &str = ".cchc-chi-so-766.json";

/// The default output folder, relative to the pipeline file's folder.
pub fn default_out() -> PathBuf {
    PathBuf::from("out").join("chi-so-766")
}

/// Matches each portal table to a window: by the dates of its title, else the only window.
fn portal_for(windows: &[Window], tables: &[PortalTable]) -> Result<Vec<Option<usize>>> {
    let mut out = vec![None; windows.len()];
    for (t, table) in tables.iter().enumerate() {
        let by_title = table
            .title_window
            .and_then(|(a, b)| windows.iter().position(|w| w.start == a && w.end == b));
        let k = match (by_title, windows.len()) {
            (Some(k), _) => k,
            (None, 1) => 0,
            (None, _) => bail!(
                "bảng điểm Cổng DVCQG {} không ghi kỳ (hai ngày dạng ngày/tháng/năm ở dòng tiêu đề) trùng kỳ nào đã nêu; chạy riêng kỳ của bảng bằng --period",
                table.file
            ),
        };
        if out[k].replace(t).is_some() {
            bail!(
                "có hai bảng điểm Cổng DVCQG cho kỳ {}; giữ một bảng",
                windows[k].id
            );
        }
    }
    Ok(out)
}

/// Computes every window of a request, without writing.
pub fn compute_request(
    req: &ScorecardRequest,
) -> Result<(Pipeline, Index766Config, Vec<WindowResult>)> {
    let pipeline = crate::kinds::load_pipeline(&req.pipeline)
        .with_context(|| format!("không dùng được tệp quy trình {}", req.pipeline.display()))?;
    let (cfg, _) = Index766Config::load_for(&req.pipeline)?;
    let windows = Window::parse_list(&req.periods)?;
    let mut tables = req
        .portal
        .iter()
        .map(|p| portal::read(&pipeline, &cfg, p))
        .collect::<Result<Vec<_>>>()?;
    let inputs = dataset::input_files(&pipeline, &req.inputs)?;
    let mut data = match &req.store {
        Some(dir) => dataset::sync_store(&pipeline, dir, &inputs, None, req.progress, false)?,
        None => dataset::read_inputs(&pipeline, &inputs, req.progress)?,
    };
    let frames = std::mem::take(&mut data.frames);
    // Portal tables among the inputs (kind `portal_766`) join those given with --portal.
    if let Some(f) = frames.get(crate::kinds::portal_766::ID) {
        let groups: Vec<String> = cfg.groups.iter().map(|g| g.id.clone()).collect();
        let files = |i: usize| {
            data.files
                .get(i)
                .map_or(String::new(), |f| f.display.clone())
        };
        for (_, window, mut table) in crate::kinds::portal_766::records::tables(f, &groups, &files)?
        {
            // A table of a window not asked for scores nothing here.
            if windows.iter().any(|w| (w.start, w.end) == window) {
                table.title_window = Some(window);
                tables.push(table);
            }
        }
    }
    let matched = portal_for(&windows, &tables)?;
    let results = {
        let mut facts = Facts::of(&pipeline, &cfg, frames, data.files.len())?;
        facts.limit_lost(req.lost_limit.then_some(cfg.lost_rows).filter(|n| *n > 0));
        crate::memory::trace("áp dụng quy tắc");
        let mut results = Vec::with_capacity(windows.len());
        for (w, t) in windows.iter().zip(&matched) {
            let mut scores = facts.score(w)?;
            let (checks, portal_file, portal_unknown) = match t {
                Some(t) => (
                    portal::reconcile(&cfg, &mut scores, &tables[*t]),
                    Some(tables[*t].file.clone()),
                    tables[*t].unknown_units.clone(),
                ),
                None => (Vec::new(), None, Vec::new()),
            };
            results.push(WindowResult {
                scores,
                checks,
                portal_file,
                portal_unknown,
            });
        }
        results
    };
    Ok((pipeline, cfg, results))
}

/// Computes a request and writes each window's workbook and page.
pub fn run(req: &ScorecardRequest) -> Result<ScorecardReport> {
    let (pipeline, cfg, windows) = compute_request(req)?;
    let dir = req.out.clone().unwrap_or_else(|| {
        req.pipeline
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(default_out())
    });
    let owner = crate::alerts::run::owner_of(&pipeline.path);
    crate::alerts::run::check_mark(
        &dir,
        OWNER,
        &owner,
        "bảng điểm Chỉ số 766",
        "cchc scorecard",
    )?;
    let words = super::render::Words::load(pipeline.templates.as_deref())?;
    let mut files = Vec::new();
    let mut summary = String::new();
    let detailed = windows.len() <= 3;
    for w in &windows {
        let v = super::render::view(
            &pipeline.district,
            &cfg,
            &words,
            &w.scores,
            &w.checks,
            w.portal_file.as_deref(),
        );
        if detailed {
            summary.push_str(&super::render::table(&v));
            summary.push('\n');
        } else {
            summary.push_str(&format!(
                "{}: {} {} / {} điểm\n",
                w.scores.window.id,
                w.scores.locality.unit,
                crate::vn::number(w.scores.locality.total),
                crate::vn::number(w.scores.locality.max)
            ));
        }
        for (row, name) in &w.portal_unknown {
            summary.push_str(&format!(
                "Lưu ý: bảng điểm Cổng DVCQG {}, dòng {row}: đơn vị «{name}» không có trong danh mục đơn vị (units.toml), không đối chiếu; thêm tên này vào aliases của đơn vị nếu đúng là đơn vị của địa phương.\n",
                w.portal_file.as_deref().unwrap_or("")
            ));
        }
        let id = &w.scores.window.id;
        files.push((
            format!("chi-so-766-{id}.xlsx"),
            super::render::workbook(&v)?,
        ));
        files.push((
            format!("chi-so-766-{id}.html"),
            super::render::page(pipeline.templates.as_deref(), &v)?,
        ));
    }
    files.push((OWNER.to_string(), crate::alerts::run::mark_of(owner)?));
    let written = crate::output::write_all(&dir, &files)?
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != OWNER))
        .collect::<Vec<_>>();
    summary.push_str(&format!(
        "Đã ghi {} tệp vào {}\n",
        written.len(),
        dir.display()
    ));
    Ok(ScorecardReport {
        windows,
        summary,
        written,
    })
}

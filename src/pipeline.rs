//! The orchestrator: configuration → ingest → normalize → (store) → rules → indicators →
//! render → write.
//!
//! Each stage takes the previous one's output. The rules run once; the figures of every
//! requested period are computed from the same dossier table, so a period computed with others
//! is identical to the same period computed alone. Nothing is written until every period is
//! rendered and every file's rows are accounted for.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::*;
use rayon::prelude::*;

use crate::config::{self, Pipeline};
use crate::indicators::{self, Indicators};
use crate::ingest::{self, SkippedSheet, UnknownColumn};
use crate::memory;
use crate::model::SourceFile;
use crate::normalize;
use crate::output;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, RowAccount, SkippedRow, Warning};
use crate::render;
use crate::rerun::RunKey;
use crate::rules;
use crate::store::{self, NewSource, SourceQuality, Store};
use crate::summary;

/// Which files a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outputs {
    /// Everything `cchc run` writes.
    All,
    /// Only the data-quality workbook (`cchc check`).
    QualityOnly,
    /// Nothing (`cchc indicators`, `cchc ingest`).
    Nothing,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The pipeline file.
    pub pipeline: PathBuf,
    /// Period ids: one (`2024-Q1`), a list (`2024-Q1,2024-H1`) or a range (`2023-Q1..2024-Q4`);
    /// the pipeline's own period when None.
    pub period: Option<String>,
    /// Input folders or files; the pipeline's own inputs when empty.
    pub inputs: Vec<PathBuf>,
    /// Output folder; `out/<period>` when None. With several periods, one subfolder each.
    pub out: Option<PathBuf>,
    /// Which files to write.
    pub outputs: Outputs,
    /// Show a progress bar (only drawn on a terminal).
    pub progress: bool,
    /// The dossier store to keep what is read in, and compute from; None reads the inputs only.
    pub store: Option<PathBuf>,
    /// Compute from every file the store holds, not only this run's inputs.
    pub all_stored: bool,
}

/// Everything a run found for one period, and the files it wrote.
#[derive(Debug)]
pub struct RunReport {
    /// The resolved pipeline.
    pub pipeline: Arc<Pipeline>,
    /// The period.
    pub period: Period,
    /// Source files, in input order (with a store: every file in it).
    pub files: Vec<SourceFile>,
    /// Row account, per file, for this period.
    pub accounts: Vec<RowAccount>,
    /// The figures.
    pub indicators: Indicators,
    /// Quarantined rows.
    pub quarantine: Vec<Quarantined>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Duplicates resolved.
    pub duplicates: Vec<DuplicateResolved>,
    /// Unknown columns.
    pub unknown_columns: Vec<UnknownColumn>,
    /// Sheets passed over.
    pub skipped_sheets: Vec<SkippedSheet>,
    /// Rows that are not records (totals, signatures).
    pub skipped_rows: Vec<SkippedRow>,
    /// Files read from disk in this run (the rest came unchanged from the store).
    pub files_read: usize,
    /// Stored files normalized under another configuration and not among this run's inputs.
    pub stale_sources: Vec<String>,
    /// The submission file's bytes.
    pub indicators_json: Vec<u8>,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// Everything read, before the rules: the files, their records, and their data-quality account.
struct Dataset {
    files: Vec<SourceFile>,
    frame: DataFrame,
    quarantine: Vec<Quarantined>,
    warnings: Vec<Warning>,
    read: Vec<u64>,
    blank_rows: Vec<u64>,
    unknown_columns: Vec<UnknownColumn>,
    skipped_sheets: Vec<SkippedSheet>,
    skipped_rows: Vec<SkippedRow>,
    files_read: usize,
    stale_sources: Vec<String>,
}

fn progress_bar(n: usize, enabled: bool) -> ProgressBar {
    let target = if enabled {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(Some(n as u64), target);
    pb.set_style(
        ProgressStyle::with_template("Đang đọc {pos}/{len} tệp [{bar:30}] {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb
}

/// One input file, read and normalized.
struct FileData {
    read: ingest::FileRead,
    normalized: normalize::Normalized,
}

/// Reads and normalizes files in parallel, one file at a time per core, so that only the
/// normalized records of a file outlive its raw cells; with a progress bar. Every unreadable
/// file is named before anything else happens.
fn read_files(pipeline: &Pipeline, paths: &[PathBuf], progress: bool) -> Result<Vec<FileData>> {
    use rayon::prelude::*;
    let pb = progress_bar(paths.len(), progress);
    let results: Vec<Result<Result<FileData, (String, ingest::FileProblem)>>> = paths
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let read = ingest::read_file(pipeline, index, path);
            pb.set_message(ingest::display_path(path));
            pb.inc(1);
            match read {
                Ok(mut read) => {
                    let normalized = normalize::normalize(pipeline, &read.tables)?;
                    read.tables = Vec::new();
                    Ok(Ok(FileData { read, normalized }))
                }
                Err(problem) => Ok(Err(problem)),
            }
        })
        .collect();
    pb.finish_and_clear();
    memory::release();
    memory::trace("đọc và chuẩn hóa từng tệp");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r? {
            Ok(f) => files.push(f),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(ingest::UnreadableFiles(problems).into());
    }
    Ok(files)
}

/// Builds the dataset of files read in this run: file `i` of `files` becomes source `offset + i`.
fn dataset_of(files: Vec<FileData>) -> Result<Dataset> {
    let mut data = Dataset::empty();
    let mut frames = Vec::new();
    for f in files {
        data.files_read += 1;
        data.read.push(f.normalized.read);
        data.blank_rows.push(f.normalized.blank_rows);
        data.quarantine.extend(f.normalized.quarantine);
        data.warnings.extend(f.normalized.warnings);
        data.skipped_rows.extend(f.normalized.skipped_rows);
        data.unknown_columns.extend(f.read.unknown);
        data.skipped_sheets.extend(f.read.skipped);
        data.files.push(f.read.source);
        frames.push(f.normalized.frame);
    }
    data.frame = concat_frames(frames)?;
    Ok(data)
}

/// Stacks the record frames of several files (an empty table when there are none). The files'
/// chunks are appended as they are: copying them into one would double the memory.
fn concat_frames(frames: Vec<DataFrame>) -> Result<DataFrame> {
    let mut frames = frames.into_iter();
    let Some(mut frame) = frames.next() else {
        return normalize::to_frame(&[]);
    };
    for f in frames {
        frame.vstack_mut_owned(f)?;
    }
    normalize::unify_names(frame)
}

impl Dataset {
    fn empty() -> Dataset {
        Dataset {
            files: Vec::new(),
            frame: DataFrame::empty(),
            quarantine: Vec::new(),
            warnings: Vec::new(),
            read: Vec::new(),
            blank_rows: Vec::new(),
            unknown_columns: Vec::new(),
            skipped_sheets: Vec::new(),
            skipped_rows: Vec::new(),
            files_read: 0,
            stale_sources: Vec::new(),
        }
    }
}

/// Reads every input, keeping nothing.
fn read_inputs(pipeline: &Pipeline, paths: &[PathBuf], progress: bool) -> Result<Dataset> {
    dataset_of(read_files(pipeline, paths, progress)?)
}

/// The record of one stored source, as the store keeps it: file indexes set to 0.
fn new_source(f: FileData) -> NewSource {
    let at_zero = |mut r: crate::model::RowRef| {
        r.file = 0;
        r
    };
    let n = f.normalized;
    NewSource {
        read: n.read,
        blank_rows: n.blank_rows,
        quality: SourceQuality {
            quarantine: n
                .quarantine
                .into_iter()
                .map(|q| Quarantined {
                    source: at_zero(q.source.clone()),
                    ..q
                })
                .collect(),
            warnings: n
                .warnings
                .into_iter()
                .map(|w| Warning {
                    source: at_zero(w.source.clone()),
                    ..w
                })
                .collect(),
            unknown_columns: f
                .read
                .unknown
                .into_iter()
                .map(|u| UnknownColumn { file: 0, ..u })
                .collect(),
            skipped_sheets: f
                .read
                .skipped
                .into_iter()
                .map(|s| SkippedSheet { file: 0, ..s })
                .collect(),
            skipped_rows: n
                .skipped_rows
                .into_iter()
                .map(|r| SkippedRow {
                    source: at_zero(r.source.clone()),
                    ..r
                })
                .collect(),
        },
        file: f.read.source,
        frame: n.frame,
    }
}

/// Reads the inputs the store does not hold as they are and stores them; then loads the
/// stored records of this run's inputs, in input order — or, with `all_stored`, of every file
/// the store holds, in the order they were first stored.
fn sync_store(
    pipeline: &Pipeline,
    dir: &Path,
    paths: &[PathBuf],
    hashes: Option<&[String]>,
    progress: bool,
    all_stored: bool,
) -> Result<Dataset> {
    let mut store = Store::open(dir)?;
    let keys: Vec<String> = paths.iter().map(|p| store::source_key(p)).collect();
    let mut todo = Vec::new();
    for (i, (p, key)) in paths.iter().zip(&keys).enumerate() {
        let sha = match hashes {
            Some(h) => h[i].clone(),
            None => store::file_sha256(p)?,
        };
        if !store.holds(key, &sha, &pipeline.normalization_fingerprint) {
            todo.push(p.clone());
        }
    }
    if !todo.is_empty() {
        let new = read_files(pipeline, &todo, progress)?
            .into_iter()
            .map(new_source)
            .collect();
        store
            .put(new, &pipeline.normalization_fingerprint)
            .with_context(|| format!("không ghi được kho dữ liệu {}", dir.display()))?;
        memory::release();
        memory::trace("ghi kho dữ liệu");
    }
    let chosen: Vec<&store::SourceEntry> = if all_stored {
        store.sources().iter().collect()
    } else {
        keys.iter()
            .filter_map(|k| store.sources().iter().find(|s| &s.key == k))
            .collect()
    };
    let mut data = Dataset::empty();
    data.frame = normalize::unify_names(store.load_frame(&chosen)?)?;
    memory::trace("đọc kho dữ liệu");
    data.files_read = todo.len();
    data.stale_sources = chosen
        .iter()
        .filter(|s| s.fingerprint != pipeline.normalization_fingerprint)
        .map(|s| s.path.clone())
        .collect();
    for (i, s) in chosen.iter().enumerate() {
        data.files.push(SourceFile {
            index: i,
            path: PathBuf::from(&s.path),
            display: s.path.clone(),
            sha256: s.sha256.clone(),
            configured_unit: None,
        });
        data.read.push(s.read);
        data.blank_rows.push(s.blank_rows);
        let q = store.quality(s)?;
        let at = |mut r: crate::model::RowRef| {
            r.file = i;
            r
        };
        data.quarantine
            .extend(q.quarantine.into_iter().map(|x| Quarantined {
                source: at(x.source.clone()),
                ..x
            }));
        data.warnings
            .extend(q.warnings.into_iter().map(|x| Warning {
                source: at(x.source.clone()),
                ..x
            }));
        data.unknown_columns.extend(
            q.unknown_columns
                .into_iter()
                .map(|u| UnknownColumn { file: i, ..u }),
        );
        data.skipped_sheets.extend(
            q.skipped_sheets
                .into_iter()
                .map(|s| SkippedSheet { file: i, ..s }),
        );
        data.skipped_rows
            .extend(q.skipped_rows.into_iter().map(|r| SkippedRow {
                source: at(r.source.clone()),
                ..r
            }));
    }
    Ok(data)
}

/// Reads and stores the inputs without computing anything (`cchc ingest`); returns how many
/// files were read and how many the store holds.
pub fn ingest_only(req: &RunRequest) -> Result<(usize, usize)> {
    let pipeline = config::load(&req.pipeline)
        .with_context(|| format!("không dùng được tệp quy trình {}", req.pipeline.display()))?;
    let paths = input_paths(&pipeline, req)?;
    let Some(dir) = &req.store else {
        bail!("cần chỉ định thư mục kho dữ liệu (--store)")
    };
    let data = sync_store(&pipeline, dir, &paths, None, req.progress, true)?;
    Ok((data.files_read, data.files.len()))
}

fn input_paths(pipeline: &Pipeline, req: &RunRequest) -> Result<Vec<PathBuf>> {
    let roots = if req.inputs.is_empty() {
        pipeline.inputs.clone()
    } else {
        req.inputs.clone()
    };
    let paths = ingest::list_inputs(&roots)?;
    if paths.is_empty() {
        bail!(
            "không có tệp bảng tính (.xlsx, .xls, .ods, .csv) nào trong: {}",
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(paths)
}

/// The previous period's total counts, when the dossier table reaches back to its start (a
/// table that begins later would understate it).
pub fn previous_totals(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
) -> Result<Option<(Period, indicators::Counts)>> {
    let Some(previous) = period.previous() else {
        return Ok(None);
    };
    let earliest = frame.column("received")?.i32()?.iter().flatten().min();
    match earliest {
        Some(first) if first <= normalize::day_number(previous.start) => {
            let form = indicators::form06::form06(frame, &previous, n_files)?;
            let mut total = indicators::Counts::default();
            for row in &form.rows {
                total.add(&row.counts);
            }
            Ok(Some((previous, total)))
        }
        _ => Ok(None),
    }
}

/// Runs a pipeline for one period (the request must name at most one).
pub fn run(req: &RunRequest) -> Result<RunReport> {
    let mut reports = run_periods(req)?;
    if reports.len() != 1 {
        bail!(
            "yêu cầu này chỉ chạy một kỳ báo cáo, nhưng «{}» gồm {} kỳ",
            req.period.clone().unwrap_or_default(),
            reports.len()
        );
    }
    Ok(reports.remove(0))
}

/// The pipeline, the periods and the input files a request names.
fn prepare(req: &RunRequest) -> Result<(Arc<Pipeline>, Vec<Period>, Vec<PathBuf>)> {
    let pipeline =
        Arc::new(config::load(&req.pipeline).with_context(|| {
            format!("không dùng được tệp quy trình {}", req.pipeline.display())
        })?);
    let spec = req
        .period
        .clone()
        .unwrap_or_else(|| pipeline.period.clone());
    let periods = Period::parse_list(&spec, pipeline.period_rule)?;
    let paths = if req.all_stored && req.store.is_some() && req.inputs.is_empty() {
        Vec::new()
    } else {
        input_paths(&pipeline, req)?
    };
    Ok((pipeline, periods, paths))
}

/// The folder a period's outputs go to.
fn out_dir(req: &RunRequest, period: &Period, n_periods: usize) -> PathBuf {
    match (&req.out, n_periods) {
        (Some(out), 1) => out.clone(),
        (Some(out), _) => out.join(&period.id),
        (None, _) => PathBuf::from("out").join(&period.id),
    }
}

/// Runs a pipeline for every requested period: reads (or syncs the store), decides once,
/// computes and renders each period, then writes all outputs.
pub fn run_periods(req: &RunRequest) -> Result<Vec<RunReport>> {
    let (pipeline, periods, paths) = prepare(req)?;
    run_prepared(req, pipeline, &periods, &paths, None)
}

/// What `cchc run` did: the summary to print, and whether the outputs of an identical earlier
/// run were kept instead of being computed again.
#[derive(Debug)]
pub struct RunOutcome {
    /// The run's summary (the earlier run's, when reused).
    pub summary: String,
    /// Nothing had changed: nothing was computed or written.
    pub reused: bool,
}

/// Runs a pipeline like [`run_periods`] unless an identical run already wrote its outputs and
/// they are intact (see [`rerun`]); `force` computes in any case.
pub fn run_or_reuse(req: &RunRequest, force: bool) -> Result<RunOutcome> {
    memory::trace("bắt đầu");
    let (pipeline, periods, paths) = prepare(req)?;
    let dirs: Vec<PathBuf> = periods
        .iter()
        .map(|p| out_dir(req, p, periods.len()))
        .collect();
    let hashes = paths
        .par_iter()
        .map(|p| store::file_sha256(p))
        .collect::<Result<Vec<String>>>()?;
    let inputs: Vec<(String, String)> = paths
        .iter()
        .map(|p| store::source_key(p))
        .zip(hashes.iter().cloned())
        .collect();
    let manifest = match (&req.store, req.all_stored) {
        (Some(dir), true) => Some(dir.join("manifest.json")),
        _ => None,
    };
    let request = format!(
        "{:?}|{:?}|{:?}|{:?}|{}",
        periods.iter().map(|p| &p.id).collect::<Vec<_>>(),
        req.outputs,
        req.out,
        req.store,
        req.all_stored
    );
    let key = RunKey::new(&pipeline, &request, &periods, &inputs, manifest.as_deref());
    if !force {
        if let Some(summary) = key.reusable(&dirs) {
            return Ok(RunOutcome {
                summary,
                reused: true,
            });
        }
    }
    memory::trace("băm tệp đầu vào");
    let reports = run_prepared(req, pipeline, &periods, &paths, Some(&hashes))?;
    let summary = summary::runs_summary(&reports);
    for (dir, report) in dirs.iter().zip(&reports) {
        if !report.written.is_empty() {
            key.stamp(dir, &report.written, &summary)?;
        }
    }
    memory::trace("ghi xong");
    Ok(RunOutcome {
        summary,
        reused: false,
    })
}

/// Runs the prepared request; `hashes` are the inputs' sha256 when already computed.
fn run_prepared(
    req: &RunRequest,
    pipeline: Arc<Pipeline>,
    periods: &[Period],
    paths: &[PathBuf],
    hashes: Option<&[String]>,
) -> Result<Vec<RunReport>> {
    let data = match &req.store {
        Some(dir) => sync_store(&pipeline, dir, paths, hashes, req.progress, req.all_stored)?,
        None => read_inputs(&pipeline, paths, req.progress)?,
    };
    memory::trace("đọc xong");
    let n_files = data.files.len();
    let ruled = rules::apply(data.frame, pipeline.withdrawn, n_files)?;
    memory::trace("áp dụng quy tắc");
    let rules::Ruled {
        frame,
        duplicates,
        withdrawn_per_file,
    } = ruled;
    // The figures of every period first; then the dossier table is let go before rendering,
    // which at city scale holds long lists of its own.
    let figures: Vec<(Indicators, Option<(Period, indicators::Counts)>)> = periods
        .par_iter()
        .map(|period| {
            let indicators = indicators::compute(&pipeline, &frame, period, n_files)?;
            let previous = if req.outputs == Outputs::All {
                previous_totals(&frame, period, n_files)?
            } else {
                None
            };
            Ok((indicators, previous))
        })
        .collect::<Result<_>>()?;
    drop(frame);
    memory::release();
    memory::trace("tính số liệu");
    let data = Dataset {
        frame: DataFrame::empty(),
        ..data
    };
    let rendered: Vec<(RunReport, Option<PendingWrite>)> = periods
        .par_iter()
        .zip(figures)
        .map(|(period, (indicators, previous))| {
            render_period(
                req,
                &pipeline,
                &data,
                &duplicates,
                &withdrawn_per_file,
                periods.len(),
                period,
                indicators,
                previous,
            )
        })
        .collect::<Result<_>>()?;
    memory::trace("dựng kết quả");
    // Nothing is written until every period is rendered.
    let mut reports = Vec::new();
    for (mut report, write) in rendered {
        if let Some((dir, files)) = write {
            report.written = output::write_all(&dir, &files)?;
        }
        reports.push(report);
    }
    Ok(reports)
}

/// A period's output folder and the files to write in it.
type PendingWrite = (PathBuf, Vec<output::Named>);

/// The outputs of one period, from its figures: row accounts (checked), then every document.
#[allow(clippy::too_many_arguments)]
fn render_period(
    req: &RunRequest,
    pipeline: &Arc<Pipeline>,
    data: &Dataset,
    duplicates: &[DuplicateResolved],
    withdrawn_per_file: &[u64],
    n_periods: usize,
    period: &Period,
    indicators: Indicators,
    previous: Option<(Period, indicators::Counts)>,
) -> Result<(RunReport, Option<PendingWrite>)> {
    let n_files = data.files.len();
    let mut accounts: Vec<RowAccount> = (0..n_files)
        .map(|i| RowAccount {
            read: data.read[i],
            counted: indicators.form06.in_period_per_file[i],
            excluded_withdrawn: withdrawn_per_file[i],
            excluded_outside_period: indicators.form06.outside_period_per_file[i],
            blank_rows: data.blank_rows[i],
            ..RowAccount::default()
        })
        .collect();
    for q in &data.quarantine {
        accounts[q.source.file].quarantined += 1;
    }
    for d in duplicates {
        accounts[d.dropped.file].duplicate += 1;
    }
    for (f, a) in data.files.iter().zip(&accounts) {
        if !a.balances() {
            bail!(
                "lỗi chương trình: số dòng của tệp {} không cân đối ({a:?})",
                f.display
            );
        }
    }
    let indicators_json = render::json::render(
        &pipeline.district,
        period,
        &data.files,
        &accounts,
        &indicators,
    )?;
    // The data-quality workbook and the documents are rendered side by side.
    let quality = || -> Result<Vec<output::Named>> {
        if req.outputs == Outputs::Nothing {
            return Ok(Vec::new());
        }
        let quality = render::quality::render(&render::quality::QualityView {
            district: &pipeline.district,
            period,
            files: &data.files,
            accounts: &accounts,
            quarantine: &data.quarantine,
            warnings: &data.warnings,
            duplicates,
            unknown_columns: &data.unknown_columns,
            skipped_sheets: &data.skipped_sheets,
            skipped_rows: &data.skipped_rows,
        })
        .context("không tạo được báo cáo chất lượng dữ liệu")?;
        Ok(vec![(
            format!("chat-luong-du-lieu-{}.xlsx", period.id),
            quality,
        )])
    };
    let documents = || -> Result<Vec<output::Named>> {
        if req.outputs != Outputs::All {
            return Ok(Vec::new());
        }
        let annexes = render::annex::render(
            pipeline.templates.as_deref(),
            &render::annex::AnnexInput {
                pipeline,
                period,
                indicators: &indicators,
            },
        )?;
        let report = render::report::render(
            pipeline.templates.as_deref(),
            &render::report::ReportInput {
                pipeline,
                period,
                indicators: &indicators,
                previous,
                narrative: render::report::load_narrative(pipeline, period)?,
            },
        )?;
        let public =
            render::public::render(pipeline.templates.as_deref(), pipeline, period, &indicators)?;
        Ok(vec![
            (format!("phu-luc-{}.xlsx", period.id), annexes),
            (format!("bao-cao-cchc-{}.docx", period.id), report.docx),
            (format!("bao-cao-cchc-{}.html", period.id), report.html),
            (format!("cong-khai-{}.html", period.id), public),
            ("indicators.json".to_string(), indicators_json.clone()),
        ])
    };
    let (quality, documents) = rayon::join(quality, documents);
    let mut files = quality?;
    files.extend(documents?);
    let mut write = None;
    if !files.is_empty() {
        write = Some((out_dir(req, period, n_periods), files));
    }
    let report = RunReport {
        pipeline: pipeline.clone(),
        period: period.clone(),
        files: data.files.clone(),
        accounts,
        indicators,
        quarantine: data.quarantine.clone(),
        warnings: data.warnings.clone(),
        duplicates: duplicates.to_vec(),
        unknown_columns: data.unknown_columns.clone(),
        skipped_sheets: data.skipped_sheets.clone(),
        skipped_rows: data.skipped_rows.clone(),
        files_read: data.files_read,
        stale_sources: data.stale_sources.clone(),
        indicators_json,
        written: Vec::new(),
    };
    Ok((report, write))
}

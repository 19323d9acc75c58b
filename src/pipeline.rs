//! The orchestrator: configuration → dataset (read, or synced through the store) → rules →
//! figures of every period → documents → write.
//!
//! The rules run once; the figures of every requested period are computed from the same
//! tables, so a period computed with others is identical to the same period computed alone.
//! Nothing is written until every period is rendered and every file's rows are accounted for.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::config::Pipeline;
use crate::dataset::{self, Dataset, InputFile};
use crate::indicators::{self, Indicators};
use crate::ingest::{SkippedSheet, UnknownColumn};
use crate::kind::PreviousFigures;
use crate::kinds::{self, Ruled};
use crate::memory;
use crate::model::SourceFile;
use crate::output;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, RowAccount, SkippedRow, Warning};
use crate::render::documents::{self, DocumentContext, Quality};

pub use crate::render::documents::Outputs;

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
    /// The store to keep what is read in, and compute from; None reads the inputs only.
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
    /// Source files, in input order (with a store: the files computed from).
    pub files: Vec<SourceFile>,
    /// Row account, per file, for this period.
    pub accounts: Vec<RowAccount>,
    /// The figures.
    pub indicators: Indicators,
    /// Quarantined rows (while reading, and by the rules).
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

/// Runs a pipeline for every requested period.
pub fn run_periods(req: &RunRequest) -> Result<Vec<RunReport>> {
    let (pipeline, periods, inputs) = prepare(req)?;
    if req.outputs != Outputs::Nothing {
        // Another pipeline's outputs are replaced only by `run --force` ([`crate::rerun`]).
        let owner = crate::ownership::owner_of(&req.pipeline);
        for p in &periods {
            let dir = out_dir(req, p, periods.len());
            crate::ownership::check(&dir, crate::ownership::STAMP, &owner, false)?;
        }
    }
    run_prepared(req, pipeline, &periods, &inputs, None)
}

/// Reads and stores the inputs without computing anything (`cchc ingest`); returns how many
/// files were read and how many the store holds.
pub fn ingest_only(req: &RunRequest) -> Result<(usize, usize)> {
    let pipeline = load(req)?;
    let inputs = dataset::input_files(&pipeline, &req.inputs)?;
    let Some(dir) = &req.store else {
        bail!("cần chỉ định thư mục kho dữ liệu (--store)")
    };
    // The dossiers' table of winners is built now, so that `cchc alerts --all-stored` reads it
    // (the other kinds are only stored).
    let data = dataset::sync_store_kinds(
        &pipeline,
        dir,
        &inputs,
        None,
        req.progress,
        true,
        &[&crate::kinds::dossier::Dossier],
        true,
    )?;
    Ok((data.files_read, data.files.len()))
}

fn load(req: &RunRequest) -> Result<Pipeline> {
    crate::kinds::load_pipeline(&req.pipeline)
        .with_context(|| format!("không dùng được tệp quy trình {}", req.pipeline.display()))
}

/// The pipeline, the periods and the input files a request names.
pub(crate) fn prepare(req: &RunRequest) -> Result<(Arc<Pipeline>, Vec<Period>, Vec<InputFile>)> {
    let pipeline = Arc::new(load(req)?);
    let spec = req
        .period
        .clone()
        .unwrap_or_else(|| pipeline.period.clone());
    let periods = Period::parse_list(&spec, pipeline.period_rule)?;
    let inputs = if req.all_stored && req.store.is_some() && req.inputs.is_empty() {
        Vec::new()
    } else {
        dataset::input_files(&pipeline, &req.inputs)?
    };
    Ok((pipeline, periods, inputs))
}

/// The folder a period's outputs go to.
pub(crate) fn out_dir(req: &RunRequest, period: &Period, n_periods: usize) -> PathBuf {
    match (&req.out, n_periods) {
        (Some(out), 1) => out.clone(),
        (Some(out), _) => out.join(&period.id),
        // Beside the pipeline file: two pipelines' outputs never meet by default.
        (None, _) => req
            .pipeline
            .parent()
            .unwrap_or(Path::new(""))
            .join("out")
            .join(&period.id),
    }
}

/// Runs the prepared request; `hashes` are the inputs' sha256 when already computed.
pub(crate) fn run_prepared(
    req: &RunRequest,
    pipeline: Arc<Pipeline>,
    periods: &[Period],
    inputs: &[InputFile],
    hashes: Option<&[String]>,
) -> Result<Vec<RunReport>> {
    let mut data = match &req.store {
        Some(dir) => {
            dataset::sync_store(&pipeline, dir, inputs, hashes, req.progress, req.all_stored)?
        }
        None => dataset::read_inputs(&pipeline, inputs, req.progress)?,
    };
    memory::trace("đọc xong");
    let n_files = data.files.len();
    let frames = std::mem::take(&mut data.frames);
    // The portal's 766 tables and the satisfaction rows as read: the 766 stage reads them after
    // the rules (it links evaluations to the withdrawn dossiers too).
    let portal_766 = frames.get(kinds::portal_766::ID).cloned();
    let satisfaction = frames
        .get(kinds::Kind::id(&kinds::satisfaction::Satisfaction))
        .cloned();
    let ruled = kinds::apply_rules(&pipeline, frames, n_files)?;
    memory::trace("áp dụng quy tắc");
    // The figures of every period first; then the tables are let go before rendering, which
    // at city scale holds long lists of its own. The 766 scores, each period's figures and its
    // previous period's are computed side by side: each only reads the ruled tables.
    let (index766, figures) = rayon::join(
        || {
            crate::index766::in_run::RunScores::compute(
                &pipeline,
                portal_766.as_ref(),
                &ruled,
                satisfaction,
                n_files,
                periods,
            )
        },
        || {
            crate::parallel::try_map(periods.iter().collect(), |period| -> Result<_> {
                let figures = || indicators::compute(&pipeline, &ruled, period, n_files);
                let previous = || match req.outputs {
                    Outputs::All => kinds::previous_figures(&pipeline, &ruled, period, n_files),
                    _ => Ok(PreviousFigures::default()),
                };
                // Several periods already keep the cores busy (and their tables in memory).
                let (figures, previous) = if periods.len() == 1 {
                    rayon::join(figures, previous)
                } else {
                    (figures(), previous())
                };
                Ok((figures?, previous?))
            })
        },
    );
    let (index766, figures): (_, Vec<(Indicators, PreviousFigures)>) = (index766?, figures?);
    let decided = Decided::of(&ruled, &data.files);
    memory::release_in_background(ruled);
    memory::trace("tính số liệu");
    let rendered: Vec<(RunReport, Vec<output::Named>)> = crate::parallel::try_map(
        periods.iter().zip(figures).collect(),
        |(period, (indicators, previous))| {
            render_period(
                req, &pipeline, &data, &decided, period, indicators, previous, &index766,
            )
        },
    )?;
    memory::trace("dựng kết quả");
    // Nothing is written until every period is rendered.
    let mut reports = Vec::new();
    for (i, (mut report, files)) in rendered.into_iter().enumerate() {
        if !files.is_empty() {
            let dir = out_dir(req, &periods[i], periods.len());
            report.written = output::write_all(&dir, &files)?;
        }
        reports.push(report);
    }
    memory::release_in_background((data, decided, index766));
    Ok(reports)
}

/// What the rules decided that every period's account needs, once the tables are let go.
struct Decided {
    duplicates: Vec<DuplicateResolved>,
    /// Warnings the rules drew (copies that disagree, codes that differ only in case,
    /// evaluations that could not be checked for duplicates).
    warnings: Vec<Warning>,
    quarantine: Vec<Quarantined>,
    excluded_per_file: Vec<u64>,
}

impl Decided {
    fn of(ruled: &Ruled, files: &[SourceFile]) -> Decided {
        Decided {
            duplicates: ruled.duplicates(),
            warnings: ruled.warnings(files),
            quarantine: ruled.quarantine(),
            excluded_per_file: ruled.excluded_per_file(files.len()),
        }
    }
}

/// Where every row of every file went in a period; fails if a file's rows do not add up.
fn accounts(
    data: &Dataset,
    decided: &Decided,
    quarantine: &[Quarantined],
    ind: &Indicators,
) -> Result<Vec<RowAccount>> {
    let mut accounts: Vec<RowAccount> = (0..data.files.len())
        .map(|i| {
            let (counted, outside) = ind.period_account(i);
            RowAccount {
                read: data.read[i],
                counted,
                excluded_withdrawn: decided.excluded_per_file.get(i).copied().unwrap_or(0),
                excluded_outside_period: outside,
                blank_rows: data.blank_rows[i],
                ..RowAccount::default()
            }
        })
        .collect();
    for q in quarantine {
        accounts[q.source.file].quarantined += 1;
    }
    for d in &decided.duplicates {
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
    Ok(accounts)
}

/// The outputs of one period, from its figures: row accounts (checked), then every document.
#[allow(clippy::too_many_arguments)]
fn render_period(
    req: &RunRequest,
    pipeline: &Arc<Pipeline>,
    data: &Dataset,
    decided: &Decided,
    period: &Period,
    indicators: Indicators,
    previous: PreviousFigures,
    index766: &crate::index766::in_run::RunScores,
) -> Result<(RunReport, Vec<output::Named>)> {
    let mut quarantine = data.quarantine.clone();
    quarantine.extend(decided.quarantine.iter().cloned());
    quarantine.extend(indicators.kinds.quarantine());
    let accounts = accounts(data, decided, &quarantine, &indicators)?;
    let mut warnings = data.warnings.clone();
    warnings.extend(decided.warnings.iter().cloned());
    warnings.extend(indicators.kinds.warnings());
    let ctx = DocumentContext {
        pipeline,
        period,
        indicators: &indicators,
        previous,
        index766: index766.of(period),
        quality: Quality {
            files: &data.files,
            accounts: &accounts,
            quarantine: &quarantine,
            warnings: &warnings,
            duplicates: &decided.duplicates,
            unknown_columns: &data.unknown_columns,
            skipped_sheets: &data.skipped_sheets,
            skipped_rows: &data.skipped_rows,
        },
    };
    let indicators_json = crate::render::json::render(&ctx)?;
    let files = documents::render_all(&ctx, req.outputs)?;
    let report = RunReport {
        pipeline: pipeline.clone(),
        period: period.clone(),
        files: data.files.clone(),
        accounts,
        indicators,
        quarantine,
        warnings,
        duplicates: decided.duplicates.clone(),
        unknown_columns: data.unknown_columns.clone(),
        skipped_sheets: data.skipped_sheets.clone(),
        skipped_rows: data.skipped_rows.clone(),
        files_read: data.files_read,
        stale_sources: data.stale_sources.clone(),
        indicators_json,
        written: Vec::new(),
    };
    Ok((report, files))
}

//! The orchestrator: configuration → ingest → normalize → rules → indicators → render → write.
//!
//! Each stage takes the previous one's output. Nothing is written until every stage has
//! succeeded and every file's rows are accounted for.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::{self, Pipeline};
use crate::indicators::{self, Indicators};
use crate::ingest::{self, UnknownColumn};
use crate::model::SourceFile;
use crate::normalize;
use crate::output;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, RowAccount, Warning};
use crate::render;
use crate::rules;

/// Which files a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outputs {
    /// Everything `cchc run` writes.
    All,
    /// Only the data-quality workbook (`cchc check`).
    QualityOnly,
    /// Nothing (`cchc indicators`).
    Nothing,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The pipeline file.
    pub pipeline: PathBuf,
    /// The period id; the pipeline's own when None.
    pub period: Option<String>,
    /// Input folders or files; the pipeline's own inputs when empty.
    pub inputs: Vec<PathBuf>,
    /// Output folder; `out/<period>` when None.
    pub out: Option<PathBuf>,
    /// Which files to write.
    pub outputs: Outputs,
    /// Show a progress bar (only drawn on a terminal).
    pub progress: bool,
}

/// Everything a run found and wrote.
#[derive(Debug)]
pub struct RunReport {
    /// The resolved pipeline.
    pub pipeline: Pipeline,
    /// The period.
    pub period: Period,
    /// Input files, in input order.
    pub files: Vec<SourceFile>,
    /// Row account, per file.
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
    /// The submission file's bytes.
    pub indicators_json: Vec<u8>,
    /// Files written.
    pub written: Vec<PathBuf>,
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

/// The previous period's total counts, when the dossier table reaches back to its start (a
/// table that begins later would understate it).
pub fn previous_totals(
    frame: &polars::prelude::DataFrame,
    period: &Period,
    n_files: usize,
) -> Result<Option<(Period, indicators::Counts)>> {
    let previous = period.previous();
    let earliest = frame.column("received")?.i32()?.iter().flatten().min();
    match earliest {
        Some(first) if first <= crate::normalize::day_number(previous.start) => {
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

/// Runs a pipeline for a period: reads, decides, computes, and writes the requested outputs.
pub fn run(req: &RunRequest) -> Result<RunReport> {
    let pipeline = config::load(&req.pipeline)
        .with_context(|| format!("không dùng được tệp quy trình {}", req.pipeline.display()))?;
    let period_id = req
        .period
        .clone()
        .unwrap_or_else(|| pipeline.period.clone());
    let period = Period::parse(&period_id, pipeline.period_rule)?;
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

    let pb = progress_bar(paths.len(), req.progress);
    let ingested = ingest::ingest(&pipeline, &paths, &|name| {
        pb.set_message(name.to_string());
        pb.inc(1);
    });
    pb.finish_and_clear();
    let ingested = ingested?;
    let n_files = ingested.files.len();

    let normalized = normalize::normalize(&pipeline, &ingested)?;
    let ruled = rules::apply(normalized.frame, pipeline.withdrawn, n_files)?;
    let indicators = indicators::compute(&pipeline, &ruled.frame, &period, n_files)?;

    let mut accounts: Vec<RowAccount> = (0..n_files)
        .map(|i| RowAccount {
            read: normalized.read[i],
            counted: indicators.form06.in_period_per_file[i],
            excluded_withdrawn: ruled.withdrawn_per_file[i],
            excluded_outside_period: indicators.form06.outside_period_per_file[i],
            blank_rows: normalized.blank_rows[i],
            ..RowAccount::default()
        })
        .collect();
    for q in &normalized.quarantine {
        accounts[q.source.file].quarantined += 1;
    }
    for d in &ruled.duplicates {
        accounts[d.dropped.file].duplicate += 1;
    }
    for (f, a) in ingested.files.iter().zip(&accounts) {
        if !a.balances() {
            bail!(
                "lỗi chương trình: số dòng của tệp {} không cân đối ({a:?})",
                f.display
            );
        }
    }

    let indicators_json = render::json::render(
        &pipeline.district,
        &period,
        &ingested.files,
        &accounts,
        &indicators,
    )?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if req.outputs != Outputs::Nothing {
        let quality = render::quality::render(&render::quality::QualityView {
            district: &pipeline.district,
            period: &period,
            files: &ingested.files,
            accounts: &accounts,
            quarantine: &normalized.quarantine,
            warnings: &normalized.warnings,
            duplicates: &ruled.duplicates,
            unknown_columns: &ingested.unknown_columns,
            skipped_sheets: &ingested.skipped_sheets,
        })
        .context("không tạo được báo cáo chất lượng dữ liệu")?;
        files.push((format!("chat-luong-du-lieu-{}.xlsx", period.id), quality));
    }
    if req.outputs == Outputs::All {
        let annexes = render::annex::render(
            pipeline.templates.as_deref(),
            &render::annex::AnnexInput {
                pipeline: &pipeline,
                period: &period,
                indicators: &indicators,
            },
        )?;
        files.push((format!("phu-luc-{}.xlsx", period.id), annexes));
        let report = render::report::render(
            pipeline.templates.as_deref(),
            &render::report::ReportInput {
                pipeline: &pipeline,
                period: &period,
                indicators: &indicators,
                previous: previous_totals(&ruled.frame, &period, n_files)?,
                narrative: render::report::load_narrative(&pipeline, &period)?,
            },
        )?;
        files.push((format!("bao-cao-cchc-{}.docx", period.id), report.docx));
        files.push((format!("bao-cao-cchc-{}.html", period.id), report.html));
        let public = render::public::render(
            pipeline.templates.as_deref(),
            &pipeline,
            &period,
            &indicators,
        )?;
        files.push((format!("cong-khai-{}.html", period.id), public));
        files.push(("indicators.json".to_string(), indicators_json.clone()));
    }
    let written = if files.is_empty() {
        Vec::new()
    } else {
        let dir = req
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("out").join(&period.id));
        output::write_all(&dir, &files)?
    };

    Ok(RunReport {
        pipeline,
        period,
        files: ingested.files,
        accounts,
        indicators,
        quarantine: normalized.quarantine,
        warnings: normalized.warnings,
        duplicates: ruled.duplicates,
        unknown_columns: ingested.unknown_columns,
        indicators_json,
        written,
    })
}

//! The dataset of a run: every input file read (in parallel, each file's raw cells let go as
//! soon as its records exist), or synced through the store, into one record table per kind
//! with the data-quality account of every file. Every unreadable file is named before
//! anything else happens.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::DataFrame;

use crate::config::{Input, Pipeline};
use crate::ingest::{self, HeaderVocab, SkippedSheet, UnknownColumn};
use crate::kinds::{self, Frames, InputContext, Kind};
use crate::memory;
use crate::model::SourceFile;
use crate::normalize;
use crate::quality::{Quarantined, SkippedRow, Warning};
use crate::store::{self, NewSource, SourceQuality, Store};

/// One input file to read: where, and what its input entry says of it.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file.
    pub path: PathBuf,
    /// The kind its entry pins.
    pub kind: Option<&'static str>,
    /// The period its entry gives summaries.
    pub period: Option<crate::period::Period>,
}

/// Everything read, before the rules: the files, their records, and their data-quality account.
pub struct Dataset {
    /// Source files, in input order (with a store: the files computed from).
    pub files: Vec<SourceFile>,
    /// The records of each kind.
    pub frames: Frames,
    /// Rows quarantined while reading.
    pub quarantine: Vec<Quarantined>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Data rows read, per file.
    pub read: Vec<u64>,
    /// Blank rows inside the data, per file.
    pub blank_rows: Vec<u64>,
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
    /// When the dossier table holds only the winning copy of each code (read from the store's
    /// table of winners): the latest received or completed day of every copy.
    pub latest_dossier_day: Option<i32>,
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
    kind: &'static dyn Kind,
    read: ingest::FileRead,
    normalized: normalize::Normalized,
}

/// Reads and normalizes files in parallel, one file at a time per core, so that only the
/// normalized records of a file outlive its raw cells; with a progress bar. Every unreadable
/// file is named before anything else happens.
fn read_files(pipeline: &Pipeline, inputs: &[InputFile], progress: bool) -> Result<Vec<FileData>> {
    let pb = progress_bar(inputs.len(), progress);
    let all: Vec<&HeaderVocab> = kinds::KINDS.iter().map(|k| k.header(pipeline)).collect();
    type Read = Result<FileData, (String, ingest::FileProblem)>;
    let results: Vec<Read> = crate::parallel::try_map(
        inputs.iter().enumerate().collect(),
        |(index, input)| -> Result<Read> {
            let path = &input.path;
            let pinned: Vec<&HeaderVocab>;
            let vocabs = match input.kind {
                Some(k) => {
                    pinned = vec![kinds::get(k)?.header(pipeline)];
                    &pinned
                }
                None => &all,
            };
            let read = ingest::read_file(pipeline, index, path, vocabs);
            pb.set_message(ingest::display_path(path));
            pb.inc(1);
            match read {
                Ok(mut read) => {
                    let kind = kinds::get(read.kind)?;
                    let context = InputContext {
                        period: input.period.clone(),
                        sheets: std::mem::take(&mut read.companions),
                        display: read.source.display.clone(),
                        file: index,
                    };
                    let normalized = match kind.normalize(pipeline, &read.tables, &context) {
                        Ok(n) => n,
                        Err(e) => match e.downcast::<ingest::FileProblem>() {
                            Ok(problem) => return Ok(Err((read.source.display, problem))),
                            Err(e) => return Err(e),
                        },
                    };
                    read.tables = Vec::new();
                    Ok(Ok(FileData {
                        kind,
                        read,
                        normalized,
                    }))
                }
                Err(problem) => Ok(read_by_sheets(pipeline, index, input).unwrap_or(Err(problem))),
            }
        },
    )?;
    pb.finish_and_clear();
    memory::release();
    memory::trace("đọc và chuẩn hóa từng tệp");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(ingest::UnreadableFiles(problems).into());
    }
    Ok(files)
}

/// A file no kind's header fits, offered to the kinds that read whole sheets
/// ([`Kind::read_sheets`]): the first that finds its tables there takes it; what it finds wrong
/// with them makes the file unreadable, in its words.
fn read_by_sheets(
    pipeline: &Pipeline,
    index: usize,
    input: &InputFile,
) -> Option<Result<FileData, (String, ingest::FileProblem)>> {
    let candidates: Vec<&'static dyn Kind> = kinds::KINDS
        .iter()
        .copied()
        .filter(|k| k.reads_sheets() && input.kind.is_none_or(|pinned| pinned == k.id()))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let (source, sheets) = ingest::read_sheets(pipeline, index, &input.path, "").ok()?;
    let context = InputContext {
        period: input.period.clone(),
        sheets: Vec::new(),
        display: source.display.clone(),
        file: index,
    };
    for kind in candidates {
        let normalized = match kind.read_sheets(pipeline, &sheets, &context) {
            Ok(Some(n)) => n,
            Ok(None) => continue,
            Err(e) => {
                let problem = match e.downcast::<ingest::FileProblem>() {
                    Ok(p) => p,
                    Err(e) => ingest::FileProblem::Refused(format!("{e:#}")),
                };
                return Some(Err((source.display, problem)));
            }
        };
        return Some(Ok(FileData {
            kind,
            read: ingest::FileRead {
                source: SourceFile {
                    kind: kind.id(),
                    ..source
                },
                kind: kind.id(),
                tables: Vec::new(),
                unknown: Vec::new(),
                skipped: Vec::new(),
                companions: Vec::new(),
            },
            normalized,
        }));
    }
    None
}

/// Builds the dataset of files read in this run: file `i` of `files` becomes source `offset + i`.
fn dataset_of(files: Vec<FileData>) -> Result<Dataset> {
    let mut data = Dataset::empty();
    let mut frames: Vec<(&'static dyn Kind, DataFrame)> = Vec::new();
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
        frames.push((f.kind, f.normalized.frame));
    }
    data.frames = stack_by_kind(frames)?;
    Ok(data)
}

/// Stacks the record frames of several files into one table per kind (an empty table for a
/// kind no file has). The files' chunks are appended as they are: copying them into one would
/// double the memory.
fn stack_by_kind(frames: Vec<(&'static dyn Kind, DataFrame)>) -> Result<Frames> {
    let mut out = Frames::new();
    for (kind, frame) in frames {
        match out.get_mut(kind.id()) {
            Some(f) => {
                f.vstack_mut_owned(frame)?;
            }
            None => {
                out.insert(kind.id(), frame);
            }
        }
    }
    for kind in kinds::KINDS {
        let frame = match out.remove(kind.id()) {
            Some(f) => f,
            None => kind.empty_frame()?,
        };
        out.insert(
            kind.id(),
            normalize::unify_names(frame, kind.name_columns())?,
        );
    }
    Ok(out)
}

impl Dataset {
    /// Nothing read yet.
    pub fn empty() -> Dataset {
        Dataset {
            files: Vec::new(),
            frames: Frames::new(),
            quarantine: Vec::new(),
            warnings: Vec::new(),
            read: Vec::new(),
            blank_rows: Vec::new(),
            unknown_columns: Vec::new(),
            skipped_sheets: Vec::new(),
            skipped_rows: Vec::new(),
            files_read: 0,
            stale_sources: Vec::new(),
            latest_dossier_day: None,
        }
    }
}

/// Reads every input, keeping nothing.
pub fn read_inputs(pipeline: &Pipeline, inputs: &[InputFile], progress: bool) -> Result<Dataset> {
    dataset_of(read_files(pipeline, inputs, progress)?)
}

/// The record of one stored source, as the store keeps it: file indexes set to 0.
fn new_source(f: FileData) -> NewSource {
    let at_zero = |mut r: crate::model::RowRef| {
        r.file = 0;
        r
    };
    let n = f.normalized;
    NewSource {
        kind: f.kind,
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
pub fn sync_store(
    pipeline: &Pipeline,
    dir: &Path,
    inputs: &[InputFile],
    hashes: Option<&[String]>,
    progress: bool,
    all_stored: bool,
) -> Result<Dataset> {
    sync_store_kinds(
        pipeline,
        dir,
        inputs,
        hashes,
        progress,
        all_stored,
        kinds::KINDS,
        false,
    )
}

/// [`sync_store`], loading the records of these kinds only (every input is still stored). With
/// `winners` and `all_stored`, the dossier table holds only the winning copy of each code
/// ([`Store::winners`], built and kept in the store when it has none for its sources): for a
/// list that shows no copy dropped (`cchc alerts`, `cchc ingest` which builds it).
#[allow(clippy::too_many_arguments)]
pub fn sync_store_kinds(
    pipeline: &Pipeline,
    dir: &Path,
    inputs: &[InputFile],
    hashes: Option<&[String]>,
    progress: bool,
    all_stored: bool,
    wanted: &[&dyn kinds::Kind],
    winners: bool,
) -> Result<Dataset> {
    if read_only(dir) {
        if all_stored {
            bail!(
                "thư mục kho dữ liệu {} chỉ cho đọc (ổ đĩa hoặc thư mục không ghi được): không ghi thêm được vào kho, và không tính được từ mọi tệp của kho (--all-stored) vì kho có thể thiếu phần chưa ghi; hãy chép cả thư mục kho sang một thư mục ghi được rồi chạy lại với --store <thư mục mới>",
                dir.display()
            );
        }
        // The store never changes a figure: the run computes from its inputs as read.
        crate::text::say(&format!(
            "Cảnh báo: thư mục kho dữ liệu {} chỉ cho đọc; lần chạy này đọc thẳng các tệp đầu vào và không cập nhật kho. Muốn dùng kho, hãy chọn một thư mục ghi được bằng --store, hoặc chạy với --no-store.",
            dir.display()
        ));
        return read_inputs(pipeline, inputs, progress);
    }
    let mut store = Store::open(dir)?;
    let keys: Vec<String> = inputs.iter().map(|i| store::source_key(&i.path)).collect();
    let mut todo = Vec::new();
    for (i, (input, key)) in inputs.iter().zip(&keys).enumerate() {
        let sha = match hashes {
            Some(h) => h[i].clone(),
            None => store::file_sha256(&input.path)?,
        };
        if !store.holds(key, &sha, &pipeline.normalization_fingerprint) {
            todo.push(input.clone());
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
    for kind in wanted {
        // Every stored file, and a list that reads only the winning copy of each dossier: the
        // store's table of winners (its names unified over every copy already).
        if winners && all_stored && kind.id() == kinds::dossier::Dossier.id() {
            let (frame, latest) = store.winners()?;
            data.frames.insert(kind.id(), frame);
            data.latest_dossier_day = latest;
            continue;
        }
        let frame = store.load_frame(*kind, &chosen)?;
        data.frames.insert(
            kind.id(),
            normalize::unify_names(frame, kind.name_columns())?,
        );
    }
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
            kind: kinds::id_of(&s.kind)?,
            configured_unit: None,
            encoding: s.encoding.clone(),
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

/// Whether the store folder exists and cannot be written (a read-only disk or share): a probe
/// file is created and removed. A folder that does not exist yet is not read-only: opening the
/// store creates it, or says why it cannot.
fn read_only(dir: &Path) -> bool {
    if !dir.is_dir() {
        return false;
    }
    match tempfile::Builder::new()
        .prefix(".cchc-thu-ghi-")
        .tempfile_in(dir)
    {
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
        ),
    }
}

/// Reads and stores the inputs without computing anything (`cchc ingest`); returns how many
/// files were read and how many the store holds.
/// The files to read: under each `--input` path, or under each of the pipeline's inputs with
/// what its entry says of them; each file once, in order.
pub fn input_files(pipeline: &Pipeline, cli_inputs: &[PathBuf]) -> Result<Vec<InputFile>> {
    let roots: Vec<Input> = if cli_inputs.is_empty() {
        pipeline.inputs.clone()
    } else {
        cli_inputs
            .iter()
            .map(|p| Input {
                path: p.clone(),
                kind: None,
                period: None,
            })
            .collect()
    };
    let mut out: Vec<InputFile> = Vec::new();
    for root in &roots {
        for path in ingest::list_inputs(std::slice::from_ref(&root.path))? {
            if !out.iter().any(|f| f.path == path) {
                out.push(InputFile {
                    path,
                    kind: root.kind,
                    period: root.period.clone(),
                });
            }
        }
    }
    let refused: Vec<(String, ingest::FileProblem)> = out
        .iter()
        .filter_map(|f| {
            ingest::check_input(&f.path, &pipeline.limits)
                .err()
                .map(|p| (ingest::display_path(&f.path), p))
        })
        .collect();
    if !refused.is_empty() {
        return Err(ingest::UnreadableFiles(refused).into());
    }
    if out.is_empty() {
        bail!(
            "không có tệp bảng tính (.xlsx, .xls, .ods, .csv) nào trong: {}",
            roots
                .iter()
                .map(|r| r.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(out)
}

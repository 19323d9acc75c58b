//! Re-running with nothing changed. A run leaves a stamp in each output folder: a key over
//! everything its outputs depend on — the program, the request, the configuration files,
//! narrative and templates, and the sha256 of every input — with the sha256 of each file it
//! wrote and the summary it printed. A later run with the same key whose outputs are still as
//! written rewrites nothing and prints that summary again; like `make`, the cost of "up to date"
//! is hashing the inputs. `--force` recomputes anyway.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Pipeline;
use crate::dataset::InputFile;
use crate::memory;
use crate::period::Period;
use crate::pipeline::{out_dir, prepare, run_prepared, RunReport, RunRequest};
use crate::store;
use crate::summary;

use crate::ownership::STAMP;

/// What a run left in one output folder.
#[derive(Debug, Serialize, Deserialize)]
struct Stamp {
    /// The run's key.
    key: String,
    /// Each file written, with its sha256.
    files: Vec<(String, String)>,
    /// The summary the run printed.
    summary: String,
    /// The pipeline file that wrote the folder (absolute; [`crate::ownership`]).
    #[serde(default)]
    pipeline: String,
}

/// Everything that decides a run's outputs, as one sha256.
pub struct RunKey(String);

fn hash_file(hasher: &mut Sha256, path: &Path) {
    hasher.update(path.to_string_lossy().as_bytes());
    hasher.update([0]);
    match std::fs::read(path) {
        Ok(bytes) => {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        Err(_) => hasher.update(b"(absent)"),
    }
}

fn hash_tree(hasher: &mut Sha256, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_tree(hasher, &p);
        } else {
            hash_file(hasher, &p);
        }
    }
}

/// A run's key up to its inputs: the program, the request, the configuration, the narrative and
/// the templates, read before the run so that a file edited while it runs makes the next run
/// compute again ([`KeyStart::with_inputs`] completes it).
#[derive(Clone)]
pub struct KeyStart(Sha256);

impl KeyStart {
    /// The start of a run's key: `request` describes what was asked (periods, output folder,
    /// store use).
    pub fn new(pipeline: &Pipeline, request: &str, periods: &[Period]) -> KeyStart {
        let mut h = Sha256::new();
        h.update(b"cchc-run/1\0");
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        // A rebuilt program may render differently: its size and time stand for it.
        if let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|e| std::fs::metadata(e).ok())
        {
            h.update(meta.len().to_le_bytes());
            if let Ok(t) = meta.modified() {
                h.update(format!("{t:?}").as_bytes());
            }
        }
        h.update(request.as_bytes());
        for f in &pipeline.config_files {
            hash_file(&mut h, f);
        }
        if let Some(pattern) = &pipeline.report.narrative {
            let dir = pipeline.path.parent().unwrap_or(Path::new("."));
            for p in periods {
                let file = dir.join(pattern.replace("{period}", &p.id));
                hash_tree(&mut h, &crate::render::narrative_text::folder_of(&file));
                hash_file(&mut h, &file);
            }
        }
        if let Some(t) = &pipeline.templates {
            hash_tree(&mut h, t);
        }
        KeyStart(h)
    }

    /// The key of the run: `inputs` are the files read with their sha256, `store_manifest` the
    /// store's manifest when the run computes from everything stored.
    pub fn with_inputs(
        &self,
        inputs: &[(String, String)],
        store_manifest: Option<&Path>,
    ) -> RunKey {
        let mut h = self.0.clone();
        for (path, sha) in inputs {
            h.update(path.as_bytes());
            h.update([0]);
            h.update(sha.as_bytes());
        }
        if let Some(m) = store_manifest {
            hash_file(&mut h, m);
        }
        RunKey(format!("{:x}", h.finalize()))
    }
}

impl RunKey {
    /// The summary of the earlier run, when every folder holds a stamp with this key and the
    /// files it lists are unchanged.
    pub fn reusable(&self, dirs: &[PathBuf]) -> Option<String> {
        let mut summary = None;
        for dir in dirs {
            let text = std::fs::read(dir.join(STAMP)).ok()?;
            let stamp: Stamp = serde_json::from_slice(&text).ok()?;
            if stamp.key != self.0 {
                return None;
            }
            for (name, sha) in &stamp.files {
                let bytes = std::fs::read(dir.join(name)).ok()?;
                if &format!("{:x}", Sha256::digest(&bytes)) != sha {
                    return None;
                }
            }
            summary = Some(stamp.summary);
        }
        summary
    }

    /// Leaves the stamp of a finished run of `pipeline` in one output folder.
    pub fn stamp(
        &self,
        dir: &Path,
        written: &[PathBuf],
        summary: &str,
        pipeline: &Path,
    ) -> Result<()> {
        let files = written
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(p)?;
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Ok((name, format!("{:x}", Sha256::digest(&bytes))))
            })
            .collect::<Result<Vec<_>>>()?;
        let stamp = Stamp {
            key: self.0.clone(),
            files,
            summary: summary.to_string(),
            pipeline: crate::ownership::owner_of(pipeline),
        };
        crate::output::write_all(
            dir,
            &[(STAMP.to_string(), serde_json::to_vec_pretty(&stamp)?)],
        )?;
        Ok(())
    }
}

/// The sha256 of every input, in input order.
fn hash_inputs(inputs: &[InputFile]) -> Result<Vec<String>> {
    inputs
        .par_iter()
        .map(|i| store::file_sha256(&i.path))
        .collect()
}

/// The sha256 of the bytes a run without a store read from each input, as its sources record
/// them; the files hashed again should the sources not be the inputs one for one.
fn hashes_read(reports: &[RunReport], inputs: &[InputFile]) -> Result<Vec<String>> {
    match reports.first() {
        Some(r)
            if r.files.len() == inputs.len()
                && r.files.iter().zip(inputs).all(|(f, i)| f.path == i.path) =>
        {
            Ok(r.files.iter().map(|f| f.sha256.clone()).collect())
        }
        _ => hash_inputs(inputs),
    }
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

/// Runs a pipeline like [`crate::pipeline::run_periods`] unless an identical run already wrote its outputs and
/// they are intact; `force` computes in any case.
pub fn run_or_reuse(req: &RunRequest, force: bool) -> Result<RunOutcome> {
    memory::trace("bắt đầu");
    let (pipeline, periods, inputs) = prepare(req)?;
    let dirs: Vec<PathBuf> = periods
        .iter()
        .map(|p| out_dir(req, p, periods.len()))
        .collect();
    // The inputs are hashed before the run only where it needs them: to reuse an earlier run's
    // outputs (every output folder holds its stamp) or to sync the store. Otherwise the stamp
    // takes the hashes of the bytes the run read, and no input is read twice.
    let reusing = !force && dirs.iter().all(|d| d.join(STAMP).is_file());
    let hashes = if reusing || req.store.is_some() {
        Some(hash_inputs(&inputs)?)
    } else {
        None
    };
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
    let owner = crate::ownership::owner_of(&req.pipeline);
    for dir in &dirs {
        crate::ownership::check(dir, STAMP, &owner, force)?;
    }
    let start = KeyStart::new(&pipeline, &request, &periods);
    let key_of = |hashes: &[String]| {
        let keyed: Vec<(String, String)> = inputs
            .iter()
            .map(|i| store::source_key(&i.path))
            .zip(hashes.iter().cloned())
            .collect();
        start.with_inputs(&keyed, manifest.as_deref())
    };
    if let (true, Some(hashes)) = (reusing, &hashes) {
        if let Some(summary) = key_of(hashes).reusable(&dirs) {
            return Ok(RunOutcome {
                summary,
                reused: true,
            });
        }
    }
    memory::trace("băm tệp đầu vào");
    let reports = run_prepared(req, pipeline, &periods, &inputs, hashes.as_deref())?;
    let key = match &hashes {
        Some(hashes) => key_of(hashes),
        None => key_of(&hashes_read(&reports, &inputs)?),
    };
    let summary = summary::runs_summary(&reports);
    for (dir, report) in dirs.iter().zip(&reports) {
        if !report.written.is_empty() {
            key.stamp(dir, &report.written, &summary, &req.pipeline)?;
        }
    }
    memory::trace("ghi xong");
    memory::release_in_background(reports);
    Ok(RunOutcome {
        summary,
        reused: false,
    })
}

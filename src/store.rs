//! The dossier store: what has been read, kept as Parquet so that any set of periods is
//! recomputed without reading a spreadsheet again.
//!
//! Layout (hive-style, so DuckDB, DataFusion or Spark read it as it is): one table per input
//! kind, e.g. `dossiers/year=2024/quarter=1/<source id>.parquet` — the normalized records of
//! one source file received in that calendar quarter (before duplicates are resolved, which
//! happens over everything at compute time), `satisfaction/year=…/quarter=…/` likewise by
//! evaluation date; `sources/<source id>.json` — that file's data-quality account;
//! `manifest.json` — the sources in input order with their kind and sha256;
//! `winners/<key>.parquet` — derived, never a source of `run`: the winning copy of every dossier
//! code over every source the store holds (tthc-rules §2, [`Store::winners`]), for `cchc alerts
//! --all-stored`, which would otherwise load and deduplicate every copy each morning. Its key
//! hashes the manifest's sources in order and the rule's version, so a store whose sources change
//! names another file and the old one is removed with the parts no manifest names; a store
//! without one (written before it existed) is read as before, and the table is built then.
//!
//! A source id is derived from the file's path and content, so a changed file gets new part
//! names: new parts are written first, then the manifest is replaced atomically, then parts no
//! manifest names are removed. A run that dies at any point leaves a store whose manifest names
//! only complete parts.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::Datelike;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ingest::{SkippedSheet, UnknownColumn};
use crate::kinds::Kind;
use crate::model::SourceFile;
use crate::normalize::from_day_number;
use crate::quality::{Quarantined, SkippedRow, Warning};

const SCHEMA: &str = "cchc-store/4";

/// The folder of the table of winners.
const WINNERS: &str = "winners";
/// The version of the rules that decide the winning copy: change it with them (a table of
/// winners of another version is then rebuilt, never read).
const WINNERS_RULES: &str = "tthc-rules-2/1";

/// What a table of winners keeps beside its rows (`winners/<key>.json`).
#[derive(Debug, Serialize, Deserialize)]
struct WinnersNote {
    /// The latest received or completed day of every copy, winning or not (the exports' age).
    latest: Option<i32>,
    /// Rows of the table.
    rows: usize,
}

/// One source file in the store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceEntry {
    /// The file's absolute path: the same file read from another working folder is the same source.
    pub key: String,
    /// The file as reports show it.
    pub path: String,
    /// Its input kind.
    pub kind: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The configuration its records were normalized under.
    pub fingerprint: String,
    /// The id its parts are named by.
    pub id: String,
    /// Data rows read.
    pub read: u64,
    /// Blank rows skipped inside the data.
    pub blank_rows: u64,
    /// Its Parquet parts, relative to the store folder.
    pub parts: Vec<String>,
    /// The text encoding it was decoded from (CSV, text, HTML); None for workbooks and for
    /// sources stored before it was kept.
    #[serde(default)]
    pub encoding: Option<String>,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    schema: String,
    sources: Vec<SourceEntry>,
}

/// The data-quality account of one source, `sources/<id>.json` (file indexes set to 0).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SourceQuality {
    /// Quarantined rows.
    pub quarantine: Vec<Quarantined>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Unknown columns.
    pub unknown_columns: Vec<UnknownColumn>,
    /// Sheets passed over.
    pub skipped_sheets: Vec<SkippedSheet>,
    /// Rows that are not records.
    #[serde(default)]
    pub skipped_rows: Vec<SkippedRow>,
}

/// A newly read source, ready to be stored.
pub struct NewSource {
    /// The file.
    pub file: SourceFile,
    /// Its input kind.
    pub kind: &'static dyn Kind,
    /// Its records (columns of the kind's table).
    pub frame: DataFrame,
    /// Data rows read.
    pub read: u64,
    /// Blank rows skipped.
    pub blank_rows: u64,
    /// Its data-quality account.
    pub quality: SourceQuality,
}

/// An opened store, locked for this run until dropped.
pub struct Store {
    dir: PathBuf,
    manifest: Manifest,
    /// The prefix of this opening's temporary files.
    temp_prefix: String,
    /// Sources dropped from the manifest on opening because files of theirs were missing.
    repaired: Vec<String>,
    _lock: crate::lock::Lock,
}

/// The lock file's name in the store folder.
const LOCK_FILE: &str = ".cchc-lock";
/// The marker that says a folder is a cchc store: only in such a folder does cchc remove files,
/// and only the files it writes (parts and quality files named by their source id).
const MARKER: &str = ".cchc-kho";
/// A temporary file of another run older than this was left by a run that died.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Makes sure the folder is a store, or an empty folder that becomes one: a folder with files
/// but without the marker (the input folder given as `--store` by mistake) is refused, so that
/// nothing of the user's is ever removed. A store of an earlier version (a manifest of this
/// schema, no marker) gets its marker.
fn claim(dir: &Path) -> Result<()> {
    let marker = dir.join(MARKER);
    if marker.is_file() {
        return Ok(());
    }
    let ours = |name: &str| name == LOCK_FILE || name.starts_with(".cchc-");
    let others: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("không đọc được thư mục kho dữ liệu {}", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !ours(n))
        .collect();
    let earlier_store = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Manifest>(&t).ok())
        .is_some();
    if !others.is_empty() && !earlier_store {
        let mut shown: Vec<&str> = others.iter().map(String::as_str).take(5).collect();
        shown.sort();
        bail!(
            "thư mục {} không phải kho dữ liệu của cchc (không có tệp đánh dấu {MARKER}) mà đã có tệp khác ({}{}); cchc không dùng nó làm kho để không xóa nhầm tệp của bạn. Hãy cho --store một thư mục trống hoặc thư mục kho cũ (mặc định: store/ cạnh tệp cấu hình).",
            dir.display(),
            shown.join(", "),
            if others.len() > 5 { ", …" } else { "" }
        );
    }
    std::fs::write(
        &marker,
        "Thư mục này là kho dữ liệu của cchc. cchc chỉ xóa các tệp nó đã ghi ở đây.\n",
    )
    .with_context(|| format!("không ghi được {}", marker.display()))
}

/// Whether a stored part reads as a Parquet file with the columns of its kind's table (its
/// footer only: the rows are read later).
fn readable_part(path: &Path, kind: &str) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(schema) = ParquetReader::new(file).schema() else {
        return false;
    };
    let Ok(empty) = crate::kinds::get(kind).and_then(|k| k.empty_frame()) else {
        return false;
    };
    empty
        .get_column_names()
        .into_iter()
        .filter(|c| !["file", "order"].contains(&c.as_str()))
        .all(|c| schema.contains(c.as_str()))
}

/// Whether a file name is one the store writes: `<source id>.parquet` or `<source id>.json`.
fn is_store_file(name: &str) -> bool {
    let Some((id, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(ext, "parquet" | "json") && id.len() == 20 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// SHA-256 of a file's bytes, hex.
pub fn file_sha256(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("không mở được tệp {}", path.display()))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

/// The key of a file in the store: its absolute, canonical path.
pub fn source_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn source_id(path: &str, sha256: &str) -> String {
    let d = Sha256::digest(format!("{path}\n{sha256}").as_bytes());
    format!("{d:x}")[..20].to_string()
}

/// Writes a file under a temporary name (with `prefix`) and renames it into place, synced to
/// disk first unless the caller syncs it.
fn write_via_temp(path: &Path, bytes: &[u8], sync: bool, prefix: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(prefix).tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if sync {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(())
}

impl Store {
    /// Opens the store in a folder (an empty store when there is none yet), waiting while
    /// another run holds it; repairs a manifest that names missing files (see the module).
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "không tạo được thư mục kho dữ liệu {}; hãy kiểm tra quyền ghi hoặc chọn thư mục khác bằng --store",
                dir.display()
            )
        })?;
        claim(dir)?;
        let lock = crate::lock::acquire(
            &dir.join(LOCK_FILE),
            "Kho dữ liệu đang được một lần chạy khác ghi; đang chờ…",
            &format!("kho dữ liệu {}", dir.display()),
        )?;
        let path = dir.join("manifest.json");
        let empty = || Manifest {
            schema: SCHEMA.into(),
            sources: Vec::new(),
        };
        let manifest = if path.exists() {
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "không đọc được {}; hãy kiểm tra quyền đọc của thư mục kho, hoặc chạy với --no-store",
                    path.display()
                )
            })?;
            // A manifest that cannot be read (cut short, another program's, an older format)
            // is set aside and the store starts again: every input is read anew, so no run is
            // stopped by it and no figure depends on it.
            let problem = match serde_json::from_str::<Manifest>(&text) {
                Ok(m) if m.schema == SCHEMA => Ok(m),
                Ok(m) => Err(format!(
                    "có định dạng «{}», phiên bản này dùng «{SCHEMA}»",
                    m.schema
                )),
                Err(e) => Err(format!("bị hỏng ({e})")),
            };
            match problem {
                Ok(m) => m,
                Err(why) => {
                    let aside = path.with_extension("json.hong");
                    std::fs::rename(&path, &aside).with_context(|| {
                        format!(
                            "không đổi được tên {} (kho dữ liệu {why}); hãy xóa tệp này rồi chạy lại",
                            path.display()
                        )
                    })?;
                    crate::text::say(&format!(
                        "Cảnh báo: danh mục kho dữ liệu {} {why}; đã đổi tên thành {} và đọc lại mọi tệp đầu vào vào kho. Có thể xóa tệp đã đổi tên.",
                        path.display(),
                        aside.display()
                    ));
                    empty()
                }
            }
        } else {
            empty()
        };
        let mut store = Store {
            dir: dir.to_path_buf(),
            manifest,
            temp_prefix: format!(".cchc-{}-", crate::lock::run_id()),
            repaired: Vec::new(),
            _lock: lock,
        };
        store.repair()?;
        Ok(store)
    }

    /// Drops from the manifest the sources whose parts or quality file are missing, and writes
    /// the manifest so repaired; says so on stderr, naming them.
    fn repair(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        let whole = |s: &SourceEntry| {
            s.parts.iter().all(|p| dir.join(p).is_file())
                && dir.join("sources").join(format!("{}.json", s.id)).is_file()
        };
        let (kept, dropped): (Vec<SourceEntry>, Vec<SourceEntry>) =
            self.manifest.sources.drain(..).partition(|s| whole(s));
        self.manifest.sources = kept;
        // Parts that are there but cannot be read as this kind's table (cut short, another
        // program's file): set aside under another name, their sources read again.
        let (kept, damaged): (Vec<SourceEntry>, Vec<SourceEntry>) = self
            .manifest
            .sources
            .drain(..)
            .partition(|s| s.parts.iter().all(|p| readable_part(&dir.join(p), &s.kind)));
        self.manifest.sources = kept;
        for s in &damaged {
            for p in &s.parts {
                let path = dir.join(p);
                if !readable_part(&path, &s.kind) {
                    let aside = path.with_extension("parquet.hong");
                    let _ = std::fs::rename(&path, &aside);
                    crate::text::say(&format!(
                        "Cảnh báo: tệp {} của kho dữ liệu bị hỏng (không đọc được); đã đổi tên thành {} và đọc lại tệp nguồn {} từ đầu vào. Có thể xóa tệp đã đổi tên.",
                        path.display(),
                        aside.display(),
                        s.path
                    ));
                }
            }
        }
        let mut dropped = dropped;
        dropped.extend(damaged);
        if dropped.is_empty() {
            return Ok(());
        }
        self.repaired = dropped.into_iter().map(|s| s.path).collect();
        crate::text::say(&format!(
            "Cảnh báo: kho dữ liệu {} thiếu tệp Parquet của {} tệp nguồn ({}); đã bỏ chúng khỏi kho, các tệp này được đọc lại từ đầu vào.",
            self.dir.display(),
            self.repaired.len(),
            self.repaired.join(", ")
        ));
        self.write_manifest()?;
        self.collect_garbage()
    }

    /// The sources dropped on opening because files of theirs were missing.
    pub fn repaired(&self) -> &[String] {
        &self.repaired
    }

    fn write_manifest(&self) -> Result<()> {
        write_via_temp(
            &self.dir.join("manifest.json"),
            &serde_json::to_vec_pretty(&self.manifest)?,
            true,
            &self.temp_prefix,
        )
    }

    /// The sources, in input order.
    pub fn sources(&self) -> &[SourceEntry] {
        &self.manifest.sources
    }

    /// Whether the store holds this file with these bytes, normalized under this configuration.
    pub fn holds(&self, key: &str, sha256: &str, fingerprint: &str) -> bool {
        self.manifest
            .sources
            .iter()
            .any(|s| s.key == key && s.sha256 == sha256 && s.fingerprint == fingerprint)
    }

    /// Stores new or changed sources: each replaces the rows its path brought before. Parts are
    /// written first (sources in parallel) and made durable together, the manifest last
    /// (atomically), then unreferenced parts are removed.
    pub fn put(&mut self, sources: Vec<NewSource>, fingerprint: &str) -> Result<()> {
        use rayon::prelude::*;
        if sources.is_empty() {
            return Ok(());
        }
        let written: Vec<(SourceEntry, Vec<PathBuf>)> =
            crate::parallel::try_map(sources, |s| -> Result<(SourceEntry, Vec<PathBuf>)> {
                let key = source_key(&s.file.path);
                let id = source_id(&format!("{key}\n{fingerprint}"), &s.file.sha256);
                let parts = self.write_parts(&id, s.kind, s.frame)?;
                let quality_path = self.dir.join("sources").join(format!("{id}.json"));
                write_via_temp(
                    &quality_path,
                    &serde_json::to_vec(&s.quality)?,
                    false,
                    &self.temp_prefix,
                )?;
                let files = parts
                    .iter()
                    .map(|p| self.dir.join(p))
                    .chain([quality_path])
                    .collect();
                let entry = SourceEntry {
                    key,
                    path: s.file.display.clone(),
                    kind: s.kind.id().to_string(),
                    sha256: s.file.sha256.clone(),
                    fingerprint: fingerprint.to_string(),
                    id,
                    read: s.read,
                    blank_rows: s.blank_rows,
                    parts,
                    encoding: s.file.encoding.clone(),
                };
                Ok((entry, files))
            })?;
        // Nothing names the new files until the manifest does: they are synced to disk together
        // (one wait, not one per file), then the manifest is replaced.
        written
            .par_iter()
            .flat_map(|(_, files)| files.par_iter())
            .try_for_each(|f| std::fs::File::open(f).and_then(|f| f.sync_all()))?;
        for (entry, _) in written {
            match self
                .manifest
                .sources
                .iter_mut()
                .find(|e| e.key == entry.key)
            {
                Some(old) => *old = entry,
                None => self.manifest.sources.push(entry),
            }
        }
        self.write_manifest()?;
        self.collect_garbage()
    }

    fn write_parts(&self, id: &str, kind: &dyn Kind, frame: DataFrame) -> Result<Vec<String>> {
        let layout = kind.store_layout();
        let received = frame.column(layout.partition)?.i32()?.clone();
        let mut partition: BTreeMap<(i32, u32), Vec<bool>> = BTreeMap::new();
        let n = frame.height();
        for (i, day) in received.iter().enumerate() {
            let d = from_day_number(day.unwrap_or(0));
            let key = (d.year(), (d.month() - 1) / 3 + 1);
            partition.entry(key).or_insert_with(|| vec![false; n])[i] = true;
        }
        let mut frame = frame.drop_many(["file", "order"]);
        for c in layout.dates {
            let as_date = frame.column(c)?.cast(&DataType::Date)?;
            frame.with_column(as_date)?;
        }
        let mut parts = Vec::new();
        for ((year, quarter), mask) in partition {
            let mask = BooleanChunked::from_slice("mask".into(), &mask);
            let mut part = frame.filter(&mask)?;
            let rel = format!(
                "{}/year={year}/quarter={quarter}/{id}.parquet",
                layout.table
            );
            let path = self.dir.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
            let tmp = tempfile::Builder::new()
                .prefix(&self.temp_prefix)
                .tempfile_in(path.parent().unwrap_or(&self.dir))?;
            ParquetWriter::new(tmp.as_file())
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut part)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            tmp.persist(&path)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            parts.push(rel);
        }
        Ok(parts)
    }

    /// Removes parts and quality files the manifest does not name (left by a replaced source or
    /// by a run that died before its manifest was written), this opening's temporary files, and
    /// other runs' temporary files over an hour old.
    fn collect_garbage(&self) -> Result<()> {
        let keep: HashSet<PathBuf> = self
            .manifest
            .sources
            .iter()
            .flat_map(|s| {
                s.parts
                    .iter()
                    .map(|p| self.dir.join(p))
                    .chain([self.dir.join("sources").join(format!("{}.json", s.id))])
            })
            .chain(self.winners_paths())
            .collect();
        let mut stack: Vec<PathBuf> = crate::kinds::KINDS
            .iter()
            .map(|k| self.dir.join(k.store_layout().table))
            .chain([self.dir.join("sources"), self.dir.join(WINNERS)])
            .collect();
        let mut foreign = Vec::new();
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                // The entry itself, never what a link points to.
                let Ok(kind) = e.file_type() else { continue };
                if kind.is_dir() {
                    stack.push(p);
                } else if !kind.is_file() {
                    foreign.push(p);
                } else if name.starts_with(".cchc-") && !name.starts_with(&self.temp_prefix) {
                    let stale = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > STALE_TEMP);
                    if stale {
                        let _ = std::fs::remove_file(&p);
                    }
                } else if !is_store_file(&name) && !name.starts_with(&self.temp_prefix) {
                    foreign.push(p);
                } else if !keep.contains(&p) {
                    std::fs::remove_file(&p).with_context(|| {
                        format!(
                            "không xóa được {} (tệp cũ của kho dữ liệu); hãy kiểm tra quyền ghi của thư mục kho",
                            p.display()
                        )
                    })?;
                }
            }
        }
        if !foreign.is_empty() {
            foreign.sort();
            crate::text::say(&format!(
                "Cảnh báo: kho dữ liệu {} có {} tệp không phải do cchc ghi ({}); cchc để nguyên chúng. Hãy chuyển chúng ra khỏi thư mục kho.",
                self.dir.display(),
                foreign.len(),
                foreign
                    .iter()
                    .take(5)
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(())
    }

    /// The records of one kind of the given sources, with `file` = the source's position among
    /// them and `order` = file × 2³² + pos.
    pub fn load_frame(&self, kind: &dyn Kind, sources: &[&SourceEntry]) -> Result<DataFrame> {
        let empty = kind.empty_frame()?;
        let layout = kind.store_layout();
        let columns: Vec<PlSmallStr> = empty.get_column_names_owned();
        let mut frames = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            if s.kind != kind.id() {
                continue;
            }
            for part in &s.parts {
                let path = self.dir.join(part);
                let file = std::fs::File::open(&path)
                    .with_context(|| format!("kho dữ liệu thiếu tệp {}", path.display()))?;
                let df = ParquetReader::new(file)
                    .finish()
                    .map_err(anyhow::Error::from)
                    .with_context(|| format!("không đọc được {}", path.display()))?;
                let n = df.height();
                let pos = df.column("pos")?.u32()?.clone();
                let order: Vec<u64> = pos
                    .iter()
                    .map(|p| ((i as u64) << 32) | p.unwrap_or(0) as u64)
                    .collect();
                let mut df = df;
                df.with_column(Column::new("file".into(), vec![i as u32; n]))?;
                df.with_column(Column::new("order".into(), order))?;
                for c in layout.dates {
                    let as_int = df.column(c)?.cast(&DataType::Int32)?;
                    df.with_column(as_int)?;
                }
                // A part stored before a column was added (the officer) has it empty; its
                // source is read again once it is among a run's inputs (the fingerprint changed).
                for c in empty.columns() {
                    if df.column(c.name()).is_err() {
                        df.with_column(Column::full_null(c.name().clone(), n, c.dtype()))?;
                    }
                }
                frames.push(df.select(columns.iter().cloned())?);
            }
        }
        // Parts are appended as they are read: copying them into one would double the memory.
        let mut frames = frames.into_iter();
        let Some(mut frame) = frames.next() else {
            return Ok(empty);
        };
        for f in frames {
            frame.vstack_mut_owned(f)?;
        }
        Ok(frame)
    }

    /// The key of the table of winners of the store's sources as they are.
    fn winners_key(&self) -> String {
        let mut h = Sha256::new();
        h.update(format!("{WINNERS_RULES}\n{}\n", env!("CARGO_PKG_VERSION")).as_bytes());
        for s in &self.manifest.sources {
            h.update(s.id.as_bytes());
            h.update(b"\n");
        }
        format!("{:x}", h.finalize())[..20].to_string()
    }

    /// The table of winners' rows and note, by the current key.
    fn winners_paths(&self) -> [PathBuf; 2] {
        let key = self.winners_key();
        let dir = self.dir.join(WINNERS);
        [
            dir.join(format!("{key}.parquet")),
            dir.join(format!("{key}.json")),
        ]
    }

    /// The dossier table of every source the store holds (as [`Store::load_frame`] over all of
    /// them, names unified), only the winning copy of each code (tthc-rules §2: the rows
    /// `dossier::rules::kept` keeps before its withdrawn and never-received rules), and the
    /// latest received or completed day of every copy. Read from the table of winners of the
    /// store's sources when there is one; else built from the parts and written, so that the
    /// next list reads it (`cchc ingest` builds it).
    pub fn winners(&self) -> Result<(DataFrame, Option<i32>)> {
        use crate::kinds::dossier::{rules::dedup, Dossier};
        let [rows_path, note_path] = self.winners_paths();
        let stored = || -> Option<(DataFrame, Option<i32>)> {
            let note: WinnersNote =
                serde_json::from_str(&std::fs::read_to_string(&note_path).ok()?).ok()?;
            let file = std::fs::File::open(&rows_path).ok()?;
            let frame = ParquetReader::new(file).finish().ok()?;
            let columns = Dossier.empty_frame().ok()?.get_column_names_owned();
            let frame = frame.select(columns).ok()?;
            (frame.height() == note.rows).then_some((frame, note.latest))
        };
        if let Some(found) = stored() {
            return Ok(found);
        }
        let all: Vec<&SourceEntry> = self.manifest.sources.iter().collect();
        let frame = self.load_frame(&Dossier, &all)?;
        let frame = crate::normalize::unify_names(frame, Dossier.name_columns())?;
        let mut latest: Option<i32> = None;
        for c in ["received", "completed"] {
            if let Some(m) = frame.column(c)?.i32()?.max() {
                latest = Some(latest.map_or(m, |l| l.max(m)));
            }
        }
        let keep = dedup::winners(&frame)?;
        let mut frame = frame.filter(&keep)?;
        frame.rechunk_mut();
        // Written rows first, the note last: a table without its note is never read.
        let dir = self.dir.join(WINNERS);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
        let tmp = tempfile::Builder::new()
            .prefix(&self.temp_prefix)
            .tempfile_in(&dir)?;
        ParquetWriter::new(tmp.as_file())
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut frame)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("không ghi được {}", rows_path.display()))?;
        tmp.as_file().sync_all()?;
        tmp.persist(&rows_path)
            .with_context(|| format!("không ghi được {}", rows_path.display()))?;
        let note = WinnersNote {
            latest,
            rows: frame.height(),
        };
        write_via_temp(
            &note_path,
            &serde_json::to_vec(&note)?,
            true,
            &self.temp_prefix,
        )?;
        self.collect_garbage()?;
        Ok((frame, latest))
    }

    /// The data-quality account of a source.
    pub fn quality(&self, entry: &SourceEntry) -> Result<SourceQuality> {
        let path = self.dir.join("sources").join(format!("{}.json", entry.id));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("kho dữ liệu thiếu tệp {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("kho dữ liệu: {} bị hỏng", path.display()))
    }
}

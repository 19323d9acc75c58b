//! The parts of the configuration a kind owns (or the plan: its tasks): the keys of the pipeline
//! file it reads, the files it loads, the settings it resolves them into. The core configuration
//! ([`super::Pipeline`]) keeps only what every kind shares; it holds each part's settings under
//! the part's id without knowing their type, so that adding a kind adds no field here and
//! `config` depends on no kind. The registry (`crate::kinds`) hands the parts to [`super::load`].

use std::any::Any;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::Pipeline;

/// A part of the configuration a kind or the plan owns.
pub trait ConfigPart: Sync {
    /// Its id: the kind's id, or `tasks` for the plan.
    fn id(&self) -> &'static str;
    /// The keys of the pipeline file it reads (its files' names, settings of its own); the core
    /// pipeline file refuses any key no part claims.
    fn keys(&self) -> &'static [&'static str];
    /// Its shipped files that `cchc init` writes: (file name, text).
    fn default_files(&self) -> &'static [(&'static str, &'static str)];
    /// The files a commune's starting configuration takes instead of the default ones.
    fn commune_files(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Resolves its settings, the core configuration (and the parts before it) already loaded.
    fn load(&self, cx: &PartContext) -> Result<Loaded>;
}

/// What a part is loaded from.
pub struct PartContext<'a> {
    /// The core configuration, with the settings of the parts loaded before this one.
    pub pipeline: &'a Pipeline,
    /// The pipeline file.
    pub path: &'a Path,
    /// The pipeline file's keys this part claims, as written.
    pub keys: &'a toml::Table,
}

impl PartContext<'_> {
    /// The file a key names, against the pipeline file's folder, or the default name.
    pub fn file(&self, key: &str, default: &str) -> Result<PathBuf> {
        file_named(self.path, self.keys, key, default)
    }

    /// The file of a part added after a pipeline folder was made: the one the key names, or
    /// the default one beside the pipeline file; when neither is named nor there, None — the
    /// part reads its shipped text, so an older folder keeps working.
    pub fn file_if_present(&self, key: &str, default: &str) -> Result<Option<PathBuf>> {
        let path = self.file(key, default)?;
        Ok((self.keys.contains_key(key) || path.exists()).then_some(path))
    }
}

/// The file a pipeline file's key names (its value, against the pipeline file's folder), or the
/// default name when the key is absent.
pub fn file_named(path: &Path, keys: &toml::Table, key: &str, default: &str) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    match keys.get(key) {
        None => Ok(dir.join(default)),
        Some(toml::Value::String(s)) => Ok(dir.join(s)),
        Some(other) => bail!(
            "tệp quy trình {}: khóa {key} cần tên một tệp trong ngoặc kép (ví dụ {key} = \"{default}\"), đang là {other}",
            path.display()
        ),
    }
}

/// A part's settings and the files they were read from.
pub struct Loaded {
    /// The resolved settings.
    pub settings: Box<dyn Any + Send + Sync + std::panic::RefUnwindSafe>,
    /// Every file read, in order (a change to one re-runs the pipeline).
    pub files: Vec<PathBuf>,
    /// The files normalization depends on (their content is in the normalization fingerprint).
    pub normalization_files: Vec<PathBuf>,
}

/// The settings of every part, by id.
#[derive(Default)]
pub struct Parts(BTreeMap<&'static str, Box<dyn Any + Send + Sync + std::panic::RefUnwindSafe>>);

impl Parts {
    /// The settings of part `id`; the registry loads every part before a stage runs.
    pub fn get<T: 'static>(&self, id: &str) -> &T {
        self.0
            .get(id)
            .and_then(|s| {
                let any: &(dyn Any + Send + Sync) = s.as_ref();
                any.downcast_ref::<T>()
            })
            .unwrap_or_else(|| panic!("the settings of «{id}» are loaded with the pipeline"))
    }
    pub(super) fn insert(
        &mut self,
        id: &'static str,
        settings: Box<dyn Any + Send + Sync + std::panic::RefUnwindSafe>,
    ) {
        self.0.insert(id, settings);
    }
}

impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

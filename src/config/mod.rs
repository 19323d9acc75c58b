//! Pipeline configuration: parsed strictly from `pipelines/`, then resolved into lookup tables
//! before any stage runs, so that a bad setting stops the run before any file is read.

pub mod calendar;
pub mod columns;
pub mod errors;
pub mod part;
pub mod raw;
pub mod report_sections;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::Digest;

pub use raw::{
    ColumnName, Level, Limits, OfferedMeasure, Op, ReportSettings, TargetEntry, TargetScope,
    UnitFilter, WithdrawnPractice, Words,
};

use columns::{declare, CommonWords, HeaderVocab};

use crate::model::{Channel, Status};
use crate::period::PeriodRule;
use crate::text::{canonical_spelling, match_key};
use part::ConfigPart;

/// The core configuration shipped with the binary, written by `cchc init` (each kind's files
/// come with its [`part::ConfigPart`]).
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "quarterly.toml",
        include_str!("../../pipelines/quarterly.toml"),
    ),
    (
        "vocabulary.toml",
        include_str!("../../pipelines/vocabulary.toml"),
    ),
    ("units.toml", include_str!("../../pipelines/units.toml")),
    ("fields.toml", include_str!("../../pipelines/fields.toml")),
    ("targets.toml", include_str!("../../pipelines/targets.toml")),
    (
        "calendar.toml",
        include_str!("../../pipelines/calendar.toml"),
    ),
    ("report-sections.toml", report_sections::DEFAULT),
    (
        "index766.toml",
        include_str!("../../pipelines/index766.toml"),
    ),
];

/// The files of a commune's starting configuration that differ from the district's:
/// `cchc init --locality xa` writes these instead, the shared ones beside them. The questions
/// and task bodies are the shipped commune's (`pipelines/xa-hoc-mon/`, which names its locality
/// only through placeholders); the rest is `pipelines/mau-xa/`, with the identity left blank.
pub const COMMUNE_FILES: &[(&str, &str)] = &[
    (
        "quarterly.toml",
        include_str!("../../pipelines/mau-xa/quarterly.toml"),
    ),
    (
        "units.toml",
        include_str!("../../pipelines/mau-xa/units.toml"),
    ),
    (
        "targets.toml",
        include_str!("../../pipelines/mau-xa/targets.toml"),
    ),
];

/// One input location of the pipeline, resolved.
#[derive(Debug, Clone)]
pub struct Input {
    /// A file, or a folder read recursively.
    pub path: PathBuf,
    /// The kind pinned for its files.
    pub kind: Option<&'static str>,
    /// The period a summary file here covers, when its title lines do not say.
    pub period: Option<crate::period::Period>,
}

/// A pipeline, resolved and validated.
#[derive(Debug)]
pub struct Pipeline {
    /// The pipeline file.
    pub path: PathBuf,
    /// Every configuration file read: the pipeline file, vocabulary, units, fields, targets.
    pub config_files: Vec<PathBuf>,
    /// The district's name.
    pub district: String,
    /// The locality's official code, checked against the official list; None for a district
    /// or a commune that has not filled it in yet.
    pub locality_code: Option<String>,
    /// The locality's words the documents use.
    pub words: Words,
    /// The default period id.
    pub period: String,
    /// How period ids map to days.
    pub period_rule: PeriodRule,
    /// What withdrawn dossiers count as (the dossier vocabulary's `withdrawn`).
    pub withdrawn: WithdrawnPractice,
    /// Column and value vocabulary of dossier exports.
    pub vocabulary: Vocabulary,
    /// The report's sections, in order.
    pub report_sections: report_sections::ReportSections,
    /// The working-day calendar.
    pub calendar: crate::config::calendar::Calendar,
    /// Unit registry.
    pub units: Units,
    /// The unit registry's file, for the hints that tell what to add to it.
    pub units_file: PathBuf,
    /// Field registry and groups.
    pub fields: Fields,
    /// Targets, in report order.
    pub targets: Vec<TargetEntry>,
    /// The settings of each kind (and of the plan), by id: each kind reads its own with its
    /// `config(pipeline)`.
    pub parts: part::Parts,
    /// The target ids documents flag rates against.
    pub flags: raw::Flags,
    /// The early-warning list's horizons, when the pipeline sets them.
    pub alerts: Option<raw::AlertSettings>,
    /// The district's templates folder, if any.
    pub templates: Option<PathBuf>,
    /// Input files or folders, resolved against the pipeline folder.
    pub inputs: Vec<Input>,
    /// File-name patterns that give a whole file its unit.
    pub file_units: Vec<(String, String)>,
    /// How much one input file may make cchc read and hold.
    pub limits: Limits,
    /// Report settings (defaults built from the district's name when the pipeline has none).
    pub report: ReportSettings,
    /// A hash of everything normalization depends on (vocabulary, units, fields, file units,
    /// withdrawn practice, cchc version): stored records made under another one are re-read.
    pub normalization_fingerprint: String,
}

/// A vocabulary's table of words (keys of [`match_key`]): looked up on every row, so hashed
/// fast.
pub type WordMap<V> = HashMap<String, V, foldhash::fast::FixedState>;

/// A vocabulary's set of words (keys of [`match_key`]), hashed fast as [`WordMap`].
pub type WordSet = HashSet<String, foldhash::fast::FixedState>;

/// The dossier vocabulary, as lookup tables keyed by [`match_key`].
#[derive(Debug)]
pub struct Vocabulary {
    /// Header words (column `i` is `ColumnName::ALL[i]`).
    pub header: HeaderVocab,
    /// The words every kind's files share.
    pub common: CommonWords,
    /// Status key → status.
    pub statuses: WordMap<Status>,
    /// Keys of the status words that mean «not yet received» when submitted online and
    /// «received» otherwise (`awaiting_intake`).
    pub awaiting_intake: WordSet,
    /// Channel key → channel.
    pub channels: WordMap<Channel>,
    /// Keys meaning yes.
    pub yes: WordSet,
    /// Keys meaning no.
    pub no: WordSet,
    /// Keys of a yes/no answer that does not apply to the unit.
    pub not_applicable: WordSet,
    /// The words a form's yes/no list offers: yes, no, and not applicable when the vocabulary
    /// has one.
    pub yes_no_choices: Vec<String>,
    /// The words that replace personal data in kept free text.
    pub masks: crate::privacy::MaskWords,
}

impl Vocabulary {
    /// The column a header cell names, if any.
    pub fn column_of(&self, header: &str) -> Option<ColumnName> {
        self.header.column_of(header).map(|i| ColumnName::ALL[i])
    }
    /// The label of a column in messages.
    pub fn label(&self, c: ColumnName) -> &str {
        self.header.label(c as usize)
    }
    /// Whether a cell's key is a yes word, a no word, or neither.
    pub fn yes_no(&self, key: &str) -> Option<bool> {
        if self.yes.contains(key) {
            Some(true)
        } else if self.no.contains(key) || key.is_empty() {
            Some(false)
        } else {
            None
        }
    }
}

/// A unit of the registry.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Canonical name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// The group of a public-service unit (school, health station).
    pub group: Option<String>,
}

/// A level as the documents name it.
#[derive(Debug, Clone)]
pub struct LevelInfo {
    /// The level.
    pub id: Level,
    /// "Cấp huyện".
    pub label: String,
    /// "I".
    pub numeral: String,
    /// Name prefix keys of units of this level.
    prefixes: Vec<String>,
}

/// The unit registry.
#[derive(Debug)]
pub struct Units {
    /// The levels, in report order.
    pub levels: Vec<LevelInfo>,
    units: Vec<Unit>,
    by_key: HashMap<String, usize>,
    strip_prefixes: Vec<String>,
    strip_suffixes: Vec<String>,
}

impl Units {
    /// The registry unit a spelling names, trying it as written, then without the configured
    /// prefixes, then without the suffixes too.
    pub fn find(&self, spelling: &str) -> Option<&Unit> {
        let key = match_key(spelling);
        if let Some(&i) = self.by_key.get(&key) {
            return Some(&self.units[i]);
        }
        let mut k = key.as_str();
        for p in &self.strip_prefixes {
            if let Some(rest) = k.strip_prefix(p.as_str()) {
                k = rest.trim_start_matches([' ', '.', ':', '-']);
                break;
            }
        }
        if let Some(&i) = self.by_key.get(k) {
            return Some(&self.units[i]);
        }
        for s in &self.strip_suffixes {
            if let Some(rest) = k.strip_suffix(s.as_str()) {
                let rest = rest.trim_end_matches([' ', ',', '-']);
                if let Some(&i) = self.by_key.get(rest) {
                    return Some(&self.units[i]);
                }
            }
        }
        None
    }

    /// Every unit whose name or alias appears in a line of text (title lines of an export).
    pub fn mentioned_in(&self, line: &str) -> Vec<&Unit> {
        // Compare words only, so punctuation around a name ("XÃ ĐÔNG THẠNH, HUYỆN …") cannot hide it.
        let words = crate::text::padded_words;
        let key = words(&match_key(line));
        let mut found: Vec<usize> = Vec::new();
        for (alias, &i) in &self.by_key {
            if alias.chars().count() >= 6 && key.contains(&words(alias)) && !found.contains(&i) {
                found.push(i);
            }
        }
        found.sort();
        found.into_iter().map(|i| &self.units[i]).collect()
    }

    /// All units, in registry order.
    pub fn all(&self) -> &[Unit] {
        &self.units
    }

    /// The level of a unit the registry does not know, told by its name's prefix.
    pub fn level_of_unknown(&self, name: &str) -> Level {
        let key = match_key(name);
        self.levels
            .iter()
            .find(|l| {
                l.prefixes.iter().any(|p| {
                    key.strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with(' '))
                })
            })
            .or(self.levels.first())
            .map(|l| l.id)
            .unwrap_or(Level::Huyen)
    }

    /// How the documents name a level.
    pub fn level(&self, level: Level) -> &LevelInfo {
        self.levels
            .iter()
            .find(|l| l.id == level)
            .expect("levels are checked when the registry is loaded")
    }

    /// Whether a unit (canonical name) is a public-service unit (a school, a health station):
    /// its evaluations are surveys of target 4.1, not evaluations of dossier handling (4.2).
    pub fn is_public_service(&self, name: &str) -> bool {
        self.group_of(name).is_some()
    }

    /// The group of a public-service unit, by canonical name.
    pub fn group_of(&self, name: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| u.group.as_deref())
    }
}

/// The field registry and groups.
#[derive(Debug)]
pub struct Fields {
    by_key: HashMap<String, String>,
    /// Groups by id.
    pub groups: BTreeMap<String, raw::GroupEntry>,
}

impl Fields {
    /// The canonical name of a registry field, if the spelling names one.
    pub fn find(&self, spelling: &str) -> Option<&str> {
        self.by_key.get(&match_key(spelling)).map(String::as_str)
    }
    /// Ids of the groups a field belongs to.
    pub fn groups_of(&self, field: &str) -> Vec<&str> {
        self.groups
            .iter()
            .filter(|(_, g)| g.fields.iter().any(|f| f == field))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

/// Reads a strict TOML configuration file, its errors in Vietnamese with line and caret.
pub fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!(errors::io_error(&e)))
        .with_context(|| format!("không đọc được tệp cấu hình {}", path.display()))?;
    let text = crate::identity::expand(&text, path)?;
    errors::parse_toml(&text)
        .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))
}

/// Warns once when the pipeline names a templates folder, or a narrative pattern whose folder,
/// that does not exist: the defaults, or the placeholders, are used instead.
fn warn_missing_folders(path: &Path, templates: Option<&Path>, narrative: Option<&str>) {
    if let Some(t) = templates.filter(|t| !t.is_dir()) {
        errors::warn_once(format!(
            "Cảnh báo: thư mục mẫu {} (mục templates của {}) không có; dùng mẫu mặc định.",
            t.display(),
            path.display()
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(pattern) = narrative {
        // The folder part before any `{period}`.
        let whole = dir.join(pattern);
        let folder = whole
            .ancestors()
            .skip(1)
            .find(|a| !a.to_string_lossy().contains('{'))
            .unwrap_or(dir);
        if !folder.is_dir() {
            errors::warn_once(format!(
                "Cảnh báo: thư mục lời văn {} ([report] narrative = «{pattern}» trong {}) không có; các phần lời văn của báo cáo để trống.",
                folder.display(),
                path.display()
            ));
        }
    }
}

/// The unit registry and period rule of a pipeline file, read without the rest of the pipeline
/// (`cchc plan import` writes the plan a pipeline may not have yet), with the keys the parts in
/// `parts` claim.
pub fn units_only(
    path: &Path,
    parts: &[&dyn ConfigPart],
) -> Result<(Units, PeriodRule, toml::Table)> {
    let (file, keys) = read_pipeline_file(path, parts)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    // The registry's names may hold the locality's placeholders: read it under its identity.
    let identity = crate::identity::Identity::new(&file.district, file.locality_code.as_deref());
    let units = crate::identity::scoped(identity, || {
        resolve_units(read_toml(&dir.join(&file.units))?).with_context(|| {
            format!(
                "danh mục đơn vị {} không hợp lệ",
                dir.join(&file.units).display()
            )
        })
    })?;
    Ok((units, file.period_rule, keys))
}

/// Reads a pipeline file: its core keys strictly, and apart, the keys each part in `parts`
/// claims (as written). A key neither knows is refused with its line, as any unknown key.
pub fn read_pipeline_file(
    path: &Path,
    parts: &[&dyn ConfigPart],
) -> Result<(raw::PipelineFile, toml::Table)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!(errors::io_error(&e)))
        .with_context(|| format!("không đọc được tệp cấu hình {}", path.display()))?;
    let text = crate::identity::expand(&text, path)?;
    let whole: toml::Table = errors::parse_toml(&text)
        .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))?;
    let mut claimed = toml::Table::new();
    for key in parts.iter().flat_map(|s| s.keys()) {
        if let Some(v) = whole.get(*key) {
            claimed.insert(key.to_string(), v.clone());
        }
    }
    let file = errors::parse_toml(&without_keys(&text, &claimed))
        .with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))?;
    Ok((file, claimed))
}

/// The text with the top-level keys (and tables) of `keys` commented out, every line kept in
/// its place so that the core reader's messages give the lines of the file as written.
fn without_keys(text: &str, keys: &toml::Table) -> String {
    let name_of = |s: &str| -> String {
        let end = s.find(['=', '.', ']', ' ', '\t']).unwrap_or(s.len());
        s[..end].trim().trim_matches(['"', '\'']).to_string()
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut top_level = true;
    let mut in_claimed_table = false;
    let mut open_brackets = 0i64;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let comment = if open_brackets > 0 {
            open_brackets += bracket_balance(t);
            true
        } else if t.starts_with('[') {
            top_level = false;
            in_claimed_table = keys.contains_key(&name_of(t.trim_start_matches('[')));
            in_claimed_table
        } else if in_claimed_table {
            true
        } else if top_level && !t.is_empty() && !t.starts_with('#') {
            let claimed = keys.contains_key(&name_of(t));
            if claimed {
                open_brackets = bracket_balance(t.split_once('=').map_or("", |(_, v)| v));
            }
            claimed
        } else {
            false
        };
        if comment {
            out.push('#');
        }
        out.push_str(line);
    }
    out
}

/// Opening minus closing brackets of a value's line, strings and comments aside.
fn bracket_balance(line: &str) -> i64 {
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, '[' | '{') => n += 1,
            (None, ']' | '}') => n -= 1,
            _ => {}
        }
    }
    n
}

/// Reads a pipeline file and the files it names, and resolves them into a [`Pipeline`]: the
/// core configuration, then each part of `parts` in order (the registry's kinds and the
/// plan, `crate::kinds::load_pipeline`). The locality's identity the pipeline file gives is in
/// effect for the placeholders of every file ([`crate::identity`]).
/// `measures` are those the kinds offer, which the targets may name.
pub fn load(
    path: &Path,
    parts: &[&dyn ConfigPart],
    kind_ids: &[&'static str],
    measures: &[OfferedMeasure],
) -> Result<Pipeline> {
    let (file, _) = read_pipeline_file(path, parts)?;
    let locality_code = match file.locality_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            crate::localities::OfficialList::shipped()
                .check_code(code, &file.district)
                .with_context(|| format!("tệp quy trình {} không hợp lệ", path.display()))?
                .code
                .clone(),
        ),
    };
    let identity = crate::identity::Identity::new(&file.district, locality_code.as_deref());
    crate::identity::scoped(identity, || {
        load_with_identity(path, locality_code, parts, kind_ids, measures)
    })
}

fn load_with_identity(
    path: &Path,
    locality_code: Option<String>,
    parts: &[&dyn ConfigPart],
    kind_ids: &[&'static str],
    measures: &[OfferedMeasure],
) -> Result<Pipeline> {
    let (file, claimed) = read_pipeline_file(path, parts)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let vocabulary_path = dir.join(&file.vocabulary);
    let vocabulary_file: raw::VocabularyFile = read_toml(&vocabulary_path)?;
    let mut withdrawn = vocabulary_file.withdrawn;
    if let Some(old) = file.withdrawn {
        errors::warn_once(format!(
            "Cảnh báo: cách tính hồ sơ rút (withdrawn trong {}) nay khai báo trong {} (withdrawn = \"{}\"); cchc vẫn dùng giá trị ở tệp quy trình. Hãy chuyển dòng này sang {}.",
            path.display(),
            vocabulary_path.display(),
            old.code(),
            vocabulary_path.display()
        ));
        withdrawn = old;
    }
    let vocabulary = resolve_vocabulary(vocabulary_file)
        .with_context(|| format!("từ vựng {} không hợp lệ", vocabulary_path.display()))?;
    let units = resolve_units(read_toml(&dir.join(&file.units))?).with_context(|| {
        format!(
            "danh mục đơn vị {} không hợp lệ",
            dir.join(&file.units).display()
        )
    })?;
    let fields = resolve_fields(read_toml(&dir.join(&file.fields))?).with_context(|| {
        format!(
            "danh mục lĩnh vực {} không hợp lệ",
            dir.join(&file.fields).display()
        )
    })?;
    let targets_path = dir.join(&file.targets);
    let mut targets_file: raw::TargetsFile = read_toml(&targets_path)?;
    for t in &mut targets_file.targets {
        // A starting value is reported as such wherever the title goes.
        if let Some(words) = t
            .placeholder
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            t.title = format!("{} ({words})", t.title);
        }
    }
    for t in &targets_file.targets {
        let named = t.group.iter().chain(&t.except_groups);
        for g in named {
            if !fields.groups.contains_key(g) {
                bail!(
                    "chỉ tiêu {}: nhóm lĩnh vực «{g}» không có trong danh mục lĩnh vực",
                    t.id
                );
            }
        }
        let Some(offered) = measures.iter().find(|m| m.name == t.measure) else {
            bail!(
                "tệp chỉ tiêu {}: chỉ tiêu {}: số đo (measure) «{}» không có; các số đo: {}. Hãy ghi measure là một trong các số đo này.",
                targets_path.display(),
                t.id,
                t.measure,
                measures.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
            );
        };
        if !offered.scopes.contains(&t.scope) {
            bail!(
                "chỉ tiêu {}: số đo «{}» không tính theo phạm vi «{}»; số đo này xét theo: {}",
                t.id,
                t.measure,
                t.scope.code(),
                offered
                    .scopes
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if t.scope == TargetScope::Level && t.level.is_none() {
            bail!(
                "chỉ tiêu {}: scope = \"level\" cần khai báo level (huyen hoặc xa)",
                t.id
            );
        }
        if t.scope == TargetScope::Group && t.group.is_none() {
            bail!("chỉ tiêu {}: scope = \"group\" cần khai báo group", t.id);
        }
    }
    crate::period::Period::parse(&file.period, file.period_rule)?;
    let mut file_units = Vec::new();
    for fu in &file.file_units {
        let Some(unit) = units.find(&fu.unit) else {
            bail!(
                "file_units: đơn vị «{}» không có trong danh mục đơn vị",
                fu.unit
            );
        };
        file_units.push((fu.pattern.clone(), unit.name.clone()));
    }
    let report = resolve_report(file.report, &file.district)?;
    let calendar = calendar::Calendar::load(&dir.join(&file.calendar))?;
    let report_sections_path = dir.join(&file.report_sections);
    let report_sections = report_sections::ReportSections::load(&report_sections_path)?;
    for u in units.all() {
        if let Some(g) = &u.group {
            if !fields.groups.contains_key(g) {
                bail!(
                    "danh mục đơn vị: đơn vị «{}» thuộc nhóm «{g}» không có trong danh mục lĩnh vực",
                    u.name
                );
            }
        }
    }
    let mut inputs = Vec::new();
    for i in &file.inputs {
        let kind = match &i.kind {
            None => None,
            Some(k) => match kind_ids.iter().find(|id| **id == k.trim()) {
                Some(id) => Some(*id),
                None => bail!(
                    "[[inputs]] «{}»: loại tệp (kind) «{k}» không có; các loại: {}",
                    i.path,
                    kind_ids.join(", ")
                ),
            },
        };
        let period = match &i.period {
            None => None,
            Some(p) => Some(crate::period::Period::parse(p, file.period_rule)?),
        };
        inputs.push(Input {
            path: dir.join(&i.path),
            kind,
            period,
        });
    }
    let templates = file.templates.as_ref().map(|t| dir.join(t));
    warn_missing_folders(path, templates.as_deref(), report.narrative.as_deref());
    let core_files: Vec<PathBuf> = [&file.vocabulary, &file.units, &file.fields]
        .into_iter()
        .map(|f| dir.join(f))
        .collect();
    let mut pipeline = Pipeline {
        report,
        normalization_fingerprint: String::new(),
        path: path.to_path_buf(),
        config_files: core_files
            .iter()
            .cloned()
            .chain([dir.join(&file.targets), dir.join(&file.calendar)])
            .chain(
                report_sections_path
                    .exists()
                    .then_some(report_sections_path),
            )
            .collect(),
        district: file.district,
        locality_code,
        words: file.words,
        period: file.period,
        period_rule: file.period_rule,
        withdrawn,
        vocabulary,
        report_sections,
        calendar,
        units,
        units_file: dir.join(&file.units),
        fields,
        targets: targets_file.targets,
        flags: targets_file.flags,
        alerts: file.alerts,
        parts: part::Parts::default(),
        templates,
        inputs,
        file_units,
        limits: file.limits,
    };
    let mut normalization_files = core_files;
    for s in parts {
        let mut keys = toml::Table::new();
        for k in s.keys() {
            if let Some(v) = claimed.get(*k) {
                keys.insert(k.to_string(), v.clone());
            }
        }
        let loaded = s.load(&part::PartContext {
            pipeline: &pipeline,
            path,
            keys: &keys,
        })?;
        pipeline.parts.insert(s.id(), loaded.settings);
        pipeline.config_files.extend(loaded.files);
        normalization_files.extend(loaded.normalization_files);
    }
    pipeline.config_files.push(path.to_path_buf());
    let mut hasher = sha2::Sha256::new();
    for f in &normalization_files {
        hasher.update(std::fs::read(f).unwrap_or_default());
    }
    hasher.update(
        format!(
            "{:?}{:?}{}/{}",
            pipeline.file_units,
            pipeline.withdrawn,
            env!("CARGO_PKG_VERSION"),
            crate::model::NORMALIZATION_REVISION
        )
        .as_bytes(),
    );
    pipeline.normalization_fingerprint = format!("{:x}", hasher.finalize())[..16].to_string();
    Ok(pipeline)
}

fn resolve_report(report: Option<ReportSettings>, district: &str) -> Result<ReportSettings> {
    let r = report.unwrap_or_else(|| ReportSettings {
        governing_body: Vec::new(),
        issuing_body: vec!["ỦY BAN NHÂN DÂN".into(), district.to_uppercase()],
        number: "Số:        /BC-UBND".into(),
        place: district
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" "),
        date: None,
        signer_title: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        signer_name: String::new(),
        recipients: vec!["Lưu: VT.".into()],
        narrative: None,
    });
    if let Some(d) = r.date.as_deref().filter(|d| !d.is_empty()) {
        if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            bail!("[report] date = «{d}» không hợp lệ: cần dạng năm-tháng-ngày, ví dụ 2024-03-20");
        }
    }
    Ok(r)
}

fn insert_unique<V: Copy + PartialEq + std::fmt::Debug, S: std::hash::BuildHasher>(
    map: &mut HashMap<String, V, S>,
    word: &str,
    value: V,
    what: &str,
) -> Result<()> {
    let key = match_key(word);
    match map.insert(key, value) {
        Some(old) if old != value => {
            bail!("{what} «{word}» được khai báo hai nghĩa ({old:?} và {value:?})")
        }
        _ => Ok(()),
    }
}

fn resolve_vocabulary(mut v: raw::VocabularyFile) -> Result<Vocabulary> {
    let common = CommonWords {
        ignored_columns: v.ignored_columns.clone(),
        footer_markers: v.footer_markers.clone(),
    };
    for needed in [ColumnName::DossierId, ColumnName::Received] {
        if !v.columns.contains_key(&needed) {
            bail!("thiếu khai báo cột {}", needed.id());
        }
    }
    let declared = declare(&ColumnName::ALL, ColumnName::id, &mut v.columns);
    let mut header = HeaderVocab::new(
        "dossier",
        &v.list_name,
        declared,
        &common,
        &v.identify,
        &v.record,
    )?;
    header.unit_alternates = true;
    let mut statuses = WordMap::default();
    let s = &v.statuses;
    for (words, st) in [
        (&s.received, Status::Received),
        (&s.processing, Status::Processing),
        (&s.supplement, Status::Supplement),
        (&s.result_ready, Status::ResultReady),
        (&s.returned, Status::Returned),
        (&s.refused, Status::Refused),
        (&s.withdrawn, Status::Withdrawn),
        (&s.not_received, Status::NotReceived),
        (&s.not_accepted, Status::NotAccepted),
    ] {
        for w in words {
            insert_unique(&mut statuses, w, st, "trạng thái")?;
        }
    }
    let mut awaiting_intake = WordSet::default();
    for w in &s.awaiting_intake {
        if let Some(st) = statuses.get(&match_key(w)) {
            bail!("trạng thái «{w}» được khai báo hai nghĩa ({st:?} và awaiting_intake)");
        }
        awaiting_intake.insert(match_key(w));
    }
    let mut channels = WordMap::default();
    let c = &v.channels;
    for (words, ch) in [
        (&c.online, Channel::Online),
        (&c.direct, Channel::Direct),
        (&c.postal, Channel::Postal),
    ] {
        for w in words {
            insert_unique(&mut channels, w, ch, "hình thức nộp")?;
        }
    }
    let yes: WordSet = v.yes_no.yes.iter().map(|w| match_key(w)).collect();
    let no: WordSet = v.yes_no.no.iter().map(|w| match_key(w)).collect();
    if let Some(both) = yes.intersection(&no).next() {
        bail!("từ «{both}» vừa là có vừa là không");
    }
    let not_applicable: WordSet = v
        .yes_no
        .not_applicable
        .iter()
        .map(|w| match_key(w))
        .collect();
    if let Some(both) = not_applicable
        .intersection(&yes)
        .chain(not_applicable.intersection(&no))
        .next()
    {
        bail!("từ «{both}» vừa là «không áp dụng» vừa là có hoặc không");
    }
    let yes_no_choices = [&v.yes_no.yes, &v.yes_no.no, &v.yes_no.not_applicable]
        .iter()
        .filter_map(|words| words.first().cloned())
        .collect();
    Ok(Vocabulary {
        header,
        common,
        statuses,
        awaiting_intake,
        channels,
        yes,
        no,
        not_applicable,
        yes_no_choices,
        masks: v.personal_data_masks,
    })
}

fn resolve_units(mut u: raw::UnitsFile) -> Result<Units> {
    let mut by_key = HashMap::new();
    let mut units = Vec::new();
    let entries = std::mem::take(&mut u.units);
    for (i, e) in entries.into_iter().enumerate() {
        let name = canonical_spelling(&e.name);
        for spelling in std::iter::once(&e.name).chain(&e.aliases) {
            insert_unique(&mut by_key, spelling, i, "tên đơn vị")?;
        }
        if !u.levels.iter().any(|l| l.id == e.level) {
            bail!(
                "đơn vị «{}»: cấp «{}» không có trong [[levels]]",
                e.name,
                e.level.code()
            );
        }
        units.push(Unit {
            name,
            level: e.level,
            group: e.group,
        });
    }
    if u.levels.is_empty() {
        bail!("chưa khai báo cấp nào ([[levels]])");
    }
    Ok(Units {
        levels: u
            .levels
            .iter()
            .map(|l| LevelInfo {
                id: l.id,
                label: l.label.clone(),
                numeral: l.numeral.clone(),
                prefixes: l.prefixes.iter().map(|p| match_key(p)).collect(),
            })
            .collect(),
        units,
        by_key,
        strip_prefixes: u.strip_prefixes.iter().map(|p| match_key(p)).collect(),
        strip_suffixes: u.strip_suffixes.iter().map(|p| match_key(p)).collect(),
    })
}

fn resolve_fields(f: raw::FieldsFile) -> Result<Fields> {
    let mut idx = HashMap::new();
    let mut names = Vec::new();
    for (i, e) in f.fields.iter().enumerate() {
        for spelling in std::iter::once(&e.name).chain(&e.aliases) {
            insert_unique(&mut idx, spelling, i, "tên lĩnh vực")?;
        }
        names.push(canonical_spelling(&e.name));
    }
    let by_key: HashMap<String, String> = idx
        .into_iter()
        .map(|(k, i)| (k, names[i].clone()))
        .collect();
    let mut groups = f.groups;
    for (id, g) in groups.iter_mut() {
        for member in g.fields.iter_mut() {
            let Some(name) = by_key.get(&match_key(member)) else {
                bail!("nhóm «{id}»: lĩnh vực «{member}» không có trong danh sách [[fields]]");
            };
            *member = name.clone();
        }
    }
    Ok(Fields { by_key, groups })
}

/// Whether a file name matches a pattern where `*` stands for any text (case-insensitive).
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let p = pattern.to_lowercase();
    let n = name.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == n;
    }
    let mut rest = n.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(pos) = rest.find(part) else {
                return false;
            };
            rest = &rest[pos + part.len()..];
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Pipeline {
        crate::kinds::load_pipeline(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/quarterly.toml"
        )))
        .unwrap()
    }

    #[test]
    fn finds_units_by_any_spelling() {
        let p = shipped();
        let name = |s: &str| p.units.find(s).map(|u| u.name.clone());
        assert_eq!(name("UBND xã  Bà Điểm").as_deref(), Some("Xã Bà Điểm"));
        assert_eq!(
            name("ỦY BAN NHÂN DÂN XÃ BÀ ĐIỂM").as_deref(),
            Some("Xã Bà Điểm")
        );
        assert_eq!(
            name("Phòng Tư pháp huyện Hóc Môn").as_deref(),
            Some("Phòng Tư pháp")
        );
        assert_eq!(
            name("Phòng Văn hoá và Thông tin").as_deref(),
            Some("Phòng Văn hóa và Thông tin")
        );
        assert_eq!(
            name("UBND Thị trấn Hóc Môn").as_deref(),
            Some("Thị trấn Hóc Môn")
        );
        assert_eq!(name("Phòng Không Có"), None);
    }

    #[test]
    fn knows_every_word_of_the_export_vocabulary() {
        let p = shipped();
        let v = &p.vocabulary;
        for h in [
            "Số biên nhận",
            "Cơ quan thực hiện",
            "Lĩnh vực TTHC",
            "Thời gian tiếp nhận",
            "Hạn giải quyết",
            "Ngày giải quyết xong",
            "Thời gian trả kết quả",
            "Tình trạng xử lý",
            "Nguồn hồ sơ",
            "Thư xin lỗi",
            "Số hóa thành phần hồ sơ",
            "Số hoá kết quả",
            "Số tiền",
            "Hình thức thanh toán",
            "Tổ chức/cá nhân",
            "Mã TTHC",
            "Thủ tục",
        ] {
            assert!(v.column_of(h).is_some(), "{h}");
        }
        assert_eq!(
            v.statuses.get(&match_key("ĐÃ HỦY")),
            Some(&Status::Withdrawn)
        );
        assert_eq!(
            v.statuses.get(&match_key("Đã huỷ")),
            Some(&Status::Withdrawn)
        );
        assert_eq!(v.channels.get(&match_key("bcci")), Some(&Channel::Postal));
    }

    #[test]
    fn keys_reruns_and_init_on_the_plans_task_files() {
        let p = shipped();
        let plan = crate::tasks::PlanPart;
        for name in ["tasks.toml", "task-bodies.toml"] {
            assert!(p.config_files.iter().any(|f| f.ends_with(name)), "{name}");
            assert!(
                plan.default_files().iter().any(|(n, _)| *n == name),
                "{name}"
            );
            assert!(
                plan.commune_files().iter().any(|(n, _)| *n == name),
                "{name}"
            );
        }
        assert_eq!(crate::tasks::plan(&p).tasks.len(), 87);
    }

    #[test]
    fn matches_file_name_patterns() {
        assert!(name_matches("xa-dong-thanh-*", "XA-DONG-THANH-q1.csv"));
        assert!(name_matches("*.csv", "a.csv"));
        assert!(!name_matches("xa-*-q1.csv", "xa-b-q2.csv"));
    }
}

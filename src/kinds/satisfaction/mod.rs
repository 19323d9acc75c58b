//! Satisfaction evaluations (`satisfaction.md`): one row per evaluation from the city's
//! evaluation system and the national portal, or a summary per unit with counts per level (the
//! surveys schools and health stations tally). Targets 4.1 and 4.2; published for target 6.
//!
//! Vocabulary and the satisfied levels in `pipelines/satisfaction.toml`; normalization here,
//! one rating per dossier and the link to the rated dossier in [`rules`], counts per
//! (level, unit, field) in [`figures`].

pub mod annex;
pub mod figures;
pub mod normalize;
pub mod public;
pub mod report;
pub mod rules;

use crate::quality::WarningKind;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{bail, Context, Result};
use polars::prelude::DataFrame;
use serde::Deserialize;

use crate::config::part::{ConfigPart, Loaded, PartContext};
use crate::config::raw::ColumnSpec;
use crate::config::Pipeline;
use crate::ingest::columns::{declare, CommonWords, HeaderVocab};
use crate::ingest::RawTable;
use crate::kind::{InputContext, Kind, StoreLayout};
use crate::normalize::Normalized;
use crate::text::match_key;

/// The satisfaction kind.
pub struct Satisfaction;

/// The satisfaction settings of a pipeline.
pub fn config(pipeline: &Pipeline) -> &Config {
    pipeline.parts.get::<Config>(Kind::id(&Satisfaction))
}

impl ConfigPart for Satisfaction {
    fn id(&self) -> &'static str {
        Kind::id(self)
    }
    fn keys(&self) -> &'static [&'static str] {
        &["satisfaction"]
    }
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "satisfaction.toml",
            include_str!("../../../pipelines/satisfaction.toml"),
        )]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let path = cx.file("satisfaction", "satisfaction.toml")?;
        let config = Config::load(&path, &cx.pipeline.vocabulary.common).with_context(|| {
            format!("từ vựng đánh giá hài lòng {} không hợp lệ", path.display())
        })?;
        Ok(Loaded {
            settings: Box::new(config),
            files: vec![path.clone()],
            normalization_files: vec![path],
        })
    }
}

/// Evaluations of a file with neither a dossier code nor an evaluation code: counted as
/// they are, never checked for duplicates.
pub const UNCHECKED_DUPLICATES: WarningKind = WarningKind::new("UncheckedDuplicates");
/// Its kinds of warning, in the order the data-quality workbook lists them (words in
/// `[warning_kinds]` of `templates/quality/chat-luong.toml`).
pub const WARNING_KINDS: &[WarningKind] = &[UNCHECKED_DUPLICATES];

impl Kind for Satisfaction {
    fn id(&self) -> &'static str {
        "satisfaction"
    }
    fn warning_kinds(&self) -> &'static [WarningKind] {
        WARNING_KINDS
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &config(pipeline).header
    }
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        Some(&Satisfaction)
    }
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized> {
        normalize::normalize(pipeline, tables, input)
    }
    fn empty_frame(&self) -> Result<DataFrame> {
        normalize::to_frame(&[])
    }
    fn annex_sheet_kinds(&self) -> Vec<crate::annex_sheet::OfferedSheet> {
        annex::offered()
    }
    fn annex_templates(&self) -> &'static [(&'static str, &'static str)] {
        annex::TEMPLATES
    }
    fn rows_word(&self) -> &'static str {
        "đánh giá"
    }
    fn report_templates(&self) -> &'static [(&'static str, &'static str)] {
        report::TEMPLATES
    }
    fn public_templates(&self) -> &'static [(&'static str, &'static str)] {
        public::TEMPLATES
    }
    fn measures(&self) -> Vec<crate::config::OfferedMeasure> {
        crate::kind::rate_measures::<figures::SatisfactionCounts>(
            Kind::id(self),
            crate::config::OfferedMeasure::EVERY_SCOPE,
        )
        .collect()
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "satisfaction",
            partition: "day",
            dates: &["day", "evaluated", "period_start", "period_end"],
        }
    }
    fn rules(
        &self,
        _pipeline: &Pipeline,
        frame: DataFrame,
        earlier: &crate::kind::Ruled,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        let dossiers = earlier.get::<crate::kinds::dossier::rules::Ruled>("dossier")?;
        Ok(Box::new(rules::apply(frame, &dossiers.frame, n_files)?))
    }
    fn figures(
        &self,
        pipeline: &Pipeline,
        ruled: &crate::kind::Ruled,
        period: &crate::period::Period,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::KindFigures>> {
        Ok(Box::new(figures::compute(
            &ruled.get::<rules::Ruled>(Kind::id(self))?.frame,
            period,
            n_files,
            &config(pipeline).satisfied,
        )?))
    }
}

/// The five canonical levels, best first (satisfaction.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingLevel {
    /// 5: Rất hài lòng.
    VerySatisfied,
    /// 4: Hài lòng.
    Satisfied,
    /// 3: Bình thường.
    Neutral,
    /// 2: Không hài lòng.
    Dissatisfied,
    /// 1: Rất không hài lòng.
    VeryDissatisfied,
}

impl RatingLevel {
    /// Every level, best first.
    pub const ALL: [RatingLevel; 5] = [
        RatingLevel::VerySatisfied,
        RatingLevel::Satisfied,
        RatingLevel::Neutral,
        RatingLevel::Dissatisfied,
        RatingLevel::VeryDissatisfied,
    ];

    /// The level of a score of 1 to 5 (5 = very satisfied).
    pub fn of_score(n: u32) -> Option<RatingLevel> {
        (1..=5).contains(&n).then(|| Self::ALL[5 - n as usize])
    }

    /// Its id in tables and indicators.json.
    pub fn code(self) -> &'static str {
        match self {
            RatingLevel::VerySatisfied => "very_satisfied",
            RatingLevel::Satisfied => "satisfied",
            RatingLevel::Neutral => "neutral",
            RatingLevel::Dissatisfied => "dissatisfied",
            RatingLevel::VeryDissatisfied => "very_dissatisfied",
        }
    }
}

/// The columns of a satisfaction export, in the order of the header vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SatColumn {
    /// Mã phiếu: drops re-exported copies.
    EvaluationId,
    /// Mã hồ sơ: links the rating to a dossier.
    DossierId,
    /// The unit rated.
    Unit,
    /// Lĩnh vực.
    Field,
    /// Thủ tục.
    Procedure,
    /// Ngày đánh giá.
    Evaluated,
    /// Mức độ hài lòng, in words or numbers.
    Rating,
    /// Kiosk, web, SMS, paper … kept as is.
    Channel,
    /// Who evaluated (personal: read and discarded).
    Evaluator,
    /// A comment (personal: read and discarded).
    Comment,
    /// Summary: count of very satisfied.
    VerySatisfied,
    /// Summary: count of satisfied.
    Satisfied,
    /// Summary: count of neutral.
    Neutral,
    /// Summary: count of dissatisfied.
    Dissatisfied,
    /// Summary: count of very dissatisfied.
    VeryDissatisfied,
    /// Summary: Tổng số phiếu.
    Total,
}

impl SatColumn {
    /// Every column, in enum order.
    pub const ALL: [SatColumn; 16] = [
        SatColumn::EvaluationId,
        SatColumn::DossierId,
        SatColumn::Unit,
        SatColumn::Field,
        SatColumn::Procedure,
        SatColumn::Evaluated,
        SatColumn::Rating,
        SatColumn::Channel,
        SatColumn::Evaluator,
        SatColumn::Comment,
        SatColumn::VerySatisfied,
        SatColumn::Satisfied,
        SatColumn::Neutral,
        SatColumn::Dissatisfied,
        SatColumn::VeryDissatisfied,
        SatColumn::Total,
    ];

    /// Its id in the vocabulary file.
    pub fn id(self) -> &'static str {
        match self {
            SatColumn::EvaluationId => "evaluation_id",
            SatColumn::DossierId => "dossier_id",
            SatColumn::Unit => "unit",
            SatColumn::Field => "field",
            SatColumn::Procedure => "procedure",
            SatColumn::Evaluated => "evaluated",
            SatColumn::Rating => "rating",
            SatColumn::Channel => "channel",
            SatColumn::Evaluator => "evaluator",
            SatColumn::Comment => "comment",
            SatColumn::VerySatisfied => "very_satisfied",
            SatColumn::Satisfied => "satisfied",
            SatColumn::Neutral => "neutral",
            SatColumn::Dissatisfied => "dissatisfied",
            SatColumn::VeryDissatisfied => "very_dissatisfied",
            SatColumn::Total => "total",
        }
    }

    /// The count column of a level.
    pub fn of_level(level: RatingLevel) -> SatColumn {
        match level {
            RatingLevel::VerySatisfied => SatColumn::VerySatisfied,
            RatingLevel::Satisfied => SatColumn::Satisfied,
            RatingLevel::Neutral => SatColumn::Neutral,
            RatingLevel::Dissatisfied => SatColumn::Dissatisfied,
            RatingLevel::VeryDissatisfied => SatColumn::VeryDissatisfied,
        }
    }
}

/// `satisfaction.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// What a person calls these files, in messages.
    list_name: String,
    /// Column sets that identify a satisfaction header.
    identify: Vec<Vec<String>>,
    /// Columns whose presence makes a row a record.
    #[serde(default)]
    record: Vec<String>,
    /// The levels counted as satisfied.
    satisfied_levels: Vec<RatingLevel>,
    /// Header names of each column.
    columns: BTreeMap<SatColumn, ColumnSpec>,
    /// Words of each level.
    levels: BTreeMap<RatingLevel, Vec<String>>,
}

/// The satisfaction vocabulary and settings, resolved.
#[derive(Debug)]
pub struct Config {
    /// Header words (column `i` is `SatColumn::ALL[i]`).
    pub header: HeaderVocab,
    /// Level word key → level.
    pub levels: HashMap<String, RatingLevel>,
    /// The levels counted as satisfied.
    pub satisfied: Vec<RatingLevel>,
}

impl Config {
    /// Reads and checks `satisfaction.toml`; the reading words every kind shares come from the
    /// core vocabulary.
    pub fn load(path: &Path, common: &CommonWords) -> Result<Config> {
        let mut file: ConfigFile = crate::config::read_toml(path)?;
        let declared = declare(&SatColumn::ALL, SatColumn::id, &mut file.columns);
        let header = HeaderVocab::new(
            "satisfaction",
            &file.list_name,
            declared,
            common,
            &file.identify,
            &file.record,
        )?;
        let mut levels = HashMap::new();
        for (level, words) in &file.levels {
            for w in words {
                if let Some(old) = levels.insert(match_key(w), *level) {
                    if old != *level {
                        bail!("mức đánh giá «{w}» được khai báo hai nghĩa ({old:?} và {level:?})");
                    }
                }
            }
        }
        if file.satisfied_levels.is_empty() {
            bail!("satisfied_levels: cần ít nhất một mức được tính là hài lòng");
        }
        Ok(Config {
            header,
            levels,
            satisfied: file.satisfied_levels,
        })
    }
}

//! Feedback and petitions on administrative rules (phản ánh, kiến nghị — `pakn.md`): exports of
//! the national PAKN system, the city's 1022 line and the communes' registers. Target 5.
//!
//! Vocabulary and deadlines (`[deadlines]`) in `pipelines/pakn.toml` (deadlines were once the pipeline's `[pakn_deadlines]`), working
//! days from `pipelines/calendar.toml`; normalization here, one record per code in [`rules`],
//! counts per (level, unit, field) and the late list in [`figures`]. Sender, content and answer
//! columns are recognised and never read.

pub mod annex;
pub mod figures;
pub mod normalize;
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

/// The PAKN kind.
pub struct Pakn;

/// The PAKN settings of a pipeline.
pub fn config(pipeline: &Pipeline) -> &Config {
    pipeline.parts.get::<Config>(Kind::id(&Pakn))
}

impl ConfigPart for Pakn {
    fn id(&self) -> &'static str {
        Kind::id(self)
    }
    fn keys(&self) -> &'static [&'static str] {
        &["pakn", "pakn_deadlines"]
    }
    fn default_files(&self) -> &'static [(&'static str, &'static str)] {
        &[("pakn.toml", include_str!("../../../pipelines/pakn.toml"))]
    }
    fn load(&self, cx: &PartContext) -> Result<Loaded> {
        let path = cx.file("pakn", "pakn.toml")?;
        let old = match cx.keys.get("pakn_deadlines") {
            None => None,
            Some(v) => Some(v.clone().try_into::<PaknDeadlines>().map_err(|e| {
                anyhow::anyhow!(
                    "tệp quy trình {}: [pakn_deadlines] không hợp lệ: {}",
                    cx.path.display(),
                    e.message()
                )
            })?),
        };
        if old.is_some() {
            crate::config::errors::warn_once(format!(
                "Cảnh báo: thời hạn xử lý PAKN ([pakn_deadlines] trong {}) nay khai báo trong {} là mục [deadlines]; cchc vẫn dùng giá trị ở tệp quy trình. Hãy chuyển mục này sang {}.",
                cx.path.display(),
                path.display(),
                path.display()
            ));
        }
        let config = Config::load(&path, &cx.pipeline.vocabulary.common, old)
            .with_context(|| format!("từ vựng PAKN {} không hợp lệ", path.display()))?;
        Ok(Loaded {
            settings: Box::new(config),
            files: vec![path.clone()],
            normalization_files: vec![path],
        })
    }
}

/// A PAKN status the vocabulary does not know.
pub const UNKNOWN_PAKN_STATUS: WarningKind = WarningKind::new("UnknownPaknStatus");
/// Its kinds of warning, in the order the data-quality workbook lists them (words in
/// `[warning_kinds]` of `templates/quality/chat-luong.toml`).
pub const WARNING_KINDS: &[WarningKind] = &[UNKNOWN_PAKN_STATUS];

impl Kind for Pakn {
    fn status_codes(&self) -> Vec<&'static str> {
        PaknStatus::ALL.iter().map(|s| s.code()).collect()
    }
    fn id(&self) -> &'static str {
        "pakn"
    }
    fn warning_kinds(&self) -> &'static [WarningKind] {
        WARNING_KINDS
    }
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab {
        &config(pipeline).header
    }
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        Some(&Pakn)
    }
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        _input: &InputContext,
    ) -> Result<Normalized> {
        normalize::normalize(pipeline, tables)
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
        "phản ánh, kiến nghị"
    }
    fn report_templates(&self) -> &'static [(&'static str, &'static str)] {
        report::TEMPLATES
    }
    fn measures(&self) -> Vec<crate::config::OfferedMeasure> {
        use crate::config::OfferedMeasure as M;
        crate::kind::rate_measures::<figures::PaknCounts>(Kind::id(self), M::EVERY_SCOPE)
            .chain(crate::kind::count_measures(
                Kind::id(self),
                figures::COUNT_MEASURES,
                M::LEVEL_OR_DISTRICT,
            ))
            .collect()
    }
    fn store_layout(&self) -> StoreLayout {
        StoreLayout {
            table: "pakn",
            partition: "received",
            dates: &["received", "closed", "published_date"],
        }
    }
    fn rules(
        &self,
        _pipeline: &Pipeline,
        frame: DataFrame,
        _earlier: &crate::kind::Ruled,
        n_files: usize,
    ) -> Result<Box<dyn crate::kind::RuledTable>> {
        Ok(Box::new(rules::apply(frame, n_files)?))
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
            config(pipeline),
            &pipeline.calendar,
        )?))
    }
}

/// Where a PAKN is, as the export's status says (pakn.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaknStatus {
    /// Not yet received for handling.
    Waiting,
    /// Being handled.
    Processing,
    /// Answered, not yet published.
    Answered,
    /// Answered and published.
    Published,
    /// Refused.
    Refused,
    /// Transferred to the competent body.
    Transferred,
    /// Withdrawn or cancelled: counted nowhere.
    Withdrawn,
    /// A word the vocabulary does not know.
    Unknown,
}

impl PaknStatus {
    /// The copy furthest along wins a duplicate: refused and transferred are final and rank
    /// with published; withdrawn is final too.
    pub fn rank(self) -> u32 {
        match self {
            PaknStatus::Unknown | PaknStatus::Waiting => 0,
            PaknStatus::Processing => 1,
            PaknStatus::Answered => 2,
            _ => 3,
        }
    }
    /// Whether the PAKN is closed (answered, published, refused or transferred).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            PaknStatus::Answered
                | PaknStatus::Published
                | PaknStatus::Refused
                | PaknStatus::Transferred
        )
    }
    /// Its code in the table.
    pub fn code(self) -> &'static str {
        match self {
            PaknStatus::Waiting => "waiting",
            PaknStatus::Processing => "processing",
            PaknStatus::Answered => "answered",
            PaknStatus::Published => "published",
            PaknStatus::Refused => "refused",
            PaknStatus::Transferred => "transferred",
            PaknStatus::Withdrawn => "withdrawn",
            PaknStatus::Unknown => "unknown",
        }
    }
    /// Every status (their words in the data-quality workbook are the `pakn` statuses of
    /// `templates/quality/chat-luong.toml`).
    pub const ALL: [PaknStatus; 8] = [
        PaknStatus::Waiting,
        PaknStatus::Processing,
        PaknStatus::Answered,
        PaknStatus::Published,
        PaknStatus::Refused,
        PaknStatus::Transferred,
        PaknStatus::Withdrawn,
        PaknStatus::Unknown,
    ];
    /// The status a table code names.
    pub fn from_code(c: &str) -> PaknStatus {
        match c {
            "waiting" => PaknStatus::Waiting,
            "processing" => PaknStatus::Processing,
            "answered" => PaknStatus::Answered,
            "published" => PaknStatus::Published,
            "refused" => PaknStatus::Refused,
            "transferred" => PaknStatus::Transferred,
            "withdrawn" => PaknStatus::Withdrawn,
            _ => PaknStatus::Unknown,
        }
    }
}

/// The columns of a PAKN export, in the order of the header vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaknColumn {
    /// Mã PAKN.
    Code,
    /// Received date.
    Received,
    /// The unit handling it.
    Unit,
    /// Lĩnh vực.
    Field,
    /// Rules/procedures or conduct of officials, kept as is.
    Class,
    /// Status.
    Status,
    /// Answered, refused or transferred date.
    Closed,
    /// Published date.
    PublishedDate,
    /// Published flag (yes/no words).
    PublishedFlag,
    /// Portal, 1022, in person, letter … kept as is.
    Channel,
    /// Sender, phone, address (personal: read and discarded).
    Sender,
    /// The petition's text (personal: read and discarded).
    Content,
    /// The answer's text (read and discarded).
    Answer,
}

impl PaknColumn {
    /// Every column, in enum order.
    pub const ALL: [PaknColumn; 13] = [
        PaknColumn::Code,
        PaknColumn::Received,
        PaknColumn::Unit,
        PaknColumn::Field,
        PaknColumn::Class,
        PaknColumn::Status,
        PaknColumn::Closed,
        PaknColumn::PublishedDate,
        PaknColumn::PublishedFlag,
        PaknColumn::Channel,
        PaknColumn::Sender,
        PaknColumn::Content,
        PaknColumn::Answer,
    ];

    /// Its id in the vocabulary file.
    pub fn id(self) -> &'static str {
        match self {
            PaknColumn::Code => "code",
            PaknColumn::Received => "received",
            PaknColumn::Unit => "unit",
            PaknColumn::Field => "field",
            PaknColumn::Class => "class",
            PaknColumn::Status => "status",
            PaknColumn::Closed => "closed",
            PaknColumn::PublishedDate => "published_date",
            PaknColumn::PublishedFlag => "published_flag",
            PaknColumn::Channel => "channel",
            PaknColumn::Sender => "sender",
            PaknColumn::Content => "content",
            PaknColumn::Answer => "answer",
        }
    }
}

/// `pakn.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// What a person calls these files, in messages.
    list_name: String,
    /// Column sets that identify a PAKN header.
    identify: Vec<Vec<String>>,
    /// Columns whose presence makes a row a record.
    #[serde(default)]
    record: Vec<String>,
    /// Header names of each column.
    columns: BTreeMap<PaknColumn, ColumnSpec>,
    /// Status words, by canonical status.
    statuses: BTreeMap<PaknStatus, Vec<String>>,
    /// Working days to answer, refuse, transfer.
    #[serde(default)]
    deadlines: Option<PaknDeadlines>,
}

/// How many working days after the received date (day 0) a PAKN may take (pakn.md §2).
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaknDeadlines {
    /// To answer it.
    pub answer: u32,
    /// To refuse it.
    pub refuse: u32,
    /// To transfer it to the competent body.
    pub transfer: u32,
}

/// The PAKN vocabulary and deadlines, resolved.
#[derive(Debug)]
pub struct Config {
    /// Header words (column `i` is `PaknColumn::ALL[i]`).
    pub header: HeaderVocab,
    /// Status word key → status.
    pub statuses: HashMap<String, PaknStatus>,
    /// Working days to answer, refuse, transfer.
    pub deadlines: PaknDeadlines,
}

impl Config {
    /// Reads and checks `pakn.toml`; deadlines the pipeline file still gives win over its own.
    pub fn load(
        path: &Path,
        common: &CommonWords,
        deadlines: Option<PaknDeadlines>,
    ) -> Result<Config> {
        let mut file: ConfigFile = crate::config::read_toml(path)?;
        let Some(deadlines) = deadlines.or(file.deadlines) else {
            bail!(
                "{}: thiếu thời hạn xử lý PAKN; thêm mục\n[deadlines]\nanswer = 15\nrefuse = 2\ntransfer = 5\n(số ngày làm việc, theo quy định của địa phương)",
                path.display()
            );
        };
        let declared = declare(&PaknColumn::ALL, PaknColumn::id, &mut file.columns);
        let header = HeaderVocab::new(
            "pakn",
            &file.list_name,
            declared,
            common,
            &file.identify,
            &file.record,
        )?;
        let mut statuses = HashMap::new();
        for (status, words) in &file.statuses {
            if *status == PaknStatus::Unknown {
                bail!("trạng thái «unknown» dành cho từ lạ, không khai báo được");
            }
            for w in words {
                if let Some(old) = statuses.insert(match_key(w), *status) {
                    if old != *status {
                        bail!("trạng thái «{w}» được khai báo hai nghĩa ({old:?} và {status:?})");
                    }
                }
            }
        }
        Ok(Config {
            header,
            statuses,
            deadlines,
        })
    }

    /// The deadline of a PAKN closed with this status (answered or published: answer).
    pub fn limit(&self, status: PaknStatus) -> u32 {
        match status {
            PaknStatus::Refused => self.deadlines.refuse,
            PaknStatus::Transferred => self.deadlines.transfer,
            _ => self.deadlines.answer,
        }
    }
}

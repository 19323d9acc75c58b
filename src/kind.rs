//! What an input kind is (`inputs.md`): the trait every kind's folder implements, and what its
//! normalization may know of where a file came from. The registry of kinds is [`crate::kinds`];
//! this trait lives apart from it so that a kind's folder depends on the trait, never on the list
//! of kinds.

use anyhow::Result;
use polars::prelude::DataFrame;

use crate::config::part::ConfigPart;
use crate::config::Pipeline;
use crate::ingest::{HeaderVocab, RawTable};
use crate::model::SourceFile;
use crate::normalize::Normalized;
use crate::period::Period;
use crate::quality::{DuplicateResolved, Quarantined, Warning};

/// Where a kind's records go in the store.
#[derive(Debug, Clone, Copy)]
pub struct StoreLayout {
    /// The table's folder (`dossiers`).
    pub table: &'static str,
    /// The day-number column that partitions it by year and quarter.
    pub partition: &'static str,
    /// The day-number columns kept as dates in Parquet.
    pub dates: &'static [&'static str],
}

/// What a kind's normalization may know of the input entry its file came from.
#[derive(Debug, Clone, Default)]
pub struct InputContext {
    /// The period the input entry says its summaries cover.
    pub period: Option<Period>,
    /// The file's sheets without a header that its kind reads beside its tables
    /// ([`HeaderVocab::companion_sheets`]).
    pub sheets: Vec<crate::ingest::SheetText>,
    /// The file as messages name it.
    pub display: String,
    /// The file's position in the input order (its records' `file`).
    pub file: usize,
}

/// One input kind.
pub trait Kind: Sync {
    /// Its id in the pipeline (`kind = "dossier"`), the store and indicators.json.
    fn id(&self) -> &'static str;
    /// The header vocabulary its files are recognised by.
    fn header<'p>(&self, pipeline: &'p Pipeline) -> &'p HeaderVocab;
    /// One file's tables → its records and their data-quality account.
    fn normalize(
        &self,
        pipeline: &Pipeline,
        tables: &[RawTable],
        input: &InputContext,
    ) -> Result<Normalized>;
    /// Whether it reads whole sheets itself ([`Kind::read_sheets`]).
    fn reads_sheets(&self) -> bool {
        false
    }
    /// For a kind whose tables the shared header search cannot take (statistics tables with
    /// three merged header rows): one file's sheets → its records and their account, or None
    /// when no sheet holds one of its tables. Offered the files no kind's header fits.
    fn read_sheets(
        &self,
        _pipeline: &Pipeline,
        _sheets: &[crate::ingest::grid::Grid],
        _input: &InputContext,
    ) -> Result<Option<Normalized>> {
        Ok(None)
    }
    /// The record table with no rows (its schema).
    fn empty_frame(&self) -> Result<DataFrame>;
    /// Where its records are stored.
    fn store_layout(&self) -> StoreLayout;
    /// Its part of the configuration (its files, its keys of the pipeline file), if it has one
    /// beyond the core vocabulary.
    fn config_part(&self) -> Option<&'static dyn ConfigPart> {
        None
    }
    /// Its rules over the records of every file (after those of the kinds before it in the
    /// registry, whose ruled tables it may read).
    fn rules(
        &self,
        pipeline: &Pipeline,
        frame: DataFrame,
        earlier: &Ruled,
        n_files: usize,
    ) -> Result<Box<dyn RuledTable>>;
    /// Its figures of one period, from the ruled tables of every kind.
    fn figures(
        &self,
        pipeline: &Pipeline,
        ruled: &Ruled,
        period: &Period,
        n_files: usize,
    ) -> Result<Box<dyn KindFigures>>;
    /// Its own kinds of warning (ids and, in `[warning_kinds]` of the data-quality template,
    /// their words), in the order the data-quality workbook lists them.
    fn warning_kinds(&self) -> &'static [crate::quality::WarningKind] {
        &[]
    }
    /// The measures it offers to targets (`targets.toml`'s `measure`); its figures give their
    /// values ([`KindFigures::measure`]).
    fn measures(&self) -> Vec<crate::config::OfferedMeasure> {
        Vec::new()
    }
    /// Its sheet kinds of the configured annex (a sheet template's `kind`) and the values each
    /// offers its columns; its figures build them ([`KindFigures::annex_sheet`]).
    fn annex_sheet_kinds(&self) -> Vec<crate::annex_sheet::OfferedSheet> {
        Vec::new()
    }
    /// The default templates of its sheets (`templates/annexes/<name>`, listed in `phu-luc.toml`),
    /// embedded.
    fn annex_templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// What a person calls its rows in the run summary («hồ sơ», «đánh giá»).
    fn rows_word(&self) -> &'static str;
    /// The text columns whose spellings are unified across files.
    fn name_columns(&self) -> &'static [&'static str] {
        &["unit", "field"]
    }
    /// Its figures of the period before `period` that its report paragraph compares with, in
    /// its own type ([`ReportContext::previous`]); none when its records do not reach back.
    fn previous_figures(
        &self,
        _pipeline: &Pipeline,
        _ruled: &Ruled,
        _period: &Period,
        _n_files: usize,
    ) -> Result<Option<Box<dyn AsAny + Send + Sync>>> {
        Ok(None)
    }
    /// Its parts of the report templates (`parts/<kind>.xml|html` of `templates/report/`),
    /// embedded as defaults a locality's `templates/report/` overrides file by file.
    fn report_templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// The codes of the statuses its duplicates are logged with
    /// ([`DuplicateResolved`]'s status), each of which `[statuses.<kind>]` of the data-quality
    /// template gives a word; none for a kind whose copies carry no status.
    fn status_codes(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Its parts of the public page's templates (`parts/<kind>.html` of `templates/public/`),
    /// embedded as defaults a locality's `templates/public/` overrides file by file.
    fn public_templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
}

/// A value that can be read back as its own type from behind a trait object.
pub trait AsAny: std::any::Any {
    /// Itself, as `Any`.
    fn as_any(&self) -> &dyn std::any::Any;
    /// Itself, as mutable `Any`.
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl<T: std::any::Any> AsAny for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// A kind's records after its rules, and what the rules decided on the way: the run's
/// row account, duplicates and warnings read these without knowing the kind.
pub trait RuledTable: AsAny + Send + Sync + std::fmt::Debug {
    /// Copies of a record that lost to another copy.
    fn duplicates(&self) -> &[DuplicateResolved] {
        &[]
    }
    /// What the rules noticed and counted anyway.
    fn warnings(&self, _files: &[SourceFile]) -> Vec<Warning> {
        Vec::new()
    }
    /// Rows the rules quarantined (they needed every file's records to decide).
    fn quarantine(&self) -> &[Quarantined] {
        &[]
    }
    /// Records excluded from every count (withdrawn, never received), per file; a file past
    /// the end of the list had none.
    fn excluded_per_file(&self) -> Vec<u64> {
        Vec::new()
    }
}

/// A kind's figures of one period; documents read a kind's own figures through its type
/// ([`ByKind::get`]), the run's account through this trait.
pub trait KindFigures: AsAny + Send + Sync + std::fmt::Debug {
    /// Records of a file that count in the period, and those with nothing in it.
    fn period_account(&self, file: usize) -> (u64, u64);
    /// Rows quarantined while computing the period's figures.
    fn quarantine(&self) -> &[Quarantined] {
        &[]
    }
    /// What computing the period's figures noticed.
    fn warnings(&self) -> Vec<Warning> {
        Vec::new()
    }
    /// Its lines of the summary a run prints.
    fn summary(&self, _ctx: &SummaryContext) -> Vec<String> {
        Vec::new()
    }
    /// Its figures as a plain-text table (`cchc indicators --format table`), lines ending in a
    /// newline; none for a kind without one.
    fn table(&self) -> Option<String> {
        None
    }
    /// What it measures for a target on one of its measures ([`Kind::measures`]): the rows of
    /// a declared rate (`crate::counts!` `rates`) or count, or a figure of a level or the whole;
    /// None when the measure is not its.
    fn measure(
        &self,
        _target: &crate::config::TargetEntry,
    ) -> Option<crate::figures::Measured<'_>> {
        None
    }
    /// Why a target on one of its measures has nothing to decide it, for a level (None: the
    /// whole locality), in a sentence for the reader.
    fn no_data_reason(
        &self,
        _pipeline: &Pipeline,
        _target: &crate::config::TargetEntry,
        _level: Option<crate::model::Level>,
    ) -> String {
        "chưa có số liệu trong kỳ".into()
    }
    /// The values it gives the title lines of the annex sheets (any sheet's `title`, `note` …
    /// may use them, `{{ new_unknown_channel }}`): (key, value), in order.
    fn title_words(&self) -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
    /// Its sheets of the annex workbook, after the configured ones.
    fn annex_sheets(&self, _ctx: &AnnexContext) -> Result<Vec<crate::sheet::SheetModel>> {
        Ok(Vec::new())
    }
    /// The body of a sheet of the configured annex of one of its sheet kinds (`t.kind`, one of
    /// [`Kind::annex_sheet_kinds`]): `m` has its frame drawn, the body starts at row `body`.
    fn annex_sheet(
        &self,
        t: &crate::annex_sheet::SheetTemplate,
        _m: crate::sheet::SheetModel,
        _body: u32,
        _ctx: &crate::annex_sheet::SheetContext,
    ) -> Result<crate::sheet::SheetModel> {
        anyhow::bail!(
            "lỗi chương trình: trang phụ lục «{}» không thuộc loại tệp này",
            t.kind
        )
    }
    /// Its keys of indicators.json, in order (interface.md), with their values.
    fn json<'a>(&'a self, _ctx: &JsonContext<'a>) -> Vec<JsonSection<'a>> {
        Vec::new()
    }
    /// Its paragraph of the report: the views the report templates read under its keys, null
    /// where it has nothing in the period; none for a kind the report does not show.
    fn report_view(&self, _ctx: &ReportContext) -> Result<Vec<ReportPart>> {
        Ok(Vec::new())
    }
    /// The units it asks for something each period, and those with nothing of the period that
    /// counts (the data-quality workbook's sheet of units that returned nothing); none for a
    /// kind that asks no unit.
    fn units_asked(&self) -> Option<UnitsAsked<'_>> {
        None
    }
    /// Its part of the public page (`cong-khai-<period>.html`): the views the page's templates
    /// read under its keys, null where it has nothing in the period; none for a kind the page
    /// does not show. The page is published: counts and rates only, nothing that names a
    /// person or a dossier.
    fn public_view(&self, _ctx: &PublicContext) -> Result<Vec<PublicPart>> {
        Ok(Vec::new())
    }
}

/// The units a kind asks for something, and those that returned nothing that counts.
#[derive(Debug, Clone, Copy)]
pub struct UnitsAsked<'a> {
    /// How many units it asks.
    pub asked: usize,
    /// The units asked with nothing of the period that counts, in registry order.
    pub missing: &'a [(crate::model::Level, String)],
}

/// What a kind's part of the public page may read beside its own figures.
pub struct PublicContext<'a> {
    /// The pipeline.
    pub pipeline: &'a Pipeline,
}

/// A kind's part of the public page: the key the page's templates read it under, its view.
pub type PublicPart = ReportPart;

/// What a kind's report paragraph may read beside its own figures.
pub struct ReportContext<'a> {
    /// The pipeline.
    pub pipeline: &'a Pipeline,
    /// Every target the figures decided, in the order of `targets.toml`.
    pub targets: &'a [crate::target::TargetResult],
    /// Every measure the kinds offer ([`Kind::measures`]), to tell which kind a target is on.
    pub measures: &'a [crate::config::OfferedMeasure],
    /// The kinds' figures of the previous period ([`Kind::previous_figures`]).
    pub previous: &'a PreviousFigures,
}

/// Every kind's figures of the previous period, where it keeps any, each in its kind's type.
pub type PreviousFigures = ByKind<dyn AsAny + Send + Sync>;

impl ReportContext<'_> {
    /// A kind's figures of the previous period, when it has them.
    pub fn previous<T: 'static>(&self, kind: &str) -> Option<&T> {
        self.previous.get(kind).ok()
    }
    /// The targets decided on a measure of one kind, in order.
    pub fn targets_of<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = &'s crate::target::TargetResult> + 's {
        self.targets.iter().filter(move |t| {
            self.pipeline.targets.iter().any(|e| {
                e.id == t.id
                    && self
                        .measures
                        .iter()
                        .find(|m| m.name == e.measure)
                        .is_some_and(|m| m.kind == kind)
            })
        })
    }
}

/// A kind's part of a document's view (its paragraph of the report, its part of the public
/// page): the key the document's templates read it under, its view.
#[derive(Debug)]
pub struct ReportPart {
    /// The key in the report's view (`pakn`).
    pub key: &'static str,
    /// Its view as the templates read it (null: nothing in the period).
    pub view: serde_json::Value,
}

impl ReportPart {
    /// The part under a key of a view, null when there is none.
    pub fn of<T: serde::Serialize>(key: &'static str, view: Option<T>) -> Result<ReportPart> {
        Ok(ReportPart {
            key,
            view: serde_json::to_value(view)?,
        })
    }
}

/// What a kind's lines of the run summary may read beside its own figures.
pub struct SummaryContext<'a> {
    /// The pipeline.
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
    /// Source files, in input order.
    pub files: &'a [SourceFile],
    /// Every warning of the run.
    pub warnings: &'a [Warning],
}

/// What a kind's annex sheets may read beside its own figures.
pub struct AnnexContext<'a> {
    /// The pipeline.
    pub pipeline: &'a Pipeline,
    /// The period.
    pub period: &'a Period,
    /// Source files, in input order.
    pub files: &'a [SourceFile],
    /// The locality's templates folder, if any.
    pub templates: Option<&'a std::path::Path>,
}

/// What a kind's part of indicators.json may read beside its own figures.
pub struct JsonContext<'a> {
    /// The report's sections, in order.
    pub report_sections: &'a crate::config::report_sections::ReportSections,
}

pub use crate::figures::JsonSection;

/// Every declared rate of a counts table, as a rate measure of `kind` with these scopes.
pub fn rate_measures<C: crate::figures::NamedCounts>(
    kind: &'static str,
    scopes: &'static [crate::config::TargetScope],
) -> impl Iterator<Item = crate::config::OfferedMeasure> {
    C::RATES
        .iter()
        .map(move |d| crate::config::OfferedMeasure::rate(d.measure, kind, scopes))
}

/// Count measures of a counts table, as measures of `kind` with these scopes.
pub fn count_measures(
    kind: &'static str,
    declared: &'static [crate::figures::CountMeasure],
    scopes: &'static [crate::config::TargetScope],
) -> impl Iterator<Item = crate::config::OfferedMeasure> {
    declared.iter().map(move |d| crate::config::OfferedMeasure {
        name: d.measure,
        kind,
        scopes,
        count: true,
    })
}

/// A file's records in a period and outside it, from a kind's per-file counts (a file past the
/// end of the lists has none).
pub fn account_at(in_period: &[u64], outside: &[u64], file: usize) -> (u64, u64) {
    let at = |v: &[u64]| v.get(file).copied().unwrap_or(0);
    (at(in_period), at(outside))
}

/// One value per registered kind, in registry order.
#[derive(Debug)]
pub struct ByKind<T: ?Sized>(Vec<(&'static str, Box<T>)>);

impl<T: ?Sized> Default for ByKind<T> {
    fn default() -> Self {
        ByKind(Vec::new())
    }
}

impl<T: ?Sized> ByKind<T> {
    /// Adds a kind's value after those already there.
    pub fn push(&mut self, id: &'static str, value: Box<T>) {
        self.0.push((id, value));
    }
    /// Each kind's value, in registry order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &T)> {
        self.0.iter().map(|(id, v)| (*id, v.as_ref()))
    }
    /// A kind's value, if the kind is registered.
    pub fn find(&self, id: &str) -> Option<&T> {
        self.0
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v.as_ref())
    }
}

impl<T: ?Sized + AsAny> ByKind<T> {
    /// A kind's value as its own type; an error when the kind is not registered (or its value
    /// has another type).
    pub fn get<U: 'static>(&self, id: &str) -> Result<&U> {
        self.find(id)
            .and_then(|v| v.as_any().downcast_ref::<U>())
            .ok_or_else(|| {
                anyhow::anyhow!("lỗi chương trình: loại tệp «{id}» không có trong danh sách loại")
            })
    }
}

impl<T: ?Sized + AsAny> ByKind<T> {
    /// A kind's value as its own type, to change it (tests set figures by hand).
    pub fn get_mut<U: 'static>(&mut self, id: &str) -> Result<&mut U> {
        self.0
            .iter_mut()
            .find(|(k, _)| *k == id)
            .and_then(|(_, v)| v.as_mut().as_any_mut().downcast_mut::<U>())
            .ok_or_else(|| {
                anyhow::anyhow!("lỗi chương trình: loại tệp «{id}» không có trong danh sách loại")
            })
    }
}

/// Every kind's records after its rules.
pub type Ruled = ByKind<dyn RuledTable>;

impl Ruled {
    /// Copies of a record that lost to another copy, of every kind.
    pub fn duplicates(&self) -> Vec<DuplicateResolved> {
        self.iter()
            .flat_map(|(_, t)| t.duplicates().iter().cloned())
            .collect()
    }
    /// What the rules of every kind noticed and counted anyway.
    pub fn warnings(&self, files: &[SourceFile]) -> Vec<Warning> {
        self.iter().flat_map(|(_, t)| t.warnings(files)).collect()
    }
    /// Rows the rules of every kind quarantined.
    pub fn quarantine(&self) -> Vec<Quarantined> {
        self.iter()
            .flat_map(|(_, t)| t.quarantine().iter().cloned())
            .collect()
    }
    /// Records every kind's rules excluded from every count, per file.
    pub fn excluded_per_file(&self, n_files: usize) -> Vec<u64> {
        let mut out = vec![0; n_files];
        for (_, t) in self.iter() {
            for (i, n) in t.excluded_per_file().into_iter().enumerate() {
                if let Some(o) = out.get_mut(i) {
                    *o += n;
                }
            }
        }
        out
    }
}

/// Every kind's figures of one period.
pub type KindsFigures = ByKind<dyn KindFigures>;

impl KindsFigures {
    /// Records of a file that count in the period, and those with nothing in it, over every
    /// kind.
    pub fn period_account(&self, file: usize) -> (u64, u64) {
        self.iter()
            .map(|(_, f)| f.period_account(file))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    }
    /// Rows quarantined while computing the period's figures, of every kind.
    pub fn quarantine(&self) -> Vec<Quarantined> {
        self.iter()
            .flat_map(|(_, f)| f.quarantine().iter().cloned())
            .collect()
    }
    /// Every kind's lines of the run summary, in registry order.
    pub fn summary(&self, ctx: &SummaryContext) -> Vec<String> {
        self.iter().flat_map(|(_, f)| f.summary(ctx)).collect()
    }
    /// Every kind's annex sheets, in registry order.
    pub fn annex_sheets(&self, ctx: &AnnexContext) -> Result<Vec<crate::sheet::SheetModel>> {
        let mut out = Vec::new();
        for (_, f) in self.iter() {
            out.extend(f.annex_sheets(ctx)?);
        }
        Ok(out)
    }
    /// Every kind's keys of indicators.json, in registry order.
    pub fn json<'a>(&'a self, ctx: &JsonContext<'a>) -> Vec<JsonSection<'a>> {
        self.iter().flat_map(|(_, f)| f.json(ctx)).collect()
    }
    /// Every kind's values for the annex sheets' title lines, by key, in registry order.
    pub fn title_words(&self) -> serde_json::Map<String, serde_json::Value> {
        self.iter()
            .flat_map(|(_, f)| f.title_words())
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }
    /// Every kind's paragraph of the report, by the key the report templates read it under.
    pub fn report_views(
        &self,
        ctx: &ReportContext,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        self.views(|f| f.report_view(ctx))
    }
    /// The units every kind asks (summed) and those that returned nothing (in registry order
    /// of kinds, then of units).
    pub fn units_asked(&self) -> (usize, Vec<(crate::model::Level, String)>) {
        let mut asked = 0;
        let mut missing = Vec::new();
        for u in self.iter().filter_map(|(_, f)| f.units_asked()) {
            asked += u.asked;
            missing.extend(u.missing.iter().cloned());
        }
        (asked, missing)
    }
    /// Every kind's part of the public page, by the key the page's templates read it under.
    pub fn public_views(
        &self,
        ctx: &PublicContext,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        self.views(|f| f.public_view(ctx))
    }
    /// Every kind's parts of a document's view, by key, in registry order.
    fn views(
        &self,
        part: impl Fn(&dyn KindFigures) -> Result<Vec<ReportPart>>,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        let mut views = serde_json::Map::new();
        for (_, f) in self.iter() {
            for p in part(f)? {
                views.insert(p.key.to_string(), p.view);
            }
        }
        Ok(views)
    }

    /// What computing the period's figures noticed, of every kind.
    pub fn warnings(&self) -> Vec<Warning> {
        self.iter().flat_map(|(_, f)| f.warnings()).collect()
    }
}

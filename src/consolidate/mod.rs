//! The province's consolidation (consolidation.md): many localities' `indicators.json`, checked
//! one by one, turned into the province's picture — form 06 by locality with group and province
//! totals, the targets each locality met, satisfaction, PAKN, tasks, the league table and the
//! account of every submission (counted, refused with its reason, duplicate, missing).
//!
//! Three steps, each its own function: [`read_all`] reads and checks every file (in parallel;
//! `submission`), [`consolidate`] — the stage, pure — turns the checked files into a
//! [`Consolidation`], and `render` writes its documents. Rates are recomputed from the summed
//! counts, never averaged.

pub mod render;
pub mod submission;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::indicators::{Counts, Rate};
use crate::kinds::pakn::figures::PaknCounts;
use crate::kinds::satisfaction::figures::LevelCounts;
use crate::kinds::satisfaction::RatingLevel;
use crate::localities::OfficialList;
use crate::text::SortKey;
use submission::{ReadFile, Submission};

/// The consolidated files begin with this; reading a folder passes over them.
pub const CONSOLIDATED_PREFIX: &str = "indicators-tong-hop-";

/// The default consolidation settings, built into the binary.
pub const DEFAULT_CONFIG: &str = include_str!("../../pipelines/consolidation.toml");

/// `pipelines/consolidation.toml`: what the Department of Home Affairs decides.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The groups of localities, as the list's `loai` names them, in print order.
    pub groups: Vec<String>,
    /// The rating levels counted as satisfied when the province's rate is recomputed.
    pub satisfied_levels: Vec<RatingLevel>,
    /// How many localities the report names at the top and at the bottom of the league table.
    pub report_top: usize,
    /// The bands of the league table, by on-time rate, best first.
    pub bands: Vec<Band>,
}

/// One band of the league table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Its name, "Tốt".
    pub name: String,
    /// The lowest on-time rate (percent) of the band.
    pub min_on_time_rate: f64,
}

impl Config {
    /// The settings of a file, or the built-in ones.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p)
                .with_context(|| format!("không đọc được tệp cấu hình {}", p.display()))?,
            None => DEFAULT_CONFIG.to_string(),
        };
        let c: Config = crate::config::errors::parse_toml(&text).with_context(|| {
            format!(
                "tệp cấu hình tổng hợp {} không hợp lệ",
                path.map(|p| p.display().to_string())
                    .unwrap_or_else(|| "(mặc định) consolidation.toml".into())
            )
        })?;
        if c.bands.is_empty() {
            bail!("consolidation.toml: cần ít nhất một mức xếp loại [[bands]]");
        }
        Ok(c)
    }
}

/// What a locality's (or a file's) submission came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Checked and counted.
    Counted,
    /// Refused: a check failed.
    Refused,
    /// No submission.
    Missing,
    /// Two different submissions (neither counted), or an identical copy of a counted one.
    Duplicate,
}

/// One file read, and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct FileAccount {
    /// The path as found.
    pub file: String,
    /// Its sha256.
    pub sha256: String,
    /// The locality code it states, if it could be read.
    pub code: Option<String>,
    /// The locality's name as the list writes it, if the code is the province's.
    pub name: Option<String>,
    /// Counted, refused or duplicate.
    pub status: Status,
    /// Why, when not simply counted.
    pub reason: Option<String>,
}

/// The figures of one counted locality, from its rows.
#[derive(Debug, Clone, Default)]
pub struct LocalityFigures {
    /// Form 06, all rows summed.
    pub form06: Counts,
    /// Satisfaction, all rows summed.
    pub satisfaction: LevelCounts,
    /// PAKN, all rows summed.
    pub pakn: PaknCounts,
    /// Tasks: (done, in progress, not started, not reported, late).
    pub tasks: TaskTally,
    /// Targets decided, and met.
    pub targets_decided: usize,
    /// Targets met.
    pub targets_met: usize,
    /// The 766 total, when submitted.
    pub index766: Option<f64>,
}

/// The plan's tasks of one locality, by status.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct TaskTally {
    /// Every task.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Not started.
    pub not_started: u64,
    /// No answer.
    pub not_reported: u64,
    /// Late.
    pub late: u64,
}

/// One locality of the province.
#[derive(Debug, Clone)]
pub struct LocalityResult {
    /// Official code.
    pub code: String,
    /// Full name, "Xã Hóc Môn".
    pub name: String,
    /// Phường, Xã or Đặc khu.
    pub kind: String,
    /// What became of its submission.
    pub status: Status,
    /// Why, or a note (an identical copy).
    pub reason: Option<String>,
    /// The submission counted.
    pub submission: Option<Submission>,
    /// Its figures, when counted.
    pub figures: Option<LocalityFigures>,
}

/// One row of the league table.
#[derive(Debug, Clone, Serialize)]
pub struct LeagueRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Group.
    pub kind: String,
    /// Rank by on-time rate (ties share it); None without a resolved dossier.
    pub rank_on_time: Option<usize>,
    /// The on-time rate.
    pub on_time_rate: Option<Rate>,
    /// Resolved dossiers.
    pub resolved: u64,
    /// Rank by the 766 total, where submitted.
    pub rank_766: Option<usize>,
    /// The 766 total.
    pub index766: Option<f64>,
    /// Rank by targets met.
    pub rank_targets: Option<usize>,
    /// Targets met.
    pub targets_met: usize,
    /// Targets decided.
    pub targets_decided: usize,
    /// The band of its on-time rate.
    pub band: Option<String>,
}

/// One target of the localities' plans: who missed it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSummary {
    /// The target id.
    pub id: String,
    /// Localities that decided it.
    pub decided: usize,
    /// Localities that met every entry of it.
    pub met: usize,
    /// The localities with an entry of it not met, by name.
    pub missed: Vec<String>,
}

/// A total of several localities.
#[derive(Debug, Clone, Default)]
pub struct Total {
    /// Localities counted in it.
    pub localities: usize,
    /// Form 06.
    pub form06: Counts,
    /// Satisfaction.
    pub satisfaction: LevelCounts,
    /// PAKN.
    pub pakn: PaknCounts,
}

impl Total {
    fn add(&mut self, f: &LocalityFigures) {
        self.localities += 1;
        self.form06.add(&f.form06);
        self.satisfaction.add(&f.satisfaction);
        self.pakn.add(&f.pakn);
    }
}

/// The whole consolidation of a province for a period.
#[derive(Debug, Clone)]
pub struct Consolidation {
    /// The province's code.
    pub province_code: String,
    /// Its name.
    pub province_name: String,
    /// The period id.
    pub period: String,
    /// The period's bounds and rule, from the counted submissions (they agree: same id).
    pub period_entry: Option<submission::PeriodEntry>,
    /// Every locality of the province, by group then Vietnamese name.
    pub localities: Vec<LocalityResult>,
    /// Every file read.
    pub files: Vec<FileAccount>,
    /// Per group (in the configured order): the group and its total.
    pub groups: Vec<(String, Total)>,
    /// The province's total.
    pub province: Total,
    /// Form 06 by field over the counted localities.
    pub tthc_by_field: BTreeMap<SortKey, (String, Counts)>,
    /// Satisfaction by field.
    pub satisfaction_by_field: BTreeMap<SortKey, (String, LevelCounts)>,
    /// PAKN by field.
    pub pakn_by_field: BTreeMap<SortKey, (String, PaknCounts)>,
    /// The league table, by on-time rank then name.
    pub league: Vec<LeagueRow>,
    /// The targets, by id.
    pub targets: Vec<TargetSummary>,
    /// Whether any counted submission carries a 766 scorecard.
    pub has_766: bool,
    /// The settings used.
    pub config: Config,
}

impl Consolidation {
    /// The counted localities.
    pub fn counted(&self) -> impl Iterator<Item = &LocalityResult> {
        self.localities
            .iter()
            .filter(|l| l.status == Status::Counted)
    }
    /// The localities with a status.
    pub fn with_status(&self, s: Status) -> impl Iterator<Item = &LocalityResult> {
        self.localities.iter().filter(move |l| l.status == s)
    }
    /// The province's satisfaction rate.
    pub fn satisfaction_rate(&self, c: &LevelCounts) -> Option<Rate> {
        c.rate(&self.config.satisfied_levels)
    }
}

/// What the consolidation is asked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The province's code ("79").
    pub province: String,
    /// The period id.
    pub period: String,
    /// Folders or files of submissions.
    pub inputs: Vec<PathBuf>,
    /// Output folder; `out/tong-hop-<province>-<period>` when None.
    pub out: Option<PathBuf>,
    /// Settings file; the built-in one when None.
    pub config: Option<PathBuf>,
    /// A templates folder overriding the built-in `consolidation/` templates file by file.
    pub templates: Option<PathBuf>,
}

/// What a run of `cchc consolidate` did.
#[derive(Debug)]
pub struct Outcome {
    /// The consolidation.
    pub consolidation: Consolidation,
    /// The output folder.
    pub out: PathBuf,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// Reads and checks every submission under the inputs, in path order.
pub fn read_all(
    inputs: &[PathBuf],
    period: &str,
    province: &str,
    list: &OfficialList,
) -> Result<Vec<ReadFile>> {
    let files = submission::files_under(inputs)?;
    Ok(files
        .par_iter()
        .map(|p| submission::read(p, period, province, list))
        .collect())
}

/// `cchc consolidate`: read, consolidate, render, write all or nothing.
pub fn run(req: &Request) -> Result<Outcome> {
    let list = OfficialList::shipped();
    let Some(province_name) = list.province_name(&req.province) else {
        bail!(
            "không có tỉnh, thành phố mã «{}» trong danh mục đơn vị hành chính ({}); hãy ghi mã tỉnh hai chữ số, ví dụ 79 (Thành phố Hồ Chí Minh)",
            req.province,
            crate::localities::LIST_PATH
        );
    };
    crate::period::Period::parse(&req.period, crate::period::PeriodRule::Nd09)?;
    let config = Config::load(req.config.as_deref())?;
    let files = read_all(&req.inputs, &req.period, &req.province, list)?;
    let c = consolidate(&Input {
        province_code: &req.province,
        province_name,
        period: &req.period,
        files,
        list,
        config,
    });
    let rendered = render::render_all(&c, req.templates.as_deref())?;
    let out = req
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("out/tong-hop-{}-{}", req.province, req.period)));
    refuse_another_pipelines_folder(&out)?;
    let written = crate::output::write_all(&out, &rendered)?;
    Ok(Outcome {
        consolidation: c,
        out,
        written,
    })
}

/// A folder a locality's `cchc run` wrote (its re-run stamp, its `indicators.json`) is not
/// written over by the consolidation.
fn refuse_another_pipelines_folder(out: &Path) -> Result<()> {
    for name in [".cchc-lan-chay.json", "indicators.json"] {
        if out.join(name).exists() {
            bail!(
                "thư mục {} chứa kết quả của một quy trình khác ({name}); hãy chọn thư mục kết quả khác với --out",
                out.display()
            );
        }
    }
    Ok(())
}

/// The stage's input: the checked files and what they are checked against.
pub struct Input<'a> {
    /// The province's code.
    pub province_code: &'a str,
    /// Its name.
    pub province_name: &'a str,
    /// The period id.
    pub period: &'a str,
    /// Every file read, with its submission or its reason.
    pub files: Vec<ReadFile>,
    /// The official list.
    pub list: &'a OfficialList,
    /// The settings.
    pub config: Config,
}

/// The consolidation of checked submissions: duplicates resolved, missing localities found,
/// figures summed per locality, group and province, ranks and targets.
pub fn consolidate(input: &Input) -> Consolidation {
    let list = input.list;
    let mut files: Vec<FileAccount> = Vec::new();
    // code → indexes into `files` of the submissions that passed the checks.
    let mut by_code: BTreeMap<String, Vec<(usize, &Submission)>> = BTreeMap::new();
    for f in &input.files {
        let display = f.path.display().to_string();
        match &f.outcome {
            Ok(s) => {
                let code = s.locality_code.clone().unwrap_or_default();
                by_code
                    .entry(code.clone())
                    .or_default()
                    .push((files.len(), s));
                files.push(FileAccount {
                    file: display,
                    sha256: f.sha256.clone(),
                    name: list.find(&code).map(|u| u.full_name.clone()),
                    code: Some(code),
                    status: Status::Counted,
                    reason: None,
                });
            }
            Err(reason) => files.push(FileAccount {
                file: display,
                sha256: f.sha256.clone(),
                code: None,
                name: None,
                status: Status::Refused,
                reason: Some(reason.clone()),
            }),
        }
    }
    // Refused files still name their locality when they can be read that far.
    for (account, f) in files.iter_mut().zip(&input.files) {
        if account.code.is_none() {
            if let Some(code) = stated_code(&f.path) {
                account.name = list
                    .find(&code)
                    .filter(|u| u.province_code == input.province_code)
                    .map(|u| u.full_name.clone());
                account.code = Some(code);
            }
        }
    }
    let mut localities = Vec::new();
    for unit in list.of_province(input.province_code) {
        let mut result = LocalityResult {
            code: unit.code.clone(),
            name: unit.full_name.clone(),
            kind: unit.kind.clone(),
            status: Status::Missing,
            reason: None,
            submission: None,
            figures: None,
        };
        let refused: Vec<&FileAccount> = files
            .iter()
            .filter(|a| a.status == Status::Refused && a.code.as_deref() == Some(&unit.code))
            .collect();
        match by_code.get(&unit.code).map(Vec::as_slice) {
            None | Some([]) => {
                if let Some(a) = refused.first() {
                    result.status = Status::Refused;
                    result.reason = Some(format!(
                        "{}: {}",
                        a.file,
                        a.reason.clone().unwrap_or_default()
                    ));
                }
            }
            Some([(_, s)]) => {
                result.status = Status::Counted;
                result.submission = Some((*s).clone());
            }
            Some(many) => {
                let (first, s) = many[0];
                if many.iter().all(|(_, o)| *o == s) {
                    result.status = Status::Counted;
                    result.submission = Some(s.clone());
                    let copies: Vec<String> = many[1..]
                        .iter()
                        .map(|(i, _)| files[*i].file.clone())
                        .collect();
                    result.reason = Some(format!(
                        "bản sao giống hệt không tính thêm: {}",
                        copies.join(", ")
                    ));
                    for (i, _) in &many[1..] {
                        files[*i].status = Status::Duplicate;
                        files[*i].reason = Some(format!(
                            "bản sao giống hệt của {}, chỉ tính một lần",
                            files[first].file
                        ));
                    }
                } else {
                    let names: Vec<String> =
                        many.iter().map(|(i, _)| files[*i].file.clone()).collect();
                    let reason = format!(
                        "{} tệp khác nhau của cùng địa phương: {}; không tính tệp nào cho đến khi bỏ bớt, chỉ giữ một tệp",
                        many.len(),
                        names.join(", ")
                    );
                    result.status = Status::Duplicate;
                    result.reason = Some(reason.clone());
                    for (i, _) in many {
                        files[*i].status = Status::Duplicate;
                        files[*i].reason = Some(reason.clone());
                    }
                }
            }
        }
        result.figures = result.submission.as_ref().map(figures_of);
        localities.push(result);
    }
    let group_rank = |kind: &str| {
        input
            .config
            .groups
            .iter()
            .position(|g| g == kind)
            .unwrap_or(input.config.groups.len())
    };
    localities.sort_by_cached_key(|l| (group_rank(&l.kind), SortKey::new(&l.name)));

    let mut groups: Vec<(String, Total)> = input
        .config
        .groups
        .iter()
        .map(|g| (g.clone(), Total::default()))
        .collect();
    let mut province = Total::default();
    let mut tthc_by_field: BTreeMap<SortKey, (String, Counts)> = BTreeMap::new();
    let mut satisfaction_by_field: BTreeMap<SortKey, (String, LevelCounts)> = BTreeMap::new();
    let mut pakn_by_field: BTreeMap<SortKey, (String, PaknCounts)> = BTreeMap::new();
    let mut has_766 = false;
    for l in &localities {
        let (Some(f), Some(s)) = (&l.figures, &l.submission) else {
            continue;
        };
        province.add(f);
        if let Some((_, t)) = groups.iter_mut().find(|(g, _)| *g == l.kind) {
            t.add(f);
        }
        has_766 |= f.index766.is_some();
        for r in &s.tthc {
            tthc_by_field
                .entry(SortKey::new(&r.field))
                .or_insert_with(|| (r.field.clone(), Counts::default()))
                .1
                .add(&r.counts());
        }
        for r in &s.satisfaction {
            satisfaction_by_field
                .entry(SortKey::new(&r.field))
                .or_insert_with(|| (r.field.clone(), LevelCounts::default()))
                .1
                .add(&level_counts(r));
        }
        for r in &s.pakn {
            pakn_by_field
                .entry(SortKey::new(&r.field))
                .or_insert_with(|| (r.field.clone(), PaknCounts::default()))
                .1
                .add(&r.counts());
        }
    }
    let league = league(&localities, &input.config);
    let targets = targets(&localities);
    Consolidation {
        province_code: input.province_code.to_string(),
        province_name: input.province_name.to_string(),
        period: input.period.to_string(),
        period_entry: localities
            .iter()
            .find_map(|l| l.submission.as_ref().map(|s| s.period.clone())),
        localities,
        files,
        groups,
        province,
        tthc_by_field,
        satisfaction_by_field,
        pakn_by_field,
        league,
        targets,
        has_766,
        config: input.config.clone(),
    }
}

/// The code a file states, read loosely (for naming the locality of a refused file).
fn stated_code(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("locality_code")?.as_str().map(str::to_string)
}

fn level_counts(r: &submission::SatisfactionRow) -> LevelCounts {
    LevelCounts([
        r.very_satisfied,
        r.satisfied,
        r.neutral,
        r.dissatisfied,
        r.very_dissatisfied,
    ])
}

fn figures_of(s: &Submission) -> LocalityFigures {
    let mut f = LocalityFigures::default();
    for r in &s.tthc {
        f.form06.add(&r.counts());
    }
    for r in &s.satisfaction {
        f.satisfaction.add(&level_counts(r));
    }
    for r in &s.pakn {
        f.pakn.add(&r.counts());
    }
    for t in &s.tasks {
        f.tasks.total += 1;
        match t.status.as_str() {
            "done" => f.tasks.done += 1,
            "in_progress" => f.tasks.in_progress += 1,
            "not_started" => f.tasks.not_started += 1,
            _ => f.tasks.not_reported += 1,
        }
        f.tasks.late += u64::from(t.late);
    }
    f.targets_decided = s.targets.len();
    f.targets_met = s.targets.iter().filter(|t| t.met).count();
    f.index766 = s.index766_total();
    f
}

/// Exact comparison of two rates, higher first.
fn by_rate_desc(a: &Rate, b: &Rate) -> Ordering {
    let l = a.part as u128 * b.whole as u128;
    let r = b.part as u128 * a.whole as u128;
    r.cmp(&l)
}

/// Competition ranks (1, 1, 3) of values under an order, None for absent values.
fn ranks<T>(values: &[Option<T>], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            v.as_ref().map(|v| {
                1 + values
                    .iter()
                    .flatten()
                    .filter(|o| cmp(o, v) == Ordering::Less)
                    .count()
            })
        })
        .collect()
}

fn league(localities: &[LocalityResult], config: &Config) -> Vec<LeagueRow> {
    let counted: Vec<(&LocalityResult, &LocalityFigures)> = localities
        .iter()
        .filter_map(|l| l.figures.as_ref().map(|f| (l, f)))
        .collect();
    let rates: Vec<Option<Rate>> = counted
        .iter()
        .map(|(_, f)| f.form06.on_time_rate())
        .collect();
    let scores: Vec<Option<f64>> = counted.iter().map(|(_, f)| f.index766).collect();
    let met: Vec<Option<usize>> = counted
        .iter()
        .map(|(_, f)| (f.targets_decided > 0).then_some(f.targets_met))
        .collect();
    let rank_rate = ranks(&rates, by_rate_desc);
    let rank_766 = ranks(&scores, |a, b| b.total_cmp(a));
    let rank_met = ranks(&met, |a, b| b.cmp(a));
    let mut rows: Vec<LeagueRow> = counted
        .iter()
        .enumerate()
        .map(|(i, (l, f))| LeagueRow {
            code: l.code.clone(),
            name: l.name.clone(),
            kind: l.kind.clone(),
            rank_on_time: rank_rate[i],
            on_time_rate: rates[i],
            resolved: f.form06.resolved_total(),
            rank_766: rank_766[i],
            index766: f.index766,
            rank_targets: rank_met[i],
            targets_met: f.targets_met,
            targets_decided: f.targets_decided,
            band: rates[i].and_then(|r| {
                config
                    .bands
                    .iter()
                    .find(|b| r.satisfies(crate::config::Op::Ge, b.min_on_time_rate))
                    .map(|b| b.name.clone())
            }),
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.rank_on_time.unwrap_or(usize::MAX), SortKey::new(&r.name)));
    rows
}

fn targets(localities: &[LocalityResult]) -> Vec<TargetSummary> {
    let mut by_id: BTreeMap<String, TargetSummary> = BTreeMap::new();
    for l in localities {
        let Some(s) = &l.submission else { continue };
        let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
        for t in &s.targets {
            *seen.entry(&t.id).or_insert(true) &= t.met;
        }
        for (id, all_met) in seen {
            let e = by_id
                .entry(id.to_string())
                .or_insert_with(|| TargetSummary {
                    id: id.to_string(),
                    decided: 0,
                    met: 0,
                    missed: Vec::new(),
                });
            e.decided += 1;
            if all_met {
                e.met += 1;
            } else {
                e.missed.push(l.name.clone());
            }
        }
    }
    let mut out: Vec<TargetSummary> = by_id.into_values().collect();
    out.sort_by_cached_key(|t| target_order(&t.id));
    out
}

/// Target ids in the plan's order: "3.10" after "3.9", "2a" after "1".
fn target_order(id: &str) -> Vec<(u64, String)> {
    id.split('.')
        .map(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            (
                digits.parse().unwrap_or(u64::MAX),
                p[digits.len()..].to_string(),
            )
        })
        .collect()
}

//! The satisfaction figures of a period (satisfaction.md §3): per (level, unit, field) the
//! evaluations at each level, summed from evaluations dated in the period and from summaries
//! whose stated period lies within it. Rates are computed from the counts of the row they stand
//! in, never averaged.

use std::collections::HashMap;

use anyhow::Result;
use polars::prelude::*;

use super::RatingLevel;
use crate::config::Level;
use crate::normalize::day_number;
use crate::period::Period;
use crate::rate::Rate;
use crate::text::SortKey;

/// Evaluations at each level, best first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCounts(pub [u64; 5]);

impl LevelCounts {
    /// The count of one level.
    pub fn of(&self, level: RatingLevel) -> u64 {
        self.0[level as usize]
    }
    /// Every evaluation.
    pub fn rated(&self) -> u64 {
        self.0.iter().sum()
    }
    /// Evaluations at a level counted as satisfied.
    pub fn satisfied(&self, levels: &[RatingLevel]) -> u64 {
        levels.iter().map(|l| self.of(*l)).sum()
    }
    /// The declared satisfaction rate ([`SatisfactionCounts`]) of these counts.
    pub fn rate(&self, levels: &[RatingLevel]) -> Option<Rate> {
        SatisfactionCounts::of(self, levels).satisfaction_rate()
    }
    /// Adds another row's counts.
    pub fn add(&mut self, o: &LevelCounts) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

crate::counts! {
    /// A row's evaluations as documents show them: at each level, and those at a level the
    /// pipeline counts as satisfied (`satisfied_levels`), the numerator of its rate.
    pub struct SatisfactionCounts {
        /// Rất hài lòng.
        very_satisfied,
        /// Hài lòng.
        satisfied,
        /// Bình thường.
        neutral,
        /// Không hài lòng.
        dissatisfied,
        /// Rất không hài lòng.
        very_dissatisfied,
        /// At a level counted as satisfied.
        satisfied_total,
    }
    totals {
        /// Every evaluation.
        rated = sum(very_satisfied, satisfied, neutral, dissatisfied, very_dissatisfied);
    }
    rates {
        /// satisfied / rated × 100, absent when nothing was rated (satisfaction.md §3).
        satisfaction_rate = sum(satisfied_total) / rated => "satisfaction_rate";
    }
    row [rated, very_satisfied, satisfied, neutral, dissatisfied, very_dissatisfied];
}

impl SatisfactionCounts {
    /// A row's counts at each level, with the levels counted as satisfied.
    pub fn of(c: &LevelCounts, satisfied_levels: &[RatingLevel]) -> SatisfactionCounts {
        SatisfactionCounts {
            very_satisfied: c.of(RatingLevel::VerySatisfied),
            satisfied: c.of(RatingLevel::Satisfied),
            neutral: c.of(RatingLevel::Neutral),
            dissatisfied: c.of(RatingLevel::Dissatisfied),
            very_dissatisfied: c.of(RatingLevel::VeryDissatisfied),
            satisfied_total: c.satisfied(satisfied_levels),
        }
    }
}

/// One row of the satisfaction figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SatisfactionRow {
    /// Level of the unit.
    pub level: Level,
    /// Canonical unit.
    pub unit: String,
    /// Canonical field ("" when neither the row nor its dossier says).
    pub field: String,
    /// The counts.
    pub counts: LevelCounts,
}

/// The satisfaction figures of a period, and how many records of each file fell in it.
#[derive(Debug, Default)]
pub struct SatisfactionFigures {
    /// Rows with any evaluation, sorted by level, unit, field (Vietnamese collation).
    pub rows: Vec<SatisfactionRow>,
    /// The levels counted as satisfied.
    pub satisfied_levels: Vec<RatingLevel>,
    /// Records of each file that count in the period.
    pub in_period_per_file: Vec<u64>,
    /// Records of each file outside it (evaluated outside it, or a summary of another period).
    pub outside_period_per_file: Vec<u64>,
}

impl SatisfactionFigures {
    /// The rate of a row's counts under the configured satisfied levels.
    pub fn rate(&self, counts: &LevelCounts) -> Option<Rate> {
        counts.rate(&self.satisfied_levels)
    }

    /// The whole locality's counts, the evaluations of dossier handling (target 4.2) apart from
    /// the public-service units' surveys (4.1): no headline mixes the two.
    pub fn totals(&self, units: &crate::config::Units) -> SatisfactionTotals {
        let mut t = SatisfactionTotals::default();
        for r in &self.rows {
            if units.is_public_service(&r.unit) {
                t.public_service.add(&r.counts);
            } else {
                t.dossier.add(&r.counts);
            }
        }
        t
    }
}

/// The whole locality's evaluations, by what was evaluated.
#[derive(Debug, Clone, Copy, Default)]
pub struct SatisfactionTotals {
    /// Evaluations of dossier handling (TTHC).
    pub dossier: LevelCounts,
    /// Surveys of public services (schools, health stations).
    pub public_service: LevelCounts,
}

/// Computes the figures of a period from the ruled satisfaction table.
pub fn compute(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
    satisfied: &[RatingLevel],
) -> Result<SatisfactionFigures> {
    let start = day_number(period.start);
    let end = day_number(period.end);
    let shape = frame.column("shape")?.str()?;
    let evaluated = frame.column("evaluated")?.i32()?;
    let p_start = frame.column("period_start")?.i32()?;
    let p_end = frame.column("period_end")?.i32()?;
    let level = frame.column("level")?.str()?;
    let unit = frame.column("unit")?.str()?;
    let field = frame.column("field")?.str()?;
    let file = frame.column("file")?.u32()?;
    let counts: Vec<&UInt32Chunked> = RatingLevel::ALL
        .iter()
        .map(|l| frame.column(l.code()).and_then(|c| c.u32()))
        .collect::<PolarsResult<_>>()?;
    let mut in_period_per_file = vec![0u64; n_files];
    let mut outside_period_per_file = vec![0u64; n_files];
    let mut by_row: HashMap<(&str, &str, &str), LevelCounts> = HashMap::new();
    for i in 0..frame.height() {
        let inside = match shape.get(i) {
            Some("summary") => match (p_start.get(i), p_end.get(i)) {
                (Some(a), Some(b)) => a >= start && b <= end,
                _ => false,
            },
            _ => evaluated.get(i).is_some_and(|d| d >= start && d <= end),
        };
        let f = file.get(i).unwrap_or(0) as usize;
        if !inside {
            outside_period_per_file[f] += 1;
            continue;
        }
        in_period_per_file[f] += 1;
        let key = (
            level.get(i).unwrap_or("huyen"),
            unit.get(i).unwrap_or(""),
            field.get(i).unwrap_or(""),
        );
        let c = by_row.entry(key).or_default();
        for (k, col) in counts.iter().enumerate() {
            c.0[k] += col.get(i).unwrap_or(0) as u64;
        }
    }
    let mut rows: Vec<SatisfactionRow> = by_row
        .into_iter()
        .filter(|(_, c)| c.rated() > 0)
        .map(|((l, u, f), counts)| SatisfactionRow {
            level: if l == "xa" { Level::Xa } else { Level::Huyen },
            unit: u.to_string(),
            field: f.to_string(),
            counts,
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.level, SortKey::new(&r.unit), SortKey::new(&r.field)));
    Ok(SatisfactionFigures {
        rows,
        satisfied_levels: satisfied.to_vec(),
        in_period_per_file,
        outside_period_per_file,
    })
}

impl crate::kind::KindFigures for SatisfactionFigures {
    fn annex_sheet(
        &self,
        t: &crate::annex_sheet::SheetTemplate,
        m: crate::sheet::SheetModel,
        body: u32,
        ctx: &crate::annex_sheet::SheetContext,
    ) -> Result<crate::sheet::SheetModel> {
        super::annex::sheet(self, t, m, body, ctx)
    }
    fn report_view(
        &self,
        ctx: &crate::kind::ReportContext,
    ) -> Result<Vec<crate::kind::ReportPart>> {
        super::report::parts(self, ctx)
    }
    fn public_view(
        &self,
        ctx: &crate::kind::PublicContext,
    ) -> Result<Vec<crate::kind::PublicPart>> {
        super::public::parts(self, ctx)
    }

    fn measure(&self, target: &crate::config::TargetEntry) -> Option<crate::figures::Measured<'_>> {
        crate::figures::rate_rows(
            &target.measure,
            self.rows.iter().map(|r| {
                let counts = SatisfactionCounts::of(&r.counts, &self.satisfied_levels);
                (r.level, r.unit.as_str(), r.field.as_str(), counts)
            }),
        )
    }
    fn no_data_reason(
        &self,
        _pipeline: &crate::config::Pipeline,
        _target: &crate::config::TargetEntry,
        _level: Option<crate::config::Level>,
    ) -> String {
        "chưa có lượt đánh giá nào trong phạm vi này".into()
    }
    fn summary(&self, ctx: &crate::kind::SummaryContext) -> Vec<String> {
        let totals = self.totals(&ctx.pipeline.units);
        [
            ("Đánh giá hài lòng về giải quyết TTHC", &totals.dossier),
            (
                "Khảo sát hài lòng về dịch vụ công (giáo dục, y tế)",
                &totals.public_service,
            ),
        ]
        .into_iter()
        .filter(|(_, c)| c.rated() > 0)
        .map(|(what, c)| {
            format!(
                "{what}: {} lượt, hài lòng {}.",
                crate::vn::int(c.rated()),
                crate::vn::percent(self.rate(c))
            )
        })
        .collect()
    }
    fn json<'a>(
        &'a self,
        _ctx: &crate::kind::JsonContext<'a>,
    ) -> Vec<crate::kind::JsonSection<'a>> {
        let rows = self.rows.iter().map(|r| {
            (
                r.level,
                r.unit.as_str(),
                r.field.as_str(),
                SatisfactionCounts::of(&r.counts, &self.satisfied_levels),
            )
        });
        vec![crate::figures::count_table("satisfaction", rows)]
    }
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.in_period_per_file,
            &self.outside_period_per_file,
            file,
        )
    }
}

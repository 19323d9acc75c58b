//! The dossier paragraph of the report's section II.2 (`tthc`): form 06 of the whole locality
//! and of each level, the fields and units below their on-time target, the change against the
//! previous period (its form-06 totals, [`Previous`]), the apology coverage and the
//! other figures of tthc-rules §5 — values the report templates' dossier part
//! (`templates/report/parts/dossier.xml|html`, [`TEMPLATES`]) turns into sentences.

use anyhow::Result;
use serde::Serialize;

use super::figures::shares::Shares;
use super::figures::{Counts, DossierFigures};
use crate::config::Pipeline;
use crate::figures::NamedCounts;
use crate::kind::{ReportContext, ReportPart};
use crate::period::Period;
use crate::rate::Rate;
use crate::target::{general_threshold, trim_number};

/// The dossier part of the report templates, embedded: (name under `templates/report/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "parts/dossier.xml",
        include_str!("../../../templates/report/parts/dossier.xml"),
    ),
    (
        "parts/dossier.html",
        include_str!("../../../templates/report/parts/dossier.html"),
    ),
];

/// What the paragraph compares with ([`crate::kind::Kind::previous_figures`]): the previous
/// period and its total form-06 counts.
pub type Previous = (Period, Counts);

/// Figures of one level (or the total): the template formats them.
#[derive(Debug, Serialize)]
pub struct LevelView {
    name: String,
    received: u64,
    carried_over: u64,
    new: u64,
    online: u64,
    online_share: Option<Rate>,
    resolved: u64,
    early: u64,
    on_time: u64,
    on_time_total: u64,
    late: u64,
    on_time_rate: Option<Rate>,
    pending: u64,
    pending_within: u64,
    pending_overdue: u64,
}

impl LevelView {
    fn of(name: &str, c: &Counts) -> LevelView {
        LevelView {
            name: name.to_string(),
            received: c.received_total(),
            carried_over: c.carried_over,
            new: c.new_total(),
            online: c.new_online,
            // Over the dossiers whose channel is known: an export without the column says nothing.
            online_share: Rate::of(c.new_online, c.new_total() - c.new_unknown_channel),
            resolved: c.resolved_total(),
            early: c.resolved_early,
            on_time: c.resolved_on_time,
            on_time_total: c.numerator("on_time_rate"),
            late: c.resolved_late,
            on_time_rate: c.on_time_rate(),
            pending: c.pending_total(),
            pending_within: c.pending_within,
            pending_overdue: c.pending_overdue,
        }
    }
}

/// The change against the previous period: which way each figure went, and by how much.
#[derive(Debug, Serialize)]
pub struct ComparisonView {
    period_label: String,
    /// "up", "down", "same", or "from_zero" (the previous period received none).
    received: &'static str,
    received_now: u64,
    received_diff: u64,
    /// received_diff / the previous period's received.
    received_diff_rate: Option<Rate>,
    /// "up", "down", "same", or "none" (a period with nothing resolved).
    on_time: &'static str,
    on_time_before: Option<Rate>,
    on_time_now: Option<Rate>,
    /// The change in percentage points, rounded like the rates.
    on_time_points: f64,
}

/// A scope below its target: its rate and the target as read.
#[derive(Debug, Serialize)]
pub struct BelowView {
    name: String,
    rate: Rate,
    target: String,
}

/// A part of a whole, when the exports say: "50/60 (83,33 %)".
#[derive(Debug, Serialize)]
pub struct FractionView {
    part: u64,
    whole: u64,
    rate: Rate,
}

impl FractionView {
    fn of(pair: (u64, u64)) -> Option<FractionView> {
        Rate::of(pair.0, pair.1).map(|rate| FractionView {
            part: pair.0,
            whole: pair.1,
            rate,
        })
    }
}

/// The tthc-rules §5 figures of one level, among the dossiers resolved in the period: each
/// `what` is `digitized_dossier`, `digitized_result` or `epayment`, in that order.
#[derive(Debug, Serialize)]
pub struct SharesView {
    name: String,
    parts: Vec<SharePart>,
}

/// One §5 figure the exports say.
#[derive(Debug, Serialize)]
pub struct SharePart {
    what: &'static str,
    part: u64,
    whole: u64,
    rate: Rate,
}

/// The dossier part of the report.
#[derive(Debug, Serialize)]
pub struct TthcView {
    total: LevelView,
    levels: Vec<LevelView>,
    fields_below: Vec<BelowView>,
    units_below: Vec<BelowView>,
    /// The per-field on-time threshold units are held to, as read ("99").
    unit_threshold: Option<String>,
    late_listed: usize,
    comparison: Option<ComparisonView>,
    /// Late dossiers with an apology letter, when the exports say.
    apology: Option<FractionView>,
    /// The other §5 figures per level, where the exports say any.
    shares: Vec<SharesView>,
}

fn direction(now: u64, before: u64) -> &'static str {
    match now.cmp(&before) {
        std::cmp::Ordering::Equal => "same",
        _ if before == 0 => "from_zero",
        std::cmp::Ordering::Greater => "up",
        std::cmp::Ordering::Less => "down",
    }
}

fn comparison(prev: &Period, now: &Counts, before: &Counts) -> ComparisonView {
    let (n, b) = (now.received_total(), before.received_total());
    let diff = n.abs_diff(b);
    let (on_time, points) = match (now.on_time_rate(), before.on_time_rate()) {
        (Some(a), Some(b)) => {
            let (x, y) = (a.hundredths(), b.hundredths());
            let way = match x.cmp(&y) {
                std::cmp::Ordering::Equal => "same",
                std::cmp::Ordering::Greater => "up",
                std::cmp::Ordering::Less => "down",
            };
            (way, x.abs_diff(y) as f64 / 100.0)
        }
        _ => ("none", 0.0),
    };
    ComparisonView {
        period_label: prev.label(),
        received: direction(n, b),
        received_now: n,
        received_diff: diff,
        received_diff_rate: Rate::of(diff, b),
        on_time,
        on_time_before: before.on_time_rate(),
        on_time_now: now.on_time_rate(),
        on_time_points: points,
    }
}

/// The §5 figures of each level, where the exports say any.
fn shares_view(p: &Pipeline, s: &Shares) -> Vec<SharesView> {
    p.units
        .levels
        .iter()
        .map(|info| {
            let c = s.level(info.id);
            let parts = [
                ("digitized_dossier", c.digitized_dossier),
                ("digitized_result", c.digitized_result),
                ("epayment", c.epayment),
            ]
            .into_iter()
            .filter_map(|(what, pair)| {
                FractionView::of(pair).map(|f| SharePart {
                    what,
                    part: f.part,
                    whole: f.whole,
                    rate: f.rate,
                })
            })
            .collect();
            SharesView {
                name: info.label.clone(),
                parts,
            }
        })
        .filter(|v| !v.parts.is_empty())
        .collect()
}

/// The paragraph of a period's dossier figures.
pub fn view(d: &DossierFigures, ctx: &ReportContext) -> TthcView {
    let p = ctx.pipeline;
    let rows = &d.form06.rows;
    let mut total = Counts::default();
    let mut levels = Vec::new();
    for info in &p.units.levels {
        let mut c = Counts::default();
        for row in rows.iter().filter(|x| x.level == info.id) {
            c.add(&row.counts);
        }
        total.add(&c);
        levels.push(LevelView::of(&info.label, &c));
    }
    let on_time_id = p.flags.on_time.as_deref().unwrap_or_default();
    let fields_below = ctx
        .targets
        .iter()
        .filter(|t| t.id == on_time_id && !t.met)
        .map(|t| BelowView {
            name: t.scope.clone(),
            rate: t.rate,
            target: t.target_display(),
        })
        .collect();
    let threshold = general_threshold(&p.targets, on_time_id);
    let mut units_below = Vec::new();
    if let Some((op, v)) = threshold {
        let mut units: Vec<(String, Counts)> = Vec::new();
        for row in rows {
            match units.last_mut() {
                Some((u, c)) if *u == row.unit => c.add(&row.counts),
                _ => units.push((row.unit.clone(), row.counts)),
            }
        }
        for (u, c) in units {
            if let Some(rate) = c.on_time_rate().filter(|rate| !rate.satisfies(op, v)) {
                units_below.push(BelowView {
                    name: u,
                    rate,
                    target: format!("{} {}", op.symbol(), trim_number(v).replace('.', ",")),
                });
            }
        }
    }
    TthcView {
        total: LevelView::of(&p.words.whole, &total),
        levels,
        fields_below,
        units_below,
        unit_threshold: threshold.map(|(_, v)| trim_number(v).replace('.', ",")),
        late_listed: d.late.len(),
        comparison: ctx
            .previous::<Previous>(super::ID)
            .map(|(prev, c)| comparison(prev, &total, c)),
        apology: FractionView::of(d.shares.district().apology),
        shares: shares_view(p, &d.shares),
    }
}

/// Its part of the report's view.
pub fn parts(d: &DossierFigures, ctx: &ReportContext) -> Result<Vec<ReportPart>> {
    Ok(vec![ReportPart::of("tthc", Some(view(d, ctx)))?])
}

//! The other dossier figures of tthc-rules §5: online share, apology coverage of late dossiers
//! (target 3.4), digitized dossiers and results (target 7), online payment (target 9). Each is a
//! fraction over the dossiers whose export says; a level whose exports lack the column has no
//! value for it rather than a made-up zero.

use std::collections::BTreeSet;

use anyhow::Result;
use polars::prelude::*;

use crate::config::Level;
use crate::normalize::day_number;
use crate::period::Period;

use super::late::{LateDossier, LateState};
use crate::rate::Rate;

/// Numerators and denominators of one level (or of the district).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareCounts {
    /// (received online, received through a known channel) in the period.
    pub online: (u64, u64),
    /// (late with an apology, late whose export has the apology column).
    pub apology: (u64, u64),
    /// (resolved with documents digitized, resolved whose export says).
    pub digitized_dossier: (u64, u64),
    /// (resolved with result digitized, resolved whose export says).
    pub digitized_result: (u64, u64),
    /// (resolved with a fee paid online, resolved with a fee whose export says how it was paid).
    pub epayment: (u64, u64),
    /// Units with at least one dossier paid online in the period.
    pub epayment_units: BTreeSet<String>,
    /// Units whose exports say how dossiers resolved in the period were paid.
    pub epayment_known_units: BTreeSet<String>,
}

impl ShareCounts {
    fn add(&mut self, o: &ShareCounts) {
        let plus = |a: &mut (u64, u64), b: (u64, u64)| {
            a.0 += b.0;
            a.1 += b.1;
        };
        plus(&mut self.online, o.online);
        plus(&mut self.apology, o.apology);
        plus(&mut self.digitized_dossier, o.digitized_dossier);
        plus(&mut self.digitized_result, o.digitized_result);
        plus(&mut self.epayment, o.epayment);
        self.epayment_units.extend(o.epayment_units.iter().cloned());
        self.epayment_known_units
            .extend(o.epayment_known_units.iter().cloned());
    }

    /// A fraction as a rate, absent when its denominator is 0.
    pub fn rate(pair: (u64, u64)) -> Option<Rate> {
        Rate::of(pair.0, pair.1)
    }
}

/// A §5 figure of a level's (or the whole's) counts, absent when the exports do not say.
pub type ShareRate = fn(&ShareCounts) -> Option<Rate>;

/// The §5 figures targets measure (a level's or the whole locality's), by measure name: each
/// one's rate of a level's counts. Units using online payment are counted among the units whose
/// exports say how dossiers were paid.
pub const SHARE_MEASURES: &[(&str, ShareRate)] = &[
    ("online_share", |c| ShareCounts::rate(c.online)),
    ("apology_coverage", |c| ShareCounts::rate(c.apology)),
    ("digitized_dossier_share", |c| {
        ShareCounts::rate(c.digitized_dossier)
    }),
    ("digitized_result_share", |c| {
        ShareCounts::rate(c.digitized_result)
    }),
    ("epayment_share", |c| ShareCounts::rate(c.epayment)),
    ("epayment_units", |c| {
        Rate::of(
            c.epayment_units.len() as u64,
            c.epayment_known_units.len() as u64,
        )
    }),
];

/// The §5 figures of a period, per level.
#[derive(Debug, Clone, Default)]
pub struct Shares {
    /// Cấp huyện.
    pub huyen: ShareCounts,
    /// Cấp xã.
    pub xa: ShareCounts,
}

impl Shares {
    /// The counts of one level.
    pub fn level(&self, level: Level) -> &ShareCounts {
        match level {
            Level::Huyen => &self.huyen,
            Level::Xa => &self.xa,
        }
    }

    /// The counts of the whole district.
    pub fn district(&self) -> ShareCounts {
        let mut c = self.huyen.clone();
        c.add(&self.xa);
        c
    }
}

const FLAGS: [&str; 10] = [
    "new",
    "online",
    "dd_known",
    "dd_yes",
    "dr_known",
    "dr_yes",
    "fee_known",
    "fee_online",
    "paid_online",
    "pay_known",
];

/// Computes the §5 figures of a period over the dossier table and its late dossiers.
pub fn shares(frame: &DataFrame, period: &Period, late: &[LateDossier]) -> Result<Shares> {
    let start = lit(day_number(period.start));
    let end = lit(day_number(period.end));
    let f = |e: Expr| e.fill_null(lit(false));
    let received = col("received");
    let completed = col("completed");
    let new = f(received
        .clone()
        .gt_eq(start.clone())
        .and(received.lt_eq(end.clone())));
    let done = f(completed.clone().gt_eq(start).and(completed.lt_eq(end)));
    let in_period = new.clone().or(done.clone());
    let known = |c: &str| done.clone().and(col(c).is_not_null());
    let yes = |c: &str| f(done.clone().and(col(c).eq(lit(true))));
    let fee = f(done
        .clone()
        .and(col("fee").gt(lit(0.0)))
        .and(col("epayment").is_not_null()));
    let exprs = [
        // The online share is over the dossiers whose export says how they came.
        f(new.clone().and(col("channel").neq(lit("unknown")))),
        f(new.and(col("channel").eq(lit("online")))),
        known("digitized_dossier"),
        yes("digitized_dossier"),
        known("digitized_result"),
        yes("digitized_result"),
        fee.clone(),
        f(fee.and(col("epayment").eq(lit(true)))),
        yes("epayment"),
        known("epayment"),
    ];
    let aggs: Vec<Expr> = exprs
        .into_iter()
        .zip(FLAGS)
        .map(|(e, name)| e.cast(DataType::UInt64).sum().alias(name))
        .collect();
    // Only the dossiers received or resolved in the period count anywhere: a city's other rows
    // would only be grouped into zeros.
    let grouped = frame
        .clone()
        .lazy()
        .filter(in_period)
        .group_by([col("level"), col("unit")])
        .agg(aggs)
        .collect()?;
    let level = grouped.column("level")?.str()?.clone();
    let unit = grouped.column("unit")?.str()?.clone();
    let mut v = Vec::new();
    for name in FLAGS {
        v.push(grouped.column(name)?.u64()?.clone());
    }
    let mut out = Shares::default();
    for i in 0..grouped.height() {
        let n = |k: usize| v[k].get(i).unwrap_or(0);
        let c = ShareCounts {
            online: (n(1), n(0)),
            digitized_dossier: (n(3), n(2)),
            digitized_result: (n(5), n(4)),
            epayment: (n(7), n(6)),
            epayment_units: if n(8) > 0 {
                [unit.get(i).unwrap_or("").to_string()].into()
            } else {
                BTreeSet::new()
            },
            epayment_known_units: if n(9) > 0 {
                [unit.get(i).unwrap_or("").to_string()].into()
            } else {
                BTreeSet::new()
            },
            apology: (0, 0),
        };
        if level.get(i) == Some("xa") {
            out.xa.add(&c);
        } else {
            out.huyen.add(&c);
        }
    }
    for d in late
        .iter()
        .filter(|d| d.state == LateState::ResolvedLate || d.state == LateState::PendingOverdue)
    {
        let slot = if d.level == Level::Xa {
            &mut out.xa
        } else {
            &mut out.huyen
        };
        if let Some(given) = d.apology {
            slot.apology.1 += 1;
            if given {
                slot.apology.0 += 1;
            }
        }
    }
    Ok(out)
}

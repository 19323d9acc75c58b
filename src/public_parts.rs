//! The building blocks the kinds' parts of the public page share (`cong-khai-<period>.html`,
//! [`crate::kind::KindFigures::public_view`]): the rows of each level summed per unit, and a
//! rate below its threshold. They sit on the ground floor so that a kind's folder depends on
//! them, never on the page's renderer, which iterates the kinds and names none.

use serde::Serialize;

use crate::config::{Level, Op};
use crate::rate::Rate;

/// A level of the locality and its units' rows, as the page's tables show them.
#[derive(Debug, Serialize)]
pub struct LevelView<T> {
    /// The level's label («Cấp xã»).
    pub name: String,
    /// Its units' rows.
    pub units: Vec<T>,
}

/// The rows of each level that has any, in registry level order, summed per unit (rows come
/// sorted by level, then unit).
pub fn per_unit<'r, C: Clone + 'r>(
    rows: impl Iterator<Item = (Level, &'r str, &'r C)>,
    add: impl Fn(&mut C, &C),
) -> Vec<(Level, Vec<(String, C)>)> {
    let mut out: Vec<(Level, Vec<(String, C)>)> = Vec::new();
    for (level, unit, c) in rows {
        if out.last().is_none_or(|(l, _)| *l != level) {
            out.push((level, Vec::new()));
        }
        let units = &mut out.last_mut().expect("pushed").1;
        match units.last_mut() {
            Some((u, acc)) if u == unit => add(acc, c),
            _ => units.push((unit.to_string(), c.clone())),
        }
    }
    out
}

/// Whether a rate misses its threshold (the page shows it in red); false without either.
pub fn below(rate: Option<Rate>, threshold: Option<(Op, f64)>) -> bool {
    matches!((rate, threshold), (Some(r), Some((op, v))) if !r.satisfies(op, v))
}

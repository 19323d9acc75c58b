//! The `index766` array of indicators.json (issue 21): one entry per scored unit and window,
//! then the locality's. `cchc run` writes the entries of its period's calendar window.

use serde::Serialize;

use super::estimate::{IndicatorScore, Origin, UnitScore, WindowScores};
use super::portal::GroupCheck;

/// The window of a figure: both bounds included, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowBounds {
    /// First day.
    pub start: chrono::NaiveDate,
    /// Last day.
    pub end: chrono::NaiveDate,
}

/// One indicator of an entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorJson {
    /// The portal's number: "2.1", "3.3" …
    pub id: String,
    /// The ratio in % (for 2.2 the mean days); null where there is no data.
    pub value: Option<f64>,
    /// Points; null where there is no data (never 0 for a missing figure).
    pub points: Option<f64>,
    /// Maximum points.
    pub max: f64,
    /// `"estimate"` (ước tính cchc) or `"portal"` (Cổng DVCQG).
    pub source: Origin,
}

/// One entry of `index766`: a unit (or the locality) for a window.
///
/// `{level, unit, window: {start, end}, indicators: [{id, value, points, max, source}], total,
/// max, band}`. `level` is the unit's level (`"xa"`), null on the locality's entry, whose `unit`
/// is the locality's whole word ("Toàn huyện"). `total` sums the points known and `max` the
/// maxima of the indicators with points, so an estimate without the portal's table reads
/// "`total` of `max`"; `band` is given only when every indicator has points (`max` = 100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index766Json {
    /// `"xa"`, `"huyen"`, or null for the locality.
    pub level: Option<&'static str>,
    /// Unit name, or the locality's whole word.
    pub unit: String,
    /// The calendar window scored.
    pub window: WindowBounds,
    /// Every indicator of `index766.toml`, in its order.
    pub indicators: Vec<IndicatorJson>,
    /// Points known.
    pub total: f64,
    /// Maxima of the indicators with points.
    pub max: f64,
    /// Band of the total, when complete.
    pub band: Option<String>,
    /// Per group, the estimate beside the portal's published score; absent without a portal
    /// table that scores the unit in the window.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub portal: Vec<PortalGroupJson>,
}

/// One group of an entry, the estimate beside the portal ([`GroupCheck`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalGroupJson {
    /// The group's id in `index766.toml` (`tien_do`).
    pub group: String,
    /// Points cchc computed in the group; null when none of its indicators has points.
    pub estimate: Option<f64>,
    /// The portal's published group score; null when its cell is empty.
    pub portal: Option<f64>,
    /// How far the portal's score is from what the estimate allows (0 when the portal's score
    /// lies between the estimate and the estimate plus the maxima cchc does not compute).
    pub difference: Option<f64>,
    /// Whether the difference is over the tolerance of `index766.toml` (0,5 points).
    pub flagged: bool,
}

/// An indicator's points taken from the portal's group score, where the group score decides
/// them: the portal publishes groups, so its part beyond the estimate falls on the group's
/// indicators without points — one such indicator takes it all; several take nothing or their
/// maxima when the part is 0 or full, and otherwise stay null (the total still counts the part).
fn from_portal(s: &UnitScore, i: &IndicatorScore) -> Option<f64> {
    if i.points.is_some() || i.max == 0.0 {
        return None;
    }
    let (_, part, not_computed) = s.imported.iter().find(|m| m.0 == i.group)?;
    let open = s
        .indicators
        .iter()
        .filter(|o| o.group == i.group && o.points.is_none() && o.max > 0.0)
        .count();
    if open == 1 || *part >= *not_computed {
        Some(if open == 1 { *part } else { i.max })
    } else if *part == 0.0 {
        Some(0.0)
    } else {
        None
    }
}

fn entry(s: &UnitScore, w: &WindowScores, checks: &[GroupCheck]) -> Index766Json {
    Index766Json {
        level: s.level.map(|l| l.code()),
        unit: s.unit.clone(),
        window: WindowBounds {
            start: w.window.start,
            end: w.window.end,
        },
        indicators: s
            .indicators
            .iter()
            .map(|i| match from_portal(s, i) {
                Some(points) => IndicatorJson {
                    id: i.id.clone(),
                    value: None,
                    points: Some(points),
                    max: i.max,
                    source: Origin::Portal,
                },
                None => IndicatorJson {
                    id: i.id.clone(),
                    value: i.value,
                    points: i.points,
                    max: i.max,
                    source: i.source,
                },
            })
            .collect(),
        total: s.total,
        max: s.max,
        band: s.band.clone(),
        portal: checks
            .iter()
            .filter(|c| c.unit == s.unit)
            .map(|c| PortalGroupJson {
                group: c.group.clone(),
                estimate: c.estimate,
                portal: c.portal,
                difference: c.difference,
                flagged: c.flagged,
            })
            .collect(),
    }
}

/// The `index766` entries of some windows: per window its scored units (breakdown offices
/// included), then the locality; `checks` are the reconciliation with the portal's table of the
/// windows (one window's, or none).
pub fn index766_json(windows: &[WindowScores], checks: &[GroupCheck]) -> Vec<Index766Json> {
    let mut out = Vec::new();
    for w in windows {
        out.extend(w.units.iter().map(|u| entry(u, w, checks)));
        out.push(entry(&w.locality, w, checks));
    }
    out
}

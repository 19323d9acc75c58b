//! The `index766` array of indicators.json (issue 21): one entry per scored unit and window,
//! then the locality's. `cchc run` writes the entries of its period's calendar window.

use serde::Serialize;

use super::estimate::{Origin, UnitScore, WindowScores};

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
}

fn entry(s: &UnitScore, w: &WindowScores) -> Index766Json {
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
            .map(|i| IndicatorJson {
                id: i.id.clone(),
                value: i.value,
                points: i.points,
                max: i.max,
                source: i.source,
            })
            .collect(),
        total: s.total,
        max: s.max,
        band: s.band.clone(),
    }
}

/// The `index766` entries of some windows: per window its scored units (breakdown offices
/// included), then the locality.
pub fn index766_json(windows: &[WindowScores]) -> Vec<Index766Json> {
    let mut out = Vec::new();
    for w in windows {
        out.extend(w.units.iter().map(|u| entry(u, w)));
        out.push(entry(&w.locality, w));
    }
    out
}

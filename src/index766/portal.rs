//! The portal's published scores read back (index766.md §5): a table per unit of the six group
//! scores and the total, as HCMC publishes it weekly or the portal exports it (xlsx, csv, html
//! saved from the page), read with the shared ingest machinery under a header vocabulary made
//! from `index766.toml`'s `portal_columns`. It fills what cchc cannot compute, and for the rest
//! it is set beside the estimate, group by group.
//!
//! The table is read by the input kind `portal_766` ([`crate::kinds::portal_766`]), among a
//! run's inputs or given to `cchc scorecard --portal`; here it is set beside the estimate.

use std::path::Path;

use anyhow::{bail, Result};
use serde::Serialize;

use super::config::{Index766Config, Measure};
use super::estimate::{round2, UnitScore, WindowScores};
use crate::config::Pipeline;
use crate::kinds::portal_766::read::{bad_cells_message, read_tables};

pub use crate::kinds::portal_766::read::{PortalRow, PortalTable};

/// One unit and group, estimate beside the portal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCheck {
    /// Unit.
    pub unit: String,
    /// Group id.
    pub group: String,
    /// Group name.
    pub group_name: String,
    /// Points cchc computed in the group.
    pub estimate: Option<f64>,
    /// Maxima of the group's indicators cchc does not compute (their points come from the portal).
    pub not_computed: f64,
    /// The portal's published group score.
    pub portal: Option<f64>,
    /// How far the portal's score is from what the estimate allows (0 inside
    /// [estimate, estimate + not_computed]).
    pub difference: Option<f64>,
    /// Over the tolerance.
    pub flagged: bool,
    /// Likely causes, when flagged.
    pub causes: Vec<String>,
}

/// Reads the portal's table (`--portal`) through the `portal_766` kind's reading: every row of a
/// registry unit, every other row named; an unreadable cell stops with its place.
pub fn read(pipeline: &Pipeline, config: &Index766Config, path: &Path) -> Result<PortalTable> {
    let vocab = &crate::kinds::portal_766::settings(pipeline).header;
    let read = match crate::ingest::read_file(pipeline, 0, path, &[vocab]) {
        Ok(r) => r,
        Err((file, problem)) => bail!(
            "không đọc được bảng điểm Cổng DVCQG {file}: {problem}. Cần một bảng có cột «Đơn vị» (hoặc «Xã, phường»), «Tổng điểm» và điểm từng nhóm ({})",
            config.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    };
    let table = read_tables(pipeline, config, &read.tables, &read.source.display);
    if let Some(message) = bad_cells_message(&table) {
        bail!("{message}");
    }
    Ok(table.table)
}

/// Fills each unit's indicators cchc does not compute from the portal's group scores, and sets
/// each group's estimate beside the portal's.
pub fn reconcile(
    config: &Index766Config,
    scores: &mut WindowScores,
    table: &PortalTable,
) -> Vec<GroupCheck> {
    let mut checks = Vec::new();
    for unit in scores.units.iter_mut() {
        let Some(row) = table.rows.iter().find(|r| r.unit == unit.unit) else {
            continue;
        };
        checks.extend(reconcile_unit(config, unit, row));
    }
    // The imported points change the totals: rank again.
    super::estimate::rank(&mut scores.units);
    checks
}

fn reconcile_unit(
    config: &Index766Config,
    unit: &mut UnitScore,
    row: &PortalRow,
) -> Vec<GroupCheck> {
    let mut out = Vec::new();
    unit.imported.clear();
    for (g, (_, portal)) in config.groups.iter().zip(&row.groups) {
        let of_group: Vec<_> = unit.indicators.iter().filter(|i| i.group == g.id).collect();
        let known: Vec<f64> = of_group.iter().filter_map(|i| i.points).collect();
        let estimate = (!known.is_empty()).then(|| round2(known.iter().sum()));
        let not_computed: f64 = of_group
            .iter()
            .filter(|i| i.points.is_none())
            .map(|i| i.max)
            .sum();
        let e = estimate.unwrap_or(0.0);
        let difference = portal.map(|p| {
            round2(if p < e {
                p - e
            } else if p > e + not_computed {
                p - e - not_computed
            } else {
                0.0
            })
        });
        if let (Some(p), true) = (portal, not_computed > 0.0) {
            unit.imported.push((
                g.id.clone(),
                round2((p - e).clamp(0.0, not_computed)),
                not_computed,
            ));
        }
        let flagged = difference.is_some_and(|d| d.abs() > config.tolerance);
        let mut causes = Vec::new();
        if flagged {
            causes.push(config.causes.window.clone());
            causes.push(config.causes.sync.clone());
            let progress = config.indicators.iter().any(|i| {
                i.group == g.id
                    && matches!(i.measure, Some(Measure::OnTime | Measure::TthcSatisfaction))
            });
            if progress && unit.withdrawn > 0 {
                causes.push(config.causes.withdrawn.clone());
            }
            if progress && unit.no_due_date > 0 {
                causes.push(config.causes.no_due_date.clone());
            }
        }
        out.push(GroupCheck {
            unit: unit.unit.clone(),
            group: g.id.clone(),
            group_name: g.name.clone(),
            estimate,
            not_computed,
            portal: *portal,
            difference,
            flagged,
            causes,
        });
    }
    unit.settle(config);
    out
}

//! The portal's published scores read back (index766.md §5): a table per unit of the six group
//! scores and the total, as HCMC publishes it weekly or the portal exports it (xlsx, csv, html
//! saved from the page), read with the shared ingest machinery under a header vocabulary made
//! from `index766.toml`'s `portal_columns`. It fills what cchc cannot compute, and for the rest
//! it is set beside the estimate, group by group.
//!
//! Self-contained for now: the lead will make it a registered input kind (`portal_766`).

use std::path::Path;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use serde::Serialize;

use super::config::{Index766Config, Measure};
use super::estimate::{round2, UnitScore, WindowScores};
use crate::config::Pipeline;
use crate::ingest::columns::{CommonWords, DeclaredColumn};
use crate::ingest::HeaderVocab;
use crate::kinds::self_report::normalize::parse_number;
use crate::model::Cell;

/// Column ids of the groups (a header vocabulary's ids are static): group `i` of the
/// configuration is `GROUP_COLUMNS[i]`.
const GROUP_COLUMNS: [&str; 12] = [
    "group_1", "group_2", "group_3", "group_4", "group_5", "group_6", "group_7", "group_8",
    "group_9", "group_10", "group_11", "group_12",
];

/// One unit's row of the portal's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalRow {
    /// The unit as the registry names it.
    pub unit: String,
    /// 1-based row in the sheet.
    pub row: u32,
    /// Score per group id (None: the cell is empty).
    pub groups: Vec<(String, Option<f64>)>,
    /// The published total.
    pub total: Option<f64>,
}

/// The portal's table of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalTable {
    /// The file as messages name it.
    pub file: String,
    /// The window its title gives (two dates dd/mm/yyyy), if any.
    pub title_window: Option<(NaiveDate, NaiveDate)>,
    /// Rows of units of the registry.
    pub rows: Vec<PortalRow>,
    /// Rows whose unit the registry does not know: (row, name as written).
    pub unknown_units: Vec<(u32, String)>,
}

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

fn header_vocab(pipeline: &Pipeline, config: &Index766Config) -> Result<HeaderVocab> {
    if config.groups.len() > GROUP_COLUMNS.len() {
        bail!(
            "index766.toml có {} nhóm; bảng điểm Cổng DVCQG đọc được tối đa {} nhóm",
            config.groups.len(),
            GROUP_COLUMNS.len()
        );
    }
    let spec = |label: &str, aliases: &[&str]| {
        Some((
            label.to_string(),
            false,
            aliases.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        ))
    };
    let mut declared = vec![
        DeclaredColumn {
            second_reading_of: None,
            id: "unit",
            spec: spec(
                "Đơn vị",
                &[
                    "Đơn vị",
                    "Tên đơn vị",
                    "Xã, phường",
                    "Xã/phường",
                    "Tên xã, phường",
                    "Địa phương",
                    "Xã, phường, đặc khu",
                ],
            ),
        },
        DeclaredColumn {
            second_reading_of: None,
            id: "total",
            spec: spec("Tổng điểm", &["Tổng điểm", "Tổng", "Tổng điểm (100)"]),
        },
    ];
    for (g, id) in config.groups.iter().zip(GROUP_COLUMNS) {
        declared.push(DeclaredColumn {
            second_reading_of: None,
            id,
            spec: Some((g.name.clone(), false, g.portal_columns.clone())),
        });
    }
    let common = CommonWords {
        ignored_columns: [
            pipeline.vocabulary.common.ignored_columns.clone(),
            vec![
                "Xếp hạng".into(),
                "Hạng".into(),
                "Xếp loại".into(),
                "Mã đơn vị".into(),
            ],
        ]
        .concat(),
        footer_markers: pipeline.vocabulary.common.footer_markers.clone(),
    };
    HeaderVocab::new(
        "portal_766",
        "bảng điểm Chỉ số 766 của Cổng DVCQG",
        declared,
        &common,
        &[vec!["unit".into(), "total".into()]],
        &[],
    )
}

/// Two dates dd/mm/yyyy in the title lines: the window the table scores.
fn title_window(lines: &[String]) -> Option<(NaiveDate, NaiveDate)> {
    let text = lines.join(" ");
    let mut dates = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '/')) {
        if let Ok(d) = NaiveDate::parse_from_str(word, "%d/%m/%Y") {
            dates.push(d);
        }
    }
    match dates.as_slice() {
        [a, b, ..] if a <= b => Some((*a, *b)),
        _ => None,
    }
}

/// Reads the portal's table: every row of a registry unit, every other row named.
pub fn read(pipeline: &Pipeline, config: &Index766Config, path: &Path) -> Result<PortalTable> {
    let vocab = header_vocab(pipeline, config)?;
    let read = match crate::ingest::read_file(pipeline, 0, path, &[&vocab]) {
        Ok(r) => r,
        Err((file, problem)) => bail!(
            "không đọc được bảng điểm Cổng DVCQG {file}: {problem}. Cần một bảng có cột «Đơn vị» (hoặc «Xã, phường»), «Tổng điểm» và điểm từng nhóm ({})",
            config.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    };
    let mut out = PortalTable {
        file: read.source.display.clone(),
        title_window: None,
        rows: Vec::new(),
        unknown_units: Vec::new(),
    };
    let mut problems = Vec::new();
    for table in &read.tables {
        if out.title_window.is_none() {
            out.title_window = title_window(&table.title_lines);
        }
        let at = |c: usize| table.position(c);
        let unit_col = at(0);
        for row in &table.rows {
            let cell = |p: Option<usize>| p.map(|p| &row.cells[p]).unwrap_or(&Cell::Empty);
            let name = cell(unit_col).as_text().trim().to_string();
            if name.is_empty() {
                continue;
            }
            let mut number = |p: Option<usize>, label: &str, max: f64| -> Option<f64> {
                let c = cell(p);
                if c.is_empty() {
                    return None;
                }
                match parse_number(c) {
                    Some(v) if (0.0..=max + 1e-9).contains(&v) => Some(v),
                    _ => {
                        problems.push(format!(
                            "{}, trang {}, dòng {}, cột «{label}»: «{}» không phải điểm từ 0 đến {}",
                            out.file,
                            table.sheet,
                            row.row,
                            c.as_text(),
                            crate::vn::number(max)
                        ));
                        None
                    }
                }
            };
            let groups: Vec<(String, Option<f64>)> = config
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.id.clone(), number(at(i + 2), &g.name, g.max)))
                .collect();
            let total = number(at(1), "Tổng điểm", 100.0);
            match pipeline.units.find(&name) {
                Some(u) => out.rows.push(PortalRow {
                    unit: u.name.clone(),
                    row: row.row,
                    groups,
                    total,
                }),
                None if crate::text::match_key(&name)
                    == crate::text::match_key(&pipeline.words.whole) => {}
                None => out.unknown_units.push((row.row, name)),
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "bảng điểm Cổng DVCQG có ô không đọc được; sửa các ô này rồi chạy lại:\n{}",
            problems.join("\n")
        );
    }
    Ok(out)
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

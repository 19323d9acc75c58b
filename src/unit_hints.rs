//! What to add to the unit registry when exports name units it does not hold: the exact lines,
//! with the registry file's path, so that a commune needs no one to read the data-quality
//! workbook for it. A unit an export names once is often a typing slip, so every name is shown
//! with the rows that carry it, most first.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::config::Pipeline;
use crate::quality::{Warning, WarningKind};

/// How many unknown names are spelled out; the others are counted.
const SHOWN: usize = 5;

/// The lines to print under a run's summary for its unknown units; empty when there are none.
pub fn unknown_units(pipeline: &Pipeline, warnings: &[Warning]) -> String {
    let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
    for w in warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UnknownUnit)
    {
        let name = w.value.trim();
        if !name.is_empty() {
            *rows.entry(name).or_default() += 1;
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut by_rows: Vec<(&str, usize)> = rows.into_iter().collect();
    by_rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let levels: Vec<&str> = pipeline.units.levels.iter().map(|l| l.id.code()).collect();
    let level = levels.first().copied().unwrap_or("xa");
    let other_levels = if levels.len() > 1 {
        format!(" (hoặc {})", levels[1..].join(", "))
    } else {
        String::new()
    };
    let file = format!("\"{}\"", pipeline.units_file.display());
    let mut s = String::new();
    for (name, n) in by_rows.iter().take(SHOWN) {
        let quoted = format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
        let _ = writeln!(
            s,
            "Đơn vị «{name}» ({} dòng) không có trong danh mục đơn vị. Nếu là đơn vị của {}, thêm vào cuối {file}:\n    [[units]]\n    name = {quoted}\n    level = \"{level}\"{other_levels}\n  Nếu là cách viết khác của một đơn vị đã có, thêm {quoted} vào aliases của đơn vị đó trong {file}.",
            crate::vn::int(*n as u64),
            pipeline.district,
        );
    }
    if by_rows.len() > SHOWN {
        let _ = writeln!(
            s,
            "Và {} tên đơn vị khác không có trong danh mục (xem báo cáo chất lượng dữ liệu).",
            by_rows.len() - SHOWN
        );
    }
    s
}

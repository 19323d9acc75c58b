//! The satisfaction kind's sheet of the configured annex, `satisfaction`: the evaluations'
//! counts grouped by level, unit and field, with subtotals and a grand total. Its template is
//! `templates/annexes/muc-do-hai-long.toml`.

use anyhow::{bail, Result};

use super::figures::{SatisfactionCounts, SatisfactionFigures};
use crate::annex_sheet::{counts_sheet, empty_note, OfferedSheet, SheetContext, SheetTemplate};
use crate::sheet::SheetModel;

/// Its sheets' default templates (`templates/annexes/`, listed in `phu-luc.toml`), embedded; a
/// locality's own file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[(
    "muc-do-hai-long.toml",
    include_str!("../../../templates/annexes/muc-do-hai-long.toml"),
)];

/// The sheet kinds it offers and the values of each.
pub fn offered() -> Vec<OfferedSheet> {
    vec![OfferedSheet::counts::<SatisfactionCounts>("satisfaction")]
}

/// The body of its sheet, under the frame already drawn.
pub fn sheet(
    f: &SatisfactionFigures,
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    ctx: &SheetContext,
) -> Result<SheetModel> {
    match t.kind.as_str() {
        "satisfaction" if f.rows.is_empty() => {
            empty_note(t, &mut m, body);
            Ok(m)
        }
        "satisfaction" => {
            let rows = f
                .rows
                .iter()
                .map(|r| {
                    let c = SatisfactionCounts::of(&r.counts, &f.satisfied_levels);
                    (r.level, r.unit.as_str(), r.field.as_str(), c)
                })
                .collect();
            counts_sheet(t, m, body, ctx.pipeline, rows)
        }
        other => bail!("lỗi chương trình: loại đánh giá không có trang phụ lục «{other}»"),
    }
}

//! The annex sheet «Chỉ số 766» of `cchc run` (template `templates/annexes/chi-so-766.toml`):
//! per scored unit its group points, total out of the maxima scored, band and rank, then the
//! locality. The groups are those of `index766.toml`, so the template's `groups` column
//! becomes one column per group, headed by the group's name and maximum.

use crate::render::annex::model::{SheetModel, Style, Value};
use crate::render::annex::template::SheetTemplate;
use crate::sheet::{row_height, text_lines};

use crate::index766::estimate::UnitScore;
use crate::index766::in_run::Index766Of;

/// The names the sheet's columns may show.
pub const VALUES: &[&str] = &["rank", "unit", "groups", "total", "max", "band"];

/// The template with its `groups` column made one column per configured group (header: the
/// template's header lines, then "\<group name\> (\<max\>)"); without 766 figures it is dropped,
/// with the title lines that name the window.
pub fn expand(t: &SheetTemplate, of: Option<Index766Of>) -> SheetTemplate {
    let mut out = t.clone();
    let Some(of) = of else {
        // No figures, no window: the title's first line and the sheet's `empty` sentence.
        out.columns.retain(|c| c.value != "groups");
        out.title.truncate(1);
        return out;
    };
    out.columns = t
        .columns
        .iter()
        .flat_map(|c| {
            if c.value != "groups" {
                return vec![c.clone()];
            }
            of.config
                .groups
                .iter()
                .map(|g| {
                    let mut col = c.clone();
                    col.value = format!("group:{}", g.id);
                    col.header
                        .push(format!("{} ({})", g.name, crate::vn::number(g.max)));
                    col
                })
                .collect()
        })
        .collect();
    out
}

fn points(v: Option<f64>, no_data: &str, total: bool) -> (Value, Style) {
    match (v, total) {
        (Some(x), false) => (Value::Number(x), Style::Rate),
        (Some(x), true) => (Value::Number(x), Style::TotalRate),
        (None, false) => (Value::Text(no_data.to_string()), Style::TextCenter),
        (None, true) => (Value::Text(no_data.to_string()), Style::TotalText),
    }
}

fn row(t: &SheetTemplate, m: &mut SheetModel, r: u32, stt: Option<usize>, u: &UnitScore) {
    let total = u.level.is_none();
    let (no_data, no_band) = (t.state_word(0), t.state_word(1));
    for (c, col) in t.columns.iter().enumerate() {
        let text_style = if total { Style::TotalText } else { Style::Text };
        let (value, style) = match col.value.as_str() {
            "stt" => match stt {
                Some(n) => (Value::Text(n.to_string()), Style::TextCenter),
                None => (Value::Blank, text_style),
            },
            "rank" => match u.rank {
                Some(n) => (Value::Number(n.into()), Style::Integer),
                None => (Value::Blank, text_style),
            },
            "unit" => (Value::Text(u.unit.clone()), text_style),
            // Total and max count the indicators with points; none has: no data, not 0.
            "total" => points((u.max > 0.0).then_some(u.total), no_data, total),
            "max" => points((u.max > 0.0).then_some(u.max), no_data, total),
            "band" => (
                Value::Text(u.band.clone().unwrap_or_else(|| no_band.to_string())),
                text_style,
            ),
            key => {
                let id = key.strip_prefix("group:").unwrap_or(key);
                points(u.group_points(id), no_data, total)
            }
        };
        m.set(r, c as u16, value, style);
    }
}

/// Fills the sheet (its template already [`expand`]ed) from the body row on.
pub fn sheet(
    t: &SheetTemplate,
    mut m: SheetModel,
    body: u32,
    of: Option<Index766Of>,
) -> SheetModel {
    let Some(of) = of else {
        crate::annex_sheet::empty_note(t, &mut m, body);
        return m;
    };
    // The groups' header row (the one above the body) as tall as its longest name, a line
    // more for bold words wrapped whole.
    let lines = 1 + t
        .columns
        .iter()
        .filter(|c| c.value.starts_with("group:"))
        .filter_map(|c| Some(text_lines(Some(c.width), c.header.last()?)))
        .max()
        .unwrap_or(1);
    if let Some(h) = m.row_heights.iter_mut().find(|h| h.0 + 1 == body) {
        h.1 = h.1.max(row_height(lines, t.font_size));
    }
    let s = of.scores;
    for (i, u) in s.units.iter().enumerate() {
        row(t, &mut m, body + i as u32, Some(i + 1), u);
    }
    row(t, &mut m, body + s.units.len() as u32, None, &s.locality);
    m
}

//! The national portal's published 766 scores of the sample's communes for the calendar quarter
//! `cchc run` scores on the sample (2024-Q1: 01/01–31/03/2024; `index766.md` §5), so that a run
//! shows the imported groups filled and the estimate set beside the portal.
//!
//! The portal computes with the formulas cchc's estimate follows, so each group's published score
//! is the estimate of its computed indicators (cchc's scorecard on the files just written) plus
//! the points of its imported indicators (catalogue, sync, population data: drawn, most near
//! full marks). One commune's «Tiến độ giải quyết» is published 2 points lower, as a portal
//! counting a withdrawn or unsynchronized dossier otherwise would: the run flags that commune and
//! group only.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::render::{Book, Cell, Row, RowKind, Sheet};
use super::rng::{derive, SplitMix64};
use super::{write, FileDetail};

/// The commune whose «Tiến độ giải quyết» the portal publishes 2 points below the estimate.
pub const DIFFERING_UNIT: &str = "Xã Bà Điểm";
/// The group that differs.
pub const DIFFERING_GROUP: &str = "tien_do";

/// The shipped district pipeline (the portal's figures are computed with its registry and
/// `index766.toml`).
fn district_pipeline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipelines/quarterly.toml")
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Writes the portal's table after every other file of the sample is in `dir`; None (with the
/// reason) when the shipped district pipeline is not beside the generator's sources.
pub fn write_table(dir: &Path, seed: u64) -> Result<std::result::Result<FileDetail, String>> {
    let pipeline = district_pipeline();
    if !pipeline.exists() {
        return Ok(Err(format!(
            "{} not found: the portal's 766 table was not written",
            pipeline.display()
        )));
    }
    let scratch = tempfile::tempdir()?;
    let (_, config, mut results) =
        cchc::scorecard::run::compute_request(&cchc::scorecard::run::ScorecardRequest {
            pipeline,
            periods: "2024-Q1".into(),
            inputs: vec![dir.to_path_buf()],
            store: None,
            portal: Vec::new(),
            out: Some(scratch.path().to_path_buf()),
            progress: false,
            lost_limit: true,
        })
        .context("scoring the sample for the portal's table")?;
    let scores = results.remove(0).scores;
    let mut units: Vec<_> = scores.units.iter().filter(|u| !u.breakdown).collect();
    units.sort_by(|a, b| a.unit.cmp(&b.unit));
    let text = |s: &str| Cell::Text(s.to_string());
    let head: Vec<Cell> = ["STT", "Đơn vị"]
        .iter()
        .map(|h| text(h))
        .chain(config.groups.iter().map(|g| text(&g.name)))
        .chain([text("Tổng điểm")])
        .collect();
    let width = head.len();
    let title = |s: &str| {
        let mut cells = vec![Cell::Empty; width];
        cells[0] = text(s);
        Row {
            kind: RowKind::Title,
            cells,
        }
    };
    let mut rows = vec![
        title("KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG THỰC HIỆN TTHC, DVC"),
        title("Quý I năm 2024 (Từ ngày 01/01/2024 đến ngày 31/03/2024)"),
        Row {
            kind: RowKind::Header,
            cells: head,
        },
    ];
    for (i, u) in units.iter().enumerate() {
        let mut r = SplitMix64::new(derive(seed, &[41, i as u64]));
        let mut cells = vec![Cell::Num((i + 1) as f64, false), text(&u.unit)];
        let mut total = 0.0;
        for g in &config.groups {
            let of_group = u.indicators.iter().filter(|x| x.group == g.id);
            let mut points = 0.0;
            for x in of_group {
                points += match x.points {
                    Some(p) => p,
                    // Imported (or not computable from the exports): most units near full marks.
                    None => x.max * [1.0, 1.0, 0.75, 0.5][r.below(4) as usize],
                };
            }
            if u.unit == DIFFERING_UNIT && g.id == DIFFERING_GROUP {
                points -= 2.0;
            }
            let points = round2(points);
            total += points;
            cells.push(Cell::Num(points, false));
        }
        cells.push(Cell::Num(round2(total), false));
        rows.push(Row {
            kind: RowKind::Data,
            cells,
        });
    }
    let mut widths = vec![16.0; width];
    widths[0] = 6.0;
    widths[1] = 28.0;
    let n = units.len();
    let path = dir.join("cong-dvcqg-chi-so-766-2024-Q1.xlsx");
    write::write_xlsx(
        &Book {
            sheets: vec![Sheet {
                name: "Chỉ số 766".into(),
                rows,
                merges: Vec::new(),
                widths,
            }],
            data_sheet: 0,
            created: NaiveDate::from_ymd_opt(2024, 4, 2)
                .expect("date")
                .and_hms_opt(8, 0, 0)
                .expect("time"),
            title: "Chỉ số 766 - Quý I năm 2024".into(),
        },
        &path,
    )?;
    Ok(Ok(FileDetail {
        path,
        unit: "Cổng Dịch vụ công quốc gia".into(),
        level: "huyen",
        unit_column: true,
        rows: n,
        bad_rows: Vec::new(),
        habits: vec![format!(
            "the portal's published 766 scores of the {n} communes, calendar quarter 01/01–31/03/2024: six group columns and Tổng điểm; {DIFFERING_UNIT}'s «Tiến độ giải quyết» 2 points below cchc's estimate"
        )],
    }))
}

//! The units' self-report forms of the sample (self-reports.md): the forms `cchc forms` writes
//! for 2024-Q1, filled in the way units fill them — most units, two of them missing (Xã Tân
//! Hiệp, Trạm Y tế xã Đông Thạnh), a number typed as text, n > N, an empty required answer, and
//! Phòng Nội vụ's form of the quarter before, returned again.

use std::path::Path;

use anyhow::{Context, Result};

use super::rng::{derive, SplitMix64};
use super::FileDetail;
use crate::forms::{Filled, Typed};
use crate::kinds::self_report::AnswerType;

/// Units asked that return no form.
const MISSING: &[&str] = &["Xã Tân Hiệp", "Trạm Y tế xã Đông Thạnh"];

/// The shipped configuration, loaded from the files built into the binary.
fn shipped_pipeline() -> Result<crate::config::Pipeline> {
    let dir = tempfile::tempdir()?;
    for (name, text) in crate::config::DEFAULT_FILES {
        std::fs::write(dir.path().join(name), text)?;
    }
    crate::config::load(&dir.path().join("quarterly.toml"))
        .context("cấu hình mặc định không đọc được")
}

/// Writes the filled-in forms into `dir`, flat (`bieu-mau-<period>-<unit>.xlsx`).
pub fn write_forms(dir: &Path, seed: u64) -> Result<Vec<FileDetail>> {
    let pipeline = shipped_pipeline()?;
    let current = crate::forms::form_period(&pipeline, "2024-Q1")?;
    let previous = crate::forms::form_period(&pipeline, "2023-Q4")?;
    let units = pipeline.self_report.units_asked(&pipeline.units);
    let mut details = Vec::new();
    let mut write = |period: &crate::period::Period, unit: &str, i: usize| -> Result<()> {
        let mut rng = SplitMix64::new(derive(seed, &[0x5E1F, i as u64, period.year as u64]));
        let mut filled = Filled {
            preparer: "Cán bộ phụ trách CCHC".into(),
            phone: String::new(),
            ..Filled::default()
        };
        let mut bad = Vec::new();
        let mut habits = vec!["biểu mẫu do cchc forms tạo, đơn vị điền".to_string()];
        for (row, q) in pipeline.self_report.asked_of(unit).enumerate() {
            let e = &q.entry;
            let n_total = rng.range(10, 60) as f64;
            let share = 0.6 + rng.f64() * 0.4;
            let (value, total) = match (e.kind, e.id.as_str()) {
                (AnswerType::Text, _) => {
                    if rng.chance(0.3) {
                        (
                            Typed::Text("Đề nghị tập huấn thêm về ký số, số hóa hồ sơ.".into()),
                            Typed::Empty,
                        )
                    } else {
                        (Typed::Empty, Typed::Empty)
                    }
                }
                (AnswerType::YesNo, _) => (
                    Typed::Text(if rng.chance(0.85) { "Có" } else { "Không" }.into()),
                    Typed::Empty,
                ),
                (_, "2a-dinh-ky-huyen") => (Typed::Number(3.0), Typed::Number(12.0)),
                (_, "2a-dinh-ky-xa") => (Typed::Number(2.0), Typed::Number(12.0)),
                (_, "2a-dot-xuat") => (Typed::Number(1.0), Typed::Number(24.0)),
                (_, "8-ke-hoach-von") => (Typed::Number(1_250_000.0), Typed::Empty),
                (_, "8-giai-ngan") => (Typed::Number(187_500.0), Typed::Empty),
                (AnswerType::Ratio, _) => (
                    Typed::Number((n_total * share).floor()),
                    Typed::Number(n_total),
                ),
                (AnswerType::Count, _) => (Typed::Number(rng.range(0, 12) as f64), Typed::Empty),
                (_, _) => (Typed::Number(rng.range(0, 100) as f64), Typed::Empty),
            };
            let (value, total) = match (unit, e.id.as_str()) {
                // Numbers typed as text: read as the numbers they spell.
                ("Xã Nhị Bình", "10.2-ky-so") => {
                    habits.push("số liệu gõ dạng chữ («25», «40»)".into());
                    (Typed::Text("25".into()), Typed::Text("40".into()))
                }
                ("Xã Trung Chánh", "10.4-thu-cong-vu") => {
                    bad.push(("n > N".to_string(), row + 1));
                    (Typed::Number(52.0), Typed::Number(48.0))
                }
                ("Phòng Kinh tế", "10.1-van-ban-dien-tu") => {
                    bad.push(("câu hỏi bắt buộc bỏ trống".to_string(), row + 1));
                    (Typed::Empty, Typed::Empty)
                }
                _ => (value, total),
            };
            filled.answers.insert(e.id.clone(), (value, total));
        }
        let bytes = crate::forms::form(&pipeline, period, unit, Some(&filled))?;
        let path = dir.join(format!(
            "bieu-mau-{}-{}",
            period.id,
            crate::forms::file_name(unit)
        ));
        std::fs::write(&path, bytes)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        if period.id != current.id {
            habits.push(format!("biểu mẫu của kỳ trước ({})", period.id));
        }
        details.push(FileDetail {
            path,
            unit: unit.to_string(),
            level: match pipeline.units.find(unit).map(|u| u.level) {
                Some(crate::config::Level::Xa) => "xa",
                _ => "huyen",
            },
            unit_column: true,
            rows: pipeline.self_report.asked_of(unit).count(),
            bad_rows: bad,
            habits,
        });
        Ok(())
    };
    for (i, unit) in units.iter().enumerate() {
        if MISSING.contains(&unit.as_str()) {
            continue;
        }
        write(&current, unit, i)?;
    }
    write(&previous, "Phòng Nội vụ", 1000)?;
    Ok(details)
}

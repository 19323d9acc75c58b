//! The units' self-report forms of the sample (self-reports.md): the forms `cchc forms` writes
//! for 2024-Q1, filled in the way units fill them — most units, two of them missing (Xã Tân
//! Hiệp, Trạm Y tế xã Đông Thạnh), a number typed as text, n > N, an empty required answer, and
//! Phòng Nội vụ's form of the quarter before, returned again. Their "Nhiệm vụ" sheets give every
//! status of the list, completion dates as dates and as text, rows left blank, a status word not
//! in the list and an impossible completion date.

use std::path::Path;

use anyhow::{Context, Result};

use super::rng::{derive, SplitMix64};
use super::FileDetail;
use cchc::forms::{Filled, FilledTask, Typed};
use cchc::kinds::self_report::AnswerType;
use cchc::tasks::{Rule, Task, TaskStatus};

/// Units asked that return no form.
const MISSING: &[&str] = &["Xã Tân Hiệp", "Trạm Y tế xã Đông Thạnh"];

/// The shipped configuration, loaded from the files built into the binary.
fn shipped_pipeline() -> Result<cchc::config::Pipeline> {
    let dir = tempfile::tempdir()?;
    for (name, text) in cchc::config::DEFAULT_FILES {
        std::fs::write(dir.path().join(name), text)?;
    }
    cchc::config::load(&dir.path().join("quarterly.toml"))
        .context("cấu hình mặc định không đọc được")
}

/// Writes the filled-in forms into `dir`, flat (`bieu-mau-<period>-<unit>.xlsx`).
pub fn write_forms(dir: &Path, seed: u64) -> Result<Vec<FileDetail>> {
    let pipeline = shipped_pipeline()?;
    let current = cchc::forms::form_period(&pipeline, "2024-Q1")?;
    let previous = cchc::forms::form_period(&pipeline, "2023-Q4")?;
    let units = pipeline.self_report.units_asked(&pipeline.units);
    let mut details = Vec::new();
    let mut write = |period: &cchc::period::Period, unit: &str, i: usize| -> Result<()> {
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
        let questions = pipeline.self_report.asked_of(unit).count();
        if period.id == current.id {
            for (row, task) in pipeline.tasks.on_form(unit, period).enumerate() {
                let (answer, planted) = task_answer(
                    &pipeline.self_report.tasks_sheet,
                    &mut rng,
                    period,
                    unit,
                    task,
                );
                if let Some(why) = planted {
                    bad.push((why, questions + row + 1));
                }
                filled.tasks.insert(task.number.clone(), answer);
            }
        }
        let bytes = cchc::forms::form(&pipeline, period, unit, Some(&filled))?;
        let path = dir.join(format!(
            "bieu-mau-{}-{}",
            period.id,
            cchc::forms::file_name(unit)
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
                Some(cchc::config::Level::Xa) => "xa",
                _ => "huyen",
            },
            unit_column: true,
            rows: questions + pipeline.tasks.on_form(unit, period).count(),
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

/// A unit's row of a task, as units answer: finished tasks with the day and the document, work
/// under way, a few not started or left blank; Không phát sinh where the event did not happen.
/// Two rows are planted mistakes: a status word not in the list, an impossible date.
fn task_answer(
    words: &cchc::kinds::self_report::TasksSheet,
    rng: &mut SplitMix64,
    period: &cchc::period::Period,
    unit: &str,
    task: &Task,
) -> (FilledTask, Option<String>) {
    let word = |s: TaskStatus| Typed::Text(words.word(s).to_string());
    match (unit, task.number.as_str()) {
        ("Xã Xuân Thới Sơn", "3.3") => {
            return (
                FilledTask {
                    status: Typed::Text("Đã xong".into()),
                    ..FilledTask::default()
                },
                Some("tình trạng không có trong danh sách".into()),
            )
        }
        ("Phòng Tư pháp", "2.1") => {
            return (
                FilledTask {
                    status: word(TaskStatus::Done),
                    completed: Typed::Text("30/02/2024".into()),
                    evidence: "Báo cáo số 15/BC-TP".into(),
                },
                Some("ngày hoàn thành không có thật".into()),
            )
        }
        // A task due at the quarter's end, still under way: late in the report.
        ("Phòng Tài chính - Kế hoạch", "3.10") => {
            return (
                FilledTask {
                    status: word(TaskStatus::InProgress),
                    ..FilledTask::default()
                },
                None,
            )
        }
        _ => {}
    }
    let roll = rng.f64();
    let status = match task.rule {
        _ if roll < 0.06 => None,
        Rule::OnEvent if roll < 0.45 => Some(TaskStatus::NotApplicable),
        Rule::OnEvent | Rule::Continuous if roll < 0.9 => Some(TaskStatus::InProgress),
        Rule::YearEnd if roll < 0.75 => Some(TaskStatus::InProgress),
        Rule::Date | Rule::ByPeriod | Rule::EachQuarter if roll < 0.8 => Some(TaskStatus::Done),
        _ if roll < 0.92 => Some(TaskStatus::Done),
        _ => Some(TaskStatus::NotStarted),
    };
    let mut answer = FilledTask {
        status: status.map_or(Typed::Empty, word),
        ..FilledTask::default()
    };
    if status == Some(TaskStatus::Done) {
        let span = (period.end - period.start).num_days();
        let day = period.start + chrono::Duration::days(rng.range(10, span));
        answer.completed = if rng.chance(0.2) {
            Typed::Text(day.format("%d/%m/%Y").to_string())
        } else {
            Typed::Date(day)
        };
        answer.evidence = format!(
            "Văn bản số {}/{}-UBND ngày {}",
            rng.range(5, 480),
            ["KH", "BC", "QĐ", "TB"][rng.below(4) as usize],
            day.format("%d/%m/%Y")
        );
    }
    (answer, None)
}

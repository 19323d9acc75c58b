//! The units' self-report forms of the sample (self-reports.md): the forms `cchc forms` writes
//! for 2024-Q1, filled in the way units fill them — most units, two of them missing (Xã Tân
//! Hiệp, Trạm Y tế xã Đông Thạnh), a number typed as text, n > N, an empty required answer, and
//! Phòng Nội vụ's form of the quarter before, returned again. Their "Nhiệm vụ" sheets give every
//! status of the list, completion dates as dates and as text, rows left blank, a status word not
//! in the list and an impossible completion date. Most units write a few sentences for most
//! sections of their «Nội dung báo cáo» sheet.

use std::path::Path;

use anyhow::{Context, Result};

use super::rng::{derive, SplitMix64};
use super::FileDetail;
use cchc::forms::{Filled, FilledTask, Typed};
use cchc::kinds::self_report::AnswerType;
use cchc::tasks::{Rule, Task, TaskStatus};

/// What units write on their forms' «Nội dung báo cáo» sheet, by report section: plausible,
/// varied sentences about the quarter's work, no personal data.
const TEXTS: &[(&str, &[&str])] = &[
    ("chi_dao", &[
        "Đơn vị đã ban hành kế hoạch cải cách hành chính năm 2024 và phân công cụ thể cho từng bộ phận; lãnh đạo đơn vị trực tiếp chỉ đạo, kiểm tra việc thực hiện.",
        "Trong quý, đơn vị tổ chức 01 cuộc họp chuyên đề về cải cách hành chính, quán triệt các nhiệm vụ trọng tâm của Kế hoạch đến toàn thể cán bộ, công chức.",
        "Công tác tuyên truyền được thực hiện qua bảng tin, trang thông tin điện tử và các buổi sinh hoạt chi bộ, góp phần nâng cao nhận thức của cán bộ và người dân.",
    ]),
    ("the_che", &[
        "Đơn vị đã rà soát các văn bản quy phạm pháp luật thuộc lĩnh vực quản lý; không phát hiện văn bản trái pháp luật hoặc chồng chéo.",
        "Trong quý, đơn vị tham mưu ban hành 02 văn bản quy phạm pháp luật đúng trình tự, thủ tục; công tác theo dõi thi hành pháp luật được duy trì thường xuyên.",
    ]),
    ("thu_tuc", &[
        "Bộ phận một cửa thực hiện tiếp nhận, trả kết quả đúng quy trình; thủ tục hành chính được niêm yết công khai đầy đủ tại trụ sở và trên Cổng dịch vụ công.",
        "Đơn vị đã rà soát, đề xuất đơn giản hóa 03 thủ tục hành chính; tiếp tục hướng dẫn người dân nộp hồ sơ trực tuyến và thanh toán không dùng tiền mặt.",
        "Hồ sơ trễ hạn trong quý đều có văn bản xin lỗi gửi người dân; nguyên nhân chủ yếu do phải xác minh thêm thông tin với cơ quan liên quan.",
    ]),
    ("bo_may", &[
        "Tổ chức bộ máy của đơn vị ổn định, chức năng, nhiệm vụ của từng bộ phận được xác định rõ; không có thay đổi về cơ cấu tổ chức trong quý.",
        "Đơn vị thực hiện nghiêm quy định về quản lý biên chế, không để phát sinh hợp đồng lao động ngoài quy định.",
    ]),
    ("cong_vu", &[
        "Cán bộ, công chức chấp hành tốt giờ giấc làm việc và quy tắc ứng xử; trong quý không có trường hợp vi phạm kỷ luật, kỷ cương hành chính.",
        "Đơn vị cử 04 lượt cán bộ, công chức tham gia các lớp bồi dưỡng chuyên môn, nghiệp vụ và kỹ năng số do huyện tổ chức.",
    ]),
    ("tai_chinh", &[
        "Đơn vị thực hiện quy chế chi tiêu nội bộ, công khai dự toán và quyết toán ngân sách theo quy định; quản lý, sử dụng tài sản công đúng mục đích.",
        "Tiến độ giải ngân vốn đầu tư công trong quý còn chậm do vướng mắc thủ tục; đơn vị đang phối hợp với chủ đầu tư để đẩy nhanh tiến độ.",
    ]),
    ("chinh_quyen_so", &[
        "100% văn bản đi của đơn vị được ký số và gửi trên hệ thống quản lý văn bản điều hành, trừ văn bản mật.",
        "Đơn vị đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; tổ công nghệ số cộng đồng hỗ trợ người dân cài đặt và sử dụng ứng dụng định danh điện tử.",
        "Hệ thống thư điện tử công vụ được sử dụng thường xuyên trong trao đổi công việc; một số máy tính đã cũ, ảnh hưởng đến việc ký số.",
    ]),
    ("ket_qua", &[
        "Tỷ lệ hồ sơ giải quyết đúng hạn được duy trì ở mức cao; người dân đánh giá tốt thái độ phục vụ của bộ phận một cửa.",
        "Tỷ lệ hồ sơ nộp trực tuyến tăng so với quý trước nhờ công tác hướng dẫn tại chỗ của đoàn viên thanh niên.",
    ]),
    ("han_che", &[
        "Một số hồ sơ còn trễ hạn do phải phối hợp liên thông nhiều cơ quan; tỷ lệ thanh toán trực tuyến còn thấp vì người dân chưa quen sử dụng.",
        "Đường truyền mạng đôi lúc không ổn định, ảnh hưởng đến việc tiếp nhận hồ sơ trực tuyến; nhân lực làm công tác cải cách hành chính còn kiêm nhiệm.",
    ]),
    ("phuong_huong", &[
        "Quý tới, đơn vị tiếp tục rà soát, công khai thủ tục hành chính, nâng cao tỷ lệ hồ sơ trực tuyến và số hóa kết quả giải quyết.",
        "Tập trung khắc phục hồ sơ trễ hạn, tăng cường kiểm tra công vụ và đẩy mạnh tuyên truyền thanh toán không dùng tiền mặt.",
    ]),
    ("kien_nghi", &[
        "Đề nghị huyện hỗ trợ nâng cấp trang thiết bị tại bộ phận một cửa và tổ chức tập huấn thêm về ký số, số hóa hồ sơ.",
        "Đề nghị Thành phố sớm hoàn thiện việc kết nối, chia sẻ dữ liệu giữa các hệ thống chuyên ngành để giảm giấy tờ người dân phải nộp.",
    ]),
];

/// Units asked that return no form.
const MISSING: &[&str] = &["Xã Tân Hiệp", "Trạm Y tế xã Đông Thạnh"];

/// The shipped configuration, loaded from the files built into the binary.
fn shipped_pipeline() -> Result<cchc::config::Pipeline> {
    let dir = tempfile::tempdir()?;
    for (name, text) in cchc::kinds::shipped_files() {
        std::fs::write(dir.path().join(name), text)?;
    }
    cchc::kinds::load_pipeline(&dir.path().join("quarterly.toml"))
        .context("cấu hình mặc định không đọc được")
}

/// Writes the filled-in forms into `dir`, flat (`bieu-mau-<period>-<unit>.xlsx`).
pub fn write_forms(dir: &Path, seed: u64) -> Result<Vec<FileDetail>> {
    let pipeline = shipped_pipeline()?;
    let current = cchc::forms::form_period(&pipeline, "2024-Q1")?;
    let previous = cchc::forms::form_period(&pipeline, "2023-Q4")?;
    let units = cchc::kinds::self_report::config(&pipeline).units_asked(&pipeline.units);
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
        for (row, q) in cchc::kinds::self_report::config(&pipeline)
            .asked_of(unit)
            .enumerate()
        {
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
        let questions = cchc::kinds::self_report::config(&pipeline)
            .asked_of(unit)
            .count();
        // Most units write for most sections; a few write nothing. A draw of its own, so that
        // the other answers stay those of the seed.
        let mut words = SplitMix64::new(derive(seed, &[0x7E47, i as u64]));
        let mut written = 0;
        if period.id == current.id && words.chance(0.85) {
            for section in cchc::kinds::self_report::config(&pipeline).sections_of(unit) {
                let Some((_, sentences)) = TEXTS.iter().find(|(id, _)| *id == section.entry.id)
                else {
                    continue;
                };
                if words.chance(0.45) {
                    let pick = sentences[words.range(0, sentences.len() as i64 - 1) as usize];
                    filled
                        .texts
                        .insert(section.entry.number.clone(), pick.to_string());
                    written += 1;
                }
            }
        }
        if period.id == current.id {
            for (row, task) in cchc::tasks::plan(&pipeline)
                .on_form(unit, period)
                .enumerate()
            {
                let (answer, planted) = task_answer(
                    &cchc::kinds::self_report::config(&pipeline).tasks_sheet,
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
            rows: questions + cchc::tasks::plan(&pipeline).on_form(unit, period).count() + written,
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

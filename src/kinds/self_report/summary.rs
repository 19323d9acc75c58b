//! The self-report kind's lines of the run summary: who reported, the forms not counted and
//! why, and the plan's tasks.

use super::figures::SelfReportFigures;
use crate::kind::SummaryContext;
use crate::vn;

/// The kind's lines, in order.
pub fn lines(sr: &SelfReportFigures, ctx: &SummaryContext) -> Vec<String> {
    let mut out = Vec::new();
    let asked = sr.reported.len() + sr.missing.len();
    if !sr.reported.is_empty() || ctx.files.iter().any(|f| f.kind == "self_report") {
        out.push(format!(
            "Biểu mẫu báo cáo của đơn vị: {}/{} đơn vị đã báo cáo.",
            sr.reported.len(),
            asked
        ));
        if !sr.missing.is_empty() {
            out.push(format!(
                "  Chưa nộp báo cáo: {}.",
                sr.missing
                    .iter()
                    .map(|(_, u)| u.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for w in ctx.warnings.iter().filter(|w| {
            matches!(
                w.kind,
                super::STALE_FORM
                    | super::OTHER_PERIOD_FORM
                    | super::TASK_SHEET_MISSING
                    | super::TASK_NOT_ON_FORM
                    | super::TEXTS_SHEET_MISSING
            )
        }) {
            let file = ctx
                .files
                .get(w.source.file)
                .map(|f| f.display.as_str())
                .unwrap_or("");
            let why = match w.kind {
                super::STALE_FORM => format!(
                    "biểu mẫu của {} không phải phiên bản hiện hành, không tính; đơn vị cần lấy biểu mẫu hiện hành (cchc forms \"{}\" --period {}) và điền lại",
                    w.dossier_id,
                    ctx.pipeline.path.display(),
                    ctx.period.id
                ),
                super::TASK_SHEET_MISSING
                | super::TASK_NOT_ON_FORM
                | super::TEXTS_SHEET_MISSING => w.value.clone(),
                _ => format!(
                    "{} — {}: không tính vào số liệu của kỳ này (chỉ để cộng dồn từ đầu năm và giữ nhiệm vụ đã hoàn thành)",
                    w.dossier_id, w.value
                ),
            };
            out.push(format!("  {file}: {why}."));
        }
    }
    let t = &sr.tasks;
    if !t.rows.is_empty() {
        let c = &t.total;
        let (reported, leads) = t.lead_units_reported();
        let late: Vec<&str> = t
            .rows
            .iter()
            .filter(|x| x.late)
            .map(|x| x.number.as_str())
            .collect();
        out.push(format!(
            "Nhiệm vụ của Kế hoạch: {} ({} đã đến hạn); hoàn thành {}, đang thực hiện {}, chưa thực hiện {}, chưa có báo cáo {}; chậm tiến độ: {}{} ({reported}/{leads} đơn vị chủ trì đã báo cáo).",
            vn::int(c.tasks),
            vn::int(c.due),
            vn::int(c.done),
            vn::int(c.in_progress),
            vn::int(c.not_started),
            vn::int(c.not_reported),
            vn::int(c.late),
            if late.is_empty() {
                String::new()
            } else {
                format!(" — {}", late.join(", "))
            },
        ));
    }
    out
}

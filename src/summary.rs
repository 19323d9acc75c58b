//! What a person reads on the terminal: the one-screen summary of a run, and the figures table
//! of `cchc indicators`.

use std::fmt::Write;

use crate::figures::NamedCounts;
use crate::indicators::Counts;
use crate::pipeline::RunReport;
use crate::quality::RowAccount;
use crate::vn;

/// The end-of-run summary: figures met / not met, rows read, quarantined, files written.
pub fn run_summary(r: &RunReport) -> String {
    let mut s = String::new();
    let p = &r.period;
    let _ = writeln!(
        s,
        "{} — {} (từ {} đến {}, cách tính {})",
        r.pipeline.district,
        p.label(),
        vn::short_date(p.start),
        vn::short_date(p.end),
        p.rule.as_str()
    );
    let mut t = RowAccount::default();
    for a in &r.accounts {
        t.read += a.read;
        t.counted += a.counted;
        t.quarantined += a.quarantined;
        t.duplicate += a.duplicate;
        t.excluded_withdrawn += a.excluded_withdrawn;
        t.excluded_outside_period += a.excluded_outside_period;
    }
    // Rows per kind, when the files are of more than one kind.
    let mut per_kind: Vec<(&str, u64)> = Vec::new();
    for (f, a) in r.files.iter().zip(&r.accounts) {
        match per_kind.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, n)) => *n += a.read,
            None => per_kind.push((f.kind, a.read)),
        }
    }
    per_kind.sort_by_key(|(k, _)| crate::kinds::KINDS.iter().position(|x| x.id() == *k));
    let rows_word = match per_kind.as_slice() {
        [(k, _)] => format!("dòng {}", kind_word(k)),
        _ => format!(
            "dòng ({})",
            per_kind
                .iter()
                .map(|(k, n)| format!("{} {}", kind_word(k), vn::int(*n)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(
        s,
        "Đã đọc {} tệp, {} {rows_word}: tính vào kỳ {}, cách ly {}, trùng lặp {}, rút/hủy/chưa tiếp nhận {}, ngoài kỳ {}.",
        r.files.len(),
        vn::int(t.read),
        vn::int(t.counted),
        vn::int(t.quarantined),
        vn::int(t.duplicate),
        vn::int(t.excluded_withdrawn),
        vn::int(t.excluded_outside_period)
    );
    let mut c = Counts::default();
    for row in &r.indicators.dossier.form06.rows {
        c.add(&row.counts);
    }
    let _ = writeln!(
        s,
        "Hồ sơ: tiếp nhận {} (kỳ trước chuyển qua {}, mới {}, trực tuyến {}); đã giải quyết {} (đúng hạn {}); đang giải quyết {} (quá hạn {}).",
        vn::int(c.received_total()),
        vn::int(c.carried_over),
        vn::int(c.new_total()),
        vn::int(c.new_online),
        vn::int(c.resolved_total()),
        vn::percent(c.on_time_rate()),
        vn::int(c.pending_total()),
        vn::int(c.pending_overdue)
    );
    for line in crate::kinds::dossier::notes::summary_lines(&r.warnings, c.new_unknown_channel) {
        let _ = writeln!(s, "{line}");
    }
    let sat = &r.indicators.satisfaction;
    let totals = sat.totals(&r.pipeline.units);
    for (what, c) in [
        ("Đánh giá hài lòng về giải quyết TTHC", &totals.dossier),
        (
            "Khảo sát hài lòng về dịch vụ công (giáo dục, y tế)",
            &totals.public_service,
        ),
    ] {
        if c.rated() > 0 {
            let _ = writeln!(
                s,
                "{what}: {} lượt, hài lòng {}.",
                vn::int(c.rated()),
                vn::percent(sat.rate(c))
            );
        }
    }
    let pakn = &r.indicators.pakn;
    if !pakn.rows.is_empty() {
        let mut c = crate::kinds::pakn::figures::PaknCounts::default();
        for row in &pakn.rows {
            c.add(&row.counts);
        }
        let _ = writeln!(
            s,
            "Phản ánh, kiến nghị: tiếp nhận {}; đã xử lý {} (đúng hạn {}); đang xử lý {} (quá hạn {}).",
            vn::int(c.received_total()),
            vn::int(c.closed_total()),
            vn::percent(c.on_time_rate()),
            vn::int(c.pending_total()),
            vn::int(c.pending_overdue)
        );
    }
    let sr = &r.indicators.self_report;
    let asked = sr.reported.len() + sr.missing.len();
    if !sr.reported.is_empty() || r.files.iter().any(|f| f.kind == "self_report") {
        let _ = writeln!(
            s,
            "Biểu mẫu báo cáo của đơn vị: {}/{} đơn vị đã báo cáo.",
            sr.reported.len(),
            asked
        );
        if !sr.missing.is_empty() {
            let _ = writeln!(
                s,
                "  Chưa nộp báo cáo: {}.",
                sr.missing
                    .iter()
                    .map(|(_, u)| u.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for w in r.warnings.iter().filter(|w| {
            matches!(
                w.kind,
                crate::quality::WarningKind::StaleForm
                    | crate::quality::WarningKind::OtherPeriodForm
                    | crate::quality::WarningKind::TaskSheetMissing
                    | crate::quality::WarningKind::TaskNotOnForm
                    | crate::quality::WarningKind::TextsSheetMissing
            )
        }) {
            let file = r
                .files
                .get(w.source.file)
                .map(|f| f.display.as_str())
                .unwrap_or("");
            let why = match w.kind {
                crate::quality::WarningKind::StaleForm => format!(
                    "biểu mẫu của {} không phải phiên bản hiện hành, không tính; đơn vị cần lấy biểu mẫu hiện hành (cchc forms \"{}\" --period {}) và điền lại",
                    w.dossier_id, r.pipeline.path.display(), r.period.id
                ),
                crate::quality::WarningKind::TaskSheetMissing
                | crate::quality::WarningKind::TaskNotOnForm
                | crate::quality::WarningKind::TextsSheetMissing => w.value.clone(),
                _ => format!(
                    "{} — {}: không tính vào số liệu của kỳ này (chỉ để cộng dồn từ đầu năm và giữ nhiệm vụ đã hoàn thành)",
                    w.dossier_id, w.value
                ),
            };
            let _ = writeln!(s, "  {file}: {why}.");
        }
    }
    let t = &r.indicators.tasks;
    if !t.rows.is_empty() {
        let c = &t.total;
        let (reported, leads) = t.lead_units_reported();
        let late: Vec<&str> = t
            .rows
            .iter()
            .filter(|x| x.late)
            .map(|x| x.number.as_str())
            .collect();
        let _ = writeln!(
            s,
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
        );
    }
    let missing = r.pipeline.calendar.missing_years();
    if !missing.is_empty() {
        let _ = writeln!(
            s,
            "Cảnh báo: lịch ngày làm việc (pipelines/calendar.toml) chưa có năm {}: thời hạn theo ngày làm việc của các năm này chỉ trừ thứ Bảy, Chủ nhật.",
            missing
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let met = r.indicators.targets.iter().filter(|t| t.met).count();
    let missed: Vec<_> = r.indicators.targets.iter().filter(|t| !t.met).collect();
    let gaps = &r.indicators.targets_unevaluated;
    if gaps.is_empty() {
        let _ = writeln!(s, "Chỉ tiêu: {} đạt, {} không đạt.", met, missed.len());
    } else {
        let _ = writeln!(
            s,
            "Chỉ tiêu: {} đạt, {} không đạt, {} chưa đánh giá được.",
            met,
            missed.len(),
            gaps.len()
        );
    }
    for t in missed {
        let _ = writeln!(
            s,
            "  ✗ {} {} — {}: {} (chỉ tiêu {})",
            t.id,
            t.title,
            t.scope,
            t.shown(),
            t.target_shown()
        );
    }
    for g in gaps {
        let _ = writeln!(
            s,
            "  ? {} {} — {}: chưa đánh giá được: {} (chỉ tiêu {})",
            g.id,
            g.title,
            g.scope,
            g.reason,
            g.target_shown()
        );
    }
    if !r.warnings.is_empty() || !r.quarantine.is_empty() {
        let _ = writeln!(
            s,
            "Cần kiểm tra: {} dòng cách ly, {} cảnh báo (xem báo cáo chất lượng dữ liệu).",
            vn::int(r.quarantine.len() as u64),
            vn::int(r.warnings.len() as u64)
        );
    }
    s.push_str(&crate::unit_hints::unknown_units(&r.pipeline, &r.warnings));
    if !r.written.is_empty() {
        let _ = writeln!(s, "Đã ghi:");
        for w in &r.written {
            let _ = writeln!(s, "  {}", crate::ingest::display_path(w));
        }
    }
    s
}

/// Said before the summary of a run whose outputs were kept (see [`crate::rerun`]).
pub const REUSED: &str = "Đầu vào, cấu hình, mẫu và chương trình không đổi so với lần chạy trước, kết quả đã ghi còn nguyên: không tính lại (thêm --force để tính lại). Tóm tắt của lần chạy đó:";

/// The summary of a run of one or several periods: the full summary of each period, the rows
/// read once (they are the same for every period).
pub fn runs_summary(reports: &[RunReport]) -> String {
    let mut s = String::new();
    if let Some(first) = reports.first() {
        if first.files_read < first.files.len() {
            let _ = writeln!(
                s,
                "Kho dữ liệu: {} tệp, {} tệp đọc mới lần này (các tệp khác không đổi, dùng lại từ kho).",
                first.files.len(),
                first.files_read
            );
        }
    }
    if let Some(first) = reports.first().filter(|r| !r.stale_sources.is_empty()) {
        let _ = writeln!(
            s,
            "Cảnh báo: {} tệp trong kho được chuẩn hóa theo cấu hình cũ và không có trong đầu vào lần này (đọc lại chúng để áp dụng cấu hình mới): {}",
            first.stale_sources.len(),
            first.stale_sources.join(", ")
        );
    }
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&run_summary(r));
    }
    s
}

/// The form-06 figures as a plain-text table.
pub fn figures_table(r: &RunReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<6} {:<40} {:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "Cấp", "Đơn vị", "Lĩnh vực", "Nhận", "Đã GQ", "Đúng hạn", "Quá hạn", "Đang GQ", "% đúng"
    );
    for row in &r.indicators.dossier.form06.rows {
        let c = &row.counts;
        let _ = writeln!(
            s,
            "{:<6} {:<40} {:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            row.level.code(),
            row.unit,
            row.field,
            vn::int(c.received_total()),
            vn::int(c.resolved_total()),
            vn::int(c.numerator("on_time_rate")),
            vn::int(c.resolved_late),
            vn::int(c.pending_total()),
            vn::rate(c.on_time_rate())
        );
    }
    s
}

/// What a person calls the rows of a kind.
fn kind_word(kind: &str) -> &'static str {
    match kind {
        "satisfaction" => "đánh giá",
        "pakn" => "phản ánh, kiến nghị",
        "self_report" => "biểu mẫu đơn vị",
        _ => "hồ sơ",
    }
}

//! What a person reads on the terminal: the one-screen summary of a run, and the figures table
//! of `cchc indicators`.

use std::fmt::Write;

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
    let ctx = crate::kind::SummaryContext {
        pipeline: &r.pipeline,
        period: &r.period,
        files: &r.files,
        warnings: &r.warnings,
    };
    for line in r.indicators.kinds.summary(&ctx) {
        let _ = writeln!(s, "{line}");
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

/// The figures of `cchc indicators` as plain-text tables: each kind's that has one
/// ([`crate::kind::KindFigures::table`]), in registry order.
pub fn figures_table(r: &RunReport) -> String {
    r.indicators
        .kinds
        .iter()
        .filter_map(|(_, f)| f.table())
        .collect()
}

/// What a person calls the rows of a kind.
fn kind_word(kind: &str) -> &'static str {
    crate::kinds::get(kind).map_or("dòng", |k| k.rows_word())
}

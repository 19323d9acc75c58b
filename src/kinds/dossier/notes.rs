//! What the end-of-run summary says about the words of the dossier exports: the status words
//! the vocabulary does not know, each with the number of rows it drew (so that a new system's
//! words are noticed in the first run), and the dossiers never received that were left out.

use std::collections::BTreeMap;

use crate::quality::{Warning, WarningKind};
use crate::vn;

/// The summary's lines about the export words, none when there is nothing to say.
pub fn summary_lines(warnings: &[Warning], unknown_channel: u64) -> Vec<String> {
    let mut out = Vec::new();
    if unknown_channel > 0 {
        out.push(format!(
            "Hồ sơ mới tiếp nhận không rõ hình thức nộp (tệp xuất không có cột hình thức nộp): {} — Biểu 06 ghi riêng số này, không tính vào trực tuyến hay trực tiếp.",
            vn::int(unknown_channel)
        ));
    }
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    let mut never_received = 0u64;
    for w in warnings {
        match w.kind {
            WarningKind::UnknownStatus => {
                *unknown.entry(w.value.trim().to_string()).or_default() += 1
            }
            WarningKind::NotReceived => never_received += 1,
            _ => {}
        }
    }
    if !unknown.is_empty() {
        let mut words: Vec<(String, u64)> = unknown.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let words = words
            .iter()
            .map(|(w, n)| {
                let w = if w.is_empty() {
                    "(trống)"
                } else {
                    w.as_str()
                };
                format!("«{w}» {} dòng", vn::int(*n))
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(format!(
            "Trạng thái hồ sơ không có trong từ vựng (đã suy theo ngày): {words} — nếu là từ của hệ thống xuất, thêm vào mục [statuses] của pipelines/vocabulary.toml rồi chạy lại."
        ));
    }
    if never_received > 0 {
        out.push(format!(
            "Hồ sơ chưa được tiếp nhận hoặc không được tiếp nhận (không tính, liệt kê trong báo cáo chất lượng dữ liệu): {}.",
            vn::int(never_received)
        ));
    }
    out
}

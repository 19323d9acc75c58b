//! The dossiers' table of `cchc indicators --format table`: form 06 per (level, unit, field),
//! as plain text for the terminal.

use std::fmt::Write;

use super::figures::DossierFigures;
use crate::figures::NamedCounts;
use crate::vn;

/// The form-06 figures as a plain-text table.
pub fn form06(d: &DossierFigures) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<6} {:<40} {:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "Cấp", "Đơn vị", "Lĩnh vực", "Nhận", "Đã GQ", "Đúng hạn", "Quá hạn", "Đang GQ", "% đúng"
    );
    for row in &d.form06.rows {
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

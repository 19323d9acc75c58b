//! Exports in the layouts real dossier systems write (`real-exports.md` §1): the same dossiers a
//! commune's own list would hold, laid out as VNPT iGate (xlsx, and CSV with a BOM), Tân Dân
//! (an HTML table saved as `.xls`), OpenCPS and the older one-stop software (an Excel «Web Page»)
//! write them, with the national portal's status words or codes (§2). Why: the reader must take
//! these files as they come, and the sample is where a user first sees that it does.
//!
//! A real system writes what it holds, so these files carry no hand-typing habits and no broken
//! rows; the layouts without a channel column give dossiers of unknown channel.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDateTime};

use super::catalog::{Channel, Status, UNITS};
use super::dossier::{Dossier, View};
use super::render::{Book, Cell, Counts, Ctx, Row, RowKind, Sheet};
use super::rng::{derive, SplitMix64};
use super::style::{CsvOpts, DateFmt, TextForm};
use super::write;

/// A real system's dossier list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Real {
    /// VNPT iGate «Danh sách hồ sơ», xlsx: both unit columns, the portal's status words, the
    /// channel as the portal's code (`Kênh thực hiện`).
    IgateXlsx,
    /// VNPT iGate, CSV UTF-8 with a BOM: `121.0` row numbers, ISO dates with seconds, no
    /// channel column.
    IgateCsv,
    /// Tân Dân: HTML saved as `.xls`, `Ngày nộp hồ sơ` beside `Ngày nhận`, channel codes.
    TanDan,
    /// OpenCPS, xlsx with real date cells, no channel column.
    OpenCps,
    /// The older one-stop software's Excel «Web Page» (`.xls`): headers as numeric character
    /// references with line breaks, no channel column.
    OldSoftware,
}

impl Real {
    pub fn ext(self) -> &'static str {
        match self {
            Real::IgateXlsx | Real::OpenCps => "xlsx",
            Real::IgateCsv => "csv",
            Real::TanDan | Real::OldSoftware => "xls",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Real::IgateXlsx => "VNPT iGate «Danh sách hồ sơ» (xlsx): Phòng ban and Cơ quan/đơn vị, portal status words, channel codes 1–3",
            Real::IgateCsv => "VNPT iGate «Danh sách hồ sơ» (CSV UTF-8 with BOM): 121.0 row numbers, ISO dates with seconds, portal status words, no channel column",
            Real::TanDan => "Tân Dân one-stop system (HTML saved as .xls): outer table, blank merged rows, <td><strong> headers, Ngày nộp hồ sơ beside Ngày nhận, channel codes",
            Real::OpenCps => "OpenCPS (xlsx, real date cells): Ngày hẹn trả and Hạn xử lý, no channel column",
            Real::OldSoftware => "older one-stop software (Excel «Web Page» HTML as .xls): headers as numeric character references with line breaks, no channel column",
        }
    }

    fn has_channel(self) -> bool {
        matches!(self, Real::IgateXlsx | Real::TanDan)
    }
}

/// The portal's status word (real-exports.md §2) for what an export shows of a dossier.
fn portal_word(st: Status) -> &'static str {
    match st {
        Status::Received => "Được tiếp nhận",
        Status::Processing => "Đang xử lý",
        Status::Supplement => "Yêu cầu bổ sung giấy tờ",
        Status::ResultReady => "Đã xử lý xong",
        Status::Returned => "Đã trả kết quả",
        // A refusal after intake ends the dossier: the portal's «Dừng xử lý».
        Status::Refused => "Dừng xử lý",
        Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
    }
}

/// The older software's words.
fn old_word(st: Status) -> &'static str {
    match st {
        Status::Received | Status::Processing => "Đang xử lý",
        Status::Supplement => "Chờ bổ sung",
        Status::ResultReady => "Hoàn thành",
        Status::Returned => "Đã trả kết quả",
        Status::Refused => "Trả lại",
        Status::Withdrawn => "Đã rút",
    }
}

fn channel_code(c: Channel) -> &'static str {
    match c {
        Channel::Direct => "1",
        Channel::Online => "2",
        Channel::Postal => "3",
    }
}

/// When the applicant submitted: online dossiers before the office received them (that morning,
/// the evening before, or days before when the desk was busy), the others at the desk.
pub fn submitted(x: &Dossier) -> NaiveDateTime {
    if x.channel != Channel::Online {
        return x.received;
    }
    match (x.salt >> 8) % 4 {
        0 => x.received - Duration::minutes(40),
        1 => x.received.date().and_hms_opt(20, 15, 0).expect("time") - Duration::days(1),
        2 => x.received.date().and_hms_opt(21, 40, 0).expect("time") - Duration::days(3),
        _ => x.received.date().and_hms_opt(19, 5, 0).expect("time") - Duration::days(5),
    }
}

/// The officer holding a dossier (not a citizen's data; the lists keep it for internal work).
fn officer(x: &Dossier) -> String {
    let mut r = SplitMix64::new(derive(x.salt, &[31]));
    format!(
        "{} {} {}",
        r.pick(super::catalog::FAMILY),
        r.pick(super::catalog::MIDDLE_F),
        r.pick(super::catalog::GIVEN_F)
    )
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt(t: Option<NaiveDateTime>, f: TextForm) -> Cell {
    t.map_or(Cell::Empty, |t| Cell::Text(f.render(t)))
}

/// The columns of iGate's «Danh sách hồ sơ», in its order (real-exports.md §1).
const IGATE: &[&str] = &[
    "STT",
    "Số hồ sơ",
    "Tên thủ tục hành chính",
    "Tên lĩnh vực",
    "Phòng ban",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Cơ quan/đơn vị",
    "Chủ hồ sơ",
    "Số điện thoại",
    "Cán bộ xử lý hiện tại",
    "Trạng thái hồ sơ",
    "Kênh thực hiện",
];

/// Header and data rows of a layout.
fn table(real: Real, unit: usize, dossiers: &[Dossier], as_of: NaiveDateTime) -> Vec<Vec<Cell>> {
    let u = &UNITS[unit];
    let ubnd = format!("UBND {} {}", u.kind.to_lowercase(), u.short);
    let head: &[&str] = match real {
        Real::IgateXlsx => IGATE,
        // The CSV export has no channel column, the last of the list.
        Real::IgateCsv => &IGATE[..IGATE.len() - 1],
        Real::TanDan => &[
            "STT",
            "Đơn vị tiếp nhận",
            "Người tiếp nhận",
            "Tên thủ tục hành chính",
            "Mã hồ sơ",
            "Trạng thái",
            "Địa chỉ",
            "Chủ hồ sơ",
            "Ngày nộp hồ sơ",
            "Ngày nhận",
            "Ngày hẹn trả",
            "Ngày kết thúc xử lý",
            "Lĩnh vực",
            "Kênh thực hiện",
        ],
        Real::OpenCps => &[
            "STT",
            "Mã hồ sơ",
            "Tên hồ sơ",
            "Chủ hồ sơ",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Trạng thái",
            "Hạn xử lý",
            "Đơn vị giải quyết",
            "Nội dung",
            "Lĩnh vực",
            "Ngày có kết quả",
        ],
        Real::OldSoftware => &[
            "STT",
            "Số\nHS",
            "Loại hồ sơ",
            "Đơn vị\ncá nhân",
            "Địa chỉ",
            "Phường",
            "Số VB",
            "Ngày ký",
            "Ngày\nTN",
            "Ngày\nhẹn trả",
            "Ngày trả\nthực tế",
            "Lĩnh vực",
            "Đơn vị xử lý",
            "Tình trạng",
        ],
    };
    let mut rows = vec![head.iter().map(|h| text(h)).collect::<Vec<_>>()];
    let hms = TextForm::DmyHms;
    for (i, x) in dossiers.iter().enumerate() {
        let v: View = x.view(as_of);
        let n = i + 1;
        let row = match real {
            Real::IgateXlsx | Real::IgateCsv => {
                let form = if real == Real::IgateCsv {
                    TextForm::IsoHms
                } else {
                    hms
                };
                // The xlsx names the desk in «Phòng ban» and the commune in «Cơ quan/đơn vị»;
                // the CSV the commune in «Phòng ban», the other column left empty.
                let (pb, cq) = if real == Real::IgateXlsx {
                    (text("Bộ phận tiếp nhận và trả kết quả"), text(&ubnd))
                } else {
                    (text(&ubnd), Cell::Empty)
                };
                let mut r = vec![
                    if real == Real::IgateCsv {
                        text(&format!("{}.0", n + 120))
                    } else {
                        Cell::Num(n as f64, false)
                    },
                    text(&x.code),
                    text(x.proc.name),
                    text(x.field()),
                    pb,
                    text(&form.render(x.received)),
                    opt(x.due, form),
                    opt(v.completed, form),
                    cq,
                    text(&x.applicant),
                    text(&x.phone),
                    if v.resolved || v.status == Status::Withdrawn {
                        Cell::Empty
                    } else {
                        text(&officer(x))
                    },
                    text(portal_word(v.status)),
                ];
                if real.has_channel() {
                    r.push(text(channel_code(x.channel)));
                }
                r
            }
            Real::TanDan => vec![
                Cell::Num(n as f64, false),
                text(&ubnd),
                text(&officer(x)),
                text(x.proc.name),
                text(&x.code),
                text(portal_word(v.status)),
                text(&x.address),
                text(&x.applicant),
                text(&hms.render(submitted(x))),
                text(&hms.render(x.received)),
                opt(x.due, hms),
                opt(v.completed, hms),
                text(x.field()),
                text(channel_code(x.channel)),
            ],
            Real::OpenCps => {
                let date = |t: Option<NaiveDateTime>| {
                    t.map_or(Cell::Empty, |t| Cell::Date(t, DateFmt::DateTimeSec))
                };
                vec![
                    Cell::Num(n as f64, false),
                    text(&x.code),
                    text(x.proc.name),
                    text(&x.applicant),
                    date(Some(x.received)),
                    date(x.due),
                    text(portal_word(v.status)),
                    date(x.due),
                    text(&ubnd),
                    text(&format!("Hồ sơ {}", x.proc.name.to_lowercase())),
                    text(x.field()),
                    date(v.completed),
                ]
            }
            Real::OldSoftware => {
                let d = TextForm::Dmy;
                vec![
                    text(&n.to_string()),
                    text(&x.code),
                    text(x.proc.name),
                    text(&x.applicant),
                    text(&x.address),
                    text(u.name),
                    Cell::Empty,
                    Cell::Empty,
                    text(&d.render(x.received)),
                    opt(x.due, d),
                    opt(v.completed, d),
                    text(x.field()),
                    text(&ubnd),
                    text(old_word(v.status)),
                ]
            }
        };
        rows.push(row);
    }
    rows
}

fn sheet(name: &str, titles: &[&str], rows: Vec<Vec<Cell>>) -> Sheet {
    let width = rows.first().map_or(1, Vec::len);
    let mut out: Vec<Row> = titles
        .iter()
        .map(|t| Row {
            kind: RowKind::Title,
            cells: vec![text(t)],
        })
        .collect();
    for (i, cells) in rows.into_iter().enumerate() {
        out.push(Row {
            kind: if i == 0 {
                RowKind::Header
            } else {
                RowKind::Data
            },
            cells,
        });
    }
    Sheet {
        name: name.to_string(),
        rows: out,
        merges: Vec::new(),
        widths: vec![18.0; width],
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every non-ASCII character as a numeric character reference, line breaks as `<br>`.
fn ncr(s: &str) -> String {
    let mut out = String::new();
    for c in escape(s).chars() {
        match c {
            '\n' => out.push_str("<br>\n  "),
            c if (c as u32) < 128 => out.push(c),
            c => {
                let _ = write!(out, "&#{};", c as u32);
            }
        }
    }
    out
}

fn plain(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Num(v, _) => format!("{v}"),
        _ => String::new(),
    }
}

fn tan_dan_html(rows: &[Vec<Cell>]) -> String {
    let n = rows.first().map_or(1, Vec::len);
    let mut out = String::from(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\n<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>\n<table><tr><td>\n<table border=\"1\" cellpadding=\"2\">\n",
    );
    for _ in 0..2 {
        let _ = writeln!(
            out,
            "<tr><td colspan=\"{n}\" style=\"height:20px\"></td></tr>"
        );
    }
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<tr>");
        for c in row {
            let v = escape(&plain(c));
            if i == 0 {
                let _ = write!(out, "<td><strong>{v}</strong></td>");
            } else if v.starts_with('0') {
                let _ = write!(out, "<td style='mso-number-format:\"\\@\"'>{v}</td>");
            } else {
                let _ = write!(out, "<td>{v}</td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</td></tr></table>\n</body></html>\n");
    out
}

fn old_software_html(rows: &[Vec<Cell>], titles: &[String]) -> String {
    let n = rows.first().map_or(1, Vec::len);
    let mut out = String::from(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\n<meta name=ProgId content=Excel.Sheet><meta name=Generator content=\"Microsoft Excel 11\">\n</head><body>\n<table x:str border=0 cellpadding=0 cellspacing=0>\n",
    );
    for t in titles {
        let _ = writeln!(out, "<tr><td colspan={n} class=xl24>{}</td></tr>", ncr(t));
    }
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<tr>");
        for c in row {
            let v = plain(c);
            // Headers and odd data rows in character references, even rows in UTF-8.
            let cell = if i == 0 || i % 2 == 1 {
                ncr(&v)
            } else {
                escape(&v)
            };
            let class = if i == 0 { "xl26 width=90" } else { "xl27" };
            let _ = write!(out, "<td class={class}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body></html>\n");
    out
}

/// Writes one file of `ctx` in the layout `real`.
pub fn write_file(ctx: &Ctx, real: Real, path: &Path) -> Result<Counts> {
    let mut counts = Counts::default();
    let dossiers = super::render::collect(ctx, &mut counts);
    counts.rows = dossiers.len();
    let unit = ctx.style.unit;
    let rows = table(real, unit, &dossiers, ctx.spec.as_of);
    let title = format!("Danh sách hồ sơ - {}", UNITS[unit].name);
    let book = |s: Sheet| Book {
        sheets: vec![s],
        data_sheet: 0,
        created: ctx.spec.as_of,
        title: title.clone(),
    };
    let period = format!(
        "Từ ngày {} đến ngày {}",
        TextForm::Dmy.render(ctx.spec.from.and_hms_opt(0, 0, 0).expect("midnight")),
        TextForm::Dmy.render(ctx.spec.to.and_hms_opt(0, 0, 0).expect("midnight"))
    );
    match real {
        Real::IgateXlsx => write::write_xlsx(&book(sheet("Danh sách hồ sơ", &[], rows)), path)?,
        Real::OpenCps => write::write_xlsx(
            &book(sheet("DanhSachHoSo", &["DANH SÁCH HỒ SƠ"], rows)),
            path,
        )?,
        Real::IgateCsv => write::write_csv(
            &book(sheet("Sheet1", &[], rows)),
            path,
            CsvOpts {
                bom: true,
                sep: b',',
                crlf: true,
                pad: false,
            },
        )?,
        Real::TanDan => std::fs::write(path, tan_dan_html(&rows))
            .with_context(|| format!("writing {}", path.display()))?,
        Real::OldSoftware => std::fs::write(
            path,
            old_software_html(&rows, &["SỔ THEO DÕI HỒ SƠ".to_string(), period]),
        )
        .with_context(|| format!("writing {}", path.display()))?,
    }
    Ok(counts)
}

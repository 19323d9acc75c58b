//! Sample PAKN exports (`spec/pakn.md`) in the layouts of two systems:
//! - the national PAKN portal's list of the district offices (xlsx): title lines, a footer,
//!   every outcome (answered, published, refused, transferred), open and withdrawn items,
//!   items received before the period (carried over), sender, phone, content and answer columns,
//!   and a few bad rows (no code, a closing date before the received date);
//! - the city's 1022 line for the communes (CSV, UTF-8 BOM, comma): its own header words, a
//!   published flag instead of a published date;
//! - a re-export of the portal's last weeks taken later (xlsx), in which some items moved on:
//!   every row a duplicate of the first export's, the furthest status winning.
//!
//! Each item's life is drawn from a stream keyed by (seed, unit, day), so the re-export lists
//! the same items.

use std::path::Path;

use anyhow::Result;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::catalog::{self, UNITS};
use super::dossier::add_working_days;
use super::render::{Book, Cell, Merge, Row, RowKind, Sheet};
use super::rng::{derive, SplitMix64};
use super::style::{CsvOpts, DateFmt};
use super::{write, FileDetail};

const CONTENTS: &[&str] = &[
    "Đề nghị hướng dẫn thành phần hồ sơ chứng thực bản sao.",
    "Phản ánh thời gian giải quyết hồ sơ cấp giấy chứng nhận kéo dài.",
    "Kiến nghị niêm yết công khai phí, lệ phí tại bộ phận một cửa.",
    "Đề nghị giải thích quy định về cấp phép xây dựng nhà ở riêng lẻ.",
];
const FIELDS: &[&str] = &["Đất đai", "Xây dựng", "Hộ tịch", "Chứng thực", "Kinh tế"];

/// One PAKN item's life.
struct Item {
    code: String,
    unit: usize,
    field: &'static str,
    received: NaiveDate,
    /// (outcome status word, closing day); None: still open.
    closed: Option<(&'static str, NaiveDate)>,
    published: Option<NaiveDate>,
    withdrawn: bool,
    sender: String,
    phone: String,
    content: &'static str,
}

impl Item {
    /// The status an export taken on `as_of` shows, and the closing and published dates it shows.
    fn seen(&self, as_of: NaiveDate) -> (&'static str, Option<NaiveDate>, Option<NaiveDate>) {
        if self.withdrawn {
            return ("Rút", None, None);
        }
        match self.closed {
            Some((word, day)) if day <= as_of => {
                let published = self.published.filter(|p| *p <= as_of);
                if word == "Đã trả lời" && published.is_some() {
                    ("Đã công khai", Some(day), published)
                } else {
                    (word, Some(day), None)
                }
            }
            _ if self.received + Duration::days(2) <= as_of => ("Đang xử lý", None, None),
            _ => ("Chờ tiếp nhận", None, None),
        }
    }
}

fn items(seed: u64, from: NaiveDate, to: NaiveDate) -> Vec<Item> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        for (unit, info) in UNITS.iter().enumerate() {
            let mut rng =
                SplitMix64::new(derive(seed, &[11, unit as u64, d.num_days_from_ce_u64()]));
            let district = unit < catalog::FIRST_COMMUNE;
            let mean = if district { 0.05 } else { 0.03 };
            for k in 0..rng.count(mean) {
                let x = rng.f64();
                let (closed, withdrawn) = if x < 0.05 {
                    (None, true)
                } else if x < 0.62 {
                    // Answered, mostly within the 15 working days.
                    let days = if rng.chance(0.85) {
                        rng.range(3, 15)
                    } else {
                        rng.range(16, 22)
                    };
                    (
                        Some(("Đã trả lời", add_working_days(d, days as u32))),
                        false,
                    )
                } else if x < 0.72 {
                    let days = rng.range(1, 3) as u32;
                    (
                        Some(("Từ chối tiếp nhận", add_working_days(d, days))),
                        false,
                    )
                } else if x < 0.82 {
                    let days = rng.range(2, 6) as u32;
                    (
                        Some(("Chuyển cơ quan có thẩm quyền", add_working_days(d, days))),
                        false,
                    )
                } else if d + Duration::days(25) >= to {
                    (None, false)
                } else {
                    // Long open items were answered late in the end.
                    let days = rng.range(16, 30) as u32;
                    (Some(("Đã trả lời", add_working_days(d, days))), false)
                };
                let published = match closed {
                    Some(("Đã trả lời", day)) if rng.chance(0.7) => {
                        Some(day + Duration::days(rng.range(0, 6)))
                    }
                    _ => None,
                };
                let family = rng.pick(catalog::FAMILY);
                let given = rng.pick(catalog::GIVEN_F);
                out.push(Item {
                    code: format!("PAKN.{}.{:02}{:02}", d.format("%Y%m%d"), unit + 1, k + 1),
                    unit,
                    field: if district {
                        info.fields[0].0
                    } else {
                        rng.pick::<&str>(FIELDS)
                    },
                    received: d,
                    closed,
                    published,
                    withdrawn,
                    sender: format!("{family} Thị {given}"),
                    phone: format!("09{:08}", rng.range(0, 99_999_999)),
                    content: rng.pick::<&str>(CONTENTS),
                });
            }
        }
        d += Duration::days(1);
    }
    out
}

trait DayNumber {
    fn num_days_from_ce_u64(&self) -> u64;
}

impl DayNumber for NaiveDate {
    fn num_days_from_ce_u64(&self) -> u64 {
        chrono::Datelike::num_days_from_ce(self) as u64
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn date(d: Option<NaiveDate>) -> Cell {
    match d {
        Some(d) => Cell::Date(d.and_time(NaiveTime::MIN), DateFmt::Date),
        None => Cell::Empty,
    }
}

fn book(title: &str, sheet: Sheet, created: NaiveDateTime) -> Book {
    Book {
        sheets: vec![sheet],
        data_sheet: 0,
        created,
        title: title.to_string(),
    }
}

/// The national portal's list of the district offices as exported on `as_of`.
fn portal(
    items: &[&Item],
    from: NaiveDate,
    as_of: NaiveDate,
    bad: bool,
) -> (Sheet, Vec<(String, usize)>) {
    let header = [
        "STT",
        "Mã PAKN",
        "Ngày tiếp nhận",
        "Cơ quan xử lý",
        "Lĩnh vực",
        "Phân loại",
        "Trạng thái",
        "Ngày trả lời",
        "Ngày công khai",
        "Người gửi",
        "Số điện thoại",
        "Nội dung",
        "Nội dung trả lời",
    ];
    let mut rows = vec![
        Row {
            kind: RowKind::Title,
            cells: vec![text("HỆ THỐNG TIẾP NHẬN, TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ")],
        },
        Row {
            kind: RowKind::Title,
            cells: vec![text(&format!(
                "Danh sách phản ánh, kiến nghị từ ngày {} đến ngày {}",
                from.format("%d/%m/%Y"),
                as_of.format("%d/%m/%Y")
            ))],
        },
        Row {
            kind: RowKind::Blank,
            cells: vec![],
        },
        Row {
            kind: RowKind::Header,
            cells: header.iter().map(|h| text(h)).collect(),
        },
    ];
    let mut planted = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let n = i + 1;
        let (status, mut closed, published) = it.seen(as_of);
        let mut code = it.code.clone();
        if bad && n == 9 {
            code.clear();
            planted.push(("no PAKN code".to_string(), n));
        } else if bad && n == 17 && closed.is_some() {
            closed = Some(it.received - Duration::days(3));
            planted.push(("closed before received".to_string(), n));
        }
        rows.push(Row {
            kind: RowKind::Data,
            cells: vec![
                Cell::Num(n as f64, false),
                text(&code),
                date(Some(it.received)),
                text(UNITS[it.unit].name),
                text(it.field),
                text("Quy định hành chính"),
                text(status),
                date(closed),
                date(published),
                text(&it.sender),
                text(&it.phone),
                text(it.content),
                text(if closed.is_some() {
                    "Đã có văn bản trả lời gửi công dân."
                } else {
                    ""
                }),
            ],
        });
    }
    rows.push(Row {
        kind: RowKind::Footer,
        cells: vec![text(&format!(
            "Tổng cộng: {} phản ánh, kiến nghị",
            items.len()
        ))],
    });
    let merges = (0..2)
        .map(|r| Merge {
            r0: r,
            c0: 0,
            r1: r,
            c1: header.len() - 1,
        })
        .collect();
    (
        Sheet {
            name: "Danh sach PAKN".into(),
            rows,
            merges,
            widths: vec![
                6.0, 22.0, 14.0, 34.0, 16.0, 18.0, 20.0, 14.0, 14.0, 22.0, 14.0, 40.0, 30.0,
            ],
        },
        planted,
    )
}

/// Writes the PAKN exports of one window of the sample into `dir`.
pub fn write_window(
    dir: &Path,
    seed: u64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FileDetail>> {
    let all = items(seed, from, to);
    let created = to.and_time(NaiveTime::from_hms_opt(16, 30, 0).expect("time"));
    let stamp = format!("{}-{}", from.format("%Y%m%d"), to.format("%Y%m%d"));
    let mut details = Vec::new();
    let district: Vec<&Item> = all
        .iter()
        .filter(|i| i.unit < catalog::FIRST_COMMUNE)
        .collect();
    let communes: Vec<&Item> = all
        .iter()
        .filter(|i| i.unit >= catalog::FIRST_COMMUNE)
        .collect();

    let (sheet, planted) = portal(&district, from, to, true);
    let path = dir.join(format!("pakn-cong-quoc-gia-{stamp}.xlsx"));
    write::write_xlsx(&book("Danh sách PAKN", sheet, created), &path)?;
    details.push(FileDetail {
        path: path.clone(),
        unit: "(các cơ quan cấp huyện)".into(),
        level: "huyen",
        unit_column: true,
        rows: district.len(),
        bad_rows: planted,
        habits: vec![
            "PAKN portal list, title lines and footer".into(),
            "every outcome, open and withdrawn items, carried over".into(),
            "sender, phone, content and answer columns".into(),
        ],
    });

    // The portal re-exported a week later for the last four weeks: statuses moved on.
    let since = to - Duration::days(27);
    let recent: Vec<&Item> = district
        .iter()
        .copied()
        .filter(|i| i.received >= since)
        .collect();
    let later = to + Duration::days(7);
    let (sheet, _) = portal(&recent, since, later, false);
    let path = dir.join(format!(
        "pakn-cong-quoc-gia-xuat-lai-{}-{}.xlsx",
        since.format("%Y%m%d"),
        later.format("%Y%m%d")
    ));
    write::write_xlsx(
        &book("Danh sách PAKN", sheet, later.and_time(NaiveTime::MIN)),
        &path,
    )?;
    details.push(FileDetail {
        path: path.clone(),
        unit: "(các cơ quan cấp huyện)".into(),
        level: "huyen",
        unit_column: true,
        rows: recent.len(),
        bad_rows: Vec::new(),
        habits: vec!["re-export taken a week later: every row a duplicate".into()],
    });

    // The 1022 line's list of the communes.
    let header = [
        "Số hiệu",
        "Ngày nhận",
        "Đơn vị",
        "Loại PAKN",
        "Tình trạng",
        "Ngày xử lý xong",
        "Đã công khai",
        "Kênh tiếp nhận",
        "Người gửi",
        "Số điện thoại",
        "Nội dung",
    ];
    let mut rows = vec![Row {
        kind: RowKind::Header,
        cells: header.iter().map(|h| text(h)).collect(),
    }];
    for it in &communes {
        let (status, closed, published) = it.seen(to);
        let status = if status == "Đã công khai" {
            "Đã trả lời"
        } else {
            status
        };
        rows.push(Row {
            kind: RowKind::Data,
            cells: vec![
                text(&it.code),
                text(&it.received.format("%d/%m/%Y").to_string()),
                text(&format!("UBND {}", UNITS[it.unit].name)),
                text("Quy định hành chính"),
                text(&status.to_uppercase()),
                text(
                    &closed
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                ),
                text(if published.is_some() { "Có" } else { "Không" }),
                text("Tổng đài 1022"),
                text(&it.sender),
                text(&it.phone),
                text(it.content),
            ],
        });
    }
    let path = dir.join(format!("pakn-1022-xa-{stamp}.csv"));
    write::write_csv(
        &book(
            "1022",
            Sheet {
                name: "1022".into(),
                rows,
                merges: Vec::new(),
                widths: Vec::new(),
            },
            created,
        ),
        &path,
        CsvOpts {
            bom: true,
            sep: b',',
            crlf: false,
            pad: false,
        },
    )?;
    details.push(FileDetail {
        path,
        unit: "(các xã, thị trấn)".into(),
        level: "xa",
        unit_column: true,
        rows: communes.len(),
        bad_rows: Vec::new(),
        habits: vec![
            "1022 line: its own header words, statuses in capitals".into(),
            "published flag Có / Không".into(),
        ],
    });
    Ok(details)
}

//! The sample of a commune after the 2025 reform (xã Hóc Môn, reporting straight to the city):
//! one level of units — the commune's public-administration service centre, which receives most
//! dossiers, and its offices — over 2025-Q3 and 2025-Q4. Three exports, in the layouts the
//! district sample uses: the city dossier system's list (xlsx, with title lines, a footer, a few
//! late, open, withdrawn and bad rows), the evaluations of those dossiers (CSV), and the 1022
//! line's PAKN list (CSV). The pipeline `pipelines/xa-hoc-mon/` reads them.

use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use super::catalog::{self, Level, Procedure, PROCEDURES};
use super::dossier::add_working_days;
use super::render::{Book, Cell, Merge, Row, RowKind, Sheet};
use super::rng::{derive, SplitMix64};
use super::style::{CsvOpts, DateFmt};
use super::{write, FileDetail};

/// The commune's units, the share of dossiers each receives, and the fields it handles.
const UNITS: &[(&str, f64, &[&str])] = &[
    (
        "Trung tâm Phục vụ hành chính công xã Hóc Môn",
        0.8,
        &["Chứng thực", "Hộ tịch", "Đất đai", "Xây dựng"],
    ),
    (
        "Văn phòng HĐND và UBND xã Hóc Môn",
        0.08,
        &["Tiếp công dân", "Xử lý đơn"],
    ),
    (
        "Phòng Kinh tế",
        0.07,
        &["Thành lập và hoạt động của hộ kinh doanh"],
    ),
    (
        "Phòng Văn hóa - Xã hội",
        0.05,
        &["Lao động - Thương binh và Xã hội"],
    ),
];

/// Dossiers per working day over the commune.
const PER_WORKDAY: f64 = 18.0;

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn date(d: Option<NaiveDate>) -> Cell {
    match d {
        Some(d) => Cell::Date(
            d.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("time")),
            DateFmt::Date,
        ),
        None => Cell::Empty,
    }
}

fn procedures_of(field: &str) -> Vec<&'static Procedure> {
    PROCEDURES
        .iter()
        .filter(|p| p.field == field && p.level != Some(Level::Huyen))
        .collect()
}

/// One dossier of the commune.
struct Dossier {
    code: String,
    unit: usize,
    field: &'static str,
    procedure: &'static str,
    received: NaiveDate,
    due: NaiveDate,
    completed: Option<NaiveDate>,
    withdrawn: bool,
    online: bool,
    applicant: String,
    phone: String,
    /// Fee in VND (0: free).
    fee: u32,
    /// Paid online (only with a fee).
    epaid: bool,
    digitized_dossier: bool,
    digitized_result: bool,
}

fn dossiers(seed: u64, from: NaiveDate, to: NaiveDate) -> Vec<Dossier> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        if d.weekday().number_from_monday() <= 5 {
            let mut rng = SplitMix64::new(derive(seed, &[21, d.num_days_from_ce() as u64]));
            for k in 0..rng.count(PER_WORKDAY) {
                let x = rng.f64();
                let mut acc = 0.0;
                let unit = UNITS
                    .iter()
                    .position(|(_, w, _)| {
                        acc += w;
                        x < acc
                    })
                    .unwrap_or(0);
                let field = *rng.pick(UNITS[unit].2);
                let procs = procedures_of(field);
                let (procedure, days, fee) = match procs.as_slice() {
                    [] => ("Giải quyết theo quy định", 5, 0),
                    ps => {
                        let p = *rng.pick(ps);
                        (p.name, p.days.unwrap_or(3), p.fee)
                    }
                };
                let due = add_working_days(d, days.max(1));
                let y = rng.f64();
                let completed = if y < 0.02 {
                    None
                } else if y < 0.06 {
                    Some(add_working_days(due, rng.range(1, 4) as u32))
                } else if y < 0.12 && d + Duration::days(30) >= to {
                    // Still open: only recent dossiers.
                    None
                } else {
                    Some(add_working_days(d, rng.range(0, days.max(1) as i64) as u32))
                };
                let family = rng.pick(catalog::FAMILY);
                let given = rng.pick(catalog::GIVEN_M);
                let online = rng.chance(0.45);
                // The 766 flags from a stream of their own: the dossiers' other values stay
                // those of the sample before the flags were written.
                let mut flags =
                    SplitMix64::new(derive(seed, &[22, d.num_days_from_ce() as u64, k]));
                let epaid = fee > 0 && flags.chance(if online { 0.65 } else { 0.15 });
                out.push(Dossier {
                    code: format!("000.00.25.X29-{}-{:04}", d.format("%y%m%d"), k + 1),
                    unit,
                    field,
                    procedure,
                    received: d,
                    due,
                    completed,
                    withdrawn: y < 0.02,
                    online,
                    applicant: format!("{family} Văn {given}"),
                    phone: format!("09{:08}", rng.range(0, 99_999_999)),
                    fee,
                    epaid,
                    digitized_dossier: flags.chance(0.63),
                    digitized_result: flags.chance(0.60),
                });
            }
        }
        d += Duration::days(1);
    }
    out
}

fn yes_no(v: bool) -> &'static str {
    if v {
        "Có"
    } else {
        "Không"
    }
}

fn book(title: &str, sheet: Sheet, at: NaiveDate) -> Book {
    Book {
        sheets: vec![sheet],
        data_sheet: 0,
        created: at.and_time(NaiveTime::from_hms_opt(8, 0, 0).expect("time")),
        title: title.to_string(),
    }
}

fn detail(
    path: &Path,
    unit: &str,
    rows: usize,
    bad: Vec<(String, usize)>,
    habit: &str,
) -> FileDetail {
    FileDetail {
        path: path.to_path_buf(),
        unit: unit.to_string(),
        level: "xa",
        unit_column: true,
        rows,
        bad_rows: bad,
        habits: vec![habit.to_string()],
    }
}

/// Writes the commune's sample exports into `dir`.
pub fn generate(dir: &Path, seed: u64) -> Result<Vec<FileDetail>> {
    generate_for(
        dir,
        seed,
        &cchc::identity::Identity::new("Xã Hóc Môn", Some("27559")),
    )
}

/// Writes the sample exports of another commune into `dir`: the same rows, its units and files
/// named after it (`cchc sample --scale commune --code`).
pub fn generate_for(
    dir: &Path,
    seed: u64,
    who: &cchc::identity::Identity,
) -> Result<Vec<FileDetail>> {
    let of_hoc_mon = format!(
        "{} {}",
        who.kind.as_deref().unwrap_or("xã").to_lowercase(),
        who.name
    );
    let local = |s: &str| s.replace("xã Hóc Môn", &of_hoc_mon);
    let slug = cchc::ingest::slug(&who.full_name);
    std::fs::create_dir_all(dir)?;
    let from = NaiveDate::from_ymd_opt(2025, 7, 1).expect("date");
    let to = NaiveDate::from_ymd_opt(2025, 12, 20).expect("date");
    let as_of = to + Duration::days(1);
    let all = dossiers(seed, from, to);
    let mut details = Vec::new();

    // 1. The city dossier system's list of the commune.
    let header = [
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục",
        "Lĩnh vực",
        "Đơn vị xử lý",
        "Người nộp",
        "Số điện thoại",
        "Hình thức nộp",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Trạng thái",
        "Lệ phí",
        "Thanh toán trực tuyến",
        "Số hóa hồ sơ",
        "Số hóa kết quả",
    ];
    let mut rows = vec![
        Row {
            kind: RowKind::Title,
            cells: vec![text(
                "HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÀNH PHỐ HỒ CHÍ MINH",
            )],
        },
        Row {
            kind: RowKind::Title,
            cells: vec![text(&format!(
                "DANH SÁCH HỒ SƠ — ỦY BAN NHÂN DÂN XÃ HÓC MÔN — TỪ NGÀY {} ĐẾN NGÀY {}",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            ))],
        },
        Row {
            kind: RowKind::Header,
            cells: header.iter().map(|h| text(h)).collect(),
        },
    ];
    let mut bad = Vec::new();
    for (i, x) in all.iter().enumerate() {
        let n = i + 1;
        let status = if x.withdrawn {
            "Đã rút hồ sơ"
        } else if x.completed.is_some_and(|c| c <= as_of) {
            "Đã trả kết quả"
        } else {
            "Đang xử lý"
        };
        let resolved = x.completed.filter(|c| !x.withdrawn && *c <= as_of);
        let mut received = date(Some(x.received));
        if n % 397 == 200 {
            received = Cell::Empty;
            bad.push(("no received date".to_string(), n));
        }
        rows.push(Row {
            kind: RowKind::Data,
            cells: vec![
                Cell::Num(n as f64, false),
                text(&x.code),
                text(x.procedure),
                text(x.field),
                text(&local(UNITS[x.unit].0)),
                text(&x.applicant),
                text(&x.phone),
                text(if x.online {
                    "Trực tuyến"
                } else {
                    "Trực tiếp"
                }),
                received,
                date(Some(x.due)),
                date(resolved),
                text(status),
                Cell::Num(f64::from(x.fee), true),
                if x.fee > 0 {
                    text(yes_no(x.epaid))
                } else {
                    Cell::Empty
                },
                text(yes_no(x.digitized_dossier)),
                if resolved.is_some() {
                    text(yes_no(x.digitized_result))
                } else {
                    Cell::Empty
                },
            ],
        });
    }
    rows.push(Row {
        kind: RowKind::Footer,
        cells: vec![text(&format!("Tổng cộng: {} hồ sơ", all.len()))],
    });
    let sheet = Sheet {
        name: "Danh sach ho so".into(),
        rows,
        merges: (0..2)
            .map(|r| Merge {
                r0: r,
                c0: 0,
                r1: r,
                c1: header.len() - 1,
            })
            .collect(),
        widths: vec![
            6.0, 26.0, 44.0, 20.0, 36.0, 22.0, 14.0, 14.0, 13.0, 13.0, 13.0, 16.0, 12.0, 12.0,
            12.0, 12.0,
        ],
    };
    let stamp = format!("{}-{}", from.format("%Y%m%d"), to.format("%Y%m%d"));
    let path = dir.join(format!("tthc-{slug}-{stamp}.xlsx"));
    write::write_xlsx(&book("Danh sách hồ sơ", sheet, as_of), &path)?;
    details.push(detail(
        &path,
        &who.full_name,
        all.len(),
        bad,
        "city system list, title lines, footer",
    ));

    // 2. Evaluations of resolved dossiers.
    let mut rows = vec![Row {
        kind: RowKind::Header,
        cells: [
            "Mã phiếu",
            "Mã hồ sơ",
            "Ngày đánh giá",
            "Mức độ hài lòng",
            "Kênh",
            "Người đánh giá",
        ]
        .iter()
        .map(|h| text(h))
        .collect(),
    }];
    let mut n_eval = 0;
    for (i, x) in all.iter().enumerate() {
        let Some(done) = x.completed.filter(|c| !x.withdrawn && *c <= to) else {
            continue;
        };
        let mut rng = SplitMix64::new(derive(seed, &[22, i as u64]));
        if !rng.chance(0.25) {
            continue;
        }
        n_eval += 1;
        let score = if rng.chance(0.96) {
            rng.range(4, 5)
        } else {
            rng.range(1, 3)
        };
        rows.push(Row {
            kind: RowKind::Data,
            cells: vec![
                text(&format!("DG-XHM-{n_eval:05}")),
                text(&x.code),
                text(&(done + Duration::days(1)).format("%d/%m/%Y").to_string()),
                Cell::Num(score as f64, false),
                text("Kiosk"),
                text(&x.applicant),
            ],
        });
    }
    let path = dir.join(format!("danh-gia-hai-long-{slug}-{stamp}.csv"));
    write::write_csv(
        &book(
            "Đánh giá",
            Sheet {
                name: "danh-gia".into(),
                rows,
                merges: Vec::new(),
                widths: Vec::new(),
            },
            as_of,
        ),
        &path,
        CsvOpts {
            bom: true,
            sep: b';',
            crlf: true,
            pad: false,
        },
    )?;
    details.push(detail(
        &path,
        &who.full_name,
        n_eval,
        Vec::new(),
        "evaluations linked to dossiers by code",
    ));

    // 3. The 1022 line's PAKN list.
    let mut rows = vec![Row {
        kind: RowKind::Header,
        cells: [
            "Số hiệu",
            "Ngày nhận",
            "Đơn vị",
            "Tình trạng",
            "Ngày xử lý xong",
            "Đã công khai",
            "Người gửi",
            "Nội dung",
        ]
        .iter()
        .map(|h| text(h))
        .collect(),
    }];
    let mut n_pakn = 0;
    let mut d = from;
    while d <= to {
        let mut rng = SplitMix64::new(derive(seed, &[23, d.num_days_from_ce() as u64]));
        if d.weekday().number_from_monday() <= 5 && rng.chance(0.25) {
            n_pakn += 1;
            let closed = if d + Duration::days(20) < to || rng.chance(0.5) {
                Some(add_working_days(d, rng.range(3, 17) as u32))
            } else {
                None
            };
            let (status, closed) = match closed {
                Some(c) if c <= to => ("Đã trả lời", Some(c)),
                _ => ("Đang xử lý", None),
            };
            rows.push(Row {
                kind: RowKind::Data,
                cells: vec![
                    text(&format!("PAKN.{}.{:04}", d.format("%Y%m%d"), n_pakn)),
                    text(&d.format("%d/%m/%Y").to_string()),
                    text(&local(UNITS[rng.range(0, 3) as usize].0)),
                    text(status),
                    text(
                        &closed
                            .map(|c| c.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                    ),
                    text(if closed.is_some() && rng.chance(0.8) {
                        "Có"
                    } else {
                        "Không"
                    }),
                    text("Người dân"),
                    text("Đề nghị hướng dẫn thủ tục."),
                ],
            });
        }
        d += Duration::days(1);
    }
    let path = dir.join(format!("pakn-1022-{slug}-{stamp}.csv"));
    write::write_csv(
        &book(
            "1022",
            Sheet {
                name: "1022".into(),
                rows,
                merges: Vec::new(),
                widths: Vec::new(),
            },
            as_of,
        ),
        &path,
        CsvOpts {
            bom: true,
            sep: b',',
            crlf: false,
            pad: false,
        },
    )?;
    details.push(detail(
        &path,
        &who.full_name,
        n_pakn,
        Vec::new(),
        "1022 PAKN list with a published flag",
    ));
    Ok(details)
}

//! Sample satisfaction exports (`spec/satisfaction.md`), drawn from the same dossiers as the
//! dossier exports so that ratings link to real sample dossiers:
//! - the city evaluation system's list (xlsx): one row per evaluation of a resolved dossier,
//!   title lines, a footer, ratings in words (several spellings), stars and "N sao", a unit cell
//!   left empty on some rows (the unit comes from the rated dossier), personal columns, and a
//!   few bad rows (an unknown rating word, a missing date);
//! - a re-export of its last weeks (CSV, UTF-8 BOM, `;`, NFD headers, scores 1–5): every row a
//!   duplicate of the first file's;
//! - the survey tallies of schools and health stations (ods): a summary per unit with a
//!   two-row header, the quarter stated in a title line, a totals row, one row whose total
//!   disagrees with its levels;
//! - the same tally for the quarter before (xlsx), which a run of 2024-Q1 excludes.

use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use unicode_normalization::UnicodeNormalization;

use super::catalog::UNITS;
use super::dossier::{day_dossiers, Outcome};
use super::render::{Book, Cell, Merge, Row, RowKind, Sheet};
use super::rng::{derive, SplitMix64};
use super::style::{CsvOpts, DateFmt};
use super::{write, FileDetail};

/// The public-service units of the shipped registry, with their group.
const PUBLIC_SERVICE: &[(&str, &str)] = &[
    ("Trường Mầm non Bà Điểm", "education"),
    ("Trường Tiểu học Đông Thạnh", "education"),
    ("Trường Trung học cơ sở Tân Xuân", "education"),
    ("Trung tâm Y tế huyện Hóc Môn", "health"),
    ("Trạm Y tế xã Bà Điểm", "health"),
    ("Trạm Y tế xã Đông Thạnh", "health"),
    ("Trạm Y tế thị trấn Hóc Môn", "health"),
];

const COMMENTS: &[&str] = &[
    "Cán bộ hướng dẫn tận tình, chu đáo.",
    "Thời gian chờ hơi lâu.",
    "Thủ tục nhanh gọn.",
    "Cần bố trí thêm ghế ngồi chờ.",
    "",
];
const CHANNELS: &[&str] = &[
    "Kiosk",
    "Cổng dịch vụ công",
    "Tin nhắn SMS",
    "Zalo",
    "Phiếu giấy",
];

/// One evaluation drawn for a resolved sample dossier.
struct Evaluation {
    code: String,
    dossier: String,
    unit: &'static str,
    /// A district office's: its code is in the city system's exports as written.
    district: bool,
    field: &'static str,
    procedure: &'static str,
    at: NaiveDateTime,
    /// 5 = very satisfied … 1 = very dissatisfied.
    score: u32,
    channel: &'static str,
    person: String,
    phone: String,
    comment: &'static str,
}

fn score(rng: &mut SplitMix64, good: f64) -> u32 {
    let x = rng.f64();
    if x < good * 0.62 {
        5
    } else if x < good {
        4
    } else if x < good + (1.0 - good) * 0.6 {
        3
    } else if x < good + (1.0 - good) * 0.9 {
        2
    } else {
        1
    }
}

/// The evaluations of dossiers resolved in [from, to], in time order.
fn evaluations(seed: u64, per_workday: f64, from: NaiveDate, to: NaiveDate) -> Vec<Evaluation> {
    let mut out = Vec::new();
    // Dossiers received a month before the window may be resolved in it.
    let mut d = from - Duration::days(30);
    while d <= to {
        for (unit, u) in UNITS.iter().enumerate() {
            for x in day_dossiers(seed, unit, d, per_workday) {
                let Outcome::Completed { at, .. } = x.outcome else {
                    continue;
                };
                let mut rng = SplitMix64::new(derive(seed, &[7, x.salt]));
                if !rng.chance(0.3) {
                    continue;
                }
                let at = at + Duration::minutes(rng.range(5, 3 * 24 * 60));
                if at.date() < from || at.date() > to {
                    continue;
                }
                // Units differ: a few are below the 95 % of target 4.2.
                let good = if unit % 5 == 3 { 0.9 } else { 0.97 };
                let score = score(&mut rng, good);
                let channel = *rng.pick(CHANNELS);
                let comment = *rng.pick(COMMENTS);
                out.push(Evaluation {
                    code: String::new(),
                    dossier: x.code.clone(),
                    unit: u.name,
                    district: unit < super::catalog::FIRST_COMMUNE,
                    field: x.field(),
                    procedure: x.proc.name,
                    at,
                    score,
                    channel,
                    person: x.applicant.clone(),
                    phone: x.phone.clone(),
                    comment,
                });
            }
        }
        d += Duration::days(1);
    }
    out.sort_by(|a, b| (a.at, &a.dossier).cmp(&(b.at, &b.dossier)));
    for (i, e) in out.iter_mut().enumerate() {
        e.code = format!("DG{}{:06}", e.at.format("%y%m"), i + 1);
    }
    out
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn row(kind: RowKind, cells: Vec<Cell>) -> Row {
    Row { kind, cells }
}

/// The rating as the city system writes it: words in a few spellings, stars, "N sao".
fn rating_word(score: u32, form: u64) -> String {
    let words = [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ];
    let w = words[score as usize - 1];
    match form % 10 {
        0 => w.to_uppercase(),
        1 => format!("{score} sao"),
        2 => "★".repeat(score as usize) + &"☆".repeat(5 - score as usize),
        3 => w.nfd().collect(),
        4 if score == 2 => "Chưa hài lòng".into(),
        _ => w.to_string(),
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

fn detail(
    path: &Path,
    unit: &str,
    rows: usize,
    bad: Vec<(String, usize)>,
    habits: &[&str],
) -> FileDetail {
    FileDetail {
        path: path.to_path_buf(),
        unit: unit.to_string(),
        level: "huyen",
        unit_column: true,
        rows,
        bad_rows: bad,
        habits: habits.iter().map(|h| h.to_string()).collect(),
    }
}

/// Writes the satisfaction exports of one window of the sample into `dir`.
pub fn write_window(
    dir: &Path,
    seed: u64,
    per_workday: f64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FileDetail>> {
    let evals = evaluations(seed, per_workday, from, to);
    let created = to.and_time(NaiveTime::from_hms_opt(17, 0, 0).expect("time"));
    let stamp = format!("{}-{}", from.format("%Y%m%d"), to.format("%Y%m%d"));
    let mut details = Vec::new();

    // 1. The city evaluation system's list.
    let header = [
        "STT",
        "Mã phiếu",
        "Mã hồ sơ",
        "Đơn vị",
        "Lĩnh vực",
        "Thủ tục",
        "Ngày đánh giá",
        "Mức độ hài lòng",
        "Hình thức đánh giá",
        "Người đánh giá",
        "Số điện thoại",
        "Ý kiến",
    ];
    let mut rows = vec![
        row(
            RowKind::Title,
            vec![text(
                "HỆ THỐNG ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG THÀNH PHỐ HỒ CHÍ MINH",
            )],
        ),
        row(
            RowKind::Title,
            vec![text(
                "DANH SÁCH KẾT QUẢ ĐÁNH GIÁ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            )],
        ),
        row(
            RowKind::Title,
            vec![text(&format!(
                "Từ ngày {} đến ngày {}",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            ))],
        ),
        row(RowKind::Blank, vec![]),
        row(RowKind::Header, header.iter().map(|h| text(h)).collect()),
    ];
    let mut bad = Vec::new();
    for (i, e) in evals.iter().enumerate() {
        let n = i + 1;
        let mut rating = rating_word(e.score, derive(seed, &[8, i as u64]));
        let mut date = Cell::Date(e.at, DateFmt::DateTimeMin);
        if n % 211 == 100 {
            rating = "Tạm được".into();
            bad.push(("unknown rating word".to_string(), n));
        } else if n % 307 == 150 {
            date = Cell::Empty;
            bad.push(("no evaluation date".to_string(), n));
        }
        // The system leaves the unit empty on kiosk rows of district offices; the dossier code
        // names it (commune one-stop lists may spell codes their own way).
        let (unit, field) = if e.district && e.channel == "Kiosk" && n % 3 == 0 {
            (Cell::Empty, Cell::Empty)
        } else {
            (text(e.unit), text(e.field))
        };
        rows.push(row(
            RowKind::Data,
            vec![
                Cell::Num(n as f64, false),
                text(&e.code),
                text(&e.dossier),
                unit,
                field,
                text(e.procedure),
                date,
                text(&rating),
                text(e.channel),
                text(&e.person),
                text(&e.phone),
                text(e.comment),
            ],
        ));
    }
    rows.push(row(
        RowKind::Footer,
        vec![text(&format!("Tổng cộng: {} phiếu", evals.len()))],
    ));
    let width = header.len() - 1;
    let merges = (0..3)
        .map(|r| Merge {
            r0: r,
            c0: 0,
            r1: r,
            c1: width,
        })
        .collect();
    let sheet = Sheet {
        name: "Danh sach danh gia".into(),
        rows,
        merges,
        widths: vec![
            6.0, 14.0, 26.0, 30.0, 24.0, 40.0, 16.0, 16.0, 16.0, 22.0, 14.0, 30.0,
        ],
    };
    let path = dir.join(format!("danh-gia-hai-long-{stamp}.xlsx"));
    write::write_xlsx(&book("Kết quả đánh giá", sheet, created), &path)?;
    details.push(detail(
        &path,
        "(nhiều đơn vị)",
        evals.len(),
        bad,
        &[
            "evaluations, one row per rating",
            "title lines with the period",
            "ratings in words, capitals, NFD, stars, N sao",
            "unit left empty on kiosk rows",
            "personal columns",
        ],
    ));

    // 2. A re-export of the last four weeks: scores as numbers, NFD headers.
    let since = to - Duration::days(27);
    let mut rows = vec![row(
        RowKind::Header,
        [
            "Mã đánh giá",
            "Số biên nhận",
            "Cơ quan",
            "Lĩnh vực",
            "Thời gian đánh giá",
            "Kết quả đánh giá",
            "Kênh",
            "Họ tên",
        ]
        .iter()
        .map(|h| Cell::Text(h.nfd().collect()))
        .collect(),
    )];
    let again: Vec<&Evaluation> = evals.iter().filter(|e| e.at.date() >= since).collect();
    for e in &again {
        rows.push(row(
            RowKind::Data,
            vec![
                text(&e.code),
                text(&e.dossier),
                text(&format!("UBND {}", e.unit).replace("UBND Phòng", "Phòng")),
                text(e.field),
                text(&e.at.format("%d/%m/%Y %H:%M").to_string()),
                Cell::Num(e.score as f64, false),
                text(e.channel),
                text(&e.person),
            ],
        ));
    }
    let sheet = Sheet {
        name: "xuat-lai".into(),
        rows,
        merges: Vec::new(),
        widths: Vec::new(),
    };
    let path = dir.join(format!(
        "danh-gia-hai-long-xuat-lai-{}-{}.csv",
        since.format("%Y%m%d"),
        to.format("%Y%m%d")
    ));
    write::write_csv(
        &book("Xuất lại", sheet, created),
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
        "(nhiều đơn vị)",
        again.len(),
        Vec::new(),
        &[
            "re-export: every row a duplicate",
            "NFD headers",
            "scores 1–5",
        ],
    ));

    // 3 and 4. Survey tallies of schools and health stations: this quarter and the one before.
    // The calendar quarter the window ends in, and the one before.
    let quarter_of = |d: NaiveDate| (d.year(), (d.month() - 1) / 3 + 1);
    let (y, q) = quarter_of(to);
    let (py, pq) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    for (k, (year, quarter)) in [(y, q), (py, pq)].into_iter().enumerate() {
        let roman = ["I", "II", "III", "IV"][quarter as usize - 1];
        let mut rng = SplitMix64::new(derive(seed, &[9, year as u64, quarter as u64]));
        let levels = [
            "Rất hài lòng",
            "Hài lòng",
            "Bình thường",
            "Không hài lòng",
            "Rất không hài lòng",
        ];
        let mut rows = vec![
            row(RowKind::Title, vec![text("ỦY BAN NHÂN DÂN HUYỆN HÓC MÔN")]),
            row(
                RowKind::Title,
                vec![text(
                    "KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG ĐỐI VỚI DỊCH VỤ GIÁO DỤC, Y TẾ",
                )],
            ),
            row(
                RowKind::Title,
                vec![text(&format!("Quý {roman} năm {year}"))],
            ),
            row(RowKind::Blank, vec![]),
        ];
        let mut top = vec![text("STT"), text("Đơn vị"), text("Mức độ hài lòng")];
        top.extend((0..4).map(|_| Cell::Empty));
        top.push(text("Tổng số phiếu"));
        rows.push(row(RowKind::Header, top));
        let mut second = vec![Cell::Empty, Cell::Empty];
        second.extend(levels.iter().map(|l| text(l)));
        second.push(Cell::Empty);
        rows.push(row(RowKind::Header, second));
        let mut totals = [0u64; 6];
        let mut bad = Vec::new();
        for (i, (unit, _group)) in PUBLIC_SERVICE.iter().enumerate() {
            let n = rng.range(30, 120) as u64;
            let good = if i == 2 { 0.9 } else { 0.97 };
            let mut counts = [0u64; 5];
            for _ in 0..n {
                counts[5 - score(&mut rng, good) as usize] += 1;
            }
            let mut total = n;
            if k == 0 && i == 5 {
                total += 2;
                bad.push(("total differs from the levels".to_string(), i + 1));
            }
            for (t, c) in totals.iter_mut().zip(counts.iter().chain([&total])) {
                *t += c;
            }
            let mut cells = vec![Cell::Num((i + 1) as f64, false), text(unit)];
            cells.extend(counts.iter().map(|c| Cell::Num(*c as f64, false)));
            cells.push(Cell::Num(total as f64, false));
            rows.push(row(RowKind::Data, cells));
        }
        let mut total_row = vec![text("Tổng cộng"), Cell::Empty];
        total_row.extend(totals.iter().map(|c| Cell::Num(*c as f64, false)));
        rows.push(row(RowKind::Footer, total_row));
        let merges = vec![
            Merge {
                r0: 0,
                c0: 0,
                r1: 0,
                c1: 7,
            },
            Merge {
                r0: 1,
                c0: 0,
                r1: 1,
                c1: 7,
            },
            Merge {
                r0: 2,
                c0: 0,
                r1: 2,
                c1: 7,
            },
            Merge {
                r0: 4,
                c0: 0,
                r1: 5,
                c1: 0,
            },
            Merge {
                r0: 4,
                c0: 1,
                r1: 5,
                c1: 1,
            },
            Merge {
                r0: 4,
                c0: 2,
                r1: 4,
                c1: 6,
            },
            Merge {
                r0: 4,
                c0: 7,
                r1: 5,
                c1: 7,
            },
            Merge {
                r0: rows.len() - 1,
                c0: 0,
                r1: rows.len() - 1,
                c1: 1,
            },
        ];
        let sheet = Sheet {
            name: "Tong hop".into(),
            rows,
            merges,
            widths: vec![6.0, 34.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0],
        };
        let b = book("Khảo sát mức độ hài lòng", sheet, created);
        let path = dir.join(format!(
            "khao-sat-truong-hoc-y-te-{year}-q{quarter}.{}",
            if k == 0 { "ods" } else { "xlsx" }
        ));
        if k == 0 {
            write::write_ods(&b, &path)?;
        } else {
            write::write_xlsx(&b, &path)?;
        }
        details.push(detail(
            &path,
            "(đơn vị sự nghiệp)",
            PUBLIC_SERVICE.len(),
            bad,
            &[
                "summary per unit, two-row header",
                "quarter stated in a title line",
                "totals row",
            ],
        ));
    }
    Ok(details)
}

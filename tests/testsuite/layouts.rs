//! Where the table sits in an export and how it is dressed (tthc-rules §6, export-columns.md):
//! title lines, a two-row header with merged cells, the column-number row, blank rows, a footer,
//! a cover sheet, notes after header names, decomposed Unicode, old tone placement, the many
//! spellings of a unit, the unit of a file without a unit column, unknown columns, and every
//! header alias. Workbooks are written here with rust_xlsxwriter; every figure is worked out by
//! hand in the comments.

use cchc::config::Level;
use cchc::pipeline::RunReport;
use cchc::quality::{RowAccount, WarningKind};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use unicode_normalization::UnicodeNormalization;

use crate::support::{account, c, counts, read_sheet, three, Case, ROWS};

/// The header of most workbooks here.
const COLS: [&str; 8] = [
    "Mã hồ sơ",
    "Đơn vị",
    "Lĩnh vực",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Hình thức nộp",
];

/// Three dossiers of Phòng Tư pháp / Chứng thực, all received in 2024-Q1 (15/12/2023 – 14/03/2024):
/// HS-1 online, completed on the due date → on time; HS-2 direct, completed a day early → early;
/// HS-3 postal, open, due 05/03 < end 14/03 → pending overdue.
/// A row account with only `read` and `counted` set (every row read is counted).
fn all_counted(n: u64) -> RowAccount {
    RowAccount {
        read: n,
        counted: n,
        ..RowAccount::default()
    }
}

/// Writes one row from column `col`: an empty string leaves the cell empty; `dd/mm/yyyy` and
/// `dd/mm/yyyy HH:MM` become real date cells (with a date format); a short whole number becomes a
/// number cell; anything else is text.
fn put_at<S: AsRef<str>>(ws: &mut Worksheet, row: u32, col: u16, cells: &[S]) {
    for (i, v) in cells.iter().enumerate() {
        let v = v.as_ref();
        let c = col + i as u16;
        if v.is_empty() {
            continue;
        }
        if let Some((dt, fmt)) = real_date(v) {
            ws.write_datetime_with_format(row, c, &dt, &Format::new().set_num_format(fmt))
                .unwrap();
        } else if v.len() < 6 && v.chars().all(|ch| ch.is_ascii_digit()) {
            ws.write_number(row, c, v.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(row, c, v).unwrap();
        }
    }
}

fn put<S: AsRef<str>>(ws: &mut Worksheet, row: u32, cells: &[S]) {
    put_at(ws, row, 0, cells);
}

fn real_date(v: &str) -> Option<(ExcelDateTime, &'static str)> {
    let (date, time) = match v.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let p: Vec<&str> = date.split('/').collect();
    if p.len() != 3 || p[2].len() != 4 {
        return None;
    }
    let dt =
        ExcelDateTime::from_ymd(p[2].parse().ok()?, p[1].parse().ok()?, p[0].parse().ok()?).ok()?;
    match time {
        None => Some((dt, "dd/mm/yyyy")),
        Some(t) => {
            let (h, m) = t.split_once(':')?;
            Some((
                dt.and_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?,
                "dd/mm/yyyy hh:mm",
            ))
        }
    }
}

fn save(case: &Case, name: &str, wb: &mut Workbook) {
    wb.save(case.inputs().join(name)).unwrap();
}

/// (level, unit, field) of every form-06 row, in output order.
fn rows(r: &RunReport) -> Vec<(Level, String, String)> {
    r.indicators
        .dossier()
        .form06
        .rows
        .iter()
        .map(|x| (x.level, x.unit.clone(), x.field.clone()))
        .collect()
}

fn row(level: Level, unit: &str, field: &str) -> (Level, String, String) {
    (level, unit.to_string(), field.to_string())
}

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

#[test]
fn finds_the_header_below_the_agency_name_report_title_and_export_date() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 7, "ỦY BAN NHÂN DÂN HUYỆN HÓC MÔN", &f)
        .unwrap();
    ws.merge_range(
        1,
        0,
        1,
        7,
        "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        &f,
    )
    .unwrap();
    ws.merge_range(2, 0, 2, 7, "Từ ngày 15/12/2023 đến ngày 14/03/2024", &f)
        .unwrap();
    ws.merge_range(3, 0, 3, 7, "Ngày xuất: 15/03/2024 08:00", &f)
        .unwrap();
    put(ws, 5, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 6 + i as u32, r);
    }
    save(&case, "tieu-de.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Huyen, "Phòng Tư pháp", "Chứng thực")]);
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    // The four title lines and the empty line are neither data nor quarantined.
    assert_eq!(account(&r), all_counted(3));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_a_two_row_header_with_ngay_merged_over_three_date_columns() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    // STT | Mã hồ sơ | Đơn vị | Lĩnh vực | Ngày (Tiếp nhận | Hẹn trả | Có kết quả) | Trạng thái | Hình thức nộp
    for (col, h) in [
        (0, "STT"),
        (1, "Mã hồ sơ"),
        (2, "Đơn vị"),
        (3, "Lĩnh vực"),
        (7, "Trạng thái"),
        (8, "Hình thức nộp"),
    ] {
        ws.merge_range(0, col, 1, col, h, &f).unwrap();
    }
    ws.merge_range(0, 4, 0, 6, "Ngày", &f).unwrap();
    put_at(ws, 1, 4, &["Tiếp nhận", "Hẹn trả", "Có kết quả"]);
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 2 + i as u32, &[&(i + 1).to_string()]);
        put_at(ws, 2 + i as u32, 1, r);
    }
    save(&case, "hai-dong.xlsx", &mut wb);
    let r = case.run();
    // The dates are read under Ngày tiếp nhận / Ngày hẹn trả / Ngày có kết quả: HS-1 on time,
    // HS-2 early, HS-3 overdue — only possible if all three were found.
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(account(&r), all_counted(3));
    // Neither the parent «Ngày» nor STT is an unknown column.
    let unknown: Vec<&str> = r
        .unknown_columns
        .iter()
        .map(|u| u.header.as_str())
        .collect();
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn skips_the_column_number_row_under_the_header() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(ws, 0, &["STT"]);
    put_at(ws, 0, 1, &COLS);
    put(
        ws,
        1,
        &[
            "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)",
        ],
    );
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 2 + i as u32, &[&(i + 1).to_string()]);
        put_at(ws, 2 + i as u32, 1, r);
    }
    save(&case, "so-cot.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    // (1) … (9) is not a row without a dossier code: nothing quarantined, 3 rows read.
    assert_eq!(account(&r), all_counted(3));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn counts_blank_rows_inside_the_data_apart_from_the_rows_read() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // Sheet rows: 1 header, 2 HS-1, 3 blank, 4 HS-2, 5 blank, 6 only spaces in a cell, 7 HS-3.
    put(ws, 0, &COLS);
    put(ws, 1, &ROWS[0]);
    put(ws, 3, &ROWS[1]);
    ws.write_string(5, 2, "   ").unwrap();
    put(ws, 6, &ROWS[2]);
    // A bordered empty row after the data (row 9) is the sheet's end, not a blank row inside it.
    ws.write_blank(
        8,
        0,
        &Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin),
    )
    .unwrap();
    save(&case, "dong-trong.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(
        account(&r),
        RowAccount {
            read: 3,
            counted: 3,
            blank_rows: 3,
            ..RowAccount::default()
        }
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_no_data_from_the_total_line_and_the_signatures_below_the_table() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    put(ws, 0, &["STT"]);
    put_at(ws, 0, 1, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 1 + i as u32, &[&(i + 1).to_string()]);
        put_at(ws, 1 + i as u32, 1, r);
    }
    ws.merge_range(4, 0, 4, 3, "Tổng cộng: 3 hồ sơ", &f)
        .unwrap();
    put_at(ws, 4, 4, &["3"]);
    put_at(ws, 6, 6, &["Hóc Môn, ngày 15 tháng 3 năm 2024"]);
    // The signature lines: «Người lập biểu» stands in the dossier-code column.
    put_at(
        ws,
        7,
        1,
        &["Người lập biểu", "", "", "", "", "Thủ trưởng đơn vị"],
    );
    put_at(
        ws,
        8,
        1,
        &["(Ký, ghi rõ họ tên)", "", "", "", "", "(Ký tên, đóng dấu)"],
    );
    // The signers' names: one under the dossier-code column, one under the completed column.
    put_at(
        ws,
        11,
        1,
        &["Nguyễn Văn An", "", "", "", "", "Trần Thị Bình"],
    );
    save(&case, "chan-trang.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Huyen, "Phòng Tư pháp", "Chứng thực")]);
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    // Only the three dossiers are read; no footer line is quarantined as a row without a date.
    assert_eq!(account(&r), all_counted(3));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn finds_the_data_on_the_second_sheet_after_a_cover_sheet() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("Hướng dẫn").unwrap();
    put(cover, 0, &["HƯỚNG DẪN"]);
    put(
        cover,
        1,
        &["Trang tính «Danh sách» liệt kê hồ sơ tiếp nhận trong kỳ."],
    );
    put(
        cover,
        2,
        &["Cột Mã hồ sơ: mã do hệ thống cấp; cột Ngày hẹn trả: ngày hẹn trả kết quả."],
    );
    let data = wb.add_worksheet().set_name("Danh sách").unwrap();
    put(data, 0, &["DANH SÁCH HỒ SƠ"]);
    put(data, 1, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(data, 2 + i as u32, r);
    }
    // Sheet row 6: no dossier code → quarantined, and named by its sheet and row.
    put(
        data,
        5,
        &[
            "",
            "Phòng Tư pháp",
            "Chứng thực",
            "02/02/2024",
            "05/02/2024",
            "",
            "Đang xử lý",
            "Trực tiếp",
        ],
    );
    save(&case, "hai-trang.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(
        account(&r),
        RowAccount {
            read: 4,
            counted: 3,
            quarantined: 1,
            ..RowAccount::default()
        }
    );
    assert_eq!(r.quarantine.len(), 1);
    assert_eq!(r.quarantine[0].source.sheet, "Danh sách");
    assert_eq!(r.quarantine[0].source.row, 6);
}

#[test]
fn recognises_header_names_with_a_trailing_note() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(
        ws,
        0,
        &[
            "Mã hồ sơ",
            "Đơn vị",
            "Lĩnh vực",
            "Ngày tiếp nhận (dd/mm/yyyy hh:mm)",
            "Ngày hẹn trả (dd/mm/yyyy)",
            "Ngày có kết quả (dd/mm/yyyy)",
            "Trạng thái (*)",
            "Hình thức nộp",
        ],
    );
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 1 + i as u32, r);
    }
    save(&case, "ghi-chu-cot.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(account(&r), all_counted(3));
    let unknown: Vec<&str> = r
        .unknown_columns
        .iter()
        .map(|u| u.header.as_str())
        .collect();
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn reads_decomposed_headers_and_values_as_their_composed_names() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header: Vec<String> = COLS.iter().map(|h| nfd(h)).collect();
    put(ws, 0, &header);
    for (i, r) in ROWS.iter().enumerate() {
        let cells: Vec<String> = r.iter().map(|v| nfd(v)).collect();
        put(ws, 1 + i as u32, &cells);
    }
    save(&case, "nfd.xlsx", &mut wb);
    let r = case.run();
    // Written in NFC, as the registry spells them.
    assert_eq!(rows(&r), [row(Level::Huyen, "Phòng Tư pháp", "Chứng thực")]);
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(account(&r), all_counted(3));
    // Every status, channel and unit was known in its decomposed spelling.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.unknown_columns.is_empty(), "{:?}", r.unknown_columns);
}

#[test]
fn makes_one_row_of_a_field_written_with_old_and_new_tone_placement() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(ws, 0, &COLS);
    let data: [[&str; 8]; 6] = [
        // Xã Tân Thới Nhì / Hòa giải cơ sở: direct on time, online early, direct pending within.
        [
            "HG-1",
            "Xã Tân Thới Nhì",
            "Hoà giải cơ sở",
            "02/01/2024",
            "09/01/2024",
            "09/01/2024",
            "Đã trả kết quả",
            "Trực tiếp",
        ],
        [
            "HG-2",
            "UBND xã Tân Thới Nhì",
            "Hòa giải cơ sở",
            "03/01/2024",
            "10/01/2024",
            "08/01/2024",
            "Đã trả kết quả",
            "Trực tuyến",
        ],
        [
            "HG-3",
            "Xã Tân Thới Nhì",
            "Hoà  giải  cơ sở",
            "11/03/2024",
            "25/03/2024",
            "",
            "Đang xử lý",
            "Trực tiếp",
        ],
        // Phòng Kinh tế / Thủy lợi: direct late, online pending within.
        [
            "TL-1",
            "Phòng Kinh tế",
            "Thuỷ lợi",
            "05/02/2024",
            "19/02/2024",
            "20/02/2024",
            "Đã trả kết quả",
            "Trực tiếp",
        ],
        [
            "TL-2",
            "Phòng Kinh tế",
            "Thủy lợi",
            "01/03/2024",
            "15/03/2024",
            "",
            "Đang giải quyết",
            "Trực tuyến",
        ],
        // Phòng Văn hóa và Thông tin (old placement in the unit too) / Văn hóa: postal early.
        [
            "VH-1",
            "Phòng Văn hoá và Thông tin",
            "Văn hoá",
            "06/02/2024",
            "20/02/2024",
            "16/02/2024",
            "Đã có kết quả",
            "Bưu chính",
        ],
    ];
    for (i, r) in data.iter().enumerate() {
        put(ws, 1 + i as u32, r);
    }
    save(&case, "dau-thanh.xlsx", &mut wb);
    let r = case.run();
    // Unknown fields are written with the Quốc hiệu placement (Hòa, Thủy), whichever came first.
    assert_eq!(
        rows(&r),
        [
            row(Level::Huyen, "Phòng Kinh tế", "Thủy lợi"),
            row(Level::Huyen, "Phòng Văn hóa và Thông tin", "Văn hóa"),
            row(Level::Xa, "Xã Tân Thới Nhì", "Hòa giải cơ sở"),
        ]
    );
    assert_eq!(
        counts(&r, "Xã Tân Thới Nhì", "Hòa giải cơ sở"),
        c(&[
            ("new_direct", 2),
            ("new_online", 1),
            ("resolved_on_time", 1),
            ("resolved_early", 1),
            ("pending_within", 1)
        ])
    );
    assert_eq!(
        counts(&r, "Phòng Kinh tế", "Thủy lợi"),
        c(&[
            ("new_direct", 1),
            ("new_online", 1),
            ("resolved_late", 1),
            ("pending_within", 1)
        ])
    );
    assert_eq!(
        counts(&r, "Phòng Văn hóa và Thông tin", "Văn hóa"),
        c(&[("new_postal", 1), ("resolved_early", 1)])
    );
    assert_eq!(account(&r), all_counted(6));
}

#[test]
fn makes_one_commune_of_every_spelling_of_xa_ba_diem() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(ws, 0, &COLS);
    let spellings = [
        "UBND xã Bà Điểm".to_string(),
        "ỦY BAN NHÂN DÂN XÃ BÀ ĐIỂM".to_string(),
        "Xã  Bà Điểm".to_string(),
        "Uỷ ban nhân dân xã Bà Điểm".to_string(),
        nfd("Xã Bà Điểm"),
    ];
    // The three dossiers of ROWS under the first three spellings, and two more open ones (online,
    // due 20/03 ≥ end → within) under the old-placement and decomposed spellings.
    for (i, r) in ROWS.iter().enumerate() {
        let mut cells: Vec<String> = r.iter().map(|s| s.to_string()).collect();
        cells[1] = spellings[i].clone();
        cells[2] = "Hộ tịch".into();
        put(ws, 1 + i as u32, &cells);
    }
    for (i, unit) in spellings[3..].iter().enumerate() {
        let id = format!("BD-{i}");
        put(
            ws,
            4 + i as u32,
            &[
                id.as_str(),
                unit.as_str(),
                "Hộ tịch",
                "12/03/2024",
                "20/03/2024",
                "",
                "Đã tiếp nhận",
                "Trực tuyến",
            ],
        );
    }
    save(&case, "ba-diem.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Xa, "Xã Bà Điểm", "Hộ tịch")]);
    let mut expected = three();
    expected.new_online += 2;
    expected.pending_within += 2;
    assert_eq!(counts(&r, "Xã Bà Điểm", "Hộ tịch"), expected);
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.kind == WarningKind::UnknownUnit),
        "{:?}",
        r.warnings
    );
    let json: serde_json::Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert_eq!(json["tthc"][0]["level"], "xa");
    assert_eq!(json["tthc"][0]["unit"], "Xã Bà Điểm");
}

/// The header of a file without a unit column.
const NO_UNIT_COLS: [&str; 7] = [
    "Mã hồ sơ",
    "Lĩnh vực",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Hình thức nộp",
];

/// [`ROWS`] without their unit, in the field Hộ tịch.
fn rows_without_unit() -> Vec<Vec<&'static str>> {
    ROWS.iter()
        .map(|r| {
            let mut v: Vec<&str> = r.to_vec();
            v.remove(1);
            v[1] = "Hộ tịch";
            v
        })
        .collect()
}

#[test]
fn takes_the_unit_of_a_file_without_a_unit_column_from_its_title_lines() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 2, "ỦY BAN NHÂN DÂN HUYỆN HÓC MÔN", &f)
        .unwrap();
    ws.merge_range(0, 4, 0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &f)
        .unwrap();
    ws.merge_range(1, 0, 1, 2, "UBND XÃ ĐÔNG THẠNH", &f)
        .unwrap();
    ws.merge_range(1, 4, 1, 6, "Độc lập - Tự do - Hạnh phúc", &f)
        .unwrap();
    ws.merge_range(
        3,
        0,
        3,
        6,
        "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT QUÝ I NĂM 2024",
        &f,
    )
    .unwrap();
    put(ws, 4, &NO_UNIT_COLS);
    for (i, r) in rows_without_unit().iter().enumerate() {
        put(ws, 5 + i as u32, r);
    }
    save(&case, "danh-sach-q1.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Xa, "Xã Đông Thạnh", "Hộ tịch")]);
    assert_eq!(counts(&r, "Xã Đông Thạnh", "Hộ tịch"), three());
    assert_eq!(account(&r), all_counted(3));
}

#[test]
fn takes_the_unit_of_a_file_without_a_unit_column_from_its_file_name() {
    let case = Case::new();
    let mut text = NO_UNIT_COLS.join(";");
    for r in rows_without_unit() {
        text.push('\n');
        text.push_str(&r.join(";"));
    }
    text.push('\n');
    case.file("xa-tan-hiep-q1.csv", &text);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Xa, "Xã Tân Hiệp", "Hộ tịch")]);
    assert_eq!(counts(&r, "Xã Tân Hiệp", "Hộ tịch"), three());
    assert_eq!(account(&r), all_counted(3));
}

#[test]
fn takes_the_unit_of_a_file_without_a_unit_column_from_the_pipelines_file_units() {
    let write = |case: &Case| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        put(ws, 0, &["DANH SÁCH HỒ SƠ QUÝ I/2024"]);
        put(ws, 1, &NO_UNIT_COLS);
        for (i, r) in rows_without_unit().iter().enumerate() {
            put(ws, 2 + i as u32, r);
        }
        save(case, "mot-cua-q1-2024.xlsx", &mut wb);
    };
    // Without the setting, nothing tells the unit: the file cannot be used.
    let plain = Case::new();
    write(&plain);
    let msg = plain.run_err();
    assert!(msg.contains("không có cột Đơn vị"), "{msg}");

    let case = Case::with_pipeline_edit(
        "[[inputs]]",
        "[[file_units]]\npattern = \"mot-cua-*.xlsx\"\nunit = \"Xã Trung Chánh\"\n\n[[inputs]]",
    );
    write(&case);
    let r = case.run();
    assert_eq!(rows(&r), [row(Level::Xa, "Xã Trung Chánh", "Hộ tịch")]);
    assert_eq!(counts(&r, "Xã Trung Chánh", "Hộ tịch"), three());
    assert_eq!(account(&r), all_counted(3));
}

#[test]
fn lists_unknown_columns_once_but_not_the_row_number_column() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(ws, 0, &["STT"]);
    put_at(ws, 0, 1, &COLS);
    put_at(ws, 0, 9, &["Số điện thoại", "Ghi chú"]);
    let extra = [
        ["0909123456", "Hồ sơ giấy"],
        ["0283456789", ""],
        ["", "Chờ bổ sung bản sao"],
    ];
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 1 + i as u32, &[&(i + 1).to_string()]);
        put_at(ws, 1 + i as u32, 1, r);
        put_at(ws, 1 + i as u32, 9, &extra[i]);
    }
    save(&case, "cot-la.xlsx", &mut wb);
    let r = case.run_all();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    let unknown: Vec<&str> = r
        .unknown_columns
        .iter()
        .map(|u| u.header.as_str())
        .collect();
    assert_eq!(unknown, ["Số điện thoại", "Ghi chú"]);
    // The data-quality workbook lists «Ghi chú» once and never STT.
    let sheet = read_sheet(
        &case.out().join("chat-luong-du-lieu-2024-Q1.xlsx"),
        "Cột và giá trị lạ",
    );
    let named = |h: &str| {
        sheet
            .iter()
            .filter(|row| row.get(3).is_some_and(|c| c == h))
            .count()
    };
    assert_eq!(named("Ghi chú"), 1, "{sheet:?}");
    assert_eq!(named("Số điện thoại"), 1, "{sheet:?}");
    assert_eq!(named("STT"), 0, "{sheet:?}");
}

/// Every header name of export-columns.md, by canonical column.
const ALIASES: [&[&str]; 17] = [
    &["Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận"],
    &[
        "Đơn vị",
        "Đơn vị xử lý",
        "Đơn vị tiếp nhận",
        "Cơ quan giải quyết",
        "Cơ quan thực hiện",
    ],
    &["Lĩnh vực", "Tên lĩnh vực", "Lĩnh vực TTHC"],
    &["Tên thủ tục", "Thủ tục hành chính", "Tên TTHC", "Thủ tục"],
    &["Mã thủ tục", "Mã TTHC"],
    &["Người nộp", "Chủ hồ sơ", "Tên người nộp", "Tổ chức/cá nhân"],
    &[
        "Ngày tiếp nhận",
        "Ngày nhận",
        "Thời gian tiếp nhận",
        "Ngày nộp",
    ],
    &[
        "Ngày hẹn trả",
        "Ngày hẹn trả kết quả",
        "Hạn xử lý",
        "Hạn giải quyết",
    ],
    &[
        "Ngày có kết quả",
        "Ngày hoàn thành",
        "Ngày kết thúc xử lý",
        "Ngày giải quyết xong",
    ],
    &["Ngày trả kết quả", "Ngày trả", "Thời gian trả kết quả"],
    &[
        "Trạng thái",
        "Tình trạng",
        "Trạng thái hồ sơ",
        "Tình trạng xử lý",
    ],
    &[
        "Hình thức nộp",
        "Kênh nộp",
        "Hình thức tiếp nhận",
        "Nguồn hồ sơ",
    ],
    &["Xin lỗi", "Phiếu xin lỗi", "Đã xin lỗi", "Thư xin lỗi"],
    &["Số hóa hồ sơ", "Số hóa thành phần hồ sơ"],
    &["Số hóa kết quả"],
    &["Phí, lệ phí", "Lệ phí", "Số tiền"],
    &["Thanh toán trực tuyến", "Hình thức thanh toán"],
];

/// Three dossiers in the column order of [`ALIASES`]:
/// A: online, no completed date, returned on the due date → on time (only if the returned column
///    is known); B: direct, open, due 20/03 ≥ end → within; C: postal, completed 09/02 before due
///    10/02, returned 12/02 → early (late if the returned date were taken for the completed one).
const ALIAS_ROWS: [[&str; 17]; 3] = [
    [
        "HS-A",
        "Phòng Tư pháp",
        "Chứng thực",
        "Chứng thực bản sao từ bản chính",
        "2.000815",
        "Nguyễn Văn An",
        "05/02/2024",
        "07/02/2024",
        "",
        "07/02/2024",
        "Đã trả kết quả",
        "Trực tuyến",
        "Không",
        "Có",
        "Có",
        "2000",
        "Trực tuyến",
    ],
    [
        "HS-B",
        "Phòng Tư pháp",
        "Chứng thực",
        "Chứng thực chữ ký",
        "2.000884",
        "Trần Thị Bình",
        "12/03/2024",
        "20/03/2024",
        "",
        "",
        "Đang xử lý",
        "Trực tiếp",
        "",
        "Chưa",
        "",
        "",
        "",
    ],
    [
        "HS-C",
        "Phòng Tư pháp",
        "Chứng thực",
        "Chứng thực hợp đồng",
        "2.001035",
        "Lê Văn Cường",
        "08/02/2024",
        "10/02/2024",
        "09/02/2024",
        "12/02/2024",
        "Đã trả kết quả",
        "Bưu chính",
        "",
        "x",
        "1",
        "50000",
        "Tiền mặt",
    ],
];

#[test]
fn recognises_every_header_name_of_the_export_vocabulary() {
    let widest = ALIASES.iter().map(|a| a.len()).max().unwrap();
    let mut sets: Vec<(String, Vec<String>)> = (0..widest)
        .map(|i| {
            (
                format!("tên cột thứ {}", i + 1),
                ALIASES.iter().map(|a| a[i % a.len()].to_string()).collect(),
            )
        })
        .collect();
    // Any case, any tone placement, NFC or NFD, extra spaces.
    sets.push((
        "chữ hoa".into(),
        ALIASES.iter().map(|a| a[0].to_uppercase()).collect(),
    ));
    sets.push((
        "NFD".into(),
        ALIASES.iter().map(|a| nfd(a[1 % a.len()])).collect(),
    ));
    sets.push((
        "dấu cũ, khoảng trắng thừa".into(),
        ALIASES
            .iter()
            .map(|a| {
                format!(
                    " {} ",
                    a[a.len() - 1].replace("hóa", "hoá").replace(' ', "  ")
                )
            })
            .collect(),
    ));
    for (what, header) in &sets {
        let case = Case::new();
        let mut text = header.join(";");
        for r in &ALIAS_ROWS {
            text.push('\n');
            text.push_str(&r.join(";"));
        }
        text.push('\n');
        case.file("tu-vung.csv", &text);
        let r = case.run();
        assert!(
            r.unknown_columns.is_empty(),
            "{what}: {:?}",
            r.unknown_columns
        );
        assert!(r.warnings.is_empty(), "{what}: {:?}", r.warnings);
        assert_eq!(
            counts(&r, "Phòng Tư pháp", "Chứng thực"),
            c(&[
                ("new_online", 1),
                ("new_direct", 1),
                ("new_postal", 1),
                ("resolved_on_time", 1),
                ("resolved_early", 1),
                ("pending_within", 1),
            ]),
            "{what}: {header:?}"
        );
        assert_eq!(account(&r), all_counted(3), "{what}");
    }
}

#[test]
fn reads_no_data_from_the_place_and_date_line_of_a_signature_block_without_a_total_line() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    put(ws, 0, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 1 + i as u32, r);
    }
    // Sheet row 6: the place and date line, merged over the completed … status columns; then the
    // signature lines and the signers' names, one under the dossier-code column.
    ws.merge_range(5, 5, 5, 7, "Hóc Môn, ngày 15 tháng 3 năm 2024", &f)
        .unwrap();
    put_at(
        ws,
        6,
        1,
        &["Người lập biểu", "", "", "", "Thủ trưởng đơn vị"],
    );
    put_at(ws, 10, 1, &["Nguyễn Văn An", "", "", "", "Trần Thị Bình"]);
    save(&case, "chu-ky.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(account(&r), all_counted(3));
}

#[test]
fn finds_the_list_on_the_second_sheet_after_a_summary_sheet() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let summary = wb.add_worksheet().set_name("Tổng hợp").unwrap();
    put(summary, 0, &["BẢNG TỔNG HỢP"]);
    put(
        summary,
        1,
        &[
            "STT",
            "Đơn vị",
            "Lĩnh vực",
            "Số hồ sơ",
            "Đúng hạn",
            "Trễ hạn",
        ],
    );
    put(
        summary,
        2,
        &["1", "Phòng Tư pháp", "Chứng thực", "3", "2", "0"],
    );
    let data = wb.add_worksheet().set_name("Danh sách").unwrap();
    put(data, 0, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(data, 1 + i as u32, r);
    }
    save(&case, "tong-hop-va-danh-sach.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(account(&r), all_counted(3));
}

#[test]
fn takes_the_unit_from_a_title_line_where_punctuation_follows_its_name() {
    for title in [
        "UBND XÃ ĐÔNG THẠNH - BỘ PHẬN MỘT CỬA",
        "BỘ PHẬN MỘT CỬA XÃ ĐÔNG THẠNH, HUYỆN HÓC MÔN",
        "Danh sách hồ sơ của UBND xã Đông Thạnh.",
    ] {
        let case = Case::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 6, title, &Format::new()).unwrap();
        put(ws, 1, &NO_UNIT_COLS);
        for (i, r) in rows_without_unit().iter().enumerate() {
            put(ws, 2 + i as u32, r);
        }
        save(&case, "danh-sach-q1.xlsx", &mut wb);
        let r = cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::Nothing))
            .unwrap_or_else(|e| panic!("«{title}»: {e:#}"));
        assert_eq!(
            rows(&r),
            [row(Level::Xa, "Xã Đông Thạnh", "Hộ tịch")],
            "«{title}»"
        );
        assert_eq!(counts(&r, "Xã Đông Thạnh", "Hộ tịch"), three(), "«{title}»");
    }
}

#[test]
fn reads_a_record_whose_first_cell_begins_like_a_footer_word() {
    // "Xác nhận …" is a procedure; "Xác nhận" is also a footer marker. A row with a code and a
    // received date is a record whatever its first cell says.
    let case = Case::new();
    case.file(
        "thu-tuc-truoc.csv",
        "Tên thủ tục;Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái\n\
         Đăng ký khai sinh;P-1;Xã Bà Điểm;Hộ tịch;02/01/2024;02/01/2024;02/01/2024;Đã trả kết quả\n\
         Xác nhận tình trạng hôn nhân;P-2;Xã Bà Điểm;Hộ tịch;02/01/2024;05/01/2024;09/01/2024;Đã trả kết quả\n\
         Chứng thực bản sao;P-3;Xã Bà Điểm;Hộ tịch;03/01/2024;03/01/2024;03/01/2024;Đã trả kết quả\n",
    );
    let r = case.run();
    // 3 resolved: 2 on time, 1 late (P-2); no channel column: channel unknown.
    assert_eq!(
        counts(&r, "Xã Bà Điểm", "Hộ tịch"),
        c(&[
            ("new_unknown_channel", 3),
            ("resolved_on_time", 2),
            ("resolved_late", 1)
        ])
    );
    assert_eq!(account(&r).read, 3);
}

#[test]
fn quarantines_a_bad_record_that_follows_a_subtotal_row_and_lists_the_subtotal() {
    let case = Case::new();
    case.file(
        "cong-giua.csv",
        &format!(
            "{}\nA-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp\n\
             Cộng;;;;;;;\n\
             A-3;Phòng Tư pháp;Chứng thực;;05/01/2024;;Đang xử lý;Trực tiếp\n\
             A-4;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp\n",
            crate::support::HEADER
        ),
    );
    let r = case.run();
    // A-3 has no received date: quarantined, row 4; the "Cộng" row 3 is listed as not a record.
    assert_eq!(r.quarantine.len(), 1);
    assert_eq!(
        (
            r.quarantine[0].dossier_id.as_str(),
            r.quarantine[0].source.row
        ),
        ("A-3", 4)
    );
    assert_eq!(account(&r).read, 3);
    assert_eq!(r.skipped_rows.len(), 1);
    assert_eq!(
        (
            r.skipped_rows[0].source.row,
            r.skipped_rows[0].text.as_str()
        ),
        (3, "Cộng")
    );
}

#[test]
fn lists_signature_rows_and_sheets_without_a_list_in_the_quality_account() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("Bìa").unwrap();
    put(cover, 0, &["HƯỚNG DẪN NHẬP LIỆU"]);
    let ws = wb.add_worksheet().set_name("Danh sách").unwrap();
    put(ws, 0, &COLS);
    for (i, r) in ROWS.iter().enumerate() {
        put(ws, 1 + i as u32, r);
    }
    put_at(
        ws,
        5,
        1,
        &["Người lập biểu", "", "", "", "Thủ trưởng đơn vị"],
    );
    save(&case, "co-chu-ky.xlsx", &mut wb);
    let r = case.run();
    assert_eq!(account(&r), all_counted(3));
    assert!(
        r.skipped_rows
            .iter()
            .any(|s| s.text == "Người lập biểu | Thủ trưởng đơn vị"),
        "{:?}",
        r.skipped_rows
    );
    assert!(
        r.skipped_sheets.iter().any(|s| s.sheet == "Bìa"),
        "{:?}",
        r.skipped_sheets
    );
}

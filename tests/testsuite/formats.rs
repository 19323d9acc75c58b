//! The formats exports come in and the ways they write dates (tthc-rules §6, interface.md): CSV
//! with or without BOM, `;` or `,`, CRLF; xlsx with real date cells, serial numbers and text dates
//! in every form; the committed .xls and .ods lists; which files of an input folder are read.
//! Every figure is worked out by hand in the comments (2024-Q1 = 15/12/2023 – 14/03/2024).

use std::path::Path;

use cchc::indicators::Counts;
use cchc::quality::RowAccount;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::support::{account, c, counts, root, three, Case, HEADER, ROWS};

/// Three dossiers of Phòng Tư pháp / Chứng thực, in the columns of [`HEADER`]:
/// HS-1 online, completed on the due date → on time; HS-2 direct, completed a day early → early;
/// HS-3 postal, open, due 05/03 < end 14/03 → pending overdue.
fn acc(read: u64, counted: u64, outside: u64) -> RowAccount {
    RowAccount {
        read,
        counted,
        excluded_outside_period: outside,
        ..RowAccount::default()
    }
}

/// One cell of a workbook written here.
#[derive(Clone, Copy)]
enum V {
    /// Empty.
    E,
    /// Text.
    T(&'static str),
    /// A plain number cell, no format.
    N(f64),
    /// A real date cell: y, m, d, number format.
    D(u16, u8, u8, &'static str),
    /// A real date-time cell: y, m, d, h, min, s, number format.
    Dt(u16, u8, u8, u16, u8, u8, &'static str),
}

fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<V>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in header.iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 1 + i as u32;
        for (col, v) in r.iter().enumerate() {
            let col = col as u16;
            match *v {
                V::E => {}
                V::T(s) => {
                    ws.write_string(row, col, s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(row, col, n).unwrap();
                }
                V::D(y, m, d, fmt) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    ws.write_datetime_with_format(
                        row,
                        col,
                        &dt,
                        &Format::new().set_num_format(fmt),
                    )
                    .unwrap();
                }
                V::Dt(y, m, d, h, mi, s, fmt) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d)
                        .unwrap()
                        .and_hms(h, mi, s)
                        .unwrap();
                    ws.write_datetime_with_format(
                        row,
                        col,
                        &dt,
                        &Format::new().set_num_format(fmt),
                    )
                    .unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

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

/// A dossier row of Phòng Tư pháp / Chứng thực, submitted in person, with the given dates.
fn dated(id: &'static str, received: V, due: V, completed: V, status: &'static str) -> Vec<V> {
    vec![
        V::T(id),
        V::T("Phòng Tư pháp"),
        V::T("Chứng thực"),
        received,
        due,
        completed,
        V::T(status),
        V::T("Trực tiếp"),
    ]
}

#[test]
fn reads_a_utf8_csv_with_bom_and_semicolons() {
    let case = Case::new();
    // Procedure names full of commas, so that counting commas would pick the wrong delimiter.
    let procedure = "\"Chứng thực bản sao từ bản chính, chữ ký, hợp đồng, giao dịch, di chúc, văn bản thỏa thuận, phân chia, từ chối, ủy quyền, bản dịch, giấy tờ, văn bản\"";
    let mut text = String::from("\u{FEFF}Mã hồ sơ;Đơn vị;Lĩnh vực;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp");
    for r in &ROWS {
        let mut cells: Vec<&str> = r.to_vec();
        cells.insert(3, procedure);
        text.push('\n');
        text.push_str(&cells.join(";"));
    }
    text.push('\n');
    case.file("bom-cham-phay.csv", &text);
    let r = case.run();
    // The BOM does not hide «Mã hồ sơ»: no unknown column, every row read.
    assert!(r.unknown_columns.is_empty(), "{:?}", r.unknown_columns);
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(account(&r), acc(3, 3, 0));
}

#[test]
fn reads_a_comma_csv_without_bom_whose_quoted_fields_hold_semicolons() {
    let case = Case::new();
    // Many semicolons inside quotes, so that counting semicolons would pick the wrong delimiter;
    // the field itself holds a quoted comma.
    let procedure = "\"Giải quyết khiếu nại lần đầu; lần hai; tố cáo; kiến nghị; phản ánh; tiếp công dân; xử lý đơn; hòa giải; thanh tra; kiểm tra; giám sát; báo cáo\"";
    let mut text = String::from("Mã hồ sơ,Đơn vị,Lĩnh vực,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Hình thức nộp");
    for r in &ROWS {
        let mut cells: Vec<&str> = r.to_vec();
        cells[1] = "Thanh tra huyện";
        cells[2] = "\"Khiếu nại, tố cáo\"";
        cells.insert(3, procedure);
        text.push('\n');
        text.push_str(&cells.join(","));
    }
    text.push('\n');
    case.file("dau-phay.csv", &text);
    let r = case.run();
    assert!(r.unknown_columns.is_empty(), "{:?}", r.unknown_columns);
    assert_eq!(counts(&r, "Thanh tra huyện", "Khiếu nại, tố cáo"), three());
    assert_eq!(account(&r), acc(3, 3, 0));
}

#[test]
fn reads_a_csv_with_crlf_line_ends_and_a_line_break_inside_quotes() {
    let case = Case::new();
    let mut text = String::from(HEADER);
    for (i, r) in ROWS.iter().enumerate() {
        let mut cells: Vec<&str> = r.to_vec();
        if i == 1 {
            cells[2] = "\"Chứng\r\nthực\"";
        }
        text.push_str("\r\n");
        text.push_str(&cells.join(";"));
    }
    // Row 5 as a spreadsheet program shows it (HS-2's cell holds a line break, still one row).
    text.push_str(
        "\r\nHS-4;Phòng Tư pháp;Chứng thực;30/02/2024;05/03/2024;;Đang xử lý;Trực tiếp\r\n",
    );
    case.file("crlf.csv", &text);
    let r = case.run();
    // The channel is the last column: a stray \r would make it unknown (counted direct, warned).
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), three());
    assert_eq!(r.quarantine.len(), 1);
    assert_eq!(r.quarantine[0].source.row, 5, "{:?}", r.quarantine[0]);
    assert_eq!(
        account(&r),
        RowAccount {
            read: 4,
            counted: 3,
            quarantined: 1,
            ..RowAccount::default()
        }
    );
}

#[test]
fn reads_real_excel_dates_with_and_without_a_time_on_their_calendar_day() {
    let case = Case::new();
    const D: &str = "dd/mm/yyyy";
    const DT: &str = "dd/mm/yyyy hh:mm:ss";
    const ISO: &str = "yyyy-mm-dd hh:mm";
    let rows = vec![
        // Received on the start day, completed on the due day in the afternoon → new, on time.
        dated(
            "D-1",
            V::D(2023, 12, 15, D),
            V::D(2023, 12, 20, "yyyy-mm-dd"),
            V::Dt(2023, 12, 20, 16, 45, 0, DT),
            "Đã trả kết quả",
        ),
        // Received late in the evening the day before the start, open, due 18/12 → carried over, overdue.
        dated(
            "D-2",
            V::Dt(2023, 12, 14, 23, 30, 0, DT),
            V::D(2023, 12, 18, D),
            V::E,
            "Đang xử lý",
        ),
        // Received at 23:59 on the end day, due 19/03 → new, within.
        dated(
            "D-3",
            V::Dt(2024, 3, 14, 23, 59, 0, ISO),
            V::D(2024, 3, 19, D),
            V::E,
            "Mới tiếp nhận",
        ),
        // Received five minutes into the day after the end → outside the period.
        dated(
            "D-4",
            V::Dt(2024, 3, 15, 0, 5, 0, DT),
            V::D(2024, 3, 20, D),
            V::E,
            "Đã tiếp nhận",
        ),
        // Completed one second before midnight of the due day → on time, not late.
        dated(
            "D-5",
            V::Dt(2024, 2, 1, 8, 0, 0, DT),
            V::D(2024, 2, 5, D),
            V::Dt(2024, 2, 5, 23, 59, 59, DT),
            "Đã có kết quả",
        ),
    ];
    write_xlsx(&case.inputs().join("ngay-that.xlsx"), &COLS, &rows);
    let r = case.run();
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[
            ("carried_over", 1),
            ("new_direct", 3),
            ("resolved_on_time", 2),
            ("pending_within", 1),
            ("pending_overdue", 1),
        ])
    );
    assert_eq!(account(&r), acc(5, 4, 1));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_serial_numbers_in_plain_number_cells_as_dates() {
    let case = Case::new();
    // 45274 = 14/12/2023, 45275 = 15/12/2023, 45327 = 05/02/2024, 45328 = 06/02/2024,
    // 45365 = 14/03/2024, 45366 = 15/03/2024; a fraction is the time of day.
    let rows = vec![
        // 05/02 08:24, due 06/02, completed 06/02 14:24 → new, on time.
        dated(
            "S-1",
            V::N(45327.35),
            V::N(45328.0),
            V::N(45328.6),
            "Đã trả kết quả",
        ),
        // 14/12/2023, completed on the start day = due → carried over, on time.
        dated(
            "S-2",
            V::N(45274.0),
            V::N(45275.0),
            V::N(45275.4),
            "Đã trả kết quả",
        ),
        // 14/03 21:36, due 15/03, open → new, within.
        dated("S-3", V::N(45365.9), V::N(45366.0), V::E, "Đang xử lý"),
        // 15/03/2024 → outside the period.
        dated("S-4", V::N(45366.0), V::N(45370.0), V::E, "Đã tiếp nhận"),
    ];
    write_xlsx(&case.inputs().join("so-seri.xlsx"), &COLS, &rows);
    let r = case.run();
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[
            ("carried_over", 1),
            ("new_direct", 2),
            ("resolved_on_time", 2),
            ("pending_within", 1)
        ])
    );
    assert_eq!(account(&r), acc(4, 3, 1));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

/// Text dates in every form of tthc-rules §6 (received, due, completed, status), day first except ISO.
const TEXT_DATES: [[&str; 4]; 8] = [
    // dd/mm/yyyy: 2 March, due 11 March, completed 12 March → late (month first it would be 3 Feb …).
    ["02/03/2024", "11/03/2024", "12/03/2024", "Đã trả kết quả"],
    // dd/mm/yyyy HH:MM → on time.
    [
        "05/01/2024 09:15",
        "08/01/2024 17:00",
        "08/01/2024 16:00",
        "Đã trả kết quả",
    ],
    // dd/mm/yyyy HH:MM:SS → early.
    [
        "10/01/2024 07:30:05",
        "12/01/2024",
        "11/01/2024 10:20:30",
        "Đã trả kết quả",
    ],
    // HH:MM dd/mm/yyyy, received on the end day, due 19/03 → within.
    ["08:30 14/03/2024", "19/03/2024", "", "Đang xử lý"],
    // dd-mm-yyyy → on time.
    ["06-02-2024", "09-02-2024", "09-02-2024", "Đã trả kết quả"],
    // yyyy-mm-dd → late.
    ["2024-02-01", "2024-02-05", "2024-02-07", "Đã có kết quả"],
    // yyyy-mm-dd HH:MM:SS, received the day before the start, open, due 20/12 → carried over, overdue.
    [
        "2023-12-14 16:30:00",
        "2023-12-20 00:00:00",
        "",
        "Đang xử lý",
    ],
    // yyyy-mm-dd HH:MM:SS the day after the end → outside the period.
    ["2024-03-15 07:00:00", "2024-03-20", "", "Đã tiếp nhận"],
];

fn text_date_counts() -> Counts {
    c(&[
        ("carried_over", 1),
        ("new_direct", 6),
        ("resolved_early", 1),
        ("resolved_on_time", 2),
        ("resolved_late", 2),
        ("pending_within", 1),
        ("pending_overdue", 1),
    ])
}

#[test]
fn reads_text_dates_of_every_form_in_a_workbook_day_first() {
    let case = Case::new();
    const IDS: [&str; 8] = ["T-1", "T-2", "T-3", "T-4", "T-5", "T-6", "T-7", "T-8"];
    let opt = |s: &'static str| if s.is_empty() { V::E } else { V::T(s) };
    let rows: Vec<Vec<V>> = TEXT_DATES
        .iter()
        .zip(IDS)
        .map(|(t, id)| dated(id, V::T(t[0]), V::T(t[1]), opt(t[2]), t[3]))
        .collect();
    write_xlsx(&case.inputs().join("ngay-chu.xlsx"), &COLS, &rows);
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        text_date_counts()
    );
    assert_eq!(account(&r), acc(8, 7, 1));
}

#[test]
fn reads_text_dates_of_every_form_in_a_csv_day_first() {
    let case = Case::new();
    let rows: Vec<String> = TEXT_DATES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "T-{};Phòng Tư pháp;Chứng thực;{};{};{};{};Trực tiếp",
                i + 1,
                t[0],
                t[1],
                t[2],
                t[3]
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    case.csv("ngay-chu.csv", &rows);
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        text_date_counts()
    );
    assert_eq!(account(&r), acc(8, 7, 1));
}

#[test]
fn quarantines_impossible_and_ambiguous_text_dates_instead_of_guessing() {
    let case = Case::new();
    case.csv(
        "ngay-sai.csv",
        &[
            "Q-1;Phòng Tư pháp;Chứng thực;31/02/2024;05/03/2024;;Đang xử lý;Trực tiếp",
            "Q-2;Phòng Tư pháp;Chứng thực;10/02/2024;30/02/2024;;Đang xử lý;Trực tiếp",
            "Q-3;Phòng Tư pháp;Chứng thực;29/02/2023;05/03/2023;;Đang xử lý;Trực tiếp",
            "Q-4;Phòng Tư pháp;Chứng thực;03/04/24;10/04/24;;Đang xử lý;Trực tiếp",
            // The leap day of 2024 exists: received and completed 29/02, due 01/03 → early.
            "OK-1;Phòng Tư pháp;Chứng thực;29/02/2024;01/03/2024;29/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    let mut ids: Vec<&str> = r.quarantine.iter().map(|q| q.dossier_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["Q-1", "Q-2", "Q-3", "Q-4"]);
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    assert_eq!(
        account(&r),
        RowAccount {
            read: 5,
            counted: 1,
            quarantined: 4,
            ..RowAccount::default()
        }
    );
}

/// A case whose only input is one committed file of `fixtures/external/c3-xls-ods-xa/inputs/`.
fn external_c3(name: &str) -> Case {
    let case = Case::new();
    let from = root()
        .join("fixtures/external/c3-xls-ods-xa/inputs")
        .join(name);
    std::fs::copy(from, case.inputs().join(name)).unwrap();
    case
}

#[test]
fn reads_the_committed_xls_list_from_its_second_sheet() {
    // fixtures/external/README.md, case 3: BIFF8, data on sheet 2 «DuLieu», serial numbers in
    // number cells, text dates and formatted date cells. 10 rows: #9 withdrawn, #10 before the period.
    let case = external_c3("xa-dong-thanh-q1-2024.xls");
    let r = case.run();
    assert_eq!(
        counts(&r, "Xã Đông Thạnh", "Chứng thực"),
        c(&[
            ("new_online", 1),
            ("new_direct", 2),
            ("resolved_early", 1),
            ("resolved_on_time", 1),
            ("resolved_late", 1)
        ])
    );
    assert_eq!(
        counts(&r, "Xã Đông Thạnh", "Hộ tịch"),
        c(&[
            ("carried_over", 1),
            ("new_online", 2),
            ("new_direct", 1),
            ("new_postal", 1),
            ("resolved_early", 1),
            ("resolved_on_time", 1),
            ("resolved_late", 1),
            ("pending_within", 1),
            ("pending_overdue", 1),
        ])
    );
    assert_eq!(r.indicators.dossier().form06.rows.len(), 2);
    assert_eq!(
        account(&r),
        RowAccount {
            read: 10,
            counted: 8,
            excluded_withdrawn: 1,
            excluded_outside_period: 1,
            ..RowAccount::default()
        }
    );
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_the_committed_ods_list_with_date_cells_and_text_dates() {
    // fixtures/external/README.md, case 3: two title lines and an empty line, ODS date cells mixed
    // with text dates, 9 rows all in the period.
    let case = external_c3("xa-nhi-binh-q1-2024.ods");
    let r = case.run();
    assert_eq!(
        counts(&r, "Xã Nhị Bình", "Chứng thực"),
        c(&[
            ("new_online", 1),
            ("new_direct", 1),
            ("new_postal", 1),
            ("resolved_early", 1),
            ("resolved_on_time", 1),
            ("pending_within", 1),
        ])
    );
    assert_eq!(
        counts(&r, "Xã Nhị Bình", "Hộ tịch"),
        c(&[
            ("carried_over", 1),
            ("new_online", 2),
            ("new_direct", 3),
            ("resolved_early", 1),
            ("resolved_on_time", 2),
            ("resolved_late", 1),
            ("pending_within", 1),
            ("pending_overdue", 1),
        ])
    );
    assert_eq!(r.indicators.dossier().form06.rows.len(), 2);
    assert_eq!(account(&r), acc(9, 9, 0));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_only_spreadsheets_of_an_input_folder_and_skips_office_lock_files() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &ROWS
            .map(|r| r.join(";"))
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    // Read too: a spreadsheet in a subfolder, and one whose extension is in capitals.
    case.csv("thang-2/b.csv", &["HS-4;Phòng Tư pháp;Chứng thực;20/02/2024;22/02/2024;22/02/2024;Đã trả kết quả;Trực tiếp"]);
    case.csv("thang-3/C.CSV", &["HS-5;Phòng Tư pháp;Chứng thực;21/02/2024;23/02/2024;22/02/2024;Đã trả kết quả;Trực tuyến"]);
    // Not read: other extensions (some of them would even parse as a dossier list) and the lock
    // files Excel (~$…) and LibreOffice (.~lock.…#) leave beside an open file.
    let another = format!(
        "{HEADER}\nHS-9;Phòng Tư pháp;Chứng thực;01/02/2024;02/02/2024;;Đang xử lý;Trực tiếp\n"
    );
    // A text file is read only when it is a table (issue #14): a note beside the exports is not.
    case.file(
        "ghi-chu.txt",
        "Ghi chú: danh sách tháng 2 gửi kèm.\nNgười lập: Nguyễn Văn An, cán bộ một cửa.\n",
    );
    case.file("a.csv.bak", &another);
    case.file("bao-cao.docx", "PK\u{3}\u{4} không phải tệp Word thật");
    case.file("huong-dan.pdf", "%PDF-1.4 rác");
    case.file("~$a.csv", &another);
    case.file(
        "~$bao-cao-quy.xlsx",
        "\u{c}Nguyen Van An                                   rác",
    );
    case.file(
        ".~lock.danh-sach.ods#",
        "Nguyen Van An,may-tinh,01.02.2024 08:00,",
    );
    let r = case.run();
    let names: Vec<String> = r
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(case.inputs())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(names, ["a.csv", "thang-2/b.csv", "thang-3/C.CSV"]);
    // ROWS + HS-4 (direct, on time) + HS-5 (online, early); HS-9 is nowhere.
    let mut expected = three();
    expected.new_direct += 1;
    expected.resolved_on_time += 1;
    expected.new_online += 1;
    expected.resolved_early += 1;
    assert_eq!(counts(&r, "Phòng Tư pháp", "Chứng thực"), expected);
    assert_eq!(account(&r), acc(5, 5, 0));
}

#[test]
fn names_a_csv_row_below_an_empty_line_by_the_row_the_file_shows() {
    let case = Case::new();
    // Line 3 is empty; HS-3 on line 5 has a date that does not exist.
    case.file(
        "dong-trong.csv",
        &format!(
            "{HEADER}\n\
             HS-1;Phòng Tư pháp;Chứng thực;10/01/2024;12/01/2024;11/01/2024;Đã có kết quả;Trực tiếp\n\
             \n\
             HS-2;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến\n\
             HS-3;Phòng Tư pháp;Chứng thực;31/02/2024;05/03/2024;;Đang xử lý;Trực tiếp\n"
        ),
    );
    let r = case.run();
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[
            ("new_online", 1),
            ("new_direct", 1),
            ("resolved_early", 1),
            ("resolved_on_time", 1)
        ])
    );
    assert_eq!(r.quarantine.len(), 1);
    assert_eq!(r.quarantine[0].dossier_id, "HS-3");
    assert_eq!(r.quarantine[0].source.row, 5, "{:?}", r.quarantine[0]);
    assert_eq!(
        account(&r),
        RowAccount {
            read: 3,
            counted: 2,
            quarantined: 1,
            blank_rows: 1,
            ..RowAccount::default()
        }
    );
}

//! Hostile and careless input at the readers (issue #19): control characters in cells, a CSV
//! quote that swallows lines, small files that would exhaust memory (sheet dimensions, repeated
//! rows, spans, zip bombs, a FIFO or a device given as input), and a property test that feeds
//! every reader mutated files. Each refusal names the file, in Vietnamese, with what to do.
//!
//! The dossiers are those of hostile.rs (2024-Q1 = 15/12/2023 – 14/03/2024): HS-1 online,
//! completed on its due date → on time; HS-2 direct, completed a day early → early; HS-3 postal,
//! open, due 05/03 < end 14/03 → pending overdue.

use std::process::Command;

use cchc::indicators::Counts;

use crate::support::{account, c, counts, shipped_pipeline, Case, HEADER};

const CT: &str = "Chứng thực";

const ROWS: [[&str; 8]; 3] = [
    [
        "HS-1",
        "Phòng Tư pháp",
        "Chứng thực",
        "05/01/2024 09:15",
        "08/01/2024",
        "08/01/2024 16:00",
        "Đã trả kết quả",
        "Trực tuyến",
    ],
    [
        "HS-2",
        "Phòng Tư pháp",
        "Chứng thực",
        "10/01/2024",
        "12/01/2024",
        "11/01/2024",
        "Đã có kết quả",
        "Trực tiếp",
    ],
    [
        "HS-3",
        "Phòng Tư pháp",
        "Chứng thực",
        "01/03/2024",
        "05/03/2024",
        "",
        "Đang xử lý",
        "Bưu chính",
    ],
];

fn three() -> Counts {
    c(&[
        ("new_online", 1),
        ("new_direct", 1),
        ("new_postal", 1),
        ("resolved_early", 1),
        ("resolved_on_time", 1),
        ("pending_overdue", 1),
    ])
}

fn write(case: &Case, name: &str, bytes: &[u8]) {
    std::fs::write(case.inputs().join(name), bytes).unwrap();
}

/// The three dossiers as `;`-separated rows, each cell passed through `dirty(column, text)`.
fn rows_with(dirty: impl Fn(usize, &str) -> String) -> Vec<String> {
    ROWS.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, v)| dirty(i, v))
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Control characters

/// Every character XML 1.0 forbids in a document (§2.2): what makes Word refuse a .docx.
fn forbidden_in_xml(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Parses an XML part to its end, and checks it holds no character XML forbids.
fn assert_well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not XML: {e}"),
        }
    }
    if let Some((at, c)) = xml.char_indices().find(|(_, c)| forbidden_in_xml(*c)) {
        panic!("{name} holds U+{:04X} at byte {at}", c as u32);
    }
}

/// The unit, field and status cells with control characters in and around them: NUL, SOH,
/// ESC with a colour sequence, DEL, and C1 characters (NEL U+0085, U+009B).
fn dirty(column: usize, v: &str) -> String {
    match column {
        1 => format!("\u{1}Phòng\u{0} Tư\u{1b}[31m pháp\u{7f}"),
        2 => format!("Chứng\u{85}\u{9b} thực\u{1f}"),
        6 => format!("\u{7}\u{1b}{v}\u{9b}"),
        _ => v.to_string(),
    }
}

#[test]
fn removes_control_characters_from_every_format_and_writes_a_document_word_opens() {
    // The unit reads «Phòng Tư[31m pháp»: the ESC goes, the visible rest of the sequence stays,
    // so it is a unit the registry does not know. Its figures are those of the clean file.
    let dirty_unit = "Phòng Tư[31m pháp";
    let csv = Case::new();
    let rows = rows_with(dirty);
    csv.csv(
        "dieu-khien.csv",
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let r = csv.run_all();
    assert_eq!(counts(&r, dirty_unit, CT), three());
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.quarantined), (3, 3, 0));
    for (name, text) in crate::support::output_texts(&csv.out()) {
        if name.ends_with(".xml") {
            assert_well_formed(&name, &text);
        }
        assert!(
            !text.contains(['\u{0}', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}']),
            "{name} holds a control character"
        );
    }

    // The same cells in an HTML table (as character references) and in an xlsx read the same.
    let html = Case::new();
    let mut page = String::from("<table><tr>");
    for h in HEADER.split(';') {
        page.push_str(&format!("<th>{h}</th>"));
    }
    page.push_str("</tr>");
    for r in ROWS {
        page.push_str("<tr>");
        for (i, v) in r.iter().enumerate() {
            let cell: String = dirty(i, v)
                .chars()
                .map(|ch| {
                    if ch.is_control() {
                        format!("&#{};", ch as u32)
                    } else {
                        ch.to_string()
                    }
                })
                .collect();
            page.push_str(&format!("<td>{cell}</td>"));
        }
        page.push_str("</tr>");
    }
    page.push_str("</table>");
    html.file("dieu-khien.html", &page);
    assert_eq!(counts(&html.run(), dirty_unit, CT), three());

    let xlsx = Case::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in HEADER.split(';').enumerate() {
        ws.write_string(0, col as u16, h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        for (col, v) in r.iter().enumerate() {
            ws.write_string(1 + i as u32, col as u16, dirty(col, v))
                .unwrap();
        }
    }
    write(&xlsx, "dieu-khien.xlsx", &wb.save_to_buffer().unwrap());
    assert_eq!(counts(&xlsx.run(), dirty_unit, CT), three());
}

#[test]
fn never_prints_a_terminal_escape_sequence_from_a_file() {
    // A file whose name and cells hold escape sequences (clear the screen, set the window's
    // title) and whose header is no list's: the message quotes its name, sheet and cells.
    let case = Case::new();
    case.file(
        "la\u{1b}[2J.csv",
        "Ghi chú;Khác\u{1b}]0;bi-chiem\u{7};Tên\nmột;hai;ba\nbốn;năm;sáu\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("check")
        .arg(shipped_pipeline())
        .args(["--period", "2024-Q1", "--input"])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The path as the terminal shows it, the sheet (the file's name) as read: ESC removed.
    assert!(
        stderr.contains("la\u{fffd}[2J.csv: không tìm thấy dòng tiêu đề"),
        "{stderr}"
    );
    assert!(stderr.contains("trang tính «la[2J.csv»"), "{stderr}");
    for bytes in [&out.stdout, &out.stderr] {
        assert!(!bytes.contains(&0x1b) && !bytes.contains(&0x07), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. A CSV quote that swallows lines

#[test]
fn refuses_a_csv_whose_unclosed_quote_swallows_the_rows_below_naming_the_line() {
    // HS-1's unit opens a quote on line 2 that nothing closes: lines 3–5 (HS-2, HS-3 and HS-4)
    // would become part of that one cell, and the file's account would still balance.
    let case = Case::new();
    let mut rows = rows_with(|_, v| v.to_string());
    rows[0] = rows[0].replace("Phòng Tư pháp", "\"Phòng Tư pháp");
    rows.push("HS-4;Phòng Tư pháp;Chứng thực;02/03/2024;06/03/2024;;Đang xử lý;Trực tiếp".into());
    case.csv(
        "ngoac-kep.csv",
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let err = case.run_err();
    assert!(
        err.contains(
            "ngoac-kep.csv: dòng 2, ô thứ 2: dấu ngoặc kép (\") mở ô mà không đóng đúng chỗ, nên các dòng 3–6 bị gộp vào ô đó thay vì đọc thành 4 dòng dữ liệu; hãy xóa dấu \" thừa"
        ),
        "{err}"
    );
    assert!(!case.out().exists());
}

#[test]
fn reads_a_csv_cell_written_on_two_lines_as_one_row() {
    // A note on two lines in a quoted cell is a cell, not swallowed rows: HS-2's field, with a
    // `;` in its second line (one separator, not the two of a row).
    let case = Case::new();
    let mut rows = rows_with(|_, v| v.to_string());
    rows[1] = rows[1].replace(";Chứng thực;", ";\"Chứng\nthực; bản sao\";");
    case.csv(
        "hai-dong.csv",
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let r = case.run();
    let a = account(&r);
    assert_eq!((a.read, a.counted), (3, 3));
}

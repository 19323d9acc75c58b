//! Hostile and careless input at the readers (issue #19): control characters in cells, a CSV
//! quote that swallows lines, small files that would exhaust memory (sheet dimensions, repeated
//! rows, spans, zip bombs, a FIFO or a device given as input), and a property test that feeds
//! every reader mutated files. Each refusal names the file, in Vietnamese, with what to do.
//!
//! The dossiers are those of hostile.rs (2024-Q1 = 15/12/2023 – 14/03/2024): HS-1 online,
//! completed on its due date → on time; HS-2 direct, completed a day early → early; HS-3 postal,
//! open, due 05/03 < end 14/03 → pending overdue.

use std::io::Write;
use std::process::Command;

use crate::support::{account, counts, root, shipped_pipeline, three, Case, HEADER, ROWS};

const CT: &str = "Chứng thực";

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
        1 => "\u{1}Phòng\u{0} Tư\u{1b}[31m pháp\u{7f}".to_string(),
        2 => "Chứng\u{85}\u{9b} thực\u{1f}".to_string(),
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

// ---------------------------------------------------------------------------------------------
// 3. Limits: small files that would exhaust memory, inputs that are not files

/// Runs `cchc check` on the inputs within 2 GiB of address space (`prlimit --as`), with the
/// given pipeline; returns its stderr after checking that it failed by itself (exit code 1, not
/// killed or aborted for want of memory).
fn check_within_2_gib(case: &Case, inputs: &std::path::Path) -> String {
    let out = Command::new("prlimit")
        .arg("--as=2147483648")
        .arg(env!("CARGO_BIN_EXE_cchc"))
        .arg("check")
        .arg(&case.pipeline)
        .args(["--period", "2024-Q1", "--input"])
        .arg(inputs)
        .arg("--out")
        .arg(case.out())
        .output()
        .expect("prlimit (util-linux) runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("không đọc được 1 tệp đầu vào; chưa ghi kết quả nào"),
        "{stderr}"
    );
    stderr
}

/// The refusal of one file of the inputs folder: its message line.
fn refusal(case: &Case) -> String {
    let stderr = check_within_2_gib(case, &case.inputs());
    stderr
        .lines()
        .find(|l| l.starts_with("  - "))
        .unwrap_or_default()
        .to_string()
}

/// The standard header and the three dossiers in the first sheet of a workbook.
fn three_sheet(ws: &mut rust_xlsxwriter::Worksheet) {
    for (col, h) in HEADER.split(';').enumerate() {
        ws.write_string(0, col as u16, h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        for (col, v) in r.iter().enumerate() {
            ws.write_string(1 + i as u32, col as u16, *v).unwrap();
        }
    }
}

#[test]
fn reads_an_xlsx_spanning_the_whole_sheet_and_refuses_one_filling_it() {
    // The dossiers, and one cell at XFD1048576: laid out whole, 17 billion cells; held as rows
    // that end at their last cell, a million empty rows and one of 16 384. It reads, within
    // 2 GiB.
    let case = Case::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    three_sheet(ws);
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    write(&case, "ca-trang.xlsx", &wb.save_to_buffer().unwrap());
    let out = Command::new("prlimit")
        .arg("--as=2147483648")
        .arg(env!("CARGO_BIN_EXE_cchc"))
        .arg("check")
        .arg(&case.pipeline)
        .args(["--period", "2024-Q1", "--input"])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&case.run(), "Phòng Tư pháp", CT), three());

    // A cell at column XFD in each of 1 000 rows: 16 million cells held, refused by name.
    let case = Case::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    three_sheet(ws);
    for r in 10..1010 {
        ws.write_string(r, 16_383, "x").unwrap();
    }
    write(&case, "ca-cot.xlsx", &wb.save_to_buffer().unwrap());
    let line = refusal(&case);
    assert!(
        line.contains("ca-cot.xlsx: trang tính «Sheet1» đưa số ô của tệp lên"),
        "{line}"
    );
    assert!(
        line.contains("vượt giới hạn 10.000.000 (cells trong mục [limits]"),
        "{line}"
    );
}

/// A minimal ods whose `content.xml` body (the rows of sheet «Danh sách») is given.
fn ods_with(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Danh sách">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("content.xml", stored).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn ods_header() -> String {
    let mut row = String::from("<table:table-row>");
    for h in HEADER.split(';') {
        row.push_str(&format!(
            r#"<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>"#
        ));
    }
    row + "</table:table-row>"
}

#[test]
fn refuses_an_ods_whose_repeated_rows_and_columns_describe_billions_of_cells() {
    // Under a kilobyte: one filled cell repeated over 16 384 columns and a million rows.
    let case = Case::new();
    let bytes = ods_with(&format!(
        r#"{}<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        ods_header()
    ));
    assert!(bytes.len() < 2048);
    write(&case, "lap-lai.ods", &bytes);
    let line = refusal(&case);
    assert!(
        line.contains("lap-lai.ods: trang tính «Danh sách» đưa số ô của tệp lên 16.384.016.384, vượt giới hạn 10.000.000"),
        "{line}"
    );
}

#[test]
fn refuses_an_ods_with_data_below_the_last_row_a_sheet_holds_rather_than_cutting_it() {
    // The header, 1 048 576 empty rows, then a dossier on row 1 048 578: read as it is, the
    // reader would stop at row 1 048 576 and lose it without a word.
    let case = Case::new();
    let row: String = ROWS[0]
        .iter()
        .map(|v| {
            format!(r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#)
        })
        .collect();
    write(
        &case,
        "qua-dai.ods",
        &ods_with(&format!(
            r#"{}<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row><table:table-row>{row}</table:table-row>"#,
            ods_header()
        )),
    );
    let line = refusal(&case);
    assert!(
        line.contains("qua-dai.ods: trang tính «Danh sách» có dữ liệu ở dòng 1.048.578, quá số dòng một trang tính chứa được (phần sau sẽ bị cắt mất)"),
        "{line}"
    );
}

#[test]
fn refuses_an_html_cell_spanning_too_many_cells_and_tables_nested_too_deep() {
    let case = Case::new();
    let header: String = HEADER.split(';').map(|h| format!("<th>{h}</th>")).collect();
    case.file(
        "gop-o.html",
        &format!("<table><tr>{header}</tr><tr><td colspan=1000 rowspan=10000>x</td></tr></table>"),
    );
    let line = refusal(&case);
    assert!(
        line.contains("gop-o.html: một ô ở dòng 2 của bảng 1 gộp 10.000.000 ô (colspan 1.000 × rowspan 10.000), vượt giới hạn 10.000 (html_span_cells"),
        "{line}"
    );

    let case = Case::new();
    case.file(
        "long-nhau.html",
        &format!("<table><tr>{header}</tr>{}", "<tr><td><table>".repeat(100)),
    );
    let line = refusal(&case);
    assert!(
        line.contains("long-nhau.html: bảng thứ 33 nằm lồng 32 lớp trong các bảng khác, vượt giới hạn 32 (html_table_depth"),
        "{line}"
    );
}

#[test]
fn refuses_an_xlsx_naming_one_sheet_part_two_thousand_times() {
    // One sheet of 6 000 cells, listed 2 000 times in the workbook: 12 million cells read.
    // The limit is lowered to 100 000 so that the test reads 17 copies, not 1 700.
    let case = with_limits("cells = 100000");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    three_sheet(ws);
    for r in 10..610 {
        for c in 0..10 {
            ws.write_number(r, c, 1.0).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut buf);
        for i in 0..zin.len() {
            let mut part = zin.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut text).unwrap();
            if name == "xl/workbook.xml" {
                let xml = String::from_utf8(text).unwrap();
                let one = r#"<sheet name="Sheet1" sheetId="1" r:id="rId1"/>"#;
                assert!(xml.contains(one), "{xml}");
                let many: String = (0..2000)
                    .map(|n| format!(r#"<sheet name="S{n}" sheetId="{}" r:id="rId1"/>"#, n + 1))
                    .collect();
                text = xml.replace(one, &many).into_bytes();
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zout.write_all(&text).unwrap();
        }
        zout.finish().unwrap();
    }
    write(&case, "hai-nghin.xlsx", &buf.into_inner());
    let line = refusal(&case);
    assert!(line.contains("hai-nghin.xlsx: trang tính «S"), "{line}");
    assert!(line.contains("vượt giới hạn 100.000 (cells"), "{line}");
}

/// A case whose pipeline has a `[limits]` section.
fn with_limits(limits: &str) -> Case {
    Case::with_pipeline_edit("[alerts]", &format!("[limits]\n{limits}\n\n[alerts]"))
}

#[test]
fn refuses_a_zip_bomb_unopened() {
    // An xlsx with a part of 8 MiB of zeros (a few kilobytes packed), and a limit of 4 MiB.
    let case = with_limits("unpacked_mib = 4");
    let mut wb = rust_xlsxwriter::Workbook::new();
    three_sheet(wb.add_worksheet());
    let bytes = wb.save_to_buffer().unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut buf);
        for i in 0..zin.len() {
            zout.raw_copy_file(zin.by_index(i).unwrap()).unwrap();
        }
        zout.start_file("xl/bom.bin", zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&vec![0u8; 8 << 20]).unwrap();
        zout.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 64 * 1024);
    write(&case, "bom.xlsx", &bytes);
    let line = refusal(&case);
    assert!(
        line.contains("bom.xlsx: tệp nén giải ra 8 MiB, vượt giới hạn 4 (unpacked_mib trong mục [limits] của tệp quy trình)"),
        "{line}"
    );
}

#[test]
fn refuses_a_file_larger_than_the_limit_and_a_cell_longer_than_the_limit() {
    // A 2 GiB CSV (sparse on disk: it takes no room) is refused before it is read.
    let case = Case::new();
    let f = std::fs::File::create(case.inputs().join("o-2-gb.csv")).unwrap();
    f.set_len(2 << 30).unwrap();
    let line = refusal(&case);
    assert!(
        line.contains("o-2-gb.csv: tệp nặng 2.048 MiB, vượt giới hạn 256 (file_mib"),
        "{line}"
    );

    let case = with_limits("cell_chars = 100");
    let mut rows = rows_with(|_, v| v.to_string());
    rows[1] = rows[1].replace("Chứng thực", &"Chứng thực ".repeat(20));
    case.csv(
        "o-dai.csv",
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let line = refusal(&case);
    assert!(
        line.contains("o-dai.csv: ô C3 của trang tính «o-dai.csv» dài 220 ký tự, vượt giới hạn 100 (cell_chars"),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn refuses_a_device_and_a_pipe_given_as_inputs_by_name() {
    let case = Case::new();
    let stderr = check_within_2_gib(&case, std::path::Path::new("/dev/zero"));
    assert!(
        stderr.contains("/dev/zero: không phải tệp dữ liệu mà là một thiết bị; hãy chỉ đưa vào các tệp bảng tính"),
        "{stderr}"
    );
    let fifo = case.inputs().join("ong-dan.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let line = refusal(&case);
    assert!(
        line.contains("ong-dan.txt: không phải tệp dữ liệu mà là một ống dẫn (FIFO)"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Every reader on damaged files

mod damaged {
    use proptest::prelude::*;

    use crate::support::{root, shipped_pipeline};

    /// A small valid file of each format cchc reads.
    fn seeds() -> Vec<(&'static str, Vec<u8>)> {
        let external = |case: &str, name: &str| {
            std::fs::read(
                root()
                    .join("fixtures/external")
                    .join(case)
                    .join("inputs")
                    .join(name),
            )
            .unwrap()
        };
        let mut wb = rust_xlsxwriter::Workbook::new();
        super::three_sheet(wb.add_worksheet());
        let mut csv = String::from(crate::support::HEADER);
        for r in super::ROWS {
            csv.push('\n');
            csv.push_str(&r.join(";"));
        }
        let html: String = format!(
            "<table><tr>{}</tr>{}</table>",
            crate::support::HEADER
                .split(';')
                .map(|h| format!("<th>{h}</th>"))
                .collect::<String>(),
            super::ROWS
                .iter()
                .map(|r| format!(
                    "<tr>{}</tr>",
                    r.iter()
                        .map(|v| format!("<td>{v}</td>"))
                        .collect::<String>()
                ))
                .collect::<String>()
        );
        vec![
            ("xlsx", wb.save_to_buffer().unwrap()),
            ("ods", external("c3-xls-ods-xa", "xa-nhi-binh-q1-2024.ods")),
            (
                "xls",
                external("c3-xls-ods-xa", "xa-dong-thanh-q1-2024.xls"),
            ),
            ("csv", csv.into_bytes()),
            ("html", html.into_bytes()),
        ]
    }

    /// A damage: cut the file at a point, overwrite bytes at a point, or insert bytes.
    #[derive(Debug, Clone)]
    enum Damage {
        Cut(usize),
        Overwrite(usize, Vec<u8>),
        Insert(usize, Vec<u8>),
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            any::<usize>().prop_map(Damage::Cut),
            (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
                .prop_map(|(at, b)| Damage::Overwrite(at, b)),
            (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
                .prop_map(|(at, b)| Damage::Insert(at, b)),
        ]
    }

    fn apply(bytes: &[u8], damages: &[Damage]) -> Vec<u8> {
        let mut b = bytes.to_vec();
        for d in damages {
            let n = b.len().max(1);
            match d {
                Damage::Cut(at) => b.truncate(at % n),
                Damage::Overwrite(at, with) => {
                    let at = at % n;
                    for (i, x) in with.iter().enumerate() {
                        if let Some(slot) = b.get_mut(at + i) {
                            *slot = *x;
                        }
                    }
                }
                Damage::Insert(at, with) => {
                    let at = (at % n).min(b.len());
                    b.splice(at..at, with.iter().copied());
                }
            }
        }
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Any damaged file of any format is read or refused with its name; no reader panics.
        /// The limits are lowered so that a damage that inflates a file is refused small.
        #[test]
        fn every_reader_reads_or_names_a_damaged_file(
            format in 0usize..5,
            damages in prop::collection::vec(damage(), 1..4),
        ) {
            let mut pipeline = cchc::kinds::load_pipeline(&shipped_pipeline()).unwrap();
            pipeline.limits.cells = 200_000;
            pipeline.limits.unpacked_mib = 16;
            let vocabs: Vec<&cchc::ingest::HeaderVocab> =
                cchc::kinds::KINDS.iter().map(|k| k.header(&pipeline)).collect();
            let (ext, seed) = &seeds()[format];
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("hong.{ext}"));
            std::fs::write(&path, apply(seed, &damages)).unwrap();
            let read = std::panic::catch_unwind(|| {
                cchc::ingest::read_file(&pipeline, 0, &path, &vocabs).map(|_| ())
            });
            match read {
                Ok(Ok(())) => {}
                Ok(Err((file, problem))) => {
                    prop_assert!(file.ends_with(&format!("hong.{ext}")), "{file}");
                    prop_assert!(!problem.to_string().is_empty());
                }
                Err(_) => prop_assert!(false, "the {ext} reader panicked"),
            }
        }
    }
}

#[test]
fn refuses_an_xls_whose_dimensions_declare_a_whole_sheet() {
    // A real xls of 10 KB whose DIMENSIONS records are rewritten to declare 1 048 576 rows × 256
    // columns: the workbook reader would reserve 10 GiB for it before any cell is read.
    let mut bytes = std::fs::read(
        root().join("fixtures/external/c3-xls-ods-xa/inputs/xa-dong-thanh-q1-2024.xls"),
    )
    .unwrap();
    let mut patched = 0;
    let mut at = 0;
    while let Some(i) = bytes[at..]
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0e, 0x00])
    {
        let i = at + i;
        bytes[i + 4..i + 16].copy_from_slice(
            &[0u32.to_le_bytes(), 0x10_0000u32.to_le_bytes(), [0, 0, 0, 1]].concat(),
        );
        patched += 1;
        at = i + 4;
    }
    assert!(patched > 0, "the fixture has DIMENSIONS records");
    let case = Case::new();
    write(&case, "ca-trang.xls", &bytes);
    let line = refusal(&case);
    assert!(
        line.contains(
            "ca-trang.xls: các trang tính khai báo 268.435.456 ô, vượt giới hạn 10.000.000"
        ),
        "{line}"
    );
}

#[test]
fn refuses_an_xls_whose_sector_chain_loops_back_on_itself() {
    // A real xls whose sector table sends the directory's first sector back to itself: the
    // workbook reader would follow that chain until memory ran out.
    let mut bytes = std::fs::read(
        root().join("fixtures/external/c3-xls-ods-xa/inputs/xa-dong-thanh-q1-2024.xls"),
    )
    .unwrap();
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    assert_eq!(
        u16::from_le_bytes([bytes[30], bytes[31]]),
        9,
        "512-byte sectors"
    );
    let dir_start = u32_at(&bytes, 48) as usize;
    // The directory's sector is entry `dir_start` of the FAT, which starts in the sector the
    // header's first DIFAT entry names; sector n is at 512 × (n + 1).
    let fat_sector = u32_at(&bytes, 76) as usize;
    let at = 512 * (fat_sector + 1) + 4 * dir_start;
    assert!(
        dir_start < 128,
        "the directory's entry is in the first FAT sector"
    );
    bytes[at..at + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    let case = Case::new();
    write(&case, "vong-lap.xls", &bytes);
    let line = refusal(&case);
    assert!(
        line.contains("vong-lap.xls: tệp bị hỏng hoặc không đúng định dạng bảng tính (cấu trúc bên trong của tệp xls hỏng: một chuỗi dữ liệu quay vòng về chính nó)"),
        "{line}"
    );
}

//! Hostile inputs and hostile conditions (issue #14): formulas nobody computed, dates that are
//! not dates, files whose name lies about their format, CSV in every encoding and separator
//! Vietnamese offices produce, link loops, two runs at once on one store and one output folder,
//! a run killed while writing. Each case asserts the exact Vietnamese message and the figures.
//!
//! The dossiers are those of formats.rs (2024-Q1 = 15/12/2023 – 14/03/2024): HS-1 online,
//! completed on its due date → on time; HS-2 direct, completed a day early → early; HS-3 postal,
//! open, due 05/03 < end 14/03 → pending overdue.

use std::io::Write;
use std::process::Command;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use unicode_normalization::UnicodeNormalization;

use crate::support::{account, c, counts, shipped_pipeline, three, Case, HEADER, ROWS};

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";
const FORMULA_ADVICE: &str =
    "ô công thức chưa có giá trị — hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi chạy lại";

fn columns() -> Vec<&'static str> {
    HEADER.split(';').collect()
}

/// The three dossiers as delimited text with the standard header.
fn delimited(sep: &str) -> String {
    let mut t = columns().join(sep);
    for r in ROWS {
        t.push('\n');
        t.push_str(&r.join(sep));
    }
    t.push('\n');
    t
}

/// An xlsx of the header and the three dossiers, all text cells.
fn three_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in columns().iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        for (col, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(1 + i as u32, col as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// One cell of a hand-written ods.
enum O {
    T(String),
    /// A real date cell (`office:date-value`).
    D(&'static str),
}

/// A minimal OpenDocument spreadsheet, one sheet «Danh sách».
fn ods(rows: &[Vec<O>]) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Danh sách">"#,
    );
    for r in rows {
        content.push_str("<table:table-row>");
        for cell in r {
            match cell {
                O::T(t) if t.is_empty() => content.push_str("<table:table-cell/>"),
                O::T(t) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
                )),
                O::D(d) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{d}</text:p></table:table-cell>"#
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", stored).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", stored).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn ods_rows_of_three() -> Vec<Vec<O>> {
    let mut rows = vec![columns().into_iter().map(|h| O::T(h.into())).collect()];
    for r in ROWS {
        rows.push(r.iter().map(|v| O::T(v.to_string())).collect());
    }
    rows
}

/// Text as Windows-1258 stores it: vowel marks precomposed, tones as combining marks after.
fn to_windows_1258(s: &str) -> Vec<u8> {
    let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut split = String::new();
    for ch in s.chars() {
        let parts: Vec<char> = ch.to_string().nfd().collect();
        let rest: String = parts.iter().filter(|m| !tones.contains(m)).collect();
        split.extend(rest.nfc());
        split.extend(parts.iter().filter(|m| tones.contains(m)));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
    assert!(!unmappable, "{split}");
    bytes.into_owned()
}

fn write(case: &Case, name: &str, bytes: &[u8]) {
    std::fs::write(case.inputs().join(name), bytes).unwrap();
}

/// Runs `cchc check` on the case's inputs; (success, stdout, stderr).
fn check(case: &Case) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("check")
        .arg(shipped_pipeline())
        .args(["--period", "2024-Q1", "--input"])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Formulas without stored values

/// An xlsx with the cached values of its formulas taken out (`<f>…</f>` without `<v>`), as a
/// program that writes formulas without computing them leaves it.
fn without_cached_values(xlsx: Vec<u8>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut buf);
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            if name.starts_with("xl/worksheets/") {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains("</f><v>0</v>"));
                bytes = text.replace("</f><v>0</v>", "</f>").into_bytes();
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zout.write_all(&bytes).unwrap();
        }
        zout.finish().unwrap();
    }
    buf.into_inner()
}

/// A workbook whose data cells are formulas a program wrote without computing them.
fn formula_workbook(mixed: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in columns().iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        let row = 1 + i as u32;
        for (col, v) in r.iter().enumerate() {
            let col = col as u16;
            // Mixed: codes, units, fields, statuses and channels are values, HS-2 and HS-3's
            // received dates formulas; otherwise every cell is a formula.
            let formula = !mixed || (col == 3 && i > 0);
            if formula {
                let f = if col == 3 {
                    "=DATE(2024,1,10)".to_string()
                } else {
                    format!("=\"{v}\"")
                };
                ws.write_formula(row, col, Formula::new(f)).unwrap();
            } else if !v.is_empty() {
                ws.write_string(row, col, *v).unwrap();
            }
        }
    }
    without_cached_values(wb.save_to_buffer().unwrap())
}

#[test]
fn names_a_workbook_of_formulas_without_values_as_unreadable() {
    let case = Case::new();
    write(&case, "cong-thuc.xlsx", &formula_workbook(false));
    let msg = case.run_err();
    assert!(
        msg.contains(&format!(
            "cong-thuc.xlsx: trang tính «Sheet1»: {FORMULA_ADVICE}"
        )),
        "{msg}"
    );
    assert!(
        msg.contains("không đọc được 1 tệp đầu vào; chưa ghi kết quả nào"),
        "{msg}"
    );
    // `cchc check` says the same and fails.
    let (ok, _, stderr) = check(&case);
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "cong-thuc.xlsx: trang tính «Sheet1»: {FORMULA_ADVICE}"
        )),
        "{stderr}"
    );
}

#[test]
fn quarantines_rows_whose_dates_are_formulas_without_values() {
    let case = Case::new();
    write(&case, "mot-phan.xlsx", &formula_workbook(true));
    let r = case.run();
    // HS-1 alone is counted: online, on time.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_online", 1), ("resolved_on_time", 1)])
    );
    assert_eq!(r.quarantine.len(), 2, "{:?}", r.quarantine);
    for (q, (id, row)) in r.quarantine.iter().zip([("HS-2", 3), ("HS-3", 4)]) {
        assert_eq!((q.dossier_id.as_str(), q.source.row), (id, row), "{q:?}");
        assert_eq!(q.column, "Ngày tiếp nhận");
        assert_eq!(q.value, "=DATE(2024,1,10)");
        assert_eq!(q.reason, format!("Ngày tiếp nhận: {FORMULA_ADVICE}"));
    }
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.quarantined), (3, 1, 2));
}

// ---------------------------------------------------------------------------------------------
// 2. Dates that are not dates

/// Checks that a.xlsx's second dossier, whose received date is `cell`, is quarantined with
/// `reason` while the first (HS-2 of ROWS) is counted.
fn quarantines_received(case: &Case, reason: &str) {
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    assert_eq!(r.quarantine.len(), 1, "{:?}", r.quarantine);
    let q = &r.quarantine[0];
    assert_eq!((q.dossier_id.as_str(), q.source.row), ("HS-9", 3), "{q:?}");
    assert_eq!(q.reason, format!("Ngày tiếp nhận: {reason}"), "{q:?}");
}

/// a.xlsx: the header, HS-2 of ROWS, and HS-9 whose received date is written by `put`.
fn xlsx_with_received(case: &Case, put: impl Fn(&mut rust_xlsxwriter::Worksheet, u32, u16)) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in columns().iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    let bad = [
        "HS-9",
        "Phòng Tư pháp",
        "Chứng thực",
        "",
        "12/01/2024",
        "",
        "Đang xử lý",
        "Trực tiếp",
    ];
    for (row, r) in [(1u32, ROWS[1]), (2, bad)] {
        for (col, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, col as u16, *v).unwrap();
            }
        }
    }
    put(ws, 2, 3);
    std::fs::write(case.inputs().join("a.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
}

#[test]
fn quarantines_a_date_formatted_zero() {
    let case = Case::new();
    xlsx_with_received(&case, |ws, r, c| {
        ws.write_number_with_format(r, c, 0.0, &Format::new().set_num_format("dd/mm/yyyy"))
            .unwrap();
    });
    quarantines_received(
        &case,
        "«31/12/1899» có năm 1899 nằm ngoài khoảng năm hợp lý 1990–2100 nên không được coi là một ngày",
    );
}

#[test]
fn quarantines_a_time_without_a_date() {
    let case = Case::new();
    xlsx_with_received(&case, |ws, r, c| {
        ws.write_number_with_format(r, c, 0.5, &Format::new().set_num_format("hh:mm"))
            .unwrap();
    });
    quarantines_received(&case, "«12:00» chỉ có giờ, không có ngày");
    // 17:00 as a plain number (0.708…) in a CSV copy is no date either.
    let case = Case::new();
    xlsx_with_received(&case, |ws, r, c| {
        ws.write_number(r, c, 0.5).unwrap();
    });
    quarantines_received(&case, "số 0.5 chỉ là giờ trong ngày, không có ngày");
}

#[test]
fn quarantines_the_first_of_january_1900() {
    let case = Case::new();
    xlsx_with_received(&case, |ws, r, c| {
        let d = ExcelDateTime::from_ymd(1900, 1, 1).unwrap();
        ws.write_datetime_with_format(r, c, &d, &Format::new().set_num_format("dd/mm/yyyy"))
            .unwrap();
    });
    quarantines_received(
        &case,
        "«01/01/1900» có năm 1900 nằm ngoài khoảng năm hợp lý 1990–2100 nên không được coi là một ngày",
    );
}

#[test]
fn quarantines_a_text_date_of_the_year_24() {
    let case = Case::new();
    xlsx_with_received(&case, |ws, r, c| {
        ws.write_string(r, c, "05/01/0024").unwrap();
    });
    quarantines_received(
        &case,
        "«05/01/0024» có năm 24 nằm ngoài khoảng năm hợp lý 1990–2100 nên không được coi là một ngày",
    );
}

#[test]
fn quarantines_a_real_date_cell_in_1899() {
    // An ods holds real dates before 1900 (an xlsx cannot).
    let case = Case::new();
    let mut rows = vec![columns().into_iter().map(|h| O::T(h.into())).collect()];
    rows.push(
        ROWS[1]
            .iter()
            .map(|v| O::T(v.to_string()))
            .collect::<Vec<_>>(),
    );
    let mut bad: Vec<O> = [
        "HS-9",
        "Phòng Tư pháp",
        "Chứng thực",
        "",
        "12/01/2024",
        "",
        "Đang xử lý",
        "Trực tiếp",
    ]
    .iter()
    .map(|v| O::T(v.to_string()))
    .collect();
    bad[3] = O::D("1899-06-01");
    rows.push(bad);
    write(&case, "a.ods", &ods(&rows));
    quarantines_received(
        &case,
        "«01/06/1899» có năm 1899 nằm ngoài khoảng năm hợp lý 1990–2100 nên không được coi là một ngày",
    );
    // `cchc check` passes and writes the data-quality workbook with the row in it.
    let (ok, stdout, stderr) = check(&case);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("cách ly 1"), "{stdout}");
    let book = case.out().join("chat-luong-du-lieu-2024-Q1.xlsx");
    let text: String = crate::support::read_sheet(&book, "Hồ sơ cách ly")
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("|");
    assert!(text.contains("«01/06/1899» có năm 1899"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 3. Format from content, not from the name

fn reads_three(case: &Case) {
    let r = case.run();
    assert_eq!(counts(&r, TP, CT), three());
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.quarantined), (3, 3, 0));
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

#[test]
fn reads_an_xlsx_saved_as_xls() {
    let case = Case::new();
    write(&case, "danh-sach.xls", &three_xlsx());
    reads_three(&case);
}

#[test]
fn reads_an_ods_named_xlsx() {
    let case = Case::new();
    write(&case, "danh-sach.xlsx", &ods(&ods_rows_of_three()));
    reads_three(&case);
}

#[test]
fn reads_an_html_table_saved_as_xls_with_a_two_row_merged_header() {
    let case = Case::new();
    // What a web system saves as .xls: a page with a title and a table whose header merges
    // «Ngày» over three date columns and the other headers down two rows; entities for letters.
    let mut html = String::from(
        "\u{feff}<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\
         <style>td { mso-number-format:\\@; }</style></head><body>\
         <h3>DANH S&Aacute;CH H&Ocirc; S&#416;</h3>\
         <table border=\"1\"><thead>\
         <tr><th rowspan=\"2\">STT</th><th rowspan=\"2\">M&atilde; h&#7891; s&#417;</th>\
         <th rowspan=2>Đơn vị</th><th rowspan=2>Lĩnh vực</th><th colspan=\"3\">Ngày</th>\
         <th rowspan=2>Trạng thái</th><th rowspan=2>Hình thức nộp</th></tr>\
         <tr><th>Tiếp nhận</th><th>Hẹn trả</th><th>Có kết quả</th></tr></thead><tbody>\n",
    );
    for (i, r) in ROWS.iter().enumerate() {
        html.push_str(&format!("<tr><td>{}</td>", i + 1));
        for v in r {
            html.push_str(&format!("<td>{}</td>", v.replace(' ', "&nbsp;")));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></body></html>");
    case.file("danh-sach.xls", &html);
    reads_three(&case);
    let r = case.run();
    assert!(r.unknown_columns.is_empty(), "{:?}", r.unknown_columns);
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 4. CSV encodings and separators

#[test]
fn reads_a_tab_separated_csv() {
    let case = Case::new();
    case.file("danh-sach.csv", &delimited("\t"));
    reads_three(&case);
}

#[test]
fn reads_excel_unicode_text_utf16le_with_bom_as_txt() {
    let case = Case::new();
    let text = delimited("\t").replace('\n', "\r\n");
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(&case, "danh-sach.txt", &bytes);
    reads_three(&case);
}

#[test]
fn reads_a_windows_1258_csv() {
    let case = Case::new();
    write(&case, "windows-1258.csv", &to_windows_1258(&delimited(";")));
    reads_three(&case);
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 5. Symbolic-link loops

#[cfg(unix)]
#[test]
fn reads_a_file_once_through_a_link_loop() {
    let case = Case::new();
    case.file("danh-sach.csv", &delimited(";"));
    std::fs::create_dir(case.inputs().join("con")).unwrap();
    // inputs/con/vong → inputs: a loop; inputs/cung-tep.csv → the same file.
    std::os::unix::fs::symlink(case.inputs(), case.inputs().join("con/vong")).unwrap();
    std::os::unix::fs::symlink(
        case.inputs().join("danh-sach.csv"),
        case.inputs().join("cung-tep.csv"),
    )
    .unwrap();
    let r = case.run();
    assert_eq!(r.files.len(), 1, "{:?}", r.files);
    assert_eq!(counts(&r, TP, CT), three());
    assert!(r.duplicates.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 6. Parallel runs on one store and one output folder; 7. a run killed while writing

const OUTPUTS: [&str; 6] = [
    "indicators.json",
    "bao-cao-cchc-2024-Q1.docx",
    "bao-cao-cchc-2024-Q1.html",
    "cong-khai-2024-Q1.html",
    "phu-luc-2024-Q1.xlsx",
    "chat-luong-du-lieu-2024-Q1.xlsx",
];

/// `cchc run` on the case's inputs with a store, as a child process.
fn cchc_run(case: &Case, extra: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.arg("run")
        .arg(shipped_pipeline())
        .args(["--period", "2024-Q1", "-q", "--input"])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .arg("--store")
        .arg(case.dir.path().join("store"))
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Every part the store's manifest names exists and reads as Parquet; every output is whole.
fn store_and_outputs_whole(case: &Case) {
    let store = case.dir.path().join("store");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("manifest.json")).unwrap()).unwrap();
    for s in manifest["sources"].as_array().unwrap() {
        for p in s["parts"].as_array().unwrap() {
            let part = store.join(p.as_str().unwrap());
            let bytes = std::fs::read(&part).unwrap_or_else(|e| panic!("{}: {e}", part.display()));
            assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
        }
        let id = s["id"].as_str().unwrap();
        assert!(store.join("sources").join(format!("{id}.json")).is_file());
    }
    for name in OUTPUTS {
        let bytes = std::fs::read(case.out().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!bytes.is_empty(), "{name}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    assert!(json.is_object());
    crate::support::read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Biểu 06");
}

/// What killed or concurrent runs may leave: staging and old folders beside the output folder,
/// temporary files in it or in the store.
fn leftovers(case: &Case) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(case.dir.path()).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        if n.contains(".cchc-staging-") || n.contains(".cchc-old-") {
            found.push(n);
        }
    }
    let mut stack = vec![case.out(), case.dir.path().join("store")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                stack.push(e.path());
            } else if n.starts_with(".cchc-")
                && ![".cchc-lan-chay.json", ".cchc-lock", ".cchc-kho"].contains(&n.as_str())
            {
                found.push(n);
            }
        }
    }
    found
}

#[test]
fn two_runs_at_once_on_one_store_and_one_output_folder_leave_both_whole() {
    let case = Case::new();
    case.file("a.csv", &delimited(";"));
    for i in 0..10 {
        // Each round brings a changed file, so both runs have something to store.
        case.csv(
            "b.csv",
            &[&format!(
                "B-{i};Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"
            )],
        );
        let extra: &[&str] = if i % 2 == 0 { &["--force"] } else { &[] };
        let mut first = cchc_run(&case, extra, &[])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut second = cchc_run(&case, &["--force"], &[])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        for child in [&mut first, &mut second] {
            let status = child.wait().unwrap();
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            assert!(status.success(), "round {i}: {err}");
            // A run that waited said so once, in Vietnamese; nothing else went to stderr.
            for line in err.lines() {
                assert!(
                    line == "Kho dữ liệu đang được một lần chạy khác ghi; đang chờ…"
                        || line.starts_with("Thư mục kết quả ")
                            && line.ends_with(" đang được một lần chạy khác ghi; đang chờ…"),
                    "round {i}: {err}"
                );
            }
            assert!(err.matches("Kho dữ liệu đang được").count() <= 1, "{err}");
        }
        store_and_outputs_whole(&case);
        assert!(
            leftovers(&case).is_empty(),
            "round {i}: {:?}",
            leftovers(&case)
        );
    }
    // A third run succeeds and gives the figures: the three dossiers, and B-9 (direct, open,
    // due 05/02 < end 14/03 → pending overdue).
    let out = cchc_run(&case, &["--force"], &[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut req = case.request(cchc::pipeline::Outputs::Nothing);
    req.store = Some(case.dir.path().join("store"));
    let r = cchc::pipeline::run(&req).unwrap();
    assert_eq!(r.files_read, 0, "everything is in the store");
    let mut want = three();
    want.pending_overdue += 1;
    want.new_direct += 1;
    assert_eq!(counts(&r, TP, CT), want);
}

#[test]
fn a_run_killed_while_writing_leaves_the_earlier_outputs_and_the_next_run_no_leftovers() {
    let case = Case::new();
    case.file("a.csv", &delimited(";"));
    let out = cchc_run(&case, &[], &[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A file of the user's in the output folder.
    std::fs::write(case.out().join("ghi-chu.txt"), "của tôi").unwrap();
    let before: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(case.out().join(n)).unwrap())
        .collect();
    // A changed input, and the run killed once its new outputs are staged.
    case.csv(
        "b.csv",
        &["B-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"],
    );
    let killed = cchc_run(&case, &[], &[("CCHC_TEST_STOP_AT", "output-staged")])
        .output()
        .unwrap();
    assert!(!killed.status.success());
    let after: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(case.out().join(n)).unwrap())
        .collect();
    assert!(before == after, "the earlier outputs are intact");
    assert!(
        !leftovers(&case).is_empty(),
        "the killed run left its staging folder"
    );
    // The next run writes the new figures and removes what the killed one left.
    let next = cchc_run(&case, &[], &[]).output().unwrap();
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    assert!(leftovers(&case).is_empty(), "{:?}", leftovers(&case));
    store_and_outputs_whole(&case);
    assert_ne!(
        std::fs::read(case.out().join("indicators.json")).unwrap(),
        before[0]
    );
    assert_eq!(
        std::fs::read_to_string(case.out().join("ghi-chu.txt")).unwrap(),
        "của tôi"
    );
    assert!(case.out().join(".cchc-lan-chay.json").is_file());
}

#[test]
fn a_store_whose_manifest_names_missing_parts_repairs_itself() {
    let case = Case::new();
    case.file("a.csv", &delimited(";"));
    let out = cchc_run(&case, &[], &[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every part of a.csv goes missing (as a damaged store from before the lock left them).
    let store = case.dir.path().join("store");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("manifest.json")).unwrap()).unwrap();
    let path = manifest["sources"][0]["path"].as_str().unwrap().to_string();
    for p in manifest["sources"][0]["parts"].as_array().unwrap() {
        std::fs::remove_file(store.join(p.as_str().unwrap())).unwrap();
    }
    let out = cchc_run(&case, &["--force"], &[]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "Cảnh báo: kho dữ liệu {} thiếu tệp Parquet của 1 tệp nguồn ({path}); đã bỏ chúng khỏi kho, các tệp này được đọc lại từ đầu vào.",
            store.display()
        )),
        "{err}"
    );
    store_and_outputs_whole(&case);
    let mut req = case.request(cchc::pipeline::Outputs::Nothing);
    req.store = Some(store);
    let r = cchc::pipeline::run(&req).unwrap();
    assert_eq!(r.files_read, 0);
    assert_eq!(counts(&r, TP, CT), three());
}

// ---------------------------------------------------------------------------------------------
// 8. A due date before the received date

/// The text of every cell of a sheet of the data-quality workbook `check` or `run` wrote.
fn quality_sheet(case: &Case, sheet: &str) -> Vec<Vec<String>> {
    crate::support::read_sheet(&case.out().join("chat-luong-du-lieu-2024-Q1.xlsx"), sheet)
}

#[test]
fn quarantines_a_due_date_on_an_earlier_day_than_the_received_date() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            &ROWS[0].join(";"),
            // Due the day before it was received.
            "HS-8;Phòng Tư pháp;Chứng thực;05/01/2024;04/01/2024;;Đang xử lý;Trực tiếp",
            // Due and completed before it was received: both reasons.
            "HS-9;Phòng Tư pháp;Chứng thực;10/01/2024 08:00;09/01/2024;08/01/2024;Đã có kết quả;Trực tiếp",
            // Due earlier on the same calendar day: a day is not earlier, counted (on time).
            "HS-7;Phòng Tư pháp;Chứng thực;05/01/2024 16:00;05/01/2024 08:00;05/01/2024 10:00;Đã trả kết quả;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_online", 1),
            ("new_direct", 1),
            ("resolved_on_time", 2)
        ])
    );
    let got: Vec<_> = r
        .quarantine
        .iter()
        .map(|q| {
            (
                q.dossier_id.as_str(),
                q.source.row,
                q.column.as_str(),
                q.value.as_str(),
                q.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "HS-8",
                3,
                "Ngày hẹn trả",
                "04/01/2024",
                "ngày hẹn trả 04/01/2024 sớm hơn ngày tiếp nhận 05/01/2024"
            ),
            (
                "HS-9",
                4,
                "Ngày hẹn trả",
                "09/01/2024",
                "ngày hẹn trả 09/01/2024 sớm hơn ngày tiếp nhận 10/01/2024; ngày kết thúc 08/01/2024 sớm hơn ngày tiếp nhận 10/01/2024"
            ),
        ]
    );
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.quarantined), (4, 2, 2));
    let (ok, stdout, stderr) = check(&case);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("cách ly 2"), "{stdout}");
    let text = quality_sheet(&case, "Hồ sơ cách ly").concat().join("|");
    assert!(
        text.contains("ngày hẹn trả 04/01/2024 sớm hơn ngày tiếp nhận 05/01/2024"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Dossier codes: invisible characters, case, copies that disagree

#[test]
fn removes_invisible_characters_from_dossier_codes_before_comparing_them() {
    let case = Case::new();
    case.csv("a.csv", &[&ROWS[0].join(";"), &ROWS[1].join(";")]);
    // The re-export spells the codes with a zero-width space, a no-break space, a narrow
    // no-break space and a byte-order mark inside: the same two dossiers.
    case.csv(
        "b.csv",
        &[
            &ROWS[0].join(";").replace("HS-1", "HS\u{200B}-1\u{00A0}"),
            &ROWS[1]
                .join(";")
                .replace("HS-2", "\u{FEFF}HS-\u{202F}2\u{200D}"),
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_online", 1),
            ("new_direct", 1),
            ("resolved_early", 1),
            ("resolved_on_time", 1)
        ])
    );
    let dups: Vec<_> = r
        .duplicates
        .iter()
        .map(|d| (d.dossier_id.as_str(), d.dropped.file, d.kept.file))
        .collect();
    assert_eq!(dups, [("HS-1", 0, 1), ("HS-2", 0, 1)]);
    assert!(r.duplicates.iter().all(|d| d.differs.is_empty()));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn warns_in_pairs_about_dossier_codes_that_differ_only_in_case() {
    let case = Case::new();
    case.csv("a.csv", &[&ROWS[0].join(";"), &ROWS[1].join(";")]);
    case.csv(
        "b.csv",
        &[
            &ROWS[0].join(";").replace("HS-1", "hs-1"),
            &ROWS[0].join(";").replace("HS-1", "Hs-1"),
        ],
    );
    let r = case.run();
    // Codes are compared exactly: HS-1, hs-1 and Hs-1 are three dossiers.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_online", 3),
            ("new_direct", 1),
            ("resolved_early", 1),
            ("resolved_on_time", 3)
        ])
    );
    assert!(r.duplicates.is_empty());
    let got: Vec<_> = r
        .warnings
        .iter()
        .map(|w| {
            assert_eq!(w.kind, cchc::quality::WarningKind::CodeCaseDiffers);
            assert_eq!(w.column, "Mã hồ sơ");
            (
                w.source.file,
                w.source.row,
                w.dossier_id.as_str(),
                w.value.as_str(),
            )
        })
        .collect();
    // HS-1, seen first, pairs with each other spelling; each pair is two lines.
    assert_eq!(
        got,
        [
            (0, 2, "HS-1", "hs-1"),
            (1, 2, "hs-1", "HS-1"),
            (0, 2, "HS-1", "Hs-1"),
            (1, 3, "Hs-1", "HS-1"),
        ]
    );
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
    let rows = quality_sheet(&case, "Cảnh báo");
    let label = "Mã hồ sơ chỉ khác một mã khác ở chữ hoa/thường (tính là hai hồ sơ)";
    let listed: Vec<_> = rows
        .iter()
        .filter(|r| r.get(1).is_some_and(|k| k == label))
        .map(|r| (r[5].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("HS-1", "hs-1"),
            ("hs-1", "HS-1"),
            ("HS-1", "Hs-1"),
            ("Hs-1", "HS-1")
        ]
    );
}

#[test]
fn warns_about_a_duplicate_whose_copies_disagree_on_unit_or_field() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &["HS-2;Phòng Tư pháp;Chứng thực;10/01/2024;12/01/2024;;Đang xử lý;Trực tiếp"],
    );
    // The later copy, further along, names another unit and field: it wins, and is warned about.
    case.csv(
        "b.csv",
        &["HS-2;Xã Đông Thạnh;Hộ tịch;10/01/2024;12/01/2024;11/01/2024;Đã có kết quả;Trực tiếp"],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, "Xã Đông Thạnh", "Hộ tịch"),
        c(&[("new_direct", 1), ("resolved_early", 1)])
    );
    let differs =
        "đơn vị: bản giữ lại «Xã Đông Thạnh», bản bỏ «Phòng Tư pháp»; lĩnh vực: bản giữ lại «Hộ tịch», bản bỏ «Chứng thực»";
    assert_eq!(r.duplicates.len(), 1);
    assert_eq!(r.duplicates[0].differs, differs);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let w = &r.warnings[0];
    assert_eq!(w.kind, cchc::quality::WarningKind::DuplicateDisagrees);
    assert_eq!(
        (w.source.file, w.source.row, w.dossier_id.as_str()),
        (0, 2, "HS-2")
    );
    assert_eq!(
        (w.column.as_str(), w.value.as_str()),
        ("Đơn vị, Lĩnh vực", differs)
    );
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
    let dup = quality_sheet(&case, "Hồ sơ trùng");
    assert_eq!(dup[3][11], "Các bản khác nhau ở");
    assert_eq!(dup[4][11], differs);
    let warn = quality_sheet(&case, "Cảnh báo");
    assert_eq!(
        warn[4][1],
        "Các bản của hồ sơ trùng khác đơn vị hoặc lĩnh vực"
    );
    assert_eq!(warn[4][7], differs);
}

// ---------------------------------------------------------------------------------------------
// 10. The header anywhere in the sheet, and a clear message when there is none

#[test]
fn finds_a_header_below_row_sixty() {
    // An xlsx: 75 lines of a cover note above the header (row 76), then the three dossiers.
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..75u32 {
        ws.write_string(
            r,
            0,
            format!("Ghi chú {}: số liệu trích xuất từ hệ thống", r + 1),
        )
        .unwrap();
    }
    ws.write_string(40, 1, "Người lập: Nguyễn Văn A").unwrap();
    for (col, h) in columns().iter().enumerate() {
        ws.write_string(75, col as u16, *h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        for (col, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(76 + i as u32, col as u16, *v).unwrap();
            }
        }
    }
    write(&case, "sau.xlsx", &wb.save_to_buffer().unwrap());
    reads_three(&case);
    let r = case.run();
    let rows: Vec<u32> = r.warnings.iter().map(|w| w.source.row).collect();
    assert!(rows.is_empty(), "{:?}", r.warnings);
    // The same in a CSV, whose title lines have no separators.
    let case = Case::new();
    let mut text: String = (1..=75).map(|i| format!("Ghi chú {i}\n")).collect();
    text.push_str(&delimited(";"));
    case.file("sau.csv", &text);
    reads_three(&case);
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
}

#[test]
fn says_how_far_the_header_search_went_and_which_known_names_were_closest() {
    let case = Case::new();
    case.file(
        "khong-dau.csv",
        "Ma ho so;Don vi;Linh vuc;Ngay tiep nhan;Ghi chu\nHS-1;Phòng Tư pháp;Chứng thực;05/01/2024;\nHS-2;Phòng Tư pháp;Chứng thực;10/01/2024;\n",
    );
    let msg = case.run_err();
    let want = "khong-dau.csv: không tìm thấy dòng tiêu đề ở trang tính nào: cần một dòng tiêu đề của danh sách hồ sơ (có cột Mã hồ sơ, Số hồ sơ, Mã số hồ sơ, Số biên nhận, Số HS) hoặc của danh sách đánh giá mức độ hài lòng (có cột ";
    assert!(msg.contains(want), "{msg}");
    let tail = "; đã tìm hết 3 dòng của trang tính «khong-dau.csv»; gần nhất là dòng 1 của trang tính «khong-dau.csv»: «Ma ho so» gần với tên cột «Mã hồ sơ»; «Don vi» gần với tên cột «Đơn vị»; «Linh vuc» gần với tên cột «Lĩnh vực»; «Ngay tiep nhan» gần với tên cột «Ngày tiếp nhận»\n";
    assert!(msg.contains(tail), "{msg}");
    let (ok, _, stderr) = check(&case);
    assert!(!ok);
    assert!(stderr.contains(tail), "{stderr}");

    // Known columns without the identifying ones: named as what the row has.
    let case = Case::new();
    case.file(
        "tong-hop.csv",
        "Báo cáo tổng hợp\nĐơn vị;Lĩnh vực;Tổng số\nPhòng Tư pháp;Chứng thực;10\n",
    );
    let msg = case.run_err();
    assert!(
        msg.contains("; đã tìm hết 3 dòng của trang tính «tong-hop.csv»; gần nhất là dòng 2 của trang tính «tong-hop.csv»: có cột «Đơn vị», «Lĩnh vực», «Tổng số» của danh sách đánh giá mức độ hài lòng\n"),
        "{msg}"
    );

    // A long sheet with nothing like a header: the search stops, and says where.
    let case = Case::new();
    let mut text = String::from("a;b\n");
    for i in 0..30_000 {
        text.push_str(&format!("X-{i};Y-{i}\n"));
    }
    case.file("rac.csv", &text);
    let msg = case.run_err();
    assert!(
        msg.contains("; đã tìm đến dòng 4.940 trong 30.001 dòng của trang tính «rac.csv» (dừng vì quá nhiều nội dung khác nhau mà chưa thấy tiêu đề); không dòng nào có tên cột đã biết\n"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Two columns that mean one column

#[test]
fn warns_about_two_columns_meaning_one_and_reads_the_one_named_by_its_own_label() {
    let case = Case::new();
    // «Số biên nhận» (an alias) comes before «Mã hồ sơ» (the column's own label): the label
    // wins. «Ngày tiếp nhận» (the label) comes before «Ngày nhận» (an alias): it stays. «Đơn vị»
    // twice: the first is read. Two columns of personal data (the applicant's name and the
    // dossier's owner) are one discarded column: no warning.
    let header = format!(
        "Số biên nhận;{};Mã hồ sơ;Ngày nhận;Đơn vị;Người nộp;Chủ hồ sơ",
        &HEADER["Mã hồ sơ;".len()..]
    );
    let mut text = header;
    for r in ROWS {
        let receipt = r[0].replace("HS", "BN");
        text.push_str(&format!(
            "\n{receipt};{};{};01/01/2020;Xã Đông Thạnh;Nguyễn Văn A;Nguyễn Văn A",
            r[1..].join(";"),
            r[0]
        ));
    }
    text.push('\n');
    case.file("hai-cot.csv", &text);
    let r = case.run();
    assert_eq!(counts(&r, TP, CT), three());
    let unknown: Vec<_> = r
        .unknown_columns
        .iter()
        .map(|u| u.header.as_str())
        .collect();
    assert_eq!(unknown, ["Chủ hồ sơ"]);
    let ids: Vec<_> = r.duplicates.iter().map(|d| d.dossier_id.clone()).collect();
    assert!(ids.is_empty(), "{ids:?}");
    let got: Vec<_> = r
        .warnings
        .iter()
        .map(|w| {
            assert_eq!(w.kind, cchc::quality::WarningKind::DuplicateColumn);
            assert_eq!((w.source.row, w.dossier_id.as_str()), (1, ""));
            (w.column.as_str(), w.value.as_str())
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "«Số biên nhận» (cột A)",
                "cùng nghĩa với cột «Mã hồ sơ» (cột I), là cột được đọc"
            ),
            (
                "«Ngày nhận» (cột J)",
                "cùng nghĩa với cột «Ngày tiếp nhận» (cột D), là cột được đọc"
            ),
            (
                "«Đơn vị» (cột K)",
                "cùng nghĩa với cột «Đơn vị» (cột B), là cột được đọc"
            ),
        ]
    );
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
    let warn = quality_sheet(&case, "Cảnh báo");
    assert_eq!(warn[4][1], "Hai cột cùng nghĩa (chỉ đọc một cột)");
    assert_eq!(warn[4][6], "«Số biên nhận» (cột A)");
}

// ---------------------------------------------------------------------------------------------
// 12. The encoding of each text file, shown

#[test]
fn shows_each_text_files_encoding_in_the_data_quality_workbook() {
    let case = Case::new();
    write(&case, "a-1258.csv", &to_windows_1258(&delimited(";")));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            delimited("\t")
                .replace("HS-", "U-")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(&case, "b-unicode.txt", &utf16);
    write(&case, "c.xlsx", &three_xlsx());
    let encodings = |case: &Case| -> Vec<(String, String)> {
        quality_sheet(case, "Tổng hợp")
            .into_iter()
            .skip(4)
            .take(3)
            .map(|r| (r[1].clone(), r[10].clone()))
            .collect()
    };
    let want = |case: &Case| {
        let dir = case.inputs();
        let name = |n: &str| cchc::ingest::display_path(&dir.join(n));
        vec![
            (name("a-1258.csv"), "Windows-1258".to_string()),
            (name("b-unicode.txt"), "UTF-16LE".to_string()),
            (name("c.xlsx"), String::new()),
        ]
    };
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
    assert_eq!(quality_sheet(&case, "Tổng hợp")[3][10], "Mã hóa ký tự");
    assert_eq!(encodings(&case), want(&case));
    // Through the store, the second time from what it kept.
    for _ in 0..2 {
        let out = cchc_run(&case, &["--force"], &[]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(encodings(&case), want(&case));
    }
}

// ---------------------------------------------------------------------------------------------
// 13. Texts longer than a workbook cell holds

#[test]
fn cuts_a_text_longer_than_a_cell_holds_in_every_workbook_and_warns_where_it_came_from() {
    let case = Case::new();
    // 40 000 characters: «Thủ tục » repeated.
    let long: String = "Thủ tục ".repeat(5_000);
    assert_eq!(long.chars().count(), 40_000);
    let status: String = "x".repeat(33_000);
    let text = format!(
        "{HEADER};Tên thủ tục\n\
         HS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;10/01/2024;Đã trả kết quả;Trực tiếp;{long}\n\
         HS-2;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;;{status};Trực tiếp;Chứng thực bản sao\n"
    );
    case.file("dai.csv", &text);
    let r = case.run_all();
    // HS-1 late; HS-2 open, its unknown status read from the dates (processing), overdue.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 2),
            ("resolved_late", 1),
            ("pending_overdue", 1)
        ])
    );
    let cut: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::TextCut)
        .map(|w| (w.source.row, w.column.as_str(), w.value.as_str()))
        .collect();
    let opening = format!("{}…", &long[..long.char_indices().nth(59).unwrap().0]);
    assert_eq!(
        cut,
        [
            (
                2,
                "Tên thủ tục",
                format!("«{opening}» (40.000 ký tự; bảng tính giữ 32.766 ký tự đầu)").as_str()
            ),
            (
                3,
                "Trạng thái",
                format!(
                    "«{}…» (33.000 ký tự; bảng tính giữ 32.766 ký tự đầu)",
                    "x".repeat(59)
                )
                .as_str()
            ),
        ]
    );
    // The late-dossier annex holds the procedure cut to a cell, ending in «…».
    let late =
        crate::support::read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Hồ sơ trễ hạn");
    let cell = late
        .iter()
        .flatten()
        .find(|c| c.starts_with("Thủ tục Thủ tục"))
        .expect("the procedure in the annex");
    assert_eq!(cell.chars().count(), 32_767);
    assert!(
        cell.ends_with("Thủ tục…") || cell.ends_with('…'),
        "{}",
        &cell[cell.len() - 20..]
    );
    assert!(long.starts_with(cell.trim_end_matches('…')));
    // The data-quality workbook lists both warnings, and the unknown status cut to a cell.
    let warn = quality_sheet(&case, "Cảnh báo");
    let label = "Nội dung dài quá 32.767 ký tự (bị cắt trong bảng tính)";
    let listed: Vec<_> = warn
        .iter()
        .filter(|r| r[1] == label)
        .map(|r| (r[2].clone(), r[3].clone(), r[4].clone(), r[6].clone()))
        .collect();
    let file = cchc::ingest::display_path(&case.inputs().join("dai.csv"));
    assert_eq!(
        listed,
        [
            (
                file.clone(),
                "dai.csv".into(),
                "2".into(),
                "Tên thủ tục".into()
            ),
            (file, "dai.csv".into(), "3".into(), "Trạng thái".into()),
        ]
    );
    let status_cell = warn
        .iter()
        .find(|r| r[1] == "Trạng thái trống hoặc lạ (suy theo ngày)")
        .map(|r| r[7].clone())
        .unwrap();
    assert_eq!(status_cell.chars().count(), 32_767);
    assert!(status_cell.ends_with("x…"));
    let (ok, _, stderr) = check(&case);
    assert!(ok, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 14. Configuration errors in Vietnamese; folders the pipeline names that do not exist

#[test]
fn tells_configuration_errors_in_vietnamese_with_line_and_caret() {
    let case = Case::with_pipeline_edit(
        "period_rule = \"nd09\"",
        "period_rule = \"nd09\"\nwithdrawm = 1",
    );
    case.csv("a.csv", &[&ROWS[0].join(";")]);
    let msg = case.run_err();
    assert!(
        msg.contains(&format!(
            "tệp cấu hình {} không hợp lệ: lỗi ở dòng 9, cột 1\n  |\n9 | withdrawm = 1\n  | ^^^^^^^^^\ntrường không hợp lệ `withdrawm`, các trường được dùng: `district`, `locality`, `locality_code`, `period`, `period_rule`, `withdrawn`,",
            case.pipeline.display()
        )),
        "{msg}"
    );
    assert!(!msg.contains("unknown field"), "{msg}");

    // A file the pipeline names that is not there.
    let case = Case::with_pipeline_edit("units = \"units.toml\"", "units = \"khong-co.toml\"");
    let msg = case.run_err();
    assert!(
        msg.contains(&format!(
            "không đọc được tệp cấu hình {}: không tìm thấy tệp",
            case.pipeline
                .parent()
                .unwrap()
                .join("khong-co.toml")
                .display()
        )),
        "{msg}"
    );

    // A wrong type and a missing field in the satisfaction configuration.
    let case = Case::with_pipeline_edit("period = \"2024-Q1\"", "period = \"2024-Q1\"");
    let sat = case.pipeline.parent().unwrap().join("satisfaction.toml");
    let text = std::fs::read_to_string(&sat).unwrap();
    let list_line = text.lines().find(|l| l.starts_with("list_name")).unwrap();
    std::fs::write(&sat, text.replace(list_line, "list_name = 3")).unwrap();
    let msg = case.run_err();
    assert!(
        msg.contains(&format!(
            "tệp cấu hình {} không hợp lệ: lỗi ở dòng",
            sat.display()
        )) && msg.contains("\nsai kiểu: số nguyên `3`, cần một chuỗi"),
        "{msg}"
    );
    std::fs::write(&sat, text.replace(list_line, "")).unwrap();
    assert!(case.run_err().contains("\nthiếu trường `list_name`"));

    // An annex template of the district with a misspelt field.
    let case = Case::with_pipeline_edit("templates = \"../templates\"", "templates = \"mau\"");
    let annexes = case.pipeline.parent().unwrap().join("mau/annexes");
    std::fs::create_dir_all(&annexes).unwrap();
    std::fs::write(annexes.join("phu-luc.toml"), "sheet = [\"bieu-06.toml\"]\n").unwrap();
    case.csv("a.csv", &[&ROWS[0].join(";")]);
    let msg = case.run_err();
    assert!(
        msg.contains(&format!(
            "mẫu phụ lục {} không hợp lệ: lỗi ở dòng 1, cột 1\n  |\n1 | sheet = [\"bieu-06.toml\"]\n  | ^^^^^\ntrường không hợp lệ `sheet`, các trường được dùng: `sheets`",
            annexes.join("phu-luc.toml").display()
        )),
        "{msg}"
    );
}

#[test]
fn warns_once_about_a_templates_folder_or_a_narrative_folder_that_does_not_exist() {
    let case =
        Case::with_pipeline_edit("templates = \"../templates\"", "templates = \"mau-huyen\"");
    case.csv("a.csv", &[&ROWS[0].join(";")]);
    let cfg = case.pipeline.parent().unwrap().to_path_buf();
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("run")
        .arg(&case.pipeline)
        .args(["--period", "2024-Q1", "-q", "--no-store", "--input"])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let templates = format!(
        "Cảnh báo: thư mục mẫu {} (mục templates của {}) không có; dùng mẫu mặc định.",
        cfg.join("mau-huyen").display(),
        case.pipeline.display()
    );
    // The copied configuration has no narrative folder.
    let narrative = format!(
        "Cảnh báo: thư mục lời văn {} ([report] narrative = «narrative/{{period}}.toml» trong {}) không có; các phần lời văn của báo cáo để trống.",
        cfg.join("narrative").display(),
        case.pipeline.display()
    );
    assert_eq!(err.matches(&templates).count(), 1, "{err}");
    assert_eq!(err.matches(&narrative).count(), 1, "{err}");
    // With both folders there, nothing is said.
    std::fs::create_dir_all(cfg.join("mau-huyen")).unwrap();
    std::fs::create_dir_all(cfg.join("narrative")).unwrap();
    let (ok, _, stderr) = {
        let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
            .arg("check")
            .arg(&case.pipeline)
            .args(["--period", "2024-Q1", "--input"])
            .arg(case.inputs())
            .arg("--out")
            .arg(case.out())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("Cảnh báo"), "{stderr}");
}

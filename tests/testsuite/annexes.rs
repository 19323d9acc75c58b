//! The annex workbook: every number equal to indicators.json, every total the sum of its rows,
//! headers and merges where the template puts them, layouts pinned by snapshots, and templates
//! a district can change without touching Rust.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use serde_json::Value;

use crate::support::{read_sheet, root, Case};

/// A case reading the external fixtures c1–c3 (two levels, six units, several fields).
fn rich_case() -> Case {
    Case::with_external(&[
        "c1-xlsx-he-thong-thanh-pho",
        "c2-csv-mot-cua-xa",
        "c3-xls-ods-xa",
    ])
}

fn number(cell: &str) -> u64 {
    cell.parse::<f64>()
        .unwrap_or_else(|_| panic!("«{cell}» is not a number")) as u64
}

const COUNT_COLUMNS: [&str; 11] = [
    "received_total",
    "new_online",
    "",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within",
    "pending_overdue",
];

#[test]
fn writes_form_06_numbers_equal_to_indicators_json_and_totals_equal_to_their_rows() {
    let case = rich_case();
    case.run_all();
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Biểu 06");
    let body = sheet
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "(1)"))
        .unwrap()
        + 1;
    let rows = &sheet[body..];
    let vals = |r: &Vec<String>| -> Vec<u64> { (2..13).map(|c| number(&r[c])).collect() };
    let add = |a: &mut Vec<u64>, b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    // Walk the rows: level (I, II), unit (1, 2, …), field (blank STT).
    let tthc = json["tthc"].as_array().unwrap();
    let mut seen = 0;
    let mut unit = String::new();
    let mut level_sum = vec![0u64; 11];
    let mut unit_sum = vec![0u64; 11];
    let mut unit_row: Option<Vec<u64>> = None;
    let mut level_rows: Vec<Vec<u64>> = Vec::new();
    let mut total_of_levels = vec![0u64; 11];
    let total = vals(&rows[0]);
    assert_eq!(rows[0][1], "TỔNG SỐ");
    let check_unit = |unit_row: &Option<Vec<u64>>, unit_sum: &Vec<u64>| {
        if let Some(u) = unit_row {
            assert_eq!(u, unit_sum, "a unit subtotal is the sum of its fields");
        }
    };
    for r in &rows[1..] {
        let stt = r[0].as_str();
        if stt == "I" || stt == "II" {
            check_unit(&unit_row, &unit_sum);
            unit_row = None;
            if stt == "II" {
                assert_eq!(
                    level_rows.last().unwrap(),
                    &level_sum,
                    "level I is the sum of its units"
                );
            }
            level_sum = vec![0; 11];
            level_rows.push(vals(r));
            add(&mut total_of_levels, &vals(r));
        } else if !stt.is_empty() {
            check_unit(&unit_row, &unit_sum);
            unit = r[1].clone();
            unit_row = Some(vals(r));
            add(&mut level_sum, &vals(r));
            unit_sum = vec![0; 11];
        } else {
            let field = r[1].as_str();
            let j = tthc
                .iter()
                .find(|j| j["unit"] == unit.as_str() && j["field"] == field)
                .unwrap_or_else(|| panic!("{unit} / {field} not in indicators.json"));
            let v = vals(r);
            for (i, key) in COUNT_COLUMNS.iter().enumerate() {
                let expected = if key.is_empty() {
                    j["new_direct"].as_u64().unwrap() + j["new_postal"].as_u64().unwrap()
                } else {
                    j[key].as_u64().unwrap()
                };
                assert_eq!(v[i], expected, "{unit} / {field} / {key}");
            }
            match j["on_time_rate"].as_f64() {
                Some(rate) => assert_eq!(r[13].parse::<f64>().unwrap(), rate),
                None => assert_eq!(r[13], "—"),
            }
            add(&mut unit_sum, &v);
            seen += 1;
        }
    }
    check_unit(&unit_row, &unit_sum);
    assert_eq!(
        level_rows.last().unwrap(),
        &level_sum,
        "level II is the sum of its units"
    );
    assert_eq!(
        total, total_of_levels,
        "the grand total is the sum of the levels"
    );
    assert_eq!(
        seen,
        tthc.len(),
        "every row of indicators.json is on the sheet"
    );
}

fn merges(path: &Path, sheet: &str) -> Vec<String> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    if let calamine::Sheets::Xlsx(x) = &mut wb {
        let mut out: Vec<String> = x
            .merge_cells_by_sheet_name(sheet)
            .unwrap()
            .iter()
            .map(|d| format!("{}:{}", name(d.start), name(d.end)))
            .collect();
        out.sort();
        return out;
    }
    unreachable!("xlsx")
}

fn name((r, c): (u32, u32)) -> String {
    format!("{}{}", (b'A' + c as u8) as char, r + 1)
}

#[test]
fn lays_out_the_three_header_levels_of_form_06_as_the_template_says() {
    let case = rich_case();
    case.run_all();
    let book = case.out().join("phu-luc-2024-Q1.xlsx");
    let sheet = read_sheet(&book, "Biểu 06");
    let m = merges(&book, "Biểu 06");
    for expected in [
        "A9:A11", "B9:B11", "C9:F9", "C10:C11", "D10:F10", "G9:J9", "G10:G11", "K9:M9", "N9:N11",
    ] {
        assert!(
            m.contains(&expected.to_string()),
            "{expected} not merged: {m:?}"
        );
    }
    assert_eq!(sheet[8][2], "Số hồ sơ nhận giải quyết");
    assert_eq!(sheet[9][3], "Trong đó");
    assert_eq!(sheet[10][3], "Trực tuyến");
    assert_eq!(sheet[10][4], "Trực tiếp và dịch vụ bưu chính");
    assert_eq!(sheet[10][5], "Từ kỳ trước");
    assert_eq!(sheet[11][0], "(1)");
    assert_eq!(sheet[11][12], "(13)");
    assert_eq!(sheet[5][0], "(Từ ngày 15/12/2023 đến ngày 14/03/2024)");
    assert_eq!(sheet[1][0], "HUYỆN HÓC MÔN");
}

#[test]
fn writes_totals_as_formulas_with_cached_values() {
    let case = rich_case();
    case.run_all();
    let mut wb = calamine::open_workbook_auto(case.out().join("phu-luc-2024-Q1.xlsx")).unwrap();
    let formulas = wb.worksheet_formula("Biểu 06").unwrap();
    let values = wb.worksheet_range("Biểu 06").unwrap();
    // Row 13 (0-based 12) is the grand total: the sum of the two level rows.
    let f = formulas.get_value((12, 2)).unwrap();
    assert!(f.starts_with("C") && f.contains('+'), "{f}");
    assert!(matches!(values.get_value((12, 2)), Some(Data::Float(v)) if *v > 0.0));
    let unit_sum = (13..values.height() as u32)
        .filter_map(|r| formulas.get_value((r, 2)))
        .any(|f| f.starts_with("SUM("));
    assert!(unit_sum, "unit subtotals are SUM formulas");
}

#[test]
fn lists_late_dossiers_by_unit_and_days_late_without_applicants() {
    let case = Case::new();
    case.file(
        "tre-han.csv",
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Tên thủ tục;Người nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp\n\
         A-1;Phòng Tư pháp;Chứng thực;Chứng thực bản sao;Nguyễn Văn Bí Mật;01/02/2024;05/02/2024;08/02/2024;Đã trả kết quả;Trực tiếp\n\
         A-2;Phòng Tư pháp;Chứng thực;Chứng thực chữ ký;Trần Thị Riêng Tư;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp\n\
         A-3;Phòng Tư pháp;Chứng thực;Chứng thực chữ ký;Lê Văn C;01/02/2024;05/02/2024;;Chờ bổ sung;Trực tiếp\n\
         A-4;Phòng Tư pháp;Chứng thực;Chứng thực chữ ký;Lê Văn D;01/03/2024;20/03/2024;;Đang xử lý;Trực tiếp\n\
         B-1;Xã Bà Điểm;Hộ tịch;Đăng ký khai sinh;Phạm E;01/03/2024;04/03/2024;05/03/2024;Đã trả kết quả;Trực tiếp\n",
    );
    case.run_all();
    let book = case.out().join("phu-luc-2024-Q1.xlsx");
    let sheet = read_sheet(&book, "Hồ sơ trễ hạn");
    let body = sheet
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "STT"))
        .unwrap()
        + 1;
    let listed: Vec<(String, String, String)> = sheet[body..]
        .iter()
        .map(|r| (r[1].clone(), r[8].clone(), r[9].clone()))
        .collect();
    // A-2 pending since due 05/02 → 14/03 is 38 days; A-1 resolved 3 days late; B-1 1 day late.
    // A-3 waits for a supplement and A-4 is within its deadline: not late.
    assert_eq!(
        listed,
        [
            ("A-2".into(), "38".into(), "Đang giải quyết quá hạn".into()),
            ("A-1".into(), "3".into(), "Đã giải quyết quá hạn".into()),
            ("B-1".into(), "1".into(), "Đã giải quyết quá hạn".into()),
        ]
    );
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    for sheet in wb.sheet_names() {
        let range = wb.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            let text = cell.2.to_string();
            assert!(
                !text.contains("Bí Mật") && !text.contains("Riêng Tư"),
                "applicant name in «{sheet}»"
            );
        }
    }
}

#[test]
fn shows_targets_with_their_verdicts() {
    let case = rich_case();
    case.run_all();
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Chỉ tiêu");
    let body = sheet
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "STT"))
        .unwrap()
        + 1;
    let targets = json["targets"].as_array().unwrap();
    let gaps = json["targets_not_evaluated"].as_array().unwrap();
    assert_eq!(sheet.len() - body, targets.len() + gaps.len());
    // After the decided targets, those the data cannot decide, with why.
    for (r, g) in sheet[body + targets.len()..].iter().zip(gaps) {
        assert_eq!(r[1], g["id"].as_str().unwrap());
        assert_eq!(r[3], g["scope"].as_str().unwrap());
        assert_eq!(r[4], "chưa có dữ liệu");
        assert_eq!(
            r[6],
            format!("Chưa đánh giá được: {}", g["reason"].as_str().unwrap())
        );
    }
    for (r, t) in sheet[body..].iter().zip(targets) {
        assert_eq!(r[1], t["id"].as_str().unwrap());
        assert_eq!(r[3], t["scope"].as_str().unwrap());
        assert_eq!(r[4].parse::<f64>().unwrap(), t["value"].as_f64().unwrap());
        assert_eq!(
            r[6],
            if t["met"].as_bool().unwrap() {
                "Đạt"
            } else {
                "Không đạt"
            }
        );
    }
}

/// `Biểu 06` → `bieu_06`, for snapshot file names.
fn ascii(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .filter(|c| c.is_ascii())
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn models(case: &Case, templates: Option<PathBuf>) -> Vec<cchc::render::annex::SheetModel> {
    sheets(case, templates).unwrap()
}

fn sheets(
    case: &Case,
    templates: Option<PathBuf>,
) -> anyhow::Result<Vec<cchc::render::annex::SheetModel>> {
    let report = case.run();
    cchc::render::annex::sheets(
        templates.as_deref(),
        &cchc::render::annex::AnnexInput {
            pipeline: &report.pipeline,
            period: &report.period,
            indicators: &report.indicators,
            index766: None,
        },
    )
}

/// The error of the annex built with a locality's copy of a shipped sheet template, `from`
/// replaced by `to` in it.
fn error_with_changed_template(case: &Case, file: &str, from: &str, to: &str) -> String {
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("annexes")).unwrap();
    let original = std::fs::read_to_string(root().join("templates/annexes").join(file)).unwrap();
    assert!(original.contains(from), "{file} has no {from}");
    std::fs::write(dir.join("annexes").join(file), original.replace(from, to)).unwrap();
    format!("{:#}", sheets(case, Some(dir)).unwrap_err())
}

#[test]
fn keeps_the_layout_of_every_annex_sheet() {
    let case = rich_case();
    for m in models(&case, None) {
        insta::assert_snapshot!(format!("annex_{}", ascii(&m.name)), m.dump());
    }
}

#[test]
fn follows_a_district_template_without_any_rust_change() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("annexes")).unwrap();
    let original = std::fs::read_to_string(root().join("templates/annexes/bieu-06.toml")).unwrap();
    let edited = original
        .replace("header = [\"Số hồ sơ nhận giải quyết\", \"Trong đó\", \"Trực tuyến\"]\nwidth = 11", "header = [\"Số hồ sơ nhận giải quyết\", \"Trong đó\", \"Nộp qua DVC trực tuyến\"]\nwidth = 20")
        .replace("name = \"Biểu 06\"", "name = \"Biểu 06 (huyện)\"");
    assert_ne!(original, edited);
    std::fs::write(dir.join("annexes/bieu-06.toml"), edited).unwrap();
    let sheets = models(&case, Some(dir.clone()));
    let form = sheets
        .iter()
        .find(|m| m.name == "Biểu 06 (huyện)")
        .expect("renamed sheet");
    assert_eq!(form.widths[3], 20.0);
    assert!(form
        .merges
        .iter()
        .any(|m| m.text == "Nộp qua DVC trực tuyến"));

    // And through the whole run: the pipeline names the templates folder.
    let mut request = case.request(cchc::pipeline::Outputs::All);
    let cfg = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    request.pipeline = cfg.pipeline.clone();
    cchc::pipeline::run(&request).unwrap();
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Biểu 06 (huyện)");
    assert_eq!(sheet[10][3], "Nộp qua DVC trực tuyến");
}

#[test]
fn refuses_a_sheet_template_of_a_kind_no_one_offers() {
    let msg = error_with_changed_template(
        &rich_case(),
        "pakn-tre-han.toml",
        "kind = \"pakn_late\"",
        "kind = \"pakn_tre_han\"",
    );
    assert!(
        msg.contains("pakn-tre-han.toml")
            && msg.contains("«pakn_tre_han»")
            && msg.contains("pakn_late")
            && msg.contains("form06")
            && msg.contains("targets"),
        "{msg}"
    );
}

#[test]
fn refuses_a_template_column_the_sheet_cannot_fill() {
    let msg = error_with_changed_template(
        &rich_case(),
        "chi-tieu.toml",
        "value = \"verdict\"",
        "value = \"ket_luan\"",
    );
    assert!(
        msg.contains("không có số liệu «ket_luan»") && msg.contains("verdict"),
        "{msg}"
    );
}

/// The shipped annex templates as a locality copied them before a word moved out of Rust into
/// them: every line that says one of those words dropped.
fn copies_without_the_moved_words(dir: &Path) {
    std::fs::create_dir_all(dir.join("annexes")).unwrap();
    for e in std::fs::read_dir(root().join("templates/annexes")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut kept = Vec::new();
        let mut in_defaults = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_defaults = line == "[defaults]";
            }
            let moved = [
                "document_title =",
                "apology_words =",
                "target_name =",
                "reported_count =",
            ]
            .iter()
            .any(|k| line.starts_with(k))
                || (line.starts_with("state_words =") && text.contains("kind = \"late_dossiers\""));
            if !moved && !in_defaults {
                kept.push(line);
            }
        }
        let old = kept.join("\n");
        assert!(!old.contains("[defaults]"));
        std::fs::write(dir.join("annexes").join(path.file_name().unwrap()), old).unwrap();
    }
}

#[test]
fn an_old_copy_of_the_templates_says_what_the_shipped_ones_say() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    copies_without_the_moved_words(&dir);
    let shipped: Vec<String> = models(&case, None).iter().map(|m| m.dump()).collect();
    let old: Vec<String> = models(&case, Some(dir.clone()))
        .iter()
        .map(|m| m.dump())
        .collect();
    assert_eq!(old, shipped);
    assert!(shipped
        .iter()
        .any(|d| d.contains("«Đã giải quyết quá hạn»") && d.contains("TextCenter «Có»")));

    // A sheet file of the locality's own, of a kind cchc ships, takes the kind's words too.
    std::fs::copy(
        dir.join("annexes/ho-so-tre-han.toml"),
        dir.join("annexes/tre-han-rieng.toml"),
    )
    .unwrap();
    let book = std::fs::read_to_string(dir.join("annexes/phu-luc.toml")).unwrap();
    std::fs::write(
        dir.join("annexes/phu-luc.toml"),
        book.replace("\"ho-so-tre-han.toml\"", "\"tre-han-rieng.toml\""),
    )
    .unwrap();
    let own: Vec<String> = models(&case, Some(dir)).iter().map(|m| m.dump()).collect();
    assert_eq!(own, shipped);
}

#[test]
fn takes_the_words_rust_once_wrote_from_a_district_template() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("annexes")).unwrap();
    let copy = |name: &str, edit: &dyn Fn(String) -> String| {
        let original =
            std::fs::read_to_string(root().join("templates/annexes").join(name)).unwrap();
        let edited = edit(original.clone());
        assert_ne!(original, edited, "{name}");
        std::fs::write(dir.join("annexes").join(name), edited).unwrap();
    };
    copy("ho-so-tre-han.toml", &|t| {
        t.replace(
            "apology_words = [\"Có\", \"Không\", \"—\"]",
            "apology_words = [\"Đã xin lỗi\", \"Chưa xin lỗi\", \"Không rõ\"]",
        )
        .replace(
            "state_words = [\"Đã giải quyết quá hạn\", \"Đang giải quyết quá hạn\"]",
            "state_words = [\"Đã xong, trễ hạn\", \"Chưa xong, quá hạn\"]",
        )
    });
    copy("bieu-06.toml", &|t| {
        t.replace("total_label = \"TỔNG SỐ\"", "total_label = \"CỘNG\"")
    });
    let sheets = models(&case, Some(dir.clone()));
    let late = sheets
        .iter()
        .find(|m| m.name == "Hồ sơ trễ hạn")
        .unwrap()
        .dump();
    assert!(late.contains("TextCenter «Không rõ»"), "{late}");
    assert!(late.contains("Text «Đã xong, trễ hạn»"), "{late}");
    assert!(!late.contains("«Đã giải quyết quá hạn»"), "{late}");
    assert!(!late.contains("TextCenter «—»"), "{late}");
    let form = sheets.iter().find(|m| m.name == "Biểu 06").unwrap().dump();
    assert!(form.contains("TotalText «CỘNG»"), "{form}");
    assert!(!form.contains("«TỔNG SỐ»"), "{form}");

    // The book's defaults: the words of a sheet whose template leaves them out.
    copy("bieu-06.toml", &|t| {
        t.replace("total_label = \"TỔNG SỐ\"\n", "")
    });
    copy("phu-luc.toml", &|t| {
        t.replace("total_label = \"TỔNG SỐ\"", "total_label = \"TỔNG CỘNG\"")
    });
    let form = models(&case, Some(dir))
        .into_iter()
        .find(|m| m.name == "Biểu 06")
        .unwrap()
        .dump();
    assert!(form.contains("TotalText «TỔNG CỘNG»"), "{form}");
}

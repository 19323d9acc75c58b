//! The quarterly report: every number read back from the written .docx equals the figures,
//! narrative text fills its sections (escaped) or placeholders show, layouts are pinned by
//! snapshots, and a district's templates change the output without Rust.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::support::{root, Case};

fn rich_case() -> Case {
    Case::with_external(&[
        "c1-xlsx-he-thong-thanh-pho",
        "c2-csv-mot-cua-xa",
        "c3-xls-ods-xa",
    ])
}

/// The body part of a written .docx.
pub fn document_xml(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut part = zip.by_name("word/document.xml").unwrap();
    let mut s = String::new();
    part.read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The text of each paragraph, and the cells of each table row, of a document.xml.
fn texts(xml: &str, open: &str, close: &str) -> Vec<Vec<String>> {
    xml.split(open)
        .skip(1)
        .map(|chunk| {
            let chunk = chunk.split(close).next().unwrap_or("");
            chunk
                .split("<w:t")
                .skip(1)
                .filter(|t| t.starts_with('>') || t.starts_with(' '))
                .map(|t| unescape(t.split_once('>').unwrap().1.split("</w:t>").next().unwrap()))
                .collect()
        })
        .collect()
}

pub fn paragraphs(xml: &str) -> Vec<String> {
    texts(xml, "<w:p>", "</w:p>")
        .into_iter()
        .map(|t| t.concat())
        .collect()
}

fn vn_int(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[test]
fn writes_every_figure_of_the_report_equal_to_indicators_json() {
    let case = rich_case();
    case.run_all();
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let xml = document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    let sum = |level: Option<&str>, key: &str| -> u64 {
        json["tthc"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| level.is_none_or(|l| r["level"] == l))
            .map(|r| r[key].as_u64().unwrap())
            .sum()
    };
    let rows = texts(&xml, "<w:tr>", "</w:tr>");
    for (label, level) in [
        ("Cấp huyện", Some("huyen")),
        ("Cấp xã", Some("xa")),
        ("Tổng cộng", None),
    ] {
        let row = rows
            .iter()
            .find(|r| r.first().is_some_and(|c| c == label))
            .unwrap_or_else(|| panic!("no row {label}"));
        let resolved = sum(level, "resolved_total");
        let on_time = sum(level, "resolved_early") + sum(level, "resolved_on_time");
        let rate = (on_time as f64 * 10000.0 / resolved as f64).round() as u64;
        let expected = [
            label.to_string(),
            vn_int(sum(level, "received_total")),
            vn_int(sum(level, "new_online")),
            vn_int(resolved),
            vn_int(on_time),
            vn_int(sum(level, "resolved_late")),
            format!("{},{:02}", rate / 100, rate % 100),
            vn_int(sum(level, "pending_total")),
        ];
        assert_eq!(row, &expected, "{label}");
    }
    let text = paragraphs(&xml).join("\n");
    let total_line = format!(
        "- Toàn huyện tiếp nhận {} hồ sơ (kỳ trước chuyển qua {}; tiếp nhận mới {}, trong đó trực tuyến {},",
        vn_int(sum(None, "received_total")),
        vn_int(sum(None, "carried_over")),
        vn_int(sum(None, "new_online") + sum(None, "new_direct") + sum(None, "new_postal")),
        vn_int(sum(None, "new_online")),
    );
    assert!(text.contains(&total_line), "{total_line}\n---\n{text}");
    let pending_line = format!(
        "đang giải quyết {} hồ sơ (trong hạn {}, quá hạn {}).",
        vn_int(sum(None, "pending_total")),
        vn_int(sum(None, "pending_within")),
        vn_int(sum(None, "pending_overdue"))
    );
    assert!(text.contains(&pending_line), "{pending_line}");
    for t in json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "3.1" && t["met"] == false)
    {
        assert!(
            text.contains(t["scope"].as_str().unwrap()),
            "field below target named: {}",
            t["scope"]
        );
    }
    assert!(text.contains("ngày 15 tháng 12 năm 2023 đến ngày 14 tháng 3 năm 2024"));
}

#[test]
fn lays_out_the_nd30_header_block_title_and_signature() {
    let case = rich_case();
    case.run_all();
    let xml = document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    let p = paragraphs(&xml);
    let at = |t: &str| {
        p.iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("no paragraph «{t}»"))
    };
    assert!(at("ỦY BAN NHÂN DÂN") < at("HUYỆN HÓC MÔN"));
    assert!(at("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < at("Độc lập - Tự do - Hạnh phúc"));
    assert!(p
        .iter()
        .any(|x| x == "Hóc Môn, ngày      tháng      năm 2024"));
    assert!(at("BÁO CÁO") < at("Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"));
    for heading in [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Cải cách thể chế",
        "6. Xây dựng chính quyền điện tử, chính quyền số",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ] {
        at(heading);
    }
    assert!(at("Nơi nhận:") < at("- Lưu: VT."));
    assert!(at("KT. CHỦ TỊCH") < at("PHÓ CHỦ TỊCH"));
    // A4, margins top/bottom 20 mm, left 32 mm, right 18 mm, page numbers from page 2.
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(xml.contains("w:top=\"1134\" w:right=\"1021\" w:bottom=\"1134\" w:left=\"1814\""));
    assert!(xml.contains("<w:titlePg/>"));
}

fn with_narrative(text: &str) -> Case {
    let case = Case::with_pipeline_edit(
        "narrative = \"narrative/{period}.toml\"",
        "narrative = \"loi-van-{period}.toml\"",
    );
    std::fs::write(
        case.pipeline.parent().unwrap().join("loi-van-2024-Q1.toml"),
        text,
    )
    .unwrap();
    for entry in std::fs::read_dir(rich_case().inputs()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, case.inputs().join(p.file_name().unwrap())).unwrap();
    }
    case
}

const PLACEHOLDER: &str = "[Đơn vị bổ sung nội dung]";

#[test]
fn leaves_a_visible_placeholder_in_every_section_without_words() {
    let case = rich_case();
    case.run_all();
    let xml = document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    let p = paragraphs(&xml);
    assert_eq!(p.iter().filter(|x| *x == PLACEHOLDER).count(), 9);
    assert!(xml.contains("<w:highlight w:val=\"yellow\"/>"));
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert_eq!(
        html.matches("<mark class=\"placeholder\">[Đơn vị bổ sung nội dung]</mark>")
            .count(),
        9
    );
}

#[test]
fn fills_sections_from_the_narrative_file() {
    let case = with_narrative(
        "chi_dao = [\"UBND huyện ban hành Kế hoạch số 108/QĐ-UBND.\", \"Đoạn thứ hai.\"]\nkien_nghi = [\"Đề nghị Sở Nội vụ hướng dẫn.\"]\n",
    );
    case.run_all();
    let p = paragraphs(&document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx")));
    let at = |t: &str| {
        p.iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("no paragraph «{t}»"))
    };
    assert_eq!(
        at("UBND huyện ban hành Kế hoạch số 108/QĐ-UBND."),
        at("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH") + 1
    );
    assert_eq!(
        at("Đoạn thứ hai."),
        at("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH") + 2
    );
    assert_eq!(
        at("Đề nghị Sở Nội vụ hướng dẫn."),
        at("V. ĐỀ XUẤT, KIẾN NGHỊ") + 1
    );
    assert_eq!(p.iter().filter(|x| *x == PLACEHOLDER).count(), 7);
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(html.contains("<p>Đề nghị Sở Nội vụ hướng dẫn.</p>"));
}

#[test]
fn escapes_special_characters_of_narrative_text_in_both_formats() {
    let case = with_narrative("the_che = [\"Sửa đổi <Quy chế> & \\\"quy định\\\" 'mới'\"]\n");
    case.run_all();
    let xml = document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    assert!(
        xml.contains("Sửa đổi &lt;Quy chế&gt; &amp; &quot;quy định&quot; &#x27;mới&#x27;"),
        "escaped in document.xml"
    );
    assert!(!xml.contains("<Quy chế>"));
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(html.contains("Sửa đổi &lt;Quy chế&gt; &amp; &quot;quy định&quot; &#x27;mới&#x27;"));
    assert!(paragraphs(&xml)
        .iter()
        .any(|p| p == "Sửa đổi <Quy chế> & \"quy định\" 'mới'"));
}

#[test]
fn refuses_an_unknown_section_in_the_narrative_file() {
    let case = with_narrative("chi_dao = []\nchi_dao_khac = [\"x\"]\n");
    let msg = case.run_err();
    assert!(
        msg.contains("tệp lời văn") && msg.contains("chi_dao_khac"),
        "{msg}"
    );
}

#[test]
fn compares_with_the_previous_quarter_when_the_data_reaches_back_to_it() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // Before 2023-Q4 (15/09–14/12/2023): shows the data reaches back; counts nowhere.
            "P-1;Phòng Tư pháp;Chứng thực;10/09/2023;12/09/2023;12/09/2023;Đã trả kết quả;Trực tiếp",
            // 2023-Q4: received 2, resolved 2 (1 early, 1 late) → 50 %.
            "P-2;Phòng Tư pháp;Chứng thực;01/10/2023;05/10/2023;04/10/2023;Đã trả kết quả;Trực tiếp",
            "P-3;Phòng Tư pháp;Chứng thực;01/11/2023;05/11/2023;08/11/2023;Đã trả kết quả;Trực tiếp",
            // 2024-Q1: received 3, resolved 2 (early, on time) → 100 %, 1 pending overdue.
            "Q-1;Phòng Tư pháp;Chứng thực;10/01/2024;15/01/2024;12/01/2024;Đã trả kết quả;Trực tiếp",
            "Q-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp",
            "Q-3;Phòng Tư pháp;Chứng thực;10/02/2024;15/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    case.run_all();
    let p = paragraphs(&document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx")));
    assert!(
        p.iter().any(|x| x
            == "- So với quý IV năm 2023: số hồ sơ tiếp nhận tăng 1 hồ sơ (50,00 %); tỷ lệ giải quyết đúng hạn tăng 50,00 điểm phần trăm (từ 50,00 % lên 100,00 %)."),
        "{p:#?}"
    );
}

#[test]
fn makes_no_comparison_when_the_data_starts_after_the_previous_quarter() {
    let case = Case::new();
    case.csv("a.csv", &["Q-1;Phòng Tư pháp;Chứng thực;10/01/2024;15/01/2024;12/01/2024;Đã trả kết quả;Trực tiếp"]);
    case.run_all();
    let p = paragraphs(&document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx")));
    assert!(!p.iter().any(|x| x.starts_with("- So với")));
}

#[test]
fn keeps_the_rendered_document_and_page() {
    let case = with_narrative("chi_dao = [\"Nội dung chỉ đạo.\"]\n");
    case.run_all();
    let xml = document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx"));
    insta::assert_snapshot!(
        "report_document_xml",
        xml.replace("><w:p>", ">\n<w:p>")
            .replace("<w:tr>", "\n<w:tr>")
    );
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    insta::assert_snapshot!("report_html", html);
}

#[test]
fn packages_a_docx_with_its_parts_byte_identical_twice() {
    let case = rich_case();
    case.run_all();
    let first = std::fs::read(case.out().join("bao-cao-cchc-2024-Q1.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first.clone())).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/header1.xml",
            "word/header2.xml"
        ]
    );
    case.run_all();
    assert_eq!(
        std::fs::read(case.out().join("bao-cao-cchc-2024-Q1.docx")).unwrap(),
        first
    );
}

#[test]
fn follows_a_district_report_template_without_any_rust_change() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("report")).unwrap();
    let html = std::fs::read_to_string(root().join("templates/report/bao-cao.html")).unwrap();
    std::fs::write(
        dir.join("report/bao-cao.html"),
        html.replace(
            "<p class=\"title\">BÁO CÁO</p>",
            "<p class=\"title\">BÁO CÁO NHANH</p>",
        ),
    )
    .unwrap();
    let xml = std::fs::read_to_string(root().join("templates/report/document.xml")).unwrap();
    std::fs::write(
        dir.join("report/document.xml"),
        xml.replace("text=\"BÁO CÁO\"", "text=\"BÁO CÁO NHANH\""),
    )
    .unwrap();
    let cfg = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.pipeline = cfg.pipeline.clone();
    cchc::pipeline::run(&request).unwrap();
    let out = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(out.contains("<p class=\"title\">BÁO CÁO NHANH</p>"));
    let p = paragraphs(&document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx")));
    assert!(p.iter().any(|x| x == "BÁO CÁO NHANH"));
}

#[test]
fn uses_a_district_copy_of_one_kind_part_in_both_formats() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("report/parts")).unwrap();
    for name in ["parts/dossier.xml", "parts/dossier.html"] {
        let text = std::fs::read_to_string(root().join("templates/report").join(name)).unwrap();
        let edited = text.replace(
            "Kết quả giải quyết hồ sơ thủ tục hành chính ",
            "Kết quả giải quyết hồ sơ TTHC ",
        );
        assert_ne!(edited, text, "{name}");
        std::fs::write(dir.join("report").join(name), edited).unwrap();
    }
    let cfg = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.pipeline = cfg.pipeline.clone();
    cchc::pipeline::run(&request).unwrap();
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(html.contains("<p>Kết quả giải quyết hồ sơ TTHC quý I năm 2024 (từ"));
    assert!(!html.contains("Kết quả giải quyết hồ sơ thủ tục hành chính"));
    let p = paragraphs(&document_xml(&case.out().join("bao-cao-cchc-2024-Q1.docx")));
    assert!(
        p.iter()
            .any(|x| x.starts_with("Kết quả giải quyết hồ sơ TTHC quý I năm 2024 (từ")),
        "{p:#?}"
    );
    // The rest of the report is the shipped templates'.
    assert!(p.iter().any(|x| x == "BÁO CÁO"));
}

#[test]
fn publishes_rates_by_unit_and_field_without_personal_data() {
    let case = Case::new();
    case.file(
        "a.csv",
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Người nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp\n\
         HS-1;Phòng Tư pháp;Chứng thực;Nguyễn Văn Riêng;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp\n\
         HS-2;Phòng Tư pháp;Chứng thực;Trần Thị Kín;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tiếp\n\
         HS-3;Xã Bà Điểm;Hộ tịch;Lê C;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp\n",
    );
    case.run_all();
    let html = std::fs::read_to_string(case.out().join("cong-khai-2024-Q1.html")).unwrap();
    // Phòng Tư pháp: 2 resolved, 1 on time → 50,00 % (below 99: flagged); 1 late → 50,00 %.
    assert!(html.contains(
        "<tr><td>Phòng Tư pháp</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num below\">50,00</td><td class=\"num\">1</td><td class=\"num\">50,00</td><td class=\"num\">0</td></tr>"
    ), "{html}");
    // Xã Bà Điểm: 1 on time → 100,00 %, nothing late.
    assert!(html.contains(
        "<tr><td>Xã Bà Điểm</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">100,00</td><td class=\"num\">0</td><td class=\"num\">0,00</td><td class=\"num\">0</td></tr>"
    ), "{html}");
    // District: 3 resolved, 2 on time → 66,67 %.
    assert!(html
        .contains("đúng hạn (gồm trước hạn) 2 hồ sơ, đạt 66,67 %; trễ hạn 1 hồ sơ, chiếm 33,33 %"));
    for secret in ["Riêng", "Kín", "HS-1", "HS-2"] {
        assert!(!html.contains(secret), "{secret} published");
    }
}

#[test]
fn uses_a_district_copy_of_one_kind_part_of_the_public_page() {
    let case = rich_case();
    let dir = case.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("public/parts")).unwrap();
    let text = std::fs::read_to_string(root().join("templates/public/parts/dossier.html")).unwrap();
    let edited = text.replace(
        "công khai kết quả giải quyết hồ sơ thủ tục hành chính ",
        "công khai kết quả giải quyết hồ sơ TTHC ",
    );
    assert_ne!(edited, text);
    std::fs::write(dir.join("public/parts/dossier.html"), edited).unwrap();
    let cfg = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    let mut request = case.request(cchc::pipeline::Outputs::All);
    request.pipeline = cfg.pipeline.clone();
    cchc::pipeline::run(&request).unwrap();
    let html = std::fs::read_to_string(case.out().join("cong-khai-2024-Q1.html")).unwrap();
    assert!(
        html.contains("công khai kết quả giải quyết hồ sơ TTHC quý I năm 2024"),
        "{html}"
    );
    // The rest of the page is the shipped templates'.
    assert!(html.contains("<h2>1. Theo đơn vị</h2>"));
    assert!(html.contains("<h2>3. Mức độ hài lòng của người dân, tổ chức</h2>"));
}

//! The units' own words (self-reports.md §5): the forms' «Nội dung báo cáo» sheet, read back
//! with the form, masked for personal data, placed in the report under each section after the
//! narrative, the unit's name first, in registry order; the annex sheet; indicators.json says
//! only who wrote which section.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use cchc::quality::WarningKind;
use serde_json::Value;

use crate::self_report::{commune_answers, fill_renamed, forms, noi_vu_answers, Typed};
use crate::support::{read_sheet, Case};

const SHEET: &str = "Nội dung báo cáo";
const PLACEHOLDER: &str = "[Đơn vị bổ sung nội dung]";
const BD_I: &str = "Xã tổ chức hội nghị triển khai Kế hoạch cải cách hành chính năm 2024.";
const BD_II6: &str = "Cần hỗ trợ cài đặt ký số, liên hệ anh Tâm 0903 123 456.";
const BD_V: &str = "Đề nghị huyện hỗ trợ máy quét tài liệu cho bộ phận một cửa.";
const NV_I: &str = "Phòng Nội vụ tham mưu Kế hoạch kiểm tra công tác cải cách hành chính năm 2024.";

fn document_xml(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut part = zip.by_name("word/document.xml").unwrap();
    let mut s = String::new();
    part.read_to_string(&mut s).unwrap();
    s
}

/// The part of a rendered report from section I to the closing line.
fn sections(text: &str, from: &str, to: &str) -> String {
    let start = text.find(from).expect("section I");
    let end = text[start..].find(to).expect("closing line") + start;
    text[start..end].to_string()
}

/// Bà Điểm writes for I, II.6 (a phone number in it) and V, its form saved by LibreOffice;
/// Phòng Nội vụ, before it in the registry, writes for I.
fn case_with_texts() -> Option<Case> {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|s| Command::new(s).arg("--version").output().is_ok());
    let Some(soffice) = soffice else {
        eprintln!("soffice không có trên máy: bỏ qua phép thử biểu mẫu lưu bằng LibreOffice");
        return None;
    };
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let typed = case.dir.path().join("typed");
    std::fs::create_dir_all(&typed).unwrap();
    let bd: Vec<Typed> = vec![
        (SHEET, "I", 2, BD_I),
        (SHEET, "II.6", 2, BD_II6),
        (SHEET, "V", 2, BD_V),
    ];
    fill_renamed(
        &dir.join("xa-ba-diem.xlsx"),
        &typed.join("xa-ba-diem.xlsx"),
        &commune_answers(),
        &[],
        None,
        None,
        &bd,
    );
    fill_renamed(
        &dir.join("phong-noi-vu.xlsx"),
        &case.inputs().join("phong-noi-vu.xlsx"),
        &noi_vu_answers((3.0, 12.0)),
        &[],
        None,
        None,
        &[(SHEET, "I", 2, NV_I)],
    );
    let profile = case.dir.path().join("lo-profile");
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(case.inputs())
        .arg(typed.join("xa-ba-diem.xlsx"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(case)
}

#[test]
fn writes_a_row_per_report_section_on_every_form() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let rows = read_sheet(&dir.join("xa-ba-diem.xlsx"), SHEET);
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Mục"));
    let header = header.expect("the header row");
    assert_eq!(
        rows[header][..3],
        ["Mục", "Nội dung cần báo cáo", "Nội dung đơn vị báo cáo"]
    );
    let numbers: Vec<&str> = rows[header + 1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        numbers,
        ["I", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III.1", "III.2", "IV", "V"]
    );
    assert!(rows[header + 8][1].starts_with("Kết quả nổi bật"));
}

#[test]
fn a_form_of_other_sections_is_another_version() {
    let other = Case::with_pipeline_edit("district = ", "district = ");
    let sr = other.pipeline.parent().unwrap().join("self-report.toml");
    let text = std::fs::read_to_string(&sr).unwrap();
    let edited = text.replace("text = \"Đề xuất, kiến nghị\"", "text = \"Kiến nghị\"");
    assert_ne!(text, edited);
    std::fs::write(&sr, edited).unwrap();
    let old = forms(other.dir.path(), &other.pipeline, "2024-Q1");
    let case = Case::new();
    fill_renamed(
        &old.join("xa-ba-diem.xlsx"),
        &case.inputs().join("xa-ba-diem.xlsx"),
        &commune_answers(),
        &[],
        None,
        None,
        &[(SHEET, "V", 2, BD_V)],
    );
    let r = case.run();
    assert!(r
        .warnings
        .iter()
        .any(|w| w.kind == cchc::kinds::self_report::STALE_FORM));
    // Nothing of it counts, its words neither; each row read is accounted for.
    assert!(r
        .indicators
        .self_report()
        .texts
        .values()
        .all(|v| v.is_empty()));
    assert!(r
        .quarantine
        .iter()
        .any(|q| q.source.sheet == SHEET && q.dossier_id == "V"));
}

#[test]
fn quarantines_words_under_a_section_not_on_the_form() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    // The «Mục» of the II.1 row retyped as II.9: its words are not placed anywhere.
    let path = case.inputs().join("xa-ba-diem.xlsx");
    fill_renamed(
        &dir.join("xa-ba-diem.xlsx"),
        &path,
        &commune_answers(),
        &[],
        None,
        None,
        &[
            (SHEET, "II.1", 0, "II.9"),
            (SHEET, "II.1", 2, "Lời văn lạc mục."),
        ],
    );
    let r = case.run();
    let q = r
        .quarantine
        .iter()
        .find(|q| q.source.sheet == SHEET)
        .expect("the row quarantined");
    assert_eq!(q.dossier_id, "II.9");
    assert!(
        q.reason
            .contains("mục «II.9» không có trong biểu mẫu của Xã Bà Điểm"),
        "{}",
        q.reason
    );
    assert!(
        q.column.starts_with("Nội dung đơn vị báo cáo, ô C"),
        "{}",
        q.column
    );
    assert!(r
        .indicators
        .self_report()
        .texts
        .values()
        .all(|v| v.is_empty()));
}

#[test]
fn places_the_units_words_under_each_section_after_the_narrative() {
    let Some(case) = case_with_texts() else {
        return;
    };
    let r = case.run_all();
    // The phone number masked, and warned about with file, sheet and cell.
    let w = r
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::PersonalDataMasked)
        .expect("a warning about the phone number");
    assert_eq!(w.source.sheet, SHEET);
    assert_eq!(w.dossier_id, "II.6");
    assert!(
        w.column.starts_with("Nội dung đơn vị báo cáo, ô C"),
        "{}",
        w.column
    );
    assert!(w.value.contains("số điện thoại"), "{}", w.value);
    let texts = &r.indicators.self_report().texts;
    let units: Vec<&str> = texts["chi_dao"].iter().map(|t| t.unit.as_str()).collect();
    assert_eq!(units, ["Phòng Nội vụ", "Xã Bà Điểm"]);
    assert_eq!(
        texts["chinh_quyen_so"][0].text,
        "Cần hỗ trợ cài đặt ký số, liên hệ anh Tâm [đã ẩn số điện thoại]."
    );

    let out = case.out();
    let xml = document_xml(&out.join("bao-cao-cchc-2024-Q1.docx"));
    let html = std::fs::read_to_string(out.join("bao-cao-cchc-2024-Q1.html")).unwrap();
    for doc in [&xml, &html] {
        assert!(!doc.contains("0903"));
        let nv = doc.find(&format!("Phòng Nội vụ: {NV_I}")).unwrap();
        let bd = doc.find(&format!("Xã Bà Điểm: {BD_I}")).unwrap();
        assert!(nv < bd, "registry order");
        assert!(doc.contains(&format!("Xã Bà Điểm: {BD_V}")));
    }
    // Nine sections keep a placeholder without words; three now have them.
    assert_eq!(xml.matches(PLACEHOLDER).count(), 6);
    assert_eq!(html.matches(PLACEHOLDER).count(), 6);
    insta::assert_snapshot!(
        "unit_texts_document_xml",
        sections(&xml, "I. CÔNG TÁC CHỈ ĐẠO", "Trên đây là báo cáo").replace("<w:p>", "\n<w:p>")
    );
    insta::assert_snapshot!(
        "unit_texts_html",
        sections(&html, "<h2>I. CÔNG TÁC CHỈ ĐẠO", "<p>Trên đây là báo cáo")
    );

    // The annex: unit × section, the words masked.
    let annex = read_sheet(&out.join("phu-luc-2024-Q1.xlsx"), "Nội dung đơn vị báo cáo");
    let flat: Vec<&str> = annex.iter().flatten().map(String::as_str).collect();
    assert!(flat.contains(&"Cần hỗ trợ cài đặt ký số, liên hệ anh Tâm [đã ẩn số điện thoại]."));
    assert!(!flat.iter().any(|c| c.contains("0903")));

    // indicators.json: who wrote which section, never the words.
    let json = std::fs::read_to_string(out.join("indicators.json")).unwrap();
    crate::support::assert_valid_indicators(json.as_bytes());
    assert!(!json.contains("máy quét"));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["unit_texts"],
        serde_json::json!([
            {"section": "chi_dao", "units": ["Phòng Nội vụ", "Xã Bà Điểm"]},
            {"section": "chinh_quyen_so", "units": ["Xã Bà Điểm"]},
            {"section": "kien_nghi", "units": ["Xã Bà Điểm"]},
        ])
    );
}

#[test]
fn tells_a_form_whose_texts_sheet_was_renamed() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    fill_renamed(
        &dir.join("xa-ba-diem.xlsx"),
        &case.inputs().join("xa-ba-diem.xlsx"),
        &commune_answers(),
        &[],
        None,
        Some((SHEET, "Lời văn")),
        &[],
    );
    let r = case.run();
    let w: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::kinds::self_report::TEXTS_SHEET_MISSING)
        .collect();
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert_eq!(w[0].dossier_id, "Xã Bà Điểm");
    assert!(w[0]
        .value
        .contains("lời văn của Xã Bà Điểm cho 11 mục báo cáo không có trong báo cáo"));
    // The figures of the form still count.
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
}

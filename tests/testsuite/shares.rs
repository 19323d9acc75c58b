//! The other figures of tthc-rules §5 and the targets they decide: apology coverage (3.4),
//! digitization (7), online payment (9), online share — each over the dossiers whose export says.

use serde_json::Value;

use crate::support::{read_sheet, Case};

const HEADER: &str = "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp;Phiếu xin lỗi;Số hóa hồ sơ;Số hóa kết quả;Lệ phí;Thanh toán trực tuyến";

fn case() -> Case {
    let case = Case::new();
    case.file(
        "a.csv",
        &format!(
            "{HEADER}\n\
             S-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tuyến;Có;Có;Có;10000;Trực tuyến\n\
             S-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tiếp;Không;Không;Có;10000;Tiền mặt\n\
             S-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;03/02/2024;Đã trả kết quả;Trực tiếp;;Có;Không;;\n\
             S-4;Xã Bà Điểm;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp;Có;;;;\n\
             S-5;Xã Bà Điểm;Hộ tịch;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tuyến;;;x;5000;Trực tuyến\n"
        ),
    );
    case
}

#[test]
fn computes_the_shares_over_the_dossiers_whose_export_says() {
    let r = case().run();
    let s = &r.indicators.dossier().shares;
    let d = s.district();
    // Received in the period 5, online 2 (S-1, S-5).
    assert_eq!(d.online, (2, 5));
    // Late: S-1 and S-2 resolved late, S-4 pending overdue; letters for S-1 and S-4.
    assert_eq!(d.apology, (2, 3));
    // Resolved: S-1, S-2, S-3 (huyện), S-5 (xã). Results digitized: S-1, S-2 / S-5 ("x").
    assert_eq!(s.huyen.digitized_result, (2, 3));
    assert_eq!(s.xa.digitized_result, (1, 1));
    // Documents digitized: S-1, S-3 / none (S-5's cell is empty: no).
    assert_eq!(s.huyen.digitized_dossier, (2, 3));
    assert_eq!(s.xa.digitized_dossier, (0, 1));
    // Resolved with a fee: S-1 (online), S-2 (cash), S-5 (online).
    assert_eq!(d.epayment, (2, 3));
    assert_eq!(
        s.huyen.epayment_units.iter().collect::<Vec<_>>(),
        ["Phòng Tư pháp"]
    );
    assert_eq!(
        s.xa.epayment_units.iter().collect::<Vec<_>>(),
        ["Xã Bà Điểm"]
    );
}

#[test]
fn decides_targets_3_4_7_and_9_from_them() {
    let r = case().run();
    let v: Value = serde_json::from_slice(&r.indicators_json).unwrap();
    let got: Vec<(String, String, f64, bool)> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] != "3.1")
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["scope"].as_str().unwrap().to_string(),
                t["value"].as_f64().unwrap(),
                t["met"].as_bool().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, f64, bool)> = [
        ("3.4", "Toàn huyện", 66.67, false),
        ("7", "Cấp huyện", 66.67, true),
        ("7", "Cấp xã", 100.0, true),
        ("7", "Cấp huyện", 66.67, true),
        ("7", "Cấp xã", 0.0, false),
        ("9", "Cấp huyện", 100.0, true),
        ("9", "Cấp xã", 100.0, true),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, *d))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn leaves_a_target_undecided_when_no_export_has_its_column() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tiếp"]);
    let r = case.run();
    let ids: Vec<&str> = r.indicators.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        ["3.1"],
        "a late dossier without an apology column decides nothing for 3.4"
    );
    // … and says so, rather than leaving 3.4 out (issue 25).
    let gap = r
        .indicators
        .targets_unevaluated
        .iter()
        .find(|g| g.id == "3.4")
        .unwrap();
    assert_eq!(gap.scope, "Toàn huyện");
    assert_eq!(
        gap.reason,
        "không tệp xuất hồ sơ nào có cột «Phiếu xin lỗi»"
    );
    // Digitization: one dossier resolved, its export has no such column.
    let gap = r
        .indicators
        .targets_unevaluated
        .iter()
        .find(|g| g.id == "7" && g.scope == "Cấp huyện")
        .unwrap();
    assert!(gap.reason.contains("«Số hóa"), "{}", gap.reason);
    // Nothing resolved at the commune level: that is the reason there.
    let gap = r
        .indicators
        .targets_unevaluated
        .iter()
        .find(|g| g.id == "7" && g.scope == "Cấp xã")
        .unwrap();
    assert_eq!(gap.reason, "chưa có hồ sơ nào giải quyết xong trong kỳ");
}

#[test]
fn says_the_apology_list_is_unknown_when_no_export_has_the_column() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;07/02/2024;Đã trả kết quả;Trực tiếp"]);
    case.run_all();
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Chưa xin lỗi");
    let text = sheet.concat().join(" ");
    assert!(
        text.contains(
            "Chưa xác định được: 1 hồ sơ trễ hạn nhưng tệp xuất không có cột thư xin lỗi"
        ),
        "{text}"
    );
    assert!(!text.contains("Không có hồ sơ trễ hạn nào mà tệp xuất ghi là chưa xin lỗi"));
    let json: Value =
        serde_json::from_slice(&std::fs::read(case.out().join("indicators.json")).unwrap())
            .unwrap();
    let gaps = json["targets_not_evaluated"].as_array().unwrap();
    assert!(gaps.iter().any(|g| g["id"] == "3.4"
        && g["target"] == ">= 100"
        && g["reason"] == "không tệp xuất hồ sơ nào có cột «Phiếu xin lỗi»"));
}

#[test]
fn lists_late_dossiers_without_an_apology_letter_in_an_annex() {
    let case = case();
    case.run_all();
    let sheet = read_sheet(&case.out().join("phu-luc-2024-Q1.xlsx"), "Chưa xin lỗi");
    let body = sheet
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "STT"))
        .unwrap()
        + 1;
    let ids: Vec<&str> = sheet[body..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, ["S-2"]);
}

#[test]
fn states_the_shares_in_the_report() {
    let case = case();
    case.run_all();
    let html = std::fs::read_to_string(case.out().join("bao-cao-cchc-2024-Q1.html")).unwrap();
    assert!(
        html.contains("Toàn huyện, hồ sơ trễ hạn có văn bản xin lỗi: 2/3 (66,67 %)."),
        "{html}"
    );
    assert!(html.contains("Cấp xã, trên hồ sơ đã giải quyết trong kỳ: số hóa hồ sơ: 0/1 (0,00 %); số hóa kết quả: 1/1 (100,00 %); hồ sơ có phí thanh toán trực tuyến: 1/1 (100,00 %)."));
}

//! Files that cannot be used stop the run before anything is written, each named with what is
//! wrong, in Vietnamese.

use std::process::Command;

use crate::support::Case;

const GOOD_ROW: &str =
    "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp";

#[test]
fn names_a_corrupt_workbook() {
    let case = Case::new();
    case.file("hong.xlsx", "đây không phải là bảng tính");
    let msg = case.run_err();
    assert!(msg.contains("hong.xlsx"), "{msg}");
    assert!(
        msg.contains("tệp bị hỏng hoặc không đúng định dạng bảng tính"),
        "{msg}"
    );
}

#[test]
fn names_a_password_protected_workbook() {
    let case = Case::new();
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 600));
    std::fs::write(case.inputs().join("mat-khau.xlsx"), bytes).unwrap();
    let msg = case.run_err();
    assert!(
        msg.contains("mat-khau.xlsx: tệp được bảo vệ bằng mật khẩu"),
        "{msg}"
    );
}

#[test]
fn names_a_file_without_a_dossier_header() {
    let case = Case::new();
    case.file("tong-hop.csv", "Lĩnh vực;Tổng số;Đúng hạn\nHộ tịch;10;9\n");
    let msg = case.run_err();
    assert!(
        msg.contains("tong-hop.csv: không tìm thấy dòng tiêu đề"),
        "{msg}"
    );
    assert!(msg.contains("Mã hồ sơ, Số hồ sơ"), "{msg}");
}

#[test]
fn names_the_missing_required_column_with_its_sheet_and_row() {
    let case = Case::new();
    case.file(
        "thieu-cot.csv",
        "DANH SÁCH HỒ SƠ\nMã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Trạng thái\nHS-1;Phòng Tư pháp;Chứng thực;01/02/2024;Đang xử lý\n",
    );
    let msg = case.run_err();
    assert!(
        msg.contains("thieu-cot.csv: trang tính «thieu-cot.csv», dòng tiêu đề 2: thiếu cột bắt buộc «Ngày hẹn trả» (tên cột được chấp nhận: Ngày hẹn trả, Ngày hẹn trả kết quả, Hẹn trả kết quả, Hạn xử lý, Hạn giải quyết)"),
        "{msg}"
    );
}

#[test]
fn names_a_file_whose_unit_cannot_be_told() {
    let case = Case::new();
    case.file(
        "danh-sach.csv",
        "Mã hồ sơ;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái\nHS-1;Chứng thực;01/02/2024;05/02/2024;Đang xử lý\n",
    );
    let msg = case.run_err();
    assert!(
        msg.contains("danh-sach.csv: trang tính «danh-sach.csv» không có cột Đơn vị"),
        "{msg}"
    );
}

#[test]
fn lists_every_unreadable_file_and_writes_nothing() {
    let case = Case::new();
    case.csv("tot.csv", &[GOOD_ROW]);
    case.file("a-hong.xlsx", "rác");
    case.file("b-rong.csv", "");
    let msg = case.run_err();
    assert!(
        msg.contains("không đọc được 2 tệp đầu vào; chưa ghi kết quả nào"),
        "{msg}"
    );
    assert!(msg.contains("a-hong.xlsx: tệp bị hỏng"), "{msg}");
    assert!(msg.contains("b-rong.csv: tệp rỗng"), "{msg}");
    assert!(!case.out().exists(), "nothing may be written");
}

#[test]
fn keeps_the_previous_good_output_when_a_later_run_fails() {
    let case = Case::new();
    case.csv("tot.csv", &[GOOD_ROW]);
    case.run_all();
    let json = case.out().join("indicators.json");
    let before = std::fs::read(&json).unwrap();
    case.file("hong.ods", "rác");
    case.run_err();
    assert_eq!(std::fs::read(&json).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(case.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cchc-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_an_unknown_setting_in_the_pipeline() {
    let case = Case::with_pipeline_edit(
        "period_rule = \"nd09\"",
        "period_rule = \"nd09\"\nwithdrawm = 1",
    );
    case.csv("tot.csv", &[GOOD_ROW]);
    let msg = case.run_err();
    assert!(
        msg.contains("tệp cấu hình") && msg.contains("trường không hợp lệ `withdrawm`"),
        "{msg}"
    );
}

#[test]
fn exits_non_zero_with_the_message_and_its_causes() {
    let case = Case::new();
    case.file("hong.xlsx", "rác");
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args([
            "run",
            crate::support::shipped_pipeline().to_str().unwrap(),
            "--input",
        ])
        .arg(case.inputs())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("Lỗi: không đọc được 1 tệp đầu vào"),
        "{stderr}"
    );
    assert!(stderr.contains("hong.xlsx: tệp bị hỏng"), "{stderr}");
}

#[test]
fn refuses_an_unknown_period_id() {
    let case = Case::new().period("2024-Q5");
    case.csv("tot.csv", &[GOOD_ROW]);
    let msg = case.run_err();
    assert!(msg.contains("kỳ báo cáo «2024-Q5» không hợp lệ"), "{msg}");
}

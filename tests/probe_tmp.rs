#[path = "testsuite/support.rs"]
mod support;
use rust_xlsxwriter::{Format, Workbook};
use support::*;

const H: &str =
    "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp";

#[test]
fn p1_csv_empty_lines() {
    let case = Case::new();
    case.file("a.csv", &format!("{H}\nHS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến\n\n;;;;;;;\nHS-2;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;;Đã trả kết quả;Trực tuyến\n"));
    let r = case.run();
    eprintln!("P1 account {:?}", account(&r));
    eprintln!("P1 quarantine {:?}", r.quarantine);
}

#[test]
fn p2_semicolon_with_unquoted_commas() {
    let case = Case::new();
    let addr = "Số 12, hẻm 5, đường Nguyễn Ảnh Thủ, tổ 3, khu phố 4, ấp Tân Hòa, xã Đông Thạnh, huyện Hóc Môn, TP. Hồ Chí Minh, Việt Nam";
    let mut t = format!("{H};Địa chỉ");
    for i in 0..3 {
        t.push_str(&format!("\nHS-{i};Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến;{addr}"));
    }
    case.file("a.csv", &t);
    match cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::Nothing)) {
        Ok(r) => eprintln!(
            "P2 ok {:?} {:?}",
            account(&r),
            r.indicators
                .form06
                .rows
                .iter()
                .map(|x| (&x.unit, &x.field, &x.counts))
                .collect::<Vec<_>>()
        ),
        Err(e) => eprintln!("P2 err {e:#}"),
    }
}

#[test]
fn p3_summary_sheet_first() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let s = wb.add_worksheet().set_name("Tổng hợp").unwrap();
    for (c, h) in [
        "STT",
        "Đơn vị",
        "Lĩnh vực",
        "Số hồ sơ",
        "Đúng hạn",
        "Trễ hạn",
    ]
    .iter()
    .enumerate()
    {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 1, "Phòng Tư pháp").unwrap();
    s.write_string(1, 2, "Chứng thực").unwrap();
    s.write_number(1, 3, 1).unwrap();
    let d = wb.add_worksheet().set_name("Danh sách").unwrap();
    for (c, h) in H.split(';').enumerate() {
        d.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in
        "HS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến"
            .split(';')
            .enumerate()
    {
        d.write_string(1, c as u16, v).unwrap();
    }
    wb.save(case.inputs().join("a.xlsx")).unwrap();
    match cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::Nothing)) {
        Ok(r) => eprintln!("P3 ok {:?}", account(&r)),
        Err(e) => eprintln!("P3 err {e:#}"),
    }
}

#[test]
fn p4_place_date_line_without_total() {
    let case = Case::new();
    let mut wb = Workbook::new();
    let d = wb.add_worksheet();
    let f = Format::new();
    for (c, h) in H.split(';').enumerate() {
        d.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in
        "HS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến"
            .split(';')
            .enumerate()
    {
        d.write_string(1, c as u16, v).unwrap();
    }
    d.merge_range(3, 5, 3, 7, "Hóc Môn, ngày 15 tháng 3 năm 2024", &f)
        .unwrap();
    d.write_string(4, 1, "NGƯỜI LẬP BIỂU").unwrap();
    d.write_string(4, 5, "THỦ TRƯỞNG ĐƠN VỊ").unwrap();
    d.write_string(8, 1, "Nguyễn Văn An").unwrap();
    wb.save(case.inputs().join("a.xlsx")).unwrap();
    match cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::Nothing)) {
        Ok(r) => eprintln!("P4 ok {:?} {:?}", account(&r), r.quarantine),
        Err(e) => eprintln!("P4 err {e:#}"),
    }
}

#[test]
fn p5_title_with_dash() {
    let case = Case::new();
    case.file("danh-sach.csv", "UBND XÃ ĐÔNG THẠNH - BỘ PHẬN MỘT CỬA\nMã hồ sơ;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái\nHS-1;Chứng thực;01/02/2024;05/02/2024;Đang xử lý\n");
    match cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::Nothing)) {
        Ok(r) => eprintln!(
            "P5 ok {:?}",
            r.indicators
                .form06
                .rows
                .iter()
                .map(|x| &x.unit)
                .collect::<Vec<_>>()
        ),
        Err(e) => eprintln!("P5 err {e:#}"),
    }
}

#[test]
fn p6_crlf_rows() {
    let case = Case::new();
    let t = format!("{H}\r\nHS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến\r\nHS-2;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;;Đã trả kết quả;Trực tuyến\r\nHS-3;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;;Đã trả kết quả;Trực tuyến\r\n");
    case.file("a.csv", &t);
    let r = case.run();
    eprintln!("P6 account {:?}", account(&r));
    eprintln!(
        "P6 quarantine rows {:?}",
        r.quarantine
            .iter()
            .map(|q| q.source.row)
            .collect::<Vec<_>>()
    );
}
#[test]
fn p7_lf_quoted_newline() {
    let case = Case::new();
    let t = format!("{H}\nHS-1;Phòng Tư pháp;\"Chứng\nthực\";05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến\nHS-2;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;;Đã trả kết quả;Trực tuyến\n");
    case.file("a.csv", &t);
    let r = case.run();
    eprintln!("P7 account {:?}", account(&r));
    eprintln!(
        "P7 quarantine rows {:?}",
        r.quarantine
            .iter()
            .map(|q| q.source.row)
            .collect::<Vec<_>>()
    );
}

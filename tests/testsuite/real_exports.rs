//! Exports as real systems write them (real-exports.md), read with the shipped configuration and
//! no edit: VNPT iGate (CSV with BOM, `121.0` row numbers, ISO dates with seconds, two unit
//! columns, no channel column; its xlsx variant with «Hạn xử lý» and «Trạng thái»), Tân Dân's
//! HTML saved as .xls (outer table, blank merged rows, `<td><strong>` headers, «Ngày nộp hồ sơ»
//! beside «Ngày nhận», the portal's status codes, channel codes), OpenCPS, the older software's
//! HTML (numeric character references, line breaks in header cells) — and the real iGate export
//! (`fixtures/external/r8-igate-that-31-dong/`). The same ten dossiers in each layout give the form-06 counts of
//! our own layout (but the channel split).

use cchc::indicators::Counts;
use cchc::pipeline::RunReport;
use cchc::quality::WarningKind;
use rust_xlsxwriter::Workbook;

use crate::support::{
    account, assert_valid_indicators, c, counts, output_texts, read_sheet, root, Case,
};

/// One dossier in every layout: code, received, due, completed, the portal's word, its code,
/// our own word (None: no dossier received, absent from our own layout).
struct D {
    id: &'static str,
    received: &'static str,
    due: &'static str,
    completed: &'static str,
    word: &'static str,
    code: u8,
    own: Option<&'static str>,
}

/// Ten dossiers of Phòng Tư pháp / Chứng thực, received in 2024-Q1 (15/12/2023 – 14/03/2024),
/// one of each status of the national portal:
/// - HS-01 Mới đăng ký (1), HS-03 Không được tiếp nhận (3): never received, excluded;
/// - HS-07 Công dân yêu cầu rút hồ sơ (7): withdrawn, excluded;
/// - HS-02 Được tiếp nhận (2), due 20/03 after the end → pending within;
/// - HS-04 Đang xử lý (4), due 01/03 before the end → pending overdue;
/// - HS-05 Yêu cầu bổ sung giấy tờ (5), due 01/03: waiting for the applicant → pending within;
/// - HS-06 Yêu cầu thực hiện nghĩa vụ tài chính (6), due 20/03 → pending within;
/// - HS-08 Dừng xử lý (8), ended 20/01 before its due 25/01 → resolved early (like a refusal);
/// - HS-09 Đã xử lý xong (9), on its due 24/01 → on time;
/// - HS-10 Đã trả kết quả (10), 26/01 after its due 22/01 → late.
const DOSSIERS: [D; 10] = [
    D {
        id: "HS-01",
        received: "05/01/2024",
        due: "15/01/2024",
        completed: "",
        word: "Mới đăng ký",
        code: 1,
        own: None,
    },
    D {
        id: "HS-02",
        received: "08/01/2024",
        due: "20/03/2024",
        completed: "",
        word: "Được tiếp nhận",
        code: 2,
        own: Some("Đã tiếp nhận"),
    },
    D {
        id: "HS-03",
        received: "09/01/2024",
        due: "19/01/2024",
        completed: "",
        word: "Không được tiếp nhận",
        code: 3,
        own: None,
    },
    D {
        id: "HS-04",
        received: "10/01/2024",
        due: "01/03/2024",
        completed: "",
        word: "Đang xử lý",
        code: 4,
        own: Some("Đang xử lý"),
    },
    D {
        id: "HS-05",
        received: "11/01/2024",
        due: "01/03/2024",
        completed: "",
        word: "Yêu cầu bổ sung giấy tờ",
        code: 5,
        own: Some("Chờ bổ sung"),
    },
    D {
        id: "HS-06",
        received: "12/01/2024",
        due: "20/03/2024",
        completed: "",
        word: "Yêu cầu thực hiện nghĩa vụ tài chính",
        code: 6,
        own: Some("Đang xử lý"),
    },
    D {
        id: "HS-07",
        received: "15/01/2024",
        due: "25/01/2024",
        completed: "16/01/2024",
        word: "Công dân yêu cầu rút hồ sơ",
        code: 7,
        own: Some("Đã rút hồ sơ"),
    },
    D {
        id: "HS-08",
        received: "16/01/2024",
        due: "25/01/2024",
        completed: "20/01/2024",
        word: "Dừng xử lý",
        code: 8,
        own: Some("Từ chối"),
    },
    D {
        id: "HS-09",
        received: "17/01/2024",
        due: "24/01/2024",
        completed: "24/01/2024",
        word: "Đã xử lý xong",
        code: 9,
        own: Some("Đã có kết quả"),
    },
    D {
        id: "HS-10",
        received: "18/01/2024",
        due: "22/01/2024",
        completed: "26/01/2024",
        word: "Đã trả kết quả",
        code: 10,
        own: Some("Đã trả kết quả"),
    },
];

/// The counts of [`DOSSIERS`] but the channel split: 7 received in the period (every layout
/// puts them in one channel column or another), 3 pending within, 1 overdue, 1 early, 1 on time,
/// 1 late.
fn seven(channel: &str) -> Counts {
    c(&[
        (channel, 7),
        ("pending_within", 3),
        ("pending_overdue", 1),
        ("resolved_early", 1),
        ("resolved_on_time", 1),
        ("resolved_late", 1),
    ])
}

/// `dd/mm/yyyy` as ISO with seconds, as iGate's CSV writes it.
fn iso(d: &str) -> String {
    if d.is_empty() {
        return String::new();
    }
    let p: Vec<&str> = d.split('/').collect();
    format!("{}-{}-{} 08:30:15", p[2], p[1], p[0])
}

/// The statuses and warnings every real layout must give: no status word unknown, no unit
/// unknown, 7 counted of 10 read, 3 excluded (2 never received, 1 withdrawn), the two never
/// received listed.
fn check_real(r: &RunReport, want: Counts, what: &str) {
    let bad: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::UnknownStatus | WarningKind::UnknownUnit | WarningKind::UnknownChannel
            )
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?}");
    assert_eq!(counts(r, "Phòng Tư pháp", "Chứng thực"), want, "{what}");
    let a = account(r);
    assert_eq!(
        (a.read, a.counted, a.excluded_withdrawn, a.quarantined),
        (10, 7, 3, 0),
        "{what}"
    );
    let mut listed: Vec<(&str, &str)> = r
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::NotReceived)
        .map(|w| (w.dossier_id.as_str(), w.value.as_str()))
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("HS-01", "chưa được tiếp nhận"),
            ("HS-03", "không được tiếp nhận")
        ],
        "{what}"
    );
}

/// Form-06 counts with the channel split folded into one number, for comparing layouts.
fn but_channel(k: &Counts) -> Counts {
    let mut k = *k;
    k.new_direct += k.new_online + k.new_postal + k.new_unknown_channel;
    k.new_online = 0;
    k.new_postal = 0;
    k.new_unknown_channel = 0;
    k
}

#[test]
fn our_own_layout_of_the_ten_dossiers_gives_the_hand_worked_counts() {
    let case = Case::new();
    let rows: Vec<String> = DOSSIERS
        .iter()
        .filter_map(|d| {
            let own = d.own?;
            Some(format!(
                "{};Phòng Tư pháp;Chứng thực;{};{};{};{own};Trực tiếp",
                d.id, d.received, d.due, d.completed
            ))
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    case.csv("rieng.csv", &rows);
    let r = case.run();
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        seven("new_direct")
    );
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.excluded_withdrawn), (8, 7, 1));
}

/// An iGate "Danh sách hồ sơ" CSV: BOM, commas, `121.0` row numbers, ISO dates with seconds,
/// the unit in «Phòng ban» — or, where «Phòng ban» names no registry unit or is empty, in
/// «Cơ quan/đơn vị» — and no channel column.
fn igate_csv(status: impl Fn(&D) -> String) -> String {
    let mut t = String::from(
        "\u{feff}STT,Số hồ sơ,Tên thủ tục hành chính,Tên lĩnh vực,Phòng ban,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Cơ quan/đơn vị,Chủ hồ sơ,Số điện thoại,Cán bộ xử lý hiện tại,Trạng thái hồ sơ\n",
    );
    for (i, d) in DOSSIERS.iter().enumerate() {
        let (office, agency) = match d.id {
            "HS-04" => ("Bộ phận tiếp nhận và trả kết quả", "Phòng Tư pháp"),
            "HS-05" => ("", "Phòng Tư pháp"),
            _ => ("Phòng Tư pháp", ""),
        };
        t.push_str(&format!(
            "{}.0,{},\"Chứng thực bản sao từ bản chính, giấy tờ\",Chứng thực,{office},{},{},{},{agency},NGƯỜI DÂN {i},090000000{i},CÁN BỘ MỘT CỬA {i},{}\n",
            120 + i,
            d.id,
            iso(d.received),
            iso(d.due),
            iso(d.completed),
            status(d)
        ));
    }
    t
}

#[test]
fn reads_an_igate_csv_with_the_portal_words_and_both_unit_columns() {
    let case = Case::new();
    case.file("Danh sach ho so.csv", &igate_csv(|d| d.word.to_string()));
    let r = case.run();
    check_real(&r, seven("new_unknown_channel"), "iGate CSV");
    // No channel column: the channel is unknown, not «trực tiếp», and nothing is warned per row.
    assert!(!r
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::MissingChannel));
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("không rõ hình thức nộp (tệp xuất không có cột hình thức nộp): 7"),
        "{summary}"
    );
    assert!(
        summary.contains("Hồ sơ chưa được tiếp nhận hoặc không được tiếp nhận (không tính, liệt kê trong báo cáo chất lượng dữ liệu): 2."),
        "{summary}"
    );
}

#[test]
fn reads_the_portal_status_codes_as_numbers_and_as_text() {
    let case = Case::new();
    case.file("ma-so.csv", &igate_csv(|d| d.code.to_string()));
    check_real(&case.run(), seven("new_unknown_channel"), "codes in a CSV");

    // In a workbook the codes are number cells.
    let case = Case::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "STT",
        "Số hồ sơ",
        "Tên lĩnh vực",
        "Phòng ban",
        "Ngày tiếp nhận",
        "Hạn xử lý",
        "Ngày kết thúc xử lý",
        "Trạng thái",
    ];
    for (j, h) in header.iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, d) in DOSSIERS.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number(r, 0, 121.0 + i as f64).unwrap();
        ws.write_string(r, 1, d.id).unwrap();
        ws.write_string(r, 2, "Chứng thực").unwrap();
        ws.write_string(r, 3, "Phòng Tư pháp").unwrap();
        ws.write_string(r, 4, format!("{} 09:10:11", d.received))
            .unwrap();
        ws.write_string(r, 5, format!("{} 17:00:00", d.due))
            .unwrap();
        if !d.completed.is_empty() {
            ws.write_string(r, 6, format!("{} 10:00:00", d.completed))
                .unwrap();
        }
        ws.write_number(r, 7, d.code as f64).unwrap();
    }
    wb.save(case.inputs().join("igate.xlsx")).unwrap();
    check_real(
        &case.run(),
        seven("new_unknown_channel"),
        "codes in an xlsx",
    );
}

/// Tân Dân's list: HTML saved as .xls, the table inside an outer table, two blank merged rows
/// above the header, `<td><strong>` headers, «Ngày nộp hồ sơ» a month before «Ngày nhận» (read as
/// received, it would make every dossier one carried over from the quarter before; it is the
/// submission date), the status
/// as the portal's code and the channel as its code (1 direct, 2 online, 3 postal).
fn tan_dan(status: impl Fn(&D) -> String) -> String {
    let mut t = String::from(
        "<html><head><meta charset=\"utf-8\"></head><body><table><tr><td>\n<table border=\"1\">\n\
         <tr><td colspan=\"14\"></td></tr>\n<tr><td colspan=\"14\"></td></tr>\n<tr>",
    );
    for h in [
        "STT",
        "Đơn vị tiếp nhận",
        "Người tiếp nhận",
        "Tên thủ tục hành chính",
        "Mã hồ sơ",
        "Trạng thái",
        "Địa chỉ",
        "Chủ hồ sơ",
        "Ngày nộp hồ sơ",
        "Ngày nhận",
        "Ngày hẹn trả",
        "Ngày kết thúc xử lý",
        "Lĩnh vực",
        "Kênh thực hiện",
    ] {
        t.push_str(&format!("<td><strong>{h}</strong></td>"));
    }
    t.push_str("</tr>\n");
    for (i, d) in DOSSIERS.iter().enumerate() {
        let channel = i % 3 + 1;
        let submitted = format!("{}/12/2023 07:00:00", &d.received[..2]);
        let time = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!("{s} 14:05:09")
            }
        };
        t.push_str(&format!(
            "<tr><td>{}</td><td>Phòng Tư pháp</td><td>Cán bộ {i}</td><td>Chứng thực chữ ký</td>\
             <td style='mso-number-format:\"\\@\"'>{}</td><td>{}</td><td>Ấp {i}</td><td>Người dân {i}</td>\
             <td>{submitted}</td><td>{}</td><td>{}</td><td>{}</td><td>Chứng thực</td><td>{channel}</td></tr>\n",
            i + 1,
            d.id,
            status(d),
            time(d.received),
            time(d.due),
            time(d.completed),
        ));
    }
    t.push_str("</table>\n</td></tr></table></body></html>\n");
    t
}

#[test]
fn reads_tan_dans_html_list_with_codes_and_the_office_received_date() {
    let case = Case::new();
    case.file(
        "Danh sách hồ sơ 5_4_2024 9_0.xls",
        &tan_dan(|d| d.code.to_string()),
    );
    let r = case.run();
    // Channel codes 1, 2, 3 by row (i % 3 + 1) of the seven counted: HS-02 (i 1) online,
    // HS-04 (3) direct, HS-05 (4) online, HS-06 (5) postal, HS-08 (7) online, HS-09 (8) postal,
    // HS-10 (9) direct → 3 online, 2 direct, 2 postal.
    let mut want = seven("new_online");
    want.new_online = 3;
    want.new_direct = 2;
    want.new_postal = 2;
    check_real(&r, want, "Tân Dân, codes");
    // «Ngày nộp hồ sơ» beside «Ngày nhận» is read as the submission date: no column is left
    // unread.
    assert!(
        r.warnings
            .iter()
            .all(|w| w.kind != WarningKind::DuplicateColumn),
        "{:?}",
        r.warnings
    );

    // The same list with the portal's words.
    let case = Case::new();
    case.file("tan-dan.xls", &tan_dan(|d| d.word.to_string()));
    let r = case.run();
    assert_eq!(
        but_channel(&counts(&r, "Phòng Tư pháp", "Chứng thực")),
        seven("new_direct")
    );
}

#[test]
fn reads_an_opencps_list_with_its_two_due_columns() {
    // OpenCPS: «Ngày hẹn trả» and «Hạn xử lý» both; «Ngày hẹn trả», the column's own name, is
    // read (the other is a day later and would make HS-09 early).
    let case = Case::new();
    let mut t = String::from(
        "STT;Mã hồ sơ;Tên hồ sơ;Chủ hồ sơ;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái;Hạn xử lý;Đơn vị giải quyết;Lĩnh vực;Ngày có kết quả\n",
    );
    for (i, d) in DOSSIERS.iter().enumerate() {
        let later = format!(
            "{:02}{}",
            d.due[..2].parse::<u32>().unwrap() + 1,
            &d.due[2..]
        );
        t.push_str(&format!(
            "{};{};Chứng thực chữ ký;Người dân {i};{};{};{};{later};Phòng Tư pháp;Chứng thực;{}\n",
            i + 1,
            d.id,
            d.received,
            d.due,
            d.word,
            d.completed
        ));
    }
    case.file("opencps.csv", &t);
    let r = case.run();
    let dup: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::DuplicateColumn)
        .map(|w| w.column.clone())
        .collect();
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert!(dup[0].contains("Hạn xử lý"), "{dup:?}");
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        seven("new_unknown_channel")
    );
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.excluded_withdrawn), (10, 7, 3));
}

#[test]
fn reads_the_older_softwares_web_page_with_character_references_and_line_breaks() {
    // Excel's "Web Page": header text as numeric character references, a line break inside
    // header cells; «Ngày TN» is the received date, «Ngày trả thực tế» the end; its further
    // columns (after «…» in real-exports.md) hold the field, the unit and the status.
    let case = Case::new();
    let mut t = String::from(
        "<html><body><table>\n<tr><td>STT</td><td>S&#7889; HS</td><td>Lo&#7841;i h&#7891; s&#417;</td>\
         <td>&#272;&#417;n v&#7883; c&#225; nh&#226;n</td><td>&#272;&#7883;a ch&#7881;</td><td>Ph&#432;&#7901;ng</td>\
         <td>S&#7889; VB</td><td>Ng&#224;y k&#253;</td><td>Ng&#224;y<br>TN</td><td>Ng&#224;y h&#7865;n<br/>tr&#7843;</td>\
         <td>Ng&#224;y tr&#7843;\n th&#7921;c t&#7871;</td><td>L&#297;nh v&#7921;c</td><td>&#272;&#417;n v&#7883;</td>\
         <td>Tr&#7841;ng th&#225;i</td></tr>\n",
    );
    for (i, d) in DOSSIERS.iter().enumerate() {
        t.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>Chứng thực</td><td>Người dân {i}</td><td>Ấp {i}</td><td>Phường 1</td>\
             <td>VB-{i}</td><td></td><td>{}</td><td>{}</td><td>{}</td><td>Chứng thực</td><td>Phòng Tư pháp</td><td>{}</td></tr>\n",
            i + 1,
            d.id,
            d.received,
            d.due,
            d.completed,
            d.word
        ));
    }
    t.push_str("</table></body></html>\n");
    case.file("danh-sach.xls", &t);
    let r = case.run();
    check_real(&r, seven("new_unknown_channel"), "older software");
}

#[test]
fn every_further_spelling_of_the_portals_statuses_is_known() {
    // Chờ bổ sung (supplement, due 01/03 → within), Trả lại / Trả lại hồ sơ (refused, ended
    // before due → early), Đã rút (withdrawn → excluded), Hoàn thành / Đã hoàn thành (result
    // ready on due → on time), Chờ tiếp nhận: received when submitted in person (processing-like,
    // due 20/03 → within), not yet received when online (excluded, listed).
    let case = Case::new();
    case.csv(
        "chu-khac.csv",
        &[
            "A-1;Phòng Tư pháp;Chứng thực;10/01/2024;01/03/2024;;Chờ bổ sung;Trực tiếp",
            "A-2;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;15/01/2024;Trả lại;Trực tiếp",
            "A-3;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;15/01/2024;Trả lại hồ sơ;Trực tiếp",
            "A-4;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;12/01/2024;Đã rút;Trực tiếp",
            "A-5;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;20/01/2024;Hoàn thành;Trực tiếp",
            "A-6;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;20/01/2024;Đã hoàn thành;Trực tiếp",
            "A-7;Phòng Tư pháp;Chứng thực;10/01/2024;20/03/2024;;Chờ tiếp nhận;Trực tiếp",
            "A-8;Phòng Tư pháp;Chứng thực;10/01/2024;20/03/2024;;Chờ tiếp nhận;2",
        ],
    );
    let r = case.run();
    assert!(!r
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::UnknownStatus));
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[
            ("new_direct", 6),
            ("pending_within", 2),
            ("resolved_early", 2),
            ("resolved_on_time", 2),
        ])
    );
    let a = account(&r);
    assert_eq!((a.read, a.counted, a.excluded_withdrawn), (8, 6, 2));
    let listed: Vec<&str> = r
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::NotReceived)
        .map(|w| w.dossier_id.as_str())
        .collect();
    assert_eq!(listed, ["A-8"]);
}

#[test]
fn the_layouts_give_the_counts_of_our_own_layout_but_the_channel_split() {
    let own = seven("new_direct");
    let layouts: [(&str, String); 3] = [
        ("igate.csv", igate_csv(|d| d.word.to_string())),
        ("igate-ma.csv", igate_csv(|d| d.code.to_string())),
        ("tan-dan.xls", tan_dan(|d| d.word.to_string())),
    ];
    for (name, text) in layouts {
        let case = Case::new();
        case.file(name, &text);
        let r = case.run();
        assert_eq!(
            but_channel(&counts(&r, "Phòng Tư pháp", "Chứng thực")),
            own,
            "{name}"
        );
    }
}

#[test]
fn a_status_word_nobody_knows_is_inferred_from_dates_and_counted_per_word_in_the_summary() {
    let case = Case::new();
    case.csv(
        "tu-moi.csv",
        &[
            "B-1;Phòng Tư pháp;Chứng thực;10/01/2024;20/01/2024;18/01/2024;Đã phê duyệt;Trực tiếp",
            "B-2;Phòng Tư pháp;Chứng thực;10/01/2024;20/03/2024;;Chờ phân công;Trực tiếp",
            "B-3;Phòng Tư pháp;Chứng thực;11/01/2024;20/03/2024;;Chờ phân công;Trực tiếp",
        ],
    );
    let r = case.run();
    // B-1 has an end date → result ready, early; B-2, B-3 none → processing, within.
    assert_eq!(
        counts(&r, "Phòng Tư pháp", "Chứng thực"),
        c(&[
            ("new_direct", 3),
            ("resolved_early", 1),
            ("pending_within", 2)
        ])
    );
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.contains("Trạng thái hồ sơ không có trong từ vựng (đã suy theo ngày): «Chờ phân công» 2 dòng, «Đã phê duyệt» 1 dòng — nếu là từ của hệ thống xuất, thêm vào mục [statuses] của pipelines/vocabulary.toml rồi chạy lại."),
        "{summary}"
    );
}

#[test]
fn an_igate_list_without_its_received_column_is_named_with_the_names_it_could_have() {
    let case = Case::new();
    case.file(
        "igate-thieu.csv",
        "STT,Số hồ sơ,Tên lĩnh vực,Phòng ban,Ngày tiếp nhân hồ sơ,Ngày hẹn trả,Trạng thái hồ sơ\n\
         1.0,HS-1,Chứng thực,Phòng Tư pháp,2024-01-05 08:00:00,2024-01-08 08:00:00,Đang xử lý\n",
    );
    let msg = case.run_err();
    assert!(
        msg.contains("igate-thieu.csv: trang tính «igate-thieu.csv», dòng tiêu đề 1: thiếu cột bắt buộc «Ngày tiếp nhận» (tên cột được chấp nhận: Ngày tiếp nhận, Ngày nhận, Thời gian tiếp nhận, Ngày TN, Ngày nộp hồ sơ, Ngày nộp)"),
        "{msg}"
    );
}

/// The real iGate export of another locality (fixtures/external/r8-igate-that-31-dong/): 31 dossiers of 2026-Q3,
/// every one returned, in two offices of that district that the shipped registry (Hóc Môn's)
/// does not know.
fn real_igate() -> Case {
    let case = Case::new().period("2026-Q3");
    let name = "igate-danh-sach-ho-so-31-dong.csv";
    std::fs::copy(
        root()
            .join("fixtures/external/r8-igate-that-31-dong/inputs")
            .join(name),
        case.inputs().join(name),
    )
    .unwrap();
    case
}

#[test]
fn reads_the_real_igate_export_with_the_shipped_configuration() {
    let case = real_igate();
    let r = case.run();
    let a = account(&r);
    assert_eq!(
        (a.read, a.counted, a.quarantined, a.duplicate),
        (31, 31, 0, 0)
    );
    // Warned about only because its units are another locality's: one warning a row, on the
    // «Phòng ban» column (its «Cơ quan/đơn vị» is empty).
    let kinds: Vec<_> = r.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        vec![WarningKind::UnknownUnit; 31],
        "{:?}",
        r.warnings
    );
    assert!(r.warnings.iter().all(|w| w.column == "Phòng ban"));
    let mut total = Counts::default();
    for row in &r.indicators.dossier().form06.rows {
        total.add(&row.counts);
    }
    assert_eq!(total.new_unknown_channel, 31);
    assert_eq!(total.resolved_total(), 31);
}

#[test]
fn the_officer_of_a_real_export_never_reaches_a_document_or_indicators_json() {
    // The real export names the officer holding each dossier (CÁN BỘ A, CÁN BỘ B …): kept in
    // the store for the early-warning list, never written to the report, the annexes, the
    // public page, the data-quality workbook or indicators.json.
    let case = real_igate();
    case.run_all();
    // Its dossiers of unknown channel are told apart in a note above Biểu 06, and written as
    // such in indicators.json, which keeps to its schema.
    let sheet = read_sheet(&case.out().join("phu-luc-2026-Q3.xlsx"), "Biểu 06");
    assert!(
        sheet.iter().flatten().any(|t| t == "Đơn vị tính: Số hồ sơ TTHC. Có 31 hồ sơ mới tiếp nhận không rõ hình thức nộp (tệp xuất không có cột hình thức nộp): có trong cột Tổng số, không tính vào cột Trực tuyến hay Trực tiếp và dịch vụ bưu chính"),
        "{sheet:?}"
    );
    let json = std::fs::read(case.out().join("indicators.json")).unwrap();
    assert_valid_indicators(&json);
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let unknown: u64 = v["tthc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["new_unknown_channel"].as_u64().unwrap())
        .sum();
    assert_eq!(unknown, 31);
    let texts = output_texts(&case.out());
    assert!(texts.iter().any(|(n, _)| n == "indicators.json"));
    for (name, text) in &texts {
        for officer in ["CÁN BỘ A", "CÁN BỘ B", "CHỦ HỒ SƠ", "0900000002"] {
            assert!(!text.contains(officer), "{officer} in {name}");
        }
    }
    // The Tân Dân list's «Cán bộ đang xử lý» column alike.
    let case = Case::new();
    case.file(
        "canh-bao.csv",
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái;Cán bộ đang xử lý\n\
         HS-1;Phòng Tư pháp;Chứng thực;05/01/2024;01/03/2024;Đang xử lý;Nguyễn Văn Cán\n",
    );
    case.run_all();
    for (name, text) in output_texts(&case.out()) {
        assert!(!text.contains("Nguyễn Văn Cán"), "officer in {name}");
    }
}

//! `cchc alerts` (early-warning.md): each boundary of the lists with a hand-built export and the
//! shipped calendar (2024: Tết 8–14/2 off), the officer column kept out of every public output,
//! the shipped sample against an independent computation from the spec, the page's layout.
//!
//! Unless a test says otherwise the list is for Thursday 7/3/2024 with the shipped horizon of 3
//! working days: Fri 8/3 (1), Mon 11/3 (2), Tue 12/3 (3) — the horizon ends on 12/3.

use chrono::NaiveDate;

use cchc::alerts::run::{compute_request, AlertRequest};
use cchc::alerts::{Alerts, ApologyReason, DossierState, UnitAlerts};
use cchc::model::Status;

use crate::support::{root, Case};

const HEADER: &str = "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp;Xin lỗi";
const WITH_OFFICER: &str = "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp;Xin lỗi;Cán bộ xử lý hiện tại";
const PAKN_HEADER: &str = "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Trạng thái;Ngày trả lời";
const UNIT: &str = "Phòng Tư pháp";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn write(case: &Case, name: &str, header: &str, rows: &[&str]) {
    let mut text = header.to_string();
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    case.file(name, &text);
}

fn request(case: &Case, as_of: NaiveDate) -> AlertRequest {
    AlertRequest {
        pipeline: case.pipeline.clone(),
        as_of: Some(as_of),
        days: None,
        inputs: vec![case.inputs()],
        store: None,
        all_stored: false,
        out: Some(case.out()),
        progress: false,
    }
}

fn alerts(case: &Case, as_of: NaiveDate) -> Alerts {
    compute_request(&request(case, as_of))
        .unwrap_or_else(|e| panic!("alerts failed: {e:#}"))
        .1
}

fn unit<'a>(a: &'a Alerts, name: &str) -> &'a UnitAlerts {
    a.units
        .iter()
        .find(|u| u.unit == name)
        .unwrap_or_else(|| panic!("no unit {name} in the list"))
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_string()).collect()
}

/// Dossiers of Phòng Tư pháp, all received 1/3/2024, open unless said.
fn dossier_case(rows: &[&str]) -> Case {
    let case = Case::new();
    write(&case, "tu-phap.csv", HEADER, rows);
    case
}

#[test]
fn lists_due_soon_from_the_day_itself_to_the_nth_working_day() {
    let case = dossier_case(&[
        "A-TODAY;Phòng Tư pháp;Hộ tịch;01/03/2024;07/03/2024;;Đang xử lý;Trực tiếp;",
        "A-SAT;Phòng Tư pháp;Hộ tịch;01/03/2024;09/03/2024;;Đang xử lý;Trực tiếp;",
        "A-MON;Phòng Tư pháp;Hộ tịch;01/03/2024;11/03/2024;;Đang xử lý;Trực tiếp;",
        "A-NTH;Phòng Tư pháp;Hộ tịch;01/03/2024;12/03/2024;;Đang xử lý;Trực tiếp;",
        "A-NEXT;Phòng Tư pháp;Hộ tịch;01/03/2024;13/03/2024;;Đang xử lý;Trực tiếp;",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    assert_eq!(a.horizon, d(2024, 3, 12));
    let u = unit(&a, UNIT);
    // Due on 7/3: 0 working days left; Sat 9/3: 1 (Fri 8/3); Mon 11/3: 2; Tue 12/3: 3, the
    // Nth; Wed 13/3 is the (N+1)th working day: not listed.
    assert_eq!(
        ids(&u.due_soon, |x| &x.dossier_id),
        ["A-TODAY", "A-SAT", "A-MON", "A-NTH"]
    );
    let left: Vec<u32> = u.due_soon.iter().map(|x| x.working_days_left).collect();
    assert_eq!(left, [0, 1, 2, 3]);
    assert!(u.overdue.is_empty());
}

#[test]
fn lists_no_dossier_that_was_never_received() {
    // The national portal's «Mới đăng ký» online and «Không được tiếp nhận» are not dossiers
    // received (real-exports.md §2): due or past due, they are on no list.
    let case = dossier_case(&[
        "R-OPEN;Phòng Tư pháp;Hộ tịch;01/03/2024;07/03/2024;;Đang xử lý;Trực tiếp;",
        "R-NEW;Phòng Tư pháp;Hộ tịch;01/03/2024;07/03/2024;;Mới đăng ký;Trực tuyến;",
        "R-REFUSED;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Không được tiếp nhận;Trực tuyến;",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    assert_eq!(ids(&u.due_soon, |x| &x.dossier_id), ["R-OPEN"]);
    assert!(u.overdue.is_empty());
}

#[test]
fn counts_the_horizon_across_a_holiday_of_the_calendar() {
    // Wed 7/2/2024, Tết 8–14/2 off: Thu 15/2 (1), Fri 16/2 (2), Mon 19/2 (3), Tue 20/2 (4).
    let case = dossier_case(&[
        "T-19;Phòng Tư pháp;Hộ tịch;01/02/2024;19/02/2024;;Đang xử lý;Trực tiếp;",
        "T-20;Phòng Tư pháp;Hộ tịch;01/02/2024;20/02/2024;;Đang xử lý;Trực tiếp;",
    ]);
    let a = alerts(&case, d(2024, 2, 7));
    assert_eq!(a.horizon, d(2024, 2, 19));
    let u = unit(&a, UNIT);
    assert_eq!(ids(&u.due_soon, |x| &x.dossier_id), ["T-19"]);
    assert_eq!(u.due_soon[0].working_days_left, 3);
}

#[test]
fn answers_a_past_day_by_the_dates_not_the_later_status() {
    let case = dossier_case(&[
        // Ended the day before: not pending on 7/3.
        "E-BEFORE;Phòng Tư pháp;Hộ tịch;01/03/2024;07/03/2024;06/03/2024;Đã trả kết quả;Trực tiếp;",
        // Ended the day after: pending on 7/3, due that day.
        "E-AFTER;Phòng Tư pháp;Hộ tịch;01/03/2024;07/03/2024;08/03/2024;Đã trả kết quả;Trực tiếp;",
        // Returned on 20/3, due 5/3: overdue on 7/3 whatever the export says now.
        "E-LATE;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;20/03/2024;Đã trả kết quả;Trực tiếp;Có",
        // Received after the day: it did not exist yet.
        "E-NEW;Phòng Tư pháp;Hộ tịch;08/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    assert_eq!(ids(&u.due_soon, |x| &x.dossier_id), ["E-AFTER"]);
    assert_eq!(u.due_soon[0].state, DossierState::EndedLater(d(2024, 3, 8)));
    assert_eq!(ids(&u.overdue, |x| &x.dossier_id), ["E-LATE"]);
    assert_eq!(u.overdue[0].days_overdue, 2);
    // E-LATE has its apology letter already: nothing owed.
    assert!(u.apology.is_empty());
}

#[test]
fn lists_a_supplement_wait_apart_from_the_overdue() {
    let case = dossier_case(&[
        "S-WAIT;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Chờ bổ sung;Trực tiếp;",
        "S-LATE;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Đang xử lý;Trực tiếp;Không",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    assert_eq!(ids(&u.overdue, |x| &x.dossier_id), ["S-LATE"]);
    assert_eq!(ids(&u.supplement, |x| &x.dossier_id), ["S-WAIT"]);
    assert_eq!(
        u.supplement[0].state,
        DossierState::Open(Status::Supplement)
    );
    // The overdue one will need an apology; the wait is not the office's delay.
    assert_eq!(ids(&u.apology, |x| &x.dossier_id), ["S-LATE"]);
    assert_eq!(u.apology[0].reason, ApologyReason::Overdue);
    assert_eq!(u.overdue_items(), 1);
}

#[test]
fn owes_an_apology_for_a_late_dossier_without_one() {
    // Both ended on 6/3, due 1/3: late, within 2024-Q1 (15/12/2023 – 14/3/2024) so far.
    let case = dossier_case(&[
        "L-WITH;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;06/03/2024;Đã trả kết quả;Trực tiếp;Có",
        "L-WITHOUT;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;06/03/2024;Đã trả kết quả;Trực tiếp;Không",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    assert_eq!(ids(&u.apology, |x| &x.dossier_id), ["L-WITHOUT"]);
    let owed = &u.apology[0];
    assert_eq!(owed.reason, ApologyReason::EndedLate);
    assert_eq!(owed.completed, Some(d(2024, 3, 6)));
    assert!(owed.column);
    assert!(u.overdue.is_empty() && u.due_soon.is_empty());
}

#[test]
fn shows_what_the_on_time_rate_stands_to_lose() {
    // Resolved in 2024-Q1 so far: 2 on time, 1 late (L); 2 due soon. Now 2/3 = 66,67 %;
    // if both due-soon dossiers end late, 2/5 = 40 %. Against target 3.1's ≥ 99.
    let case = dossier_case(&[
        "R-1;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;01/03/2024;Đã trả kết quả;Trực tiếp;",
        "R-2;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;28/02/2024;Đã trả kết quả;Trực tiếp;",
        "L;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;04/03/2024;Đã trả kết quả;Trực tiếp;Có",
        "D-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
        "D-2;Phòng Tư pháp;Hộ tịch;01/03/2024;11/03/2024;;Đang xử lý;Trực tiếp;",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    let whole = &u.stake[0];
    assert_eq!(whole.field, None);
    assert_eq!((whole.resolved, whole.on_time, whole.due_soon), (3, 2, 2));
    assert_eq!(whole.rate_now.unwrap().rounded(), 66.67);
    assert_eq!(whole.rate_if_late.unwrap().rounded(), 40.0);
    assert_eq!(whole.meets_if_late, Some(false));
    // The field's line: Hộ tịch is the only field.
    assert_eq!(u.stake[1].field.as_deref(), Some("Hộ tịch"));
    assert_eq!(u.stake.len(), 2);
}

#[test]
fn shows_the_766_progress_points_the_due_soon_dossiers_would_cost() {
    // index766.md 2.1 over the calendar quarter that holds 7/3/2024, from 1/1 to 7/3: points =
    // 20 × (ended early or on time + open within time on 7/3) / dossiers of the window.
    // Xã Bà Điểm (a commune: scored on its own):
    //   X-1 ended 18/1, due 20/1: on time.   X-2 ended 25/1, due 20/1: late.
    //   X-3 open, due 5/3: overdue on 7/3.   X-7 ended 9/2, due 10/2: on time.
    //   X-4 open, due 8/3, and X-5 open, due 11/3: due soon, within time on 7/3.
    //   X-6 open, due 20/3: within time, past the horizon (12/3): not due soon.
    //   X-W withdrawn 10/2, due 15/2: a withdrawal ends a dossier, on time (though the
    //       pipeline's practice keeps it out of the lists).
    //   X-OLD ended 20/12/2023: before the window (though in the report period from 15/12).
    // 8 dossiers, 6 on time: 20 × 6/8 = 15; with late, 20 × 4/8 = 10; at stake 5.
    // Phòng Tư pháp (a district office) is not scored by the index: no figure, not 0.
    let case = dossier_case(&[
        "X-1;Xã Bà Điểm;Hộ tịch;10/01/2024;20/01/2024;18/01/2024;Đã trả kết quả;Trực tiếp;",
        "X-2;Xã Bà Điểm;Hộ tịch;10/01/2024;20/01/2024;25/01/2024;Đã trả kết quả;Trực tiếp;Có",
        "X-3;Xã Bà Điểm;Hộ tịch;01/03/2024;05/03/2024;;Đang xử lý;Trực tiếp;",
        "X-4;Xã Bà Điểm;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
        "X-5;Xã Bà Điểm;Chứng thực;01/03/2024;11/03/2024;;Đang xử lý;Trực tiếp;",
        "X-6;Xã Bà Điểm;Hộ tịch;01/03/2024;20/03/2024;;Đang xử lý;Trực tiếp;",
        "X-7;Xã Bà Điểm;Hộ tịch;01/02/2024;10/02/2024;09/02/2024;Đã trả kết quả;Trực tiếp;",
        "X-W;Xã Bà Điểm;Hộ tịch;05/02/2024;15/02/2024;10/02/2024;Đã rút;Trực tiếp;",
        "X-OLD;Xã Bà Điểm;Hộ tịch;01/12/2023;10/12/2023;20/12/2023;Đã trả kết quả;Trực tiếp;Có",
        "T-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
    ]);
    let a = alerts(&case, d(2024, 3, 7));
    assert_eq!(a.window_766.id, "2024-Q1");
    assert_eq!(
        (a.window_766.start, a.window_766.end),
        (d(2024, 1, 1), d(2024, 3, 7))
    );
    let x = unit(&a, "Xã Bà Điểm");
    assert_eq!(ids(&x.due_soon, |d| &d.dossier_id), ["X-4", "X-5"]);
    let p = x.progress_766.as_ref().expect("a commune is scored");
    assert_eq!((p.counted, p.on_time, p.supposed_late), (8, 6, 2));
    assert_eq!(
        (p.points, p.points_if_late, p.max),
        (Some(15.0), Some(10.0), 20.0)
    );
    // T-1 is counted (1 dossier, within time, due soon), but the office gets no points.
    let t = unit(&a, UNIT).progress_766.as_ref().unwrap();
    assert_eq!((t.counted, t.on_time, t.supposed_late), (1, 1, 1));
    assert_eq!((t.points, t.points_if_late), (None, None));

    // The workbook's summary sheet and the commune's sheet, the page and the terminal.
    let report = cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let xlsx = case.out().join("canh-bao-2024-03-07.xlsx");
    let summary = crate::support::read_sheet(&xlsx, "Tổng hợp");
    let head = summary
        .iter()
        .position(|r| r.iter().any(|c| c == "Điểm 766 (2.1) có thể mất"))
        .expect("the summary's header");
    let col = summary[head]
        .iter()
        .position(|c| c == "Điểm 766 (2.1) có thể mất")
        .unwrap();
    let row_of = |name: &str| {
        summary
            .iter()
            .find(|r| r.iter().any(|c| c == name))
            .unwrap_or_else(|| panic!("no row {name}"))
            .clone()
    };
    assert_eq!(row_of("Xã Bà Điểm")[col], "5");
    assert_eq!(row_of(UNIT)[col], "chưa có dữ liệu");
    let sheets = calamine_sheet_names(&xlsx);
    let commune = sheets
        .iter()
        .find(|n| n.contains("Bà Điểm"))
        .expect("the commune's sheet");
    let rows = crate::support::read_sheet(&xlsx, commune);
    let line = rows
        .iter()
        .find(|r| r.iter().any(|c| c.starts_with("quý I năm 2024")))
        .expect("the 766 line");
    assert_eq!(
        line[..9],
        [
            "1",
            "quý I năm 2024, từ 01/01/2024 đến 07/03/2024",
            "8",
            "6",
            "2",
            "15",
            "10",
            "5",
            "20"
        ]
    );
    let page = std::fs::read_to_string(case.out().join("canh-bao-2024-03-07.html")).unwrap();
    assert!(
        page.contains("<td class=\"num\">15</td><td class=\"num\">10</td><td class=\"num\">5</td>")
    );
    assert!(page.contains("chưa có dữ liệu"));
    let terminal = |name: &str| {
        report
            .summary
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line {name}"))
            .to_string()
    };
    assert!(terminal("Xã Bà Điểm").ends_with(" 5"), "{}", report.summary);
    assert!(
        terminal(UNIT).ends_with("chưa có dữ liệu"),
        "{}",
        report.summary
    );
}

#[test]
fn gives_no_766_points_to_a_commune_without_a_dossier_in_the_window() {
    // X-OLD ended before the window (1/1–7/3/2024) and is the commune's only dossier; its PAKN
    // overdue puts it on the list. 2.1 has no figure (index766.md §3), not 0.
    let case = dossier_case(&[
        "X-OLD;Xã Bà Điểm;Hộ tịch;01/12/2023;10/12/2023;20/12/2023;Đã trả kết quả;Trực tiếp;Có",
    ]);
    write(
        &case,
        "pakn.csv",
        PAKN_HEADER,
        &["P-1;01/02/2024;Xã Bà Điểm;Hộ tịch;Đang xử lý;"],
    );
    let a = alerts(&case, d(2024, 3, 7));
    let x = unit(&a, "Xã Bà Điểm");
    assert_eq!(x.pakn.len(), 1);
    assert!(x.progress_766.is_none());
}

#[test]
fn lists_pakn_at_two_working_days_left_and_overdue() {
    // Answer limit 15 working days after the received day. Received Mon 19/2 → due Mon 11/3:
    // 2 working days after 7/3 (listed); 20/2 → 12/3, 3 left (listed, the Nth); 21/2 → 13/3, 4
    // left (not listed); 6/2 → due 5/3 (Tết days off skipped): 2 working days overdue.
    let case = Case::new();
    write(
        &case,
        "pakn.csv",
        PAKN_HEADER,
        &[
            "P-2LEFT;19/02/2024;Phòng Tư pháp;Hộ tịch;Đang xử lý;",
            "P-3LEFT;20/02/2024;Phòng Tư pháp;Hộ tịch;Đang xử lý;",
            "P-4LEFT;21/02/2024;Phòng Tư pháp;Hộ tịch;Đang xử lý;",
            "P-OVER;06/02/2024;Phòng Tư pháp;Hộ tịch;Đang xử lý;",
            "P-DONE;06/02/2024;Phòng Tư pháp;Hộ tịch;Đã trả lời;06/03/2024",
        ],
    );
    let a = alerts(&case, d(2024, 3, 7));
    let u = unit(&a, UNIT);
    let got: Vec<(String, NaiveDate, u32, bool)> = u
        .pakn
        .iter()
        .map(|p| (p.code.clone(), p.due, p.working_days, p.overdue))
        .collect();
    assert_eq!(
        got,
        [
            ("P-OVER".to_string(), d(2024, 3, 5), 2, true),
            ("P-2LEFT".to_string(), d(2024, 3, 11), 2, false),
            ("P-3LEFT".to_string(), d(2024, 3, 12), 3, false),
        ]
    );
    assert_eq!(u.overdue_items(), 1);
}

#[test]
fn lists_a_task_due_in_ten_working_days_not_in_eleven() {
    // Task 1.12 (Phòng Văn hóa và Thông tin) is due by 2024-Q1: 14/3/2024. From Thu 29/2 that
    // is 10 working days (1/3, 4–8/3, 11–14/3); from Wed 28/2, 11. No form returned: no answer.
    let case = dossier_case(&[]);
    let unit_name = "Phòng Văn hóa và Thông tin";
    let a = alerts(&case, d(2024, 2, 29));
    let t = unit(&a, unit_name)
        .tasks
        .iter()
        .find(|t| t.number == "1.12")
        .expect("1.12 listed");
    assert_eq!(
        (t.due, t.working_days_left, t.overdue),
        (d(2024, 3, 14), 10, false)
    );
    assert_eq!(t.status, None);
    let a = alerts(&case, d(2024, 2, 28));
    let listed = a
        .units
        .iter()
        .filter(|u| u.unit == unit_name)
        .flat_map(|u| &u.tasks)
        .any(|t| t.number == "1.12");
    assert!(!listed, "1.12 is 11 working days away on 28/2");
}

#[test]
fn counts_per_officer_when_the_export_names_one() {
    let case = Case::new();
    write(
        &case,
        "tu-phap.csv",
        WITH_OFFICER,
        &[
            "O-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;;Trần Văn Bảo",
            "O-2;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Đang xử lý;Trực tiếp;;Trần Văn Bảo",
            "O-3;Phòng Tư pháp;Hộ tịch;01/03/2024;11/03/2024;;Đang xử lý;Trực tiếp;;Lê Thị Cúc",
        ],
    );
    let a = alerts(&case, d(2024, 3, 7));
    assert!(a.officer_column);
    let u = unit(&a, UNIT);
    assert_eq!(u.due_soon[0].officer.as_deref(), Some("Trần Văn Bảo"));
    let per: Vec<(String, u64, u64)> = u
        .officers
        .iter()
        .map(|o| (o.officer.clone(), o.due_soon, o.overdue))
        .collect();
    assert_eq!(
        per,
        [
            ("Lê Thị Cúc".to_string(), 1, 0),
            ("Trần Văn Bảo".to_string(), 1, 1)
        ]
    );
}

#[test]
fn has_no_officer_column_when_the_export_names_none() {
    let case =
        dossier_case(&["N-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;"]);
    let a = alerts(&case, d(2024, 3, 7));
    assert!(!a.officer_column);
    let u = unit(&a, UNIT);
    assert_eq!(u.due_soon[0].officer, None);
    assert!(u.officers.is_empty());
    let report = cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let page = std::fs::read_to_string(case.out().join("canh-bao-2024-03-07.html")).unwrap();
    assert!(
        !page.contains("Cán bộ xử lý"),
        "no officer column on the page"
    );
    assert_eq!(report.written.len(), 3);
}

#[test]
fn never_writes_the_officer_to_a_public_output() {
    let case = Case::new();
    write(
        &case,
        "tu-phap.csv",
        WITH_OFFICER,
        &[
            "O-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;;Trần Văn Bảo",
            "O-2;Phòng Tư pháp;Hộ tịch;01/02/2024;05/03/2024;10/03/2024;Đã trả kết quả;Trực tiếp;Không;Trần Văn Bảo",
        ],
    );
    let report = case.run_all();
    assert!(!report.written.is_empty());
    for (file, text) in crate::support::output_texts(&case.out()) {
        assert!(!text.contains("Trần Văn Bảo"), "the officer is in {file}");
    }
    // The column was recognised, not reported as unknown, and the list has it.
    assert!(
        report.unknown_columns.is_empty(),
        "{:?}",
        report.unknown_columns
    );
    let a = alerts(&case, d(2024, 3, 7));
    assert_eq!(
        unit(&a, UNIT).due_soon[0].officer.as_deref(),
        Some("Trần Văn Bảo")
    );
}

#[test]
fn lists_the_same_from_the_store_as_from_the_exports() {
    let case = dossier_case(&[
        "K-SOON;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
        "K-LATE;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Đang xử lý;Trực tiếp;Không",
    ]);
    let store = case.dir.path().join("store");
    let direct = alerts(&case, d(2024, 3, 7));
    let mut req = request(&case, d(2024, 3, 7));
    req.store = Some(store.clone());
    let filled = compute_request(&req).unwrap().1;
    assert_eq!(filled, direct);
    // From everything stored, without reading the exports again.
    req.inputs = Vec::new();
    req.all_stored = true;
    let stored = compute_request(&req).unwrap().1;
    assert_eq!(stored, direct);
}

/// The files of the store's table of winners (`winners/<key>.parquet` and `.json`).
fn winners_files(store: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(store.join("winners"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn lists_from_the_stores_winners_and_builds_them_again_when_a_file_changes() {
    // K-1 has two copies: the returned one (b.csv) is furthest along and wins. K-3's losing
    // copy (result ready on 06/03 in a.csv, not yet returned) carries the latest day of all,
    // which dates the exports though the winning copy (returned 04/03) does not hold it.
    let case = Case::new();
    write(
        &case,
        "a.csv",
        HEADER,
        &[
            "K-1;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;;Đang xử lý;Trực tiếp;",
            "K-2;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
            "K-3;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;06/03/2024;Đã có kết quả;Trực tiếp;",
        ],
    );
    write(
        &case,
        "b.csv",
        HEADER,
        &[
            "K-1;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;05/03/2024;Đã trả kết quả;Trực tiếp;Có",
            "K-3;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;04/03/2024;Đã trả kết quả;Trực tiếp;",
        ],
    );
    let store = case.dir.path().join("store");
    let day = d(2024, 3, 7);
    let direct = alerts(&case, day);
    assert_eq!(direct.latest_export_date, Some(d(2024, 3, 6)));
    assert!(unit(&direct, UNIT).overdue.is_empty());
    let mut fill = request(&case, day);
    fill.store = Some(store.clone());
    compute_request(&fill).unwrap();
    // The first list from every stored file builds the table of winners, the next reads it.
    let mut stored = request(&case, day);
    stored.store = Some(store.clone());
    stored.inputs = Vec::new();
    stored.all_stored = true;
    assert_eq!(compute_request(&stored).unwrap().1, direct);
    let built = winners_files(&store);
    assert_eq!(built.len(), 2, "{built:?}");
    assert_eq!(compute_request(&stored).unwrap().1, direct);
    assert_eq!(winners_files(&store), built);
    // b.csv changes: K-1 is no longer returned. The store's sources change, so does the table's
    // name; the old one is removed, and the list is that of the new exports.
    write(
        &case,
        "b.csv",
        HEADER,
        &["K-3;Phòng Tư pháp;Hộ tịch;01/03/2024;05/03/2024;04/03/2024;Đã trả kết quả;Trực tiếp;"],
    );
    compute_request(&fill).unwrap();
    let changed = alerts(&case, day);
    assert_eq!(
        ids(&unit(&changed, UNIT).overdue, |x| &x.dossier_id),
        ["K-1"]
    );
    assert_eq!(compute_request(&stored).unwrap().1, changed);
    let rebuilt = winners_files(&store);
    assert_eq!(rebuilt.len(), 2, "{rebuilt:?}");
    assert_ne!(rebuilt, built);
    // A store written before the table existed is read as before, and gets one.
    std::fs::remove_dir_all(store.join("winners")).unwrap();
    assert_eq!(compute_request(&stored).unwrap().1, changed);
    assert_eq!(winners_files(&store), rebuilt);
}

#[test]
fn tells_a_pipeline_without_alert_settings_what_to_add() {
    let case =
        Case::with_pipeline_edit("[alerts]\ndays = 3\ntask_days = 10\nstale_after = 2\n", "");
    write(&case, "tu-phap.csv", HEADER, &[]);
    let err = format!(
        "{:#}",
        compute_request(&request(&case, d(2024, 3, 7))).unwrap_err()
    );
    assert!(err.contains("chưa có mục [alerts]"), "{err}");
    assert!(err.contains("days = 3"), "{err}");
}

#[test]
fn names_a_column_the_words_file_offers_no_value_for() {
    let case = dossier_case(&[]);
    let templates = case.dir.path().join("mau");
    std::fs::create_dir_all(templates.join("alerts")).unwrap();
    let words = std::fs::read_to_string(root().join("templates/alerts/canh-bao.toml"))
        .unwrap()
        .replace("value = \"working_days_left\"", "value = \"ngay_con_lai\"");
    std::fs::write(templates.join("alerts/canh-bao.toml"), words).unwrap();
    let err = format!(
        "{:#}",
        cchc::alerts::render::Words::load(Some(&templates)).unwrap_err()
    );
    assert!(err.contains("«ngay_con_lai»"), "{err}");
    assert!(err.contains("working_days_left"), "{err}");
}

/// A case whose words file (in its own templates folder) has `edit` applied.
fn case_with_words(from: &str, to: &str) -> (Case, tempfile::TempDir) {
    let mine = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(mine.path().join("alerts")).unwrap();
    let words = std::fs::read_to_string(root().join("templates/alerts/canh-bao.toml")).unwrap();
    assert!(words.contains(from), "the shipped words have no «{from}»");
    std::fs::write(
        mine.path().join("alerts/canh-bao.toml"),
        words.replace(from, to),
    )
    .unwrap();
    let case = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = {:?}", mine.path().display().to_string()),
    );
    (case, mine)
}

/// The full list's header and rows, read as Excel reads it: UTF-8 after a byte-order mark,
/// `;` between fields, lines ended by CRLF.
fn full_list_rows(case: &Case, day: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(case.out().join(format!("canh-bao-{day}-day-du.csv"))).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("the full list starts with a byte-order mark");
    assert!(text.ends_with("\r\n"), "{text}");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
    let header = rows.next().unwrap();
    (header, rows.collect())
}

#[test]
fn cuts_each_list_of_the_page_at_page_rows_and_keeps_them_all_in_the_full_list() {
    let (case, _words) = case_with_words("page_rows = 200", "page_rows = 1");
    write(
        &case,
        "tu-phap.csv",
        HEADER,
        &[
            "C-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;",
            "C-2;Phòng Tư pháp;Hộ tịch;01/03/2024;11/03/2024;;Đang xử lý;Trực tiếp;",
        ],
    );
    cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let page = std::fs::read_to_string(case.out().join("canh-bao-2024-03-07.html")).unwrap();
    assert!(page.contains("C-1") && !page.contains("C-2"), "{page}");
    assert!(
        page.contains(
            "… và 1 hồ sơ khác — danh sách đầy đủ trong tệp canh-bao-2024-03-07-day-du.csv"
        ),
        "{page}"
    );
    // The workbook's sheets stop at sheet_rows (500), not page_rows.
    let texts = crate::support::output_texts(&case.out());
    let book: String = texts
        .iter()
        .filter(|(f, _)| f.starts_with("canh-bao-2024-03-07.xlsx/"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(book.contains("C-1") && book.contains("C-2"));
    let (_, rows) = full_list_rows(&case, "2024-03-07");
    let soon: Vec<&str> = rows
        .iter()
        .filter(|r| r[1] == "1. Hồ sơ sắp đến hạn")
        .map(|r| r[3].as_str())
        .collect();
    assert_eq!(soon, ["C-1", "C-2"]);
}

#[test]
fn cuts_each_list_of_a_unit_sheet_at_sheet_rows_and_writes_every_row_to_the_full_list() {
    // Three dossiers overdue on Thu 7/3/2024, longest overdue first: due 28/2 (8 days), 4/3
    // (3), 5/3 (2), none with an apology, so each owed one too; Q-3 waits for a supplement.
    let (case, _words) = case_with_words("sheet_rows = 500", "sheet_rows = 2");
    write(
        &case,
        "tu-phap.csv",
        HEADER,
        &[
            "Q-3;Phòng Tư pháp;Chứng thực;26/02/2024;05/03/2024;;Chờ bổ sung;Trực tiếp;",
            "Q-4;Phòng Tư pháp;Hộ tịch;26/02/2024;05/03/2024;;Đang xử lý;Trực tiếp;",
            "Q-1;Phòng Tư pháp;Hộ tịch;20/02/2024;28/02/2024;;Đang xử lý;Trực tiếp;",
            "Q-2;Phòng Tư pháp;Hộ tịch;23/02/2024;04/03/2024;;Đã tiếp nhận;Trực tiếp;",
        ],
    );
    let report = cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let u = unit(&report.alerts, UNIT);
    assert_eq!(ids(&u.overdue, |x| &x.dossier_id), ["Q-1", "Q-2", "Q-4"]);
    assert_eq!(ids(&u.supplement, |x| &x.dossier_id), ["Q-3"]);
    let (pipeline, a) = compute_request(&request(&case, d(2024, 3, 7))).unwrap();
    let words = cchc::alerts::render::Words::load(pipeline.templates.as_deref()).unwrap();
    assert_eq!(words.sheet_rows, 2);
    let sheets = cchc::alerts::render::sheets(&pipeline, &words, &a).unwrap();
    let sheet = sheets
        .iter()
        .find(|s| s.name.ends_with("Phòng Tư pháp"))
        .unwrap()
        .dump();
    // Overdue, then the line; apology owed: the same; Q-3, alone
    // in its list, is not cut.
    let more = "«… và 1 hồ sơ khác — danh sách đầy đủ trong tệp canh-bao-2024-03-07-day-du.csv»";
    assert_eq!(sheet.matches(more).count(), 2, "{sheet}");
    assert_eq!(sheet.matches("«Q-1»").count(), 2, "{sheet}");
    assert_eq!(sheet.matches("«Q-2»").count(), 2, "{sheet}");
    assert_eq!(sheet.matches("«Q-4»").count(), 0, "{sheet}");
    assert_eq!(sheet.matches("«Q-3»").count(), 1, "{sheet}");
    // The summary sheet counts all three overdue (column C of the unit's row).
    let summary = sheets[0].dump();
    let row = summary
        .lines()
        .find_map(|l| l.strip_suffix(" Text «Phòng Tư pháp»")?.strip_prefix('B'))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(
        summary.contains(&format!("\nC{row} Integer 3\n")),
        "{summary}"
    );
    let (header, rows) = full_list_rows(&case, "2024-03-07");
    assert_eq!(
        header,
        [
            "Đơn vị",
            "Danh sách",
            "STT",
            "Mã hồ sơ",
            "Thủ tục hành chính",
            "Lĩnh vực",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Còn (ngày làm việc)",
            "Tình trạng",
            "Quá hạn (ngày)",
            "Ngày có kết quả",
            "Lý do",
            "Mã PAKN",
            "Hạn trả lời",
            "Còn / quá (ngày làm việc)",
            "Số TT",
            "Nhiệm vụ",
            "Thời gian hoàn thành (theo kế hoạch)",
            "Hạn",
            "Tình trạng hạn",
            "Báo cáo gần nhất của đơn vị",
            "Cơ quan chủ trì (theo kế hoạch)",
        ]
    );
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let of = |list: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r[0] == UNIT && r[1] == list)
            .map(|r| r[..13].join(";"))
            .collect()
    };
    assert_eq!(
        of("2. Hồ sơ đã quá hạn"),
        [
            "Phòng Tư pháp;2. Hồ sơ đã quá hạn;1;Q-1;;Hộ tịch;20/02/2024;28/02/2024;;Đang xử lý;8;;",
            "Phòng Tư pháp;2. Hồ sơ đã quá hạn;2;Q-2;;Hộ tịch;23/02/2024;04/03/2024;;Đã tiếp nhận;3;;",
            "Phòng Tư pháp;2. Hồ sơ đã quá hạn;3;Q-4;;Hộ tịch;26/02/2024;05/03/2024;;Đang xử lý;2;;",
        ]
    );
    assert_eq!(
        of(&words.sections.supplement),
        [format!(
            "Phòng Tư pháp;{};1;Q-3;;Chứng thực;26/02/2024;05/03/2024;;Chờ bổ sung;2;;",
            words.sections.supplement
        )]
    );
    assert_eq!(
        of("3. Hồ sơ phải có văn bản xin lỗi (chỉ tiêu 3.4)"),
        [
            "Phòng Tư pháp;3. Hồ sơ phải có văn bản xin lỗi (chỉ tiêu 3.4);1;Q-1;;Hộ tịch;;28/02/2024;;;;;Đang quá hạn: sẽ phải xin lỗi",
            "Phòng Tư pháp;3. Hồ sơ phải có văn bản xin lỗi (chỉ tiêu 3.4);2;Q-2;;Hộ tịch;;04/03/2024;;;;;Đang quá hạn: sẽ phải xin lỗi",
            "Phòng Tư pháp;3. Hồ sơ phải có văn bản xin lỗi (chỉ tiêu 3.4);3;Q-4;;Hộ tịch;;05/03/2024;;;;;Đang quá hạn: sẽ phải xin lỗi",
        ]
    );
    // Every item of every list of every unit, once.
    let items: usize = report
        .alerts
        .units
        .iter()
        .map(|u| {
            u.due_soon.len()
                + u.overdue.len()
                + u.supplement.len()
                + u.apology.len()
                + u.pakn.len()
                + u.tasks.len()
        })
        .sum();
    assert_eq!(rows.len(), items);
}

#[test]
fn writes_the_same_full_list_byte_for_byte_twice() {
    let case = dossier_case(&[
        "B-1;Phòng Tư pháp;Hộ tịch;20/02/2024;28/02/2024;;Đang xử lý;Trực tiếp;",
        "B-2;Phòng Tư pháp;Chứng thực;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;Có",
        "B-3;Phòng Tư pháp;Hộ tịch;20/02/2024;01/03/2024;05/03/2024;Đã trả kết quả;Trực tiếp;Không",
    ]);
    let file = case.out().join("canh-bao-2024-03-07-day-du.csv");
    cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let first = std::fs::read(&file).unwrap();
    cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    assert_eq!(first, std::fs::read(&file).unwrap());
    assert!(String::from_utf8(first).unwrap().contains(";B-3;"));
}

#[test]
fn warns_when_the_exports_are_older_than_two_working_days() {
    // The latest date in the export is 7/3 (received). On Mon 11/3 that is 2 working days
    // before (8/3, 11/3): fresh; on Tue 12/3, 3: stale.
    let case =
        dossier_case(&["F-1;Phòng Tư pháp;Hộ tịch;07/03/2024;20/03/2024;;Đang xử lý;Trực tiếp;"]);
    let a = alerts(&case, d(2024, 3, 11));
    assert_eq!(a.latest_export_date, Some(d(2024, 3, 7)));
    assert!(!a.stale);
    let a = alerts(&case, d(2024, 3, 12));
    assert!(a.stale);
}

#[test]
fn writes_the_workbook_and_page_and_refuses_another_pipelines_folder() {
    let case =
        dossier_case(&["W-1;Phòng Tư pháp;Hộ tịch;01/03/2024;08/03/2024;;Đang xử lý;Trực tiếp;"]);
    let report = cchc::alerts::run::run(&request(&case, d(2024, 3, 7))).unwrap();
    let names: Vec<String> = report
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "canh-bao-2024-03-07.xlsx",
            "canh-bao-2024-03-07.html",
            "canh-bao-2024-03-07-day-du.csv"
        ]
    );
    assert!(report.summary.contains("Phòng Tư pháp"));
    // The same folder for another pipeline file: refused, nothing changed.
    let other = Case::with_pipeline_edit("days = 3", "days = 5");
    let mut req = request(&case, d(2024, 3, 8));
    req.pipeline = other.pipeline.clone();
    let err = format!("{:#}", cchc::alerts::run::run(&req).unwrap_err());
    assert!(err.contains("--out"), "{err}");
    assert!(!case.out().join("canh-bao-2024-03-08.xlsx").exists());
}

#[test]
fn matches_an_independent_computation_on_the_sample_quarter() {
    // fixtures/alerts/expected-<day>.json were computed by fixtures/alerts/expected.py from the
    // spec alone (early-warning.md, tthc-rules.md), reading the sample exports with openpyxl.
    let dir = root().join("fixtures/alerts");
    for day in ["2024-01-10", "2024-03-11"] {
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("expected-{day}.json"))).unwrap(),
        )
        .unwrap();
        let as_of = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let (_, a) = compute_request(&AlertRequest {
            pipeline: crate::support::shipped_pipeline(),
            as_of: Some(as_of),
            days: None,
            inputs: vec![root().join("fixtures/sample")],
            store: None,
            all_stored: false,
            out: None,
            progress: false,
        })
        .unwrap();
        let mut soon: Vec<String> = a
            .units
            .iter()
            .flat_map(|u| u.due_soon.iter().map(|x| x.dossier_id.clone()))
            .collect();
        let mut overdue: Vec<String> = a
            .units
            .iter()
            .flat_map(|u| u.overdue.iter().map(|x| x.dossier_id.clone()))
            .collect();
        let mut supplement: Vec<String> = a
            .units
            .iter()
            .flat_map(|u| u.supplement.iter().map(|x| x.dossier_id.clone()))
            .collect();
        soon.sort();
        overdue.sort();
        supplement.sort();
        let list = |k: &str| -> Vec<String> {
            expected[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert!(
            !list("due_soon").is_empty(),
            "{day}: the fixture lists nothing"
        );
        assert_eq!(soon, list("due_soon"), "{day}: due soon");
        assert_eq!(overdue, list("overdue"), "{day}: overdue");
        assert_eq!(supplement, list("supplement"), "{day}: supplement");
    }
}

/// A figure of the expected file as the workbook shows it (calamine's text of the cell): a number
/// with its 2 decimals as written (`19.69`, `20`), `absent` for null.
fn shown(v: &serde_json::Value, absent: &str) -> String {
    v.as_f64().map_or(absent.to_string(), |x| x.to_string())
}

/// What is at stake (early-warning.md item 6) for every unit of the shipped sample on both days,
/// against fixtures/alerts/expected-<day>.json (`units`), computed by fixtures/alerts/expected.py
/// from the spec alone. Compared as cchc writes them in the workbook: counts exactly; the on-time
/// rates (%) and the 766 points (2.1) at the precision the workbook and the page show them, 2
/// decimals rounded half away from zero (`19.69`, `0.31`, `20`), the expected figures being the
/// exact ratios rounded so. Read: the summary sheet (rates, due-soon count, points at stake per
/// unit) and each unit's sheet, section 6 (resolved, on time, due soon, the two rates and whether
/// the target is then met, for the unit and each field line it shows) and 6b (the window, the
/// dossiers counted, within time, due soon, points now, if late, at stake, max). A unit absent
/// from the expected file has no dossier: nothing resolved, no rate, no points.
#[test]
fn matches_an_independent_computation_of_what_is_at_stake_on_the_sample_quarter() {
    let dir = root().join("fixtures/alerts");
    let wrong = std::cell::RefCell::new(Vec::new());
    for day in ["2024-01-10", "2024-03-11"] {
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("expected-{day}.json"))).unwrap(),
        )
        .unwrap();
        let units = expected["units"].as_object().expect("the fixture's units");
        let out = tempfile::tempdir().unwrap();
        cchc::alerts::run::run(&AlertRequest {
            pipeline: crate::support::shipped_pipeline(),
            as_of: Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
            days: None,
            inputs: vec![root().join("fixtures/sample")],
            store: None,
            all_stored: false,
            out: Some(out.path().to_path_buf()),
            progress: false,
        })
        .unwrap();
        let xlsx = out.path().join(format!("canh-bao-{day}.xlsx"));
        let check = |what: String, cchc: &str, spec: String| {
            if cchc != spec {
                wrong
                    .borrow_mut()
                    .push(format!("{day} {what}: cchc {cchc:?}, spec {spec:?}"));
            }
        };

        // The summary sheet: one row per unit.
        let summary = crate::support::read_sheet(&xlsx, "Tổng hợp");
        let head = summary
            .iter()
            .position(|r| r.iter().any(|c| c == "Điểm 766 (2.1) có thể mất"))
            .expect("the summary's header");
        let col = |name: &str| {
            summary[head]
                .iter()
                .position(|c| c == name)
                .unwrap_or_else(|| panic!("no column {name}"))
        };
        let (c_unit, c_soon) = (col("Đơn vị"), col("Hồ sơ sắp đến hạn"));
        let (c_now, c_late) = (
            col("Tỷ lệ đúng hạn đến nay (%)"),
            col("Nếu hồ sơ sắp đến hạn đều trễ (%)"),
        );
        let c_stake = col("Điểm 766 (2.1) có thể mất");
        let mut listed = Vec::new();
        for r in &summary[head + 1..] {
            let name = r[c_unit].as_str();
            if name.is_empty() || name == "Tổng cộng" {
                continue;
            }
            listed.push(name.to_string());
            let none = serde_json::Value::Null;
            let e = units.get(name);
            let rate = e.map_or(&none, |e| &e["rate"]);
            let soon = rate["due_soon"].as_u64().unwrap_or(0).to_string();
            check(format!("{name}, sắp đến hạn"), &r[c_soon], soon);
            check(
                format!("{name}, tỷ lệ đến nay"),
                &r[c_now],
                shown(&rate["rate_now"], ""),
            );
            check(
                format!("{name}, tỷ lệ nếu trễ"),
                &r[c_late],
                shown(&rate["rate_if_late"], ""),
            );
            // index766.md §4: the points the due-soon dossiers cost, 20 × their share, to 2
            // decimals — not the difference of the two rounded figures.
            let stake = e.map_or(&none, |e| &e["progress_766"]["at_stake"]);
            check(
                format!("{name}, điểm 766 có thể mất"),
                &r[c_stake],
                shown(stake, "chưa có dữ liệu"),
            );
        }
        for (name, e) in units {
            if e["rate"]["due_soon"].as_u64().unwrap() > 0 && !listed.contains(name) {
                wrong.borrow_mut().push(format!(
                    "{day} {name}: due-soon dossiers, not on the summary sheet"
                ));
            }
        }

        // Each unit's sheet: sections 6 and 6b.
        for sheet in calamine_sheet_names(&xlsx).iter().skip(1) {
            let rows = crate::support::read_sheet(&xlsx, sheet);
            let unit = rows[0][0].split(" · ").next().unwrap().to_string();
            let start = |prefix: &str| {
                rows.iter()
                    .position(|r| r[0].starts_with(prefix))
                    .unwrap_or_else(|| panic!("{day} {unit}: no section {prefix}"))
            };
            let (s6, s6b) = (start("6. "), start("6b. "));
            let Some(e) = units.get(&unit) else {
                // No dossier at all: nothing resolved, no rate, no points.
                let line = &rows[s6 + 2];
                check(
                    format!("{unit}, mục 6"),
                    &line[2..7].join("|"),
                    "0|0|0||".into(),
                );
                let line = &rows[s6b + 2];
                check(
                    format!("{unit}, mục 6b"),
                    &line[2..6].join("|"),
                    "0|0|0|chưa có dữ liệu".into(),
                );
                continue;
            };
            for line in rows[s6 + 2..s6b].iter().filter(|r| !r[0].is_empty()) {
                let label = &line[1];
                let x = if *label == unit {
                    &e["rate"]
                } else {
                    &e["fields"][label.as_str()]
                };
                if x.is_null() {
                    wrong.borrow_mut().push(format!(
                        "{day} {unit}: field line {label} not in the fixture"
                    ));
                    continue;
                }
                let want = [
                    x["resolved"].to_string(),
                    x["on_time"].to_string(),
                    x["due_soon"].to_string(),
                    shown(&x["rate_now"], ""),
                    shown(&x["rate_if_late"], ""),
                    format!("≥ {}", x["target"]),
                    match x["meets_if_late"].as_bool() {
                        Some(true) => "Đạt".into(),
                        Some(false) => "Không đạt".into(),
                        None => "—".into(),
                    },
                ];
                check(
                    format!("{unit}, mục 6, {label}"),
                    &line[2..9].join("|"),
                    want.join("|"),
                );
            }
            let p = &e["progress_766"];
            let line = &rows[s6b + 2];
            let window = format!(
                "từ {} đến {}",
                NaiveDate::parse_from_str(
                    expected["window_766"]["start"].as_str().unwrap(),
                    "%Y-%m-%d"
                )
                .unwrap()
                .format("%d/%m/%Y"),
                NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .unwrap()
                    .format("%d/%m/%Y"),
            );
            if !line[1].ends_with(&window) {
                wrong.borrow_mut().push(format!(
                    "{day} {unit}: window {:?}, spec {window:?}",
                    line[1]
                ));
            }
            let nothing = "chưa có dữ liệu";
            let want = [
                p["counted"].to_string(),
                p["on_time"].to_string(),
                p["supposed_late"].to_string(),
                shown(&p["points"], nothing),
                shown(&p["points_if_late"], nothing),
                shown(&p["at_stake"], nothing),
            ];
            check(
                format!("{unit}, mục 6b"),
                &line[2..8].join("|"),
                want.join("|"),
            );
            check(
                format!("{unit}, mục 6b, tối đa"),
                &line[8],
                p["max"].to_string(),
            );
        }
    }
    let wrong = wrong.into_inner();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn page_layout() {
    // Wed 10/4/2024 (2024-Q2 from 15/3): horizon Mon 15/4. Tasks 1.12 and 3.10, due by 2024-Q1,
    // are past due and not reported done; the quarter's own tasks are due on 14/6.
    let case = Case::new();
    write(
        &case,
        "tu-phap.csv",
        WITH_OFFICER,
        &[
            "H-1;Phòng Tư pháp;Hộ tịch;01/04/2024;12/04/2024;;Đang xử lý;Trực tiếp;;Trần Văn Bảo",
            "H-2;Phòng Tư pháp;Chứng thực;01/04/2024;08/04/2024;;Chờ bổ sung;Trực tiếp;;Lê Thị Cúc",
            "H-3;Phòng Tư pháp;Hộ tịch;20/03/2024;01/04/2024;05/04/2024;Đã trả kết quả;Trực tiếp;Không;",
        ],
    );
    write(
        &case,
        "pakn.csv",
        PAKN_HEADER,
        &["P-1;20/03/2024;Phòng Tư pháp;Hộ tịch;Đang xử lý;"],
    );
    cchc::alerts::run::run(&request(&case, d(2024, 4, 10))).unwrap();
    let page = std::fs::read_to_string(case.out().join("canh-bao-2024-04-10.html")).unwrap();
    insta::assert_snapshot!("alerts_page", page);
    // The workbook of the same list: the summary sheet, then a sheet per unit.
    let (pipeline, a) = compute_request(&request(&case, d(2024, 4, 10))).unwrap();
    let words = cchc::alerts::render::Words::load(pipeline.templates.as_deref()).unwrap();
    let sheets = cchc::alerts::render::sheets(&pipeline, &words, &a).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Tổng hợp",
            "1. Phòng Tài chính - Kế hoạch",
            "2. Phòng Văn hóa và Thông tin",
            "3. Phòng Tư pháp"
        ]
    );
    insta::assert_snapshot!("alerts_workbook_unit", sheets[3].dump());
}

fn calamine_sheet_names(path: &std::path::Path) -> Vec<String> {
    use calamine::Reader;
    calamine::open_workbook_auto(path)
        .expect("the workbook opens")
        .sheet_names()
        .to_vec()
}

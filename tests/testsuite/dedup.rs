//! One record per dossier (tthc-rules §2): the copy furthest along wins; on a status tie the later
//! completion date; on a full tie the copy read last (files are read sorted by path, so `a.csv`
//! before `b.csv`). The copies differ in their channel, so the counts show which one was kept.

use cchc::model::{RowRef, Status};
use cchc::pipeline::RunReport;
use cchc::quality::{DuplicateResolved, RowAccount};
use polars::prelude::DataFrame;

use crate::support::{account, c, counts, Case, HEADER};

const TP: &str = "Phòng Tư pháp";
const CT: &str = "Chứng thực";

/// The duplicate-log entry of a dossier (exactly one expected).
fn logged<'a>(r: &'a RunReport, id: &str) -> &'a DuplicateResolved {
    let all: Vec<_> = r.duplicates.iter().filter(|d| d.dossier_id == id).collect();
    assert_eq!(all.len(), 1, "log entries of {id}: {:?}", r.duplicates);
    all[0]
}

fn at(file: usize, sheet: &str, row: u32) -> RowRef {
    RowRef {
        file,
        sheet: sheet.into(),
        row,
    }
}

#[test]
fn reads_files_sorted_by_path() {
    let case = Case::new();
    // Written b first, a second: the run must still read a.csv first.
    case.csv(
        "b.csv",
        &["HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"],
    );
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"],
    );
    let r = case.run();
    let names: Vec<_> = r
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.csv", "b.csv"]);
}

#[test]
fn keeps_the_copy_furthest_along_whatever_the_file_order() {
    let case = Case::new();
    // HS-1: the returned copy is read first, the processing copy last: status beats input order.
    // HS-2: the other way round: the returned copy, read last, wins too.
    case.csv(
        "a.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến",
        ],
    );
    let r = case.run();
    // Both kept copies: online, resolved 04/02 < 05/02 → early. Nothing pending.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_online", 2), ("resolved_early", 2)])
    );
    assert_eq!(logged(&r, "HS-1").kept, at(0, "a.csv", 2));
    assert_eq!(logged(&r, "HS-1").dropped, at(1, "b.csv", 2));
    assert_eq!(logged(&r, "HS-2").kept, at(1, "b.csv", 3));
    assert_eq!(logged(&r, "HS-2").dropped, at(0, "a.csv", 3));
}

#[test]
fn ranks_received_processing_supplement_result_ready_returned() {
    let case = Case::new();
    // In every pair the further-along copy is in a.csv (read first, so input order would pick
    // b.csv) and is online; the b.csv copy is in person. All received 01/02, due 05/02.
    case.csv(
        "a.csv",
        &[
            // processing > received; pending, due 05/02 < end → overdue.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tuyến",
            // supplement > processing; pending, supplement → within.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Chờ bổ sung;Trực tuyến",
            // result ready > supplement; resolved 04/02 → early.
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã có kết quả;Trực tuyến",
            // returned > result ready, same completion date; early.
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến",
            // returned > refused, same completion date; early.
            "HS-5;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả;Trực tuyến",
        ],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đã tiếp nhận;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Chờ bổ sung;Trực tiếp",
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã có kết quả;Trực tiếp",
            "HS-5;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Từ chối;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_online", 5),
            ("resolved_early", 3),
            ("pending_within", 1),
            ("pending_overdue", 1)
        ])
    );
    let expect = [
        ("HS-1", Status::Processing, Status::Received),
        ("HS-2", Status::Supplement, Status::Processing),
        ("HS-3", Status::ResultReady, Status::Supplement),
        ("HS-4", Status::Returned, Status::ResultReady),
        ("HS-5", Status::Returned, Status::Refused),
    ];
    for (i, (id, kept, dropped)) in expect.iter().enumerate() {
        let d = logged(&r, id);
        assert_eq!(
            (d.kept_status.as_str(), d.dropped_status.as_str()),
            (kept.code(), dropped.code()),
            "{id}"
        );
        assert_eq!(d.kept, at(0, "a.csv", i as u32 + 2), "{id}");
        assert_eq!(d.dropped, at(1, "b.csv", i as u32 + 2), "{id}");
    }
}

#[test]
fn ranks_refused_with_result_ready_so_content_decides_between_them() {
    let case = Case::new();
    // Refused and result ready rank the same; same completion date, same number of values → the
    // first column that differs is the status, and «result_ready» comes after «refused» in
    // Unicode order («s» > «f»): the result-ready copy wins wherever it is. HS-1 keeps b.csv's
    // copy (by post), HS-2 a.csv's (in person).
    case.csv(
        "a.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Từ chối;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã có kết quả;Trực tiếp",
        ],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã có kết quả;Bưu chính",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Từ chối;Bưu chính",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("new_postal", 1), ("resolved_early", 2)])
    );
    assert_eq!(logged(&r, "HS-1").kept, at(1, "b.csv", 2));
    assert_eq!(logged(&r, "HS-2").kept, at(0, "a.csv", 3));
}

#[test]
fn breaks_a_status_tie_by_the_later_completion_date() {
    let case = Case::new();
    // Both copies returned. The copy read FIRST (a.csv) has the later completion date 10/02, so
    // input order cannot explain its win: kept, online, 10/02 > due 05/02 → late.
    case.csv("a.csv", &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;10/02/2024;Đã trả kết quả;Trực tuyến"]);
    case.csv("b.csv", &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_online", 1), ("resolved_late", 1)])
    );
    let d = logged(&r, "HS-1");
    assert_eq!(
        (d.kept.clone(), d.dropped.clone()),
        (at(0, "a.csv", 2), at(1, "b.csv", 2))
    );
}

#[test]
fn breaks_a_full_tie_by_content() {
    let case = Case::new();
    // Same status, same dates, as many values: the first column that differs is the channel,
    // and «postal» comes after «online» → b.csv's copy wins, by post, wherever it is.
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến"],
    );
    case.csv(
        "b.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Bưu chính"],
    );
    let r = case.run();
    // Pending, due 20/03 ≥ end 14/03 → within.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_postal", 1), ("pending_within", 1)])
    );
    let d = logged(&r, "HS-1");
    assert_eq!(
        (d.kept.clone(), d.dropped.clone()),
        (at(1, "b.csv", 2), at(0, "a.csv", 2))
    );
}

#[test]
fn excludes_a_dossier_whose_withdrawn_copy_ties_with_a_returned_one() {
    let case = Case::new();
    // Withdrawn ranks with returned; same completion date → the copy read last (withdrawn, b.csv)
    // wins, and a withdrawn dossier counts nowhere. HS-2 keeps the unit's row alive.
    case.csv(
        "a.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp",
        ],
    );
    case.csv(
        "b.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã rút hồ sơ;Trực tiếp"],
    );
    let r = case.run();
    // Only HS-2: direct, on time.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_direct", 1), ("resolved_on_time", 1)])
    );
    let d = logged(&r, "HS-1");
    assert_eq!(
        (d.kept_status.as_str(), d.dropped_status.as_str()),
        (Status::Withdrawn.code(), Status::Returned.code())
    );
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 2,
                counted: 1,
                duplicate: 1,
                ..Default::default()
            },
            RowAccount {
                read: 1,
                excluded_withdrawn: 1,
                ..Default::default()
            },
        ]
    );
}

#[test]
fn lets_a_withdrawn_copy_beat_a_result_ready_one_and_a_later_returned_copy_beat_a_withdrawn_one() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            // HS-1: withdrawn (rank of returned) read first beats result ready read last, same
            // date → kept withdrawn → excluded.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã hủy;Trực tiếp",
            // HS-2: returned and withdrawn tie on status; the returned copy, read first, has the
            // later completion date 06/02 → kept → counted, online, 06/02 > 05/02 → late.
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;06/02/2024;Đã trả kết quả;Trực tuyến",
        ],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã có kết quả;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Rút hồ sơ;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_online", 1), ("resolved_late", 1)])
    );
    let d1 = logged(&r, "HS-1");
    assert_eq!(
        (d1.kept_status.as_str(), d1.dropped_status.as_str()),
        (Status::Withdrawn.code(), Status::ResultReady.code())
    );
    let d2 = logged(&r, "HS-2");
    assert_eq!(
        (d2.kept_status.as_str(), d2.dropped_status.as_str()),
        (Status::Returned.code(), Status::Withdrawn.code())
    );
    assert_eq!(d2.kept, at(0, "a.csv", 3));
    // a.csv: HS-1 kept but withdrawn, HS-2 counted; b.csv: both copies dropped.
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 2,
                counted: 1,
                excluded_withdrawn: 1,
                ..Default::default()
            },
            RowAccount {
                read: 2,
                duplicate: 2,
                ..Default::default()
            },
        ]
    );
}

#[test]
fn trims_dossier_codes_but_compares_them_case_sensitively() {
    let case = Case::new();
    // " HS-1 " (a.csv) and "HS-1" (b.csv) are one dossier; b.csv, read last, wins → postal.
    // "hs-1" is another dossier → direct. All pending within (due 20/03 ≥ end).
    case.csv(
        "a.csv",
        &["  HS-1  ;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến"],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Bưu chính",
            "hs-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    let r = case.run();
    assert_eq!(
        counts(&r, TP, CT),
        c(&[("new_postal", 1), ("new_direct", 1), ("pending_within", 2)])
    );
    assert_eq!(r.duplicates.len(), 1, "{:?}", r.duplicates);
    let d = logged(&r, "HS-1");
    assert_eq!(
        (d.kept.clone(), d.dropped.clone()),
        (at(1, "b.csv", 2), at(0, "a.csv", 2))
    );
}

#[test]
fn logs_the_kept_and_dropped_copy_with_file_sheet_and_row() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            "HS-9;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
            // Row 3 of a.csv: processing, loses to the returned copy in b.csv row 2.
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    case.csv("b.csv", &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;06/02/2024;Đã trả kết quả;Trực tiếp"]);
    let r = case.run();
    // HS-9 early, HS-1 (b.csv copy) 06/02 > 05/02 → late.
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 2),
            ("resolved_early", 1),
            ("resolved_late", 1)
        ])
    );
    assert_eq!(r.duplicates.len(), 1);
    let d = &r.duplicates[0];
    assert_eq!(d.dossier_id, "HS-1");
    assert_eq!(d.kept, at(1, "b.csv", 2));
    assert_eq!(d.kept_status, Status::Returned.code());
    assert_eq!(d.dropped, at(0, "a.csv", 3));
    assert_eq!(d.dropped_status, Status::Processing.code());
    assert!(!d.reason.is_empty());
}

#[test]
fn puts_each_dropped_copy_in_the_duplicate_count_of_its_own_file() {
    let case = Case::new();
    // HS-1 in three files; the returned copy in b.csv wins; the copies in a.csv and c.csv are
    // dropped, one in each file's account. HS-2 appears only in c.csv.
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"],
    );
    case.csv("b.csv", &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;05/02/2024;Đã trả kết quả;Trực tiếp"]);
    case.csv(
        "c.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đã tiếp nhận;Trực tiếp",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đã tiếp nhận;Trực tiếp",
        ],
    );
    let r = case.run();
    // HS-1 on time (05/02 = 05/02); HS-2 pending within (20/03 ≥ 14/03).
    assert_eq!(
        counts(&r, TP, CT),
        c(&[
            ("new_direct", 2),
            ("resolved_on_time", 1),
            ("pending_within", 1)
        ])
    );
    assert_eq!(
        r.accounts,
        [
            RowAccount {
                read: 1,
                duplicate: 1,
                ..Default::default()
            },
            RowAccount {
                read: 1,
                counted: 1,
                ..Default::default()
            },
            RowAccount {
                read: 2,
                counted: 1,
                duplicate: 1,
                ..Default::default()
            },
        ]
    );
    assert_eq!(r.duplicates.len(), 2);
    assert!(
        r.duplicates.iter().all(|d| d.kept == at(1, "b.csv", 2)),
        "{:?}",
        r.duplicates
    );
    let mut dropped: Vec<_> = r.duplicates.iter().map(|d| d.dropped.clone()).collect();
    dropped.sort_by_key(|x| x.file);
    assert_eq!(dropped, [at(0, "a.csv", 2), at(2, "c.csv", 2)]);
    assert!(account(&r).read == 4 && r.accounts.iter().all(RowAccount::balances));
}

/// The shipped sample's inputs copied into a new folder under other names (a suffix that keeps
/// the words a unit is told by), listed in the order `order` gives.
fn sample_renamed(order: &dyn Fn(usize, usize) -> usize, suffix: &str) -> Case {
    let case = Case::new();
    let mut names: Vec<std::path::PathBuf> =
        std::fs::read_dir(crate::support::root().join("fixtures/sample"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
    names.sort();
    let n = names.len();
    let mut copies = vec![std::path::PathBuf::new(); n];
    for (i, p) in names.iter().enumerate() {
        let stem = p.file_stem().unwrap().to_string_lossy();
        let ext = p.extension().unwrap().to_string_lossy();
        let to = case.inputs().join(format!("{stem}-{suffix}{i}.{ext}"));
        std::fs::copy(p, &to).unwrap();
        copies[order(i, n)] = to;
    }
    std::fs::write(
        case.dir.path().join("order.txt"),
        copies
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    case
}

fn run_in_listed_order(case: &Case) -> RunReport {
    let listed = std::fs::read_to_string(case.dir.path().join("order.txt")).unwrap();
    let mut req = case.request(cchc::pipeline::Outputs::Nothing);
    req.inputs = listed.lines().map(std::path::PathBuf::from).collect();
    cchc::pipeline::run(&req).unwrap()
}

#[test]
fn gives_the_sample_the_same_figures_whatever_the_files_are_named_or_ordered() {
    let case = Case::new();
    for e in std::fs::read_dir(crate::support::root().join("fixtures/sample")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, case.inputs().join(p.file_name().unwrap())).unwrap();
    }
    let normal = case.run();
    // Reversed, then shuffled (a step coprime with the number of files), each under new names.
    let reversed = sample_renamed(&|i, n| n - 1 - i, "ban-sao-");
    let shuffled = sample_renamed(&|i, n| (i * 17 + 5) % n, "xuat-lai-");
    assert!(
        !std::fs::read_dir(case.inputs())
            .unwrap()
            .count()
            .is_multiple_of(17),
        "17 must not divide the number of files for the shuffle to be one"
    );
    // `generated_from` names the files read, in input order: the one part that must change.
    // Without it the file is byte-identical; with it, the same files by content.
    let split = |json: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(json).unwrap();
        let mut files: Vec<String> = v["generated_from"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["sha256"], f["kind"], f["rows"], f["quarantined"]
                )
            })
            .collect();
        files.sort();
        v.as_object_mut().unwrap().remove("generated_from");
        (serde_json::to_vec_pretty(&v).unwrap(), files)
    };
    let (figures, files) = split(&normal.indicators_json);
    for other in [&reversed, &shuffled] {
        let r = run_in_listed_order(other);
        let (other_figures, other_files) = split(&r.indicators_json);
        assert_eq!(
            String::from_utf8_lossy(&other_figures),
            String::from_utf8_lossy(&figures)
        );
        assert_eq!(other_files, files);
        assert_eq!(r.duplicates.len(), normal.duplicates.len());
    }
}

/// The warnings that copies of one dossier disagree.
fn disagreements(r: &RunReport) -> Vec<String> {
    r.warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::CopiesDisagree)
        .map(|w| w.column.clone())
        .collect()
}

#[test]
fn warns_when_tied_copies_hold_different_values() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến"],
    );
    case.csv(
        "b.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Bưu chính"],
    );
    assert_eq!(disagreements(&case.run()), vec!["channel".to_string()]);
}

#[test]
fn does_not_call_a_copy_from_an_export_without_a_column_a_disagreement() {
    let case = Case::new();
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến"],
    );
    // The same dossier from an export that also has the apology column: more information, the
    // same values where both have them — it wins, and nothing disagrees.
    case.file(
        "b.csv",
        &format!(
            "{};Xin lỗi\nHS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến;Có\n",
            HEADER.trim_end()
        ),
    );
    let r = case.run();
    assert_eq!(disagreements(&r), Vec::<String>::new());
    let d = logged(&r, "HS-1");
    assert_eq!(d.kept.file, 1);
}

/// The rows of the dossier table after the rules: in full (`run`), and without the log
/// (`cchc alerts`).
fn kept_both_ways(pipeline: &std::path::Path, inputs: &std::path::Path) -> (DataFrame, DataFrame) {
    let pipeline = cchc::kinds::load_pipeline(pipeline).unwrap();
    let files = cchc::dataset::input_files(&pipeline, &[inputs.to_path_buf()]).unwrap();
    let mut data = cchc::dataset::read_inputs(&pipeline, &files, false).unwrap();
    let frame = data.frames.remove("dossier").unwrap();
    let n = data.files.len();
    let full = cchc::kinds::dossier::rules::apply(frame.clone(), pipeline.withdrawn, n).unwrap();
    let kept = cchc::kinds::dossier::rules::kept(frame, pipeline.withdrawn, n).unwrap();
    (full.frame, kept)
}

#[test]
fn keeps_the_same_rows_without_the_log_as_with_it() {
    // Copies decided by status, by completion date and by content, and a withdrawn one.
    let case = Case::new();
    case.csv(
        "a.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tuyến",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;05/03/2024;Đã trả kết quả;Trực tiếp",
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tiếp",
            "HS-4;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đã rút hồ sơ;Trực tiếp",
        ],
    );
    case.csv(
        "b.csv",
        &[
            "HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Bưu chính",
            "HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;07/03/2024;Đã trả kết quả;Trực tiếp",
            "HS-3;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;06/03/2024;Đã trả kết quả;Trực tiếp",
            "HS-5;Phòng Tư pháp;Chứng thực;01/02/2024;20/03/2024;;Đang xử lý;Trực tiếp",
        ],
    );
    let (full, kept) = kept_both_ways(&case.pipeline, &case.inputs());
    assert_eq!(
        full.height(),
        4,
        "HS-1, 2, 3 once each, HS-5; HS-4 withdrawn"
    );
    assert!(full.equals_missing(&kept));
    // And on the sample quarter.
    let (full, kept) = kept_both_ways(
        &crate::support::shipped_pipeline(),
        &crate::support::root().join("fixtures/sample"),
    );
    assert!(full.height() > 0);
    assert!(full.equals_missing(&kept));
}

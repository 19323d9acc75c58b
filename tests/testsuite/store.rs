//! The dossier store: unchanged files cost nothing, a changed file replaces exactly its rows,
//! duplicates are resolved across everything stored, a failed run leaves the store whole, and
//! any period computed with others is identical to the period computed alone.

use std::path::Path;

use cchc::pipeline::{self, Outputs};

use crate::support::{root, Case};

const HEADER: &str = crate::support::HEADER;

fn with_store(case: &Case) -> cchc::pipeline::RunRequest {
    let mut r = case.request(Outputs::Nothing);
    r.store = Some(case.dir.path().join("store"));
    r
}

fn json(report: &cchc::pipeline::RunReport) -> serde_json::Value {
    serde_json::from_slice(&report.indicators_json).unwrap()
}

#[test]
fn reuses_unchanged_files_and_gives_the_same_figures_as_without_a_store() {
    let case = Case::new();
    for name in [
        "c1-xlsx-he-thong-thanh-pho",
        "c2-csv-mot-cua-xa",
        "c3-xls-ods-xa",
        "c4-trung-lap-va-dong-loi",
    ] {
        let from = root().join("fixtures/external").join(name).join("inputs");
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, case.inputs().join(p.file_name().unwrap())).unwrap();
        }
    }
    let plain = case.run();
    let first = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(first.files_read, 6);
    let again = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(again.files_read, 0, "unchanged files are not read again");
    assert_eq!(first.indicators_json, plain.indicators_json);
    assert_eq!(again.indicators_json, plain.indicators_json);
    assert_eq!(again.quarantine.len(), plain.quarantine.len());
    assert_eq!(again.duplicates.len(), plain.duplicates.len());
    assert_eq!(again.accounts, plain.accounts);
}

#[test]
fn replaces_exactly_the_rows_a_changed_file_brought() {
    let case = Case::new();
    case.csv("a.csv", &[
        "A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp",
        "A-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
    ]);
    case.csv(
        "b.csv",
        &["B-1;Xã Bà Điểm;Hộ tịch;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp"],
    );
    pipeline::run(&with_store(&case)).unwrap();
    // a.csv now says A-2 was resolved late and no longer lists A-1.
    case.csv("a.csv", &["A-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;09/02/2024;Đã trả kết quả;Trực tiếp"]);
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1);
    let v = json(&r);
    let rows = v["tthc"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["unit"], "Phòng Tư pháp");
    assert_eq!(rows[0]["received_total"], 1);
    assert_eq!(rows[0]["resolved_late"], 1);
    assert_eq!(rows[1]["unit"], "Xã Bà Điểm");
    assert_eq!(rows[1]["pending_total"], 1);
    assert_eq!(r.files.len(), 2, "one entry per path");
}

#[test]
fn resolves_duplicates_across_everything_in_the_store_when_asked() {
    let case = Case::new();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("dau.csv"),
        format!(
            "{HEADER}\nHS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp\n"
        ),
    )
    .unwrap();
    let mut first = with_store(&case);
    first.inputs = vec![other.path().to_path_buf()];
    pipeline::run(&first).unwrap();
    // A later export of the same dossier, in another folder: resolved, so it wins.
    case.csv("sau.csv", &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;06/02/2024;Đã trả kết quả;Trực tiếp"]);
    // By default a run computes from its own inputs only …
    let own = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!((own.files.len(), own.duplicates.len()), (1, 0));
    // … and with --all-stored from every file the store has seen.
    let mut all = with_store(&case);
    all.all_stored = true;
    let r = pipeline::run(&all).unwrap();
    assert_eq!(r.files.len(), 2);
    assert_eq!(r.duplicates.len(), 1);
    let row = &json(&r)["tthc"][0];
    assert_eq!(row["received_total"], 1);
    assert_eq!(row["resolved_late"], 1);
    assert_eq!(row["pending_total"], 0);
}

fn parquet_rows(dir: &Path) -> (usize, Vec<String>) {
    let mut rows = 0;
    let mut partitions = Vec::new();
    let mut stack = vec![dir.join("dossiers")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                use polars::prelude::SerReader;
                let df = polars::prelude::ParquetReader::new(std::fs::File::open(&p).unwrap())
                    .finish()
                    .unwrap();
                rows += df.height();
                partitions.push(
                    p.parent()
                        .unwrap()
                        .strip_prefix(dir)
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
    }
    partitions.sort();
    partitions.dedup();
    (rows, partitions)
}

#[test]
fn partitions_the_store_by_year_and_quarter_of_receipt() {
    let case = Case::new();
    case.csv("a.csv", &[
        "A-1;Phòng Tư pháp;Chứng thực;20/12/2023;22/12/2023;21/12/2023;Đã trả kết quả;Trực tiếp",
        "A-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;;Đang xử lý;Trực tiếp",
        "A-3;Phòng Tư pháp;Chứng thực;01/04/2024;05/04/2024;;Đang xử lý;Trực tiếp",
        ";Phòng Tư pháp;Chứng thực;01/04/2024;05/04/2024;;Đang xử lý;Trực tiếp",
    ]);
    pipeline::run(&with_store(&case)).unwrap();
    let (rows, partitions) = parquet_rows(&case.dir.path().join("store"));
    assert_eq!(rows, 3, "every record, none of the quarantined rows");
    assert_eq!(
        partitions,
        [
            "dossiers/year=2023/quarter=4",
            "dossiers/year=2024/quarter=1",
            "dossiers/year=2024/quarter=2"
        ]
    );
}

#[test]
fn leaves_the_previous_store_whole_when_a_run_fails() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    pipeline::run(&with_store(&case)).unwrap();
    let manifest = case.dir.path().join("store/manifest.json");
    let before = std::fs::read(&manifest).unwrap();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;09/02/2024;Đã trả kết quả;Trực tiếp"]);
    case.file("hong.xlsx", "rác");
    assert!(pipeline::run(&with_store(&case)).is_err());
    assert_eq!(std::fs::read(&manifest).unwrap(), before);
    std::fs::remove_file(case.inputs().join("hong.xlsx")).unwrap();
    std::fs::write(
        case.inputs().join("a.csv"),
        format!("{HEADER}\nA-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp\n"),
    )
    .unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 0, "the store still holds the first version");
    assert_eq!(json(&r)["tthc"][0]["resolved_early"], 1);
}

#[test]
fn computes_every_period_of_a_range_exactly_as_alone() {
    let case = Case::new();
    for e in std::fs::read_dir(root().join("fixtures/sample")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, case.inputs().join(p.file_name().unwrap())).unwrap();
    }
    let mut many = with_store(&case);
    many.period = Some("2023-Q4..2024-Q2,2024-H1".into());
    let reports = pipeline::run_periods(&many).unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r.period.id.as_str()).collect();
    assert_eq!(ids, ["2023-Q4", "2024-Q1", "2024-Q2", "2024-H1"]);
    for r in &reports {
        let alone = case.clone_request_for(&r.period.id);
        let single = pipeline::run(&alone).unwrap();
        assert_eq!(r.indicators_json, single.indicators_json, "{}", r.period.id);
    }
}

#[test]
fn knows_a_stored_file_from_another_working_folder() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    pipeline::run(&with_store(&case)).unwrap();
    // The same file named through another path: still one source, not read again.
    let mut again = with_store(&case);
    again.inputs = vec![case.inputs().join(".").join("a.csv")];
    let r = pipeline::run(&again).unwrap();
    assert_eq!((r.files_read, r.files.len()), (0, 1));
}

#[test]
fn reads_stored_files_again_when_the_vocabulary_changes() {
    let case = Case::with_pipeline_edit("period_rule = \"nd09\"", "period_rule = \"nd09\"");
    case.csv("a.csv", &["A-1;UBND xã Mới Lập;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let mut req = with_store(&case);
    req.pipeline = case.pipeline.clone();
    let first = pipeline::run(&req).unwrap();
    assert_eq!(json(&first)["tthc"][0]["unit"], "UBND xã Mới Lập");
    // The district adds the new commune to its registry: the stored records must follow.
    let units = case.pipeline.parent().unwrap().join("units.toml");
    let mut text = std::fs::read_to_string(&units).unwrap();
    text.push_str("\n[[units]]\nname = \"Xã Mới Lập\"\nlevel = \"xa\"\naliases = []\n");
    std::fs::write(&units, text).unwrap();
    let second = pipeline::run(&req).unwrap();
    assert_eq!(second.files_read, 1);
    assert_eq!(json(&second)["tthc"][0]["unit"], "Xã Mới Lập");
    assert_eq!(json(&second)["tthc"][0]["level"], "xa");
}

#[test]
fn breaks_full_ties_by_content_whatever_the_store_saw_first() {
    let case = Case::new();
    // The same dossier, same status and date, in two files that differ only in channel.
    case.csv("a.csv", &["T-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến"]);
    case.csv("b.csv", &["T-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let mut only_b = with_store(&case);
    only_b.inputs = vec![case.inputs().join("b.csv")];
    pipeline::run(&only_b).unwrap();
    // Now both: the channel is the first value that differs, and «online» comes after
    // «direct», so a.csv's copy wins, as without a store.
    let stored = pipeline::run(&with_store(&case)).unwrap();
    let plain = case.run();
    assert_eq!(stored.indicators_json, plain.indicators_json);
    assert_eq!(json(&stored)["tthc"][0]["new_online"], 1);
}

/// Files in the test below: past the thousand at which storing them once overflowed the stack
/// (bench/many-files.sh runs 20 000).
const MANY_FILES: usize = 1_200;

#[test]
fn stores_and_reads_back_more_than_a_thousand_files() {
    let case = Case::new();
    // One dossier per file, every one resolved early: Phòng Tư pháp / Chứng thực counts them all.
    for i in 0..MANY_FILES {
        case.csv(
            &format!("f{i:05}.csv"),
            &[&format!(
                "M-{i};Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"
            )],
        );
    }
    let into = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(into.files_read, MANY_FILES);
    let from = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(from.files_read, 0, "everything comes from the store");
    assert_eq!(from.indicators_json, into.indicators_json);
    let row = &json(&from)["tthc"][0];
    assert_eq!(row["received_total"], MANY_FILES as u64);
    assert_eq!(row["resolved_early"], MANY_FILES as u64);
}

#[test]
fn refuses_a_folder_of_the_users_files_as_a_store_and_deletes_nothing() {
    // `--store` pointed at the data folder by mistake: its PAKN exports must stay.
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    case.file(
        "pakn/pakn-xa.csv",
        "Mã PAKN;Ngày tiếp nhận\nP-1;01/02/2024\n",
    );
    case.file("sources/ghi-chu.json", "{}");
    let mut req = with_store(&case);
    req.store = Some(case.inputs());
    let err = format!("{:#}", pipeline::run(&req).unwrap_err());
    assert!(
        err.contains("không phải kho dữ liệu của cchc") && err.contains("--store"),
        "{err}"
    );
    assert!(case.inputs().join("pakn/pakn-xa.csv").is_file());
    assert!(case.inputs().join("sources/ghi-chu.json").is_file());
    assert!(case.inputs().join("a.csv").is_file());
}

#[test]
fn leaves_files_it_did_not_write_in_its_own_store() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    pipeline::run(&with_store(&case)).unwrap();
    let store = case.dir.path().join("store");
    assert!(store.join(".cchc-kho").is_file(), "the store is marked");
    // A user's file dropped into a table folder, and a changed input that replaces a part.
    std::fs::write(store.join("dossiers/ghi-chu.txt"), "của tôi").unwrap();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;09/02/2024;Đã trả kết quả;Trực tiếp"]);
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1);
    assert_eq!(
        std::fs::read_to_string(store.join("dossiers/ghi-chu.txt")).unwrap(),
        "của tôi"
    );
}

#[test]
fn keeps_using_a_store_of_the_previous_version_without_its_marker() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    pipeline::run(&with_store(&case)).unwrap();
    let store = case.dir.path().join("store");
    std::fs::remove_file(store.join(".cchc-kho")).unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 0, "the stored file is still used");
    assert!(store.join(".cchc-kho").is_file());
}

fn first_part(store: &Path) -> std::path::PathBuf {
    let mut stack = vec![store.join("dossiers")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                return p;
            }
        }
    }
    panic!("no part in {}", store.display())
}

#[test]
fn sets_a_damaged_part_aside_and_reads_its_file_again() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let first = pipeline::run(&with_store(&case)).unwrap();
    let store = case.dir.path().join("store");
    // Cut short, then (after repair) replaced by another program's Parquet file.
    let part = first_part(&store);
    let bytes = std::fs::read(&part).unwrap();
    std::fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1, "its source is read again");
    assert_eq!(r.indicators_json, first.indicators_json);
    assert!(part.with_extension("parquet.hong").is_file(), "set aside");
    let part = first_part(&store);
    let mut foreign = polars::prelude::df!("x" => [1i32, 2]).unwrap();
    polars::prelude::ParquetWriter::new(std::fs::File::create(&part).unwrap())
        .finish(&mut foreign)
        .unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1);
    assert_eq!(r.indicators_json, first.indicators_json);
}

#[test]
fn sets_a_damaged_or_foreign_manifest_aside_and_reads_every_file_again() {
    let case = Case::new();
    case.csv("a.csv", &["A-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tiếp"]);
    let first = pipeline::run(&with_store(&case)).unwrap();
    let manifest = case.dir.path().join("store/manifest.json");
    let aside = case.dir.path().join("store/manifest.json.hong");
    // Cut short: the run goes on, the file is read again, the figures are the same.
    let text = std::fs::read(&manifest).unwrap();
    std::fs::write(&manifest, &text[..text.len() / 2]).unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1, "read again");
    assert_eq!(r.indicators_json, first.indicators_json);
    assert!(aside.is_file(), "set aside, not deleted");
    // Another format's manifest: the same.
    std::fs::remove_file(&aside).unwrap();
    std::fs::write(&manifest, r#"{"schema": "cchc-store/1", "sources": []}"#).unwrap();
    let r = pipeline::run(&with_store(&case)).unwrap();
    assert_eq!(r.files_read, 1);
    assert_eq!(r.indicators_json, first.indicators_json);
    assert!(aside.is_file());
    // And the store works as before afterwards: nothing to read.
    assert_eq!(pipeline::run(&with_store(&case)).unwrap().files_read, 0);
}

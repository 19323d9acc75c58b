//! The generator against the committed sample: `fixtures/sample/` is regenerable byte for byte
//! from its seed, and the pipeline quarantines exactly the bad rows the generator planted there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cchc::pipeline::{self, Outputs, RunRequest};
use cchc_sample::{generate, SampleOptions, Scale};

/// The repository's root (this crate is `crates/cchc-sample`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sample of `scale` from the committed sample's seed, written into `dir`.
fn generated(dir: &Path, scale: Scale) -> cchc_sample::SampleSummary {
    generate(&SampleOptions {
        out_dir: dir.to_path_buf(),
        seed: 2024,
        scale,
        xls_via_soffice: false,
    })
    .unwrap_or_else(|e| panic!("{e:#}"))
}

fn run_sample(out: &Path) -> pipeline::RunReport {
    pipeline::run(&RunRequest {
        pipeline: root().join("pipelines/quarterly.toml"),
        period: None,
        inputs: Vec::new(),
        out: Some(out.to_path_buf()),
        outputs: Outputs::All,
        progress: false,
        store: None,
        all_stored: false,
    })
    .unwrap_or_else(|e| panic!("{e:#}"))
}

#[test]
fn generates_the_committed_sample_again_from_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generated(dir.path(), Scale::Sample);
    let committed = root().join("fixtures/sample");
    let mut compared = 0;
    for file in &summary.files {
        let name = file.file_name().unwrap();
        let shipped = committed.join(name);
        if !shipped.exists() {
            // Without LibreOffice the one .xls of the sample is written as .xlsx.
            assert!(
                summary.notes.iter().any(|n| n.contains("xls")),
                "{name:?} missing from fixtures/sample"
            );
            continue;
        }
        assert_eq!(
            std::fs::read(file).unwrap(),
            std::fs::read(&shipped).unwrap(),
            "{name:?} differs"
        );
        compared += 1;
    }
    assert!(compared >= 25, "compared {compared} files");
}

#[test]
fn quarantines_exactly_the_bad_rows_the_generator_planted() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&SampleOptions {
        out_dir: dir.path().join("gen"),
        seed: 2024,
        scale: Scale::Sample,
        xls_via_soffice: false,
    })
    .unwrap();
    let planted: HashMap<String, (usize, usize)> = summary
        .details
        .iter()
        .map(|d| {
            (
                d.path.file_stem().unwrap().to_string_lossy().into_owned(),
                (d.rows, d.bad_rows.len()),
            )
        })
        .collect();
    let report = run_sample(&dir.path().join("out"));
    // 26 dossier exports, 4 satisfaction exports, 3 PAKN exports, 30 self-report forms (29 of
    // the quarter, Phòng Nội vụ's of 2023-Q4), the system's statistics table, the portal's 766
    // table.
    assert_eq!(report.files.len(), 65);
    for (file, account) in report.files.iter().zip(&report.accounts) {
        let stem = file
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (rows, bad) = planted[&stem];
        assert_eq!(account.read as usize, rows, "{stem}: rows read");
        assert_eq!(
            account.quarantined as usize, bad,
            "{stem}: rows quarantined"
        );
        assert!(account.balances(), "{stem}: {account:?}");
    }
}

#[test]
fn a_commune_sample_counts_its_dossiers_from_its_dossier_list() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generated(dir.path(), Scale::Commune);
    let rows_of = |prefix: &str| {
        summary
            .details
            .iter()
            .find(|d| {
                d.path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .unwrap_or_else(|| panic!("no file {prefix}…"))
            .rows
    };
    // One row per dossier in the dossier list; the evaluations file (first by name) is not it.
    assert_eq!(summary.dossiers, rows_of("tthc-"));
    assert_ne!(summary.dossiers, rows_of("danh-gia-"));
    assert_eq!(
        summary.rows,
        summary.details.iter().map(|d| d.rows).sum::<usize>()
    );
}

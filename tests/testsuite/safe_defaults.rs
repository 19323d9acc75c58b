//! Safe defaults (issue 25, item 5): outputs and forms go beside the pipeline file; every
//! command's first line names the pipeline and locality; a folder another pipeline wrote is not
//! replaced without `--force`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{root, shipped_pipeline, HEADER};

fn cchc(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap();
        if name == "out" || name == "store" {
            continue;
        }
        if p.is_dir() {
            copy_tree(&p, &to.join(name));
        } else {
            std::fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// The shipped pipelines and the commune's sample, as a checkout holds them, in `dir`.
fn checkout(dir: &Path) {
    copy_tree(&root().join("pipelines"), &dir.join("pipelines"));
    copy_tree(&root().join("templates"), &dir.join("templates"));
    copy_tree(
        &root().join("fixtures/sample-xa-hoc-mon"),
        &dir.join("fixtures/sample-xa-hoc-mon"),
    );
}

/// A user's own report of 2025-Q4 in the folder they work in.
fn users_out(dir: &Path) -> PathBuf {
    let mine = dir.join("out").join("2025-Q4");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("indicators.json"), "{\"cua-toi\": true}").unwrap();
    mine
}

#[test]
fn the_shipped_commune_sample_writes_beside_its_pipeline_not_over_a_users_out() {
    let dir = tempfile::tempdir().unwrap();
    checkout(dir.path());
    let mine = users_out(dir.path());
    let stdout = ok(&cchc(
        dir.path(),
        &[
            "run",
            "pipelines/xa-hoc-mon/quarterly.toml",
            "-q",
            "--no-store",
        ],
    ));
    assert!(
        stdout.starts_with(
            "Quy trình \"pipelines/xa-hoc-mon/quarterly.toml\" — Xã Hóc Môn (mã 27559)\n"
        ),
        "{stdout}"
    );
    assert!(dir
        .path()
        .join("pipelines/xa-hoc-mon/out/2025-Q4/indicators.json")
        .is_file());
    assert_eq!(
        std::fs::read_to_string(mine.join("indicators.json")).unwrap(),
        "{\"cua-toi\": true}"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);
}

#[test]
fn a_districts_outputs_and_a_communes_never_overwrite_each_other() {
    let dir = tempfile::tempdir().unwrap();
    checkout(dir.path());
    let inputs = dir.path().join("du-lieu-huyen");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("a.csv"),
        format!(
            "{HEADER}\nHS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến\n"
        ),
    )
    .unwrap();
    let district = shipped_pipeline();
    let district = district.to_str().unwrap();
    let shared = dir.path().join("ket-qua");
    let shared_s = shared.to_str().unwrap();
    let commune = "pipelines/xa-hoc-mon/quarterly.toml";
    // By default each writes beside its own pipeline file.
    ok(&cchc(dir.path(), &["run", commune, "-q", "--no-store"]));
    let communes = dir.path().join("pipelines/xa-hoc-mon/out/2025-Q4");
    assert!(communes.join("indicators.json").is_file());
    // Into one folder named by hand: the second is refused, naming both, and writes nothing.
    ok(&cchc(
        dir.path(),
        &[
            "run",
            district,
            "-q",
            "--no-store",
            "--input",
            inputs.to_str().unwrap(),
            "--out",
            shared_s,
        ],
    ));
    let before = std::fs::read(shared.join("indicators.json")).unwrap();
    let refused = cchc(
        dir.path(),
        &["run", commune, "-q", "--no-store", "--out", shared_s],
    );
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("đang giữ kết quả của quy trình"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(shared.join("indicators.json")).unwrap(),
        before
    );
    // `check` does not replace it either.
    let check = cchc(dir.path(), &["check", commune, "-q", "--out", shared_s]);
    assert!(!check.status.success());
    assert_eq!(
        std::fs::read(shared.join("indicators.json")).unwrap(),
        before
    );
    // With --force the person says they mean it.
    ok(&cchc(
        dir.path(),
        &[
            "run",
            commune,
            "-q",
            "--no-store",
            "--out",
            shared_s,
            "--force",
        ],
    ));
    assert_ne!(
        std::fs::read(shared.join("indicators.json")).unwrap(),
        before
    );
    // The district's run now finds the commune's folder and leaves it alone.
    let back = cchc(
        dir.path(),
        &[
            "run",
            district,
            "-q",
            "--no-store",
            "--input",
            inputs.to_str().unwrap(),
            "--out",
            shared_s,
        ],
    );
    assert!(!back.status.success());
}

#[test]
fn forms_go_beside_the_pipeline_their_hint_names_it_and_another_pipelines_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    checkout(dir.path());
    let commune = "pipelines/xa-hoc-mon/quarterly.toml";
    let stdout = ok(&cchc(dir.path(), &["forms", commune]));
    let folder = "pipelines/xa-hoc-mon/out/bao-cao-don-vi-2025-Q4";
    assert!(stdout.starts_with(&format!("Quy trình \"{commune}\" — Xã Hóc Môn")));
    assert!(stdout.contains(&format!("vào \"{folder}\"")), "{stdout}");
    assert!(dir.path().join(folder).is_dir());
    assert!(!dir.path().join("out").exists());
    // The district's forms of the same quarter, sent to the commune's folder: refused.
    let theirs = cchc(
        dir.path(),
        &[
            "forms",
            "pipelines/quarterly.toml",
            "--period",
            "2025-Q4",
            "--out",
            "pipelines/xa-hoc-mon/out",
        ],
    );
    assert!(!theirs.status.success());
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let kept = names(&dir.path().join(folder));
    assert!(kept.iter().all(|n| !n.contains("huyen")), "{kept:?}");
    assert_eq!(kept.iter().filter(|n| n.ends_with(".xlsx")).count(), 5);
}

#[test]
fn every_command_names_its_pipeline_and_locality_first() {
    let dir = tempfile::tempdir().unwrap();
    checkout(dir.path());
    let commune = "pipelines/xa-hoc-mon/quarterly.toml";
    let first = "Quy trình \"pipelines/xa-hoc-mon/quarterly.toml\" — Xã Hóc Môn (mã 27559)";
    for args in [
        vec!["check", commune, "-q"],
        vec!["indicators", commune, "-q", "--no-store"],
        vec!["ingest", commune, "-q"],
    ] {
        let stdout = ok(&cchc(dir.path(), &args));
        assert_eq!(stdout.lines().next(), Some(first), "{args:?}");
    }
    // The JSON keeps standard output to itself; the heading goes to the terminal.
    let json = cchc(
        dir.path(),
        &[
            "indicators",
            commune,
            "-q",
            "--no-store",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["locality"], "Xã Hóc Môn");
    assert!(String::from_utf8_lossy(&json.stderr).starts_with(first));
    // With none named, the README's default.
    let stdout = ok(&cchc(&root(), &["indicators", "-q", "--no-store"]));
    assert_eq!(
        stdout.lines().next(),
        Some("Quy trình \"pipelines/quarterly.toml\" — Huyện Hóc Môn")
    );
}

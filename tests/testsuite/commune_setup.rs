//! A commune sets itself up (issue 25): `cchc init --code` writes a starting configuration that
//! names the commune once — every other file through placeholders — and no other locality; the
//! commune's exports run into a report about it alone.

use std::path::{Path, PathBuf};

use cchc::commands::{init, InitOptions};
use cchc::identity::Identity;
use cchc::pipeline::{self, Outputs, RunRequest};

use crate::support::output_texts;

fn commune(code: &str) -> InitOptions {
    InitOptions {
        commune: true,
        code: Some(code.to_string()),
        name: None,
        period: Some("2025-Q4".to_string()),
    }
}

/// Every file under `dir`, with its path relative to it.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = PathBuf::from(path.file_name().unwrap());
        if path.is_dir() {
            for (p, b) in files_under(&path) {
                out.push((name.join(p), b));
            }
        } else {
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
    out
}

/// The names of the locality the shipped pipelines were written for, as `match_key` folds them
/// (case, NFC/NFD and tone placement not mattering).
const OTHER_LOCALITY: &[&str] = &["hóc môn", "hoc mon", "hoc-mon"];

fn assert_no_other_locality(file: &str, text: &str) {
    let key = cchc::text::match_key(text);
    for name in OTHER_LOCALITY {
        assert!(!key.contains(name), "{file} names «{name}»");
    }
}

#[test]
fn init_writes_no_other_localitys_name_or_year_for_a_xa_a_phuong_and_the_dac_khu() {
    for (code, full, kind) in [
        ("27592", "Xã Bà Điểm", "xã"),
        ("27031", "Phường Tân Phú", "phường"),
        ("26732", "Đặc khu Côn Đảo", "đặc khu"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("moi");
        let outcome = init(&new, &commune(code)).unwrap();
        let written = files_under(&new);
        assert!(written.len() > 20, "{}", written.len());
        for (path, bytes) in &written {
            let text = String::from_utf8_lossy(bytes);
            let file = path.display().to_string();
            assert_no_other_locality(&file, &text);
            // The working-day calendar holds every year's holidays; no other file names a year
            // of another plan.
            if file != "calendar.toml" {
                assert!(!text.contains("2024"), "{file} names 2024");
            }
        }
        // The name is written once, in the pipeline file; the other files refer to it.
        let all: String = written
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert_eq!(all.matches(full).count(), 1, "{code}");
        let pipeline = std::fs::read_to_string(new.join("quarterly.toml")).unwrap();
        assert!(pipeline.contains(&format!("\nlocality = \"{full}\"\n")));
        assert!(pipeline.contains(&format!("\nlocality_code = \"{code}\"\n")));
        // Loaded, the placeholders are the commune's.
        let p = cchc::kinds::load_pipeline(&outcome.pipeline).unwrap();
        assert_eq!(p.district, full);
        assert_eq!(p.words.whole, format!("Toàn {kind}"));
        let upper = full.to_uppercase();
        assert_eq!(
            p.report.issuing_body,
            vec!["ỦY BAN NHÂN DÂN".to_string(), upper]
        );
        assert_eq!(
            p.report.governing_body,
            vec!["THÀNH PHỐ HỒ CHÍ MINH".to_string()]
        );
        let short = full.rsplitn(3, ' ').take(2).collect::<Vec<_>>();
        let office = format!("Văn phòng HĐND và UBND {kind} {} {}", short[1], short[0]);
        assert!(p.units.find(&office).is_some(), "{office}");
        assert!(
            outcome.identity.starts_with(&format!("{full}, mã {code}")),
            "{}",
            outcome.identity
        );
    }
}

#[test]
fn init_writes_the_four_offices_a_gitignore_a_narrative_template_and_marked_targets() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("xa-ba-diem");
    let outcome = init(&new, &commune("27592")).unwrap();
    let p = cchc::kinds::load_pipeline(&outcome.pipeline).unwrap();
    let names: Vec<&str> = p.units.all().iter().map(|u| u.name.as_str()).collect();
    for want in [
        "Văn phòng HĐND và UBND xã Bà Điểm",
        "Phòng Kinh tế",
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công xã Bà Điểm",
    ] {
        assert!(names.contains(&want), "{want}: {names:?}");
    }
    let ignore = std::fs::read_to_string(new.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "out/"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "store/"), "{ignore}");
    assert!(new.join("narrative/mau/chi_dao.txt").is_file());
    assert!(new.join("du-lieu").is_dir());
    // Every target is a starting value, and says so in its title.
    assert!(!p.targets.is_empty());
    for t in &p.targets {
        assert!(t.placeholder.is_some(), "{}", t.title);
        assert!(
            t.title
                .ends_with("(giá trị mẫu — thay bằng giá trị trong kế hoạch của xã)"),
            "{}",
            t.title
        );
    }
    // The tasks are the plan's of the period's year.
    assert_eq!(cchc::tasks::plan(&p).year, 2025);
    // The list of what to check names each file and key, quoted paths included.
    let folder = new.display().to_string();
    for (file, key) in [
        ("quarterly.toml", "locality, locality_code"),
        ("quarterly.toml", "[report]"),
        ("units.toml", "[[units]]"),
        ("targets.toml", "[[targets]]"),
        ("tasks.toml", "year và [[tasks]]"),
        ("self-report.toml", "[form] return_to"),
    ] {
        let line = format!("\"{folder}/{file}\" — {key}");
        assert!(
            outcome.checklist.contains(&line),
            "{line}\n{}",
            outcome.checklist
        );
    }
    assert!(outcome
        .checklist
        .contains(&format!("{} chỉ tiêu còn giá trị mẫu", p.targets.len())));
    assert!(outcome
        .checklist
        .contains(&format!("cchc run \"{folder}/quarterly.toml\"")));
}

#[test]
fn init_finds_the_code_by_a_name_the_list_holds_once_and_keeps_a_name_a_person_insists_on() {
    let dir = tempfile::tempdir().unwrap();
    let by_name = InitOptions {
        commune: true,
        name: Some("xa ba diem".to_string()),
        period: Some("2025-Q4".to_string()),
        ..InitOptions::default()
    };
    let outcome = init(&dir.path().join("a"), &by_name).unwrap();
    assert!(outcome.identity.starts_with("Xã Bà Điểm, mã 27592"));
    // A name several units bear: each named with its code, nothing written.
    let many = InitOptions {
        name: Some("Xã Tân Phú".to_string()),
        ..by_name.clone()
    };
    let e = init(&dir.path().join("b"), &many).unwrap_err().to_string();
    assert!(e.contains("mã 17272") && e.contains("mã 28840"), "{e}");
    assert!(e.contains("--code"), "{e}");
    assert!(!dir.path().join("b").exists());
    // A code not in the list: the closest names to what was given.
    let wrong = InitOptions {
        code: Some("27593".to_string()),
        name: Some("Bà Điểm".to_string()),
        ..by_name.clone()
    };
    let e = init(&dir.path().join("c"), &wrong).unwrap_err().to_string();
    assert!(
        e.contains("Xã Bà Điểm (Thành phố Hồ Chí Minh, Xã) mã 27592"),
        "{e}"
    );
    // Neither code nor name: what to give.
    let neither = InitOptions {
        commune: true,
        ..InitOptions::default()
    };
    let e = init(&dir.path().join("d"), &neither)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--code 27592"), "{e}");
    // The code with the person's own spelling: the name is theirs, kind and province the list's.
    let insists = InitOptions {
        code: Some("27592".to_string()),
        name: Some("Xã Bà Điểm (mới)".to_string()),
        ..by_name
    };
    let outcome = init(&dir.path().join("e"), &insists).unwrap();
    let p = cchc::kinds::load_pipeline(&outcome.pipeline).unwrap();
    assert_eq!(p.district, "Xã Bà Điểm (mới)");
    assert_eq!(p.report.place, "Bà Điểm (mới)");
}

#[test]
fn a_commune_made_by_init_reports_about_itself_alone() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("xa-ba-diem");
    init(&new, &commune("27592")).unwrap();
    let who = Identity::new("Xã Bà Điểm", Some("27592"));
    cchc_sample::commune::generate_for(&new.join("du-lieu"), 2024, &who).unwrap();
    let out = dir.path().join("out");
    let r = pipeline::run(&RunRequest {
        pipeline: new.join("quarterly.toml"),
        period: None,
        inputs: Vec::new(),
        out: Some(out.clone()),
        outputs: Outputs::All,
        progress: false,
        store: None,
        all_stored: false,
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(r.period.id, "2025-Q4");
    for (file, text) in output_texts(&out) {
        assert_no_other_locality(&file, &text);
        // The workbooks' fixed creation date (docProps, kept so that outputs are byte-identical)
        // is the one 2024 left: not shown on any page.
        if !file.ends_with("docProps/core.xml") {
            assert!(!text.contains("2024"), "{file} names 2024");
        }
        assert!(
            !cchc::text::match_key(&text).contains("huyện"),
            "{file} speaks of a district"
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&r.indicators_json).unwrap();
    assert_eq!(v["locality"], "Xã Bà Điểm");
    assert_eq!(v["locality_code"], "27592");
    let html = std::fs::read_to_string(out.join("bao-cao-cchc-2025-Q4.html")).unwrap();
    assert!(html.contains("XÃ BÀ ĐIỂM"), "header");
    assert!(html.contains("Bà Điểm, ngày"), "place and date");
    // A starting target is shown as one, never as the commune's plan: in the report's opening
    // and in the annex's target sheet.
    assert!(html.contains(
        "đang dùng giá trị mẫu, chưa phải chỉ tiêu trong Kế hoạch cải cách hành chính của xã Bà Điểm"
    ));
    assert!(output_texts(&out)
        .into_iter()
        .filter(|(f, _)| f.starts_with("phu-luc"))
        .any(|(_, t)| t.contains("(giá trị mẫu — thay bằng giá trị trong kế hoạch của xã)")));
    let summary = cchc::summary::run_summary(&r);
    assert!(
        summary.starts_with("Xã Bà Điểm — quý IV năm 2025"),
        "{summary}"
    );
}

#[test]
fn cchc_without_a_command_prints_the_readmes_quick_start_in_vietnamese() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("cchc init xa-ba-diem --code 27592"),
        "{printed}"
    );
    assert!(
        printed.contains("chat-luong-du-lieu-2025-Q4.xlsx"),
        "{printed}"
    );
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).unwrap();
    // The README opens with the same steps, before the developers' material.
    let developers = readme.find("## For developers").unwrap();
    for line in printed.lines().filter(|l| !l.trim().is_empty()) {
        let at = readme
            .find(line)
            .unwrap_or_else(|| panic!("README lacks «{line}»"));
        assert!(at < developers, "«{line}» comes after the developers' part");
    }
}

/// A commune made by init, with its own sample exports, ready to run.
fn ready_commune(dir: &Path) -> PathBuf {
    let new = dir.join("xa-ba-diem");
    init(&new, &commune("27592")).unwrap();
    let who = Identity::new("Xã Bà Điểm", Some("27592"));
    cchc_sample::commune::generate_for(&new.join("du-lieu"), 2024, &who).unwrap();
    new
}

fn run_to(pipeline: &Path, out: &Path) -> Result<cchc::pipeline::RunReport, String> {
    pipeline::run(&RunRequest {
        pipeline: pipeline.to_path_buf(),
        period: None,
        inputs: Vec::new(),
        out: Some(out.to_path_buf()),
        outputs: Outputs::All,
        progress: false,
        store: None,
        all_stored: false,
    })
    .map_err(|e| format!("{e:#}"))
}

#[test]
fn the_narrative_is_read_from_plain_text_files_that_quotes_and_dashes_cannot_break() {
    let dir = tempfile::tempdir().unwrap();
    let new = ready_commune(dir.path());
    let texts = new.join("narrative/2025-Q4");
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::write(
        texts.join("chi_dao.txt"),
        "# ghi chú của mẫu, không in\nBan hành Kế hoạch số 12 \"về cải cách hành chính\" — đầy đủ,\nđúng hạn.\n\nĐoạn thứ hai: 100% \\ xong.\n",
    )
    .unwrap();
    std::fs::write(texts.join("kien_nghi.txt"), "# chưa viết\n").unwrap();
    let out = dir.path().join("out");
    run_to(&new.join("quarterly.toml"), &out).unwrap();
    let html = std::fs::read_to_string(out.join("bao-cao-cchc-2025-Q4.html")).unwrap();
    assert!(
        html.contains(
            "Ban hành Kế hoạch số 12 &quot;về cải cách hành chính&quot; — đầy đủ, đúng hạn."
        ) || html
            .contains("Ban hành Kế hoạch số 12 \"về cải cách hành chính\" — đầy đủ, đúng hạn."),
        "paragraph one"
    );
    assert!(
        html.contains("Đoạn thứ hai: 100% \\ xong."),
        "paragraph two"
    );
    assert!(!html.contains("ghi chú của mẫu"));
    // A section left with notes only keeps the visible placeholder.
    assert!(html.contains("[Đơn vị bổ sung nội dung]"));
    // A file no section bears: named, with the names that are.
    std::fs::write(texts.join("chi-dao.txt"), "x").unwrap();
    let e = run_to(&new.join("quarterly.toml"), &out).unwrap_err();
    assert!(e.contains("chi-dao.txt không thuộc mục nào"), "{e}");
    assert!(e.contains("chi_dao.txt"), "{e}");
    std::fs::remove_file(texts.join("chi-dao.txt")).unwrap();
    // The TOML file and the folder for one period: keep one.
    std::fs::write(new.join("narrative/2025-Q4.toml"), "chi_dao = [\"x\"]\n").unwrap();
    let e = run_to(&new.join("quarterly.toml"), &out).unwrap_err();
    assert!(e.contains("hãy giữ một trong hai"), "{e}");
    // The TOML form alone is still read.
    std::fs::remove_dir_all(&texts).unwrap();
    run_to(&new.join("quarterly.toml"), &out).unwrap();
    let html = std::fs::read_to_string(out.join("bao-cao-cchc-2025-Q4.html")).unwrap();
    assert!(
        html.contains("<p>x</p>") || html.contains(">x<"),
        "toml narrative"
    );
}

#[test]
fn an_unknown_unit_is_told_with_the_exact_lines_to_add_to_units_toml() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("xa-ba-diem");
    init(&new, &commune("27592")).unwrap();
    // Xã Hóc Môn's exports dropped into Bà Điểm's folder: its units are not Bà Điểm's.
    let hoc_mon = Identity::new("Xã Hóc Môn", Some("27559"));
    cchc_sample::commune::generate_for(&new.join("du-lieu"), 2024, &hoc_mon).unwrap();
    let r = run_to(&new.join("quarterly.toml"), &dir.path().join("out")).unwrap();
    let summary = cchc::summary::run_summary(&r);
    let units = new.join("units.toml");
    let want = format!(
        "Đơn vị «Văn phòng HĐND và UBND xã Hóc Môn» (210 dòng) không có trong danh mục đơn vị. Nếu là đơn vị của Xã Bà Điểm, thêm vào cuối \"{}\":\n    [[units]]\n    name = \"Văn phòng HĐND và UBND xã Hóc Môn\"\n    level = \"xa\"\n",
        units.display()
    );
    assert!(summary.contains(&want), "{summary}");
    // Adding exactly those lines makes the unit known.
    let mut text = std::fs::read_to_string(&units).unwrap();
    text.push_str("\n[[units]]\nname = \"Văn phòng HĐND và UBND xã Hóc Môn\"\nlevel = \"xa\"\n");
    std::fs::write(&units, text).unwrap();
    let r = run_to(&new.join("quarterly.toml"), &dir.path().join("out2")).unwrap();
    let summary = cchc::summary::run_summary(&r);
    assert!(
        !summary.contains("«Văn phòng HĐND và UBND xã Hóc Môn»"),
        "{summary}"
    );
    assert!(summary.contains("«Trung tâm Phục vụ hành chính công xã Hóc Môn»"));
}

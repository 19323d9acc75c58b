//! The fixed words of the documents (the data-quality workbook, the units' forms, the output
//! file names) come from `templates/`: a locality's own file replaces the default, with no Rust
//! change; a file that cannot serve is refused with a message that says what to fix.

use crate::support::{read_sheet, root, Case};

/// A case whose pipeline's templates folder (the returned one) holds `files`: each the shipped
/// default (path under `templates/`) with `edits` made.
fn case_with_templates(files: &[(&str, &[(&str, &str)])]) -> (Case, tempfile::TempDir) {
    let templates = tempfile::tempdir().unwrap();
    let dir = templates.path();
    for (name, edits) in files {
        let original = std::fs::read_to_string(root().join("templates").join(name)).unwrap();
        let mut text = original.clone();
        for (from, to) in *edits {
            assert!(text.contains(from), "{name} has no «{from}»");
            text = text.replace(from, to);
        }
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let case = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    case.csv(
        "a.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;Trực tuyến"],
    );
    (case, templates)
}

#[test]
fn a_locality_renames_a_sheet_and_a_file_through_its_templates_folder() {
    let (case, _templates) = case_with_templates(&[
        (
            "files/ten-tep.toml",
            &[(
                "quality = \"chat-luong-du-lieu-{period}.xlsx\"",
                "quality = \"kiem-tra-du-lieu-{period}.xlsx\"",
            )],
        ),
        (
            "quality/chat-luong.toml",
            &[
                ("sheet = \"Tổng hợp\"", "sheet = \"Đối chiếu số dòng\""),
                ("total = \"Tổng cộng\"", "total = \"Cộng\""),
            ],
        ),
    ]);
    case.run_all();
    assert!(!case.out().join("chat-luong-du-lieu-2024-Q1.xlsx").exists());
    let sheet = read_sheet(
        &case.out().join("kiem-tra-du-lieu-2024-Q1.xlsx"),
        "Đối chiếu số dòng",
    );
    // Title, subtitle, blank, header, the one file, then the total row.
    assert_eq!(sheet[3][1], "Tệp");
    assert_eq!(sheet[5][1], "Cộng");
    // The other documents keep their default names.
    assert!(case.out().join("phu-luc-2024-Q1.xlsx").exists());
    assert!(case.out().join("indicators.json").exists());
}

#[test]
fn a_locality_rewords_the_forms_and_names_their_folder() {
    let (case, _templates) = case_with_templates(&[
        (
            "files/ten-tep.toml",
            &[(
                "forms = \"bao-cao-don-vi-{period}\"",
                "forms = \"bieu-mau-{period}\"",
            )],
        ),
        (
            "forms/bieu-mau.toml",
            &[(
                "phone = \"Số điện thoại\"",
                "phone = \"Điện thoại liên hệ\"",
            )],
        ),
    ]);
    let pipeline = cchc::kinds::load_pipeline(&case.pipeline).unwrap();
    let period = cchc::forms::form_period(&pipeline, "2024-Q1").unwrap();
    let written = cchc::forms::write_all(&pipeline, &period, &case.out(), false).unwrap();
    assert_eq!(written.folder, case.out().join("bieu-mau-2024-Q1"));
    let form = written.folder.join("phong-tu-phap.xlsx");
    let info = read_sheet(&form, "Thông tin");
    assert!(
        info.iter().any(|row| row[0] == "Điện thoại liên hệ"),
        "{info:?}"
    );
    assert!(!info.iter().any(|row| row[0] == "Số điện thoại"));
}

#[test]
fn refuses_a_quality_sheet_with_a_column_missing() {
    let (case, templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("  { header = \"Số lần\", width = 10 },\n", "")],
    )]);
    let err = case.run_err();
    let file = templates.path().join("quality/chat-luong.toml");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(
        err.contains("bảng [unknown] có 4 cột, cần đúng 5 cột"),
        "{err}"
    );
}

#[test]
fn refuses_a_file_name_that_leaves_the_output_folder_or_its_extension() {
    for (to, what) in [
        (
            "quality = \"../chat-luong-{period}.xlsx\"",
            "«../chat-luong-{period}.xlsx»",
        ),
        (
            "quality = \"chat-luong-{period}.csv\"",
            "«chat-luong-{period}.csv»",
        ),
        ("quality = \"phu-luc-{period}.xlsx\"", "dùng cho hai tệp"),
    ] {
        let (case, _templates) = case_with_templates(&[(
            "files/ten-tep.toml",
            &[("quality = \"chat-luong-du-lieu-{period}.xlsx\"", to)],
        )]);
        let err = case.run_err();
        assert!(err.contains(what), "{to}: {err}");
        assert!(!case.out().exists(), "{to}: nothing written");
    }
}

#[test]
fn refuses_status_words_missing_a_code() {
    let (case, _templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("answered = \"Đã trả lời\"\n", "")],
    )]);
    let err = case.run_err();
    assert!(
        err.contains("[statuses.pakn] thiếu chữ của trạng thái «answered»"),
        "{err}"
    );
}

#[test]
fn refuses_warning_words_for_an_unknown_kind_or_missing_a_kind_the_run_warns_about() {
    let (case, _templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("\nTextCut = ", "\nTextCutOff = ")],
    )]);
    let err = case.run_err();
    assert!(err.contains("quality/chat-luong.toml"), "{err}");
    assert!(err.contains("TextCutOff"), "{err}");

    let (case, _templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("\nMissingChannel = ", "\n# MissingChannel = ")],
    )]);
    // An empty channel draws the warning the file has no word for.
    case.csv(
        "b.csv",
        &["HS-2;Phòng Tư pháp;Chứng thực;01/02/2024;05/02/2024;04/02/2024;Đã trả kết quả;"],
    );
    let err = case.run_err();
    assert!(
        err.contains("[warning_kinds] thiếu chữ của loại cảnh báo «MissingChannel»"),
        "{err}"
    );
}

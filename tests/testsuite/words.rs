//! The fixed words of the documents (the data-quality workbook, the units' forms, the output
//! file names) come from `templates/`: a locality's own file replaces the default, with no Rust
//! change; a file that cannot serve is refused with a message that says what to fix.

use crate::support::{output_texts, read_sheet, root, Case};

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

#[test]
fn a_kinds_own_warning_is_named_by_its_words_and_known_to_the_template_check() {
    // Every kind of warning — the core ones and those a kind declares in its folder — has its
    // words in the shipped template.
    let shipped: toml::Table = toml::from_str(
        &std::fs::read_to_string(root().join("templates/quality/chat-luong.toml")).unwrap(),
    )
    .unwrap();
    let words = shipped["warning_kinds"].as_table().unwrap();
    let kinds: Vec<&str> = cchc::kinds::warning_kinds()
        .iter()
        .map(|k| k.id())
        .collect();
    assert!(kinds.contains(&cchc::kinds::pakn::UNKNOWN_PAKN_STATUS.id()));
    assert!(kinds.contains(&cchc::kinds::system_statistics::TABLE_TOTAL_MISMATCH.id()));
    for id in &kinds {
        assert!(words.contains_key(*id), "{id} has no words");
    }
    assert_eq!(words.len(), kinds.len());

    // A PAKN kind's warning drawn by a run is named by the locality's words for it: a file
    // without them stops the workbook naming the kind's warning id.
    let (case, _templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("\nUnknownPaknStatus = ", "\n# UnknownPaknStatus = ")],
    )]);
    case.file(
        "pakn.csv",
        "Mã PAKN;Ngày tiếp nhận;Cơ quan xử lý;Lĩnh vực;Trạng thái;Ngày trả lời;Ngày công khai;Công khai\nA-1;08/01/2024;Xã Bà Điểm;Hộ tịch;Đã xong xuôi;;;\n",
    );
    let err = case.run_err();
    assert!(
        err.contains("[warning_kinds] thiếu chữ của loại cảnh báo «UnknownPaknStatus»"),
        "{err}"
    );

    // An id no kind declares is refused, listing the core ids and the kinds' own.
    let (case, _templates) = case_with_templates(&[(
        "quality/chat-luong.toml",
        &[("\nTableTotalMismatch = ", "\nTableTotalMismatches = ")],
    )]);
    let err = case.run_err();
    assert!(
        err.contains("[warning_kinds] không có loại cảnh báo «TableTotalMismatches»"),
        "{err}"
    );
    for known in [
        "MissingChannel",
        "UnknownPaknStatus",
        "StaleForm",
        "TableTotalMismatch",
    ] {
        assert!(err.contains(known), "{known}: {err}");
    }
}

#[test]
fn a_locality_retitles_the_annex_workbook_and_rewords_its_page_footer() {
    let (case, _templates) = case_with_templates(&[(
        "annexes/phu-luc.toml",
        &[
            (
                "document_title = \"Phụ lục báo cáo CCHC {{ period_label }}\"",
                "document_title = \"Phụ lục kèm báo cáo {{ period_id }}\"",
            ),
            (
                "page_footer = \"Trang {page}/{pages}\"",
                "page_footer = \"Tờ {page} trên {pages} & hết\"",
            ),
        ],
    )]);
    case.run_all();
    let texts = output_texts(&case.out());
    let part = |name: &str| {
        texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert!(part("phu-luc-2024-Q1.xlsx/docProps/core.xml")
        .contains("<dc:title>Phụ lục kèm báo cáo 2024-Q1</dc:title>"));
    let sheet = part("phu-luc-2024-Q1.xlsx/xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("Tờ &amp;P trên &amp;N &amp;&amp; hết</oddFooter>"),
        "{sheet}"
    );
}

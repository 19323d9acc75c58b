//! Hostile and careless input to the self-report forms (issue #19): unit names that make unsafe
//! or clashing file names or break the form's identity, links planted in the output folder,
//! personal data typed into kept free text, absurd numbers, templates that read the environment
//! or call themselves.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::self_report::{answer, commune_answers, fill, forms, T};
use crate::support::Case;

/// A case whose unit registry has these communes added (level xa: each is asked the communes'
/// questions).
fn with_units(names: &[&str]) -> Case {
    let case = Case::with_pipeline_edit("units = \"units.toml\"", "units = \"units.toml\"");
    let units = case.pipeline.with_file_name("units.toml");
    let mut text = std::fs::read_to_string(&units).unwrap();
    for n in names {
        text.push_str(&format!("\n[[units]]\nname = {n:?}\nlevel = \"xa\"\n"));
    }
    std::fs::write(&units, text).unwrap();
    case
}

/// Runs `cchc forms` for 2024-Q1 into `out`; returns (success, stdout, stderr).
fn run_forms(pipeline: &Path, out: &Path) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("forms")
        .arg(pipeline)
        .args(["--period", "2024-Q1", "--out"])
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn forms_dir(out: &Path) -> PathBuf {
    out.join("bao-cao-don-vi-2024-Q1")
}

#[test]
fn units_whose_names_give_one_file_name_each_get_their_own_form() {
    // Both slugs are "xa-an-phu-1": the registry's later unit gets "-2" and a warning.
    let case = with_units(&["Xã An Phú (1)", "Xã An Phú [1]"]);
    let out = case.dir.path().join("forms");
    let (ok, stdout, stderr) = run_forms(&case.pipeline, &out);
    assert!(ok, "{stderr}");
    let names = names_in(&forms_dir(&out));
    assert!(names.contains(&"xa-an-phu-1.xlsx".to_string()), "{names:?}");
    assert!(
        names.contains(&"xa-an-phu-1-2.xlsx".to_string()),
        "{names:?}"
    );
    assert!(
        stdout.contains("lưu ý: đơn vị «Xã An Phú [1]» và «Xã An Phú (1)» cho cùng tên tệp «xa-an-phu-1.xlsx»: biểu mẫu của «Xã An Phú [1]» ghi vào «xa-an-phu-1-2.xlsx»"),
        "{stdout}"
    );
    // Each file is its own unit's form.
    for (file, unit) in [
        ("xa-an-phu-1.xlsx", "Xã An Phú (1)"),
        ("xa-an-phu-1-2.xlsx", "Xã An Phú [1]"),
    ] {
        let info = crate::support::read_sheet(&forms_dir(&out).join(file), "Thông tin");
        assert!(
            info.iter().any(|r| r.get(1).is_some_and(|c| c == unit)),
            "{file}: {info:?}"
        );
    }
}

#[test]
fn a_unit_with_a_semicolon_in_its_name_gets_a_form_cchc_reads_back() {
    let unit = "Xã Tân; Phú";
    let case = with_units(&[unit]);
    let out = case.dir.path().join("forms");
    let (ok, _, stderr) = run_forms(&case.pipeline, &out);
    assert!(ok, "{stderr}");
    let form = forms_dir(&out).join("xa-tan-phu.xlsx");
    let info = crate::support::read_sheet(&form, "Thông tin");
    let identity = info
        .iter()
        .filter_map(|r| r.get(1))
        .find(|c| c.starts_with("cchc-form/1;"))
        .unwrap();
    assert!(
        identity.starts_with("cchc-form/1;2024-Q1;Xã Tân\\; Phú;"),
        "{identity}"
    );
    fill(
        &form,
        &case.inputs().join("tp.xlsx"),
        &commune_answers(),
        None,
    );
    let r = case.run();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    // 1.11 = 4 articles, from this unit.
    assert_eq!(
        crate::self_report::answer(&r, "1.11-tin-bai", unit),
        Some((Some(4.0), None))
    );
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_forms_folder_are_replaced_never_followed() {
    let case = Case::new();
    let out = case.dir.path().join("forms");
    let dir = forms_dir(&out);
    std::fs::create_dir_all(&dir).unwrap();
    let outside = case.dir.path().join("ngoai.txt");
    std::fs::write(&outside, "của người dùng").unwrap();
    // At a form's name, and at the temporary name earlier versions used.
    std::os::unix::fs::symlink(&outside, dir.join("xa-ba-diem.xlsx")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join(".xa-dong-thanh.xlsx.tmp")).unwrap();
    let (ok, _, stderr) = run_forms(&case.pipeline, &out);
    assert!(ok, "{stderr}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "của người dùng");
    let meta = std::fs::symlink_metadata(dir.join("xa-ba-diem.xlsx")).unwrap();
    assert!(meta.file_type().is_file());
    let info = crate::support::read_sheet(&dir.join("xa-ba-diem.xlsx"), "Thông tin");
    assert!(info
        .iter()
        .any(|r| r.get(1).is_some_and(|c| c == "Xã Bà Điểm")));
}

#[test]
fn long_dotted_and_device_unit_names_give_safe_file_names() {
    let long = format!("Xã {}", "Tân Thới Nhì ".repeat(22));
    assert!(long.chars().count() >= 280);
    let case = with_units(&[
        &long,
        "..",
        ".Xã Ẩn.",
        "CON",
        "NUL",
        "COM1",
        "LPT1",
        "Xã Aux ",
    ]);
    let out = case.dir.path().join("forms");
    let (ok, _, stderr) = run_forms(&case.pipeline, &out);
    assert!(ok, "{stderr}");
    let names = names_in(&forms_dir(&out));
    for n in &names {
        assert!(n.len() <= 105, "{n}");
        assert!(!n.starts_with('.'), "{n}");
        let stem = n.trim_end_matches(".xlsx").to_ascii_lowercase();
        assert!(
            !["con", "nul", "com1", "lpt1", "aux", "prn"].contains(&stem.as_str()),
            "{n}"
        );
    }
    for expected in [
        "don-vi.xlsx",
        "xa-an.xlsx",
        "con-don-vi.xlsx",
        "nul-don-vi.xlsx",
        "com1-don-vi.xlsx",
        "lpt1-don-vi.xlsx",
        "xa-aux.xlsx",
    ] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected}: {names:?}"
        );
    }
    let cut = names
        .iter()
        .find(|n| n.starts_with("xa-tan-thoi-nhi-tan-thoi-nhi"))
        .unwrap();
    assert_eq!(cut.len(), 100 + ".xlsx".len(), "{cut}");
}

#[test]
fn an_absurd_number_is_quarantined_not_counted() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let mut a = commune_answers();
    // 1.11 = 1e308 articles; 10.2 = 15 of 1e308 signatures; 10.4 = 18 / 20 as before.
    a[0] = ("1.11-tin-bai", T::N(1e308), T::Empty);
    a[5] = ("10.2-ky-so", T::N(15.0), T::N(1e308));
    fill(
        &dir.join(cchc::forms::file_name("Xã Bà Điểm")),
        &case.inputs().join("bd.xlsx"),
        &a,
        None,
    );
    let r = case.run();
    let q: Vec<(&str, &str)> = r
        .quarantine
        .iter()
        .map(|q| (q.dossier_id.as_str(), q.column.as_str()))
        .collect();
    assert_eq!(q.len(), 2, "{:?}", r.quarantine);
    assert_eq!(q[0], ("1.11-tin-bai", "Số liệu"));
    assert_eq!(q[1], ("10.2-ky-so", "Tổng số"));
    for x in &r.quarantine {
        assert!(
            x.reason.contains("lớn hơn số lớn nhất một ô được ghi (1.000.000.000 — answer_max trong self-report.toml)"),
            "{}",
            x.reason
        );
    }
    assert_eq!(answer(&r, "1.11-tin-bai", "Xã Bà Điểm"), None);
    assert_eq!(answer(&r, "10.2-ky-so", "Xã Bà Điểm"), None);
    // The other answers count: 10.4 = 18 / 20.
    assert_eq!(
        answer(&r, "10.4-thu-cong-vu", "Xã Bà Điểm"),
        Some((Some(18.0), Some(20.0)))
    );
}

/// A case whose locality template folder overrides the report's HTML template with `edit`
/// applied to the shipped one; returns the run's error.
fn run_with_report_html(edit: impl Fn(&str) -> String) -> String {
    let base = Case::new();
    let dir = base.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("report")).unwrap();
    let html =
        std::fs::read_to_string(crate::support::root().join("templates/report/bao-cao.html"))
            .unwrap();
    std::fs::write(dir.join("report/bao-cao.html"), edit(&html)).unwrap();
    let case = Case::with_pipeline_edit(
        "templates = \"../templates\"",
        &format!("templates = \"{}\"", dir.display()),
    );
    case.csv(
        "hs.csv",
        &["HS-1;Phòng Tư pháp;Chứng thực;05/01/2024;08/01/2024;08/01/2024;Đã trả kết quả;Trực tuyến"],
    );
    case.run_err()
}

#[test]
fn a_locality_template_cannot_read_the_environment() {
    let err =
        run_with_report_html(|h| h.replacen("<body>", "<body>{{ get_env(name=\"HOME\") }}", 1));
    assert!(
        err.contains("mẫu gọi get_env: cchc không cho mẫu đọc biến môi trường (có thể lộ ra trang công khai) — bỏ lời gọi get_env khỏi mẫu"),
        "{err}"
    );
}

#[test]
fn a_locality_template_that_includes_itself_is_refused_not_run() {
    let err = run_with_report_html(|h| format!("{h}{{% include \"bao-cao.html\" %}}"));
    assert!(
        err.contains("mẫu «bao-cao.html» gọi lại chính nó (mẫu «bao-cao.html» → mẫu «bao-cao.html»): cchc không chạy mẫu đệ quy"),
        "{err}"
    );
    let err = run_with_report_html(|h| {
        format!(
            "{{% macro m(n) %}}{{{{ self::m(n=n) }}}}{{% endmacro m %}}{{{{ self::m(n=1) }}}}{h}"
        )
    });
    assert!(
        err.contains("macro «m» của «bao-cao.html» gọi lại chính nó"),
        "{err}"
    );
}

/// Phones, e-mail addresses and ID numbers typed into the procedure's name are masked before
/// any output, with a warning naming the row and column, not the value; legal document
/// numbers, dates and codes stay.
#[test]
fn masks_personal_data_typed_into_a_procedure_name() {
    let case = Case::new();
    // Three late dossiers (due 08/01, completed 10/01): each is listed with its procedure.
    case.file(
        "hs.csv",
        "Mã hồ sơ;Đơn vị;Lĩnh vực;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp\n\
         HS-1;Phòng Tư pháp;Chứng thực;Chứng thực bản sao (liên hệ 0912 345 678);05/01/2024;08/01/2024;10/01/2024;Đã trả kết quả;Trực tiếp\n\
         HS-2;Phòng Tư pháp;Chứng thực;Chứng thực chữ ký, gửi nguyen.van.a@gmail.com, CCCD 079123456789;05/01/2024;08/01/2024;10/01/2024;Đã trả kết quả;Trực tiếp\n\
         HS-3;Phòng Tư pháp;Chứng thực;Chứng thực theo Nghị định 23/2015/NĐ-CP, Quyết định số 1234/QĐ-UBND ngày 05/01/2024;05/01/2024;08/01/2024;10/01/2024;Đã trả kết quả;Trực tiếp\n",
    );
    let r = cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::All)).unwrap();
    let masked: Vec<(&str, &str, &str)> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::PersonalDataMasked)
        .map(|w| (w.dossier_id.as_str(), w.column.as_str(), w.value.as_str()))
        .collect();
    assert_eq!(
        masked,
        [
            ("HS-1", "Tên thủ tục", "đã ẩn số điện thoại trong nội dung (dữ liệu cá nhân không được đưa vào báo cáo) — bỏ thông tin cá nhân khỏi ô này ở tệp gốc"),
            ("HS-2", "Tên thủ tục", "đã ẩn địa chỉ thư điện tử, số định danh (CCCD/CMND) trong nội dung (dữ liệu cá nhân không được đưa vào báo cáo) — bỏ thông tin cá nhân khỏi ô này ở tệp gốc"),
        ]
    );
    let texts = crate::support::output_texts(&case.out());
    for (_, t) in &texts {
        for personal in ["0912 345 678", "nguyen.van.a", "079123456789"] {
            assert!(!t.contains(personal), "{personal}");
        }
    }
    for kept in [
        "Chứng thực bản sao (liên hệ [đã ẩn số điện thoại])",
        "Chứng thực chữ ký, gửi [đã ẩn thư điện tử], CCCD [đã ẩn số định danh]",
        "Chứng thực theo Nghị định 23/2015/NĐ-CP, Quyết định số 1234/QĐ-UBND ngày 05/01/2024",
    ] {
        assert!(texts.iter().any(|(_, t)| t.contains(kept)), "{kept}");
    }
}

/// The same in a self-report: the «Khó khăn» text answer and a task's evidence.
#[test]
fn masks_personal_data_in_text_answers_and_task_evidence() {
    let case = Case::new();
    let dir = forms(case.dir.path(), &case.pipeline, "2024-Q1");
    let mut answers = commune_answers();
    answers.push((
        "kho-khan",
        T::S("Thiếu máy tính; gọi cán bộ 091.234.5678"),
        T::Empty,
    ));
    crate::self_report::fill_renamed(
        &dir.join(cchc::forms::file_name("Xã Bà Điểm")),
        &case.inputs().join("bd.xlsx"),
        &answers,
        &[(
            "3.4",
            T::S("Hoàn thành"),
            T::D(2024, 3, 1),
            "Báo cáo số 12/BC-UBND, hỏi (028) 3891 2345",
        )],
        None,
        None,
        &[],
    );
    let r = cchc::pipeline::run(&case.request(cchc::pipeline::Outputs::All)).unwrap();
    assert!(r.quarantine.is_empty(), "{:?}", r.quarantine);
    let mut masked: Vec<(&str, &str)> = r
        .warnings
        .iter()
        .filter(|w| w.kind == cchc::quality::WarningKind::PersonalDataMasked)
        .map(|w| (w.dossier_id.as_str(), w.column.as_str()))
        .collect();
    masked.sort();
    assert_eq!(
        masked,
        [("3.4", "Văn bản kiểm chứng"), ("kho-khan", "Số liệu")]
    );
    let texts = crate::support::output_texts(&case.out());
    for (_, t) in &texts {
        for personal in ["091.234.5678", "3891 2345"] {
            assert!(!t.contains(personal), "{personal}");
        }
    }
    assert!(texts
        .iter()
        .any(|(_, t)| t.contains("Báo cáo số 12/BC-UBND, hỏi [đã ẩn số điện thoại]")));
}

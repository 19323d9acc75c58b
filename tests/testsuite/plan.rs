//! `cchc plan import` (issue 25 §3): the seed plan's appendix rebuilt as a Word and an Excel file
//! (`fixtures/plan/make-fixtures.py`: section rows, the header repeated on every page, merged
//! cells) imported and held against the hand-decided `pipelines/tasks.toml`; small hand-built
//! tables for unknown leads and for the messages on bad input.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::root;

fn cchc(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .output()
        .unwrap()
}

/// Imports `file` for the shipped pipeline into `dir/tasks.toml`.
fn import(file: &Path, dir: &Path, extra: &[&str]) -> Output {
    let out = dir.join("tasks.toml");
    let pipeline = root().join("pipelines/quarterly.toml");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "plan".as_ref(),
        "import".as_ref(),
        file.as_os_str(),
        pipeline.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    cchc(&args)
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// The hand-decided file's typo fixes («# Sửa lỗi chữ (task): «a» → «b»» above a task): the
/// importer reads the plan as written, so they are applied to its text before comparing.
fn typo_fixes(hand: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for line in hand.lines() {
        if let Some(rest) = line.strip_prefix("# Sửa lỗi chữ (") {
            let (field, rest) = rest.split_once("): «").unwrap();
            let (from, rest) = rest.split_once("» → «").unwrap();
            let (to, _) = rest.split_once('»').unwrap();
            pending.push((field.to_string(), from.to_string(), to.to_string()));
        } else if let Some(n) = line.strip_prefix("number = ") {
            let n = n.trim_matches('"').to_string();
            for (f, a, b) in pending.drain(..) {
                out.push((n.clone(), f, a, b));
            }
        }
    }
    out
}

fn table(v: &toml::Value, key: &str) -> Vec<toml::Value> {
    v[key].as_array().unwrap().clone()
}

/// The seed plan imported from `fixture` agrees with the hand-decided tasks.toml on every
/// task's number, section, title, leads and deadline rule; where it does not, the task is one it
/// marked `confirm = true`. The tasks it marks are exactly the five whose reading is loose.
fn agrees_with_the_hand_decided_plan(fixture: &str) {
    let dir = tempfile::tempdir().unwrap();
    let o = import(&root().join("fixtures/plan").join(fixture), dir.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let hand_text = std::fs::read_to_string(root().join("pipelines/tasks.toml")).unwrap();
    let hand: toml::Value = toml::from_str(&hand_text).unwrap();
    let ours: toml::Value =
        toml::from_str(&std::fs::read_to_string(dir.path().join("tasks.toml")).unwrap()).unwrap();
    assert_eq!(ours["year"], hand["year"]);
    assert_eq!(table(&ours, "sections"), table(&hand, "sections"));
    let (h, mut o_tasks) = (table(&hand, "tasks"), table(&ours, "tasks"));
    assert_eq!(o_tasks.len(), 87);
    for (n, field, from, to) in typo_fixes(&hand_text) {
        let t = o_tasks
            .iter_mut()
            .find(|t| t["number"].as_str() == Some(&n))
            .unwrap();
        let v = t[field.as_str()].as_str().unwrap().replace(&from, &to);
        t.as_table_mut()
            .unwrap()
            .insert(field, toml::Value::String(v));
    }
    let mut marked = Vec::new();
    for (a, b) in h.iter().zip(&o_tasks) {
        let confirm = b.get("confirm").and_then(|c| c.as_bool()) == Some(true);
        if confirm {
            marked.push(b["number"].as_str().unwrap().to_string());
        }
        for key in [
            "number",
            "section",
            "task",
            "product",
            "leads",
            "lead_text",
            "partners",
            "deadline_text",
            "rule",
            "due",
        ] {
            if a.get(key) != b.get(key) {
                assert!(
                    confirm,
                    "{} {key}: hand {:?}, imported {:?}, not marked confirm",
                    a["number"],
                    a.get(key),
                    b.get(key)
                );
            }
        }
    }
    // 1.3 «Theo hướng dẫn…» and 1.6 «Sau khi…» (on event, a person checks), 1.10 and 6.8 (a
    // lead found inside a longer phrase), 3.6 («Trong năm 2024 và các năm tiếp theo»).
    assert_eq!(marked, ["1.3", "1.6", "1.10", "3.6", "6.8"]);
    let screen = text(&o.stdout);
    assert!(
        screen.contains("Đã đọc 87 nhiệm vụ, 7 mục của kế hoạch năm 2024"),
        "{screen}"
    );
    assert!(
        screen.contains("- 3.6: thời hạn «Trong năm 2024 và các năm tiếp theo» đọc là «trong năm»: còn thêm chữ «và các năm tiếp theo»"),
        "{screen}"
    );
    // What it wrote loads as the pipeline's plan, the marked tasks flagged.
    let files = cchc::plan::plan_files(&root().join("pipelines/quarterly.toml")).unwrap();
    let plan = cchc::tasks::load(
        &dir.path().join("tasks.toml"),
        &files.bodies,
        &files.units,
        files.rule,
    )
    .unwrap();
    assert_eq!(plan.tasks.iter().filter(|t| t.confirm).count(), 5);
}

#[test]
fn imports_the_seed_plan_from_word_like_the_hand_decided_tasks() {
    agrees_with_the_hand_decided_plan("ke-hoach-cchc-2024.docx");
}

#[test]
fn imports_the_seed_plan_from_excel_like_the_hand_decided_tasks() {
    agrees_with_the_hand_decided_plan("ke-hoach-cchc-2024.xlsx");
}

/// Section II of the Word plan: four sentences hold a known indicator and a percentage; each
/// becomes a draft target in targets-de-xuat.toml (never targets.toml), its comparison read from
/// the words around the number.
#[test]
fn proposes_draft_targets_from_section_ii() {
    let dir = tempfile::tempdir().unwrap();
    let o = import(
        &root().join("fixtures/plan/ke-hoach-cchc-2024.docx"),
        dir.path(),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!dir.path().join("targets.toml").exists());
    let draft: toml::Value =
        toml::from_str(&std::fs::read_to_string(dir.path().join("targets-de-xuat.toml")).unwrap())
            .unwrap();
    let got: Vec<(String, String, String, f64)> = table(&draft, "targets")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["measure"].as_str().unwrap().to_string(),
                t["op"].as_str().unwrap().to_string(),
                t["value"]
                    .as_float()
                    .or(t["value"].as_integer().map(|i| i as f64))
                    .unwrap(),
            )
        })
        .collect();
    let want = [
        ("3.1", "on_time_rate", ">=", 99.0),
        ("3.2", "late_rate", "<", 2.0),
        ("3.4", "apology_coverage", ">=", 100.0),
        ("7", "digitized_result_share", ">=", 60.0),
    ];
    assert_eq!(
        got,
        want.map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d))
    );
    assert_eq!(
        table(&draft, "targets")[1]["title"].as_str(),
        Some("Giảm tỷ lệ giải quyết hồ sơ TTHC trễ hạn trên lĩnh vực đất đai và lĩnh vực đầu tư xuống còn dưới 2%")
    );
}

#[test]
fn never_overwrites_an_existing_tasks_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("fixtures/plan/ke-hoach-cchc-2024.xlsx");
    let mine = "# của người dùng\nyear = 2024\n\n[[tasks]]\nnumber = \"1.1\"\n";
    std::fs::write(dir.path().join("tasks.toml"), mine).unwrap();
    let o = import(&file, dir.path(), &[]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(e.contains("tasks.toml đã có: không ghi đè"), "{e}");
    assert!(e.contains("--force") && e.contains("--out"), "{e}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tasks.toml")).unwrap(),
        mine
    );
    let o = import(&file, dir.path(), &["--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read_to_string(dir.path().join("tasks.toml"))
        .unwrap()
        .contains("number = \"7.16\""));
}

/// A workbook of rows as given (each a list of cells).
fn xlsx(path: &Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

const HEADER: &[&str] = &[
    "STT",
    "Nhiệm vụ cụ thể",
    "Sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
];

/// A lead the registry does not know is left out of `leads`, the task marked and the lead
/// listed on screen with what to do; the task still loads (and reports to nobody yet).
#[test]
fn lists_an_unknown_lead_and_marks_its_task() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("ke-hoach.xlsx");
    xlsx(
        &plan,
        &[
            &["KẾ HOẠCH CCHC NĂM 2025"],
            HEADER,
            &["I.", "Công tác chỉ đạo, điều hành", "", "", "", ""],
            &[
                "1",
                "Kiện toàn tổ giúp việc",
                "Quyết định",
                "Ban Quản lý dự án đầu tư xây dựng",
                "",
                "Quý I/2025",
            ],
            &[
                "2",
                "Rà soát văn bản",
                "Báo cáo",
                "Trưởng phòng Tư pháp huyện; Ban Quản lý dự án đầu tư xây dựng",
                "",
                "Hàng quý",
            ],
        ],
    );
    let o = import(&plan, dir.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let screen = text(&o.stdout);
    assert!(
        screen.contains("Đơn vị chủ trì chưa có trong danh mục (1): thêm vào units.toml"),
        "{screen}"
    );
    assert!(
        screen.contains("  - Ban Quản lý dự án đầu tư xây dựng\n"),
        "{screen}"
    );
    let written = std::fs::read_to_string(dir.path().join("tasks.toml")).unwrap();
    let v: toml::Value = toml::from_str(&written).unwrap();
    let tasks = table(&v, "tasks");
    // Section «I.» is section 1; its tasks «1», «2» are numbered 1.1, 1.2.
    assert_eq!(v["year"].as_integer(), Some(2025));
    assert_eq!(tasks[0]["number"].as_str(), Some("1.1"));
    assert_eq!(tasks[0]["leads"].as_array().unwrap().len(), 0);
    assert_eq!(tasks[0]["rule"].as_str(), Some("by_period"));
    assert_eq!(tasks[0]["due"].as_str(), Some("2025-Q1"));
    assert_eq!(tasks[0]["confirm"].as_bool(), Some(true));
    assert_eq!(
        tasks[1]["leads"].as_array().unwrap()[0].as_str(),
        Some("Phòng Tư pháp")
    );
    assert_eq!(tasks[1]["rule"].as_str(), Some("each_quarter"));
    assert_eq!(tasks[1]["confirm"].as_bool(), Some(true));
    assert!(written.contains(
        "# Cần kiểm tra: đơn vị chủ trì «Ban Quản lý dự án đầu tư xây dựng» không có trong danh mục đơn vị (units.toml) hay task-bodies.toml."
    ));
    let files = cchc::plan::plan_files(&root().join("pipelines/quarterly.toml")).unwrap();
    let plan = cchc::tasks::load(
        &dir.path().join("tasks.toml"),
        &files.bodies,
        &files.units,
        files.rule,
    )
    .unwrap();
    assert!(plan.tasks[0].units.is_empty() && plan.tasks[0].confirm);
}

/// A minimal .docx: `body` is the inside of `w:body`.
fn docx(path: &Path, body: &str) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    z.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(
        &mut z,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .as_bytes(),
    )
    .unwrap();
    z.finish().unwrap();
}

fn err_of(path: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let o = import(path, dir.path(), &[]);
    assert!(!o.status.success());
    assert!(!dir.path().join("tasks.toml").exists());
    text(&o.stderr)
}

#[test]
fn names_the_file_when_it_has_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ke-hoach.docx");
    docx(
        &p,
        "<w:p><w:r><w:t>Kế hoạch không có bảng</w:t></w:r></w:p>",
    );
    let e = err_of(&p);
    assert!(e.contains("ke-hoach.docx không có bảng nào"), "{e}");
    assert!(
        e.contains("«STT», «Nhiệm vụ cụ thể», «Cơ quan chủ trì», «Thời gian hoàn thành»"),
        "{e}"
    );
}

/// A table whose header lacks the expected columns: the message names the file and the
/// columns it found.
#[test]
fn names_the_columns_found_when_the_table_is_not_the_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang-khac.xlsx");
    xlsx(
        &p,
        &[
            &["STT", "Nội dung", "Người phụ trách", "Ghi chú"],
            &["1", "Họp giao ban", "Tổ trưởng", ""],
        ],
    );
    let e = err_of(&p);
    assert!(
        e.contains("bang-khac.xlsx có 1 bảng nhưng không bảng nào có dòng tiêu đề"),
        "{e}"
    );
    assert!(
        e.contains("«STT · Nội dung · Người phụ trách · Ghi chú»"),
        "{e}"
    );
    assert!(e.contains("plan-import.toml"), "{e}");
}

#[test]
fn refuses_a_file_that_is_neither_word_nor_excel() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ke-hoach.pdf");
    std::fs::write(&p, "%PDF-1.4").unwrap();
    let e = err_of(&p);
    assert!(e.contains("ke-hoach.pdf không phải .docx hay .xlsx"), "{e}");
}

/// The tasks file `cchc init` writes for a commune holds no task yet: the plan replaces it
/// without --force (the quick start's step 3), and the rest of the folder is untouched.
#[test]
fn replaces_the_starting_tasks_file_of_init_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let o = cchc(&[
        "init".as_ref(),
        dir.path().join("xa").as_os_str(),
        "--code".as_ref(),
        "27592".as_ref(),
        "--period".as_ref(),
        "2025-Q4".as_ref(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let pipeline = dir.path().join("xa/quarterly.toml");
    let file = root().join("fixtures/plan/ke-hoach-cchc-2024.docx");
    let o = cchc(&[
        "plan".as_ref(),
        "import".as_ref(),
        file.as_os_str(),
        pipeline.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let tasks = std::fs::read_to_string(dir.path().join("xa/tasks.toml")).unwrap();
    assert!(tasks.contains("[[tasks]]"), "{tasks}");
    // Imported a second time, the file now holds a plan: refused without --force.
    let o = cchc(&[
        "plan".as_ref(),
        "import".as_ref(),
        file.as_os_str(),
        pipeline.as_os_str(),
    ]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("không ghi đè"));
}

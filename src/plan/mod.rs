//! `cchc plan import`: a plan's appendix table ("Kế hoạch cụ thể triển khai các nhiệm vụ": STT ·
//! Nhiệm vụ cụ thể · Sản phẩm · Cơ quan chủ trì · Cơ quan phối hợp · Thời gian hoàn thành) read from
//! a Word or Excel file into `tasks.toml`, so that a commune imports its plan instead of typing it.
//!
//! The table may be cut into several tables (one per page) or hold its header again at each
//! page; section rows ("1 | Công tác chỉ đạo …", "I. …") open a section, group rows ("1.4 | …"
//! with nothing else) are titles only, as in the hand-made `tasks.toml`. Deadline rules are
//! inferred ([`deadline`]), leads matched to the registry ([`leads`]). What the importer cannot
//! decide alone is written with `confirm = true` and a comment saying what to check, and listed
//! on screen: the task loads, and every run warns until a person removes the flag. Section II
//! ("CHỈ TIÊU") sentences holding a known indicator and a percentage become draft targets in a
//! separate file (`targets-de-xuat.toml`), never in `targets.toml` itself.

pub mod deadline;
pub mod leads;
pub mod table;
pub mod targets;
pub mod vocabulary;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::tasks::{LeadNames, ReportSection, Rule};
use crate::text::match_key;
use table::Document;
use vocabulary::Vocabulary;

/// A column of the appendix table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    Task,
    Product,
    Lead,
    Partners,
    Deadline,
}

const COLS: [Col; 6] = [
    Col::Number,
    Col::Task,
    Col::Product,
    Col::Lead,
    Col::Partners,
    Col::Deadline,
];

/// A section of the imported plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// "1".
    pub id: String,
    /// Its title.
    pub title: String,
    /// The report section its title names, when one does.
    pub report: Option<ReportSection>,
}

/// A task as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// "1.4.1".
    pub number: String,
    /// Its section's id.
    pub section: String,
    /// Nhiệm vụ cụ thể.
    pub task: String,
    /// Sản phẩm.
    pub product: String,
    /// Cơ quan chủ trì, as written.
    pub lead_text: String,
    /// The leads found.
    pub leads: Vec<String>,
    /// Parts of the lead cell that name no known unit.
    pub unknown_leads: Vec<String>,
    /// Cơ quan phối hợp.
    pub partners: String,
    /// Thời gian hoàn thành.
    pub deadline_text: String,
    /// The rule inferred.
    pub rule: Rule,
    /// Its due day or period.
    pub due: Option<String>,
    /// What a person must check (empty: decided).
    pub check: Vec<String>,
}

impl Task {
    /// Whether a person must check it (`confirm = true`).
    pub fn confirm(&self) -> bool {
        !self.check.is_empty()
    }
}

/// A plan read from a file.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The file read.
    pub source: PathBuf,
    /// The plan's year.
    pub year: i32,
    /// Sections, in order.
    pub sections: Vec<Section>,
    /// Tasks, in order.
    pub tasks: Vec<Task>,
    /// Rows not read as tasks or sections (group titles, rows without a number), described.
    pub notes: Vec<String>,
    /// Draft targets of Section II.
    pub targets: Vec<targets::Draft>,
}

/// Reads a plan file against a pipeline's registry and bodies. `year` overrides the plan year
/// read from the deadlines.
/// Where a pipeline's plan goes, and what its leads are matched against.
pub struct PlanFiles {
    /// The unit registry.
    pub units: crate::config::Units,
    /// Its `tasks.toml`.
    pub tasks: std::path::PathBuf,
    /// Its `task-bodies.toml`.
    pub bodies: std::path::PathBuf,
    /// How its period ids are read (`by_period` deadlines).
    pub rule: crate::period::PeriodRule,
}

/// The unit registry of a pipeline file and the paths of its plan files, read without the rest
/// of the pipeline: `cchc plan import` writes the plan a pipeline may not have yet.
pub fn plan_files(path: &std::path::Path) -> Result<PlanFiles> {
    let (units, rule, keys) = crate::config::units_only(path, &crate::kinds::config_parts())?;
    let (tasks, bodies) = crate::tasks::files(path, &keys)?;
    Ok(PlanFiles {
        units,
        tasks,
        bodies,
        rule,
    })
}

pub fn import(
    path: &Path,
    names: &LeadNames,
    words: &Vocabulary,
    year: Option<i32>,
) -> Result<Imported> {
    let doc = table::read(path)?;
    read_document(path, &doc, names, words, year)
}

/// The header of a table: the column of each [`Col`].
type Header = [Option<usize>; 6];

fn header_of(row: &[Vec<String>], words: &Vocabulary) -> Header {
    let c = &words.columns;
    let spellings = [
        &c.number,
        &c.task,
        &c.product,
        &c.lead,
        &c.partners,
        &c.deadline,
    ];
    let mut h: Header = [None; 6];
    for (i, cell) in row.iter().enumerate() {
        let k = match_key(&cell.join(" "));
        if k.is_empty() {
            continue;
        }
        for (j, list) in spellings.iter().enumerate() {
            if h[j].is_none() && list.iter().any(|s| match_key(s) == k) {
                h[j] = Some(i);
            }
        }
    }
    h
}

fn is_header(h: &Header) -> bool {
    [Col::Number, Col::Task, Col::Lead, Col::Deadline]
        .iter()
        .all(|c| h[*c as usize].is_some())
}

/// The report sections a plan section's title is matched against, in order: the shipped
/// list's, then the other sections the words name (a locality's own), by id.
fn report_order(words: &Vocabulary) -> Vec<ReportSection> {
    let shipped = crate::config::report_sections::ReportSections::shipped();
    let mut order: Vec<ReportSection> = shipped
        .plan()
        .into_iter()
        .map(|id| ReportSection(id.to_string()))
        .collect();
    let mut own: Vec<ReportSection> = words
        .reports
        .keys()
        .filter(|k| !order.contains(k))
        .cloned()
        .collect();
    own.sort();
    order.extend(own);
    order
}

fn read_document(
    path: &Path,
    doc: &Document,
    names: &LeadNames,
    words: &Vocabulary,
    year: Option<i32>,
) -> Result<Imported> {
    // Rows of the appendix: each with the header in force.
    let mut rows: Vec<(Header, &Vec<Vec<String>>)> = Vec::new();
    let mut header: Option<Header> = None;
    let mut seen_headers: Vec<String> = Vec::new();
    for t in &doc.tables {
        for row in &t.rows {
            let h = header_of(row, words);
            if is_header(&h) {
                header = Some(h);
                continue;
            }
            let first = row
                .iter()
                .map(|c| crate::text::clean(&c.join(" ")))
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>();
            if header.is_none() && first.len() >= 3 && seen_headers.len() < 3 {
                seen_headers.push(first.join(" · "));
            }
            if let Some(h) = header {
                rows.push((h, row));
            }
        }
        // A table without a header row (a page of the table) keeps the header in force.
    }
    if header.is_none() {
        let c = &words.columns;
        let expected = [&c.number, &c.task, &c.lead, &c.deadline]
            .iter()
            .map(|l| format!("«{}»", l[0]))
            .collect::<Vec<_>>()
            .join(", ");
        if doc.tables.is_empty() {
            bail!(
                "tệp {} không có bảng nào: cần bảng phụ lục của kế hoạch với các cột {expected} (dòng tiêu đề của bảng) — kiểm tra đúng tệp kế hoạch, bảng không phải là ảnh chụp",
                path.display()
            );
        }
        let found = if seen_headers.is_empty() {
            "không có dòng nào có chữ".to_string()
        } else {
            seen_headers
                .iter()
                .map(|s| format!("«{s}»"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        bail!(
            "tệp {} có {} bảng nhưng không bảng nào có dòng tiêu đề với các cột {expected}; các dòng đầu của bảng: {found} — sửa tên cột trong tệp cho đúng, hoặc thêm cách viết tên cột vào plan-import.toml cạnh tệp quy trình",
            path.display(),
            doc.tables.len()
        );
    }
    let cell = |h: &Header, row: &Vec<Vec<String>>, c: Col| -> Vec<String> {
        h[c as usize]
            .and_then(|i| row.get(i))
            .map(|ps| {
                ps.iter()
                    .map(|p| crate::text::clean(p))
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let joined = |ps: &[String]| crate::text::clean(&ps.join(" "));
    // Plan year: given, or the year the deadlines write most.
    let year = match year {
        Some(y) => y,
        None => {
            let mut count: std::collections::BTreeMap<i32, usize> = Default::default();
            for (h, row) in &rows {
                for y in deadline::years_in(&joined(&cell(h, row, Col::Deadline))) {
                    *count.entry(y).or_default() += 1;
                }
            }
            match count.into_iter().max_by_key(|(y, n)| (*n, *y)) {
                Some((y, _)) => y,
                None => bail!(
                    "không tìm thấy năm của kế hoạch trong cột thời gian hoàn thành của {}: chạy lại với --year <năm> (ví dụ --year 2025)",
                    path.display()
                ),
            }
        }
    };
    let mut out = Imported {
        source: path.to_path_buf(),
        year,
        sections: Vec::new(),
        tasks: Vec::new(),
        notes: Vec::new(),
        targets: targets::drafts(&doc.paragraphs, words),
    };
    // Raw task cells, to read leads and deadlines once rows split across pages are joined.
    let mut raw: Vec<[Vec<String>; 6]> = Vec::new();
    for (h, row) in rows {
        let cells: [Vec<String>; 6] = COLS.map(|c| cell(&h, row, c));
        let number_text = joined(&cells[0]);
        let rest_empty = cells[2..].iter().all(|c| c.is_empty());
        if number_text.is_empty() {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            // A row cut by a page break: its text continues the task above.
            if let Some(prev) = raw.last_mut() {
                for (p, c) in prev.iter_mut().zip(cells) {
                    p.extend(c);
                }
                let n = out
                    .tasks
                    .last()
                    .map(|t| t.number.clone())
                    .unwrap_or_default();
                out.notes.push(format!(
                    "một dòng không có STT được nối vào nhiệm vụ {n} (dòng bị ngắt trang)"
                ));
            }
            continue;
        }
        if let Some((id, title)) = section_heading(&number_text, &joined(&cells[1]), rest_empty) {
            let report = report_order(words).into_iter().find(|r| {
                words.reports.get(r).is_some_and(|list| {
                    list.iter()
                        .any(|w| match_key(&title).contains(&match_key(w)))
                })
            });
            out.sections.push(Section { id, title, report });
            continue;
        }
        let number = number_text.trim_end_matches('.').to_string();
        if !number
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            out.notes.push(format!(
                "dòng có STT «{number_text}» không phải số thứ tự nhiệm vụ: bỏ qua"
            ));
            continue;
        }
        if rest_empty {
            out.notes.push(format!(
                "dòng {number} «{}» chỉ có tên (tiêu đề nhóm nhiệm vụ): không phải nhiệm vụ",
                joined(&cells[1])
            ));
            continue;
        }
        let Some(section) = out.sections.last().map(|s| s.id.clone()) else {
            bail!(
                "{}: nhiệm vụ {number} đứng trước dòng mục đầu tiên của bảng (dòng «1 | Tên mục» hay «I. Tên mục»): thêm dòng mục vào bảng rồi chạy lại",
                path.display()
            );
        };
        let number = if number.starts_with(&format!("{section}.")) {
            number
        } else {
            format!("{section}.{number}")
        };
        out.tasks.push(Task {
            number,
            section,
            task: String::new(),
            product: String::new(),
            lead_text: String::new(),
            leads: Vec::new(),
            unknown_leads: Vec::new(),
            partners: String::new(),
            deadline_text: String::new(),
            rule: Rule::YearEnd,
            due: None,
            check: Vec::new(),
        });
        raw.push(cells);
    }
    for (t, cells) in out.tasks.iter_mut().zip(&raw) {
        t.task = joined(&cells[1]);
        t.product = joined(&cells[2]);
        t.lead_text = joined(&cells[3]);
        t.partners = joined(&cells[4]);
        t.deadline_text = joined(&cells[5]);
        let d = deadline::read(&t.deadline_text, year, &words.deadlines);
        t.rule = d.rule;
        t.due = d.due;
        if let Some(why) = d.check {
            t.check
                .push(format!("thời hạn «{}» {why}", t.deadline_text));
        }
        let l = leads::read(&cells[3], names, &words.leads);
        t.leads = l.leads;
        for why in l.check {
            t.check.push(format!("đơn vị chủ trì: {why}"));
        }
        for u in &l.unknown {
            t.check.push(format!(
                "đơn vị chủ trì «{u}» không có trong danh mục đơn vị (units.toml) hay task-bodies.toml"
            ));
        }
        if t.leads.is_empty() && l.unknown.is_empty() {
            t.check.push("ô «Cơ quan chủ trì» trống".into());
        }
        t.unknown_leads = l.unknown;
        if t.task.is_empty() {
            t.check.push("ô «Nhiệm vụ cụ thể» trống".into());
        }
    }
    let mut numbers = std::collections::HashSet::new();
    for t in &out.tasks {
        if !numbers.insert(t.number.clone()) {
            bail!(
                "{}: nhiệm vụ số {} có hai lần trong bảng: sửa STT trong tệp rồi chạy lại",
                path.display(),
                t.number
            );
        }
    }
    if out.tasks.is_empty() {
        bail!(
            "{}: bảng phụ lục có dòng tiêu đề nhưng không có dòng nhiệm vụ nào (STT dạng 1.1, 2.3 …)",
            path.display()
        );
    }
    Ok(out)
}

/// A section row: a one-level number (arabic or roman, a dot allowed) with nothing but a
/// title, or the number and title in the first cell ("I. CÔNG TÁC CHỈ ĐẠO").
fn section_heading(number: &str, title: &str, rest_empty: bool) -> Option<(String, String)> {
    if !rest_empty {
        return None;
    }
    let (num, inline) = match number.split_once(|c: char| c == '.' || c.is_whitespace()) {
        Some((n, t)) if !t.trim().trim_start_matches('.').trim().is_empty() => {
            (n.trim(), Some(t.trim().trim_start_matches('.').trim()))
        }
        _ => (number.trim_end_matches('.').trim(), None),
    };
    let id = if num.bytes().all(|b| b.is_ascii_digit()) && !num.is_empty() {
        num.trim_start_matches('0').to_string()
    } else {
        roman(num)?.to_string()
    };
    let title = match inline {
        Some(t) if title.is_empty() => t.to_string(),
        Some(_) => return None,
        None if title.is_empty() => return None,
        None => title.to_string(),
    };
    Some((id, title))
}

fn roman(s: &str) -> Option<u32> {
    let k = s.to_ascii_uppercase();
    [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ]
    .iter()
    .position(|r| *r == k)
    .map(|i| i as u32 + 1)
}

/// `tasks.toml` of an imported plan.
pub fn tasks_toml(p: &Imported) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut s = String::new();
    let file = p
        .source
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "# Nhiệm vụ của kế hoạch, đọc từ bảng phụ lục của tệp «{file}» bằng `cchc plan import`.\n\
         # Mỗi [[tasks]] là một dòng của phụ lục, đúng thứ tự; mỗi [[sections]] là một mục của phụ lục.\n\
         # Các trường như pipelines/tasks.toml (xem chú thích đầu tệp đó). Nhiệm vụ có `confirm = true`\n\
         # chưa được chương trình quyết định chắc chắn: đọc chú thích «# Cần kiểm tra» ngay trên nhiệm vụ,\n\
         # sửa nếu cần (leads, rule, due), rồi xóa dòng `confirm = true`.\n"
    );
    let _ = writeln!(s, "year = {}\n", p.year);
    for sec in &p.sections {
        let _ = writeln!(
            s,
            "[[sections]]\nid = {}\ntitle = {}",
            q(&sec.id),
            q(&sec.title)
        );
        match &sec.report {
            Some(r) => {
                let _ = writeln!(s, "report = {}", q(r.key()));
            }
            None => {
                let _ = writeln!(
                    s,
                    "# Cần kiểm tra: không rõ phần nào của báo cáo nhận câu tổng hợp của mục này; thêm report = \"…\" nếu cần."
                );
            }
        }
        s.push('\n');
    }
    for t in &p.tasks {
        for why in &t.check {
            let _ = writeln!(s, "# Cần kiểm tra: {why}.");
        }
        let _ = writeln!(s, "[[tasks]]");
        let _ = writeln!(s, "number = {}", q(&t.number));
        let _ = writeln!(s, "section = {}", q(&t.section));
        let _ = writeln!(s, "task = {}", q(&t.task));
        let _ = writeln!(s, "product = {}", q(&t.product));
        let leads = t.leads.iter().map(|l| q(l)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(s, "leads = [{leads}]");
        let _ = writeln!(s, "lead_text = {}", q(&t.lead_text));
        let _ = writeln!(s, "partners = {}", q(&t.partners));
        let _ = writeln!(s, "deadline_text = {}", q(&t.deadline_text));
        let _ = writeln!(s, "rule = {}", q(t.rule.code()));
        if let Some(d) = &t.due {
            let _ = writeln!(s, "due = {}", q(d));
        }
        if t.confirm() {
            let _ = writeln!(s, "confirm = true");
        }
        s.push('\n');
    }
    s
}

/// What to tell the person at the terminal: the tasks to check and why, unknown leads, rows not
/// read as tasks, and the draft targets.
pub fn screen(p: &Imported, tasks_file: &Path, draft_file: Option<&Path>) -> String {
    let mut s = String::new();
    let to_check: Vec<&Task> = p.tasks.iter().filter(|t| t.confirm()).collect();
    let _ = writeln!(
        s,
        "Đã đọc {} nhiệm vụ, {} mục của kế hoạch năm {} từ {}; ghi {}.",
        p.tasks.len(),
        p.sections.len(),
        p.year,
        p.source.display(),
        tasks_file.display()
    );
    if to_check.is_empty() {
        let _ = writeln!(s, "Mọi nhiệm vụ đều đọc được chắc chắn.");
    } else {
        let _ = writeln!(
            s,
            "\n{} nhiệm vụ cần người kiểm tra (confirm = true trong tệp; kiểm tra, sửa nếu cần rồi xóa dòng đó):",
            to_check.len()
        );
        for t in &to_check {
            let _ = writeln!(s, "  - {}: {}", t.number, t.check.join("; "));
        }
    }
    let mut unknown: Vec<&str> = p
        .tasks
        .iter()
        .flat_map(|t| t.unknown_leads.iter().map(String::as_str))
        .collect();
    unknown.sort();
    unknown.dedup();
    if !unknown.is_empty() {
        let _ = writeln!(
            s,
            "\nĐơn vị chủ trì chưa có trong danh mục ({}): thêm vào units.toml (đơn vị báo cáo) hoặc task-bodies.toml (cơ quan khác, kèm đơn vị trả lời thay), rồi ghi tên vào leads của các nhiệm vụ đó:",
            unknown.len()
        );
        for u in unknown {
            let _ = writeln!(s, "  - {u}");
        }
    }
    for sec in p.sections.iter().filter(|s| s.report.is_none()) {
        let _ = writeln!(
            s,
            "\nMục {} «{}»: không rõ phần nào của báo cáo nhận câu tổng hợp; thêm report = \"…\" nếu cần.",
            sec.id, sec.title
        );
    }
    if !p.notes.is_empty() {
        let _ = writeln!(s, "\nDòng không phải nhiệm vụ:");
        for n in &p.notes {
            let _ = writeln!(s, "  - {n}");
        }
    }
    if let Some(f) = draft_file {
        let _ = writeln!(
            s,
            "\n{} chỉ tiêu nháp từ mục II của kế hoạch ghi vào {} — kiểm tra rồi chép những chỉ tiêu đúng vào targets.toml:",
            p.targets.len(),
            f.display()
        );
        for t in &p.targets {
            let _ = writeln!(
                s,
                "  - {} ({} {} {}): {}",
                t.id,
                t.measure,
                t.op,
                crate::vn::number(t.value),
                t.sentence
            );
        }
    }
    s
}

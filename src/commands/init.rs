//! `cchc init`: a new pipeline folder. A commune's (`--locality xa`, or any `--code`) is its
//! starting configuration (`pipelines/mau-xa/`): its identity written once, in the pipeline
//! file, from the official list ([`crate::localities`]) — every other file names it through
//! placeholders ([`crate::identity`]) —, the units of a commune after 2025, targets whose values
//! are marked as starting values, a narrative folder with its template, a `.gitignore`, and the
//! list of what a person must check, printed.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::localities::{Locality, OfficialList};

/// What `init` is asked for.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// A commune's pipeline (one level of units) rather than a district's.
    pub commune: bool,
    /// The commune's official code (column `ma_xa` of the official list).
    pub code: Option<String>,
    /// The name as printed, when the person insists on one other than the list's (with a code),
    /// or to find the code by (without one).
    pub name: Option<String>,
    /// The default period the pipeline runs; the current quarter when none.
    pub period: Option<String>,
}

/// What `init` wrote, for the person to read.
#[derive(Debug)]
pub struct InitOutcome {
    /// The new pipeline file.
    pub pipeline: PathBuf,
    /// The locality's name, code and province, one line ("Xã Bà Điểm, mã 27592, Thành phố Hồ
    /// Chí Minh"); empty for a district.
    pub identity: String,
    /// What to check and where, one line each (file and key).
    pub checklist: String,
}

/// A commune's narrative template: one plain-text file per section.
const NARRATIVE_TEMPLATE: &[(&str, &str)] = &[
    (
        "mo_dau.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/mo_dau.txt"),
    ),
    (
        "chi_dao.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/chi_dao.txt"),
    ),
    (
        "the_che.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/the_che.txt"),
    ),
    (
        "thu_tuc.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/thu_tuc.txt"),
    ),
    (
        "bo_may.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/bo_may.txt"),
    ),
    (
        "cong_vu.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/cong_vu.txt"),
    ),
    (
        "tai_chinh.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/tai_chinh.txt"),
    ),
    (
        "chinh_quyen_so.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/chinh_quyen_so.txt"),
    ),
    (
        "danh_gia.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/danh_gia.txt"),
    ),
    (
        "phuong_huong.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/phuong_huong.txt"),
    ),
    (
        "kien_nghi.txt",
        include_str!("../../pipelines/mau-xa/narrative/mau/kien_nghi.txt"),
    ),
];

const GITIGNORE: &str = include_str!("../../pipelines/mau-xa/.gitignore");

/// What a new commune must check, with `{thu_muc}` (the folder), `{quy_trinh}` (the
/// pipeline file, quoted), `{ky}` and `{so_chi_tieu_mau}` filled in.
const CHECKLIST: &str = include_str!("../../pipelines/mau-xa/kiem-tra.txt");

/// A path as a hint prints it: in double quotes, so that it can be pasted into a command line
/// whatever spaces it holds.
pub fn quoted(path: &Path) -> String {
    format!("\"{}\"", path.display())
}

/// The locality a commune's `init` is for: by code (the name the person insists on, if any), or
/// by a name the list holds once.
fn locality_of(options: &InitOptions) -> Result<(Locality, String)> {
    let list = OfficialList::shipped();
    let name = options
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if let Some(code) = options.code.as_deref().map(str::trim) {
        let unit = list.check_code(code, name.unwrap_or(code)).map_err(|e| {
            anyhow::anyhow!(
                "{}",
                e.to_string().replace("vào locality_code", "sau --code")
            )
        })?;
        return Ok((unit.clone(), name.unwrap_or(&unit.full_name).to_string()));
    }
    let Some(name) = name else {
        bail!(
            "cchc init --locality xa cần mã chính thức của xã, phường, đặc khu: --code 27592 (cột ma_xa của {}), hoặc tên để tìm mã: --name \"Xã Bà Điểm\"",
            crate::localities::LIST_PATH
        );
    };
    let key = crate::text::folded(name);
    let same: Vec<&Locality> = list
        .all()
        .iter()
        .filter(|u| crate::text::folded(&u.full_name) == key || crate::text::folded(&u.name) == key)
        .collect();
    let shown = |units: &[&Locality]| {
        units
            .iter()
            .map(|u| format!("{} ({}) mã {}", u.full_name, u.province_name, u.code))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match same.as_slice() {
        [one] => Ok(((*one).clone(), one.full_name.clone())),
        [] => bail!(
            "danh mục đơn vị hành chính cấp xã 2025 không có «{name}». Các đơn vị có tên gần nhất: {}. Hãy chạy lại với --code <mã> của địa phương (thêm --name nếu muốn giữ tên của mình).",
            shown(&list.closest(name, 3))
        ),
        many => bail!(
            "danh mục có {} đơn vị tên «{name}»: {}. Hãy chạy lại với --code <mã> của địa phương.",
            many.len(),
            shown(many)
        ),
    }
}

/// The quarter of today, by calendar months ("2025-Q4").
fn current_quarter() -> String {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    format!("{}-Q{}", today.year(), today.month0() / 3 + 1)
}

/// Replaces the one line `line` of a template; the template always has it.
fn fill(text: &str, line: &str, with: &str) -> String {
    debug_assert!(text.contains(line), "{line}");
    text.replacen(line, with, 1)
}

/// A value as a TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes the default configuration into a new folder, refusing to overwrite anything: a
/// district's (two levels of units), or a commune's starting configuration.
pub fn init(dir: &Path, options: &InitOptions) -> Result<InitOutcome> {
    let commune = options.commune || options.code.is_some() || options.name.is_some();
    let locality = if commune {
        Some(locality_of(options)?)
    } else {
        None
    };
    let period = match &options.period {
        Some(p) => p.trim().to_string(),
        None => current_quarter(),
    };
    let rule = crate::period::PeriodRule::Nd09;
    let parsed = crate::period::Period::parse(&period, rule)?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let parts = crate::kinds::config_parts();
    let shipped = crate::kinds::shipped_files();
    let communes: Vec<&(&str, &str)> = crate::config::COMMUNE_FILES
        .iter()
        .chain(parts.iter().flat_map(|p| p.commune_files()))
        .collect();
    for (name, text) in &shipped {
        let own = communes
            .iter()
            .find(|(n, _)| commune && n == name)
            .map(|(_, t)| *t);
        let text = match (own, *name == "quarterly.toml") {
            // The commune's files name the shared ones beside the district's: here they are side by side.
            (Some(t), _) => t
                .replace("\"../../templates\"", "\"templates\"")
                .replace("\"../", "\""),
            (None, true) => text
                .replace("path = \"../fixtures/sample\"", "path = \"du-lieu\"")
                .replace("templates = \"../templates\"", "templates = \"templates\""),
            (None, false) => text.to_string(),
        };
        let text = match (&locality, *name) {
            (Some((unit, shown)), "quarterly.toml") => {
                let text = fill(
                    &text,
                    "\nlocality = \"\"\n",
                    &format!("\nlocality = {}\n", toml_string(shown)),
                );
                let text = fill(
                    &text,
                    "\nlocality_code = \"\"\n",
                    &format!("\nlocality_code = {}\n", toml_string(&unit.code)),
                );
                fill(
                    &text,
                    "\nperiod = \"\"\n",
                    &format!("\nperiod = {}\n", toml_string(&period)),
                )
            }
            (Some(_), "tasks.toml") => fill(
                &text,
                "\nyear = 0\n",
                &format!("\nyear = {}\n", &parsed.id[..4]),
            ),
            _ => text,
        };
        files.push((PathBuf::from(name), text));
    }
    if commune {
        files.push((PathBuf::from(".gitignore"), GITIGNORE.to_string()));
        for (name, text) in NARRATIVE_TEMPLATE {
            files.push((
                Path::new("narrative").join("mau").join(name),
                text.to_string(),
            ));
        }
    }
    for (name, _) in &files {
        if dir.join(name).exists() {
            bail!("{} đã có; không ghi đè", dir.join(name).display());
        }
    }
    for (name, text) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("không tạo được thư mục {}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("không ghi được {}", path.display()))?;
    }
    std::fs::create_dir_all(dir.join("du-lieu"))?;
    let annexes = dir.join("templates").join("annexes");
    std::fs::create_dir_all(&annexes)?;
    for (name, text) in crate::render::annex::template::default_files() {
        std::fs::write(annexes.join(name), text)
            .with_context(|| format!("không ghi được {}", annexes.join(name).display()))?;
    }
    let pipeline = dir.join("quarterly.toml");
    let Some((unit, shown)) = locality else {
        return Ok(InitOutcome {
            pipeline,
            identity: String::new(),
            checklist: String::new(),
        });
    };
    // What was written must load: the checklist then speaks of a working pipeline.
    let loaded = crate::kinds::load_pipeline(&pipeline)
        .with_context(|| format!("cấu hình vừa ghi trong {} không dùng được", dir.display()))?;
    let starting = loaded
        .targets
        .iter()
        .filter(|t| t.placeholder.is_some())
        .count();
    let checklist = CHECKLIST
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{thu_muc}", &dir.display().to_string())
        .replace("{quy_trinh}", &quoted(&pipeline))
        .replace("{ky}", &period)
        .replace("{so_chi_tieu_mau}", &starting.to_string());
    Ok(InitOutcome {
        pipeline,
        identity: format!("{shown}, mã {}, {}", unit.code, unit.province_name),
        checklist: checklist.trim().to_string() + "\n",
    })
}

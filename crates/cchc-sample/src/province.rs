//! The sample of a province after the 2025 reform: the submissions (`indicators.json`) of a
//! dozen communes of Thành phố Hồ Chí Minh, each made by running the shipped commune pipeline
//! (`pipelines/xa-hoc-mon/`, its units' names as the commune sample writes them, with the
//! commune's name and official code) on that commune's generated exports — the figures are computed, never
//! typed. One commune sends its 2025-Q3 file instead of 2025-Q4's (refused by `cchc
//! consolidate`); the province's other communes send none (missing). The exports are written
//! under `<out>/.du-lieu/` while the pipeline runs, then removed: the submissions name them
//! with their sha256, and the seed writes them again.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use cchc::localities::OfficialList;
use cchc::pipeline::{self, Outputs, RunRequest};

/// The province of the sample.
pub const PROVINCE: &str = "79";
/// The period the submissions are for.
pub const PERIOD: &str = "2025-Q4";
/// How many communes send a submission.
pub const COMMUNES: usize = 12;

/// Writes `<out>/<code>/indicators.json` for the sample's communes; returns the files written.
pub fn generate(out: &Path, seed: u64) -> Result<Vec<PathBuf>> {
    let list = OfficialList::shipped();
    // Every fourth commune (Xã) of the province, so the sample spreads over the list.
    let communes: Vec<_> = list
        .of_province(PROVINCE)
        .filter(|u| u.kind == "Xã")
        .step_by(4)
        .take(COMMUNES)
        .collect();
    let work = out.join(".du-lieu");
    let _ = std::fs::remove_dir_all(&work);
    let pipeline_dir = work.join("quy-trinh");
    write_shipped_commune(&pipeline_dir)?;
    let template = std::fs::read_to_string(pipeline_dir.join("quarterly.toml"))?;
    let mut written = Vec::new();
    for (i, unit) in communes.iter().enumerate() {
        let exports = work.join(&unit.code);
        super::commune::generate(&exports, seed.wrapping_add(i as u64))?;
        let text = template
            .replace(
                "locality = \"Xã Hóc Môn\"",
                &format!("locality = \"{}\"", unit.full_name),
            )
            .replace(
                "locality_code = \"27559\"",
                &format!("locality_code = \"{}\"", unit.code),
            );
        let pipeline = pipeline_dir.join(format!("quarterly-{}.toml", unit.code));
        std::fs::write(&pipeline, text)?;
        // The last commune sends the quarter before's file by mistake.
        let period = if i + 1 == communes.len() {
            "2025-Q3"
        } else {
            PERIOD
        };
        let report = pipeline::run(&RunRequest {
            pipeline,
            period: Some(period.to_string()),
            inputs: vec![exports],
            out: None,
            outputs: Outputs::Nothing,
            progress: false,
            store: None,
            all_stored: false,
        })
        .with_context(|| format!("chạy quy trình mẫu của {}", unit.full_name))?;
        let file = out.join(&unit.code).join("indicators.json");
        std::fs::create_dir_all(file.parent().expect("a folder"))?;
        std::fs::write(&file, &report.indicators_json)?;
        written.push(file);
    }
    std::fs::remove_dir_all(&work)?;
    Ok(written)
}

/// The shipped commune pipeline's files (`pipelines/xa-hoc-mon/`) and the shared ones beside
/// them: its placeholders are expanded with xã Hóc Môn's identity, because the generated exports
/// of every commune of the sample name xã Hóc Môn's units.
const SHIPPED_COMMUNE_FILES: &[(&str, &str)] = &[
    (
        "quarterly.toml",
        include_str!("../../../pipelines/xa-hoc-mon/quarterly.toml"),
    ),
    (
        "units.toml",
        include_str!("../../../pipelines/xa-hoc-mon/units.toml"),
    ),
    (
        "targets.toml",
        include_str!("../../../pipelines/xa-hoc-mon/targets.toml"),
    ),
    (
        "self-report.toml",
        include_str!("../../../pipelines/xa-hoc-mon/self-report.toml"),
    ),
    (
        "tasks.toml",
        include_str!("../../../pipelines/xa-hoc-mon/tasks.toml"),
    ),
    (
        "task-bodies.toml",
        include_str!("../../../pipelines/xa-hoc-mon/task-bodies.toml"),
    ),
];

fn write_shipped_commune(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir.join("templates"))?;
    let hoc_mon = cchc::identity::Identity::new("Xã Hóc Môn", Some("27559"));
    for (name, text) in cchc::kinds::shipped_files() {
        let text = match SHIPPED_COMMUNE_FILES.iter().find(|(n, _)| *n == name) {
            Some((_, own)) => hoc_mon
                .expand(own, Path::new(name))?
                .replace("\"../../fixtures/sample-xa-hoc-mon\"", "\"du-lieu\"")
                .replace("\"../../templates\"", "\"templates\"")
                .replace("\"../", "\""),
            None => text.to_string(),
        };
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

//! The commands of the binary, each thin: arguments → one library call → printed result.

pub mod cli;

use std::path::Path;

use anyhow::{bail, Context, Result};

pub use cli::Cli;
use cli::{Command, Format, RunArgs, SampleArgs};

use crate::pipeline::{self, Outputs, RunRequest};
use crate::summary;

fn request(args: &RunArgs, outputs: Outputs) -> RunRequest {
    let default_store = || {
        args.pipeline
            .parent()
            .unwrap_or(Path::new("."))
            .join("store")
    };
    RunRequest {
        pipeline: args.pipeline.clone(),
        period: args.period.clone(),
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        outputs,
        progress: !args.quiet,
        store: if args.no_store {
            None
        } else {
            Some(args.store.clone().unwrap_or_else(default_store))
        },
        all_stored: args.all_stored,
    }
}

/// Runs one command.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => {
            let outcome = pipeline::run_or_reuse(&request(&args.run, Outputs::All), args.force)?;
            if outcome.reused {
                emit(&format!("{}\n", summary::REUSED))?;
            }
            emit(&outcome.summary)?;
        }
        Command::Check(args) => {
            // Checking a set of files leaves the store alone unless one is named.
            let mut req = request(&args, Outputs::QualityOnly);
            if args.store.is_none() {
                req.store = None;
            }
            let reports = pipeline::run_periods(&req)?;
            emit(&summary::runs_summary(&reports))?;
        }
        Command::Ingest(args) => {
            let req = request(&args, Outputs::Nothing);
            let (read, held) = pipeline::ingest_only(&req)?;
            let store = req.store.unwrap_or_default();
            emit(&format!(
                "Đã đọc {read} tệp mới hoặc đã đổi; kho dữ liệu {} giữ {held} tệp.\n",
                store.display()
            ))?;
        }
        Command::Indicators(args) => {
            for report in pipeline::run_periods(&request(&args.run, Outputs::Nothing))? {
                match args.format {
                    Format::Table => emit(&summary::figures_table(&report))?,
                    Format::Json => emit(&String::from_utf8_lossy(&report.indicators_json))?,
                }
            }
        }
        Command::Sample(args) => sample(&args)?,
        Command::Forms(args) => {
            let pipeline = crate::config::load(&args.pipeline).with_context(|| {
                format!("không dùng được tệp quy trình {}", args.pipeline.display())
            })?;
            let id = args
                .period
                .clone()
                .unwrap_or_else(|| pipeline.period.clone());
            let period = crate::forms::form_period(&pipeline, &id)?;
            let written = crate::forms::write_all(&pipeline, &period, &args.out)?;
            for warning in &written.warnings {
                emit(&format!("  lưu ý: {warning}\n"))?;
            }
            emit(&format!(
                "Đã ghi {} biểu mẫu báo cáo kỳ {} vào {}\n",
                written.files.len(),
                period.id,
                crate::forms::folder(&args.out, &period).display()
            ))?;
        }
        Command::Alerts(args) => {
            let as_of = match &args.as_of {
                Some(t) => Some(
                    chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                        anyhow::anyhow!(
                            "--as-of «{t}» không phải ngày dạng năm-tháng-ngày; ví dụ: --as-of 2024-03-11"
                        )
                    })?,
                ),
                None => None,
            };
            let default_store = args
                .pipeline
                .parent()
                .unwrap_or(Path::new("."))
                .join("store");
            let report = crate::alerts::run::run(&crate::alerts::run::AlertRequest {
                pipeline: args.pipeline.clone(),
                as_of,
                days: args.days,
                inputs: args.inputs.clone(),
                store: if args.no_store {
                    None
                } else {
                    Some(args.store.clone().unwrap_or(default_store))
                },
                all_stored: args.all_stored,
                out: args.out.clone(),
                progress: !args.quiet,
            })?;
            emit(&report.summary)?;
        }
        Command::Consolidate(args) => {
            let request = crate::consolidate::Request {
                province: args.province,
                period: args.period,
                inputs: args.inputs,
                out: args.out,
                config: args.config,
                templates: args.templates,
            };
            let outcome = crate::consolidate::run(&request)?;
            emit(&crate::consolidate::render::summary(
                &outcome,
                request.templates.as_deref(),
            )?)?;
        }
        Command::Init(args) => {
            init(&args.dir, args.locality == cli::Locality::Xa)?;
            emit(&format!("Đã tạo quy trình mới trong {}; sửa {}/quarterly.toml rồi chạy: cchc run {}/quarterly.toml\n", args.dir.display(), args.dir.display(), args.dir.display()))?;
        }
    }
    Ok(())
}

/// Writes to standard output, control characters shown as «�» ([`crate::text::for_terminal`]);
/// a reader that stopped reading (`cchc … | head`) is not an error.
/// `cchc sample`: the generator is its own program (`cchc-sample`, the workspace's
/// `crates/cchc-sample`), so the product does not carry it; this runs the one beside `cchc`.
fn sample(args: &SampleArgs) -> Result<()> {
    use clap::ValueEnum;
    let exe =
        std::env::current_exe().context("không xác định được vị trí của chương trình cchc")?;
    let name = format!("cchc-sample{}", std::env::consts::EXE_SUFFIX);
    let generator = exe.with_file_name(&name);
    if !generator.is_file() {
        bail!(
            "không có chương trình tạo dữ liệu mẫu {} bên cạnh cchc: từ thư mục mã nguồn, chạy `cargo build` (tạo cả hai chương trình) hoặc `cargo run -p cchc-sample -- --out THƯ_MỤC`",
            generator.display()
        );
    }
    let scale = args
        .scale
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let mut command = std::process::Command::new(&generator);
    command
        .arg("--out")
        .arg(&args.out)
        .args(["--seed", &args.seed.to_string(), "--scale", &scale]);
    if args.xls_via_soffice {
        command.arg("--xls-via-soffice");
    }
    let status = command
        .status()
        .with_context(|| format!("không chạy được {}", generator.display()))?;
    if !status.success() {
        bail!(
            "{} dừng lại với lỗi (xem thông báo ở trên)",
            generator.display()
        );
    }
    Ok(())
}

fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout()
        .lock()
        .write_all(crate::text::for_terminal(text).as_bytes())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("không ghi được ra màn hình"),
    }
}

/// The shipped commune's code line, and what a new commune's pipeline has instead: an empty
/// code for the commune to fill in (the comment above it says where to find it).
const COMMUNE_CODE_LINE: &str = "locality_code = \"27559\"";
const COMMUNE_CODE_TO_FILL: &str = "locality_code = \"\"";

/// Writes the default configuration into a new folder, refusing to overwrite anything: a
/// district's (two levels of units), or with `commune` a commune's (one level, the words of a
/// commune), from `pipelines/xa-hoc-mon/`.
pub fn init(dir: &Path, commune: bool) -> Result<()> {
    for (name, _) in crate::config::DEFAULT_FILES {
        if dir.join(name).exists() {
            bail!("{} đã có; không ghi đè", dir.join(name).display());
        }
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    for (name, text) in crate::config::DEFAULT_FILES {
        let own = crate::config::COMMUNE_FILES
            .iter()
            .find(|(n, _)| commune && n == name)
            .map(|(_, t)| *t);
        let text = match (own, *name == "quarterly.toml") {
            // The commune's files name the shared ones beside the district's: here they are side by side.
            (Some(t), _) => t
                .replace(COMMUNE_CODE_LINE, COMMUNE_CODE_TO_FILL)
                .replace("\"../../fixtures/sample-xa-hoc-mon\"", "\"du-lieu\"")
                .replace("\"../../templates\"", "\"templates\"")
                .replace("\"../", "\""),
            (None, true) => text
                .replace("path = \"../fixtures/sample\"", "path = \"du-lieu\"")
                .replace("templates = \"../templates\"", "templates = \"templates\""),
            (None, false) => text.to_string(),
        };
        std::fs::write(dir.join(name), text)
            .with_context(|| format!("không ghi được {}", dir.join(name).display()))?;
    }
    std::fs::create_dir_all(dir.join("du-lieu"))?;
    let annexes = dir.join("templates").join("annexes");
    std::fs::create_dir_all(&annexes)?;
    for (name, text) in crate::render::annex::template::DEFAULT_FILES {
        std::fs::write(annexes.join(name), text)
            .with_context(|| format!("không ghi được {}", annexes.join(name).display()))?;
    }
    Ok(())
}

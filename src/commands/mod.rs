//! The commands of the binary, each thin: arguments → one library call → printed result.

pub mod cli;
pub mod init;
pub mod plan;

use std::path::Path;

use anyhow::{Context, Result};

pub use cli::Cli;
use cli::{Command, Format, RunArgs, SampleArgs};
pub use init::{init, InitOptions};

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
    let Some(command) = cli.command else {
        return emit(&quick_start());
    };
    match command {
        Command::Run(args) => {
            emit(&heading(&args.run.pipeline))?;
            let outcome =
                crate::rerun::run_or_reuse(&request(&args.run, Outputs::All), args.force)?;
            if outcome.reused {
                emit(&format!("{}\n", summary::REUSED))?;
            }
            emit(&outcome.summary)?;
        }
        Command::Check(args) => {
            emit(&heading(&args.pipeline))?;
            // Checking a set of files leaves the store alone unless one is named.
            let mut req = request(&args, Outputs::QualityOnly);
            if args.store.is_none() {
                req.store = None;
            }
            let reports = pipeline::run_periods(&req)?;
            emit(&summary::runs_summary(&reports))?;
        }
        Command::Ingest(args) => {
            emit(&heading(&args.pipeline))?;
            let req = request(&args, Outputs::Nothing);
            let (read, held) = pipeline::ingest_only(&req)?;
            let store = req.store.unwrap_or_default();
            emit(&format!(
                "Đã đọc {read} tệp mới hoặc đã đổi; kho dữ liệu {} giữ {held} tệp.\n",
                store.display()
            ))?;
        }
        Command::Indicators(args) => {
            match args.format {
                // The JSON is the whole of standard output: the heading goes to the terminal.
                Format::Json => eprint!(
                    "{}",
                    crate::text::for_terminal(&heading(&args.run.pipeline))
                ),
                Format::Table => emit(&heading(&args.run.pipeline))?,
            }
            for report in pipeline::run_periods(&request(&args.run, Outputs::Nothing))? {
                match args.format {
                    Format::Table => emit(&summary::figures_table(&report))?,
                    Format::Json => emit(&String::from_utf8_lossy(&report.indicators_json))?,
                }
            }
        }
        Command::Sample(args) => sample(&args)?,
        Command::Forms(args) => {
            emit(&heading(&args.pipeline))?;
            let pipeline = crate::kinds::load_pipeline(&args.pipeline).with_context(|| {
                format!("không dùng được tệp quy trình {}", args.pipeline.display())
            })?;
            let id = args
                .period
                .clone()
                .unwrap_or_else(|| pipeline.period.clone());
            let period = crate::forms::form_period(&pipeline, &id)?;
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| args.pipeline.parent().unwrap_or(Path::new("")).join("out"));
            let written = crate::forms::write_all(&pipeline, &period, &out, args.force)?;
            for warning in &written.warnings {
                emit(&format!("  lưu ý: {warning}\n"))?;
            }
            emit(&format!(
                "Đã ghi {} biểu mẫu báo cáo kỳ {} vào {}\n",
                written.files.len(),
                period.id,
                init::quoted(&written.folder)
            ))?;
        }
        Command::Alerts(args) => {
            emit(&heading(&args.pipeline))?;
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
        Command::Scorecard(args) => {
            emit(&heading(&args.pipeline))?;
            let default_store = args
                .pipeline
                .parent()
                .unwrap_or(Path::new("."))
                .join("store");
            let report = crate::scorecard::run::run(&crate::scorecard::run::ScorecardRequest {
                pipeline: args.pipeline.clone(),
                periods: args.period.clone(),
                inputs: args.inputs.clone(),
                store: if args.no_store {
                    None
                } else {
                    Some(args.store.clone().unwrap_or(default_store))
                },
                portal: args.portal.clone(),
                out: args.out.clone(),
                progress: !args.quiet,
                lost_limit: true,
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
        Command::Plan(cli::PlanCommand::Import(args)) => {
            emit(&plan::import(&args)?)?;
        }
        Command::Init(args) => {
            let outcome = init(
                &args.dir,
                &InitOptions {
                    commune: args.locality == cli::Locality::Xa,
                    code: args.code,
                    name: args.name,
                    period: args.period,
                },
            )?;
            if outcome.identity.is_empty() {
                emit(&format!(
                    "Đã tạo quy trình mới trong {}; sửa {} rồi chạy: cchc run {}\n",
                    init::quoted(&args.dir),
                    init::quoted(&outcome.pipeline),
                    init::quoted(&outcome.pipeline)
                ))?;
            } else {
                emit(&format!(
                    "Đã tạo quy trình của {} trong {}.\n{}",
                    outcome.identity,
                    init::quoted(&args.dir),
                    outcome.checklist
                ))?;
            }
        }
    }
    Ok(())
}

/// The steps of a commune's report, in Vietnamese, printed by `cchc` with no command; the README
/// opens with the same steps.
pub fn quick_start() -> String {
    QUICK_START
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

const QUICK_START: &str = include_str!("../../templates/bat-dau.txt");

/// The first line of a command that works for a pipeline: the pipeline file, quoted, and the
/// locality it is for (with its official code); the file alone when it cannot be read (the
/// command then says why).
fn heading(pipeline: &Path) -> String {
    let file = crate::kinds::read_pipeline_file(pipeline)
        .ok()
        .map(|(f, _)| f);
    match file {
        Some(f) => match f.locality_code.as_deref().map(str::trim) {
            Some(code) if !code.is_empty() => format!(
                "Quy trình {} — {} (mã {code})\n",
                init::quoted(pipeline),
                f.district
            ),
            _ => format!("Quy trình {} — {}\n", init::quoted(pipeline), f.district),
        },
        None => format!("Quy trình {}\n", init::quoted(pipeline)),
    }
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
        anyhow::bail!(
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
    if let Some(code) = &args.code {
        command.args(["--code", code]);
    }
    let status = command
        .status()
        .with_context(|| format!("không chạy được {}", generator.display()))?;
    if !status.success() {
        anyhow::bail!(
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

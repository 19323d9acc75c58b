//! The commands of the binary, each thin: arguments → one library call → printed result.

pub mod cli;

use std::path::Path;

use anyhow::{bail, Context, Result};

pub use cli::Cli;
use cli::{Command, Format, RunArgs, SampleScale};

use crate::pipeline::{self, Outputs, RunRequest};
use crate::summary;

fn request(args: &RunArgs, outputs: Outputs) -> RunRequest {
    RunRequest {
        pipeline: args.pipeline.clone(),
        period: args.period.clone(),
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        outputs,
        progress: !args.quiet,
    }
}

/// Runs one command.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => {
            let report = pipeline::run(&request(&args, Outputs::All))?;
            print!("{}", summary::run_summary(&report));
        }
        Command::Check(args) => {
            let report = pipeline::run(&request(&args, Outputs::QualityOnly))?;
            print!("{}", summary::run_summary(&report));
        }
        Command::Indicators(args) => {
            let report = pipeline::run(&request(&args.run, Outputs::Nothing))?;
            match args.format {
                Format::Table => print!("{}", summary::figures_table(&report)),
                Format::Json => print!("{}", String::from_utf8_lossy(&report.indicators_json)),
            }
        }
        Command::Sample(args) => {
            let summary = crate::sample::generate(&crate::sample::SampleOptions {
                out_dir: args.out.clone(),
                seed: args.seed,
                scale: match args.scale {
                    SampleScale::Sample => crate::sample::Scale::Sample,
                    SampleScale::Quarter => crate::sample::Scale::Quarter,
                    SampleScale::TwoYears => crate::sample::Scale::TwoYears,
                    SampleScale::CityYear => crate::sample::Scale::CityYear,
                },
                xls_via_soffice: args.xls_via_soffice,
            })?;
            println!(
                "Đã ghi {} tệp, {} hồ sơ, {} dòng vào {}",
                summary.files.len(),
                summary.dossiers,
                summary.rows,
                args.out.display()
            );
            for (file, unit) in &summary.file_units {
                println!("  tệp không có cột đơn vị: {} → {unit}", file.display());
            }
            for note in &summary.notes {
                println!("  lưu ý: {note}");
            }
        }
        Command::Init(args) => {
            init(&args.dir)?;
            println!("Đã tạo quy trình mới trong {}; sửa {}/quarterly.toml rồi chạy: cchc run {}/quarterly.toml", args.dir.display(), args.dir.display(), args.dir.display());
        }
    }
    Ok(())
}

/// Writes the default configuration into a new folder, refusing to overwrite anything.
pub fn init(dir: &Path) -> Result<()> {
    for (name, _) in crate::config::DEFAULT_FILES {
        if dir.join(name).exists() {
            bail!("{} đã có; không ghi đè", dir.join(name).display());
        }
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    for (name, text) in crate::config::DEFAULT_FILES {
        let text = if *name == "quarterly.toml" {
            text.replace("path = \"../fixtures/sample\"", "path = \"du-lieu\"")
                .replace("templates = \"../templates\"", "templates = \"templates\"")
        } else {
            text.to_string()
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

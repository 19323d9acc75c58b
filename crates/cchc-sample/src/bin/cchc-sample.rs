//! `cchc-sample`: writes the seeded sample exports (`cchc sample` runs this program). A thin
//! command: the arguments are `cchc sample`'s own, the work is [`cchc_sample::generate`].

use std::process::ExitCode;

use clap::Parser;

use cchc::commands::cli::{SampleArgs, SampleScale};
use cchc_sample::{generate, SampleOptions, Scale};

/// Tạo dữ liệu mẫu (tệp xuất, đánh giá, PAKN, biểu mẫu đơn vị) để thử và đo cchc.
#[derive(Debug, Parser)]
#[command(name = "cchc-sample", version)]
struct Cli {
    #[command(flatten)]
    args: SampleArgs,
}

fn run(args: &SampleArgs) -> anyhow::Result<()> {
    if let Some(code) = &args.code {
        if !matches!(args.scale, SampleScale::Commune) {
            anyhow::bail!("--code chỉ dùng với --scale commune");
        }
        let unit = cchc::localities::OfficialList::shipped().check_code(code, code)?;
        let who = cchc::identity::Identity::new(&unit.full_name, Some(&unit.code));
        let files = cchc_sample::commune::generate_for(&args.out, args.seed, &who)?;
        println!(
            "Đã ghi {} tệp xuất mẫu của {} vào {}",
            files.len(),
            unit.full_name,
            cchc::commands::init::quoted(&args.out)
        );
        return Ok(());
    }
    let summary = generate(&SampleOptions {
        out_dir: args.out.clone(),
        seed: args.seed,
        scale: match args.scale {
            SampleScale::Sample => Scale::Sample,
            SampleScale::Quarter => Scale::Quarter,
            SampleScale::TwoYears => Scale::TwoYears,
            SampleScale::CityYear => Scale::CityYear,
            SampleScale::Commune => Scale::Commune,
            SampleScale::Province => Scale::Province,
        },
        xls_via_soffice: args.xls_via_soffice,
    })?;
    println!(
        "Đã ghi {} tệp, {} dòng dữ liệu ({} hồ sơ khác nhau: một hồ sơ có thể có mặt ở nhiều \
         tệp, nhiều dòng) vào {}",
        cchc::vn::int(summary.files.len() as u64),
        cchc::vn::int(summary.rows as u64),
        cchc::vn::int(summary.dossiers as u64),
        args.out.display()
    );
    for (file, unit) in &summary.file_units {
        println!("  tệp không có cột đơn vị: {} → {unit}", file.display());
    }
    for note in &summary.notes {
        println!("  lưu ý: {note}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli.args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let shown = |m: String| cchc::text::for_terminal(&m).into_owned();
            eprintln!("Lỗi: {}", shown(e.to_string()));
            for cause in e.chain().skip(1) {
                eprintln!("  Nguyên nhân: {}", shown(cause.to_string()));
            }
            ExitCode::FAILURE
        }
    }
}

//! The `cchc` binary: parse arguments, run one command, print errors with their causes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cchc::commands::Cli::parse();
    match cchc::commands::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  Nguyên nhân: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

//! The `cchc` binary: parse arguments, run one command, print errors with their causes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cchc::memory::keep_freed_blocks();
    let cli = cchc::commands::Cli::parse();
    match cchc::commands::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote file names and cells: no control character reaches the terminal.
            let shown = |m: String| cchc::text::for_terminal(&m).into_owned();
            eprintln!("Lỗi: {}", shown(e.to_string()));
            for cause in e.chain().skip(1) {
                eprintln!("  Nguyên nhân: {}", shown(cause.to_string()));
            }
            ExitCode::FAILURE
        }
    }
}

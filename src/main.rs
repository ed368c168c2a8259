//! The `specops` binary: parse the command line, run, and turn the outcome into an exit code.
use clap::Parser;

fn main() -> std::process::ExitCode {
    specops::exit::install_panic_hook();
    let cli = specops::cli::Cli::parse();
    specops::run(cli).into()
}

//! The `specops` binary: parse the command line, run, and turn the outcome into an exit code.
use clap::Parser;

fn main() -> std::process::ExitCode {
    specops::exit::install_panic_hook();
    match specops::cli::Cli::try_parse() {
        Ok(cli) => specops::run(cli).into(),
        Err(err) => specops::exit::usage_error(&err),
    }
}

//! `specops completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::report::Output;

/// Print the completion script for the shell asked for.
pub(crate) fn run(global: &Output, args: &CompletionsArgs) -> Result<Outcome> {
    if global.json {
        return Err(Error::usage(
            "--json does not apply to `completions`: it prints a shell script",
            "drop --json, e.g. `specops completions bash > specops.bash`",
        )
        .into());
    }
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "specops", &mut out);
    crate::report::print_bytes(&out)?;
    Ok(Outcome::Success)
}

//! `specops config schema`: the JSON Schema of `.specops/config.yaml`.

use crate::cli::ConfigCommand;
use crate::error::Result;
use crate::exit::Outcome;
use crate::report::Output;

/// Run `specops config …`. The schema is JSON already, so `--json` prints it as it is.
pub(crate) fn run(_global: &Output, cmd: &ConfigCommand) -> Result<Outcome> {
    match cmd {
        ConfigCommand::Schema => {
            crate::report::print_bytes(crate::config::schema_text().as_bytes())?
        }
    }
    Ok(Outcome::Success)
}

//! `specops lsp`: serve the editor on stdio until it exits.

use crate::cli::LspArgs;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::report::Output;

/// Run `specops lsp`.
pub(crate) fn run(_global: &Output, _args: &LspArgs) -> Result<Outcome> {
    let cwd = std::env::current_dir().map_err(|e| {
        Error::environment(
            format!("cannot read the current directory: {e}"),
            "start the server in an existing folder",
        )
    })?;
    Ok(crate::lsp::serve(&cwd))
}

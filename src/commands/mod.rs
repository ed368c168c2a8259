//! One module per command. Each is thin: resolve inputs, call the library, hand a report to
//! [`crate::report`].

pub mod check;
pub mod completions;
pub mod hook;
pub mod init;
pub mod list;
pub mod man;
pub mod plan;
pub mod specify;
pub mod tasks;

use crate::error::{Error, ErrorKind};

/// The error of a command that is part of the product but not built yet.
pub(crate) fn not_built(command: &str) -> anyhow::Error {
    Error::new(
        ErrorKind::NotBuilt,
        format!("`specops {command}` is not built yet in this version"),
        "see the README for the commands that work today",
    )
    .into()
}

//! `specops tasks`.

use crate::cli::{GlobalArgs, TasksArgs};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops tasks`.
pub fn run(_global: &GlobalArgs, _args: &TasksArgs) -> Result<Outcome> {
    Err(super::not_built("tasks"))
}

//! `specops list`.

use crate::cli::{GlobalArgs, ListArgs};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops list`.
pub fn run(_global: &GlobalArgs, _args: &ListArgs) -> Result<Outcome> {
    Err(super::not_built("list"))
}

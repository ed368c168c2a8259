//! `specops specify`.

use crate::cli::{GlobalArgs, SpecifyArgs};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops specify`.
pub fn run(_global: &GlobalArgs, _args: &SpecifyArgs) -> Result<Outcome> {
    Err(super::not_built("specify"))
}

//! `specops check`.

use crate::cli::{CheckArgs, GlobalArgs};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops check`.
pub fn run(_global: &GlobalArgs, _args: &CheckArgs) -> Result<Outcome> {
    Err(super::not_built("check"))
}

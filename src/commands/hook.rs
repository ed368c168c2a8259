//! `specops hook`.

use crate::cli::{GlobalArgs, HookCommand};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops hook …`.
pub fn run(_global: &GlobalArgs, _cmd: &HookCommand) -> Result<Outcome> {
    Err(super::not_built("hook"))
}

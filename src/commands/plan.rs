//! `specops plan`.

use crate::cli::{GlobalArgs, PlanArgs};
use crate::error::Result;
use crate::exit::Outcome;

/// Run `specops plan`.
pub fn run(_global: &GlobalArgs, _args: &PlanArgs) -> Result<Outcome> {
    Err(super::not_built("plan"))
}

//! One module per command. Each is thin: resolve inputs, call the library, hand a report to
//! [`crate::report`].

pub(crate) mod blockers;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod done;
pub(crate) mod hook;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod lsp;
pub(crate) mod man;
pub(crate) mod next;
pub(crate) mod plan;
pub(crate) mod refresh;
pub(crate) mod rule;
pub(crate) mod specify;
pub(crate) mod tasks;
pub(crate) mod trace;
pub(crate) mod upgrade;

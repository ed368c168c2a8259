//! One module per command. Each is thin: resolve inputs, call the library, hand a report to
//! [`crate::report`].

pub mod check;
pub mod completions;
pub mod hook;
pub mod init;
pub mod list;
pub mod man;
pub mod plan;
pub mod refresh;
pub mod specify;
pub mod tasks;

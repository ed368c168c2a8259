//! Integration tests: the real `specops` binary run in temporary folders and repositories.
//! One test binary (one link step); one module per command.

mod support;

mod adoption;
mod agreement;
mod bad_input;
mod check;
mod citations;
mod errors;
mod global;
mod hook;
mod hostile;
mod init;
mod list;
mod lsp;
mod next;
mod plan;
mod quickstart;
mod reliability;
mod resolve;
mod rule;
mod specify;
mod tasks;
mod teams;
mod templates;
mod trace;

//! `specops lsp`: a Language Server Protocol server on stdin and stdout, so an editor shows the
//! findings of `check` while a document is written and navigates the requirement graph.
//!
//! One thread runs the server ([`server::Server`]); [`transport`] reads and writes the framed
//! messages on two more. Documents the editor has open are held in memory and edited
//! incrementally; the linter ([`crate::lint::engine`]) is handed an open document's text and
//! reads the rest of its feature from the open documents first, then from disk, so a change to
//! a spec shows at once in the open task list. Findings are published after every batch of
//! messages the client has sent, so a burst of keystrokes is linted once.
//!
//! [`position`] converts positions (UTF-8 or UTF-16 columns, negotiated at `initialize`),
//! [`navigation`] answers definition, references and hover for requirement and task IDs,
//! [`symbols`] gives a document's outline and [`actions`] its code actions.

mod actions;
mod diagnostics;
mod navigation;
mod position;
mod server;
mod symbols;
mod transport;

use std::path::Path;

use crate::exit::Outcome;

/// Serve one client on stdio until it exits or goes away. `start` is where the workspace is
/// looked for when the client names no root.
pub(crate) fn serve(start: &Path) -> Outcome {
    let transport = transport::stdio();
    let outcome = server::run(&transport, start);
    let transport::Transport { sender, writer, .. } = transport;
    drop(sender);
    // Everything sent is written before the process ends (or the client is gone).
    let _ = writer.join();
    outcome
}

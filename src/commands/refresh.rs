//! `plan --refresh` and `tasks --refresh`: after a plan (or task list) was brought up to date by
//! hand, re-record in it the fingerprint of what it was derived from, so `specops check` stops
//! reporting it stale (SO008). Nothing but the fingerprint line changes.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::docs::{self, fingerprint};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::fsx::{self, FileStatus};
use crate::report::{self, escaped, Output, Report};
use crate::workspace::Workspace;

/// What a refresh did.
#[derive(Debug, Serialize)]
pub(crate) struct RefreshReport {
    /// The document whose fingerprint was re-recorded, relative to the root.
    pub file: String,
    /// The document it fingerprints, relative to the root.
    pub source: String,
    /// False when the recorded fingerprint was already current.
    pub refreshed: bool,
}

/// Re-record `comment` (the fingerprint of kind `kind`, `spec` or `plan`, of `source`) in
/// `target`; `again` is the command that creates `target` when it does not exist.
pub(crate) fn run(
    global: &Output,
    ws: &Workspace,
    target: &Path,
    kind: &str,
    comment: &str,
    source: &Path,
    again: &str,
) -> Result<Outcome> {
    let shown = ws.display(target);
    ws.ensure_inside(target)?;
    let Some(text) = docs::read_as_written(target, &shown)? else {
        return Err(Error::input(
            format!("{shown} does not exist, so there is no fingerprint to refresh"),
            format!("run `{again}` to derive it"),
        )
        .into());
    };
    let updated = fingerprint::rewrite(&text, kind, comment);
    let refreshed = updated != text;
    if refreshed {
        fsx::write_atomic(target, updated.as_bytes())?;
    }
    report::emit(
        global,
        &RefreshReport {
            file: shown,
            source: ws.display(source),
            refreshed,
        },
    )?;
    Ok(Outcome::Success)
}

impl Report for RefreshReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let status = if self.refreshed {
            FileStatus::Overwritten
        } else {
            FileStatus::Unchanged
        };
        let (label, st) = report::file_status(status);
        writeln!(
            out,
            "{}{label}{} {}: fingerprint of {} recorded; `specops check` compares with it from now on.",
            st.render(),
            st.render_reset(),
            escaped(&self.file),
            escaped(&self.source)
        )
    }
}

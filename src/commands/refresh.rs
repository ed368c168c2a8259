//! `plan --refresh` and `tasks --refresh`: after a plan (or task list) was brought up to date by
//! hand, re-record in it the fingerprint of what it was derived from, so `specops check` stops
//! reporting it stale (SO008), and say which changes that acknowledges. `plan --refresh` also
//! rewrites the requirement-text cells of the changed requirements' traceability rows, so the
//! plan never keeps an old requirement's words; nothing else changes.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::docs::{self};
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
    /// The changes the new fingerprint acknowledges: requirement IDs for a plan, sections and
    /// modules of the plan for a task list.
    pub acknowledged: Vec<Acknowledged>,
    /// Requirements whose text was rewritten in the plan's traceability table.
    pub rewritten: Vec<String>,
}

pub(crate) use crate::derive::refresh::{Acknowledged, Refreshed};

/// Refresh `target` with `update` (from its current text, the refreshed text and what that
/// acknowledges); `source` is the document it fingerprints, `again` the command that creates
/// `target` when it does not exist.
pub(crate) fn run(
    global: &Output,
    ws: &Workspace,
    target: &Path,
    source: &Path,
    again: &str,
    update: &dyn Fn(&str) -> Refreshed,
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
    let updated = update(&text);
    let refreshed = updated.text != text;
    if refreshed {
        fsx::write_atomic(target, updated.text.as_bytes())?;
    }
    report::emit(
        global,
        &RefreshReport {
            file: shown,
            source: ws.display(source),
            refreshed,
            acknowledged: updated.acknowledged,
            rewritten: updated.rewritten,
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
        )?;
        let acknowledged = docs::trace::describe_changes(
            self.acknowledged
                .iter()
                .map(|a| (a.change, a.name.as_str())),
        );
        if !acknowledged.is_empty() {
            writeln!(out, "Acknowledged: {}.", escaped(&acknowledged))?;
        }
        if !self.rewritten.is_empty() {
            writeln!(
                out,
                "Rewrote the traceability text of {} from the spec.",
                escaped(&self.rewritten.join(", "))
            )?;
        }
        Ok(())
    }
}

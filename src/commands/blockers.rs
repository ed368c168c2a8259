//! What `plan` and `tasks` refuse on: the open items of the document they derive from, found by
//! the same rules `check` runs (SO001, SO002, SO009), so the commands and the linter never
//! disagree about whether a document is ready.

use std::io::{self, Write};

use serde::Serialize;

use crate::error::Result;
use crate::exit::Outcome;
use crate::lint::{self, kinds::Kind, Diagnostic};
use crate::markdown;
use crate::report::{self, escaped, Output, Report};

/// Why a command refused: the documents it derives from are not ready.
#[derive(Debug, Serialize)]
pub(crate) struct Blocked {
    pub feature_dir: String,
    pub blocked: bool,
    pub blockers: Vec<Blocker>,
    /// `plan` or `tasks`.
    #[serde(skip)]
    command: &'static str,
    /// The document that is not ready, for the summary line.
    #[serde(skip)]
    document: String,
    #[serde(skip)]
    hint: &'static str,
}

/// One open item, as file:line:column.
#[derive(Debug, Serialize)]
pub(crate) struct Blocker {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The name of the `check` rule that reports it, in snake case: `needs_clarification`,
    /// `unchecked_item`, `unjustified_gate`.
    pub kind: String,
    pub text: String,
}

/// The open items of one document, as blockers; `related` holds what the rules compare it
/// with (a plan's own parse, for its gates).
pub(crate) fn open_items(
    shown: &str,
    kind: Kind,
    md: &markdown::Document,
    related: &lint::Related,
) -> Vec<Blocker> {
    let doc = lint::Document::new(shown, Some(kind), md);
    lint::open_items(&doc, related)
        .into_iter()
        .map(blocker)
        .collect()
}

fn blocker(d: Diagnostic) -> Blocker {
    Blocker {
        kind: d.name.replace('-', "_"),
        text: d.subject.unwrap_or_else(|| d.message.to_string()),
        path: d.path.to_string(),
        line: d.line,
        column: d.column,
    }
}

/// What a refusal says: which command refused, on which document, and what to do.
pub(crate) struct Refusal {
    pub command: &'static str,
    /// What the command does, for the `--allow-open` warning: `planning`, `deriving tasks`.
    pub doing: &'static str,
    pub document: String,
    pub hint: &'static str,
}

/// Refuse when `blockers` is not empty and `allow_open` is not given (prints them and returns
/// `Some(Outcome::Problems)`); with `--allow-open`, warn that the command goes on over them.
pub(crate) fn gate(
    global: &Output,
    feature_dir: &str,
    blockers: Vec<Blocker>,
    allow_open: bool,
    refusal: Refusal,
) -> Result<Option<Outcome>> {
    if blockers.is_empty() {
        return Ok(None);
    }
    if allow_open {
        report::warn(
            global,
            &format!(
                "{} over {} open item(s) because of --allow-open; `specops check` will keep reporting them",
                refusal.doing,
                blockers.len()
            ),
        );
        return Ok(None);
    }
    let blocked = Blocked {
        feature_dir: feature_dir.to_string(),
        blocked: true,
        blockers,
        command: refusal.command,
        document: refusal.document,
        hint: refusal.hint,
    };
    if global.json {
        report::emit(global, &blocked)?;
    } else {
        let mut err = anstream::stderr().lock();
        crate::exit::written(blocked.human(&mut err))?;
    }
    Ok(Some(Outcome::Problems))
}

impl Report for Blocked {
    fn quiet_silences(&self) -> bool {
        false
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut counts = [0usize; 3];
        for b in &self.blockers {
            let (what, n) = match b.kind.as_str() {
                "needs_clarification" => ("needs clarification", 0),
                "unjustified_gate" => ("unjustified gate", 2),
                _ => ("unticked checklist item", 1),
            };
            counts[n] += 1;
            writeln!(
                out,
                "{}:{}:{}: {what}: {}",
                escaped(&b.path),
                b.line,
                b.column,
                escaped(&b.text)
            )?;
        }
        let parts: Vec<String> = [
            (counts[0], "clarification marker(s)"),
            (counts[1], "unticked checklist item(s)"),
            (counts[2], "unjustified gate(s)"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        writeln!(
            out,
            "{} refused: {} is not ready ({})",
            self.command,
            escaped(&self.document),
            parts.join(", ")
        )?;
        writeln!(out, "hint: {}", self.hint)
    }
}

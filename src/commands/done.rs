//! `specops done T005 [T006…]`: tick tasks in the current feature's tasks.md, atomically and
//! changing no other byte; an unknown or already-ticked ID writes nothing.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::DoneArgs;
use crate::commands::next::read_tasks;
use crate::docs::tasks::{tick, Tasks};
use crate::docset;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature;
use crate::markdown::Document;
use crate::report::{self, escaped, Output, Report};
use crate::workspace::Workspace;

/// What `done` ticked.
#[derive(Debug, Serialize)]
pub(crate) struct DoneReport {
    pub tasks_file: String,
    pub ticked: Vec<String>,
    pub done: usize,
    pub total: usize,
}

/// Run `specops done`.
pub(crate) fn run(global: &Output, args: &DoneArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let resolved = feature::resolve(&ws, args.feature.feature.as_deref())?;
    // Under the feature's lock: a `tasks` run cannot rewrite the list between read and write.
    let locked = docset::Locked::open(&resolved.dir, &ws.display(&resolved.dir))?;
    if let Some(note) = &locked.recovered {
        report::warn(global, note);
    }
    let file = read_tasks(&ws, &args.feature)?;
    let shown = file.shown;
    let mut ids: Vec<String> = Vec::new();
    for id in &args.ids {
        let id = id.trim().to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let ticked = tick(&file.text, &ids).map_err(|r| {
        let mut why = Vec::new();
        let list = |v: &[String]| escaped(&v.join(", ")).into_owned();
        if !r.unknown.is_empty() {
            why.push(format!(
                "no task {} in {}",
                list(&r.unknown),
                escaped(&shown)
            ));
        }
        if !r.already.is_empty() {
            why.push(format!("{} already ticked", list(&r.already)));
        }
        if !r.other.is_empty() {
            why.push(format!(
                "{} neither open nor done (another checkbox state)",
                list(&r.other)
            ));
        }
        if !r.ambiguous.is_empty() {
            why.push(format!("{} on more than one line", list(&r.ambiguous)));
        }
        Error::input(
            format!("nothing ticked: {}", why.join("; ")),
            "run `specops next` to see the open tasks; IDs look like T005",
        )
    })?;
    crate::fsx::write_atomic(&file.path, ticked.as_bytes())?;
    let (done, total) = Tasks::parse(&Document::parse(&ticked)).progress();
    let report = DoneReport {
        tasks_file: shown,
        ticked: ids,
        done,
        total,
    };
    // The tasks are ticked by now: an output that cannot be written must not read as if
    // nothing happened, or a retry would fail with "already ticked".
    report::emit(global, &report).map_err(|e| {
        Error::environment(
            format!(
                "{e}; {} ticked all the same in {}",
                escaped(&report.ticked.join(", ")),
                escaped(&report.tasks_file)
            ),
            "the tasks are done: see them with `specops next` rather than running done again",
        )
    })?;
    Ok(Outcome::Success)
}

impl Report for DoneReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "Ticked {} in {} ({} of {} tasks done).",
            escaped(&self.ticked.join(", ")),
            escaped(&self.tasks_file),
            self.done,
            self.total
        )
    }
}

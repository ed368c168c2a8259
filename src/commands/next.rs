//! `specops next`: the tasks of the current feature that can start now, for a person or an
//! assistant resuming work.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::NextArgs;
use crate::docs::tasks::{TaskLine, Tasks};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature;
use crate::layout;
use crate::markdown::Document;
use crate::report::{self, escaped, style, Output, Report};
use crate::workspace::Workspace;

/// What `next` found.
#[derive(Debug, Serialize)]
pub(crate) struct NextReport {
    pub feature_dir: String,
    pub tasks_file: String,
    pub done: usize,
    pub total: usize,
    /// The phase the ready tasks belong to, if the list has phases.
    pub phase: Option<String>,
    pub ready: Vec<Ready>,
    /// When nothing can start though tasks are open: each open task of the phase and the
    /// unticked tasks it waits for (a dependency cycle, or a wait on a task that never settles).
    pub stuck: Vec<Stuck>,
    /// Dependencies on tasks the list does not have (`T010 after T099`): not waited for, so
    /// said rather than dropped without a word (`check` reports them as SO005).
    pub ignored: Vec<Stuck>,
}

/// An open task that cannot start.
#[derive(Debug, Serialize)]
pub(crate) struct Stuck {
    pub id: String,
    pub waits_for: Vec<String>,
}

/// A task that can start now.
#[derive(Debug, Serialize)]
pub(crate) struct Ready {
    pub id: String,
    /// Its text after the ID.
    pub text: String,
    /// The file or folder it works in, when the line names one.
    pub path: Option<String>,
    pub phase: Option<String>,
    /// The requirement IDs it serves.
    pub requirements: Vec<String>,
    /// `[P]`: it can run beside the other ready `[P]` tasks.
    pub parallel: bool,
    /// `US1` of a `[US1]` tag: the deployment scenario it belongs to.
    pub story: Option<String>,
    pub line: usize,
}

/// Run `specops next`.
pub(crate) fn run(global: &Output, args: &NextArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let file = read_tasks(&ws, &args.feature)?;
    let tasks = Tasks::parse(&Document::parse(&file.text));
    let (done, total) = tasks.progress();
    let phase_of = |t: &TaskLine| t.phase.map(|p| tasks.phases[p].title.clone());
    let ready: Vec<Ready> = tasks
        .ready()
        .into_iter()
        .map(|t| Ready {
            id: t.id.clone(),
            text: t.text.clone(),
            path: t.path.clone(),
            phase: phase_of(t),
            requirements: served(t),
            parallel: t.parallel,
            story: t.story.clone(),
            line: t.line,
        })
        .collect();
    let stuck: Vec<Stuck> = if ready.is_empty() {
        tasks
            .open_in_first_phase()
            .into_iter()
            .map(|(t, waits)| Stuck {
                id: t.id.clone(),
                waits_for: waits.into_iter().map(str::to_string).collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let known: std::collections::HashSet<&str> =
        tasks.tasks.iter().map(|t| t.id.as_str()).collect();
    let ignored: Vec<Stuck> = tasks
        .after
        .iter()
        .filter_map(|(waiting, waited)| {
            let missing: Vec<String> = waited
                .iter()
                .filter(|w| !known.contains(w.as_str()))
                .cloned()
                .collect();
            (!missing.is_empty()).then(|| Stuck {
                id: waiting.clone(),
                waits_for: missing,
            })
        })
        .collect();
    let report = NextReport {
        feature_dir: file.feature_dir,
        tasks_file: file.shown,
        done,
        total,
        phase: ready.first().and_then(|r| r.phase.clone()),
        ready,
        stuck,
        ignored,
    };
    report::emit(global, &report)?;
    // Open tasks none of which can start: the list cannot go on as written.
    Ok(if report.stuck.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

/// The requirement IDs a task serves: its trailing IDs, else every ID it names.
pub(crate) fn served(t: &TaskLine) -> Vec<String> {
    if t.requirements.is_empty() {
        t.mentions.clone()
    } else {
        t.requirements.clone()
    }
}

/// A feature's task list as written.
pub(crate) struct TaskFile {
    /// The feature folder, as shown.
    pub feature_dir: String,
    pub path: std::path::PathBuf,
    pub shown: String,
    pub text: String,
}

/// The task list of the feature (and variant) `args` select.
pub(crate) fn read_tasks(ws: &Workspace, args: &crate::cli::FeatureArgs) -> Result<TaskFile> {
    let resolved = feature::resolve(ws, args.feature.as_deref())?;
    let dir = feature::plan_dir(&resolved, args.variant.as_deref())?;
    let path = dir.join(layout::TASKS);
    let shown = ws.display(&path);
    ws.ensure_inside(&path)?;
    let text = crate::docs::read_as_written(&path, &shown)?.ok_or_else(|| {
        let again = match &args.variant {
            Some(v) => format!(" --variant {v}"),
            None => String::new(),
        };
        Error::input(
            format!("{shown} does not exist"),
            format!("run `specops tasks{again}` to derive the task list first"),
        )
    })?;
    Ok(TaskFile {
        feature_dir: ws.display(&resolved.dir),
        path,
        shown,
        text,
    })
}

impl Report for NextReport {
    fn quiet_silences(&self) -> bool {
        false
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.total == 0 {
            return writeln!(out, "{} has no tasks.", escaped(&self.tasks_file));
        }
        if self.ready.is_empty() && self.done == self.total {
            return writeln!(
                out,
                "All {} tasks of {} are done.",
                self.total,
                escaped(&self.tasks_file)
            );
        }
        writeln!(
            out,
            "{}: {} of {} tasks done.{}",
            escaped(&self.tasks_file),
            self.done,
            self.total,
            self.phase
                .as_deref()
                .map(|p| format!(" Now: {}.", escaped(p)))
                .unwrap_or_default()
        )?;
        if !self.stuck.is_empty() {
            writeln!(
                out,
                "No task can start: each open task waits for one that is not ticked. Fix the Dependencies section (a cycle?):"
            )?;
            for s in &self.stuck {
                writeln!(
                    out,
                    "  {} waits for {}",
                    escaped(&s.id),
                    escaped(&s.waits_for.join(", "))
                )?;
            }
        }
        for r in &self.ready {
            writeln!(
                out,
                "  {}{}{} {}{}{}",
                style::BOLD.render(),
                escaped(&r.id),
                style::BOLD.render_reset(),
                if r.parallel { "[P] " } else { "" },
                r.story
                    .as_ref()
                    .map(|s| format!("[{}] ", escaped(s)))
                    .unwrap_or_default(),
                escaped(&r.text)
            )?;
        }
        if let Some(first) = self.ready.first() {
            writeln!(
                out,
                "{}Next: do one, then `specops done {}`; tasks marked [P] can run side by side.{}",
                style::DIM.render(),
                escaped(&first.id),
                style::DIM.render_reset()
            )?;
        }
        for i in &self.ignored {
            writeln!(
                out,
                "{}Note: {} waits for {}, which no task has; not waited for (fix the Dependencies line).{}",
                style::DIM.render(),
                escaped(&i.id),
                escaped(&i.waits_for.join(", ")),
                style::DIM.render_reset()
            )?;
        }
        Ok(())
    }
}

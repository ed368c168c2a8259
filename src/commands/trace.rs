//! `specops trace`: each requirement of the current feature with the scenarios that deliver it,
//! its plan traceability row, its tasks, and the files of the repository that cite it.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::{TraceArgs, TraceFormat};
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature;
use crate::inputs::citations::citations_in_work_tree;
use crate::layout;
use crate::markdown::Document;
use crate::report::{self, escaped, style, Output, Report};
use crate::traceability::{self, FileRef, Trace};
use crate::workspace::Workspace;

/// What `trace` reports.
#[derive(Debug, Serialize)]
pub(crate) struct TraceReport {
    pub feature_dir: String,
    #[serde(flatten)]
    pub trace: Trace,
}

/// Run `specops trace`.
pub(crate) fn run(global: &Output, args: &TraceArgs) -> Result<Outcome> {
    let format = match (global.json, args.format) {
        (true, Some(f)) if f != TraceFormat::Json => {
            return Err(Error::usage(
                "--json cannot be combined with another --format",
                "use either --json or --format",
            )
            .into())
        }
        (true, _) => TraceFormat::Json,
        (false, f) => f.unwrap_or(TraceFormat::Human),
    };
    let ws = Workspace::current()?;
    let resolved = feature::resolve(&ws, args.feature.feature.as_deref())?;
    let plan_dir = feature::plan_dir(&resolved, args.feature.variant.as_deref())?;
    let spec_path = resolved.dir.join(layout::SPEC);
    let spec_text = ws.read(&spec_path)?.ok_or_else(|| {
        Error::input(
            format!("{} does not exist", ws.display(&spec_path)),
            "a trace starts from the spec's requirements: `specops specify` writes it",
        )
    })?;
    let spec = Spec::parse(&Document::parse(&spec_text));
    let plan = ws
        .read(&plan_dir.join(layout::PLAN))?
        .map(|t| Plan::parse(&Document::parse(&t)));
    let tasks = ws
        .read(&plan_dir.join(layout::TASKS))?
        .map(|t| Tasks::parse(&Document::parse(&t)));
    let index = citations_in_work_tree(&ws.root, &[ws.specs_dir()])?;
    let folder = resolved
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cites = |id: &str| -> Vec<FileRef> { index.file_refs(id, &folder) };
    let trace = traceability::trace(&spec, plan.as_ref(), tasks.as_ref(), &cites);
    let report = TraceReport {
        feature_dir: ws.display(&resolved.dir),
        trace,
    };
    match format {
        TraceFormat::Markdown => {
            let text = traceability::markdown(&report.feature_dir, &report.trace);
            // Line by line: the line breaks are the table's, anything else that could drive a
            // terminal is escaped.
            let shown: String = text.lines().map(|l| format!("{}\n", escaped(l))).collect();
            report::print_bytes(shown.as_bytes())?;
        }
        TraceFormat::Json => report::emit(
            &Output {
                json: true,
                ..*global
            },
            &report,
        )?,
        TraceFormat::Human => report::emit(global, &report)?,
    }
    Ok(Outcome::Success)
}

impl Report for TraceReport {
    fn quiet_silences(&self) -> bool {
        false
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.trace.totals;
        writeln!(
            out,
            "{}{}{}: {} requirements: {} traced to tasks, {} implemented, {} validated.",
            style::BOLD.render(),
            escaped(&self.feature_dir),
            style::BOLD.render_reset(),
            n.requirements,
            n.traced,
            n.implemented,
            n.validated
        )?;
        for r in self.trace.rows.iter().filter(|r| !r.withdrawn) {
            let scenarios: Vec<String> = r.scenarios.iter().map(|s| format!("US{s}")).collect();
            let done = r.tasks.iter().filter(|t| t.done).count();
            let ids: Vec<&str> = r.tasks.iter().map(|t| t.id.as_str()).collect();
            writeln!(
                out,
                "\n{}{}{}  scenarios: {}  tasks: {}",
                style::BOLD.render(),
                escaped(&r.id),
                style::BOLD.render_reset(),
                if scenarios.is_empty() {
                    "none".into()
                } else {
                    scenarios.join(", ")
                },
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    format!("{done}/{} done ({})", ids.len(), ids.join(", "))
                }
            )?;
            for (label, test) in [("implemented in", false), ("validated by", true)] {
                let files: Vec<String> = r
                    .files
                    .iter()
                    .filter(|f| f.test == test)
                    .map(|f| format!("{}:{}", f.path, f.line))
                    .collect();
                writeln!(
                    out,
                    "  {label}: {}",
                    if files.is_empty() {
                        "—".to_string()
                    } else {
                        escaped(&files.join(", ")).into_owned()
                    }
                )?;
            }
        }
        Ok(())
    }
}

//! `specops list` (alias `status`): one row per feature.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::ListArgs;
use crate::error::Result;
use crate::exit::Outcome;
use crate::report::{self, escaped, style, Output, Report};
use crate::status::{self, FeatureStatus};
use crate::traceability::FileRef;
use crate::workspace::Workspace;

/// The report of `specops list`.
#[derive(Debug, Serialize)]
pub(crate) struct ListReport {
    /// The folder holding the features, relative to the root.
    pub specs_dir: String,
    pub features: Vec<FeatureStatus>,
}

/// Run `specops list`.
pub(crate) fn run(global: &Output, _args: &ListArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let branches = match crate::git::discover(&ws.root)? {
        Some(repo) => Some(crate::git::branch_names(&repo)?),
        None => None,
    };
    let folders = crate::feature::folders(&ws)?;
    // One scan of the repository for every feature's citations, when there is a feature.
    let index = if folders.is_empty() {
        None
    } else {
        crate::inputs::citations::citations_in_work_tree(&ws.root, &[ws.specs_dir()]).ok()
    };
    let cites = |folder: &str, id: &str| -> Vec<FileRef> {
        index
            .as_ref()
            .map_or_else(Vec::new, |i| i.file_refs(id, folder))
    };
    let features = folders
        .iter()
        .map(|name| {
            let dir = ws.specs_dir().join(name);
            status::feature_status(
                &dir,
                name,
                &ws.display(&dir),
                branches.as_ref(),
                &cites,
                &ws.naming,
            )
        })
        .collect();
    let report = ListReport {
        specs_dir: ws.display(&ws.specs_dir()),
        features,
    };
    // The table is the answer, not a confirmation: `-q` does not silence it.
    let output = Output {
        quiet: false,
        ..*global
    };
    report::emit(&output, &report)?;
    Ok(Outcome::Success)
}

fn branch_cell(f: &FeatureStatus) -> &'static str {
    match f.branch {
        None => "-",
        Some(b) => match (b.local, b.remote) {
            (true, true) => "local+remote",
            (true, false) => "local",
            (false, true) => "remote",
            (false, false) => "none",
        },
    }
}

fn documents_cell(f: &FeatureStatus) -> String {
    let main: Vec<&str> = ["spec", "plan", "tasks"]
        .into_iter()
        .filter(|d| f.documents.contains(d))
        .collect();
    let others = f.documents.len() - main.len();
    let mut s = if main.is_empty() {
        "-".to_string()
    } else {
        main.join(" ")
    };
    if others > 0 {
        s.push_str(&format!(" +{others}"));
    }
    s
}

fn stale_cell(f: &FeatureStatus) -> String {
    let mut parts = Vec::new();
    if !f.stale_plan.is_empty() {
        parts.push(format!("plan ({})", f.stale_plan.join(", ")));
    }
    if f.stale_tasks {
        parts.push("tasks".to_string());
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join("; ")
    }
}

impl Report for ListReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.features.is_empty() {
            writeln!(out, "No features under {}/ yet.", escaped(&self.specs_dir))?;
            writeln!(
                out,
                "Start one: specops specify \"<what the infrastructure must do, and why>\""
            )?;
            return Ok(());
        }
        let header = [
            "#",
            "NAME",
            "BRANCH",
            "DOCUMENTS",
            "MARKERS",
            "CHECKLIST",
            "TASKS",
            "IMPL",
            "VALID",
            "STALE",
        ];
        // Folder names and requirement IDs are the repository's text: escaped before the
        // widths are measured, so the columns line up as printed.
        let rows: Vec<[String; 10]> = self
            .features
            .iter()
            .map(|f| {
                [
                    escaped(&f.number).into_owned(),
                    escaped(&f.short_name).into_owned(),
                    branch_cell(f).to_string(),
                    documents_cell(f),
                    f.open_markers.to_string(),
                    format!("{}/{}", f.checklist.done, f.checklist.total),
                    f.tasks
                        .map_or("-".to_string(), |t| format!("{}/{}", t.done, t.total)),
                    format!("{}/{}", f.implemented, f.requirements),
                    format!("{}/{}", f.validated, f.requirements),
                    escaped(&stale_cell(f)).into_owned(),
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: Vec<&str>| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        writeln!(
            out,
            "{}{}{}",
            style::BOLD.render(),
            line(header.to_vec()),
            style::BOLD.render_reset()
        )?;
        for (f, r) in self.features.iter().zip(&rows) {
            let text = line(r.iter().map(String::as_str).collect());
            let st = if f.open_markers > 0 || !f.stale_plan.is_empty() || f.stale_tasks {
                style::WARN
            } else {
                anstyle::Style::new()
            };
            writeln!(out, "{}{text}{}", st.render(), st.render_reset())?;
        }
        for f in self.features.iter().filter(|f| !f.unreadable.is_empty()) {
            writeln!(
                out,
                "warning: {}: cannot read {}",
                escaped(&f.dir),
                escaped(&f.unreadable.join(", "))
            )?;
        }
        Ok(())
    }
}

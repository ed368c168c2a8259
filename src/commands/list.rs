//! `specops list` (alias `status`): one row per feature.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::ListArgs;
use crate::error::Result;
use crate::exit::Outcome;
use crate::report::{self, escaped, style, Output, Report};
use crate::status::{FeatureStatus, Progress};
use crate::team::{self, Scope};
use crate::workspace::Workspace;

/// The report of `specops list`.
#[derive(Debug, Serialize)]
pub(crate) struct ListReport {
    /// The folder holding the features, relative to the root.
    pub specs_dir: String,
    pub features: Vec<FeatureStatus>,
    /// Other branches that could not be read, one sentence each.
    pub notes: Vec<String>,
}

/// Run `specops list`.
pub(crate) fn run(global: &Output, args: &ListArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let scope = if args.no_branches {
        Scope::WorkTree
    } else {
        Scope::AllBranches
    };
    let listing = team::list(&ws, scope)?;
    let report = ListReport {
        specs_dir: ws.display(&ws.specs_dir()),
        features: listing.features,
        notes: listing.notes,
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

fn branch_cell(f: &FeatureStatus) -> String {
    if let Some(from) = &f.from_branch {
        return format!("on {}", cell(from));
    }
    match f.branch {
        None => "-",
        Some(b) => match (b.local, b.remote) {
            (true, true) => "local+remote",
            (true, false) => "local",
            (false, true) => "remote",
            (false, false) => "none",
        },
    }
    .to_string()
}

fn documents_cell(documents: &[&str]) -> String {
    let main: Vec<&str> = ["spec", "plan", "tasks"]
        .into_iter()
        .filter(|d| documents.contains(d))
        .collect();
    let others = documents.len() - main.len();
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

fn stale_cell(stale_plan: &[String], stale_tasks: bool) -> String {
    let mut parts = Vec::new();
    if !stale_plan.is_empty() {
        parts.push(format!("plan ({})", stale_plan.join(", ")));
    }
    if stale_tasks {
        parts.push("tasks".to_string());
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join("; ")
    }
}

fn progress_cell(p: Option<Progress>) -> String {
    p.map_or("-".to_string(), |p| format!("{}/{}", p.done, p.total))
}

fn count_cell(count: Option<usize>, of: usize) -> String {
    count.map_or("-".to_string(), |c| format!("{c}/{of}"))
}

/// A printed row: its cells, and whether it has something open or stale.
struct Row {
    cells: [String; 10],
    warn: bool,
}

/// The repository's text as a table cell: escaped, and a tab shown as `\t`, which would
/// otherwise move the columns after it.
fn cell(text: &str) -> String {
    escaped(text).replace('\t', "\\t")
}

/// The feature's row, then one per plan variant.
fn rows(f: &FeatureStatus) -> Vec<Row> {
    // Folder names, branch names and requirement IDs are the repository's text: escaped
    // before the widths are measured, so the columns line up as printed.
    let number = cell(&f.number);
    let branch = branch_cell(f);
    let mut rows = vec![Row {
        cells: [
            number.clone(),
            cell(&f.short_name),
            branch.clone(),
            documents_cell(&f.documents),
            f.open_markers.to_string(),
            format!("{}/{}", f.checklist.done, f.checklist.total),
            progress_cell(f.tasks),
            count_cell(f.implemented, f.requirements),
            count_cell(f.validated, f.requirements),
            escaped(&stale_cell(&f.stale_plan, f.stale_tasks)).into_owned(),
        ],
        warn: f.open_markers > 0 || !f.stale_plan.is_empty() || f.stale_tasks,
    }];
    for v in &f.variants {
        rows.push(Row {
            cells: [
                number.clone(),
                cell(&format!("{} (variant {})", f.short_name, v.name)),
                branch.clone(),
                documents_cell(&v.documents),
                v.open_markers.to_string(),
                "-".to_string(),
                progress_cell(v.tasks),
                "-".to_string(),
                "-".to_string(),
                escaped(&stale_cell(&v.stale_plan, v.stale_tasks)).into_owned(),
            ],
            warn: v.open_markers > 0 || !v.stale_plan.is_empty() || v.stale_tasks,
        });
    }
    rows
}

/// The warnings under the table: what could not be read, row by row.
fn warnings(f: &FeatureStatus) -> Vec<String> {
    let from = f
        .from_branch
        .as_ref()
        .map_or(String::new(), |b| format!(" (branch {b})"));
    let mut out: Vec<String> = f
        .notes
        .iter()
        .map(|n| format!("{}{from}: {n}", f.dir))
        .collect();
    for v in &f.variants {
        out.extend(v.notes.iter().map(|n| format!("{}{from}: {n}", v.dir)));
    }
    out
}

impl Report for ListReport {
    fn quiet_silences(&self) -> bool {
        false
    }

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
        let rows: Vec<Row> = self.features.iter().flat_map(rows).collect();
        // Widths in terminal columns: a CJK name takes two per character.
        let columns = |c: &str| unicode_width::UnicodeWidthStr::width(c);
        let mut widths = header.map(columns);
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(&r.cells) {
                *w = (*w).max(columns(c));
            }
        }
        let line = |cells: Vec<&str>| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(columns(c)))))
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
        for r in &rows {
            let text = line(r.cells.iter().map(String::as_str).collect());
            let st = if r.warn {
                style::WARN
            } else {
                anstyle::Style::new()
            };
            writeln!(out, "{}{text}{}", st.render(), st.render_reset())?;
        }
        for w in self
            .features
            .iter()
            .flat_map(warnings)
            .chain(self.notes.clone())
        {
            writeln!(out, "warning: {}", escaped(&w))?;
        }
        Ok(())
    }
}

//! Where a feature stands: which documents exist, what is still open, what is stale.
//! Pure over the feature folder's files; `specops list` prints one row per feature.

use std::path::Path;

use serde::Serialize;

use crate::docs::{self, plan::Plan, spec::Spec, tasks::Tasks, trace};
use crate::git::BranchNames;
use crate::layout;
use crate::lint;
use crate::markdown::{Check, Document};
use crate::naming::Naming;
use crate::traceability::{FileRef, Totals};

pub(crate) use crate::layout::DOCUMENTS;

/// Done out of total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Progress {
    pub done: usize,
    pub total: usize,
}

/// Whether the feature's branch exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct BranchPresence {
    /// A local branch `NNN-*` with the feature's number.
    pub local: bool,
    /// A remote-tracking branch `<remote>/NNN-*` with the feature's number.
    pub remote: bool,
}

/// One feature's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FeatureStatus {
    pub number: String,
    pub short_name: String,
    /// Folder relative to the repository root.
    pub dir: String,
    /// `None` outside a git repository.
    pub branch: Option<BranchPresence>,
    /// The documents present, by the names of [`DOCUMENTS`].
    pub documents: Vec<&'static str>,
    /// Unresolved clarification markers over the feature's documents.
    pub open_markers: usize,
    /// Items of the quality checklist(s) under `checklists/`.
    pub checklist: Progress,
    /// Task items of tasks.md, when it exists.
    pub tasks: Option<Progress>,
    /// Requirement IDs changed, added or removed in the spec since the plan was made.
    pub stale_plan: Vec<String>,
    /// Whether the plan changed since tasks.md was derived.
    pub stale_tasks: bool,
    /// Active requirements of the spec, and how many a file cites (a test, for validated), as
    /// `specops trace` counts them.
    pub requirements: usize,
    pub implemented: usize,
    pub validated: usize,
    /// Documents that could not be read (not UTF-8, permissions…), relative to the folder.
    pub unreadable: Vec<String>,
}

/// The status of feature folder `dir` (named `name`, shown as `shown`); `cites(folder, id)`
/// gives the files that cite a requirement of the feature.
pub(crate) fn feature_status(
    dir: &Path,
    name: &str,
    shown: &str,
    branches: Option<&BranchNames>,
    cites: &dyn Fn(&str, &str) -> Vec<FileRef>,
    naming: &Naming,
) -> FeatureStatus {
    let (key, short_name) = naming
        .parse(name)
        .map_or((None, name), |(key, short)| (Some(key), short));
    let short_name = short_name.to_string();
    let mut unreadable = Vec::new();
    let mut read = |rel: &str| -> Option<String> {
        match docs::read(&dir.join(rel), rel) {
            Ok(text) => text,
            Err(_) => {
                unreadable.push(rel.to_string());
                None
            }
        }
    };
    let spec = read(layout::SPEC);
    let plan = read(layout::PLAN);
    let tasks = read(layout::TASKS);

    let mut open_markers = 0;
    let mut checklist = Progress::default();
    for (rel, text) in markdown_files(dir, &mut unreadable) {
        let md = Document::parse(&text);
        let doc = lint::Document::new(&rel, None, &md);
        open_markers += lint::open_items(&doc, &lint::Related::default())
            .iter()
            .filter(|d| d.rule == "SO001")
            .count();
        if rel.starts_with(&format!("{}/", layout::CHECKLISTS)) {
            for it in &md.items {
                match it.check() {
                    Some(Check::Open) => checklist.total += 1,
                    Some(Check::Done) => {
                        checklist.total += 1;
                        checklist.done += 1;
                    }
                    _ => {}
                }
            }
        }
    }

    let parsed_tasks = tasks.as_deref().map(|t| Tasks::parse(&Document::parse(t)));
    let totals = spec.as_deref().map_or_else(Totals::default, |s| {
        let spec = Spec::parse(&Document::parse(s));
        crate::traceability::trace(&spec, None, parsed_tasks.as_ref(), &|id| cites(name, id)).totals
    });
    let stale_plan = match (&spec, &plan) {
        (Some(s), Some(p)) => trace::stale_requirements(
            &Spec::parse(&Document::parse(s)),
            &Plan::parse(&Document::parse(p)),
        )
        .into_iter()
        .map(|s| s.id)
        .collect(),
        _ => Vec::new(),
    };
    let stale_tasks = match (&plan, &parsed_tasks) {
        (Some(p), Some(t)) => trace::stale_plan(p, t).is_some(),
        _ => false,
    };
    let holds = |branch: &str| key.is_some() && naming.branch_key(branch) == key;
    let branch = branches.map(|b| BranchPresence {
        local: b.local.iter().any(|n| holds(n)),
        remote: b
            .remote
            .iter()
            .any(|n| n.split_once('/').is_some_and(|(_, rest)| holds(rest))),
    });
    FeatureStatus {
        number: key.map(|k| k.to_string()).unwrap_or_default(),
        short_name,
        dir: shown.to_string(),
        branch,
        documents: DOCUMENTS
            .iter()
            .filter(|(_, rel)| dir.join(rel).exists())
            .map(|(name, _)| *name)
            .collect(),
        open_markers,
        checklist,
        // A task in another state (`[~]`, `[-]`…) was dropped or moved: neither done nor to do.
        tasks: parsed_tasks.map(|t| Progress {
            done: t.tasks.iter().filter(|t| t.done).count(),
            total: t
                .tasks
                .iter()
                .filter(|t| matches!(t.state, Check::Open | Check::Done))
                .count(),
        }),
        stale_plan,
        stale_tasks,
        requirements: totals.requirements,
        implemented: totals.implemented,
        validated: totals.validated,
        unreadable,
    }
}

/// Every Markdown file of the feature folder (not its plan variants, nor hidden folders such as
/// what an interrupted `plan` left aside), relative path and text.
fn markdown_files(dir: &Path, unreadable: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || (e.depth() == 1 && e.file_name() == layout::VARIANTS))
        });
    for entry in walk.filter_map(|e| e.ok()) {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = crate::fsx::display(entry.path(), dir);
        match docs::read(entry.path(), &rel) {
            Ok(Some(text)) => out.push((rel, text)),
            Ok(None) => {}
            Err(_) => {
                if !unreadable.contains(&rel) {
                    unreadable.push(rel);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn counts_documents_markers_checklist_and_tasks() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        write(d, "spec.md", "# S\n- **IR-001**: one [NEEDS CLARIFICATION: which region?]\n```\n[NEEDS CLARIFICATION: in code]\n```\n- [x] No [NEEDS CLARIFICATION] markers remain\n");
        write(
            d,
            "checklists/requirements.md",
            "- [x] a\n- [ ] b\n- [X] c\n- [-] not applicable\n> - [ ] quoted\n",
        );
        write(
            d,
            "tasks.md",
            "- [x] T001 do\n- [ ] T002 do\n- [ ] T003 do\n- [~] T004 dropped\n",
        );
        write(
            d,
            "variants/cheap/plan.md",
            "[NEEDS CLARIFICATION: not counted]\n",
        );
        let branches = BranchNames {
            local: vec!["main".into(), "007-other".into()],
            remote: vec!["origin/003-x".into()],
        };
        let cites = |folder: &str, id: &str| {
            let file = |test| FileRef {
                path: "m/main.tf".into(),
                line: 1,
                test,
            };
            match (folder, id) {
                ("003-eks", "IR-001") => vec![file(false), file(true)],
                _ => vec![],
            }
        };
        let s = feature_status(
            d,
            "003-eks",
            "specs/003-eks",
            Some(&branches),
            &cites,
            &Naming::default(),
        );
        assert_eq!(s.number, "003");
        assert_eq!(s.short_name, "eks");
        assert_eq!(s.documents, ["spec", "checklist", "tasks"]);
        assert_eq!(s.open_markers, 1);
        assert_eq!(s.checklist, Progress { done: 2, total: 4 });
        assert_eq!(s.tasks, Some(Progress { done: 1, total: 3 }));
        assert_eq!(
            s.branch,
            Some(BranchPresence {
                local: false,
                remote: true
            })
        );
        assert!(s.stale_plan.is_empty() && !s.stale_tasks);
        assert_eq!((s.implemented, s.validated), (1, 1));
    }

    #[test]
    fn unreadable_documents_are_reported_not_fatal() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("spec.md"), b"\xff\xfe broken").unwrap();
        let s = feature_status(
            t.path(),
            "001-x",
            "specs/001-x",
            None,
            &|_, _| vec![],
            &Naming::default(),
        );
        assert_eq!(s.unreadable, ["spec.md"]);
        assert_eq!(s.branch, None);
        assert_eq!(s.documents, ["spec"]);
    }
}

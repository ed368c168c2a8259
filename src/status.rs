//! Where a feature stands: which documents exist, what is still open, what is stale. Pure over
//! a [`Folder`], the feature folder's files read once from the work tree or from the tree of
//! another branch; `specops list` prints one row per feature and per plan variant.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::docs::{self, plan::Plan, spec::Spec, tasks::Tasks, trace};
use crate::git::BranchNames;
use crate::layout;
use crate::lint;
use crate::markdown::{Check, Document};
use crate::naming::{Key, Naming};
use crate::traceability::FileRef;

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
    /// The local branch whose tip the row was read from; `None` for the work tree.
    pub from_branch: Option<String>,
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
    /// Active requirements of the spec, and how many a file of the work tree cites (a test, for
    /// validated), as `specops trace` counts them; `None` for a row read from another branch,
    /// whose code is not in the work tree.
    pub requirements: usize,
    pub implemented: Option<usize>,
    pub validated: Option<usize>,
    /// Documents that could not be read (not UTF-8, permissions…), relative to the folder.
    pub unreadable: Vec<String>,
    /// Why: one sentence per document or folder that could not be read.
    pub notes: Vec<String>,
    /// The plan variants under `variants/NAME/`, by name.
    pub variants: Vec<VariantStatus>,
}

/// One plan variant's row: its plan set, compared with the feature's spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct VariantStatus {
    /// The name `--variant` takes.
    pub name: String,
    /// Folder relative to the repository root.
    pub dir: String,
    /// The documents present, by the names of [`DOCUMENTS`].
    pub documents: Vec<&'static str>,
    pub open_markers: usize,
    pub tasks: Option<Progress>,
    pub stale_plan: Vec<String>,
    pub stale_tasks: bool,
    pub unreadable: Vec<String>,
    pub notes: Vec<String>,
}

/// The feature keys that local and remote-tracking branches name: worked out once per run, so a
/// row's BRANCH cell costs a lookup however many branches there are.
#[derive(Debug, Default)]
pub(crate) struct BranchKeys {
    local: HashSet<Key>,
    remote: HashSet<Key>,
}

impl BranchKeys {
    /// The keys of `names` (a remote-tracking branch without its remote's name), as `naming`
    /// reads branch names.
    pub(crate) fn new(names: &BranchNames, naming: &Naming) -> Self {
        let keys = |names: &mut dyn Iterator<Item = &str>| {
            names.filter_map(|n| naming.branch_key(n)).collect()
        };
        BranchKeys {
            local: keys(&mut names.local.iter().map(String::as_str)),
            remote: keys(
                &mut names
                    .remote
                    .iter()
                    .filter_map(|n| n.split_once('/').map(|(_, rest)| rest)),
            ),
        }
    }
}

/// What [`Folder::add`] is given for an entry.
pub(crate) enum Entry {
    Folder,
    /// A Markdown file: its text, `None` when it went away meanwhile, or why it cannot be read
    /// (a sentence naming it).
    Markdown(Result<Option<String>, String>),
    /// Anything else that exists there.
    Other,
}

/// The files of a feature folder (or of one plan variant), read once: which paths exist, and
/// the text of each Markdown file. Hidden entries (what an interrupted `plan` left aside) are
/// not part of it; `variants/NAME/` folders are plan variants of their own.
#[derive(Debug, Default)]
pub(crate) struct Folder {
    /// Every path, files and folders, relative to the folder with `/`.
    paths: BTreeSet<String>,
    /// Each Markdown file's text, or why it cannot be read.
    markdown: BTreeMap<String, Result<String, String>>,
    variants: BTreeMap<String, Folder>,
    /// Problems with the folder itself rather than one document.
    notes: Vec<String>,
    /// Bytes of Markdown text held, variants included: at most [`MAX_FOLDER_BYTES`].
    held: u64,
}

/// The most Markdown text one feature folder's row reads, all documents together: a folder
/// (on a branch, many tree entries can name one large blob) cannot make `list` hold more.
pub(crate) const MAX_FOLDER_BYTES: u64 = 64 * 1024 * 1024;

/// How deep below a feature folder `list` looks (a feature's folders are two or three deep).
pub(crate) const MAX_FOLDER_DEPTH: usize = 16;

/// The order in which a folder's Markdown files are read, so the budget goes to the feature's
/// own documents (in the order of [`DOCUMENTS`]) before checklists, variants and the rest.
pub(crate) fn reading_order(rel: &str) -> usize {
    if let Some(i) = DOCUMENTS.iter().position(|(_, path)| *path == rel) {
        return i;
    }
    let first = rel.split('/').next().unwrap_or_default();
    match first {
        _ if rel.starts_with(&format!("{}/", layout::CONTRACTS)) => DOCUMENTS.len(),
        "checklists" => DOCUMENTS.len() + 1,
        _ if first == layout::VARIANTS => DOCUMENTS.len() + 2,
        _ => DOCUMENTS.len() + 3,
    }
}

impl Folder {
    /// Add the entry at `rel` (relative to the folder, with `/`). A folder
    /// `variants/NAME/` starts a plan variant, which takes what is added under it.
    pub(crate) fn add(&mut self, rel: &str, entry: Entry) {
        if rel.split('/').any(|c| c.starts_with('.')) {
            return;
        }
        if let Entry::Markdown(Ok(Some(text))) = &entry {
            self.held += text.len() as u64;
        }
        if let Some(rest) = rel.strip_prefix(&format!("{}/", layout::VARIANTS)) {
            match rest.split_once('/') {
                None => {
                    if matches!(entry, Entry::Folder) && crate::fsx::safe_component(rest) {
                        self.variants.entry(rest.to_string()).or_default();
                    }
                }
                Some((name, inner)) => {
                    if let Some(variant) = self.variants.get_mut(name) {
                        variant.add(inner, entry);
                    }
                }
            }
            return;
        }
        match entry {
            Entry::Markdown(Ok(None)) => return,
            Entry::Markdown(Ok(Some(text))) => {
                self.markdown.insert(rel.to_string(), Ok(text));
            }
            Entry::Markdown(Err(why)) => {
                self.markdown.insert(rel.to_string(), Err(why));
            }
            Entry::Folder | Entry::Other => {}
        }
        self.paths.insert(rel.to_string());
    }

    /// Add the Markdown files `found` (each its path relative to the folder and where to read
    /// it), the feature's own documents first ([`reading_order`]), each read only while the
    /// folder's budget ([`MAX_FOLDER_BYTES`]) holds it: one whose `size` passes the budget is
    /// a note, not read at all (a file too large on its own is left to `read` to say so).
    pub(crate) fn read_markdown<T>(
        &mut self,
        mut found: Vec<(String, T)>,
        size: impl Fn(&T) -> u64,
        read: impl Fn(&str, T) -> Result<Option<String>, String>,
    ) {
        found.sort_by_cached_key(|(rel, _)| (reading_order(rel), rel.clone()));
        for (rel, at) in found {
            let shown = within(&rel);
            let size = size(&at);
            let left = MAX_FOLDER_BYTES.saturating_sub(self.held);
            let text = if size > left && size <= crate::fsx::MAX_FILE_BYTES {
                Err(format!(
                    "{shown} not read: the folder's documents pass {} MiB together",
                    MAX_FOLDER_BYTES / (1024 * 1024)
                ))
            } else {
                read(shown, at)
            };
            self.add(&rel, Entry::Markdown(text));
        }
    }

    /// Record a problem with the folder itself.
    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// The feature folder `dir` of the work tree whose root is `root`. Symlinked folders are not
    /// followed into; a symlinked Markdown file is read when it leads to a file inside `root`.
    pub(crate) fn read(dir: &Path, root: &Path) -> Folder {
        let mut folder = Folder::default();
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .min_depth(1)
            .max_depth(MAX_FOLDER_DEPTH)
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        let mut markdown = Vec::new();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e
                        .path()
                        .map_or_else(String::new, |p| format!(" {}", crate::fsx::display(p, dir)));
                    folder.note(format!("cannot list{at}: {e}"));
                    continue;
                }
            };
            let rel = crate::fsx::display(entry.path(), dir);
            if entry.file_type().is_dir() {
                folder.add(&rel, Entry::Folder);
            } else if crate::inputs::is_markdown(entry.file_name()) {
                markdown.push((rel, entry));
            } else {
                folder.add(&rel, Entry::Other);
            }
        }
        folder.read_markdown(
            markdown,
            |entry| std::fs::metadata(entry.path()).map_or(0, |m| m.len()),
            |shown, entry| {
                let inside = if entry.path_is_symlink() {
                    crate::fsx::ensure_inside(root, entry.path(), shown)
                } else {
                    Ok(())
                };
                inside
                    .and_then(|()| docs::read(entry.path(), shown))
                    .map_err(|e| e.to_string())
            },
        );
        folder
    }

    /// The text of the Markdown file at `rel`, when it exists and can be read.
    fn text(&self, rel: &str) -> Option<&str> {
        self.markdown.get(rel)?.as_deref().ok()
    }

    /// The documents of [`DOCUMENTS`] present.
    fn documents(&self) -> Vec<&'static str> {
        DOCUMENTS
            .iter()
            .filter(|(_, rel)| self.paths.contains(*rel))
            .map(|(name, _)| *name)
            .collect()
    }

    /// The Markdown files that cannot be read, and every note: the folder's, then one per file.
    fn problems(&self) -> (Vec<String>, Vec<String>) {
        let mut unreadable = Vec::new();
        let mut notes = self.notes.clone();
        for (rel, text) in &self.markdown {
            if let Err(why) = text {
                unreadable.push(rel.clone());
                notes.push(why.clone());
            }
        }
        (unreadable, notes)
    }
}

/// `rel` as messages name it: relative to the plan variant it belongs to, if any.
pub(crate) fn within(rel: &str) -> &str {
    rel.strip_prefix(&format!("{}/", layout::VARIANTS))
        .and_then(|rest| rest.split_once('/'))
        .map_or(rel, |(_, inner)| inner)
}

/// What a plan set (the feature's, or a variant's) says: open markers, checklist and task
/// progress, staleness against `spec`.
struct PlanSet {
    open_markers: usize,
    checklist: Progress,
    tasks: Option<Tasks>,
    stale_plan: Vec<String>,
    stale_tasks: bool,
}

impl PlanSet {
    fn of(folder: &Folder, spec: Option<&Spec>) -> Self {
        let mut open_markers = 0;
        let mut checklist = Progress::default();
        for (rel, text) in &folder.markdown {
            let Ok(text) = text else { continue };
            let md = Document::parse(text);
            let doc = lint::Document::new(rel, None, &md);
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
        let plan = folder.text(layout::PLAN);
        let tasks = folder
            .text(layout::TASKS)
            .map(|t| Tasks::parse(&Document::parse(t)));
        let stale_plan = match (spec, plan) {
            (Some(s), Some(p)) => trace::stale_requirements(s, &Plan::parse(&Document::parse(p)))
                .into_iter()
                .map(|s| s.id)
                .collect(),
            _ => Vec::new(),
        };
        let stale_tasks = match (plan, &tasks) {
            (Some(p), Some(t)) => trace::stale_plan(p, t).is_some(),
            _ => false,
        };
        PlanSet {
            open_markers,
            checklist,
            tasks,
            stale_plan,
            stale_tasks,
        }
    }

    /// Task items: a task in another state (`[~]`, `[-]`…) was dropped or moved, neither done
    /// nor to do.
    fn task_progress(&self) -> Option<Progress> {
        self.tasks.as_ref().map(|t| Progress {
            done: t.tasks.iter().filter(|t| t.done).count(),
            total: t
                .tasks
                .iter()
                .filter(|t| matches!(t.state, Check::Open | Check::Done))
                .count(),
        })
    }
}

/// Where the citations of a row's requirements come from.
pub(crate) enum Cites<'a> {
    /// `cites(folder, id)`: the files of the work tree that cite requirement `id` of the
    /// feature in `folder`.
    WorkTree(&'a dyn Fn(&str, &str) -> Vec<FileRef>),
    /// The row was read from another branch: its code is not in the work tree, and is not
    /// scanned.
    NotScanned,
}

/// The status of feature folder `folder` (named `name`, shown as `shown`).
pub(crate) fn feature_status(
    folder: &Folder,
    name: &str,
    shown: &str,
    branches: Option<&BranchKeys>,
    cites: &Cites<'_>,
    naming: &Naming,
) -> FeatureStatus {
    let (key, short_name) = naming
        .parse(name)
        .map_or((None, name), |(key, short)| (Some(key), short));
    let spec = folder
        .text(layout::SPEC)
        .map(|s| Spec::parse(&Document::parse(s)));
    let set = PlanSet::of(folder, spec.as_ref());
    let none = |_: &str| Vec::new();
    let totals = spec.as_ref().map(|spec| {
        let of_id = |id: &str| match cites {
            Cites::WorkTree(cites) => cites(name, id),
            Cites::NotScanned => none(id),
        };
        crate::traceability::trace(spec, None, set.tasks.as_ref(), &of_id).totals
    });
    let scanned = matches!(cites, Cites::WorkTree(_));
    let branch = branches.map(|b| BranchPresence {
        local: key.as_ref().is_some_and(|k| b.local.contains(k)),
        remote: key.as_ref().is_some_and(|k| b.remote.contains(k)),
    });
    let variants = folder
        .variants
        .iter()
        .map(|(vname, v)| {
            let vset = PlanSet::of(v, spec.as_ref());
            let (unreadable, notes) = v.problems();
            VariantStatus {
                name: vname.clone(),
                dir: format!("{shown}/{}/{vname}", layout::VARIANTS),
                documents: v.documents(),
                open_markers: vset.open_markers,
                tasks: vset.task_progress(),
                stale_plan: vset.stale_plan,
                stale_tasks: vset.stale_tasks,
                unreadable,
                notes,
            }
        })
        .collect();
    let (unreadable, notes) = folder.problems();
    FeatureStatus {
        number: key.map(|k| k.to_string()).unwrap_or_default(),
        short_name: short_name.to_string(),
        dir: shown.to_string(),
        branch,
        from_branch: None,
        documents: folder.documents(),
        open_markers: set.open_markers,
        checklist: set.checklist,
        tasks: set.task_progress(),
        stale_plan: set.stale_plan,
        stale_tasks: set.stale_tasks,
        requirements: totals.map_or(0, |t| t.requirements),
        implemented: scanned.then(|| totals.map_or(0, |t| t.implemented)),
        validated: scanned.then(|| totals.map_or(0, |t| t.validated)),
        unreadable,
        notes,
        variants,
    }
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
            &Folder::read(d, d),
            "003-eks",
            "specs/003-eks",
            Some(&BranchKeys::new(&branches, &Naming::default())),
            &Cites::WorkTree(&cites),
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
        assert_eq!((s.implemented, s.validated), (Some(1), Some(1)));
        assert_eq!(s.from_branch, None);
        // The variant's marker is its own row's, not the feature's.
        assert_eq!(s.variants.len(), 1);
        let v = &s.variants[0];
        assert_eq!(
            (v.name.as_str(), v.dir.as_str()),
            ("cheap", "specs/003-eks/variants/cheap")
        );
        assert_eq!((v.documents.as_slice(), v.open_markers), (&["plan"][..], 1));
        assert_eq!(v.tasks, None);
    }

    #[test]
    fn unreadable_documents_are_reported_not_fatal() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("spec.md"), b"\xff\xfe broken").unwrap();
        let s = feature_status(
            &Folder::read(t.path(), t.path()),
            "001-x",
            "specs/001-x",
            None,
            &Cites::NotScanned,
            &Naming::default(),
        );
        assert_eq!(s.unreadable, ["spec.md"]);
        assert_eq!(s.notes, ["spec.md is not valid UTF-8"]);
        assert_eq!((s.implemented, s.validated), (None, None));
        assert_eq!(s.branch, None);
        assert_eq!(s.documents, ["spec"]);
    }

    #[test]
    fn a_folder_routes_variants_and_leaves_hidden_entries_out() {
        let text = |t: &str| Entry::Markdown(Ok(Some(t.to_string())));
        let mut f = Folder::default();
        f.add("spec.md", text("# S"));
        f.add(".specops-staging", Entry::Folder);
        f.add(".specops-staging/plan.md", text("aside"));
        f.add("contracts", Entry::Folder);
        f.add("variants", Entry::Folder);
        f.add("variants/loose.md", text("not a variant"));
        f.add("variants/.hidden", Entry::Folder);
        f.add("variants/..", Entry::Folder);
        f.add("variants/cheap", Entry::Folder);
        f.add("variants/cheap/plan.md", text("# P"));
        f.add(
            "variants/cheap/tasks.md",
            Entry::Markdown(Err("tasks.md is not valid UTF-8".into())),
        );
        f.add("variants/gone/plan.md", text("no folder was added for it"));
        assert_eq!(f.documents(), ["spec", "contracts"]);
        assert_eq!(f.markdown.keys().collect::<Vec<_>>(), ["spec.md"]);
        assert_eq!(f.variants.keys().collect::<Vec<_>>(), ["cheap"]);
        let cheap = &f.variants["cheap"];
        assert_eq!(cheap.text("plan.md"), Some("# P"));
        assert_eq!(
            cheap.problems(),
            (
                vec!["tasks.md".to_string()],
                vec!["tasks.md is not valid UTF-8".to_string()]
            )
        );
        assert_eq!(within("variants/cheap/contracts/a.md"), "contracts/a.md");
        assert_eq!(within("contracts/a.md"), "contracts/a.md");
    }
}

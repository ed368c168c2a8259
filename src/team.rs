//! The rows of `specops list`: every feature folder of the work tree, and, in a git
//! repository, the features that live only on other local branches (the team view), read from
//! each branch's tip commit through git2 — never from another work tree, never by a `git`
//! process.
//!
//! Which branches: every local branch (`refs/heads/…`) but the current one, whose features are
//! the work tree's. A feature folder the work tree has is shown from the work tree only; one
//! that several other branches hold is shown once, from the branch that names it (its key, by
//! the branch template, or recorded by `specify --branch`), else from the first such branch by
//! name. Folders are told apart by name, so two branches that both took number 004 for
//! different features both show.
//!
//! Cost follows what differs, not how many branches there are: each distinct tip commit is
//! opened once, each distinct specs folder's tree is listed once, and only a feature folder
//! that is shown is read (its tree and its Markdown blobs, at most [`MAX_FILE_BYTES`] each).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::rc::Rc;

use git2::{Oid, Repository};

use crate::error::Result;
use crate::fsx::{ReadProblem, MAX_FILE_BYTES};
use crate::git::{self, BlobProblem, EntryKind, TreeItem};
use crate::inputs::citations::citations_in_work_tree;
use crate::naming::Naming;
use crate::status::{self, BranchKeys, Cites, Entry, FeatureStatus, Folder};
use crate::traceability::FileRef;
use crate::workspace::Workspace;

/// What `specops list` shows.
#[derive(Debug)]
pub(crate) struct Listing {
    /// One row per feature, by folder name: the work tree's, and those only other branches hold.
    pub features: Vec<FeatureStatus>,
    /// Branches that could not be read, one sentence each.
    pub notes: Vec<String>,
}

/// Which features `list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The work tree's feature folders only.
    WorkTree,
    /// Those, and the features that live only on other local branches.
    AllBranches,
}

/// The rows of `specops list` in `ws`.
pub(crate) fn list(ws: &Workspace, scope: Scope) -> Result<Listing> {
    let repo = git::discover(&ws.root)?;
    let branches = match &repo {
        Some(repo) => Some(BranchKeys::new(&git::branch_names(repo)?, &ws.naming)),
        None => None,
    };
    let folders = crate::feature::folders(ws)?;
    // One scan of the repository for every feature's citations, when there is a feature.
    let index = if folders.is_empty() {
        None
    } else {
        citations_in_work_tree(&ws.root, &[ws.specs_dir()]).ok()
    };
    let cites = |folder: &str, id: &str| -> Vec<FileRef> {
        index
            .as_ref()
            .map_or_else(Vec::new, |i| i.file_refs(id, folder))
    };
    let here_status = |name: &String| {
        let dir = ws.specs_dir().join(name);
        status::feature_status(
            &Folder::read(&dir, &ws.root),
            name,
            &ws.display(&dir),
            branches.as_ref(),
            &Cites::WorkTree(&cites),
            &ws.naming,
        )
    };
    let mut features: Vec<FeatureStatus> = crate::parallel::map(&folders, here_status);
    let mut notes = Vec::new();
    let specs = match (&repo, scope) {
        (Some(repo), Scope::AllBranches) => specs_in_repository(repo, ws),
        _ => None,
    };
    if let (Some(repo), Some(specs)) = (&repo, specs) {
        let here: HashSet<&str> = folders.iter().map(String::as_str).collect();
        let scan = scan(repo, &specs, &here, &ws.naming)?;
        notes = scan.notes;
        let shown_specs = ws.display(&ws.specs_dir());
        // Read on every processor, a repository handle per chunk of folders: opening one
        // costs about as much as reading a few folders.
        let chunks: Vec<&[Candidate]> = scan.chosen.chunks(64).collect();
        let git_dir = repo.path().to_path_buf();
        let read = crate::parallel::map(&chunks, |chunk| {
            let opened = Repository::open(&git_dir).map_err(|e| e.message().to_string());
            chunk
                .iter()
                .map(|c| {
                    let folder = match &opened {
                        Ok(repo) => read_folder(repo, &c.item, &shown_specs),
                        Err(why) => {
                            let mut folder = Folder::default();
                            folder.note(format!("cannot open the repository to read it: {why}"));
                            folder
                        }
                    };
                    let mut row = status::feature_status(
                        &folder,
                        &c.item.name,
                        &ws.display(&ws.specs_dir().join(&c.item.name)),
                        branches.as_ref(),
                        &Cites::NotScanned,
                        &ws.naming,
                    );
                    row.from_branch = Some(c.branch.clone());
                    row
                })
                .collect::<Vec<_>>()
        });
        features.extend(read.into_iter().flatten());
        features.sort_by(|a, b| a.dir.cmp(&b.dir));
    }
    Ok(Listing { features, notes })
}

/// The specs folder as a path in the repository's trees (relative to the top of the work
/// tree, with `/`; `""` for the top); `None` when the project is not inside the work tree.
fn specs_in_repository(repo: &Repository, ws: &Workspace) -> Option<String> {
    let top = repo.workdir()?.canonicalize().ok()?;
    let specs = ws.specs_dir();
    let specs = specs.canonicalize().unwrap_or(specs);
    let rel = specs.strip_prefix(&top).ok()?;
    let rel = crate::fsx::display(rel, std::path::Path::new(""));
    Some(if rel == "." { String::new() } else { rel })
}

/// What [`scan`] found.
struct Scan {
    /// By folder name.
    chosen: Vec<Candidate>,
    notes: Vec<String>,
}

/// A feature folder of some branch's specs folder that the work tree does not have.
#[derive(Clone)]
struct Candidate {
    branch: String,
    item: TreeItem,
    /// The branch names this feature.
    owns: bool,
}

/// The feature folders that only other local branches hold (not `here`, the work tree's), each
/// read from one branch.
fn scan(repo: &Repository, specs: &str, here: &HashSet<&str>, naming: &Naming) -> Result<Scan> {
    // The scan keeps what it needs by commit and by tree; libgit2's own object cache would
    // hold every commit and tree it passes through (about 100 MB over 10,000 branches).
    git2::opts::enable_caching(false);
    let mut notes = Vec::new();
    let recorded: HashSet<(String, String)> = git::recorded_features(repo).into_iter().collect();
    // Tip commit → the feature folders of its specs folder the work tree lacks (None: no
    // specs folder, or it could not be read and a note says so).
    let mut by_commit: HashMap<Oid, Option<Rc<Vec<TreeItem>>>> = HashMap::new();
    let mut by_tree: HashMap<Oid, Option<Rc<Vec<TreeItem>>>> = HashMap::new();
    let mut chosen: BTreeMap<String, Candidate> = BTreeMap::new();
    let shown_specs = if specs.is_empty() { "." } else { specs };
    for (branch, tip) in git::other_local_branches(repo)? {
        let commit = match tip {
            Ok(commit) => commit,
            Err(why) => {
                notes.push(branch_note(&branch, &format!("cannot resolve it: {why}")));
                continue;
            }
        };
        let items = by_commit
            .entry(commit)
            .or_insert_with(|| match git::folder_in_commit(repo, commit, specs) {
                Ok(None) => None,
                Ok(Some(tree)) => by_tree
                    .entry(tree)
                    .or_insert_with(|| match git::tree_items(repo, tree) {
                        Ok(items) => Some(Rc::new(
                            items
                                .into_iter()
                                .filter(|i| {
                                    i.kind != EntryKind::File
                                        && !here.contains(i.name.as_str())
                                        && naming.key(&i.name).is_some()
                                })
                                .collect(),
                        )),
                        Err(why) => {
                            notes.push(branch_note(
                                &branch,
                                &format!("cannot list {shown_specs}/: {why}"),
                            ));
                            None
                        }
                    })
                    .clone(),
                Err(why) => {
                    notes.push(branch_note(
                        &branch,
                        &format!("cannot read {shown_specs}/ at its tip: {why}"),
                    ));
                    None
                }
            })
            .clone();
        let Some(items) = items else { continue };
        if items.is_empty() {
            continue;
        }
        let branch_key = naming.branch_key(&branch);
        for item in items.iter() {
            let owns = (branch_key.is_some() && branch_key == naming.key(&item.name))
                || recorded.contains(&(branch.clone(), item.name.clone()));
            let better = chosen.get(&item.name).is_none_or(|c| owns && !c.owns);
            if better {
                chosen.insert(
                    item.name.clone(),
                    Candidate {
                        branch: branch.clone(),
                        item: item.clone(),
                        owns,
                    },
                );
            }
        }
    }
    Ok(Scan {
        chosen: chosen.into_values().collect(),
        notes,
    })
}

fn branch_note(branch: &str, what: &str) -> String {
    if branch.is_empty() {
        format!("a local branch: {what}")
    } else {
        format!("branch {branch}: {what}")
    }
}

/// The feature folder `item` of a branch's specs folder (shown as `specs`), read from its tree.
/// The row's warnings name the branch.
fn read_folder(repo: &Repository, item: &TreeItem, specs: &str) -> Folder {
    let mut folder = Folder::default();
    if item.kind != EntryKind::Folder {
        folder.note(format!(
            "{specs}/{} is {} on that branch; not read",
            item.name,
            item.kind.describe()
        ));
        return folder;
    }
    let mut submodules = Vec::new();
    let mut too_deep = false;
    let mut blobs: Vec<(String, Oid)> = Vec::new();
    let walked = git::walk_tree(repo, item.id, |rel, entry| {
        let markdown = crate::inputs::is_markdown(OsStr::new(&entry.name));
        let shown = status::within(rel);
        let added = match entry.kind {
            EntryKind::Folder => Entry::Folder,
            EntryKind::File if markdown => {
                // Read after the walk, the feature's own documents first.
                blobs.push((rel.to_string(), entry.id));
                Entry::Other
            }
            EntryKind::Link if markdown => {
                Entry::Markdown(Err(format!("{shown} is a symbolic link; not followed")))
            }
            EntryKind::Submodule if !entry.name.starts_with('.') => {
                submodules.push(rel.to_string());
                Entry::Other
            }
            EntryKind::File | EntryKind::Link | EntryKind::Submodule => Entry::Other,
        };
        folder.add(rel, added);
        let deep = rel.matches('/').count() + 1 >= status::MAX_FOLDER_DEPTH;
        too_deep |= deep && entry.kind == EntryKind::Folder;
        !entry.name.starts_with('.') && !deep
    });
    if too_deep {
        folder.note(format!(
            "folders more than {} levels deep are not read",
            status::MAX_FOLDER_DEPTH
        ));
    }
    // Many entries may name one large blob: the folder's budget bounds the text held, and a
    // blob it cannot hold is not inflated at all.
    folder.read_markdown(
        blobs,
        |&id| {
            repo.odb()
                .and_then(|odb| odb.read_header(id))
                .map_or(0, |(size, _)| size as u64)
        },
        |shown, id| crate::docs::decode(blob(repo, id), shown).map_err(|e| e.to_string()),
    );
    for rel in submodules {
        folder.note(format!("{rel} is a submodule; not read"));
    }
    if let Err(why) = walked {
        folder.note(format!("cannot read the whole folder: {why}"));
    }
    folder
}

/// A Markdown blob, as [`crate::docs::decode`] takes a file's bytes.
fn blob(repo: &Repository, id: Oid) -> std::result::Result<Option<Vec<u8>>, ReadProblem> {
    match git::read_blob(repo, id, MAX_FILE_BYTES) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(BlobProblem::TooLarge(size)) => Err(ReadProblem::TooLarge(size as u64)),
        Err(BlobProblem::Unreadable(why)) => Err(ReadProblem::Io(std::io::Error::other(format!(
            "the git object is missing or corrupt ({why})"
        )))),
    }
}

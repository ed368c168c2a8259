//! Where requirements are cited: every file of the repository outside the specs folder, git's
//! own folder and ignored or vendored folders, scanned for requirement IDs in comments
//! ([`crate::citations`]), from the work tree ([`citations_in_work_tree`]) or from the git index
//! ([`citations_in_index`], for `--staged`).
//!
//! What is not read:
//!
//! - what git ignores: `.gitignore` files at every level, `.git/info/exclude` and
//!   `core.excludesFile`, also outside a git repository (in the work tree; the index holds
//!   what the next commit holds, ignored or not);
//! - folders named `.git`, `.terraform`, `.terragrunt-cache`, `node_modules`, `vendor` or
//!   `.specops` at any depth (caches, vendored code and specops' own templates, which carry
//!   example IDs), and the folders the caller names (the specs folder);
//! - the assistants' command folders (`.claude/commands`, `.github/prompts`, … from
//!   [`crate::agents::AGENTS`]): the prompts specops installs show citations as examples;
//! - another repository inside this one (a folder holding `.git`: a submodule, a nested clone);
//!   in the index, submodules and symlinks;
//! - symlinks to folders (never followed) and symlinks to anything outside the root; a symlink
//!   to a file inside the root is read under the link's own path too;
//! - binary files (a NUL byte), files over [`MAX_CITING_BYTES`] (listed in
//!   [`CitationIndex::skipped`] with files that could not be read), FIFOs and devices.
//!
//! Text that is not UTF-8 is read with the bad bytes replaced. Memory holds the citations and at
//! most one file per thread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::citations::{is_test_path, scan_file};
use crate::error::{Error, Result};
use crate::fsx::ReadProblem;
use crate::git::StagedContent;

/// The largest file scanned for citations: infrastructure code is kilobytes, and a larger file
/// (a state file, a bundle, generated data) is not where a person writes a requirement ID.
pub const MAX_CITING_BYTES: u64 = 4 * 1024 * 1024;

/// Folders never read, at any depth.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    ".terragrunt-cache",
    "node_modules",
    "vendor",
    ".specops",
];

/// One place a requirement ID is cited.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cite {
    /// The file, relative to the root, with `/`.
    pub path: String,
    /// The 1-based line.
    pub line: usize,
    /// The feature named before the ID (`003` in `003/IR-001`), if any.
    pub qualifier: Option<String>,
    /// Whether the file is a test ([`is_test_path`]).
    pub test: bool,
}

/// A file that was not scanned, and why (too large, unreadable); binary files are not listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The citations of a repository, by requirement ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitationIndex {
    by_id: BTreeMap<String, Vec<Cite>>,
    /// How many files were scanned.
    pub files: usize,
    /// Files that were not scanned, by path.
    pub skipped: Vec<Skipped>,
}

impl CitationIndex {
    /// Where `id` is cited for the feature whose folder is `feature_dir_name`
    /// (`003-multi-tenant-kubernetes`): unqualified citations, and those whose qualifier is
    /// the folder's name or its key ([`qualifier_names`]). By path, then line.
    pub fn cites<'a>(
        &'a self,
        id: &str,
        feature_dir_name: &'a str,
    ) -> impl Iterator<Item = &'a Cite> + 'a {
        self.all(id).iter().filter(move |c| {
            c.qualifier
                .as_deref()
                .is_none_or(|q| qualifier_names(q, feature_dir_name))
        })
    }

    /// [`Self::cites`] as the trace shows it: the citing files, tests marked.
    pub(crate) fn file_refs(
        &self,
        id: &str,
        feature_dir_name: &str,
    ) -> Vec<crate::traceability::FileRef> {
        self.cites(id, feature_dir_name)
            .map(|c| crate::traceability::FileRef {
                path: c.path.clone(),
                line: c.line,
                test: c.test,
            })
            .collect()
    }

    /// Every citation of `id`, whatever its qualifier, by path, then line.
    pub fn all(&self, id: &str) -> &[Cite] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// The cited IDs, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    fn add(&mut self, path: &str, text: &str) {
        self.files += 1;
        let test = is_test_path(path);
        for c in scan_file(path, text) {
            self.by_id.entry(c.id).or_default().push(Cite {
                path: path.to_string(),
                line: c.line,
                qualifier: c.qualifier,
                test,
            });
        }
    }

    /// Merge `other` in, and put every list in order.
    fn merge(&mut self, other: CitationIndex) {
        self.files += other.files;
        self.skipped.extend(other.skipped);
        for (id, cites) in other.by_id {
            self.by_id.entry(id).or_default().extend(cites);
        }
    }

    fn sort(&mut self) {
        self.skipped.sort();
        for cites in self.by_id.values_mut() {
            cites.sort();
        }
    }
}

/// Whether the qualifier `q` of a citation names the feature folder `dir`: it is the folder's
/// name, or its key — the number (`003`, also written `3`), the timestamp (`20261204-120000`)
/// or the ticket (`PLAT-123`) the name starts with.
pub fn qualifier_names(q: &str, dir: &str) -> bool {
    if q == dir {
        return true;
    }
    let key = crate::citations::feature_key(dir);
    if key.is_empty() {
        return false;
    }
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    q == key
        || (numeric(q) && numeric(key) && q.trim_start_matches('0') == key.trim_start_matches('0'))
}

/// The folders a scan leaves out, relative to the root with `/`: `skip` (absolute, or relative
/// to the root) and the assistants' command folders. The root itself is never left out (a
/// specs folder configured as `.` holds the feature folders at the top).
fn skipped_folders(root: &Path, skip: &[PathBuf]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in skip {
        let p = if p.is_absolute() {
            p.clone()
        } else {
            root.join(p)
        };
        let p = p.canonicalize().unwrap_or(p);
        match crate::fsx::display(&p, root) {
            // A specs folder that is the root itself (`specs_dir: .`): its feature folders are
            // left out, not the whole repository.
            f if f == "." => out.extend(feature_folders(root)),
            f => out.push(f),
        }
    }
    out.extend(
        crate::agents::AGENTS
            .iter()
            .filter(|a| !a.dir.is_empty())
            .map(|a| a.dir.to_string()),
    );
    out
}

/// The folders directly in `root` named like feature folders (`003-x`, `PLAT-12-x`).
fn feature_folders(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| crate::naming::Naming::shared().key(name).is_some())
        .collect()
}

/// Whether the file or folder at `rel` (relative to the root, with `/`) is left out by name.
fn left_out(rel: &str, folders: &[String]) -> bool {
    let mut parts = rel.split('/');
    let name = parts.next_back().unwrap_or_default();
    SKIPPED_DIRS.contains(&name)
        || parts.any(|p| SKIPPED_DIRS.contains(&p))
        || folders.iter().any(|f| {
            rel == f
                || rel
                    .strip_prefix(f.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
}

/// The citations in the files of the work tree below `root`, leaving out the folders `skip`
/// (absolute or relative to `root`; the specs folder) and everything the module documentation
/// lists. Folders are walked and files scanned in parallel.
pub fn citations_in_work_tree(root: &Path, skip: &[PathBuf]) -> Result<CitationIndex> {
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, &e))?;
    if !root.is_dir() {
        return Err(Error::input(
            format!("{} is not a folder", root.display()),
            "scan a repository's folder for citations",
        )
        .into());
    }
    let folders = skipped_folders(&root, skip);
    let filter_root = root.clone();
    let mut walk = ignore::WalkBuilder::new(&root);
    walk.hidden(false)
        .ignore(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let rel = crate::fsx::display(e.path(), &filter_root);
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let nested_repository = is_dir && e.path().join(".git").exists();
            !(nested_repository || left_out(&rel, &folders))
        });
    let found = Mutex::new(CitationIndex::default());
    walk.build_parallel().run(|| {
        let root = &root;
        let found = &found;
        Box::new(move |entry| {
            if let Ok(entry) = entry {
                let kind = entry.file_type();
                let link = kind.is_some_and(|t| t.is_symlink());
                if link || kind.is_some_and(|t| t.is_file()) {
                    let mut one = CitationIndex::default();
                    scan_work_tree_file(root, entry.path(), link, &mut one);
                    merge_into(found, one);
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut index = found.into_inner().unwrap_or_else(|p| p.into_inner());
    index.sort();
    Ok(index)
}

/// Scan the work-tree file at `path` into `index`: a regular file, or (`link`) a symlink to
/// one inside `root`.
fn scan_work_tree_file(root: &Path, path: &Path, link: bool, index: &mut CitationIndex) {
    let rel = crate::fsx::display(path, root);
    if link
        && !path
            .canonicalize()
            .is_ok_and(|t| t.starts_with(root) && t.is_file())
    {
        return;
    }
    let skipped = |reason: String| Skipped {
        path: rel.clone(),
        reason,
    };
    match crate::fsx::read_regular(path, MAX_CITING_BYTES) {
        Ok(Some(bytes)) => add_bytes(index, &rel, &bytes),
        Ok(None) | Err(ReadProblem::NotRegular) => {}
        Err(ReadProblem::TooLarge(_)) => index.skipped.push(skipped(too_large())),
        Err(ReadProblem::Io(e)) => index.skipped.push(skipped(e.to_string())),
    }
}

fn too_large() -> String {
    format!("larger than {} MiB", MAX_CITING_BYTES / (1024 * 1024))
}

/// Scan a file's bytes, unless they are binary.
fn add_bytes(index: &mut CitationIndex, rel: &str, bytes: &[u8]) {
    if memchr::memchr(0, bytes).is_none() {
        index.add(rel, &String::from_utf8_lossy(bytes));
    }
}

/// The citations in the files the git index holds for the next commit below `root` (what
/// `--staged` sees), leaving out what [`citations_in_work_tree`] leaves out but for ignore
/// rules (a staged file is committed whether or not it is ignored). A file with unresolved
/// conflicts is read from the work tree. The repository is the one `root` is in, or the
/// environment's (`GIT_DIR`, `GIT_INDEX_FILE`) in a git hook.
pub fn citations_in_index(root: &Path, skip: &[PathBuf]) -> Result<CitationIndex> {
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, &e))?;
    let folders = skipped_folders(&root, skip);
    let found = Mutex::new(CitationIndex::default());
    crate::git::for_each_index_file(
        &root,
        |rel| !left_out(rel, &folders),
        MAX_CITING_BYTES,
        |rel, content| {
            let mut one = CitationIndex::default();
            match content {
                StagedContent::Blob(bytes) => add_bytes(&mut one, &rel, &bytes),
                StagedContent::Unreadable(reason) => {
                    one.skipped.push(Skipped { path: rel, reason })
                }
                StagedContent::Conflicted => {
                    let path = root.join(&rel);
                    scan_work_tree_file(&root, &path, path.is_symlink(), &mut one)
                }
            }
            merge_into(&found, one);
        },
    )?;
    let mut index = found.into_inner().unwrap_or_else(|p| p.into_inner());
    index.sort();
    Ok(index)
}

/// Add the citations of one file to the shared index of a parallel scan.
fn merge_into(found: &Mutex<CitationIndex>, one: CitationIndex) {
    if one.files > 0 || !one.skipped.is_empty() {
        found.lock().unwrap_or_else(|p| p.into_inner()).merge(one);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_name_a_folder_by_name_or_key() {
        let yes = [
            ("003-multi-tenant", "003-multi-tenant"),
            ("003", "003-multi-tenant"),
            ("3", "003-multi-tenant"),
            ("0003", "003-multi-tenant"),
            ("1000", "1000-big"),
            ("PLAT-123", "PLAT-123-eks"),
            ("PLAT-123-eks", "PLAT-123-eks"),
            ("20261204-120000", "20261204-120000-eks"),
            ("7", "7"),
        ];
        for (q, dir) in yes {
            assert!(qualifier_names(q, dir), "{q} names {dir}");
        }
        let no = [
            ("004", "003-multi-tenant"),
            ("003-multi", "003-multi-tenant"),
            ("multi-tenant", "003-multi-tenant"),
            ("PLAT-12", "PLAT-123-eks"),
            ("20261204", "20261204-120000-eks"),
            ("0", "eks"),
            ("", "eks"),
            ("eks", "eks-2"),
        ];
        for (q, dir) in no {
            assert!(!qualifier_names(q, dir), "{q} does not name {dir}");
        }
    }

    #[test]
    fn left_out_by_name_or_folder() {
        let folders = vec!["specs".to_string(), ".claude/commands".to_string()];
        for rel in [
            "specs",
            "specs/001-x/spec.md",
            "a/node_modules/x.js",
            ".terraform",
            "modules/x/.terraform/providers/p.tf",
            "vendor/x.go",
            ".claude/commands/specops.plan.md",
            ".git",
        ] {
            assert!(left_out(rel, &folders), "{rel}");
        }
        for rel in [
            "specsheet.tf",
            "main.tf",
            "a/vendored/x.go",
            ".claude/settings.json",
        ] {
            assert!(!left_out(rel, &folders), "{rel}");
        }
        let root = std::env::temp_dir();
        assert!(skipped_folders(&root, &[root.clone(), PathBuf::from(".")])
            .iter()
            .all(|f| f != "."));
    }
}

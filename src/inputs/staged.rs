//! What `specops check --staged` lints: the documents staged for the next commit, as the index
//! holds them, compared with the index's content of their features' other documents. During a
//! merge, a document with unresolved conflicts has no staged version: its work-tree version
//! (the one being resolved) is linted instead.

use std::path::{Path, PathBuf};

use super::select::Selection;
use super::{normalize, shown, Collected};
use crate::error::Result;
use crate::git::StagedContent;
use crate::lint::engine::{related_documents, RelatedSource, Source, MAX_FILE_BYTES};
use crate::workspace::{project_root_of, Workspace};

/// The roots of the projects that own staged files at or below `ws`'s root (see
/// [`project_root_of`]), `ws`'s own first: in a repository holding several projects, each
/// project's staged documents are linted with its own configuration.
pub(crate) fn staged_projects(ws: &Workspace) -> Result<Vec<PathBuf>> {
    let Some(top) = crate::git::work_tree_root(&ws.root)? else {
        return Ok(vec![ws.root.clone()]);
    };
    let owners = std::cell::RefCell::new(std::collections::BTreeSet::new());
    // Only the paths are wanted: refusing every file loads no content.
    crate::git::staged_files(
        |abs| {
            if abs.starts_with(&ws.root) {
                owners.borrow_mut().insert(project_root_of(abs, &top));
            }
            false
        },
        0,
    )?;
    let mut roots = vec![ws.root.clone()];
    roots.extend(owners.into_inner().into_iter().filter(|r| *r != ws.root));
    Ok(roots)
}

/// The staged content of changed spec documents (for `specops check --staged` in a pre-commit
/// hook): index entries added or modified relative to HEAD, limited to Markdown under the specs
/// folder, the constitution and the `include` globs (minus `exclude`), and to `paths` if given.
pub(crate) fn collect_staged(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Collected> {
    let mut sel = Selection::new(ws)?;
    // The config gives the folder in one spelling (`specs`, or `.` for the root).
    let specs = match ws.config.specs_dir.as_str() {
        "." => String::new(),
        dir => format!("{dir}/"),
    };
    let constitution = ws.display(&ws.constitution());
    let limits: Vec<PathBuf> = paths.iter().map(|p| normalize(&cwd.join(p))).collect();
    let root = ws.root.clone();
    let include = sel.include.clone();
    let git_root = crate::git::work_tree_root(&root)?;
    let wanted = |abs: &Path| {
        let rel = crate::fsx::display(abs, &root);
        let in_scope = (rel.starts_with(&specs) && rel.to_ascii_lowercase().ends_with(".md"))
            || rel == constitution
            || include.is_match(&rel);
        in_scope
            && abs.starts_with(&root)
            && (limits.is_empty() || limits.iter().any(|l| abs.starts_with(l)))
            // A file of a project nested in this one is that project's to lint.
            && git_root
                .as_deref()
                .is_none_or(|top| project_root_of(abs, top) == root)
    };
    for staged in crate::git::staged_files(wanted, MAX_FILE_BYTES)? {
        let path = shown(ws, &staged.path);
        let source = match staged.content {
            StagedContent::Blob(bytes) => Source::Bytes(bytes),
            StagedContent::Unreadable(message) => Source::Failed(message),
            // Mid-merge: the version being resolved, which is what will be committed.
            StagedContent::Conflicted => super::read::file(staged.path),
        };
        sel.push(path, source, false);
    }
    let (inputs, _) = sel.finish();
    // The staged documents are compared with what the commit will hold of their feature's
    // other documents: the index's content, not the work tree's.
    let mut wanted: Vec<String> = inputs
        .iter()
        .flat_map(|i| related_documents(&i.path, &constitution))
        .collect();
    wanted.sort();
    wanted.dedup();
    let related = crate::git::index_contents(&ws.root, &wanted, MAX_FILE_BYTES)?;
    Ok(Collected {
        inputs,
        related: RelatedSource::Reader(Box::new(move |path| related.get(path).cloned())),
    })
}

//! What `specops check` lints and where the bytes come from: the files and folders it is given,
//! or the specs folder, the constitution and the config's `include` globs (minus `exclude`); or,
//! for `--staged`, the documents staged for the next commit. The linter
//! ([`crate::lint::engine`]) gets each document's bytes from here and never reads a file or the
//! git index itself.
//!
//! [`walk`] finds the Markdown files, [`select`] applies the globs, [`read`] reads the work
//! tree's files (without probing for related documents a walk has shown are not there) and
//! [`staged`] reads the index.
//!
//! [`citations`] finds where requirements are cited in the rest of the repository, from the
//! work tree or the index.

pub(crate) mod citations;
mod read;
mod repository;
mod select;
mod staged;
mod walk;

use std::path::{Component, Path, PathBuf};

use select::Selection;

use crate::error::{Error, ErrorKind, Result};
use crate::lint::engine::{Input, RelatedSource};
use crate::workspace::Workspace;

pub(crate) use repository::repository;
pub(crate) use staged::{collect_staged, staged_projects};
pub(crate) use walk::is_markdown;

/// The inputs to lint and where their related documents come from.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub inputs: Vec<Input>,
    pub related: RelatedSource,
}

/// The documents `specops check [PATHS…]` lints: the given files and folders, or by default the
/// specs folder, the constitution and the config's `include` globs, minus `exclude`. Related
/// documents are read from the work tree.
pub(crate) fn collect(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Collected> {
    let mut sel = Selection::new(ws)?;
    if paths.is_empty() {
        let specs = ws.specs_dir();
        if specs.is_dir() {
            sel.walk_specs(ws, &specs)?;
        }
        let constitution = ws.constitution();
        if constitution.exists() {
            sel.push(shown(ws, &constitution), read::file(constitution), false);
        }
        for other in crate::layout::OTHER_SPEC_DIRS {
            let dir = ws.root.join(other);
            if dir.is_dir() {
                sel.walk(ws, &dir, |_| true);
            }
        }
        if !ws.config.include.is_empty() {
            let include = sel.include.clone();
            sel.walk(ws, &ws.root.clone(), |p| include.is_match(p));
        }
    }
    for arg in paths {
        let abs = normalize(&cwd.join(arg));
        let meta = std::fs::metadata(&abs).or_else(|_| std::fs::symlink_metadata(&abs));
        match meta {
            Ok(m) if m.is_dir() => {
                let dir = abs.canonicalize().unwrap_or(abs);
                if ws.specs_dir().canonicalize().is_ok_and(|specs| specs == dir) {
                    sel.walk_specs(ws, &dir)?;
                } else {
                    sel.walk(ws, &dir, |_| true);
                }
            }
            Ok(_) => {
                let abs = canonical_parent(&abs);
                sel.push(shown(ws, &abs), read::file(abs), true);
            }
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Input,
                    format!("{}: {e}", arg.display()),
                    "check the path; without paths, `specops check` lints specs/ and memory/constitution.md",
                )
                .into())
            }
        }
    }
    let (inputs, listing) = sel.finish();
    Ok(Collected {
        inputs,
        related: read::work_tree(ws.root.clone(), listing),
    })
}

/// Answers [`linted_by_default`].
pub(crate) type LintedByDefault = Box<dyn Fn(&str) -> bool>;

/// Whether a default `specops check` (no paths) lints the document at root-relative `path`:
/// a Markdown file under the specs folder, the constitution, another tool's specs folder or an
/// `include` glob, and neither excluded nor a template. For `specops lsp`, which is handed
/// documents one at a time instead of walking.
pub(crate) fn linted_by_default(ws: &Workspace) -> Result<LintedByDefault> {
    let sel = Selection::new(ws)?;
    let specs = format!("{}/", ws.display(&ws.specs_dir()));
    let constitution = ws.display(&ws.constitution());
    Ok(Box::new(move |path: &str| {
        let markdown = path.to_ascii_lowercase().ends_with(".md");
        let chosen = path.starts_with(&specs)
            || path == constitution
            || crate::layout::OTHER_SPEC_DIRS
                .iter()
                .any(|d| path.starts_with(&format!("{d}/")))
            || sel.include.is_match(path);
        markdown && chosen && sel.selects(path)
    }))
}

/// Reads a document from the work tree under `root` by its root-relative path, as `check`
/// reads the documents it compares with; `None` when it is missing or cannot be read.
pub(crate) fn work_tree_reader(root: PathBuf) -> impl Fn(&str) -> Option<Vec<u8>> + Send + Sync {
    read::from_work_tree(root)
}

/// `path` relative to the root with `/`, or as given when it lies outside the root.
fn shown(ws: &Workspace, path: &Path) -> String {
    if path.starts_with(&ws.root) {
        ws.display(path)
    } else {
        path.to_string_lossy().into_owned()
    }
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` with its folder resolved through symlinks (so it displays relative to the root),
/// keeping its own name even when it is a symlink.
fn canonical_parent(path: &Path) -> PathBuf {
    match (
        path.parent().and_then(|p| p.canonicalize().ok()),
        path.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.md")),
            PathBuf::from("/a/c/d.md")
        );
    }
}

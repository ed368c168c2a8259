//! Choosing what to lint: the config's `include` and `exclude` globs and the documents the walks
//! find.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::read;
use super::shown;
use crate::error::{Error, ErrorKind, Result};
use crate::lint::engine::{Input, Source};
use crate::workspace::Workspace;

/// Globs from the config (`include`/`exclude`), matched against root-relative paths.
fn globs(patterns: &[String], key: &str) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "invalid glob `{p}` under `{key}:` in {}: {e}",
                    crate::config::CONFIG_PATH
                ),
                "fix the pattern, e.g. `specs/**/notes.md`",
            )
        })?;
        b.add(glob);
    }
    b.build().map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("invalid globs under `{key}:`: {e}"),
            "fix the patterns",
        )
        .into()
    })
}

/// What to lint and how the paths were chosen.
pub(super) struct Selection {
    inputs: Vec<Input>,
    exclude: GlobSet,
    pub(super) include: GlobSet,
}

impl Selection {
    pub(super) fn new(ws: &Workspace) -> Result<Self> {
        Ok(Self {
            inputs: Vec::new(),
            exclude: globs(&ws.config.exclude, "exclude")?,
            include: globs(&ws.config.include, "include")?,
        })
    }

    /// Lint `path` unless it is excluded; an `explicit` path (a file argument) never is.
    pub(super) fn push(&mut self, path: String, source: Source, explicit: bool) {
        if explicit || !self.exclude.is_match(&path) {
            self.inputs.push(Input { path, source });
        }
    }

    /// The inputs in path order, each once.
    pub(super) fn finish(mut self) -> Vec<Input> {
        self.inputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.inputs.dedup_by(|a, b| a.path == b.path);
        self.inputs
    }

    /// Every `*.md` under `dir` (symlinked folders are not followed, so a link loop cannot
    /// trap the walk; a symlinked file is read through its link). Reading folders is most of
    /// the system time of a large run, so the folders under `dir` (one per feature, under
    /// specs/) are walked on worker threads.
    pub(super) fn walk(&mut self, ws: &Workspace, dir: &Path, only: impl Fn(&str) -> bool) {
        let mut subdirs = Vec::new();
        let mut entries = Vec::new();
        for entry in walker(dir, 0, 1) {
            match entry {
                Ok(e) if e.depth() == 1 && e.file_type().is_dir() => {
                    subdirs.push(e.into_path());
                }
                other => entries.push(other),
            }
        }
        let walked = crate::parallel::map(&subdirs, |sub| {
            walker(sub, 1, usize::MAX).collect::<Vec<_>>()
        });
        for entry in entries.into_iter().chain(walked.into_iter().flatten()) {
            self.add(ws, entry, &only);
        }
    }

    /// One entry of a walk: a Markdown file (or a link to one) that `only` accepts, or a
    /// folder or file that could not be read.
    fn add(
        &mut self,
        ws: &Workspace,
        entry: walkdir::Result<walkdir::DirEntry>,
        only: &impl Fn(&str) -> bool,
    ) {
        match entry {
            Ok(e) => {
                let is_md = e.file_name().to_str().is_some_and(|n| {
                    n.len() >= 3 && n.as_bytes()[n.len() - 3..].eq_ignore_ascii_case(b".md")
                });
                if !is_md {
                    return;
                }
                let file_like =
                    e.file_type().is_file() || (e.file_type().is_symlink() && !e.path().is_dir());
                let path = shown(ws, e.path());
                if file_like && only(&path) {
                    self.push(path, read::file(e.into_path()), false);
                }
            }
            Err(err) => {
                let Some(p) = err.path() else { return };
                let path = shown(ws, p);
                let message = format!(
                    "cannot read: {}",
                    err.io_error()
                        .map_or_else(|| err.to_string(), |e| e.to_string())
                );
                self.push(path, Source::Failed(message), false);
            }
        }
    }
}

/// The entries of `dir` from depth `min` to `max`, not following symlinked folders and
/// skipping hidden and build folders below it.
fn walker(
    dir: &Path,
    min: usize,
    max: usize,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(min)
        .max_depth(max)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e))
}

/// Hidden folders and build output never hold specs.
fn is_skipped_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir()
        && e.file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.') || n == "node_modules" || n == "target")
}

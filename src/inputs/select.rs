//! Choosing what to lint: the config's `include` and `exclude` globs, the documents the walks
//! find, and what the walks saw for reading related documents later.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::read::{self, Listing};
use super::shown;
use super::walk::walk;
use crate::error::{Error, ErrorKind, Result};
use crate::lint::engine::{Input, Source};
use crate::workspace::Workspace;

/// Whether `path` is UTF-8 below the root (or as a whole, outside it).
fn utf8_below(ws: &Workspace, path: &Path) -> bool {
    path.strip_prefix(&ws.root)
        .unwrap_or(path)
        .to_str()
        .is_some()
}

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
    listing: Listing,
}

impl Selection {
    pub(super) fn new(ws: &Workspace) -> Result<Self> {
        Ok(Self {
            inputs: Vec::new(),
            exclude: globs(&ws.config.exclude, "exclude")?,
            include: globs(&ws.config.include, "include")?,
            listing: Listing::default(),
        })
    }

    /// Lint `path` unless it is excluded or a template (whose placeholders are its purpose);
    /// an `explicit` path (a file argument) is always linted.
    pub(super) fn push(&mut self, path: String, source: Source, explicit: bool) {
        if explicit || self.selects(&path) {
            self.inputs.push(Input { path, source });
        }
    }

    /// Whether a path a walk found is linted: neither excluded nor a template.
    pub(super) fn selects(&self, path: &str) -> bool {
        !(self.exclude.is_match(path) || crate::layout::is_template(path))
    }

    /// The inputs in path order, each once, and what the walks saw.
    pub(super) fn finish(mut self) -> (Vec<Input>, Listing) {
        self.inputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.inputs.dedup_by(|a, b| a.path == b.path);
        (self.inputs, self.listing)
    }

    /// Every `*.md` under the specs folder `dir`, the feature folders linked into it included:
    /// a feature folder (`KEY-*`) that is a symlink to a folder inside the repository is walked
    /// like any other, one that leads outside is an error (the rule every command follows, see
    /// [`crate::feature::folders`]).
    pub(super) fn walk_specs(&mut self, ws: &Workspace, dir: &Path) -> Result<()> {
        for link in self.walk(ws, dir, |_| true) {
            let is_feature = link.parent() == Some(dir)
                && link
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| ws.naming.key(n).is_some());
            if is_feature && crate::feature::is_followed_link(ws, &link)? {
                self.walk(ws, &link, |_| true);
            }
        }
        Ok(())
    }

    /// Every `*.md` under `dir` that `only` accepts (and the folders and entries that could not
    /// be read, to report); the other symlinks found, which are not followed.
    pub(super) fn walk(
        &mut self,
        ws: &Workspace,
        dir: &Path,
        only: impl Fn(&str) -> bool,
    ) -> Vec<std::path::PathBuf> {
        let walked = walk(dir);
        for folder in &walked.listed {
            self.listing.add_folder(shown(ws, folder));
        }
        for file in walked.files {
            let path = shown(ws, &file);
            self.listing.add_file(&path);
            if !only(&path) {
                continue;
            }
            let source = if utf8_below(ws, &file) {
                read::file(file)
            } else {
                // Paths are text in every output (and in the rules that find a document's
                // feature), so this file is named as best we can and not linted.
                Source::Failed(
                    "the file name is not valid UTF-8 (shown here with � for the bytes that are \
                     not); not linted: rename it"
                        .to_string(),
                )
            };
            self.push(path, source, false);
        }
        for (path, err) in walked.failed {
            let message = format!("cannot read: {err}");
            self.push(shown(ws, &path), Source::Failed(message), false);
        }
        walked.links
    }
}

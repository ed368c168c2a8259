//! Finding the repository a command works in: its root, its config, its folders.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::error::{Error, ErrorKind, Result};
use crate::naming::Naming;
use crate::templates::Templates;

/// The repository specops works in.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// Absolute path of the root folder (where `.specops/` and `specs/` live).
    pub root: PathBuf,
    /// The loaded configuration (defaults when there is no config file).
    pub config: Config,
    /// The configuration's naming rules: which folders and branches are features.
    pub naming: Naming,
}

impl Workspace {
    /// Find the workspace containing `start`.
    ///
    /// The root is `SPECOPS_ROOT` when set (relative to `start`); else the nearest folder from
    /// `start` upwards (not beyond the git work tree's top) that has a `.specops/` folder; else
    /// the git work tree's top; else the nearest folder with a `specs/` folder; else `start`.
    pub(crate) fn discover(start: &Path) -> Result<Self> {
        match std::env::var_os(ROOT_ENV).filter(|v| !v.is_empty()) {
            Some(root) => Self::at(&start.join(root), true),
            None => Self::at(start, false),
        }
    }

    /// The workspace whose root is found from `start` (see [`Workspace::discover`]), or is
    /// `start` itself when `exact`.
    pub(crate) fn at(start: &Path, exact: bool) -> Result<Self> {
        let start = start.canonicalize().map_err(|e| {
            let err = Error::io("open folder", start, &e);
            if exact {
                Error::usage(
                    format!("{ROOT_ENV}: {}", err.message),
                    format!("point {ROOT_ENV} at an existing project folder, or unset it"),
                )
            } else {
                err
            }
        })?;
        if exact && !start.is_dir() {
            return Err(Error::usage(
                format!("{ROOT_ENV} is {}, which is not a folder", start.display()),
                format!("point {ROOT_ENV} at an existing project folder, or unset it"),
            )
            .into());
        }
        let git_root = crate::git::work_tree_root(&start)?;
        let root = if exact {
            start.clone()
        } else {
            find_root(&start, git_root.as_deref())
        };
        let config = config::load(&root)?;
        let naming = Naming::new(&config.ticket_pattern, &config.branch.template).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("invalid configuration in {}: {e}", config::CONFIG_PATH),
                "fix the value (see docs/configuration.md), or remove the key to use the default",
            )
        })?;
        let ws = Self {
            root,
            config,
            naming,
        };
        // Inside is decided on canonical paths: a symlinked specs folder, a parent of it or the
        // constitution cannot lead outside the root.
        ws.ensure_inside(&ws.specs_dir())?;
        ws.ensure_inside(&ws.constitution())?;
        Ok(ws)
    }

    /// Fail unless `path` stays inside the root once every symlink in it is followed.
    pub(crate) fn ensure_inside(&self, path: &Path) -> Result<()> {
        crate::fsx::ensure_inside(&self.root, path, &self.display(path))
    }

    /// Read the document at `path` (see [`crate::docs::read`]), provided it stays inside the
    /// root once symlinks are followed; `None` when it does not exist.
    pub(crate) fn read(&self, path: &Path) -> Result<Option<String>> {
        self.ensure_inside(path)?;
        crate::docs::read(path, &self.display(path))
    }

    /// Find the workspace containing the current directory.
    pub(crate) fn current() -> Result<Self> {
        let cwd = std::env::current_dir().map_err(|e| {
            Error::environment(
                format!("cannot read the current directory: {e}"),
                "cd into an existing folder",
            )
        })?;
        Self::discover(&cwd)
    }

    /// The folder holding feature folders.
    pub(crate) fn specs_dir(&self) -> PathBuf {
        self.root.join(&self.config.specs_dir)
    }

    /// The constitution file: the configured one; when that is the default and does not exist,
    /// spec-kit's `.specify/memory/constitution.md` if there is one.
    pub(crate) fn constitution(&self) -> PathBuf {
        let configured = self.root.join(&self.config.constitution);
        if !configured.exists() && self.config.constitution == Config::default().constitution {
            let spec_kit = self.root.join(crate::layout::SPEC_KIT_CONSTITUTION);
            if spec_kit.is_file() {
                return spec_kit;
            }
        }
        configured
    }

    /// The templates of this workspace (embedded, with its overrides).
    pub(crate) fn templates(&self) -> Templates {
        Templates::for_root(&self.root)
    }

    /// `path` relative to the root, with `/`, for messages and JSON.
    pub(crate) fn display(&self, path: &Path) -> String {
        crate::fsx::display(path, &self.root)
    }
}

/// The environment variable that sets the project root, overriding the search.
pub(crate) const ROOT_ENV: &str = "SPECOPS_ROOT";

/// The root of the project that owns `path` (a file in the work tree whose top is
/// `git_root`): the nearest folder above it holding `.specops/`, else the top.
pub(crate) fn project_root_of(path: &Path, git_root: &Path) -> PathBuf {
    find_root(path.parent().unwrap_or(path), Some(git_root))
}

fn find_root(start: &Path, git_root: Option<&Path>) -> PathBuf {
    let mut with_specs = None;
    for dir in start.ancestors() {
        if dir.join(".specops").is_dir() {
            return dir.to_path_buf();
        }
        if with_specs.is_none() && dir.join("specs").is_dir() {
            with_specs = Some(dir.to_path_buf());
        }
        if Some(dir) == git_root {
            return dir.to_path_buf();
        }
    }
    with_specs.unwrap_or_else(|| start.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_rules() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().canonicalize().unwrap();
        let deep = base.join("repo/infra/team/x");
        std::fs::create_dir_all(&deep).unwrap();
        // Nothing anywhere: the start folder.
        assert_eq!(find_root(&deep, None), deep);
        // A specs/ folder above.
        std::fs::create_dir_all(base.join("repo/specs")).unwrap();
        assert_eq!(find_root(&deep, None), base.join("repo"));
        // The git top wins over specs/ above it, .specops below it wins over the git top.
        assert_eq!(
            find_root(&deep, Some(&base.join("repo/infra"))),
            base.join("repo/infra")
        );
        std::fs::create_dir_all(base.join("repo/infra/team/.specops")).unwrap();
        assert_eq!(
            find_root(&deep, Some(&base.join("repo/infra"))),
            base.join("repo/infra/team")
        );
    }
}

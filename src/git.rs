//! Everything git, through git2 (libgit2) behind a small API. No `git` process is ever run.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::error::{Error, ErrorKind, Result};

/// Open the repository that contains `dir`, if any (honours GIT_DIR and friends when `dir` is
/// the current directory, as a git hook expects).
pub fn discover(dir: &Path) -> Option<Repository> {
    let here = std::env::current_dir().ok();
    let is_cwd = here.as_deref().is_some_and(|h| same_dir(h, dir));
    if is_cwd {
        Repository::open_from_env().ok()
    } else {
        Repository::discover(dir).ok()
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The top folder of the work tree containing `dir`, or `None` outside a work tree
/// (or in a bare repository).
pub fn work_tree_root(dir: &Path) -> Option<PathBuf> {
    let repo = discover(dir)?;
    let wd = repo.workdir()?;
    Some(wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf()))
}

/// `git init` in `dir`.
pub fn init(dir: &Path) -> Result<()> {
    Repository::init(dir).map_err(|e| {
        Error::new(
            ErrorKind::Environment,
            format!(
                "cannot create a git repository in {}: {}",
                dir.display(),
                e.message()
            ),
            "check the folder's permissions, or pass --no-git",
        )
    })?;
    Ok(())
}

/// The folder git runs hooks from: `core.hooksPath` when set (relative to the work tree's
/// top), else `<common git dir>/hooks`.
pub fn hooks_dir(repo: &Repository) -> PathBuf {
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().unwrap_or_else(|| repo.path()).join(p),
        None => repo.commondir().join("hooks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_discover_from_a_subfolder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(work_tree_root(dir.path()).is_none() || !dir.path().join(".git").exists());
        init(dir.path()).unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(
            work_tree_root(&sub).unwrap(),
            dir.path().canonicalize().unwrap()
        );
    }
}

/// The name of the branch checked out in the repository containing `dir` (also when it has no
/// commit yet); `None` outside a repository or with a detached HEAD.
pub fn current_branch(dir: &Path) -> Option<String> {
    let repo = discover(dir)?;
    let name = match repo.head() {
        Ok(head) if head.is_branch() => head.name().ok().map(str::to_string),
        Ok(_) => None,
        // An unborn HEAD still points at the branch the first commit will create.
        Err(_) => repo
            .find_reference("HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string)),
    }?;
    name.strip_prefix("refs/heads/").map(str::to_string)
}

#[cfg(test)]
mod branch_tests {
    use super::*;

    #[test]
    fn current_branch_of_unborn_and_committed_heads() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(current_branch(dir.path()), None);
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("003-eks");
        let repo = Repository::init_opts(dir.path(), &opts).unwrap();
        assert_eq!(current_branch(dir.path()).as_deref(), Some("003-eks"));
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let tree = repo
            .find_tree(repo.index().unwrap().write_tree().unwrap())
            .unwrap();
        let commit = repo
            .commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
            .unwrap();
        assert_eq!(current_branch(dir.path()).as_deref(), Some("003-eks"));
        repo.set_head_detached(commit).unwrap();
        assert_eq!(current_branch(dir.path()), None);
    }
}

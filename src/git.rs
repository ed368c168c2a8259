//! Everything git, through git2 (libgit2) behind a small API. No `git` process is ever run.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::error::{Error, ErrorKind, Result};

/// Open the repository that contains `dir` (honouring GIT_DIR and friends when `dir` is the
/// current directory, as a git hook expects). `Ok(None)` only when there is no repository; one
/// that exists but cannot be opened (another object format, another owner, corruption) is an
/// error saying why, never taken for "no repository".
pub fn discover(dir: &Path) -> Result<Option<Repository>> {
    let here = std::env::current_dir().ok();
    let is_cwd = here.as_deref().is_some_and(|h| same_dir(h, dir));
    let opened = if is_cwd {
        Repository::open_from_env()
    } else {
        Repository::discover(dir)
    };
    match opened {
        Ok(repo) => Ok(Some(repo)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(open_error(dir, &e).into()),
    }
}

/// Why the repository containing `dir` could not be opened, with what to do about it.
fn open_error(dir: &Path, e: &git2::Error) -> Error {
    let message = e.message();
    if e.code() == git2::ErrorCode::Owner {
        // libgit2 names the folder it refused: `repository path '/x' is not owned by …`.
        let top = message
            .split('\'')
            .nth(1)
            .unwrap_or_else(|| dir.to_str().unwrap_or("."));
        return Error::environment(
            format!("the git repository at {top} is owned by another user, so git refuses to open it ({message})"),
            format!("if you trust it, run `git config --global --add safe.directory {top}`, or run specops as the folder's owner"),
        );
    }
    if message.contains("object format") {
        let format = if message.contains("'sha256'") {
            "the SHA-256 object format".to_string()
        } else {
            format!("an object format specops does not know ({message})")
        };
        return Error::environment(
            format!(
                "the git repository containing {} uses {format}, which specops cannot read: its git library (libgit2 1.9) reads SHA-1 repositories only",
                dir.display()
            ),
            "run specops in a SHA-1 repository (the default of `git init`)",
        );
    }
    Error::environment(
        format!(
            "cannot open the git repository containing {}: {message}",
            dir.display()
        ),
        "check the repository with `git status` and repair it; specops needs a repository git can read",
    )
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The top folder of the work tree containing `dir`; `None` outside a repository or in a bare
/// one. A repository that cannot be opened is an error (see [`discover`]).
pub fn work_tree_root(dir: &Path) -> Result<Option<PathBuf>> {
    let Some(repo) = discover(dir)? else {
        return Ok(None);
    };
    Ok(repo
        .workdir()
        .map(|wd| wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf())))
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

/// Update the remote-tracking branches of every remote of `repo` (what `git fetch --all` does
/// to `refs/remotes/`), so that numbering sees the features pushed by others. Nothing is
/// pruned: a number once used on a remote stays taken. Returns the remotes fetched.
pub fn fetch_all(repo: &Repository) -> Result<Vec<String>> {
    let failed = |remote: &str, e: &git2::Error| {
        Error::environment(
            format!("cannot fetch from remote `{remote}`: {}", e.message()),
            "check the remote (git fetch shows the same), or drop --fetch to number from the branches you have",
        )
    };
    let names = repo.remotes().map_err(|e| failed("*", &e))?;
    let mut fetched = Vec::new();
    for name in names.iter().filter_map(|n| n.ok().flatten()) {
        let mut remote = repo.find_remote(name).map_err(|e| failed(name, &e))?;
        let mut options = git2::FetchOptions::new();
        options.download_tags(git2::AutotagOption::None);
        remote
            .fetch::<&str>(
                &[],
                Some(&mut options),
                Some("specops: fetch before numbering"),
            )
            .map_err(|e| failed(name, &e))?;
        fetched.push(name.to_string());
    }
    Ok(fetched)
}

/// Who `{user}` in a branch template is: the part before `@` of git's `user.email`, else
/// `user.name`, else the login name (`USER`, `USERNAME`); `None` when none is set. Raw: the
/// caller makes it fit a branch name.
pub fn user(repo: &Repository) -> Option<String> {
    let config = repo.config().ok();
    let get = |key: &str| {
        config
            .as_ref()
            .and_then(|c| c.get_string(key).ok())
            .filter(|v| !v.trim().is_empty())
    };
    get("user.email")
        .and_then(|e| e.split('@').next().map(str::to_string))
        .filter(|local| !local.trim().is_empty())
        .or_else(|| get("user.name"))
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|v| !v.trim().is_empty())
}

/// Branch names, as `git branch -a` shows them without the `remotes/` prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchNames {
    /// Local branches (`refs/heads/…`), e.g. `003-eks`, `feature/x`.
    pub local: Vec<String>,
    /// Remote-tracking branches (`refs/remotes/…`), e.g. `origin/003-eks`.
    pub remote: Vec<String>,
}

/// Every local and remote-tracking branch name of `repo`, sorted and without duplicates.
///
/// Reads only names: the loose ref files under `<commondir>/refs/heads` and `refs/remotes`
/// (never opened) and the `packed-refs` file. Listing through libgit2 opens every loose ref
/// and takes 75–100 ms for 10,000 branches; this takes a few. The common directory is used
/// so a linked worktree sees the branches of the whole repository.
pub fn branch_names(repo: &Repository) -> Result<BranchNames> {
    branch_names_in(repo.commondir())
}

/// [`branch_names`] of the git directory `commondir`.
pub fn branch_names_in(commondir: &Path) -> Result<BranchNames> {
    let mut names = BranchNames::default();
    loose_refs(&commondir.join("refs/heads"), "", &mut names.local)?;
    loose_refs(&commondir.join("refs/remotes"), "", &mut names.remote)?;
    let packed = commondir.join("packed-refs");
    match std::fs::read(&packed) {
        Ok(bytes) => parse_packed_refs(&String::from_utf8_lossy(&bytes), &mut names),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("read", &packed, &e).into()),
    }
    for list in [&mut names.local, &mut names.remote] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(names)
}

/// Names of the ref files under `dir`, recursively, prefixed with `prefix`.
fn loose_refs(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("read", dir, &e).into()),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, &e))?;
        let file_name = entry.file_name();
        let name = format!("{prefix}{}", file_name.to_string_lossy());
        // `file_type` comes from the directory entry itself: no file is opened or stat'ed.
        let is_dir = entry
            .file_type()
            .map_err(|e| Error::io("read", &entry.path(), &e))?
            .is_dir();
        if is_dir {
            loose_refs(&entry.path(), &format!("{name}/"), out)?;
        } else if !name.ends_with(".lock") {
            // A `.lock` file is a ref being written by another process, not a ref yet.
            out.push(name);
        }
    }
    Ok(())
}

/// Add the branches listed in a `packed-refs` file (`<oid> <refname>` lines; `#` starts the
/// header, `^` a peeled tag target).
fn parse_packed_refs(text: &str, names: &mut BranchNames) {
    for line in text.lines() {
        if line.starts_with(['#', '^']) {
            continue;
        }
        let Some((_, refname)) = line.split_once(' ') else {
            continue;
        };
        let refname = refname.trim_end();
        if let Some(branch) = refname.strip_prefix("refs/heads/") {
            names.local.push(branch.to_string());
        } else if let Some(branch) = refname.strip_prefix("refs/remotes/") {
            names.remote.push(branch.to_string());
        }
    }
}

/// Fail unless `repo` is free of an unfinished merge, rebase, cherry-pick, revert, bisect or
/// `git am`: switching branches in the middle of one would strand it.
pub fn ensure_clean_state(repo: &Repository) -> Result<()> {
    use git2::RepositoryState as S;
    let (what, abort) = match repo.state() {
        S::Clean => return Ok(()),
        S::Merge => ("a merge", "git merge --abort"),
        S::Revert | S::RevertSequence => ("a revert", "git revert --abort"),
        S::CherryPick | S::CherryPickSequence => ("a cherry-pick", "git cherry-pick --abort"),
        S::Bisect => ("a bisect", "git bisect reset"),
        S::Rebase | S::RebaseInteractive | S::RebaseMerge => ("a rebase", "git rebase --abort"),
        S::ApplyMailbox | S::ApplyMailboxOrRebase => ("a `git am` session", "git am --abort"),
    };
    Err(Error::environment(
        format!("the repository is in the middle of {what}"),
        format!("finish it or abort it (`{abort}`) first, or run with --no-branch to create only the feature folder"),
    )
    .into())
}

/// How [`create_and_switch`] left HEAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switched {
    /// The branch was created at HEAD's commit and HEAD now names it.
    Created,
    /// The repository has no commit yet: HEAD names the branch, which the first commit creates.
    Unborn,
}

/// Create branch `name` at HEAD's commit and make it the current branch, leaving the index
/// and the work tree exactly as they are — what `git checkout -b name` does, since both
/// branches point at the same commit. Works with a detached HEAD and with no commit yet.
pub fn create_and_switch(repo: &Repository, name: &str) -> Result<Switched> {
    let refname = format!("refs/heads/{name}");
    if !git2::Reference::is_valid_name(&refname) {
        return Err(Error::usage(
            format!("`{name}` is not a valid branch name"),
            "choose another --short-name",
        )
        .into());
    }
    let exists = || {
        Error::new(
            ErrorKind::Conflict,
            format!("branch {name} already exists"),
            "choose another --number or --short-name, or delete the branch",
        )
    };
    let failed = |what: &str, e: &git2::Error| {
        Error::environment(
            format!("cannot {what} {name}: {}", e.message()),
            "check that the repository is writable and that no other git command is running",
        )
    };
    let head = match repo.head() {
        Ok(head) => Some(
            head.peel_to_commit()
                .map_err(|e| failed("find the commit for", &e))?,
        ),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(failed("read HEAD to create", &e).into()),
    };
    let Some(commit) = head else {
        if repo.find_reference(&refname).is_ok() {
            return Err(exists().into());
        }
        retry_locked(|| repo.set_head(&refname)).map_err(|e| failed("check out", &e))?;
        return Ok(Switched::Unborn);
    };
    let mut branch = match retry_locked(|| repo.branch(name, &commit, false)) {
        Ok(branch) => branch,
        Err(e) if e.code() == git2::ErrorCode::Exists => return Err(exists().into()),
        Err(e) => return Err(failed("create branch", &e).into()),
    };
    if let Err(e) = retry_locked(|| repo.set_head(&refname)) {
        // Leave no branch behind that nobody asked for.
        let _ = branch.delete();
        return Err(failed("check out", &e).into());
    }
    Ok(Switched::Created)
}

/// Run a ref update, retrying while another process holds the ref's lock file.
fn retry_locked<T>(
    mut update: impl FnMut() -> std::result::Result<T, git2::Error>,
) -> std::result::Result<T, git2::Error> {
    let mut attempt = 0;
    loop {
        match update() {
            Err(e) if e.code() == git2::ErrorCode::Locked && attempt < 100 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(2 + attempt % 8));
            }
            other => return other,
        }
    }
}

/// A staged file: its path in the work tree and its content in the index.
pub struct StagedFile {
    pub path: PathBuf,
    pub content: StagedContent,
}

/// What the index holds for a staged file.
pub enum StagedContent {
    /// The staged content.
    Blob(Vec<u8>),
    /// Why it could not be read.
    Unreadable(String),
    /// The file has unresolved merge conflicts: the index has no version of it to commit.
    Conflicted,
}

/// The files staged for the next commit (index entries added or modified relative to HEAD;
/// everything in the index when HEAD is unborn) whose absolute path `wanted` accepts, with
/// their staged content. Blobs over `max_bytes` are not loaded. Opens the repository from the
/// environment, as a hook needs (`GIT_DIR`, `GIT_INDEX_FILE`).
pub fn staged_files(wanted: impl Fn(&Path) -> bool, max_bytes: u64) -> Result<Vec<StagedFile>> {
    let repo = open_for_staged()?;
    let failed = |e: git2::Error| {
        Error::environment(
            format!("cannot read the git index: {}", e.message()),
            "check the repository with `git status`, or drop --staged",
        )
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::environment(
            "--staged needs a work tree, and this repository is bare",
            "run it in a clone with a work tree",
        )
        .into());
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let index = repo.index().map_err(failed)?;
    let diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), None)
        .map_err(failed)?;
    let odb = repo.odb().map_err(failed)?;
    let mut files = Vec::new();
    for delta in diff.deltas() {
        use git2::{Delta, FileMode};
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let file = delta.new_file();
        if !matches!(file.mode(), FileMode::Blob | FileMode::BlobExecutable) {
            continue;
        }
        let Some(rel) = file.path() else { continue };
        let path = workdir.join(rel);
        if !wanted(&path) {
            continue;
        }
        let content = staged_blob(&repo, &odb, file.id(), max_bytes, |size| {
            format!(
                "staged file too large to lint ({} MiB; the limit is {} MiB)",
                size / (1024 * 1024),
                max_bytes / (1024 * 1024)
            )
        });
        files.push(StagedFile { path, content });
    }
    // A file with merge conflicts has no staged version (the diff above skips it): what the
    // commit will hold is the work tree's version once it is resolved and added.
    for conflict in index.conflicts().map_err(failed)? {
        let conflict = conflict.map_err(failed)?;
        let Some(entry) = conflict.our.or(conflict.their).or(conflict.ancestor) else {
            continue;
        };
        let path = workdir.join(entry_path(&entry.path));
        if wanted(&path) {
            files.push(StagedFile {
                path,
                content: StagedContent::Conflicted,
            });
        }
    }
    Ok(files)
}

/// An index entry's path (bytes, `/`-separated) as a path.
fn entry_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The repository `--staged` reads, opened from the environment as a git hook needs.
fn open_for_staged() -> Result<Repository> {
    match Repository::open_from_env() {
        Ok(repo) => Ok(repo),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Err(Error::environment(
            format!("--staged needs a git repository: {}", e.message()),
            "run it inside a git work tree (as a pre-commit hook does), or drop --staged",
        )
        .into()),
        Err(e) => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            Err(open_error(&here, &e).into())
        }
    }
}

/// Every path the index holds, relative to `root` (which must be inside the work tree), with
/// `/`: what exists for the next commit. Opens the repository from the environment, as
/// [`staged_files`] does.
pub fn index_paths(root: &Path) -> Result<std::collections::BTreeSet<String>> {
    let failed = |e: git2::Error| {
        Error::environment(
            format!("cannot read the git index: {}", e.message()),
            "check the repository with `git status`, or drop --staged",
        )
    };
    let repo = open_for_staged()?;
    let mut out = std::collections::BTreeSet::new();
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Ok(out);
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let prefix = root
        .strip_prefix(&workdir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    let index = repo.index().map_err(failed)?;
    for entry in index.iter() {
        let path = String::from_utf8_lossy(&entry.path);
        if let Some(rel) = path.strip_prefix(&prefix) {
            out.insert(rel.to_string());
        }
    }
    Ok(out)
}

/// The index's content of the files at `paths` (relative to `root`, with `/`) that it holds,
/// at most `max_bytes` each, keyed like `paths`. Opens the repository from the environment, as
/// [`staged_files`] does.
pub fn index_contents(
    root: &Path,
    paths: &[String],
    max_bytes: u64,
) -> Result<std::collections::BTreeMap<String, Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    if paths.is_empty() {
        return Ok(out);
    }
    let failed = |e: git2::Error| {
        Error::environment(
            format!("cannot read the git index: {}", e.message()),
            "check the repository with `git status`, or drop --staged",
        )
    };
    let repo = open_for_staged()?;
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Ok(out);
    };
    let index = repo.index().map_err(failed)?;
    let odb = repo.odb().map_err(failed)?;
    for path in paths {
        let abs = root.join(path);
        let Ok(rel) = abs.strip_prefix(&workdir) else {
            continue;
        };
        let Some(entry) = index.get_path(rel, 0) else {
            // Conflicted (stages 1–3 only): the work tree's version, as `staged_files` lints it.
            if index.get_path(rel, 2).is_some() || index.get_path(rel, 3).is_some() {
                if let Ok(Some(bytes)) = crate::fsx::read_regular(&abs, max_bytes) {
                    out.insert(path.clone(), bytes);
                }
            }
            continue;
        };
        if !matches!(odb.read_header(entry.id), Ok((size, _)) if size as u64 <= max_bytes) {
            continue;
        }
        if let Ok(blob) = repo.find_blob(entry.id) {
            out.insert(path.clone(), blob.content().to_vec());
        }
    }
    Ok(out)
}

/// Every regular file the index holds for the next commit below the folder `under` of the work
/// tree whose path (relative to `under`, with `/`) `wanted` accepts, handed to `each` with its
/// staged content as soon as it is read. The blobs are read on worker threads (one repository
/// handle each), so `each` is called from several threads in no set order, and a worker holds
/// one blob at a time. Symlinks and submodules are not files; a blob over `max_bytes` is not
/// loaded; a file with unresolved conflicts is handed over as [`StagedContent::Conflicted`]
/// once. The repository is the one `under` is in, or the environment's (`GIT_DIR`,
/// `GIT_INDEX_FILE`) in a git hook.
pub fn for_each_index_file(
    under: &Path,
    wanted: impl Fn(&str) -> bool,
    max_bytes: u64,
    each: impl Fn(String, StagedContent) + Sync,
) -> Result<()> {
    let failed = |e: git2::Error| {
        Error::environment(
            format!("cannot read the git index: {}", e.message()),
            "check the repository with `git status`, or drop --staged",
        )
    };
    // From `under`, honouring GIT_DIR, GIT_INDEX_FILE and friends as a hook needs.
    let open = || {
        Repository::open_ext(
            under,
            git2::RepositoryOpenFlags::FROM_ENV,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
    };
    let repo = match open() {
        Ok(repo) => repo,
        Err(e) if e.code() == git2::ErrorCode::NotFound => {
            return Err(Error::environment(
                format!("--staged needs a git repository: {}", e.message()),
                "run it inside a git work tree (as a pre-commit hook does), or drop --staged",
            )
            .into())
        }
        Err(e) => return Err(open_error(under, &e).into()),
    };
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Err(Error::environment(
            "--staged needs a work tree, and this repository is bare",
            "run it in a clone with a work tree",
        )
        .into());
    };
    let under_abs = under.canonicalize().unwrap_or_else(|_| under.to_path_buf());
    let Ok(prefix) = under_abs.strip_prefix(&workdir) else {
        return Ok(());
    };
    let prefix = crate::fsx::display(prefix, Path::new(""));
    let prefix = if prefix == "." {
        String::new()
    } else {
        format!("{prefix}/")
    };
    let index = repo.index().map_err(failed)?;
    // Entries last changed before the index was written are "racily clean" only when changed
    // in the same instant as it: older ones whose file still has their size, mtime and inode
    // hold the staged content, as git itself concludes (see `unchanged_since_staged`).
    let index_written = index
        .path()
        .and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok());
    let mut blobs: Vec<Staged> = Vec::new();
    let mut conflicted_last = None;
    for entry in index.iter() {
        // Regular and executable files only: not symlinks (0o120000) or submodules (0o160000).
        if entry.mode & 0o170000 != 0o100000 {
            continue;
        }
        let full = String::from_utf8_lossy(&entry.path);
        let Some(rel) = full.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if !wanted(rel) {
            continue;
        }
        let stage = (entry.flags >> 12) & 0x3;
        if stage == 0 {
            blobs.push(Staged {
                rel: rel.to_string(),
                id: entry.id,
                work_tree: unchanged_since_staged(&workdir, &entry, index_written),
            });
        } else if conflicted_last.as_deref() != Some(rel) {
            // Stages 1–3 of one path are adjacent: hand it over once.
            conflicted_last = Some(rel.to_string());
            each(rel.to_string(), StagedContent::Conflicted);
        }
    }
    drop(index);
    drop(repo);
    // A few hundred blobs per repository handle: opening one costs about as much as reading a
    // few blobs.
    let chunks: Vec<&[Staged]> = blobs.chunks(256).collect();
    let too_large = |_| format!("larger than {} MiB", max_bytes / (1024 * 1024));
    for opened in crate::parallel::map(&chunks, |chunk| {
        // Opened on the first file that needs the object database.
        let mut repo: Option<Repository> = None;
        for staged in chunk.iter() {
            // The work-tree copy of an unchanged file is the staged content, read as fast as
            // grep reads it; anything else comes from the object database.
            if let Some(path) = &staged.work_tree {
                if let Ok(Some(bytes)) = crate::fsx::read_regular(path, max_bytes) {
                    each(staged.rel.clone(), StagedContent::Blob(bytes));
                    continue;
                }
            }
            if repo.is_none() {
                repo = Some(open()?);
            }
            let repo = repo.as_ref().expect("opened above");
            let content = staged_blob(repo, &repo.odb()?, staged.id, max_bytes, too_large);
            each(staged.rel.clone(), content);
        }
        Ok::<(), git2::Error>(())
    }) {
        opened.map_err(failed)?;
    }
    Ok(())
}

/// A regular file of the index, and where its work-tree copy is when that copy holds the
/// staged content.
struct Staged {
    rel: String,
    id: git2::Oid,
    work_tree: Option<PathBuf>,
}

/// The work-tree path of `entry` when the file there is the one the index recorded: a regular
/// file with the entry's size, modification time and inode, last changed before the index was
/// written (an entry changed in the same instant as the index is "racily clean" and could
/// differ with the same metadata). Content filters (`core.autocrlf`, LFS) make the work-tree
/// copy differ from the blob in line endings or in being the real file rather than a pointer;
/// the citation scan reads comments, which neither changes.
#[cfg(unix)]
fn unchanged_since_staged(
    workdir: &Path,
    entry: &git2::IndexEntry,
    index_written: Option<std::time::SystemTime>,
) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let index_written = index_written?;
    let rel = std::str::from_utf8(&entry.path).ok()?;
    let path = workdir.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let same = meta.file_type().is_file()
        && meta.size() == u64::from(entry.file_size)
        && meta.mtime() == i64::from(entry.mtime.seconds())
        && meta.mtime_nsec() == i64::from(entry.mtime.nanoseconds())
        && (entry.ino == 0 || meta.ino() as u32 == entry.ino);
    let changed = std::time::UNIX_EPOCH
        + std::time::Duration::new(meta.mtime().max(0) as u64, meta.mtime_nsec().max(0) as u32);
    (same && changed < index_written).then_some(path)
}

#[cfg(not(unix))]
fn unchanged_since_staged(
    _workdir: &Path,
    _entry: &git2::IndexEntry,
    _index_written: Option<std::time::SystemTime>,
) -> Option<PathBuf> {
    None
}

/// The content of blob `id`, unless it is larger than `max_bytes` (`too_large` of its size
/// says so) or cannot be read.
fn staged_blob(
    repo: &Repository,
    odb: &git2::Odb<'_>,
    id: git2::Oid,
    max_bytes: u64,
    too_large: impl FnOnce(usize) -> String,
) -> StagedContent {
    match blob_bytes(repo, odb, id, max_bytes) {
        Ok(bytes) => StagedContent::Blob(bytes),
        Err(BlobProblem::TooLarge(size)) => StagedContent::Unreadable(too_large(size)),
        Err(BlobProblem::Unreadable(message)) => {
            StagedContent::Unreadable(format!("cannot read the staged blob: {message}"))
        }
    }
}

/// Why a blob was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobProblem {
    /// Its size, over the limit: the object is never inflated.
    TooLarge(usize),
    /// The object is missing, corrupt or not a blob: libgit2's message.
    Unreadable(String),
}

/// The bytes of blob `id`, unless its header says it is over `max_bytes` or it cannot be read.
fn blob_bytes(
    repo: &Repository,
    odb: &git2::Odb<'_>,
    id: git2::Oid,
    max_bytes: u64,
) -> std::result::Result<Vec<u8>, BlobProblem> {
    let unreadable = |e: git2::Error| BlobProblem::Unreadable(e.message().to_string());
    match odb.read_header(id).map_err(unreadable)? {
        (size, _) if size as u64 > max_bytes => Err(BlobProblem::TooLarge(size)),
        _ => Ok(repo.find_blob(id).map_err(unreadable)?.content().to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_discover_from_a_subfolder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(work_tree_root(dir.path()).unwrap().is_none() || !dir.path().join(".git").exists());
        init(dir.path()).unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(
            work_tree_root(&sub).unwrap().unwrap(),
            dir.path().canonicalize().unwrap()
        );
    }

    fn repo_with_commit(dir: &Path) -> (Repository, git2::Oid) {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir, &opts).unwrap();
        let sig = git2::Signature::new("T", "t@example.com", &git2::Time::new(0, 0)).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let oid = {
            let tree = repo.find_tree(tree).unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "init", &tree, &[])
                .unwrap()
        };
        (repo, oid)
    }

    fn libgit2_names(repo: &Repository) -> BranchNames {
        let mut names = BranchNames::default();
        for b in repo.branches(None).unwrap() {
            let (b, kind) = b.unwrap();
            let name = b.name().unwrap().unwrap().to_string();
            match kind {
                git2::BranchType::Local => names.local.push(name),
                git2::BranchType::Remote => names.remote.push(name),
            }
        }
        names.local.sort();
        names.remote.sort();
        names
    }

    #[test]
    fn branch_names_match_libgit2_for_loose_packed_and_nested_refs() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, oid) = repo_with_commit(dir.path());
        for r in [
            "refs/heads/001-a",
            "refs/heads/feature/nested/002-b",
            "refs/remotes/origin/003-c",
            "refs/remotes/origin/team/004-d",
            "refs/tags/005-tag",
        ] {
            repo.reference(r, oid, false, "test").unwrap();
        }
        let packed = format!(
            "# pack-refs with: peeled fully-peeled sorted \n\
             {oid} refs/heads/001-a\n\
             {oid} refs/heads/010-packed\n\
             {oid} refs/remotes/upstream/020-packed\n\
             {oid} refs/tags/v1\n\
             ^{oid}\n"
        );
        std::fs::write(dir.path().join(".git/packed-refs"), packed).unwrap();
        // A ref being written by someone else is not a ref yet.
        std::fs::write(dir.path().join(".git/refs/heads/030-x.lock"), "").unwrap();
        let ours = branch_names(&repo).unwrap();
        assert_eq!(ours, libgit2_names(&repo));
        assert_eq!(
            ours.local,
            ["001-a", "010-packed", "feature/nested/002-b", "main"]
        );
        assert_eq!(
            ours.remote,
            ["origin/003-c", "origin/team/004-d", "upstream/020-packed"]
        );
    }

    #[test]
    fn a_linked_worktree_sees_the_branches_of_the_whole_repository() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, oid) = repo_with_commit(&dir.path().join("main"));
        repo.reference("refs/heads/007-x", oid, false, "test")
            .unwrap();
        repo.worktree("wt", &dir.path().join("wt"), None).unwrap();
        let linked = Repository::open(dir.path().join("wt")).unwrap();
        assert!(branch_names(&linked)
            .unwrap()
            .local
            .contains(&"007-x".to_string()));
    }

    #[test]
    fn recorded_features_keep_the_branch_as_written_and_other_branches_leave_head_out() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, commit) = repo_with_commit(dir.path());
        let tree = repo.find_commit(commit).unwrap().tree_id();
        record_feature(&repo, "Team/Mine", "004-dns").unwrap();
        record_feature(&repo, "plain", "005-x").unwrap();
        let mut recorded = recorded_features(&repo);
        recorded.sort();
        assert_eq!(
            recorded,
            [
                ("Team/Mine".to_string(), "004-dns".to_string()),
                ("plain".to_string(), "005-x".to_string())
            ]
        );
        let c = repo.find_commit(commit).unwrap();
        repo.branch("b/nested", &c, false).unwrap();
        repo.branch("a", &c, false).unwrap();
        let names: Vec<String> = other_local_branches(&repo)
            .unwrap()
            .into_iter()
            .map(|(n, tip)| {
                assert_eq!(tip, Ok(commit));
                n
            })
            .collect();
        assert_eq!(names, ["a", "b/nested"]);
        assert_eq!(folder_in_commit(&repo, commit, "specs"), Ok(None));
        assert_eq!(folder_in_commit(&repo, commit, ""), Ok(Some(tree)));
        // An annotated tag is followed to its commit, as git follows it.
        let sig = git2::Signature::new("T", "t@example.com", &git2::Time::new(0, 0)).unwrap();
        let tag = repo
            .tag(
                "v1",
                &repo.find_object(commit, None).unwrap(),
                &sig,
                "v1",
                false,
            )
            .unwrap();
        assert_eq!(folder_in_commit(&repo, tag, ""), Ok(Some(tree)));
        // A blob is no commit: an error, not a panic.
        let blob = repo.blob(b"x").unwrap();
        assert!(folder_in_commit(&repo, blob, "").is_err());
    }

    #[test]
    fn no_refs_at_all_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(branch_names_in(dir.path()).unwrap(), BranchNames::default());
    }

    #[test]
    fn switching_keeps_the_index_and_works_unborn_detached_and_refuses_existing() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        assert_eq!(create_and_switch(&repo, "001-a").unwrap(), Switched::Unborn);
        assert_eq!(
            repo.find_reference("HEAD")
                .unwrap()
                .symbolic_target()
                .unwrap(),
            Some("refs/heads/001-a")
        );

        let dir = tempfile::tempdir().unwrap();
        let (repo, oid) = repo_with_commit(dir.path());
        std::fs::write(dir.path().join("staged.tf"), "x").unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("staged.tf")).unwrap();
        index.write().unwrap();
        repo.set_head_detached(oid).unwrap();
        assert_eq!(
            create_and_switch(&repo, "002-b").unwrap(),
            Switched::Created
        );
        let head = repo.head().unwrap();
        assert_eq!(head.name().unwrap(), "refs/heads/002-b");
        assert_eq!(head.target(), Some(oid));
        let index = repo.index().unwrap();
        assert!(
            index.get_path(Path::new("staged.tf"), 0).is_some(),
            "staged file kept"
        );

        let err = create_and_switch(&repo, "002-b").unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        let err = create_and_switch(&repo, "bad..name")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid branch name"), "{err}");
    }

    #[test]
    fn an_unfinished_merge_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, oid) = repo_with_commit(dir.path());
        ensure_clean_state(&repo).unwrap();
        std::fs::write(dir.path().join(".git/MERGE_HEAD"), format!("{oid}\n")).unwrap();
        let err = ensure_clean_state(&repo).unwrap_err().to_string();
        assert!(err.contains("middle of a merge"), "{err}");
    }
}

/// The name of the branch checked out in the repository containing `dir` (also when it has no
/// commit yet); `None` outside a repository or with a detached HEAD.
pub fn current_branch(dir: &Path) -> Result<Option<String>> {
    Ok(discover(dir)?.and_then(|repo| head_branch(&repo)))
}

/// The name of the branch HEAD of `repo` names (also when it has no commit yet); `None` with a
/// detached HEAD.
pub fn head_branch(repo: &Repository) -> Option<String> {
    let name = match repo.head() {
        Ok(head) if head.is_branch() => head.name().ok().map(str::to_string),
        Ok(_) => None,
        // An unborn HEAD still points at the branch the first commit will create.
        Err(_) => repo
            .find_reference("HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string)),
    };
    name.and_then(|n| n.strip_prefix("refs/heads/").map(str::to_string))
}

/// The git config key under which `specify --branch` records the feature folder of a branch
/// whose name does not say it: `branch.<name>.specopsFeature`, beside git's own per-branch
/// settings (`branch.<name>.remote`).
fn feature_key(branch: &str) -> String {
    format!("branch.{branch}.specopsFeature")
}

/// Record that branch `branch` works on the feature folder named `folder`.
pub fn record_feature(repo: &Repository, branch: &str, folder: &str) -> Result<()> {
    repo.config()
        .and_then(|mut c| c.set_str(&feature_key(branch), folder))
        .map_err(|e| {
            Error::environment(
                format!(
                    "cannot record the feature of branch {branch} in the git config: {}",
                    e.message()
                ),
                "check that .git/config is writable",
            )
            .into()
        })
}

/// The feature folder recorded for `branch` by `specify --branch`, if any.
pub fn recorded_feature(dir: &Path, branch: &str) -> Result<Option<String>> {
    let Some(repo) = discover(dir)? else {
        return Ok(None);
    };
    Ok(repo
        .config()
        .ok()
        .and_then(|c| c.get_string(&feature_key(branch)).ok()))
}

/// Every feature folder recorded by `specify --branch`, as (branch, folder name) pairs: one
/// read of the git config for all branches.
pub fn recorded_features(repo: &Repository) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(config) = repo.config() else {
        return out;
    };
    // libgit2 matches the pattern against names with the section and key lower-cased and the
    // branch (the subsection) as written.
    let Ok(mut entries) = config.entries(Some(r"^branch\..*\.specopsfeature$")) else {
        return out;
    };
    while let Some(Ok(entry)) = entries.next() {
        let (Ok(name), Ok(value)) = (entry.name(), entry.value()) else {
            continue;
        };
        let branch = name
            .strip_prefix("branch.")
            .and_then(|rest| rest.get(..rest.len().checked_sub(".specopsfeature".len())?));
        if let Some(branch) = branch {
            out.push((branch.to_string(), value.to_string()));
        }
    }
    out
}

/// Every local branch (`refs/heads/…`) of `repo` but the one HEAD names, sorted by name, with
/// the commit it points at or why that cannot be found. Names that are not UTF-8 are left out.
pub fn other_local_branches(
    repo: &Repository,
) -> Result<Vec<(String, std::result::Result<git2::Oid, String>)>> {
    let failed = |e: git2::Error| {
        Error::environment(
            format!("cannot list the local branches: {}", e.message()),
            "check the repository with `git branch`",
        )
    };
    let current = head_branch(repo);
    let mut out = Vec::new();
    for reference in repo.references_glob("refs/heads/*").map_err(failed)? {
        let reference = match reference {
            Ok(r) => r,
            // One unreadable ref file must not hide the others; libgit2 does not say which.
            Err(e) => {
                out.push((String::new(), Err(e.message().to_string())));
                continue;
            }
        };
        let Ok(name) = reference.shorthand().map(str::to_string) else {
            continue;
        };
        if current.as_deref() == Some(name.as_str()) {
            continue;
        }
        let target = match reference.target() {
            Some(oid) => Ok(oid),
            None => reference
                .resolve()
                .map_err(|e| e.message().to_string())
                .and_then(|r| r.target().ok_or_else(|| "not a commit".to_string())),
        };
        out.push((name, target));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// What an entry of a git tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Folder,
    /// A regular or executable file.
    File,
    /// A symbolic link: its blob is the target's path.
    Link,
    /// A submodule (a gitlink): a commit of another repository.
    Submodule,
}

impl EntryKind {
    fn of(mode: i32) -> Self {
        match mode & 0o170000 {
            0o040000 => EntryKind::Folder,
            0o120000 => EntryKind::Link,
            0o160000 => EntryKind::Submodule,
            _ => EntryKind::File,
        }
    }

    /// How messages name it: "a folder", "a symbolic link"…
    pub fn describe(self) -> &'static str {
        match self {
            EntryKind::Folder => "a folder",
            EntryKind::File => "a file",
            EntryKind::Link => "a symbolic link",
            EntryKind::Submodule => "a submodule",
        }
    }
}

/// One entry of a git tree: its name (entries whose names are not UTF-8 are left out), kind
/// and object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeItem {
    pub name: String,
    pub kind: EntryKind,
    pub id: git2::Oid,
}

/// The tree of the folder at `path` (relative to the top of the work tree, with `/`; `""` for
/// the top) in commit `commit`: `Ok(None)` when the commit has nothing there, an error message
/// when it holds something else there or an object cannot be read.
pub fn folder_in_commit(
    repo: &Repository,
    commit: git2::Oid,
    path: &str,
) -> std::result::Result<Option<git2::Oid>, String> {
    let message = |e: git2::Error| e.message().to_string();
    // A branch may point at an annotated tag, which git follows to its commit.
    let tree = repo
        .find_object(commit, None)
        .and_then(|o| o.peel_to_commit())
        .and_then(|c| c.tree())
        .map_err(message)?;
    if path.is_empty() {
        return Ok(Some(tree.id()));
    }
    match tree.get_path(Path::new(path)) {
        Ok(entry) => match EntryKind::of(entry.filemode()) {
            EntryKind::Folder => Ok(Some(entry.id())),
            other => Err(format!("{path} is {} there", other.describe())),
        },
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(message(e)),
    }
}

/// The entries of tree `id`, in the tree's (name) order.
pub fn tree_items(repo: &Repository, id: git2::Oid) -> std::result::Result<Vec<TreeItem>, String> {
    let tree = repo.find_tree(id).map_err(|e| e.message().to_string())?;
    Ok(tree
        .iter()
        .filter_map(|entry| {
            Some(TreeItem {
                name: entry.name().ok()?.to_string(),
                kind: EntryKind::of(entry.filemode()),
                id: entry.id(),
            })
        })
        .collect())
}

/// Every entry below tree `id`, parents before children, handed to `each` with its path
/// relative to the tree (with `/`); `each` returns whether to go into a folder. Entries whose
/// names are not UTF-8 are left out. An error message when a tree cannot be read.
pub fn walk_tree(
    repo: &Repository,
    id: git2::Oid,
    mut each: impl FnMut(&str, &TreeItem) -> bool,
) -> std::result::Result<(), String> {
    let tree = repo.find_tree(id).map_err(|e| e.message().to_string())?;
    tree.walk(git2::TreeWalkMode::PreOrder, |root, entry| {
        let Ok(name) = entry.name() else {
            return git2::TreeWalkResult::Skip;
        };
        let item = TreeItem {
            name: name.to_string(),
            kind: EntryKind::of(entry.filemode()),
            id: entry.id(),
        };
        if each(&format!("{root}{name}"), &item) {
            git2::TreeWalkResult::Ok
        } else {
            git2::TreeWalkResult::Skip
        }
    })
    .map_err(|e| e.message().to_string())
}

/// The bytes of blob `id` of `repo`, unless it is over `max_bytes` (its header is read, the
/// object is not) or cannot be read.
pub fn read_blob(
    repo: &Repository,
    id: git2::Oid,
    max_bytes: u64,
) -> std::result::Result<Vec<u8>, BlobProblem> {
    let odb = repo
        .odb()
        .map_err(|e| BlobProblem::Unreadable(e.message().to_string()))?;
    blob_bytes(repo, &odb, id, max_bytes)
}

/// Make the existing local branch `name` the current one, carrying uncommitted changes as
/// `git switch` does; a change the switch would overwrite is an error and nothing changes.
/// `false` when it already is the current branch.
pub fn switch_to(repo: &Repository, name: &str) -> Result<bool> {
    let refname = format!("refs/heads/{name}");
    let failed = |e: &git2::Error| {
        Error::environment(
            format!("cannot check out branch {name}: {}", e.message()),
            "commit or stash the changes it would overwrite, or check the branch out yourself and run without --branch",
        )
    };
    let Ok(branch) = repo.find_reference(&refname) else {
        return Err(Error::usage(
            format!("there is no local branch {name}"),
            "create it first (or check it out from the remote), or leave out --branch to cut a new one",
        )
        .into());
    };
    let current = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
    if current.as_deref() == Some(refname.as_str()) {
        return Ok(false);
    }
    let target = branch
        .peel(git2::ObjectType::Commit)
        .map_err(|e| failed(&e))?;
    let mut checkout = git2::build::CheckoutBuilder::new();
    checkout.safe();
    repo.checkout_tree(&target, Some(&mut checkout))
        .map_err(|e| failed(&e))?;
    retry_locked(|| repo.set_head(&refname)).map_err(|e| failed(&e))?;
    Ok(true)
}

#[cfg(test)]
mod branch_tests {
    use super::*;

    #[test]
    fn current_branch_of_unborn_and_committed_heads() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(current_branch(dir.path()).unwrap(), None);
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("003-eks");
        let repo = Repository::init_opts(dir.path(), &opts).unwrap();
        assert_eq!(
            current_branch(dir.path()).unwrap().as_deref(),
            Some("003-eks")
        );
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let tree = repo
            .find_tree(repo.index().unwrap().write_tree().unwrap())
            .unwrap();
        let commit = repo
            .commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
            .unwrap();
        assert_eq!(
            current_branch(dir.path()).unwrap().as_deref(),
            Some("003-eks")
        );
        repo.set_head_detached(commit).unwrap();
        assert_eq!(current_branch(dir.path()).unwrap(), None);
    }
}

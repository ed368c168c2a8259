//! File-system helpers: atomic writes, create-only writes, and path-component sanitising.
//!
//! Every document specops writes goes through here: a temporary file in the same folder,
//! then a rename, so an interrupted run leaves either the old file or the new one.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// The largest document specops reads: larger files are reported (`check`'s SO000) or refused,
/// not read. Spec documents are kilobytes, and a runaway generated file must not take the
/// memory of a CI runner.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file that exists could not be read.
#[derive(Debug)]
pub(crate) enum ReadProblem {
    /// A folder, a named pipe, a device…
    NotRegular,
    /// Larger than the limit given (its size in bytes).
    TooLarge(u64),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::NotRegular => f.write_str("not a regular file"),
            ReadProblem::TooLarge(len) => write!(f, "too large ({} MiB)", len / (1024 * 1024)),
            ReadProblem::Io(e) => e.fmt(f),
        }
    }
}

/// Read the regular file at `path` (through symlinks), at most `max` bytes; `Ok(None)` when it
/// does not exist. Opening a named pipe must not block until someone writes to it, and a file
/// over `max` is never read.
pub(crate) fn read_regular(
    path: &Path,
    max: u64,
) -> std::result::Result<Option<Vec<u8>>, ReadProblem> {
    use std::io::Read;
    let file = match open_without_blocking(path) {
        Ok(file) => file,
        Err(ReadProblem::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(problem) => return Err(problem),
    };
    let meta = file.metadata().map_err(ReadProblem::Io)?;
    if !meta.is_file() {
        return Err(ReadProblem::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadProblem::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadProblem::TooLarge(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// Open `path` for reading in a way that returns at once for a named pipe (which the caller
/// then refuses after `fstat`): non-blocking on Linux, which costs no extra system call; a look
/// at the file's type first elsewhere.
#[cfg(target_os = "linux")]
fn open_without_blocking(path: &Path) -> std::result::Result<std::fs::File, ReadProblem> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(ReadProblem::Io)
}

#[cfg(not(target_os = "linux"))]
fn open_without_blocking(path: &Path) -> std::result::Result<std::fs::File, ReadProblem> {
    if !std::fs::metadata(path).map_err(ReadProblem::Io)?.is_file() {
        return Err(ReadProblem::NotRegular);
    }
    std::fs::File::open(path).map_err(ReadProblem::Io)
}

/// Write `contents` to `path` atomically, replacing any existing file. A symlink is written
/// through (its target is replaced, the link kept; callers have checked that the target is
/// inside the repository), and the replaced file keeps its permissions.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        fs::canonicalize(path).map_err(|e| Error::io("resolve", path, &e))?
    } else {
        path.to_path_buf()
    };
    let kept = fs::metadata(&target).ok().map(|m| m.permissions());
    let tmp = temp_beside(&target, contents)?;
    if let Some(mode) = kept {
        fs::set_permissions(tmp.path(), mode).map_err(|e| Error::io("write", path, &e))?;
    }
    tmp.persist(&target)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// Write `contents` to `path` atomically, failing with [`ErrorKind::Conflict`] if it exists.
pub(crate) fn create_new_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, &e))?;
    #[cfg(target_os = "linux")]
    match unnamed::create_new(dir, path, contents) {
        Ok(true) => return Ok(()),
        Ok(false) => {} // no O_TMPFILE here: fall back to a named temporary file
        Err(e) => return Err(new_file_error(path, &e)),
    }
    let tmp = temp_beside(path, contents)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) => Err(new_file_error(path, &e.error)),
    }
}

fn new_file_error(path: &Path, e: &std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        Error::conflict(
            format!("{} already exists", path.display()),
            "remove it or run again with --force",
        )
        .into()
    } else {
        Error::io("write", path, e).into()
    }
}

fn temp_beside(path: &Path, contents: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, &e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".specops-").suffix(".tmp");
    // The default 0600 would outlive the rename: documents get the umask's mode, as `>` gives.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, &e))?;
    // Through the File, so that errors do not name the temporary file.
    tmp.as_file_mut()
        .write_all(contents)
        .and_then(|()| tmp.as_file().sync_data())
        .map_err(|e| Error::io("write", path, &e))?;
    Ok(tmp)
}

/// New files without a temporary name (Linux): the content goes into an unnamed file
/// (`O_TMPFILE`), which is linked in under its name only once complete. A run killed at any
/// moment leaves neither a temporary file nor a half-written one.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, Mode, OFlags, CWD};
    use rustix::io::Errno;

    /// Create `path` in `dir` with `contents`; `Ok(false)` when the kernel, the file system or a
    /// missing `/proc` does not allow it (the caller falls back to a named temporary file).
    pub(super) fn create_new(dir: &Path, path: &Path, contents: &[u8]) -> std::io::Result<bool> {
        let flags = OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o666)) {
            Ok(fd) => fd,
            Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        let mut file = std::fs::File::from(fd);
        file.write_all(contents)?;
        file.sync_data()?;
        let fd_path = format!("/proc/self/fd/{}", file.as_raw_fd());
        match rustix::fs::linkat(CWD, fd_path.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => Ok(true),
            Err(Errno::NOENT) if !Path::new("/proc/self/fd").is_dir() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// How a planned file relates to what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FileStatus {
    /// The file did not exist and was written.
    Created,
    /// The file existed with exactly these bytes; nothing was written.
    Unchanged,
    /// The file existed with other bytes and was rewritten (`--force`).
    Overwritten,
    /// The file existed with other bytes and was left alone because the user owns it.
    Kept,
}

/// What to do with a planned file that exists with other content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnDiffer {
    /// Stop unless `--force` is given.
    Conflict,
    /// Leave the user's version (`Kept`), even with `--force`.
    Keep,
    /// Leave the user's version unless `--force` is given.
    KeepUnlessForced,
    /// Replace it: a file specops generates whole and nobody edits (the config's schema), kept
    /// up to date by every run.
    Replace,
}

/// One file a command intends to write.
#[derive(Debug, Clone)]
pub(crate) struct PlannedFile {
    pub path: PathBuf,
    pub contents: Vec<u8>,
    pub on_differ: OnDiffer,
}

/// The decision for one planned file, made before anything is written.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub path: PathBuf,
    pub status: FileStatus,
}

/// Decide, for every planned file, whether it is created, unchanged, overwritten or kept.
/// Files in the way (exist, differ, no `--force`) make the whole plan fail before any write.
/// A planned file that leads outside `root` through a symlink, or that exists and is not a
/// regular file (a named pipe, a device, a link to `/dev/zero`), is an error naming it: it is
/// never opened for the comparison, and `--force` does not replace it.
pub(crate) fn decide(files: &[PlannedFile], force: bool, root: &Path) -> Result<Vec<Decision>> {
    let mut decisions = Vec::with_capacity(files.len());
    let mut in_the_way = Vec::new();
    for f in files {
        let shown = display(&f.path, root);
        ensure_inside(root, &f.path, &shown)?;
        let status = match read_regular(&f.path, MAX_FILE_BYTES) {
            Ok(None) => FileStatus::Created,
            Ok(Some(existing)) if existing == f.contents => FileStatus::Unchanged,
            Ok(Some(_)) | Err(ReadProblem::TooLarge(_)) => match (f.on_differ, force) {
                (OnDiffer::Keep, _) | (OnDiffer::KeepUnlessForced, false) => FileStatus::Kept,
                (OnDiffer::Replace, _) | (_, true) => FileStatus::Overwritten,
                (OnDiffer::Conflict, false) => {
                    in_the_way.push(shown);
                    FileStatus::Kept
                }
            },
            Err(ReadProblem::NotRegular) if f.path.is_dir() => {
                in_the_way.push(format!("{shown} (a folder)"));
                FileStatus::Kept
            }
            Err(ReadProblem::NotRegular) => return Err(not_regular(&shown).into()),
            Err(ReadProblem::Io(e)) => return Err(Error::io("read", &f.path, &e).into()),
        };
        decisions.push(Decision {
            path: f.path.clone(),
            status,
        });
    }
    if !in_the_way.is_empty() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!(
                "{} file(s) exist with other content and would be overwritten: {}",
                in_the_way.len(),
                in_the_way.join(", ")
            ),
            "nothing was written; move them aside, or run again with --force to overwrite them",
        )
        .into());
    }
    Ok(decisions)
}

/// The error for a file specops reads or replaces that is not a regular file.
pub(crate) fn not_regular(shown: &str) -> Error {
    Error::input(
        format!("cannot read {shown}: not a regular file"),
        "specops reads and replaces only regular files: remove it (a named pipe, device or socket) or replace it with a regular file",
    )
}

/// Where `path` leads once every symlink in it is followed, when that is outside the folder
/// `root`; `None` when it stays inside. A part of `path` that does not exist yet cannot lead
/// anywhere, so its deepest existing ancestor is what is judged. A symlink whose target is
/// missing is an error (`NotFound`): nobody can tell where writing through it would go.
pub(crate) fn outside(root: &Path, path: &Path) -> std::io::Result<Option<PathBuf>> {
    let root = root.canonicalize()?;
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        match fs::symlink_metadata(existing) {
            Ok(_) => break,
            // Not there yet (or under a file, where it never can be): judge its folder.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Ok(None);
                };
                rest.push(name);
                existing = parent;
            }
            Err(e) => return Err(e),
        }
    }
    let mut target = existing.canonicalize()?;
    if target.starts_with(&root) {
        return Ok(None);
    }
    target.extend(rest.iter().rev());
    Ok(Some(target))
}

/// Fail unless `path` stays inside `root` with every symlink followed (see [`outside`]);
/// `shown` names it in the error.
pub(crate) fn ensure_inside(root: &Path, path: &Path, shown: &str) -> Result<()> {
    match outside(root, path) {
        Ok(None) => Ok(()),
        Ok(Some(target)) => Err(Error::input(
            format!(
                "{shown} leads outside the repository (to {}) through a symlink",
                target.display()
            ),
            "specops reads and writes only inside the repository: replace the symlink with a folder or file inside it",
        )
        .into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::input(
            format!("{shown} is a symlink whose target does not exist"),
            "point the symlink at a folder or file inside the repository, or remove it",
        )
        .into()),
        Err(e) => Err(Error::io("resolve", path, &e).into()),
    }
}

/// Carry out decisions: write every created or overwritten file atomically.
pub(crate) fn apply(files: &[PlannedFile], decisions: &[Decision]) -> Result<()> {
    for (f, d) in files.iter().zip(decisions) {
        match d.status {
            FileStatus::Created => create_new_atomic(&f.path, &f.contents)?,
            FileStatus::Overwritten => write_atomic(&f.path, &f.contents)?,
            FileStatus::Unchanged | FileStatus::Kept => {}
        }
    }
    Ok(())
}

/// `path` relative to `root`, with `/` separators, for messages and JSON.
pub(crate) fn display(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

/// Check that `name` is one plain path component: no separators, no `..`, no NUL, not empty.
pub(crate) fn safe_component(name: &str) -> bool {
    if name.is_empty() || name.contains(['/', '\\', '\0']) {
        return false;
    }
    let mut comps = Path::new(name).components();
    matches!(
        (comps.next(), comps.next()),
        (Some(Component::Normal(_)), None)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_components() {
        for ok in ["spec.md", "003-eks", "a.b", "ünïcode"] {
            assert!(safe_component(ok), "{ok}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "/etc", "a\\b", "nul\0", "C:\\x",
        ] {
            assert!(!safe_component(bad), "{bad:?}");
        }
    }

    #[test]
    fn create_new_refuses_to_clobber_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.md");
        create_new_atomic(&p, b"one").unwrap();
        let err = create_new_atomic(&p, b"two").unwrap_err();
        assert_eq!(
            err.downcast_ref::<Error>().map(|e| e.kind),
            Some(ErrorKind::Conflict)
        );
        assert_eq!(fs::read(&p).unwrap(), b"one");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn decide_names_files_in_the_way_and_force_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        fs::write(&a, "same").unwrap();
        fs::write(&b, "mine").unwrap();
        let plan = vec![
            PlannedFile {
                path: a.clone(),
                contents: b"same".to_vec(),
                on_differ: OnDiffer::Conflict,
            },
            PlannedFile {
                path: b.clone(),
                contents: b"theirs".to_vec(),
                on_differ: OnDiffer::Conflict,
            },
            PlannedFile {
                path: dir.path().join("c.md"),
                contents: b"new".to_vec(),
                on_differ: OnDiffer::Conflict,
            },
        ];
        let err = decide(&plan, false, dir.path()).unwrap_err();
        assert!(err.to_string().contains("b.md"), "{err}");
        assert!(!err.to_string().contains("a.md"), "{err}");
        let d = decide(&plan, true, dir.path()).unwrap();
        let st: Vec<_> = d.iter().map(|d| d.status).collect();
        assert_eq!(
            st,
            [
                FileStatus::Unchanged,
                FileStatus::Overwritten,
                FileStatus::Created
            ]
        );
        apply(&plan, &d).unwrap();
        assert_eq!(fs::read(&b).unwrap(), b"theirs");
    }

    #[test]
    fn keep_never_overwrites_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("constitution.md");
        fs::write(&a, "ours").unwrap();
        let plan = vec![PlannedFile {
            path: a.clone(),
            contents: b"default".to_vec(),
            on_differ: OnDiffer::Keep,
        }];
        let d = decide(&plan, true, dir.path()).unwrap();
        assert_eq!(d[0].status, FileStatus::Kept);
        apply(&plan, &d).unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"ours");
    }
}

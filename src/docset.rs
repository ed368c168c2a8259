//! Writing a feature's documents as one unit (`plan`'s plan.md, research.md, data-model.md,
//! quickstart.md and contracts/; `tasks`' tasks.md): a killed or concurrent run leaves either the
//! old set or the new one, and what a killed run left is reported, and finished or removed, by
//! the next run.
//!
//! 1. Lock: an exclusive `flock` on the feature folder itself. The kernel releases it when the
//!    process ends, however it ends, so no lock file is ever left behind; a concurrent run waits
//!    for it (up to [`WAIT`]) and then decides on what the first one wrote.
//! 2. Stage: every new or changed document is written into `.specops-staging/` in the feature
//!    folder, at its path relative to the folder.
//! 3. Commit: the list of staged documents is written to `.specops-staging/.journal` (under a
//!    temporary name, then renamed): from that moment the new set is complete on disk.
//! 4. Move: each staged document is renamed over its old version; then the staging folder,
//!    now holding only the journal, is renamed to `.specops-staging-done` and removed.
//!
//! A run killed before step 3 leaves the old set as it was and a staging folder without a
//! journal: the next run removes it. A run killed during step 4 leaves a journal naming the
//! documents still to move: the next run moves them, so the set is the new one, before it does
//! anything else. A run killed at the very end leaves `.specops-staging-done`, which the next
//! run removes. Whatever it finds, it says so.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsx::{self, Decision, FileStatus, PlannedFile};

/// The staging folder, inside the feature folder. Hidden, so `check` does not lint it.
pub(crate) const STAGING: &str = ".specops-staging";
/// The staging folder once every document has been moved out of it.
const DONE: &str = ".specops-staging-done";
/// The journal inside the staging folder: while it exists, the staged set is complete.
const JOURNAL: &str = ".journal";
/// The journal's first line.
const JOURNAL_HEADER: &str = "specops document set 1";
/// How long a run waits for another run writing documents of the same feature.
#[cfg(unix)]
const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A feature folder, locked for this run.
pub(crate) struct Locked {
    dir: PathBuf,
    shown: String,
    _lock: Option<fs::File>,
    /// What an interrupted earlier run left, and what this run did about it.
    pub(crate) recovered: Option<String>,
}

impl Locked {
    /// Lock the feature folder `dir` (shown as `shown`) and deal with what an interrupted run
    /// left there.
    pub(crate) fn open(dir: &Path, shown: &str) -> Result<Self> {
        let lock = lock(dir, shown)?;
        let mut locked = Self {
            dir: dir.to_path_buf(),
            shown: shown.to_string(),
            _lock: lock,
            recovered: None,
        };
        locked.recovered = locked.recover()?;
        Ok(locked)
    }

    /// Write the created and overwritten files of `files` (all inside the feature folder) as
    /// one unit.
    pub(crate) fn write(&self, files: &[PlannedFile], decisions: &[Decision]) -> Result<()> {
        let mut changed = Vec::new();
        for (f, d) in files.iter().zip(decisions) {
            if matches!(d.status, FileStatus::Created | FileStatus::Overwritten) {
                let Ok(rel) = f.path.strip_prefix(&self.dir) else {
                    return Err(anyhow::anyhow!(
                        "{} is not inside the feature folder {}",
                        f.path.display(),
                        self.shown
                    ));
                };
                changed.push((f, fsx::display(rel, Path::new(""))));
            }
        }
        if changed.is_empty() {
            return Ok(());
        }
        let staging = self.dir.join(STAGING);
        if let Err(e) = stage(&staging, &changed) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        let rels: Vec<&str> = changed.iter().map(|(_, rel)| rel.as_str()).collect();
        self.move_in(&staging, &rels)?;
        Ok(())
    }

    /// Finish or remove what an interrupted run left; what was found, for the user.
    fn recover(&self) -> Result<Option<String>> {
        let done = self.dir.join(DONE);
        let finished = fs::symlink_metadata(&done).is_ok();
        if finished {
            fs::remove_dir_all(&done).map_err(|e| Error::io("remove", &done, &e))?;
        }
        let staging = self.dir.join(STAGING);
        if fs::symlink_metadata(&staging).is_err() {
            return Ok(finished.then(|| {
                format!(
                    "an earlier run was interrupted just after moving its documents into {}; removed the folder it had written them in first",
                    self.shown
                )
            }));
        }
        let journal = staging.join(JOURNAL);
        match fsx::read_regular(&journal, 1024 * 1024) {
            Ok(Some(bytes)) => {
                let text = String::from_utf8_lossy(&bytes);
                let mut lines = text.lines();
                let header = lines.next();
                let rels: Vec<&str> = lines.collect();
                let valid = header == Some(JOURNAL_HEADER)
                    && rels.iter().all(|r| r.split('/').all(fsx::safe_component));
                if !valid {
                    return Err(Error::conflict(
                        format!(
                            "{}/{STAGING}/{JOURNAL} is not a journal specops wrote",
                            self.shown
                        ),
                        format!("remove {}/{STAGING} and run again", self.shown),
                    )
                    .into());
                }
                let moved = self.move_in(&staging, &rels)?;
                Ok(Some(format!(
                    "an earlier run was interrupted while moving its documents into {}; finished it: {} now hold that run's text",
                    self.shown,
                    if moved.is_empty() { "they".to_string() } else { moved.join(", ") }
                )))
            }
            Ok(None) => {
                fs::remove_dir_all(&staging).map_err(|e| Error::io("remove", &staging, &e))?;
                Ok(Some(format!(
                    "an earlier run was interrupted before its documents were complete; {} keeps the documents it had, and what that run had written aside was removed",
                    self.shown
                )))
            }
            Err(problem) => Err(Error::input(
                format!("cannot read {}/{STAGING}/{JOURNAL}: {problem}", self.shown),
                format!("remove {}/{STAGING} and run again", self.shown),
            )
            .into()),
        }
    }

    /// Rename the staged documents `rels` into place (those still staged), then remove the
    /// staging folder. The documents moved, for messages.
    fn move_in(&self, staging: &Path, rels: &[&str]) -> Result<Vec<String>> {
        let mut moved = Vec::new();
        for rel in rels {
            let from = staging.join(rel);
            if fs::symlink_metadata(&from).is_err() {
                continue; // moved before an interruption
            }
            let to = self.dir.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, &e))?;
            }
            fs::rename(&from, &to).map_err(|e| {
                Error::new(
                    crate::error::ErrorKind::Input,
                    format!("cannot move the new {} into place: {e}", to.display()),
                    format!(
                        "the new documents are complete in {}/{STAGING}; fix the cause and run the command again to finish moving them",
                        self.shown
                    ),
                )
            })?;
            moved.push(format!("{}/{rel}", self.shown));
        }
        // Renamed first, so that the journal never goes while the staging folder is still there
        // to be taken for one killed before its journal was written.
        let done = self.dir.join(DONE);
        fs::rename(staging, &done).map_err(|e| Error::io("remove", staging, &e))?;
        fs::remove_dir_all(&done).map_err(|e| Error::io("remove", &done, &e))?;
        Ok(moved)
    }
}

/// Write the new documents and then the journal into the staging folder.
fn stage(staging: &Path, changed: &[(&PlannedFile, String)]) -> Result<()> {
    fs::create_dir(staging).map_err(|e| Error::io("create folder", staging, &e))?;
    let mut journal = format!("{JOURNAL_HEADER}\n");
    for (f, rel) in changed {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, &e))?;
        }
        // Errors name the document, not its staged copy.
        write_synced(&path, &f.contents).map_err(|e| Error::io("write", &f.path, &e))?;
        journal.push_str(rel);
        journal.push('\n');
    }
    let tmp = staging.join(format!("{JOURNAL}.tmp"));
    write_synced(&tmp, journal.as_bytes()).map_err(|e| Error::io("write", &tmp, &e))?;
    let done = staging.join(JOURNAL);
    fs::rename(&tmp, &done).map_err(|e| Error::io("write", &done, &e))?;
    Ok(())
}

fn write_synced(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create_new(path)?;
    file.write_all(contents)?;
    file.sync_data()
}

/// Take the feature folder's lock, waiting for another run that holds it.
#[cfg(unix)]
fn lock(dir: &Path, shown: &str) -> Result<Option<fs::File>> {
    use rustix::fs::{flock, FlockOperation};
    use rustix::io::Errno;
    let folder = fs::File::open(dir).map_err(|e| Error::io("open folder", dir, &e))?;
    let started = std::time::Instant::now();
    loop {
        match flock(&folder, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(Some(folder)),
            Err(Errno::INTR) => {}
            Err(Errno::WOULDBLOCK) if started.elapsed() < WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(Errno::WOULDBLOCK) => {
                return Err(Error::conflict(
                    format!(
                    "another specops run has been writing the documents of {shown} for {} seconds",
                    WAIT.as_secs()
                ),
                    "wait for it to finish, then run the command again",
                )
                .into())
            }
            // A file system without flock (some network file systems): runs are not kept apart
            // there, but the staging folder and its journal still make a killed run recoverable.
            Err(Errno::NOLCK | Errno::OPNOTSUPP | Errno::INVAL | Errno::BADF) => return Ok(None),
            Err(e) => return Err(Error::io("lock", dir, &e.into()).into()),
        }
    }
}

/// Elsewhere no lock is taken; the journal still makes a killed run recoverable.
#[cfg(not(unix))]
fn lock(_dir: &Path, _shown: &str) -> Result<Option<fs::File>> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsx::OnDiffer;

    fn planned(dir: &Path, rel: &str, text: &str) -> PlannedFile {
        PlannedFile {
            path: dir.join(rel),
            contents: text.as_bytes().to_vec(),
            on_differ: OnDiffer::Conflict,
        }
    }

    fn set(dir: &Path, text: &str) -> Vec<PlannedFile> {
        ["plan.md", "research.md", "contracts/api.md"]
            .iter()
            .map(|rel| planned(dir, rel, &format!("{rel} {text}")))
            .collect()
    }

    fn on_disk(dir: &Path) -> Vec<String> {
        ["plan.md", "research.md", "contracts/api.md"]
            .iter()
            .map(|rel| fs::read_to_string(dir.join(rel)).unwrap_or_default())
            .collect()
    }

    fn write_set(dir: &Path, text: &str) {
        let files = set(dir, text);
        let decisions = fsx::decide(&files, true, dir).unwrap();
        let locked = Locked::open(dir, "f").unwrap();
        assert_eq!(locked.recovered, None);
        locked.write(&files, &decisions).unwrap();
    }

    #[test]
    fn a_set_is_written_whole_and_leaves_nothing_aside() {
        let t = tempfile::tempdir().unwrap();
        write_set(t.path(), "old");
        write_set(t.path(), "new");
        assert_eq!(
            on_disk(t.path()),
            ["plan.md new", "research.md new", "contracts/api.md new"]
        );
        assert!(!t.path().join(STAGING).exists());
    }

    #[test]
    fn a_run_killed_while_moving_is_finished_by_the_next() {
        let t = tempfile::tempdir().unwrap();
        write_set(t.path(), "old");
        let files = set(t.path(), "new");
        let changed: Vec<_> = files
            .iter()
            .zip(["plan.md", "research.md", "contracts/api.md"])
            .map(|(f, rel)| (f, rel.to_string()))
            .collect();
        let staging = t.path().join(STAGING);
        stage(&staging, &changed).unwrap();
        // Killed after moving the first document.
        fs::rename(staging.join("plan.md"), t.path().join("plan.md")).unwrap();
        let locked = Locked::open(t.path(), "f").unwrap();
        let note = locked.recovered.clone().unwrap();
        assert!(note.contains("interrupted"), "{note}");
        assert!(note.contains("f/research.md, f/contracts/api.md"), "{note}");
        assert_eq!(
            on_disk(t.path()),
            ["plan.md new", "research.md new", "contracts/api.md new"]
        );
        assert!(!staging.exists());
    }

    #[test]
    fn a_run_killed_before_its_journal_leaves_the_old_set() {
        let t = tempfile::tempdir().unwrap();
        write_set(t.path(), "old");
        let staging = t.path().join(STAGING);
        fs::create_dir_all(staging.join("contracts")).unwrap();
        fs::write(staging.join("plan.md"), "plan.md new").unwrap();
        let note = Locked::open(t.path(), "f").unwrap().recovered.unwrap();
        assert!(note.contains("keeps the documents it had"), "{note}");
        assert_eq!(
            on_disk(t.path()),
            ["plan.md old", "research.md old", "contracts/api.md old"]
        );
        assert!(!staging.exists());
        // Killed at the very end: the emptied staging folder is removed, with a word.
        fs::create_dir(t.path().join(DONE)).unwrap();
        let note = Locked::open(t.path(), "f").unwrap().recovered.unwrap();
        assert!(note.contains("just after moving"), "{note}");
        assert!(!t.path().join(DONE).exists());
    }

    #[test]
    fn a_second_run_waits_for_the_lock() {
        let t = tempfile::tempdir().unwrap();
        let first = Locked::open(t.path(), "f").unwrap();
        let started = std::time::Instant::now();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| Locked::open(t.path(), "f").map(|_| started.elapsed()));
            std::thread::sleep(std::time::Duration::from_millis(100));
            drop(first);
            let waited = waiter.join().unwrap().unwrap();
            assert!(
                waited >= std::time::Duration::from_millis(100),
                "{waited:?}"
            );
        });
    }
}

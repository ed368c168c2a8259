//! Claiming a feature number, so that `specify` runs started at the same moment never share one.
//!
//! A feature folder alone cannot do it: two runs with different short names create `007-eks`
//! and `007-vpc` without noticing each other. So a run first creates the hidden folder
//! `.specops-claim-007` next to the feature folders (creating a folder is atomic: exactly one
//! run succeeds), checks while holding it that no `007-*` folder or branch exists, and then
//! renames it to the feature folder. Nothing is left behind: the claim folder either becomes
//! the feature folder or is removed. Only a run killed inside those few microseconds leaves
//! one; a claim folder older than [`STALE_AFTER`] is such a leftover, and the next run that
//! needs its number removes it and takes the number.
//!
//! Linked worktrees of one repository share its branches but not its folders: a run in one
//! cannot see the feature folder a run in another has just made. So in a repository with linked
//! worktrees a run also holds the claim `<common git dir>/specops-claim-007`, which every
//! worktree sees, from before it checks the number until its branch exists, and re-reads the
//! branch names while holding it: a run in another worktree either finds the claim held or
//! finds the branch. With one work tree the folder claim is enough, and the branch names are
//! read once.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::naming::{Key, Naming};
use crate::numbering::{self, Names};

/// Which key to claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Want {
    /// Exactly this one (`--number`, `--ticket`); taken is an error.
    Exactly(Key),
    /// The first free one from this one upwards (the next number, or second).
    From(Key),
}

/// A claimed key and its new, empty feature folder. In a repository, the claim every
/// worktree sees is held until this is dropped: drop it once the branch exists.
#[derive(Debug)]
pub(crate) struct Claimed {
    pub key: Key,
    pub dir: PathBuf,
    _shared: Option<ClaimFolder>,
}

/// A claim is held for microseconds; one this old was left by a killed run.
pub(crate) const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// How many taken numbers a run skips before giving up; each skip means another run won.
const MAX_ATTEMPTS: u32 = 1000;

/// The entries of the specs folder (none when it does not exist yet).
pub(crate) fn folder_names(specs_dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(specs_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", specs_dir, &e).into()),
    };
    entries
        .map(|entry| {
            entry
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(|e| Error::io("read", specs_dir, &e).into())
        })
        .collect()
}

/// Fail with [`ErrorKind::NumberTaken`] when a folder or branch already holds `key`.
/// `specs_display` is the specs folder as messages show it.
pub(crate) fn ensure_free(
    key: &Key,
    names: &Names,
    naming: &Naming,
    specs_display: &str,
) -> Result<()> {
    let holders = names.holders_of(key, naming);
    if holders.is_empty() {
        return Ok(());
    }
    let hint = match key {
        Key::Ticket(_) => {
            "choose another --ticket, or work on the existing feature (--feature)".to_string()
        }
        _ => {
            let next = match names.next(naming) {
                Some(next) => format!(" ({})", Key::Number(next)),
                None => String::new(),
            };
            format!("choose another --number, or leave it out to take the next free one{next}")
        }
    };
    Err(Error::new(
        ErrorKind::NumberTaken,
        format!(
            "{} is already taken by {}",
            key.describe(),
            numbering::describe_all(&holders, specs_display)
        ),
        hint,
    )
    .into())
}

/// Claim a key and create its feature folder `<specs_dir>/KEY-<short_name>`.
///
/// `branches` holds the branch names to respect (its folders are ignored: the specs folder
/// is read afresh while each number is held). `git_dir` is the repository's common git
/// directory, if any: when the repository has linked worktrees, the number is held there for
/// all of them and the branch names are read afresh from it while it is held.
pub(crate) fn claim(
    specs_dir: &Path,
    short_name: &str,
    want: Want,
    branches: &Names,
    git_dir: Option<&Path>,
    naming: &Naming,
    specs_display: &str,
) -> Result<Claimed> {
    std::fs::create_dir_all(specs_dir).map_err(|e| Error::io("create folder", specs_dir, &e))?;
    // Linked worktrees are listed under `<common git dir>/worktrees/`.
    let git_dir = git_dir.filter(|g| g.join("worktrees").is_dir());
    let (mut key, exact) = match want {
        Want::Exactly(key) => (key, true),
        Want::From(key) => (key, false),
    };
    let tried = Tried {
        short_name,
        branches,
        git_dir,
        naming,
        specs_display,
    };
    for _ in 0..MAX_ATTEMPTS {
        match try_claim(specs_dir, &key, &tried) {
            Ok((dir, shared)) => {
                return Ok(Claimed {
                    key,
                    dir,
                    _shared: shared,
                })
            }
            Err(e) if !exact && is_taken(&e) => {}
            Err(e) => return Err(e),
        }
        key = key.next().ok_or_else(no_number_left)?;
    }
    Err(Error::environment(
        format!("no free feature number found after {MAX_ATTEMPTS} attempts"),
        "other specify runs keep taking the numbers; run again when they are done",
    )
    .into())
}

fn is_taken(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Error>()
        .is_some_and(|e| e.kind == ErrorKind::NumberTaken)
}

/// The error when the highest number a feature can have is taken.
pub(crate) fn no_number_left() -> anyhow::Error {
    Error::new(
        ErrorKind::NumberTaken,
        format!(
            "feature number {} is taken: no higher number exists",
            u32::MAX
        ),
        "choose a free --number below it",
    )
    .into()
}

/// What every attempt of one claim shares.
struct Tried<'a> {
    short_name: &'a str,
    branches: &'a Names,
    git_dir: Option<&'a Path>,
    naming: &'a Naming,
    specs_display: &'a str,
}

/// Hold `key` through its claim folders, check it is free, and turn the claim folder in the
/// specs folder into the feature folder; the claim in the git directory, if any, is returned
/// to be held.
fn try_claim(
    specs_dir: &Path,
    key: &Key,
    tried: &Tried<'_>,
) -> Result<(PathBuf, Option<ClaimFolder>)> {
    let Tried {
        short_name,
        branches,
        git_dir,
        naming,
        specs_display,
    } = *tried;
    let number = key.to_string();
    let held = |shown: String| {
        Error::new(
            ErrorKind::NumberTaken,
            format!("{} is being claimed by another specify run", key.describe()),
            format!("run again when it is done; if none is running, delete {shown}"),
        )
    };
    let shared = match git_dir {
        Some(git_dir) => {
            let path = git_dir.join(format!("specops-claim-{number}"));
            match ClaimFolder::create(path.clone())? {
                Some(claim) => Some(claim),
                None => return Err(held(path.display().to_string()).into()),
            }
        }
        None => None,
    };
    let lock = ClaimFolder::create(specs_dir.join(format!(".specops-claim-{number}")))?;
    let Some(lock) = lock else {
        return Err(held(format!("{specs_display}/.specops-claim-{number}")).into());
    };
    let names = match git_dir {
        // Branches made by runs in other worktrees since `branches` was read.
        Some(git_dir) => {
            let now = crate::git::branch_names_in(git_dir)?;
            Names {
                folders: folder_names(specs_dir)?,
                local_branches: now.local,
                remote_branches: now.remote,
            }
        }
        None => Names {
            folders: folder_names(specs_dir)?,
            ..branches.clone()
        },
    };
    ensure_free(key, &names, naming, specs_display)?;
    let dir = specs_dir.join(format!("{number}-{short_name}"));
    lock.rename_to(&dir)?;
    Ok((dir, shared))
}

/// The claim folder of one number, removed on drop unless it became the feature folder.
#[derive(Debug)]
struct ClaimFolder {
    path: PathBuf,
    held: bool,
}

impl ClaimFolder {
    /// Create it; `None` when another run holds it. A stale claim (an empty claim folder
    /// older than [`STALE_AFTER`], left by a killed run) is removed and the claim made again.
    fn create(path: PathBuf) -> Result<Option<Self>> {
        for _ in 0..2 {
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Some(Self { path, held: true })),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !is_stale(&path) {
                        return Ok(None);
                    }
                    // Several runs may find it stale at once: remove_dir lets one win, the
                    // others fail harmlessly, and create_dir then decides who holds it.
                    let _ = std::fs::remove_dir(&path);
                }
                Err(e) => return Err(Error::io("create folder", &path, &e).into()),
            }
        }
        Ok(None)
    }

    /// Rename it to `dir`, which then belongs to this run.
    fn rename_to(mut self, dir: &Path) -> Result<()> {
        std::fs::rename(&self.path, dir).map_err(|e| Error::io("create folder", dir, &e))?;
        self.held = false;
        Ok(())
    }
}

/// Whether the claim folder at `path` was left behind: older than [`STALE_AFTER`].
fn is_stale(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER)
}

impl Drop for ClaimFolder {
    fn drop(&mut self) {
        if self.held {
            let _ = std::fs::remove_dir(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v = folder_names(dir).unwrap();
        v.sort();
        v
    }

    /// A claim in `specs` outside any repository, with the default naming.
    fn claim_in(specs: &Path, name: &str, want: Want, branches: &Names) -> Result<Claimed> {
        claim(
            specs,
            name,
            want,
            branches,
            None,
            &Naming::default(),
            "specs",
        )
    }

    #[test]
    fn claims_the_first_free_number_and_leaves_no_claim_folder() {
        let t = tempfile::tempdir().unwrap();
        let specs = t.path().join("specs");
        let none = Names::default();
        let c = claim_in(&specs, "eks", Want::From(Key::Number(1)), &none).unwrap();
        assert_eq!(c.key, Key::Number(1));
        assert_eq!(c.dir, specs.join("001-eks"));
        // Another short name with the same number: the folder check moves it on.
        let c = claim_in(&specs, "vpc", Want::From(Key::Number(1)), &none).unwrap();
        assert_eq!(c.dir, specs.join("002-vpc"));
        assert_eq!(entries(&specs), ["001-eks", "002-vpc"]);
    }

    #[test]
    fn branches_and_held_claims_are_skipped() {
        let t = tempfile::tempdir().unwrap();
        let specs = t.path().to_path_buf();
        let branches = Names {
            local_branches: vec!["003-x".into()],
            remote_branches: vec!["origin/004-y".into()],
            ..Names::default()
        };
        std::fs::create_dir(specs.join(".specops-claim-005")).unwrap();
        let c = claim_in(&specs, "z", Want::From(Key::Number(3)), &branches).unwrap();
        assert_eq!(c.key, Key::Number(6));
        assert_eq!(entries(&specs), [".specops-claim-005", "006-z"]);
    }

    #[test]
    fn a_claim_left_by_a_killed_run_is_taken_over_once_stale() {
        let t = tempfile::tempdir().unwrap();
        let specs = t.path().to_path_buf();
        let left = specs.join(".specops-claim-001");
        std::fs::create_dir(&left).unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER * 2;
        std::fs::File::open(&left)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let c = claim_in(&specs, "x", Want::From(Key::Number(1)), &Names::default()).unwrap();
        assert_eq!(c.key, Key::Number(1));
        assert_eq!(entries(&specs), ["001-x"]);
        // A fresh claim is another run's: skipped, not removed.
        std::fs::create_dir(specs.join(".specops-claim-002")).unwrap();
        let c = claim_in(&specs, "y", Want::From(Key::Number(2)), &Names::default()).unwrap();
        assert_eq!(c.key, Key::Number(3));
        assert_eq!(entries(&specs), [".specops-claim-002", "001-x", "003-y"]);
    }

    #[test]
    fn an_exact_number_that_is_taken_is_an_error_and_writes_nothing() {
        let t = tempfile::tempdir().unwrap();
        let specs = t.path().to_path_buf();
        std::fs::create_dir(specs.join("007-old")).unwrap();
        let err = claim_in(
            &specs,
            "new",
            Want::Exactly(Key::Number(7)),
            &Names::default(),
        )
        .unwrap_err();
        let e = err.downcast_ref::<Error>().unwrap();
        assert_eq!(e.kind, ErrorKind::NumberTaken);
        assert_eq!(
            e.message,
            "feature number 007 is already taken by folder specs/007-old"
        );
        assert!(e.hint.contains("(008)"), "{}", e.hint);
        assert_eq!(entries(&specs), ["007-old"]);

        std::fs::create_dir(specs.join(".specops-claim-009")).unwrap();
        let err = claim_in(
            &specs,
            "new",
            Want::Exactly(Key::Number(9)),
            &Names::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("being claimed"), "{err}");
    }

    #[test]
    fn worktrees_sharing_a_git_directory_get_distinct_numbers() {
        let t = tempfile::tempdir().unwrap();
        let git_dir = t.path().join("git");
        std::fs::create_dir_all(git_dir.join("worktrees")).unwrap();
        let trees = [t.path().join("a/specs"), t.path().join("b/specs")];
        let barrier = std::sync::Barrier::new(8);
        // Each run keeps its claim, as `specify` does until its branch exists.
        let claims: Vec<Claimed> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let (specs, git_dir, barrier) = (&trees[i % 2], &git_dir, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let name = format!("run{i}");
                        claim(
                            specs,
                            &name,
                            Want::From(Key::Number(1)),
                            &Names::default(),
                            Some(git_dir),
                            &Naming::default(),
                            "specs",
                        )
                        .unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut numbers: Vec<Key> = claims.iter().map(|c| c.key.clone()).collect();
        numbers.sort();
        assert_eq!(numbers, (1..=8).map(Key::Number).collect::<Vec<_>>());
        let held = |dir: &Path| {
            folder_names(dir)
                .unwrap()
                .into_iter()
                .filter(|n| n.starts_with("specops-claim-"))
                .count()
        };
        assert_eq!(held(&git_dir), 8, "claims held");
        drop(claims);
        assert_eq!(held(&git_dir), 0, "and let go");
    }

    #[test]
    fn many_threads_get_distinct_numbers() {
        let t = tempfile::tempdir().unwrap();
        let specs = t.path().join("specs");
        let barrier = std::sync::Barrier::new(16);
        let mut numbers: Vec<Key> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|i| {
                    let (specs, barrier) = (&specs, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let name = format!("run{i}");
                        claim(
                            specs,
                            &name,
                            Want::From(Key::Number(1)),
                            &Names::default(),
                            None,
                            &Naming::default(),
                            "specs",
                        )
                        .unwrap()
                        .key
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        numbers.sort();
        assert_eq!(numbers, (1..=16).map(Key::Number).collect::<Vec<_>>());
        assert_eq!(entries(&specs).len(), 16, "no claim folder left");
    }
}

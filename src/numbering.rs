//! Feature keys: which are taken and which number comes next, decided purely from names.
//!
//! The names come from the specs folder and from git (see [`crate::git::branch_names`]); this
//! module does no I/O, so every rule is unit-tested with plain lists. Which names hold a key
//! is [`Naming`]'s decision.

use crate::naming::{Key, Naming};

/// Every name that can hold a feature number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Names {
    /// Entries of the specs folder, e.g. `003-eks`.
    pub folders: Vec<String>,
    /// Local branches, e.g. `003-eks` or `feature/x`.
    pub local_branches: Vec<String>,
    /// Remote-tracking branches as `<remote>/<branch>`, e.g. `origin/003-eks`.
    pub remote_branches: Vec<String>,
}

/// Where a numbered name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Folder,
    LocalBranch,
    RemoteBranch,
}

/// A name that holds a feature key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holder<'a> {
    pub key: Key,
    pub source: Source,
    pub name: &'a str,
}

impl Holder<'_> {
    /// How messages name this holder, e.g. `folder specs/003-eks` or `branch origin/003-eks`.
    pub(crate) fn describe(&self, specs_dir: &str) -> String {
        match self.source {
            Source::Folder => format!("folder {}/{}", specs_dir.trim_end_matches('/'), self.name),
            Source::LocalBranch => format!("branch {}", self.name),
            Source::RemoteBranch => format!("remote-tracking branch {}", self.name),
        }
    }
}

impl Names {
    /// Every feature folder and every branch of a feature: named `KEY-…`, or (branches) made
    /// by the branch template; remote-tracking branches as `<remote>/…`.
    pub(crate) fn holders<'a>(&'a self, naming: &'a Naming) -> impl Iterator<Item = Holder<'a>> {
        let folders = self
            .folders
            .iter()
            .filter_map(|n| Some((Source::Folder, n.as_str(), naming.key(n)?)));
        let local = self
            .local_branches
            .iter()
            .filter_map(|n| Some((Source::LocalBranch, n.as_str(), naming.branch_key(n)?)));
        let remote = self.remote_branches.iter().filter_map(|n| {
            Some((
                Source::RemoteBranch,
                n.as_str(),
                naming.branch_key(without_remote(n))?,
            ))
        });
        folders
            .chain(local)
            .chain(remote)
            .map(|(source, name, key)| Holder { key, source, name })
    }

    /// The names holding `key` (empty when it is free).
    pub(crate) fn holders_of<'a>(&'a self, key: &Key, naming: &'a Naming) -> Vec<Holder<'a>> {
        self.holders(naming).filter(|h| &h.key == key).collect()
    }

    /// The highest sequential number held, if any.
    pub(crate) fn highest(&self, naming: &Naming) -> Option<u32> {
        self.holders(naming)
            .filter_map(|h| match h.key {
                Key::Number(n) => Some(n),
                _ => None,
            })
            .max()
    }

    /// The next feature number: one more than the highest held, or 1. `None` only when the
    /// highest is `u32::MAX`.
    pub(crate) fn next(&self, naming: &Naming) -> Option<u32> {
        match self.highest(naming) {
            Some(n) => n.checked_add(1),
            None => Some(1),
        }
    }
}

/// The branch part of a remote-tracking name: `origin/003-eks` → `003-eks`. The remote is the
/// first component; a remote whose own name holds `/` is not told apart from a branch folder.
fn without_remote(name: &str) -> &str {
    name.split_once('/').map_or("", |(_, branch)| branch)
}

/// The holders of one number, listed for an error message.
pub(crate) fn describe_all(holders: &[Holder<'_>], specs_dir: &str) -> String {
    let parts: Vec<String> = holders.iter().map(|h| h.describe(specs_dir)).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::DEFAULT_TICKET_PATTERN;

    fn names(folders: &[&str], local: &[&str], remote: &[&str]) -> Names {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Names {
            folders: v(folders),
            local_branches: v(local),
            remote_branches: v(remote),
        }
    }

    #[test]
    fn next_number_over_every_source() {
        for (folders, local, remote, next) in [
            (&[][..], &[][..], &[][..], 1),
            (&["001-a", "002-b"], &[], &[], 3),
            (&["001-a"], &["005-x", "main"], &[], 6),
            (&["001-a"], &["002-b"], &["origin/007-x"], 8),
            (&[], &[], &["upstream/042-y", "origin/HEAD"], 43),
            (&["999-last"], &[], &[], 1000),
            (&["1000-wide", "999-x"], &[], &[], 1001),
            (&["0009-padded"], &[], &[], 10),
            // Not feature names: no number, too short, not followed by `-`, nested.
            (
                &["README.md", "01-a", "007", "008_x", ".009-h"],
                &["feature/010-x"],
                &["origin/feature/011-y", "012-no-remote"],
                1,
            ),
            // Gaps are not filled: the next number follows the highest.
            (&["001-a", "010-b"], &[], &[], 11),
        ] {
            assert_eq!(
                names(folders, local, remote).next(&Naming::default()),
                Some(next),
                "{folders:?} {local:?} {remote:?}"
            );
        }
    }

    #[test]
    fn the_last_number_has_no_successor() {
        let n = names(&["4294967295-max"], &[], &[]);
        assert_eq!(n.highest(&Naming::default()), Some(u32::MAX));
        assert_eq!(n.next(&Naming::default()), None);
    }

    #[test]
    fn holders_of_a_number_name_each_source() {
        let n = names(
            &["004-x", "005-y"],
            &["004-z", "main"],
            &["origin/004-w", "origin/006-v"],
        );
        let naming = Naming::default();
        let h = n.holders_of(&Key::Number(4), &naming);
        assert_eq!(
            h.iter().map(|h| (h.source, h.name)).collect::<Vec<_>>(),
            [
                (Source::Folder, "004-x"),
                (Source::LocalBranch, "004-z"),
                (Source::RemoteBranch, "origin/004-w"),
            ]
        );
        assert_eq!(
            describe_all(&h, "specs/"),
            "folder specs/004-x, branch 004-z and remote-tracking branch origin/004-w"
        );
        assert!(n.holders_of(&Key::Number(7), &naming).is_empty());
        assert_eq!(
            describe_all(&n.holders_of(&Key::Number(5), &naming), "docs"),
            "folder docs/005-y"
        );
    }

    #[test]
    fn other_modes_hold_keys_but_not_numbers() {
        let naming = Naming::new(DEFAULT_TICKET_PATTERN, "feature/{number}-{name}").unwrap();
        let n = names(
            &["20261204-093015-a", "PLAT-7-b", "002-c"],
            &["feature/005-d", "feature/PLAT-8-e"],
            &["origin/feature/20261204-093016-f"],
        );
        // A timestamp is not a big number: sequential numbering goes on from 005.
        assert_eq!(n.next(&naming), Some(6));
        let keys: Vec<String> = n.holders(&naming).map(|h| h.key.to_string()).collect();
        assert_eq!(
            keys,
            [
                "20261204-093015",
                "PLAT-7",
                "002",
                "005",
                "PLAT-8",
                "20261204-093016"
            ]
        );
    }
}

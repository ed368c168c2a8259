//! Walking a folder for Markdown files. Symlinked folders are not followed, so a link loop cannot
//! trap the walk (a symlinked file is read through its link), but they are reported for the
//! caller to decide about; hidden and build folders are skipped. Each folder is opened once, and its entries' types come from the listing itself,
//! so a walk costs one open and a few reads per folder and nothing per file.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// What a walk found.
#[derive(Debug, Default)]
pub(super) struct Walk {
    /// The Markdown files (any case of `.md`) and the links to anything but a folder so named.
    pub(super) files: Vec<PathBuf>,
    /// Folders that could not be listed and entries whose type could not be read, and why.
    pub(super) failed: Vec<(PathBuf, std::io::Error)>,
    /// The folders listed in full: a Markdown file in one of them that is not in `files` was
    /// not there during the walk.
    pub(super) listed: Vec<PathBuf>,
    /// The other symlinks (those not named like Markdown files), not followed: the caller
    /// decides about them (a feature folder linked to a folder inside the repository is walked,
    /// one linked outside refused).
    pub(super) links: Vec<PathBuf>,
}

/// Walk `dir`. Reading folders is most of the system time of a large run, so the folders in
/// `dir` (one per feature, under specs/) are walked on worker threads.
pub(super) fn walk(dir: &Path) -> Walk {
    let mut top = Walk::default();
    let folders = top.list(dir);
    for below in crate::parallel::map(&folders, |folder| {
        let mut walk = Walk::default();
        walk.tree(folder);
        walk
    }) {
        top.files.extend(below.files);
        top.failed.extend(below.failed);
        top.listed.extend(below.listed);
        top.links.extend(below.links);
    }
    top
}

impl Walk {
    /// Walk `dir` and every folder below it.
    fn tree(&mut self, dir: &Path) {
        let mut todo = vec![dir.to_path_buf()];
        while let Some(dir) = todo.pop() {
            todo.extend(self.list(&dir));
        }
    }

    /// List `dir`: keep its Markdown files, and return the folders in it to walk.
    fn list(&mut self, dir: &Path) -> Vec<PathBuf> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.failed.push((dir.to_path_buf(), e));
                return Vec::new();
            }
        };
        let mut folders = Vec::new();
        let mut complete = true;
        for entry in entries {
            let Ok(entry) = entry else {
                complete = false;
                continue;
            };
            let name = entry.file_name();
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    self.failed.push((entry.path(), e));
                    complete = false;
                    continue;
                }
            };
            if file_type.is_dir() {
                if !is_skipped_dir(&name) {
                    folders.push(entry.path());
                }
            } else if is_markdown(&name) {
                let path = entry.path();
                // Anything named `*.md` that is not a folder is listed: a named pipe, socket or
                // device is then reported (SO000) when it is read, never skipped without a word.
                if !(file_type.is_symlink() && path.is_dir()) {
                    self.files.push(path);
                }
            } else if file_type.is_symlink() {
                self.links.push(entry.path());
            }
        }
        if complete {
            self.listed.push(dir.to_path_buf());
        }
        folders
    }
}

/// `*.md`, in any case, and whether or not the rest of the name is UTF-8: a name that is not
/// is reported, never dropped without a word.
pub(crate) fn is_markdown(name: &OsStr) -> bool {
    let n = name.as_encoded_bytes();
    n.len() >= 3 && n[n.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// Hidden folders and build output never hold specs.
fn is_skipped_dir(name: &OsStr) -> bool {
    let n = name.as_encoded_bytes();
    n.starts_with(b".") || n == b"node_modules" || n == b"target"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_at_every_depth_and_the_folders_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "top.md",
            "a/spec.MD",
            "a/deep/er/notes.md",
            "a/notes.txt",
            "a/.hidden/x.md",
            "a/Über.md",
            "a/target/x.md",
            "node_modules/x.md",
            "b/empty/.keep",
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir(root.join("a/folder.md")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a"), root.join("link.md")).unwrap();
            std::os::unix::fs::symlink("missing", root.join("a/dangling.md")).unwrap();
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"b/\xff.md");
            std::fs::write(root.join(name), "x").unwrap();
        }
        let w = walk(root);
        assert!(w.failed.is_empty(), "{:?}", w.failed);
        let rel = |paths: &[PathBuf]| {
            let mut v: Vec<String> = paths.iter().map(|p| crate::fsx::display(p, root)).collect();
            v.sort();
            v
        };
        let mut files = vec!["a/deep/er/notes.md", "a/spec.MD", "a/Über.md", "top.md"];
        if cfg!(unix) {
            files.insert(0, "a/dangling.md");
            files.push("b/\u{fffd}.md");
            files.sort();
        }
        assert_eq!(rel(&w.files), files);
        assert_eq!(
            rel(&w.listed),
            [
                ".",
                "a",
                "a/deep",
                "a/deep/er",
                "a/folder.md",
                "b",
                "b/empty"
            ]
        );
    }
}

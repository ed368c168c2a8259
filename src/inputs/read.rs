//! Reading documents from the work tree: regular files only (a named pipe must not block the
//! run), at most [`MAX_FILE_BYTES`] each, with one open and one `fstat` per file, and no attempt
//! to open a related document that the walk has shown is not there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::fsx::{ReadProblem, MAX_FILE_BYTES};
use crate::lint::engine::{too_large, RelatedSource, Source};

/// The document at `path`, read when the linter gets to it.
pub(super) fn file(path: PathBuf) -> Source {
    Source::Deferred(Box::new(move || read_capped(&path)))
}

/// Read a regular file, at most [`MAX_FILE_BYTES`]; the message says why it could not be.
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    match crate::fsx::read_regular(path, MAX_FILE_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err("cannot read file: it does not exist".to_string()),
        Err(ReadProblem::TooLarge(len)) => Err(too_large(len)),
        Err(problem) => Err(format!("cannot read file: {problem}")),
    }
}

/// What the walks saw, by root-relative path: the folders they listed in full and the Markdown
/// files in those folders (whether or not they are linted). A Markdown file in a listed folder
/// that is not among them does not exist, so nothing is opened to find that out.
#[derive(Debug, Default)]
pub(super) struct Listing {
    folders: HashSet<String>,
    /// Lower-cased: on a case-insensitive file system, opening `plan.md` finds `Plan.md`.
    files: HashSet<String>,
}

impl Listing {
    /// Record that the folder at `path` (as [`super::shown`] gives it) was listed in full.
    pub(super) fn add_folder(&mut self, path: String) {
        // The root shows as `.`; documents at the root have the folder `""`.
        let path = if path == "." { String::new() } else { path };
        self.folders.insert(path);
    }

    /// Record a Markdown file (or a link to one) that a listed folder holds.
    pub(super) fn add_file(&mut self, path: &str) {
        self.files.insert(path.to_ascii_lowercase());
    }

    /// Whether the document at `path` is known not to exist: its folder was listed, without it.
    fn rules_out(&self, path: &str) -> bool {
        let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.folders.contains(folder) && !self.files.contains(&path.to_ascii_lowercase())
    }
}

/// Related documents read from the work tree under `root`, except the ones `listing` rules out.
pub(super) fn work_tree(root: PathBuf, listing: Listing) -> RelatedSource {
    let read = from_work_tree(root);
    RelatedSource::Reader(Box::new(move |path| {
        if listing.rules_out(path) {
            return None;
        }
        read(path)
    }))
}

/// Reads a document under `root` by its root-relative path; `None` when it cannot be read.
pub(super) fn from_work_tree(root: PathBuf) -> impl Fn(&str) -> Option<Vec<u8>> + Send + Sync {
    move |path| read_capped(&root.join(path)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_listed_folder_rules_a_document_out() {
        let mut listing = Listing::default();
        listing.add_folder("specs/001-a".into());
        listing.add_folder(".".into());
        listing.add_file("specs/001-a/Plan.md");
        listing.add_file("spec.md");
        for (path, ruled_out) in [
            ("specs/001-a/plan.md", false),
            ("specs/001-a/tasks.md", true),
            ("specs/001-a/variants/v/tasks.md", false),
            ("specs/002-b/plan.md", false),
            ("spec.md", false),
            ("plan.md", true),
        ] {
            assert_eq!(listing.rules_out(path), ruled_out, "{path}");
        }
    }

    #[test]
    fn related_documents_are_read_unless_ruled_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("f")).unwrap();
        std::fs::write(dir.path().join("f/plan.md"), "# Plan").unwrap();
        std::fs::write(dir.path().join("f/tasks.md"), "# Tasks").unwrap();
        let mut listing = Listing::default();
        listing.add_folder("f".into());
        listing.add_file("f/plan.md");
        let RelatedSource::Reader(read) = work_tree(dir.path().to_path_buf(), listing) else {
            panic!("a reader");
        };
        assert_eq!(read("f/plan.md").as_deref(), Some(&b"# Plan"[..]));
        // Created after the walk: the walk's view wins.
        assert_eq!(read("f/tasks.md"), None);
        assert_eq!(read("f/spec.md"), None);
    }
}

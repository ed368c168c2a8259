//! Reading documents from the work tree: regular files only (a named pipe must not block the
//! run), at most [`MAX_FILE_BYTES`] each, with one open and one `fstat` per file.

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

/// Related documents read from the work tree under `root`.
pub(super) fn work_tree(root: PathBuf) -> RelatedSource {
    RelatedSource::Reader(Box::new(move |path| read_capped(&root.join(path)).ok()))
}

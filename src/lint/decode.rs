//! Decoding a document's bytes: a binary file is not linted, a file that is not UTF-8 is linted
//! with its invalid bytes replaced; either earns an SO000 diagnostic, as does a file too large
//! to read.

use std::borrow::Cow;

use super::place::file_problem;
use super::{Diagnostic, Levels};
use crate::fsx::MAX_FILE_BYTES;

/// What SO000 says about a file of `len` bytes, over [`MAX_FILE_BYTES`].
pub fn too_large(len: u64) -> String {
    format!(
        "file too large to lint ({} MiB; the limit is {} MiB)",
        len / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// A document's bytes as text, and the SO000 finding they deserve: a binary file is reported
/// and not linted (no text); a file that is not UTF-8 is reported and linted with its invalid
/// bytes replaced, so its other findings still show.
pub(super) fn decode<'b>(
    path: &str,
    bytes: Cow<'b, [u8]>,
    levels: &Levels,
) -> (Option<Cow<'b, str>>, Option<Diagnostic>) {
    if memchr::memchr(0, &bytes).is_some() {
        let problem = file_problem(
            path,
            levels,
            "binary file (it contains NUL bytes); not linted",
        );
        return (None, problem);
    }
    let invalid = match std::str::from_utf8(&bytes) {
        Ok(_) => None,
        Err(e) => Some(crate::markdown::line_and_start(&bytes, e.valid_up_to()).0 + 1),
    };
    let Some(line) = invalid else {
        let text = match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default()),
            Cow::Owned(b) => Cow::Owned(String::from_utf8(b).unwrap_or_default()),
        };
        return (Some(text), None);
    };
    let problem = file_problem(
        path,
        levels,
        &format!("not valid UTF-8 (first invalid byte on line {line}); linted with invalid bytes replaced by U+FFFD"),
    );
    (
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())),
        problem,
    )
}

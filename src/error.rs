//! The user-facing error: a message and a hint, rendered as `error: …` / `hint: …` (exit 2).

use std::fmt;
use std::path::Path;

/// What kind of failure this is, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// Bad arguments or values given on the command line.
    Usage,
    /// `.specops/config.yaml` is unreadable or invalid.
    Config,
    /// A template (embedded or override) failed to compile or render.
    Template,
    /// A document or input file is missing, unreadable or invalid.
    Input,
    /// The repository or the environment is in a state the command cannot work in.
    Environment,
    /// A file, folder or branch is in the way.
    Conflict,
    /// A requested feature number is already taken.
    NumberTaken,
    /// A feature could not be resolved (none, or more than one).
    Feature,
}

/// An error the user can act on. Every instance carries a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: String,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message, hint)
    }

    pub(crate) fn input(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(ErrorKind::Input, message, hint)
    }

    pub(crate) fn environment(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(ErrorKind::Environment, message, hint)
    }

    pub(crate) fn conflict(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message, hint)
    }

    /// An I/O failure on `path`, with a hint suited to the error kind.
    pub(crate) fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let hint = match err.kind() {
            K::PermissionDenied => "check the permissions of that path and of its folder",
            K::NotFound => "check that the path exists",
            K::StorageFull => "free some disk space and run the command again",
            K::FileTooLarge => {
                "the file size limit was reached (see `ulimit -f` and the file system's quota); raise it or free space and run again"
            }
            K::ReadOnlyFilesystem => {
                "the file system is read-only; run the command somewhere writable"
            }
            _ => "check the path and try again",
        };
        Self::new(
            ErrorKind::Input,
            format!("cannot {action} {}: {err}", path.display()),
            hint,
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The result type of the library: errors are `anyhow` at the edges, carrying an [`Error`] inside.
pub(crate) type Result<T, E = anyhow::Error> = std::result::Result<T, E>;

//! What the linter is given: the documents of a run (their paths and a way to get their bytes)
//! and how to lint them. The caller ([`crate::inputs`]) fills these in; the linter never reads
//! a file itself.

use super::Levels;

/// One document to lint.
#[derive(Debug)]
pub struct Input {
    /// Relative to the repository root, with `/`.
    pub path: String,
    pub source: Source,
}

/// Reads a document's content, or says why it cannot (the message of its SO000 diagnostic).
pub type ReadInput = Box<dyn Fn() -> Result<Vec<u8>, String> + Send + Sync>;

/// Reads a document that is not being linted by its root-relative path; `None` when there is no
/// such document or it cannot be read.
pub type ReadRelated = Box<dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync>;

/// Where a document's bytes come from.
pub enum Source {
    /// Content in memory (the index's blob for `--staged`).
    Bytes(Vec<u8>),
    /// Content read when a worker gets to the document: files are read in parallel, and only
    /// the documents being linted are held in memory.
    Deferred(ReadInput),
    /// The document could not even be listed; the message says why.
    Failed(String),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Source::Deferred(_) => f.write_str("Deferred"),
            Source::Failed(message) => f.debug_tuple("Failed").field(message).finish(),
        }
    }
}

/// How to lint.
#[derive(Debug)]
pub struct Options {
    pub levels: Levels,
    /// The configured constitution path, relative to the root, with `/`.
    pub constitution: String,
    /// Where the cross-document rules read a feature's documents that are not being linted.
    pub related: RelatedSource,
    /// What the repository holds beyond the documents (SO011, SO013); `None` when the caller
    /// has no repository to ask (those rules then say nothing).
    pub repository: Option<Repository>,
}

/// What the repository holds beyond the spec documents, for the rules that compare task lists
/// with the infrastructure code (SO011 done-without-artifact, SO013 unimplemented-requirement).
/// The caller answers from the work tree or, with `--staged`, the index; the linter asks and
/// never reads a file itself.
pub struct Repository {
    /// Whether a root-relative path (`/`-separated; a folder when it ends with `/`) exists.
    pub exists: Box<dyn Fn(&str) -> bool + Send + Sync>,
    /// Whether some file outside the specs folder cites requirement `id` (second argument) of
    /// the feature whose folder is named by the first argument, in a comment; `None` when the
    /// caller cannot say (SO013 then says nothing).
    pub cited: Option<Cited>,
}

/// Answers whether a feature's (folder name) requirement (ID) is cited; see [`Repository`].
pub type Cited = Box<dyn Fn(&str, &str) -> bool + Send + Sync>;

impl std::fmt::Debug for Repository {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Repository")
    }
}

/// Where the spec, plan or task list that a linted document is compared with comes from when it
/// is not itself among the inputs (`specops check specs/003-x/tasks.md` still compares the task
/// list with the spec).
#[derive(Default)]
pub enum RelatedSource {
    /// Only the inputs: documents that are not linted are not compared with.
    #[default]
    Inputs,
    /// The caller's reader: the work tree's files, or the index's content for `--staged`.
    Reader(ReadRelated),
    /// The caller's reader, with a cache of what was parsed from it that outlives the run:
    /// a document read with the same bytes as before is not parsed again (`specops lsp`).
    Cached(ReadRelated, std::sync::Arc<super::related::ParsedRelated>),
}

impl std::fmt::Debug for RelatedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RelatedSource::Inputs => "Inputs",
            RelatedSource::Reader(_) => "Reader",
            RelatedSource::Cached(..) => "Cached",
        })
    }
}

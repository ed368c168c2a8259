//! SO000 unreadable-file: a file that cannot be linted. The engine reports it while it reads
//! the files ([`crate::lint::engine`]), before there is a document to check: a missing or
//! unreadable file, a binary one (a NUL byte), one over the size limit, or one that is not
//! UTF-8 (that one is also linted, with its invalid bytes replaced). So the rule's check finds
//! nothing; it is registered for its metadata, which `--rule`, the config and the docs read.

use crate::config::Level;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct UnreadableFile;

/// What SO000 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO000",
    name: "unreadable-file",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "a file that cannot be linted: unreadable, binary, not UTF-8 or too large",
    explanation: "A file specops was asked to lint but could not read as text: it is missing or \
        unreadable, it contains a NUL byte (binary), it is larger than 32 MiB, or it is not valid \
        UTF-8. Such a file is reported rather than skipped silently, and it never stops the run or \
        hides other files' findings; a file that is not UTF-8 is also linted with its invalid \
        bytes replaced, so its other findings still show.",
    fix: "Save the file as UTF-8 text, fix its permissions, split an over-size document, or \
        keep binary and generated files out of the linted folders (or list them under `exclude:` \
        in `.specops/config.yaml`).",
    fires: &[("specs/001-backups/notes.md", "Retention: 30 days\0\n")],
    passes: &[("specs/001-backups/notes.md", "Retention: 30 days\n")],
};

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, _related: &Related, _out: &mut Vec<Finding>) {}
}

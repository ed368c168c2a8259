//! The linter's entry points. [`check`] lints a run's documents in parallel, a feature's
//! documents together so the cross-document rules compare them; [`lint_bytes`] and
//! [`lint_document`] lint one document. The linter reads bytes, never files: the caller hands
//! it each document's content, or a way to read it that a worker calls when it gets there (see
//! [`crate::inputs`] for the work tree and the git index).
//!
//! The work is split by job: [`super::units`] groups the documents by feature,
//! [`super::decode`] turns bytes into text, [`super::related`] gathers what a document is
//! compared with, [`super::run`] runs the rules over one document and [`super::place`] turns
//! their findings into [`Diagnostic`]s.

use std::borrow::Cow;

use serde::Serialize;

use super::decode::decode;
use super::kinds::Kind;
use super::place::file_problem;
use super::related::FeatureDocs;
use super::units::{folder_of, is_related_kind, units};
use super::{Diagnostic, Document, Related, Severity};
use crate::markdown;

pub use super::decode::too_large;
pub use super::input::{Input, Options, ReadInput, ReadRelated, RelatedSource, Source};
pub use super::run::{lint_bytes, lint_document, lint_text};
pub use super::units::related_documents;
pub use crate::fsx::MAX_FILE_BYTES;

/// The result of a run: what the output formats print.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Lint every input, in parallel; diagnostics sorted by path, line, column and rule. The spec,
/// plans and task lists of one feature are linted together by one worker, so each is read and
/// parsed once for the cross-document rules.
pub fn check(inputs: &[Input], options: &Options) -> CheckReport {
    let units = units(inputs, &options.constitution);
    let cross = options.levels.feature_rules_enabled();
    let found = crate::parallel::map(&units, |unit| lint_unit(inputs, unit, options, cross));
    let mut diagnostics: Vec<Diagnostic> = found.into_iter().flatten().collect();
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
    });
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    CheckReport {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        files: inputs.len(),
        diagnostics,
    }
}

/// An input's bytes, read once and at most [`MAX_FILE_BYTES`] of them.
fn load(input: &Input) -> Result<Cow<'_, [u8]>, String> {
    let bytes = match &input.source {
        Source::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
        Source::Deferred(read) => Cow::Owned(read()?),
        Source::Failed(message) => return Err(message.clone()),
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Lint one unit; `cross` says whether any cross-document rule is enabled, so the feature's
/// documents are worth parsing.
fn lint_unit(inputs: &[Input], unit: &[usize], options: &Options, cross: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each input read and decoded once; its text serves both its own rules and, for the
    // cross-document rules, the other documents of its feature.
    let decoded: Vec<_> = unit
        .iter()
        .map(|&i| {
            let input = &inputs[i];
            let kind = Kind::from_path(&input.path, &options.constitution);
            let text = match load(input) {
                Ok(bytes) => {
                    let (text, problem) = decode(&input.path, bytes, &options.levels);
                    out.extend(problem);
                    text
                }
                Err(message) => {
                    out.extend(file_problem(&input.path, &options.levels, &message));
                    None
                }
            };
            (input, kind, text)
        })
        .collect();
    // Each text parsed once: its own rules and its feature's cross-document rules read the
    // same parse.
    let parsed: Vec<Option<markdown::Document>> = decoded
        .iter()
        .map(|(_, _, text)| text.as_deref().map(markdown::Document::parse))
        .collect();
    let feature = (cross && decoded.iter().any(|(_, kind, _)| is_related_kind(*kind))).then(|| {
        FeatureDocs::gather(
            decoded
                .iter()
                .zip(&parsed)
                .filter_map(|((input, _, _), md)| Some((input.path.as_str(), md.as_ref()?))),
            &options.related,
        )
    });
    for ((input, kind, _), md) in decoded.iter().zip(&parsed) {
        let Some(md) = md else { continue };
        let related = match &feature {
            Some(f) if is_related_kind(*kind) => f.related(folder_of(&input.path)),
            _ => Related::default(),
        };
        let doc = Document::new(&input.path, *kind, md);
        let found = lint_document(&doc, &options.levels, &related);
        out.extend(found.into_iter().flatten());
    }
    // Most units have a diagnostic or two, and all of them are held until the run ends.
    out.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Levels;

    #[test]
    fn parallel_results_are_sorted_and_counted() {
        let inputs: Vec<Input> = (0..50)
            .rev()
            .map(|i| Input {
                path: format!("specs/{i:03}/notes.md"),
                source: Source::Bytes(
                    format!("[DATE]\n\n[NEEDS CLARIFICATION: q{i}?]\n").into_bytes(),
                ),
            })
            .collect();
        let options = Options {
            levels: Levels::default(),
            constitution: "memory/constitution.md".into(),
            related: RelatedSource::Inputs,
        };
        let r = check(&inputs, &options);
        assert_eq!((r.files, r.errors, r.warnings), (50, 100, 0));
        let keys: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.path.clone(), d.line))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let big = Input {
            path: "big.md".into(),
            source: Source::Bytes(vec![b'a'; MAX_FILE_BYTES as usize + 1]),
        };
        let r = check(&[big], &options);
        assert!(
            r.diagnostics[0].message.contains("too large"),
            "{:?}",
            r.diagnostics
        );
    }
}

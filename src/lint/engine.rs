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
use std::sync::Arc;

use serde::Serialize;

use super::decode::decode;
use super::kinds::Kind;
use super::place::file_problem;
use super::related::FeatureDocs;
use super::run::lint_document_into;
use super::units::{folder_of, is_related_kind, units};
use super::{Diagnostic, Document, Related, Severity};
use crate::markdown;

pub use super::decode::too_large;
pub use super::input::{
    Cited, Input, Options, ReadInput, ReadRelated, RelatedSource, Repository, Source,
};
pub use super::related::ParsedRelated;
pub use super::run::{lint_bytes, lint_document, lint_text};
pub use super::units::related_documents;
pub use crate::fsx::MAX_FILE_BYTES;

/// The result of a run: what the output formats print.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    /// The `files` linted documents' paths, as the diagnostics give them, in input order (the
    /// `junit` format has a test case for each, also those without findings).
    #[serde(skip)]
    pub paths: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

impl CheckReport {
    /// Add the report of another project of the same repository, whose paths are relative to
    /// its root `prefix` (relative to this report's root, with `/`; empty for the same root).
    pub fn absorb(&mut self, other: CheckReport, prefix: &str) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        // A document's findings keep sharing one path.
        let mut renamed: Option<(Arc<str>, Arc<str>)> = None;
        for mut d in other.diagnostics {
            if !prefix.is_empty() {
                d.path = match &renamed {
                    Some((from, to)) if Arc::ptr_eq(from, &d.path) => to.clone(),
                    _ => {
                        let to: Arc<str> = format!("{prefix}/{}", d.path).into();
                        renamed = Some((d.path.clone(), to.clone()));
                        to
                    }
                };
            }
            self.diagnostics.push(d);
        }
        sort_stably(&mut self.diagnostics, by_place);
    }
}

/// Lint every input, in parallel; diagnostics sorted by path, line, column and rule. The spec,
/// plans and task lists of one feature are linted together by one worker, so each is read and
/// parsed once for the cross-document rules.
pub fn check(inputs: &[Input], options: &Options) -> CheckReport {
    let units = units(inputs, &options.constitution);
    let cross = options.levels.feature_rules_enabled();
    let found = crate::parallel::map(&units, |unit| lint_unit(inputs, unit, options, cross));
    let mut diagnostics = concat(found);
    sort_stably(&mut diagnostics, by_place);
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    CheckReport {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        files: inputs.len(),
        paths: inputs.iter().map(|i| i.path.clone()).collect(),
        diagnostics,
    }
}

/// The order of findings in a report: by path, line, column and rule.
fn by_place(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
}

/// The units' diagnostics in one vector, grown from the largest: one document with millions of
/// findings is not copied.
fn concat<T>(mut found: Vec<Vec<T>>) -> Vec<T> {
    let total: usize = found.iter().map(Vec::len).sum();
    let largest = (0..found.len()).max_by_key(|&i| found[i].len());
    let mut all = largest.map_or_else(Vec::new, |i| found.swap_remove(i));
    all.reserve_exact(total - all.len());
    for unit in found {
        all.extend(unit);
    }
    all
}

/// Sort `items` stably by `cmp`, in place: the order is found on indexes, so the sort does not
/// allocate a buffer of half the items, as `sort_by` does.
fn sort_stably<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    // Position i takes the item at order[i]: follow each cycle of the permutation once.
    for i in 0..items.len() {
        let mut j = i;
        while order[j] != usize::MAX {
            let k = std::mem::replace(&mut order[j], usize::MAX);
            if k == i {
                break;
            }
            items.swap(j, k);
            j = k;
        }
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
            Some(f) if is_related_kind(*kind) => Related {
                repository: options.repository.as_ref(),
                ..f.related(folder_of(&input.path))
            },
            _ => Related::default(),
        };
        let doc = Document::new(&input.path, *kind, md);
        lint_document_into(&doc, &options.levels, &related, &mut out);
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
            repository: None,
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

    #[test]
    fn concatenated_and_sorted_stably_in_place() {
        let mut items: Vec<(u32, u32)> = (0..500u32).map(|i| ((i * 7919) % 13, i)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(k, _)| k);
        sort_stably(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
        let mut empty: Vec<u8> = vec![];
        sort_stably(&mut empty, u8::cmp);
        let mut all = concat(vec![vec![], vec![1u8], vec![2, 3, 4], vec![5]]);
        assert_eq!(all[..3], [2, 3, 4], "grown from the largest");
        all.sort();
        assert_eq!(all, [1, 2, 3, 4, 5]);
        assert!(concat(Vec::<Vec<u8>>::new()).is_empty());
    }
}

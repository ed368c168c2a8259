//! Findings for an open document: the linter run as `check` runs it (same rules, severities,
//! configuration and suppression comments), on the editor's text, with the rest of the feature
//! read from the open documents first and the disk after.

use std::collections::HashMap;
use std::sync::Arc;

use lsp_types::{DiagnosticSeverity, NumberOrString};

use super::position;
use super::server::Server;
use crate::lint::engine::{self, Cited, Input, Options, RelatedSource, Repository, Source};
use crate::lint::{Diagnostic, Severity};

impl Server {
    /// The findings of the open document `key` whose text is `text`; none for a document a
    /// default `check` does not lint.
    pub(super) fn diagnostics(&mut self, key: &str, text: &str) -> Vec<lsp_types::Diagnostic> {
        if !(self.linted)(key) {
            return Vec::new();
        }
        let found = self.lint(key, text);
        let lines = position::Lines::new(text);
        found.iter().map(|d| self.to_lsp(d, &lines)).collect()
    }

    /// The linter's findings in the document `key` with text `text`.
    pub(super) fn lint(&mut self, key: &str, text: &str) -> Vec<Diagnostic> {
        if self.repository.is_none() {
            self.repository = crate::inputs::repository(&self.ws, false)
                .ok()
                .map(Arc::new);
        }
        let open: HashMap<String, Arc<String>> = self
            .docs
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, d)| (k.clone(), d.text.clone()))
            .collect();
        let disk = crate::inputs::work_tree_reader(self.ws.root.clone());
        let read = Box::new(move |path: &str| match open.get(path) {
            Some(text) => Some(text.as_bytes().to_vec()),
            None => disk(path),
        });
        let related = RelatedSource::Cached(read, self.parsed.clone());
        let options = Options {
            levels: self.levels.clone(),
            constitution: self.constitution.clone(),
            related,
            repository: self.repository.clone().map(shared),
        };
        let input = Input {
            path: key.to_string(),
            source: Source::Bytes(text.as_bytes().to_vec()),
        };
        engine::check(&[input], &options).diagnostics
    }

    fn to_lsp(&self, d: &Diagnostic, lines: &position::Lines<'_>) -> lsp_types::Diagnostic {
        lsp_types::Diagnostic {
            range: lines.char_range(d.line, d.column, d.end_column, self.enc),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.rule.to_string())),
            source: Some("specops".into()),
            message: format!("{} ({})", d.message, d.name),
            ..Default::default()
        }
    }
}

/// A [`Repository`] answering from one the server keeps.
fn shared(repo: Arc<Repository>) -> Repository {
    let cited: Option<Cited> = repo.cited.is_some().then(|| {
        let repo = repo.clone();
        Box::new(move |feature: &str, id: &str| repo.cited.as_ref().is_none_or(|c| c(feature, id)))
            as Cited
    });
    Repository {
        exists: Box::new(move |path| (repo.exists)(path)),
        cited,
    }
}

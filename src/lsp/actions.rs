//! Code actions: suppress a finding with a `specops-ignore` comment on the line above it; tick
//! or untick the task on the cursor's line; record the current fingerprint in a stale plan or
//! task list, as `plan --refresh` and `tasks --refresh` do.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, NumberOrString, Range,
    TextEdit, WorkspaceEdit,
};

use super::position;
use super::server::Server;
use crate::derive::refresh::{self, Refreshed};
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::lint::engine::related_documents;
use crate::lint::rule_index;
use crate::markdown::{line_break_for, Check, Document};

/// The rule whose stale findings a refresh answers.
const STALE_RULE: &str = "SO008";

impl Server {
    pub(super) fn code_actions(&self, p: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let key = self.key(&p.text_document.uri)?;
        let text = self.text(&key)?;
        let mut out = Vec::new();
        let mut suppressed: Vec<(u32, String)> = Vec::new();
        for d in &p.context.diagnostics {
            let Some(NumberOrString::String(rule)) = &d.code else {
                continue;
            };
            // SO000 (an unreadable file) has no line to suppress it on.
            if rule_index(rule).is_none_or(|i| i == 0) {
                continue;
            }
            let line = d.range.start.line;
            if suppressed.contains(&(line, rule.clone())) {
                continue;
            }
            suppressed.push((line, rule.clone()));
            let edit = suppress(&text, line, rule, self.enc);
            out.push(action(
                format!("Suppress {rule} on this line"),
                CodeActionKind::QUICKFIX,
                vec![d.clone()],
                self.edit(&key, vec![edit]),
            ));
            if rule == STALE_RULE {
                out.extend(self.refresh_action(&key, &text, d));
            }
        }
        out.extend(self.tick_action(&key, &text, p.range));
        Some(
            out.into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        )
    }

    fn edit(&self, key: &str, edits: Vec<TextEdit>) -> Option<WorkspaceEdit> {
        Some(WorkspaceEdit {
            changes: Some(HashMap::from([(self.uri(key)?, edits)])),
            ..Default::default()
        })
    }

    /// Tick or untick the task on the first line of `range`.
    fn tick_action(&self, key: &str, text: &str, range: Range) -> Option<CodeAction> {
        let md = Document::parse(text);
        let shift = text.len() - md.text.len();
        let tasks = Tasks::parse(&md);
        let line = range.start.line as usize + 1;
        let t = tasks.tasks.iter().find(|t| t.line == line)?;
        let (title, mark) = match t.state {
            _ if t.done => (format!("Untick {}", t.id), " "),
            Check::Open => (format!("Tick {} (done)", t.id), "x"),
            _ => return None,
        };
        // The character between the checkbox's brackets.
        let at = shift + t.checkbox + 1;
        let edit = TextEdit::new(position::range(text, at, at + 1, self.enc), mark.into());
        Some(action(
            title,
            CodeActionKind::REFACTOR_REWRITE,
            Vec::new(),
            self.edit(key, vec![edit]),
        ))
    }

    /// Re-record the fingerprint of what a stale plan or task list was derived from.
    fn refresh_action(
        &self,
        key: &str,
        text: &str,
        d: &lsp_types::Diagnostic,
    ) -> Option<CodeAction> {
        let refreshed = self.refreshed(key, text)?;
        if refreshed.text == text {
            return None;
        }
        let command = if key.ends_with(crate::layout::TASKS) {
            "tasks --refresh"
        } else {
            "plan --refresh"
        };
        let whole = position::range(text, 0, text.len(), self.enc);
        Some(action(
            format!("Record the current fingerprint (specops {command})"),
            CodeActionKind::QUICKFIX,
            vec![d.clone()],
            self.edit(key, vec![TextEdit::new(whole, refreshed.text)]),
        ))
    }
}

impl Server {
    /// The plan or task list `key` (text `text`) with the fingerprint of what it was derived
    /// from re-recorded, as the refresh commands make it; `None` for another document or when
    /// its source cannot be read.
    fn refreshed(&self, key: &str, text: &str) -> Option<Refreshed> {
        let [spec_key, plan_key, tasks_key] =
            <[String; 3]>::try_from(related_documents(key, &self.constitution)).ok()?;
        let spec = |k: &str| Some(Spec::parse(&Document::parse(&self.text(k)?)));
        if key == plan_key {
            return Some(refresh::plan(&spec(&spec_key)?, text));
        }
        if key == tasks_key {
            let plan_text = self.text(&plan_key)?;
            let plan = Plan::parse(&Document::parse(&plan_text));
            return Some(refresh::tasks(
                &plan,
                &plan_text,
                spec(&spec_key).as_ref(),
                text,
            ));
        }
        None
    }
}

/// The comment that suppresses `rule` on 0-based line `line`, inserted above it with the
/// line's indentation (so a finding inside a list item stays in the item) and the document's
/// own line break (CRLF or a bare CR, as the line it goes after ends).
fn suppress(text: &str, line: u32, rule: &str, enc: position::Encoding) -> TextEdit {
    let start = position::offset(text, lsp_types::Position::new(line, 0), enc);
    let rest = &text[start..];
    let indent = &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()];
    let at = position::position(text, start, enc);
    TextEdit::new(
        Range::new(at, at),
        format!(
            "{indent}<!-- specops-ignore {rule} -->{}",
            line_break_for(text, start)
        ),
    )
}

fn action(
    title: String,
    kind: CodeActionKind,
    diagnostics: Vec<lsp_types::Diagnostic>,
    edit: Option<WorkspaceEdit>,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_goes_above_the_line_with_its_indentation() {
        let text = "- a\n  [NEEDS CLARIFICATION: x]\n";
        let e = suppress(text, 1, "SO001", position::Encoding::Utf16);
        assert_eq!(e.range.start, lsp_types::Position::new(1, 0));
        assert_eq!(e.new_text, "  <!-- specops-ignore SO001 -->\n");
    }

    #[test]
    fn a_suppression_keeps_the_line_endings_of_the_document() {
        for (text, line, expected) in [
            ("# A\r\n[DATE]\r\n", 1, "<!-- specops-ignore SO001 -->\r\n"),
            ("# A\r[DATE]\r", 1, "<!-- specops-ignore SO001 -->\r"),
            ("[DATE]\rb\r", 0, "<!-- specops-ignore SO001 -->\r"),
            ("# A\n\r[DATE]", 2, "<!-- specops-ignore SO001 -->\r"),
        ] {
            let e = suppress(text, line, "SO001", position::Encoding::Utf16);
            assert_eq!(e.range.start, lsp_types::Position::new(line, 0), "{text:?}");
            assert_eq!(e.new_text, expected, "{text:?}");
        }
    }
}

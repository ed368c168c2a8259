//! A document's outline: its headings as a tree, and under them what the document model
//! reads out of it: a spec's requirements (its scenarios are headings), a plan's gates and
//! modules, a task list's tasks (its phases are headings).

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use super::position;
use super::server::Server;
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::lint::kinds::Kind;
use crate::markdown::Document;

/// One entry before it becomes a symbol: its 0-based line range and what it is.
struct Entry {
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    /// Heading level, or `usize::MAX` for an item (never a parent).
    level: usize,
    first: usize,
    last: usize,
}

impl Server {
    pub(super) fn symbols(&self, p: &DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let key = self.key(&p.text_document.uri)?;
        let text = self.text(&key)?;
        let md = Document::parse(&text);
        let shift = text.len() - md.text.len();
        let entries = outline(&md, Kind::from_path(&key, &self.constitution));
        let range = |first: usize, last: usize| {
            let (s, e) = (md.lines[first].start, md.lines[last].end);
            position::range(&text, s + shift, e + shift, self.enc)
        };
        // Entries are in document order; each heading takes what follows until a heading of
        // its level or higher.
        let mut stack: Vec<(usize, DocumentSymbol)> = Vec::new();
        let mut top: Vec<DocumentSymbol> = Vec::new();
        let close = |stack: &mut Vec<(usize, DocumentSymbol)>, top: &mut Vec<DocumentSymbol>| {
            let (_, done) = stack.pop()?;
            match stack.last_mut() {
                Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
                None => top.push(done),
            }
            Some(())
        };
        for e in entries {
            while stack.last().is_some_and(|(level, _)| *level >= e.level) {
                close(&mut stack, &mut top);
            }
            #[allow(deprecated)]
            let symbol = DocumentSymbol {
                name: if e.name.trim().is_empty() {
                    "(untitled)".into()
                } else {
                    e.name
                },
                detail: e.detail,
                kind: e.kind,
                tags: None,
                deprecated: None,
                range: range(e.first, e.last),
                selection_range: range(e.first, e.first),
                children: None,
            };
            stack.push((e.level, symbol));
        }
        while close(&mut stack, &mut top).is_some() {}
        Some(DocumentSymbolResponse::Nested(top))
    }
}

/// The outline's entries in document order.
fn outline(md: &Document, kind: Option<Kind>) -> Vec<Entry> {
    let mut out: Vec<Entry> = md
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| Entry {
            name: md.title(h).to_string(),
            detail: None,
            kind: if h.level == 1 {
                SymbolKind::FILE
            } else {
                SymbolKind::NAMESPACE
            },
            level: h.level,
            first: h.line,
            last: md.section_end(i).saturating_sub(1).max(h.line),
        })
        .collect();
    // Model lines are 1-based.
    let item = |name: String, detail: Option<String>, kind, line: usize| Entry {
        name,
        detail,
        kind,
        level: usize::MAX,
        first: line - 1,
        last: line - 1,
    };
    match kind {
        Some(Kind::Spec) => {
            let spec = Spec::parse_requirements(md);
            out.extend(spec.requirements.iter().map(|r| {
                item(
                    r.id.clone(),
                    Some(first_line(&r.text)),
                    SymbolKind::CONSTANT,
                    r.line,
                )
            }));
        }
        Some(Kind::Plan) => {
            let plan = Plan::parse(md);
            out.extend(plan.gates.iter().map(|g| {
                let state = if g.ticked { "passed" } else { "open" };
                item(
                    g.gate.clone(),
                    Some(state.into()),
                    SymbolKind::BOOLEAN,
                    g.line,
                )
            }));
            out.extend(plan.modules.iter().map(|m| {
                item(
                    m.name.clone(),
                    Some(m.ids.join(", ")),
                    SymbolKind::MODULE,
                    m.line,
                )
            }));
        }
        Some(Kind::Tasks) => {
            let tasks = Tasks::parse(md);
            out.extend(tasks.tasks.iter().map(|t| {
                let state = if t.done { "[x] " } else { "[ ] " };
                let detail = format!("{state}{}", first_line(&t.text));
                item(t.id.clone(), Some(detail), SymbolKind::EVENT, t.line)
            }));
        }
        _ => {}
    }
    // Headings before the items on their line; items by line.
    out.sort_by_key(|e| (e.first, e.level == usize::MAX));
    out.retain(|e| e.first < md.lines.len());
    out
}

/// The first line of `text`, cut at 120 characters.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, kind: Kind) -> Vec<(String, usize, usize)> {
        let md = Document::parse(text);
        outline(&md, Some(kind))
            .into_iter()
            .map(|e| (e.name, e.first, e.last))
            .collect()
    }

    #[test]
    fn a_spec_and_a_plan_outline_their_model() {
        let spec = "# Spec: X\n\n## Requirements\n\n- **IR-001**: One.\n- **IR-002**: Two.\n";
        let got = names(spec, Kind::Spec);
        let want = [
            ("Spec: X", 0, 5),
            ("Requirements", 2, 5),
            ("IR-001", 4, 4),
            ("IR-002", 5, 5),
        ];
        let want: Vec<(String, usize, usize)> = want
            .iter()
            .map(|(n, a, b)| (n.to_string(), *a, *b))
            .collect();
        assert_eq!(got, want);
        let plan = "# Plan\n\n## Modules\n\n- **tenant-net** (IR-001): the network\n";
        let got = names(plan, Kind::Plan);
        assert_eq!(got.last().map(|e| e.0.as_str()), Some("tenant-net"));
    }
}

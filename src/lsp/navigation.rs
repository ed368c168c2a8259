//! The requirement graph in the editor: go to definition, find references and hover for
//! requirement IDs (`IR-003`, in any document of a feature or in a comment of any file that
//! cites it) and task IDs (`T004`, in a task list). Documents come from the open buffers first,
//! then the disk; files that cite requirements come from the same scan `trace` uses
//! ([`crate::inputs::citations`]).

use std::fmt::Write as _;

use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, Range, ReferenceParams, TextDocumentPositionParams,
};

use super::position;
use super::server::Server;
use crate::docs::spec::Spec;
use crate::docs::tasks::{TaskLine, Tasks};
use crate::docs::{ids_and_ranges_in, ids_in};
use crate::layout;
use crate::markdown::{Check, Document};

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A requirement ID, with the feature a citation names before it (`003/IR-001`).
    Requirement {
        id: String,
        qualifier: Option<String>,
    },
    /// A task ID.
    Task(String),
}

/// The ID at byte `at` of `text` (a document at root-relative `key`), and its byte range.
pub(super) fn token_at(key: &str, text: &str, at: usize) -> Option<(Token, usize, usize)> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    let col = at - start;
    let offset = |s: &str| s.as_ptr() as usize - line.as_ptr() as usize;
    if let Some(id) = ids_in(line).find(|id| (offset(id)..=offset(id) + id.len()).contains(&col)) {
        let (s, e) = (start + offset(id), start + offset(id) + id.len());
        // A citation's feature qualifier, as the citation scan reads it.
        let qualifier = crate::citations::scan_file(key, line)
            .into_iter()
            .find(|c| c.id == id)
            .and_then(|c| c.qualifier);
        let token = Token::Requirement {
            id: id.to_string(),
            qualifier,
        };
        return Some((token, s, e));
    }
    task_ids(line)
        .find(|&(s, e)| (s..=e).contains(&col))
        .map(|(s, e)| (Token::Task(line[s..e].to_string()), start + s, start + e))
}

/// The byte ranges of the task IDs in `line`: `T`, digits and an optional letter, between
/// word boundaries (`T001`, `T019a`).
fn task_ids(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = line.as_bytes();
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    memchr::memchr_iter(b'T', b).filter_map(move |s| {
        if s > 0 && word(s - 1) {
            return None;
        }
        let digits = b[s + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut e = s + 1 + digits;
        if b.get(e).is_some_and(u8::is_ascii_alphabetic) && !word(e + 1) {
            e += 1;
        }
        (digits > 0 && !word(e)).then_some((s, e))
    })
}

/// The feature folder (`specs/003-x`) a root-relative path lies in, if any.
fn feature_of<'a>(server: &Server, key: &'a str) -> Option<&'a str> {
    let specs = server.ws.display(&server.ws.specs_dir());
    let rest = key.strip_prefix(&specs)?.strip_prefix('/')?;
    let name = rest.split('/').next()?;
    (rest.len() > name.len()).then(|| &key[..specs.len() + 1 + name.len()])
}

impl Server {
    fn cursor(&self, p: &TextDocumentPositionParams) -> Option<(String, Token, Range)> {
        let key = self.key(&p.text_document.uri)?;
        let text = self.text(&key)?;
        let at = position::offset(&text, p.position, self.enc);
        let (token, s, e) = token_at(&key, &text, at)?;
        Some((key, token, position::range(&text, s, e, self.enc)))
    }

    /// The feature folders a requirement ID at `key` may belong to: the document's own, or
    /// for a file outside the specs folder every feature its qualifier names (all without one).
    fn features(&self, key: &str, qualifier: Option<&str>) -> Vec<String> {
        if let Some(f) = feature_of(self, key) {
            return vec![f.to_string()];
        }
        let specs = self.ws.display(&self.ws.specs_dir());
        crate::feature::folders(&self.ws)
            .unwrap_or_default()
            .into_iter()
            .filter(|name| {
                qualifier.is_none_or(|q| crate::inputs::citations::qualifier_names(q, name))
            })
            .map(|name| format!("{specs}/{name}"))
            .collect()
    }

    /// The task list a task ID at `key` refers to: the one beside the document (a plan
    /// variant's for a document in its folder), else its feature's.
    fn task_list_for(&self, key: &str) -> Option<String> {
        let beside = crate::lint::engine::related_documents(key, &self.constitution);
        if let Some(tasks) = beside.into_iter().find(|p| p.ends_with(layout::TASKS)) {
            return Some(tasks);
        }
        Some(format!("{}/{}", feature_of(self, key)?, layout::TASKS))
    }

    /// Where `needle` is on 1-based line `line` of the document `key` (the whole line when it
    /// is not there).
    fn location(&self, key: &str, text: &str, line: usize, needle: &str) -> Option<Location> {
        let md = Document::parse(text);
        let shift = text.len() - md.text.len();
        let (s, e) = md
            .locate(line, needle)
            .or_else(|| md.lines.get(line.checked_sub(1)?).map(|l| (l.start, l.end)))?;
        Some(Location::new(
            self.uri(key)?,
            position::range(text, s + shift, e + shift, self.enc),
        ))
    }

    /// Where requirement `id` is defined: its line in the spec of each feature it may belong to.
    fn requirement_definitions(&self, key: &str, id: &str, q: Option<&str>) -> Vec<Location> {
        let mut out = Vec::new();
        for feature in self.features(key, q) {
            let spec_key = format!("{feature}/{}", layout::SPEC);
            let Some(text) = self.text(&spec_key) else {
                continue;
            };
            let spec = Spec::parse_requirements(&Document::parse(&text));
            if let Some(r) = spec.requirement(id) {
                out.extend(self.location(&spec_key, &text, r.line, id));
            }
        }
        out
    }

    pub(super) fn definition(&self, p: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (key, token, _) = self.cursor(&p.text_document_position_params)?;
        let found = match token {
            Token::Requirement { id, qualifier } => {
                self.requirement_definitions(&key, &id, qualifier.as_deref())
            }
            Token::Task(id) => {
                let tasks_key = self.task_list_for(&key)?;
                let text = self.text(&tasks_key)?;
                let tasks = Tasks::parse(&Document::parse(&text));
                tasks
                    .tasks
                    .iter()
                    .filter(|t| t.id == id)
                    .filter_map(|t| self.location(&tasks_key, &text, t.line, &id))
                    .collect()
            }
        };
        (!found.is_empty()).then_some(GotoDefinitionResponse::Array(found))
    }

    pub(super) fn references(&self, p: &ReferenceParams) -> Option<Vec<Location>> {
        let (key, token, _) = self.cursor(&p.text_document_position)?;
        let mut out = Vec::new();
        match token {
            Token::Requirement { id, qualifier } => {
                let features = self.features(&key, qualifier.as_deref());
                let definitions = if p.context.include_declaration {
                    Vec::new()
                } else {
                    self.requirement_definitions(&key, &id, qualifier.as_deref())
                };
                for feature in &features {
                    for doc in self.documents_in(feature) {
                        let Some(text) = self.text(&doc) else {
                            continue;
                        };
                        out.extend(
                            self.mentions(&doc, &text, &id)
                                .into_iter()
                                .filter(|l| !definitions.contains(l)),
                        );
                    }
                }
                out.extend(self.citations(&features, &id));
            }
            Token::Task(id) => {
                let tasks_key = self.task_list_for(&key)?;
                let text = self.text(&tasks_key)?;
                for range in crate::markdown::line_ranges(&text) {
                    let base = range.start;
                    let line = &text[range];
                    for (s, e) in task_ids(line).filter(|&(s, e)| line[s..e] == id) {
                        out.push(Location::new(
                            self.uri(&tasks_key)?,
                            position::range(&text, base + s, base + e, self.enc),
                        ));
                    }
                }
            }
        }
        Some(out)
    }

    /// Every Markdown document of a feature folder, on disk or open, by path.
    fn documents_in(&self, feature: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .docs
            .keys()
            .filter(|k| k.starts_with(&format!("{feature}/")))
            .cloned()
            .collect();
        for entry in walkdir::WalkDir::new(self.ws.root.join(feature))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let name = entry.file_name().to_string_lossy();
            if name.to_ascii_lowercase().ends_with(".md") {
                out.push(self.ws.display(entry.path()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The places document `key` names requirement `id` in its prose (ranges such as `IR-001
    /// to IR-004` count for their members; code and comments do not).
    fn mentions(&self, key: &str, text: &str, id: &str) -> Vec<Location> {
        let md = Document::parse(text);
        let shift = text.len() - md.text.len();
        let Some(uri) = self.uri(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // One budget for the document's ranges, as every reader of them has.
        let mut budget = crate::docs::MAX_WRITTEN_OUT;
        for i in 0..md.lines.len() {
            if !md.is_text(i) {
                continue;
            }
            let prose = md.prose(i);
            let base = md.lines[i].start + shift;
            let mut named = false;
            for found in ids_in(&prose).filter(|f| *f == id) {
                let s = base + (found.as_ptr() as usize - prose.as_ptr() as usize);
                out.push(Location::new(
                    uri.clone(),
                    position::range(text, s, s + id.len(), self.enc),
                ));
                named = true;
            }
            if !named
                && ids_and_ranges_in(&prose, &mut budget)
                    .iter()
                    .any(|f| f == id)
            {
                let end = md.lines[i].end + shift;
                out.push(Location::new(
                    uri.clone(),
                    position::range(text, base, end, self.enc),
                ));
            }
        }
        out
    }

    /// The files outside the specs folder that cite `id` of one of `features` in a comment.
    fn citations(&self, features: &[String], id: &str) -> Vec<Location> {
        let skip = [self.ws.specs_dir()];
        let Ok(index) = crate::inputs::citations::citations_in_work_tree(&self.ws.root, &skip)
        else {
            return Vec::new();
        };
        let mut cites: Vec<(String, usize)> = Vec::new();
        for feature in features {
            let name = feature.rsplit('/').next().unwrap_or(feature);
            cites.extend(index.cites(id, name).map(|c| (c.path.clone(), c.line)));
        }
        cites.sort();
        cites.dedup();
        cites
            .into_iter()
            .filter_map(|(path, line)| {
                let text = self.text(&path)?;
                // The line the scan found, as every reader counts lines; an open buffer may
                // have fewer lines than the file the scan read, and then the citation is
                // shown at its end.
                let range = crate::markdown::line_ranges(&text)
                    .nth(line.saturating_sub(1))
                    .unwrap_or(text.len()..text.len());
                let (start, l) = (range.start, &text[range]);
                let (s, e) = ids_in(l)
                    .find(|f| *f == id)
                    .map(|f| {
                        let s = start + (f.as_ptr() as usize - l.as_ptr() as usize);
                        (s, s + id.len())
                    })
                    .unwrap_or((start, start));
                Some(Location::new(
                    self.uri(&path)?,
                    position::range(&text, s, e, self.enc),
                ))
            })
            .collect()
    }

    pub(super) fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let (key, token, range) = self.cursor(&p.text_document_position_params)?;
        let text = match token {
            Token::Requirement { id, qualifier } => {
                self.hover_requirement(&key, &id, qualifier.as_deref())?
            }
            Token::Task(id) => self.hover_task(&key, &id)?,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(range),
        })
    }

    fn hover_requirement(&self, key: &str, id: &str, q: Option<&str>) -> Option<String> {
        let mut out = String::new();
        for feature in self.features(key, q) {
            let spec_key = format!("{feature}/{}", layout::SPEC);
            let Some(text) = self.text(&spec_key) else {
                continue;
            };
            let spec = Spec::parse(&Document::parse(&text));
            let Some(r) = spec.requirement(id) else {
                continue;
            };
            if !out.is_empty() {
                out.push_str("\n\n---\n\n");
            }
            let withdrawn = if r.withdrawn { " (withdrawn)" } else { "" };
            let _ = writeln!(out, "**{id}**{withdrawn} · {spec_key}:{}\n", r.line);
            let _ = writeln!(out, "{}", quote(&r.text));
            let scenarios: Vec<String> = spec
                .scenarios
                .iter()
                .filter(|s| s.links.iter().any(|l| l == id))
                .map(|s| format!("Scenario {} — {} ({})", s.number, s.title, s.priority))
                .collect();
            if !scenarios.is_empty() {
                let _ = writeln!(out, "\nScenario: {}", scenarios.join("; "));
            }
            let tasks_key = match feature_of(self, key) {
                Some(_) => self.task_list_for(key),
                None => Some(format!("{feature}/{}", layout::TASKS)),
            };
            if let Some(tasks_text) = tasks_key.as_deref().and_then(|k| self.text(k)) {
                let tasks = Tasks::parse(&Document::parse(&tasks_text));
                let serving: Vec<&TaskLine> = tasks
                    .tasks
                    .iter()
                    .filter(|t| t.mentions.iter().any(|m| m == id))
                    .collect();
                let done = serving.iter().filter(|t| t.done).count();
                let list: Vec<String> = serving
                    .iter()
                    .map(|t| format!("{}{}", t.id, if t.done { " ✓" } else { "" }))
                    .collect();
                let _ = writeln!(
                    out,
                    "\nTasks: {done}/{} done{}{}",
                    serving.len(),
                    if list.is_empty() { "" } else { " — " },
                    list.join(", ")
                );
            }
        }
        (!out.is_empty()).then_some(out)
    }

    fn hover_task(&self, key: &str, id: &str) -> Option<String> {
        let tasks_key = self.task_list_for(key)?;
        let text = self.text(&tasks_key)?;
        let tasks = Tasks::parse(&Document::parse(&text));
        let t = tasks.tasks.iter().find(|t| t.id == id)?;
        let state = match t.state {
            _ if t.done => "done",
            Check::Open => "to do",
            _ => "set aside",
        };
        let mut out = format!("**{id}** · {state} · {tasks_key}:{}\n\n", t.line);
        let _ = writeln!(out, "{}", quote(&t.text));
        if let Some(phase) = t.phase.and_then(|i| tasks.phases.get(i)) {
            let _ = writeln!(out, "\nPhase: {}", phase.title);
        }
        let after: Vec<&str> = tasks
            .after
            .iter()
            .filter(|(waiting, _)| *waiting == t.id)
            .flat_map(|(_, waited)| waited.iter().map(String::as_str))
            .collect();
        let deps = match (after.is_empty(), t.parallel) {
            (false, _) => after.join(", "),
            (true, true) => "none: it can run in parallel [P]".to_string(),
            (true, false) => "the earlier phases".to_string(),
        };
        let _ = writeln!(out, "\nDepends on: {deps}");
        if !t.requirements.is_empty() || !t.mentions.is_empty() {
            let ids = if t.mentions.is_empty() {
                &t.requirements
            } else {
                &t.mentions
            };
            let _ = writeln!(out, "\nRequirements: {}", ids.join(", "));
        }
        Some(out)
    }
}

/// `text` as a Markdown block quote.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_under_the_cursor() {
        let text = "- [ ] T001 [P] Build in a.tf (IR-001, NFR-2)\n# 003/IR-004 here\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let req = |id: &str, q: Option<&str>| Token::Requirement {
            id: id.into(),
            qualifier: q.map(Into::into),
        };
        assert_eq!(
            token_at("tasks.md", text, at("IR-001")).unwrap().0,
            req("IR-001", None)
        );
        // The cursor just after an ID is still on it.
        assert_eq!(
            token_at("tasks.md", text, at(", NFR")).unwrap().0,
            req("IR-001", None)
        );
        assert_eq!(
            token_at("tasks.md", text, at("001 [")).unwrap().0,
            Token::Task("T001".into())
        );
        assert_eq!(token_at("tasks.md", text, at("Build")), None);
        assert_eq!(
            token_at("main.tf", text, at("IR-004")).unwrap().0,
            req("IR-004", Some("003"))
        );
        let tasks: Vec<&str> = ["T1 xT2 T3a T4ab (T05)", "T", "Tx"]
            .iter()
            .flat_map(|l| task_ids(l).map(|(s, e)| &l[s..e]))
            .collect();
        assert_eq!(tasks, ["T1", "T3a", "T05"]);
    }
}

//! A rule's page (`specops rule SO001`), written from its [`RuleMeta`] alone: what the rule
//! finds and why, an example that fires it and one that does not (both linted by a test, so the
//! page cannot promise what the rule does not do), how to fix a finding and how to suppress one.
//! The human rendering is Markdown, so `specops rule --all > rules.md` is a document.

use serde::Serialize;

use super::{RuleMeta, Scope, Severity};
use crate::report::escaped;

/// One rule's page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Page {
    pub id: &'static str,
    pub name: &'static str,
    pub default: crate::config::Level,
    /// `document` or `feature`: whether the rule also reads the feature's other documents.
    pub scope: &'static str,
    pub supersedes: Option<&'static str>,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub fires: Vec<ExampleFile>,
    pub passes: Vec<ExampleFile>,
    pub fix: &'static str,
    pub suppress: String,
}

/// One document of an example.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ExampleFile {
    pub path: &'static str,
    pub content: &'static str,
}

impl Page {
    pub(crate) fn new(r: &RuleMeta) -> Self {
        let files = |example: super::Example| {
            example
                .iter()
                .map(|&(path, content)| ExampleFile { path, content })
                .collect()
        };
        Self {
            id: r.id,
            name: r.name,
            default: r.default,
            scope: match r.scope {
                Scope::Document => "document",
                Scope::Feature => "feature",
            },
            supersedes: r.supersedes,
            summary: r.summary,
            explanation: r.explanation,
            fires: files(r.fires),
            passes: files(r.passes),
            fix: r.fix,
            suppress: suppress(r.id),
        }
    }

    /// The page as Markdown.
    pub(crate) fn markdown(&self) -> String {
        let default = Severity::from_level(self.default).map_or("off", Severity::as_str);
        let mut s = format!("# {} {}\n\n", self.id, self.name);
        let mut summary = self.summary.chars();
        if let Some(first) = summary.next() {
            s.push_str(&format!(
                "{}{}.\n\n",
                first.to_uppercase(),
                summary.as_str()
            ));
        }
        s.push_str(&format!("Default severity: {default}. "));
        s.push_str(match self.scope {
            "feature" => "Reads the other documents of the document's feature.\n\n",
            _ => "Reads the linted document alone.\n\n",
        });
        s.push_str(&format!("## What it finds\n\n{}\n\n", self.explanation));
        if let Some(other) = self.supersedes {
            s.push_str(&format!(
                "Its finding replaces {other}'s at the same place, so a spot is reported once.\n\n"
            ));
        }
        example(&mut s, "## An example that fires", &self.fires);
        example(&mut s, "## The same put right (no finding)", &self.passes);
        s.push_str(&format!("## How to fix\n\n{}\n\n", self.fix));
        s.push_str(&format!("## How to suppress\n\n{}\n", self.suppress));
        s
    }
}

/// An example's documents as fenced blocks under `title`. What cannot be shown as text (the NUL
/// of a binary file) is escaped.
fn example(s: &mut String, title: &str, files: &[ExampleFile]) {
    s.push_str(title);
    s.push_str("\n\n");
    for f in files {
        let content = escaped_lines(f.content);
        // A fence longer than any backtick run in the content.
        let fence = "`".repeat(3.max(longest_run(&content, '`') + 1));
        s.push_str(&format!("`{}`:\n\n{fence}markdown\n{content}", f.path));
        if !content.ends_with('\n') {
            s.push('\n');
        }
        s.push_str(&format!("{fence}\n\n"));
    }
}

/// `text` with control characters escaped, line by line (line breaks kept).
fn escaped_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| match l.strip_suffix('\n') {
            Some(l) => format!("{}\n", escaped(l)),
            None => escaped(l).into_owned(),
        })
        .collect()
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// How to suppress a finding of rule `id`: the same for every rule.
fn suppress(id: &str) -> String {
    format!(
        "`<!-- specops-ignore {id} -->` hides the finding on the next line with content (or, at \
        the end of a line, on that line); `<!-- specops-ignore-file {id} -->` anywhere in a file \
        hides the rule in that file. To change its severity everywhere, set `{id}: off` (or \
        `warning`, which does not fail `check` without `--strict`) under `rules:` in \
        `.specops/config.yaml`, or pass `--rule {id}=off`."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RULES;

    #[test]
    fn every_page_has_every_part() {
        for r in RULES.iter() {
            let page = Page::new(r).markdown();
            for part in [
                "## What it finds",
                "## An example that fires",
                "## The same put right",
                "## How to fix",
                "## How to suppress",
                r.fix,
                r.explanation,
            ] {
                assert!(page.contains(part), "{}: no {part:?}\n{page}", r.id);
            }
            assert!(
                !page.chars().any(|c| c.is_control() && c != '\n'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn a_page_as_markdown() {
        insta::assert_snapshot!(Page::new(RULES[1]).markdown());
    }

    #[test]
    fn fences_outgrow_the_backticks_inside() {
        let mut s = String::new();
        let files = [ExampleFile {
            path: "a.md",
            content: "```sh\nx\n```\n",
        }];
        example(&mut s, "# t", &files);
        assert!(s.contains("````markdown\n```sh\nx\n```\n````\n"), "{s}");
    }
}

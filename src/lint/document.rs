//! A document as the linter sees it: the shared Markdown parse, plus its path, its kind and the
//! rules its `specops-ignore` comments suppress.

use std::ops::Deref;

use super::kinds::Kind;
use crate::markdown::{self, LineClass};

/// Rules suppressed by a `specops-ignore` comment, as a bit set over rule indexes.
type RuleSet = u64;
const ALL_RULES: RuleSet = u64::MAX;

/// A document to lint. It dereferences to its [`markdown::Document`], which is all most rules
/// read.
#[derive(Debug)]
pub struct Document<'a> {
    /// Path relative to the repository root, with `/`.
    pub path: &'a str,
    /// The kind recognised from the path, if any.
    pub kind: Option<Kind>,
    /// The Markdown parse, shared with the document parsers of [`crate::docs`].
    pub md: &'a markdown::Document<'a>,
    file_suppressed: RuleSet,
    /// (line, rules) sorted by line.
    line_suppressed: Vec<(usize, RuleSet)>,
}

impl<'a> Deref for Document<'a> {
    type Target = markdown::Document<'a>;

    fn deref(&self) -> &Self::Target {
        self.md
    }
}

impl<'a> Document<'a> {
    /// `md`, found at `path`, as a document of `kind`.
    pub fn new(path: &'a str, kind: Option<Kind>, md: &'a markdown::Document<'a>) -> Self {
        let mut doc = Document {
            path,
            kind,
            md,
            file_suppressed: 0,
            line_suppressed: Vec::new(),
        };
        doc.read_directives();
        doc
    }

    /// Whether rule `rule` is suppressed on line `line` by a `specops-ignore` comment.
    pub fn is_suppressed(&self, rule: usize, line: usize) -> bool {
        let bit = 1u64 << rule;
        if self.file_suppressed & bit != 0 {
            return true;
        }
        let i = self.line_suppressed.partition_point(|(l, _)| *l < line);
        self.line_suppressed[i..]
            .iter()
            .take_while(|(l, _)| *l == line)
            .any(|(_, set)| set & bit != 0)
    }

    /// Read every `specops-ignore` and `specops-ignore-file` comment. A line directive applies
    /// to the comment's own lines and to the next line with content.
    fn read_directives(&mut self) {
        let md = self.md;
        for c in md.comments() {
            let body_end = if md.text[..c.end].ends_with("-->") && c.end >= c.start + 7 {
                c.end - 3
            } else {
                c.end
            };
            let Some((file, rules)) = directive(&md.text[c.start + 4..body_end]) else {
                continue;
            };
            if file {
                self.file_suppressed |= rules;
                continue;
            }
            let first = md.line_of(c.start);
            let last = md.line_of(c.end.saturating_sub(1));
            for l in first..=last {
                self.line_suppressed.push((l, rules));
            }
            let next = (last + 1..md.lines.len())
                .find(|&l| !matches!(md.lines[l].class, LineClass::Blank | LineClass::Comment));
            if let Some(l) = next {
                self.line_suppressed.push((l, rules));
            }
        }
        self.line_suppressed.sort_unstable_by_key(|(l, _)| *l);
    }
}

/// A comment body that is a directive: whether it is file-wide, and the rules it names (every
/// rule when it names none). Unknown IDs are ignored: the finding they meant to hide stays
/// visible.
fn directive(body: &str) -> Option<(bool, RuleSet)> {
    let body = body.trim();
    let (file, rest) = if let Some(rest) = body.strip_prefix("specops-ignore-file") {
        (true, rest)
    } else if let Some(rest) = body.strip_prefix("specops-ignore") {
        (false, rest)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let mut rules: RuleSet = 0;
    let mut named = false;
    for key in rest.split(|c: char| c.is_whitespace() || c == ',') {
        if key.is_empty() {
            continue;
        }
        named = true;
        if let Some(i) = super::rule_index(key) {
            rules |= 1 << i;
        }
    }
    Some((file, if named { rules } else { ALL_RULES }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments() {
        let so1 = crate::lint::index_of("SO001");
        let so3 = crate::lint::index_of("SO003");
        let md = markdown::Document::parse(
            "<!-- specops-ignore SO001 -->\n\nA\nB <!-- specops-ignore so003, SO001 -->\n<!-- specops-ignore -->\n<!-- another -->\nC\nD\n<!-- specops-ignored SO001 -->\nE\n<!-- specops-ignore SO003\nacross lines -->\nF\n",
        );
        let d = Document::new("x.md", None, &md);
        assert!(
            d.is_suppressed(so1, 2),
            "next line with content, past a blank line"
        );
        assert!(!d.is_suppressed(so3, 2));
        assert!(
            d.is_suppressed(so3, 3) && d.is_suppressed(so1, 3),
            "same line"
        );
        assert!(
            d.is_suppressed(so3, 6),
            "bare ignore: every rule, past other comments"
        );
        assert!(!d.is_suppressed(so1, 7), "only the next line");
        assert!(
            !d.is_suppressed(so1, 9),
            "`specops-ignored` is not a directive"
        );
        assert!(d.is_suppressed(so3, 12), "after a comment over two lines");
        let md = markdown::Document::parse("A\n<!-- specops-ignore-file SO003 -->\n");
        let f = Document::new("x.md", None, &md);
        assert!(f.is_suppressed(so3, 0) && !f.is_suppressed(so1, 0));
        // An unterminated directive at the start of a line runs to the end and still counts.
        let md = markdown::Document::parse("A\n<!-- specops-ignore-file SO003\n");
        assert!(Document::new("x.md", None, &md).is_suppressed(so3, 0));
    }
}

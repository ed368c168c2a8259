//! A one-pass, line-oriented Markdown scanner that knows which text is prose.
//!
//! Markers inside fenced code blocks, HTML comments, YAML front matter and inline code spans are
//! not findings, so every rule needs to know where those are. A full CommonMark parser would
//! also build a tree we do not need; this scanner only classifies lines and records the byte
//! ranges that are not prose ("masks"), in one pass, following CommonMark where it matters:
//!
//! - fences are three or more backticks or tildes, may be indented or sit inside list items and
//!   block quotes, carry an info string, close with a fence of the same character at least as
//!   long, and an unterminated fence runs to the end of the document;
//! - an HTML comment `<!-- … -->` may span lines; one that starts a line and never closes runs to
//!   the end of the document (an HTML block), one that starts mid-line and never closes is text;
//! - a code span is a run of backticks closed by a run of the same length on the same line;
//! - front matter is a `---` first line closed by `---` or `...`.
//!
//! Deliberately not handled: indented code blocks (four spaces of indentation is far more often
//! a nested list item in specs than code) and setext headings.

use std::ops::Range;

use memchr::memmem;

use super::kinds::Kind;

/// What a line is, for the rules that work line by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineClass {
    /// Empty or only whitespace.
    Blank,
    /// Prose (possibly with code spans or comments inside).
    Text,
    /// A fence line or a line inside a fenced code block.
    Code,
    /// Entirely inside an HTML comment.
    Comment,
    /// Inside YAML front matter, delimiters included.
    FrontMatter,
}

/// One line: byte offsets into the document's text (without its line ending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub class: LineClass,
}

/// An ATX heading (`## Title`) outside code and comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Line index (0-based).
    pub line: usize,
    /// 1 to 6.
    pub level: usize,
    /// Byte range of the title text (without `#`s and surrounding spaces).
    pub title: Range<usize>,
}

/// Rules suppressed by a `specops-ignore` comment, as a bit set over rule indexes.
type RuleSet = u64;
const ALL_RULES: RuleSet = u64::MAX;

/// A scanned document: its text, its lines, and where the prose is.
#[derive(Debug)]
pub struct Document<'a> {
    /// Path relative to the repository root, with `/`.
    pub path: &'a str,
    /// The kind recognised from the path, if any.
    pub kind: Option<Kind>,
    /// The text, without a leading byte-order mark.
    pub text: &'a str,
    pub lines: Vec<Line>,
    pub headings: Vec<Heading>,
    masks: Vec<Range<usize>>,
    file_suppressed: RuleSet,
    line_suppressed: Vec<(usize, RuleSet)>,
}

impl<'a> Document<'a> {
    /// Scan `text` (a leading BOM is skipped).
    pub fn parse(path: &'a str, kind: Option<Kind>, text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut doc = Document {
            path,
            kind,
            text,
            lines: split_lines(text),
            headings: Vec::new(),
            masks: Vec::new(),
            file_suppressed: 0,
            line_suppressed: Vec::new(),
        };
        Scanner::default().run(&mut doc);
        doc
    }

    /// The text of line `i` (without its line ending).
    pub fn line_text(&self, i: usize) -> &'a str {
        let l = self.lines[i];
        &self.text[l.start..l.end]
    }

    /// The index of the line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }

    /// Whether byte `offset` is inside code, a comment or front matter.
    pub fn is_masked(&self, offset: usize) -> bool {
        let i = self.masks.partition_point(|m| m.end <= offset);
        self.masks.get(i).is_some_and(|m| m.start <= offset)
    }

    /// The byte range of `needle` on 1-based line `line` (for findings placed by the document
    /// model, which counts lines from 1), or of the line's text when `needle` is not on it.
    /// `None` when the document has no such line.
    pub fn locate(&self, line: usize, needle: &str) -> Option<(usize, usize)> {
        let l = *self.lines.get(line.checked_sub(1)?)?;
        let text = &self.text[l.start..l.end];
        Some(match text.find(needle).filter(|_| !needle.is_empty()) {
            Some(at) => (l.start + at, l.start + at + needle.len()),
            None => {
                let indent = text.len() - text.trim_start().len();
                (l.start + indent, l.end)
            }
        })
    }

    /// The title of heading `h`.
    pub fn title(&self, h: &Heading) -> &'a str {
        &self.text[h.title.clone()]
    }

    /// The line index where the section of heading `hi` ends (exclusive): the next heading of
    /// the same or a higher level, or the end of the document.
    pub fn section_end(&self, hi: usize) -> usize {
        let level = self.headings[hi].level;
        self.headings[hi + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(self.lines.len(), |h| h.line)
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

    fn mask(&mut self, range: Range<usize>) {
        if let Some(last) = self.masks.last_mut() {
            if range.start <= last.end {
                last.end = last.end.max(range.end);
                return;
            }
        }
        self.masks.push(range);
    }
}

/// Lines split on `\n`; a `\r` before it is not part of the line.
fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let end = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        lines.push(Line {
            start,
            end,
            class: LineClass::Text,
        });
        start = nl + 1;
    }
    if start < bytes.len() {
        let end = if bytes[bytes.len() - 1] == b'\r' {
            bytes.len() - 1
        } else {
            bytes.len()
        };
        lines.push(Line {
            start,
            end,
            class: LineClass::Text,
        });
    }
    lines
}

/// An open fence: its character and length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    ch: u8,
    len: usize,
}

/// A `specops-ignore` comment waiting for the line it applies to.
struct PendingIgnore {
    first_line: usize,
    last_line: usize,
    rules: RuleSet,
}

#[derive(Default)]
struct Scanner {
    fence: Option<Fence>,
    /// Byte offset where an HTML comment that began on an earlier line ends.
    comment_end: usize,
    pending: Vec<PendingIgnore>,
}

impl Scanner {
    fn run(mut self, doc: &mut Document) {
        let first = front_matter(doc);
        for i in first..doc.lines.len() {
            let class = self.line(doc, i);
            doc.lines[i].class = class;
        }
        self.resolve_ignores(doc);
    }

    fn line(&mut self, doc: &mut Document, i: usize) -> LineClass {
        let Line { start, end, .. } = doc.lines[i];
        let text = doc.text;
        if let Some(fence) = self.fence {
            if closes_fence(&text[start..end], fence) {
                self.fence = None;
            }
            doc.mask(start..end);
            return LineClass::Code;
        }
        let mut from = start;
        if self.comment_end > start {
            if self.comment_end >= end {
                return LineClass::Comment;
            }
            from = self.comment_end;
        }
        let segment = &text[from..end];
        if segment.trim().is_empty() {
            return if from == start {
                LineClass::Blank
            } else {
                LineClass::Comment
            };
        }
        if from == start {
            if let Some(fence) = opens_fence(segment) {
                self.fence = Some(fence);
                doc.mask(start..end);
                return LineClass::Code;
            }
            if let Some((level, title)) = atx_heading(segment) {
                doc.headings.push(Heading {
                    line: i,
                    level,
                    title: start + title.start..start + title.end,
                });
            }
        }
        if self.inline(doc, i, from, end) {
            LineClass::Text
        } else {
            LineClass::Comment
        }
    }

    /// Mask code spans and comments in `from..end` of line `i`; return whether any prose is
    /// left outside comments.
    fn inline(&mut self, doc: &mut Document, i: usize, from: usize, end: usize) -> bool {
        let text = doc.text;
        let bytes = text.as_bytes();
        let mut content = false;
        let mut prose_from = from;
        let mut p = from;
        while let Some(rel) = memchr::memchr2(b'`', b'<', &bytes[p..end]) {
            let q = p + rel;
            if bytes[q] == b'`' {
                let n = bytes[q..end].iter().take_while(|&&b| b == b'`').count();
                p = q + n;
                if escaped(bytes, from, q) {
                    continue;
                }
                if let Some(close) = closing_run(&bytes[p..end], n) {
                    doc.mask(q..p + close + n);
                    p += close + n;
                }
                continue;
            }
            if !bytes[q..end].starts_with(b"<!--") {
                p = q + 1;
                continue;
            }
            let close = memmem::find(&bytes[q + 4..], b"-->").map(|c| q + 4 + c + 3);
            let comment_end = match close {
                Some(c) => c,
                None if text[doc.lines[i].start..q].trim().is_empty() => text.len(),
                None => {
                    p = q + 4;
                    continue;
                }
            };
            content |= !text[prose_from..q].trim().is_empty();
            doc.mask(q..comment_end);
            let body_end = if close.is_some() {
                comment_end - 3
            } else {
                comment_end
            };
            self.directive(doc, &text[q + 4..body_end.max(q + 4)], i, comment_end);
            if comment_end > end {
                self.comment_end = comment_end;
                return content;
            }
            p = comment_end;
            prose_from = comment_end;
        }
        content || !text[prose_from..end].trim().is_empty()
    }

    /// Record a `specops-ignore` or `specops-ignore-file` comment.
    fn directive(&mut self, doc: &mut Document, body: &str, line: usize, comment_end: usize) {
        let body = body.trim();
        let (file, rest) = if let Some(rest) = body.strip_prefix("specops-ignore-file") {
            (true, rest)
        } else if let Some(rest) = body.strip_prefix("specops-ignore") {
            (false, rest)
        } else {
            return;
        };
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return;
        }
        let mut rules: RuleSet = 0;
        let mut named = false;
        for key in rest.split(|c: char| c.is_whitespace() || c == ',') {
            if key.is_empty() {
                continue;
            }
            named = true;
            // Unknown IDs are ignored here: the finding they meant to hide stays visible.
            if let Some(i) = super::rule_index(key) {
                rules |= 1 << i;
            }
        }
        if !named {
            rules = ALL_RULES;
        }
        if file {
            doc.file_suppressed |= rules;
        } else {
            let last_line = doc.line_of(comment_end.saturating_sub(1));
            self.pending.push(PendingIgnore {
                first_line: line,
                last_line,
                rules,
            });
        }
    }

    /// A `specops-ignore` comment applies to its own lines and to the next line with content.
    fn resolve_ignores(&mut self, doc: &mut Document) {
        for p in &self.pending {
            for l in p.first_line..=p.last_line {
                doc.line_suppressed.push((l, p.rules));
            }
            let next = (p.last_line + 1..doc.lines.len())
                .find(|&l| !matches!(doc.lines[l].class, LineClass::Blank | LineClass::Comment));
            if let Some(l) = next {
                doc.line_suppressed.push((l, p.rules));
            }
        }
        doc.line_suppressed.sort_unstable_by_key(|(l, _)| *l);
    }
}

/// Mask YAML front matter; return the first line after it.
fn front_matter(doc: &mut Document) -> usize {
    let Some(first) = doc.lines.first() else {
        return 0;
    };
    if doc.text[first.start..first.end].trim_end() != "---" {
        return 0;
    }
    let close = (1..doc.lines.len()).find(|&i| {
        let t = doc.line_text(i).trim_end();
        t == "---" || t == "..."
    });
    let Some(close) = close else {
        return 0;
    };
    for l in &mut doc.lines[..=close] {
        l.class = LineClass::FrontMatter;
    }
    let end = doc.lines[close].end;
    doc.mask(0..end);
    close + 1
}

/// Strip indentation, block-quote markers and one list marker before a possible fence.
fn block_prefix(line: &str) -> &str {
    let mut s = line.trim_start_matches([' ', '\t', '>']);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match s.as_bytes().first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') if matches!(s.as_bytes().get(digits), Some(b'.' | b')')) => digits + 1,
        _ => 0,
    };
    if marker > 0 && matches!(s.as_bytes().get(marker), Some(b' ' | b'\t')) {
        s = s[marker..].trim_start();
    }
    s
}

fn opens_fence(line: &str) -> Option<Fence> {
    let s = block_prefix(line);
    let ch = *s.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = s.bytes().take_while(|&b| b == ch).count();
    if len < 3 || (ch == b'`' && s[len..].contains('`')) {
        return None;
    }
    Some(Fence { ch, len })
}

fn closes_fence(line: &str, fence: Fence) -> bool {
    let s = line.trim_start_matches([' ', '\t', '>']);
    let len = s.bytes().take_while(|&b| b == fence.ch).count();
    len >= fence.len && s[len..].trim().is_empty()
}

/// `## Title ##` → (2, range of `Title` within `line`).
fn atx_heading(line: &str) -> Option<(usize, Range<usize>)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let s = &line[indent..];
    let level = s.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &s[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let mut title = rest.trim();
    let unhashed = title.trim_end_matches('#');
    if unhashed.is_empty() || unhashed.ends_with([' ', '\t']) {
        title = unhashed.trim_end();
    }
    let start = indent + level + (rest.len() - rest.trim_start().len());
    Some((level, start..start + title.len()))
}

/// Whether the backtick at `at` is escaped by an odd number of backslashes.
fn escaped(bytes: &[u8], from: usize, at: usize) -> bool {
    bytes[from..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// The offset in `rest` of a run of exactly `n` backticks.
fn closing_run(rest: &[u8], n: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'`', &rest[i..]) {
        let at = i + rel;
        let len = rest[at..].iter().take_while(|&&b| b == b'`').count();
        if len == n {
            return Some(at);
        }
        i = at + len;
    }
    None
}

/// A Markdown list item with a task checkbox: `- [ ] text`, `* [x] text`, `1. [ ] text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkbox {
    pub ticked: bool,
    /// Byte offset of `[` within the line.
    pub bracket: usize,
    /// Byte offset of the item's text (after the checkbox) within the line.
    pub text: usize,
}

/// Parse a task-list item.
pub fn checkbox(line: &str) -> Option<Checkbox> {
    let body = line.trim_start_matches([' ', '\t', '>']);
    let b = body.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = match b.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' if digits <= 9 && matches!(b.get(digits), Some(b'.' | b')')) => digits + 1,
        _ => return None,
    };
    let after = &body[marker..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if gap == 0 {
        return None;
    }
    let rest = &after[gap..];
    let ticked = match rest.as_bytes() {
        [b'[', b' ', b']', ..] => false,
        [b'[', b'x' | b'X', b']', ..] => true,
        _ => return None,
    };
    if !(rest.len() == 3 || rest[3..].starts_with([' ', '\t'])) {
        return None;
    }
    let bracket = line.len() - rest.len();
    let text = bracket + 3 + (rest[3..].len() - rest[3..].trim_start().len());
    Some(Checkbox {
        ticked,
        bracket,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(text: &str) -> Vec<LineClass> {
        Document::parse("x.md", None, text)
            .lines
            .iter()
            .map(|l| l.class)
            .collect()
    }

    /// The prose of a document: masked bytes replaced with `.`.
    fn prose(text: &str) -> String {
        let d = Document::parse("x.md", None, text);
        d.text
            .char_indices()
            .map(|(i, c)| if c == '\n' || !d.is_masked(i) { c } else { '.' })
            .collect()
    }

    use LineClass::*;

    #[test]
    fn fences_of_every_kind() {
        let cases: &[(&str, &[LineClass])] = &[
            ("a\n```\nX\n```\nb\n", &[Text, Code, Code, Code, Text]),
            ("~~~yaml\nX\n~~~\nb", &[Code, Code, Code, Text]),
            ("```rust title=\"a\"\nX\n```\n", &[Code, Code, Code]),
            // A longer closing fence closes; a shorter one and the other character do not.
            (
                "````\n```\n~~~\n`````\nb\n",
                &[Code, Code, Code, Code, Text],
            ),
            // Indented, in a list item, in a block quote.
            (
                "- item\n    ```sh\n    X\n    ```\nb\n",
                &[Text, Code, Code, Code, Text],
            ),
            ("1. ```\n   X\n   ```\nb\n", &[Code, Code, Code, Text]),
            ("> ```\n> X\n> ```\nb\n", &[Code, Code, Code, Text]),
            // Unterminated: to the end of the document.
            ("a\n```\nX\n\nY\n", &[Text, Code, Code, Code, Code]),
            // Not fences: two backticks, a backtick in the info string, text after a closer.
            ("``\nX\n", &[Text, Text]),
            ("```a`b\nX\n", &[Text, Text]),
            ("```\n``` x\nX\n```\nb\n", &[Code, Code, Code, Code, Text]),
            // A fence line inside a comment is not a fence.
            ("<!--\n```\n-->\nb\n", &[Comment, Comment, Comment, Text]),
        ];
        for (text, want) in cases {
            assert_eq!(classes(text), *want, "{text:?}");
        }
    }

    #[test]
    fn comments_single_multi_and_unterminated() {
        assert_eq!(prose("a <!-- X --> b\n"), "a .......... b\n");
        assert_eq!(prose("a <!-- X\nY --> b\n"), "a ......\n..... b\n");
        assert_eq!(
            classes("a\n<!--\nX\n-->\nb\n"),
            [Text, Comment, Comment, Comment, Text]
        );
        assert_eq!(classes("<!-- a --> <!-- b -->\n"), [Comment]);
        // Starting a line and never closed: an HTML block to the end.
        assert_eq!(classes("a\n<!-- X\nY\n"), [Text, Comment, Comment]);
        // Mid-line and never closed: just text.
        assert_eq!(prose("a <!-- X\nY\n"), "a <!-- X\nY\n");
        // Comment markers inside code are code.
        assert_eq!(prose("`<!--` X\n"), "...... X\n");
        assert_eq!(classes("```\n<!--\n```\nX\n"), [Code, Code, Code, Text]);
    }

    #[test]
    fn code_spans() {
        assert_eq!(prose("a `X` b\n"), "a ... b\n");
        assert_eq!(prose("a ``X ` Y`` b\n"), "a ......... b\n");
        // Unmatched runs are literal; a run of another length does not close.
        assert_eq!(prose("a ` X\n"), "a ` X\n");
        assert_eq!(prose("a `` X ` Y\n"), "a `` X ` Y\n");
        // An escaped backtick opens nothing.
        assert_eq!(prose("a \\`X` b\n"), "a \\`X` b\n");
        // Spans do not cross lines (a deliberate simplification).
        assert_eq!(prose("a `X\nY` b\n"), "a `X\nY` b\n");
    }

    #[test]
    fn front_matter_only_at_the_start_and_only_when_closed() {
        assert_eq!(
            classes("---\ntitle: X\n---\nb\n"),
            [FrontMatter, FrontMatter, FrontMatter, Text]
        );
        assert_eq!(classes("---\nX\n...\n"), [FrontMatter; 3]);
        assert_eq!(classes("---\nX\n"), [Text, Text]);
        assert_eq!(classes("a\n---\nX\n---\n"), [Text, Text, Text, Text]);
        assert_eq!(classes("\u{feff}---\nX\n---\n"), [FrontMatter; 3]);
    }

    #[test]
    fn crlf_bom_and_no_trailing_newline() {
        let d = Document::parse("x.md", None, "\u{feff}a\r\n\r\n`b`\r\nc");
        assert_eq!(d.lines.len(), 4);
        assert_eq!(d.line_text(0), "a");
        assert_eq!(d.line_text(2), "`b`");
        assert_eq!(d.line_text(3), "c");
        assert_eq!(d.lines[1].class, Blank);
        assert_eq!(d.line_of(d.lines[3].start), 3);
        assert_eq!(split_lines("").len(), 0);
        assert_eq!(split_lines("\n").len(), 1);
    }

    #[test]
    fn headings() {
        let d = Document::parse(
            "x.md",
            None,
            "# Title\n##  Two  ##\n####### no\n#no\n    # code-ish\n```\n# in code\n```\n<!--\n# in comment\n-->\n### C# and F#\n##\n",
        );
        let h: Vec<(usize, usize, &str)> = d
            .headings
            .iter()
            .map(|h| (h.line, h.level, d.title(h)))
            .collect();
        assert_eq!(
            h,
            [
                (0, 1, "Title"),
                (1, 2, "Two"),
                (11, 3, "C# and F#"),
                (12, 2, "")
            ]
        );
        assert_eq!(d.section_end(1), 12);
        assert_eq!(d.section_end(2), 12);
        assert_eq!(d.section_end(3), d.lines.len());
    }

    #[test]
    fn ignore_comments() {
        let so1 = crate::lint::index_of("SO001");
        let so3 = crate::lint::index_of("SO003");
        let d = Document::parse(
            "x.md",
            None,
            "<!-- specops-ignore SO001 -->\n\nA\nB <!-- specops-ignore so003, SO001 -->\n<!-- specops-ignore -->\n<!-- another -->\nC\nD\n<!-- specops-ignored SO001 -->\nE\n",
        );
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
        let f = Document::parse("x.md", None, "A\n<!-- specops-ignore-file SO003 -->\n");
        assert!(f.is_suppressed(so3, 0) && !f.is_suppressed(so1, 0));
    }

    #[test]
    fn checkboxes() {
        let yes: &[(&str, bool, usize, usize)] = &[
            ("- [ ] a", false, 2, 6),
            ("* [x] a", true, 2, 6),
            ("+ [X]", true, 2, 5),
            ("  - [ ]   a", false, 4, 10),
            ("12. [ ] a", false, 4, 8),
            ("> - [ ] a", false, 4, 8),
        ];
        for &(line, ticked, bracket, text) in yes {
            assert_eq!(
                checkbox(line),
                Some(Checkbox {
                    ticked,
                    bracket,
                    text
                }),
                "{line}"
            );
        }
        for line in [
            "-[ ] a",
            "- [] a",
            "- [ ]a",
            "- [y] a",
            "[ ] a",
            "text - [ ] a",
            "- a",
        ] {
            assert_eq!(checkbox(line), None, "{line}");
        }
    }
}

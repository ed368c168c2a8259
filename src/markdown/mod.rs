//! The Markdown layer: one parse of a document that every reader shares.
//!
//! `check`'s rules, the parsers of [`crate::docs`] (spec, plan, tasks, constitution, design
//! documents), `plan`, `tasks` and `list` all read a document through [`Document`], so a line
//! that one of them takes for fenced code, a comment, a heading or a task item is the same for
//! all of them. The scanner ([`scan`]) makes one pass over the lines, following CommonMark where
//! it matters to specs:
//!
//! - a line ends at `\n`, `\r\n` or a bare `\r` ([`next_line_break`]), so a file saved with old
//!   Mac line endings is read line by line, as editors and CommonMark read it;
//! - fences are three or more backticks or tildes, may be indented or sit inside list items and
//!   block quotes, carry an info string, close with a fence of the same character at least as
//!   long, and end with the block quote or list item they are in; an unterminated fence runs to
//!   the end of the document;
//! - an HTML comment `<!-- … -->` (or `<!-->`) may span lines: one that starts a line is an HTML
//!   block, which ends with its block quote or list item or else runs to the end of the document
//!   when it never closes; one that starts mid-line spans only the lines of its paragraph, and
//!   is text when it does not close there;
//! - a code span is a run of backticks closed by a run of the same length on the same line;
//! - front matter is a `---` first line closed by `---` or `...`;
//! - headings are ATX headings (`## Title`) outside code and comments;
//! - list items carry their nesting depth and their checkbox state ([`Check`]).
//!
//! Deliberate differences from CommonMark (the differential test against a CommonMark parser,
//! `oracle.rs`, allows exactly these): indented code blocks are not code, and indentation does
//! not stop a fence (opening or closing) or a comment that starts a line from being one (four
//! spaces of indentation is far more often a nested list item in specs than code); a list
//! marker starts an item wherever it starts a line (CommonMark lets only a bullet or `1.` with
//! text interrupt a paragraph); setext headings are not headings; a code span does not cross
//! lines; front matter may be empty or start with a blank line; an item is nested under the one
//! above it whenever it is indented further than that item's marker (CommonMark asks for the
//! parent's content column), so `1. step` followed by `  - detail` nests as its author meant.

mod block;
mod scan;

use std::borrow::Cow;
use std::ops::Range;

pub use block::{is_delimiter_row, Cell, Check};

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineClass {
    /// Empty or only whitespace.
    Blank,
    /// Prose (possibly with code spans or comments inside): headings, lists, tables, text.
    Text,
    /// A fence line or a line inside a fenced code block.
    Code,
    /// Entirely inside HTML comments.
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
    /// Byte range of the title text: without the `#`s, surrounding spaces or a trailing
    /// comment.
    pub title: Range<usize>,
}

/// A list item outside code and comments. Offsets are into the document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListItem {
    /// Line index (0-based).
    pub line: usize,
    /// 0 for a top-level item, 1 for an item nested under it, and so on.
    pub depth: usize,
    /// Where its list marker (`-`, `*`, `+`, `1.`) is.
    pub marker: usize,
    /// The checkbox's `[` and its state, for a task item.
    pub checkbox: Option<(usize, Check)>,
    /// Where the item's text starts (after the marker and any checkbox).
    pub text: usize,
}

impl ListItem {
    /// The checkbox state, for a task item.
    pub fn check(&self) -> Option<Check> {
        self.checkbox.map(|(_, c)| c)
    }
}

/// A parsed document: its text, its lines, and where the prose is.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The text, without a leading byte-order mark.
    pub text: &'a str,
    pub lines: Vec<Line>,
    pub headings: Vec<Heading>,
    /// List items in line order.
    pub items: Vec<ListItem>,
    /// Byte ranges that are not prose: code, comments, front matter (merged, in order).
    masks: Vec<Range<usize>>,
    /// HTML comments, in order (a comment that never closes runs to the end of the text).
    comments: Vec<Range<usize>>,
}

impl<'a> Document<'a> {
    /// Parse `text` (a leading BOM is skipped).
    pub fn parse(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut doc = Document {
            text,
            lines: split_lines(text),
            headings: Vec::new(),
            items: Vec::new(),
            masks: Vec::new(),
            comments: Vec::new(),
        };
        scan::run(&mut doc);
        doc
    }

    /// The text of line `i` (without its line ending).
    pub fn line_text(&self, i: usize) -> &'a str {
        let l = self.lines[i];
        &self.text[l.start..l.end]
    }

    /// Whether line `i` is prose (not blank, code, comment or front matter).
    pub fn is_text(&self, i: usize) -> bool {
        self.lines[i].class == LineClass::Text
    }

    /// Line `i` with its HTML comments replaced by spaces, byte for byte, so offsets into it
    /// are offsets into the line.
    pub fn prose(&self, i: usize) -> Cow<'a, str> {
        let Line { start, end, .. } = self.lines[i];
        let text = &self.text[start..end];
        let first = self.comments.partition_point(|c| c.end <= start);
        let mut out: Option<Vec<u8>> = None;
        for c in self.comments[first..].iter().take_while(|c| c.start < end) {
            let bytes = out.get_or_insert_with(|| text.as_bytes().to_vec());
            let (s, e) = (c.start.max(start) - start, c.end.min(end) - start);
            bytes[s..e].fill(b' ');
        }
        match out {
            // Whole characters were replaced by ASCII spaces, so the bytes stay UTF-8.
            Some(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
            None => Cow::Borrowed(text),
        }
    }

    /// The index of the line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }

    /// The 1-based column, in characters, of byte `offset` on its line.
    pub fn column(&self, offset: usize) -> usize {
        let start = self.lines.get(self.line_of(offset)).map_or(0, |l| l.start);
        self.text[start..offset.max(start)].chars().count() + 1
    }

    /// Whether byte `offset` is inside code, a comment or front matter.
    pub fn is_masked(&self, offset: usize) -> bool {
        let i = self.masks.partition_point(|m| m.end <= offset);
        self.masks.get(i).is_some_and(|m| m.start <= offset)
    }

    /// The HTML comments, in order, as byte ranges including `<!--` and `-->`.
    pub fn comments(&self) -> &[Range<usize>] {
        &self.comments
    }

    /// The byte range of `needle` on 1-based line `line` (for findings placed by line number),
    /// or of the line's text when `needle` is not on it. `None` when there is no such line.
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

    /// The index in [`Self::headings`] of the first heading for which `pred(level, title)`
    /// holds.
    pub fn find_heading(&self, pred: impl Fn(usize, &str) -> bool) -> Option<usize> {
        self.headings
            .iter()
            .position(|h| pred(h.level, self.title(h)))
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

    /// The lines of the section of heading `hi`, after the heading line itself.
    pub fn section(&self, hi: usize) -> Range<usize> {
        self.headings[hi].line + 1..self.section_end(hi)
    }

    /// The list items on lines `lines`.
    pub fn items_in(&self, lines: Range<usize>) -> &[ListItem] {
        let from = self.items.partition_point(|it| it.line < lines.start);
        let to = self.items.partition_point(|it| it.line < lines.end);
        &self.items[from..to.max(from)]
    }

    /// The list item on line `i`, if the line is one.
    pub fn item_at(&self, i: usize) -> Option<&ListItem> {
        self.items_in(i..i + 1).first()
    }

    /// The text of item `it` (after its marker and checkbox) to the end of its line, with
    /// comments blanked.
    pub fn item_text(&self, it: &ListItem) -> Cow<'a, str> {
        let start = self.lines[it.line].start;
        match self.prose(it.line) {
            Cow::Borrowed(s) => Cow::Borrowed(&s[it.text - start..]),
            Cow::Owned(s) => Cow::Owned(s[it.text - start..].to_string()),
        }
    }

    /// The cells of line `i` when it is a table row outside code and comments.
    pub fn table_row(&self, i: usize) -> Option<Vec<Cell<'a>>> {
        if !self.is_text(i) || !self.line_text(i).trim_start().starts_with('|') {
            return None;
        }
        match self.prose(i) {
            Cow::Borrowed(prose) => block::table_cells(prose),
            Cow::Owned(prose) => block::table_cells(&prose).map(|cells| {
                cells
                    .into_iter()
                    .map(|c| Cell {
                        text: Cow::Owned(c.text.into_owned()),
                        range: c.range,
                    })
                    .collect()
            }),
        }
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

/// The next line break at or after byte `from`: the byte range of the break itself. A line
/// ends at `\n`, at `\r\n` or at a `\r` not followed by `\n`, as CommonMark and editors count
/// lines, so a document saved with old Mac line endings is read line by line and nothing hides
/// behind a bare carriage return. Every reader that counts lines uses this.
pub fn next_line_break(bytes: &[u8], from: usize) -> Option<Range<usize>> {
    let at = from + memchr::memchr2(b'\n', b'\r', bytes.get(from..)?)?;
    let len = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
        2
    } else {
        1
    };
    Some(at..at + len)
}

/// The lines of `text` as byte ranges without their line breaks (see [`next_line_break`]); a
/// break at the very end does not start another line.
pub fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match next_line_break(bytes, from) {
            Some(br) => {
                start = (br.end < bytes.len()).then_some(br.end);
                Some(from..br.start)
            }
            None => {
                start = None;
                (from < bytes.len()).then_some(from..bytes.len())
            }
        }
    })
}

/// The 0-based line holding byte `at` of `bytes` and the offset at which that line starts.
pub fn line_and_start(bytes: &[u8], at: usize) -> (usize, usize) {
    let (mut line, mut start) = (0, 0);
    while let Some(br) = next_line_break(bytes, start) {
        if br.end > at {
            break;
        }
        line += 1;
        start = br.end;
    }
    (line, start)
}

/// The line break for a line inserted at byte `at` (a line start, or the end of `text`), so
/// that the document keeps its own line endings: the break of the line it goes after, else the
/// next one in the document, else its first, else `\n`.
pub fn line_break_for(text: &str, at: usize) -> &str {
    let head = &text[..at];
    for br in ["\r\n", "\n", "\r"] {
        if head.ends_with(br) {
            return br;
        }
    }
    let bytes = text.as_bytes();
    next_line_break(bytes, at)
        .or_else(|| next_line_break(bytes, 0))
        .map_or("\n", |br| &text[br])
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    lines.extend(line_ranges(text).map(|r| Line {
        start: r.start,
        end: r.end,
        class: LineClass::Text,
    }));
    lines
}

#[cfg(test)]
mod oracle;
#[cfg(test)]
pub(crate) mod testgen;
#[cfg(test)]
mod tests;

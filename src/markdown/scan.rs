//! The one pass over a document's lines that fills a [`Document`]: line classes, the byte
//! ranges that are not prose, comments, headings and list items.

use memchr::memmem;

use super::block::{self, Fence};
use super::{Document, Heading, Line, LineClass, ListItem};

/// Fill `doc`'s classes, masks, comments, headings and items.
pub(super) fn run(doc: &mut Document) {
    let first = front_matter(doc);
    let mut s = Scanner::default();
    for i in first..doc.lines.len() {
        let class = s.line(doc, i);
        doc.lines[i].class = class;
    }
}

#[derive(Default)]
struct Scanner {
    fence: Option<Fence>,
    /// Byte offset where an HTML comment that began on an earlier line ends.
    comment_end: usize,
    /// Marker indents of the open list items, outermost first.
    open_items: Vec<usize>,
    /// Whether the previous line was blank.
    after_blank: bool,
}

impl Scanner {
    fn line(&mut self, doc: &mut Document, i: usize) -> LineClass {
        let Line { start, end, .. } = doc.lines[i];
        let text = doc.text;
        if let Some(fence) = self.fence {
            if block::closes_fence(&text[start..end], fence) {
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
            if from == start {
                self.after_blank = true;
                return LineClass::Blank;
            }
            return LineClass::Comment;
        }
        let mut heading = None;
        let mut item = None;
        if from == start {
            if let Some(fence) = block::opens_fence(segment) {
                self.fence = Some(fence);
                doc.mask(start..end);
                self.list_context(None, segment);
                return LineClass::Code;
            }
            heading = block::atx_heading(segment);
            if heading.is_none() {
                item = block::list_item(segment);
            }
        }
        let comments_before = doc.comments.len();
        let prose = self.inline(doc, i, from, end);
        let is_heading = heading.is_some();
        if let Some((level, title)) = heading {
            let mut title = start + title.start..start + title.end;
            // A comment after the title is not part of it.
            if let Some(c) = doc.comments[comments_before..]
                .iter()
                .find(|c| c.start < title.end)
            {
                title.end = title.end.min(c.start).max(title.start);
                title.end = title.start + text[title.clone()].trim_end().len();
            }
            doc.headings.push(Heading {
                line: i,
                level,
                title,
            });
            self.open_items.clear();
        }
        if !prose {
            return LineClass::Comment;
        }
        if !is_heading {
            let depth = self.list_context(item.map(|it| it.indent), segment);
            if let Some(it) = item {
                doc.items.push(ListItem {
                    line: i,
                    depth,
                    marker: start + it.marker,
                    checkbox: it.checkbox.map(|(at, c)| (start + at, c)),
                    text: start + it.text,
                });
            }
        }
        self.after_blank = false;
        LineClass::Text
    }

    /// Track which list items are open; return the depth of an item indented by `indent`.
    /// A line that is not an item closes every open item when it follows a blank line and is
    /// not indented (a new paragraph after the list).
    fn list_context(&mut self, indent: Option<usize>, line: &str) -> usize {
        match indent {
            Some(indent) => {
                while self.open_items.last().is_some_and(|&open| open >= indent) {
                    self.open_items.pop();
                }
                let depth = self.open_items.len();
                self.open_items.push(indent);
                depth
            }
            None => {
                if self.after_blank && !line.starts_with([' ', '\t', '>']) {
                    self.open_items.clear();
                }
                0
            }
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
            doc.comments.push(q..comment_end);
            if comment_end > end {
                self.comment_end = comment_end;
                return content;
            }
            p = comment_end;
            prose_from = comment_end;
        }
        content || !text[prose_from..end].trim().is_empty()
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

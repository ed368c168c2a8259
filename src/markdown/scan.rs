//! The one pass over a document's lines that fills a [`Document`]: line classes, the byte
//! ranges that are not prose, comments, headings and list items.

use memchr::memmem;

use super::block::{self, Fence, Part};
use super::{Document, Heading, Line, LineClass, ListItem};

/// Fill `doc`'s classes, masks, comments, headings and items.
pub(super) fn run(doc: &mut Document) {
    let first = front_matter(doc);
    let bytes = doc.text.as_bytes();
    // Containers matter only to where fences and comments end: a document with neither (most
    // task lists and checklists) skips following them.
    let blocks = [&b"```"[..], b"~~~", b"<!--"];
    let mut s = Scanner {
        containers: blocks.iter().any(|b| memmem::find(bytes, b).is_some()),
        ..Scanner::default()
    };
    for i in first..doc.lines.len() {
        let class = s.line(doc, i);
        doc.lines[i].class = class;
    }
}

/// An open fence, with the containers it is in (it ends when they do) and how far a closing
/// fence may be indented: three columns into its container, or as far as the opening fence
/// was.
#[derive(Debug, Clone)]
struct OpenFence {
    fence: Fence,
    container: Vec<Part>,
    close_indent: usize,
}

impl OpenFence {
    fn closed_by(&self, line: &str, at: usize) -> bool {
        let rest = &line[at..];
        let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        block::columns(&rest[..indent]) <= self.close_indent
            && block::closes_fence(rest, self.fence)
    }
}

/// Where a line (outside code and comments) sits among the containers.
#[derive(Debug)]
struct Shape {
    /// The containers it is in, its own included.
    path: Vec<Part>,
    /// The offset after their markers.
    content: usize,
    /// Whether it continues the paragraph before it in the same containers.
    continuing: bool,
    /// Whether CommonMark reads it as an indented code block (the layer does not).
    indented_code: bool,
}

#[derive(Default)]
struct Scanner {
    fence: Option<OpenFence>,
    /// Byte offset where an HTML comment that began on an earlier line ends.
    comment_end: usize,
    /// Whether that comment is an HTML block (it started a line) rather than inline.
    block_comment: bool,
    /// Marker indents of the open list items, outermost first.
    open_items: Vec<usize>,
    /// The containers CommonMark has open, outermost first, down to the innermost list item
    /// (empty outside lists): unlike `open_items`, which nest as authors mean, these close as
    /// CommonMark closes them, and a fence or an HTML block in one ends with it.
    open: Vec<Part>,
    /// When the previous line was prose, which a lazy line may continue: its block-quote
    /// depth and its containers.
    prose_before: Option<(usize, Vec<Part>)>,
    /// Whether the current line continues the paragraph before it (lazily or not).
    lazy: bool,
    /// A path no longer in use, for the next line's [`Shape`].
    spare: Vec<Part>,
    /// Whether to follow the containers (the document has fences or comments).
    containers: bool,
    /// The shape of the current line, when it starts outside code and comments.
    shape: Option<Shape>,
    /// Whether the current line is part of an HTML block (it starts or continues one).
    html_block: bool,
    /// Whether the previous line opened a list item with nothing in it, which a blank line
    /// closes.
    empty_item: bool,
    /// Whether the previous line was blank.
    after_blank: bool,
    /// The last search for `-->`: where it started and what it found (the offset after it).
    close: Option<(usize, Option<usize>)>,
    /// The last paragraph measured for an inline comment: the line it was measured from,
    /// that line's block-quote depth, and the first line after it that does not continue it.
    paragraph_end: Option<(usize, usize, usize)>,
}

impl Scanner {
    fn line(&mut self, doc: &mut Document, i: usize) -> LineClass {
        let class = self.classify(doc, i);
        // Whether the line is paragraph text, which the next line may continue lazily.
        let text = doc.line_text(i);
        let shape = self.shape.take();
        let paragraph = shape.as_ref().is_some_and(|shape| {
            class == LineClass::Text
                && !self.html_block
                && doc.headings.last().is_none_or(|h| h.line != i)
                && !shape.indented_code
                && block::is_paragraph(&text[shape.content..], shape.continuing)
        });
        self.html_block = false;
        // A line that continues a paragraph (lazily or not) keeps it open in its containers.
        // The paths no longer needed are kept for the next line's (one allocation, not one a
        // line).
        let mut done = shape.map(|shape| shape.path);
        if !self.lazy {
            let now = done
                .take_if(|_| paragraph)
                .map(|path| (block::quotes(text, usize::MAX).0, path));
            done = std::mem::replace(&mut self.prose_before, now).map(|(_, path)| path);
        }
        if let Some(path) = done.filter(|p| p.capacity() > self.spare.capacity()) {
            self.spare = path;
        }
        self.lazy = false;
        class
    }

    fn classify(&mut self, doc: &mut Document, i: usize) -> LineClass {
        let Line { start, end, .. } = doc.lines[i];
        let text = doc.text;
        if let Some(open) = &self.fence {
            let line = &text[start..end];
            if let Some(at) = block::continues(&open.container, line) {
                if open.closed_by(line, at) {
                    self.fence = None;
                }
                doc.mask(start..end);
                return LineClass::Code;
            }
            // The block quote or list item the fence was in has ended, and the fence with it.
            self.fence = None;
        }
        let mut from = start;
        // Whether the line is the last of an HTML block, where a comment cannot open for good.
        let mut html_line = false;
        if self.comment_end > start {
            // A line in an inline comment continues the paragraph the comment is in.
            self.lazy = !self.block_comment;
            if self.comment_end >= end {
                return LineClass::Comment;
            }
            from = self.comment_end;
            html_line = self.block_comment;
            self.html_block = html_line;
        }
        let segment = &text[from..end];
        // Most lines are plain prose: nothing at their start can open or continue a block.
        let plain = from == start && segment.as_bytes().first().is_some_and(|&b| is_plain(b));
        let blank = segment.trim().is_empty();
        if self.containers && from == start {
            if plain {
                self.plain_line();
            } else if blank {
                self.blank_line(segment);
            } else {
                self.shape = Some(self.enter(segment));
            }
        }
        if blank {
            if from == start {
                self.after_blank = true;
                return LineClass::Blank;
            }
            return LineClass::Comment;
        }
        let mut heading = None;
        let mut item = None;
        if from == start && !plain {
            if let Some(fence) = block::opens_fence(segment) {
                // A closing fence may be indented three columns into its container, or as far
                // as this one.
                let (container, content) = self
                    .shape
                    .as_ref()
                    .map_or((Vec::new(), 0), |shape| (shape.path.clone(), shape.content));
                let rest = &segment[content..];
                let column = block::columns(&rest[..rest.find(['`', '~']).unwrap_or(0)]);
                self.fence = Some(OpenFence {
                    fence,
                    container,
                    close_indent: column.max(3),
                });
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
        // A heading is one line (in a block quote or list item too): a comment opened in it
        // ends with it. So does one opened in what CommonMark reads as an indented code block.
        let single_line = html_line
            || self.shape.as_ref().is_some_and(|shape| {
                shape.indented_code
                    || match shape.content {
                        0 => heading.is_some(),
                        at => block::atx_heading(&segment[at..]).is_some(),
                    }
            });
        let prose = self.inline(doc, i, from, end, single_line);
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

    /// [`Self::enter`] for a line that starts with a plain
    /// character ([`is_plain`]): it continues the paragraph before it, lazily if need be, or
    /// else ends every open container.
    fn plain_line(&mut self) {
        self.empty_item = false;
        self.lazy = self.prose_before.is_some();
        if !self.lazy {
            self.open.clear();
        }
        self.shape = Some(Shape {
            path: Vec::new(),
            content: 0,
            continuing: self.lazy,
            indented_code: false,
        });
    }

    /// [`Self::enter`] for a blank line: it stays in the list items it is in (but for one that
    /// started empty) and leaves the block quotes.
    fn blank_line(&mut self, line: &str) {
        if std::mem::take(&mut self.empty_item) {
            // A list item can start with at most one blank line.
            self.pop_item();
        }
        let (depth, _) = self.innermost(line);
        self.open.truncate(depth);
        self.lazy = false;
    }

    /// Close the innermost open list item.
    fn pop_item(&mut self) {
        self.open.pop();
        while self.open.last() == Some(&Part::Quote) {
            self.open.pop();
        }
    }

    /// Follow the containers into `line`, which starts outside code and comments, and return
    /// its shape. Close the list items it ends, as CommonMark does: it lacks their block
    /// quotes or is less indented than their content, and is not a lazy continuation of a
    /// paragraph. Open the items it starts.
    fn enter(&mut self, line: &str) -> Shape {
        self.empty_item = false;
        let (depth, inner) = self.innermost(line);
        // Whether the line continues the paragraph before it: in its containers, or lazily.
        // What may interrupt the paragraph is measured after the containers the line is in.
        let (quotes, quoted) = block::quotes(line, usize::MAX);
        let in_paragraph = self
            .prose_before
            .as_ref()
            .map(|(d, path)| (*d, block::continues(path, line)));
        self.lazy = in_paragraph.is_some_and(|(d, inside)| {
            let rest = &line[inner.max(quoted)..];
            quotes <= d && !block::certainly_interrupts_paragraph(rest, inside.is_some())
        });
        // A setext underline turns the paragraph into a heading; it starts no list item.
        let underline = in_paragraph
            .and_then(|(_, inside)| inside)
            .is_some_and(|at| {
                let rest = line[at..].trim_start_matches(' ');
                line.len() - at - rest.len() <= 3 && block::is_setext_underline(rest)
            });
        let mut path = std::mem::take(&mut self.spare);
        path.clear();
        path.extend_from_slice(&self.open[..depth]);
        let content = block::parts(line, inner, Some(&mut path));
        let parts = &path[depth..];
        let starts_item = parts.iter().any(|p| matches!(p, Part::Item(_)));
        if !(self.lazy || underline) {
            self.open.truncate(depth);
            self.empty_item =
                matches!(parts.last(), Some(Part::Item(_))) && block::is_blank(&line[content..]);
            if let Some(last) = parts.iter().rposition(|p| matches!(p, Part::Item(_))) {
                if depth + last < block::MAX_DEPTH {
                    self.open.extend_from_slice(&parts[..=last]);
                }
            }
        }
        // A line that starts a list item starts a new paragraph.
        let continuing = self.prose_before.is_some() && !starts_item;
        let rest = &line[content..];
        let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        // Indented four columns, a line that does not continue a paragraph is an indented
        // code block to CommonMark.
        let indented_code =
            !continuing && indent < rest.len() && block::columns(&rest[..indent]) >= 4;
        Shape {
            path,
            content,
            continuing,
            indented_code,
        }
    }

    /// How deep `line` goes into the open containers: the number of them down to the innermost
    /// list item it continues, and the offset after their markers and indentation. A blank line
    /// stays in every list item down to the first block quote it leaves.
    fn innermost(&self, line: &str) -> (usize, usize) {
        let mut deepest = (0, 0);
        let mut at = 0;
        for (k, &part) in self.open.iter().enumerate() {
            match block::step(part, line, at) {
                block::Step::Into(after) => {
                    at = after;
                    if matches!(part, Part::Item(_)) {
                        deepest = (k + 1, at);
                    }
                }
                block::Step::Blank => {
                    let items = self.open[k..]
                        .iter()
                        .take_while(|p| matches!(p, Part::Item(_)))
                        .count();
                    if items > 0 {
                        deepest = (k + items, line.len());
                    }
                    break;
                }
                block::Step::Out => break,
            }
        }
        deepest
    }

    /// Mask code spans and comments in `from..end` of line `i`; return whether any prose is
    /// left outside comments. `single_line`: no comment opened on this line may run past it.
    fn inline(
        &mut self,
        doc: &mut Document,
        i: usize,
        from: usize,
        end: usize,
        mut single_line: bool,
    ) -> bool {
        let text = doc.text;
        let bytes = text.as_bytes();
        let line_start = doc.lines[i].start;
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
            if !bytes[q..end].starts_with(b"<!--") || escaped(bytes, from, q) {
                p = q + 1;
                continue;
            }
            // `<!-->` and `<!--->` are whole comments.
            let close = self.find_close(text, q + 2);
            // A comment that starts the line's content (after its containers' markers and any
            // indentation) starts an HTML block.
            // (A line has a shape only when it starts outside comments.)
            let block = self.shape.as_ref().filter(|shape| {
                let rest = &text[line_start + shape.content..end];
                q == end - rest.trim_start_matches([' ', '\t']).len()
            });
            let starts_block = block.is_some();
            let comment_end = if let Some(shape) = block {
                // An HTML block: to the line with `-->`, or the end of its container.
                single_line = true;
                self.html_block = true;
                block_end(doc, i, &shape.path, close.unwrap_or(text.len()))
            } else {
                // Inline: closed on this line, or later in the same paragraph.
                match close {
                    Some(c) if c <= end => c,
                    Some(c) if !single_line && self.paragraph_reaches(doc, i, c) => c,
                    _ => {
                        p = q + 4;
                        continue;
                    }
                }
            };
            content |= !text[prose_from..q].trim().is_empty();
            doc.mask(q..comment_end);
            doc.comments.push(q..comment_end);
            if comment_end > end {
                self.comment_end = comment_end;
                self.block_comment = starts_block;
                return content;
            }
            p = comment_end;
            prose_from = comment_end;
        }
        content || !text[prose_from..end].trim().is_empty()
    }

    /// The offset just past the first `-->` at or after `from`.
    fn find_close(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.close {
            if searched <= from && found.is_none_or(|c| c - 3 >= from) {
                return found;
            }
        }
        let found = memmem::find(&text.as_bytes()[from..], b"-->").map(|c| from + c + 3);
        self.close = Some((from, found));
        found
    }

    /// Whether the paragraph line `i` is in continues to the line holding offset `close - 1`,
    /// so an inline comment opened on line `i` can close there.
    fn paragraph_reaches(&mut self, doc: &Document, i: usize, close: usize) -> bool {
        let depth = block::quotes(doc.line_text(i), usize::MAX).0;
        if let Some((first, d, after)) = self.paragraph_end {
            if first <= i && i < after && d == depth {
                return close <= doc.lines[after - 1].end;
            }
        }
        for j in i + 1..doc.lines.len() {
            let l = doc.lines[j];
            if l.start >= close {
                return true;
            }
            let line = doc.line_text(j);
            let (quotes, at) = block::quotes(line, usize::MAX);
            // More block quotes start a new one; fewer are a lazy continuation line.
            if quotes > depth || block::interrupts_paragraph(&line[at..]) {
                self.paragraph_end = Some((i, depth, j));
                return false;
            }
        }
        true
    }
}

/// Where an HTML block comment opened on line `i` in `container` ends: at `close` (the offset
/// after its `-->`, or the end of the text), or at the end of the last line before its
/// container ends.
fn block_end(doc: &Document, i: usize, container: &[Part], close: usize) -> usize {
    for j in i + 1..doc.lines.len() {
        let l = doc.lines[j];
        if l.start >= close {
            break;
        }
        if block::continues(container, doc.line_text(j)).is_none() {
            return doc.lines[j - 1].end.min(close);
        }
    }
    close
}

/// Whether a line starting with byte `b` is plain prose at its start: `b` cannot begin
/// indentation, a block-quote or list marker, a fence, a heading, a thematic break, a setext
/// underline or HTML.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphabetic()
        || matches!(
            b,
            b'[' | b'('
                | b'|'
                | b'"'
                | b'\''
                | b'!'
                | b'$'
                | b':'
                | b'/'
                | b'?'
                | b'.'
                | b','
                | b';'
                | b'@'
                | b'&'
                | b'%'
        )
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

/// Whether the character at `at` is escaped by an odd number of backslashes.
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

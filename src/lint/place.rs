//! Placing findings: a rule's byte range becomes a [`Diagnostic`] with a 1-based line and
//! character columns, its severity, and its source line; a problem with a whole file is placed
//! at its start.
//!
//! What a finding holds is bounded whatever the input (PRODUCT.md §5): its message and subject
//! are cut at [`MAX_MESSAGE`] characters, and a document's findings share its path, the lines
//! they are on and a message they repeat, so a million findings on one long line are a million
//! small records, not a million copies of the line. Columns are counted on from the previous
//! finding on the same line, so placing them costs the line's length once, not once per
//! finding.

use std::borrow::Cow;
use std::sync::Arc;

use super::{index_of, Diagnostic, Document, Excerpt, Finding, Levels, Severity, RULES};

/// The most characters of a message (or a subject) a finding keeps; longer ones end in `…`.
pub(crate) const MAX_MESSAGE: usize = 300;
/// The most characters of document text a rule quotes in a message (a marker's question).
pub(crate) const MAX_QUOTE: usize = 200;

/// `text` cut after `max` characters (at a character boundary), with `…` when it was cut.
pub(crate) fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// [`cut`] for an owned string, which is kept when it is short enough.
fn cut_owned(text: String, max: usize) -> String {
    match cut(&text, max) {
        Cow::Owned(short) => short,
        Cow::Borrowed(_) => text,
    }
}

/// An SO000 diagnostic about a whole file (None when SO000 is off).
pub(super) fn file_problem(path: &str, levels: &Levels, message: &str) -> Option<Diagnostic> {
    let rule = index_of("SO000");
    Some(Diagnostic {
        rule: RULES[rule].id,
        name: RULES[rule].name,
        severity: Severity::from_level(levels.get(rule))?,
        path: path.into(),
        line: 1,
        column: 1,
        end_column: 1,
        message: cut(message, MAX_MESSAGE).into(),
        source: None,
        subject: None,
    })
}

/// Turns the findings in one document into diagnostics.
pub(super) struct Placer<'d, 'a> {
    doc: &'d Document<'a>,
    levels: &'d Levels,
    starts: Columns,
    ends: Columns,
    path: Arc<str>,
    /// The line quoted last, by index.
    line: Option<(usize, Arc<str>)>,
    /// The message given last.
    message: Option<Arc<str>>,
}

impl<'d, 'a> Placer<'d, 'a> {
    pub(super) fn new(doc: &'d Document<'a>, levels: &'d Levels) -> Self {
        Self {
            doc,
            levels,
            starts: Columns::default(),
            ends: Columns::default(),
            path: doc.path.into(),
            line: None,
            message: None,
        }
    }

    /// The diagnostic for finding `f`; `None` when its rule is off or a comment suppresses it
    /// there.
    pub(super) fn place(&mut self, f: Finding) -> Option<Diagnostic> {
        let doc = self.doc;
        let severity = Severity::from_level(self.levels.get(f.rule))?;
        let line = doc.line_of(f.start);
        if doc.is_suppressed(f.rule, line) {
            return None;
        }
        let l = doc.lines.get(line).copied();
        let (line_start, line_end) = l.map_or((0, 0), |l| (l.start, l.end));
        let start = f.start.clamp(line_start, line_end);
        let end = f.end.clamp(start, line_end);
        let column = self.starts.column(doc.text, line_start, start);
        // An empty range marks the character at `start`, or nothing at the end of a line, so
        // the span never reaches past the line.
        let end_column = if end > start {
            self.ends.column(doc.text, line_start, end)
        } else {
            column + usize::from(start < line_end)
        };
        let source = l.map(|_| Excerpt {
            line: self.line(line, &doc.text[line_start..line_end]),
            start: start - line_start,
        });
        let meta = &RULES[f.rule];
        Some(Diagnostic {
            rule: meta.id,
            name: meta.name,
            severity,
            path: self.path.clone(),
            line: line + 1,
            column,
            end_column,
            message: self.message(cut_owned(f.message, MAX_MESSAGE)),
            source,
            subject: f.subject.map(|s| cut_owned(s, MAX_MESSAGE)),
        })
    }

    /// Line `index`, `text`, shared with the findings before on the same line.
    fn line(&mut self, index: usize, text: &str) -> Arc<str> {
        match &self.line {
            Some((i, shared)) if *i == index => shared.clone(),
            _ => self.line.insert((index, text.into())).1.clone(),
        }
    }

    /// `message`, shared with the finding before when it says the same.
    fn message(&mut self, message: String) -> Arc<str> {
        match &self.message {
            Some(shared) if **shared == *message => shared.clone(),
            _ => self.message.insert(message.into()).clone(),
        }
    }
}

/// The 1-based column of byte offsets on one line, counted on from the offset asked for before
/// while the calls move forward along the same line (as each rule's findings do).
#[derive(Default)]
struct Columns {
    line_start: usize,
    at: usize,
    chars: usize,
}

impl Columns {
    fn column(&mut self, text: &str, line_start: usize, offset: usize) -> usize {
        if line_start != self.line_start || offset < self.at {
            (self.line_start, self.at, self.chars) = (line_start, line_start, 0);
        }
        self.chars += text[self.at..offset].chars().count();
        self.at = offset;
        self.chars + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary_with_an_ellipsis() {
        assert_eq!(cut("short", 5), "short");
        assert_eq!(cut("ééééé", 3), "ééé…");
        assert_eq!(cut_owned("a".repeat(10), 4), "aaaa…");
    }

    #[test]
    fn columns_count_on_and_start_again_when_asked_backwards() {
        let text = "ab\néé x é y";
        let mut c = Columns::default();
        assert_eq!(c.column(text, 3, 3), 1);
        assert_eq!(c.column(text, 3, 8), 4);
        assert_eq!(c.column(text, 3, 13), 8);
        assert_eq!(c.column(text, 3, 5), 2);
        assert_eq!(c.column(text, 0, 1), 2);
    }
}

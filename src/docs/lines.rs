//! A Markdown line classifier: which lines are prose, which are fenced code, which are HTML
//! comments. Every parser in [`crate::docs`] reads documents through it, so a requirement or
//! a marker written inside a code example or a comment is never taken for a real one.

use std::borrow::Cow;

/// What a line is, as far as the document parsers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Prose, headings, lists, tables (comment spans blanked out of [`Line::text`]).
    Text,
    /// A fence delimiter: the opening or closing ```` ``` ```` / `~~~` line.
    Fence,
    /// A line inside a fenced code block.
    Code,
    /// A line that holds nothing but (part of) an HTML comment.
    Comment,
}

/// One classified line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The line as written, without its line ending.
    pub raw: &'a str,
    /// The line with HTML comment spans replaced by spaces (columns are kept).
    pub text: Cow<'a, str>,
    pub kind: LineKind,
}

impl Line<'_> {
    /// Whether parsers should read this line.
    pub fn is_text(&self) -> bool {
        self.kind == LineKind::Text
    }
}

/// Classify every line of `doc`.
pub fn classify(doc: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    for (i, raw) in doc.lines().enumerate() {
        let number = i + 1;
        if let Some((ch, len)) = fence {
            let kind = if closes_fence(raw, ch, len) {
                fence = None;
                LineKind::Fence
            } else {
                LineKind::Code
            };
            out.push(Line {
                number,
                raw,
                text: Cow::Borrowed(raw),
                kind,
            });
            continue;
        }
        if !in_comment {
            if let Some(open) = opens_fence(raw) {
                fence = Some(open);
                out.push(Line {
                    number,
                    raw,
                    text: Cow::Borrowed(raw),
                    kind: LineKind::Fence,
                });
                continue;
            }
        }
        let (text, had_comment, still_open) = blank_comments(raw, in_comment);
        in_comment = still_open;
        let kind = if had_comment && text.trim().is_empty() {
            LineKind::Comment
        } else {
            LineKind::Text
        };
        out.push(Line {
            number,
            raw,
            text,
            kind,
        });
    }
    out
}

/// `Some((fence char, length))` when `line` opens a fenced code block.
fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    // A backtick fence's info string may not contain a backtick (that is inline code).
    if len < 3 || (ch == b'`' && rest[len..].contains('`')) {
        return None;
    }
    Some((ch, len))
}

fn closes_fence(line: &str, ch: u8, len: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = line[indent..].trim_end();
    rest.len() >= len && rest.bytes().all(|b| b == ch)
}

/// Blank the HTML comment spans of `line`; `open` says whether a comment runs into it.
/// Returns the blanked text, whether any comment was seen, and whether one is still open.
fn blank_comments(line: &str, mut open: bool) -> (Cow<'_, str>, bool, bool) {
    if !open && !line.contains("<!--") {
        return (Cow::Borrowed(line), false, false);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        if open {
            match rest.find("-->") {
                Some(end) => {
                    push_blank(&mut out, &rest[..end + 3]);
                    rest = &rest[end + 3..];
                    open = false;
                }
                None => {
                    push_blank(&mut out, rest);
                    return (Cow::Owned(out), true, true);
                }
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    push_blank(&mut out, "<!--");
                    rest = &rest[start + 4..];
                    open = true;
                }
                None => {
                    out.push_str(rest);
                    return (Cow::Owned(out), true, false);
                }
            }
        }
    }
}

fn push_blank(out: &mut String, s: &str) {
    out.extend(std::iter::repeat_n(' ', s.chars().count()));
}

/// `text` with inline code spans (`` `…` ``) replaced by spaces, for marker searches.
pub fn blank_inline_code(text: &str) -> Cow<'_, str> {
    if !text.contains('`') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let ticks = rest[start..].bytes().take_while(|&b| b == b'`').count();
        let delim = &rest[start..start + ticks];
        let after = &rest[start + ticks..];
        // A span closes at the next run of exactly as many backticks; otherwise it is literal.
        let close = find_run(after, ticks);
        match close {
            Some(end) => {
                out.push_str(&rest[..start]);
                push_blank(&mut out, delim);
                push_blank(&mut out, &after[..end + ticks]);
                rest = &after[end + ticks..];
            }
            None => {
                out.push_str(&rest[..start + ticks]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn find_run(s: &str, ticks: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == ticks {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// A Markdown ATX heading: `(level, text)` with closing `#`s and spaces trimmed.
pub fn heading(text: &str) -> Option<(usize, &str)> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &text[indent..];
    let level = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let body = &rest[level..];
    if !body.is_empty() && !body.starts_with([' ', '\t']) {
        return None;
    }
    let body = body.trim();
    let body = body.trim_end_matches('#');
    Some((level, body.trim_end()))
}

/// A Markdown task item: `Some((ticked, text))` for `- [ ] text` / `- [x] text`.
pub fn task_item(text: &str) -> Option<(bool, &str)> {
    let rest = strip_list_marker(text)?;
    let ticked = if let Some(r) = rest.strip_prefix("[ ]") {
        (false, r)
    } else if let Some(r) = rest
        .strip_prefix("[x]")
        .or_else(|| rest.strip_prefix("[X]"))
    {
        (true, r)
    } else {
        return None;
    };
    if !ticked.1.is_empty() && !ticked.1.starts_with([' ', '\t']) {
        return None;
    }
    Some((ticked.0, ticked.1.trim()))
}

/// The item text of a bullet or numbered list line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
pub fn strip_list_marker(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let rest = if let Some(r) = t.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        t[digits..].strip_prefix(['.', ')'])?
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim_start())
}

/// The cells of a table row `| a | b |` (outer pipes optional, `\|` kept as a literal pipe).
pub fn table_cells(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if !t.starts_with('|') {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = if inner.ends_with('|') && !inner.ends_with("\\|") {
        &inner[..inner.len() - 1]
    } else {
        inner
    };
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    Some(cells)
}

/// Whether table cells form a delimiter row (`|---|:--:|`).
pub fn is_delimiter_row(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        let c = c.trim();
        !c.is_empty() && c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(doc: &str) -> Vec<LineKind> {
        classify(doc).into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn fences_and_comments() {
        use LineKind::*;
        let cases: &[(&str, &[LineKind])] = &[
            ("a\n```\nb\n```\nc", &[Text, Fence, Code, Fence, Text]),
            ("~~~~\n```\nx\n~~~~", &[Fence, Code, Code, Fence]),
            ("```sh\nx\n", &[Fence, Code]),
            ("    ```\nx", &[Text, Text]),
            ("``` a`b\nx", &[Text, Text]),
            (
                "<!--\nhidden\n-->\nshown",
                &[Comment, Comment, Comment, Text],
            ),
            ("a <!-- b --> c", &[Text]),
            ("<!-- a --><!-- b -->", &[Comment]),
            ("```\n<!--\n```\nx", &[Fence, Code, Fence, Text]),
            ("<!--\n```\n-->\nx", &[Comment, Comment, Comment, Text]),
            ("", &[]),
        ];
        for (doc, expected) in cases {
            assert_eq!(kinds(doc), *expected, "{doc:?}");
        }
    }

    #[test]
    fn comment_spans_are_blanked_keeping_columns() {
        let lines = classify("a <!-- b --> c\nx <!-- y\nz --> w");
        assert_eq!(lines[0].text, "a            c");
        assert_eq!(lines[1].text, "x       ");
        assert_eq!(lines[2].text, "      w");
        assert_eq!(lines[2].kind, LineKind::Text);
        assert_eq!(lines[2].number, 3);
    }

    #[test]
    fn inline_code_is_blanked() {
        for (input, expected) in [
            ("a `b` c", "a     c"),
            ("``x ` y`` z", "          z"),
            ("no close ` here", "no close ` here"),
            ("plain", "plain"),
        ] {
            assert_eq!(blank_inline_code(input), expected, "{input:?}");
        }
    }

    #[test]
    fn headings_items_and_tables() {
        assert_eq!(heading("## Title ##"), Some((2, "Title")));
        assert_eq!(heading("#NoSpace"), None);
        assert_eq!(heading("####### seven"), None);
        assert_eq!(heading("    # indented code"), None);
        assert_eq!(task_item("- [ ] open"), Some((false, "open")));
        assert_eq!(task_item("  * [X] done"), Some((true, "done")));
        assert_eq!(task_item("1. [x] numbered"), Some((true, "numbered")));
        assert_eq!(task_item("- [ ]x"), None);
        assert_eq!(task_item("- not a task"), None);
        assert_eq!(strip_list_marker("-x"), None);
        assert_eq!(strip_list_marker("12) twelve"), Some("twelve"));
        assert_eq!(
            table_cells("| a | b \\| c |"),
            Some(vec!["a".to_string(), "b | c".to_string()])
        );
        assert_eq!(table_cells("not | a row"), None);
        assert!(is_delimiter_row(&table_cells("|---|:-:|").unwrap()));
        assert!(!is_delimiter_row(&table_cells("| a | - |").unwrap()));
    }
}

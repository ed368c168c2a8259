//! The shapes one line of Markdown can have at its start: a fence, an ATX heading, a list item
//! with or without a task checkbox, a table row. Pure functions over one line's text; the
//! scanner in [`super::scan`] decides which lines they are tried on.

use std::borrow::Cow;
use std::ops::Range;

/// An open fence: its character and length.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fence {
    pub(super) ch: u8,
    pub(super) len: usize,
}

/// Strip block-quote markers, list markers and indentation before a possible fence.
fn block_prefix(line: &str) -> &str {
    line[parts(line, 0, None)..].trim_start_matches([' ', '\t'])
}

/// Whether `s` is only spaces and tabs: a blank line, to CommonMark.
pub(super) fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The block-quote markers at the start of `line`, at most `max` of them: how many, and the
/// offset after them. A marker is a `>` after at most three spaces; one space or tab after it
/// belongs to it.
pub(super) fn quotes(line: &str, max: usize) -> (usize, usize) {
    let b = line.as_bytes();
    let (mut n, mut at) = (0, 0);
    while n < max {
        let spaces = b[at..].iter().take_while(|&&c| c == b' ').count();
        if spaces > 3 || b.get(at + spaces) != Some(&b'>') {
            break;
        }
        at += spaces + 1;
        n += 1;
        if matches!(b.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
    }
    (n, at)
}

/// Whether `line` (after its block-quote markers) ends a paragraph or starts a block that
/// interrupts one, so that an inline comment cannot continue onto it: a blank line, a heading,
/// a fence, a list item, a thematic break or setext underline, or an HTML tag starting the line.
/// Errs towards yes: a comment that does not continue is text, which `check` reads.
pub(super) fn interrupts_paragraph(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    let b = t.as_bytes();
    t.trim_end().is_empty()
        || atx_heading(t).is_some()
        || opens_fence(t).is_some()
        || list_item(t).is_some()
        || t.trim_end()
            .bytes()
            .all(|c| matches!(c, b'-' | b'*' | b'_' | b'=' | b' ' | b'\t'))
        || (b.first() == Some(&b'<')
            && b.get(1)
                .is_some_and(|c| matches!(c, b'!' | b'?' | b'/') || c.is_ascii_alphabetic()))
}

/// Whether `line` (after its block-quote markers) certainly ends a paragraph or starts a
/// block that interrupts one, so that it is not a lazy continuation line that keeps a list
/// item open. `inside`: whether the line continues every container of the paragraph; where
/// it does not, any list item starts (where it does, only a bullet or `1.` with text may
/// interrupt). Errs towards no: an item kept open ends the fences in it sooner.
pub(super) fn certainly_interrupts_paragraph(line: &str, inside: bool) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let t = &line[indent..];
    let Some(&first) = t.as_bytes().first() else {
        return true;
    };
    if is_blank(t) {
        return true;
    }
    if indent > 3 || first == b'\t' {
        return false;
    }
    let item = |marker: usize| {
        let after = &t[marker..];
        after.starts_with([' ', '\t']) && !is_blank(after)
    };
    match first {
        b'#' => atx_heading(t).is_some(),
        b'`' | b'~' => opens_fence(t).is_some(),
        b'<' => starts_html_block(t),
        b'_' => is_thematic_break(t),
        b'=' => inside && is_setext_underline(t),
        b'-' | b'*' | b'+' => {
            is_thematic_break(t)
                || item(1)
                || (!inside && list_item(t).is_some())
                || (inside && is_setext_underline(t))
        }
        b'0'..=b'9' => {
            ((t.starts_with("1.") || t.starts_with("1)")) && item(2))
                || (!inside && list_item(t).is_some())
        }
        _ => false,
    }
}

/// Whether `line` (without indentation) is a setext heading underline, which ends the
/// paragraph above it in the same containers.
pub(super) fn is_setext_underline(line: &str) -> bool {
    let t = line.trim_end();
    !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// Whether `line` (a prose line after its containers' markers) holds paragraph text: not
/// empty (an empty list item), not a thematic break, not a setext underline (when it follows
/// a paragraph, `after_paragraph`), not a heading in a container, not an HTML block that
/// surely is one. Errs towards yes: a paragraph may keep a list item open, which ends the
/// fences in it sooner.
pub(super) fn is_paragraph(line: &str, after_paragraph: bool) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    match t.as_bytes().first() {
        None => false,
        Some(b'#') => atx_heading(line).is_none(),
        Some(b'<') => !starts_html_block(t),
        Some(b'-' | b'*' | b'_' | b'=') => {
            !(is_thematic_break(t) || (after_paragraph && is_setext_underline(t)))
        }
        Some(_) => true,
    }
}

/// Whether `t` (without indentation) starts an HTML block that may interrupt a paragraph: a
/// comment, a processing instruction, a declaration, CDATA. Errs towards no: block-level tags
/// are not looked at.
fn starts_html_block(t: &str) -> bool {
    ["<!--", "<?", "<![CDATA["].iter().any(|p| t.starts_with(p))
        || (t.starts_with("<!") && t[2..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// A container a line can open or continue: a block quote, or a list item whose content
/// starts this many columns after its container's content (tabs expand from the start of the
/// line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Quote,
    Item(usize),
}

/// The column after `s` when it starts at column `col` (tab stops every four columns).
fn advance(col: usize, s: &str) -> usize {
    s.bytes().fold(col, |c, b| match b {
        b'\t' => c + 4 - c % 4,
        _ => c + 1,
    })
}

/// How many containers deep the layer follows a line: deeper ones (nobody nests 32 block
/// quotes and list items) are not tracked, which keeps every line's work bounded.
pub(super) const MAX_DEPTH: usize = 32;

/// Append to `parts` (when given) the containers `line` opens or continues from offset `from` on, in order,
/// and return the offset after them: `> - 1. x` gives a block quote and two list items, and
/// the offset of `x`. At most [`MAX_DEPTH`] of them.
pub(super) fn parts(line: &str, from: usize, mut parts: Option<&mut Vec<Part>>) -> usize {
    let mut push = |part| {
        if let Some(parts) = parts.as_mut() {
            parts.push(part);
        }
    };
    let mut at = from;
    let mut n = 0;
    while n < MAX_DEPTH {
        n += 1;
        // Only these can start a container (or the indentation before one).
        let container = |b: &u8| matches!(b, b' ' | b'\t' | b'>' | b'-' | b'*' | b'+');
        match line.as_bytes().get(at) {
            Some(b) if container(b) || b.is_ascii_digit() => {}
            _ => return at,
        }
        let rest = &line[at..];
        let (quote, after) = quotes(rest, 1);
        if quote == 1 {
            push(Part::Quote);
            at += after;
            continue;
        }
        let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let Some(marker) = marker_len(&rest[indent..]).filter(|_| !is_thematic_break(rest)) else {
            return at;
        };
        let after = &rest[indent + marker..];
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        if gap == 0 && !after.is_empty() {
            return at;
        }
        let start = advance(0, &line[..at]);
        let marker_end = advance(start, &rest[..indent + marker]);
        let gap_columns = advance(marker_end, &after[..gap]) - marker_end;
        if (1..=4).contains(&gap_columns) && gap < after.len() {
            push(Part::Item(marker_end + gap_columns - start));
            at += indent + marker + gap;
        } else {
            // An empty item, or five or more spaces (an indented code block one column in).
            push(Part::Item(marker_end + 1 - start));
            return at + indent + marker + gap.min(1);
        }
    }
    at
}

/// How `line`, from offset `at` on, continues a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// It does; its content goes on at this offset.
    Into(usize),
    /// It is blank from here: it stays inside list items, and leaves a block quote.
    Blank,
    /// It does not.
    Out,
}

/// How `line`, from offset `at` on, continues container `part`.
pub(super) fn step(part: Part, line: &str, at: usize) -> Step {
    let rest = &line[at..];
    match part {
        Part::Quote => match quotes(rest, 1) {
            (1, after) => Step::Into(at + after),
            _ if is_blank(rest) => Step::Blank,
            _ => Step::Out,
        },
        Part::Item(_) if is_blank(rest) => Step::Blank,
        Part::Item(width) => {
            let mut col = advance(0, &line[..at]);
            let content = col + width;
            let mut end = at;
            for b in rest.bytes() {
                if col >= content || !matches!(b, b' ' | b'\t') {
                    break;
                }
                col = advance(col, if b == b' ' { " " } else { "\t" });
                end += 1;
            }
            if col < content {
                Step::Out
            } else {
                Step::Into(end)
            }
        }
    }
}

/// Whether `line` continues the containers `path`: the offset after their markers and
/// indentation, or `None` when it is outside one of them. A blank line stays inside list items
/// but ends a block quote.
pub(super) fn continues(path: &[Part], line: &str) -> Option<usize> {
    let mut at = 0;
    for (k, &part) in path.iter().enumerate() {
        match step(part, line, at) {
            Step::Into(after) => at = after,
            Step::Blank => return (!path[k..].contains(&Part::Quote)).then_some(line.len()),
            Step::Out => return None,
        }
    }
    Some(at)
}

/// Whether `line` is a thematic break (`***`, `- - -`, `___`), which is not a list item.
fn is_thematic_break(line: &str) -> bool {
    let mut bytes = line.bytes().filter(|&b| b != b' ' && b != b'\t');
    let Some(c) = bytes.next().filter(|c| matches!(c, b'-' | b'*' | b'_')) else {
        return false;
    };
    let mut n = 1;
    for b in bytes {
        if b != c {
            return false;
        }
        n += 1;
    }
    n >= 3
}

/// The length of a list marker (`-`, `*`, `+`, `1.`, `12)`) at the start of `s`.
fn marker_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.first()? {
        b'-' | b'*' | b'+' => Some(1),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (digits <= 9 && matches!(b.get(digits), Some(b'.' | b')'))).then_some(digits + 1)
        }
        _ => None,
    }
}

pub(super) fn opens_fence(line: &str) -> Option<Fence> {
    // Only container markers and indentation may come before the fence.
    let first = memchr::memchr2(b'`', b'~', line.as_bytes())?;
    let prefix = |b: &u8| matches!(b, b' ' | b'\t' | b'>' | b'-' | b'*' | b'+' | b'.' | b')');
    if !line.as_bytes()[..first]
        .iter()
        .all(|b| prefix(b) || b.is_ascii_digit())
    {
        return None;
    }
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

/// Whether `line` (after its container's block-quote markers) closes `fence`, ignoring its
/// indentation, which the caller weighs.
pub(super) fn closes_fence(line: &str, fence: Fence) -> bool {
    let s = line.trim_start_matches([' ', '\t']);
    let len = s.bytes().take_while(|&b| b == fence.ch).count();
    len >= fence.len && s[len..].trim().is_empty()
}

/// `## Title ##` → (2, range of `Title` within `line`). Everything after the `#`s is the
/// title, `#` characters inside it included (`### C# and F#`); only a closing run of `#`s
/// after a space is dropped.
pub(super) fn atx_heading(line: &str) -> Option<(usize, Range<usize>)> {
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

/// The state of a task checkbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `[ ]`: still to do.
    Open,
    /// `[x]` or `[X]`.
    Done,
    /// Any other one-character state other tools write: `[~]`, `[-]`, `[/]`, `[→]`, an emoji.
    /// Letters and digits are not states (`- [P] note`, `- [1] source` are plain items).
    Other(char),
}

/// A list item's shape, as byte offsets within its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ItemShape {
    /// Indentation of the marker in columns (a tab advances to the next multiple of four),
    /// counted after any block-quote markers.
    pub indent: usize,
    /// Offset of the list marker.
    pub marker: usize,
    /// Offset of the checkbox's `[`, with its state.
    pub checkbox: Option<(usize, Check)>,
    /// Offset of the item's text: after the marker, the checkbox and the spaces that follow.
    pub text: usize,
}

/// Parse a list item: `- text`, `* [x] text`, `1. [ ] text`, `> - [~] text`.
pub(super) fn list_item(line: &str) -> Option<ItemShape> {
    let quoted = line.trim_start_matches([' ', '\t', '>']);
    // Indentation counts only after the last block-quote marker.
    let mut after_quote = line[..line.len() - quoted.len()]
        .rfind('>')
        .map_or(0, |q| q + 1);
    // One space after `>` belongs to the block-quote marker.
    if after_quote > 0 && line.as_bytes().get(after_quote) == Some(&b' ') {
        after_quote += 1;
    }
    let indent = columns(&line[after_quote..line.len() - quoted.len()]);
    let marker_at = line.len() - quoted.len();
    if is_thematic_break(quoted) {
        return None;
    }
    let marker = marker_len(quoted)?;
    let after = &quoted[marker..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if gap == 0 && !after.is_empty() {
        return None;
    }
    let text_at = marker_at + marker + gap;
    let rest = &line[text_at..];
    let (checkbox, text) = match checkbox(rest) {
        Some((check, len)) => {
            let after = &rest[len..];
            let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
            (Some((text_at, check)), text_at + len + gap)
        }
        None => (None, text_at),
    };
    Some(ItemShape {
        indent,
        marker: marker_at,
        checkbox,
        text,
    })
}

/// A checkbox at the start of an item's text: its state and its length in bytes. It must be
/// followed by a space, a tab or the end of the line.
fn checkbox(rest: &str) -> Option<(Check, usize)> {
    let inner = rest.strip_prefix('[')?;
    let mut chars = inner.chars();
    let c = chars.next()?;
    let mut len = 1 + c.len_utf8();
    let mut tail = chars.as_str();
    // An emoji state may carry a variation selector; `[ ]`, `[x]` and `[X]` are three bytes,
    // as the rules that mark them take them to be.
    let emoji = !matches!(c, ' ' | 'x' | 'X');
    if let Some(t) = tail.strip_prefix('\u{fe0f}').filter(|_| emoji) {
        len += '\u{fe0f}'.len_utf8();
        tail = t;
    }
    let tail = tail.strip_prefix(']')?;
    len += 1;
    if !(tail.is_empty() || tail.starts_with([' ', '\t'])) {
        return None;
    }
    let check = match c {
        ' ' => Check::Open,
        'x' | 'X' => Check::Done,
        c if c.is_alphanumeric() || c.is_whitespace() || c.is_control() => return None,
        '[' | ']' => return None,
        c => Check::Other(c),
    };
    Some((check, len))
}

/// Columns `s` (spaces and tabs) takes, with tab stops every four columns.
pub(super) fn columns(s: &str) -> usize {
    s.bytes().fold(0, |col, b| match b {
        b'\t' => col + 4 - col % 4,
        _ => col + 1,
    })
}

/// One cell of a table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    /// The cell's text, trimmed, with `\|` read as a literal pipe.
    pub text: Cow<'a, str>,
    /// Byte range of the trimmed cell within the line.
    pub range: Range<usize>,
}

/// The cells of a table row `| a | b |` (outer pipes optional, but the row must start with
/// one); `None` for a line that is not a row.
pub(super) fn table_cells(line: &str) -> Option<Vec<Cell<'_>>> {
    let lead = line.len() - line.trim_start().len();
    let t = line.trim_end();
    let inner_start = lead + 1;
    if !t[lead..].starts_with('|') {
        return None;
    }
    let mut inner_end = t.len();
    if inner_end > inner_start && t.ends_with('|') && !t.ends_with("\\|") {
        inner_end -= 1;
    }
    let bytes = line.as_bytes();
    let mut cells = Vec::new();
    let mut cell_start = inner_start;
    let mut i = inner_start;
    while i <= inner_end {
        let at_end = i == inner_end;
        if at_end || (bytes[i] == b'|' && !(i > 0 && bytes[i - 1] == b'\\')) {
            cells.push(cell(line, cell_start..i));
            cell_start = i + 1;
        }
        i += 1;
    }
    Some(cells)
}

fn cell(line: &str, range: Range<usize>) -> Cell<'_> {
    let raw = &line[range.clone()];
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    let start = range.start + lead;
    Cell {
        text: if trimmed.contains("\\|") {
            Cow::Owned(trimmed.replace("\\|", "|"))
        } else {
            Cow::Borrowed(trimmed)
        },
        range: start..start + trimmed.len(),
    }
}

/// Whether cells form a delimiter row (`|---|:--:|`).
pub fn is_delimiter_row(cells: &[Cell]) -> bool {
    cells.iter().all(|c| {
        !c.text.is_empty()
            && c.text.contains('-')
            && c.text.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: &str) -> Option<(usize, Option<Check>, &str)> {
        let s = list_item(line)?;
        Some((s.indent, s.checkbox.map(|c| c.1), &line[s.text..]))
    }

    #[test]
    fn list_items_and_checkboxes() {
        use Check::*;
        let yes: &[(&str, usize, Option<Check>, &str)] = &[
            ("- [ ] a", 0, Some(Open), "a"),
            ("* [x] a", 0, Some(Done), "a"),
            ("+ [X]", 0, Some(Done), ""),
            ("  - [ ]   a", 2, Some(Open), "a"),
            ("\t- [ ] a", 4, Some(Open), "a"),
            ("12. [ ] a", 0, Some(Open), "a"),
            ("3) b", 0, None, "b"),
            ("> - [ ] a", 0, Some(Open), "a"),
            (">   - [~] a", 2, Some(Other('~')), "a"),
            ("- [-] dropped", 0, Some(Other('-')), "dropped"),
            ("- [→] moved", 0, Some(Other('→')), "moved"),
            ("- [✅] done", 0, Some(Other('✅')), "done"),
            ("- [⚠️] warn", 0, Some(Other('⚠')), "warn"),
            ("- [P] not a state", 0, None, "[P] not a state"),
            ("- [1] not a state", 0, None, "[1] not a state"),
            ("- [ ]a", 0, None, "[ ]a"),
            ("- [] a", 0, None, "[] a"),
            ("-", 0, None, ""),
        ];
        for &(line, indent, check, text) in yes {
            assert_eq!(item(line), Some((indent, check, text)), "{line}");
        }
        for line in [
            "-[ ] a",
            "[ ] a",
            "text - [ ] a",
            "1234567890. a",
            "**bold**",
            "--- ",
            "- - -",
            "* ***",
        ] {
            assert_eq!(item(line), None, "{line}");
        }
        // Found by fuzzing: a variation selector after a space made `[ ️]` an open checkbox
        // six bytes long, and SO002 cut the line inside it. It is no checkbox.
        for line in ["- [ \u{fe0f}] a", "- [x\u{fe0f}] a"] {
            assert_eq!(item(line).map(|i| i.1), Some(None), "{line}");
        }
    }

    #[test]
    fn headings_keep_inner_hashes() {
        let h = |l: &str| atx_heading(l).map(|(level, r)| (level, l[r].to_string()));
        assert_eq!(h("### C#"), Some((3, "C#".into())));
        assert_eq!(h("## Title ##"), Some((2, "Title".into())));
        assert_eq!(h("## F# #"), Some((2, "F#".into())));
        assert_eq!(h("#no"), None);
        assert_eq!(h("    # code"), None);
        assert_eq!(h("##"), Some((2, String::new())));
    }

    #[test]
    fn table_rows() {
        let texts = |l: &str| {
            table_cells(l).map(|c| {
                c.into_iter()
                    .map(|c| c.text.into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            texts("| a | b \\| c |"),
            Some(vec!["a".into(), "b | c".into()])
        );
        assert_eq!(texts("|a|"), Some(vec!["a".into()]));
        assert_eq!(texts("| a | |"), Some(vec!["a".into(), String::new()]));
        assert_eq!(texts("|"), Some(vec![String::new()]));
        assert_eq!(texts("not | a row"), None);
        let row = "  | IR-001 |  text |";
        let cells = table_cells(row).unwrap();
        assert_eq!(&row[cells[1].range.clone()], "text");
        assert!(is_delimiter_row(&table_cells("|---|:-:|").unwrap()));
        assert!(!is_delimiter_row(&table_cells("| a | - |").unwrap()));
    }
}

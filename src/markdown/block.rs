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

/// Strip indentation, block-quote markers and one list marker before a possible fence.
fn block_prefix(line: &str) -> &str {
    let mut s = line.trim_start_matches([' ', '\t', '>']);
    if let Some(marker) = marker_len(s) {
        if matches!(s.as_bytes().get(marker), Some(b' ' | b'\t')) {
            s = s[marker..].trim_start();
        }
    }
    s
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

pub(super) fn closes_fence(line: &str, fence: Fence) -> bool {
    let s = line.trim_start_matches([' ', '\t', '>']);
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
    // An emoji state may carry a variation selector.
    if let Some(t) = tail.strip_prefix('\u{fe0f}') {
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
fn columns(s: &str) -> usize {
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
        ] {
            assert_eq!(item(line), None, "{line}");
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

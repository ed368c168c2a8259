//! Positions as the client counts them: a line and a column in UTF-8 bytes or UTF-16 code
//! units (negotiated at `initialize`), turned into byte offsets of a document's text and back;
//! and `file:` URIs turned into paths and back.

use std::path::{Path, PathBuf};

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::markdown::{line_and_start, next_line_break};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion at all), else UTF-16, which every client
    /// supports and which is the protocol's default.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// The width of `s` in this encoding's units.
    fn width(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        }
    }
}

/// The byte offset at which 0-based line `line` starts in `text`, or `None` past the last line.
fn line_start(text: &str, line: u32) -> Option<usize> {
    let mut at = 0;
    for _ in 0..line {
        at = next_line_break(text.as_bytes(), at)?.end;
    }
    Some(at)
}

/// The line starting at `start`, without its line break.
fn line_from(text: &str, start: usize) -> &str {
    let end = next_line_break(text.as_bytes(), start).map_or(text.len(), |br| br.start);
    &text[start..end]
}

/// The byte offset of `pos` in `text`. A column past the end of its line means the line's end,
/// and a line past the end of the text means the text's end (as the protocol asks); a column
/// inside a character means the character's start.
pub(crate) fn offset(text: &str, pos: Position, enc: Encoding) -> usize {
    let Some(start) = line_start(text, pos.line) else {
        return text.len();
    };
    let line = line_from(text, start);
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let w = match enc {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        if units + w > pos.character as usize {
            return start + i;
        }
        units += w;
    }
    start + line.len()
}

/// The position of byte offset `at` in `text` (clamped to the text, and to a character start).
pub(crate) fn position(text: &str, at: usize, enc: Encoding) -> Position {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (line, start) = line_and_start(text.as_bytes(), at);
    Position::new(line as u32, enc.width(&text[start..at]) as u32)
}

/// Where each line of a text starts, found once, so that placing many findings costs a
/// lookup each rather than a walk from the top of the text (20,000 findings in a long
/// document would otherwise be quadratic).
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// The start of every line; after a final line break, the empty line that follows it.
    starts: Vec<usize>,
    /// The last column placed: (line index, encoding, character column, byte offset in the
    /// line, units before it). Findings come in order, so the next one on the same line walks on from
    /// here instead of from the line's start (many findings on one long line stay linear).
    last: std::cell::Cell<Option<Placed>>,
}

/// A column placed: (line index, encoding, character column, byte offset in the line, units
/// before it).
type Placed = (usize, Encoding, usize, usize, usize);

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut at = 0;
        while let Some(br) = next_line_break(text.as_bytes(), at) {
            starts.push(br.end);
            at = br.end;
        }
        Self {
            text,
            starts,
            last: std::cell::Cell::new(None),
        }
    }

    /// The range of 1-based `line`, from 1-based character column `column` to `end_column`
    /// (exclusive), as the linter reports findings; the end of the text for a line past it.
    pub(crate) fn char_range(
        &self,
        line: usize,
        column: usize,
        end_column: usize,
        enc: Encoding,
    ) -> Range {
        let n = line.saturating_sub(1);
        let Some(&start) = self.starts.get(n) else {
            let end = position(self.text, self.text.len(), enc);
            return Range::new(end, end);
        };
        let l = line_from(self.text, start);
        let at = |col: usize| {
            let col = col.max(1);
            let (from_col, from_byte, from_units) = match self.last.get() {
                Some((line, e, c, b, u)) if line == n && e == enc && c <= col => (c, b, u),
                _ => (1, 0, 0),
            };
            let byte = l[from_byte..]
                .char_indices()
                .nth(col - from_col)
                .map_or(l.len(), |(i, _)| from_byte + i);
            let units = from_units + enc.width(&l[from_byte..byte]);
            if byte < l.len() {
                self.last.set(Some((n, enc, col, byte, units)));
            }
            Position::new(n as u32, units as u32)
        };
        Range::new(at(column), at(end_column.max(column)))
    }
}

/// The range of `text` from byte `start` to byte `end`.
pub(crate) fn range(text: &str, start: usize, end: usize, enc: Encoding) -> Range {
    Range::new(position(text, start, enc), position(text, end, enc))
}

/// The local path a `file:` URI names (`file:///a/b%20c.md`, `file://localhost/a`), or `None`
/// for another scheme, a remote host or a path that is not valid percent-encoded UTF-8.
pub(crate) fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file:` URI of an absolute path, every byte other than unreserved ones and `/`
/// percent-encoded.
pub(crate) fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for &c in path.to_string_lossy().as_bytes() {
        if c.is_ascii_alphanumeric() || b"-._~/".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\nÄ😀x [NEEDS]\nlast";

    #[test]
    fn the_encoding_is_utf8_only_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn offsets_and_positions_round_trip_in_both_encodings() {
        let x = TEXT.find('x').unwrap();
        for (enc, col) in [(Encoding::Utf8, 6), (Encoding::Utf16, 3)] {
            assert_eq!(position(TEXT, x, enc), Position::new(1, col));
            assert_eq!(offset(TEXT, Position::new(1, col), enc), x);
            // Past the end of a line: its end, before the CR LF.
            assert_eq!(offset(TEXT, Position::new(0, 99), enc), 2);
            // Past the last line: the end of the text.
            assert_eq!(offset(TEXT, Position::new(9, 0), enc), TEXT.len());
            // Inside the emoji: its start.
            let emoji = TEXT.find('😀').unwrap();
            let inside = Position::new(1, position(TEXT, emoji, enc).character + 1);
            assert_eq!(offset(TEXT, inside, enc), emoji);
        }
    }

    #[test]
    fn a_findings_character_columns_become_units() {
        // `[NEEDS]` is characters 5 to 12 of line 2.
        let r = Lines::new(TEXT).char_range(2, 5, 12, Encoding::Utf16);
        assert_eq!(
            (r.start, r.end),
            (Position::new(1, 5), Position::new(1, 12))
        );
        let r = Lines::new(TEXT).char_range(2, 5, 12, Encoding::Utf8);
        assert_eq!(
            (r.start, r.end),
            (Position::new(1, 8), Position::new(1, 15))
        );
        let r = Lines::new(TEXT).char_range(9, 1, 2, Encoding::Utf8);
        assert_eq!(r.start, Position::new(2, 4));
        // A bare CR ends a line; after a final line break there is one empty line more.
        let r = Lines::new("a\rbc").char_range(2, 2, 3, Encoding::Utf8);
        assert_eq!((r.start, r.end), (Position::new(1, 1), Position::new(1, 2)));
        let r = Lines::new("a\r\n").char_range(2, 1, 1, Encoding::Utf8);
        assert_eq!(r.start, Position::new(1, 0));
        let r = Lines::new("a\r\n").char_range(3, 1, 1, Encoding::Utf8);
        assert_eq!(
            r.start,
            Position::new(1, 0),
            "past the last line: the end of the text"
        );
    }

    proptest::proptest! {
        /// Placing findings one after another (walking on along a line) gives the positions
        /// placing each on its own gives.
        #[test]
        fn placing_in_order_equals_placing_alone(
            text in "[a\u{e9}\u{1f600}\r\n\t ]{0,40}",
            finds in proptest::collection::vec((1usize..5, 1usize..12, 0usize..4), 0..12),
        ) {
            let shared = Lines::new(&text);
            for (line, col, len) in finds {
                for enc in [Encoding::Utf8, Encoding::Utf16] {
                    let alone = Lines::new(&text).char_range(line, col, col + len, enc);
                    proptest::prop_assert_eq!(shared.char_range(line, col, col + len, enc), alone);
                }
            }
        }
    }

    #[test]
    fn file_uris_and_paths() {
        let p = Path::new("/tmp/a b/é#.md");
        let uri = path_to_uri(p);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%A9%23.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        assert_eq!(
            uri_to_path("file://localhost/x/y.md").as_deref(),
            Some(Path::new("/x/y.md"))
        );
        for bad in ["untitled:1", "file://host/x", "file:///%zz", "file:///%ff"] {
            assert_eq!(uri_to_path(bad), None, "{bad}");
        }
    }
}

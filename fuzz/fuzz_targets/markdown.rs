//! Arbitrary UTF-8 through the Markdown layer (`specops::markdown::Document::parse`), checking
//! what must hold for every parse: lines in order and inside the text, classes consistent with
//! the masks (a code or front-matter line is masked, a comment line is masked but for
//! whitespace, a text line has prose outside comments), heading titles and list items inside
//! their lines, comments in order, and `prose(i)` as long as `line_text(i)`.
//! `src/markdown/tests.rs` (`every_parse_is_consistent`) checks the same with proptest.

#![no_main]

use libfuzzer_sys::fuzz_target;
use specops::markdown::{Document, LineClass};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = Document::parse(text);
    let text = doc.text;
    let mut prev_end = None;
    for (i, l) in doc.lines.iter().enumerate() {
        assert!(l.start <= l.end && l.end <= text.len(), "line {i}: {l:?}");
        assert!(prev_end.is_none_or(|e| l.start > e), "line {i} overlaps: {l:?}");
        assert_eq!(doc.line_of(l.start), i);
        prev_end = Some(l.end);
        let line = doc.line_text(i);
        let prose = doc.prose(i);
        assert_eq!(prose.len(), line.len(), "line {i}: {line:?}");
        // Every character of the line is masked, but those `skip` lets through.
        let masked_but = |skip: fn(char) -> bool| {
            line.char_indices()
                .all(|(at, c)| skip(c) || doc.is_masked(l.start + at))
        };
        let ok = match l.class {
            LineClass::Blank => line.trim().is_empty(),
            LineClass::Text => !prose.trim().is_empty(),
            LineClass::Code | LineClass::FrontMatter => masked_but(|_| false),
            LineClass::Comment => masked_but(char::is_whitespace),
        };
        assert!(ok, "line {i} {line:?} is not {:?}", l.class);
        assert_eq!(doc.column(l.start), 1);
        assert!(doc.locate(i + 1, "").is_some());
        let _ = doc.table_row(i);
    }
    for (k, h) in doc.headings.iter().enumerate() {
        let l = doc.lines[h.line];
        assert!(
            l.start <= h.title.start && h.title.start <= h.title.end && h.title.end <= l.end,
            "heading {h:?} outside line {l:?}"
        );
        assert!(k == 0 || doc.headings[k - 1].line < h.line);
        assert!((1..=6).contains(&h.level));
        assert_eq!(l.class, LineClass::Text);
        assert!(doc.section_end(k) > h.line);
    }
    for (k, it) in doc.items.iter().enumerate() {
        let l = doc.lines[it.line];
        let checkbox = it.checkbox.map_or(it.marker, |(at, _)| at);
        assert!(
            l.start <= it.marker && it.marker <= checkbox && checkbox <= it.text && it.text <= l.end,
            "item {it:?} outside line {l:?}"
        );
        assert!(k == 0 || doc.items[k - 1].line < it.line);
        assert_eq!(l.class, LineClass::Text);
        let _ = doc.item_text(it);
    }
    let mut prev = 0;
    for c in doc.comments() {
        assert!(c.start >= prev && c.end >= c.start + 4 && c.end <= text.len(), "comment {c:?}");
        assert!(doc.is_masked(c.start));
        prev = c.end;
    }
});

//! Differential test of the Markdown layer against a CommonMark parser (pulldown-cmark).
//!
//! The layer is a line classifier, not a CommonMark parser, and is allowed to differ from
//! CommonMark in one direction only without saying so: it may call a line prose where
//! CommonMark has code or HTML (a finding too many). A line it calls [`LineClass::Code`],
//! [`LineClass::Comment`] or [`LineClass::FrontMatter`] hides whatever is on it from `check`
//! and `plan`, so CommonMark must agree that the line is code, HTML or metadata, except for the
//! deliberate differences listed in the module doc of [`super`] and the README; each one is
//! encoded below as a named helper that says exactly which lines it excuses.
//!
//! 512 cases run in every `cargo test`; `PROPTEST_CASES=50000 cargo test markdown::oracle`
//! digs deeper. Only CommonMark is compared (no GFM tables), and HTML other than comments is
//! not generated: the layer reads Markdown inside a `<details>` block, which CommonMark does not.

use std::ops::{Range, RangeInclusive};

use proptest::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag};

use super::block;
use super::{Document, LineClass};

/// What CommonMark makes of a text: byte ranges of its code blocks, HTML and metadata.
#[derive(Debug, Default)]
struct CommonMark {
    fenced: Vec<Range<usize>>,
    indented: Vec<Range<usize>>,
    /// HTML blocks and inline HTML comments.
    html: Vec<Range<usize>>,
    /// YAML metadata blocks (front matter).
    metadata: Vec<Range<usize>>,
    /// Inline code spans.
    spans: Vec<Range<usize>>,
}

impl CommonMark {
    /// Parse `text[from..]`; ranges are offsets into `text`. `front_matter`: recognise YAML
    /// metadata blocks. pulldown-cmark recognises them wherever a thematic break could
    /// start, not only at the start of a document, so only the front matter is read with
    /// them on.
    fn parse(text: &str, from: usize, front_matter: bool) -> Self {
        let mut options = Options::empty();
        if front_matter {
            options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
        }
        // pulldown-cmark 0.13 does not take a closing fence followed by a tab for one, which
        // CommonMark does (spec 0.31.2, 4.5, "followed only by spaces or tabs"); a tab at the
        // end of a line is blank everywhere else that matters here, so it reads one as a
        // space (byte for byte: offsets stay).
        let text = trailing_tabs_as_spaces(text);
        let text = text.as_str();
        let mut cm = CommonMark::default();
        for (event, range) in Parser::new_ext(&text[from..], options).into_offset_iter() {
            let range = range.start + from..range.end + from;
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => cm.fenced.push(range),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => cm.indented.push(range),
                Event::Start(Tag::HtmlBlock) => cm.html.push(range),
                Event::InlineHtml(html) if html.starts_with("<!--") => cm.html.push(range),
                Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                    cm.metadata.push(range)
                }
                Event::Code(_) => cm.spans.push(range),
                _ => {}
            }
        }
        cm
    }
}

/// `text` with every tab that only blanks follow on its line replaced by a space.
fn trailing_tabs_as_spaces(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches(['\n', '\r']);
            let content = body.trim_end_matches([' ', '\t']);
            let blank = body[content.len()..].replace('\t', " ");
            format!("{content}{blank}{}", &line[body.len()..])
        })
        .collect()
}

fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().any(|r| r.contains(&at))
}

/// The byte that says which block a line belongs to: its last one (a container's markers come
/// first on a line), or for an empty line the line ending after it.
fn probe(doc: &Document, i: usize) -> usize {
    let l = doc.lines[i];
    if l.end > l.start {
        l.end - 1
    } else {
        l.start
    }
}

/// Check every line of `text` the layer hides against CommonMark; an error names the first
/// line that CommonMark reads as prose. The lines of a block a deliberate difference excuses
/// pass, and since the layer and CommonMark may part ways there for the rest of the text, from
/// the line after such a block on a code or comment line passes when CommonMark hides it in any
/// way (code or HTML), reading the whole text or the text from after the block on its own.
fn agrees(text: &str) -> Result<(), String> {
    let doc = Document::parse(text);
    let start_of = |i: usize| doc.lines.get(i).map_or(doc.text.len(), |l| l.start);
    let first = doc
        .lines
        .iter()
        .take_while(|l| l.class == LineClass::FrontMatter)
        .count();
    if first > 0 {
        let cm = CommonMark::parse(doc.text, 0, true);
        let agree = cm.metadata.first().is_some_and(|m| m.start == 0)
            && (0..first).all(|j| inside(&cm.metadata, probe(&doc, j)));
        if !agree && !front_matter_beyond_pulldown(&doc) {
            return Err(report(&doc, &cm, 0));
        }
    }
    // The rest is read as CommonMark without front matter.
    let mut readings = vec![CommonMark::parse(doc.text, start_of(first), false)];
    let excused = excused_blocks(&doc, &readings[0]);
    for i in first..doc.lines.len() {
        if excused.iter().any(|b| b.end() + 1 == i) {
            readings.push(CommonMark::parse(doc.text, start_of(i), false));
        }
        let class = doc.lines[i].class;
        let parted = readings.len() > 1;
        let hidden = |cm: &CommonMark| match class {
            LineClass::Blank | LineClass::Text => true,
            _ if parted => {
                in_html(&doc, cm, i)
                    || inside(&cm.fenced, probe(&doc, i))
                    || inside(&cm.indented, probe(&doc, i))
            }
            LineClass::Code => inside(&cm.fenced, probe(&doc, i)),
            LineClass::Comment => in_html(&doc, cm, i),
            LineClass::FrontMatter => false,
        };
        if !excused.iter().any(|b| b.contains(&i)) && !readings.iter().any(hidden) {
            return Err(report(&doc, &readings[0], i));
        }
    }
    Ok(())
}

/// Line `i`, which CommonMark reads as prose, and the whole document's classes.
fn report(doc: &Document, cm: &CommonMark, i: usize) -> String {
    let classes: Vec<String> = doc
        .lines
        .iter()
        .enumerate()
        .map(|(j, l)| format!("{j:>3} {:?} {:?}", l.class, doc.line_text(j)))
        .collect();
    format!(
        "line {i} is {:?} but prose in CommonMark\n{}\n{cm:?}",
        doc.lines[i].class,
        classes.join("\n")
    )
}

/// Whether every non-blank byte of line `i` (or, for a blank line, its line ending) is inside
/// an HTML block or an inline HTML comment.
fn in_html(doc: &Document, cm: &CommonMark, i: usize) -> bool {
    let l = doc.lines[i];
    let bytes = doc.text.as_bytes();
    let mut content = (l.start..l.end).filter(|&b| !bytes[b].is_ascii_whitespace());
    let mut any = false;
    let all = content.all(|b| {
        any = true;
        inside(&cm.html, b)
    });
    all && (any || inside(&cm.html, probe(doc, i)))
}

// ---------------------------------------------------------------------------------------------
// The deliberate differences.

/// Deliberate: a fence is a fence, and a comment that starts a line is an HTML block, at any
/// indentation, and a list marker starts a list item wherever it starts a line. The layer does
/// not measure indentation against list items' content columns (four spaces are a nested list
/// item far more often than code in specs), nor ask whether a list may interrupt a paragraph
/// there. So where a fence or comment opens after four or more columns of indentation
/// (CommonMark: an indented code block, or paragraph text), or after an ordered list marker
/// numbered other than 1 (CommonMark: paragraph text when it follows a paragraph), the layer
/// may hide lines CommonMark shows.
fn opened_after_indentation_or_marker(line: &str, at: usize) -> bool {
    let before = &line[..at];
    let deep = before
        .split(|c: char| c != ' ' && c != '\t')
        .any(|gap| block::columns(gap) >= 4);
    let (_, q) = block::quotes(before, usize::MAX);
    let marker = before[q..].trim_start_matches([' ', '\t']);
    let digits = marker.bytes().take_while(u8::is_ascii_digit).count();
    let late = digits > 0
        && matches!(marker.as_bytes().get(digits), Some(b'.' | b')'))
        && marker[..digits].parse::<u32>() != Ok(1);
    deep || late
}

/// The lines of the blocks a deliberate difference excuses: a run of code lines in which a
/// fence was opened as [`opened_after_indentation_or_marker`] describes, and a comment opened
/// that way or [`opened_in_a_crossing_span`].
fn excused_blocks(doc: &Document, cm: &CommonMark) -> Vec<RangeInclusive<usize>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        let run = (i..doc.lines.len())
            .take_while(|&j| doc.lines[j].class == LineClass::Code)
            .count();
        let excused = (i..i + run).any(|j| {
            let line = doc.line_text(j);
            block::opens_fence(line).is_some()
                && opened_after_indentation_or_marker(line, line.find(['`', '~']).unwrap_or(0))
        });
        if excused {
            blocks.push(i..=i + run - 1);
        }
        i += run.max(1);
    }
    for c in doc.comments() {
        let opener = doc.line_of(c.start);
        let at = c.start - doc.lines[opener].start;
        if opened_after_indentation_or_marker(doc.line_text(opener), at)
            || opened_in_a_crossing_span(doc, cm, c.start)
        {
            blocks.push(opener..=doc.line_of(c.end.saturating_sub(1)));
        }
    }
    blocks
}

/// Deliberate: a code span does not cross a line break. Where CommonMark reads `` `a<newline>b
/// <!-- c` `` as one span, the layer sees a lone backtick and then a comment opening, so the
/// lines up to its `-->` are comment. Whether the comment opening at `at` is inside a
/// CommonMark code span that crosses a line.
fn opened_in_a_crossing_span(doc: &Document, cm: &CommonMark, at: usize) -> bool {
    cm.spans
        .iter()
        .any(|s| s.contains(&at) && doc.text[s.clone()].contains('\n'))
}

/// Deliberate: front matter may be empty (`---` right after `---`) or start with a blank
/// line, as static site generators accept; pulldown-cmark's metadata blocks may not.
fn front_matter_beyond_pulldown(doc: &Document) -> bool {
    let second = doc
        .lines
        .get(1)
        .map(|l| doc.text[l.start..l.end].trim_end());
    matches!(second, Some("" | "---" | "..."))
}

// ---------------------------------------------------------------------------------------------
// The generator.

/// Line prefixes: containers and indentation.
const PREFIXES: &[&str] = &[
    "", "", "", "", "", "> ", ">", "> > ", "- ", "* ", "1. ", "2) ", "  ", "   ", "    ", "      ",
    "\t", "  - ", "> - ", "- > ", "1.     ",
];

/// What lines are made of: fences, comments, code spans, headings, list items, tables, text.
const FRAGMENTS: &[&str] = &[
    "```",
    "```",
    "~~~",
    "````",
    "~~~~",
    "```sh",
    "~~~yaml",
    "``` title=\"a b\"",
    "```a`b",
    "``",
    "`",
    "`x`",
    "`<!--`",
    "`` <!-- ` --> ``",
    "<!--",
    "<!--",
    "-->",
    "-->",
    "<!-- c -->",
    "<!-- specops-ignore SO001 -->",
    "<!-->",
    "<!--->",
    "--",
    "# ",
    "## Title",
    "#",
    "- ",
    "- [ ] ",
    "- [x] ",
    "- [~] ",
    "1. ",
    "| a | b |",
    "|---|---|",
    "[NEEDS CLARIFICATION: q]",
    "text",
    "x",
    " ",
    "\t",
    "---",
    "...",
    "***",
    "===",
    "key: value",
    "\\",
    "é",
];

/// One line: a prefix and one to three fragments.
fn line() -> impl Strategy<Value = String> {
    crate::markdown::testgen::line(PREFIXES, FRAGMENTS)
}

/// Markdown: front matter now and then, then lines, joined by LF or CRLF.
pub(super) fn markdown() -> impl Strategy<Value = String> {
    let front = prop_oneof![
        6 => Just(""),
        1 => Just("---\ntitle: x\n---\n"),
        1 => Just("---\n\nk: v\n...\n"),
        1 => Just("---\n---\n"),
        1 => Just("---\n[NEEDS CLARIFICATION: q]\n"),
        1 => Just("---\t\nk: v\n--- \n"),
    ];
    (
        front,
        proptest::collection::vec(line(), 0..16),
        prop_oneof![3 => Just("\n"), 1 => Just("\r\n")],
    )
        .prop_map(|(front, lines, eol)| format!("{front}{}", lines.join(eol)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(512), failure_persistence: None, ..ProptestConfig::default() })]

    /// Every line the layer takes out of the prose is code, HTML or front matter in CommonMark,
    /// except where a deliberate difference says otherwise.
    #[test]
    fn hidden_lines_are_hidden_in_commonmark(text in markdown()) {
        if let Err(e) = agrees(&text) {
            return Err(TestCaseError::fail(format!("{text:?}: {e}")));
        }
    }
}

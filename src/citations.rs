//! Citations: the requirement IDs a file names in its comments (`# IR-003` above a Terraform
//! resource, `// IR-003` in Go, `-- IR-003` in SQL, `<!-- IR-003 -->` in Markdown). A file that
//! cites a requirement says it implements or tests it; `trace` and the rules that follow
//! requirements into the code read these. Pure functions over text: [`crate::inputs`] walks the
//! repository (or the git index) and hands each file's text here.
//!
//! The scan knows no language. It reads every line once, keeping one piece of state between
//! lines (inside a `/* … */` or `<!-- … -->` comment or not), and recognises:
//!
//! | Marker | Comment | Counts when |
//! |---|---|---|
//! | `#` | to the end of the line | it starts the line or follows whitespace (`a#b`, `url/#x` are not comments) |
//! | `//` | to the end of the line | it starts the line or follows whitespace or one of `;{}()[],` (`https://…` is not) |
//! | `--` | to the end of the line | it starts the line or follows whitespace, and is followed by whitespace or the line's end (`--flag` is not) |
//! | `/* … */` | across lines | `/*` starts the line or follows whitespace or one of `;{}()[],`, and a `*/` follows somewhere in the file (`src/**/*.tf` opens nothing) |
//! | `<!-- … -->` | across lines | anywhere, when a `-->` follows somewhere in the file |
//!
//! Outside comments, a string literal on one line (`"…"`, `'…'`, `` `…` ``) hides the markers in
//! it, so `name = "IR-001 # x"` cites nothing; a quote with no closing quote on its line is an
//! ordinary character (`it's`), and a `'` right after a letter or digit never opens a string.
//! Strings that span lines (heredocs, triple quotes) are not followed: a `#` line inside one
//! counts as a comment.
//!
//! Markdown files are read by the Markdown layer, and only their HTML comments cite (a `#` is a
//! heading there, and a fenced example is not a citation); HTML, XML and SVG files cite in
//! `<!-- -->` comments only. See [`scan_file`].
//!
//! An ID is any `[A-Z]+-[0-9]+` token ([`crate::docs::ids_in`]); `IR-001 to IR-004` names the
//! four ([`crate::docs::ids_and_ranges_in`]). Requirement IDs repeat across features, so a
//! citation may name its feature before a `/`: `003/IR-001` or
//! `003-multi-tenant-kubernetes/IR-001` ([`Citation::qualifier`]).

use crate::docs::{ids_and_ranges_in, ids_in, is_id};

/// A requirement ID named in a comment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Citation {
    /// The requirement ID, `IR-001`.
    pub id: String,
    /// The 1-based line it is on.
    pub line: usize,
    /// The feature it names, as written right before a `/` in front of the ID (`003` in
    /// `003/IR-001`, `003-multi-tenant-kubernetes` in `003-multi-tenant-kubernetes/IR-001`).
    /// `None` cites the ID in every feature that defines it. A range's members take its first
    /// end's qualifier. A requirement ID before the `/` is no qualifier (`IR-001/IR-002` cites
    /// both, unqualified).
    pub qualifier: Option<String>,
}

/// The citations in `text` with every comment syntax recognised (see the module
/// documentation), in order of appearance, each (ID, line, qualifier) once.
pub fn scan(text: &str) -> Vec<Citation> {
    scan_with(text, Syntax::Code)
}

/// The citations in the file at `path` (used only for its name): Markdown (`.md`,
/// `.markdown`, `.mdx`) through the Markdown layer, HTML comments only; HTML, XML and SVG
/// (`.html`, `.htm`, `.xhtml`, `.xml`, `.svg`) in `<!-- -->` comments only; anything else
/// through [`scan`].
pub fn scan_file(path: &str, text: &str) -> Vec<Citation> {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "md" | "markdown" | "mdx" => scan_markdown(text),
        "html" | "htm" | "xhtml" | "xml" | "svg" => scan_with(text, Syntax::Markup),
        _ => scan(text),
    }
}

/// Which comment markers a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// Every marker, and string literals.
    Code,
    /// `<!-- -->` only.
    Markup,
}

/// What kind of block comment a line starts inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    C,
    Html,
}

impl Block {
    fn close(self) -> &'static str {
        match self {
            Block::C => "*/",
            Block::Html => "-->",
        }
    }
}

fn scan_with(text: &str, syntax: Syntax) -> Vec<Citation> {
    let mut found = Found::new();
    // A block comment opens only when its closer follows somewhere: the last closer's offset
    // decides that for every opener in one look.
    let last_c = text.rfind("*/");
    let last_html = text.rfind("-->");
    let closes = |block: Block, after: usize| match block {
        Block::C => last_c.is_some_and(|at| at >= after),
        Block::Html => last_html.is_some_and(|at| at >= after),
    };
    let mut block: Option<Block> = None;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (index, range) in crate::markdown::line_ranges(text).enumerate() {
        let number = index + 1;
        let line_start = range.start;
        let line = &text[range];
        // Most lines hold no ID (an ID has a `-`) and open or close no block comment: the
        // block state they leave is the one they found.
        if memchr::memchr(b'-', line.as_bytes()).is_none() {
            let unchanged = match block {
                None => !line.contains("/*"),
                Some(Block::C) => !line.contains("*/"),
                Some(Block::Html) => true,
            };
            if unchanged {
                continue;
            }
        }
        spans.clear();
        block = comment_spans(line, line_start, block, syntax, &closes, &mut spans);
        for &(s, e) in &spans {
            found.push_ids(&line[s..e], number);
        }
    }
    found.out
}

/// Find the comment parts of `line` (at offset `at` in the text), starting inside `block`:
/// push them to `spans` (offsets into the line) and return the block comment the next line
/// starts inside.
fn comment_spans(
    line: &str,
    at: usize,
    mut block: Option<Block>,
    syntax: Syntax,
    closes: &impl Fn(Block, usize) -> bool,
    spans: &mut Vec<(usize, usize)>,
) -> Option<Block> {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        if let Some(open) = block.take() {
            let Some(k) = line[i..].find(open.close()) else {
                spans.push((i, b.len()));
                return Some(open);
            };
            spans.push((i, i + k));
            i += k + open.close().len();
        }
        // Outside comments: look for the next marker or string.
        let loose =
            |i: usize| i == 0 || b[i - 1].is_ascii_whitespace() || b"[](){},;".contains(&b[i - 1]);
        let spaced = |i: usize| i == 0 || b[i - 1].is_ascii_whitespace();
        loop {
            let &c = b.get(i)?;
            let next = b.get(i + 1).copied();
            match (syntax, c) {
                (Syntax::Code, b'"' | b'\'' | b'`') => {
                    let opens = c != b'\'' || i == 0 || !b[i - 1].is_ascii_alphanumeric();
                    match closing_quote(b, i).filter(|_| opens) {
                        Some(close) => i = close + 1,
                        None => i += 1,
                    }
                }
                (Syntax::Code, b'#') if spaced(i) => {
                    spans.push((i + 1, b.len()));
                    return None;
                }
                (Syntax::Code, b'/') if next == Some(b'/') && loose(i) => {
                    spans.push((i + 2, b.len()));
                    return None;
                }
                (Syntax::Code, b'-')
                    if next == Some(b'-')
                        && spaced(i)
                        && b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
                {
                    spans.push((i + 2, b.len()));
                    return None;
                }
                (Syntax::Code, b'/')
                    if next == Some(b'*') && loose(i) && closes(Block::C, at + i + 2) =>
                {
                    block = Some(Block::C);
                    i += 2;
                    break;
                }
                (_, b'<') if line[i..].starts_with("<!--") && closes(Block::Html, at + i + 4) => {
                    block = Some(Block::Html);
                    i += 4;
                    break;
                }
                _ => i += 1,
            }
        }
    }
}

/// Where the string opened by the quote at `open` closes on this line (a backslash escapes the
/// next character in `"` and `'` strings), if it does.
fn closing_quote(b: &[u8], open: usize) -> Option<usize> {
    let quote = b[open];
    let mut j = open + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if quote != b'`' => j += 2,
            c if c == quote => return Some(j),
            _ => j += 1,
        }
    }
    None
}

/// Markdown: the IDs in HTML comments, as the Markdown layer finds them (not in code).
fn scan_markdown(text: &str) -> Vec<Citation> {
    let doc = crate::markdown::Document::parse(text);
    let mut found = Found::new();
    for comment in doc.comments() {
        if ids_in(&doc.text[comment.clone()]).next().is_none() {
            continue;
        }
        let first = doc.line_of(comment.start);
        let last = doc.line_of(comment.end.saturating_sub(1).max(comment.start));
        for i in first..=last {
            let l = doc.lines[i];
            let (s, e) = (comment.start.max(l.start), comment.end.min(l.end));
            if s < e {
                found.push_ids(&doc.text[s..e], i + 1);
            }
        }
    }
    found.out
}

/// The citations of a file as they are found, line by line.
struct Found {
    out: Vec<Citation>,
    /// How many more IDs ranges may write out in this file.
    budget: usize,
    /// The line [`Found::seen`] is about.
    line: usize,
    /// What that line already cites, so that a line naming an ID a hundred thousand times, in
    /// one comment or in many, stays linear.
    seen: std::collections::HashSet<(String, Option<String>)>,
}

impl Found {
    fn new() -> Self {
        Found {
            out: Vec::new(),
            budget: crate::docs::MAX_WRITTEN_OUT,
            line: 0,
            seen: std::collections::HashSet::new(),
        }
    }

    /// Add the IDs in `comment` (part of line `line`; lines come in order), ranges written
    /// out, with their qualifiers, each (ID, qualifier) once a line.
    fn push_ids(&mut self, comment: &str, line: usize) {
        let offset = |id: &str| id.as_ptr() as usize - comment.as_ptr() as usize;
        let tokens: Vec<(&str, Option<&str>)> = ids_in(comment)
            .map(|id| (id, qualifier(comment, offset(id))))
            .collect();
        if tokens.is_empty() {
            return;
        }
        // A token inside the next one's qualifier (`PLAT-123` in `PLAT-123-eks/IR-001`) is
        // part of a feature's name, not a citation.
        let in_qualifier = |j: usize| {
            tokens.get(j + 1).is_some_and(|(next, q)| {
                q.is_some_and(|q| {
                    offset(tokens[j].0) >= offset(q) && offset(tokens[j].0) < offset(next)
                })
            })
        };
        if line != self.line {
            self.line = line;
            self.seen.clear();
        }
        let Found {
            out, budget, seen, ..
        } = self;
        let mut push = |id: &str, qualifier: Option<&str>| {
            if seen.insert((id.to_string(), qualifier.map(str::to_string))) {
                out.push(Citation {
                    id: id.to_string(),
                    line,
                    qualifier: qualifier.map(str::to_string),
                });
            }
        };
        // `ids_and_ranges_in` lists the tokens in order with each range's members after its
        // first end: a name that is not the next token is such a member.
        let mut j = 0;
        for id in ids_and_ranges_in(comment, budget) {
            if tokens.get(j).is_some_and(|(t, _)| *t == id) {
                if !in_qualifier(j) {
                    push(&id, tokens[j].1);
                }
                j += 1;
            } else if let Some(&(_, q)) = j.checked_sub(1).and_then(|k| tokens.get(k)) {
                push(&id, q.or(tokens.get(j).and_then(|t| t.1)));
            }
        }
    }
}

/// The feature named right before the ID at `at` in `text`: the run of `[A-Za-z0-9_-]`
/// before a `/` that touches the ID, unless it is empty or itself a requirement ID.
fn qualifier(text: &str, at: usize) -> Option<&str> {
    let b = text.as_bytes();
    let slash = at.checked_sub(1).filter(|&s| b[s] == b'/')?;
    let len = b[..slash]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        .count();
    let q = &text[slash - len..slash];
    (!q.is_empty() && !is_id(q)).then_some(q)
}

/// The key a feature folder's name starts with: `PLAT-123` in `PLAT-123-eks`,
/// `20261204-120000` in `20261204-120000-eks`, `003` in `003-eks`; empty when there is none.
/// Decided by [`crate::naming::Naming::parse`] with the default ticket pattern.
pub fn feature_key(dir: &str) -> &str {
    crate::naming::Naming::shared()
        .parse(dir)
        .map_or("", |(_, rest)| &dir[..dir.len() - rest.len() - 1])
}

/// Whether the file at `path` (relative, with `/`) is a test, so its citations validate the
/// requirement rather than implement it:
///
/// - a folder on its path is `test`, `tests`, `__tests__`, `spec`, `e2e`, `policy` or
///   `policies` (Terratest, kitchen-terraform, RSpec/ServerSpec, OPA/conftest and Sentinel
///   policy sets), in any case;
/// - or its name is a test by the convention of its language, in any case: `*.tftest.hcl` and
///   any `*.tftest.*` (Terraform's own tests), `*_test.*` (Go, Rego, Python, Terratest),
///   `*_tests.*`, `test_*.py`, `*_spec.*` (Ruby), `*.test.*` and `*.spec.*` (JavaScript and
///   TypeScript), `*.tests.ps1` (Pester), `*.bats`.
pub fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/').filter(|p| !p.is_empty()).peekable();
    let mut name = "";
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            name = part;
        } else if [
            "test",
            "tests",
            "__tests__",
            "spec",
            "e2e",
            "policy",
            "policies",
        ]
        .iter()
        .any(|d| part.eq_ignore_ascii_case(d))
        {
            return true;
        }
    }
    let name = name.to_ascii_lowercase();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || (stem.starts_with("test_") && ext == "py")
        || ext == "bats"
        || [".tftest", ".test", ".spec", ".tests"]
            .iter()
            .any(|mark| stem.ends_with(mark) || stem.contains(&format!("{mark}.")))
}

#[cfg(test)]
mod tests;

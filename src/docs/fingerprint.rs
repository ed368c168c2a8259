//! Fingerprints: short, stable hashes of document text, recorded in an HTML comment so a later
//! `check` can tell what changed after a plan or a task list was derived.
//!
//! The hash is 64-bit FNV-1a over the UTF-8 bytes of the text after normalising it (trimmed,
//! every run of whitespace collapsed to one space). FNV-1a is fully specified, has no seed and no
//! platform dependence, so a fingerprint written by one version on one machine is read the same
//! way by any other. It detects edits; it is not a security measure.

use std::collections::BTreeMap;

use crate::markdown::{Document, LineClass};

/// The marker that starts every fingerprint comment.
pub const MARKER: &str = "specops:fingerprint";

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// `text` trimmed, with every run of whitespace (line breaks included) turned into one space.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 64-bit FNV-1a of `lines` joined by line breaks and [`normalise`]d, computed as it goes
/// (no string is built), and whether they hold any word at all.
fn normalised_hash<'a>(lines: impl IntoIterator<Item = &'a str>) -> (u64, bool) {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(PRIME);
    let mut h = OFFSET;
    // A space is written before a word when whitespace separated it from the word before.
    let (mut words, mut gap) = (false, false);
    for line in lines {
        gap |= words;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !matches!(b, b' ' | b'\t'..=b'\r') {
                if gap {
                    h = step(h, b' ');
                    gap = false;
                }
                h = step(h, b);
                words = true;
                i += 1;
                continue;
            }
            let (width, space) = if b < 0x80 {
                (1, true)
            } else {
                let c = line[i..].chars().next().unwrap_or_default();
                (c.len_utf8(), c.is_whitespace())
            };
            if space {
                gap |= words;
            } else {
                if gap {
                    h = step(h, b' ');
                    gap = false;
                }
                for &b in &bytes[i..i + width] {
                    h = step(h, b);
                }
                words = true;
            }
            i += width;
        }
    }
    (h, words)
}

/// The fingerprint of one requirement's text: the first 8 hex digits of its hash.
pub fn requirement_hash(text: &str) -> String {
    lines_hash([text]).0
}

/// [`requirement_hash`] of `lines` joined by line breaks, and whether they hold any word.
pub fn lines_hash<'a>(lines: impl IntoIterator<Item = &'a str>) -> (String, bool) {
    let (h, words) = normalised_hash(lines);
    (format!("{:08x}", h >> 32), words)
}

/// The fingerprint of a whole document, ignoring its own fingerprint lines: 16 hex digits.
pub fn document_hash(doc: &str) -> String {
    let kept = crate::markdown::line_ranges(doc)
        .map(|r| &doc[r])
        .filter(|l| !l.contains(MARKER));
    format!("{:016x}", normalised_hash(kept).0)
}

/// The comment `plan.md` carries: `<!-- specops:fingerprint spec IR-001=1a2b3c4d … -->`.
pub fn spec_comment(hashes: &BTreeMap<String, String>) -> String {
    let mut s = format!("<!-- {MARKER} spec");
    for (id, h) in hashes {
        s.push_str(&format!(" {id}={h}"));
    }
    s.push_str(" -->");
    s
}

/// The comment `tasks.md` carries: `<!-- specops:fingerprint plan=0123456789abcdef … -->`, the
/// plan's whole-document hash and then one `key=hash` entry per part of the plan (its sections
/// and modules), so that a stale task list can name what changed.
pub fn plan_comment<'a>(hash: &str, parts: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = format!("<!-- {MARKER} plan={hash}");
    for (key, h) in parts {
        s.push_str(&format!(" {key}={h}"));
    }
    s.push_str(" -->");
    s
}

/// A fingerprint read back from a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recorded {
    /// The line of the comment.
    pub line: usize,
    /// Per-requirement hashes (`spec IR-001=…`), or the `plan=…` entry and the plan's parts.
    pub entries: BTreeMap<String, String>,
}

/// The fingerprint of `kind` (`spec` or `plan`) recorded in `doc`, if there is one.
///
/// Only whole-line HTML comments outside code blocks count, so a fingerprint quoted in an
/// example is never read as the real one. When several are present, the last one wins.
pub fn read(doc: &str, kind: &str) -> Option<Recorded> {
    read_lines(&Document::parse(doc), kind)
}

/// [`read`] over a parsed document.
pub fn read_lines(doc: &Document, kind: &str) -> Option<Recorded> {
    let mut found = None;
    for (i, line) in doc.lines.iter().enumerate() {
        if line.class != LineClass::Comment {
            continue;
        }
        let Some(body) = doc
            .line_text(i)
            .trim()
            .strip_prefix("<!--")
            .and_then(|b| b.strip_suffix("-->"))
        else {
            continue;
        };
        let mut words = body.split_whitespace();
        if words.next() != Some(MARKER) {
            continue;
        }
        let mut entries = BTreeMap::new();
        let mut matched = false;
        for w in words {
            if w == kind {
                matched = true;
            } else if let Some((k, v)) = w.split_once('=') {
                if k == kind {
                    matched = true;
                }
                entries.insert(k.to_string(), v.to_string());
            }
        }
        if matched {
            found = Some(Recorded {
                line: i + 1,
                entries,
            });
        }
    }
    found
}

/// `doc` with its fingerprint of `kind` replaced by `comment` (the line that holds it), or
/// with `comment` appended when it has none. Every other byte is kept, line endings included.
pub fn rewrite(doc: &str, kind: &str, comment: &str) -> String {
    let md = Document::parse(doc);
    let Some(recorded) = read_lines(&md, kind) else {
        let mut out = doc.to_string();
        // The document's own line ending (that of its last line), LF when it has none.
        let eol = crate::markdown::line_break_for(doc, doc.len());
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        out.push_str(comment);
        out.push_str(eol);
        return out;
    };
    // Lines as every reader counts them (a bare CR ends one too); offsets past a BOM.
    let bom = doc.len() - md.text.len();
    let line = md.lines[recorded.line - 1];
    let body = &md.text[line.start..line.end];
    let indent = &body[..body.len() - body.trim_start().len()];
    format!(
        "{}{indent}{comment}{}",
        &doc[..bom + line.start],
        &doc[bom + line.end..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_replaces_only_the_fingerprint_line_or_appends_one() {
        let doc = "# Plan\r\nedited by hand\r\n<!-- specops:fingerprint spec IR-001=aaaaaaaa -->\r\ntail\r\n";
        let new = spec_comment(&BTreeMap::from([(
            "IR-001".to_string(),
            "bbbbbbbb".to_string(),
        )]));
        assert_eq!(
            rewrite(doc, "spec", &new),
            "# Plan\r\nedited by hand\r\n<!-- specops:fingerprint spec IR-001=bbbbbbbb -->\r\ntail\r\n"
        );
        assert_eq!(
            rewrite("# Tasks\nno fingerprint", "plan", &plan_comment("0123", [])),
            "# Tasks\nno fingerprint\n<!-- specops:fingerprint plan=0123 -->\n"
        );
        // Lines end at a bare CR too, as the reader counts them: the right line is replaced.
        let mixed = "# Plan\rsummary\n<!-- specops:fingerprint plan=1 -->\n## Notes\n";
        assert_eq!(
            rewrite(mixed, "plan", &plan_comment("2", [])),
            "# Plan\rsummary\n<!-- specops:fingerprint plan=2 -->\n## Notes\n"
        );
        let cr_only = "\u{feff}# Tasks\r- [ ] T001 a\r  <!-- specops:fingerprint plan=1 -->\r";
        assert_eq!(
            rewrite(cr_only, "plan", &plan_comment("2", [])),
            "\u{feff}# Tasks\r- [ ] T001 a\r  <!-- specops:fingerprint plan=2 -->\r"
        );
        assert_eq!(
            rewrite("# Tasks\rno fingerprint", "plan", &plan_comment("3", [])),
            "# Tasks\rno fingerprint\r<!-- specops:fingerprint plan=3 -->\r"
        );
        // A fingerprint quoted in a code block is not the one replaced.
        let quoted = "```\n<!-- specops:fingerprint plan=1 -->\n```\n";
        assert_eq!(
            rewrite(quoted, "plan", &plan_comment("2", [])),
            format!("{quoted}<!-- specops:fingerprint plan=2 -->\n")
        );
    }

    proptest::proptest! {
        /// The hash computed as it goes is the hash of the normalised, joined text: the
        /// fingerprints recorded by earlier versions still match.
        #[test]
        fn hashing_as_it_goes_is_hashing_the_normalised_text(
            lines in proptest::collection::vec("[a \t\r\x0b\x0c\u{85}\u{a0}\u{2003}\u{3000}é€-]{0,12}", 0..5)
        ) {
            let joined = lines.join("\n");
            let expected = fnv1a64(normalise(&joined).as_bytes());
            let (h, words) = normalised_hash(lines.iter().map(String::as_str));
            proptest::prop_assert_eq!(h, expected);
            proptest::prop_assert_eq!(words, !joined.trim().is_empty());
            proptest::prop_assert_eq!(
                requirement_hash(&joined),
                format!("{expected:016x}")[..8].to_string()
            );
        }
    }

    #[test]
    fn fnv1a_known_values() {
        // Reference values of the FNV-1a 64 specification.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn whitespace_does_not_change_a_hash_but_words_do() {
        let a = requirement_hash("The platform MUST  isolate\n  tenants. ");
        assert_eq!(a, requirement_hash("The platform MUST isolate tenants."));
        assert_ne!(a, requirement_hash("The platform MUST isolate tenant."));
        assert_eq!(a.len(), 8);
    }

    #[test]
    fn document_hash_ignores_its_own_fingerprint_line() {
        let a = "# Plan\n\ntext\n<!-- specops:fingerprint spec IR-001=00000000 -->\n";
        let b = "# Plan\n\ntext\n<!-- specops:fingerprint spec IR-001=ffffffff -->\n";
        assert_eq!(document_hash(a), document_hash(b));
        assert_ne!(document_hash(a), document_hash("# Plan\n\ntext!\n"));
        assert_eq!(document_hash(a).len(), 16);
    }

    #[test]
    fn comments_round_trip() {
        let mut m = BTreeMap::new();
        m.insert("IR-001".to_string(), "1a2b3c4d".to_string());
        m.insert("SC-002".to_string(), "00ff00ff".to_string());
        let doc = format!("# Plan\n\nedited by hand\n\n{}\n", spec_comment(&m));
        let r = read(&doc, "spec").unwrap();
        assert_eq!(r.entries, m);
        assert_eq!(r.line, 5);
        assert!(read(&doc, "plan").is_none());
        let t = format!("x\n{}\n", plan_comment("0123456789abcdef", []));
        assert_eq!(
            read(&t, "plan")
                .unwrap()
                .entries
                .get("plan")
                .map(String::as_str),
            Some("0123456789abcdef")
        );
        assert_eq!(
            read(&spec_comment(&BTreeMap::new()), "spec")
                .unwrap()
                .entries
                .len(),
            0
        );
    }

    #[test]
    fn fingerprints_in_code_blocks_or_prose_are_not_read() {
        let doc =
            "```\n<!-- specops:fingerprint plan=aaaa -->\n```\nsee specops:fingerprint plan=bbbb\n";
        assert!(read(doc, "plan").is_none());
    }
}

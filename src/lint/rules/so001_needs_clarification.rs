//! SO001 needs-clarification: an unresolved `[NEEDS CLARIFICATION…]` marker.
//!
//! Finished specs mention the marker all the time ("No [NEEDS CLARIFICATION] markers remain"),
//! so only markers that stand for missing content are findings:
//!
//! - `[NEEDS CLARIFICATION: question]` with a real question is always a finding, and its message
//!   carries the question. A placeholder question (`question`, `specific question`, `...`) is the
//!   template's own guidance quoting the convention, and is not.
//! - a bare `[NEEDS CLARIFICATION]` is a finding only where it stands in for a value: not in a
//!   ticked checklist item, not in quotes, not followed by a word ("… markers remain"), and not
//!   after a word that makes it a mention ("no", "any", "all", "remaining", "unresolved", …).

use std::sync::LazyLock;

use regex::Regex;

use crate::config::Level;
use crate::lint::place::{cut, MAX_QUOTE};
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};
use crate::markdown::Check;

pub(super) struct NeedsClarification;

/// What SO001 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO001",
    name: "needs-clarification",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "an unresolved [NEEDS CLARIFICATION: …] marker",
    explanation:
        "An open question left in a document: a `[NEEDS CLARIFICATION: question]` marker, \
        or a bare `[NEEDS CLARIFICATION]` standing in for a value. A spec with open questions is \
        not ready to plan from, because whatever the plan assumes in their place is a guess. \
        Mentions of the convention (\"No [NEEDS CLARIFICATION] markers remain\", the template's \
        own example question, code and comments) are not findings.",
    fix: "Get the answer from whoever owns the decision and write it in place of the \
        marker; never invent it. An AI assistant's clarify command collects the open questions and \
        asks them.",
    fires: &[(
        "specs/001-backups/spec.md",
        "## Requirements\n\n- **IR-001**: Nightly backups are kept for \
        [NEEDS CLARIFICATION: 30 or 90 days?]\n",
    )],
    passes: &[(
        "specs/001-backups/spec.md",
        "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n\n\
        No [NEEDS CLARIFICATION] markers remain.\n",
    )],
};

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[NEEDS CLARIFICATION").expect("static regex"));

/// Words that, shortly before a bare marker, make the sentence talk about markers.
const MENTION_WORDS: &[&str] = &[
    "no",
    "not",
    "any",
    "all",
    "zero",
    "0",
    "remaining",
    "remain",
    "without",
    "unresolved",
    "resolved",
    "resolve",
    "resolves",
    "resolving",
    "open",
    "outstanding",
    "each",
    "every",
    "mark",
    "marked",
    "marking",
    "flag",
    "flagged",
    "replace",
    "replaced",
    "left",
    "these",
    "those",
    "such",
];

/// Questions that are the template's own example, not a question about this feature.
const PLACEHOLDER_QUESTIONS: &[&str] = &[
    "question",
    "specific question",
    "the specific question",
    "exact question",
    "the exact question",
    "your question",
    "...",
    "…",
    "<question>",
];

impl Rule for NeedsClarification {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, _related: &Related, out: &mut Vec<Finding>) {
        // The brackets of the line being read, paired once for all its markers.
        let mut pairs = Brackets::default();
        for m in MARKER.find_iter(doc.text) {
            if doc.is_masked(m.start()) {
                continue;
            }
            let line = doc.lines[doc.line_of(m.start())];
            pairs.read(doc.text, line.start, line.end);
            // A marker that never closes asks to the end of its line (its trailing blanks
            // aside, which every such marker on the line shares).
            let (end, inner_end) = match pairs.closing(m.start()) {
                Some(end) => (end, end - 1),
                None => (line.end, pairs.content_end.max(m.end())),
            };
            let question = doc.text[m.end()..inner_end]
                .trim_start_matches([':', '-', '–', '—', ' ', '\t'])
                .trim();
            // One line can hold a question of a megabyte: the message quotes its start.
            let mut question = cut(question, MAX_QUOTE);
            let message = if question.is_empty() {
                let ticked = doc
                    .item_at(doc.line_of(m.start()))
                    .is_some_and(|it| it.check() == Some(Check::Done));
                let text = &doc.text[line.start..line.end];
                let (at, after) = (m.start() - line.start, end - line.start);
                if ticked || is_mention(text, at) {
                    continue;
                }
                // `[NEEDS CLARIFICATION] Which region?`: the question follows the marker.
                match question_after(&text[after..]) {
                    Some(q) => {
                        question = cut(q, MAX_QUOTE);
                        format!("unresolved clarification: {q}")
                    }
                    None if followed_by_word(&text[after..]) => continue,
                    None => "unresolved clarification marker (no question written)".to_string(),
                }
            } else {
                if PLACEHOLDER_QUESTIONS.contains(&question.to_lowercase().as_str()) {
                    continue;
                }
                format!("unresolved clarification: {question}")
            };
            out.push(Finding::new(self.index(), m.start(), end, message).about(question));
        }
    }
}

/// The brackets of one line, paired (nested brackets inside a question are its own), so that
/// finding where each of a line's markers closes costs one pass over the line, however many
/// markers it has.
#[derive(Default)]
struct Brackets {
    line_start: Option<usize>,
    /// (offset of a `[`, offset just past its `]`), sorted by the first.
    pairs: Vec<(usize, usize)>,
    /// The end of the line without its trailing blanks.
    content_end: usize,
}

impl Brackets {
    /// Pair the brackets of the line `line_start..line_end` of `text`, unless that is the line
    /// read last.
    fn read(&mut self, text: &str, line_start: usize, line_end: usize) {
        if self.line_start == Some(line_start) {
            return;
        }
        self.line_start = Some(line_start);
        self.pairs.clear();
        let line = &text[line_start..line_end];
        self.content_end = line_start + line.trim_end().len();
        let mut open = Vec::new();
        for (i, b) in line.bytes().enumerate() {
            match b {
                b'[' => open.push(line_start + i),
                b']' => {
                    if let Some(o) = open.pop() {
                        self.pairs.push((o, line_start + i + 1));
                    }
                }
                _ => {}
            }
        }
        self.pairs.sort_unstable();
    }

    /// The offset just past the `]` that closes the `[` at `open`, on the line read last.
    fn closing(&self, open: usize) -> Option<usize> {
        let i = self.pairs.binary_search_by_key(&open, |&(o, _)| o).ok()?;
        Some(self.pairs[i].1)
    }
}

/// The question written after a bare marker on its line (`[NEEDS CLARIFICATION]: how long?`,
/// `[NEEDS CLARIFICATION] Which region?`), up to its question mark.
fn question_after(rest: &str) -> Option<&str> {
    let rest = rest.trim_start_matches([':', '-', '–', '—', ' ', '\t', '*', '_']);
    let end = rest.find('?')?;
    let q = rest[..=end].trim();
    (q.len() > 1).then_some(q)
}

/// Whether a word follows a bare marker ("… markers remain"): then it is a mention.
fn followed_by_word(rest: &str) -> bool {
    rest.trim_start_matches([' ', '*', '_', '"', '\'', '”', '’', '»'])
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// Whether what comes before the bare marker starting at `start` of `line` makes it a mention:
/// a quote, or a mention word among the three words before it (a ticked checklist item is
/// checked by the caller, a word after it by [`followed_by_word`]).
fn is_mention(line: &str, start: usize) -> bool {
    let before = &line[..start];
    if before.ends_with(['"', '\'', '“', '‘', '«', '„']) {
        return true;
    }
    before
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .any(|w| MENTION_WORDS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn found(text: &str) -> Vec<usize> {
        lines(&NeedsClarification, None, text)
    }

    #[test]
    fn a_question_after_a_bare_marker_is_its_question() {
        let f = run(
            &NeedsClarification,
            None,
            "- **RTO**: [NEEDS CLARIFICATION] What is the recovery time objective?\n- **RPO**: [NEEDS CLARIFICATION]: how much data may be lost? See notes.\n- [ ] Are all [NEEDS CLARIFICATION] markers resolved?\nNo [NEEDS CLARIFICATION] markers remain.\n",
        );
        let got: Vec<(usize, &str)> = f.iter().map(|f| (f.0, f.2.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    "unresolved clarification: What is the recovery time objective?"
                ),
                (2, "unresolved clarification: how much data may be lost?"),
            ]
        );
    }

    #[test]
    fn question_markers_carry_the_question() {
        let f = run(
            &NeedsClarification,
            None,
            "- **IR-003**: retain audit records for [NEEDS CLARIFICATION: how long, and who reads them [audit]?].\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].1,
            "[NEEDS CLARIFICATION: how long, and who reads them [audit]?]"
        );
        assert_eq!(
            f[0].2,
            "unresolved clarification: how long, and who reads them [audit]?"
        );
        // Unterminated: to the end of the line.
        let f = run(
            &NeedsClarification,
            None,
            "x [NEEDS CLARIFICATION: which region\nnext\n",
        );
        assert_eq!(f[0].1, "[NEEDS CLARIFICATION: which region");
        // Other separators.
        assert_eq!(found("[NEEDS CLARIFICATION - who owns it?]\n"), [1]);
        // In a ticked item the question is still open.
        assert_eq!(found("- [x] Region: [NEEDS CLARIFICATION: which?]\n"), [1]);
    }

    #[test]
    fn bare_markers_that_stand_for_a_value() {
        let cases = [
            "- **RTO**: [NEEDS CLARIFICATION]\n",
            "| RTO | [NEEDS CLARIFICATION] | hours |\n",
            "- [NEEDS CLARIFICATION]\n",
            "Data is kept for [NEEDS CLARIFICATION].\n",
            "Owner: [NEEDS CLARIFICATION] - ask security\n",
            "[NEEDS CLARIFICATION: ]\n",
        ];
        for text in cases {
            assert_eq!(found(text), [1], "{text}");
        }
    }

    #[test]
    fn mentions_are_not_findings() {
        let cases = [
            "- [x] No [NEEDS CLARIFICATION] markers remain\n",
            "- [X] Requirements testable, no [NEEDS CLARIFICATION] markers\n",
            "No [NEEDS CLARIFICATION] markers remain.\n",
            "✅ **Pass**: Zero [NEEDS CLARIFICATION] left.\n",
            "All requirements testable (no [NEEDS CLARIFICATION])\n",
            "Write open questions as \"[NEEDS CLARIFICATION]\".\n",
            "Resolve the remaining [NEEDS CLARIFICATION] items first.\n",
            "(resolves the open question / [NEEDS CLARIFICATION])\n",
            "1. **Mark all ambiguities**: Use [NEEDS CLARIFICATION: specific question] for any assumption\n",
            "Mark it [NEEDS CLARIFICATION: ...]\n",
            // Code and comments.
            "Use `[NEEDS CLARIFICATION: x]` for open questions.\n",
            "```\n[NEEDS CLARIFICATION: in a fence]\n```\n",
            "~~~md\n- **RTO**: [NEEDS CLARIFICATION]\n",
            "<!-- Write [NEEDS CLARIFICATION: the question]\n  on its own line -->\n",
            "---\nstatus: \"[NEEDS CLARIFICATION: x]\"\n---\n",
            // Lower case is prose, not the marker.
            "this needs clarification: which one?\n",
        ];
        for text in cases {
            assert_eq!(found(text), Vec::<usize>::new(), "{text}");
        }
    }

    #[test]
    fn an_unticked_item_saying_no_markers_remain_is_a_mention_too() {
        // SO002 reports the unticked item itself; SO001 must not report it a second time.
        assert!(found("- [ ] No [NEEDS CLARIFICATION] markers remain\n").is_empty());
        // …but a real marker behind it on the same line is found.
        assert_eq!(
            found("- [ ] No [NEEDS CLARIFICATION] markers remain - [NEEDS CLARIFICATION: tenant ID format?]\n"),
            [1]
        );
    }

    #[test]
    fn crlf_and_bom() {
        let f = run(
            &NeedsClarification,
            None,
            "\u{feff}a\r\nRTO: [NEEDS CLARIFICATION]\r\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, 2);
        assert_eq!(f[0].1, "[NEEDS CLARIFICATION]");
    }
}

//! SO003 template-placeholder: a placeholder of a template left unfilled.
//!
//! The placeholders are the ones our templates use (`templates/PLACEHOLDERS.txt`, embedded, so
//! the list has one home), plus the ones other spec-driven tools' templates leave behind:
//! `[FEATURE NAME]`, `[DATE]`, `[###-feature-name]`, and constitution-style names such as
//! `[PROJECT_NAME]`, `[PRINCIPLE_1_DESCRIPTION]`, `[RATIFICATION_DATE]` (upper-case words joined
//! by underscores, ending in NAME, DATE, VERSION, DESCRIPTION, CONTENT, RULES or TITLE).
//!
//! Avoiding false positives:
//! - other bracketed upper-case text is left alone: real specs use `[P]`, `[US1]`,
//!   `[NEW - CREATE]`, `[REDACTED_IP]` as labels;
//! - a heading whose whole title is a placeholder of ours (`## [OUT OF SCOPE]`) is another
//!   tool's section label, since our templates never title a section that way;
//! - `$ARGUMENTS` is a placeholder only where it stands for the whole value (`"$ARGUMENTS"`,
//!   `Input: $ARGUMENTS`), not in prose about slash commands ("can use $ARGUMENTS");
//! - a bracket followed by `(` or `[` is a link.

use std::sync::LazyLock;

use regex::Regex;

use crate::config::Level;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct TemplatePlaceholder;

/// What SO003 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO003",
    name: "template-placeholder",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "a template placeholder left unfilled ([FEATURE NAME], [DATE], $ARGUMENTS, …)",
    explanation: "Text a template left for the author to replace that is still there: a \
        placeholder of our templates (`templates/PLACEHOLDERS.txt`), one of other spec tools' \
        templates (`[FEATURE NAME]`, `[DATE]`, `[PROJECT_NAME]`, …), or an unreplaced \
        `$ARGUMENTS`. It means a part of the document was never written. Bracketed labels that \
        real specs use (`[P]`, `[US1]`) and links are left alone.",
    fix: "Replace the placeholder with the real content, or delete the line if it does not \
        apply.",
    fires: &[(
        "specs/001-backups/spec.md",
        "# Infrastructure Specification: [FEATURE NAME]\n\n**Created**: [DATE]\n",
    )],
    passes: &[(
        "specs/001-backups/spec.md",
        "# Infrastructure Specification: Nightly backups\n\n**Created**: 2026-12-04\n",
    )],
};

/// The placeholders of our own templates, one per line.
pub(super) const OURS: &str = include_str!("../../../templates/PLACEHOLDERS.txt");

/// Placeholders of other tools' templates, literally.
const OTHERS: &[&str] = &[
    "[FEATURE NAME]",
    "[FEATURE]",
    "[DATE]",
    "[PROJECT NAME]",
    "[link]",
    "[current need]",
];

/// Where `$ARGUMENTS` may be a value: quoted, or alone after a colon or on its line.
fn arguments_is_value(line: &str, start: usize, end: usize) -> bool {
    let before = line[..start].trim_end_matches(['*', '_', ' ']);
    let after = line[end..].trim_start_matches(['*', '_', ' ']);
    let quoted =
        before.ends_with(['"', '\'', '“', '`']) && after.starts_with(['"', '\'', '”', '`']);
    let alone = after.trim().is_empty()
        && (before.ends_with(':')
            || before
                .trim_start_matches([' ', '-', '*', '>', '+'])
                .is_empty());
    quoted || alone
}

/// Every placeholder, anchored: it is only tried where one can start (see [`placeholders`]).
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{})", pattern())).expect("placeholder regex"));

/// The placeholder alternatives, as a regex.
fn pattern() -> String {
    let literals = OURS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .chain(OTHERS.iter().copied())
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join("|");
    // Besides the literals: `$ARGUMENTS`; constitution-style names; spec-kit-style branch
    // names (`[###-feature-name]`); and the example and guidance text templates put in brackets
    // for the author to replace: `[e.g., 4th project]`, `[Extract from feature spec: …]`,
    // `[Gates determined based on constitution file]`, `[why 3 projects insufficient]`.
    format!(
        r"{literals}|\$ARGUMENTS\b|\[[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:NAME|DATE|VERSION|DESCRIPTION|CONTENT|RULES|TITLE)\]|\[###-[a-z-]+\]|\[(?:e\.g\.|Extract from |Gates determined |Additional gates |why )[^\]\n]*\]"
    )
}

/// The placeholders in `text`, leftmost first and not overlapping, as `find_iter` would give
/// them. Every one starts with `[` or `$`, so a memchr scan finds the candidates and the
/// anchored regex runs only there. The regex's own prefilter for this many literals (an
/// Aho-Corasick automaton stepping byte by byte) took a quarter of the CPU time of `check`.
fn placeholders(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(i) = memchr::memchr2(b'[', b'$', &bytes[at..]) {
            let start = at + i;
            match PLACEHOLDER.find(&text[start..]) {
                Some(m) => {
                    at = start + m.end();
                    return Some(start..at);
                }
                None => at = start + 1,
            }
        }
        None
    })
}

impl Rule for TemplatePlaceholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, _related: &Related, out: &mut Vec<Finding>) {
        let bytes = doc.text.as_bytes();
        for m in placeholders(doc.text) {
            if doc.is_masked(m.start) || matches!(bytes.get(m.end), Some(b'(' | b'[')) {
                continue;
            }
            let found = &doc.text[m.clone()];
            let i = doc.line_of(m.start);
            let line = doc.lines[i];
            let (start, end) = (m.start - line.start, m.end - line.start);
            let is_label = || {
                let h = doc.headings.partition_point(|h| h.line < i);
                doc.headings
                    .get(h)
                    .is_some_and(|h| h.line == i && h.title == m)
                    && OURS.lines().any(|l| l.trim() == found)
            };
            if found == "$ARGUMENTS" {
                if !arguments_is_value(doc.line_text(i), start, end) {
                    continue;
                }
            } else if is_label() {
                continue;
            }
            out.push(Finding::new(
                self.index(),
                m.start,
                m.end,
                format!("template placeholder {found} is not filled in"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn found(text: &str) -> Vec<String> {
        run(&TemplatePlaceholder, None, text)
            .into_iter()
            .map(|f| f.1)
            .collect()
    }

    #[test]
    fn our_placeholders_and_other_tools() {
        assert_eq!(
            found(
                "**Created**: [DATE] for [FEATURE NAME]\n- **RTO**: [RTO] and [MONTHLY CEILING]\n"
            ),
            ["[DATE]", "[FEATURE NAME]", "[RTO]", "[MONTHLY CEILING]"]
        );
        assert_eq!(found("Input: \"$ARGUMENTS\"\n"), ["$ARGUMENTS"]);
        assert_eq!(found("**Input**: $ARGUMENTS\n"), ["$ARGUMENTS"]);
        assert_eq!(found("$ARGUMENTS\n"), ["$ARGUMENTS"]);
        assert_eq!(
            found("# [PROJECT_NAME] Constitution\n### [PRINCIPLE_1_NAME]\n[PRINCIPLE_1_DESCRIPTION]\n**Ratified**: [RATIFICATION_DATE]\n"),
            ["[PROJECT_NAME]", "[PRINCIPLE_1_NAME]", "[PRINCIPLE_1_DESCRIPTION]", "[RATIFICATION_DATE]"]
        );
        // A heading that only contains a placeholder among other words is unfilled.
        assert_eq!(
            found("### Scenario 1: [SCENARIO TITLE] (Priority: P1)\n"),
            ["[SCENARIO TITLE]"]
        );
        assert_eq!(found("Branch [###-feature-name]\n"), ["[###-feature-name]"]);
        // The example and guidance rows templates ship for the author to replace.
        assert_eq!(
            found("| [e.g., 4th project] | [current need] | [why 3 projects insufficient] |\n**Spec**: [link] and [###-infrastructure-name]\n[Extract from feature spec: primary requirement]\n[Gates determined based on constitution file]\n"),
            [
                "[e.g., 4th project]",
                "[current need]",
                "[why 3 projects insufficient]",
                "[link]",
                "[###-infrastructure-name]",
                "[Extract from feature spec: primary requirement]",
                "[Gates determined based on constitution file]",
            ]
        );
        // Real text in brackets is not a placeholder.
        assert!(
            found("See [the runbook](x.md) and [why it matters](y.md); [e.g.](z)\n").is_empty()
        );
        assert_eq!(
            run(&TemplatePlaceholder, None, "[DATE]")[0].2,
            "template placeholder [DATE] is not filled in"
        );
    }

    proptest! {
        /// The memchr-and-anchored search finds what the plain regex's `find_iter` finds.
        #[test]
        fn candidates_find_what_the_regex_finds(
            pieces in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(&["[", "]", "$", "$ARGUMENTS", "[DATE]", "[RTO", "[PROJECT_NAME]", "_DATE]", "[FEATURE NAME]", "[###-feature-name]", "é", "x", " ", "\n"][..]).prop_map(str::to_string),
                    "[A-Z_ \\[\\]$]{1,6}",
                ],
                0..24,
            )
        ) {
            let text = pieces.concat();
            static PLAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(&pattern()).unwrap());
            let want: Vec<_> = PLAIN.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(placeholders(&text).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn every_line_of_the_placeholder_file_is_found() {
        for p in OURS.lines().filter(|l| !l.trim().is_empty()) {
            assert_eq!(found(&format!("x {p} y\n")), [p.trim()], "{p}");
        }
    }

    #[test]
    fn labels_links_code_and_comments_are_not_placeholders() {
        let clean = [
            "- [ ] T001 [P] [US1] Create module\n",
            "## [NEW INFRASTRUCTURE - CREATE]\n## [SECURITY]\n## [CI/CD IMPACT]\n",
            "See [DATE](https://example.com/date) and [NAME][ref]\n",
            "`[DATE]` and ``$ARGUMENTS``\n",
            "```\n[FEATURE NAME]\n```\n",
            "<!-- Replace [DATE] -->\n",
            "$ARGUMENTS_FILE and [lower_case] and [A_]\n",
            "[NEEDS CLARIFICATION]\n",
            // Section labels of other tools, redactions, prose about slash commands.
            "## [OUT OF SCOPE]\n- nothing\n",
            "| **Platform** | VPS ([REDACTED_IP]) |\n",
            "| `prompt` | Prompt template (can use $ARGUMENTS) |\n",
            "- Commit message from $ARGUMENTS or generated\n",
        ];
        for text in clean {
            assert!(lines(&TemplatePlaceholder, None, text).is_empty(), "{text}");
        }
    }
}

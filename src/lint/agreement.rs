//! Property test: `check` and `plan` agree on what is open in a spec and its quality checklist.
//!
//! `plan` refuses on the blockers [`super::open_items`] finds in `spec.md` and
//! `checklists/requirements.md` (see `open_items` in `src/commands/plan.rs`); `check` reports
//! SO001 and SO002 through the engine. Over random documents made of markers, mentions of
//! markers, task items in every state, fences, comments, `specops-ignore` directives and block
//! quotes, the two must name the same places (path, line, column), always: a spec `check`
//! passes is one `plan` accepts, and the other way round.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::kinds::Kind;
use super::{Diagnostic, Related};
use crate::markdown;

const SPEC: &str = "specs/001-x/spec.md";
const CHECKLIST: &str = "specs/001-x/checklists/requirements.md";

/// Line prefixes: containers and indentation.
const PREFIXES: &[&str] = &["", "", "", "", "> ", "- ", "  ", "    ", "1. ", "> - "];

/// What open items, and the text that only looks like them, are made of.
const FRAGMENTS: &[&str] = &[
    "[NEEDS CLARIFICATION: which region?]",
    "[NEEDS CLARIFICATION: question]",
    "[NEEDS CLARIFICATION: ",
    "[NEEDS CLARIFICATION]",
    "No [NEEDS CLARIFICATION] markers remain",
    "Zero [NEEDS CLARIFICATION] left.",
    "\"[NEEDS CLARIFICATION]\"",
    "]",
    "- [ ] ",
    "- [ ] ",
    "- [x] ",
    "- [X] ",
    "- [~] ",
    "* [ ] ",
    "1. [ ] ",
    "[ ]",
    "RTO is stated",
    "**RTO**: ",
    "```",
    "~~~",
    "```md",
    "`",
    "`[NEEDS CLARIFICATION: x]`",
    "<!--",
    "-->",
    "<!-- note -->",
    "<!-- specops-ignore -->",
    "<!-- specops-ignore SO001 -->",
    "<!-- specops-ignore SO002 -->",
    "<!-- specops-ignore-file SO001 -->",
    "<!-- specops-ignore-file SO002 -->",
    "## Requirements",
    "# ",
    "| RTO | ",
    " | ",
    "---",
    " ",
    "\t",
    "é",
];

/// One line: a prefix and one to three fragments.
fn line() -> impl Strategy<Value = String> {
    crate::markdown::testgen::line(PREFIXES, FRAGMENTS)
}

/// A document: now and then a byte-order mark or front matter, then lines, joined by LF or
/// CRLF.
fn document() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        8 => Just(""),
        1 => Just("\u{feff}"),
        1 => Just("---\nstatus: \"[NEEDS CLARIFICATION: x]\"\n---\n"),
    ];
    (
        start,
        proptest::collection::vec(line(), 0..16),
        prop_oneof![3 => Just("\n"), 1 => Just("\r\n")],
    )
        .prop_map(|(start, lines, eol)| format!("{start}{}", lines.join(eol)))
}

/// Where a finding is: path, line, column.
type Place = (String, usize, usize);

fn place(d: &Diagnostic) -> Place {
    (d.path.to_string(), d.line, d.column)
}

/// The SO001 and SO002 findings `check` reports for the two documents, with default levels.
fn check_finds(spec: &str, checklist: &str) -> BTreeSet<Place> {
    super::rules::testing::check(&[(SPEC, spec), (CHECKLIST, checklist)])
        .diagnostics
        .iter()
        .filter(|d| matches!(d.rule, "SO001" | "SO002"))
        .map(place)
        .collect()
}

/// The blockers `plan` reports for the two documents, found as `plan` finds them.
fn plan_blockers(spec: &str, checklist: &str) -> BTreeSet<Place> {
    let mut blockers = BTreeSet::new();
    for (path, kind, text) in [
        (SPEC, Kind::Spec, spec),
        (CHECKLIST, Kind::Checklist, checklist),
    ] {
        // `plan` reads a document without its byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let md = markdown::Document::parse(text);
        let doc = super::Document::new(path, Some(kind), &md);
        blockers.extend(
            super::open_items(&doc, &Related::default())
                .iter()
                .map(place),
        );
    }
    blockers
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn check_and_plan_report_the_same_open_items(spec in document(), checklist in document()) {
        let check = check_finds(&spec, &checklist);
        let plan = plan_blockers(&spec, &checklist);
        prop_assert_eq!(&check, &plan, "spec {:?}\nchecklist {:?}", spec, checklist);
    }
}

/// The property holds on something: the documents it generates do have open items, in both
/// files, and suppressed ones.
#[test]
fn open_items_are_found_in_both_documents() {
    let spec = "- **RTO**: [NEEDS CLARIFICATION]\n<!-- specops-ignore SO001 -->\n[NEEDS CLARIFICATION: x]\n";
    let checklist = "- [ ] RTO is stated\n- [x] No [NEEDS CLARIFICATION] markers remain\n";
    let want: BTreeSet<Place> = [(SPEC.to_string(), 1, 12), (CHECKLIST.to_string(), 1, 3)].into();
    assert_eq!(check_finds(spec, checklist), want);
    assert_eq!(plan_blockers(spec, checklist), want);
}

//! Property test of the whole linter (scanner, every rule, diagnostics): random Markdown-ish
//! bytes, linted as each document kind, never panic and only produce diagnostics that point
//! inside the input. The fuzz target `fuzz/fuzz_targets/lint_bytes.rs` checks the same property
//! with coverage guidance; this one runs in every `cargo test`.

use proptest::prelude::*;

use super::engine::lint_bytes;
use super::kinds::Kind;
use super::Levels;

/// One path per document kind, plus a README and a file of no kind.
const PATHS: &[&str] = &[
    "specs/001-x/spec.md",
    "specs/001-x/plan.md",
    "specs/001-x/tasks.md",
    "specs/001-x/research.md",
    "specs/001-x/data-model.md",
    "specs/001-x/quickstart.md",
    "specs/001-x/checklists/x.md",
    "specs/001-x/contracts/api.md",
    "memory/constitution.md",
    "specs/001-x/README.md",
    "notes.md",
];

/// The pieces spec documents are made of, and the ones that trip scanners up.
const FRAGMENTS: &[&str] = &[
    "[NEEDS CLARIFICATION: ",
    "[NEEDS CLARIFICATION]",
    "]",
    "?",
    "```",
    "~~~",
    "<!--",
    "-->",
    "<!-- specops-ignore SO001 -->",
    "specops-ignore-file",
    "- [ ] ",
    "- [x] ",
    "1. ",
    "> ",
    "T001 ",
    "T002",
    "[P] ",
    "[US1] ",
    "IR-001",
    "#",
    "## ",
    "Requirements",
    "Constitution Check",
    "Phase -1 Gates",
    "Complexity Tracking",
    "---",
    "[DATE]",
    "[FEATURE NAME]",
    "$ARGUMENTS",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    " ",
    "\t",
    "é",
    "€",
    "😀",
    "`",
    "|",
    "\\",
];

/// Markdown-ish bytes: fragments, short words and any characters, now and then a byte that is
/// not UTF-8 (and rarely a NUL, which makes the file binary).
fn document() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        2 => "[a-zA-Z0-9 ]{1,8}".prop_map(String::into_bytes),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => prop_oneof![4 => Just(vec![0x92]), 4 => Just(vec![0xe2, 0x82]), 1 => Just(vec![0])],
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|v| v.concat())
}

/// Check every diagnostic of `bytes` linted as `path`; an error names the first bad one.
fn check(path: &str, bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Lines as the linter counts them: split on `\n`, a `\r` before it is not part of the line.
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let kind = Kind::from_path(path, "memory/constitution.md");
    for d in lint_bytes(path, kind, bytes, &Levels::default())
        .into_iter()
        .flatten()
    {
        let Some(line) = d.line.checked_sub(1).and_then(|l| lines.get(l)) else {
            return Err(format!("line {} of {}: {d:?}", d.line, lines.len()));
        };
        let chars = line.chars().count();
        if !(1 <= d.column && d.column <= d.end_column && d.end_column <= chars + 1) {
            return Err(format!("columns on a line of {chars} characters: {d:?}"));
        }
        if d.source.as_deref().is_some_and(|s| s != *line) {
            return Err(format!("source is not line {:?}: {d:?}", line));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn diagnostics_point_inside_the_input(bytes in document()) {
        for path in PATHS {
            if let Err(e) = check(path, &bytes) {
                return Err(TestCaseError::fail(format!("{path}: {e}")));
            }
        }
    }
}

/// Found by fuzzing: a missing section in an empty document was reported at columns 1 to 2 of
/// a line with no characters, one past its end.
#[test]
fn a_finding_on_an_empty_line_is_empty() {
    for text in ["", "\n", "\r\n", "\u{feff}"] {
        let path = "specs/001-x/spec.md";
        let d: Vec<_> = lint_bytes(
            path,
            Kind::from_path(path, ""),
            text.as_bytes(),
            &Levels::default(),
        )
        .into_iter()
        .flatten()
        .collect();
        assert!(!d.is_empty(), "{text:?}");
        for d in d {
            assert_eq!(
                (d.rule, d.line, d.column, d.end_column),
                ("SO004", 1, 1, 1),
                "{text:?}"
            );
        }
    }
}

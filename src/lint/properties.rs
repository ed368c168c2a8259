//! Property test of the whole linter (scanner, every rule, diagnostics): random Markdown-ish
//! bytes, linted as each document kind, never panic and only produce diagnostics that point
//! inside the input. The fuzz target `fuzz/fuzz_targets/lint_bytes.rs` checks the same property
//! with coverage guidance; this one runs in every `cargo test`.

use proptest::prelude::*;

use super::engine::{self, lint_bytes, Input, RelatedSource, Source};
use super::kinds::Kind;
use super::{Diagnostic, Levels};

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
    "- **IR-002**: ",
    "| SC-001 | ",
    " (IR-001, IR-404)",
    "<!-- specops:fingerprint spec IR-001=00000000 IR-009=1 -->",
    "<!-- specops:fingerprint plan=0 -->",
    "#### Simplicity Gate (Article VII)",
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

/// Whole lines a feature's documents are made of, with IDs from a small set so that the
/// documents define, name, miss and fingerprint the same requirements; mixed with noise.
fn feature_document() -> impl Strategy<Value = Vec<u8>> {
    let id = proptest::sample::select(&["IR-001", "IR-002", "NFR-001", "SC-001", "IR-404"][..]);
    let line = prop_oneof![
        2 => (id.clone(), "[a-z ]{0,12}").prop_map(|(id, t)| format!("- **{id}**: {t}")),
        1 => (id.clone(), "[a-z ]{0,12}").prop_map(|(id, t)| format!("| {id} | {t} |")),
        2 => (1..40u32, id.clone(), id.clone())
            .prop_map(|(n, a, b)| format!("- [ ] T{n:03} [P] do it in x/ ({a}, {b})")),
        1 => (id.clone(), "[0-9a-f]{8}")
            .prop_map(|(id, h)| format!("<!-- specops:fingerprint spec {id}={h} -->")),
        1 => "[0-9a-f]{16}".prop_map(|h| format!("<!-- specops:fingerprint plan={h} -->")),
        1 => Just("## Constitution Check".to_string()),
        1 => Just("#### Simplicity Gate (Article VII)".to_string()),
        1 => Just("- [ ] **Article I: Module-First**: modules".to_string()),
        1 => Just("## Complexity Tracking".to_string()),
        1 => Just("| Simplicity Gate | four | why |".to_string()),
        1 => Just("## Requirement Traceability".to_string()),
        2 => document().prop_map(|b| String::from_utf8_lossy(&b).replace('\0', "")),
    ];
    (
        proptest::collection::vec(line, 0..24),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(lines, eol)| lines.join(eol).into_bytes())
}

/// Check every diagnostic of `bytes` linted as `path`; an error names the first bad one.
fn check(path: &str, bytes: &[u8]) -> Result<(), String> {
    let kind = Kind::from_path(path, "memory/constitution.md");
    let found: Vec<Diagnostic> = lint_bytes(path, kind, bytes, &Levels::default())
        .into_iter()
        .flatten()
        .collect();
    check_positions(bytes, &found)
}

/// Whether every diagnostic in `found` points inside `bytes`.
fn check_positions(bytes: &[u8], found: &[Diagnostic]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Lines as the linter counts them.
    let mut lines: Vec<&str> = crate::markdown::line_ranges(text)
        .map(|r| &text[r])
        .collect();
    // After a final line break there is an empty last line, where a finding may sit.
    if text.is_empty() || text.ends_with(['\n', '\r']) {
        lines.push("");
    }
    for d in found {
        let Some(line) = d.line.checked_sub(1).and_then(|l| lines.get(l)) else {
            return Err(format!("line {} of {}: {d:?}", d.line, lines.len()));
        };
        let chars = line.chars().count();
        if !(1 <= d.column && d.column <= d.end_column && d.end_column <= chars + 1) {
            return Err(format!("columns on a line of {chars} characters: {d:?}"));
        }
        if let Some(s) = &d.source {
            if *s.line != **line
                || !line.is_char_boundary(s.start)
                || line[..s.start].chars().count() + 1 != d.column
            {
                return Err(format!(
                    "source is not an excerpt of line {:?}: {d:?}",
                    line
                ));
            }
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same with the cross-document rules (SO006–SO009): a spec, a plan and a task list
    /// of one feature, and a variant's plan, linted together.
    #[test]
    fn cross_document_diagnostics_point_inside_their_input(
        spec in feature_document(),
        plan in feature_document(),
        tasks in feature_document(),
        variant in feature_document(),
    ) {
        let docs = [
            ("specs/001-x/spec.md", spec),
            ("specs/001-x/plan.md", plan),
            ("specs/001-x/tasks.md", tasks),
            ("specs/001-x/variants/v/plan.md", variant),
        ];
        let inputs: Vec<Input> = docs
            .iter()
            .map(|(path, bytes)| Input {
                path: path.to_string(),
                source: Source::Bytes(bytes.clone()),
            })
            .collect();
        let options = engine::Options {
            levels: Levels::default(),
            constitution: "memory/constitution.md".into(),
            related: RelatedSource::Inputs,
            repository: None,
        };
        let report = engine::check(&inputs, &options);
        for (path, bytes) in &docs {
            let found: Vec<Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| &*d.path == *path)
                .cloned()
                .collect();
            if let Err(e) = check_positions(bytes, &found) {
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

//! Running the rules over one document: every enabled rule, then the one finding that replaces
//! another, then suppression comments and severities (through [`super::place`]).

use std::borrow::Cow;

use super::decode::decode;
use super::kinds::Kind;
use super::place::Placer;
use super::{rules, Diagnostic, Document, Finding, Levels, Related};
use crate::markdown;

/// Lint one document's bytes. A binary file is reported, not linted; a file that is not UTF-8
/// is reported and linted with its invalid bytes replaced, so its other findings still show.
pub fn lint_bytes(
    path: &str,
    kind: Option<Kind>,
    bytes: &[u8],
    levels: &Levels,
) -> Vec<Option<Diagnostic>> {
    let (text, problem) = decode(path, Cow::Borrowed(bytes), levels);
    let mut found = vec![problem];
    if let Some(text) = text {
        found.extend(lint_text(path, kind, &text, levels));
    }
    found
}

/// Lint one document's text with every enabled rule, honouring suppression comments.
pub fn lint_text(
    path: &str,
    kind: Option<Kind>,
    text: &str,
    levels: &Levels,
) -> Vec<Option<Diagnostic>> {
    let md = markdown::Document::parse(text);
    lint_document(&Document::new(path, kind, &md), levels, &Related::default())
        .into_iter()
        .map(Some)
        .collect()
}

/// Lint one parsed document with every enabled rule, honouring suppression comments; `related`
/// holds the other documents of its feature.
pub fn lint_document(doc: &Document, levels: &Levels, related: &Related) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    lint_document_into(doc, levels, related, &mut out);
    out
}

/// [`lint_document`], appending to `out`.
pub(super) fn lint_document_into(
    doc: &Document,
    levels: &Levels,
    related: &Related,
    out: &mut Vec<Diagnostic>,
) {
    let mut findings: Vec<Finding> = Vec::new();
    for rule in rules::ALL {
        if levels.enabled(rule.index()) {
            rule.check(doc, related, &mut findings);
        }
    }
    // One finding per spot: a specific rule's finding replaces the one it supersedes (SO009's
    // unjustified gate over SO002's unticked gate on the same checkbox).
    crate::lint::drop_superseded(&mut findings);
    // A document can have millions of findings: no spare capacity while they are placed.
    findings.shrink_to_fit();
    let mut placer = Placer::new(doc, levels);
    out.reserve_exact(findings.len());
    out.extend(findings.into_iter().filter_map(|f| placer.place(f)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Severity;

    fn lint(path: &str, text: &[u8]) -> Vec<Diagnostic> {
        let kind = Kind::from_path(path, "memory/constitution.md");
        lint_bytes(path, kind, text, &Levels::default())
            .into_iter()
            .flatten()
            .collect()
    }

    #[test]
    fn columns_are_characters_and_one_based_with_bom_and_crlf() {
        let d = lint(
            "notes.md",
            "\u{feff}é\r\nÄÖ: [NEEDS CLARIFICATION: ü?]\r\n".as_bytes(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert_eq!(
            d[0].end_column,
            5 + "[NEEDS CLARIFICATION: ü?]".chars().count()
        );
        let source = d[0].source.as_ref().unwrap();
        assert_eq!(&*source.line, "ÄÖ: [NEEDS CLARIFICATION: ü?]");
        assert_eq!(&source.line[source.start..], "[NEEDS CLARIFICATION: ü?]");
    }

    #[test]
    fn binary_and_non_utf8_files() {
        let d = lint("a.md", b"[DATE]\0");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, "SO000");
        assert!(d[0].message.contains("binary"));
        let d = lint("a.md", b"ok\nit\x92s [DATE]\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].rule, "SO000");
        assert!(d[0].message.contains("line 2"), "{}", d[0].message);
        assert_eq!((d[1].rule, d[1].line, d[1].column), ("SO003", 2, 6));
    }

    #[test]
    fn off_rules_do_not_run_and_suppressions_apply() {
        let mut levels = Levels::resolve(&Default::default(), &["SO003=off".to_string()]).unwrap();
        let text = "[DATE] [NEEDS CLARIFICATION: a?]\n<!-- specops-ignore SO001 -->\n[NEEDS CLARIFICATION: b?]\n";
        let d: Vec<_> = lint_text("a.md", None, text, &levels)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            d.iter().map(|d| (d.rule, d.line)).collect::<Vec<_>>(),
            [("SO001", 1)]
        );
        levels = Levels::resolve(&Default::default(), &["SO001=warning".to_string()]).unwrap();
        let d: Vec<_> = lint_text("a.md", None, text, &levels)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            d.iter().map(|d| d.severity).collect::<Vec<_>>(),
            [Severity::Warning, Severity::Error]
        );
    }
}

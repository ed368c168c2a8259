//! SO004 missing-section: a mandatory section of the document's kind is absent or empty.
//!
//! The sections come from [`crate::lint::kinds::KINDS`]. Headings match leniently (case does not
//! matter, and a heading containing the title or one of its alternative words counts). A section
//! written only for our own templates is required only in documents whose title (and, for
//! contracts, our template's metadata line) says they were written from one; the sections every
//! template of the kind has are required in documents written from a template, ours or another
//! tool's (spec-kit's `# Feature Specification`, or sections marked `(mandatory)`). A free-form
//! document (`# Contract: …` with endpoint sections, a spec titled after its feature) is judged
//! only by what its own layout promises, so by none of these. Empty means no content other than blank lines, comments and
//! sub-headings before the next heading of the same or a higher level.

use crate::config::Level;
use crate::lint::kinds::{KindDef, Section};
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};
use crate::markdown::LineClass;

pub(super) struct MissingSection;

/// What SO004 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO004",
    name: "missing-section",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "a mandatory section of the document's kind is absent or empty",
    explanation: "Each kind of document (spec, plan, task list, checklist, constitution, …) has \
        sections its readers and specops rely on, such as a spec's requirements or a plan's \
        Constitution Check. The rule reports a mandatory section whose heading is missing, or that \
        holds nothing but blank lines, comments and sub-headings. Headings match leniently, and a \
        document with fewer than half of its kind's sections is taken for another tool's layout \
        and left alone.",
    fix: "Write the section from what the feature's other documents say; if it truly does \
        not apply, say so in it rather than leaving it empty.",
    fires: &[(
        "specs/001-backups/spec.md",
        "# Infrastructure Specification: Nightly backups\n\n## Deployment Scenarios\n\n\
        1. A database is restored from last night's backup.\n\n## Requirements\n\n\
        - **IR-001**: Nightly backups are kept for 30 days.\n\n## Success Criteria\n\n\
        <!-- to be written -->\n",
    )],
    passes: &[(
        "specs/001-backups/spec.md",
        "# Infrastructure Specification: Nightly backups\n\n## Deployment Scenarios\n\n\
        1. A database is restored from last night's backup.\n\n## Requirements\n\n\
        - **IR-001**: Nightly backups are kept for 30 days.\n\n\
        ## Environments and Topology\n\nProduction only, in eu-west-1.\n\n\
        ## Success Criteria\n\n- A restore takes under one hour.\n",
    )],
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, _related: &Related, out: &mut Vec<Finding>) {
        let Some(kind) = doc.kind else { return };
        let def = kind.def();
        let h1 = doc.headings.iter().position(|h| h.level == 1);
        let title = h1.map(|i| doc.title(&doc.headings[i]));
        let ours = title.is_some_and(|t| titled(t, def.title))
            && def.signature.is_none_or(|sig| doc.text.contains(sig));
        // A document with no heading at all promises no other layout: an unfinished one.
        let templated = ours
            || doc.headings.is_empty()
            || title.is_some_and(|t| def.other_titles.iter().any(|o| titled(t, o)))
            || doc
                .headings
                .iter()
                .any(|h| doc.title(h).to_ascii_lowercase().contains("(mandatory)"));
        let sections: Vec<&Section> = def
            .sections
            .iter()
            .filter(|s| ours || (s.always && templated))
            .collect();
        // A document with fewer than half of its kind's sections (counting every section of
        // the kind, not only those it is held to) is another document that shares the file
        // name (another tool's layout), not one with a section missing.
        let present = def
            .sections
            .iter()
            .filter(|s| {
                doc.headings
                    .iter()
                    .any(|h| h.level > 1 && s.matches(doc.title(h)))
            })
            .count();
        let has_sections = doc.headings.iter().any(|h| h.level > 1);
        if has_sections && present * 2 < def.sections.len() {
            return;
        }
        for section in sections {
            self.section(doc, def, section, h1, out);
        }
    }
}

/// Whether `title` is a template's title `prefix`, alone or followed by punctuation:
/// `Implementation Plan: X`, `Implementation Plan - X`, `Implementation Plan (v2)` and
/// `Implementation Plan` alike, but not `Implementation Planning` or `Research Report`.
fn titled(title: &str, prefix: &str) -> bool {
    let Some(head) = title.get(..prefix.len()) else {
        return false;
    };
    !prefix.is_empty()
        && head.eq_ignore_ascii_case(prefix)
        && title[prefix.len()..]
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

impl MissingSection {
    fn section(
        &self,
        doc: &Document,
        def: &KindDef,
        s: &Section,
        h1: Option<usize>,
        out: &mut Vec<Finding>,
    ) {
        let mut first_empty = None;
        for (i, h) in doc.headings.iter().enumerate() {
            if h.level == 1 || !s.matches(doc.title(h)) {
                continue;
            }
            if has_content(doc, i) {
                return;
            }
            first_empty.get_or_insert(i);
        }
        let (at, message) = match first_empty {
            Some(i) => (
                doc.headings[i].line,
                format!("section \"{}\" is empty", doc.title(&doc.headings[i])),
            ),
            None => (
                h1.map_or(0, |i| doc.headings[i].line),
                format!("the {} has no \"{}\" section", def.kind.name(), s.title),
            ),
        };
        let (start, end) = doc.lines.get(at).map_or((0, 0), |l| (l.start, l.end));
        out.push(Finding::new(self.index(), start, end, message));
    }
}

/// Whether the section of heading `hi` holds anything but blank lines, comments and headings.
fn has_content(doc: &Document, hi: usize) -> bool {
    let start = doc.headings[hi].line + 1;
    let end = doc.section_end(hi);
    let mut headings = doc.headings[hi + 1..].iter().map(|h| h.line).peekable();
    (start..end).any(|l| {
        while headings.next_if(|&h| h < l).is_some() {}
        let is_heading = headings.peek() == Some(&l);
        !is_heading && matches!(doc.lines[l].class, LineClass::Text | LineClass::Code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::kinds::Kind;
    use crate::lint::rules::testing::run;

    fn messages(kind: Kind, text: &str) -> Vec<(usize, String)> {
        run(&MissingSection, Some(kind), text)
            .into_iter()
            .map(|f| (f.0, f.2))
            .collect()
    }

    const FULL_SPEC: &str = "\
# Infrastructure Specification: X

## Deployment Scenarios
### Scenario 1
Text.
## Requirements
- **IR-001**: MUST.
## Environments and Topology
| a | b |
## Success Criteria
- **SC-001**: fast.
";

    #[test]
    fn a_complete_spec_passes() {
        assert!(messages(Kind::Spec, FULL_SPEC).is_empty());
    }

    #[test]
    fn absent_and_empty_sections() {
        let text = FULL_SPEC.replace("## Environments and Topology\n| a | b |\n", "");
        assert_eq!(
            messages(Kind::Spec, &text),
            [(
                1,
                "the spec has no \"Environments and Topology\" section".to_string()
            )]
        );
        // Only a comment, or only an empty sub-heading: empty.
        let text = FULL_SPEC.replace(
            "- **IR-001**: MUST.\n",
            "<!-- fill me -->\n\n### Infrastructure Requirements\n\n",
        );
        assert_eq!(
            messages(Kind::Spec, &text),
            [(6, "section \"Requirements\" is empty".to_string())]
        );
        // Content under a sub-heading counts.
        let text = FULL_SPEC.replace(
            "- **IR-001**: MUST.\n",
            "### Infrastructure Requirements\n- **IR-001**: MUST.\n",
        );
        assert!(messages(Kind::Spec, &text).is_empty());
        // A code block is content.
        let text = FULL_SPEC.replace("- **IR-001**: MUST.\n", "```\nx\n```\n");
        assert!(messages(Kind::Spec, &text).is_empty());
    }

    #[test]
    fn other_tools_headings_are_accepted_and_our_extra_sections_not_required() {
        let text = "\
# Feature Specification: X
## User Scenarios & Testing *(mandatory)*
### User Story 1
Text.
## Requirements *(mandatory)*
- **FR-001**: MUST.
## Success Criteria *(mandatory)*
- **SC-001**: fast.
";
        assert!(messages(Kind::Spec, text).is_empty());
        // The sections every spec needs are still required once the layout is recognisable…
        let text = "# Feature Specification: X\n## User Stories\nText.\n## Requirements\n- a\n";
        assert_eq!(
            messages(Kind::Spec, text),
            [(
                1,
                "the spec has no \"Success Criteria\" section".to_string()
            )]
        );
        // …but a document with under half of them is another tool's layout, not a broken spec.
        let text = "# Feature Specification: X\n## Overview\nText.\n## Problem\nText.\n";
        assert!(messages(Kind::Spec, text).is_empty());
        // Plans of tools that share our title but not our layout.
        let text =
            "# Implementation Plan: X\n## [ARCHITECTURE DECISIONS]\nA.\n## [STRUCTURE]\nB.\n";
        assert!(messages(Kind::Plan, text).is_empty());
        // "Research Report" is not our "Research:" title.
        assert!(messages(Kind::Research, "# Research Report: X\n## Findings\n").is_empty());
        assert_eq!(
            messages(Kind::Research, "# Research: X\n## Decisions\n").len(),
            1
        );
        // Kinds whose headings are all ours are not judged when written by another tool.
        assert!(messages(
            Kind::Quickstart,
            "# Quickstart: X\n## Prerequisites\nText.\n"
        )
        .is_empty());
        assert_eq!(
            messages(
                Kind::Quickstart,
                "# Quickstart and Validation: X\n## Pre-deploy Validation\n1. x\n## Post-deploy Validation\n1. y\n"
            ),
            [(1, "the quickstart has no \"Integration Scenarios\" section".to_string())]
        );
        // The title's punctuation does not matter.
        for title in [
            "Implementation Plan - X",
            "Implementation Plan: X",
            "Implementation Plan",
        ] {
            assert_eq!(
                messages(
                    Kind::Plan,
                    &format!("# {title}\n## Summary\nA.\n## Technical Context\nB.\n<!-- specops:fingerprint spec -->\n")
                )
                .len(),
                1,
                "{title}"
            );
        }
        // A free-form spec (a title of its own, no section marked mandatory) promises none of
        // the template's sections.
        let text = "# 003: Metrics\n## Requirements\n- a\n## Acceptance Criteria\n- b\n";
        assert!(messages(Kind::Spec, text).is_empty());
        // spec-kit's free-form contracts share our title, not our layout.
        let text = "# Contract: Orders API\n## Endpoint\nPOST /orders\n## Request\nJSON.\n## Response\n201.\n";
        assert!(messages(Kind::Contract, text).is_empty());
        let ours = "# Contract: Orders API\n\n**Feature**: `001-x` | **Contract**: `orders-api` | **Date**: 2026-01-01\n\n## Interface\nPOST.\n## Inputs (Args)\nJSON.\n## Outputs (State)\n201.\n";
        assert_eq!(
            messages(Kind::Contract, ours),
            [(1, "the contract has no \"Validation\" section".to_string())]
        );
        // Messages name the document as a reader would. Our task lists carry the plan's
        // fingerprint; another tool's, with our title, are not held to our sections.
        assert_eq!(
            messages(
                Kind::Tasks,
                "# Tasks: X\n## Phase 1: Setup\n- [ ] T001 a\n<!-- specops:fingerprint plan=0 -->\n"
            ),
            [(
                1,
                "the task list has no \"Dependencies\" section".to_string()
            )]
        );
        assert!(messages(Kind::Tasks, "# Tasks: X\n## Phase 1: Setup\n- [ ] T001 a\n").is_empty());
        // A plan another tool wrote from a template like ours is held to its gates, not to our
        // Summary and Technical Context.
        assert!(messages(
            Kind::Plan,
            "# Implementation Plan: X\n## Summary\nA.\n## Constitution Check\nB.\n"
        )
        .is_empty());
        assert_eq!(
            messages(
                Kind::Plan,
                "# Implementation Plan: X\n## Summary\nS.\n## Technical Context\nA.\n## Phase 0\nB.\n"
            ),
            [(
                1,
                "the plan has no \"Constitution Check\" section".to_string()
            )]
        );
    }

    #[test]
    fn an_empty_file_reports_at_the_first_line() {
        let f = run(&MissingSection, Some(Kind::Spec), "");
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].0, 1);
    }

    #[test]
    fn kinds_without_sections_and_unknown_documents_pass() {
        assert!(messages(Kind::Constitution, "# Constitution\n").is_empty());
        assert!(run(&MissingSection, None, "# Notes\n").is_empty());
    }
}

//! One module per rule, each holding the rule's [`RuleMeta`](super::RuleMeta) (ID, name,
//! default severity, scope, what it supersedes, documentation) beside its check, and [`ALL`],
//! the registry everything else derives from. Adding a rule: write `soNNN_name.rs` with a
//! `META` and a [`Rule`] implementation, and add its line to [`ALL`].

mod so000_unreadable_file;
mod so001_needs_clarification;
mod so002_unchecked_item;
mod so003_template_placeholder;
mod so004_missing_section;
mod so005_task_format;
mod so006_untraced_requirement;
mod so007_unknown_reference;
mod so008_stale_derivation;
mod so009_unjustified_gate;

use super::Rule;

/// Every rule, in ID order: the one list of rules. Each runs on every document unless its
/// severity is `off`; [`crate::lint::RULES`], rule lookup by ID or name and the default
/// severities derive from it.
pub static ALL: &[&dyn Rule] = &[
    &so000_unreadable_file::UnreadableFile,
    &so001_needs_clarification::NeedsClarification,
    &so002_unchecked_item::UncheckedItem,
    &so003_template_placeholder::TemplatePlaceholder,
    &so004_missing_section::MissingSection,
    &so005_task_format::TaskFormat,
    &so006_untraced_requirement::UntracedRequirement,
    &so007_unknown_reference::UnknownReference,
    &so008_stale_derivation::StaleDerivation,
    &so009_unjustified_gate::UnjustifiedGate,
];

/// Test helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::lint::kinds::Kind;
    use crate::lint::{Document, Finding, Related, Rule};

    /// Run `rule` on `text` as a document of `kind`; return (1-based line, marked text, message).
    pub fn run(rule: &dyn Rule, kind: Option<Kind>, text: &str) -> Vec<(usize, String, String)> {
        run_related(rule, kind, text, &Related::default())
    }

    /// [`run`], with the other documents of the feature.
    pub fn run_related(
        rule: &dyn Rule,
        kind: Option<Kind>,
        text: &str,
        related: &Related,
    ) -> Vec<(usize, String, String)> {
        let md = crate::markdown::Document::parse(text);
        let doc = Document::new("x.md", kind, &md);
        let mut out: Vec<Finding> = Vec::new();
        rule.check(&doc, related, &mut out);
        out.into_iter()
            .map(|f| {
                (
                    doc.line_of(f.start) + 1,
                    doc.text[f.start..f.end].to_string(),
                    f.message,
                )
            })
            .collect()
    }

    /// The 1-based lines `rule` reports in `text`.
    pub fn lines(rule: &dyn Rule, kind: Option<Kind>, text: &str) -> Vec<usize> {
        run(rule, kind, text).into_iter().map(|f| f.0).collect()
    }
}

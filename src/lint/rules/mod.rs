//! One module per rule. Adding a rule: write `soNNN_name.rs` implementing [`Rule`], add its
//! metadata to [`crate::lint::RULES`] and one line to [`ALL`].

mod so001_needs_clarification;
mod so002_unchecked_item;
mod so003_template_placeholder;
mod so004_missing_section;
mod so005_task_format;

use super::Rule;

/// Every implemented rule, run on every document (unless its severity is `off`).
/// SO006–SO009 need the document model of a whole feature and are not implemented yet.
pub static ALL: &[&dyn Rule] = &[
    &so001_needs_clarification::NeedsClarification,
    &so002_unchecked_item::UncheckedItem,
    &so003_template_placeholder::TemplatePlaceholder,
    &so004_missing_section::MissingSection,
    &so005_task_format::TaskFormat,
];

/// Test helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::lint::kinds::Kind;
    use crate::lint::{Document, Finding, Rule};

    /// Run `rule` on `text` as a document of `kind`; return (1-based line, marked text, message).
    pub fn run(rule: &dyn Rule, kind: Option<Kind>, text: &str) -> Vec<(usize, String, String)> {
        let doc = Document::parse("x.md", kind, text);
        let mut out: Vec<Finding> = Vec::new();
        rule.check(&doc, &mut out);
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

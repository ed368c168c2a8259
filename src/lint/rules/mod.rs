//! One module per rule, each holding the rule's [`RuleMeta`](super::RuleMeta) (ID, name,
//! default severity, scope, what it supersedes, documentation) beside its check, and [`ALL`],
//! the registry everything else derives from. Adding a rule: write `soNNN_name.rs` with a
//! `META` and a [`Rule`] implementation, and add its line to [`ALL`]. The tests below fail until
//! the rules table in docs/commands.md and the check prompt (`templates/commands/check.md.j2`)
//! name it, and (tests/cli/rule.rs) until docs/rules.md is regenerated.

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
mod so010_empty_traceability;
mod so011_done_without_artifact;
mod so012_stale_done_task;
mod so013_unimplemented_requirement;

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
    &so010_empty_traceability::EmptyTraceability,
    &so011_done_without_artifact::DoneWithoutArtifact,
    &so012_stale_done_task::StaleDoneTask,
    &so013_unimplemented_requirement::UnimplementedRequirement,
];

/// Test helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::lint::engine::{
        self, CheckReport, Input, Options, RelatedSource, Repository, Source,
    };
    use crate::lint::kinds::Kind;
    use crate::lint::{Document, Finding, Levels, Related, Rule};

    /// Run `rule` on `text` as a document of `kind`; return (1-based line, marked text, message).
    pub(crate) fn run(
        rule: &dyn Rule,
        kind: Option<Kind>,
        text: &str,
    ) -> Vec<(usize, String, String)> {
        run_related(rule, kind, text, &Related::default())
    }

    /// [`run`], with the other documents of the feature.
    pub(crate) fn run_related(
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

    /// What `check` reports in `files` ((path, content) pairs), linted by the engine as `check`
    /// lints a repository, with every rule at its default severity: the Markdown files under
    /// `specs/` and `memory/` are the documents, and every file is in the repository the rules
    /// ask about (which paths exist, which requirements a comment cites).
    pub(crate) fn check(files: &[(&str, &str)]) -> CheckReport {
        let is_document = |path: &str| {
            (path.starts_with("specs/") || path.starts_with("memory/")) && path.ends_with(".md")
        };
        let inputs: Vec<Input> = files
            .iter()
            .filter(|(path, _)| is_document(path))
            .map(|(path, text)| Input {
                path: path.to_string(),
                source: Source::Bytes(text.as_bytes().to_vec()),
            })
            .collect();
        let paths: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        let citations: Vec<crate::citations::Citation> = files
            .iter()
            .filter(|(path, _)| !is_document(path))
            .flat_map(|(path, text)| crate::citations::scan_file(path, text))
            .collect();
        let repository = Repository {
            exists: Box::new(move |p| {
                paths
                    .iter()
                    .any(|f| f == p || (p.ends_with('/') && f.starts_with(p)))
            }),
            cited: Some(Box::new(move |feature, id| {
                citations.iter().any(|c| {
                    c.id == id
                        && c.qualifier
                            .as_deref()
                            .is_none_or(|q| crate::inputs::citations::qualifier_names(q, feature))
                })
            })),
        };
        let options = Options {
            levels: Levels::default(),
            constitution: "memory/constitution.md".into(),
            related: RelatedSource::Inputs,
            repository: Some(repository),
        };
        engine::check(&inputs, &options)
    }

    /// The 1-based lines `rule` reports in `text`.
    pub(crate) fn lines(rule: &dyn Rule, kind: Option<Kind>, text: &str) -> Vec<usize> {
        run(rule, kind, text).into_iter().map(|f| f.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;

    use crate::lint::{rule_index, Example, RuleMeta, RULES};

    const README: &str = include_str!("../../../docs/commands.md");
    const CHECK_PROMPT: &str = include_str!("../../../templates/commands/check.md.j2");

    /// Rules the check prompt leaves out on purpose, with the reason.
    /// Rules the check prompt need not advise on (none today; say why when adding one).
    const NOT_IN_PROMPT: &[&str] = &[];

    static RULE_ID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bSO\d{3}\b").expect("static regex"));

    fn default(r: &RuleMeta) -> String {
        serde_json::to_value(r.default)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The README's rules table under `specops check`: (ID, name, default) per row.
    fn readme_table() -> Vec<(String, String, String)> {
        let mut lines = README
            .lines()
            .skip_while(|l| !l.starts_with("| ID | name | default |"));
        assert!(
            lines.next().is_some(),
            "docs/commands.md has no rules table"
        );
        lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells[1].into(), cells[2].into(), cells[3].into())
            })
            .collect()
    }

    #[test]
    fn the_readme_rules_table_lists_every_rule_with_its_default() {
        let table = readme_table();
        for (i, r) in RULES.iter().enumerate() {
            let want = (r.id.to_string(), r.name.to_string(), default(r));
            assert_eq!(
                table.get(i),
                Some(&want),
                "docs/commands.md's rules table (under `specops check`) needs the row \
                 `| {} | {} | {} | … |`, in ID order",
                want.0,
                want.1,
                want.2
            );
        }
        assert_eq!(
            table.len(),
            RULES.len(),
            "docs/commands.md's rules table has rows for rules that are not registered"
        );
    }

    /// The rules `check` reports in an example's documents.
    fn rules_reported(example: Example) -> Vec<&'static str> {
        super::testing::check(example)
            .diagnostics
            .iter()
            .map(|d| d.rule)
            .collect()
    }

    #[test]
    fn each_rule_fires_on_its_example_and_not_on_the_example_put_right() {
        for r in RULES.iter() {
            assert!(!r.fires.is_empty() && !r.passes.is_empty(), "{}", r.id);
            let fired = rules_reported(r.fires);
            assert!(
                fired.contains(&r.id),
                "{}'s page says its `fires` example fires it, but check reports {fired:?}",
                r.id
            );
            let passed = rules_reported(r.passes);
            assert!(
                !passed.contains(&r.id),
                "{}'s page says its `passes` example does not fire it, but check reports it",
                r.id
            );
        }
    }

    #[test]
    fn the_check_prompt_advises_on_every_rule() {
        for r in RULES.iter() {
            let entry = format!("- {} {}:", r.id, r.name);
            if NOT_IN_PROMPT.contains(&r.id) {
                assert!(
                    !CHECK_PROMPT.contains(&entry),
                    "the check prompt advises on {} now: remove it from NOT_IN_PROMPT",
                    r.id
                );
            } else {
                assert!(
                    CHECK_PROMPT.contains(&entry),
                    "templates/commands/check.md.j2 must say how to handle {} findings, as \
                     `{entry} …` under step 2",
                    r.id
                );
            }
        }
    }

    #[test]
    fn the_readme_and_the_prompt_name_only_registered_rules() {
        for (file, text) in [("docs/commands.md", README), ("check.md.j2", CHECK_PROMPT)] {
            for id in RULE_ID.find_iter(text) {
                assert!(
                    rule_index(id.as_str()).is_some(),
                    "{file} names {}, which is not a rule",
                    id.as_str()
                );
            }
        }
    }
}

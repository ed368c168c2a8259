//! SO008 stale-derivation: the spec changed after the plan was made (the plan's fingerprint of
//! each requirement no longer matches: the message names exactly the requirements that changed,
//! were added or were removed), or the plan changed after the tasks were derived. Reported on
//! the fingerprint comment of the document that is out of date. Documents without a
//! fingerprint (written by hand) are never stale.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct StaleDerivation;

/// What SO008 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO008",
    name: "stale-derivation",
    default: Level::Warning,
    scope: Scope::Feature,
    supersedes: None,
    summary: "the spec changed after the plan was made, or the plan after the tasks",
    explanation: "`specops plan` and `specops tasks` record a fingerprint of what they derived \
        from. When the spec's requirements changed since the plan was made (the message names \
        exactly the requirements changed, added or removed), or the plan changed since the tasks \
        were derived (the message names the sections and modules of the plan that changed, \
        for task lists derived by this version), the derived document may no longer match; the finding sits on its \
        fingerprint comment. A document without a fingerprint (written by hand) is never stale.",
    fix: "Update the plan (or the tasks) for the named changes, then record that with \
        `specops plan --refresh` (or `specops tasks --refresh`); or derive it again with \
        `--force`, which rewrites it. Never edit the fingerprint comment by hand.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 90 days.\n",
        ),
        (
            "specs/001-backups/plan.md",
            "<!-- specops:fingerprint spec IR-001=f11d0f2f -->\n\n## Summary\n\n\
            A backup vault with a retention rule.\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 90 days.\n",
        ),
        (
            "specs/001-backups/plan.md",
            "<!-- specops:fingerprint spec IR-001=acf6d01d -->\n\n## Summary\n\n\
            A backup vault with a retention rule.\n",
        ),
    ],
};

/// The text a fingerprint comment starts with, to place the caret.
const FINGERPRINT: &str = "specops:fingerprint";

impl Rule for StaleDerivation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (line, message) = match doc.kind {
            Some(Kind::Plan) => {
                let (Some(spec), Some((_, plan))) = (related.spec, related.plan) else {
                    return;
                };
                let stale = trace::stale_requirements(spec, plan);
                let Some(recorded) = plan.fingerprint.as_ref().filter(|_| !stale.is_empty()) else {
                    return;
                };
                let parts =
                    trace::describe_changes(stale.iter().map(|s| (s.change, s.id.as_str())));
                (
                    recorded.line,
                    format!(
                        "the spec changed since this plan was made ({parts}); update the plan for them and run `specops plan --refresh`, or re-derive it with `specops plan --force`"
                    ),
                )
            }
            Some(Kind::Tasks) => {
                let (Some((plan_text, plan)), Some(tasks)) = (related.plan, related.tasks) else {
                    return;
                };
                let Some(line) = trace::stale_plan(plan_text, tasks) else {
                    return;
                };
                let changes = trace::plan_changes(plan, tasks);
                let what =
                    trace::describe_changes(changes.iter().map(|c| (c.change, c.title.as_str())));
                let what = if what.is_empty() {
                    String::new()
                } else {
                    format!(" ({what})")
                };
                (
                    line,
                    format!("plan.md changed since these tasks were derived{what}; update the tasks and run `specops tasks --refresh`, or re-derive them with `specops tasks --force`"),
                )
            }
            _ => return,
        };
        out.extend(Finding::at(self.index(), doc, line, FINGERPRINT, message));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::docs::fingerprint::{self, requirement_hash};
    use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
    use crate::lint::rules::testing::run_related;

    const SPEC: &str = "- **IR-001**: a\n- **IR-002**: b\n- **SC-001**: c\n";

    fn plan_for(spec: &str) -> String {
        let hashes: BTreeMap<String, String> = Spec::parse(&crate::markdown::Document::parse(spec))
            .requirements
            .iter()
            .map(|r| (r.id.clone(), requirement_hash(&r.text)))
            .collect();
        format!("# Plan\n\nbody\n{}\n", fingerprint::spec_comment(&hashes))
    }

    #[test]
    fn a_plan_names_exactly_the_requirements_that_moved() {
        let plan_doc = plan_for(SPEC);
        let plan = Plan::parse(&crate::markdown::Document::parse(&plan_doc));
        let fresh = Spec::parse(&crate::markdown::Document::parse(SPEC));
        let related = Related {
            spec: Some(&fresh),
            plan: Some((&plan_doc, &plan)),
            tasks: None,
            repository: None,
        };
        assert!(run_related(&StaleDerivation, Some(Kind::Plan), &plan_doc, &related).is_empty());
        let edited = Spec::parse(&crate::markdown::Document::parse(
            "- **IR-001**: a, changed\n- **IR-002**: b\n- **NFR-001**: new\n",
        ));
        let related = Related {
            spec: Some(&edited),
            ..related
        };
        let found = run_related(&StaleDerivation, Some(Kind::Plan), &plan_doc, &related);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (4, FINGERPRINT));
        assert!(
            found[0]
                .2
                .contains("(changed IR-001; added NFR-001; removed SC-001)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn tasks_are_stale_when_the_plan_body_changed() {
        let plan_doc = plan_for(SPEC);
        let tasks_doc = format!(
            "# Tasks\n- [ ] T001 a in x (IR-001)\n{}\n",
            fingerprint::plan_comment(&fingerprint::document_hash(&plan_doc), [])
        );
        let tasks = Tasks::parse(&crate::markdown::Document::parse(&tasks_doc));
        let plan = Plan::parse(&crate::markdown::Document::parse(&plan_doc));
        let related = Related {
            spec: None,
            plan: Some((&plan_doc, &plan)),
            tasks: Some(&tasks),
            repository: None,
        };
        assert!(run_related(&StaleDerivation, Some(Kind::Tasks), &tasks_doc, &related).is_empty());
        let edited = plan_doc.replace("body", "edited body");
        let related = Related {
            plan: Some((&edited, &plan)),
            ..related
        };
        let found = run_related(&StaleDerivation, Some(Kind::Tasks), &tasks_doc, &related);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3);
        assert!(found[0].2.starts_with("plan.md changed"), "{}", found[0].2);
    }

    #[test]
    fn a_stale_task_list_names_the_sections_and_modules_that_moved() {
        let plan_doc = "# Plan\n\n## Technical Context\n\nEKS.\n\n## Modules\n\n- **dns** (IR-001): zone\n- **vault** (IR-002): backups\n\n## Phases\n\nOne.\n";
        let plan = Plan::parse(&crate::markdown::Document::parse(plan_doc));
        let tasks_doc = format!(
            "# Tasks\n- [ ] T001 a in x (IR-001)\n{}\n",
            plan.tasks_fingerprint(plan_doc)
        );
        let tasks = Tasks::parse(&crate::markdown::Document::parse(&tasks_doc));
        let stale = |edited: &str| {
            let plan = Plan::parse(&crate::markdown::Document::parse(edited));
            let related = Related {
                spec: None,
                plan: Some((edited, &plan)),
                tasks: Some(&tasks),
                repository: None,
            };
            run_related(&StaleDerivation, Some(Kind::Tasks), &tasks_doc, &related)
                .into_iter()
                .map(|f| f.2)
                .collect::<Vec<_>>()
        };
        assert!(stale(plan_doc).is_empty());
        let edited = plan_doc
            .replace("EKS.", "EKS and Karpenter.")
            .replace(
                "- **dns** (IR-001): zone",
                "- **dns** (IR-001, IR-003): zone",
            )
            .replace(
                "- **vault** (IR-002): backups\n",
                "- **dr-runbook** (IR-002): failover\n",
            );
        let found = stale(&edited);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("(changed Technical Context, module dns; added module dr-runbook; removed module vault)"),
            "{}",
            found[0]
        );
        // Whitespace alone is no change, and neither part nor document moves.
        assert!(stale(&plan_doc.replace("One.", "One.  ")).is_empty());
    }
}

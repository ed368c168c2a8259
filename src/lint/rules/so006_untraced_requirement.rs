//! SO006 untraced-requirement: a requirement of the spec that no task of the feature's
//! `tasks.md` serves. Reported in the spec, on the requirement's definition, so the annotation
//! lands where the requirement is written; nothing is reported before `tasks.md` exists, and a
//! requirement marked "Withdrawn" needs no task.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct UntracedRequirement;

/// What SO006 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO006",
    name: "untraced-requirement",
    default: Level::Warning,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a requirement of the spec that no task serves",
    explanation: "A requirement of `spec.md` that no task of the feature's `tasks.md` names, \
        reported on the requirement's definition: a requirement no task serves is likely to be \
        left unbuilt. Nothing is reported before `tasks.md` exists, for a task list that names \
        none of the spec's requirements (it does not trace them), or for a requirement marked \
        Withdrawn.",
    fix: "Link the requirement where the work is decided: add its ID to the `**Requirements**:` \
        line of the scenario that delivers it, or to the module that serves it in plan.md's \
        `## Modules`, then derive the tasks again (`specops tasks --force`). In a task list \
        written by hand, add the ID to the task that serves it (`(IR-003)` at the end of its \
        line). Mark the requirement Withdrawn if it no longer applies.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n\
            - **IR-002**: Backups are copied to a second region.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [ ] T001 Create the backup vault in modules/backup/main.tf (IR-001)\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n\
            - **IR-002**: Backups are copied to a second region.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [ ] T001 Create the backup vault in modules/backup/main.tf (IR-001)\n\
            - [ ] T002 Add the copy rule in modules/backup/copy.tf (IR-002)\n",
        ),
    ],
};

impl Rule for UntracedRequirement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Spec), Some(spec), Some(tasks)) = (doc.kind, related.spec, related.tasks)
        else {
            return;
        };
        out.extend(trace::untraced(spec, tasks).into_iter().filter_map(|r| {
            let message = format!(
                "requirement {} is served by no task in tasks.md; link it from a scenario's **Requirements** line or a module in plan.md's ## Modules and run `specops tasks --force`, or mark it Withdrawn",
                r.id
            );
            Finding::at(self.index(), doc, r.line, &r.id, message)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{spec::Spec, tasks::Tasks};
    use crate::lint::rules::testing::run_related;

    const SPEC: &str =
        "# Spec\n## Requirements\n- **IR-001**: a\n- **IR-002**: b\n- **IR-003**: Withdrawn.\n";

    #[test]
    fn reports_requirements_no_task_names_on_their_definition() {
        let spec = Spec::parse(&crate::markdown::Document::parse(SPEC));
        let tasks = Tasks::parse(&crate::markdown::Document::parse(
            "- [ ] T001 a in x (IR-001)\n",
        ));
        let related = Related {
            spec: Some(&spec),
            tasks: Some(&tasks),
            ..Related::default()
        };
        let found = run_related(&UntracedRequirement, Some(Kind::Spec), SPEC, &related);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (4, "IR-002"));
        assert!(found[0].2.contains("IR-002"), "{}", found[0].2);
    }

    #[test]
    fn says_nothing_without_a_tracing_task_list_or_in_other_documents() {
        let spec = Spec::parse(&crate::markdown::Document::parse(SPEC));
        let no_tasks = Related {
            spec: Some(&spec),
            ..Related::default()
        };
        assert!(run_related(&UntracedRequirement, Some(Kind::Spec), SPEC, &no_tasks).is_empty());
        // A list that names no requirement of the spec does not trace requirements.
        let untracing = Tasks::parse(&crate::markdown::Document::parse(
            "- [ ] T001 Set up in x\n- [ ] T002 b in y\n",
        ));
        let related = Related {
            spec: Some(&spec),
            tasks: Some(&untracing),
            ..Related::default()
        };
        assert!(run_related(&UntracedRequirement, Some(Kind::Spec), SPEC, &related).is_empty());
        let tracing = Tasks::parse(&crate::markdown::Document::parse(
            "- [ ] T001 a in x (IR-001)\n",
        ));
        let related = Related {
            spec: Some(&spec),
            tasks: Some(&tracing),
            ..Related::default()
        };
        assert!(run_related(&UntracedRequirement, Some(Kind::Plan), SPEC, &related).is_empty());
    }
}

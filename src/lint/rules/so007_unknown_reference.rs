//! SO007 unknown-reference: a task (in `tasks.md`) or a Requirement Traceability row (in
//! `plan.md`) names a requirement ID that the feature's spec does not define. Typically a typo,
//! or a requirement renumbered or deleted in the spec after the plan was made.

use crate::config::Level;
use crate::docs::trace::{self, IdAt};
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct UnknownReference;

/// What SO007 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO007",
    name: "unknown-reference",
    default: Level::Error,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a task or plan row names a requirement ID the spec does not have",
    explanation: "A task in `tasks.md`, a Requirement Traceability row in `plan.md`, or a module \
        of the plan's `## Modules` names a requirement ID that the feature's spec does not \
        define: typically a typo, or a requirement renumbered or deleted in the spec after the \
        plan was made. The trace from requirements to work is then wrong (and `tasks` would \
        drop a module's unknown ID).",
    fix: "Correct the ID to the requirement the task or row serves, or remove it; never \
        add a requirement to the spec only to silence the finding.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [ ] T001 Create the backup vault in modules/backup/main.tf (IR-010)\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [ ] T001 Create the backup vault in modules/backup/main.tf (IR-001)\n",
        ),
    ],
};

impl Rule for UnknownReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let Some(spec) = related.spec else { return };
        let unknown: Vec<IdAt> = match (doc.kind, related.plan, related.tasks) {
            (Some(Kind::Tasks), _, Some(tasks)) => trace::unknown_in_tasks(spec, tasks),
            (Some(Kind::Plan), Some((_, plan)), _) => trace::unknown_in_plan(spec, plan),
            _ => return,
        };
        out.extend(unknown.into_iter().filter_map(|u| {
            let message = format!("{} is not a requirement of the spec", u.id);
            Finding::at(self.index(), doc, u.line, &u.id, message)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
    use crate::lint::rules::testing::run_related;

    #[test]
    fn tasks_and_traceability_rows_naming_unknown_ids() {
        let spec = Spec::parse(&crate::markdown::Document::parse(
            "## Requirements\n- **IR-001**: a\n",
        ));
        let tasks_doc = "- [ ] T001 a in x (IR-001)\n- [ ] T002 b in y (IR-001, IR-404)\n";
        let tasks = Tasks::parse(&crate::markdown::Document::parse(tasks_doc));
        let plan_doc =
            "## Requirement Traceability\n| ID | x |\n|---|---|\n| IR-001 | a |\n| NFR-9 | b |\n";
        let plan = Plan::parse(&crate::markdown::Document::parse(plan_doc));
        let related = Related {
            spec: Some(&spec),
            plan: Some((plan_doc, &plan)),
            tasks: Some(&tasks),
            repository: None,
        };
        let t = run_related(&UnknownReference, Some(Kind::Tasks), tasks_doc, &related);
        assert_eq!(
            t.iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(),
            [(2, "IR-404")]
        );
        let p = run_related(&UnknownReference, Some(Kind::Plan), plan_doc, &related);
        assert_eq!(
            p.iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(),
            [(5, "NFR-9")]
        );
        assert_eq!(p[0].2, "NFR-9 is not a requirement of the spec");
        // Without the spec there is nothing to compare with.
        let alone = Related {
            spec: None,
            ..related
        };
        assert!(run_related(&UnknownReference, Some(Kind::Tasks), tasks_doc, &alone).is_empty());
    }
}

//! SO012 stale-done-task: a ticked task that serves a requirement whose text changed (or that
//! the spec dropped) after the task list was derived. The work was done for the old words; it
//! may no longer meet the new ones. Reported on the task line, naming the IDs that moved.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct StaleDoneTask;

/// What SO012 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO012",
    name: "stale-done-task",
    default: Level::Warning,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a ticked task serving a requirement that changed after the tasks were derived",
    explanation: "`specops tasks` records a fingerprint of each requirement of the spec in \
        tasks.md. A ticked task that serves a requirement whose text has changed since (or that \
        the spec no longer defines) was done for the old words: the infrastructure built for it \
        may no longer meet the requirement. Reported on the task line, naming the requirement \
        IDs that moved. A task list without that fingerprint (written by hand, or by an older \
        specops) is never reported.",
    fix: "Check the work against the requirement's new text: change the infrastructure (and \
        untick the task while it is redone) or confirm it still holds, then record that with \
        `specops tasks --refresh`.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 90 days.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "<!-- specops:fingerprint spec IR-001=f11d0f2f -->\n\n\
            - [x] T001 Add the retention rule in modules/backup/main.tf (IR-001)\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 90 days.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "<!-- specops:fingerprint spec IR-001=acf6d01d -->\n\n\
            - [x] T001 Add the retention rule in modules/backup/main.tf (IR-001)\n",
        ),
    ],
};

impl Rule for StaleDoneTask {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Tasks), Some(spec), Some(tasks)) = (doc.kind, related.spec, related.tasks)
        else {
            return;
        };
        for (line, id, moved) in trace::stale_done_tasks(spec, tasks) {
            let (word, verb) = if moved.len() == 1 {
                ("requirement", "has")
            } else {
                ("requirements", "have")
            };
            let message = format!(
                "{id} is ticked, but {word} {} {verb} changed since the tasks were derived; check the work still meets the new text, then run `specops tasks --refresh`",
                moved.join(", ")
            );
            out.extend(Finding::at(self.index(), doc, line, &id, message).map(|f| f.about(id)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::plan::spec_fingerprint;
    use crate::docs::{spec::Spec, tasks::Tasks};
    use crate::lint::rules::testing::run_related;

    const SPEC: &str = "- **IR-001**: a\n- **IR-002**: b\n- **IR-003**: c\n";

    #[test]
    fn ticked_tasks_serving_a_changed_requirement() {
        let at_derivation = Spec::parse(&crate::markdown::Document::parse(SPEC));
        let tasks_doc = format!(
            "- [x] T001 a in x (IR-001)\n- [x] T002 b in y (IR-002, IR-003)\n- [ ] T003 c in z (IR-002)\n- [x] T004 d in w\n{}\n",
            spec_fingerprint(&at_derivation)
        );
        let tasks = Tasks::parse(&crate::markdown::Document::parse(&tasks_doc));
        let found = |spec_doc: &str| {
            let spec = Spec::parse(&crate::markdown::Document::parse(spec_doc));
            let related = Related {
                spec: Some(&spec),
                tasks: Some(&tasks),
                ..Related::default()
            };
            run_related(&StaleDoneTask, Some(Kind::Tasks), &tasks_doc, &related)
        };
        assert!(found(SPEC).is_empty());
        // IR-002 reworded, IR-003 dropped, IR-004 added (no task could serve it yet).
        let got = found("- **IR-001**: a\n- **IR-002**: b, now stricter\n- **IR-004**: d\n");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (2, "T002"));
        assert!(
            got[0]
                .2
                .starts_with("T002 is ticked, but requirements IR-002, IR-003 have changed"),
            "{}",
            got[0].2
        );
        // Without a recorded spec fingerprint nothing is judged.
        let plain = Tasks::parse(&crate::markdown::Document::parse("- [x] T001 a (IR-001)\n"));
        let spec = Spec::parse(&crate::markdown::Document::parse("- **IR-001**: changed\n"));
        let related = Related {
            spec: Some(&spec),
            tasks: Some(&plain),
            ..Related::default()
        };
        assert!(run_related(
            &StaleDoneTask,
            Some(Kind::Tasks),
            "- [x] T001 a (IR-001)\n",
            &related
        )
        .is_empty());
    }
}

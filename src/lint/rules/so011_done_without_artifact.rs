//! SO011 done-without-artifact: a ticked task whose file or folder does not exist. A task
//! marked done that left nothing where the task list says it works was either not done, or done
//! elsewhere and the list no longer says where. Paths are those of our task format (`… in
//! modules/tenant-quota/ (IR-003)`) and, in other tools' lists, only a single path-like token
//! after the line's last ` in `; a task without one is never reported.

use crate::config::Level;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct DoneWithoutArtifact;

/// What SO011 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO011",
    name: "done-without-artifact",
    default: Level::Warning,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a ticked task whose file or folder does not exist",
    explanation: "A task line says where its work lives (`… in modules/tenant-quota/`). When \
        the task is ticked but that path does not exist in the repository (in the index with \
        `--staged`), the task was either not done or done somewhere else. Paths are read from \
        specops' task format and, in other tools' lists, only where the line names one path \
        unambiguously after its last ` in `. A warning by default, so that adopting specops on \
        a repository whose old task lists name since-moved paths is not a flood; \
        `--rule SO011=error` makes it a gate.",
    fix: "Create what the task promised at that path, correct the path on the task line to \
        where the work really is, or untick the task.",
    fires: &[(
        "specs/001-backups/tasks.md",
        "- [x] T001 Create the backup vault in modules/backup/main.tf\n",
    )],
    passes: &[
        (
            "specs/001-backups/tasks.md",
            "- [x] T001 Create the backup vault in modules/backup/main.tf\n",
        ),
        (
            "modules/backup/main.tf",
            "resource \"aws_backup_vault\" \"nightly\" {\n  name = \"nightly\"\n}\n",
        ),
    ],
};

impl Rule for DoneWithoutArtifact {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Tasks), Some(tasks), Some(repo)) =
            (doc.kind, related.tasks, related.repository)
        else {
            return;
        };
        for t in tasks.tasks.iter().filter(|t| t.done) {
            let Some(path) = &t.path else { continue };
            if !is_checkable(path) || (repo.exists)(path) {
                continue;
            }
            let message = format!(
                "{} is ticked, but {path} does not exist; create it, correct the path, or untick the task",
                t.id
            );
            out.extend(
                Finding::at(self.index(), doc, t.line, path, message)
                    .map(|f| f.about(t.id.clone())),
            );
        }
    }
}

/// A path the repository can be asked about: relative, inside it, not a glob.
fn is_checkable(path: &str) -> bool {
    !path.starts_with('/')
        && !path.starts_with('~')
        && !path.contains(['*', '?', '{', '<', '$'])
        && !path.split('/').any(|c| c == "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::tasks::Tasks;
    use crate::lint::engine::Repository;
    use crate::lint::rules::testing::run_related;

    #[test]
    fn ticked_tasks_whose_path_is_missing() {
        let doc = "\
- [x] T001 Create layout in README.md
- [x] T002 Build it in modules/tenant-quota/ (IR-001)
- [ ] T003 Not done yet in modules/missing/ (IR-002)
- [x] T004 Done somewhere unnamed
- [x] T005 Ran the check in `tests/missing_test.go`.
- [x] T006 Outside in ../elsewhere/x.tf
- [x] T007 A glob in modules/*/main.tf
";
        let tasks = Tasks::parse(&crate::markdown::Document::parse(doc));
        let repo = Repository {
            exists: Box::new(|p| ["README.md", "modules/tenant-quota/"].contains(&p)),
            cited: None,
        };
        let related = Related {
            tasks: Some(&tasks),
            repository: Some(&repo),
            ..Related::default()
        };
        let found = run_related(&DoneWithoutArtifact, Some(Kind::Tasks), doc, &related);
        let got: Vec<(usize, &str)> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(got, [(5, "tests/missing_test.go")]);
        assert!(found[0]
            .2
            .starts_with("T005 is ticked, but tests/missing_test.go does not exist"));
        // Without a repository to ask, nothing is judged.
        let blind = Related {
            tasks: Some(&tasks),
            ..Related::default()
        };
        assert!(run_related(&DoneWithoutArtifact, Some(Kind::Tasks), doc, &blind).is_empty());
    }
}

//! SO013 unimplemented-requirement: a requirement whose tasks are all ticked but that no file
//! of the repository cites. The task list says the requirement is done; nothing in the
//! infrastructure code says which part of it serves the requirement, so a later change to it
//! cannot be traced to what must change with it. Reported on the requirement's definition.
//!
//! A feature is judged only once it takes part in tracing: its task list was derived by
//! specops, or some file cites one of its IDs. A team that has never cited an ID in code (a
//! repository adopted from another tool) gets no warning per finished requirement, as SO006
//! does not judge task lists that do not trace by ID.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct UnimplementedRequirement;

/// What SO013 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO013",
    name: "unimplemented-requirement",
    default: Level::Warning,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a requirement whose tasks are all ticked but that no file cites",
    explanation: "A file outside the specs folder cites a requirement when one of its comments \
        names the ID (`# IR-003`, `// serves 003/IR-003`). When every task serving a \
        requirement is ticked but no file cites it, nothing connects the requirement to the \
        infrastructure that implements it: `specops trace` cannot show it, and when the \
        requirement changes nobody can tell which code must change. Reported on the \
        requirement's definition in the spec. IDs repeat across features, so a citation may \
        name its feature (`003/IR-003`); an unqualified one counts for every feature that \
        defines the ID. Success criteria (`SC-…`) are outcomes measured on the running system, \
        not code, and are not reported. A feature is judged once it takes part in tracing: \
        specops derived its task list (the list records a fingerprint), or some file already \
        cites one of its IDs. A feature written with another tool, none of whose IDs any file \
        cites, is not judged: a warning for every finished requirement would only say that \
        the team has not started citing.",
    fix: "Add a comment naming the requirement ID to the files that implement it (a module's \
        main file, its policy, its test), for example `# Implements 003/IR-003`.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n\
            - **IR-002**: Backups are encrypted with the platform key.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [x] T001 Add the retention rule in modules/backup/main.tf (IR-001)\n\
            - [x] T002 Encrypt the vault in modules/backup/vault.tf (IR-002)\n",
        ),
        (
            "modules/backup/main.tf",
            "resource \"aws_backup_plan\" \"nightly\" {\n  name = \"nightly\"\n}\n",
        ),
        (
            "modules/backup/vault.tf",
            "# Implements 001/IR-002\nresource \"aws_backup_vault\" \"main\" {}\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n",
        ),
        (
            "specs/001-backups/tasks.md",
            "- [x] T001 Add the retention rule in modules/backup/main.tf (IR-001)\n",
        ),
        (
            "modules/backup/main.tf",
            "# Implements 001/IR-001\nresource \"aws_backup_plan\" \"nightly\" {\n  \
            name = \"nightly\"\n}\n",
        ),
    ],
};

impl Rule for UnimplementedRequirement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Spec), Some(spec), Some(tasks), Some(cited)) = (
            doc.kind,
            related.spec,
            related.tasks,
            related.repository.and_then(|r| r.cited.as_ref()),
        ) else {
            return;
        };
        let feature = feature_folder(doc.path);
        let derived = tasks.fingerprint.is_some();
        if !derived && !spec.active().any(|r| cited(feature, &r.id)) {
            return;
        }
        let key = match crate::citations::feature_key(feature) {
            "" => feature,
            key => key,
        };
        // Success criteria are outcomes measured on the running system, not code to cite.
        for r in trace::done_requirements(spec, tasks)
            .into_iter()
            .filter(|r| spec.requirement(&r.id).is_none_or(|req| req.kind != "SC"))
        {
            if cited(feature, &r.id) {
                continue;
            }
            let message = format!(
                "every task serving {} is ticked, but no file cites it; name it in a comment of the files that implement it (`# Implements {key}/{}`)",
                r.id, r.id
            );
            out.extend(
                Finding::at(self.index(), doc, r.line, &r.id, message).map(|f| f.about(r.id)),
            );
        }
    }
}

/// `003-multi-tenant` out of `specs/003-multi-tenant/spec.md`.
fn feature_folder(path: &str) -> &str {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    dir.rsplit_once('/').map_or(dir, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{spec::Spec, tasks::Tasks};
    use crate::lint::engine::Repository;
    use crate::lint::rules::testing::run_related;

    #[test]
    fn requirements_done_in_tasks_but_cited_nowhere() {
        let spec_doc = "- **IR-001**: a\n- **IR-002**: b\n- **IR-003**: c\n- **IR-004**: ~~d~~ Withdrawn.\n- **IR-005**: e\n";
        let spec = Spec::parse(&crate::markdown::Document::parse(spec_doc));
        let tasks = Tasks::parse(&crate::markdown::Document::parse(
            "- [x] T001 a in x (IR-001, IR-002)\n- [ ] T002 b in y (IR-002)\n- [x] T003 c in z (IR-003, IR-004)\n- [-] T004 dropped (IR-003)\n- [x] T005 e in w (IR-005)\n",
        ));
        let repo = Repository {
            exists: Box::new(|_| true),
            cited: Some(Box::new(|feature, id| {
                feature == "003-dr" && id == "IR-005"
            })),
        };
        let related = Related {
            spec: Some(&spec),
            tasks: Some(&tasks),
            repository: Some(&repo),
            ..Related::default()
        };
        let md = crate::markdown::Document::parse(spec_doc);
        let doc = Document::new("specs/003-dr/spec.md", Some(Kind::Spec), &md);
        let mut out = Vec::new();
        UnimplementedRequirement.check(&doc, &related, &mut out);
        let lines: Vec<usize> = out.iter().map(|f| doc.line_of(f.start) + 1).collect();
        // IR-001 and IR-003 are done and uncited; IR-002 has an open task; IR-004 is
        // withdrawn; IR-005 is cited.
        assert_eq!(lines, [1, 3]);
        assert!(
            out[0].message.contains("`# Implements 003/IR-001`"),
            "{}",
            out[0].message
        );
        assert_eq!(feature_folder("specs/003-dr/spec.md"), "003-dr");
        assert_eq!(feature_folder("spec.md"), "");
        // A task list specops did not derive, in a feature none of whose IDs any file cites, is
        // not judged; one citation anywhere in the feature brings the rest in.
        let uncited = Repository {
            exists: Box::new(|_| true),
            cited: Some(Box::new(|_, _| false)),
        };
        let adopted = Related {
            repository: Some(&uncited),
            ..related
        };
        assert!(run_related(
            &UnimplementedRequirement,
            Some(Kind::Spec),
            spec_doc,
            &adopted
        )
        .is_empty());
        // A task list specops derived is judged before anything cites the feature.
        let derived_list = format!(
            "<!-- specops:fingerprint plan=0123456789abcdef -->\n{}",
            "- [x] T001 a in x (IR-001)\n"
        );
        let derived = Tasks::parse(&crate::markdown::Document::parse(&derived_list));
        let derived = Related {
            tasks: Some(&derived),
            ..adopted
        };
        let found = run_related(
            &UnimplementedRequirement,
            Some(Kind::Spec),
            spec_doc,
            &derived,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        // Without a repository to ask, nothing is judged.
        let blind = Related {
            repository: None,
            ..related
        };
        assert!(run_related(
            &UnimplementedRequirement,
            Some(Kind::Spec),
            spec_doc,
            &blind
        )
        .is_empty());
    }
}

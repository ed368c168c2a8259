//! The names of a feature folder's documents, in one place: every command that reads or writes
//! them, `check`'s document kinds and `list`'s columns take them from here.
//!
//! ```text
//! specs/NNN-short-name/
//!   spec.md  checklists/requirements.md  plan.md  research.md  data-model.md
//!   quickstart.md  contracts/*.md  tasks.md  variants/NAME/{plan.md, research.md, …}
//! ```

/// The specification.
pub(crate) const SPEC: &str = "spec.md";
/// The folder of checklists; every Markdown file in it is a checklist.
pub(crate) const CHECKLISTS: &str = "checklists";
/// The spec quality checklist `specify` writes and `plan` requires ticked.
pub(crate) const QUALITY_CHECKLIST: &str = "checklists/requirements.md";
/// The implementation plan.
pub(crate) const PLAN: &str = "plan.md";
/// One decision per technology choice.
pub(crate) const RESEARCH: &str = "research.md";
/// Resources and their attributes.
pub(crate) const DATA_MODEL: &str = "data-model.md";
/// Validation scenarios.
pub(crate) const QUICKSTART: &str = "quickstart.md";
/// The folder of contracts, one file per interface.
pub(crate) const CONTRACTS: &str = "contracts";
/// The task list.
pub(crate) const TASKS: &str = "tasks.md";
/// The folder of plan variants: `variants/NAME/` holds a plan set of its own.
pub(crate) const VARIANTS: &str = "variants";

/// Where spec-kit keeps its constitution; read when the configured one (the default
/// `memory/constitution.md`) does not exist.
pub(crate) const SPEC_KIT_CONSTITUTION: &str = ".specify/memory/constitution.md";

/// Where other spec-driven tools keep their specs, linted by a default `specops check` when
/// present (with the rules that fit them: markers, placeholders, task lines; never our
/// section rules): Kiro's `.kiro/specs/<name>/` and OpenSpec's `openspec/specs/` and
/// `openspec/changes/`.
pub(crate) const OTHER_SPEC_DIRS: &[&str] = &[".kiro/specs", "openspec/specs", "openspec/changes"];

/// Whether the document at root-relative `path` is a template rather than a spec document: a
/// file named `*-template.md` or `*.template.md`, or one in a folder named `templates`, with or
/// without a feature number (spec-kit projects keep copies in `specs/000-templates/`; a feature
/// named `004-helm-templates` is a feature). A default `check` does not lint templates:
/// placeholders are what they are for.
pub(crate) fn is_template(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let file = parts.next().unwrap_or_default();
    file.ends_with("-template.md")
        || file.ends_with(".template.md")
        || file.ends_with("_template.md")
        || parts.any(|d| {
            let name = d.trim_start_matches(|c: char| c.is_ascii_digit());
            name == "templates" || (name.len() < d.len() && name == "-templates")
        })
}

/// The documents of a feature folder in workflow order, as `list` names them: (name, path).
pub(crate) const DOCUMENTS: &[(&str, &str)] = &[
    ("spec", SPEC),
    ("checklist", QUALITY_CHECKLIST),
    ("plan", PLAN),
    ("research", RESEARCH),
    ("data-model", DATA_MODEL),
    ("quickstart", QUICKSTART),
    ("contracts", CONTRACTS),
    ("tasks", TASKS),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_by_name_and_folder() {
        for yes in [
            "specs/000-templates/plan-template.md",
            "specs/templates/spec.md",
            "specs/001-x/plan.template.md",
            "docs/Spec_Template.md",
        ] {
            assert!(is_template(yes), "{yes}");
        }
        for no in [
            "specs/001-x/plan.md",
            "specs/001-templating/spec.md",
            "specs/004-helm-templates/spec.md",
            "templates.md",
        ] {
            assert!(!is_template(no), "{no}");
        }
    }
}

//! Document kinds, recognised by path, and the sections each kind must have.
//!
//! The mandatory headings live in one table, [`KINDS`], next to the name of the template each
//! kind is written from; a unit test renders every template and checks that it has them, so a
//! template change cannot drift from the linter unnoticed.

use serde::Serialize;

use crate::layout;

/// What a document is, by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Spec,
    Checklist,
    Plan,
    Research,
    DataModel,
    Quickstart,
    Tasks,
    Contract,
    Constitution,
}

/// A section a document kind must have, non-empty.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// The heading as our template writes it.
    pub title: &'static str,
    /// Lower-case words that also satisfy it when a heading contains one of them, for documents
    /// written by other tools ("User Scenarios & Testing" stands for "Deployment Scenarios").
    pub also: &'static [&'static str],
    /// Required in every document of the kind written from a template: ours, another tool's
    /// whose title is in [`KindDef::other_titles`], or one that marks its sections
    /// `(mandatory)`. Otherwise only in documents written from our template (see
    /// [`KindDef::title`]). A free-form document is judged by neither.
    pub always: bool,
}

/// A document kind: its template and its mandatory sections.
#[derive(Debug, Clone, Copy)]
pub struct KindDef {
    pub kind: Kind,
    /// The embedded template the kind is written from.
    pub template: Option<&'static str>,
    /// How our template's `#` title starts.
    pub title: &'static str,
    /// How other tools' templates for the kind start their `#` title (spec-kit's
    /// `Feature Specification`); their documents are held to the `always` sections.
    pub other_titles: &'static [&'static str],
    /// Text only our template writes, for kinds whose title other tools share (spec-kit's
    /// contracts are also titled `# Contract: …`, but are free-form).
    pub signature: Option<&'static str>,
    pub sections: &'static [Section],
}

const fn ours(title: &'static str, also: &'static [&'static str]) -> Section {
    Section {
        title,
        also,
        always: false,
    }
}

const fn any(title: &'static str, also: &'static [&'static str]) -> Section {
    Section {
        title,
        also,
        always: true,
    }
}

/// Every kind with its mandatory sections.
pub static KINDS: &[KindDef] = &[
    KindDef {
        kind: Kind::Spec,
        template: Some("spec.md.j2"),
        title: "Infrastructure Specification",
        other_titles: &["Feature Specification"],
        signature: None,
        sections: &[
            any(
                "Deployment Scenarios",
                &["scenario", "user stor", "use case"],
            ),
            any("Requirements", &["requirement"]),
            ours("Environments and Topology", &["environment", "topology"]),
            any(
                "Success Criteria",
                &["success criteri", "success metric", "acceptance"],
            ),
        ],
    },
    KindDef {
        kind: Kind::Checklist,
        template: Some("checklist.md.j2"),
        title: "Specification Quality Checklist",
        other_titles: &[],
        signature: None,
        sections: &[],
    },
    KindDef {
        kind: Kind::Plan,
        template: Some("plan.md.j2"),
        title: "Implementation Plan",
        // spec-kit's plans share our title and its Constitution Check (the gates); a plan
        // `specops plan` wrote carries the spec's fingerprint.
        other_titles: &["Implementation Plan"],
        signature: Some(crate::docs::fingerprint::MARKER),
        sections: &[
            ours("Summary", &["overview"]),
            ours("Technical Context", &[]),
            any("Constitution Check", &[]),
        ],
    },
    KindDef {
        kind: Kind::Research,
        template: Some("research.md.j2"),
        title: "Research",
        other_titles: &[],
        signature: None,
        sections: &[ours("Decision", &["finding"])],
    },
    KindDef {
        kind: Kind::DataModel,
        template: Some("data-model.md.j2"),
        title: "Data Model",
        other_titles: &[],
        signature: None,
        sections: &[ours("Resources", &["resource", "entit", "schema"])],
    },
    KindDef {
        kind: Kind::Quickstart,
        template: Some("quickstart.md.j2"),
        title: "Quickstart and Validation",
        other_titles: &[],
        signature: None,
        sections: &[
            ours("Pre-deploy Validation", &[]),
            ours("Post-deploy Validation", &[]),
            ours("Integration Scenarios", &[]),
        ],
    },
    KindDef {
        kind: Kind::Tasks,
        template: Some("tasks.md.j2"),
        title: "Tasks",
        // Other tools' task lists share our title but not our phases and dependency section; a
        // list `specops tasks` wrote carries the plan's fingerprint.
        other_titles: &[],
        signature: Some(crate::docs::fingerprint::MARKER),
        sections: &[ours("Phase", &[]), ours("Dependencies", &["dependenc"])],
    },
    KindDef {
        kind: Kind::Contract,
        template: Some("contract.md.j2"),
        title: "Contract",
        other_titles: &[],
        signature: Some("**Contract**:"),
        sections: &[
            ours("Interface", &["endpoint"]),
            ours("Inputs", &["input", "request", "parameter"]),
            ours("Outputs", &["output", "response"]),
            ours("Validation", &["test"]),
        ],
    },
    KindDef {
        kind: Kind::Constitution,
        template: None,
        title: "",
        other_titles: &[],
        signature: None,
        sections: &[],
    },
];

impl Kind {
    /// The definition of this kind in [`KINDS`].
    pub fn def(self) -> &'static KindDef {
        KINDS
            .iter()
            .find(|d| d.kind == self)
            .unwrap_or_else(|| unreachable!("{self:?} is missing from KINDS"))
    }

    /// What the document is called in messages: `spec`, `data model`, `task list`, …
    pub fn name(self) -> &'static str {
        match self {
            Kind::Spec => "spec",
            Kind::Checklist => "checklist",
            Kind::Plan => "plan",
            Kind::Research => "research notes",
            Kind::DataModel => "data model",
            Kind::Quickstart => "quickstart",
            Kind::Tasks => "task list",
            Kind::Contract => "contract",
            Kind::Constitution => "constitution",
        }
    }

    /// The kind of the Markdown file at `path` (relative to the repository root, with `/`);
    /// `constitution` is the configured constitution path. Plan variants
    /// (`variants/NAME/plan.md`) are recognised like any plan set.
    pub fn from_path(path: &str, constitution: &str) -> Option<Kind> {
        if !path.to_ascii_lowercase().ends_with(".md") {
            return None;
        }
        if path == constitution
            || path == "memory/constitution.md"
            || path.ends_with("/memory/constitution.md")
        {
            return Some(Kind::Constitution);
        }
        let mut parts = path.rsplit('/');
        let file = parts.next()?;
        // A README indexes a folder; it is none of the documents.
        if file.eq_ignore_ascii_case("readme.md") {
            return None;
        }
        let mut dirs = parts;
        let parent = dirs.clone().next();
        if parent == Some(layout::CHECKLISTS) {
            return Some(Kind::Checklist);
        }
        if dirs.any(|d| d == layout::CONTRACTS) {
            return Some(Kind::Contract);
        }
        [
            (layout::SPEC, Kind::Spec),
            (layout::PLAN, Kind::Plan),
            (layout::RESEARCH, Kind::Research),
            (layout::DATA_MODEL, Kind::DataModel),
            (layout::QUICKSTART, Kind::Quickstart),
            (layout::TASKS, Kind::Tasks),
        ]
        .into_iter()
        .find_map(|(name, kind)| (file == name).then_some(kind))
    }
}

impl Section {
    /// Whether a heading titled `heading` satisfies this section: case-insensitive, the
    /// template's title or one of [`Section::also`] contained in it.
    pub fn matches(&self, heading: &str) -> bool {
        contains_ignore_ascii_case(heading, self.title)
            || self
                .also
                .iter()
                .any(|a| contains_ignore_ascii_case(heading, a))
    }
}

/// Whether `haystack` contains `needle`, ignoring ASCII case (the needles are ASCII), without
/// allocating: SO004 asks it for every heading of every document.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty()
        || haystack
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Document;
    use crate::templates::Templates;
    use serde_json::json;

    #[test]
    fn section_names_are_ascii_so_matching_needs_no_lowercasing() {
        for def in KINDS {
            for s in def.sections {
                assert!(s.title.is_ascii(), "{}", s.title);
                assert!(s.also.iter().all(|a| a.is_ascii()), "{:?}", s.also);
            }
        }
        let s = &KINDS[0].sections[0];
        assert!(s.matches("User Scenarios & Testing *(mandatory)*"));
        assert!(s.matches("DEPLOYMENT SCENARIOS"));
        assert!(!s.matches("Déploiement"));
    }

    #[test]
    fn kinds_by_path() {
        let c = "memory/constitution.md";
        let cases = [
            ("specs/001-a/spec.md", Some(Kind::Spec)),
            (
                "specs/001-a/checklists/requirements.md",
                Some(Kind::Checklist),
            ),
            ("specs/001-a/checklists/security.md", Some(Kind::Checklist)),
            ("specs/001-a/plan.md", Some(Kind::Plan)),
            ("specs/001-a/variants/cost/plan.md", Some(Kind::Plan)),
            ("specs/001-a/variants/cost/tasks.md", Some(Kind::Tasks)),
            (
                "specs/001-a/variants/cost/contracts/api.md",
                Some(Kind::Contract),
            ),
            ("specs/001-a/research.md", Some(Kind::Research)),
            ("specs/001-a/data-model.md", Some(Kind::DataModel)),
            ("specs/001-a/quickstart.md", Some(Kind::Quickstart)),
            ("specs/001-a/tasks.md", Some(Kind::Tasks)),
            ("specs/001-a/contracts/cluster-api.md", Some(Kind::Contract)),
            ("specs/001-a/contracts/v1/events.md", Some(Kind::Contract)),
            ("memory/constitution.md", Some(Kind::Constitution)),
            ("team/memory/constitution.md", Some(Kind::Constitution)),
            ("specs/README.md", None),
            ("specs/001-a/contracts/README.md", None),
            ("specs/001-a/notes.md", None),
            ("specs/001-a/contracts/api.yaml", None),
            ("specs/001-a/spec.md.bak", None),
        ];
        for (path, kind) in cases {
            assert_eq!(Kind::from_path(path, c), kind, "{path}");
        }
        assert_eq!(
            Kind::from_path("docs/principles.md", "docs/principles.md"),
            Some(Kind::Constitution)
        );
    }

    #[test]
    fn every_kind_is_defined_once() {
        for d in KINDS {
            assert_eq!(d.kind.def().kind, d.kind);
            assert_eq!(KINDS.iter().filter(|o| o.kind == d.kind).count(), 1);
        }
    }

    #[test]
    fn lenient_heading_matching() {
        let spec = Kind::Spec.def();
        let find = |t: &str| spec.sections.iter().find(|s| s.title == t).unwrap();
        assert!(find("Deployment Scenarios").matches("User Scenarios & Testing *(mandatory)*"));
        assert!(find("Deployment Scenarios").matches("User Stories (Prioritized)"));
        assert!(find("Requirements").matches("Functional Requirements"));
        assert!(find("Success Criteria").matches("SUCCESS CRITERIA"));
        assert!(!find("Success Criteria").matches("Success"));
        assert!(!find("Requirements").matches("Overview"));
    }

    /// A context for every document template, shaped as the commands that render them pass it.
    fn context(template: &str) -> serde_json::Value {
        let scenarios = json!([{"number": 1, "title": "Onboarding", "priority": "P1"}]);
        let requirements = json!([
            {"id": "IR-001", "kind": "IR", "text": "Each tenant MUST get a namespace.", "withdrawn": false}
        ]);
        let tech = json!([{"name": "EKS", "purpose": "Kubernetes", "category": null}]);
        let mut ctx = json!({
            "feature": {"number": "003", "short_name": "x", "branch": "003-x", "dir": "specs/003-x"},
            "title": "X", "description": "X", "date": "2026-11-25", "version": "0",
            "facts": crate::docs::facts::Facts::default(),
            "spec_file": "specs/003-x/spec.md", "plan_file": "specs/003-x/plan.md", "variant": null,
            "tech_context": "EKS for Kubernetes", "tech": tech, "questions": [],
            "phase_gates": [{"name": "Simplicity", "article": "VII", "checks": ["Few modules"]}],
            "article_gates": [{"number": "I", "title": "Module-First", "summary": "Modules."}],
            "requirements": requirements, "scenarios": scenarios,
            "fingerprint": "<!-- specops:fingerprint spec IR-001=00000000 -->",
            "resources": [{"name": "Tenant Namespace", "description": "Isolated"}],
            "environment_folders": ["dev", "staging", "prod"],
            "modules": [{"name": "tenant-namespace", "ids": ["IR-001"], "description": "Isolated"}],
            "interface": {"name": "API", "description": "Endpoint", "slug": "api"},
            "phases": [{"number": 1, "title": "Setup", "goal": "Layout", "tasks": [
                {"id": "T001", "parallel": false, "story": null, "description": "Create layout", "path": "modules/", "requirements": []}
            ]}],
            "dependencies": ["Phase 1 first"],
            "parallel_groups": [],
        });
        if template == "research.md.j2" {
            ctx["tech"] = json!([]);
        }
        ctx
    }

    #[test]
    fn every_template_has_the_mandatory_sections_of_its_kind() {
        let t = Templates::embedded_only();
        for def in KINDS {
            let Some(name) = def.template else { continue };
            let text = t.render(name, &context(name)).unwrap();
            let md = crate::markdown::Document::parse(&text);
            let doc = Document::new("x.md", Some(def.kind), &md);
            let h1 = doc
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| doc.title(h));
            assert!(
                h1.is_some_and(|t| t.starts_with(def.title)),
                "{name}: title {h1:?} must start with {:?}",
                def.title
            );
            if let Some(sig) = def.signature {
                assert!(
                    text.contains(sig),
                    "{name} must write its signature {sig:?}"
                );
            }
            for s in def.sections {
                let found = doc.headings.iter().any(|h| {
                    doc.title(h)
                        .to_lowercase()
                        .contains(&s.title.to_lowercase())
                });
                assert!(found, "{name} has no heading {:?}", s.title);
            }
        }
    }
}

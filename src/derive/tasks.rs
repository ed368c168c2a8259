//! The task list derived from a plan set (PRODUCT §4.4), deterministic: the same documents give
//! the same tasks, IDs and order, byte for byte.
//!
//! Phases: Setup; Foundational Validation (Article III: every check exists, and fails, before
//! any module); one phase per scenario in priority order (its acceptance checks, then one
//! module per data-model resource it owns, then its composition into the environments);
//! Polish. Requirement IDs: a scenario serves the IDs its spec section (and its quickstart
//! section) mentions, or every requirement when it mentions none; a resource serves the IDs
//! its data-model section mentions, or those of its scenario; a contract those its file
//! mentions, or those of its spec interface line, or every requirement; tasks that build or
//! check the whole feature serve every requirement, so none is left untraced.

use std::collections::HashSet;

use serde::Serialize;

use super::{file_slug, unique_slugs};
use crate::docs::design::{Contract, Entry};
use crate::docs::ids_in;
use crate::docs::spec::{Scenario, Spec};

/// Everything the task list is derived from.
pub(crate) struct TasksInput<'a> {
    pub spec: &'a Spec,
    /// `## Resource:` sections of data-model.md (empty when it is missing).
    pub resources: &'a [Entry],
    /// The files of contracts/, sorted by name.
    pub contracts: &'a [Contract],
    /// `## Decision:` sections of research.md.
    pub decisions: &'a [Entry],
    /// The scenarios of quickstart.md.
    pub quickstart: &'a [Scenario],
}

/// One task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Task {
    /// `T001`.
    pub id: String,
    /// `[P]`: touches a file no other task of its phase touches, and depends on no task.
    pub parallel: bool,
    /// `US2` in scenario phases.
    pub story: Option<String>,
    pub description: String,
    pub path: String,
    pub requirements: Vec<String>,
    /// Indices (into the whole list) of the tasks this one waits for.
    #[serde(skip)]
    pub depends_on: Vec<usize>,
}

/// One phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Phase {
    pub number: usize,
    pub title: String,
    pub goal: String,
    pub tasks: Vec<Task>,
}

/// Tasks of a phase that can run together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ParallelGroup {
    pub phase: String,
    pub ids: Vec<String>,
}

/// The derived task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaskList {
    pub phases: Vec<Phase>,
    pub dependencies: Vec<String>,
    pub parallel_groups: Vec<ParallelGroup>,
}

impl TaskList {
    pub(crate) fn task_count(&self) -> usize {
        self.phases.iter().map(|p| p.tasks.len()).sum()
    }

    pub(crate) fn parallel_count(&self) -> usize {
        self.phases
            .iter()
            .flat_map(|p| &p.tasks)
            .filter(|t| t.parallel)
            .count()
    }
}

/// Builds phases, numbering tasks in the order they are added.
struct Builder {
    phases: Vec<Phase>,
    count: usize,
}

impl Builder {
    fn phase(&mut self, title: String, goal: String) {
        let number = self.phases.len() + 1;
        self.phases.push(Phase {
            number,
            title,
            goal,
            tasks: Vec::new(),
        });
    }

    /// Add a task to the current phase; returns its index in the whole list.
    fn task(
        &mut self,
        story: Option<&str>,
        description: String,
        path: String,
        requirements: Vec<String>,
        depends_on: Vec<usize>,
    ) -> usize {
        self.count += 1;
        let task = Task {
            id: format!("T{:03}", self.count),
            parallel: false,
            story: story.map(str::to_string),
            description,
            path,
            requirements,
            depends_on,
        };
        if let Some(p) = self.phases.last_mut() {
            p.tasks.push(task);
        }
        self.count - 1
    }
}

/// The requirement IDs of the spec's active requirements that `mentions` names, in spec order.
fn known<'m>(spec: &Spec, mentions: impl IntoIterator<Item = &'m str>) -> Vec<String> {
    // A set: a scenario may name ten thousand of a hundred thousand requirements.
    let named: HashSet<&str> = mentions.into_iter().collect();
    spec.active()
        .filter(|r| named.contains(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect()
}

fn or_else(ids: Vec<String>, fallback: &[String]) -> Vec<String> {
    if ids.is_empty() {
        fallback.to_vec()
    } else {
        ids
    }
}

/// A scenario and what it owns.
struct Story<'a> {
    scenario: &'a Scenario,
    label: String,
    slug: String,
    /// IDs it names itself (spec and quickstart sections).
    named: Vec<String>,
    requirements: Vec<String>,
    resources: Vec<usize>,
}

/// Derive the task list.
pub(crate) fn derive(input: &TasksInput<'_>) -> TaskList {
    let spec = input.spec;
    let all: Vec<String> = spec.active().map(|r| r.id.clone()).collect();
    let ordered = spec.by_priority();
    let slugs = unique_slugs(ordered.iter().map(|s| s.title.as_str()), "scenario");
    let mut stories: Vec<Story<'_>> = ordered
        .iter()
        .zip(slugs)
        .map(|(s, slug)| {
            let quick = input.quickstart.iter().filter(|q| q.number == s.number);
            let named = known(
                spec,
                s.mentions
                    .iter()
                    .chain(quick.flat_map(|q| &q.mentions))
                    .map(String::as_str),
            );
            Story {
                scenario: s,
                label: format!("US{}", s.number),
                slug,
                requirements: or_else(named.clone(), &all),
                named,
                resources: Vec::new(),
            }
        })
        .collect();

    // Each data-model resource is built once, by the first scenario (in priority order) that
    // names one of its requirements, else that mentions it by name, else the first scenario.
    let resource_ids: Vec<Vec<String>> = input
        .resources
        .iter()
        .map(|r| {
            let from_spec = spec
                .key_resources
                .iter()
                .filter(|k| k.name.eq_ignore_ascii_case(&r.name))
                .flat_map(|k| ids_in(&k.description));
            known(spec, r.mentions.iter().map(String::as_str).chain(from_spec))
        })
        .collect();
    for (i, r) in input.resources.iter().enumerate() {
        let name = r.name.to_lowercase();
        let owner = stories
            .iter()
            .position(|s| s.named.iter().any(|id| resource_ids[i].contains(id)))
            .or_else(|| {
                stories
                    .iter()
                    .position(|s| s.scenario.body.to_lowercase().contains(&name))
            })
            .unwrap_or(0);
        if let Some(s) = stories.get_mut(owner) {
            s.resources.push(i);
        }
    }
    let module_slugs = unique_slugs(input.resources.iter().map(|r| r.name.as_str()), "module");

    let mut b = Builder {
        phases: Vec::new(),
        count: 0,
    };

    b.phase(
        "Setup".into(),
        "The skeleton every later task builds in: the project layout, pinned tool versions and a state backend per environment.".into(),
    );
    b.task(
        None,
        "Create the project layout of the plan: modules/, environments/ for dev, staging and prod, policies/, tests/ and docs/runbooks/".into(),
        "README.md".into(),
        all.clone(),
        vec![],
    );
    let tools = if input.decisions.is_empty() {
        "the IaC toolchain and every tool of the plan's Technical Context".to_string()
    } else {
        let names: Vec<&str> = input.decisions.iter().map(|d| d.name.as_str()).collect();
        format!(
            "the IaC toolchain and of the tools decided in research.md: {}",
            names.join(", ")
        )
    };
    b.task(
        None,
        format!("Pin the versions of {tools}"),
        ".tool-versions".into(),
        all.clone(),
        vec![],
    );
    b.task(
        None,
        "Configure the state backend: one state per environment, locked and encrypted, so a change cannot reach beyond its environment".into(),
        "environments/backend/".into(),
        all.clone(),
        vec![],
    );

    b.phase(
        "Foundational Validation".into(),
        "Validation before provisioning (Article III): every check below is written, and seen to fail, before any module exists. No scenario phase starts before this phase is done.".into(),
    );
    b.task(
        None,
        "Write the pre-deploy checks: formatting, static validation and a saved, reviewed plan diff for every environment".into(),
        "tests/pre-deploy/".into(),
        all.clone(),
        vec![],
    );
    b.task(
        None,
        "Write the policy-as-code tests: encryption, mandatory tags, least privilege and data residency".into(),
        "policies/".into(),
        all.clone(),
        vec![],
    );
    for c in input.contracts {
        let from_spec = spec
            .interfaces
            .iter()
            .filter(|i| {
                i.name.eq_ignore_ascii_case(&c.name) || file_slug(&i.name, "") == stem(&c.file)
            })
            .flat_map(|i| ids_in(&i.description));
        let ids = or_else(known(spec, c.mentions.iter().map(String::as_str)), &[]);
        let ids = or_else(ids, &known(spec, from_spec));
        b.task(
            None,
            format!(
                "Write the contract test for {}, per contracts/{}, against an ephemeral deployment",
                c.name, c.file
            ),
            format!("tests/contracts/{}/", stem(&c.file)),
            or_else(ids, &all),
            vec![],
        );
    }
    for q in input.quickstart {
        let story = stories.iter().find(|s| s.scenario.number == q.number);
        let (slug, ids) = match story {
            Some(s) => (s.slug.clone(), s.requirements.clone()),
            None => (
                file_slug(&q.title, "scenario"),
                or_else(known(spec, q.mentions.iter().map(String::as_str)), &all),
            ),
        };
        b.task(
            None,
            format!(
                "Write the integration test for Scenario {}: {}, per quickstart.md, in an ephemeral environment",
                q.number, q.title
            ),
            format!("tests/integration/{slug}/"),
            ids,
            vec![],
        );
    }

    let mut story_phases = Vec::new();
    for s in &stories {
        let sc = s.scenario;
        let goal = match &sc.independent_test {
            Some(t) if !t.contains('[') => format!("Independent test: {t}"),
            _ => format!(
                "Scenario {} works on its own and passes its acceptance checks before the next scenario starts.",
                sc.number
            ),
        };
        b.phase(
            format!("Scenario {}: {} ({})", sc.number, sc.title, sc.priority),
            goal,
        );
        story_phases.push((b.phases.len(), sc.priority.clone()));
        let label = Some(s.label.as_str());
        let checks = b.task(
            label,
            format!(
                "Write the acceptance checks of Scenario {}, its Given/When/Then in spec.md, and see them fail",
                sc.number
            ),
            format!("tests/post-deploy/{}/", s.slug),
            s.requirements.clone(),
            vec![],
        );
        let mut modules = Vec::new();
        for &r in &s.resources {
            modules.push(b.task(
                label,
                format!(
                    "Build the {} module: typed inputs with validation, declared outputs, a README and an example",
                    input.resources[r].name
                ),
                format!("modules/{}/", module_slugs[r]),
                or_else(resource_ids[r].clone(), &s.requirements),
                vec![checks],
            ));
        }
        let compose_after = if modules.is_empty() {
            vec![checks]
        } else {
            modules
        };
        b.task(
            label,
            format!(
                "Compose Scenario {} in dev, staging and prod from the modules, with only inputs differing, until its checks pass",
                sc.number
            ),
            "environments/".into(),
            s.requirements.clone(),
            compose_after,
        );
    }
    if stories.is_empty() && !input.resources.is_empty() {
        b.phase(
            "Core Infrastructure".into(),
            "The spec names no deployment scenario: build each resource of the data model as its own module.".into(),
        );
        let mut modules = Vec::new();
        for (i, r) in input.resources.iter().enumerate() {
            modules.push(b.task(
                None,
                format!(
                    "Build the {} module: typed inputs with validation, declared outputs, a README and an example",
                    r.name
                ),
                format!("modules/{}/", module_slugs[i]),
                or_else(resource_ids[i].clone(), &all),
                vec![],
            ));
        }
        b.task(
            None,
            "Compose the modules in dev, staging and prod, with only inputs differing".into(),
            "environments/".into(),
            all.clone(),
            modules,
        );
    }

    b.phase(
        "Polish".into(),
        "Documentation, recovery and cost, once every scenario passes.".into(),
    );
    b.task(
        None,
        "Document every module's purpose, inputs and outputs, and the promotion path from dev to prod".into(),
        "docs/modules.md".into(),
        all.clone(),
        vec![],
    );
    b.task(
        None,
        "Write the rollback runbook and exercise it in a non-production environment".into(),
        "docs/runbooks/rollback.md".into(),
        all.clone(),
        vec![],
    );
    b.task(
        None,
        "Add the cost check: estimate each environment against its monthly ceiling in spec.md and block a change that breaks it".into(),
        "tests/pre-deploy/cost/".into(),
        all.clone(),
        vec![],
    );

    mark_parallel(&mut b.phases);
    let dependencies = dependencies(&b.phases, &story_phases);
    let parallel_groups = b
        .phases
        .iter()
        .filter_map(|p| {
            let ids: Vec<String> = p
                .tasks
                .iter()
                .filter(|t| t.parallel)
                .map(|t| t.id.clone())
                .collect();
            (ids.len() >= 2).then(|| ParallelGroup {
                phase: format!("Phase {}: {}", p.number, p.title),
                ids,
            })
        })
        .collect();
    TaskList {
        phases: b.phases,
        dependencies,
        parallel_groups,
    }
}

fn stem(file: &str) -> &str {
    file.strip_suffix(".md").unwrap_or(file)
}

/// `[P]` exactly when a task depends on no task and no other task of its phase has its path.
fn mark_parallel(phases: &mut [Phase]) {
    for p in phases {
        let paths: Vec<String> = p.tasks.iter().map(|t| t.path.clone()).collect();
        for t in &mut p.tasks {
            let shared = paths.iter().filter(|x| **x == t.path).count() > 1;
            t.parallel = t.depends_on.is_empty() && !shared;
        }
    }
}

fn dependencies(phases: &[Phase], story_phases: &[(usize, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let last = phases.len();
    out.push(
        "Phase 1 (Setup) comes first; Phase 2 (Foundational Validation) blocks every later phase: no module is written before the checks that prove it exist and fail.".to_string(),
    );
    if !story_phases.is_empty() {
        let order: Vec<String> = story_phases
            .iter()
            .map(|(n, p)| format!("Phase {n} ({p})"))
            .collect();
        out.push(format!(
            "Scenario phases follow in priority order, each delivered and validated on its own: {}.",
            order.join(", ")
        ));
    }
    out.push(format!(
        "Phase {last} (Polish) comes after every other phase."
    ));
    let all: Vec<&Task> = phases.iter().flat_map(|p| &p.tasks).collect();
    // Tasks waiting for the same tasks share a line, in task order.
    let mut groups: Vec<(Vec<usize>, Vec<&str>)> = Vec::new();
    for t in &all {
        if t.depends_on.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(deps, _)| *deps == t.depends_on) {
            Some((_, ids)) => ids.push(&t.id),
            None => groups.push((t.depends_on.clone(), vec![&t.id])),
        }
    }
    for (deps, ids) in groups {
        let deps: Vec<&str> = deps
            .iter()
            .filter_map(|&i| all.get(i).map(|t| t.id.as_str()))
            .collect();
        out.push(format!("{} after {}", ids.join(", "), deps.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::design;
    use crate::markdown::Document;
    use std::collections::BTreeSet;

    const SPEC: &str = "\
# Infrastructure Specification: Tenants

### Scenario 1: Noisy neighbour containment (Priority: P2)
Serves IR-002 and NFR-001.
**Independent test**: flood one tenant; the others keep their latency.

### Scenario 2: Tenant onboarding (Priority: P1)
Serves IR-001 and SC-001. Creates a Tenant Namespace.

### Scenario 3: Cost report (Priority: P3)
No IDs here.

## Requirements
- **IR-001**: Each tenant MUST get its own namespace.
- **IR-002**: Each tenant MUST have a quota.
- **IR-003**: ~~Dropped~~ Withdrawn.
- **NFR-001**: Noise MUST stay contained.
- **SC-001**: Onboarding within 10 minutes.

### Key Resources
- **Tenant Namespace**: isolated namespace
- **Resource Quota**: per-tenant limits, IR-002

## Interfaces
- **Cluster API**: private endpoint, serves IR-001
";

    const DATA_MODEL: &str = "\
## Resource: Tenant Namespace
## Resource: Resource Quota
## Resource: Audit Log
";

    fn list(spec_doc: &str, dm: &str, contracts: &[(&str, &str)], quick: &str) -> TaskList {
        let spec = Spec::parse(&Document::parse(spec_doc));
        let resources = design::resources(&Document::parse(dm));
        let contracts: Vec<Contract> = contracts
            .iter()
            .map(|(f, d)| design::contract(f, &Document::parse(d)))
            .collect();
        let decisions =
            design::decisions(&Document::parse("## Decision: EKS\n## Decision: Cilium\n"));
        let quickstart = design::quickstart_scenarios(&Document::parse(quick));
        derive(&TasksInput {
            spec: &spec,
            resources: &resources,
            contracts: &contracts,
            decisions: &decisions,
            quickstart: &quickstart,
        })
    }

    fn golden() -> TaskList {
        list(
            SPEC,
            DATA_MODEL,
            &[("cluster-api.md", "# Contract: Cluster API\n")],
            "### Scenario 2: Tenant onboarding (Priority: P1)\n### Scenario 1: Noisy neighbour containment (Priority: P2)\n",
        )
    }

    fn line(t: &Task) -> String {
        format!(
            "{}{}{} {} in {} ({}) <- {:?}",
            t.id,
            if t.parallel { " [P]" } else { "" },
            t.story
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default(),
            t.description.split(':').next().unwrap_or_default(),
            t.path,
            t.requirements.join(", "),
            t.depends_on
        )
    }

    #[test]
    fn phases_order_labels_and_requirements() {
        let l = golden();
        let titles: Vec<&str> = l.phases.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Setup",
                "Foundational Validation",
                "Scenario 2: Tenant onboarding (P1)",
                "Scenario 1: Noisy neighbour containment (P2)",
                "Scenario 3: Cost report (P3)",
                "Polish"
            ]
        );
        let lines: Vec<String> = l.phases[1..5]
            .iter()
            .flat_map(|p| &p.tasks)
            .map(line)
            .collect();
        assert_eq!(
            lines,
            [
                "T004 [P] Write the pre-deploy checks in tests/pre-deploy/ (IR-001, IR-002, NFR-001, SC-001) <- []",
                "T005 [P] Write the policy-as-code tests in policies/ (IR-001, IR-002, NFR-001, SC-001) <- []",
                "T006 [P] Write the contract test for Cluster API, per contracts/cluster-api.md, against an ephemeral deployment in tests/contracts/cluster-api/ (IR-001) <- []",
                "T007 [P] Write the integration test for Scenario 2 in tests/integration/tenant-onboarding/ (IR-001, SC-001) <- []",
                "T008 [P] Write the integration test for Scenario 1 in tests/integration/noisy-neighbour-containment/ (IR-002, NFR-001) <- []",
                "T009 [P] [US2] Write the acceptance checks of Scenario 2, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/tenant-onboarding/ (IR-001, SC-001) <- []",
                "T010 [US2] Build the Tenant Namespace module in modules/tenant-namespace/ (IR-001, SC-001) <- [8]",
                "T011 [US2] Build the Audit Log module in modules/audit-log/ (IR-001, SC-001) <- [8]",
                "T012 [US2] Compose Scenario 2 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-001, SC-001) <- [9, 10]",
                "T013 [P] [US1] Write the acceptance checks of Scenario 1, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/noisy-neighbour-containment/ (IR-002, NFR-001) <- []",
                "T014 [US1] Build the Resource Quota module in modules/resource-quota/ (IR-002) <- [12]",
                "T015 [US1] Compose Scenario 1 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-002, NFR-001) <- [13]",
                "T016 [P] [US3] Write the acceptance checks of Scenario 3, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/cost-report/ (IR-001, IR-002, NFR-001, SC-001) <- []",
                "T017 [US3] Compose Scenario 3 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-001, IR-002, NFR-001, SC-001) <- [15]",
            ]
        );
        assert_eq!(
            l.phases[3].goal,
            "Independent test: flood one tenant; the others keep their latency."
        );
        assert_eq!(
            l.dependencies[3..],
            [
                "T010, T011 after T009",
                "T012 after T010, T011",
                "T014 after T013",
                "T015 after T014",
                "T017 after T016"
            ]
        );
    }

    #[test]
    fn every_active_requirement_is_served_and_no_unknown_id_is_named() {
        let l = golden();
        let spec = Spec::parse(&Document::parse(SPEC));
        let named: Vec<&String> = l
            .phases
            .iter()
            .flat_map(|p| &p.tasks)
            .flat_map(|t| &t.requirements)
            .collect();
        for r in spec.active() {
            assert!(named.contains(&&r.id), "{} untraced", r.id);
        }
        assert!(named.iter().all(|id| spec.active().any(|r| &r.id == *id)));
        assert!(
            !named.iter().any(|id| *id == "IR-003"),
            "withdrawn IDs are not served"
        );
    }

    fn variations() -> Vec<TaskList> {
        let no_scenarios = "# No scenarios\n- **IR-001**: x\n";
        let orphan = "### Scenario 9: Orphan (Priority: P1)\nIR-001\n";
        vec![
            golden(),
            list(SPEC, "", &[], ""),
            list(SPEC, DATA_MODEL, &[], ""),
            list(
                no_scenarios,
                DATA_MODEL,
                &[("a.md", ""), ("b.md", "IR-001")],
                "",
            ),
            list("", "", &[], ""),
            list(&SPEC.replace("(Priority: P3)", ""), DATA_MODEL, &[], orphan),
        ]
    }

    /// The rules every derived list keeps: sequential IDs and phase numbers, `[P]` exactly for
    /// a task with no dependency and a path of its own in its phase, dependencies on earlier
    /// tasks only, a path on every task, no parentheses in descriptions (they would read as
    /// IDs), every active requirement served and no other ID named.
    fn well_formed(l: &TaskList, spec: &Spec) -> std::result::Result<(), String> {
        let tasks: Vec<&Task> = l.phases.iter().flat_map(|p| &p.tasks).collect();
        for (n, t) in tasks.iter().enumerate() {
            if t.id != format!("T{:03}", n + 1) {
                return Err(format!("task {} is {}", n + 1, t.id));
            }
        }
        for (n, p) in l.phases.iter().enumerate() {
            if p.number != n + 1 {
                return Err(format!("phase {} is numbered {}", n + 1, p.number));
            }
            for t in &p.tasks {
                let shared = p.tasks.iter().filter(|o| o.path == t.path).count() > 1;
                if t.parallel != (t.depends_on.is_empty() && !shared) {
                    return Err(format!("{}: [P] is {}", t.id, t.parallel));
                }
                let index = tasks.iter().position(|o| o.id == t.id).unwrap_or_default();
                if t.path.is_empty() || t.description.contains('(') {
                    return Err(format!("{}: path or description", t.id));
                }
                if !t.depends_on.iter().all(|&d| d < index) {
                    return Err(format!("{} depends on a later task", t.id));
                }
            }
        }
        let named: BTreeSet<&str> = tasks
            .iter()
            .flat_map(|t| t.requirements.iter().map(String::as_str))
            .collect();
        let active: BTreeSet<&str> = spec.active().map(|r| r.id.as_str()).collect();
        if named != active {
            return Err(format!(
                "tasks name {named:?}, the spec's active IDs are {active:?}"
            ));
        }
        Ok(())
    }

    #[test]
    fn derivation_is_deterministic_and_ids_are_sequential() {
        let variations = variations();
        let specs = [
            SPEC,
            SPEC,
            SPEC,
            "# No scenarios\n- **IR-001**: x\n",
            "",
            SPEC,
        ];
        for (i, (l, again)) in variations.iter().zip(self::variations()).enumerate() {
            assert_eq!(*l, again, "variation {i} is not deterministic");
            let spec = Spec::parse(&Document::parse(&specs[i].replace("(Priority: P3)", "")));
            if let Err(e) = well_formed(l, &spec) {
                panic!("variation {i}: {e}");
            }
        }
        // Without scenarios the modules get a phase of their own and run in parallel.
        let core = &variations[3].phases[2];
        assert_eq!(core.title, "Core Infrastructure");
        assert!(core.tasks[..3]
            .iter()
            .all(|t| t.parallel && t.story.is_none()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 128, failure_persistence: None, ..Default::default()
        })]

        /// Any spec, data model, contracts and quickstart: derived twice, the same list; and
        /// every list is well formed.
        #[test]
        fn any_documents_derive_a_well_formed_list_deterministically(
            requirements in proptest::collection::btree_map(
                proptest::sample::select(&["IR", "NFR", "SC", "SEC"][..]), 1..4usize, 0..6),
            withdrawn in proptest::collection::vec(proptest::bool::weighted(0.15), 24),
            scenarios in proptest::collection::vec(
                (proptest::option::of(1..4u32), proptest::collection::vec(0..24usize, 0..3)), 0..4),
            resources in proptest::collection::vec(
                ("[A-Z][a-z]{2,6}( [A-Z][a-z]{2,6})?", proptest::option::of(0..24usize)), 0..4),
            contracts in proptest::collection::vec(("[a-z]{3,6}", proptest::option::of(0..24usize)), 0..3),
            quickstart in proptest::collection::vec(1..4u32, 0..3),
        ) {
            let ids: Vec<String> = requirements
                .iter()
                .flat_map(|(prefix, n)| (1..=*n).map(move |i| format!("{prefix}-{i:03}")))
                .collect();
            let id = |i: usize| ids.get(i % ids.len().max(1)).cloned().unwrap_or_default();
            let mut doc = String::from("# Infrastructure Specification: Generated\n\n");
            for (n, (priority, serves)) in scenarios.iter().enumerate() {
                let priority = priority.map(|p| format!(" (Priority: P{p})")).unwrap_or_default();
                let serves: Vec<String> = serves.iter().map(|&i| id(i)).collect();
                doc += &format!("### Scenario {}: Story {n}{priority}\nServes {}.\n\n", n + 1, serves.join(", "));
            }
            doc += "## Requirements\n";
            for (i, r) in ids.iter().enumerate() {
                let text = if withdrawn[i % withdrawn.len()] { "~~Old~~ Withdrawn." } else { "The platform MUST do it." };
                doc += &format!("- **{r}**: {text}\n");
            }
            let spec = Spec::parse(&Document::parse(&doc));
            let mut data_model = String::new();
            for (name, serves) in &resources {
                data_model += &format!("## Resource: {name}\n");
                if let Some(i) = serves {
                    data_model += &format!("Serves {}.\n", id(*i));
                }
            }
            let contract_list: Vec<(String, String)> = contracts
                .iter()
                .map(|(file, serves)| {
                    (format!("{file}.md"), serves.map(&id).unwrap_or_default())
                })
                .collect();
            let contract_refs: Vec<(&str, &str)> = contract_list
                .iter()
                .map(|(f, d)| (f.as_str(), d.as_str()))
                .collect();
            let quick: String = quickstart
                .iter()
                .enumerate()
                .map(|(n, p)| format!("### Scenario {}: Check {n} (Priority: P{p})\n", n + 1))
                .collect();
            let l = list(&doc, &data_model, &contract_refs, &quick);
            proptest::prop_assert_eq!(&l, &list(&doc, &data_model, &contract_refs, &quick));
            if let Err(e) = well_formed(&l, &spec) {
                return Err(proptest::test_runner::TestCaseError::fail(format!("{e}\n{doc}\n{data_model}")));
            }
        }
    }
}

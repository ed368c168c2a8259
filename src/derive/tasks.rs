//! The task list derived from a plan set (PRODUCT §4.4), deterministic: the same documents give
//! the same tasks, IDs and order, byte for byte.
//!
//! Phases: Setup; Foundational Validation (Article III: every check exists, and fails, before
//! any module); one phase per scenario in priority order (its acceptance checks, then the
//! modules and contract implementations it owns, then its composition into the environments);
//! Polish. Modules come from the plan's `## Modules`, or from the data model's resources when
//! the plan names none; every contract gets a test (foundational) and an implementation (in
//! the scenario that owns it).
//!
//! Requirement IDs: a task carries the IDs the documents link to it, and only those. A
//! scenario's tasks carry its `**Requirements**` line (or, without one, the IDs its section
//! names); a module task its IDs in `## Modules` (or the data-model section's, or its key
//! resource line's); a contract's tasks the IDs its file names (or its spec interface line's).
//! Tasks that set up, check or polish the whole feature carry none. A requirement no document
//! links stays untraced, so SO006 tells the author to link it.

use std::collections::HashSet;

use serde::Serialize;

use super::{file_slug, unique_slugs};
use crate::docs::design::{Contract, ContractKind, Entry};
use crate::docs::facts::Facts;
use crate::docs::ids_in;
use crate::docs::plan::Module;
use crate::docs::spec::{Scenario, Spec};

/// Everything the task list is derived from.
pub(crate) struct TasksInput<'a> {
    pub spec: &'a Spec,
    /// `## Resource:` sections of data-model.md (empty when it is missing).
    pub resources: &'a [Entry],
    /// The files of contracts/, sorted by name.
    pub contracts: &'a [Contract],
    /// The technology choices decided: the `## Decision:` headings of research.md and the
    /// first cells of the plan's Technical Context table.
    pub choices: &'a [String],
    /// The scenarios of quickstart.md.
    pub quickstart: &'a [Scenario],
    /// The modules the plan decides in `## Modules`; when there are none, the data model's
    /// resources stand in.
    pub modules: &'a [Module],
    /// The values the spec states. Its environments (in order) name where scenarios are
    /// composed (dev, staging and prod when it names none); its recovery objectives and cost
    /// ceilings are the targets of the rollback and cost tasks.
    pub facts: &'a Facts,
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

/// A scenario and what it builds.
struct Story<'a> {
    scenario: &'a Scenario,
    label: String,
    slug: String,
    /// The IDs its documents link to it: its `**Requirements**` line (or, without one, the
    /// IDs its section names).
    links: Vec<String>,
    /// Indices into the parts, in order.
    parts: Vec<usize>,
}

/// Something a scenario builds: a module (of the plan's `## Modules`, or a data-model
/// resource when the plan names none) or what a contract promises.
struct Part {
    description: String,
    path: String,
    /// The IDs its own document links to it.
    ids: Vec<String>,
    /// Lower-case name, to find the scenario that mentions it.
    name: String,
}

/// For each part, the first story (in priority order) whose text mentions its name, ignoring
/// case: one pass over each story's text for all the names at once, so that many modules and
/// long scenarios stay linear.
fn first_mentions(stories: &[Story<'_>], parts: &[Part]) -> Vec<Option<usize>> {
    // Each name once (fifty thousand modules may share one), and never the empty name, which
    // would match everywhere.
    let mut names: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let part_name: Vec<Option<usize>> = parts
        .iter()
        .map(|p| {
            (!p.name.is_empty()).then(|| {
                *index.entry(p.name.as_str()).or_insert_with(|| {
                    names.push(p.name.as_str());
                    names.len() - 1
                })
            })
        })
        .collect();
    let mut first: Vec<Option<usize>> = vec![None; names.len()];
    if let Ok(matcher) = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&names)
    {
        for (si, s) in stories.iter().enumerate() {
            let body = s.scenario.body.to_lowercase();
            // Bounded: names nested in one another could report a match per name per byte.
            for m in matcher.find_overlapping_iter(&body).take(1_000_000) {
                first[m.pattern().as_usize()].get_or_insert(si);
            }
        }
    }
    part_name.iter().map(|n| n.and_then(|n| first[n])).collect()
}

/// The modules to build: the plan's, else the data model's resources.
fn modules(input: &TasksInput<'_>) -> Vec<Part> {
    let spec = input.spec;
    let build = |name: &str, what: Option<String>| {
        match what {
        Some(w) => {
            // A description that starts with its own verb (`Orchestrates the image build`)
            // keeps it: "which orchestrates the image build".
            let first = w.split_whitespace().next().unwrap_or_default();
            let verb = if OWN_VERBS.contains(&first) { "" } else { "provisions " };
            format!(
                "Build the {name} module, which {verb}{w}: typed inputs with validation, declared outputs, a README and an example"
            )
        }
        None => format!(
            "Build the {name} module: typed inputs with validation, declared outputs, a README and an example"
        ),
    }
    };
    if !input.modules.is_empty() {
        let slugs = unique_slugs(input.modules.iter().map(|m| m.name.as_str()), "module");
        return input
            .modules
            .iter()
            .zip(slugs)
            .map(|(m, slug)| Part {
                description: build(&m.name, clause(&m.description)),
                path: format!("modules/{slug}/"),
                ids: known(spec, m.ids.iter().map(String::as_str)),
                name: m.name.to_lowercase(),
            })
            .collect();
    }
    let slugs = unique_slugs(input.resources.iter().map(|r| r.name.as_str()), "module");
    input
        .resources
        .iter()
        .zip(slugs)
        .map(|(r, slug)| {
            let from_spec = spec
                .key_resources
                .iter()
                .filter(|k| k.name.eq_ignore_ascii_case(&r.name))
                .flat_map(|k| ids_in(&k.description));
            Part {
                description: build(&r.name, None),
                path: format!("modules/{slug}/"),
                ids: known(spec, r.mentions.iter().map(String::as_str).chain(from_spec)),
                name: r.name.to_lowercase(),
            }
        })
        .collect()
}

/// The IDs a contract links to: those its file names, else those of its spec interface line.
fn contract_ids(spec: &Spec, c: &Contract) -> Vec<String> {
    let from_spec = spec
        .interfaces
        .iter()
        .filter(|i| i.name.eq_ignore_ascii_case(&c.name) || file_slug(&i.name, "") == stem(&c.file))
        .flat_map(|i| ids_in(&i.description));
    or_else(
        known(spec, c.mentions.iter().map(String::as_str)),
        &known(spec, from_spec),
    )
}

/// The task that builds what a contract promises.
fn contract_part(spec: &Spec, c: &Contract) -> Part {
    // "the Regional failover procedure", not "the Regional failover procedure procedure".
    let named = |kind: &str| {
        let lower = c.name.to_lowercase();
        if lower.ends_with(kind) || (kind == "procedure" && lower.ends_with("runbook")) {
            c.name.clone()
        } else {
            format!("{} {kind}", c.name)
        }
    };
    let (description, path) = match c.kind {
        ContractKind::Procedure => (
            format!(
                "Write the {} per contracts/{}, step by step, and rehearse it in a non-production environment",
                named("procedure"),
                c.file
            ),
            format!("docs/runbooks/{}.md", contract_slug(&c.file)),
        ),
        ContractKind::Pipeline => (
            format!(
                "Build the {} per contracts/{}, with every stage and gate it promises",
                named("pipeline"),
                c.file
            ),
            format!("pipelines/{}/", contract_slug(&c.file)),
        ),
        ContractKind::Interface => (
            format!(
                "Expose the {} per contracts/{}: every output and guarantee it promises",
                named("interface"),
                c.file
            ),
            format!("modules/{}/", contract_slug(&c.file)),
        ),
    };
    Part {
        description,
        path,
        ids: contract_ids(spec, c),
        name: c.name.to_lowercase(),
    }
}

/// `dev, staging and prod`, or the spec's own environments in the same form. Names are cleaned
/// like a clause (no parentheses, no placeholders); one that is not usable is left out.
fn environments_phrase(names: &[String]) -> String {
    match usable_environments(names).as_slice() {
        [] => "dev, staging and prod".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `from dev to prod`, or from the spec's first environment to its last (the order of its
/// table is the promotion order); `into prod` when it names one.
fn promotion_phrase(names: &[String]) -> String {
    match usable_environments(names).as_slice() {
        [] => "from dev to prod".to_string(),
        [one] => format!("into {one}"),
        [first, .., last] => format!("from {first} to {last}"),
    }
}

/// `: the previous version back within 30 minutes, with data loss no greater than 15 minutes`, from
/// the recovery objectives the spec states; empty when it states neither.
fn recovery_target(facts: &Facts) -> String {
    let value = |v: &Option<String>| v.as_deref().and_then(stated);
    match (value(&facts.rto), value(&facts.rpo)) {
        (Some(rto), Some(rpo)) => {
            format!(
                ": the previous version back within {rto}, with data loss no greater than {rpo}"
            )
        }
        (Some(rto), None) => format!(": the previous version back within {rto}"),
        (None, Some(rpo)) => format!(": data loss no greater than {rpo}"),
        (None, None) => String::new(),
    }
}

/// What the cost check holds each change to: the spec's ceilings per environment and in
/// total (`each environment against its monthly ceiling: staging EUR 1,500, prod EUR 4,500,
/// EUR 6,000 in total`), or the words of the spec when it states none.
fn cost_target(facts: &Facts) -> String {
    let per_env: Vec<String> = facts
        .environments
        .iter()
        .filter_map(|e| {
            Some(format!(
                "{} {}",
                stated(&e.name)?,
                stated(e.monthly_ceiling.as_deref()?)?
            ))
        })
        .collect();
    let total = facts.monthly_ceiling.as_deref().and_then(stated);
    match (per_env.is_empty(), total) {
        (false, Some(t)) => format!(
            "each environment against its monthly ceiling: {}, {t} in total,",
            per_env.join(", ")
        ),
        (false, None) => format!(
            "each environment against its monthly ceiling: {},",
            per_env.join(", ")
        ),
        (true, Some(t)) => format!("all environments together against the monthly ceiling of {t}"),
        (true, None) => "each environment against the monthly ceiling spec.md states".to_string(),
    }
}

/// A value the spec states, as a clause of a task line: [`clause`], and nothing that would
/// change what the line says to its readers: a requirement ID (the task would seem to serve
/// it), a backtick (an unbalanced one turns the rest of the line into code) or angle brackets
/// (HTML). `None` then, and the task keeps its general words.
fn stated(value: &str) -> Option<String> {
    let v = clause(value)?;
    let plain = !v.contains(['`', '<', '>']) && crate::docs::ids_in(&v).next().is_none();
    plain.then_some(v)
}

/// The environment names that read as a phrase: cleaned like a clause, at most four words.
fn usable_environments(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| stated(n))
        .filter(|n| n.split_whitespace().count() <= 4)
        .collect()
}

/// Verbs a module's description may start with, in the third person; the task then says
/// "which manages …" rather than "which provisions manages …".
const OWN_VERBS: &[&str] = &[
    "orchestrates",
    "manages",
    "stores",
    "holds",
    "runs",
    "handles",
    "exposes",
    "defines",
    "configures",
    "deploys",
    "routes",
    "grants",
    "enforces",
    "collects",
    "sends",
    "keeps",
    "hosts",
    "serves",
    "encrypts",
    "backs",
    "replicates",
    "schedules",
    "monitors",
    "builds",
    "connects",
    "isolates",
    "publishes",
    "rotates",
    "records",
];

/// A module's description as a clause of a task line: its first sentence, on one line, no
/// parentheses (they would read as requirement IDs), no placeholder, at most a dozen words, a
/// capitalised first word in lower case unless it is a name (`EKS`, `CloudFront`); `None` when
/// nothing is left.
fn clause(text: &str) -> Option<String> {
    // The first sentence: later ones (`… configuration. Takes: …`) do not fit in a task line.
    let text = text
        .find(". ")
        .filter(|&i| i > 0)
        .map_or(text, |i| &text[..i]);
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = plain.split_whitespace().take(12).collect();
    let s = words.join(" ");
    let s = s.trim_end_matches(['.', ';', ':', ',']).trim();
    let first = s.chars().next()?;
    if s.contains(['[', ']']) || !first.is_alphanumeric() {
        return None;
    }
    // "Provisions …" after "which provisions" would repeat the verb.
    let lower = s.to_lowercase();
    let s = ["provisions ", "provision ", "creates ", "create "]
        .iter()
        .find_map(|v| lower.starts_with(v).then(|| &s[v.len()..]))
        .unwrap_or(s);
    // `Managed secret storage` reads "which provisions managed secret storage"; a name with
    // capitals after its first letter (`EKS`, `CloudFront`) stays as written.
    let first = s.split_whitespace().next().unwrap_or_default();
    let ordinary = first.chars().skip(1).all(|c| !c.is_uppercase());
    Some(match s.chars().next() {
        Some(c) if c.is_uppercase() && ordinary => {
            c.to_lowercase().chain(s[c.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    })
}

/// Derive the task list.
pub(crate) fn derive(input: &TasksInput<'_>) -> TaskList {
    let spec = input.spec;
    // "dev, staging and prod", or the environments the spec states, as one phrase.
    let environment_names: Vec<String> = input
        .facts
        .environments
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let envs = environments_phrase(&environment_names);
    let ordered = spec.by_priority();
    let slugs = unique_slugs(ordered.iter().map(|s| s.title.as_str()), "scenario");
    let mut stories: Vec<Story<'_>> = ordered
        .iter()
        .zip(slugs)
        .map(|(s, slug)| Story {
            scenario: s,
            label: format!("US{}", s.number),
            slug,
            links: known(spec, s.links.iter().map(String::as_str)),
            parts: Vec::new(),
        })
        .collect();

    // Each module, and each contract's implementation, is built once, by the first scenario
    // (in priority order) that links one of its requirements, else that mentions it by name,
    // else the first scenario.
    let mut parts = modules(input);
    parts.extend(input.contracts.iter().map(|c| contract_part(spec, c)));
    // Sets, so that matching many parts against many links stays linear.
    let link_sets: Vec<HashSet<String>> = stories
        .iter()
        .map(|s| s.links.iter().cloned().collect())
        .collect();
    let mentioned = first_mentions(&stories, &parts);
    for (i, part) in parts.iter().enumerate() {
        let owner = link_sets
            .iter()
            .position(|links| part.ids.iter().any(|id| links.contains(id.as_str())))
            .or(mentioned[i])
            .unwrap_or(0);
        if let Some(s) = stories.get_mut(owner) {
            s.parts.push(i);
        }
    }

    let mut b = Builder {
        phases: Vec::new(),
        count: 0,
    };

    // Tasks that set up, check or polish the whole feature serve no requirement in particular,
    // so they name none: only what the documents link to a task is traced through it.
    b.phase(
        "Setup".into(),
        "The skeleton every later task builds in: the project layout, pinned tool versions and a state backend per environment.".into(),
    );
    b.task(
        None,
        format!("Create the project layout of the plan and describe it: modules/, environments/ for {envs}, policies/, tests/ and docs/runbooks/"),
        "README.md".into(),
        vec![],
        vec![],
    );
    // Only versioned command-line tools have a version to pin; managed services do not.
    let pinned = super::tools::pinned(input.choices.iter().map(String::as_str));
    let tools = if pinned.is_empty() {
        "the IaC toolchain and every command-line tool of the plan's Technical Context".to_string()
    } else {
        format!(
            "the command-line tools the plan decides: {}",
            pinned.join(", ")
        )
    };
    b.task(
        None,
        format!("Pin the versions of {tools}"),
        ".tool-versions".into(),
        vec![],
        vec![],
    );
    b.task(
        None,
        "Configure the state backend: one state per environment, locked and encrypted, so a change cannot reach beyond its environment".into(),
        "environments/backend/".into(),
        vec![],
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
        vec![],
        vec![],
    );
    b.task(
        None,
        "Write the policy-as-code tests: encryption, mandatory tags, least privilege and data residency".into(),
        "policies/".into(),
        vec![],
        vec![],
    );
    for c in input.contracts {
        b.task(
            None,
            format!(
                "Write the contract test for {}, per contracts/{}, against an ephemeral deployment",
                c.name, c.file
            ),
            format!("tests/contracts/{}/", contract_slug(&c.file)),
            contract_ids(spec, c),
            vec![],
        );
    }
    for q in input.quickstart {
        let story = stories.iter().find(|s| s.scenario.number == q.number);
        let (slug, ids) = match story {
            Some(s) => (s.slug.clone(), s.links.clone()),
            None => (
                file_slug(&q.title, "scenario"),
                known(spec, q.links.iter().map(String::as_str)),
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
            s.links.clone(),
            vec![],
        );
        let built: Vec<usize> = s
            .parts
            .iter()
            .map(|&p| {
                let part = &parts[p];
                b.task(
                    label,
                    part.description.clone(),
                    part.path.clone(),
                    part.ids.clone(),
                    vec![checks],
                )
            })
            .collect();
        let compose_after = if built.is_empty() {
            vec![checks]
        } else {
            built
        };
        b.task(
            label,
            format!(
                "Compose Scenario {} in {envs} from the modules, with only inputs differing, until its checks pass",
                sc.number
            ),
            "environments/".into(),
            s.links.clone(),
            compose_after,
        );
    }
    if stories.is_empty() && !parts.is_empty() {
        b.phase(
            "Core Infrastructure".into(),
            "The spec names no deployment scenario: build each module, and what each contract promises, on its own.".into(),
        );
        let built: Vec<usize> = parts
            .iter()
            .map(|part| {
                b.task(
                    None,
                    part.description.clone(),
                    part.path.clone(),
                    part.ids.clone(),
                    vec![],
                )
            })
            .collect();
        b.task(
            None,
            format!("Compose the modules in {envs}, with only inputs differing"),
            "environments/".into(),
            vec![],
            built,
        );
    }

    b.phase(
        "Polish".into(),
        "Documentation, recovery and cost, once every scenario passes.".into(),
    );
    b.task(
        None,
        format!(
            "Document every module's purpose, inputs and outputs, and the promotion path {}",
            promotion_phrase(&environment_names)
        ),
        "docs/modules.md".into(),
        vec![],
        vec![],
    );
    b.task(
        None,
        format!(
            "Write the rollback runbook and exercise it in a non-production environment{}",
            recovery_target(input.facts)
        ),
        "docs/runbooks/rollback.md".into(),
        vec![],
        vec![],
    );
    b.task(
        None,
        format!(
            "Add the cost check: estimate {} and block a change that breaks it",
            cost_target(input.facts)
        ),
        "tests/pre-deploy/cost/".into(),
        vec![],
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

/// The path component a contract file gives the paths of its tasks: its name without `.md`,
/// as a file slug, so that a file name cannot carry `..`, spaces or control characters into
/// tasks.md.
fn contract_slug(file: &str) -> String {
    file_slug(stem(file), "contract")
}

/// `[P]` exactly when a task depends on no task and no other task of its phase has its path.
fn mark_parallel(phases: &mut [Phase]) {
    for p in phases {
        // Counted once per phase: a phase may hold fifty thousand module tasks.
        let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for t in &p.tasks {
            *uses.entry(t.path.clone()).or_insert(0) += 1;
        }
        for t in &mut p.tasks {
            let shared = uses.get(&t.path).is_some_and(|&n| n > 1);
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
        list_with(spec_doc, "", dm, contracts, quick)
    }

    fn list_with(
        spec_doc: &str,
        plan: &str,
        dm: &str,
        contracts: &[(&str, &str)],
        quick: &str,
    ) -> TaskList {
        let spec = Spec::parse(&Document::parse(spec_doc));
        let modules = crate::docs::plan::Plan::parse(&Document::parse(plan)).modules;
        let resources = design::resources(&Document::parse(dm));
        let contracts: Vec<Contract> = contracts
            .iter()
            .map(|(f, d)| design::contract(f, &Document::parse(d)))
            .collect();
        let choices: Vec<String> =
            design::decisions(&Document::parse("## Decision: EKS\n## Decision: Cilium\n"))
                .into_iter()
                .map(|d| d.name)
                .collect();
        let quickstart = design::quickstart_scenarios(&Document::parse(quick));
        derive(&TasksInput {
            spec: &spec,
            resources: &resources,
            contracts: &contracts,
            choices: &choices,
            quickstart: &quickstart,
            modules: &modules,
            facts: &Facts::default(),
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
        let ids = if t.requirements.is_empty() {
            String::new()
        } else {
            format!(" ({})", t.requirements.join(", "))
        };
        format!(
            "{}{}{} {} in {}{ids} <- {:?}",
            t.id,
            if t.parallel { " [P]" } else { "" },
            t.story
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default(),
            t.description.split(':').next().unwrap_or_default(),
            t.path,
            t.depends_on
        )
    }

    fn lines(l: &TaskList) -> Vec<String> {
        l.phases.iter().flat_map(|p| &p.tasks).map(line).collect()
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
        // Setup, validation of the whole feature and polish carry no ID; a scenario's tasks
        // carry the IDs its section names; a resource the IDs its own documents name (none for
        // Tenant Namespace and Audit Log); Scenario 3 names none, so its tasks carry none.
        assert_eq!(
            lines(&l),
            [
                "T001 [P] Create the project layout of the plan and describe it in README.md <- []",
                "T002 [P] Pin the versions of the IaC toolchain and every command-line tool of the plan's Technical Context in .tool-versions <- []",
                "T003 [P] Configure the state backend in environments/backend/ <- []",
                "T004 [P] Write the pre-deploy checks in tests/pre-deploy/ <- []",
                "T005 [P] Write the policy-as-code tests in policies/ <- []",
                "T006 [P] Write the contract test for Cluster API, per contracts/cluster-api.md, against an ephemeral deployment in tests/contracts/cluster-api/ (IR-001) <- []",
                "T007 [P] Write the integration test for Scenario 2 in tests/integration/tenant-onboarding/ (IR-001, SC-001) <- []",
                "T008 [P] Write the integration test for Scenario 1 in tests/integration/noisy-neighbour-containment/ (IR-002, NFR-001) <- []",
                "T009 [P] [US2] Write the acceptance checks of Scenario 2, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/tenant-onboarding/ (IR-001, SC-001) <- []",
                "T010 [US2] Build the Tenant Namespace module in modules/tenant-namespace/ <- [8]",
                "T011 [US2] Build the Audit Log module in modules/audit-log/ <- [8]",
                "T012 [US2] Expose the Cluster API interface per contracts/cluster-api.md in modules/cluster-api/ (IR-001) <- [8]",
                "T013 [US2] Compose Scenario 2 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-001, SC-001) <- [9, 10, 11]",
                "T014 [P] [US1] Write the acceptance checks of Scenario 1, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/noisy-neighbour-containment/ (IR-002, NFR-001) <- []",
                "T015 [US1] Build the Resource Quota module in modules/resource-quota/ (IR-002) <- [13]",
                "T016 [US1] Compose Scenario 1 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-002, NFR-001) <- [14]",
                "T017 [P] [US3] Write the acceptance checks of Scenario 3, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/cost-report/ <- []",
                "T018 [US3] Compose Scenario 3 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ <- [16]",
                "T019 [P] Document every module's purpose, inputs and outputs, and the promotion path from dev to prod in docs/modules.md <- []",
                "T020 [P] Write the rollback runbook and exercise it in a non-production environment in docs/runbooks/rollback.md <- []",
                "T021 [P] Add the cost check in tests/pre-deploy/cost/ <- []",
            ]
        );
        assert_eq!(
            l.phases[3].goal,
            "Independent test: flood one tenant; the others keep their latency."
        );
        assert_eq!(
            l.dependencies[3..],
            [
                "T010, T011, T012 after T009",
                "T013 after T010, T011, T012",
                "T015 after T014",
                "T016 after T015",
                "T018 after T017"
            ]
        );
    }

    const DR_SPEC: &str = "\
# Infrastructure Specification: Regional disaster recovery

### Scenario 1: Regional failover (Priority: P1)
Traffic moves to the standby region.

**Requirements**: IR-001, IR-002, NFR-001

### Scenario 2: Point-in-time restore (Priority: P2)
Restores come from the backup-vault. Unlike IR-001, this is manual.

- **Requirements**: IR-003

### Scenario 3: Drill report (Priority: P3)
Nothing linked here.

## Requirements
- **IR-001**: The platform MUST replicate the database to the standby region.
- **IR-002**: The platform MUST move DNS to the standby region on failure.
- **IR-003**: The platform MUST restore to any point in the last 7 days.
- **IR-004**: The platform MUST audit every failover.
- **NFR-001**: Failover MUST complete within 15 minutes.
- **SC-001**: A quarterly drill passes.
";

    const DR_PLAN: &str = "\
# Implementation Plan: Regional disaster recovery

## Modules

- **replicated-database** (IR-001, IR-003): the primary and standby databases (one per region)
- **failover-dns** (IR-002, IR-099): health-checked DNS records
- **backup-vault**: [WHAT IT PROVISIONS]
";

    #[test]
    fn a_description_that_starts_with_its_own_verb_keeps_it() {
        let l = list_with(
            "## Requirements\n\n- **IR-001**: Images MUST be built from pinned bases.\n",
            "## Modules\n\n- **image-builder** (IR-001): Orchestrates the image build. Takes: a tag\n- **secret-store** (IR-001): Managed secret storage\n",
            "",
            &[],
            "",
        );
        let built: Vec<&str> = l
            .phases
            .iter()
            .flat_map(|p| &p.tasks)
            .map(|t| t.description.as_str())
            .filter(|d| d.starts_with("Build the"))
            .collect();
        assert_eq!(
            built,
            [
                "Build the image-builder module, which orchestrates the image build: typed inputs with validation, declared outputs, a README and an example",
                "Build the secret-store module, which provisions managed secret storage: typed inputs with validation, declared outputs, a README and an example",
            ]
        );
    }

    fn dr() -> TaskList {
        list_with(
            DR_SPEC,
            DR_PLAN,
            "## Resource: Ignored Because The Plan Names Modules\nIR-004\n",
            &[
                (
                    "regional-failover.md",
                    "# Contract: Regional failover\n- **Kind**: procedure\n\nServes IR-002 and NFR-001.\n",
                ),
                ("status-api.md", "# Contract: Status API\n"),
                ("promotion-pipeline.md", "# Contract: Promotion pipeline\n"),
            ],
            "",
        )
    }

    #[test]
    fn tasks_carry_exactly_the_ids_the_documents_link() {
        assert_eq!(
            lines(&dr())[3..],
            [
                "T004 [P] Write the pre-deploy checks in tests/pre-deploy/ <- []",
                "T005 [P] Write the policy-as-code tests in policies/ <- []",
                "T006 [P] Write the contract test for Regional failover, per contracts/regional-failover.md, against an ephemeral deployment in tests/contracts/regional-failover/ (IR-002, NFR-001) <- []",
                "T007 [P] Write the contract test for Status API, per contracts/status-api.md, against an ephemeral deployment in tests/contracts/status-api/ <- []",
                "T008 [P] Write the contract test for Promotion pipeline, per contracts/promotion-pipeline.md, against an ephemeral deployment in tests/contracts/promotion-pipeline/ <- []",
                "T009 [P] [US1] Write the acceptance checks of Scenario 1, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/regional-failover/ (IR-001, IR-002, NFR-001) <- []",
                "T010 [US1] Build the replicated-database module, which provisions the primary and standby databases in modules/replicated-database/ (IR-001, IR-003) <- [8]",
                "T011 [US1] Build the failover-dns module, which provisions health-checked DNS records in modules/failover-dns/ (IR-002) <- [8]",
                "T012 [US1] Write the Regional failover procedure per contracts/regional-failover.md, step by step, and rehearse it in a non-production environment in docs/runbooks/regional-failover.md (IR-002, NFR-001) <- [8]",
                "T013 [US1] Expose the Status API interface per contracts/status-api.md in modules/status-api/ <- [8]",
                "T014 [US1] Build the Promotion pipeline per contracts/promotion-pipeline.md, with every stage and gate it promises in pipelines/promotion-pipeline/ <- [8]",
                "T015 [US1] Compose Scenario 1 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-001, IR-002, NFR-001) <- [9, 10, 11, 12, 13]",
                "T016 [P] [US2] Write the acceptance checks of Scenario 2, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/point-in-time-restore/ (IR-003) <- []",
                "T017 [US2] Build the backup-vault module in modules/backup-vault/ <- [15]",
                "T018 [US2] Compose Scenario 2 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ (IR-003) <- [16]",
                "T019 [P] [US3] Write the acceptance checks of Scenario 3, its Given/When/Then in spec.md, and see them fail in tests/post-deploy/drill-report/ <- []",
                "T020 [US3] Compose Scenario 3 in dev, staging and prod from the modules, with only inputs differing, until its checks pass in environments/ <- [18]",
                "T021 [P] Document every module's purpose, inputs and outputs, and the promotion path from dev to prod in docs/modules.md <- []",
                "T022 [P] Write the rollback runbook and exercise it in a non-production environment in docs/runbooks/rollback.md <- []",
                "T023 [P] Add the cost check in tests/pre-deploy/cost/ <- []",
            ]
        );
    }

    fn named(l: &TaskList) -> BTreeSet<&str> {
        l.phases
            .iter()
            .flat_map(|p| &p.tasks)
            .flat_map(|t| t.requirements.iter().map(String::as_str))
            .collect()
    }

    #[test]
    fn the_spec_s_environments_name_the_composition() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(environments_phrase(&[]), "dev, staging and prod");
        let env = |name: &str, ceiling: Option<&str>| crate::docs::facts::Environment {
            name: name.into(),
            monthly_ceiling: ceiling.map(Into::into),
            ..Default::default()
        };
        let mut facts = Facts::default();
        assert_eq!(recovery_target(&facts), "");
        assert_eq!(
            cost_target(&facts),
            "each environment against the monthly ceiling spec.md states"
        );
        facts.rto = Some("30 minutes".into());
        assert_eq!(
            recovery_target(&facts),
            ": the previous version back within 30 minutes"
        );
        facts.rpo = Some("[RPO]".into());
        assert_eq!(
            recovery_target(&facts),
            ": the previous version back within 30 minutes",
            "a placeholder is no value"
        );
        facts.rpo = Some("15 minutes, as NFR-003 demands".into());
        assert_eq!(
            recovery_target(&facts),
            ": the previous version back within 30 minutes",
            "a value naming a requirement would make the task seem to serve it"
        );
        facts.rpo = Some("`15 minutes".into());
        assert_eq!(
            recovery_target(&facts),
            ": the previous version back within 30 minutes"
        );
        facts.rpo = Some("15 minutes".into());
        assert_eq!(
            recovery_target(&facts),
            ": the previous version back within 30 minutes, with data loss no greater than 15 minutes"
        );
        facts.monthly_ceiling = Some("EUR 6,000".into());
        assert_eq!(
            cost_target(&facts),
            "all environments together against the monthly ceiling of EUR 6,000"
        );
        facts.environments = vec![
            env("staging", Some("EUR 1,500")),
            env("dev", None),
            env("prod", Some("EUR 4,500")),
        ];
        assert_eq!(
        cost_target(&facts),
        "each environment against its monthly ceiling: staging EUR 1,500, prod EUR 4,500, EUR 6,000 in total,"
    );
        // Descriptions written by other tools: the first sentence, a capitalised ordinary word in
        // lower case, names kept.
        assert_eq!(
            clause("Managed secret storage for credentials . Created during bootstrap").as_deref(),
            Some("managed secret storage for credentials")
        );
        assert_eq!(
            clause("Orchestrates image building and deployment. Takes: a tag").as_deref(),
            Some("orchestrates image building and deployment")
        );
        assert_eq!(
            clause("EKS cluster over three zones").as_deref(),
            Some("EKS cluster over three zones")
        );
        assert_eq!(
            clause("CloudFront distribution").as_deref(),
            Some("CloudFront distribution")
        );
        assert_eq!(promotion_phrase(&[]), "from dev to prod");
        assert_eq!(promotion_phrase(&s(&["prod"])), "into prod");
        assert_eq!(
            promotion_phrase(&s(&["staging", "[ENVIRONMENT]", "prod"])),
            "from staging to prod"
        );
        assert_eq!(
            environments_phrase(&s(&["staging", "prod"])),
            "staging and prod"
        );
        assert_eq!(
            environments_phrase(&s(&["dev", "[ENVIRONMENT]", "qa (eu)", "prod"])),
            "dev, qa and prod"
        );
    }

    #[test]
    fn no_task_names_an_id_no_document_links_or_the_spec_lacks() {
        // Withdrawn; linked by no document (only by a data model the plan's modules replace);
        // unknown to the spec; a success criterion no scenario links.
        assert!(!named(&golden()).contains("IR-003"));
        let dr = dr();
        for absent in ["IR-004", "IR-099", "SC-001"] {
            assert!(!named(&dr).contains(absent), "{absent}");
        }
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
    /// IDs), and no ID named but the spec's active ones.
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
        if !named.is_subset(&active) {
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
            // Exactly the active IDs a document links are named: a scenario's, a resource's
            // (the first of a repeated name), a contract's.
            let mut seen_names = BTreeSet::new();
            let linked: BTreeSet<String> = scenarios
                .iter()
                .flat_map(|(_, serves)| serves.iter().map(|&i| id(i)))
                .chain(resources.iter().filter(|(name, _)| seen_names.insert(name.clone())).filter_map(|(_, i)| i.map(&id)))
                .chain(contracts.iter().filter_map(|(_, i)| i.map(&id)))
                .filter(|i| spec.requirement(i).is_some_and(|r| !r.withdrawn))
                .collect();
            let named: BTreeSet<String> = named(&l).into_iter().map(str::to_string).collect();
            proptest::prop_assert_eq!(named, linked);
        }
    }
}

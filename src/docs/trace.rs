//! Cross-document checks, as pure functions over parsed documents. `check` reports them as
//! SO006 untraced-requirement, SO007 unknown-reference, SO008 stale-derivation and
//! SO009 unjustified-gate.

use std::collections::BTreeSet;

use serde::Serialize;

use super::fingerprint::{self, requirement_hash};
use super::plan::{row_names_gate, Plan};
use super::spec::Spec;
use super::tasks::Tasks;

/// A requirement ID found at a line of some document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdAt {
    pub line: usize,
    pub id: String,
}

/// SO006: active spec requirements no task serves (lines are spec lines). A task serves the
/// IDs it names anywhere in its text (ranges included).
///
/// Only a task list that traces requirements is judged: one `specops tasks` derived (it
/// records the plan's fingerprint, and links every task explicitly), or one in which at least
/// half of the tasks name a requirement of the spec. A list that names IDs on a few tasks and
/// serves the rest by their content (five tasks adding five enum values, none naming FR-001)
/// does not trace by ID, and a warning for every requirement it does not name would be noise.
/// Success criteria (`SC-…`) are outcomes measured on the running system, not work a task
/// does, so no task is asked for them.
pub fn untraced(spec: &Spec, tasks: &Tasks) -> Vec<IdAt> {
    let names_one = |t: &&super::tasks::TaskLine| {
        t.requirements
            .iter()
            .chain(&t.mentions)
            .any(|id| spec.requirement(id).is_some())
    };
    let citing = tasks.tasks.iter().filter(names_one).count();
    let traces = citing > 0 && (tasks.fingerprint.is_some() || citing * 2 >= tasks.tasks.len());
    if !traces {
        return Vec::new();
    }
    // Sized once: a list of ten thousand tasks would otherwise rehash the set as it grows.
    let named = tasks
        .tasks
        .iter()
        .map(|t| t.requirements.len() + t.mentions.len());
    let mut served = std::collections::HashSet::with_capacity(named.sum());
    served.extend(
        tasks
            .tasks
            .iter()
            .flat_map(|t| t.requirements.iter().chain(&t.mentions).map(String::as_str)),
    );
    spec.active()
        .filter(|r| r.kind != "SC")
        .filter(|r| !served.contains(r.id.as_str()))
        .map(|r| IdAt {
            line: r.line,
            id: r.id.clone(),
        })
        .collect()
}

/// SO013: the spec's active requirements that at least one task serves and whose every task
/// is ticked (lines are spec lines): done, as far as the task list says.
pub fn done_requirements(spec: &Spec, tasks: &Tasks) -> Vec<IdAt> {
    let mut state: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for t in &tasks.tasks {
        if t.state != crate::markdown::Check::Open && t.state != crate::markdown::Check::Done {
            continue;
        }
        let mut seen = BTreeSet::new();
        for id in t.requirements.iter().chain(&t.mentions) {
            if seen.insert(id.as_str()) {
                let all = state.entry(id.as_str()).or_insert(true);
                *all &= t.done;
            }
        }
    }
    spec.active()
        .filter(|r| state.get(r.id.as_str()) == Some(&true))
        .map(|r| IdAt {
            line: r.line,
            id: r.id.clone(),
        })
        .collect()
}

/// Whether `id`, cited by a task, looks like one of the spec's requirements but is not one: its
/// prefix is one the spec defines requirements with (`FR-099` where the spec has `FR-001`…) or
/// a requirement prefix of ours or spec-kit's (`IR`, `NFR`, `FR`, `SC`), and the spec has no
/// such requirement. An ID of another prefix (`R-1`, `D-3`, `ADR-2`) names something else, a
/// research decision or a design record, and is not a requirement reference.
fn is_unknown(spec: &Spec, prefixes: &BTreeSet<&str>, id: &str) -> bool {
    let prefix = id.split('-').next().unwrap_or_default();
    prefixes.contains(prefix) && spec.requirement(id).is_none()
}

/// The prefixes of requirement IDs: the spec's own and the usual ones.
fn prefixes(spec: &Spec) -> BTreeSet<&str> {
    spec.requirements
        .iter()
        .map(|r| r.kind.as_str())
        .chain(["IR", "NFR", "FR", "SC"])
        .collect()
}

/// SO007: requirement IDs named by tasks that the spec does not define (lines of tasks.md).
pub fn unknown_in_tasks(spec: &Spec, tasks: &Tasks) -> Vec<IdAt> {
    let prefixes = prefixes(spec);
    tasks
        .tasks
        .iter()
        .flat_map(|t| t.requirements.iter().map(move |id| (t.line, id)))
        .filter(|(_, id)| is_unknown(spec, &prefixes, id))
        .map(|(line, id)| IdAt {
            line,
            id: id.clone(),
        })
        .collect()
}

/// SO007: traceability rows of the plan naming IDs the spec does not define, and module items of
/// `## Modules` naming a requirement-like ID it does not define (lines of plan.md; `tasks` would
/// drop such an ID without a word).
pub fn unknown_in_plan(spec: &Spec, plan: &Plan) -> Vec<IdAt> {
    let prefixes = prefixes(spec);
    let rows = plan
        .traceability
        .iter()
        .filter(|r| spec.requirement(&r.first).is_none())
        .map(|r| IdAt {
            line: r.line,
            id: r.first.clone(),
        });
    let modules = plan.modules.iter().flat_map(|m| {
        m.ids
            .iter()
            .filter(|id| is_unknown(spec, &prefixes, id))
            .map(|id| IdAt {
                line: m.line,
                id: id.clone(),
            })
            .collect::<Vec<_>>()
    });
    rows.chain(modules).collect()
}

/// A traceability row that leaves a question unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unanswered {
    pub line: usize,
    pub id: String,
    /// The headers of its empty cells (`Plan element`, `Validation`).
    pub columns: Vec<String>,
}

/// Headers of the cells a traceability row must fill: where the requirement is met and how it
/// is proven. Matched as words in the header, ignoring case.
const ANSWER_HEADERS: &[&str] = &[
    "plan",
    "element",
    "module",
    "component",
    "implement",
    "design",
    "validation",
    "test",
    "verif",
    "check",
    "proof",
    "evidence",
];

/// A cell that says nothing yet: empty, a dash, `TBD`, `TODO`, `?`.
fn says_nothing(cell: &str) -> bool {
    matches!(
        super::unemphasise(cell).to_ascii_lowercase().as_str(),
        "" | "—" | "–" | "-" | "--" | "---" | "tbd" | "todo" | "?" | "…" | "..."
    )
}

/// SO010: rows of the plan's traceability table whose plan-element or validation cell says
/// nothing yet (lines of plan.md). In a table whose header names no such column (another
/// tool's), a row is reported only when every cell after the ID says nothing. Rows of withdrawn
/// requirements, and rows that say "Withdrawn", need no answer.
pub fn unanswered_rows(spec: Option<&Spec>, plan: &Plan) -> Vec<Unanswered> {
    let Some(table) = &plan.traceability_table else {
        return Vec::new();
    };
    let answers: Vec<usize> = table
        .header
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, h)| {
            let h = h.to_lowercase();
            ANSWER_HEADERS.iter().any(|w| h.contains(w))
        })
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for row in &plan.traceability {
        let withdrawn = spec
            .and_then(|s| s.requirement(&row.first))
            .is_some_and(|r| r.withdrawn)
            || row
                .cells
                .iter()
                .any(|c| c.to_lowercase().contains("withdrawn"));
        if withdrawn {
            continue;
        }
        let column = |i: usize| table.header.get(i).cloned().unwrap_or_default();
        let columns: Vec<String> = if answers.is_empty() {
            let rest = row.cells.get(1..).unwrap_or_default();
            if rest.is_empty() || !rest.iter().all(|c| says_nothing(c)) {
                continue;
            }
            (1..row.cells.len()).map(column).collect()
        } else {
            answers
                .iter()
                .filter(|&&i| row.cells.get(i).is_none_or(|c| says_nothing(c)))
                .map(|&i| column(i))
                .collect()
        };
        if !columns.is_empty() {
            out.push(Unanswered {
                line: row.line,
                id: row.first.clone(),
                columns,
            });
        }
    }
    out
}

/// SO010: the spec's active requirements that have no row in the plan's traceability table, in
/// spec order; none when the plan has no such table.
pub fn missing_rows<'s>(spec: &'s Spec, plan: &Plan) -> Vec<&'s str> {
    if plan.traceability_table.is_none() {
        return Vec::new();
    }
    let rows: BTreeSet<&str> = plan.traceability.iter().map(|r| r.first.as_str()).collect();
    spec.active()
        .filter(|r| !rows.contains(r.id.as_str()))
        .map(|r| r.id.as_str())
        .collect()
}

/// How a requirement differs from the plan's fingerprint of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Its text changed (line: the spec's definition).
    Changed,
    /// It is new in the spec (line: the spec's definition).
    Added,
    /// The spec no longer defines it (line: the plan's fingerprint comment).
    Removed,
}

/// One requirement that moved since the plan was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    pub id: String,
    pub change: Change,
    pub line: usize,
}

/// SO008: the requirements whose text changed, were added or were removed since the plan was
/// made. A plan with no fingerprint (written by hand) has nothing to compare and gives none.
pub fn stale_requirements(spec: &Spec, plan: &Plan) -> Vec<Stale> {
    plan.fingerprint
        .as_ref()
        .map(|r| stale_against(spec, r))
        .unwrap_or_default()
}

/// SO012: ticked tasks that serve a requirement whose text changed (or that the spec no longer
/// defines) since the task list recorded the spec's fingerprint: each task's line, ID and the
/// IDs that moved. None when the list records no spec fingerprint.
pub fn stale_done_tasks(spec: &Spec, tasks: &Tasks) -> Vec<(usize, String, Vec<String>)> {
    let Some(recorded) = &tasks.spec_fingerprint else {
        return Vec::new();
    };
    let moved: BTreeSet<String> = stale_against(spec, recorded)
        .into_iter()
        .filter(|s| s.change != Change::Added)
        .map(|s| s.id)
        .collect();
    if moved.is_empty() {
        return Vec::new();
    }
    tasks
        .tasks
        .iter()
        .filter(|t| t.done)
        .filter_map(|t| {
            let mut ids: Vec<String> = Vec::new();
            for id in t.requirements.iter().chain(&t.mentions) {
                if moved.contains(id) && !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            (!ids.is_empty()).then(|| (t.line, t.id.clone(), ids))
        })
        .collect()
}

/// The requirements of `spec` that differ from the fingerprint `recorded` (per requirement
/// hashes): changed, added, or removed (those last, with the fingerprint's line).
pub fn stale_against(spec: &Spec, recorded: &super::fingerprint::Recorded) -> Vec<Stale> {
    let mut out = Vec::new();
    for r in &spec.requirements {
        let change = match recorded.entries.get(&r.id) {
            None => Change::Added,
            Some(h) if *h != requirement_hash(&r.text) => Change::Changed,
            Some(_) => continue,
        };
        out.push(Stale {
            id: r.id.clone(),
            change,
            line: r.line,
        });
    }
    for id in recorded.entries.keys() {
        if spec.requirement(id).is_none() {
            out.push(Stale {
                id: id.clone(),
                change: Change::Removed,
                line: recorded.line,
            });
        }
    }
    out
}

/// SO008: the line of tasks.md's plan fingerprint when the plan changed since the tasks were
/// derived; `None` when it did not, or when tasks.md records no fingerprint.
pub fn stale_plan(plan_doc: &str, tasks: &Tasks) -> Option<usize> {
    let recorded = tasks.fingerprint.as_ref()?;
    let hash = recorded.entries.get("plan")?;
    (*hash != fingerprint::document_hash(plan_doc)).then_some(recorded.line)
}

/// A part of the plan (a section or a module) that moved since the tasks were derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartChange {
    pub change: Change,
    /// `Technical Context`, `module tenant-quota`.
    pub title: String,
}

/// SO008: the parts of the plan that changed, were added or were removed since the tasks were
/// derived, in the plan's order (removed ones last). Empty when the task list records no
/// per-part fingerprint (derived by an older specops, or written by hand).
pub fn plan_changes(plan: &Plan, tasks: &Tasks) -> Vec<PartChange> {
    let Some(recorded) = &tasks.fingerprint else {
        return Vec::new();
    };
    let parts: Vec<(&String, &String)> = recorded
        .entries
        .iter()
        .filter(|(k, _)| *k != "plan")
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<PartChange> = Vec::new();
    for p in &plan.parts {
        let change = match recorded.entries.get(&p.key) {
            None => Change::Added,
            Some(h) if *h != p.hash => Change::Changed,
            Some(_) => continue,
        };
        out.push(PartChange {
            change,
            title: p.title.clone(),
        });
    }
    for (key, _) in parts {
        if !plan.parts.iter().any(|p| &p.key == key) {
            let title = match key.split_once(':') {
                Some(("module", m)) => format!("module {m}"),
                Some((_, section)) => section.to_string(),
                None => key.clone(),
            };
            out.push(PartChange {
                change: Change::Removed,
                title,
            });
        }
    }
    out
}

/// `changed IR-001, IR-002; added NFR-001`: the names in `items`, grouped by change, in the
/// order changed, added, removed; the empty string when there are none.
pub fn describe_changes<'a>(items: impl IntoIterator<Item = (Change, &'a str)>) -> String {
    let items: Vec<(Change, &str)> = items.into_iter().collect();
    [
        (Change::Changed, "changed"),
        (Change::Added, "added"),
        (Change::Removed, "removed"),
    ]
    .into_iter()
    .filter_map(|(change, word)| {
        let names: Vec<&str> = items
            .iter()
            .filter(|(c, _)| *c == change)
            .map(|(_, n)| *n)
            .collect();
        (!names.is_empty()).then(|| format!("{word} {}", names.join(", ")))
    })
    .collect::<Vec<_>>()
    .join("; ")
}

/// SO009: unticked gate items whose gate no Complexity Tracking row names (lines of plan.md;
/// the id is the gate's name).
pub fn unjustified_gates(plan: &Plan) -> Vec<IdAt> {
    plan.gates
        .iter()
        .filter(|g| !g.ticked && !g.set_aside && !is_justified(plan, &g.gate))
        .map(|g| IdAt {
            line: g.line,
            id: g.gate.clone(),
        })
        .collect()
}

/// Whether a Complexity Tracking row of `plan` names `gate`, i.e. breaking it is justified.
pub fn is_justified(plan: &Plan, gate: &str) -> bool {
    plan.complexity
        .iter()
        .any(|r| row_names_gate(&r.first, gate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;
    use std::collections::BTreeMap;

    const SPEC: &str = "\
# Spec: X
- **IR-001**: Tenants MUST be isolated.
- **IR-002**: Quotas MUST apply.
- **SC-001**: Onboarding within 10 minutes.
- **IR-003**: ~~Old~~ Withdrawn.
";

    fn plan_for(spec_doc: &str, body: &str) -> String {
        let spec = Spec::parse(&Document::parse(spec_doc));
        let hashes: BTreeMap<String, String> = spec
            .requirements
            .iter()
            .map(|r| (r.id.clone(), requirement_hash(&r.text)))
            .collect();
        format!("{body}\n{}\n", fingerprint::spec_comment(&hashes))
    }

    fn ids(v: &[IdAt]) -> Vec<(usize, &str)> {
        v.iter().map(|i| (i.line, i.id.as_str())).collect()
    }

    #[test]
    fn untraced_and_unknown() {
        let spec = Spec::parse(&Document::parse(SPEC));
        let tasks = Tasks::parse(&Document::parse(
            "- [ ] T001 a in x (IR-001)\n- [ ] T002 b in y (IR-001, IR-404)\n- [ ] T003 c in z (R-1, D-3)\n",
        ));
        // Success criteria are outcomes, not work: no task is asked for SC-001.
        assert_eq!(ids(&untraced(&spec, &tasks)), [(3, "IR-002")]);
        assert_eq!(ids(&unknown_in_tasks(&spec, &tasks)), [(2, "IR-404")]);
        // A mention in the description serves too; a list that names no requirement is not
        // traced at all.
        let mentioned = Tasks::parse(&Document::parse(
            "- [ ] T001 Enforce IR-002 quotas in x (IR-001)\n",
        ));
        assert!(untraced(&spec, &mentioned).is_empty());
        let untracing = Tasks::parse(&Document::parse(
            "- [ ] T001 a in x\n- [ ] T002 b per UTF-8 in y\n",
        ));
        assert!(untraced(&spec, &untracing).is_empty());
        // A list that names IDs on a few tasks and serves the rest by content is not judged…
        let by_content = Tasks::parse(&Document::parse(
            "- [ ] T001 a (IR-001)\n- [ ] T002 b\n- [ ] T003 c\n",
        ));
        assert!(untraced(&spec, &by_content).is_empty());
        // …unless specops derived it: then every link is explicit.
        let derived = Tasks::parse(&Document::parse(
            "- [ ] T001 a (IR-001)\n- [ ] T002 b\n- [ ] T003 c\n<!-- specops:fingerprint plan=0 -->\n",
        ));
        assert_eq!(ids(&untraced(&spec, &derived)), [(3, "IR-002")]);
        let plan = Plan::parse(&Document::parse("## Requirement Traceability\n| Requirement | x |\n|---|---|\n| IR-001 | a |\n| NFR-9 | b |\n",));
        assert_eq!(ids(&unknown_in_plan(&spec, &plan)), [(5, "NFR-9")]);
        let plan = Plan::parse(&Document::parse(
            "## Modules\n- **a** (IR-001, IR-099, ADR-2): x\n",
        ));
        assert_eq!(ids(&unknown_in_plan(&spec, &plan)), [(2, "IR-099")]);
    }

    #[test]
    fn stale_names_exactly_the_changed_added_and_removed_ids() {
        let plan_doc = plan_for(SPEC, "# Plan");
        let plan = Plan::parse(&Document::parse(&plan_doc));
        // Unchanged spec, whitespace-only edits: nothing is stale.
        assert!(stale_requirements(&Spec::parse(&Document::parse(SPEC)), &plan).is_empty());
        let reflowed = SPEC.replace("Quotas MUST apply.", "Quotas  MUST\n  apply.");
        assert!(stale_requirements(&Spec::parse(&Document::parse(&reflowed)), &plan).is_empty());
        // A hand edit: IR-002 changed, SC-001 removed, NFR-001 added.
        let edited = SPEC
            .replace("Quotas MUST apply.", "Quotas MUST apply per tenant.")
            .replace("- **SC-001**: Onboarding within 10 minutes.\n", "")
            + "- **NFR-001**: New.\n";
        let got: Vec<(String, Change)> =
            stale_requirements(&Spec::parse(&Document::parse(&edited)), &plan)
                .into_iter()
                .map(|s| (s.id, s.change))
                .collect();
        assert_eq!(
            got,
            [
                ("IR-002".to_string(), Change::Changed),
                ("NFR-001".to_string(), Change::Added),
                ("SC-001".to_string(), Change::Removed),
            ]
        );
        // No fingerprint, no finding.
        assert!(stale_requirements(
            &Spec::parse(&Document::parse(&edited)),
            &Plan::parse(&Document::parse("# Plan"))
        )
        .is_empty());
    }

    #[test]
    fn stale_plan_ignores_the_plans_own_fingerprint_line() {
        let plan_doc = plan_for(SPEC, "# Plan\n\nbody");
        let tasks_doc = format!(
            "- [ ] T001 a in x (IR-001)\n{}\n",
            fingerprint::plan_comment(&fingerprint::document_hash(&plan_doc), [])
        );
        let tasks = Tasks::parse(&Document::parse(&tasks_doc));
        assert_eq!(stale_plan(&plan_doc, &tasks), None);
        // The spec changed and the plan was regenerated only in its fingerprint: not stale.
        let refingerprinted = plan_for(&SPEC.replace("isolated", "separated"), "# Plan\n\nbody");
        assert_eq!(stale_plan(&refingerprinted, &tasks), None);
        // A hand edit of the plan body is.
        assert_eq!(
            stale_plan(&plan_doc.replace("body", "edited body"), &tasks),
            Some(2)
        );
        assert_eq!(
            stale_plan(&plan_doc, &Tasks::parse(&Document::parse("no fingerprint"))),
            None
        );
    }

    #[test]
    fn unjustified_gates_need_a_complexity_row() {
        let doc = "\
## Constitution Check
#### Simplicity Gate (Article VII)
- [ ] At most three projects
#### Anti-Abstraction Gate (Article VIII)
- [ ] No wrappers
- [x] One representation
### Article Gates
- [ ] **Article I: Module-First**: modules
## Complexity Tracking
| Gate | Violation | Why | Rejected |
|---|---|---|---|
| Simplicity Gate (Article VII) | four projects | a | b |
";
        let plan = Plan::parse(&Document::parse(doc));
        assert_eq!(
            ids(&unjustified_gates(&plan)),
            [
                (5, "Anti-Abstraction Gate (Article VIII)"),
                (8, "Article I: Module-First")
            ]
        );
    }
}

//! `specops tasks`: the golden feature's task list, determinism, --force, drift found after a
//! hand edit.

use crate::plan::{decide, golden, has, json, FEATURE, TECH};
use crate::support::Sandbox;
use specops::docs::{plan::Plan, spec::Spec, tasks::Tasks, trace};
use specops::markdown::Document;

/// The golden spec after a hand edit: IR-003 reworded, IR-006 added, SC-003 deleted.
pub fn hand_edited(spec: &str) -> String {
    spec.replace(
        "compute and storage quota per tenant.",
        "compute, storage and object-count quota per tenant.",
    )
    .replace(
        "- **SC-003**: The monthly report attributes at least 95% of platform cost to tenants.\n",
        "",
    )
    .replace(
        "### Non-Functional Requirements",
        "- **IR-006**: The platform MUST expire idle tenants after 90 days.\n\n### Non-Functional Requirements",
    )
}

pub fn planned() -> Sandbox {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    decide(&s, &format!("{FEATURE}/plan.md"));
    s
}

fn read_docs(s: &Sandbox) -> (Spec, String, Plan, Tasks) {
    let spec = Spec::parse(&Document::parse(&s.read(&format!("{FEATURE}/spec.md"))));
    let plan_text = s.read(&format!("{FEATURE}/plan.md"));
    let plan = Plan::parse(&Document::parse(&plan_text));
    let tasks = Tasks::parse(&Document::parse(&s.read(&format!("{FEATURE}/tasks.md"))));
    (spec, plan_text, plan, tasks)
}

#[test]
fn golden_feature_tasks() {
    let s = planned();
    let r = s.run_ok(&["tasks", "--feature", "3"]);
    insta::assert_snapshot!("tasks_human", r.stdout);
    let tasks = s.read(&format!("{FEATURE}/tasks.md"));
    insta::assert_snapshot!("golden_tasks_md", tasks);

    let line = regex::Regex::new(
        r"^- \[ \] T\d{3} (\[P\] )?(\[US\d+\] )?[^()]+ in \S+( \([A-Z]+-\d+(, [A-Z]+-\d+)*\))?$",
    )
    .unwrap();
    let task_lines: Vec<&str> = tasks.lines().filter(|l| l.starts_with("- [ ] T")).collect();
    assert_eq!(task_lines.len(), 25);
    for l in &task_lines {
        assert!(line.is_match(l), "malformed task line: {l}");
    }
    // Tasks for the whole feature (setup, foundational checks, polish) carry no ID; every
    // module of the plan's `## Modules` has its task, with exactly its IDs.
    for l in task_lines[..5].iter().chain(&task_lines[22..]) {
        assert!(!l.contains('('), "a whole-feature task names IDs: {l}");
    }
    has(&tasks, "Build the zone-spread module, which provisions workloads and storage spread over three zones: typed inputs with validation, declared outputs, a README and an example in modules/zone-spread/ (NFR-003)");
    // A fresh derivation traces everything and names nothing unknown, nothing stale.
    let (spec, plan_text, plan, parsed) = read_docs(&s);
    assert!(trace::untraced(&spec, &parsed).is_empty());
    assert!(trace::unknown_in_tasks(&spec, &parsed).is_empty());
    assert!(trace::unknown_in_plan(&spec, &plan).is_empty());
    assert_eq!(trace::stale_plan(&plan_text, &parsed), None);
}

#[test]
fn json_report_and_byte_identical_reruns() {
    let s = planned();
    let r = s.run_ok(&["tasks", "--feature", "3", "--json"]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(
        v,
        serde_json::json!({
            "tasks_file": format!("{FEATURE}/tasks.md"),
            "tasks": 25,
            "parallel": 16,
            "phases": 6,
        })
    );
    let first = s.read(&format!("{FEATURE}/tasks.md"));
    let r = s.run_ok(&["tasks", "--feature", "3"]);
    assert!(r.stdout.starts_with("unchanged"), "{}", r.stdout);
    s.run_ok(&["tasks", "--feature", "3", "--force"]);
    assert_eq!(s.read(&format!("{FEATURE}/tasks.md")), first);
}

#[test]
fn a_hand_edited_task_list_needs_force() {
    let s = planned();
    s.run_ok(&["tasks", "--feature", "3"]);
    let path = format!("{FEATURE}/tasks.md");
    s.write(&path, s.read(&path).replace("- [ ] T001", "- [x] T001"));
    let before = s.snapshot_tree();
    let r = s.run_err(&["tasks", "--feature", "3"]);
    has(&r.stderr, &path);
    assert_eq!(s.snapshot_tree(), before);
    s.run_ok(&["tasks", "--feature", "3", "--force"]);
    assert!(s.read(&path).contains("- [ ] T001"));
}

#[test]
fn tasks_needs_a_plan() {
    let s = golden();
    let r = s.run_err(&["tasks", "--feature", "3"]);
    has(
        &r.stderr,
        &format!("error: {FEATURE}/plan.md does not exist"),
    );
    has(&r.stderr, "hint: run `specops plan` first");
}

#[test]
fn design_documents_drive_the_derivation() {
    let s = planned();
    // A resource added to the data model, a contract removed.
    let dm = format!("{FEATURE}/data-model.md");
    s.write(
        &dm,
        s.read(&dm) + "\n## Resource: Audit Trail\n\nServes IR-004.\n",
    );
    std::fs::remove_file(s.join(&format!("{FEATURE}/contracts/tenant-cost-report.md"))).unwrap();
    s.run_ok(&["tasks", "--feature", "3"]);
    let tasks = s.read(&format!("{FEATURE}/tasks.md"));
    // The plan names its modules, so the data model's resources are not modules of their own.
    assert!(!tasks.contains("Audit Trail"), "{tasks}");
    assert!(!tasks.contains("contracts/tenant-cost-report.md"));
    // A plan that names no module falls back to the data model.
    let plan = format!("{FEATURE}/plan.md");
    let text = s.read(&plan);
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !(l.starts_with("- **") && l.contains("** (")))
        .collect();
    s.write(&plan, kept.join("\n") + "\n");
    s.run_ok(&["tasks", "--feature", "3", "--force"]);
    let tasks = s.read(&format!("{FEATURE}/tasks.md"));
    assert!(
        tasks.contains("[US2] Build the Audit Trail module: typed inputs with validation, declared outputs, a README and an example in modules/audit-trail/ (IR-004)"),
        "{tasks}"
    );
}

#[test]
fn drift_after_a_hand_edit_is_found_by_the_trace_checks() {
    let s = planned();
    s.run_ok(&["tasks", "--feature", "3"]);
    let spec_path = format!("{FEATURE}/spec.md");
    let edited = hand_edited(&s.read(&spec_path))
        // Reflowing a requirement is not a change.
        .replace(
            "- **IR-001**: The platform MUST give each tenant its own isolated namespace, created from a self-service request.",
            "- **IR-001**: The platform MUST give each tenant its own isolated namespace,\n  created from a self-service request.",
        );
    s.write(&spec_path, edited);
    let (spec, plan_text, plan, tasks) = read_docs(&s);
    let stale: Vec<(String, trace::Change)> = trace::stale_requirements(&spec, &plan)
        .into_iter()
        .map(|x| (x.id, x.change))
        .collect();
    assert_eq!(
        stale,
        [
            ("IR-003".to_string(), trace::Change::Changed),
            ("IR-006".to_string(), trace::Change::Added),
            ("SC-003".to_string(), trace::Change::Removed),
        ]
    );
    let untraced: Vec<String> = trace::untraced(&spec, &tasks)
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(untraced, ["IR-006"]);
    let unknown_tasks: Vec<String> = trace::unknown_in_tasks(&spec, &tasks)
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert!(unknown_tasks.iter().all(|id| id == "SC-003") && !unknown_tasks.is_empty());
    let unknown_plan: Vec<String> = trace::unknown_in_plan(&spec, &plan)
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(unknown_plan, ["SC-003"]);
    assert_eq!(trace::stale_plan(&plan_text, &tasks), None);

    // The plan edited by hand after the tasks were derived: the tasks are stale. Justifying
    // one gate in Complexity Tracking leaves the others unjustified.
    let plan_path = format!("{FEATURE}/plan.md");
    let justified = plan_text.replace("- [x] ", "- [ ] ").replace(
        "|------|-----------|------------------|--------------------------------------|\n",
        "|------|-----------|------------------|--------------------------------------|\n| Simplicity Gate (Article VII) | four projects | a shared tenant registry | merging it into modules breaks Article I |\n",
    );
    s.write(&plan_path, &justified);
    let (_, plan_text, plan, tasks) = read_docs(&s);
    let line = trace::stale_plan(&plan_text, &tasks).expect("plan changed after tasks");
    assert!(s
        .read(&format!("{FEATURE}/tasks.md"))
        .lines()
        .nth(line - 1)
        .unwrap()
        .contains("specops:fingerprint plan="));
    let gates: Vec<String> = trace::unjustified_gates(&plan)
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(
        gates.len(),
        16 - 3 - 1,
        "three Simplicity items and Article VII are justified"
    );
    assert!(!gates.iter().any(|g| g.contains("Simplicity")));
}

#[test]
fn the_environments_the_spec_states_are_the_ones_composed() {
    let s = planned();
    let spec = format!("{FEATURE}/spec.md");
    s.write(
        &spec,
        s.read(&spec)
            .replace("| dev | platform development | one EU region, two zones | smaller nodes, one node per zone |\n", "")
            .replace("| dev | 1,500 EUR | scaled to zero at night |\n", ""),
    );
    s.run_ok(&["tasks", "--feature", "3"]);
    let tasks = s.read(&format!("{FEATURE}/tasks.md"));
    has(
        &tasks,
        "Compose Scenario 2 in staging and prod from the modules",
    );
    has(&tasks, "environments/ for staging and prod, policies/");
    has(
        &tasks,
        "the promotion path from staging to prod in docs/modules.md",
    );
    assert!(!tasks.contains("dev, staging"), "{tasks}");
    // The plan's suggested layout has a folder for each of them, and none for dev.
    s.run_ok(&["plan", "--feature", "3", "--force", TECH]);
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    has(
        &plan,
        "only inputs differ (Article IV)\n  staging/\n  prod/\npolicies/",
    );
}

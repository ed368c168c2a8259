//! `specops next` and `specops done`: resuming work on a task list, ticking tasks atomically.

use crate::plan::{has, json, FEATURE};
use crate::support::Run;

use crate::tasks::planned;

fn derived() -> crate::support::Sandbox {
    let s = planned();
    s.run_ok(&["tasks", "--feature", "3"]);
    s
}

#[test]
fn next_lists_what_can_start_and_done_ticks_it() {
    let s = derived();
    let tasks = format!("{FEATURE}/tasks.md");
    let r = s.run_ok(&["next", "--feature", "3"]);
    insta::assert_snapshot!("next_human", r.stdout);
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    insta::assert_json_snapshot!("next_json", v);
    assert_eq!(
        v["ready"].as_array().unwrap().len(),
        3,
        "the three Setup tasks"
    );

    let before = s.read(&tasks);
    let r = s.run_ok(&["done", "T001", "T003", "--feature", "3"]);
    has(
        &r.stdout,
        "Ticked T001, T003 in specs/003-multi-tenant-kubernetes/tasks.md (2 of 25 tasks done).",
    );
    let after = s.read(&tasks);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(before.len(), after.len());
    for (old, new) in changed {
        assert_eq!(old.replacen("- [ ]", "- [x]", 1), new);
    }
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    let ids: Vec<&str> = v["ready"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["T002"]);

    // Phase 2 (Foundational Validation) starts only when Setup is done; every check of it is
    // ready at once, and a scenario's module waits for its acceptance checks.
    s.run_ok(&["done", "T002", "--feature", "3", "--json"]);
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    assert_eq!(v["phase"], "Phase 2: Foundational Validation");
    assert_eq!(v["ready"].as_array().unwrap().len(), 7);
    let all: Vec<String> = (4..=10).map(|n| format!("T{n:03}")).collect();
    let mut args = vec!["done", "--feature", "3"];
    args.extend(all.iter().map(String::as_str));
    s.run_ok(&args);
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    let ids: Vec<&str> = v["ready"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["T011"],
        "modules wait for the scenario's acceptance checks"
    );
    assert_eq!(
        v["ready"][0]["requirements"],
        serde_json::json!(["IR-001", "IR-002", "IR-004", "NFR-001", "SC-001"])
    );
    // A scenario's task says which scenario it belongs to, in JSON and in the human list.
    assert_eq!(v["ready"][0]["story"], "US2");
    let r = s.run_ok(&["next", "--feature", "3"]);
    has(&r.stdout, "  T011 [P] [US2] Write the acceptance checks");
}

#[test]
fn done_refuses_unknown_and_ticked_ids_and_writes_nothing() {
    let s = derived();
    s.run_ok(&["done", "T001", "--feature", "3"]);
    let before = s.snapshot_tree();
    for (args, needle) in [
        (vec!["done", "T001", "T002"], "T001 already ticked"),
        (
            vec!["done", "T999", "T002"],
            "no task T999 in specs/003-multi-tenant-kubernetes/tasks.md",
        ),
        (vec!["done", "t002"], "no task t002"),
    ] {
        let mut args = args.clone();
        args.extend(["--feature", "3"]);
        let r = s.run_err(&args);
        has(&r.stderr, needle);
        has(&r.stderr, "hint: run `specops next`");
        assert_eq!(s.snapshot_tree(), before, "{args:?} wrote something");
    }
    // No task list yet: a clear error.
    let fresh = planned();
    let r = fresh.run_err(&["next", "--feature", "3"]);
    has(&r.stderr, "tasks.md does not exist");
    has(&r.stderr, "hint: run `specops tasks`");
    let r: Run = fresh.run(&["done"]).into();
    assert_eq!(r.code, 2);
}

#[test]
fn a_finished_list_says_so() {
    let s = derived();
    let tasks = format!("{FEATURE}/tasks.md");
    s.write(&tasks, s.read(&tasks).replace("- [ ] T", "- [x] T"));
    let r = s.run_ok(&["next", "--feature", "3"]);
    assert_eq!(
        r.stdout,
        "All 25 tasks of specs/003-multi-tenant-kubernetes/tasks.md are done.\n"
    );
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    assert_eq!(
        (v["done"].as_u64(), v["total"].as_u64()),
        (Some(25), Some(25))
    );
    assert_eq!(v["ready"], serde_json::json!([]));
}

/// The derived list with `lines` added at the top of its Dependencies section.
fn derived_with_dependencies(lines: &str) -> crate::support::Sandbox {
    let s = derived();
    let tasks = format!("{FEATURE}/tasks.md");
    s.write(
        &tasks,
        s.read(&tasks)
            .replace("## Dependencies\n", &format!("## Dependencies\n\n{lines}")),
    );
    s
}

#[test]
fn a_dependency_cycle_is_named_not_taken_for_a_finished_list() {
    let s = derived_with_dependencies("- T001 after T002\n- T002 after T003\n- T003 after T001\n");
    let r: Run = s.run(&["next", "--feature", "3"]).into();
    assert_eq!(r.code, 1, "{}", r.stdout);
    has(&r.stdout, "No task can start");
    has(&r.stdout, "T001 waits for T002");
    let r: Run = s.run(&["next", "--feature", "3", "--json"]).into();
    assert_eq!(r.code, 1);
    let v = json(&r.stdout);
    assert_eq!(v["ready"], serde_json::json!([]));
    assert_eq!(
        v["stuck"][2],
        serde_json::json!({"id": "T003", "waits_for": ["T001"]})
    );
}

/// A dependency on a task the list lacks is not waited for, and `next` says so instead of
/// dropping it without a word.
#[test]
fn a_dependency_on_a_missing_task_is_said_not_silently_dropped() {
    let s = derived_with_dependencies("- T002 after T099\n");
    let r = s.run_ok(&["next", "--feature", "3"]);
    has(&r.stdout, "  T002 ");
    has(
        &r.stdout,
        "Note: T002 waits for T099, which no task has; not waited for",
    );
    let v = json(&s.run_ok(&["next", "--feature", "3", "--json"]).stdout);
    assert_eq!(
        v["ignored"],
        serde_json::json!([{"id": "T002", "waits_for": ["T099"]}])
    );
}

#[cfg(unix)]
#[test]
fn done_writes_through_a_symlink_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let s = derived();
    let tasks = format!("{FEATURE}/tasks.md");
    std::fs::rename(s.join(&tasks), s.join("docs-tasks.md")).unwrap();
    std::os::unix::fs::symlink(s.join("docs-tasks.md"), s.join(&tasks)).unwrap();
    std::fs::set_permissions(
        s.join("docs-tasks.md"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    s.run_ok(&["done", "T001", "--feature", "3"]);
    assert!(std::fs::symlink_metadata(s.join(&tasks))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(s.read("docs-tasks.md").contains("- [x] T001 "));
    let mode = std::fs::metadata(s.join("docs-tasks.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_task_with_two_scenario_tags_keeps_both_and_is_reported() {
    let s = crate::support::Sandbox::new();
    s.write(
        "specs/001-a/tasks.md",
        "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 [US1] [US2] two stories in y/\n",
    );
    let v = json(&s.run_ok(&["next", "--feature", "1", "--json"]).stdout);
    assert_eq!(v["ready"][0]["story"], "US1", "{v}");
    assert_eq!(v["ready"][0]["text"], "[US2] two stories in y/", "{v}");
    let r = s.run_ok(&["next", "--feature", "1"]);
    has(&r.stdout, "T001 [US1] [US2] two stories in y/");
    let r: Run = s.run(&["check", "specs/001-a/tasks.md"]).into();
    assert_eq!(r.code, 1, "{}", r.stdout);
    has(&r.stdout, "second scenario tag [US2] in task T001");
}

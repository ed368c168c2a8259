//! `check` on documents other tools write: the patterns of spec-kit and its forks that must not
//! raise false alarms, each next to the true finding that must stay.

use crate::support::Sandbox;

/// The (rule, line) pairs `check --format json` reports for `path`, after writing `text` there.
fn findings(path: &str, text: &str) -> Vec<(String, u64)> {
    let s = Sandbox::git();
    s.write(path, text);
    let r = s.run(&["check", "--format", "json", path]);
    rules_and_lines(&r.stdout)
}

/// The (rule, line) pairs of `check --format json` output.
fn rules_and_lines(stdout: &[u8]) -> Vec<(String, u64)> {
    let v: serde_json::Value = serde_json::from_slice(stdout).expect("JSON findings");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn rule(found: &[(String, u64)], id: &str) -> Vec<u64> {
    found
        .iter()
        .filter(|(r, _)| r == id)
        .map(|(_, l)| *l)
        .collect()
}

#[test]
fn task_lists_of_other_tools() {
    let text = "\
# Tasks: Widget

## Phase 1: Setup

- [x] T001 Create the layout
- [~] T001A Inserted later, in progress
- [-] T002 Dropped
- [→] T003 Moved to the next feature
- [ ] T004 Write the module
- [ ] T123 Inserted with a far higher number
- [ ] T005 Test the module
- [✅] T006 Done, in another tool's notation

## Validation Checklist

- [ ] Every task verified
  - [x] T004 Write the module
  - [ ] T005 Test the module

## Dependencies

- [ ] T005 Listed again at the top level
";
    let found = findings("specs/001-widget/tasks.md", text);
    // The outlier and the real duplicate; nothing for the nested references, the upper-case
    // suffix or the other checkbox states.
    assert_eq!(rule(&found, "SO005"), [10, 22], "{found:?}");
}

#[test]
fn a_task_list_numbered_its_own_way() {
    let found = findings(
        "specs/001-widget/tasks.md",
        "# Tasks\n\n## Phase 1\n\n- [ ] T-001 a\n- [ ] T-002 b\n- [ ] T3 c\n\n## Dependencies\n\nnone\n",
    );
    assert_eq!(rule(&found, "SO005"), [7], "{found:?}");
}

#[test]
fn checklist_items_set_aside_are_not_open_work() {
    let text = "\
# Requirements Checklist

## Quality

- [x] Every requirement is testable
- [ ] Every success criterion is measurable
- [ ] [N/A] Data residency (no data is stored)
- [ ] Multi-region failover (deferred to v2)

## Out of Scope

- [ ] Cross-cloud replication

## Future Enhancements

- [ ] Cost anomaly alerts
";
    let found = findings("specs/001-widget/checklists/requirements.md", text);
    assert_eq!(rule(&found, "SO002"), [6], "{found:?}");
}

#[test]
fn documents_are_judged_by_their_own_layout() {
    // spec-kit's free-form contract: not our template, so no SO004.
    let contract = "# Contract: Orders API\n\n## Endpoint\n\nPOST /orders\n\n## Request\n\nJSON body.\n\n## Response\n\n201 Created.\n";
    assert!(rule(
        &findings("specs/001-x/contracts/orders.md", contract),
        "SO004"
    )
    .is_empty());
    // A free-form spec titled after its feature promises none of the template's sections.
    let spec = "# 003: Preprod metrics\n\n## Requirements\n\n- **FR-001**: Emit metrics.\n\n## Acceptance Criteria\n\n- Metrics appear.\n";
    assert!(rule(&findings("specs/003-x/spec.md", spec), "SO004").is_empty());
    // A spec written from spec-kit's template is held to its mandatory sections.
    let spec = "# Feature Specification: X\n\n## User Scenarios & Testing *(mandatory)*\n\nA story.\n\n## Requirements *(mandatory)*\n\n- **FR-001**: Do it.\n";
    assert_eq!(rule(&findings("specs/003-x/spec.md", spec), "SO004"), [1]);
    // The title's punctuation does not decide whether a plan is judged.
    let plan = "# Implementation Plan - X\n\n## Summary\n\nA.\n\n## Technical Context\n\nB.\n";
    assert_eq!(rule(&findings("specs/003-x/plan.md", plan), "SO004"), [1]);
}

/// A feature folder with `spec` and `tasks`, checked as a whole.
fn feature(spec: &str, tasks: &str) -> Vec<(String, u64)> {
    let s = Sandbox::git();
    s.write("specs/001-widget/spec.md", spec);
    s.write("specs/001-widget/tasks.md", tasks);
    let r = s.run(&["check", "--format", "json", "specs/001-widget"]);
    rules_and_lines(&r.stdout)
}

const SPEC: &str = "\
# Feature Specification: Widget

## Requirements

- **FR-001**: The widget MUST start.
- **FR-002**: The widget MUST stop.
- **FR-003**: The widget MUST restart.
- **FR-004**: The widget MUST report.
- **FR-005**: The widget MUST log.

## Success Criteria

- **SC-001**: Starts within a second.
";

#[test]
fn requirement_links_of_other_tools() {
    // Ranges and wrapped lines name requirements; success criteria need no task; R-/D- IDs are
    // research decisions, not unknown requirements. FR-005 is named by no task: the true
    // finding that stays, since most tasks cite IDs.
    let tasks = "\
# Tasks

- [ ] T001 Build FR-001 through FR-003 (R-1, D-3)
- [ ] T002 Report, serving
  FR-004 on its second line
- [ ] T003 Typo in a link (FR-099)
";
    let found = feature(SPEC, tasks);
    assert_eq!(rule(&found, "SO006"), [9], "{found:?}");
    assert_eq!(rule(&found, "SO007"), [6], "{found:?}");
}

#[test]
fn a_list_that_serves_requirements_by_content_is_not_judged_by_id() {
    let tasks = "\
# Tasks

- [ ] T001 Add the start command (FR-001)
- [ ] T002 Add the stop command
- [ ] T003 Add the restart command
- [ ] T004 Add the report
- [ ] T005 Add logging
";
    assert!(rule(&feature(SPEC, tasks), "SO006").is_empty());
}

#[test]
fn a_gate_marked_optional_in_its_own_text_is_a_decision() {
    let plan = "\
# Implementation Plan: Widget

## Technical Context

Go.

## Constitution Check

- [x] **Test-First**: tests first
- [ ] **Issue Tracking**: epic linked to the spec - Optional for this feature
- [ ] **Simplicity**: one module
";
    let found = findings("specs/001-widget/plan.md", plan);
    assert_eq!(rule(&found, "SO009"), [11], "{found:?}");
    assert!(rule(&found, "SO002").is_empty(), "{found:?}");
}

#[test]
fn a_question_after_a_bare_marker_is_carried() {
    let s = Sandbox::git();
    s.write(
        "specs/001-widget/spec.md",
        "# Spec\n\n- **RTO**: [NEEDS CLARIFICATION] What is the recovery time objective?\n",
    );
    let r = s.run(&["check", "--format", "json", "specs"]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(
        out.contains("unresolved clarification: What is the recovery time objective?"),
        "{out}"
    );
}

#[test]
fn gates_written_as_a_table_and_template_leftovers() {
    let plan = "\
# Implementation Plan: Widget

## Technical Context

Go.

## Constitution Check

- [ ] [Gates determined based on constitution file]

| Principle | Status | Notes |
|---|---|---|
| I. Modules | ✅ PASS | one module |
| II. Cost | ❌ FAIL | over budget |

## Complexity Tracking

| Violation | Why Needed | Simpler Alternative Rejected Because |
|---|---|---|
| [e.g., 4th project] | [current need] | [why 3 projects insufficient] |
";
    let found = findings("specs/001-widget/plan.md", plan);
    // The failed principle is an unjustified gate; the guidance item is a placeholder, not a
    // gate; the example row is three placeholders.
    assert_eq!(rule(&found, "SO009"), [14], "{found:?}");
    assert_eq!(rule(&found, "SO003"), [9, 20, 20, 20], "{found:?}");
    assert!(rule(&found, "SO002").is_empty(), "{found:?}");
}

#[test]
fn a_spec_kit_project_is_read_where_spec_kit_keeps_things() {
    let s = Sandbox::git();
    s.write(
        ".specify/memory/constitution.md",
        "# Team Constitution\n\n## Article I: Library-First\n\nEvery feature starts as a library.\n\n[PROJECT_NAME] placeholder left.\n",
    );
    s.write(
        "specs/001-widget/spec.md",
        "# Feature Specification: Widget\n\n## User Scenarios & Testing *(mandatory)*\n\n### User Story 1 - Start (Priority: P1)\n\nIt starts.\n\n## Requirements *(mandatory)*\n\n- **FR-001**: The widget MUST start.\n\n## Success Criteria *(mandatory)*\n\n- **SC-001**: Starts in a second.\n",
    );
    // check lints spec-kit's constitution by default.
    let r = s.run(&["check", "--format", "json"]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(out.contains(".specify/memory/constitution.md"), "{out}");
    // init writes no constitution of ours beside it, and plan takes its gates from it.
    s.run_ok(&["init"]);
    assert!(!s.exists("memory/constitution.md"));
    s.run_ok(&["plan", "--feature", "1", "--allow-open", "Go"]);
    let plan = s.read("specs/001-widget/plan.md");
    assert!(plan.contains("Library-First"), "{plan}");
}

#[test]
fn kiro_and_openspec_documents_get_the_rules_that_fit_them() {
    let s = Sandbox::git();
    s.write(
        ".kiro/specs/widget/requirements.md",
        "# Requirements\n\n1. WHEN a user starts the widget THEN the system SHALL start it within [NEEDS CLARIFICATION: how fast?].\n",
    );
    s.write(
        ".kiro/specs/widget/design.md",
        "# Design\n\n## Overview\n\nA widget.\n",
    );
    s.write(
        ".kiro/specs/widget/tasks.md",
        "# Implementation Plan\n\n- [ ] 1. Set up the project\n- [ ] 1.1 Write the start command\n  - _Requirements: 1.1_\n",
    );
    s.write(
        "openspec/changes/add-widget/tasks.md",
        "## 1. Implementation\n- [ ] 1.1 Add the widget\n",
    );
    let r = s.run(&["check", "--format", "json"]);
    let found = rules_and_lines(&r.stdout);
    assert_eq!(found, [("SO001".to_string(), 3)], "{found:?}");
}

#[test]
fn templates_kept_beside_the_specs_are_not_linted() {
    let s = Sandbox::git();
    s.write(
        "specs/000-templates/plan-template.md",
        "# Implementation Plan: [FEATURE]\n\n**Date**: [DATE]\n",
    );
    s.write("specs/001-x/spec-template.md", "# [FEATURE NAME]\n");
    s.write("specs/001-x/notes.md", "Due [DATE]\n");
    let r = s.run(&["check", "--format", "json"]);
    let found = rules_and_lines(&r.stdout);
    assert_eq!(found, [("SO003".to_string(), 1)], "{found:?}");
    // Named on the command line, a template is linted like any file.
    let r = s.run(&["check", "--format", "json", "specs/001-x/spec-template.md"]);
    assert_eq!(rules_and_lines(&r.stdout).len(), 1);
}

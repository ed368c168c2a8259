//! `check` and `plan` read a document the same way: each fragment below once got opposite
//! verdicts from the two, because each had its own Markdown reader.

use crate::plan::{golden, json, FEATURE, TECH};
use crate::support::Sandbox;

/// The SO001 and SO002 findings `check` reports in the spec and its checklist, as
/// (path, line, column).
fn check_open(s: &Sandbox) -> Vec<(String, u64, u64)> {
    let r = s.run(&["check", "--format", "json", FEATURE]);
    let out = String::from_utf8_lossy(&r.stdout).into_owned();
    let mut found: Vec<(String, u64, u64)> = json(&out)
        .as_array()
        .expect("an array of findings")
        .iter()
        .filter(|d| matches!(d["rule"].as_str(), Some("SO001" | "SO002")))
        .filter(|d| {
            let p = d["path"].as_str().unwrap_or_default();
            p.ends_with("/spec.md") || p.ends_with("/checklists/requirements.md")
        })
        .map(place)
        .collect();
    found.sort();
    found
}

/// (path, line, column) of a finding or a blocker.
fn place(v: &serde_json::Value) -> (String, u64, u64) {
    (
        v["path"].as_str().unwrap_or_default().to_string(),
        v["line"].as_u64().unwrap_or_default(),
        v["column"].as_u64().unwrap_or_default(),
    )
}

/// What `plan --json` says: `None` when it planned, the blockers when it refused.
fn plan_blockers(s: &Sandbox) -> Option<Vec<(String, u64, u64)>> {
    let r = s.run(&["plan", "--json", "--feature", "3", TECH]);
    let out = String::from_utf8_lossy(&r.stdout).into_owned();
    match r.status.code() {
        Some(0) => None,
        Some(1) => {
            let mut b: Vec<(String, u64, u64)> = json(&out)["blockers"]
                .as_array()
                .expect("blockers")
                .iter()
                .map(place)
                .collect();
            b.sort();
            Some(b)
        }
        other => panic!(
            "plan exited {other:?}: {out}{}",
            String::from_utf8_lossy(&r.stderr)
        ),
    }
}

/// The golden feature with `fragment` appended to its spec.
fn with_fragment(fragment: &str) -> Sandbox {
    let s = golden();
    let spec = format!("{FEATURE}/spec.md");
    let text = s.read(&spec);
    s.write(&spec, format!("{text}\n{fragment}\n"));
    s
}

/// Whether `check` finds something open, and `plan` refuses on exactly the same places.
fn agree(fragment: &str) -> bool {
    let s = with_fragment(fragment);
    let checked = check_open(&s);
    match plan_blockers(&s) {
        None => assert!(checked.is_empty(), "plan planned over {checked:?}"),
        Some(b) => assert_eq!(b, checked, "plan and check disagree on {fragment:?}"),
    }
    !checked.is_empty()
}

#[test]
fn a_ticked_item_that_mentions_the_marker_is_not_open() {
    assert!(!agree("- [x] No [NEEDS CLARIFICATION] markers remain"));
}

#[test]
fn the_templates_own_example_is_not_open() {
    assert!(!agree("Write each gap as [NEEDS CLARIFICATION: question]."));
}

#[test]
fn a_marker_in_a_fence_inside_a_block_quote_is_code() {
    assert!(!agree(
        "> ```text\n> [NEEDS CLARIFICATION: an example]\n> ```"
    ));
}

#[test]
fn a_comment_opener_in_inline_code_opens_no_comment() {
    assert!(agree(
        "Write `<!--` to open a comment.\n\n- **IR-009**: Backups MUST stay in [NEEDS CLARIFICATION: which region?]."
    ));
}

#[test]
fn a_heading_keeps_its_hash_in_the_plan() {
    let s = golden();
    let spec = format!("{FEATURE}/spec.md");
    let text = s.read(&spec).replace(
        "### Scenario 2: Tenant onboarding (Priority: P1)",
        "### Scenario 2: Tenant onboarding for C# (Priority: P1)",
    );
    assert!(text.contains("for C#"), "the golden spec changed");
    s.write(&spec, text);
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    assert!(plan.contains("Tenant onboarding for C#"), "{plan}");
}

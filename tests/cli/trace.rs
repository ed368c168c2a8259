//! `specops trace` and SO013: from each requirement to its scenarios, plan row, tasks and the
//! files that cite it.

use crate::plan::{has, json, FEATURE};
use crate::support::Sandbox;
use crate::tasks::planned;

fn with_code() -> Sandbox {
    let s = planned();
    s.run_ok(&["tasks", "--feature", "3"]);
    // A module citing two requirements (one qualified with the feature), a test citing one, a
    // string that only looks like a citation, and another feature's citation.
    s.write(
        "modules/tenant-namespace/main.tf",
        "# Implements 003/IR-001\nresource \"x\" \"y\" {\n  name = \"IR-002\"\n}\n// serves IR-004\n",
    );
    s.write(
        "tests/integration/onboarding_test.go",
        "package x\n\n// Validates IR-001 and NFR-001\n",
    );
    s.write("modules/other/main.tf", "# Implements 007/IR-002\n");
    s
}

#[test]
fn trace_lists_scenarios_tasks_and_citing_files() {
    let s = with_code();
    let v = json(&s.run_ok(&["trace", "--feature", "3", "--json"]).stdout);
    assert_eq!(
        v["totals"],
        serde_json::json!({"requirements": 11, "traced": 11, "implemented": 2, "validated": 2})
    );
    let row = |id: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let ir001 = row("IR-001");
    assert_eq!(ir001["scenarios"], serde_json::json!([2]));
    assert_eq!(
        ir001["files"],
        serde_json::json!([
            {"path": "modules/tenant-namespace/main.tf", "line": 1, "test": false},
            {"path": "tests/integration/onboarding_test.go", "line": 3, "test": true},
        ])
    );
    assert_eq!(
        ir001["plan"]["cells"][1],
        serde_json::json!(["Plan element", "—"])
    );
    assert!(ir001["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["done"] == false));
    // A string is not a comment, and another feature's qualified citation is not this one's.
    assert_eq!(row("IR-002")["files"], serde_json::json!([]));
    assert_eq!(row("IR-004")["implemented"], true);

    let md = s
        .run_ok(&["trace", "--feature", "3", "--format", "markdown"])
        .stdout;
    insta::assert_snapshot!("trace_markdown", md);
    let human = s.run_ok(&["trace", "--feature", "3"]).stdout;
    insta::assert_snapshot!("trace_human", human);
    // `list` counts the same way.
    let list = json(&s.run_ok(&["list", "--json"]).stdout);
    let f = &list["features"][0];
    assert_eq!(
        (&f["requirements"], &f["implemented"], &f["validated"]),
        (
            &serde_json::json!(11),
            &serde_json::json!(2),
            &serde_json::json!(2)
        )
    );
    let r = s.run_err(&["trace", "--feature", "3", "--json", "--format", "markdown"]);
    has(&r.stderr, "--json cannot be combined");
}

#[test]
fn a_requirement_done_in_tasks_but_cited_nowhere_is_reported() {
    let s = with_code();
    let tasks = format!("{FEATURE}/tasks.md");
    // Tick every task serving IR-005 (Scenario 3 and its contract).
    let text = s.read(&tasks);
    let ticked: String = text
        .lines()
        .map(|l| {
            if l.contains("IR-005") {
                format!("{}\n", l.replacen("- [ ]", "- [x]", 1))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    s.write(&tasks, &ticked);
    let so013 = |s: &Sandbox| -> Vec<String> {
        let r: crate::support::Run = s.run(&["check", "--json"]).into();
        json(&r.stdout)
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "SO013")
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        so013(&s),
        ["every task serving IR-005 is ticked, but no file cites it; name it in a comment of the files that implement it (`# Implements 003/IR-005`)"]
    );
    s.write("modules/cost-labels/main.tf", "# Implements 003/IR-005\n");
    assert_eq!(so013(&s), Vec::<String>::new());
}

//! `specops list` / `specops status`.

use crate::support::Sandbox;

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn feature(s: &Sandbox, name: &str) {
    s.write(
        &format!("specs/{name}/spec.md"),
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated. [NEEDS CLARIFICATION: which regions?]\n\n```md\n[NEEDS CLARIFICATION: an example, not a marker]\n```\n",
    );
    s.write(
        &format!("specs/{name}/checklists/requirements.md"),
        "- [x] one\n- [ ] two\n",
    );
}

#[test]
fn empty_repository_says_how_to_start() {
    let s = Sandbox::git();
    let r = s.run_ok(&["list"]);
    assert!(
        r.stdout.contains("No features under specs/"),
        "{}",
        r.stdout
    );
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(v["features"], serde_json::json!([]));
}

#[test]
fn one_row_per_feature_with_progress_and_branches() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    feature(&s, "002-dr");
    s.write("specs/002-dr/tasks.md", "- [x] T001 a\n- [ ] T002 b\n");
    s.write("specs/notes/README.md", "not a feature folder\n");
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("001-tenancy", &head, false).unwrap();
    repo.reference("refs/remotes/origin/002-dr", head.id(), false, "test")
        .unwrap();

    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["number"], "001");
    assert_eq!(f[0]["short_name"], "tenancy");
    assert_eq!(
        f[0]["branch"],
        serde_json::json!({"local": true, "remote": false})
    );
    assert_eq!(f[0]["open_markers"], 1);
    assert_eq!(
        f[0]["checklist"],
        serde_json::json!({"done": 1, "total": 2})
    );
    assert_eq!(f[0]["tasks"], serde_json::Value::Null);
    assert_eq!(
        f[1]["branch"],
        serde_json::json!({"local": false, "remote": true})
    );
    assert_eq!(f[1]["tasks"], serde_json::json!({"done": 1, "total": 2}));
    assert_eq!(
        f[1]["documents"],
        serde_json::json!(["spec", "checklist", "tasks"])
    );

    let r = s.run_ok(&["status"]);
    insta::assert_snapshot!("list_human", r.stdout);
}

#[test]
fn stale_plan_is_shown_after_a_spec_edit() {
    let s = Sandbox::git();
    s.write(
        "memory/constitution.md",
        "# C\n\n### Article I: Module-First\n\nModules first.\n",
    );
    s.write(
        "specs/003-eks/spec.md",
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated.\n",
    );
    s.run_ok(&["plan", "--feature", "3", "-q"]);
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(v["features"][0]["stale_plan"], serde_json::json!([]));
    s.write(
        "specs/003-eks/spec.md",
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated by network too.\n",
    );
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(
        v["features"][0]["stale_plan"],
        serde_json::json!(["IR-001"])
    );
    assert!(s.run_ok(&["list"]).stdout.contains("plan (IR-001)"));
}

#[test]
fn works_outside_git_and_survives_unreadable_files() {
    let s = Sandbox::new();
    feature(&s, "001-tenancy");
    s.write(
        "specs/001-tenancy/research.md",
        b"\xff\xfe not utf-8".as_slice(),
    );
    let r = s.run_ok(&["list", "--json"]);
    let v = json(&r.stdout);
    assert_eq!(v["features"][0]["branch"], serde_json::Value::Null);
    assert_eq!(
        v["features"][0]["unreadable"],
        serde_json::json!(["research.md"])
    );
    let r = s.run_ok(&["list"]);
    assert!(r.stdout.contains("cannot read research.md"), "{}", r.stdout);
}

/// `-q` silences progress, and the table is no progress: `list -q` prints it, as `status -q`
/// and `-q list` do.
#[test]
fn quiet_still_prints_the_table() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    let table = s.run_ok(&["list"]).stdout;
    assert!(table.contains("001  tenancy"), "{table}");
    for args in [
        &["list", "-q"][..],
        &["list", "--quiet"],
        &["-q", "list"],
        &["status", "-q"],
    ] {
        let r = s.run_ok(args);
        assert_eq!(r.stdout, table, "{args:?}");
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
    let quiet_json = s.run_ok(&["list", "-q", "--json"]).stdout;
    assert_eq!(quiet_json, s.run_ok(&["list", "--json"]).stdout);
    let help = s.run_ok(&["list", "--help"]).stdout;
    assert!(help.contains("Print the table all the same"), "{help}");
}

//! Which feature a command works on: --feature, SPECOPS_FEATURE, the current branch.

use crate::plan::{has, json, write_golden};
use crate::support::Sandbox;

fn repo(features: &[&str]) -> Sandbox {
    let s = Sandbox::git_with_commit();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    for f in features {
        write_golden(&s, &format!("specs/{f}"));
    }
    s
}

/// The feature folder `plan --json` worked on.
fn planned_dir(s: &Sandbox, extra: &[&str], env: Option<&str>) -> String {
    let mut cmd = s.cmd();
    cmd.args(["plan", "--json", "--force"]).args(extra);
    if let Some(v) = env {
        cmd.env("SPECOPS_FEATURE", v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&String::from_utf8_lossy(&out.stdout))["feature_dir"]
        .as_str()
        .unwrap()
        .to_string()
}

fn checkout(s: &Sandbox, branch: &str) {
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    if repo.find_branch(branch, git2::BranchType::Local).is_err() {
        repo.branch(branch, &head, false).unwrap();
    }
    repo.set_head(&format!("refs/heads/{branch}")).unwrap();
}

#[test]
fn flag_accepts_numbers_and_folder_names() {
    let s = repo(&["001-eks", "003-tenants"]);
    for value in ["3", "003", "003-tenants", "specs/003-tenants/"] {
        assert_eq!(
            planned_dir(&s, &["--feature", value], None),
            "specs/003-tenants"
        );
    }
    assert_eq!(
        planned_dir(&s, &["--feature", "1"], Some("3")),
        "specs/001-eks",
        "flag beats env"
    );
}

#[test]
fn environment_variable_then_branch() {
    let s = repo(&["001-eks", "003-tenants"]);
    checkout(&s, "001-eks");
    assert_eq!(
        planned_dir(&s, &[], Some("003")),
        "specs/003-tenants",
        "env beats branch"
    );
    assert_eq!(
        planned_dir(&s, &[], Some("")),
        "specs/001-eks",
        "empty env is unset"
    );
    assert_eq!(planned_dir(&s, &[], None), "specs/001-eks");
    // Several branches may point at one folder by number.
    checkout(&s, "003-tenants-cost-variant");
    assert_eq!(planned_dir(&s, &[], None), "specs/003-tenants");
    checkout(&s, "3-not-a-feature-branch");
    let r = s.run_err(&["plan"]);
    has(
        &r.stderr,
        "`3-not-a-feature-branch` does not name a feature",
    );
}

#[test]
fn branch_of_a_repository_without_commits() {
    let s = Sandbox::git();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    write_golden(&s, "specs/007-fresh");
    s.repo().set_head("refs/heads/007-fresh").unwrap();
    assert_eq!(planned_dir(&s, &[], None), "specs/007-fresh");
}

#[test]
fn ambiguous_and_missing_features_list_what_there_is() {
    let s = repo(&["001-eks", "004-a", "004-b"]);
    let mut all = String::new();
    let mut case = |name: &str, args: &[&str], env: Option<&str>| {
        let mut cmd = s.cmd();
        cmd.args(args);
        if let Some(v) = env {
            cmd.env("SPECOPS_FEATURE", v);
        }
        let r: crate::support::Run = cmd.output().unwrap().into();
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        crate::support::assert_error_shape(&r.stderr);
        all.push_str(&format!(
            "## {name}: specops {}\n{}\n",
            args.join(" "),
            r.stderr
        ));
    };
    case("main_branch", &["plan"], None);
    case("number_matches_two", &["plan", "--feature", "4"], None);
    case("unknown_number", &["plan", "--feature", "9"], None);
    case("unknown_name", &["tasks", "--feature", "eks"], None);
    case("env_unknown", &["tasks"], Some("002"));
    checkout(&s, "004-work");
    case("branch_matches_two", &["plan"], None);
    checkout(&s, "005-nothing");
    case("branch_matches_none", &["plan"], None);
    insta::assert_snapshot!("resolve_errors", all);

    let empty = Sandbox::new();
    let r = empty.run_err(&["plan", "--feature", "1"]);
    has(&r.stderr, "there are no feature folders yet");
    has(&r.stderr, "hint: create a feature with `specops specify");
    let r = empty.run_err(&["tasks"]);
    has(
        &r.stderr,
        "no feature selected (no --feature, no SPECOPS_FEATURE, and no git branch)",
    );
}

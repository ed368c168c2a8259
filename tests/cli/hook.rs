//! `specops hook install|uninstall`, the pre-commit manifest and the GitHub Action.

use crate::support::Sandbox;

fn hook_text(s: &Sandbox, rel: &str) -> String {
    s.read(rel)
}

#[test]
fn install_writes_an_executable_hook_and_is_idempotent() {
    let s = Sandbox::git();
    let r = s.run_ok(&["hook", "install", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], "created");
    let text = hook_text(&s, ".git/hooks/pre-commit");
    assert!(text.contains("specops check --staged"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.join(".git/hooks/pre-commit"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "executable");
    }
    let r = s.run_ok(&["hook", "install", "--json"]);
    assert!(r.stdout.contains("\"unchanged\""), "{}", r.stdout);
}

#[test]
fn a_foreign_hook_is_never_replaced_without_force_and_kept_as_backup_with_it() {
    let s = Sandbox::git();
    s.write(".git/hooks/pre-commit", "#!/bin/sh\nnpx lint-staged\n");
    let r = s.run_err(&["hook", "install"]);
    assert!(r.stderr.contains("not written by specops"), "{}", r.stderr);
    assert_eq!(
        s.read(".git/hooks/pre-commit"),
        "#!/bin/sh\nnpx lint-staged\n"
    );
    let r = s.run_ok(&["hook", "install", "--force"]);
    assert!(
        r.stdout.contains("pre-commit.specops-backup"),
        "{}",
        r.stdout
    );
    assert_eq!(
        s.read(".git/hooks/pre-commit.specops-backup"),
        "#!/bin/sh\nnpx lint-staged\n"
    );
    assert!(s
        .read(".git/hooks/pre-commit")
        .contains("specops check --staged"));
}

#[test]
fn uninstall_removes_only_our_hook() {
    let s = Sandbox::git();
    let r = s.run_ok(&["hook", "uninstall", "--json"]);
    assert!(r.stdout.contains("\"absent\""), "{}", r.stdout);
    s.run_ok(&["hook", "install"]);
    let r = s.run_ok(&["hook", "uninstall", "--json"]);
    assert!(r.stdout.contains("\"removed\""), "{}", r.stdout);
    assert!(!s.exists(".git/hooks/pre-commit"));
    s.write(".git/hooks/pre-commit", "#!/bin/sh\necho theirs\n");
    s.run_err(&["hook", "uninstall"]);
    assert!(s.exists(".git/hooks/pre-commit"));
}

#[test]
fn core_hooks_path_is_honoured() {
    let s = Sandbox::git();
    s.repo()
        .config()
        .unwrap()
        .set_str("core.hooksPath", ".githooks")
        .unwrap();
    s.run_ok(&["hook", "install"]);
    assert!(s
        .read(".githooks/pre-commit")
        .contains("specops check --staged"));
    assert!(!s.exists(".git/hooks/pre-commit"));
}

#[test]
fn works_from_a_subfolder_and_fails_outside_git() {
    let s = Sandbox::git();
    std::fs::create_dir_all(s.join("a/b")).unwrap();
    s.run_ok(&["-C", "a/b", "hook", "install"]);
    assert!(s.exists(".git/hooks/pre-commit"));
    let n = Sandbox::new();
    let r = n.run_err(&["hook", "install"]);
    assert!(
        r.stderr.contains("not inside a git repository"),
        "{}",
        r.stderr
    );
}

/// The manifests users copy from the README must point at commands that exist.
fn run_entry_help(entry: &str, extra: &[&str]) {
    let mut words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words.remove(0), "specops", "{entry}");
    words.extend_from_slice(extra);
    words.push("--help");
    let s = Sandbox::new();
    s.run_ok(&words);
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PreCommitHook {
    id: String,
    name: String,
    description: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
    #[serde(default)]
    stages: Vec<String>,
}

#[test]
fn pre_commit_manifest_points_at_a_real_command() {
    let text = include_str!("../../.pre-commit-hooks.yaml");
    let hooks: Vec<PreCommitHook> = serde_saphyr::from_str(text).unwrap();
    assert!(!hooks.is_empty());
    for h in &hooks {
        assert!(h.id.starts_with("specops"), "{}", h.id);
        assert!(!h.name.is_empty() && !h.description.is_empty());
        assert_eq!(h.language, "rust");
        assert!(h.pass_filenames);
        let re = regex::Regex::new(&h.files).unwrap();
        assert!(re.is_match("specs/001-eks/spec.md"));
        assert!(re.is_match("memory/constitution.md"));
        assert!(!re.is_match("modules/vpc/main.tf"));
        run_entry_help(&h.entry, &[]);
    }
    // Both gates are offered: on commit, and on push for teams that commit drafts.
    let stages: Vec<&str> = hooks
        .iter()
        .flat_map(|h| h.stages.iter().map(String::as_str))
        .collect();
    assert_eq!(stages, ["pre-commit", "pre-push"]);
}

#[test]
fn github_action_runs_real_commands() {
    let text = include_str!("../../action.yml");
    let v: serde_json::Value = serde_saphyr::from_str(text).unwrap();
    assert_eq!(v["runs"]["using"], "composite");
    let steps = v["runs"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let all = runs.join("\n");
    assert!(all.contains("cargo install"), "installs specops: {all}");
    assert!(all.contains("check --format github"), "{all}");
    assert!(all.contains("--format sarif"), "{all}");
    run_entry_help("specops check", &["--format", "github"]);
    run_entry_help("specops check", &["--format", "sarif"]);
}

/// The installed hook, run as git would run it, blocks a commit whose staged spec has a marker.
#[cfg(unix)]
#[test]
fn the_installed_hook_fails_on_a_staged_marker_and_passes_once_fixed() {
    let s = Sandbox::git();
    s.run_ok(&["hook", "install"]);
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let stage = |text: &str| {
        s.write("specs/001-x/spec.md", text);
        let repo = s.repo();
        let mut index = repo.index().unwrap();
        index
            .add_path(std::path::Path::new("specs/001-x/spec.md"))
            .unwrap();
        index.write().unwrap();
    };
    let run_hook = || {
        std::process::Command::new("sh")
            .arg(s.join(".git/hooks/pre-commit"))
            .current_dir(s.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    stage("# Spec\n\n- **IR-001**: [NEEDS CLARIFICATION: which regions?]\n");
    let out = run_hook();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("which regions?"));
    stage(
        "# Spec\n\n## Deployment Scenarios\n\nA team gets a namespace.\n\n## Requirements\n\n- **IR-001**: Two EU regions only.\n\n## Environments and Topology\n\nProduction in two regions.\n\n## Success Criteria\n\n- **SC-001**: A namespace in 10 minutes.\n",
    );
    let out = run_hook();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn the_pre_push_hook_gates_pushes_and_leaves_the_pre_commit_hook_alone() {
    let s = Sandbox::git();
    s.run_ok(&["hook", "install"]);
    let r = s.run_ok(&["hook", "install", "--pre-push", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["stage"].as_str()),
        (Some("created"), Some("pre-push"))
    );
    let text = hook_text(&s, ".git/hooks/pre-push");
    assert!(
        text.contains("exec specops check\n") && !text.contains("--staged"),
        "{text}"
    );
    assert!(hook_text(&s, ".git/hooks/pre-commit").contains("check --staged"));
    // The hook runs `specops check` on the work tree: an open marker stops the push.
    s.write(
        "specs/001-x/spec.md",
        "# Spec\n\n[NEEDS CLARIFICATION: which region?]\n",
    );
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |s: &Sandbox| {
        s.std_cmd("sh")
            .arg(".git/hooks/pre-push")
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    assert_eq!(run(&s).status.code(), Some(1));
    s.write(
        "specs/001-x/spec.md",
        "# Spec\n\nThe region is eu-west-1.\n",
    );
    assert_eq!(
        run(&s).status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run(&s).stdout)
    );
    let r = s.run_ok(&["hook", "uninstall", "--pre-push"]);
    assert!(
        r.stdout.contains("removed the pre-push hook"),
        "{}",
        r.stdout
    );
    assert!(!s.exists(".git/hooks/pre-push"));
    assert!(s.exists(".git/hooks/pre-commit"));
}

//! The reliability guarantees about files and repositories: configured paths as every reader
//! sees them, files that are not regular files, repositories git2 cannot open, symlinks that
//! lead out of the repository, linked worktrees, plan sets written as one unit, hook backups and
//! merge conflicts. The `git` binary sets up fixtures here; specops itself never runs it.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::bad_input::{entries, has, json, leftovers, mkfifo, refused, run_within_10s};
use crate::check::stage;
use crate::plan::{golden, write_golden, FEATURE, TECH};
use crate::support::{assert_error_shape, Run, Sandbox};

/// Run the `git` binary in `dir` with the sandbox's scrubbed environment; it must succeed
/// unless `may_fail`.
fn git_in(s: &Sandbox, dir: &Path, args: &[&str], may_fail: bool) -> Run {
    let r: Run = s
        .std_cmd("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("run git")
        .into();
    assert!(
        may_fail || r.code == 0,
        "git {args:?} failed:\n{}{}",
        r.stdout,
        r.stderr
    );
    r
}

fn git(s: &Sandbox, args: &[&str]) -> Run {
    git_in(s, s.path(), args, false)
}

/// `check --format json`: the exit code and the findings as `RULE path:line`.
fn check_findings(s: &Sandbox, args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r: Run = s.run(&all).into();
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let found = json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["rule"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    (r.code, found)
}

// ---------------------------------------------------------------------------------------------
// configured paths

#[test]
fn check_staged_lints_configured_paths_written_with_dot_slash_like_plain_check() {
    for (specs_dir, constitution) in [
        ("./specs", "./memory/constitution.md"),
        ("specs/", "memory//constitution.md"),
        ("./specs/./", "memory/./constitution.md"),
    ] {
        let s = Sandbox::git_with_commit();
        s.write(
            ".specops/config.yaml",
            format!("specs_dir: {specs_dir}\nconstitution: {constitution}\n"),
        );
        stage(
            &s,
            "specs/001-a/notes.md",
            "Owner: [NEEDS CLARIFICATION: who?]\n",
        );
        stage(
            &s,
            "memory/constitution.md",
            "# Constitution\n\nOwner: [NEEDS CLARIFICATION: which team?]\n",
        );
        let (code, plain) = check_findings(&s, &[]);
        assert_eq!(code, 1, "{specs_dir}");
        let (code, staged) = check_findings(&s, &["--staged"]);
        assert_eq!(
            code, 1,
            "`check --staged` with specs_dir: {specs_dir}: {staged:?}"
        );
        assert_eq!(staged, plain, "{specs_dir}");
        assert!(
            staged.iter().any(|f| f.contains("specs/001-a/notes.md")),
            "{staged:?}"
        );
        assert!(
            staged.iter().any(|f| f.contains("memory/constitution.md")),
            "{staged:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// files that are not regular files

/// Run expecting exit 2, within 10 s, with the error shape and `needle` in stderr.
fn refused_in_time(s: &Sandbox, args: &[&str], needle: &str) {
    let r = run_within_10s(s, args);
    assert_eq!(r.code, 2, "specops {args:?}\nstderr:\n{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(&r.stderr, needle);
}

#[test]
fn a_pipe_or_dev_zero_link_in_place_of_a_file_specops_writes_is_an_error_not_a_hang() {
    // plan: research.md is a named pipe.
    let s = golden();
    mkfifo(&s, &format!("{FEATURE}/research.md"));
    refused_in_time(
        &s,
        &["plan", "--feature", "3", TECH],
        "research.md: not a regular file",
    );
    refused_in_time(
        &s,
        &["plan", "--feature", "3", "--force", TECH],
        "research.md: not a regular file",
    );
    assert!(
        !s.exists(&format!("{FEATURE}/plan.md")),
        "nothing of the set written"
    );

    // tasks: tasks.md is a named pipe.
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    crate::plan::decide(&s, &format!("{FEATURE}/plan.md"));
    mkfifo(&s, &format!("{FEATURE}/tasks.md"));
    refused_in_time(
        &s,
        &["tasks", "--feature", "3", "--force"],
        "tasks.md: not a regular file",
    );

    // init: an assistant's command file is a named pipe.
    let s = Sandbox::new();
    std::fs::create_dir_all(s.join(".claude/commands")).unwrap();
    mkfifo(&s, ".claude/commands/specops.plan.md");
    refused_in_time(
        &s,
        &["init", "--no-git", "--ai", "claude", "--force"],
        "specops.plan.md: not a regular file",
    );

    // hook: the pre-commit file is a named pipe.
    let s = Sandbox::git();
    std::fs::create_dir_all(s.join(".git/hooks")).unwrap();
    mkfifo(&s, ".git/hooks/pre-commit");
    refused_in_time(
        &s,
        &["hook", "install", "--force"],
        "pre-commit: not a regular file",
    );
    refused_in_time(&s, &["hook", "uninstall"], "pre-commit: not a regular file");

    // plan: plan.md links to /dev/zero, which must never be read.
    let s = golden();
    symlink("/dev/zero", s.join(&format!("{FEATURE}/plan.md"))).unwrap();
    refused_in_time(&s, &["plan", "--feature", "3", "--force", TECH], "plan.md");
}

// ---------------------------------------------------------------------------------------------
// repositories git2 cannot open

#[test]
fn a_sha256_repository_is_an_error_that_says_so_never_no_repository() {
    let s = Sandbox::new();
    git(&s, &["init", "-q", "--object-format=sha256", "-b", "main"]);
    git(&s, &["commit", "-q", "--allow-empty", "-m", "init"]);
    git(&s, &["branch", "007-existing"]);
    for args in [
        &["specify", "Tenant quotas"][..],
        &["specify", "--no-branch", "Tenant quotas"],
        &["hook", "install"],
        &["list"],
        &["init"],
    ] {
        let r = refused(&s, args);
        has(&r.stderr, "SHA-256");
        assert!(!r.stderr.contains("not inside"), "{args:?}: {}", r.stderr);
    }
    assert!(!s.exists("specs/001-tenant-quotas/spec.md"));
    assert!(!s.exists("specs/008-tenant-quotas/spec.md"));
}

#[test]
fn a_repository_owned_by_another_user_is_an_error_with_the_reason() {
    let s = Sandbox::git_with_commit();
    // Only root can give the folder away; elsewhere this case cannot be set up.
    if std::os::unix::fs::chown(s.path(), Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: changing a folder's owner needs root");
        return;
    }
    for args in [
        &["specify", "Tenant quotas"][..],
        &["hook", "install"],
        &["list"],
    ] {
        let r = refused(&s, args);
        has(&r.stderr, "owned by another user");
        has(&r.stderr, "safe.directory");
    }
    assert!(!s.exists("specs"));
}

// ---------------------------------------------------------------------------------------------
// symlinks

fn plan_files(s: &Sandbox, dir: &str) -> BTreeMap<String, Vec<u8>> {
    s.snapshot_tree()
        .into_iter()
        .filter(|(k, _)| {
            k.strip_prefix(&format!("{dir}/"))
                .is_some_and(|rel| rel != "spec.md" && !rel.starts_with("checklists/"))
        })
        .collect()
}

#[test]
fn a_symlinked_feature_folder_is_followed_inside_the_repository_and_refused_outside() {
    let s = golden();
    write_golden(&s, "archive/004-linked");
    s.write(
        "archive/004-linked/notes.md",
        "Owner: [NEEDS CLARIFICATION: which team?]\n",
    );
    symlink("../archive/004-linked", s.join("specs/004-linked")).unwrap();

    let (code, found) = check_findings(&s, &[]);
    assert_eq!(code, 1, "{found:?}");
    assert!(
        found.contains(&"SO001 specs/004-linked/notes.md:1".to_string()),
        "{found:?}"
    );
    let list = json(&s.run_ok(&["list", "--json"]).stdout);
    let linked = &list["features"][1];
    assert_eq!(linked["dir"], "specs/004-linked");
    assert_eq!(linked["open_markers"], 1);
    s.run_ok(&["plan", "--feature", "4", TECH]);
    assert!(s.exists("archive/004-linked/plan.md"));
    s.run_ok(&["tasks", "--feature", "4", "--allow-open"]);
    assert!(s.exists("archive/004-linked/tasks.md"));

    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(outside.path().join("005-out")).unwrap();
    std::fs::write(
        outside.path().join("005-out/spec.md"),
        "# Outside\n[NEEDS CLARIFICATION: x]\n",
    )
    .unwrap();
    symlink(outside.path().join("005-out"), s.join("specs/005-out")).unwrap();
    for args in [
        &["check"][..],
        &["list"],
        &["plan", "--feature", "5", "--allow-open", TECH],
        &["tasks", "--feature", "5"],
        &["plan", "--feature", "3", TECH],
    ] {
        let r = refused(&s, args);
        has(&r.stderr, "specs/005-out");
        has(&r.stderr, "outside the repository");
    }
    assert_eq!(
        entries_of(&outside.path().join("005-out")),
        ["spec.md"],
        "nothing written outside"
    );
}

fn entries_of(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_symlink_out_of_the_repository_cannot_make_specify_write_or_render_outside() {
    // specs/ itself links out.
    let s = Sandbox::git_with_commit();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), s.join("specs")).unwrap();
    let r = refused(&s, &["specify", "Tenant quotas"]);
    has(&r.stderr, "outside the repository");
    assert_eq!(entries_of(outside.path()), Vec::<String>::new());
    assert!(git2::Repository::open(s.path())
        .unwrap()
        .find_branch("001-tenant-quotas", git2::BranchType::Local)
        .is_err());

    // A parent of specs_dir links out.
    let s = Sandbox::git_with_commit();
    s.write(".specops/config.yaml", "specs_dir: docs/specs\n");
    symlink(outside.path(), s.join("docs")).unwrap();
    let r = refused(&s, &["specify", "Tenant quotas"]);
    has(&r.stderr, "docs/specs");
    has(&r.stderr, "outside the repository");
    assert_eq!(entries_of(outside.path()), Vec::<String>::new());

    // A template override links to a file outside.
    let s = Sandbox::git();
    std::fs::write(outside.path().join("secret"), "TOP SECRET {{ 7*7 }}\n").unwrap();
    std::fs::create_dir_all(s.join(".specops/templates")).unwrap();
    symlink(
        outside.path().join("secret"),
        s.join(".specops/templates/spec.md.j2"),
    )
    .unwrap();
    let r = refused(&s, &["specify", "Tenant quotas"]);
    has(&r.stderr, ".specops/templates/spec.md.j2");
    has(&r.stderr, "outside the repository");
    assert!(!r.stderr.contains("TOP SECRET"));

    // A document plan reads links out.
    let s = golden();
    let spec = s.join(&format!("{FEATURE}/spec.md"));
    std::fs::rename(&spec, outside.path().join("spec.md")).unwrap();
    symlink(outside.path().join("spec.md"), &spec).unwrap();
    let r = refused(&s, &["plan", "--feature", "3", TECH]);
    has(&r.stderr, "spec.md leads outside the repository");

    // The override folder links out.
    let s = Sandbox::git();
    std::fs::create_dir_all(s.join(".specops")).unwrap();
    std::fs::write(outside.path().join("spec.md.j2"), "TOP SECRET\n").unwrap();
    symlink(outside.path(), s.join(".specops/templates")).unwrap();
    let r = refused(&s, &["specify", "Tenant quotas"]);
    has(&r.stderr, "outside the repository");
}

// ---------------------------------------------------------------------------------------------
// linked worktrees

#[test]
fn parallel_specify_runs_in_linked_worktrees_of_one_repository_get_distinct_numbers() {
    let s = Sandbox::git_with_commit();
    let parent = tempfile::tempdir().unwrap();
    let linked = parent.path().join("linked");
    git(&s, &["worktree", "add", "-q", linked.to_str().unwrap()]);
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let mut numbers = Vec::new();
    for round in 0..3 {
        let children: Vec<_> = (0..8)
            .map(|i| {
                let dir = if i % 2 == 0 {
                    s.path()
                } else {
                    linked.as_path()
                };
                s.std_cmd(&bin)
                    .current_dir(dir)
                    .args(["specify", "--json", &format!("Round {round} run {i}")])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let r: Run = c.wait_with_output().unwrap().into();
            assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
            numbers.push(
                json(&r.stdout)["feature_number"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    let mut distinct = numbers.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), numbers.len(), "duplicates in {numbers:?}");
    assert_eq!(leftovers(&s), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// plan's document set

const OTHER: &str = "GKE for Kubernetes, Calico for network policies, Flux for GitOps";

/// The plan set of the golden feature as two different tech contexts leave it.
fn two_sets(s: &Sandbox) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    s.run_ok(&["plan", "--feature", "3", "--force", OTHER]);
    let other = plan_files(s, FEATURE);
    s.run_ok(&["plan", "--feature", "3", "--force", TECH]);
    let tech = plan_files(s, FEATURE);
    assert_ne!(other, tech);
    (tech, other)
}

#[test]
fn concurrent_plan_force_runs_leave_one_whole_set() {
    let s = golden();
    let (tech, other) = two_sets(&s);
    let bin = assert_cmd::cargo::cargo_bin("specops");
    for round in 0..20 {
        let children: Vec<_> = [TECH, OTHER]
            .iter()
            .map(|t| {
                s.std_cmd(&bin)
                    .args(["plan", "--feature", "3", "--force", "-q", t])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let r: Run = c.wait_with_output().unwrap().into();
            assert_eq!(r.code, 0, "round {round}: {}", r.stderr);
        }
        let now = plan_files(&s, FEATURE);
        assert!(now == tech || now == other, "round {round}: a mixed set");
        assert_eq!(leftovers(&s), Vec::<String>::new());
    }
}

#[test]
fn a_killed_plan_run_leaves_the_old_or_new_set_and_the_next_run_reports_its_leftover() {
    let s = golden();
    let (tech, other) = two_sets(&s);
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let mut reported = 0;
    for i in 0..40u64 {
        let (context, want) = if i % 2 == 0 {
            (OTHER, &other)
        } else {
            (TECH, &tech)
        };
        let mut child = s
            .std_cmd(&bin)
            .args(["plan", "--feature", "3", "--force", "-q", context])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(10_000 + (i * 997) % 40_000));
        let _ = child.kill();
        child.wait().unwrap();
        let now = plan_files(&s, FEATURE);
        if leftovers(&s).is_empty() {
            assert!(
                now == tech || now == other,
                "kill {i}: a mixed set and nothing left to say so"
            );
            continue;
        }
        // Something was left: the next run says so, and leaves a whole set.
        let r: Run = s
            .run(&["plan", "--feature", "3", "--force", context])
            .into();
        assert_eq!(r.code, 0, "{}", r.stderr);
        has(&r.stderr, "interrupted");
        reported += 1;
        assert_eq!(&plan_files(&s, FEATURE), want, "kill {i}");
        assert_eq!(leftovers(&s), Vec::<String>::new());
    }
    eprintln!("{reported} of 40 kills left something the next run reported");
}

// ---------------------------------------------------------------------------------------------
// hook backups

#[test]
fn hook_install_force_twice_keeps_every_foreign_hook() {
    let s = Sandbox::git();
    s.write(".git/hooks/pre-commit", "#!/bin/sh\nfirst-linter\n");
    s.run_ok(&["hook", "install", "--force"]);
    s.write(".git/hooks/pre-commit", "#!/bin/sh\nsecond-linter\n");
    let r = s.run_ok(&["hook", "install", "--force", "--json"]);
    let backup = json(&r.stdout)["backup"].as_str().unwrap().to_string();
    assert!(std::fs::read_to_string(&backup)
        .unwrap()
        .contains("second-linter"));
    let backups: Vec<String> = entries(&s, ".git/hooks")
        .into_iter()
        .filter(|n| n.starts_with("pre-commit.specops-backup"))
        .collect();
    assert_eq!(backups.len(), 2, "{backups:?}");
    let kept: String = backups
        .iter()
        .map(|b| s.read(&format!(".git/hooks/{b}")))
        .collect();
    has(&kept, "first-linter");
    has(&kept, "second-linter");
}

// ---------------------------------------------------------------------------------------------
// merge conflicts

#[test]
fn check_staged_during_a_merge_lints_the_work_tree_version_of_a_conflicted_file() {
    let s = Sandbox::git_with_commit();
    s.write("specs/001-a/notes.md", "# Notes\n\nOwner: platform team\n");
    s.commit_all("notes");
    git(&s, &["checkout", "-q", "-b", "other"]);
    s.write(
        "specs/001-a/notes.md",
        "# Notes\n\nOwner: [NEEDS CLARIFICATION: which team?]\n",
    );
    s.commit_all("other");
    git(&s, &["checkout", "-q", "main"]);
    s.write("specs/001-a/notes.md", "# Notes\n\nOwner: network team\n");
    s.commit_all("main");
    let merge = git_in(&s, s.path(), &["merge", "-q", "other"], true);
    assert_ne!(merge.code, 0, "the merge conflicts");
    let (code, found) = check_findings(&s, &["--staged"]);
    assert_eq!(code, 1, "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("SO001 specs/001-a/notes.md:")),
        "{found:?}"
    );
}

/// A named pipe among the spec documents is reported (SO000) by a plain `check`, as it is when
/// named on the command line, never skipped without a word, and never waited on.
#[test]
fn a_named_pipe_in_the_specs_folder_is_reported_by_the_walk() {
    let s = golden();
    crate::bad_input::mkfifo(&s, &format!("{FEATURE}/notes.md"));
    let started = std::time::Instant::now();
    let (code, found) = check_findings(&s, &[]);
    assert_eq!(code, 1, "{found:?}");
    assert!(
        found.contains(&format!("SO000 {FEATURE}/notes.md:1")),
        "{found:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

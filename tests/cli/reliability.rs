//! The reliability guarantees about files and repositories: configured paths as every reader
//! sees them, files that are not regular files, repositories git2 cannot open, symlinks that
//! lead out of the repository, linked worktrees, plan sets written as one unit, hook backups and
//! merge conflicts. The `git` binary sets up fixtures here; specops itself never runs it.
#![cfg(unix)]

use std::path::Path;

use crate::bad_input::{has, json, refused};
use crate::check::stage;
use crate::support::{Run, Sandbox};

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

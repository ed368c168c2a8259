//! The reliability guarantees about files and repositories: configured paths as every reader
//! sees them, files that are not regular files, repositories git2 cannot open, symlinks that
//! lead out of the repository, linked worktrees, plan sets written as one unit, hook backups and
//! merge conflicts. The `git` binary sets up fixtures here; specops itself never runs it.
#![cfg(unix)]

use crate::bad_input::json;
use crate::check::stage;
use crate::support::{Run, Sandbox};

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

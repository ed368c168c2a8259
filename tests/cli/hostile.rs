//! Bad input, continued: documents built to exhaust memory or to drive a terminal, names that
//! are not text, runaway templates, ambiguous settings, and output that cannot be written or is
//! cut short. As in `bad_input.rs`, every case asserts the exit code, the `error:` / `hint:`
//! shape of an error, and what is left on disk.
#![cfg(unix)]

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::plan::{has, json};
use crate::support::{assert_error_shape, Run, Sandbox};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("specops")
}

// ---------------------------------------------------------------------------------------------
// names that are not text

#[test]
fn a_file_whose_name_is_not_utf8_is_reported_not_dropped() {
    use std::os::unix::ffi::OsStrExt;
    let s = Sandbox::new();
    std::fs::create_dir_all(s.join("specs/001-a")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"specs/001-a/sp\xffec.md");
    std::fs::write(s.path().join(name), "[NEEDS CLARIFICATION: hidden?]\n").unwrap();
    let r: Run = s.run(&["check", "--json"]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("nothing to lint"), "{}", r.stderr);
    let found = json(&r.stdout);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["rule"], "SO000");
    assert_eq!(found[0]["path"], "specs/001-a/sp\u{fffd}ec.md");
    has(found[0]["message"].as_str().unwrap(), "not valid UTF-8");
    // In a folder whose name is not UTF-8, likewise.
    let s = Sandbox::new();
    let dir = std::ffi::OsStr::from_bytes(b"specs/00\xfe1-a");
    std::fs::create_dir_all(s.path().join(dir)).unwrap();
    std::fs::write(s.path().join(dir).join("spec.md"), "# x\n").unwrap();
    let r: Run = s.run(&["check", "--json"]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(json(&r.stdout)[0]["path"], "specs/00\u{fffd}1-a/spec.md");
}

// ---------------------------------------------------------------------------------------------
// templates, configuration and the environment

#[test]
fn a_template_that_loops_without_end_is_stopped_and_named() {
    let s = Sandbox::git_with_commit();
    s.write(
        ".specops/templates/spec.md.j2",
        "# {{ title }}\n{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
    );
    let before = s.snapshot_tree();
    let mut child = s
        .std_cmd(bin())
        .args(["specify", "Tenant isolation"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("the template ran for 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let r: Run = child.wait_with_output().unwrap().into();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(
        &r.stderr,
        "template error in .specops/templates/spec.md.j2:2",
    );
    has(&r.stderr, "does more work");
    assert_eq!(s.snapshot_tree(), before);
    assert!(s
        .repo()
        .find_branch("001-tenant-isolation", git2::BranchType::Local)
        .is_err());
}

#[test]
fn a_rule_named_twice_in_the_config_is_an_error() {
    let s = Sandbox::new();
    s.write("specs/001-a/notes.md", "[NEEDS CLARIFICATION: which?]\n");
    for (rules, first, second) in [
        ("  SO001: off\n  so001: error\n", "SO001", "so001"),
        (
            "  needs-clarification: off\n  SO001: error\n",
            "SO001",
            "needs-clarification",
        ),
    ] {
        s.write(".specops/config.yaml", format!("rules:\n{rules}"));
        let r = s.run_err(&["check"]);
        has(
            &r.stderr,
            &format!("`{first}` and `{second}` under `rules:` in .specops/config.yaml both name SO001 (needs-clarification)"),
        );
    }
    // The same key twice, in our words rather than the YAML library's.
    s.write(
        ".specops/config.yaml",
        "rules:\n  SO001: off\n  SO001: error\n",
    );
    let r = s.run_err(&["check"]);
    has(&r.stderr, ".specops/config.yaml:3:");
    has(&r.stderr, "`SO001` is set twice in the same mapping");
    assert!(!r.stderr.contains("DuplicateKeyPolicy"), "{}", r.stderr);
}

#[test]
fn a_malformed_source_date_epoch_is_an_error() {
    let s = Sandbox::new();
    for value in ["abc", "1e9", "12345678901234567890", "-5", ""] {
        let before = s.snapshot_tree();
        let r: Run = s
            .cmd()
            .env("SOURCE_DATE_EPOCH", value)
            .args(["specify", "--no-branch", "Tenant isolation"])
            .output()
            .unwrap()
            .into();
        if value.is_empty() {
            // Set but empty is unset: today's date.
            assert_eq!(r.code, 0, "{}", r.stderr);
            continue;
        }
        assert_eq!(r.code, 2, "SOURCE_DATE_EPOCH={value}\n{}", r.stderr);
        assert_error_shape(&r.stderr);
        has(&r.stderr, &format!("SOURCE_DATE_EPOCH is `{value}`"));
        assert_eq!(s.snapshot_tree(), before, "SOURCE_DATE_EPOCH={value}");
    }
}

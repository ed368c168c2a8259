//! Bad input for every command: odd encodings, hostile names and values, broken configuration
//! and templates, repositories in awkward states, full disks, killed and concurrent runs.
//!
//! Every case asserts the exit code, the `error:` / `hint:` shape where it is an error, and the
//! tree afterwards: byte for byte what it was, or exactly what the command promised.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::plan::{golden, FEATURE, TECH};
use crate::support::{assert_error_shape, Run, Sandbox};

type Tree = BTreeMap<String, Vec<u8>>;

/// Assert that the tree is byte for byte `before`, naming the paths that differ.
pub(crate) fn assert_unchanged(s: &Sandbox, before: &Tree) {
    let after = s.snapshot_tree();
    if &after != before {
        let changed: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("the tree changed: {changed:?}");
    }
}

/// Run expecting exit 2 with the error shape and an unchanged tree; the run.
pub(crate) fn refused(s: &Sandbox, args: &[&str]) -> Run {
    let before = s.snapshot_tree();
    let r = s.run_err(args);
    assert_unchanged(s, &before);
    r
}

/// Make a named pipe at `rel`.
pub(crate) fn mkfifo(s: &Sandbox, rel: &str) {
    let made = std::process::Command::new("mkfifo")
        .arg(s.join(rel))
        .status()
        .expect("mkfifo");
    assert!(made.success());
}

/// Run the binary, failing the test if it has not finished within 10 s (it blocked).
pub(crate) fn run_within_10s(s: &Sandbox, args: &[&str]) -> Run {
    let mut child = s
        .std_cmd(assert_cmd::cargo::cargo_bin("specops"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("specops {} blocked", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap().into()
}

pub(crate) fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

pub(crate) fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Every file or folder under the sandbox (`.git/` aside) that looks temporary.
pub(crate) fn leftovers(s: &Sandbox) -> Vec<String> {
    walkdir::WalkDir::new(s.path())
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.starts_with(".specops-"))
        .collect()
}

/// Entries of a folder, sorted (empty when it does not exist).
pub(crate) fn entries(s: &Sandbox, rel: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.join(rel))
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn ref_names(s: &Sandbox) -> Vec<String> {
    let mut v: Vec<String> = s
        .repo()
        .references()
        .unwrap()
        .map(|r| r.unwrap().name().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// The branch HEAD names.
fn head_branch(s: &Sandbox) -> String {
    let repo = s.repo();
    let head = repo.find_reference("HEAD").unwrap();
    let target = head
        .symbolic_target()
        .unwrap()
        .expect("HEAD names a branch");
    target.trim_start_matches("refs/heads/").to_string()
}

/// `check --format json` on `s` expecting exit `code`: the findings as (rule, path, line, column).
fn findings(s: &Sandbox, args: &[&str], code: i32) -> Vec<(String, String, u64, u64)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let before = s.snapshot_tree();
    let r: Run = s.run(&all).into();
    assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_unchanged(s, &before);
    json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn finding(rule: &str, path: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (rule.to_string(), path.to_string(), line, column)
}

/// Whether this process ignores file permissions (root, or CAP_DAC_OVERRIDE): a mode-000 file
/// is readable then.
fn permissions_ignored(s: &Sandbox) -> bool {
    let probe = s.join(".probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

/// Run the binary under `bash` with a file-size limit of `kib` KiB and SIGXFSZ ignored, so a
/// write past the limit fails with EFBIG as on a full disk (instead of killing the process).
fn run_with_file_limit(s: &Sandbox, kib: u32, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let script = format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\"");
    let out: Output = s
        .std_cmd("bash")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .args(args)
        .output()
        .expect("run bash");
    out.into()
}

// ---------------------------------------------------------------------------------------------
// check: what files contain

#[test]
fn check_crlf_spec_is_linted_like_lf() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/notes.md",
        "# Notes\r\n\r\n- **IR-001**: x [NEEDS CLARIFICATION: which region?]\r\n",
    );
    assert_eq!(
        findings(&s, &[], 1),
        [finding("SO001", "specs/001-a/notes.md", 3, 17)]
    );
}

/// Old Mac line endings (a bare `\r`) end lines as they do in editors and CommonMark: an open
/// checklist item after one is found, on the line an editor shows it.
#[test]
fn check_bare_carriage_returns_hide_nothing() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/checklists/ready.md",
        "# Notes\r\r- **IR-001**: x [NEEDS CLARIFICATION: which region?]\r- [ ] open item\r",
    );
    assert_eq!(
        findings(&s, &[], 1),
        [
            finding("SO001", "specs/001-a/checklists/ready.md", 3, 17),
            finding("SO002", "specs/001-a/checklists/ready.md", 4, 3)
        ]
    );
}

#[test]
fn check_bom_spec_is_linted_and_the_bom_is_no_column() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/notes.md",
        "\u{feff}[NEEDS CLARIFICATION: bom?]\n\n- [NEEDS CLARIFICATION: second?]\n",
    );
    assert_eq!(
        findings(&s, &[], 1),
        [
            finding("SO001", "specs/001-a/notes.md", 1, 1),
            finding("SO001", "specs/001-a/notes.md", 3, 3)
        ]
    );
    // A clean file with a BOM is clean.
    s.write("specs/001-a/notes.md", "\u{feff}# Notes\n\nAll settled.\n");
    assert!(findings(&s, &[], 0).is_empty());
}

#[test]
fn check_non_utf8_is_reported_and_still_linted() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/latin1.md",
        b"# Caf\xe9\n\n- [NEEDS CLARIFICATION: which region?]\n",
    );
    assert_eq!(
        findings(&s, &[], 1),
        [
            finding("SO000", "specs/001-a/latin1.md", 1, 1),
            finding("SO001", "specs/001-a/latin1.md", 3, 3)
        ]
    );
}

#[test]
fn check_binary_file_is_reported_and_hides_no_other_finding() {
    let s = Sandbox::new();
    s.write("specs/001-a/blob.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    s.write(
        "specs/001-a/notes.md",
        "- [NEEDS CLARIFICATION: which region?]\n",
    );
    assert_eq!(
        findings(&s, &[], 1),
        [
            finding("SO000", "specs/001-a/blob.md", 1, 1),
            finding("SO001", "specs/001-a/notes.md", 1, 3)
        ]
    );
}

#[test]
fn check_reports_a_200_mib_file_as_too_large_without_reading_it() {
    let s = Sandbox::new();
    s.write("specs/001-a/notes.md", "# Clean\n");
    let f = std::fs::File::create(s.join("specs/001-a/huge.md")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no disk used
    let started = Instant::now();
    let r: Run = s.run(&["check", "--format", "json"]).into();
    let took = started.elapsed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["rule"], "SO000");
    assert_eq!(v[0]["path"], "specs/001-a/huge.md");
    has(v[0]["message"].as_str().unwrap(), "too large");
    has(v[0]["message"].as_str().unwrap(), "32 MiB");
    // Reading 200 MiB of zeros and scanning them takes seconds in a debug build.
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn check_symlink_loops_are_findings_not_hangs() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/notes.md",
        "- [NEEDS CLARIFICATION: which region?]\n",
    );
    symlink("self.md", s.join("specs/001-a/self.md")).unwrap();
    symlink("b.md", s.join("specs/001-a/a.md")).unwrap();
    symlink("a.md", s.join("specs/001-a/b.md")).unwrap();
    // A folder link back up is not followed, so the walk ends.
    symlink("..", s.join("specs/001-a/up")).unwrap();
    let found = findings(&s, &[], 1);
    assert_eq!(
        found,
        [
            finding("SO000", "specs/001-a/a.md", 1, 1),
            finding("SO000", "specs/001-a/b.md", 1, 1),
            finding("SO001", "specs/001-a/notes.md", 1, 3),
            finding("SO000", "specs/001-a/self.md", 1, 1),
        ]
    );
    // Named on the command line, a looping link is the same finding.
    assert_eq!(
        findings(&s, &["specs/001-a/self.md"], 1),
        [finding("SO000", "specs/001-a/self.md", 1, 1)]
    );
}

#[test]
fn check_a_file_that_cannot_be_read() {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/notes.md",
        "- [NEEDS CLARIFICATION: which region?]\n",
    );
    s.write(
        "specs/001-a/locked.md",
        "- [NEEDS CLARIFICATION: hidden?]\n",
    );
    let locked = s.join("specs/001-a/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let found = findings(&s, &[], 1);
    if permissions_ignored(&s) {
        // As root the file is readable, so it is simply linted.
        assert_eq!(
            found,
            [
                finding("SO001", "specs/001-a/locked.md", 1, 3),
                finding("SO001", "specs/001-a/notes.md", 1, 3)
            ]
        );
    } else {
        assert_eq!(
            found,
            [
                finding("SO000", "specs/001-a/locked.md", 1, 1),
                finding("SO001", "specs/001-a/notes.md", 1, 3)
            ]
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn check_a_named_pipe_is_a_finding_not_a_hang() {
    let s = Sandbox::new();
    s.write("specs/001-a/notes.md", "# Clean\n");
    mkfifo(&s, "pipe");
    symlink("../../pipe", s.join("specs/001-a/linked.md")).unwrap();
    let r = run_within_10s(&s, &["check", "--format", "json", "specs", "pipe"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r.stdout);
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["rule"], "SO000");
            has(d["message"].as_str().unwrap(), "not a regular file");
            d["path"].as_str().unwrap()
        })
        .collect();
    assert_eq!(paths, ["pipe", "specs/001-a/linked.md"]);
}

#[test]
fn check_a_missing_path_is_a_usage_error() {
    let s = Sandbox::new();
    s.write("specs/001-a/notes.md", "# Clean\n");
    let r = refused(&s, &["check", "specs/nope.md"]);
    has(&r.stderr, "specs/nope.md");
}

// ---------------------------------------------------------------------------------------------
// plan, tasks, list: documents that are not documents

#[test]
fn plan_refuses_a_binary_spec() {
    let s = golden();
    s.write(&format!("{FEATURE}/spec.md"), b"# Spec\n\0\0\0binary\n");
    let r = refused(&s, &["plan", "--feature", "3", "--allow-open", TECH]);
    has(&r.stderr, "spec.md is a binary file");
}

#[test]
fn plan_refuses_a_huge_spec_without_reading_it() {
    let s = golden();
    let f = std::fs::File::create(s.join(&format!("{FEATURE}/spec.md"))).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let files = entries(&s, FEATURE);
    let started = Instant::now();
    // Not `refused`: snapshotting the tree would read the 200 MiB.
    let r = s.run_err(&["plan", "--feature", "3", "--allow-open", TECH]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}");
    has(
        &r.stderr,
        "spec.md is too large (200 MiB; the limit is 32 MiB)",
    );
    assert_eq!(entries(&s, FEATURE), files, "nothing written");
}

#[test]
fn plan_refuses_a_spec_that_is_not_utf8() {
    let s = golden();
    s.write(&format!("{FEATURE}/spec.md"), b"# Caf\xe9\n");
    let r = refused(&s, &["plan", "--feature", "3", TECH]);
    has(&r.stderr, "spec.md is not valid UTF-8");
}

#[test]
fn tasks_refuses_a_binary_plan() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    s.write(&format!("{FEATURE}/plan.md"), b"\0\0\0");
    let r = refused(&s, &["tasks", "--feature", "3"]);
    has(&r.stderr, "plan.md is a binary file");
}

#[test]
fn list_reports_unreadable_documents_and_exits_0() {
    let s = golden();
    s.write(&format!("{FEATURE}/plan.md"), b"\0\0\0");
    let before = s.snapshot_tree();
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_unchanged(&s, &before);
    assert_eq!(
        v["features"][0]["unreadable"],
        serde_json::json!(["plan.md"])
    );
}

// ---------------------------------------------------------------------------------------------
// specify: descriptions

#[test]
fn description_with_shell_metacharacters_is_written_verbatim_and_never_run() {
    let s = Sandbox::new();
    let text = "Audit $(touch pwned1) `touch pwned2` ; touch pwned3 | cat & > out < in";
    let v = json(&s.run_ok(&["specify", "--json", text]).stdout);
    assert_eq!(v["short_name"], "audit-touch-pwned1-touch");
    let spec = s.read(v["spec_file"].as_str().unwrap());
    has(&spec, &format!("> {text}\n"));
    for f in ["pwned1", "pwned2", "pwned3", "out"] {
        assert!(
            !s.exists(f),
            "{f} was created: something ran the description"
        );
    }
    assert_eq!(
        s.files(),
        [
            "specs/001-audit-touch-pwned1-touch/checklists/requirements.md",
            "specs/001-audit-touch-pwned1-touch/spec.md"
        ]
    );
}

#[test]
fn description_with_newlines_keeps_every_line_and_titles_the_first() {
    let s = Sandbox::new();
    let v = json(
        &s.run_ok(&[
            "specify",
            "--json",
            "Tenant isolation\nfor EKS\r\nand audit",
        ])
        .stdout,
    );
    assert_eq!(v["short_name"], "tenant-isolation-eks-audit");
    let spec = s.read(v["spec_file"].as_str().unwrap());
    assert!(
        spec.starts_with("# Infrastructure Specification: Tenant isolation\n"),
        "{spec}"
    );
    has(&spec, "> Tenant isolation\n> for EKS\n> and audit\n");
    assert!(!spec.contains('\r'), "a stray CR in the spec");
}

#[test]
fn description_of_10000_characters_is_kept_whole_and_the_names_stay_short() {
    let s = Sandbox::git_with_commit();
    let long = "x".repeat(10_000);
    let v = json(&s.run_ok(&["specify", "--json", &long]).stdout);
    let short = v["short_name"].as_str().unwrap();
    assert_eq!(short, "x".repeat(233));
    let branch = v["branch"].as_str().unwrap();
    assert!(branch.len() <= 244, "{}", branch.len());
    assert_eq!(head_branch(&s), branch);
    let spec = s.read(v["spec_file"].as_str().unwrap());
    has(&spec, &format!("> {long}\n"));
    // The title is cut, the input is not.
    has(
        &spec,
        &format!("# Infrastructure Specification: {}…\n", "x".repeat(80)),
    );
}

#[test]
fn description_of_only_emoji_uses_the_fallback_name_with_a_warning() {
    let s = Sandbox::new();
    let r = s.run_ok(&["specify", "--json", "🚀🔥💥"]);
    let v = json(&r.stdout);
    assert_eq!(v["short_name"], "feature");
    has(&r.stderr, "warning: the description leaves no usable word");
    has(&s.read(v["spec_file"].as_str().unwrap()), "> 🚀🔥💥\n");
}

#[test]
fn blank_description_is_refused() {
    let s = Sandbox::new();
    let r = refused(&s, &["specify", " \n\t "]);
    has(&r.stderr, "error: the description is empty");
    assert!(!s.exists("specs"));
}

// ---------------------------------------------------------------------------------------------
// hostile names and values on the command line (a NUL byte cannot be passed in argv at all;
// `fsx::safe_component` rejects one, as its unit test shows)

#[test]
fn hostile_short_names_stay_inside_the_specs_folder() {
    let s = Sandbox::new();
    for (given, expected) in [
        ("../../escape", "escape"),
        ("/etc/passwd", "etc-passwd"),
        ("a/../../b", "a-b"),
        ("line\nbreak\ttab", "line-break-tab"),
    ] {
        let v = json(
            &s.run_ok(&["specify", "--json", "--short-name", given, "Tenancy"])
                .stdout,
        );
        assert_eq!(v["short_name"], expected, "{given:?}");
    }
    let r = s.run_ok(&["specify", "--json", "--short-name", "../", "Tenancy"]);
    assert_eq!(json(&r.stdout)["short_name"], "feature");
    has(&r.stderr, "--short-name leaves no usable word");
    assert_eq!(
        entries(&s, "specs"),
        [
            "001-escape",
            "002-etc-passwd",
            "003-a-b",
            "004-line-break-tab",
            "005-feature"
        ]
    );
    assert!(s
        .files()
        .iter()
        .all(|f| f.starts_with("specs/") && !f.contains("..")));
}

#[test]
fn hostile_variants_are_refused_by_plan_and_tasks() {
    let s = golden();
    for variant in ["../escape", "/abs/path", ".hidden", "a/b", "..", ""] {
        for cmd in ["plan", "tasks"] {
            let mut args = vec![cmd, "--feature", "3", "--variant", variant];
            if cmd == "plan" {
                args.push(TECH);
            }
            let r = refused(&s, &args);
            has(&r.stderr, "invalid variant name");
        }
    }
}

#[test]
fn hostile_feature_values_are_refused_with_the_list_of_features() {
    let s = golden();
    for feature in [
        "../",
        "/etc",
        "3/../../..",
        "003-multi-tenant-kubernetes/../x",
        "",
    ] {
        let r = refused(&s, &["plan", "--feature", feature, TECH]);
        has(&r.stderr, "features here: 003-multi-tenant-kubernetes");
        refused(&s, &["tasks", "--feature", feature]);
    }
    // The environment variable is checked the same way.
    let before = s.snapshot_tree();
    let r: Run = s
        .cmd()
        .env("SPECOPS_FEATURE", "../../etc")
        .args(["plan", TECH])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 2);
    assert_error_shape(&r.stderr);
    assert_unchanged(&s, &before);
}

#[test]
fn bad_numbers_and_unknown_flags_are_usage_errors_with_a_hint() {
    let s = Sandbox::new();
    for args in [
        vec!["specify", "--number", "abc", "x"],
        vec!["specify", "--number", "-1", "x"],
        vec!["specify", "--number", "99999999999", "x"],
        vec!["specify", "--number", "0", "x"],
        vec!["specify"],
        vec!["specify", "--frobnicate", "x"],
        vec!["check", "--format", "xml"],
        vec!["check", "--rule", "SO001=loud"],
        vec!["check", "--rule", "SO999=error"],
        vec!["completions", "cmd.exe"],
        vec!["--color", "sometimes", "list"],
    ] {
        let r = refused(&s, &args);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    assert!(!s.exists("specs"));
}

// ---------------------------------------------------------------------------------------------
// configuration

/// Every command that reads the config, with arguments that would otherwise work.
fn config_readers() -> Vec<Vec<&'static str>> {
    vec![
        vec!["specify", "Tenancy"],
        vec!["plan", "--feature", "3", TECH],
        vec!["tasks", "--feature", "3"],
        vec!["check"],
        vec!["list"],
        vec!["init"],
    ]
}

#[test]
fn config_that_is_not_yaml_stops_every_command() {
    let s = golden();
    s.write(".specops/config.yaml", "specs_dir: [unclosed\n  {{ nope\n");
    for args in config_readers() {
        let r = refused(&s, &args);
        has(
            &r.stderr,
            "error: invalid configuration at .specops/config.yaml:",
        );
    }
}

#[test]
fn config_with_an_unknown_key_stops_every_command_naming_line_and_column() {
    let s = golden();
    s.write(".specops/config.yaml", "specs_dir: specs\nspec_dir: typo\n");
    for args in config_readers() {
        let r = refused(&s, &args);
        has(
            &r.stderr,
            ".specops/config.yaml:2:1: unknown field `spec_dir`",
        );
    }
}

#[test]
fn config_with_a_wrong_type_stops_every_command() {
    let s = golden();
    for text in [
        "branch:\n  create: maybe\n",
        "specs_dir: [a, b]\n",
        "rules: {SO001: loud}\n",
    ] {
        s.write(".specops/config.yaml", text);
        for args in config_readers() {
            let r = refused(&s, &args);
            has(
                &r.stderr,
                "error: invalid configuration at .specops/config.yaml:",
            );
        }
    }
}

#[test]
fn config_that_is_binary_or_points_outside_is_refused() {
    let s = golden();
    s.write(".specops/config.yaml", b"\xff\xfe\0\0");
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "not valid UTF-8");
    s.write(".specops/config.yaml", "specs_dir: ../elsewhere\n");
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "must be a relative path inside the repository");
}

// ---------------------------------------------------------------------------------------------
// template overrides

fn with_override(template: &str) -> Sandbox {
    let s = Sandbox::git_with_commit();
    s.write(".specops/templates/spec.md.j2", template);
    s
}

/// specify and its dry run both fail on the override, writing nothing and cutting no branch.
fn template_refused(s: &Sandbox) -> String {
    let refs = ref_names(s);
    refused(s, &["specify", "--dry-run", "Tenancy"]);
    let r = refused(s, &["specify", "Tenancy"]);
    assert_eq!(
        entries(s, "specs"),
        Vec::<String>::new(),
        "no folder, no claim"
    );
    assert_eq!(ref_names(s), refs, "no branch");
    assert_eq!(head_branch(s), "main");
    r.stderr
}

#[test]
fn template_with_a_syntax_error_names_file_and_line() {
    let s = with_override("# {{ title }}\n\n{% if %}\n");
    let e = template_refused(&s);
    has(
        &e,
        "error: template error in .specops/templates/spec.md.j2:3: syntax error",
    );
    has(&e, "hint: fix .specops/templates/spec.md.j2");
}

#[test]
fn template_with_an_undefined_variable_names_it() {
    let s = with_override("# {{ title }}\n{{ owner_team }}\n");
    let e = template_refused(&s);
    has(&e, ".specops/templates/spec.md.j2:2: undefined value");
    has(&e, "owner_team");
}

#[test]
fn template_that_includes_itself_fails_instead_of_looping() {
    let s = with_override("again: {% include 'spec.md.j2' %}\n");
    let started = Instant::now();
    let e = template_refused(&s);
    assert!(started.elapsed() < Duration::from_secs(5));
    has(&e, "error: template error in .specops/templates/spec.md.j2");
}

#[test]
fn template_include_cannot_read_outside_the_override_folder() {
    let s = with_override("{% include '../config.yaml' %}{% include '/etc/passwd' %}\n");
    s.write(".specops/config.yaml", "specs_dir: specs\n");
    let e = template_refused(&s);
    has(&e, "template not found");
}

// ---------------------------------------------------------------------------------------------
// repositories in awkward states

#[test]
fn bare_repository_is_refused_by_specify_and_init() {
    let s = Sandbox::new();
    git2::Repository::init_bare(s.path()).unwrap();
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "bare repository");
    let r = refused(&s, &["init"]);
    has(&r.stderr, "bare git repository");
    assert!(!s.exists("specs") && !s.exists("memory") && !s.exists(".specops"));
}

#[test]
fn mid_rebase_specify_refuses_unless_no_branch() {
    let s = Sandbox::git_with_commit();
    std::fs::create_dir(s.join(".git/rebase-merge")).unwrap();
    let refs = ref_names(&s);
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "in the middle of a rebase");
    has(&r.stderr, "git rebase --abort");
    assert_eq!(ref_names(&s), refs);
    let v = json(
        &s.run_ok(&["specify", "--json", "--no-branch", "Tenancy"])
            .stdout,
    );
    assert_eq!(v["branch_created"], false);
    assert_eq!(ref_names(&s), refs);
    assert!(s.exists("specs/001-tenancy/spec.md"));
}

#[test]
fn locked_index_does_not_stop_specify_which_never_writes_the_index() {
    let s = Sandbox::git_with_commit();
    s.write("staged.md", "staged\n");
    let repo = s.repo();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new("staged.md")).unwrap();
    index.write().unwrap();
    let index_before = std::fs::read(s.join(".git/index")).unwrap();
    std::fs::write(s.join(".git/index.lock"), b"held by another git").unwrap();
    let v = json(&s.run_ok(&["specify", "--json", "Tenancy"]).stdout);
    assert_eq!(v["branch_created"], true);
    assert_eq!(head_branch(&s), "001-tenancy");
    assert_eq!(std::fs::read(s.join(".git/index")).unwrap(), index_before);
    assert_eq!(
        std::fs::read(s.join(".git/index.lock")).unwrap(),
        b"held by another git"
    );
}

#[test]
fn locked_branch_ref_fails_cleanly_and_removes_the_feature() {
    let s = Sandbox::git_with_commit();
    std::fs::write(s.join(".git/refs/heads/001-tenancy.lock"), b"").unwrap();
    let refs = ref_names(&s);
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "cannot create branch 001-tenancy");
    assert_eq!(entries(&s, "specs"), Vec::<String>::new());
    assert_eq!(ref_names(&s), refs);
    assert_eq!(head_branch(&s), "main");
}

#[test]
fn detached_head_works_and_gets_attached_to_the_new_branch() {
    let s = Sandbox::git_with_commit();
    let repo = s.repo();
    let oid = repo.head().unwrap().target().unwrap();
    repo.set_head_detached(oid).unwrap();
    let v = json(&s.run_ok(&["specify", "--json", "Tenancy"]).stdout);
    assert_eq!(v["branch_created"], true);
    assert_eq!(head_branch(&s), "001-tenancy");
    assert_eq!(s.repo().head().unwrap().target(), Some(oid));
}

#[test]
fn specs_that_is_a_file_is_refused() {
    let s = Sandbox::new();
    s.write("specs", "not a folder\n");
    let r = refused(&s, &["specify", "Tenancy"]);
    has(&r.stderr, "specs is a file, not a folder");
}

#[test]
fn read_only_specs_folder() {
    let s = Sandbox::new();
    std::fs::create_dir(s.join("specs")).unwrap();
    let specs = s.join("specs");
    std::fs::set_permissions(&specs, std::fs::Permissions::from_mode(0o555)).unwrap();
    if permissions_ignored(&s) {
        // As root the mode is not enforced: specify works as anywhere else.
        s.run_ok(&["specify", "Tenancy"]);
        assert!(s.exists("specs/001-tenancy/spec.md"));
    } else {
        let r = refused(&s, &["specify", "Tenancy"]);
        has(&r.stderr, "Permission denied");
        assert_eq!(entries(&s, "specs"), Vec::<String>::new());
    }
    std::fs::set_permissions(&specs, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// full disks and killed runs

#[test]
fn disk_full_specify_fails_cleanly_leaving_nothing() {
    let s = Sandbox::git_with_commit();
    let before = s.snapshot_tree();
    let refs = ref_names(&s);
    // spec.md is about 7 KiB: the write past 4 KiB fails with EFBIG.
    let r = run_with_file_limit(&s, 4, &["specify", "Tenancy"]);
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(&r.stderr, "File too large");
    has(&r.stderr, "hint: the file size limit was reached");
    assert!(
        !r.stderr.contains(".tmp"),
        "names a temporary file:\n{}",
        r.stderr
    );
    assert_unchanged(&s, &before);
    assert_eq!(
        entries(&s, "specs"),
        Vec::<String>::new(),
        "no folder, no claim"
    );
    assert_eq!(ref_names(&s), refs, "no branch");
    // And with room again, the same number is taken.
    assert_eq!(
        json(&s.run_ok(&["specify", "--json", "Tenancy"]).stdout)["feature_number"],
        "001"
    );
}

#[test]
fn disk_full_plan_force_keeps_the_old_files() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let before = s.snapshot_tree();
    let r = run_with_file_limit(&s, 1, &["plan", "--feature", "3", "--force", "Other tools"]);
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert_error_shape(&r.stderr);
    assert_unchanged(&s, &before);
    assert_eq!(leftovers(&s), Vec::<String>::new());
}

#[test]
fn killed_specify_runs_leave_no_temporary_or_half_written_file() {
    let s = Sandbox::new();
    let bin = assert_cmd::cargo::cargo_bin("specops");
    // Kill runs at staggered moments across a run's life (a debug run takes a few ms).
    for i in 0..12u64 {
        let mut child = s
            .std_cmd(&bin)
            .args(["specify", "-q", "--short-name", "killed", "Killed run"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(i * 1500));
        let _ = child.kill();
        child.wait().unwrap();
    }
    // A run killed between claiming its number and renaming the claim folder leaves that empty
    // folder (a later run takes it over once it is stale); no run leaves a file that is not
    // complete.
    for name in leftovers(&s) {
        assert!(name.starts_with(".specops-claim-"), "left behind: {name}");
        assert_eq!(entries(&s, &format!("specs/{name}")), Vec::<String>::new());
    }
    let done = json(
        &s.run_ok(&["specify", "--json", "--short-name", "killed", "Killed run"])
            .stdout,
    );
    // Complete files differ from the reference only in their number.
    let normal = |f: &str| {
        let n = &f.split('/').nth(1).unwrap()[..3];
        s.read(f).replace(&format!("{n}-killed"), "NNN-killed")
    };
    let spec_ref = normal(done["spec_file"].as_str().unwrap());
    let list_ref = normal(done["checklist_file"].as_str().unwrap());
    let complete = |f: &str, reference: &str| normal(f) == reference;
    for f in s.files() {
        if f.ends_with("/spec.md") {
            assert!(complete(&f, &spec_ref), "{f} is half written");
        } else if f.ends_with("/checklists/requirements.md") {
            assert!(complete(&f, &list_ref), "{f} is half written");
        } else {
            panic!("unexpected file {f}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// concurrent runs

/// Start 16 `specify --json` runs at once; their reports.
fn sixteen_at_once(s: &Sandbox) -> Vec<serde_json::Value> {
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let children: Vec<_> = (0..16)
        .map(|i| {
            s.std_cmd(&bin)
                .args(["specify", "--json", &format!("Parallel feature {i}")])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let r: Run = c.wait_with_output().unwrap().into();
            assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
            json(&r.stdout)
        })
        .collect()
}

fn assert_distinct(s: &Sandbox, reports: &[serde_json::Value]) {
    let mut numbers: Vec<String> = reports
        .iter()
        .map(|v| v["feature_number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=16).map(|n| format!("{n:03}")).collect();
    assert_eq!(numbers, expected);
    let mut dirs: Vec<String> = reports
        .iter()
        .map(|v| v["feature_dir"].as_str().unwrap().to_string())
        .collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 16);
    assert_eq!(entries(s, "specs").len(), 16, "{:?}", entries(s, "specs"));
    for v in reports {
        assert!(s.exists(v["spec_file"].as_str().unwrap()));
        assert!(s.exists(v["checklist_file"].as_str().unwrap()));
    }
    assert_eq!(leftovers(s), Vec::<String>::new());
}

#[test]
fn sixteen_parallel_specify_runs_in_git_get_distinct_numbers_and_branches() {
    let s = Sandbox::git_with_commit();
    let reports = sixteen_at_once(&s);
    assert_distinct(&s, &reports);
    let refs = ref_names(&s);
    for v in &reports {
        assert_eq!(v["branch_created"], true);
        let branch = format!("refs/heads/{}", v["branch"].as_str().unwrap());
        assert!(refs.contains(&branch), "{branch} missing from {refs:?}");
    }
    let head = head_branch(&s);
    assert!(
        reports.iter().any(|v| v["branch"] == head.as_str()),
        "{head}"
    );
}

#[test]
fn sixteen_parallel_specify_runs_outside_git_get_distinct_numbers() {
    let s = Sandbox::new();
    let reports = sixteen_at_once(&s);
    assert_distinct(&s, &reports);
    assert!(reports.iter().all(|v| v["branch_created"] == false));
}

// ---------------------------------------------------------------------------------------------
// init, hook, man: places that are in the way

#[test]
fn init_over_a_user_file_in_the_way_writes_nothing() {
    let s = Sandbox::new();
    s.write(".specops/config.yaml", "specs_dir: specs\n");
    s.write(".claude/commands/specops.specify.md", "my own command\n");
    let r = refused(&s, &["init", "--no-git", "--ai", "claude"]);
    has(&r.stderr, ".claude/commands/specops.specify.md");
}

#[test]
fn hook_install_outside_git_and_over_a_foreign_hook_is_refused() {
    let s = Sandbox::new();
    refused(&s, &["hook", "install"]);
    let s = Sandbox::git();
    s.write(".git/hooks/pre-commit", "#!/bin/sh\nmy-linter\n");
    let before = std::fs::read(s.join(".git/hooks/pre-commit")).unwrap();
    refused(&s, &["hook", "install"]);
    assert_eq!(
        std::fs::read(s.join(".git/hooks/pre-commit")).unwrap(),
        before
    );
}

#[test]
fn man_into_a_file_is_refused() {
    let s = Sandbox::new();
    s.write("out", "a file\n");
    refused(&s, &["man", "--out-dir", "out"]);
}

/// The config file and a template override are read like every document: a named pipe or a
/// folder in their place is an error naming it, never a hang or a silent fallback.
#[test]
fn a_pipe_or_folder_in_place_of_the_config_or_a_template_is_an_error() {
    let s = Sandbox::git();
    std::fs::create_dir_all(s.join(".specops")).unwrap();
    mkfifo(&s, ".specops/config.yaml");
    let r = run_within_10s(&s, &["specify", "--dry-run", "Tenant quotas"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(
        &r.stderr,
        "cannot read .specops/config.yaml: not a regular file",
    );

    std::fs::remove_file(s.join(".specops/config.yaml")).unwrap();
    std::fs::create_dir_all(s.join(".specops/templates/spec.md.j2")).unwrap();
    let r = refused(&s, &["specify", "Tenant quotas"]);
    has(
        &r.stderr,
        ".specops/templates/spec.md.j2: not a regular file",
    );
}

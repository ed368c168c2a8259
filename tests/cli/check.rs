//! `specops check`: formats, exit codes, configuration, suppression, `--staged`, bad files.

use crate::support::{Run, Sandbox};

const SPEC: &str = "\
# Infrastructure Specification: EKS platform

## Deployment Scenarios

### Scenario 1: Tenant onboarding (Priority: P1)

A team gets a namespace.

## Requirements

- **IR-001**: The platform MUST isolate tenants.
- **IR-002**: Audit records are kept for [NEEDS CLARIFICATION: how long, and who may read them?].
- **NFR-001**: Created: [DATE]

## Environments and Topology

| Environment | Purpose |
|-------------|---------|
| prod | tenants |

## Success Criteria

- **SC-001**: A new tenant is usable within 15 minutes.
- [x] No [NEEDS CLARIFICATION] markers remain (a mention, not a marker)

```yaml
rto: [NEEDS CLARIFICATION: in a code block, not a finding]
```
";

const CHECKLIST: &str = "\
# Specification Quality Checklist: EKS platform

- [x] Requirements are testable
- [ ] RTO and RPO are stated as numbers
";

/// A repository with one feature: a spec with one marker and one placeholder, and a checklist
/// with one unticked item.
fn repo() -> Sandbox {
    let s = Sandbox::git_with_commit();
    s.write("specs/001-eks/spec.md", SPEC);
    s.write("specs/001-eks/checklists/requirements.md", CHECKLIST);
    s
}

fn run(s: &Sandbox, args: &[&str]) -> Run {
    s.run(args).into()
}

fn json(stdout: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not a JSON array ({e}):\n{stdout}"))
}

/// The path of each finding in JSON output, in order.
fn paths_of(stdout: &str) -> Vec<String> {
    json(stdout)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

fn rules_of(stdout: &str) -> Vec<String> {
    json(stdout)
        .iter()
        .map(|d| format!("{}@{}", d["rule"].as_str().unwrap(), d["line"]))
        .collect()
}

#[test]
fn human_format() {
    let s = repo();
    let r = run(&s, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!("check_human", r.stdout);
}

/// The carets stay under the finding when wide characters (CJK, emoji), a tab or a character
/// shown escaped come before it on the line, and under a marker with wide characters.
#[test]
fn human_format_carets_under_wide_characters_tabs_and_escapes() {
    let s = repo();
    s.write(
        "specs/001-eks/spec.md",
        SPEC.replace(
            "- **NFR-001**: Created: [DATE]",
            "- **NFR-001**: 要件の保存期間は [NEEDS CLARIFICATION: 何日保存する?]\n\
             - **NFR-002**: 🚀 launch on [DATE]\n\
             - **NFR-003**:\tRTO\t[DATE]\n\
             - **NFR-004**: bell \u{7}, escape \u{1b}[2J, then [DATE]",
        ),
    );
    let r = run(&s, &["check", "specs/001-eks/spec.md"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("check_human_wide", r.stdout);
}

#[test]
fn json_format_is_a_sorted_array_with_exactly_the_contract_fields() {
    let s = repo();
    let r = run(&s, &["check", "--json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("check_json", r.stdout);
    let same = run(&s, &["check", "--format", "json"]);
    assert_eq!(same.stdout, r.stdout);
    let before = run(&s, &["--json", "check"]);
    assert_eq!(before.stdout, r.stdout, "--json before the command");
    // The help says what `--json` prints here: the array, not the one object of other commands.
    let help = s.run_ok(&["check", "--help"]).stdout;
    assert!(help.contains("--json"), "{help}");
    assert!(
        help.contains("findings as one JSON array") && !help.contains("JSON object"),
        "{help}"
    );
}

#[test]
fn github_format() {
    let s = repo();
    let r = run(&s, &["check", "--format", "github"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("check_github", r.stdout);
}

#[test]
fn gitlab_format_is_code_quality_with_fingerprints_that_do_not_depend_on_the_clone() {
    let (a, b) = (repo(), repo());
    let r = run(&a, &["check", "--format", "gitlab"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("check_gitlab", r.stdout);
    // Another clone in another folder, another run, from a subfolder: the same report.
    assert_eq!(run(&a, &["check", "--format", "gitlab"]).stdout, r.stdout);
    let elsewhere = b
        .cmd()
        .args(["-C", "specs", "check", "--format", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&elsewhere.stdout), r.stdout);
    let issues = json(&r.stdout);
    for i in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].as_str().is_some_and(|v| !v.is_empty()), "{key}: {i}");
        }
        assert!(["major", "minor"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("specs/"));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    // Lines added above the findings move them, not their fingerprints.
    a.write(
        "specs/001-eks/spec.md",
        format!("<!-- a note -->\n\n{SPEC}"),
    );
    let moved = json(&run(&a, &["check", "--format", "gitlab"]).stdout);
    let prints = |v: &[serde_json::Value]| -> Vec<String> {
        v.iter().map(|i| i["fingerprint"].to_string()).collect()
    };
    assert_eq!(prints(&moved), prints(&issues));
    assert_ne!(moved[1]["location"], issues[1]["location"]);
}

#[test]
fn junit_format_has_a_case_per_file_and_a_failure_per_finding() {
    let s = repo();
    s.write("specs/001-eks/notes & <drafts>.md", "All fine.\n");
    let r = run(&s, &["check", "--format", "junit"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("check_junit", r.stdout);
    let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        [
            "specs/001-eks/checklists/requirements.md",
            "specs/001-eks/notes & <drafts>.md",
            "specs/001-eks/spec.md"
        ]
    );
    let failures = |i: usize| {
        cases[i]
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .count()
    };
    let findings = json(&run(&s, &["check", "--json"]).stdout);
    assert_eq!(failures(0) + failures(1) + failures(2), findings.len());
    assert_eq!(failures(1), 0);
}

#[test]
fn sarif_format_has_the_required_fields() {
    let s = repo();
    let r = run(&s, &["check", "--format", "sarif"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().ends_with("sarif-2.1.0.json"));
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "specops");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "SO000", "SO001", "SO002", "SO003", "SO004", "SO005", "SO006", "SO007", "SO008",
            "SO009", "SO010", "SO011", "SO012", "SO013"
        ]
    );
    for r in rules {
        assert!(r["name"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(r["defaultConfiguration"]["level"].is_string());
    }
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let first = &results[0];
    assert_eq!(first["ruleId"], "SO002");
    assert_eq!(
        rules[first["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SO002"
    );
    assert_eq!(first["level"], "error");
    assert!(first["message"]["text"]
        .as_str()
        .unwrap()
        .contains("RTO and RPO"));
    let loc = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "specs/001-eks/checklists/requirements.md"
    );
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 3);
    assert_eq!(loc["region"]["endColumn"], 6);
}

#[test]
fn exit_codes_and_strict() {
    let s = Sandbox::git_with_commit();
    s.write(
        "specs/001-eks/spec.md",
        SPEC.replace(
            "[NEEDS CLARIFICATION: how long, and who may read them?]",
            "one year",
        )
        .replace("[DATE]", "2026-11-25"),
    );
    let r = run(&s, &["check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "no problems in 1 file\n");
    assert!(run(&s, &["check", "-q"]).stdout.is_empty());
    // A warning passes, unless --strict.
    s.write("specs/001-eks/notes.md", "Owner: [NEEDS CLARIFICATION]\n");
    let r = run(&s, &["check", "--rule", "SO001=warning"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[SO001]"), "{}", r.stdout);
    assert!(
        r.stdout.ends_with("0 errors, 1 warning in 2 files\n"),
        "{}",
        r.stdout
    );
    assert_eq!(
        run(&s, &["check", "--rule", "SO001=warning", "--strict"]).code,
        1
    );
    assert_eq!(run(&s, &["check"]).code, 1);
}

#[test]
fn severity_precedence_default_then_config_then_cli() {
    let s = repo();
    let levels = |s: &Sandbox, args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "--json"];
        a.extend_from_slice(args);
        json(&run(s, &a).stdout)
            .iter()
            .map(|d| {
                format!(
                    "{}={}",
                    d["rule"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        levels(&s, &[]),
        ["SO002=error", "SO001=error", "SO003=error"]
    );
    s.write(
        ".specops/config.yaml",
        "rules:\n  SO001: warning\n  template-placeholder: off\n  SO006: off\n",
    );
    assert_eq!(levels(&s, &[]), ["SO002=error", "SO001=warning"]);
    assert_eq!(
        levels(&s, &["--rule", "SO003=warning", "--rule", "so002=off"]),
        ["SO001=warning", "SO003=warning"]
    );
    // Only warnings left: exit 0.
    assert_eq!(run(&s, &["check", "--rule", "SO002=off"]).code, 0);
}

#[test]
fn unknown_rules_and_bad_config_are_usage_errors() {
    let s = repo();
    let r = s.run_err(&["check", "--rule", "SO042=off"]);
    assert!(r.stderr.contains("unknown rule `SO042`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("SO006 (untraced-requirement)"),
        "{}",
        r.stderr
    );
    s.run_err(&["check", "--rule", "SO001=loud"]);
    s.run_err(&["check", "--rule", "SO001"]);
    s.run_err(&["check", "--json", "--format", "sarif"]);
    s.write(".specops/config.yaml", "rules: {SO0O1: off}\n");
    let r = s.run_err(&["check"]);
    assert!(r.stderr.contains("unknown rule `SO0O1`"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    s.write(".specops/config.yaml", "exclude: ['specs/[']\n");
    s.run_err(&["check"]);
}

#[test]
fn suppression_comments() {
    let s = Sandbox::git_with_commit();
    s.write(
        "specs/001-eks/notes.md",
        "<!-- specops-ignore SO001 -->\nA [NEEDS CLARIFICATION: hidden?] [DATE]\n\n<!-- specops-ignore SO001 SO003 -->\nB [NEEDS CLARIFICATION: hidden?] [DATE]\n<!-- specops-ignore -->\nC [NEEDS CLARIFICATION: hidden?] [DATE]\nD [NEEDS CLARIFICATION: shown?]\n",
    );
    s.write(
        "specs/001-eks/checklists/security.md",
        "<!-- specops-ignore-file SO002 -->\n- [ ] hidden\n- [ ] hidden too [DATE]\n",
    );
    let r = run(&s, &["check", "--json"]);
    assert_eq!(
        rules_of(&r.stdout),
        ["SO003@3", "SO003@2", "SO001@8"],
        "{}",
        r.stdout
    );
}

#[test]
fn paths_files_and_folders() {
    let s = repo();
    s.write("docs/other.md", "[DATE]\n");
    s.write("specs/001-eks/image.png", "[DATE]\0");
    // A file argument lints just that file, a folder is walked for *.md.
    let r = run(&s, &["check", "--json", "specs/001-eks/spec.md"]);
    assert_eq!(rules_of(&r.stdout), ["SO001@12", "SO003@13"]);
    let r = run(&s, &["check", "--json", "docs"]);
    assert_eq!(rules_of(&r.stdout), ["SO003@1"]);
    assert_eq!(json(&r.stdout)[0]["path"], "docs/other.md");
    // Paths are relative to the repository root wherever specops runs.
    let r = run(&s, &["-C", "specs/001-eks", "check", "--json", "spec.md"]);
    assert_eq!(json(&r.stdout)[0]["path"], "specs/001-eks/spec.md");
    let r = run(&s, &["-C", "specs", "check", "--json"]);
    assert_eq!(json(&r.stdout).len(), 3);
    // A missing path is an error.
    let r = s.run_err(&["check", "specs/nope.md"]);
    assert!(r.stderr.contains("specs/nope.md"), "{}", r.stderr);
}

/// The walk: Markdown files at every depth (any case of `.md`), not hidden, `node_modules` or
/// `target` folders at any depth, and not through a symlinked folder.
#[test]
fn the_walk_finds_markdown_and_skips_hidden_and_build_folders() {
    let s = Sandbox::git_with_commit();
    for path in [
        "specs/top.md",
        "specs/001-a/spec.MD",
        "specs/001-a/deep/er/notes.md",
        "specs/002-b/contracts/api.md",
    ] {
        s.write(path, "[DATE]\n");
    }
    for path in [
        "specs/.drafts/x.md",
        "specs/001-a/.hidden/x.md",
        "specs/node_modules/x.md",
        "specs/001-a/target/x.md",
        "specs/001-a/notes.txt",
        "outside/linked.md",
    ] {
        s.write(path, "[DATE]\n");
    }
    // A feature folder linked to a folder inside the repository is walked; a symlinked folder
    // anywhere else is not followed.
    std::os::unix::fs::symlink(s.join("outside"), s.join("specs/003-link")).unwrap();
    std::os::unix::fs::symlink(s.join("outside"), s.join("specs/001-a/link")).unwrap();
    let r = run(&s, &["check", "--json"]);
    let paths = paths_of(&r.stdout);
    assert_eq!(
        paths,
        [
            "specs/001-a/deep/er/notes.md",
            "specs/001-a/spec.MD",
            "specs/002-b/contracts/api.md",
            "specs/003-link/linked.md",
            "specs/top.md"
        ]
    );
}

#[test]
fn include_and_exclude_globs() {
    let s = repo();
    s.write("docs/adr/001.md", "[DATE]\n");
    s.write(
        ".specops/config.yaml",
        "include: ['docs/**/*.md']\nexclude: ['specs/**/checklists/*.md']\n",
    );
    let r = run(&s, &["check", "--json"]);
    let paths = paths_of(&r.stdout);
    assert_eq!(
        paths,
        [
            "docs/adr/001.md",
            "specs/001-eks/spec.md",
            "specs/001-eks/spec.md"
        ]
    );
    // An explicit file argument is linted even when excluded (as pre-commit passes it).
    let r = run(
        &s,
        &[
            "check",
            "--json",
            "specs/001-eks/checklists/requirements.md",
        ],
    );
    assert_eq!(rules_of(&r.stdout), ["SO002@4"]);
}

#[test]
fn bad_files_are_reported_and_never_hide_other_findings() {
    let s = Sandbox::git_with_commit();
    s.write(
        "specs/001-a/notes.md",
        "# X\n[NEEDS CLARIFICATION: still found?]\n",
    );
    s.write("specs/001-a/binary.md", b"\x89PNG\0\0[DATE]");
    s.write(
        "specs/001-a/latin1.md",
        b"It\x92s [NEEDS CLARIFICATION: found in a latin-1 file?]\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop.md", s.join("specs/001-a/loop.md")).unwrap();
        std::os::unix::fs::symlink("..", s.join("specs/001-a/parent")).unwrap();
    }
    let r = run(&s, &["check", "--json"]);
    assert_eq!(r.code, 1);
    let found: Vec<String> = json(&r.stdout)
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["path"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    let mut want = vec![
        "specs/001-a/binary.md SO000 binary file (it contains NUL bytes); not linted",
        "specs/001-a/latin1.md SO000 not valid UTF-8 (first invalid byte on line 1); linted with invalid bytes replaced by U+FFFD",
        "specs/001-a/latin1.md SO001 unresolved clarification: found in a latin-1 file?",
    ];
    #[cfg(unix)]
    want.push("specs/001-a/loop.md SO000 cannot read file: Too many levels of symbolic links (os error 40)");
    want.push("specs/001-a/notes.md SO001 unresolved clarification: still found?");
    assert_eq!(found, want);
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::git_with_commit();
    s.write("specs/001-a/secret.md", "[DATE]\n");
    s.write("specs/001-a/notes.md", "[DATE]\n");
    // A socket named like a document cannot be opened, even by root.
    let _socket = std::os::unix::net::UnixListener::bind(s.join("specs/001-a/socket.md")).unwrap();
    let r = run(
        &s,
        &[
            "check",
            "--json",
            "specs/001-a/socket.md",
            "specs/001-a/notes.md",
        ],
    );
    assert_eq!(r.code, 1);
    assert_eq!(rules_of(&r.stdout), ["SO003@1", "SO000@1"]);
    assert!(
        json(&r.stdout)[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read file"),
        "{}",
        r.stdout
    );
    std::fs::set_permissions(
        s.join("specs/001-a/secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    if std::fs::read(s.join("specs/001-a/secret.md")).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let r = run(&s, &["check", "--json"]);
    assert_eq!(rules_of(&r.stdout), ["SO000@1", "SO003@1"]);
}

pub(crate) fn stage(s: &Sandbox, rel: &str, contents: &str) {
    s.write(rel, contents);
    let repo = s.repo();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new(rel)).unwrap();
    index.write().unwrap();
}

#[test]
fn staged_lints_the_index_not_the_work_tree() {
    let s = Sandbox::git_with_commit();
    // Staged with a marker, fixed only in the work tree: still an error.
    stage(
        &s,
        "specs/001-a/notes.md",
        "Owner: [NEEDS CLARIFICATION: who?]\n",
    );
    s.write("specs/001-a/notes.md", "Owner: platform team\n");
    let r = run(&s, &["check", "--staged", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(rules_of(&r.stdout), ["SO001@1"]);
    assert_eq!(run(&s, &["check"]).code, 0);
    // Staged clean, broken only in the work tree: passes.
    stage(&s, "specs/001-a/notes.md", "Owner: platform team\n");
    s.write(
        "specs/001-a/notes.md",
        "Owner: [NEEDS CLARIFICATION: who?]\n",
    );
    let r = run(&s, &["check", "--staged"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "no problems in 1 file\n");
    assert_eq!(run(&s, &["check"]).code, 1);
}

#[test]
fn staged_skips_unchanged_and_out_of_scope_files() {
    let s = Sandbox::git_with_commit();
    s.write("specs/001-a/old.md", "[DATE]\n");
    s.write("docs/x.md", "[DATE]\n");
    s.commit_all("old");
    stage(&s, "docs/y.md", "[DATE]\n");
    stage(&s, "specs/001-a/new.md", "[DATE]\n");
    stage(&s, "specs/001-a/data.yaml", "[DATE]\n");
    let r = run(&s, &["check", "--staged", "--json"]);
    let paths = paths_of(&r.stdout);
    assert_eq!(paths, ["specs/001-a/new.md"]);
    // Outside a repository, --staged is an error.
    let plain = Sandbox::new();
    plain.write("specs/a.md", "x\n");
    let r = plain.run_err(&["check", "--staged"]);
    assert!(
        r.stderr.contains("--staged needs a git repository"),
        "{}",
        r.stderr
    );
}

#[test]
fn staged_works_before_the_first_commit() {
    let s = Sandbox::git();
    stage(&s, "specs/001-a/notes.md", "[DATE]\n");
    let r = run(&s, &["check", "--staged", "--json"]);
    assert_eq!(rules_of(&r.stdout), ["SO003@1"]);
}

#[test]
fn colour_follows_the_color_flag() {
    let s = repo();
    let plain = run(&s, &["check"]).stdout;
    assert!(!plain.contains('\x1b'));
    let coloured = run(&s, &["check", "--color", "always"]).stdout;
    assert!(coloured.contains("\x1b[1m\x1b[31merror"), "{coloured}");
}

#[test]
fn a_huge_file_is_reported_not_read() {
    let s = Sandbox::git_with_commit();
    s.write("specs/001-a/notes.md", "[DATE]\n");
    // A sparse 200 MB file: cheap to make, and reading it whole is what must not happen.
    let f = std::fs::File::create(s.join("specs/001-a/huge.md")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let r = run(&s, &["check", "--json"]);
    assert_eq!(rules_of(&r.stdout), ["SO000@1", "SO003@1"]);
    let message = json(&r.stdout)[0]["message"].as_str().unwrap().to_string();
    assert_eq!(
        message,
        "file too large to lint (200 MiB; the limit is 32 MiB)"
    );
}

/// The documents `specops plan` and `tasks` write are structurally sound: what remains to lint
/// in them is the content left for a person or an assistant to fill in (markers, placeholders,
/// unticked gates), never a missing section or a malformed task line.
#[test]
fn generated_plan_set_and_tasks_pass_the_structural_rules() {
    use crate::plan::{golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    // The author links the one requirement no key resource names to a module of their own.
    let plan = format!("{FEATURE}/plan.md");
    s.write(
        &plan,
        s.read(&plan).replace(
            "\n## Requirement Traceability",
            "- **zone-spread** (NFR-003): workloads spread over three zones\n\n## Requirement Traceability",
        ),
    );
    s.run_ok(&["tasks", "--feature", "3", "--allow-open"]);
    let r = run(&s, &["check", "--json"]);
    let found = json(&r.stdout);
    let rules: std::collections::BTreeSet<&str> =
        found.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(
        rules
            .iter()
            .all(|r| ["SO001", "SO002", "SO003", "SO009", "SO010"].contains(r)),
        "{}",
        r.stdout
    );
    // The golden spec and its checklist are finished: nothing there.
    assert!(
        found.iter().all(|d| {
            let p = d["path"].as_str().unwrap();
            p != format!("{FEATURE}/spec.md") && !p.contains("checklists/")
        }),
        "{}",
        r.stdout
    );
    // Fresh gates are unticked until someone reviews the design: one finding per gate item,
    // SO009 (not also SO002) while no Complexity Tracking row justifies it.
    let plan = format!("{FEATURE}/plan.md");
    let gates: Vec<_> = found.iter().filter(|d| d["path"] == plan).collect();
    assert!(gates.iter().any(|d| d["rule"] == "SO009"), "{}", r.stdout);
    let mut lines: Vec<_> = gates
        .iter()
        .filter(|d| d["rule"] == "SO002" || d["rule"] == "SO009")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    let n = lines.len();
    lines.dedup();
    assert_eq!(
        lines.len(),
        n,
        "two findings on one gate item: {}",
        r.stdout
    );
}

/// The cross-document rules through the binary: a fresh plan and task list for a clarified spec
/// trace every requirement; hand edits afterwards are found by SO006, SO007 and SO008, in the
/// document they concern, also when only one file is linted (as pre-commit passes it) and from
/// the index with `--staged`.
#[test]
fn cross_document_rules_find_drift_after_hand_edits() {
    use crate::plan::{decide, golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    decide(&s, &format!("{FEATURE}/plan.md"));
    s.run_ok(&["tasks", "--feature", "3"]);
    let cross = |r: &Run| -> Vec<String> {
        json(&r.stdout)
            .iter()
            .filter(|d| ["SO006", "SO007", "SO008"].contains(&d["rule"].as_str().unwrap()))
            .map(|d| {
                let path = d["path"].as_str().unwrap();
                format!(
                    "{} {}:{} {}",
                    d["rule"].as_str().unwrap(),
                    path.rsplit('/').next().unwrap(),
                    d["line"],
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    let fresh = run(&s, &["check", "--json"]);
    assert_eq!(cross(&fresh), Vec::<String>::new(), "{}", fresh.stdout);

    // The spec edited by hand: IR-003 reworded, IR-006 added, SC-003 deleted.
    let spec_path = format!("{FEATURE}/spec.md");
    let edited = crate::tasks::hand_edited(&s.read(&spec_path));
    s.write(&spec_path, &edited);
    let r = run(&s, &["check", "--json"]);
    let found = cross(&r);
    let ir006 = edited.lines().position(|l| l.contains("IR-006")).unwrap() + 1;
    assert!(
        found.contains(&format!("SO006 spec.md:{ir006} requirement IR-006 is served by no task in tasks.md; link it from a scenario's **Requirements** line or a module in plan.md's ## Modules and run `specops tasks --force`, or mark it Withdrawn")),
        "{found:#?}"
    );
    let stale: Vec<&String> = found.iter().filter(|f| f.starts_with("SO008")).collect();
    assert_eq!(stale.len(), 1, "{found:#?}");
    assert!(
        stale[0].contains("plan.md:")
            && stale[0].contains("(changed IR-003; added IR-006; removed SC-003)"),
        "{stale:?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with("SO007 tasks.md:")
            && f.ends_with("SC-003 is not a requirement of the spec")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with("SO007 plan.md:")
            && f.ends_with("SC-003 is not a requirement of the spec")),
        "{found:#?}"
    );
    assert_eq!(r.code, 1, "SO007 is an error");

    // Linting only the task list still compares it with the spec on disk.
    let tasks_path = format!("{FEATURE}/tasks.md");
    let only = run(&s, &["check", "--json", &tasks_path]);
    let found = cross(&only);
    assert!(
        !found.is_empty() && found.iter().all(|f| f.starts_with("SO007 tasks.md:")),
        "{found:#?}"
    );

    // The plan edited after the tasks were derived: the task list is stale.
    let plan_path = format!("{FEATURE}/plan.md");
    s.write(
        &plan_path,
        s.read(&plan_path)
            .replace("## Summary", "## Summary\n\nEdited by hand."),
    );
    let found = cross(&run(&s, &["check", "--json", &tasks_path]));
    assert!(
        found.iter().any(|f| f.starts_with("SO008 tasks.md:")
            && f.contains("plan.md changed since these tasks were derived")),
        "{found:#?}"
    );

    // --staged compares with what the commit will hold: the spec as committed, not as edited.
    s.commit_all("feature 003");
    let r = run(&s, &["check", "--staged", "--json"]);
    assert_eq!(r.stdout.trim(), "[]", "nothing staged");
    s.write(&spec_path, edited.replace("IR-006", "IR-007"));
    stage(
        &s,
        &tasks_path,
        &s.read(&tasks_path).replace("(IR-001", "(IR-404, IR-001"),
    );
    let found = cross(&run(&s, &["check", "--staged", "--json"]));
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("IR-404 is not a requirement of the spec")),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|f| f.contains("IR-007")),
        "the work tree's spec is not staged: {found:#?}"
    );
}

/// The walk's listing of a feature folder stands in for opening its documents: a spec left out
/// by `exclude` is still what the task list beside it is compared with, and a feature folder
/// without a spec compares its task list with nothing.
#[test]
fn a_spec_left_out_of_the_lint_is_still_compared_with() {
    let s = Sandbox::git_with_commit();
    s.write(
        "specs/001-a/spec.md",
        "## Requirements\n\n- **IR-001**: One.\n",
    );
    s.write(
        "specs/001-a/tasks.md",
        "- [ ] T001 Do it in x/ (IR-001, IR-404)\n",
    );
    s.write("specs/002-b/tasks.md", "- [ ] T001 Do it in x/ (IR-404)\n");
    s.write(".specops/config.yaml", "exclude: ['specs/**/spec.md']\n");
    let r = run(&s, &["check", "--json"]);
    let unknown: Vec<String> = json(&r.stdout)
        .iter()
        .filter(|d| d["rule"] == "SO007")
        .map(|d| {
            format!(
                "{} {}",
                d["path"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        unknown,
        ["specs/001-a/tasks.md IR-404 is not a requirement of the spec"],
        "{}",
        r.stdout
    );
}

/// SO009 through the binary: a gate is either ticked or justified in Complexity Tracking.
#[test]
fn unticked_gates_need_a_complexity_tracking_row() {
    use crate::plan::{golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let plan_path = format!("{FEATURE}/plan.md");
    // Every gate passed, except Simplicity, which is broken on purpose and justified.
    let plan = s.read(&plan_path);
    let mut reviewed = String::new();
    let mut in_simplicity = false;
    for line in plan.lines() {
        if line.starts_with('#') {
            in_simplicity = line.contains("Simplicity Gate");
        }
        if in_simplicity || line.contains("**Article VII: Simplicity**") {
            reviewed.push_str(line);
        } else {
            reviewed.push_str(&line.replace("- [ ]", "- [x]"));
        }
        reviewed.push('\n');
    }
    s.write(&plan_path, &reviewed);
    let gates = |s: &Sandbox| -> Vec<String> {
        json(&run(s, &["check", "--json", &plan_path]).stdout)
            .iter()
            .filter(|d| d["rule"] == "SO009" || d["rule"] == "SO002")
            .map(|d| format!("{}@{}", d["rule"].as_str().unwrap(), d["line"]))
            .collect()
    };
    let unjustified = gates(&s);
    assert_eq!(
        unjustified.len(),
        4,
        "three Simplicity items and Article VII: {unjustified:?}"
    );
    assert!(
        unjustified.iter().all(|g| g.starts_with("SO009@")),
        "{unjustified:?}"
    );
    // With SO009 off, the same items are SO002 findings: never silently passed.
    let r = run(&s, &["check", "--json", "--rule", "SO009=off", &plan_path]);
    assert_eq!(
        json(&r.stdout)
            .iter()
            .filter(|d| d["rule"] == "SO002")
            .count(),
        4,
        "{}",
        r.stdout
    );
    // Justified in Complexity Tracking: neither rule reports it.
    let justified = reviewed.replace(
        "|------|-----------|------------------|--------------------------------------|\n",
        "|------|-----------|------------------|--------------------------------------|\n| Simplicity Gate (Article VII) | four projects | a shared tenant registry | merging it into modules breaks Article I |\n",
    );
    assert_ne!(
        justified, reviewed,
        "the template's Complexity Tracking table moved"
    );
    s.write(&plan_path, &justified);
    assert_eq!(gates(&s), Vec::<String>::new());
}

/// After a plan (or task list) is updated by hand for what changed, `--refresh` re-records the
/// fingerprint, and SO008 stops reporting it; nothing else in the document changes.
#[test]
fn refresh_acknowledges_a_hand_updated_plan_and_task_list() {
    use crate::plan::{decide, golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    decide(&s, &format!("{FEATURE}/plan.md"));
    s.run_ok(&["tasks", "--feature", "3"]);
    let stale = |s: &Sandbox| -> Vec<String> {
        json(&run(s, &["check", "--json"]).stdout)
            .iter()
            .filter(|d| d["rule"] == "SO008")
            .map(|d| {
                d["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let spec_path = format!("{FEATURE}/spec.md");
    s.write(
        &spec_path,
        s.read(&spec_path).replace(
            "compute and storage quota per tenant.",
            "compute, storage and object-count quota per tenant.",
        ),
    );
    let plan_path = format!("{FEATURE}/plan.md");
    let updated_plan = s
        .read(&plan_path)
        .replace("## Summary", "## Summary\n\nQuotas now count objects too.");
    s.write(&plan_path, &updated_plan);
    assert_eq!(stale(&s), ["plan.md", "tasks.md"]);

    let r = s.run_ok(&["plan", "--feature", "3", "--refresh", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["file"], plan_path.as_str());
    assert_eq!(report["source"], spec_path.as_str());
    assert_eq!(report["refreshed"], true);
    assert_eq!(
        report["acknowledged"],
        serde_json::json!([{"change": "changed", "name": "IR-003"}])
    );
    assert_eq!(report["rewritten"], serde_json::json!(["IR-003"]));
    let refreshed = s.read(&plan_path);
    let differing: Vec<(&str, &str)> = updated_plan
        .lines()
        .zip(refreshed.lines())
        .filter(|(a, b)| a != b)
        .collect();
    // The changed requirement's words in the traceability table, and the fingerprint.
    assert_eq!(differing.len(), 2, "{differing:?}");
    assert_eq!(
        differing[0].1,
        "| IR-003 | The platform MUST enforce a compute, storage and object-count quota per tenant. | — | — |"
    );
    assert!(differing[1].1.starts_with("<!-- specops:fingerprint spec "));
    assert_eq!(updated_plan.lines().count(), refreshed.lines().count());
    // The plan body changed (by hand), so the task list is still stale until it is refreshed.
    assert_eq!(stale(&s), ["tasks.md"]);
    let so008 = run(&s, &["check", "--json", &format!("{FEATURE}/tasks.md")]);
    assert!(
        so008.stdout.contains("plan.md changed since these tasks were derived (changed Summary, Requirement Traceability)"),
        "{}",
        so008.stdout
    );
    let r = s.run_ok(&["tasks", "--feature", "3", "--refresh"]);
    assert!(
        r.stdout
            .contains("Acknowledged: changed Summary, Requirement Traceability, IR-003."),
        "{}",
        r.stdout
    );
    assert_eq!(stale(&s), Vec::<String>::new());
    // A second refresh changes nothing and says so.
    let again = s.run_ok(&["plan", "--feature", "3", "--refresh", "--json"]);
    assert!(
        again.stdout.contains("\"refreshed\": false"),
        "{}",
        again.stdout
    );

    // Nothing to refresh: a clear error, and --refresh does not combine with --force.
    let other = golden();
    let r = other.run_err(&["tasks", "--feature", "3", "--refresh"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plan.md does not exist"), "{}", r.stderr);
    other.run_ok(&["plan", "--feature", "3", TECH]);
    let r = other.run_err(&["tasks", "--feature", "3", "--refresh"]);
    assert!(
        r.stderr
            .contains("tasks.md does not exist, so there is no fingerprint to refresh"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("hint: run `specops tasks` to derive it"),
        "{}",
        r.stderr
    );
    let clash = other.run(&["plan", "--refresh", "--force"]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&clash.stderr).contains("cannot be used with '--force'"));
}

/// SO010 through the binary: a derived plan's traceability table is all em dashes, one finding
/// per row; a filled table passes; a row emptied again, or removed, is reported.
#[test]
fn an_emptied_traceability_row_fails_check() {
    use crate::plan::{golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let plan = format!("{FEATURE}/plan.md");
    let so010 = |s: &Sandbox| -> Vec<(u64, String)> {
        json(&run(s, &["check", "--json", &plan]).stdout)
            .iter()
            .filter(|d| d["rule"] == "SO010")
            .map(|d| {
                (
                    d["line"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        so010(&s).len(),
        11,
        "one per requirement of the golden spec"
    );
    let text = s.read(&plan);
    let filled = text.replace(
        "| — | — |",
        "| modules/tenant-quota | tests/post-deploy/quota/ |",
    );
    s.write(&plan, &filled);
    assert_eq!(so010(&s), []);
    let emptied = filled.replacen(
        "| IR-003 | The platform MUST enforce a compute and storage quota per tenant. | modules/tenant-quota | tests/post-deploy/quota/ |",
        "| IR-003 | The platform MUST enforce a compute and storage quota per tenant. | modules/tenant-quota |  |",
        1,
    );
    assert_ne!(emptied, filled);
    let row = emptied
        .lines()
        .position(|l| l.starts_with("| IR-003"))
        .unwrap() as u64
        + 1;
    s.write(&plan, &emptied);
    assert_eq!(
        so010(&s),
        [(row, "the traceability row of IR-003 has no validation yet: say which plan element meets it and which check proves it".to_string())]
    );
    let removed: String = filled
        .lines()
        .filter(|l| !l.starts_with("| NFR-002"))
        .map(|l| format!("{l}\n"))
        .collect();
    s.write(&plan, &removed);
    let found = so010(&s);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .starts_with("requirement NFR-002 of the spec has no row"),
        "{found:?}"
    );
}

/// SO011 and SO012 through the binary: a ticked task whose path is missing (in the work tree,
/// or in the index with `--staged`), and a ticked task whose requirement changed afterwards.
#[test]
fn ticked_tasks_are_held_to_their_path_and_to_the_requirement_they_served() {
    use crate::plan::{decide, golden, FEATURE, TECH};
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    decide(&s, &format!("{FEATURE}/plan.md"));
    s.run_ok(&["tasks", "--feature", "3"]);
    let tasks = format!("{FEATURE}/tasks.md");
    let text = s.read(&tasks);
    let ticked = text
        .replace("- [ ] T001 ", "- [x] T001 ")
        .replace("- [ ] T018 ", "- [x] T018 ");
    s.write(&tasks, &ticked);
    s.write("README.md", "# Platform\n");
    let findings = |s: &Sandbox, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["check", "--json"];
        args.extend_from_slice(extra);
        json(&run(s, &args).stdout)
            .iter()
            .filter(|d| ["SO011", "SO012"].contains(&d["rule"].as_str().unwrap()))
            .map(|d| {
                format!(
                    "{} {}",
                    d["rule"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    // T018 builds modules/tenant-quota/, which does not exist yet; README.md does.
    assert_eq!(
        findings(&s, &[]),
        ["SO011 T018 is ticked, but modules/tenant-quota/ does not exist; create it, correct the path, or untick the task"]
    );
    s.write("modules/tenant-quota/main.tf", "# Implements 003/IR-003\n");
    assert_eq!(findings(&s, &[]), Vec::<String>::new());
    // Staged: the module exists in the work tree but not in the index.
    s.std_cmd("git")
        .args(["add", &tasks, "README.md"])
        .status()
        .unwrap();
    assert_eq!(
        findings(&s, &["--staged"]).len(),
        1,
        "{:?}",
        findings(&s, &["--staged"])
    );
    s.std_cmd("git").args(["add", "modules"]).status().unwrap();
    assert_eq!(findings(&s, &["--staged"]), Vec::<String>::new());

    // IR-003 reworded after T018 was done for it.
    let spec = format!("{FEATURE}/spec.md");
    s.write(
        &spec,
        s.read(&spec).replace(
            "compute and storage quota per tenant.",
            "compute, storage and object-count quota per tenant.",
        ),
    );
    assert_eq!(
        findings(&s, &[]),
        ["SO012 T018 is ticked, but requirement IR-003 has changed since the tasks were derived; check the work still meets the new text, then run `specops tasks --refresh`"]
    );
    s.run_ok(&["tasks", "--feature", "3", "--refresh"]);
    assert_eq!(findings(&s, &[]), Vec::<String>::new());
}

#[test]
fn nothing_to_lint_is_an_error_but_nothing_staged_is_not() {
    let s = Sandbox::git_with_commit();
    for args in [
        &["check"][..],
        &["check", "--json"],
        &["check", "--format", "gitlab"],
    ] {
        let r = s.run_err(args);
        assert!(
            r.stderr.contains("nothing to lint: no specs/ folder"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("(or pass -C DIR, or the files to lint)"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    let r = run(&s, &["check", "--staged"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    // An empty specs folder is a repository set up with nothing written yet: a warning.
    std::fs::create_dir(s.join("specs")).unwrap();
    let r = run(&s, &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: nothing to lint"),
        "{}",
        r.stderr
    );
}

//! Bad input, continued: documents built to exhaust memory or to drive a terminal, names that
//! are not text, runaway templates, ambiguous settings, and output that cannot be written or is
//! cut short. As in `bad_input.rs`, every case asserts the exit code, the `error:` / `hint:`
//! shape of an error, and what is left on disk.
#![cfg(unix)]

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::plan::{golden, has, json, FEATURE, TECH};
use crate::support::{assert_error_shape, Run, Sandbox};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("specops")
}

/// Run the binary with at most 1 GiB of address space (PRODUCT.md §5: under 1 GB on any input
/// of 32 MiB or less).
fn run_in_1_gib(s: &Sandbox, args: &[&str]) -> Run {
    s.std_cmd("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
        .arg(bin())
        .args(args)
        .output()
        .expect("run specops under ulimit")
        .into()
}

/// Run the binary through `sh -c SCRIPT`, where `"$0"` is the binary.
fn run_sh(s: &Sandbox, script: &str) -> Run {
    s.std_cmd("sh")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .output()
        .expect("run sh")
        .into()
}

/// `text` has no control character but line feeds and tabs.
fn assert_no_controls(text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert!(bad.is_empty(), "control characters {bad:?} in:\n{text}");
}

// ---------------------------------------------------------------------------------------------
// size: findings on one long line

#[test]
fn one_line_of_unclosed_markers_stays_small() {
    // Each unclosed marker's question ran to the end of the line, and each finding kept a copy
    // of the line: 25,000 markers on a line of 550 KB asked for tens of gigabytes.
    let s = Sandbox::new();
    let markers = 25_000;
    s.write(
        "specs/001-a/notes.md",
        "[NEEDS CLARIFICATION: ".repeat(markers) + "\n",
    );
    let r = run_in_1_gib(&s, &["check", "--format", "json"]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    let found = json(&r.stdout);
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), markers);
    for f in found {
        let message = f["message"].as_str().unwrap();
        assert!(message.chars().count() <= 301, "{message}");
    }
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("unresolved clarification: [NEEDS CLARIFICATION: [NEEDS"));
    assert!(found[0]["message"].as_str().unwrap().ends_with('…'));
    assert!(r.stdout.len() < markers * 1000, "{} bytes", r.stdout.len());
}

#[test]
fn one_line_of_placeholders_stays_small_and_shows_an_excerpt() {
    // 40,000 `[DATE]` on one line of 280 KB: each finding quoted the whole line.
    let s = Sandbox::new();
    let placeholders = 40_000;
    s.write(
        "specs/001-a/notes.md",
        "[DATE] ".repeat(placeholders) + "\n",
    );
    let r = run_in_1_gib(&s, &["check"]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    has(
        &r.stdout,
        &format!("{placeholders} errors, 0 warnings in 1 file"),
    );
    assert!(
        r.stdout.len() < placeholders * 800,
        "{} bytes",
        r.stdout.len()
    );
    // The 1,000th finding: an excerpt around it, cut on both sides, the carets under it.
    let at = 999 * 7 + 1;
    let lines: Vec<&str> = r.stdout.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.ends_with(&format!("notes.md:1:{at}")))
        .unwrap();
    let (source, carets) = (lines[i + 2], lines[i + 3]);
    assert!(
        source.starts_with("1 | …") && source.ends_with('…'),
        "{source}"
    );
    assert!(source.chars().count() < 260, "{source}");
    let column = carets.find('^').unwrap();
    assert_eq!(&carets[column..], "^^^^^^");
    let shown: String = source.chars().skip(column).take(6).collect();
    assert_eq!(shown, "[DATE]", "\n{source}\n{carets}");
}

// ---------------------------------------------------------------------------------------------
// output cut short or impossible to write

/// 20,000 findings, each on a line of its own.
fn many_findings() -> Sandbox {
    let s = Sandbox::new();
    s.write(
        "specs/001-a/spec.md",
        "- [NEEDS CLARIFICATION: which region?]\n".repeat(20_000),
    );
    s
}

/// Run with stdout (or stderr) a pipe whose reader has gone; the exit code.
fn code_with_reader_gone(s: &Sandbox, args: &[&str], stderr: bool) -> i32 {
    let mut cmd = s.std_cmd(bin());
    cmd.args(args);
    if stderr {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().unwrap();
    // Read a little, as `head -c 100` would, then go.
    let mut first = [0u8; 100];
    if stderr {
        let mut pipe = child.stderr.take().unwrap();
        let _ = pipe.read(&mut first);
    } else {
        let mut pipe = child.stdout.take().unwrap();
        let _ = pipe.read(&mut first);
    }
    child.wait().unwrap().code().unwrap_or(-1)
}

#[test]
fn a_reader_that_goes_away_changes_no_exit_code() {
    let s = many_findings();
    for format in ["human", "json", "sarif", "github"] {
        let code = code_with_reader_gone(&s, &["check", "--format", format], false);
        assert_eq!(code, 1, "check --format {format} | head");
    }
    let clean = Sandbox::new();
    clean.write("specs/001-a/notes.md", "# Notes\n");
    assert_eq!(code_with_reader_gone(&clean, &["check"], false), 0);
    // `plan` refused on an open spec prints its blockers on stderr: still exit 1.
    let p = golden();
    let spec = format!("{FEATURE}/spec.md");
    p.write(
        &spec,
        p.read(&spec) + &"\n- [NEEDS CLARIFICATION: which?]\n".repeat(5_000),
    );
    let code = code_with_reader_gone(&p, &["plan", "--feature", "3", TECH], true);
    assert_eq!(code, 1, "plan 2>&1 | head");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let s = many_findings();
    for args in [vec!["check"], vec!["check", "--json"], vec!["list"]] {
        let r = run_sh(&s, &format!(r#"exec "$0" {} > /dev/full"#, args.join(" ")));
        assert_eq!(r.code, 2, "{args:?} > /dev/full\n{}", r.stderr);
        assert_error_shape(&r.stderr);
        has(&r.stderr, "cannot write the output: ");
    }
    for help in ["--help", "--version", "check --help"] {
        let r = run_sh(&s, &format!(r#"exec "$0" {help} > /dev/full"#));
        assert_eq!(r.code, 2, "{help} > /dev/full\n{}", r.stderr);
        assert_error_shape(&r.stderr);
    }
    // Reading on: a closed stdout.
    let r = run_sh(&s, r#"exec "$0" check >&-"#);
    assert_eq!(r.code, 2, "check >&-\n{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(&r.stderr, "standard output is closed");
    // … which is no error when nothing is to be written.
    let clean = Sandbox::new();
    clean.write("specs/001-a/notes.md", "# Notes\n");
    assert_eq!(run_sh(&clean, r#"exec "$0" check -q >&-"#).code, 0);
    // `> /dev/null` is the way to discard the output.
    assert_eq!(run_sh(&s, r#"exec "$0" check > /dev/null"#).code, 1);
}

#[test]
fn specify_into_a_full_stdout_keeps_the_feature_and_says_so() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let s = Sandbox::git_with_commit();
    let r = run_sh(&s, r#"exec "$0" specify Tenant isolation > /dev/full"#);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(
        &r.stderr,
        "feature 001 was created all the same, in specs/001-tenant-isolation/ on branch 001-tenant-isolation",
    );
    has(&r.stderr, "specops list");
    assert!(s.exists("specs/001-tenant-isolation/spec.md"));
    assert!(s
        .repo()
        .find_branch("001-tenant-isolation", git2::BranchType::Local)
        .is_ok());
    // A dry run says that nothing was created.
    let r = run_sh(&s, r#"exec "$0" specify --dry-run More > /dev/full"#);
    assert_eq!(r.code, 2);
    has(&r.stderr, "nothing was created");
    assert!(!s.exists("specs/002-more"));
}

// ---------------------------------------------------------------------------------------------
// control characters

/// A spec whose text tries to drive the terminal: a window title (OSC), clear screen and a
/// cursor move (CSI), a C1 CSI, DEL, a bell, a bare carriage return, and colours in a question.
const HOSTILE: &str = "Owner: [DATE] \u{1b}]0;pwned\u{7}title\u{1b}[2J\u{1b}[10;10Hmoved \u{9b}31m c1 \u{7f}del\n\nRegion: [DATE]\u{8}gone\n\n- [NEEDS CLARIFICATION: who \u{1b}[31mowns\u{1b}[0m it?]\n";

#[test]
fn human_output_shows_control_characters_escaped() {
    let s = Sandbox::new();
    s.write("specs/001-a/spec.md", HOSTILE);
    let r: Run = s.run(&["check"]).into();
    assert_eq!(r.code, 1);
    assert_no_controls(&r.stdout);
    has(
        &r.stdout,
        r"\u{1b}]0;pwned\u{7}title\u{1b}[2J\u{1b}[10;10Hmoved \u{9b}31m c1 \u{7f}del",
    );
    has(&r.stdout, r"Region: [DATE]\u{8}gone");
    has(&r.stdout, r"who \u{1b}[31mowns\u{1b}[0m it?");
    // With colours on, the only escape sequences are our own styles.
    let r: Run = s.run(&["check", "--color", "always"]).into();
    let unstyled = anstream::adapter::strip_str(&r.stdout).to_string();
    assert_no_controls(&unstyled);
    has(&unstyled, r"\u{1b}]0;pwned");
    // The carets stay under the placeholder in the escaped line.
    let plain: Run = s.run(&["check"]).into();
    let lines: Vec<&str> = plain.stdout.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("Region: [DATE]"))
        .unwrap();
    let column = lines[i + 1].find('^').unwrap();
    assert_eq!(&lines[i][column..column + 6], "[DATE]");
    // JSON keeps the text as it is, escaped by JSON itself.
    let r: Run = s.run(&["check", "--json"]).into();
    has(&r.stdout, r"who \u001b[31mowns\u001b[0m it?");
    assert!(!r.stdout.contains(['\u{1b}', '\r']), "{}", r.stdout);
}

/// `text` has no control character but line feeds and tabs, and no bidirectional control.
fn assert_inert(text: &str) {
    assert_no_controls(text);
    let bidi: Vec<char> = text
        .chars()
        .filter(|c| matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect();
    assert!(bidi.is_empty(), "bidi controls {bidi:?} in:\n{text}");
}

#[test]
fn every_machine_format_keeps_control_characters_inert() {
    let s = Sandbox::new();
    let name = "specs/001-a/c\u{1b}[31m\u{9b}\u{202e}x\u{ffff}.md";
    let text =
        format!("{HOSTILE}\n[NEEDS CLARIFICATION: q \u{9b}2J \u{85} \u{7f} \u{202e}x \u{fffe}]\n");
    s.write(name, &text);
    for format in ["json", "sarif", "gitlab", "github", "junit"] {
        let r: Run = s.run(&["check", "--format", format]).into();
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_inert(&r.stdout);
        match format {
            "github" => {
                has(&r.stdout, r"file=specs/001-a/c\u{1b}[31m\u{9b}\u{202e}x");
                has(
                    &r.stdout,
                    r"::unresolved clarification: q \u{9b}2J \u{85} \u{7f} \u{202e}x",
                );
            }
            "junit" => {
                roxmltree::Document::parse(&r.stdout).unwrap();
            }
            _ => {
                // JSON readers get the text back as it is.
                let v = json(&r.stdout).to_string();
                assert!(
                    v.contains("q \u{9b}2J \u{85} \u{7f} \u{202e}x"),
                    "{format}: {v}"
                );
                has(&r.stdout, r"\u009b2J \u0085 \u007f \u202ex");
            }
        }
    }
    // Every command's --json goes through the same writer.
    s.write(
        "specs/001-a/tasks.md",
        "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 clear \u{9b}2J \u{7f} \u{202e}x in a/b.tf\n",
    );
    let r = s.run_ok(&["next", "--feature", "1", "--json"]);
    assert_inert(&r.stdout);
    has(&r.stdout, r"clear \u009b2J \u007f \u202ex");
}

#[test]
fn names_and_questions_are_escaped_by_list_plan_and_errors() {
    let s = golden();
    let evil = "specs/004-\u{1b}]0;x\u{7}evil\rname";
    s.write(&format!("{evil}/spec.md"), HOSTILE);
    let r = s.run_ok(&["list"]);
    assert_no_controls(&r.stdout);
    has(&r.stdout, r"\u{1b}]0;x\u{7}evil\u{d}name");
    // `plan` lists the open question it refuses on.
    let r: Run = s.run(&["plan", "--feature", "4", TECH]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_no_controls(&r.stderr);
    has(&r.stderr, r"who \u{1b}[31mowns");
    // An error naming the folder.
    let r: Run = s.run(&["tasks", "--feature", "4"]).into();
    assert_eq!(r.code, 2);
    assert_error_shape(&r.stderr);
    assert_no_controls(&r.stderr);
    has(&r.stderr, r"\u{1b}]0;x\u{7}evil");
}

#[test]
fn a_carriage_return_cannot_forge_an_annotation() {
    // A CI log splits lines on a bare CR as well as on LF: the text after it would be read as a
    // workflow command of its own. The linter ends a line at a bare CR too, so no message
    // carries one (the formatter escapes it all the same, see its unit test).
    let s = Sandbox::new();
    s.write(
        "specs/001-a/notes.md",
        "- RTO: [NEEDS CLARIFICATION: 50%,\r::error file=forged.md,line=1::forged]\n\nx [DATE]\r::warning file=forged.md::forged too\n",
    );
    for format in ["human", "github"] {
        let r: Run = s.run(&["check", "--format", format]).into();
        assert_eq!(r.code, 1);
        let commands: Vec<&str> = r
            .stdout
            .split(['\r', '\n'])
            .filter(|l| l.starts_with("::"))
            .collect();
        for c in &commands {
            assert!(
                c.starts_with("::error file=specs/001-a/notes.md,"),
                "{format}: forged annotation {c:?} in:\n{}",
                r.stdout
            );
        }
        let expected = if format == "github" { 2 } else { 0 };
        assert_eq!(commands.len(), expected, "{format}:\n{}", r.stdout);
    }
    // Per the workflow-command rules: `%` in the message; the marker ends with its line.
    let r: Run = s.run(&["check", "--format", "github"]).into();
    has(&r.stdout, "::unresolved clarification: 50%25,\n");
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

// ---------------------------------------------------------------------------------------------
// size: ranges, repeated names and cited IDs that multiply

/// Ranges are written out (`IR-1 to IR-1000` names a thousand IDs), and names repeat: a task list
/// of nothing but ranges, a plan of fifty thousand modules with one name, and a source file of
/// one comment citing the same IDs over and over stay within 1 GiB and a few seconds for
/// `check`, `tasks`, `trace` and `list`.
#[test]
fn ranges_repeated_names_and_citations_stay_bounded() {
    let s = crate::tasks::planned();
    let tasks: String = (1..=30_000)
        .map(|n| format!("- [x] T{n} Build in modules/x/ IR-1 to IR-1000\n"))
        .collect();
    s.write(&format!("{FEATURE}/tasks.md"), &tasks);
    let plan = format!("{FEATURE}/plan.md");
    let modules: String = (0..30_000)
        .map(|_| "- **x** (IR-001 to IR-999): x\n")
        .collect();
    s.write(
        &plan,
        s.read(&plan).replace(
            "\n## Requirement Traceability",
            &format!("{modules}\n## Requirement Traceability"),
        ),
    );
    let comment: String = "# ".to_string() + &"IR-001 to IR-999, 003/IR-002 ".repeat(30_000) + "\n";
    s.write("modules/x/main.tf", &comment);
    for args in [
        vec!["check"],
        vec!["tasks", "--feature", "3", "--force", "--allow-open"],
        vec!["trace", "--feature", "3", "--json"],
        vec!["list"],
    ] {
        let started = Instant::now();
        let r = run_in_1_gib(&s, &args);
        assert!(
            r.code == 0 || r.code == 1,
            "{args:?} exit {}:\n{}",
            r.code,
            r.stderr
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn done_into_a_full_stdout_says_the_tasks_were_ticked() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let s = crate::tasks::planned();
    s.run_ok(&["tasks", "--feature", "3"]);
    let r = run_sh(&s, r#"exec "$0" done T001 --feature 3 > /dev/full"#);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_error_shape(&r.stderr);
    has(
        &r.stderr,
        "T001 ticked all the same in specs/003-multi-tenant-kubernetes/tasks.md",
    );
    has(&r.stderr, "specops next");
    assert!(s
        .read(&format!("{FEATURE}/tasks.md"))
        .contains("- [x] T001 "));
}

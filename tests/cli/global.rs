//! Flags and behaviour shared by every command.

use crate::support::Sandbox;

#[test]
fn version_and_help() {
    let s = Sandbox::new();
    let r = s.run_ok(&["--version"]);
    assert_eq!(r.stdout, format!("specops {}\n", env!("CARGO_PKG_VERSION")));
    let r = s.run_ok(&["init", "--help"]);
    for a in specops::agents::AGENTS {
        assert!(r.stdout.contains(a.key), "init --help lists {}", a.key);
    }
}

#[test]
fn help_snapshot() {
    let s = Sandbox::new();
    let r = s.run_ok(&["--help"]);
    insta::assert_snapshot!("help", r.stdout);
}

#[test]
fn dash_c_runs_in_another_folder() {
    let s = Sandbox::new();
    std::fs::create_dir(s.join("elsewhere")).unwrap();
    s.run_ok(&["-C", "elsewhere", "init", "--no-git"]);
    assert!(s.exists("elsewhere/memory/constitution.md"));
    let r = s.run_err(&["-C", "missing", "init"]);
    assert!(r.stderr.contains("missing"), "{}", r.stderr);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let s = Sandbox::new();
    let r = s.run_ok(&["init", "-q"]);
    assert!(
        r.stdout.is_empty() && r.stderr.is_empty(),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn colour_is_never_used_when_off_and_used_when_forced() {
    let s = Sandbox::new();
    let r = s.run_ok(&["init", "--no-git"]);
    assert!(!r.stdout.contains('\u{1b}'), "NO_COLOR honoured");
    let t = Sandbox::new();
    let r: crate::support::Run = t
        .cmd()
        .args(["init", "--no-git", "--color", "always"])
        .output()
        .unwrap()
        .into();
    assert!(r.stdout.contains('\u{1b}'), "--color always forces colour");
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    let r = s.run(&["frobnicate"]);
    assert_eq!(r.status.code(), Some(2));
    let r = s.run(&["specify"]);
    assert_eq!(r.status.code(), Some(2), "a description is required");
}

#[test]
fn completions_and_man_page_come_from_the_command_tree() {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = s.run_ok(&["completions", shell]);
        for sub in ["init", "specify", "plan", "tasks", "check", "list", "hook"] {
            assert!(r.stdout.contains(sub), "{shell} completion mentions {sub}");
        }
    }
    let r = s.run_ok(&["man"]);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH specops"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    let r = s.run_ok(&["man", "--out-dir", "man", "--json"]);
    let written = serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap()["files"]
        .as_array()
        .unwrap()
        .len();
    assert!(s.read("man/specops.1").contains(".TH specops"));
    assert!(s
        .read("man/specops-hook-install.1")
        .contains(".TH specops-hook-install"));
    // Every page a page refers to (`specops\-plan(1)`) was written.
    let pages: Vec<String> = std::fs::read_dir(s.join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), written);
    let refers = regex::Regex::new(r"(specops(?:\\-[a-z]+)+)\(1\)").unwrap();
    for page in &pages {
        for c in refers.captures_iter(&s.read(&format!("man/{page}"))) {
            let name = format!("{}.1", c[1].replace("\\-", "-"));
            assert!(
                pages.contains(&name),
                "{page} refers to {name}, which was not written"
            );
        }
    }
    // Output that is not JSON refuses --json instead of ignoring it.
    for args in [&["man", "--json"][..], &["completions", "bash", "--json"]] {
        let r = s.run_err(args);
        assert!(r.stderr.contains("--json"), "{}", r.stderr);
    }
}

/// Each page's SYNOPSIS names an option with the value it takes: `-C DIR`, `--color WHEN`
/// (clap_mangen alone writes `[-C ]` and `[--color]`).
#[test]
fn man_synopsis_shows_option_values() {
    let s = Sandbox::new();
    s.run_ok(&["man", "--out-dir", "man"]);
    let synopsis = |page: &str| -> String {
        let roff = s.read(&format!("man/{page}"));
        let mut lines = roff.lines().skip_while(|l| *l != ".SH SYNOPSIS");
        lines.nth(1).unwrap_or_default().to_string()
    };
    let mut pages: Vec<String> = std::fs::read_dir(s.join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|p| !p.contains("-help"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 20, "{pages:?}");
    for page in &pages {
        let line = synopsis(page);
        for option in [r"[\fB\-C\fR \fIDIR\fR]", r"[\fB\-\-color\fR \fIWHEN\fR]"] {
            assert!(line.contains(option), "{page}: {option} not in {line}");
        }
        assert!(!line.contains(r"\-C \fR"), "{page}: {line}");
    }
    let check = synopsis("specops-check.1");
    for option in [
        r"[\fB\-\-format\fR \fIFORMAT\fR]",
        r"[\fB\-\-rule\fR \fIID=LEVEL\fR]",
        r"[\fB\-\-strict\fR]",
        r"[\fIPATHS\fR]...",
    ] {
        assert!(check.contains(option), "{option} not in {check}");
    }
    assert!(synopsis("specops.1").starts_with(r"\fBspecops\fR [\fB\-\-json\fR]"));
    assert!(synopsis("specops-hook-install.1").starts_with(r"\fBspecops hook install\fR "));
    // `man` without --out-dir prints the same page as specops.1.
    assert_eq!(s.run_ok(&["man"]).stdout, s.read("man/specops.1"));
}

#[test]
fn the_docs_list_every_assistant() {
    let readme = include_str!("../../docs/commands.md");
    for a in specops::agents::AGENTS {
        assert!(
            readme.contains(&format!("| `{}` |", a.key)),
            "docs/commands.md lacks {}",
            a.key
        );
    }
}

#[test]
fn every_command_help_has_an_example() {
    use clap::CommandFactory;
    let root = specops::cli::Cli::command();
    let s = Sandbox::new();
    let mut paths: Vec<Vec<String>> = Vec::new();
    for sub in root.get_subcommands() {
        paths.push(vec![sub.get_name().to_string()]);
        for subsub in sub.get_subcommands() {
            paths.push(vec![
                sub.get_name().to_string(),
                subsub.get_name().to_string(),
            ]);
        }
    }
    assert!(paths.len() >= 10, "{paths:?}");
    for p in paths {
        let mut args: Vec<&str> = p.iter().map(String::as_str).collect();
        args.push("--help");
        let r = s.run_ok(&args);
        assert!(
            r.stdout.contains("Example"),
            "`specops {}` has no example:\n{}",
            p.join(" "),
            r.stdout
        );
    }
}

/// `-q` silences confirmations only: an answer the command was run for (`next`, `trace`,
/// `rule`, the preview of a dry run) and a refusal that explains a failure print as they do without it.
#[test]
fn quiet_never_hides_an_answer_or_a_refusal() {
    use crate::support::Run;
    let s = crate::tasks::planned();
    crate::plan::decide(&s, &format!("{}/plan.md", crate::plan::FEATURE));
    s.run_ok(&["tasks", "--feature", "3", "-q"]);
    for args in [
        &["next", "--feature", "3"][..],
        &["trace", "--feature", "3"],
        &["rule", "SO001"],
        // A dry run's preview is its answer.
        &["specify", "--dry-run", "Tenant DNS"],
    ] {
        let loud = s.run_ok(args).stdout;
        assert!(!loud.is_empty(), "{args:?}");
        let quiet = s.run_ok(&[args, &["-q"]].concat());
        assert_eq!(quiet.stdout, loud, "{args:?}");
    }
    let set_up = crate::support::Sandbox::new();
    set_up.run_ok(&["init", "--ai", "claude"]);
    let loud = set_up.run_ok(&["upgrade", "--dry-run"]).stdout;
    assert!(loud.contains("Dry run"), "{loud}");
    assert_eq!(set_up.run_ok(&["-q", "upgrade", "--dry-run"]).stdout, loud);
    // A refusal: the spec has an open question again, so `plan` says why it will not run.
    let spec = format!("{}/spec.md", crate::plan::FEATURE);
    s.write(
        &spec,
        s.read(&spec) + "\n- **IR-099**: [NEEDS CLARIFICATION: which region?]\n",
    );
    let args = ["plan", "--feature", "3", "--force", crate::plan::TECH];
    let loud: Run = s.run(&args).into();
    let quiet: Run = s.run(&[&args[..], &["-q"]].concat()).into();
    assert_eq!(loud.code, 1, "{}", loud.stderr);
    assert!(loud.stderr.contains("which region?"), "{}", loud.stderr);
    assert_eq!((quiet.code, quiet.stderr), (1, loud.stderr));
}

//! `specops init`.

use crate::support::Sandbox;
use specops::agents::{self, AGENTS, COMMANDS};

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

#[test]
fn init_sets_up_a_fresh_folder_with_git() {
    let s = Sandbox::new();
    let r = s.run_ok(&["init", "--ai", "claude"]);
    assert!(s.exists(".git"), "git init ran");
    assert!(s.join("specs").is_dir());
    assert_eq!(s.read("memory/constitution.md"), specops::CONSTITUTION);
    let config = s.read(".specops/config.yaml");
    assert!(config.contains("agents: [claude]"), "{config}");
    for c in COMMANDS {
        let f = format!(".claude/commands/specops.{}.md", c.name);
        assert!(s.read(&f).contains("$ARGUMENTS"), "{f}");
    }
    insta::assert_snapshot!("init_human", s.redact(&r.stdout));
}

#[test]
fn init_json_reports_every_file() {
    let s = Sandbox::new();
    let r = s.run_ok(&["init", "--ai", "claude", "--json"]);
    let v = json(&r.stdout);
    assert_eq!(v["git_initialized"], true);
    assert_eq!(v["unchanged"], false);
    assert_eq!(v["agents"], serde_json::json!(["claude"]));
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 3 + COMMANDS.len());
    assert!(files.iter().all(|f| f["status"] == "created"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn second_run_changes_nothing_and_says_so() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--ai", "claude,gemini"]);
    let before = s.snapshot_tree();
    let r = s.run_ok(&["init", "--ai", "claude,gemini"]);
    assert_eq!(s.snapshot_tree(), before, "second run changed the tree");
    assert!(r.stdout.contains("unchanged"), "{}", r.stdout);
    let r = s.run_ok(&["init", "--ai", "claude,gemini", "--json"]);
    assert_eq!(json(&r.stdout)["unchanged"], true);
    assert_eq!(s.snapshot_tree(), before);
}

#[test]
fn rerun_without_ai_reinstalls_the_configured_agents() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--ai", "gemini"]);
    std::fs::remove_file(s.join(".gemini/commands/specops.plan.toml")).unwrap();
    let r = s.run_ok(&["init", "--json"]);
    assert_eq!(json(&r.stdout)["agents"], serde_json::json!(["gemini"]));
    assert!(s.exists(".gemini/commands/specops.plan.toml"));
}

#[test]
fn a_changed_command_file_stops_init_before_any_write() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--ai", "claude"]);
    s.write(".claude/commands/specops.plan.md", "my own prompt\n");
    let before = s.snapshot_tree();
    let r = s.run_err(&["init", "--ai", "claude,gemini"]);
    assert!(
        r.stderr.contains(".claude/commands/specops.plan.md"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(s.snapshot_tree(), before, "nothing written");
}

#[test]
fn force_rewrites_managed_files_but_never_the_constitution() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--ai", "claude"]);
    s.write("memory/constitution.md", "# Our own constitution\n");
    s.write(".specops/config.yaml", "specs_dir: specs\n");
    s.write(".claude/commands/specops.plan.md", "edited\n");
    // Without --force the user's config is kept, and the edited command file is in the way.
    s.run_err(&["init", "--ai", "claude"]);
    let r = s.run_ok(&["init", "--ai", "claude", "--force", "--json"]);
    let v = json(&r.stdout);
    let status = |p: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("memory/constitution.md"), "kept");
    assert_eq!(status(".specops/config.yaml"), "overwritten");
    assert_eq!(status(".claude/commands/specops.plan.md"), "overwritten");
    assert_eq!(s.read("memory/constitution.md"), "# Our own constitution\n");
    assert!(s
        .read(".claude/commands/specops.plan.md")
        .contains("$ARGUMENTS"));
}

#[test]
fn a_user_config_is_kept_without_force() {
    let s = Sandbox::new();
    s.write(".specops/config.yaml", "specs_dir: docs/specs\n");
    let r = s.run_ok(&["init", "--json"]);
    assert_eq!(s.read(".specops/config.yaml"), "specs_dir: docs/specs\n");
    assert!(
        s.join("docs/specs").is_dir(),
        "specs_dir from the config is created"
    );
    assert!(r.stdout.contains("\"kept\""));
}

#[test]
fn init_into_a_new_dir_argument() {
    let s = Sandbox::new();
    s.run_ok(&["init", "demo", "--ai", "copilot"]);
    assert!(s.exists("demo/.git"));
    assert!(s.exists("demo/.github/prompts/specops.specify.prompt.md"));
    assert!(!s.exists(".git"));
}

#[test]
fn no_git_and_existing_work_tree_skip_git_init() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--no-git"]);
    assert!(!s.exists(".git"));

    let g = Sandbox::git();
    g.run_ok(&["init", "infra"]);
    assert!(
        !g.exists("infra/.git"),
        "no nested repository inside a work tree"
    );
    assert!(g.exists("infra/memory/constitution.md"));
}

#[test]
fn unknown_agent_lists_the_known_ones() {
    let s = Sandbox::new();
    let r = s.run_err(&["init", "--ai", "clippy"]);
    assert!(
        r.stderr.contains("unknown AI assistant `clippy`"),
        "{}",
        r.stderr
    );
    for a in AGENTS {
        assert!(r.stderr.contains(a.key), "hint lists {}", a.key);
    }
    assert!(s.files().is_empty(), "nothing written: {:?}", s.files());
}

#[test]
fn generic_needs_a_safe_ai_dir() {
    let s = Sandbox::new();
    let r = s.run_err(&["init", "--ai", "generic"]);
    assert!(r.stderr.contains("--ai-dir"), "{}", r.stderr);
    let r = s.run_err(&["init", "--ai", "generic", "--ai-dir", "../outside"]);
    assert!(r.stderr.contains("inside the repository"), "{}", r.stderr);
    let r = s.run_err(&["init", "--ai", "claude", "--ai-dir", "x"]);
    assert!(r.stderr.contains("--ai generic"), "{}", r.stderr);
    s.run_ok(&["init", "--ai", "generic", "--ai-dir", ".assistant/commands"]);
    for c in COMMANDS {
        let f = format!(".assistant/commands/specops.{}.md", c.name);
        assert!(s.read(&f).contains("$ARGUMENTS"), "{f}");
    }
}

#[test]
fn every_agent_gets_every_command_with_its_placeholder() {
    let s = Sandbox::new();
    let keys: Vec<&str> = AGENTS
        .iter()
        .filter(|a| !a.dir.is_empty())
        .map(|a| a.key)
        .collect();
    assert!(keys.len() >= 20, "at least twenty named assistants");
    s.run_ok(&["init", "--ai", &keys.join(",")]);
    for a in AGENTS.iter().filter(|a| !a.dir.is_empty()) {
        for c in COMMANDS {
            let f = format!("{}/{}", a.dir, agents::file_name(a, c));
            let text = s.read(&f);
            assert!(text.contains(a.args), "{f} lacks {}", a.args);
            assert!(
                text.contains("--json") || text.contains("--format json"),
                "{f} drives the binary with JSON"
            );
            assert!(
                text.contains("specops check"),
                "{f} ends with specops check"
            );
        }
    }
}

#[test]
fn one_command_file_per_format_snapshot() {
    let s = Sandbox::new();
    let mut seen = Vec::new();
    let mut picked = Vec::new();
    for a in AGENTS.iter().filter(|a| !a.dir.is_empty()) {
        let key = format!("{:?}{}", a.format, a.extension);
        if !seen.contains(&key) {
            seen.push(key);
            picked.push(a);
        }
    }
    let keys: Vec<&str> = picked.iter().map(|a| a.key).collect();
    s.run_ok(&["init", "--ai", &keys.join(",")]);
    for a in picked {
        let c = &COMMANDS[0];
        let f = format!("{}/{}", a.dir, agents::file_name(a, c));
        insta::assert_snapshot!(format!("agent_file_{}", a.key), s.read(&f));
    }
}

#[test]
fn templates_flag_writes_every_embedded_template_and_overrides_are_used() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--templates"]);
    for (name, source) in specops::templates::EMBEDDED {
        assert_eq!(s.read(&format!(".specops/templates/{name}")), *source);
    }
    s.write(
        ".specops/templates/commands/check.md.j2",
        "Run specops check --format json for {{ args }}. Then specops check.\n",
    );
    s.run_ok(&["init", "--ai", "claude"]);
    assert!(s
        .read(".claude/commands/specops.check.md")
        .contains("Run specops check --format json for $ARGUMENTS"));
}

#[test]
fn a_broken_override_names_the_file_and_line() {
    let s = Sandbox::new();
    s.write(
        ".specops/templates/commands/plan.md.j2",
        "fine\n{% for x in %}\n",
    );
    let r = s.run_err(&["init", "--ai", "claude"]);
    assert!(
        r.stderr
            .contains(".specops/templates/commands/plan.md.j2:2"),
        "{}",
        r.stderr
    );
    assert!(!s.exists(".claude"), "nothing written");

    s.write(
        ".specops/templates/commands/plan.md.j2",
        "{{ undefined_thing }}\n",
    );
    let r = s.run_err(&["init", "--ai", "claude"]);
    assert!(
        r.stderr
            .contains(".specops/templates/commands/plan.md.j2:1"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("undefined"), "{}", r.stderr);
}

#[test]
fn a_broken_config_is_named_with_line_and_column() {
    let s = Sandbox::new();
    s.write(
        ".specops/config.yaml",
        "specs_dir: specs\nbranches:\n  create: false\n",
    );
    let r = s.run_err(&["init"]);
    assert!(r.stderr.contains(".specops/config.yaml:2:"), "{}", r.stderr);
}

#[test]
fn init_on_a_file_is_an_error() {
    let s = Sandbox::new();
    s.write("afile", "x");
    let r = s.run_err(&["init", "afile"]);
    assert!(r.stderr.contains("not a folder"), "{}", r.stderr);
}

#[test]
fn the_constitution_goes_where_the_config_says() {
    let s = Sandbox::new();
    s.write(
        ".specops/config.yaml",
        "constitution: docs/governance/constitution.md\n",
    );
    let r = s.run_ok(&["init", "--json"]);
    assert!(s.exists("docs/governance/constitution.md"), "{}", r.stdout);
    assert!(!s.exists("memory/constitution.md"), "{}", r.stdout);
    // plan and check read it from there too.
    let r = s.run(&["check"]);
    assert_ne!(r.status.code(), Some(2), "{r:?}");
}

#[test]
fn init_writes_the_config_schema_and_points_the_config_at_it() {
    let s = Sandbox::new();
    s.run_ok(&["init"]);
    let config = s.read(".specops/config.yaml");
    assert_eq!(
        config.lines().next(),
        Some("# yaml-language-server: $schema=./config.schema.json")
    );
    let printed = s.run_ok(&["config", "schema"]).stdout;
    assert_eq!(s.read(".specops/config.schema.json"), printed);
    let schema: serde_json::Value = serde_json::from_str(&printed).unwrap();
    for key in [
        "specs_dir",
        "constitution",
        "agents",
        "branch",
        "rules",
        "include",
        "exclude",
    ] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    assert_eq!(s.run_ok(&["config", "schema", "--json"]).stdout, printed);
    // An outdated schema is brought up to date by the next init; the user's config is kept.
    s.write(".specops/config.schema.json", "{}\n");
    s.write(".specops/config.yaml", "specs_dir: docs/specs\n");
    s.run_ok(&["init"]);
    assert_eq!(s.read(".specops/config.schema.json"), printed);
    assert_eq!(s.read(".specops/config.yaml"), "specs_dir: docs/specs\n");
}

#[test]
fn an_added_assistant_is_recorded_and_the_rest_of_the_config_kept_byte_for_byte() {
    let s = Sandbox::new();
    s.run_ok(&["init", "--ai", "claude"]);
    let mine = s
        .read(".specops/config.yaml")
        .replace(
            "specs_dir: specs\n",
            "specs_dir: specs   # the team's choice\n",
        )
        .replace("rules: {}", "rules: {SO006: off}");
    s.write(".specops/config.yaml", &mine);
    s.run_ok(&["init", "--ai", "copilot"]);
    assert_eq!(
        s.read(".specops/config.yaml"),
        mine.replace("agents: [claude]", "agents: [claude, copilot]")
    );
    assert!(s.exists(".github/prompts/specops.specify.prompt.md"));
    // The edited config stays the user's: an upgrade keeps it.
    let recorded = s.read(".specops/config.yaml");
    s.run_ok(&["upgrade"]);
    assert_eq!(s.read(".specops/config.yaml"), recorded);
    // A later init without --ai refreshes both, and leaves the config as it is.
    s.write(".claude/commands/specops.plan.md", "old\n");
    std::fs::remove_file(s.join(".github/prompts/specops.plan.prompt.md")).unwrap();
    let r = s.run_ok(&["init", "--force"]);
    assert!(
        r.stdout.contains(".github/prompts/specops.plan.prompt.md"),
        "{}",
        r.stdout
    );
    assert_ne!(s.read(".claude/commands/specops.plan.md"), "old\n");
    let after = s.read(".specops/config.yaml");
    assert!(after.contains("agents: [claude, copilot]"), "{after}");
}

#[test]
fn adding_an_assistant_keeps_the_config_line_endings() {
    for eol in ["\r\n", "\r"] {
        let s = Sandbox::new();
        s.run_ok(&["init", "--ai", "claude"]);
        // As saved by an editor with Windows or old Mac line endings, one with a block list.
        let flow = s.read(".specops/config.yaml").replace('\n', eol);
        let block = flow.replace("agents: [claude]", &format!("agents:{eol}  - claude"));
        for (mine, expected) in [
            (
                &flow,
                flow.replace("agents: [claude]", "agents: [claude, gemini]"),
            ),
            (
                &block,
                block.replace("  - claude", &format!("  - claude{eol}  - gemini")),
            ),
        ] {
            s.write(".specops/config.yaml", mine);
            let r = s.run_ok(&["init", "--ai", "gemini"]);
            assert!(!r.stderr.contains("warning"), "{eol:?}: {}", r.stderr);
            assert_eq!(s.read(".specops/config.yaml"), expected, "{eol:?}");
        }
    }
}

#[test]
fn an_agents_list_specops_cannot_edit_is_kept_with_a_warning() {
    let s = Sandbox::new();
    s.write(".specops/config.yaml", "agents: [claude,\n  gemini]\n");
    let r = s.run_ok(&["init", "--ai", "copilot"]);
    assert!(
        r.stderr.contains("add copilot to `agents:` yourself"),
        "{}",
        r.stderr
    );
    assert_eq!(
        s.read(".specops/config.yaml"),
        "agents: [claude,\n  gemini]\n"
    );
}

#[test]
fn an_unknown_assistant_suggests_the_closest() {
    let s = Sandbox::new();
    let r = s.run_err(&["init", "--ai", "cluade"]);
    assert!(r.stderr.contains("did you mean `claude`?"), "{}", r.stderr);
    assert!(s.files().is_empty(), "{:?}", s.files());
}

#[test]
fn a_new_folder_inside_another_repository_is_named_and_git_gives_it_its_own() {
    let s = Sandbox::git_with_commit();
    let r = s.run_ok(&["init", "demo"]);
    assert!(
        r.stderr
            .contains("demo is a new folder inside the git repository")
            && r.stderr.contains("specops init --git demo"),
        "{}",
        r.stderr
    );
    assert!(!s.exists("demo/.git"));
    let r = s.run_ok(&["init", "--git", "demo", "--json"]);
    assert_eq!(json(&r.stdout)["git_initialized"], true);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(s.join("demo/.git").is_dir());
    // In a folder that is a repository's root already, --git changes nothing; nor does an
    // existing folder inside one draw the warning (a monorepo's part).
    let r = s.run_ok(&["init", "--git", "demo", "--json"]);
    assert_eq!(json(&r.stdout)["git_initialized"], false);
    std::fs::create_dir(s.join("infra")).unwrap();
    assert!(s.run_ok(&["init", "infra"]).stderr.is_empty());
    s.run_err(&["init", "--git", "--no-git", "x"]);
}

//! `.specops/config.yaml`: optional settings, found by walking up from the working directory.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// Where the config file lives, relative to the repository root.
pub(crate) const CONFIG_PATH: &str = ".specops/config.yaml";

/// Where `init` writes the config's JSON Schema, relative to the repository root.
pub(crate) const SCHEMA_PATH: &str = ".specops/config.schema.json";

/// The config file's first line: editors with the YAML language server (VS Code's YAML
/// extension, Neovim, Helix, JetBrains) validate and complete the file from the schema beside it.
const SCHEMA_LINE: &str = "# yaml-language-server: $schema=./config.schema.json";

/// The JSON Schema (draft-07, which every YAML language server reads) of the config file,
/// derived from [`Config`].
pub(crate) fn schema() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Config>()
        .to_value()
}

/// [`schema`] as the text `init` writes and `specops config schema` prints.
pub(crate) fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

// This struct is the one description of the file: the parser reads it, and `specops config
// schema` (the JSON Schema that `init` writes to `.specops/config.schema.json`) is derived from
// it, each field's doc comment becoming the key's description in editors. A new key is a new
// field here with its doc comment (a nested mapping is a struct deriving `JsonSchema` too, as
// `BranchConfig`); a test fails when a key the parser accepts is missing from the schema.
/// The settings of a repository. Every key is optional; unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "specops configuration (.specops/config.yaml)")]
pub(crate) struct Config {
    /// Where feature folders live, relative to the repository root.
    pub specs_dir: String,
    /// The constitution whose articles become plan gates.
    pub constitution: String,
    /// Assistants whose slash commands `specops init` installs when run without `--ai`.
    pub agents: Vec<String>,
    /// How `specify` names new features: `sequential`, `timestamp` or `ticket`.
    pub numbering: crate::naming::Numbering,
    /// What a ticket looks like (a regular expression), for `numbering: ticket`.
    pub ticket_pattern: String,
    /// Branch settings for `specify`.
    pub branch: BranchConfig,
    /// Lint rule severities, by rule ID (`SO006: off`).
    pub rules: BTreeMap<String, Level>,
    /// Extra globs `check` lints (relative to the repository root).
    pub include: Vec<String>,
    /// Globs `check` skips.
    pub exclude: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            specs_dir: "specs".into(),
            constitution: "memory/constitution.md".into(),
            agents: Vec::new(),
            numbering: crate::naming::Numbering::default(),
            ticket_pattern: crate::naming::DEFAULT_TICKET_PATTERN.into(),
            branch: BranchConfig::default(),
            rules: BTreeMap::new(),
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

/// Branch settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct BranchConfig {
    /// `specify` cuts and checks out a branch for the new feature unless this is false.
    pub create: bool,
    /// The name of that branch: `{number}`, `{name}`, `{user}` and `{ticket}` are filled in.
    pub template: String,
}

impl Default for BranchConfig {
    fn default() -> Self {
        Self {
            create: true,
            template: crate::naming::DEFAULT_BRANCH_TEMPLATE.into(),
        }
    }
}

/// A lint rule's severity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warning,
    Error,
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "off" => Ok(Level::Off),
            "warning" | "warn" => Ok(Level::Warning),
            "error" => Ok(Level::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected off, warning or error)"
            )),
        }
    }
}

/// The config file written by `specops init`: every default, commented.
pub(crate) fn default_text(agents: &[String]) -> String {
    let agents = if agents.is_empty() {
        "[]".to_string()
    } else {
        format!("[{}]", agents.join(", "))
    };
    let ticket = crate::naming::DEFAULT_TICKET_PATTERN;
    let template = crate::naming::DEFAULT_BRANCH_TEMPLATE;
    format!(
        "{SCHEMA_LINE}
# specops configuration. Every key is optional; the values below are the defaults.
# Unknown keys are errors, so a typo cannot silently change behaviour.

# Where feature folders (NNN-short-name) live, relative to the repository root.
specs_dir: specs

# The constitution whose articles become the gates of every plan.
constitution: memory/constitution.md

# AI assistants whose slash commands `specops init` reinstalls when run without --ai.
agents: {agents}

# How `specops specify` names new features: sequential (007-short-name), timestamp
# (20261204-093015-short-name, the UTC second of creation) or ticket (PLAT-123-short-name,
# from `specify --ticket PLAT-123`). Every command finds features named any of these ways.
numbering: sequential

# What a ticket looks like (a regular expression), for --ticket.
ticket_pattern: '{ticket}'

# `specops specify` cuts and checks out a branch for the new feature unless create is false.
# Its name: {{number}} (the number, timestamp or ticket), {{name}} (the short name), {{user}}
# (your git user.email before the @, else user.name) and {{ticket}} (--ticket).
branch:
  create: true
  template: '{template}'

# Severity of `specops check` rules: off, warning or error. For example:
#   rules:
#     SO006: off
#     SO008: error
rules: {{}}

# Extra files `specops check` lints, and files it skips (globs, relative to the repository root).
include: []
exclude: []
"
    )
}

/// Parse config text; `origin` names the file in errors.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Config> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // YAML ends a line at a bare CR as well, but the YAML library runs a comment on past one
    // (a config saved with old Mac line endings would be one long comment): it is given the
    // lines as every other reader splits them, ended by LF. Line numbers stay the same.
    let normalised: String;
    let text = if text.contains('\r') {
        normalised = crate::markdown::line_ranges(text)
            .map(|r| format!("{}\n", &text[r]))
            .collect();
        &normalised
    } else {
        text
    };
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Config::default());
    }
    let mut config: Config = serde_saphyr::from_str(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!("{origin}:{}:{}", l.line(), l.column()))
            .unwrap_or_else(|| origin.to_string());
        let detail = match e.without_snippet() {
            // The library's own text advises a setting of its API.
            serde_saphyr::Error::DuplicateMappingKey { key: Some(key), .. } => {
                format!("`{key}` is set twice in the same mapping")
            }
            serde_saphyr::Error::DuplicateMappingKey { key: None, .. } => {
                "a key is set twice in the same mapping".to_string()
            }
            other => other.to_string(),
        };
        let detail = detail.lines().next().unwrap_or("invalid YAML").to_string();
        Error::new(
            ErrorKind::Config,
            format!("invalid configuration at {place}: {detail}"),
            "fix the file (see `specops init` for the commented defaults) or delete it",
        )
    })?;
    normalize_paths(&mut config, origin)?;
    Ok(config)
}

/// Write `specs_dir` and `constitution` the one way every reader compares them (`./specs/` and
/// `specs/./` are `specs`), refusing paths that leave the repository. Done once, here, so that
/// no reader (the `--staged` filter compares path text) can see another spelling.
fn normalize_paths(config: &mut Config, origin: &str) -> Result<()> {
    for (key, value) in [
        ("specs_dir", &mut config.specs_dir),
        ("constitution", &mut config.constitution),
    ] {
        let Some(normal) = normal_relative(value) else {
            return Err(Error::new(
                ErrorKind::Config,
                format!("invalid configuration in {origin}: `{key}: {value}` must be a relative path inside the repository"),
                format!("use a path such as `{}`", Config::default_value(key)),
            )
            .into());
        };
        *value = normal;
    }
    Ok(())
}

impl Config {
    fn default_value(key: &str) -> String {
        let d = Config::default();
        match key {
            "specs_dir" => d.specs_dir,
            _ => d.constitution,
        }
    }
}

/// `p` as plain components joined with `/` (`.` components and repeated or trailing slashes
/// dropped), or `.` for the root itself; `None` when it is empty or has a `..`, a root or a NUL
/// byte.
fn normal_relative(p: &str) -> Option<String> {
    if p.is_empty() || p.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// The config `text` with `agents:` listing `agents`, and every other byte as the user wrote it
/// (comments, order, quoting): the value of a one-line `agents: [..]` is replaced (its comment
/// kept), a block list (`agents:` then `- key` lines) gets the missing keys appended in its own
/// indentation, and a file without the key gets `agents: [..]` at its end. `None` when the file
/// spells the list some other way (a flow list over several lines, anchors): the edit is checked
/// by parsing it back, and a file that would read differently in any other key is never
/// written.
pub(crate) fn with_agents(text: &str, agents: &[String]) -> Option<String> {
    let before = parse(text, CONFIG_PATH).ok()?;
    let edited = edit_agents(text, &before.agents, agents)?;
    let after = parse(&edited, CONFIG_PATH).ok()?;
    let expected = Config {
        agents: agents.to_vec(),
        ..before
    };
    (after == expected).then_some(edited)
}

fn edit_agents(text: &str, current: &[String], agents: &[String]) -> Option<String> {
    use crate::markdown::{line_break_for, line_ranges, next_line_break};
    let flow = format!("[{}]", agents.join(", "));
    // Lines as editors count them (a bare CR ends one too); what is added ends with the
    // file's own line break.
    let lines: Vec<std::ops::Range<usize>> = line_ranges(text).collect();
    let Some(at) = lines
        .iter()
        .position(|r| text[r.clone()].starts_with("agents:"))
    else {
        let eol = line_break_for(text, text.len());
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        out.push_str(&format!("agents: {flow}{eol}"));
        return Some(out);
    };
    let line = &text[lines[at].clone()];
    let rest = &line["agents:".len()..];
    let value = rest.split(" #").next().unwrap_or("").trim();
    if value.starts_with('[') && value.ends_with(']') {
        let start = lines[at].start + "agents:".len() + rest.find('[')?;
        let end = lines[at].start + "agents:".len() + rest.find(']')? + 1;
        return Some(format!("{}{flow}{}", &text[..start], &text[end..]));
    }
    if !value.is_empty() {
        return None;
    }
    // A block list: its items are the indented `- ` lines that follow.
    let mut last = at;
    let mut indent = "  ";
    for (i, r) in lines.iter().enumerate().skip(at + 1) {
        let l = &text[r.clone()];
        let trimmed = l.trim_start();
        if trimmed.starts_with("- ") || trimmed.trim_end() == "-" {
            indent = &l[..l.len() - trimmed.len()];
            last = i;
        } else if !(trimmed.trim().is_empty() || trimmed.starts_with('#')) {
            break;
        }
    }
    // The new items go after the last one and its line break (one is added when the file
    // ends without).
    let end = lines[last].end;
    let after = next_line_break(text.as_bytes(), end).map_or(end, |br| br.end);
    let eol = line_break_for(text, after);
    let added: String = agents
        .iter()
        .filter(|a| !current.contains(a))
        .map(|a| format!("{indent}- {a}{eol}"))
        .collect();
    let lead = if after == end { eol } else { "" };
    Some(format!("{}{lead}{added}{}", &text[..after], &text[after..]))
}

/// Read the config of the repository at `root`, or the defaults when it has none.
pub(crate) fn load(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_PATH);
    // A config is a few hundred bytes; a megabyte is plenty and keeps a runaway file out.
    match crate::fsx::read_regular(&path, 1024 * 1024) {
        Ok(Some(bytes)) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::new(
                    ErrorKind::Config,
                    format!("{CONFIG_PATH} is not valid UTF-8"),
                    "save the file as UTF-8",
                )
            })?;
            parse(&text, CONFIG_PATH)
        }
        Ok(None) => Ok(Config::default()),
        Err(problem) => Err(Error::new(
            ErrorKind::Config,
            format!("cannot read {CONFIG_PATH}: {problem}"),
            "make it a regular YAML file that you can read (see `specops init`)",
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, CONFIG_PATH).unwrap_err().to_string()
    }

    #[test]
    fn defaults_text_parses_to_defaults() {
        let c = parse(&default_text(&[]), CONFIG_PATH).unwrap();
        assert_eq!(c, Config::default());
        let c = parse(
            &default_text(&["claude".into(), "gemini".into()]),
            CONFIG_PATH,
        )
        .unwrap();
        assert_eq!(c.agents, ["claude", "gemini"]);
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        assert_eq!(parse("", CONFIG_PATH).unwrap(), Config::default());
        assert_eq!(
            parse("# nothing\n\n", CONFIG_PATH).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn values_are_read() {
        let c = parse("specs_dir: docs/specs\nrules:\n  SO006: off\n  SO008: error\nbranch:\n  create: false\n", CONFIG_PATH).unwrap();
        assert_eq!(c.specs_dir, "docs/specs");
        assert_eq!(c.rules.get("SO006"), Some(&Level::Off));
        assert_eq!(c.rules.get("SO008"), Some(&Level::Error));
        assert!(!c.branch.create);
    }

    #[test]
    fn unknown_key_is_an_error_with_line_and_column() {
        let e = err("specs_dir: specs\nspec_dir: typo\n");
        assert!(e.contains(".specops/config.yaml:2:"), "{e}");
        assert!(e.contains("spec_dir"), "{e}");
    }

    #[test]
    fn wrong_type_and_bad_yaml_are_errors() {
        assert!(err("branch: yes please\n").contains("config.yaml"));
        assert!(err("rules: {SO001: loud}\n").contains("config.yaml"));
        assert!(err("specs_dir: [unclosed\n").contains("config.yaml"));
    }

    #[test]
    fn a_key_set_twice_is_an_error_in_our_words() {
        let e = err("rules:\n  SO001: off\n  SO001: error\n");
        assert!(e.contains(".specops/config.yaml:3:"), "{e}");
        assert!(e.contains("`SO001` is set twice"), "{e}");
        assert!(!e.contains("DuplicateKeyPolicy"), "{e}");
    }

    #[test]
    fn paths_must_stay_inside_the_repository() {
        for bad in [
            "specs_dir: ../elsewhere\n",
            "constitution: /etc/passwd\n",
            "specs_dir: specs/../..\n",
            "specs_dir: ''\n",
        ] {
            assert!(err(bad).contains("relative path inside"), "{bad}");
        }
    }

    #[test]
    fn paths_are_read_in_one_spelling() {
        for (given, normal) in [
            ("specs", "specs"),
            ("./specs", "specs"),
            ("specs/", "specs"),
            ("./specs/./", "specs"),
            ("docs//specs", "docs/specs"),
            ("docs/./specs/", "docs/specs"),
            (".", "."),
            ("./", "."),
        ] {
            let c = parse(
                &format!("specs_dir: '{given}'\nconstitution: './{given}/c.md'\n"),
                CONFIG_PATH,
            )
            .unwrap();
            assert_eq!(c.specs_dir, normal, "{given}");
            let constitution = match normal {
                "." => "c.md".to_string(),
                dir => format!("{dir}/c.md"),
            };
            assert_eq!(c.constitution, constitution, "{given}");
        }
    }
}

#[cfg(test)]
mod agents_tests {
    use super::*;

    fn with(text: &str, agents: &[&str]) -> Option<String> {
        let agents: Vec<String> = agents.iter().map(|a| a.to_string()).collect();
        with_agents(text, &agents)
    }

    #[test]
    fn agents_are_recorded_and_every_other_byte_is_kept() {
        let default = default_text(&["claude".into()]);
        let edited = with(&default, &["claude", "copilot"]).unwrap();
        assert_eq!(
            edited,
            default.replace("agents: [claude]", "agents: [claude, copilot]")
        );
        for (before, agents, after) in [
            (
                "# mine\nspecs_dir: docs/specs # here\nagents: [claude] # the team's\n",
                &["claude", "copilot"][..],
                "# mine\nspecs_dir: docs/specs # here\nagents: [claude, copilot] # the team's\n",
            ),
            (
                "agents:\n    - claude   # first\n# later\nrules: {SO006: off}\n",
                &["claude", "copilot"],
                "agents:\n    - claude   # first\n    - copilot\n# later\nrules: {SO006: off}\n",
            ),
            (
                "specs_dir: specs",
                &["copilot"],
                "specs_dir: specs\nagents: [copilot]\n",
            ),
            ("", &["copilot"], "agents: [copilot]\n"),
            // The file's own line endings, and lines as a bare CR ends them.
            (
                "agents:\r\n  - claude",
                &["claude", "gemini"],
                "agents:\r\n  - claude\r\n  - gemini\r\n",
            ),
            (
                "# mine\r\nagents:\r\n  - claude\r\nrules: {}\r\n",
                &["claude", "gemini"],
                "# mine\r\nagents:\r\n  - claude\r\n  - gemini\r\nrules: {}\r\n",
            ),
            (
                "# mine\ragents: [claude] # ours\rspecs_dir: specs\r",
                &["claude", "gemini"],
                "# mine\ragents: [claude, gemini] # ours\rspecs_dir: specs\r",
            ),
            (
                "agents:\r  - claude\r",
                &["claude", "gemini"],
                "agents:\r  - claude\r  - gemini\r",
            ),
            (
                "specs_dir: specs\r",
                &["copilot"],
                "specs_dir: specs\ragents: [copilot]\r",
            ),
        ] {
            assert_eq!(with(before, agents).as_deref(), Some(after), "{before:?}");
        }
    }

    #[test]
    fn a_config_with_bare_cr_line_endings_reads_as_with_lf() {
        let lf = default_text(&["claude".into()]).replace("rules: {}", "rules:\n  SO006: off");
        let expected = parse(&lf, "x").unwrap();
        assert_eq!(expected.agents, ["claude"]);
        for eol in ["\r", "\r\n"] {
            assert_eq!(
                parse(&lf.replace('\n', eol), "x").unwrap(),
                expected,
                "{eol:?}"
            );
        }
    }

    #[test]
    fn a_list_spelt_otherwise_is_left_alone() {
        assert_eq!(with("agents: [claude,\n  gemini]\n", &["copilot"]), None);
        assert_eq!(with("agents: &a [claude]\n", &["claude", "copilot"]), None);
        assert_eq!(with("not: valid: yaml:\n", &["copilot"]), None);
    }
}

#[cfg(test)]
mod schema_tests {
    use serde_json::Value;

    use super::*;

    /// The schema of the object at `node`, following a `$ref` (or an `allOf` of one).
    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        let node = node["allOf"].get(0).unwrap_or(node);
        match node["$ref"].as_str() {
            Some(r) => {
                let name = r.trim_start_matches("#/definitions/");
                &root["definitions"][name]
            }
            None => node,
        }
    }

    /// Every key of `value` (the parser's own config, serialised) is a property of `node`, and
    /// `node` refuses other keys, as the parser does; nested mappings likewise.
    fn keys_are_in_schema(root: &Value, node: &Value, value: &Value, at: &str) {
        let node = resolve(root, node);
        let Some(fields) = value.as_object() else {
            return;
        };
        if node["additionalProperties"].is_object() {
            return; // A map with free keys (`rules:`): its values are checked by type.
        }
        assert_eq!(
            node["additionalProperties"],
            Value::Bool(false),
            "{at}: the schema must refuse unknown keys, as the parser does"
        );
        for (key, v) in fields {
            let Some(prop) = node["properties"].get(key) else {
                panic!(
                    "the config parser accepts `{at}{key}`, but the schema has no such key: derive \
                     JsonSchema on the struct that holds it (see `Config` in src/config.rs)"
                );
            };
            keys_are_in_schema(root, prop, v, &format!("{at}{key}."));
        }
    }

    #[test]
    fn every_key_the_parser_accepts_is_in_the_schema() {
        let schema = schema();
        let config = serde_json::to_value(Config::default()).unwrap();
        keys_are_in_schema(&schema, &schema, &config, "");
    }

    fn valid(schema: &Value, yaml: &str) -> bool {
        // As an editor's YAML 1.2 language server reads it: `off` is a string, not false.
        let options = serde_saphyr::options! { strict_booleans: true };
        let value: Value = serde_saphyr::from_str_with_options(yaml, options).unwrap();
        jsonschema::draft7::is_valid(schema, &value)
    }

    #[test]
    fn the_example_configs_are_valid_and_the_parser_and_schema_agree_on_bad_ones() {
        let schema = schema();
        assert!(valid(&schema, &default_text(&[])));
        assert!(valid(
            &schema,
            &default_text(&["claude".into(), "copilot".into()])
        ));
        assert!(default_text(&[]).starts_with(SCHEMA_LINE));
        let docs = include_str!("../docs/configuration.md");
        let example = docs
            .split("```yaml\n")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("docs/configuration.md has a YAML example");
        assert!(valid(&schema, example), "{example}");
        parse(example, CONFIG_PATH).unwrap();
        for bad in [
            "specs_dirs: specs\n",
            "branch: {crate: false}\n",
            "rules: {SO001: loud}\n",
            "agents: claude\n",
            "branch: [create]\n",
        ] {
            assert!(!valid(&schema, bad), "the schema accepts {bad:?}");
            assert!(
                parse(bad, CONFIG_PATH).is_err(),
                "the parser accepts {bad:?}"
            );
        }
    }
}

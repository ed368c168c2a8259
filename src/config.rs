//! `.specops/config.yaml`: optional settings, found by walking up from the working directory.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// Where the config file lives, relative to the repository root.
pub(crate) const CONFIG_PATH: &str = ".specops/config.yaml";

/// The settings of a repository. Every key is optional; unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
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
        "# specops configuration. Every key is optional; the values below are the defaults.
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

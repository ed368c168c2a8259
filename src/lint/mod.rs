//! The spec linter behind `specops check`.
//!
//! Rules read the shared Markdown parse ([`crate::markdown`]) through [`Document`], which adds a
//! document's path, kind and suppression comments; [`kinds`] knows which document a path
//! is and which sections it must have; each rule lives in its own module under [`rules`] and is
//! registered once in [`rules::ALL`]; [`engine`] reads the files in parallel, runs the rules and
//! turns their findings into [`Diagnostic`]s for the writers in [`crate::output`].

#[cfg(test)]
mod agreement;
mod document;
pub mod engine;
pub mod kinds;
#[cfg(test)]
mod properties;
pub mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Level;
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::error::{Error, ErrorKind, Result};

pub use document::Document;

/// A rule's stable identity: what `--rule`, the config file and suppression comments name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable ID, `SO001`.
    pub id: &'static str,
    /// Stable kebab-case name, `needs-clarification`.
    pub name: &'static str,
    /// Severity unless the config or `--rule` says otherwise.
    pub default: Level,
    /// One sentence: what the rule finds.
    pub description: &'static str,
}

/// Every rule specops knows, in ID order.
pub static RULES: &[RuleMeta] = &[
    RuleMeta {
        id: "SO000",
        name: "unreadable-file",
        default: Level::Error,
        description: "a file that cannot be linted: unreadable, binary, not UTF-8 or too large",
    },
    RuleMeta {
        id: "SO001",
        name: "needs-clarification",
        default: Level::Error,
        description: "an unresolved [NEEDS CLARIFICATION: …] marker",
    },
    RuleMeta {
        id: "SO002",
        name: "unchecked-item",
        default: Level::Error,
        description: "an unticked `- [ ]` item in a checklist file or in the plan's gate sections",
    },
    RuleMeta {
        id: "SO003",
        name: "template-placeholder",
        default: Level::Error,
        description: "a template placeholder left unfilled ([FEATURE NAME], [DATE], $ARGUMENTS, …)",
    },
    RuleMeta {
        id: "SO004",
        name: "missing-section",
        default: Level::Error,
        description: "a mandatory section of the document's kind is absent or empty",
    },
    RuleMeta {
        id: "SO005",
        name: "task-format",
        default: Level::Error,
        description: "a malformed task line, or a duplicate or out-of-order task ID",
    },
    RuleMeta {
        id: "SO006",
        name: "untraced-requirement",
        default: Level::Warning,
        description: "a requirement of the spec that no task serves",
    },
    RuleMeta {
        id: "SO007",
        name: "unknown-reference",
        default: Level::Error,
        description: "a task or plan row names a requirement ID the spec does not have",
    },
    RuleMeta {
        id: "SO008",
        name: "stale-derivation",
        default: Level::Warning,
        description: "the spec changed after the plan was made, or the plan after the tasks",
    },
    RuleMeta {
        id: "SO009",
        name: "unjustified-gate",
        default: Level::Error,
        description: "an unticked plan gate with no Complexity Tracking row",
    },
];

/// The index in [`RULES`] of a rule given by ID (`SO001`, any case) or name.
pub fn rule_index(key: &str) -> Option<usize> {
    let key = key.trim();
    RULES
        .iter()
        .position(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// The index of a rule by its exact ID; for rules referring to themselves.
pub(crate) fn index_of(id: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("rule {id} is missing from RULES"))
}

fn known_ids() -> String {
    RULES
        .iter()
        .map(|r| format!("{} ({})", r.id, r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The severity of every rule for one run, indexed like [`RULES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels(Vec<Level>);

impl Default for Levels {
    fn default() -> Self {
        Self(RULES.iter().map(|r| r.default).collect())
    }
}

impl Levels {
    /// Defaults, then the config file's `rules:`, then each `--rule ID=LEVEL` in order.
    pub fn resolve(config: &BTreeMap<String, Level>, cli: &[String]) -> Result<Self> {
        let mut levels = Self::default();
        for (key, level) in config {
            let i = rule_index(key).ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!(
                        "unknown rule `{key}` under `rules:` in {}",
                        crate::config::CONFIG_PATH
                    ),
                    format!("known rules: {}", known_ids()),
                )
            })?;
            levels.0[i] = *level;
        }
        for arg in cli {
            let (key, level) = parse_rule_arg(arg)?;
            levels.0[key] = level;
        }
        Ok(levels)
    }

    /// The severity of rule `index`.
    pub fn get(&self, index: usize) -> Level {
        self.0[index]
    }

    /// Whether rule `index` runs at all.
    pub fn enabled(&self, index: usize) -> bool {
        self.0[index] != Level::Off
    }
}

/// Parse one `--rule ID=LEVEL` argument.
fn parse_rule_arg(arg: &str) -> Result<(usize, Level)> {
    let Some((key, level)) = arg.split_once('=') else {
        return Err(Error::usage(
            format!("invalid --rule `{arg}`: expected ID=LEVEL"),
            "write it as --rule SO006=off (levels: off, warning, error)",
        )
        .into());
    };
    let index = rule_index(key).ok_or_else(|| {
        Error::usage(
            format!("unknown rule `{}` in --rule {arg}", key.trim()),
            format!("known rules: {}", known_ids()),
        )
    })?;
    let level = level.trim().parse::<Level>().map_err(|e| {
        Error::usage(
            format!("invalid --rule `{arg}`: {e}"),
            "write it as --rule SO006=off (levels: off, warning, error)",
        )
    })?;
    Ok((index, level))
}

/// What a rule reports: a byte range of the document's text and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in [`RULES`].
    pub rule: usize,
    /// Byte offsets into [`Document::text`]; the range is clipped to its first line.
    pub start: usize,
    pub end: usize,
    pub message: String,
    /// What the finding is about, in the document's words: a marker's question, an unticked
    /// item's text. `plan` and `tasks` list it among their blockers.
    pub subject: Option<String>,
}

impl Finding {
    pub fn new(rule: usize, start: usize, end: usize, message: impl Into<String>) -> Self {
        Self {
            rule,
            start,
            end,
            message: message.into(),
            subject: None,
        }
    }

    /// The finding, with what it is about.
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// A finding on `needle` at 1-based line `line` of `doc` (the whole line when `needle` is
    /// not on it), for rules that work from the document model's line numbers; `None` when the
    /// document has no such line.
    pub fn at(
        rule: usize,
        doc: &Document,
        line: usize,
        needle: &str,
        message: impl Into<String>,
    ) -> Option<Self> {
        let (start, end) = doc.locate(line, needle)?;
        Some(Self::new(rule, start, end, message))
    }
}

/// A rule: one module under [`rules`], registered once in [`rules::ALL`].
pub trait Rule: Sync {
    /// The rule's index in [`RULES`].
    fn index(&self) -> usize;
    /// Append the rule's findings in `doc`; `related` holds the other documents of its feature
    /// for the cross-document rules. Suppression comments and severities are applied
    /// afterwards by the engine, and code/comment text is the rule's to skip (see
    /// [`Document::is_masked`]).
    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>);
}

/// The documents of a feature that a document is compared with (SO006–SO009), parsed once per
/// feature. For a document under `variants/NAME/`, `spec` is the feature's spec and `plan` and
/// `tasks` are the variant's. Absent documents are `None`, and the rules that need them say
/// nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Related<'a> {
    pub spec: Option<&'a Spec>,
    /// The plan beside the document: its text (tasks.md fingerprints it) and its model.
    pub plan: Option<(&'a str, &'a Plan)>,
    /// The task list beside the document.
    pub tasks: Option<&'a Tasks>,
}

/// The rules whose findings say a document is not finished: an unresolved clarification marker
/// (SO001), an unticked checklist item or gate (SO002), an unjustified gate (SO009).
const OPEN_ITEM_RULES: [&str; 3] = ["SO001", "SO002", "SO009"];

/// What is still open in a document, as `check` reports it (suppression comments applied), but
/// whatever severities the configuration gives those rules: the one answer `plan` and `tasks`
/// refuse on, `list` counts and `check` fails on.
pub fn open_items(doc: &Document, related: &Related) -> Vec<Diagnostic> {
    let mut levels = Levels(vec![Level::Off; RULES.len()]);
    for id in OPEN_ITEM_RULES {
        levels.0[index_of(id)] = Level::Error;
    }
    engine::lint_document(doc, &levels, related)
        .into_iter()
        .flatten()
        .collect()
}

/// A finding placed in a file, with its severity: what the output formats print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Relative to the repository root, with `/`.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// 1-based, in characters, exclusive: the column just after the marked text.
    pub end_column: usize,
    pub message: String,
    /// The source line, for the human format's excerpt.
    #[serde(skip)]
    pub source: Option<String>,
    /// What the finding is about, in the document's words (see [`Finding::subject`]).
    #[serde(skip)]
    pub subject: Option<String>,
}

/// A reported severity (a rule that is `off` reports nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn from_level(level: Level) -> Option<Self> {
        match level {
            Level::Off => None,
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sequential_and_kebab_named() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id, format!("SO{i:03}"));
            assert!(r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert_eq!(rule_index(r.id), Some(i));
            assert_eq!(rule_index(&r.id.to_lowercase()), Some(i));
            assert_eq!(rule_index(r.name), Some(i));
        }
    }

    #[test]
    fn every_implemented_rule_is_registered_once() {
        let mut seen: Vec<usize> = rules::ALL.iter().map(|r| r.index()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), rules::ALL.len());
    }

    #[test]
    fn precedence_is_default_then_config_then_cli() {
        let so6 = index_of("SO006");
        let so1 = index_of("SO001");
        let d = Levels::resolve(&BTreeMap::new(), &[]).unwrap();
        assert_eq!(d.get(so6), Level::Warning);
        let config = BTreeMap::from([
            ("SO006".to_string(), Level::Off),
            ("needs-clarification".to_string(), Level::Warning),
        ]);
        let c = Levels::resolve(&config, &[]).unwrap();
        assert_eq!((c.get(so6), c.get(so1)), (Level::Off, Level::Warning));
        let cli = ["so006=error".to_string(), "SO001 = off".to_string()];
        let l = Levels::resolve(&config, &cli).unwrap();
        assert_eq!((l.get(so6), l.get(so1)), (Level::Error, Level::Off));
        // The last --rule for a rule wins.
        let cli = ["SO006=off".to_string(), "SO006=warning".to_string()];
        assert_eq!(
            Levels::resolve(&config, &cli).unwrap().get(so6),
            Level::Warning
        );
    }

    #[test]
    fn unknown_rules_and_bad_levels_are_errors_naming_the_known_ids() {
        let bad = BTreeMap::from([("SO042".to_string(), Level::Off)]);
        let e = Levels::resolve(&bad, &[]).unwrap_err();
        let e = e.downcast_ref::<Error>().unwrap();
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.hint.contains("SO009 (unjustified-gate)"), "{}", e.hint);
        for arg in ["SO042=off", "SO001", "SO001=loud", "=off"] {
            let e = Levels::resolve(&BTreeMap::new(), &[arg.to_string()]).unwrap_err();
            assert_eq!(
                e.downcast_ref::<Error>().unwrap().kind,
                ErrorKind::Usage,
                "{arg}"
            );
        }
    }
}

//! The spec linter behind `specops check`.
//!
//! Rules read the shared Markdown parse ([`crate::markdown`]) through [`Document`], which adds a
//! document's path, kind and suppression comments; [`kinds`] knows which document a path
//! is and which sections it must have; each rule lives in its own module under [`rules`], with its
//! [`RuleMeta`], and is registered once in [`rules::ALL`]; [`engine`] lints the documents' bytes in parallel, runs the
//! rules and turns their findings into [`Diagnostic`]s for the writers in [`crate::output`]. The
//! linter never reads a file or the git index: [`crate::inputs`] finds the documents and reads
//! them.

#[cfg(test)]
mod agreement;
mod decode;
mod document;
pub mod engine;
mod input;
pub mod kinds;
pub(crate) mod page;
mod place;
#[cfg(test)]
mod properties;
mod related;
pub mod rules;
mod run;
mod units;

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use serde::Serialize;

use crate::config::Level;
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::error::{Error, ErrorKind, Result};

pub use document::Document;

/// Everything specops says about a rule, kept beside the rule in its own file under [`rules`]:
/// its stable identity (what `--rule`, the config file and suppression comments name), its
/// default severity, what it reads, and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable ID, `SO001`.
    pub id: &'static str,
    /// Stable kebab-case name, `needs-clarification`.
    pub name: &'static str,
    /// Severity unless the config or `--rule` says otherwise.
    pub default: Level,
    /// Whether the rule reads only the linted document or also the rest of its feature.
    pub scope: Scope,
    /// The ID of a rule whose finding this rule's finding replaces when both start at the same
    /// place: the more specific finding wins, and the other rule still reports the spot when
    /// this one is off.
    pub supersedes: Option<&'static str>,
    /// One sentence: what the rule finds (SARIF's short description).
    pub summary: &'static str,
    /// One paragraph: what the rule finds and why it matters.
    pub explanation: &'static str,
    /// How to fix a finding. (How to suppress one is the same for every rule.)
    pub fix: &'static str,
    /// Documents in which the rule reports something, for its page (`specops rule`); a test
    /// lints them with the engine and fails unless the rule fires.
    pub fires: Example,
    /// The same documents put right: the rule reports nothing in them (tested the same way).
    pub passes: Example,
}

/// An example for a rule's page: documents as (path from the repository root, content).
pub type Example = &'static [(&'static str, &'static str)];

/// What a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The linted document alone.
    Document,
    /// The linted document and the other documents of its feature ([`Related`]): the engine
    /// reads and parses those only when a rule of this scope is enabled.
    Feature,
}

/// Every rule's metadata, indexed like [`rules::ALL`] (in ID order, so a rule's index is the
/// number in its ID).
pub static RULES: LazyLock<Vec<&'static RuleMeta>> =
    LazyLock::new(|| rules::ALL.iter().map(|r| r.meta()).collect());

/// The index in [`RULES`] of a rule given by ID (`SO001`, any case) or name.
pub fn rule_index(key: &str) -> Option<usize> {
    let key = key.trim();
    RULES
        .iter()
        .position(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// The index of a rule by its exact ID; for rules referring to themselves.
pub(crate) fn index_of(id: &str) -> usize {
    // IDs are `SO` and the index (a test keeps them so): no search on the hot path.
    id.strip_prefix("SO")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&i| RULES.get(i).is_some_and(|r| r.id == id))
        .unwrap_or_else(|| unreachable!("rule {id} is missing from rules::ALL"))
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
    /// A rule named twice in the config (`SO001` and `so001`, or its ID and its name) is an
    /// error: which one wins would depend on the order of the keys. `--rule` may repeat a rule
    /// on purpose, and there the last one wins.
    pub fn resolve(config: &BTreeMap<String, Level>, cli: &[String]) -> Result<Self> {
        let mut levels = Self::default();
        let mut named: Vec<Option<&str>> = vec![None; RULES.len()];
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
            if let Some(first) = named[i].replace(key) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "`{first}` and `{key}` under `rules:` in {} both name {} ({})",
                        crate::config::CONFIG_PATH,
                        RULES[i].id,
                        RULES[i].name
                    ),
                    "keep one of them, with the severity you mean",
                )
                .into());
            }
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

    /// Whether any rule that runs reads a feature's other documents ([`Scope::Feature`]), so
    /// they are worth reading and parsing.
    pub fn feature_rules_enabled(&self) -> bool {
        (0..self.0.len()).any(|i| self.enabled(i) && RULES[i].scope == Scope::Feature)
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

/// A rule: one module under [`rules`] that holds its [`RuleMeta`], registered once in
/// [`rules::ALL`].
pub trait Rule: Sync {
    /// The rule's facts and documentation.
    fn meta(&self) -> &'static RuleMeta;
    /// The rule's index in [`RULES`].
    fn index(&self) -> usize {
        index_of(self.meta().id)
    }
    /// Append the rule's findings in `doc`; `related` holds the other documents of its feature
    /// for the [`Scope::Feature`] rules. Suppression comments and severities are applied
    /// afterwards by the engine, and code/comment text is the rule's to skip (see
    /// [`Document::is_masked`]).
    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>);
}

/// The documents of a feature that a document is compared with (by the [`Scope::Feature`]
/// rules), parsed once per feature. For a document under `variants/NAME/`, `spec` is the
/// feature's spec and `plan` and `tasks` are the variant's. Absent documents are `None`, and the
/// rules that need them say nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Related<'a> {
    pub spec: Option<&'a Spec>,
    /// The plan beside the document: its text (tasks.md fingerprints it) and its model.
    pub plan: Option<(&'a str, &'a Plan)>,
    /// The task list beside the document.
    pub tasks: Option<&'a Tasks>,
    /// What the repository holds beyond the documents, when the caller can say.
    pub repository: Option<&'a input::Repository>,
}

/// Drop every finding that another rule's finding supersedes: a finding of a rule that
/// [`RuleMeta::supersedes`] another removes that rule's finding at the same start (SO009's
/// unjustified gate replaces SO002's unticked gate on the same checkbox, so an unjustified gate
/// is one finding, not two; SO002 still reports it when SO009 is off).
pub(crate) fn drop_superseded(findings: &mut Vec<Finding>) {
    let superseded: Vec<(usize, usize)> = findings
        .iter()
        .filter_map(|f| Some((index_of(RULES[f.rule].supersedes?), f.start)))
        .collect();
    if !superseded.is_empty() {
        findings.retain(|f| !superseded.contains(&(f.rule, f.start)));
    }
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
}

/// A finding placed in a file, with its severity: what the output formats print. A document's
/// findings share its path, their lines and a message they repeat, so that a document with
/// millions of findings holds millions of small records, not millions of copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Relative to the repository root, with `/`.
    pub path: Arc<str>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// 1-based, in characters, exclusive: the column just after the marked text.
    pub end_column: usize,
    /// At most a few hundred characters.
    pub message: Arc<str>,
    /// The source line, for the human format.
    #[serde(skip)]
    pub source: Option<Excerpt>,
    /// What the finding is about, in the document's words (see [`Finding::subject`]).
    #[serde(skip)]
    pub subject: Option<String>,
}

/// A finding's source line (shared by the findings on it) and where on it the finding starts.
/// The human format shows at most a few hundred characters of it, around the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub line: Arc<str>,
    /// The byte offset in `line` at which the finding starts.
    pub start: usize,
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
    fn every_rule_is_registered_once_and_documented() {
        for (i, r) in rules::ALL.iter().enumerate() {
            assert_eq!(r.index(), i, "{} is registered twice", r.meta().id);
        }
        for r in RULES.iter() {
            for (what, text) in [
                ("summary", r.summary),
                ("explanation", r.explanation),
                ("fix", r.fix),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", r.id);
                assert!(!text.contains("\n\n"), "{}: {what} is one paragraph", r.id);
            }
            if let Some(other) = r.supersedes {
                assert!(rule_index(other).is_some(), "{} supersedes {other}", r.id);
                assert_ne!(other, r.id);
            }
        }
    }

    #[test]
    fn a_superseding_finding_replaces_the_other_at_the_same_start_only() {
        let (so002, so009) = (index_of("SO002"), index_of("SO009"));
        assert_eq!(RULES[so009].supersedes, Some("SO002"));
        let f = |rule, start| Finding::new(rule, start, start + 3, "x");
        let mut findings = vec![
            f(so002, 10),
            f(so002, 20),
            f(so009, 10),
            f(index_of("SO001"), 10),
        ];
        drop_superseded(&mut findings);
        let left: Vec<_> = findings.iter().map(|f| (f.rule, f.start)).collect();
        assert_eq!(left, [(so002, 20), (so009, 10), (index_of("SO001"), 10)]);
        // Without the superseding rule's finding, nothing is dropped.
        let mut findings = vec![f(so002, 10)];
        drop_superseded(&mut findings);
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn feature_documents_are_read_only_for_an_enabled_feature_rule() {
        assert!(Levels::default().feature_rules_enabled());
        let feature: Vec<&str> = RULES
            .iter()
            .filter(|r| r.scope == Scope::Feature)
            .map(|r| r.id)
            .collect();
        let mut cli: Vec<String> = feature.iter().map(|id| format!("{id}=off")).collect();
        let levels = Levels::resolve(&BTreeMap::new(), &cli).unwrap();
        assert!(!levels.feature_rules_enabled());
        cli.push(format!("{}=warning", feature[0]));
        let levels = Levels::resolve(&BTreeMap::new(), &cli).unwrap();
        assert!(levels.feature_rules_enabled());
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
    fn a_rule_named_twice_in_the_config_is_an_error_naming_both_keys() {
        for (a, b) in [
            ("SO001", "so001"),
            ("SO001", "needs-clarification"),
            ("Needs-Clarification", "so001"),
        ] {
            let config =
                BTreeMap::from([(a.to_string(), Level::Off), (b.to_string(), Level::Error)]);
            let e = Levels::resolve(&config, &[]).unwrap_err();
            let e = e.downcast_ref::<Error>().unwrap();
            assert_eq!(e.kind, ErrorKind::Config);
            assert!(
                e.message.contains(&format!("`{a}`")) && e.message.contains(&format!("`{b}`")),
                "{}",
                e.message
            );
            assert!(
                e.message.contains("SO001 (needs-clarification)"),
                "{}",
                e.message
            );
        }
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

//! Feature names: whether a folder or branch name belongs to a feature, and which feature (its
//! key). Every reader — feature resolution, numbering, `list`, `check`'s walk — asks
//! [`Naming`], so a feature numbered `007`, stamped `20261204-093015` or named after ticket
//! `PLAT-123` is found the same way everywhere, whatever the configured `numbering:` is.

use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// How `specify` names new features (`numbering:` in the config). Readers accept all three.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Numbering {
    /// `007-short-name`: one more than the highest number in use.
    #[default]
    Sequential,
    /// `20261204-093015-short-name`: the UTC second of creation.
    Timestamp,
    /// `PLAT-123-short-name`: the ticket given with `specify --ticket`.
    Ticket,
}

impl Numbering {
    /// The name the config spells it with.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Numbering::Sequential => "sequential",
            Numbering::Timestamp => "timestamp",
            Numbering::Ticket => "ticket",
        }
    }
}

/// The ticket pattern when the config sets none: a Jira, Linear or YouTrack style key.
pub(crate) const DEFAULT_TICKET_PATTERN: &str = "[A-Z][A-Z0-9_]+-[0-9]+";

/// The branch template when the config sets none: the feature folder's name.
pub(crate) const DEFAULT_BRANCH_TEMPLATE: &str = "{number}-{name}";

/// What tells a feature apart from the others: the part of its folder name before the short
/// name. Two features never share a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Key {
    /// A sequential number, shown zero-padded to three digits.
    Number(u32),
    /// A UTC timestamp, in seconds since 1970.
    Stamp(i64),
    /// A ticket, e.g. `PLAT-123`.
    Ticket(String),
}

impl Key {
    /// The key after this one, for a run that finds this one taken: the next number or second.
    /// A ticket has none: it is what the user asked for.
    pub(crate) fn next(&self) -> Option<Key> {
        match self {
            Key::Number(n) => n.checked_add(1).map(Key::Number),
            Key::Stamp(s) => Some(Key::Stamp(s + 1)),
            Key::Ticket(_) => None,
        }
    }

    /// How messages name it: `feature number 007`, `timestamp 20261204-093015`, `ticket PLAT-1`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Key::Number(_) => format!("feature number {self}"),
            Key::Stamp(_) => format!("timestamp {self}"),
            Key::Ticket(_) => format!("ticket {self}"),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Number(n) => write!(f, "{n:03}"),
            Key::Stamp(s) => f.write_str(&crate::dates::stamp(*s)),
            Key::Ticket(t) => f.write_str(t),
        }
    }
}

/// The values a branch template is filled with.
#[derive(Debug, Clone, Default)]
pub(crate) struct BranchFields<'a> {
    pub key: Option<&'a Key>,
    pub name: &'a str,
    pub user: Option<&'a str>,
    pub ticket: Option<&'a str>,
}

/// The naming rules of a project: its ticket pattern and branch template.
#[derive(Debug, Clone)]
pub(crate) struct Naming {
    /// `^(?:pattern)`: a ticket at the start of a name.
    ticket: Regex,
    /// `^(?:pattern)$`: a whole ticket.
    whole_ticket: Regex,
    template: String,
    /// The template as a pattern, with the key captured as `key`.
    branch: Regex,
}

/// The placeholders a branch template may use.
const PLACEHOLDERS: &[&str] = &["number", "name", "user", "ticket"];

impl Default for Naming {
    /// The rules of a project with no config: the default ticket pattern and branch template.
    fn default() -> Self {
        Self::new(DEFAULT_TICKET_PATTERN, DEFAULT_BRANCH_TEMPLATE)
            .expect("the default ticket pattern and branch template are valid")
    }
}

impl Naming {
    /// The default rules, built once: for readers with no project at hand (citations in code
    /// comments name features by folder or key).
    pub(crate) fn shared() -> &'static Naming {
        static SHARED: std::sync::OnceLock<Naming> = std::sync::OnceLock::new();
        SHARED.get_or_init(Naming::default)
    }

    /// The rules for `ticket_pattern` and `template`; an error message when either is invalid.
    pub(crate) fn new(ticket_pattern: &str, template: &str) -> Result<Self, String> {
        let compile = |p: String| {
            Regex::new(&p).map_err(|e| {
                let first = e.to_string();
                let line = first.lines().last().unwrap_or("invalid pattern").trim();
                format!("`ticket_pattern` is not a valid regular expression ({line})")
            })
        };
        let ticket = compile(format!("^(?:{ticket_pattern})"))?;
        let whole_ticket = compile(format!("^(?:{ticket_pattern})$"))?;
        let branch = template_pattern(template, ticket_pattern)?;
        Ok(Self {
            ticket,
            whole_ticket,
            template: template.to_string(),
            branch,
        })
    }

    /// The key and the short name of a feature folder or branch named `KEY-short-name`, the
    /// key being a number of three digits or more, a timestamp `YYYYMMDD-HHMMSS` or a ticket.
    pub(crate) fn parse<'a>(&self, name: &'a str) -> Option<(Key, &'a str)> {
        let after =
            |end: usize| (name.as_bytes().get(end) == Some(&b'-')).then(|| &name[end + 1..]);
        if let Some(secs) = name.get(..15).and_then(crate::dates::parse_stamp) {
            if let Some(rest) = after(15) {
                return Some((Key::Stamp(secs), rest));
            }
        }
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        if digits >= 3 {
            let rest = after(digits)?;
            return Some((Key::Number(name[..digits].parse().ok()?), rest));
        }
        let end = self.ticket.find(name)?.end();
        let ticket = &name[..end];
        if !is_ticket_text(ticket) {
            return None;
        }
        Some((Key::Ticket(ticket.to_string()), after(end)?))
    }

    /// The key of a feature folder or branch name (see [`Naming::parse`]).
    pub(crate) fn key(&self, name: &str) -> Option<Key> {
        self.parse(name).map(|(key, _)| key)
    }

    /// The key of a whole key text (`7`, `007`, `20261204-093015`, `PLAT-1`), as `--feature`
    /// and the branch template give it.
    pub(crate) fn parse_key(&self, text: &str) -> Option<Key> {
        if let Some(secs) = crate::dates::parse_stamp(text) {
            return Some(Key::Stamp(secs));
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().ok().map(Key::Number);
        }
        self.ticket(text).ok().map(Key::Ticket)
    }

    /// `text` as a ticket: it must match the whole ticket pattern and be usable in a folder
    /// and branch name.
    pub(crate) fn ticket(&self, text: &str) -> Result<String, String> {
        if self.whole_ticket.is_match(text) && is_ticket_text(text) {
            Ok(text.to_string())
        } else {
            Err(format!(
                "`{}` is not a ticket: it must match the ticket pattern `{}`{}",
                text.escape_debug(),
                self.whole_ticket
                    .as_str()
                    .trim_start_matches("^(?:")
                    .trim_end_matches(")$"),
                if is_ticket_text(text) {
                    ""
                } else {
                    " and be usable in a folder name (no `/`, spaces, or leading `.` or `-`)"
                }
            ))
        }
    }

    /// The key of a branch: one made by the branch template, or one named like a feature
    /// folder (made before the template was set).
    pub(crate) fn branch_key(&self, branch: &str) -> Option<Key> {
        // The default template names branches as folders are named: no pattern to run. Else
        // the match test (a DFA) turns most branches away before the slower capture.
        if self.template == DEFAULT_BRANCH_TEMPLATE || !self.branch.is_match(branch) {
            return self.key(branch);
        }
        self.branch
            .captures(branch)
            .and_then(|c| c.name("key"))
            .and_then(|k| self.parse_key(k.as_str()))
            .or_else(|| self.key(branch))
    }

    /// Whether the template uses `{placeholder}`.
    pub(crate) fn template_uses(&self, placeholder: &str) -> bool {
        self.template.contains(&format!("{{{placeholder}}}"))
    }

    /// The branch name the template gives for `fields`; the placeholder that has no value when
    /// one is missing.
    pub(crate) fn branch_name(&self, fields: &BranchFields<'_>) -> Result<String, &'static str> {
        let mut out = String::new();
        let mut rest = self.template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let placeholder = &rest[open + 1..close];
            let value = match placeholder {
                "number" => fields.key.map(Key::to_string),
                "name" => Some(fields.name.to_string()),
                "user" => fields.user.map(str::to_string),
                "ticket" => fields
                    .ticket
                    .map(str::to_string)
                    .or_else(|| match fields.key {
                        Some(Key::Ticket(t)) => Some(t.clone()),
                        _ => None,
                    }),
                _ => None,
            };
            let known = PLACEHOLDERS.iter().find(|p| **p == placeholder);
            out.push_str(&value.ok_or(known.copied().unwrap_or("?"))?);
            rest = rest.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Whether a ticket can name a folder and a branch: plain ASCII, no `/`, no leading `.`/`-`.
fn is_ticket_text(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(['.', '-'])
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The branch template as an anchored pattern capturing the key (`{number}`, else `{ticket}`).
fn template_pattern(template: &str, ticket_pattern: &str) -> Result<Regex, String> {
    let key_alternatives = format!(r"[0-9]{{8}}-[0-9]{{6}}|[0-9]{{3,}}|(?:{ticket_pattern})");
    let keyed = if template.contains("{number}") {
        "number"
    } else if template.contains("{ticket}") {
        "ticket"
    } else {
        return Err(format!(
            "`branch.template: {template}` has neither {{number}} nor {{ticket}}, so no command could tell which feature a branch is for"
        ));
    };
    let mut pattern = String::from("^");
    let mut rest = template;
    let mut seen_key = false;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..open]));
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(format!(
                "`branch.template: {template}` has an unclosed `{{`"
            ));
        };
        let placeholder = &rest[open + 1..close];
        let part = match placeholder {
            p if p == keyed && !seen_key => {
                seen_key = true;
                format!("(?P<key>{key_alternatives})")
            }
            "number" => format!("(?:{key_alternatives})"),
            "ticket" => format!("(?:{ticket_pattern})"),
            "name" => ".+".to_string(),
            "user" => "[^/]+".to_string(),
            other => {
                return Err(format!(
                    "`branch.template: {template}` has an unknown placeholder {{{other}}} (known: {{number}}, {{name}}, {{user}}, {{ticket}})"
                ))
            }
        };
        pattern.push_str(&part);
        rest = &rest[close + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    Regex::new(&pattern).map_err(|e| format!("`branch.template: {template}` cannot be used: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_every_mode() {
        let n = Naming::default();
        let stamp = crate::dates::parse_stamp("20261204-093015").unwrap();
        for (name, expected) in [
            ("001-eks", Some((Key::Number(1), "eks"))),
            ("042-a-b", Some((Key::Number(42), "a-b"))),
            ("1000-wide", Some((Key::Number(1000), "wide"))),
            ("0007-padded", Some((Key::Number(7), "padded"))),
            ("20261204-093015-eks", Some((Key::Stamp(stamp), "eks"))),
            (
                "PLAT-123-short-name",
                Some((Key::Ticket("PLAT-123".into()), "short-name")),
            ),
            ("AB_C-9-x", Some((Key::Ticket("AB_C-9".into()), "x"))),
            // An impossible time is a number followed by a name.
            (
                "20261399-093015-x",
                Some((Key::Number(20_261_399), "093015-x")),
            ),
            ("01-short", None),
            ("abc-1", None),
            ("003", None),
            ("003_x", None),
            ("", None),
            ("PLAT-123", None),
            ("plat-123-x", None),
            ("PLAT-x", None),
            ("99999999999999999999-overflow", None),
            ("feature/001-x", None),
        ] {
            assert_eq!(n.parse(name), expected, "{name}");
        }
    }

    #[test]
    fn keys_display_as_folders_spell_them() {
        let n = Naming::default();
        for text in ["007", "1000", "20261204-093015", "PLAT-123"] {
            assert_eq!(n.parse_key(text).unwrap().to_string(), text);
        }
        assert_eq!(n.parse_key("7"), Some(Key::Number(7)));
        assert_eq!(n.parse_key("eks"), None);
        assert_eq!(
            Key::Stamp(crate::dates::parse_stamp("20261231-235959").unwrap())
                .next()
                .unwrap()
                .to_string(),
            "20270101-000000"
        );
        assert_eq!(Key::Ticket("A-1".into()).next(), None);
        assert_eq!(Key::Number(u32::MAX).next(), None);
    }

    #[test]
    fn tickets_follow_the_configured_pattern() {
        let n = Naming::new("GH-[0-9]+", DEFAULT_BRANCH_TEMPLATE).unwrap();
        assert_eq!(n.key("GH-42-x"), Some(Key::Ticket("GH-42".into())));
        assert_eq!(n.key("PLAT-1-x"), None);
        assert!(n.ticket("GH-42").is_ok());
        let e = n.ticket("GH-42x").unwrap_err();
        assert!(e.contains("`GH-[0-9]+`"), "{e}");
        let slash = Naming::new("[a-z/]+-[0-9]+", DEFAULT_BRANCH_TEMPLATE).unwrap();
        assert!(slash.ticket("a/b-1").unwrap_err().contains("folder name"));
        assert!(Naming::new("(", DEFAULT_BRANCH_TEMPLATE)
            .unwrap_err()
            .contains("ticket_pattern"));
    }

    #[test]
    fn branch_templates_round_trip() {
        let stamp = Key::Stamp(crate::dates::parse_stamp("20261204-093015").unwrap());
        let ticket = Key::Ticket("PLAT-9".into());
        for (template, key, user, branch) in [
            ("{number}-{name}", Key::Number(7), None, "007-eks-cluster"),
            (
                "feature/{number}-{name}",
                Key::Number(7),
                None,
                "feature/007-eks-cluster",
            ),
            (
                "{user}/{number}-{name}",
                stamp.clone(),
                Some("alice"),
                "alice/20261204-093015-eks-cluster",
            ),
            (
                "{user}/{ticket}/{name}",
                ticket.clone(),
                Some("bob"),
                "bob/PLAT-9/eks-cluster",
            ),
        ] {
            let n = Naming::new(DEFAULT_TICKET_PATTERN, template).unwrap();
            let made = n
                .branch_name(&BranchFields {
                    key: Some(&key),
                    name: "eks-cluster",
                    user,
                    ticket: None,
                })
                .unwrap();
            assert_eq!(made, branch);
            assert_eq!(n.branch_key(&made), Some(key), "{template}");
            // A branch named like a folder is still found.
            assert_eq!(n.branch_key("012-x"), Some(Key::Number(12)));
            assert_eq!(n.branch_key("main"), None);
        }
        let n = Naming::new(DEFAULT_TICKET_PATTERN, "{user}/{number}-{name}").unwrap();
        let missing = n.branch_name(&BranchFields {
            key: Some(&Key::Number(1)),
            name: "x",
            ..BranchFields::default()
        });
        assert_eq!(missing, Err("user"));
        for bad in ["{name}", "{number}-{nmae}", "{number}-{name"] {
            assert!(Naming::new(DEFAULT_TICKET_PATTERN, bad).is_err(), "{bad}");
        }
    }
}

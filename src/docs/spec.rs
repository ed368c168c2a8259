//! `spec.md`: requirements, deployment scenarios, key resources, interfaces and the title.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::{ids_in, is_id, named_items, unemphasise, NamedItem};
use crate::markdown::{Document, ListItem};

/// One requirement defined in the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// `IR-001`.
    pub id: String,
    /// The prefix: `IR`, `NFR`, `SC`, or the user's own.
    pub kind: String,
    /// The requirement's text (continuation lines joined with a newline).
    pub text: String,
    /// Marked "Withdrawn": kept for its ID, served by no task.
    pub withdrawn: bool,
    /// The line that defines it.
    #[serde(skip)]
    pub line: usize,
}

/// A deployment scenario (or user story) with its priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// The number in its heading (`Scenario 2`).
    pub number: u32,
    pub title: String,
    /// `P1`, `P2`…, or `unprioritised` when the heading names none.
    pub priority: String,
    /// The priority as a number; scenarios without one sort last.
    #[serde(skip)]
    pub rank: u32,
    /// Its "Independent test" text, if given: the whole sentence, its paragraph's continuation
    /// lines joined with a space.
    #[serde(skip)]
    pub independent_test: Option<String>,
    /// The requirement IDs the scenario links to, in order, without repeats: those of its
    /// `**Requirements**:` line when it has one (ranges written out), else every
    /// requirement-ID-shaped token its section mentions.
    #[serde(skip)]
    pub links: Vec<String>,
    /// Its section text (for matching resource names).
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub line: usize,
}

/// What specops reads out of a spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    /// The first level-1 heading, without a `Something:` prefix.
    pub title: Option<String>,
    /// Requirements in order of definition; a repeated ID keeps its first definition.
    pub requirements: Vec<Requirement>,
    /// Scenarios in document order.
    pub scenarios: Vec<Scenario>,
    /// `### Key Resources` items.
    pub key_resources: Vec<NamedItem>,
    /// `## Interfaces` items.
    pub interfaces: Vec<NamedItem>,
    /// Index of each requirement in `requirements`, by ID: lookups stay constant-time in a
    /// spec with tens of thousands of requirements.
    index: HashMap<String, usize>,
}

impl Spec {
    /// Read a parsed spec.
    pub fn parse(doc: &Document) -> Self {
        let (requirements, index) = requirements(doc);
        Self {
            title: title(doc),
            requirements,
            index,
            scenarios: scenarios(doc),
            key_resources: items_under(doc, &["key resources", "key entities"]),
            interfaces: items_under(doc, &["interfaces"]),
        }
    }

    /// Read only the requirements of a spec: all that the cross-document checks need.
    pub fn parse_requirements(doc: &Document) -> Self {
        let (requirements, index) = requirements(doc);
        Self {
            requirements,
            index,
            ..Self::default()
        }
    }

    /// The requirement `id`, if the spec defines it.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.index.get(id).map(|&i| &self.requirements[i])
    }

    /// Requirements that are not withdrawn.
    pub fn active(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| !r.withdrawn)
    }

    /// Scenarios in priority order (P1 first; ties and unprioritised ones by number).
    pub fn by_priority(&self) -> Vec<&Scenario> {
        let mut v: Vec<&Scenario> = self.scenarios.iter().collect();
        v.sort_by_key(|s| (s.rank, s.number, s.line));
        v
    }
}

fn title(doc: &Document) -> Option<String> {
    let i = doc.find_heading(|level, _| level == 1)?;
    let text = doc.title(&doc.headings[i]);
    let text = match text.split_once(": ") {
        Some((_, rest)) if !rest.trim().is_empty() => rest,
        _ => text,
    };
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The length of the requirement ID `s` starts with (`IR-001…` → 6), if it starts with one.
fn id_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let upper = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if upper == 0 || b.get(upper) != Some(&b'-') {
        return None;
    }
    let digits = b[upper + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (digits > 0).then_some(upper + 1 + digits)
}

/// A requirement list item: `**IR-001**: text`, `**IR-001:** text`, `__SEC-7__: text`,
/// `IR-002: text` or `NFR-003 — text` (a dash after a space). The ID and the trimmed text.
fn list_requirement(item: &str) -> Option<(&str, &str)> {
    let bold = ["**", "__"].iter().find_map(|m| item.strip_prefix(m));
    let rest = bold.unwrap_or(item);
    let len = id_len(rest)?;
    let (id, after) = rest.split_at(len);
    let text = if bold.is_some() {
        let after = after.strip_prefix(':').unwrap_or(after);
        let after = ["**", "__"].iter().find_map(|m| after.strip_prefix(m))?;
        let after = after.trim_start();
        after.strip_prefix(':').unwrap_or(after)
    } else {
        let trimmed = after.trim_start();
        if let Some(t) = trimmed.strip_prefix(':') {
            t
        } else if trimmed.len() < after.len() {
            trimmed.strip_prefix(['-', '–', '—'])?
        } else {
            return None;
        }
    };
    Some((id, text.trim()))
}

/// Whether `s` starts with what a requirement ID starts with (`IR-0`, after any `**`, `__` or
/// backtick): a cheap test that spares the regexes and the table parser almost every line.
fn starts_like_id(s: &str) -> bool {
    let t = s.trim_start_matches(['*', '_', '`', ' ', '\t']).as_bytes();
    let upper = t.iter().take_while(|b| b.is_ascii_uppercase()).count();
    upper > 0 && t.get(upper) == Some(&b'-') && t.get(upper + 1).is_some_and(u8::is_ascii_digit)
}

/// A requirement defined by one line: a list item (`item`, its text after the marker) or a
/// table row whose first cell is an ID.
fn requirement_on(doc: &Document, i: usize, item: Option<&ListItem>) -> Option<(String, String)> {
    if let Some(it) = item {
        let text = doc.item_text(it);
        if !starts_like_id(&text) {
            return None;
        }
        let (id, text) = list_requirement(&text)?;
        return Some((id.to_string(), text.to_string()));
    }
    let first = doc.line_text(i).trim_start().strip_prefix('|')?;
    if !starts_like_id(first) {
        return None;
    }
    let cells = doc.table_row(i)?;
    let id = unemphasise(&cells.first()?.text);
    if !is_id(id) {
        return None;
    }
    let rest: Vec<&str> = cells[1..]
        .iter()
        .map(|c| c.text.as_ref())
        .filter(|c| !c.is_empty())
        .collect();
    Some((id.to_string(), rest.join(" | ")))
}

/// The requirements in order of definition, and the index of each by ID.
fn requirements(doc: &Document) -> (Vec<Requirement>, HashMap<String, usize>) {
    let mut out: Vec<Requirement> = Vec::new();
    // Most requirements are list items: sized for them, the index is not rehashed as it grows.
    let mut index: HashMap<String, usize> = HashMap::with_capacity(doc.items.len());
    let mut items = doc.items.iter().peekable();
    let mut i = 0;
    while i < doc.lines.len() {
        let line = i;
        i += 1;
        while items.next_if(|it| it.line < line).is_some() {}
        let item = items.next_if(|it| it.line == line);
        if !doc.is_text(line) {
            continue;
        }
        let Some((id, mut text)) = requirement_on(doc, line, item) else {
            continue;
        };
        // A list item continues on indented lines that do not start an item of their own.
        if item.is_some() {
            while i < doc.lines.len() && doc.is_text(i) {
                if items.peek().is_some_and(|it| it.line == i) {
                    break;
                }
                let t = doc.prose(i);
                if !t.starts_with([' ', '\t']) || t.trim().is_empty() {
                    break;
                }
                text.push('\n');
                text.push_str(t.trim());
                i += 1;
            }
        }
        if index.contains_key(&id) {
            continue;
        }
        index.insert(id.clone(), out.len());
        let kind = id.split('-').next().unwrap_or_default().to_string();
        out.push(Requirement {
            withdrawn: is_withdrawn(&text),
            id,
            kind,
            text,
            line: line + 1,
        });
    }
    (out, index)
}

/// "Withdrawn" at the start or the end of the text (`~~…~~ Withdrawn.`, `Withdrawn: …`).
fn is_withdrawn(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .as_bytes();
    let word = b"withdrawn";
    (t.len() >= word.len())
        && (t[..word.len()].eq_ignore_ascii_case(word)
            || t[t.len() - word.len()..].eq_ignore_ascii_case(word))
}

static SCENARIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:deployment\s+scenario|scenario|user\s+story|story)\s+(\d{1,6})\s*(?:[:.\-–—]\s*)?(.*?)\s*(?:\(\s*priority\s*:\s*P(\d{1,6})\b[^)]*\).*)?$",
    )
    .expect("static regex")
});

/// Scenarios: headings `Scenario 1: Title (Priority: P1)` or `User Story 1 - Title (Priority: P1)`.
/// Other tools add words after the rank or after the parentheses (`(Priority: P0 - Critical)`,
/// `(Priority: P1) 🎯 MVP`): the rank is read and the rest is not part of the title.
pub fn scenarios(doc: &Document) -> Vec<Scenario> {
    let mut out = Vec::new();
    let mut budget = super::MAX_WRITTEN_OUT;
    for (hi, h) in doc.headings.iter().enumerate() {
        let text = doc.title(h);
        let Some(caps) = SCENARIO.captures(text) else {
            continue;
        };
        let Ok(number) = caps[1].parse::<u32>() else {
            continue;
        };
        let rank = caps.get(3).and_then(|m| m.as_str().parse::<u32>().ok());
        let mut mentions: Vec<String> = Vec::new();
        // Seen IDs, so that naming ten thousand of them stays linear.
        let mut seen: HashSet<String> = HashSet::new();
        let mut declared: Option<Vec<String>> = None;
        let mut declared_seen: HashSet<String> = HashSet::new();
        let mut independent_test: Option<String> = None;
        // The last line of the independent test's paragraph read so far, while it may go on.
        let mut test_line: Option<usize> = None;
        let mut text_body = String::new();
        for l in doc.section(hi).filter(|&l| doc.is_text(l)) {
            let prose = doc.prose(l);
            text_body.push_str(&prose);
            text_body.push('\n');
            for id in ids_in(&prose) {
                if seen.insert(id.to_string()) {
                    mentions.push(id.to_string());
                }
            }
            if let Some(ids) = requirements_line(&prose, &mut budget) {
                let list = declared.get_or_insert_with(Vec::new);
                for id in ids {
                    if declared_seen.insert(id.clone()) {
                        list.push(id);
                    }
                }
            }
            let t = prose.trim();
            // The independent test's sentence goes on over the following lines of its paragraph.
            if let Some(last) = test_line.take() {
                if l == last + 1 && continues_paragraph(doc, l, t) {
                    let test: &mut String = independent_test.get_or_insert_default();
                    if !test.is_empty() {
                        test.push(' ');
                    }
                    test.push_str(t);
                    test_line = Some(l);
                    continue;
                }
            }
            let t = ["- ", "* ", "+ "]
                .iter()
                .find_map(|m| t.strip_prefix(m))
                .map_or(t, str::trim_start);
            let lower = t.to_ascii_lowercase();
            if let Some(rest) = lower
                .strip_prefix("**independent test**:")
                .or_else(|| lower.strip_prefix("**independent test:**"))
            {
                independent_test = Some(t[t.len() - rest.len()..].trim().to_string());
                test_line = Some(l);
            }
        }
        let independent_test = independent_test.filter(|t| !t.is_empty());
        out.push(Scenario {
            number,
            title: caps[2]
                .trim()
                .trim_end_matches([':', '-'])
                .trim()
                .to_string(),
            priority: rank.map_or_else(|| "unprioritised".to_string(), |r| format!("P{r}")),
            rank: rank.unwrap_or(u32::MAX),
            independent_test,
            links: declared.unwrap_or(mentions),
            body: text_body,
            line: h.line + 1,
        });
    }
    out
}

/// Whether line `l` (its prose trimmed: `t`), right below a line of a paragraph, continues
/// that paragraph's sentence: not a list item, heading, table row, quote or a new bold label.
fn continues_paragraph(doc: &Document, l: usize, t: &str) -> bool {
    doc.item_at(l).is_none()
        && !t.is_empty()
        && !t.starts_with(['#', '|', '>'])
        && !t.starts_with("**")
        && !t.starts_with("__")
}

/// The IDs of a scenario's `**Requirements**: IR-001, NFR-002` line (also `Requirements:`,
/// `**Requirements:**`, as a list item or not), ranges written out; `None` for any other line.
/// A line that names none (`**Requirements**: none yet`) links nothing.
/// `budget` bounds the IDs its ranges write out (see [`super::ids_and_ranges_in`]).
pub fn requirements_line(prose: &str, budget: &mut usize) -> Option<Vec<String>> {
    let t = prose.trim_start();
    let t = t
        .strip_prefix(['-', '*', '+'])
        .map_or(t, str::trim_start)
        .trim_start_matches(['*', '_']);
    let head = t.get(..12)?;
    if !head.eq_ignore_ascii_case("requirements") {
        return None;
    }
    let rest = t[12..]
        .trim_start_matches(['*', '_', ' '])
        .strip_prefix(':')?;
    Some(super::ids_and_ranges_in(
        rest.trim_start_matches(['*', '_']),
        budget,
    ))
}

/// Named list items under the first heading whose text is one of `names` (any level).
fn items_under(doc: &Document, names: &[&str]) -> Vec<NamedItem> {
    let Some(hi) = doc.find_heading(|_, t| names.contains(&t.trim().to_lowercase().as_str()))
    else {
        return Vec::new();
    };
    named_items(doc, doc.section(hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    fn ids(doc: &str) -> Vec<(String, String)> {
        Spec::parse(&Document::parse(doc))
            .requirements
            .into_iter()
            .map(|r| (r.id, r.text))
            .collect()
    }

    #[test]
    fn requirement_definitions() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "- **IR-001**: Tenants MUST be isolated.",
                &[("IR-001", "Tenants MUST be isolated.")],
            ),
            ("- **IR-001:** bold colon", &[("IR-001", "bold colon")]),
            ("* IR-002: plain", &[("IR-002", "plain")]),
            ("1. NFR-003 — dash", &[("NFR-003", "dash")]),
            ("- IR-008 - hyphen", &[("IR-008", "hyphen")]),
            ("- IR-008- no space before the dash", &[]),
            ("- **IR-009** : spaced colon", &[("IR-009", "spaced colon")]),
            ("- **IR-010x**: not an ID", &[]),
            ("- IR-011x: not an ID", &[]),
            ("- **IR-012**text", &[("IR-012", "text")]),
            ("- IR-٣: not ASCII digits", &[]),
            ("- __SEC-7__: own prefix", &[("SEC-7", "own prefix")]),
            (
                "| IR-004 | table text | P1 |",
                &[("IR-004", "table text | P1")],
            ),
            ("| **SC-001** | bold cell |", &[("SC-001", "bold cell")]),
            ("| ID | Requirement |\n|---|---|", &[]),
            ("- see IR-001 for details", &[]),
            ("- IR-001 without separator", &[]),
            ("```\n- **IR-009**: in code\n```", &[]),
            ("<!--\n- **IR-009**: in a comment\n-->", &[]),
            ("<!-- - **IR-009**: inline comment -->", &[]),
            (
                "- **IR-001**: first\n- **IR-001**: repeated",
                &[("IR-001", "first")],
            ),
            (
                "- **IR-005**: wraps\n  onto a second line\n  - nested item",
                &[("IR-005", "wraps\nonto a second line")],
            ),
        ];
        for (doc, expected) in cases {
            let got = ids(doc);
            let want: Vec<(String, String)> = expected
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{doc:?}");
            assert_eq!(
                Spec::parse_requirements(&Document::parse(doc)).requirements,
                Spec::parse(&Document::parse(doc)).requirements,
                "{doc:?}"
            );
        }
    }

    #[test]
    fn withdrawn_requirements() {
        let s = Spec::parse(&Document::parse("- **IR-001**: ~~Old text~~ Withdrawn.\n- **IR-002**: Withdrawn: replaced by IR-003\n- **IR-003**: MUST NOT serve withdrawn tenants the old page.\n",));
        let w: Vec<bool> = s.requirements.iter().map(|r| r.withdrawn).collect();
        assert_eq!(w, [true, true, false]);
        assert_eq!(s.active().count(), 1);
        assert_eq!(s.requirements[0].kind, "IR");
    }

    #[test]
    fn scenarios_and_priorities() {
        let doc = "\
# Infrastructure Specification: Multi-tenant platform

## Deployment Scenarios

### Scenario 1: Noisy neighbour (Priority: P2)

Serves IR-002.

**Independent test**: flood one tenant; the other is unaffected.

### Scenario 2: Tenant onboarding (Priority: P1)

Serves IR-001 and SC-001, IR-001 again.

### User Story 3 - Cost report (Priority: P3)

### Scenario 4: No priority given
### User Story 5 - Bootstrap (Priority: P0 - Critical)
### User Story 6 - Login (Priority: P2) 🎯 MVP

### Failure Modes and Edge Cases

- IR-009 is mentioned here, outside every scenario.
";
        let s = Spec::parse(&Document::parse(doc));
        assert_eq!(s.title.as_deref(), Some("Multi-tenant platform"));
        let order: Vec<(u32, &str, &str)> = s
            .by_priority()
            .iter()
            .map(|s| (s.number, s.title.as_str(), s.priority.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (5, "Bootstrap", "P0"),
                (2, "Tenant onboarding", "P1"),
                (1, "Noisy neighbour", "P2"),
                (6, "Login", "P2"),
                (3, "Cost report", "P3"),
                (4, "No priority given", "unprioritised"),
            ]
        );
        assert_eq!(s.scenarios[1].links, ["IR-001", "SC-001"]);
        assert_eq!(s.scenarios[0].links, ["IR-002"]);
        assert_eq!(
            s.scenarios[0].independent_test.as_deref(),
            Some("flood one tenant; the other is unaffected.")
        );
        assert!(s.scenarios[3].links.is_empty());
    }

    #[test]
    fn the_independent_test_is_the_whole_sentence() {
        let doc = "\
### Scenario 1: Failover (Priority: P1)
**Independent test**: fail the primary region in staging;
traffic moves to the secondary
within 15 minutes.
**Acceptance**: not part of it

### Scenario 2: Backups (Priority: P2)
- **Independent test**: restore last night's backup
  into an empty account.
- **Requirements**: IR-002

### Scenario 3: Later (Priority: P3)
**Independent test:**
delete a tenant; its data is gone.

Next paragraph.

### Scenario 4: Cut (Priority: P4)
**Independent test**: one line
- an item

### Scenario 5: Empty (Priority: P5)
**Independent test**:

Not this.
";
        let s = Spec::parse(&Document::parse(doc));
        let tests: Vec<Option<&str>> = s
            .scenarios
            .iter()
            .map(|s| s.independent_test.as_deref())
            .collect();
        assert_eq!(
            tests,
            [
                Some("fail the primary region in staging; traffic moves to the secondary within 15 minutes."),
                Some("restore last night's backup into an empty account."),
                Some("delete a tenant; its data is gone."),
                Some("one line"),
                None,
            ]
        );
        assert_eq!(s.scenarios[1].links, ["IR-002"]);
    }

    #[test]
    fn a_requirements_line_is_what_a_scenario_links_to() {
        let doc = "\
### Scenario 1: Failover (Priority: P1)
Unlike IR-009, this moves traffic.
**Requirements**: IR-001, NFR-002 through NFR-004, IR-001
### Scenario 2: Backups (Priority: P2)
- **Requirements:** SC-001
### Scenario 3: Later (Priority: P3)
Requirements: none yet (see IR-005 later)
### Scenario 4: Reporting (Priority: P4)
Mentions IR-006 only in prose.
";
        let s = Spec::parse(&Document::parse(doc));
        let links: Vec<Vec<&str>> = s
            .scenarios
            .iter()
            .map(|s| s.links.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            links,
            [
                vec!["IR-001", "NFR-002", "NFR-003", "NFR-004"],
                vec!["SC-001"],
                vec!["IR-005"],
                vec!["IR-006"],
            ]
        );
        for not_a_line in ["Requirements are listed below", "**Requirement**: IR-1", ""] {
            assert_eq!(
                requirements_line(not_a_line, &mut 10),
                None,
                "{not_a_line:?}"
            );
        }
        assert_eq!(
            requirements_line("**Requirements**:", &mut 10),
            Some(vec![])
        );
    }

    #[test]
    fn key_resources_and_interfaces() {
        let doc = "\
## Requirements
### Key Resources
<!-- - **Hidden**: in a comment -->
- **Tenant Namespace**: an isolated namespace per tenant
- **Resource Quota**: limits per tenant
## Interfaces
- **Cluster API endpoint**: private API for tenants
```
- **Example**: in code
```
## Success Criteria
- **SC-001**: onboarding within 10 minutes
";
        let s = Spec::parse(&Document::parse(doc));
        let names: Vec<&str> = s.key_resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Tenant Namespace", "Resource Quota"]);
        assert_eq!(s.interfaces.len(), 1);
        assert_eq!(s.interfaces[0].name, "Cluster API endpoint");
        assert_eq!(s.interfaces[0].description, "private API for tenants");
        assert_eq!(s.title, None);
    }
}

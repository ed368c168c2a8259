//! SO005 task-format: task lines in tasks.md, `- [ ] T001 [P] [US1] Description (IR-001)`.
//!
//! A task line is a checkbox item whose first word looks like a task ID (`T` and a digit, in
//! any case, optionally bold). Its ID must be `T` and at least three digits, optionally with a
//! suffix for a task inserted later (`T019a`, `T008.1`); IDs must be unique and increase down
//! the file. Checkbox items that do not start with a task ID (notes, acceptance checklists,
//! numbered `1.1` plans) are not task lines.
//!
//! Tags: ours are `[P]` (parallel) and `[USn]` (user story / deployment scenario). A tag that
//! looks like a mistyped one of them (`[p]`, `[US]`, `[us1]`, `[US 1]`, `[Story]`) is a
//! finding; any other bracketed word (`[Setup]`, `[MVP-SKIP]`) is a team's own label and passes.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Level;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct TaskFormat;

/// What SO005 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO005",
    name: "task-format",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "a malformed task line, or a duplicate or out-of-order task ID",
    explanation:
        "A task line in `tasks.md` reads `- [ ] T001 [P] [US1] Description (IR-001)`: its \
        ID is `T` and at least three digits (with a suffix such as `T019a` for a task inserted \
        later), IDs are unique and increase down the file, and the tags after the ID are `[P]` \
        (parallel) and `[USn]` (scenario). People and tools find tasks by these IDs and tags, so a \
        malformed, repeated or out-of-order ID and a mistyped tag (`[p]`, `[US 1]`) are reported; \
        other bracketed labels pass.",
    fix: "Repair the line's format. For duplicate or out-of-order IDs, derive the task \
        list again (`specops tasks --force` rewrites it) rather than renumbering by hand.",
};

static MISTYPED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(p\??|us[\s_#-]*([0-9]+|n|x|#)?|story[\s_-]*[0-9]*)$").expect("static regex")
});

/// `001` → (1, ""), `019a` → (19, "a"), `008.1` → (8, ".1"): three or more digits, then an
/// optional lower-case letter or `.` and digits.
fn id_number(s: &str) -> Option<(u64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &s[digits..];
    let suffix_ok = suffix.is_empty()
        || (suffix.len() == 1 && suffix.bytes().all(|c| c.is_ascii_lowercase()))
        || suffix
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
    if digits < 3 || !suffix_ok {
        return None;
    }
    Some((s[..digits].parse().ok()?, suffix))
}

impl Rule for TaskFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, _related: &Related, out: &mut Vec<Finding>) {
        if doc.kind != Some(Kind::Tasks) {
            return;
        }
        let mut seen: HashMap<(u64, &str), usize> = HashMap::new();
        let mut last: Option<((u64, &str), &str)> = None;
        // Every task item is a task line, whatever its checkbox state (`[ ]`, `[x]`, `[~]`…).
        for it in doc.items.iter().filter(|it| it.checkbox.is_some()) {
            let i = it.line;
            let rest = &doc.text[it.text..doc.lines[i].end];
            let Some(task) = Task::parse(rest) else {
                continue;
            };
            let base = it.text;
            if doc.is_masked(base + task.id.start) {
                continue;
            }
            let id = &rest[task.id.clone()];
            let at = |r: &std::ops::Range<usize>| (base + r.start, base + r.end);
            let Some(number) = task.number else {
                let (s, e) = at(&task.id);
                out.push(Finding::new(
                    self.index(),
                    s,
                    e,
                    format!("malformed task ID `{id}`: expected T and three digits, e.g. T001 (or T001a for an inserted task)"),
                ));
                continue;
            };
            let (s, e) = at(&task.id);
            if let Some(first) = seen.get(&number) {
                out.push(Finding::new(
                    self.index(),
                    s,
                    e,
                    format!("duplicate task ID {id} (first used on line {})", first + 1),
                ));
            } else {
                seen.insert(number, i);
                if let Some((prev, prev_id)) = last {
                    if number.0 < prev.0 {
                        out.push(Finding::new(
                            self.index(),
                            s,
                            e,
                            format!("task ID {id} is out of order: it comes after {prev_id}"),
                        ));
                    }
                }
                last = Some((number, id));
            }
            for tag in &task.unknown_tags {
                let (s, e) = at(tag);
                out.push(Finding::new(
                    self.index(),
                    s,
                    e,
                    format!(
                        "unknown tag {} in task {id}: only [P] and [USn] may follow the ID",
                        &rest[tag.clone()]
                    ),
                ));
            }
        }
    }
}

/// `P` or `US` and digits: the tags a task line may carry.
fn is_known_tag(tag: &str) -> bool {
    tag == "P"
        || tag
            .strip_prefix("US")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The parts of a task line after its checkbox, as byte ranges of that text.
#[derive(Debug, PartialEq, Eq)]
struct Task<'a> {
    id: std::ops::Range<usize>,
    /// The ID's number and suffix, when the ID is well formed.
    number: Option<(u64, &'a str)>,
    unknown_tags: Vec<std::ops::Range<usize>>,
}

impl<'a> Task<'a> {
    fn parse(rest: &'a str) -> Option<Task<'a>> {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        let lead = word.len() - word.trim_start_matches(['*', '_']).len();
        let core = word[lead..].trim_end_matches(['*', '_', ':', '.', ',']);
        let b = core.as_bytes();
        let looks_like_id = matches!(b.first(), Some(b'T' | b't'))
            && (b.get(1).is_some_and(u8::is_ascii_digit)
                || (b.get(1) == Some(&b'-') && b.get(2).is_some_and(u8::is_ascii_digit)));
        if !looks_like_id {
            return None;
        }
        let id = lead..lead + core.len();
        let number = if b[0] == b'T' {
            id_number(&core[1..])
        } else {
            None
        };
        let mut unknown_tags = Vec::new();
        let mut pos = word_end;
        loop {
            let gap = rest[pos..].len() - rest[pos..].trim_start().len();
            let tag_start = pos + gap;
            if !rest[tag_start..].starts_with('[') {
                break;
            }
            let Some(close) = rest[tag_start..].find(']') else {
                break;
            };
            let tag = &rest[tag_start + 1..tag_start + close];
            if !is_known_tag(tag) && MISTYPED_TAG.is_match(tag) {
                unknown_tags.push(tag_start..tag_start + close + 1);
            }
            pos = tag_start + close + 1;
        }
        Some(Task {
            id,
            number,
            unknown_tags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::run;

    fn found(text: &str) -> Vec<(usize, String, String)> {
        run(&TaskFormat, Some(Kind::Tasks), text)
    }

    #[test]
    fn well_formed_tasks_pass() {
        let text = "\
## Phase 1: Setup
- [ ] T001 Create layout in modules/
- [x] T002 [P] Write policy in policies/a.rego (IR-001)
- [ ] T003 [P] [US1] Write test in tests/a_test.go (IR-001, SC-001)
- [ ] **T004** [US2] Bold IDs are fine
- [ ] T005: a colon too
- [ ] T1000 IDs grow past 999
- [ ] T1000a [Setup] An inserted task with a team's own label
- [ ] T1000.1 [MVP-SKIP] [US3] A sub-task
- [ ] Review the rollback runbook with operations
- [ ] 1.1 Numbered plans are not task lines
```
- [ ] T001 in code
```
";
        assert_eq!(found(text), Vec::new());
    }

    #[test]
    fn malformed_ids() {
        let f = found("- [ ] T1 a\n- [ ] t002 b\n- [ ] T-003 c\n- [ ] T00x d\n- [ ] T004AB e\n- [ ] T005. f\n- [ ] T006.x g\n");
        let ids: Vec<&str> = f.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(ids, ["T1", "t002", "T-003", "T00x", "T004AB", "T006.x"]);
        assert_eq!(
            f[0].2,
            "malformed task ID `T1`: expected T and three digits, e.g. T001 (or T001a for an inserted task)"
        );
    }

    #[test]
    fn duplicate_and_out_of_order_ids() {
        let f = found(
            "- [ ] T001 a\n- [ ] T003 b\n- [ ] T002 c\n- [x] T003 d\n- [ ] T004 e\n- [ ] T004a f\n",
        );
        assert_eq!(
            f,
            [
                (
                    3,
                    "T002".to_string(),
                    "task ID T002 is out of order: it comes after T003".to_string()
                ),
                (
                    4,
                    "T003".to_string(),
                    "duplicate task ID T003 (first used on line 2)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn unknown_tags() {
        let f = found(
            "- [ ] T001 [p] [Setup] [US1] [US] [us2] [US 3] [Story] [P?] [Polish] a [US] b\n",
        );
        let tags: Vec<&str> = f.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(tags, ["[p]", "[US]", "[us2]", "[US 3]", "[Story]", "[P?]"]);
        assert_eq!(
            f[0].2,
            "unknown tag [p] in task T001: only [P] and [USn] may follow the ID"
        );
    }

    #[test]
    fn only_tasks_files() {
        let doc = "- [ ] T1 a\n";
        assert!(run(&TaskFormat, Some(Kind::Plan), doc).is_empty());
        assert!(run(&TaskFormat, None, doc).is_empty());
    }
}

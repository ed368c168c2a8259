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
//! A task belongs to one scenario: a second `[USn]` tag is a finding (`next` keeps the first as
//! the task's story and the second in its text).

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
    summary: "a malformed task line, a duplicate or out-of-order task ID, or a dependency on a task that does not exist",
    explanation:
        "A task line in `tasks.md` reads `- [ ] T001 [P] [US1] Description (IR-001)`: its \
        ID is `T` and at least three digits (with a suffix such as `T019a` for a task inserted \
        later), IDs are unique and increase down the file, and the tags after the ID are `[P]` \
        (parallel) and `[USn]` (scenario). People and tools find tasks by these IDs and tags, so a \
        malformed, repeated or out-of-order ID, a mistyped tag (`[p]`, `[US 1]`) and a second \
        scenario tag (a task belongs to one scenario) are reported; other bracketed labels pass. A line of the Dependencies section (`- T010 after T009`) \
        that names a task the list does not have is reported too: the order it asks for would \
        be lost without a word.",
    fix: "Repair the line's format. For duplicate or out-of-order IDs, derive the task \
        list again (`specops tasks --force` rewrites it) rather than renumbering by hand.",
    fires: &[(
        "specs/001-backups/tasks.md",
        "- [ ] T001 Create the backup vault in modules/backup/main.tf\n\
        - [ ] T001 [p] Add the retention rule in modules/backup/main.tf\n",
    )],
    passes: &[(
        "specs/001-backups/tasks.md",
        "- [ ] T001 Create the backup vault in modules/backup/main.tf\n\
        - [ ] T002 [P] Add the retention rule in modules/backup/main.tf\n",
    )],
};

static MISTYPED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(p\??|us[\s_#-]*([0-9]+|n|x|#)?|story[\s_-]*[0-9]*)$").expect("static regex")
});

/// How a task list numbers its tasks. Ours is `T001`; other tools write `T-001` or `T1`, and a
/// list that numbers all its tasks one way is consistent, whatever the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// `T` and three or more digits: `T001`.
    Padded,
    /// `T-` and digits: `T-001`, `T-1`.
    Dashed,
    /// `T` and one or two digits: `T1`, `T12`.
    Short,
}

impl Scheme {
    fn example(self) -> &'static str {
        match self {
            Scheme::Padded => "T001",
            Scheme::Dashed => "T-001",
            Scheme::Short => "T1",
        }
    }
}

/// A well-formed task ID's scheme, number and suffix: `T001` → (Padded, 1, ""), `T019a` and
/// `T019A` → (Padded, 19, "a"/"A"), `T008.1` → (Padded, 8, ".1"), `T-003` → (Dashed, 3, "").
/// The suffix of a task inserted later is one letter, or `.` and digits.
fn id_number(id: &str) -> Option<(Scheme, u64, &str)> {
    let rest = id.strip_prefix('T')?;
    let (dashed, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &rest[digits..];
    let suffix_ok = suffix.is_empty()
        || (suffix.len() == 1 && suffix.bytes().all(|c| c.is_ascii_alphabetic()))
        || suffix
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
    if digits == 0 || digits > 18 || !suffix_ok {
        return None;
    }
    let scheme = match (dashed, digits) {
        (true, _) => Scheme::Dashed,
        // Unpadded numbers have no leading zero: `T00x` is a malformed `T00x`, not task 0.
        (false, 1 | 2) if !rest.starts_with('0') => Scheme::Short,
        (false, 1 | 2) => return None,
        (false, _) => Scheme::Padded,
    };
    Some((scheme, rest[..digits].parse().ok()?, suffix))
}

/// For each element, the length of the longest non-decreasing run of `keys` that starts there
/// (elements taken in order, not necessarily adjacent). O(n log n).
fn longest_from(keys: &[u64]) -> Vec<usize> {
    // tails[k]: the largest first key of a non-decreasing subsequence of length k + 1 seen so
    // far (scanning from the right); it decreases with k.
    let mut tails: Vec<&u64> = Vec::new();
    let mut out = vec![0; keys.len()];
    for (i, k) in keys.iter().enumerate().rev() {
        let c = tails.partition_point(|t| *t >= k);
        out[i] = c + 1;
        if c == tails.len() {
            tails.push(k);
        } else {
            tails[c] = k;
        }
    }
    out
}

/// The positions of `keys` that are out of order: those outside the longest non-decreasing
/// subsequence (`T008a` and `T008.1` share a number and may come in any order), choosing among equally long ones the one that keeps the earliest elements (so
/// in `T001 T003 T002 T004` it is `T002` that is out of order, and a task inserted with a far
/// higher number, `T123` between `T044` and `T045`, is the one reported).
fn out_of_order(keys: &[u64]) -> Vec<usize> {
    let from = longest_from(keys);
    let mut need = from.iter().copied().max().unwrap_or(0);
    let mut last: Option<&u64> = None;
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if need > 0 && from[i] == need && last.is_none_or(|l| k >= l) {
            last = Some(k);
            need -= 1;
        } else {
            out.push(i);
        }
    }
    out
}

impl Rule for TaskFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, _related: &Related, out: &mut Vec<Finding>) {
        if doc.kind != Some(Kind::Tasks) {
            return;
        }
        let start = out.len();
        self.lines(doc, out);
        out[start..].sort_by_key(|f| f.start);
    }
}

impl TaskFormat {
    fn lines(&self, doc: &Document, out: &mut Vec<Finding>) {
        let lines = task_lines(doc);
        // The list's own numbering: the scheme most of its well-formed IDs use (ours on a tie).
        let count = |scheme| {
            lines
                .iter()
                .filter(|t| t.number.is_some_and(|n| n.0 == scheme))
                .count()
        };
        let scheme = [Scheme::Padded, Scheme::Dashed, Scheme::Short]
            .into_iter()
            .max_by_key(|&s| (count(s), s == Scheme::Padded))
            .unwrap_or(Scheme::Padded);
        let mut first: HashMap<(u64, &str), usize> = HashMap::new();
        // (task, key) of the tasks that take part in the order: well formed, first of their ID.
        let mut ordered: Vec<(&TaskLine, (u64, &str))> = Vec::new();
        for t in &lines {
            let (s, e) = t.span;
            let found = |message: String| Finding::new(self.index(), s, e, message);
            match t.number {
                Some((sch, n, suffix)) if sch == scheme => {
                    if let Some(line) = first.get(&(n, suffix)) {
                        out.push(found(format!(
                            "duplicate task ID {} (first used on line {})",
                            t.id,
                            line + 1
                        )));
                    } else {
                        first.insert((n, suffix), t.line);
                        ordered.push((t, (n, suffix)));
                    }
                }
                _ if scheme == Scheme::Padded => out.push(found(format!(
                    "malformed task ID `{}`: expected T and three digits, e.g. T001 (or T001a for an inserted task)",
                    t.id
                ))),
                _ => out.push(found(format!(
                    "task ID `{}` does not follow this list's numbering, e.g. {}",
                    t.id,
                    scheme.example()
                ))),
            }
            let unknown = t.unknown_tags.iter().map(|r| (r, false));
            for (tag, second) in unknown.chain(t.second_stories.iter().map(|r| (r, true))) {
                let (shown, id) = (&doc.text[tag.clone()], t.id);
                let message = if second {
                    format!("second scenario tag {shown} in task {id}: a task belongs to one scenario (the first tag counts); split the task or drop a tag")
                } else {
                    format!(
                        "unknown tag {shown} in task {id}: only [P] and [USn] may follow the ID"
                    )
                };
                out.push(Finding::new(self.index(), tag.start, tag.end, message));
            }
        }
        let keys: Vec<u64> = ordered.iter().map(|(_, k)| k.0).collect();
        let outliers = out_of_order(&keys);
        // A block of tasks moved as one (a phase placed after a later one) is one finding, on
        // its first task.
        let mut i = 0;
        while i < outliers.len() {
            let first = outliers[i];
            let mut last = first;
            while i + 1 < outliers.len()
                && outliers[i + 1] == last + 1
                && keys[last + 1] >= keys[last]
            {
                i += 1;
                last += 1;
            }
            i += 1;
            let before = first.checked_sub(1).map(|j| ordered[j].0.id);
            let after = ordered.get(last + 1).map(|(n, _)| n.id);
            let place = match (before, after) {
                (Some(b), Some(a)) => format!("between {b} and {a}"),
                (Some(b), None) => format!("after {b}"),
                (None, Some(a)) => format!("before {a}"),
                (None, None) => String::new(),
            };
            let t = ordered[first].0;
            let message = if last == first {
                format!("task ID {} is out of order: it sits {place}", t.id)
            } else {
                format!(
                    "task IDs {} to {} are out of order: they sit {place}",
                    t.id, ordered[last].0.id
                )
            };
            out.push(Finding::new(self.index(), t.span.0, t.span.1, message));
        }
        // A dependency on a task the list does not have is a typo that loses the order asked
        // for: `next` can only ignore it.
        let known: std::collections::HashSet<&str> = lines.iter().map(|t| t.id).collect();
        for d in crate::docs::tasks::dependency_lines(doc) {
            let mut named = std::collections::HashSet::new();
            for id in d.waiting.iter().chain(&d.waited) {
                if known.contains(id.as_str()) || !named.insert(id.as_str()) {
                    continue;
                }
                let message = format!(
                    "the dependency names {id}, which no task of this list has; correct the ID or remove it"
                );
                out.extend(Finding::at(self.index(), doc, d.line, id, message));
            }
        }
    }
}

/// One task line of a task list, as SO005 reads it.
struct TaskLine<'a> {
    id: &'a str,
    /// Byte range of the ID in the document.
    span: (usize, usize),
    number: Option<(Scheme, u64, &'a str)>,
    /// Byte ranges of mistyped tags in the document.
    unknown_tags: Vec<std::ops::Range<usize>>,
    /// Byte ranges of `[USn]` tags after the first.
    second_stories: Vec<std::ops::Range<usize>>,
    line: usize,
}

/// The task lines of `doc`: checkbox items, in any state, whose first word looks like a task
/// ID. A nested item that names a task already listed (a verification list repeating `T023`)
/// refers to that task and is not a task line of its own.
fn task_lines<'a>(doc: &Document<'a>) -> Vec<TaskLine<'a>> {
    let text: &'a str = doc.text;
    let mut out: Vec<TaskLine<'a>> = Vec::new();
    let mut ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for it in doc.items.iter().filter(|it| it.checkbox.is_some()) {
        let rest = &text[it.text..doc.lines[it.line].end];
        let Some(task) = Task::parse(rest) else {
            continue;
        };
        let base = it.text;
        if doc.is_masked(base + task.id.start) {
            continue;
        }
        let id = &rest[task.id.clone()];
        if it.depth > 0 && ids.contains(id) {
            continue;
        }
        ids.insert(id);
        out.push(TaskLine {
            id,
            span: (base + task.id.start, base + task.id.end),
            number: id_number(id),
            unknown_tags: task
                .unknown_tags
                .iter()
                .map(|r| base + r.start..base + r.end)
                .collect(),
            second_stories: task
                .second_stories
                .iter()
                .map(|r| base + r.start..base + r.end)
                .collect(),
            line: it.line,
        });
    }
    out
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
struct Task {
    id: std::ops::Range<usize>,
    unknown_tags: Vec<std::ops::Range<usize>>,
    second_stories: Vec<std::ops::Range<usize>>,
}

impl Task {
    fn parse(rest: &str) -> Option<Task> {
        let (id, word_end) = crate::docs::tasks::id_word(rest);
        let b = rest[id.clone()].as_bytes();
        let looks_like_id = matches!(b.first(), Some(b'T' | b't'))
            && (b.get(1).is_some_and(u8::is_ascii_digit)
                || (b.get(1) == Some(&b'-') && b.get(2).is_some_and(u8::is_ascii_digit)));
        if !looks_like_id {
            return None;
        }
        let mut unknown_tags = Vec::new();
        let mut stories = Vec::new();
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
            let range = tag_start..tag_start + close + 1;
            if !is_known_tag(tag) && MISTYPED_TAG.is_match(tag) {
                unknown_tags.push(range);
            } else if tag != "P" && is_known_tag(tag) {
                stories.push(range);
            }
            pos = tag_start + close + 1;
        }
        Some(Task {
            id,
            unknown_tags,
            second_stories: stories.split_off(stories.len().min(1)),
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

## Dependencies

- T003 after T001, T002
- **T1000a** after T004
- Phase 2 after Phase 1
";
        assert_eq!(found(text), Vec::new());
    }

    #[test]
    fn a_dependency_on_a_task_the_list_lacks() {
        let f = found(
            "- [ ] T001 a\n- [ ] T002 b\n\n## Dependencies\n\n- T002 after T001, T009, T009\n- T012 after T002\n",
        );
        assert_eq!(
            f.iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(),
            [(6, "T009"), (7, "T012")]
        );
        assert!(f[0].2.contains("names T009, which no task"), "{}", f[0].2);
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
                    "task ID T002 is out of order: it sits between T003 and T004".to_string()
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
    fn the_outlier_is_out_of_order_not_the_task_after_it() {
        let f = found(
            "- [ ] T044 a\n- [ ] T123 b\n- [ ] T045 c\n- [ ] T046 d\n- [ ] T036 e\n- [ ] T047 f\n",
        );
        assert_eq!(
            f.iter().map(|f| (f.0, f.2.as_str())).collect::<Vec<_>>(),
            [
                (
                    2,
                    "task ID T123 is out of order: it sits between T044 and T045"
                ),
                (
                    5,
                    "task ID T036 is out of order: it sits between T046 and T047"
                ),
            ]
        );
    }

    #[test]
    fn a_block_moved_as_one_is_one_finding() {
        let f = found(
            "- [ ] T001 a\n- [ ] T002 b\n- [ ] T006 f\n- [ ] T007 g\n- [ ] T003 c\n- [ ] T004 d\n- [ ] T005 e\n",
        );
        assert_eq!(
            f.iter().map(|f| (f.0, f.2.as_str())).collect::<Vec<_>>(),
            [(
                3,
                "task IDs T006 to T007 are out of order: they sit between T002 and T003"
            )]
        );
    }

    #[test]
    fn inserted_tasks_other_states_and_references() {
        let text = "\
- [x] T001 a
- [~] T001A inserted, upper-case suffix, in progress
- [-] T001b dropped
- [→] T002 moved
- [ ] T003 c
## Validation Checklist
- [ ] Verify the tasks
  - [x] T002 moved and checked
  - [ ] T003 still open
- [✅] T002 again, at the top level: a duplicate
";
        let f = found(text);
        assert_eq!(
            f.iter().map(|f| (f.0, f.2.as_str())).collect::<Vec<_>>(),
            [(10, "duplicate task ID T002 (first used on line 4)")]
        );
    }

    #[test]
    fn a_list_numbered_its_own_way_is_judged_by_its_own_way() {
        assert!(found("- [ ] T-001 a\n- [ ] T-002 b\n- [ ] T-010 c\n").is_empty());
        assert!(found("- [ ] T1 a\n- [ ] T2 b\n- [ ] T10 c\n").is_empty());
        let f = found("- [ ] T-001 a\n- [ ] T-002 b\n- [ ] T003 c\n- [ ] T-002 d\n");
        assert_eq!(
            f.iter().map(|f| (f.0, f.2.as_str())).collect::<Vec<_>>(),
            [
                (
                    3,
                    "task ID `T003` does not follow this list's numbering, e.g. T-001"
                ),
                (4, "duplicate task ID T-002 (first used on line 2)"),
            ]
        );
    }

    #[test]
    fn order_scales_to_large_lists() {
        let mut text = String::new();
        for i in (1..=20_000).rev() {
            text.push_str(&format!("- [ ] T{i:05} a\n"));
        }
        // Descending: one task keeps its place, every other is out of order, in linear time.
        assert_eq!(found(&text).len(), 19_999);
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
    fn a_second_scenario_tag() {
        let f = found(
            "- [ ] T001 [US1] [P] [Setup] [US2] [US3] two stories in y/\n- [ ] T002 [US1] one\n",
        );
        let tags: Vec<&str> = f.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(tags, ["[US2]", "[US3]"]);
        assert!(
            f[0].2.starts_with("second scenario tag [US2] in task T001"),
            "{}",
            f[0].2
        );
    }

    #[test]
    fn only_tasks_files() {
        let doc = "- [ ] T1 a\n";
        assert!(run(&TaskFormat, Some(Kind::Plan), doc).is_empty());
        assert!(run(&TaskFormat, None, doc).is_empty());
    }
}

//! `tasks.md` as written (and edited): its task lines and the plan fingerprint it records.

use super::fingerprint::{self, Recorded};
use crate::markdown::{Check, Document};

/// One task line: `- [ ] T001 [P] [US1] Description in path (IR-001, IR-003)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    /// `T001`.
    pub id: String,
    pub done: bool,
    /// Its checkbox: `[ ]`, `[x]`, or another state (`[~]`, `[-]`…) that is neither done nor
    /// still to do, such as a task dropped or moved.
    pub state: Check,
    /// The requirement IDs of its trailing parentheses.
    pub requirements: Vec<String>,
    /// Every requirement ID the task names, wherever it stands (other tools write "Implement
    /// FR-004 validation"), on its line and on the indented lines it wraps onto, with ranges
    /// (`FR-001 through FR-005`) expanded.
    pub mentions: Vec<String>,
    pub line: usize,
    /// Byte offset of its checkbox's `[` in the parsed text.
    pub checkbox: usize,
    /// The text after the ID (tags, description, path and IDs), on one line.
    pub text: String,
    /// `[P]` after the ID.
    pub parallel: bool,
    /// `US2` of a `[US2]` tag after the ID.
    pub story: Option<String>,
    /// The file or folder it works in, where the line says so unambiguously: the one path-like
    /// token after its last ` in ` (`… in modules/tenant-quota/ (IR-003)`, `… in
    /// src/models/user.py`).
    pub path: Option<String>,
    /// Index into [`Tasks::phases`] of the phase it is listed under.
    pub phase: Option<usize>,
}

/// A `Phase …` heading of a task list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskPhase {
    pub title: String,
    pub line: usize,
}

/// What specops reads back out of a task list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tasks {
    pub tasks: Vec<TaskLine>,
    /// `<!-- specops:fingerprint plan=… -->`, if present.
    pub fingerprint: Option<Recorded>,
    /// `<!-- specops:fingerprint spec IR-001=… -->`: the spec's requirements when the tasks were
    /// derived, if recorded.
    pub spec_fingerprint: Option<Recorded>,
    /// Headings (level 2 or deeper) starting with `Phase`, in order.
    pub phases: Vec<TaskPhase>,
    /// Explicit dependencies from the Dependencies section: `T010, T011 after T009` makes T010
    /// and T011 wait for T009. Task IDs, in order of appearance.
    pub after: Vec<(String, Vec<String>)>,
}

/// The first word of a task item, where a task ID stands: the byte range of the ID in it
/// (without the emphasis or punctuation around it: `**T001**`, `_T001_`, `T001:`) and the
/// offset where the text after the word starts. SO005 reads task lines with it too, so a line
/// it judges is a line every command finds.
pub(crate) fn id_word(text: &str) -> (std::ops::Range<usize>, usize) {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let word = &text[..end];
    let lead = word.len() - word.trim_start_matches(['*', '_']).len();
    let core = word[lead..].trim_end_matches(['*', '_', ':', '.', ',']);
    (lead..lead + core.len(), end)
}

/// The task ID a task item starts with: `T`, digits, and the suffix of a task inserted later
/// (one letter, or `.` and digits), ending at a word boundary: `T001`, `T019a`, `T019A`,
/// `T008.1`; not `T01x9`. Another tool's `T-001` is an ID too.
fn task_id(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let dash = usize::from(text.starts_with("T-"));
    let digits = text
        .strip_prefix('T')?
        .get(dash..)?
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let mut end = 1 + dash + digits;
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    if b.get(end).is_some_and(u8::is_ascii_alphabetic) && !word(end + 1) {
        end += 1;
    } else if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1 + b[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    }
    let boundary = text
        .as_bytes()
        .get(end)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    (digits > 0 && boundary).then(|| &text[..end])
}

/// The requirement IDs of a task's trailing parentheses: `… in path (IR-001, SC-002)`.
fn trailing_ids(text: &str) -> Vec<String> {
    trailing_list(text).map_or_else(Vec::new, |ids| {
        ids.split(',').map(|id| id.trim().to_string()).collect()
    })
}

/// The inside of a task's trailing parentheses when it is a list of requirement IDs.
fn trailing_list(text: &str) -> Option<&str> {
    let inner = text.trim_end().strip_suffix(')')?;
    let ids = &inner[inner.rfind('(')? + 1..];
    ids.split(',')
        .all(|id| super::is_id(id.trim()))
        .then_some(ids)
}

/// `[P]` and `[USn]` tags at the start of `rest` (the text after the ID), and the text after
/// them. A task belongs to one scenario: the first `[USn]` is its story, and a second one is
/// left in the text (SO005 reports it), never dropped.
fn tags(rest: &str) -> (bool, Option<String>, &str) {
    let mut parallel = false;
    let mut story = None;
    let mut rest = rest.trim_start_matches([':', ' ']).trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("[P]") {
            parallel = true;
            rest = r.trim_start();
        } else if let Some(inner) = rest.strip_prefix('[').and_then(|r| {
            let end = r.find(']')?;
            let tag = &r[..end];
            (story.is_none()
                && tag.len() > 2
                && tag.starts_with("US")
                && tag[2..].bytes().all(|b| b.is_ascii_digit()))
            .then(|| (tag, &r[end + 1..]))
        }) {
            story = Some(inner.0.to_string());
            rest = inner.1.trim_start();
        } else {
            return (parallel, story, rest);
        }
    }
}

/// The path a task works in: the single path-like token after the last ` in ` of its text
/// (trailing requirement IDs left out), without backticks or closing punctuation. A token is
/// path-like when it holds a `/` or a `.` between other characters and is not a URL.
fn task_path(text: &str) -> Option<String> {
    let mut t = text.trim_end();
    if trailing_list(t).is_some() {
        t = t[..t.rfind('(')?].trim_end();
    }
    let at = t.rfind(" in ")?;
    let token = t[at + 4..].trim().trim_end_matches(['.', ',', ';', ':']);
    let token = token.trim_matches('`');
    if token.is_empty() || token.contains(char::is_whitespace) || token.contains("://") {
        return None;
    }
    let inner_dot = token
        .trim_start_matches('.')
        .trim_end_matches('.')
        .contains('.');
    (token.contains('/') || inner_dot || token.starts_with('.')).then(|| token.to_string())
}

/// One line of the Dependencies section: `- T010, T011 after T009`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyLine {
    /// 1-based.
    pub line: usize,
    pub waiting: Vec<String>,
    pub waited: Vec<String>,
}

/// The dependency lines of the list's Dependencies section (a level-2 or deeper heading
/// starting with `Dependencies`), in order.
pub fn dependency_lines(doc: &Document) -> Vec<DependencyLine> {
    let Some(hi) = doc
        .find_heading(|level, t| level >= 2 && t.trim().to_lowercase().starts_with("dependencies"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for it in doc.items_in(doc.section(hi)) {
        // An item may hold several clauses: `T012 after T001; T014 after T009 + T015.`
        let text = doc.item_text(it);
        for clause in text.split([';', '\n']).flat_map(|c| c.split(". ")) {
            if let Some((waiting, waited)) = dependency_line(clause) {
                out.push(DependencyLine {
                    line: it.line + 1,
                    waiting,
                    waited,
                });
            }
        }
    }
    out
}

/// `T010, T011 after T009, T008` as (waiting, waited for).
fn dependency_line(text: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (before, after) = text.split_once(" after ")?;
    // IDs are separated by anything but letters, digits and the `.` of `T008.1`:
    // `T005, T006`, `T005/T006`, `T009 + T015`, `**T010**`.
    let ids = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .map(|w| w.trim_matches('.'))
            .filter_map(task_id)
            .map(str::to_string)
            .collect()
    };
    let (waiting, waited) = (ids(before), ids(after));
    (!waiting.is_empty() && !waited.is_empty()).then_some((waiting, waited))
}

impl Tasks {
    /// Read a parsed task list. Every task item whose text starts with a task ID is a task
    /// line, whatever its checkbox state; only `[x]` is done. A nested item naming a task
    /// listed before it (a verification list repeating `T023`) refers to that task and is not
    /// a task line of its own.
    pub fn parse(doc: &Document) -> Self {
        let mut seen = std::collections::HashSet::new();
        let mut budget = super::MAX_WRITTEN_OUT;
        let tasks = doc
            .items
            .iter()
            .enumerate()
            .filter_map(|(n, it)| {
                let check = it.check()?;
                let text = doc.item_text(it);
                let text = text.trim();
                let (word, after) = id_word(text);
                let id = task_id(&text[word])
                    .filter(|id| !id.is_empty())?
                    .to_string();
                if !seen.insert(id.clone()) && it.depth > 0 {
                    return None;
                }
                let mut mentions = super::ids_and_ranges_in(text, &mut budget);
                // A task wraps onto the indented lines below it, up to the next item.
                let next_item = doc
                    .items
                    .get(n + 1)
                    .map_or(doc.lines.len(), |next| next.line);
                for l in it.line + 1..next_item {
                    let prose = doc.prose(l);
                    if !doc.is_text(l) || !prose.starts_with([' ', '\t']) {
                        break;
                    }
                    mentions.extend(super::ids_and_ranges_in(&prose, &mut budget));
                }
                let (parallel, story, rest) = tags(&text[after..]);
                Some(TaskLine {
                    done: check == Check::Done,
                    state: check,
                    requirements: trailing_ids(text),
                    mentions,
                    line: it.line + 1,
                    checkbox: it.checkbox.map_or(0, |(at, _)| at),
                    text: rest.to_string(),
                    parallel,
                    story,
                    path: task_path(rest),
                    phase: None,
                    id,
                })
            })
            .collect();
        let mut out = Self {
            tasks,
            fingerprint: fingerprint::read_lines(doc, "plan"),
            spec_fingerprint: fingerprint::read_lines(doc, "spec"),
            phases: Vec::new(),
            after: Vec::new(),
        };
        for h in doc.headings.iter().filter(|h| h.level >= 2) {
            let title = doc.title(h);
            if title
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("phase"))
            {
                out.phases.push(TaskPhase {
                    title: title.to_string(),
                    line: h.line + 1,
                });
            }
        }
        for t in &mut out.tasks {
            t.phase = out.phases.iter().rposition(|p| p.line < t.line);
        }
        for d in dependency_lines(doc) {
            for w in d.waiting {
                out.after.push((w, d.waited.clone()));
            }
        }
        out
    }
}

impl Tasks {
    /// The tasks that can start now, in order: unticked tasks of the first phase that still has
    /// one, whose explicit dependencies (Dependencies section) are all ticked. A phase waits for
    /// every earlier phase, as the derived list's Dependencies say; a task in another checkbox
    /// state (`[-]` dropped, `[~]`) counts as settled and is never ready.
    pub fn ready(&self) -> Vec<&TaskLine> {
        self.open_in_first_phase()
            .into_iter()
            .filter(|(_, waits)| waits.is_empty())
            .map(|(t, _)| t)
            .collect()
    }

    /// The unticked tasks of the first phase that still has one, each with the tasks it waits
    /// for that are not settled yet (empty for a task that can start). When every one waits,
    /// the list cannot go on as written: a dependency cycle, or a wait on a task that never
    /// settles.
    pub fn open_in_first_phase(&self) -> Vec<(&TaskLine, Vec<&str>)> {
        let open = |t: &&TaskLine| t.state == Check::Open;
        let Some(first) = self.tasks.iter().find(open) else {
            return Vec::new();
        };
        // Maps, so that a list of fifty thousand tasks and dependencies stays linear.
        let mut unsettled: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for t in self.tasks.iter().filter(open) {
            unsettled.insert(t.id.as_str());
        }
        let mut waits_for: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for (waiting, waited) in &self.after {
            waits_for
                .entry(waiting.as_str())
                .or_default()
                .extend(waited.iter().map(String::as_str));
        }
        self.tasks
            .iter()
            .filter(open)
            .filter(|t| t.phase == first.phase)
            .map(|t| {
                let mut waits: Vec<&str> = waits_for
                    .get(t.id.as_str())
                    .map(|w| {
                        w.iter()
                            .copied()
                            .filter(|w| unsettled.contains(w))
                            .collect()
                    })
                    .unwrap_or_default();
                waits.dedup();
                (t, waits)
            })
            .collect()
    }

    /// Tasks ticked, and tasks that are done or still to do (other states left out).
    pub fn progress(&self) -> (usize, usize) {
        let (done, total) = self.tasks.iter().fold((0, 0), |(d, n), t| {
            (
                d + usize::from(t.done),
                n + usize::from(t.state == Check::Open || t.done),
            )
        });
        (done, total)
    }
}

/// Why [`tick`] refused: nothing is written unless every ID names one open task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TickRefused {
    /// IDs no task line has.
    pub unknown: Vec<String>,
    /// IDs of tasks already ticked.
    pub already: Vec<String>,
    /// IDs of tasks in another state (`[-]`, `[~]`).
    pub other: Vec<String>,
    /// IDs more than one task line has.
    pub ambiguous: Vec<String>,
}

/// `text`, a task list, with the checkboxes of the tasks `ids` ticked (`[ ]` → `[x]`) and no
/// other byte changed; refused, with the reasons, unless every ID names exactly one task that
/// is still open.
pub fn tick(text: &str, ids: &[String]) -> Result<String, TickRefused> {
    let doc = Document::parse(text);
    let tasks = Tasks::parse(&doc);
    // The parse drops a byte-order mark; offsets are into what is left.
    let shift = text.len() - doc.text.len();
    let mut refused = TickRefused::default();
    let mut at: Vec<usize> = Vec::new();
    for id in ids {
        let matching: Vec<&TaskLine> = tasks.tasks.iter().filter(|t| t.id == *id).collect();
        match matching.as_slice() {
            [] => refused.unknown.push(id.clone()),
            [t] if t.done => refused.already.push(id.clone()),
            [t] if t.state != Check::Open => refused.other.push(id.clone()),
            [t] => at.push(shift + t.checkbox + 1),
            _ => refused.ambiguous.push(id.clone()),
        }
    }
    if refused != TickRefused::default() {
        return Err(refused);
    }
    let mut out = text.as_bytes().to_vec();
    for i in at {
        out[i] = b'x';
    }
    // Only an ASCII space was replaced by an ASCII letter.
    Ok(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    #[test]
    fn the_first_scenario_tag_is_the_story_and_a_second_stays_in_the_text() {
        let t = Tasks::parse(&Document::parse(
            "## Phase 1: A\n- [ ] T001 [US1] [P] [US2] two stories in y/\n",
        ));
        let task = &t.tasks[0];
        assert_eq!(task.story.as_deref(), Some("US1"));
        assert!(task.parallel);
        assert_eq!(task.text, "[US2] two stories in y/");
    }

    #[test]
    fn wrapped_lines_and_ranges_name_requirements() {
        let t = Tasks::parse(&Document::parse(
            "- [ ] T001 Build the module\n  serving FR-004 and FR-006 through FR-008\n- [ ] T002 b (FR-009)\n\nFR-010 in a paragraph\n",
        ));
        assert_eq!(
            t.tasks[0].mentions,
            ["FR-004", "FR-006", "FR-007", "FR-008"]
        );
        assert_eq!(t.tasks[1].mentions, ["FR-009"]);
    }

    #[test]
    fn nested_references_are_not_tasks() {
        let t = Tasks::parse(&Document::parse(
            "- [x] T001 a\n- [ ] T002 b\n## Validation Checklist\n- [ ] Check\n  - [x] T001 a, verified\n  - [ ] T003 new\n",
        ));
        let ids: Vec<&str> = t.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["T001", "T002", "T003"]);
    }

    #[test]
    fn tags_paths_phases_and_dependencies() {
        let doc = "\
# Tasks
- [ ] T000 before any phase in README.md
## Phase 1: Setup
- [x] T001 [P] Create layout in README.md (IR-001)
- [ ] T002 [P] [US2] Build the quota module: typed inputs in modules/tenant-quota/ (IR-003, NFR-002)
## Phase 2: Scenario
- [ ] T003 [US1] Create User model in `src/models/user.py`.
- [ ] T004 Run the checks in parallel
- [ ] T005 Document it in the README and the wiki
- [ ] T006 Fetch from https://example.com/x
- [ ] T007: Pin versions in .tool-versions
## Dependencies
- T003, T004 after T001, T002
- Phase 2 waits for Phase 1.
- T005 after T004
<!-- specops:fingerprint plan=0123 -->
<!-- specops:fingerprint spec IR-001=1a2b3c4d -->
";
        let t = Tasks::parse(&Document::parse(doc));
        type Row<'a> = (
            &'a str,
            bool,
            Option<&'a str>,
            Option<&'a str>,
            Option<usize>,
        );
        let got: Vec<Row> = t
            .tasks
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    t.parallel,
                    t.story.as_deref(),
                    t.path.as_deref(),
                    t.phase,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("T000", false, None, Some("README.md"), None),
                ("T001", true, None, Some("README.md"), Some(0)),
                (
                    "T002",
                    true,
                    Some("US2"),
                    Some("modules/tenant-quota/"),
                    Some(0)
                ),
                (
                    "T003",
                    false,
                    Some("US1"),
                    Some("src/models/user.py"),
                    Some(1)
                ),
                ("T004", false, None, None, Some(1)),
                ("T005", false, None, None, Some(1)),
                ("T006", false, None, None, Some(1)),
                ("T007", false, None, Some(".tool-versions"), Some(1)),
            ]
        );
        assert_eq!(
            t.tasks[2].text,
            "Build the quota module: typed inputs in modules/tenant-quota/ (IR-003, NFR-002)"
        );
        assert_eq!(&doc[t.tasks[1].checkbox..t.tasks[1].checkbox + 3], "[x]");
        let titles: Vec<&str> = t.phases.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Phase 1: Setup", "Phase 2: Scenario"]);
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            t.after,
            [
                ("T003".to_string(), s(&["T001", "T002"])),
                ("T004".to_string(), s(&["T001", "T002"])),
                ("T005".to_string(), s(&["T004"])),
            ]
        );
        assert_eq!(t.spec_fingerprint.unwrap().entries.len(), 1);
        assert!(t.fingerprint.unwrap().entries.contains_key("plan"));
    }

    const LIST: &str = "\u{feff}# Tasks
## Phase 1: Setup
- [x] T001 [P] Layout in README.md
- [ ] T002 [P] Pin in .tool-versions
## Phase 2: Scenario 1
- [ ] T003 [P] [US1] Checks in tests/a/ (IR-001)
- [ ] T004 [US1] Module in modules/a/ (IR-001)
- [-] T005 [US1] Dropped in x/
- [ ] T006 [US1] Compose in environments/ (IR-001)
## Dependencies
- T004 after T003
- T006 after T004, T005
";

    #[test]
    fn ready_follows_phases_and_dependencies() {
        let ids = |t: &Tasks| t.ready().iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        let t = Tasks::parse(&Document::parse(LIST));
        assert_eq!(ids(&t), ["T002"]);
        assert_eq!(t.progress(), (1, 5));
        let text = tick(LIST, &["T002".into()]).unwrap();
        let t = Tasks::parse(&Document::parse(&text));
        assert_eq!(ids(&t), ["T003"]);
        let text = tick(&text, &["T003".into()]).unwrap();
        assert_eq!(ids(&Tasks::parse(&Document::parse(&text))), ["T004"]);
        let text = tick(&text, &["T004".into(), "T006".into()]).unwrap();
        let t = Tasks::parse(&Document::parse(&text));
        assert!(t.ready().is_empty() && t.open_in_first_phase().is_empty());
        assert_eq!(t.progress(), (5, 5));
        // An item of several clauses is several dependencies; IDs may be joined by `/` or `+`.
        let prose = "- [ ] T001 a\n- [ ] T002 b\n- [ ] T003 c\n- [ ] T004 d\n## Dependencies\n- **Phase 2**: T002/T003 after T001 (the client); T004 anytime after Phase 1; T004 after T002 + T003.\n";
        let t = Tasks::parse(&Document::parse(prose));
        assert_eq!(
            t.after,
            [
                ("T002".to_string(), vec!["T001".to_string()]),
                ("T003".to_string(), vec!["T001".to_string()]),
                (
                    "T004".to_string(),
                    vec!["T002".to_string(), "T003".to_string()]
                ),
            ]
        );
        // A cycle: nothing can start, and each open task says what it waits for.
        let cycle = "## Phase 1\n- [ ] T001 a\n- [ ] T002 b\n## Dependencies\n- T001 after T002\n- T002 after T001\n";
        let t = Tasks::parse(&Document::parse(cycle));
        assert!(t.ready().is_empty());
        let waits: Vec<(&str, Vec<&str>)> = t
            .open_in_first_phase()
            .into_iter()
            .map(|(t, w)| (t.id.as_str(), w))
            .collect();
        assert_eq!(waits, [("T001", vec!["T002"]), ("T002", vec!["T001"])]);
    }

    #[test]
    fn tick_changes_one_byte_per_task_or_nothing() {
        let text = tick(LIST, &["T003".into(), "T002".into()]).unwrap();
        assert_eq!(text.len(), LIST.len());
        let changed: Vec<usize> = LIST
            .bytes()
            .zip(text.bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(changed.len(), 2);
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("- [x] T002 [P] Pin") && text.contains("- [x] T003 [P] [US1]"));
        let refused = tick(
            LIST,
            &["T001".into(), "T009".into(), "T005".into(), "T002".into()],
        );
        assert_eq!(
            refused,
            Err(TickRefused {
                unknown: vec!["T009".into()],
                already: vec!["T001".into()],
                other: vec!["T005".into()],
                ambiguous: vec![],
            })
        );
        let twice = "- [ ] T001 a\n- [ ] T001 b\n";
        assert_eq!(
            tick(twice, &["T001".into()]).unwrap_err().ambiguous,
            ["T001"]
        );
        let crlf = LIST.replace('\n', "\r\n");
        assert_eq!(
            tick(&crlf, &["T002".into()]).unwrap(),
            crlf.replacen("- [ ] T002", "- [x] T002", 1)
        );
    }

    #[test]
    fn task_lines() {
        let doc = "\
- [ ] T001 Create layout in README.md (IR-001, NFR-002)
- [x] T002 [P] [US1] Write test in tests/a/ (IR-003)
- [ ] T003 No requirements in x
- [ ] Not a task id
- [ ] T004 Parenthesis (not ids) in y
```
- [ ] T099 in code (IR-009)
```
<!-- specops:fingerprint plan=0123456789abcdef -->
";
        let t = Tasks::parse(&Document::parse(doc));
        let got: Vec<(&str, bool, Vec<String>, usize)> = t
            .tasks
            .iter()
            .map(|t| (t.id.as_str(), t.done, t.requirements.clone(), t.line))
            .collect();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                ("T001", false, s(&["IR-001", "NFR-002"]), 1),
                ("T002", true, s(&["IR-003"]), 2),
                ("T003", false, vec![], 3),
                ("T004", false, vec![], 5),
            ]
        );
        assert_eq!(t.fingerprint.unwrap().line, 9);
        assert_eq!(t.tasks[0].mentions, ["IR-001", "NFR-002"]);
        let other = Tasks::parse(&Document::parse(
            "- [ ] T001 Implement FR-004 validation per UTF-8 rules\n",
        ));
        assert_eq!(other.tasks[0].mentions, ["FR-004", "UTF-8"]);
        // Bold IDs and another tool's dashed IDs are tasks too, as SO005 reads them.
        let styled = Tasks::parse(&Document::parse(
            "- [ ] **T001**: Bold in a/ (IR-001)\n- [x] T-002 [P] Dashed\n- [ ] _T003_ Underlined\n",
        ));
        let read: Vec<(&str, &str, bool)> = styled
            .tasks
            .iter()
            .map(|t| (t.id.as_str(), t.text.as_str(), t.parallel))
            .collect();
        assert_eq!(
            read,
            [
                ("T001", "Bold in a/ (IR-001)", false),
                ("T-002", "Dashed", true),
                ("T003", "Underlined", false)
            ]
        );
        assert!(other.tasks[0].requirements.is_empty());
        for (line, id) in [
            ("T001 a", Some("T001")),
            ("T12", Some("T12")),
            ("T019a inserted", Some("T019a")),
            ("T019A inserted", Some("T019A")),
            ("T008.1 sub-task", Some("T008.1")),
            ("T008. end", Some("T008")),
            ("T01x9", None),
            ("T001ab", None),
            ("T001_x", None),
            ("T001: done", Some("T001")),
            ("T-001 dashed", Some("T-001")),
            ("T-x", None),
            ("Tx", None),
            ("T", None),
        ] {
            assert_eq!(task_id(line), id, "{line}");
        }
        for (line, ids) in [
            ("a in x (IR-001, SC-002)  ", vec!["IR-001", "SC-002"]),
            ("a (see b) in x (IR-001)", vec!["IR-001"]),
            ("a in x (IR-001,)", vec![]),
            ("a in x ()", vec![]),
            ("a in x (not ids)", vec![]),
            ("a in x (IR-001) then", vec![]),
        ] {
            assert_eq!(trailing_ids(line), ids, "{line}");
        }
    }
}

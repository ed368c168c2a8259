//! The requirement trace of one feature (`specops trace`): for each requirement of the spec,
//! the scenarios that deliver it, its row in the plan's traceability table, the tasks that
//! serve it (ticked or not), and the files that cite it in a comment, tests among them. Pure:
//! the caller reads the documents and scans the repository.

use serde::Serialize;

use crate::docs::plan::Plan;
use crate::docs::spec::Spec;
use crate::docs::tasks::Tasks;

/// A file that cites a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FileRef {
    /// Root-relative, with `/`.
    pub path: String,
    pub line: usize,
    /// A test or policy (under tests/, policies/, or named like one).
    pub test: bool,
}

/// A task that serves a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaskRef {
    pub id: String,
    pub done: bool,
}

/// The plan's traceability row of a requirement: its cells after the ID and summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PlanRow {
    pub line: usize,
    /// The row's cells after the requirement ID, with their headers.
    pub cells: Vec<(String, String)>,
}

/// One requirement's trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Row {
    pub id: String,
    pub text: String,
    pub withdrawn: bool,
    /// Numbers of the scenarios whose Requirements line (or text) names it.
    pub scenarios: Vec<u32>,
    pub plan: Option<PlanRow>,
    pub tasks: Vec<TaskRef>,
    pub files: Vec<FileRef>,
    /// At least one task serves it.
    pub traced: bool,
    /// At least one file that is not a test cites it.
    pub implemented: bool,
    /// At least one test or policy cites it.
    pub validated: bool,
}

/// Counts over the active requirements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Totals {
    pub requirements: usize,
    pub traced: usize,
    pub implemented: usize,
    pub validated: usize,
}

/// The trace of a feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Trace {
    pub rows: Vec<Row>,
    pub totals: Totals,
}

/// Build the trace. `cites(id)` gives the files that cite the feature's requirement `id`.
pub(crate) fn trace(
    spec: &Spec,
    plan: Option<&Plan>,
    tasks: Option<&Tasks>,
    cites: &dyn Fn(&str) -> Vec<FileRef>,
) -> Trace {
    let mut rows = Vec::with_capacity(spec.requirements.len());
    let mut totals = Totals::default();
    for r in &spec.requirements {
        let scenarios: Vec<u32> = spec
            .by_priority()
            .iter()
            .filter(|s| s.links.contains(&r.id))
            .map(|s| s.number)
            .collect();
        let plan_row = plan.and_then(|p| {
            let table = p.traceability_table.as_ref()?;
            let row = p.traceability.iter().find(|row| row.first == r.id)?;
            let cells = row
                .cells
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| (table.header.get(i).cloned().unwrap_or_default(), c.clone()))
                .collect();
            Some(PlanRow {
                line: row.line,
                cells,
            })
        });
        let task_refs: Vec<TaskRef> = tasks
            .map(|t| {
                t.tasks
                    .iter()
                    .filter(|t| t.requirements.contains(&r.id) || t.mentions.contains(&r.id))
                    .map(|t| TaskRef {
                        id: t.id.clone(),
                        done: t.done,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let files = if r.withdrawn {
            Vec::new()
        } else {
            cites(&r.id)
        };
        let row = Row {
            traced: !task_refs.is_empty(),
            implemented: files.iter().any(|f| !f.test),
            validated: files.iter().any(|f| f.test),
            id: r.id.clone(),
            text: r.text.split_whitespace().collect::<Vec<_>>().join(" "),
            withdrawn: r.withdrawn,
            scenarios,
            plan: plan_row,
            tasks: task_refs,
            files,
        };
        if !row.withdrawn {
            totals.requirements += 1;
            totals.traced += usize::from(row.traced);
            totals.implemented += usize::from(row.implemented);
            totals.validated += usize::from(row.validated);
        }
        rows.push(row);
    }
    Trace { rows, totals }
}

/// The trace as a Markdown table, ready to paste into a pull request. Cell text is escaped so
/// that a `|` or a line break in a requirement cannot break the table.
pub(crate) fn markdown(feature: &str, t: &Trace) -> String {
    // One line, `|` escaped for the table, and `&`, `<`, `>` as entities so that text from the
    // documents (`<!--`, `<script>`) cannot hide rows or run in a pull request's page.
    let cell = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\\', "\\\\")
            .replace('|', "\\|")
    };
    let mut out = format!("### Requirement trace: {}\n\n", cell(feature));
    out.push_str(
        "| Requirement | Scenarios | Plan element | Tasks | Implemented in | Validated by |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
    let mut left_out = 0;
    for r in &t.rows {
        if r.withdrawn {
            continue;
        }
        // A pull-request comment holds 65,536 characters; the totals must fit after the rows.
        if out.len() > MAX_MARKDOWN {
            left_out += 1;
            continue;
        }
        let scenarios: Vec<String> = r.scenarios.iter().map(|n| format!("US{n}")).collect();
        let element = r
            .plan
            .as_ref()
            .and_then(|p| {
                p.cells
                    .iter()
                    .find(|(h, _)| {
                        let h = h.to_lowercase();
                        h.contains("plan") || h.contains("element") || h.contains("module")
                    })
                    .map(|(_, c)| c.clone())
            })
            .unwrap_or_else(|| "—".into());
        let tasks: Vec<String> = r
            .tasks
            .iter()
            .map(|t| format!("{}{}", t.id, if t.done { " ✓" } else { "" }))
            .collect();
        let files = |test: bool| -> String {
            let all: Vec<&FileRef> = r.files.iter().filter(|f| f.test == test).collect();
            let mut list: Vec<String> = all
                .iter()
                .take(MAX_FILES_PER_CELL)
                .map(|f| code(&format!("{}:{}", f.path, f.line)))
                .collect();
            if all.len() > MAX_FILES_PER_CELL {
                list.push(format!("and {} more", all.len() - MAX_FILES_PER_CELL));
            }
            if list.is_empty() {
                "—".into()
            } else {
                list.join(", ")
            }
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&r.id),
            or_dash(&scenarios.join(", ")),
            cell(&element),
            or_dash(&tasks.join(", ")),
            cell(&files(false)),
            cell(&files(true)),
        ));
    }
    if left_out > 0 {
        out.push_str(&format!(
            "\n{left_out} more requirements left out to fit a pull-request comment; `specops trace --json` lists them all.\n"
        ));
    }
    let n = t.totals;
    out.push_str(&format!(
        "\n**{} requirements: {} traced to tasks, {} implemented, {} validated.**\n",
        n.requirements, n.traced, n.implemented, n.validated
    ));
    out
}

/// How long the Markdown table may grow before the remaining rows are left out.
const MAX_MARKDOWN: usize = 60_000;

/// How many citing files a cell of the Markdown table names; the JSON output has them all.
const MAX_FILES_PER_CELL: usize = 10;

/// `text` as a code span: fenced with one more backtick than the longest run inside it, padded
/// with spaces when it starts or ends with one.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    #[test]
    fn rows_and_totals() {
        let spec = Spec::parse(&Document::parse(
            "### Scenario 1: Failover (Priority: P1)\n**Requirements**: IR-001, IR-002\n### Scenario 2: Restore (Priority: P2)\n**Requirements**: IR-002\n## Requirements\n- **IR-001**: Replicate | across regions.\n- **IR-002**: Restore.\n- **IR-003**: ~~Old~~ Withdrawn.\n- **IR-004**: Audit.\n",
        ));
        let plan = Plan::parse(&Document::parse(
            "## Requirement Traceability\n| Requirement | Summary | Plan element | Validation |\n|---|---|---|---|\n| IR-001 | x | modules/db | tests/db |\n",
        ));
        let tasks = Tasks::parse(&Document::parse(
            "- [x] T001 a in modules/db/ (IR-001)\n- [ ] T002 b in tests/db/ (IR-001, IR-002)\n",
        ));
        let cites = |id: &str| -> Vec<FileRef> {
            match id {
                "IR-001" => vec![
                    FileRef {
                        path: "modules/db/main.tf".into(),
                        line: 1,
                        test: false,
                    },
                    FileRef {
                        path: "tests/db_test.go".into(),
                        line: 3,
                        test: true,
                    },
                ],
                "IR-002" => vec![FileRef {
                    path: "modules/db/backup.tf".into(),
                    line: 2,
                    test: false,
                }],
                _ => vec![],
            }
        };
        let t = trace(&spec, Some(&plan), Some(&tasks), &cites);
        assert_eq!(
            t.totals,
            Totals {
                requirements: 3,
                traced: 2,
                implemented: 2,
                validated: 1
            }
        );
        let r = &t.rows[0];
        assert_eq!((r.scenarios.as_slice(), r.tasks.len()), (&[1][..], 2));
        assert_eq!(
            r.plan.as_ref().unwrap().cells[1],
            ("Plan element".to_string(), "modules/db".to_string())
        );
        assert_eq!(t.rows[1].scenarios, [1, 2]);
        assert!(t.rows[2].withdrawn && t.rows[2].files.is_empty());
        let md = markdown("003-dr", &t);
        assert!(md.contains("| IR-001 | US1 | modules/db | T001 ✓, T002 | `modules/db/main.tf:1` | `tests/db_test.go:3` |"), "{md}");
        assert!(md.contains("| IR-004 | — | — | — | — | — |"), "{md}");
        assert!(!md.contains("IR-003"));
        assert!(
            md.ends_with("**3 requirements: 2 traced to tasks, 2 implemented, 1 validated.**\n")
        );
    }
}

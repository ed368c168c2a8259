//! `plan.md` as written (and edited): its gates, its Complexity Tracking rows, its
//! traceability rows and the spec fingerprint it records.

use std::sync::LazyLock;

use regex::Regex;

use super::fingerprint::{self, Recorded};
use super::{is_id, unemphasise};
use crate::markdown::{is_delimiter_row, Check, Document, LineClass};

/// One checkbox of the Constitution Check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateItem {
    /// The gate it belongs to: its bold lead (`Article VII: Simplicity`) or the heading above it
    /// (`Simplicity Gate (Article VII)`).
    pub gate: String,
    pub ticked: bool,
    /// Marked as set aside in its own text (`… - Optional for this feature`, `(N/A)`): a
    /// decision, like a justified gate.
    pub set_aside: bool,
    pub line: usize,
}

/// A row of a table whose first cell is what the row is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub first: String,
    /// Every cell's text, the first included, trimmed.
    pub cells: Vec<String>,
    pub line: usize,
}

/// The first table under a heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The line of the heading.
    pub heading: usize,
    /// The header row's cells, trimmed and unemphasised (empty when the section has no table).
    pub header: Vec<String>,
    /// The line of the header row (the heading's when there is no table).
    pub line: usize,
    /// The rows after the header and delimiter.
    pub rows: Vec<Row>,
}

/// A part of a plan with its own fingerprint: a section (the lines from one heading to the
/// next, the heading included, module items left out) or a module item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// `section:technical-context`, `module:tenant-quota`: stable, without spaces or `=`, and
    /// never `plan` or `spec`, the words that name a fingerprint comment.
    pub key: String,
    /// How a message names it: `Technical Context`, `module tenant-quota`.
    pub title: String,
    pub hash: String,
}

/// A module the plan decides, from its `## Modules` section:
/// `- **tenant-namespace** (IR-001, IR-002): what it provisions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    /// The requirement IDs the item names, in order, without repeats (ranges written out).
    pub ids: Vec<String>,
    /// What it provisions: the text after the name and the IDs.
    pub description: String,
    pub line: usize,
}

/// What specops reads back out of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub gates: Vec<GateItem>,
    /// Complexity Tracking rows (header and delimiter rows excluded).
    pub complexity: Vec<Row>,
    /// Requirement Traceability rows whose first cell is a requirement ID.
    pub traceability: Vec<Row>,
    /// The Requirement Traceability table as a whole, when the plan has that section.
    pub traceability_table: Option<Table>,
    /// The modules of `## Modules`, in order.
    pub modules: Vec<Module>,
    /// The rows of the Technical Context table (a choice in the first cell, its purpose next).
    pub technical_context: Vec<Row>,
    /// The plan cut into parts (its sections and its modules), each fingerprinted on its own,
    /// so that a task list derived from it can say which part changed.
    pub parts: Vec<Part>,
    /// `<!-- specops:fingerprint spec … -->`, if present.
    pub fingerprint: Option<Recorded>,
}

impl Plan {
    /// Read a parsed plan.
    pub fn parse(doc: &Document) -> Self {
        let traceability_table = table_under(doc, "traceability");
        let modules = modules(doc);
        Self {
            parts: parts(doc, &modules),
            gates: gates(doc),
            complexity: table_under(doc, "complexity tracking")
                .map(|t| t.rows)
                .unwrap_or_default(),
            traceability: traceability_table
                .iter()
                .flat_map(|t| &t.rows)
                .filter(|r| is_id(&r.first))
                .cloned()
                .collect(),
            traceability_table,
            modules,
            technical_context: table_under(doc, "technical context")
                .map(|t| t.rows)
                .unwrap_or_default(),
            fingerprint: fingerprint::read_lines(doc, "spec"),
        }
    }
}

impl Plan {
    /// The choices the Technical Context table decides: its rows' first cells, except an open
    /// question, a struck-through row and a choice ruled out (`Not OpenTofu`, `No Helm`).
    pub fn decided_choices(&self) -> impl Iterator<Item = &str> {
        self.technical_context
            .iter()
            .filter(|r| decided(&r.cells))
            .map(|r| r.first.as_str())
    }

    /// The fingerprint comment a task list derived from this plan records: the hash of the
    /// whole plan (`text`, its fingerprint lines left out) and of each part.
    pub fn tasks_fingerprint(&self, text: &str) -> String {
        fingerprint::plan_comment(
            &fingerprint::document_hash(text),
            self.parts.iter().map(|p| (p.key.as_str(), p.hash.as_str())),
        )
    }
}

/// `text`, a plan, with the requirement-text cell of its traceability rows for `updates` (ID
/// and the spec's current text) replaced by that text, on one line with `|` escaped; every
/// other byte kept. Also the IDs whose cell changed. The text column is the one headed
/// `Summary`, `Requirement text` or `Description`; a table without one is left alone.
pub fn with_requirement_texts(text: &str, updates: &[(&str, &str)]) -> (String, Vec<String>) {
    let doc = Document::parse(text);
    let plan = Plan::parse(&doc);
    let Some(table) = &plan.traceability_table else {
        return (text.to_string(), Vec::new());
    };
    let Some(col) = table.header.iter().enumerate().skip(1).find_map(|(i, h)| {
        let h = h.to_lowercase();
        (h.contains("summary") || h.contains("text") || h.contains("description")).then_some(i)
    }) else {
        return (text.to_string(), Vec::new());
    };
    let mut edits: Vec<(std::ops::Range<usize>, String, String)> = Vec::new();
    for row in &plan.traceability {
        let Some((_, new)) = updates.iter().find(|(id, _)| *id == row.first) else {
            continue;
        };
        let i = row.line - 1;
        let Some(cell) = doc
            .table_row(i)
            .and_then(|cells| cells.into_iter().nth(col))
        else {
            continue;
        };
        let one_line = new.split_whitespace().collect::<Vec<_>>().join(" ");
        if unemphasise(&cell.text) == one_line {
            continue;
        }
        let cell_text = one_line.replace('|', "\\|");
        // Offsets are into the parsed text, which leaves out a byte-order mark.
        let shift = text.len() - doc.text.len();
        let start = shift + doc.lines[i].start + cell.range.start;
        let end = shift + doc.lines[i].start + cell.range.end;
        edits.push((start..end, cell_text, row.first.clone()));
    }
    let mut out = text.to_string();
    let mut ids = Vec::new();
    for (range, new, id) in edits.into_iter().rev() {
        // An empty cell has an empty range between its pipes: pad it like the others.
        let new = if range.is_empty() {
            format!(" {new} ")
        } else {
            new
        };
        out.replace_range(range, &new);
        ids.push(id);
    }
    ids.reverse();
    (out, ids)
}

fn heading_index(doc: &Document, needle: &str) -> Option<usize> {
    doc.find_heading(|level, t| level >= 2 && t.to_lowercase().contains(needle))
}

/// The task items under the Constitution Check heading: ticked or not. Items in another state
/// (`[~]`, `[-]`) are neither, and are not gates.
fn gates(doc: &Document) -> Vec<GateItem> {
    let Some(hi) = heading_index(doc, "constitution check") else {
        return Vec::new();
    };
    let lines = doc.section(hi);
    let end = lines.end;
    let mut sub = doc.headings[hi + 1..]
        .iter()
        .take_while(|h| h.line < end)
        .peekable();
    let mut current = String::new();
    let mut out = Vec::new();
    for it in doc.items_in(lines) {
        while let Some(h) = sub.next_if(|h| h.line < it.line) {
            current = doc.title(h).to_string();
        }
        let ticked = match it.check() {
            Some(Check::Open) => false,
            Some(Check::Done) => true,
            _ => continue,
        };
        let text = doc.item_text(it);
        // `- [ ] [Additional gates from the constitution]`: template guidance, not a gate
        // (SO003 reports the placeholder).
        let t = text.trim();
        if super::aside::is_template_guidance(t) {
            continue;
        }
        let gate = bold_lead(t).unwrap_or_else(|| current.clone());
        out.push(GateItem {
            gate,
            ticked,
            set_aside: super::aside::is_marked_aside(&text),
            line: it.line + 1,
        });
    }
    out.extend(table_gates(doc, doc.section(hi)));
    out.sort_by_key(|g| g.line);
    out
}

/// Gates written as a table: `| Principle | Status | Notes |` rows whose status cell says
/// PASS or FAIL (`✅ PASS`, `**Pass**`, `❌ FAIL`, `[x]`, `[ ]`). A row whose status is
/// anything else (N/A, partial, a warning) is neither ticked nor open, and is not a gate.
fn table_gates(doc: &Document, lines: std::ops::Range<usize>) -> Vec<GateItem> {
    let mut out = Vec::new();
    let mut header = true;
    for i in lines {
        let Some(cells) = doc.table_row(i) else {
            header = true;
            continue;
        };
        if std::mem::take(&mut header) || is_delimiter_row(&cells) {
            continue;
        }
        let Some(ticked) = cells[1..].iter().find_map(|c| status(&c.text)) else {
            continue;
        };
        let gate = unemphasise(&cells[0].text).to_string();
        if gate.is_empty() {
            continue;
        }
        out.push(GateItem {
            gate,
            ticked,
            set_aside: cells.iter().any(|c| super::aside::is_marked_aside(&c.text)),
            line: i + 1,
        });
    }
    out
}

/// A status cell's verdict: `Some(true)` for a pass, `Some(false)` for a fail.
fn status(cell: &str) -> Option<bool> {
    let t = cell
        .trim_start_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '[' | '✅' | '❌'))
        .to_lowercase();
    let word = |w: &str| {
        t.strip_prefix(w)
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
    };
    if t.starts_with('✅') || t.starts_with("[x]") || word("pass") || word("passed") {
        Some(true)
    } else if t.starts_with('❌') || t.starts_with("[ ]") || word("fail") || word("failed") {
        Some(false)
    } else {
        None
    }
}

/// `Article VII: Simplicity` out of `**Article VII: Simplicity**: summary`.
fn bold_lead(text: &str) -> Option<String> {
    let rest = text.strip_prefix("**")?;
    let end = rest.find("**")?;
    let lead = rest[..end].trim().trim_end_matches(':').trim();
    (!lead.is_empty()).then(|| lead.to_string())
}

/// The table under the heading containing `needle`: the first table's header, and the rows
/// after the header of every table in the section.
fn table_under(doc: &Document, needle: &str) -> Option<Table> {
    let hi = heading_index(doc, needle)?;
    let mut table = Table {
        heading: doc.headings[hi].line + 1,
        line: doc.headings[hi].line + 1,
        ..Table::default()
    };
    let mut in_table = false;
    for i in doc.section(hi) {
        if doc.lines[i].class == LineClass::Comment {
            continue;
        }
        let Some(cells) = doc.table_row(i) else {
            in_table = false;
            continue;
        };
        if !in_table {
            in_table = true;
            if table.header.is_empty() {
                table.header = cells
                    .iter()
                    .map(|c| unemphasise(&c.text).to_string())
                    .collect();
                table.line = i + 1;
            }
            continue;
        }
        if is_delimiter_row(&cells) {
            continue;
        }
        let first = unemphasise(cells.first().map_or("", |c| c.text.as_ref())).to_string();
        if !first.is_empty() {
            table.rows.push(Row {
                first,
                cells: cells.iter().map(|c| c.text.trim().to_string()).collect(),
                line: i + 1,
            });
        }
    }
    Some(table)
}

/// The items of the first `Modules` section (a level-2 or deeper heading whose title starts
/// with "Modules"): top-level list items naming a module, placeholders (`[MODULE NAME]`) left out.
fn modules(doc: &Document) -> Vec<Module> {
    let Some(hi) =
        doc.find_heading(|level, t| level >= 2 && t.trim().to_lowercase().starts_with("modules"))
    else {
        return Vec::new();
    };
    let items = doc.items_in(doc.section(hi));
    let top = items.iter().map(|it| it.depth).min().unwrap_or(0);
    let mut budget = super::MAX_WRITTEN_OUT;
    items
        .iter()
        .filter(|it| it.depth == top)
        .filter_map(|it| {
            let (name, description) = module_item(&doc.item_text(it))?;
            let mut ids: Vec<String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for id in super::ids_and_ranges_in(&doc.item_text(it), &mut budget) {
                if seen.insert(id.clone()) {
                    ids.push(id);
                }
            }
            Some(Module {
                name,
                ids,
                description,
                line: it.line + 1,
            })
        })
        .collect()
}

/// The parts of a plan: the opening lines (before the first section), each section at level
/// 2 or deeper, and each module. Fingerprint comments are no part of any.
fn parts(doc: &Document, modules: &[Module]) -> Vec<Part> {
    let module_lines: std::collections::HashSet<usize> =
        modules.iter().map(|m| m.line - 1).collect();
    let mut starts: Vec<(usize, Option<usize>)> = vec![(0, None)];
    starts.extend(
        doc.headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.level >= 2)
            .map(|(hi, h)| (h.line, Some(hi))),
    );
    let mut out: Vec<Part> = Vec::new();
    let mut keys: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut unique = |key: String, title: String, hash: String, out: &mut Vec<Part>| {
        let mut k = key.clone();
        let n = next.entry(key.clone()).or_insert(2);
        while keys.contains(&k) {
            k = format!("{key}-{n}");
            *n += 1;
        }
        keys.insert(k.clone());
        out.push(Part {
            key: k,
            title,
            hash,
        });
    };
    for (n, &(start, heading)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(doc.lines.len(), |s| s.0);
        let (hash, words) = fingerprint::lines_hash(
            (start..end)
                .filter(|l| !module_lines.contains(l))
                .map(|l| doc.line_text(l))
                .filter(|t| {
                    !(t.trim_start().starts_with("<!--") && t.contains(fingerprint::MARKER))
                }),
        );
        match heading {
            Some(hi) => {
                let title = doc.title(&doc.headings[hi]).to_string();
                let key = crate::slug::sanitize(&title).unwrap_or_else(|| "untitled".into());
                unique(format!("section:{key}"), title, hash, &mut out);
            }
            None if !words => {}
            None => unique("opening".into(), "the opening lines".into(), hash, &mut out),
        }
    }
    for m in modules {
        let key = crate::slug::sanitize(&m.name).unwrap_or_else(|| "module".into());
        let hash = fingerprint::requirement_hash(doc.line_text(m.line - 1));
        unique(
            format!("module:{key}"),
            format!("module {}", m.name),
            hash,
            &mut out,
        );
    }
    out
}

/// The name and description of a module item: `**name** (IR-001): what`, `` `name` (IR-001) — what ``,
/// `name: what (IR-001)`. `None` for an item without a name, or whose name is a placeholder.
fn module_item(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let bold = ["**", "__"].into_iter().find(|m| t.starts_with(m));
    let (name, rest) = if let Some(mark) = bold {
        let after = &t[2..];
        let end = after.find(mark)?;
        (&after[..end], &after[end + 2..])
    } else if let Some(after) = t.strip_prefix('`') {
        let end = after.find('`')?;
        (&after[..end], &after[end + 1..])
    } else {
        let end = t.find(['(', ':', '—', '–']).unwrap_or(t.len());
        (&t[..end], &t[end..])
    };
    let name = name.trim().trim_end_matches(':').trim();
    if name.is_empty() || name.starts_with('[') || is_id(name) {
        return None;
    }
    let mut rest = rest.trim_start();
    if let Some(after) = rest.strip_prefix('(') {
        if let Some(end) = after.find(')') {
            rest = after[end + 1..].trim_start();
        }
    }
    let description = rest
        .trim_start_matches([':', '—', '–', '-'])
        .trim()
        .to_string();
    Some((name.to_string(), description))
}

static ARTICLE_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)article\s+([ivxlcdm]+|[0-9]+)(?-u:\b)").expect("static regex")
});

/// Whether a Complexity Tracking row's gate cell names `gate`.
///
/// A row names a gate when it contains the gate's name without its parenthesised part
/// (`Simplicity Gate`), or refers to the same article (`Article VII`), ignoring case, emphasis
/// and spacing.
pub fn row_names_gate(row: &str, gate: &str) -> bool {
    let row_n = loose(row);
    let bare = loose(gate.split('(').next().unwrap_or(gate));
    if !bare.is_empty() && row_n.contains(&bare) {
        return true;
    }
    let articles = |s: &str| -> Vec<String> {
        ARTICLE_REF
            .captures_iter(s)
            .map(|c| c[1].to_ascii_uppercase())
            .collect()
    };
    let gate_articles = articles(gate);
    articles(row).iter().any(|a| gate_articles.contains(a))
}

fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a row of the plan's Technical Context table states a decision: not an open
/// question, not struck through, not a choice ruled out (`Not OpenTofu`, `No Helm`).
fn decided(cells: &[String]) -> bool {
    let first = cells.first().map_or("", String::as_str).trim();
    let lower = first.to_lowercase();
    let ruled_out = ["not ", "no ", "without ", "instead of "]
        .iter()
        .any(|w| lower.starts_with(w));
    !ruled_out
        && !first.starts_with("~~")
        && !cells
            .iter()
            .any(|c| c.to_lowercase().contains("[needs clarification"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    const PLAN: &str = "\
# Implementation Plan: X

## Constitution Check

### Phase -1 Gates

#### Simplicity Gate (Article VII)

- [ ] At most three projects
- [x] No speculative features

### Article Gates

- [ ] **Article I: Module-First Infrastructure**: Every capability is a module.
- [x] **Article III: Validation-First**: Checks first.

```
- [ ] **Article IX: in code**: not a gate
```

## Complexity Tracking

| Gate | Violation | Why | Rejected |
|------|-----------|-----|----------|
| **Simplicity Gate (Article VII)** | four projects | a | b |

## Requirement Traceability

| Requirement | Summary | Plan element | Validation |
|-------------|---------|--------------|------------|
| IR-001 | text | — | — |
| not an id | x | — | — |
| NFR-002 | text | — | — |

<!-- specops:fingerprint spec IR-001=1a2b3c4d NFR-002=00000000 -->
";

    #[test]
    fn gates_written_as_a_table_and_guidance_items() {
        let p = Plan::parse(&Document::parse(
            "## Constitution Check\n- [ ] [Additional gates from the constitution]\n\n| Principle | Status | Notes |\n|---|---|---|\n| **I. Modules** | ✅ PASS | fine |\n| II. Tests | **Pass** | ok |\n| III. Cost | ❌ FAIL | over budget |\n| IV. Docs | N/A | none |\n| V. Naming | FAIL - optional here | x |\n## Next\n| A | FAIL |\n|---|---|\n| B | FAIL |\n",
        ));
        let got: Vec<(&str, bool, bool, usize)> = p
            .gates
            .iter()
            .map(|g| (g.gate.as_str(), g.ticked, g.set_aside, g.line))
            .collect();
        assert_eq!(
            got,
            [
                ("I. Modules", true, false, 6),
                ("II. Tests", true, false, 7),
                ("III. Cost", false, false, 8),
                ("V. Naming", false, true, 10),
            ]
        );
    }

    #[test]
    fn parses_gates_rows_and_fingerprint() {
        let p = Plan::parse(&Document::parse(PLAN));
        let g: Vec<(&str, bool, usize)> = p
            .gates
            .iter()
            .map(|g| (g.gate.as_str(), g.ticked, g.line))
            .collect();
        assert_eq!(
            g,
            [
                ("Simplicity Gate (Article VII)", false, 9),
                ("Simplicity Gate (Article VII)", true, 10),
                ("Article I: Module-First Infrastructure", false, 14),
                ("Article III: Validation-First", true, 15),
            ]
        );
        assert_eq!(p.complexity.len(), 1);
        assert_eq!(p.complexity[0].first, "Simplicity Gate (Article VII)");
        let t: Vec<&str> = p.traceability.iter().map(|r| r.first.as_str()).collect();
        assert_eq!(t, ["IR-001", "NFR-002"]);
        assert_eq!(p.fingerprint.unwrap().entries.len(), 2);
    }

    #[test]
    fn modules_and_the_traceability_table() {
        let p = Plan::parse(&Document::parse(
            "## Modules\n\n- **tenant-namespace** (IR-001, IR-002): a namespace per tenant\n  - detail IR-009\n- `dns-zone` (NFR-001 to NFR-003) — the zone\n- failover-runbook: the procedure (IR-004)\n- **[MODULE NAME]** ([REQUIREMENT IDS]): [WHAT IT PROVISIONS]\n- IR-005\n\n## Requirement Traceability\n\n| Requirement | Summary | Plan element | Validation |\n|---|---|---|---|\n| IR-001 | a | — | |\n",
        ));
        let got: Vec<(&str, Vec<&str>, &str, usize)> = p
            .modules
            .iter()
            .map(|m| {
                let ids = m.ids.iter().map(String::as_str).collect();
                (m.name.as_str(), ids, m.description.as_str(), m.line)
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "tenant-namespace",
                    vec!["IR-001", "IR-002"],
                    "a namespace per tenant",
                    3
                ),
                (
                    "dns-zone",
                    vec!["NFR-001", "NFR-002", "NFR-003"],
                    "the zone",
                    5
                ),
                (
                    "failover-runbook",
                    vec!["IR-004"],
                    "the procedure (IR-004)",
                    6
                ),
            ]
        );
        let t = p.traceability_table.unwrap();
        assert_eq!((t.heading, t.line), (10, 12));
        assert_eq!(
            t.header,
            ["Requirement", "Summary", "Plan element", "Validation"]
        );
        assert_eq!(t.rows[0].cells, ["IR-001", "a", "—", ""]);
        assert!(Plan::parse(&Document::parse("# Plan\n"))
            .traceability_table
            .is_none());
    }

    #[test]
    fn requirement_texts_are_rewritten_in_place() {
        let plan = "## Requirement Traceability\r\n\r\n| Requirement | Summary | Plan element | Validation |\r\n|---|---|---|---|\r\n| IR-001 | old words | modules/a | tests/a |\r\n| **IR-002** |  **kept** | x | y |\r\n| IR-003 || x | y |\r\n";
        let bom = format!("\u{feff}{plan}");
        let (with_bom, _) = with_requirement_texts(&bom, &[("IR-001", "new words")]);
        assert_eq!(with_bom, bom.replace("| old words |", "| new words |"));
        let (out, ids) = with_requirement_texts(
            plan,
            &[
                ("IR-001", "new words,\n  with a | pipe"),
                ("IR-002", "kept"),
                ("IR-003", "filled"),
                ("IR-009", "absent"),
            ],
        );
        assert_eq!(ids, ["IR-001", "IR-003"]);
        assert_eq!(
            out,
            plan.replace("| old words |", "| new words, with a \\| pipe |")
                .replace("| IR-003 || x", "| IR-003 | filled | x")
        );
        let other = "## Traceability\n| ID | Plan element |\n|---|---|\n| IR-001 | a |\n";
        assert_eq!(
            with_requirement_texts(other, &[("IR-001", "b")]),
            (other.to_string(), vec![])
        );
    }

    #[test]
    fn gate_naming() {
        for (row, gate, names) in [
            (
                "Simplicity Gate (Article VII)",
                "Simplicity Gate (Article VII)",
                true,
            ),
            ("simplicity  gate", "Simplicity Gate (Article VII)", true),
            (
                "Article VII: Simplicity",
                "Simplicity Gate (Article VII)",
                true,
            ),
            ("Article VII", "Article VII: Simplicity", true),
            ("Article I", "Article II: Text and JSON Interfaces", false),
            (
                "Article II",
                "Article I: Module-First Infrastructure",
                false,
            ),
            (
                "Anti-Abstraction Gate",
                "Simplicity Gate (Article VII)",
                false,
            ),
            ("`Article 3`: checks", "Article 3: Tags", true),
            ("", "Article 3: Tags", false),
        ] {
            assert_eq!(row_names_gate(row, gate), names, "{row:?} names {gate:?}");
        }
    }
}

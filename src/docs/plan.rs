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
    /// `<!-- specops:fingerprint spec … -->`, if present.
    pub fingerprint: Option<Recorded>,
}

impl Plan {
    /// Read a parsed plan.
    pub fn parse(doc: &Document) -> Self {
        Self {
            gates: gates(doc),
            complexity: rows_under(doc, "complexity tracking"),
            traceability: rows_under(doc, "traceability")
                .into_iter()
                .filter(|r| is_id(&r.first))
                .collect(),
            fingerprint: fingerprint::read_lines(doc, "spec"),
        }
    }
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

/// The rows of the first table under the heading containing `needle`, after its header row.
fn rows_under(doc: &Document, needle: &str) -> Vec<Row> {
    let Some(hi) = heading_index(doc, needle) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen_header = false;
    for i in doc.section(hi) {
        if doc.lines[i].class == LineClass::Comment {
            continue;
        }
        let Some(cells) = doc.table_row(i) else {
            seen_header = false;
            continue;
        };
        if !seen_header {
            seen_header = true;
            continue;
        }
        if is_delimiter_row(&cells) {
            continue;
        }
        let first = unemphasise(cells.first().map_or("", |c| c.text.as_ref())).to_string();
        if !first.is_empty() {
            out.push(Row { first, line: i + 1 });
        }
    }
    out
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

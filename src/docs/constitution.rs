//! `memory/constitution.md`: its articles, each of which becomes a plan gate.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::markdown::{Document, LineClass};

/// One article: `### Article VII: Simplicity`, then its first paragraph as the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// As written: `VII`, `7`.
    pub number: String,
    pub title: String,
    /// The first paragraph after the heading, lines joined with spaces ("" when none).
    pub summary: String,
    #[serde(skip)]
    pub line: usize,
}

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^article\s+([IVXLCDM]+|\d{1,4})\s*[:.\-–—]\s*(.+)$").expect("static regex")
});

/// Every article heading of a constitution, at any heading level, in order.
pub fn articles(doc: &Document) -> Vec<Article> {
    let mut out = Vec::new();
    for (hi, h) in doc.headings.iter().enumerate() {
        let Some(caps) = ARTICLE.captures(doc.title(h)) else {
            continue;
        };
        // The first paragraph: skip blank and comment lines, stop at a blank line, code or a
        // heading.
        let next_heading = doc.headings.get(hi + 1).map_or(doc.lines.len(), |n| n.line);
        let mut para: Vec<String> = Vec::new();
        for l in h.line + 1..next_heading {
            match doc.lines[l].class {
                LineClass::Comment | LineClass::FrontMatter => continue,
                LineClass::Code => break,
                LineClass::Blank if para.is_empty() => continue,
                LineClass::Blank => break,
                LineClass::Text => para.push(doc.prose(l).trim().to_string()),
            }
        }
        out.push(Article {
            number: caps[1].to_uppercase(),
            title: caps[2].trim().to_string(),
            summary: para.join(" "),
            line: h.line + 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    #[test]
    fn shipped_constitution_has_nine_articles_with_summaries() {
        let a = articles(&Document::parse(crate::managed::CONSTITUTION));
        let titles: Vec<String> = a
            .iter()
            .map(|a| format!("{} {}", a.number, a.title))
            .collect();
        assert_eq!(
            titles,
            [
                "I Module-First Infrastructure",
                "II Text and JSON Interfaces",
                "III Validation-First",
                "IV Environment Parity and Promotion",
                "V Immutable, Declarative Change and Rollback",
                "VI Security, Compliance and Cost by Default",
                "VII Simplicity",
                "VIII Anti-Abstraction",
                "IX Integration-First Testing",
            ]
        );
        assert!(a[0]
            .summary
            .starts_with("Every infrastructure capability begins life"));
        assert!(a
            .iter()
            .all(|a| !a.summary.is_empty() && !a.summary.contains('\n')));
    }

    #[test]
    fn custom_constitutions() {
        let doc = "\
# Our rules

## Article 1: Tags Everywhere
<!-- a comment before the paragraph -->

Every resource carries owner and cost-centre tags,
and nothing else is required.

More text that is not the summary.

# article iv - Lowercase and dashed
- a list item as the first block

#### Article X. Deep heading

```
### Article XI: in a code block
```

Articles are mentioned in prose: Article 2: not a heading.
";
        let a = articles(&Document::parse(doc));
        let got: Vec<(&str, &str, &str)> = a
            .iter()
            .map(|a| (a.number.as_str(), a.title.as_str(), a.summary.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "1",
                    "Tags Everywhere",
                    "Every resource carries owner and cost-centre tags, and nothing else is required."
                ),
                ("IV", "Lowercase and dashed", "- a list item as the first block"),
                ("X", "Deep heading", ""),
            ]
        );
        assert!(articles(&Document::parse("# Nothing here\n")).is_empty());
    }
}

//! What keeps a spec from being ready to plan: clarification markers and unticked items.

use serde::Serialize;

use super::lines::{self, blank_inline_code, classify};

/// The text that opens a clarification marker.
pub const MARKER: &str = "[NEEDS CLARIFICATION";

/// One open item: a marker or an unticked checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenItem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters) where the item starts.
    pub column: usize,
    /// The marker's question, or the checklist item's text.
    pub text: String,
}

/// Unresolved `[NEEDS CLARIFICATION: …]` markers outside code blocks, inline code and comments.
pub fn clarification_markers(doc: &str) -> Vec<OpenItem> {
    let mut out = Vec::new();
    for line in classify(doc).iter().filter(|l| l.is_text()) {
        let visible = blank_inline_code(&line.text);
        let mut from = 0;
        while let Some(pos) = visible[from..].find(MARKER) {
            let start = from + pos;
            let after = &visible[start + MARKER.len()..];
            let (question, used) = match after.find(']') {
                Some(end) => (&after[..end], end + 1),
                None => (after, after.len()),
            };
            let question = question.trim_start_matches(':').trim();
            out.push(OpenItem {
                line: line.number,
                column: visible[..start].chars().count() + 1,
                text: question.to_string(),
            });
            from = start + MARKER.len() + used;
        }
    }
    out
}

/// Unticked task items (`- [ ] …`) outside code blocks and comments.
pub fn unticked_items(doc: &str) -> Vec<OpenItem> {
    classify(doc)
        .iter()
        .filter(|l| l.is_text())
        .filter_map(|l| {
            let (ticked, text) = lines::task_item(&l.text)?;
            let column = l.text.chars().take_while(|c| c.is_whitespace()).count() + 1;
            (!ticked).then(|| OpenItem {
                line: l.number,
                column,
                text: text.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_outside_code_and_comments() {
        let doc = "\
a [NEEDS CLARIFICATION: how long?] and [NEEDS CLARIFICATION: who?]
`[NEEDS CLARIFICATION: in inline code]`
<!-- [NEEDS CLARIFICATION: in a comment] -->
```
[NEEDS CLARIFICATION: in a code block]
```
[NEEDS CLARIFICATION] with no question
";
        let got: Vec<(usize, usize, String)> = clarification_markers(doc)
            .into_iter()
            .map(|m| (m.line, m.column, m.text))
            .collect();
        assert_eq!(
            got,
            [
                (1, 3, "how long?".to_string()),
                (1, 40, "who?".to_string()),
                (7, 1, String::new()),
            ]
        );
    }

    #[test]
    fn unticked_items_only() {
        let doc = "- [x] done\n- [ ] open one\n  - [ ] nested\n```\n- [ ] code\n```\n<!-- - [ ] comment -->\n";
        let got: Vec<(usize, usize, String)> = unticked_items(doc)
            .into_iter()
            .map(|m| (m.line, m.column, m.text))
            .collect();
        assert_eq!(
            got,
            [(2, 1, "open one".to_string()), (3, 3, "nested".to_string())]
        );
    }
}

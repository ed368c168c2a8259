//! Placing findings: a rule's byte range becomes a [`Diagnostic`] with a 1-based line and
//! character columns, its severity, and its source line; a problem with a whole file is placed
//! at its start.

use super::{index_of, Diagnostic, Document, Finding, Levels, Severity, RULES};

/// An SO000 diagnostic about a whole file (None when SO000 is off).
pub(super) fn file_problem(path: &str, levels: &Levels, message: &str) -> Option<Diagnostic> {
    let rule = index_of("SO000");
    Some(Diagnostic {
        rule: RULES[rule].id,
        name: RULES[rule].name,
        severity: Severity::from_level(levels.get(rule))?,
        path: path.to_string(),
        line: 1,
        column: 1,
        end_column: 1,
        message: message.to_string(),
        source: None,
        subject: None,
    })
}

/// The diagnostic for finding `f` in `doc`; `None` when its rule is off or a comment suppresses
/// it there.
pub(super) fn diagnostic(doc: &Document, f: Finding, levels: &Levels) -> Option<Diagnostic> {
    let severity = Severity::from_level(levels.get(f.rule))?;
    let line = doc.line_of(f.start);
    if doc.is_suppressed(f.rule, line) {
        return None;
    }
    let l = doc.lines.get(line).copied();
    let (line_start, line_end) = l.map_or((0, 0), |l| (l.start, l.end));
    let start = f.start.clamp(line_start, line_end);
    let end = f.end.clamp(start, line_end);
    let column = doc.text[line_start..start].chars().count() + 1;
    // An empty range marks the character at `start`, or nothing at the end of a line, so the
    // span never reaches past the line.
    let width = doc.text[start..end]
        .chars()
        .count()
        .max(usize::from(start < line_end));
    let meta = &RULES[f.rule];
    Some(Diagnostic {
        rule: meta.id,
        name: meta.name,
        severity,
        path: doc.path.to_string(),
        line: line + 1,
        column,
        end_column: column + width,
        message: f.message,
        source: l.map(|_| doc.text[line_start..line_end].to_string()),
        subject: f.subject,
    })
}

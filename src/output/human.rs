//! The human format, in the style of rustc:
//!
//! ```text
//! error[SO001]: needs-clarification: unresolved clarification: how long?
//!   --> specs/001-x/spec.md:12:8
//!    |
//! 12 | - RTO: [NEEDS CLARIFICATION: how long?]
//!    |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//! ```
//!
//! then `N errors, M warnings in K files`, or `no problems in K files`.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Writer;
use crate::lint::engine::CheckReport;
use crate::lint::{Excerpt, Severity};
use crate::report::escaped;

pub(super) struct Human;

const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const WARNING: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const GUTTER: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)));
const BOLD: Style = Style::new().bold();

impl Writer for Human {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        for d in &report.diagnostics {
            let style = match d.severity {
                Severity::Error => ERROR,
                Severity::Warning => WARNING,
            };
            // One diagnostic per line of output: a multi-line message is folded.
            let message = d.message.replace("\r\n", " ").replace('\n', " ");
            writeln!(
                out,
                "{style}{}[{}]{style:#}{BOLD}: {}: {}{BOLD:#}",
                d.severity.as_str(),
                d.rule,
                d.name,
                escaped(&message)
            )?;
            let width = d.line.to_string().len();
            let pad = " ".repeat(width);
            writeln!(
                out,
                "{pad}{GUTTER}-->{GUTTER:#} {}:{}:{}",
                escaped(&d.path),
                d.line,
                d.column
            )?;
            if let Some(source) = &d.source {
                let (shown, indent, carets) = excerpt(source, d.column, d.end_column);
                writeln!(out, "{pad} {GUTTER}|{GUTTER:#}")?;
                writeln!(
                    out,
                    "{GUTTER}{}{GUTTER:#} {GUTTER}|{GUTTER:#} {shown}",
                    d.line
                )?;
                writeln!(
                    out,
                    "{pad} {GUTTER}|{GUTTER:#} {indent}{style}{carets}{style:#}"
                )?;
            }
            writeln!(out)?;
        }
        writeln!(out, "{}", summary(report))
    }
}

/// The excerpt as shown (escaped, with `…` where the line was cut), and the indent and carets
/// that mark columns `column..end_column` under it.
fn excerpt(source: &Excerpt, column: usize, end_column: usize) -> (String, String, String) {
    let text = &source.text;
    let byte = |col: usize| {
        text.char_indices()
            .nth(col.saturating_sub(source.column))
            .map_or(text.len(), |(i, _)| i)
    };
    let (start, end) = (byte(column), byte(end_column.max(column)));
    let before = if source.column > 1 { "…" } else { "" };
    let after = if source.more { "…" } else { "" };
    let (head, marked) = (escaped(&text[..start]), escaped(&text[start..end]));
    let shown = format!("{before}{head}{marked}{}{after}", escaped(&text[end..]));
    let indent = before
        .chars()
        .chain(head.chars())
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(marked.chars().count().max(1));
    (shown, indent, carets)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 errors, 1 warning in 3 files`, or `no problems in 3 files`.
pub(super) fn summary(r: &CheckReport) -> String {
    let files = plural(r.files, "file", "files");
    if r.errors == 0 && r.warnings == 0 {
        return format!("no problems in {files}");
    }
    format!(
        "{}, {} in {files}",
        plural(r.errors, "error", "errors"),
        plural(r.warnings, "warning", "warnings")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn rustc_style_with_carets_under_the_marker() {
        let styled = render(&Human, &report());
        assert!(styled.contains("\x1b[1m\x1b[31merror"), "styled: {styled}");
        let plain = anstream::adapter::strip_str(&styled).to_string();
        insta::assert_snapshot!("human_format", plain);
    }

    #[test]
    fn control_characters_are_escaped_and_the_carets_follow() {
        let source = Excerpt {
            text: "a\u{1b}]0;x\u{7} [DATE]\rb".into(),
            column: 1,
            more: false,
        };
        let (shown, indent, carets) = excerpt(&source, 9, 15);
        assert_eq!(shown, "a\\u{1b}]0;x\\u{7} [DATE]\\u{d}b");
        assert_eq!(
            format!("{indent}{carets}"),
            format!("{}^^^^^^", " ".repeat(17))
        );
        assert_eq!(&shown[indent.len()..indent.len() + 6], "[DATE]");
    }

    #[test]
    fn a_cut_excerpt_keeps_its_carets_under_the_finding() {
        let source = Excerpt {
            text: "\tx [DATE] y".into(),
            column: 41,
            more: true,
        };
        let (shown, indent, carets) = excerpt(&source, 44, 50);
        assert_eq!(shown, "…\tx [DATE] y…");
        assert_eq!(indent, " \t  ");
        assert_eq!(carets, "^^^^^^");
        // A span that runs past the excerpt is marked to its end.
        let (_, _, carets) = excerpt(&source, 44, 5000);
        assert_eq!(carets, "^^^^^^^^");
    }

    #[test]
    fn summaries() {
        let mut r = report();
        r.diagnostics.clear();
        (r.errors, r.warnings, r.files) = (0, 0, 1);
        assert_eq!(summary(&r), "no problems in 1 file");
        (r.errors, r.warnings) = (1, 0);
        assert_eq!(summary(&r), "1 error, 0 warnings in 1 file");
    }
}

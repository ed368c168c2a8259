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
use crate::lint::Severity;

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
            let message = d.message.replace(['\r', '\n'], " ");
            writeln!(
                out,
                "{style}{}[{}]{style:#}{BOLD}: {}: {message}{BOLD:#}",
                d.severity.as_str(),
                d.rule,
                d.name
            )?;
            let width = d.line.to_string().len();
            let pad = " ".repeat(width);
            writeln!(
                out,
                "{pad}{GUTTER}-->{GUTTER:#} {}:{}:{}",
                d.path, d.line, d.column
            )?;
            if let Some(source) = &d.source {
                let indent: String = source
                    .chars()
                    .take(d.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let carets = "^".repeat(d.end_column.saturating_sub(d.column).max(1));
                writeln!(out, "{pad} {GUTTER}|{GUTTER:#}")?;
                writeln!(
                    out,
                    "{GUTTER}{}{GUTTER:#} {GUTTER}|{GUTTER:#} {source}",
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
    fn summaries() {
        let mut r = report();
        r.diagnostics.clear();
        (r.errors, r.warnings, r.files) = (0, 0, 1);
        assert_eq!(summary(&r), "no problems in 1 file");
        (r.errors, r.warnings) = (1, 0);
        assert_eq!(summary(&r), "1 error, 0 warnings in 1 file");
    }
}

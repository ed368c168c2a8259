//! The human format, in the style of rustc:
//!
//! ```text
//! error[SO001]: needs-clarification: unresolved clarification: how long?
//!   --> specs/001-x/spec.md:12:8
//!    |
//! 12 | - RTO: [NEEDS CLARIFICATION: how long?]
//!    |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    = help: Get the answer from whoever owns the decision and write it in place of the …
//! ```
//!
//! then `N errors, M warnings in K files`, or `no problems in K files`.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Writer;
use crate::lint::engine::CheckReport;
use crate::lint::{index_of, Excerpt, Severity, RULES};
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
            // How to fix it, from the rule's page (`specops rule ID`).
            let fix = RULES[index_of(d.rule)].fix;
            writeln!(out, "{pad} {GUTTER}={GUTTER:#} {BOLD}help{BOLD:#}: {fix}")?;
            writeln!(out)?;
        }
        writeln!(out, "{}", summary(report))
    }
}

/// The most characters of its line a finding shows.
const EXCERPT: usize = 240;
/// How many characters before the finding a cut excerpt keeps.
const BEFORE: usize = 60;

/// The finding's line as shown: the whole line, or of a line over [`EXCERPT`] characters that
/// many around the finding (from [`BEFORE`] before it), with `…` where it is cut; escaped; and
/// the indent and carets that mark `column..end_column` under it.
fn excerpt(source: &Excerpt, column: usize, end_column: usize) -> (String, String, String) {
    let line = &*source.line;
    let start = source.start.min(line.len());
    let (from, to) = if line.len() <= EXCERPT || line.char_indices().nth(EXCERPT).is_none() {
        (0, line.len())
    } else {
        let from = line[..start]
            .char_indices()
            .rev()
            .take(BEFORE)
            .last()
            .map_or(start, |(i, _)| i);
        let to = line[from..]
            .char_indices()
            .nth(EXCERPT)
            .map_or(line.len(), |(i, _)| from + i);
        (from, to.max(start))
    };
    let width = end_column.saturating_sub(column);
    let end = line[start..to]
        .char_indices()
        .nth(width)
        .map_or(to, |(i, _)| start + i);
    let before = if from > 0 { "…" } else { "" };
    let after = if to < line.len() { "…" } else { "" };
    let (head, marked) = (escaped(&line[from..start]), escaped(&line[start..end]));
    let shown = format!("{before}{head}{marked}{}{after}", escaped(&line[end..to]));
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

    fn source(line: &str, start: usize) -> Excerpt {
        Excerpt {
            line: line.into(),
            start,
        }
    }

    #[test]
    fn control_characters_are_escaped_and_the_carets_follow() {
        let line = "a\u{1b}]0;x\u{7} [DATE]\rb";
        let (shown, indent, carets) = excerpt(&source(line, line.find('[').unwrap()), 9, 15);
        assert_eq!(shown, "a\\u{1b}]0;x\\u{7} [DATE]\\u{d}b");
        assert_eq!(
            format!("{indent}{carets}"),
            format!("{}^^^^^^", " ".repeat(17))
        );
        assert_eq!(&shown[indent.len()..indent.len() + 6], "[DATE]");
    }

    #[test]
    fn a_long_line_is_cut_around_the_finding_with_the_carets_under_it() {
        let line = format!("{}\tx [DATE] y{}", "é".repeat(1000), "z".repeat(1000));
        let start = line.find('[').unwrap();
        let (shown, indent, carets) = excerpt(&source(&line, start), 1004, 1010);
        assert!(shown.starts_with(&format!("…{}\tx [DATE] y", "é".repeat(BEFORE - 3))));
        assert!(shown.ends_with("z…"), "{shown}");
        assert_eq!(shown.chars().count(), EXCERPT + 2);
        assert_eq!(indent, format!(" {}\t  ", " ".repeat(BEFORE - 3)));
        assert_eq!(carets, "^^^^^^");
        // A span that runs past the excerpt is marked to its end.
        let (_, _, carets) = excerpt(&source(&line, start), 1004, 5000);
        assert_eq!(carets.len(), EXCERPT - BEFORE);
        // Near the end of the line: nothing after it.
        let (shown, _, carets) = excerpt(&source(&line, line.len() - 1), 2010, 2011);
        assert!(shown.ends_with("zz"), "{shown}");
        assert_eq!(shown.chars().count(), BEFORE + 2);
        assert_eq!(carets, "^");
        // A short line is shown whole.
        let (shown, _, _) = excerpt(&source("short [DATE]", 6), 7, 13);
        assert_eq!(shown, "short [DATE]");
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

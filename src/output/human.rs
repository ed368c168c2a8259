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
use unicode_width::UnicodeWidthStr;

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
    let indent = under(&format!("{before}{head}"), ' ');
    let mut carets = under(&marked, '^');
    if !carets.contains('^') {
        carets.push('^');
    }
    (shown, indent, carets)
}

/// As many `fill` as the columns a terminal gives `printed` (text as printed, after
/// [`escaped`]): a CJK character or an emoji takes two, a combining mark none, and an escape such
/// as `\u{d}` as many as it has characters. The one place the snippet measures text, so the
/// carets sit under what they mark. A tab is not measured but repeated: the source line and the
/// caret line have gutters of the same width, so their tabs reach the same tab stop whatever the
/// terminal's tab width.
fn under(printed: &str, fill: char) -> String {
    let mut out = String::with_capacity(printed.len());
    for (i, part) in printed.split('\t').enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.extend(std::iter::repeat_n(fill, part.width()));
    }
    out
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

    /// The source row and the caret row a report with one finding on `line` prints, the finding
    /// being its first `[DATE]` (reported on line 12, as a two-digit gutter).
    fn rows(line: &str) -> (String, String) {
        let mut r = report();
        r.diagnostics.truncate(2);
        let d = &mut r.diagnostics[1];
        let start = line.find("[DATE]").expect("a [DATE] in the line");
        d.column = line[..start].chars().count() + 1;
        d.end_column = d.column + "[DATE]".len();
        d.source = Some(source(line, start));
        let plain = anstream::adapter::strip_str(&render(&Human, &r)).to_string();
        let mut lines = plain.lines().skip_while(|l| !l.starts_with("12 | "));
        let shown = lines.next().expect("a source row").to_string();
        (shown, lines.next().expect("a caret row").to_string())
    }

    /// The columns a terminal with tab stops every `tab` columns gives each character of `row`,
    /// by its byte offset (an oracle independent of `under`: one character at a time).
    fn columns(row: &str, tab: usize) -> Vec<(usize, usize, usize)> {
        let mut column = 0;
        let mut out = Vec::new();
        for (i, c) in row.char_indices() {
            let width = if c == '\t' {
                tab - column % tab
            } else {
                unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
            };
            out.push((i, column, width));
            column += width;
        }
        out
    }

    /// The columns `[DATE]` covers in the source row, and the columns of the carets, for tab
    /// stops every `tab` columns.
    fn marked_and_carets(shown: &str, carets: &str, tab: usize) -> (Vec<usize>, Vec<usize>) {
        let at = shown.find("[DATE]").expect("the marker is shown");
        let marked = columns(shown, tab)
            .into_iter()
            .filter(|&(i, _, _)| (at..at + 6).contains(&i))
            .map(|(_, column, _)| column)
            .collect();
        let under = columns(carets, tab)
            .into_iter()
            .filter(|&(i, _, _)| carets[i..].starts_with('^'))
            .map(|(_, column, _)| column)
            .collect();
        (marked, under)
    }

    #[test]
    fn wide_characters_tabs_and_escapes_before_the_marker() {
        let line = "- 要件\t🚀 a\rb \u{1b}[2J é\u{301} [DATE] ok";
        let (shown, carets) = rows(line);
        for tab in [8, 4, 2] {
            let (marked, under) = marked_and_carets(&shown, &carets, tab);
            assert_eq!(marked, under, "tab stops every {tab}:\n{shown}\n{carets}");
        }
        insta::assert_snapshot!("human_wide_and_escaped", format!("{shown}\n{carets}"));
    }

    proptest::proptest! {
        /// Whatever comes before and after the finding (CJK, emoji, tabs, combining marks,
        /// characters shown escaped, a line long enough to be cut), its carets are in the columns
        /// a terminal shows it in, for any tab width, and the row stays bounded.
        #[test]
        fn carets_sit_under_the_finding_as_a_terminal_shows_it(
            before in "[a 要件😀\t\r\u{1b}\u{7}\u{9b}\u{202e}é\u{301}]{0,80}",
            after in "[a 要件😀\t\r\u{1b}]{0,40}",
            repeat in 1usize..40,
        ) {
            let line = format!("{}[DATE]{}", before.repeat(repeat), after.repeat(repeat));
            let (shown, carets) = rows(&line);
            for tab in [8, 4] {
                let (marked, under) = marked_and_carets(&shown, &carets, tab);
                proptest::prop_assert_eq!(&marked, &under, "{}\n{}", shown, carets);
            }
            // At most EXCERPT characters of the line, each escape at most 8 characters wide.
            proptest::prop_assert!(shown.chars().count() <= 5 + 2 + EXCERPT * 8);
        }
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

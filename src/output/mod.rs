//! The output formats of `specops check`: one writer per format behind one trait, so a new
//! format is one file and one match arm.

mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use crate::lint::engine::CheckReport;

/// The formats of `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// rustc-style text for people.
    Human,
    /// A stable JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
    /// JUnit XML, for test dashboards.
    Junit,
}

/// Renders a check report.
pub(crate) trait Writer {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()>;
}

/// The writer of `format`.
pub(crate) fn writer(format: Format) -> &'static dyn Writer {
    match format {
        Format::Human => &human::Human,
        Format::Json => &json::Json,
        Format::Sarif => &sarif::Sarif,
        Format::Github => &github::Github,
        Format::Gitlab => &gitlab::Gitlab,
        Format::Junit => &junit::Junit,
    }
}

/// Print `report` in `format` on stdout (colours, for the human format, as `--color` says).
/// A reader that stops reading early is no error (see [`crate::exit::written`]).
pub(crate) fn print(format: Format, report: &CheckReport) -> crate::error::Result<()> {
    crate::exit::written(print_io(format, report))
}

fn print_io(format: Format, report: &CheckReport) -> io::Result<()> {
    crate::report::stdout_open()?;
    if format == Format::Human {
        // The colour filter writes a line at a time: buffered below it, that is not a write
        // per line.
        let stdout = io::stdout().lock();
        let choice = anstream::AutoStream::choice(&stdout);
        let mut buffered = io::BufWriter::new(stdout);
        let mut out = anstream::AutoStream::new(&mut buffered as &mut dyn Write, choice);
        writer(format).write(report, &mut out)?;
        return buffered.flush();
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    writer(format).write(report, &mut out)?;
    out.flush()
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::lint::engine::CheckReport;
    use crate::lint::{Diagnostic, Excerpt, Severity};

    /// A report with one error, one warning and one whole-file problem.
    pub(crate) fn report() -> CheckReport {
        let d = |rule,
                 name,
                 severity,
                 path: &str,
                 line,
                 column,
                 end_column,
                 message: &str,
                 source: Option<&str>| Diagnostic {
            rule,
            name,
            severity,
            path: path.into(),
            line,
            column,
            end_column,
            message: message.into(),
            source: source.map(|line| Excerpt {
                line: line.into(),
                start: line.chars().take(column - 1).map(char::len_utf8).sum(),
            }),
            subject: None,
        };
        CheckReport {
            diagnostics: vec![
                d(
                    "SO000",
                    "unreadable-file",
                    Severity::Error,
                    "specs/001-a/bad.md",
                    1,
                    1,
                    1,
                    "binary file (it contains NUL bytes); not linted",
                    None,
                ),
                d(
                    "SO001",
                    "needs-clarification",
                    Severity::Error,
                    "specs/001-a/spec.md",
                    12,
                    8,
                    38,
                    "unresolved clarification: 50%, or 90%?\nsee: line, two",
                    Some("- RTO:\t[NEEDS CLARIFICATION: 50%, or 90%?]"),
                ),
                d(
                    "SO006",
                    "untraced-requirement",
                    Severity::Warning,
                    "specs/001-a/spec.md",
                    120,
                    3,
                    10,
                    "no task serves IR-001",
                    Some("- **IR-001**: x"),
                ),
            ],
            files: 3,
            paths: [
                "specs/001-a/bad.md",
                "specs/001-a/spec.md",
                "specs/001-a/plan.md",
            ]
            .map(String::from)
            .to_vec(),
            errors: 2,
            warnings: 1,
        }
    }

    pub(crate) fn render(w: &dyn super::Writer, report: &CheckReport) -> String {
        let mut out = Vec::new();
        w.write(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}

//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=…,line=…,col=…,endColumn=…,title=SO001 needs-clarification::message`.

use std::io::{self, Write};

use super::Writer;
use crate::lint::engine::CheckReport;

pub(super) struct Github;

impl Writer for Github {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        for d in &report.diagnostics {
            writeln!(
                out,
                "::{} file={},line={},col={},endColumn={},title={}::{}",
                d.severity.as_str(),
                property(&d.path),
                d.line,
                d.column,
                d.end_column,
                property(&format!("{} {}", d.rule, d.name)),
                data(&d.message)
            )?;
        }
        Ok(())
    }
}

/// Escape a command's message, as the Actions runner unescapes it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: also `:` and `,`, which would end it.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn annotations_with_escaping() {
        insta::assert_snapshot!("github_format", render(&Github, &report()));
        assert_eq!(property("a,b:c%\r\n"), "a%2Cb%3Ac%25%0D%0A");
    }
}

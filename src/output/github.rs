//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=…,line=…,col=…,endColumn=…,title=SO001 needs-clarification::message`.

use std::io::{self, Write};

use super::Writer;
use crate::lint::engine::CheckReport;
use crate::report::is_control;

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

/// Escape a command's message, as the Actions runner unescapes it: `%`, CR and LF
/// percent-encoded (the runner turns them back), and every other control character shown as
/// the human format shows it (`\u{1b}`), since the log viewer would act on an ANSI sequence
/// and the runner decodes no other `%XX`.
fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_control(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn control_characters_are_shown_escaped() {
        let hostile = "q\u{1b}]0;x\u{7} \u{9b}2J\u{7f}\u{202e}\t%";
        let shown = r"q\u{1b}]0;x\u{7} \u{9b}2J\u{7f}\u{202e}";
        assert_eq!(data(hostile), format!("{shown}\t%25"));
        assert_eq!(property(hostile), format!("{shown}\t%25"));
        let mut r = report();
        r.diagnostics[1].path = format!("specs/001-a/{hostile}.md").into();
        r.diagnostics[1].message = hostile.into();
        let out = render(&Github, &r);
        let raw: Vec<char> = out
            .chars()
            .filter(|&c| c != '\n' && c != '\t' && is_control(c))
            .collect();
        assert!(raw.is_empty(), "{raw:?} in {out}");
    }
}

//! `--format junit`: JUnit XML, as test dashboards and CI systems read it. Every linted file is
//! a test case (`name` and `file` its path); each finding in it is a `<failure>` whose `type` is
//! the rule and whose `message` is the severity and message. A file without findings is a
//! passing test case.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Writer;
use crate::lint::engine::CheckReport;
use crate::lint::Diagnostic;
use crate::report::escaped;

pub(super) struct Junit;

/// `text` as XML character data or attribute value: control characters shown as escapes (XML
/// 1.0 cannot hold most of them even as references), and so are U+FFFE and U+FFFF, the other
/// characters outside XML's `Char` that a Rust string can hold; the markup characters as
/// entities. Whatever a document or a file name holds, the report parses.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escaped(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{fffe}' | '\u{ffff}' => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

impl Writer for Junit {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let mut by_path: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &report.diagnostics {
            by_path.entry(&d.path).or_default().push(d);
        }
        // Every linted file once, in path order; a path the diagnostics name that was not an
        // input (none today) still gets its case.
        let mut paths: Vec<&str> = report.paths.iter().map(String::as_str).collect();
        paths.extend(by_path.keys().copied());
        paths.sort_unstable();
        paths.dedup();
        let failed = paths.iter().filter(|p| by_path.contains_key(*p)).count();
        let counts = format!(
            "tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\"",
            paths.len()
        );
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="specops check" {counts}>"#)?;
        writeln!(out, r#"  <testsuite name="specops check" {counts}>"#)?;
        for raw in paths {
            let path = xml(raw);
            let open = format!(r#"    <testcase name="{path}" classname="specops" file="{path}""#);
            let Some(found) = by_path.get(raw) else {
                writeln!(out, "{open}/>")?;
                continue;
            };
            writeln!(out, "{open}>")?;
            for d in found {
                // One line, as in the human format: a multi-line message is folded.
                let message = d.message.replace("\r\n", " ").replace('\n', " ");
                let message = xml(&format!("{}: {message}", d.severity.as_str()));
                writeln!(
                    out,
                    r#"      <failure type="{} {}" message="{message}">{}:{}:{}: {message}</failure>"#,
                    d.rule, d.name, path, d.line, d.column
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn one_case_per_file_and_one_failure_per_finding() {
        insta::assert_snapshot!("junit_format", render(&Junit, &report()));
    }

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            xml("a<b>&\"c\" 'd'\u{1b}[31m\n"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\\u{1b}[31m\\u{a}"
        );
        let mut r = report();
        r.diagnostics[1].message = "<![CDATA[ ]]> & </failure>".into();
        r.paths.push("specs/<&>\u{7}.md".into());
        let out = render(&Junit, &r);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 3);
        assert_eq!(
            failures[1].attribute("message"),
            Some("error: <![CDATA[ ]]> & </failure>")
        );
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|n| n.attribute("name").unwrap())
            .collect();
        assert_eq!(
            cases,
            [
                "specs/001-a/bad.md",
                "specs/001-a/plan.md",
                "specs/001-a/spec.md",
                "specs/<&>\\u{7}.md"
            ]
        );
        let suite = doc.root_element();
        assert_eq!(suite.attribute("tests"), Some("4"));
        assert_eq!(suite.attribute("failures"), Some("2"));
    }

    #[test]
    fn characters_xml_cannot_hold_are_shown_escaped() {
        assert_eq!(xml("q \u{ffff} \u{fffe} x"), r"q \u{ffff} \u{fffe} x");
    }

    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let c = prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '\u{0}',
                '\u{1b}',
                '\t',
                '\r',
                '\n',
                '\u{7f}',
                '\u{9b}',
                '\u{fffe}',
                '\u{ffff}',
                '\u{fffd}',
                '\u{d7ff}',
                '\u{e000}',
                '\u{10ffff}',
                '<',
                '&',
                '"',
                '\'',
                ']',
            ]),
        ];
        proptest::collection::vec(c, 0..24).prop_map(String::from_iter)
    }

    proptest::proptest! {
        #[test]
        fn any_message_and_path_give_well_formed_xml(message in any_text(), path in any_text()) {
            let mut r = report();
            r.diagnostics[1].message = message.into();
            r.diagnostics[1].path = path.as_str().into();
            r.paths.push(path);
            let out = render(&Junit, &r);
            let doc = roxmltree::Document::parse(&out);
            proptest::prop_assert!(doc.is_ok(), "{:?} in\n{}", doc.err(), out);
            let failures = doc
                .unwrap()
                .descendants()
                .filter(|n| n.has_tag_name("failure"))
                .count();
            proptest::prop_assert_eq!(failures, 3);
        }
    }
}

//! `--format gitlab`: a GitLab Code Quality report, a JSON array with one issue per finding:
//! `description`, `check_name`, `fingerprint`, `severity` and `location.path` /
//! `location.lines.begin`.
//!
//! The fingerprint is how GitLab tells a finding that was already there from a new one, so it
//! depends only on what stays put while a document is edited elsewhere: the rule, the path
//! relative to the repository root (never the folder the repository was cloned into) and the
//! message, plus a counter among identical findings in one file. It does not change between
//! runs or machines, nor when lines are added above the finding. Severities map to GitLab's
//! levels as error → `major`, warning → `minor`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::Writer;
use crate::docs::fingerprint::fnv1a64;
use crate::lint::engine::CheckReport;
use crate::lint::{Diagnostic, Severity};

pub(super) struct Gitlab;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

/// 16 hex digits of the hash of the finding's rule, path and message and `nth` (how many
/// identical findings came before it in the file).
fn fingerprint(d: &Diagnostic, nth: usize) -> String {
    let key = format!("{}\0{}\0{}\0{nth}", d.rule, d.path, d.message);
    format!("{:016x}", fnv1a64(key.as_bytes()))
}

impl Writer for Gitlab {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
        let issues: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                let nth = seen.entry((d.rule, &d.path, &d.message)).or_default();
                let fingerprint = fingerprint(d, *nth);
                *nth += 1;
                json!({
                    "description": format!("{} {}: {}", d.rule, d.name, d.message),
                    "check_name": d.rule,
                    "fingerprint": fingerprint,
                    "severity": severity(d.severity),
                    "location": {"path": d.path, "lines": {"begin": d.line}},
                })
            })
            .collect();
        crate::report::write_json(out, &issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn code_quality_issues() {
        insta::assert_snapshot!("gitlab_format", render(&Gitlab, &report()));
    }

    #[test]
    fn fingerprints_are_unique_and_ignore_the_line() {
        let mut r = report();
        let v = |r: &CheckReport| -> Value { serde_json::from_str(&render(&Gitlab, r)).unwrap() };
        let before = v(&r);
        // The same finding twice in one file: two issues, two fingerprints.
        let mut twin = r.diagnostics[1].clone();
        twin.line += 3;
        r.diagnostics.insert(2, twin);
        let after = v(&r);
        let prints: Vec<&str> = after
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        let mut unique = prints.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), prints.len(), "{prints:?}");
        // Lines added above a finding move it, but it keeps its fingerprint.
        r.diagnostics[1].line += 10;
        assert_eq!(v(&r)[1]["fingerprint"], before[1]["fingerprint"]);
        assert_eq!(v(&r)[1]["location"]["lines"]["begin"], 22);
    }
}

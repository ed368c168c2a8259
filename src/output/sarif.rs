//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Writer;
use crate::config::Level;
use crate::lint::engine::CheckReport;
use crate::lint::{rule_index, RULES};

pub(super) struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where a reader learns about the tool: the crate's repository when the manifest names one,
/// else its crates.io page.
fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => concat!("https://crates.io/crates/", env!("CARGO_PKG_NAME")),
        repo => repo,
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Off => "none",
        Level::Warning => "warning",
        Level::Error => "error",
    }
}

impl Writer for Sarif {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = RULES
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "defaultConfiguration": {"level": level(r.default)},
                })
            })
            .collect();
        let results: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                json!({
                    "ruleId": d.rule,
                    "ruleIndex": rule_index(d.rule),
                    "level": d.severity.as_str(),
                    "message": {"text": d.message},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.column,
                                "endColumn": d.end_column,
                            },
                        },
                    }],
                })
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "specops",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": information_uri(),
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        crate::report::write_json(out, &log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn required_fields_and_rule_indexes() {
        let v: Value = serde_json::from_str(&render(&Sarif, &report())).unwrap();
        assert_eq!(v["version"], "2.1.0");
        assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let driver = &v["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "specops");
        assert!(driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        assert_eq!(rules[6]["defaultConfiguration"]["level"], "warning");
        for result in v["runs"][0]["results"].as_array().unwrap() {
            let i = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], result["ruleId"]);
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            assert!(region["endColumn"].as_u64() >= region["startColumn"].as_u64());
        }
    }
}

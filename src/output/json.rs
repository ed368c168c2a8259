//! `--format json` (and `--json`): a stable array of findings, sorted by path, line, column and
//! rule, each with exactly `rule, name, severity, path, line, column, end_column, message`.
//! (PRODUCT.md has every command print one JSON object; `check` prints this array instead, as
//! its own contract says, so that a result can be piped straight into `jq '.[]'`.)

use std::io::{self, Write};

use super::Writer;
use crate::lint::engine::CheckReport;

pub(super) struct Json;

impl Writer for Json {
    fn write(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        crate::report::write_json(out, &report.diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{render, report};

    #[test]
    fn exactly_the_contract_fields() {
        let v: serde_json::Value = serde_json::from_str(&render(&Json, &report())).unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items.len(), 3);
        for item in items {
            let mut keys: Vec<&str> = item
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort();
            assert_eq!(
                keys,
                [
                    "column",
                    "end_column",
                    "line",
                    "message",
                    "name",
                    "path",
                    "rule",
                    "severity"
                ]
            );
        }
        assert_eq!(items[2]["severity"], "warning");
        let empty = CheckReport {
            diagnostics: vec![],
            files: 0,
            paths: vec![],
            errors: 0,
            warnings: 0,
        };
        assert_eq!(render(&Json, &empty), "[]\n");
    }
}

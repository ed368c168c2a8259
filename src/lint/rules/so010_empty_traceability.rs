//! SO010 empty-traceability: a row of the plan's Requirement Traceability table whose plan
//! element or validation still says nothing (an em dash, empty, `TBD`), and requirements of the
//! spec that have no row at all (reported once, on the table's header). A plan whose table is
//! left as derived traces nothing: the check that proves a requirement was never chosen.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct EmptyTraceability;

/// What SO010 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO010",
    name: "empty-traceability",
    default: Level::Error,
    scope: Scope::Feature,
    supersedes: None,
    summary: "a traceability row of the plan with no plan element or validation, or a requirement with no row",
    explanation: "The plan's Requirement Traceability table says, for each requirement of the \
        spec, which plan element meets it (a module, an environment input, a policy, a pipeline \
        stage) and which check proves it. `specops plan` writes one row per requirement with em \
        dashes in both cells; a row still holding a dash, an empty cell, `TBD` or `TODO` there \
        means nobody decided how the requirement is met or shown to be met. Reported on the \
        row. An active requirement of the spec with no row at all is reported once, on the \
        table's header. Rows of withdrawn requirements need no answer. In a table of another \
        tool whose header names no plan-element or validation column, a row is reported only \
        when every cell after the ID is empty.",
    fix: "Fill the row's plan element and validation cells (for example `modules/tenant-quota` \
        and `tests/post-deploy/quota_test.go`); add a row for each requirement the table lacks, \
        or run `specops plan --force` to derive the table again.",
    fires: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n",
        ),
        (
            "specs/001-backups/plan.md",
            "## Requirement Traceability\n\n\
            | Requirement | Summary | Plan element | Validation |\n\
            |-------------|---------|--------------|------------|\n\
            | IR-001 | 30-day retention | — | — |\n",
        ),
    ],
    passes: &[
        (
            "specs/001-backups/spec.md",
            "## Requirements\n\n- **IR-001**: Nightly backups are kept for 30 days.\n",
        ),
        (
            "specs/001-backups/plan.md",
            "## Requirement Traceability\n\n\
            | Requirement | Summary | Plan element | Validation |\n\
            |-------------|---------|--------------|------------|\n\
            | IR-001 | 30-day retention | modules/backup | tests/backup_retention_test.go |\n",
        ),
    ],
};

impl Rule for EmptyTraceability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Plan), Some((_, plan))) = (doc.kind, related.plan) else {
            return;
        };
        for row in trace::unanswered_rows(related.spec, plan) {
            let message = format!(
                "the traceability row of {} has no {} yet: say which plan element meets it and which check proves it",
                row.id,
                join_lower(&row.columns)
            );
            out.extend(
                Finding::at(self.index(), doc, row.line, &row.id, message).map(|f| f.about(row.id)),
            );
        }
        let (Some(spec), Some(table)) = (related.spec, &plan.traceability_table) else {
            return;
        };
        let missing = trace::missing_rows(spec, plan);
        if missing.is_empty() {
            return;
        }
        let shown: Vec<&str> = missing.iter().take(20).copied().collect();
        let more = missing.len() - shown.len();
        let (word, verb) = if missing.len() == 1 {
            ("requirement", "has")
        } else {
            ("requirements", "have")
        };
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        let message = format!(
            "{word} {}{more} of the spec {verb} no row in this traceability table: add a row for each, or derive the table again with `specops plan --force`",
            shown.join(", ")
        );
        let needle = table.header.first().map_or("", String::as_str);
        out.extend(Finding::at(self.index(), doc, table.line, needle, message));
    }
}

/// `Plan element and Validation` → `plan element and validation`.
fn join_lower(columns: &[String]) -> String {
    let lower: Vec<String> = columns.iter().map(|c| c.to_lowercase()).collect();
    match lower.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{plan::Plan, spec::Spec};
    use crate::lint::rules::testing::run_related;

    const SPEC: &str = "- **IR-001**: a\n- **IR-002**: b\n- **IR-003**: ~~c~~ Withdrawn.\n- **NFR-001**: d\n- **SC-001**: e\n";

    fn found(plan_doc: &str, spec_doc: Option<&str>) -> Vec<(usize, String, String)> {
        let plan = Plan::parse(&crate::markdown::Document::parse(plan_doc));
        let spec = spec_doc.map(|s| Spec::parse(&crate::markdown::Document::parse(s)));
        let related = Related {
            spec: spec.as_ref(),
            plan: Some((plan_doc, &plan)),
            tasks: None,
            repository: None,
        };
        run_related(&EmptyTraceability, Some(Kind::Plan), plan_doc, &related)
    }

    #[test]
    fn rows_that_say_nothing_and_requirements_without_a_row() {
        let plan = "\
## Requirement Traceability

| Requirement | Summary | Plan element | Validation |
|-------------|---------|--------------|------------|
| IR-001 | a | modules/x | tests/x |
| IR-002 | b | — | tests/y |
| IR-003 | c | — | — |
| **NFR-001** | d | TBD | |
";
        let got = found(plan, Some(SPEC));
        let lines: Vec<(usize, &str)> = got.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(lines, [(6, "IR-002"), (8, "NFR-001"), (3, "Requirement")]);
        assert!(got[0].2.contains("has no plan element yet"), "{}", got[0].2);
        assert!(
            got[1].2.contains("has no plan element and validation yet"),
            "{}",
            got[1].2
        );
        assert!(
            got[2]
                .2
                .starts_with("requirement SC-001 of the spec has no row"),
            "{}",
            got[2].2
        );
        // Without the spec only the rows are judged; IR-003 is then not known to be withdrawn.
        let lines: Vec<usize> = found(plan, None).iter().map(|f| f.0).collect();
        assert_eq!(lines, [6, 7, 8]);
    }

    #[test]
    fn other_tables_and_plans_without_one() {
        // A header naming no answer column: only a row with nothing after its ID is reported.
        let other = "## Traceability\n| ID | Notes |\n|---|---|\n| IR-001 | covered by the mesh |\n| IR-002 | — |\n| IR-003 | |\n";
        let lines: Vec<usize> = found(other, None).iter().map(|f| f.0).collect();
        assert_eq!(lines, [5, 6]);
        assert!(found("# Plan\n\nNo table here.\n", Some(SPEC)).is_empty());
        // A heading with no table: every requirement is missing, reported on the heading.
        let got = found("## Requirement Traceability\n\nTo do.\n", Some(SPEC));
        assert_eq!(got.len(), 1);
        assert!(
            got[0].2.starts_with(
                "requirements IR-001, IR-002, NFR-001, SC-001 of the spec have no row"
            ),
            "{}",
            got[0].2
        );
        // Rows of withdrawn requirements and rows saying Withdrawn are answered.
        let withdrawn = "## Traceability\n| Requirement | Plan element | Validation |\n|---|---|---|\n| IR-001 | Withdrawn | Withdrawn |\n| IR-003 | — | — |\n";
        let lines: Vec<usize> = found(withdrawn, Some(SPEC)).iter().map(|f| f.0).collect();
        assert_eq!(lines, [2], "only the missing rows, on the header");
    }
}

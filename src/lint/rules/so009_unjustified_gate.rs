//! SO009 unjustified-gate: an unticked Constitution Check item of the plan whose gate no
//! Complexity Tracking row names. A gate is either passed (ticked) or knowingly broken and
//! justified in Complexity Tracking; a justified gate is not an SO002 finding either.

use crate::config::Level;
use crate::docs::trace;
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};

pub(super) struct UnjustifiedGate;

/// What SO009 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO009",
    name: "unjustified-gate",
    default: Level::Error,
    scope: Scope::Feature,
    supersedes: Some("SO002"),
    summary: "an unticked plan gate with no Complexity Tracking row",
    explanation: "An unticked item under the plan's Constitution Check whose gate no Complexity \
        Tracking row names. A gate is either passed (ticked) or knowingly broken and justified in \
        Complexity Tracking; one that is neither is an unexamined break of the constitution. It \
        replaces SO002's finding on the same checkbox, so the item is reported once.",
    fix: "Tick the item once the plan passes the gate, or add a Complexity Tracking row \
        that names the gate (`Simplicity Gate`, or its article, `Article VII`) and says why it is \
        broken.",
    fires: &[(
        "specs/001-backups/plan.md",
        "## Constitution Check\n\n#### Simplicity Gate (Article VII)\n\n\
        - [ ] At most three projects\n",
    )],
    passes: &[(
        "specs/001-backups/plan.md",
        "## Constitution Check\n\n#### Simplicity Gate (Article VII)\n\n\
        - [ ] At most three projects\n\n## Complexity Tracking\n\n\
        | Gate | Violation | Why needed | Simpler alternative rejected because |\n\
        |---|---|---|---|\n\
        | Simplicity Gate (Article VII) | four projects | the vault lives in another account \
        | one project cannot hold two accounts |\n",
    )],
};

impl Rule for UnjustifiedGate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        let (Some(Kind::Plan), Some((_, plan))) = (doc.kind, related.plan) else {
            return;
        };
        for gate in trace::unjustified_gates(plan) {
            out.extend(Finding::at(
                self.index(),
                doc,
                gate.line,
                "[ ]",
                format!(
                    "gate `{}` is neither ticked nor justified: tick it once the plan passes, or add a Complexity Tracking row that names it and says why",
                    gate.id
                ),
            )
            .map(|f| f.about(gate.id.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::plan::Plan;
    use crate::lint::rules::testing::run_related;

    #[test]
    fn unticked_gates_without_a_complexity_row() {
        let doc = "\
## Constitution Check
#### Simplicity Gate (Article VII)
- [ ] At most three projects
#### Anti-Abstraction Gate (Article VIII)
- [ ] No wrappers
- [x] One representation
## Complexity Tracking
| Gate | Violation | Why | Rejected |
|---|---|---|---|
| Simplicity Gate (Article VII) | four projects | a | b |
";
        let plan = Plan::parse(&crate::markdown::Document::parse(doc));
        let related = Related {
            plan: Some((doc, &plan)),
            ..Related::default()
        };
        let found = run_related(&UnjustifiedGate, Some(Kind::Plan), doc, &related);
        assert_eq!(
            found
                .iter()
                .map(|f| (f.0, f.1.as_str()))
                .collect::<Vec<_>>(),
            [(5, "[ ]")]
        );
        assert!(
            found[0].2.contains("Anti-Abstraction Gate"),
            "{}",
            found[0].2
        );
    }
}

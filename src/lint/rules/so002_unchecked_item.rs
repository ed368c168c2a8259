//! SO002 unchecked-item: an unticked `- [ ]` item in a checklist file, or in the plan's gate
//! sections (the `Constitution Check` heading and everything under it). Unticked items elsewhere
//! (tasks in tasks.md, notes in a spec) are work still to do, not findings. An unticked gate
//! that a Complexity Tracking row justifies is a decision, not an open item.
//!
//! A checklist item set aside on purpose is not open either: one under a heading that lists
//! what is out of scope, deferred, not applicable, optional or for the future (`## Out of
//! Scope`, `### Deferred to v2`, `## Non-Goals`), and one marked so itself (`(deferred)`,
//! `[N/A]`, `(out of scope: …)`, a leading `N/A` or `Optional:`, or struck through whole with
//! `~~…~~`).

use crate::config::Level;
use crate::docs::{aside, plan::Plan, trace};
use crate::lint::kinds::Kind;
use crate::lint::{Document, Finding, Related, Rule, RuleMeta, Scope};
use crate::markdown::Check;

pub(super) struct UncheckedItem;

/// What SO002 is, for the registry, `--rule`, the docs and SARIF.
static META: RuleMeta = RuleMeta {
    id: "SO002",
    name: "unchecked-item",
    default: Level::Error,
    scope: Scope::Document,
    supersedes: None,
    summary: "an unticked `- [ ]` item in a checklist file or in the plan's gate sections",
    explanation: "An unticked `- [ ]` item in a checklist file, or under the plan's `Constitution \
        Check` heading: a check nobody has confirmed, so the document is not finished. Unticked \
        items elsewhere (tasks, notes) are work still to do, not findings. A gate that a \
        Complexity Tracking row justifies is a decision, not an open item; an unjustified one is \
        reported by SO009 instead.",
    fix: "Tick the item once what it states is true. A plan gate that cannot pass needs a \
        Complexity Tracking row that names it and says why, not a tick.",
    fires: &[(
        "specs/001-backups/checklists/requirements.md",
        "# Specification Quality Checklist\n\n- [x] Every requirement is testable\n\
        - [ ] Success criteria are measurable\n",
    )],
    passes: &[(
        "specs/001-backups/checklists/requirements.md",
        "# Specification Quality Checklist\n\n- [x] Every requirement is testable\n\
        - [x] Success criteria are measurable\n",
    )],
};

impl Rule for UncheckedItem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, related: &Related, out: &mut Vec<Finding>) {
        match doc.kind {
            Some(Kind::Checklist) => {
                let start = out.len();
                self.lines(doc, 0..doc.lines.len(), "unticked checklist item", out);
                let aside = set_aside_sections(doc);
                let mut kept = start;
                for i in start..out.len() {
                    let line = doc.line_of(out[i].start);
                    let marked = out[i]
                        .subject
                        .as_deref()
                        .is_some_and(aside::is_marked_aside);
                    if !marked && !aside.iter().any(|r| r.contains(&line)) {
                        out.swap(kept, i);
                        kept += 1;
                    }
                }
                out.truncate(kept);
            }
            Some(Kind::Plan) => {
                let start = out.len();
                for (i, h) in doc.headings.iter().enumerate() {
                    if doc.title(h).to_lowercase().contains("constitution check") {
                        self.lines(doc, h.line..doc.section_end(i), "unticked gate", out);
                    }
                }
                if out.len() > start {
                    drop_justified(doc, related, out, start);
                }
            }
            _ => {}
        }
    }
}

/// The line ranges of the sections whose heading sets their items aside.
fn set_aside_sections(doc: &Document) -> Vec<std::ops::Range<usize>> {
    doc.headings
        .iter()
        .enumerate()
        .filter(|(_, h)| aside::is_aside_heading(doc.title(h)))
        .map(|(i, h)| h.line..doc.section_end(i))
        .collect()
}

/// Remove the findings from `start` on that sit on a gate item a Complexity Tracking row
/// justifies.
fn drop_justified(doc: &Document, related: &Related, out: &mut Vec<Finding>, start: usize) {
    let parsed;
    let plan = match related.plan {
        Some((_, plan)) => plan,
        None => {
            parsed = Plan::parse(doc.md);
            &parsed
        }
    };
    let justified: Vec<usize> = plan
        .gates
        .iter()
        .filter(|g| !g.ticked && (g.set_aside || trace::is_justified(plan, &g.gate)))
        .map(|g| g.line)
        .collect();
    if justified.is_empty() {
        return;
    }
    let mut i = start;
    while i < out.len() {
        if justified.contains(&(doc.line_of(out[i].start) + 1)) {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}

impl UncheckedItem {
    fn lines(
        &self,
        doc: &Document,
        lines: std::ops::Range<usize>,
        what: &str,
        out: &mut Vec<Finding>,
    ) {
        for it in doc.items_in(lines) {
            let Some((at, Check::Open)) = it.checkbox else {
                continue;
            };
            let item = doc.item_text(it);
            let item = item.trim();
            if aside::is_template_guidance(item) {
                continue;
            }
            let message = if item.is_empty() {
                format!("{what} (empty)")
            } else {
                format!("{what}: {item}")
            };
            out.push(Finding::new(self.index(), at, at + 3, message).about(item));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    #[test]
    fn checklists_report_every_unticked_item() {
        let text = "# Checklist\n\n- [ ] one\n- [x] two\n* [ ] three\n  - [ ] nested\n1. [ ] numbered\n- [X] done\n```\n- [ ] in code\n```\n<!-- - [ ] in a comment -->\n- [ ]\n";
        assert_eq!(
            lines(&UncheckedItem, Some(Kind::Checklist), text),
            [3, 5, 6, 7, 13]
        );
        let f = run(
            &UncheckedItem,
            Some(Kind::Checklist),
            "- [ ] RTO is stated\r\n",
        );
        assert_eq!(
            f,
            [(
                1,
                "[ ]".to_string(),
                "unticked checklist item: RTO is stated".to_string()
            )]
        );
    }

    #[test]
    fn items_set_aside_on_purpose_are_not_open() {
        let text = "\
# Checklist
- [ ] Open item
- [ ] Backups are tested (deferred)
- [ ] [N/A] Multi-region failover
- [ ] N/A: no PII is stored
- [ ] Optional: dashboards per tenant
- [ ] ~~Blue/green deploys~~
- [ ] The plan says which items are deferred
## Out of Scope
- [ ] Cross-cloud replication
### Details
- [ ] Still out of scope, one level down
## Future Enhancements
- [ ] Cost anomaly alerts
## Security
- [ ] Secrets are rotated
";
        assert_eq!(
            lines(&UncheckedItem, Some(Kind::Checklist), text),
            [2, 8, 16]
        );
    }

    #[test]
    fn plans_report_only_the_constitution_check_subtree() {
        let text = "\
# Implementation Plan
- [ ] before
## Constitution Check
### Phase -1 Gates
#### Simplicity Gate
- [ ] Three modules or fewer
- [x] ticked
### Article Gates
- [ ] **Article I**: module-first
## Complexity Tracking
- [ ] after
";
        assert_eq!(lines(&UncheckedItem, Some(Kind::Plan), text), [6, 9]);
    }

    #[test]
    fn a_gate_justified_in_complexity_tracking_is_not_open() {
        let text = "\
## Constitution Check
#### Simplicity Gate (Article VII)
- [ ] Three modules or fewer
#### Anti-Abstraction Gate (Article VIII)
- [ ] No wrappers
## Complexity Tracking
| Gate | Violation | Why |
|---|---|---|
| Simplicity Gate | five modules | one per region |
";
        assert_eq!(lines(&UncheckedItem, Some(Kind::Plan), text), [5]);
    }

    #[test]
    fn other_kinds_are_left_alone() {
        let text = "## Constitution Check\n- [ ] T001 create the module\n";
        for kind in [None, Some(Kind::Tasks), Some(Kind::Spec)] {
            assert!(lines(&UncheckedItem, kind, text).is_empty(), "{kind:?}");
        }
    }
}

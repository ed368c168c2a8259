//! Refreshing a derived document's fingerprint after it was brought up to date by hand: what
//! `plan --refresh` and `tasks --refresh` write, and what the editor's refresh action offers.
//! Pure functions over text.

use serde::Serialize;

use super::plan::spec_fingerprint;
use crate::docs::plan::{self, Plan};
use crate::docs::trace::{self, Change};
use crate::docs::{fingerprint, spec::Spec, tasks::Tasks};
use crate::markdown::Document;

/// One change a refresh acknowledges.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Acknowledged {
    pub change: Change,
    /// `IR-003`, `module tenant-quota`, `Technical Context`.
    pub name: String,
}

/// What a refresh makes of the target document's text.
pub(crate) struct Refreshed {
    pub text: String,
    pub acknowledged: Vec<Acknowledged>,
    pub rewritten: Vec<String>,
}

/// The plan `text` with the spec's fingerprint re-recorded, and the traceability text of each
/// changed requirement rewritten from the spec.
pub(crate) fn plan(spec: &Spec, text: &str) -> Refreshed {
    let parsed = Plan::parse(&Document::parse(text));
    let stale = trace::stale_requirements(spec, &parsed);
    let updates: Vec<(&str, &str)> = stale
        .iter()
        .filter(|s| s.change == Change::Changed)
        .filter_map(|s| spec.requirement(&s.id))
        .map(|r| (r.id.as_str(), r.text.as_str()))
        .collect();
    let (text, rewritten) = plan::with_requirement_texts(text, &updates);
    Refreshed {
        text: fingerprint::rewrite(&text, "spec", &spec_fingerprint(spec)),
        acknowledged: stale
            .into_iter()
            .map(|s| Acknowledged {
                change: s.change,
                name: s.id,
            })
            .collect(),
        rewritten,
    }
}

/// The task list `text` with the fingerprint of the plan (`plan`, whose text is `plan_text`)
/// re-recorded, and the spec's too when there is one.
pub(crate) fn tasks(plan: &Plan, plan_text: &str, spec: Option<&Spec>, text: &str) -> Refreshed {
    let old = Tasks::parse(&Document::parse(text));
    let mut acknowledged: Vec<Acknowledged> = trace::plan_changes(plan, &old)
        .into_iter()
        .map(|c| Acknowledged {
            change: c.change,
            name: c.title,
        })
        .collect();
    let mut text = fingerprint::rewrite(text, "plan", &plan.tasks_fingerprint(plan_text));
    if let Some(spec) = spec {
        if let Some(recorded) = &old.spec_fingerprint {
            acknowledged.extend(trace::stale_against(spec, recorded).into_iter().map(|s| {
                Acknowledged {
                    change: s.change,
                    name: s.id,
                }
            }));
        }
        text = fingerprint::rewrite(&text, "spec", &spec_fingerprint(spec));
    }
    Refreshed {
        text,
        acknowledged,
        rewritten: Vec::new(),
    }
}

//! The plan set derived from a spec, the constitution and the technology choices: plan.md,
//! research.md, data-model.md, quickstart.md and one contract per interface.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::docs::constitution::Article;
use crate::docs::fingerprint::{self, requirement_hash};
use crate::docs::spec::{Requirement, Scenario, Spec};
use crate::docs::NamedItem;
use crate::feature::FeatureRef;
use crate::layout;

/// One technology choice: "EKS for Kubernetes" is name `EKS`, purpose `Kubernetes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Tech {
    pub name: String,
    pub purpose: String,
}

/// Split the TECH CONTEXT argument into choices: items separated by `,`, `;` or line breaks,
/// each `X for Y` (name X, purpose Y) or just `X`. Empty items and repeated names are dropped.
pub(crate) fn tech_choices(input: &str) -> Vec<Tech> {
    let mut out: Vec<Tech> = Vec::new();
    for item in input.split([',', ';', '\n']) {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        if item.is_empty() {
            continue;
        }
        let split = item.char_indices().map(|(i, _)| i).find(|&i| {
            item.get(i..i + 5)
                .is_some_and(|w| w.eq_ignore_ascii_case(" for "))
        });
        let (name, purpose) = match split {
            Some(i) => (
                item[..i].trim().to_string(),
                item[i + 5..].trim().to_string(),
            ),
            None => (item.clone(), String::new()),
        };
        let name = if name.is_empty() { item.clone() } else { name };
        if out.iter().any(|t| t.name.eq_ignore_ascii_case(&name)) {
            continue;
        }
        out.push(Tech { name, purpose });
    }
    out
}

/// A Phase -1 gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseGate {
    pub name: &'static str,
    /// The constitution article whose title matches the gate, if there is one.
    pub article: Option<String>,
    pub checks: &'static [&'static str],
}

/// The Phase -1 gates and the article-title word each is tied to.
const PHASE_GATES: &[(&str, &str, &[&str])] = &[
    (
        "Simplicity",
        "simplicity",
        &[
            "The first iteration uses at most three deployable projects (for example modules, environments, tests)",
            "No speculative features, extension points or options that no requirement asks for",
            "Every module, environment and pipeline stage answers to at least one requirement ID",
        ],
    ),
    (
        "Anti-Abstraction",
        "antiabstraction",
        &[
            "Provider resources and platform features are used directly, with no wrapper that only renames them",
            "Each resource is defined in exactly one place, in one tool and one format",
        ],
    ),
    (
        "Integration-First",
        "integrationfirst",
        &[
            "Every interface in contracts/ has a written contract before it is implemented",
            "Contract and integration tests run against real, ephemeral environments rather than mocks",
        ],
    ),
];

/// The Phase -1 gates, tied to the constitution's articles whose titles match them.
pub(crate) fn phase_gates(articles: &[Article]) -> Vec<PhaseGate> {
    let squash = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    PHASE_GATES
        .iter()
        .map(|(name, word, checks)| PhaseGate {
            name,
            article: articles
                .iter()
                .find(|a| squash(&a.title).contains(word))
                .map(|a| a.number.clone()),
            checks,
        })
        .collect()
}

/// Everything the plan set is derived from.
pub(crate) struct PlanInput<'a> {
    pub feature: &'a FeatureRef,
    pub spec: &'a Spec,
    pub articles: &'a [Article],
    /// The TECH CONTEXT argument as given.
    pub tech_context: &'a str,
    pub variant: Option<&'a str>,
    pub date: &'a str,
}

/// One document of the plan set: where it goes (relative to the plan folder), which template
/// renders it, and with what.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
}

/// Counts for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub gates: usize,
    pub requirements: usize,
}

#[derive(Serialize)]
struct Common<'a> {
    feature: &'a FeatureRef,
    title: &'a str,
    date: &'a str,
    version: &'static str,
}

#[derive(Serialize)]
struct Interface<'a> {
    name: &'a str,
    description: &'a str,
    slug: &'a str,
}

/// The plan set for `input`, and its counts.
pub(crate) fn documents(input: &PlanInput<'_>) -> (Vec<Document>, Counts) {
    let spec = input.spec;
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| input.feature.short_name.clone());
    let common = Common {
        feature: input.feature,
        title: &title,
        date: input.date,
        version: env!("CARGO_PKG_VERSION"),
    };
    let tech = tech_choices(input.tech_context);
    let gates = phase_gates(input.articles);
    let scenarios: Vec<&Scenario> = spec.by_priority();
    let requirements: &[Requirement] = &spec.requirements;
    let spec_link = if input.variant.is_some() {
        format!("../../{}", layout::SPEC)
    } else {
        layout::SPEC.to_string()
    };
    let with = |extra: Value| -> Value {
        let mut base = serde_json::to_value(&common).unwrap_or(Value::Null);
        if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
            b.extend(e);
        }
        base
    };
    let mut docs = vec![
        Document {
            path: layout::PLAN.into(),
            template: "plan.md.j2",
            context: with(serde_json::json!({
                "spec_file": spec_link,
                "variant": input.variant,
                "tech_context": input.tech_context,
                "tech": tech,
                "phase_gates": gates,
                "article_gates": input.articles,
                "requirements": requirements,
                "scenarios": scenarios,
                "fingerprint": spec_fingerprint(spec),
            })),
        },
        Document {
            path: layout::RESEARCH.into(),
            template: "research.md.j2",
            context: with(serde_json::json!({
                "tech_context": input.tech_context,
                "tech": tech,
            })),
        },
        Document {
            path: layout::DATA_MODEL.into(),
            template: "data-model.md.j2",
            context: with(serde_json::json!({ "resources": spec.key_resources })),
        },
        Document {
            path: layout::QUICKSTART.into(),
            template: "quickstart.md.j2",
            context: with(serde_json::json!({
                "scenarios": scenarios,
                "requirements": requirements,
            })),
        },
    ];
    let slugs = super::unique_slugs(spec.interfaces.iter().map(|i| i.name.as_str()), "interface");
    for (item, slug) in spec.interfaces.iter().zip(&slugs) {
        let NamedItem {
            name, description, ..
        } = item;
        docs.push(Document {
            path: format!("{}/{slug}.md", layout::CONTRACTS),
            template: "contract.md.j2",
            context: with(serde_json::json!({
                "interface": Interface { name, description, slug },
            })),
        });
    }
    let counts = Counts {
        gates: gates.len() + input.articles.len(),
        requirements: requirements.len(),
    };
    (docs, counts)
}

/// The fingerprint comment of `spec`: one hash per requirement.
pub(crate) fn spec_fingerprint(spec: &Spec) -> String {
    let hashes: BTreeMap<String, String> = spec
        .requirements
        .iter()
        .map(|r| (r.id.clone(), requirement_hash(&r.text)))
        .collect();
    fingerprint::spec_comment(&hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tech_context_items() {
        let got = tech_choices(
            "EKS for Kubernetes, Cilium for network policies; ArgoCD FOR GitOps\nTerraform,, eks for again, Straße for ümlauts, for nothing",
        );
        let pairs: Vec<(&str, &str)> = got
            .iter()
            .map(|t| (t.name.as_str(), t.purpose.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("EKS", "Kubernetes"),
                ("Cilium", "network policies"),
                ("ArgoCD", "GitOps"),
                ("Terraform", ""),
                ("Straße", "ümlauts"),
                ("for nothing", ""),
            ]
        );
        assert!(tech_choices("  ,; \n").is_empty());
    }

    #[test]
    fn phase_gates_follow_the_constitution() {
        let shipped = crate::docs::constitution::articles(&crate::markdown::Document::parse(
            crate::managed::CONSTITUTION,
        ));
        let gates = phase_gates(&shipped);
        let tied: Vec<(&str, Option<&str>)> = gates
            .iter()
            .map(|g| (g.name, g.article.as_deref()))
            .collect();
        assert_eq!(
            tied,
            [
                ("Simplicity", Some("VII")),
                ("Anti-Abstraction", Some("VIII")),
                ("Integration-First", Some("IX")),
            ]
        );
        let custom = crate::docs::constitution::articles(&crate::markdown::Document::parse(
            "## Article 2: Keep it simple\n## Article 5: Anti abstraction\n",
        ));
        let tied: Vec<Option<String>> = phase_gates(&custom)
            .into_iter()
            .map(|g| g.article)
            .collect();
        assert_eq!(tied, [None, Some("5".to_string()), None]);
    }
}

//! The plan set derived from a spec, the constitution and the technology choices: plan.md,
//! research.md, data-model.md, quickstart.md and one contract per interface.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::tools::{self, Category};
use crate::docs::constitution::Article;
use crate::docs::facts::Facts;
use crate::docs::fingerprint::{self, requirement_hash};
use crate::docs::spec::{Requirement, Scenario, Spec};
use crate::docs::NamedItem;
use crate::feature::FeatureRef;
use crate::layout;

/// One technology choice: "EKS for Kubernetes" is name `EKS`, purpose `Kubernetes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Tech {
    pub name: String,
    /// As given after `for`; else what the known tool is for; else empty (the plan asks).
    pub purpose: String,
    /// The Technical Context question it answers: named by its purpose (`S3 for state`), or
    /// by the known tool (`Terraform`).
    pub category: Option<Category>,
}

/// Split the TECH CONTEXT argument into choices: items separated by `,`, `;` or line breaks,
/// each `X for Y` (name X, purpose Y) or just `X`. Empty items and repeated names are dropped.
pub(crate) fn tech_choices(input: &str) -> Vec<Tech> {
    let mut out: Vec<Tech> = Vec::new();
    for item in input.split([',', ';', '\n', '\r']) {
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
        let known = tools::lookup(&name);
        let category = Category::of_purpose(&purpose).or(known.and_then(|t| t.category));
        let purpose = match (purpose.is_empty(), known) {
            (true, Some(t)) => t.purpose().to_string(),
            _ => purpose,
        };
        out.push(Tech {
            name,
            purpose,
            category,
        });
    }
    out
}

/// A question of the Technical Context, for the plan template: the choices that answer it, or
/// the question while none does.
#[derive(Debug, Serialize)]
struct Question<'a> {
    category: Category,
    label: &'static str,
    question: &'static str,
    answers: Vec<Answer<'a>>,
}

/// A choice that answers a question; `notes` is its own purpose when that says more than the
/// question's label (`Terratest for integration tests`, not `Terraform for IaC`).
#[derive(Debug, Serialize)]
struct Answer<'a> {
    name: &'a str,
    notes: &'a str,
}

fn questions(tech: &[Tech]) -> Vec<Question<'_>> {
    Category::ALL
        .iter()
        .map(|&c| Question {
            category: c,
            label: c.label(),
            question: c.question(),
            answers: tech
                .iter()
                .filter(|t| t.category == Some(c))
                .map(|t| Answer {
                    name: &t.name,
                    notes: if t.purpose.split_whitespace().count() < 2
                        || t.purpose.eq_ignore_ascii_case(c.label())
                    {
                        ""
                    } else {
                        &t.purpose
                    },
                })
                .collect(),
        })
        .collect()
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
    /// The values the spec states (RTO, ceilings, environments…), written where the templates
    /// would leave a placeholder.
    pub facts: &'a Facts,
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
    /// Given to every document: each uses the values that stand where its placeholders would.
    facts: &'a Facts,
}

/// A module the plan starts from: one per key resource of the spec, named by its slug, with
/// the IDs its line names; the author merges, splits and renames them in `## Modules`.
#[derive(Debug, Serialize, PartialEq, Eq)]
struct ModuleDraft {
    name: String,
    ids: Vec<String>,
    description: String,
}

fn module_drafts(spec: &Spec) -> Vec<ModuleDraft> {
    let slugs = super::unique_slugs(spec.key_resources.iter().map(|k| k.name.as_str()), "module");
    spec.key_resources
        .iter()
        .zip(slugs)
        .map(|(k, name)| {
            let mut ids: Vec<String> = Vec::new();
            for id in crate::docs::ids_in(&k.description) {
                if spec.requirement(id).is_some() && !ids.iter().any(|i| i == id) {
                    ids.push(id.to_string());
                }
            }
            ModuleDraft {
                name,
                ids,
                description: without_id_lists(&k.description),
            }
        })
        .collect()
}

/// `text` without its parenthesised lists of requirement IDs (`(IR-001, NFR-002)`), which the
/// module item carries in its own parentheses.
fn without_id_lists(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let only_ids = inner
            .split([',', ' ', ';'])
            .filter(|w| !w.is_empty() && *w != "and")
            .all(crate::docs::is_id);
        out.push_str(&rest[..open]);
        if !only_ids {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // `(IR-001): the replica` leaves `: the replica`; the item writes its own separator.
    out.trim_start_matches([':', '—', '–', '-', ' '])
        .to_string()
}

/// The folders of the suggested layout's `environments/`: one per environment the spec
/// names, in its order; dev, staging and prod when it names none.
fn environment_folders(facts: &Facts) -> Vec<String> {
    if facts.environments.is_empty() {
        return ["dev", "staging", "prod"].map(String::from).to_vec();
    }
    super::unique_slugs(
        facts.environments.iter().map(|e| e.name.as_str()),
        "environment",
    )
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
        facts: input.facts,
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
                "questions": questions(&tech),
                "phase_gates": gates,
                "article_gates": input.articles,
                "requirements": requirements,
                "scenarios": scenarios,
                "modules": module_drafts(spec),
                "environment_folders": environment_folders(input.facts),
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
    fn modules_start_from_the_key_resources() {
        let spec = Spec::parse(&crate::markdown::Document::parse(
            "- **IR-001**: a\n- **NFR-002**: b\n### Key Resources\n- **Tenant Namespace**: the unit a tenant deploys into (IR-001, NFR-002, IR-404)\n- **Quota**: limits (per tenant) and IR-001 again\n- **Replica DB** (IR-001): the replica\n- **Tenant namespace**:\n",
        ));
        let got: Vec<(String, Vec<String>, String)> = module_drafts(&spec)
            .into_iter()
            .map(|m| (m.name, m.ids, m.description))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                (
                    "tenant-namespace".into(),
                    s(&["IR-001", "NFR-002"]),
                    "the unit a tenant deploys into".into()
                ),
                (
                    "quota".into(),
                    s(&["IR-001"]),
                    "limits (per tenant) and IR-001 again".into()
                ),
                ("replica-db".into(), s(&["IR-001"]), "the replica".into()),
                ("tenant-namespace-2".into(), vec![], String::new()),
            ]
        );
    }

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
                ("Terraform", "IaC language"),
                ("Straße", "ümlauts"),
                ("for nothing", ""),
            ]
        );
        assert!(tech_choices("  ,; \n").is_empty());
        // Lines end at a bare CR too.
        let names: Vec<String> = tech_choices("EKS for Kubernetes\rArgoCD for GitOps")
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["EKS", "ArgoCD"]);
    }

    #[test]
    fn known_tools_answer_their_questions() {
        let tech = tech_choices(
            "Terraform for IaC, S3 for remote state, GitHub Actions, Terratest for integration tests, Checkov, EKS, Cilium",
        );
        let got: Vec<(&str, &str, Option<Category>)> = tech
            .iter()
            .map(|t| (t.name.as_str(), t.purpose.as_str(), t.category))
            .collect();
        assert_eq!(
            got,
            [
                ("Terraform", "IaC", Some(Category::Iac)),
                ("S3", "remote state", Some(Category::StateBackend)),
                ("GitHub Actions", "CI/CD pipeline", Some(Category::Pipeline)),
                ("Terratest", "integration tests", Some(Category::Testing)),
                ("Checkov", "Testing", Some(Category::Testing)),
                ("EKS", "Kubernetes", None),
                ("Cilium", "Network policies", None),
            ]
        );
        let rows: Vec<(&str, Vec<(&str, &str)>)> = questions(&tech)
            .iter()
            .map(|q| {
                (
                    q.label,
                    q.answers.iter().map(|a| (a.name, a.notes)).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("IaC language", vec![("Terraform", "")]),
                ("State backend", vec![("S3", "remote state")]),
                ("CI/CD pipeline", vec![("GitHub Actions", "")]),
                (
                    "Testing",
                    vec![("Terratest", "integration tests"), ("Checkov", "")]
                ),
            ]
        );
        assert!(questions(&tech_choices("Cilium"))
            .iter()
            .all(|q| q.answers.is_empty()));
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

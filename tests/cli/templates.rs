//! Snapshots of every embedded template rendered with a fixed context, so a template change is
//! reviewed like code.

use serde_json::{json, Value};
use specops::templates::{Templates, EMBEDDED};

fn base() -> Value {
    json!({
        "feature": {
            "number": "003",
            "short_name": "multi-tenant-kubernetes",
            "branch": "003-multi-tenant-kubernetes",
            "dir": "specs/003-multi-tenant-kubernetes",
        },
        "title": "Multi-tenant Kubernetes platform with namespace isolation",
        "description": "Multi-tenant Kubernetes platform with namespace isolation {{ 7*7 }}",
        "date": "2026-11-25",
        "version": "0.0.0-test",
        "facts": facts(),
    })
}

/// Values a spec states, some of them: the RPO is left out, so its placeholder stays.
fn facts() -> Value {
    use specops::docs::facts::{Environment, Facts};
    let env = |name: &str, regions: &str, ceiling: Option<&str>| Environment {
        name: name.into(),
        regions: Some(regions.into()),
        monthly_ceiling: ceiling.map(Into::into),
    };
    serde_json::to_value(Facts {
        availability: Some("99.95% per month".into()),
        rto: Some("15 minutes".into()),
        rpo: None,
        monthly_ceiling: Some("USD 9,000".into()),
        regions: None,
        data_residency: Some("EU only".into()),
        environments: vec![
            env("dev", "eu-west-1", Some("USD 1,000")),
            env("prod", "eu-west-1 | eu-central-1", None),
        ],
    })
    .unwrap()
}

fn with(extra: Value) -> Value {
    let mut v = base();
    for (k, val) in extra.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

fn tech() -> Value {
    json!([
        {"name": "EKS", "purpose": "Kubernetes", "category": null},
        {"name": "Cilium", "purpose": "", "category": null},
        {"name": "Terraform", "purpose": "IaC language", "category": "iac"},
        {"name": "Checkov", "purpose": "policy as code", "category": "testing"},
    ])
}

/// The Technical Context questions: the IaC language and testing answered.
fn questions() -> Value {
    let q = |category: &str, label: &str, question: &str, answers: Value| json!({"category": category, "label": label, "question": question, "answers": answers});
    json!([
        q(
            "iac",
            "IaC language",
            "which IaC language and version?",
            json!([{"name": "Terraform", "notes": ""}])
        ),
        q(
            "state-backend",
            "State backend",
            "where is state stored?",
            json!([])
        ),
        q(
            "pipeline",
            "CI/CD pipeline",
            "which CI/CD system?",
            json!([])
        ),
        q(
            "testing",
            "Testing",
            "which test tools?",
            json!([{"name": "Checkov", "notes": "policy as code"}])
        ),
    ])
}

fn scenarios() -> Value {
    json!([
        {"number": 1, "title": "Tenant onboarding", "priority": "P1"},
        {"number": 2, "title": "Noisy neighbour containment", "priority": "P2"},
    ])
}

fn requirements() -> Value {
    json!([
        {"id": "IR-001", "kind": "IR", "text": "Each tenant MUST get its own namespace.", "withdrawn": false},
        {"id": "IR-002", "kind": "IR", "text": "~~Shared namespaces~~ Withdrawn.", "withdrawn": true},
        {"id": "NFR-001", "kind": "NFR", "text": "Onboarding MUST finish within 10 minutes.", "withdrawn": false},
        {"id": "SC-001", "kind": "SC", "text": "A new tenant is usable within 10 minutes.", "withdrawn": false},
    ])
}

fn context_for(name: &str) -> Value {
    match name {
        "spec.md.j2" | "checklist.md.j2" => base(),
        "plan.md.j2" => with(json!({
            "spec_file": "specs/003-multi-tenant-kubernetes/spec.md",
            "variant": null,
            "tech_context": "EKS for Kubernetes, Cilium for network policies, Terraform",
            "tech": tech(),
            "questions": questions(),
            "phase_gates": [
                {"name": "Simplicity", "article": "VII", "checks": ["Three modules or fewer"]},
                {"name": "Anti-Abstraction", "article": "VIII", "checks": ["Provider resources used directly"]},
                {"name": "Integration-First", "article": null, "checks": ["Contracts written"]},
            ],
            "article_gates": [
                {"number": "I", "title": "Module-First Infrastructure", "summary": "Every capability starts as a module."},
            ],
            "requirements": requirements(),
            "scenarios": scenarios(),
            "environment_folders": ["dev", "staging", "prod"],
            "modules": [
                {"name": "tenant-namespace", "ids": ["IR-001", "NFR-001"], "description": "a namespace per tenant"},
                {"name": "tenant-quota", "ids": [], "description": ""},
            ],
            "fingerprint": "<!-- specops:fingerprint spec=0123456789abcdef -->",
        })),
        "research.md.j2" => with(json!({"tech": tech(), "tech_context": "EKS for Kubernetes"})),
        "data-model.md.j2" => with(json!({"resources": [
            {"name": "Tenant Namespace", "description": "An isolated namespace per tenant"},
            {"name": "Resource Quota", "description": "Limits per tenant"},
        ]})),
        "quickstart.md.j2" => {
            with(json!({"scenarios": scenarios(), "requirements": requirements()}))
        }
        "contract.md.j2" => with(json!({"interface": {
            "name": "Cluster API endpoint", "description": "Private API endpoint for tenants", "slug": "cluster-api-endpoint"
        }})),
        "tasks.md.j2" => with(json!({
            "plan_file": "specs/003-multi-tenant-kubernetes/plan.md",
            "phases": [
                {"number": 1, "title": "Setup", "goal": "Repository layout", "tasks": [
                    {"id": "T001", "parallel": false, "story": null, "description": "Create module layout", "path": "modules/", "requirements": []},
                ]},
                {"number": 3, "title": "Scenario 1: Tenant onboarding (P1)", "goal": "Onboard a tenant", "tasks": [
                    {"id": "T002", "parallel": true, "story": "US1", "description": "Write namespace policy test", "path": "tests/namespace_test.go", "requirements": ["IR-001", "SC-001"]},
                ]},
            ],
            "dependencies": ["Phase 1 before everything"],
            "parallel_groups": [{"phase": "Scenario 1", "ids": ["T002"]}],
            "fingerprint": "<!-- specops:fingerprint plan=fedcba9876543210 -->",
        })),
        n if n.starts_with("commands/") => {
            json!({"args": "$ARGUMENTS", "command": n.trim_start_matches("commands/").trim_end_matches(".md.j2")})
        }
        other => panic!("no test context for template {other}: add one"),
    }
}

#[test]
fn every_embedded_template_renders_and_matches_its_snapshot() {
    let t = Templates::embedded_only();
    for (name, _) in EMBEDDED {
        let out = t
            .render(name, &context_for(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !out.contains("{{") || out.contains("{{ 7*7 }}"),
            "{name} left template syntax"
        );
        let snap = format!("template_{}", name.replace(['/', '.'], "_"));
        insta::assert_snapshot!(snap, out);
    }
}

#[test]
fn user_text_is_never_evaluated() {
    let t = Templates::embedded_only();
    let out = t.render("spec.md.j2", &base()).unwrap();
    assert!(out.contains("{{ 7*7 }}"), "description written literally");
    assert!(!out.contains("49"), "description not evaluated");
}

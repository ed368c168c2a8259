//! `specops plan`: the golden feature, refusal while the spec is open, variants, --force.

use crate::support::Sandbox;
use specops::docs::{plan::Plan, spec::Spec, trace};
use specops::markdown::Document;

pub const FEATURE: &str = "specs/003-multi-tenant-kubernetes";
pub const TECH: &str = "EKS for Kubernetes, Cilium for network policies, ArgoCD for GitOps";

/// Assert that `text` contains `needle`, showing `text` when it does not.
pub fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Finish the plan at `plan` (relative to the root) as its author would before deriving tasks:
/// answer every clarification marker, tick every gate, and add a module for the requirement the
/// key resources leave out.
pub fn decide(s: &Sandbox, plan: &str) {
    let text = s.read(plan);
    let marker = regex::Regex::new(r"\[NEEDS CLARIFICATION: [^\]]*\]").unwrap();
    let text = marker
        .replace_all(&text, "decided in research.md")
        .replace("- [ ] ", "- [x] ")
        .replace(
            "\n## Requirement Traceability",
            "- **zone-spread** (NFR-003): workloads and storage spread over three zones\n\n## Requirement Traceability",
        );
    s.write(plan, &text);
}

/// A repository with the shipped constitution and the golden feature 003.
pub fn golden() -> Sandbox {
    let s = Sandbox::git();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    write_golden(&s, FEATURE);
    s
}

/// The golden spec and its ticked checklist into `dir`.
pub fn write_golden(s: &Sandbox, dir: &str) {
    s.write(
        &format!("{dir}/spec.md"),
        include_str!("../fixtures/golden/spec.md"),
    );
    s.write(
        &format!("{dir}/checklists/requirements.md"),
        include_str!("../fixtures/golden/checklists/requirements.md"),
    );
}

const PLAN_SET: &[&str] = &[
    "plan.md",
    "research.md",
    "data-model.md",
    "quickstart.md",
    "contracts/tenant-self-service-api.md",
    "contracts/tenant-cost-report.md",
];

#[test]
fn golden_feature_plan_set() {
    let s = golden();
    let r = s.run_ok(&["plan", "--feature", "3", TECH]);
    insta::assert_snapshot!("plan_human", r.stdout);
    for f in PLAN_SET {
        let name = format!("golden_{}", f.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, s.read(&format!("{FEATURE}/{f}")));
    }
    let mut written: Vec<String> = s
        .files()
        .into_iter()
        .filter_map(|f| f.strip_prefix(&format!("{FEATURE}/")).map(str::to_string))
        .filter(|f| !f.starts_with("spec.md") && !f.starts_with("checklists/"))
        .collect();
    written.sort();
    let mut expected: Vec<String> = PLAN_SET.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(written, expected);
    assert!(s.join(&format!("{FEATURE}/contracts")).is_dir());
}

#[test]
fn golden_plan_traces_and_fingerprints_every_requirement() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let spec = Spec::parse(&Document::parse(&s.read(&format!("{FEATURE}/spec.md"))));
    let plan = Plan::parse(&Document::parse(&s.read(&format!("{FEATURE}/plan.md"))));
    let traced: Vec<&str> = plan.traceability.iter().map(|r| r.first.as_str()).collect();
    let defined: Vec<&str> = spec.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(traced, defined);
    assert_eq!(
        defined.len(),
        11,
        "IR-999 in a comment is not a requirement"
    );
    assert!(trace::unknown_in_plan(&spec, &plan).is_empty());
    assert!(trace::stale_requirements(&spec, &plan).is_empty());
    // Every gate starts unticked and unjustified: 3 Phase -1 gates (7 items) + 9 articles.
    assert_eq!(trace::unjustified_gates(&plan).len(), 16);
    let text = s.read(&format!("{FEATURE}/plan.md"));
    let scenarios: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("** — Scenario"))
        .collect();
    assert_eq!(
        scenarios,
        [
            "1. **P1** — Scenario 2: Tenant onboarding",
            "2. **P2** — Scenario 1: Noisy neighbour containment",
            "3. **P3** — Scenario 3: Tenant cost report",
        ]
    );
}

#[test]
fn json_report() {
    let s = golden();
    let r = s.run_ok(&["plan", "--json", "--feature", "003", TECH]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["feature_dir"], FEATURE);
    assert_eq!(v["plan_file"], format!("{FEATURE}/plan.md"));
    assert_eq!(v["gates"], 12);
    assert_eq!(v["requirements"], 11);
    assert_eq!(v["open_items"], 0);
    let files: Vec<String> = PLAN_SET.iter().map(|f| format!("{FEATURE}/{f}")).collect();
    assert_eq!(v["files"], serde_json::json!(files));
}

fn open_spec(s: &Sandbox) {
    let spec = include_str!("../fixtures/golden/spec.md").replace(
        "for 400 days, readable by the security team only",
        "for [NEEDS CLARIFICATION: how long, and who may read them?]",
    ) + "\n`[NEEDS CLARIFICATION: inline code is not a marker]`\n";
    s.write(&format!("{FEATURE}/spec.md"), spec);
    let list = include_str!("../fixtures/golden/checklists/requirements.md").replace(
        "- [x] Every requirement is testable",
        "- [ ] Every requirement is testable",
    );
    s.write(&format!("{FEATURE}/checklists/requirements.md"), list);
}

#[test]
fn open_markers_and_unticked_items_refuse_with_file_and_line() {
    let s = golden();
    open_spec(&s);
    let before = s.snapshot_tree();
    let r: crate::support::Run = s.run(&["plan", "--feature", "3"]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    insta::assert_snapshot!("plan_refused", r.stderr);
    assert_eq!(s.snapshot_tree(), before, "nothing written");

    let r: crate::support::Run = s.run(&["plan", "--feature", "3", "--json"]).into();
    assert_eq!(r.code, 1);
    insta::assert_json_snapshot!("plan_refused_json", json(&r.stdout));
    assert_eq!(s.snapshot_tree(), before, "nothing written");
}

/// `plan` names each blocker as `path:line:col`, the place `check` reports it at (` --> path:
/// line:col`, and in `--json`), columns counted in characters after wide ones too.
#[test]
fn blockers_are_where_check_reports_them() {
    let s = golden();
    open_spec(&s);
    let spec = format!("{FEATURE}/spec.md");
    s.write(
        &spec,
        s.read(&spec) + "\n- 要件 🚀\tRTO: [NEEDS CLARIFICATION: 何日?]\n",
    );
    let r: crate::support::Run = s.run(&["plan", "--feature", "3"]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let plan: Vec<String> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("specs/"))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let loc: Vec<&str> = parts.by_ref().take(3).collect();
            loc.join(":")
        })
        .collect();
    assert_eq!(plan.len(), 3, "{}", r.stderr);
    assert!(
        plan.contains(&format!("{spec}:{}:13", s.read(&spec).lines().count())),
        "{plan:?}"
    );
    let r: crate::support::Run = s.run(&["plan", "--feature", "3", "--json"]).into();
    let from_json: Vec<String> = json(&r.stdout)["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{}:{}:{}",
                b["path"].as_str().unwrap(),
                b["line"],
                b["column"]
            )
        })
        .collect();
    assert_eq!(from_json, plan);

    let check: crate::support::Run = s.run(&["check", FEATURE, "--json"]).into();
    let mut found: Vec<String> = json(&check.stdout)
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| matches!(d["rule"].as_str(), Some("SO001" | "SO002")))
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect();
    let mut sorted = plan.clone();
    found.sort();
    sorted.sort();
    assert_eq!(found, sorted);
    let human: crate::support::Run = s.run(&["check", FEATURE]).into();
    for loc in &plan {
        has(&human.stdout, &format!("--> {loc}\n"));
    }
}

#[test]
fn tasks_refuses_a_plan_with_open_markers_or_unjustified_gates() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let plan = format!("{FEATURE}/plan.md");
    // Everything decided but one marker and one gate.
    decide(&s, &plan);
    let text = s.read(&plan);
    let open = text
        .replacen(
            "| EKS | Kubernetes |",
            "| EKS | [NEEDS CLARIFICATION: which node sizes?] |",
            1,
        )
        .replacen(
            "- [x] Every module, environment and pipeline stage",
            "- [ ] Every module, environment and pipeline stage",
            1,
        );
    assert_ne!(open, text);
    s.write(&plan, &open);
    let before = s.snapshot_tree();
    let r: crate::support::Run = s.run(&["tasks", "--feature", "3"]).into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    insta::assert_snapshot!("tasks_refused", r.stderr);
    assert_eq!(s.snapshot_tree(), before, "nothing written");
    let r: crate::support::Run = s.run(&["tasks", "--feature", "3", "--json"]).into();
    assert_eq!(r.code, 1);
    insta::assert_json_snapshot!("tasks_refused_json", json(&r.stdout));
    assert_eq!(s.snapshot_tree(), before, "nothing written");

    // The same gate justified in Complexity Tracking no longer blocks; --allow-open derives
    // over the marker and says so.
    s.write(
        &plan,
        open.replace(
            "|------|-----------|------------------|--------------------------------------|\n",
            "|------|-----------|------------------|--------------------------------------|\n| Simplicity Gate (Article VII) | a fourth project | the tenant registry | folding it into a module breaks Article I |\n",
        ),
    );
    let r: crate::support::Run = s.run(&["tasks", "--feature", "3"]).into();
    assert_eq!(r.code, 1);
    has(&r.stderr, "(1 clarification marker(s))");
    let r = s.run_ok(&["tasks", "--feature", "3", "--allow-open"]);
    has(
        &r.stderr,
        "warning: deriving tasks over 1 open item(s) because of --allow-open",
    );
    assert!(s.exists(&format!("{FEATURE}/tasks.md")));
}

#[test]
fn allow_open_plans_anyway_and_says_so() {
    let s = golden();
    open_spec(&s);
    let r = s.run_ok(&["plan", "--feature", "3", "--allow-open", "--json"]);
    assert_eq!(json(&r.stdout)["open_items"], 2);
    has(&r.stderr, "warning: planning over 2 open item(s)");
    assert!(s.exists(&format!("{FEATURE}/plan.md")));
}

#[test]
fn rerun_is_idempotent_and_a_hand_edit_needs_force() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let before = s.snapshot_tree();
    let r = s.run_ok(&["plan", "--feature", "3", TECH]);
    has(&r.stdout, "unchanged");
    assert_eq!(s.snapshot_tree(), before);

    let plan = format!("{FEATURE}/plan.md");
    let research = format!("{FEATURE}/research.md");
    s.write(
        &plan,
        s.read(&plan).replace("[SUMMARY]", "Hand-written summary."),
    );
    s.write(&research, "# my research\n");
    let before = s.snapshot_tree();
    let r = s.run_err(&["plan", "--feature", "3", TECH]);
    has(&r.stderr, &plan);
    has(&r.stderr, &research);
    has(&r.stderr, "--force");
    assert_eq!(s.snapshot_tree(), before, "nothing written");

    let r = s.run_ok(&["plan", "--feature", "3", "--force", TECH]);
    has(&r.stdout, "rewrote");
    assert!(s.read(&plan).contains("[SUMMARY]"));
}

#[test]
fn variants_live_beside_the_main_plan() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let main_plan = s.read(&format!("{FEATURE}/plan.md"));
    let r = s.run_ok(&[
        "plan",
        "--feature",
        "3",
        "--variant",
        "cost-optimised",
        "--json",
        "Spot nodes for workers",
    ]);
    let v = json(&r.stdout);
    let dir = format!("{FEATURE}/variants/cost-optimised");
    assert_eq!(v["plan_file"], format!("{dir}/plan.md"));
    let variant = s.read(&format!("{dir}/plan.md"));
    assert!(
        variant.contains("**Spec**: [../../spec.md](../../spec.md) | **Variant**: cost-optimised")
    );
    assert!(variant.contains("| Spot nodes | workers | — |"));
    assert_eq!(
        s.read(&format!("{FEATURE}/plan.md")),
        main_plan,
        "main plan untouched"
    );

    // The variant's plan is as unfinished as any fresh plan: tasks refuses it, then derives
    // from it once it is decided, leaving the main plan's folder alone.
    let r: crate::support::Run = s
        .run(&["tasks", "--feature", "3", "--variant", "cost-optimised"])
        .into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        &format!("tasks refused: {dir}/plan.md is not ready"),
    );
    assert!(!s.exists(&format!("{dir}/tasks.md")));
    decide(&s, &format!("{dir}/plan.md"));
    let r = s.run_ok(&[
        "tasks",
        "--feature",
        "3",
        "--variant",
        "cost-optimised",
        "--json",
    ]);
    assert_eq!(json(&r.stdout)["tasks_file"], format!("{dir}/tasks.md"));
    assert!(!s.exists(&format!("{FEATURE}/tasks.md")));

    for bad in ["../escape", "a/b", ".hidden", ".."] {
        let r = s.run_err(&["plan", "--feature", "3", "--variant", bad]);
        assert!(
            r.stderr.contains("invalid variant name"),
            "{bad}: {}",
            r.stderr
        );
    }
    let r = s.run_err(&["tasks", "--feature", "3", "--variant", "nope"]);
    has(&r.stderr, "variants/nope/plan.md does not exist");
    has(&r.stderr, "specops plan --variant nope");
}

#[test]
fn a_custom_constitution_gives_custom_gates() {
    let s = golden();
    s.write(
        "memory/constitution.md",
        "# Our rules\n\n## Article 1: Tags Everywhere\n\nEvery resource carries owner tags.\n\n## Article 2: Keep It Simple\n\nFew moving parts.\n\n```\n## Article 3: Not an article\n```\n",
    );
    let r = s.run_ok(&["plan", "--feature", "3", "--json"]);
    assert_eq!(json(&r.stdout)["gates"], 5);
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    assert!(
        plan.contains("- [ ] **Article 1: Tags Everywhere**: Every resource carries owner tags.")
    );
    assert!(plan.contains("- [ ] **Article 2: Keep It Simple**: Few moving parts."));
    assert!(!plan.contains("Article 3"));
    assert!(!plan.contains("Module-First"));
    // No article is titled Simplicity, Anti-Abstraction or Integration-First: fixed gates.
    assert!(plan.contains("#### Simplicity Gate\n"), "{plan}");
    assert!(plan.contains("#### Integration-First Gate\n"));
    assert!(plan.contains("No technology choices were given"));
}

#[test]
fn missing_inputs_are_errors_with_hints() {
    let s = golden();
    std::fs::remove_file(s.join("memory/constitution.md")).unwrap();
    let r = s.run_err(&["plan", "--feature", "3"]);
    has(&r.stderr, "no constitution at memory/constitution.md");
    has(&r.stderr, "hint: run `specops init`");

    let s = golden();
    std::fs::remove_file(s.join(&format!("{FEATURE}/spec.md"))).unwrap();
    let r = s.run_err(&["plan", "--feature", "3"]);
    has(&r.stderr, &format!("{FEATURE}/spec.md does not exist"));

    let s = golden();
    s.write(&format!("{FEATURE}/spec.md"), b"\xff\xfe not utf-8");
    let r = s.run_err(&["plan", "--feature", "3"]);
    has(&r.stderr, "is not valid UTF-8");
}

#[test]
fn tech_context_is_data_not_template_code() {
    let s = golden();
    s.run_ok(&[
        "plan",
        "--feature",
        "3",
        "{{ 7*7 }} for {% if x %}, a | b for pipes",
    ]);
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    assert!(plan.contains("| {{ 7*7 }} | {% if x %} | — |"), "{plan}");
    assert!(plan.contains("| a \\| b | pipes | — |"), "{plan}");
    let research = s.read(&format!("{FEATURE}/research.md"));
    assert!(research.contains("## Decision: {{ 7*7 }}"));
}

#[test]
fn crlf_and_a_byte_order_mark_change_nothing() {
    let s = golden();
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let lf = s.read(&format!("{FEATURE}/plan.md"));
    let spec = include_str!("../fixtures/golden/spec.md").replace('\n', "\r\n");
    s.write(&format!("{FEATURE}/spec.md"), format!("\u{feff}{spec}"));
    let r = s.run_ok(&["plan", "--feature", "3", TECH]);
    has(&r.stdout, "unchanged");
    assert_eq!(s.read(&format!("{FEATURE}/plan.md")), lf);
}

/// The golden spec with its Availability and Recovery and Cost Constraints sections rewritten
/// (the rest of the spec as it is).
fn golden_with(s: &Sandbox, recovery: &str, cost: &str) {
    let spec = include_str!("../fixtures/golden/spec.md");
    let start = spec.find("## Availability and Recovery").unwrap();
    let security = spec.find("## Security, Compliance").unwrap();
    let cost_at = spec.find("## Cost Constraints").unwrap();
    let ops = spec.find("## Operational Concerns").unwrap();
    let spec = format!(
        "{}## Availability and Recovery\n\n{recovery}\n{}## Cost Constraints\n\n{cost}\n{}",
        &spec[..start],
        &spec[security..cost_at],
        &spec[ops..]
    );
    s.write(&format!("{FEATURE}/spec.md"), spec);
}

#[test]
fn values_the_spec_states_replace_the_placeholders() {
    let s = golden();
    golden_with(
        &s,
        "- **RTO**: 15 minutes\n- Recovery point objective (RPO): 5 minutes\n",
        "| Budget | Amount |\n|---|---|\n| Monthly ceiling | USD 9,000 |\n",
    );
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let quickstart = s.read(&format!("{FEATURE}/quickstart.md"));
    has(
        &quickstart,
        "restored within 15 minutes, with data loss no greater than 5 minutes.",
    );
    has(
        &quickstart,
        "all environments together stay under the monthly ceiling of USD 9,000.",
    );
    for placeholder in ["[RTO]", "[RPO]", "[MONTHLY CEILING]"] {
        assert!(
            !quickstart.contains(placeholder),
            "{placeholder} in:\n{quickstart}"
        );
    }
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    has(&plan, "- **Recovery time objective (RTO)**: 15 minutes\n");
    has(&plan, "- **Monthly ceiling**: USD 9,000 in total\n");
    // The golden spec's environments table still names the regions.
    has(&plan, "| dev (one EU region, two zones); staging");
}

#[test]
fn placeholders_stay_where_the_spec_states_no_value() {
    let s = golden();
    golden_with(
        &s,
        "- **Recovery time objective (RTO)**: [RTO]\n- **Availability target**: TBD\n",
        "- **Monthly ceiling, all environments**: USD [AMOUNT]\n",
    );
    s.run_ok(&["plan", "--feature", "3", "--allow-open", TECH]);
    let quickstart = s.read(&format!("{FEATURE}/quickstart.md"));
    has(
        &quickstart,
        "restored within [RTO], with data loss no greater than [RPO].",
    );
    has(
        &quickstart,
        "each environment stays under its monthly ceiling of [MONTHLY CEILING].",
    );
    let contract = s.read(&format!("{FEATURE}/contracts/tenant-cost-report.md"));
    has(&contract, "- **Availability**: [AVAILABILITY TARGET]\n");
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    for stated in [
        "- **Recovery time objective",
        "- **Availability target",
        "- **Monthly ceiling",
    ] {
        assert!(!plan.contains(stated), "{stated} in:\n{plan}");
    }
    has(
        &plan,
        "- **Data residency**: data is stored and processed in the EU only\n",
    );
}

#[test]
fn stated_values_are_data_not_template_code() {
    let s = golden();
    golden_with(
        &s,
        "- **RTO**: {{ 7*7 }} minutes {% raw %}\n- **RPO**: a | b\u{1b}[2J\n",
        "",
    );
    let spec = s.read(&format!("{FEATURE}/spec.md")).replace(
        "| prod | tenant workloads | one EU region, three zones |",
        "| prod | tenant workloads | eu-1 \\| eu-2 {{ x }} |",
    );
    s.write(&format!("{FEATURE}/spec.md"), spec);
    s.run_ok(&["plan", "--feature", "3", TECH]);
    let quickstart = s.read(&format!("{FEATURE}/quickstart.md"));
    has(
        &quickstart,
        "restored within {{ 7*7 }} minutes {% raw %}, with data loss no greater than a | b [2J.",
    );
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    has(
        &plan,
        "; prod (eu-1 \\| eu-2 {{ x }}) | Target environments |",
    );
    assert!(!plan.contains('\u{1b}') && !quickstart.contains('\u{1b}'));
}

#[test]
fn known_tools_answer_the_technical_context_and_only_command_line_tools_are_pinned() {
    let s = golden();
    s.run_ok(&[
        "plan",
        "--feature",
        "3",
        "Terraform for IaC, Helm, EKS for Kubernetes, HCP Terraform, GitHub Actions, tflint, Cloud SQL",
    ]);
    let plan = s.read(&format!("{FEATURE}/plan.md"));
    for row in [
        "| EKS | Kubernetes | — |\n",
        "| Cloud SQL | Managed database | — |\n",
        "| Terraform | IaC language | — |\n| Helm | IaC language | — |\n",
        "| HCP Terraform | State backend | — |\n",
        "| GitHub Actions | CI/CD pipeline | — |\n",
        "| tflint | Testing | — |\n",
    ] {
        has(&plan, row);
    }
    assert!(!plan.contains("which IaC language"), "{plan}");
    let research = s.read(&format!("{FEATURE}/research.md"));
    has(
        &research,
        "## Decision: Helm\n\n**Purpose**: IaC language\n",
    );
    decide(&s, &format!("{FEATURE}/plan.md"));
    // A choice the author adds to the plan's table only is decided too; one struck through or
    // ruled out is not.
    let plan_md = format!("{FEATURE}/plan.md");
    s.write(
        &plan_md,
        s.read(&plan_md).replace(
            "| tflint | Testing | — |\n",
            "| tflint | Testing | — |\n| Checkov 3.2 | Policy scanning | — |\n| ~~Pulumi~~ | IaC language | dropped |\n| Not OpenTofu | IaC language | ruled out |\n",
        ),
    );
    s.run_ok(&["tasks", "--feature", "3"]);
    let tasks = s.read(&format!("{FEATURE}/tasks.md"));
    has(
        &tasks,
        "Pin the versions of the command-line tools the plan decides: terraform, helm, tflint, checkov in .tool-versions",
    );
}

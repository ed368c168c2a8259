//! The tools specops knows by name: which question of the plan's Technical Context each one
//! answers (IaC language, state backend, CI/CD pipeline, testing), what it is for when a TECH
//! CONTEXT choice names it without `for …`, and whether it is a versioned command-line tool whose
//! version belongs in `.tool-versions` (Terraform, Helm, tflint) or a managed service, which has
//! no version to pin there (EKS, Cloud SQL, GitHub Actions).
//!
//! One table, [`TOOLS`], holds all of it; a tool it does not know answers no question and is
//! never pinned, and its purpose is asked for.

use serde::Serialize;

use crate::docs::words;

/// A question of the plan's Technical Context that a tool can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Category {
    Iac,
    StateBackend,
    Pipeline,
    Testing,
}

impl Category {
    /// Every category, in the order the plan asks.
    pub(crate) const ALL: [Category; 4] = [
        Category::Iac,
        Category::StateBackend,
        Category::Pipeline,
        Category::Testing,
    ];

    /// The purpose column of its row.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Category::Iac => "IaC language",
            Category::StateBackend => "State backend",
            Category::Pipeline => "CI/CD pipeline",
            Category::Testing => "Testing",
        }
    }

    /// What the plan asks while no choice answers it.
    pub(crate) fn question(self) -> &'static str {
        match self {
            Category::Iac => "which IaC language and version?",
            Category::StateBackend => "where is state stored, and how is it locked and encrypted?",
            Category::Pipeline => {
                "which CI/CD system runs the checks and applies changes to each environment?"
            }
            Category::Testing => "which tools run pre-deploy, post-deploy and integration tests?",
        }
    }

    /// The category a choice's own purpose names (`S3 for state`, `Foo for testing`).
    pub(crate) fn of_purpose(purpose: &str) -> Option<Category> {
        let w = words(purpose);
        let has = |x: &str| w.iter().any(|v| v == x);
        let joined = format!(" {} ", w.join(" "));
        if has("iac") || joined.contains(" infrastructure as code ") {
            Some(Category::Iac)
        } else if has("state") || has("backend") {
            Some(Category::StateBackend)
        } else if has("ci") || has("cicd") || has("pipeline") || has("pipelines") {
            Some(Category::Pipeline)
        } else if ["test", "tests", "testing", "lint", "linting"]
            .iter()
            .any(|x| has(x))
            || joined.contains(" policy as code ")
        {
            Some(Category::Testing)
        } else {
            None
        }
    }
}

/// A tool specops knows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tool {
    /// The lower-case words a choice's name contains, in a row (`hcp terraform`). Where several
    /// tools match, the one with the most words wins (`terraform cloud` over `terraform`).
    pub pattern: &'static str,
    pub category: Option<Category>,
    /// The name of its command-line tool in `.tool-versions`, for a tool that is a versioned
    /// command-line program; `None` for a managed service or a library.
    pub cli: Option<&'static str>,
    /// What it is for, when it answers no question (a tool of a category is for its label).
    purpose: &'static str,
}

impl Tool {
    /// What it is for, when a choice names it without `for …`.
    pub(crate) fn purpose(&self) -> &'static str {
        self.category.map_or(self.purpose, Category::label)
    }
}

const fn tool(
    pattern: &'static str,
    category: Option<Category>,
    cli: Option<&'static str>,
    purpose: &'static str,
) -> Tool {
    Tool {
        pattern,
        category,
        cli,
        purpose,
    }
}

use Category::{Iac, Pipeline, StateBackend, Testing};

/// The known tools.
pub(crate) const TOOLS: &[Tool] = &[
    // IaC languages and tools.
    tool("terraform", Some(Iac), Some("terraform"), ""),
    tool("opentofu", Some(Iac), Some("opentofu"), ""),
    tool("open tofu", Some(Iac), Some("opentofu"), ""),
    tool("tofu", Some(Iac), Some("opentofu"), ""),
    tool("terragrunt", Some(Iac), Some("terragrunt"), ""),
    tool("pulumi", Some(Iac), Some("pulumi"), ""),
    tool("helm", Some(Iac), Some("helm"), ""),
    tool("helmfile", Some(Iac), Some("helmfile"), ""),
    tool("kustomize", Some(Iac), Some("kustomize"), ""),
    tool("crossplane", Some(Iac), None, ""),
    tool("cdk", Some(Iac), Some("aws-cdk"), ""),
    tool("cdktf", Some(Iac), Some("cdktf"), ""),
    tool("cloudformation", Some(Iac), None, ""),
    tool("bicep", Some(Iac), Some("bicep"), ""),
    tool("arm templates", Some(Iac), None, ""),
    tool("ansible", Some(Iac), Some("ansible"), ""),
    // Where state lives.
    tool("s3 backend", Some(StateBackend), None, ""),
    tool("gcs backend", Some(StateBackend), None, ""),
    tool("azurerm", Some(StateBackend), None, ""),
    tool("azurerm backend", Some(StateBackend), None, ""),
    tool("pg backend", Some(StateBackend), None, ""),
    tool("consul", Some(StateBackend), None, ""),
    tool("terraform cloud", Some(StateBackend), None, ""),
    tool("hcp terraform", Some(StateBackend), None, ""),
    tool("terraform enterprise", Some(StateBackend), None, ""),
    tool("pulumi cloud", Some(StateBackend), None, ""),
    // CI/CD systems.
    tool("github actions", Some(Pipeline), None, ""),
    tool("gitlab", Some(Pipeline), None, ""),
    tool("jenkins", Some(Pipeline), None, ""),
    tool("atlantis", Some(Pipeline), None, ""),
    tool("circleci", Some(Pipeline), None, ""),
    tool("azure pipelines", Some(Pipeline), None, ""),
    tool("azure devops", Some(Pipeline), None, ""),
    tool("bitbucket pipelines", Some(Pipeline), None, ""),
    tool("buildkite", Some(Pipeline), None, ""),
    tool("tekton", Some(Pipeline), None, ""),
    tool("spacelift", Some(Pipeline), None, ""),
    tool("env0", Some(Pipeline), None, ""),
    tool("codepipeline", Some(Pipeline), None, ""),
    tool("cloud build", Some(Pipeline), None, ""),
    // Tests and checks.
    tool("terratest", Some(Testing), None, ""),
    tool("terraform test", Some(Testing), Some("terraform"), ""),
    tool("tofu test", Some(Testing), Some("opentofu"), ""),
    tool("checkov", Some(Testing), Some("checkov"), ""),
    tool("tflint", Some(Testing), Some("tflint"), ""),
    tool("tfsec", Some(Testing), Some("tfsec"), ""),
    tool("trivy", Some(Testing), Some("trivy"), ""),
    tool("conftest", Some(Testing), Some("conftest"), ""),
    tool("opa", Some(Testing), Some("opa"), ""),
    tool("open policy agent", Some(Testing), Some("opa"), ""),
    tool("sentinel", Some(Testing), None, ""),
    tool(
        "terraform compliance",
        Some(Testing),
        Some("terraform-compliance"),
        "",
    ),
    tool("kubeconform", Some(Testing), Some("kubeconform"), ""),
    tool("inspec", Some(Testing), Some("inspec"), ""),
    // Other command-line tools.
    tool("kubectl", None, Some("kubectl"), "Kubernetes command line"),
    tool("packer", None, Some("packer"), "Machine images"),
    tool("infracost", None, Some("infracost"), "Cost estimates"),
    tool("aws cli", None, Some("awscli"), "AWS command line"),
    tool("gcloud", None, Some("gcloud"), "Google Cloud command line"),
    tool("azure cli", None, Some("azure-cli"), "Azure command line"),
    // Managed services and in-cluster software: nothing to pin in .tool-versions.
    tool("eks", None, None, "Kubernetes"),
    tool("gke", None, None, "Kubernetes"),
    tool("aks", None, None, "Kubernetes"),
    tool("openshift", None, None, "Kubernetes"),
    tool("rds", None, None, "Managed database"),
    tool("aurora", None, None, "Managed database"),
    tool("cloud sql", None, None, "Managed database"),
    tool("azure sql", None, None, "Managed database"),
    tool("dynamodb", None, None, "Managed database"),
    tool("s3", None, None, "Object storage"),
    tool("gcs", None, None, "Object storage"),
    tool("route 53", None, None, "DNS"),
    tool("cloud dns", None, None, "DNS"),
    tool("argocd", None, None, "GitOps delivery"),
    tool("argo cd", None, None, "GitOps delivery"),
    tool("flux", None, None, "GitOps delivery"),
    tool("cilium", None, None, "Network policies"),
    tool("vault", None, None, "Secrets"),
];

/// The known tool a choice's name names: `Terraform 1.9`, `Amazon EKS`, `HCP Terraform`.
pub(crate) fn lookup(name: &str) -> Option<&'static Tool> {
    let w = words(name);
    TOOLS
        .iter()
        .filter(|t| {
            let p: Vec<&str> = t.pattern.split(' ').collect();
            w.windows(p.len())
                .any(|win| win.iter().zip(&p).all(|(a, b)| a == b))
        })
        .max_by_key(|t| (t.pattern.split(' ').count(), std::cmp::Reverse(t.pattern)))
}

/// The `.tool-versions` names of the command-line tools among `names`, in order, without
/// repeats: managed services and unknown names are left out.
pub(crate) fn pinned<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for cli in names.into_iter().filter_map(|n| lookup(n)?.cli) {
        if !out.contains(&cli) {
            out.push(cli);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_find_their_tool() {
        for (name, pattern) in [
            ("Terraform", Some("terraform")),
            ("terraform 1.9", Some("terraform")),
            ("Terraform Cloud", Some("terraform cloud")),
            ("HCP Terraform", Some("hcp terraform")),
            ("terraform test", Some("terraform test")),
            ("OpenTofu", Some("opentofu")),
            ("Amazon EKS", Some("eks")),
            ("S3 backend", Some("s3 backend")),
            ("GitHub Actions", Some("github actions")),
            ("GitLab CI", Some("gitlab")),
            ("AWS CDK", Some("cdk")),
            ("Open Policy Agent", Some("open policy agent")),
            ("Terraformer", None),
            ("Cilium Hubble", Some("cilium")),
            ("", None),
        ] {
            assert_eq!(lookup(name).map(|t| t.pattern), pattern, "{name:?}");
        }
    }

    #[test]
    fn purposes_name_categories() {
        for (purpose, category) in [
            ("IaC", Some(Iac)),
            ("infrastructure as code", Some(Iac)),
            ("state", Some(StateBackend)),
            ("remote state and locking", Some(StateBackend)),
            ("CI", Some(Pipeline)),
            ("CI/CD", Some(Pipeline)),
            ("delivery pipelines", Some(Pipeline)),
            ("integration tests", Some(Testing)),
            ("policy as code", Some(Testing)),
            ("network policies", None),
            ("Kubernetes", None),
            ("GitOps", None),
        ] {
            assert_eq!(Category::of_purpose(purpose), category, "{purpose:?}");
        }
    }

    #[test]
    fn only_command_line_tools_are_pinned() {
        assert_eq!(
            pinned([
                "EKS",
                "Terraform",
                "Cloud SQL",
                "Helm",
                "terraform test",
                "kubectl",
                "GitHub Actions",
                "Checkov",
                "Terratest",
                "Something new",
                "OpenTofu",
            ]),
            ["terraform", "helm", "kubectl", "checkov", "opentofu"]
        );
    }

    #[test]
    fn the_table_is_well_formed() {
        for (i, t) in TOOLS.iter().enumerate() {
            assert_eq!(t.pattern, words(t.pattern).join(" "), "{}", t.pattern);
            assert!(
                TOOLS[..i].iter().all(|o| o.pattern != t.pattern),
                "{} twice",
                t.pattern
            );
            assert_eq!(t.category.is_some(), t.purpose.is_empty(), "{}", t.pattern);
        }
    }
}

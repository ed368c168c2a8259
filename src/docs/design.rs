//! The design documents `plan` writes and people fill in: data-model.md (resources),
//! contracts/ (one interface each), research.md (decisions) and quickstart.md (scenarios).

use std::ops::Range;

use super::ids_in;
use super::spec::{self, Scenario};
use crate::markdown::Document;

/// A section headed `<prefix> Name` (a data-model resource, a research decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Requirement-ID-shaped tokens in its section, in order, without repeats.
    pub mentions: Vec<String>,
    pub line: usize,
}

/// Headings `Resource: Name` (any level) of a data model.
pub fn resources(doc: &Document) -> Vec<Entry> {
    entries(doc, "resource:")
}

/// Headings `Decision: Name` (any level) of research.md.
pub fn decisions(doc: &Document) -> Vec<Entry> {
    entries(doc, "decision:")
}

fn entries(doc: &Document, prefix: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for (hi, h) in doc.headings.iter().enumerate() {
        let text = doc.title(h);
        // `get` keeps a heading that starts with a multi-byte character from splitting it.
        if !text
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            continue;
        }
        let name = text[prefix.len()..].trim();
        if name.is_empty() || out.iter().any(|e: &Entry| e.name == name) {
            continue;
        }
        out.push(Entry {
            name: name.to_string(),
            mentions: mentions(doc, doc.section(hi)),
            line: h.line + 1,
        });
    }
    out
}

/// Requirement-ID-shaped tokens on the prose lines `lines`, in order, without repeats.
fn mentions(doc: &Document, lines: Range<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for l in lines.filter(|&l| doc.is_text(l)) {
        for id in ids_in(&doc.prose(l)) {
            if seen.insert(id.to_string()) {
                out.push(id.to_string());
            }
        }
    }
    out
}

/// A contract file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// The file name, e.g. `cluster-api-endpoint.md`.
    pub file: String,
    /// From `# Contract: Name`, else the file name without its extension.
    pub name: String,
    pub mentions: Vec<String>,
    /// What it is: an interface other systems consume, a procedure people follow, or a
    /// pipeline that runs.
    pub kind: ContractKind,
}

/// What a contract promises, which decides the task that builds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractKind {
    /// An endpoint, DNS name, module output, event or credential other systems consume.
    Interface,
    /// A procedure or runbook people follow (failover, restore, key rotation).
    Procedure,
    /// A pipeline or workflow that runs (promotion, drift detection).
    Pipeline,
}

impl ContractKind {
    /// The kind named in a contract's `**Kind**:` line, or failing that in its name.
    fn of(kind_line: &str, name: &str) -> Self {
        let words = format!("{kind_line} {name}").to_lowercase();
        let has = |ws: &[&str]| ws.iter().any(|w| words.contains(w));
        if has(&[
            "procedure",
            "runbook",
            "playbook",
            "failover",
            "drill",
            "restore",
        ]) {
            Self::Procedure
        } else if has(&["pipeline", "workflow"]) {
            Self::Pipeline
        } else {
            Self::Interface
        }
    }
}

/// Read one contract file.
pub fn contract(file: &str, doc: &Document) -> Contract {
    let heading = doc
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| {
            let t = doc.title(h);
            t.strip_prefix("Contract:").unwrap_or(t).trim().to_string()
        })
        .filter(|t| !t.is_empty());
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let name = heading.unwrap_or_else(|| stem.to_string());
    let kind_line = super::named_items(doc, 0..doc.lines.len())
        .into_iter()
        .find(|i| i.name.eq_ignore_ascii_case("kind") && !i.description.starts_with('['))
        .map(|i| i.description)
        .unwrap_or_default();
    Contract {
        file: file.to_string(),
        kind: ContractKind::of(&kind_line, &name),
        name,
        mentions: mentions(doc, 0..doc.lines.len()),
    }
}

/// The integration scenarios of quickstart.md (headed as in the spec).
pub fn quickstart_scenarios(doc: &Document) -> Vec<Scenario> {
    spec::scenarios(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_decisions_contracts_and_quickstart() {
        let dm = "\
# Data Model
## Resources
- **Tenant Namespace**: listed, not a section
## Resource: Tenant Namespace
| name | string | yes | DNS label | IR-001 |
### Validation Rules
- IR-002 holds
## Resource: Resource Quota
```
## Resource: In Code
```
<!-- ## Resource: In Comment -->
## resource: lower case
## Résumé: not a resource
## Resourceé splits a character at the prefix length
";
        let r = resources(&Document::parse(dm));
        let got: Vec<(&str, Vec<String>)> = r
            .iter()
            .map(|e| (e.name.as_str(), e.mentions.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Tenant Namespace",
                    vec!["IR-001".to_string(), "IR-002".to_string()]
                ),
                ("Resource Quota", vec![]),
                ("lower case", vec![]),
            ]
        );
        let d = decisions(&Document::parse(
            "## Decision: EKS\n**Purpose**: Kubernetes\n## Decision: Cilium\n",
        ));
        assert_eq!(
            d.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["EKS", "Cilium"]
        );
        let c = contract(
            "api.md",
            &Document::parse("# Contract: Cluster API\n\nServes IR-003.\n"),
        );
        assert_eq!(
            (c.name.as_str(), c.mentions.as_slice()),
            ("Cluster API", &["IR-003".to_string()][..])
        );
        assert_eq!(
            contract("dns.md", &Document::parse("no heading\n")).name,
            "dns"
        );
        assert_eq!(c.kind, ContractKind::Interface);
        for (file, text, kind) in [
            (
                "failover.md",
                "# Contract: Regional failover\n",
                ContractKind::Procedure,
            ),
            (
                "x.md",
                "# Contract: X\n- **Kind**: runbook people follow\n",
                ContractKind::Procedure,
            ),
            (
                "promote.md",
                "# Contract: Promotion\n- **Kind**: a pipeline\n",
                ContractKind::Pipeline,
            ),
            (
                "api.md",
                "# Contract: API\n- **Kind**: [DESCRIPTION]\n",
                ContractKind::Interface,
            ),
        ] {
            assert_eq!(contract(file, &Document::parse(text)).kind, kind, "{text}");
        }
        let q = quickstart_scenarios(&Document::parse(
            "## Integration Scenarios\n### Scenario 2: Onboard (Priority: P1)\nIR-001\n",
        ));
        assert_eq!((q[0].number, q[0].links.len()), (2, 1));
    }
}

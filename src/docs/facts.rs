//! The values a spec states about its infrastructure: the availability target, the recovery
//! objectives (RTO, RPO), the monthly cost ceilings (in total and per environment), the
//! environments and their regions, and data residency. `plan` writes them into the derived
//! documents where a template would otherwise leave a placeholder such as `[RTO]`.
//!
//! Specs are written by people and by assistants, so the reader takes the forms they use: a
//! named list item (`- **Recovery time objective (RTO)**: 15 minutes`, `- RTO: 15 min`), a line
//! of its own (`RTO: 15 minutes`), or a row of a table whose first cell names the value
//! (`| RTO | 15 minutes |`); labels in any case, long or abbreviated. Environments come from any
//! table with an `Environment` column (with its region and ceiling columns, when it has them),
//! from an `Environments:` line, and from per-environment ceilings (`Monthly ceiling, prod:`).
//!
//! A value that is still a bracketed placeholder (`[RTO]`, `USD [AMOUNT]`), a clarification
//! marker or a stand-in such as `TBD` is no value. The first real value of each kind wins.
//! Values are single lines: control characters become spaces and whitespace runs one space.

use serde::Serialize;

use super::{is_id, split_name, unemphasise, words};
use crate::markdown::{is_delimiter_row, Document};

/// What a spec states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// `99.95% per month`.
    pub availability: Option<String>,
    /// Recovery time objective: `15 minutes`.
    pub rto: Option<String>,
    /// Recovery point objective: `5 minutes`.
    pub rpo: Option<String>,
    /// The monthly ceiling of all environments together: `USD 9,000`.
    pub monthly_ceiling: Option<String>,
    /// Regions stated on their own (`Regions: eu-west-1, eu-central-1`), not per environment.
    pub regions: Option<String>,
    /// `EU only`.
    pub data_residency: Option<String>,
    /// In order of first mention.
    pub environments: Vec<Environment>,
}

/// One environment the spec names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub name: String,
    pub regions: Option<String>,
    pub monthly_ceiling: Option<String>,
}

impl Facts {
    /// Whether the spec states none of the values.
    pub fn is_empty(&self) -> bool {
        self == &Facts::default()
    }

    /// Whether some environment has a ceiling of its own.
    pub fn has_environment_ceilings(&self) -> bool {
        self.environments
            .iter()
            .any(|e| e.monthly_ceiling.is_some())
    }

    fn environment(&mut self, name: &str) -> &mut Environment {
        let i = match self
            .environments
            .iter()
            .position(|e| same_environment(&e.name, name))
        {
            Some(i) => i,
            None => {
                self.environments.push(Environment {
                    name: name.to_string(),
                    ..Environment::default()
                });
                self.environments.len() - 1
            }
        };
        &mut self.environments[i]
    }

    /// Record a row of a table shaped `shape`: an environment, a total, or a label and value.
    fn row(&mut self, shape: &TableShape, cells: &[&str]) {
        let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).copied();
        let Some(env) = shape.environment else {
            if let [label, value, ..] = cells {
                self.take(label, value);
            }
            return;
        };
        let Some(name) = cells.get(env).and_then(|n| clean(n)) else {
            return;
        };
        let ceiling = cell(shape.ceiling).and_then(clean);
        if words(&name).iter().all(|w| ALL_WORDS.contains(&w.as_str())) {
            if self.monthly_ceiling.is_none() {
                self.monthly_ceiling = ceiling;
            }
            return;
        }
        let mut regions: Vec<String> = Vec::new();
        for r in shape
            .regions
            .iter()
            .filter_map(|&c| cell(Some(c)).and_then(clean))
        {
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
        let regions = (!regions.is_empty()).then(|| regions.join(", "));
        let e = self.environment(&name);
        e.regions = e.regions.take().or(regions);
        e.monthly_ceiling = e.monthly_ceiling.take().or(ceiling);
    }

    /// Record `value` under the fact `label` names, unless that fact already has a value.
    fn take(&mut self, label: &str, value: &str) {
        let Some(kind) = kind(label) else {
            return;
        };
        let first = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = clean(value);
            }
        };
        match kind {
            Kind::Availability => first(&mut self.availability),
            Kind::Rto => first(&mut self.rto),
            Kind::Rpo => first(&mut self.rpo),
            Kind::Residency => first(&mut self.data_residency),
            Kind::Regions => first(&mut self.regions),
            Kind::Ceiling(None) => first(&mut self.monthly_ceiling),
            Kind::Ceiling(Some(env)) => {
                if clean(value).is_some() {
                    first(&mut self.environment(&env).monthly_ceiling);
                }
            }
            Kind::Environments => {
                for name in environment_list(value) {
                    self.environment(&name);
                }
            }
        }
    }
}

/// The kinds of value, as a label names them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Availability,
    Rto,
    Rpo,
    /// A monthly ceiling: of all environments, or of the one named.
    Ceiling(Option<String>),
    Residency,
    Regions,
    Environments,
}

/// Words a ceiling's label is made of (`Total monthly cost ceiling`).
const CEILING_WORDS: &[&str] = &[
    "monthly", "month", "per", "cost", "costs", "ceiling", "ceilings", "budget", "spend",
    "spending", "limit", "cap", "total", "overall", "combined", "the", "a",
];

/// Words that, after a ceiling's label, still mean every environment (`…, all environments`).
const ALL_WORDS: &[&str] = &[
    "all",
    "environments",
    "environment",
    "total",
    "combined",
    "overall",
    "across",
    "every",
    "each",
    "the",
];

/// Which fact a label names, if any. Labels are short: a sentence that happens to contain a
/// colon names nothing.
fn kind(label: &str) -> Option<Kind> {
    let label = unemphasise(label).trim_end_matches(':').trim();
    let w = words(label);
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    let has = |x: &str| w.iter().any(|v| v == x);
    let joined = w.join(" ");
    let rto = has("rto") || joined.starts_with("recovery time");
    let rpo = has("rpo") || joined.starts_with("recovery point");
    if rto || rpo {
        return match (rto, rpo, w.len() <= 5) {
            (true, false, true) => Some(Kind::Rto),
            (false, true, true) => Some(Kind::Rpo),
            _ => None,
        };
    }
    if ["availability", "uptime", "sla", "slo"]
        .iter()
        .any(|x| w[..w.len().min(2)].iter().any(|v| v == x))
        && !["zone", "zones", "and", "recovery", "set"]
            .iter()
            .any(|x| has(x))
        && w.len() <= 4
    {
        return Some(Kind::Availability);
    }
    if (has("residency")
        || joined.starts_with("data location")
        || joined.starts_with("data locality")
        || joined.starts_with("data sovereignty"))
        && w.len() <= 5
    {
        return Some(Kind::Residency);
    }
    if matches!(
        joined.as_str(),
        "environments" | "target environments" | "deployment environments" | "environment list"
    ) {
        return Some(Kind::Environments);
    }
    if w.len() <= 3 && matches!(w[w.len() - 1].as_str(), "region" | "regions") && !has("multi") {
        return Some(Kind::Regions);
    }
    ceiling(label)
}

/// A ceiling's label: ceiling words (`Monthly ceiling`, `Budget`, `Total monthly cost cap`),
/// then perhaps the environment it is for after `,`, `(`, ` - `, ` for ` or ` in `.
fn ceiling(label: &str) -> Option<Kind> {
    let lower = label.to_lowercase();
    let cut = [",", "(", " - ", " – ", " — ", " for ", " in ", " of "]
        .iter()
        .filter_map(|sep| lower.find(sep).map(|at| (at, sep.len())))
        .min();
    let (head, qualifier) = match cut {
        Some((at, len)) => (&label[..at], Some(&label[at + len..])),
        None => (label, None),
    };
    let hw = words(head);
    let is_ceiling = !hw.is_empty()
        && hw.iter().all(|w| CEILING_WORDS.contains(&w.as_str()))
        && hw
            .iter()
            .any(|w| matches!(w.as_str(), "ceiling" | "budget" | "cap" | "limit"));
    if !is_ceiling {
        return None;
    }
    let qualifier = qualifier
        .map(|q| q.trim().trim_end_matches(')').trim())
        .filter(|q| !words(q).iter().all(|w| ALL_WORDS.contains(&w.as_str())));
    match qualifier {
        None => Some(Kind::Ceiling(None)),
        // An environment still written as a placeholder names no environment.
        Some(q) => clean(q).map(|env| Kind::Ceiling(Some(env))),
    }
}

/// Environment names out of `dev, staging and prod`; nothing when a part is longer than a name
/// (three words), which makes the value prose rather than a list.
fn environment_list(value: &str) -> Vec<String> {
    let Some(value) = clean(value) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for part in value.split([',', ';', '/']) {
        for name in part.split(" and ") {
            let name = unemphasise(name.trim());
            if name.is_empty() {
                continue;
            }
            if name.split_whitespace().count() > 3 {
                return Vec::new();
            }
            names.push(name.to_string());
        }
    }
    names
}

/// Whether two names name one environment: equal but for case and punctuation, or the short
/// and long forms of the usual names (`dev` and `Development`, `prod` and `Production`, `stg`,
/// `stage` and `Staging`), as an Environments table and a cost table of one spec name them.
fn same_environment(a: &str, b: &str) -> bool {
    fn canonical(name: &str) -> String {
        let plain: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match plain.as_str() {
            "development" | "develop" => "dev".into(),
            "production" | "prd" => "prod".into(),
            "stage" | "stg" => "staging".into(),
            "testing" | "tst" => "test".into(),
            _ => plain,
        }
    }
    canonical(a) == canonical(b)
}

/// `raw` as a value: one line, without HTML comment delimiters, emphasis and a closing full
/// stop dropped; `None` when it is empty or still a placeholder.
fn clean(raw: &str) -> Option<String> {
    let line: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // A value is written into other documents: a comment opener there would hide the rest
    // of the document from readers, a closer would end a comment the template opened.
    let line = line.replace("<!--", " ").replace("-->", " ");
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let v = unemphasise(&line);
    let v = match v.strip_suffix('.') {
        Some(s) if !s.ends_with('.') => s.trim_end(),
        _ => v,
    };
    (!v.is_empty() && !is_placeholder(v)).then(|| v.to_string())
}

/// Whether `v` stands in for a value: a clarification marker, a bracketed upper-case
/// placeholder anywhere in it (`[RTO]`, `USD [AMOUNT]`), or a word that says it is not decided.
fn is_placeholder(v: &str) -> bool {
    let lower = v.to_lowercase();
    if lower.contains("[needs clarification")
        || matches!(
            lower.as_str(),
            "tbd" | "tbc" | "todo" | "?" | "-" | "–" | "—" | "n/a" | "..." | "…"
        )
    {
        return true;
    }
    v.match_indices('[').any(|(i, _)| {
        let rest = &v[i + 1..];
        rest.find(']').is_some_and(|end| {
            let inner = &rest[..end];
            inner.chars().any(char::is_uppercase) && !inner.chars().any(char::is_lowercase)
        })
    })
}

/// The column of `header` whose (lower-case) title satisfies `pred`.
fn column(header: &[String], pred: impl Fn(&str) -> bool) -> Option<usize> {
    header.iter().position(|h| pred(h))
}

/// The current table's header and the columns the reader uses.
struct TableShape {
    environment: Option<usize>,
    /// Every region column (`Primary region`, `Recovery region`).
    regions: Vec<usize>,
    ceiling: Option<usize>,
}

impl TableShape {
    fn new(header: &[String]) -> Self {
        Self {
            environment: column(header, |h| h.starts_with("env") || h == "stage"),
            regions: (0..header.len())
                .filter(|&i| header[i].contains("region") || header[i].contains("location"))
                .collect(),
            ceiling: column(header, |h| {
                ["ceiling", "budget", "cap", "limit"]
                    .iter()
                    .any(|w| h.contains(w))
            }),
        }
    }
}

/// Whether a line's text opens with a requirement ID (`**IR-001**: …`): requirements are most
/// of the lines of a long spec, and none is a label of a value, so they are skipped before any
/// work.
fn defines_requirement(text: &str) -> bool {
    let t = text.trim_start_matches(['*', '_', '`', ' ']);
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(t.len());
    is_id(&t[..end])
}

/// Read what `doc` (a spec) states.
pub fn parse(doc: &Document) -> Facts {
    let mut facts = Facts::default();
    let mut table: Option<TableShape> = None;
    let mut headings = doc.headings.iter().map(|h| h.line).peekable();
    for i in 0..doc.lines.len() {
        while headings.next_if(|&h| h < i).is_some() {}
        if !doc.is_text(i) || headings.peek() == Some(&i) {
            table = None;
            continue;
        }
        if let Some(row) = doc.table_row(i) {
            let cells: Vec<&str> = row.iter().map(|c| unemphasise(&c.text)).collect();
            let Some(shape) = &table else {
                let header: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
                table = Some(TableShape::new(&header));
                continue;
            };
            if !is_delimiter_row(&row) && !cells.first().is_some_and(|c| is_id(c)) {
                facts.row(shape, &cells);
            }
            continue;
        }
        table = None;
        let text = match doc.item_at(i) {
            Some(it) => doc.item_text(it),
            None => doc.prose(i),
        };
        if defines_requirement(&text) {
            continue;
        }
        if let Some((label, value)) = split_name(&text) {
            facts.take(&label, &value);
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Facts {
        parse(&Document::parse(text))
    }

    fn env(name: &str, regions: Option<&str>, ceiling: Option<&str>) -> Environment {
        Environment {
            name: name.into(),
            regions: regions.map(Into::into),
            monthly_ceiling: ceiling.map(Into::into),
        }
    }

    #[test]
    fn the_spec_template_filled_in() {
        let f = facts(
            "\
## Environments and Topology

| Environment | Purpose | Regions and zones | Differences from production |
|-------------|---------|-------------------|-----------------------------|
| dev | development | eu-west-1 | smaller |
| **prod** | payments | eu-west-1, eu-central-1 | none |

## Availability and Recovery

- **Availability target**: 99.95% per month.
- **Recovery time objective (RTO)**: 15 minutes
- **Recovery point objective (RPO)**: 5 minutes
- **Backup**: hourly

## Security, Compliance and Data Residency

- **Data residency**: EU only

## Cost Constraints

- **Monthly ceiling, all environments**: USD 9,000

| Environment | Monthly ceiling | Notes |
|-------------|-----------------|-------|
| dev | USD 1,000 | |
| prod | USD 8,000 | |

- **When the ceiling is approached**: alert at 80%
",
        );
        assert_eq!(f.availability.as_deref(), Some("99.95% per month"));
        assert_eq!(f.rto.as_deref(), Some("15 minutes"));
        assert_eq!(f.rpo.as_deref(), Some("5 minutes"));
        assert_eq!(f.monthly_ceiling.as_deref(), Some("USD 9,000"));
        assert_eq!(f.data_residency.as_deref(), Some("EU only"));
        assert_eq!(
            f.environments,
            [
                env("dev", Some("eu-west-1"), Some("USD 1,000")),
                env("prod", Some("eu-west-1, eu-central-1"), Some("USD 8,000")),
            ]
        );
        assert!(f.has_environment_ceilings());
        let two = facts(
            "| Env | Primary region | Recovery region |\n|---|---|---|\n| prod | eu-west-1 | eu-central-1 |\n| dev | eu-west-1 | eu-west-1 |\n",
        );
        assert_eq!(
            two.environments,
            [
                env("prod", Some("eu-west-1, eu-central-1"), None),
                env("dev", Some("eu-west-1"), None),
            ]
        );
    }

    #[test]
    fn placeholders_and_markers_are_no_values() {
        let f = facts(
            "\
| Environment | Purpose | Regions and zones |
|---|---|---|
| [ENVIRONMENT] | [DESCRIPTION] | [REGIONS] |

- **Availability target**: [AVAILABILITY TARGET]
- **Recovery time objective (RTO)**: [NEEDS CLARIFICATION: how long may the service be down?]
- **Recovery point objective (RPO)**: TBD
- **Data residency**: [DATA RESIDENCY]
- **Monthly ceiling, all environments**: USD [AMOUNT]
",
        );
        assert!(f.is_empty(), "{f:?}");
        assert!(!f.has_environment_ceilings());
    }

    #[test]
    fn the_first_real_value_wins() {
        let f = facts("- **RTO**: [RTO]\n- RTO: 15 min\n- RTO: 1 hour\n");
        assert_eq!(f.rto.as_deref(), Some("15 min"));
    }

    /// The one value `text` states, as `field: value`.
    fn stated(text: &str) -> String {
        let f = facts(text);
        let fields = [
            ("rto", f.rto),
            ("rpo", f.rpo),
            ("availability", f.availability),
            ("ceiling", f.monthly_ceiling),
            ("residency", f.data_residency),
            ("regions", f.regions),
        ];
        let set: Vec<String> = fields
            .into_iter()
            .filter_map(|(name, v)| v.map(|v| format!("{name}: {v}")))
            .collect();
        set.join(" / ")
    }

    #[test]
    fn other_ways_of_writing_them() {
        for (text, want) in [
            ("RTO: 15 minutes", "rto: 15 minutes"),
            ("rto: 15 minutes", "rto: 15 minutes"),
            ("**RTO:** 15 minutes", "rto: 15 minutes"),
            ("- Recovery Time Objective: **1 hour**", "rto: 1 hour"),
            ("- __Target RTO__: 4h", "rto: 4h"),
            (
                "| Goal | Target |\n|---|---|\n| RPO | 5 min |",
                "rpo: 5 min",
            ),
            ("- [ ] **RPO**: zero", "rpo: zero"),
            ("- **Uptime**: 99.9%", "availability: 99.9%"),
            ("- **SLO**: 99.99% monthly", "availability: 99.99% monthly"),
            ("- **Availability**: 99.5%.", "availability: 99.5%"),
            ("- **Monthly budget**: EUR 4,000", "ceiling: EUR 4,000"),
            ("- Total monthly cost ceiling: $9k", "ceiling: $9k"),
            ("- **Budget (all environments)**: £500", "ceiling: £500"),
            (
                "| Env | Ceiling |\n|---|---|\n| Total | USD 3k |",
                "ceiling: USD 3k",
            ),
            ("- **Data location**: Switzerland", "residency: Switzerland"),
            (
                "- **Regions**: us-east-1, us-west-2",
                "regions: us-east-1, us-west-2",
            ),
            ("- **Ends with dots**: wait...", ""),
        ] {
            assert_eq!(stated(text), want, "{text:?}");
        }
    }

    #[test]
    fn labels_that_name_nothing() {
        for text in [
            "- **Availability zones**: three",
            "- **IR-001**: RTO: 15 minutes",
            "| ID | Requirement |\n|---|---|\n| NFR-001 | RTO: 15 minutes |",
            "- **Availability and recovery**: see below",
            "- **RTO and RPO**: 15 minutes and 5 minutes",
            "- **When the ceiling is approached**: alert",
            "- **Multi-region**: yes",
            "Note: the RTO is agreed with the business and will be revisited next quarter: soon",
            "## RTO: 15 minutes",
            "```\nRTO: 15 minutes\n```",
            "<!-- RTO: 15 minutes -->",
            "| RTO | Target |\n|---|---|",
        ] {
            assert!(facts(text).is_empty(), "{text:?}: {:?}", facts(text));
        }
    }

    #[test]
    fn environments_from_lists_and_per_environment_ceilings() {
        let f = facts(
            "\
- **Environments**: dev, staging and prod
- **Monthly ceiling, staging**: USD 500
- **Monthly ceiling for prod**: USD 5,000
- **Monthly ceiling (all environments)**: USD 6,000
- **Monthly ceiling, [ENVIRONMENT]**: USD 7,000
",
        );
        assert_eq!(
            f.environments,
            [
                env("dev", None, None),
                env("staging", None, Some("USD 500")),
                env("prod", None, Some("USD 5,000")),
            ]
        );
        assert_eq!(f.monthly_ceiling.as_deref(), Some("USD 6,000"));
        let prose = facts("- **Environments**: one per team, created on request by the platform");
        assert!(prose.environments.is_empty());
    }

    #[test]
    fn one_environment_named_two_ways_is_one() {
        let f = facts(
            "| Environment | Regions |\n|---|---|\n| Development | eu-west-1 |\n| Staging | eu-west-1 |\n| Production | eu-west-1, eu-central-1 |\n\n\
             | Environment | Monthly ceiling |\n|---|---|\n| dev | EUR 500 |\n| stg | EUR 800 |\n| prod | EUR 4,000 |\n| sandbox | EUR 100 |\n",
        );
        let names: Vec<(&str, Option<&str>)> = f
            .environments
            .iter()
            .map(|e| (e.name.as_str(), e.monthly_ceiling.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("Development", Some("EUR 500")),
                ("Staging", Some("EUR 800")),
                ("Production", Some("EUR 4,000")),
                ("sandbox", Some("EUR 100"))
            ]
        );
    }

    #[test]
    fn values_are_data_on_one_line() {
        let f = facts("- **RTO**: {{ 7*7 }} | \u{1b}[31mred\u{7} {% raw %}\r\n");
        assert_eq!(f.rto.as_deref(), Some("{{ 7*7 }} | [31mred {% raw %}"));
        let f = facts("- **RTO**: 15 minutes <!-- unclosed\n- **RPO**: 5 --> minutes\n");
        assert_eq!(f.rto.as_deref(), Some("15 minutes unclosed"));
        assert_eq!(f.rpo.as_deref(), Some("5 minutes"));
        let t = facts("| Environment | Regions |\n|---|---|\n| a\\|b | x \\| y |\n");
        assert_eq!(t.environments, [env("a|b", Some("x | y"), None)]);
    }

    /// Pieces of specs: labels, values, placeholders, tables, containers.
    const FRAGMENTS: &[&str] = &[
        "**RTO**: ",
        "RPO: ",
        "Availability target",
        ": ",
        "| ",
        " |",
        "|---|",
        "Environment",
        "Regions",
        "Monthly ceiling, prod",
        "Monthly ceiling",
        "15 minutes",
        "USD 9,000",
        "[RTO]",
        "[NEEDS CLARIFICATION: q]",
        "dev",
        "eu-west-1",
        "<!--",
        "-->",
        "```",
        "\u{1b}",
        "{{",
        "\\|",
        "(",
        ")",
        ",",
        " for ",
        "TBD",
        ".",
    ];

    proptest::proptest! {
        /// Any mix of those pieces reads without a panic, and every value it gives is one
        /// clean line that is no placeholder.
        #[test]
        fn any_spec_reads(
            lines in proptest::collection::vec(
                crate::markdown::testgen::line(&["", "- ", "  - ", "> ", "1. "], FRAGMENTS),
                0..12,
            )
        ) {
            let f = facts(&lines.join("\n"));
            let envs = f.environments.iter();
            let values = [&f.availability, &f.rto, &f.rpo, &f.monthly_ceiling, &f.regions, &f.data_residency]
                .into_iter()
                .flatten()
                .chain(envs.clone().flat_map(|e| [&e.regions, &e.monthly_ceiling]).flatten())
                .chain(envs.map(|e| &e.name));
            for v in values {
                proptest::prop_assert!(!v.chars().any(char::is_control), "{v:?}");
                proptest::prop_assert!(!v.is_empty() && v.trim() == v && !is_placeholder(v), "{v:?}");
            }
        }
    }

    proptest::proptest! {
        /// Whatever a value holds, the reader keeps it on one line with no control character,
        /// never panics, and never takes a placeholder for a value.
        #[test]
        fn values_are_single_lines(value in "[ -~\u{0}-\u{1f}\u{7f}-\u{9f}é|{}\\[\\]]{0,40}") {
            let doc = format!("- **RTO**: {value}\n| Environment | Region |\n|---|---|\n| dev | {value} |\n");
            let f = facts(&doc);
            for v in f.rto.iter().chain(f.environments.iter().filter_map(|e| e.regions.as_ref())) {
                proptest::prop_assert!(!v.chars().any(char::is_control), "{v:?}");
                proptest::prop_assert!(!v.is_empty() && v.trim() == v);
                proptest::prop_assert!(!is_placeholder(v));
            }
        }
    }
}

//! `specops rule`: a page for every registered rule, `--all`, `--json`, unknown rules; and
//! docs/rules.md is exactly `specops rule --all`.

use crate::support::Sandbox;

/// Every rule's ID, from the binary's own `--all --json`.
fn rule_ids(sb: &Sandbox) -> Vec<String> {
    let all: serde_json::Value =
        serde_json::from_str(&sb.run_ok(&["rule", "--all", "--json"]).stdout).unwrap();
    all["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_rule_has_a_page_by_id_and_by_name_outside_any_repository() {
    let sb = Sandbox::new();
    let ids = rule_ids(&sb);
    assert!(ids.len() >= 10, "{ids:?}");
    for id in &ids {
        let page = sb.run_ok(&["rule", id]).stdout;
        assert!(page.starts_with(&format!("# {id} ")), "{page}");
        for part in [
            "## What it finds",
            "## An example that fires",
            "## The same put right (no finding)",
            "## How to fix",
            "## How to suppress",
            &format!("<!-- specops-ignore {id} -->"),
        ] {
            assert!(page.contains(part), "{id}: no {part:?}\n{page}");
        }
        let json: serde_json::Value =
            serde_json::from_str(&sb.run_ok(&["rule", &id.to_lowercase(), "--json"]).stdout)
                .unwrap();
        assert_eq!(json["id"], id.as_str());
        let name = json["name"].as_str().unwrap();
        assert_eq!(sb.run_ok(&["rule", name]).stdout, page);
        for key in ["summary", "explanation", "fix", "suppress", "default"] {
            assert!(json[key].is_string(), "{id}: {key}");
        }
        for key in ["fires", "passes"] {
            let files = json[key].as_array().unwrap();
            assert!(!files.is_empty());
            assert!(files[0]["path"].is_string() && files[0]["content"].is_string());
        }
    }
}

#[test]
fn all_pages_are_each_page_in_id_order() {
    let sb = Sandbox::new();
    let pages: Vec<String> = rule_ids(&sb)
        .iter()
        .map(|id| sb.run_ok(&["rule", id]).stdout)
        .collect();
    assert_eq!(sb.run_ok(&["rule", "--all"]).stdout, pages.join("\n"));
}

#[test]
fn docs_rules_md_is_the_output_of_rule_all() {
    let sb = Sandbox::new();
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .unwrap()
        .replace("\r\n", "\n");
    let generated = sb.run_ok(&["rule", "--all"]).stdout;
    let header_end = docs
        .find("# SO000")
        .expect("docs/rules.md starts its pages at SO000");
    assert!(
        docs[header_end..] == generated,
        "docs/rules.md is out of date: keep its header and replace the rest with the output of \
         `cargo run -- rule --all`"
    );
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_the_closest_name() {
    let sb = Sandbox::new();
    let r = sb.run_err(&["rule", "needs-clarificaton"]);
    assert!(
        r.stderr.contains("did you mean `needs-clarification`?"),
        "{}",
        r.stderr
    );
    let r = sb.run_err(&["rule", "SO999"]);
    assert!(r.stderr.contains("unknown rule `SO999`"), "{}", r.stderr);
    sb.run_err(&["rule"]);
    sb.run_err(&["rule", "SO001", "--all"]);
}

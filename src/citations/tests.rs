use proptest::prelude::*;

use super::*;

/// `(id, line, qualifier)` of each citation, for compact expectations.
fn found(citations: &[Citation]) -> Vec<(String, usize, Option<String>)> {
    citations
        .iter()
        .map(|c| (c.id.clone(), c.line, c.qualifier.clone()))
        .collect()
}

/// The IDs `text` cites on its first line.
fn ids(text: &str) -> Vec<String> {
    scan(text).into_iter().map(|c| c.id).collect()
}

#[test]
fn comment_syntaxes_one_line_each() {
    let cases: &[(&str, &[&str])] = &[
        // `#`: YAML, HCL, Rego, shell, Python, Dockerfile, TOML.
        ("# IR-001", &["IR-001"]),
        ("  # IR-001 and IR-002", &["IR-001", "IR-002"]),
        ("foo = 1 # serves IR-001", &["IR-001"]),
        ("replicas: 3  # IR-004", &["IR-004"]),
        ("RUN apk add curl # IR-007", &["IR-007"]),
        ("#IR-001", &["IR-001"]),
        ("\t#\tIR-001", &["IR-001"]),
        // `//`: HCL, Go, JS/TS, Rust.
        ("// IR-002", &["IR-002"]),
        ("x := 1 // implements IR-002", &["IR-002"]),
        ("f();// IR-002", &["IR-002"]),
        ("{// IR-002", &["IR-002"]),
        // `--`: SQL, Lua.
        ("-- IR-003", &["IR-003"]),
        ("SELECT 1; -- IR-003", &["IR-003"]),
        ("--\tIR-003", &["IR-003"]),
        // `/* … */` and `<!-- … -->` on one line.
        ("/* IR-004 */", &["IR-004"]),
        ("resource \"x\" \"y\" { /* IR-004 */ }", &["IR-004"]),
        ("f(/* IR-004 */ x)", &["IR-004"]),
        ("{{/* IR-004 */}}", &["IR-004"]),
        ("{{- /* IR-004 */ -}}", &["IR-004"]),
        ("<!-- IR-005 -->", &["IR-005"]),
        ("<a/><!-- IR-005 --><b/>", &["IR-005"]),
        ("<!--IR-005-->", &["IR-005"]),
        // No comment: strings, URLs, flags, globs, words.
        ("name = \"IR-001\"", &[]),
        ("name: 'IR-001'", &[]),
        ("msg := `IR-001`", &[]),
        ("name = \"IR-001 # not a comment\"", &[]),
        ("name = \"a \\\" # IR-001\"", &[]),
        ("name = \"IR-001\" # IR-002", &["IR-002"]),
        ("url: https://example.com/IR-001", &[]),
        ("url: http://example.com/#IR-001", &[]),
        ("a#IR-001", &[]),
        ("run --IR-001", &[]),
        ("args: [--tenant, IR-001]", &[]),
        ("paths: src/**/*.tf IR-001", &[]),
        ("IR-001 alone in code", &[]),
        ("x = a--b IR-001", &[]),
        // An apostrophe is no quote; an unclosed quote is an ordinary character.
        ("description: it's here # IR-006", &["IR-006"]),
        ("say \"unclosed # IR-006", &["IR-006"]),
        ("fn f<'a>(x: &'a str) {} // IR-006", &["IR-006"]),
        // Only the comment counts.
        ("IR-001 = 1 # IR-002", &["IR-002"]),
        ("# IR-001 \"IR-002\"", &["IR-001", "IR-002"]),
        // Not IDs.
        ("# ir-001 IR- -001 IR-x", &[]),
        ("# XIR-001a", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(ids(text), *want, "{text:?}");
    }
}

#[test]
fn block_comments_span_lines_and_place_each_id_on_its_line() {
    let text = "locals {\n  /* IR-001\n     IR-002 */ x = \"IR-009\" # IR-003\n}\n<!--\nIR-004\n-->\n<!-- IR-005 --> IR-010 <!-- IR-006\n-->";
    let got: Vec<(String, usize)> = scan(text).into_iter().map(|c| (c.id, c.line)).collect();
    let want = [
        ("IR-001", 2),
        ("IR-002", 3),
        ("IR-003", 3),
        ("IR-004", 6),
        ("IR-005", 8),
        ("IR-006", 8),
    ];
    assert_eq!(
        got,
        want.map(|(id, line)| (id.to_string(), line)).to_vec(),
        "{text}"
    );
}

#[test]
fn a_block_opener_that_never_closes_opens_nothing() {
    // A glob in YAML, then IDs in code: no comment swallows the rest of the file.
    let text = "paths:\n  - /*\nname: IR-001\n# IR-002\n";
    assert_eq!(ids(text), ["IR-002"]);
    assert_eq!(ids("<!-- IR-001\nIR-002\n"), Vec::<String>::new());
    // A closer before the opener closes nothing.
    assert_eq!(
        ids("*/ -->\n/* IR-001\n<!-- IR-002\n"),
        Vec::<String>::new()
    );
}

#[test]
fn line_endings_and_line_numbers() {
    let text = "a\r\n# IR-001\r\nb\n\n// IR-002";
    assert_eq!(
        found(&scan(text)),
        [("IR-001".into(), 2, None), ("IR-002".into(), 5, None)]
    );
    assert!(scan("").is_empty());
    assert!(scan("\n\n").is_empty());
}

#[test]
fn qualifiers_name_the_feature() {
    let text = "# 003/IR-001, 003-multi-tenant-kubernetes/IR-002 and IR-003\n\
                # specs/004-eks/IR-004\n\
                # IR-005/IR-006\n\
                # PLAT-123-eks/IR-007\n\
                # 20261204-120000-eks/IR-008\n\
                # /IR-009\n";
    let q = |s: &str| Some(s.to_string());
    assert_eq!(
        found(&scan(text)),
        [
            ("IR-001".into(), 1, q("003")),
            ("IR-002".into(), 1, q("003-multi-tenant-kubernetes")),
            ("IR-003".into(), 1, None),
            ("IR-004".into(), 2, q("004-eks")),
            ("IR-005".into(), 3, None),
            ("IR-006".into(), 3, None),
            ("IR-007".into(), 4, q("PLAT-123-eks")),
            ("IR-008".into(), 5, q("20261204-120000-eks")),
            ("IR-009".into(), 6, None),
        ]
    );
}

#[test]
fn ranges_are_written_out_with_their_qualifier() {
    let q = |s: &str| Some(s.to_string());
    assert_eq!(
        found(&scan("# IR-001 to IR-003, IR-002\n")),
        [
            ("IR-001".into(), 1, None),
            ("IR-002".into(), 1, None),
            ("IR-003".into(), 1, None),
        ]
    );
    assert_eq!(
        found(&scan("// 003/IR-001 through IR-003\n")),
        [
            ("IR-001".into(), 1, q("003")),
            ("IR-002".into(), 1, q("003")),
            ("IR-003".into(), 1, None),
        ]
    );
    assert_eq!(
        found(&scan("-- 7/IR-1..IR-3, v1.2/IR-4\n")),
        [
            ("IR-1".into(), 1, q("7")),
            ("IR-2".into(), 1, q("7")),
            ("IR-3".into(), 1, None),
            ("IR-4".into(), 1, q("2")),
        ]
    );
}

#[test]
fn one_citation_per_id_line_and_qualifier() {
    assert_eq!(
        found(&scan("# IR-001 IR-001 003/IR-001 /* IR-001 */\n# IR-001")),
        [
            ("IR-001".into(), 1, None),
            ("IR-001".into(), 1, Some("003".into())),
            ("IR-001".into(), 2, None),
        ]
    );
}

#[test]
fn markdown_cites_in_html_comments_only() {
    let text = "# Runbook for IR-001\n\nSee issue #4 about IR-002.\n\n<!-- IR-003 -->\n\n```hcl\n# IR-004\n<!-- IR-005 -->\n```\n\nText <!-- 003/IR-006\nIR-007 --> more\n";
    let got: Vec<(String, usize)> = scan_file("docs/runbook.md", text)
        .into_iter()
        .map(|c| (c.id, c.line))
        .collect();
    assert_eq!(
        got,
        [
            ("IR-003".into(), 5),
            ("IR-006".into(), 12),
            ("IR-007".into(), 13)
        ]
    );
    assert_eq!(scan_file("README.MD", "\u{feff}<!-- IR-001 -->")[0].line, 1);
    // The same text as code would cite the headings and the fence too.
    assert!(scan_file("notes.txt", text).len() > 3);
}

#[test]
fn markup_cites_in_html_comments_only() {
    let text = "<a href=\"#x\"># IR-001 // IR-002 -- IR-003</a>\n<!-- IR-004 -->\n";
    for path in ["site/index.html", "pom.xml", "icon.SVG"] {
        assert_eq!(
            scan_file(path, text)
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>(),
            ["IR-004"],
            "{path}"
        );
    }
    for path in ["main.tf", "Dockerfile", "values.yaml", "x.sql", "noext"] {
        assert_eq!(scan_file(path, text).len(), 3, "{path}");
    }
}

#[test]
fn test_paths() {
    let tests = [
        "tests/main.tftest.hcl",
        "main.tftest.hcl",
        "modules/vpc/tests/defaults.tftest.hcl",
        "test/vpc_test.go",
        "modules/vpc/vpc_test.go",
        "policies/deny_public.rego",
        "policy/tags.rego",
        "opa/deny_public_test.rego",
        "spec/server_spec.rb",
        "app/server_spec.rb",
        "test_network.py",
        "scripts/network_test.py",
        "web/app.test.ts",
        "web/app.spec.js",
        "__tests__/x.js",
        "e2e/smoke.sh",
        "Tests/Module.Tests.ps1",
        "checks/smoke.bats",
        "TESTS/x.tf",
    ];
    for path in tests {
        assert!(is_test_path(path), "{path}");
    }
    let not_tests = [
        "main.tf",
        "modules/testing/main.tf",
        "modules/contest/main.tf",
        "latest/main.tf",
        "test_network.sh",
        "testdata.tf",
        "attest.go",
        "specs.yaml",
        "app.spec",
        "tests",
        "",
        "/",
    ];
    for path in not_tests {
        assert!(!is_test_path(path), "{path}");
    }
}

/// A line of code built from pieces whose citations are known: code and strings (which cite
/// nothing), then an optional comment naming IDs.
fn code_line() -> impl Strategy<Value = (String, Vec<String>)> {
    let code = prop::sample::select(vec![
        "resource \"aws_vpc\" \"main\" {",
        "name = \"IR-900\"",
        "x := `IR-901 // not`",
        "url: https://example.com/IR-902#IR-903",
        "args: [--flag, IR-904]",
        "it's",
        "}",
        "",
        "paths: src/**/*.tf",
        "a#IR-905 b--IR-906",
    ]);
    let id = (1u32..50).prop_map(|n| format!("IR-{n:03}"));
    let marker = prop::sample::select(vec![" # ", " // ", " -- ", " /* "]);
    let comment = prop::option::of((marker, prop::collection::vec(id, 1..4)));
    (code, comment).prop_map(|(code, comment)| match comment {
        None => (code.to_string(), Vec::new()),
        Some((marker, ids)) => {
            let close = if marker == " /* " { " */" } else { "" };
            (format!("{code}{marker}{}{close}", ids.join(" ")), ids)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text: no panic, and every citation is an ID written on its line after a comment
    /// marker on that line or inside a block comment.
    #[test]
    fn any_text_cites_only_ids_on_their_lines(text in any_text(), path in prop::sample::select(vec!["a.tf", "a.md", "a.xml"])) {
        let lines: Vec<&str> = crate::markdown::line_ranges(&text).map(|r| &text[r]).collect();
        let citations = scan_file(path, &text);
        if !["#", "//", "--", "/*", "<!--"].iter().any(|m| text.contains(m)) {
            prop_assert!(citations.is_empty(), "{citations:?} from {text:?}");
        }
        for c in citations {
            let line = lines.get(c.line - 1).copied().unwrap_or_default();
            prop_assert!(crate::docs::is_id(&c.id), "{c:?}");
            let written = line.contains(&c.id) || text.contains(" to ") || text.contains("..");
            prop_assert!(written, "{c:?} not on line {line:?} of {text:?}");
        }
    }

    /// Generated code whose comments are known: exactly their IDs are cited, on their lines.
    #[test]
    fn generated_code_cites_exactly_its_comments(lines in prop::collection::vec(code_line(), 0..20)) {
        let text: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
        let mut want = Vec::new();
        for (i, (_, ids)) in lines.iter().enumerate() {
            let mut seen = Vec::new();
            for id in ids {
                if !seen.contains(id) {
                    seen.push(id.clone());
                    want.push((id.clone(), i + 1));
                }
            }
        }
        let got: Vec<(String, usize)> = scan(&text).into_iter().map(|c| (c.id, c.line)).collect();
        prop_assert_eq!(got, want, "{}", text);
    }
}

/// Text made of the pieces that matter to the scanner.
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "IR-001", "IR-2", "003/", "x", " ", "\n", "\r", "#", "//", "--", "/*", "*/", "<!--",
            "-->", "\"", "'", "`", "\\", "-", "/", "é", "\u{feff}", "```", " to ", "..", "A-9",
        ]),
        0..64,
    )
    .prop_map(|v| v.concat())
}

#[test]
fn many_comments_on_one_line_stay_linear() {
    let line = "/* IR-001 */ ".repeat(30_000);
    let start = std::time::Instant::now();
    assert_eq!(ids(&line), ["IR-001"]);
    let many: String = (0..30_000).map(|n| format!("/* IR-{n} */ ")).collect();
    assert_eq!(scan(&many).len(), 30_000);
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

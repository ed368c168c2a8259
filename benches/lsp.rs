//! How fast `specops lsp` re-publishes the findings of a 1 MB spec after a one-character edit
//! (the goal: under 10 ms).
//!
//! Run with `cargo bench --bench lsp` (a release build). It starts the real binary, opens a
//! spec of about 1 MB (10,000 requirements, scenarios, a table, one open marker), once beside a
//! task list serving every requirement (so the cross-document rules compare the two) and once
//! alone, then sends one-character edits (a character typed, then deleted) and times each from
//! the write of `didChange` to the arrival of its `publishDiagnostics`: what an editor waits.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const REQUIREMENTS: usize = 10_000;
const RUNS: usize = 41;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let spec = spec();
    std::fs::create_dir_all(root.join("specs/001-big")).expect("folder");
    std::fs::create_dir_all(root.join("specs/002-alone")).expect("folder");
    std::fs::write(root.join("specs/001-big/tasks.md"), tasks()).expect("tasks");
    println!(
        "specops lsp, a {:.2} MB spec ({REQUIREMENTS} requirements), median of {RUNS} edits\n",
        spec.len() as f64 / 1e6
    );
    for (label, feature) in [
        ("beside a task list serving every requirement", "001-big"),
        ("with no plan or task list beside it", "002-alone"),
    ] {
        let (open, times, findings) = measure(&root, feature, &spec);
        println!("{label} ({findings} findings):");
        println!("  open (first lint)                  {:>7.2} ms", ms(open));
        println!(
            "  re-published after a 1-char edit   {:>7.2} ms  [min {:.2} ms, max {:.2} ms]\n",
            ms(times[RUNS / 2]),
            ms(times[0]),
            ms(times[RUNS - 1])
        );
    }
}

/// Open the spec of `feature` in a new server and edit it: the time of the first lint, the
/// sorted times of the edits, and the number of findings.
fn measure(root: &Path, feature: &str, spec: &str) -> (Duration, Vec<Duration>, usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_specops"))
        .arg("lsp")
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start specops lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |v: Value| {
        let body = v.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    };
    let uri = format!("file://{}/specs/{feature}/spec.md", root.display());
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "capabilities": {}}}));
    read_until(&mut stdout, |m| m["id"] == 1);
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let opened = Instant::now();
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "markdown", "version": 1, "text": spec}}}),
    );
    let first = read_until(&mut stdout, |m| m["params"]["version"] == 1);
    let findings = first["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    let open_time = opened.elapsed();
    // A character typed into the middle of the document, then deleted.
    let line = REQUIREMENTS / 2 + 20;
    let mut times = Vec::new();
    for version in 2..2 + RUNS as i64 {
        let change = if version % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": 20}, "end": {"line": line, "character": 20}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": 20}, "end": {"line": line, "character": 21}}, "text": ""})
        };
        let start = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}),
        );
        let m = read_until(&mut stdout, |m| m["params"]["version"] == version);
        times.push(start.elapsed());
        assert_eq!(
            m["params"]["diagnostics"].as_array().map_or(0, Vec::len),
            findings
        );
    }
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    read_until(&mut stdout, |m| m["id"] == 2);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    child.wait().expect("exit");
    times.sort();
    (open_time, times, findings)
}

/// A spec of about 1 MB.
fn spec() -> String {
    let mut s =
        String::from("# Infrastructure Specification: Big platform\n\n## Deployment Scenarios\n\n");
    for i in 1..=10 {
        s.push_str(&format!(
            "### Scenario {i}: Tenant journey {i} (Priority: P{})\n\nA tenant does thing {i}.\n\n**Requirements**: IR-{:05}\n\n",
            1 + i % 3,
            i
        ));
    }
    s.push_str("## Requirements\n\n");
    for i in 1..=REQUIREMENTS {
        s.push_str(&format!(
            "- **IR-{i:05}**: The platform MUST keep tenant {i}'s workloads isolated from every other tenant's, in each region.\n"
        ));
    }
    s.push_str("\n## Environments and Topology\n\n| Environment | Purpose |\n|---|---|\n| prod | tenants |\n\n");
    s.push_str("## Success Criteria\n\n- **SC-001**: A new tenant is usable within [NEEDS CLARIFICATION: how many minutes?].\n");
    s
}

/// A task list serving every requirement.
fn tasks() -> String {
    let mut s = String::from("# Tasks: Big platform\n\n## Phase 1: Setup\n\n");
    for i in 1..=REQUIREMENTS {
        s.push_str(&format!("- [ ] T{i:05} Build part {i} (IR-{i:05})\n"));
    }
    s
}

/// Read messages until one satisfies `done`.
fn read_until(out: &mut impl BufRead, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).expect("read") > 0,
                "the server stopped"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        out.read_exact(&mut body).expect("body");
        let m: Value = serde_json::from_slice(&body).expect("JSON");
        if done(&m) {
            return m;
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

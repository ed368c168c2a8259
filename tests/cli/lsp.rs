//! `specops lsp`: the real binary spoken to over stdio, as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::Sandbox;

/// No test waits longer than this for a message.
const TIMEOUT: Duration = Duration::from_secs(30);

const SPEC: &str = "\
# Infrastructure Specification: Tenant network

## Deployment Scenarios

### Scenario 1: Tenant onboarding (Priority: P1)

A team gets an isolated network.

**Requirements**: IR-001

## Requirements

- **IR-001**: Each tenant's network MUST be isolated — no route between tenants.
- **IR-002**: Egress is logged.
";

const TASKS: &str = "\
# Tasks: Tenant network

## Phase 1: Setup

- [ ] T001 Create the layout in modules/net/ (IR-001)
- [x] T002 [P] Write the egress log policy in modules/log/ (IR-002)

## Dependencies

- T002 after T001
";

/// A repository with one feature (a spec and its task list) and a Terraform file citing IR-001.
fn repo() -> Sandbox {
    let s = Sandbox::git_with_commit();
    s.write("specs/001-net/spec.md", SPEC);
    s.write("specs/001-net/tasks.md", TASKS);
    s.write(
        "modules/net/main.tf",
        "# IR-001: tenant isolation\nresource \"x\" \"y\" {}\n",
    );
    s.write("modules/log/policy.tf", "# IR-002\n");
    s
}

fn uri(s: &Sandbox, rel: &str) -> String {
    let path = s.path().canonicalize().unwrap().join(rel);
    format!("file://{}", path.display())
}

/// A running server and what it has said.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    held: Vec<Value>,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start(s: &Sandbox) -> Self {
        let mut child = s
            .std_cmd(assert_cmd::cargo::cargo_bin("specops"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start specops lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                out.read_exact(&mut body).unwrap();
                let value: Value = serde_json::from_slice(&body).expect("JSON from the server");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            held: Vec::new(),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.write(&frame(&message.to_string()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        self.messages
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time")
    }

    /// Send a request and wait for its response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.held.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.held.iter().position(|m| is_diagnostics_for(m, uri)) {
            let m = self.held.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.recv();
            if is_diagnostics_for(&m, uri) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.held.push(m);
        }
    }

    fn initialize(&mut self, s: &Sandbox, encodings: &[&str]) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(s, ""),
                "capabilities": {"general": {"positionEncodings": encodings}},
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, s: &Sandbox, rel: &str, text: &str) -> String {
        let u = uri(s, rel);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "markdown", "version": 1, "text": text}}),
        );
        u
    }

    /// `shutdown` then `exit`; the exit code.
    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(&mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut err = String::new();
                self.child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                assert!(!err.contains("panicked"), "{err}");
                return status.code().expect("exited, not killed");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_diagnostics_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The position of the first `needle` in `text`, in UTF-16 units.
fn find(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() as u32;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    pos(line, text[start..at].encode_utf16().count() as u32)
}

#[test]
fn findings_appear_and_disappear_as_the_document_is_edited() {
    let s = repo();
    let mut c = Client::start(&s);
    let init = c.initialize(&s, &[]);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    let text = "# Notes\n\nRegion: [NEEDS CLARIFICATION: which region?]\n";
    let u = c.open(&s, "specs/001-net/notes.md", text);
    let d = c.diagnostics(&u);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "SO001");
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["range"]["start"], pos(2, 8));
    assert!(
        d[0]["message"].as_str().unwrap().contains("which region?"),
        "{}",
        d[0]
    );
    // Resolve the marker with one incremental change.
    let end = pos(2, 8 + "[NEEDS CLARIFICATION: which region?]".len() as u32);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": {"start": pos(2, 8), "end": end}, "text": "eu-west-1"}]}),
    );
    assert_eq!(c.diagnostics(&u), Vec::<Value>::new());
    // Suppressions and severities are those of `check`.
    s.write(".specops/config.yaml", "rules:\n  SO001: warning\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3},
               "contentChanges": [{"text": "[NEEDS CLARIFICATION: a?]\n<!-- specops-ignore SO001 -->\n[NEEDS CLARIFICATION: b?]\n"}]}),
    );
    let d = c.diagnostics(&u);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 0);
    assert_eq!(
        d[0]["severity"], 1,
        "the config is read when the server starts"
    );
    // ... and again when it is saved: every open document is linted again.
    let config = uri(&s, ".specops/config.yaml");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config}}),
    );
    assert_eq!(c.diagnostics(&u)[0]["severity"], 2);
    // A broken config is shown, and the last good one kept.
    s.write(".specops/config.yaml", "rules:\n  SO042: off\n");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config}}),
    );
    let shown = loop {
        let m = c.recv();
        if m["method"] == "window/showMessage" {
            break m;
        }
    };
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("SO042"),
        "{shown}"
    );
    assert_eq!(c.diagnostics(&u)[0]["severity"], 2);
    assert_eq!(c.stop(), 0);
}

#[test]
fn cross_document_rules_read_the_open_buffers() {
    let s = repo();
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let tasks = c.open(&s, "specs/001-net/tasks.md", TASKS);
    assert_eq!(c.diagnostics(&tasks), Vec::<Value>::new());
    // The spec, open and edited so that IR-002 is gone: the task list's reference is unknown.
    let edited = SPEC.replace("- **IR-002**: Egress is logged.\n", "");
    let spec = c.open(&s, "specs/001-net/spec.md", &edited);
    let _ = c.diagnostics(&spec);
    let d = c.diagnostics(&tasks);
    assert!(
        d.iter()
            .any(|d| d["code"] == "SO007" && d["message"].as_str().unwrap().contains("IR-002")),
        "{d:?}"
    );
    // Closed, the spec is read from disk again.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": spec}}),
    );
    assert_eq!(
        c.diagnostics(&spec),
        Vec::<Value>::new(),
        "cleared on close"
    );
    assert_eq!(c.diagnostics(&tasks), Vec::<Value>::new());
    assert_eq!(c.stop(), 0);
}

#[test]
fn definition_references_and_hover_follow_the_requirement_graph() {
    let s = repo();
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let tasks = c.open(&s, "specs/001-net/tasks.md", TASKS);
    let spec_uri = uri(&s, "specs/001-net/spec.md");
    let at =
        |needle: &str| json!({"textDocument": {"uri": tasks}, "position": find(TASKS, needle)});
    // From the task line to the requirement's definition in the spec.
    let r = c.request("textDocument/definition", at("IR-001"));
    let loc = &r["result"][0];
    assert_eq!(loc["uri"], spec_uri, "{r}");
    assert_eq!(loc["range"]["start"], find(SPEC, "IR-001**: Each"));
    // A task ID in the Dependencies section: to its task line.
    let deps = TASKS.find("T002 after").unwrap();
    let line = TASKS[..deps].matches('\n').count() as u32;
    let r = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": tasks}, "position": pos(line, 3)}),
    );
    assert_eq!(
        r["result"][0]["range"]["start"],
        find(TASKS, "T002 [P]"),
        "{r}"
    );
    // References: the spec's scenario and definition, the task line, the Terraform comment.
    let mut params = at("IR-001");
    params["context"] = json!({"includeDeclaration": true});
    let r = c.request("textDocument/references", params);
    let mut found: Vec<String> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let u = l["uri"].as_str().unwrap();
            let rel = u.rsplit_once("/specops-test-").map_or(u, |(_, r)| r);
            let rel = rel.split_once('/').map_or(rel, |(_, r)| r);
            format!("{rel}:{}", l["range"]["start"]["line"])
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "modules/net/main.tf:0",
            "specs/001-net/spec.md:12",
            "specs/001-net/spec.md:8",
            "specs/001-net/tasks.md:4",
        ],
        "{r}"
    );
    // Hover on a requirement: its text, its scenario, its tasks.
    let r = c.request("textDocument/hover", at("IR-001"));
    let text = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("no route between tenants"), "{text}");
    assert!(
        text.contains("Scenario 1 — Tenant onboarding (P1)"),
        "{text}"
    );
    assert!(text.contains("Tasks: 0/1 done — T001"), "{text}");
    // Hover on a task: its phase, its dependencies, its requirements.
    let r = c.request("textDocument/hover", at("T002 [P]"));
    let text = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**T002** · done"), "{text}");
    assert!(text.contains("Phase: Phase 1: Setup"), "{text}");
    assert!(text.contains("Depends on: T001"), "{text}");
    assert!(text.contains("Requirements: IR-002"), "{text}");
    // From the Terraform file's comment to the spec.
    let tf = uri(&s, "modules/net/main.tf");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": tf, "languageId": "terraform", "version": 1,
               "text": "# IR-001: tenant isolation\n"}}),
    );
    let r = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": tf}, "position": pos(0, 4)}),
    );
    assert_eq!(r["result"][0]["uri"], spec_uri, "{r}");
    // Nothing under the cursor: a null result, not an error.
    let r = c.request("textDocument/hover", at("# Tasks"));
    assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
    assert_eq!(c.stop(), 0);
}

/// References into code: a file with old Mac line endings is located on the line an editor
/// shows, and an open buffer shorter than the file the citation scan read (lines deleted, not
/// saved) is no crash.
#[test]
fn references_into_code_with_bare_crs_and_unsaved_edits() {
    let s = repo();
    s.write(
        "modules/cr/main.tf",
        "resource \"x\" \"z\" {}\r\r# IR-001\r",
    );
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let tasks = c.open(&s, "specs/001-net/tasks.md", TASKS);
    // The cited file is open with its lines deleted.
    c.open(&s, "modules/net/main.tf", "");
    let mut params = json!({"textDocument": {"uri": tasks}, "position": find(TASKS, "IR-001")});
    params["context"] = json!({"includeDeclaration": false});
    let r = c.request("textDocument/references", params);
    let lines: Vec<String> = r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .filter(|l| l["uri"].as_str().unwrap().contains("/modules/"))
        .map(|l| {
            let u = l["uri"].as_str().unwrap();
            format!(
                "{}:{}",
                &u[u.find("/modules/").unwrap() + 1..],
                l["range"]["start"]["line"]
            )
        })
        .collect();
    assert_eq!(
        lines,
        ["modules/cr/main.tf:2", "modules/net/main.tf:0"],
        "{r}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn symbols_and_code_actions() {
    let s = repo();
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let tasks = c.open(&s, "specs/001-net/tasks.md", TASKS);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": tasks}}),
    );
    let top = &r["result"][0];
    assert_eq!(top["name"], "Tasks: Tenant network", "{r}");
    let phase = &top["children"][0];
    assert_eq!(phase["name"], "Phase 1: Setup");
    let names: Vec<&str> = phase["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["T001", "T002"]);
    // Tick T001 from its line.
    let line = find(TASKS, "T001")["line"].clone();
    let range =
        json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}});
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": tasks}, "range": range, "context": {"diagnostics": []}}),
    );
    let action = &r["result"][0];
    assert_eq!(action["title"], "Tick T001 (done)", "{r}");
    let edit = &action["edit"]["changes"][&tasks][0];
    assert_eq!(edit["newText"], "x");
    assert_eq!(
        edit["range"]["start"],
        json!({"line": line, "character": 3})
    );
    // Suppress a finding on the line above it.
    let notes = c.open(
        &s,
        "specs/001-net/notes.md",
        "# N\n\n- [NEEDS CLARIFICATION: q?]\n",
    );
    let d = c.diagnostics(&notes);
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": notes}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let action = &r["result"][0];
    assert_eq!(action["title"], "Suppress SO001 on this line", "{r}");
    let edit = &action["edit"]["changes"][&notes][0];
    assert_eq!(edit["newText"], "<!-- specops-ignore SO001 -->\n");
    assert_eq!(edit["range"]["start"], pos(2, 0));
    assert_eq!(c.stop(), 0);
}

#[test]
fn positions_count_utf8_bytes_or_utf16_units_as_negotiated() {
    let text = "# Ünïcödé 😀\n\n😀 Région: [NEEDS CLARIFICATION: où?]\n";
    for (offered, encoding, column) in [
        (vec!["utf-8", "utf-16"], "utf-8", "😀 Région: ".len()),
        (
            vec!["utf-32"],
            "utf-16",
            "😀 Région: ".encode_utf16().count(),
        ),
    ] {
        let s = repo();
        let mut c = Client::start(&s);
        let init = c.initialize(&s, &offered);
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], encoding);
        let u = c.open(&s, "specs/001-net/notes.md", text);
        let d = c.diagnostics(&u);
        assert_eq!(d[0]["range"]["start"], pos(2, column as u32), "{encoding}");
        let width = match encoding {
            "utf-8" => "[NEEDS CLARIFICATION: où?]".len(),
            _ => "[NEEDS CLARIFICATION: où?]".encode_utf16().count(),
        };
        assert_eq!(d[0]["range"]["end"], pos(2, (column + width) as u32));
        // An edit after the emoji, in the client's units, lands where it should.
        let start = pos(2, column as u32);
        let end = pos(2, (column + width) as u32);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": 2},
                   "contentChanges": [{"range": {"start": start, "end": end}, "text": "Paris"}]}),
        );
        assert_eq!(c.diagnostics(&u), Vec::<Value>::new(), "{encoding}");
        let r = c.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        );
        assert_eq!(r["result"][0]["name"], "Ünïcödé 😀");
        assert_eq!(c.stop(), 0);
    }
}

#[test]
fn bad_messages_and_unknown_methods_are_answered_and_survived() {
    let s = repo();
    let mut c = Client::start(&s);
    // Before initialize: refused, not crashed.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.initialize(&s, &[]);
    // Not JSON: a parse error with a null id, and the server reads on.
    c.write(&frame("{this is not json"));
    let m = c.recv();
    assert_eq!(m["error"]["code"], -32700, "{m}");
    assert!(m["id"].is_null());
    c.write(&frame("[1, 2]"));
    assert_eq!(c.recv()["error"]["code"], -32700);
    let r = c.request("workspace/unheardOf", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Unknown notifications and ones with bad parameters are dropped.
    c.notify("$/somethingElse", json!({}));
    c.notify("textDocument/didChange", json!({"oops": 1}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere/x.md", "version": 2}, "contentChanges": []}),
    );
    // A request for a document that is not open and does not exist: null.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&s, "specs/none.md")}, "position": pos(0, 0)}),
    );
    assert!(r["result"].is_null(), "{r}");
    assert_eq!(c.stop(), 0);
}

#[test]
fn a_client_that_goes_away_or_exits_early_ends_the_server_cleanly() {
    // The client closes the stream without shutdown.
    let s = repo();
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    c.open(&s, "specs/001-net/notes.md", "[NEEDS CLARIFICATION: x?]\n");
    assert_eq!(c.wait(), 1);
    // Exit without shutdown: 1, as the protocol asks.
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
    // The stream ends in the middle of a message.
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    c.write(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
    assert_ne!(c.wait(), 0);
    // Framing lost: an error on stderr, exit 2.
    let mut c = Client::start(&s);
    c.write(b"this is no header\r\n\r\n");
    assert_eq!(c.wait(), 2);
}

#[test]
fn a_stale_plan_is_refreshed_by_a_code_action() {
    let s = repo();
    let plan = "# Implementation Plan: Tenant network\n\n<!-- specops:fingerprint spec IR-001=0000000000000000 IR-002=0000000000000000 -->\n\n## Summary\n\nOne network per tenant.\n";
    s.write("specs/001-net/plan.md", plan);
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let u = c.open(&s, "specs/001-net/plan.md", plan);
    let d: Vec<Value> = c
        .diagnostics(&u)
        .into_iter()
        .filter(|d| d["code"] == "SO008")
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let actions = r["result"].as_array().unwrap();
    let refresh = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("plan --refresh"))
        .unwrap_or_else(|| panic!("{r}"));
    let new_text = refresh["edit"]["changes"][&u][0]["newText"]
        .as_str()
        .unwrap();
    assert!(!new_text.contains("IR-001=0000000000000000"), "{new_text}");
    assert!(new_text.contains("One network per tenant."));
    // The refreshed text is what `plan --refresh` writes.
    assert!(s
        .run(&["plan", "--refresh", "--feature", "001"])
        .status
        .success());
    assert_eq!(new_text, s.read("specs/001-net/plan.md"));
    // Applied, the finding is gone.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": new_text}]}),
    );
    let d = c.diagnostics(&u);
    assert!(d.iter().all(|d| d["code"] != "SO008"), "{d:?}");
    assert_eq!(c.stop(), 0);
}

#[test]
fn a_saved_citation_is_seen_by_the_next_lint() {
    let s = repo();
    // T002 is ticked, and nothing outside specs/ cites IR-002 yet.
    s.write("modules/log/policy.tf", "# egress log policy\n");
    let mut c = Client::start(&s);
    c.initialize(&s, &[]);
    let spec = c.open(&s, "specs/001-net/spec.md", SPEC);
    let d = c.diagnostics(&spec);
    assert!(
        d.iter()
            .any(|d| d["code"] == "SO013" && d["message"].as_str().unwrap().contains("IR-002")),
        "{d:?}"
    );
    // The citation is written and saved: the repository is scanned again.
    s.write("modules/log/policy.tf", "# IR-002: egress log policy\n");
    let tf = uri(&s, "modules/log/policy.tf");
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": tf}}));
    let d = c.diagnostics(&spec);
    assert!(d.iter().all(|d| d["code"] != "SO013"), "{d:?}");
    assert_eq!(c.stop(), 0);
}

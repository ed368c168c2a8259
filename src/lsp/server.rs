//! The server's state and its loop: the handshake, then each message in turn; findings are
//! published for the documents a batch of messages changed.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, HoverProviderCapability, InitializeParams, InitializeResult,
    OneOf, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::position::{self, Encoding};
use super::transport::{parse_error, Incoming, Outgoing, Transport};
use crate::exit::Outcome;
use crate::lint::engine::{ParsedRelated, Repository};
use crate::lint::Levels;
use crate::workspace::Workspace;

/// A document the client has open.
pub(super) struct Open {
    /// The URI as the client wrote it: answers about this document use the same spelling.
    pub(super) uri: Uri,
    pub(super) text: Arc<String>,
    pub(super) version: i32,
}

/// What the server knows.
pub(super) struct Server {
    pub(super) ws: Workspace,
    pub(super) levels: Levels,
    /// The constitution's root-relative path.
    pub(super) constitution: String,
    pub(super) enc: Encoding,
    /// Open documents by root-relative path, with `/`.
    pub(super) docs: HashMap<String, Open>,
    /// Whether a default `check` lints a root-relative path.
    pub(super) linted: crate::inputs::LintedByDefault,
    /// What `check` knows about the repository (SO011, SO013), kept between lints so the
    /// repository is scanned for citations at most once until a file is saved.
    pub(super) repository: Option<Arc<Repository>>,
    /// The feature documents parsed for the cross-document rules, kept between lints with the
    /// bytes they were parsed from: an edit of a spec does not re-parse the task list beside it.
    pub(super) parsed: Arc<ParsedRelated>,
    /// Open documents whose findings are to be published after this batch of messages.
    dirty: BTreeSet<String>,
    shutdown: bool,
    out: std::sync::mpsc::Sender<Outgoing>,
}

/// What to do after a message.
enum Flow {
    Continue,
    Exit(Outcome),
}

/// Run the handshake and the loop; the outcome is the exit status: success after `shutdown`
/// then `exit`, problems (1) when the client exits or goes away without `shutdown`, as the
/// protocol asks.
pub(super) fn run(transport: &Transport, start: &Path) -> Outcome {
    let send = |m: Outgoing| {
        let _ = transport.sender.send(m);
    };
    // The handshake: nothing but `initialize` (and `exit`) is served before it.
    let (mut server, id) = loop {
        let Ok(incoming) = transport.receiver.recv() else {
            return Outcome::Problems;
        };
        match incoming {
            Incoming::Message(Message::Request(r)) if r.method == req::Initialize::METHOD => {
                let params: InitializeParams = match serde_json::from_value(r.params.clone()) {
                    Ok(p) => p,
                    Err(e) => {
                        send(error(r.id, ErrorCode::InvalidParams, e.to_string()));
                        continue;
                    }
                };
                match Server::new(&params, start, transport.sender.clone()) {
                    Ok(server) => break (server, r.id),
                    Err(message) => send(error(r.id, ErrorCode::RequestFailed, message)),
                }
            }
            Incoming::Message(Message::Request(r)) => send(error(
                r.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".into(),
            )),
            Incoming::Message(Message::Notification(n)) if n.method == note::Exit::METHOD => {
                return Outcome::Problems;
            }
            Incoming::Message(_) => {}
            Incoming::Malformed(reason) => send(Outgoing::Raw(parse_error(&reason))),
            Incoming::Broken(reason) => return broken(&reason),
        }
    };
    send(reply(id, server.capabilities()));
    loop {
        let Ok(first) = transport.receiver.recv() else {
            return if server.shutdown {
                Outcome::Success
            } else {
                Outcome::Problems
            };
        };
        let mut next = Some(first);
        // Every message already waiting is handled before findings are published: a burst of
        // changes is linted once.
        while let Some(incoming) = next {
            if let Flow::Exit(outcome) = server.handle(incoming) {
                return outcome;
            }
            next = transport.receiver.try_recv().ok();
        }
        server.publish();
    }
}

/// The stream cannot be read on: say why and stop.
fn broken(reason: &str) -> Outcome {
    let e = crate::error::Error::input(
        format!("the client's messages cannot be read: {reason}"),
        "the client must frame each message with a Content-Length header (JSON-RPC over stdio)",
    );
    crate::exit::report(&e.into())
}

fn reply(id: RequestId, result: impl serde::Serialize) -> Outgoing {
    Outgoing::Message(Message::Response(Response::new_ok(id, result)))
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Outgoing {
    Outgoing::Message(Message::Response(Response::new_err(
        id,
        code as i32,
        message,
    )))
}

/// The folder the client names as its workspace: its first workspace folder, else its root
/// URI, else `start`.
fn client_root(params: &InitializeParams, start: &Path) -> PathBuf {
    #[allow(deprecated)]
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.as_str())
        .or(params.root_uri.as_ref().map(|u| u.as_str()));
    uri.and_then(position::uri_to_path)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| start.to_path_buf())
}

impl Server {
    fn new(
        params: &InitializeParams,
        start: &Path,
        out: std::sync::mpsc::Sender<Outgoing>,
    ) -> Result<Self, String> {
        let ws = Workspace::discover(&client_root(params, start)).map_err(|e| e.to_string())?;
        let levels = Levels::resolve(&ws.config.rules, &[]).map_err(|e| e.to_string())?;
        let linted = crate::inputs::linted_by_default(&ws).map_err(|e| e.to_string())?;
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        Ok(Self {
            constitution: ws.display(&ws.constitution()),
            ws,
            levels,
            enc: Encoding::negotiate(offered),
            docs: HashMap::new(),
            linted,
            repository: None,
            parsed: Arc::default(),
            dirty: BTreeSet::new(),
            shutdown: false,
            out,
        })
    }

    fn capabilities(&self) -> InitializeResult {
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(self.enc.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "specops".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    fn send(&self, m: Outgoing) {
        // A client that is gone is noticed when the next read finds the end of its stream.
        let _ = self.out.send(m);
    }

    fn handle(&mut self, incoming: Incoming) -> Flow {
        match incoming {
            Incoming::Message(Message::Request(r)) => self.request(r),
            Incoming::Message(Message::Notification(n)) => return self.notification(n),
            // The server sends no requests, so a response answers nothing.
            Incoming::Message(Message::Response(_)) => {}
            Incoming::Malformed(reason) => self.send(Outgoing::Raw(parse_error(&reason))),
            Incoming::Broken(reason) => return Flow::Exit(broken(&reason)),
        }
        Flow::Continue
    }

    fn request(&mut self, r: Request) {
        if self.shutdown {
            let message = "the server is shutting down".to_string();
            return self.send(error(r.id, ErrorCode::InvalidRequest, message));
        }
        let id = r.id.clone();
        let answer = match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            req::GotoDefinition::METHOD => self.answer(r, |s, p| s.definition(&p)),
            req::References::METHOD => self.answer(r, |s, p| s.references(&p)),
            req::HoverRequest::METHOD => self.answer(r, |s, p| s.hover(&p)),
            req::DocumentSymbolRequest::METHOD => self.answer(r, |s, p| s.symbols(&p)),
            req::CodeActionRequest::METHOD => self.answer(r, |s, p| s.code_actions(&p)),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("specops lsp does not serve `{other}`"),
            )),
        };
        self.send(match answer {
            Ok(value) => reply(id, value),
            Err((code, message)) => error(id, code, message),
        });
    }

    /// Decode a request's parameters and answer it with `f`.
    fn answer<P: DeserializeOwned, R: serde::Serialize>(
        &mut self,
        r: Request,
        f: impl FnOnce(&mut Self, P) -> R,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: P = serde_json::from_value(r.params)
            .map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", r.method)))?;
        serde_json::to_value(f(self, params)).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn notification(&mut self, n: Notification) -> Flow {
        match n.method.as_str() {
            note::Exit::METHOD => {
                return Flow::Exit(if self.shutdown {
                    Outcome::Success
                } else {
                    Outcome::Problems
                })
            }
            note::DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n) {
                    let d = p.text_document;
                    if let Some(key) = self.key(&d.uri) {
                        let open = Open {
                            uri: d.uri,
                            text: Arc::new(d.text),
                            version: d.version,
                        };
                        self.docs.insert(key.clone(), open);
                        self.touch(&key);
                    }
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n) {
                    let enc = self.enc;
                    let key = self.key(&p.text_document.uri);
                    if let Some(doc) = key.as_ref().and_then(|k| self.docs.get_mut(k)) {
                        let text = Arc::make_mut(&mut doc.text);
                        for change in p.content_changes {
                            apply(text, change, enc);
                        }
                        doc.version = p.text_document.version;
                    }
                    if let Some(key) = key {
                        self.touch(&key);
                    }
                }
            }
            note::DidSaveTextDocument::METHOD => {
                // What is on disk changed: every open document may compare with it, and the
                // configuration may be what was saved.
                if let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(n) {
                    if self.key(&p.text_document.uri).as_deref() == Some(crate::config::CONFIG_PATH)
                    {
                        self.reload();
                    }
                }
                self.repository = None;
                self.dirty.extend(self.docs.keys().cloned());
            }
            note::DidChangeWatchedFiles::METHOD => {
                self.repository = None;
                self.dirty.extend(self.docs.keys().cloned());
            }
            note::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n) {
                    if let Some(key) = self.key(&p.text_document.uri) {
                        if let Some(doc) = self.docs.remove(&key) {
                            // A closed document's findings are cleared; its feature's open
                            // documents now read it from disk.
                            self.publish_one(doc.uri, Vec::new(), None);
                            self.touch(&key);
                        }
                    }
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// Read the configuration again (after it was saved); a broken one is shown to the user
    /// and the last good one kept.
    fn reload(&mut self) {
        let loaded = Workspace::discover(&self.ws.root).and_then(|ws| {
            let levels = Levels::resolve(&ws.config.rules, &[])?;
            let linted = crate::inputs::linted_by_default(&ws)?;
            Ok((ws, levels, linted))
        });
        match loaded {
            Ok((ws, levels, linted)) => {
                self.constitution = ws.display(&ws.constitution());
                (self.ws, self.levels, self.linted) = (ws, levels, linted);
            }
            Err(e) => {
                let params = lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::ERROR,
                    message: format!("specops: {e}; the previous configuration is kept"),
                };
                self.send(Outgoing::Message(Message::Notification(Notification::new(
                    note::ShowMessage::METHOD.into(),
                    params,
                ))));
            }
        }
    }

    /// The root-relative path of the document at `uri`, or `None` outside the workspace.
    pub(super) fn key(&self, uri: &Uri) -> Option<String> {
        let path = position::uri_to_path(uri.as_str())?;
        let inside = |p: &Path| {
            p.strip_prefix(&self.ws.root)
                .ok()
                .map(|r| self.ws.display(&self.ws.root.join(r)))
        };
        if let Some(k) = inside(&path) {
            return Some(k);
        }
        // The client may name the document through a symlinked folder.
        let parent = path.parent()?.canonicalize().ok()?;
        inside(&parent.join(path.file_name()?))
    }

    /// The URI of a root-relative path: the client's own for an open document.
    pub(super) fn uri(&self, key: &str) -> Option<Uri> {
        if let Some(doc) = self.docs.get(key) {
            return Some(doc.uri.clone());
        }
        Uri::from_str(&position::path_to_uri(&self.ws.root.join(key))).ok()
    }

    /// The text of a root-relative path: the open buffer's, else the file's (a regular file
    /// inside the root, at most the linter's size limit, valid UTF-8).
    pub(super) fn text(&self, key: &str) -> Option<Arc<String>> {
        if let Some(doc) = self.docs.get(key) {
            return Some(doc.text.clone());
        }
        read_file(&self.ws, key).map(Arc::new)
    }

    /// Mark `key` and every open document compared with it for publishing.
    fn touch(&mut self, key: &str) {
        let related = |k: &str| crate::lint::engine::related_documents(k, &self.constitution);
        let touched: Vec<String> = self
            .docs
            .keys()
            .filter(|k| {
                *k == key
                    || related(k).iter().any(|r| r == key)
                    || related(key).iter().any(|r| r == *k)
            })
            .cloned()
            .collect();
        self.dirty.extend(touched);
    }

    /// Publish the findings of every document marked since the last time.
    fn publish(&mut self) {
        for key in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.docs.get(&key) else {
                continue;
            };
            let (uri, text, version) = (doc.uri.clone(), doc.text.clone(), doc.version);
            let found = self.diagnostics(&key, &text);
            self.publish_one(uri, found, Some(version));
        }
    }

    fn publish_one(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Outgoing::Message(Message::Notification(Notification::new(
            note::PublishDiagnostics::METHOD.into(),
            params,
        ))));
    }
}

/// A notification's parameters; `None` when they do not decode (the notification is
/// dropped, as the protocol asks: a notification has no answer to carry an error).
fn params<P: DeserializeOwned>(n: Notification) -> Option<P> {
    serde_json::from_value(n.params).ok()
}

/// Apply one change of `didChange` to `text`: a range replaced, or the whole text.
pub(super) fn apply(
    text: &mut String,
    change: lsp_types::TextDocumentContentChangeEvent,
    enc: Encoding,
) {
    match change.range {
        Some(range) => {
            let start = position::offset(text, range.start, enc);
            let end = position::offset(text, range.end, enc).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

/// A document read from disk for navigation: a regular file inside the root, at most
/// [`crate::fsx::MAX_FILE_BYTES`], valid UTF-8.
pub(super) fn read_file(ws: &Workspace, key: &str) -> Option<String> {
    let path = ws.root.join(key);
    ws.ensure_inside(&path).ok()?;
    let bytes = crate::fsx::read_regular(&path, crate::fsx::MAX_FILE_BYTES).ok()??;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

    #[test]
    fn incremental_changes_in_both_encodings() {
        for (enc, col) in [(Encoding::Utf8, 3), (Encoding::Utf16, 2)] {
            let mut text = "aé[X]\nb\n".to_string();
            let at = |line, character| Position::new(line, character);
            apply(
                &mut text,
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(at(0, col), at(0, col + 3))),
                    range_length: None,
                    text: "ok".into(),
                },
                enc,
            );
            assert_eq!(text, "aéok\nb\n");
            apply(
                &mut text,
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(at(5, 0), at(5, 0))),
                    range_length: None,
                    text: "end".into(),
                },
                enc,
            );
            assert_eq!(text, "aéok\nb\nend");
            apply(
                &mut text,
                TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: "new".into(),
                },
                enc,
            );
            assert_eq!(text, "new");
        }
    }
}

//! JSON-RPC over stdio, framed by `Content-Length` headers: a reader thread and a writer thread
//! around the server's loop. lsp-server's own stdio transport stops at the first message that is
//! not valid JSON; this one answers it with a parse error and reads on, and stops only when the
//! framing itself is lost (a header without a length) or the client goes away.

use lsp_server::Message;
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::thread;

/// The largest message read: far more than the largest document specops lints
/// ([`crate::fsx::MAX_FILE_BYTES`]) in JSON, and a bound on what a broken client can make the
/// server allocate.
pub(crate) const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What the reader hands the server.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A frame whose body is not a JSON-RPC message; the reason.
    Malformed(String),
    /// The stream cannot be read on (bad framing, a read error); the reason. Nothing follows.
    Broken(String),
}

/// What the writer sends the client.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Message(Message),
    /// A JSON body written as it is: the parse-error response, whose `id` is `null`, which
    /// lsp-server's types cannot express.
    Raw(String),
}

/// The server's ends of the transport, and the threads to join at the end.
pub(crate) struct Transport {
    pub(crate) receiver: Receiver<Incoming>,
    pub(crate) sender: Sender<Outgoing>,
    pub(crate) writer: thread::JoinHandle<()>,
}

/// Start the reader on stdin and the writer on stdout.
pub(crate) fn stdio() -> Transport {
    let (in_tx, in_rx): (SyncSender<Incoming>, _) = sync_channel(16);
    let (out_tx, out_rx) = channel::<Outgoing>();
    // The reader blocks on stdin and is never joined: the process exits around it.
    thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        loop {
            let incoming = match read_frame(&mut input) {
                Ok(None) => return,
                Ok(Some(body)) => parse(&body),
                Err(e) => Incoming::Broken(e.to_string()),
            };
            let last = matches!(incoming, Incoming::Broken(_))
                || matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
            if in_tx.send(incoming).is_err() || last {
                return;
            }
        }
    });
    let writer = thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for msg in out_rx {
            let written = match msg {
                Outgoing::Message(m) => m.write(&mut out),
                Outgoing::Raw(body) => write_frame(&mut out, &body),
            };
            // The client is gone: stop writing; the server finds out when it next reads.
            if written.is_err() {
                return;
            }
        }
    });
    Transport {
        receiver: in_rx,
        sender: out_tx,
        writer,
    }
}

/// A frame's body as a message, or why it is not one.
pub(crate) fn parse(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        Ok(m) => Incoming::Message(m),
        Err(e) => Incoming::Malformed(e.to_string()),
    }
}

/// The JSON-RPC parse-error response.
pub(crate) fn parse_error(reason: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": lsp_server::ErrorCode::ParseError as i32, "message": format!("not a JSON-RPC message: {reason}")},
    })
    .to_string()
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// Read one frame's body; `None` at the end of the stream between frames.
pub(crate) fn read_frame<R: BufRead>(input: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        // A header line is short; a stream of bytes without a line break is not a header.
        let n = io::Read::take(&mut *input, 4096).read_until(b'\n', &mut line)?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err(invalid("the stream ended inside a header".into()))
            };
        }
        first = false;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(invalid(format!("malformed header {text:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| invalid(format!("malformed Content-Length {:?}", value.trim())))?;
            if n > MAX_MESSAGE_BYTES {
                return Err(invalid(format!(
                    "a message of {n} bytes is larger than the {MAX_MESSAGE_BYTES} bytes accepted"
                )));
            }
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| invalid("a message without Content-Length".into()))?;
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_one_by_one_and_bad_ones_said_why() {
        let mut input: &[u8] =
            b"Content-Length: 2\r\n\r\n{}content-length:3\ncontent-type: x\n\nabc";
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"{}");
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"abc");
        assert!(read_frame(&mut input).unwrap().is_none());
        for bad in [
            &b"Content-Type: x\r\n\r\n{}"[..],
            b"Content-Length: x\r\n\r\n",
            b"garbage\r\n\r\n",
            b"Content-Length: 99999999999\r\n\r\n",
            b"Content-Length: 10\r\n\r\n{}",
            b"Content-Length: 10\r\n",
        ] {
            let mut input = bad;
            assert!(read_frame(&mut input).is_err(), "{bad:?}");
        }
        assert!(matches!(parse(b"{nope"), Incoming::Malformed(_)));
        assert!(matches!(parse(b"[1]"), Incoming::Malformed(_)));
        let e: serde_json::Value = serde_json::from_str(&parse_error("x")).unwrap();
        assert_eq!(e["error"]["code"], -32700);
        assert!(e["id"].is_null());
    }
}

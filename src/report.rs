//! Printing a command's report: one JSON object on stdout with `--json`, human text otherwise.
//!
//! Commands build a report (plain data, `Serialize`) and hand it here; nothing else prints.
//! Text from documents, file names and configuration reaches people only through
//! [`escaped`], so a spec cannot drive the terminal (PRODUCT.md §6).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::error::Result;
use crate::exit::written;
use crate::fsx::FileStatus;

/// A command's result, printable for machines (JSON) and for people.
pub(crate) trait Report: Serialize {
    /// Write the human rendering. Styles are stripped when colour is off.
    fn human(&self, out: &mut dyn Write) -> io::Result<()>;

    /// Whether `--quiet` silences this report: yes for a confirmation of work done (`created
    /// …`); no for an answer the command was run for (`list`, `next`, `trace`, `rule`) or a
    /// refusal that explains a failure, which `-q` never hides.
    fn quiet_silences(&self) -> bool {
        true
    }
}

/// How a command prints, as `--json` and `--quiet` ask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Output {
    /// One JSON object on stdout and nothing else there.
    pub json: bool,
    /// Nothing on success.
    pub quiet: bool,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Color {
    /// When the terminal takes them and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Apply the colour choice for the whole process (`auto` honours NO_COLOR and the terminal).
pub(crate) fn init_color(choice: Color) {
    let choice = match choice {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Print `report` as `--json` / `--quiet` ask. A reader that stops reading early is no error
/// (see [`written`]); any other failure to write is.
pub(crate) fn emit<R: Report>(global: &Output, report: &R) -> Result<()> {
    written(print_report(global, report))
}

fn print_report<R: Report>(global: &Output, report: &R) -> io::Result<()> {
    if global.quiet && !global.json && report.quiet_silences() {
        return Ok(());
    }
    stdout_open()?;
    if global.json {
        let mut out = io::stdout().lock();
        write_json(&mut out, report)?;
        return out.flush();
    }
    let mut out = anstream::stdout().lock();
    report.human(&mut out)?;
    out.flush()
}

/// Write `bytes` (a completion script, a man page) on stdout, as [`emit`] writes a report.
pub(crate) fn print_bytes(bytes: &[u8]) -> Result<()> {
    written(stdout_open().and_then(|()| {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }))
}

/// An error when stdout was closed when the process started (`specops check >&-`): the Rust
/// runtime then opens /dev/null in its place, so writing would lose the output without a word.
pub(crate) fn stdout_open() -> io::Result<()> {
    if closed_stdout::at_start() {
        return Err(io::Error::other("standard output is closed"));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
mod closed_stdout {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    /// Whether fd 1 was closed when the process started.
    pub(super) fn at_start() -> bool {
        // Naming the probe keeps its object file in the link, wherever the compiler put it.
        std::hint::black_box(&PROBE);
        CLOSED.load(Ordering::Relaxed)
    }

    /// Runs before `main`, and so before the runtime reopens a closed fd 1 on /dev/null: the
    /// last moment at which a closed stdout can be told from `> /dev/null`.
    extern "C" fn probe() {
        // SAFETY: fd 1 is only asked for its flags (EBADF when it is closed); it is never read,
        // written or closed here, and nothing else runs yet that could reuse the number.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(1) };
        if rustix::io::fcntl_getfd(fd).is_err() {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }

    #[used]
    #[link_section = ".init_array"]
    static PROBE: extern "C" fn() = probe;
}

#[cfg(not(target_os = "linux"))]
mod closed_stdout {
    /// Elsewhere a closed stdout is not told apart from `> /dev/null`.
    pub(super) fn at_start() -> bool {
        false
    }
}

/// Write `value` as indented JSON and a line feed: the one JSON writer of every `--json` and of
/// `check --format json/sarif/gitlab`. JSON itself escapes C0 controls; this also escapes DEL,
/// the C1 controls (U+009B is a CSI to a terminal that takes 8-bit controls) and the
/// bidirectional controls as `\u00XX` / `\u202e`, so the text of a document stays inert when
/// the output is read in a terminal. A JSON reader gets the same strings back.
pub(crate) fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        &mut *out,
        InertJson(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)?;
    out.write_all(b"\n")
}

/// serde_json's indented formatter with [`is_control`] characters escaped in strings (those
/// JSON escapes itself never reach [`Formatter::write_string_fragment`]).
struct InertJson<'a>(serde_json::ser::PrettyFormatter<'a>);

/// Forward the formatter methods `PrettyFormatter` overrides.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl serde_json::ser::Formatter for InertJson<'_> {
    forward! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        text: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in text.char_indices().filter(|&(_, c)| is_control(c)) {
            w.write_all(&text.as_bytes()[start..i])?;
            write!(w, "\\u{:04x}", u32::from(c))?;
            start = i + c.len_utf8();
        }
        w.write_all(&text.as_bytes()[start..])
    }
}

/// `text` with the characters that steer a terminal shown as escapes (`\u{1b}`): C0 controls
/// but tab (so also a bare CR and a line feed), DEL and the C1 controls. What a spec says
/// reaches people in human output only through here; JSON through [`write_json`], and the
/// `github` and `junit` formats through their own rules built on [`is_control`].
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character that [`escaped`] escapes.
pub(crate) fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi_control(c)
}

/// Characters that reorder the text after them on screen (bidirectional overrides, embeddings
/// and isolates, and the marks): a name or a requirement with one can show something other
/// than what it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A warning on stderr (suppressed by `--quiet`; never on stdout, so `--json` stays clean).
pub(crate) fn warn(global: &Output, message: &str) {
    if global.quiet {
        return;
    }
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    let message = escaped(message);
    let _ = writeln!(anstream::stderr(), "{style}warning{style:#}: {message}");
}

/// How a file status reads in human output, with its style.
pub(crate) fn file_status(status: FileStatus) -> (&'static str, anstyle::Style) {
    match status {
        FileStatus::Created => ("created", style::OK),
        FileStatus::Overwritten => ("rewrote", style::WARN),
        FileStatus::Unchanged => ("unchanged", style::DIM),
        FileStatus::Kept => ("kept", style::DIM),
    }
}

/// Styles shared by the human renderings.
pub(crate) mod style {
    use anstyle::{AnsiColor, Style};

    pub(crate) const OK: Style =
        Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
    pub(crate) const DIM: Style = Style::new().dimmed();
    pub(crate) const BOLD: Style = Style::new().bold();
    pub(crate) const WARN: Style =
        Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_is_kept() {
        assert!(matches!(escaped("plain\ttext, ü, 日本"), Cow::Borrowed(_)));
        for (raw, shown) in [
            ("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}"),
            ("\u{1b}[2J\u{1b}[10;10H", "\\u{1b}[2J\\u{1b}[10;10H"),
            ("a\rb\nc", "a\\u{d}b\\u{a}c"),
            (
                "\u{0}\u{7f}\u{85}\u{9b}\u{9f}",
                "\\u{0}\\u{7f}\\u{85}\\u{9b}\\u{9f}",
            ),
            ("\u{a0}\u{200b}", "\u{a0}\u{200b}"),
            (
                "abc\u{202e}fed\u{2066}x\u{200f}",
                "abc\\u{202e}fed\\u{2066}x\\u{200f}",
            ),
        ] {
            assert_eq!(escaped(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn json_escapes_del_c1_and_bidi_controls() {
        let mut out = Vec::new();
        write_json(
            &mut out,
            &["\u{1b}[2J \u{7f} \u{9b}2J \u{85} \u{202e}x \u{2066} é 日"],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\n  \"\\u001b[2J \\u007f \\u009b2J \\u0085 \\u202ex \\u2066 é 日\"\n]\n"
        );
    }

    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let c = prop_oneof![
            any::<char>(),
            (0u32..0xa0).prop_map(|n| char::from_u32(n).unwrap_or('?')),
            prop::sample::select(vec![
                '\u{61c}', '\u{200e}', '\u{202e}', '\u{2069}', '"', '\\'
            ]),
        ];
        proptest::collection::vec(c, 0..24).prop_map(String::from_iter)
    }

    proptest::proptest! {
        #[test]
        fn json_output_is_inert_and_reads_back(key in any_text(), value in any_text()) {
            let data = serde_json::json!({ key: [value, 1] });
            let mut out = Vec::new();
            write_json(&mut out, &data).unwrap();
            let text = String::from_utf8(out).unwrap();
            let raw: Vec<char> = text.chars().filter(|&c| c != '\n' && is_control(c)).collect();
            proptest::prop_assert!(raw.is_empty(), "{:?} in {}", raw, text);
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(back, data);
        }
    }
}

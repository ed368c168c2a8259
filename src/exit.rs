//! The one place exit codes are chosen and errors are printed.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::error::Error;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine: exit 0.
    Success,
    /// The command ran and found problems (lint errors, a blocked gate): exit 1.
    Problems,
    /// Usage, configuration, input or environment error: exit 2.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Problems => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}

/// What writing a command's output came to. A reader that stopped reading
/// (`specops check | head`) is no failure, and it changes no exit code: the command's outcome
/// still says what it found (PRODUCT.md §6). Any other write error (a full disk, a closed
/// stdout) loses the output, and is an error (exit 2).
pub(crate) fn written(result: io::Result<()>) -> crate::error::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(output_error(&e).into()),
        Ok(()) => Ok(()),
    }
}

fn output_error(e: &io::Error) -> Error {
    Error::environment(
        format!("cannot write the output: {e}"),
        "give specops a standard output it can write to (to discard the output, send it to /dev/null)",
    )
}

/// Render an error as `error: …` and `hint: …` lines.
pub fn render_error(err: &anyhow::Error) -> String {
    let mut message = String::new();
    let mut hint = None;
    for (i, cause) in err.chain().enumerate() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            hint.get_or_insert_with(|| e.hint.clone());
        }
        let text = cause.to_string();
        if i > 0 && message.contains(&text) {
            continue;
        }
        if i > 0 {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    let hint = hint.unwrap_or_else(|| "run the command with --help to see its usage".to_string());
    // Messages quote paths and documents: no control character reaches the terminal raw,
    // though a message may run over several lines.
    format!(
        "error: {}\nhint: {}\n",
        escaped_lines(&message),
        escaped_lines(&hint)
    )
}

/// `text` escaped (see [`crate::report::escaped`]), though a message may run over several
/// lines: errors quote paths, values and documents, and no control character may reach the
/// terminal raw.
fn escaped_lines(text: &str) -> String {
    let lines: Vec<_> = text.split('\n').map(crate::report::escaped).collect();
    lines.join("\n")
}

/// Print `err` to stderr and return the outcome it stands for.
pub fn report(err: &anyhow::Error) -> Outcome {
    let _ = std::io::stderr().write_all(render_error(err).as_bytes());
    Outcome::Error
}

/// A command line clap rejects: `--help` and `--version` print as clap prints them (exit 0,
/// or 2 when they cannot be written, as for any output);
/// a usage error keeps clap's text but ends with a `hint:` line like every other error (exit 2).
/// (`main` cannot use `Cli::parse`, which prints clap's text without a hint and exits itself.)
pub fn usage_error(err: &clap::Error) -> ExitCode {
    if !err.use_stderr() {
        let printed = crate::report::stdout_open().and_then(|()| err.print());
        return match written(printed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => report(&e).into(),
        };
    }
    if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // `specops` alone: the overview is the most useful answer, and it is not an error text.
        let _ = err.print();
        return ExitCode::from(2);
    }
    let _ = std::io::stderr().write_all(render_usage_error(&err.render().to_string()).as_bytes());
    ExitCode::from(2)
}

/// clap's error text with its closing "For more information, try '--help'." turned into a hint.
fn render_usage_error(text: &str) -> String {
    const MORE: &str = "For more information, try '--help'.";
    let body = escaped_lines(text.trim_end().trim_end_matches(MORE).trim_end());
    let body = if body.starts_with("error:") {
        body
    } else {
        format!("error: {body}")
    };
    format!(
        "{body}
hint: see `specops --help`, or `specops COMMAND --help` for a command's options
"
    )
}

/// Panics are bugs: print one `error:` line instead of a backtrace and exit 2.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error in specops{place}: {msg}\nhint: this is a bug; please report it with the command you ran"
        );
        std::process::exit(2);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn error_lines_carry_the_hint_of_the_typed_error() {
        let err = anyhow::Error::new(Error::new(ErrorKind::Usage, "bad value", "use a number"));
        assert_eq!(render_error(&err), "error: bad value\nhint: use a number\n");
    }

    #[test]
    fn context_is_prefixed_and_generic_errors_get_a_default_hint() {
        let err = anyhow::anyhow!("disk on fire").context("cannot write spec.md");
        let text = render_error(&err);
        assert_eq!(
            text,
            "error: cannot write spec.md: disk on fire\nhint: run the command with --help to see its usage\n"
        );
    }

    #[test]
    fn usage_errors_end_with_a_hint() {
        let text =
            "error: invalid value 'x' for '--number <N>'\n\nFor more information, try '--help'.\n";
        assert_eq!(
            render_usage_error(text),
            "error: invalid value 'x' for '--number <N>'\nhint: see `specops --help`, or `specops COMMAND --help` for a command's options\n"
        );
    }

    #[test]
    fn a_broken_pipe_is_written_and_other_write_errors_are_not() {
        assert!(written(Err(io::ErrorKind::BrokenPipe.into())).is_ok());
        let err = written(Err(io::Error::from_raw_os_error(28))).unwrap_err();
        assert!(
            render_error(&err).starts_with("error: cannot write the output: "),
            "{}",
            render_error(&err)
        );
    }
}

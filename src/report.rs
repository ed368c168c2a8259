//! Printing a command's report: one JSON object on stdout with `--json`, human text otherwise.
//!
//! Commands build a report (plain data, `Serialize`) and hand it here; nothing else prints.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::fsx::FileStatus;

/// A command's result, printable for machines (JSON) and for people.
pub trait Report: Serialize {
    /// Write the human rendering. Styles are stripped when colour is off.
    fn human(&self, out: &mut dyn Write) -> io::Result<()>;
}

/// Apply `--color` for the whole process (`auto` honours NO_COLOR and the terminal).
pub fn init_color(choice: ColorChoice) {
    let choice = match choice {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Print `report` as `--json` / `--quiet` ask.
pub fn emit<R: Report>(global: &GlobalArgs, report: &R) -> io::Result<()> {
    if global.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, report)?;
        out.write_all(b"\n")?;
        return out.flush();
    }
    if global.quiet {
        return Ok(());
    }
    let mut out = anstream::stdout().lock();
    report.human(&mut out)?;
    out.flush()
}

/// A warning on stderr (suppressed by `--quiet`; never on stdout, so `--json` stays clean).
pub fn warn(global: &GlobalArgs, message: &str) {
    if global.quiet {
        return;
    }
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    let _ = writeln!(anstream::stderr(), "{style}warning{style:#}: {message}");
}

/// How a file status reads in human output, with its style.
pub fn file_status(status: FileStatus) -> (&'static str, anstyle::Style) {
    match status {
        FileStatus::Created => ("created", style::OK),
        FileStatus::Overwritten => ("rewrote", style::WARN),
        FileStatus::Unchanged => ("unchanged", style::DIM),
        FileStatus::Kept => ("kept", style::DIM),
    }
}

/// Styles shared by the human renderings.
pub mod style {
    use anstyle::{AnsiColor, Style};

    pub const OK: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
    pub const DIM: Style = Style::new().dimmed();
    pub const BOLD: Style = Style::new().bold();
    pub const WARN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
}

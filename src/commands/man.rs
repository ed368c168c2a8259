//! `specops man`: the man pages, generated from the clap definitions: `specops.1`, and with
//! `--out-dir` one page per subcommand (`specops-plan.1`, `specops-hook-install.1`…), so that
//! every page `specops.1` refers to exists.

use std::io::Write;

use clap::CommandFactory;
use serde::Serialize;

use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::report::{self, escaped, Output, Report};

/// Render the man page of `specops` as roff.
pub(crate) fn render() -> Result<Vec<u8>> {
    page(Cli::command())
}

/// The man page of `cmd`: clap_mangen's, with the SYNOPSIS line from [`synopsis`].
fn page(mut cmd: clap::Command) -> Result<Vec<u8>> {
    cmd.build();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    let roff = String::from_utf8_lossy(&out);
    const HEADING: &str = ".SH SYNOPSIS\n";
    let Some(at) = roff.find(HEADING).map(|i| i + HEADING.len()) else {
        return Ok(out);
    };
    let end = roff[at..].find('\n').map_or(roff.len(), |i| at + i + 1);
    Ok(format!("{}{}{}", &roff[..at], synopsis(&cmd), &roff[end..]).into_bytes())
}

/// The SYNOPSIS line of `cmd`, built: clap_mangen names an option without the value it takes
/// (`[-C ]`, `[--color]`), so this writes the same line, in the same order and style, with the
/// value names: `[-C DIR] [--color WHEN]`.
fn synopsis(cmd: &clap::Command) -> String {
    use roff::{bold, italic, roman};
    let mut line = vec![
        bold(cmd.get_bin_name().unwrap_or(cmd.get_name())),
        roman(" "),
    ];
    let brackets = |required: bool| if required { ("<", ">") } else { ("[", "]") };
    let values = |a: &clap::Arg| {
        a.get_value_names().map_or_else(
            || a.get_id().as_str().to_uppercase(),
            |v| v.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(" "),
        )
    };
    let mut options: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .collect();
    // clap_mangen's order: as in --help, then short before long names.
    options.sort_by_key(|a| {
        let key = match (a.get_short(), a.get_long()) {
            (Some(c), _) => format!(
                "{}{}",
                c.to_ascii_lowercase(),
                u8::from(c.is_ascii_uppercase())
            ),
            (None, Some(long)) => long.to_string(),
            (None, None) => a.get_id().to_string(),
        };
        (a.get_display_order(), key)
    });
    for a in options {
        let (open, close) = brackets(a.is_required_set());
        line.push(roman(open));
        match (a.get_short(), a.get_long()) {
            (Some(c), Some(long)) => {
                line.extend([bold(format!("-{c}")), roman("|"), bold(format!("--{long}"))]);
            }
            (Some(c), None) => line.push(bold(format!("-{c}"))),
            (None, Some(long)) => line.push(bold(format!("--{long}"))),
            // Not an option: positionals are filtered out above.
            (None, None) => {}
        }
        if a.get_num_args().is_some_and(|n| n.takes_values()) {
            line.extend([roman(" "), italic(values(a))]);
        }
        line.extend([roman(close), roman(" ")]);
    }
    for a in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let (open, close) = brackets(a.is_required_set());
        let many = a.get_num_args().is_some_and(|n| n.max_values() > 1);
        line.extend([roman(open), italic(values(a)), roman(close)]);
        line.push(roman(if many { "... " } else { " " }));
    }
    if cmd.has_subcommands() {
        let (open, close) = brackets(cmd.is_subcommand_required_set());
        let name = cmd.get_subcommand_value_name().unwrap_or("subcommands");
        line.extend([roman(open), italic(name.to_lowercase()), roman(close)]);
    }
    roff::Roff::new().text(line).to_roff()
}

/// Every page: (file name, roff), `specops.1` first, then each subcommand, depth first, named
/// as `specops.1` refers to them (`specops-hook-install.1`).
pub(crate) fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        // clap names a command with a `'static` string; a few short names live as long as
        // this run does.
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        out.push((format!("{name}.1"), page(cmd.clone().name(leaked))?));
        // clap's own `help` subcommands too: the pages above refer to them.
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &format!("{name}-{}", sub.get_name()), out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    // Built, so that clap's `help` subcommands, which the pages refer to, are there to walk.
    let mut cmd = Cli::command();
    cmd.build();
    walk(&cmd, "specops", &mut out)?;
    Ok(out)
}

/// What `man --out-dir` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct ManReport {
    /// The folder, as given.
    pub dir: String,
    /// The pages written, by file name.
    pub files: Vec<String>,
}

/// Print the man page, or write every page into `--out-dir`.
pub(crate) fn run(global: &Output, args: &ManArgs) -> Result<Outcome> {
    match &args.out_dir {
        Some(dir) => {
            let mut files = Vec::new();
            for (name, page) in pages()? {
                crate::fsx::write_atomic(&dir.join(&name), &page)?;
                files.push(name);
            }
            report::emit(
                global,
                &ManReport {
                    dir: dir.display().to_string(),
                    files,
                },
            )?;
        }
        None if global.json => {
            return Err(Error::usage(
                "--json needs --out-dir: without it `man` prints the page itself, as roff",
                "run `specops man --out-dir DIR --json` for the list of pages written",
            )
            .into())
        }
        None => report::print_bytes(&render()?)?,
    }
    Ok(Outcome::Success)
}

impl Report for ManReport {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "Wrote {} man pages into {}: {}",
            self.files.len(),
            escaped(&self.dir),
            escaped(&self.files.join(" "))
        )
    }
}

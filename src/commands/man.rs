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
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// Every page: (file name, roff), `specops.1` first, then each subcommand, depth first, named
/// as `specops.1` refers to them (`specops-hook-install.1`).
pub(crate) fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        let mut page = Vec::new();
        // clap names a command with a `'static` string; a few short names live as long as
        // this run does.
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        clap_mangen::Man::new(cmd.clone().name(leaked)).render(&mut page)?;
        out.push((format!("{name}.1"), page));
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

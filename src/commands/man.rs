//! `specops man`: the man page, generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::error::Result;
use crate::exit::Outcome;
use crate::report::Output;

/// Render the man page as roff.
pub(crate) fn render() -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// Print the man page, or write `specops.1` into `--out-dir`.
pub(crate) fn run(global: &Output, args: &ManArgs) -> Result<Outcome> {
    let page = render()?;
    match &args.out_dir {
        Some(dir) => {
            let path = dir.join("specops.1");
            crate::fsx::write_atomic(&path, &page)?;
            if !global.quiet && !global.json {
                // A note on stderr: a failure to write it is no reason to fail the command.
                let shown = path.display().to_string();
                let note = format!("wrote {}\n", crate::report::escaped(&shown));
                let _ = std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes());
            }
        }
        None => {
            crate::report::print_bytes(&page)?;
        }
    }
    Ok(Outcome::Success)
}

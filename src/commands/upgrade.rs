//! `specops upgrade`: bring the files `init` manages to this version, keeping edited ones.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::UpgradeArgs;
use crate::error::Result;
use crate::exit::Outcome;
use crate::managed::{self, Upgrade, Upgraded};
use crate::report::{self, escaped, style, Output, Report};
use crate::workspace::Workspace;

/// What `upgrade` did or, with `--dry-run`, would do.
#[derive(Debug, Serialize)]
pub(crate) struct UpgradeReport {
    /// The version the files are brought to.
    pub version: &'static str,
    pub dry_run: bool,
    pub files: Vec<Upgraded>,
}

/// Run `specops upgrade`.
pub(crate) fn run(global: &Output, args: &UpgradeArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let files = managed::upgrade(&ws.root, &ws.config, args.force, args.dry_run)?;
    let report = UpgradeReport {
        version: env!("CARGO_PKG_VERSION"),
        dry_run: args.dry_run,
        files,
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

impl Report for UpgradeReport {
    /// A dry run's preview is what it is run for: `-q` keeps it.
    fn quiet_silences(&self) -> bool {
        !self.dry_run
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let (bold, ok, warn, dim) = (style::BOLD, style::OK, style::WARN, style::DIM);
        if self.dry_run {
            writeln!(
                out,
                "{bold}Dry run: upgrading to specops {} would change{bold:#} {dim}(nothing written){dim:#}",
                self.version
            )?;
        } else {
            writeln!(out, "{bold}Upgraded to specops {}{bold:#}", self.version)?;
        }
        for f in &self.files {
            let (label, st) = match (f.status, self.dry_run) {
                (Upgrade::Unchanged, _) => ("unchanged", dim),
                (Upgrade::Deleted, _) => ("deleted, left out", dim),
                (Upgrade::Created, false) => ("created", ok),
                (Upgrade::Created, true) => ("would create", ok),
                (Upgrade::Updated, false) => ("updated", ok),
                (Upgrade::Updated, true) => ("would update", ok),
                (Upgrade::Overwritten, false) => ("overwrote", warn),
                (Upgrade::Overwritten, true) => ("would overwrite", warn),
                (Upgrade::Edited, false) => ("edited, kept", warn),
                (Upgrade::Edited, true) => ("edited, would keep", warn),
                (Upgrade::Removed, false) => ("removed", ok),
                (Upgrade::Removed, true) => ("would remove", ok),
                (Upgrade::Unused, _) => ("unused, kept", warn),
            };
            write!(out, "  {st}{label:<18}{st:#} {}", escaped(&f.path))?;
            match &f.new_file {
                Some(new) if self.dry_run => {
                    writeln!(out, " (new version would go to {})", escaped(new))?
                }
                Some(new) => writeln!(out, " (new version in {})", escaped(new))?,
                None => writeln!(out)?,
            }
        }
        let advice = [
            (
                Upgrade::Edited,
                "you edited were kept: merge what you want from each .new file and delete it, or run `specops upgrade --force` to replace them.",
            ),
            (
                Upgrade::Unused,
                "you edited sit in a folder the assistant no longer reads (its command files moved): carry your changes over and delete them, or run `specops upgrade --force` to remove them.",
            ),
        ];
        for (status, text) in advice {
            let n = self.files.iter().filter(|f| f.status == status).count();
            if n > 0 {
                writeln!(out, "\n{n} file(s) {text}")?;
            }
        }
        Ok(())
    }
}

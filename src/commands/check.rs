//! `specops check [PATHS…]`: lint spec documents; exit 1 while errors remain.

use crate::cli::{CheckArgs, CheckFormat};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::inputs;
use crate::lint::engine::{self, Options};
use crate::lint::Levels;
use crate::report::Output;
use crate::workspace::Workspace;

/// Run `specops check`.
pub(crate) fn run(global: &Output, args: &CheckArgs) -> Result<Outcome> {
    let format = match (global.json, args.format) {
        (true, Some(f)) if f != CheckFormat::Json => {
            return Err(Error::usage(
                "--json cannot be combined with another --format",
                "use either --json or --format",
            )
            .into())
        }
        (true, _) => CheckFormat::Json,
        (false, f) => f.unwrap_or(CheckFormat::Human),
    };
    let ws = Workspace::current()?;
    let levels = Levels::resolve(&ws.config.rules, &args.rules)?;
    let cwd = std::env::current_dir().map_err(|e| {
        Error::environment(
            format!("cannot read the current directory: {e}"),
            "cd into an existing folder",
        )
    })?;
    let collected = if args.staged {
        inputs::collect_staged(&ws, &cwd, &args.paths)?
    } else {
        inputs::collect(&ws, &cwd, &args.paths)?
    };
    let inputs = collected.inputs;
    if inputs.is_empty() && args.paths.is_empty() && !args.staged {
        // A CI job run in the wrong folder must fail, not pass on nothing.
        if !ws.specs_dir().exists() && !ws.constitution().exists() {
            return Err(Error::input(
                format!(
                    "nothing to lint: no {}/ folder and no {} in {}",
                    ws.config.specs_dir,
                    ws.config.constitution,
                    ws.root.display()
                ),
                "run `specops check` in the repository that holds the specs (or pass -C DIR, or \
                 the files to lint); `specops init` sets a repository up",
            )
            .into());
        }
        crate::report::warn(
            global,
            &format!(
                "nothing to lint: no Markdown documents under {}/ in {}",
                ws.config.specs_dir,
                ws.root.display()
            ),
        );
    }
    let options = Options {
        levels,
        constitution: ws.display(&ws.constitution()),
        related: collected.related,
        repository: Some(inputs::repository(&ws, args.staged)?),
    };
    let report = engine::check(&inputs, &options);
    let quiet_and_clean = global.quiet && report.diagnostics.is_empty();
    if !(format == CheckFormat::Human && quiet_and_clean) {
        crate::output::print(format.into(), &report)?;
    }
    let failed = report.errors > 0 || (args.strict && report.warnings > 0);
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

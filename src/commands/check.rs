//! `specops check [PATHS…]`: lint spec documents; exit 1 while errors remain.

use crate::cli::{CheckArgs, CheckFormat};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::inputs;
use crate::lint::engine::{self, CheckReport, Options};
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
    let cwd = std::env::current_dir().map_err(|e| {
        Error::environment(
            format!("cannot read the current directory: {e}"),
            "cd into an existing folder",
        )
    })?;
    let report = if args.staged {
        // Each project of the repository lints its staged documents with its own config;
        // paths are shown from this workspace's root.
        let levels = Levels::resolve(&ws.config.rules, &args.rules)?;
        let collected = inputs::collect_staged(&ws, &cwd, &args.paths)?;
        let mut report = lint(&ws, collected, levels, true)?;
        for root in inputs::staged_projects(&ws)?.into_iter().skip(1) {
            let project = Workspace::at(&root, true)?;
            let levels = Levels::resolve(&project.config.rules, &args.rules)?;
            let collected = inputs::collect_staged(&project, &cwd, &args.paths)?;
            report.absorb(lint(&project, collected, levels, true)?, &ws.display(&root));
        }
        report
    } else {
        let levels = Levels::resolve(&ws.config.rules, &args.rules)?;
        let collected = inputs::collect(&ws, &cwd, &args.paths)?;
        nothing_to_lint(global, &ws, &collected, args)?;
        lint(&ws, collected, levels, false)?
    };
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

/// Lint what was collected in `ws` at rule `levels`, the repository read from the index when
/// `staged`.
fn lint(
    ws: &Workspace,
    collected: inputs::Collected,
    levels: Levels,
    staged: bool,
) -> Result<CheckReport> {
    let options = Options {
        levels,
        constitution: ws.display(&ws.constitution()),
        related: collected.related,
        repository: Some(inputs::repository(ws, staged)?),
    };
    Ok(engine::check(&collected.inputs, &options))
}

/// When a default `check` finds nothing to lint: an error where there is no specs folder and no
/// constitution (a CI job run in the wrong folder must fail, not pass on nothing), a warning
/// where the specs folder holds no documents yet.
fn nothing_to_lint(
    global: &Output,
    ws: &Workspace,
    collected: &inputs::Collected,
    args: &CheckArgs,
) -> Result<()> {
    if !(collected.inputs.is_empty() && args.paths.is_empty()) {
        return Ok(());
    }
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
    Ok(())
}

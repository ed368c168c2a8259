//! `specops hook install|uninstall`: the git pre-commit hook running `specops check --staged`.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::cli::HookCommand;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::hooks;
use crate::report::{self, escaped, Output, Report};

/// What happened to the hook file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum HookStatus {
    Created,
    Unchanged,
    Overwritten,
    Removed,
    Absent,
}

/// The report of `hook install` / `hook uninstall`.
#[derive(Debug, Serialize)]
pub(crate) struct HookReport {
    /// Path of the hook file (absolute).
    pub hook: String,
    pub status: HookStatus,
    /// Where a foreign hook replaced with `--force` was saved.
    pub backup: Option<String>,
}

/// Run `specops hook …`.
pub(crate) fn run(global: &Output, cmd: &HookCommand) -> Result<Outcome> {
    let cwd = std::env::current_dir()?;
    let repo = crate::git::discover(&cwd).ok_or_else(|| {
        Error::environment(
            "not inside a git repository",
            "run `git init` (or `specops init`) first, or use -C to point at the repository",
        )
    })?;
    let path = crate::git::hooks_dir(&repo).join("pre-commit");
    let report = match cmd {
        HookCommand::Install { force } => install(&path, *force)?,
        HookCommand::Uninstall => uninstall(&path)?,
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

fn install(path: &Path, force: bool) -> Result<HookReport> {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "specops".to_string());
    let script = hooks::pre_commit_script(&exe);
    let mut backup = None;
    let status = match std::fs::read(path) {
        Ok(existing) if existing == script.as_bytes() => HookStatus::Unchanged,
        Ok(existing) if hooks::is_ours(&String::from_utf8_lossy(&existing)) => {
            HookStatus::Overwritten
        }
        Ok(existing) => {
            if !force {
                return Err(Error::conflict(
                    format!("{} exists and was not written by specops", path.display()),
                    "add `specops check --staged` to it yourself, or run `specops hook install --force` (the old hook is kept as pre-commit.specops-backup)",
                )
                .into());
            }
            let b = path.with_file_name("pre-commit.specops-backup");
            crate::fsx::write_atomic(&b, &existing)?;
            backup = Some(b.display().to_string());
            HookStatus::Overwritten
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => HookStatus::Created,
        Err(e) => return Err(Error::io("read", path, &e).into()),
    };
    if status != HookStatus::Unchanged {
        crate::fsx::write_atomic(path, script.as_bytes())?;
        make_executable(path)?;
    }
    Ok(HookReport {
        hook: path.display().to_string(),
        status,
        backup,
    })
}

fn uninstall(path: &Path) -> Result<HookReport> {
    let status = match std::fs::read(path) {
        Ok(existing) if hooks::is_ours(&String::from_utf8_lossy(&existing)) => {
            std::fs::remove_file(path).map_err(|e| Error::io("remove", path, &e))?;
            HookStatus::Removed
        }
        Ok(_) => {
            return Err(Error::conflict(
                format!(
                    "{} was not written by specops; leaving it alone",
                    path.display()
                ),
                "edit or remove that hook yourself",
            )
            .into())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => HookStatus::Absent,
        Err(e) => return Err(Error::io("read", path, &e).into()),
    };
    Ok(HookReport {
        hook: path.display().to_string(),
        status,
        backup: None,
    })
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io("make executable", path, &e))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

impl Report for HookReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let what = match self.status {
            HookStatus::Created => "installed the pre-commit hook",
            HookStatus::Unchanged => "the pre-commit hook is already installed and up to date",
            HookStatus::Overwritten => "updated the pre-commit hook",
            HookStatus::Removed => "removed the pre-commit hook",
            HookStatus::Absent => "no specops pre-commit hook is installed; nothing to remove",
        };
        writeln!(out, "{what}: {}", escaped(&self.hook))?;
        if let Some(b) = &self.backup {
            writeln!(out, "the previous hook was saved as {}", escaped(b))?;
        }
        if matches!(self.status, HookStatus::Created | HookStatus::Overwritten) {
            writeln!(out, "every commit now runs `specops check --staged`; skip it once with `git commit --no-verify`")?;
        }
        Ok(())
    }
}

//! `specops hook install|uninstall [--pre-push]`: the git pre-commit hook running
//! `specops check --staged`, or the pre-push hook running `specops check`.

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
    /// `pre-commit` or `pre-push`.
    pub stage: &'static str,
}

/// Run `specops hook …`.
pub(crate) fn run(global: &Output, cmd: &HookCommand) -> Result<Outcome> {
    let cwd = std::env::current_dir()?;
    let repo = crate::git::discover(&cwd)?.ok_or_else(|| {
        Error::environment(
            "not inside a git repository",
            "run `git init` (or `specops init`) first, or use -C to point at the repository",
        )
    })?;
    let stage = match cmd {
        HookCommand::Install { pre_push, .. } | HookCommand::Uninstall { pre_push } => {
            if *pre_push {
                hooks::Stage::PrePush
            } else {
                hooks::Stage::PreCommit
            }
        }
    };
    let path = crate::git::hooks_dir(&repo).join(stage.name());
    let report = match cmd {
        HookCommand::Install { force, .. } => install(&path, stage, *force)?,
        HookCommand::Uninstall { .. } => uninstall(&path, stage)?,
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

fn install(path: &Path, stage: hooks::Stage, force: bool) -> Result<HookReport> {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "specops".to_string());
    let script = hooks::script(stage, &exe);
    let mut backup = None;
    let status = match read_hook(path)? {
        Some(existing) if existing == script.as_bytes() => HookStatus::Unchanged,
        Some(existing) if hooks::is_ours(&String::from_utf8_lossy(&existing)) => {
            HookStatus::Overwritten
        }
        Some(existing) => {
            if !force {
                return Err(Error::conflict(
                    format!("{} exists and was not written by specops", path.display()),
                    format!(
                        "add `specops {}` to it yourself, or run `specops hook install{} --force` (the old hook is kept beside it as {}, numbered when that exists)",
                        if stage == hooks::Stage::PreCommit { "check --staged" } else { "check" },
                        if stage == hooks::Stage::PrePush { " --pre-push" } else { "" },
                        backup_name(path, 0)
                    ),
                )
                .into());
            }
            backup = Some(save_backup(path, &existing)?.display().to_string());
            HookStatus::Overwritten
        }
        None => HookStatus::Created,
    };
    if status != HookStatus::Unchanged {
        crate::fsx::write_atomic(path, script.as_bytes())?;
        make_executable(path)?;
    }
    Ok(HookReport {
        hook: path.display().to_string(),
        status,
        backup,
        stage: stage.name(),
    })
}

/// The hook file's bytes, `None` when there is none. Like every file specops replaces, it must
/// be a regular file: a named pipe there is an error, never a hang.
fn read_hook(path: &Path) -> Result<Option<Vec<u8>>> {
    use crate::fsx::ReadProblem;
    let shown = path.display().to_string();
    match crate::fsx::read_regular(path, crate::fsx::MAX_FILE_BYTES) {
        Ok(bytes) => Ok(bytes),
        Err(ReadProblem::NotRegular) => Err(crate::fsx::not_regular(&shown).into()),
        Err(ReadProblem::TooLarge(len)) => Err(Error::input(
            format!(
                "{shown} is too large for a hook ({} MiB)",
                len / (1024 * 1024)
            ),
            "check that this is the right file, and move it aside",
        )
        .into()),
        Err(ReadProblem::Io(e)) => Err(Error::io("read", path, &e).into()),
    }
}

/// `pre-commit.specops-backup`, then `pre-commit.specops-backup.1`, `.2`…
fn backup_name(hook: &Path, n: u32) -> String {
    let name = hook
        .file_name()
        .map_or_else(|| "pre-commit".into(), |n| n.to_string_lossy());
    match n {
        0 => format!("{name}.specops-backup"),
        n => format!("{name}.specops-backup.{n}"),
    }
}

/// Keep a foreign hook beside the hook file under the first backup name not taken: a backup is
/// never overwritten, so every hook `--force` ever replaced is kept.
fn save_backup(hook: &Path, contents: &[u8]) -> Result<std::path::PathBuf> {
    for n in 0..1000 {
        let path = hook.with_file_name(backup_name(hook, n));
        match crate::fsx::create_new_atomic(&path, contents) {
            Ok(()) => return Ok(path),
            Err(e)
                if e.downcast_ref::<Error>()
                    .is_some_and(|e| e.kind == crate::error::ErrorKind::Conflict) => {}
            Err(e) => return Err(e),
        }
    }
    Err(Error::conflict(
        format!("1000 backups of {} exist already", hook.display()),
        "remove the old backups you no longer need, then run again",
    )
    .into())
}

fn uninstall(path: &Path, stage: hooks::Stage) -> Result<HookReport> {
    let status = match read_hook(path)? {
        Some(existing) if hooks::is_ours(&String::from_utf8_lossy(&existing)) => {
            std::fs::remove_file(path).map_err(|e| Error::io("remove", path, &e))?;
            HookStatus::Removed
        }
        Some(_) => {
            return Err(Error::conflict(
                format!(
                    "{} was not written by specops; leaving it alone",
                    path.display()
                ),
                "edit or remove that hook yourself",
            )
            .into())
        }
        None => HookStatus::Absent,
    };
    Ok(HookReport {
        hook: path.display().to_string(),
        status,
        backup: None,
        stage: stage.name(),
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
        let stage = self.stage;
        let what = match self.status {
            HookStatus::Created => format!("installed the {stage} hook"),
            HookStatus::Unchanged => {
                format!("the {stage} hook is already installed and up to date")
            }
            HookStatus::Overwritten => format!("updated the {stage} hook"),
            HookStatus::Removed => format!("removed the {stage} hook"),
            HookStatus::Absent => {
                format!("no specops {stage} hook is installed; nothing to remove")
            }
        };
        writeln!(out, "{what}: {}", escaped(&self.hook))?;
        if let Some(b) = &self.backup {
            writeln!(out, "the previous hook was saved as {}", escaped(b))?;
        }
        if matches!(self.status, HookStatus::Created | HookStatus::Overwritten) {
            if self.stage == "pre-push" {
                writeln!(
                    out,
                    "every push now runs `specops check`; skip it once with `git push --no-verify`"
                )?;
            } else {
                writeln!(out, "every commit now runs `specops check --staged`; skip it once with `git commit --no-verify`")?;
            }
        }
        Ok(())
    }
}

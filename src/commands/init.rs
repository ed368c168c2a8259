//! `specops init [DIR]`: constitution, config, specs/, templates and slash commands.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::agents::{self, Agent};
use crate::cli::InitArgs;
use crate::config::{self, CONFIG_PATH};
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::fsx::{self, FileStatus, OnDiffer, PlannedFile};
use crate::managed::{self, Manifest};
use crate::report::{self, escaped, style, Output, Report};
use crate::templates::Templates;

/// What `init` did.
#[derive(Debug, Serialize)]
pub(crate) struct InitReport {
    /// Absolute path of the repository root.
    pub root: String,
    /// Whether `git init` ran.
    pub git_initialized: bool,
    /// The assistants whose commands were installed.
    pub agents: Vec<String>,
    /// Every managed file, relative to the root, with what happened to it.
    pub files: Vec<FileEntry>,
    /// True when nothing was written.
    pub unchanged: bool,
    /// What the user should know (on stderr).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One managed file.
#[derive(Debug, Serialize)]
pub(crate) struct FileEntry {
    pub path: String,
    pub status: FileStatus,
}

/// Run `specops init`.
pub(crate) fn run(global: &Output, args: &InitArgs) -> Result<Outcome> {
    let report = init(args)?;
    for w in &report.warnings {
        report::warn(global, w);
    }
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

/// Set up the repository at `args.dir` and say what was done.
pub(crate) fn init(args: &InitArgs) -> Result<InitReport> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::usage(
            format!("{} exists and is not a folder", dir.display()),
            "give a folder to set up",
        )
        .into());
    }
    let new_folder = !dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, &e))?;
    let root = dir
        .canonicalize()
        .map_err(|e| Error::io("open folder", dir, &e))?;
    if crate::git::discover(&root)?.is_some_and(|repo| repo.is_bare()) {
        return Err(Error::environment(
            format!(
                "{} is inside a bare git repository: it has no work tree for specs",
                root.display()
            ),
            "run specops init in a clone or a worktree of it",
        )
        .into());
    }

    let existing = config::load(&root)?;
    let agent_keys: Vec<String> = if args.ai.is_empty() {
        existing.agents.clone()
    } else {
        args.ai
            .iter()
            .map(|a| a.trim().to_ascii_lowercase())
            .collect()
    };
    let chosen = resolve_agents(&agent_keys, args.ai_dir.as_deref())?;
    // The config lists every assistant set up so far, so that `init` without --ai (after an
    // upgrade) refreshes them all.
    let mut recorded = existing.agents.clone();
    for (agent, _) in &chosen {
        if !recorded.iter().any(|k| k == agent.key) {
            recorded.push(agent.key.to_string());
        }
    }
    let mut warnings = Vec::new();
    let config_file = config_file(&root, &existing, &recorded, args.force, &mut warnings);

    let specs = root.join(&existing.specs_dir);
    fsx::ensure_inside(&root, &specs, &existing.specs_dir)?;
    let templates = Templates::for_root(&root);
    // A spec-kit project keeps its constitution under .specify/: read it there, write none.
    let spec_kit = !root.join(&existing.constitution).exists()
        && existing.constitution == config::Config::default().constitution
        && root.join(crate::layout::SPEC_KIT_CONSTITUTION).is_file();
    let constitution = (!spec_kit).then_some(existing.constitution.as_str());
    let mut files = managed::planned_files(
        &root,
        constitution,
        &chosen,
        &recorded,
        args.templates,
        &templates,
    )?;
    // The user's config with new assistants recorded, in place of the default text. It stays
    // the user's: the manifest does not take it for specops' own, so `upgrade` never replaces it.
    let users_config =
        (config_file.on_differ == OnDiffer::Replace).then(|| config_file.path.clone());
    if let Some(f) = files.iter_mut().find(|f| f.path == config_file.path) {
        *f = config_file;
    }

    let decisions = fsx::decide(&files, args.force, &root)?;
    let enclosing = crate::git::work_tree_root(&root)?;
    let git_initialized = if args.git {
        enclosing.as_deref() != Some(root.as_path())
    } else {
        !args.no_git && enclosing.is_none()
    };
    if git_initialized {
        crate::git::init(&root)?;
    } else if let Some(other) = enclosing.filter(|o| new_folder && *o != root) {
        // Nothing wrong in a monorepo, but a surprise when a demo lands in some other clone.
        warnings.push(format!(
            "{} is a new folder inside the git repository {}: `specify` will cut its feature \
             branches in that repository. To give it a repository of its own, run `specops init \
             --git {}`",
            dir.display(),
            other.display(),
            dir.display()
        ));
    }
    std::fs::create_dir_all(&specs).map_err(|e| Error::io("create folder", &specs, &e))?;
    fsx::apply(&files, &decisions)?;
    record(
        &root,
        constitution,
        users_config.as_deref(),
        &files,
        &decisions,
    )?;

    let files: Vec<FileEntry> = decisions
        .iter()
        .map(|d| FileEntry {
            path: fsx::display(&d.path, &root),
            status: d.status,
        })
        .collect();
    let unchanged = !git_initialized
        && files
            .iter()
            .all(|f| matches!(f.status, FileStatus::Unchanged | FileStatus::Kept));
    Ok(InitReport {
        root: root.display().to_string(),
        git_initialized,
        agents: chosen.iter().map(|(a, _)| a.key.to_string()).collect(),
        files,
        unchanged,
        warnings,
    })
}

/// The config file to write: a new one with the defaults (or, with --force, in place of the
/// user's), or the user's own with newly set-up assistants added to `agents:` and every other
/// byte kept ([`config::with_agents`]).
fn config_file(
    root: &Path,
    existing: &config::Config,
    recorded: &[String],
    force: bool,
    warnings: &mut Vec<String>,
) -> PlannedFile {
    let path = root.join(CONFIG_PATH);
    let default = PlannedFile {
        path: path.clone(),
        contents: config::default_text(recorded).into_bytes(),
        on_differ: OnDiffer::KeepUnlessForced,
    };
    if force || recorded == existing.agents.as_slice() {
        return default;
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return default;
    };
    match config::with_agents(&text, recorded) {
        Some(edited) => PlannedFile {
            path,
            contents: edited.into_bytes(),
            on_differ: OnDiffer::Replace,
        },
        None => {
            warnings.push(format!(
                "{CONFIG_PATH} lists its agents in a form specops does not edit: add {} to `agents:` \
                 yourself, so that `specops init` without --ai refreshes them",
                recorded[existing.agents.len()..].join(", ")
            ));
            default
        }
    }
}

/// Record in the manifest what this run wrote or found already written; a file kept with
/// other content (the user's) keeps the entry it had. Never the constitution.
fn record(
    root: &Path,
    constitution: Option<&str>,
    users: Option<&Path>,
    files: &[PlannedFile],
    decisions: &[fsx::Decision],
) -> Result<()> {
    let mut manifest = Manifest::load(root)?.unwrap_or_default();
    let constitution = constitution.map(|c| root.join(c));
    for (f, d) in files.iter().zip(decisions) {
        if Some(&f.path) == constitution.as_ref()
            || Some(f.path.as_path()) == users
            || d.status == FileStatus::Kept
        {
            continue;
        }
        manifest.record(fsx::display(&f.path, root), &f.contents);
    }
    manifest.save(root)
}

/// Look up every requested assistant; `generic` needs `--ai-dir`.
fn resolve_agents(
    keys: &[String],
    ai_dir: Option<&Path>,
) -> Result<Vec<(&'static Agent, PathBuf)>> {
    let mut chosen: Vec<(&'static Agent, PathBuf)> = Vec::new();
    for key in keys {
        let Some(agent) = agents::find(key) else {
            let known: Vec<&str> = agents::AGENTS.iter().map(|a| a.key).collect();
            return Err(Error::usage(
                format!("unknown AI assistant `{key}`"),
                format!(
                    "{}use one of: {}",
                    crate::suggest::did_you_mean(key, known.iter().copied()),
                    known.join(", ")
                ),
            )
            .into());
        };
        let dir = if agent.dir.is_empty() {
            let Some(d) = ai_dir else {
                return Err(Error::usage(
                    format!("`--ai {}` needs --ai-dir DIR", agent.key),
                    "name the folder where your assistant reads its command files, e.g. --ai-dir .assistant/commands",
                )
                .into());
            };
            if !is_inside(d) {
                return Err(Error::usage(
                    format!(
                        "--ai-dir {} must be a relative path inside the repository",
                        d.display()
                    ),
                    "use a path such as .assistant/commands",
                )
                .into());
            }
            d.to_path_buf()
        } else {
            PathBuf::from(agent.dir)
        };
        if !chosen.iter().any(|(a, _)| a.key == agent.key) {
            chosen.push((agent, dir));
        }
    }
    if ai_dir.is_some() && !chosen.iter().any(|(a, _)| a.dir.is_empty()) {
        return Err(Error::usage(
            "--ai-dir is only used with --ai generic",
            "add --ai generic, or drop --ai-dir",
        )
        .into());
    }
    Ok(chosen)
}

fn is_inside(p: &Path) -> bool {
    !p.as_os_str().is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl Report for InitReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.unchanged {
            let kept: Vec<&str> = self
                .files
                .iter()
                .filter(|f| f.status == FileStatus::Kept)
                .map(|f| f.path.as_str())
                .collect();
            write!(
                out,
                "specops is already set up in {}: nothing written ({} files unchanged",
                escaped(&self.root),
                self.files.len() - kept.len()
            )?;
            if !kept.is_empty() {
                write!(out, "; kept as they are: {}", escaped(&kept.join(", ")))?;
            }
            writeln!(out, ").")?;
            return Ok(());
        }
        let git = if self.git_initialized {
            " (new git repository)"
        } else {
            ""
        };
        writeln!(
            out,
            "{}Set up specops in {}{git}{}",
            style::BOLD.render(),
            escaped(&self.root),
            style::BOLD.render_reset()
        )?;
        for f in &self.files {
            let (label, st) = report::file_status(f.status);
            writeln!(
                out,
                "  {}{label:<9}{} {}",
                st.render(),
                st.render_reset(),
                escaped(&f.path)
            )?;
        }
        if self.agents.is_empty() {
            writeln!(
                out,
                "\nNo AI assistant chosen; add one with `specops init --ai claude` (see --help)."
            )?;
        } else {
            writeln!(
                out,
                "\nSlash commands installed for: {}",
                self.agents.join(", ")
            )?;
        }
        writeln!(
            out,
            "Next: specops specify \"<what the infrastructure must do, and why>\""
        )?;
        Ok(())
    }
}

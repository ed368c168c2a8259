//! The files `init` manages: what they contain in this version of specops, the manifest of what
//! was last written (`.specops/manifest.json`), and what `upgrade` does with each of them.
//!
//! The manifest keeps, per file, a hash of the bytes specops wrote. A file whose bytes still
//! have that hash is specops' own and is replaced by a new version; any other is the user's,
//! and the new version is written beside it as `<file>.new`. The constitution is never managed:
//! it is the project's own from the first day.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::agents::{self, Agent};
use crate::config::{self, CONFIG_PATH};
use crate::error::{Error, ErrorKind, Result};
use crate::fsx::{OnDiffer, PlannedFile};
use crate::templates::{self, Templates, OVERRIDE_DIR};

/// Where the manifest lives, relative to the project root.
pub(crate) const MANIFEST_PATH: &str = ".specops/manifest.json";

/// The constitution shipped with specops.
pub const CONSTITUTION: &str = include_str!("../memory/constitution.md");

/// What init wrote, by root-relative path (with `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    /// The version of specops that last wrote the files.
    pub specops: String,
    /// Path → `fnv1a64:<16 hex digits>` of the bytes written.
    pub files: BTreeMap<String, String>,
}

/// The hash the manifest records for `bytes`. FNV-1a detects edits; it is no security measure
/// (see [`crate::docs::fingerprint`]).
pub(crate) fn hash(bytes: &[u8]) -> String {
    format!("fnv1a64:{:016x}", crate::docs::fingerprint::fnv1a64(bytes))
}

impl Manifest {
    /// The manifest of the project at `root`; `None` when it has none (set up by an older
    /// specops, or by hand).
    pub(crate) fn load(root: &Path) -> Result<Option<Self>> {
        let path = root.join(MANIFEST_PATH);
        let bytes = match crate::fsx::read_regular(&path, 16 * 1024 * 1024) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            Err(problem) => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("cannot read {MANIFEST_PATH}: {problem}"),
                    "make it a regular file, or delete it (upgrade then treats every file that differs as edited)",
                )
                .into())
            }
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("{MANIFEST_PATH} is not a specops manifest: {e}"),
                "delete it (upgrade then treats every file that differs as edited), or restore it from git",
            )
            .into()
        })
    }

    /// Write it atomically, when it differs from what `root` holds.
    pub(crate) fn save(&self, root: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| {
            Error::environment(
                format!("cannot write {MANIFEST_PATH}: {e}"),
                "report this as a bug",
            )
        })?;
        text.push('\n');
        let path = root.join(MANIFEST_PATH);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(());
        }
        crate::fsx::write_atomic(&path, text.as_bytes())
    }

    /// Record that `bytes` were written to `path`.
    pub(crate) fn record(&mut self, path: String, bytes: &[u8]) {
        self.specops = env!("CARGO_PKG_VERSION").to_string();
        self.files.insert(path, hash(bytes));
    }
}

/// What `upgrade` does with one managed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Upgrade {
    /// It already has this version's content.
    Unchanged,
    /// It was missing (new in this version) and is written.
    Created,
    /// The user deleted it after specops wrote it: it stays deleted (`--force` writes it).
    Deleted,
    /// It is as specops wrote it, and is replaced by this version.
    Updated,
    /// The user edited it; `--force` replaces it all the same.
    Overwritten,
    /// The user edited it: it stays, and this version is written beside it as `<file>.new`.
    Edited,
    /// Written by an earlier version into a folder no assistant reads any more, and not
    /// edited (or `--force`): removed.
    Removed,
    /// Like `Removed`, but edited: it stays (`--force` removes it).
    Unused,
}

/// What to do with a managed file holding `current` (`None`: missing), whose new content is
/// `new`, and whose manifest entry is `recorded`.
pub(crate) fn decide(
    current: Option<&[u8]>,
    new: &[u8],
    recorded: Option<&str>,
    force: bool,
) -> Upgrade {
    match current {
        None if recorded.is_some() && !force => Upgrade::Deleted,
        None => Upgrade::Created,
        Some(c) if c == new => Upgrade::Unchanged,
        Some(c) if recorded == Some(hash(c).as_str()) => Upgrade::Updated,
        Some(_) if force => Upgrade::Overwritten,
        Some(_) => Upgrade::Edited,
    }
}

/// One managed file after an upgrade (or, in a dry run, before it).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Upgraded {
    /// Root-relative, with `/`.
    pub path: String,
    pub status: Upgrade,
    /// Where this version was written beside an edited file (`<path>.new`).
    pub new_file: Option<String>,
}

/// Bring the managed files of the project at `root` to this version: write the missing ones,
/// replace those specops wrote and nobody edited, and write `<file>.new` beside edited ones
/// (`force`: replace those too). Every write is atomic; with `dry_run` nothing is written.
/// The manifest then records what each file holds from specops.
pub(crate) fn upgrade(
    root: &Path,
    config: &config::Config,
    force: bool,
    dry_run: bool,
) -> Result<Vec<Upgraded>> {
    let manifest = Manifest::load(root)?;
    if manifest.is_none() && !root.join(CONFIG_PATH).is_file() {
        return Err(Error::usage(
            format!("nothing to upgrade in {}: specops was never set up here (no {MANIFEST_PATH}, no {CONFIG_PATH})", root.display()),
            "run `specops init` to set the project up",
        )
        .into());
    }
    let recorded = manifest.clone().unwrap_or_default();
    // The assistants of the config, in the folders the table gives them. A `generic`
    // assistant's folder was given to init with --ai-dir and is not known here.
    let chosen: Vec<(&'static Agent, PathBuf)> = config
        .agents
        .iter()
        .filter_map(|key| agents::find(key))
        .filter(|a| !a.dir.is_empty())
        .map(|a| (a, PathBuf::from(a.dir)))
        .collect();
    let with_templates = recorded
        .files
        .keys()
        .any(|p| p.starts_with(&format!("{OVERRIDE_DIR}/")));
    // Rendered as init renders them: with the project's template overrides.
    let files = planned_files(
        root,
        None,
        &chosen,
        &config.agents,
        with_templates,
        &Templates::for_root(root),
    )?;
    // Every file is read and checked before the first write, so a refusal (a FIFO, a path
    // outside the root) leaves the project as it was, not half upgraded.
    let mut next = recorded.clone();
    let mut out = Vec::with_capacity(files.len());
    let mut changes = Vec::new();
    for f in &files {
        let shown = crate::fsx::display(&f.path, root);
        crate::fsx::ensure_inside(root, &f.path, &shown)?;
        let current = read_managed(&f.path, &shown)?;
        let status = decide(
            current.as_deref(),
            &f.contents,
            recorded.files.get(&shown).map(String::as_str),
            force,
        );
        let new_file = (status == Upgrade::Edited).then(|| format!("{shown}.new"));
        match status {
            Upgrade::Created => changes.push(Change::Create(&f.path, &f.contents)),
            Upgrade::Updated | Upgrade::Overwritten => {
                changes.push(Change::Replace(f.path.clone(), &f.contents))
            }
            Upgrade::Edited => {
                let beside_shown = format!("{shown}.new");
                let beside = root.join(&beside_shown);
                crate::fsx::ensure_inside(root, &beside, &beside_shown)?;
                changes.push(Change::Replace(beside, &f.contents));
            }
            Upgrade::Unchanged | Upgrade::Deleted | Upgrade::Removed | Upgrade::Unused => {}
        }
        if !matches!(status, Upgrade::Edited | Upgrade::Deleted) {
            next.record(shown.clone(), &f.contents);
        }
        out.push(Upgraded {
            path: shown,
            status,
            new_file,
        });
    }
    for (shown, recorded_hash) in &recorded.files {
        let retired = shown
            .rsplit_once('/')
            .is_some_and(|(dir, _)| agents::RETIRED_DIRS.contains(&dir));
        if !retired {
            continue;
        }
        let path = root.join(shown);
        crate::fsx::ensure_inside(root, &path, shown)?;
        let status = match read_managed(&path, shown)? {
            None => {
                next.files.remove(shown);
                continue;
            }
            Some(c) if force || hash(&c) == *recorded_hash => Upgrade::Removed,
            // Still recorded, so the next upgrade reports it again and `--force` removes it.
            Some(_) => Upgrade::Unused,
        };
        if status == Upgrade::Removed {
            next.files.remove(shown);
            changes.push(Change::Remove(path));
        }
        out.push(Upgraded {
            path: shown.clone(),
            status,
            new_file: None,
        });
    }
    if dry_run {
        return Ok(out);
    }
    for change in changes {
        change.apply()?;
    }
    if manifest.is_some() || !out.is_empty() {
        next.save(root)?;
    }
    Ok(out)
}

/// One write `upgrade` decided on, made once every file has been checked.
enum Change<'a> {
    /// A file that is missing: created, never over one that appeared since.
    Create(&'a Path, &'a [u8]),
    /// A file (or a `<file>.new` beside one) replaced atomically.
    Replace(PathBuf, &'a [u8]),
    /// A file of a retired folder, removed with the folder and its parent once they are empty.
    Remove(PathBuf),
}

impl Change<'_> {
    fn apply(self) -> Result<()> {
        match self {
            Change::Create(path, bytes) => crate::fsx::create_new_atomic(path, bytes),
            Change::Replace(path, bytes) => crate::fsx::write_atomic(&path, bytes),
            Change::Remove(path) => {
                std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, &e))?;
                // The retired folder and its parent go too once empty; a folder holding
                // anything else (rules, the user's own files) stays.
                for dir in path.ancestors().skip(1).take(2) {
                    if std::fs::remove_dir(dir).is_err() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The bytes of the managed file at `path` (`None`: missing); exit 2 when it is not a regular
/// file or cannot be read.
fn read_managed(path: &Path, shown: &str) -> Result<Option<Vec<u8>>> {
    match crate::fsx::read_regular(path, crate::fsx::MAX_FILE_BYTES) {
        Ok(current) => Ok(current),
        Err(crate::fsx::ReadProblem::NotRegular) => Err(crate::fsx::not_regular(shown).into()),
        Err(problem) => Err(Error::input(
            format!("cannot read {shown}: {problem}"),
            "make it a regular file you can read, or remove it",
        )
        .into()),
    }
}

/// Context of the slash-command prompt bodies.
#[derive(Serialize)]
struct PromptContext<'a> {
    args: &'a str,
    command: &'a str,
}

/// The files init manages in the project at `root`, with this version's content. The
/// constitution goes where the config's `constitution:` says (`None`: the project has one of
/// its own elsewhere); the embedded templates only when `with_templates`.
pub(crate) fn planned_files(
    root: &Path,
    constitution: Option<&str>,
    chosen: &[(&'static Agent, PathBuf)],
    agent_keys: &[String],
    with_templates: bool,
    templates: &Templates,
) -> Result<Vec<PlannedFile>> {
    let mut files: Vec<PlannedFile> = constitution
        .map(|c| PlannedFile {
            path: root.join(c),
            contents: CONSTITUTION.as_bytes().to_vec(),
            on_differ: OnDiffer::Keep,
        })
        .into_iter()
        .collect();
    files.push(PlannedFile {
        path: root.join(CONFIG_PATH),
        contents: config::default_text(agent_keys).into_bytes(),
        on_differ: OnDiffer::KeepUnlessForced,
    });
    files.push(PlannedFile {
        path: root.join(config::SCHEMA_PATH),
        contents: config::schema_text().into_bytes(),
        on_differ: OnDiffer::Replace,
    });
    if with_templates {
        for (name, source) in templates::EMBEDDED {
            files.push(PlannedFile {
                path: root.join(OVERRIDE_DIR).join(name),
                contents: source.as_bytes().to_vec(),
                on_differ: OnDiffer::Conflict,
            });
        }
    }
    for (agent, dir) in chosen {
        for command in agents::COMMANDS {
            let ctx = PromptContext {
                args: agent.args,
                command: command.name,
            };
            let body = templates.render(&format!("commands/{}.md.j2", command.name), &ctx)?;
            files.push(PlannedFile {
                path: root.join(dir).join(agents::file_name(agent, command)),
                contents: agents::wrap(agent, command, &body)?.into_bytes(),
                on_differ: OnDiffer::Conflict,
            });
        }
    }
    // Some assistants share a folder (Codex and Zed both read .agents/skills): one write each.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_decisions() {
        let old = b"old text".as_slice();
        let new = b"new text".as_slice();
        let recorded = hash(old);
        for (current, recorded, force, expected) in [
            (None, None, false, Upgrade::Created),
            (None, Some(recorded.as_str()), false, Upgrade::Deleted),
            (None, Some(recorded.as_str()), true, Upgrade::Created),
            (Some(new), None, false, Upgrade::Unchanged),
            (Some(old), Some(recorded.as_str()), false, Upgrade::Updated),
            (
                Some(b"edited".as_slice()),
                Some(recorded.as_str()),
                false,
                Upgrade::Edited,
            ),
            (
                Some(b"edited".as_slice()),
                Some(recorded.as_str()),
                true,
                Upgrade::Overwritten,
            ),
            // No manifest entry: a file that differs may be the user's.
            (Some(old), None, false, Upgrade::Edited),
        ] {
            assert_eq!(decide(current, new, recorded, force), expected);
        }
        assert_eq!(hash(b""), "fnv1a64:cbf29ce484222325");
    }

    #[test]
    fn manifests_round_trip_and_bad_ones_are_errors() {
        let t = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::load(t.path()).unwrap(), None);
        let mut m = Manifest::default();
        m.record("a.md".into(), b"x");
        m.save(t.path()).unwrap();
        assert_eq!(Manifest::load(t.path()).unwrap(), Some(m));
        std::fs::write(t.path().join(MANIFEST_PATH), "{").unwrap();
        let e = Manifest::load(t.path()).unwrap_err().to_string();
        assert!(e.contains("is not a specops manifest"), "{e}");
    }
}

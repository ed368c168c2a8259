//! A feature: its number, short name, branch and folder, as documents and JSON name it, and
//! which feature a command works on (`--feature`, `SPECOPS_FEATURE`, the current branch).

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::workspace::Workspace;

/// The environment variable that selects a feature when `--feature` is not given.
pub(crate) const ENV: &str = "SPECOPS_FEATURE";

/// One feature, as passed to templates (`feature.number`, `feature.branch`, …) and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FeatureRef {
    /// The zero-padded number, e.g. `003` (wider past 999).
    pub number: String,
    /// The short name, e.g. `multi-tenant-kubernetes`.
    pub short_name: String,
    /// The branch name, `NNN-short-name`.
    pub branch: String,
    /// The folder relative to the repository root, with `/`, e.g. `specs/003-multi-tenant-kubernetes`.
    pub dir: String,
}

impl FeatureRef {
    /// The feature of folder `name` (`NNN-short-name`) under `specs_dir` (relative, with `/`).
    pub(crate) fn from_dir_name(name: &str, specs_dir: &str) -> Option<Self> {
        let n = feature_number(name)?;
        let short = &name[name.find('-')? + 1..];
        Some(Self::new(n, short, specs_dir))
    }

    /// The feature numbered `n` with `short_name`, under `specs_dir`.
    pub(crate) fn new(n: u32, short_name: &str, specs_dir: &str) -> Self {
        let number = format_number(n);
        let branch = format!("{number}-{short_name}");
        let dir = format!("{}/{branch}", specs_dir.trim_end_matches('/'));
        Self {
            number,
            short_name: short_name.to_string(),
            branch,
            dir,
        }
    }
}

/// `n` zero-padded to three digits; wider numbers keep all their digits (`1000`).
pub(crate) fn format_number(n: u32) -> String {
    format!("{n:03}")
}

/// The number of a feature folder or branch name `NNN-…` (at least three digits, then `-`).
pub(crate) fn feature_number(name: &str) -> Option<u32> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 3 || name.as_bytes().get(digits) != Some(&b'-') {
        return None;
    }
    name[..digits].parse().ok()
}

/// Where the choice of feature came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    /// `--feature VALUE`.
    Flag(String),
    /// `SPECOPS_FEATURE=VALUE`.
    Env(String),
    /// The current git branch.
    Branch(String),
}

impl Selector {
    fn describe(&self) -> String {
        match self {
            Selector::Flag(v) => format!("--feature {v}"),
            Selector::Env(v) => format!("{ENV}={v}"),
            Selector::Branch(b) => format!("the current branch `{b}`"),
        }
    }
}

/// Pick the feature folder among `folders` (names of `specs/NNN-*` folders).
///
/// `--feature` wins, then `SPECOPS_FEATURE`, then the current branch's `NNN-` prefix. A value
/// is a number (`3`, `003`) matched against folder numbers, or a folder name (optionally with
/// the specs folder in front). Pure: the caller reads the folders, the variable and the branch.
pub(crate) fn choose(
    folders: &[String],
    flag: Option<&str>,
    env: Option<&str>,
    branch: Option<&str>,
    specs_dir: &str,
) -> std::result::Result<String, Error> {
    fn nonempty(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let selector = if let Some(v) = nonempty(flag) {
        Selector::Flag(v.to_string())
    } else if let Some(v) = nonempty(env) {
        Selector::Env(v.to_string())
    } else if let Some(b) = branch {
        Selector::Branch(b.to_string())
    } else {
        return Err(nothing_selected(
            "no feature selected (no --feature, no SPECOPS_FEATURE, and no git branch)",
            folders,
        ));
    };
    let matches: Vec<&String> = match &selector {
        Selector::Flag(v) | Selector::Env(v) => by_value(folders, v, specs_dir),
        Selector::Branch(b) => match feature_number(b) {
            Some(n) => folders.iter().filter(|f| feature_number(f) == Some(n)).collect(),
            None => {
                return Err(nothing_selected(
                    &format!("no feature selected: the current branch `{b}` does not start with a feature number (NNN-)"),
                    folders,
                ))
            }
        },
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::new(
            ErrorKind::Feature,
            format!(
                "no feature folder under {specs_dir}/ matches {}; {}",
                selector.describe(),
                listing(folders)
            ),
            hint_for(folders),
        )),
        several => Err(Error::new(
            ErrorKind::Feature,
            format!(
                "{} matches several feature folders: {}",
                selector.describe(),
                several
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "pass the folder name with --feature, e.g. --feature ".to_string() + several[0],
        )),
    }
}

fn by_value<'f>(folders: &'f [String], value: &str, specs_dir: &str) -> Vec<&'f String> {
    let v = value.trim_end_matches('/');
    let v = v.strip_prefix("./").unwrap_or(v);
    let prefix = format!("{}/", specs_dir.trim_end_matches('/'));
    let v = v.strip_prefix(&prefix).unwrap_or(v);
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        let n = v.parse::<u32>().ok();
        return folders
            .iter()
            .filter(|f| n.is_some() && feature_number(f) == n)
            .collect();
    }
    folders.iter().filter(|f| f.as_str() == v).collect()
}

fn nothing_selected(message: &str, folders: &[String]) -> Error {
    Error::new(
        ErrorKind::Feature,
        format!("{message}; {}", listing(folders)),
        hint_for(folders),
    )
}

fn hint_for(folders: &[String]) -> String {
    if folders.is_empty() {
        "create a feature with `specops specify \"<description>\"`".to_string()
    } else {
        format!(
            "pass --feature with a number or folder name (e.g. --feature {}), set {ENV}, or check out the feature's branch",
            feature_number(&folders[0]).map_or_else(|| folders[0].clone(), |n| n.to_string())
        )
    }
}

/// `features here: 001-a, 002-b` (the first 20), or `there are no feature folders`.
fn listing(folders: &[String]) -> String {
    const SHOWN: usize = 20;
    if folders.is_empty() {
        return "there are no feature folders yet".to_string();
    }
    let mut s = format!(
        "features here: {}",
        folders
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if folders.len() > SHOWN {
        s.push_str(&format!(" and {} more", folders.len() - SHOWN));
    }
    s
}

/// The feature a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Absolute path of the feature folder.
    pub dir: PathBuf,
    pub feature: FeatureRef,
}

/// The names of the feature folders (`NNN-*`) under `specs_dir`, sorted.
///
/// A feature folder may be a symlink to a folder inside the repository, and is then used like
/// any other; one that leads outside the repository is an error naming it, for every command
/// (`check` walks the specs folder by the same rule: [`is_followed_link`]).
pub(crate) fn folders(ws: &Workspace) -> Result<Vec<String>> {
    let specs = ws.specs_dir();
    let entries = match std::fs::read_dir(&specs) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read folder", &specs, &e).into()),
    };
    let mut names = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if feature_number(&name).is_none() {
            continue;
        }
        let path = entry.path();
        let is_dir = if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            is_followed_link(ws, &path)?
        } else {
            path.is_dir()
        };
        if is_dir {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Whether the symlink `path`, a feature folder's name in the specs folder, is a feature folder
/// to follow: it leads to a folder inside the repository. One that leads outside is an error.
pub(crate) fn is_followed_link(ws: &Workspace, path: &std::path::Path) -> Result<bool> {
    ws.ensure_inside(path)?;
    Ok(path.is_dir())
}

/// Resolve the feature of a command run in `ws`, from `--feature`, `SPECOPS_FEATURE` or the
/// current branch.
pub(crate) fn resolve(ws: &Workspace, flag: Option<&str>) -> Result<Resolved> {
    let folders = folders(ws)?;
    let env = std::env::var(ENV).ok();
    let branch = if flag.is_none() && env.as_deref().is_none_or(|e| e.trim().is_empty()) {
        crate::git::current_branch(&ws.root)?
    } else {
        None
    };
    let specs_dir = ws.config.specs_dir.trim_end_matches('/').to_string();
    let name = choose(
        &folders,
        flag,
        env.as_deref(),
        branch.as_deref(),
        &specs_dir,
    )?;
    let feature = FeatureRef::from_dir_name(&name, &specs_dir).ok_or_else(|| {
        Error::new(
            ErrorKind::Feature,
            format!("`{name}` is not a feature folder name (NNN-short-name)"),
            "name feature folders NNN-short-name",
        )
    })?;
    Ok(Resolved {
        dir: ws.specs_dir().join(&name),
        feature,
    })
}

/// The folder a plan set lives in: the feature folder, or `variants/NAME/` inside it.
pub(crate) fn plan_dir(resolved: &Resolved, variant: Option<&str>) -> Result<PathBuf> {
    let Some(v) = variant else {
        return Ok(resolved.dir.clone());
    };
    if !crate::fsx::safe_component(v) || v.starts_with('.') {
        return Err(Error::usage(
            format!("invalid variant name `{}`", v.escape_debug()),
            "use a plain folder name such as `cost-optimised` (no `/`, `..` or leading dot)",
        )
        .into());
    }
    Ok(resolved.dir.join(crate::layout::VARIANTS).join(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_names() {
        for (name, n) in [
            ("001-eks", Some(1)),
            ("042-a-b", Some(42)),
            ("999-x", Some(999)),
            ("1000-wide", Some(1000)),
            ("0007-padded", Some(7)),
            ("01-short", None),
            ("abc-1", None),
            ("003", None),
            ("003_x", None),
            ("", None),
            ("99999999999999999999-overflow", None),
        ] {
            assert_eq!(feature_number(name), n, "{name}");
        }
    }

    #[test]
    fn refs_from_folder_names() {
        let f = FeatureRef::from_dir_name("003-multi-tenant", "specs").unwrap();
        assert_eq!(f.number, "003");
        assert_eq!(f.short_name, "multi-tenant");
        assert_eq!(f.branch, "003-multi-tenant");
        assert_eq!(f.dir, "specs/003-multi-tenant");
        assert_eq!(
            FeatureRef::new(1000, "x", "docs/specs/").dir,
            "docs/specs/1000-x"
        );
        assert_eq!(format_number(7), "007");
    }

    #[test]
    fn choosing_a_feature() {
        let f: Vec<String> = ["001-eks", "003-multi-tenant", "004-a", "004-b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ok = |flag, env, branch| choose(&f, flag, env, branch, "specs").map_err(|e| e.message);
        assert_eq!(ok(Some("3"), None, None), Ok("003-multi-tenant".into()));
        assert_eq!(ok(Some("003"), None, None), Ok("003-multi-tenant".into()));
        assert_eq!(ok(Some("001-eks"), None, None), Ok("001-eks".into()));
        assert_eq!(ok(Some("specs/001-eks/"), None, None), Ok("001-eks".into()));
        assert_eq!(
            ok(Some("1"), Some("3"), Some("004-x")),
            Ok("001-eks".into())
        );
        assert_eq!(
            ok(None, Some("3"), Some("001-x")),
            Ok("003-multi-tenant".into())
        );
        assert_eq!(
            ok(Some(" "), Some(""), Some("001-other-name")),
            Ok("001-eks".into())
        );
        assert_eq!(ok(None, None, Some("0001-x")), Ok("001-eks".into()));
        for (flag, env, branch, needle) in [
            (
                Some("9"),
                None,
                None,
                "matches --feature 9; features here: 001-eks, 003-multi-tenant, 004-a, 004-b",
            ),
            (
                Some("4"),
                None,
                None,
                "--feature 4 matches several feature folders: 004-a, 004-b",
            ),
            (None, Some("eks"), None, "matches SPECOPS_FEATURE=eks"),
            (
                None,
                None,
                Some("main"),
                "the current branch `main` does not start with a feature number",
            ),
            (
                None,
                None,
                Some("004-x"),
                "the current branch `004-x` matches several",
            ),
            (None, None, None, "no feature selected"),
            (
                Some("99999999999"),
                None,
                None,
                "matches --feature 99999999999",
            ),
            (Some("../etc"), None, None, "matches --feature ../etc"),
        ] {
            let e = ok(flag, env, branch).unwrap_err();
            assert!(e.contains(needle), "{e}");
        }
        let e = choose(&[], None, None, Some("main"), "specs").unwrap_err();
        assert!(
            e.message.contains("no feature folders yet"),
            "{}",
            e.message
        );
        assert!(e.hint.contains("specops specify"), "{}", e.hint);
    }

    #[test]
    fn listing_is_capped() {
        let many: Vec<String> = (1..=25).map(|n| format!("{n:03}-x")).collect();
        let l = listing(&many);
        assert!(l.ends_with("020-x and 5 more"), "{l}");
    }
}

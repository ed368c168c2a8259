//! A feature: its number, short name, branch and folder, as documents and JSON name it, and
//! which feature a command works on (`--feature`, `SPECOPS_FEATURE`, the current branch).

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::naming::{Key, Naming};
use crate::workspace::Workspace;

/// The environment variable that selects a feature when `--feature` is not given.
pub(crate) const ENV: &str = "SPECOPS_FEATURE";

/// One feature, as passed to templates (`feature.number`, `feature.branch`, …) and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FeatureRef {
    /// The key: a zero-padded number, e.g. `003` (wider past 999), a timestamp
    /// (`20261204-093015`) or a ticket (`PLAT-123`).
    pub number: String,
    /// The short name, e.g. `multi-tenant-kubernetes`.
    pub short_name: String,
    /// The folder's name, `KEY-short-name` (the branch's, unless a branch template says otherwise).
    pub branch: String,
    /// The folder relative to the repository root, with `/`, e.g. `specs/003-multi-tenant-kubernetes`.
    pub dir: String,
}

impl FeatureRef {
    /// The feature of folder `name` (`KEY-short-name`) under `specs_dir` (relative, with `/`).
    pub(crate) fn from_dir_name(name: &str, specs_dir: &str, naming: &Naming) -> Option<Self> {
        let (key, short) = naming.parse(name)?;
        Some(Self::new(&key, short, specs_dir))
    }

    /// The feature keyed `key` with `short_name`, under `specs_dir`.
    pub(crate) fn new(key: &Key, short_name: &str, specs_dir: &str) -> Self {
        let number = key.to_string();
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

/// Pick the feature folder among `folders` (names of feature folders under `specs_dir`).
///
/// `--feature` wins, then `SPECOPS_FEATURE`, then the current branch's key (see
/// [`Naming::branch_key`]). A value is a key (`3`, `003`, `20261204-093015`, `PLAT-123`)
/// matched against folder keys, or a folder name (optionally with the specs folder in front).
/// Pure: the caller reads the folders, the variable and the branch.
pub(crate) fn choose(
    folders: &[String],
    flag: Option<&str>,
    env: Option<&str>,
    branch: Option<&str>,
    specs_dir: &str,
    naming: &Naming,
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
            naming,
        ));
    };
    let matches: Vec<&String> = match &selector {
        Selector::Flag(v) | Selector::Env(v) => by_value(folders, v, specs_dir, naming),
        Selector::Branch(b) => match naming.branch_key(b) {
            Some(key) => with_key(folders, &key, naming),
            None => {
                return Err(nothing_selected(
                    &format!("no feature selected: the current branch `{b}` does not name a feature (a feature branch is named like its folder, e.g. 001-short-name, or by branch.template)"),
                    folders,
                    naming,
                ))
            }
        },
    };
    // Two folders may share a number (teams numbering on parallel branches); the branch then
    // ends with its own folder's short name (`003-tenancy`, `alice/003-tenancy`,
    // `feat-003-tenancy`, `003/tenancy`, whatever the template).
    let matches = match &selector {
        Selector::Branch(b) if matches.len() > 1 => {
            let ends_with_name = |f: &str| {
                let short = naming.parse(f).map_or("", |(_, short)| short);
                b == f
                    || (!short.is_empty()
                        && b.strip_suffix(short)
                            .is_some_and(|head| head.ends_with(|c: char| !c.is_alphanumeric())))
            };
            let named: Vec<&String> = matches
                .iter()
                .copied()
                .filter(|f| ends_with_name(f))
                .collect();
            if named.len() == 1 {
                named
            } else {
                matches
            }
        }
        _ => matches,
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
            hint_for(folders, naming),
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

fn by_value<'f>(
    folders: &'f [String],
    value: &str,
    specs_dir: &str,
    naming: &Naming,
) -> Vec<&'f String> {
    let v = value.trim_end_matches('/');
    let v = v.strip_prefix("./").unwrap_or(v);
    let prefix = format!("{}/", specs_dir.trim_end_matches('/'));
    let v = v.strip_prefix(&prefix).unwrap_or(v);
    let named: Vec<&String> = folders.iter().filter(|f| f.as_str() == v).collect();
    if !named.is_empty() {
        return named;
    }
    // A number too large for a key matches nothing.
    match naming.parse_key(v) {
        Some(key) => with_key(folders, &key, naming),
        None => Vec::new(),
    }
}

/// The folders whose key is `key`.
fn with_key<'f>(folders: &'f [String], key: &Key, naming: &Naming) -> Vec<&'f String> {
    folders
        .iter()
        .filter(|f| naming.key(f).as_ref() == Some(key))
        .collect()
}

fn nothing_selected(message: &str, folders: &[String], naming: &Naming) -> Error {
    Error::new(
        ErrorKind::Feature,
        format!("{message}; {}", listing(folders)),
        hint_for(folders, naming),
    )
}

fn hint_for(folders: &[String], naming: &Naming) -> String {
    if folders.is_empty() {
        "create a feature with `specops specify \"<description>\"`".to_string()
    } else {
        let example = match naming.key(&folders[0]) {
            Some(Key::Number(n)) => n.to_string(),
            Some(key) => key.to_string(),
            None => folders[0].clone(),
        };
        format!(
            "pass --feature with a number or folder name (e.g. --feature {example}), set {ENV}, or check out the feature's branch"
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

/// The names of the feature folders (`KEY-*`, see [`Naming::parse`]) under `specs_dir`, sorted.
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
        if ws.naming.key(&name).is_none() {
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
    // A branch taken with `specify --branch` names its feature in the git config.
    let recorded = match &branch {
        Some(b) => {
            crate::git::recorded_feature(&ws.root, b)?.filter(|folder| folders.contains(folder))
        }
        None => None,
    };
    let flag = flag.or(recorded.as_deref());
    let specs_dir = ws.config.specs_dir.trim_end_matches('/').to_string();
    let name = choose(
        &folders,
        flag,
        env.as_deref(),
        branch.as_deref(),
        &specs_dir,
        &ws.naming,
    )?;
    let feature = FeatureRef::from_dir_name(&name, &specs_dir, &ws.naming).ok_or_else(|| {
        Error::new(
            ErrorKind::Feature,
            format!("`{name}` is not a feature folder name (KEY-short-name)"),
            "name feature folders KEY-short-name",
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
    fn refs_from_folder_names() {
        let f = FeatureRef::from_dir_name("003-multi-tenant", "specs", &Naming::default()).unwrap();
        assert_eq!(f.number, "003");
        assert_eq!(f.short_name, "multi-tenant");
        assert_eq!(f.branch, "003-multi-tenant");
        assert_eq!(f.dir, "specs/003-multi-tenant");
        assert_eq!(
            FeatureRef::new(&Key::Number(1000), "x", "docs/specs/").dir,
            "docs/specs/1000-x"
        );
        let t = FeatureRef::from_dir_name("PLAT-12-vpc", "specs", &Naming::default()).unwrap();
        assert_eq!(
            (t.number.as_str(), t.short_name.as_str()),
            ("PLAT-12", "vpc")
        );
    }

    #[test]
    fn choosing_a_feature() {
        let f: Vec<String> = ["001-eks", "003-multi-tenant", "004-a", "004-b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let n = Naming::default();
        let ok =
            |flag, env, branch| choose(&f, flag, env, branch, "specs", &n).map_err(|e| e.message);
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
        // Two folders share 004: the branch that names one in full picks it.
        assert_eq!(ok(None, None, Some("004-b")), Ok("004-b".into()));
        let templated = Naming::new(
            crate::naming::DEFAULT_TICKET_PATTERN,
            "{user}/{number}-{name}",
        )
        .unwrap();
        assert_eq!(
            choose(&f, None, None, Some("alice/004-a"), "specs", &templated).map_err(|e| e.message),
            Ok("004-a".into())
        );
        for (template, branch, folder) in [
            ("feat-{number}-{name}", "feat-004-b", "004-b"),
            ("{number}/{name}", "004/a", "004-a"),
        ] {
            let naming = Naming::new(crate::naming::DEFAULT_TICKET_PATTERN, template).unwrap();
            assert_eq!(
                choose(&f, None, None, Some(branch), "specs", &naming).map_err(|e| e.message),
                Ok(folder.to_string()),
                "{template}"
            );
        }
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
                "the current branch `main` does not name a feature",
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
        let e = choose(&[], None, None, Some("main"), "specs", &n).unwrap_err();
        assert!(
            e.message.contains("no feature folders yet"),
            "{}",
            e.message
        );
        assert!(e.hint.contains("specops specify"), "{}", e.hint);
    }

    #[test]
    fn choosing_among_every_mode() {
        let f: Vec<String> = ["002-eks", "20261204-093015-vpc", "PLAT-7-dns"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let n = Naming::new(
            crate::naming::DEFAULT_TICKET_PATTERN,
            "feature/{number}-{name}",
        )
        .unwrap();
        let ok = |flag, branch| choose(&f, flag, None, branch, "specs", &n).map_err(|e| e.message);
        for (flag, branch, chosen) in [
            (Some("2"), None, "002-eks"),
            (Some("20261204-093015"), None, "20261204-093015-vpc"),
            (Some("PLAT-7"), None, "PLAT-7-dns"),
            (Some("PLAT-7-dns"), None, "PLAT-7-dns"),
            (None, Some("feature/PLAT-7-other-words"), "PLAT-7-dns"),
            (
                None,
                Some("feature/20261204-093015-vpc"),
                "20261204-093015-vpc",
            ),
            (None, Some("002-eks"), "002-eks"),
        ] {
            assert_eq!(
                ok(flag, branch),
                Ok(chosen.to_string()),
                "{flag:?} {branch:?}"
            );
        }
        assert!(ok(Some("PLAT-8"), None).is_err());
        assert!(ok(None, Some("feature/x")).is_err());
    }

    #[test]
    fn listing_is_capped() {
        let many: Vec<String> = (1..=25).map(|n| format!("{n:03}-x")).collect();
        let l = listing(&many);
        assert!(l.ends_with("020-x and 5 more"), "{l}");
    }
}

//! What `check` tells the linter about the repository beyond the spec documents: which paths
//! exist (for SO011), from the work tree, or from the index with `--staged` so that a commit is
//! judged by what it will hold.

use std::collections::BTreeSet;

use crate::error::Result;
use crate::lint::engine::Repository;
use crate::workspace::Workspace;

/// The repository facts for a `check` run.
pub(crate) fn repository(ws: &Workspace, staged: bool) -> Result<Repository> {
    let exists: Box<dyn Fn(&str) -> bool + Send + Sync> = if staged {
        let paths = crate::git::index_paths(&ws.root)?;
        Box::new(move |p| in_index(&paths, p))
    } else {
        let root = ws.root.clone();
        Box::new(move |p| {
            let abs = root.join(p.trim_end_matches('/'));
            if p.ends_with('/') {
                abs.is_dir()
            } else {
                abs.exists()
            }
        })
    };
    Ok(Repository {
        exists,
        cited: None,
    })
}

/// Whether the index holds `path`: the file itself, or for a folder (with or without a
/// trailing `/`) any file under it.
fn in_index(paths: &BTreeSet<String>, path: &str) -> bool {
    let bare = path.trim_end_matches('/');
    if !path.ends_with('/') && paths.contains(bare) {
        return true;
    }
    let folder = format!("{bare}/");
    paths
        .range(folder.clone()..)
        .next()
        .is_some_and(|p| p.starts_with(&folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_folders_in_the_index() {
        let paths: BTreeSet<String> = ["README.md", "modules/quota/main.tf", "modules/quota-x.tf"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (p, held) in [
            ("README.md", true),
            ("README.md/", false),
            ("modules/quota/", true),
            ("modules/quota", true),
            ("modules/", true),
            ("modules/quo", false),
            ("modules/quota/main.tf", true),
            ("tests/", false),
        ] {
            assert_eq!(in_index(&paths, p), held, "{p}");
        }
    }
}

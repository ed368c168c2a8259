//! What `check` tells the linter about the repository beyond the spec documents: which paths
//! exist (for SO011) and which requirement IDs files cite in comments (for SO013), from the
//! work tree, or from the index with `--staged` so that a commit is judged by what it will
//! hold. The citations are scanned once, on the first question, so a run that never asks (no
//! requirement has all its tasks ticked) never walks the repository.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use super::citations::{citations_in_index, citations_in_work_tree, CitationIndex};

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
    let index: Arc<OnceLock<Option<CitationIndex>>> = Arc::new(OnceLock::new());
    let root = ws.root.clone();
    let skip = vec![ws.specs_dir()];
    let cited = move |feature: &str, id: &str| {
        let index = index.get_or_init(|| {
            if staged {
                citations_in_index(&root, &skip).ok()
            } else {
                citations_in_work_tree(&root, &skip).ok()
            }
        });
        // A repository that cannot be scanned cannot show a requirement uncited.
        index
            .as_ref()
            .is_none_or(|i| i.cites(id, feature).next().is_some())
    };
    Ok(Repository {
        exists,
        cited: Some(Box::new(cited)),
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

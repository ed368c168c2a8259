//! Grouping a run's documents into work units, and the paths of the documents a document is
//! compared with. A feature's specs, plans and task lists form one unit, so that one worker
//! reads and parses each of them once for the cross-document rules; every other document is a
//! unit of its own.

use std::collections::BTreeMap;

use super::input::Input;
use super::kinds::Kind;
use crate::layout;

/// Whether the cross-document rules compare documents of `kind`.
pub(super) fn is_related_kind(kind: Option<Kind>) -> bool {
    matches!(kind, Some(Kind::Spec | Kind::Plan | Kind::Tasks))
}

/// The inputs in work units (indexes into `inputs`): one per feature folder for the specs,
/// plans and task lists (variants with their feature), one per file for everything else.
pub(super) fn units(inputs: &[Input], constitution: &str) -> Vec<Vec<usize>> {
    let mut units: Vec<Vec<usize>> = Vec::with_capacity(inputs.len());
    let mut features: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if is_related_kind(Kind::from_path(&input.path, constitution)) {
            let unit = *features
                .entry(feature_dir(folder_of(&input.path)))
                .or_insert_with(|| {
                    units.push(Vec::new());
                    units.len() - 1
                });
            units[unit].push(i);
        } else {
            units.push(vec![i]);
        }
    }
    units
}

/// The folder part of a root-relative path (`""` at the root).
pub(super) fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The feature folder a document folder belongs to: `specs/003-x/variants/cost` → `specs/003-x`.
fn feature_dir(dir: &str) -> &str {
    let parent = folder_of(dir);
    match parent.rsplit_once('/') {
        Some((feature, layout::VARIANTS)) => feature,
        None if parent == layout::VARIANTS => "",
        _ => dir,
    }
}

/// `dir/name`, or `name` at the root.
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The documents the cross-document rules need for a document in `dir`: the feature's spec,
/// and the plan and the task list beside it.
pub(super) fn related_paths(dir: &str) -> [String; 3] {
    [
        join(feature_dir(dir), layout::SPEC),
        join(dir, layout::PLAN),
        join(dir, layout::TASKS),
    ]
}

/// The documents (root-relative paths, whether they exist or not) that the cross-document rules
/// compare the document at `path` with; none for a document they do not read.
pub fn related_documents(path: &str, constitution: &str) -> Vec<String> {
    if is_related_kind(Kind::from_path(path, constitution)) {
        related_paths(folder_of(path)).into()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_compared_with_their_features_spec() {
        let c = "memory/constitution.md";
        assert_eq!(
            related_documents("specs/003-x/variants/cost/plan.md", c),
            [
                "specs/003-x/spec.md",
                "specs/003-x/variants/cost/plan.md",
                "specs/003-x/variants/cost/tasks.md"
            ]
        );
        assert_eq!(
            related_documents("tasks.md", c),
            ["spec.md", "plan.md", "tasks.md"]
        );
        assert!(related_documents("specs/003-x/research.md", c).is_empty());
    }
}

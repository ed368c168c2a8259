//! The comparison set of the cross-document rules: the parsed specs, plans and task lists of one
//! feature, taken from the documents being linted or, for those that are not, from the run's
//! [`RelatedSource`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::input::RelatedSource;
use super::units::{folder_of, related_paths};
use super::Related;
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::markdown;

/// The parsed specs, plans and task lists of one feature, by root-relative path.
pub(super) struct FeatureDocs<'a> {
    specs: BTreeMap<String, Spec>,
    plans: BTreeMap<String, (Cow<'a, str>, Plan)>,
    tasks: BTreeMap<String, Tasks>,
}

impl<'a> FeatureDocs<'a> {
    /// Read the documents that the unit's documents (`docs`: path and parse) are compared
    /// with, taking each from the unit when it is there and from `source` otherwise. A spec is
    /// read only when there is a plan or a task list to compare it with.
    pub(super) fn gather(
        docs: impl Iterator<Item = (&'a str, &'a markdown::Document<'a>)>,
        source: &RelatedSource,
    ) -> Self {
        let docs: BTreeMap<&str, &markdown::Document> = docs.collect();
        // `read(path, f)`: the document's text and `f` of its parse.
        fn read<'a, T>(
            docs: &BTreeMap<&str, &'a markdown::Document<'a>>,
            source: &RelatedSource,
            path: &str,
            f: impl FnOnce(&markdown::Document) -> T,
        ) -> Option<(Cow<'a, str>, T)> {
            if let Some(md) = docs.get(path) {
                return Some((Cow::Borrowed(md.text), f(md)));
            }
            let bytes = read_related(source, path)?;
            if memchr::memchr(0, &bytes).is_some() {
                return None;
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let md = markdown::Document::parse(&text);
            let value = f(&md);
            // The parse drops a byte-order mark; so does the text kept for fingerprints.
            let kept = md.text.len();
            Some((Cow::Owned(text[text.len() - kept..].to_string()), value))
        }
        let mut dirs: Vec<&str> = docs.keys().map(|p| folder_of(p)).collect();
        dirs.dedup();
        let mut out = FeatureDocs {
            specs: BTreeMap::new(),
            plans: BTreeMap::new(),
            tasks: BTreeMap::new(),
        };
        for dir in dirs {
            let [spec, plan, tasks] = related_paths(dir);
            if !out.plans.contains_key(&plan) {
                if let Some(found) = read(&docs, source, &plan, Plan::parse) {
                    out.plans.insert(plan.clone(), found);
                }
            }
            if !out.tasks.contains_key(&tasks) {
                if let Some((_, parsed)) = read(&docs, source, &tasks, Tasks::parse) {
                    out.tasks.insert(tasks.clone(), parsed);
                }
            }
            let compared = out.plans.contains_key(&plan) || out.tasks.contains_key(&tasks);
            if compared && !out.specs.contains_key(&spec) {
                if let Some((_, parsed)) = read(&docs, source, &spec, Spec::parse_requirements) {
                    out.specs.insert(spec, parsed);
                }
            }
        }
        out
    }

    /// What a document in `dir` is compared with.
    pub(super) fn related(&self, dir: &str) -> Related<'_> {
        let [spec, plan, tasks] = related_paths(dir);
        Related {
            spec: self.specs.get(&spec),
            plan: self.plans.get(&plan).map(|(t, p)| (t.as_ref(), p)),
            tasks: self.tasks.get(&tasks),
            repository: None,
        }
    }
}

/// A related document that is not among the inputs; `None` when it does not exist or cannot be
/// read (the rules that need it then say nothing: the document itself is not being linted).
fn read_related(source: &RelatedSource, path: &str) -> Option<Vec<u8>> {
    match source {
        RelatedSource::Inputs => None,
        RelatedSource::Reader(read) => read(path),
    }
}

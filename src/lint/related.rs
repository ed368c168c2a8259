//! The comparison set of the cross-document rules: the parsed specs, plans and task lists of one
//! feature, taken from the documents being linted or, for those that are not, from the run's
//! [`RelatedSource`] (through its [`ParsedRelated`] cache when it has one).

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::input::RelatedSource;
use super::units::{folder_of, related_paths};
use super::Related;
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::markdown;

/// The parsed specs, plans and task lists of one feature, by root-relative path.
pub(super) struct FeatureDocs<'a> {
    specs: BTreeMap<String, Arc<Spec>>,
    plans: BTreeMap<String, (Text<'a>, Arc<Plan>)>,
    tasks: BTreeMap<String, Arc<Tasks>>,
}

/// A related document's text: borrowed from the unit's own documents, or shared with a cache.
enum Text<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Shared(text) => text,
        }
    }
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
            spec: self.specs.get(&spec).map(Arc::as_ref),
            plan: self.plans.get(&plan).map(|(t, p)| (t.as_str(), p.as_ref())),
            tasks: self.tasks.get(&tasks).map(Arc::as_ref),
            repository: None,
        }
    }
}

/// The document at `path`, its text and `parse` of it: from the unit's documents when it is one
/// of them, else from `source` (parsed once per content when the source has a cache).
fn read<'a, T: Any + Send + Sync>(
    docs: &BTreeMap<&str, &'a markdown::Document<'a>>,
    source: &RelatedSource,
    path: &str,
    parse: impl FnOnce(&markdown::Document) -> T,
) -> Option<(Text<'a>, Arc<T>)> {
    if let Some(md) = docs.get(path) {
        return Some((Text::Borrowed(md.text), Arc::new(parse(md))));
    }
    let (bytes, cache) = match source {
        RelatedSource::Inputs => return None,
        RelatedSource::Reader(read) => (read(path)?, None),
        RelatedSource::Cached(read, cache) => (read(path)?, Some(cache)),
    };
    if let Some(hit) = cache.and_then(|c| c.get(path, &bytes)) {
        return hit.map(|(text, parsed)| (Text::Shared(text), parsed));
    }
    let parsed = parse_bytes(&bytes, parse);
    if let Some(cache) = cache {
        cache.put(path, bytes, parsed.clone());
    }
    parsed.map(|(text, parsed)| (Text::Shared(text), parsed))
}

/// A related document's bytes as text and `parse` of it; `None` for a binary file.
fn parse_bytes<T>(
    bytes: &[u8],
    parse: impl FnOnce(&markdown::Document) -> T,
) -> Option<(Arc<str>, Arc<T>)> {
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let md = markdown::Document::parse(&text);
    let value = parse(&md);
    // The parse drops a byte-order mark; so does the text kept for fingerprints.
    let kept = md.text.len();
    Some((Arc::from(&text[text.len() - kept..]), Arc::new(value)))
}

/// What a cache holds for one path: the bytes it was parsed from, and the result (`None` for a
/// binary file), whatever its type.
type Parsed = Option<(Arc<str>, Arc<dyn Any + Send + Sync>)>;

/// Related documents parsed before, by root-relative path, each with the bytes it was parsed
/// from: a later run that reads the same bytes takes the parse instead of making it again.
/// `specops lsp` keeps one across lints, so editing a spec does not re-parse the large task
/// list beside it on every keystroke. Each path holds its latest content only.
#[derive(Default)]
pub struct ParsedRelated {
    entries: Mutex<HashMap<String, (Vec<u8>, Parsed)>>,
}

impl std::fmt::Debug for ParsedRelated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedRelated")
    }
}

impl ParsedRelated {
    /// The parse of `path` when it was made from `bytes` and is a `T`.
    fn get<T: Any + Send + Sync>(
        &self,
        path: &str,
        bytes: &[u8],
    ) -> Option<Option<(Arc<str>, Arc<T>)>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (kept, parsed) = entries.get(path)?;
        if kept.as_slice() != bytes {
            return None;
        }
        match parsed {
            None => Some(None),
            Some((text, value)) => {
                let value = value.clone().downcast::<T>().ok()?;
                Some(Some((text.clone(), value)))
            }
        }
    }

    fn put<T: Any + Send + Sync>(
        &self,
        path: &str,
        bytes: Vec<u8>,
        parsed: Option<(Arc<str>, Arc<T>)>,
    ) {
        let parsed: Parsed =
            parsed.map(|(text, value)| (text, value as Arc<dyn Any + Send + Sync>));
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(path.to_string(), (bytes, parsed));
    }

    /// How many documents it holds.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source serving `tasks` at `f/tasks.md`, with `cache`.
    fn source(tasks: &Arc<Mutex<String>>, cache: &Arc<ParsedRelated>) -> RelatedSource {
        let tasks = tasks.clone();
        RelatedSource::Cached(
            Box::new(move |path| {
                (path == "f/tasks.md").then(|| tasks.lock().unwrap().as_bytes().to_vec())
            }),
            cache.clone(),
        )
    }

    #[test]
    fn a_cached_source_parses_each_content_once() {
        let tasks = Arc::new(Mutex::new("- [ ] T001 Build it (IR-001)\n".to_string()));
        let cache = Arc::new(ParsedRelated::default());
        let spec = "## Requirements\n\n- **IR-001**: It MUST work.\n";
        let md = markdown::Document::parse(spec);
        let parsed = |source: &RelatedSource| {
            let docs = FeatureDocs::gather([("f/spec.md", &md)].into_iter(), source);
            docs.tasks.get("f/tasks.md").cloned().expect("tasks read")
        };
        let first = parsed(&source(&tasks, &cache));
        let again = parsed(&source(&tasks, &cache));
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same bytes are not parsed again"
        );
        assert_eq!(cache.len(), 1);
        *tasks.lock().unwrap() = "- [x] T001 Build it (IR-001)\n- [ ] T002 Test it\n".into();
        let changed = parsed(&source(&tasks, &cache));
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!(changed.tasks.len(), 2);
        assert!(changed.tasks[0].done);
        // Without a cache, the same content is parsed each time, to the same result.
        let plain = |t: &Arc<Mutex<String>>| {
            let t = t.clone();
            RelatedSource::Reader(Box::new(move |path| {
                (path == "f/tasks.md").then(|| t.lock().unwrap().as_bytes().to_vec())
            }))
        };
        let uncached = parsed(&plain(&tasks));
        assert!(!Arc::ptr_eq(&uncached, &changed));
        assert_eq!(*uncached, *changed);
        // A binary file is not compared with, cached or not; once it changes it is read again.
        *tasks.lock().unwrap() = "\0".into();
        for _ in 0..2 {
            let docs =
                FeatureDocs::gather([("f/spec.md", &md)].into_iter(), &source(&tasks, &cache));
            assert!(docs.tasks.is_empty());
        }
        *tasks.lock().unwrap() = "- [ ] T001 Build it (IR-001)\n".into();
        assert_eq!(*parsed(&source(&tasks, &cache)), *first);
    }
}

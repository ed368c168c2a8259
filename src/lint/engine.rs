//! Running the linter: collect the files, read each once, scan it, run every enabled rule, and
//! turn findings into sorted [`Diagnostic`]s. Files are linted in parallel
//! ([`crate::parallel::map`]); no file's failure stops the others.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use super::kinds::Kind;
use super::{index_of, rules, Diagnostic, Document, Finding, Levels, Related, Severity, RULES};
use crate::docs::{plan::Plan, spec::Spec, tasks::Tasks};
use crate::error::{Error, ErrorKind, Result};
use crate::fsx::ReadProblem;
use crate::markdown;
use crate::workspace::Workspace;

pub use crate::fsx::MAX_FILE_BYTES;

/// One document to lint.
#[derive(Debug, Clone)]
pub struct Input {
    /// Relative to the repository root, with `/`.
    pub path: String,
    pub source: Source,
}

/// Where a document's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Content already read (the index's blob for `--staged`).
    Bytes(Vec<u8>),
    /// The file could not even be listed; the message says why.
    Failed(String),
}

/// The result of a run: what the output formats print.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// How to lint.
#[derive(Debug, Clone)]
pub struct Options {
    pub levels: Levels,
    /// The configured constitution path, relative to the root, with `/`.
    pub constitution: String,
    /// Where the cross-document rules read a feature's documents that are not being linted.
    pub related: RelatedSource,
}

/// Where the spec, plan or task list that a linted document is compared with comes from when it
/// is not itself among the inputs (`specops check specs/003-x/tasks.md` still compares the task
/// list with the spec).
#[derive(Debug, Clone, Default)]
pub enum RelatedSource {
    /// Only the inputs: documents that are not linted are not compared with.
    #[default]
    Inputs,
    /// Files under this folder (the repository root).
    WorkTree(PathBuf),
    /// Contents read beforehand, by root-relative path: the index's, for `--staged`.
    Loaded(BTreeMap<String, Vec<u8>>),
}

/// The inputs to lint and where their related documents come from.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub related: RelatedSource,
}

/// Lint every input, in parallel; diagnostics sorted by path, line, column and rule. The spec,
/// plans and task lists of one feature are linted together by one worker, so each is read and
/// parsed once for the cross-document rules.
pub fn check(inputs: &[Input], options: &Options) -> CheckReport {
    let units = units(inputs, &options.constitution);
    let cross = ["SO006", "SO007", "SO008", "SO009"]
        .iter()
        .any(|id| options.levels.enabled(index_of(id)));
    let found = crate::parallel::map(&units, |unit| lint_unit(inputs, unit, options, cross));
    let mut diagnostics: Vec<Diagnostic> = found.into_iter().flatten().collect();
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
    });
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    CheckReport {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        files: inputs.len(),
        diagnostics,
    }
}

/// Whether the cross-document rules compare documents of `kind`.
fn is_related_kind(kind: Option<Kind>) -> bool {
    matches!(kind, Some(Kind::Spec | Kind::Plan | Kind::Tasks))
}

/// The inputs in work units (indexes into `inputs`): one per feature folder for the specs,
/// plans and task lists (variants with their feature), one per file for everything else.
fn units(inputs: &[Input], constitution: &str) -> Vec<Vec<usize>> {
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
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The feature folder a document folder belongs to: `specs/003-x/variants/cost` → `specs/003-x`.
fn feature_dir(dir: &str) -> &str {
    let parent = folder_of(dir);
    match parent.rsplit_once('/') {
        Some((feature, "variants")) => feature,
        None if parent == "variants" => "",
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
fn related_paths(dir: &str) -> [String; 3] {
    [
        join(feature_dir(dir), "spec.md"),
        join(dir, "plan.md"),
        join(dir, "tasks.md"),
    ]
}

/// An input's bytes, read once.
fn load(input: &Input) -> std::result::Result<Cow<'_, [u8]>, String> {
    match &input.source {
        Source::Bytes(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => {
            Err(too_large(bytes.len() as u64))
        }
        Source::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
        Source::File(path) => read_capped(path).map(Cow::Owned),
        Source::Failed(message) => Err(message.clone()),
    }
}

/// Lint one unit; `cross` says whether any cross-document rule is enabled, so the feature's
/// documents are worth parsing.
fn lint_unit(inputs: &[Input], unit: &[usize], options: &Options, cross: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each input read and decoded once; its text serves both its own rules and, for the
    // cross-document rules, the other documents of its feature.
    let decoded: Vec<_> = unit
        .iter()
        .map(|&i| {
            let input = &inputs[i];
            let kind = Kind::from_path(&input.path, &options.constitution);
            let text = match load(input) {
                Ok(bytes) => {
                    let (text, problem) = decode(&input.path, bytes, &options.levels);
                    out.extend(problem);
                    text
                }
                Err(message) => {
                    out.extend(file_problem(&input.path, &options.levels, &message));
                    None
                }
            };
            (input, kind, text)
        })
        .collect();
    // Each text parsed once: its own rules and its feature's cross-document rules read the
    // same parse.
    let parsed: Vec<Option<markdown::Document>> = decoded
        .iter()
        .map(|(_, _, text)| text.as_deref().map(markdown::Document::parse))
        .collect();
    let feature = (cross && decoded.iter().any(|(_, kind, _)| is_related_kind(*kind))).then(|| {
        FeatureDocs::gather(
            decoded
                .iter()
                .zip(&parsed)
                .filter_map(|((input, _, _), md)| Some((input.path.as_str(), md.as_ref()?))),
            &options.related,
        )
    });
    for ((input, kind, _), md) in decoded.iter().zip(&parsed) {
        let Some(md) = md else { continue };
        let related = match &feature {
            Some(f) if is_related_kind(*kind) => f.related(folder_of(&input.path)),
            _ => Related::default(),
        };
        let doc = Document::new(&input.path, *kind, md);
        let found = lint_document(&doc, &options.levels, &related);
        out.extend(found.into_iter().flatten());
    }
    // Most units have a diagnostic or two, and all of them are held until the run ends.
    out.shrink_to_fit();
    out
}

/// The parsed specs, plans and task lists of one feature, by root-relative path.
struct FeatureDocs<'a> {
    specs: BTreeMap<String, Spec>,
    plans: BTreeMap<String, (Cow<'a, str>, Plan)>,
    tasks: BTreeMap<String, Tasks>,
}

impl<'a> FeatureDocs<'a> {
    /// Read the documents that the unit's documents (`docs`: path and parse) are compared
    /// with, taking each from the unit when it is there and from `source` otherwise. A spec is
    /// read only when there is a plan or a task list to compare it with.
    fn gather(
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
    fn related(&self, dir: &str) -> Related<'_> {
        let [spec, plan, tasks] = related_paths(dir);
        Related {
            spec: self.specs.get(&spec),
            plan: self.plans.get(&plan).map(|(t, p)| (t.as_ref(), p)),
            tasks: self.tasks.get(&tasks),
        }
    }
}

/// A related document that is not among the inputs; `None` when it does not exist or cannot be
/// read (the rules that need it then say nothing: the document itself is not being linted).
fn read_related(source: &RelatedSource, path: &str) -> Option<Vec<u8>> {
    match source {
        RelatedSource::Inputs => None,
        RelatedSource::WorkTree(root) => read_capped(&root.join(path)).ok(),
        RelatedSource::Loaded(map) => map.get(path).cloned(),
    }
}

fn too_large(len: u64) -> String {
    format!(
        "file too large to lint ({} MiB; the limit is {} MiB)",
        len / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Read a regular file, at most [`MAX_FILE_BYTES`]; the message says why it could not be.
fn read_capped(path: &Path) -> std::result::Result<Vec<u8>, String> {
    match crate::fsx::read_regular(path, MAX_FILE_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err("cannot read file: it does not exist".to_string()),
        Err(ReadProblem::TooLarge(len)) => Err(too_large(len)),
        Err(problem) => Err(format!("cannot read file: {problem}")),
    }
}

/// An SO000 diagnostic about a whole file (None when SO000 is off).
fn file_problem(path: &str, levels: &Levels, message: &str) -> Option<Diagnostic> {
    let rule = index_of("SO000");
    Some(Diagnostic {
        rule: RULES[rule].id,
        name: RULES[rule].name,
        severity: Severity::from_level(levels.get(rule))?,
        path: path.to_string(),
        line: 1,
        column: 1,
        end_column: 1,
        message: message.to_string(),
        source: None,
        subject: None,
    })
}

/// Lint one document's bytes. A binary file is reported, not linted; a file that is not UTF-8
/// is reported and linted with its invalid bytes replaced, so its other findings still show.
pub fn lint_bytes(
    path: &str,
    kind: Option<Kind>,
    bytes: &[u8],
    levels: &Levels,
) -> Vec<Option<Diagnostic>> {
    let (text, problem) = decode(path, Cow::Borrowed(bytes), levels);
    let mut found = vec![problem];
    if let Some(text) = text {
        found.extend(lint_text(path, kind, &text, levels));
    }
    found
}

/// A document's bytes as text, and the SO000 finding they deserve: a binary file is reported
/// and not linted (no text); a file that is not UTF-8 is reported and linted with its invalid
/// bytes replaced, so its other findings still show.
fn decode<'b>(
    path: &str,
    bytes: Cow<'b, [u8]>,
    levels: &Levels,
) -> (Option<Cow<'b, str>>, Option<Diagnostic>) {
    if memchr::memchr(0, &bytes).is_some() {
        let problem = file_problem(
            path,
            levels,
            "binary file (it contains NUL bytes); not linted",
        );
        return (None, problem);
    }
    let invalid = match std::str::from_utf8(&bytes) {
        Ok(_) => None,
        Err(e) => Some(
            bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        ),
    };
    let Some(line) = invalid else {
        let text = match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default()),
            Cow::Owned(b) => Cow::Owned(String::from_utf8(b).unwrap_or_default()),
        };
        return (Some(text), None);
    };
    let problem = file_problem(
        path,
        levels,
        &format!("not valid UTF-8 (first invalid byte on line {line}); linted with invalid bytes replaced by U+FFFD"),
    );
    (
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())),
        problem,
    )
}

/// Lint one document's text with every enabled rule, honouring suppression comments.
pub fn lint_text(
    path: &str,
    kind: Option<Kind>,
    text: &str,
    levels: &Levels,
) -> Vec<Option<Diagnostic>> {
    let md = markdown::Document::parse(text);
    lint_document(&Document::new(path, kind, &md), levels, &Related::default())
}

/// Lint one parsed document with every enabled rule, honouring suppression comments; `related`
/// holds the other documents of its feature.
pub fn lint_document(
    doc: &Document,
    levels: &Levels,
    related: &Related,
) -> Vec<Option<Diagnostic>> {
    let mut findings: Vec<Finding> = Vec::new();
    for rule in rules::ALL {
        if levels.enabled(rule.index()) {
            rule.check(doc, related, &mut findings);
        }
    }
    // An unjustified gate is one finding, not two: SO009, the specific rule, replaces SO002's
    // "unticked gate" on the same checkbox (and SO002 reports it when SO009 is off).
    let (so002, so009) = (index_of("SO002"), index_of("SO009"));
    let gates: Vec<usize> = findings
        .iter()
        .filter(|f| f.rule == so009)
        .map(|f| f.start)
        .collect();
    if !gates.is_empty() {
        findings.retain(|f| f.rule != so002 || !gates.contains(&f.start));
    }
    findings
        .into_iter()
        .map(|f| diagnostic(doc, f, levels))
        .collect()
}

fn diagnostic(doc: &Document, f: Finding, levels: &Levels) -> Option<Diagnostic> {
    let severity = Severity::from_level(levels.get(f.rule))?;
    let line = doc.line_of(f.start);
    if doc.is_suppressed(f.rule, line) {
        return None;
    }
    let l = doc.lines.get(line).copied();
    let (line_start, line_end) = l.map_or((0, 0), |l| (l.start, l.end));
    let start = f.start.clamp(line_start, line_end);
    let end = f.end.clamp(start, line_end);
    let column = doc.text[line_start..start].chars().count() + 1;
    // An empty range marks the character at `start`, or nothing at the end of a line, so the
    // span never reaches past the line.
    let width = doc.text[start..end]
        .chars()
        .count()
        .max(usize::from(start < line_end));
    let meta = &RULES[f.rule];
    Some(Diagnostic {
        rule: meta.id,
        name: meta.name,
        severity,
        path: doc.path.to_string(),
        line: line + 1,
        column,
        end_column: column + width,
        message: f.message,
        source: l.map(|_| doc.text[line_start..line_end].to_string()),
        subject: f.subject,
    })
}

/// Globs from the config (`include`/`exclude`), matched against root-relative paths.
fn globs(patterns: &[String], key: &str) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "invalid glob `{p}` under `{key}:` in {}: {e}",
                    crate::config::CONFIG_PATH
                ),
                "fix the pattern, e.g. `specs/**/notes.md`",
            )
        })?;
        b.add(glob);
    }
    b.build().map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("invalid globs under `{key}:`: {e}"),
            "fix the patterns",
        )
        .into()
    })
}

/// What to lint and how the paths were chosen.
pub struct Selection {
    pub inputs: Vec<Input>,
    exclude: GlobSet,
    include: GlobSet,
}

impl Selection {
    fn new(ws: &Workspace) -> Result<Self> {
        Ok(Self {
            inputs: Vec::new(),
            exclude: globs(&ws.config.exclude, "exclude")?,
            include: globs(&ws.config.include, "include")?,
        })
    }

    fn push(&mut self, path: String, source: Source, explicit: bool) {
        if explicit || !self.exclude.is_match(&path) {
            self.inputs.push(Input { path, source });
        }
    }

    fn finish(mut self) -> Vec<Input> {
        self.inputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.inputs.dedup_by(|a, b| a.path == b.path);
        self.inputs
    }

    /// Every `*.md` under `dir` (symlinked folders are not followed, so a link loop cannot
    /// trap the walk; a symlinked file is read through its link). Reading folders is most of
    /// the system time of a large run, so the folders under `dir` (one per feature, under
    /// specs/) are walked on worker threads.
    fn walk(&mut self, ws: &Workspace, dir: &Path, only: impl Fn(&str) -> bool) {
        let mut subdirs = Vec::new();
        let mut entries = Vec::new();
        for entry in walker(dir, 0, 1) {
            match entry {
                Ok(e) if e.depth() == 1 && e.file_type().is_dir() => {
                    subdirs.push(e.into_path());
                }
                other => entries.push(other),
            }
        }
        let walked = crate::parallel::map(&subdirs, |sub| {
            walker(sub, 1, usize::MAX).collect::<Vec<_>>()
        });
        for entry in entries.into_iter().chain(walked.into_iter().flatten()) {
            self.add(ws, entry, &only);
        }
    }

    /// One entry of a walk: a Markdown file (or a link to one) that `only` accepts, or a
    /// folder or file that could not be read.
    fn add(
        &mut self,
        ws: &Workspace,
        entry: walkdir::Result<walkdir::DirEntry>,
        only: &impl Fn(&str) -> bool,
    ) {
        match entry {
            Ok(e) => {
                let is_md = e.file_name().to_str().is_some_and(|n| {
                    n.len() >= 3 && n.as_bytes()[n.len() - 3..].eq_ignore_ascii_case(b".md")
                });
                if !is_md {
                    return;
                }
                let file_like =
                    e.file_type().is_file() || (e.file_type().is_symlink() && !e.path().is_dir());
                let path = shown(ws, e.path());
                if file_like && only(&path) {
                    self.push(path, Source::File(e.into_path()), false);
                }
            }
            Err(err) => {
                let Some(p) = err.path() else { return };
                let path = shown(ws, p);
                let message = format!(
                    "cannot read: {}",
                    err.io_error()
                        .map_or_else(|| err.to_string(), |e| e.to_string())
                );
                self.push(path, Source::Failed(message), false);
            }
        }
    }
}

/// The entries of `dir` from depth `min` to `max`, not following symlinked folders and
/// skipping hidden and build folders below it.
fn walker(
    dir: &Path,
    min: usize,
    max: usize,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(min)
        .max_depth(max)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e))
}

/// `path` relative to the root with `/`, or as given when it lies outside the root.
fn shown(ws: &Workspace, path: &Path) -> String {
    if path.starts_with(&ws.root) {
        ws.display(path)
    } else {
        path.to_string_lossy().into_owned()
    }
}

/// Hidden folders and build output never hold specs.
fn is_skipped_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir()
        && e.file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.') || n == "node_modules" || n == "target")
}

/// The documents `specops check [PATHS…]` lints: the given files and folders, or by default the
/// specs folder, the constitution and the config's `include` globs, minus `exclude`.
pub fn collect(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Collected> {
    Ok(Collected {
        inputs: collect_inputs(ws, cwd, paths)?,
        related: RelatedSource::WorkTree(ws.root.clone()),
    })
}

fn collect_inputs(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut sel = Selection::new(ws)?;
    if paths.is_empty() {
        let specs = ws.specs_dir();
        if specs.is_dir() {
            sel.walk(ws, &specs, |_| true);
        }
        let constitution = ws.constitution();
        if constitution.exists() {
            sel.push(shown(ws, &constitution), Source::File(constitution), false);
        }
        if !ws.config.include.is_empty() {
            let include = sel.include.clone();
            sel.walk(ws, &ws.root.clone(), |p| include.is_match(p));
        }
        return Ok(sel.finish());
    }
    for arg in paths {
        let abs = normalize(&cwd.join(arg));
        let meta = std::fs::metadata(&abs).or_else(|_| std::fs::symlink_metadata(&abs));
        match meta {
            Ok(m) if m.is_dir() => {
                let dir = abs.canonicalize().unwrap_or(abs);
                sel.walk(ws, &dir, |_| true);
            }
            Ok(_) => {
                let abs = canonical_parent(&abs);
                sel.push(shown(ws, &abs), Source::File(abs), true);
            }
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Input,
                    format!("{}: {e}", arg.display()),
                    "check the path; without paths, `specops check` lints specs/ and memory/constitution.md",
                )
                .into())
            }
        }
    }
    Ok(sel.finish())
}

/// The staged content of changed spec documents (for `specops check --staged` in a pre-commit
/// hook): index entries added or modified relative to HEAD, limited to Markdown under the specs
/// folder, the constitution and the `include` globs (minus `exclude`), and to `paths` if given.
pub fn collect_staged(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Collected> {
    let mut sel = Selection::new(ws)?;
    let specs = ws.config.specs_dir.trim_end_matches('/').to_string() + "/";
    let constitution = ws.config.constitution.clone();
    let limits: Vec<PathBuf> = paths.iter().map(|p| normalize(&cwd.join(p))).collect();
    let root = ws.root.clone();
    let include = sel.include.clone();
    let wanted = |abs: &Path| {
        let rel = crate::fsx::display(abs, &root);
        let in_scope = (rel.starts_with(&specs) && rel.to_ascii_lowercase().ends_with(".md"))
            || rel == constitution
            || include.is_match(&rel);
        in_scope
            && abs.starts_with(&root)
            && (limits.is_empty() || limits.iter().any(|l| abs.starts_with(l)))
    };
    for staged in crate::git::staged_files(wanted, MAX_FILE_BYTES)? {
        let path = shown(ws, &staged.path);
        let source = match staged.content {
            Ok(bytes) => Source::Bytes(bytes),
            Err(message) => Source::Failed(message),
        };
        sel.push(path, source, false);
    }
    let inputs = sel.finish();
    // The staged documents are compared with what the commit will hold of their feature's
    // other documents: the index's content, not the work tree's.
    let mut wanted: Vec<String> = inputs
        .iter()
        .filter(|i| is_related_kind(Kind::from_path(&i.path, &constitution)))
        .flat_map(|i| related_paths(folder_of(&i.path)))
        .collect();
    wanted.sort();
    wanted.dedup();
    let related = crate::git::index_contents(&ws.root, &wanted, MAX_FILE_BYTES)?;
    Ok(Collected {
        inputs,
        related: RelatedSource::Loaded(related),
    })
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` with its folder resolved through symlinks (so it displays relative to the root),
/// keeping its own name even when it is a symlink.
fn canonical_parent(path: &Path) -> PathBuf {
    match (
        path.parent().and_then(|p| p.canonicalize().ok()),
        path.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(path: &str, text: &[u8]) -> Vec<Diagnostic> {
        let kind = Kind::from_path(path, "memory/constitution.md");
        lint_bytes(path, kind, text, &Levels::default())
            .into_iter()
            .flatten()
            .collect()
    }

    #[test]
    fn columns_are_characters_and_one_based_with_bom_and_crlf() {
        let d = lint(
            "notes.md",
            "\u{feff}é\r\nÄÖ: [NEEDS CLARIFICATION: ü?]\r\n".as_bytes(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert_eq!(
            d[0].end_column,
            5 + "[NEEDS CLARIFICATION: ü?]".chars().count()
        );
        assert_eq!(
            d[0].source.as_deref(),
            Some("ÄÖ: [NEEDS CLARIFICATION: ü?]")
        );
    }

    #[test]
    fn binary_and_non_utf8_files() {
        let d = lint("a.md", b"[DATE]\0");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, "SO000");
        assert!(d[0].message.contains("binary"));
        let d = lint("a.md", b"ok\nit\x92s [DATE]\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].rule, "SO000");
        assert!(d[0].message.contains("line 2"), "{}", d[0].message);
        assert_eq!((d[1].rule, d[1].line, d[1].column), ("SO003", 2, 6));
    }

    #[test]
    fn off_rules_do_not_run_and_suppressions_apply() {
        let mut levels = Levels::resolve(&Default::default(), &["SO003=off".to_string()]).unwrap();
        let text = "[DATE] [NEEDS CLARIFICATION: a?]\n<!-- specops-ignore SO001 -->\n[NEEDS CLARIFICATION: b?]\n";
        let d: Vec<_> = lint_text("a.md", None, text, &levels)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            d.iter().map(|d| (d.rule, d.line)).collect::<Vec<_>>(),
            [("SO001", 1)]
        );
        levels = Levels::resolve(&Default::default(), &["SO001=warning".to_string()]).unwrap();
        let d: Vec<_> = lint_text("a.md", None, text, &levels)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            d.iter().map(|d| d.severity).collect::<Vec<_>>(),
            [Severity::Warning, Severity::Error]
        );
    }

    #[test]
    fn parallel_results_are_sorted_and_counted() {
        let inputs: Vec<Input> = (0..50)
            .rev()
            .map(|i| Input {
                path: format!("specs/{i:03}/notes.md"),
                source: Source::Bytes(
                    format!("[DATE]\n\n[NEEDS CLARIFICATION: q{i}?]\n").into_bytes(),
                ),
            })
            .collect();
        let options = Options {
            levels: Levels::default(),
            constitution: "memory/constitution.md".into(),
            related: RelatedSource::Inputs,
        };
        let r = check(&inputs, &options);
        assert_eq!((r.files, r.errors, r.warnings), (50, 100, 0));
        let keys: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.path.clone(), d.line))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let big = Input {
            path: "big.md".into(),
            source: Source::Bytes(vec![b'a'; MAX_FILE_BYTES as usize + 1]),
        };
        let r = check(&[big], &options);
        assert!(
            r.diagnostics[0].message.contains("too large"),
            "{:?}",
            r.diagnostics
        );
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.md")),
            PathBuf::from("/a/c/d.md")
        );
    }
}

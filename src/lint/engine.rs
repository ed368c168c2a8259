//! Running the linter: collect the files, read each once, scan it, run every enabled rule, and
//! turn findings into sorted [`Diagnostic`]s. Files are linted in parallel on scoped threads
//! over a shared work index; no file's failure stops the others.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use super::kinds::Kind;
use super::{index_of, rules, Diagnostic, Document, Finding, Levels, Severity, RULES};
use crate::error::{Error, ErrorKind, Result};
use crate::workspace::Workspace;

/// Files larger than this are reported (SO000), not linted: spec documents are kilobytes, and
/// a runaway generated file must not take the memory of a CI runner.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

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
}

/// Lint every input, in parallel; diagnostics sorted by path, line, column and rule.
pub fn check(inputs: &[Input], options: &Options) -> CheckReport {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut diagnostics: Vec<Diagnostic> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        found.extend(lint_input(input, options));
                    }
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
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

fn lint_input(input: &Input, options: &Options) -> Vec<Diagnostic> {
    let kind = Kind::from_path(&input.path, &options.constitution);
    match &input.source {
        Source::Bytes(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => {
            vec![file_problem(
                &input.path,
                &options.levels,
                &too_large(bytes.len() as u64),
            )]
        }
        Source::Bytes(bytes) => lint_bytes(&input.path, kind, bytes, &options.levels),
        Source::File(path) => match read_capped(path) {
            Ok(bytes) => lint_bytes(&input.path, kind, &bytes, &options.levels),
            Err(message) => vec![file_problem(&input.path, &options.levels, &message)],
        },
        Source::Failed(message) => vec![file_problem(&input.path, &options.levels, message)],
    }
    .into_iter()
    .flatten()
    .collect()
}

fn too_large(len: u64) -> String {
    format!(
        "file too large to lint ({} MiB; the limit is {} MiB)",
        len / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Read a regular file, at most [`MAX_FILE_BYTES`].
fn read_capped(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
    if memchr::memchr(0, bytes).is_some() {
        return vec![file_problem(
            path,
            levels,
            "binary file (it contains NUL bytes); not linted",
        )];
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => lint_text(path, kind, text, levels),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let mut found = vec![file_problem(
                path,
                levels,
                &format!("not valid UTF-8 (first invalid byte on line {line}); linted with invalid bytes replaced by U+FFFD"),
            )];
            let text = String::from_utf8_lossy(bytes);
            found.extend(lint_text(path, kind, &text, levels));
            found
        }
    }
}

/// Lint one document's text with every enabled rule, honouring suppression comments.
pub fn lint_text(
    path: &str,
    kind: Option<Kind>,
    text: &str,
    levels: &Levels,
) -> Vec<Option<Diagnostic>> {
    let doc = Document::parse(path, kind, text);
    let mut findings: Vec<Finding> = Vec::new();
    for rule in rules::ALL {
        if levels.enabled(rule.index()) {
            rule.check(&doc, &mut findings);
        }
    }
    findings
        .into_iter()
        .map(|f| diagnostic(&doc, f, levels))
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
    /// trap the walk; a symlinked file is read through its link).
    fn walk(&mut self, ws: &Workspace, dir: &Path, only: impl Fn(&str) -> bool) {
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e));
        for entry in walker {
            match entry {
                Ok(e) => {
                    let is_md = e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".md"));
                    let file_like = e.file_type().is_file()
                        || (e.file_type().is_symlink() && !e.path().is_dir());
                    let path = shown(ws, e.path());
                    if is_md && file_like && only(&path) {
                        self.push(path, Source::File(e.path().to_path_buf()), false);
                    }
                }
                Err(err) => {
                    let Some(p) = err.path() else { continue };
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
pub fn collect(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Vec<Input>> {
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
pub fn collect_staged(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> Result<Vec<Input>> {
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
    Ok(sel.finish())
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

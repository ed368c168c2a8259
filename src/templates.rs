//! The document templates: embedded in the binary, overridable per repository, rendered with
//! MiniJinja in strict-undefined mode. User text is only ever passed in as data.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};

/// Where a repository keeps its template overrides, relative to its root.
pub const OVERRIDE_DIR: &str = ".specops/templates";

/// Every embedded template, by name. A file of the same name under [`OVERRIDE_DIR`] wins.
/// A unit test checks this table against the crate's `templates/` folder.
pub static EMBEDDED: &[(&str, &str)] = &[
    ("spec.md.j2", include_str!("../templates/spec.md.j2")),
    (
        "checklist.md.j2",
        include_str!("../templates/checklist.md.j2"),
    ),
    ("plan.md.j2", include_str!("../templates/plan.md.j2")),
    (
        "research.md.j2",
        include_str!("../templates/research.md.j2"),
    ),
    (
        "data-model.md.j2",
        include_str!("../templates/data-model.md.j2"),
    ),
    (
        "quickstart.md.j2",
        include_str!("../templates/quickstart.md.j2"),
    ),
    (
        "contract.md.j2",
        include_str!("../templates/contract.md.j2"),
    ),
    ("tasks.md.j2", include_str!("../templates/tasks.md.j2")),
    (
        "commands/specify.md.j2",
        include_str!("../templates/commands/specify.md.j2"),
    ),
    (
        "commands/plan.md.j2",
        include_str!("../templates/commands/plan.md.j2"),
    ),
    (
        "commands/tasks.md.j2",
        include_str!("../templates/commands/tasks.md.j2"),
    ),
    (
        "commands/check.md.j2",
        include_str!("../templates/commands/check.md.j2"),
    ),
    (
        "commands/clarify.md.j2",
        include_str!("../templates/commands/clarify.md.j2"),
    ),
    (
        "commands/analyze.md.j2",
        include_str!("../templates/commands/analyze.md.j2"),
    ),
    (
        "commands/implement.md.j2",
        include_str!("../templates/commands/implement.md.j2"),
    ),
];

/// The embedded source of template `name`.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// A rendering environment: the embedded templates plus a repository's overrides.
pub struct Templates {
    env: Environment<'static>,
    override_dir: Option<PathBuf>,
}

impl Templates {
    /// The templates of the repository at `root`: overrides from its [`OVERRIDE_DIR`], which
    /// are read only while they stay inside `root` once symlinks are followed.
    pub fn for_root(root: &Path) -> Self {
        Self::with_boundary(Some(root.join(OVERRIDE_DIR)), Some(root.to_path_buf()))
    }

    /// Templates with overrides read from `override_dir` (usually `<root>/.specops/templates`).
    pub fn new(override_dir: Option<PathBuf>) -> Self {
        Self::with_boundary(override_dir, None)
    }

    fn with_boundary(override_dir: Option<PathBuf>, boundary: Option<PathBuf>) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Name the undefined variable in errors, in release builds too.
        env.set_debug(true);
        env.set_recursion_limit(64);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("static syntax configuration is valid"),
        );
        let dir = override_dir.clone();
        env.set_loader(move |name| load(dir.as_deref(), boundary.as_deref(), name));
        Self { env, override_dir }
    }

    /// Embedded templates only.
    pub fn embedded_only() -> Self {
        Self::new(None)
    }

    /// Whether template `name` comes from the override folder.
    pub fn is_overridden(&self, name: &str) -> bool {
        override_path(self.override_dir.as_deref(), name).is_some_and(|p| p.is_file())
    }

    /// Render template `name` with `ctx`. Errors name the template file and line.
    pub fn render<S: Serialize>(&self, name: &str, ctx: &S) -> Result<String> {
        let mut env = self.env.clone();
        env.set_fuel(Some(fuel(ctx)));
        let result = env
            .get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(ctx)));
        result.map_err(|e| self.template_error(name, &e).into())
    }

    fn template_error(&self, requested: &str, e: &minijinja::Error) -> Error {
        let name = e.name().unwrap_or(requested);
        let overridden = self.is_overridden(name);
        let file = if overridden {
            format!("{OVERRIDE_DIR}/{name}")
        } else {
            format!("embedded template {name}")
        };
        let place = match e.line() {
            Some(line) => format!("{file}:{line}"),
            None => file,
        };
        let mut what = e.kind().to_string();
        if e.kind() == minijinja::ErrorKind::OutOfFuel {
            what = "the template does more work than its data can call for (a loop that \
                runs too long?), so it was stopped"
                .to_string();
        }
        if let Some(detail) = e.detail() {
            what = format!("{what}: {detail}");
        }
        let hint = if overridden {
            format!("fix {OVERRIDE_DIR}/{name}, or delete it to use the built-in template")
        } else if self.override_dir.is_some() && name != requested {
            format!("check the templates under {OVERRIDE_DIR}/ that include {name}")
        } else {
            "this is a bug in specops' built-in templates; please report it".to_string()
        };
        Error::new(
            ErrorKind::Template,
            format!("template error in {place}: {what}"),
            hint,
        )
    }
}

/// The work one render may do, in minijinja's fuel (about one per instruction and per 64
/// bytes of data made), growing with the data rendered: our templates take under a third per
/// byte of their context (a plan over 10,000 requirements: 0.35 million for 1.4 MB), so the
/// budget leaves them room sixty times over, while a runaway loop in an override
/// (`range(100000)` inside `range(100000)`) is stopped within seconds.
fn fuel<S: Serialize>(ctx: &S) -> u64 {
    /// A render's allowance whatever its data.
    const FUEL_BASE: u64 = 2_000_000;
    /// And per byte of its context, as JSON.
    const FUEL_PER_BYTE: u64 = 20;
    let mut size = ByteCount(0);
    // A context that does not serialise fails the render itself, with a better message.
    let _ = serde_json::to_writer(&mut size, ctx);
    FUEL_BASE.saturating_add(size.0.saturating_mul(FUEL_PER_BYTE))
}

/// A writer that only counts.
struct ByteCount(u64);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn override_path(dir: Option<&Path>, name: &str) -> Option<PathBuf> {
    let dir = dir?;
    // Template names come from our code and from include tags in user templates:
    // only plain relative names may reach the file system.
    if !name.split('/').all(crate::fsx::safe_component) {
        return None;
    }
    Some(dir.join(name))
}

fn load(
    dir: Option<&Path>,
    boundary: Option<&Path>,
    name: &str,
) -> std::result::Result<Option<String>, minijinja::Error> {
    if let Some(path) = override_path(dir, name) {
        // Inside is decided on the canonical path: a symlinked override (or override folder)
        // cannot make specops render a file from outside the repository.
        let refused = match boundary.map(|root| crate::fsx::outside(root, &path)) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(target))) => Some(format!(
                "it leads outside the repository (to {}) through a symlink",
                target.display()
            )),
            Some(Err(e)) => Some(e.to_string()),
        };
        if let Some(why) = refused {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("cannot read {OVERRIDE_DIR}/{name}: {why}"),
            ));
        }
        // Templates are kilobytes; the limit keeps a runaway file (or a pipe) out.
        match crate::fsx::read_regular(&path, 1024 * 1024) {
            Ok(Some(bytes)) => {
                return String::from_utf8(bytes).map(Some).map_err(|_| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("{OVERRIDE_DIR}/{name} is not valid UTF-8"),
                    )
                })
            }
            Ok(None) => {}
            Err(problem) => {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("cannot read {OVERRIDE_DIR}/{name}: {problem}"),
                ))
            }
        }
    }
    Ok(embedded(name).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_matches_the_templates_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::fsx::display(e.path(), &root))
            .filter(|n| n.ends_with(".j2"))
            .collect();
        on_disk.sort();
        let mut table: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
        table.sort();
        assert_eq!(table, on_disk);
    }

    #[test]
    fn user_text_is_data_not_template_code() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.md.j2"), "[{{ text }}]").unwrap();
        let t = Templates::new(Some(dir.path().to_path_buf()));
        let out = t
            .render(
                "t.md.j2",
                &serde_json::json!({"text": "{{ 7*7 }} {% if x %}"}),
            )
            .unwrap();
        assert_eq!(out, "[{{ 7*7 }} {% if x %}]");
    }

    #[test]
    fn override_wins_and_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("spec.md.j2"), "line one\n{{ nope }}\n").unwrap();
        let t = Templates::new(Some(dir.path().to_path_buf()));
        assert!(t.is_overridden("spec.md.j2"));
        let err = t.render("spec.md.j2", &serde_json::json!({})).unwrap_err();
        let e = err.downcast_ref::<Error>().unwrap();
        assert_eq!(e.kind, ErrorKind::Template);
        assert!(
            e.message.contains(".specops/templates/spec.md.j2:2"),
            "{}",
            e.message
        );
        assert!(e.message.contains("undefined"), "{}", e.message);
    }

    #[test]
    fn syntax_error_and_self_include_are_errors_not_crashes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md.j2"), "ok\n{% if %}\n").unwrap();
        std::fs::write(dir.path().join("b.md.j2"), "{% include 'b.md.j2' %}").unwrap();
        let t = Templates::new(Some(dir.path().to_path_buf()));
        let a = t.render("a.md.j2", &()).unwrap_err().to_string();
        assert!(a.contains(".specops/templates/a.md.j2:2"), "{a}");
        let b = t.render("b.md.j2", &()).unwrap_err().to_string();
        assert!(b.contains("b.md.j2"), "{b}");
    }

    #[test]
    fn include_cannot_escape_the_override_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("secret"), "TOP SECRET").unwrap();
        std::fs::write(dir.path().join("sub/x.md.j2"), "{% include '../secret' %}").unwrap();
        let t = Templates::new(Some(dir.path().join("sub")));
        let err = t.render("x.md.j2", &()).unwrap_err().to_string();
        assert!(err.contains("template error"), "{err}");
    }
}

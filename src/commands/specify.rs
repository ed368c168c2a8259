//! `specops specify <DESCRIPTION…>`: number a new feature, cut its branch, scaffold its spec.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use git2::Repository;
use serde::Serialize;

use crate::claim::{self, Want};
use crate::cli::SpecifyArgs;
use crate::config::CONFIG_PATH;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature::FeatureRef;
use crate::git::{self, Switched};
use crate::layout;
use crate::naming::{BranchFields, Key, Numbering};
use crate::numbering::Names;
use crate::report::{self, escaped, style, Output, Report};
use crate::slug;
use crate::workspace::Workspace;

/// The longest title, in characters, before it is cut on a word boundary.
const TITLE_MAX: usize = 80;

/// What `specify` did or, with `--dry-run`, would do. Its JSON form is the contract of
/// `--json`: exactly these seven keys, paths relative to the repository root with `/`.
#[derive(Debug, Serialize)]
pub(crate) struct SpecifyReport {
    /// The zero-padded number, e.g. `001`.
    pub feature_number: String,
    pub short_name: String,
    /// `NNN-short-name`, whether or not a branch was made.
    pub branch: String,
    pub feature_dir: String,
    pub spec_file: String,
    pub checklist_file: String,
    /// Whether this run created the branch and checked it out (always false in a dry run).
    pub branch_created: bool,
    #[serde(skip)]
    pub dry_run: bool,
    #[serde(skip)]
    pub branching: Branching,
    /// Notes for stderr, e.g. that the short name fell back to `feature`.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What happens (or would happen) to git.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Branching {
    /// The branch is created at HEAD's commit and checked out.
    Branch,
    /// The repository has no commit yet: HEAD names the branch, the first commit creates it.
    Unborn,
    /// No branch: `--no-branch`.
    NoBranchFlag,
    /// No branch: `branch.create: false` in the config.
    NoBranchConfig,
    /// No branch: not inside a git work tree.
    NotGit,
    /// `--branch NAME`: an existing branch, checked out by this run.
    Existing,
    /// `--branch NAME`: the existing branch that was already the current one.
    ExistingCurrent,
}

/// The context of `spec.md.j2` and `checklist.md.j2`.
#[derive(Serialize)]
struct SpecContext<'a> {
    feature: &'a FeatureRef,
    title: String,
    description: &'a str,
    date: String,
    version: &'static str,
}

/// Run `specops specify`.
pub(crate) fn run(global: &Output, args: &SpecifyArgs) -> Result<Outcome> {
    let cwd = std::env::current_dir().map_err(|e| {
        Error::environment(
            format!("cannot read the current directory: {e}"),
            "cd into an existing folder",
        )
    })?;
    let report = specify(&cwd, args)?;
    for warning in &report.warnings {
        report::warn(global, warning);
    }
    report::emit(global, &report).map_err(|e| unreported(&report, &e))?;
    Ok(Outcome::Success)
}

/// The error for a report that could not be written. The feature stays: it is complete, and
/// undoing a branch already checked out would be worse than a lost message. The error says
/// what exists, so that nobody runs `specify` again for a second feature.
fn unreported(report: &SpecifyReport, err: &anyhow::Error) -> anyhow::Error {
    if report.dry_run {
        return Error::environment(
            format!("{err}"),
            "nothing was created; run it again with an output it can write to",
        )
        .into();
    }
    let branch = if report.branch_created {
        format!(" on branch {}", report.branch)
    } else {
        String::new()
    };
    Error::environment(
        format!(
            "{err}; feature {} was created all the same, in {}/{branch}",
            report.feature_number, report.feature_dir
        ),
        "the feature is complete: see it with `specops list` rather than running specify again, which would create another one",
    )
    .into()
}

/// Create the next feature for a run started in `cwd`.
pub(crate) fn specify(cwd: &Path, args: &SpecifyArgs) -> Result<SpecifyReport> {
    let description = plain_text(&args.description.join(" "));
    if description.trim().is_empty() {
        return Err(Error::usage(
            "the description is empty",
            "say what the infrastructure must do and why, e.g. specops specify \"Multi-tenant Kubernetes platform with namespace isolation\"",
        )
        .into());
    }
    if args.number == Some(0) {
        return Err(Error::usage(
            "feature numbers start at 1",
            "give --number 1 or higher, or leave it out to take the next free number",
        )
        .into());
    }
    let repo = git::discover(cwd)?;
    if repo.as_ref().is_some_and(Repository::is_bare) {
        return Err(Error::environment(
            "this is a bare repository: it has no work tree to hold the feature folder",
            "run specops specify in a clone or a worktree of it",
        )
        .into());
    }
    let ws = Workspace::discover(cwd)?;
    let mut branching = branching(args, &ws, repo.as_ref())?;
    let mut warnings = Vec::new();
    let short_name = short_name(args, &description, &mut warnings);

    let specs_dir = ws.specs_dir();
    let specs_display = ws.display(&specs_dir);
    if specs_dir.exists() && !specs_dir.is_dir() {
        return Err(Error::input(
            format!("{specs_display} is a file, not a folder for features"),
            format!("move the file aside, or set specs_dir in {CONFIG_PATH} to another folder"),
        )
        .into());
    }
    if args.fetch {
        let Some(repo) = &repo else {
            return Err(Error::usage(
                "--fetch needs a git repository, and this folder is not in one",
                "drop --fetch",
            )
            .into());
        };
        git::fetch_all(repo)?;
    }
    let branches = match &repo {
        Some(repo) => git::branch_names(repo)?,
        None => git::BranchNames::default(),
    };
    let names = Names {
        folders: claim::folder_names(&specs_dir)?,
        local_branches: branches.local,
        remote_branches: branches.remote,
    };
    let naming = &ws.naming;
    let ticket = ticket(args, &ws)?;
    let want = want(args, &ws, &names, ticket.as_deref())?;
    if let Want::Exactly(key) = &want {
        claim::ensure_free(key, &names, naming, &specs_display)?;
    }
    let templates = ws.templates();
    let date = crate::dates::today()?;
    let render = |feature: &FeatureRef| -> Result<(String, String)> {
        let ctx = SpecContext {
            feature,
            title: title(&description),
            description: &description,
            date: date.clone(),
            version: env!("CARGO_PKG_VERSION"),
        };
        Ok((
            templates.render("spec.md.j2", &ctx)?,
            templates.render("checklist.md.j2", &ctx)?,
        ))
    };

    if args.dry_run {
        let (Want::Exactly(key) | Want::From(key)) = &want;
        let mut feature = FeatureRef::new(key, &short_name, &specs_display);
        if let Some(name) = &args.branch {
            feature.branch = name.clone();
        }
        if matches!(branching, Branching::Branch | Branching::Unborn) {
            feature.branch = branch_name(&ws, repo.as_ref(), &feature, key, ticket.as_deref())?;
        }
        // Render anyway, so a broken template override shows up in a dry run too.
        render(&feature)?;
        return Ok(report_for(&ws, &feature, branching, true, warnings));
    }

    // The feature folder is made on the existing branch, so that it is numbered by what that
    // branch holds and committed there.
    if let (Some(repo), Some(name)) = (&repo, &args.branch) {
        git::switch_to(repo, name)?;
    }
    // Held until this function returns: in a repository, other worktrees' runs keep off the
    // number until its branch exists.
    let claimed = claim::claim(
        &specs_dir,
        &short_name,
        want,
        &names,
        repo.as_ref().map(Repository::commondir),
        naming,
        &specs_display,
    )?;
    let mut undo = Undo::new(claimed.dir.clone());
    let mut feature = FeatureRef::new(&claimed.key, &short_name, &specs_display);
    if let Some(name) = &args.branch {
        feature.branch = name.clone();
    }
    if matches!(branching, Branching::Branch | Branching::Unborn) {
        feature.branch = branch_name(
            &ws,
            repo.as_ref(),
            &feature,
            &claimed.key,
            ticket.as_deref(),
        )?;
    }
    let (spec, checklist) = render(&feature)?;
    for (path, contents) in [
        (claimed.dir.join(layout::SPEC), spec),
        (claimed.dir.join(layout::QUALITY_CHECKLIST), checklist),
    ] {
        crate::fsx::create_new_atomic(&path, contents.as_bytes())?;
        undo.files.push(path);
    }
    if let (Some(repo), Branching::Branch | Branching::Unborn) = (&repo, branching) {
        branching = match git::create_and_switch(repo, &feature.branch)? {
            Switched::Created => Branching::Branch,
            Switched::Unborn => Branching::Unborn,
        };
    }
    if let (Some(repo), Some(name)) = (&repo, &args.branch) {
        let folder = claimed.dir.file_name().map(|f| f.to_string_lossy());
        git::record_feature(repo, name, folder.as_deref().unwrap_or_default())?;
    }
    undo.disarm();
    Ok(report_for(&ws, &feature, branching, false, warnings))
}

/// The new feature's branch, by `branch.template`.
fn branch_name(
    ws: &Workspace,
    repo: Option<&Repository>,
    feature: &FeatureRef,
    key: &Key,
    ticket: Option<&str>,
) -> Result<String> {
    let user = match repo {
        Some(repo) if ws.naming.template_uses("user") => {
            git::user(repo).and_then(|u| slug::sanitize(&u))
        }
        _ => None,
    };
    let fields = BranchFields {
        key: Some(key),
        name: &feature.short_name,
        user: user.as_deref(),
        ticket,
    };
    ws.naming.branch_name(&fields).map_err(|missing| {
        let hint = match missing {
            "user" => "set git's user.email or user.name (git config user.email you@example.com)",
            "ticket" => "pass --ticket, e.g. --ticket PLAT-123",
            _ => "fix branch.template in the config",
        };
        Error::usage(
            format!(
                "branch.template `{}` needs {{{missing}}}, which has no value here",
                ws.config.branch.template
            ),
            hint,
        )
        .into()
    })
}

/// The `--ticket` value, checked against the ticket pattern; an error where nothing uses it.
fn ticket(args: &SpecifyArgs, ws: &Workspace) -> Result<Option<String>> {
    let Some(given) = &args.ticket else {
        return Ok(None);
    };
    if ws.config.numbering != Numbering::Ticket && !ws.naming.template_uses("ticket") {
        return Err(Error::usage(
            "--ticket is given, but nothing here uses it",
            format!("set `numbering: ticket` or a branch.template with {{ticket}} in {CONFIG_PATH}, or drop --ticket"),
        )
        .into());
    }
    let given = given.trim();
    let ticket = ws.naming.ticket(given).map_err(|e| {
        let upper = given.to_ascii_uppercase();
        let hint = if ws.naming.ticket(&upper).is_ok() {
            format!("tickets are written as the pattern says: --ticket {upper}")
        } else {
            format!("pass a ticket such as PLAT-123, or change ticket_pattern in {CONFIG_PATH}")
        };
        Error::usage(e, hint)
    })?;
    Ok(Some(ticket))
}

/// The key to claim, by the project's numbering.
fn want(args: &SpecifyArgs, ws: &Workspace, names: &Names, ticket: Option<&str>) -> Result<Want> {
    let numbering = ws.config.numbering;
    if args.number.is_some() && numbering != Numbering::Sequential {
        return Err(Error::usage(
            format!(
                "--number is for sequential numbering, and {CONFIG_PATH} sets `numbering: {}`",
                numbering.name()
            ),
            match numbering {
                Numbering::Ticket => "name the feature's ticket with --ticket instead",
                _ => "leave it out: the timestamp of this run names the feature",
            },
        )
        .into());
    }
    Ok(match numbering {
        Numbering::Sequential => match args.number {
            Some(n) => Want::Exactly(Key::Number(n)),
            None => Want::From(Key::Number(
                names.next(&ws.naming).ok_or_else(claim::no_number_left)?,
            )),
        },
        // A second already taken (another run in the same second, or a fetched remote
        // branch) moves on to the next free second: see `claim`.
        Numbering::Timestamp => Want::From(Key::Stamp(crate::dates::now()?)),
        Numbering::Ticket => match ticket {
            Some(t) => Want::Exactly(Key::Ticket(t.to_string())),
            None => {
                return Err(Error::usage(
                    format!("this project names features after tickets (`numbering: ticket` in {CONFIG_PATH}), and no --ticket is given"),
                    "pass the ticket, e.g. specops specify --ticket PLAT-123 \"<description>\"",
                )
                .into())
            }
        },
    })
}

/// What to do about git, before anything is written.
fn branching(args: &SpecifyArgs, ws: &Workspace, repo: Option<&Repository>) -> Result<Branching> {
    if let Some(name) = &args.branch {
        let Some(repo) = repo else {
            return Err(Error::usage(
                "--branch needs a git repository, and this folder is not in one",
                "drop --branch",
            )
            .into());
        };
        git::ensure_clean_state(repo)?;
        let current = git::current_branch(repo.workdir().unwrap_or(repo.path()))?;
        return Ok(if current.as_deref() == Some(name.as_str()) {
            Branching::ExistingCurrent
        } else {
            Branching::Existing
        });
    }
    Ok(match repo {
        _ if args.no_branch => Branching::NoBranchFlag,
        _ if !ws.config.branch.create => Branching::NoBranchConfig,
        None => Branching::NotGit,
        Some(repo) => {
            git::ensure_clean_state(repo)?;
            match repo.head() {
                Err(e) if e.code() == git2::ErrorCode::UnbornBranch => Branching::Unborn,
                _ => Branching::Branch,
            }
        }
    })
}

/// The short name from `--short-name` or the description; `feature`, with a warning, when
/// nothing usable is left.
fn short_name(args: &SpecifyArgs, description: &str, warnings: &mut Vec<String>) -> String {
    let (derived, source) = match &args.short_name {
        Some(given) => (slug::sanitize(given), "--short-name"),
        None => (slug::from_description(description), "the description"),
    };
    derived.unwrap_or_else(|| {
        warnings.push(format!(
            "{source} leaves no usable word for a short name; using `{}` (choose one with --short-name NAME)",
            slug::FALLBACK
        ));
        slug::FALLBACK.to_string()
    })
}

fn report_for(
    ws: &Workspace,
    feature: &FeatureRef,
    branching: Branching,
    dry_run: bool,
    warnings: Vec<String>,
) -> SpecifyReport {
    let dir = ws.root.join(&feature.dir);
    SpecifyReport {
        feature_number: feature.number.clone(),
        short_name: feature.short_name.clone(),
        branch: feature.branch.clone(),
        feature_dir: ws.display(&dir),
        spec_file: ws.display(&dir.join(layout::SPEC)),
        checklist_file: ws.display(&dir.join(layout::QUALITY_CHECKLIST)),
        branch_created: !dry_run && matches!(branching, Branching::Branch | Branching::Unborn),
        dry_run,
        branching,
        warnings,
    }
}

/// What this run created, removed again unless the run succeeds, so that a failure leaves
/// nothing half-written. Only files this run wrote and folders that are then empty go.
struct Undo {
    dir: PathBuf,
    files: Vec<PathBuf>,
    armed: bool,
}

impl Undo {
    fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            files: Vec::new(),
            armed: true,
        }
    }

    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        for file in &self.files {
            let _ = std::fs::remove_file(file);
        }
        // `remove_dir` only removes empty folders: anything someone else put there stays.
        let _ = std::fs::remove_dir(self.dir.join(layout::CHECKLISTS));
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// `text` with its lines ended by `\n` (a CR, bare or before LF, ends a line as everywhere
/// else) and every other control character but a tab turned into a space: the description is
/// written into the spec, where an escape sequence has no business and a stray CR would split
/// the title.
fn plain_text(text: &str) -> String {
    crate::markdown::line_ranges(text)
        .map(|r| {
            text[r]
                .chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The title of a description: its first line, trimmed, cut to about [`TITLE_MAX`]
/// characters on a word boundary (with `…` when cut).
pub(crate) fn title(description: &str) -> String {
    let line = description.trim().lines().next().unwrap_or_default().trim();
    let Some((cut, _)) = line.char_indices().nth(TITLE_MAX) else {
        return line.to_string();
    };
    let head = &line[..cut];
    if line[cut..].starts_with(char::is_whitespace) {
        return format!("{}…", head.trim_end());
    }
    match head.rfind(char::is_whitespace) {
        Some(space) => format!("{}…", head[..space].trim_end()),
        None => format!("{head}…"),
    }
}

impl Report for SpecifyReport {
    /// A dry run's preview is what it is run for: `-q` keeps it.
    fn quiet_silences(&self) -> bool {
        !self.dry_run
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let (bold, ok, dim) = (style::BOLD, style::OK, style::DIM);
        if self.dry_run {
            writeln!(
                out,
                "{bold}Dry run: would create feature {} in {}/{bold:#} {dim}(nothing written){dim:#}",
                self.feature_number,
                escaped(&self.feature_dir)
            )?;
        } else {
            writeln!(
                out,
                "{bold}Created feature {} in {}/{bold:#}",
                self.feature_number,
                escaped(&self.feature_dir)
            )?;
        }
        let would = |done: &'static str, planned: &'static str| {
            if self.dry_run {
                planned
            } else {
                done
            }
        };
        let branch = match self.branching {
            Branching::Branch => format!(
                "{} ({})",
                self.branch,
                would(
                    "created and checked out",
                    "would be created and checked out"
                )
            ),
            Branching::Unborn => format!(
                "{} ({}; no commit yet, so your first commit creates it)",
                self.branch,
                would("checked out", "would be checked out")
            ),
            Branching::NoBranchFlag => "none (--no-branch)".to_string(),
            Branching::NoBranchConfig => format!("none (branch.create is false in {CONFIG_PATH})"),
            Branching::NotGit => "none (not inside a git work tree)".to_string(),
            Branching::Existing => format!(
                "{} ({})",
                escaped(&self.branch),
                would(
                    "existing branch, checked out",
                    "existing branch, would be checked out"
                )
            ),
            Branching::ExistingCurrent => {
                format!(
                    "{} (existing branch, the current one)",
                    escaped(&self.branch)
                )
            }
        };
        writeln!(out, "  {ok}branch{ok:#}     {branch}")?;
        writeln!(out, "  {ok}spec{ok:#}       {}", escaped(&self.spec_file))?;
        writeln!(
            out,
            "  {ok}checklist{ok:#}  {}",
            escaped(&self.checklist_file)
        )?;
        if !matches!(
            self.branching,
            Branching::Branch
                | Branching::Unborn
                | Branching::Existing
                | Branching::ExistingCurrent
        ) {
            writeln!(
                out,
                "\nNo branch names this feature: select it in later commands with\n  export SPECOPS_FEATURE={}\nor pass --feature {} to each of them.",
                self.feature_number, self.feature_number
            )?;
        }
        if self.dry_run {
            return Ok(());
        }
        writeln!(out, "\nNext:")?;
        writeln!(
            out,
            "  1. Fill in the spec (or let /specops.specify in your AI assistant do it): answer every\n     [NEEDS CLARIFICATION: …] and tick every item of the checklist."
        )?;
        writeln!(out, "  2. specops check")?;
        writeln!(
            out,
            "  3. specops plan \"<technology choices, e.g. EKS for Kubernetes, ArgoCD for GitOps>\""
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let long = "word ".repeat(30);
        let unbroken = "x".repeat(100);
        let exact = format!("{} tail", "y".repeat(80));
        for (description, expected) in [
            ("  Multi-tenant EKS  ", "Multi-tenant EKS".to_string()),
            ("First line\nsecond line", "First line".to_string()),
            (
                "\n\n  Leading blank lines\n",
                "Leading blank lines".to_string(),
            ),
            (&long, format!("{}…", "word ".repeat(16).trim_end())),
            (&unbroken, format!("{}…", "x".repeat(80))),
            (&exact, format!("{}…", "y".repeat(80))),
            ("{{ 7*7 }}", "{{ 7*7 }}".to_string()),
            ("日本語のクラスター", "日本語のクラスター".to_string()),
        ] {
            assert_eq!(title(description), expected, "{description:?}");
        }
        for (raw, plain) in [
            ("EKS\rfor tenants", "EKS\nfor tenants"),
            ("a\r\nb\n\nc\r", "a\nb\n\nc"),
            ("red \u{1b}[31m\u{9b}1m\ttab", "red  [31m 1m\ttab"),
        ] {
            assert_eq!(plain_text(raw), plain, "{raw:?}");
        }
        let cjk = "語".repeat(200);
        assert_eq!(title(&cjk).chars().count(), TITLE_MAX + 1);
    }
}

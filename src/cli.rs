//! The command-line interface: one struct per command; doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Specification-Driven Development for Infrastructure-as-Code.
///
/// specops numbers features, cuts one git branch per feature, scaffolds infrastructure
/// specifications, plans and task lists from templates, and lints them so that a pre-commit
/// hook or a CI step fails while ambiguity remains.
#[derive(Debug, Parser)]
#[command(
    name = "specops",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with `specops init --ai claude`, then `specops specify \"…\"`.\n\
Exit codes: 0 success, 1 problems found (lint errors, blocked gate), 2 usage, configuration or input error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Print one JSON object on stdout and nothing else there.
    #[arg(long, global = true)]
    pub json: bool,

    /// Silence confirmations and warnings (answers such as list, next, trace and rule, and
    /// failures, still print).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Run as if specops was started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,
}

impl GlobalArgs {
    /// How commands print, as these flags ask.
    pub fn output(&self) -> crate::report::Output {
        crate::report::Output {
            json: self.json,
            quiet: self.quiet,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl From<ColorChoice> for crate::report::Color {
    fn from(c: ColorChoice) -> Self {
        match c {
            ColorChoice::Auto => Self::Auto,
            ColorChoice::Always => Self::Always,
            ColorChoice::Never => Self::Never,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    Specify(SpecifyArgs),
    Plan(PlanArgs),
    Tasks(TasksArgs),
    Next(NextArgs),
    Done(DoneArgs),
    Trace(TraceArgs),
    Check(CheckArgs),
    Rule(RuleArgs),
    #[command(subcommand)]
    Config(ConfigCommand),
    #[command(alias = "status")]
    List(ListArgs),
    #[command(subcommand)]
    Hook(HookCommand),
    Upgrade(UpgradeArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Lsp(LspArgs),
}

/// Set a repository up: constitution, config, specs/ and AI-assistant slash commands.
#[derive(Debug, Args)]
#[command(after_help = crate::agents::help())]
pub struct InitArgs {
    /// The repository to set up (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Install slash commands for these AI assistants (comma separated or repeated).
    #[arg(long = "ai", value_name = "AGENT", value_delimiter = ',')]
    pub ai: Vec<String>,

    /// Folder for `--ai generic` command files, relative to DIR.
    #[arg(long, value_name = "DIR")]
    pub ai_dir: Option<PathBuf>,

    /// Do not run `git init` when DIR is not inside a git work tree.
    #[arg(long)]
    pub no_git: bool,

    /// Give DIR a git repository of its own, even inside another repository's work tree.
    #[arg(long, conflicts_with = "no_git")]
    pub git: bool,

    /// Rewrite the files init manages (never memory/constitution.md).
    #[arg(long)]
    pub force: bool,

    /// Also write the embedded templates to .specops/templates/ for customising.
    #[arg(long)]
    pub templates: bool,
}

/// Create the next feature: number, branch, spec.md and its quality checklist.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  specops specify \"Multi-tenant Kubernetes platform with namespace isolation\""
)]
pub struct SpecifyArgs {
    /// What the infrastructure must do and why, in plain words.
    #[arg(required = true, value_name = "DESCRIPTION")]
    pub description: Vec<String>,

    /// Use this short name instead of one derived from the description.
    #[arg(long, value_name = "NAME")]
    pub short_name: Option<String>,

    /// Use this feature number instead of the next free one (`numbering: sequential`).
    #[arg(long, value_name = "N")]
    pub number: Option<u32>,

    /// The ticket the feature is for, e.g. PLAT-123: its key with `numbering: ticket`, and
    /// `{ticket}` in `branch.template`.
    #[arg(long, value_name = "TICKET")]
    pub ticket: Option<String>,

    /// Do not create or check out a git branch.
    #[arg(long, conflicts_with = "branch")]
    pub no_branch: bool,

    /// Work on this existing local branch instead of cutting a new one (it is checked out,
    /// and later commands find the feature from it).
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,

    /// Fetch every remote first, so a number already taken on a remote is not reused.
    #[arg(long)]
    pub fetch: bool,

    /// Show what would be created; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Turn the current feature's spec into an implementation plan gated by the constitution.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  specops plan \"EKS for Kubernetes, Cilium for network policies, ArgoCD for GitOps\""
)]
pub struct PlanArgs {
    /// Technology choices, e.g. "EKS for Kubernetes, ArgoCD for GitOps".
    #[arg(value_name = "TECH CONTEXT")]
    pub tech_context: Vec<String>,

    #[command(flatten)]
    pub feature: FeatureArgs,

    /// Plan even while the spec has open clarification markers or unticked checklist items.
    #[arg(long)]
    pub allow_open: bool,

    /// Overwrite an existing plan set.
    #[arg(long)]
    pub force: bool,

    /// Only re-record the spec's fingerprint in the existing plan.md, after you updated the
    /// plan by hand for the requirements `specops check` reports changed (SO008).
    #[arg(long, conflicts_with_all = ["force", "allow_open", "tech_context"])]
    pub refresh: bool,
}

/// Derive an ordered, validation-first task list from the plan.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  specops tasks --feature 3")]
pub struct TasksArgs {
    #[command(flatten)]
    pub feature: FeatureArgs,

    /// Overwrite an existing tasks.md.
    #[arg(long)]
    pub force: bool,

    /// Derive the tasks even though the plan still has open clarification markers or
    /// unjustified gates (they are reported as a warning).
    #[arg(long)]
    pub allow_open: bool,

    /// Only re-record the plan's fingerprint in the existing tasks.md, after you updated the
    /// tasks by hand for the plan's changes (SO008).
    #[arg(long, conflicts_with_all = ["force", "allow_open"])]
    pub refresh: bool,
}

/// Which feature (and plan variant) a command works on.
#[derive(Debug, Args, Clone, Default)]
pub struct FeatureArgs {
    /// Feature number (3, 003) or folder name; default: SPECOPS_FEATURE, then the current branch.
    #[arg(long, value_name = "F")]
    pub feature: Option<String>,

    /// Work on the plan variant specs/NNN-x/variants/NAME/.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

/// Lint spec documents; exit 1 while errors remain.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  specops check\n  specops check --staged\n  specops check --format sarif > specops.sarif\n  specops check --format gitlab > gl-code-quality-report.json\n  specops check --format junit > specops-junit.xml"
)]
pub struct CheckArgs {
    /// Files or folders to lint (default: specs/ and memory/constitution.md).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<CheckFormat>,

    // Shadows the global `--json` for its help text only; the value still reaches `GlobalArgs`.
    /// Print the findings as one JSON array on stdout (the same as `--format json`).
    #[arg(long)]
    pub json: bool,

    /// Lint the staged content of changed spec files (for pre-commit).
    #[arg(long)]
    pub staged: bool,

    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Set a rule's severity: ID=off|warning|error (repeatable).
    #[arg(long = "rule", value_name = "ID=LEVEL")]
    pub rules: Vec<String>,
}

/// Explain a rule of `check`: what it finds, examples, how to fix and suppress it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  specops rule SO001\n  specops rule needs-clarification\n  specops rule --all > rules.md"
)]
pub struct RuleArgs {
    /// The rule, by ID (SO001) or name (needs-clarification).
    #[arg(
        value_name = "RULE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub rule: Option<String>,

    /// Every rule's page, in ID order.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

impl From<CheckFormat> for crate::output::Format {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Human => Self::Human,
            CheckFormat::Json => Self::Json,
            CheckFormat::Sarif => Self::Sarif,
            CheckFormat::Github => Self::Github,
            CheckFormat::Gitlab => Self::Gitlab,
            CheckFormat::Junit => Self::Junit,
        }
    }
}

/// List the tasks that can start now, for resuming work.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  specops next\n  specops next --feature 3 --json")]
pub struct NextArgs {
    #[command(flatten)]
    pub feature: FeatureArgs,
}

/// Tick tasks as done in tasks.md, changing no other byte.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  specops done T005\n  specops done T005 T006 --feature 3")]
pub struct DoneArgs {
    /// The task IDs to tick, e.g. T005.
    #[arg(required = true, value_name = "TASK")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub feature: FeatureArgs,
}

/// Trace each requirement to its scenarios, plan row, tasks and the files that cite it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  specops trace\n  specops trace --feature 3 --format markdown   # for a pull request"
)]
pub struct TraceArgs {
    #[command(flatten)]
    pub feature: FeatureArgs,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TraceFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    Human,
    Json,
    Markdown,
}

/// One row per feature: documents, open markers, checklist and task progress.
///
/// Features that live only on other local branches are listed too, read from each branch's
/// last commit and marked with the branch; each plan variant has a row of its own.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  specops list --json")]
pub struct ListArgs {
    /// Only the work tree's features: do not read other local branches.
    #[arg(long)]
    pub no_branches: bool,
    // Shadows the global `-q` for its help text only; the value still reaches `GlobalArgs`.
    /// Print the table all the same: it is the answer, not progress.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Bring the files `init` wrote up to this version, keeping the ones you edited
///
/// The config, slash commands and templates `init` wrote are replaced when nobody edited them;
/// an edited one stays, with the new version beside it as `<file>.new`. Never the constitution.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  specops upgrade --dry-run")]
pub struct UpgradeArgs {
    /// Replace edited files too (never the constitution).
    #[arg(long)]
    pub force: bool,

    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Manage the git pre-commit hook that runs `specops check --staged`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Example:\n  specops hook install")]
pub enum HookCommand {
    /// Install the pre-commit hook.
    #[command(
        after_help = "Example:\n  specops hook install\n  specops hook install --force   # replace a foreign hook, keeping it as pre-commit.specops-backup"
    )]
    Install {
        /// Replace a hook specops did not write.
        #[arg(long)]
        force: bool,

        /// Install the pre-push hook instead (runs `specops check` before a push, so drafts
        /// with open questions can still be committed).
        #[arg(long)]
        pre_push: bool,
    },
    /// Remove the pre-commit hook specops wrote.
    #[command(
        after_help = "Example:\n  specops hook uninstall\n  specops hook uninstall --pre-push"
    )]
    Uninstall {
        /// Remove the pre-push hook instead.
        #[arg(long)]
        pre_push: bool,
    },
}

/// About `.specops/config.yaml`: its JSON Schema.
#[derive(Debug, Subcommand)]
#[command(after_help = "Example:\n  specops config schema")]
pub enum ConfigCommand {
    /// Print the JSON Schema of .specops/config.yaml (init writes it to
    /// .specops/config.schema.json, where editors find it).
    #[command(after_help = "Example:\n  specops config schema > .specops/config.schema.json")]
    Schema,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  specops completions bash > ~/.local/share/bash-completion/completions/specops"
)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Write the man page (roff) to stdout or into a folder.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  specops man | man -l -")]
pub struct ManArgs {
    /// Write specops.1 into this folder instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Language server: the checks and the requirement graph in an editor (LSP on stdio).
///
/// Started by the editor, not by hand: it reads JSON-RPC on stdin and writes it on stdout.
/// The workspace is the client's root folder, else the current directory. See docs/lsp.md.
#[derive(Debug, Args)]
#[command(
    after_help = "Example (Neovim 0.11):\n  vim.lsp.config('specops', { cmd = { 'specops', 'lsp' }, filetypes = { 'markdown' } })\n  vim.lsp.enable('specops')\n\nEditor set-up (VS Code, Neovim, Helix, Zed): docs/lsp.md"
)]
pub struct LspArgs {
    /// Accepted for editors that pass it by habit; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}

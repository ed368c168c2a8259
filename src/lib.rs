//! specops: Specification-Driven Development for Infrastructure-as-Code.
//!
//! The binary is thin: [`run`] takes the parsed command line, dispatches to one module of
//! [`commands`], and turns the outcome into an exit code through [`exit`].

#![warn(unreachable_pub)]

pub mod agents;
pub mod citations;
pub(crate) mod claim;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod dates;
pub(crate) mod derive;
pub mod docs;
pub(crate) mod docset;
pub(crate) mod error;
pub mod exit;
pub(crate) mod feature;
pub(crate) mod fsx;
pub mod git;
pub(crate) mod hooks;
pub(crate) mod inputs;
pub(crate) mod layout;
pub mod lint;
pub(crate) mod lsp;
pub(crate) mod managed;
pub mod markdown;
pub(crate) mod naming;
pub(crate) mod numbering;
pub(crate) mod output;
pub(crate) mod parallel;
pub(crate) mod report;
pub(crate) mod slug;
pub(crate) mod status;
pub(crate) mod suggest;
pub(crate) mod team;
pub mod templates;
pub(crate) mod traceability;
pub(crate) mod workspace;

/// Where requirements are cited in a repository (the walker over [`citations::scan_file`]).
pub use inputs::citations::{
    citations_in_index, citations_in_work_tree, qualifier_names, CitationIndex, Cite, Skipped,
    MAX_CITING_BYTES,
};
/// The constitution shipped with specops (`memory/constitution.md`), for tests.
pub use managed::CONSTITUTION;

use cli::{Cli, Command};
use error::{Error, ErrorKind};
use exit::Outcome;

/// Run one command line to its end and say how it went.
pub fn run(cli: Cli) -> Outcome {
    report::init_color(cli.global.color.into());
    match dispatch(&cli) {
        Ok(outcome) => outcome,
        Err(err) => exit::report(&err),
    }
}

fn dispatch(cli: &Cli) -> error::Result<Outcome> {
    if let Some(dir) = &cli.global.directory {
        std::env::set_current_dir(dir).map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!("cannot change to directory {}: {e}", dir.display()),
                "check the path given to -C",
            )
        })?;
    }
    let g = &cli.global.output();
    match &cli.command {
        Command::Init(args) => commands::init::run(g, args),
        Command::Specify(args) => commands::specify::run(g, args),
        Command::Plan(args) => commands::plan::run(g, args),
        Command::Tasks(args) => commands::tasks::run(g, args),
        Command::Next(args) => commands::next::run(g, args),
        Command::Done(args) => commands::done::run(g, args),
        Command::Trace(args) => commands::trace::run(g, args),
        Command::Check(args) => commands::check::run(g, args),
        Command::Rule(args) => commands::rule::run(g, args),
        Command::Config(cmd) => commands::config::run(g, cmd),
        Command::List(args) => commands::list::run(g, args),
        Command::Hook(cmd) => commands::hook::run(g, cmd),
        Command::Upgrade(args) => commands::upgrade::run(g, args),
        Command::Completions(args) => commands::completions::run(g, args),
        Command::Man(args) => commands::man::run(g, args),
        Command::Lsp(args) => commands::lsp::run(g, args),
    }
}

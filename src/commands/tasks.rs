//! `specops tasks`: derive tasks.md from the plan set of the current feature.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::cli::TasksArgs;
use crate::commands::blockers::{gate, open_items, Refusal};
use crate::commands::refresh;
use crate::derive::plan::spec_fingerprint;
use crate::derive::tasks::{derive, TaskList, TasksInput};
use crate::docs::{design, plan::Plan, spec::Spec};
use crate::docset;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature::{self, FeatureRef};
use crate::fsx::{self, FileStatus, OnDiffer, PlannedFile};
use crate::layout;
use crate::lint::{kinds::Kind, Related};
use crate::markdown::Document;
use crate::report::{self, escaped, style, Output, Report};
use crate::workspace::Workspace;

/// What `tasks` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct TasksReport {
    /// tasks.md, relative to the root.
    pub tasks_file: String,
    /// Number of tasks.
    pub tasks: usize,
    /// Tasks marked `[P]`.
    pub parallel: usize,
    /// Number of phases.
    pub phases: usize,
    #[serde(skip)]
    status: FileStatus,
}

#[derive(Serialize)]
struct Context<'a> {
    feature: &'a FeatureRef,
    title: &'a str,
    plan_file: &'a str,
    date: &'a str,
    version: &'static str,
    #[serde(flatten)]
    list: &'a TaskList,
    fingerprint: String,
}

/// Run `specops tasks`.
pub(crate) fn run(global: &Output, args: &TasksArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let resolved = feature::resolve(&ws, args.feature.feature.as_deref())?;
    let plan_dir = feature::plan_dir(&resolved, args.feature.variant.as_deref())?;
    // Held while the plan set is read and tasks.md written: a `plan` run writing the set at
    // the same moment finishes first, so tasks are derived from one whole set.
    let locked = docset::Locked::open(&resolved.dir, &ws.display(&resolved.dir))?;
    if let Some(note) = &locked.recovered {
        report::warn(global, note);
    }
    let read = |path: &Path| ws.read(path);
    let plan_path = plan_dir.join(layout::PLAN);
    let plan_shown = ws.display(&plan_path);
    let plan_text = read(&plan_path)?.ok_or_else(|| {
        let again = match &args.feature.variant {
            Some(v) => format!(" --variant {v}"),
            None => String::new(),
        };
        Error::input(
            format!("{plan_shown} does not exist"),
            format!("run `specops plan{again}` first; tasks are derived from the plan"),
        )
    })?;
    if args.refresh {
        let plan = Plan::parse(&Document::parse(&plan_text));
        let again = match &args.feature.variant {
            Some(v) => format!("specops tasks --variant {v}"),
            None => "specops tasks".to_string(),
        };
        let tasks = plan_dir.join(layout::TASKS);
        // The spec's fingerprint is re-recorded too, when there is a spec (SO012).
        let spec =
            read(&resolved.dir.join(layout::SPEC))?.map(|t| Spec::parse(&Document::parse(&t)));
        return refresh::run(global, &ws, &tasks, &plan_path, &again, &|text| {
            crate::derive::refresh::tasks(&plan, &plan_text, spec.as_ref(), text)
        });
    }
    let spec_path = resolved.dir.join(layout::SPEC);
    let spec_text = read(&spec_path)?.ok_or_else(|| {
        Error::input(
            format!("{} does not exist", ws.display(&spec_path)),
            "tasks trace the spec's requirements; restore spec.md (or run `specops specify`)",
        )
    })?;
    // The plan is the tasks' source, as the spec is the plan's: while it has an open
    // clarification marker or an unjustified gate, the tasks would be derived from a guess.
    let plan_md = Document::parse(&plan_text);
    let plan = Plan::parse(&plan_md);
    let related = Related {
        plan: Some((&plan_text, &plan)),
        ..Related::default()
    };
    let blockers = open_items(&plan_shown, Kind::Plan, &plan_md, &related);
    let refusal = Refusal {
        command: "tasks",
        doing: "deriving tasks",
        document: plan_shown.clone(),
        hint: "answer each marker in the plan, tick each gate the design honours or justify it in Complexity Tracking, or derive anyway with --allow-open",
    };
    let feature_dir = ws.display(&resolved.dir);
    if let Some(refused) = gate(global, &feature_dir, blockers, args.allow_open, refusal)? {
        return Ok(refused);
    }
    let spec_md = Document::parse(&spec_text);
    let spec = Spec::parse(&spec_md);
    let facts = crate::docs::facts::parse(&spec_md);
    let resources = read(&plan_dir.join(layout::DATA_MODEL))?
        .map(|t| design::resources(&Document::parse(&t)))
        .unwrap_or_default();
    let mut choices: Vec<String> = read(&plan_dir.join(layout::RESEARCH))?
        .map(|t| design::decisions(&Document::parse(&t)))
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.name)
        .collect();
    choices.extend(plan.decided_choices().map(str::to_string));
    let quickstart = read(&plan_dir.join(layout::QUICKSTART))?
        .map(|t| design::quickstart_scenarios(&Document::parse(&t)))
        .unwrap_or_default();
    let mut contracts = Vec::new();
    for file in contract_files(&plan_dir.join(layout::CONTRACTS))? {
        if let Some(text) = read(&plan_dir.join(layout::CONTRACTS).join(&file))? {
            contracts.push(design::contract(&file, &Document::parse(&text)));
        }
    }

    let list = derive(&TasksInput {
        spec: &spec,
        resources: &resources,
        contracts: &contracts,
        choices: &choices,
        quickstart: &quickstart,
        modules: &plan.modules,
        facts: &facts,
    });
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| resolved.feature.short_name.clone());
    let date = crate::dates::today()?;
    let context = Context {
        feature: &resolved.feature,
        title: &title,
        plan_file: &plan_shown,
        date: &date,
        version: env!("CARGO_PKG_VERSION"),
        list: &list,
        // The plan's, for SO008, and the spec's requirements, for SO012 (a ticked task whose
        // requirement changed afterwards).
        fingerprint: format!(
            "{}\n{}",
            plan.tasks_fingerprint(&plan_text),
            spec_fingerprint(&spec)
        ),
    };
    let tasks_path = plan_dir.join(layout::TASKS);
    let files = [PlannedFile {
        path: tasks_path.clone(),
        contents: ws.templates().render("tasks.md.j2", &context)?.into_bytes(),
        on_differ: OnDiffer::Conflict,
    }];
    let decisions = fsx::decide(&files, args.force, &ws.root)?;
    locked.write(&files, &decisions)?;
    let report = TasksReport {
        tasks_file: ws.display(&tasks_path),
        tasks: list.task_count(),
        parallel: list.parallel_count(),
        phases: list.phases.len(),
        status: decisions
            .first()
            .map_or(FileStatus::Unchanged, |d| d.status),
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

/// The `.md` files directly in `dir`, sorted by name (none when it does not exist).
fn contract_files(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read folder", dir, &e).into()),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        // A README explains the folder; it is not a contract.
        .filter(|n| {
            n.ends_with(".md") && !n.starts_with('.') && !n.eq_ignore_ascii_case("README.md")
        })
        .collect();
    names.sort();
    Ok(names)
}

impl Report for TasksReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        let (label, st) = report::file_status(self.status);
        writeln!(
            out,
            "{}{label}{} {}: {} tasks in {} phases, {} can run in parallel.",
            st.render(),
            st.render_reset(),
            escaped(&self.tasks_file),
            self.tasks,
            self.phases,
            self.parallel
        )?;
        writeln!(
            out,
            "{}Next: review the list, then work through it in order; `specops check` reports drift.{}",
            style::DIM.render(),
            style::DIM.render_reset()
        )
    }
}

//! `specops plan`: derive the plan set of the current feature from its spec, the constitution
//! and the technology choices given on the command line.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::PlanArgs;
use crate::commands::blockers::{gate, open_items, Refusal};
use crate::commands::refresh;
use crate::derive::plan::{documents, PlanInput};
use crate::docs::{constitution, facts, spec::Spec};
use crate::docset;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::feature;
use crate::fsx::{self, FileStatus, OnDiffer, PlannedFile};
use crate::layout;
use crate::lint::{kinds::Kind, Related};
use crate::markdown;
use crate::report::{self, escaped, style, Output, Report};
use crate::workspace::Workspace;

/// What `plan` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct PlanReport {
    /// The feature folder, relative to the root.
    pub feature_dir: String,
    /// The plan, relative to the root.
    pub plan_file: String,
    /// Every document of the plan set, relative to the root.
    pub files: Vec<String>,
    /// Gates to answer: the Phase -1 gates plus one per constitution article.
    pub gates: usize,
    /// Requirement IDs traced.
    pub requirements: usize,
    /// Open markers and unticked checklist items planned over with `--allow-open`.
    pub open_items: usize,
    #[serde(skip)]
    statuses: Vec<FileStatus>,
}

/// Run `specops plan`.
pub(crate) fn run(global: &Output, args: &PlanArgs) -> Result<Outcome> {
    let ws = Workspace::current()?;
    let resolved = feature::resolve(&ws, args.feature.feature.as_deref())?;
    let out_dir = feature::plan_dir(&resolved, args.feature.variant.as_deref())?;
    let spec_path = resolved.dir.join(layout::SPEC);
    let spec_shown = ws.display(&spec_path);
    let spec_text = ws.read(&spec_path)?.ok_or_else(|| {
        Error::input(
            format!("{spec_shown} does not exist"),
            "write the spec first: `specops specify \"<description>\"` creates it",
        )
    })?;
    if args.refresh {
        let spec = Spec::parse(&markdown::Document::parse(&spec_text));
        let again = match &args.feature.variant {
            Some(v) => format!("specops plan --variant {v}"),
            None => "specops plan".to_string(),
        };
        let plan = out_dir.join(layout::PLAN);
        // Under the feature's lock, so a `plan` or `tasks` run cannot write the set meanwhile.
        let locked = docset::Locked::open(&resolved.dir, &ws.display(&resolved.dir))?;
        if let Some(note) = &locked.recovered {
            report::warn(global, note);
        }
        return refresh::run(global, &ws, &plan, &spec_path, &again, &|text| {
            crate::derive::refresh::plan(&spec, text)
        });
    }
    let checklist_path = resolved.dir.join(layout::QUALITY_CHECKLIST);
    let checklist_shown = ws.display(&checklist_path);
    let checklist = ws.read(&checklist_path)?;
    let constitution_path = ws.constitution();
    let constitution_shown = ws.display(&constitution_path);
    let constitution_text = ws.read(&constitution_path)?.ok_or_else(|| {
        Error::environment(
            format!("there is no constitution at {constitution_shown}; its articles are the plan's gates"),
            "run `specops init` to write the default constitution, or point `constitution:` in .specops/config.yaml at yours",
        )
    })?;

    // What `check` reports as open in the spec and its quality checklist, found by the same
    // rules: the two never disagree about whether a spec is ready.
    let spec_md = markdown::Document::parse(&spec_text);
    let mut blockers = open_items(&spec_shown, Kind::Spec, &spec_md, &Related::default());
    if let Some(text) = &checklist {
        let md = markdown::Document::parse(text);
        blockers.extend(open_items(
            &checklist_shown,
            Kind::Checklist,
            &md,
            &Related::default(),
        ));
    }
    let feature_dir = ws.display(&resolved.dir);
    let open = blockers.len();
    let refusal = Refusal {
        command: "plan",
        doing: "planning",
        document: feature_dir.clone(),
        hint: "answer each marker in the spec and tick the checklist (or run /specops.clarify), or plan anyway with --allow-open",
    };
    if let Some(refused) = gate(global, &feature_dir, blockers, args.allow_open, refusal)? {
        return Ok(refused);
    }

    let spec = Spec::parse(&spec_md);
    let facts = facts::parse(&spec_md);
    let articles = constitution::articles(&markdown::Document::parse(&constitution_text));
    if articles.is_empty() {
        report::warn(
            global,
            &format!("{constitution_shown} has no `Article <number>: <title>` headings, so the plan has no article gates"),
        );
    }
    let tech_context = args.tech_context.join(" ");
    let date = crate::dates::today()?;
    let input = PlanInput {
        feature: &resolved.feature,
        spec: &spec,
        facts: &facts,
        articles: &articles,
        tech_context: &tech_context,
        variant: args.feature.variant.as_deref(),
        date: &date,
    };
    let (docs, counts) = documents(&input);
    let templates = ws.templates();
    let mut files = Vec::with_capacity(docs.len());
    for d in &docs {
        files.push(PlannedFile {
            path: out_dir.join(&d.path),
            contents: templates.render(d.template, &d.context)?.into_bytes(),
            on_differ: OnDiffer::Conflict,
        });
    }
    // The set is written as one unit, deciding under the feature's lock on what is there then.
    let locked = docset::Locked::open(&resolved.dir, &feature_dir)?;
    if let Some(note) = &locked.recovered {
        report::warn(global, note);
    }
    let decisions = fsx::decide(&files, args.force, &ws.root)?;
    locked.write(&files, &decisions)?;
    let contracts = out_dir.join(layout::CONTRACTS);
    std::fs::create_dir_all(&contracts).map_err(|e| Error::io("create folder", &contracts, &e))?;

    let report = PlanReport {
        feature_dir,
        plan_file: ws.display(&out_dir.join(layout::PLAN)),
        files: decisions.iter().map(|d| ws.display(&d.path)).collect(),
        gates: counts.gates,
        requirements: counts.requirements,
        open_items: open,
        statuses: decisions.iter().map(|d| d.status).collect(),
    };
    report::emit(global, &report)?;
    Ok(Outcome::Success)
}

impl Report for PlanReport {
    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{}Planned {}{}",
            style::BOLD.render(),
            escaped(&self.feature_dir),
            style::BOLD.render_reset()
        )?;
        for (path, status) in self.files.iter().zip(&self.statuses) {
            let (label, st) = report::file_status(*status);
            writeln!(
                out,
                "  {}{label:<9}{} {}",
                st.render(),
                st.render_reset(),
                escaped(path)
            )?;
        }
        writeln!(
            out,
            "\n{} gates to answer, {} requirements traced.",
            self.gates, self.requirements
        )?;
        writeln!(
            out,
            "Next: fill in {} and the documents beside it, then run `specops tasks`.",
            escaped(&self.plan_file)
        )
    }
}

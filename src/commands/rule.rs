//! `specops rule SO001` / `specops rule --all`: rule pages, from the rule registry.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::RuleArgs;
use crate::error::{Error, Result};
use crate::exit::Outcome;
use crate::lint::page::Page;
use crate::lint::{rule_index, RULES};
use crate::report::{self, Output, Report};

/// One rule's page (`--json`: the page's fields).
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct One(Page);

/// Every rule's page (`--json`: `{"rules": [page, …]}`).
#[derive(Debug, Serialize)]
struct All {
    rules: Vec<Page>,
}

impl Report for One {
    fn quiet_silences(&self) -> bool {
        false
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.0.markdown().as_bytes())
    }
}

impl Report for All {
    fn quiet_silences(&self) -> bool {
        false
    }

    fn human(&self, out: &mut dyn Write) -> io::Result<()> {
        for (i, page) in self.rules.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            out.write_all(page.markdown().as_bytes())?;
        }
        Ok(())
    }
}

/// Run `specops rule`.
pub(crate) fn run(global: &Output, args: &RuleArgs) -> Result<Outcome> {
    match &args.rule {
        Some(key) => {
            let i = rule_index(key).ok_or_else(|| {
                let names = RULES.iter().flat_map(|r| [r.id, r.name]);
                Error::usage(
                    format!("unknown rule `{}`", key.trim()),
                    format!(
                        "{}`specops rule --all` shows every rule",
                        crate::suggest::did_you_mean(key, names)
                    ),
                )
            })?;
            report::emit(global, &One(Page::new(RULES[i])))?;
        }
        None => {
            let rules = RULES.iter().map(|r| Page::new(r)).collect();
            report::emit(global, &All { rules })?;
        }
    }
    Ok(Outcome::Success)
}

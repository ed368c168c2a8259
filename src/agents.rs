//! AI coding assistants and the slash commands specops installs into them.
//!
//! Every assistant keeps its custom commands (prompts, workflows, recipes, skills) in its own
//! folder and format. [`AGENTS`] records, per assistant, where that folder is, how a file there
//! is laid out, and which placeholder the assistant replaces with what the user typed after the
//! command. [`wrap`] turns a rendered Markdown prompt body into the file the assistant expects.
//!
//! Where an assistant documents no placeholder for the command's arguments, its row uses
//! `$ARGUMENTS` (and says so). The prompt bodies tell the model to fall back to the user's
//! message when the placeholder reaches it unreplaced, so the commands still work there.

use crate::error::{Error, ErrorKind, Result};
use crate::templates::OVERRIDE_DIR;

/// How a command file is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain Markdown: the prompt body and nothing else.
    Markdown,
    /// Markdown opened by a YAML front matter block carrying `description`.
    MarkdownFrontMatter,
    /// An Agent Skill: a folder per command holding `SKILL.md`, whose front matter carries
    /// `name` (the folder name) and `description`.
    Skill,
    /// TOML with a `description` string and a multi-line `prompt` string.
    Toml,
    /// A YAML recipe: `version`, `title`, `description`, an `args` parameter and `prompt`.
    Yaml,
}

/// One AI coding assistant that specops can install slash commands into.
#[derive(Debug)]
pub struct Agent {
    /// The value of `--ai`, lower-case.
    pub key: &'static str,
    /// The assistant's name, for people.
    pub name: &'static str,
    /// Folder of the command files, relative to the repository root; empty for `generic`,
    /// whose folder the user names with `--ai-dir`.
    pub dir: &'static str,
    /// How a command file is laid out.
    pub format: Format,
    /// What follows the command name in a file name: `.md`, `.prompt.md`, `.toml`,
    /// `.yaml`, or `/SKILL.md` for skills (one folder per command).
    pub extension: &'static str,
    /// The placeholder the assistant replaces with the command's arguments.
    pub args: &'static str,
    /// Front matter fields after `description` (for [`Format::MarkdownFrontMatter`]):
    /// settings the assistant documents for how the command runs.
    pub front_matter: &'static [(&'static str, Setting<'static>)],
}

/// Every assistant specops knows, `generic` last.
pub static AGENTS: &[Agent] = &[
    CLAUDE, COPILOT, GEMINI, CURSOR, CODEX, WINDSURF, OPENCODE, QWEN, KILOCODE, ROO, Q, AMP,
    AUGGIE, KIRO, CLINE, GOOSE, ZED, JUNIE, TRAE, TABNINE, GENERIC,
];

/// Claude Code: project commands are `.claude/commands/<name>.md`, optional YAML front
/// matter (`description`, `argument-hint`); `$ARGUMENTS` is everything after the command.
const CLAUDE: Agent = Agent {
    key: "claude",
    name: "Claude Code",
    dir: ".claude/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// GitHub Copilot (VS Code): workspace prompt files are `.github/prompts/<name>.prompt.md`,
/// invoked as `/<name>`, optional front matter (`description`, `agent`, `tools`…); `agent:
/// agent` runs the prompt in agent mode, where it may run specops in the terminal and edit
/// files, whatever mode the chat is in. Values come in through named input variables,
/// `${input:name}` (given as `name=value` after the command, or asked for); text typed after
/// the command also reaches the model with the prompt.
const COPILOT: Agent = Agent {
    key: "copilot",
    name: "GitHub Copilot",
    dir: ".github/prompts",
    format: Format::MarkdownFrontMatter,
    extension: ".prompt.md",
    args: "${input:args}",
    front_matter: &[("agent", Setting::Text("agent"))],
};

/// Gemini CLI: project commands are `.gemini/commands/<name>.toml` with `description` and
/// `prompt`; `{{args}}` is replaced by the text after the command.
const GEMINI: Agent = Agent {
    key: "gemini",
    name: "Gemini CLI",
    dir: ".gemini/commands",
    format: Format::Toml,
    extension: ".toml",
    args: "{{args}}",
    front_matter: &[],
};

/// Cursor: project commands are plain Markdown files in `.cursor/commands/`. No documented
/// placeholder: `$ARGUMENTS`; text typed after the command is sent along with the prompt.
const CURSOR: Agent = Agent {
    key: "cursor",
    name: "Cursor",
    dir: ".cursor/commands",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Codex CLI: repository skills are `.agents/skills/<name>/SKILL.md` with `name` and
/// `description` front matter, invoked with `$<name>` or `/skills` (custom prompts are
/// deprecated and were read only from the user's `$CODEX_HOME/prompts`). Skills document no
/// argument placeholder: `$ARGUMENTS`.
const CODEX: Agent = Agent {
    key: "codex",
    name: "Codex CLI",
    dir: ".agents/skills",
    format: Format::Skill,
    extension: "/SKILL.md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Windsurf: Cascade workflows are Markdown files in `.windsurf/workflows/` (front matter
/// `description`), invoked as `/<name>`. No documented placeholder: `$ARGUMENTS`.
const WINDSURF: Agent = Agent {
    key: "windsurf",
    name: "Windsurf",
    dir: ".windsurf/workflows",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// opencode: project commands are Markdown in `.opencode/commands/` (the singular
/// `.opencode/command/` is read too), front matter `description`; `$ARGUMENTS` documented.
const OPENCODE: Agent = Agent {
    key: "opencode",
    name: "opencode",
    dir: ".opencode/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Qwen Code: project commands are `.qwen/commands/<name>.md` with front matter
/// (`description`, `argument-hint`) and `$ARGUMENTS`; its TOML command files (the Gemini
/// CLI layout) are deprecated since Qwen Code 0.10.
const QWEN: Agent = Agent {
    key: "qwen",
    name: "Qwen Code",
    dir: ".qwen/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Kilo Code: workflows (slash commands in the current extension and CLI) are Markdown in
/// `.kilo/commands/`, invoked as `/<file name>`, optional front matter (`description`,
/// `agent`, `model`…); the legacy `.kilocode/workflows/` is migrated by Kilo on startup. No
/// documented placeholder: `$ARGUMENTS`.
const KILOCODE: Agent = Agent {
    key: "kilocode",
    name: "Kilo Code",
    dir: ".kilo/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Roo Code: project commands are Markdown in `.roo/commands/`, front matter
/// (`description`, `argument-hint`). No documented placeholder: `$ARGUMENTS`.
const ROO: Agent = Agent {
    key: "roo",
    name: "Roo Code",
    dir: ".roo/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Amazon Q Developer CLI: local prompts are Markdown in `.amazonq/prompts/`, invoked as
/// `@<name>`; the file is sent as it is, followed by the text typed after the name (no
/// substitution): `$ARGUMENTS`. The CLI is maintained for security fixes only; Kiro CLI
/// replaces it.
const Q: Agent = Agent {
    key: "q",
    name: "Amazon Q Developer",
    dir: ".amazonq/prompts",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Amp: custom slash commands are Markdown files in the repository's `.agents/commands/`;
/// their text is inserted into the prompt. No documented placeholder: `$ARGUMENTS`.
const AMP: Agent = Agent {
    key: "amp",
    name: "Amp",
    dir: ".agents/commands",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Auggie (Augment Code): workspace commands are `.augment/commands/<name>.md`, front
/// matter (`description`, `argument-hint`, `model`); `$ARGUMENTS` is the text after the
/// command. (`{name}` and `{{name}}` ask the user for a value, so a body must not use braces.)
const AUGGIE: Agent = Agent {
    key: "auggie",
    name: "Auggie CLI",
    dir: ".augment/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Kiro (CLI): local prompts are plain Markdown in `.kiro/prompts/`, invoked as
/// `@<name>`. File prompts get no argument substitution: `$ARGUMENTS` stays literal and the
/// prompt body tells the model to take the input from the conversation.
const KIRO: Agent = Agent {
    key: "kiro",
    name: "Kiro",
    dir: ".kiro/prompts",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Cline: project skills are `.cline/skills/<name>/SKILL.md` (`name`, `description` front
/// matter), invoked as `/<name>`; Cline's documentation no longer describes workflows
/// (`.clinerules/workflows/`), which its changelog lists as removed. No documented
/// placeholder: `$ARGUMENTS`.
const CLINE: Agent = Agent {
    key: "cline",
    name: "Cline",
    dir: ".cline/skills",
    format: Format::Skill,
    extension: "/SKILL.md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Goose: recipes are YAML files (`version`, `title`, `description`, `parameters`,
/// `prompt`) rendered with Jinja parameters; project recipes live in `.goose/recipes/`, and a
/// slash command is a `slash_commands` entry in the goose config naming the recipe file. The
/// one argument after the command fills the recipe's `args` parameter.
const GOOSE: Agent = Agent {
    key: "goose",
    name: "Goose",
    dir: ".goose/recipes",
    format: Format::Yaml,
    extension: ".yaml",
    args: "{{ args | indent(2) }}",
    front_matter: &[],
};

/// Zed: project skills are `.agents/skills/<name>/SKILL.md` (`name`, `description` front
/// matter), invoked from the agent panel as `/<name>`. No documented placeholder:
/// `$ARGUMENTS`.
const ZED: Agent = Agent {
    key: "zed",
    name: "Zed",
    dir: ".agents/skills",
    format: Format::Skill,
    extension: "/SKILL.md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Junie (JetBrains): project commands are `.junie/commands/<name>.md`, front matter
/// (`description`, `argument-hint`, `allowPromptArgument`); names may not contain dots.
/// `$prompt` is the text after the command, other `$name` words are named arguments.
const JUNIE: Agent = Agent {
    key: "junie",
    name: "Junie",
    dir: ".junie/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$prompt",
    front_matter: &[("allowPromptArgument", Setting::Flag(true))],
};

/// Trae: project commands are Markdown files in `.trae/commands/`; command names are
/// lower-case letters, digits and hyphens. No documented placeholder: `$ARGUMENTS`.
const TRAE: Agent = Agent {
    key: "trae",
    name: "Trae",
    dir: ".trae/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Tabnine CLI: project commands are `.tabnine/agent/commands/<name>.toml` with
/// `description` and `prompt`, the Gemini CLI layout; `{{args}}` is the text after the
/// command.
const TABNINE: Agent = Agent {
    key: "tabnine",
    name: "Tabnine CLI",
    dir: ".tabnine/agent/commands",
    format: Format::Toml,
    extension: ".toml",
    args: "{{args}}",
    front_matter: &[],
};

/// Any other assistant: Markdown with a `description` front matter and `$ARGUMENTS`, in
/// the folder given with `--ai-dir`.
const GENERIC: Agent = Agent {
    key: "generic",
    name: "Generic (any other assistant)",
    dir: "",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: &[],
};

/// Folders earlier versions of specops wrote command files into, which the assistant no longer
/// documents (Kilo Code moved to `.kilo/commands/`, Cline to skills): `upgrade` removes the files
/// it wrote there.
pub(crate) static RETIRED_DIRS: &[&str] = &[".kilocode/workflows", ".clinerules/workflows"];

/// Other spellings accepted by [`find`], each with the key it stands for.
const ALIASES: &[(&str, &str)] = &[
    ("claude-code", "claude"),
    ("github-copilot", "copilot"),
    ("gemini-cli", "gemini"),
    ("cursor-agent", "cursor"),
    ("codex-cli", "codex"),
    ("qwen-code", "qwen"),
    ("kilo", "kilocode"),
    ("kilo-code", "kilocode"),
    ("roo-code", "roo"),
    ("amazonq", "q"),
    ("amazon-q", "q"),
    ("augment", "auggie"),
    ("kiro-cli", "kiro"),
    ("tabnine-cli", "tabnine"),
];

/// The assistant for a `--ai` value, ignoring case and surrounding blanks.
pub fn find(key: &str) -> Option<&'static Agent> {
    let key = key.trim();
    let key = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(key))
        .map_or(key, |(_, target)| target);
    AGENTS.iter().find(|a| a.key.eq_ignore_ascii_case(key))
}

/// The slash commands specops installs.
#[derive(Debug)]
pub struct Command {
    /// The name after `specops.`, also the name of its prompt template.
    pub name: &'static str,
    /// One line for the assistant's command menu.
    pub description: &'static str,
}

/// Every slash command, in workflow order.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "specify",
        description: "Create an infrastructure specification (what and why) from a feature description",
    },
    Command {
        name: "plan",
        description: "Derive the implementation plan, research, data model, contracts and quickstart from the spec",
    },
    Command {
        name: "tasks",
        description: "Derive the validation-first task list from the plan and review it",
    },
    Command {
        name: "implement",
        description: "Carry out the task list one task at a time, citing requirement IDs in the code",
    },
    Command {
        name: "check",
        description: "Lint the spec documents and resolve or report the findings",
    },
    Command {
        name: "clarify",
        description: "Resolve open clarification markers in the spec with at most five targeted questions",
    },
    Command {
        name: "analyze",
        description: "Report inconsistencies across spec, plan and tasks without changing any file",
    },
];

/// File name for a command, e.g. "specops.specify.md" / "specops.specify.prompt.md" /
/// "specops.specify.toml"; "specops-specify.md" where the assistant allows no dots in command
/// names, and "specops-specify/SKILL.md" for skills.
pub fn file_name(agent: &Agent, command: &Command) -> String {
    format!("{}{}", command_id(agent, command), agent.extension)
}

/// The command's name as the assistant knows it: `specops.specify`, or `specops-specify`
/// for skills and for assistants whose command names cannot contain dots.
fn command_id(agent: &Agent, command: &Command) -> String {
    let hyphen = agent.format == Format::Skill || matches!(agent.key, "junie" | "trae");
    let sep = if hyphen { '-' } else { '.' };
    format!("specops{sep}{}", command.name)
}

/// Wrap an already-rendered Markdown prompt body into the agent's on-disk format: front
/// matter (YAML) above the body, a TOML table with `description` and `prompt`, a YAML recipe,
/// or plain Markdown. TOML and YAML are written by their serializers, so any body comes out
/// as valid TOML or YAML that reads back as exactly that body.
pub(crate) fn wrap(agent: &Agent, command: &Command, body: &str) -> Result<String> {
    let id = command_id(agent, command);
    Ok(match agent.format {
        Format::Markdown => with_final_newline(body.to_string()),
        Format::MarkdownFrontMatter => {
            let mut fields = vec![("description", Setting::Text(command.description))];
            fields.extend_from_slice(agent.front_matter);
            let body = if agent.key == "junie" {
                junie_escape(body, agent.args)
            } else {
                body.to_string()
            };
            with_front_matter(&fields, &body, agent)?
        }
        Format::Skill => {
            let fields = [
                ("name", Setting::Text(&id)),
                ("description", Setting::Text(command.description)),
            ];
            with_front_matter(&fields, body, agent)?
        }
        Format::Toml => {
            let file = TomlCommand {
                description: command.description,
                prompt: body,
            };
            // Pretty output writes a prompt with line breaks as a `"""` (or `'''`) string
            // over many lines instead of one long line of `\n` escapes.
            toml::to_string_pretty(&file).map_err(|e| unwritable(agent, "TOML", &e))?
        }
        Format::Yaml => {
            let recipe = Recipe {
                version: "1.0.0",
                title: &id,
                description: command.description,
                parameters: body.contains(agent.args).then_some([RecipeParameter {
                    key: "args",
                    input_type: "string",
                    requirement: "optional",
                    default: "",
                    description: "What the user typed after the command",
                }]),
                prompt: serde_saphyr::LitStr(body),
            };
            to_yaml(&recipe, agent)?
        }
    })
}

/// A value in a command file's front matter.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(untagged)]
pub enum Setting<'a> {
    /// A string.
    Text(&'a str),
    /// A boolean.
    Flag(bool),
}

/// Front matter fields in the order given (a YAML mapping).
struct Fields<'a>(&'a [(&'a str, Setting<'a>)]);

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// A Gemini CLI style command file.
#[derive(serde::Serialize)]
struct TomlCommand<'a> {
    description: &'a str,
    prompt: &'a str,
}

/// A Goose recipe.
#[derive(serde::Serialize)]
struct Recipe<'a> {
    version: &'a str,
    title: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<[RecipeParameter<'a>; 1]>,
    /// A literal block scalar (`|`), so the prompt reads as the Markdown it is; the serializer
    /// falls back to a quoted string where a block cannot hold the text (control characters).
    prompt: serde_saphyr::LitStr<'a>,
}

#[derive(serde::Serialize)]
struct RecipeParameter<'a> {
    key: &'a str,
    input_type: &'a str,
    requirement: &'a str,
    default: &'a str,
    description: &'a str,
}

/// `---`, the fields as YAML, `---`, a blank line and the body.
fn with_front_matter(fields: &[(&str, Setting<'_>)], body: &str, agent: &Agent) -> Result<String> {
    let head = to_yaml(&Fields(fields), agent)?;
    Ok(with_final_newline(format!("---\n{head}---\n\n{body}")))
}

/// YAML with one-line strings kept on one line (a description longer than 80 characters is
/// not folded) and multi-line strings as literal blocks where asked for with `LitStr`.
fn to_yaml(value: &impl serde::Serialize, agent: &Agent) -> Result<String> {
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    Ok(serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| unwritable(agent, "YAML", &e))?)
}

fn unwritable(agent: &Agent, format: &str, err: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Template,
        format!("cannot write the {} command file as {format}: {err}", agent.name),
        format!("check the prompt templates under {OVERRIDE_DIR}/commands/, or delete an override to use the built-in one"),
    )
}

fn with_final_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Junie reads `$name` in a command as a named argument and `$$` as a literal dollar: keep the
/// argument placeholder, double every other `$` that starts a name.
fn junie_escape(body: &str, placeholder: &str) -> String {
    let keep = placeholder.strip_prefix('$').unwrap_or(placeholder);
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(after_double) = after.strip_prefix('$') {
            out.push_str("$$");
            rest = after_double;
            continue;
        }
        let name_len = after
            .char_indices()
            .find(|&(j, c)| {
                !(c == '_'
                    || c.is_ascii_alphabetic()
                    || (j > 0 && (c.is_ascii_digit() || c == '-')))
            })
            .map_or(after.len(), |(j, _)| j);
        if name_len > 0 && &after[..name_len] != keep {
            out.push('$');
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `--help` text listing the supported assistants.
pub fn help() -> String {
    let mut s = String::from("Supported assistants (--ai):\n");
    for a in AGENTS {
        let place = if a.dir.is_empty() {
            "--ai-dir DIR".to_string()
        } else {
            format!("{}/", a.dir)
        };
        s.push_str(&format!("  {:<10} {:<22} {}\n", a.key, a.name, place));
    }
    s.push_str("\nExamples:\n  specops init --ai claude\n  specops init infra --ai copilot,gemini\n  specops init --ai generic --ai-dir .assistant/commands");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const TEMPLATES: &[(&str, &str)] = &[
        (
            "specify",
            include_str!("../templates/commands/specify.md.j2"),
        ),
        ("plan", include_str!("../templates/commands/plan.md.j2")),
        ("tasks", include_str!("../templates/commands/tasks.md.j2")),
        ("check", include_str!("../templates/commands/check.md.j2")),
        (
            "clarify",
            include_str!("../templates/commands/clarify.md.j2"),
        ),
        (
            "analyze",
            include_str!("../templates/commands/analyze.md.j2"),
        ),
        (
            "implement",
            include_str!("../templates/commands/implement.md.j2"),
        ),
    ];

    /// Bodies that stress every escaping path.
    const TRICKY: &[&str] = &[
        "",
        "plain\n",
        "no final newline",
        "quotes: \"\"\" and ''' and 'single' and \"double\"\n",
        "backslashes: \\ \\\\ \\n \\u0041 C:\\path\\\n",
        "ends with a quote'",
        "ends with a double quote\"",
        "\"\"\"",
        "'''",
        "control \u{1} \u{7f} bell \u{7} and tab\t and CR\r\nlines\n",
        "unicode: é ü 漢字 🚀 \u{2028} \u{feff}\n",
        "\n\nleading blank lines\n",
        "  indented first line\n  second\n",
        "   \nspaces-only first line\n",
        "trailing blank lines\n\n\n",
        "{{args}} and $ARGUMENTS and $prompt and $HOME\n",
    ];

    fn command(name: &str) -> &'static Command {
        COMMANDS.iter().find(|c| c.name == name).unwrap()
    }

    fn agent(key: &str) -> &'static Agent {
        find(key).unwrap()
    }

    /// Render a prompt template the way the init command does: only `{{ args }}` is a tag.
    fn render(template: &str, agent: &Agent) -> String {
        template.replace("{{ args }}", agent.args)
    }

    /// What a command file holds, read back with the real TOML and YAML parsers.
    #[derive(Debug, PartialEq)]
    struct Parsed {
        /// Front matter, TOML table or recipe fields other than `prompt`, by name.
        fields: Vec<(String, String)>,
        /// The prompt: the Markdown after the front matter, or the `prompt` value.
        prompt: String,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TomlFile {
        description: String,
        prompt: String,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RecipeFile {
        version: String,
        title: String,
        description: String,
        #[serde(default)]
        parameters: Vec<ParameterFile>,
        prompt: String,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ParameterFile {
        key: String,
        input_type: String,
        requirement: String,
        default: String,
        description: String,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct FrontMatterFile {
        name: Option<String>,
        description: String,
        agent: Option<String>,
        #[serde(rename = "allowPromptArgument")]
        allow_prompt_argument: Option<bool>,
    }

    /// Read a file [`wrap`] wrote for `agent` the way the assistant would.
    fn parse(agent: &Agent, doc: &str) -> Parsed {
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        match agent.format {
            Format::Markdown => Parsed {
                fields: vec![],
                prompt: doc.to_string(),
            },
            Format::MarkdownFrontMatter | Format::Skill => {
                let rest = doc
                    .strip_prefix("---\n")
                    .expect("front matter opens the file");
                // The YAML writes every string on one line, so no value can hold this line.
                let (head, body) = rest.split_once("\n---\n").expect("front matter is closed");
                let fm: FrontMatterFile = serde_saphyr::from_str(head)
                    .unwrap_or_else(|e| panic!("front matter {head:?}: {e}"));
                let mut fields = vec![];
                fields.extend(fm.name.map(|v| ("name".to_string(), v)));
                fields.push(("description".to_string(), fm.description));
                fields.extend(fm.agent.map(|v| ("agent".to_string(), v)));
                fields.extend(
                    fm.allow_prompt_argument
                        .map(|v| ("allowPromptArgument".to_string(), v.to_string())),
                );
                Parsed {
                    fields,
                    prompt: body.strip_prefix('\n').expect("a blank line").to_string(),
                }
            }
            Format::Toml => {
                let t: TomlFile =
                    toml::from_str(doc).unwrap_or_else(|e| panic!("TOML {doc:?}: {e}"));
                Parsed {
                    fields: vec![pair("description", &t.description)],
                    prompt: t.prompt,
                }
            }
            Format::Yaml => {
                let r: RecipeFile =
                    serde_saphyr::from_str(doc).unwrap_or_else(|e| panic!("YAML {doc:?}: {e}"));
                let mut fields = vec![
                    pair("version", &r.version),
                    pair("title", &r.title),
                    pair("description", &r.description),
                ];
                for p in r.parameters {
                    fields.extend([
                        pair("key", &p.key),
                        pair("input_type", &p.input_type),
                        pair("requirement", &p.requirement),
                        pair("default", &p.default),
                        pair("description", &p.description),
                    ]);
                }
                Parsed {
                    fields,
                    prompt: r.prompt,
                }
            }
        }
    }

    /// `wrap`, then `parse`; the file must also end with a line break.
    fn round_trip(agent: &Agent, command: &Command, body: &str) -> Parsed {
        let doc = wrap(agent, command, body).unwrap();
        assert!(doc.ends_with('\n'), "{}: {doc:?}", agent.key);
        parse(agent, &doc)
    }

    /// What `round_trip` must give back: the description and the body exactly (Markdown gains
    /// a final line break; Junie's `$` escaping is its own test).
    fn assert_round_trips(agent: &Agent, command: &Command, body: &str) {
        let got = round_trip(agent, command, body);
        let description = got
            .fields
            .iter()
            .find(|(k, _)| k == "description")
            .map(|(_, v)| v.as_str());
        match agent.format {
            Format::Markdown => {}
            _ => assert_eq!(description, Some(command.description), "{}", agent.key),
        }
        // Markdown files end with a line break; after front matter an empty body stays empty
        // (the file ends with the blank line that follows the front matter).
        let want = match agent.format {
            Format::Markdown if !body.ends_with('\n') => format!("{body}\n"),
            Format::MarkdownFrontMatter | Format::Skill
                if !body.is_empty() && !body.ends_with('\n') =>
            {
                format!("{body}\n")
            }
            _ => body.to_string(),
        };
        let want = if agent.key == "junie" {
            junie_escape(&want, agent.args)
        } else {
            want
        };
        assert_eq!(got.prompt, want, "{}", agent.key);
    }

    /// A command whose description is `description` (leaked: tests only).
    fn command_described(description: &str) -> &'static Command {
        Box::leak(Box::new(Command {
            name: "plan",
            description: Box::leak(description.to_string().into_boxed_str()),
        }))
    }

    #[test]
    fn keys_are_unique_lower_case_and_generic_is_last() {
        let mut seen = HashSet::new();
        for a in AGENTS {
            assert!(seen.insert(a.key), "duplicate key {}", a.key);
            assert!(
                !a.key.is_empty()
                    && a.key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "key {:?} must be lower-case",
                a.key
            );
            assert!(!a.name.is_empty() && !a.args.is_empty());
        }
        let (last, rest) = AGENTS.split_last().unwrap();
        assert_eq!(last.key, "generic");
        assert_eq!(last.dir, "");
        assert!(rest.len() >= 20, "only {} named assistants", rest.len());
        for a in rest {
            assert!(!a.dir.is_empty(), "{} needs a folder", a.key);
            assert!(
                !a.dir.starts_with('/')
                    && !a.dir.ends_with('/')
                    && !a.dir.split('/').any(|p| p == ".." || p.is_empty())
            );
        }
        for dir in RETIRED_DIRS {
            assert!(
                AGENTS.iter().all(|a| a.dir != *dir),
                "{dir} is still in use"
            );
        }
        for (alias, target) in ALIASES {
            assert!(
                AGENTS.iter().any(|a| a.key == *target),
                "alias {alias} points nowhere"
            );
            assert!(
                AGENTS.iter().all(|a| a.key != *alias),
                "alias {alias} shadows a key"
            );
        }
    }

    #[test]
    fn the_required_assistants_are_there() {
        for key in [
            "claude", "copilot", "gemini", "cursor", "codex", "windsurf", "opencode", "qwen",
            "kilocode", "roo", "q", "amp", "auggie", "kiro", "cline", "goose", "zed", "junie",
            "trae", "tabnine", "generic",
        ] {
            assert!(find(key).is_some(), "{key} missing");
        }
        assert_eq!(agent("claude").dir, ".claude/commands");
        assert_eq!(agent("claude").args, "$ARGUMENTS");
        assert_eq!(agent("copilot").extension, ".prompt.md");
        // Agent mode (terminal and edits) and VS Code's input-variable syntax.
        let copilot = wrap(agent("copilot"), &COMMANDS[0], "Input: ${input:args}\n").unwrap();
        assert!(
            copilot.starts_with("---\ndescription: ") && copilot.contains("\nagent: agent\n---\n"),
            "{copilot}"
        );
        assert_eq!(agent("copilot").args, "${input:args}");
        assert_eq!(agent("gemini").format, Format::Toml);
        assert_eq!(agent("gemini").args, "{{args}}");
        // Kilo Code reads `.kilo/commands/` (it migrates the old `.kilocode/workflows/`);
        // Cline documents skills, not workflows.
        assert_eq!(
            (agent("kilocode").dir, agent("kilocode").format),
            (".kilo/commands", Format::MarkdownFrontMatter)
        );
        assert_eq!(
            (agent("cline").dir, agent("cline").format),
            (".cline/skills", Format::Skill)
        );
    }

    #[test]
    fn find_ignores_case_and_knows_aliases() {
        assert_eq!(find("Claude").unwrap().key, "claude");
        assert_eq!(find("GEMINI").unwrap().key, "gemini");
        assert_eq!(find(" copilot ").unwrap().key, "copilot");
        assert_eq!(find("Kiro-CLI").unwrap().key, "kiro");
        assert_eq!(find("amazonq").unwrap().key, "q");
        assert!(find("nope").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn commands_are_the_seven_in_workflow_order() {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "specify",
                "plan",
                "tasks",
                "implement",
                "check",
                "clarify",
                "analyze"
            ]
        );
        for c in COMMANDS {
            assert!(!c.description.is_empty() && !c.description.contains('\n'));
        }
    }

    #[test]
    fn file_names() {
        let specify = command("specify");
        assert_eq!(file_name(agent("claude"), specify), "specops.specify.md");
        assert_eq!(
            file_name(agent("copilot"), specify),
            "specops.specify.prompt.md"
        );
        assert_eq!(file_name(agent("gemini"), specify), "specops.specify.toml");
        assert_eq!(
            file_name(agent("goose"), command("plan")),
            "specops.plan.yaml"
        );
        assert_eq!(
            file_name(agent("junie"), command("tasks")),
            "specops-tasks.md"
        );
        assert_eq!(
            file_name(agent("cline"), specify),
            "specops-specify/SKILL.md"
        );
        assert_eq!(
            file_name(agent("codex"), command("check")),
            "specops-check/SKILL.md"
        );
        assert_eq!(
            file_name(agent("generic"), command("analyze")),
            "specops.analyze.md"
        );
        let mut owner = std::collections::HashMap::new();
        for a in AGENTS {
            for c in COMMANDS {
                let name = file_name(a, c);
                assert!(name.starts_with("specops") && name.contains(c.name));
                assert!(!name.contains("..") && !name.starts_with('/'));
                // Assistants sharing a file (Codex and Zed both read `.agents/skills`) must
                // want exactly the same bytes in it.
                if let Some(other) = owner.insert((a.dir, name), a) {
                    assert_eq!(
                        (other.format, other.args),
                        (a.format, a.args),
                        "{} vs {}",
                        other.key,
                        a.key
                    );
                    assert_eq!(
                        wrap(other, c, "body\n").unwrap(),
                        wrap(a, c, "body\n").unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn front_matter_where_expected() {
        let c = command("plan");
        let body = "# Title\n\nText with $ARGUMENTS.\n";
        for a in AGENTS {
            let got = round_trip(a, c, body);
            let keys: Vec<&str> = got.fields.iter().map(|(k, _)| k.as_str()).collect();
            match a.format {
                Format::Markdown => assert!(keys.is_empty()),
                Format::Skill => {
                    assert_eq!(keys, ["name", "description"], "{}", a.key);
                    assert_eq!(got.fields[0].1, "specops-plan");
                    assert_eq!(file_name(a, c), format!("specops-plan{}", a.extension));
                }
                Format::MarkdownFrontMatter => {
                    let mut want = vec!["description"];
                    want.extend(a.front_matter.iter().map(|(k, _)| *k));
                    assert_eq!(keys, want, "{}", a.key);
                }
                Format::Toml => assert_eq!(keys, ["description"]),
                Format::Yaml => assert_eq!(keys[..3], ["version", "title", "description"]),
            }
            if a.key != "junie" {
                assert_eq!(got.prompt, body, "{}", a.key);
            }
        }
        assert_eq!(
            round_trip(agent("junie"), c, body).fields[1],
            ("allowPromptArgument".to_string(), "true".to_string())
        );
        // No final newline in the body: the file still ends with one.
        assert_eq!(wrap(agent("cursor"), c, "x").unwrap(), "x\n");
    }

    #[test]
    fn every_format_round_trips_tricky_descriptions_and_bodies() {
        for a in AGENTS {
            for text in TRICKY {
                assert_round_trips(a, command("specify"), text);
                assert_round_trips(a, command_described(text), "body\n");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 256, failure_persistence: None, ..Default::default() })]
        /// Any description and any body come back exactly from every format's real parser.
        #[test]
        fn every_format_round_trips_any_text(
            description in any_text(),
            body in any_text(),
        ) {
            let c = command_described(&description);
            for a in AGENTS {
                assert_round_trips(a, c, &body);
            }
        }
    }

    /// Text built from the pieces that need escaping in TOML or YAML, plus any characters.
    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            proptest::sample::select(vec![
                "\n",
                "\r\n",
                "\r",
                "\t",
                " ",
                "  ",
                "\"",
                "\"\"\"",
                "'",
                "\'\'\'",
                "\\",
                "\\\"",
                "#",
                "# x",
                ": ",
                "- ",
                "---",
                "...",
                "|",
                ">",
                "{{args}}",
                "$ARGUMENTS",
                "true",
                "1.0",
                "~",
                "null",
                "@",
                "`",
                "\u{0}",
                "\u{7}",
                "\u{1b}[31m",
                "\u{7f}",
                "\u{85}",
                "\u{a0}",
                "\u{2028}",
                "\u{feff}",
                "é",
                "漢字",
                "🚀",
                "word",
            ])
            .prop_map(str::to_string),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
    }

    #[test]
    fn multi_line_prompts_stay_readable() {
        let body = "# Title\n\nSay \"hi\" to {{args}}.\n";
        let gemini = wrap(agent("gemini"), command("plan"), body).unwrap();
        assert_eq!(
            gemini,
            format!(
                "description = \"{}\"\nprompt = \"\"\"\n# Title\n\nSay \"hi\" to {{{{args}}}}.\n\"\"\"\n",
                command("plan").description
            )
        );
        let goose = wrap(agent("goose"), command("plan"), body).unwrap();
        assert!(
            goose.ends_with("prompt: |\n  # Title\n\n  Say \"hi\" to {{args}}.\n"),
            "{goose}"
        );
        // A description longer than a line stays on its line (no folded `>` block).
        let claude = wrap(agent("claude"), command("plan"), body).unwrap();
        assert!(
            claude.starts_with(&format!(
                "---\ndescription: {}\n---\n",
                command("plan").description
            )),
            "{claude}"
        );
    }

    #[test]
    fn junie_keeps_its_placeholder_and_escapes_other_names() {
        let j = agent("junie");
        assert_eq!(
            junie_escape(
                "Input: $prompt. Not $HOME, $1, $$x or a price of 5$.",
                j.args
            ),
            "Input: $prompt. Not $$HOME, $1, $$x or a price of 5$."
        );
        let doc = wrap(j, command("specify"), "Use $prompt here.\n").unwrap();
        assert!(doc.ends_with("\n\nUse $prompt here.\n"));
    }

    #[test]
    fn goose_recipe_declares_the_parameter_it_uses() {
        let g = agent("goose");
        let c = command("specify");
        let body = format!("Input: {}\nmore\n", g.args);
        let got = round_trip(g, c, &body);
        assert_eq!(
            got.fields,
            [
                ("version", "1.0.0"),
                ("title", "specops.specify"),
                ("description", c.description),
                ("key", "args"),
                ("input_type", "string"),
                ("requirement", "optional"),
                ("default", ""),
                ("description", "What the user typed after the command"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert_eq!(got.prompt, body);
        let without = round_trip(g, c, "no input here\n");
        assert_eq!(
            without.fields.len(),
            3,
            "no parameter when the prompt uses none"
        );
    }

    #[test]
    fn prompt_templates_use_only_the_args_tag() {
        assert_eq!(TEMPLATES.len(), COMMANDS.len());
        for (name, source) in TEMPLATES {
            assert!(COMMANDS.iter().any(|c| c.name == *name));
            assert!(
                source.contains("{{ args }}"),
                "{name} must show the arguments"
            );
            let stripped = source.replace("{{ args }}", "");
            // No other template tag, and no brace at all: Auggie asks the user to fill in
            // any `{name}` or `{{name}}` it finds in a command.
            assert!(
                !stripped.contains(['{', '}']),
                "{name} contains a brace or template tag"
            );
            assert!(
                !source.contains('$'),
                "{name}: a dollar sign would clash with argument syntax"
            );
            let lines = source.lines().count();
            assert!((30..=70).contains(&lines), "{name} has {lines} lines");
            assert!(
                source.contains("--json") || source.contains("--format json"),
                "{name}"
            );
            assert!(
                source.contains("error:") && source.contains("hint:"),
                "{name}"
            );
        }
    }

    #[test]
    fn every_agent_wraps_every_rendered_template() {
        for a in AGENTS {
            for (name, source) in TEMPLATES {
                let c = command(name);
                let body = render(source, a);
                assert!(body.contains(a.args), "{} {name}", a.key);
                assert_round_trips(a, c, &body);
                if a.format == Format::Yaml {
                    assert!(
                        round_trip(a, c, &body).fields.len() > 3,
                        "{name}: no parameter"
                    );
                }
            }
        }
    }
}

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
    /// Front-matter lines after `description` (for [`Format::MarkdownFrontMatter`]), each
    /// ending in a line break: settings the assistant documents for how the command runs.
    pub front_matter: &'static str,
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
    front_matter: "",
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
    front_matter: "agent: agent\n",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
};

/// Kilo Code: workflows are plain Markdown files in `.kilocode/workflows/`, invoked as
/// `/<file name>`. No documented placeholder: `$ARGUMENTS`.
const KILOCODE: Agent = Agent {
    key: "kilocode",
    name: "Kilo Code",
    dir: ".kilocode/workflows",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: "",
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
    front_matter: "",
};

/// Amazon Q Developer: project prompts are plain Markdown in `.amazonq/prompts/`, invoked
/// as `@<name>`. No documented placeholder: `$ARGUMENTS`.
const Q: Agent = Agent {
    key: "q",
    name: "Amazon Q Developer",
    dir: ".amazonq/prompts",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: "",
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
    front_matter: "",
};

/// Auggie (Augment Code): workspace commands are `.augment/commands/<name>.md`, front
/// matter (`description`, `argument-hint`, `model`), Claude Code compatible. No documented
/// placeholder of its own: `$ARGUMENTS`, as in Claude Code.
const AUGGIE: Agent = Agent {
    key: "auggie",
    name: "Auggie CLI",
    dir: ".augment/commands",
    format: Format::MarkdownFrontMatter,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: "",
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
    front_matter: "",
};

/// Cline: project workflows are plain Markdown in `.clinerules/workflows/`, invoked as
/// `/<file name>.md`; names use hyphens, not dots. No documented placeholder: `$ARGUMENTS`.
const CLINE: Agent = Agent {
    key: "cline",
    name: "Cline",
    dir: ".clinerules/workflows",
    format: Format::Markdown,
    extension: ".md",
    args: "$ARGUMENTS",
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "allowPromptArgument: true\n",
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
    front_matter: "",
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
    front_matter: "",
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
    front_matter: "",
};

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
    let hyphen = agent.format == Format::Skill || matches!(agent.key, "cline" | "junie" | "trae");
    let sep = if hyphen { '-' } else { '.' };
    format!("specops{sep}{}", command.name)
}

/// Wrap an already-rendered Markdown prompt body into the agent's on-disk format
/// (front matter with description for formats that need it; TOML with `description` and a
/// multi-line `prompt` string, escaped so any body is valid TOML; plain Markdown otherwise).
pub fn wrap(agent: &Agent, command: &Command, body: &str) -> String {
    match agent.format {
        Format::Markdown => with_final_newline(body.to_string()),
        Format::MarkdownFrontMatter => {
            let mut out = String::from("---\n");
            out.push_str(&format!(
                "description: {}\n",
                yaml_quoted(command.description)
            ));
            out.push_str(agent.front_matter);
            let body = if agent.key == "junie" {
                junie_escape(body, agent.args)
            } else {
                body.to_string()
            };
            out.push_str("---\n\n");
            out.push_str(&body);
            with_final_newline(out)
        }
        Format::Skill => {
            let mut out = String::from("---\n");
            out.push_str(&format!("name: {}\n", command_id(agent, command)));
            out.push_str(&format!(
                "description: {}\n",
                yaml_quoted(command.description)
            ));
            out.push_str("---\n\n");
            out.push_str(body);
            with_final_newline(out)
        }
        Format::Toml => format!(
            "description = {}\n\nprompt = {}\n",
            toml_basic(command.description),
            toml_multiline(body)
        ),
        Format::Yaml => {
            let mut out = String::from("version: \"1.0.0\"\n");
            out.push_str(&format!(
                "title: {}\n",
                yaml_quoted(&command_id(agent, command))
            ));
            out.push_str(&format!(
                "description: {}\n",
                yaml_quoted(command.description)
            ));
            if body.contains(agent.args) {
                out.push_str(concat!(
                    "parameters:\n",
                    "  - key: args\n",
                    "    input_type: string\n",
                    "    requirement: optional\n",
                    "    default: \"\"\n",
                    "    description: \"What the user typed after the command\"\n",
                ));
            }
            out.push_str("prompt: ");
            out.push_str(&yaml_block(body));
            out
        }
    }
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

/// A one-line TOML basic string: `"…"` with `\\`, `\"` and control characters escaped.
fn toml_basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_toml_escaped(&mut out, c, false);
    }
    out.push('"');
    out
}

/// A TOML multi-line string holding exactly `s`: a literal `'''…'''` string when `s` can be
/// written as one (no `'''`, no control character but tab and newline, not ending in `'`),
/// else a basic `"""…"""` string with every backslash, quote and control character escaped.
/// The newline right after the opening delimiter is not part of the value.
fn toml_multiline(s: &str) -> String {
    let literal_ok = !s.contains("'''")
        && !s.ends_with('\'')
        && s.chars()
            .all(|c| c == '\t' || c == '\n' || !is_toml_control(c));
    if literal_ok {
        return format!("'''\n{s}'''");
    }
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    for c in s.chars() {
        push_toml_escaped(&mut out, c, true);
    }
    out.push_str("\"\"\"");
    out
}

fn is_toml_control(c: char) -> bool {
    c <= '\u{1f}' || c == '\u{7f}'
}

fn push_toml_escaped(out: &mut String, c: char, multiline: bool) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push('\t'),
        '\r' => out.push_str("\\r"),
        c if is_toml_control(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    }
}

/// Characters a YAML scalar cannot hold as they are (they need a quoted-string escape).
fn is_yaml_unprintable(c: char) -> bool {
    (c <= '\u{1f}' && c != '\t' && c != '\n')
        || c == '\u{7f}'
        || c == '\u{85}'
        || c == '\u{2028}'
        || c == '\u{2029}'
        || c == '\u{feff}'
        || ('\u{80}'..='\u{9f}').contains(&c)
}

/// A YAML double-quoted scalar on one line.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_yaml_unprintable(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value of a top-level YAML key holding exactly `s`, starting right after `key: `:
/// a literal block scalar indented by two spaces when `s` can be one, else a quoted scalar.
fn yaml_block(s: &str) -> String {
    if s.is_empty() || s.contains('\r') || s.chars().any(is_yaml_unprintable) {
        return format!("{}\n", yaml_quoted(s));
    }
    let content = s.trim_end_matches('\n');
    let trailing = s.len() - content.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // The indentation is given explicitly when the first line with text starts with a space,
    // or blank lines before it hold more spaces than that line's indentation could be guessed.
    let mut explicit = false;
    for line in content.split('\n') {
        if line.trim_start_matches(' ').is_empty() {
            if !line.is_empty() {
                explicit = true;
                break;
            }
        } else {
            explicit = line.starts_with(' ');
            break;
        }
    }
    let mut out = format!("|{}{chomp}\n", if explicit { "2" } else { "" });
    for line in s.split_inclusive('\n') {
        if line != "\n" {
            out.push_str("  ");
        }
        out.push_str(line);
    }
    if trailing == 0 {
        out.push('\n');
    }
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

    // ---- a minimal reader for the TOML strings we write ----

    /// Decode one TOML string value at the start of `src`; return it and the rest of `src`.
    fn toml_decode(src: &str) -> (String, &str) {
        for (delim, basic, multi) in [
            ("\"\"\"", true, true),
            ("'''", false, true),
            ("\"", true, false),
            ("'", false, false),
        ] {
            let Some(mut rest) = src.strip_prefix(delim) else {
                continue;
            };
            if multi {
                rest = rest
                    .strip_prefix('\n')
                    .or_else(|| rest.strip_prefix("\r\n"))
                    .unwrap_or(rest);
            }
            let mut out = String::new();
            let mut chars = rest.char_indices();
            while let Some((i, c)) = chars.next() {
                if rest[i..].starts_with(delim) {
                    // Up to two quotes may sit right before a multi-line closing delimiter.
                    let mut end = i;
                    if multi {
                        let q = delim.chars().next().unwrap();
                        let run = rest[i..].chars().take_while(|&x| x == q).count();
                        assert!(run <= 5, "too many quotes in a row");
                        for _ in 3..run {
                            out.push(q);
                        }
                        end = i + run - 3;
                    }
                    return (out, &rest[end + delim.len()..]);
                }
                assert!(
                    c == '\t' || (multi && c == '\n') || !is_toml_control(c),
                    "raw control character {c:?} in a TOML string"
                );
                if basic && c == '\\' {
                    let (_, e) = chars.next().expect("escape at end");
                    match e {
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex: String = (0..n).map(|_| chars.next().unwrap().1).collect();
                            out.push(
                                char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap(),
                            );
                        }
                        other => panic!("invalid TOML escape \\{other}"),
                    }
                } else {
                    out.push(c);
                }
            }
            panic!("unterminated TOML string");
        }
        panic!("not a TOML string: {src:.20}");
    }

    /// Read `key = <string>` pairs from the TOML documents we write.
    fn toml_table(doc: &str) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let mut rest = doc;
        loop {
            rest = rest.trim_start_matches(['\n', ' ']);
            if rest.is_empty() {
                return pairs;
            }
            let eq = rest.find(" = ").expect("key = value");
            let key = rest[..eq].to_string();
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase()),
                "bare key {key:?}"
            );
            let (value, after) = toml_decode(&rest[eq + 3..]);
            assert!(after.starts_with('\n'), "value must end its line");
            pairs.push((key, value));
            rest = after;
        }
    }

    // ---- a minimal reader for the YAML we write ----

    fn yaml_unquote(s: &str) -> String {
        let inner = s
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .expect("double-quoted");
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            assert!(c != '"', "unescaped quote");
            assert!(
                !is_yaml_unprintable(c) && c != '\n',
                "raw {c:?} in a quoted scalar"
            );
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next().unwrap() {
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                other => panic!("unexpected YAML escape \\{other}"),
            }
        }
        out
    }

    /// Decode what `yaml_block` wrote (the text after `key: `, through the end of the value).
    fn yaml_block_decode(v: &str) -> String {
        if v.starts_with('"') {
            return yaml_unquote(v.strip_suffix('\n').unwrap());
        }
        let (header, lines) = v.split_once('\n').unwrap();
        let header = header.strip_prefix('|').expect("literal block");
        let chomp = header.trim_start_matches('2');
        let indent = 2;
        let lines: Vec<&str> = lines
            .strip_suffix('\n')
            .unwrap_or(lines)
            .split('\n')
            .collect();
        if !header.starts_with('2') {
            // Without an indicator, the first line with text must sit at exactly two spaces
            // and no blank line before it may be longer.
            let first = lines
                .iter()
                .position(|l| !l.trim_start_matches(' ').is_empty())
                .unwrap();
            assert!(lines[first].starts_with("  ") && !lines[first].starts_with("   "));
            assert!(lines[..first].iter().all(|l| l.len() <= indent));
        }
        let mut content: Vec<String> = lines
            .iter()
            .map(|l| {
                if l.len() < indent {
                    assert!(l.trim().is_empty(), "under-indented line {l:?}");
                    String::new()
                } else {
                    assert!(l.starts_with("  "), "under-indented line {l:?}");
                    l[indent..].to_string()
                }
            })
            .collect();
        while content.last().is_some_and(|l| l.is_empty()) && chomp != "+" {
            content.pop();
        }
        let text = content.join("\n");
        match chomp {
            "-" => text,
            "" => format!("{text}\n"),
            "+" => format!("{text}\n"),
            other => panic!("bad chomping {other:?}"),
        }
    }

    /// Split a front matter document into its header lines and body.
    fn front_matter(doc: &str) -> (Vec<&str>, &str) {
        let rest = doc
            .strip_prefix("---\n")
            .expect("front matter opens the file");
        let (head, body) = rest.split_once("\n---\n").expect("front matter is closed");
        (
            head.lines().collect(),
            body.strip_prefix('\n').unwrap_or(body),
        )
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
        let copilot = wrap(agent("copilot"), &COMMANDS[0], "Input: ${input:args}\n");
        assert!(
            copilot.starts_with("---\ndescription: ") && copilot.contains("\nagent: agent\n---\n"),
            "{copilot}"
        );
        assert_eq!(agent("copilot").args, "${input:args}");
        assert_eq!(agent("gemini").format, Format::Toml);
        assert_eq!(agent("gemini").args, "{{args}}");
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
        assert_eq!(file_name(agent("cline"), specify), "specops-specify.md");
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
                    assert_eq!(wrap(other, c, "body\n"), wrap(a, c, "body\n"));
                }
            }
        }
    }

    #[test]
    fn toml_multiline_round_trips_any_body() {
        for body in TRICKY {
            let encoded = toml_multiline(body);
            let (decoded, rest) = toml_decode(&encoded);
            assert_eq!(&decoded, body, "encoded as {encoded}");
            assert_eq!(rest, "");
        }
        assert!(toml_multiline("plain\n").starts_with("'''"));
        assert!(toml_multiline("has ''' inside").starts_with("\"\"\""));
        assert!(toml_multiline("bell \u{7}").starts_with("\"\"\""));
        assert_eq!(toml_multiline("a\\\"b"), "'''\na\\\"b'''");
        assert_eq!(toml_multiline("x'''\"\\"), "\"\"\"\nx'''\\\"\\\\\"\"\"");
    }

    #[test]
    fn toml_basic_round_trips() {
        for s in TRICKY {
            let encoded = toml_basic(s);
            assert!(!encoded.contains('\n'));
            let (decoded, rest) = toml_decode(&encoded);
            assert_eq!(&decoded, s);
            assert_eq!(rest, "");
        }
    }

    #[test]
    fn toml_files_hold_description_and_prompt() {
        for a in AGENTS.iter().filter(|a| a.format == Format::Toml) {
            for c in COMMANDS {
                for body in TRICKY {
                    let doc = wrap(a, c, body);
                    let pairs = toml_table(&doc);
                    assert_eq!(pairs.len(), 2, "{doc}");
                    assert_eq!(
                        pairs[0],
                        ("description".to_string(), c.description.to_string())
                    );
                    assert_eq!(pairs[1], ("prompt".to_string(), body.to_string()));
                }
            }
        }
    }

    #[test]
    fn front_matter_where_expected() {
        let c = command("plan");
        let body = "# Title\n\nText with $ARGUMENTS.\n";
        for a in AGENTS {
            let doc = wrap(a, c, body);
            assert!(doc.ends_with('\n'));
            match a.format {
                Format::Markdown => assert_eq!(doc, body, "{}", a.key),
                Format::MarkdownFrontMatter | Format::Skill => {
                    let (head, rest) = front_matter(&doc);
                    let desc = head
                        .iter()
                        .find_map(|l| l.strip_prefix("description: "))
                        .unwrap();
                    assert_eq!(yaml_unquote(desc), c.description);
                    if a.format == Format::Skill {
                        assert!(head.contains(&"name: specops-plan"), "{}", a.key);
                        assert_eq!(file_name(a, c), format!("specops-plan{}", a.extension));
                    }
                    if a.key == "junie" {
                        assert!(head.contains(&"allowPromptArgument: true"));
                    } else {
                        assert_eq!(rest, body, "{}", a.key);
                    }
                }
                Format::Toml | Format::Yaml => {}
            }
        }
        // No final newline in the body: the file still ends with one.
        assert_eq!(wrap(agent("cursor"), c, "x"), "x\n");
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
        let doc = wrap(j, command("specify"), "Use $prompt here.\n");
        assert!(doc.ends_with("\n\nUse $prompt here.\n"));
    }

    #[test]
    fn yaml_values_round_trip() {
        for s in TRICKY {
            assert_eq!(&yaml_unquote(&yaml_quoted(s)), s);
            let block = yaml_block(s);
            assert!(block.ends_with('\n'));
            assert_eq!(&yaml_block_decode(&block), s, "written as {block}");
        }
        assert_eq!(yaml_block("a\n\nb\n"), "|\n  a\n\n  b\n");
        assert_eq!(yaml_block("  a\n"), "|2\n    a\n");
        assert_eq!(yaml_block("a"), "|-\n  a\n");
    }

    #[test]
    fn goose_recipe_declares_the_parameter_it_uses() {
        let g = agent("goose");
        let c = command("specify");
        let doc = wrap(g, c, &format!("Input: {}\nmore\n", g.args));
        assert!(doc.starts_with("version: \"1.0.0\"\ntitle: \"specops.specify\"\ndescription: "));
        assert!(doc.contains("\nparameters:\n  - key: args\n"));
        let prompt = doc.split_once("\nprompt: ").unwrap().1;
        assert_eq!(
            yaml_block_decode(prompt),
            format!("Input: {}\nmore\n", g.args)
        );
        let without = wrap(g, c, "no input here\n");
        assert!(!without.contains("parameters:"));
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
            for tag in ["{{", "}}", "{%", "%}", "{#", "#}"] {
                assert!(!stripped.contains(tag), "{name} contains {tag}");
            }
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
                let doc = wrap(a, c, &body);
                match a.format {
                    Format::Toml => assert_eq!(toml_table(&doc)[1].1, body),
                    Format::Yaml => {
                        assert!(doc.contains("parameters:"));
                        assert_eq!(
                            yaml_block_decode(doc.split_once("\nprompt: ").unwrap().1),
                            body
                        );
                    }
                    _ => assert!(doc.contains(a.args), "{} {name}", a.key),
                }
            }
        }
    }
}

//! The git hooks specops installs: pre-commit runs `specops check --staged` on what a commit
//! will hold; pre-push runs `specops check` before anything leaves the machine (for teams that
//! commit honest drafts with open questions). What they say, and whether a hook file is ours.

/// The line that marks a hook as written by specops; nothing else is ever replaced or removed.
pub(crate) const MARKER: &str = "# specops-managed-hook";

/// Which git hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    PreCommit,
    PrePush,
}

impl Stage {
    /// The hook's file name in the hooks folder, and its name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Stage::PreCommit => "pre-commit",
            Stage::PrePush => "pre-push",
        }
    }
}

/// The hook script for `stage`. `fallback` is the path of the binary that installed it, used
/// when `specops` is not on PATH when the hook runs.
pub(crate) fn script(stage: Stage, fallback: &str) -> String {
    let fallback = shell_quote(fallback);
    let name = stage.name();
    let (args, what, skip, flag) = match stage {
        Stage::PreCommit => (
            "check --staged",
            "Lints the staged spec documents; the commit stops while errors remain.",
            "git commit --no-verify",
            "",
        ),
        Stage::PrePush => (
            "check",
            "Lints the spec documents of the work tree; the push stops while errors remain.",
            "git push --no-verify",
            " --pre-push",
        ),
    };
    format!(
        "#!/bin/sh
{MARKER}
# Installed by `specops hook install{flag}`; remove it with `specops hook uninstall{flag}`.
# {what}
# To {verb} anyway, once: {skip}
if command -v specops >/dev/null 2>&1; then
  exec specops {args}
elif [ -x {fallback} ]; then
  exec {fallback} {args}
else
  echo 'specops {name} hook: specops is not on PATH; install it (cargo install --path <specops checkout>) or run: specops hook uninstall{flag}' >&2
  exit 1
fi
",
        verb = if stage == Stage::PreCommit { "commit" } else { "push" },
    )
}

/// Whether hook text was written by specops.
pub(crate) fn is_ours(text: &str) -> bool {
    text.lines().take(3).any(|l| l.trim() == MARKER)
}

/// Quote `s` for a POSIX shell: single quotes, with embedded single quotes spelled `'\''`.
pub(crate) fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_ours_and_runs_check_staged() {
        let push = script(Stage::PrePush, "/opt/bin/specops");
        assert!(is_ours(&push) && push.contains("exec specops check\n"));
        assert!(push.contains("git push --no-verify") && !push.contains("--staged"));
        let s = script(Stage::PreCommit, "/opt/bin/specops");
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(is_ours(&s));
        assert!(s.contains("exec specops check --staged"));
        assert!(s.contains("'/opt/bin/specops' check --staged"));
        assert!(!is_ours("#!/bin/sh\nnpx lint-staged\n"));
        assert!(!is_ours(
            "#!/bin/sh\necho hi\necho hi\n# specops-managed-hook\n"
        ));
    }

    #[test]
    fn quoting_survives_hostile_paths() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}

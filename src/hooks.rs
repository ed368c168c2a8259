//! The git pre-commit hook that runs `specops check --staged`: what it says, and whether a hook
//! file on disk is ours.

/// The line that marks a hook as written by specops; nothing else is ever replaced or removed.
pub(crate) const MARKER: &str = "# specops-managed-hook";

/// The pre-commit hook script. `fallback` is the path of the binary that installed it, used when
/// `specops` is not on PATH at commit time.
pub(crate) fn pre_commit_script(fallback: &str) -> String {
    let fallback = shell_quote(fallback);
    format!(
        "#!/bin/sh
{MARKER}
# Installed by `specops hook install`; remove it with `specops hook uninstall`.
# Lints the staged spec documents; the commit stops while errors remain.
# To commit anyway, once: git commit --no-verify
if command -v specops >/dev/null 2>&1; then
  exec specops check --staged
elif [ -x {fallback} ]; then
  exec {fallback} check --staged
else
  echo 'specops pre-commit hook: specops is not on PATH; install it (cargo install --path <specops checkout>) or run: specops hook uninstall' >&2
  exit 1
fi
"
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
        let s = pre_commit_script("/opt/bin/specops");
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

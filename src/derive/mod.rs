//! Deriving documents from documents, deterministically and without an AI: the plan set from a
//! spec and the constitution ([`plan`]), the task list from the plan set ([`tasks`]), and a
//! derived document's fingerprint refreshed ([`refresh`]).

pub(crate) mod plan;
pub(crate) mod refresh;
pub(crate) mod tasks;

/// A file-name slug: lower-case ASCII letters and digits, every other run of characters one
/// `-`, at most 60 bytes; `fallback` when nothing is left.
pub(crate) fn file_slug(name: &str, fallback: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.truncate(60);
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        fallback.to_string()
    } else if is_reserved_on_windows(s) {
        format!("{s}-{fallback}")
    } else {
        s.to_string()
    }
}

/// Device names Windows will not create a file for, whatever the extension.
fn is_reserved_on_windows(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || (slug.len() == 4
            && (slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.as_bytes()[3].is_ascii_digit())
}

/// Slugs for `names`, made unique by appending `-2`, `-3`… in order of appearance.
pub(crate) fn unique_slugs<'a>(
    names: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let base = file_slug(name, fallback);
        let mut slug = base.clone();
        let mut n = 2;
        while out.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        out.push(slug);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (name, slug) in [
            ("Cluster API endpoint", "cluster-api-endpoint"),
            ("  Tenant / Namespace!! ", "tenant-namespace"),
            ("Ünïcode DNS", "n-code-dns"),
            ("../../etc/passwd", "etc-passwd"),
            ("***", "interface"),
            ("", "interface"),
            ("CON", "con-interface"),
            ("com1", "com1-interface"),
            ("console", "console"),
        ] {
            assert_eq!(file_slug(name, "interface"), slug, "{name:?}");
        }
        assert_eq!(file_slug(&"a".repeat(100), "x").len(), 60);
        assert_eq!(
            unique_slugs(["DNS", "dns", "D.N.S", "DNS 2"], "x"),
            ["dns", "dns-2", "d-n-s", "dns-2-2"]
        );
    }
}

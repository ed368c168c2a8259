//! Deriving documents from documents, deterministically and without an AI: the plan set from a
//! spec and the constitution ([`plan`]), the task list from the plan set ([`tasks`]), and a
//! derived document's fingerprint refreshed ([`refresh`]).

pub(crate) mod plan;
pub(crate) mod refresh;
pub(crate) mod tasks;
pub(crate) mod tools;

/// A file-name slug: the words of `name` as a short name reads them (lower-case ASCII, common
/// accented letters transliterated), joined by `-` and cut on a word boundary to at most 60
/// bytes; `fallback` when nothing is left.
pub(crate) fn file_slug(name: &str, fallback: &str) -> String {
    match crate::slug::fitted(name, 60) {
        None => fallback.to_string(),
        Some(s) if is_reserved_on_windows(&s) => format!("{s}-{fallback}"),
        Some(s) => s,
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
    // A set beside the list: a plan may name fifty thousand modules.
    // The next suffix to try for each base, so that a thousand repeats stay linear.
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for name in names {
        let base = file_slug(name, fallback);
        let mut slug = base.clone();
        let n = next.entry(base.clone()).or_insert(2);
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            *n += 1;
        }
        taken.insert(slug.clone());
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
            ("Ünïcode DNS", "unicode-dns"),
            ("Tenant's cross-region DNS", "tenants-cross-region-dns"),
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
        // Cut on a word boundary, never inside a word.
        let long = "Regional failover procedure for the primary payments database cluster";
        assert_eq!(
            file_slug(long, "x"),
            "regional-failover-procedure-for-the-primary-payments"
        );
        assert_eq!(
            unique_slugs(["DNS", "dns", "D.N.S", "DNS 2"], "x"),
            ["dns", "dns-2", "d-n-s", "dns-2-2"]
        );
    }
}

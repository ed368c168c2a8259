//! Items set aside on purpose: what a checklist or a plan lists as out of scope, deferred, not
//! applicable, optional or for the future. Such an unticked item is a decision, not open work,
//! for `check` (SO002, SO009) and for `plan` alike.

/// Words that, in a heading, say its section lists what is deliberately not to be done now.
const HEADINGS: &[&str] = &[
    "out of scope",
    "out-of-scope",
    "non-goal",
    "deferred",
    "not applicable",
    "n/a",
    "future",
    "optional",
    "nice to have",
    "nice-to-have",
    "won't",
    "wont do",
];

/// Whether a heading's title says its section lists what is set aside (`## Out of Scope`,
/// `### Deferred to v2`, `## Non-Goals`).
pub fn is_aside_heading(title: &str) -> bool {
    let t = title.to_lowercase();
    HEADINGS.iter().any(|w| t.contains(w))
}

/// Whether an item's whole text is one bracketed placeholder (`[Gates determined based on
/// constitution file]`): guidance a template left for its author, not an item of its own.
/// SO003 reports the placeholders it knows.
pub fn is_template_guidance(item: &str) -> bool {
    let t = item.trim();
    t.len() > 2 && t.starts_with('[') && t.ends_with(']') && !t[1..t.len() - 1].contains(']')
}

/// Whether an item's text marks it as set aside: a leading `N/A`, `Deferred`, `Out of scope`,
/// `Optional`, `Future` or `Won't`; the same word opening a parenthesis or bracket (`(deferred
/// to v2)`, `[N/A]`) or the part after a dash (`… - Optional for this feature`); or the whole
/// item struck through. A mark word elsewhere in the prose ("list which items are deferred")
/// sets nothing aside.
pub fn is_marked_aside(item: &str) -> bool {
    const MARKS: &[&str] = &[
        "deferred",
        "n/a",
        "not applicable",
        "out of scope",
        "out-of-scope",
        "optional",
        "future",
        "won't",
        "won’t",
        "wont",
    ];
    let t = item.trim().to_lowercase();
    if t.len() > 4 && t.starts_with("~~") && t.ends_with("~~") {
        return true;
    }
    // `then_word`: whether the mark may be followed by more words (inside a parenthesis or
    // after a dash it may: `(deferred to v2)`; leading the item it must be a label:
    // `Optional: …`, not `Optional features are listed`).
    let opens_with_mark = |s: &str, then_word: bool| {
        let s = s.trim_start_matches(['*', '_', '`', ' ']);
        MARKS.iter().any(|m| {
            s.strip_prefix(m).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['*', '_', '`']);
                let next = rest.trim_start();
                // A dash separates only with a space before it: `N/A - x`, not `future-proof`.
                next.is_empty()
                    || next.starts_with([':', ')', ']', ',', '.'])
                    || (rest.starts_with(' ') && next.starts_with(['-', '—', '–']))
                    || (then_word && rest.starts_with(' '))
            })
        })
    };
    let t = t.as_str();
    // "No epic required (…)", "a tracker is not needed here": the item says it does not apply.
    let body = t.split_once(':').map_or(t, |(_, b)| b).trim_start();
    let not_needed = [" not required", " not needed", " not necessary"]
        .iter()
        .any(|p| t.contains(p))
        || {
            // `No <a few words> required (…)`: "required" within a few words of the "no", ending
            // the clause (not "no secrets in required variables").
            let words: Vec<&str> = body.split_whitespace().take(6).collect();
            words.first() == Some(&"no")
                && words.iter().enumerate().skip(1).any(|(i, w)| {
                    let bare = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    (bare == "required" || bare == "needed")
                        && (bare.len() < w.len()
                            || words
                                .get(i + 1)
                                .is_none_or(|n| n.starts_with(['(', '-', '—'])))
                })
        };
    not_needed
        || opens_with_mark(t, false)
        || t.match_indices(['(', '['])
            .any(|(i, _)| opens_with_mark(&t[i + 1..], true))
        || [" - ", " — ", " – "].into_iter().any(|d| {
            t.match_indices(d)
                .any(|(i, _)| opens_with_mark(&t[i + d.len()..], true))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_items() {
        for yes in [
            "N/A: no PII is stored",
            "N/A - single region",
            "Deferred",
            "**Optional**: dashboards",
            "Backups are tested (deferred to v2)",
            "[N/A] Multi-region failover",
            "~~Blue/green deploys~~",
            "**Issue Tracking**: epic linked - Optional for this non-technical feature",
            "Cost alerts — out of scope here",
            "Won’t: a second region",
            "**Issue Tracking**: No issue tracker epic required (constitution not ratified)",
            "A tracker is not needed for this feature",
        ] {
            assert!(is_marked_aside(yes), "{yes}");
        }
        for no in [
            "The plan says which items are deferred",
            "Optional features are listed",
            "Future-proof naming is used",
            "Backups (daily) are tested",
            "RTO - 15 minutes",
            "No plaintext secrets are stored",
            "Every required tag is applied",
            "**Secrets**: no plaintext secrets in required variables",
            "",
        ] {
            assert!(!is_marked_aside(no), "{no}");
        }
    }

    #[test]
    fn template_guidance() {
        assert!(is_template_guidance(
            "[Gates determined based on constitution file]"
        ));
        assert!(!is_template_guidance("[P] Parallel work"));
        assert!(!is_template_guidance("[a] and [b]"));
        assert!(!is_template_guidance("[]"));
    }

    #[test]
    fn aside_headings() {
        assert!(is_aside_heading("Out of Scope"));
        assert!(is_aside_heading("Deferred to v2"));
        assert!(is_aside_heading("Non-Goals"));
        assert!(!is_aside_heading("Security"));
    }
}

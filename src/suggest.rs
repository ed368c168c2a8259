//! "Did you mean …?": the known name closest to one that is not known.

/// The candidate most like `key` (case-insensitive), if any is close enough to be what was
/// meant: the measure and threshold clap uses for misspelt subcommands.
pub(crate) fn closest<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let key = key.trim().to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro(&key, &c.to_lowercase());
        // The first of equally close names wins: the registries list them in a useful order.
        if score > 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `x`?)`-style hint text: `did you mean `x`? ` or nothing.
pub(crate) fn did_you_mean<'a>(key: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(key, candidates).map_or_else(String::new, |c| format!("did you mean `{c}`? "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let agents = ["claude", "copilot", "cursor", "gemini", "codex"];
        assert_eq!(closest("claud", agents), Some("claude"));
        assert_eq!(closest("Cluade", agents), Some("claude"));
        assert_eq!(closest("copliot", agents), Some("copilot"));
        assert_eq!(closest("xyz", agents), None);
        assert_eq!(closest("so00", ["SO000", "SO001", "SO009"]), Some("SO000"));
        assert_eq!(did_you_mean("claud", agents), "did you mean `claude`? ");
        assert_eq!(did_you_mean("zzz", agents), "");
    }
}

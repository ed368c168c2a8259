//! Short names: a description (or `--short-name`) to `lower-case-ascii-words`, the part of a
//! feature's folder and branch after `NNN-`.
//!
//! The result holds only `a-z`, `0-9` and single inner `-`, so `NNN-<short name>` is always a
//! valid git ref name and a plain path component (no `/`, no `..`, no leading dot).

/// The short name used when nothing usable is left of the input.
pub(crate) const FALLBACK: &str = "feature";

/// The longest short name, in bytes. A branch name may be at most 244 bytes; the widest
/// number a `u32` holds has 10 digits, so `NNN-` plus this always fits.
pub(crate) const MAX_LEN: usize = 244 - 11;

/// How many meaningful words of a description the short name keeps.
const MAX_WORDS: usize = 4;

/// Words that carry no meaning in a feature name.
const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "but", "by", "can", "could", "did", "do", "does", "each", "for", "from", "had", "has",
    "have", "how", "i", "if", "in", "into", "is", "it", "its", "may", "me", "might", "must", "my",
    "need", "needs", "of", "on", "onto", "or", "our", "shall", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "to", "us", "via", "want", "wants", "was", "we", "were", "what", "when", "which", "while",
    "who", "will", "with", "would", "you", "your",
];

/// Verbs that open a request ("Set up the VPC…", "Add a cache…", "I want to deploy…") and say
/// nothing about the feature. `set up` is two words; `setup` and `set-up` are its other
/// spellings.
const FILLER_VERBS: &[&str] = &[
    "add",
    "build",
    "create",
    "deploy",
    "enable",
    "implement",
    "introduce",
    "need",
    "please",
    "provision",
    "set-up",
    "setup",
    "support",
    "want",
];

/// The short name of a description: its first four meaningful words, sanitised. Stop words
/// are dropped everywhere, filler verbs only where they open the request (after the stop
/// words), unless nothing else is left; a hyphenated compound (`multi-region`) is one word.
/// `None` when nothing meaningful is left (only stop words, symbols or untransliterable text).
pub(crate) fn from_description(description: &str) -> Option<String> {
    let meaningful: Vec<String> = words(description)
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    let mut start = 0;
    loop {
        let rest = &meaningful[start..];
        let filler = match rest {
            [first, second, ..] if first == "set" && second == "up" => 2,
            [first, ..] if FILLER_VERBS.contains(&first.as_str()) => 1,
            _ => break,
        };
        if filler == rest.len() {
            break;
        }
        start += filler;
    }
    let kept: Vec<String> = meaningful[start..]
        .iter()
        .take(MAX_WORDS)
        .cloned()
        .collect();
    join_and_fit(&kept, MAX_LEN)
}

/// A name given with `--short-name`, sanitised like a description but keeping every word.
/// `None` when nothing usable is left.
pub(crate) fn sanitize(name: &str) -> Option<String> {
    fitted(name, MAX_LEN)
}

/// `text` as a slug of at most `max` bytes: its words, as a short name reads them, joined by
/// `-` and cut on a word boundary. `None` when nothing usable is left.
pub(crate) fn fitted(text: &str, max: usize) -> Option<String> {
    join_and_fit(&words(text), max)
}

/// Lower-case ASCII words of `text`: letters and digits kept (common accented letters
/// transliterated), a hyphen between two of them kept (`multi-region` is one word), everything
/// else a separator.
fn words(text: &str) -> Vec<String> {
    let mut ascii = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // "don't" and "tenant's" are one word; combining accents belong to the letter before.
        if matches!(c, '\'' | '\u{2019}') || is_combining_mark(c) {
            continue;
        }
        let joins = ascii.ends_with(|p: char| p.is_ascii_alphanumeric())
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if matches!(c, '-' | '\u{2010}' | '\u{2011}') && joins {
            ascii.push('-');
            continue;
        }
        for lower in c.to_lowercase() {
            if lower.is_ascii_alphanumeric() {
                ascii.push(lower);
            } else if is_combining_mark(lower) {
                // `İ` lower-cases to `i` plus a combining dot: keep the `i` only.
            } else if let Some(t) = transliterate(lower) {
                ascii.push_str(t);
            } else {
                ascii.push(' ');
            }
        }
    }
    // A hyphen kept before a letter that was then dropped (`abc-日本`) ends its word.
    ascii
        .split(' ')
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `words` joined with `-`, cut on a word boundary to `max` bytes (a compound may lose its
/// tail; a single word longer than `max` is cut at `max`).
fn join_and_fit(words: &[String], max: usize) -> Option<String> {
    let mut name = words.join("-");
    if name.len() > max {
        // Only ASCII is left, so every byte index is a char boundary.
        let cut = match name[..=max].rfind('-') {
            Some(i) if i > 0 => i,
            _ => max,
        };
        name.truncate(cut);
    }
    (!name.is_empty()).then_some(name)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// ASCII spelling of common lower-case Latin letters with diacritics; `None` for the rest.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_of_descriptions() {
        let long_word = "x".repeat(300);
        let many_words = "word ".repeat(60);
        for (description, expected) in [
            (
                "Multi-tenant Kubernetes platform with namespace isolation",
                Some("multi-tenant-kubernetes-platform-namespace"),
            ),
            (
                "Set up the multi-region VPC for the payments platform",
                Some("multi-region-vpc-payments-platform"),
            ),
            ("Add a VPC for the EU region", Some("vpc-eu-region")),
            (
                "I want to add support for tenant quotas",
                Some("tenant-quotas"),
            ),
            (
                "Please provision and deploy a Redis cache",
                Some("redis-cache"),
            ),
            ("setup a set-up", Some("set-up")),
            (
                "Set-up   Cross‐region backups",
                Some("cross-region-backups"),
            ),
            (
                "Backup support for the database",
                Some("backup-support-database"),
            ),
            ("Create", Some("create")),
            ("Build -- the  - pipeline-", Some("pipeline")),
            (
                "Zero-downtime rolling e-mail relay",
                Some("zero-downtime-rolling-e-mail-relay"),
            ),
            ("abc-日本 x-", Some("abc-x")),
            ("  The   S3 bucket!!  ", Some("s3-bucket")),
            ("RTO of 15 minutes", Some("rto-15-minutes")),
            (
                "Don't lose the tenant's data",
                Some("dont-lose-tenants-data"),
            ),
            ("Café in Zürich für Straße", Some("cafe-zurich-fur-strasse")),
            ("Ærø Øresund ÅLAND", Some("aero-oresund-aland")),
            ("İstanbul région Łódź", Some("istanbul-region-lodz")),
            ("e\u{301}te\u{301} cluster", Some("ete-cluster")),
            ("🚀 launch 🚀 pad", Some("launch-pad")),
            ("日本語 クラスター", None),
            ("東京 region", Some("region")),
            ("the a an of to in on", None),
            ("", None),
            ("   ", None),
            ("$(rm -rf /); echo pwned", Some("rm-rf-echo-pwned")),
            (";|&", None),
            ("a;b|c&d", Some("b-c-d")),
            ("../../etc/passwd", Some("etc-passwd")),
            ("..", None),
            ("{{ 7*7 }}", Some("7-7")),
            ("{% for x in y %}", Some("x-y")),
            ("feature/branch name", Some("feature-branch-name")),
            ("refs/heads/main.lock", Some("refs-heads-main-lock")),
            ("tab\tnew\nline\r\0nul", Some("tab-new-line-nul")),
        ] {
            assert_eq!(
                from_description(description).as_deref(),
                expected,
                "{description:?}"
            );
        }
        let cut = from_description(&long_word).unwrap();
        assert_eq!(cut.len(), MAX_LEN);
        assert_eq!(
            from_description(&many_words).as_deref(),
            Some("word-word-word-word"),
            "four words at most"
        );
    }

    proptest::proptest! {
        /// Any text gives a name of `a-z`, `0-9` and single inner hyphens within the limit, cut
        /// where a word ends (unless its first word alone is longer than the limit).
        #[test]
        fn names_are_plain_and_cut_between_words(
            text in "[a-zA-Z0-9 \\-‐'é日_/.]{0,120}",
            max in 1usize..40,
        ) {
            for name in [from_description(&text), sanitize(&text), fitted(&text, max)]
                .into_iter()
                .flatten()
            {
                proptest::prop_assert!(
                    name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{name:?}"
                );
                proptest::prop_assert!(!name.starts_with('-') && !name.ends_with('-'), "{name:?}");
                proptest::prop_assert!(!name.contains("--"), "{name:?}");
            }
            let whole = words(&text).join("-");
            if let Some(cut) = fitted(&text, max) {
                proptest::prop_assert!(cut.len() <= max);
                proptest::prop_assert!(whole.starts_with(&cut));
                let at_boundary = whole.len() == cut.len()
                    || whole.as_bytes()[cut.len()] == b'-'
                    || !cut.contains('-');
                proptest::prop_assert!(at_boundary, "{cut:?} of {whole:?}");
            }
        }
    }

    #[test]
    fn short_name_flag_is_sanitised_but_keeps_every_word() {
        for (given, expected) in [
            ("eks", Some("eks")),
            ("The EKS Cluster", Some("the-eks-cluster")),
            (
                "one two three four five six",
                Some("one-two-three-four-five-six"),
            ),
            ("--weird--", Some("weird")),
            ("multi-region DR", Some("multi-region-dr")),
            ("../escape", Some("escape")),
            ("a/b", Some("a-b")),
            ("🙂", None),
            ("-", None),
        ] {
            assert_eq!(sanitize(given).as_deref(), expected, "{given:?}");
        }
    }

    #[test]
    fn long_input_is_cut_on_a_word_boundary() {
        let text = format!("{} tail", "abcdefghij ".repeat(30));
        let name = sanitize(&text).unwrap();
        assert!(name.len() <= MAX_LEN, "{}", name.len());
        assert!(!name.ends_with('-'), "{name}");
        assert!(name.split('-').all(|w| w == "abcdefghij"), "{name}");
    }

    #[test]
    fn every_result_makes_a_valid_branch_and_a_plain_folder_name() {
        let inputs = [
            "Multi-tenant Kubernetes platform",
            "$(rm -rf /)",
            "../..",
            "a..b",
            "x.lock",
            "@{upstream}",
            "HEAD",
            "~^:?*[\\",
            "{{ 7*7 }}",
            "Ünïcödé ñame",
            &"y".repeat(300),
            &"z ".repeat(300),
            &"日本".repeat(100),
        ];
        for input in inputs {
            for name in [from_description(input), sanitize(input)] {
                let name = name.unwrap_or_else(|| FALLBACK.to_string());
                assert!(
                    name.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{name}"
                );
                assert!(!name.starts_with('-') && !name.ends_with('-'), "{name}");
                assert!(!name.contains("--"), "{name}");
                let branch = format!("{}-{name}", crate::naming::Key::Number(u32::MAX));
                assert!(branch.len() <= 244, "{} bytes", branch.len());
                assert!(
                    git2::Reference::is_valid_name(&format!("refs/heads/{branch}")),
                    "{branch}"
                );
                assert!(crate::fsx::safe_component(&branch), "{branch}");
            }
        }
    }
}

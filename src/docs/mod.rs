//! The document model: what specops reads out of the Markdown it and its users write.
//!
//! Parsers read the shared Markdown parse ([`crate::markdown::Document`]), so fenced code blocks
//! and HTML comments never contribute a requirement, a scenario, a marker or a gate, and every
//! reader agrees with `check` on what a line is. Each document kind has its own
//! module; [`trace`] holds the cross-document checks (untraced, unknown, stale, unjustified).

pub mod aside;
pub mod constitution;
pub mod design;
pub mod facts;
pub mod fingerprint;
pub mod plan;
pub mod spec;
pub mod tasks;
pub mod trace;

use std::path::Path;

use crate::error::{Error, Result};
use crate::fsx::ReadProblem;
use std::ops::Range;

use crate::markdown::Document;

/// Read a document: `None` when it does not exist; an error when it cannot be read, is not a
/// regular file, is larger than `check` lints, is binary or is not UTF-8 (`shown` names it in
/// messages). A leading byte-order mark is dropped: it would hide the first heading from every
/// parser.
pub fn read(path: &Path, shown: &str) -> Result<Option<String>> {
    decode(
        crate::fsx::read_regular(path, crate::fsx::MAX_FILE_BYTES),
        shown,
    )
}

/// [`read`], keeping a byte-order mark: for rewriting a document with every other byte kept.
pub fn read_as_written(path: &Path, shown: &str) -> Result<Option<String>> {
    decode_as_written(
        crate::fsx::read_regular(path, crate::fsx::MAX_FILE_BYTES),
        shown,
    )
}

/// A document's bytes as read from wherever it lives (a file, a git blob), as [`read`] takes
/// them: `None` when it does not exist; an error when it could not be read, is larger than
/// `check` lints, is binary or is not UTF-8. A leading byte-order mark is dropped.
pub(crate) fn decode(
    read: std::result::Result<Option<Vec<u8>>, ReadProblem>,
    shown: &str,
) -> Result<Option<String>> {
    Ok(decode_as_written(read, shown)?.map(|mut text| {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        text
    }))
}

fn decode_as_written(
    read: std::result::Result<Option<Vec<u8>>, ReadProblem>,
    shown: &str,
) -> Result<Option<String>> {
    let max = crate::fsx::MAX_FILE_BYTES;
    let bytes = match read {
        Ok(None) => return Ok(None),
        Ok(Some(bytes)) => bytes,
        Err(ReadProblem::NotRegular) => {
            return Err(Error::input(
                format!("{shown} is not a regular file"),
                "replace it with a Markdown file",
            )
            .into())
        }
        Err(ReadProblem::TooLarge(len)) => {
            return Err(Error::input(
                format!(
                    "{shown} is too large ({} MiB; the limit is {} MiB)",
                    len / (1024 * 1024),
                    max / (1024 * 1024)
                ),
                "spec documents are kilobytes: check that this is the right file",
            )
            .into())
        }
        Err(ReadProblem::Io(e)) => return Err(Error::io("read", Path::new(shown), &e).into()),
    };
    if memchr::memchr(0, &bytes).is_some() {
        return Err(Error::input(
            format!("{shown} is a binary file (it contains NUL bytes)"),
            "save it as a UTF-8 Markdown file and run the command again",
        )
        .into());
    }
    String::from_utf8(bytes).map(Some).map_err(|_| {
        Error::input(
            format!("{shown} is not valid UTF-8"),
            "save the file as UTF-8 and run the command again",
        )
        .into()
    })
}

/// Every requirement-ID-shaped token in `text`, in order of appearance: `IR-001`, `NFR-12`,
/// `SEC-3` (`[A-Z]+-[0-9]+` between ASCII word boundaries). A scan for `-` with memchr,
/// which is several times faster than a regex on the short lines task lists are made of.
pub fn ids_in(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(rel) = memchr::memchr(b'-', &b[from..]) {
            let dash = from + rel;
            from = dash + 1;
            let upper = b[..dash]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_uppercase())
                .count();
            let digits = b[dash + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let (start, end) = (dash - upper, dash + 1 + digits);
            if upper == 0 || digits == 0 || (start > 0 && word(start - 1)) || word(end) {
                continue;
            }
            from = end;
            return Some(&text[start..end]);
        }
        None
    })
}

/// The requirement IDs `text` names, in order, with each range written out: `FR-001 through
/// FR-004`, `FR-001 to FR-004`, `FR-001–FR-004`, `FR-001..FR-004` name FR-001, FR-002, FR-003
/// and FR-004. A range joins two IDs of one prefix, the second higher, at most
/// [`MAX_RANGE`] apart (a typo such as `FR-1 to FR-99999` names its ends only).
///
/// `budget` is how many IDs ranges may still write out; each written-out ID spends one, and
/// once it is spent ranges name their ends only. A caller gives one budget to a whole document
/// (starting at [`MAX_WRITTEN_OUT`]), so that a hostile file of ranges (`IR-1 to IR-1000` over
/// and over) cannot turn a few megabytes into gigabytes of IDs.
pub fn ids_and_ranges_in(text: &str, budget: &mut usize) -> Vec<String> {
    let ids: Vec<&str> = ids_in(text).collect();
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    let offset = |id: &str| id.as_ptr() as usize - text.as_ptr() as usize;
    for (i, id) in ids.iter().enumerate() {
        out.push(id.to_string());
        let Some(next) = ids.get(i + 1) else { break };
        let between = &text[offset(id) + id.len()..offset(next)];
        let between = between.trim();
        let joined = ["through", "thru", "to", "-", "–", "—", "..", "...", "…"]
            .iter()
            .any(|word| between.eq_ignore_ascii_case(word));
        let (Some((prefix, from)), Some((prefix2, to))) =
            (id.split_once('-'), next.split_once('-'))
        else {
            continue;
        };
        let (Ok(a), Ok(b)) = (from.parse::<u64>(), to.parse::<u64>()) else {
            continue;
        };
        if joined && prefix == prefix2 && a < b && b - a <= MAX_RANGE {
            let inner = usize::try_from(b - a - 1).unwrap_or(usize::MAX);
            if inner > *budget {
                continue;
            }
            *budget -= inner;
            for n in a + 1..b {
                out.push(format!("{prefix}-{n:0width$}", width = from.len()));
            }
        }
    }
    out
}

/// The widest range [`ids_and_ranges_in`] writes out.
pub const MAX_RANGE: u64 = 1000;

/// How many IDs the ranges of one document may write out in all.
pub const MAX_WRITTEN_OUT: usize = 100_000;

/// Whether `s` is exactly one requirement ID (`[A-Z]+-\d+`).
pub fn is_id(s: &str) -> bool {
    let Some((prefix, digits)) = s.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_uppercase())
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Markdown emphasis and code marks stripped from the ends of `s` (`**Name**` → `Name`).
pub fn unemphasise(s: &str) -> &str {
    s.trim()
        .trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
}

/// The words of `s`, lower-cased: its runs of letters and digits (`HCP Terraform, v1` →
/// `hcp`, `terraform`, `v1`).
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `- **Name**: description` list items on lines `lines`, as (name, description, line).
pub fn named_items(doc: &Document, lines: Range<usize>) -> Vec<NamedItem> {
    doc.items_in(lines)
        .iter()
        .filter_map(|it| {
            let (name, desc) = split_name(&doc.item_text(it))?;
            Some(NamedItem {
                name,
                description: desc,
                line: it.line + 1,
            })
        })
        .collect()
}

/// A named list item: `- **Tenant Namespace**: an isolated namespace per tenant`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NamedItem {
    pub name: String,
    pub description: String,
    #[serde(skip)]
    pub line: usize,
}

/// Split `**Name**: description` (or `**Name:** description`, or `Name: description`).
pub(crate) fn split_name(item: &str) -> Option<(String, String)> {
    let item = item.trim();
    let (name, rest) = if let Some(after) = item.strip_prefix("**") {
        let end = after.find("**")?;
        let name = after[..end].trim().trim_end_matches(':');
        let rest = after[end + 2..].trim_start();
        (name, rest.strip_prefix(':').unwrap_or(rest))
    } else {
        let (name, rest) = item.split_once(':')?;
        (unemphasise(name), rest)
    };
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some((name.to_string(), rest.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regular expression [`ids_in`] implements, kept as the oracle of its property test.
    static ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?-u:\b)[A-Z]+-[0-9]+(?-u:\b)").expect("static regex is valid")
    });

    proptest::proptest! {
        #[test]
        fn ids_in_matches_its_regex(s in "([A-Z]{1,3}-[0-9]{1,3}|[A-Za-z0-9_ é,()\\-]){0,12}") {
            let want: Vec<&str> = ID.find_iter(&s).map(|m| m.as_str()).collect();
            let got: Vec<&str> = ids_in(&s).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn ranges_name_every_id_they_span() {
        for (text, want) in [
            (
                "FR-001 through FR-004",
                vec!["FR-001", "FR-002", "FR-003", "FR-004"],
            ),
            ("FR-1 to FR-3, SC-2", vec!["FR-1", "FR-2", "FR-3", "SC-2"]),
            ("FR-008–FR-010", vec!["FR-008", "FR-009", "FR-010"]),
            ("FR-008..FR-009", vec!["FR-008", "FR-009"]),
            ("FR-001 and FR-003", vec!["FR-001", "FR-003"]),
            ("FR-003 to FR-001", vec!["FR-003", "FR-001"]),
            ("FR-001 to NFR-003", vec!["FR-001", "NFR-003"]),
            ("FR-1 to FR-99999", vec!["FR-1", "FR-99999"]),
        ] {
            assert_eq!(
                ids_and_ranges_in(text, &mut MAX_WRITTEN_OUT.clone()),
                want,
                "{text}"
            );
        }
        // The budget is shared: once spent, ranges name their ends only.
        let mut budget = 5;
        assert_eq!(ids_and_ranges_in("IR-1 to IR-5", &mut budget).len(), 5);
        assert_eq!(budget, 2);
        assert_eq!(
            ids_and_ranges_in("IR-1 to IR-5", &mut budget),
            ["IR-1", "IR-5"]
        );
        assert_eq!(ids_and_ranges_in("IR-1 to IR-3", &mut budget).len(), 3);
        assert_eq!(budget, 1);
        {}
    }

    #[test]
    fn ids_and_names() {
        let found: Vec<&str> = ids_in("IR-001, NFR-2 and x-1, SC-03b, (SEC-9)").collect();
        assert_eq!(found, ["IR-001", "NFR-2", "SEC-9"]);
        for (s, ok) in [
            ("IR-001", true),
            ("ir-001", false),
            ("IR-", false),
            ("-1", false),
        ] {
            assert_eq!(is_id(s), ok, "{s}");
        }
        for (item, expected) in [
            ("**Tenant**: a tenant", Some(("Tenant", "a tenant"))),
            ("**Tenant:** a tenant", Some(("Tenant", "a tenant"))),
            ("Tenant: a tenant", Some(("Tenant", "a tenant"))),
            ("**Tenant**", Some(("Tenant", ""))),
            ("no separator", None),
            ("****: x", None),
        ] {
            let got = split_name(item);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                expected,
                "{item}"
            );
        }
    }
}

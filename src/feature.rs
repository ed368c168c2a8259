//! A feature: its number, short name, branch and folder, as documents and JSON name it.

use serde::Serialize;

/// One feature, as passed to templates (`feature.number`, `feature.branch`, …) and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureRef {
    /// The zero-padded number, e.g. `003` (wider past 999).
    pub number: String,
    /// The short name, e.g. `multi-tenant-kubernetes`.
    pub short_name: String,
    /// The branch name, `NNN-short-name`.
    pub branch: String,
    /// The folder relative to the repository root, with `/`, e.g. `specs/003-multi-tenant-kubernetes`.
    pub dir: String,
}

impl FeatureRef {
    /// The feature of folder `name` (`NNN-short-name`) under `specs_dir` (relative, with `/`).
    pub fn from_dir_name(name: &str, specs_dir: &str) -> Option<Self> {
        let n = feature_number(name)?;
        let short = &name[name.find('-')? + 1..];
        Some(Self::new(n, short, specs_dir))
    }

    /// The feature numbered `n` with `short_name`, under `specs_dir`.
    pub fn new(n: u32, short_name: &str, specs_dir: &str) -> Self {
        let number = format_number(n);
        let branch = format!("{number}-{short_name}");
        let dir = format!("{}/{branch}", specs_dir.trim_end_matches('/'));
        Self {
            number,
            short_name: short_name.to_string(),
            branch,
            dir,
        }
    }
}

/// `n` zero-padded to three digits; wider numbers keep all their digits (`1000`).
pub fn format_number(n: u32) -> String {
    format!("{n:03}")
}

/// The number of a feature folder or branch name `NNN-…` (at least three digits, then `-`).
pub fn feature_number(name: &str) -> Option<u32> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 3 || name.as_bytes().get(digits) != Some(&b'-') {
        return None;
    }
    name[..digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_names() {
        for (name, n) in [
            ("001-eks", Some(1)),
            ("042-a-b", Some(42)),
            ("999-x", Some(999)),
            ("1000-wide", Some(1000)),
            ("0007-padded", Some(7)),
            ("01-short", None),
            ("abc-1", None),
            ("003", None),
            ("003_x", None),
            ("", None),
            ("99999999999999999999-overflow", None),
        ] {
            assert_eq!(feature_number(name), n, "{name}");
        }
    }

    #[test]
    fn refs_from_folder_names() {
        let f = FeatureRef::from_dir_name("003-multi-tenant", "specs").unwrap();
        assert_eq!(f.number, "003");
        assert_eq!(f.short_name, "multi-tenant");
        assert_eq!(f.branch, "003-multi-tenant");
        assert_eq!(f.dir, "specs/003-multi-tenant");
        assert_eq!(
            FeatureRef::new(1000, "x", "docs/specs/").dir,
            "docs/specs/1000-x"
        );
        assert_eq!(format_number(7), "007");
    }
}

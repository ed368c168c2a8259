//! The citation scan over a whole repository, through the library (`trace` and the rules that
//! read citations run it through the binary): what is read, what is left out, and which
//! citations a feature sees.

use std::path::PathBuf;

use specops::{citations_in_index, citations_in_work_tree, CitationIndex};

use crate::support::Sandbox;

/// Every citation as `(id, path, line, qualifier, test)`, by ID, path and line.
fn listed(index: &CitationIndex) -> Vec<(String, String, usize, Option<String>, bool)> {
    index
        .ids()
        .flat_map(|id| {
            index.all(id).iter().map(move |c| {
                (
                    id.to_string(),
                    c.path.clone(),
                    c.line,
                    c.qualifier.clone(),
                    c.test,
                )
            })
        })
        .collect()
}

fn cite(
    id: &str,
    path: &str,
    line: usize,
    qualifier: Option<&str>,
    test: bool,
) -> (String, String, usize, Option<String>, bool) {
    (
        id.into(),
        path.into(),
        line,
        qualifier.map(str::to_string),
        test,
    )
}

/// A repository with real citations in several languages and, around them, everything a scan
/// must leave out.
fn repository() -> Sandbox {
    let s = Sandbox::git();
    // Specs name IDs; they are not citations.
    s.write(
        "specs/003-multi-tenant/spec.md",
        "# Spec\n\n- **IR-001**: The platform MUST isolate tenants.\n<!-- IR-001 -->\n",
    );
    s.write(
        "modules/tenant/main.tf",
        "# IR-001\nresource \"kubernetes_namespace\" \"t\" {\n  name = \"IR-002\" # 003/IR-002\n}\n/* IR-003\n   IR-004 */\n",
    );
    s.write(
        "k8s/deploy.yaml",
        "apiVersion: apps/v1 # IR-005\nmetadata:\n  name: IR-006\n  labels: {app: x} # 003-multi-tenant/IR-006\n",
    );
    s.write(
        "Dockerfile",
        "FROM alpine:3\n# 004-other/IR-001\nRUN true\n",
    );
    s.write("cmd/main.go", "package main // IR-007\n\nfunc main() {}\n");
    s.write("db/schema.sql", "CREATE TABLE t (id int); -- IR-008\n");
    s.write("docs/runbook.md", "# IR-009 runbook\n\n<!-- IR-010 -->\n");
    s.write(
        "tests/tenant_test.go",
        "package tests\n\n// IR-001 validated\n",
    );
    s.write("policies/deny.rego", "package deny\n# IR-005\n");
    // Left out: ignored, vendored, caches, specops' own files, prompts, a nested repository,
    // binary and oversized files.
    s.write(".gitignore", "build/\n*.log\n");
    s.write("build/gen.tf", "# IR-901\n");
    s.write("debug.log", "# IR-902\n");
    s.write("node_modules/x/index.js", "// IR-903\n");
    s.write("vendor/x/x.go", "// IR-904\n");
    s.write(".terraform/modules/m/main.tf", "# IR-905\n");
    s.write(".specops/templates/spec.md", "<!-- IR-906 -->\n");
    s.write(".claude/commands/specops.implement.md", "<!-- IR-907 -->\n");
    git2::Repository::init(s.join("nested")).unwrap();
    s.write("nested/main.tf", "# IR-908\n");
    s.write("logo.png", b"# IR-909\n\0\x01\x02");
    let mut big = "# IR-910\n".to_string();
    big.push_str(&"x".repeat(specops::MAX_CITING_BYTES as usize));
    s.write("state/big.tf", big);
    s
}

#[test]
fn the_work_tree_cites_in_comments_outside_left_out_folders() {
    let s = repository();
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.tf"), "# IR-911\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.tf"), s.join("outside.tf")).unwrap();
        std::os::unix::fs::symlink(outside.path(), s.join("outside-dir")).unwrap();
        std::os::unix::fs::symlink(s.join("cmd"), s.join("cmd-link")).unwrap();
        std::os::unix::fs::symlink("db/schema.sql", s.join("schema.sql")).unwrap();
        std::os::unix::fs::symlink("missing.tf", s.join("dangling.tf")).unwrap();
    }
    let index = citations_in_work_tree(s.path(), &[s.join("specs")]).unwrap();
    let mut want = vec![
        cite("IR-001", "Dockerfile", 2, Some("004-other"), false),
        cite("IR-001", "modules/tenant/main.tf", 1, None, false),
        cite("IR-001", "tests/tenant_test.go", 3, None, true),
        cite("IR-002", "modules/tenant/main.tf", 3, Some("003"), false),
        cite("IR-003", "modules/tenant/main.tf", 5, None, false),
        cite("IR-004", "modules/tenant/main.tf", 6, None, false),
        cite("IR-005", "k8s/deploy.yaml", 1, None, false),
        cite("IR-005", "policies/deny.rego", 2, None, true),
        cite(
            "IR-006",
            "k8s/deploy.yaml",
            4,
            Some("003-multi-tenant"),
            false,
        ),
        cite("IR-007", "cmd/main.go", 1, None, false),
        cite("IR-008", "db/schema.sql", 1, None, false),
    ];
    if cfg!(unix) {
        // A symlink to a file inside the repository is read under its own path too.
        want.push(cite("IR-008", "schema.sql", 1, None, false));
    }
    want.push(cite("IR-010", "docs/runbook.md", 3, None, false));
    assert_eq!(listed(&index), want);
    assert_eq!(
        index
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect::<Vec<_>>(),
        [("state/big.tf", "larger than 4 MiB")]
    );

    // A feature sees unqualified citations and those naming it, by folder name or number.
    let paths = |id: &str, dir: &str| -> Vec<String> {
        index
            .cites(id, dir)
            .map(|c| format!("{}:{}", c.path, c.line))
            .collect()
    };
    assert_eq!(
        paths("IR-001", "003-multi-tenant"),
        ["modules/tenant/main.tf:1", "tests/tenant_test.go:3"]
    );
    assert_eq!(
        paths("IR-001", "004-other"),
        [
            "Dockerfile:2",
            "modules/tenant/main.tf:1",
            "tests/tenant_test.go:3"
        ]
    );
    assert_eq!(
        paths("IR-002", "003-multi-tenant"),
        ["modules/tenant/main.tf:3"]
    );
    assert!(paths("IR-002", "004-other").is_empty());
    assert_eq!(paths("IR-006", "003-multi-tenant"), ["k8s/deploy.yaml:4"]);
    assert!(paths("IR-999", "003-multi-tenant").is_empty());
}

#[test]
fn skipped_folders_may_be_relative_and_the_root_is_never_skipped() {
    let s = repository();
    let index = citations_in_work_tree(s.path(), &[PathBuf::from("modules"), s.join(".")]).unwrap();
    let ids: Vec<&str> = index.ids().collect();
    // specs/ is scanned now (its HTML comment cites); modules/ is not.
    assert!(index
        .all("IR-001")
        .iter()
        .any(|c| c.path == "specs/003-multi-tenant/spec.md"));
    assert!(!ids.contains(&"IR-003"), "{ids:?}");
    assert!(ids.contains(&"IR-007"), "{ids:?}");
}

#[test]
fn a_subfolder_root_reads_the_ignore_files_above_it() {
    let s = repository();
    s.write("infra/build/gen.tf", "# IR-921\n");
    s.write("infra/main.tf", "# IR-922\n");
    let index = citations_in_work_tree(&s.join("infra"), &[]).unwrap();
    assert_eq!(index.ids().collect::<Vec<_>>(), ["IR-922"]);
    assert_eq!(index.all("IR-922")[0].path, "main.tf");
}

#[test]
fn the_index_holds_what_the_next_commit_cites() {
    let s = repository();
    let repo = s.repo();
    let mut index = repo.index().unwrap();
    for path in [
        "modules/tenant/main.tf",
        "k8s/deploy.yaml",
        "specs/003-multi-tenant/spec.md",
        "node_modules/x/index.js",
        // Ignored but staged all the same: the commit holds it.
        "build/gen.tf",
        "logo.png",
    ] {
        index.add_path(std::path::Path::new(path)).unwrap();
    }
    index.write().unwrap();
    // Changed after staging: the staged version counts.
    s.write("modules/tenant/main.tf", "# IR-031\n");
    let found = citations_in_index(s.path(), &[s.join("specs")]).unwrap();
    assert_eq!(
        listed(&found),
        [
            cite("IR-001", "modules/tenant/main.tf", 1, None, false),
            cite("IR-002", "modules/tenant/main.tf", 3, Some("003"), false),
            cite("IR-003", "modules/tenant/main.tf", 5, None, false),
            cite("IR-004", "modules/tenant/main.tf", 6, None, false),
            cite("IR-005", "k8s/deploy.yaml", 1, None, false),
            cite(
                "IR-006",
                "k8s/deploy.yaml",
                4,
                Some("003-multi-tenant"),
                false
            ),
            cite("IR-901", "build/gen.tf", 1, None, false),
        ]
    );
    assert_eq!(found.files, 3);
}

/// A file unchanged since it was staged is read from the work tree (as fast as grep reads it):
/// its blob can be missing from the object database and its citations are found all the same.
/// A file changed after staging, even to the same size, is read from its blob.
#[test]
fn unchanged_files_are_read_from_the_work_tree_changed_ones_from_the_index() {
    let s = Sandbox::git();
    s.write("modules/a.tf", "# IR-041\n");
    s.write("modules/b.tf", "# IR-042\n");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in ["modules/a.tf", "modules/b.tf"] {
        let file = std::fs::File::options()
            .write(true)
            .open(s.join(f))
            .unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
    let repo = s.repo();
    let mut index = repo.index().unwrap();
    index
        .add_path(std::path::Path::new("modules/a.tf"))
        .unwrap();
    index
        .add_path(std::path::Path::new("modules/b.tf"))
        .unwrap();
    index.write().unwrap();
    // a.tf's blob is lost; b.tf changes to the same size after staging.
    let blob = index
        .get_path(std::path::Path::new("modules/a.tf"), 0)
        .unwrap()
        .id
        .to_string();
    std::fs::remove_file(s.join(&format!(".git/objects/{}/{}", &blob[..2], &blob[2..]))).unwrap();
    s.write("modules/b.tf", "# IR-043\n");
    let found = citations_in_index(s.path(), &[]).unwrap();
    assert_eq!(found.ids().collect::<Vec<_>>(), ["IR-041", "IR-042"]);
}

/// A specs folder that is the repository's root (`specs_dir: .`) leaves its feature folders
/// out of the scan, not the whole repository: a spec does not implement itself.
#[test]
fn a_specs_folder_at_the_root_leaves_out_its_feature_folders() {
    let s = Sandbox::git();
    s.write(
        "003-multi-tenant/spec.md",
        "- **IR-001**: x\n<!-- IR-001 -->\n",
    );
    s.write("modules/a.tf", "# IR-002\n");
    let index = citations_in_work_tree(s.path(), &[s.path().to_path_buf()]).unwrap();
    assert_eq!(index.ids().collect::<Vec<_>>(), ["IR-002"]);
}

#[test]
fn a_missing_root_is_an_error() {
    let s = Sandbox::new();
    let err = citations_in_work_tree(&s.join("missing"), &[]).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    let err = citations_in_index(s.path(), &[]).unwrap_err();
    assert!(err.to_string().contains("needs a git repository"), "{err}");
}

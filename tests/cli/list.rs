//! `specops list` / `specops status`.

use crate::support::Sandbox;

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn feature(s: &Sandbox, name: &str) {
    s.write(
        &format!("specs/{name}/spec.md"),
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated. [NEEDS CLARIFICATION: which regions?]\n\n```md\n[NEEDS CLARIFICATION: an example, not a marker]\n```\n",
    );
    s.write(
        &format!("specs/{name}/checklists/requirements.md"),
        "- [x] one\n- [ ] two\n",
    );
}

#[test]
fn empty_repository_says_how_to_start() {
    let s = Sandbox::git();
    let r = s.run_ok(&["list"]);
    assert!(
        r.stdout.contains("No features under specs/"),
        "{}",
        r.stdout
    );
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(v["features"], serde_json::json!([]));
}

#[test]
fn one_row_per_feature_with_progress_and_branches() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    feature(&s, "002-dr");
    s.write("specs/002-dr/tasks.md", "- [x] T001 a\n- [ ] T002 b\n");
    s.write("specs/notes/README.md", "not a feature folder\n");
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("001-tenancy", &head, false).unwrap();
    repo.reference("refs/remotes/origin/002-dr", head.id(), false, "test")
        .unwrap();

    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["number"], "001");
    assert_eq!(f[0]["short_name"], "tenancy");
    assert_eq!(
        f[0]["branch"],
        serde_json::json!({"local": true, "remote": false})
    );
    assert_eq!(f[0]["open_markers"], 1);
    assert_eq!(
        f[0]["checklist"],
        serde_json::json!({"done": 1, "total": 2})
    );
    assert_eq!(f[0]["tasks"], serde_json::Value::Null);
    assert_eq!(
        f[1]["branch"],
        serde_json::json!({"local": false, "remote": true})
    );
    assert_eq!(f[1]["tasks"], serde_json::json!({"done": 1, "total": 2}));
    assert_eq!(
        f[1]["documents"],
        serde_json::json!(["spec", "checklist", "tasks"])
    );

    let r = s.run_ok(&["status"]);
    insta::assert_snapshot!("list_human", r.stdout);
}

/// Feature 003-eks with one requirement and its plan.
fn planned_feature() -> Sandbox {
    let s = Sandbox::git();
    s.write(
        "memory/constitution.md",
        "# C\n\n### Article I: Module-First\n\nModules first.\n",
    );
    s.write(
        "specs/003-eks/spec.md",
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated.\n",
    );
    s.run_ok(&["plan", "--feature", "3", "-q"]);
    s
}

/// Change requirement IR-001 of 003-eks; `list --json` then shows the feature's plan stale.
fn after_a_spec_edit(s: &Sandbox) -> serde_json::Value {
    s.write(
        "specs/003-eks/spec.md",
        "# Spec\n\n## Requirements\n\n- **IR-001**: Tenants MUST be isolated by network too.\n",
    );
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(
        v["features"][0]["stale_plan"],
        serde_json::json!(["IR-001"])
    );
    v
}

#[test]
fn stale_plan_is_shown_after_a_spec_edit() {
    let s = planned_feature();
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(v["features"][0]["stale_plan"], serde_json::json!([]));
    after_a_spec_edit(&s);
    assert!(s.run_ok(&["list"]).stdout.contains("plan (IR-001)"));
}

#[test]
fn works_outside_git_and_survives_unreadable_files() {
    let s = Sandbox::new();
    feature(&s, "001-tenancy");
    s.write(
        "specs/001-tenancy/research.md",
        b"\xff\xfe not utf-8".as_slice(),
    );
    let r = s.run_ok(&["list", "--json"]);
    let v = json(&r.stdout);
    assert_eq!(v["features"][0]["branch"], serde_json::Value::Null);
    assert_eq!(
        v["features"][0]["unreadable"],
        serde_json::json!(["research.md"])
    );
    assert_eq!(
        v["features"][0]["notes"],
        serde_json::json!(["research.md is not valid UTF-8"])
    );
    let r = s.run_ok(&["list"]);
    assert!(
        r.stdout
            .contains("warning: specs/001-tenancy: research.md is not valid UTF-8"),
        "{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// The team view: features that live only on other local branches, and plan variants.

/// What a branch's commit holds at a path.
enum At<'a> {
    File(&'a [u8]),
    Link(&'a str),
    /// A gitlink: a commit of another repository.
    Submodule,
}

/// Commit `files` on top of HEAD's tree to a new branch `branch`, leaving HEAD, the index and
/// the work tree as they are; the new commit.
fn commit_to_branch(s: &Sandbox, branch: &str, files: &[(&str, At)]) -> git2::Oid {
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, at) in files {
        let (id, mode) = match at {
            At::File(bytes) => (repo.blob(bytes).unwrap(), git2::FileMode::Blob),
            At::Link(target) => (repo.blob(target.as_bytes()).unwrap(), git2::FileMode::Link),
            At::Submodule => (
                git2::Oid::from_str("1234567890123456789012345678901234567890").unwrap(),
                git2::FileMode::Commit,
            ),
        };
        update.upsert(path, id, mode);
    }
    let tree = update.create_updated(&repo, &head.tree().unwrap()).unwrap();
    let tree = repo.find_tree(tree).unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
    let commit = repo
        .commit(None, &sig, &sig, branch, &tree, &[&head])
        .unwrap();
    repo.reference(&format!("refs/heads/{branch}"), commit, false, "test")
        .unwrap();
    commit
}

/// A spec with `n` requirements, so a row shows which copy was read.
fn spec_with(n: usize) -> Vec<u8> {
    let mut s = "# Spec\n\n## Requirements\n\n".to_string();
    for i in 1..=n {
        s.push_str(&format!("- **IR-{i:03}**: The platform MUST do {i}.\n"));
    }
    s.into_bytes()
}

#[test]
fn features_only_other_branches_hold_are_listed_once_with_their_branch() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    s.write("modules/quota/main.tf", "# IR-001\n");
    s.commit_all("tenancy");
    let one = spec_with(1);
    let two = spec_with(2);
    let three = spec_with(3);
    let four = spec_with(4);
    // The feature's own branch (by its key) wins over another branch holding the same folder;
    // its copy of a feature the work tree has is not shown.
    commit_to_branch(
        &s,
        "002-dr",
        &[
            ("specs/002-dr/spec.md", At::File(&one)),
            (
                "specs/002-dr/tasks.md",
                At::File(b"- [x] T001 a\n- [ ] T002 b\n"),
            ),
            ("specs/002-dr/variants/pilot/plan.md", At::File(b"# Plan\n")),
            ("specs/001-tenancy/spec.md", At::File(&four)),
        ],
    );
    commit_to_branch(
        &s,
        "wip",
        &[
            ("specs/002-dr/spec.md", At::File(&two)),
            ("specs/003-vpc/spec.md", At::File(&three)),
        ],
    );
    // No branch names 003-vpc: the first by name is read.
    commit_to_branch(&s, "x-later", &[("specs/003-vpc/spec.md", At::File(&four))]);
    // A branch named freely, whose feature `specify --branch` recorded, wins over one before it.
    commit_to_branch(&s, "aa-first", &[("specs/004-dns/spec.md", At::File(&two))]);
    commit_to_branch(&s, "zz-mine", &[("specs/004-dns/spec.md", At::File(&one))]);
    s.repo()
        .config()
        .unwrap()
        .set_str("branch.zz-mine.specopsFeature", "004-dns")
        .unwrap();
    // A branch at the current commit adds nothing; an uncommitted feature shows from the work tree.
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("main-copy", &head, false).unwrap();
    s.write("specs/005-edge/spec.md", "# Spec\n");

    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let rows: Vec<(String, serde_json::Value, serde_json::Value)> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["dir"].as_str().unwrap().to_string(),
                f["from_branch"].clone(),
                f["requirements"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "specs/001-tenancy".into(),
                serde_json::Value::Null,
                1.into()
            ),
            ("specs/002-dr".into(), "002-dr".into(), 1.into()),
            ("specs/003-vpc".into(), "wip".into(), 3.into()),
            ("specs/004-dns".into(), "zz-mine".into(), 1.into()),
            ("specs/005-edge".into(), serde_json::Value::Null, 0.into()),
        ]
    );
    // Citations are the work tree's: a row read from another branch has none to count.
    assert_eq!(v["features"][0]["implemented"], 1);
    assert_eq!(v["features"][1]["implemented"], serde_json::Value::Null);
    assert_eq!(v["features"][1]["variants"][0]["name"], "pilot");
    assert_eq!(v["notes"], serde_json::json!([]));
    insta::assert_snapshot!("list_team_json", s.run_ok(&["list", "--json"]).stdout);
    insta::assert_snapshot!("list_team_human", s.run_ok(&["list"]).stdout);

    // `--no-branches` lists the work tree alone.
    let v = json(&s.run_ok(&["list", "--no-branches", "--json"]).stdout);
    let dirs: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["dir"].as_str().unwrap())
        .collect();
    assert_eq!(dirs, ["specs/001-tenancy", "specs/005-edge"]);

    // On the feature's branch, its work tree is read and the branch left is listed instead.
    let mut checkout = git2::build::CheckoutBuilder::new();
    checkout.force();
    let target = repo.revparse_single("refs/heads/002-dr").unwrap();
    repo.checkout_tree(&target, Some(&mut checkout)).unwrap();
    repo.set_head("refs/heads/002-dr").unwrap();
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let from: Vec<(&str, &serde_json::Value)> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["dir"].as_str().unwrap(), &f["from_branch"]))
        .collect();
    // 005-edge is untracked, so still in the work tree; main adds nothing the work tree lacks.
    assert_eq!(
        from,
        [
            ("specs/001-tenancy", &serde_json::Value::Null),
            ("specs/002-dr", &serde_json::Value::Null),
            ("specs/003-vpc", &serde_json::json!("wip")),
            ("specs/004-dns", &serde_json::json!("zz-mine")),
            ("specs/005-edge", &serde_json::Value::Null),
        ]
    );
}

#[test]
fn plan_variants_have_rows_of_their_own() {
    let s = planned_feature();
    s.run_ok(&["plan", "--feature", "3", "--variant", "spot", "-q"]);
    s.run_ok(&[
        "tasks",
        "--feature",
        "3",
        "--variant",
        "spot",
        "--allow-open",
        "-q",
    ]);
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let f = &v["features"][0];
    assert_eq!(f["variants"].as_array().unwrap().len(), 1);
    let spot = &f["variants"][0];
    assert_eq!(spot["name"], "spot");
    assert_eq!(spot["dir"], "specs/003-eks/variants/spot");
    assert_eq!(spot["stale_plan"], serde_json::json!([]));
    assert!(spot["tasks"]["total"].as_u64().unwrap() > 0, "{spot}");
    // The feature's row counts its own documents only.
    assert_eq!(f["tasks"], serde_json::Value::Null);

    // A spec edit makes every plan stale, the variant's too.
    let v = after_a_spec_edit(&s);
    assert_eq!(
        v["features"][0]["variants"][0]["stale_plan"],
        serde_json::json!(["IR-001"])
    );
    insta::assert_snapshot!("list_variants_human", s.run_ok(&["list"]).stdout);
}

#[test]
fn what_a_branch_holds_that_cannot_be_read_is_a_note_not_a_failure() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    s.commit_all("tenancy");
    let huge = vec![b'a'; 33 * 1024 * 1024];
    let commit = commit_to_branch(
        &s,
        "002-odd",
        &[
            ("specs/002-odd/spec.md", At::File(&huge)),
            ("specs/002-odd/research.md", At::File(b"\xff\xfe not utf-8")),
            ("specs/002-odd/data-model.md", At::File(b"nul \0 inside")),
            ("specs/002-odd/plan.md", At::Link("../../../../etc/passwd")),
            ("specs/002-odd/contracts", At::Submodule),
            ("specs/003-sub", At::Submodule),
            ("specs/004-link", At::Link("../elsewhere")),
            ("specs/005-file", At::File(b"not a folder")),
            // A name from the repository never drives the terminal.
            (
                "specs/002-odd/variants/\x1b[2Jx/plan.md",
                At::File(b"# Plan\n"),
            ),
        ],
    );
    // A blob whose object is gone.
    let missing = s.repo().blob(b"- [ ] T001 lost\n").unwrap();
    commit_to_branch(
        &s,
        "006-lost",
        &[("specs/006-lost/tasks.md", At::File(b"- [ ] T001 lost\n"))],
    );
    let hex = missing.to_string();
    std::fs::remove_file(s.join(&format!(".git/objects/{}/{}", &hex[..2], &hex[2..]))).unwrap();
    // A branch whose commit is not there at all.
    std::fs::write(
        s.join(".git/refs/heads/broken"),
        "0123456789012345678901234567890123456789\n",
    )
    .unwrap();
    let _ = commit;

    let r = s.run_ok(&["list", "--json"]);
    let v = json(&r.stdout);
    let odd = &v["features"][1];
    assert_eq!(odd["from_branch"], "002-odd");
    assert_eq!(
        odd["unreadable"],
        serde_json::json!(["data-model.md", "plan.md", "research.md", "spec.md"])
    );
    insta::assert_snapshot!("list_branch_problems_json", r.stdout);
    insta::assert_snapshot!("list_branch_problems_human", s.run_ok(&["list"]).stdout);
}

/// Many entries of a branch's folder can name one large blob: the folder reads at most 64 MiB
/// of Markdown in all, and folders nested deeper than a feature's are not walked, so a small
/// branch cannot make `list` hold gigabytes.
#[test]
fn a_branch_folder_cannot_make_list_hold_more_than_its_budget() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    s.commit_all("tenancy");
    let mut big = spec_with(3);
    big.resize(30 * 1024 * 1024, b' ');
    let deep = format!("specs/002-big/{}notes.md", "d/".repeat(40));
    commit_to_branch(
        &s,
        "002-big",
        &[
            ("specs/002-big/spec.md", At::File(&big)),
            ("specs/002-big/a.md", At::File(&big)),
            ("specs/002-big/b.md", At::File(&big)),
            ("specs/002-big/c.md", At::File(&big)),
            (deep.as_str(), At::File(b"# deep\n")),
        ],
    );
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let big = &v["features"][1];
    assert_eq!(big["from_branch"], "002-big");
    // The spec is read first, whatever the names around it; `a.md` fills the budget with it.
    assert_eq!(big["requirements"], 3, "{big}");
    assert_eq!(
        big["unreadable"],
        serde_json::json!(["b.md", "c.md"]),
        "{big}"
    );
    let notes = big["notes"].to_string();
    assert!(notes.contains("pass 64 MiB together"), "{notes}");
    assert!(notes.contains("more than 16 levels deep"), "{notes}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_document_leading_outside_the_repository_is_not_read() {
    let s = Sandbox::git();
    feature(&s, "001-tenancy");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("plan.md"),
        "[NEEDS CLARIFICATION: not ours to count]\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("plan.md"),
        s.join("specs/001-tenancy/plan.md"),
    )
    .unwrap();
    // A link to a document inside the repository is read.
    s.write(
        "common/research.md",
        "[NEEDS CLARIFICATION: common question]\n",
    );
    std::os::unix::fs::symlink(
        "../../common/research.md",
        s.join("specs/001-tenancy/research.md"),
    )
    .unwrap();
    let v = json(&s.run_ok(&["list", "--json"]).stdout);
    let f = &v["features"][0];
    assert_eq!(f["unreadable"], serde_json::json!(["plan.md"]));
    let note = f["notes"][0].as_str().unwrap();
    assert!(
        note.starts_with("plan.md leads outside the repository"),
        "{note}"
    );
    // The spec's marker and the common research's, not the outside one.
    assert_eq!(f["open_markers"], 2);
}

/// Names are the repository's text: a tab is shown as `\t` and a CJK name takes two columns a
/// character, so every row's columns line up as a terminal shows them.
#[test]
fn columns_line_up_under_tabs_and_wide_names() {
    let s = Sandbox::git_with_commit();
    for name in ["001-a\tb", "002-要件", "003-plain"] {
        feature(&s, name);
    }
    let table = s.run_ok(&["list"]).stdout;
    assert!(table.contains("a\\tb"), "{table}");
    let starts: Vec<usize> = table
        .lines()
        .map(|l| {
            let at = l.find("none").or_else(|| l.find("BRANCH")).unwrap();
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert_eq!(starts.len(), 4, "{table}");
    assert!(
        starts.iter().all(|&w| w == starts[0]),
        "{starts:?}\n{table}"
    );
}

/// `-q` silences progress, and the table is no progress: `list -q` prints it, as `status -q`
/// and `-q list` do.
#[test]
fn quiet_still_prints_the_table() {
    let s = Sandbox::git_with_commit();
    feature(&s, "001-tenancy");
    let table = s.run_ok(&["list"]).stdout;
    assert!(table.contains("001  tenancy"), "{table}");
    for args in [
        &["list", "-q"][..],
        &["list", "--quiet"],
        &["-q", "list"],
        &["status", "-q"],
    ] {
        let r = s.run_ok(args);
        assert_eq!(r.stdout, table, "{args:?}");
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
    let quiet_json = s.run_ok(&["list", "-q", "--json"]).stdout;
    assert_eq!(quiet_json, s.run_ok(&["list", "--json"]).stdout);
    let help = s.run_ok(&["list", "--help"]).stdout;
    assert!(help.contains("Print the table all the same"), "{help}");
}

//! `specops specify`: numbering, short names, branches, files, output and errors, in real
//! temporary repositories created through git2.

use std::path::Path;

use crate::support::Sandbox;

const EKS: &str = "Multi-tenant Kubernetes platform with namespace isolation";
const EKS_DIR: &str = "specs/001-multi-tenant-kubernetes-platform-namespace";

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// `specify --json …` in `s`; the parsed report.
fn specify_json(s: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["specify", "--json"];
    all.extend_from_slice(args);
    json(&s.run_ok(&all).stdout)
}

fn head_name(s: &Sandbox) -> String {
    let repo = s.repo();
    let head = repo.find_reference("HEAD").unwrap();
    head.symbolic_target()
        .unwrap()
        .unwrap_or("(detached)")
        .to_string()
}

fn head_oid(s: &Sandbox) -> git2::Oid {
    s.repo().head().unwrap().target().unwrap()
}

fn branch_target(s: &Sandbox, name: &str) -> Option<git2::Oid> {
    s.repo()
        .find_reference(&format!("refs/heads/{name}"))
        .ok()
        .and_then(|r| r.target())
}

/// Every ref name of the repository, sorted (to compare before and after a run).
fn refs(s: &Sandbox) -> Vec<String> {
    let repo = s.repo();
    let mut names: Vec<String> = repo
        .references()
        .unwrap()
        .map(|r| r.unwrap().name().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn make_ref(s: &Sandbox, name: &str) {
    let oid = head_oid(s);
    s.repo().reference(name, oid, false, "test").unwrap();
}

fn index_entries(s: &Sandbox) -> Vec<(String, git2::Oid)> {
    let index = s.repo().index().unwrap();
    index
        .iter()
        .map(|e| (String::from_utf8_lossy(&e.path).into_owned(), e.id))
        .collect()
}

fn without_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn creates_the_branch_and_the_files_in_a_repository_with_a_commit() {
    let s = Sandbox::git_with_commit();
    let before = head_oid(&s);
    let r = s.run_ok(&["specify", EKS]);
    insta::assert_snapshot!("specify_human", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(
        head_name(&s),
        "refs/heads/001-multi-tenant-kubernetes-platform-namespace"
    );
    assert_eq!(
        branch_target(&s, "001-multi-tenant-kubernetes-platform-namespace"),
        Some(before),
        "the branch starts at the previous HEAD"
    );
    assert_eq!(branch_target(&s, "main"), Some(before), "main untouched");
    assert_eq!(
        s.files(),
        [
            "README.md".to_string(),
            format!("{EKS_DIR}/checklists/requirements.md"),
            format!("{EKS_DIR}/spec.md"),
        ]
    );
}

#[test]
fn json_has_exactly_the_contract_keys() {
    let s = Sandbox::git_with_commit();
    let r = s.run_ok(&["specify", "--json", EKS]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!("specify_json", r.stdout);
    let v = json(&r.stdout);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "branch",
            "branch_created",
            "checklist_file",
            "feature_dir",
            "feature_number",
            "short_name",
            "spec_file"
        ]
    );
    assert!(s.join(v["spec_file"].as_str().unwrap()).is_file());
    assert!(s.join(v["checklist_file"].as_str().unwrap()).is_file());
}

#[test]
fn spec_and_checklist_are_rendered_from_the_description() {
    let s = Sandbox::git_with_commit();
    s.run_ok(&["specify", EKS]);
    insta::assert_snapshot!(
        "specify_spec_md",
        without_version(&s.read(&format!("{EKS_DIR}/spec.md")))
    );
    insta::assert_snapshot!(
        "specify_checklist_md",
        s.read(&format!("{EKS_DIR}/checklists/requirements.md"))
    );
}

#[test]
fn the_next_number_follows_folders_local_remote_and_packed_branches() {
    let s = Sandbox::git_with_commit();
    s.write("specs/002-old/spec.md", "x");
    assert_eq!(specify_json(&s, &["a"])["feature_number"], "003");
    make_ref(&s, "refs/heads/005-local");
    assert_eq!(specify_json(&s, &["b"])["feature_number"], "006");
    make_ref(&s, "refs/remotes/origin/007-x");
    assert_eq!(specify_json(&s, &["c"])["feature_number"], "008");
    let oid = head_oid(&s);
    std::fs::write(
        s.join(".git/packed-refs"),
        format!(
            "# pack-refs with: peeled fully-peeled sorted \n{oid} refs/heads/012-packed\n{oid} refs/remotes/upstream/020-y\n"
        ),
    )
    .unwrap();
    assert_eq!(specify_json(&s, &["d"])["feature_number"], "021");
    // Not feature names: nested branches and tags.
    make_ref(&s, "refs/heads/feature/100-nested");
    make_ref(&s, "refs/tags/200-tag");
    assert_eq!(specify_json(&s, &["e"])["feature_number"], "022");
}

#[test]
fn numbers_grow_past_three_digits() {
    let s = Sandbox::git_with_commit();
    s.write("specs/999-last/spec.md", "x");
    let v = specify_json(&s, &["Wide", "numbers"]);
    assert_eq!(v["feature_number"], "1000");
    assert_eq!(v["branch"], "1000-wide-numbers");
    assert_eq!(head_name(&s), "refs/heads/1000-wide-numbers");
}

#[test]
fn a_given_number_is_used_when_free_and_refused_when_taken() {
    let s = Sandbox::git_with_commit();
    s.write("specs/004-folder/spec.md", "x");
    make_ref(&s, "refs/heads/005-branch");
    make_ref(&s, "refs/remotes/origin/006-remote");
    for n in ["4", "5", "6"] {
        let before = (s.snapshot_tree(), refs(&s), head_name(&s));
        let r = s.run_err(&["specify", "--number", n, "taken"]);
        assert!(r.stderr.contains("already taken"), "{}", r.stderr);
        assert_eq!(
            (s.snapshot_tree(), refs(&s), head_name(&s)),
            before,
            "nothing written"
        );
    }
    let v = specify_json(&s, &["--number", "3", "free"]);
    assert_eq!(v["branch"], "003-free");
    // The highest number still decides the next one.
    assert_eq!(specify_json(&s, &["next"])["feature_number"], "007");
}

#[test]
fn an_unborn_head_becomes_the_new_branch() {
    let s = Sandbox::git();
    let v = specify_json(&s, &[EKS]);
    assert_eq!(v["branch_created"], true);
    assert_eq!(
        head_name(&s),
        "refs/heads/001-multi-tenant-kubernetes-platform-namespace"
    );
    assert!(refs(&s).is_empty(), "no ref until the first commit");
    let r = s.run_ok(&["specify", "--dry-run", "x"]);
    assert!(r.stdout.contains("your first commit"), "{}", r.stdout);
    s.commit_all("first");
    assert!(branch_target(&s, "001-multi-tenant-kubernetes-platform-namespace").is_some());
}

#[test]
fn a_detached_head_gets_attached_to_the_new_branch() {
    let s = Sandbox::git_with_commit();
    let oid = head_oid(&s);
    s.repo().set_head_detached(oid).unwrap();
    specify_json(&s, &["detached", "work"]);
    assert_eq!(head_name(&s), "refs/heads/001-detached-work");
    assert_eq!(branch_target(&s, "001-detached-work"), Some(oid));
}

#[test]
fn staged_and_unstaged_changes_are_carried_over() {
    let s = Sandbox::git_with_commit();
    s.write("modules/vpc/main.tf", "resource \"x\" \"y\" {}\n");
    s.write("README.md", "# infra, edited but not staged\n");
    {
        let repo = s.repo();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("modules/vpc/main.tf")).unwrap();
        index.write().unwrap();
    }
    let index_before = index_entries(&s);
    let tree_before = s.snapshot_tree();
    let commit = head_oid(&s);
    specify_json(&s, &["Carry", "changes", "over"]);
    assert_eq!(head_name(&s), "refs/heads/001-carry-changes-over");
    assert_eq!(head_oid(&s), commit);
    assert_eq!(index_entries(&s), index_before, "index unchanged");
    let mut tree_after = s.snapshot_tree();
    tree_after.retain(|k, _| !k.starts_with("specs/"));
    assert_eq!(tree_after, tree_before, "work tree unchanged");
    let repo = s.repo();
    let st = repo.status_file(Path::new("modules/vpc/main.tf")).unwrap();
    assert!(st.contains(git2::Status::INDEX_NEW), "{st:?}");
    let st = repo.status_file(Path::new("README.md")).unwrap();
    assert!(st.contains(git2::Status::WT_MODIFIED), "{st:?}");
}

#[test]
fn a_linked_worktree_gets_its_own_head_and_sees_every_branch() {
    let s = Sandbox::git_with_commit();
    make_ref(&s, "refs/heads/004-main-repo");
    let wt = s.join("wt");
    s.repo().worktree("wt", &wt, None).unwrap();
    let r = s
        .cmd()
        .current_dir(&wt)
        .args(["specify", "--json", "Linked", "worktree"])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let v = json(&String::from_utf8_lossy(&r.stdout));
    assert_eq!(v["branch"], "005-linked-worktree");
    assert!(wt.join("specs/005-linked-worktree/spec.md").is_file());
    let linked = git2::Repository::open(&wt).unwrap();
    assert_eq!(
        linked.head().unwrap().name().unwrap(),
        "refs/heads/005-linked-worktree"
    );
    assert_eq!(head_name(&s), "refs/heads/main", "main worktree untouched");
    assert!(branch_target(&s, "005-linked-worktree").is_some());
}

#[test]
fn runs_from_a_subfolder_and_with_dash_c() {
    let s = Sandbox::git_with_commit();
    s.write("modules/network/README.md", "x");
    let r = s
        .cmd()
        .current_dir(s.join("modules/network"))
        .args(["specify", "--json", "Subfolder", "run"])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(s.exists("specs/001-subfolder-run/spec.md"));
    let v = specify_json(&s, &["-C", "modules", "With", "dash", "C"]);
    assert_eq!(v["spec_file"], "specs/002-dash-c/spec.md");
    assert!(s.exists("specs/002-dash-c/spec.md"));
    assert_eq!(head_name(&s), "refs/heads/002-dash-c");
}

#[test]
fn outside_git_only_the_folder_is_made_and_the_output_says_how_to_select_it() {
    let s = Sandbox::new();
    let r = s.run_ok(&["specify", EKS]);
    insta::assert_snapshot!("specify_human_no_git", r.stdout);
    assert!(r.stdout.contains("SPECOPS_FEATURE=001"), "{}", r.stdout);
    assert!(s.exists(&format!("{EKS_DIR}/spec.md")));
    assert!(!s.exists(".git"), "no repository created");
    let v = specify_json(&s, &["second"]);
    assert_eq!(v["branch_created"], false);
    assert_eq!(v["branch"], "002-second");
}

#[test]
fn no_branch_flag_and_config_keep_git_as_it_is() {
    let s = Sandbox::git_with_commit();
    let before = refs(&s);
    let r = s.run_ok(&["specify", "--no-branch", "Flag"]);
    assert!(r.stdout.contains("none (--no-branch)"), "{}", r.stdout);
    assert!(r.stdout.contains("SPECOPS_FEATURE=001"), "{}", r.stdout);
    s.write(".specops/config.yaml", "branch:\n  create: false\n");
    let r = s.run_ok(&["specify", "Config"]);
    assert!(r.stdout.contains("branch.create is false"), "{}", r.stdout);
    assert_eq!(specify_json(&s, &["json"])["branch_created"], false);
    assert_eq!(refs(&s), before);
    assert_eq!(head_name(&s), "refs/heads/main");
    assert!(s.exists("specs/002-config/spec.md"));
}

#[test]
fn the_configured_specs_dir_is_used() {
    let s = Sandbox::git_with_commit();
    s.write(".specops/config.yaml", "specs_dir: docs/specs\n");
    s.write("docs/specs/041-old/spec.md", "x");
    s.write("specs/090-ignored/spec.md", "x");
    let v = specify_json(&s, &["Elsewhere"]);
    assert_eq!(v["feature_dir"], "docs/specs/042-elsewhere");
    assert_eq!(
        v["checklist_file"],
        "docs/specs/042-elsewhere/checklists/requirements.md"
    );
    assert!(s.exists("docs/specs/042-elsewhere/spec.md"));
}

#[test]
fn specs_dir_at_the_root_gives_plain_paths() {
    let s = Sandbox::new();
    s.write(".specops/config.yaml", "specs_dir: .\n");
    let v = specify_json(&s, &["Root", "level"]);
    assert_eq!(v["feature_dir"], "001-root-level");
    assert_eq!(v["spec_file"], "001-root-level/spec.md");
    assert!(s.exists("001-root-level/spec.md"));
}

#[test]
fn dry_run_prints_everything_and_writes_nothing() {
    let s = Sandbox::git_with_commit();
    let before = (s.snapshot_tree(), refs(&s), head_name(&s));
    let r = s.run_ok(&["specify", "--dry-run", EKS]);
    insta::assert_snapshot!("specify_human_dry_run", r.stdout);
    let v = specify_json(&s, &["--dry-run", EKS]);
    assert_eq!(v["branch_created"], false);
    assert_eq!(v["feature_number"], "001");
    assert_eq!(
        v.as_object().unwrap().len(),
        7,
        "nothing added in a dry run"
    );
    assert_eq!((s.snapshot_tree(), refs(&s), head_name(&s)), before);
    assert!(!s.exists("specs"), "not even the specs folder");
}

#[test]
fn eight_runs_started_together_get_eight_numbers() {
    let s = Sandbox::git_with_commit();
    let barrier = std::sync::Barrier::new(8);
    let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (s, barrier) = (&s, &barrier);
                scope.spawn(move || {
                    let mut cmd = s.cmd();
                    cmd.args(["specify", "--json", &format!("parallel run {i}")]);
                    barrier.wait();
                    cmd.output().unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut numbers: Vec<String> = outputs
        .iter()
        .map(|o| {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let v = json(&String::from_utf8_lossy(&o.stdout));
            assert_eq!(v["branch_created"], true);
            v["feature_number"].as_str().unwrap().to_string()
        })
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["001", "002", "003", "004", "005", "006", "007", "008"]
    );
    let folders = std::fs::read_dir(s.join("specs")).unwrap().count();
    assert_eq!(folders, 8, "eight folders and no claim folder left");
    let branches: Vec<String> = refs(&s)
        .into_iter()
        .filter(|r| r != "refs/heads/main")
        .collect();
    assert_eq!(branches.len(), 8, "{branches:?}");
    assert!(branches.contains(&head_name(&s)));
}

#[test]
fn stop_words_only_fall_back_to_feature_with_a_warning() {
    let s = Sandbox::git_with_commit();
    let r = s.run_ok(&["specify", "--json", "for the and of"]);
    assert_eq!(json(&r.stdout)["short_name"], "feature");
    insta::assert_snapshot!("specify_stop_words_warning", r.stderr);
    let r = s.run_ok(&["specify", "-q", "with a"]);
    assert!(r.stderr.is_empty() && r.stdout.is_empty(), "quiet is quiet");
}

#[test]
fn short_names_drop_filler_verbs_and_keep_compounds_whole() {
    let s = Sandbox::git_with_commit();
    let v = specify_json(
        &s,
        &["Set up the multi-region VPC for the payments platform"],
    );
    assert_eq!(v["short_name"], "multi-region-vpc-payments-platform");
    assert_eq!(v["branch"], "001-multi-region-vpc-payments-platform");
    let v = specify_json(&s, &["--no-branch", "Add support for tenant quotas"]);
    assert_eq!(v["short_name"], "tenant-quotas");
}

#[test]
fn short_name_flag_is_sanitised() {
    let s = Sandbox::git_with_commit();
    let v = specify_json(&s, &["--short-name", "../EKS Café/Cluster", "anything"]);
    assert_eq!(v["short_name"], "eks-cafe-cluster");
    assert_eq!(v["feature_dir"], "specs/001-eks-cafe-cluster");
}

#[test]
fn hostile_descriptions_are_data() {
    let s = Sandbox::git_with_commit();
    let text = "$(rm -rf /); echo `id` | cat & ../../etc {{ 7*7 }} {% raw %}";
    let v = specify_json(&s, &[text]);
    assert_eq!(v["short_name"], "rm-rf-echo-id");
    let spec = s.read(v["spec_file"].as_str().unwrap());
    assert!(spec.contains(&format!("> {text}")), "{spec}");
    assert!(!spec.contains("49"));
    let long = "Very long description ".repeat(40);
    let v = specify_json(&s, &[&long]);
    assert_eq!(v["short_name"], "very-long-description-very");
    let spec = s.read(v["spec_file"].as_str().unwrap());
    let heading = spec.lines().next().unwrap();
    assert!(
        heading.chars().count() < 120 && heading.ends_with('…'),
        "{heading}"
    );
    let v = specify_json(&s, &["東京 🚀"]);
    assert_eq!(v["short_name"], "feature");
}

#[test]
fn a_broken_template_override_leaves_nothing_behind() {
    let s = Sandbox::git_with_commit();
    s.write(
        ".specops/templates/checklist.md.j2",
        "# {{ title }}\n{{ nope }}\n",
    );
    let before = (s.snapshot_tree(), refs(&s), head_name(&s));
    let r = s.run_err(&["specify", "Broken"]);
    assert!(
        r.stderr.contains(".specops/templates/checklist.md.j2:2"),
        "{}",
        r.stderr
    );
    assert_eq!((s.snapshot_tree(), refs(&s), head_name(&s)), before);
    assert_eq!(std::fs::read_dir(s.join("specs")).unwrap().count(), 0);
    s.run_err(&["specify", "--dry-run", "Broken"]);
}

#[test]
fn a_failed_checkout_removes_the_branch_and_the_files_of_the_run() {
    // Another git command holding HEAD's lock for longer than specify retries.
    let s = Sandbox::git_with_commit();
    s.write(".git/HEAD.lock", "");
    let before = (s.snapshot_tree(), refs(&s));
    let r = s.run_err(&["specify", "Locked", "out"]);
    assert!(
        r.stderr.contains("cannot check out 001-locked-out"),
        "{}",
        r.stderr
    );
    assert_eq!((s.snapshot_tree(), refs(&s)), before, "no branch, no files");
    assert_eq!(std::fs::read_dir(s.join("specs")).unwrap().count(), 0);
    std::fs::remove_file(s.join(".git/HEAD.lock")).unwrap();
    assert_eq!(
        specify_json(&s, &["Locked", "out"])["feature_number"],
        "001"
    );
}

#[test]
fn specify_error_messages() {
    let plain = Sandbox::new();
    let git = Sandbox::git_with_commit();
    git.write("specs/004-taken/spec.md", "x");
    make_ref(&git, "refs/heads/005-branch");
    let merging = Sandbox::git_with_commit();
    let oid = head_oid(&merging);
    merging.write(".git/MERGE_HEAD", format!("{oid}\n"));
    let bare = Sandbox::new();
    git2::Repository::init_bare(bare.path()).unwrap();
    let file = Sandbox::new();
    file.write("specs", "not a folder");
    let broken = Sandbox::new();
    broken.write(".specops/templates/spec.md.j2", "{% if %}\n");

    let cases: Vec<(&str, &Sandbox, Vec<&str>)> = vec![
        ("empty_description", &plain, vec!["specify", "  "]),
        ("number_zero", &plain, vec!["specify", "--number", "0", "x"]),
        (
            "number_taken_by_folder",
            &git,
            vec!["specify", "--number", "4", "x"],
        ),
        (
            "number_taken_by_branch",
            &git,
            vec!["specify", "--number", "5", "x"],
        ),
        ("merge_in_progress", &merging, vec!["specify", "x"]),
        ("bare_repository", &bare, vec!["specify", "x"]),
        ("template_error", &broken, vec!["specify", "x"]),
        ("specs_is_a_file", &file, vec!["specify", "x"]),
    ];
    let mut all = String::new();
    for (name, s, args) in cases {
        let before = s.snapshot_tree();
        let r = s.run_err(&args);
        assert_eq!(s.snapshot_tree(), before, "{name}: nothing written");
        all.push_str(&format!(
            "## {name}: specops {}\n{}\n",
            args.join(" "),
            s.redact(&r.stderr)
        ));
    }
    insta::assert_snapshot!("specify_error_messages", all);
    // A merge in progress does not stop a run that makes no branch.
    merging.run_ok(&["specify", "--no-branch", "x"]);
}

//! The README's quick start, run as written (the installed binary on PATH) from inside a clone:
//! it sets up a demo in a new temporary folder and leaves the clone as it was.

use crate::support::Sandbox;

/// The commands of the README's quick-start block.
fn quick_start() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("<!-- quick-start")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("README.md has a quick-start block");
    block.lines().map(str::to_string).collect()
}

#[test]
fn the_quick_start_leaves_the_clone_unchanged() {
    let commands = quick_start();
    assert_eq!(commands.len(), 2, "{commands:?}");
    // The first builds into ~/.cargo/bin; in the clone it writes only target/, which git ignores.
    assert_eq!(commands[0], "cargo install --locked --path .");
    let ignore = include_str!("../../.gitignore");
    assert!(ignore.lines().any(|l| l == "/target"), "{ignore}");

    let clone = Sandbox::git_with_commit();
    clone.write(".gitignore", "/target\n");
    clone.commit_all("ignore target");
    let tmp = Sandbox::new();
    let before = clone.snapshot_tree();
    let bin = assert_cmd::cargo::cargo_bin("specops");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = clone
        .std_cmd("sh")
        .args(["-c", &commands[1]])
        .env("PATH", path)
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");

    assert_eq!(clone.snapshot_tree(), before);
    let repo = clone.repo();
    assert_eq!(repo.head().unwrap().shorthand().ok(), Some("main"));
    assert_eq!(repo.branches(None).unwrap().count(), 1);
    assert!(repo.statuses(None).unwrap().is_empty());

    // The demo: its own repository, on the feature branch, with the spec.
    let demo = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path().join("demo"))
        .find(|p| p.is_dir())
        .expect("the demo in the temporary folder");
    let demo_repo = git2::Repository::open(&demo).unwrap();
    assert_eq!(
        demo_repo.workdir().unwrap().canonicalize().unwrap(),
        demo.canonicalize().unwrap()
    );
    let head = std::fs::read_to_string(demo.join(".git/HEAD")).unwrap();
    assert_eq!(
        head.trim(),
        "ref: refs/heads/001-multi-tenant-kubernetes-platform-namespace"
    );
    assert!(demo
        .join("specs/001-multi-tenant-kubernetes-platform-namespace/spec.md")
        .is_file());
    assert!(demo.join(".claude/commands/specops.specify.md").is_file());
}

//! How fast `specops specify` is in a large repository: 10,000 branches and 2,000 feature
//! folders, with the branches as loose ref files and then packed.
//!
//! Run with `cargo bench --bench specify` (a release build). It prints, for each variant, the
//! time to gather branch names through libgit2 and through specops' name reader, and the
//! wall-clock time of the real binary for `specify --dry-run` and for a real run.

use std::path::Path;
use std::process::Command;

#[path = "support/timing.rs"]
mod timing;

use timing::ms;

const BRANCHES: u32 = 10_000;
const FOLDERS: u32 = 2_000;
const RUNS: usize = 21;

fn main() {
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    println!("specify with {BRANCHES} branches and {FOLDERS} feature folders (median of {RUNS} runs, min in brackets)\n");
    for packed in [false, true] {
        let name = if packed { "packed-refs" } else { "loose refs" };
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = fixture(dir.path(), packed);
        println!("{name}:");
        report("  names through libgit2       ", || {
            let n = repo.branches(None).expect("branches").count();
            assert!(n >= BRANCHES as usize);
        });
        report("  names through the ref files ", || {
            let names = specops::git::branch_names(&repo).expect("names");
            assert!(names.local.len() >= BRANCHES as usize);
        });
        report("  specops specify --dry-run   ", || {
            run(
                dir.path(),
                &["specify", "--dry-run", "--json", "Bench feature"],
            )
        });
        report("  specops specify (real run)  ", || {
            run(dir.path(), &["specify", "--json", "Bench feature"])
        });
        println!();
    }
}

/// A repository with one commit, `BRANCHES` branches `NNN-branch` written as ref files (or
/// into `packed-refs`), and `FOLDERS` folders `specs/NNN-feature`.
fn fixture(root: &Path, packed: bool) -> git2::Repository {
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = git2::Repository::init_opts(root, &opts).expect("init");
    let sig = git2::Signature::new("Bench", "bench@example.com", &git2::Time::new(0, 0))
        .expect("signature");
    let tree = repo
        .treebuilder(None)
        .and_then(|t| t.write())
        .expect("tree");
    let tree = repo.find_tree(tree).expect("tree");
    let oid = repo
        .commit(Some("HEAD"), &sig, &sig, "initial", &tree, &[])
        .expect("commit");
    drop(tree);
    let git = root.join(".git");
    if packed {
        let mut text = String::from("# pack-refs with: peeled fully-peeled sorted \n");
        let mut names: Vec<String> = (1..=BRANCHES).map(branch).collect();
        names.sort();
        for n in names {
            text.push_str(&format!("{oid} refs/heads/{n}\n"));
        }
        std::fs::write(git.join("packed-refs"), text).expect("packed-refs");
    } else {
        for i in 1..=BRANCHES {
            std::fs::write(git.join("refs/heads").join(branch(i)), format!("{oid}\n"))
                .expect("ref");
        }
    }
    for i in 1..=FOLDERS {
        std::fs::create_dir_all(root.join(format!("specs/{i:03}-feature"))).expect("folder");
    }
    repo
}

fn branch(i: u32) -> String {
    format!("{i:03}-branch")
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_specops"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run specops");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn report(label: &str, f: impl FnMut()) {
    let times = timing::sorted_times(RUNS, f);
    println!(
        "{label} {:>7.2} ms  [{:.2} ms]",
        ms(times[RUNS / 2]),
        ms(times[0])
    );
}

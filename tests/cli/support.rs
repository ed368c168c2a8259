//! A fixture builder: a temporary folder (optionally a git repository), files written into it,
//! and the binary run there with a scrubbed environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A scratch folder the binary runs in.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

#[allow(dead_code)]
impl Sandbox {
    /// An empty folder, not a git repository.
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("specops-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// A git repository with no commits (unborn HEAD on `main`).
    pub fn git() -> Self {
        let s = Self::new();
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        git2::Repository::init_opts(s.path(), &opts).expect("git init");
        s
    }

    /// A git repository with one commit on `main`.
    pub fn git_with_commit() -> Self {
        let s = Self::git();
        s.write("README.md", "# infra\n");
        s.commit_all("initial");
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn repo(&self) -> git2::Repository {
        git2::Repository::open(self.path()).expect("open repo")
    }

    /// Stage everything and commit it with a fixed signature.
    pub fn commit_all(&self, message: &str) {
        let repo = self.repo();
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "Test",
            "test@example.com",
            &git2::Time::new(1_700_000_000, 0),
        )
        .unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap();
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.join(rel).exists()
    }

    /// The binary, started in this folder with a scrubbed environment.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd(assert_cmd::cargo::cargo_bin("specops")))
    }

    /// `program` (the binary, or a wrapper that starts it), in this folder with the scrubbed
    /// environment, as a `std` command: for runs that are spawned, killed or waited on.
    pub fn std_cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.current_dir(self.path());
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().to_string();
            if k.starts_with("GIT_")
                || k.starts_with("SPECOPS_")
                || k == "NO_COLOR"
                || k.starts_with("CLICOLOR")
            {
                cmd.env_remove(&k);
            }
        }
        cmd.env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env(
                "GIT_CONFIG_GLOBAL",
                self.path().join(".no-global-gitconfig"),
            )
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", "1795564800"); // 2026-11-25
        cmd
    }

    /// Run with `args`; return the output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run specops")
    }

    /// Every file under the folder (but `.git/`), path -> bytes: compare before and after.
    pub fn snapshot_tree(&self) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(self.path())
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(self.path()).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// Relative paths of all files (but `.git/`), sorted.
    pub fn files(&self) -> Vec<String> {
        self.snapshot_tree().into_keys().collect()
    }
}

/// Output's exit code, stdout and stderr as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

#[allow(dead_code)]
impl Sandbox {
    pub fn run_ok(&self, args: &[&str]) -> Run {
        let r: Run = self.run(args).into();
        assert_eq!(
            r.code, 0,
            "specops {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        r
    }

    /// Run expecting exit 2 with `error:` and `hint:` lines and no panic.
    pub fn run_err(&self, args: &[&str]) -> Run {
        let r: Run = self.run(args).into();
        assert_eq!(
            r.code, 2,
            "specops {args:?} should exit 2\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        assert_error_shape(&r.stderr);
        r
    }

    /// Replace the temp path in `text` with `[ROOT]`, for snapshots.
    pub fn redact(&self, text: &str) -> String {
        let canon = self.path().canonicalize().unwrap();
        text.replace(&canon.display().to_string(), "[ROOT]")
            .replace(&self.path().display().to_string(), "[ROOT]")
    }
}

/// stderr of a failed run: `error: …` then `hint: …`, never a panic or backtrace.
pub fn assert_error_shape(stderr: &str) {
    assert!(
        stderr.starts_with("error: "),
        "stderr must start with `error: `:\n{stderr}"
    );
    assert!(
        stderr.contains("\nhint: "),
        "stderr must carry a hint:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    // The panic hook turns a panic into `error: internal error …`: still a bug.
    assert!(!stderr.contains("internal error"), "panic:\n{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "backtrace:\n{stderr}");
}

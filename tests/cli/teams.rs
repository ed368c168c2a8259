//! Teams: numbering modes, branch templates, fetching before numbering, several projects in one
//! repository, and upgrades of the files `init` manages.

use crate::support::Sandbox;

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn head_branch(s: &Sandbox) -> String {
    s.repo().head().unwrap().shorthand().unwrap().to_string()
}

/// `specify`, `plan`, `list` and `check` in a project numbering features `numbering`; the key
/// of the feature made.
fn round_trip(numbering: &str, specify: &[&str], key: &str) {
    let s = Sandbox::git_with_commit();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    s.write(".specops/config.yaml", format!("numbering: {numbering}\n"));
    let mut args = vec!["specify", "--json"];
    args.extend_from_slice(specify);
    args.push("EKS cluster for tenants");
    let v = json(&s.run_ok(&args).stdout);
    let dir = format!("specs/{key}-eks-cluster-tenants");
    assert_eq!(v["feature_number"], key, "{numbering}");
    assert_eq!(v["feature_dir"], dir.as_str());
    assert_eq!(v["branch"], format!("{key}-eks-cluster-tenants"));
    assert_eq!(head_branch(&s), format!("{key}-eks-cluster-tenants"));

    // plan finds the feature from the branch.
    let p = json(&s.run_ok(&["plan", "--json", "--allow-open", "EKS"]).stdout);
    assert_eq!(p["feature_dir"], dir.as_str(), "{p}");
    assert!(s.exists(&format!("{dir}/plan.md")));
    // and from --feature with the key alone.
    s.run_ok(&["tasks", "--allow-open", "--feature", key]);
    assert!(s.exists(&format!("{dir}/tasks.md")));
    // next and trace find it from the branch too.
    for command in ["next", "trace"] {
        let r = s.run(&[command, "--json"]);
        let out = String::from_utf8_lossy(&r.stdout);
        assert!(
            out.contains(&dir),
            "{command}: {out}\n{}",
            String::from_utf8_lossy(&r.stderr)
        );
    }

    let l = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(l["features"][0]["number"], key);
    assert_eq!(
        l["features"][0]["branch"],
        serde_json::json!({"local": true, "remote": false})
    );

    // check lints the feature's documents as one feature: the plan is compared with its spec.
    let c = json(&String::from_utf8_lossy(
        &s.run(&["check", "--json"]).stdout,
    ));
    let files: Vec<&str> = c
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(files.contains(&format!("{dir}/spec.md").as_str()), "{c}");
}

#[test]
fn sequential_numbering_round_trip() {
    round_trip("sequential", &[], "001");
}

#[test]
fn timestamp_numbering_round_trip() {
    // The sandbox fixes SOURCE_DATE_EPOCH at 2026-11-25 00:00:00 UTC.
    round_trip("timestamp", &[], "20261125-000000");
}

#[test]
fn ticket_numbering_round_trip() {
    round_trip("ticket", &["--ticket", "PLAT-123"], "PLAT-123");
}

#[test]
fn sixteen_parallel_timestamp_runs_get_distinct_keys() {
    let s = Sandbox::git_with_commit();
    s.write(".specops/config.yaml", "numbering: timestamp\n");
    let barrier = std::sync::Barrier::new(16);
    let keys: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let (s, barrier) = (&s, &barrier);
                scope.spawn(move || {
                    let mut cmd = s.cmd();
                    cmd.args([
                        "specify",
                        "--json",
                        "--no-branch",
                        &format!("same second {i}"),
                    ]);
                    barrier.wait();
                    let out = cmd.output().unwrap();
                    assert!(out.status.success(), "{out:?}");
                    json(&String::from_utf8_lossy(&out.stdout))["feature_number"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 16, "{keys:?}");
    // All in one second on the clock: the runs that lost it took the following seconds.
    let expected: Vec<String> = (0..16).map(|s| format!("20261125-0000{s:02}")).collect();
    assert_eq!(sorted, expected);
    let folders = std::fs::read_dir(s.join("specs")).unwrap().count();
    assert_eq!(folders, 16, "no claim folder left");
}

#[test]
fn modes_mix_and_sequential_numbers_ignore_timestamps_and_tickets() {
    let s = Sandbox::git_with_commit();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    for dir in ["20261120-101010-old", "PLAT-1-dns", "004-vpc"] {
        s.write(&format!("specs/{dir}/spec.md"), "# Spec\n");
    }
    let v = json(
        &s.run_ok(&["specify", "--json", "--no-branch", "Object storage"])
            .stdout,
    );
    assert_eq!(v["feature_number"], "005");
    let l = json(&s.run_ok(&["list", "--json"]).stdout);
    let keys: Vec<&str> = l["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["number"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["004", "005", "20261120-101010", "PLAT-1"]);
    s.run_ok(&["plan", "--allow-open", "--feature", "PLAT-1"]);
    assert!(s.exists("specs/PLAT-1-dns/plan.md"));
}

#[test]
fn ticket_errors() {
    let s = Sandbox::git_with_commit();
    s.write(".specops/config.yaml", "numbering: ticket\n");
    let e = s.run_err(&["specify", "No ticket"]);
    assert!(e.stderr.contains("no --ticket is given"), "{}", e.stderr);
    let e = s.run_err(&["specify", "--ticket", "plat-1", "Lower case"]);
    assert!(
        e.stderr
            .contains("hint: tickets are written as the pattern says: --ticket PLAT-1"),
        "{}",
        e.stderr
    );
    let e = s.run_err(&["specify", "--ticket", "plat 1", "Bad"]);
    assert!(
        e.stderr.contains("must match the ticket pattern"),
        "{}",
        e.stderr
    );
    let e = s.run_err(&["specify", "--number", "3", "--ticket", "PLAT-1", "x"]);
    assert!(
        e.stderr.contains("--number is for sequential"),
        "{}",
        e.stderr
    );
    s.run_ok(&["specify", "--no-branch", "--ticket", "PLAT-1", "First"]);
    let e = s.run_err(&["specify", "--no-branch", "--ticket", "PLAT-1", "Again"]);
    assert!(
        e.stderr
            .contains("ticket PLAT-1 is already taken by folder specs/PLAT-1-first"),
        "{}",
        e.stderr
    );
    // A pattern of the team's own.
    s.write(
        ".specops/config.yaml",
        "numbering: ticket\nticket_pattern: 'GH-[0-9]+'\n",
    );
    let v = json(
        &s.run_ok(&[
            "specify",
            "--json",
            "--no-branch",
            "--ticket",
            "GH-7",
            "Issue",
        ])
        .stdout,
    );
    assert_eq!(v["feature_dir"], "specs/GH-7-issue");
    s.write(".specops/config.yaml", "ticket_pattern: '('\n");
    let e = s.run_err(&["list"]);
    assert!(e.stderr.contains("ticket_pattern"), "{}", e.stderr);
    // --ticket where nothing uses it.
    s.write(".specops/config.yaml", "numbering: sequential\n");
    let e = s.run_err(&["specify", "--ticket", "PLAT-2", "x"]);
    assert!(e.stderr.contains("nothing here uses it"), "{}", e.stderr);
}

/// `git` in `dir` with the sandbox's scrubbed environment.
fn git(s: &Sandbox, dir: &std::path::Path, args: &[&str]) {
    let out = s
        .std_cmd("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn fetch_sees_a_higher_number_on_the_remote() {
    let s = Sandbox::git_with_commit();
    let remote = tempfile::tempdir().unwrap();
    let bare = remote.path().join("origin.git");
    let other = remote.path().join("colleague");
    git(&s, remote.path(), &["init", "-q", "--bare", "origin.git"]);
    let url = bare.to_str().unwrap();
    git(&s, s.path(), &["remote", "add", "origin", url]);
    git(&s, s.path(), &["push", "-q", "origin", "main"]);
    // A colleague pushes feature 007 that this clone has not fetched yet.
    git(
        &s,
        remote.path(),
        &["clone", "-q", "-b", "main", url, "colleague"],
    );
    git(&s, &other, &["checkout", "-q", "-b", "007-their-feature"]);
    git(&s, &other, &["push", "-q", "origin", "007-their-feature"]);

    let without = json(&s.run_ok(&["specify", "--json", "--dry-run", "Mine"]).stdout);
    assert_eq!(without["feature_number"], "001");
    let with = json(&s.run_ok(&["specify", "--json", "--fetch", "Mine"]).stdout);
    assert_eq!(with["feature_number"], "008");
    assert!(s
        .repo()
        .find_reference("refs/remotes/origin/007-their-feature")
        .is_ok());

    // A remote that cannot be reached is an error, and nothing is created.
    git(
        &s,
        s.path(),
        &["remote", "set-url", "origin", "/nonexistent/repo.git"],
    );
    let before = s.files();
    let e = s.run_err(&["specify", "--fetch", "Again"]);
    assert!(
        e.stderr.contains("cannot fetch from remote `origin`"),
        "{}",
        e.stderr
    );
    assert_eq!(s.files(), before);
    let plain = Sandbox::new();
    let e = plain.run_err(&["specify", "--fetch", "x"]);
    assert!(
        e.stderr.contains("--fetch needs a git repository"),
        "{}",
        e.stderr
    );
}

#[test]
fn branch_template_round_trip() {
    let s = Sandbox::git_with_commit();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    s.write(
        ".specops/config.yaml",
        "branch:\n  template: '{user}/{number}-{name}'\n",
    );
    s.repo()
        .config()
        .unwrap()
        .set_str("user.email", "Alice.Ng@example.com")
        .unwrap();
    let v = json(
        &s.run_ok(&["specify", "--json", "EKS cluster for tenants"])
            .stdout,
    );
    assert_eq!(v["branch"], "alice-ng/001-eks-cluster-tenants");
    assert_eq!(v["feature_dir"], "specs/001-eks-cluster-tenants");
    assert_eq!(head_branch(&s), "alice-ng/001-eks-cluster-tenants");
    // plan and tasks find the feature from the branch the template made.
    s.run_ok(&["plan", "--allow-open", "EKS"]);
    s.run_ok(&["tasks", "--allow-open"]);
    assert!(s.exists("specs/001-eks-cluster-tenants/tasks.md"));
    let l = json(&s.run_ok(&["list", "--json"]).stdout);
    assert_eq!(l["features"][0]["branch"]["local"], true);
    // A colleague's branch made by the template holds its number too.
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("bob/005-dns", &head, false).unwrap();
    let v = json(
        &s.run_ok(&["specify", "--json", "--no-branch", "Next one"])
            .stdout,
    );
    assert_eq!(v["feature_number"], "006");

    // {ticket} must be given when the template uses it.
    s.write(
        ".specops/config.yaml",
        "branch:\n  template: 'feature/{ticket}/{number}-{name}'\n",
    );
    let e = s.run_err(&["specify", "Ticketless"]);
    assert!(e.stderr.contains("needs {ticket}"), "{}", e.stderr);
    let v = json(
        &s.run_ok(&["specify", "--json", "--ticket", "OPS-4", "With ticket"])
            .stdout,
    );
    assert_eq!(v["branch"], "feature/OPS-4/007-ticket");
    let p = json(&s.run_ok(&["plan", "--json", "--allow-open", "x"]).stdout);
    assert_eq!(p["feature_dir"], "specs/007-ticket");

    s.write(".specops/config.yaml", "branch:\n  template: '{name}'\n");
    let e = s.run_err(&["list"]);
    assert!(
        e.stderr.contains("neither {number} nor {ticket}"),
        "{}",
        e.stderr
    );
}

fn local_branches(s: &Sandbox) -> Vec<String> {
    s.repo()
        .branches(Some(git2::BranchType::Local))
        .unwrap()
        .map(|b| b.unwrap().0.name().unwrap().unwrap().to_string())
        .collect()
}

#[test]
fn specify_on_an_existing_branch() {
    let s = Sandbox::git_with_commit();
    s.write("memory/constitution.md", specops::CONSTITUTION);
    let repo = s.repo();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("work/eks", &head, false).unwrap();
    let before = local_branches(&s);
    let v = json(
        &s.run_ok(&["specify", "--json", "--branch", "work/eks", "EKS cluster"])
            .stdout,
    );
    assert_eq!(v["branch"], "work/eks");
    assert_eq!(v["branch_created"], false);
    assert_eq!(head_branch(&s), "work/eks");
    let after = local_branches(&s);
    assert_eq!(before, after, "no branch cut");
    // The branch's name says nothing of the feature: plan finds it all the same.
    let p = json(&s.run_ok(&["plan", "--json", "--allow-open", "EKS"]).stdout);
    assert_eq!(p["feature_dir"], "specs/001-eks-cluster");
    // Already the current branch: nothing to switch, the human output says so; the branch
    // now works on the newer feature.
    let r = s.run_ok(&["specify", "--branch", "work/eks", "Second part"]);
    assert!(
        r.stdout
            .contains("work/eks (existing branch, the current one)"),
        "{}",
        r.stdout
    );
    let p = json(&s.run_ok(&["plan", "--json", "--allow-open", "x"]).stdout);
    assert_eq!(p["feature_dir"], "specs/002-second-part");
    let before = s.files();
    let e = s.run_err(&["specify", "--branch", "no/such", "x"]);
    assert!(
        e.stderr.contains("there is no local branch no/such"),
        "{}",
        e.stderr
    );
    assert_eq!(s.files(), before);
    let e = s.run_err(&["specify", "--branch", "work/eks", "--no-branch", "x"]);
    assert!(e.stderr.contains("cannot be used with"), "{}", e.stderr);
}

const MARKED_SPEC: &str =
    "# Spec\n\n- **IR-001**: Tenants MUST be isolated. [NEEDS CLARIFICATION: which regions?]\n";

/// The (rule, path) pairs of a `check --json` run.
fn findings(r: &std::process::Output) -> Vec<(String, String)> {
    let v = json(&String::from_utf8_lossy(&r.stdout));
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn several_projects_in_one_repository() {
    let s = Sandbox::git_with_commit();
    s.write(
        "infra/net/.specops/config.yaml",
        "rules:\n  SO001: off\nbranch:\n  template: 'net/{number}-{name}'\n",
    );
    s.write(
        "infra/k8s/.specops/config.yaml",
        "specs_dir: docs/specs\nnumbering: ticket\nbranch:\n  template: 'k8s/{number}-{name}'\n",
    );
    s.write("infra/k8s/modules/README.md", "modules\n");
    // specify from deep inside a project makes the feature in that project.
    let k8s = s.join("infra/k8s/modules");
    let out = s
        .cmd()
        .current_dir(&k8s)
        .args(["specify", "--json", "--ticket", "K8S-1", "Cluster"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(v["feature_dir"], "docs/specs/K8S-1-cluster");
    assert_eq!(v["branch"], "k8s/K8S-1-cluster");
    assert!(s.exists("infra/k8s/docs/specs/K8S-1-cluster/spec.md"));
    // -C still works, and the other project numbers its own way.
    let v = json(
        &s.run_ok(&["-C", "infra/net", "specify", "--json", "--no-branch", "VPC"])
            .stdout,
    );
    assert_eq!(v["feature_dir"], "specs/001-vpc");
    // SPECOPS_ROOT names the project from anywhere.
    let out = s
        .cmd()
        .env("SPECOPS_ROOT", "infra/net")
        .args(["list", "--json"])
        .output()
        .unwrap();
    let l = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(l["features"][0]["dir"], "specs/001-vpc", "{l}");
    let out = s
        .cmd()
        .env("SPECOPS_ROOT", "nowhere")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SPECOPS_ROOT"));

    // check --staged from the top: each project's staged files with its own config.
    s.write("infra/net/specs/001-vpc/spec.md", MARKED_SPEC);
    s.write("infra/k8s/docs/specs/K8S-1-cluster/spec.md", MARKED_SPEC);
    s.write("specs/001-top/spec.md", MARKED_SPEC);
    let repo = s.repo();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let all = findings(&s.run(&["check", "--staged", "--json"]));
    let so001: Vec<&str> = all
        .iter()
        .filter(|(rule, _)| rule == "SO001")
        .map(|(_, path)| path.as_str())
        .collect();
    assert_eq!(
        so001,
        [
            "infra/k8s/docs/specs/K8S-1-cluster/spec.md",
            "specs/001-top/spec.md"
        ],
        "{all:?}"
    );
    // The net project's staged documents were linted too (its checklist is unticked).
    assert!(
        all.iter()
            .any(|(_, p)| p == "infra/net/specs/001-vpc/checklists/requirements.md"),
        "{all:?}"
    );
    // From inside one project: that project's files only.
    let inner = findings(&s.run(&["-C", "infra/net", "check", "--staged", "--json"]));
    assert!(!inner.is_empty());
    assert!(
        inner.iter().all(|(_, p)| p.starts_with("specs/001-vpc/")),
        "{inner:?}"
    );
}

/// The manifest entry for `bytes`, as a past version of specops would have written it.
fn manifest_hash(bytes: &[u8]) -> String {
    format!(
        "fnv1a64:{:016x}",
        specops::docs::fingerprint::fnv1a64(bytes)
    )
}

/// The status `upgrade --json` gives the file at `path`.
fn status_of(v: &serde_json::Value, path: &str) -> String {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .and_then(|f| f["status"].as_str())
        .unwrap_or_else(|| panic!("{path} not in {v}"))
        .to_string()
}

#[test]
fn upgrade_replaces_untouched_files_and_keeps_edited_ones() {
    let s = Sandbox::git();
    s.run_ok(&["init", "--ai", "claude"]);
    let plan = ".claude/commands/specops.plan.md";
    let specify = ".claude/commands/specops.specify.md";
    let manifest = ".specops/manifest.json";
    let shipped_plan = s.read(plan);
    let shipped_specify = s.read(specify);
    let mut m = json(&s.read(manifest));
    assert!(m["files"][plan].as_str().unwrap().starts_with("fnv1a64:"));
    assert!(m["files"]["memory/constitution.md"].is_null(), "{m}");

    // The plan prompt as an older specops wrote it; the specify prompt edited by the team;
    // the constitution the team's own.
    s.write(plan, "older prompt\n");
    m["files"][plan] = manifest_hash(b"older prompt\n").into();
    s.write(manifest, serde_json::to_string_pretty(&m).unwrap());
    s.write(
        specify,
        format!("{shipped_specify}\nOur team's extra step.\n"),
    );
    s.write("memory/constitution.md", "# Our constitution\n");

    let before = s.snapshot_tree();
    let dry = json(&s.run_ok(&["upgrade", "--dry-run", "--json"]).stdout);
    assert_eq!(s.snapshot_tree(), before, "a dry run writes nothing");
    assert_eq!(status_of(&dry, plan), "updated");
    assert_eq!(status_of(&dry, specify), "edited");

    let r = s.run_ok(&["upgrade"]);
    assert!(
        r.stdout.contains(&format!(
            "edited, kept       {specify} (new version in {specify}.new)"
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("updated            {plan}")),
        "{}",
        r.stdout
    );
    assert_eq!(
        s.read(plan),
        shipped_plan,
        "untouched file brought up to date"
    );
    assert!(
        s.read(specify).ends_with("Our team's extra step.\n"),
        "edit kept"
    );
    assert_eq!(s.read(&format!("{specify}.new")), shipped_specify);
    assert_eq!(s.read("memory/constitution.md"), "# Our constitution\n");
    // The edited file stays edited for the next upgrade; the updated one is recorded.
    let m = json(&s.read(manifest));
    assert_eq!(m["files"][plan], manifest_hash(shipped_plan.as_bytes()));
    let again = json(&s.run_ok(&["upgrade", "--json"]).stdout);
    assert_eq!(status_of(&again, specify), "edited");
    assert_eq!(status_of(&again, plan), "unchanged");

    // --force replaces edited files, never the constitution.
    s.run_ok(&["upgrade", "--force"]);
    assert_eq!(s.read(specify), shipped_specify);
    assert_eq!(s.read("memory/constitution.md"), "# Our constitution\n");

    // A broken manifest is an error that says what to do, and nothing is written.
    s.write(manifest, "{ not json");
    let before = s.snapshot_tree();
    let e = s.run_err(&["upgrade"]);
    assert!(
        e.stderr.contains("is not a specops manifest"),
        "{}",
        e.stderr
    );
    assert_eq!(s.snapshot_tree(), before);
}

#[test]
fn upgrade_of_projects_set_up_before_manifests_or_never() {
    let s = Sandbox::git();
    let e = s.run_err(&["upgrade"]);
    assert!(
        e.stderr.contains("specops was never set up here"),
        "{}",
        e.stderr
    );
    assert!(s.files().is_empty());

    s.run_ok(&["init", "--ai", "claude"]);
    let check = ".claude/commands/specops.check.md";
    let shipped = s.read(check);
    // As an older specops left it: no manifest, one prompt edited, one deleted.
    std::fs::remove_file(s.join(".specops/manifest.json")).unwrap();
    s.write(check, "a prompt of unknown origin\n");
    std::fs::remove_file(s.join(".claude/commands/specops.tasks.md")).unwrap();
    let v = json(&s.run_ok(&["upgrade", "--json"]).stdout);
    // Without a record, a file that differs may be the team's: kept.
    assert_eq!(status_of(&v, check), "edited");
    assert_eq!(s.read(&format!("{check}.new")), shipped);
    // Missing and not recorded: written, as a prompt new in this version would be.
    assert_eq!(
        status_of(&v, ".claude/commands/specops.tasks.md"),
        "created"
    );
    assert!(s.exists(".specops/manifest.json"));
    // Deleted after specops recorded it: left out unless forced.
    std::fs::remove_file(s.join(".claude/commands/specops.tasks.md")).unwrap();
    let v = json(&s.run_ok(&["upgrade", "--json"]).stdout);
    assert_eq!(
        status_of(&v, ".claude/commands/specops.tasks.md"),
        "deleted"
    );
    assert!(!s.exists(".claude/commands/specops.tasks.md"));
}

#[test]
fn upgrade_removes_command_files_from_folders_the_assistants_left() {
    let s = Sandbox::git();
    s.run_ok(&["init", "--ai", "kilocode,cline"]);
    let manifest = ".specops/manifest.json";
    // As an earlier specops left them: Kilo Code workflows and Cline workflows, one of them
    // edited by the team, beside a workflow and a rule of the team's own.
    let old_kilo = ".kilocode/workflows/specops.plan.md";
    let old_cline = ".clinerules/workflows/specops-plan.md";
    let mine = ".clinerules/workflows/deploy.md";
    s.write(old_kilo, "plan prompt of an earlier version\n");
    s.write(old_cline, "plan prompt, edited by the team\n");
    s.write(mine, "our own workflow\n");
    s.write(".clinerules/style.md", "our rule\n");
    let mut m = json(&s.read(manifest));
    m["files"][old_kilo] = manifest_hash(b"plan prompt of an earlier version\n").into();
    m["files"][old_cline] = manifest_hash(b"plan prompt of an earlier version\n").into();
    s.write(manifest, serde_json::to_string_pretty(&m).unwrap());

    let before = s.snapshot_tree();
    let dry = json(&s.run_ok(&["upgrade", "--dry-run", "--json"]).stdout);
    assert_eq!(s.snapshot_tree(), before, "a dry run writes nothing");
    assert_eq!(status_of(&dry, old_kilo), "removed");
    assert_eq!(status_of(&dry, old_cline), "unused");

    let r = s.run_ok(&["upgrade"]);
    assert!(
        r.stdout.contains(&format!("removed            {old_kilo}")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("unused, kept       {old_cline}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("no longer reads"), "{}", r.stdout);
    // Specops' own file and the folders it leaves empty go; everything else stays.
    assert!(!s.exists(".kilocode"));
    assert_eq!(s.read(old_cline), "plan prompt, edited by the team\n");
    assert_eq!(s.read(mine), "our own workflow\n");
    assert_eq!(s.read(".clinerules/style.md"), "our rule\n");
    assert!(s.exists(".kilo/commands/specops.plan.md"));
    assert!(s.exists(".cline/skills/specops-plan/SKILL.md"));
    let m = json(&s.read(manifest));
    assert!(m["files"][old_kilo].is_null(), "{m}");

    // The edited one is reported again, and --force removes it.
    let again = json(&s.run_ok(&["upgrade", "--json"]).stdout);
    assert_eq!(status_of(&again, old_cline), "unused");
    s.run_ok(&["upgrade", "--force"]);
    assert!(!s.exists(old_cline));
    assert_eq!(s.read(mine), "our own workflow\n");
    let m = json(&s.read(manifest));
    assert!(m["files"][old_cline].is_null(), "{m}");
}

#[test]
fn upgrade_checks_every_file_before_it_writes_one() {
    let s = Sandbox::git();
    s.run_ok(&["init", "--ai", "claude"]);
    let manifest = ".specops/manifest.json";
    let plan = ".claude/commands/specops.plan.md";
    // An unedited older prompt (to be replaced) and a retired file that is a FIFO (a refusal).
    s.write(plan, "older prompt\n");
    let mut m = json(&s.read(manifest));
    m["files"][plan] = manifest_hash(b"older prompt\n").into();
    let fifo = ".kilocode/workflows/specops.plan.md";
    m["files"][fifo] = manifest_hash(b"x").into();
    s.write(manifest, serde_json::to_string_pretty(&m).unwrap());
    std::fs::create_dir_all(s.join(".kilocode/workflows")).unwrap();
    crate::bad_input::mkfifo(&s, fifo);

    let before = s.snapshot_tree();
    let e = s.run_err(&["upgrade"]);
    assert!(e.stderr.contains(fifo), "{}", e.stderr);
    assert_eq!(
        s.snapshot_tree(),
        before,
        "nothing written before the refusal"
    );
    assert_eq!(s.read(plan), "older prompt\n");
}

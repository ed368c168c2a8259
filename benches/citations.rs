//! How fast the citation scan is: `specops::citations_in_work_tree` and `citations_in_index`
//! over a folder that `benches/citations.sh` generates (10,000 Terraform, YAML, Python and Go
//! files with a few comments citing requirement IDs). Prints the best and median of RUNS runs.
//!
//! Run through `benches/citations.sh`; by hand: `cargo bench --bench citations -- DIR [RUNS]
//! [tree|index]` (the last to time one of the two alone, e.g. under `/usr/bin/time`).

use std::path::PathBuf;
#[path = "support/timing.rs"]
mod timing;

use timing::ms;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        println!("citations: no folder given; run benches/citations.sh");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(11);
    let only = args.get(2).map(String::as_str);
    let skip = [dir.join("specs")];
    let index = specops::citations_in_work_tree(&dir, &skip).expect("scan");
    let cites: usize = index.ids().map(|id| index.all(id).len()).sum();
    println!(
        "scanned {} files: {} citations of {} IDs, {} skipped",
        index.files,
        cites,
        index.ids().count(),
        index.skipped.len()
    );
    if only != Some("index") {
        report("work tree", runs, || {
            specops::citations_in_work_tree(&dir, &skip).expect("scan");
        });
    }
    if only != Some("tree") && dir.join(".git").exists() {
        let staged = specops::citations_in_index(&dir, &skip).expect("index");
        assert_eq!(staged.files, index.files, "the index holds the same files");
        report("git index", runs, || {
            specops::citations_in_index(&dir, &skip).expect("index");
        });
    }
}

/// Time `f` `runs` times after one warm-up; print the best and the median in ms.
fn report(name: &str, runs: usize, f: impl FnMut()) {
    let times = timing::sorted_times(runs, f);
    println!(
        "{name:<10} best {:8.1} ms  median {:8.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2])
    );
}

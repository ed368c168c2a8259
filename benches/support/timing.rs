//! Timing shared by the benches: run a closure a number of times after a warm-up.

use std::time::{Duration, Instant};

/// The wall time of each of `runs` runs of `f` (at least one), after one run that warms the
/// file-system cache, fastest first.
pub fn sorted_times(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f();
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// `d` in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

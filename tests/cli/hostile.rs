//! Bad input, continued: documents built to exhaust memory or to drive a terminal, names that
//! are not text, runaway templates, ambiguous settings, and output that cannot be written or is
//! cut short. As in `bad_input.rs`, every case asserts the exit code, the `error:` / `hint:`
//! shape of an error, and what is left on disk.
#![cfg(unix)]

use crate::plan::has;
use crate::support::{assert_error_shape, Run, Sandbox};

// ---------------------------------------------------------------------------------------------
// templates, configuration and the environment

#[test]
fn a_malformed_source_date_epoch_is_an_error() {
    let s = Sandbox::new();
    for value in ["abc", "1e9", "12345678901234567890", "-5", ""] {
        let before = s.snapshot_tree();
        let r: Run = s
            .cmd()
            .env("SOURCE_DATE_EPOCH", value)
            .args(["specify", "--no-branch", "Tenant isolation"])
            .output()
            .unwrap()
            .into();
        if value.is_empty() {
            // Set but empty is unset: today's date.
            assert_eq!(r.code, 0, "{}", r.stderr);
            continue;
        }
        assert_eq!(r.code, 2, "SOURCE_DATE_EPOCH={value}\n{}", r.stderr);
        assert_error_shape(&r.stderr);
        has(&r.stderr, &format!("SOURCE_DATE_EPOCH is `{value}`"));
        assert_eq!(s.snapshot_tree(), before, "SOURCE_DATE_EPOCH={value}");
    }
}

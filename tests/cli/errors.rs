//! Every `error:` / `hint:` text a user can meet, pinned in one place.

use crate::support::Sandbox;

fn stderr_of(s: &Sandbox, args: &[&str]) -> String {
    s.redact(&s.run_err(args).stderr)
}

#[test]
fn error_messages() {
    let s = Sandbox::new();
    s.write("afile", "x");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("unknown_agent", vec!["init", "--ai", "nope"]),
        ("generic_without_dir", vec!["init", "--ai", "generic"]),
        (
            "ai_dir_outside",
            vec!["init", "--ai", "generic", "--ai-dir", "/abs"],
        ),
        ("init_on_file", vec!["init", "afile"]),
        ("missing_dash_c", vec!["-C", "nope", "init"]),
    ];
    let mut all = String::new();
    for (name, args) in cases {
        all.push_str(&format!(
            "## {name}: specops {}\n{}\n",
            args.join(" "),
            stderr_of(&s, &args)
        ));
    }
    insta::assert_snapshot!("error_messages", all);
}

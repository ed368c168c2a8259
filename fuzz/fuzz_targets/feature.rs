//! A feature's documents through the whole engine, cross-document rules (SO006–SO009) included:
//! the input is split at 0x1E bytes into a spec, a plan, a task list and a variant's plan of one
//! feature. No panic, and every diagnostic points inside the document it names.

#![no_main]

use libfuzzer_sys::fuzz_target;
use specops::lint::engine::{check, Input, Options, RelatedSource, Source};
use specops::lint::Levels;

const PATHS: &[&str] = &[
    "specs/001-x/spec.md",
    "specs/001-x/plan.md",
    "specs/001-x/tasks.md",
    "specs/001-x/variants/v/plan.md",
];

fuzz_target!(|data: &[u8]| {
    let docs: Vec<(&str, &[u8])> = PATHS.iter().copied().zip(data.split(|&b| b == 0x1e)).collect();
    let inputs: Vec<Input> = docs
        .iter()
        .map(|(path, bytes)| Input {
            path: path.to_string(),
            source: Source::Bytes(bytes.to_vec()),
        })
        .collect();
    let options = Options {
        levels: Levels::default(),
        constitution: "memory/constitution.md".into(),
        related: RelatedSource::Inputs,
        repository: None,
    };
    let report = check(&inputs, &options);
    for (path, bytes) in &docs {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        for d in report.diagnostics.iter().filter(|d| d.path == *path) {
            assert!(
                (1..=lines.len()).contains(&d.line),
                "{path}: line {} of {}: {d:?}",
                d.line,
                lines.len()
            );
            let chars = lines[d.line - 1].chars().count();
            assert!(
                1 <= d.column && d.column <= d.end_column && d.end_column <= chars + 1,
                "{path}: columns {}..{} on a line of {chars} characters: {d:?}",
                d.column,
                d.end_column
            );
        }
    }
});

//! Arbitrary bytes through the Markdown scanner and every rule, as each document kind: no
//! panic, and every diagnostic points inside the input (line within the line count, columns
//! 1-based and at most one past the line's last character, end not before start).

#![no_main]

use libfuzzer_sys::fuzz_target;
use specops::lint::engine::lint_bytes;
use specops::lint::kinds::Kind;
use specops::lint::Levels;

/// One path per document kind, plus a README and a file of no kind.
const PATHS: &[&str] = &[
    "specs/001-x/spec.md",
    "specs/001-x/plan.md",
    "specs/001-x/tasks.md",
    "specs/001-x/research.md",
    "specs/001-x/data-model.md",
    "specs/001-x/quickstart.md",
    "specs/001-x/checklists/x.md",
    "specs/001-x/contracts/api.md",
    "memory/constitution.md",
    "specs/001-x/README.md",
    "notes.md",
];

fuzz_target!(|data: &[u8]| {
    let levels = Levels::default();
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Lines as the linter counts them: split on `\n`, a `\r` before it is not part of the line.
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    for path in PATHS {
        let kind = Kind::from_path(path, "memory/constitution.md");
        for d in lint_bytes(path, kind, data, &levels).into_iter().flatten() {
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
            if let Some(source) = &d.source {
                // The line, and where on it the finding starts.
                let line = lines[d.line - 1];
                assert_eq!(&*source.line, line, "{path}: {d:?}");
                assert!(line.is_char_boundary(source.start), "{path}: {d:?}");
                assert_eq!(
                    line[..source.start].chars().count() + 1,
                    d.column,
                    "{path}: {d:?}"
                );
            }
        }
    }
});

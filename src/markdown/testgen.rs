//! Generated Markdown for the property tests of the layer and of its readers.

use proptest::prelude::*;

/// One generated line: a prefix from `prefixes` (containers, indentation) and one to three
/// of `fragments`, or a blank line now and then.
pub(crate) fn line(
    prefixes: &'static [&'static str],
    fragments: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let fragment = proptest::sample::select(fragments);
    prop_oneof![
        1 => Just(String::new()),
        6 => (
            proptest::sample::select(prefixes),
            proptest::collection::vec(fragment, 1..4),
        )
            .prop_map(|(p, f)| format!("{p}{}", f.concat())),
    ]
}

"""Candidates built from rustc's suggestions, placeholders filled where a value is known."""

import pytest
from conftest import DATA

from sleepy_lsp.benchmark.judge import default_manifest
from sleepy_lsp.engine.engine import FixEngine
from sleepy_lsp.engine.providers import RustcProvider
from sleepy_lsp.repair.rustc_suggestions import fill_placeholders, rustc_candidates
from sleepy_lsp.rust.diagnostics import Diagnostic, Span, errors, parse_cargo_messages
from sleepy_lsp.rust.edits import apply_edits
from sleepy_lsp.rust.shadow import shadow_of_files


def diagnostic(name):
    [diag] = errors(parse_cargo_messages((DATA / name).read_text().splitlines()))
    return diag


def test_machine_applicable_suggestion_becomes_a_candidate():
    [suggestion] = rustc_candidates(diagnostic("bc_001_check.jsonl"), "src/lib.rs")
    assert suggestion.message.startswith("consider cloning")
    fixed = apply_edits((DATA / "bc_001_lib.rs").read_text(), suggestion.edits)
    assert "title: title.clone()" in fixed


def test_disjoint_suggestions_are_also_offered_together():
    candidates = rustc_candidates(diagnostic("tm_001_check.jsonl"), "src/lib.rs")
    assert [len(c.edits) for c in candidates] == [1, 1, 2]


def test_suggestions_for_other_files_and_unfillable_placeholders_are_skipped():
    diag = diagnostic("bc_001_check.jsonl")
    assert rustc_candidates(diag, "src/main.rs") == []
    placeholder = Span("src/lib.rs", 0, 0, 1, 1, 1, 1, suggested_replacement="let x: /* Type */ = y;",
                       suggestion_applicability="HasPlaceholders")
    child = Diagnostic("help", "help", spans=(placeholder,))
    assert rustc_candidates(Diagnostic("e", "error", children=(child,)), "src/lib.rs") == []


@pytest.mark.parametrize("text, message, filled", [
    ("(name, /* &str */)", "provide the argument", '(name, "")'),
    ("(/* u32 */, /* String */)", "provide the arguments", "(0, String::new())"),
    ("Point { x: /* value */ }", "fill the field", "Point { x: Default::default() }"),
    ("(/* Vec<u8> */)", "provide the argument", "(Default::default())"),
    ('.expect("REASON")', "consider using `Option::expect`", '.expect("the value should be present")'),
    ('.expect("REASON")', "consider using `Result::expect`", '.expect("the operation should succeed")'),
    ("/* Type */", "give it a type", None),
    ("Point { /* fields */ }", "use struct literal syntax", None),
    ("fn area(&self) -> f64 { todo!() }", "implement the missing item", "fn area(&self) -> f64 { todo!() }"),
])
def test_placeholders_are_filled_where_a_value_is_known(text, message, filled):
    assert fill_placeholders(text, message) == filled


PLACEHOLDER_CRATE = """\
fn greet(name: &str, greeting: &str) -> String {
    format!("{greeting}, {name}")
}

pub fn hello(name: &str) -> String {
    greet(name)
}

pub fn first_word(words: &[String]) -> String {
    let first: String = words.first().cloned();
    first
}
"""


def test_filled_placeholder_suggestions_are_verified_by_cargo(tmp_path):
    """rustc's HasPlaceholders suggestions for a missing argument and an Option, filled and then compiled."""
    with shadow_of_files({"Cargo.toml": default_manifest("placeholders"), "src/lib.rs": PLACEHOLDER_CRATE},
                         tmp_path / "target") as shadow:
        before = shadow.check()
        assert sorted(d.code for d in before.errors) == ["E0061", "E0308"]
        fixed = {}
        for diag in before.errors:
            fixes = FixEngine([RustcProvider()], max_rounds=1).fixes(shadow, "src/lib.rs", PLACEHOLDER_CRATE, before, diag)
            fixed[diag.code] = [f.new_text for f in fixes if f.verified]
    assert any('greet(name, "")' in text for text in fixed["E0061"])
    assert any('.cloned().expect("the value should be present")' in text for text in fixed["E0308"])


CHAR_PATTERNS = """\
pub fn kind(c: char) -> u8 {
    match c {
        "+" => 1,
        "-" => 2,
        "*" => 3,
        _ => 0,
    }
}
"""


def test_a_suggestion_repeated_at_alike_errors_is_also_offered_for_all_of_them(tmp_path):
    with shadow_of_files({"Cargo.toml": default_manifest("alike"), "src/lib.rs": CHAR_PATTERNS},
                         tmp_path / "target") as shadow:
        before = shadow.check()
        assert len(before.errors) == 3
        fixes = FixEngine([RustcProvider()], max_rounds=1).fixes(shadow, "src/lib.rs", CHAR_PATTERNS, before,
                                                                 before.errors[1])
    best = fixes[0]
    assert best.verified and best.errors_left == 0 and best.title.endswith("(all 3)")
    assert "'+' => 1,\n        '-' => 2,\n        '*' => 3," in best.new_text
    assert any(f.verified and f.errors_left == 2 for f in fixes[1:]), "the single fix is still offered"

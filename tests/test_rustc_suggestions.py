"""Candidates built from rustc's suggestions."""

from sleepy_lsp.diagnostics import Diagnostic, Span, errors, parse_cargo_messages
from sleepy_lsp.edits import apply_edits
from sleepy_lsp.rustc_suggestions import rustc_candidates
from conftest import DATA


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


def test_suggestions_for_other_files_and_placeholders_are_skipped():
    diag = diagnostic("bc_001_check.jsonl")
    assert rustc_candidates(diag, "src/main.rs") == []
    placeholder = Span("src/lib.rs", 0, 0, 1, 1, 1, 1, suggested_replacement="/* value */",
                       suggestion_applicability="HasPlaceholders")
    child = Diagnostic("help", "help", spans=(placeholder,))
    assert rustc_candidates(Diagnostic("e", "error", children=(child,)), "src/lib.rs") == []

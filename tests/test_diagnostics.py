"""The rustc JSON parser, on outputs captured from real `cargo check` runs."""

import json

from conftest import DATA

from sleepy_lsp.rust.diagnostics import Diagnostic, error_codes, errors, parse_cargo_messages


def load(name: str):
    return parse_cargo_messages((DATA / name).read_text().splitlines())


def test_parses_code_level_message_and_primary_span():
    [diag] = errors(load("bc_004_check.jsonl"))
    assert diag.code == "E0596"
    assert diag.level == "error"
    assert "not declared as mutable" in diag.message
    span = diag.primary_span
    assert span.file_name == "src/main.rs"
    assert (span.line_start, span.column_start) == (14, 14)
    assert span.byte_end > span.byte_start
    assert diag.rendered.startswith("error[E0596]")


def test_suggestions_keep_replacement_and_applicability():
    [diag] = errors(load("bc_001_check.jsonl"))
    [(message, [span])] = diag.suggestions()
    assert message.startswith("consider cloning")
    assert span.suggested_replacement == ": title.clone()"
    assert span.suggestion_applicability == "MachineApplicable"


def test_one_suggestion_per_child():
    [diag] = errors(load("tm_001_check.jsonl"))
    suggestions = diag.suggestions()
    assert [len(spans) for _, spans in suggestions] == [1, 1]
    assert all(spans[0].suggested_replacement == ".to_string()" for _, spans in suggestions)


def test_secondary_spans_and_children_without_suggestions():
    [diag] = errors(load("bc_003_check.jsonl"))
    assert diag.code == "E0502"
    assert len(diag.spans) >= 2
    assert sum(s.is_primary for s in diag.spans) == 1
    assert diag.suggestions() == []


def test_failure_notes_and_summaries_are_not_errors():
    diags = load("tb_001_check.jsonl")
    assert any(d.level == "failure-note" for d in diags)
    assert error_codes(diags) == {"E0277"}


def test_unknown_fields_and_garbage_lines_are_tolerated():
    raw = json.loads((DATA / "bc_004_check.jsonl").read_text().splitlines()[0])
    raw["message"]["a_field_from_the_future"] = {"x": 1}
    raw["message"]["spans"][0]["another_new_field"] = True
    lines = ["Compiling koan v0.1.0", "{not json", json.dumps(raw), json.dumps({"reason": "build-finished"})]
    [diag] = parse_cargo_messages(lines)
    assert diag.code == "E0596"


def test_missing_optional_fields_get_defaults():
    diag = Diagnostic.from_json({"message": "oops", "level": "error", "code": None, "spans": [], "children": []})
    assert diag.code is None and diag.primary_span is None and diag.suggestions() == []

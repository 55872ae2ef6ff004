"""rustc diagnostics and fixes to LSP types, on captured real compiler output (no I/O in the code under test)."""

from __future__ import annotations

import json

import pytest
from conftest import ALL_KOANS, DATA, KOANS
from lsprotocol import types

from sleepy_lsp.engine.providers import rustc_fixes
from sleepy_lsp.rust.diagnostics import Diagnostic, errors, parse_cargo_messages
from sleepy_lsp.rust.edits import replacement
from sleepy_lsp.server import lsp_convert as convert

ROOT = "/work/crate"
URI = "file:///work/crate/src/main.rs"


def captured(name: str) -> list[Diagnostic]:
    return errors(parse_cargo_messages((DATA / f"{name}_check.jsonl").read_text().splitlines()))


def koan_source(koan_id: str) -> str:
    return next((KOANS / koan_id / "src").glob("*.rs")).read_text()


def pos(line: int, character: int) -> types.Position:
    return types.Position(line, character)


def rng(a: tuple[int, int], b: tuple[int, int]) -> types.Range:
    return types.Range(pos(*a), pos(*b))


# Captured from rustc 1.95 (`cargo check --message-format=json`, explanation and rendered text dropped) on
#   fn main() {
#       let greeting = "𝄞 héllo"; let n = 1; n += greeting.len();
# where 𝄞 lies outside the Basic Multilingual Plane: 1 char, 2 UTF-16 units, 4 UTF-8 bytes.
ASTRAL_SOURCE = 'fn main() {\n    let greeting = "𝄞 héllo"; let n = 1; n += greeting.len();\n    println!("{n}");\n}\n'
ASTRAL_DIAGNOSTIC = json.loads(r'''{"rendered": null, "$message_type": "diagnostic", "children": [{"children": [], "code": null, "level": "help", "message": "consider making this binding mutable", "rendered": null, "spans": [{"byte_end": 50, "byte_start": 50, "column_end": 35, "column_start": 35, "expansion": null, "file_name": "src/main.rs", "is_primary": true, "label": null, "line_end": 2, "line_start": 2, "suggested_replacement": "mut ", "suggestion_applicability": "MachineApplicable"}]}], "level": "error", "message": "cannot assign twice to immutable variable `n`", "spans": [{"byte_end": 51, "byte_start": 50, "column_end": 36, "column_start": 35, "expansion": null, "file_name": "src/main.rs", "is_primary": false, "label": "first assignment to `n`", "line_end": 2, "line_start": 2, "suggested_replacement": null, "suggestion_applicability": null}, {"byte_end": 76, "byte_start": 57, "column_end": 61, "column_start": 42, "expansion": null, "file_name": "src/main.rs", "is_primary": true, "label": "cannot assign twice to immutable variable", "line_end": 2, "line_start": 2, "suggested_replacement": null, "suggestion_applicability": null}], "code": {"code": "E0384"}}''')


# --- diagnostics -----------------------------------------------------------------------------


def test_bc_004_becomes_an_lsp_error_at_the_primary_span():
    (diagnostic,) = captured("bc_004")
    lsp = convert.to_lsp_diagnostic(diagnostic, koan_source("bc_004"), URI, ROOT)
    assert lsp.range == rng((13, 13), (13, 19))  # `counts` in `*counts.entry(...)`
    assert lsp.severity == types.DiagnosticSeverity.Error
    assert lsp.code == "E0596" and lsp.source == "sleepy"
    assert lsp.code_description.href == "https://doc.rust-lang.org/error_codes/E0596.html"
    assert lsp.message.startswith("cannot borrow `counts` as mutable")
    (help_,) = lsp.related_information
    assert help_.location.range == rng((10, 8), (10, 8)) and help_.location.uri == URI
    assert help_.message == "help: consider changing this to be mutable: `mut`"
    assert lsp.data == {"key": convert.diagnostic_key(diagnostic)}


def test_secondary_spans_become_related_information():
    (diagnostic,) = captured("bc_003")
    lsp = convert.to_lsp_diagnostic(diagnostic, koan_source("bc_003"), URI, ROOT)
    assert lsp.range.start == pos(13, 4)
    labels = {(r.location.range.start.line, r.message) for r in lsp.related_information}
    assert (9, "immutable borrow occurs here") in labels
    assert all(r.location.uri == URI for r in lsp.related_information)


@pytest.mark.parametrize("encoding, first, primary", [
    (convert.UTF16, 35, (42, 61)),  # 𝄞 counts twice
    (convert.UTF8, 38, (45, 64)),  # 𝄞 counts four times, é twice
    (convert.UTF32, 34, (41, 60)),
])
def test_columns_are_counted_in_the_negotiated_encoding(encoding, first, primary):
    diagnostic = Diagnostic.from_json(ASTRAL_DIAGNOSTIC)
    lsp = convert.to_lsp_diagnostic(diagnostic, ASTRAL_SOURCE, URI, ROOT, encoding)
    assert lsp.range == rng((1, primary[0]), (1, primary[1]))
    first_assignment = next(r for r in lsp.related_information if r.message == "first assignment to `n`")
    assert first_assignment.location.range == rng((1, first), (1, first + 1))
    # The span's text is what rustc pointed at, whichever encoding counted it.
    (edit,) = convert.lsp_text_edits(ASTRAL_SOURCE, replacement(ASTRAL_SOURCE, ASTRAL_SOURCE.replace("let n", "let mut n")),
                                     encoding)
    assert edit.range == rng((1, first), (1, first)) and edit.new_text == "mut "  # where rustc suggests it


def test_positions_past_the_text_are_clamped():
    index = convert.LineIndex.of("ab\ncd")
    assert index.rustc_position(9, 1) == pos(1, 2)
    assert index.rustc_position(1, 40) == pos(0, 2)
    assert index.rustc_position(0, 1) == pos(0, 0)


def test_diagnostics_are_grouped_by_the_file_they_are_shown_in():
    outside = Diagnostic("in a dependency", "error", "E0001",
                         spans=(convert.Span("/elsewhere/lib.rs", 0, 1, 1, 1, 1, 2, True),))
    spanless = Diagnostic("couldn't read `src/main.rs`", "error")
    aborting = Diagnostic("aborting due to 1 previous error", "error")
    (e0596,) = captured("bc_004")
    grouped = convert.diagnostics_by_file([e0596, outside, spanless, aborting], ROOT)
    assert grouped == {"/work/crate/src/main.rs": [e0596]}


# --- matching the client's diagnostics ---------------------------------------------------------


def rust_analyzer_diagnostic(code, range_, data=None) -> types.Diagnostic:
    return types.Diagnostic(range=range_, message="...", code=code, source="rustc", data=data)


def test_client_diagnostics_match_by_code_and_range():
    (diagnostic,) = captured("bc_004")
    ours = convert.to_lsp_diagnostic(diagnostic, koan_source("bc_004"), URI, ROOT)
    assert convert.client_diagnostic_matches(rust_analyzer_diagnostic("E0596", rng((13, 13), (13, 19))), ours)
    assert convert.client_diagnostic_matches(rust_analyzer_diagnostic("E0596", rng((13, 0), (13, 14))), ours)
    assert not convert.client_diagnostic_matches(rust_analyzer_diagnostic("E0502", rng((13, 13), (13, 19))), ours)
    assert not convert.client_diagnostic_matches(rust_analyzer_diagnostic("E0596", rng((2, 0), (2, 4))), ours)
    assert not convert.client_diagnostic_matches(rust_analyzer_diagnostic(None, rng((13, 13), (13, 19))), ours)
    # Our own diagnostics, echoed back by the client, match by their key wherever they now are.
    echoed = rust_analyzer_diagnostic("E0596", rng((40, 0), (40, 1)), ours.data)
    assert convert.client_diagnostic_matches(echoed, ours)


def test_a_cursor_anywhere_on_the_lines_of_a_diagnostic_covers_it():
    target = rng((13, 13), (14, 2))
    assert convert.request_covers(rng((13, 0), (13, 0)), target)
    assert convert.request_covers(rng((14, 30), (14, 30)), target)
    assert not convert.request_covers(rng((12, 40), (12, 40)), target)
    assert convert.request_covers(rng((10, 0), (13, 13)), target)  # a selection touching it
    assert not convert.request_covers(rng((10, 0), (13, 12)), target)


# --- edits -----------------------------------------------------------------------------------


def test_adding_mut_is_one_insertion():
    broken = koan_source("bc_004")
    (edit,) = convert.lsp_text_edits(broken, replacement(broken, broken.replace("let counts", "let mut counts")))
    assert edit.range == rng((10, 8), (10, 8)) and edit.new_text == "mut "


def test_the_rustc_suggestion_and_the_quick_fix_agree():
    (diagnostic,) = captured("bc_004")
    broken = koan_source("bc_004")
    (quick,) = rustc_fixes(diagnostic, "src/main.rs", broken, [diagnostic])
    assert quick.title == "rustc: consider changing this to be mutable"
    assert quick.new_text == broken.replace("let counts", "let mut counts")


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nc\n"),  # a line deleted
    ("a\nb\nc", "a\nb\nc\nd"),  # appended after a last line without a newline
    ("a\nb\nc", "a\nb"),  # the last line removed
    ("", "fn main() {}\n"),
    ("x\r\ny\r\n", "x\r\nz\r\ny\r\n"),  # CRLF kept
    ("α\u2028β\n", "α\u2028γ\n"),  # U+2028 is not a line break for the LSP
    ("one\n", "one\n"),
])
def test_edits_take_old_to_new(old, new):
    for encoding in (convert.UTF16, convert.UTF8, convert.UTF32):
        edits = convert.lsp_text_edits(old, replacement(old, new), encoding)
        assert convert.apply_text_edits(old, edits, encoding) == new
    assert (convert.lsp_text_edits(old, replacement(old, new)) == []) == (old == new)


@pytest.mark.parametrize("koan", ALL_KOANS, ids=lambda k: k.id)
def test_every_koan_solution_is_reached_by_its_edits(koan):
    for encoding in (convert.UTF16, convert.UTF8):
        edits = convert.lsp_text_edits(koan.broken, replacement(koan.broken, koan.solution), encoding)
        assert convert.apply_text_edits(koan.broken, edits, encoding) == koan.solution
        # Minimal: no edit touches a line the change leaves alone.
        changed = sum(len(e.new_text) + (e.range.end.line - e.range.start.line) for e in edits)
        assert changed <= len(koan.solution)


def test_a_fix_action_is_a_versioned_document_edit_that_runs_accept():
    broken = koan_source("bc_004")
    action = convert.fix_action("rustc: add mut (compiles ✓)", URI, 7, broken,
                                replacement(broken, broken.replace("let counts", "let mut counts")), "fix-1", [])
    (change,) = action.edit.document_changes
    assert change.text_document == types.OptionalVersionedTextDocumentIdentifier(uri=URI, version=7)
    assert action.command.command == convert.ACCEPT and action.command.arguments == ["fix-1"]
    assert action.kind == types.CodeActionKind.QuickFix
    reject = convert.reject_action("fix-1", "rustc: add mut", [])
    assert reject.edit is None and reject.command.command == convert.REJECT and reject.command.arguments == ["fix-1"]
    assert reject.title == "sleepy: this fix is wrong: rustc: add mut"
    back = convert.reject_action("fix-1", "rustc: add mut", [], taking_back=True)
    assert back.title == "sleepy: the fix applied here is wrong (rustc: add mut)" and "compiles" not in back.title
    pending = convert.pending_action(URI, 7, 3, "key", [])
    assert pending.edit is None and pending.data == {"uri": URI, "version": 7, "revision": 3, "key": "key"}
    waiting = convert.pending_action(URI, 7, 3, None, [], (4, 5))  # asked for before the check found the errors
    assert waiting.data == {"uri": URI, "version": 7, "revision": 3, "key": None, "lines": [4, 5]}


def test_titles_say_who_made_a_fix_and_whether_it_compiles():
    assert convert.verified_title("rustc: consider borrowing here", "rustc", True) == \
        "rustc: consider borrowing here (compiles ✓)"
    assert convert.verified_title("change line 3: `x.clone()`", "model", True) == \
        "model: change line 3: `x.clone()` (compiles ✓)"
    assert convert.verified_title("llama_cpp: insert before line 4: `let mut n`", "model", True) == \
        "llama_cpp: insert before line 4: `let mut n` (compiles ✓)"
    assert convert.verified_title("memory (3× accepted): change line 2", "memory", True) == \
        "memory (3× accepted): change line 2 (compiles ✓)"
    assert convert.verified_title("", "memory", False) == "memory: apply fix (not verified)"

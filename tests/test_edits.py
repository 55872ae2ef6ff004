"""Applying byte-addressed edits, multi-byte text included."""

import pytest

from sleepy_lsp.edits import TextEdit, apply_edits


def test_applies_edits_in_any_order():
    text = "let x = 1;\nlet y = x;\n"
    out = apply_edits(text, [TextEdit(15, 16, "y2"), TextEdit(4, 4, "mut ")])
    assert out == "let mut x = 1;\nlet y2 = x;\n"


def test_offsets_are_utf8_bytes():
    text = 'let s = "héllo"; f(s);'
    start = text.encode().index(b"f(s)")
    assert apply_edits(text, [TextEdit(start + 2, start + 3, "s.clone()")]) == 'let s = "héllo"; f(s.clone());'


@pytest.mark.parametrize("edits", [
    [TextEdit(0, 5, "a"), TextEdit(3, 6, "b")],
    [TextEdit(0, 100, "a")],
    [TextEdit(5, 2, "a")],
])
def test_rejects_overlapping_and_out_of_range(edits):
    with pytest.raises(ValueError):
        apply_edits("0123456789", edits)


def test_rejects_splitting_a_character():
    with pytest.raises(ValueError):
        apply_edits("é", [TextEdit(1, 2, "")])

"""Applying byte-addressed edits, multi-byte text included."""

import pytest

from sleepy_lsp.rust.edits import TextEdit, apply_edits, compose, replacement


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


def test_replacement_is_the_changed_middle():
    assert replacement("let x = 1;", "let mut x = 1;") == (TextEdit(4, 4, "mut "),)
    assert replacement("same", "same") == ()
    (edit,) = replacement("a é b", "a è b")  # é and è share their first byte: the edit keeps whole characters
    assert apply_edits("a é b", [edit]) == "a è b" and edit.new_text == "è"


@pytest.mark.parametrize("base, first, second", [
    ("let x = 1;\nf(x);\n", [TextEdit(4, 4, "mut ")], [TextEdit(17, 18, "&x")]),       # apart
    ("let x = 1;\nf(x);\n", [TextEdit(4, 4, "mut ")], [TextEdit(4, 8, "")]),           # undoes the first
    ("let x = 1;\nf(x);\n", [TextEdit(8, 9, "22")], [TextEdit(9, 10, "3")]),            # inside what it wrote
    ("a(b); c(d);", [TextEdit(2, 3, "b.clone()"), TextEdit(8, 9, "&d")], [TextEdit(0, 0, "// é\n")]),
    ("é = 1;", [TextEdit(0, 2, "ü")], [TextEdit(2, 2, "x")]),
])
def test_compose_does_both_rounds(base, first, second):
    middle = apply_edits(base, first)
    assert apply_edits(base, compose(base, first, second)) == apply_edits(middle, second)


def _random_edits(rng, text):
    data = text.encode()
    cuts = sorted(rng.randint(0, len(data)) for _ in range(4))
    return [TextEdit(cuts[0], cuts[1], rng.choice(["", "x", "mut ", "&", "ab\n"])),
            TextEdit(cuts[2], cuts[3], rng.choice(["", "y", ".clone()"]))]


def test_compose_agrees_with_applying_twice_on_random_edits():
    import random

    rng = random.Random(7)
    for _ in range(2000):
        base = "".join(rng.choice("ab; \n") for _ in range(rng.randint(4, 30)))
        first = _random_edits(rng, base)
        middle = apply_edits(base, first)
        second = _random_edits(rng, middle)
        assert apply_edits(base, compose(base, first, second)) == apply_edits(middle, second)

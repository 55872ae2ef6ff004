"""Text edits on a source file, addressed by UTF-8 byte offsets as rustc reports them.

A fix travels as edits from the provider that made it to the code action that
offers it; only a shadow crate ever holds the whole changed file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class TextEdit:
    """Replace bytes [byte_start, byte_end) of a file with new_text."""

    byte_start: int
    byte_end: int
    new_text: str


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits; ValueError when two overlap or one is out of range."""
    data = text.encode("utf-8")
    ordered = sorted(edits, key=lambda e: (e.byte_start, e.byte_end))
    out, cursor = [], 0
    for edit in ordered:
        if edit.byte_start < cursor or edit.byte_end < edit.byte_start or edit.byte_end > len(data):
            raise ValueError(f"edit {edit} overlaps another or lies outside the file")
        out.append(data[cursor:edit.byte_start])
        out.append(edit.new_text.encode("utf-8"))
        cursor = edit.byte_end
    out.append(data[cursor:])
    try:
        return b"".join(out).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("edits split a multi-byte character") from None


def replacement(old: str, new: str) -> tuple[TextEdit, ...]:
    """The one edit (none when equal) that takes old to new: the changed middle, common ends kept."""
    a, b = old.encode("utf-8"), new.encode("utf-8")
    if a == b:
        return ()
    prefix = len(os.path.commonprefix([a, b]))
    suffix = min(len(os.path.commonprefix([a[::-1], b[::-1]])), len(a) - prefix, len(b) - prefix)
    while prefix and _inside_character(a, prefix):  # never cut a multi-byte character in two
        prefix -= 1
    while suffix and _inside_character(a, len(a) - suffix):
        suffix -= 1
    return (TextEdit(prefix, len(a) - suffix, b[prefix:len(b) - suffix].decode("utf-8")),)


def _inside_character(data: bytes, offset: int) -> bool:
    return offset < len(data) and (data[offset] & 0xC0) == 0x80


def compose(base: str, first: Sequence[TextEdit], second: Sequence[TextEdit]) -> tuple[TextEdit, ...]:
    """Edits against base that do what `first` and then `second` (addressed to first's result) do.

    Where a second edit touches text the first one wrote, the two become one edit.
    """
    data = base.encode("utf-8")
    middle = apply_edits(base, first).encode("utf-8")
    written = []  # where each first edit's text lies in the middle text, and its base range
    shift = 0
    for edit in sorted(first, key=lambda e: e.byte_start):
        start = edit.byte_start + shift
        length = len(edit.new_text.encode("utf-8"))
        written.append((start, start + length, edit.byte_start, edit.byte_end))
        shift += length - (edit.byte_end - edit.byte_start)
    dirty = sorted([(s, e) for s, e, _, _ in written] + [(e.byte_start, e.byte_end) for e in second])
    merged: list[list[int]] = []
    for start, end in dirty:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])

    def to_base(offset: int) -> int:
        """A middle offset that no written text surrounds, as a base offset (after an empty region)."""
        moved = 0
        for start, end, _, base_end in written:
            if offset < start or (offset == start < end):
                break
            moved = end - base_end
        return offset - moved

    out = []
    for start, end in merged:
        inside = [TextEdit(e.byte_start - start, e.byte_end - start, e.new_text)
                  for e in second if start <= e.byte_start and e.byte_end <= end]
        text = apply_edits(middle[start:end].decode("utf-8"), inside)
        regions = [(bs, be) for s, e, bs, be in written if start <= s and e <= end]
        lo = min([to_base(start), *(bs for bs, _ in regions)])
        hi = max([to_base(end), *(be for _, be in regions)])
        if data[lo:hi].decode("utf-8") != text:
            out.append(TextEdit(lo, hi, text))
    return tuple(out)

"""Text edits on a source file, addressed by UTF-8 byte offsets as rustc reports them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


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

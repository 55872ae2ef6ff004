"""The model's answer format: line edits, which small models write far better than a whole file.

    LINE 12: let mut counts = BTreeMap::new();   (replace line 12)
    INSERT 3: #[derive(Debug)]                   (insert before line 3)
    DELETE 7                                     (delete line 7)

Line numbers are 1-based and refer to the file as the prompt numbers it. Training
pairs are made with `answer_for`, so training and serving speak the same format.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..rust.edits import TextEdit, apply_edits


@dataclass(frozen=True)
class LineEdit:
    kind: str  # "LINE", "INSERT" or "DELETE"
    line: int
    text: str = ""


def numbered(code: str, first: int = 1, last: int | None = None, start: int = 1) -> str:
    """Lines first..last of code, each with its number; the code's first line is line `start` of its file."""
    lines = code.splitlines()
    last = min(last or len(lines), len(lines))
    return "\n".join(f"{n + start - 1:>3} | {lines[n - 1]}" for n in range(max(first, 1), last + 1))


_EDIT = re.compile(r"^\s*[-*>]?\s*(LINE|INSERT|DELETE)\s+(\d+)\s*(?::\s?(.*))?$", re.IGNORECASE)


def parse_answer(answer: str) -> list[LineEdit]:
    """Edits from a model's answer; fences, chatter and malformed lines are skipped.

    A truncated answer keeps the edits that came through whole; an edit whose
    text is cut mid-line can only be judged by compiling it, which the engine does.
    """
    edits = []
    for raw in answer.splitlines():
        if raw.strip().startswith("```"):
            continue
        match = _EDIT.match(raw.rstrip())
        if not match:
            continue
        kind, line, text = match.group(1).upper(), int(match.group(2)), match.group(3)
        if line < 1 or (kind != "DELETE" and text is None):
            continue
        edits.append(LineEdit(kind, line, (text or "").rstrip("`") if kind != "DELETE" else ""))
    return edits


def line_text_edits(code: str, edits: list[LineEdit]) -> tuple[TextEdit, ...]:
    """The byte edits that line edits (addressed by the original line numbers) make; ValueError when
    two change one line or one falls outside. Each line keeps its own line ending."""
    data = code.encode("utf-8")
    starts, ends = [], []  # each line's first byte, and where its text ends (before the line ending)
    cursor = 0
    for piece in code.splitlines(keepends=True):
        starts.append(cursor)
        ends.append(cursor + len(piece.splitlines()[0].encode("utf-8")))
        cursor += len(piece.encode("utf-8"))
    changed: set[int] = set()
    out = []
    for edit in edits:
        n = edit.line
        if n > len(starts) + (1 if edit.kind == "INSERT" else 0):
            raise ValueError(f"line {n} is past the end of the file")
        if edit.kind == "INSERT":
            at = starts[n - 1] if n <= len(starts) else len(data)
            newline_first = n > len(starts) and data and not data.endswith((b"\n", b"\r"))
            out.append(TextEdit(at, at, "\n" + edit.text if newline_first else edit.text + "\n"))
            continue
        if n in changed:
            raise ValueError(f"two edits for line {n}")
        changed.add(n)
        if edit.kind == "DELETE":
            out.append(TextEdit(starts[n - 1], starts[n] if n < len(starts) else len(data), ""))
        else:
            out.append(TextEdit(starts[n - 1], ends[n - 1], edit.text))
    return tuple(out)


def apply_line_edits(code: str, edits: list[LineEdit]) -> str:
    """Apply edits addressed by the original line numbers; ValueError when they conflict or fall outside."""
    return apply_edits(code, line_text_edits(code, edits))


def answer_for(before: str, after: str) -> str:
    """The answer, in the edit format, that turns before into after (for training pairs and memory)."""
    old, new = before.splitlines(), after.splitlines()
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        lines += [f"LINE {i1 + k + 1}: {new[j1 + k]}" for k in range(paired)]
        lines += [f"DELETE {i1 + k + 1}" for k in range(paired, i2 - i1)]
        lines += [f"INSERT {i2 + 1}: {new[j1 + k]}" for k in range(paired, j2 - j1)]
    return "\n".join(lines)

"""Fix patterns mined from accepted fixes, in the spirit of Facebook's Getafix.

An accepted fix is reduced to its line edits; each edit is anchored on the line
it changes (or inserts before), with that line's identifiers and literals
abstracted into holes. Applying a pattern finds lines of the same shape for the
same error code and rewrites them with the holes bound to the new names, so
`let counts = BTreeMap::new();` -> `let mut counts = ...` also fixes
`let totals = Vec::new();`. Names that only the new line has (`mut`, `clone`,
`Debug`) stay literal. Patterns only add, and rank by how often they were taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.prompt import LineEdit, answer_for, apply_line_edits, parse_answer
from .similarity import KEYWORDS

_TOKEN = re.compile(r'b?"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'|\d[\w.]*|[A-Za-z_]\w*|::|->|=>|&&|\|\||\S')


def _is_hole(token: str) -> bool:
    return (token[0].isalpha() or token[0] in "_\"'" or token[0].isdigit()) and token not in KEYWORDS


def shape(line: str) -> tuple[tuple[str, ...], list[str]]:
    """A line's token shape with holes ($0, $1, ... by first appearance) and the holes' values."""
    values: list[str] = []
    out = []
    for token in _TOKEN.findall(line):
        if _is_hole(token):
            if token not in values:
                values.append(token)
            out.append(f"${values.index(token)}")
        else:
            out.append(token)
    return tuple(out), values


def template(new_line: str, values: list[str]) -> tuple[str | int, ...]:
    """The new line as text parts and hole numbers, so it can be re-rendered with other names."""
    parts: list[str | int] = []
    cursor = 0
    body = new_line.lstrip()
    for match in _TOKEN.finditer(body):
        if match.group() in values:
            parts.append(body[cursor:match.start()])
            parts.append(values.index(match.group()))
            cursor = match.end()
    parts.append(body[cursor:])
    return tuple(p for p in parts if p != "")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


@dataclass(frozen=True)
class EditShape:
    kind: str  # LINE, INSERT or DELETE
    anchor: tuple[str, ...]  # the shape of the line changed, or inserted before
    new: tuple[str | int, ...] = ()

    def render(self, anchor_line: str, values: list[str]) -> str | None:
        if any(isinstance(p, int) and p >= len(values) for p in self.new):
            return None
        return _indent(anchor_line) + "".join(values[p] if isinstance(p, int) else p for p in self.new)


@dataclass
class Pattern:
    error_code: str
    edits: tuple[EditShape, ...]
    accepted: int = 0


@dataclass
class PatternBook:
    """The mined patterns, keyed by error code and edit shapes."""

    patterns: dict[tuple, Pattern] = field(default_factory=dict)
    max_edits: int = 3  # larger fixes are too specific to transfer

    def learn(self, error_code: str | None, before: str, after: str) -> Pattern | None:
        """Add one accepted fix; returns its pattern, or None when it cannot generalise."""
        edits = parse_answer(answer_for(before, after))
        if not error_code or not edits or len(edits) > self.max_edits:
            return None
        lines = before.splitlines()
        shapes = []
        for edit in edits:
            anchor = lines[edit.line - 1] if edit.line <= len(lines) else ""
            anchor_shape, values = shape(anchor)
            if not anchor_shape:
                return None
            shapes.append(EditShape(edit.kind, anchor_shape, template(edit.text, values) if edit.kind != "DELETE" else ()))
        key = (error_code, tuple(shapes))
        pattern = self.patterns.setdefault(key, Pattern(error_code, tuple(shapes)))
        pattern.accepted += 1
        return pattern

    def apply(self, error_code: str | None, code: str, limit: int = 8) -> list[tuple[list[LineEdit], Pattern]]:
        """Line edits from every pattern of this error code that matches, most accepted first."""
        lines = code.splitlines()
        shapes = [shape(line) for line in lines]
        found: list[tuple[list[LineEdit], Pattern]] = []
        seen = {code}
        for pattern in sorted((p for p in self.patterns.values() if p.error_code == error_code),
                              key=lambda p: -p.accepted):
            for edits in _applications(pattern, lines, shapes):
                try:
                    text = apply_line_edits(code, edits)
                except ValueError:
                    continue
                if text not in seen:
                    seen.add(text)
                    found.append((edits, pattern))
                if len(found) >= limit:
                    return found
        return found


def _applications(pattern: Pattern, lines, shapes) -> list[list[LineEdit]]:
    """Each way the pattern applies: every matching line for a one-edit pattern, the first for each edit otherwise."""
    matches = [[n for n, (s, _) in enumerate(shapes, 1) if s == edit.anchor] for edit in pattern.edits]
    if not all(matches):
        return []
    choices = [[m] for m in matches[0]] if len(pattern.edits) == 1 else [[m[0] for m in matches]]
    found = []
    for lines_chosen in choices:
        edits = []
        for edit, n in zip(pattern.edits, lines_chosen):
            new = edit.render(lines[n - 1], shapes[n - 1][1]) if edit.kind != "DELETE" else ""
            if new is None:
                break
            edits.append(LineEdit(edit.kind, n, new))
        else:
            found.append(edits)
    return found

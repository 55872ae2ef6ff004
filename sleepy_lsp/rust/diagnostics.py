"""Typed records for rustc's JSON diagnostics (`cargo check --message-format=json`).

Parsing is a pure function of its input so it can be tested on captured real
output. Unknown fields are ignored and missing optional ones get defaults, since
rustc adds fields between releases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Span:
    """A region of a source file; lines and columns are 1-based, bytes 0-based."""

    file_name: str
    byte_start: int
    byte_end: int
    line_start: int
    line_end: int
    column_start: int
    column_end: int
    is_primary: bool = False
    label: str | None = None
    suggested_replacement: str | None = None
    suggestion_applicability: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Span":
        return cls(
            file_name=str(raw.get("file_name", "")),
            byte_start=int(raw.get("byte_start", 0)),
            byte_end=int(raw.get("byte_end", 0)),
            line_start=int(raw.get("line_start", 1)),
            line_end=int(raw.get("line_end", 1)),
            column_start=int(raw.get("column_start", 1)),
            column_end=int(raw.get("column_end", 1)),
            is_primary=bool(raw.get("is_primary", False)),
            label=raw.get("label"),
            suggested_replacement=raw.get("suggested_replacement"),
            suggestion_applicability=raw.get("suggestion_applicability"),
        )


@dataclass(frozen=True)
class Diagnostic:
    """One rustc message with its children (notes, helps and suggestions)."""

    message: str
    level: str
    code: str | None = None
    spans: tuple[Span, ...] = ()
    children: tuple["Diagnostic", ...] = ()
    rendered: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Diagnostic":
        code = raw.get("code")
        return cls(
            message=str(raw.get("message", "")),
            level=str(raw.get("level", "")),
            code=code.get("code") if isinstance(code, dict) else None,
            spans=tuple(Span.from_json(s) for s in raw.get("spans") or ()),
            children=tuple(cls.from_json(c) for c in raw.get("children") or ()),
            rendered=raw.get("rendered"),
        )

    @property
    def is_error(self) -> bool:
        return self.level in ("error", "error: internal compiler error")

    @property
    def primary_span(self) -> Span | None:
        return next((s for s in self.spans if s.is_primary), self.spans[0] if self.spans else None)

    def suggestions(self) -> list[tuple[str, list[Span]]]:
        """Each child's help message and suggested replacements, one entry per suggestion.

        rustc puts a multi-part suggestion (e.g. add `mut` here and `&` there)
        into one child with several spans; those must be applied together.
        """
        found = []
        for child in self.children:
            spans = [s for s in child.spans if s.suggested_replacement is not None]
            if spans:
                found.append((child.message, spans))
        return found


def parse_cargo_messages(lines: Iterable[str]) -> list[Diagnostic]:
    """Diagnostics from cargo's JSON lines; non-JSON lines and other reasons are skipped."""
    found = []
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("reason") == "compiler-message" and isinstance(record.get("message"), dict):
            found.append(Diagnostic.from_json(record["message"]))
    return found


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that are errors, without rustc's "aborting due to" summaries."""
    return [d for d in diagnostics if d.is_error and not d.message.startswith("aborting due to")]


def error_codes(diagnostics: Iterable[Diagnostic]) -> set[str]:
    return {d.code for d in errors(diagnostics) if d.code}

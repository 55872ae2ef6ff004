"""Candidate edits taken from the suggestions rustc attaches to a diagnostic."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Span
from .edits import TextEdit

# Applicabilities we try as they are; HasPlaceholders ones hold text like
# `/* value */` that would not compile, so they are skipped.
USABLE = {"MachineApplicable", "MaybeIncorrect", "Unspecified", None}


def _usable(spans: list[Span], file_name: str) -> bool:
    return all(s.file_name == file_name and s.suggestion_applicability in USABLE for s in spans)


@dataclass(frozen=True)
class Suggestion:
    """One way rustc proposes to fix a diagnostic: its help text and the edits."""

    message: str
    edits: tuple[TextEdit, ...]


def rustc_candidates(diagnostic: Diagnostic, file_name: str) -> list[Suggestion]:
    """Each usable suggestion of the diagnostic as one edit set for file_name.

    The spans of one suggestion are applied together; when a diagnostic offers
    several suggestions on disjoint spans, their union is offered too, since
    rustc splits some fixes across children (two arguments each needing
    `.to_string()` in one E0308). Alternatives for the same span overlap, so
    they are never combined.
    """
    candidates = [
        Suggestion(message, _edits(spans))
        for message, spans in diagnostic.suggestions() if _usable(spans, file_name)
    ]
    union = tuple(edit for c in candidates for edit in c.edits)
    if len(candidates) > 1 and _disjoint(union):
        candidates.append(Suggestion("; ".join(dict.fromkeys(c.message for c in candidates)), union))
    return candidates


def _edits(spans: list[Span]) -> tuple[TextEdit, ...]:
    return tuple(TextEdit(s.byte_start, s.byte_end, s.suggested_replacement or "") for s in spans)


def _disjoint(edits: tuple[TextEdit, ...]) -> bool:
    ordered = sorted(edits, key=lambda e: e.byte_start)
    return all(a.byte_end <= b.byte_start for a, b in zip(ordered, ordered[1:]))

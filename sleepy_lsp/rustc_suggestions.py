"""Candidate edits taken from the suggestions rustc attaches to a diagnostic."""

from __future__ import annotations

from .diagnostics import Diagnostic, Span
from .edits import TextEdit

# Applicabilities we try as they are; HasPlaceholders ones hold text like
# `/* value */` that would not compile, so they are skipped.
USABLE = {"MachineApplicable", "MaybeIncorrect", "Unspecified", None}


def _usable(spans: list[Span], file_name: str) -> bool:
    return all(s.file_name == file_name and s.suggestion_applicability in USABLE for s in spans)


def rustc_candidates(diagnostic: Diagnostic, file_name: str) -> list[list[TextEdit]]:
    """Each usable suggestion of the diagnostic as one edit set for file_name.

    The spans of one suggestion are applied together; when a diagnostic offers
    several suggestions on disjoint spans, their union is offered too, since
    rustc splits some fixes across children (two arguments each needing
    `.to_string()` in one E0308). Alternatives for the same span overlap, so
    they are never combined.
    """
    usable = [spans for spans in diagnostic.suggestions() if _usable(spans, file_name)]
    candidates = [_edits(spans) for spans in usable]
    union = [edit for edits in candidates for edit in edits]
    if len(candidates) > 1 and _disjoint(union):
        candidates.append(union)
    return candidates


def _edits(spans: list[Span]) -> list[TextEdit]:
    return [TextEdit(s.byte_start, s.byte_end, s.suggested_replacement or "") for s in spans]


def _disjoint(edits: list[TextEdit]) -> bool:
    ordered = sorted(edits, key=lambda e: e.byte_start)
    return all(a.byte_end <= b.byte_start for a, b in zip(ordered, ordered[1:]))

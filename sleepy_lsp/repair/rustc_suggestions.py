"""Candidate edits taken from the suggestions rustc attaches to a diagnostic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit

# Applicabilities we try as they are. HasPlaceholders ones hold text such as
# `/* &str */` or `.expect("REASON")`: they are tried only once every
# placeholder is filled (see fill_placeholders).
USABLE = {"MachineApplicable", "MaybeIncorrect", "Unspecified", None}
PLACEHOLDERS = "HasPlaceholders"

PLACEHOLDER = re.compile(r"/\*\s*(.*?)\s*\*/")
# Values that compile for the type a placeholder names; verification still decides.
INTEGERS = {f"{sign}{bits}" for sign in "iu" for bits in ("8", "16", "32", "64", "128", "size")}
VALUES = {"&str": '""', "String": "String::new()", "bool": "false", "char": "' '", "f32": "0.0", "f64": "0.0",
          "()": "()", "value": "Default::default()", "expr": "Default::default()"} | {i: "0" for i in INTEGERS}
UNFILLABLE = {"Type", "type", "fields", "...", "params"}  # names no value: only the user knows what goes there
EXPECT_REASON = '"REASON"'


def fill_placeholders(text: str, message: str) -> str | None:
    """text with each placeholder rustc left in it filled, or None when one cannot be.

    A `/* T */` comment becomes a plain value of type T (`""`, `0`,
    `String::new()`, else `Default::default()`); an `.expect("REASON")` gets
    a reason in the style the Rust API guidelines ask for. Generic holes
    (`/* Type */`, `/* fields */`) are left to the model.
    """
    def value(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner in UNFILLABLE:
            raise LookupError(inner)
        return VALUES.get(inner, "Default::default()")

    try:
        filled = PLACEHOLDER.sub(value, text)
    except LookupError:
        return None
    if EXPECT_REASON in filled:
        reason = '"the value should be present"' if "Option" in message else '"the operation should succeed"'
        filled = filled.replace(EXPECT_REASON, reason)
    return filled


def plain_value(type_name: str) -> str | None:
    """A value of the type that compiles (`0`, `false`, `None`, `Vec::new()`, else
    `Default::default()`), or None where only the user knows one (an error, a reference)."""
    if type_name.startswith(("Result<", "impl ", "&")) and type_name != "&str":
        return None
    if type_name.startswith(("Option<", "Vec<")):
        return "None" if type_name.startswith("Option<") else "Vec::new()"
    return VALUES.get(type_name, "Default::default()")


def _usable(spans: list[Span], file_name: str) -> bool:
    return all(s.file_name == file_name and s.suggestion_applicability in USABLE | {PLACEHOLDERS} for s in spans)


@dataclass(frozen=True)
class Suggestion:
    """One way rustc proposes to fix a diagnostic: its help text and the edits."""

    message: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False  # tried before rustc's own suggestions: theirs compiles but loses something


# A rule reads one diagnostic and the file's bytes (spans count bytes) and yields its fixes
# (rustc_notes, rustc_conversions, rustc_fallbacks).
Rule = Callable[[Diagnostic, str, bytes], Iterator[Suggestion]]


def rustc_candidates(diagnostic: Diagnostic, file_name: str) -> list[Suggestion]:
    """Each usable suggestion of the diagnostic as one edit set for file_name.

    The spans of one suggestion are applied together; when a diagnostic offers
    several suggestions on disjoint spans, their union is offered too, since
    rustc splits some fixes across children (two arguments each needing
    `.to_string()` in one E0308). Alternatives for the same span overlap, so
    they are never combined.
    """
    candidates = []
    for message, spans in diagnostic.suggestions():
        edits = _edits(spans, message) if _usable(spans, file_name) else None
        if edits is not None:
            candidates.append(Suggestion(message, edits))
    union = tuple(edit for c in candidates for edit in c.edits)
    if len(candidates) > 1 and _disjoint(union):
        candidates.append(Suggestion("; ".join(dict.fromkeys(c.message for c in candidates)), union))
    return candidates


def everywhere(diagnostic: Diagnostic, suggestions: list[Suggestion], errors: tuple[Diagnostic, ...],
               suggest: Callable[[Diagnostic], list[Suggestion]]) -> list[Suggestion]:
    """Each of the diagnostic's suggestions applied also at every alike error (same code,
    message and label) that suggest() gives a suggestion with the same help, as `cargo fix`
    would: seven string patterns matched against a `char` are one fix, not seven rounds."""
    def label(d: Diagnostic) -> str | None:
        return d.primary_span.label if d.primary_span else None

    key = (diagnostic.code, diagnostic.message, label(diagnostic))
    others = [suggest(d) for d in errors if d != diagnostic and (d.code, d.message, label(d)) == key]
    combined = []
    for suggestion in suggestions if others else []:
        same = [s for found in others for s in found if s.message == suggestion.message]
        edits = tuple(dict.fromkeys(e for s in (suggestion, *same) for e in s.edits))  # one `impl` serves all
        if same and _disjoint(edits):
            combined.append(Suggestion(f"{suggestion.message} (all {len(same) + 1})", edits, suggestion.preferred))
    return combined


def _edits(spans: list[Span], message: str) -> tuple[TextEdit, ...] | None:
    """The spans' replacements as edits; None when a placeholder among them cannot be filled."""
    edits = []
    for span in spans:
        text = span.suggested_replacement or ""
        if span.suggestion_applicability == PLACEHOLDERS:
            text = fill_placeholders(text, message)
            if text is None:
                return None
        edits.append(TextEdit(span.byte_start, span.byte_end, text))
    return tuple(edits)


def _disjoint(edits: tuple[TextEdit, ...]) -> bool:
    ordered = sorted(edits, key=lambda e: e.byte_start)
    return all(a.byte_end <= b.byte_start for a, b in zip(ordered, ordered[1:]))

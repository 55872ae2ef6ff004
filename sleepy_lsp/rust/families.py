"""Which error family a rustc diagnostic belongs to.

Routing (one adapter per family), prompt hints, training data and reports all
hang on this. The error code decides most cases; a few codes (E0277, E0308,
E0369, E0599, E0609) span families, and for those the message, labels and
notes say which: `?` and Option/Result point to result handling, "trait
bounds were not satisfied" or a derive hint to trait bounds, and so on.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic

_BY_CODE = {
    "borrow": {"E0373", "E0381", "E0382", "E0384", "E0499", "E0502", "E0503", "E0505", "E0506", "E0507",
               "E0508", "E0509", "E0515", "E0521", "E0594", "E0596", "E0597", "E0713", "E0716"},
    "trait_bounds": {"E0038", "E0117", "E0119", "E0204", "E0210", "E0275", "E0276", "E0283", "E0392"},
    "type_mismatch": {"E0054", "E0069", "E0070", "E0271", "E0317", "E0604", "E0605", "E0606", "E0614", "E0620"},
    "missing_item": {"E0046", "E0061", "E0063", "E0405", "E0407", "E0412", "E0422", "E0423", "E0424", "E0425",
                     "E0426", "E0432", "E0433", "E0434", "E0560", "E0603", "E0616"},
}
_MIXED = {"E0277", "E0308", "E0369", "E0599", "E0609"}

_RESULT = re.compile(r"`\?`|\bOption<|\bResult<|enum `Option|enum `Result|\bio::Result|`Option`|`Result`")
_TRAIT = re.compile(r"trait bounds? (were|was) not satisfied|doesn't implement|is not implemented|"
                    r"cannot be sent between threads|#\[derive|the trait bound|implement the trait|"
                    r"cannot be (compared|formatted)|binary operation `(==|!=|<|>|<=|>=)`|"
                    r"perhaps you need to implement|trait defines an item|if the trait is implemented")
_NUMERIC = re.compile(r"cannot (add|subtract|multiply|divide|add-assign|subtract-assign)[^\n]*`&?(str|String|[iuf](8|16|32|64|128|size))`|"
                      r"cannot be built from an iterator")


def _text(diagnostic: Diagnostic) -> str:
    """Message, span labels and children's messages: where rustc names the types involved."""
    parts = [diagnostic.message]
    parts += [s.label for s in diagnostic.spans if s.label]
    for child in diagnostic.children:
        parts.append(child.message)
        parts += [s.label for s in child.spans if s.label]
    return "\n".join(parts)


def classify(diagnostic: Diagnostic) -> str:
    """The family of a diagnostic: one of vocabulary.FAMILIES."""
    code = diagnostic.code
    for family, codes in _BY_CODE.items():
        if code in codes:
            return family
    if code not in _MIXED:
        return "other"
    text = _text(diagnostic)
    if code == "E0277" and "`?`" in diagnostic.message:
        return "result"
    if _RESULT.search(diagnostic.message) or (code in ("E0308", "E0369", "E0609") and _RESULT.search(text)):
        return "result"
    if _NUMERIC.search(text):
        return "type_mismatch"
    if code in ("E0277", "E0369") or _TRAIT.search(text):
        return "trait_bounds"
    if code in ("E0599", "E0609"):
        return "missing_item"
    return "type_mismatch"


"""Repairs of errors without a code: the parser says which token it expected, and where.

- a token the parser expected at an empty span (the `;` between two `macro_rules!`
  arms, a `,` between fields) is inserted there;
- a struct field or function parameter written without its type gets one of the
  types in reach: the other fields' types, most common first, or the types of the
  function's other parameters and return type and their element types (`&[f64]`
  gives `f64`). cargo keeps the ones that compile.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit
from .rust_source import enclosing_function, primary_in
from .rustc_suggestions import Suggestion
from .type_conversions import Type, parse_type

EXPECTED_TOKEN = re.compile(r"^expected `(?P<token>[;,:)\]}])`$")
FIELD_WITHOUT_TYPE = re.compile(r"^expected `:`, found `[^`]+`$")
PARAMETER_WITHOUT_TYPE = re.compile(r"^expected one of `:`, `@`, or `\|`, found `[^`]+`$")
FIELD = re.compile(r"(?:pub(?:\([^)]*\))?\s+)?\w+\s*:\s*(?P<type>[^,{}]+?)\s*(?:,|$)")
MOST_TYPES = 6


def insert_the_expected_token(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`expected `;`` at an empty span: the `;` inserted there."""
    if diagnostic.code:
        return
    for span in diagnostic.spans:
        match = EXPECTED_TOKEN.match(span.label or "")
        if match and span.file_name == file_name and span.byte_start == span.byte_end:
            yield Suggestion(f"insert the `{match['token']}` the parser expected",
                             (TextEdit(span.byte_start, span.byte_start, match["token"]),))


def give_the_missing_type(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`pub y }` in a struct of `f64` fields: `pub y: f64`; `fn scale(v: &[f64], k)`: `k: f64`."""
    span = primary_in(diagnostic, file_name)
    if diagnostic.code or span is None:
        return
    if FIELD_WITHOUT_TYPE.match(diagnostic.message) and any("while parsing this struct" in (s.label or "")
                                                          for s in diagnostic.spans):
        types = _field_types(data, span.byte_start)
    elif PARAMETER_WITHOUT_TYPE.match(diagnostic.message):
        types = _types_in_signature(data, span.byte_start)
    else:
        return
    at = len(data[:span.byte_start].rstrip())
    if not re.search(rb"\w$", data[:at]):
        return
    for name in types[:MOST_TYPES]:
        yield Suggestion(f"give it the type `{name}`", (TextEdit(at, at, f": {name}"),))


def _field_types(data: bytes, offset: int) -> list[str]:
    """The types of the other fields of the struct body around offset, most common first."""
    opening = data.rfind(b"{", 0, offset)
    body = data[opening + 1:offset].decode("utf-8", "replace") if opening >= 0 else ""
    counts = Counter(m["type"] for m in FIELD.finditer(body))
    return [name for name, _ in counts.most_common()]


def _types_in_signature(data: bytes, offset: int) -> list[str]:
    """The element types, then the types, of the function's other parameters and its return type."""
    head = data[:offset] + b") {"  # the signature is cut at the parameter: close it so it reads as one
    function = enclosing_function(head, len(head))
    if function is None:
        return []
    found = [parse_type(t) for t in function.parameters.values()]
    if function.returns != "()":
        found.append(parse_type(function.returns))
    elements = [e for t in found for e in _elements(t)]
    return list(dict.fromkeys(str(t) for t in elements + found))


def _elements(kind: Type) -> list[Type]:
    """What a reference, slice or collection holds: `&[f64]` -> f64, `Vec<&str>` -> &str."""
    if kind.name == "&" and kind.args:
        inner = kind.args[0]
        if inner.name.startswith("[") and inner.name.endswith("]"):
            return [parse_type(inner.name[1:-1])]
        return [inner, *_elements(inner)]
    if kind.name.startswith("[") and kind.name.endswith("]"):
        return [parse_type(kind.name[1:-1])]
    if kind.name in ("Vec", "Option", "VecDeque", "HashSet", "BTreeSet") and kind.args:
        return [kind.args[0]]
    return []


RULES = (insert_the_expected_token, give_the_missing_type)

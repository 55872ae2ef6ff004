"""Repairs of missing and hidden items, from the spans and names rustc gives.

- fill the missing fields of a struct literal (E0063): each with the local of
  the same name when the function has one (`Account { owner, balance }`), else
  the plain value of its declared type (`false`, `0`, `String::new()`);
- add the constructor a caller asks for (E0599 on `T::new(..)`): `new` taking
  one argument per field, in declaration order, when the call passes as many;
- make a private item visible in the crate (E0603, E0616, E0624): `pub(crate)`
  on its definition, which changes nothing outside the crate.

Only edits of the file being fixed are made; cargo decides which compile.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit
from .rust_source import closing_brace, enclosing_function, line_indent, primary_in, split_top_level
from .rustc_suggestions import Suggestion, plain_value

MISSING_FIELDS = re.compile(r"missing fields? (?P<names>.+?) in initializer of `(?P<type>[^`]+)`")
QUOTED = re.compile(r"`(\w+)`")
NEW_NOT_FOUND = re.compile(r"no function or associated item named `new` found for struct `(?P<type>\w+)")
PRIVATE_FIELD = re.compile(r"field `(?P<field>\w+)` of struct `(?P<type>\w+)` is private")
FIELD = re.compile(r"^\s*(?:#\[[^\]]*\]\s*)*(?P<vis>pub(?:\([^)]*\))?\s+)?(?P<name>\w+)\s*:\s*(?P<type>.+?)\s*$", re.S)
VISIBILITY = "pub(crate) "


def struct_fields(data: bytes, name: str) -> list[tuple[str, str, int]] | None:
    """The named fields of `struct name { .. }` in data: (name, type, offset of the field), or None."""
    header = re.search(rb"\bstruct\s+" + re.escape(name.encode()) + rb"\b(?:<[^{;]*>)?\s*\{", data)
    end = closing_brace(data, header.end() - 1) if header else -1
    if end < 0:
        return None
    body_start = header.end()
    body = re.sub(r"//[^\n]*", lambda m: " " * len(m.group()), data[body_start:end].decode("utf-8", "replace"))
    fields, cursor = [], 0
    for part in split_top_level(body):
        at = body.index(part, cursor)
        cursor = at + len(part)
        match = FIELD.match(part)
        if match:
            offset = body_start + len(body[:at + match.start("name")].encode())
            fields.append((match["name"], match["type"], offset))
    return fields


def fill_missing_fields(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`Account { owner }` missing `balance`: `Account { owner, balance }` or `balance: 0`."""
    match = MISSING_FIELDS.search(diagnostic.message)
    span = primary_in(diagnostic, file_name)
    if diagnostic.code != "E0063" or match is None or span is None:
        return
    declared = {name: kind for name, kind, _ in struct_fields(data, match["type"].split("::")[-1]) or []}
    function = enclosing_function(data, span.byte_start)
    locals_here = set(function.parameters) if function else set()
    if function:
        locals_here |= {m.decode() for m in re.findall(rb"\blet\s+(?:mut\s+)?(\w+)", data[function.body_start:span.byte_start])}
    values = []
    for name in QUOTED.findall(match["names"]):
        value = name if name in locals_here else plain_value(declared[name]) if name in declared else None
        if value is None:
            return
        values.append(name if value == name else f"{name}: {value}")
    opening = data.find(b"{", span.byte_end)
    closing = closing_brace(data, opening)
    if opening < 0 or closing < 0 or data[span.byte_end:opening].strip():
        return
    inside = data[opening + 1:closing]
    last = inside.rstrip()
    if b"\n" in inside:  # one field per line: each added on its own line, indented like the others
        indent = line_indent(data, opening + 1 + len(last)) if last.strip() else line_indent(data, opening) + "    "
        comma = b"" if not last.strip() or last.endswith(b",") else b","
        text = comma.decode() + "".join(f"\n{indent}{v}," for v in values)
    else:
        comma = ", " if last.strip() and not last.endswith(b",") else " " if last.strip() else " "
        text = comma + ", ".join(values) + " "
        last = last if last.strip() else b""
    at = opening + 1 + len(last)
    yield Suggestion(f"fill in {', '.join(values)}", (TextEdit(at, closing if b"\n" not in inside else at, text),))


def add_constructor(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`Point::new(1, 2)` with no `new`: `fn new(x: i32, y: i32) -> Self { Self { x, y } }` in an impl."""
    match = NEW_NOT_FOUND.search(diagnostic.message)
    span = primary_in(diagnostic, file_name)
    if diagnostic.code != "E0599" or match is None or span is None:
        return
    name = match["type"]
    fields = struct_fields(data, name)
    arguments = _call_arguments(data, span.byte_end)
    if not fields or arguments is None or len(arguments) != len(fields):
        return
    header = re.search(rb"(?m)^(?P<indent>[ \t]*)(?P<pub>pub(?:\([^)]*\))?\s+)?struct\s+" + re.escape(name.encode()) + rb"\b", data)
    if header is None:
        return
    end = closing_brace(data, data.find(b"{", header.end()))
    indent = header["indent"].decode()
    visibility = "pub " if header["pub"] else ""
    parameters = ", ".join(f"{field}: {kind}" for field, kind, _ in fields)
    body = ", ".join(field for field, _, _ in fields)
    constructor = (f"\n\n{indent}impl {name} {{\n{indent}    {visibility}fn new({parameters}) -> Self {{\n"
                   f"{indent}        Self {{ {body} }}\n{indent}    }}\n{indent}}}")
    yield Suggestion(f"add `{name}::new` taking each field", (TextEdit(end + 1, end + 1, constructor),))


def _call_arguments(data: bytes, after: int) -> list[str] | None:
    """The arguments of the call whose `(` follows offset after, or None when none does."""
    opening = after + len(data[after:]) - len(data[after:].lstrip())
    if data[opening:opening + 1] != b"(":
        return None
    depth = 0
    for at in range(opening, len(data)):
        depth += {ord("("): 1, ord(")"): -1}.get(data[at], 0)
        if depth == 0:
            return split_top_level(data[opening + 1:at].decode("utf-8", "replace"))
    return None


def make_visible_in_crate(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """A private function, method, type or field used elsewhere in the crate: `pub(crate)` on it."""
    at = None
    if diagnostic.code in ("E0603", "E0624"):
        definition = _definition(diagnostic, file_name)
        at = definition.byte_start if definition else None
    elif diagnostic.code == "E0616" and (match := PRIVATE_FIELD.search(diagnostic.message)):
        at = next((offset for field, _, offset in struct_fields(data, match["type"]) or [] if field == match["field"]),
                  None)
    if at is None or data[at:at + 3] == b"pub":
        return
    yield Suggestion("make it visible in the crate: `pub(crate)`", (TextEdit(at, at, VISIBILITY),))


def _definition(diagnostic: Diagnostic, file_name: str) -> Span | None:
    """The span rustc says the item is defined at (a label, or a note's span), when in file_name."""
    for span in diagnostic.spans:
        if "defined here" in (span.label or "") and span.file_name == file_name:
            return span
    for child in diagnostic.children:
        if "defined here" in child.message:
            return next((s for s in child.spans if s.file_name == file_name), None)
    return None


RULES = (fill_missing_fields, add_constructor, make_visible_in_crate)

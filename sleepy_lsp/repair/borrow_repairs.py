"""Borrow repairs read from the spans rustc labels, not from its wording in one program.

A borrow error names where the first borrow is taken, where it conflicts and
where it is used later. Two repairs keep the program's meaning whatever the
types are:

- own what was borrowed: a value read through a shared borrow that is held
  across a change (E0502, E0505, E0506) or outlives its owner (E0597) is read
  once, into an owned value (`&v[0]` -> `v[0].clone()`, `v.first()` ->
  `v.first().cloned()`), which is what the borrow saw at that moment;
- store the argument first: a call whose argument borrows what its receiver
  already holds mutably (E0499, E0502 inside one statement) gets the argument
  evaluated into a local before the call, as rustc's help describes;
- do the conflicting statement first: a statement that needs what a `let`
  above it holds borrowed (E0499, E0502) and does not use that binding is
  moved above the `let`, so the borrow starts after it; the statements
  between do not use it either, so only the borrow's start moves;
- read before the move: a value used after it was moved (E0382) through a
  field or method (`order.items.len()`) has that read taken into a local just
  before the statement that moves it, which is the value the read meant.

Each yields only edits; cargo in the shadow crate decides, and the risk check
judges the diff.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit
from .rust_source import binds_tightly, enclosing_function, line_indent, primary_in, statement_end
from .rustc_suggestions import Suggestion

# Labels of the shared borrow whose value the later use reads.
SHARED_BORROW = ("immutable borrow occurs here", "borrow of ", "borrowed value does not live long enough",
                 "is borrowed here")
OWNING_CODES = {"E0502", "E0505", "E0506", "E0597"}
# Ways to read an owned value out of a borrow, tried in this order; cargo keeps those that type-check.
OWNED_READS = (".clone()", ".cloned()", ".copied()", ".to_owned()")
STORE_HELP = "try adding a local storing this argument"
USE_HELP = "then using that local as the argument"
STRING = re.compile(rb'"(?:\\.|[^"\\])*"')
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def own_the_borrowed_value(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`let x = &v[0];` (or `x = &owned;`) held across a conflict: read the value out instead."""
    if diagnostic.code not in OWNING_CODES:
        return
    borrow = next((s for s in diagnostic.spans if s.file_name == file_name and s.label
                   and s.label.startswith(SHARED_BORROW) and "mutable" not in s.label.replace("immutable", "")), None)
    if borrow is None:
        return
    found = _binding_value(data, borrow)
    if found is None:
        return
    start, end = found
    value = data[start:end].decode("utf-8", "replace").strip()
    lead = len(data[start:end]) - len(data[start:end].lstrip())
    start += lead
    for owned in owned_values(value):
        yield Suggestion(f"read the value out of the borrow: `{owned}`", (TextEdit(start, start + len(value.encode()), owned),))


def owned_values(value: str) -> list[str]:
    """Owned reads of a borrowing expression: `&v[0]` -> `v[0]`, `v[0].clone()`; `v.first()` -> `v.first().cloned()`."""
    if value.startswith("&mut ") or value.startswith("&&"):
        return []
    if value.startswith("&"):
        inner = value[1:].strip()
        if not binds_tightly(inner):  # `&a + b` borrows only `a`
            return []
        return [inner + read for read in OWNED_READS if read != ".cloned()"] + [inner]
    if not binds_tightly(value):
        return []
    return [value + read for read in OWNED_READS]


def _binding_value(data: bytes, borrow: Span) -> tuple[int, int] | None:
    """The value of the `let ... = VALUE;` or `name = VALUE;` statement whose value holds the borrow."""
    line_start = data.rfind(b"\n", 0, borrow.byte_start) + 1
    statement_start = max(data.rfind(b";", 0, borrow.byte_start), data.rfind(b"{", 0, borrow.byte_start),
                          data.rfind(b"}", 0, borrow.byte_start)) + 1
    head = data[max(line_start, statement_start):borrow.byte_start]
    binding = re.search(rb"(?:\blet\s+(?:mut\s+)?\w+\s*(?::[^=;]+)?|^\s*\w+\s*)=(?![=>])\s*", head)
    if binding is None:
        return None
    start = max(line_start, statement_start) + binding.end()
    end = statement_end(data, start)
    if end < 0 or end < borrow.byte_end:
        return None
    return start, end


def store_the_argument_first(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`self.items.push(self.next_id())`: `let next_id = self.next_id();` before the statement."""
    argument = _help_span(diagnostic, STORE_HELP, file_name)
    call = _help_span(diagnostic, USE_HELP, file_name)
    if argument is None or call is None:
        return
    text = data[argument.byte_start:argument.byte_end].decode("utf-8", "replace")
    first = _statement_start(data, call.byte_start)
    line_start = data.rfind(b"\n", 0, first) + 1
    name = _local_name(text, data, argument.byte_start)
    if data[line_start:first].strip():  # the statement shares its line: the local goes just before it
        stored = TextEdit(first, first, f"let {name} = {text}; ")
    else:
        stored = TextEdit(line_start, line_start, f"{line_indent(data, first)}let {name} = {text};\n")
    edits = (stored, TextEdit(argument.byte_start, argument.byte_end, name))
    yield Suggestion(f"store the argument in `{name}` before the call", edits)


FIRST_BORROW = ("first mutable borrow occurs here", "immutable borrow occurs here", "mutable borrow occurs here")


def conflict_first(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`let first = &mut self.items[0]; self.note("x"); *first += 1;`: `self.note("x");` above the `let`."""
    if diagnostic.code not in ("E0499", "E0502"):
        return
    first = next((s for s in diagnostic.spans if not s.is_primary and s.file_name == file_name
                  and s.label in FIRST_BORROW), None)
    second = primary_in(diagnostic, file_name)
    if first is None or second is None or first.byte_start >= second.byte_start:
        return
    binding_start = _statement_start(data, first.byte_start)
    binding = re.match(rb"let\s+(?:mut\s+)?(\w+)", data[binding_start:])
    moved = _whole_line_statement(data, second.byte_start)
    if binding is None or moved is None or moved[0] <= binding_start:
        return
    name = re.compile(rb"\b" + re.escape(binding[1]) + rb"\b")
    between = STRING.sub(b'""', data[statement_end(data, binding_start) + 1:moved[1]])
    if name.search(between):
        return  # the statement, or one between, uses the borrow: moving would change what it reads
    line = data.rfind(b"\n", 0, binding_start) + 1
    if data[line:binding_start].strip():
        return
    text = data[moved[0]:moved[1]].decode("utf-8", "replace")
    yield Suggestion("do the conflicting statement before the borrow",
                     (TextEdit(line, line, text), TextEdit(moved[0], moved[1], "")))


def _whole_line_statement(data: bytes, offset: int) -> tuple[int, int] | None:
    """The lines (start, end after the newline) of the one-line statement holding offset, or None."""
    start = _statement_start(data, offset)
    end = statement_end(data, offset)
    line = data.rfind(b"\n", 0, start) + 1
    newline = data.find(b"\n", end)
    if end < 0 or newline < 0 or data[line:start].strip() or data[end + 1:newline].strip() or b"\n" in data[start:end]:
        return None
    return line, newline + 1


def read_before_the_move(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`let shipped = ship(order); shipped + order.items.len()`: `let len = order.items.len();` first."""
    used = next((s for s in diagnostic.spans if s.is_primary and s.file_name == file_name
                 and (s.label or "").endswith("after move")), None)
    moved = next((s for s in diagnostic.spans if s.label == "value moved here" and s.file_name == file_name), None)
    if diagnostic.code != "E0382" or used is None or moved is None or moved.byte_start >= used.byte_start:
        return
    end = _postfix_end(data, used.byte_start)
    read = data[used.byte_start:end].decode("utf-8", "replace")
    first = _statement_start(data, moved.byte_start)
    if "." not in read or _statement_start(data, used.byte_start) == first:
        return
    name = _local_name(read, data, used.byte_start)
    line_start = data.rfind(b"\n", 0, first) + 1
    if data[line_start:first].strip():
        return
    edits = (TextEdit(line_start, line_start, f"{line_indent(data, first)}let {name} = {read};\n"),
             TextEdit(used.byte_start, end, name))
    yield Suggestion(f"read `{read}` before it is moved", edits, preferred=True)  # cheaper than cloning it all


def _postfix_end(data: bytes, start: int) -> int:
    """The end of the field and method chain that starts at start (`order.items.len()`)."""
    at = start
    while at < len(data):
        word = re.match(rb"[A-Za-z_]\w*", data[at:])
        if word is None:
            break
        at += word.end()
        while data[at:at + 1] in (b"(", b"["):
            at = _group_end(data, at)
            if at < 0:
                return start
        if data[at:at + 1] != b"." or data[at + 1:at + 2] == b".":
            break
        at += 1
    return at


def _group_end(data: bytes, opening: int) -> int:
    depth = 0
    for at in range(opening, len(data)):
        depth += {ord("("): 1, ord("["): 1, ord(")"): -1, ord("]"): -1}.get(data[at], 0)
        if depth == 0:
            return at + 1
    return -1


def _statement_start(data: bytes, offset: int) -> int:
    """Where the statement holding offset begins (its first character)."""
    boundary = max(data.rfind(b";", 0, offset), data.rfind(b"{", 0, offset), data.rfind(b"}", 0, offset)) + 1
    return boundary + len(data[boundary:offset]) - len(data[boundary:offset].lstrip())


def _help_span(diagnostic: Diagnostic, words: str, file_name: str) -> Span | None:
    for child in diagnostic.children:
        if words in child.message:
            return next((s for s in child.spans if s.file_name == file_name), None)
    return None


def _local_name(expression: str, data: bytes, offset: int) -> str:
    """A name for the stored argument: its last method or field name (`self.next_id()` -> `next_id`),
    made unique among the function's parameters and lets."""
    words = [w for w in IDENTIFIER.findall(expression) if w not in ("self", "mut", "as")]
    base = (words[-1] if words else "value").lower()
    base = base.removeprefix("get_") or "value"
    function = enclosing_function(data, offset)
    taken = set(function.parameters) if function else set()
    body = data[function.body_start:offset] if function else b""
    taken |= {m.decode() for m in re.findall(rb"\blet\s+(?:mut\s+)?(\w+)", body)}
    name = base
    while name in taken:
        name = f"{name}_value"
    return name


RULES = (own_the_borrowed_value, store_the_argument_first, conflict_first, read_before_the_move)

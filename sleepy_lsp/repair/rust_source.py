"""Reading and editing Rust source as bytes (rustc's spans count bytes), for the note rules.

These are deliberately shallow: they read the few shapes a rule needs (a derive list, a
brace's match, a function's signature) without parsing Rust, and every edit they help
build is checked by cargo before anyone sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit

SIMPLE_EXPRESSION = re.compile(r"[\w.:\[\]()]+")  # a path, field, index or call: `.clone()` binds to all of it
BRACKETED = re.compile(r"\([^()\[\]]*\)|\[[^()\[\]]*\]|::<[^<>()]*>")  # an innermost group or turbofish
DERIVE = re.compile(rb"^(?P<head>\s*#\[derive\()(?P<traits>[^)]*)(?P<tail>\)\]\s*)$")


def derive(data: bytes, item_start: int, traits: tuple[str, ...]) -> TextEdit:
    """An edit deriving traits for an item: added to the item's `#[derive(...)]` when it has
    one, else a new attribute line above the item.

    Args:
        data: the file's bytes.
        item_start: a byte offset on the item's first line (after its attributes).
        traits: the traits to derive, in order; those already derived are not repeated.
    """
    line_start = data.rfind(b"\n", 0, item_start) + 1
    above = line_start
    while above > 0:
        previous = data.rfind(b"\n", 0, above - 1) + 1
        line = data[previous:above - 1]
        existing = DERIVE.match(line)
        if existing:
            present = [t.strip() for t in existing["traits"].decode().split(",") if t.strip()]
            listed = ", ".join(present + [t for t in traits if t not in present])
            return TextEdit(previous + existing.end("head"), previous + existing.start("tail"), listed)
        if not line.lstrip().startswith((b"#[", b"//")):
            break
        above = previous
    return TextEdit(line_start, line_start, f"{line_indent(data, item_start)}#[derive({', '.join(traits)})]\n")


def call_on(data: bytes, span: Span, call: str) -> list[TextEdit]:
    """Edits appending a method call to the expression at span, parenthesised where it must be."""
    expression = data[span.byte_start:span.byte_end].decode("utf-8", "replace")
    if binds_tightly(expression):
        return [TextEdit(span.byte_end, span.byte_end, call)]
    return [TextEdit(span.byte_start, span.byte_start, "("), TextEdit(span.byte_end, span.byte_end, ")" + call)]


def binds_tightly(expression: str) -> bool:
    """Whether a method call appended to expression applies to all of it: a path, field,
    index or call chain with no operator outside its brackets (`env::var(&key)`, not `a + b`)."""
    collapsed, previous = re.sub(r"\s*\.\s*", ".", expression.strip()), None  # a chain split over lines
    while collapsed != previous:
        # an innermost group becomes a name, so the group around it is innermost next (`f(a, g())`)
        previous, collapsed = collapsed, BRACKETED.sub("_", collapsed)
    return SIMPLE_EXPRESSION.fullmatch(collapsed) is not None


def expression_before(data: bytes, offset: int) -> int:
    """Where the call chain ending at offset starts (`stack.pop()` before a `?`), walking back
    over names, `.`, `::` and balanced brackets."""
    at = offset
    while at > 0:
        char = data[at - 1:at]
        if char in (b")", b"]"):
            at = _opening_bracket(data, at - 1)
            if at < 0:
                return offset
        elif char.isalnum() or char in (b"_", b".", b":"):
            at -= 1
        else:
            break
    return at


def _opening_bracket(data: bytes, closing: int) -> int:
    depth = 0
    for at in range(closing, -1, -1):
        depth += {ord(")"): 1, ord("]"): 1, ord("("): -1, ord("["): -1}.get(data[at], 0)
        if depth == 0:
            return at
    return -1


def labelled(spans: tuple[Span, ...], label: str, file_name: str) -> Span | None:
    return next((s for s in spans if label in (s.label or "") and s.file_name == file_name), None)


def primary_in(diagnostic: Diagnostic, file_name: str) -> Span | None:
    """The diagnostic's primary span when it lies in file_name: the rules edit only that file."""
    span = diagnostic.primary_span
    return span if span is not None and span.file_name == file_name else None


def line_indent(data: bytes, offset: int) -> str:
    """The whitespace that starts the line holding offset."""
    line = data[data.rfind(b"\n", 0, offset) + 1:offset]
    return line[: len(line) - len(line.lstrip())].decode()


def closing_brace(data: bytes, opening: int) -> int:
    """The offset of the brace closing the one at opening, or -1. Braces in strings would
    miscount, but the bodies this reads (enum declarations) hold none."""
    if opening < 0:
        return -1
    depth = 0
    for offset in range(opening, len(data)):
        depth += {ord("{"): 1, ord("}"): -1}.get(data[offset], 0)
        if depth == 0:
            return offset
    return -1


def indent_of_next_line(data: bytes, offset: int) -> bytes:
    line_start = data.find(b"\n", offset) + 1
    line = data[line_start:].split(b"\n", 1)[0] if line_start else b""
    return line[: len(line) - len(line.lstrip())]


FUNCTION = re.compile(
    rb"\bfn\s+\w+\s*(?:<[^{(]*>)?\s*\((?P<params>(?:[^()]|\([^()]*\))*)\)\s*(?:->\s*(?P<returns>[^{]+?))?\s*(?:where\b[^{]*)?\{")
PARAMETER = re.compile(r"^\s*(?:mut\s+)?(?P<name>\w+)\s*:\s*(?P<type>.+?)\s*$")
VARIANT = re.compile(r"(?m)^\s*(?:#\[[^\]]*\]\s*)*(?P<name>\w+)\s*(?:\(\s*(?P<field>[^(),]+?)\s*,?\s*\))?\s*,?\s*$")
LOOP_HEADER = re.compile(rb"(?:^|[\s;{}])(?:for|while|loop)\b[^;{}]*$")


@dataclass(frozen=True)
class Function:
    """The signature of the function around an offset: its parameters and return type."""

    parameters: dict[str, str]
    returns: str  # "()" when the signature names none
    body_start: int  # the offset of the body's opening brace


def enclosing_function(data: bytes, offset: int) -> Function | None:
    """The last function whose signature starts before offset (nested closures are not functions)."""
    found = None
    for match in FUNCTION.finditer(data, 0, offset):
        found = match
    if found is None:
        return None
    parameters = {}
    for text in split_top_level(found["params"].decode("utf-8", "replace")):
        parameter = PARAMETER.match(text)
        if parameter:
            parameters[parameter["name"]] = parameter["type"]
    returns = found["returns"].decode("utf-8", "replace").strip() if found["returns"] else "()"
    return Function(parameters, returns, found.end() - 1)


def enum_body(data: bytes, name: str) -> tuple[int, int] | None:
    """The offsets of the braces around the body of the enum `name` in data."""
    header = re.search(rb"\benum\s+" + re.escape(name.encode()) + rb"\b[^{;]*\{", data)
    end = closing_brace(data, header.end() - 1) if header else -1
    return (header.end() - 1, end) if end >= 0 else None


def enum_variants(data: bytes, name: str) -> list[tuple[str, str | None]]:
    """The unit variants (field None) and one-field tuple variants of the enum `name` in data;
    struct variants and variants with several fields are left out."""
    body = enum_body(data, name)
    if body is None:
        return []
    text = re.sub(r"//[^\n]*", "", data[body[0] + 1:body[1]].decode("utf-8", "replace"))
    return [(m["name"], m["field"]) for line in split_top_level(text) if (m := VARIANT.match(line.strip() + ","))]


def variant_holding(data: bytes, enum: str, type_name: str) -> tuple[str, str] | None:
    """The one variant of enum whose field is type_name (however its path is spelled), with the
    field as spelled; None when no variant or several hold it."""
    last = type_name.split("::")[-1]
    holders = [(v, field) for v, field in enum_variants(data, enum) if field and field.split("::")[-1] == last]
    return holders[0] if len(holders) == 1 else None


def is_constructed(data: bytes, enum: str, variant: str) -> bool:
    """Whether code builds `Enum::Variant` anywhere; a match arm or `if let` pattern does not count."""
    use = re.compile(rb"\b" + re.escape(f"{enum}::{variant}".encode()) + rb"\b(?:\s*\([^()]*\))?(?P<after>\s*(?:=>|=[^=]|\|))?")
    return any(m["after"] is None for m in use.finditer(data))


@dataclass(frozen=True)
class LetStatement:
    """`let [mut ]name[: T] = value;`: where it starts and where its `;` is."""

    name: str
    mut: str  # "mut " or ""
    value: str
    start: int
    end: int


def last_let(data: bytes, name: str, after: int, before: int) -> LetStatement | None:
    """The last statement binding name with `let` between the offsets after and before."""
    found = None
    binding = re.compile(rb"\blet\s+(mut\s+)?" + re.escape(name.encode()) + rb"\s*(?::[^=;]+)?=(?!=)")
    for match in binding.finditer(data, after, before):
        found = match
    end = statement_end(data, found.end()) if found else -1
    if end < 0:
        return None
    value = data[found.end():end].decode("utf-8", "replace").strip()
    return LetStatement(name, "mut " if found[1] else "", value, found.start(), end)


def statement_end(data: bytes, offset: int) -> int:
    """The offset of the `;` ending the statement that runs through offset, or -1."""
    depth = 0
    for at in range(offset, len(data)):
        depth += {ord("("): 1, ord("["): 1, ord("{"): 1, ord(")"): -1, ord("]"): -1, ord("}"): -1}.get(data[at], 0)
        if depth < 0:
            return -1
        if depth == 0 and data[at] == ord(";"):
            return at
    return -1


def in_loop(data: bytes, offset: int) -> bool:
    """Whether the innermost block around offset is a loop's body."""
    depth = 0
    for at in range(offset - 1, -1, -1):
        depth += {ord("}"): 1, ord("{"): -1}.get(data[at], 0)
        if depth < 0:
            line_start = data.rfind(b"\n", 0, at) + 1
            return LOOP_HEADER.search(data[line_start:at]) is not None
    return False


def split_top_level(text: str) -> list[str]:
    """text split at the commas outside (), <> and [] (a parameter list, an enum body)."""
    parts, depth, current = [], 0, []
    for previous, char in zip(" " + text, text):
        if not (char == ">" and previous == "-"):  # `->` in a closure type closes nothing
            depth += {"(": 1, "<": 1, "[": 1, ")": -1, ">": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]

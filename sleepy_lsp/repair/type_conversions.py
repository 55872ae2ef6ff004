"""Conversions chosen by the expected and found types rustc states, where it suggests none.

A mismatch label reads "expected `Result<u32, String>`, found `Result<u32,
ParseIntError>`". Both types are read into small trees and looked up in a
table of conversions that keep the value (no unwrap, no default):

- an error of another type where a `String` error is expected: `.map_err(|e| e.to_string())`;
- a vector (or iterator result) of borrowed strings where owned ones are expected:
  each element converted (`.iter().map(|s| s.to_string()).collect()`), and
  likewise `&T` elements copied (`.iter().copied().collect()`);
- a number operator between two number types (E0277 "no implementation for `f64 / usize`"): the
  right operand converted to the left one's type, losslessly with `T::from` where `From` exists,
  else with `as` into a float (`len as f64`, as one computes a mean);
- a slice indexed by another integer type: the index cast to `usize` (`v[i as usize]`);
- a sum or product of borrowed numbers into a wider type: each converted first
  (`.map(|&x| u64::from(x)).sum()`);
- floats sorted or compared as if totally ordered: `sort_by`, `max_by`, `min_by` with `total_cmp`;
- `?` on an error of another type in a function whose error is a `String`:
  `.map_err(|e| e.to_string())?`;
- one element of a `vec![..]`/array literal or one arm of a `match` that needs
  the conversion rustc suggests: every element or arm of the same kind gets it, since rustc
  reports only the first and the rest follow one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit
from .rust_source import binds_tightly, primary_in, split_top_level
from .rustc_conversions import WIDER
from .rustc_suggestions import Suggestion

NO_OPERATOR = re.compile(r"^no implementation for `(?P<left>\w+) (?P<op>[-+*/%]) (?P<right>\w+)`$")
TO_STRING_ERROR = "`?` couldn't convert the error to `String`"
NUMBERS = {f"{sign}{bits}" for sign in "iu" for bits in ("8", "16", "32", "64", "128", "size")} | {"f32", "f64"}
OPERAND = re.compile(rb"\s*(?:[A-Za-z_][\w]*(?:::[A-Za-z_]\w*)*|\d[\w.]*)")
INDEXED_BY = re.compile(r"cannot be indexed by `(?P<index>[iu](?:8|16|32|64|128|size))`")
SUMMED = re.compile(r"a value of type `(?P<total>\w+)` cannot be made by (?P<how>summing|multiplying) an iterator over "
                    r"elements of type `&(?P<item>\w+)`")
FLOAT_ORD = re.compile(r"the trait bound `f(?:32|64): Ord` is not satisfied")
BY_TOTAL_ORDER = {"sort": "sort_by", "sort_unstable": "sort_unstable_by", "max": "max_by", "min": "min_by"}
MISMATCH = re.compile(r"expected `(?P<expected>.+)`, found `(?P<found>.+)`$")
STRING_LITERAL = re.compile(r'^(?:b?"(?:\\.|[^"\\])*"|r#*".*"#*)$', re.S)
COPY_TYPES = {f"{sign}{bits}" for sign in "iu" for bits in ("8", "16", "32", "64", "128", "size")} | {
    "f32", "f64", "bool", "char"}


@dataclass(frozen=True)
class Type:
    """A type as a name and its generic arguments: `Result<u32, String>` is Result[u32, String];
    a reference is named `&` with the referenced type as its one argument."""

    name: str
    args: tuple["Type", ...] = ()

    def __str__(self) -> str:
        if self.name == "&":
            return f"&{self.args[0]}"
        return self.name + (f"<{', '.join(map(str, self.args))}>" if self.args else "")


def parse_type(text: str) -> Type:
    """`Vec<&'a str>` -> Vec[&[str]]; lifetimes and `mut` are dropped (they do not change the conversion)."""
    text = re.sub(r"'\w+\s*", "", text.strip())
    if text.startswith("&"):
        return Type("&", (parse_type(text[1:].removeprefix("mut ").strip()),))
    if "<" in text and text.endswith(">"):
        head, inner = text.split("<", 1)
        return Type(head.strip(), tuple(parse_type(part) for part in split_top_level(inner[:-1])))
    return Type(text)


def mismatch(diagnostic: Diagnostic, file_name: str) -> tuple[Span, Type, Type] | None:
    """The primary span with the expected and the found type of an E0308, when its label states them."""
    span = primary_in(diagnostic, file_name)
    match = MISMATCH.search(span.label or "") if span else None
    if diagnostic.code != "E0308" or match is None:
        return None
    return span, parse_type(match["expected"]), parse_type(match["found"])


def element_conversion(expected: Type, found: Type) -> str | None:
    """The closure or adapter that turns one found element into an expected one, or None."""
    if expected == Type("String") and found in (Type("&", (Type("str"),)), Type("&", (Type("String"),))):
        return ".map(|s| s.to_string())"
    if found.name == "&" and found.args[0] == expected and expected.name in COPY_TYPES:
        return ".copied()"
    if found.name == "&" and found.args[0] == expected:
        return ".cloned()"
    return None


def convert_to_expected(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """The table's conversions for the expression at the mismatch."""
    found_mismatch = mismatch(diagnostic, file_name)
    if found_mismatch is None:
        return
    span, expected, found = found_mismatch
    expression = data[span.byte_start:span.byte_end].decode("utf-8", "replace")
    if not binds_tightly(expression):
        return
    if (expected.name == found.name == "Result" and len(expected.args) == len(found.args) == 2
            and expected.args[0] == found.args[0] and expected.args[1] == Type("String") != found.args[1]):
        yield Suggestion("turn the error into its message", (TextEdit(span.byte_end, span.byte_end,
                                                                      ".map_err(|e| e.to_string())"),))
    if expected.name == found.name == "Vec" and expected.args and found.args:
        each = element_conversion(expected.args[0], found.args[0])
        if each is None:
            return
        if expression.endswith(".to_vec()"):  # `names.to_vec()`: convert while copying
            converted = expression.removesuffix(".to_vec()") + f".iter(){each}.collect()"
        elif expression.endswith(".collect()"):
            converted = expression.removesuffix(".collect()") + f"{each}.collect()"
        else:
            converted = expression + f".into_iter(){each}.collect()"
        yield Suggestion("convert each element", (TextEdit(span.byte_start, span.byte_end, converted),))


def convert_every_sibling(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """rustc's conversion for one string element or match arm (`"ann".to_string()`), applied to
    every string literal of the same list or match."""
    found_mismatch = mismatch(diagnostic, file_name)
    conversion = next((s.suggested_replacement for c in diagnostic.children for s in c.spans
                       if s.suggested_replacement in (".to_string()", ".to_owned()", ".into()")), None)
    if found_mismatch is None or conversion is None:
        return
    span = found_mismatch[0]
    if not STRING_LITERAL.match(data[span.byte_start:span.byte_end].decode("utf-8", "replace")):
        return
    siblings = list_elements(data, span.byte_start) or match_arm_values(data, span.byte_start)
    literals = [(start, end) for start, end in siblings
                if STRING_LITERAL.match(data[start:end].decode("utf-8", "replace").strip())]
    if len(literals) > 1:
        yield Suggestion(f"convert every element with `{conversion}`",
                         tuple(TextEdit(end, end, conversion) for _, end in literals))


def convert_the_operand(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`total / values.len()` with an f64 total: `total / values.len() as f64`; `a + b` with a u64 and a
    u8: `a + u64::from(b)`."""
    span = primary_in(diagnostic, file_name)
    match = NO_OPERATOR.match(span.label or "") if span and diagnostic.code == "E0277" else None
    if match is None or match["left"] not in NUMBERS or match["right"] not in NUMBERS:
        return
    start = span.byte_end + len(data[span.byte_end:]) - len(data[span.byte_end:].lstrip())
    end = _operand_end(data, start)
    if end <= start:
        return
    operand = data[start:end].decode("utf-8", "replace")
    left, right = match["left"], match["right"]
    if left in WIDER.get(right, "").split():
        converted = f"{left}::from({operand})"
    elif left.startswith("f"):
        converted = f"{operand} as {left}"
    else:
        return
    yield Suggestion(f"convert the right operand to `{left}`", (TextEdit(start, end, converted),))


def _operand_end(data: bytes, start: int) -> int:
    """The end of the operand starting at start: a path or number with its calls, fields and indexes."""
    match = OPERAND.match(data, start)
    if match is None:
        return start
    at = match.end()
    while at < len(data):
        char = data[at:at + 1]
        if char in (b"(", b"["):
            at = _matching(data, at) + 1
            if at <= 0:
                return start
        elif char == b"." and (word := re.match(rb"\.[A-Za-z_]\w*", data[at:])):
            at += word.end()
        else:
            return at
    return at


def message_for_string_error(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`?` into a `String` error: the error's message, `.map_err(|e| e.to_string())?` (the adapter binds to
    the same expression `?` does)."""
    span = primary_in(diagnostic, file_name)
    if diagnostic.code == "E0277" and diagnostic.message == TO_STRING_ERROR and span and data[span.byte_start:span.byte_end] == b"?":
        yield Suggestion("turn the error into its message", (TextEdit(span.byte_start, span.byte_start,
                                                                      ".map_err(|e| e.to_string())"),))


def index_as_usize(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`values[i]` with a `u32` index: `values[i as usize]` (a widening on the targets Rust supports)."""
    span = primary_in(diagnostic, file_name)
    match = INDEXED_BY.search(diagnostic.message)
    if diagnostic.code != "E0277" or match is None or span is None or match["index"] == "usize":
        return
    index = data[span.byte_start:span.byte_end].decode("utf-8", "replace")
    operand = index if binds_tightly(index) else f"({index})"
    yield Suggestion("index with a `usize`", (TextEdit(span.byte_start, span.byte_end, f"{operand} as usize"),))


def convert_before_summing(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`counts.iter().sum::<u64>()` over `&u32`: `.map(|&n| u64::from(n)).sum()`."""
    span = primary_in(diagnostic, file_name)
    match = SUMMED.search(diagnostic.message)
    if diagnostic.code != "E0277" or match is None or span is None or data[span.byte_start - 1:span.byte_start] != b".":
        return
    total, item = match["total"], match["item"]
    if total == item:
        converted = ".copied()"
    elif total in WIDER.get(item, "").split():
        converted = f".map(|&n| {total}::from(n))"
    else:
        return
    at = span.byte_start - 1
    yield Suggestion(f"convert each `{item}` to `{total}` first", (TextEdit(at, at, converted),))


def order_floats_totally(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """`scores.sort()` on floats: `scores.sort_by(|a, b| a.total_cmp(b))`, and `max`/`min` likewise."""
    span = primary_in(diagnostic, file_name)
    if diagnostic.code != "E0277" or span is None or not FLOAT_ORD.search(diagnostic.message):
        return
    method = data[span.byte_start:span.byte_end].decode("utf-8", "replace")
    after = data[span.byte_end:span.byte_end + 2]
    if method not in BY_TOTAL_ORDER or after != b"()":
        return
    yield Suggestion(f"`{BY_TOTAL_ORDER[method]}` with `total_cmp`",
                     (TextEdit(span.byte_start, span.byte_end + 2, f"{BY_TOTAL_ORDER[method]}(|a, b| a.total_cmp(b))"),))


def list_elements(data: bytes, offset: int) -> list[tuple[int, int]]:
    """The byte ranges of the elements of the `vec![..]` or `[..]` literal directly around offset."""
    opening = _enclosing_opening(data, offset)
    if opening < 0 or data[opening:opening + 1] != b"[":
        return []
    closing = _matching(data, opening)
    return _parts(data, opening + 1, closing) if closing > 0 else []


def match_arm_values(data: bytes, offset: int) -> list[tuple[int, int]]:
    """The byte ranges of the arm values (after `=>`) of the match whose arm holds offset, for arms
    whose value is a single expression without braces."""
    opening = _enclosing_opening(data, offset)
    if opening < 0 or data[opening:opening + 1] != b"{":
        return []
    header = data[max(0, data.rfind(b"\n", 0, opening - 200)):opening]
    if not re.search(rb"\bmatch\b[^;{}]*$", header):
        return []
    closing = _matching(data, opening)
    values = []
    for start, end in _parts(data, opening + 1, closing) if closing > 0 else []:
        arrow = data.find(b"=>", start, end)
        if arrow > 0:
            values.append((arrow + 2 + len(data[arrow + 2:end]) - len(data[arrow + 2:end].lstrip()),
                           start + len(data[start:end].rstrip())))
    return values


def _enclosing_opening(data: bytes, offset: int) -> int:
    depth = 0
    for at in range(offset - 1, -1, -1):
        char = data[at:at + 1]
        if char in (b")", b"]", b"}"):
            depth += 1
        elif char in (b"(", b"[", b"{"):
            if depth == 0:
                return at
            depth -= 1
    return -1


def _matching(data: bytes, opening: int) -> int:
    depth = 0
    for at in range(opening, len(data)):
        char = data[at:at + 1]
        depth += 1 if char in (b"(", b"[", b"{") else -1 if char in (b")", b"]", b"}") else 0
        if depth == 0:
            return at
    return -1


def _parts(data: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated parts of data[start:end] at depth 0, as trimmed byte ranges."""
    parts, depth, begin, in_string = [], 0, start, False
    at = start
    while at < end:
        char = data[at:at + 1]
        if char == b'"' and data[at - 1:at] != b"\\":
            in_string = not in_string
        elif not in_string:
            depth += 1 if char in (b"(", b"[", b"{") else -1 if char in (b")", b"]", b"}") else 0
            if char == b"," and depth == 0:
                parts.append((begin, at))
                begin = at + 1
        at += 1
    parts.append((begin, end))
    trimmed = []
    for a, b in parts:
        text = data[a:b]
        if text.strip():
            trimmed.append((a + len(text) - len(text.lstrip()), a + len(text.rstrip())))
    return trimmed


RULES = (convert_to_expected, convert_every_sibling, convert_the_operand, message_for_string_error, index_as_usize,
         convert_before_summing, order_floats_totally)

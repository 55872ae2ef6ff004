"""Fixes for a value of the wrong type that rustc leaves unfixed or fixes lossily.

rustc offers `.into()` for many mismatches, but not in a compound assignment or for every
argument, and for an integer quotient its `.into()` compiles after the fraction is gone. The
rules here convert numbers losslessly (or round an `f64` explicitly), divide as floats, own or
`Result`-collect iterator items that cannot be collected as they are, and give an `if` whose
value is used an `else`. As everywhere, cargo decides whether an edit is kept.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit
from .rust_source import binds_tightly, line_indent, primary_in
from .rustc_suggestions import Rule, Suggestion, plain_value

FLOAT_FOR_INTEGER = re.compile(r"expected `(?P<float>f32|f64)`, found `[iu](?:8|16|32|64|128|size)`")
QUOTIENT = re.compile(r"(?P<a>[^/]+?)\s*/\s*(?P<b>[^/]+)", re.S)
INTEGER_CAST = re.compile(r"\s+as\s+[iu](?:8|16|32|64|128|size)$")
NUMBER_FOR_NUMBER = re.compile(r"^expected `(?P<want>[iuf]\w+)`, found `(?P<found>[iuf]\w+)`$")
MISSING_ELSE = re.compile(r"expected `(?P<type>[^`]+)`, found `\(\)`")
NOT_COLLECTABLE = re.compile(
    r"a value of type `[\w:]+<(?P<want>[^`<>]+)>` cannot be built from an iterator over elements of type `(?P<item>[^`]+)`")

INTEGER_TYPES = {f"{sign}{bits}" for sign in "iu" for bits in ("8", "16", "32", "64", "128", "size")}
# The lossless conversions `From` implements between number types: found type -> wider types.
WIDER = {
    "u8": "u16 u32 u64 u128 usize i16 i32 i64 i128 isize f32 f64", "u16": "u32 u64 u128 usize i32 i64 i128 f32 f64",
    "u32": "u64 u128 i64 i128 f64", "u64": "u128 i128", "i8": "i16 i32 i64 i128 isize f32 f64",
    "i16": "i32 i64 i128 isize f32 f64", "i32": "i64 i128 f64", "i64": "i128", "f32": "f64",
}


def divide_as_floats(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0308 "expected `f64`, found `u32`" on an integer quotient: divide as floats. rustc's own
    `(a / b).into()` compiles too, but converts after the division has dropped the fraction,
    so this one is preferred."""
    primary = primary_in(diagnostic, file_name)
    if primary is None:
        return
    wanted = FLOAT_FOR_INTEGER.search(primary.label or "")
    quotient = QUOTIENT.fullmatch(data[primary.byte_start:primary.byte_end].decode("utf-8", "replace"))
    if wanted and quotient:
        float_type = wanted["float"]
        divided = " / ".join(_as_float(quotient[side], float_type) for side in ("a", "b"))
        yield Suggestion(f"divide as `{float_type}`, keeping the fraction",
                         (TextEdit(primary.byte_start, primary.byte_end, divided),), preferred=True)


def widen_the_number(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0308 "expected `u64`, found `u32`" where rustc offers no conversion (a compound
    assignment, an argument): `u64::from(x)` when it is lossless, `x as f32` for an f64, and an
    `as` cast to a narrower integer, where rustc's own `.try_into().unwrap()` would panic."""
    primary = primary_in(diagnostic, file_name)
    match = NUMBER_FOR_NUMBER.match(primary.label or "") if primary else None
    if not match:
        return
    want, found = match["want"], match["found"]
    expression = data[primary.byte_start:primary.byte_end].decode("utf-8", "replace")
    if want in WIDER.get(found, "").split() and not QUOTIENT.fullmatch(expression):  # see divide_as_floats
        yield Suggestion(f"convert the `{found}` to `{want}` losslessly",
                         (TextEdit(primary.byte_start, primary.byte_end, f"{want}::from({expression})"),))
    elif (found, want) == ("f64", "f32"):
        operand = expression if binds_tightly(expression) else f"({expression})"
        yield Suggestion("round the `f64` to `f32`", (TextEdit(primary.byte_start, primary.byte_end, f"{operand} as f32"),))
    elif want in INTEGER_TYPES and found in INTEGER_TYPES:
        # Narrower (or of another sign): rustc offers `.try_into().unwrap()`, which panics; code that knows its
        # value fits writes a cast, which keeps the low bits. The risk check has no quarrel with it, the
        # project's tests (where they exist) judge whether the bits kept are the right ones.
        operand = expression if binds_tightly(expression) else f"({expression})"
        yield Suggestion(f"cast to `{want}` with `as`", (TextEdit(primary.byte_start, primary.byte_end,
                                                                   f"{operand} as {want}"),))


def widen_before_the_operation(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0308 "expected `u64`, found `u32`" on `width * height` (or `+`, `-`, `<<`): widen each
    operand first, `u64::from(width) * u64::from(height)`. Converting the result instead
    (rustc's `.into()`) compiles but keeps the overflow of the narrower type, so this is preferred."""
    primary = primary_in(diagnostic, file_name)
    match = NUMBER_FOR_NUMBER.match(primary.label or "") if primary else None
    if not match or match["want"] not in WIDER.get(match["found"], "").split():
        return
    expression = data[primary.byte_start:primary.byte_end].decode("utf-8", "replace")
    split = top_level_operation(expression)
    if split is None:
        return
    widened = widen_operands(expression, f"{match['want']}::from")
    yield Suggestion(f"widen to `{match['want']}` before `{split[1]}`, so it cannot overflow in `{match['found']}`",
                     (TextEdit(primary.byte_start, primary.byte_end, widened),), preferred=True)


def widen_operands(expression: str, widen: str) -> str:
    """Every operand of an arithmetic expression converted with `widen` (`u64::from`), inside brackets
    too; literals are left to type inference and a shift's amount keeps its type."""
    expression = expression.strip()
    split = top_level_operation(expression)
    if split is not None:
        left, operator, right = split
        return f"{widen_operands(left, widen)} {operator} {right if operator == '<<' else widen_operands(right, widen)}"
    if _one_group(expression):
        inner = expression[1:-1]
        return f"({widen_operands(inner, widen)})" if top_level_operation(inner) else f"{widen}({inner})"
    return expression if re.fullmatch(r"\d[\d_]*", expression) else f"{widen}({expression})"


def _one_group(expression: str) -> bool:
    """Whether the expression is one bracketed group, `(a & b)` (not `(a) + (b)`)."""
    if not (expression.startswith("(") and expression.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(expression) - 1:
            return False
    return True


def top_level_operation(expression: str) -> tuple[str, str, str] | None:
    """`a * b` -> ("a", "*", "b"): the last arithmetic operator outside brackets (so `a * b * c` splits
    after `a * b`, where it is applied last), or None when there is none or it is a unary minus."""
    depth, found = 0, None
    for index, char in enumerate(expression):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and char in "*+-" and expression[index - 1:index + 1] != "->":
            found = (index, char)
        elif depth == 0 and expression[index:index + 2] == "<<":
            found = (index, "<<")
    if found is None:
        return None
    index, operator = found
    left, right = expression[:index].strip(), expression[index + len(operator):].strip()
    if operator == "<<" and left.endswith("<"):  # the second `<` of a `<<` already seen
        return None
    return (left, operator, right) if left and right else None


def collect_owned(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0277 "a value of type `Vec<String>` cannot be built from an iterator over elements of
    type `&str`": own each item before collecting (`.map(|s| s.to_string())`, or `.cloned()`);
    for items of `Result<f64, E>`, collect into a `Result` and `?` it."""
    match = NOT_COLLECTABLE.search(diagnostic.message)
    use = primary_in(diagnostic, file_name)
    if not match or use is None:
        return
    dot = data.rfind(b".", 0, use.byte_start)
    if dot < 0 or data[dot + 1:use.byte_start].strip():
        return
    want, item = match["want"], match["item"]
    wrapper = re.fullmatch(rf"(?P<kind>Result|Option)<{re.escape(want)}\b.*>", item)
    if wrapper and data[use.byte_end:use.byte_end + 2] == b"()":
        kind = wrapper["kind"]
        yield Suggestion(f"collect into a `{kind}` and return early on the first failure",
                         (TextEdit(use.byte_end, use.byte_end, f"::<{kind}<_{', _' if kind == 'Result' else ''}>>"),
                          TextEdit(use.byte_end + 2, use.byte_end + 2, "?")))
    elif want == "String" and item.lstrip("&") in ("str", "String"):
        yield Suggestion("turn each item into a `String` before collecting",
                         (TextEdit(dot, dot, ".map(|s| s.to_string())"),))
    elif item == f"&{want}":
        yield Suggestion(f"clone each `{want}` before collecting", (TextEdit(dot, dot, ".cloned()"),))


def else_with_default(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0317 "`if` may be missing an `else` clause" whose value must be a `u32`: an `else`
    giving the type's plain value (`0`, `false`, `None`, `String::new()`)."""
    primary = primary_in(diagnostic, file_name)
    match = MISSING_ELSE.search(primary.label or "") if primary and diagnostic.code == "E0317" else None
    value = plain_value(match["type"]) if match else None
    if value is None:
        return
    indent = line_indent(data, primary.byte_start)
    yield Suggestion(f"add an `else` giving `{value}`",
                     (TextEdit(primary.byte_end, primary.byte_end, f" else {{\n{indent}    {value}\n{indent}}}"),))


def _as_float(operand: str, float_type: str) -> str:
    operand = INTEGER_CAST.sub("", operand.strip())  # `len() as u32` becomes `len() as f64`
    return f"{operand} as {float_type}" if binds_tightly(operand) else f"({operand}) as {float_type}"


RULES: tuple[Rule, ...] = (divide_as_floats, widen_before_the_operation, widen_the_number, collect_owned,
                          else_with_default)

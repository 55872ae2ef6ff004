"""Fixes that handle a missing value or a foreign error where rustc's advice would panic.

For an `Option` used as its value, rustc suggests `.unwrap()` or `.expect("REASON")`, and for
an error `?` cannot convert it suggests implementing `From`. Both compile, but the first
panics where the program meant to handle the case, and the second cannot know which variant
the error belongs in. The rules here build what a Rust developer writes instead: the error
wrapped in a variant of the function's own error enum, or the value bound with `let ... else`
and an early exit. Variants that nothing constructs yet come first: an error path the program
has not written is the likeliest home for them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit
from .rust_source import (
    call_on,
    enclosing_function,
    enum_variants,
    expression_before,
    in_loop,
    is_constructed,
    labelled,
    last_let,
    primary_in,
    variant_holding,
)
from .rustc_suggestions import Rule, Suggestion, plain_value

NEEDS_FROM = re.compile(r"`(?P<target>\w+)` needs to implement `From<(?P<source>[\w:]+)>`")
OPTION_FOR_RESULT = re.compile(r"expected `Result<(?P<value>.+), (?P<error>\w+)>`, found `Option<(?P=value)>`")
TRY_ON_OPTION = re.compile(r"use `\.ok_or\(\.\.\.\)\?` to provide an error compatible with `Result<.+, (?P<error>\w+)>`")
RESULT_FOR_OPTION = re.compile(r"expected `Option<[^`]*>`, found `Result<[^`]*>`")
WRAPPED_RECEIVER = re.compile(r"no (?:field `\w+` on type|method named `\w+` found for enum) `(?P<kind>Option|Result)\b")
CALL_ARGUMENT = re.compile(r"[(,]\s*&?(?:mut\s+)?(?P<name>[a-z_]\w*)\s*(?=[),])")
STRING_TYPES = {"&str", "String", "&String", "&'static str"}  # parameters whose `.to_string()` fills a String field
MAX_VARIANT_FIXES = 4


def wrap_the_error(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """An `Option` returned as, or `?`-ed in a function returning, `Result<T, E>` gets
    `.ok_or(E::Variant)` or `.ok_or_else(|| E::Variant(..))`; an error `?` cannot convert into
    `E` gets `.map_err(|err| E::Variant(..))`; for the unit and one-string variants of `E`."""
    found = _fallible_expression(diagnostic, file_name, data)
    if found is None:
        return
    expression, error, is_option, source = found
    holder = variant_holding(data, error, source) if source else None
    if holder:  # the enum has a variant for exactly this error
        yield Suggestion(f"return the error as `{error}::{holder[0]}`",
                         tuple(call_on(data, expression, f".map_err({error}::{holder[0]})")))
        return
    text = data[expression.byte_start:expression.byte_end].decode("utf-8", "replace")
    if error == "String" and is_option:  # a message the user will want to reword, but it compiles and says what failed
        message = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
        built = f'"no value from `{message}`".to_string()'
        yield Suggestion("return an error message", tuple(call_on(data, expression, f".ok_or_else(|| {built})")))
    for variant, value in _variant_values(data, error, text, expression.byte_start, with_err=not is_option):
        built = f"{error}::{variant}" + (f"({value})" if value else "")
        yield Suggestion(f"return the error as `{built}`",
                         tuple(call_on(data, expression, _conversion(built, value, is_option))))


def discard_as_none(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0308 "expected `Option<_>`, found `Result<u32, ParseIntError>`" (a `filter_map` closure,
    an Option-returning function): `.ok()`, dropping the error."""
    primary = primary_in(diagnostic, file_name)
    if primary and RESULT_FOR_OPTION.search(primary.label or ""):
        yield Suggestion("turn the `Result` into an `Option` with `.ok()`", tuple(call_on(data, primary, ".ok()")))


def _fallible_expression(diagnostic: Diagnostic, file_name: str,
                         data: bytes) -> tuple[Span, str, bool, str | None] | None:
    """The span of the Option or foreign Result, the error type it must become, whether it
    is an Option, and the foreign error's type."""
    primary = primary_in(diagnostic, file_name)
    if primary is None:
        return None
    if returned := OPTION_FOR_RESULT.search(primary.label or ""):
        return primary, returned["error"], True, None
    if tried := TRY_ON_OPTION.search(primary.label or ""):  # the span is the `?`; the Option is the chain before it
        chain = replace(primary, byte_start=expression_before(data, primary.byte_start), byte_end=primary.byte_start)
        return chain, tried["error"], True, None
    needs = next((m for c in diagnostic.children if (m := NEEDS_FROM.search(c.message))), None)
    expression = labelled(diagnostic.spans, "this can't be annotated with `?`", file_name)
    return (expression, needs["target"], False, needs["source"]) if needs and expression else None


def _conversion(built: str, value: str, is_option: bool) -> str:
    """The call that turns the Option or the foreign error into `built`."""
    if not is_option:
        return f".map_err(|{'err' if value.startswith('err.') else '_'}| {built})"
    return f".ok_or_else(|| {built})" if value else f".ok_or({built})"


def _variant_values(data: bytes, error: str, expression: str, offset: int, with_err: bool) -> list[tuple[str, str]]:
    """(variant, value to build it from) pairs for the enum `error`: the unconstructed variants
    first, each with the string values in reach (the expression's arguments, the function's
    string parameters it mentions, and the error's message)."""
    function = enclosing_function(data, offset)
    parameters = function.parameters if function else {}
    names = [m["name"] for m in CALL_ARGUMENT.finditer(expression)]
    names += [n for n, t in parameters.items() if t in STRING_TYPES and re.search(rf"\b{n}\b", expression)]
    values = [f"{n}.to_string()" for n in dict.fromkeys(names)] + (["err.to_string()"] if with_err else [])
    variants = sorted(enum_variants(data, error), key=lambda v: is_constructed(data, error, v[0]))
    pairs = []
    for variant, field in variants:
        if field is None:
            pairs.append((variant, ""))
        elif field == "String":
            pairs += [(variant, value) for value in values]
    return pairs[:MAX_VARIANT_FIXES]


def bind_or_leave(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0609/E0599 on `promo.field` where `promo` is an `Option` (or `Result`) bound by `let`:
    bind its value with `let Some(promo) = .. else { .. };`, leaving the loop iteration or the
    function when there is none. Preferred to rustc's `.unwrap()`, which would panic there."""
    match = WRAPPED_RECEIVER.search(diagnostic.message)
    use = primary_in(diagnostic, file_name)
    if not match or use is None:
        return
    receiver = re.search(rb"(\w+)\s*\.\s*$", data[:use.byte_start])
    function = enclosing_function(data, use.byte_start)
    if receiver is None or function is None:
        return
    binding = last_let(data, receiver[1].decode(), function.body_start, receiver.start())
    if binding is None:
        return
    for title, value in _propagations(data, match["kind"], binding.value, function.returns, binding.start):
        yield Suggestion(title, (TextEdit(binding.start, binding.end,
                                          f"let {binding.mut}{binding.name} = {value}"),), preferred=True)
    pattern = ("Some" if match["kind"] == "Option" else "Ok") + f"({binding.mut}{binding.name})"
    exits = (["continue"] if in_loop(data, binding.start) else []) + [_early_return(function.returns)]
    for leave in filter(None, exits):
        replacement = f"let {pattern} = {binding.value} else {{ {leave}; }}"
        yield Suggestion(f"bind `{pattern}` and {leave.split()[0]} when there is none",
                         (TextEdit(binding.start, binding.end, replacement),), preferred=True)


def _propagations(data: bytes, kind: str, value: str, returns: str, offset: int) -> Iterator[tuple[str, str]]:
    """(title, value with `?`) for a function that returns an Option or a Result: the missing value or
    the error passed to the caller, which is what such a function is for, before any early exit."""
    if returns.startswith("Option<") and kind == "Option" or returns.startswith("Result<") and kind == "Result":
        yield "pass it on with `?`", f"{value}?"
        return
    error = re.fullmatch(r"Result<.+,\s*(?P<error>\w+)>", returns)
    if kind == "Option" and error:
        for variant, field in _variant_values(data, error["error"], value, offset, with_err=False):
            built = f"{error['error']}::{variant}" + (f"({field})" if field else "")
            yield f"return `{built}` when there is none", f"{value}{_conversion(built, field, True)}?"


def _early_return(returns: str) -> str | None:
    """The `return` that gives up on a function returning that type, or None where that needs
    a value only the user can choose (an error, a reference)."""
    value = plain_value(returns)
    return "return" if returns == "()" else f"return {value}" if value else None


RULES: tuple[Rule, ...] = (wrap_the_error, discard_as_none, bind_or_leave)

"""Fixes rustc states in words but does not attach as suggestions.

Some of rustc's most useful advice is a note or a label with no replacement
text: "if `Order` implemented `Clone`, you could clone the value", "the
following trait defines an item `clone`, perhaps you need to implement it",
"variant `Paused` not found for this enum". Each rule below turns one such
sentence, with the spans rustc points at, into edits of the same file, much as
rust-analyzer's assists do. The rules guess no more than rustc said; the shadow
crate's `cargo check` decides whether an edit is kept.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterator

from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit
from . import borrow_repairs, item_repairs, parse_repairs, rustc_conversions, rustc_fallbacks, type_conversions
from .rust_source import call_on, derive, enum_body, indent_of_next_line, labelled, primary_in, variant_holding
from .rustc_fallbacks import NEEDS_FROM
from .rustc_suggestions import Rule, Suggestion

CLONE_NOTE = re.compile(r"if `(?P<type>[^`]+)` implemented `Clone`, you could clone the value")
MISSING_METHOD = re.compile(
    r"no (?:method|function or associated item) named `\w+` found for (?:struct|enum) `(?P<type>[^`]+)`")
TRAIT_CANDIDATE = re.compile(r"candidate #\d+: `(?:[\w:]+::)?(\w+)`")
MISSING_VARIANT = re.compile(r"no variant or associated item named `(?P<name>\w+)` found for enum")
NOT_SEND = re.compile(r"`Rc<.*>` cannot be sent between threads safely")
FOUND_WRAPPED = re.compile(
    r"expected `(?P<want>[^`]+)`, found `(?P<kind>Result|Option)<(?P<value>[^,`]+)(?:, (?P<err>[^`]+))?>`")
LOCAL_REFERENCE = re.compile(r"cannot return (?:value referencing|reference to) local variable `(?P<name>\w+)`")
# `&name`, `&name[..]`, `name.as_str()` and the like: the borrow that an owned return drops.
BORROW_OF = re.compile(r"&(?P<a>\w+)(?:\[\.\.\])?|(?P<b>\w+)\.(?:as_str|as_slice|as_ref)\(\)")
RETURNED_REFERENCE = re.compile(rb"->\s*&(?:'\w+\s+)?(?P<type>str|\[[^\]{]+\]|[\w:<>]+)\s*(?:where\b[^{]*)?\{")
DISCARD_THE_ERROR = re.compile(r"use `\.ok\(\)\?` if you want to discard")
NOT_IN_STD = re.compile(r"could not find `(?P<name>\w+)` in `(?:std|core)`")
STD_MODULES = (
    "alloc any array ascii borrow boxed cell char clone cmp collections convert default env error f32 f64 ffi fmt fs "
    "future hash hint io iter marker mem net num ops option os panic path pin prelude primitive process ptr rc result "
    "slice str string sync task thread time vec").split()
DERIVE_HELP = re.compile(r"consider annotating `(?P<type>[^`]+)` with `#\[derive\((?P<traits>[^)]*)\)\]`")

# A trait `#[derive]` can implement, with the supertraits its derive needs.
DERIVABLE = {
    "Clone": ("Clone",), "Debug": ("Debug",), "Default": ("Default",), "Hash": ("Hash",),
    "PartialEq": ("PartialEq",), "Eq": ("PartialEq", "Eq"), "PartialOrd": ("PartialEq", "PartialOrd"),
    "Ord": ("PartialEq", "Eq", "PartialOrd", "Ord"),
}


def note_candidates(diagnostic: Diagnostic, file_name: str, data: bytes) -> list[Suggestion]:
    """Every rule's edits for the diagnostic: this module's, the conversions' (by number and by type),
    the fallbacks', the borrow, item and parse repairs'.

    Args:
        diagnostic: one rustc error with its children.
        file_name: the crate-relative path of the file being fixed; spans elsewhere are not edited.
        data: that file's text as UTF-8 (rustc's spans count bytes).
    """
    rules = (RULES + rustc_conversions.RULES + type_conversions.RULES + rustc_fallbacks.RULES + borrow_repairs.RULES
             + item_repairs.RULES + parse_repairs.RULES)
    return [suggestion for rule in rules for suggestion in rule(diagnostic, file_name, data)]


def clone_the_value(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0382/E0505/E0507 "if `T` implemented `Clone`, you could clone the value": derive it and
    clone there; and, since the value was moved only because `T` is not `Copy`, derive both."""
    for child in diagnostic.children:
        match = CLONE_NOTE.search(child.message)
        definition = labelled(child.spans, "consider implementing `Clone`", file_name)
        values = [s for s in child.spans if s.label == "you could clone this value"]
        if not match or definition is None or not values or any(s.file_name != file_name for s in values):
            continue
        type_name = match["type"]
        clones = [edit for value in values for edit in call_on(data, value, ".clone()")]
        yield Suggestion(f"derive `Clone` for `{type_name}` and clone the value",
                         (derive(data, definition.byte_start, ("Clone",)), *clones))
        if any("does not implement the `Copy` trait" in (s.label or "") for s in diagnostic.spans):
            yield Suggestion(f"derive `Clone` and `Copy` for `{type_name}`",
                             (derive(data, definition.byte_start, ("Clone", "Copy")),))


def derive_missing_trait(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0599 "no method named `clone` found for struct `T`" whose note names a derivable trait."""
    match = MISSING_METHOD.search(diagnostic.message)
    definition = labelled(diagnostic.spans, "not found for this", file_name)
    if not match or definition is None:
        return
    for child in diagnostic.children:
        for trait in TRAIT_CANDIDATE.findall(child.message):
            if trait in DERIVABLE:
                yield Suggestion(f"derive `{trait}` for `{match['type']}`",
                                 (derive(data, definition.byte_start, DERIVABLE[trait]),))


def add_enum_variant(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0599 "no variant named `Paused` found for enum": declare it, when it is used as a unit variant."""
    match = MISSING_VARIANT.search(diagnostic.message)
    definition = labelled(diagnostic.spans, "not found for this enum", file_name)
    use = primary_in(diagnostic, file_name)
    if not match or definition is None or use is None:
        return
    if data[use.byte_end:].lstrip()[:1] in (b"(", b"{"):
        return  # a tuple or struct variant: only the user knows its fields
    brace = data.find(b"{", definition.byte_start)
    if brace < 0:
        return
    indent = indent_of_next_line(data, brace) or b"    "
    insertion = b"\n" + indent + match["name"].encode() + b","
    yield Suggestion(f"add the variant `{match['name']}`", (TextEdit(brace + 1, brace + 1, insertion.decode()),))


def default_the_option(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0369 "cannot add `{integer}` to `Option<usize>`": use the value, or its default when absent."""
    if diagnostic.code != "E0369":
        return
    for span in diagnostic.spans:
        if span.file_name == file_name and (span.label or "").startswith("Option<"):
            yield Suggestion("use the value, or its default when there is none",
                             tuple(call_on(data, span, ".unwrap_or_default()")))


def rc_to_arc(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0277 "`Rc<T>` cannot be sent between threads safely": share it with `Arc` instead."""
    if not NOT_SEND.search(diagnostic.message) or primary_in(diagnostic, file_name) is None:
        return
    edits = [TextEdit(m.start(), m.end(), "std::sync::Arc" if m[1] else "Arc")
             for m in re.finditer(rb"\b(std::rc::)?Rc\b", data)]
    if edits:
        yield Suggestion("use `Arc`, which can be shared between threads, instead of `Rc`", tuple(edits))


def return_what_the_body_returns(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0308 "expected `Reading`, found `Result<_, String>`" against the return type: the body
    already returns a Result (or Option), so the signature should say so."""
    primary = diagnostic.primary_span
    match = FOUND_WRAPPED.search(primary.label or "") if primary else None
    declared = labelled(diagnostic.spans, "because of return type", file_name)
    if not match or declared is None or data[declared.byte_start:declared.byte_end].decode() != match["want"]:
        return
    if match["value"] not in ("_", match["want"]) or match["err"] == "_":
        return  # the body's value or error type is not known yet
    wrapped = f"Result<{match['want']}, {match['err']}>" if match["kind"] == "Result" else f"Option<{match['want']}>"
    yield Suggestion(f"return `{wrapped}`", (TextEdit(declared.byte_start, declared.byte_end, wrapped),))


def return_an_owned_value(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0515 "cannot return value referencing local variable `s`": return `s` itself, and
    say so in the signature (`&str` becomes `String`, `&[T]` becomes `Vec<T>`)."""
    match = LOCAL_REFERENCE.search(diagnostic.message)
    use = primary_in(diagnostic, file_name)
    if not match or use is None:
        return
    borrow = BORROW_OF.fullmatch(data[use.byte_start:use.byte_end].decode("utf-8", "replace"))
    if not borrow or (borrow["a"] or borrow["b"]) != match["name"]:
        return
    signature = RETURNED_REFERENCE.search(data, data.rfind(b"fn ", 0, use.byte_start) + 1, use.byte_start)
    if signature is None:
        return
    borrowed = signature["type"].decode()
    owned = "String" if borrowed == "str" else f"Vec<{borrowed[1:-1]}>" if borrowed.startswith("[") else borrowed
    yield Suggestion(f"return an owned `{owned}`", (TextEdit(signature.start(), signature.end("type"), f"-> {owned}"),
                                                    TextEdit(use.byte_start, use.byte_end, match["name"])))


def return_a_result_for_try(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0277 "the `?` operator can only be used in a function that returns `Result`", in a
    function that returns a value: return `std::io::Result<T>`, the narrowest type, which compiles
    when every `?` there propagates an I/O error, else `Result<T, Box<dyn Error>>`. The next round
    wraps the value in `Ok` with rustc's own suggestion; a `()` function gets rustc's suggestion."""
    signature = labelled(diagnostic.spans, "should return `Result` or `Option` to accept `?`", file_name)
    if signature is None:
        return
    text = data[signature.byte_start:signature.byte_end]
    arrow = text.rfind(b"->")
    if arrow < 0:
        return
    returned = text[arrow + 2:].strip().decode()
    start = signature.byte_start + arrow
    yield Suggestion(f"return `std::io::Result<{returned}>`",
                     (TextEdit(start, signature.byte_end, f"-> std::io::Result<{returned}>"),))
    yield Suggestion(f"return `Result<{returned}, Box<dyn Error>>`",
                     (TextEdit(start, signature.byte_end, f"-> Result<{returned}, Box<dyn std::error::Error>>"),))


def derive_with_supertraits(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """rustc's own "consider annotating `Date` with `#[derive(Ord)]`", completed: `Ord` needs
    `PartialOrd`, `Eq` and `PartialEq` as well, and joins the item's existing derive list."""
    for child in diagnostic.children:
        match = DERIVE_HELP.search(child.message)
        at = next((s for s in child.spans if (s.suggested_replacement or "").startswith("#[derive(")), None)
        if not match or at is None or at.file_name != file_name:
            continue
        wanted = [t.strip() for t in match["traits"].split(",")]
        traits = tuple(dict.fromkeys(t for name in wanted for t in DERIVABLE.get(name, (name,))))
        yield Suggestion(f"derive `{match['traits']}` for `{match['type']}`, with the traits it needs",
                         (derive(data, at.byte_start, traits),))


def convert_the_error(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0277 "`SensorError` needs to implement `From<ParseFloatError>`" where exactly one variant
    of that enum holds a ParseFloatError: implement `From` with that variant, as `#[from]` would."""
    for child in diagnostic.children:
        match = NEEDS_FROM.search(child.message)
        if not match or not any(s.file_name == file_name for s in child.spans):
            continue
        target, source = match["target"], match["source"].split("::")[-1]
        holder, body = variant_holding(data, target, source), enum_body(data, target)
        if holder is None or body is None:
            continue
        variant, spelled = holder
        impl = (f"\n\nimpl From<{spelled}> for {target} {{\n    fn from(err: {spelled}) -> Self {{\n"
                f"        {target}::{variant}(err)\n    }}\n}}")
        yield Suggestion(f"convert `{source}` into `{target}::{variant}` with `From`",
                         (TextEdit(body[1] + 1, body[1] + 1, impl),))


def discard_the_error(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0277 "use `.ok()?` if you want to discard the error information", said with no edit."""
    primary = primary_in(diagnostic, file_name)
    if primary and DISCARD_THE_ERROR.search(primary.label or ""):
        yield Suggestion("discard the error with `.ok()?`", (TextEdit(primary.byte_start, primary.byte_start, ".ok()"),))


def std_module_typo(diagnostic: Diagnostic, file_name: str, data: bytes) -> Iterator[Suggestion]:
    """E0432/E0433 "could not find `collection` in `std`": the standard module of the closest name."""
    primary = primary_in(diagnostic, file_name)
    match = NOT_IN_STD.search(primary.label or "") if primary else None
    for name in difflib.get_close_matches(match["name"], STD_MODULES, n=1, cutoff=0.75) if match else ():
        yield Suggestion(f"use `std::{name}`", (TextEdit(primary.byte_start, primary.byte_end, name),))


RULES: tuple[Rule, ...] = (
    clone_the_value, derive_missing_trait, derive_with_supertraits, add_enum_variant, default_the_option,
    rc_to_arc, return_what_the_body_returns, return_an_owned_value, return_a_result_for_try, convert_the_error,
    discard_the_error, std_module_typo,
)

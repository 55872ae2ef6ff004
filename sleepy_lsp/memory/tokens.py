"""Rust source as the tokens fix patterns are made of, and the operands a pattern's holes may bind.

Literals stay whole (a string with a `;` inside is one token), comments are
skipped, and a path like `std::fs::read_to_string` or `ConfigError::Io` is one
atom: the unit a hole abstracts, and the unit a project's own name is kept as.

`operand_runs` says which token runs starting at a position form one operand,
and how loosely bound each is ("name" < "tight" < "unary" < "wide"), so a hole
never binds half an expression and a binding is only moved where Rust's
precedence reads it the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod "
    "move mut pub ref return self Self static struct super trait true type union unsafe use where while".split())
# Keywords that stand for a value or begin a path: part of an operand, never abstracted into a hole.
VALUE_KEYWORDS = frozenset("self Self crate super true false".split())
PATH_HEADS = frozenset("self Self crate super".split())

_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<literal>b?r(?P<hashes>\#*)".*?"(?P=hashes)|b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])'
               |0[xob][0-9a-fA-F_]+\w*|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?[A-Za-z]\w*|\d[\d_]*(?:\.\d[\d_]*)?)
  | (?P<lifetime>'[A-Za-z_]\w*)
  | (?P<ident>[^\W\d]\w*)
  | (?P<punct>\.\.=|\.\.\.|::|->|=>|==|!=|<=|>=|&&|\|\||\.\.|[-+*/%^&|]=|[^\s\w])
""", re.VERBOSE | re.DOTALL)

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}
PREFIX_OPERATORS = frozenset(("&", "&&", "*", "-", "!"))
BINARY_OPERATORS = frozenset(
    "+ - * / % ^ & | && || == != < > <= >= .. ..= as".split())
# Tokens after which an expression starts (a binding there may be any expression).
OPEN = frozenset("( [ { , ; = => -> : return break in if match while else += -= *= /= %= ^= &= |=".split())
# Tokens before which an expression ends.
CLOSE = frozenset(") ] } , ; => { = :".split())
# Tokens that continue the operand before them: a binding followed by one must be a postfix chain.
POSTFIX = frozenset(". ? ( [".split())
KINDS = ("name", "tight", "unary", "wide")


@dataclass(frozen=True)
class Token:
    """One token (or one path atom) of a text: its text and character offsets, and its line (1-based)."""

    text: str
    start: int
    end: int
    line: int


def is_atom(text: str) -> bool:
    """An identifier, a path, a literal or a lifetime: what a pattern abstracts into a hole."""
    if text in KEYWORDS:
        return False
    head = text[0]
    return head.isalnum() or head in "_\"'" or (head in "br" and len(text) > 1 and text[1] in "\"'#r")


def ends_operand(text: str) -> bool:
    return is_atom(text) or text in VALUE_KEYWORDS or text in (")", "]", "?")


def tokenize(text: str) -> list[Token]:
    """The tokens of a Rust text, comments skipped, each path (`a::b::C`) joined into one atom."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        word, start, end = raw[i]
        j = i
        if _path_part(word, first=True):
            while j + 2 < len(raw) and raw[j + 1][0] == "::" and _path_part(raw[j + 2][0], first=False):
                j += 2
        if j > i:
            word = "".join(w for w, _, _ in raw[i:j + 1])
            end = raw[j][2]
        out.append(Token(word, start, end, bisect.bisect_left(newlines, start) + 1))
        i = j + 1
    return out


def _path_part(word: str, first: bool) -> bool:
    if not (word[0].isalpha() or word[0] == "_"):
        return False
    return word not in KEYWORDS or (word in PATH_HEADS and (first or word == "super"))


def kind_fits(kind: str, allowed: str) -> bool:
    return KINDS.index(kind) <= KINDS.index(allowed)


def occurrence_kind(before: str | int | None, after: str | int | None) -> str:
    """The loosest operand a hole may bind between these neighbours (None: not known here)."""
    if before in (".", "::") or after in ("::", "!") or isinstance(before, int) or isinstance(after, int):
        return "name"
    if after in POSTFIX:
        return "tight"
    if (before is None or before in OPEN) and (after is None or after in CLOSE):
        return "wide"
    return "unary"


def operand_runs(texts: Sequence[str], start: int, limit: int = 40) -> Iterator[tuple[int, str]]:
    """Each end such that texts[start:end] is one operand, shortest first, with its kind.

    An operand is a path, literal or parenthesised group followed by postfix parts
    (`.field`, `.method(..)`, `(..)`, `[..]`, `?`, generic arguments, a macro's `!(..)`),
    optionally after prefix operators (`&`, `&mut`, `*`, `-`, `!`), or several of those
    joined by binary operators and casts. Blocks, closures, assignments, `,` and `;`
    end it.
    """
    stop = min(len(texts), start + limit)
    i = start
    prefix = binary = False
    first = True
    while i < stop:
        # an operand is expected
        text = texts[i]
        if text in PREFIX_OPERATORS:
            prefix = prefix or first
            i += 1
            if i < stop and texts[i] == "mut" and text in ("&", "&&"):
                i += 1
            continue
        if is_atom(text) or text in VALUE_KEYWORDS:
            i += 1
        elif text in ("(", "["):
            i = _group_end(texts, i, stop)
            if i < 0:
                return
        else:
            return
        single = i == start + 1 and is_atom(text)
        first = False
        # postfix parts; the run may end after each of them
        while True:
            kind = "wide" if binary else "unary" if prefix else "name" if single else "tight"
            yield i, kind
            if i >= stop:
                return
            text = texts[i]
            if text == "." and i + 1 < stop and (is_atom(texts[i + 1]) or texts[i + 1] == "await"):
                i += 2
            elif text == "?":
                i += 1
            elif text in ("(", "["):
                i = _group_end(texts, i, stop)
                if i < 0:
                    return
            elif text == "!" and i + 1 < stop and texts[i + 1] in OPENERS and is_atom(texts[i - 1]):
                i = _group_end(texts, i + 1, stop)
                if i < 0:
                    return
            elif text == "::" and i + 1 < stop and texts[i + 1] == "<" or text == "<" and is_atom(texts[i - 1]):
                angle = _angle_end(texts, i + 1 if text == "::" else i, stop)
                if angle < 0:
                    if text == "::":
                        return
                    break  # a comparison
                i = angle
            elif text == "::" and i + 1 < stop and is_atom(texts[i + 1]):
                i += 2
            else:
                break
            single = False
        if texts[i] not in BINARY_OPERATORS:
            return
        binary = True
        i += 1


def _group_end(texts: Sequence[str], i: int, stop: int) -> int:
    """The index after the bracket group opening at i; -1 when it does not close before stop."""
    depth = []
    for j in range(i, stop):
        text = texts[j]
        if text in OPENERS:
            depth.append(OPENERS[text])
        elif text in CLOSERS:
            if not depth or depth.pop() != text:
                return -1
            if not depth:
                return j + 1
    return -1


def _angle_end(texts: Sequence[str], i: int, stop: int) -> int:
    """The index after generic arguments `<..>` opening at i; -1 when they are not generic arguments."""
    depth = 0
    j = i
    while j < stop:
        text = texts[j]
        if text == "<":
            depth += 1
        elif text == ">":
            depth -= 1
            if depth == 0:
                return j + 1
        elif text in ("(", "["):
            j = _group_end(texts, j, stop)
            if j < 0:
                return -1
            continue
        elif text in (";", "{", "}", ")", "]", "=", "&&", "||", "==", "!=", "<=", ">=") or text in KEYWORDS - {
                "dyn", "impl", "mut", "Self", "self", "crate", "super", "as", "for"}:
            return -1
        j += 1
    return -1

"""Fix patterns learned from the user's own fixes, at token level, in the spirit of Facebook's Getafix.

A fix (a FixRecord's before and after hunks) is reduced to the token run it
changed and the tokens around it: the operand the change attaches to on the
left (`std::fs::read_to_string(path)` before an inserted `.map_err(..)`), or
else one anchor token, and one anchor token on the right. Identifiers, paths,
literals and types found there become holes (the same text twice, the same
hole); what the fix wrote that was not there before stays concrete, because the
project's own names (`ConfigError::Io`, `Meters::new`, `as u32`) are what make
the fix the user's idiom:

    std::fs::read_to_string(path)?;  ->  std::fs::read_to_string(path).map_err(ConfigError::Io)?;
    pattern:  $0($1)?  =>  $0($1).map_err(ConfigError::Io)?

Two patterns of one error code are merged by anti-unification, the most specific
generalisation of both: where they agree a token stays, where they differ it
becomes a hole, and two operand contexts of different shapes become one hole
(`$0($1)?` and `$0(&self.$1)?` give `$0?`). Holes bind whole operands when a
pattern is applied, so `$1` binds `&mut line` as well as `path`, and a binding
is only moved where Rust's precedence reads it the same way (tokens.py).

Where no pattern matches as learned, its relaxed forms are tried: a replacement without its right anchor
and without a one-token left anchor (the tokens that stood around the change the first time, not the
change).  A pattern that wraps one whole operand (`Meters::new($0)`, `$0 as u32`) also applies in its bare
form where the operand is exactly the error's primary span, the expression rustc says has the wrong type.

A pattern counts the fixes the user took (1 each) and wrote (MANUAL_WEIGHT each)
that it reproduces, and the rejected fixes it reproduces lower its score; one
rejected at least twice and more often than it was used is no longer applied.
Patterns are keyed by error code and only ever applied to errors of their code.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from ..model.records import FixRecord
from ..rust.edits import TextEdit
from .tokens import (
    CLOSE,
    CLOSERS,
    KINDS,
    OPEN,
    OPENERS,
    POSTFIX,
    Token,
    ends_operand,
    is_atom,
    kind_fits,
    occurrence_kind,
    operand_runs,
    tokenize,
)

Elem = str | int  # a concrete token's text, or a hole's number

MANUAL_WEIGHT = 2  # a fix the user wrote counts as much as two they accepted
NEAR = 3  # lines each side of the error where a pattern is looked for
MAX_OLD, MAX_NEW = 30, 40  # the most tokens a fix may remove and write and still make a pattern
MAX_OPERAND = 16  # the longest operand kept as left context
MAX_PATTERNS = 64  # patterns kept per error code, generalisations included
SITES_PER_PATTERN = 2
# A change that begins with one of these attaches to the operand on its left (`.map_err(..)`, `as u32`, `?`).
ATTACHES = frozenset(". ? ( [ as + - * / % ^ & | && || == != < > <= >= ..".split())
OUTCOMES = ("accepted", "manual", "practice")


@dataclass(frozen=True)
class Shape:
    """A fix pattern: `left old right` becomes `left new right`.

    Args:
        left: the context before the change (an operand, one anchor token, or nothing).
        old: the tokens the change replaces (empty for an insertion).
        new: what it writes; every hole in it is bound by left, old or right.
        right: the context after the change (one anchor token, or nothing).
        operand: left is the whole operand the change attaches to (two such may merge into one hole).
        gaps: the whitespace the user wrote before each element of new and after the last one.
        indent: the indentation of the taught line, to re-indent gaps that start a new line.
    """

    left: tuple[Elem, ...]
    old: tuple[Elem, ...]
    new: tuple[Elem, ...]
    right: tuple[Elem, ...]
    operand: bool = False
    gaps: tuple[str, ...] = ("",)
    indent: int = 0

    @property
    def before(self) -> tuple[Elem, ...]:
        return self.left + self.old + self.right

    @property
    def after(self) -> tuple[Elem, ...]:
        return self.left + self.new + self.right

    @property
    def key(self) -> tuple:
        return (self.left, self.old, self.new, self.right)

    @property
    def specificity(self) -> int:
        """Concrete tokens on the before side: the more, the narrower the pattern."""
        return sum(isinstance(e, str) for e in self.before)

    def kinds(self) -> dict[int, str]:
        """How loose an operand each hole may bind, from its neighbours on both sides."""
        found: dict[int, str] = {}
        for side in (self.before, self.after):
            for i, elem in enumerate(side):
                if isinstance(elem, int):
                    prev = side[i - 1] if i > 0 else None
                    nxt = side[i + 1] if i + 1 < len(side) else None
                    kind = occurrence_kind(prev, nxt)
                    found[elem] = min(found.get(elem, "wide"), kind, key=KINDS.index)
        return found

    def __str__(self) -> str:
        return f"{show(self.before)} => {show(self.after)}"


def show(elems: Sequence[Elem]) -> str:
    """Elements written as Rust, holes as $n."""
    out = ""
    prev = None
    for elem in elems:
        text = f"${elem}" if isinstance(elem, int) else elem
        tight_after = prev in (".", "(", "[", "::", "&", "!", "#") or prev is None
        tight_before = text in (".", ",", ";", ")", "]", "?", "::", "(", "[") and prev not in ("=", "=>", "as")
        out += text if tight_after or tight_before else " " + text
        prev = text
    return out


def canonical(shape: Shape) -> Shape:
    """The shape with holes numbered by first appearance, before side first."""
    numbers: dict[int, int] = {}
    for elem in shape.before + shape.new:
        if isinstance(elem, int) and elem not in numbers:
            numbers[elem] = len(numbers)

    def renumber(elems: tuple[Elem, ...]) -> tuple[Elem, ...]:
        return tuple(numbers[e] if isinstance(e, int) else e for e in elems)

    return Shape(renumber(shape.left), renumber(shape.old), renumber(shape.new), renumber(shape.right),
                 shape.operand, shape.gaps, shape.indent)


# --- learning one fix ---

def shape_of(before: str, after: str) -> Shape | None:
    """The pattern of one fix, from the code before and after it (a hunk or a whole file); None when it
    changes no token, changes too much, or cannot be told apart from any other code."""
    old_tokens, new_tokens = tokenize(before), tokenize(after)
    b, a = [t.text for t in old_tokens], [t.text for t in new_tokens]
    region = _changed(before, after, old_tokens, new_tokens)
    if region is None:
        return None
    i1, i2, j1, j2 = region
    while True:  # never cut a bracket group in two: grow the change towards the bracket it lacks
        need = _unbalanced(b[i1:i2]) or _unbalanced(a[j1:j2])
        if need is None:
            break
        if need == "left" and i1 > 0 and j1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        elif need == "right" and i2 < len(b) and j2 < len(a):
            i2, j2 = i2 + 1, j2 + 1
        else:
            return None
    if i2 - i1 > MAX_OLD or j2 - j1 > MAX_NEW:
        return None
    first = b[i1] if i2 > i1 else a[j1]
    start = _operand_start(b, i1) if i1 > 0 and ends_operand(b[i1 - 1]) and first in ATTACHES else None
    operand = start is not None
    left = b[start:i1] if start is not None else b[max(0, i1 - 1):i1]
    right = b[i2:i2 + 1]
    old, new = b[i1:i2], a[j1:j2]

    holes: dict[str, int] = {}

    def hole(text: str) -> int:
        return holes.setdefault(text, len(holes))

    carried = _carried_operand(old, new)
    for text in left + right:
        if is_atom(text):
            hole(text)
    if carried:  # the whole replaced operand reappears in what was written (a wrapper): one hole
        whole = " ".join(old)
        shape_old: list[Elem] = [hole(whole)]
    else:
        shape_old = [hole(t) if is_atom(t) and (t in holes or t in new) else t for t in old]
    shape_new: list[Elem] = []
    firsts = []  # the token each element of new begins with
    k = 0
    while k < len(new):
        firsts.append(j1 + k)
        if carried and new[k:k + len(old)] == old:
            shape_new.append(holes[" ".join(old)])
            k += len(old)
            continue
        shape_new.append(holes[new[k]] if is_atom(new[k]) and new[k] in holes else new[k])
        k += 1
    shape = Shape(tuple(hole(t) if is_atom(t) else t for t in left), tuple(shape_old), tuple(shape_new),
                  tuple(hole(t) if is_atom(t) else t for t in right), operand,
                  _gaps(after, new_tokens, firsts, j2), _indent_at(before, old_tokens, i1 if old or not left else i1 - 1))
    shape = canonical(shape)
    if not shape.specificity or len(shape.before) < 2 and not shape.old:
        return None
    if not any(result == a for result in _results(shape, before, old_tokens)):
        return None  # the pattern does not say what the fix did (a rare tokenisation corner): learn nothing
    return shape


def _changed(before: str, after: str, old_tokens: list[Token], new_tokens: list[Token]
             ) -> tuple[int, int, int, int] | None:
    """The changed token run of before [i1, i2) and of after [j1, j2): the token diff of the changed lines
    only, so a line the fix inserted is inserted whole, at the start of the line that follows it."""
    old, new = before.splitlines(), after.splitlines()
    lines = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not lines:
        return None
    l1, l2, m1, m2 = lines[0][1], lines[-1][2], lines[0][3], lines[-1][4]
    lo = next((k for k, t in enumerate(old_tokens) if t.line > l1), len(old_tokens))
    hi = next((k for k, t in enumerate(old_tokens) if t.line > l2), len(old_tokens))
    nlo = next((k for k, t in enumerate(new_tokens) if t.line > m1), len(new_tokens))
    nhi = next((k for k, t in enumerate(new_tokens) if t.line > m2), len(new_tokens))
    b, a = [t.text for t in old_tokens[lo:hi]], [t.text for t in new_tokens[nlo:nhi]]
    changes = [op for op in difflib.SequenceMatcher(a=b, b=a, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not changes:
        return None
    # The run between the longest common prefix and suffix is the tightest single change; the diff may
    # align an inserted `()` with a closing bracket after it instead (`x.name)` -> `x.name())`), cutting
    # the call in two.  Where that tightest run keeps its brackets whole, it is the change.
    prefix = 0
    while prefix < min(len(b), len(a)) and b[prefix] == a[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(b), len(a)) - prefix and b[-1 - suffix] == a[-1 - suffix]:
        suffix += 1
    if (prefix, len(b) - suffix) != (changes[0][1], changes[-1][2]) \
            and _unbalanced(b[prefix:len(b) - suffix]) is None and _unbalanced(a[prefix:len(a) - suffix]) is None:
        return lo + prefix, lo + len(b) - suffix, nlo + prefix, nlo + len(a) - suffix
    return lo + changes[0][1], lo + changes[-1][2], nlo + changes[0][3], nlo + changes[-1][4]


def _unbalanced(texts: Sequence[str]) -> str | None:
    """Which way a run must grow to hold whole bracket groups: "left", "right", or None when it does."""
    stack: list[str] = []
    for text in texts:
        if text in OPENERS:
            stack.append(OPENERS[text])
        elif text in CLOSERS:
            if not stack:
                return "left"
            if stack.pop() != text:
                return "right"
    return "right" if stack else None


def _operand_start(texts: list[str], end: int) -> int | None:
    """Where the longest postfix operand ending just before `end` begins."""
    best = None
    for start in range(end - 1, max(-1, end - 1 - MAX_OPERAND), -1):
        if start > 0 and texts[start - 1] in (".", "::"):
            continue
        if any(stop == end and kind in ("name", "tight") for stop, kind in operand_runs(texts, start, end - start)):
            best = start
    return best


def _carried_operand(old: list[str], new: list[str]) -> bool:
    """The replaced tokens are one operand, written again unchanged inside the new text (a wrapper)."""
    if not old or len(new) <= len(old):
        return False
    if not any(stop == len(old) for stop, _ in operand_runs(old, 0, len(old))):
        return False
    return any(new[k:k + len(old)] == old for k in range(len(new) - len(old) + 1))


def _gaps(text: str, tokens: list[Token], firsts: list[int], j2: int) -> tuple[str, ...]:
    """The whitespace before each written element (`firsts`: the token each begins with) and after the
    last (comments dropped)."""
    def gap(left: int, right: int) -> str:
        lo = tokens[left].end if left >= 0 else 0
        hi = tokens[right].start if right < len(tokens) else len(text)
        raw = text[lo:hi] if left >= 0 and right < len(tokens) else ""
        if not raw.strip():
            return raw
        if "\n" not in raw:  # a comment within the line
            return " "
        last = raw.rsplit("\n", 1)[1]  # a comment on its own line: keep the line break and the indentation
        return "\n" + last[:len(last) - len(last.lstrip())]

    return tuple(gap(k - 1, k) for k in firsts) + (gap(j2 - 1, j2),)


def _indent_at(text: str, tokens: list[Token], index: int) -> int:
    if not tokens:
        return 0
    token = tokens[min(index, len(tokens) - 1)]
    line = text.splitlines()[token.line - 1] if text else ""
    return len(line) - len(line.lstrip())


# --- anti-unification ---

def generalise(p: Shape, q: Shape) -> Shape | None:
    """The most specific pattern both p and q are instances of; None when they do not unify into one
    that still writes only what it can bind and keeps a concrete token to anchor on."""
    pairs: dict[tuple[Elem, Elem], int] = {}

    def unify(x: Elem, y: Elem) -> Elem | None:
        if x == y and isinstance(x, str):
            return x
        if (isinstance(x, int) or is_atom(x)) and (isinstance(y, int) or is_atom(y)):
            return pairs.setdefault((x, y), len(pairs))
        return None

    def unify_all(xs: tuple[Elem, ...], ys: tuple[Elem, ...]) -> tuple[Elem, ...] | None:
        if len(xs) != len(ys):
            return None
        out = tuple(unify(x, y) for x, y in zip(xs, ys))
        return None if any(e is None for e in out) else out  # type: ignore[return-value]

    def inner(xs: tuple[Elem, ...], ys: tuple[Elem, ...]) -> tuple[Elem, ...]:
        """The longest run the two agree on, from the change outwards (xs, ys read from the change)."""
        out = []
        for x, y in zip(xs, ys):
            e = unify(x, y)
            if e is None:
                break
            out.append(e)
        return tuple(out)

    operand = p.operand and q.operand
    left = unify_all(p.left, q.left)
    if left is None and operand and _private(p, p.left) and _private(q, q.left):
        left = (pairs.setdefault(("left", "left"), len(pairs)),)  # two operands of different shapes: one hole
    elif left is None:
        operand = False
        left = inner(p.left[::-1], q.left[::-1])[::-1]
    old = unify_all(p.old, q.old)
    if old is None:
        return None
    right = inner(p.right, q.right)
    new = unify_all(p.new, q.new)
    if new is None:
        return None
    shape = Shape(left, old, new, right, operand, p.gaps, p.indent)
    bound = {e for e in shape.before if isinstance(e, int)}
    if any(isinstance(e, int) and e not in bound for e in new) or not shape.specificity:
        return None
    if len(shape.before) < 2 and not shape.old:
        return None
    return canonical(shape)


def _private(shape: Shape, part: tuple[Elem, ...]) -> bool:
    """No hole of this part is used elsewhere in the shape (so the part may become one hole)."""
    elsewhere = {e for e in shape.old + shape.new + shape.right if isinstance(e, int)}
    return not any(isinstance(e, int) and e in elsewhere for e in part)


def _valid(shape: Shape) -> bool:
    """Writes only what it binds and keeps a concrete token to match on (as a learned pattern must)."""
    bound = {e for e in shape.before if isinstance(e, int)}
    if any(isinstance(e, int) and e not in bound for e in shape.new):
        return False
    return bool(shape.specificity) and (len(shape.before) >= 2 or bool(shape.old))


def relaxed(shape: Shape) -> list[Shape]:
    """Looser forms of a pattern that replaces tokens, tried only where no pattern matches as learned,
    most specific first.

    The anchor tokens around a replacement are whatever happened to stand there when the user made it:
    a field read that became an accessor call (`.name` -> `.display_name()`) was followed by `)` in a
    `format!` but may be followed by `.` or `;` next time, and a product converted as a block's tail
    (`{ a * b }`) may next stand after `=`.  So the right anchor and a one-token left anchor may go; the
    replaced tokens still say where the fix goes.  An insertion keeps its anchors (they are all that
    places it).  Each form still writes only what it binds and keeps a concrete token to match on.
    """
    if not shape.old:
        return []  # an insertion is placed by its anchors: without them it could go anywhere
    lefts = [shape.left, ()] if len(shape.left) == 1 and isinstance(shape.left[0], str) else [shape.left]
    rights = [shape.right, ()] if shape.right else [shape.right]
    found: dict[tuple, Shape] = {}
    for left in lefts:
        for right in rights:
            if (left, right) == (shape.left, shape.right):
                continue
            loose = canonical(Shape(left, shape.old, shape.new, right, shape.operand and bool(left),
                                    shape.gaps, shape.indent))
            if _valid(loose) and loose.key != shape.key:
                found.setdefault(loose.key, loose)
    return sorted(found.values(), key=lambda s: -s.specificity)


def at_error(shape: Shape) -> Shape | None:
    """The bare form of a pattern that rewrites one whole operand into new text carrying it (a wrapper,
    `Duration::from_millis($0)`, or a postfix, `$0 as u32`), for the operand the error points at.

    rustc's primary span of a type error is the expression of the wrong type: the wrapper the user
    writes around it does not depend on the tokens that happened to stand around it.  The bare form has
    no token of its own to match on, so it is applied only where its hole binds exactly that span.
    """
    hole: Elem | None = None
    if len(shape.old) == 1 and isinstance(shape.old[0], int):
        hole, bare = shape.old[0], Shape((), shape.old, shape.new, (), False, shape.gaps, shape.indent)
    elif shape.operand and not shape.old and len(shape.left) == 1 and isinstance(shape.left[0], int):
        hole, bare = shape.left[0], Shape(shape.left, (), shape.new, (), True, shape.gaps, shape.indent)
    if hole is None or hole not in shape.new or any(isinstance(e, int) and e != hole for e in shape.new):
        return None
    return canonical(bare)


def sites_at(shape: Shape, code: str, tokens: list[Token], span: tuple[int, int]) -> Iterator[Site]:
    """The bare pattern (see at_error) applied where its hole binds exactly code[span[0]:span[1]]
    (character offsets), when that text is one operand its place in the pattern may hold."""
    first = next((k for k, t in enumerate(tokens) if t.start >= span[0]), None)
    if first is None or tokens[first].start != span[0]:
        return
    last = next((k for k, t in enumerate(tokens) if t.end >= span[1]), None)
    if last is None or tokens[last].end != span[1]:
        return
    texts = [t.text for t in tokens]
    kind = next((k for end, k in operand_runs(texts, first) if end == last + 1), None)
    [hole] = {e for e in shape.before if isinstance(e, int)}
    if kind is None or not kind_fits(kind, shape.kinds()[hole]):
        return
    yield _render(shape, code, tokens, {hole: (first, last + 1)}, [first, last + 1])


# --- applying a pattern ---

@dataclass(frozen=True)
class Site:
    """One place a pattern applies: replace text[start:end] (characters) with `text`."""

    start: int
    end: int
    text: str
    line: int
    snippet: str  # the pattern's after side as it reads at this place


def sites(shape: Shape, code: str, tokens: list[Token], lines: range | None = None) -> Iterator[Site]:
    """Every place in code whose tokens match the pattern's before side, rewritten; with `lines`, only
    changes on those lines (1-based)."""
    texts = [t.text for t in tokens]
    before = shape.before
    kinds = shape.kinds()
    first_line = (lines.start - len(before) // 4 - 2) if lines else 0
    for start in range(len(tokens)):
        if lines is not None and not first_line <= tokens[start].line < lines.stop:
            continue
        match = _match(shape, before, kinds, texts, start)
        if match is None:
            continue
        site = _render(shape, code, tokens, *match)
        if lines is None or site.line in lines:
            yield site


def _match(shape: Shape, before: tuple[Elem, ...], kinds: dict[int, str], texts: list[str], start: int):
    """The first binding of the before side's holes at token `start`: (bindings, element positions)."""
    n = len(before)
    positions = [0] * (n + 1)
    bound: dict[int, tuple[int, int]] = {}
    prev = texts[start - 1] if start > 0 else None
    if isinstance(before[0], int) and prev is not None and (
            ends_operand(prev) or prev in (".", "::") or (n == 1 or before[1] not in POSTFIX) and prev not in OPEN):
        return None  # a hole begins a whole operand: after a boundary, or anywhere a postfix part binds tightest

    def edge_kind(k: int, elem: int, end: int) -> str:
        allowed = kinds[elem]
        for side in (before, shape.after):
            if side and side[0] == elem and k == 0:
                allowed = min(allowed, occurrence_kind(prev, side[1] if len(side) > 1 else None), key=KINDS.index)
        if k == n - 1:
            nxt = texts[end] if end < len(texts) else None
            for side in (before, shape.after):
                if side and side[-1] == elem:
                    allowed = min(allowed, occurrence_kind(side[-2] if len(side) > 1 else prev, nxt),
                                  key=KINDS.index)
        return allowed

    def go(k: int, pos: int) -> bool:
        positions[k] = pos
        if k == n:
            return True
        elem = before[k]
        if isinstance(elem, str):
            return pos < len(texts) and texts[pos] == elem and go(k + 1, pos + 1)
        if elem in bound:
            i, j = bound[elem]
            return texts[pos:pos + j - i] == texts[i:j] and go(k + 1, pos + j - i)
        for end, kind in operand_runs(texts, pos):
            if k == n - 1 and end < len(texts) and texts[end] not in CLOSE:
                continue  # a trailing hole binds the whole operand
            if not kind_fits(kind, edge_kind(k, elem, end) if k in (0, n - 1) else kinds[elem]):
                continue
            bound[elem] = (pos, end)
            if go(k + 1, end):
                return True
            del bound[elem]
        return False

    return (bound, positions) if go(0, start) else None


def _render(shape: Shape, code: str, tokens: list[Token], bound: dict[int, tuple[int, int]],
            positions: list[int]) -> Site:
    n_left, n_old = len(shape.left), len(shape.old)
    first, last = positions[n_left], positions[n_left + n_old]
    if n_left:  # written right after the left context, with the user's spacing
        start, end = tokens[first - 1].end, tokens[last - 1].end if n_old else tokens[first - 1].end
    elif n_old:
        start, end = tokens[first].start, tokens[last - 1].end
    else:
        start = end = tokens[first].start
    anchor = tokens[first] if first < len(tokens) and (n_old or not n_left) else tokens[first - 1]
    line_text = code.splitlines()[anchor.line - 1] if code else ""
    indent = len(line_text) - len(line_text.lstrip())

    def gap(k: int) -> str:
        text = shape.gaps[k] if k < len(shape.gaps) else ""
        if "\n" not in text:
            return text
        head, tail = text.rsplit("\n", 1)
        return f"{head}\n{' ' * max(0, len(tail) - shape.indent + indent)}"

    pieces = []
    for k, elem in enumerate(shape.new):
        if k:
            pieces.append(gap(k))
        if isinstance(elem, int):
            i, j = bound[elem]
            pieces.append(code[tokens[i].start:tokens[j - 1].end])
        else:
            pieces.append(elem)
    written = "".join(pieces)
    if n_left:
        written = gap(0) + written
    elif not n_old and shape.new:
        written += gap(len(shape.new))
    match_start = tokens[positions[0]].start if positions[0] < len(tokens) else start
    match_end = tokens[positions[-1] - 1].end if positions[-1] > positions[0] else end
    snippet = " ".join((code[match_start:start] + written + code[end:match_end]).split())
    return Site(start, end, written, anchor.line, snippet)


def _results(shape: Shape, code: str, tokens: list[Token], lines: range | None = None) -> Iterator[list[str]]:
    """The token texts of code with the pattern applied at each place it matches."""
    for site in sites(shape, code, tokens, lines):
        yield [t.text for t in tokenize(code[:site.start] + site.text + code[site.end:])]


def produces(shape: Shape, before: str, after: str, lines: range | None = None) -> bool:
    """Whether applying the pattern once to `before` gives `after` (token for token)."""
    target = [t.text for t in tokenize(after)]
    return any(result == target for result in _results(shape, before, tokenize(before), lines))


# --- the book ---

@dataclass
class Pattern:
    """A pattern of one error code and how the user has used it."""

    error_code: str
    shape: Shape
    accepted: int = 0  # fixes the user took that it reproduces
    manual: int = 0  # fixes the user wrote that it reproduces
    practice: int = 0  # day-cycle koan fixes it reproduces
    rejected: int = 0  # fixes the user called wrong that it reproduces
    members: set[str] = field(default_factory=set)  # keys of the records it reproduces (not the rejected)

    @property
    def count(self) -> int:
        return self.accepted + MANUAL_WEIGHT * self.manual + self.practice

    @property
    def score(self) -> int:
        """Its uses, less one for each rejection."""
        return self.count - self.rejected

    @property
    def habit(self) -> int:
        """How much the user's own use vouches for it: their uses less their rejections, never below 0."""
        return max(0, self.accepted + MANUAL_WEIGHT * self.manual - self.rejected)

    @property
    def retired(self) -> bool:
        """Rejected at least twice and more often than it was used: no longer applied."""
        return self.rejected >= 2 and self.rejected > self.count

    def uses(self) -> str:
        """How it was used, in a few words for a code action's title."""
        mine = self.accepted + self.manual
        words = f"used {mine}×" if mine else f"practised {self.practice}×"
        return f"{words}, rejected {self.rejected}×" if self.rejected else words


@dataclass(frozen=True)
class Lesson:
    record: FixRecord
    outcome: str  # accepted, manual, practice, or rejected


@dataclass(frozen=True)
class Application:
    """A pattern applied at one place (or several): the byte edits, and the fix as it reads there."""

    pattern: Pattern
    edits: tuple[TextEdit, ...]
    snippet: str
    line: int
    shape: Shape | None = None  # the form that matched: the pattern's own, a relaxed or a bare one


@dataclass
class PatternBook:
    """The patterns learned so far, by error code, with the lessons they were counted on."""

    by_code: dict[str, list[Pattern]] = field(default_factory=dict)
    lessons: list[Lesson] = field(default_factory=list)
    max_patterns: int = MAX_PATTERNS
    _counted: bool = True

    def learn(self, record: FixRecord, outcome: str = "accepted") -> Pattern | None:
        """Learn from a fix the user took ("accepted"), wrote ("manual") or a koan taught ("practice").

        Returns the fix's own pattern, or None when it cannot generalise. Every pattern
        of its code it generalises with yields a merged pattern too.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome {outcome!r} is not one of {OUTCOMES}")
        code = record.case.code
        if not code or not record.before or record.before == record.after:
            return None
        self.lessons.append(Lesson(record, outcome))
        self._counted = False
        leaf = shape_of(record.before, record.after)
        if leaf is None:
            return None
        book = self.by_code.setdefault(code, [])
        known = {p.shape.key: p for p in book}
        if leaf.key in known:
            return known[leaf.key]
        pattern = Pattern(code, leaf)
        book.append(pattern)
        for other in book[:-1]:
            if len(book) >= self.max_patterns:
                break
            merged = generalise(other.shape, leaf)
            if merged is not None and merged.key not in known and merged.key != leaf.key:
                known[merged.key] = Pattern(code, merged)
                book.append(known[merged.key])
        return pattern

    def reject(self, record: FixRecord) -> None:
        """A fix the user called wrong: every pattern that makes it is demoted."""
        if record.case.code and record.before:
            self.lessons.append(Lesson(record, "rejected"))
            self._counted = False

    def patterns(self, error_code: str | None) -> list[Pattern]:
        """The patterns still applied to this error code, best first: most used, then most specific."""
        self._count()
        return sorted((p for p in self.by_code.get(error_code or "", []) if not p.retired),
                      key=lambda p: (-p.score, -p.shape.specificity))

    def all_patterns(self) -> list[Pattern]:
        self._count()
        return [p for patterns in self.by_code.values() for p in patterns]

    def _count(self) -> None:
        """Count each pattern's uses and rejections over the lessons: the fixes it reproduces."""
        if self._counted:
            return
        for code, patterns in self.by_code.items():
            for pattern in patterns:
                pattern.accepted = pattern.manual = pattern.practice = pattern.rejected = 0
                pattern.members = set()
            for lesson in (x for x in self.lessons if x.record.case.code == code):
                before, after = lesson.record.before, lesson.record.after
                present = {t.text for t in tokenize(before)}
                written = {t.text for t in tokenize(after)}
                for pattern in patterns:
                    shape = pattern.shape
                    if not ({e for e in shape.before if isinstance(e, str)} <= present
                            and {e for e in shape.new if isinstance(e, str)} <= written):
                        continue
                    if not produces(shape, before, after):
                        continue
                    if lesson.outcome == "rejected":
                        pattern.rejected += 1
                        continue
                    setattr(pattern, lesson.outcome, getattr(pattern, lesson.outcome) + 1)
                    pattern.members.add(lesson.record.key)
        self._counted = True

    def matching(self, error_code: str | None, code: str, line: int, tokens: list[Token] | None = None,
                 span: tuple[int, int] | None = None) -> Iterator[tuple[Pattern, Site]]:
        """Each active pattern of the error code with each place it applies near `line`, nearest first:
        every pattern as learned, then (given the error's primary span, as character offsets) their bare
        forms at that span, then, only where no pattern matched as learned, their relaxed forms."""
        for pattern, _, site in self._matching(error_code, code, line, tokens, span):
            yield pattern, site

    def _matching(self, error_code: str | None, code: str, line: int, tokens: list[Token] | None = None,
                  span: tuple[int, int] | None = None) -> Iterator[tuple[Pattern, Shape, Site]]:
        tokens = tokenize(code) if tokens is None else tokens
        near = range(max(1, line - NEAR), line + NEAR + 1)
        patterns = self.patterns(error_code)
        exact = False
        for pattern in patterns:
            found = sorted(sites(pattern.shape, code, tokens, near), key=lambda s: (abs(s.line - line), s.start))
            for site in found[:SITES_PER_PATTERN]:
                exact = True
                yield pattern, pattern.shape, site
        if span is not None:
            for pattern in patterns:
                bare = at_error(pattern.shape)
                if bare is not None:
                    for site in sites_at(bare, code, tokens, span):
                        yield pattern, bare, site
        if exact:
            return
        for pattern in patterns:
            for shape in relaxed(pattern.shape):
                found = sorted(sites(shape, code, tokens, near), key=lambda s: (abs(s.line - line), s.start))
                for site in found[:SITES_PER_PATTERN]:
                    yield pattern, shape, site

    def apply(self, error_code: str | None, code: str, line: int, limit: int = 4,
              span: tuple[int, int] | None = None) -> list[Application]:
        """Fixes for an error of this code on `line`: the best patterns where they match, one fix per text.

        Args:
            error_code: the error's code; only patterns taught for it apply.
            code: the file's text.
            line: the error's primary line (1-based); patterns are looked for within NEAR lines of it.
            limit: the most fixes returned.
            span: the error's primary span in code (character offsets), where bare patterns may apply.
        """
        found: list[Application] = []
        seen = {code}
        for pattern, shape, site in self._matching(error_code, code, line, span=span):
            text = code[:site.start] + site.text + code[site.end:]
            if text in seen:
                continue
            seen.add(text)
            found.append(Application(pattern, (_byte_edit(code, site),), site.snippet, site.line, shape))
            if len(found) >= limit:
                break
        return found

    def everywhere(self, application: Application, code: str, lines: Sequence[int]) -> Application | None:
        """The same pattern applied also at the nearest place to each of `lines` (alike errors of the
        file), as one fix; None when it applies nowhere else."""
        shape = application.shape or application.pattern.shape
        if not shape.specificity:
            return None  # a bare form applies only at its own error's span
        tokens = tokenize(code)
        edits = list(application.edits)
        for line in lines:
            near = range(max(1, line - NEAR), line + NEAR + 1)
            found = sorted(sites(shape, code, tokens, near), key=lambda s: (abs(s.line - line), s.start))
            for site in found[:1]:
                edit = _byte_edit(code, site)
                if all(edit.byte_end < e.byte_start or e.byte_end < edit.byte_start for e in edits):
                    edits.append(edit)
        if len(edits) == len(application.edits):
            return None
        return Application(application.pattern, tuple(sorted(edits, key=lambda e: e.byte_start)),
                           application.snippet, application.line, application.shape)

    def habit(self, error_code: str | None, before: str, after: str) -> int:
        """How much the user's own use vouches for a change: the habit of the best pattern that makes it
        (every changed block of it, each where it stands), as learned or in a relaxed or bare form (the
        same change where other tokens stand around it); 0 when none does."""
        patterns = [p for p in self.patterns(error_code) if p.habit > 0]
        if not patterns or before == after:
            return 0
        blocks = _blocks(before, after)
        tokens = tokenize(before)
        best = 0
        for pattern in sorted(patterns, key=lambda p: -p.habit):
            if pattern.habit <= best:
                break
            bare = at_error(pattern.shape)
            for shape in (pattern.shape, *relaxed(pattern.shape), *([bare] if bare is not None else [])):
                if all(any(result == target for result in _results(shape, before, tokens, lines))
                       for target, lines in blocks):
                    best = pattern.habit
                    break
        return best


def _blocks(before: str, after: str) -> list[tuple[list[str], range]]:
    """Each changed block of lines on its own: the token texts of before with only that block changed,
    and the lines it covers."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    blocks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            text = "".join(old[:i1] + new[j1:j2] + old[i2:])
            blocks.append(([t.text for t in tokenize(text)], range(max(1, i1), i2 + 2)))
    return blocks


def _byte_edit(code: str, site: Site) -> TextEdit:
    start = len(code[:site.start].encode("utf-8"))
    return TextEdit(start, start + len(code[site.start:site.end].encode("utf-8")), site.text)


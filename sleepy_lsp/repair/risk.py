"""Judging a candidate fix by what it does to the program, not only whether it compiles.

A fix that `cargo check` accepts can still break the program: a `?` turned into a
`todo!()`, a product widened after it has already overflowed, a call to a function
with a similar name, nine arguments deleted. Each rule below reads one such shape
from the diff and the syntax around it, and says why in a short phrase for the code
action's title. The rules read tokens, not a parse tree: they see the changed lines
(whole lines around every edit) before and after, skipping comments, with string and
char literals as single tokens. This module does no I/O; the engine ranks what it says.

`assess(code, edits)` runs every rule in RULES: a panic path added, a callee replaced, a name
renamed, arguments, statements or match arms removed, a public signature changed, arithmetic
widened after it can overflow, a line marked "do not edit" edited, and a `?` moved inside
`Ok(..)`, away from where its Result was made.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Callable, Iterator, NamedTuple, Sequence

from ..rust.edits import TextEdit, apply_edits
from .rustc_notes import STD_MODULES

KINDS = ("panic", "calls_other", "renames", "removes_code", "public_api", "narrows_arithmetic", "protected_line",
         "propagates_late")


@dataclass(frozen=True)
class Risk:
    """One way a fix makes the program riskier; reason is a short phrase for the code action title."""

    kind: str  # one of KINDS
    reason: str


KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod "
    "move mut pub ref return self Self static struct super trait true type union unsafe use where while".split())
INTEGERS = ("u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize")
BITS = {name: int(name[1:]) if name[1:].isdigit() else 64 for name in INTEGERS}
NUMERIC = frozenset(INTEGERS + ("f32", "f64"))
# Names whose swap is a change of representation the compiler checks, not a different meaning.
STD_TYPES = NUMERIC | frozenset(
    "bool char str String Vec VecDeque Option Result Box Rc Arc Weak Cell RefCell Mutex RwLock HashMap HashSet "
    "BTreeMap BTreeSet BinaryHeap Cow Path PathBuf OsStr OsString Some None Ok Err".split())
PANIC_MACROS = ("todo", "unimplemented", "panic", "unreachable")
# Calls a fix adds or swaps to change a value's type or ownership, not what the program does with it.
CONVERSIONS = frozenset(
    "clone cloned copied to_string to_owned into from try_into try_from as_str as_ref as_mut as_slice as_deref "
    "as_deref_mut as_bytes as_path to_vec iter iter_mut into_iter borrow borrow_mut new default Some Ok Err map_err "
    "ok_or ok_or_else ok err unwrap_or unwrap_or_else unwrap_or_default unwrap expect".split())
# std methods whose result is an Option or a Result: what an `.unwrap()` after them panics on.
RETURNS_OPTION = frozenset(
    "get get_mut first last first_mut last_mut pop pop_front pop_back front back next next_back nth peek find "
    "find_map position rposition max min max_by_key min_by_key max_by min_by checked_add checked_sub checked_mul "
    "checked_div checked_pow reduce strip_prefix strip_suffix split_once rsplit_once to_digit from_digit from_u32 "
    "parent file_name extension get_key_value ok".split())
RETURNS_RESULT = frozenset(
    "parse try_into try_from from_str from_str_radix open create read_to_string read_to_end read write write_all "
    "flush lock read_line join recv send try_recv metadata canonicalize from_utf8 var bind connect output status "
    "spawn remove_file create_dir_all read_dir ok_or ok_or_else map_err".split())
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}
PROTECTED = re.compile(r"\b(?:do\s+not|don'?t)\s+(?:edit|change|modify|touch)\b", re.IGNORECASE)

TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<literal>b?r(?P<hashes>\#*)".*?"(?P=hashes)|b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])'|\d\w*(?:\.\d\w*)?)
  | (?P<lifetime>'\w+)
  | (?P<ident>[^\W\d]\w*)
  | (?P<punct><<|::|->|=>|==|!=|<=|>=|&&|\|\||\.\.=?|[^\s\w])
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    text: str
    kind: str  # "ident", "literal", "lifetime", "punct" or "comment"
    start: int  # character offsets in the file's text
    end: int


@lru_cache(maxsize=4)
def lex(text: str) -> list[Token]:
    """Every token of text, comments included, with string and char literals as one token each.

    Cached: the candidates for one error all start from the same text."""
    return [Token(m.group(), m.lastgroup if m.lastgroup != "hashes" else "literal", m.start(), m.end())
            for m in TOKEN.finditer(text)]


def _pairs(tokens: list[Token]) -> dict[int, int]:
    """Each bracket's index mapped to its partner's, both ways; unbalanced ones are left out."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.text in OPENERS:
            stack.append(index)
        elif token.text in CLOSERS and stack and tokens[stack[-1]].text == CLOSERS[token.text]:
            opening = stack.pop()
            pairs[opening], pairs[index] = index, opening
    return pairs


@dataclass(frozen=True)
class Hunk:
    """Whole changed lines: the indices of their tokens before and after, and the diff between them."""

    old: range
    new: range
    opcodes: tuple[tuple[str, int, int, int, int], ...]  # as difflib's, with indices into the whole files

    def changed_new(self) -> set[int]:
        """Indices of new tokens the edit wrote (inserted or replaced)."""
        return {j for tag, _, _, j1, j2 in self.opcodes if tag != "equal" for j in range(j1, j2)}

    def kept_old(self) -> dict[int, int]:
        """Old token indices that survive unchanged, mapped to their index in the new file."""
        return {i: j1 + i - i1 for tag, i1, i2, j1, _ in self.opcodes if tag == "equal" for i in range(i1, i2)}


@dataclass
class Change:
    """A candidate fix as the rules read it: both texts, their tokens and the changed lines."""

    old_text: str
    new_text: str
    edits: list[tuple[int, int, str]]  # character offsets in old_text, sorted
    old: list[Token]
    new: list[Token]
    comments: list[Token]  # the old text's comments
    hunks: list[Hunk]
    found: str | None

    @classmethod
    def of(cls, code: str, edits: Sequence[TextEdit], found: str | None = None) -> Change:
        new_text = apply_edits(code, edits)
        data = code.encode("utf-8")
        offsets = sorted((len(data[:e.byte_start].decode("utf-8", "ignore")),
                          len(data[:e.byte_end].decode("utf-8", "ignore")), e.new_text) for e in edits)
        old_all, new_all = lex(code), lex(new_text)
        old = [t for t in old_all if t.kind != "comment"]
        new = [t for t in new_all if t.kind != "comment"]
        hunks = [_hunk(old, new, *lines) for lines in _changed_lines(code, offsets)]
        return cls(code, new_text, offsets, old, new, [t for t in old_all if t.kind == "comment"], hunks, found)

    @cached_property
    def old_pairs(self) -> dict[int, int]:
        return _pairs(self.old)

    @cached_property
    def new_pairs(self) -> dict[int, int]:
        return _pairs(self.new)

    def moved(self, offset: int) -> int:
        """Where an old offset lies in the new text (text written at the offset comes before it)."""
        return offset + sum(len(text) - (end - start) for start, end, text in self.edits if end <= offset)

    def touches(self, start: int, end: int) -> bool:
        """Whether an edit changes or writes into old text [start, end]."""
        return any((s < end and e > start) or (s == e and start <= s <= end) for s, e, _ in self.edits)


def _changed_lines(code: str, edits: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, int, int]]:
    """The edits widened to whole lines and merged: (old start, old end, new start, new end)."""
    merged: list[list[int]] = []  # old start, old end, shift before, shift inside
    shift = 0
    for start, end, text in edits:
        low = code.rfind("\n", 0, start) + 1
        high = code.find("\n", end)
        high = len(code) if high < 0 else high
        delta = len(text) - (end - start)
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
            merged[-1][3] += delta
        else:
            merged.append([low, high, shift, delta])
        shift += delta
    for low, high, before, inside in merged:
        yield low, high, low + before, high + before + inside


def _hunk(old: list[Token], new: list[Token], low: int, high: int, new_low: int, new_high: int) -> Hunk:
    old_range = _token_range(old, low, high)
    new_range = _token_range(new, new_low, new_high)
    matcher = difflib.SequenceMatcher(
        None, [t.text for t in old[old_range.start:old_range.stop]],
        [t.text for t in new[new_range.start:new_range.stop]], autojunk=False)
    opcodes = tuple((tag, i1 + old_range.start, i2 + old_range.start, j1 + new_range.start, j2 + new_range.start)
                    for tag, i1, i2, j1, j2 in matcher.get_opcodes())
    return Hunk(old_range, new_range, opcodes)


def _token_range(tokens: list[Token], start: int, end: int) -> range:
    starts = [t.start for t in tokens]
    return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))


def _text(tokens: list[Token], index: int) -> str:
    return tokens[index].text if 0 <= index < len(tokens) else ""


def _closing_angle(tokens: list[Token], opening: int) -> int | None:
    """The `>` closing the generic arguments opened at `opening`, if it is near."""
    depth = 0
    for index in range(opening, min(len(tokens), opening + 64)):
        text = tokens[index].text
        depth += {"<": 1, ">": -1}.get(text, 0)
        if depth == 0:
            return index
        if text in (";", "{", "}"):
            return None
    return None


def _call(tokens: list[Token], index: int) -> tuple[str, int] | None:
    """(callee, index of its opening bracket) when the token at index names what is called:
    `name(`, `name::<T>(` or a macro `name!(`; macros are named with their `!`."""
    token = tokens[index]
    if token.kind != "ident" or token.text in KEYWORDS or token.text in ("Fn", "FnMut", "FnOnce"):
        return None
    if _text(tokens, index - 1) in ("fn", "struct", "enum", "union", "trait", "impl"):
        return None  # a definition, not a call
    if _text(tokens, index - 1) == "[" and _text(tokens, index - 2) in ("#", "!"):
        return None  # an attribute: `#[derive(..)]`, `#[cfg(..)]`
    after = _text(tokens, index + 1)
    if after == "(":
        return token.text, index + 1
    if after == "!" and _text(tokens, index + 2) in OPENERS:
        return token.text + "!", index + 2
    if after == "::" and _text(tokens, index + 2) == "<":
        close = _closing_angle(tokens, index + 2)
        if close is not None and _text(tokens, close + 1) == "(":
            return token.text, close + 1
    return None


def _callees(tokens: list[Token], indices: range) -> Counter[str]:
    return Counter(call[0] for index in indices if (call := _call(tokens, index)))


def _argument_count(tokens: list[Token], opening: int, pairs: dict[int, int]) -> int | None:
    """How many arguments the bracket at opening holds, counting only its own commas."""
    close = pairs.get(opening)
    if close is None:
        return None
    count, index = 0, opening + 1
    at_start = True
    while index < close:
        text = tokens[index].text
        if at_start and text != ",":
            count += 1
        at_start = False
        if text in OPENERS and index in pairs:
            index = pairs[index]
        elif text == "|" and _text(tokens, index - 1) in ("(", ",", "move"):
            index = next((k for k in range(index + 1, close) if tokens[k].text == "|"), close)  # closure params
        elif text == "::" and _text(tokens, index + 1) == "<":
            index = _closing_angle(tokens, index + 1) or index  # a turbofish's commas are not arguments
        elif text == ",":
            at_start = True
        index += 1
    return count


def _one_slip(a: str, b: str) -> bool:
    """Whether b is a with one character inserted, dropped or changed, or two neighbours swapped:
    the distance of a misspelling, which is what rustc's "a similar name exists" fixes."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return a == b
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        swapped = a[i + 1:i + 2] == b[i:i + 1] and a[i:i + 1] == b[i + 1:i + 2] and a[i + 2:] == b[i + 2:]
        return a[i + 1:] == b[i + 1:] or swapped
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


def _same_name(old: str, new: str) -> bool:
    """Whether two names say the same thing: a misspelling fixed, a case or underscore changed,
    a std type or module swapped for another (the compiler checks those)."""
    if old in KEYWORDS or new in KEYWORDS:
        return True
    if (old in STD_TYPES and new in STD_TYPES) or (old in STD_MODULES and new in STD_MODULES):
        return True
    plain = old.replace("_", "").lower(), new.replace("_", "").lower()
    return plain[0] == plain[1] or _one_slip(old, new)


def _same_call(old: str, new: str) -> bool:
    """Whether calling new where old was called keeps the meaning: a conversion, a `_mut` or
    `into_` variant of the same method, its `_by` form (`sort` -> `sort_by` with an explicit order),
    a misspelling fixed, or a stub being filled in."""
    old_name, new_name = old.rstrip("!"), new.rstrip("!")
    if new_name in CONVERSIONS or new_name in PANIC_MACROS or old_name in PANIC_MACROS:
        return True
    variants = {old_name + "_mut", "into_" + old_name, old_name.removesuffix("_mut"), old_name.removeprefix("into_"),
                old_name + "_by"}
    return new_name in variants or _same_name(old_name, new_name)


Rule = Callable[[Change], Iterator[Risk]]


# --- 1. panics -------------------------------------------------------------------------------------

def adds_a_panic(change: Change) -> Iterator[Risk]:
    """`todo!`, `unimplemented!`, `panic!`, `unreachable!`, `.unwrap()` and `.expect(..)` abort the
    thread (the program, in a binary) where the code before returned, propagated or had no such
    path: an error the caller could handle becomes a crash. A let-else whose `else` panics is the
    same crash spelled as a pattern. Only panic sites the edit wrote, beyond those already there,
    count; `unwrap_or` and its kin never panic, and a test is meant to panic when it fails."""
    reasons: list[str] = []
    tests = _test_bodies(change.new, change.new_pairs)
    for hunk in change.hunks:
        before = Counter(label for label, _ in _panic_sites(change.old, hunk.old, change.old_pairs, change.found))
        written = {k for k in hunk.changed_new() if not any(k in body for body in tests)}
        after = list(_panic_sites(change.new, hunk.new, change.new_pairs, change.found, written))
        added = Counter(label for label, _ in _panic_sites(change.new, hunk.new, change.new_pairs, None)) - before
        for label, reason in after:
            if added[label] > 0:
                added[label] -= 1
                reasons.append(reason)
    for reason, count in Counter(reasons).items():
        yield Risk("panic", reason.replace("adds ", f"adds {count} ", 1) if count > 1 and "!()" in reason else reason)


def _panic_sites(tokens: list[Token], indices: range, pairs: dict[int, int], found: str | None,
                 written: set[int] | None = None) -> Iterator[tuple[str, str]]:
    """(class, reason) for each panic site in indices (only those in written, when given); an
    `.expect(..)` for an `.unwrap()`, or a `panic!` for a `todo!`, is the same panic."""
    for index in indices:
        if written is not None and index not in written:
            continue
        text = tokens[index].text
        if text in PANIC_MACROS and _text(tokens, index + 1) == "!":
            let_else = _in_let_else(tokens, index)
            yield "macro", f"adds {text}!() in a let-else" if let_else else f"adds {text}!()"
        elif text in ("unwrap", "expect") and _text(tokens, index - 1) == "." and _text(tokens, index + 1) == "(":
            yield "unwrap", _unwrap_reason(tokens, index, pairs, found)


def _test_bodies(tokens: list[Token], pairs: dict[int, int]) -> list[range]:
    """The token indices of the bodies of `#[test]` functions and `#[cfg(test)]` modules."""
    bodies = []
    for index, token in enumerate(tokens):
        if token.text != "#" or _text(tokens, index + 1) != "[" or index + 1 not in pairs:
            continue
        words = [t.text for t in tokens[index + 2:pairs[index + 1]]]
        if words[-1:] != ["test"] and words != ["cfg", "(", "test", ")"]:
            continue  # `#[test]`, `#[tokio::test]` and `#[cfg(test)]`, not `#[cfg(not(test))]`
        brace = next((k for k in range(pairs[index + 1], len(tokens)) if tokens[k].text in ("{", ";")), None)
        if brace is not None and brace in pairs:
            bodies.append(range(brace, pairs[brace]))
    return bodies


def _in_let_else(tokens: list[Token], index: int) -> bool:
    """Whether the macro at index opens the `else` block of a `let` (not of an `if`)."""
    if _text(tokens, index - 1) != "{" or _text(tokens, index - 2) != "else":
        return False
    for back in range(index - 3, max(-1, index - 80), -1):
        text = tokens[back].text
        if text == "let":
            return True
        if text in (";", "if", "match", "fn"):
            return False
    return False


def _unwrap_reason(tokens: list[Token], index: int, pairs: dict[int, int], found: str | None) -> str:
    """What an `.unwrap()` or `.expect(..)` at index panics on, from the call before it or the
    type rustc found there."""
    method = _method_before(tokens, index - 2, pairs)
    if method in RETURNS_OPTION or (method is None and (found or "").startswith("Option")):
        return "panics if None"
    if method in RETURNS_RESULT or (method is None and (found or "").startswith("Result")):
        return "panics on Err"
    call = ".unwrap()" if tokens[index].text == "unwrap" else ".expect(..)"
    return f"adds {call}, which can panic"


def _method_before(tokens: list[Token], close: int, pairs: dict[int, int]) -> str | None:
    """The name of the call whose `)` is at close (`parse` in `s.parse::<u8>()`)."""
    if _text(tokens, close) != ")" or close not in pairs:
        return None
    at = pairs[close] - 1
    if _text(tokens, at) == ">":  # a turbofish: walk back to its `::`
        while at > 0 and tokens[at].text != "<":
            at -= 1
        at -= 2 if _text(tokens, at - 1) == "::" else 1
    return tokens[at].text if 0 <= at and tokens[at].kind == "ident" else None


# --- 2. calls something else ----------------------------------------------------------------------

def calls_something_else(change: Change) -> Iterator[Risk]:
    """Replacing a callee runs different code with the same arguments: `alloc` where `realloc` was
    called forgets the old block, `is_morning` answers another question than `is_evening`. It
    compiles because the signatures agree, which is why the compiler cannot catch it. A conversion
    or wrapper (`.clone()`, `String::from`, `Some(..)`), the `_mut` or `into_` variant of the same
    method, and a misspelling fixed are not something else."""
    for hunk in change.hunks:
        before, after = _callees(change.old, hunk.old), _callees(change.new, hunk.new)
        gone, came = before - after, after - before
        for tag, i1, i2, j1, j2 in hunk.opcodes:
            if tag != "replace":
                continue
            old_names = [n for n, _ in filter(None, (_call(change.old, k) for k in range(i1, i2))) if gone[n]]
            new_names = [n for n, _ in filter(None, (_call(change.new, k) for k in range(j1, j2))) if came[n]]
            for old_name in old_names:
                new_name = next((n for n in new_names if not _same_call(old_name, n)), None)
                if new_name:
                    yield Risk("calls_other", f"calls `{new_name}` instead of `{old_name}`")
                    break


# --- 3. renames -----------------------------------------------------------------------------------

def renames_an_identifier(change: Change) -> Iterator[Risk]:
    """A name the user wrote, swapped for another in otherwise the same code, refers to another
    variable, field or function: the program reads or defines something else (`is_morning` for
    `is_evening`). A misspelling fixed, a std type or module exchanged for another (`Rc` for
    `Arc`, `u32` for `u64`: the compiler checks those), and callees (rule 2) are not renames."""
    for hunk in change.hunks:
        for tag, i1, i2, j1, j2 in hunk.opcodes:
            if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
                continue
            old, new = change.old[i1], change.new[j1]
            if old.kind != "ident" or new.kind != "ident" or _call(change.old, i1) or _call(change.new, j1):
                continue
            if _in_use(change.old, i1):
                continue  # an import swapped: what the code calls is still checked by the compiler
            if not _same_name(old.text, new.text):
                yield Risk("renames", f"renames `{old.text}` to `{new.text}`")


def _in_use(tokens: list[Token], index: int) -> bool:
    """Whether the token at index lies in a `use` declaration."""
    for back in range(index - 1, max(-1, index - 200), -1):
        text = tokens[back].text
        if text == "use":
            return True
        if text in (";", "}", "fn", "let", "=", "(") or tokens[back].kind == "literal":
            return False
    return False


# --- 4. removes code ------------------------------------------------------------------------------

def removes_arguments(change: Change) -> Iterator[Risk]:
    """A call that keeps its callee but loses arguments no longer passes values the user wrote: a
    format argument dropped from a macro, or a call cut down to fit a signature the fix changed.
    Rust has no default arguments, so nothing stands in for them."""
    removed = 0
    for hunk in change.hunks:
        for old_index, new_index in hunk.kept_old().items():
            call = _call(change.old, old_index)
            twin = _call(change.new, new_index)
            if call and twin and call[0] == twin[0]:
                before = _argument_count(change.old, call[1], change.old_pairs)
                after = _argument_count(change.new, twin[1], change.new_pairs)
                if before is not None and after is not None and after < before:
                    removed += before - after
    if removed:
        yield Risk("removes_code", "removes an argument" if removed == 1 else f"removes {removed} arguments")


def removes_statements(change: Change) -> Iterator[Risk]:
    """A statement deleted is work the program no longer does (a push, a check, a write); a fix
    rarely needs to drop one, and a changed or moved statement is not a dropped one. `use` lines are
    left out: the compiler catches an import that was needed."""
    def text(tokens: list[Token], statement: list[int]) -> tuple[str, ...]:
        return tuple(tokens[k].text for k in statement)

    gone: Counter[tuple[str, ...]] = Counter()
    written: Counter[tuple[str, ...]] = Counter()
    net = 0
    for hunk in change.hunks:
        kept = hunk.kept_old()
        old_statements, new_statements = _statements(change.old, hunk.old), _statements(change.new, hunk.new)
        # most of a changed statement survives; a gone one leaves a stray name or bracket at most
        gone.update(text(change.old, s) for s in old_statements if 2 * sum(k in kept for k in s) < len(s))
        written.update(text(change.new, s) for s in new_statements)
        net += len(old_statements) - len(new_statements)
    # A statement moved (a borrow fix reorders) is still there; one replaced by another is changed.
    removed = min(sum((gone - written).values()), net)
    if removed > 0:
        yield Risk("removes_code", "removes a statement" if removed == 1 else f"removes {removed} statements")


def _statements(tokens: list[Token], indices: range) -> list[list[int]]:
    """The `;`-terminated statements among indices (their tokens, without the `;`), leaving out
    `use` lines and the `;` in `[T; N]`."""
    statements, current, depth, outer = [], [], 0, []
    for index in indices:
        text = tokens[index].text
        if text in ("{", "}"):  # a block (a closure's, inside a call's parentheses) has statements of its own
            current = []
            if text == "{":
                outer.append(depth)
            depth = 0 if text == "{" else (outer.pop() if outer else 0)
        elif text == ";" and depth == 0:
            head = [tokens[k].text for k in current[:2]]
            if current and _starts_statement(tokens[current[0]]) and head[:1] != ["use"] and head != ["pub", "use"]:
                statements.append(current)
            current = []
        else:
            depth = max(0, depth + {"(": 1, "[": 1, ")": -1, "]": -1}.get(text, 0))
            current.append(index)
    return statements


def _starts_statement(token: Token) -> bool:
    """Whether a statement can start with token; `as u8` after a block's `}` ends the one before."""
    if token.kind == "punct":
        return token.text in ("*", "&", "(", "[", "!", "-", "#", "|", "<")
    return token.text not in ("as", "else")


def removes_match_arms(change: Change) -> Iterator[Risk]:
    """A match arm deleted sends its values to another arm (often `_`), silently changing what
    the program does with them."""
    removed = sum(max(0, _count(change.old, h.old, "=>") - _count(change.new, h.new, "=>")) for h in change.hunks)
    if removed:
        yield Risk("removes_code", "removes a match arm" if removed == 1 else f"removes {removed} match arms")


def _count(tokens: list[Token], indices: range, text: str) -> int:
    return sum(1 for index in indices if tokens[index].text == text)


# --- 5. public API --------------------------------------------------------------------------------

# A struct's fields by name (a tuple struct's by position), each with its tokens when it is
# public, else None; an enum's variants as one entry.
Fields = tuple[tuple[str, "tuple[str, ...] | None"], ...]


@dataclass(frozen=True)
class Item:
    """An item whose outside is the crate's API: a fn, type, trait, impl, const or static."""

    kind: str
    name: str  # for an impl, `Trait for Type` or `Type`
    start: int  # character offsets: the item's first token (its visibility) ...
    end: int  # ... to the end of its signature (or its body, for a struct or enum)
    visibility: str  # "pub", "pub(..)" or ""
    signature: tuple[str, ...]  # normalised tokens: generics, parameters, bounds
    fields: Fields
    container: int  # index of the innermost fn, impl or trait around it, or -1
    self_type: str  # an impl's type
    trait_impl: bool


TYPE_KINDS = ("struct", "enum", "union", "trait")
ITEM_KEYWORDS = TYPE_KINDS + ("fn", "impl", "const", "static")
# What a change to each kind of item's signature changes, for the reason.
CHANGED_PART = {
    "fn": "the public signature of `{}`", "impl": "the public `{}`", "trait": "the bounds of the public trait `{}`",
    "const": "the type of the public `{}`", "static": "the type of the public `{}`",
    **{kind: "the generics of the public `{}`" for kind in ("struct", "enum", "union")},
}


def changes_public_api(change: Change) -> Iterator[Risk]:
    """Callers outside the crate compile against a public item's signature, bounds and fields:
    a parameter type changed, a bound added (`L: Debug` on a public `impl From`), `pub` taken
    away or a public field changed breaks them, though this crate still builds. Adding `pub` and
    deriving traits only add to the API and are not flagged; lifetimes a signature gains are
    left out, since elided and named lifetimes mean the same to callers."""
    old_items, new_items = _items(change.old, change.old_pairs), _items(change.new, change.new_pairs)
    old_private, new_private = _private_types(old_items), _private_types(new_items)
    for item in old_items:
        if not _public(item, old_items, old_private) or not change.touches(item.start, item.end) or _untyped(item):
            continue
        twins = [n for n in new_items if n.kind == item.kind and n.name == item.name]
        twin = min(twins, key=lambda n: abs(n.start - change.moved(item.start)), default=None)
        shown = f"impl {item.name}" if item.kind == "impl" else item.name
        if twin is None:
            yield Risk("public_api", f"removes the public `{shown}`")
        elif not _public(twin, new_items, new_private):
            yield Risk("public_api", f"makes `{shown}` private")
        elif twin.signature != item.signature:
            yield Risk("public_api", "changes " + CHANGED_PART[item.kind].format(shown))
        elif _fields_changed(item.fields, twin.fields):
            part = "variants" if item.kind == "enum" else "fields"
            yield Risk("public_api", f"changes the public {part} of `{shown}`")


def _untyped(item: Item) -> bool:
    """A field or parameter written without its type: the item never compiled, so callers have no API
    to lose when it gets one."""
    if item.kind in ("struct", "union") and any(shape is not None and ":" not in shape
                                                for name, shape in item.fields if not name.isdigit()):
        return True
    if item.kind != "fn" or "(" not in item.signature:
        return False
    depth, part = 0, []
    for token in item.signature[item.signature.index("("):]:
        depth += 1 if token in ("(", "[", "{", "<") else -1 if token in (")", "]", "}", ">") else 0
        if depth == 0 or (depth == 1 and token == ","):
            if part and ":" not in part and "self" not in part:
                return True
            part = []
            if depth == 0:
                return False
        elif not (depth == 1 and token == "("):
            part.append(token)
    return False


def _fields_changed(old: Fields, new: Fields) -> bool:
    """Whether callers see the fields change: one added or removed, or a public one changed (a
    private field made public, or its type changed, is nothing to them)."""
    now = dict(new)
    return {name for name, _ in old} != set(now) or any(shape and now[name] != shape for name, shape in old)


def _private_types(items: list[Item]) -> set[str]:
    return {item.name for item in items if item.kind in TYPE_KINDS and item.visibility != "pub"}


def _public(item: Item, items: list[Item], private: set[str]) -> bool:
    """Whether callers outside the crate see the item's signature as its own. An impl is public
    unless its type is declared private here; a trait impl's methods are not, since the trait
    dictates their signatures and the compiler holds them to it (the impl's header is checked)."""
    if item.kind == "impl":
        return item.self_type not in private
    if item.kind != "fn" or item.container < 0:
        return item.visibility == "pub"
    container = items[item.container]
    if container.kind == "fn" or container.trait_impl or not _public(container, items, private):
        return False
    return container.kind == "trait" or item.visibility == "pub"


def _items(tokens: list[Token], pairs: dict[int, int]) -> list[Item]:
    """Every fn, type, trait, impl, const and static in the file, each with the fn, impl or trait
    around it (a method's publicness depends on its impl's)."""
    found: list[tuple[int, int, Item]] = []  # with each item's header and body end as token indices
    for index, token in enumerate(tokens):
        keyword = token.text
        if token.kind != "ident" or keyword not in ITEM_KEYWORDS or index + 2 >= len(tokens):
            continue
        after = tokens[index + 1]
        if keyword == "impl" and _text(tokens, index - 1) not in ("", ";", "{", "}", "]", "unsafe"):
            continue  # `-> impl Trait`, `x: impl Trait`
        if keyword != "impl" and (after.kind != "ident" or after.text in ("fn", "unsafe", "extern")):
            continue  # `fn(u8)` types, `const fn`, `const { }`
        named = index + 2 if keyword == "static" and after.text == "mut" else index + 1
        after = tokens[named]
        first, visibility = _item_start(tokens, index, pairs)
        header = _header_end(tokens, index, pairs, keyword in ("const", "static"))
        body = pairs.get(header, header) if _text(tokens, header) == "{" else header
        whole = keyword in ("struct", "enum", "union")
        name, self_type, trait_impl = (after.text, "", False)
        if keyword == "impl":
            name, self_type, trait_impl = _impl_name(tokens, index, header)
        declared = _declared_generics(tokens, named if keyword == "impl" else named + 1,
                                      range(first, (body if whole else header) + 1))
        signature, fields = _shape(tokens, first, header, body, pairs, keyword, declared)
        last = tokens[body if whole else header]
        item = Item(keyword, name, tokens[first].start, last.end, visibility, signature, fields, -1, self_type,
                    trait_impl)
        found.append((header, body, item))
    items = []
    around: list[int] = []  # the fns, impls and traits whose bodies hold the current item, innermost last
    for position, (header, body, item) in enumerate(found):  # in the order of the source
        while around and not tokens[found[around[-1]][0]].start < item.start < tokens[found[around[-1]][1]].start:
            around.pop()
        items.append(replace(item, container=around[-1] if around else -1))
        if item.kind in ("fn", "impl", "trait") and header < body:
            around.append(position)
    return items


def _declared_generics(tokens: list[Token], opening: int, item: range) -> set[int]:
    """The indices of bare type parameters in the generics list at opening (`T` in `impl<T>`) that
    the item uses elsewhere: declaring a name the item already used adds no bound for callers."""
    close = _closing_angle(tokens, opening) if _text(tokens, opening) == "<" else None
    if close is None:
        return set()
    params: list[list[int]] = [[]]
    for at in range(opening + 1, close):
        if tokens[at].text == ",":
            params.append([])
        else:
            params[-1].append(at)
    used = {tokens[at].text for at in item if not opening <= at <= close}
    return {p[0] for p in params if len(p) == 1 and tokens[p[0]].kind == "ident" and tokens[p[0]].text in used}


def _item_start(tokens: list[Token], index: int, pairs: dict[int, int]) -> tuple[int, str]:
    """The index of an item's first token (qualifiers and visibility), and its visibility."""
    at = index
    while _text(tokens, at - 1) in ("async", "const", "unsafe", "extern", "default") or (
            at >= 2 and tokens[at - 1].kind == "literal" and tokens[at - 2].text == "extern"):
        at -= 1
    if _text(tokens, at - 1) == "pub":
        return at - 1, "pub"
    if _text(tokens, at - 1) == ")" and _text(tokens, pairs.get(at - 1, 0) - 1) == "pub":
        return pairs[at - 1] - 1, "pub(..)"
    return at, ""


def _header_end(tokens: list[Token], index: int, pairs: dict[int, int], stops_at_equals: bool) -> int:
    """The index of the `{`, `;` (or, for a const, `=`) that ends an item's signature."""
    at = index + 1
    while at < len(tokens):
        text = tokens[at].text
        if text in ("(", "[") and at in pairs:
            at = pairs[at]
        elif text in ("{", ";") or (stops_at_equals and text == "="):
            return at
        at += 1
    return len(tokens) - 1


def _impl_name(tokens: list[Token], index: int, header: int) -> tuple[str, str, bool]:
    """`Trait for Type` (or `Type`), the type's name and whether it is a trait impl."""
    at = index + 1
    if _text(tokens, at) == "<":
        at = (_closing_angle(tokens, at) or at) + 1
    parts: list[list[str]] = [[]]
    depth = 0
    for token in tokens[at:header]:
        if token.text == "where" and depth == 0:
            break
        depth += {"<": 1, ">": -1}.get(token.text, 0)
        if token.text == "for" and depth == 0:
            parts.append([])
        elif depth == 0 and token.kind == "ident" and token.text not in KEYWORDS:
            parts[-1].append(token.text)
    names = [part[-1] if part else "?" for part in parts]
    return " for ".join(names), names[-1], len(parts) > 1


def _shape(tokens: list[Token], first: int, header: int, body: int, pairs: dict[int, int], keyword: str,
           declared: set[int]) -> tuple[tuple[str, ...], Fields]:
    """An item's signature and fields as callers see them."""
    if keyword not in ("struct", "union", "enum"):
        return _normalised(tokens, range(first, header), pairs, declared), ()
    group = next((k for k in range(first, header + 1) if tokens[k].text in ("(", "{") and k in pairs), None)
    if group is None:
        return _normalised(tokens, range(first, header), pairs, declared), ()
    signature = _normalised(tokens, range(first, group), pairs, declared)
    if keyword == "enum":
        return signature, (("variants", _normalised(tokens, range(group + 1, pairs[group]), pairs)),)
    fields = []
    for number, field in enumerate(_split_fields(tokens, group, pairs)):
        shape = _normalised(tokens, field, pairs)
        public = shape[:1] == ("pub",) and shape[1:2] != ("(",)
        rest = shape[shape.index(")") + 1:] if shape[1:2] == ("(",) and ")" in shape else shape[shape[:1] == ("pub",):]
        name = str(number) if tokens[group].text == "(" else next(iter(rest), "")  # past `pub` or `pub(crate)`
        fields.append((name, shape if public else None))  # a private field's type is not the API
    return signature, tuple(fields)


def _split_fields(tokens: list[Token], group: int, pairs: dict[int, int]) -> list[range]:
    fields, start, depth, at = [], group + 1, 0, group + 1
    while at < pairs[group]:
        text = tokens[at].text
        if text in OPENERS and at in pairs:
            at = pairs[at]
        depth += {"<": 1, ">": -1}.get(text, 0)
        if text == "," and depth == 0:
            fields.append(range(start, at))
            start = at + 1
        at += 1
    fields.append(range(start, pairs[group]))
    return [f for f in fields if len(f)]


def _normalised(tokens: list[Token], indices: range, pairs: dict[int, int],
                skip: set[int] = frozenset()) -> tuple[str, ...]:
    """The tokens as callers see them: no attributes, no lifetimes, no `mut` on a binding, no
    trailing commas, none of the indices in skip."""
    out: list[str] = []
    at = indices.start
    while at < indices.stop:
        token = tokens[at]
        if at in skip:
            at += 2 if _text(tokens, at + 1) == "," else 1
            continue
        if token.text == "#" and _text(tokens, at + 1) in ("[", "!"):
            bracket = at + 1 if _text(tokens, at + 1) == "[" else at + 2
            at = pairs.get(bracket, bracket) + 1
            continue
        if token.kind == "lifetime":
            if out and out[-1] == "+":
                out.pop()
            at += 2 if _text(tokens, at + 1) == "," else 1
            continue
        if not (token.text == "mut" and (not out or out[-1] not in ("&", "*"))):
            out.append(token.text)
        at += 1
    tidy: list[str] = []
    for text in out:
        if text == ">" and tidy and tidy[-1] == "<":
            tidy.pop()
        elif text in (">", ")", "}") and tidy and tidy[-1] == ",":
            tidy[-1] = text
        elif text == "," and tidy and tidy[-1] in ("<", ","):
            continue
        else:
            tidy.append(text)
    return tuple(tidy)


# --- 6. narrowed arithmetic -----------------------------------------------------------------------

def narrows_arithmetic(change: Change) -> Iterator[Risk]:
    """Widening the result of `*`, `+`, `-`, `<<` or `pow` does not widen the arithmetic: it runs
    in the operands' narrow type, where it overflows (a panic in debug builds, a wrapped value in
    release) or shifts bits out, before the conversion sees it. `(w * h).into()` must be
    `u64::from(w) * u64::from(h)`; operands already converted are that safe form."""
    added: Counter[tuple[str, ...]] = Counter()
    widenings: dict[tuple[str, ...], Widening] = {}
    for hunk in change.hunks:
        for widening in _widenings(change.new, hunk.new, change.new_pairs):
            added[widening.key] += 1
            widenings[widening.key] = widening
        added.subtract(widening.key for widening in _widenings(change.old, hunk.old, change.old_pairs))
    for key in +added:
        widening = widenings[key]
        narrow = _declared_integer(change.old_text, widening.names) or (
            change.found if change.found in INTEGERS else None)
        if widening.target and (narrow is None or BITS[narrow] >= BITS.get(widening.target, 256)):
            continue  # a cast or try_from that may narrow (`(a + b) as u32` of u64s) is not this risk
        yield Risk("narrows_arithmetic",
                   f"converts after `{widening.operator}`, which can overflow in {narrow or 'the narrower type'}")


class Widening(NamedTuple):
    """A conversion applied to the result of arithmetic."""

    key: tuple[str, ...]  # the conversion's tokens
    operator: str
    names: list[str]  # the variables and fields the arithmetic works on
    target: str | None  # the type of a cast or try_from, which may narrow; None for `into` and `from`


def _widenings(tokens: list[Token], indices: range, pairs: dict[int, int]) -> Iterator[Widening]:
    """Each conversion in indices applied to an arithmetic result: `(..).into()`, `(..) as T`,
    `T::from(..)`, and their try_ forms."""
    for index in indices:
        text = tokens[index].text
        if text == ")" and index in pairs:
            into = _text(tokens, index + 1) == "." and _text(tokens, index + 2) in ("into", "try_into")
            cast = _text(tokens, index + 1) == "as" and _text(tokens, index + 2) in NUMERIC
            opening = pairs[index]
            callee = tokens[opening - 1] if opening > 0 else None
            if not (into or cast):
                continue
            if callee is not None and callee.text == "pow" and _text(tokens, opening - 2) == ".":
                operator: str | None = "pow"
                receiver = tokens[opening - 3] if opening >= 3 else callee
                names = [receiver.text] if receiver.kind == "ident" and receiver.text not in KEYWORDS else []
            elif callee is not None and ((callee.kind == "ident" and callee.text not in KEYWORDS)
                                         or callee.text in (")", "]", "!")):
                continue  # a call's result (or a macro's), not a bare group
            else:
                operator, names = _top_operator(tokens, opening, index, pairs)
            end = index + (4 if into else 3)
            if operator:
                target = tokens[index + 2].text if cast else None
                yield Widening(tuple(t.text for t in tokens[opening:end]), operator, names, target)
        elif text in INTEGERS and _text(tokens, index + 1) == "::" and _text(tokens, index + 2) in (
                "from", "try_from") and _text(tokens, index + 3) == "(" and index + 3 in pairs:
            close = pairs[index + 3]
            operator, names = _top_operator(tokens, index + 3, close, pairs)
            if operator:
                target = text if tokens[index + 2].text == "try_from" else None
                yield Widening(tuple(t.text for t in tokens[index:close + 1]), operator, names, target)


def _top_operator(tokens: list[Token], opening: int, close: int, pairs: dict[int, int]) -> tuple[str | None, list[str]]:
    """The first operator that can overflow outside any inner bracket between opening and close,
    with the names it works on; None when an operand is already converted."""
    if any(t.text in ("as", "from", "into", "try_from", "try_into") for t in tokens[opening + 1:close]):
        return None, []
    names = _operand_names(tokens, opening + 1, close, pairs)
    at = opening + 1
    while at < close:
        text = tokens[at].text
        if text in OPENERS and at in pairs:
            at = pairs[at] + 1
            continue
        before = tokens[at - 1]
        operand_before = before.kind in ("ident", "literal") or before.text in (")", "]")
        if text in ("*", "+", "-", "<<") and operand_before and at > opening + 1:
            return text, names
        if text == "pow" and before.text == ".":
            return "pow", names
        at += 1
    return None, []


def _operand_names(tokens: list[Token], low: int, high: int, pairs: dict[int, int]) -> list[str]:
    """The variables and fields the arithmetic between low and high works on (`width` in
    `self.width * 2`), looking into bare groups, leaving out calls and what an `if` computes."""
    names: list[str] = []
    run: list[int] = []
    at = low
    while at <= high:
        token = tokens[at] if at < high else None
        if token is not None and token.text in OPENERS and at in pairs:
            run.append(at)
            at = pairs[at] + 1
            continue
        if token is not None and (token.kind == "literal" or token.text in (".", "::") or (
                token.kind == "ident" and token.text not in KEYWORDS - {"self"})):
            run.append(at)
        else:  # an operator ends an operand: name it by its last part
            last = tokens[run[-1]] if run else None
            if last is not None and last.text == "(" and len(run) == 1:
                names += _operand_names(tokens, run[0] + 1, pairs[run[0]], pairs)
            elif last is not None and last.kind == "ident":
                names.append(last.text)
            run = []
            if token is not None and token.text in ("if", "match", "loop", "unsafe"):
                break
        at += 1
    return names


def _declared_integer(text: str, names: list[str]) -> str | None:
    """The integer type the code declares for one of names (`width: u32`), if any."""
    for name in names:
        match = re.search(rf"\b{re.escape(name)}\s*:\s*&?\s*({'|'.join(INTEGERS)})\b", text)
        if match:
            return match[1]
    return None


# --- 7. protected lines ---------------------------------------------------------------------------

def edits_a_protected_line(change: Change) -> Iterator[Risk]:
    """A line marked "do not edit" (generated code, a grader's fixed signature, an ABI) is one
    the author has said a fix must go around, whatever the compiler thinks of the edit."""
    lines = change.old_text.split("\n")
    protected: set[int] = set()
    for comment in change.comments:
        if not PROTECTED.search(comment.text):
            continue
        first, last = _line_of(change.old_text, comment.start), _line_of(change.old_text, comment.end)
        protected.update(range(first, last + 1))
        if not lines[first][:comment.start - _line_start(change.old_text, comment.start)].strip():
            below = last + 1  # a comment on its own line guards the code under it
            while below < len(lines) and lines[below].lstrip().startswith("//"):
                protected.add(below)
                below += 1
            protected.add(below)
    for start, end, _ in change.edits:
        touched = range(_line_of(change.old_text, start), _line_of(change.old_text, max(start, end - 1)) + 1)
        if protected.intersection(touched):
            yield Risk("protected_line", "edits a line marked not to be edited")
            return


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


# --- 8. late propagation --------------------------------------------------------------------------

def propagates_late(change: Change) -> Iterator[Risk]:
    """`Ok(len?)` returns an error that happened where `len` was made, after the statements
    between ran as if it had succeeded: the `?` belongs where the Result is produced. The value
    is a plain name (or field), so the Result was made elsewhere; `Ok(parse(s)?)` is not flagged."""
    def sites(tokens: list[Token], indices: range, pairs: dict[int, int]) -> Counter[tuple[str, ...]]:
        counted: Counter[tuple[str, ...]] = Counter()
        for index in indices:
            close = pairs.get(index + 1)
            if tokens[index].text in ("Ok", "Some") and _text(tokens, index + 1) == "(" and close is not None:
                inner = tokens[index + 2:close]
                if len(inner) >= 2 and inner[-1].text == "?" and all(
                        t.kind == "ident" or t.text == "." for t in inner[:-1]):
                    counted[tuple(t.text for t in tokens[index:close + 1])] += 1
        return counted

    for hunk in change.hunks:
        added = sites(change.new, hunk.new, change.new_pairs) - sites(change.old, hunk.old, change.old_pairs)
        for key in added:
            yield Risk("propagates_late", f"adds ? inside {key[0]}(..)")


RULES: tuple[Rule, ...] = (
    adds_a_panic, calls_something_else, renames_an_identifier, removes_arguments, removes_statements,
    removes_match_arms, changes_public_api, narrows_arithmetic, edits_a_protected_line, propagates_late,
)


def assess(code: str, edits: Sequence[TextEdit], *, found: str | None = None) -> list[Risk]:
    """Every way the edits make the program riskier than the code was; empty for a clean fix.

    Args:
        code: the file's text before the fix.
        edits: the fix, as byte-addressed edits of code (ValueError when they overlap).
        found: the type rustc found at the error (`Option<u32>` from "expected `u32`, found
            `Option<u32>`"), when known: it names what an added `.unwrap()` panics on and the
            narrow type of widened arithmetic.
    """
    if not edits:
        return []
    change = Change.of(code, edits, found)
    risks: list[Risk] = []
    for rule in RULES:
        risks.extend(risk for risk in rule(change) if risk not in risks)
    return risks

"""Teaching by example, without the editor: the fixes a changed file made, checked by cargo.

`sleepy teach BEFORE AFTER` puts each version of one file of a crate into a
shadow copy in turn: every rustc error of the file with BEFORE in place that is
gone with AFTER in place was fixed by the change, and is recorded as a fix the
user wrote. The user's own files are never written.
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import SleepyError
from ..model.records import ErrorCase, FixRecord
from ..rust.crates import CrateLocation
from ..rust.diagnostics import Diagnostic
from ..rust.shadow import ShadowCrate
from .store import Offer

MAX_CHANGED_LINES = 40  # a bigger change is a rewrite, not a fix
NEAR_LINES = 3  # how close to the error a fix's changes must come
FUNCTION = re.compile(r"\bfn\s+(\w+)")


@dataclass
class Lesson:
    """What one BEFORE -> AFTER change taught: the errors it fixed, as manual fixes to record."""

    fixes: list[Offer]
    remaining: list[Diagnostic]  # errors of BEFORE that AFTER still has


def _key(diagnostic: Diagnostic) -> tuple[str | None, str]:
    return diagnostic.code, diagnostic.message


def lesson(shadow: ShadowCrate, crate: CrateLocation, rel_path: str, before: str, after: str) -> Lesson:
    """The fixes AFTER makes to BEFORE, or SleepyError saying in one sentence why it teaches nothing.

    Args:
        shadow: a copy of the crate to check both versions in.
        crate: the crate (for the record's file paths).
        rel_path: the file's path in the workspace.
        before: the file with the errors.
        after: the same file fixed.
    """
    if before == after:
        raise SleepyError("BEFORE and AFTER are the same text, so they teach no fix: give the file before and "
                          "after your change.")
    errors_before = _errors_in(shadow, rel_path, before)
    if not errors_before:
        raise SleepyError(f"BEFORE has no rustc error in {rel_path}, so there is nothing it fixes: give the version "
                          "that did not compile.")
    errors_after = _errors_in(shadow, rel_path, after)
    old, new = Counter(map(_key, errors_before)), Counter(map(_key, errors_after))
    added = [d for d in errors_after if new[_key(d)] > old[_key(d)]]
    if added:
        raise SleepyError(f"AFTER has an error BEFORE did not ({added[0].code or 'no code'}: {added[0].message}), so "
                          "it is no fix: give a version of the file that compiles.")
    fixed, remaining, seen = [], [], Counter()
    for diagnostic in errors_before:
        seen[_key(diagnostic)] += 1
        if seen[_key(diagnostic)] > new[_key(diagnostic)]:
            fixed.append(diagnostic)
        else:
            remaining.append(diagnostic)
    if not fixed:
        raise SleepyError("AFTER still has every error BEFORE had, so it fixes nothing: give the version after your fix.")
    file = str(crate.workspace_root / rel_path)
    offers = [Offer(uuid.uuid4().hex, FixRecord.of(ErrorCase.of(d, rel_path, before), before, after, "user",
                                                  "taught with sleepy teach"),
                    file=file, crate_root=str(crate.root), verified=not errors_after) for d in fixed]
    return Lesson(offers, remaining)


def fixed_by_edit(before: str, errors_before: list[Diagnostic], after: str,
                  errors_after: list[Diagnostic]) -> list[Diagnostic]:
    """The errors of one file's `before` gone in its `after` by an edit that looks like a fix of them.

    Nothing, when a new error appeared (what vanished may only be hidden behind it) or the edit changed
    more than MAX_CHANGED_LINES lines; an error counts when it has a code (a parse error is what
    half-typed code looks like), the edit came within NEAR_LINES of it and kept its function.
    """
    old, new = Counter(map(_key, errors_before)), Counter(map(_key, errors_after))
    if any(new[k] > old[k] for k in new):
        return []
    changes, size = _changes(before, after)
    if not changes or size > MAX_CHANGED_LINES:
        return []
    gone = []
    for error in errors_before:
        span = error.primary_span
        if not error.code or span is None or new[_key(error)] >= old[_key(error)]:
            continue
        near = range(span.line_start - NEAR_LINES, span.line_end + NEAR_LINES + 1)
        if any(line in near for line in changes) and _function_kept(before, after, span.line_start):
            gone.append(error)
    return gone


def _changes(before: str, after: str) -> tuple[list[int], int]:
    """The 1-based lines of before the edit replaced or deleted (or inserted before), and how many lines
    it changed on the larger side."""
    old, new = before.splitlines(), after.splitlines()
    lines, size = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            lines += list(range(i1 + 1, i2 + 1)) or [i1 + 1]
            size += max(i2 - i1, j2 - j1)
    return lines, size


def _function_kept(before: str, after: str, line: int) -> bool:
    """Whether the function around the error's line still exists after the edit (deleting it fixes nothing)."""
    names = [m[1] for m in FUNCTION.finditer("\n".join(before.splitlines()[:line]))]
    return not names or re.search(rf"\bfn\s+{re.escape(names[-1])}\b", after) is not None


def _errors_in(shadow: ShadowCrate, rel_path: str, text: str) -> list[Diagnostic]:
    shadow.write(rel_path, text)
    checked = shadow.check()
    if checked.timed_out:
        raise SleepyError(f"cargo check of the crate ran longer than {shadow.timeout:g} s: check it builds from a "
                          "terminal first.")
    return [d for d in checked.errors if d.primary_span and d.primary_span.file_name == rel_path]


def crate_file(before: Path, after: Path, crate: CrateLocation, file: str | None) -> str:
    """Which file of the crate BEFORE and AFTER are versions of: --file, else whichever of them lies in the crate."""
    if file:
        return Path(file).as_posix()
    for path in (after, before):
        try:
            return path.resolve().relative_to(crate.workspace_root).as_posix()
        except ValueError:
            continue
    raise SleepyError(f"Neither {before} nor {after} lies in {crate.root}: say which file of the crate they are "
                      "with --file src/....rs.")

"""A fix as both loops keep it: the error, where it is, the code the model is shown, and the change.

One record travels from the server (an offer, an accepted fix, a fix the user
wrote) through the fix memory (patterns, retrieved examples) to the night
(training pairs): `ErrorCase` is what the model is asked about, `FixRecord` a
case with its answer. The prompt is built from the case alone, so a training
pair and a serving prompt for the same error are the same text.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass

from ..rust.diagnostics import Diagnostic
from ..rust.families import classify
from .answers import answer_for, numbered

HUNK_CONTEXT = 3  # lines kept around the changed lines of a hunk
WINDOW = 30  # lines of context each side of the error when a file is too long to show whole
WHOLE_FILE_LINES = 80


@dataclass(frozen=True)
class ErrorCase:
    """One compiler error as the model is shown it.

    Args:
        error: rustc's rendered error (its message when there is no rendering).
        code: the error code, "" when it has none (a parse error).
        level: rustc's level ("error").
        message: rustc's one-line message.
        rel_path: the file, relative to its workspace.
        line: the primary span's line (1-based).
        column: the primary span's column (1-based).
        family: the error family.
        context: the file around the error, numbered, as the prompt shows it.
        file_hash: sha256 of the whole file.
    """

    error: str
    code: str
    level: str
    message: str
    rel_path: str
    line: int
    column: int
    family: str
    context: str
    file_hash: str

    @classmethod
    def of(cls, diagnostic: Diagnostic, rel_path: str, text: str) -> "ErrorCase":
        """The case of a diagnostic in a file whose text is `text`."""
        span = diagnostic.primary_span
        line, column = (span.line_start, span.column_start) if span else (1, 1)
        return cls((diagnostic.rendered or diagnostic.message).strip(), diagnostic.code or "", diagnostic.level,
                   diagnostic.message, rel_path, line, column, classify(diagnostic), code_window(text, line),
                   file_hash(text))


@dataclass(frozen=True)
class FixRecord:
    """A case and the fix made for it.

    Args:
        case: the error as the model is shown it.
        answer: the fix in the answer format (LINE/INSERT/DELETE with the numbers of the file before).
        before: the changed lines with a few lines of context, before the fix.
        after: the same lines after it.
        hunk_line: the line number of `before`'s first line in the file before.
        provider: who made it: rustc, memory, model, user (a fix the user wrote) or koan (a reference solution).
        title: what it does, in its provider's words.
        rank: where it stood among the fixes offered (0: first; 0 for a user's fix).
        source: where the lesson comes from (the night counts them): "koan:bc_004", "memory:accepted", ...
    """

    case: ErrorCase
    answer: str
    before: str
    after: str
    hunk_line: int
    provider: str = ""
    title: str = ""
    rank: int = 0
    source: str = ""

    @classmethod
    def of(cls, case: ErrorCase, text_before: str, text_after: str, provider: str = "", title: str = "",
           rank: int = 0, source: str = "") -> "FixRecord":
        """The record of a change from text_before to text_after made for the case."""
        before, after, first = hunk(text_before, text_after)
        return cls(case, answer_for(text_before, text_after), before, after, first, provider, title, rank, source)

    @property
    def family(self) -> str:
        return self.case.family

    @property
    def key(self) -> str:
        """The same code and the same fix are the same lesson, whatever the error's wording."""
        return hashlib.sha1("\x00".join((self.case.rel_path, self.case.file_hash, self.answer)).encode()).hexdigest()


def code_window(code: str, error_line: int) -> str:
    """The whole file when short, else the lines around the error, numbered as in the file."""
    if len(code.splitlines()) <= WHOLE_FILE_LINES:
        return numbered(code)
    return numbered(code, error_line - WINDOW, error_line + WINDOW)


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hunk(before: str, after: str, context: int = HUNK_CONTEXT) -> tuple[str, str, int]:
    """The changed lines of before and after with `context` lines around them, and the 1-based number of
    the first line shown (one span from the first change to the last, so both sides line up)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not changes:
        return "", "", 1
    first_old, first_new = changes[0][1], changes[0][3]
    last_old, last_new = changes[-1][2], changes[-1][4]
    lead = min(context, first_old, first_new)
    tail = min(context, len(old) - last_old, len(new) - last_new)
    return ("".join(old[first_old - lead:last_old + tail]), "".join(new[first_new - lead:last_new + tail]),
            first_old - lead + 1)

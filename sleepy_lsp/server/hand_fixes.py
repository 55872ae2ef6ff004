"""Fixes the user writes by hand: the errors sleepy could not fix, and what it most needs to learn.

The server tells this watcher what each check of a document found. An error
the user has seen (the text it was found in stayed unchanged for a few seconds)
and that is gone at a later check, after the user's own edits near it, is
recorded as a manual fix: the error, and the code before and after. Typing is
not fixing, so nothing is recorded when the edits did not settle, when the
error went because another one now hides it, when the change is large or
deletes the code around the error, when the error has no code (a parse error
is what half-typed code looks like), or when the user applied one of sleepy's
own fixes there.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from ..memory.store import Offer
from ..memory.teaching import fixed_by_edit
from ..model.records import ErrorCase, FixRecord
from ..rust.diagnostics import Diagnostic

SETTLE_SECONDS = 3.0  # how long a text stays unchanged before its errors count as seen


@dataclass
class Sighting:
    """A document's text as a check found it, with its errors."""

    text: str
    errors: list[Diagnostic]
    at: float = field(default_factory=time.monotonic)


class HandFixes:
    """Watches each document's errors and records those the user fixes by hand.

    Args:
        record: stores one manual fix (an Offer with provider "user") in the fix memory.
        settle: seconds a text must stay unchanged before its errors count as seen.
    """

    def __init__(self, record: Callable[[Offer], object], settle: float = SETTLE_SECONDS) -> None:
        self.record = record
        self.settle = settle
        self.seen: dict[str, Sighting] = {}  # uri -> the last text whose errors the user saw
        self.latest: dict[str, Sighting] = {}  # uri -> the last checked text, until it settles
        self.applied: dict[str, float] = {}  # uri -> when the user last applied one of sleepy's fixes there

    def changed(self, uri: str) -> None:
        """The user edited the document: the latest check's text counts as seen if it stayed long enough."""
        latest = self.latest.pop(uri, None)
        if latest is not None and time.monotonic() - latest.at >= self.settle:
            self.seen[uri] = latest

    def applied_fix(self, uri: str) -> None:
        self.applied[uri] = time.monotonic()

    def closed(self, uri: str) -> None:
        for table in (self.seen, self.latest, self.applied):
            table.pop(uri, None)

    def checked(self, uri: str, rel_path: str, file: str, crate_root: str, text: str,
                errors: list[Diagnostic]) -> list[Offer]:
        """A check found these errors in the document's text: record the errors fixed by hand since the
        text the user last saw; the manual fixes recorded."""
        now = Sighting(text, errors)
        seen = self.seen.get(uri)
        self.latest[uri] = now
        if seen is None or seen.text == text or self.applied.get(uri, 0.0) > seen.at:
            return []
        found = []
        for error in fixed_by_edit(seen.text, seen.errors, now.text, now.errors):
            case = ErrorCase.of(error, rel_path, seen.text)
            record = FixRecord.of(case, seen.text, text, "user", "fixed by hand")
            offer = Offer(uuid.uuid4().hex, record, file=file, crate_root=crate_root, verified=not errors)
            self.record(offer)
            found.append(offer)
        self.seen[uri] = now  # each error is recorded once, against the text it was seen in
        return found
